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
//! A radio link ([`RadioLink`]) instead occupies its transmitter for the frame's airtime,
//! `8·(size + overhead) / bit_rate`, and puts the frame on the shared medium of its technology
//! and channel. The frame's fate is decided when it ends ([`Links::frame_end`]): it is lost if
//! the receiver was sending (half duplex) or had locked on an earlier frame it could hear
//! (busy), else `Receiver::receive` gives its success probability from the SINR of each chunk
//! of constant interference — every overlapping frame on the channel, at its power at this
//! receiver over the distance from its transmitter, through the interferer's own link's
//! path-loss model ([`crate::phy::medium`] documents the choice) — and one draw from the link's
//! stream decides. Each link end's reach (where its mean power falls below the channel's
//! floor, noise − 33 dB) is computed once here, so a frame prices only the interferers that
//! can matter at its receiver.
//!
//! Invariant: `free[l][d]` is the instant the transmitter of link `l` in direction `d`
//! (0: leaving the link's first endpoint) finishes its last packet; it only moves forward.
//! Allocation-free in steady state: frames on the air sit in a slab whose free slots are
//! reused, and the interference list is one scratch buffer.

use rand::Rng;

use crate::dist::bernoulli;
use crate::ids::{LinkId, NodeId};
use crate::packet::Packet;
use crate::phy::jammer::{JammerKind, JammerTimeline, hop_hit_probability};
use crate::phy::medium::{self, Frame, InterferencePath, Medium};
use crate::phy::reception::{Interference, Outcome, Receiver};
use crate::phy::{Db, Dbm};
use crate::rng::{self, Stream};
use crate::time::SimTime;
use crate::topology::{JammerSite, LinkSpec, RadioLink, Topology};
use crate::units::Hertz;

/// Interferers more than this far below the noise floor change the SINR by under 0.05 %; the
/// medium skips them.
const NEGLIGIBLE_BELOW_NOISE: Db = Db(33.0);

/// What the engine needs back when a radio frame ends: the packet and the context of its hop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Hand {
    /// The packet the frame carries.
    pub packet: Packet,
    /// The hop's link.
    pub link: LinkId,
    /// The receiving node.
    pub to: NodeId,
    /// When the sender handed the packet to the link.
    pub sent: SimTime,
    /// Whether the packet counts in the statistics.
    pub measured: bool,
    /// The security layer's verdict, applied if the frame survives the channel.
    pub fate: crate::hooks::Fate,
    /// The receiver's decryption time.
    pub decrypt: SimTime,
}

/// A radio frame on the air.
#[derive(Clone, Copy, Debug)]
struct OnAir {
    id: u64,
    dir: usize,
    start: SimTime,
    bits: u64,
    hand: Hand,
    /// The MAC port that sent it ([`access`]), or `NO_PORT`.
    port: u32,
    /// Earlier transmissions of the same packet on this hop (MAC retries).
    attempt: u8,
    /// The data channel a BLE connection hopped to for it, when its MAC chose one.
    hop: Option<u8>,
}

/// No MAC port: the frame of a link without a MAC.
const NO_PORT: u32 = u32::MAX;

/// The physical layer of one radio link for one run.
#[derive(Clone, Copy, Debug)]
struct Air {
    spec: RadioLink,
    /// Medium channel index (one per technology and channel number).
    channel: usize,
    /// This run's shadowing of the link, dB (same both ways).
    shadowing: Db,
    receiver: Receiver,
    /// The path from this link's transmitters to other links' receivers.
    path: InterferencePath,
    /// Per direction: the distance beyond which this link's frames arrive below the floor of
    /// its technology's receivers ([`crate::phy::medium::reach`]).
    reach: [f64; 2],
}

impl Air {
    /// Received power at the far end of direction `dir`.
    fn signal(&self, dir: usize) -> Dbm {
        self.spec.tx_power[dir]
            .minus(self.spec.path_loss.mean_loss(self.spec.distance()))
            .minus(self.shadowing)
    }
}

/// How a radio frame ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Arrival {
    /// Received; the packet reaches the far end after this propagation delay.
    Received(SimTime),
    /// Lost on the channel.
    Lost,
}

