//! Jammers by physics: a transmitter whose only effect is the interference power it puts at a
//! receiver, switched on and off by its type (Xu, Trappe, Zhang and Wood, MobiHoc 2005; the
//! defaults of the UW ns-3 jamming module, radio.md §F):
//!
//! - **constant** — emits continuously (JAM: 0 dBm);
//! - **random** — alternates jamming for a time drawn from `on` and sleeping for a time drawn
//!   from `off` (JAM: 200 ms on, U(0, 1 ms) off); its long-run duty cycle is
//!   `q = E[on] / (E[on] + E[off])`;
//! - **reactive** — listens and starts a burst (JAM: 500 µs) a reaction delay after it senses a
//!   frame's start, with a reaction probability (JAM: 1.0);
//! - **deceptive** — sends valid-looking frames back to back: in power terms a constant jammer,
//!   and receivers that lock on its frames miss the genuine ones.
//!
//! A jammer covers a set of channels; against a hopping victim (BLE's 37 data channels) a
//! narrowband jammer hits a frame only when the hop lands on a covered channel, i.e. with
//! probability `|covered ∩ used| / |used|` (radio.md §F).

use super::position::Position;
use super::power::{Dbm, MilliWatts};
use super::reception::Interference;
use crate::dist::Dist;
use crate::rng::Stream;
use crate::time::SimTime;

/// How a jammer switches on.
#[derive(Clone, Debug)]
pub enum JammerKind {
    /// Always on.
    Constant,
    /// On for a draw of `on`, off for a draw of `off` (seconds), alternating from t = 0 (on).
    Random {
        /// Jamming periods, s.
        on: Dist,
        /// Silent periods, s.
        off: Dist,
    },
    /// A burst of `burst` starting `delay` after each frame it senses, with probability `p`.
    Reactive {
        /// Sensing-to-jamming delay.
        delay: SimTime,
        /// Burst length.
        burst: SimTime,
        /// Probability of reacting to a frame.
        probability: f64,
    },
    /// Valid-looking frames back to back: always on, and holds receivers that lock on it.
    Deceptive,
}

/// A jammer: where, how loud, on which channels, and how it switches on.
#[derive(Clone, Debug)]
pub struct Jammer {
    /// Its position.
    pub position: Position,
    /// Transmit power.
    pub power: Dbm,
    /// Bit set of the channels it covers (bit k: channel k).
    pub channels: u64,
    /// Its type.
    pub kind: JammerKind,
}

/// One jammer's on/off timeline, drawn lazily from its own random stream, so that it does not
/// depend on the traffic it meets (except for the reactive jammer's per-frame reaction draws).
///
/// Invariant: `phases` is a contiguous, time-ordered run of phases `[start, end)` alternating on
/// and off; the first one ends after the last frame start asked about. Frames must be asked
/// about in non-decreasing start order (the engine's event order); they may overlap.
#[derive(Clone, Debug, Default)]
pub struct JammerTimeline {
    phases: std::collections::VecDeque<(SimTime, SimTime, bool)>,
}

impl JammerTimeline {
    /// A timeline that starts at t = 0, on.
    pub fn new() -> JammerTimeline {
        JammerTimeline::default()
    }

    /// The jammer's emissions overlapping the frame `[start, end)`, pushed to `out`, each with
    /// the power `power` it has at the receiver.
    pub fn emissions(
        &mut self,
        kind: &JammerKind,
        rng: &mut Stream,
        start: SimTime,
        end: SimTime,
        power: MilliWatts,
        out: &mut Vec<Interference>,
    ) {
        match kind {
            JammerKind::Constant | JammerKind::Deceptive => {
                out.push(Interference {
                    start: SimTime::ZERO,
                    end: SimTime::MAX,
                    power,
                });
            }
            JammerKind::Random { on, off } => {
                if self.phases.is_empty() {
                    self.phases
                        .push_back((SimTime::ZERO, on.sample_time(rng), true));
                }
                while self.phases.front().is_some_and(|p| p.1 <= start) && self.phases.len() > 1 {
                    self.phases.pop_front();
                }
                while let Some(&(_, last_end, last_on)) = self.phases.back() {
                    if last_end > start && last_end >= end {
                        break;
                    }
                    let d = if last_on { off } else { on };
                    self.phases.push_back((
                        last_end,
                        last_end.saturating_add(d.sample_time(rng)),
                        !last_on,
                    ));
                    if self.phases.front().is_some_and(|p| p.1 <= start) {
                        self.phases.pop_front();
                    }
                }
                for &(from, until, is_on) in &self.phases {
                    if from >= end {
                        break;
                    }
                    if is_on && until > start {
                        out.push(Interference {
                            start: from,
                            end: until,
                            power,
                        });
                    }
                }
            }
            JammerKind::Reactive {
                delay,
                burst,
                probability,
            } => {
                if crate::dist::bernoulli(rng, *probability) {
                    let s = start.saturating_add(*delay);
                    out.push(Interference {
                        start: s,
                        end: s.saturating_add(*burst),
                        power,
                    });
                }
            }
        }
    }
}

