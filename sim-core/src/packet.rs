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
    /// Its number in its source's emissions, from 0: with `source`, the identity of a reading
    /// ([`Packet::reading`]). A replayed copy keeps the original's; forged, flood and cover
    /// packets carry 0 (they are no reading of the deployment).
    pub seq: u32,
}

/// The identity of a reading: the source that emitted it and its number there. A reading
/// captured on two hops, or by two attackers, is one reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReadingId {
    /// The emitting source.
    pub source: SourceId,
    /// Its number in the source's emissions.
    pub seq: u32,
}

impl Packet {
    /// The reading this packet carries: (source, sequence number).
    #[inline]
    pub fn reading(&self) -> ReadingId {
        ReadingId {
            source: self.source,
            seq: self.seq,
        }
    }
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

    #[test]
    fn a_reading_is_its_source_and_sequence_number() {
        use super::*;
        let p = Packet {
            created: SimTime::ZERO,
            source: SourceId(3),
            dst: NodeId(1),
            size: Bytes(10),
            records: 1,
            class: TrafficClass::Routine,
            kind: PacketKind::Data,
            origin: Origin::Genuine,
            seq: 7,
        };
        let copy = Packet {
            origin: Origin::Replayed,
            created: SimTime::from_secs(5),
            ..p
        };
        let next = Packet { seq: 8, ..p };
        assert_eq!(p.reading(), copy.reading());
        assert_ne!(p.reading(), next.reading());
        assert_ne!(
            p.reading(),
            Packet {
                source: SourceId(4),
                ..p
            }
            .reading()
        );
    }
}
