//! The engine's extension points, through which the security layer (the `attacks` crate) sees
//! and prices traffic. The engine is generic over [`Hooks`], so calls are static and inlined:
//! no boxed closures, no dynamic dispatch on the hot path.

use crate::ids::{LinkId, NodeId};
use crate::packet::Packet;
use crate::time::SimTime;
use crate::units::{Bytes, Cycles};

/// One packet about to cross one link.
#[derive(Clone, Copy, Debug)]
pub struct Transmission {
    /// The simulated instant the sender hands it to the link.
    pub now: SimTime,
    /// The link.
    pub link: LinkId,
    /// The sending node.
    pub from: NodeId,
    /// The receiving node.
    pub to: NodeId,
    /// The packet.
    pub packet: Packet,
    /// Whether the packet counts in the measured window (created at or after the warm-up).
    pub measured: bool,
}

/// What protecting one transmission costs, charged by the engine: `overhead` bytes go on the
/// wire (serialisation delay and radio energy grow), `sender_cycles` delay the transmission and
/// are charged to the sender's crypto energy, `receiver_cycles` delay the arrival and are
/// charged to the receiver's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkCost {
    /// Bytes added on the wire (nonce, tag, header).
    pub overhead: Bytes,
    /// CPU cycles at the sender (encrypt, MAC).
    pub sender_cycles: Cycles,
    /// CPU cycles at the receiver (decrypt, verify).
    pub receiver_cycles: Cycles,
}

/// A named scalar result of one run (`records_exposed`); `None` when undefined in this run.
pub type Scalar = (&'static str, Option<f64>);

/// The kinds of discrete happening a run reports on its timeline (`incidents.csv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IncidentKind {
    /// A battery emptied and its node died (reported by the engine).
    BatteryDeath,
    /// An attack took control of a node (a foothold other attacks may chain from).
    Compromise,
    /// A defense detected an attack (true positive).
    Detection,
    /// A defense raised an alarm with no attack behind it.
    FalseAlarm,
    /// A defense cut a node off the network.
    Isolation,
}

impl IncidentKind {
    /// Every kind, in output order.
    pub const ALL: [IncidentKind; 5] = [
        IncidentKind::BatteryDeath,
        IncidentKind::Compromise,
        IncidentKind::Detection,
        IncidentKind::FalseAlarm,
        IncidentKind::Isolation,
    ];

    /// The snake_case name used in outputs.
    pub fn name(self) -> &'static str {
        match self {
            IncidentKind::BatteryDeath => "battery_death",
            IncidentKind::Compromise => "compromise",
            IncidentKind::Detection => "detection",
            IncidentKind::FalseAlarm => "false_alarm",
            IncidentKind::Isolation => "isolation",
        }
    }

    /// The kind with this output name.
    pub fn from_name(name: &str) -> Option<IncidentKind> {
        IncidentKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One discrete happening at one instant: a node died, was compromised, an attack was detected.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    /// When it happened.
    pub at: SimTime,
    /// What happened.
    pub kind: IncidentKind,
    /// The node it happened to, if it concerns one node.
    pub node: Option<NodeId>,
    /// Who caused or reported it (an attack's or a defense's name), empty if nobody in
    /// particular (a battery).
    pub by: String,
}

/// Observers and modifiers of the traffic. Every method has a default that does nothing, so
/// `()` is the "no security" hook set.
pub trait Hooks {
    /// A source has emitted `packet` at `now`.
    #[inline]
    fn on_generate(&mut self, _now: SimTime, _packet: &Packet) {}

    /// A packet is about to cross a link: observe it (eavesdroppers) and price its protection.
    #[inline]
    fn on_transmit(&mut self, _tx: &Transmission) -> LinkCost {
        LinkCost::default()
    }

    /// Appends this hook set's results to the run's scalars, in a fixed order.
    fn report(&self, _out: &mut Vec<Scalar>) {}

    /// Appends this hook set's time series values at `now`, a point of the run's time grid
    /// (e.g. `records_exposed` so far, `compromised_nodes`). Called at every grid point with
    /// the same names in the same order; each name becomes a series of `timeseries.csv` and
    /// must not repeat an engine series' name. `None` where undefined at this instant.
    /// Called outside the hot path, but it should not allocate: `out` is reused.
    fn sample(&self, _now: SimTime, _out: &mut Vec<Scalar>) {}

    /// Appends this hook set's incidents (compromises, detections, false alarms, isolations)
    /// at the end of the run, in any order; the engine sorts the run's timeline by time.
    fn incidents(&self, _out: &mut Vec<Incident>) {}
}

impl Hooks for () {}
