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
}

impl Hooks for () {}
