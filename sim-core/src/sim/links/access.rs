//! Medium access on the links that have a MAC ([`crate::mac`]): one port per link direction,
//! holding the packets that wait for the channel, driven at event times.
//!
//! - **CSMA/CA** (802.15.4): the head packet backs off (radio idle), runs a CCA (radio in RX)
//!   against the energy on its channel at the sender — frames on the air and jammers, at or
//!   above the threshold — and transmits after the turnaround; a busy CCA backs off again
//!   until macMaxCSMABackoffs is exceeded (`lost_channel_access`). A frame that is not
//!   received costs the sender macAckWaitDuration of listening and is sent again after a new
//!   access, up to macMaxFrameRetries (`lost_retries`); a received one is acknowledged after
//!   the turnaround.
//! - **DCF** (802.11): the DCF links of one channel share one [`Contention`], but each
//!   station (a port's sending end) freezes its counter only while it *senses* the medium
//!   busy: a transmission it receives at or above the −82 dBm preamble-detection floor
//!   ([`WIFI_CARRIER_SENSE`], mean power `P_tx − PL(d)` over the talker's interference path,
//!   no shadowing), or the ACK of a receiver it senses. A station out of a transmitter's
//!   carrier-sense range counts on and may start while the other's frame is on the air: the
//!   hidden terminal; the receiver then decides by SINR (the frame lock and the error model)
//!   which frame, if any, survives. Who senses whom is mapped from the placements when the run
//!   starts and looked up at each transmission; in a cell where a station moves it is found
//!   from the positions at the transmission instead. A cell whose stations all sense each
//!   other and stand still is one collision domain and runs the classic path (Bianchi's model
//!   holds; per-station sensing reduces to it exactly there, tested). Counters that expire
//!   together transmit together and collide on the medium. A frame without ACK doubles the
//!   window and contends again, up to the retry limit (`lost_retries`); a station whose CCA
//!   finds foreign energy (a jammer, another technology) above −62 dBm counts a failed
//!   attempt and, if that was its last, the frame is lost to channel access. Not modelled:
//!   RTS/CTS and NAV, EIFS after a frame sensed but not decoded, and sensing between −82 and
//!   −62 dBm of energy whose preamble was missed (a transmission counts as sensed from its
//!   start or not at all).
//! - **Carrier sense of 802.15.4 CSMA/CA** is by received power at the sensing station: the
//!   CCA sums the frames (data and ACKs) and jammers it receives, so hidden 802.15.4 senders
//!   are modelled as they are.
//! - **BLE connections**: a packet waits for the next connection event (for the peripheral's
//!   own data, any event; for data to it, one it listens to), hops to the event's channel,
//!   and is resent at the next event until it gets through; when no event has succeeded for
//!   longer than the supervision timeout the connection is lost, its waiting packets with it
//!   (`lost_retries`), and is re-established `reconnect` later, the peripheral advertising
//!   meanwhile. One data frame per direction per event.
//!
//! **ACK frames are on the medium.** A received frame is acknowledged by its receiver after
//! aTurnaroundTime (802.15.4) or SIFS (DCF) with an ACK frame that occupies the channel for its
//! airtime (802.15.4: `ack_bytes` plus the PHY's SHR and PHR; DCF: the link profile's ACK
//! duration, modelled at the link's bit rate) and goes through the same SINR and error model
//! as any frame, at the original sender: an overlapping frame or a jammer there destroys it,
//! and the sender then acts as on a missing ACK (802.15.4: the rest of macAckWaitDuration,
//! then a new access; DCF: the rest of the ACK timeout, a doubled window). Other stations'
//! CCAs sense it, and it interferes with their frames. A frame whose ACK is lost has crossed:
//! the packet is delivered once, its retransmissions are acknowledged again and discarded
//! by the receiver as duplicates, and giving up on it loses nothing.
//!
//! DCF's contention cells and carrier sense are in `dcf`, the BLE connections' placement and
//! event scheduling in `ble`.
//!
//! What the engine must do (schedule, charge, deliver, lose) is pushed as [`Effect`]s and
//! applied by the event loop. Allocation-free once queues have grown to their working size.

use std::collections::VecDeque;

use super::{Hand, Links};
use crate::ids::{LinkId, NodeId};
use crate::mac::dcf::Backoff;
use crate::mac::{Connection, Contention, CsmaCa, Mac};
use crate::packet::Packet;
use crate::phy::Dbm;
use crate::phy::radio::RadioState;
use crate::time::SimTime;
use crate::topology::Topology;

