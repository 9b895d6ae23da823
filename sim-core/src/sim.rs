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
//! Any hook call may push [`Action`]s: inject extra traffic (forged, replayed, flood, cover
//! packets, counted apart from the deployment's own), charge energy, take a node out of the
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

use crate::battery::{Component, EnergyMeter};
use crate::event_list::{EventList, ScheduleError};
use crate::hooks::{Action, Actions, Fate, Hooks, Scalar, Transmission};
use crate::ids::{NodeId, SourceId};
use crate::metrics::{Column, IncidentRecord, RunMetrics, TimeSeries};
use crate::packet::{Origin, Packet, PacketKind};
use crate::routing::Hop;
use crate::time::SimTime;
use crate::topology::{Layer, Topology};
use crate::traffic::SourceSpec;
use crate::units::Joules;
use accounting::{Accounting, Counters, Delivered, Loss};
use energy::Energy;
use links::Links;
use monitoring::Monitoring;
use network::Network;
use segments::Segments;
use sources::Sources;
use stations::{Admission, Completion, Stations};

/// The run's clock settings.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Simulated time to run; events after it do not run.
    pub duration: SimTime,
    /// Initial span excluded from the statistics (transient removal); `< duration`.
    pub warmup: SimTime,
    /// Spacing of the time-series samples; `None` records no time series.
    pub time_grid: Option<SimTime>,
}

/// Everything needed to run: the topology, the traffic and the clock. Shared read-only by all
/// replications.
#[derive(Clone, Debug)]
pub struct Model {
    /// The network.
    pub topology: Topology,
    /// The traffic sources.
    pub sources: Vec<SourceSpec>,
    /// The clock settings.
    pub config: RunConfig,
}

/// Why a model cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// The warm-up is not shorter than the run.
    #[error("the warm-up ({warmup}) must be shorter than the duration ({duration})")]
    WarmupTooLong {
        /// The warm-up.
        warmup: SimTime,
        /// The duration.
        duration: SimTime,
    },
    /// A source refers to a node that does not exist.
    #[error("source {0} refers to a node that does not exist")]
    BadSource(String),
    /// A source has a non-positive rate or period.
    #[error("source {0} has a rate or period that is not positive")]
    BadRate(String),
    /// A station has no server.
    #[error("node {0} has a station with zero servers")]
    NoServer(String),
    /// The event list refused an event.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Event {
    Generate(SourceId),
    Arrive {
        node: NodeId,
        packet: Packet,
    },
    ServiceDone {
        node: NodeId,
        packet: Packet,
    },
    BatteryEmpty(NodeId),
    Sample,
    WarmupEnd,
    /// A timer the hooks asked for.
    Timer(u64),
}

/// One replication of a model, with the hooks `H` watching its traffic.
pub struct Simulation<'m, H: Hooks> {
    model: &'m Model,
    seed: u64,
    hooks: H,
    events: EventList<Event>,
    horizon: SimTime,
    warmup: SimTime,
    links: Links,
    network: Network,
    /// What the hooks asked for during the current event, and the buffer being applied.
    actions: Actions,
    applying: Actions,
    /// How long monitoring sources' destinations went without data.
    monitoring: Monitoring,
    energy: Energy,
    stations: Stations,
    sources: Sources,
    accounting: Accounting,
    /// Per link group and station group: where packets spend their time.
    segments: Segments,
    /// Node groups (name, layer) in order of first appearance, and each node's group.
    groups: Vec<(String, Layer)>,
    node_group: Vec<u32>,
    /// Scratch for the hooks' time-series values, reused at every sample.
    hook_sample: Vec<Scalar>,
    /// Cumulative delivered and lost (all packets) at the previous sample.
    sampled_counts: Counters,
    series: TimeSeries,
    processed: u64,
    /// Every event processed, with its instant, when a test asks for it.
    #[cfg(test)]
    trace: Option<Vec<(SimTime, Event)>>,
}

