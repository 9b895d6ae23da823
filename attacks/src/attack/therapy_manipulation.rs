//! `therapy_manipulation`: Forged commands reach the targeted actuators (pumps, implants) at a
//! rate; an actuator carries one out unless it authenticates its commands (a MAC on its link,
//! end-to-end protection, or mutual authentication).

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::TherapyManipulation,
    name: "therapy_manipulation",
    layer: Layers::CROSS,
    stride: "Tampering, Elevation of privilege",
    attack_id: "ICS T0831 Manipulation of Control",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: Some(Origin::Forged),
    moves: "unsafe_commands_executed",
    about: "Forged commands reach the targeted actuators (pumps, implants) at a rate; an actuator carries one out unless it authenticates its commands (a MAC on its link, end-to-end protection, or mutual authentication).",
    params: &[param(
        "rate",
        Unit::PerSecond,
        1.0 / 3600.0,
        "1/h",
        "forged commands per second, over all targeted actuators",
        "§D: replayed ICD commands changed therapies (Halperin 2008); insulin pump (Radcliffe 2011); rate [U]",
    ),
        RETRY_AFTER,
    ],
};

/// A forged controller sending commands to the targeted actuators, one after the other.
#[derive(Debug)]
pub(crate) struct Model {
    /// Forged commands per second.
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

    /// A command imitating the actuator's command stream (or its own, or the first stream),
    /// sent over the air to it.
    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let Some(actuator) = l.attacks[i].next_target() else {
            return;
        };
        let src = l.net.inbound_source[actuator.index()]
            .or(l.net.first_source[actuator.index()])
            .or((!l.net.sources.is_empty()).then_some(SourceId(0)));
        let Some(src) = src else {
            return;
        };
        l.attacks[i].act(now);
        let air = l.net.first_link(actuator).map(|(link, _)| link);
        let present = l.protection.over_the_air(air, actuator, now);
        let forged = Forgery {
            by: AttackKind::TherapyManipulation,
            src,
            entry: actuator,
            dst: Some(actuator),
            air,
            present,
        };
        if l.forge(forged, now, acts) {
            l.attacks[i].injected += 1;
        }
    }
}
