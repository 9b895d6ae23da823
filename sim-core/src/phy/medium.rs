//! The shared medium: every frame on the air, per channel, for as long as some frame still being
//! received may overlap it.
//!
//! A transmitter puts a frame on the air when it starts sending ([`Medium::put`]); when a frame
//! ends, its receiver asks for the interference it met ([`Medium::interference`]): every other
//! frame on the same channel that overlapped it, with the power it had at that receiver.
//!
//! Interference by position: the power a frame delivers at a receiver other than its own is
//! `P_tx − PL_f(d)`, with `d` the distance from the frame's transmitter to that receiver and
//! `PL_f` the mean of the *interferer's own link's* path-loss model (no shadowing: a link's
//! shadowing draw belongs to its own path) — an [`InterferencePath`]. Chosen over the receiving
//! link's model because the path runs from the interferer, whose radio and placement (on a
//! body, in an implant, on a wall) the model describes. The body models (IEEE 802.15.6 CM3
//! on-body, CM2 implant; radio.md §A2 [U]) describe paths along or out of one body, and CM3's
//! slope of 6.6 dB per decade would let a patch be heard 50 m away at −67 dBm; a path to
//! another link's receiver also crosses the room, so for those models it takes the larger of
//! the body model and the indoor log-distance law at the technology's frequency (ns-3's
//! default n = 3, PL(1 m) = Friis at 1 m, radio.md §A1): the body model near the body, the room
//! beyond (about 4.8 m for CM3 hospital at 2.4 GHz). Rooms of one floor add no penetration
//! loss: radio.md §A3 gives ITU-R P.1238's floor terms only, no wall terms, so interference
//! between rooms is, if anything, overstated. The receiver also learns whether it had already locked on an
//! earlier frame it could hear when this one began (a receiver busy receiving one frame does not
//! receive another, as ns-3's `LrWpanPhy` and Castalia's radio), and whether it was itself
//! transmitting (half duplex).
//!
//! Cost: per channel, time-ordered lists of frames; a query scans only the frames of its
//! channel that are still listed, and of those it prices only the ones whose transmitter
//! is within the frame's *reach* of the receiver — the distance at which its mean power falls
//! to the medium's floor (noise − 33 dB for the links of the engine, where an interferer
//! changes the SINR by under 0.05 %), computed once per link end ([`reach`]). A frame farther
//! away costs one squared distance, no logarithm. A frame leaves its list once no frame that could still be
//! evaluated can overlap it: when `end ≤ now − longest airtime seen`. With airtimes of a few
//! milliseconds this keeps a handful of frames per channel whatever the number of radios (the
//! per-channel neighbour list that replaces all-pairs interference).
//!
//! A frequency-hopping technology's channel (BLE: one medium channel for its 37 data
//! channels) keeps one list per hop channel and one for frames on no hop, so a reception on
//! hop `h` walks the frames on `h` and on no hop only — about 1/37 of a busy BLE channel's
//! frames — and a receiver of another technology walks only the hop channels whose bands
//! overlap its own (the engine's coexistence of technologies). A scan over several lists merges them
//! by the rank in which frames were put, so every scan visits frames in the order they were
//! put on the channel: interference is pushed and summed, and the callers' draws are made,
//! in the same order as with one list. A receiver's own frames on the other hop channels (it
//! cannot receive while it sends) are found through a per-sender index, not by walking those
//! lists. Allocation-free once the lists have grown to their working size.

use std::collections::VecDeque;

use super::path_loss::{PathLoss, friis_db};
use super::position::Position;
use super::power::{Db, Dbm};
use crate::units::Hertz;

/// The path from an interferer to another link's receiver: its own link's model, and for the
/// body models also the room's ([`crate::phy::medium`] explains the choice).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InterferencePath {
    /// The interferer's own link model (its mean).
    pub own: PathLoss,
    /// The room's model, when the own model only describes a body.
    pub room: Option<PathLoss>,
}

impl InterferencePath {
    /// The path of a transmitter whose link model is `own`, at carrier `frequency`: `own`
    /// alone for free space and log-distance; for on-body and implant models also the indoor
    /// log-distance law, n = 3, PL(1 m) = Friis at 1 m and `frequency` (ns-3's
    /// `LogDistancePropagationLossModel` defaults re-referenced, radio.md §A1), no shadowing.
    pub fn of_link(own: PathLoss, frequency: Hertz) -> InterferencePath {
        let room = match own {
            PathLoss::OnBody { .. } | PathLoss::Implant { .. } => Some(PathLoss::LogDistance {
                reference_loss: Db(friis_db(1.0, frequency)),
                reference_distance: 1.0,
                exponent: 3.0,
                shadowing: Db(0.0),
            }),
            _ => None,
        };
        InterferencePath { own, room }
    }