/// Names of the sensing layer's energy per component, in [`Component::ALL`] order.
pub const SENSOR_ENERGY_SCALARS: [&str; 5] = [
    "sensor_radio_tx_j",
    "sensor_radio_rx_j",
    "sensor_cpu_j",
    "sensor_crypto_j",
    "sensor_sleep_j",
];

/// The engine's whole-system series, in column order; then, per node group with batteries,
/// `battery_min_fraction` and `battery_mean_fraction`; then, per station group,
/// `queued_packets`; then the hooks' series.
const SERIES: [&str; 8] = [
    "battery_min_fraction",
    "battery_mean_fraction",
    "alive_nodes",
    "delivered",
    "lost",
    "queued_packets",
    "delivered_per_s",
    "delivery_ratio",
];

impl<'m, H: Hooks> Simulation<'m, H> {
    /// Prepares replication `seed` of `model`: random streams, routes, the first events.
    pub fn new(model: &'m Model, seed: u64, hooks: H) -> Result<Self, SimError> {
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
        let monitoring = Monitoring::new(model);
        // Routes lead to every destination, and back to every sender whose packets are acked.
        let mut destinations: Vec<NodeId> = model
            .sources
            .iter()
            .flat_map(|s| std::iter::once(s.dst).chain(s.ack.map(|_| s.node)))
            .collect();
        hooks.destinations(&mut destinations);
        destinations.retain(|d| d.index() < n);
        let network = Network::new(topo, &destinations);
        let (groups, node_group) = node_groups(topo);
        let segments = Segments::new(model, network.routes());
        let samples = cfg.time_grid.map_or(0, |g| {
            (cfg.duration.as_nanos() / g.as_nanos().max(1)).min(1 << 20) as usize + 2
        });
        let mut columns: Vec<Column> = SERIES
            .iter()
            .map(|&c| Column {
                series: c,
                group: None,
                values: Vec::with_capacity(samples),
            })
            .collect();
        for (g, (name, _)) in groups.iter().enumerate() {
            let has_battery = topo.node_ids().any(|id| {
                node_group[id.index()] == g as u32 && topo.node(id).device.battery.is_some()
            });
            if has_battery {
                for series in ["battery_min_fraction", "battery_mean_fraction"] {
                    columns.push(Column {
                        series,
                        group: Some(name.clone()),
                        values: Vec::with_capacity(samples),
                    });
                }
            }
        }
        for (g, (name, _)) in groups.iter().enumerate() {
            let has_station = topo
                .node_ids()
                .any(|id| node_group[id.index()] == g as u32 && stations.has_station(id));
            if has_station {
                columns.push(Column {
                    series: "queued_packets",
                    group: Some(name.clone()),
                    values: Vec::with_capacity(samples),
                });
            }
        }
        let mut sim = Simulation {
            model,
            seed,
            hooks,
            events: EventList::with_capacity(1024 + 4 * model.sources.len()),
            horizon: cfg.duration,
            warmup: cfg.warmup,
            links: Links::new(topo, seed),
            network,
            actions: Actions::default(),
            applying: Actions::default(),
            monitoring,
            energy: Energy::new(topo),
            stations,
            sources,
            accounting: Accounting::new(model),
            segments,
            groups,
            node_group,
            hook_sample: Vec::with_capacity(8),
            sampled_counts: Counters::default(),
            series: TimeSeries {
                times_s: Vec::with_capacity(samples),
                columns,
            },
            processed: 0,
            #[cfg(test)]
            trace: None,
        };
        for (i, spec) in model.sources.iter().enumerate() {
            let id = SourceId(i as u32);
            let first = sim.sources.next_emission(id, spec, SimTime::ZERO, true);
            sim.events.schedule(first, Event::Generate(id))?;
        }
        if sim.warmup > SimTime::ZERO {
            sim.events.schedule(sim.warmup, Event::WarmupEnd)?;
        }
        if cfg.time_grid.is_some() {
            sim.events.schedule(SimTime::ZERO, Event::Sample)?;
        }
        for id in 0..n {
            sim.energy
                .foresee_death(NodeId(id as u32), &mut sim.events, sim.horizon);
        }
        sim.hooks.start(&mut sim.actions);
        sim.apply_actions(SimTime::ZERO);
        Ok(sim)
    }

