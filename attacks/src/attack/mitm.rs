//! `mitm`: An attacker on the targeted links (or, with `after:`, on the nodes it compromised)
//! intercepts packets and alters some: a link MAC rejects alterations made on the link, only
//! end-to-end protection rejects those made on a compromised node.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Mitm,
    name: "mitm",
    layer: Layers::NETWORK,
    stride: "Tampering, Information disclosure",
    attack_id: "Enterprise T1557 Adversary-in-the-Middle",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::Admin,
    targets: Targets::Links,
    makes: Some(Origin::Tampered),
    moves: "records_tampered_accepted, records_exposed, unsafe_commands_executed",
    about: "An attacker on the targeted links (or, with `after:`, on the nodes it compromised) intercepts packets and alters some: a link MAC rejects alterations made on the link, only end-to-end protection rejects those made on a compromised node.",
    params: &[
        param(
            "interception_probability",
            Unit::Probability,
            1.0,
            "1",
            "probability a packet passes through the attacker",
            "§D: WUSTL-EHMS-2020 MITM spoofing and alteration testbed (Hady 2020)",
        ),
        param(
            "modification_probability",
            Unit::Probability,
            0.1,
            "0.1",
            "probability an intercepted packet is altered",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// An attacker in the path: on the targeted links, or on the nodes the attack it follows
/// compromised.
#[derive(Debug)]
pub(crate) struct Model {
    /// Probability a packet passes through the attacker.
    interception_probability: f64,
    /// Probability an intercepted packet is altered.
    modification_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            interception_probability: p.num("interception_probability"),
            modification_probability: p.num("modification_probability"),
        }
    }
}

impl AttackModel for Model {
    fn footholds(&self) -> Footholds {
        Footholds::Chained
    }

    /// Captures expose the records unless a defense protecting the packet prevents the attack
    /// (on a compromised node, only what protects it beyond the link: the node holds the link
    /// keys); an alteration made on the link is rejected by its receiver when a defense on the
    /// link stops the attack, and otherwise travels on as tampered.
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        let on_link = a.link_targeted[h.link];
        if !((on_link || a.holds[h.tx.from.index()]) && h.own) {
            return;
        }
        let mut r = a.draws(h);
        let (u1, u2): (f64, f64) = (r.random(), r.random());
        if u1 >= self.interception_probability {
            return;
        }
        a.act(h.tx.now);
        h.intercepted += 1;
        let present = if on_link {
            h.defended
        } else {
            h.beyond_link()
        };
        h.expose_unless(AttackKind::Mitm, present);
        if u2 < self.modification_probability && h.fate == Fate::Forward {
            let checked = on_link && h.link_stops(AttackKind::Mitm);
            h.fate = if checked { Fate::Rejected } else { Fate::Tamper };
        }
    }
}