    /// A path through `own` alone.
    pub fn own(own: PathLoss) -> InterferencePath {
        InterferencePath { own, room: None }
    }

    /// Mean loss at `distance` m: `max(PL_own(d), PL_room(d))`.
    #[inline]
    pub fn loss(&self, distance: f64) -> Db {
        let own = self.own.mean_loss(distance);
        match &self.room {
            Some(room) => Db(own.0.max(room.mean_loss(distance).0)),
            None => own,
        }
    }
}
use super::reception::Interference;
use crate::time::SimTime;

/// A frame on the air.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Caller's identifier of the frame (unique among frames on the air).
    pub id: u64,
    /// Caller's identifier of the transmitting radio.
    pub sender: u32,
    /// Where the transmitter is.
    pub from: Position,
    /// Transmit power.
    pub power: Dbm,
    /// The path from this transmitter to other links' receivers.
    pub path: InterferencePath,
    /// Beyond this distance, m, the frame arrives below the floor of its channel's receivers
    /// ([`reach`]); `f64::INFINITY` to price it everywhere.
    pub reach: f64,
    /// First instant on the air.
    pub start: SimTime,
    /// First instant after it (exclusive).
    pub end: SimTime,
    /// The hop channel of a frequency-hopping technology's frame (a BLE connection event's
    /// data channel), or [`NO_HOP`] when its link chose none.
    pub hop: u8,
}

impl Frame {
    /// Its mean power at `at`, `P_tx − PL_f(|from − at|)` through its own path
    /// ([`InterferencePath`]); `None` beyond its [`Frame::reach`] (one squared distance, no
    /// logarithm).
    #[inline]
    pub fn power_at(&self, at: Position) -> Option<Dbm> {
        let (dx, dy, dz) = (self.from.x - at.x, self.from.y - at.y, self.from.z - at.z);
        let d2 = dx * dx + dy * dy + dz * dz;
        if d2 > self.reach * self.reach {
            return None;
        }
        Some(self.power.minus(self.path.loss(d2.sqrt())))
    }
}

/// [`Frame::hop`] of a frame sent on no particular hop channel.
pub const NO_HOP: u8 = u8::MAX;

/// What a receiver met while a frame was on the air.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Encounter {
    /// The receiver had locked on an earlier frame it could hear when this one began.
    pub busy: bool,
    /// The receiver was transmitting during the frame.
    pub transmitting: bool,
}

/// Hop channels with a list of their own on a channel; a frame on a higher hop channel is
/// listed with the frames on no hop (whose list every scan walks, filtering frame by frame).
pub const HOP_LISTS: u8 = 63;

/// A set of a channel's lists: bit 0 the list of frames on no hop (and on hops from
/// [`HOP_LISTS`] up), bit `1 + h` the list of hop channel `h`.
pub type Lists = u64;

/// Every list of a channel.
pub const ALL_LISTS: Lists = u64::MAX;

/// The list a frame on hop `hop` goes to: 0 for [`NO_HOP`] and hops from [`HOP_LISTS`] up,
/// else `1 + hop`.
#[inline]
pub fn list_of(hop: u8) -> usize {
    if hop < HOP_LISTS {
        1 + usize::from(hop)
    } else {
        0
    }
}

/// A listed frame and its rank among every frame put on the medium.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct Listed {
    seq: u64,
    frame: Frame,
}

/// The frames of some of a channel's lists in the order they were put ([`Medium::listed`]).
// The merge of many lists keeps its cursors inline: boxing them would allocate per scan.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum InOrder<'a> {
    /// One list (or none), as one slice.
    #[doc(hidden)]
    One(std::slice::Iter<'a, Listed>),
    /// One list in two slices (a ring buffer that wrapped), the first then the second.
    #[doc(hidden)]
    Two(&'a [Listed], &'a [Listed]),
    /// Two lists, merged by rank (with the position in each).
    #[doc(hidden)]
    Merge(&'a VecDeque<Listed>, &'a VecDeque<Listed>, usize, usize),
    /// More lists, merged by rank: the `k` still unfinished (`which`) and the position in each.
    #[doc(hidden)]
    Many {
        /// The channel's lists.
        all: &'a [VecDeque<Listed>],
        /// The chosen lists not yet finished.
        which: [u8; 64],
        /// The position in each.
        at: [u32; 64],
        /// How many.
        k: usize,
    },
}

