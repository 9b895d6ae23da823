//! The unit of traffic.

use crate::ids::{NodeId, SourceId};
use crate::time::SimTime;
use crate::traffic::TrafficClass;
use crate::units::Bytes;

/// A packet in flight. `Copy` and 32 bytes, so moving it through events allocates nothing;
/// what does not change per packet (deadline, name) stays in its [`SourceSpec`](crate::traffic::SourceSpec).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet {
    /// When the source emitted it.
    pub created: SimTime,
    /// Which source emitted it.
    pub source: SourceId,
    /// Where it is going.
    pub dst: NodeId,
    /// Payload size (security overhead is added per hop, not here).
    pub size: Bytes,
    /// Clinical records it carries.
    pub records: u32,
    /// Its class.
    pub class: TrafficClass,
    /// Data, or the acknowledgement of a data packet (going back to its source).
    pub kind: PacketKind,
}

/// Whether a packet carries data or acknowledges it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketKind {
    /// A data packet (readings, alarms, commands).
    Data,
    /// An acknowledgement: `created` is the acknowledged packet's, so its delivery time minus
    /// `created` is the command's round trip.
    Ack,
}

#[cfg(test)]
mod tests {
    #[test]
    fn packet_stays_small() {
        assert!(std::mem::size_of::<super::Packet>() <= 32);
    }
}