mod ble;
mod dcf;

const NONE: u32 = u32::MAX;

/// Wi-Fi's energy-detection CCA threshold for foreign energy, −62 dBm (ns-3 `CcaEdThreshold`,
/// radio.md §B4 [V]).
const WIFI_CCA_ED: Dbm = Dbm(-62.0);

/// Wi-Fi carrier sense: a station senses another's frames when they reach it at −82 dBm or
/// more, the preamble-detection RSSI floor (ns-3 `ThresholdPreambleDetectionModel`,
/// radio.md §B4 [V]; the 802.11 OFDM CCA sensitivity for a 20 MHz channel).
const WIFI_CARRIER_SENSE: Dbm = Dbm(-82.0);

/// Why the MAC gave a packet up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim) enum MacLoss {
    /// Channel access failed: too many busy CCAs.
    ChannelAccess,
    /// Retries exhausted, or a BLE connection lost to its supervision timeout.
    Retries,
    /// Lost on the air with no retry (an unacknowledged link).
    Radio,
}

/// What wakes a MAC up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim) enum Wake {
    /// A port's backoff ends (CSMA/CA: time for a CCA).
    Port(u32),
    /// A DCF collision domain's smallest counter expires (stale unless the token matches).
    Cell(u32, u32),
}

/// What the engine must do for the MAC.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(in crate::sim) enum Effect {
    /// Schedule a wake-up.
    Wake(SimTime, Wake),
    /// Schedule the end of frame `slot`.
    FrameEnd(SimTime, u32),
    /// Charge a frame over `[start, end)` on `link` sent by `from` to both ends' radios.
    Hop {
        /// The link.
        link: LinkId,
        /// The sending end.
        from: NodeId,
        /// First instant on the air.
        start: SimTime,
        /// First instant after it.
        end: SimTime,
    },
    /// Charge `node`'s radio on `link` for `duration` in `state` (backoff, CCA, ACK wait).
    Hold {
        /// The link.
        link: LinkId,
        /// The node.
        node: NodeId,
        /// The radio state.
        state: RadioState,
        /// How long.
        duration: SimTime,
    },
    /// The peripheral of `link` advertises for `duration` to reconnect.
    Advertise {
        /// The link.
        link: LinkId,
        /// The peripheral.
        node: NodeId,
        /// How long.
        duration: SimTime,
    },
    /// The packet is lost.
    Lose(Packet, MacLoss),
    /// The packet crossed; it reaches the far end's radio at this instant.
    Cross(SimTime, Hand),
}

/// A packet waiting at a port.
#[derive(Clone, Copy, Debug)]
pub(in crate::sim) struct Pending {
    /// The hop.
    pub hand: Hand,
    /// When the packet is ready (after the sender's encryption).
    pub ready: SimTime,
    /// Its airtime.
    pub airtime: SimTime,
    /// Bits on the air.
    pub bits: u64,
    /// Transmissions (or failed attempts) so far.
    pub attempts: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    Busy,
    /// The head frame was received; its ACK is on the air back to the sender.
    Ack,
}

#[derive(Debug)]
struct Port {
    link: LinkId,
    dir: usize,
    from: NodeId,
    mac: Mac,
    queue: VecDeque<Pending>,
    phase: Phase,
    csma: CsmaCa,
    backoff: Option<Backoff>,
    /// DCF: the collision domain; BLE: the connection.
    group: u32,
    /// BLE: the anchor and channel of the frame on the air.
    event: (SimTime, u8),
    /// DCF: the port's index among its cell's ports.
    local: u32,
    /// DCF: when the medium this port's station senses is idle (past DIFS) from.
    idle_from: SimTime,
    /// Whether the head packet already crossed (its ACK was lost, so it is sent again; the
    /// receiver discards the duplicate and acknowledges it).
    delivered: bool,
}

#[derive(Debug)]
struct Ble {
    conn: Connection,
    /// End of the connection's last scheduled frame.
    free: SimTime,
}

