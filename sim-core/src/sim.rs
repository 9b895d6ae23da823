//! The event loop: a [`Model`] played forward in simulated time.
//!
//! # Life of a packet
//!
//! 1. `Generate` — a source emits a packet at its node and schedules its next emission.
//! 2. Arrival at a node — a dead node loses it; a node without a station forwards it at once;
//!    otherwise it takes a free server (service time drawn from the node's stream, CPU energy
//!    booked) or waits in the FIFO buffer, or is dropped when the buffer is full.
//! 3. `ServiceDone` — the next waiting packet enters service; the served packet is delivered
//!    if this node is its destination, else handed to the next hop of its route.
//! 4. Transmission — the hooks observe the packet and price its protection ([`LinkCost`](crate::hooks::LinkCost)); the
//!    link's transmitter for that direction serves packets FIFO at `8·size / rate` each
//!    (so a busy link queues); radio energy is booked at the sender and the receiver; the
//!    packet is lost with the link's probability, else it arrives after the propagation delay
//!    drawn from the link's stream (plus the receiver's decryption time). The hooks' verdict
//!    may instead withhold it (never sent), jam it (sent, never arrives), alter it (it arrives
//!    [`Origin::Tampered`]) or have the receiver reject it.
//! 5. Delivery — the hooks judge what arrived ([`Hooks::on_deliver`]); a rejected packet is
//!    lost (`lost_rejected`).
//!
//! # What the hooks may ask
//!
//! Any hook call may push [`Action`](crate::hooks::Action)s: inject extra traffic (marked
//! [`Origin::Injected`] with the hooks' own tag, counted apart from the deployment's own),
//! charge energy, take a node out of the
//! network or bring it back, override a link's routing weight, or set a timer. The engine
//! applies them when the current event is done, at the same instant, in order.
//!
//! # Accounting
//!
//! Packet counters, latencies and deadline misses count packets created at or after the
//! warm-up; energy counts what is spent after the warm-up. `generated = delivered + lost +
//! in flight` holds at every instant for all packets ([`Simulation::in_flight`]).
//! A battery that empties kills its node at that instant: its waiting packets are lost, its
//! sources stop, and routes are recomputed without it.
//!
//! # Stages
//!
//! A [`Simulation`] is the event list, the hooks and one sub-structure per stage of the model,
//! each in its own module with its invariants documented there. The event loop (this module)
//! owns the life of a packet and calls the stages in turn; a stage never calls another, so
//! every cross-stage rule (a dead node loses its queue and reroutes, a drained battery kills
//! its node) is written once, here.
//!
//! | stage | module | models |
//! |---|---|---|
//! | `Sources` | `sources` | when each source emits |
//! | `Stations` | `stations` | servers, FIFO buffers, service times, occupancy |
//! | `Links` | `links` | per-direction transmitters, loss, propagation |
//! | `Network` | `network` | which nodes are up, route overrides, routes |
//! | `Energy` | `energy` | meters, battery deaths, energy after the warm-up |
//! | `Accounting` | `accounting` | packet books, latencies, deadlines |
//! | `Segments` | `segments` | where packets spend their time |
//! | `Monitoring` | `monitoring` | time without data (`monitoring_hours_lost`), while moving too |
//! | `InformationAge` | `information_age` | age of each vital sign's newest delivered reading |
//! | `Sampler` | `sampling`, `groups` | the time series on the grid |
//!
//! Around the loop: `model` holds what a replication plays ([`Model`]), `running` the ways
//! to run one (to the horizon, paused, checked) and what can be inspected on the way,
//! `actions` applies what the hooks ask, and [`Simulation::finish`] (in `report`) reads the
//! stages into [`RunMetrics`](crate::metrics::RunMetrics), with the hooks' own report.

