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

/// One stream of packets from a device to a destination.
#[derive(Clone, Debug)]
pub struct SourceSpec {
    /// Stable, unique name; names the source's random stream.
    pub name: Name,
    /// The sending node.
    pub node: NodeId,
    /// The destination node.
    pub dst: NodeId,
    /// The arrival process, shared by the sources of one stream (its senders or its
    /// destinations).
    pub arrivals: Arc<Arrivals>,
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
    /// The patient whose readings it carries; `None` for shared infrastructure (a gateway's
    /// model updates, a device nobody wears).
    pub patient: Option<PatientId>,
}
