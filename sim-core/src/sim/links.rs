//! The links' transmitters and channels.
//!
//! Each direction of a link has one transmitter, a FIFO server: a packet starts when both it
//! (after the sender's encryption) and the transmitter are ready, and occupies it for its
//! serialisation time `8·size / rate`, so a busy link queues. The channel then loses the packet
//! with the link's fixed probability, or delivers it after a propagation delay drawn from the
//! link's distribution. Both draws come from the link's own stream, once per packet whatever
//! the security layer decides, so that the stream stays aligned across attack and defense
//! variants (common random numbers).
//!
//! Invariant: `free[l][d]` is the instant the transmitter of link `l` in direction `d`
//! (0: leaving the link's first endpoint) finishes its last packet; it only moves forward.

use crate::dist::bernoulli;
use crate::ids::{LinkId, NodeId};
use crate::rng::{self, Stream};
use crate::time::SimTime;
use crate::topology::{LinkSpec, Topology};

/// The transmitters and random streams of every link.
#[derive(Debug)]
pub(super) struct Links {
    ends: Vec<(NodeId, NodeId)>,
    free: Vec<[SimTime; 2]>,
    rngs: Vec<Stream>,
}

impl Links {
    /// The links of `topo` for replication `seed`, every transmitter free.
    pub(super) fn new(topo: &Topology, seed: u64) -> Links {
        let ends: Vec<_> = topo.link_ids().map(|l| topo.endpoints(l)).collect();
        Links {
            free: vec![[SimTime::ZERO; 2]; ends.len()],
            ends,
            rngs: topo
                .link_ids()
                .map(|l| rng::stream(seed, &format!("link:{}", topo.link(l).name)))
                .collect(),
        }
    }

    /// The transmitter of `link` leaving `from` takes a packet ready at `ready` for
    /// `serialisation`; returns the instant its last bit is sent.
    #[inline]
    pub(super) fn occupy(
        &mut self,
        link: LinkId,
        from: NodeId,
        ready: SimTime,
        serialisation: SimTime,
    ) -> SimTime {
        let dir = usize::from(self.ends[link.index()].0 != from);
        let free = &mut self.free[link.index()][dir];
        let done = ready.max(*free).saturating_add(serialisation);
        *free = done;
        done
    }

    /// The channel of `link` (specified by `spec`) carries one packet: `None` if the link
    /// loses it, else its propagation delay.
    #[inline]
    pub(super) fn cross(&mut self, link: LinkId, spec: &LinkSpec) -> Option<SimTime> {
        let rng = &mut self.rngs[link.index()];
        if bernoulli(rng, spec.loss) {
            return None;
        }
        Some(spec.latency.sample_time(rng))
    }
}
