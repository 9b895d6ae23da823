//! `credential_theft`: Login attempts on the targeted services at a rate, each succeeding with a
//! probability (multiplied by the MFA factor under access control with MFA); a success is a
//! user-level foothold on one targeted node.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::CredentialTheft,
    name: "credential_theft",
    layer: Layers::CLOUD,
    stride: "Spoofing, Elevation of privilege",
    attack_id: "Enterprise T1078 Valid Accounts",
    precondition: Precondition::Network,
    grants: Privilege::User,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: None,
    moves: "compromised_nodes_max, time_to_first_compromise_s",
    about: "Login attempts on the targeted services at a rate, each succeeding with a probability (multiplied by the MFA factor under access control with MFA); a success is a user-level foothold on one targeted node.",
    params: &[
        param(
            "attempt_rate",
            Unit::PerSecond,
            1.0 / 3600.0,
            "1/h",
            "login attempts per second",
            U,
        ),
        param(
            "success_probability",
            Unit::Probability,
            0.05,
            "0.05",
            "probability one attempt succeeds (reused or weak passwords)",
            "§D: credential theft, success probability named; value [U]",
        ),
        RETRY_AFTER,
    ],
};

/// Login attempts on the targeted services.
#[derive(Debug)]
pub(crate) struct Model {
    /// Login attempts per second.
    attempt_rate: f64,
    /// Probability one attempt succeeds.
    success_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            attempt_rate: p.num("attempt_rate"),
            success_probability: p.num("success_probability"),
        }
    }
}

impl AttackModel for Model {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.attempt_rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let p = self.success_probability;
        attempt(l, i, AttackKind::CredentialTheft, p, now, acts);
    }
}