    /// Runs to the end of the horizon and returns the metrics.
    pub fn run(mut self) -> RunMetrics {
        self.run_to_end();
        self.finish()
    }

    /// Processes every event up to and including the horizon, leaving the simulation
    /// inspectable (see [`Simulation::in_flight`]); [`Simulation::finish`] then reports.
    pub fn run_to_end(&mut self) {
        self.run_until(self.horizon);
    }

    /// Processes every event up to and including `until` (capped at the horizon). A run paused
    /// and resumed this way processes the same events in the same order as one call to the
    /// end: the first event past `until` is only looked at, never taken out and put back (which
    /// would give it a new sequence number and run it after later-scheduled events of its
    /// instant).
    pub fn run_until(&mut self, until: SimTime) {
        let until = until.min(self.horizon);
        while self.events.peek_time().is_some_and(|t| t <= until) {
            let Some((now, event)) = self.events.pop() else {
                break;
            };
            self.processed += 1;
            #[cfg(test)]
            if let Some(trace) = &mut self.trace {
                trace.push((now, event));
            }
            self.handle(now, event);
            if !self.actions.is_empty() {
                self.apply_actions(now);
            }
        }
    }

    /// The hooks, for inspection.
    pub fn hooks(&self) -> &H {
        &self.hooks
    }

    /// Packets generated so far (all, warm-up included).
    pub fn generated(&self) -> u64 {
        self.accounting.all().generated
    }

    /// Packets delivered so far (all, warm-up included).
    pub fn delivered(&self) -> u64 {
        self.accounting.all().delivered
    }

    /// Packets lost so far (all, warm-up included).
    pub fn lost(&self) -> u64 {
        self.accounting.all().lost
    }

    /// Packets still in the system, counted from where they are: in a station (waiting or in
    /// service) or on a link. Independent of the counters, so a conservation check means
    /// something.
    pub fn in_flight(&self) -> u64 {
        let mut n = 0u64;
        self.events.for_each_pending(|e| {
            if matches!(e, Event::Arrive { .. } | Event::ServiceDone { .. }) {
                n += 1;
            }
        });
        n + self.stations.waiting_at(self.network.alive())
    }

    /// The instant the first battery emptied, if one did.
    pub fn first_battery_death(&self) -> Option<SimTime> {
        self.energy.first_death()
    }

    /// The energy meter of a node.
    pub fn meter(&self, node: NodeId) -> &EnergyMeter {
        self.energy.meter(node)
    }

    /// Whether a node is alive.
    pub fn is_alive(&self, node: NodeId) -> bool {
        self.network.is_alive(node)
    }

