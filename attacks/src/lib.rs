//! # attacks — what threatens an IoMT deployment and what protects it
//!
//! Attack models and defense models, and the rules by which they meet, written once in
//! [`rules`]. The [`security::SecurityLayer`] gathers a scenario's attacks and defenses and plugs
//! into the engine as its [`sim_core::Hooks`]: it sees every packet crossing every link, prices
//! its protection (bytes on the wire, CPU cycles) and counts what each attack achieves.
//!
//! Models so far:
//! - [`eavesdrop`] — a passive listener on chosen links (sensing / network layer, STRIDE
//!   Information disclosure);
//! - [`link_encryption`] — authenticated encryption on chosen links, priced from the cipher's
//!   measured cycles per byte.

#![warn(missing_docs)]

pub mod eavesdrop;
pub mod link_encryption;
pub mod rules;
pub mod security;

pub use eavesdrop::Eavesdropper;
pub use link_encryption::{CipherCost, LinkEncryption};
pub use security::{SecurityLayer, SecuritySpec};

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
}
