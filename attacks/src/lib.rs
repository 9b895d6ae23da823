//! # attacks — what threatens an IoMT deployment and what protects it
//!
//! Attack models and defense models, and the rules by which they meet, written once in
//! [`rules`]. The [`catalogue`] lists every kind with its threat tags and parameters (defaults
//! and sources); [`spec`] holds a scenario's configured attacks and defenses; the
//! [`security::SecurityLayer`] plugs them into the engine as its [`sim_core::Hooks`]: it sees
//! every packet crossing every link, prices its protection (bytes on the wire, CPU cycles),
//! decides its fate (jammed, altered, rejected) and counts what each attack achieves.

#![warn(missing_docs)]

pub mod catalogue;
pub mod cipher;
pub mod network;
pub mod protection;
pub mod ransomware;
pub mod rules;
pub mod security;
pub mod spec;

pub use catalogue::{AttackKind, DefenseKind, Params};
pub use cipher::CipherCost;
pub use security::{SecurityLayer, SecuritySpec};
pub use spec::{AttackSpec, DefenseSpec};

/// When an attack is active: from `start`, for `duration` (`None`: until the end of the run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveWindow {
    /// First instant the attack acts.
    pub start: sim_core::SimTime,
    /// How long it acts; `None` is until the end of the run.
    pub duration: Option<sim_core::SimTime>,
}

impl ActiveWindow {
    /// Active for the whole run.
    pub const ALWAYS: ActiveWindow = ActiveWindow {
        start: sim_core::SimTime::ZERO,
        duration: None,
    };

    /// Whether the attack acts at `now`: `start ≤ now < start + duration`.
    #[inline]
    pub fn contains(&self, now: sim_core::SimTime) -> bool {
        now >= self.start
            && self
                .duration
                .is_none_or(|d| now < self.start.saturating_add(d))
    }

    /// The first instant after the window, if it ends.
    pub fn end(&self) -> Option<sim_core::SimTime> {
        self.duration.map(|d| self.start.saturating_add(d))
    }
}
