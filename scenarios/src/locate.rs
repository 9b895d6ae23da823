//! Finding where a field sits in the scenario file, so every error can name its line.
//!
//! serde reports positions only for the errors it raises itself; semantic checks run after
//! deserialisation and know a field only by its path (`links[2].profile`). This module parses
//! the same text with `yaml-rust2`'s event parser, which marks every node with its position,
//! and walks the path to the node.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A position in the file: 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

#[derive(Debug)]
enum Node {
    Scalar(Position),
    Seq(Position, Vec<Node>),
    /// Entries: key text, key position, value.
    Map(Position, Vec<(String, Position, Node)>),
}

impl Node {
    /// Where the node starts; a mapping is reported at its first key, which is where a reader
    /// looks (the parser's own mark for a block mapping can sit past it).
    fn position(&self) -> Position {
        match self {
            Node::Scalar(p) | Node::Seq(p, _) => *p,
            Node::Map(p, entries) => entries.first().map_or(*p, |(_, at, _)| *at),
        }
    }
}

#[derive(Default)]
struct TreeBuilder {
    /// Open containers; a map's pending key waits in `keys`.
    stack: Vec<Node>,
    keys: Vec<Option<(String, Position)>>,
    root: Option<Node>,
}

fn position(mark: Marker) -> Position {
    Position {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

impl TreeBuilder {
    fn push_value(&mut self, node: Node, scalar_text: Option<String>) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Node::Seq(_, items)) => items.push(node),
            Some(Node::Map(_, entries)) => {
                let pending = self.keys.last_mut().expect("one key slot per open map");
                match pending.take() {
                    Some((key, at)) => entries.push((key, at, node)),
                    // A scalar in key position becomes the pending key.
                    None => {
                        *pending = Some((scalar_text.unwrap_or_default(), node.position()));
                    }
                }
            }
            Some(Node::Scalar(_)) => {}
        }
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = position(mark);
        match ev {
            Event::Scalar(text, ..) => self.push_value(Node::Scalar(at), Some(text)),
            Event::Alias(_) => self.push_value(Node::Scalar(at), None),
            Event::SequenceStart(..) => self.stack.push(Node::Seq(at, Vec::new())),
            Event::MappingStart(..) => {
                self.stack.push(Node::Map(at, Vec::new()));
                self.keys.push(None);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(node) = self.stack.pop() {
                    if matches!(node, Node::Map(..)) {
                        self.keys.pop();
                    }
                    self.push_value(node, None);
                }
            }
            _ => {}
        }
    }
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// Splits `links[2].profile` into steps.
pub fn parse_path(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            if open > 0 {
                steps.push(Step::Key(rest[..open].to_string()));
            }
            rest = &rest[open..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(close) = stripped.find(']') else {
                    break;
                };
                if let Ok(i) = stripped[..close].parse() {
                    steps.push(Step::Index(i));
                }
                rest = &stripped[close + 1..];
            }
        } else {
            steps.push(Step::Key(rest.to_string()));
        }
    }
    steps
}

/// The position of the field at `path` in `source`, or of its nearest existing ancestor
/// (a missing field is reported where it should have been written). `None` if the text does
/// not parse as YAML at all.
pub fn locate(source: &str, path: &str) -> Option<Position> {
    find(&tree(source)?, path)
}

/// The text's node tree, with positions; `None` if it does not parse.
fn tree(source: &str) -> Option<Node> {
    let mut builder = TreeBuilder::default();
    Parser::new_from_str(source)
        .load(&mut builder, false)
        .ok()?;
    builder.root
}

fn find(root: &Node, path: &str) -> Option<Position> {
    let mut node = root;
    let mut found = node.position();
    for step in parse_path(path) {
        let next = match (step, node) {
            (Step::Key(k), Node::Map(_, entries)) => entries
                .iter()
                .find(|(key, _, _)| *key == k)
                .map(|(_, key_at, value)| (value, *key_at)),
            (Step::Index(i), Node::Seq(_, items)) => items.get(i).map(|n| (n, n.position())),
            _ => None,
        };
        match next {
            Some((child, at)) => {
                node = child;
                found = at;
            }
            None => break,
        }
    }
    Some(found)
}

/// A scenario text with the positions of its nodes, parsed once and asked for any number of
/// field paths (every diagnostic and warning of a load).
pub struct SourceMap<'a> {
    source: &'a str,
    root: Option<Node>,
}

impl<'a> SourceMap<'a> {
    /// Parses `source` for positions.
    pub fn new(source: &'a str) -> SourceMap<'a> {
        SourceMap {
            source,
            root: tree(source),
        }
    }

    /// Where the field at `path` is ([`locate`]), or failing that (a text the locating parser
    /// cannot read) the first line that names its key ([`by_key`]): always a place.
    pub fn place(&self, path: &str) -> Option<Position> {
        self.root
            .as_ref()
            .and_then(|root| find(root, path))
            .or_else(|| by_key(self.source, path))
    }
}

/// A place for `path` found in the text alone, for files [`locate`] cannot parse: the first
/// line that writes the path's last key (`duration:`), else its first key, else the start of
/// the file. Always a position, so no problem goes without one.
pub fn by_key(source: &str, path: &str) -> Option<Position> {
    let keys: Vec<String> = parse_path(path)
        .into_iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k),
            Step::Index(_) => None,
        })
        .collect();
    for key in keys.iter().rev() {
        for (i, line) in source.lines().enumerate() {
            let body = line.trim_start();
            let body = body.strip_prefix("- ").unwrap_or(body).trim_start();
            if body
                .strip_prefix(key.as_str())
                .is_some_and(|r| r.trim_start().starts_with(':'))
            {
                return Some(Position {
                    line: i + 1,
                    column: line.len() - body.len() + 1,
                });
            }
        }
    }
    Some(Position { line: 1, column: 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_the_parser_cannot_read_still_gets_a_place() {
        let text = "name: \"x\"# c\nduration: 6q\n";
        assert_eq!(
            by_key(text, "duration"),
            Some(Position { line: 2, column: 1 })
        );
        assert_eq!(
            by_key("a: 1\n", "nowhere"),
            Some(Position { line: 1, column: 1 })
        );
    }

    const DOC: &str = "name: ward\nlinks:\n  - name: ble\n    profile: ble_2m\n  - name: wan\n    from: [gw, hub]\n    profile: wan\n";

    #[test]
    fn finds_nested_fields_by_path() {
        assert_eq!(locate(DOC, "name"), Some(Position { line: 1, column: 1 }));
        assert_eq!(
            locate(DOC, "links[0].profile"),
            Some(Position { line: 4, column: 5 })
        );
        assert_eq!(
            locate(DOC, "links[1].from[1]"),
            Some(Position {
                line: 6,
                column: 16
            })
        );
    }

    #[test]
    fn a_missing_field_points_at_its_parent() {
        assert_eq!(
            locate(DOC, "links[1].rate"),
            Some(Position { line: 5, column: 5 })
        );
        assert_eq!(
            locate(DOC, "attacks[0]"),
            Some(Position { line: 1, column: 1 })
        );
    }

    #[test]
    fn paths_split_into_keys_and_indices() {
        assert_eq!(
            parse_path("sensing[0].streams[12].to"),
            vec![
                Step::Key("sensing".into()),
                Step::Index(0),
                Step::Key("streams".into()),
                Step::Index(12),
                Step::Key("to".into())
            ]
        );
    }
}