/// The long-run share of time a jammer is on.
pub fn duty_cycle(kind: &JammerKind) -> f64 {
    match kind {
        JammerKind::Constant | JammerKind::Deceptive => 1.0,
        JammerKind::Random { on, off } => on.mean() / (on.mean() + off.mean()),
        JammerKind::Reactive { .. } => 0.0,
    }
}

/// The probability that a hopping victim's frame lands on a covered channel: the share of the
/// victim's used channels (bit set `used`) that the jammer covers (bit set `covered`).
pub fn hop_hit_probability(covered: u64, used: u64) -> f64 {
    if used == 0 {
        return 0.0;
    }
    f64::from((covered & used).count_ones()) / f64::from(used.count_ones())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phy::error_model::Modulation;
    use crate::phy::noise::thermal_noise;
    use crate::phy::path_loss::PathLoss;
    use crate::phy::power::Db;
    use crate::phy::reception::{Outcome, Receiver};
    use crate::units::Hertz;

    fn receiver() -> Receiver {
        Receiver {
            sensitivity: Dbm(-100.0),
            noise: thermal_noise(Hertz(5e6), Db(0.0)),
            lock_threshold: Db(-5.0),
            modulation: Modulation::Oqpsk802154,
            bit_rate: 250e3,
        }
    }

    /// Frames of 40 bytes (1.28 ms) every 50 ms for 500 s, at −89 dBm from their sender, with a
    /// 0 dBm jammer 40 m away through the 2.4 GHz indoor model; returns (delivered share,
    /// success probability under the jammer, success probability without it).
    fn delivered_share(kind: JammerKind) -> (f64, f64, f64) {
        let rx = receiver();
        let jam_power = Dbm(0.0)
            .minus(PathLoss::indoor_2g4().mean_loss(40.0))
            .to_mw();
        let mut rng = crate::rng::stream(5, "jammer-test");
        let mut draws = crate::rng::stream(6, "frame-draws");
        let mut tl = JammerTimeline::new();
        let mut out = Vec::new();
        let (mut ok, mut n) = (0u32, 0u32);
        let signal = Dbm(-89.0);
        let bits = 320;
        let frame = SimTime::from_micros(1280);
        for k in 0..10_000u64 {
            let start = SimTime::from_millis(50 * k);
            out.clear();
            tl.emissions(
                &kind,
                &mut rng,
                start,
                start.saturating_add(frame),
                jam_power,
                &mut out,
            );
            if let Outcome::Success(p) = rx.receive(signal, start, bits, &out)
                && crate::dist::bernoulli(&mut draws, p)
            {
                ok += 1;
            }
            n += 1;
        }
        let on = rx.receive(
            signal,
            SimTime::ZERO,
            bits,
            &[Interference {
                start: SimTime::ZERO,
                end: SimTime::MAX,
                power: jam_power,
            }],
        );
        let off = rx.receive(signal, SimTime::ZERO, bits, &[]);
        let p = |o| match o {
            Outcome::Success(p) => p,
            _ => 0.0,
        };
        (f64::from(ok) / f64::from(n), p(on), p(off))
    }

    #[test]
    fn a_constant_jammer_raises_per_to_the_value_of_the_sinr_it_causes() {
        let (share, p_on, p_off) = delivered_share(JammerKind::Constant);
        // The jammer's power at 40 m: 0 − (40.05 + 30·log10 40) = −88.1 dBm, 0.9 dB over the
        // frame's: a PER strictly between 0 and 1, set by that SINR alone.
        assert!(
            p_on > 0.01 && p_on < 0.99 && p_off > 0.999,
            "{p_on} {p_off}"
        );
        let half = 3.29 * (p_on * (1.0 - p_on) / 10_000.0).sqrt();
        assert!(
            (share - p_on).abs() < half,
            "delivered {share}, formula {p_on}"
        );
    }

    #[test]
    fn a_random_jammer_with_duty_cycle_q_gives_the_mixture() {
        // 200 ms on (JAM default), 600 ms off on average: q = 0.25.
        let kind = JammerKind::Random {
            on: Dist::Const(0.2),
            off: Dist::exp(0.6).unwrap(),
        };
        let q = duty_cycle(&kind);
        assert!((q - 0.25).abs() < 1e-12);
        let (share, p_on, p_off) = delivered_share(kind);
        let want = q * p_on + (1.0 - q) * p_off;
        // On/off periods are long against the frames: the mixture holds up to the few frames
        // that straddle a switch (≤ 2 × 1.28 ms / 800 ms of them). The spread of the share
        // comes from the number of on periods (≈ 625 in 500 s): allow 4 SE of that.
        let se = ((1.0 - q) * q / 625.0).sqrt() * (p_off - p_on);
        assert!(
            (share - want).abs() < 4.0 * se + 0.005,
            "delivered {share}, mixture {want}"
        );
    }

    #[test]
    fn a_reactive_jammer_hits_the_frames_it_reacts_to() {
        let kind = JammerKind::Reactive {
            delay: SimTime::ZERO,
            burst: SimTime::from_micros(500),
            probability: 0.5,
        };
        let (share, p_on, p_off) = delivered_share(kind);
        // Half the frames lose 500 µs of 1280 µs to the burst.
        let rx = receiver();
        let jam_power = Dbm(0.0)
            .minus(PathLoss::indoor_2g4().mean_loss(40.0))
            .to_mw();
        let burst = Interference {
            start: SimTime::ZERO,
            end: SimTime::from_micros(500),
            power: jam_power,
        };
        let hit = match rx.receive(Dbm(-89.0), SimTime::ZERO, 320, &[burst]) {
            Outcome::Success(p) => p,
            _ => 0.0,
        };
        assert!(hit > p_on && hit < p_off);
        let want = 0.5 * hit + 0.5 * p_off;
        assert!(
            (share - want).abs() < 3.29 * (want * (1.0 - want) / 10_000.0).sqrt() + 0.01,
            "{share} vs {want}"
        );
    }

    #[test]
    fn a_hopping_victim_meets_a_narrowband_jammer_in_proportion_to_its_channels() {
        let all_37 = (1u64 << 37) - 1;
        // A 20 MHz Wi-Fi-wide jammer covers ≈ 10 of the 2 MHz BLE channels (radio.md §F).
        assert!((hop_hit_probability(0b11_1111_1111, all_37) - 10.0 / 37.0).abs() < 1e-12);
        // After AFH drops the covered channels from the map, the jammer never hits.
        assert_eq!(
            hop_hit_probability(0b11_1111_1111, all_37 & !0b11_1111_1111),
            0.0
        );
    }

    #[test]
    fn random_timeline_is_contiguous_and_alternates_over_overlapping_frames() {
        let kind = JammerKind::Random {
            on: Dist::exp(0.01).unwrap(),
            off: Dist::exp(0.01).unwrap(),
        };
        let mut rng = crate::rng::stream(9, "timeline");
        let mut tl = JammerTimeline::new();
        let mut out = Vec::new();
        let p = MilliWatts(1.0);
        // Overlapping frames, non-decreasing starts: each sees the same on-periods where they
        // overlap.
        tl.emissions(
            &kind,
            &mut rng,
            SimTime::from_millis(100),
            SimTime::from_millis(160),
            p,
            &mut out,
        );
        let first = out.clone();
        out.clear();
        tl.emissions(
            &kind,
            &mut rng,
            SimTime::from_millis(120),
            SimTime::from_millis(140),
            p,
            &mut out,
        );
        for i in &out {
            assert!(first.contains(i), "{i:?} not in {first:?}");
        }
        assert!(first.windows(2).all(|w| w[0].end < w[1].start));
    }
}