use crate::battery::Component;
use crate::event_list::{EventList, PREFETCH_FROM};
use crate::hooks::{Actions, Fate, Hooks, Transmission, Verdict};
use crate::ids::{NodeId, SourceId};
use crate::packet::{Origin, Packet, PacketKind};
use crate::prefetch::prefetch_at;
use crate::routing::Hop;
use crate::time::SimTime;
use crate::units::Joules;
use accounting::{Accounting, Delivered, Loss};
use energy::Energy;
use groups::NodeGroups;
use information_age::InformationAge;
use links::{Arrival, Hand, Links};
use monitoring::Monitoring;
use network::Network;
use radios::{EndEnergy, Radios};
pub use report::SENSOR_ENERGY_SCALARS;
use sampling::{Sampler, State};
use segments::Segments;
use sources::Sources;
use stations::{Admission, Completion, Stations};

pub use model::{Model, RunConfig, SimError};

/// What the event list holds: a plain enum dispatched by `match`, small and `Copy`.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Event {
    /// A source emits a packet at its node (carried along so that the node's state can be
    /// asked for one event ahead, `Simulation::prefetch_next`).
    Generate { source: SourceId, node: NodeId },
    /// A packet reaches a node.
    Arrive { node: NodeId, packet: Packet },
    /// A station finishes serving a packet.
    ServiceDone { node: NodeId, packet: Packet },
    /// A battery empties from its baseline draw alone.
    BatteryEmpty(NodeId),
    /// A point of the time grid.
    Sample,
    /// The statistics start.
    WarmupEnd,
    /// A timer the hooks asked for.
    Timer(u64),
    /// A radio frame ends: the links stage decides its fate (handle from `Links::send_frame`).
    FrameEnd(u32),
    /// A medium access method wakes up (a backoff ends, a contention's counter expires).
    Mac(links::Wake),
    /// A roaming client measures its access points (`roaming`).
    Roam(u32),
}

/// One replication of a model, with the hooks `H` watching its traffic.
///
/// Invariants: the event list's clock is the instant of the last event processed, never past
/// `horizon`; `actions` is empty between events (what the hooks ask is applied at the instant
/// of the event that asked); every pending `Arrive` or `ServiceDone` event and every packet
/// waiting at a live node's station is a packet generated and not yet delivered or lost.
pub struct Simulation<'m, H: Hooks> {
    model: &'m Model,
    seed: u64,
    /// The seed of the per-packet keyed draws (`draws`), derived from `seed` once.
    keys: draws::KeyedSeed,
    hooks: H,
    /// Whether the hooks are asked about each transmission ([`Hooks::asks_transmissions`]).
    asks_transmissions: bool,
    /// Whether the sources' timers are kept in their keys alone
    /// ([`Simulation::schedule_emission`]).
    inline_emissions: bool,
    events: EventList<Event>,
    horizon: SimTime,
    warmup: SimTime,
    /// Events processed so far.
    processed: u64,
    /// What the hooks asked for during the current event, and the buffer being applied.
    actions: Actions,
    applying: Actions,

    // The model's stages, in the order a packet meets them.
    sources: Sources,
    stations: Stations,
    links: Links<'m>,
    radios: Radios,
    network: Network,
    roamers: roaming::Roamers,
    energy: Energy,

    // What the run measures.
    accounting: Accounting<'m>,
    segments: Segments,
    monitoring: Monitoring,
    information_age: InformationAge,
    groups: NodeGroups,
    sampler: Sampler,
    /// Every event processed, with its instant, when a test asks for it.
    #[cfg(test)]
    trace: Option<Vec<(SimTime, Event)>>,
}

impl<'m, H: Hooks> Simulation<'m, H> {
    /// Prepares replication `seed` of `model`: random streams, routes, the first events.
    pub fn new(model: &'m Model, seed: u64, hooks: H) -> Result<Self, SimError> {
        let inline = model.sources.len() >= sources::INLINE_EMISSIONS_FROM;
        Self::with_emissions(model, seed, hooks, inline)
    }