/// The transmitters and random streams of every link.
#[derive(Debug)]
pub(super) struct Links {
    ends: Vec<(NodeId, NodeId)>,
    free: Vec<[SimTime; 2]>,
    rngs: Vec<Stream>,
    air: Vec<Option<Air>>,
    medium: Medium,
    frames: Vec<Option<OnAir>>,
    vacant: Vec<u32>,
    next_frame: u64,
    /// The longest airtime put on the air so far.
    longest: SimTime,
    scratch: Vec<Interference>,
    jammers: Vec<Jamming>,
    /// Medium access of the links that have a MAC.
    access: access::Access,
    /// The replication's seed (the MACs' backoffs are keyed by packet, [`super::draws`]).
    seed: u64,
}

mod access;
pub(super) use access::{Effect, MacLoss, Pending, Wake};

/// One jammer for one run: its site, timeline and stream.
#[derive(Debug)]
struct Jamming {
    site: JammerSite,
    timeline: JammerTimeline,
    rng: Stream,
}

impl Links {
    /// The links of `topo` for replication `seed`, every transmitter free; each radio link
    /// draws its shadowing from its own stream (so fixed-loss links' streams are untouched).
    pub(super) fn new(topo: &Topology, seed: u64) -> Links {
        let ends: Vec<_> = topo.link_ids().map(|l| topo.endpoints(l)).collect();
        let mut rngs: Vec<Stream> = topo
            .link_ids()
            .map(|l| rng::stream(seed, &format!("link:{}", topo.link(l).name)))
            .collect();
        // One medium channel per (technology, channel number) in use, in link order.
        let mut keys: Vec<(&'static str, u32)> = Vec::new();
        let air = topo
            .link_ids()
            .map(|l| {
                let spec = *topo.radio(l)?;
                let key = (spec.technology.name, spec.channel);
                let channel = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                    keys.push(key);
                    keys.len() - 1
                });
                let t = spec.technology;
                let floor = t.noise().minus(NEGLIGIBLE_BELOW_NOISE);
                let path = InterferencePath::of_link(spec.path_loss, Hertz(t.default_frequency));
                let reach = |d: usize| medium::reach(&path, spec.tx_power[d], floor);
                Some(Air {
                    path,
                    reach: [reach(0), reach(1)],
                    spec,
                    channel,
                    shadowing: spec.path_loss.draw_shadowing(&mut rngs[l.index()]),
                    receiver: Receiver {
                        sensitivity: t.sensitivity,
                        noise: t.noise(),
                        lock_threshold: t.lock_threshold,
                        modulation: t.modulation,
                        bit_rate: t.bit_rate,
                    },
                })
            })
            .collect::<Vec<Option<Air>>>();
        let channel_of: Vec<Option<usize>> =
            air.iter().map(|a| a.as_ref().map(|a| a.channel)).collect();
        Links {
            seed,
            access: access::Access::new(topo, &channel_of),
            free: vec![[SimTime::ZERO; 2]; ends.len()],
            ends,
            rngs,
            air,
            medium: Medium::new(keys.len()),
            frames: Vec::new(),
            vacant: Vec::new(),
            next_frame: 0,
            longest: SimTime::ZERO,
            scratch: Vec::new(),
            jammers: topo
                .jammers()
                .iter()
                .map(|j| Jamming {
                    site: j.clone(),
                    timeline: JammerTimeline::new(),
                    rng: rng::stream(seed, &format!("jammer:{}", j.name)),
                })
                .collect(),
        }
    }

    /// The physical layer of `link`, if it is a radio link.
    #[inline]
    pub(super) fn radio(&self, link: LinkId) -> Option<&RadioLink> {
        self.air[link.index()].as_ref().map(|a| &a.spec)
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
        let dir = self.direction(link, from);
        let free = &mut self.free[link.index()][dir];
        let done = ready.max(*free).saturating_add(serialisation);
        *free = done;
        done
    }

    #[inline]
    fn direction(&self, link: LinkId, from: NodeId) -> usize {
        usize::from(self.ends[link.index()].0 != from)
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

    /// Radio `link` sends a frame of `bits` bits from `from` over `[start, end)`, asked at
    /// `now` (≤ `start`, calls in non-decreasing `now`). Returns the frame's handle for
    /// [`Links::frame_end`], to be called at `end`. Panics if `link` is not a radio link.
    pub(super) fn send_frame(
        &mut self,
        now: SimTime,
        from: NodeId,
        start: SimTime,
        end: SimTime,
        bits: u64,
        hand: Hand,
    ) -> u32 {
        self.send_frame_tagged(now, from, start, end, bits, hand, NO_PORT, 0, None)
    }

    /// [`Links::send_frame`] for MAC `port`'s `attempt`-th retransmission (0: the first
    /// transmission), on BLE data channel `hop` when the MAC chose it.
    #[allow(clippy::too_many_arguments)]
    fn send_frame_tagged(
        &mut self,
        now: SimTime,
        from: NodeId,
        start: SimTime,
        end: SimTime,
        bits: u64,
        hand: Hand,
        port: u32,
        attempt: u8,
        hop: Option<u8>,
    ) -> u32 {
        let link = hand.link;
        let dir = self.direction(link, from);
        let air = self.air[link.index()].expect("a radio link");
        let id = self.next_frame;
        self.next_frame += 1;
        self.longest = self.longest.max(end.saturating_sub(start));
        self.medium.put(
            air.channel,
            Frame {
                id,
                sender: from.0,
                from: air.spec.ends[dir],
                power: air.spec.tx_power[dir],
                path: air.path,
                reach: air.reach[dir],
                start,
                end,
            },
            now,
        );
        let on_air = OnAir {
            id,
            dir,
            start,
            bits,
            hand,
            port,
            attempt,
            hop,
        };
        match self.vacant.pop() {
            Some(slot) => {
                self.frames[slot as usize] = Some(on_air);
                slot
            }
            None => {
                self.frames.push(Some(on_air));
                (self.frames.len() - 1) as u32
            }
        }
    }

    /// The frame `slot` ends: its fate on the channel, and the hop it belongs to. One draw for
    /// the frame's success and one for its propagation delay (both always, first), then the
    /// hopping draws: from the packet's keyed generator (replication
    /// `seed`, [`super::draws`]) for the deployment's own packets, else from the link's stream.
    pub(super) fn frame_end(&mut self, slot: u32, spec: &LinkSpec, seed: u64) -> (Arrival, Hand) {
        let f = self.frames[slot as usize]
            .take()
            .expect("a frame handle is used once");
        self.vacant.push(slot);
        let link = f.hand.link;
        let air = self.air[link.index()].expect("a radio link");
        let rx_dir = 1 - f.dir;
        let rx_at = air.spec.ends[rx_dir];
        self.scratch.clear();
        let met = self.medium.interference(
            air.channel,
            f.id,
            f.hand.to.0,
            rx_at,
            air.receiver.noise.minus(NEGLIGIBLE_BELOW_NOISE),
            &mut self.scratch,
        );
        // A hopping technology's links (BLE connections) each follow their own hop sequence:
        // another link's frame is on this frame's channel with probability 1/channels
        // (independent pseudo-random hopping), drawn per overlapping frame.
        // A MAC's retransmission of the packet draws anew (its place tagged with the
        // attempt); the first transmission keeps the link's own place.
        let mut keyed = super::draws::keyed(
            seed,
            &f.hand.packet,
            link.0 ^ u32::from(f.attempt).rotate_right(8),
            super::draws::Purpose::Crossing,
        );
        let t = air.spec.technology;
        // The frame's own draws come first and always, whatever the outcome and however many
        // frames overlapped it: its success draw `u` and its propagation delay. So a variant
        // that lengthens frames (a cipher's bytes) and so changes which frames overlap keeps
        // every packet's success and delay draws (common random numbers).
        let (u, delay) = {
            let rng = match keyed.as_mut() {
                Some(rng) => rng,
                None => &mut self.rngs[link.index()],
            };
            let u: f64 = rng.random();
            (u, spec.latency.sample_time(rng))
        };
        if t.hopping && t.channels > 1 {
            let rng = match keyed.as_mut() {
                Some(rng) => rng,
                None => &mut self.rngs[link.index()],
            };
            let share = 1.0 / f64::from(t.channels);
            self.scratch.retain(|_| bernoulli(rng, share));
        }
        // Busy: locked on an earlier frame it could hear (at or above its sensitivity), as an
        // 802.15.4 receiver syncs on any frame's SFD (ns-3 `LrWpanPhy`, radio.md §B1). A
        // hopping technology's receiver (BLE) syncs only on its own connection's access
        // address (the 4-byte field after the preamble, radio.md §D2 [U]), so another
        // connection's frame does not hold it; it only adds interference. Its own connection's
        // other direction is half duplex, handled above.
        let audible = air.receiver.sensitivity.to_mw().0;
        let busy = !t.hopping
            && self
                .scratch
                .iter()
                .any(|i| i.start < f.start && i.power.0 >= audible);
        // Jammers on this technology and channel add their emissions at this receiver; a
        // deceptive one holds a receiver it can be heard by, like an earlier frame.
        let end = f.start.saturating_add(SimTime::from_secs_f64(
            f.bits as f64 / air.spec.technology.bit_rate,
        ));
        let mut deceived = false;
        for j in &mut self.jammers {
            if j.site.technology.name != t.name {
                continue;
            }
            let hit = if let Some(c) = f.hop {
                // The MAC hopped to channel `c` for this frame.
                j.site.jammer.channels >> c & 1 == 1
            } else if t.hopping {
                let used = if t.channels >= 64 {
                    u64::MAX
                } else {
                    (1u64 << t.channels) - 1
                };
                bernoulli(
                    &mut j.rng,
                    hop_hit_probability(j.site.jammer.channels, used),
                )
            } else {
                air.spec.channel < 64 && j.site.jammer.channels >> air.spec.channel & 1 == 1
            };
            if !hit {
                continue;
            }
            let power = j.site.jammer.power.minus(
                j.site
                    .path_loss
                    .mean_loss(j.site.jammer.position.distance(rx_at)),
            );
            if power < air.receiver.noise.minus(NEGLIGIBLE_BELOW_NOISE) {
                continue;
            }
            if matches!(j.site.jammer.kind, JammerKind::Deceptive)
                && power >= air.receiver.sensitivity
            {
                deceived = true;
            }
            // Frames end in event order but, with different airtimes, may start out of order;
            // a random jammer's timeline is asked from `end − longest airtime`, which only
            // moves forward, so it keeps every phase a later frame may still overlap (phases
            // before the frame's start are ignored by the reception). A reactive jammer senses
            // the frame's real start.
            let from = match j.site.jammer.kind {
                JammerKind::Random { .. } => end.saturating_sub(self.longest).min(f.start),
                _ => f.start,
            };
            j.timeline.emissions(
                &j.site.jammer.kind,
                &mut j.rng,
                from,
                end,
                power.to_mw(),
                &mut self.scratch,
            );
        }
        let p = if met.transmitting || busy || deceived {
            0.0
        } else {
            match air
                .receiver
                .receive(air.signal(f.dir), f.start, f.bits, &self.scratch)
            {
                Outcome::Success(p) => p,
                Outcome::BelowSensitivity | Outcome::NoLock => 0.0,
            }
        };
        let arrival = if u >= p {
            Arrival::Lost
        } else {
            Arrival::Received(delay)
        };
        (arrival, f.hand)
    }

    /// The MAC port that sent frame `slot`, if its link has a MAC.
    pub(super) fn frame_port(&self, slot: u32) -> Option<u32> {
        self.frames[slot as usize]
            .as_ref()
            .map(|f| f.port)
            .filter(|&p| p != NO_PORT)
    }

    /// The link frame `slot` is on.
    pub(super) fn hand_link(&self, slot: u32) -> LinkId {
        self.frames[slot as usize]
            .as_ref()
            .map_or(LinkId(0), |f| f.hand.link)
    }

    /// Frames still on the air (their packets are in flight).
    pub(super) fn frames_on_air(&self) -> u64 {
        (self.frames.len() - self.vacant.len()) as u64
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

    pub(in crate::sim::links) mod radio {
        use super::super::*;
        use crate::dist::Dist;
        use crate::hooks::Fate;
        use crate::ids::SourceId;
        use crate::packet::{Origin, PacketKind};
        use crate::phy::error_model::sinr_for_success;
        use crate::phy::technology::{IEEE802154, Technology};
        use crate::phy::{PathLoss, Position};
        use crate::topology::{DeviceSpec, Layer, NodeSpec};
        use crate::traffic::TrafficClass;
        use crate::units::{BitsPerSecond, Bytes, Hertz, Joules, Watts};

        /// 802.15.4 with its sensitivity out of the way, so that the share delivered follows
        /// the error model down to low SINR.
        static DEEP: Technology = Technology {
            sensitivity: Dbm(-130.0),
            ..IEEE802154
        };
        /// Log-distance, n = 3, PL(1 m) = 40.05 dB, no shadowing.
        const PL: PathLoss = PathLoss::LogDistance {
            reference_loss: Db(40.05),
            reference_distance: 1.0,
            exponent: 3.0,
            shadowing: Db(0.0),
        };

        /// Radio links `(from, to, channel)` of `technology` between nodes at `at`, 0 dBm
        /// both ways, path loss [`PL`]. The medium-access tests build on it too.
        pub(in crate::sim::links) fn on_air(
            technology: &'static Technology,
            at: &[Position],
            links: &[(u32, u32, u32)],
        ) -> Topology {
            let mut topo = Topology::new();
            for (k, _) in at.iter().enumerate() {
                topo.add_node(NodeSpec {
                    name: format!("n{k}"),
                    group: "n".into(),
                    layer: Layer::Sensing,
                    device: DeviceSpec {
                        station: None,
                        battery: None,
                        sleep_power: Watts(0.0),
                        cpu_hz: Hertz(1e6),
                        energy_per_cycle: Joules(0.0),
                    },
                });
            }
            for &(a, b, channel) in links {
                let l = topo.add_link(
                    NodeId(a),
                    NodeId(b),
                    LinkSpec {
                        name: format!("l{a}-{b}"),
                        group: "radio".into(),
                        rate: BitsPerSecond(technology.bit_rate),
                        latency: Dist::constant(0.0).unwrap(),
                        loss: 0.0,
                        tx_energy_per_bit: Joules(0.0),
                        rx_energy_per_bit: Joules(0.0),
                    },
                );
                topo.set_radio(
                    l,
                    RadioLink {
                        technology,
                        channel,
                        tx_power: [Dbm(0.0); 2],
                        ends: [at[a as usize], at[b as usize]],
                        path_loss: PL,
                    },
                );
            }
            topo
        }

        /// [`on_air`] on [`DEEP`], with the links' state.
        fn air(at: &[Position], links: &[(u32, u32, u32)]) -> (Topology, Links) {
            let topo = on_air(&DEEP, at, links);
            let links = Links::new(&topo, 3);
            (topo, links)
        }

        /// A hop of a fresh reading: every call numbers a new packet (per test thread, so each
        /// test sees the same numbers every time), so that draws keyed by the packet's
        /// identity differ from frame to frame as they do in a run.
        fn hand(link: u32, to: u32) -> Hand {
            thread_local!(static SEQ: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
            let seq = SEQ.with(|c| c.replace(c.get() + 1));
            Hand {
                packet: Packet {
                    created: SimTime::ZERO,
                    source: SourceId(0),
                    dst: NodeId(to),
                    size: Bytes(20),
                    records: 0,
                    seq,
                    class: TrafficClass::Routine,
                    kind: PacketKind::Data,
                    origin: Origin::Genuine,
                },
                link: LinkId(link),
                to: NodeId(to),
                sent: SimTime::ZERO,
                measured: true,
                fate: Fate::Forward,
                decrypt: SimTime::ZERO,
            }
        }

        const BITS: u64 = 26 * 8; // 20 bytes of payload and 6 of framing
        const AIRTIME_US: u64 = BITS * 4; // 250 kbit/s

        /// Sends `n` frames on link 0 (node 0 → 1), each overlapped exactly by a frame of every
        /// other link `(link, from, to, offset µs)`; returns the share link 0 delivered.
        fn share(
            topo: &Topology,
            links: &mut Links,
            others: &[(u32, u32, u32, i64)],
            n: u64,
        ) -> f64 {
            let mut ok = 0u64;
            for k in 0..n {
                let t0 = 10_000 * (k + 1);
                let us = SimTime::from_micros;
                let mut slots = Vec::new();
                let mut sends: Vec<(u64, u32, u32, u32)> = vec![(t0, 0, 0, 1)];
                for &(l, a, b, off) in others {
                    sends.push(((t0 as i64 + off) as u64, l, a, b));
                }
                sends.sort();
                for (t, l, a, b) in sends {
                    let slot = links.send_frame(
                        us(t),
                        NodeId(a),
                        us(t),
                        us(t + AIRTIME_US),
                        BITS,
                        hand(l, b),
                    );
                    slots.push((t + AIRTIME_US, l, slot));
                }
                slots.sort();
                for (_, l, slot) in slots {
                    let (arrival, h) = links.frame_end(slot, topo.link(LinkId(l)), 3);
                    if h.link == LinkId(0) && arrival != Arrival::Lost {
                        ok += 1;
                    }
                }
            }
            ok as f64 / n as f64
        }

        /// The distance at which 0 dBm arrives at `signal` under [`PL`].
        fn distance_for(signal: Dbm) -> f64 {
            10f64.powf((0.0 - 40.05 - signal.0) / 30.0)
        }

        fn within_ci(got: f64, want: f64, n: u64) -> bool {
            (got - want).abs() < 4.0 * (want * (1.0 - want) / n as f64).sqrt() + 1.0 / n as f64
        }

        #[test]
        fn a_radio_link_delivers_the_share_its_sinr_predicts() {
            let noise = DEEP.noise();
            for target in [0.1, 0.5, 0.9] {
                let sinr = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, target));
                let d = distance_for(noise.plus(sinr));
                let (topo, mut links) = air(
                    &[Position::new(0.0, 0.0), Position::new(d, 0.0)],
                    &[(0, 1, 0)],
                );
                let n = 20_000;
                let got = share(&topo, &mut links, &[], n);
                assert!(
                    within_ci(got, target, n),
                    "{d:.1} m: delivered {got}, formula {target}"
                );
            }
        }

        #[test]
        fn an_overlapping_transmitter_on_the_same_channel_lowers_delivery_another_channel_does_not()
        {
            // Link 0 at 99 % success alone; a second sender beyond the receiver at 0 dBm, heard
            // there 3 dB below the noise floor.
            let di = distance_for(DEEP.noise().minus(Db(3.0)));
            let noise = DEEP.noise();
            let sinr = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, 0.99));
            let d = distance_for(noise.plus(sinr));
            let at = [
                Position::new(0.0, 0.0),
                Position::new(d, 0.0),
                Position::new(d + di, 0.0),
                Position::new(d + 5.0 * di, 0.0),
            ];
            // The interference at the receiver, by hand: S/(N + I) in milliwatts.
            let s = 10f64.powf((0.0 - 40.05 - 30.0 * d.log10()) / 10.0);
            let i = 10f64.powf((0.0 - 40.05 - 30.0 * di.log10()) / 10.0);
            let n_mw = 10f64.powf(noise.0 / 10.0);
            let want = DEEP.modulation.chunk_success(s / (n_mw + i), BITS as f64);
            assert!(want < 0.8 && want > 0.05, "the set-up should bite: {want}");
            let n = 20_000;
            let (topo, mut links) = air(&at, &[(0, 1, 0), (2, 3, 0)]);
            let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
            assert!(
                within_ci(got, want, n),
                "same channel: {got}, formula {want}"
            );
            let (topo, mut links) = air(&at, &[(0, 1, 0), (2, 3, 1)]);
            let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
            assert!(within_ci(got, 0.99, n), "other channel: {got}, want 0.99");
        }

        #[test]
        fn an_interferer_reaches_the_receiver_through_its_own_links_model() {
            use crate::phy::path_loss::friis_db;
            // Link 0 under log-distance n = 3 at 99 % success alone; link 1's sender, under
            // free space (Friis, 2.4 GHz), stands where Friis puts it 3 dB below the noise at
            // link 0's receiver. Under link 0's own model the same distance would cost
            // 10·log10(d) dB more and barely matter; the share follows the Friis figure.
            let noise = DEEP.noise();
            let i_dbm = noise.minus(Db(3.0));
            let di = 10f64.powf((0.0 - i_dbm.0 - friis_db(1.0, crate::units::Hertz(2.4e9))) / 20.0);
            let sinr = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, 0.99));
            let d = distance_for(noise.plus(sinr));
            let at = [
                Position::new(0.0, 0.0),
                Position::new(d, 0.0),
                Position::new(d, di),
                Position::new(d, di + 1.0),
            ];
            // By hand, in milliwatts: S from n = 3 over d, I from Friis over di.
            let s = 10f64.powf((0.0 - 40.05 - 30.0 * d.log10()) / 10.0);
            let i = 10f64.powf(-friis_db(di, crate::units::Hertz(2.4e9)) / 10.0);
            let n_mw = 10f64.powf(noise.0 / 10.0);
            let want = DEEP.modulation.chunk_success(s / (n_mw + i), BITS as f64);
            assert!(want < 0.8 && want > 0.05, "the set-up should bite: {want}");
            let (mut topo, _) = air(&at, &[(0, 1, 0), (2, 3, 0)]);
            let mut r = *topo.radio(LinkId(1)).unwrap();
            r.path_loss = PathLoss::free_space(crate::units::Hertz(2.4e9));
            topo.set_radio(LinkId(1), r);
            let mut links = Links::new(&topo, 3);
            let n = 20_000;
            let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
            assert!(
                within_ci(got, want, n),
                "Friis interferer: {got}, by hand {want}"
            );
        }

        #[test]
        fn a_receiver_locked_on_an_earlier_frame_or_sending_loses_the_frame() {
            // A clean link (2 m) and a sender 3 m from the receiver that starts 100 µs
            // earlier: the receiver is busy with it and loses every frame of link 0.
            let at = [
                Position::new(0.0, 0.0),
                Position::new(2.0, 0.0),
                Position::new(5.0, 0.0),
                Position::new(400.0, 0.0),
            ];
            // A fresh run each time: the medium's clock only moves forward.
            let run = |others: &[(u32, u32, u32, i64)]| {
                let (topo, mut links) = air(&at, &[(0, 1, 0), (2, 3, 0)]);
                share(&topo, &mut links, others, 200)
            };
            assert_eq!(run(&[]), 1.0);
            assert_eq!(run(&[(1, 2, 3, -100)]), 0.0);
            // The same sender starting 100 µs later only interferes (2 m against 3 m under
            // n = 3: SINR 5.3 dB, where O-QPSK loses almost nothing): most frames survive.
            assert!(run(&[(1, 2, 3, 100)]) > 0.9);
            // Half duplex: the receiver itself sends on the channel meanwhile (node 1 → 0 on
            // the same link, the other direction).
            assert_eq!(run(&[(0, 1, 0, 50)]), 0.0);
        }

        #[test]
        fn a_jammer_raises_the_error_rate_to_what_its_sinr_gives_and_a_random_one_to_the_mixture() {
            use crate::phy::jammer::{Jammer, JammerKind};
            use crate::topology::JammerSite;
            // Link 0 over 2 m; a 0 dBm jammer on channel 0 at distance dj from the receiver,
            // placed where the SINR it causes gives 40 % success.
            let noise = DEEP.noise();
            let s_dbm = Dbm(-40.05 - 30.0 * 2f64.log10());
            let target = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, 0.4));
            // J = S / γ − N, in milliwatts, then the distance that gives it.
            let j_mw = s_dbm.to_mw().0 / target.to_linear() - noise.to_mw().0;
            let dj = distance_for(crate::phy::MilliWatts(j_mw).to_dbm());
            let at = [Position::new(0.0, 0.0), Position::new(2.0, 0.0)];
            let jam = |kind: JammerKind, channels: u64| {
                let (mut topo, _) = air(&at, &[(0, 1, 0)]);
                topo.add_jammer(JammerSite {
                    name: "j".into(),
                    technology: &DEEP,
                    jammer: Jammer {
                        position: Position::new(2.0, dj),
                        power: Dbm(0.0),
                        channels,
                        kind,
                    },
                    path_loss: PL,
                });
                let mut links = Links::new(&topo, 5);
                share(&topo, &mut links, &[], 20_000)
            };
            let got = jam(JammerKind::Constant, 1);
            assert!(
                within_ci(got, 0.4, 20_000),
                "constant jammer: {got}, formula 0.4"
            );
            // On channel 1 only: link 0 (channel 0) is untouched.
            let got = jam(JammerKind::Constant, 0b10);
            assert_eq!(got, 1.0);
            // On 50 ms, off 50 ms, frames every 10 ms: half of them meet it.
            let fifty = Dist::constant(0.05).unwrap();
            let got = jam(
                JammerKind::Random {
                    on: fifty.clone(),
                    off: fifty,
                },
                1,
            );
            assert!(
                within_ci(got, 0.5 * 0.4 + 0.5, 20_000),
                "random jammer: {got}, mixture 0.7"
            );
        }

        #[test]
        fn another_connections_earlier_frame_holds_an_802154_receiver_but_not_a_ble_one() {
            use crate::phy::technology::BLE_1M;
            // Link 0 over 2 m (−49 dBm under n = 3); link 1's sender 30 m from link 0's
            // receiver (−84.4 dBm: above both sensitivities, 35 dB under the signal) starts
            // 100 µs earlier on the same channel.
            let at = [
                Position::new(0.0, 0.0),
                Position::new(2.0, 0.0),
                Position::new(32.0, 0.0),
                Position::new(400.0, 0.0),
            ];
            let (topo, mut links) = air(&at, &[(0, 1, 0), (2, 3, 0)]);
            // 802.15.4: the receiver locks on the earlier frame's SFD and misses every frame.
            assert_eq!(share(&topo, &mut links, &[(1, 2, 3, -100)], 500), 0.0);
            let (mut topo, _) = air(&at, &[(0, 1, 0), (2, 3, 0)]);
            for l in 0..2u32 {
                let mut r = *topo.radio(LinkId(l)).unwrap();
                r.technology = &BLE_1M;
                topo.set_radio(LinkId(l), r);
            }
            // BLE: the other connection's access address does not sync it; 35 dB of SIR
            // costs nothing when the hop coincides.
            let mut links = Links::new(&topo, 9);
            assert_eq!(share(&topo, &mut links, &[(1, 2, 3, -100)], 2000), 1.0);
        }

        #[test]
        fn another_hopping_link_meets_a_frame_on_one_channel_in_37() {
            use crate::phy::technology::BLE_1M;
            // Two BLE links on one medium; the second sender 1 m from the receiver of the
            // first, whose own sender is 2 m away (log-distance, n = 3): SINR −9 dB, below the
            // lock threshold, so a frame is lost exactly when the other link's frame is on its
            // hop channel: delivery 36/37.
            let at = [
                Position::new(0.0, 0.0),
                Position::new(2.0, 0.0),
                Position::new(3.0, 0.0),
                Position::new(400.0, 0.0),
            ];
            let (mut topo, _) = air(&at, &[(0, 1, 0), (2, 3, 0)]);
            for l in 0..2u32 {
                let mut r = *topo.radio(LinkId(l)).unwrap();
                r.technology = &BLE_1M;
                topo.set_radio(LinkId(l), r);
            }
            let mut links = Links::new(&topo, 9);
            let n = 20_000;
            // Both frames start together; the interferer covers the whole 208 µs frame.
            let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
            assert!(
                within_ci(got, 36.0 / 37.0, n),
                "delivered {got}, want 36/37"
            );
        }
    }
}
