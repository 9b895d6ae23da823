//! Selectors: the node groups, nodes, link groups and links an attack or a defense points at.

use super::*;

/// The group and link-group names attacks and defenses may refer to.
pub(super) struct Refs<'a> {
    pub(super) groups: &'a [&'a str],
    pub(super) links: &'a [&'a str],
    /// Per node group: its layer and its count.
    pub(super) group_layers: &'a [Layer],
    pub(super) group_counts: &'a [u64],
    /// Per link group: its profile and the number of links it expands to.
    pub(super) link_profiles: &'a [&'a str],
    pub(super) link_counts: &'a [u64],
}

/// `name[i]` split into the name and the index, if the text has that shape.
fn indexed(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once('[')?;
    Some((name, rest.strip_suffix(']')?))
}

impl Refs<'_> {
    /// Link selectors: a link group (`ble`), one link of it (`ble[3]`, in expansion order) or
    /// every link group of a profile (`profile:ble_1m`); at least one.
    fn links(&self, p: &mut Problems, path: &str, refs: &[String]) -> Vec<Pick> {
        if refs.is_empty() {
            p.add(path, "name at least one link group to act on");
        }
        let mut picks = Vec::new();
        for (k, n) in refs.iter().enumerate() {
            let at = format!("{path}[{k}]");
            if let Some(profile) = n.strip_prefix("profile:") {
                let before = picks.len();
                picks.extend(
                    (0..self.links.len())
                        .filter(|&g| self.link_profiles[g] == profile)
                        .map(|group| Pick { group, index: None }),
                );
                if picks.len() == before {
                    let mut used = self.link_profiles.to_vec();
                    used.sort_unstable();
                    used.dedup();
                    p.add(
                        at,
                        format!(
                            "no link group uses the profile `{profile}`{}",
                            suggest(profile, &used)
                        ),
                    );
                }
                continue;
            }
            let (name, index) = match indexed(n) {
                Some((name, i)) => (name, Some(i)),
                None => (n.as_str(), None),
            };
            let Some(group) = self.links.iter().position(|l| *l == name) else {
                p.add(
                    at,
                    format!(
                        "no link group named `{name}`{} (a selector is a link group, `group[i]` or `profile:NAME`)",
                        suggest(name, self.links)
                    ),
                );
                continue;
            };
            match index.map(|i| (i, i.parse::<u64>())) {
                None => picks.push(Pick { group, index: None }),
                Some((_, Ok(i))) if i < self.link_counts[group] => picks.push(Pick {
                    group,
                    index: Some(i as u32),
                }),
                Some((i, _)) => p.add(
                    at,
                    format!(
                        "`{name}` has {} links, numbered {name}[0] to {name}[{}]; found `{name}[{i}]`",
                        self.link_counts[group],
                        self.link_counts[group].saturating_sub(1)
                    ),
                ),
            }
        }
        picks
    }

    /// Node selectors: a group (`ecg`), one node of it (`ecg[3]`) or every group of a layer
    /// (`layer:cloud`); at least one.
    fn nodes(&self, p: &mut Problems, path: &str, refs: &[String]) -> Vec<Pick> {
        if refs.is_empty() {
            p.add(path, "name at least one node group to act on");
        }
        let mut picks = Vec::new();
        for (k, n) in refs.iter().enumerate() {
            let at = format!("{path}[{k}]");
            if let Some(layer) = n.strip_prefix("layer:") {
                let wanted = match layer {
                    "sensing" => Layer::Sensing,
                    "network" => Layer::Network,
                    "cloud" => Layer::Cloud,
                    other => {
                        p.add(
                            at,
                            format!(
                                "no layer `{other}`{}",
                                suggest(other, &["sensing", "network", "cloud"])
                            ),
                        );
                        continue;
                    }
                };
                picks.extend(
                    (0..self.groups.len())
                        .filter(|&g| self.group_layers[g] == wanted)
                        .map(|group| Pick { group, index: None }),
                );
                continue;
            }
            let (name, index) = match indexed(n) {
                Some((name, i)) => (name, Some(i)),
                None => (n.as_str(), None),
            };
            let Some(group) = self.group(p, &at, name) else {
                continue;
            };
            match index.map(|i| (i, i.parse::<u64>())) {
                None => picks.push(Pick { group, index: None }),
                Some((_, Ok(i))) if i < self.group_counts[group] => picks.push(Pick {
                    group,
                    index: Some(i as u32),
                }),
                Some((i, _)) => p.add(
                    at,
                    format!(
                        "`{name}` has {} nodes, numbered {name}[0] to {name}[{}]; found `{name}[{i}]`",
                        self.group_counts[group],
                        self.group_counts[group].saturating_sub(1)
                    ),
                ),
            }
        }
        picks
    }

    /// One node group by name.
    fn group(&self, p: &mut Problems, path: &str, name: &str) -> Option<usize> {
        let found = self.groups.iter().position(|g| *g == name);
        if found.is_none() {
            p.add(
                path,
                format!("no group named `{name}`{}", suggest(name, self.groups)),
            );
        }
        found
    }
}