    /// [`Simulation::new`], with the sources' timers kept in their keys alone (`inline`) or
    /// in slots ([`Simulation::schedule_emission`]); what the run computes is the same.
    fn with_emissions(
        model: &'m Model,
        seed: u64,
        hooks: H,
        inline: bool,
    ) -> Result<Self, SimError> {
        let cfg = &model.config;
        if cfg.warmup >= cfg.duration {
            return Err(SimError::WarmupTooLong {
                warmup: cfg.warmup,
                duration: cfg.duration,
            });
        }
        let topo = &model.topology;
        let n = topo.node_count();
        let stations = Stations::new(topo, seed, cfg.warmup)?;
        let sources = Sources::new(model, seed)?;
        let monitoring = Monitoring::new(model, seed);
        let information_age = InformationAge::new(model);
        // Routes lead to every destination, and back to every sender whose packets are acked.
        let mut destinations = model.route_destinations();
        hooks.destinations(&mut destinations);
        destinations.retain(|d| d.index() < n);
        let network = Network::new(topo, &destinations);
        let groups = NodeGroups::new(topo);
        let segments = Segments::new(model, network.routes());
        let sampler = Sampler::new(topo, &groups, &stations, cfg.duration, cfg.time_grid);
        let radios = Radios::new(topo);
        let energy = Energy::new(topo, &radios);
        let mut sim = Simulation {
            model,
            seed,
            keys: draws::KeyedSeed::new(seed),
            asks_transmissions: hooks.asks_transmissions(),
            inline_emissions: inline,
            hooks,
            // One timer per source is what a run keeps pending (a packet in flight holds one
            // more event, for a hop at a time): reserve for that, and let the list grow past
            // it by doubling, only when more events are pending than ever before, so the loop
            // stays allocation-free after its warm-up. Four events per source were reserved
            // before: about 430 B of reservation per source, mostly never touched. With the
            // timers kept in their keys (`schedule_emission`) the slots' share of this
            // reservation stays untouched too: address space, not memory.
            events: EventList::with_capacity(1024 + model.sources.len()),
            horizon: cfg.duration,
            warmup: cfg.warmup,
            processed: 0,
            actions: Actions::default(),
            applying: Actions::default(),
            sources,
            stations,
            links: Links::new(topo, seed),
            radios,
            network,
            roamers: roaming::Roamers::new(topo),
            energy,
            accounting: Accounting::new(model),
            segments,
            monitoring,
            information_age,
            groups,
            sampler,
            #[cfg(test)]
            trace: None,
        };
        for (i, spec) in model.sources.iter().enumerate() {
            let id = SourceId(i as u32);
            let first = sim.sources.next_emission(id, spec, SimTime::ZERO, true);
            sim.schedule_emission(first, id, spec.node)?;
        }
        if sim.warmup > SimTime::ZERO {
            sim.events.schedule(sim.warmup, Event::WarmupEnd)?;
        }
        if let Some(first) = sim.sampler.first() {
            sim.events.schedule(first, Event::Sample)?;
        }
        for id in 0..n {
            sim.energy
                .foresee_death(NodeId(id as u32), &mut sim.events, sim.horizon);
        }
        sim.start_roaming();
        sim.hooks.start(&mut sim.actions);
        sim.apply_actions(SimTime::ZERO);
        Ok(sim)
    }

    fn handle(&mut self, now: SimTime, event: Event) {
        match event {
            Event::Generate { source, .. } => self.generate(now, source),
            Event::Arrive { node, packet } => self.arrive(now, node, packet),
            Event::ServiceDone { node, packet } => self.service_done(now, node, packet),
            Event::BatteryEmpty(node) => {
                if self.network.is_alive(node) {
                    self.energy.accrue(now, node);
                    self.kill(now, node);
                }
            }
            Event::Sample => self.sample(now),
            Event::WarmupEnd => {
                self.settle_modems(now);
                self.energy.end_warmup(now);
                self.stations.end_warmup(now);
            }
            Event::Timer(token) => self.hooks.on_timer(now, token, &mut self.actions),
            Event::FrameEnd(slot) => self.frame_end(now, slot),
            Event::Mac(wake) => {
                self.links.mac_wake(now, wake);
                self.apply_mac(now);
            }
            Event::Roam(client) => self.roam(now, client as usize),
        }
    }

    /// Whether the run is large enough for prefetching to pay ([`PREFETCH_FROM`] pending
    /// events: past a core's L2 cache); a small model skips it and pays nothing.
    #[inline]
    fn prefetching(&self) -> bool {
        self.events.len() >= PREFETCH_FROM
    }

