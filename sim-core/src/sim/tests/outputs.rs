//! The metrics that feed the reports: per-segment latency, per-class latency, per-group
//! energy and batteries, incidents, the time series and command round trips.

use super::*;
use crate::hooks::Scalar;
use crate::incident::IncidentKind;
use crate::metrics::SegmentKind;
use crate::packet::Sender;

/// A sensor → (BLE, constant 3 ms) → an M/M/1 hub → (link, constant 1 ms) → a sink station
/// with a constant 2 ms service and servers enough never to queue; Poisson at λ = 50/s, hub
/// μ = 100/s.
fn three_hop_model(duration_s: u64) -> Model {
    let mut t = Topology::new();
    let mut sensor = device(None);
    sensor.battery = Some(Joules(1000.0));
    sensor.sleep_power = Watts(1e-3);
    let s = node(&mut t, "sensor", Layer::Sensing, sensor);
    let hub = node(&mut t, "hub", Layer::Network, device(mm(1, 0.01)));
    let mut sink_dev = device(None);
    sink_dev.station = Some(StationSpec {
        servers: 1000,
        service: Dist::constant(2e-3).unwrap(),
        buffer: None,
    });
    let sink = node(&mut t, "sink", Layer::Cloud, sink_dev);
    // Infinite rate: no serialisation, so the links' segments are exactly their latency.
    t.add_link(
        s,
        hub,
        link(
            "ble",
            f64::INFINITY,
            Dist::constant(3e-3).unwrap(),
            0.0,
            0.0,
        ),
    );
    t.add_link(
        hub,
        sink,
        link(
            "wan",
            f64::INFINITY,
            Dist::constant(1e-3).unwrap(),
            0.0,
            0.0,
        ),
    );
    let mut alarm = poisson("alarm", s, sink, 5.0);
    alarm.stream_mut().class = TrafficClass::Alarm;
    Model {
        sources: vec![poisson("routine", s, sink, 45.0), alarm],
        topology: t,
        config: RunConfig {
            duration: SimTime::from_secs(duration_s),
            warmup: SimTime::from_secs(10),
            time_grid: Some(SimTime::from_secs(10)),
        },
    }
}

#[test]
fn segments_follow_the_route_and_add_up_to_the_end_to_end_latency() {
    let model = three_hop_model(2000);
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    let order: Vec<(&str, SegmentKind, u32)> = m
        .segments
        .iter()
        .map(|s| (s.name.as_str(), s.kind, s.position))
        .collect();
    assert_eq!(
        order,
        [
            ("ble", SegmentKind::Link, 0),
            ("hub", SegmentKind::Station, 1),
            ("wan", SegmentKind::Link, 2),
            ("sink", SegmentKind::Station, 3),
        ]
    );
    let mean = |i: usize| m.segments[i].latency.mean_ms().unwrap();
    // Constant links and a constant service are exact.
    assert!((mean(0) - 3.0).abs() < 1e-9, "{}", mean(0));
    assert!((mean(2) - 1.0).abs() < 1e-9, "{}", mean(2));
    assert!((mean(3) - 2.0).abs() < 1e-9, "{}", mean(3));
    // The hub is M/M/1 at ρ = 0.5: mean sojourn 1/(μ − λ) = 20 ms (one run: within 10 %).
    assert!((mean(1) - 20.0).abs() < 2.0, "{}", mean(1));
    // Every delivered packet crossed each segment once; a few were still on the way at the end.
    let delivered = m.latency.count;
    for s in &m.segments {
        assert!(
            s.latency.count >= delivered && s.latency.count <= delivered + 20,
            "{}: {} vs {delivered}",
            s.name,
            s.latency.count
        );
    }
    let sum: f64 = (0..4).map(mean).sum();
    assert!(
        (sum - m.latency.mean_ms().unwrap()).abs() < 0.05,
        "{sum} vs {}",
        m.latency.mean_ms().unwrap()
    );
    assert_eq!(m.segments[0].layer, Layer::Sensing);
    assert_eq!(m.segments[2].layer, Layer::Network);
}

#[test]
fn a_rare_downlink_does_not_reverse_the_order_of_the_uplink() {
    // The sink sends a command back to the sensor once an hour; the uplink runs at 50/s.
    let mut model = three_hop_model(20);
    let (sensor, sink) = (NodeId(0), NodeId(2));
    model.sources.push(SourceSpec {
        name: "command".into(),
        node: sink,
        dst: sensor,
        stream: StreamSpec {
            arrivals: Arrivals::Poisson {
                rate_per_s: 1.0 / 3600.0,
            },
            size: Bytes(40),
            records: 0,
            class: TrafficClass::Alarm,
            deadline: None,
            ack: None,
        }
        .into(),
        patient: None,
    });
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    let names: Vec<&str> = m.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ble", "hub", "wan", "sink"]);
}

