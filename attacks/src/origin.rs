//! What a packet is, as the security layer sees it: the deployment's own (as sent, or altered
//! on the way), or traffic an attack or a defense added. The engine knows only genuine,
//! tampered and injected ([`sim_core::Origin`]); an injected packet carries this layer's tag
//! ([`InjectTag`]), written by [`Origin::mark`] and read back by [`Origin::of`].

use sim_core::{InjectTag, Packet};

/// Where a packet comes from, as far as security is concerned.
///
/// Genuine and tampered packets are the deployment's own traffic. Forged, replayed, flood and
/// cover packets are extra traffic, injected by an attack or a defense.
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
    /// Traffic a defense adds (cover traffic against traffic analysis).
    Cover,
}

impl Origin {
    /// What `p` is: the engine's origin, with an injected packet's tag read back (the tags
    /// of [`Origin::mark`]). A tag this layer never writes reads as flood (extra traffic that
    /// claims nothing).
    #[inline]
    pub fn of(p: &Packet) -> Origin {
        match p.origin {
            sim_core::Origin::Genuine => Origin::Genuine,
            sim_core::Origin::Tampered => Origin::Tampered,
            sim_core::Origin::Injected(InjectTag(0)) => Origin::Forged,
            sim_core::Origin::Injected(InjectTag(1)) => Origin::Replayed,
            sim_core::Origin::Injected(InjectTag(3)) => Origin::Cover,
            sim_core::Origin::Injected(_) => Origin::Flood,
        }
    }

    /// The engine's origin for a packet of this origin: genuine and tampered as they are,
    /// the others injected with their tag.
    #[inline]
    pub fn mark(self) -> sim_core::Origin {
        match self {
            Origin::Genuine => sim_core::Origin::Genuine,
            Origin::Tampered => sim_core::Origin::Tampered,
            Origin::Forged => sim_core::Origin::Injected(InjectTag(0)),
            Origin::Replayed => sim_core::Origin::Injected(InjectTag(1)),
            Origin::Flood => sim_core::Origin::Injected(InjectTag(2)),
            Origin::Cover => sim_core::Origin::Injected(InjectTag(3)),
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::{Bytes, NodeId, PacketKind, SimTime, SourceId, TrafficClass};

    #[test]
    fn every_origin_reads_back_as_marked_and_only_the_added_ones_are_injected() {
        let all = [
            Origin::Genuine,
            Origin::Tampered,
            Origin::Forged,
            Origin::Replayed,
            Origin::Flood,
            Origin::Cover,
        ];
        for o in all {
            let p = Packet {
                created: SimTime::ZERO,
                source: SourceId(0).into(),
                dst: NodeId(1),
                size: Bytes(1),
                records: 0,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: o.mark(),
                seq: 0,
            };
            assert_eq!(Origin::of(&p), o);
            assert_eq!(p.origin.is_own_traffic(), o.is_own_traffic(), "{o:?}");
            assert_eq!(
                matches!(p.origin, sim_core::Origin::Injected(_)),
                !o.is_own_traffic(),
                "{o:?}"
            );
        }
    }
}
