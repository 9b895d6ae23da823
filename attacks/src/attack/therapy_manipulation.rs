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

/// A forged controller sending commands to the targeted actuators, one after the other: each
/// imitates the actuator's command stream (or its own, or the first stream) and is sent over
/// the air to it.
#[derive(Debug)]
pub(crate) struct TherapyManipulation;

impl ForgeryKind for TherapyManipulation {
    const KIND: AttackKind = AttackKind::TherapyManipulation;

    fn aim(net: &Network, actuator: NodeId) -> Option<Aim> {
        let src = net.inbound_source(actuator)
            .or(net.first_source(actuator))
            .or((!net.sources.is_empty()).then_some(SourceId(0)))?;
        Some(Aim {
            src,
            entry: actuator,
            dst: Some(actuator),
            air: net.first_link(actuator).map(|(link, _)| link),
        })
    }
}

/// The model: forged commands at `rate`.
pub(crate) type Model = ForgedArrivals<TherapyManipulation>;
