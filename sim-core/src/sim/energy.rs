//! The run's energy: every node's meter (split by component, see [`crate::battery`]), the
//! battery deaths it foresees and records, and the energy spent after the warm-up, in total,
//! by the sensing layer and per node group.
//!
//! A battery empties either during a charge (the node dies at that instant) or between
//! charges, from the baseline draw alone: for the latter one `BatteryEmpty` event is kept per
//! battery at `t_last + R / P` ([`EnergyMeter::empty_at`]), moved forward by every charge. It
//! is a movable event ([`EventList::schedule_movable`]): a move re-sifts its one key in place,
//! where cancelling and scheduling anew left a dead key in the event heap per charge; the
//! order of events, and so every death instant, is the same (a test runs both).
//!
//! Invariants: `pending[due[n]]` is the pending `BatteryEmpty` event of node `n`, if its
//! battery empties within the run; `due[n]` is [`NO_DEATH`] for a node whose battery was never
//! foreseen to empty within the run (every mains node, and every battery that outlives it), so
//! that only the nodes with a death in view hold its instant and handle; `at_warmup[n]` is node `n`'s spending per component at the end of
//! the warm-up (zeros before it, and when there is none), so that spending minus it is what
//! the statistics count; `incidents` holds one battery death per dead node, in time order.

use super::Event;
use super::groups::NodeGroups;
use super::radios::Radios;
use crate::battery::{Component, EnergyMeter};
use crate::event_list::{EventHandle, EventList};
use crate::ids::NodeId;
use crate::incident::{Incident, IncidentKind};
use crate::metrics::GroupMetrics;
use crate::time::SimTime;
use crate::topology::{Layer, Topology};
use crate::units::{Joules, Watts};

/// `Energy::due` of a node without a foreseen battery death.
const NO_DEATH: u32 = u32::MAX;

/// The energy stage: meters, batteries and their deaths.
#[derive(Debug)]
pub(super) struct Energy {
    meters: Vec<EnergyMeter>,
    /// Per node, the index in `pending` of its `BatteryEmpty` event, or [`NO_DEATH`]: 4 bytes
    /// per node where the instant and handle take 32.
    due: Vec<u32>,
    /// The instant and handle of each foreseen `BatteryEmpty` event (`None` once the node
    /// died), one entry per node that ever had one, in the order they were first foreseen.
    pending: Vec<Option<(SimTime, EventHandle)>>,
    at_warmup: Vec<[f64; 5]>,
    /// The instant the warm-up ended (zero without one).
    warmup_end: SimTime,
    first_death: Option<SimTime>,
    deaths: u64,
    /// Battery deaths so far (at most one per node, so this never grows past the node count).
    incidents: Vec<Incident>,
    /// Cancel and schedule anew at each move instead of moving in place (the former scheme,
    /// which the test compares against).
    #[cfg(test)]
    pub(super) eager: bool,
}

impl Energy {
    /// A meter per node of `topo`, nothing spent, drawing its baseline: sleep, its sensing
    /// front end and per-sample MCU work (`cpu`), and its radios' listening and modems' idle
    /// power (`radio_rx`, from `radios`).
    pub(super) fn new(topo: &Topology, radios: &Radios) -> Energy {
        let n = topo.node_count();
        let mut meters: Vec<EnergyMeter> = topo
            .node_ids()
            .map(|id| {
                let device = &topo.node(id).device;
                let mut m = EnergyMeter::new(device.battery, device.sleep_power);
                let mcu = Watts(device.cpu_hz.0 * device.energy_per_cycle.0);
                let sensing = topo.power(id).sensing_power(mcu);
                m.add_baseline(SimTime::ZERO, Component::Cpu, sensing);
                m
            })
            .collect();
        for (node, p) in radios.baselines() {
            meters[node.index()].add_baseline(SimTime::ZERO, Component::RadioRx, p);
        }
        // Fixed from here on: the nodes of a group share theirs.
        EnergyMeter::share_draw(&mut meters);
        Energy {
            meters,
            due: vec![NO_DEATH; n],
            pending: Vec::new(),
            at_warmup: vec![[0.0; 5]; n],
            warmup_end: SimTime::ZERO,
            first_death: None,
            deaths: 0,
            incidents: Vec::with_capacity(n),
            #[cfg(test)]
            eager: false,
        }
    }