impl<'a> Iterator for InOrder<'a> {
    type Item = &'a Frame;

    #[inline]
    fn next(&mut self) -> Option<&'a Frame> {
        match self {
            InOrder::One(it) => it.next().map(|l| &l.frame),
            InOrder::Two(a, b) => {
                if let Some((first, rest)) = a.split_first() {
                    *a = rest;
                    Some(&first.frame)
                } else {
                    let (first, rest) = b.split_first()?;
                    *b = rest;
                    Some(&first.frame)
                }
            }
            InOrder::Merge(a, b, i, j) => {
                let l = match (a.get(*i), b.get(*j)) {
                    (Some(x), Some(y)) if x.seq < y.seq => {
                        *i += 1;
                        x
                    }
                    (_, Some(y)) => {
                        *j += 1;
                        y
                    }
                    (Some(x), None) => {
                        *i += 1;
                        x
                    }
                    (None, None) => return None,
                };
                Some(&l.frame)
            }
            InOrder::Many { all, which, at, k } => {
                if *k == 0 {
                    return None;
                }
                // The unfinished list whose next frame was put first.
                let mut best = 0;
                let mut seq = u64::MAX;
                for j in 0..*k {
                    let l = &all[usize::from(which[j])][at[j] as usize];
                    if l.seq < seq {
                        seq = l.seq;
                        best = j;
                    }
                }
                let list = &all[usize::from(which[best])];
                let l = &list[at[best] as usize];
                at[best] += 1;
                if at[best] as usize == list.len() {
                    // Finished: the last unfinished list takes its place.
                    *k -= 1;
                    which[best] = which[*k];
                    at[best] = at[*k];
                }
                Some(&l.frame)
            }
        }
    }
}

/// The frames on the air, per channel, and on a channel per hop channel.
///
/// Invariants: each channel keeps one list per hop channel below [`HOP_LISTS`] that has been
/// used plus one (list 0) for frames on no hop; each list is in the order frames were put
/// (increasing rank); frames leave a list from its front, when a frame is put on that list,
/// once they ended before `now − longest airtime` (a frame behind one still needed waits).
/// A frame still listed may be one that can no longer overlap any frame to be asked about:
/// every scan checks the overlap. Scans over several lists visit their frames merged by rank,
/// so that in the order frames were put on the channel, whatever their hop.
#[derive(Clone, Debug, Default)]
pub struct Medium {
    channels: Vec<Vec<VecDeque<Listed>>>,
    longest: SimTime,
    next_seq: u64,
    /// Per sender below [`SENDERS_INDEXED`]: its frames on hop lists, in the order put
    /// (channel, list, start, end), leaving like the lists' frames when it puts another.
    hopping_by_sender: Vec<VecDeque<(u32, u8, SimTime, SimTime)>>,
}

/// Senders whose frames on hop channels are indexed by sender (a receiver among them finds
/// its own frames on other hop channels without scanning their lists).
const SENDERS_INDEXED: u32 = 1 << 20;

impl Medium {
    /// A medium with `channels` channels.
    pub fn new(channels: usize) -> Medium {
        Medium {
            channels: vec![vec![VecDeque::new()]; channels],
            longest: SimTime::ZERO,
            next_seq: 0,
            hopping_by_sender: Vec::new(),
        }
    }

    /// Puts `frame` on `channel` at simulated time `now` (≤ its start: a frame may wait for its
    /// transmitter). Calls come in non-decreasing `now`, and a frame is asked about no later
    /// than its end, so a listed frame that ended before `now − longest airtime` can no longer
    /// overlap any frame still to be asked about, and leaves its list.
    pub fn put(&mut self, channel: usize, frame: Frame, now: SimTime) {
        self.longest = self.longest.max(frame.end.saturating_sub(frame.start));
        let horizon = now.saturating_sub(self.longest);
        let lists = &mut self.channels[channel];
        let k = list_of(frame.hop);
        if lists.len() <= k {
            lists.resize(k + 1, VecDeque::new());
        }
        let list = &mut lists[k];
        while list.front().is_some_and(|f| f.frame.end <= horizon) {
            list.pop_front();
        }
        list.push_back(Listed {
            seq: self.next_seq,
            frame,
        });
        self.next_seq += 1;
        if k != 0 && frame.sender < SENDERS_INDEXED {
            let s = frame.sender as usize;
            if self.hopping_by_sender.len() <= s {
                self.hopping_by_sender.resize(s + 1, VecDeque::new());
            }
            let own = &mut self.hopping_by_sender[s];
            while own.front().is_some_and(|o| o.3 <= horizon) {
                own.pop_front();
            }
            own.push_back((channel as u32, k as u8, frame.start, frame.end));
        }
    }

