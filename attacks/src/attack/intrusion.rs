//! `intrusion`: Injection attempts against the targeted services at a rate, each finding a
//! vulnerability with a probability; a success is an admin-level foothold from which stored records
//! are altered at a rate until detected.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Intrusion,
    name: "intrusion",
    layer: Layers::CLOUD,
    stride: "Tampering, Elevation of privilege",
    attack_id: "Enterprise T1190 Exploit Public-Facing Application",
    precondition: Precondition::Network,
    grants: Privilege::Admin,
    requires: Privilege::None,
    targets: Targets::Nodes,
    makes: None,
    moves: "compromised_nodes_max, time_to_first_compromise_s, records_tampered_accepted",
    about: "Injection attempts against the targeted services at a rate, each finding a vulnerability with a probability; a success is an admin-level foothold from which stored records are altered at a rate until detected.",
    params: &[
        param(
            "attempt_rate",
            Unit::PerSecond,
            1.0 / 3600.0,
            "1/h",
            "injection attempts per second",
            U,
        ),
        param(
            "vulnerability_probability",
            Unit::Probability,
            0.01,
            "0.01",
            "probability one attempt finds an exploitable flaw",
            "§D: web/SQL injection; basic web attacks, errors and intrusion = 76 % of healthcare breaches (DBIR 2022); value [U]",
        ),
        param(
            "tamper_rate",
            Unit::PerSecond,
            1.0 / 60.0,
            "1/min",
            "stored records altered per second once in",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// Injection attempts on the targeted services, then tampering with stored records.
#[derive(Debug)]
pub(crate) struct Model {
    /// Attempts per second.
    attempt_rate: f64,
    /// Probability one attempt finds an exploitable flaw.
    vulnerability_probability: f64,
    /// Stored records altered per second once in.
    tamper_rate: f64,
    /// Whether the tampering process is under way.
    tampering: bool,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            attempt_rate: p.num("attempt_rate"),
            vulnerability_probability: p.num("vulnerability_probability"),
            tamper_rate: p.num("tamper_rate"),
            tampering: false,
        }
    }

    fn next_tamper(&self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        if let Some(gap) = l.attacks[i].gap(self.tamper_rate) {
            acts.timer(
                now.saturating_add(gap),
                Timer::own(i, TamperRecord).token(),
            );
        }
    }
}

/// Its timer: a stored record is altered from its footholds.
#[derive(Clone, Copy, Debug)]
struct TamperRecord;

impl OwnTimer for TamperRecord {
    fn pack(self) -> ModelTimer {
        ModelTimer {
            what: 0,
            payload: 0,
        }
    }
    fn unpack(t: ModelTimer) -> Option<Self> {
        (t.what == 0).then_some(TamperRecord)
    }
}

impl AttackModel for Model {
    fn arrival_rate(&self) -> Option<f64> {
        Some(self.attempt_rate)
    }

    fn arrive(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let p = self.vulnerability_probability;
        if attempt(l, i, AttackKind::Intrusion, p, now, acts) && !self.tampering {
            self.tampering = true;
            self.next_tamper(l, i, now, acts);
        }
    }

    /// One stored record altered per held node; an audit ledger there finds it.
    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        i: usize,
        t: ModelTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        if TamperRecord::unpack(t).is_none() || !l.attacks[i].live(now) {
            return;
        }
        self.next_tamper(l, i, now, acts);
        for k in 0..l.attacks[i].held.len() {
            let n = l.attacks[i].held[k];
            if now >= l.warmup {
                l.m.stored_altered(n);
            }
            audit_log::detects(l, i, n, now, acts);
        }
    }
}