    /// Asks the memory, as the current event starts, for what the next one reads first: its
    /// source's specification and schedule, or its node's state, named by the next event's
    /// hint ([`Event::hint`]) before its slot is read. At a million devices each is a cache
    /// miss (`crate::prefetch`); asked this early, it arrives while the current event is
    /// processed. Changes nothing that is computed.
    #[inline]
    fn prefetch_hinted(&self) {
        if !self.prefetching() {
            return;
        }
        match self.events.next_hint() {
            Some(h) if h & NODE_HINT != 0 => self.prefetch_node(NodeId(h & !NODE_HINT)),
            Some(h) => {
                let source = SourceId(h);
                prefetch_at(&self.model.sources, source.index());
                self.sources.prefetch(source);
            }
            None => {}
        }
    }

    /// Asks the memory, as the current event ends, for the rest of what the next one reads
    /// (its slot, fetched since the pop, now names it): its node's state and what the hooks
    /// read of its packet or emission (`crate::prefetch`). Changes nothing that is computed.
    #[inline]
    fn prefetch_next(&self) {
        if !self.prefetching() {
            return;
        }
        match self.events.likely_next() {
            Some(Event::Generate { source, node }) => {
                self.prefetch_node(node);
                self.hooks.prefetch_emission(source, node);
            }
            Some(Event::Arrive { node, packet } | Event::ServiceDone { node, packet }) => {
                self.hooks.prefetch_packet(&packet);
                if packet.dst == node
                    && let Some(source) = packet.source.source()
                {
                    // Delivered there: what the delivery reads of its source.
                    prefetch_at(&self.model.sources, source.index());
                    self.information_age.prefetch(source);
                    self.monitoring.prefetch(source);
                }
            }
            _ => {}
        }
    }

    /// Asks the memory for what a packet at `node` reads of it: its description and power
    /// profile, whether it is up, its place in the routes, its meter. Issued together, the
    /// misses overlap instead of following one another as the event reads them.
    #[inline]
    fn prefetch_node(&self, node: NodeId) {
        self.model.topology.prefetch_node(node);
        self.network.prefetch(node);
        self.energy.prefetch(node);
    }

    /// Asks the memory for what sending on `hop` reads: the link's record and transmitter,
    /// the receiver's state and what the hooks read of the link (`crate::prefetch`).
    #[inline]
    fn prefetch_hop(&self, hop: Hop) {
        self.links.prefetch(hop.link);
        self.prefetch_node(hop.next);
        self.hooks.prefetch_hop(hop.link);
    }

    fn generate(&mut self, now: SimTime, id: SourceId) {
        let spec = &self.model.sources[id.index()];
        if !self.network.is_alive(spec.node) {
            return;
        }
        let packet = Packet {
            created: now,
            source: id.into(),
            dst: spec.dst,
            size: spec.stream.size,
            records: spec.stream.records,
            class: spec.stream.class,
            kind: PacketKind::Data,
            origin: Origin::Genuine,
            seq: self.sources.take_seq(id),
        };
        let node = spec.node;
        // The node's place in the routes is at hand (`prefetch_next`): the first hop's link,
        // its receiver and what the hooks read of them are asked for now, to arrive while the
        // packet is accounted for and the next emission drawn.
        if self.prefetching()
            && let Some(hop) = self.network.next_hop(node, spec.dst)
        {
            self.prefetch_hop(hop);
        }
        let mcu = self.model.topology.power(node).mcu_per_packet;
        if mcu > SimTime::ZERO {
            let device = &self.model.topology.node(node).device;
            let e = mcu.as_secs_f64() * device.cpu_hz.0 * device.energy_per_cycle.0;
            self.charge(now, node, Component::Cpu, Joules(e));
        }
        self.accounting.generated(now);
        self.hooks.on_generate(now, &packet);
        let next = self.sources.next_emission(id, spec, now, false);
        if next <= self.horizon {
            // Cannot fail short of 2³¹ pending events, as `schedule`; dropped if it does.
            let _ = self.schedule_emission(next, id, node);
        }
        self.arrive(now, node, packet);
    }

