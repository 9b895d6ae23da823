//! IEEE 802.11 DCF (radio.md §D3): a station with a frame waits for the medium to be idle for
//! DIFS, then counts down a backoff counter drawn uniformly over `0 … CW`, one per idle slot,
//! freezing it while the medium is busy; it transmits when the counter reaches zero. A frame
//! acknowledged after SIFS resets CW to CWmin; a missing ACK doubles CW (up to CWmax) and the
//! frame is sent again, up to the retry limit, then lost (`lost_retries`).
//!
//! [`Contention`] keeps the counters of the stations of one channel and finds, without a
//! per-slot tick, the instant the smallest counter expires. Stations whose counters expire
//! together transmit together and collide. Each station freezes only while it senses the
//! medium busy, so stations out of each other's carrier-sense range count on while the other
//! transmits (hidden terminals); when all hear each other it is one collision domain, idle
//! for whole slots between transmissions, and the run costs one event per transmission
//! whatever the number of stations.
//!
//! Bianchi's saturation model (radio.md §D4) is the validation target: `n` stations that are
//! never empty share the channel with the throughput of its fixed point (tested here).

use rand::Rng;

use crate::rng::Stream;
use crate::time::SimTime;

/// The 802.11 variants of radio.md §D3, with their DCF timing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WifiStandard {
    /// 802.11b (DSSS): slot 20 µs, SIFS 10 µs, CW 31–1023.
    B,
    /// 802.11a, or n at 5 GHz (OFDM, 20 MHz): slot 9 µs, SIFS 16 µs, CW 15–1023.
    A,
    /// 802.11g ERP with the short slot: slot 9 µs, SIFS 10 µs, DIFS 28 µs, CW 15–1023 (the
    /// 6 µs signal extension after each OFDM frame is not modelled).
    G,
    /// 802.11g in a mixed b/g cell (ns-3's default): slot 20 µs, SIFS 10 µs, CW 15–1023.
    GMixed,
}

impl WifiStandard {
    /// Catalogue names: `11b`, `11a`, `11g`, `11g_mixed`.
    pub const NAMES: [&'static str; 4] = ["11b", "11a", "11g", "11g_mixed"];

    /// The standard of a catalogue name.
    pub fn from_name(name: &str) -> Option<WifiStandard> {
        Some(match name {
            "11b" => WifiStandard::B,
            "11a" => WifiStandard::A,
            "11g" => WifiStandard::G,
            "11g_mixed" => WifiStandard::GMixed,
            _ => return None,
        })
    }

    /// The standard's DCF parameters (radio.md §D3 [V], ns-3 `wifi-standard-constants.h`,
    /// `wifi-mac.cc`); DIFS = SIFS + 2 slots; the ACK lasts `ack`.
    pub fn params(self, ack: SimTime) -> DcfParams {
        let us = SimTime::from_micros;
        let (slot, sifs, cw_min) = match self {
            WifiStandard::B => (us(20), us(10), 31),
            WifiStandard::A => (us(9), us(16), 15),
            WifiStandard::G => (us(9), us(10), 15),
            WifiStandard::GMixed => (us(20), us(10), 15),
        };
        DcfParams {
            slot,
            sifs,
            difs: sifs.saturating_add(slot).saturating_add(slot),
            cw_min,
            cw_max: 1023,
            retry_limit: 7,
            ack,
        }
    }
}

/// The parameters of 802.11 DCF.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DcfParams {
    /// Slot time σ.
    pub slot: SimTime,
    /// Short interframe space.
    pub sifs: SimTime,
    /// DCF interframe space, SIFS + 2 slots.
    pub difs: SimTime,
    /// Smallest contention window (backoff drawn over `0 … CW`).
    pub cw_min: u32,
    /// Largest contention window.
    pub cw_max: u32,
    /// Transmissions of a frame before it is dropped: the short retry limit, 7 (radio.md §D3,
    /// [U]).
    pub retry_limit: u8,
    /// Airtime of the ACK frame at the basic rate (11b 1 Mbit/s: 304 µs, radio.md §D4 [V]).
    pub ack: SimTime,
}