#[test]
fn latency_is_recorded_per_class() {
    let m = Simulation::new(&three_hop_model(500), 5, ()).unwrap().run();
    let [routine, alarm] = &m.latency_by_class;
    assert_eq!(routine.count + alarm.count, m.latency.count);
    assert_eq!(alarm.count, m.alarm_latency.count);
    assert_eq!(alarm.sum_s, m.alarm_latency.sum_s);
    assert_eq!(alarm.histogram, m.alarm_latency.histogram);
    assert_eq!(m.scalar("alarm_latency_ms"), alarm.mean_ms());
    // 45/s against 5/s.
    let share = alarm.count as f64 / m.latency.count as f64;
    assert!((share - 0.1).abs() < 0.02, "{share}");
    for (i, &class) in crate::metrics::CLASSES.iter().enumerate() {
        assert_eq!(crate::metrics::class_index(class), i);
    }
}

#[test]
fn group_energy_adds_up_and_battery_deaths_are_incidents() {
    // Two implants of 10 J and one of 20 J at 3 mW: the first two die at 3333.33 s.
    let mut topology = Topology::new();
    for (name, joules) in [("a", 10.0), ("b", 10.0), ("c", 20.0)] {
        let mut dev = device(None);
        dev.battery = Some(Joules(joules));
        dev.sleep_power = Watts(3e-3);
        topology.add_node(NodeSpec::new(
            name.into(),
            NodeClass {
                group: if name == "c" { "big" } else { "small" }.into(),
                layer: Layer::Sensing,
                device: dev.into(),
            },
        ));
    }
    let model = Model {
        sources: vec![],
        topology,
        config: RunConfig {
            duration: SimTime::from_secs(4000),
            warmup: SimTime::from_secs(1000),
            time_grid: Some(SimTime::from_secs(1000)),
        },
    };
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    let [small, big] = &m.groups[..] else {
        panic!("{:?}", m.groups)
    };
    assert_eq!(
        (small.name.as_str(), small.nodes, small.battery_nodes),
        ("small", 2, 2)
    );
    assert_eq!(small.battery_deaths, 2);
    assert_eq!(big.battery_deaths, 0);
    let death = 3_333_333_333_334e-9;
    assert_eq!(small.first_battery_death_s, Some(death));
    // After the warm-up (1000 s): each small implant spent its last 10 − 3 = 7 J, the big one
    // 3000 s × 3 mW = 9 J, all of it sleep.
    assert!((small.energy_j[Component::Sleep as usize] - 14.0).abs() < 1e-9);
    assert!((big.energy_j[Component::Sleep as usize] - 9.0).abs() < 1e-9);
    let total: f64 = m.groups.iter().flat_map(|g| g.energy_j).sum();
    assert!((total - m.scalar("energy_j").unwrap()).abs() < 1e-9);
    assert_eq!(small.battery_left_min_fraction, Some(0.0));
    assert!((big.battery_left_mean_fraction.unwrap() - 8.0 / 20.0).abs() < 1e-9);
    let deaths: Vec<(f64, &str, &str)> = m
        .incidents
        .iter()
        .map(|i| (i.time_s, i.node.as_str(), i.group.as_str()))
        .collect();
    assert_eq!(deaths, [(death, "a", "small"), (death, "b", "small")]);
    assert!(
        m.incidents
            .iter()
            .all(|i| i.kind == IncidentKind::BatteryDeath)
    );
    // The per-group battery series: at 3000 s the small ones have 1 J of 10 left, at 4000 s none.
    let col = m
        .timeseries
        .column("battery_mean_fraction", Some("small"))
        .unwrap();
    assert_eq!(m.timeseries.times_s, [0.0, 1000.0, 2000.0, 3000.0, 4000.0]);
    assert!((col.values[3].unwrap() - 0.1).abs() < 1e-9);
    assert_eq!(col.values[4], Some(0.0));
    let whole = m.timeseries.column("battery_min_fraction", None).unwrap();
    assert_eq!(whole.values[4], Some(0.0));
    assert!(
        m.timeseries
            .column("battery_min_fraction", Some("big"))
            .is_some()
    );
}

/// Counts packets and reports the count as a series, and as its own report, to check the
/// hooks' series and report plumbing.
struct Counter(u64);

/// What [`Counter`] reports: packets seen, and the node it names, resolved by the topology.
#[derive(Debug, Default, PartialEq)]
struct Counted {
    packets: u64,
    node: String,
}