    fn arrive(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        if !self.network.is_alive(node) {
            return self.lose(packet, Loss::DeadNode);
        }
        if !self.network.is_available(node) {
            return self.lose(packet, Loss::Unavailable);
        }
        let Some(spec) = &self.model.topology.node(node).device.station else {
            return self.depart(now, node, packet);
        };
        let admission = self
            .stations
            .admit(now, node, spec.servers, spec.buffer, packet);
        self.accounting
            .station_arrival(packet.created, admission != Admission::Served);
        match admission {
            Admission::Served => self.start_service(now, node, packet),
            Admission::Waiting => {}
            Admission::Dropped => self.lose(packet, Loss::Buffer),
        }
    }

    // Inlined into its two callers (an arrival at an idle server, a completion with a queue):
    // the packet then reaches the event scheduled here without a round trip through the stack
    // (5 % of the tandem's time, BENCHMARKS.md, eleventh round).
    #[inline(always)]
    fn start_service(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        let device = &self.model.topology.node(node).device;
        let station = device.station.as_ref().expect("served at a station");
        let mut keyed = draws::keyed(self.keys, &packet, node.0, draws::Purpose::Service);
        let (t, sojourn) = self
            .stations
            .start_service(now, node, &station.service, keyed.as_mut());
        self.schedule(now.saturating_add(t), Event::ServiceDone { node, packet });
        self.segments
            .record_station(node, packet.created >= self.warmup, sojourn);
        // Cycles spent = service time × clock; priced only where energy is metered (an
        // unbounded clock with unmetered energy would otherwise give ∞ × 0).
        if device.energy_per_cycle.0 > 0.0 {
            let cycles = device.cpu_hz.0 * t.as_secs_f64();
            self.charge(
                now,
                node,
                Component::Cpu,
                Joules(cycles * device.energy_per_cycle.0),
            );
        }
    }

    fn service_done(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        if !self.network.is_alive(node) {
            return self.lose(packet, Loss::DeadNode);
        }
        match self
            .stations
            .complete(now, node, self.network.is_available(node))
        {
            Completion::Void => return self.lose(packet, Loss::Unavailable),
            Completion::Idle => {}
            // The freed server takes the head of the queue at once.
            Completion::Next(next) => self.start_service(now, node, next),
        }
        self.depart(now, node, packet);
    }

    fn depart(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        if !self.network.is_alive(node) {
            return self.lose(packet, Loss::DeadNode);
        }
        if packet.dst == node {
            return self.deliver(now, packet);
        }
        match self.network.next_hop(node, packet.dst) {
            Some(hop) => {
                // The link's and the receiver's state are read after the hooks' verdict:
                // asked for now, their misses overlap with the hooks' own. A packet made at
                // this instant was asked for by `generate` already.
                if packet.created < now && self.prefetching() {
                    self.prefetch_hop(hop);
                }
                self.transmit(now, node, hop, packet)
            }
            // A destination whose battery died has left the routes: the cause is its death.
            None if packet.dst.index() < self.network.node_count()
                && !self.network.is_alive(packet.dst) =>
            {
                self.lose(packet, Loss::DeadNode)
            }
            None => self.lose(packet, Loss::NoRoute),
        }
    }