impl DcfParams {
    /// How long a sender waits for an ACK before it counts the frame lost: SIFS + ACK + one
    /// slot (ns-3's `AckTimeout` is SIFS + slot + the ACK's preamble detection, [U]).
    pub fn ack_timeout(&self) -> SimTime {
        self.sifs.saturating_add(self.ack).saturating_add(self.slot)
    }
}

/// One frame's backoff state at a station: its contention window and attempts so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    cw: u32,
    attempts: u8,
}

impl Backoff {
    /// A new frame: CW = CWmin, no attempt yet.
    pub fn start(p: &DcfParams) -> Backoff {
        Backoff {
            cw: p.cw_min,
            attempts: 0,
        }
    }

    /// A counter drawn uniformly over `0 … CW` slots.
    pub fn draw(&self, rng: &mut Stream) -> u32 {
        rng.random_range(0..=self.cw)
    }

    /// The attempt failed (no ACK): CW = min(2·(CW + 1) − 1, CWmax). Returns whether the
    /// frame may be sent again (`false`: the retry limit is reached).
    pub fn failed(&mut self, p: &DcfParams) -> bool {
        self.attempts += 1;
        self.cw = (2 * (self.cw + 1) - 1).min(p.cw_max);
        self.attempts < p.retry_limit
    }

    /// The contention window now.
    pub fn window(&self) -> u32 {
        self.cw
    }
}

/// The contention of the DCF stations of one channel: every backlogged station's counter,
/// counted down over the idle slots of the medium as that station senses it.
///
/// Each member counts from its own origin `resume` (the instant its medium last became idle
/// plus DIFS): its counter expires at `resume + counter·slot`. When counters expire the
/// stations that sense the transmission ([`Contention::defer`]) freeze the slots they have
/// not counted yet until the medium is idle again; the others count on (hidden terminals).
/// When every station senses every other ([`Contention::busy_until`] for all), all members
/// share one origin and this is the classic single collision domain, one event per
/// transmission whatever the number of stations.
///
/// Invariant: a member's counter is the number of idle slots it still needs from its
/// `resume` (a station that joins after its origin has the slots already elapsed added).
#[derive(Clone, Debug, Default)]
pub struct Contention {
    /// The origin of a station that senses every transmission of the domain.
    idle: SimTime,
    /// The last instant counters expired.
    at: SimTime,
    members: Vec<Member>,
}

#[derive(Clone, Copy, Debug)]
struct Member {
    id: u32,
    counter: u32,
    resume: SimTime,
}

impl Member {
    fn expiry(&self, slot: SimTime) -> SimTime {
        self.resume.saturating_add(SimTime::from_nanos(
            u64::from(self.counter) * slot.as_nanos(),
        ))
    }
}

impl Contention {
    /// An idle domain whose counting starts at `resume`.
    pub fn new(resume: SimTime) -> Contention {
        Contention {
            idle: resume,
            at: SimTime::ZERO,
            members: Vec::new(),
        }
    }

    /// Station `id` joins at `now` with `counter` idle slots to wait, sensing every
    /// transmission of the domain. Joining during an idle period starts counting at the next
    /// slot boundary.
    pub fn join(&mut self, now: SimTime, id: u32, counter: u32, slot: SimTime) {
        self.join_from(now, id, counter, slot, self.idle);
    }

    /// Station `id` joins at `now` with `counter` idle slots to wait, its medium idle (past
    /// DIFS) from `idle` on; joining during an idle period starts counting at the next slot
    /// boundary after `idle`.
    pub fn join_from(&mut self, now: SimTime, id: u32, counter: u32, slot: SimTime, idle: SimTime) {
        let elapsed = if now > idle {
            now.saturating_sub(idle)
                .as_nanos()
                .div_ceil(slot.as_nanos().max(1)) as u32
        } else {
            0
        };
        self.members.push(Member {
            id,
            counter: counter.saturating_add(elapsed),
            resume: idle,
        });
    }

