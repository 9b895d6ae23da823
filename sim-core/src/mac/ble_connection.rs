//! BLE connections (radio.md §D2): a central and a peripheral meet at connection events, one
//! every connection interval `T` (7.5 ms – 4 s, in steps of 1.25 ms); data waits for the next
//! event. The peripheral may skip up to `latency` events when it has nothing to send, so data
//! *to* it waits for an event it listens to (every `1 + latency`-th). Each event hops to a
//! data channel chosen over the connection's channel map by one of the two channel selection
//! algorithms (radio.md §D2):
//!
//! - **CSA#2** (Bluetooth 5, the default: both ends of a BLE 5 connection use it): a
//!   pseudo-random function of the event counter and the connection's channel identifier
//!   `AA[31:16] ⊕ AA[15:0]` (AA: the connection's random access address). Three rounds of
//!   `PERM` (bit reversal within each byte) and `MAM(a, b) = 17a + b mod 2¹⁶` on
//!   `counter ⊕ id`, then `⊕ id`, give `prn_e`; the channel is `prn_e mod 37` if used, else
//!   `used[⌊N_used·prn_e / 2¹⁶⌋]` (Bluetooth Core 5.x Vol 6 Part B §4.5.8.3; Zephyr
//!   `lll_chan_sel_2`; checked against the specification's sample data). Two connections
//!   with different access addresses meet on one channel in about 1/37 of their overlapping
//!   events.
//! - **CSA#1** (Bluetooth 4.x): `unmapped_k = (k + 1)·hop mod 37`, remapped to
//!   `used[unmapped mod N_used]` when that channel is not in the map (Zephyr
//!   `lll_chan_sel_1`). Connections with the same hop increment and event counter share
//!   every channel.
//!
//! Adaptive frequency hopping: a channel on which `afh_failures` frames in a row fail leaves
//! the map (never below two channels), so a narrowband jammer or a Wi-Fi channel that keeps
//! failing is avoided from then on (radio.md §F).
//!
//! The link layer resends an unacknowledged frame at the next event, without limit, until a
//! frame gets through or no event has succeeded for longer than the supervision timeout: the
//! connection is then lost (its queued frames dropped: `lost_retries`) and is re-established
//! after `reconnect` (advertising and connection set-up, [U]).
//!
//! An event carrying one data frame from the peripheral begins with the central's empty PDU
//! (80 µs) and T_IFS (150 µs), so a frame ready at a uniformly random instant waits on average
//! `T/2 + 230 µs` before its first bit (the event overhead; tested in the engine).

use crate::time::SimTime;

/// Number of BLE data channels (radio.md §D2 [V]).
pub const DATA_CHANNELS: u8 = 37;
/// Shortest connection interval, 6 × 1.25 ms (radio.md §D2 [V]).
pub const MIN_INTERVAL: SimTime = SimTime::from_micros(7_500);
/// Longest connection interval, 3200 × 1.25 ms (radio.md §D2 [V]).
pub const MAX_INTERVAL: SimTime = SimTime::from_secs(4);
/// Largest peripheral latency, events (radio.md §D2 [V]).
pub const MAX_LATENCY: u16 = 499;
/// Shortest and longest supervision timeout (radio.md §D2 [V]).
pub const SUPERVISION_RANGE: (SimTime, SimTime) =
    (SimTime::from_millis(100), SimTime::from_secs(32));

/// The parameters of one BLE connection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BleParams {
    /// Connection interval, 7.5 ms – 4 s (radio.md §D2 [V]).
    pub interval: SimTime,
    /// Peripheral latency, 0–499 events (radio.md §D2 [V]).
    pub latency: u16,
    /// Supervision timeout, 100 ms – 32 s, above `2·(1 + latency)·interval` (radio.md §D2
    /// [V]).
    pub supervision_timeout: SimTime,
    /// CSA#1 hop increment, 5–16 (radio.md §D2 [U]); default 7.
    pub hop: u8,
    /// Channel selection algorithm: CSA#2 by default (Bluetooth 5; the nRF52840 of the
    /// shipped profiles supports it, radio.md §D2).
    pub selection: ChannelSelection,
    /// Whether the channel map drops channels that keep failing (AFH).
    pub afh: bool,
    /// Frames in a row that must fail on a channel before AFH drops it: 2 ([U], an
    /// assumption: controllers classify channels by their own undocumented rules).
    pub afh_failures: u8,
    /// Time to re-establish a lost connection (advertising, connection request): 1 s ([U]).
    pub reconnect: SimTime,
    /// Advertising interval while reconnecting: 100 ms ([U]; the peripheral sends one
    /// advertising event, on the three advertising channels, per interval).
    pub advertising_interval: SimTime,
    /// T_IFS, 150 µs (radio.md §C2 [V]).
    pub t_ifs: SimTime,
    /// An empty PDU on the air at 1 Mbit/s, 80 µs (radio.md §D2 [D]).
    pub empty_pdu: SimTime,
}

