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

/// Login attempts on the targeted services: each successful one is a foothold.
#[derive(Debug)]
pub(crate) struct CredentialTheft;

impl AttemptKind for CredentialTheft {
    const KIND: AttackKind = AttackKind::CredentialTheft;
    const RATE: &'static str = "attempt_rate";
    const SUCCESS: &'static str = "success_probability";
}

/// The model: attempts at `attempt_rate`, each succeeding with `success_probability`.
pub(crate) type Model = Attempts<CredentialTheft>;
