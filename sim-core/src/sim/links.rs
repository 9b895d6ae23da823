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
//! can matter at its receiver. On a frequency-hopping technology (BLE) another frame counts
//! only when it is on the same data channel: both frames' MACs chose their hop channels (each
//! BLE connection its own CSA#2 sequence) and are compared; a hopping frame without a chosen
//! channel shares this one's with probability 1/channels, drawn.
//!
//! Invariant: `free[l][d]` is the instant the transmitter of link `l` in direction `d`
//! (0: leaving the link's first endpoint) finishes its last packet; it only moves forward.
//! Allocation-free in steady state: frames on the air sit in a slab whose free slots are
//! reused, and the interference list is one scratch buffer.

use rand::Rng;

use crate::dist::bernoulli;
use crate::ids::{LinkId, NodeId};
use crate::mobility::Motion;
use crate::packet::Packet;
use crate::phy::Position;
use crate::phy::jammer::{JammerKind, JammerTimeline, hop_hit_probability};
use crate::phy::medium::{self, Frame, InterferencePath, Medium};
use crate::phy::path_loss::PathLoss;
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
    /// Whether it is a MAC's acknowledgement of the hop's frame, sent back by `hand.link`'s
    /// other end to `hand.to` (the frame's sender).
    ack: bool,
}

/// The bit that tags an ACK's place among a packet's keyed draws ([`super::draws`]): link
/// indices stay below it, attempts sit above it.
const ACK_PLACE: u32 = 1 << 23;

/// No MAC port: the frame of a link without a MAC.
const NO_PORT: u32 = u32::MAX;

/// The medium's sender of an attacker's frame: no node's radio.
const FOREIGN_SENDER: u32 = u32::MAX;

/// The physical layer of one radio link for one run: what its [`RadioLink`] (read from the
/// model's topology, never copied per run) does not say.
#[derive(Clone, Copy, Debug)]
struct Air {
    /// Medium channel index (one per technology and channel number).
    channel: u32,
    /// Whether the path from this link's transmitters to other links' receivers also takes
    /// the room's model (an on-body or implant link): its channel's, [`Links::rooms`].
    room: bool,
    /// This run's shadowing of the link, dB (same both ways).
    shadowing: Db,
    /// Per direction: the distance beyond which this link's frames arrive below the floor of
    /// its technology's receivers ([`crate::phy::medium::reach`]).
    reach: [f64; 2],
}

impl Air {
    /// The path from this link's transmitters to other links' receivers
    /// ([`InterferencePath::of_link`], whose `own` model is the link's, `spec`: stored once,
    /// in the topology; and whose room model depends on the technology alone: stored once per
    /// medium channel, in `rooms`).
    #[inline]
    fn path(&self, spec: &RadioLink, rooms: &[Option<PathLoss>]) -> InterferencePath {
        InterferencePath {
            own: spec.path_loss,
            room: if self.room {
                rooms[self.channel()]
            } else {
                None
            },
        }
    }

    /// The medium channel's index.
    #[inline]
    fn channel(&self) -> usize {
        self.channel as usize
    }

