//! Traffic sources: what each device sends, how often, to whom, and how urgent it is.

use crate::dist::Dist;
use crate::ids::{NodeId, PatientId};
use crate::name::Name;
use crate::time::SimTime;
use crate::units::Bytes;
use std::sync::Arc;

/// The clinical urgency of a packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrafficClass {
    /// Routine monitoring data (waveform batches, periodic vitals).
    Routine,
    /// An alarm that must reach the clinician before its deadline.
    Alarm,
}

impl TrafficClass {
    /// The lower-case name used in scenarios and outputs.
    pub fn name(self) -> &'static str {
        match self {
            TrafficClass::Routine => "routine",
            TrafficClass::Alarm => "alarm",
        }
    }
}

/// The random stream of the source named `name` in replication `seed`: `source:<name>`
/// ([`crate::rng::stream`]). It draws the source's phase ([`first_phase`]), then its jitters
/// or gaps, and nothing else.
pub fn source_stream(seed: u64, name: &Name) -> crate::rng::Stream {
    crate::rng::stream(seed, &format!("source:{name}"))
}

/// A periodic source's phase, uniform on `[0, period)` in whole nanoseconds: the first draw of
/// its stream ([`source_stream`]). `period` must be positive.
pub fn first_phase(rng: &mut crate::rng::Stream, period: SimTime) -> SimTime {
    SimTime::from_nanos(rand::Rng::random_range(rng, 0..period.as_nanos()))
}

/// When a source emits packets.
#[derive(Clone, Debug)]
pub enum Arrivals {
    /// Every `period`, each send delayed by a jitter drawn from `jitter` (seconds, typically
    /// `uniform(0, j)`): send k happens at `phase + k·period + jitter_k`, so jitter never
    /// accumulates into drift. The phase is drawn once, uniform on `[0, period)`, so that
    /// devices switched on together do not transmit in lock-step.
    Periodic {
        /// The period.
        period: SimTime,
        /// The jitter added to each send, in seconds.
        jitter: Dist,
    },
    /// A Poisson process: exponential gaps of mean 1/`rate_per_s` (event-driven alarms, or the
    /// arrivals of an M/M/c test).
    Poisson {
        /// Mean events per second, λ.
        rate_per_s: f64,
    },
}

/// What every source of one stream shares: when its packets are sent, their size, records and
/// class, their deadline and acknowledgement. Held once per stream (`Arc`) and read by its
/// sources (its senders or its destinations), so that a source is its own facts only: at a
/// million devices each copy would cost 56 bytes per source.
#[derive(Clone, Debug)]
pub struct StreamSpec {
    /// The arrival process.
    pub arrivals: Arrivals,
    /// Payload size of each packet (before any per-hop security overhead).
    pub size: Bytes,
    /// Clinical records carried by each packet (what an eavesdropper exposes).
    pub records: u32,
    /// The packet class.
    pub class: TrafficClass,
    /// Deadline from creation to delivery; a late or lost packet counts in `deadline_misses`.
    pub deadline: Option<SimTime>,
    /// If set, the destination acknowledges each delivered packet with one of this size, sent
    /// back to the source (a command to a pump or an implant and its confirmation).
    pub ack: Option<Bytes>,
}

impl StreamSpec {
    /// A stream of routine packets of `size` bytes carrying one record each, with no deadline
    /// and no acknowledgement.
    pub fn routine(arrivals: Arrivals, size: Bytes) -> StreamSpec {
        StreamSpec {
            arrivals,
            size,
            records: 1,
            class: TrafficClass::Routine,
            deadline: None,
            ack: None,
        }
    }
}

/// One stream of packets from a device to a destination: the source's own facts and its
/// stream's shared ones (48 bytes).
#[derive(Clone, Debug)]
pub struct SourceSpec {
    /// Stable, unique name; names the source's random stream.
    pub name: Name,
    /// The sending node.
    pub node: NodeId,
    /// The destination node.
    pub dst: NodeId,
    /// What the sources of its stream (its senders or its destinations) share: arrivals,
    /// size, records, class, deadline and acknowledgement.
    pub stream: Arc<StreamSpec>,
    /// The patient whose readings it carries; `None` for shared infrastructure (a gateway's
    /// model updates, a device nobody wears).
    pub patient: Option<PatientId>,
}

impl SourceSpec {
    /// The stream's facts to change, for a model being built or a test: its own copy if the
    /// stream is shared with other sources (`Arc::make_mut`).
    pub fn stream_mut(&mut self) -> &mut StreamSpec {
        Arc::make_mut(&mut self.stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_its_own_facts_and_a_pointer_to_its_stream() {
        assert_eq!(std::mem::size_of::<SourceSpec>(), 48);
        let stream = Arc::new(StreamSpec::routine(
            Arrivals::Poisson { rate_per_s: 1.0 },
            Bytes(48),
        ));
        let mut a = SourceSpec {
            name: Name::from("a/vitals"),
            node: NodeId(0),
            dst: NodeId(1),
            stream: stream.clone(),
            patient: None,
        };
        let b = SourceSpec {
            name: Name::from("b/vitals"),
            node: NodeId(2),
            ..a.clone()
        };
        assert!(Arc::ptr_eq(&a.stream, &b.stream));
        a.stream_mut().size = Bytes(64);
        assert_eq!((a.stream.size, b.stream.size), (Bytes(64), Bytes(48)));
        assert!(Arc::ptr_eq(&b.stream, &stream));
    }
}
