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

/// Phishing e-mails reaching the targeted services' staff.
#[derive(Debug)]
pub(crate) struct Model {
    /// E-mails per second.
    email_rate: f64,
    /// Probability an e-mail yields credentials.
    click_probability: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            email_rate: p.num("email_rate"),
            click_probability: p.num("click_probability"),
        }
    }
}

impl AttackModel for Model {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.email_rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let p = self.click_probability;
        attempt(l, i, AttackKind::Phishing, p, now, acts);
    }
}