/// What [`Counted`] derives from a finished run: the packets its hooks saw.
const PACKETS_SEEN: crate::metrics::Metric = crate::metrics::Metric::new(
    "packets_seen",
    "Packets seen by the hooks",
    crate::metrics::Unit::Packets,
    crate::metrics::Owner::Derived,
    "packets the counting hooks saw generated",
);

impl crate::hooks::HookReport for Counted {
    const DERIVED: &'static [&'static crate::metrics::Metric] = &[&PACKETS_SEEN];

    fn derived(&self, out: &mut Vec<Scalar>) {
        out.push((PACKETS_SEEN.id, Some(self.packets as f64)));
    }
}

impl Hooks for Counter {
    type Report = Counted;

    fn on_generate(&mut self, _now: SimTime, _packet: &Packet) {
        self.0 += 1;
    }
    fn sample(&self, _now: SimTime, out: &mut Vec<Scalar>) {
        out.push(("generated_so_far", Some(self.0 as f64)));
    }
    fn finish(self, topology: &Topology) -> Counted {
        Counted {
            packets: self.0,
            node: topology.node(NodeId(1)).name.to_string(),
        }
    }
}

#[test]
fn the_time_series_carry_rates_queues_and_the_hooks_series() {
    let model = three_hop_model(500);
    let mut sim = Simulation::new(&model, 8, Counter(0)).unwrap();
    sim.run_to_end();
    let generated = sim.generated() as f64;
    let m = sim.finish();
    let ts = &m.timeseries;
    assert_eq!(ts.times_s.len(), 51);
    for c in &ts.columns {
        assert_eq!(c.values.len(), 51, "{} {:?}", c.series, c.group);
    }
    // Nothing delivered before the first instant: no rate, no ratio.
    let rate = ts.column("delivered_per_s", None).unwrap();
    assert_eq!(rate.values[0], None);
    // The rate × the grid interval adds up to the cumulative count.
    let delivered = ts.column("delivered", None).unwrap();
    let sum: f64 = rate.values.iter().flatten().map(|r| r * 10.0).sum();
    assert!((sum - delivered.values[50].unwrap()).abs() < 1e-6);
    assert_eq!(
        ts.column("delivery_ratio", None).unwrap().values[50],
        Some(1.0)
    );
    assert!(ts.column("queued_packets", Some("hub")).is_some());
    assert!(ts.column("queued_packets", Some("sensor")).is_none());
    let hook = ts.column("generated_so_far", None).unwrap();
    assert_eq!(hook.values[50], Some(generated));
    // The hooks' own report comes back as they made it; the engine's timeline holds only
    // what the engine caused (no battery died here).
    assert_eq!(
        m.hooks,
        Counted {
            packets: generated as u64,
            node: "hub".into()
        }
    );
    assert!(m.incidents.is_empty());
    // The metrics the report derives stand among the engine's where `with_hooks` declares
    // them: after the six latency percentiles, before the worst patient's hours.
    let derived: Vec<(&str, Option<f64>)> = m.derived().collect();
    let declared: [&crate::metrics::Metric; 9] =
        crate::metrics::derived::with_hooks(&[&PACKETS_SEEN]);
    let names: Vec<&str> = derived.iter().map(|d| d.0).collect();
    assert_eq!(names, crate::metrics::ids(declared));
    assert_eq!(crate::metrics::derived::HOOKS_AT, 6);
    assert_eq!(names[5], "alarm_latency_p99_ms");
    assert_eq!(derived[6], ("packets_seen", Some(generated)));
    assert_eq!(names[7], "worst_patient_monitoring_hours_lost");
    assert_eq!(names[8], "worst_patient_aoi_ms");
}

#[test]
fn acknowledged_commands_report_their_exact_round_trip() {
    // A clinician's command (64 B) to a pump over a 1 Mbit/s link with 2 ms latency; the pump
    // acknowledges with 16 B: round trip = (0.512 + 2) + (0.128 + 2) ms = 4.64 ms exactly.
    let mut topology = Topology::new();
    let clinician = node(&mut topology, "clinician", Layer::Cloud, device(None));
    let pump = node(&mut topology, "pump", Layer::Sensing, device(None));
    topology.add_link(
        clinician,
        pump,
        link("radio", 1e6, Dist::constant(2e-3).unwrap(), 0.0, 0.0),
    );
    let mut command = poisson("bolus", clinician, pump, 2.0);
    command.stream_mut().size = Bytes(64);
    command.stream_mut().ack = Some(Bytes(16));
    let model = Model {
        sources: vec![command],
        topology,
        config: config(600, 0),
    };
    let mut sim = Simulation::new(&model, 3, ()).unwrap();
    sim.run_to_end();
    // Conservation still holds: acknowledgements are packets too.
    assert_eq!(
        sim.generated(),
        sim.delivered() + sim.lost() + sim.in_flight()
    );
    let m = sim.finish();
    let delivered = m.scalar("delivered").unwrap();
    let acked = m.scalar("commands_acked").unwrap();
    assert!(
        delivered > 1000.0 && (delivered - acked).abs() <= 1.0,
        "{delivered} {acked}"
    );
    assert!((m.scalar("command_rtt_ms").unwrap() - 4.64).abs() < 1e-9);
    // The one-way latency of the commands themselves is unchanged by the acks.
    assert!((m.scalar("latency_ms").unwrap() - 2.512).abs() < 1e-9);
}