    fn handle(&mut self, now: SimTime, event: Event) {
        match event {
            Event::Generate(source) => self.generate(now, source),
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
                self.energy.end_warmup(now);
                self.stations.end_warmup(now);
            }
            Event::Timer(token) => self.hooks.on_timer(now, token, &mut self.actions),
        }
    }

    /// Applies what the hooks asked for during the event at `now`, and what that in turn
    /// makes them ask, until nothing is pending. Two buffers are swapped so that nothing
    /// allocates once they have grown.
    fn apply_actions(&mut self, now: SimTime) {
        while !self.actions.is_empty() {
            std::mem::swap(&mut self.actions, &mut self.applying);
            let mut batch = std::mem::take(&mut self.applying);
            let mut reroute = false;
            for action in batch.drain() {
                reroute |= self.apply(now, action);
            }
            self.applying = batch;
            if reroute {
                self.network.reroute(&self.model.topology);
            }
        }
    }

    /// Applies one action; returns whether routes must be recomputed.
    fn apply(&mut self, now: SimTime, action: Action) -> bool {
        match action {
            Action::Inject { node, packet } => {
                if node.index() >= self.network.node_count() {
                    return false;
                }
                if !self.accounting.injected(&packet) {
                    // Only extra traffic may be injected; the deployment's own comes from sources.
                    self.lose(packet, Loss::Rejected);
                    return false;
                }
                self.arrive(now, node, packet);
                false
            }
            Action::Charge {
                node,
                component,
                energy,
            } => {
                if self.network.exists_alive(node) {
                    self.charge(now, node, component, energy);
                }
                false
            }
            Action::SetAvailable { node, available } => {
                if !self.network.set_available(node, available) {
                    return false;
                }
                if !available {
                    self.empty_station(now, node, Loss::Unavailable);
                }
                true
            }
            Action::Route { link, weight } => self.network.set_weight(link, weight),
            Action::Timer { at, token } => {
                self.schedule(at.max(now), Event::Timer(token));
                false
            }
        }
    }

    fn generate(&mut self, now: SimTime, id: SourceId) {
        let spec = &self.model.sources[id.index()];
        if !self.network.is_alive(spec.node) {
            return;
        }
        let packet = Packet {
            created: now,
            source: id,
            dst: spec.dst,
            size: spec.size,
            records: spec.records,
            class: spec.class,
            kind: PacketKind::Data,
            origin: Origin::Genuine,
        };
        let node = spec.node;
        self.accounting.generated(now);
        self.hooks.on_generate(now, &packet);
        let next = self.sources.next_emission(id, spec, now, false);
        if next <= self.horizon {
            self.schedule(next, Event::Generate(id));
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

    fn start_service(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        let device = &self.model.topology.node(node).device;
        let station = device.station.as_ref().expect("served at a station");
        let (t, sojourn) = self.stations.start_service(now, node, &station.service);
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
            Some(hop) => self.transmit(now, node, hop, packet),
            None => self.lose(packet, Loss::NoRoute),
        }
    }

    fn transmit(&mut self, now: SimTime, from: NodeId, hop: Hop, packet: Packet) {
        let topo = &self.model.topology;
        let link = topo.link(hop.link);
        let measured = packet.created >= self.warmup;
        let verdict = self.hooks.on_transmit(
            &Transmission {
                now,
                link: hop.link,
                from,
                to: hop.next,
                packet,
                measured,
            },
            &mut self.actions,
        );
        let cost = verdict.cost;
        let mut packet = packet;
        match verdict.fate {
            Fate::Withheld => return self.lose(packet, Loss::Attack),
            Fate::Tamper if packet.origin == Origin::Genuine => packet.origin = Origin::Tampered,
            _ => {}
        }
        let sender = &topo.node(from).device;
        let receiver = &topo.node(hop.next).device;
        let wire = packet.size.saturating_add(cost.overhead);
        let bits = wire.bits() as f64;

        // The direction's transmitter is a FIFO server: start when both the packet (after its
        // encryption) and the transmitter are ready.
        let ready = now.saturating_add(SimTime::from_secs_f64(
            sender.cpu_hz.secs_for(cost.sender_cycles),
        ));
        let serialisation = SimTime::from_secs_f64(link.rate.serialisation_secs(wire));
        let done = self.links.occupy(hop.link, from, ready, serialisation);

        let crypto_tx = cost.sender_cycles.0 as f64 * sender.energy_per_cycle.0;
        self.charge(now, from, Component::Crypto, Joules(crypto_tx));
        self.charge(
            now,
            from,
            Component::RadioTx,
            Joules(bits * link.tx_energy_per_bit.0),
        );
        if self.network.is_alive(hop.next) {
            let crypto_rx = cost.receiver_cycles.0 as f64 * receiver.energy_per_cycle.0;
            self.charge(
                now,
                hop.next,
                Component::RadioRx,
                Joules(bits * link.rx_energy_per_bit.0),
            );
            self.charge(now, hop.next, Component::Crypto, Joules(crypto_rx));
        }

        // The link's own loss is drawn for every packet, whatever the attack does, so that the
        // link's stream stays aligned across attack and defense variants.
        let Some(propagation) = self.links.cross(hop.link, link) else {
            return self.lose(packet, Loss::Link);
        };
        match verdict.fate {
            Fate::Jammed => return self.lose(packet, Loss::Attack),
            Fate::Rejected => return self.lose(packet, Loss::Rejected),
            _ => {}
        }
        let decrypt = SimTime::from_secs_f64(receiver.cpu_hz.secs_for(cost.receiver_cycles));
        let at = done.saturating_add(propagation).saturating_add(decrypt);
        self.segments
            .record_link(hop.link, measured, at.saturating_sub(now));
        self.schedule(
            at,
            Event::Arrive {
                node: hop.next,
                packet,
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
        if let Some(size) = self.model.sources[packet.source.index()].ack {
            // The destination confirms at once; the ack keeps the command's creation time.
            let src_node = self.model.sources[packet.source.index()].node;
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
        if packet.created < self.warmup {
            return;
        }
        self.monitoring.seen(packet.source, packet.created);
        self.accounting.record_latency(now, &packet);
    }

    #[inline]
    fn lose(&mut self, packet: Packet, cause: Loss) {
        self.accounting.lost(&packet, cause);
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
        let groups = self.groups.len();
        // Per group (index), then the whole system (index `groups`): min, sum, count.
        let mut battery = vec![(1.0f64, 0.0f64, 0u32); groups + 1];
        let mut queued = vec![0usize; groups + 1];
        for (i, m) in self.energy.meters().iter().enumerate() {
            let g = self.node_group[i] as usize;
            if m.capacity().is_some() {
                let f = if self.network.alive()[i] {
                    m.fraction_left_at(now)
                } else {
                    0.0
                };
                for k in [g, groups] {
                    let b = &mut battery[k];
                    b.0 = b.0.min(f);
                    b.1 += f;
                    b.2 += 1;
                }
            }
            if let Some(waiting) = self.stations.waiting(i) {
                queued[g] += waiting;
                queued[groups] += waiting;
            }
        }
        let min = |b: (f64, f64, u32)| (b.2 > 0).then_some(b.0);
        let mean = |b: (f64, f64, u32)| (b.2 > 0).then(|| b.1 / f64::from(b.2));
        let all = self.accounting.all();
        let first = self.series.times_s.is_empty();
        let since = self.series.times_s.last().copied().unwrap_or(0.0);
        let (delivered, lost) = (
            all.delivered - self.sampled_counts.delivered,
            all.lost - self.sampled_counts.lost,
        );
        let dt = now.as_secs_f64() - since;
        let system = [
            min(battery[groups]),
            mean(battery[groups]),
            Some(self.network.alive().iter().filter(|&&a| a).count() as f64),
            Some(all.delivered as f64),
            Some(all.lost as f64),
            Some(queued[groups] as f64),
            (!first && dt > 0.0).then(|| delivered as f64 / dt),
            (delivered + lost > 0).then(|| delivered as f64 / (delivered + lost) as f64),
        ];
        self.sampled_counts = all;
        self.series.times_s.push(now.as_secs_f64());
        let mut cols = self.series.columns.iter_mut();
        for v in system {
            if let Some(c) = cols.next() {
                c.values.push(v);
            }
        }
        // The per-group columns follow in the order `new` created them.
        let mut group_of = |name: &str| self.groups.iter().position(|(g, _)| g == name);
        for c in cols {
            let Some(g) = c.group.as_deref().and_then(&mut group_of) else {
                break;
            };
            c.values.push(match c.series {
                "battery_min_fraction" => min(battery[g]),
                "battery_mean_fraction" => mean(battery[g]),
                _ => Some(queued[g] as f64),
            });
        }
        let mut out = std::mem::take(&mut self.hook_sample);
        out.clear();
        self.hooks.sample(now, &mut out);
        let samples = self.series.times_s.len();
        for &(name, v) in &out {
            let col = match self
                .series
                .columns
                .iter()
                .position(|c| c.series == name && c.group.is_none())
            {
                Some(c) => c,
                None => {
                    // A series first reported now: undefined at the earlier instants.
                    let mut values =
                        Vec::with_capacity(samples.max(self.series.times_s.capacity()));
                    values.resize(samples - 1, None);
                    self.series.columns.push(Column {
                        series: name,
                        group: None,
                        values,
                    });
                    self.series.columns.len() - 1
                }
            };
            self.series.columns[col].values.push(v);
        }
        self.hook_sample = out;
        for c in &mut self.series.columns {
            c.values.resize(samples, None);
        }
        if let Some(grid) = self.model.config.time_grid {
            let next = now.saturating_add(grid);
            if next <= self.horizon && grid > SimTime::ZERO {
                self.schedule(next, Event::Sample);
            }
        }
    }

    #[inline]
    fn schedule(&mut self, at: SimTime, event: Event) {
        // Every caller schedules at `now` or later, so this cannot fail short of 2³² pending
        // events; should it, the event is dropped rather than the run aborted.
        let _ = self.events.schedule(at, event);
    }

    /// Closes the books at the horizon and reports.
    pub fn finish(mut self) -> RunMetrics {
        let end = self.horizon;
        let window = end.saturating_sub(self.warmup).as_secs_f64();
        self.energy.close(end, self.network.alive());
        let topo = &self.model.topology;
        let (energy, sensor_energy) = self.energy.totals(topo);
        let mut scalars: Vec<Scalar> = self.accounting.traffic_scalars().to_vec();
        scalars.extend([
            (
                "mean_packets_in_stations",
                Some(self.stations.mean_occupancy(end, window)),
            ),
            ("energy_j", Some(energy)),
            ("sensor_energy_j", Some(sensor_energy.iter().sum())),
            (
                "first_battery_death_s",
                self.energy.first_death().map(SimTime::as_secs_f64),
            ),
            ("battery_deaths", Some(self.energy.deaths() as f64)),
            (
                "monitoring_hours_lost",
                Some(self.monitoring.hours_lost(end)),
            ),
        ]);
        scalars.extend(self.accounting.extra_scalars());
        for (c, name) in Component::ALL.iter().zip(SENSOR_ENERGY_SCALARS) {
            scalars.push((name, Some(sensor_energy[*c as usize])));
        }
        self.hooks.report(&mut scalars);
        let groups = self.energy.group_metrics(
            topo,
            &self.groups,
            &self.node_group,
            self.network.alive(),
            end,
        );
        let mut incidents = self.energy.take_incidents();
        self.hooks.incidents(&mut incidents);
        // Stable: at equal instants the engine's come first, then the hooks' in their order.
        incidents.sort_by_key(|i| i.at);
        let incidents = incidents
            .into_iter()
            .map(|i| {
                let (node, group) = i.node.filter(|n| n.index() < topo.node_count()).map_or(
                    (String::new(), String::new()),
                    |n| {
                        let spec = topo.node(n);
                        (spec.name.clone(), spec.group.clone())
                    },
                );
                IncidentRecord {
                    time_s: i.at.as_secs_f64(),
                    kind: i.kind,
                    node,
                    group,
                    by: i.by,
                }
            })
            .collect();
        let mut attacks = Vec::new();
        self.hooks.attacks(&mut attacks);
        let (latency, alarm_latency, latency_by_class) = self.accounting.into_latencies();
        RunMetrics {
            seed: self.seed,
            scalars,
            latency,
            alarm_latency,
            latency_by_class,
            segments: self.segments.into_ordered(),
            groups,
            incidents,
            timeseries: self.series,
            attacks,
            events: self.processed,
        }
    }
}

/// Node groups (name, layer) in order of first appearance, and each node's group index.
fn node_groups(topo: &Topology) -> (Vec<(String, Layer)>, Vec<u32>) {
    let mut groups: Vec<(String, Layer)> = Vec::new();
    let mut index: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let node_group = topo
        .node_ids()
        .map(|id| {
            let spec = topo.node(id);
            *index.entry(spec.group.as_str()).or_insert_with(|| {
                groups.push((spec.group.clone(), spec.layer));
                groups.len() as u32 - 1
            })
        })
        .collect();
    (groups, node_group)
}

mod accounting;
mod energy;
mod links;
mod monitoring;
mod network;
mod segments;
mod sources;
mod stations;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;