    /// Whether station `id` is contending.
    pub fn contains(&self, id: u32) -> bool {
        self.members.iter().any(|m| m.id == id)
    }

    /// Station `id` leaves (its frame was dropped).
    pub fn leave(&mut self, id: u32) {
        self.members.retain(|m| m.id != id);
    }

    /// The instant the smallest counter expires, if any station contends.
    pub fn next(&self, slot: SimTime) -> Option<SimTime> {
        self.members.iter().map(|m| m.expiry(slot)).min()
    }

    /// The counters expire at [`Contention::next`]: the stations whose counter expires then
    /// leave and are pushed to `out` (ordered by id). The others have counted the slots up
    /// to then unless told otherwise: [`Contention::defer`] or [`Contention::busy_until`]
    /// freezes those that sense the transmission.
    pub fn expire(&mut self, slot: SimTime, out: &mut Vec<u32>) {
        out.clear();
        let Some(t) = self.next(slot) else {
            return;
        };
        self.at = t;
        self.idle = self.idle.max(t);
        self.members.retain(|m| {
            if m.expiry(slot) == t {
                out.push(m.id);
                false
            } else {
                true
            }
        });
        out.sort_unstable();
    }

    /// Member `id` (if contending) senses the medium busy from `at` until `until` (the end
    /// of the busy period plus DIFS): it keeps the whole slots it counted before `at` and
    /// counts the rest from `until`.
    pub fn defer(&mut self, id: u32, at: SimTime, until: SimTime, slot: SimTime) {
        if let Some(m) = self.members.iter_mut().find(|m| m.id == id) {
            m.freeze(at, until, slot);
        }
    }

    /// Every station senses the medium busy from the last expiry until `end`; counting
    /// resumes DIFS later.
    pub fn busy_until(&mut self, end: SimTime, difs: SimTime, slot: SimTime) {
        let until = end.saturating_add(difs);
        self.idle = self.idle.max(until);
        let at = self.at;
        for m in &mut self.members {
            m.freeze(at, until, slot);
        }
    }

    /// Stations contending.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether no station contends.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl Member {
    /// Counts the whole slots from `resume` to `at`, then waits until `until`.
    fn freeze(&mut self, at: SimTime, until: SimTime, slot: SimTime) {
        let counted = if at > self.resume {
            (at.saturating_sub(self.resume).as_nanos() / slot.as_nanos().max(1)) as u32
        } else {
            0
        }
        .min(self.counter);
        self.counter -= counted;
        self.resume = self
            .resume
            .saturating_add(SimTime::from_nanos(u64::from(counted) * slot.as_nanos()))
            .max(until);
    }
}

/// Bianchi's model (radio.md §D4), for the validation tests here and in the engine.
#[cfg(test)]
pub(crate) mod bianchi {
    /// The fixed point: τ and p for `n` stations, W = CWmin + 1, m = log2((CWmax + 1)/W), by
    /// bisection on τ ∈ (0, 1).
    pub(crate) fn fixed_point(n: u32, w: f64, m: i32) -> (f64, f64) {
        let tau_of = |p: f64| {
            // 2/(1 + W + pW·Σ_{i<m}(2p)^i), equal to the closed form, safe at p = 1/2.
            let sum: f64 = (0..m).map(|i| (2.0 * p).powi(i)).sum();
            2.0 / (1.0 + w + p * w * sum)
        };
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..200 {
            let t = 0.5 * (lo + hi);
            let p = 1.0 - (1.0 - t).powi(n as i32 - 1);
            if tau_of(p) > t { lo = t } else { hi = t }
        }
        let t = 0.5 * (lo + hi);
        (t, 1.0 - (1.0 - t).powi(n as i32 - 1))
    }

