//! Invariants of the engine, checked on randomly generated small scenarios (proptest): packets
//! are conserved, simulated time never goes backwards, energy only accumulates and its
//! components add up, and a replication gives the same result whether it is paused and resumed
//! or run on another thread.
//!
//! Each case is a sensor network of one to four sensors (periodic or Poisson traffic, with or
//! without a battery small enough to die) behind a hub station with a finite or infinite
//! buffer, a cloud node, lossy links, an optional command downlink with acknowledgements, and a
//! scripted security layer that injects, charges, takes nodes out and brings them back,
//! overrides routes and decides fates. Its timers and the time grid both fall on multiples of
//! 100 ms, so that events of the same instant are common and their order is exercised.

use super::*;
use crate::dist::Dist;
use crate::hooks::{Action, LinkCost, RouteWeight, Scalar, Transmission, Verdict};
use crate::ids::LinkId;
use crate::metrics::{LatencyStats, RunMetrics};
use crate::packet::InjectTag;
use crate::topology::{
    DeviceSpec, Layer, LinkClass, LinkSpec, NodeClass, NodeSpec, StationSpec, Topology,
};
use crate::traffic::{Arrivals, SourceSpec, StreamSpec, TrafficClass};
use crate::units::{BitsPerSecond, Bytes, Cycles, Hertz, Watts};
use proptest::prelude::*;

/// One sensor of a generated case.
#[derive(Clone, Debug)]
struct SensorCase {
    /// Battery capacity in joules (`None`: mains-powered).
    battery: Option<f64>,
    /// Poisson rate per second, or the period's inverse for a periodic source.
    rate: f64,
    poisson: bool,
    size: u32,
    alarm: bool,
    deadline_ms: Option<u64>,
    loss: f64,
}

/// What the scripted security layer does at one of its instants.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// Inject an extra packet at a node, addressed to the cloud.
    Inject { node: u32, origin: Origin },
    /// Charge energy to a node.
    Charge { node: u32, millijoules: u32 },
    /// Take a node out of the network, or bring it back.
    Toggle { node: u32 },
    /// Override a link's routing weight.
    Route { link: u32, weight: u8 },
}

/// A generated scenario: the model's parameters, the security layer's script and the seed.
#[derive(Clone, Debug)]
struct Case {
    sensors: Vec<SensorCase>,
    hub_servers: u32,
    hub_service_ms: f64,
    hub_buffer: Option<u32>,
    cloud_station: bool,
    /// A direct link from the first sensor to the cloud, so that routes have a choice.
    bypass: bool,
    /// A command downlink from the cloud to the first sensor: rate per second, ack size.
    command: Option<(f64, u32)>,
    duration_ms: u64,
    warmup_ms: u64,
    grid_ms: Option<u64>,
    /// (instant in multiples of 100 ms, what happens).
    script: Vec<(u64, Step)>,
    /// Per mille of transmissions tampered, jammed, withheld, rejected.
    fates: [u16; 4],
    seed: u64,
}

fn sensor_case() -> impl Strategy<Value = SensorCase> {
    (
        prop::option::of(0.002f64..0.5),
        1.0f64..40.0,
        any::<bool>(),
        20u32..1500,
        any::<bool>(),
        prop::option::of(5u64..200),
        0.0f64..0.3,
    )
        .prop_map(
            |(battery, rate, poisson, size, alarm, deadline_ms, loss)| SensorCase {
                battery,
                rate,
                poisson,
                size,
                alarm,
                deadline_ms,
                loss,
            },
        )
}