    /// Received power at the far end of direction `dir`, the ends `distance` m apart.
    fn signal(&self, spec: &RadioLink, dir: usize, distance: f64) -> Dbm {
        spec.tx_power[dir]
            .minus(spec.path_loss.mean_loss(distance))
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
pub(super) struct Links<'m> {
    /// The model's topology: each radio link's [`RadioLink`], shared by every replication.
    topo: &'m Topology,
    ends: Vec<(NodeId, NodeId)>,
    free: Vec<[SimTime; 2]>,
    rngs: Vec<Stream>,
    air: Vec<Option<Air>>,
    medium: Medium,
    /// Per medium channel, its receivers' figures (one technology per channel): kept once
    /// here rather than in every link's `Air`, 40 bytes a link.
    receivers: Vec<Receiver>,
    /// Per medium channel, the room's model on the interference path of its on-body and
    /// implant links ([`InterferencePath::of_link`], a function of the technology's
    /// frequency): kept once here rather than in every link's `Air`, 40 bytes a link.
    rooms: Vec<Option<PathLoss>>,
    frames: Vec<Option<OnAir>>,
    vacant: Vec<u32>,
    next_frame: u64,
    /// The longest airtime put on the air so far.
    longest: SimTime,
    scratch: Vec<Interference>,
    jammers: Vec<Jamming>,
    /// Medium access of the links that have a MAC.
    access: access::Access,
    /// The replication's keyed-draw seed (the MACs' backoffs are keyed by packet,
    /// [`super::draws`]).
    keys: super::draws::KeyedSeed,
    /// Where the moving nodes are ([`crate::mobility`]); nothing when every node stands.
    motion: Motion,
    /// Per link, the instant its ends are associated (a roaming client reassociating with an
    /// access point, [`super::roaming`]); empty without roaming clients.
    associated_from: Vec<SimTime>,
    /// Per link, the time frames spent on its air so far.
    airtime: Vec<SimTime>,
    /// Whether the frame being put on the air is an attacker's.
    foreign: bool,
    /// Which medium channels of different technologies overlap in frequency.
    coexistence: coexistence::Coexistence,
}

mod access;
mod coexistence;
pub(super) use access::{Effect, MacLoss, Pending, Wake};

/// One jammer for one run: its site, timeline and stream.
#[derive(Debug)]
struct Jamming {
    site: JammerSite,
    timeline: JammerTimeline,
    rng: Stream,
}

impl<'m> Links<'m> {
    /// The links of `topo` for replication `seed`, every transmitter free; each radio link
    /// draws its shadowing from its own stream (so fixed-loss links' streams are untouched).
    pub(super) fn new(topo: &'m Topology, seed: u64) -> Links<'m> {
        let ends: Vec<_> = topo.link_ids().map(|l| topo.endpoints(l)).collect();
        let mut rngs: Vec<Stream> = topo
            .link_ids()
            .map(|l| rng::stream(seed, &format!("link:{}", topo.link(l).name)))
            .collect();
        // One medium channel per (technology, channel number) in use, in link order.
        let mut keys: Vec<(&'static str, u32)> = Vec::new();
        let mut media: Vec<(&'static crate::phy::technology::Technology, u32)> = Vec::new();
        let mut receivers = Vec::new();
        let mut rooms: Vec<Option<PathLoss>> = Vec::new();
        let air = topo
            .link_ids()
            .map(|l| {
                let spec = *topo.radio(l)?;
                let key = (spec.technology.name, spec.channel);
                let channel = keys.iter().position(|k| *k == key).unwrap_or_else(|| {
                    keys.push(key);
                    media.push((spec.technology, spec.channel));
                    let t = spec.technology;
                    receivers.push(Receiver {
                        sensitivity: t.sensitivity,
                        noise: t.noise(),
                        lock_threshold: t.lock_threshold,
                        modulation: t.modulation,
                        bit_rate: t.bit_rate,
                    });
                    rooms.push(None);
                    keys.len() - 1
                });
                let t = spec.technology;
                let floor = t.noise().minus(NEGLIGIBLE_BELOW_NOISE);
                let path = InterferencePath::of_link(spec.path_loss, Hertz(t.default_frequency));
                let reach = |d: usize| medium::reach(&path, spec.tx_power[d], floor);
                if path.room.is_some() {
                    debug_assert!(rooms[channel].is_none_or(|r| Some(r) == path.room));
                    rooms[channel] = path.room;
                }
                Some(Air {
                    room: path.room.is_some(),
                    reach: [reach(0), reach(1)],
                    channel: u32::try_from(channel).expect("under 2³² medium channels"),
                    shadowing: spec.path_loss.draw_shadowing(&mut rngs[l.index()]),
                })
            })
            .collect::<Vec<Option<Air>>>();
        let channel_of: Vec<Option<usize>> =
            air.iter().map(|a| a.as_ref().map(Air::channel)).collect();
        let names = topo.motion_names();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut links = Links {
            topo,
            motion: Motion::new(topo.node_count(), topo.movements(), &names, seed),
            associated_from: if topo.roaming().is_empty() {
                Vec::new()
            } else {
                vec![SimTime::ZERO; ends.len()]
            },
            keys: super::draws::KeyedSeed::new(seed),
            airtime: vec![SimTime::ZERO; ends.len()],
            foreign: false,
            access: access::Access::new(topo, &channel_of, seed),
            free: vec![[SimTime::ZERO; 2]; ends.len()],
            ends,
            rngs,
            air,
            medium: Medium::new(keys.len()),
            receivers,
            rooms,
            coexistence: coexistence::Coexistence::new(&media),
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
        };
        links.map_carrier_sense();
        links
    }

    /// The physical layer of `link`, if it is a radio link.
    #[inline]
    pub(super) fn radio(&self, link: LinkId) -> Option<&'m RadioLink> {
        self.topo.radio(link)
    }

    /// The physical layer of radio `link`, from the model's topology.
    #[inline]
    fn spec(&self, link: LinkId) -> &'m RadioLink {
        self.topo.radio(link).expect("a radio link")
    }

    /// Asks the memory for what sending on `link` reads first: its description and ends,
    /// and its transmitters (`crate::prefetch`); changes nothing.
    #[inline]
    pub(super) fn prefetch(&self, link: LinkId) {
        self.topo.prefetch_link(link);
        crate::prefetch::prefetch_at(&self.free, link.index());
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
        let ready = self.associated(link, ready);
        let free = &mut self.free[link.index()][dir];
        let done = ready.max(*free).saturating_add(serialisation);
        *free = done;
        done
    }

    /// The instant a packet ready at `ready` may leave on `link`: not before the link's ends
    /// are associated.
    #[inline]
    fn associated(&self, link: LinkId, ready: SimTime) -> SimTime {
        match self.associated_from.get(link.index()) {
            Some(&t) => ready.max(t),
            None => ready,
        }
    }

    /// Holds `link`'s traffic until `at` (a reassociation in progress).
    pub(super) fn associate_at(&mut self, link: LinkId, at: SimTime) {
        if let Some(t) = self.associated_from.get_mut(link.index()) {
            *t = at;
        }
    }

    /// Where end `dir` of radio `link` is at `t`: its placement, unless its node moves.
    #[inline]
    fn end_at(&mut self, link: LinkId, dir: usize, t: SimTime) -> Position {
        let placed = self
            .topo
            .radio(link)
            .map_or(Position::default(), |r| r.ends[dir]);
        if !self.motion.any() {
            return placed;
        }
        let (a, b) = self.ends[link.index()];
        let node = if dir == 0 { a } else { b };
        self.motion.position(node, t).unwrap_or(placed)
    }

    /// The mean signal (path loss at the ends' distance at `t`, and this run's shadowing)
    /// received over radio `link` from end `from`; `None` for a link that is not a radio link.
    pub(super) fn mean_signal(&mut self, link: LinkId, from: NodeId, t: SimTime) -> Option<Dbm> {
        self.air[link.index()]?;
        let dir = self.direction(link, from);
        let d = self.end_at(link, 0, t).distance(self.end_at(link, 1, t));
        let spec = self.spec(link);
        self.air[link.index()].map(|a| a.signal(spec, dir, d))
    }

    /// 0 for a packet leaving the link's first end, 1 for one leaving its second. Read from
    /// the topology's link record, which the hop reads anyway (one cache line fewer per hop
    /// than `ends`).
    #[inline]
    fn direction(&self, link: LinkId, from: NodeId) -> usize {
        usize::from(self.topo.endpoints(link).0 != from)
    }

    /// The channel of `link` (specified by `spec`) carries one packet: `None` if the link
    /// loses it, else its propagation delay. `keyed`: the packet's own generator
    /// ([`super::draws`]), else the link's stream.
    #[inline]
    pub(super) fn cross(
        &mut self,
        link: LinkId,
        spec: &LinkSpec,
        keyed: impl FnOnce() -> Option<Stream>,
    ) -> Option<SimTime> {
        if spec.loss <= 0.0
            && let Some(latency) = spec.latency.const_value()
        {
            // Nothing to draw (a wire): no generator derived, none advanced.
            return Some(SimTime::from_secs_f64(latency));
        }
        // Keyed per-packet draws (super::draws), the link's stream for extra traffic.
        let mut keyed = keyed();
        let rng = match keyed.as_mut() {
            Some(rng) => rng,
            None => &mut self.rngs[link.index()],
        };
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

    /// An attacker's radio, standing by end `from` of radio link `hand.link`, sends a frame of
    /// `bits` bits over `[now, end)` to the link's other end, on no particular hop channel and
    /// outside the link's transmitter and MAC ([`crate::hooks::Action::Air`]). Its frames do
    /// not make `from` a transmitting end (half duplex concerns `from`'s own radio only). The
    /// link's airtime ([`Links::airtime`]) counts it. Returns the handle for
    /// [`Links::frame_end`].
    pub(super) fn send_foreign_frame(
        &mut self,
        now: SimTime,
        from: NodeId,
        end: SimTime,
        bits: u64,
        hand: Hand,
    ) -> u32 {
        self.foreign = true;
        let slot = self.send_frame_tagged(now, from, now, end, bits, hand, NO_PORT, 0, None);
        self.foreign = false;
        slot
    }

    /// The time frames have spent on `link`'s air so far (every transmission and
    /// retransmission, the deployment's and an attacker's), either direction.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) fn airtime(&self, link: LinkId) -> SimTime {
        self.airtime
            .get(link.index())
            .copied()
            .unwrap_or(SimTime::ZERO)
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
        let spec = self.spec(link);
        let id = self.next_frame;
        self.next_frame += 1;
        self.longest = self.longest.max(end.saturating_sub(start));
        self.airtime[link.index()] =
            self.airtime[link.index()].saturating_add(end.saturating_sub(start));
        let at = self.end_at(link, dir, now);
        self.medium.put(
            air.channel(),
            Frame {
                id,
                sender: if self.foreign { FOREIGN_SENDER } else { from.0 },
                from: at,
                power: spec.tx_power[dir],
                path: air.path(spec, &self.rooms),
                reach: air.reach[dir],
                start,
                end,
                hop: hop.unwrap_or(medium::NO_HOP),
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
            ack: false,
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

    /// MAC `port`'s acknowledgement of the frame that carried `hand` (its `attempt`-th
    /// retransmission): sent by `hand.to` back to `sender` over `[start, end)`, asked at `now`,
    /// on the medium like any frame (others' CCAs sense it, interference and jammers can
    /// destroy it at `sender`). Returns the handle for [`Links::frame_end`], whose `Hand` then
    /// has `to` = `sender`.
    #[allow(clippy::too_many_arguments)]
    fn send_ack(
        &mut self,
        now: SimTime,
        sender: NodeId,
        start: SimTime,
        end: SimTime,
        hand: Hand,
        port: u32,
        attempt: u8,
    ) -> u32 {
        let t = self.spec(hand.link).technology;
        let bits = (end.saturating_sub(start).as_secs_f64() * t.bit_rate).round() as u64;
        let back = Hand { to: sender, ..hand };
        let slot =
            self.send_frame_tagged(now, hand.to, start, end, bits, back, port, attempt, None);
        if let Some(f) = self.frames[slot as usize].as_mut() {
            f.ack = true;
        }
        slot
    }

    /// The frame `slot` ends: its fate on the channel, and the hop it belongs to. One draw for
    /// the frame's success and one for its propagation delay (both always, first), then the
    /// hopping draws: from the packet's keyed generator ([`super::draws`]) for the
    /// deployment's own packets, else from the link's stream.
    pub(super) fn frame_end(&mut self, slot: u32, spec: &LinkSpec) -> (Arrival, Hand) {
        let f = self.frames[slot as usize]
            .take()
            .expect("a frame handle is used once");
        self.vacant.push(slot);
        let link = f.hand.link;
        let air = self.air[link.index()].expect("a radio link");
        let radio = self.spec(link);
        let receiver = self.receivers[air.channel()];
        let rx_dir = 1 - f.dir;
        // The ends where they are as the frame ends (the event's instant).
        let end = f.start.saturating_add(SimTime::from_secs_f64(
            f.bits as f64 / radio.technology.bit_rate,
        ));
        let rx_at = self.end_at(link, rx_dir, end);
        let distance = if self.motion.any() {
            rx_at.distance(self.end_at(link, f.dir, end))
        } else {
            radio.distance()
        };
        // A MAC's retransmission of the packet draws anew (its place tagged with the
        // attempt); the first transmission keeps the link's own place.
        // An ACK draws apart from the frame it acknowledges (its place tagged as an ACK).
        let mut keyed = super::draws::keyed(
            self.keys,
            &f.hand.packet,
            link.0 ^ u32::from(f.attempt).rotate_right(8) ^ if f.ack { ACK_PLACE } else { 0 },
            super::draws::Purpose::Crossing,
        );
        let t = radio.technology;
        // The frame's own draws come first and always, whatever the outcome and however many
        // frames overlapped it: its success draw `u` and its propagation delay. So a variant
        // that lengthens frames (a cipher's bytes) and so changes which frames overlap keeps
        // every packet's success and delay draws (common random numbers).
        let rng = match keyed.as_mut() {
            Some(rng) => rng,
            None => &mut self.rngs[link.index()],
        };
        let u: f64 = rng.random();
        let delay = spec.latency.sample_time(rng);
        // A hopping technology's frames (BLE connection events) interfere only on the same
        // hop channel: when both frames' MACs chose their channels (each connection's own
        // CSA#2 sequence, [`crate::mac::ble_connection`]) the channels are compared; a frame
        // of a hopping link without a connection is on this one's channel with probability
        // 1/channels, drawn (after the frame's own draws, so they stay paired).
        let hopping = t.hopping && t.channels > 1;
        let share = 1.0 / f64::from(t.channels.max(1));
        self.scratch.clear();
        let met = self.medium.interference_on(
            air.channel(),
            f.id,
            f.hop.unwrap_or(medium::NO_HOP),
            f.hand.to.0,
            rx_at,
            receiver.noise.minus(NEGLIGIBLE_BELOW_NOISE),
            |mine, its| {
                if !hopping {
                    true
                } else if mine != medium::NO_HOP && its != medium::NO_HOP {
                    mine == its
                } else {
                    bernoulli(rng, share)
                }
            },
            &mut self.scratch,
        );
        // Busy: locked on an earlier frame it could hear (at or above its sensitivity), as an
        // 802.15.4 receiver syncs on any frame's SFD (ns-3 `LrWpanPhy`, radio.md §B1). A
        // hopping technology's receiver (BLE) syncs only on its own connection's access
        // address (the 4-byte field after the preamble, radio.md §D2 [U]), so another
        // connection's frame does not hold it; it only adds interference. Its own connection's
        // other direction is half duplex, handled above.
        let audible = receiver.sensitivity.to_mw().0;
        let busy = !t.hopping
            && self
                .scratch
                .iter()
                .any(|i| i.start < f.start && i.power.0 >= audible);
        // Frames of other technologies whose band overlaps this frame's (its hop channel's)
        // add the share of their power that falls in it ([`coexistence`]); they never hold
        // the receiver.
        if self.coexistence.has_neighbours(air.channel()) {
            let floor = receiver.noise.minus(NEGLIGIBLE_BELOW_NOISE).to_mw().0;
            self.coexistence.foreign(
                &self.medium,
                air.channel(),
                f.hop.unwrap_or(medium::NO_HOP),
                f.hand.to.0,
                rx_at,
                (f.start, end),
                floor,
                Some(&mut self.scratch),
            );
        }
        // Jammers on this technology and channel add their emissions at this receiver; a
        // deceptive one holds a receiver it can be heard by, like an earlier frame.
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
                radio.channel < 64 && j.site.jammer.channels >> radio.channel & 1 == 1
            };
            if !hit {
                continue;
            }
            let power = j.site.jammer.power.minus(
                j.site
                    .path_loss
                    .mean_loss(j.site.jammer.position.distance(rx_at)),
            );
            if power < receiver.noise.minus(NEGLIGIBLE_BELOW_NOISE) {
                continue;
            }
            if matches!(j.site.jammer.kind, JammerKind::Deceptive) && power >= receiver.sensitivity
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
            match receiver.receive(
                air.signal(radio, f.dir, distance),
                f.start,
                f.bits,
                &self.scratch,
            ) {
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
mod tests;