impl Default for BleParams {
    fn default() -> Self {
        BleParams {
            interval: SimTime::from_millis(50),
            latency: 0,
            supervision_timeout: SimTime::from_secs(4),
            hop: 7,
            selection: ChannelSelection::Csa2,
            afh: true,
            afh_failures: 2,
            reconnect: SimTime::from_secs(1),
            advertising_interval: SimTime::from_millis(100),
            t_ifs: SimTime::from_micros(150),
            empty_pdu: SimTime::from_micros(80),
        }
    }
}

/// A BLE connection parameter outside the specification.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BleParamError {
    /// The interval is outside 7.5 ms – 4 s.
    #[error("the connection interval is 7.5 ms to 4 s (6 to 3200 units of 1.25 ms); found {0}")]
    Interval(SimTime),
    /// The peripheral latency exceeds 499.
    #[error("the peripheral latency is 0 to 499 events; found {0}")]
    Latency(u16),
    /// The supervision timeout is outside 100 ms – 32 s.
    #[error("the supervision timeout is 100 ms to 32 s; found {0}")]
    Timeout(SimTime),
    /// The supervision timeout does not exceed `2·(1 + latency)·interval`.
    #[error(
        "the supervision timeout must exceed 2·(1 + latency)·interval = {needed}; found {found}"
    )]
    TimeoutTooShort {
        /// `2·(1 + latency)·interval`.
        needed: SimTime,
        /// The timeout given.
        found: SimTime,
    },
    /// The hop increment is outside 5–16.
    #[error("the hop increment is 5 to 16; found {0}")]
    Hop(u8),
}

impl BleParams {
    /// Checks the ranges of radio.md §D2 (Zephyr `bt_le_conn_params_valid`).
    pub fn check(&self) -> Result<(), BleParamError> {
        if self.interval < MIN_INTERVAL || self.interval > MAX_INTERVAL {
            return Err(BleParamError::Interval(self.interval));
        }
        if self.latency > MAX_LATENCY {
            return Err(BleParamError::Latency(self.latency));
        }
        let (lo, hi) = SUPERVISION_RANGE;
        if self.supervision_timeout < lo || self.supervision_timeout > hi {
            return Err(BleParamError::Timeout(self.supervision_timeout));
        }
        let needed =
            SimTime::from_nanos(2 * (1 + u64::from(self.latency)) * self.interval.as_nanos());
        if self.supervision_timeout <= needed {
            return Err(BleParamError::TimeoutTooShort {
                needed,
                found: self.supervision_timeout,
            });
        }
        if !(5..=16).contains(&self.hop) {
            return Err(BleParamError::Hop(self.hop));
        }
        Ok(())
    }

    /// Time from a connection event's anchor to the first bit of the peripheral's data frame:
    /// the central's empty PDU and T_IFS (230 µs).
    pub fn peripheral_offset(&self) -> SimTime {
        self.empty_pdu.saturating_add(self.t_ifs)
    }
}

/// The channel selection algorithm of a connection (radio.md §D2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelSelection {
    /// CSA#1: `(k + 1)·hop mod 37`, remapped (Bluetooth 4.x).
    Csa1,
    /// CSA#2: a pseudo-random function of the event counter and the access address
    /// (Bluetooth 5).
    Csa2,
}