#[derive(Debug)]
struct Cell {
    contention: Contention,
    params: crate::mac::DcfParams,
    token: u32,
    /// When the pending wake-up with the current token fires, if one is pending.
    scheduled: Option<SimTime>,
    /// Its ports, by local index.
    ports: Vec<u32>,
    /// Whether the station of local port `i` senses that of `j`, at `i·n + j`, from the
    /// placements (used while no port's station moves).
    hears: Vec<bool>,
    /// Whether some port's station moves: who senses whom is then found from the positions
    /// at each transmission.
    moving: bool,
    /// Whether every station senses every other and none moves: one collision domain.
    complete: bool,
}

/// The ports, connections and collision domains of a run.
#[derive(Debug, Default)]
pub(in crate::sim) struct Access {
    ports: Vec<Port>,
    /// Per link, the port of each direction (empty when no link has a MAC).
    by_link: Vec<[u32; 2]>,
    conns: Vec<Ble>,
    cells: Vec<Cell>,
    /// Medium channel of each cell.
    cell_channel: Vec<usize>,
    effects: Vec<Effect>,
    winners: Vec<u32>,
    /// Per winner of a contention, whether its CCA found the channel clear.
    clear: Vec<bool>,
    /// Per winner of a contention, the end of the busy period it causes.
    busy_ends: Vec<SimTime>,
    disconnections: u64,
}

impl Access {
    /// The ports of `topo`'s MAC links for replication `seed`; `channel_of[l]` is link `l`'s
    /// medium channel.
    pub(super) fn new(topo: &Topology, channel_of: &[Option<usize>], seed: u64) -> Access {
        let mut a = Access::default();
        if topo.link_ids().all(|l| topo.mac(l).is_none()) {
            return a;
        }
        a.by_link = vec![[NONE; 2]; topo.link_count()];
        // Per central: its BLE connections, and how many are placed so far.
        let mut centrals = vec![(0u32, 0u32); topo.node_count()];
        for l in topo.link_ids() {
            if matches!(topo.mac(l), Some(Mac::Ble(_))) {
                centrals[topo.endpoints(l).1.index()].1 += 1;
            }
        }
        for l in topo.link_ids() {
            let (Some(mac), Some(channel)) = (topo.mac(l), channel_of[l.index()]) else {
                continue;
            };
            let (e0, e1) = topo.endpoints(l);
            let group = match mac {
                Mac::CsmaCa(_) => NONE,
                Mac::Ble(p) => {
                    let c = &mut centrals[e1.index()];
                    let (offset, aa) = ble::connection_placement(topo, l, p, (c.0, c.1), seed);
                    c.0 += 1;
                    a.conns.push(Ble {
                        conn: Connection::with_access_address(*p, offset, aa),
                        free: SimTime::ZERO,
                    });
                    (a.conns.len() - 1) as u32
                }
                Mac::Dcf(p) => match a.cell_channel.iter().position(|&c| c == channel) {
                    Some(k) => k as u32,
                    None => {
                        a.cell_channel.push(channel);
                        a.cells.push(Cell {
                            contention: Contention::new(p.difs),
                            params: *p,
                            token: 0,
                            scheduled: None,
                            ports: Vec::new(),
                            hears: Vec::new(),
                            moving: false,
                            complete: true,
                        });
                        (a.cells.len() - 1) as u32
                    }
                },
            };
            for (dir, from) in [e0, e1].into_iter().enumerate() {
                a.by_link[l.index()][dir] = a.ports.len() as u32;
                a.ports.push(Port {
                    link: l,
                    dir,
                    from,
                    mac: *mac,
                    queue: VecDeque::new(),
                    phase: Phase::Idle,
                    csma: match mac {
                        Mac::CsmaCa(p) => CsmaCa::start(p),
                        _ => CsmaCa::start(&crate::mac::CsmaCaParams::default()),
                    },
                    backoff: None,
                    group,
                    event: (SimTime::ZERO, 0),
                    local: 0,
                    idle_from: match mac {
                        Mac::Dcf(p) => p.difs,
                        _ => SimTime::ZERO,
                    },
                    delivered: false,
                });
                if let Mac::Dcf(_) = mac {
                    let c = &mut a.cells[group as usize];
                    a.ports.last_mut().expect("just pushed").local = c.ports.len() as u32;
                    c.ports.push((a.ports.len() - 1) as u32);
                }
            }
        }
        a
    }

    /// BLE connections lost to their supervision timeout so far.
    pub(in crate::sim) fn disconnections(&self) -> u64 {
        self.disconnections
    }
}

