//! `ddos_ingestion`: A flood aimed at the cloud's ingestion service: the flood model with a
//! botnet's default rate.

use super::prelude::*;

/// The catalogue entry: [`super::flood`]'s (STRIDE, ATT&CK, preconditions, targets, what it
/// moves), aimed at the cloud layer with a botnet's default rate.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::DdosIngestion,
    name: "ddos_ingestion",
    layer: Layers::CLOUD,
    about: "A flood aimed at the cloud's ingestion service: the flood model with a botnet's default rate.",
    params: &super::flood::params(
        10_000.0,
        "10000/s",
        "§D: CICIoMT2024 DDoS classes (Dadkhah 2024); rate [U]",
    ),
    ..super::flood::INFO
};

/// The same process as [`super::flood`]: bots sending Poisson attack traffic, aimed at the
/// cloud's ingestion services.
pub(crate) type Model = super::flood::Model;