fn step() -> impl Strategy<Value = Step> {
    // The hooks' tags: 0 and 1 mark what this hook set refuses half the time (its forged and
    // replayed packets), 2 and 3 what it always accepts (flood, cover).
    let origin = prop::sample::select(vec![
        Origin::Injected(InjectTag(0)),
        Origin::Injected(InjectTag(1)),
        Origin::Injected(InjectTag(2)),
        Origin::Injected(InjectTag(3)),
        // The deployment's own traffic may not be injected: the engine refuses it.
        Origin::Genuine,
    ]);
    prop_oneof![
        (0u32..6, origin).prop_map(|(node, origin)| Step::Inject { node, origin }),
        (0u32..6, 0u32..200).prop_map(|(node, millijoules)| Step::Charge { node, millijoules }),
        (0u32..6).prop_map(|node| Step::Toggle { node }),
        (0u32..6, 0u8..3).prop_map(|(link, weight)| Step::Route { link, weight }),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            prop::collection::vec(sensor_case(), 1..=4),
            1u32..=3,
            0.5f64..20.0,
            prop::option::of(0u32..6),
            any::<bool>(),
            any::<bool>(),
            prop::option::of((0.2f64..5.0, 8u32..64)),
        ),
        (
            1u64..200,
            0u64..50,
            prop::option::of(1u64..10),
            prop::collection::vec((0u64..200, step()), 0..12),
            [0u16..100, 0u16..100, 0u16..100, 0u16..100],
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (sensors, hub_servers, hub_service_ms, hub_buffer, cloud_station, bypass, command),
                (tenths, warmup_tenths, grid_tenths, script, fates, seed),
            )| {
                let duration_ms = tenths * 100;
                Case {
                    sensors,
                    hub_servers,
                    hub_service_ms,
                    hub_buffer,
                    cloud_station,
                    bypass,
                    command,
                    duration_ms,
                    // Shorter than the run, as the engine requires.
                    warmup_ms: (warmup_tenths * 100).min(duration_ms - 100),
                    grid_ms: grid_tenths.map(|g| g * 100),
                    script,
                    fates,
                    seed,
                }
            },
        )
}

fn device(station: Option<StationSpec>, battery: Option<f64>) -> DeviceSpec {
    DeviceSpec {
        station,
        battery: battery.map(Joules),
        sleep_power: Watts(if battery.is_some() { 2e-3 } else { 0.5 }),
        cpu_hz: Hertz(64e6),
        energy_per_cycle: Joules(0.16e-9),
    }
}

fn link(name: &str, loss: f64, latency: Dist) -> LinkSpec {
    LinkSpec::new(
        name.into(),
        LinkClass {
            group: name.into(),
            rate: BitsPerSecond(1e6),
            latency: latency.into(),
            loss,
            tx_energy_per_bit: Joules(19.2e-9),
            rx_energy_per_bit: Joules(18.8e-9),
        },
    )
}

/// The model of a case: node 0 the hub, node 1 the cloud, nodes 2.. the sensors; link 0 the
/// WAN, links 1.. the sensors' radios, then the bypass.
fn model(case: &Case) -> Model {
    let mut t = Topology::new();
    let add = |t: &mut Topology, name: &str, layer, device: DeviceSpec| {
        t.add_node(NodeSpec::new(
            name.into(),
            NodeClass {
                group: name.into(),
                layer,
                device: device.into(),
            },
        ))
    };
    let hub = add(
        &mut t,
        "hub",
        Layer::Network,
        device(
            Some(StationSpec {
                servers: case.hub_servers,
                service: Dist::exp(case.hub_service_ms * 1e-3).unwrap(),
                buffer: case.hub_buffer,
            }),
            None,
        ),
    );
    let cloud_station = case.cloud_station.then(|| StationSpec {
        servers: 2,
        service: Dist::constant(1e-3).unwrap(),
        buffer: None,
    });
    let cloud = add(&mut t, "cloud", Layer::Cloud, device(cloud_station, None));
    t.add_link(
        hub,
        cloud,
        link("wan", 0.01, Dist::uniform(1e-3, 2e-2).unwrap()),
    );
    let mut sources = Vec::new();
    for (i, s) in case.sensors.iter().enumerate() {
        let node = add(
            &mut t,
            &format!("s{i}"),
            Layer::Sensing,
            device(None, s.battery),
        );
        // Constant latencies make arrivals of the same instant possible.
        t.add_link(
            node,
            hub,
            link(&format!("ble{i}"), s.loss, Dist::constant(2e-3).unwrap()),
        );
        let arrivals = if s.poisson {
            Arrivals::Poisson { rate_per_s: s.rate }
        } else {
            Arrivals::Periodic {
                period: SimTime::from_millis((1000.0 / s.rate).ceil() as u64),
                jitter: Dist::uniform(0.0, 0.005).unwrap(),
            }
        };
        sources.push(SourceSpec {
            name: format!("s{i}/vitals").into(),
            node,
            dst: cloud,
            stream: StreamSpec {
                arrivals,
                size: Bytes(s.size),
                records: 1,
                class: if s.alarm {
                    TrafficClass::Alarm
                } else {
                    TrafficClass::Routine
                },
                deadline: s.deadline_ms.map(SimTime::from_millis),
                ack: None,
            }
            .into(),
            patient: None,
        });
    }
    if case.bypass {
        t.add_link(
            NodeId(2),
            cloud,
            link("bypass", 0.05, Dist::constant(5e-3).unwrap()),
        );
    }
    if let Some((rate, ack)) = case.command {
        sources.push(SourceSpec {
            name: "command".into(),
            node: cloud,
            dst: NodeId(2),
            stream: StreamSpec {
                arrivals: Arrivals::Poisson { rate_per_s: rate },
                size: Bytes(64),
                records: 0,
                class: TrafficClass::Alarm,
                deadline: Some(SimTime::from_millis(50)),
                ack: Some(Bytes(ack)),
            }
            .into(),
            patient: None,
        });
    }
    Model {
        topology: t,
        sources,
        config: RunConfig {
            duration: SimTime::from_millis(case.duration_ms),
            warmup: SimTime::from_millis(case.warmup_ms),
            time_grid: case.grid_ms.map(SimTime::from_millis),
        },
    }
}

