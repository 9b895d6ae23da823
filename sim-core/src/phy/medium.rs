//! The shared medium: every frame on the air, per channel, for as long as some frame still being
//! received may overlap it.
//!
//! A transmitter puts a frame on the air when it starts sending ([`Medium::put`]); when a frame
//! ends, its receiver asks for the interference it met ([`Medium::interference`]): every other
//! frame on the same channel that overlapped it, with the power it had at that receiver (from
//! the caller's path-loss model). The receiver also learns whether it had already locked on an
//! earlier frame it could hear when this one began (a receiver busy receiving one frame does not
//! receive another, as ns-3's `LrWpanPhy` and Castalia's radio), and whether it was itself
//! transmitting (half duplex).
//!
//! Cost: per channel, a time-ordered list of frames; a query scans only the frames of its
//! channel that are still on the list. A frame leaves the list once no frame that could still be
//! evaluated can overlap it: when `end ≤ now − longest airtime seen`. With airtimes of a few
//! milliseconds this keeps a handful of frames per channel whatever the number of radios (the
//! per-channel neighbour list that replaces all-pairs interference). Allocation-free once the
//! lists have grown to their working size.

use std::collections::VecDeque;

use super::position::Position;
use super::power::{Db, Dbm};
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
    /// First instant on the air.
    pub start: SimTime,
    /// First instant after it (exclusive).
    pub end: SimTime,
}

/// What a receiver met while a frame was on the air.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Encounter {
    /// The receiver had locked on an earlier frame it could hear when this one began.
    pub busy: bool,
    /// The receiver was transmitting during the frame.
    pub transmitting: bool,
}

/// The frames on the air, per channel.
///
/// Invariant: each channel's list is in the order frames were put; frames leave from the front
/// once they ended before `now − longest airtime` (a frame behind one still needed waits).
#[derive(Clone, Debug, Default)]
pub struct Medium {
    channels: Vec<VecDeque<Frame>>,
    longest: SimTime,
}

impl Medium {
    /// A medium with `channels` channels.
    pub fn new(channels: usize) -> Medium {
        Medium {
            channels: vec![VecDeque::new(); channels],
            longest: SimTime::ZERO,
        }
    }

    /// Puts `frame` on `channel` at simulated time `now` (≤ its start: a frame may wait for its
    /// transmitter). Calls come in non-decreasing `now`, and a frame is asked about no later
    /// than its end, so a listed frame that ended before `now − longest airtime` can no longer
    /// overlap any frame still to be asked about, and leaves the list.
    pub fn put(&mut self, channel: usize, frame: Frame, now: SimTime) {
        self.longest = self.longest.max(frame.end.saturating_sub(frame.start));
        let horizon = now.saturating_sub(self.longest);
        let list = &mut self.channels[channel];
        while list.front().is_some_and(|f| f.end <= horizon) {
            list.pop_front();
        }
        list.push_back(frame);
    }

    /// Frames currently listed on `channel`.
    pub fn on_air(&self, channel: usize) -> usize {
        self.channels[channel].len()
    }

    /// The interference that frame `id` on `channel` met at radio `receiver`: each other
    /// overlapping frame with its power there, `power − loss(frame)`,
    /// pushed to `out`; frames whose power there falls below `floor` are ignored (they can
    /// neither be heard nor matter against the noise). Returns what else the receiver met.
    pub fn interference(
        &self,
        channel: usize,
        id: u64,
        receiver: u32,
        floor: Dbm,
        loss: impl Fn(&Frame) -> Db,
        out: &mut Vec<Interference>,
    ) -> Encounter {
        let list = &self.channels[channel];
        let Some(me) = list.iter().find(|f| f.id == id) else {
            return Encounter::default();
        };
        let mut met = Encounter::default();
        for f in list {
            if f.id == id || f.start >= me.end || f.end <= me.start {
                continue;
            }
            if f.sender == receiver {
                met.transmitting = true;
                continue;
            }
            let power = f.power.minus(loss(f));
            if power < floor {
                continue;
            }
            if f.start < me.start {
                met.busy = true;
            }
            out.push(Interference {
                start: f.start,
                end: f.end,
                power: power.to_mw(),
            });
        }
        met
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phy::path_loss::PathLoss;

    fn frame(id: u64, sender: u32, x: f64, start_us: u64, len_us: u64) -> Frame {
        Frame {
            id,
            sender,
            from: Position::new(x, 0.0),
            power: Dbm(0.0),
            start: SimTime::from_micros(start_us),
            end: SimTime::from_micros(start_us + len_us),
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
        let loss = |f: &Frame| pl.mean_loss(f.from.distance(rx));
        let mut out = Vec::new();
        let met = m.interference(0, 1, 20, Dbm(-150.0), loss, &mut out);
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
        assert!(m.interference(0, 2, 20, Dbm(-150.0), loss, &mut out).busy);
        // Below the floor, frame 1 is neither heard nor counted.
        out.clear();
        assert!(!m.interference(0, 2, 20, Dbm(0.0), loss, &mut out).busy);
        assert!(out.is_empty());
        // Radio 10 sent frame 1 while frame 2 was on the air: it could not receive frame 2.
        out.clear();
        assert!(
            m.interference(0, 2, 10, Dbm(-150.0), loss, &mut out)
                .transmitting
        );
    }

    #[test]
    fn old_frames_leave_the_list_so_it_stays_short() {
        let mut m = Medium::new(1);
        // 100,000 frames of 1 ms, one every 10 ms: at most a couple stay listed.
        for k in 0..100_000u64 {
            let f = frame(k, (k % 50) as u32, 0.0, 10_000 * k, 1000);
            m.put(0, f, f.start);
            assert!(m.on_air(0) <= 2);
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
}