    /// Every node's meter, in node order.
    #[inline]
    pub(super) fn meters(&self) -> &[EnergyMeter] {
        &self.meters
    }

    /// A node's meter.
    #[inline]
    pub(super) fn meter(&self, node: NodeId) -> &EnergyMeter {
        &self.meters[node.index()]
    }

    /// Asks the memory for node `node`'s meter and pending death (`crate::prefetch`); changes
    /// nothing.
    #[inline]
    pub(super) fn prefetch(&self, node: NodeId) {
        crate::prefetch::prefetch_at(&self.meters, node.index());
        crate::prefetch::prefetch_at(&self.due, node.index());
    }

    /// The instant the first battery emptied, if one did.
    pub(super) fn first_death(&self) -> Option<SimTime> {
        self.first_death
    }

    /// Batteries emptied so far.
    pub(super) fn deaths(&self) -> u64 {
        self.deaths
    }

    /// Books a node's baseline draw up to `now`.
    #[inline]
    pub(super) fn accrue(&mut self, now: SimTime, node: NodeId) {
        self.meters[node.index()].accrue(now);
    }

    /// Books `energy` at a node; returns whether its battery is now empty (the node dies now).
    /// Otherwise the node's `BatteryEmpty` event moves to the new foreseen instant.
    #[inline]
    pub(super) fn charge(
        &mut self,
        now: SimTime,
        node: NodeId,
        component: Component,
        energy: Joules,
        events: &mut EventList<Event>,
        horizon: SimTime,
    ) -> bool {
        if energy.0 <= 0.0 {
            return false;
        }
        let meter = &mut self.meters[node.index()];
        meter.charge(now, component, energy);
        if meter.capacity().is_none() {
            return false;
        }
        if meter.is_empty() {
            return true;
        }
        self.foresee_death(node, events, horizon);
        false
    }

    /// Keeps one `BatteryEmpty` event at the instant the baseline alone would empty the
    /// battery, when that instant falls within the run (charges only bring it forward).
    pub(super) fn foresee_death(
        &mut self,
        node: NodeId,
        events: &mut EventList<Event>,
        horizon: SimTime,
    ) {
        let Some(at) = self.meters[node.index()].empty_at() else {
            return;
        };
        if at > horizon {
            return;
        }
        let index = &mut self.due[node.index()];
        if *index == NO_DEATH {
            // A node's first foreseen death: at most one entry per node (so fewer than the
            // nodes, whose ids are `u32`), and `pending` grows at most log2(nodes) times.
            *index = self.pending.len() as u32;
            self.pending.push(None);
        }
        let slot = &mut self.pending[*index as usize];
        // `at` is never in the past: it is the meter's last update or later.
        if let Some((old, handle)) = *slot {
            if old == at {
                return;
            }
            #[cfg(test)]
            if self.eager {
                events.cancel(handle);
                if let Ok(handle) = events.schedule(at, Event::BatteryEmpty(node)) {
                    *slot = Some((at, handle));
                }
                return;
            }
            if let Ok(Some(handle)) = events.reschedule(handle, at) {
                *slot = Some((at, handle));
                return;
            }
        }
        if let Ok(handle) = events.schedule_movable(at, Event::BatteryEmpty(node)) {
            *slot = Some((at, handle));
        }
    }

    /// Records that a node's battery emptied at `now` and drops its pending death event.
    pub(super) fn record_death(
        &mut self,
        now: SimTime,
        node: NodeId,
        events: &mut EventList<Event>,
    ) {
        self.deaths += 1;
        self.first_death.get_or_insert(now);
        self.incidents.push(Incident {
            at: now,
            kind: IncidentKind::BatteryDeath,
            node,
        });
        let index = self.due[node.index()];
        if index != NO_DEATH
            && let Some((_, handle)) = self.pending[index as usize].take()
        {
            events.cancel(handle);
        }
    }