impl Links<'_> {
    /// Whether `link` has a MAC.
    #[inline]
    pub(in crate::sim) fn has_mac(&self, link: LinkId) -> bool {
        self.access
            .by_link
            .get(link.index())
            .is_some_and(|p| p[0] != NONE)
    }

    /// Whether some link has a MAC.
    pub(in crate::sim) fn any_mac(&self) -> bool {
        !self.access.by_link.is_empty()
    }

    /// BLE connections lost to their supervision timeout so far.
    pub(in crate::sim) fn disconnections(&self) -> u64 {
        self.access.disconnections()
    }

    /// The effects pushed so far, taken (give the buffer back with [`Links::return_effects`]).
    pub(in crate::sim) fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.access.effects)
    }

    /// Gives the (drained) effect buffer back, keeping its capacity.
    pub(in crate::sim) fn return_effects(&mut self, mut buffer: Vec<Effect>) {
        buffer.clear();
        self.access.effects = buffer;
    }

    /// The MAC of `link` leaving `from` takes a packet at `now`.
    pub(in crate::sim) fn mac_request(&mut self, now: SimTime, from: NodeId, p: Pending) {
        let dir = self.direction(p.hand.link, from);
        let mut p = p;
        p.ready = self.associated(p.hand.link, p.ready);
        let port = self.access.by_link[p.hand.link.index()][dir];
        let q = &mut self.access.ports[port as usize];
        q.queue.push_back(p);
        if q.phase == Phase::Idle {
            self.start_access(now, port);
        }
    }

    /// Starts the channel access of `port`'s head packet at `now` (or when it is ready).
    fn start_access(&mut self, now: SimTime, port: u32) {
        let q = &mut self.access.ports[port as usize];
        let Some(head) = q.queue.front() else {
            q.phase = Phase::Idle;
            return;
        };
        q.phase = Phase::Busy;
        let t0 = now.max(head.ready);
        let (link, from) = (q.link, q.from);
        match q.mac {
            Mac::CsmaCa(p) => {
                q.csma = CsmaCa::start(&p);
                let csma = q.csma;
                let b = self.backoff_draw(port, 0, |rng| csma.backoff(&p, rng));
                let fx = &mut self.access.effects;
                fx.push(Effect::Hold {
                    link,
                    node: from,
                    state: RadioState::Idle,
                    duration: b,
                });
                fx.push(Effect::Wake(t0.saturating_add(b), Wake::Port(port)));
            }
            Mac::Dcf(p) => {
                let b = *q.backoff.get_or_insert_with(|| Backoff::start(&p));
                let (cell, idle) = (q.group, q.idle_from);
                let counter = self.backoff_draw(port, 0, |rng| b.draw(rng));
                let c = &mut self.access.cells[cell as usize];
                if c.complete {
                    c.contention.join(t0, port, counter, p.slot);
                } else {
                    c.contention.join_from(t0, port, counter, p.slot, idle);
                }
                self.reschedule_cell(cell);
            }
            Mac::Ble(_) => self.schedule_ble(now, port, None),
        }
    }

    /// A backoff draw for `port`'s head packet: keyed by the packet's identity, its
    /// transmission count and `step` (the busy CCAs of this access) for the deployment's own
    /// packets, so that variants of a scenario pair their backoffs (common random numbers);
    /// from the link's stream for extra traffic.
    fn backoff_draw<T>(
        &mut self,
        port: u32,
        step: u8,
        draw: impl FnOnce(&mut crate::rng::Stream) -> T,
    ) -> T {
        let q = &self.access.ports[port as usize];
        let head = q.queue.front().expect("a head packet");
        let place = q.link.0 ^ (u32::from(head.attempts) << 24) ^ (u32::from(step) << 16);
        match super::super::draws::keyed(
            self.keys,
            &head.hand.packet,
            place,
            super::super::draws::Purpose::Access,
        ) {
            Some(mut rng) => draw(&mut rng),
            None => draw(&mut self.rngs[q.link.index()]),
        }
    }

    fn reschedule_cell(&mut self, cell: u32) {
        let c = &mut self.access.cells[cell as usize];
        let next = c.contention.next(c.params.slot);
        if next == c.scheduled {
            return; // the pending wake-up stands
        }
        c.token = c.token.wrapping_add(1);
        c.scheduled = next;
        if let Some(at) = next {
            self.access
                .effects
                .push(Effect::Wake(at, Wake::Cell(cell, c.token)));
        }
    }

    /// Whether the energy on `link`'s channel at the end sending in direction `dir` over
    /// `[from, to)` — other frames on the air and jammers — reaches `threshold`.
    fn channel_busy(
        &mut self,
        link: LinkId,
        dir: usize,
        sender: NodeId,
        from: SimTime,
        to: SimTime,
        threshold: Dbm,
    ) -> bool {
        let air = self.air[link.index()].expect("a MAC link is a radio link");
        let at = self.end_at(link, dir, from);
        let mut mw = self.medium.energy(air.channel(), sender.0, at, from, to).0;
        // Frames of other technologies in this channel's band (a BLE connection event under
        // a Wi-Fi station's energy detection, Wi-Fi under an 802.15.4 CCA).
        if self.coexistence.has_neighbours(air.channel()) {
            mw += self.coexistence.foreign(
                &self.medium,
                air.channel(),
                crate::phy::medium::NO_HOP,
                sender.0,
                at,
                (from, to),
                0.0,
                None,
            );
        }
        let spec = self.spec(link);
        let t = spec.technology;
        for j in &mut self.jammers {
            if j.site.technology.name != t.name
                || !(spec.channel < 64 && j.site.jammer.channels >> spec.channel & 1 == 1)
            {
                continue;
            }
            let power = j.site.jammer.power.minus(
                j.site
                    .path_loss
                    .mean_loss(j.site.jammer.position.distance(at)),
            );
            use crate::phy::jammer::JammerKind;
            match &j.site.jammer.kind {
                JammerKind::Constant | JammerKind::Deceptive => mw += power.to_mw().0,
                JammerKind::Random { .. } => {
                    self.scratch.clear();
                    let since = from.saturating_sub(self.longest);
                    j.timeline.emissions(
                        &j.site.jammer.kind,
                        &mut j.rng,
                        since,
                        to,
                        power.to_mw(),
                        &mut self.scratch,
                    );
                    if self.scratch.iter().any(|i| i.start < to && i.end > from) {
                        mw += power.to_mw().0;
                    }
                }
                // A reactive jammer is silent until it senses a frame: carrier sense never
                // sees it (radio.md §F).
                JammerKind::Reactive { .. } => {}
            }
        }
        mw > 0.0 && crate::phy::MilliWatts(mw).to_dbm() >= threshold
    }

    /// A MAC wakes up at `now`.
    pub(in crate::sim) fn mac_wake(&mut self, now: SimTime, wake: Wake) {
        match wake {
            Wake::Port(port) => self.cca(now, port),
            Wake::Cell(cell, token) => {
                let c = &mut self.access.cells[cell as usize];
                if c.token == token {
                    c.scheduled = None;
                    self.cell_expires(now, cell);
                }
            }
        }
    }

    /// CSMA/CA: the backoff of `port` ended; CCA, then transmit or back off again.
    fn cca(&mut self, now: SimTime, port: u32) {
        let q = &self.access.ports[port as usize];
        let Mac::CsmaCa(p) = q.mac else { return };
        let (link, dir, from) = (q.link, q.dir, q.from);
        let threshold = self.receivers[self.air[link.index()].expect("radio").channel()]
            .sensitivity
            .plus(p.cca_above_sensitivity);
        self.access.effects.push(Effect::Hold {
            link,
            node: from,
            state: RadioState::Rx,
            duration: p.cca,
        });
        let cca_end = now.saturating_add(p.cca);
        if self.channel_busy(link, dir, from, now, cca_end, threshold) {
            let q = &mut self.access.ports[port as usize];
            if q.csma.busy(&p) {
                let (csma, step) = (q.csma, q.csma.backoffs());
                let b = self.backoff_draw(port, step, |rng| csma.backoff(&p, rng));
                self.access.effects.push(Effect::Hold {
                    link,
                    node: from,
                    state: RadioState::Idle,
                    duration: b,
                });
                self.access
                    .effects
                    .push(Effect::Wake(cca_end.saturating_add(b), Wake::Port(port)));
            } else {
                self.give_up_head(port, MacLoss::ChannelAccess);
                self.start_access(cca_end, port);
            }
            return;
        }
        let start = cca_end.saturating_add(p.turnaround);
        self.transmit_head(now, port, start, None);
    }

    /// Puts `port`'s head packet on the air from `start`.
    fn transmit_head(&mut self, now: SimTime, port: u32, start: SimTime, hop: Option<u8>) {
        let q = &mut self.access.ports[port as usize];
        let head = q.queue.front_mut().expect("a head packet");
        let attempt = head.attempts;
        head.attempts = head.attempts.saturating_add(1);
        let (hand, bits, end) = (head.hand, head.bits, start.saturating_add(head.airtime));
        let (link, from) = (q.link, q.from);
        let slot = self.send_frame_tagged(now, from, start, end, bits, hand, port, attempt, hop);
        let fx = &mut self.access.effects;
        fx.push(Effect::Hop {
            link,
            from,
            start,
            end,
        });
        fx.push(Effect::FrameEnd(end, slot));
    }

    /// A MAC frame of `port` ended at `now` with `arrival`.
    pub(in crate::sim) fn mac_frame_end(
        &mut self,
        now: SimTime,
        port: u32,
        arrival: super::Arrival,
        hand: Hand,
    ) {
        let received = match arrival {
            super::Arrival::Received(delay) => Some(delay),
            super::Arrival::Lost => None,
        };
        let q = &mut self.access.ports[port as usize];
        let (link, from) = (q.link, q.from);
        let acking = q.phase == Phase::Ack;
        if acking {
            q.phase = Phase::Busy;
        }
        match q.mac {
            Mac::CsmaCa(p) if acking => {
                // The ACK ended at the sender.
                if received.is_some() {
                    self.pop_head(port);
                    return self.start_access(now, port);
                }
                // Not received: the rest of macAckWaitDuration, then again or give up.
                let ack = self.ack_airtime(link, p.ack_bytes);
                let rest = p.ack_wait.saturating_sub(p.turnaround.saturating_add(ack));
                self.csma_no_ack(now, port, rest, &p);
            }
            Mac::CsmaCa(p) => {
                if let Some(delay) = received {
                    self.head_crossed(now, port, delay, hand);
                    if p.acknowledged {
                        let ack = self.ack_airtime(link, p.ack_bytes);
                        let start = now.saturating_add(p.turnaround);
                        self.access.effects.push(Effect::Hold {
                            link,
                            node: from,
                            state: RadioState::Rx,
                            duration: p.turnaround,
                        });
                        return self.acknowledge(now, port, hand, start, start.saturating_add(ack));
                    }
                    self.pop_head(port);
                    return self.start_access(now, port);
                }
                if !p.acknowledged {
                    self.give_up_head(port, MacLoss::Radio);
                    return self.start_access(now, port);
                }
                // No ACK within macAckWaitDuration: again, or give up.
                self.csma_no_ack(now, port, p.ack_wait, &p);
            }
            Mac::Dcf(p) if acking => {
                if received.is_some() {
                    self.pop_head(port);
                    self.access.ports[port as usize].backoff = None;
                    return self.start_access(now, port);
                }
                // The ACK timeout runs one slot past the ACK's end.
                self.access.effects.push(Effect::Hold {
                    link,
                    node: from,
                    state: RadioState::Rx,
                    duration: p.ack_timeout().saturating_sub(p.sifs.saturating_add(p.ack)),
                });
                self.dcf_failed(now, port, MacLoss::Retries);
            }
            Mac::Dcf(p) => {
                if let Some(delay) = received {
                    self.head_crossed(now, port, delay, hand);
                    let start = now.saturating_add(p.sifs);
                    self.acknowledge(now, port, hand, start, start.saturating_add(p.ack));
                } else {
                    self.access.effects.push(Effect::Hold {
                        link,
                        node: from,
                        state: RadioState::Rx,
                        duration: p.ack_timeout(),
                    });
                    self.dcf_failed(now, port, MacLoss::Retries);
                }
            }
            Mac::Ble(p) => {
                let (anchor, channel) = q.event;
                let conn = q.group as usize;
                self.access.conns[conn]
                    .conn
                    .outcome(anchor, channel, received.is_some());
                // After a success, a packet already waiting follows in the same event, past
                // the other side's empty PDU; after a failure the event closes and the frame
                // is resent at the next one.
                let mut more = None;
                if let Some(delay) = received {
                    self.head_crossed(now, port, delay, hand);
                    self.pop_head(port);
                    more = Some(
                        now.saturating_add(p.t_ifs)
                            .saturating_add(p.empty_pdu)
                            .saturating_add(p.t_ifs),
                    );
                }
                let q = &mut self.access.ports[port as usize];
                if q.queue.is_empty() {
                    q.phase = Phase::Idle;
                } else {
                    self.schedule_ble(now, port, more);
                }
            }
        }
    }

    /// Takes `port`'s head packet off its queue; `None` if the queue is empty. Returns it
    /// with whether it had already crossed.
    fn pop_head(&mut self, port: u32) -> Option<(Pending, bool)> {
        let q = &mut self.access.ports[port as usize];
        let delivered = std::mem::replace(&mut q.delivered, false);
        q.queue.pop_front().map(|p| (p, delivered))
    }

    /// `port`'s head packet crossed at `now` after `delay`: delivered, unless a copy already
    /// was (a retransmission after a lost ACK, discarded by the receiver).
    fn head_crossed(&mut self, now: SimTime, port: u32, delay: SimTime, hand: Hand) {
        let q = &mut self.access.ports[port as usize];
        if !std::mem::replace(&mut q.delivered, true) {
            self.access
                .effects
                .push(Effect::Cross(now.saturating_add(delay), hand));
        }
    }

    /// Gives `port`'s head packet up for `cause`: lost, unless it had crossed already (only
    /// its ACKs were lost).
    fn give_up_head(&mut self, port: u32, cause: MacLoss) {
        if let Some((head, false)) = self.pop_head(port) {
            self.access
                .effects
                .push(Effect::Lose(head.hand.packet, cause));
        }
    }

    /// Puts the ACK of `port`'s head frame (carrying `hand`) on the air over `[start, end)`
    /// from the receiver back to the sender; its end comes back to [`Links::mac_frame_end`]
    /// with the port in [`Phase::Ack`].
    fn acknowledge(&mut self, now: SimTime, port: u32, hand: Hand, start: SimTime, end: SimTime) {
        let q = &mut self.access.ports[port as usize];
        q.phase = Phase::Ack;
        let (link, from) = (q.link, q.from);
        let attempt = q.queue.front().map_or(0, |h| h.attempts.saturating_sub(1));
        let slot = self.send_ack(now, from, start, end, hand, port, attempt);
        let fx = &mut self.access.effects;
        fx.push(Effect::Hop {
            link,
            from: hand.to,
            start,
            end,
        });
        fx.push(Effect::FrameEnd(end, slot));
        // DCF, stations that do not all sense each other: those that sense the ACK's sender
        // defer over it (in one collision domain the busy period already covers it).
        let q = &self.access.ports[port as usize];
        if let Mac::Dcf(p) = q.mac {
            let cell = q.group;
            if !self.access.cells[cell as usize].complete {
                let receiver = self.access.by_link[link.index()][1 - q.dir];
                let until = end.saturating_add(p.difs);
                for k in 0..self.access.cells[cell as usize].ports.len() {
                    let i = self.access.cells[cell as usize].ports[k];
                    if self.senses(cell, i, receiver, now) {
                        self.defer_port(now, cell, i, until);
                    }
                }
                self.reschedule_cell(cell);
            }
        }
    }

    /// CSMA/CA: no ACK came for `port`'s head frame; the sender listens `wait` more, then
    /// sends it again after a new access, or gives it up after macMaxFrameRetries.
    fn csma_no_ack(
        &mut self,
        now: SimTime,
        port: u32,
        wait: SimTime,
        p: &crate::mac::CsmaCaParams,
    ) {
        let q = &self.access.ports[port as usize];
        let (link, from) = (q.link, q.from);
        self.access.effects.push(Effect::Hold {
            link,
            node: from,
            state: RadioState::Rx,
            duration: wait,
        });
        let q = &self.access.ports[port as usize];
        if q.queue.front().expect("head").attempts > p.max_frame_retries {
            self.give_up_head(port, MacLoss::Retries);
        }
        self.start_access(now.saturating_add(wait), port);
    }

    /// Airtime of an ACK of `bytes` (MAC part) on `link`'s technology.
    fn ack_airtime(&self, link: LinkId, bytes: crate::units::Bytes) -> SimTime {
        let t = self.spec(link).technology;
        SimTime::from_secs_f64(t.airtime_secs(bytes))
    }
}

#[cfg(test)]
mod tests;
