//! `sinkhole`: A compromised node advertises a false low cost on its links, attracting routes, then
//! drops transit packets with a probability and reads the rest unless end-to-end encrypted.
//! Authenticated routing (mutual authentication) refuses the false advertisement.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Sinkhole,
    name: "sinkhole",
    layer: Layers::NETWORK,
    stride: "Tampering, Denial of service",
    attack_id: "ICS T0830 Adversary-in-the-Middle",
    precondition: Precondition::Foothold,
    grants: Privilege::None,
    requires: Privilege::Admin,
    targets: Targets::Nodes,
    makes: None,
    moves: "lost_attack, records_exposed, monitoring_hours_lost",
    about: "A compromised node advertises a false low cost on its links, attracting routes, then drops transit packets with a probability and reads the rest unless end-to-end encrypted. Authenticated routing (mutual authentication) refuses the false advertisement.",
    params: &[param(
        "drop_probability",
        Unit::Probability,
        1.0,
        "1",
        "probability an attracted packet is dropped",
        "§D: no figures; use 0.5–1.0 as a sweep range [U]",
    ),
        RETRY_AFTER,
    ],
};

/// A compromised node attracting routes with a false low cost, then forwarding what it
/// attracts as a selective forwarder does (`drop_probability`).
#[derive(Debug)]
pub(crate) struct Model {
    /// What it does with the packets it relays.
    forwarding: super::selective_forwarding::Model,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            forwarding: super::selective_forwarding::Model::new(p),
        }
    }
}

impl AttackModel for Model {
    fn footholds(&self) -> Footholds {
        Footholds::Targets
    }

    /// The held node advertises a false low cost on its links; a link whose other end has a
    /// key and a defense preventing the attack refuses it.
    fn engage(
        &mut self,
        l: &mut SecurityLayer,
        _i: usize,
        node: NodeId,
        _now: SimTime,
        acts: &mut Actions,
    ) {
        for &(link, other) in &l.net.neighbours[node.index()] {
            let mut present = l.protection.node_set[other.index()];
            if !l.protection.authenticated(other, SimTime::ZERO) {
                present = DefenseSet::EMPTY;
            }
            if !l.masks.prevents(AttackKind::Sinkhole, present) {
                acts.push(Action::Route {
                    link,
                    weight: RouteWeight::Attract,
                });
            }
        }
    }

    fn close(&mut self, l: &mut SecurityLayer, i: usize, acts: &mut Actions) {
        for &n in &l.attacks[i].held {
            for &(link, _) in &l.net.neighbours[n.index()] {
                acts.push(Action::Route {
                    link,
                    weight: RouteWeight::Normal,
                });
            }
        }
    }

    /// Transit packets through a held node are dropped with `drop_probability`; the rest are
    /// read unless a defense protecting them reduces the attack.
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        let passed = self.forwarding.withhold(a, h);
        if passed == Some(false) && !h.masks.reduces(AttackKind::Sinkhole, h.defended) {
            h.exposed = h.exposed.max(h.packet().records);
        }
    }
}
