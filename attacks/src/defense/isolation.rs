//! `isolation`: Each targeted group is its own network segment: lateral movement and ransomware
//! contacts do not cross its edge.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::Isolation,
    name: "isolation",
    targets: Targets::Nodes,
    cost: "none in the engine (traffic still flows through the segment's firewall)",
    about: "Each targeted group is its own network segment: lateral movement and ransomware contacts do not cross its edge.",
    params: &[],
    cipher: None,
};

/// Each targeted group its own network segment.
#[derive(Debug)]
pub(crate) struct Model;

impl Model {
    pub(crate) fn new(_p: &ParamReader<'_>) -> Self {
        Model
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            p.segment[n] = at.group_of.get(n).copied().unwrap_or(0);
        }
    }
}