/// A deterministic 64-bit mix (splitmix64's finaliser), for the script's per-packet choices.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The scripted security layer of a case.
struct Chaos {
    script: Vec<(u64, Step)>,
    fates: [u16; 4],
    nodes: u32,
    links: u32,
    available: Vec<bool>,
    transmissions: u64,
}

impl Chaos {
    fn new(case: &Case, model: &Model) -> Chaos {
        let nodes = model.topology.node_count() as u32;
        Chaos {
            script: case.script.clone(),
            fates: case.fates,
            nodes,
            links: model.topology.link_count() as u32,
            available: vec![true; nodes as usize],
            transmissions: 0,
        }
    }
}

impl Hooks for Chaos {
    type Report = ();

    fn start(&mut self, actions: &mut Actions) {
        for (i, (tenths, _)) in self.script.iter().enumerate() {
            actions.timer(SimTime::from_millis(tenths * 100), i as u64);
        }
    }

    fn on_timer(&mut self, now: SimTime, token: u64, actions: &mut Actions) {
        let action = match self.script[token as usize].1 {
            Step::Inject { node, origin } => Action::Inject {
                node: NodeId(node % self.nodes),
                packet: Packet {
                    created: now,
                    source: SourceId(0).into(),
                    dst: NodeId(1),
                    size: Bytes(120),
                    records: 1,
                    class: TrafficClass::Routine,
                    kind: PacketKind::Data,
                    origin,
                    seq: 0,
                },
            },
            Step::Charge { node, millijoules } => Action::Charge {
                node: NodeId(node % self.nodes),
                component: Component::RadioRx,
                energy: Joules(f64::from(millijoules) * 1e-3),
            },
            Step::Toggle { node } => {
                let node = node % self.nodes;
                let available = &mut self.available[node as usize];
                *available = !*available;
                Action::SetAvailable {
                    node: NodeId(node),
                    available: *available,
                }
            }
            Step::Route { link, weight } => Action::Route {
                link: LinkId(link % self.links),
                weight: [
                    RouteWeight::Normal,
                    RouteWeight::Attract,
                    RouteWeight::Disabled,
                ][usize::from(weight)],
            },
        };
        actions.push(action);
    }

    fn on_transmit(&mut self, tx: &Transmission, _actions: &mut Actions) -> Verdict {
        self.transmissions += 1;
        let h = mix(tx.now.as_nanos() ^ (u64::from(tx.link.0) << 48) ^ self.transmissions);
        let mut draw = (h % 1000) as u16;
        let mut fate = Fate::Forward;
        for (f, per_mille) in [Fate::Tamper, Fate::Jammed, Fate::Withheld, Fate::Rejected]
            .into_iter()
            .zip(self.fates)
        {
            if draw < per_mille {
                fate = f;
                break;
            }
            draw -= per_mille;
        }
        let cycles = Cycles((h >> 20) % 50_000);
        Verdict {
            cost: LinkCost {
                overhead: Bytes(((h >> 40) % 32) as u32),
                sender_cycles: cycles,
                receiver_cycles: cycles,
            },
            fate,
        }
    }

    fn on_deliver(
        &mut self,
        now: SimTime,
        _node: NodeId,
        packet: &Packet,
        _actions: &mut Actions,
    ) -> bool {
        // Altered, forged and replayed packets are refused half the time, the deployment's own
        // always accepted.
        let refusable = matches!(
            packet.origin,
            Origin::Tampered | Origin::Injected(InjectTag(0 | 1))
        );
        !refusable || mix(now.as_nanos()).is_multiple_of(2)
    }

    fn report(&self, out: &mut Vec<Scalar>) {
        out.push(("transmissions", Some(self.transmissions as f64)));
    }

