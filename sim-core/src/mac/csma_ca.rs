//! IEEE 802.15.4 unslotted CSMA/CA (radio.md §D1, after ns-3 `lr-wpan-csmaca.cc`):
//!
//! 1. NB = 0, BE = macMinBE;
//! 2. wait a random number of unit backoff periods, uniform over `0 … 2^BE − 1`, then run a
//!    clear-channel assessment (CCA mode 1: busy if the energy on the channel is at or above
//!    the threshold, at most 10 dB above the receiver's sensitivity);
//! 3. idle: turn the radio around and transmit;
//! 4. busy: NB += 1, BE = min(BE + 1, macMaxBE); if NB > macMaxCSMABackoffs the access fails
//!    (`lost_channel_access`), else back to 2.
//!
//! A transmitted frame waits `macAckWaitDuration` for its acknowledgement; without one it is
//! sent again after a new channel access, up to macMaxFrameRetries times, then lost
//! (`lost_retries`).
//!
//! Under light load (the channel always idle) the access delay from the request to the
//! frame's first symbol is one backoff, the CCA and the turnaround, so its mean is
//! [`CsmaCaParams::mean_idle_access_delay`]:
//! `(2^macMinBE − 1)/2 · aUnitBackoffPeriod + T_CCA + aTurnaroundTime`
//! = 3.5 × 320 + 128 + 192 = 1440 µs with the defaults.

use rand::Rng;

use crate::phy::Db;
use crate::rng::Stream;
use crate::time::SimTime;
use crate::units::Bytes;

/// The parameters of 802.15.4 unslotted CSMA/CA and its acknowledgements.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CsmaCaParams {
    /// macMinBE, the first backoff exponent (default 3, radio.md §D1 [V]).
    pub min_be: u8,
    /// macMaxBE, the largest backoff exponent, 3–8 (default 5, radio.md §D1 [V]).
    pub max_be: u8,
    /// macMaxCSMABackoffs, busy CCAs tolerated before the access fails, ≤ 5 (default 4,
    /// radio.md §D1 [V]).
    pub max_backoffs: u8,
    /// macMaxFrameRetries, retransmissions after a missing ACK (default 3, radio.md §D1 [V]).
    pub max_frame_retries: u8,
    /// aUnitBackoffPeriod: 20 symbols = 320 µs (radio.md §D1 [V]/[D]).
    pub unit_backoff: SimTime,
    /// CCA duration: 8 symbols = 128 µs (radio.md §D1 [V]/[D]).
    pub cca: SimTime,
    /// aTurnaroundTime, RX↔TX: 12 symbols = 192 µs (radio.md §C2, §D1 [V]/[D]).
    pub turnaround: SimTime,
    /// macAckWaitDuration: 54 symbols = 864 µs (radio.md §D1 [V] formula, [D] value).
    pub ack_wait: SimTime,
    /// The ACK frame's MAC part (frame control, sequence number, FCS): 5 bytes; the PHY's
    /// SHR and PHR come from the technology's framing (radio.md §D1 [V] framing).
    pub ack_bytes: Bytes,
    /// CCA mode 1 threshold above the receiver's sensitivity: 10 dB (radio.md §D1 [V], the
    /// standard's upper bound).
    pub cca_above_sensitivity: Db,
    /// Whether frames are acknowledged (and so retried). Default on.
    pub acknowledged: bool,
}

impl Default for CsmaCaParams {
    fn default() -> Self {
        CsmaCaParams {
            min_be: 3,
            max_be: 5,
            max_backoffs: 4,
            max_frame_retries: 3,
            unit_backoff: SimTime::from_micros(320),
            cca: SimTime::from_micros(128),
            turnaround: SimTime::from_micros(192),
            ack_wait: SimTime::from_micros(864),
            ack_bytes: Bytes(5),
            cca_above_sensitivity: Db(10.0),
            acknowledged: true,
        }
    }
}

impl CsmaCaParams {
    /// Mean delay from an access request to the frame's first symbol when every CCA finds the
    /// channel idle: `(2^macMinBE − 1)/2 · unit + CCA + turnaround`.
    pub fn mean_idle_access_delay(&self) -> SimTime {
        let slots = ((1u64 << self.min_be) - 1) as f64 / 2.0;
        SimTime::from_secs_f64(slots * self.unit_backoff.as_secs_f64())
            .saturating_add(self.cca)
            .saturating_add(self.turnaround)
    }
}

/// One channel access in progress: the number of busy CCAs so far (NB) and the backoff
/// exponent (BE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsmaCa {
    nb: u8,
    be: u8,
}

impl CsmaCa {
    /// A new access: NB = 0, BE = macMinBE.
    pub fn start(p: &CsmaCaParams) -> CsmaCa {
        CsmaCa {
            nb: 0,
            be: p.min_be.min(p.max_be),
        }
    }

    /// The random backoff before the next CCA: `U{0 … 2^BE − 1}` unit backoff periods.
    pub fn backoff(&self, p: &CsmaCaParams, rng: &mut Stream) -> SimTime {
        let slots = rng.random_range(0..1u64 << self.be);
        SimTime::from_nanos(slots * p.unit_backoff.as_nanos())
    }

    /// The CCA found the channel busy: NB += 1, BE = min(BE + 1, macMaxBE). Returns whether
    /// the access may go on (`false`: NB exceeded macMaxCSMABackoffs, the access failed).
    pub fn busy(&mut self, p: &CsmaCaParams) -> bool {
        self.nb += 1;
        self.be = (self.be + 1).min(p.max_be);
        self.nb <= p.max_backoffs
    }

    /// The busy CCAs so far.
    pub fn backoffs(&self) -> u8 {
        self.nb
    }

    /// The current backoff exponent.
    pub fn exponent(&self) -> u8 {
        self.be
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoffs_are_uniform_over_the_window_and_the_exponent_grows_to_its_cap() {
        let p = CsmaCaParams::default();
        let mut rng = crate::rng::from_u64(5);
        let mut a = CsmaCa::start(&p);
        // BE = 3: 0 … 7 periods of 320 µs, mean 3.5 × 320 = 1120 µs.
        let n = 200_000;
        let mut counts = [0u32; 8];
        for _ in 0..n {
            let b = a.backoff(&p, &mut rng).as_nanos();
            assert_eq!(b % 320_000, 0);
            counts[(b / 320_000) as usize] += 1;
        }
        for c in counts {
            // Each value 1/8; σ = √(n·1/8·7/8) ≈ 148.
            assert!((f64::from(c) - n as f64 / 8.0).abs() < 600.0, "{counts:?}");
        }
        assert!(a.busy(&p) && a.exponent() == 4);
        assert!(a.busy(&p) && a.exponent() == 5);
        assert!(a.busy(&p) && a.exponent() == 5);
        assert!(a.busy(&p) && a.backoffs() == 4);
        // The fifth busy CCA exceeds macMaxCSMABackoffs = 4.
        assert!(!a.busy(&p));
    }

    #[test]
    fn the_idle_access_delay_is_half_the_first_window_plus_cca_and_turnaround() {
        let p = CsmaCaParams::default();
        assert_eq!(p.mean_idle_access_delay(), SimTime::from_micros(1440));
        let p5 = CsmaCaParams { min_be: 5, ..p };
        // 15.5 × 320 + 320 = 5280 µs.
        assert_eq!(p5.mean_idle_access_delay(), SimTime::from_micros(5280));
    }
}
