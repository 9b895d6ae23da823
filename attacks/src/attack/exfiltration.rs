//! `exfiltration`: From each foothold on a targeted node, records leave at a rate until an IDS
//! detects it or the node is isolated. Homomorphic encryption leaves only ciphertext to take;
//! federated learning leaves no raw records in the cloud.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Exfiltration,
    name: "exfiltration",
    layer: Layers::CLOUD,
    stride: "Information disclosure",
    attack_id: "Enterprise T1041 Exfiltration Over C2 Channel",
    precondition: Precondition::Foothold,
    grants: Privilege::None,
    requires: Privilege::User,
    targets: Targets::Nodes,
    makes: None,
    moves: "records_exposed, breach_cost_usd",
    about: "From each foothold on a targeted node, records leave at a rate until an IDS detects it or the node is isolated. Homomorphic encryption leaves only ciphertext to take; federated learning leaves no raw records in the cloud.",
    params: &[param(
        "records_rate",
        Unit::PerSecond,
        1.0,
        "1/s",
        "records taken per second from one foothold",
        "§F: breaches of 2,100–113,000 records (2024); rate [U]",
    ),
        RETRY_AFTER,
    ],
};

/// Records leaving from held nodes at a rate.
#[derive(Debug)]
pub(crate) struct Model {
    /// Records per second per foothold.
    records_rate: f64,
    /// Footholds records are leaving from.
    exfiltrating: Vec<NodeId>,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            records_rate: p.num("records_rate"),
            exfiltrating: Vec::new(),
        }
    }
}

impl AttackModel for Model {
    fn footholds(&self) -> Footholds {
        Footholds::Targets
    }

    fn ticks(&self) -> bool {
        true
    }

    fn engage(
        &mut self,
        _l: &mut SecurityLayer,
        _i: usize,
        node: NodeId,
        _now: SimTime,
        _acts: &mut Actions,
    ) {
        self.exfiltrating.push(node);
    }

    /// `records_rate × secs` records per foothold, unless a defense there prevents the attack.
    fn tick(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, secs: f64, _acts: &mut Actions) {
        for &n in &self.exfiltrating {
            l.attacks[i].act(now);
            let present = l.protection.node_set[n.index()];
            if !l.masks.prevents(AttackKind::Exfiltration, present) {
                l.expose(now, n, self.records_rate * secs);
            }
        }
    }

    fn release(&mut self) {
        self.exfiltrating.clear();
    }
}