    fn sample(&self, _now: SimTime, out: &mut Vec<Scalar>) {
        out.push(("transmissions_so_far", Some(self.transmissions as f64)));
    }
}

/// Everything a run produced, in a form two runs can be compared by: the processed events
/// with their instants, and the metrics written out exactly (`{:?}` prints every `f64` in its
/// shortest round-trip form, so equal text means equal bits), with each latency histogram as
/// its recorded values and counts.
#[derive(Debug, PartialEq)]
struct Outcome {
    trace: Vec<(SimTime, Event)>,
    metrics: String,
}

fn latency_text(l: &LatencyStats) -> String {
    let recorded: Vec<(u64, u64)> = l
        .histogram
        .iter_recorded()
        .map(|v| (v.value_iterated_to(), v.count_at_value()))
        .collect();
    format!("{:?} {:?} {recorded:?}", l.count, l.sum_s)
}

fn metrics_text(m: &RunMetrics) -> String {
    let mut text = format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n",
        m.seed, m.scalars, m.groups, m.incidents, m.timeseries, m.hooks, m.events
    );
    for l in [&m.latency, &m.alarm_latency]
        .into_iter()
        .chain(&m.latency_by_class)
    {
        text.push_str(&latency_text(l));
        text.push('\n');
    }
    for s in &m.segments {
        text.push_str(&format!("{} {:?} {} ", s.name, s.kind, s.position));
        text.push_str(&latency_text(&s.latency));
        text.push('\n');
    }
    text
}

/// Fails with the first difference between two outcomes.
fn same(a: &Outcome, b: &Outcome) -> Result<(), TestCaseError> {
    if let Some(i) =
        (0..a.trace.len().max(b.trace.len())).find(|&i| a.trace.get(i) != b.trace.get(i))
    {
        return Err(TestCaseError::fail(format!(
            "event {i} of {} / {}: {:?} vs {:?}",
            a.trace.len(),
            b.trace.len(),
            a.trace.get(i),
            b.trace.get(i)
        )));
    }
    prop_assert_eq!(&a.metrics, &b.metrics);
    Ok(())
}

/// Runs a case, pausing at each of `pauses` (ms; sorted, any instant, past the end or not),
/// and calls `at_pause` with the pause instant at each, and with the horizon at the end.
fn run(
    case: &Case,
    model: &Model,
    pauses: &[u64],
    mut at_pause: impl FnMut(SimTime, &Simulation<'_, Chaos>),
) -> (Outcome, RunMetrics) {
    let mut sim = Simulation::new(model, case.seed, Chaos::new(case, model)).unwrap();
    sim.trace = Some(Vec::new());
    for &p in pauses {
        let until = SimTime::from_millis(p);
        sim.run_until(until);
        at_pause(until, &sim);
    }
    sim.run_to_end();
    at_pause(sim.horizon, &sim);
    let trace = sim.trace.take().unwrap_or_default();
    let metrics = sim.finish();
    let outcome = Outcome {
        trace,
        metrics: metrics_text(&metrics),
    };
    (outcome, metrics)
}

/// Runs a case straight through and returns what it produced.
fn run_straight(case: &Case, model: &Model) -> Outcome {
    run(case, model, &[], |_, _| {}).0
}

/// Collects the violations of an invariant found at the pauses of a run.
#[derive(Default)]
struct Violations(Vec<String>);

impl Violations {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok && self.0.len() < 5 {
            self.0.push(what());
        }
    }

    fn none(self) -> Result<(), TestCaseError> {
        prop_assert!(self.0.is_empty(), "{}", self.0.join("\n"));
        Ok(())
    }
}

/// `a ≈ b` to within rounding of sums of up to a few thousand terms.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

/// Pause instants (ms) within and somewhat beyond a run of `duration_ms`, sorted; repeats
/// and pauses on multiples of 100 ms (where timers and samples fall) included.
fn pauses(duration_ms: u64) -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(
        prop_oneof![
            0u64..duration_ms + 200,
            (0u64..duration_ms / 100 + 2).prop_map(|k| k * 100),
        ],
        0..8,
    )
    .prop_map(|mut p| {
        p.sort_unstable();
        p
    })
}