impl ChannelSelection {
    /// The scenario names, in order.
    pub const NAMES: [&'static str; 2] = ["csa1", "csa2"];

    /// The algorithm named `name` (`csa1` or `csa2`).
    pub fn from_name(name: &str) -> Option<ChannelSelection> {
        match name {
            "csa1" => Some(ChannelSelection::Csa1),
            "csa2" => Some(ChannelSelection::Csa2),
            _ => None,
        }
    }
}

/// CSA#2's channel identifier of access address `aa`: `AA[31:16] ⊕ AA[15:0]`.
pub fn channel_identifier(aa: u32) -> u16 {
    ((aa >> 16) ^ (aa & 0xffff)) as u16
}

/// CSA#2's `prn_e` for event `counter` (Bluetooth Core Vol 6 Part B §4.5.8.3.3): three rounds
/// of `PERM` then `MAM` on `counter ⊕ id`, then `⊕ id`.
pub fn csa2_prn(counter: u16, id: u16) -> u16 {
    // PERM: the bits of each byte in reverse order.
    let perm = |v: u16| -> u16 {
        let [lo, hi] = v.to_le_bytes();
        u16::from_le_bytes([lo.reverse_bits(), hi.reverse_bits()])
    };
    // MAM(a, b) = 17·a + b mod 2¹⁶.
    let mam = |a: u16, b: u16| a.wrapping_mul(17).wrapping_add(b);
    let mut u = counter ^ id;
    for _ in 0..3 {
        u = mam(perm(u), id);
    }
    u ^ id
}

/// A connection's channel map: bit `c` set when data channel `c` is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelMap(u64);

impl ChannelMap {
    /// All 37 data channels.
    pub const ALL: ChannelMap = ChannelMap((1 << DATA_CHANNELS) - 1);

    /// The map's bit set.
    pub fn bits(self) -> u64 {
        self.0
    }

    /// Channels in use.
    pub fn used(self) -> u32 {
        self.0.count_ones()
    }

    /// Whether channel `c` is used.
    pub fn contains(self, c: u8) -> bool {
        self.0 >> c & 1 == 1
    }

    /// CSA#1's remapping: `unmapped` itself if used, else the `(unmapped mod N_used)`-th used
    /// channel in ascending order.
    pub fn remap(self, unmapped: u8) -> u8 {
        if self.contains(unmapped) {
            return unmapped;
        }
        let mut k = u32::from(unmapped) % self.used().max(1);
        let mut bits = self.0;
        while bits != 0 {
            let c = bits.trailing_zeros();
            if k == 0 {
                return c as u8;
            }
            k -= 1;
            bits &= bits - 1;
        }
        unmapped
    }

    /// The `i`-th used channel in ascending order (`i` < [`ChannelMap::used`]).
    pub fn nth_used(self, i: u32) -> u8 {
        let mut bits = self.0;
        for _ in 0..i {
            bits &= bits.wrapping_sub(1);
        }
        bits.trailing_zeros() as u8
    }

    /// CSA#2's channel for `prn_e`: `prn_e mod 37` if used, else the
    /// `⌊N_used·prn_e / 2¹⁶⌋`-th used channel.
    pub fn csa2(self, prn_e: u16) -> u8 {
        let unmapped = (prn_e % u16::from(DATA_CHANNELS)) as u8;
        if self.contains(unmapped) {
            return unmapped;
        }
        self.nth_used((self.used() * u32::from(prn_e)) >> 16)
    }

    /// Drops channel `c`, unless that would leave fewer than two (the minimum, radio.md §D2
    /// [U]). Returns whether it was dropped.
    pub fn drop_channel(&mut self, c: u8) -> bool {
        if !self.contains(c) || self.used() <= 2 {
            return false;
        }
        self.0 &= !(1 << c);
        true
    }
}

/// One connection's timing, hopping and supervision.
///
/// Invariants: events fall at `anchor + k·interval`, k = 0, 1, …; `last_ok` is the anchor of
/// the last event known to have succeeded (the connection's start counts as one);
/// `streak[c]` counts the frames in a row that failed on channel `c`.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    params: BleParams,
    /// CSA#2's channel identifier, from the connection's access address.
    id: u16,
    anchor: SimTime,
    map: ChannelMap,
    streak: [u8; DATA_CHANNELS as usize],
    last_ok: SimTime,
}

impl Connection {
    /// A connection whose first event is at `anchor`, with the specification's sample access
    /// address 0x8E89BED6 (see [`Connection::with_access_address`]).
    pub fn new(params: BleParams, anchor: SimTime) -> Connection {
        Connection::with_access_address(params, anchor, 0x8E89_BED6)
    }

