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
    /// Whether the packet is what its source sent, altered on the way, or traffic an attack
    /// or a defense added.
    pub origin: Origin,
}

/// Where a packet comes from, as far as security is concerned.
///
/// Genuine and tampered packets are the deployment's own traffic and count in every traffic
/// metric (a tampered reading is still a reading that arrived). Forged, replayed, flood and
/// cover packets are extra traffic: they load the same queues, links and batteries, but the
/// engine counts them apart (`extra_packets_*`) and the security layer judges what they achieve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// As the source sent it.
    Genuine,
    /// A genuine packet whose content an attacker altered on the way.
    Tampered,
    /// Made by an attacker under a legitimate source's identity (spoofing, Sybil, therapy
    /// manipulation).
    Forged,
    /// A copy of a recorded genuine packet, sent again later.
    Replayed,
    /// Attack traffic meant only to load the network (flooding, DDoS).
    Flood,
    /// Traffic a defense adds (cover traffic against traffic analysis, model updates).
    Cover,
}

impl Origin {
    /// Whether the packet belongs to the deployment's own traffic (genuine or tampered).
    #[inline]
    pub fn is_own_traffic(self) -> bool {
        matches!(self, Origin::Genuine | Origin::Tampered)
    }

    /// Whether the content is not what the claimed source sent (tampered, forged, replayed).
    #[inline]
    pub fn is_illegitimate(self) -> bool {
        matches!(self, Origin::Tampered | Origin::Forged | Origin::Replayed)
    }
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