/// Where an attack or a defense points, resolved to group indices.
#[derive(Default)]
pub(super) struct Aim {
    pub(super) links: Vec<Pick>,
    pub(super) targets: Vec<Pick>,
    pub(super) from: Option<usize>,
}

/// The `links`, `targets` and `from` of an attack or defense of kind `kind`, against what the
/// kind acts on. `from_optional`: a foothold kind given `after:` may leave `from` out, and
/// `targets` too when it acts on nodes (it then acts from every foothold).
#[allow(clippy::too_many_arguments)]
pub(super) fn check_aim(
    p: &mut Problems,
    path: &str,
    kind: &str,
    selector: Targets,
    links: &[String],
    targets: &[String],
    from: Option<&str>,
    from_optional: bool,
    refs: &Refs,
) -> Aim {
    let mut aim = Aim::default();
    if selector == Targets::Links {
        aim.links = refs.links(p, &format!("{path}.links"), links);
        if !targets.is_empty() {
            p.add(
                format!("{path}.targets"),
                format!(
                    "`{kind}` acts on link groups (`links`), not on node groups; remove `targets`"
                ),
            );
        }
    } else {
        if !links.is_empty() {
            p.add(
                format!("{path}.links"),
                format!(
                    "`{kind}` acts on node groups (`targets`), not on link groups; remove `links`"
                ),
            );
        }
        // A foothold kind chained with `after:` and no `targets` acts from every foothold.
        if !(targets.is_empty() && from_optional && selector == Targets::Nodes) {
            aim.targets = refs.nodes(p, &format!("{path}.targets"), targets);
        }
        if selector == Targets::NodePair {
            if targets.len() != 2 {
                p.add(
                    format!("{path}.targets"),
                    format!(
                        "`{kind}` joins exactly two node groups (`targets: [a, b]`), found {}",
                        targets.len()
                    ),
                );
            } else if targets[0] == targets[1] {
                p.add(
                    format!("{path}.targets"),
                    format!(
                        "`{kind}` joins two different node groups, found `{}` twice",
                        targets[0]
                    ),
                );
            }
        }
    }
    match (selector, from) {
        (Targets::NodesFrom, Some(g)) => aim.from = refs.group(p, &format!("{path}.from"), g),
        (Targets::NodesFrom, None) if !from_optional => p.add(
            format!("{path}.from"),
            format!(
                "`{kind}` needs `from`: the node group where its traffic enters (`from: bots`)"
            ),
        ),
        (Targets::NodesFrom, None) => {}
        (_, Some(_)) => p.add(
            format!("{path}.from"),
            format!(
                "`{kind}` takes no `from` (its keys: {}); remove it",
                selector.keys()
            ),
        ),
        (_, None) => {}
    }
    aim
}
