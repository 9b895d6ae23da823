//! Eavesdropping: a passive radio listener (an SDR within range of a BAN, a sniffer on a Wi-Fi
//! segment) on chosen links. Halperin et al. (IEEE S&P 2008) read an ICD's cleartext telemetry
//! with under $1000 of equipment.
//!
//! # Model
//!
//! While active, the listener captures each packet crossing a targeted link with probability
//! `capture_probability` (range, antenna, channel hopping all folded into one number), drawn
//! from the attack's own random stream. A captured packet exposes its clinical records unless
//! the rule table says the link's protection stops it ([`crate::rules::eavesdrop_exposes`]).
//! Each record is counted once per capture: a record captured on two links counts twice, as
//! two copies in the attacker's hands. Threat tags: STRIDE Information disclosure; MITRE ATT&CK
//! for ICS T0842 (Network Sniffing).

use crate::ActiveWindow;
use sim_core::rng::Stream;
use sim_core::{LinkId, SimTime};

/// A configured eavesdropper.
#[derive(Clone, Debug)]
pub struct Eavesdropper {
    /// The attack's name in the scenario; names its random stream.
    pub name: String,
    /// The links it listens to.
    pub links: Vec<LinkId>,
    /// When it listens.
    pub window: ActiveWindow,
    /// Probability of capturing one packet on a targeted link, in [0, 1].
    pub capture_probability: f64,
}

/// An eavesdropper during a run.
#[derive(Debug)]
pub struct EavesdropState {
    /// Its configuration.
    pub spec: Eavesdropper,
    /// `listens[link]`: whether it targets that link.
    pub listens: Vec<bool>,
    /// Its random stream.
    pub rng: Stream,
}

impl EavesdropState {
    /// Prepares `spec` for a run with `link_count` links under replication seed `seed`.
    pub fn new(spec: Eavesdropper, link_count: usize, seed: u64) -> Self {
        let mut listens = vec![false; link_count];
        for l in &spec.links {
            if let Some(x) = listens.get_mut(l.index()) {
                *x = true;
            }
        }
        let rng = sim_core::rng::stream(seed, &format!("attack:{}", spec.name));
        EavesdropState { spec, listens, rng }
    }

    /// Whether it captures a packet crossing `link` at `now` (draws from its stream only when
    /// the link is targeted and the attack active).
    #[inline]
    pub fn captures(&mut self, link: LinkId, now: SimTime) -> bool {
        self.listens.get(link.index()).copied().unwrap_or(false)
            && self.spec.window.contains(now)
            && sim_core::dist::bernoulli(&mut self.rng, self.spec.capture_probability)
    }
}