    /// The warm-up ends at `now`: what was spent so far no longer counts.
    pub(super) fn end_warmup(&mut self, now: SimTime) {
        self.warmup_end = now;
        for (m, before) in self.meters.iter_mut().zip(&mut self.at_warmup) {
            m.accrue(now);
            *before = m.by_component();
        }
    }

    /// Books the baseline of every live node up to the horizon `end`.
    pub(super) fn close(&mut self, end: SimTime, alive: &[bool]) {
        for (m, &alive) in self.meters.iter_mut().zip(alive) {
            if alive {
                m.accrue(end);
            }
        }
    }

    /// What a node spent after the warm-up, per component in [`Component::ALL`] order.
    #[inline]
    pub(super) fn since_warmup(&self, node: NodeId) -> [f64; 5] {
        let spent = self.meters[node.index()].by_component();
        let before = self.at_warmup[node.index()];
        std::array::from_fn(|c| spent[c] - before[c])
    }

    /// The energy spent after the warm-up by all nodes (`energy_j`), and by the sensing layer
    /// per component.
    pub(super) fn totals(&self, topo: &Topology) -> (f64, [f64; 5]) {
        let mut energy = 0.0;
        let mut sensor_energy = [0.0; 5];
        for id in topo.node_ids() {
            let spent = self.since_warmup(id);
            for c in 0..5 {
                energy += spent[c];
                if topo.node(id).layer == Layer::Sensing {
                    sensor_energy[c] += spent[c];
                }
            }
        }
        (energy, sensor_energy)
    }

    /// Takes the battery deaths out, for the run's timeline.
    pub(super) fn take_incidents(&mut self) -> Vec<Incident> {
        std::mem::take(&mut self.incidents)
    }

