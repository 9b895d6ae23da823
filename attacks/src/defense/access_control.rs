//! `access_control`: Passwords alone (mfa: 0) are the weak baseline; multi-factor authentication
//! multiplies credential theft's and phishing's success by `mfa_factor`; least privilege scales an
//! insider's records per incident by `scope`.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::AccessControl,
    name: "access_control",
    targets: Targets::Nodes,
    cost: "none in the engine (login friction is not modelled)",
    about: "Passwords alone (mfa: 0) are the weak baseline; multi-factor authentication multiplies credential theft's and phishing's success by `mfa_factor`; least privilege scales an insider's records per incident by `scope`.",
    params: &[
        param(
            "mfa",
            Unit::Choice(&["no", "yes"]),
            1.0,
            "yes",
            "whether a second factor is required",
            "§E: no quantitative effect in the reviews; modelled as a multiplier",
        ),
        param(
            "mfa_factor",
            Unit::Probability,
            0.001,
            "0.001",
            "factor on a stolen credential's success when MFA is on",
            "[U] Microsoft Security (2019): MFA blocks 99.9 % of automated account attacks",
        ),
        param(
            "scope",
            Unit::Probability,
            1.0,
            "1",
            "share of records an insider can reach (least privilege)",
            U,
        ),
    ],
    cipher: None,
};

/// Authentication and least privilege on the targeted services.
#[derive(Debug)]
pub(crate) struct Model {
    /// Whether a second factor is required.
    mfa: bool,
    /// Factor on a stolen credential's success with MFA.
    mfa_factor: f64,
    /// Share of records an insider reaches.
    scope: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            mfa: p.word("mfa") == "yes",
            mfa_factor: p.num("mfa_factor"),
            scope: p.num("scope"),
        }
    }
}

impl DefenseModel for Model {
    fn deploy(&self, at: &Places<'_>, p: &mut Protection) {
        for n in at.nodes() {
            if self.mfa {
                p.mfa_factor[n] = self.mfa_factor;
            }
            p.scope[n] = self.scope;
        }
    }
}