    fn transmit(&mut self, now: SimTime, from: NodeId, hop: Hop, packet: Packet) {
        let topo = &self.model.topology;
        let link = topo.link(hop.link);
        let measured = packet.created >= self.warmup;
        let verdict = if self.asks_transmissions {
            self.hooks.on_transmit(
                &Transmission {
                    now,
                    link: hop.link,
                    from,
                    to: hop.next,
                    packet,
                    measured,
                },
                &mut self.actions,
            )
        } else {
            Verdict::default()
        };
        let cost = verdict.cost;
        let mut packet = packet;
        match verdict.fate {
            Fate::Withheld => return self.lose(packet, Loss::Hooks),
            Fate::Tamper if packet.origin == Origin::Genuine => packet.origin = Origin::Tampered,
            _ => {}
        }
        let sender = &topo.node(from).device;
        let receiver = &topo.node(hop.next).device;
        let wire = packet.size.saturating_add(cost.overhead);
        let bits = wire.bits() as f64;

        // The direction's transmitter is a FIFO server: start when both the packet (after its
        // encryption) and the transmitter are ready. A radio link sends the technology's
        // framing too, at its bit rate.
        let ready = now.saturating_add(SimTime::from_secs_f64(
            sender.cpu_hz.secs_for(cost.sender_cycles),
        ));
        let radio = self.links.radio(hop.link).copied();
        let serialisation = match &radio {
            Some(r) => r.airtime(wire),
            None => SimTime::from_secs_f64(link.rate.serialisation_secs(wire)),
        };
        if let Some(r) = radio.filter(|_| self.links.has_mac(hop.link)) {
            // The link's MAC decides when (and how often) the frame goes on the air; each
            // transmission books its own radio energy.
            self.charge(
                now,
                from,
                Component::Crypto,
                Joules(cost.sender_cycles.0 as f64 * sender.energy_per_cycle.0),
            );
            if self.network.is_alive(hop.next) {
                let crypto_rx = cost.receiver_cycles.0 as f64 * receiver.energy_per_cycle.0;
                self.charge(now, hop.next, Component::Crypto, Joules(crypto_rx));
            }
            let hand = Hand {
                packet,
                link: hop.link,
                to: hop.next,
                sent: now,
                measured,
                fate: verdict.fate,
                decrypt: SimTime::from_secs_f64(receiver.cpu_hz.secs_for(cost.receiver_cycles)),
            };
            let pending = links::Pending {
                hand,
                ready,
                airtime: serialisation,
                bits: u64::from(wire.saturating_add(r.technology.overhead).0) * 8,
                attempts: 0,
            };
            self.links.mac_request(now, from, pending);
            return self.apply_mac(now);
        }
        let done = self.links.occupy(hop.link, from, ready, serialisation);

        let crypto_tx = cost.sender_cycles.0 as f64 * sender.energy_per_cycle.0;
        let tx_per_bit = link.tx_energy_per_bit.0;
        let rx_per_bit = link.rx_energy_per_bit.0;
        let rate = link.rate.0;
        // Radio links and client modems meter by state; other ends per bit.
        let start = done.saturating_sub(serialisation);
        let (tx_energy, rx_energy) = self.radios.hop(hop.link, from, start, done, rate);
        self.charge(now, from, Component::Crypto, Joules(crypto_tx));
        self.charge_end(now, from, tx_energy, Component::RadioTx, bits * tx_per_bit);
        if self.network.is_alive(hop.next) {
            let crypto_rx = cost.receiver_cycles.0 as f64 * receiver.energy_per_cycle.0;
            self.charge_end(
                now,
                hop.next,
                rx_energy,
                Component::RadioRx,
                bits * rx_per_bit,
            );
            self.charge(now, hop.next, Component::Crypto, Joules(crypto_rx));
        }
        let decrypt = SimTime::from_secs_f64(receiver.cpu_hz.secs_for(cost.receiver_cycles));
        let hand = Hand {
            packet,
            link: hop.link,
            to: hop.next,
            sent: now,
            measured,
            fate: verdict.fate,
            decrypt,
        };

        if let Some(r) = radio {
            // On the air for its airtime; its fate is decided when it ends.
            let frame_bits = u64::from(wire.saturating_add(r.technology.overhead).0) * 8;
            let start = done.saturating_sub(serialisation);
            let slot = self
                .links
                .send_frame(now, from, start, done, frame_bits, hand);
            return self.schedule(done, Event::FrameEnd(slot));
        }
        // The deployment's own packets draw loss and delay keyed by their identity
        // (`draws`), which nothing else can shift; extra traffic draws from the link's stream,
        // for every packet whatever the attack does.
        let keys = self.keys;
        let keyed = || draws::keyed(keys, &packet, hop.link.0, draws::Purpose::Crossing);
        let Some(propagation) = self.links.cross(hop.link, link, keyed) else {
            return self.lose(packet, Loss::Link);
        };
        self.cross(done.saturating_add(propagation), hand);
    }

