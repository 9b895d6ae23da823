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
/// the other: each claims the device's first source and goes over its first link to the hub
/// there.
#[derive(Debug)]
pub(crate) struct Spoofing;

impl ForgeryKind for Spoofing {
    const KIND: AttackKind = AttackKind::Spoofing;

    fn aim(net: &Network, device: NodeId) -> Option<Aim> {
        let src = net.first_source(device)?;
        let (link, hub) = net.first_link(device)?;
        Some(Aim {
            src,
            entry: hub,
            dst: None,
            air: Some(link),
        })
    }
}

/// The model: forged readings at `rate`.
pub(crate) type Model = ForgedArrivals<Spoofing>;
