//! `spoofing`: A radio near the targeted devices sends forged packets under their identity to their
//! destinations; the first receiver that checks a MAC rejects them, otherwise they are accepted as
//! readings (or carried out, if addressed to an actuator).

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Spoofing,
    name: "spoofing",
    layer: Layers::SENSING,
    stride: "Spoofing",
    attack_id: "ICS T0856 Spoof Reporting Message",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: Some(Origin::Forged),
    moves: "records_tampered_accepted, unsafe_commands_executed",
    about: "A radio near the targeted devices sends forged packets under their identity to their destinations; the first receiver that checks a MAC rejects them, otherwise they are accepted as readings (or carried out, if addressed to an actuator).",
    params: &[param(
        "rate",
        Unit::PerSecond,
        0.1,
        "0.1/s",
        "forged packets per second, over all targeted devices",
        U,
    ),
        RETRY_AFTER,
    ],
};

/// A radio sending forged readings under the targeted devices' identities, one device after
/// the other.
#[derive(Debug)]
pub(crate) struct Model {
    /// Forged packets per second, over all targeted devices.
    rate: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            rate: p.num("rate"),
        }
    }
}

impl AttackModel for Model {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let Some(victim) = l.attacks[i].next_target() else {
            return;
        };
        let (Some(src), Some((link, hub))) = (
            l.net.first_source[victim.index()],
            l.net.first_link(victim),
        ) else {
            return;
        };
        l.attacks[i].act(now);
        let present = l.protection.over_the_air(Some(link), victim, now);
        let forged = Forgery {
            by: AttackKind::Spoofing,
            src,
            entry: hub,
            dst: None,
            air: Some(link),
            present,
        };
        if l.forge(forged, now, acts) {
            l.attacks[i].injected += 1;
        }
    }
}
