//! `ddos_ingestion`: A flood aimed at the cloud's ingestion service: the flood model with a
//! botnet's default rate.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::DdosIngestion,
    name: "ddos_ingestion",
    layer: Layers::CLOUD,
    stride: "Denial of service",
    attack_id: "Enterprise T1498 Network Denial of Service",
    precondition: Precondition::Network,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::NodesFrom,
    makes: Some(Origin::Flood),
    moves: "lost_buffer, latency_ms, deadline_misses, monitoring_hours_lost",
    about: "A flood aimed at the cloud's ingestion service: the flood model with a botnet's default rate.",
    params: &super::flood::params(
        10_000.0,
        "10000/s",
        "§D: CICIoMT2024 DDoS classes (Dadkhah 2024); rate [U]",
    ),
};

/// The same process as [`super::flood`]: bots sending Poisson attack traffic, aimed at the
/// cloud's ingestion services.
pub(crate) type Model = super::flood::Model;