/// Records the identity of every packet emitted and delivered.
#[derive(Default)]
struct Identities {
    generated: Vec<(Sender, u32)>,
    delivered: Vec<(Sender, u32)>,
}

impl Hooks for Identities {
    type Report = ();

    fn on_generate(&mut self, _now: SimTime, packet: &Packet) {
        self.generated.push((packet.source, packet.seq));
    }
    fn on_deliver(&mut self, _now: SimTime, _node: NodeId, p: &Packet, _a: &mut Actions) -> bool {
        self.delivered.push((p.source, p.seq));
        true
    }
}

#[test]
fn each_source_numbers_its_packets_from_zero_and_the_number_travels_with_them() {
    let model = three_hop_model(100);
    let mut sim = Simulation::new(&model, 3, Identities::default()).unwrap();
    sim.run_to_end();
    let ids = sim.hooks();
    for s in [SourceId(0).into(), SourceId(1).into()] {
        let seqs: Vec<u32> = ids
            .generated
            .iter()
            .filter(|(src, _)| *src == s)
            .map(|&(_, q)| q)
            .collect();
        assert!(seqs.len() > 100);
        assert!(seqs.iter().enumerate().all(|(k, &q)| q as usize == k));
    }
    // Every delivered packet is one that was emitted, and none twice.
    let mut seen = std::collections::HashSet::new();
    for d in &ids.delivered {
        assert!(ids.generated.contains(d));
        assert!(seen.insert(*d));
    }
    assert!(ids.delivered.len() > 100);
}

#[test]
fn each_patient_has_its_own_monitoring_hours_and_they_add_up_to_the_run_s() {
    // Patient 0's sensor reaches the sink; patient 1's has no link at all: dark all run.
    let mut model = sensor_to_sink(
        100,
        SimTime::from_secs(1),
        link("ble", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 0.0),
        None,
    );
    model.config = config(3600, 0);
    model.sources[0].patient = Some(crate::PatientId(0));
    let cut = node(&mut model.topology, "cut", Layer::Sensing, device(None));
    let mut dark = model.sources[0].clone();
    dark.name = "cut/vitals".into();
    dark.node = cut;
    dark.patient = Some(crate::PatientId(1));
    model.sources.push(dark);
    let mut sim = Simulation::new(&model, 5, ()).unwrap();
    sim.run_to_end();
    let m = sim.finish();
    assert_eq!(m.patients.len(), 2);
    assert_eq!(m.patients[0].device, "sensor");
    assert_eq!(m.patients[1].device, "cut");
    assert!(m.patients[0].monitoring_hours_lost < 1e-3);
    // The whole hour but the two-period grace.
    let expected = (3600.0 - 2.0) / 3600.0;
    assert!((m.patients[1].monitoring_hours_lost - expected).abs() < 1e-9);
    let total: f64 = m.patients.iter().map(|p| p.monitoring_hours_lost).sum();
    assert!((total - m.scalar("monitoring_hours_lost").unwrap()).abs() < 1e-9);
}

/// The run's scalars are exactly the engine's declared run metrics, in their declared order:
/// a scalar added to `finish` without its declaration (label, unit, doc) fails here.
#[test]
fn the_scalars_are_the_declared_engine_metrics_in_order() {
    use crate::metrics::{When, engine};
    let m = Simulation::new(&three_hop_model(30), 1, ()).unwrap().run();
    let names: Vec<&str> = m.scalars.iter().map(|s| s.0).collect();
    let declared: Vec<&str> = engine::RUN
        .iter()
        .filter(|d| d.when == When::Always)
        .map(|d| d.id)
        .collect();
    assert_eq!(names, declared);
}

/// Every series the engine samples is one of its declared series.
#[test]
fn the_engine_samples_only_declared_series() {
    let m = Simulation::new(&three_hop_model(30), 1, ()).unwrap().run();
    assert!(!m.timeseries.columns.is_empty());
    for c in &m.timeseries.columns {
        assert!(
            crate::metrics::engine::SERIES
                .iter()
                .any(|s| s.id == c.series),
            "{} is not declared",
            c.series
        );
    }
}