    /// Which of `channel`'s lists in `lists` hold frames.
    #[inline]
    fn nonempty(&self, channel: usize, lists: Lists) -> Lists {
        let all = &self.channels[channel];
        let mut chosen = if all.len() >= 64 {
            lists
        } else {
            lists & ((1 << all.len()) - 1)
        };
        let mut nonempty: Lists = 0;
        while chosen != 0 {
            let i = chosen.trailing_zeros();
            chosen &= chosen - 1;
            if !all[i as usize].is_empty() {
                nonempty |= 1 << i;
            }
        }
        nonempty
    }

    /// The one list of `channel`'s lists in `lists` that holds frames, if only one does (a
    /// scan then walks it directly, without merging).
    #[inline]
    fn only(&self, channel: usize, lists: Lists) -> Option<&VecDeque<Listed>> {
        let nonempty = self.nonempty(channel, lists);
        (nonempty.count_ones() == 1)
            .then(|| &self.channels[channel][nonempty.trailing_zeros() as usize])
    }

    /// The frames of `channel`'s lists in `lists`, in the order they were put (on the air, or
    /// ended lately). Allocation-free: a merge of the chosen lists by rank.
    #[inline]
    pub fn listed(&self, channel: usize, lists: Lists) -> InOrder<'_> {
        let all = &self.channels[channel][..];
        let mut nonempty = self.nonempty(channel, lists);
        match nonempty.count_ones() {
            0 => InOrder::One([].iter()),
            1 => {
                let (a, b) = all[nonempty.trailing_zeros() as usize].as_slices();
                if b.is_empty() {
                    InOrder::One(a.iter())
                } else {
                    InOrder::Two(a, b)
                }
            }
            2 => InOrder::Merge(
                &all[nonempty.trailing_zeros() as usize],
                &all[(63 - nonempty.leading_zeros()) as usize],
                0,
                0,
            ),
            _ => {
                let mut which = [0u8; 64];
                let mut k = 0;
                while nonempty != 0 {
                    which[k] = nonempty.trailing_zeros() as u8;
                    nonempty &= nonempty - 1;
                    k += 1;
                }
                InOrder::Many {
                    all,
                    which,
                    at: [0; 64],
                    k,
                }
            }
        }
    }

    /// Frames currently listed on `channel`.
    pub fn on_air(&self, channel: usize) -> usize {
        self.channels[channel].iter().map(VecDeque::len).sum()
    }

    /// The interference that frame `id` on `channel` met at radio `receiver`, standing at
    /// `at`: each other overlapping frame with its power there,
    /// `P_tx − PL_f(|from − at|)` (its own path-loss model's mean), pushed to `out`; frames
    /// farther than their reach or whose power there falls below `floor` are ignored (they
    /// can neither be heard nor matter against the noise). Returns what else the receiver met.
    pub fn interference(
        &self,
        channel: usize,
        id: u64,
        receiver: u32,
        at: Position,
        floor: Dbm,
        out: &mut Vec<Interference>,
    ) -> Encounter {
        let hop = (0..self.channels[channel].len())
            .find_map(|k| {
                self.channels[channel][k]
                    .iter()
                    .find(|l| l.frame.id == id)
                    .map(|l| l.frame.hop)
            })
            .unwrap_or(NO_HOP);
        self.interference_on(channel, id, hop, receiver, at, floor, |_, _| true, out)
    }

    /// [`Medium::interference`] on a frequency-hopping channel, for frame `id` on hop channel
    /// `hop` ([`Frame::hop`]): a frame on another hop channel never counts (two frames on two
    /// different hop channels do not share a band); any other overlapping frame counts only
    /// when `same_hop(mine, its)` says it was on this frame's hop channel (given both frames'
    /// [`Frame::hop`], one of them [`NO_HOP`] or both equal); the receiver transmitting counts
    /// whatever its hop (one radio). `same_hop` is called once per such overlapping frame in
    /// reach, in the order frames were put. Only the lists of `hop` and of no hop are priced
    /// (every list when `hop` is [`NO_HOP`]); the others are only looked at for the
    /// receiver's own frames.
    #[allow(clippy::too_many_arguments)]
    pub fn interference_on(
        &self,
        channel: usize,
        id: u64,
        hop: u8,
        receiver: u32,
        at: Position,
        floor: Dbm,
        mut same_hop: impl FnMut(u8, u8) -> bool,
        out: &mut Vec<Interference>,
    ) -> Encounter {
        let lists = &self.channels[channel];
        let mine = list_of(hop);
        let Some(me) = lists
            .get(mine)
            .and_then(|l| l.iter().find(|l| l.frame.id == id))
        else {
            return Encounter::default();
        };
        let (start, end) = (me.frame.start, me.frame.end);
        let priced: Lists = if mine == 0 { ALL_LISTS } else { 1 | 1 << mine };
        let mut met = Encounter::default();
        // One loop body for a single list (walked directly) and for a merge.
        macro_rules! scan {
            ($frames:expr) => {
                for f in $frames {
                    if f.id == id || f.start >= end || f.end <= start {
                        continue;
                    }
                    if f.sender == receiver {
                        met.transmitting = true;
                        continue;
                    }
                    if hop != NO_HOP && f.hop != NO_HOP && f.hop != hop {
                        continue;
                    }
                    let Some(power) = f.power_at(at) else {
                        continue;
                    };
                    if power < floor || !same_hop(me.frame.hop, f.hop) {
                        continue;
                    }
                    if f.start < start {
                        met.busy = true;
                    }
                    out.push(Interference {
                        start: f.start,
                        end: f.end,
                        power: power.to_mw(),
                    });
                }
            };
        }
        match self.only(channel, priced) {
            Some(list) => scan!(list.iter().map(|l| &l.frame)),
            None => scan!(self.listed(channel, priced)),
        }
        if mine != 0 && !met.transmitting {
            // The receiver's own frames on the other hop channels: it cannot receive while
            // it transmits.
            let other =
                |k: usize, s: SimTime, e: SimTime| k != 0 && k != mine && s < end && e > start;
            met.transmitting = if receiver < SENDERS_INDEXED {
                self.hopping_by_sender
                    .get(receiver as usize)
                    .is_some_and(|own| {
                        own.iter().any(|&(c, k, s, e)| {
                            c as usize == channel && other(usize::from(k), s, e)
                        })
                    })
            } else {
                lists.iter().enumerate().any(|(k, l)| {
                    l.iter()
                        .any(|l| l.frame.sender == receiver && other(k, l.frame.start, l.frame.end))
                })
            };
        }
        met
    }
}

