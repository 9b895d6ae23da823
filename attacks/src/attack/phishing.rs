//! `phishing`: Phishing e-mails reach staff at a rate; each is clicked with a probability and
//! yields credentials (times the MFA factor) to the targeted services: a user-level foothold.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Phishing,
    name: "phishing",
    layer: Layers::CLOUD,
    stride: "Spoofing",
    attack_id: "Enterprise T1566 Phishing",
    precondition: Precondition::Network,
    grants: Privilege::User,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: None,
    moves: "compromised_nodes_max, time_to_first_compromise_s",
    about: "Phishing e-mails reach staff at a rate; each is clicked with a probability and yields credentials (times the MFA factor) to the targeted services: a user-level foothold.",
    params: &[
        param(
            "email_rate",
            Unit::PerSecond,
            1.0 / 86_400.0,
            "1/d",
            "phishing e-mails reaching staff per second",
            U,
        ),
        param(
            "click_probability",
            Unit::Probability,
            0.1,
            "0.1",
            "probability an e-mail yields credentials",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// Phishing e-mails reaching the targeted services' staff: each clicked one yields credentials.
#[derive(Debug)]
pub(crate) struct Phishing;

impl AttemptKind for Phishing {
    const KIND: AttackKind = AttackKind::Phishing;
    const RATE: &'static str = "email_rate";
    const SUCCESS: &'static str = "click_probability";
}

/// The model: attempts at `email_rate`, each succeeding with `click_probability`.
pub(crate) type Model = Attempts<Phishing>;