    /// Saturation throughput, bit/s: `S = P_s·P_tr·E[P] / ((1 − P_tr)σ + P_tr·P_s·T_s +
    /// P_tr·(1 − P_s)·T_c)` at the fixed point, times in seconds.
    pub(crate) fn throughput(
        n: u32,
        w: f64,
        m: i32,
        sigma: f64,
        ts: f64,
        tc: f64,
        bits: f64,
    ) -> f64 {
        let (tau, _) = fixed_point(n, w, m);
        let p_tr = 1.0 - (1.0 - tau).powi(n as i32);
        let p_s = f64::from(n) * tau * (1.0 - tau).powi(n as i32 - 1) / p_tr;
        p_s * p_tr * bits / ((1.0 - p_tr) * sigma + p_tr * p_s * ts + p_tr * (1.0 - p_s) * tc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bianchi::fixed_point as bianchi_fixed_point;

    /// 802.11b at 1 Mbit/s, 1500-byte payload: T_data 12480 µs, T_ack 304 µs (radio.md §D4).
    const T_DATA_US: f64 = 12480.0;
    const T_ACK_US: f64 = 304.0;
    const PAYLOAD_BITS: f64 = 1500.0 * 8.0;

    /// Saturation throughput, bit/s, at the fixed point: basic access with T_s = T_data + SIFS
    /// + T_ack + DIFS and T_c = T_data + DIFS; `ns3`: ns-3's post-backoff correction.
    fn bianchi_throughput(n: u32, ns3: bool) -> f64 {
        let p = WifiStandard::B.params(SimTime::from_micros(304));
        let (w, m) = (
            f64::from(p.cw_min + 1),
            ((p.cw_max + 1) / (p.cw_min + 1)).ilog2() as i32,
        );
        let (tau, _) = bianchi_fixed_point(n, w, m);
        let (sigma, sifs, difs) = (20e-6, 10e-6, 50e-6);
        let p_tr = 1.0 - (1.0 - tau).powi(n as i32);
        let p_s = f64::from(n) * tau * (1.0 - tau).powi(n as i32 - 1) / p_tr;
        let mut ts = (T_DATA_US + T_ACK_US) * 1e-6 + sifs + difs;
        let tc = T_DATA_US * 1e-6 + difs;
        let mut ep = PAYLOAD_BITS;
        if ns3 {
            let b = 1.0 / w;
            ep /= 1.0 - b;
            ts = ts / (1.0 - b) + sigma;
        }
        p_s * p_tr * ep / ((1.0 - p_tr) * sigma + p_tr * p_s * ts + p_tr * (1.0 - p_s) * tc)
    }

    /// `n` saturated stations through [`Contention`] and [`Backoff`] for `frames` successful
    /// frames: (throughput bit/s, share of attempts that collided).
    fn saturated(n: u32, frames: u64, seed: u64) -> (f64, f64) {
        let us = SimTime::from_micros;
        let p = WifiStandard::B.params(us(304));
        let mut rng = crate::rng::from_u64(seed);
        let mut backoff = vec![Backoff::start(&p); n as usize];
        let mut c = Contention::new(p.difs);
        for id in 0..n {
            c.join(
                SimTime::ZERO,
                id,
                backoff[id as usize].draw(&mut rng),
                p.slot,
            );
        }
        let (mut ok, mut attempts, mut collided) = (0u64, 0u64, 0u64);
        let mut winners = Vec::new();
        let mut now = SimTime::ZERO;
        while ok < frames {
            now = c.next(p.slot).expect("saturated");
            c.expire(p.slot, &mut winners);
            attempts += winners.len() as u64;
            let end = if winners.len() == 1 {
                ok += 1;
                backoff[winners[0] as usize] = Backoff::start(&p);
                now.saturating_add(us(T_DATA_US as u64))
                    .saturating_add(p.sifs)
                    .saturating_add(us(T_ACK_US as u64))
            } else {
                collided += winners.len() as u64;
                for &w in &winners {
                    // Bianchi's model has no retry limit; at p ≤ 0.4 the 7th retry is rare.
                    if !backoff[w as usize].failed(&p) {
                        backoff[w as usize] = Backoff::start(&p);
                    }
                }
                now.saturating_add(us(T_DATA_US as u64))
            };
            c.busy_until(end, p.difs, p.slot);
            for &w in &winners {
                c.join(end, w, backoff[w as usize].draw(&mut rng), p.slot);
            }
        }
        (
            ok as f64 * PAYLOAD_BITS / now.as_secs_f64(),
            collided as f64 / attempts as f64,
        )
    }

    #[test]
    fn the_fixed_point_reproduces_the_published_ns3_reference_table() {
        // radio.md §D4 [V]: ns-3's bianchi_11b_difs.txt, Mbit/s; n = 20 differs in the 4th
        // digit by the MATLAB's τ grid ([D]).
        for (n, want) in [(5, 0.8437), (10, 0.7861), (20, 0.7226), (50, 0.6336)] {
            let got = bianchi_throughput(n, true) / 1e6;
            assert!((got - want).abs() < 4e-4, "n = {n}: {got} against {want}");
        }
        // The fixed point itself at n = 5: τ = 0.0478, p = 0.178 ([D]).
        let (tau, p) = bianchi_fixed_point(5, 32.0, 5);
        assert!((tau - 0.0478).abs() < 1e-4 && (p - 0.178).abs() < 1e-3);
    }

    #[test]
    fn saturated_stations_reach_bianchis_throughput_within_three_percent() {
        for n in [5u32, 10, 20] {
            let (_, p_model) = bianchi_fixed_point(n, 32.0, 5);
            let want = bianchi_throughput(n, false);
            let (got, p_sim) = saturated(n, 40_000, 11 + u64::from(n));
            assert!(
                (got / want - 1.0).abs() < 0.03,
                "n = {n}: simulated {got:.0} bit/s, model {want:.0}"
            );
            // The conditional collision probability too, within a few percent of p.
            assert!(
                (p_sim - p_model).abs() < 0.05 * p_model + 0.01,
                "n = {n}: collisions {p_sim:.3}, model p {p_model:.3}"
            );
        }
    }

    #[test]
    fn contention_counts_down_only_over_idle_slots_and_expires_the_smallest_together() {
        let us = SimTime::from_micros;
        let slot = us(20);
        let mut c = Contention::new(us(50));
        c.join(us(0), 0, 3, slot);
        c.join(us(0), 1, 5, slot);
        c.join(us(0), 2, 3, slot);
        assert_eq!(c.next(slot), Some(us(50 + 60)));
        let mut out = Vec::new();
        c.expire(slot, &mut out);
        assert_eq!(out, vec![0, 2]);
        // Busy for 1 ms, then DIFS: station 1 has 2 slots left.
        c.busy_until(us(1110), us(50), slot);
        assert_eq!(c.next(slot), Some(us(1160 + 40)));
        // A station joining 30 µs into the idle period starts at the next slot boundary.
        c.join(us(1190), 3, 0, slot);
        assert_eq!(c.next(slot), Some(us(1160 + 40)));
        c.expire(slot, &mut out);
        assert_eq!(out, vec![1, 3]);
        assert!(c.is_empty());
        // Binary exponential backoff: 31, 63, … capped at 1023; 7 attempts.
        let p = WifiStandard::B.params(us(304));
        let mut b = Backoff::start(&p);
        let mut windows = vec![b.window()];
        while b.failed(&p) {
            windows.push(b.window());
        }
        assert_eq!(windows, vec![31, 63, 127, 255, 511, 1023, 1023]);
        assert_eq!(WifiStandard::A.params(us(44)).difs, us(34));
        assert_eq!(WifiStandard::GMixed.params(us(44)).difs, us(50));
    }
}
