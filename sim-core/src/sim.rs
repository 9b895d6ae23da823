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
use crate::dist::bernoulli;
use crate::event_list::{EventHandle, EventList, ScheduleError};
use crate::hooks::{
    Action, Actions, Fate, Hooks, Incident, IncidentKind, RouteWeight, Scalar, Transmission,
};
use crate::ids::{LinkId, NodeId, SourceId};
use crate::metrics::{
    Column, GroupMetrics, IncidentRecord, LatencyStats, RunMetrics, Segment, SegmentKind,
    TimeSeries, class_index,
};
use crate::packet::{Origin, Packet, PacketKind};
use crate::rng::{self, Stream};
use crate::routing::{Hop, Routes};
use crate::time::SimTime;
use crate::topology::{Layer, Topology};
use crate::traffic::{Arrivals, SourceSpec, TrafficClass};
use crate::units::Joules;
use rand_distr::{Distribution, Exp};
use std::collections::VecDeque;

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

#[derive(Clone, Copy, Debug)]
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

/// Why a packet was lost.
#[derive(Clone, Copy, Debug)]
enum Loss {
    Buffer,
    Link,
    DeadNode,
    NoRoute,
    /// Jammed or withheld by an attacker.
    Attack,
    /// Discarded by a receiver's security check.
    Rejected,
    /// Reached a node taken out of the network (isolated, encrypted by ransomware).
    Unavailable,
}

#[derive(Debug)]
struct Station {
    busy: u32,
    queue: VecDeque<Packet>,
    /// Services under way when the node was taken out of the network: their completions are
    /// stale (the packet is lost) and must not free a server that later arrivals hold.
    void: u32,
}