    /// Energy (after the warm-up) and batteries per node group, at the horizon `end` (meters
    /// of live nodes already accrued to it by [`Energy::close`]).
    pub(super) fn group_metrics(
        &self,
        topo: &Topology,
        groups: &NodeGroups,
        alive: &[bool],
        end: SimTime,
    ) -> Vec<GroupMetrics> {
        let mut out: Vec<GroupMetrics> = groups
            .list()
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
                lifetime_days: None,
                first_to_die: String::new(),
            })
            .collect();
        // Per group: the shortest lifetime so far (seconds) and the nodes at it.
        let mut first: Vec<Option<(f64, Vec<NodeId>)>> = vec![None; out.len()];
        let window = end.saturating_sub(self.warmup_end).as_secs_f64();
        let mut consider = |g: usize, t: f64, node: NodeId| {
            let slot = &mut first[g];
            match slot {
                Some((best, nodes)) if (t - *best).abs() <= 1e-9 * best.abs() => nodes.push(node),
                Some((best, _)) if t > *best => {}
                _ => *slot = Some((t, vec![node])),
            }
        };
        let died: Vec<bool> = {
            let mut d = vec![false; topo.node_count()];
            for inc in &self.incidents {
                // Every incident of this stage is a battery death.
                let n = inc.node;
                d[n.index()] = true;
            }
            d
        };
        let deaths_in: Vec<bool> = {
            let mut d = vec![false; out.len()];
            for id in topo.node_ids() {
                if died[id.index()] {
                    d[groups.of(id)] = true;
                }
            }
            d
        };
        for inc in &self.incidents {
            // Every incident of this stage is a battery death.
            let n = inc.node;
            consider(groups.of(n), inc.at.as_secs_f64(), n);
        }
        for id in topo.node_ids() {
            let g = groups.of(id);
            let Some(capacity) = self.meters[id.index()].capacity() else {
                continue;
            };
            if deaths_in[g] || window <= 0.0 {
                continue;
            }
            let drain = self.since_warmup(id).iter().sum::<f64>() / window;
            if drain > 0.0 {
                consider(g, capacity.0 / drain, id);
            }
        }
        for id in topo.node_ids() {
            let i = id.index();
            let g = &mut out[groups.of(id)];
            g.nodes += 1;
            let spent = self.since_warmup(id);
            for (total, e) in g.energy_j.iter_mut().zip(spent) {
                *total += e;
            }
            let meter = &self.meters[i];
            if meter.capacity().is_some() {
                let left = if alive[i] {
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
            // Every incident of this stage is a battery death.
            let n = inc.node;
            let g = &mut out[groups.of(n)];
            g.battery_deaths += 1;
            g.first_battery_death_s.get_or_insert(inc.at.as_secs_f64());
        }
        for (g, f) in out.iter_mut().zip(first) {
            if let Some((t, nodes)) = f {
                g.lifetime_days = Some(t / 86_400.0);
                let mut names: Vec<std::borrow::Cow<str>> = nodes
                    .iter()
                    .take(3)
                    .map(|&n| topo.node(n).name.text())
                    .collect();
                let more = nodes.len().saturating_sub(3);
                if more > 0 {
                    names.push(format!("+{more} more").into());
                }
                g.first_to_die = names.join(", ");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::NO_DEATH;
    use crate::dist::Dist;
    use crate::ids::NodeId;
    use crate::sim::tests::poisson;
    use crate::sim::{Model, RunConfig, Simulation};
    use crate::time::SimTime;
    use crate::topology::{
        DeviceSpec, Layer, LinkClass, LinkSpec, NodeClass, NodeSpec, StationSpec, Topology,
    };
    use crate::units::{BitsPerSecond, Hertz, Joules, Watts};

    /// Thirty battery sensors of growing capacity sending Poisson traffic through a hub to a
    /// sink; most of them die within the run, each at its own instant.
    fn dying_ward() -> Model {
        let mut topology = Topology::new();
        let device = |battery: Option<Joules>, station: bool| DeviceSpec {
            station: station.then(|| StationSpec {
                servers: 1,
                service: Dist::exp(1e-3).unwrap(),
                buffer: None,
            }),
            battery,
            sleep_power: Watts(1e-3),
            cpu_hz: Hertz(64e6),
            energy_per_cycle: Joules(0.0),
        };
        let add = |topology: &mut Topology, name: String, dev: DeviceSpec| {
            topology.add_node(NodeSpec::new(
                name.clone().into(),
                NodeClass {
                    group: name.into(),
                    layer: Layer::Sensing,
                    device: dev.into(),
                },
            ))
        };
        let hub = add(&mut topology, "hub".into(), device(None, true));
        let sink = add(&mut topology, "sink".into(), device(None, false));
        let link = |name: &str| {
            LinkSpec::new(
                name.into(),
                LinkClass {
                    group: name.into(),
                    rate: BitsPerSecond(1e6),
                    latency: Dist::exp(1e-3).unwrap().into(),
                    loss: 0.0,
                    tx_energy_per_bit: Joules(20e-9),
                    rx_energy_per_bit: Joules(20e-9),
                },
            )
        };
        topology.add_link(hub, sink, link("up"));
        let mut sources = Vec::new();
        for i in 0..30 {
            let battery = Joules(0.05 + 0.01 * f64::from(i));
            let s = add(&mut topology, format!("s{i}"), device(Some(battery), false));
            topology.add_link(s, hub, link(&format!("l{i}")));
            sources.push(poisson(&format!("s{i}/v"), s, sink, 20.0));
        }
        Model {
            topology,
            sources,
            config: RunConfig {
                duration: SimTime::from_secs(200),
                warmup: SimTime::from_secs(10),
                time_grid: None,
            },
        }
    }

    /// Only the nodes whose battery was foreseen to empty within the run hold a pending death:
    /// the mains hub and sink none, every dead node its own entry, emptied by its death, and
    /// every live one still in view its event's instant, within the run.
    #[test]
    fn only_nodes_with_a_death_in_view_hold_a_pending_death() {
        let model = dying_ward();
        let mut sim = Simulation::new(&model, 7, ()).unwrap();
        sim.run_to_end();
        let energy = &sim.energy;
        let topo = &model.topology;
        let (hub, sink) = (NodeId(0), NodeId(1));
        assert_eq!(topo.node(hub).device.battery, None);
        assert_eq!(topo.node(sink).device.battery, None);
        assert_eq!(energy.due[hub.index()], NO_DEATH);
        assert_eq!(energy.due[sink.index()], NO_DEATH);
        let dead: Vec<NodeId> = energy.incidents.iter().map(|i| i.node).collect();
        assert!(dead.len() >= 20, "{} deaths", dead.len());
        let mut seen = vec![false; energy.pending.len()];
        for node in topo.node_ids() {
            let index = energy.due[node.index()];
            if index == NO_DEATH {
                assert!(
                    !dead.contains(&node),
                    "{node:?} died without a pending death"
                );
                continue;
            }
            assert!(!seen[index as usize], "two nodes share entry {index}");
            seen[index as usize] = true;
            match energy.pending[index as usize] {
                None => assert!(dead.contains(&node), "{node:?} lost its pending death"),
                Some((at, _)) => {
                    assert!(!dead.contains(&node));
                    assert!(at <= model.config.duration, "{node:?} at {at:?}");
                }
            }
        }
        assert!(seen.iter().all(|&s| s), "an entry belongs to no node");
        assert!(energy.pending.len() <= 30);
    }

    /// Every death, and every event, at the same instant and in the same order whether a
    /// battery's death event moves in place or is cancelled and scheduled anew.
    #[test]
    fn moving_death_events_in_place_changes_no_death_instant() {
        let model = dying_ward();
        let run = |eager: bool| {
            let mut sim = Simulation::new(&model, 7, ()).unwrap();
            sim.energy.eager = eager;
            sim.trace = Some(Vec::new());
            sim.run_to_end();
            let trace = sim.trace.take().unwrap();
            let deaths: Vec<(SimTime, NodeId)> = sim
                .energy
                .incidents
                .iter()
                .map(|i| (i.at, i.node))
                .collect();
            (trace, deaths, format!("{:?}", sim.finish()))
        };
        let (trace_moved, deaths_moved, metrics_moved) = run(false);
        let (trace_eager, deaths_eager, metrics_eager) = run(true);
        assert!(deaths_moved.len() >= 20, "{} deaths", deaths_moved.len());
        assert_eq!(deaths_moved, deaths_eager);
        assert!(trace_moved == trace_eager, "the events differ");
        assert_eq!(metrics_moved, metrics_eager);
    }

    /// Every event at the same instant and in the same order, and the same figures, whether
    /// the sources' timers are kept in their keys alone or in slots (`schedule_emission`):
    /// a ward whose batteries die, so that movable death events pop among the timers.
    #[test]
    fn timers_kept_in_their_keys_change_no_event() {
        let model = dying_ward();
        let run = |inline: bool| {
            let mut sim = Simulation::with_emissions(&model, 7, (), inline).unwrap();
            sim.trace = Some(Vec::new());
            sim.run_to_end();
            let slots = sim.events.slots_len();
            (
                sim.trace.take().unwrap(),
                format!("{:?}", sim.finish()),
                slots,
            )
        };
        let (trace_inline, metrics_inline, slots_inline) = run(true);
        let (trace_slots, metrics_slots, slots) = run(false);
        assert!(trace_inline.len() > 10_000, "{} events", trace_inline.len());
        assert!(trace_inline == trace_slots, "the events differ");
        assert_eq!(metrics_inline, metrics_slots);
        // The timers took no slot: the slab holds the packets' events alone.
        assert!(
            slots_inline + model.sources.len() <= slots,
            "{slots_inline} slots against {slots}"
        );
    }
}