    /// A connection whose first event is at `anchor` and whose access address is `aa` (random
    /// per connection in a real link layer; it seeds CSA#2).
    pub fn with_access_address(params: BleParams, anchor: SimTime, aa: u32) -> Connection {
        Connection {
            params,
            id: channel_identifier(aa),
            anchor,
            map: ChannelMap::ALL,
            streak: [0; DATA_CHANNELS as usize],
            last_ok: anchor,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &BleParams {
        &self.params
    }

    /// The channel map now.
    pub fn map(&self) -> ChannelMap {
        self.map
    }

    /// The first event at or after `at` whose counter is a multiple of `every` (1: any event;
    /// `1 + latency`: an event the peripheral listens to): its counter and anchor.
    pub fn next_event(&self, at: SimTime, every: u64) -> (u64, SimTime) {
        let t = self.params.interval.as_nanos().max(1);
        let since = at.saturating_sub(self.anchor).as_nanos();
        let k = since.div_ceil(t).div_ceil(every.max(1)) * every.max(1);
        (k, self.anchor.saturating_add(SimTime::from_nanos(k * t)))
    }

    /// The data channel of event `k` over the current map (the event counter is 16 bits).
    pub fn channel(&self, k: u64) -> u8 {
        match self.params.selection {
            ChannelSelection::Csa1 => {
                let unmapped =
                    ((k + 1) * u64::from(self.params.hop) % u64::from(DATA_CHANNELS)) as u8;
                self.map.remap(unmapped)
            }
            ChannelSelection::Csa2 => self.map.csa2(csa2_prn(k as u16, self.id)),
        }
    }

    /// A frame at the event anchored at `at` on `channel` succeeded or failed: resets the
    /// supervision timer on success, and with AFH drops a channel whose failures in a row
    /// reach `afh_failures`.
    pub fn outcome(&mut self, at: SimTime, channel: u8, ok: bool) {
        let s = &mut self.streak[usize::from(channel)];
        if ok {
            *s = 0;
            self.last_ok = self.last_ok.max(at);
            return;
        }
        *s = s.saturating_add(1);
        if self.params.afh && *s >= self.params.afh_failures {
            self.map.drop_channel(channel);
        }
    }

    /// Whether the connection is lost before an event at `at`: no event has succeeded for
    /// longer than the supervision timeout. If so, the instant it was lost.
    pub fn lost_before(&self, at: SimTime) -> Option<SimTime> {
        let deadline = self.last_ok.saturating_add(self.params.supervision_timeout);
        (at > deadline).then_some(deadline)
    }

    /// Re-establishes the connection with its first event at `anchor` (the map is kept, as a
    /// central that classified channels keeps its classification).
    pub fn reconnect(&mut self, anchor: SimTime) {
        self.anchor = anchor;
        self.last_ok = anchor;
        self.streak = [0; DATA_CHANNELS as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(x: u64) -> SimTime {
        SimTime::from_millis(x)
    }

    #[test]
    fn parameters_outside_the_specification_are_refused() {
        let ok = BleParams::default();
        assert_eq!(ok.check(), Ok(()));
        let bad = |p: BleParams| p.check().unwrap_err();
        assert!(matches!(
            bad(BleParams {
                interval: SimTime::from_micros(7_499),
                ..ok
            }),
            BleParamError::Interval(_)
        ));
        assert!(matches!(
            bad(BleParams {
                interval: SimTime::from_millis(4_001),
                ..ok
            }),
            BleParamError::Interval(_)
        ));
        assert!(matches!(
            bad(BleParams { latency: 500, ..ok }),
            BleParamError::Latency(500)
        ));
        // 2·(1 + 4)·50 ms = 500 ms: a 500 ms timeout is too short, 510 ms is fine.
        let tight = BleParams {
            latency: 4,
            supervision_timeout: ms(500),
            ..ok
        };
        assert!(matches!(bad(tight), BleParamError::TimeoutTooShort { .. }));
        assert_eq!(
            BleParams {
                supervision_timeout: ms(510),
                ..tight
            }
            .check(),
            Ok(())
        );
        assert!(matches!(
            bad(BleParams { hop: 4, ..ok }),
            BleParamError::Hop(4)
        ));
    }

    #[test]
    fn events_fall_on_the_interval_grid_and_the_peripheral_listens_every_1_plus_latency() {
        let c = Connection::new(
            BleParams {
                interval: ms(30),
                ..BleParams::default()
            },
            ms(5),
        );
        assert_eq!(c.next_event(ms(0), 1), (0, ms(5)));
        assert_eq!(c.next_event(ms(5), 1), (0, ms(5)));
        assert_eq!(c.next_event(ms(6), 1), (1, ms(35)));
        assert_eq!(c.next_event(ms(66), 1), (3, ms(95)));
        // Latency 3: only events 0, 4, 8, …
        assert_eq!(c.next_event(ms(6), 4), (4, ms(125)));
    }

    #[test]
    fn csa2_gives_the_specification_s_sample_channels() {
        // Bluetooth Core Vol 6 Part C §3 sample data (also Zephyr's `lll_chan_sel_2` unit
        // test): access address 0x8E89BED6, channel identifier 0x305F.
        assert_eq!(channel_identifier(0x8E89_BED6), 0x305F);
        let c = Connection::new(BleParams::default(), SimTime::ZERO);
        let all: Vec<u8> = (0..4).map(|k| c.channel(k)).collect();
        assert_eq!(all, [25, 20, 6, 21]);
        // Nine used channels (map 0x00 0x06 0xE0 0x00 0x1E): counters 6, 7, 8 → 23, 9, 34.
        let map = ChannelMap(0x1E_00E0_0600);
        assert_eq!(map.used(), 9);
        let got: Vec<u8> = (6..9).map(|k| map.csa2(csa2_prn(k, 0x305F))).collect();
        assert_eq!(got, [23, 9, 34]);
    }

    #[test]
    fn csa2_connections_meet_on_one_channel_in_about_one_event_in_37() {
        // Two connections with different access addresses, 37 000 events: the share of events
        // on the same channel is 1/37 = 0.0270 (binomial σ ≈ 0.0008).
        let p = BleParams::default();
        let a = Connection::with_access_address(p, SimTime::ZERO, 0x1234_5678);
        let b = Connection::with_access_address(p, SimTime::ZERO, 0x9abc_def1);
        let n = 37_000u64;
        let same = (0..n).filter(|&k| a.channel(k) == b.channel(k)).count() as f64;
        assert!((same / n as f64 - 1.0 / 37.0).abs() < 0.004, "{same}");
        // Every channel is visited about equally (each 1/37 ± 15 %).
        let mut count = [0u32; 37];
        for k in 0..n {
            count[usize::from(a.channel(k))] += 1;
        }
        assert!(count.iter().all(|&c| (850..1150).contains(&c)), "{count:?}");
    }

    #[test]
    fn csa1_visits_every_channel_and_remaps_dropped_ones_onto_used_ones() {
        let mut c = Connection::new(
            BleParams {
                selection: ChannelSelection::Csa1,
                ..BleParams::default()
            },
            SimTime::ZERO,
        );
        // hop 7 is coprime with 37: 37 consecutive events visit all 37 channels.
        let mut seen = 0u64;
        for k in 0..37 {
            seen |= 1 << c.channel(k);
        }
        assert_eq!(seen, ChannelMap::ALL.bits());
        // Two failures in a row on channel 7 (event 0's) drop it; event 0 remaps to the
        // (7 mod 36)-th used channel: 8.
        assert_eq!(c.channel(0), 7);
        c.outcome(ms(0), 7, false);
        assert!(c.map().contains(7));
        c.outcome(ms(0), 7, false);
        assert!(!c.map().contains(7));
        assert_eq!(c.channel(0), 8);
        // A success in between resets the streak.
        c.outcome(ms(0), 9, false);
        c.outcome(ms(0), 9, true);
        c.outcome(ms(0), 9, false);
        assert!(c.map().contains(9));
        // Never below two channels.
        let mut m = ChannelMap::ALL;
        for ch in 0..DATA_CHANNELS {
            m.drop_channel(ch);
        }
        assert_eq!(m.used(), 2);
    }

    #[test]
    fn the_supervision_timeout_drops_the_connection_exactly_when_events_fail_for_longer() {
        // Interval 10 ms, timeout 100 ms; the event at 0 succeeded.
        let p = BleParams {
            interval: ms(10),
            supervision_timeout: ms(100),
            ..BleParams::default()
        };
        let mut c = Connection::new(p, SimTime::ZERO);
        c.outcome(ms(0), 0, true);
        // Events 10 … 90 fail: the event at 100 is exactly the timeout after the last
        // success, still allowed; one at 110 is past it.
        for k in 1..10 {
            assert_eq!(c.lost_before(ms(10 * k)), None);
            c.outcome(ms(10 * k), 3, false);
        }
        assert_eq!(c.lost_before(ms(100)), None);
        assert_eq!(c.lost_before(ms(110)), Some(ms(100)));
        // A success at 100 restarts the timer: the next loss is judged from there.
        c.outcome(ms(100), 3, true);
        assert_eq!(c.lost_before(ms(200)), None);
        assert_eq!(c.lost_before(ms(201)), Some(ms(200)));
    }
}