#[derive(Debug)]
struct SourceState {
    rng: Stream,
    /// Periodic: `phase + k·period` of the next send. Poisson: unused.
    next_base: SimTime,
    exp: Option<Exp<f64>>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counters {
    generated: u64,
    delivered: u64,
    lost: u64,
}

#[derive(Debug, Default)]
struct Measured {
    counts: Counters,
    /// Arrivals at stations, and those that found every server busy (they waited or were dropped).
    station_arrivals: u64,
    station_waits: u64,
    lost_buffer: u64,
    lost_link: u64,
    lost_dead_node: u64,
    lost_no_route: u64,
    lost_attack: u64,
    lost_rejected: u64,
    lost_unavailable: u64,
    deadline_misses: u64,
    acks_delivered: u64,
    acks_lost: u64,
    /// Extra traffic (forged, replayed, flood, cover): injected, delivered and accepted,
    /// rejected at the destination, lost on the way.
    extra_injected: u64,
    extra_accepted: u64,
    extra_rejected: u64,
    extra_lost: u64,
}

/// One replication of a model, with the hooks `H` watching its traffic.
pub struct Simulation<'m, H: Hooks> {
    model: &'m Model,
    seed: u64,
    hooks: H,
    events: EventList<Event>,
    horizon: SimTime,
    warmup: SimTime,
    link_ends: Vec<(NodeId, NodeId)>,
    alive: Vec<bool>,
    /// Whether the security layer keeps a node in the network ([`Action::SetAvailable`]).
    available: Vec<bool>,
    /// Per link, the security layer's routing override ([`Action::Route`]).
    route_weights: Vec<RouteWeight>,
    /// What the hooks asked for during the current event, and the buffer being applied.
    actions: Actions,
    applying: Actions,
    /// Per source, the creation time of its newest delivered packet (the warm-up before any),
    /// for the time its destination went without data.
    last_seen: Vec<SimTime>,
    /// Seconds of `monitoring_hours_lost`, summed over periodic sensing sources.
    dark_s: f64,
    meters: Vec<EnergyMeter>,
    stations: Vec<Option<Station>>,
    node_rngs: Vec<Stream>,
    link_rngs: Vec<Stream>,
    tx_free: Vec<[SimTime; 2]>,
    sources: Vec<SourceState>,
    death_events: Vec<Option<(SimTime, EventHandle)>>,
    routes: Routes,
    all: Counters,
    measured: Measured,
    latency: LatencyStats,
    alarm_latency: LatencyStats,
    /// Command round trips: creation of an acknowledged packet to delivery of its ack.
    command_rtt: LatencyStats,
    latency_by_class: [LatencyStats; 2],
    /// Per link group and station group: where packets spend their time.
    segments: Vec<Segment>,
    /// `link_segment[link]`, `station_segment[node]`: indices into `segments` (`u32::MAX`:
    /// the node has no station).
    link_segment: Vec<u32>,
    station_segment: Vec<u32>,
    /// Per station, the arrival instants of the packets not yet in service, in arrival order
    /// (a FIFO station starts service in arrival order), for the station segment's latency.
    station_arrived: Vec<VecDeque<SimTime>>,
    /// Node groups (name, layer) in order of first appearance, and each node's group.
    groups: Vec<(String, Layer)>,
    node_group: Vec<u32>,
    /// Battery deaths so far (at most one per node, so this never grows past the node count).
    incidents: Vec<Incident>,
    /// Scratch for the hooks' time-series values, reused at every sample.
    hook_sample: Vec<Scalar>,
    /// Cumulative delivered and lost (all packets) at the previous sample.
    sampled_counts: Counters,
    energy_at_warmup: Vec<[f64; 5]>,
    first_death: Option<SimTime>,
    battery_deaths: u64,
    series: TimeSeries,
    processed: u64,
    /// Packets at stations (waiting or in service), and the time integral of that count since
    /// the warm-up (packet·seconds), for the time-average behind Little's law L = λW.
    in_stations: u64,
    station_area: f64,
    station_area_since: SimTime,
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
        let mut stations = Vec::with_capacity(n);
        let mut meters = Vec::with_capacity(n);
        let mut node_rngs = Vec::with_capacity(n);
        for id in topo.node_ids() {
            let spec = topo.node(id);
            let station = match &spec.device.station {
                Some(st) if st.servers == 0 => return Err(SimError::NoServer(spec.name.clone())),
                Some(st) => Some(Station {
                    busy: 0,
                    void: 0,
                    queue: VecDeque::with_capacity(st.buffer.map_or(64, |b| b as usize)),
                }),
                None => None,
            };
            stations.push(station);
            meters.push(EnergyMeter::new(
                spec.device.battery,
                spec.device.sleep_power,
            ));
            node_rngs.push(rng::stream(seed, &format!("node:{}", spec.name)));
        }
        let link_ends: Vec<_> = topo.link_ids().map(|l| topo.endpoints(l)).collect();
        let link_rngs = topo
            .link_ids()
            .map(|l| rng::stream(seed, &format!("link:{}", topo.link(l).name)))
            .collect();
        let mut sources = Vec::with_capacity(model.sources.len());
        for s in &model.sources {
            if s.node.index() >= n || s.dst.index() >= n {
                return Err(SimError::BadSource(s.name.clone()));
            }
            let mut rng = rng::stream(seed, &format!("source:{}", s.name));
            let (next_base, exp) = match &s.arrivals {
                Arrivals::Periodic { period, .. } => {
                    if *period == SimTime::ZERO {
                        return Err(SimError::BadRate(s.name.clone()));
                    }
                    let phase = rand::Rng::random_range(&mut rng, 0..period.as_nanos());
                    (SimTime::from_nanos(phase), None)
                }
                Arrivals::Poisson { rate_per_s } => {
                    let exp = Exp::new(*rate_per_s)
                        .ok()
                        .filter(|_| *rate_per_s > 0.0 && rate_per_s.is_finite())
                        .ok_or_else(|| SimError::BadRate(s.name.clone()))?;
                    (SimTime::ZERO, Some(exp))
                }
            };
            sources.push(SourceState {
                rng,
                next_base,
                exp,
            });
        }
        let alive = vec![true; n];
        let last_seen = vec![cfg.warmup; model.sources.len()];
        // Routes lead to every destination, and back to every sender whose packets are acked.
        let mut destinations: Vec<NodeId> = model
            .sources
            .iter()
            .flat_map(|s| std::iter::once(s.dst).chain(s.ack.map(|_| s.node)))
            .collect();
        hooks.destinations(&mut destinations);
        destinations.retain(|d| d.index() < n);
        let routes = Routes::compute(topo, &alive, &destinations);
        let (groups, node_group) = node_groups(topo);
        let (segments, link_segment, station_segment) = segments(model, &routes);
        let station_arrived = stations
            .iter()
            .map(|st| {
                st.as_ref().map_or_else(VecDeque::new, |st| {
                    VecDeque::with_capacity(st.queue.capacity())
                })
            })
            .collect();
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
                .any(|id| node_group[id.index()] == g as u32 && stations[id.index()].is_some());
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
            tx_free: vec![[SimTime::ZERO; 2]; link_ends.len()],
            route_weights: vec![RouteWeight::Normal; link_ends.len()],
            link_ends,
            alive,
            available: vec![true; n],
            actions: Actions::default(),
            applying: Actions::default(),
            last_seen,
            dark_s: 0.0,
            death_events: vec![None; n],
            meters,
            stations,
            node_rngs,
            link_rngs,
            sources,
            routes,
            all: Counters::default(),
            measured: Measured::default(),
            latency: LatencyStats::default(),
            alarm_latency: LatencyStats::default(),
            command_rtt: LatencyStats::default(),
            latency_by_class: Default::default(),
            segments,
            link_segment,
            station_segment,
            station_arrived,
            groups,
            node_group,
            incidents: Vec::with_capacity(n),
            hook_sample: Vec::with_capacity(8),
            sampled_counts: Counters::default(),
            energy_at_warmup: Vec::new(),
            first_death: None,
            battery_deaths: 0,
            series: TimeSeries {
                times_s: Vec::with_capacity(samples),
                columns,
            },
            processed: 0,
            in_stations: 0,
            station_area: 0.0,
            station_area_since: cfg.warmup,
        };
        for i in 0..sim.sources.len() {
            let id = SourceId(i as u32);
            let first = sim.next_emission(id, SimTime::ZERO, true);
            sim.events.schedule(first, Event::Generate(id))?;
        }
        if sim.warmup > SimTime::ZERO {
            sim.events.schedule(sim.warmup, Event::WarmupEnd)?;
        }
        if cfg.time_grid.is_some() {
            sim.events.schedule(SimTime::ZERO, Event::Sample)?;
        }
        for id in 0..n {
            sim.predict_battery_death(NodeId(id as u32));
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

    /// Processes every event up to and including `until` (capped at the horizon).
    pub fn run_until(&mut self, until: SimTime) {
        let until = until.min(self.horizon);
        while let Some((now, event)) = self.events.pop() {
            if now > until {
                // Put it back: a later call resumes with it, and `in_flight` still sees it.
                let _ = self.events.schedule(now, event);
                break;
            }
            self.processed += 1;
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
        self.all.generated
    }

    /// Packets delivered so far (all, warm-up included).
    pub fn delivered(&self) -> u64 {
        self.all.delivered
    }

    /// Packets lost so far (all, warm-up included).
    pub fn lost(&self) -> u64 {
        self.all.lost
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
        for (i, st) in self.stations.iter().enumerate() {
            if let Some(st) = st
                && self.alive[i]
            {
                n += st.queue.len() as u64;
            }
        }
        n
    }

    /// The instant the first battery emptied, if one did.
    pub fn first_battery_death(&self) -> Option<SimTime> {
        self.first_death
    }

    /// The energy meter of a node.
    pub fn meter(&self, node: NodeId) -> &EnergyMeter {
        &self.meters[node.index()]
    }

    /// Whether a node is alive.
    pub fn is_alive(&self, node: NodeId) -> bool {
        self.alive[node.index()]
    }

    fn handle(&mut self, now: SimTime, event: Event) {
        match event {
            Event::Generate(source) => self.generate(now, source),
            Event::Arrive { node, packet } => self.arrive(now, node, packet),
            Event::ServiceDone { node, packet } => self.service_done(now, node, packet),
            Event::BatteryEmpty(node) => {
                if self.alive[node.index()] {
                    self.meters[node.index()].accrue(now);
                    self.kill(now, node);
                }
            }
            Event::Sample => self.sample(now),
            Event::WarmupEnd => {
                for m in &mut self.meters {
                    m.accrue(now);
                }
                self.energy_at_warmup = self.meters.iter().map(|m| m.by_component()).collect();
                self.station_area = 0.0;
                self.station_area_since = now;
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
                self.reroute();
            }
        }
    }

    /// Applies one action; returns whether routes must be recomputed.
    fn apply(&mut self, now: SimTime, action: Action) -> bool {
        match action {
            Action::Inject { node, packet } => {
                if node.index() >= self.alive.len() {
                    return false;
                }
                self.all.generated += 1;
                if packet.origin.is_own_traffic() {
                    // Only extra traffic may be injected; the deployment's own comes from sources.
                    self.lose(packet, Loss::Rejected);
                    return false;
                }
                if packet.created >= self.warmup {
                    self.measured.extra_injected += 1;
                }
                self.arrive(now, node, packet);
                false
            }
            Action::Charge {
                node,
                component,
                energy,
            } => {
                if self.alive.get(node.index()).copied().unwrap_or(false) {
                    self.charge(now, node, component, energy);
                }
                false
            }
            Action::SetAvailable { node, available } => {
                let i = node.index();
                if i >= self.available.len() || self.available[i] == available {
                    return false;
                }
                self.available[i] = available;
                if !available {
                    self.empty_station(now, node, Loss::Unavailable);
                }
                true
            }
            Action::Route { link, weight } => match self.route_weights.get_mut(link.index()) {
                Some(w) if *w != weight => {
                    *w = weight;
                    true
                }
                _ => false,
            },
            Action::Timer { at, token } => {
                self.schedule(at.max(now), Event::Timer(token));
                false
            }
        }
    }

    /// Recomputes the routes over the nodes that are alive and available, with the security
    /// layer's weight overrides.
    fn reroute(&mut self) {
        let usable: Vec<bool> = self
            .alive
            .iter()
            .zip(&self.available)
            .map(|(&a, &b)| a && b)
            .collect();
        let destinations = self.routes.destinations().to_vec();
        self.routes = Routes::compute_weighted(
            &self.model.topology,
            &usable,
            &destinations,
            &self.route_weights,
        );
    }

    /// The instant of the next emission of `source` after one at `now`.
    fn next_emission(&mut self, id: SourceId, now: SimTime, first: bool) -> SimTime {
        let spec = &self.model.sources[id.index()];
        let st = &mut self.sources[id.index()];
        match &spec.arrivals {
            Arrivals::Periodic { period, jitter } => {
                if !first {
                    st.next_base = st.next_base.saturating_add(*period);
                }
                st.next_base
                    .saturating_add(jitter.sample_time(&mut st.rng))
                    .max(now)
            }
            Arrivals::Poisson { .. } => {
                let gap = st.exp.as_ref().map_or(0.0, |e| e.sample(&mut st.rng));
                now.saturating_add(SimTime::from_secs_f64(gap))
            }
        }
    }

    fn generate(&mut self, now: SimTime, id: SourceId) {
        let spec = &self.model.sources[id.index()];
        if !self.alive[spec.node.index()] {
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
        self.all.generated += 1;
        if now >= self.warmup {
            self.measured.counts.generated += 1;
        }
        self.hooks.on_generate(now, &packet);
        let next = self.next_emission(id, now, false);
        if next <= self.horizon {
            self.schedule(next, Event::Generate(id));
        }
        self.arrive(now, node, packet);
    }

    fn arrive(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        if !self.alive[node.index()] {
            return self.lose(packet, Loss::DeadNode);
        }
        if !self.available[node.index()] {
            return self.lose(packet, Loss::Unavailable);
        }
        let Some(station) = &mut self.stations[node.index()] else {
            return self.depart(now, node, packet);
        };
        let spec = self.model.topology.node(node).device.station.as_ref();
        let spec = spec.expect("a station state exists only for a station spec");
        let must_wait = station.busy >= spec.servers;
        if packet.created >= self.warmup {
            self.measured.station_arrivals += 1;
            self.measured.station_waits += u64::from(must_wait);
        }
        if !must_wait {
            station.busy += 1;
            self.station_arrived[node.index()].push_back(now);
            self.station_count(now, 1);
            self.start_service(now, node, packet);
        } else if spec.buffer.is_none_or(|b| station.queue.len() < b as usize) {
            station.queue.push_back(packet);
            self.station_arrived[node.index()].push_back(now);
            self.station_count(now, 1);
        } else {
            self.lose(packet, Loss::Buffer);
        }
    }

    /// Adds `delta` to the packets at stations, integrating the old count over time first.
    #[inline]
    fn station_count(&mut self, now: SimTime, delta: i64) {
        if now > self.station_area_since {
            let dt = (now.as_nanos() - self.station_area_since.as_nanos()) as f64 * 1e-9;
            self.station_area += self.in_stations as f64 * dt;
            self.station_area_since = now;
        }
        self.in_stations = self.in_stations.saturating_add_signed(delta);
    }

    fn start_service(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        let device = &self.model.topology.node(node).device;
        let station = device.station.as_ref().expect("served at a station");
        let t = station
            .service
            .sample_time(&mut self.node_rngs[node.index()]);
        self.schedule(now.saturating_add(t), Event::ServiceDone { node, packet });
        self.record_station(now, node, &packet, t);
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
        if !self.alive[node.index()] {
            return self.lose(packet, Loss::DeadNode);
        }
        let station = self.stations[node.index()]
            .as_mut()
            .expect("ServiceDone only at stations");
        if !self.available[node.index()] || station.void > 0 {
            station.void = station.void.saturating_sub(1);
            return self.lose(packet, Loss::Unavailable);
        }
        let next = station.queue.pop_front();
        if next.is_none() {
            station.busy -= 1;
        }
        self.station_count(now, -1);
        if let Some(next) = next {
            // The freed server takes the head of the queue at once.
            self.start_service(now, node, next);
        }
        self.depart(now, node, packet);
    }

    fn depart(&mut self, now: SimTime, node: NodeId, packet: Packet) {
        if !self.alive[node.index()] {
            return self.lose(packet, Loss::DeadNode);
        }
        if packet.dst == node {
            return self.deliver(now, packet);
        }
        match self.routes.next_hop(node, packet.dst) {
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
        let dir = usize::from(self.link_ends[hop.link.index()].0 != from);
        let free = &mut self.tx_free[hop.link.index()][dir];
        let start = ready.max(*free);
        let done = start.saturating_add(SimTime::from_secs_f64(link.rate.serialisation_secs(wire)));
        *free = done;

        let crypto_tx = cost.sender_cycles.0 as f64 * sender.energy_per_cycle.0;
        self.charge(now, from, Component::Crypto, Joules(crypto_tx));
        self.charge(
            now,
            from,
            Component::RadioTx,
            Joules(bits * link.tx_energy_per_bit.0),
        );
        if self.alive[hop.next.index()] {
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
        let rng = &mut self.link_rngs[hop.link.index()];
        if bernoulli(rng, link.loss) {
            return self.lose(packet, Loss::Link);
        }
        let propagation = link.latency.sample_time(rng);
        match verdict.fate {
            Fate::Jammed => return self.lose(packet, Loss::Attack),
            Fate::Rejected => return self.lose(packet, Loss::Rejected),
            _ => {}
        }
        let decrypt = SimTime::from_secs_f64(receiver.cpu_hz.secs_for(cost.receiver_cycles));
        let at = done.saturating_add(propagation).saturating_add(decrypt);
        self.record_link(hop.link, measured, at.saturating_sub(now));
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
        self.all.delivered += 1;
        if !packet.origin.is_own_traffic() {
            if packet.created >= self.warmup {
                self.measured.extra_accepted += 1;
            }
            return;
        }
        if packet.kind == PacketKind::Ack {
            if packet.created >= self.warmup {
                self.measured.acks_delivered += 1;
                self.command_rtt.record(now.saturating_sub(packet.created));
            }
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
            self.all.generated += 1;
            self.depart(now, packet.dst, ack);
        }
        if packet.created < self.warmup {
            return;
        }
        self.measured.counts.delivered += 1;
        self.note_seen(packet.source, packet.created);
        let latency = now.saturating_sub(packet.created);
        self.latency.record(latency);
        self.latency_by_class[class_index(packet.class)].record(latency);
        if packet.class == TrafficClass::Alarm {
            self.alarm_latency.record(latency);
        }
        if let Some(deadline) = self.model.sources[packet.source.index()].deadline
            && latency > deadline
        {
            self.measured.deadline_misses += 1;
        }
    }

    /// A periodic source's packet created at `created` reached its destination: the gap since
    /// the previous one, beyond a grace of two periods (one lost reading and jitter), is time
    /// its destination went without data.
    #[inline]
    fn note_seen(&mut self, source: SourceId, created: SimTime) {
        let Some(period) = self.monitoring_period(source) else {
            return;
        };
        let last = &mut self.last_seen[source.index()];
        if created > *last {
            let gap = created.as_secs_f64() - last.as_secs_f64();
            self.dark_s += (gap - 2.0 * period).max(0.0);
            *last = created;
        }
    }

    /// The period of a periodic source on a sensing node, the sources whose silence counts
    /// in `monitoring_hours_lost`.
    #[inline]
    fn monitoring_period(&self, source: SourceId) -> Option<f64> {
        let spec = &self.model.sources[source.index()];
        match spec.arrivals {
            Arrivals::Periodic { period, .. }
                if self.model.topology.node(spec.node).layer == Layer::Sensing =>
            {
                Some(period.as_secs_f64())
            }
            _ => None,
        }
    }

    fn lose(&mut self, packet: Packet, cause: Loss) {
        self.all.lost += 1;
        if packet.created < self.warmup {
            return;
        }
        if !packet.origin.is_own_traffic() {
            match cause {
                Loss::Rejected => self.measured.extra_rejected += 1,
                _ => self.measured.extra_lost += 1,
            }
            return;
        }
        if packet.kind == PacketKind::Ack {
            self.measured.acks_lost += 1;
            return;
        }
        let m = &mut self.measured;
        m.counts.lost += 1;
        match cause {
            Loss::Buffer => m.lost_buffer += 1,
            Loss::Link => m.lost_link += 1,
            Loss::DeadNode => m.lost_dead_node += 1,
            Loss::NoRoute => m.lost_no_route += 1,
            Loss::Attack => m.lost_attack += 1,
            Loss::Rejected => m.lost_rejected += 1,
            Loss::Unavailable => m.lost_unavailable += 1,
        }
        if self.model.sources[packet.source.index()].deadline.is_some() {
            m.deadline_misses += 1;
        }
    }

    /// Books energy at a node; a battery that empties kills the node now.
    #[inline]
    fn charge(&mut self, now: SimTime, node: NodeId, component: Component, energy: Joules) {
        if energy.0 <= 0.0 {
            return;
        }
        let meter = &mut self.meters[node.index()];
        meter.charge(now, component, energy);
        if meter.capacity().is_none() {
            return;
        }
        if meter.is_empty() {
            self.kill(now, node);
        } else {
            self.predict_battery_death(node);
        }
    }

    /// Keeps one `BatteryEmpty` event at the instant the baseline alone would empty the
    /// battery, when that instant falls within the run (charges only bring it forward).
    fn predict_battery_death(&mut self, node: NodeId) {
        let Some(at) = self.meters[node.index()].empty_at() else {
            return;
        };
        if at > self.horizon {
            return;
        }
        let slot = &mut self.death_events[node.index()];
        if let Some((old, handle)) = *slot {
            if old == at {
                return;
            }
            self.events.cancel(handle);
        }
        // `at` is never in the past: it is the meter's last update or later.
        if let Ok(handle) = self.events.schedule(at, Event::BatteryEmpty(node)) {
            self.death_events[node.index()] = Some((at, handle));
        }
    }

    fn kill(&mut self, now: SimTime, node: NodeId) {
        let i = node.index();
        if !self.alive[i] {
            return;
        }
        self.alive[i] = false;
        self.battery_deaths += 1;
        self.first_death.get_or_insert(now);
        self.incidents.push(Incident {
            at: now,
            kind: IncidentKind::BatteryDeath,
            node: Some(node),
            by: String::new(),
        });
        if let Some((_, handle)) = self.death_events[i].take() {
            self.events.cancel(handle);
        }
        self.empty_station(now, node, Loss::DeadNode);
        self.reroute();
    }

    /// Loses every packet waiting at a node's station (dead or taken out of the network);
    /// those in service are lost when their service ends.
    fn empty_station(&mut self, now: SimTime, node: NodeId, cause: Loss) {
        let i = node.index();
        self.station_arrived[i].clear();
        if let Some(station) = &mut self.stations[i] {
            let held = u64::from(station.busy) + station.queue.len() as u64;
            station.void += station.busy;
            station.busy = 0;
            let waiting = std::mem::take(&mut station.queue);
            self.station_count(now, -(held as i64));
            for packet in waiting {
                self.lose(packet, cause);
            }
        }
    }

    /// Records the station segment of a packet entering service at `now` for `service`: its
    /// time at the station is the service plus the wait since it arrived.
    #[inline]
    fn record_station(&mut self, now: SimTime, node: NodeId, packet: &Packet, service: SimTime) {
        let arrived = self.station_arrived[node.index()]
            .pop_front()
            .unwrap_or(now);
        let sojourn = now.saturating_add(service).saturating_sub(arrived);
        self.record_segment(
            self.station_segment[node.index()],
            packet.created >= self.warmup,
            sojourn,
        );
    }

    /// Records the link segment of a packet handed to `link`, `latency` before its arrival.
    #[inline]
    fn record_link(&mut self, link: LinkId, measured: bool, latency: SimTime) {
        self.record_segment(self.link_segment[link.index()], measured, latency);
    }

    #[inline]
    fn record_segment(&mut self, segment: u32, measured: bool, latency: SimTime) {
        if measured && let Some(s) = self.segments.get_mut(segment as usize) {
            s.latency.record(latency);
        }
    }

    fn sample(&mut self, now: SimTime) {
        let groups = self.groups.len();
        // Per group (index), then the whole system (index `groups`): min, sum, count.
        let mut battery = vec![(1.0f64, 0.0f64, 0u32); groups + 1];
        let mut queued = vec![0usize; groups + 1];
        for (i, m) in self.meters.iter().enumerate() {
            let g = self.node_group[i] as usize;
            if m.capacity().is_some() {
                let f = if self.alive[i] {
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
            if let Some(st) = &self.stations[i] {
                queued[g] += st.queue.len();
                queued[groups] += st.queue.len();
            }
        }
        let min = |b: (f64, f64, u32)| (b.2 > 0).then_some(b.0);
        let mean = |b: (f64, f64, u32)| (b.2 > 0).then(|| b.1 / f64::from(b.2));
        let first = self.series.times_s.is_empty();
        let since = self.series.times_s.last().copied().unwrap_or(0.0);
        let (delivered, lost) = (
            self.all.delivered - self.sampled_counts.delivered,
            self.all.lost - self.sampled_counts.lost,
        );
        let dt = now.as_secs_f64() - since;
        let system = [
            min(battery[groups]),
            mean(battery[groups]),
            Some(self.alive.iter().filter(|&&a| a).count() as f64),
            Some(self.all.delivered as f64),
            Some(self.all.lost as f64),
            Some(queued[groups] as f64),
            (!first && dt > 0.0).then(|| delivered as f64 / dt),
            (delivered + lost > 0).then(|| delivered as f64 / (delivered + lost) as f64),
        ];
        self.sampled_counts = self.all;
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
        self.station_count(end, 0);
        // The silence after each monitoring source's last delivered packet, up to the end.
        for i in 0..self.model.sources.len() {
            if let Some(period) = self.monitoring_period(SourceId(i as u32)) {
                let gap = end.as_secs_f64() - self.last_seen[i].as_secs_f64();
                self.dark_s += (gap - 2.0 * period).max(0.0);
            }
        }
        let window = end.saturating_sub(self.warmup).as_secs_f64();
        for (i, m) in self.meters.iter_mut().enumerate() {
            if self.alive[i] {
                m.accrue(end);
            }
        }
        let topo = &self.model.topology;
        let mut energy = 0.0;
        let mut sensor_energy = [0.0; 5];
        for id in topo.node_ids() {
            let spent = self.meters[id.index()].by_component();
            let before = self
                .energy_at_warmup
                .get(id.index())
                .copied()
                .unwrap_or([0.0; 5]);
            for c in 0..5 {
                let e = spent[c] - before[c];
                energy += e;
                if topo.node(id).layer == Layer::Sensing {
                    sensor_energy[c] += e;
                }
            }
        }
        let m = &self.measured;
        let settled = m.counts.delivered + m.counts.lost;
        let mut scalars: Vec<Scalar> = vec![
            ("generated", Some(m.counts.generated as f64)),
            ("delivered", Some(m.counts.delivered as f64)),
            ("lost", Some(m.counts.lost as f64)),
            (
                "delivery_ratio",
                (settled > 0).then(|| m.counts.delivered as f64 / settled as f64),
            ),
            ("lost_buffer", Some(m.lost_buffer as f64)),
            ("lost_link", Some(m.lost_link as f64)),
            ("lost_dead_node", Some(m.lost_dead_node as f64)),
            ("lost_no_route", Some(m.lost_no_route as f64)),
            ("lost_attack", Some(m.lost_attack as f64)),
            ("lost_rejected", Some(m.lost_rejected as f64)),
            ("lost_unavailable", Some(m.lost_unavailable as f64)),
            ("latency_ms", self.latency.mean_ms()),
            ("alarm_latency_ms", self.alarm_latency.mean_ms()),
            ("deadline_misses", Some(m.deadline_misses as f64)),
            ("commands_acked", Some(m.acks_delivered as f64)),
            ("acks_lost", Some(m.acks_lost as f64)),
            ("command_rtt_ms", self.command_rtt.mean_ms()),
            (
                "station_wait_fraction",
                (m.station_arrivals > 0)
                    .then(|| m.station_waits as f64 / m.station_arrivals as f64),
            ),
            ("mean_packets_in_stations", Some(self.station_area / window)),
            ("energy_j", Some(energy)),
            ("sensor_energy_j", Some(sensor_energy.iter().sum())),
            (
                "first_battery_death_s",
                self.first_death.map(SimTime::as_secs_f64),
            ),
            ("battery_deaths", Some(self.battery_deaths as f64)),
            ("monitoring_hours_lost", Some(self.dark_s / 3600.0)),
            ("extra_packets_injected", Some(m.extra_injected as f64)),
            ("extra_packets_accepted", Some(m.extra_accepted as f64)),
            ("extra_packets_rejected", Some(m.extra_rejected as f64)),
            ("extra_packets_lost", Some(m.extra_lost as f64)),
        ];
        for (c, name) in Component::ALL.iter().zip(SENSOR_ENERGY_SCALARS) {
            scalars.push((name, Some(sensor_energy[*c as usize])));
        }
        self.hooks.report(&mut scalars);
        let groups = self.group_metrics(end);
        let mut incidents = std::mem::take(&mut self.incidents);
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
        let mut segments = std::mem::take(&mut self.segments);
        segments.sort_by_key(|s| s.position);
        let mut attacks = Vec::new();
        self.hooks.attacks(&mut attacks);
        RunMetrics {
            seed: self.seed,
            scalars,
            latency: self.latency,
            alarm_latency: self.alarm_latency,
            latency_by_class: self.latency_by_class,
            segments,
            groups,
            incidents,
            timeseries: self.series,
            attacks,
            events: self.processed,
        }
    }

    /// Energy (after the warm-up) and batteries per node group, at the horizon `end` (meters
    /// of live nodes already accrued to it).
    fn group_metrics(&self, end: SimTime) -> Vec<GroupMetrics> {
        let topo = &self.model.topology;
        let mut out: Vec<GroupMetrics> = self
            .groups
            .iter()
            .map(|(name, layer)| GroupMetrics {
                name: name.clone(),
                layer: *layer,
                nodes: 0,
                battery_nodes: 0,
                energy_j: [0.0; 5],
                battery_deaths: 0,
                first_battery_death_s: None,
                battery_left_min_fraction: None,
                battery_left_mean_fraction: None,
            })
            .collect();
        for id in topo.node_ids() {
            let i = id.index();
            let g = &mut out[self.node_group[i] as usize];
            g.nodes += 1;
            let meter = &self.meters[i];
            let spent = meter.by_component();
            let before = self.energy_at_warmup.get(i).copied().unwrap_or([0.0; 5]);
            for c in 0..5 {
                g.energy_j[c] += spent[c] - before[c];
            }
            if meter.capacity().is_some() {
                let left = if self.alive[i] {
                    meter.fraction_left_at(end)
                } else {
                    0.0
                };
                let k = f64::from(g.battery_nodes);
                g.battery_nodes += 1;
                g.battery_left_min_fraction =
                    Some(g.battery_left_min_fraction.map_or(left, |m| m.min(left)));
                // Running mean, so that no separate sum is needed.
                g.battery_left_mean_fraction = Some(
                    g.battery_left_mean_fraction
                        .map_or(left, |m| (m * k + left) / (k + 1.0)),
                );
            }
        }
        for inc in &self.incidents {
            if let (IncidentKind::BatteryDeath, Some(n)) = (inc.kind, inc.node) {
                let g = &mut out[self.node_group[n.index()] as usize];
                g.battery_deaths += 1;
                g.first_battery_death_s.get_or_insert(inc.at.as_secs_f64());
            }
        }
        out
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

/// The path segments whose latency is recorded: one per link group (in link order) and one per
/// group of station nodes (in node order), ranked along the routes: a station at the k-th node
/// of a route is at 2k, the link after it at 2k + 1, and a segment's place is the mean of its
/// positions over the routes that cross it, each weighted by the packets per second sent along
/// it (so that a rare downlink command does not reverse the order of the uplink). Returns the
/// segments and the segment index of every link and every node.
fn segments(model: &Model, routes: &Routes) -> (Vec<Segment>, Vec<u32>, Vec<u32>) {
    let topo = &model.topology;
    let mut segments: Vec<Segment> = Vec::new();
    let mut find = |name: &str, kind: SegmentKind, layer: Layer| -> u32 {
        let at = segments
            .iter()
            .position(|s| s.kind == kind && s.name == name)
            .unwrap_or_else(|| {
                segments.push(Segment {
                    name: name.to_string(),
                    kind,
                    layer,
                    position: u32::MAX,
                    latency: LatencyStats::default(),
                });
                segments.len() - 1
            });
        segments[at].layer = segments[at].layer.min(layer);
        at as u32
    };
    let link_segment: Vec<u32> = topo
        .link_ids()
        .map(|l| {
            let (a, b) = topo.endpoints(l);
            let layer = topo.node(a).layer.min(topo.node(b).layer);
            find(&topo.link(l).group, SegmentKind::Link, layer)
        })
        .collect();
    let station_segment: Vec<u32> = topo
        .node_ids()
        .map(|id| {
            let spec = topo.node(id);
            if spec.device.station.is_some() {
                find(&spec.group, SegmentKind::Station, spec.layer)
            } else {
                u32::MAX
            }
        })
        .collect();
    // Each (source node, destination) route once, weighted by the packets per second sent
    // along it; a segment's place is its rate-weighted mean position on the routes crossing it.
    let mut routes_used: std::collections::BTreeMap<(NodeId, NodeId), f64> =
        std::collections::BTreeMap::new();
    for s in &model.sources {
        let rate = match &s.arrivals {
            Arrivals::Periodic { period, .. } => 1.0 / period.as_secs_f64().max(1e-12),
            Arrivals::Poisson { rate_per_s } => *rate_per_s,
        };
        *routes_used.entry((s.node, s.dst)).or_insert(0.0) += rate.max(0.0);
    }
    let mut weighted = vec![(0.0f64, 0.0f64); segments.len()];
    for (&(from, dst), &rate) in &routes_used {
        let Some(path) = routes.path(from, dst) else {
            continue;
        };
        // A source that sends nothing still places what its route crosses.
        let w = rate.max(1e-12);
        for (k, &node) in path.iter().enumerate() {
            let mut place = |seg: u32, pos: usize| {
                if let Some(acc) = weighted.get_mut(seg as usize) {
                    acc.0 += w * pos as f64;
                    acc.1 += w;
                }
            };
            place(station_segment[node.index()], 2 * k);
            if let Some(hop) = routes.next_hop(node, dst).filter(|_| node != dst) {
                place(link_segment[hop.link.index()], 2 * k + 1);
            }
        }
    }
    // Rank by mean position (unreached segments last), then layer, kind and name.
    let mut order: Vec<usize> = (0..segments.len()).collect();
    let mean = |i: usize| {
        let (sum, w) = weighted[i];
        if w > 0.0 { sum / w } else { f64::INFINITY }
    };
    order.sort_by(|&a, &b| {
        mean(a)
            .total_cmp(&mean(b))
            .then(segments[a].layer.cmp(&segments[b].layer))
            .then(segments[a].kind.cmp(&segments[b].kind))
            .then(segments[a].name.cmp(&segments[b].name))
    });
    for (rank, &i) in order.iter().enumerate() {
        if weighted[i].1 > 0.0 {
            segments[i].position = rank as u32;
        }
    }
    (segments, link_segment, station_segment)
}

mod limits;
#[cfg(test)]
mod tests;