impl Medium {
    /// The energy on `channel` at `at`, standing by radio `listener`, from the frames of
    /// other radios on the air during `[from, to)` (a clear-channel assessment window): the
    /// sum of their mean powers there, `Σ P_tx − PL_f(d)`, mW (frames beyond their reach add
    /// nothing), summed in the order the frames were put. Overlap within the window is not
    /// required between them, so two frames that follow each other inside it count together
    /// (the window is a CCA's 128 µs).
    pub fn energy(
        &self,
        channel: usize,
        listener: u32,
        at: Position,
        from: SimTime,
        to: SimTime,
    ) -> super::power::MilliWatts {
        let mut mw = 0.0;
        macro_rules! scan {
            ($frames:expr) => {
                for f in $frames {
                    if f.sender == listener || f.start >= to || f.end <= from {
                        continue;
                    }
                    if let Some(power) = f.power_at(at) {
                        mw += power.to_mw().0;
                    }
                }
            };
        }
        match self.only(channel, ALL_LISTS) {
            Some(list) => scan!(list.iter().map(|l| &l.frame)),
            None => scan!(self.listed(channel, ALL_LISTS)),
        }
        super::power::MilliWatts(mw)
    }
}

/// The distance, m, beyond which a transmitter of `power` over `path` arrives
/// below `floor`: the largest `d` ≤ 100 km with `power − PL(d) ≥ floor`, found by bisection on
/// the logarithm of the distance (every model here is monotone in distance for the parameters
/// the scenario checks accept); `f64::INFINITY` when it is still above the floor at 100 km.
/// Padded by one part in 10⁶ so that it never cuts off a frame the exact test would keep.
/// Called once per link end when a run starts, never per frame.
pub fn reach(path: &InterferencePath, power: Dbm, floor: Dbm) -> f64 {
    let budget = power.0 - floor.0;
    let (mut lo, mut hi) = (1e-3f64, 100_000.0f64);
    if path.loss(hi).0 <= budget {
        return f64::INFINITY;
    }
    if path.loss(lo).0 > budget {
        return 0.0;
    }
    for _ in 0..100 {
        let mid = (lo * hi).sqrt();
        if path.loss(mid).0 <= budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi * (1.0 + 1e-6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(id: u64, sender: u32, x: f64, start_us: u64, len_us: u64) -> Frame {
        Frame {
            id,
            sender,
            from: Position::new(x, 0.0),
            power: Dbm(0.0),
            path: InterferencePath::own(PathLoss::indoor_2g4()),
            reach: f64::INFINITY,
            start: SimTime::from_micros(start_us),
            end: SimTime::from_micros(start_us + len_us),
            hop: NO_HOP,
        }
    }

    #[test]
    fn overlapping_frames_on_the_same_channel_interfere_at_their_power_there() {
        let pl = PathLoss::indoor_2g4();
        let mut m = Medium::new(2);
        let put = |m: &mut Medium, ch, f: Frame| m.put(ch, f, f.start);
        put(&mut m, 0, frame(1, 10, 0.0, 0, 1000));
        put(&mut m, 0, frame(2, 11, 5.0, 500, 1000)); // overlaps 1's second half
        put(&mut m, 1, frame(3, 12, 1.0, 500, 1000)); // other channel: never interferes
        put(&mut m, 0, frame(4, 13, 2.0, 1000, 1000)); // starts as 1 ends
        let rx = Position::new(1.0, 0.0);
        let mut out = Vec::new();
        let met = m.interference(0, 1, 20, rx, Dbm(-150.0), &mut out);
        assert_eq!(met, Encounter::default());
        assert_eq!(out.len(), 1);
        let want = Dbm(0.0).minus(pl.mean_loss(4.0)).to_mw().0;
        assert!((out[0].power.0 - want).abs() < 1e-18);
        assert_eq!(
            (out[0].start, out[0].end),
            (SimTime::from_micros(500), SimTime::from_micros(1500))
        );
        // Frame 2 began while the receiver was locked on the audible frame 1: busy.
        out.clear();
        assert!(m.interference(0, 2, 20, rx, Dbm(-150.0), &mut out).busy);
        // Below the floor, frame 1 is neither heard nor counted.
        out.clear();
        assert!(!m.interference(0, 2, 20, rx, Dbm(0.0), &mut out).busy);
        assert!(out.is_empty());
        // Radio 10 sent frame 1 while frame 2 was on the air: it could not receive frame 2.
        out.clear();
        assert!(
            m.interference(0, 2, 10, rx, Dbm(-150.0), &mut out)
                .transmitting
        );
    }

    #[test]
    fn an_interferer_arrives_through_its_own_model_at_its_distance_from_the_receiver() {
        // A BLE sensor worn on a body (CM3 on-body, a = 6.6, b = 36.1) 3 m from another bed's
        // hub at −10 dBm, and a 802.15.4 node under free space 4 m from it at 0 dBm,
        // overlapping the frame the hub receives from a sender right next to it. At 3 m CM3
        // (59.05 dB) exceeds the room's law (40.05 + 30·log10 3 = 54.36 dB), so it applies.
        let mut m = Medium::new(1);
        let rx = Position::new(0.0, 0.0);
        let mut me = frame(1, 10, 0.1, 0, 1000);
        me.path = InterferencePath::own(PathLoss::free_space(Hertz(2.4e9)));
        let mut body = frame(2, 11, 3.0, 100, 1000);
        body.path = InterferencePath::of_link(PathLoss::on_body_hospital_2g4(), Hertz(2.4e9));
        body.power = Dbm(-10.0);
        let mut far = frame(3, 12, 0.0, 200, 1000);
        far.from = Position {
            x: 0.0,
            y: 0.0,
            z: 4.0,
        };
        far.path = InterferencePath::of_link(PathLoss::free_space(Hertz(2.4e9)), Hertz(2.4e9));
        for f in [me, body, far] {
            m.put(0, f, f.start);
        }
        let mut out = Vec::new();
        m.interference(0, 1, 20, rx, Dbm(-150.0), &mut out);
        // By hand: −10 − (6.6·log10(3000) + 36.1) = −69.049 dBm; 0 − 20·log10(4π·4·2.4e9/c)
        // = −52.093 dBm.
        let body_dbm = -10.0 - (6.6 * 3000f64.log10() + 36.1);
        assert!(6.6 * 3000f64.log10() + 36.1 > friis_db(1.0, Hertz(2.4e9)) + 30.0 * 3f64.log10());
        let far_dbm = -20.0 * (4.0 * std::f64::consts::PI * 4.0 * 2.4e9 / 299_792_458.0f64).log10();
        assert!((body_dbm + 69.049).abs() < 1e-3 && (far_dbm + 52.093).abs() < 1e-3);
        assert_eq!(out.len(), 2);
        for (got, want) in out.iter().zip([body_dbm, far_dbm]) {
            assert!(
                (got.power.to_dbm().0 - want).abs() < 1e-9,
                "{:?} against {want}",
                got.power.to_dbm()
            );
        }
    }

    #[test]
    fn a_body_model_gives_way_to_the_room_beyond_where_the_room_loses_more() {
        // CM3 hospital: 6.6·log10(d mm) + 36.1; room: 40.046 + 30·log10(d). Equal where
        // 23.4·log10(d) = 40.046 − 55.9, d = 10^(15.854/23.4) = 4.76 m.
        let path = InterferencePath::of_link(PathLoss::on_body_hospital_2g4(), Hertz(2.4e9));
        let room = |d: f64| friis_db(1.0, Hertz(2.4e9)) + 30.0 * d.log10();
        let cm3 = |d: f64| 6.6 * (d * 1000.0).log10() + 36.1;
        assert!((path.loss(0.3).0 - cm3(0.3)).abs() < 1e-9);
        assert!((path.loss(3.0).0 - cm3(3.0)).abs() < 1e-9);
        assert!((path.loss(20.0).0 - room(20.0)).abs() < 1e-9);
        // 50 m: 91.0 dB through the room, not CM3's 67.1 dB.
        assert!(
            (path.loss(50.0).0 - 91.02).abs() < 0.01,
            "{:?}",
            path.loss(50.0)
        );
        // Free space and log-distance stay their own.
        let fs = PathLoss::free_space(Hertz(2.4e9));
        assert_eq!(
            InterferencePath::of_link(fs, Hertz(2.4e9)).loss(50.0),
            fs.mean_loss(50.0)
        );
    }

    #[test]
    fn reach_is_where_the_mean_power_meets_the_floor_and_cuts_off_nothing_audible() {
        // Log-distance n = 3, PL(1 m) = 40.05 dB, 0 dBm against a −140 dBm floor:
        // 10^((140 − 40.05)/30) = 2154.4 m.
        let pl = PathLoss::LogDistance {
            reference_loss: crate::phy::Db(40.05),
            reference_distance: 1.0,
            exponent: 3.0,
            shadowing: crate::phy::Db(0.0),
        };
        let r = reach(&InterferencePath::own(pl), Dbm(0.0), Dbm(-140.0));
        let want = 10f64.powf((140.0 - 40.05) / 30.0);
        assert!((r / want - 1.0).abs() < 1e-5, "{r} against {want}");
        // Free space never falls below a floor this low within 100 km; a floor above the
        // power at 1 mm is never reached.
        let fs = PathLoss::free_space(crate::units::Hertz(2.4e9));
        assert_eq!(
            reach(&InterferencePath::own(fs), Dbm(0.0), Dbm(-200.0)),
            f64::INFINITY
        );
        assert_eq!(reach(&InterferencePath::own(pl), Dbm(0.0), Dbm(10.0)), 0.0);
        // Just inside the reach a frame is priced, just beyond it is not.
        let mut m = Medium::new(1);
        let mut f = frame(1, 1, 0.0, 0, 1000);
        f.reach = r;
        f.path = InterferencePath::own(pl);
        let mut g = frame(2, 2, 0.0, 0, 1000);
        g.reach = r;
        m.put(0, f, f.start);
        m.put(0, g, g.start);
        let mut out = Vec::new();
        m.interference(
            0,
            2,
            9,
            Position::new(want * 0.9999, 0.0),
            Dbm(-140.0),
            &mut out,
        );
        assert_eq!(out.len(), 1);
        out.clear();
        m.interference(
            0,
            2,
            9,
            Position::new(want * 1.001, 0.0),
            Dbm(-140.0),
            &mut out,
        );
        assert!(out.is_empty());
    }

    #[test]
    fn old_frames_leave_the_list_so_it_stays_short() {
        let mut m = Medium::new(1);
        // 100,000 frames of 1 ms, one every 10 ms: at most a couple stay listed.
        for k in 0..100_000u64 {
            let f = frame(k, (k % 50) as u32, 0.0, 10_000 * k, 1000);
            m.put(0, f, f.start);
            assert!(m.on_air(0) <= 2);
            // The ring wraps as frames leave: still listed in the order put.
            let first = k + 1 - m.on_air(0) as u64;
            assert!(m.listed(0, ALL_LISTS).map(|f| f.id).eq(first..=k));
        }
        // Back-to-back overlapping frames stay while they can still overlap a newer one.
        let mut m = Medium::new(1);
        for k in 0..10u64 {
            let f = frame(k, k as u32, 0.0, 100 * k, 1000);
            m.put(0, f, f.start);
        }
        assert_eq!(m.on_air(0), 10);
        // A frame queued behind its transmitter is put before it starts: the list keeps what
        // it may overlap, judged by the put time.
        let mut m = Medium::new(1);
        m.put(0, frame(1, 1, 0.0, 0, 1000), SimTime::ZERO);
        m.put(0, frame(2, 2, 0.0, 5000, 1000), SimTime::from_micros(900));
        assert_eq!(m.on_air(0), 2);
    }

    #[test]
    fn a_hop_channel_meets_only_its_own_hop_and_frames_on_no_hop_in_the_order_put() {
        // One BLE-like channel: frames on hops 3, 5, no hop, 3, 7 (sent by radio 20, the
        // receiver of frame 1), all overlapping frame 1 on hop 3, each at a distinct distance.
        let mut m = Medium::new(1);
        let on = |id, sender, x, hop| Frame {
            hop,
            ..frame(id, sender, x, 100 * id, 1000)
        };
        let frames = [
            on(1, 10, 0.5, 3),
            on(2, 11, 2.0, 5),
            on(3, 12, 3.0, NO_HOP),
            on(4, 13, 4.0, 3),
            on(5, 20, 5.0, 7),
        ];
        for f in frames {
            m.put(0, f, f.start);
        }
        assert_eq!(m.on_air(0), 5);
        let rx = Position::new(0.0, 0.0);
        let mut asked = Vec::new();
        let mut out = Vec::new();
        let met = m.interference_on(
            0,
            1,
            3,
            20,
            rx,
            Dbm(-150.0),
            |mine, its| {
                asked.push((mine, its));
                true
            },
            &mut out,
        );
        // Frame 5 (hop 7) is the receiver's own: it was transmitting, on another hop.
        assert!(met.transmitting);
        // Hop 5 never asked; no hop and hop 3 asked in the order put (3 before 4).
        assert_eq!(asked, vec![(3, NO_HOP), (3, 3)]);
        let pl = PathLoss::indoor_2g4();
        let power = |d: f64| Dbm(0.0).minus(pl.mean_loss(d)).to_mw().0;
        let got: Vec<f64> = out.iter().map(|i| i.power.0).collect();
        assert_eq!(got, vec![power(3.0), power(4.0)]);
        // A frame on no hop meets every list, in the order put: 1, 2, 4 (5 is its
        // receiver's own, so it was transmitting).
        out.clear();
        let met = m.interference(0, 3, 20, rx, Dbm(-150.0), &mut out);
        assert!(met.transmitting);
        let got: Vec<f64> = out.iter().map(|i| i.power.0).collect();
        assert_eq!(got, vec![power(0.5), power(2.0), power(4.0)]);
        // Another receiver is not transmitting, and the energy sums every list.
        out.clear();
        assert!(
            !m.interference_on(0, 1, 3, 21, rx, Dbm(-150.0), |_, _| true, &mut out)
                .transmitting
        );
        let e = m.energy(0, 99, rx, SimTime::ZERO, SimTime::from_micros(2000));
        let want = [0.5, 2.0, 3.0, 4.0, 5.0]
            .iter()
            .fold(0.0, |s, &d| s + power(d));
        assert_eq!(e.0, want);
    }

    #[test]
    fn lists_merge_by_the_order_put_whatever_the_hop() {
        let mut m = Medium::new(2);
        let hops = [9, NO_HOP, 0, 9, 62, 63, 200, 0, NO_HOP, 9];
        for (k, &hop) in hops.iter().enumerate() {
            let f = Frame {
                hop,
                ..frame(k as u64, k as u32, 0.0, 10 * k as u64, 1000)
            };
            m.put(1, f, f.start);
        }
        let mut seen = Vec::new();
        seen.extend(m.listed(1, ALL_LISTS).map(|f| f.id));
        assert_eq!(seen, (0..10).collect::<Vec<u64>>());
        // Hop 9 with the list of no hop, which also holds hops 63 and 200.
        seen.clear();
        seen.extend(m.listed(1, 1 | 1 << list_of(9)).map(|f| f.id));
        assert_eq!(seen, vec![0, 1, 3, 5, 6, 8, 9]);
        seen.clear();
        seen.extend(m.listed(1, 1 << list_of(62)).map(|f| f.id));
        assert_eq!(seen, vec![4]);
        seen.clear();
        seen.extend(m.listed(0, ALL_LISTS).map(|f| f.id));
        assert!(seen.is_empty());
    }
}