    /// A radio frame ends: lost on the channel, or on to its receiver.
    fn frame_end(&mut self, now: SimTime, slot: u32) {
        let port = self.links.frame_port(slot);
        let (arrival, hand) = {
            let topo = &self.model.topology;
            let link = topo.link(self.links.hand_link(slot));
            self.links.frame_end(slot, link)
        };
        if let Some(port) = port {
            self.links.mac_frame_end(now, port, arrival, hand);
            return self.apply_mac(now);
        }
        match arrival {
            Arrival::Lost => self.lose(hand.packet, Loss::Radio),
            Arrival::Received(propagation) => self.cross(now.saturating_add(propagation), hand),
        }
    }

    /// Does what the MACs asked: schedule, charge the radios, deliver, lose.
    fn apply_mac(&mut self, now: SimTime) {
        let mut effects = self.links.take_effects();
        for e in effects.drain(..) {
            match e {
                links::Effect::Wake(at, wake) => self.schedule(at.max(now), Event::Mac(wake)),
                links::Effect::FrameEnd(at, slot) => self.schedule(at, Event::FrameEnd(slot)),
                links::Effect::Hop {
                    link,
                    from,
                    start,
                    end,
                } => {
                    let rate = self.model.topology.link(link).rate.0;
                    let (a, b) = self.model.topology.endpoints(link);
                    let to = if a == from { b } else { a };
                    let (tx, rx) = self.radios.hop(link, from, start, end, rate);
                    self.charge_end(now, from, tx, Component::RadioTx, 0.0);
                    self.charge_end(now, to, rx, Component::RadioRx, 0.0);
                }
                links::Effect::Hold {
                    link,
                    node,
                    state,
                    duration,
                } => {
                    let charges = self.radios.hold(link, node, state, duration);
                    self.charge_end(
                        now,
                        node,
                        EndEnergy::Charges(charges),
                        Component::RadioRx,
                        0.0,
                    );
                }
                links::Effect::Advertise {
                    link,
                    node,
                    duration,
                } => {
                    let charges = self.radios.advertise(link, node, duration);
                    self.charge_end(
                        now,
                        node,
                        EndEnergy::Charges(charges),
                        Component::RadioTx,
                        0.0,
                    );
                }
                links::Effect::Lose(packet, cause) => self.lose(
                    packet,
                    match cause {
                        links::MacLoss::ChannelAccess => Loss::ChannelAccess,
                        links::MacLoss::Retries => Loss::Retries,
                        links::MacLoss::Radio => Loss::Radio,
                    },
                ),
                links::Effect::Cross(at, hand) => self.cross(at, hand),
            }
        }
        self.links.return_effects(effects);
    }

    /// A packet has crossed the channel, reaching the far end's radio at `at`: the security
    /// layer's verdict applies, then the receiver decrypts it.
    fn cross(&mut self, at: SimTime, hand: Hand) {
        match hand.fate {
            Fate::Jammed => return self.lose(hand.packet, Loss::Hooks),
            Fate::Rejected => return self.lose(hand.packet, Loss::Rejected),
            _ => {}
        }
        let at = at.saturating_add(hand.decrypt);
        self.segments
            .record_link(hand.link, hand.measured, at.saturating_sub(hand.sent));
        self.schedule(
            at,
            Event::Arrive {
                node: hand.to,
                packet: hand.packet,
            },
        );
    }

    fn deliver(&mut self, now: SimTime, packet: Packet) {
        if !self
            .hooks
            .on_deliver(now, packet.dst, &packet, &mut self.actions)
        {
            return self.lose(packet, Loss::Rejected);
        }
        if self.accounting.delivered(now, &packet) != Delivered::Data {
            return;
        }
        // The deployment's own data comes from a source.
        let Some(source) = packet.source.source() else {
            return;
        };
        if let Some(size) = self.model.sources[source.index()].stream.ack {
            // The destination confirms at once; the ack keeps the command's creation time.
            let src_node = self.model.sources[source.index()].node;
            let ack = Packet {
                dst: src_node,
                size,
                records: 0,
                kind: PacketKind::Ack,
                ..packet
            };
            self.accounting.ack_generated();
            self.depart(now, packet.dst, ack);
        }
        // Warm-up readings too: they set the age the measured window starts from.
        if packet.origin == Origin::Genuine {
            self.information_age.delivered(source, packet.created, now);
        }
        if packet.created < self.warmup {
            return;
        }
        self.monitoring.seen(source, packet.created);
        self.accounting.record_latency(now, &packet);
    }

