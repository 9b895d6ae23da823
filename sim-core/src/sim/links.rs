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
    /// loses it, else its propagation delay. `keyed`: the packet's own generator
    /// ([`super::draws`]), else the link's stream.
    #[inline]
    pub(super) fn cross(
        &mut self,
        link: LinkId,
        spec: &LinkSpec,
        keyed: Option<&mut Stream>,
    ) -> Option<SimTime> {
        // --- keyed per-packet draws (super::draws): the only change for issue 11 ---
        let rng = match keyed {
            Some(rng) => rng,
            None => &mut self.rngs[link.index()],
        };
        // --- end ---
        if bernoulli(rng, spec.loss) {
            return None;
        }
        Some(spec.latency.sample_time(rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Dist;
    use crate::topology::{DeviceSpec, Layer, NodeSpec};
    use crate::units::{BitsPerSecond, Hertz, Joules, Watts};

    fn two_nodes(loss: f64) -> (Topology, LinkSpec) {
        let mut topo = Topology::new();
        for name in ["a", "b"] {
            topo.add_node(NodeSpec {
                name: name.into(),
                group: name.into(),
                layer: Layer::Network,
                device: DeviceSpec {
                    station: None,
                    battery: None,
                    sleep_power: Watts(0.0),
                    cpu_hz: Hertz(1e6),
                    energy_per_cycle: Joules(0.0),
                },
            });
        }
        let spec = LinkSpec {
            name: "ab".into(),
            group: "ab".into(),
            rate: BitsPerSecond(1e6),
            latency: Dist::constant(0.002).unwrap(),
            loss,
            tx_energy_per_bit: Joules(0.0),
            rx_energy_per_bit: Joules(0.0),
        };
        topo.add_link(NodeId(0), NodeId(1), spec.clone());
        (topo, spec)
    }

    #[test]
    fn each_direction_is_its_own_fifo_transmitter() {
        let (topo, _) = two_nodes(0.0);
        let mut links = Links::new(&topo, 1);
        let (l, ms) = (LinkId(0), SimTime::from_millis);
        assert_eq!(links.occupy(l, NodeId(0), ms(0), ms(10)), ms(10));
        // Same direction: waits for the first packet's last bit.
        assert_eq!(links.occupy(l, NodeId(0), ms(5), ms(10)), ms(20));
        // The other direction is free.
        assert_eq!(links.occupy(l, NodeId(1), ms(5), ms(10)), ms(15));
        // A packet ready after the transmitter is free starts when ready.
        assert_eq!(links.occupy(l, NodeId(0), ms(30), ms(1)), ms(31));
    }

    #[test]
    fn the_channel_loses_with_its_probability_or_adds_its_delay() {
        let (topo, spec) = two_nodes(0.25);
        let mut links = Links::new(&topo, 7);
        let crossings: Vec<_> = (0..40_000)
            .map(|_| links.cross(LinkId(0), &spec, None))
            .collect();
        let lost = crossings.iter().filter(|c| c.is_none()).count() as f64 / 40_000.0;
        // σ = √(p(1−p)/n) ≈ 0.0022; allow 4σ.
        assert!((lost - 0.25).abs() < 0.009, "{lost}");
        assert!(
            crossings
                .iter()
                .flatten()
                .all(|&d| d == SimTime::from_millis(2))
        );
    }
}