fn case_and_pauses() -> impl Strategy<Value = (Case, Vec<u64>)> {
    case().prop_flat_map(|c| {
        let d = c.duration_ms;
        (Just(c), pauses(d))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A run paused at any instants and resumed processes the same events in the same order,
    /// and reports the same metrics, bit for bit, as the same run in one go.
    #[test]
    fn pauses_change_nothing((case, pauses) in case_and_pauses()) {
        let model = model(&case);
        let straight = run_straight(&case, &model);
        let (paused, _) = run(&case, &model, &pauses, |_, _| {});
        same(&paused, &straight)?;
    }

    /// The same replication run on another thread gives the same events and metrics, bit for
    /// bit: nothing in the engine depends on the thread (no global state, no thread-local
    /// randomness, no addresses).
    #[test]
    fn another_thread_changes_nothing(case in case()) {
        let model = model(&case);
        let here = run_straight(&case, &model);
        let there = std::thread::scope(|s| {
            s.spawn(|| run_straight(&case, &model)).join()
        });
        let there = there.map_err(|_| TestCaseError::fail("the run panicked on its thread"))?;
        same(&there, &here)?;
    }

    /// Every packet is accounted for at every pause: `generated = delivered + lost + in
    /// flight`, the last counted from where the packets are (stations, links), not from the
    /// counters.
    #[test]
    fn packets_are_conserved_at_every_pause((case, pauses) in case_and_pauses()) {
        let model = model(&case);
        let mut v = Violations::default();
        run(&case, &model, &pauses, |at, sim| {
            let (g, d, l, f) = (sim.generated(), sim.delivered(), sim.lost(), sim.in_flight());
            v.check(g == d + l + f, || format!("at {at}: generated {g} ≠ delivered {d} + lost {l} + in flight {f}"));
        });
        v.none()?;
    }

    /// Simulated time never goes backwards: events run in non-decreasing time order, none
    /// after the horizon, and a run paused at an instant has run nothing later and its clock
    /// has not passed it.
    #[test]
    fn time_never_goes_backwards((case, pauses) in case_and_pauses()) {
        let model = model(&case);
        let mut v = Violations::default();
        let (outcome, _) = run(&case, &model, &pauses, |at, sim| {
            let last = sim.trace.as_ref().and_then(|t| t.last()).map(|e| e.0);
            v.check(last.is_none_or(|t| t <= at), || format!("paused at {at}, an event ran at {last:?}"));
            v.check(sim.events.now() <= at, || format!("paused at {at}, the clock reads {}", sim.events.now()));
        });
        for w in outcome.trace.windows(2) {
            v.check(w[0].0 <= w[1].0, || format!("{:?} ran after {:?}", w[1], w[0]));
        }
        let horizon = SimTime::from_millis(case.duration_ms);
        let late = outcome.trace.iter().find(|e| e.0 > horizon);
        v.check(late.is_none(), || format!("{late:?} ran after the horizon {horizon}"));
        v.none()?;
    }

    /// Energy only accumulates: no component of any meter ever decreases from one pause to
    /// the next; and it adds up: the total of each meter is the sum of its components, and
    /// the reported `energy_j` and `sensor_energy_j` are the sums of the per-group and
    /// per-component figures.
    #[test]
    fn energy_accumulates_and_adds_up((case, pauses) in case_and_pauses()) {
        let model = model(&case);
        let nodes = model.topology.node_count();
        let mut v = Violations::default();
        let mut before = vec![[0.0f64; 5]; nodes];
        let (_, metrics) = run(&case, &model, &pauses, |at, sim| {
            for (i, prev) in before.iter_mut().enumerate() {
                let meter = sim.meter(NodeId(i as u32));
                let now = meter.by_component();
                for c in Component::ALL {
                    let (p, n) = (prev[c as usize], now[c as usize]);
                    v.check(n >= p, || format!("at {at}, node {i}'s {} fell from {p} to {n} J", c.name()));
                }
                let sum: f64 = now.iter().sum();
                v.check(close(meter.total().0, sum), || format!("at {at}, node {i}: total {} J, components sum to {sum} J", meter.total().0));
                *prev = now;
            }
        });
        let scalar = |name| metrics.scalar(name).unwrap_or(f64::NAN);
        let groups: f64 = metrics.groups.iter().flat_map(|g| g.energy_j).sum();
        v.check(close(scalar("energy_j"), groups), || format!("energy_j {} vs groups' {groups}", scalar("energy_j")));
        let sensor: f64 = SENSOR_ENERGY_SCALARS.iter().map(|&n| scalar(n)).sum();
        v.check(close(scalar("sensor_energy_j"), sensor), || format!("sensor_energy_j {} vs components' {sensor}", scalar("sensor_energy_j")));
        for g in &metrics.groups {
            v.check(g.energy_j.iter().all(|&e| e >= 0.0), || format!("group {} spent {:?} J", g.name, g.energy_j));
        }
        v.none()?;
    }
}
