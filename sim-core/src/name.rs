//! The names of nodes, links and sources, kept compact.
//!
//! A scenario's groups expand into many members named after their group and their index:
//! `wearable[12345]`, its stream `wearable[12345]/vitals`, its link
//! `uplink:wearable[12345]-gateway[246]`. Held as a `String`, each such name costs a 24-byte
//! header and a heap block of 32–64 bytes (the text and the allocator's overhead), about
//! 0.2 KB per wearable for its node, its link and its two streams. A [`Name`] of that form
//! keeps the text around the indices once per group (shared, `Arc`) and the member's one or
//! two indices: 24 bytes and nothing of its own on the heap. Its text is written on demand
//! (`Display`, [`Name::text`]), always the same bytes as the `format!` it replaces; any other
//! name keeps its text.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// A name: a text, or the pieces of a group's names around one or two indices
/// (`pieces[0] i pieces[1]`, or `pieces[0] i pieces[1] j pieces[2]`).
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Text(Box<str>),
    One(Arc<[Box<str>; 2]>, u32),
    Two(Arc<[Box<str>; 3]>, u32, u32),
}

impl Name {
    /// `pieces[0]`, then `i`, then `pieces[1]`: `Name::indexed(&["ecg[".into(),
    /// "]".into()].into(), 3)` is `ecg[3]`.
    pub fn indexed(pieces: &Arc<[Box<str>; 2]>, i: u32) -> Name {
        Name(Repr::One(Arc::clone(pieces), i))
    }

    /// `pieces[0]`, `i`, `pieces[1]`, `j`, `pieces[2]`, as a link between two members is
    /// named after their groups and indices.
    pub fn indexed2(pieces: &Arc<[Box<str>; 3]>, i: u32, j: u32) -> Name {
        Name(Repr::Two(Arc::clone(pieces), i, j))
    }

    /// The text, borrowed when the name holds it, written otherwise.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.0 {
            Repr::Text(s) => Cow::Borrowed(s),
            _ => Cow::Owned(self.to_string()),
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Text(s) => f.write_str(s),
            Repr::One(p, i) => write!(f, "{}{i}{}", p[0], p[1]),
            Repr::Two(p, i, j) => write!(f, "{}{i}{}{j}{}", p[0], p[1], p[2]),
        }
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text(), f)
    }
}

/// Compares a name's text with a string piece by piece, without writing the name out.
struct Matcher<'a> {
    rest: &'a str,
}

impl fmt::Write for Matcher<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.rest.strip_prefix(s) {
            Some(rest) => {
                self.rest = rest;
                Ok(())
            }
            None => Err(fmt::Error),
        }
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        let mut m = Matcher { rest: other };
        fmt::write(&mut m, format_args!("{self}")).is_ok() && m.rest.is_empty()
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        *self == *other.text()
    }
}

impl Eq for Name {}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(Repr::Text(s.into_boxed_str()))
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(Repr::Text(s.into()))
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name::from(s.as_str())
    }
}

impl From<&Name> for String {
    fn from(n: &Name) -> String {
        n.to_string()
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        match n.0 {
            Repr::Text(s) => s.into_string(),
            _ => n.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_indexed_name_writes_what_format_wrote_and_compares_by_its_text() {
        let node: Arc<[Box<str>; 2]> = Arc::new(["wearable[".into(), "]".into()]);
        let n = Name::indexed(&node, 12345);
        assert_eq!(n.to_string(), format!("{}[{}]", "wearable", 12345));
        assert_eq!(n.text(), "wearable[12345]");
        assert!(n == "wearable[12345]");
        assert!(n != "wearable[1234]" && n != "wearable[123456]" && n != "wearable[12345]x");
        assert!(n != "");
        assert_eq!(n, Name::from("wearable[12345]"));
        assert_eq!(format!("{n:?}"), "\"wearable[12345]\"");
        let link: Arc<[Box<str>; 3]> =
            Arc::new(["uplink:wearable[".into(), "]-gateway[".into(), "]".into()]);
        let l = Name::indexed2(&link, 7, 0);
        assert_eq!(String::from(&l), "uplink:wearable[7]-gateway[0]");
        assert!(l == "uplink:wearable[7]-gateway[0]");
        let t = Name::from(String::from("hub"));
        assert!(matches!(t.text(), Cow::Borrowed("hub")));
        assert_eq!(String::from(t), "hub");
        // 24 bytes, whatever the form: a `String`'s header, without its heap block.
        assert_eq!(std::mem::size_of::<Name>(), 24);
    }
}
