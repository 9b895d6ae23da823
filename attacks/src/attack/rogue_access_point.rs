//! `rogue_access_point`: Each targeted link's sender associates with the attacker's access point
//! with a probability; the rogue AP ends the link's encryption, so it reads everything and alters
//! some, unless protection is end to end. Mutual authentication refuses the association.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::RogueAccessPoint,
    name: "rogue_access_point",
    layer: Layers::CROSS,
    stride: "Spoofing, Information disclosure",
    attack_id: "Mobile T1465 Rogue Wi-Fi Access Points",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Links,
    makes: Some(Origin::Tampered),
    moves: "records_exposed, records_tampered_accepted",
    about: "Each targeted link's sender associates with the attacker's access point with a probability; the rogue AP ends the link's encryption, so it reads everything and alters some, unless protection is end to end. Mutual authentication refuses the association.",
    params: &[
        param(
            "association_probability",
            Unit::Probability,
            0.3,
            "0.3",
            "probability a device associates with the rogue AP",
            U,
        ),
        param(
            "modification_probability",
            Unit::Probability,
            0.0,
            "0",
            "probability a relayed packet is altered",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// A rogue access point the devices on the targeted links may associate with.
#[derive(Debug)]
pub(crate) struct Model {
    /// Probability a device associates with it.
    association_probability: f64,
    /// Probability a relayed packet is altered.
    modification_probability: f64,
    /// Per link: associated with the rogue access point.
    associated: Vec<bool>,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            association_probability: p.num("association_probability"),
            modification_probability: p.num("modification_probability"),
            associated: Vec::new(),
        }
    }
}

impl AttackModel for Model {
    /// Each targeted link's device (its lower-layer end) associates with probability
    /// `association_probability`, unless it has a key and a defense preventing the attack
    /// (it checks the network first).
    fn prepare(&mut self, net: &Network, _spec: &AttackSpec) {
        self.associated = vec![false; net.link_ends.len()];
    }

    fn open(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, _acts: &mut Actions) {
        for k in 0..l.attacks[i].spec.links.len() {
            let link = l.attacks[i].spec.links[k];
            let u: f64 = l.attacks[i].rng.random();
            let (a, b) = l.net.link_ends[link.index()];
            let device = if l.net.layer[a.index()] <= l.net.layer[b.index()] {
                a
            } else {
                b
            };
            let refuses = l.protection.authenticated(device, now)
                && l.masks.prevents(
                    AttackKind::RogueAccessPoint,
                    l.protection.node_set[device.index()],
                );
            if u < self.association_probability && !refuses {
                self.associated[link.index()] = true;
                l.attacks[i].act(now);
            }
        }
    }

    /// It is the link's other end: what it relays is read unless protected beyond the link,
    /// and altered with `modification_probability`.
    fn on_transmit(&mut self, a: &mut AttackState, _i: usize, h: &mut Hop<'_>, _acts: &mut Actions) {
        if !(self.associated.get(h.link).copied().unwrap_or(false) && h.own) {
            return;
        }
        let u: f64 = a.draws(h).random();
        a.act(h.tx.now);
        h.intercepted += 1;
        let present = h.beyond_link();
        h.expose_unless(AttackKind::RogueAccessPoint, present);
        if u < self.modification_probability && h.fate == Fate::Forward {
            h.fate = Fate::Tamper;
        }
    }
}
