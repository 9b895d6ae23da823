//! `sybil`: A compromised node (`from`, or `after:`) claims many identities of the targeted groups
//! and sends readings under each; it holds valid link keys, so only per-device authentication
//! (mutual authentication, end-to-end MAC) rejects them.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Sybil,
    name: "sybil",
    layer: Layers::NETWORK,
    stride: "Spoofing",
    attack_id: "Enterprise T1036 Masquerading",
    precondition: Precondition::Foothold,
    grants: Privilege::None,
    requires: Privilege::Admin,
    targets: Targets::NodesFrom,
    makes: Some(Origin::Forged),
    moves: "records_tampered_accepted",
    about: "A compromised node (`from`, or `after:`) claims many identities of the targeted groups and sends readings under each; it holds valid link keys, so only per-device authentication (mutual authentication, end-to-end MAC) rejects them.",
    params: &[
        param(
            "identities",
            Unit::Count,
            10.0,
            "10",
            "forged identities",
            "§D: Sybil named as a BAN routing threat, no figures; [U]",
        ),
        param(
            "rate",
            Unit::PerSecond,
            0.1,
            "0.1/s",
            "readings per second per identity",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// A compromised node claiming the targeted devices' identities.
#[derive(Debug)]
pub(crate) struct Model {
    /// Forged identities.
    identities: f64,
    /// Readings per second per identity.
    rate: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            identities: p.num("identities"),
            rate: p.num("rate"),
        }
    }
}

impl AttackModel for Model {
    fn footholds(&self) -> Footholds {
        Footholds::Chained
    }

    fn anywhere(&self) -> bool {
        true
    }

    /// `identities × rate` readings per second in all.
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.identities * self.rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let a = &mut l.attacks[i];
        let entries = match a.spec.after {
            Some(_) => a.held.len(),
            None => a.spec.from.len(),
        };
        let Some((e, c)) = a.next_pair(entries, a.spec.targets.len()) else {
            return;
        };
        let entry = match a.spec.after {
            Some(_) => a.held[e],
            None => a.spec.from[e],
        };
        let identity = a.spec.targets[c];
        let Some(src) = l.net.first_source(identity) else {
            return;
        };
        l.attacks[i].act(now);
        let present = l.protection.over_the_air(None, identity, now);
        let forged = Forgery {
            by: AttackKind::Sybil,
            src,
            entry,
            dst: None,
            air: None,
            present,
        };
        if l.forge(forged, now, acts) {
            l.attacks[i].injected += 1;
        }
    }
}
