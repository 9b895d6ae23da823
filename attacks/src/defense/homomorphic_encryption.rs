//! `homomorphic_encryption`: Cloud analytics on the targeted groups run on ciphertext: a breach
//! there (exfiltration, intrusion, insider, ransomware) exposes no records, at a compute cost.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::HomomorphicEncryption,
    name: "homomorphic_encryption",
    targets: Targets::Nodes,
    cost: "service time at the targeted groups multiplied by `compute_factor`",
    about: "Cloud analytics on the targeted groups run on ciphertext: a breach there (exfiltration, intrusion, insider, ransomware) exposes no records, at a compute cost.",
    params: &[param(
        "compute_factor",
        Unit::Factor,
        100.0,
        "100",
        "multiplier on the service time",
        U,
    )],
    cipher: None,
};

/// Analytics on ciphertext at the targeted groups: no records there to expose (the rule
/// table), at a compute cost the scenario builder applies to their stations.
#[derive(Debug)]
pub(crate) struct Model {
    /// Multiplier on the service time.
    compute_factor: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            compute_factor: p.num("compute_factor"),
        }
    }
}

impl DefenseModel for Model {
    fn reshape(&self) -> Option<Reshape> {
        Some(Reshape::ScaleService {
            factor: self.compute_factor,
        })
    }
}
