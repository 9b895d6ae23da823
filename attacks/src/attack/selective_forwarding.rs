//! `selective_forwarding`: A compromised relay silently drops packets it should forward, each with
//! a probability (packets it originates itself pass).

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::SelectiveForwarding,
    name: "selective_forwarding",
    layer: Layers::NETWORK,
    stride: "Denial of service",
    attack_id: "ICS T0803 Block Command Message",
    precondition: Precondition::Foothold,
    grants: Privilege::None,
    requires: Privilege::Admin,
    targets: Targets::Nodes,
    makes: None,
    moves: "lost_attack, deadline_misses, monitoring_hours_lost",
    about: "A compromised relay silently drops packets it should forward, each with a probability (packets it originates itself pass).",
    params: &[param(
        "drop_probability",
        Unit::Probability,
        0.5,
        "0.5",
        "probability a transit packet is dropped",
        "§D: no figures; use 0.5–1.0 as a sweep range [U]",
    ),
        RETRY_AFTER,
    ],
};

/// A compromised relay dropping a share of what it forwards.
#[derive(Debug)]
pub(crate) struct Model {
    /// Probability a transit packet is dropped.
    drop_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            drop_probability: p.num("drop_probability"),
        }
    }
}

impl AttackModel for Model {
    fn footholds(&self) -> Footholds {
        Footholds::Targets
    }

    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        self.withhold(a, h);
    }
}

impl Model {
    /// A relay held by the attack `a` forwarding the deployment's own packet on hop `h` drops
    /// it with `drop_probability` (one draw per such packet): `Some(true)` if dropped,
    /// `Some(false)` if passed on, `None` if the hop is not such a forwarding.
    pub(crate) fn withhold(&self, a: &mut AttackState, h: &mut Hop<'_>) -> Option<bool> {
        if !(a.holds[h.tx.from.index()] && h.transit && h.own) {
            return None;
        }
        let u: f64 = a.draws(h).random();
        a.act(h.tx.now);
        let dropped = u < self.drop_probability;
        if dropped {
            h.fate = Fate::Withheld;
        }
        Some(dropped)
    }
}
