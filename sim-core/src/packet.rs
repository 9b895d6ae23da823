//! The unit of traffic.

use crate::ids::{NodeId, SourceId};
use crate::time::SimTime;
use crate::traffic::TrafficClass;
use crate::units::Bytes;

/// A packet in flight. `Copy` and 32 bytes, so moving it through events allocates nothing;
/// what does not change per packet (deadline, name) stays in its [`SourceSpec`](crate::traffic::SourceSpec).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Packet {
    /// When the source emitted it (or the hooks injected it).
    pub created: SimTime,
    /// Who it is from: the source that emitted it, or whose identity an injected copy or
    /// forgery claims; or the node the hooks injected it at, under no source's name.
    pub source: Sender,
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
    /// Whether the packet is what its source sent, altered on the way, or traffic the hooks
    /// added.
    pub origin: Origin,
    /// Its number in its source's emissions, from 0: with `source`, the identity of a reading
    /// ([`Packet::reading`]). An injected copy keeps the original's; other injected packets
    /// carry 0 (they are no reading of the deployment).
    pub seq: u32,
}

/// Who a packet is from: a source of the model, or a node the hooks injected the packet at.
///
/// Packed into 4 bytes so a [`Packet`] stays 32 bytes (an enum of two `u32` ids takes 8): the
/// top bit tells a node from a source, the low 31 bits hold the id. Build one with
/// [`Sender::of_source`] or [`Sender::at_node`] (or `SourceId::into()`), read it with
/// [`Sender::kind`] (match-friendly) or [`Sender::source`]. Ordering is that of
/// [`SenderKind`]: every source before every node, each by id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sender(u32);

/// What a [`Sender`] holds, unpacked for matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SenderKind {
    /// A source of the model: the one that emitted it, or, for a packet the hooks injected,
    /// the one whose identity it claims.
    Source(SourceId),
    /// A node the hooks injected it at, under no source's name.
    Node(NodeId),
}

impl Sender {
    /// The bit that marks a node.
    const NODE: u32 = 1 << 31;

    /// From the source `s` (ids below 2³¹, which any model that fits in memory meets).
    #[inline]
    pub const fn of_source(s: SourceId) -> Sender {
        debug_assert!(s.0 < Self::NODE);
        Sender(s.0)
    }

    /// Injected at node `n`, under no source's name (ids below 2³¹).
    #[inline]
    pub const fn at_node(n: NodeId) -> Sender {
        debug_assert!(n.0 < Self::NODE);
        Sender(n.0 | Self::NODE)
    }

    /// Unpacked, for `match`.
    #[inline]
    pub const fn kind(self) -> SenderKind {
        if self.0 & Self::NODE == 0 {
            SenderKind::Source(SourceId(self.0))
        } else {
            SenderKind::Node(NodeId(self.0 & !Self::NODE))
        }
    }

    /// The source, if it is from one.
    #[inline]
    pub const fn source(self) -> Option<SourceId> {
        match self.kind() {
            SenderKind::Source(s) => Some(s),
            SenderKind::Node(_) => None,
        }
    }

    /// The node it was injected at, if it is from no source.
    #[inline]
    pub const fn node(self) -> Option<NodeId> {
        match self.kind() {
            SenderKind::Node(n) => Some(n),
            SenderKind::Source(_) => None,
        }
    }
}

impl std::fmt::Debug for Sender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind().fmt(f)
    }
}

impl From<SourceId> for Sender {
    #[inline]
    fn from(s: SourceId) -> Sender {
        Sender::of_source(s)
    }
}

impl From<SenderKind> for Sender {
    #[inline]
    fn from(k: SenderKind) -> Sender {
        match k {
            SenderKind::Source(s) => Sender::of_source(s),
            SenderKind::Node(n) => Sender::at_node(n),
        }
    }
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
    /// The reading this packet carries or claims: (source, sequence number); `None` for a
    /// packet from no source.
    #[inline]
    pub fn reading(&self) -> Option<ReadingId> {
        Some(ReadingId {
            source: self.source.source()?,
            seq: self.seq,
        })
    }
}

/// Where a packet comes from, as far as the engine is concerned.
///
/// Genuine and tampered packets are the deployment's own traffic and count in every traffic
/// metric (a tampered reading is still a reading that arrived). Injected packets are extra
/// traffic the hooks added ([`Action::Inject`](crate::hooks::Action::Inject)): they load the
/// same queues, links and batteries, but the engine counts them apart (`extra_packets_*`), and
/// what they are (forged, replayed, flood, cover) is the hooks' business, told by their tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// As the source sent it.
    Genuine,
    /// A genuine packet whose content the hooks altered on the way ([`Fate::Tamper`](crate::hooks::Fate::Tamper)).
    Tampered,
    /// Added by the hooks, with their own tag for what it is.
    Injected(InjectTag),
}

/// The hooks' own mark on a packet they inject: the engine carries it and never reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InjectTag(pub u8);

impl Origin {
    /// Whether the packet belongs to the deployment's own traffic (genuine or tampered).
    #[inline]
    pub fn is_own_traffic(self) -> bool {
        matches!(self, Origin::Genuine | Origin::Tampered)
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
        assert_eq!(std::mem::size_of::<super::Packet>(), 32);
        assert_eq!(std::mem::size_of::<super::Sender>(), 4);
    }

    #[test]
    fn a_reading_is_its_source_and_sequence_number() {
        use super::*;
        let p = Packet {
            created: SimTime::ZERO,
            source: SourceId(3).into(),
            dst: NodeId(1),
            size: Bytes(10),
            records: 1,
            class: TrafficClass::Routine,
            kind: PacketKind::Data,
            origin: Origin::Genuine,
            seq: 7,
        };
        let copy = Packet {
            origin: Origin::Injected(InjectTag(1)),
            created: SimTime::from_secs(5),
            ..p
        };
        let next = Packet { seq: 8, ..p };
        assert_eq!(p.reading(), copy.reading());
        assert_ne!(p.reading(), next.reading());
        assert_ne!(
            p.reading(),
            Packet {
                source: SourceId(4).into(),
                ..p
            }
            .reading()
        );
        let injected = Packet {
            source: Sender::at_node(NodeId(3)),
            ..p
        };
        assert_eq!(injected.reading(), None);
    }

    #[test]
    fn a_packed_sender_unpacks_to_what_it_was_built_from() {
        use super::*;
        for id in [0, 1, 7, 1 << 20, (1 << 31) - 1] {
            let s = Sender::of_source(SourceId(id));
            assert_eq!(s.kind(), SenderKind::Source(SourceId(id)));
            assert_eq!(s.source(), Some(SourceId(id)));
            assert_eq!(s.node(), None);
            let n = Sender::at_node(NodeId(id));
            assert_eq!(n.kind(), SenderKind::Node(NodeId(id)));
            assert_eq!(n.source(), None);
            assert_eq!(n.node(), Some(NodeId(id)));
            assert_ne!(s, n);
            assert_eq!(Sender::from(s.kind()), s);
            assert_eq!(Sender::from(n.kind()), n);
        }
        // The order of the unpacked enum: every source before every node, each by id.
        let mut v = [
            Sender::at_node(NodeId(0)),
            Sender::of_source(SourceId(9)),
            Sender::at_node(NodeId(2)),
            Sender::of_source(SourceId(1)),
        ];
        let mut kinds: Vec<SenderKind> = v.iter().map(|s| s.kind()).collect();
        v.sort();
        kinds.sort();
        assert_eq!(v.iter().map(|s| s.kind()).collect::<Vec<_>>(), kinds);
    }
}
