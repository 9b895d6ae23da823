//! `federated_learning`: Raw records stay at the targeted fog groups (streams bound for the cloud
//! end there); only model updates cross the WAN, so a cloud breach or a WAN eavesdropper exposes no
//! records.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::FederatedLearning,
    name: "federated_learning",
    targets: Targets::Nodes,
    cost: "model updates from each targeted (fog) node to the cloud: `update_size` every `update_interval`",
    about: "Raw records stay at the targeted fog groups (streams bound for the cloud end there); only model updates cross the WAN, so a cloud breach or a WAN eavesdropper exposes no records.",
    params: &[
        param(
            "update_interval",
            Unit::Seconds,
            3600.0,
            "1h",
            "time between model updates of one fog node",
            U,
        ).positive(),
        param(
            "update_size",
            Unit::Bytes,
            100_000.0,
            "100kB",
            "size of one model update",
            U,
        ).positive(),
    ],
    cipher: None,
};

/// Raw records kept at the targeted fog groups; model updates sent to the cloud.
#[derive(Debug)]
pub(crate) struct Model {
    /// Time between model updates of one fog node.
    update_interval: SimTime,
    /// Size of one model update.
    update_size: Bytes,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            update_interval: p.time("update_interval"),
            update_size: Bytes(p.num("update_size").clamp(1.0, f64::from(u32::MAX)) as u32),
        }
    }
}

impl DefenseModel for Model {
    /// No cloud node holds raw records.
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for (n, set) in p.node_set.iter_mut().enumerate() {
            if at.cloud.get(n).copied().unwrap_or(false) {
                set.insert(DefenseKind::FederatedLearning);
            }
        }
    }

    fn reshape(&self) -> Option<Reshape> {
        Some(Reshape::Federate {
            update_interval: self.update_interval,
            update_size: self.update_size,
        })
    }
}