    #[inline]
    fn lose(&mut self, packet: Packet, cause: Loss) {
        self.accounting.lost(&packet, cause);
    }

    /// Books what one end of a hop costs: the radio or modem states' charges, else `per_bit`
    /// joules under `component`.
    #[inline]
    fn charge_end(
        &mut self,
        now: SimTime,
        node: NodeId,
        energy: EndEnergy,
        component: Component,
        per_bit: f64,
    ) {
        match energy {
            EndEnergy::PerBit => self.charge(now, node, component, Joules(per_bit)),
            EndEnergy::Charges(charges) => {
                for (c, e) in charges {
                    if self.network.is_alive(node) {
                        self.charge(now, node, c, Joules(e));
                    }
                }
            }
        }
    }

    /// Books the client modems' tails elapsed up to `now` at their live nodes.
    fn settle_modems(&mut self, now: SimTime) {
        let mut radios = std::mem::take(&mut self.radios);
        for (node, charges) in radios.settle(now) {
            for (c, e) in charges {
                if self.network.is_alive(node) {
                    self.charge(now, node, c, Joules(e));
                }
            }
        }
        self.radios = radios;
    }

    /// Books energy at a node; a battery that empties kills the node now.
    #[inline]
    fn charge(&mut self, now: SimTime, node: NodeId, component: Component, energy: Joules) {
        let emptied =
            self.energy
                .charge(now, node, component, energy, &mut self.events, self.horizon);
        if emptied {
            self.kill(now, node);
        }
    }

    fn kill(&mut self, now: SimTime, node: NodeId) {
        if !self.network.kill(node) {
            return;
        }
        self.energy.record_death(now, node, &mut self.events);
        self.empty_station(now, node, Loss::DeadNode);
        self.network.reroute(&self.model.topology);
    }

    /// Loses every packet waiting at a node's station (dead or taken out of the network);
    /// those in service are lost when their service ends.
    fn empty_station(&mut self, now: SimTime, node: NodeId, cause: Loss) {
        self.stations.shut(now, node);
        while let Some(packet) = self.stations.take_waiting(node) {
            self.lose(packet, cause);
        }
    }

    fn sample(&mut self, now: SimTime) {
        let state = State {
            meters: self.energy.meters(),
            alive: self.network.alive(),
            stations: &self.stations,
            counts: self.accounting.all(),
            ages: &self.information_age,
            hooks: &self.hooks,
        };
        self.sampler.sample(now, &self.groups, state);
        if let Some(next) = self.sampler.next(now, self.horizon) {
            self.schedule(next, Event::Sample);
        }
    }

    #[inline(always)]
    fn schedule(&mut self, at: SimTime, event: Event) {
        // Every caller schedules at `now` or later, so this cannot fail short of 2³¹ pending
        // events; should it, the event is dropped rather than the run aborted.
        let _ = self.events.schedule_hinted(at, event, event.hint());
    }
}

/// [`Event::hint`] of an event at a node: the node's index with this bit set (a source's
/// index has it clear; both stay below 2³¹, far above what a model holds).
const NODE_HINT: u32 = 1 << 31;

impl Event {
    /// What the event reads first, for prefetching one event ahead ([`EventList::next_hint`]):
    /// a `Generate`'s source, an `Arrive`'s or `ServiceDone`'s node (tagged [`NODE_HINT`]).
    #[inline]
    fn hint(&self) -> u32 {
        match *self {
            Event::Generate { source, .. } if source.0 < NODE_HINT => source.0,
            Event::Arrive { node, .. } | Event::ServiceDone { node, .. } if node.0 < NODE_HINT => {
                node.0 | NODE_HINT
            }
            _ => crate::event_list::NO_HINT,
        }
    }
}

mod accounting;
mod actions;
mod draws;
mod energy;
mod groups;
mod information_age;
mod links;
mod model;
mod monitoring;
mod network;
mod radios;
mod report;
mod roaming;
mod running;
mod sampling;
mod segments;
mod sources;
mod stations;
mod tracked;

mod limits;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
