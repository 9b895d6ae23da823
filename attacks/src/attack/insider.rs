//! `insider`: A member of staff with a legitimate account misuses it in incidents at a rate, each
//! exposing a number of records (scaled by access control's least-privilege scope); an audit log
//! reveals each incident after its commit latency and ends the misuse.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Insider,
    name: "insider",
    layer: Layers::CLOUD,
    stride: "Information disclosure",
    attack_id: "Enterprise T1078 Valid Accounts (misuse)",
    precondition: Precondition::Account,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: None,
    moves: "records_exposed, breach_cost_usd",
    about: "A member of staff with a legitimate account misuses it in incidents at a rate, each exposing a number of records (scaled by access control's least-privilege scope); an audit log reveals each incident after its commit latency and ends the misuse.",
    params: &[
        param(
            "incident_rate",
            Unit::PerSecond,
            1.0 / 604_800.0,
            "1/w",
            "misuse incidents per second",
            "§D: internal actors caused 70 % of healthcare breaches (DBIR 2024); rate [U]",
        ),
        param(
            "records_per_incident",
            Unit::Count,
            4209.0,
            "4209",
            "records exposed by one incident",
            "§F: median US healthcare breach, 4,209 records (HIPAA Journal, Jan–Jul 2023)",
        ),
        RETRY_AFTER,
    ],
};

/// A member of staff misusing a legitimate account.
#[derive(Debug)]
pub(crate) struct Model {
    /// Misuse incidents per second.
    incident_rate: f64,
    /// Records exposed by one incident.
    records_per_incident: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            incident_rate: p.num("incident_rate"),
            records_per_incident: p.num("records_per_incident"),
        }
    }
}

impl AttackModel for Model {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.incident_rate)
    }

    /// One incident on the next targeted node: `records_per_incident × scope` records exposed
    /// unless a defense there prevents the attack; an audit ledger there finds it.
    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let Some(node) = l.attacks[i].next_target() else {
            return;
        };
        l.attacks[i].act(now);
        let present = l.protection.node_set[node.index()];
        let records = if l.masks.prevents(AttackKind::Insider, present) {
            0.0
        } else {
            self.records_per_incident * l.protection.scope[node.index()]
        };
        l.expose(now, node, records);
        audit_log::detects(l, i, node, now, acts);
    }
}
