//! Validation of the engine against closed-form results: M/M/1, M/M/c (Erlang C), a Jackson
//! tandem, Little's law, deterministic link delays, Bernoulli loss, battery arithmetic and packet
//! conservation. Seeds are fixed, so each test is deterministic; tolerances come from the
//! Student-t confidence interval over independent replications, not from a guess.

use super::*;
use crate::dist::Dist;
use crate::hooks::{
    Hooks, Incident, IncidentKind, LinkCost, RouteWeight, Scalar, Transmission, Verdict,
};
use crate::ids::LinkId;
use crate::metrics::SegmentKind;
use crate::rng::replication_seed;
use crate::topology::{DeviceSpec, Layer, LinkSpec, NodeSpec, StationSpec};
use crate::traffic::{Arrivals, TrafficClass};
use crate::units::{BitsPerSecond, Bytes, Cycles, Hertz, Watts};
use statrs::distribution::{ContinuousCDF, StudentsT};

fn device(station: Option<StationSpec>) -> DeviceSpec {
    DeviceSpec {
        station,
        battery: None,
        sleep_power: Watts(0.0),
        cpu_hz: Hertz(64e6),
        energy_per_cycle: Joules(0.0),
    }
}

fn mm(servers: u32, mean_service: f64) -> Option<StationSpec> {
    Some(StationSpec {
        servers,
        service: Dist::exp(mean_service).unwrap(),
        buffer: None,
    })
}

fn node(topo: &mut Topology, name: &str, layer: Layer, device: DeviceSpec) -> NodeId {
    topo.add_node(NodeSpec {
        name: name.into(),
        group: name.into(),
        layer,
        device,
    })
}

fn link(name: &str, rate: f64, latency: Dist, loss: f64, energy_per_bit: f64) -> LinkSpec {
    LinkSpec {
        name: name.into(),
        group: name.into(),
        rate: BitsPerSecond(rate),
        latency,
        loss,
        tx_energy_per_bit: Joules(energy_per_bit),
        rx_energy_per_bit: Joules(energy_per_bit),
    }
}

fn poisson(name: &str, node: NodeId, dst: NodeId, rate: f64) -> SourceSpec {
    SourceSpec {
        name: name.into(),
        node,
        dst,
        arrivals: Arrivals::Poisson { rate_per_s: rate },
        size: Bytes(100),
        records: 1,
        class: TrafficClass::Routine,
        deadline: None,
        ack: None,
    }
}

fn config(duration_s: u64, warmup_s: u64) -> RunConfig {
    RunConfig {
        duration: SimTime::from_secs(duration_s),
        warmup: SimTime::from_secs(warmup_s),
        time_grid: None,
    }
}

/// Mean and 95 % Student-t half-width of a sample.
fn mean_ci(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let t = StudentsT::new(0.0, 1.0, n - 1.0)
        .unwrap()
        .inverse_cdf(0.975);
    (mean, t * (var / n).sqrt())
}

/// Runs `reps` replications and returns the named scalar of each.
fn replicate(model: &Model, reps: u32, names: &[&str]) -> Vec<Vec<f64>> {
    let runs: Vec<RunMetrics> = (0..reps)
        .map(|r| {
            Simulation::new(model, replication_seed(2024, r), ())
                .unwrap()
                .run()
        })
        .collect();
    names
        .iter()
        .map(|n| runs.iter().map(|m| m.scalar(n).unwrap()).collect())
        .collect()
}

/// Asserts that `theory` lies in the 95 % CI of `xs` and that the CI is tighter than `rel`.
fn assert_matches(what: &str, xs: &[f64], theory: f64, rel: f64) {
    let (mean, half) = mean_ci(xs);
    assert!(
        (mean - theory).abs() <= half,
        "{what}: simulated {mean:.5} ± {half:.5}, theory {theory:.5}"
    );
    assert!(
        half <= rel * theory,
        "{what}: interval ±{half:.5} too wide to test against {theory:.5}"
    );
}

/// One M/M/c station fed by a Poisson source at the same node.
fn mmc_model(lambda: f64, mu: f64, c: u32, duration_s: u64) -> Model {
    let mut topology = Topology::new();
    let s = node(
        &mut topology,
        "station",
        Layer::Cloud,
        device(mm(c, 1.0 / mu)),
    );
    Model {
        sources: vec![poisson("arrivals", s, s, lambda)],
        topology,
        config: config(duration_s, duration_s / 10),
    }
}

#[test]
fn mm1_mean_sojourn_matches_one_over_mu_minus_lambda() {
    // W = 1/(μ − λ) for ρ = 0.5, 0.8 and 0.95 (μ = 1000/s). Heavier load correlates successive
    // sojourns strongly, so it needs longer runs for the same precision.
    for (lambda, duration) in [(500.0, 200), (800.0, 400), (950.0, 3000)] {
        let model = mmc_model(lambda, 1000.0, 1, duration);
        let cols = replicate(&model, 10, &["latency_ms", "mean_packets_in_stations"]);
        let w = 1.0 / (1000.0 - lambda);
        assert_matches(&format!("M/M/1 W at λ={lambda}"), &cols[0], w * 1e3, 0.05);
        // Little's law, L = λW, with L the time-average number at the station.
        assert_matches(
            &format!("M/M/1 L at λ={lambda}"),
            &cols[1],
            lambda * w,
            0.05,
        );
    }
}

/// Erlang C: the probability that an arrival waits in an M/M/c queue with offered load a = λ/μ.
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let top = term * a / c as f64 * (c as f64 / (c as f64 - a));
    top / (sum + top)
}

#[test]
fn mm3_matches_erlang_c() {
    // c = 3, μ = 1000/s, λ = 2400/s (ρ = 0.8): P(wait) = C(3, 2.4) = 0.6472,
    // Wq = C / (cμ − λ) = 1.079 ms, W = Wq + 1/μ.
    let (c, mu, lambda) = (3, 1000.0, 2400.0);
    let pw = erlang_c(c, lambda / mu);
    assert!((pw - 0.6472).abs() < 1e-3, "Erlang C formula itself: {pw}");
    let model = mmc_model(lambda, mu, c, 200);
    let cols = replicate(&model, 10, &["station_wait_fraction", "latency_ms"]);
    assert_matches("M/M/3 P(wait)", &cols[0], pw, 0.05);
    let w = pw / (c as f64 * mu - lambda) + 1.0 / mu;
    assert_matches("M/M/3 W", &cols[1], w * 1e3, 0.05);
}

#[test]
fn jackson_tandem_sojourn_is_the_sum_of_the_stations() {
    // Two M/M/1 stations in series joined by an ideal link: W = 2/(μ − λ) = 10 ms (Burke's
    // theorem makes the second station's input Poisson too). L = λW across both stations.
    let mut topology = Topology::new();
    let a = node(&mut topology, "a", Layer::Network, device(mm(1, 1e-3)));
    let b = node(&mut topology, "b", Layer::Cloud, device(mm(1, 1e-3)));
    topology.add_link(
        a,
        b,
        link("ab", f64::INFINITY, Dist::constant(0.0).unwrap(), 0.0, 0.0),
    );
    let model = Model {
        sources: vec![poisson("arrivals", a, b, 800.0)],
        topology,
        config: config(400, 40),
    };
    let cols = replicate(&model, 10, &["latency_ms", "mean_packets_in_stations"]);
    assert_matches("tandem W", &cols[0], 10.0, 0.05);
    assert_matches("tandem L", &cols[1], 800.0 * 0.010, 0.05);
}

/// A sensor sending `size` bytes every `period` over one link to a sink.
fn sensor_to_sink(
    size: u32,
    period: SimTime,
    link_spec: LinkSpec,
    battery: Option<Joules>,
) -> Model {
    let mut topology = Topology::new();
    let mut sensor_dev = device(None);
    sensor_dev.battery = battery;
    let s = node(&mut topology, "sensor", Layer::Sensing, sensor_dev);
    let k = node(&mut topology, "sink", Layer::Cloud, device(None));
    topology.add_link(s, k, link_spec);
    Model {
        sources: vec![SourceSpec {
            name: "vitals".into(),
            node: s,
            dst: k,
            arrivals: Arrivals::Periodic {
                period,
                jitter: Dist::constant(0.0).unwrap(),
            },
            size: Bytes(size),
            records: 1,
            class: TrafficClass::Routine,
            deadline: Some(SimTime::from_millis(100)),
            ack: None,
        }],
        topology,
        config: config(100, 0),
    }
}

#[test]
fn link_delay_is_exactly_serialisation_plus_propagation() {
    // 125 B at 1 Mbit/s = 1 ms on the wire, plus a constant 2 ms: every packet takes 3 ms.
    let l = link("ble", 1e6, Dist::constant(2e-3).unwrap(), 0.0, 0.0);
    let m = Simulation::new(
        &sensor_to_sink(125, SimTime::from_millis(50), l, None),
        1,
        (),
    )
    .unwrap()
    .run();
    // 100 s / 50 ms = 2000 sends; the last one may still be in flight at the end.
    assert!(
        (1999..=2000).contains(&m.latency.count),
        "{}",
        m.latency.count
    );
    // The minimum is 3 ms and the exact mean is 3 ms, so every latency is 3 ms.
    assert_eq!(m.latency.histogram.min(), 3000);
    assert!((m.latency.mean_ms().unwrap() - 3.0).abs() < 1e-12);
}

#[test]
fn a_busy_link_queues_packets_fifo() {
    // Packets of 1250 B (10 ms on a 1 Mbit/s wire) every 5 ms: the link is overloaded ×2, so the
    // k-th packet waits (k−1)·5 ms behind the others; latency grows linearly, never reorders.
    let l = link("slow", 1e6, Dist::constant(0.0).unwrap(), 0.0, 0.0);
    let mut model = sensor_to_sink(1250, SimTime::from_millis(5), l, None);
    model.config = RunConfig {
        duration: SimTime::from_millis(99),
        warmup: SimTime::ZERO,
        time_grid: None,
    };
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    // Sends at phase + 5k ms; the k-th finishes at phase + 10(k+1) ms; latency 10 + 5k ms.
    // Delivered within 99 ms: those with phase + 10(k+1) ≤ 99.
    let n = m.latency.count;
    assert!((8..=9).contains(&n), "{n} delivered");
    assert_eq!(m.latency.histogram.min(), 10_000);
    // The exact mean of 10, 15, …, 10 + 5(n−1) ms.
    let expected = 10.0 + 2.5 * (n - 1) as f64;
    assert!((m.latency.mean_ms().unwrap() - expected).abs() < 1e-9);
}

#[test]
fn link_loss_fraction_matches_its_probability() {
    // 20,000 packets, p = 0.1: σ of the loss fraction = √(p(1−p)/n) = 0.0021; allow 4σ.
    let l = link("lossy", 1e6, Dist::constant(1e-3).unwrap(), 0.1, 0.0);
    let model = sensor_to_sink(50, SimTime::from_millis(5), l, None);
    let m = Simulation::new(&model, 7, ()).unwrap().run();
    let lost = m.scalar("lost").unwrap();
    let generated = m.scalar("generated").unwrap();
    assert_eq!(generated, 20_000.0);
    let frac = lost / generated;
    assert!((frac - 0.1).abs() < 4.0 * 0.0021, "loss fraction {frac}");
    // Every lost packet had a deadline, so each is also a deadline miss.
    assert_eq!(m.scalar("deadline_misses"), Some(lost));
}

#[test]
fn periodic_traffic_costs_exactly_packets_times_bits_times_energy_per_bit() {
    // BLE 1M on an nRF52840: 19.2 nJ/bit TX (parameters.md §B); 40 B every 1 s for 100 s.
    let l = link("ble", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 19.2e-9);
    let model = sensor_to_sink(40, SimTime::from_secs(1), l, Some(Joules(2430.0)));
    let mut sim = Simulation::new(&model, 3, ()).unwrap();
    sim.run_to_end();
    let packets = sim.generated() as f64;
    assert_eq!(packets, 100.0);
    let expected = packets * 40.0 * 8.0 * 19.2e-9;
    let tx = sim.meter(NodeId(0)).spent(Component::RadioTx).0;
    assert!(
        (tx - expected).abs() <= 1e-15 * packets,
        "{tx} J vs {expected} J"
    );
    let rx = sim.meter(NodeId(1)).spent(Component::RadioRx).0;
    assert!(
        (rx - expected).abs() <= 1e-15 * packets,
        "{rx} J vs {expected} J"
    );
}

#[test]
fn a_constant_drain_empties_the_battery_at_the_closed_form_instant() {
    // 10 J at 3 mW: empty at 10 / 0.003 s = 3333.333333333… s, i.e. at the next whole
    // nanosecond, 3 333 333 333 334 ns. No traffic, so only the baseline drains it.
    let mut topology = Topology::new();
    let mut dev = device(None);
    dev.battery = Some(Joules(10.0));
    dev.sleep_power = Watts(3e-3);
    node(&mut topology, "implant", Layer::Sensing, dev);
    let model = Model {
        sources: vec![],
        topology,
        config: config(4000, 0),
    };
    let mut sim = Simulation::new(&model, 1, ()).unwrap();
    sim.run_to_end();
    assert_eq!(
        sim.first_battery_death(),
        Some(SimTime::from_nanos(3_333_333_333_334))
    );
    assert!(!sim.is_alive(NodeId(0)));
    let m = sim.finish();
    assert_eq!(m.scalar("battery_deaths"), Some(1.0));
    assert!((m.scalar("sensor_energy_j").unwrap() - 10.0).abs() < 1e-9);
}

#[test]
fn traffic_brings_battery_death_forward_and_the_node_stops_sending() {
    // 1 J battery, 1 mW baseline (empty at 1000 s alone) plus 1 kB/s at 100 nJ/bit = 0.8 mW of
    // radio: empty at 1 / 1.8 mW ≈ 555.6 s, within one packet's energy (0.8 mJ ≈ 0.44 s).
    let l = link("radio", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 100e-9);
    let mut model = sensor_to_sink(1000, SimTime::from_secs(1), l, Some(Joules(1.0)));
    model.config = config(2000, 0);
    model.topology = {
        let mut t = Topology::new();
        let mut dev = device(None);
        dev.battery = Some(Joules(1.0));
        dev.sleep_power = Watts(1e-3);
        let s = node(&mut t, "sensor", Layer::Sensing, dev);
        let k = node(&mut t, "sink", Layer::Cloud, device(None));
        t.add_link(
            s,
            k,
            link("radio", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 100e-9),
        );
        t
    };
    let mut sim = Simulation::new(&model, 1, ()).unwrap();
    sim.run_to_end();
    let death = sim.first_battery_death().unwrap().as_secs_f64();
    assert!((death - 1.0 / 1.8e-3).abs() < 1.0, "died at {death} s");
    assert!((sim.generated() as f64 - death).abs() <= 2.0);
}

#[test]
fn packets_are_conserved_with_losses_drops_and_deaths() {
    // Sensors → a small-buffer hub → cloud, lossy links, one sensor on a tiny battery.
    let mut topology = Topology::new();
    let hub = node(
        &mut topology,
        "hub",
        Layer::Network,
        device(Some(StationSpec {
            servers: 1,
            service: Dist::exp(4e-3).unwrap(),
            buffer: Some(3),
        })),
    );
    let cloud = node(&mut topology, "cloud", Layer::Cloud, device(mm(2, 1e-3)));
    topology.add_link(
        hub,
        cloud,
        link("wan", 1e7, Dist::uniform(0.01, 0.05).unwrap(), 0.01, 0.0),
    );
    let mut sources = Vec::new();
    for i in 0..6 {
        let mut dev = device(None);
        if i == 0 {
            dev.battery = Some(Joules(0.05));
            dev.sleep_power = Watts(1e-4);
        }
        let s = node(&mut topology, &format!("s{i}"), Layer::Sensing, dev);
        topology.add_link(
            s,
            hub,
            link(
                &format!("ble{i}"),
                1e6,
                Dist::uniform(1e-3, 3e-2).unwrap(),
                0.02,
                20e-9,
            ),
        );
        sources.push(poisson(&format!("p{i}"), s, cloud, 50.0));
    }
    let model = Model {
        sources,
        topology,
        config: RunConfig {
            duration: SimTime::from_secs(1000),
            warmup: SimTime::from_secs(10),
            time_grid: Some(SimTime::from_secs(10)),
        },
    };
    let mut sim = Simulation::new(&model, 11, ()).unwrap();
    sim.run_to_end();
    let in_flight = sim.in_flight();
    assert!(sim.lost() > 0 && in_flight > 0);
    assert_eq!(sim.generated(), sim.delivered() + sim.lost() + in_flight);
    assert!(sim.first_battery_death().is_some());
    let m = sim.finish();
    assert!(m.scalar("lost_buffer").unwrap() > 0.0);
    assert!(m.scalar("lost_link").unwrap() > 0.0);
    assert_eq!(m.timeseries.times_s.len(), 101);
}

/// Records every emission; optionally prices each hop like an AEAD would.
struct Recorder {
    sends: Vec<(SimTime, SourceId)>,
    protect: bool,
}

impl Hooks for Recorder {
    fn on_generate(&mut self, now: SimTime, packet: &Packet) {
        self.sends.push((now, packet.source));
    }
    fn on_transmit(&mut self, _tx: &Transmission, _actions: &mut Actions) -> Verdict {
        if self.protect {
            LinkCost {
                overhead: Bytes(28),
                sender_cycles: Cycles(20_000),
                receiver_cycles: Cycles(20_000),
            }
            .into()
        } else {
            Verdict::default()
        }
    }
}

#[test]
fn protection_costs_change_latency_but_not_send_times() {
    // Common random numbers: the sources' streams are their own, so pricing every hop changes
    // what happens downstream but not when anything is sent.
    let l = link(
        "ble",
        1e6,
        Dist::uniform(1e-3, 3e-2).unwrap(),
        0.01,
        19.2e-9,
    );
    let mut model = sensor_to_sink(400, SimTime::from_secs(1), l, Some(Joules(100.0)));
    model.sources[0].arrivals = Arrivals::Periodic {
        period: SimTime::from_secs(1),
        jitter: Dist::uniform(0.0, 0.05).unwrap(),
    };
    let plain = Recorder {
        sends: vec![],
        protect: false,
    };
    let aead = Recorder {
        sends: vec![],
        protect: true,
    };
    let mut a = Simulation::new(&model, 5, plain).unwrap();
    let mut b = Simulation::new(&model, 5, aead).unwrap();
    a.run_to_end();
    b.run_to_end();
    assert_eq!(a.hooks().sends, b.hooks().sends);
    assert_eq!(a.hooks().sends.len(), 100);
    let (ma, mb) = (a.finish(), b.finish());
    assert!(mb.scalar("latency_ms").unwrap() > ma.scalar("latency_ms").unwrap());
    assert!(mb.scalar("sensor_energy_j").unwrap() > ma.scalar("sensor_energy_j").unwrap());
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let model = mmc_model(800.0, 1000.0, 1, 20);
    let a = Simulation::new(&model, 9, ()).unwrap().run();
    let b = Simulation::new(&model, 9, ()).unwrap().run();
    let c = Simulation::new(&model, 10, ()).unwrap().run();
    assert_eq!(a.scalars, b.scalars);
    assert_eq!(a.events, b.events);
    assert_ne!(a.scalars, c.scalars);
}

#[test]
fn warmup_not_shorter_than_the_run_is_refused() {
    let mut model = mmc_model(1.0, 10.0, 1, 10);
    model.config.warmup = model.config.duration;
    assert!(matches!(
        Simulation::new(&model, 1, ()),
        Err(SimError::WarmupTooLong { .. })
    ));
}

// ── The metrics that feed the reports: per-segment latency, per-class latency, per-group
// energy and batteries, incidents, and the time series. ──

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
    alarm.class = TrafficClass::Alarm;
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
        arrivals: Arrivals::Poisson {
            rate_per_s: 1.0 / 3600.0,
        },
        size: Bytes(40),
        records: 0,
        class: TrafficClass::Alarm,
        deadline: None,
        ack: None,
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
        topology.add_node(NodeSpec {
            name: name.into(),
            group: if name == "c" { "big" } else { "small" }.into(),
            layer: Layer::Sensing,
            device: dev,
        });
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

/// Counts packets and reports the count as a series, to check the hooks' series plumbing.
struct Counter(u64);

impl Hooks for Counter {
    fn on_generate(&mut self, _now: SimTime, _packet: &Packet) {
        self.0 += 1;
    }
    fn sample(&self, _now: SimTime, out: &mut Vec<Scalar>) {
        out.push(("generated_so_far", Some(self.0 as f64)));
    }
    fn incidents(&self, out: &mut Vec<Incident>) {
        out.push(Incident {
            at: SimTime::from_secs(5),
            kind: IncidentKind::Detection,
            node: Some(NodeId(1)),
            by: "ids".into(),
        });
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
    assert_eq!(m.incidents.len(), 1);
    assert_eq!(
        (m.incidents[0].node.as_str(), m.incidents[0].by.as_str()),
        ("hub", "ids")
    );
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
    command.size = Bytes(64);
    command.ack = Some(Bytes(16));
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

/// A scripted security layer: at given instants it asks for given actions; per transmission
/// it returns a fixed fate on one link; at delivery it rejects illegitimate packets if told to.
#[derive(Default)]
struct Script {
    at: Vec<(SimTime, Action)>,
    fate_on: Option<(LinkId, Fate)>,
    reject_illegitimate: bool,
    delivered_origins: Vec<Origin>,
    routes_seen: Vec<(SimTime, LinkId)>,
}

impl Hooks for Script {
    fn start(&mut self, actions: &mut Actions) {
        for (i, (at, _)) in self.at.iter().enumerate() {
            actions.timer(*at, i as u64);
        }
    }
    fn on_timer(&mut self, _now: SimTime, token: u64, actions: &mut Actions) {
        actions.push(self.at[token as usize].1);
    }
    fn on_transmit(&mut self, tx: &Transmission, _actions: &mut Actions) -> Verdict {
        self.routes_seen.push((tx.now, tx.link));
        match self.fate_on {
            Some((link, fate)) if link == tx.link => Verdict {
                cost: LinkCost::default(),
                fate,
            },
            _ => Verdict::default(),
        }
    }
    fn on_deliver(
        &mut self,
        _now: SimTime,
        _node: NodeId,
        packet: &Packet,
        _actions: &mut Actions,
    ) -> bool {
        self.delivered_origins.push(packet.origin);
        !(self.reject_illegitimate && packet.origin.is_illegitimate())
    }
}

fn periodic_sensor(period_ms: u64, duration_s: u64) -> Model {
    let mut model = sensor_to_sink(
        100,
        SimTime::from_millis(period_ms),
        link("ble", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 20e-9),
        None,
    );
    model.config = config(duration_s, 0);
    model
}

#[test]
fn fates_lose_tamper_and_reject_packets_as_the_hooks_decide() {
    let model = periodic_sensor(1000, 100);
    let baseline = Simulation::new(&model, 3, ()).unwrap().run();
    assert_eq!(baseline.scalar("delivered"), Some(100.0));
    let run = |fate| {
        let hooks = Script {
            fate_on: Some((LinkId(0), fate)),
            reject_illegitimate: true,
            ..Script::default()
        };
        Simulation::new(&model, 3, hooks).unwrap().run()
    };
    let jammed = run(Fate::Jammed);
    assert_eq!(jammed.scalar("lost_attack"), Some(100.0));
    // Jammed frames were sent: the sensor paid its radio; withheld ones were not.
    assert!(jammed.scalar("sensor_radio_tx_j").unwrap() > 0.0);
    let withheld = run(Fate::Withheld);
    assert_eq!(withheld.scalar("lost_attack"), Some(100.0));
    assert_eq!(withheld.scalar("sensor_radio_tx_j"), Some(0.0));
    // Tampered packets fail the receiver's check and count as rejected own traffic.
    let tampered = run(Fate::Tamper);
    assert_eq!(tampered.scalar("lost_rejected"), Some(100.0));
    assert_eq!(tampered.scalar("delivered"), Some(0.0));
    // A 1 s sensor silenced for 100 s leaves its sink 98 s without data (2 s of grace).
    let dark = tampered.scalar("monitoring_hours_lost").unwrap() * 3600.0;
    assert!((dark - 98.0).abs() < 1e-6, "{dark}");
    assert_eq!(baseline.scalar("monitoring_hours_lost"), Some(0.0));
}

#[test]
fn injected_packets_load_the_network_but_count_apart() {
    let model = periodic_sensor(1000, 100);
    let forged = Packet {
        created: SimTime::from_secs(50),
        source: SourceId(0),
        dst: NodeId(1),
        size: Bytes(100),
        records: 1,
        class: TrafficClass::Routine,
        kind: PacketKind::Data,
        origin: Origin::Forged,
    };
    let inject = Action::Inject {
        node: NodeId(0),
        packet: forged,
    };
    let run = |reject| {
        let hooks = Script {
            at: vec![
                (SimTime::from_secs(50), inject),
                (SimTime::from_secs(60), inject),
            ],
            reject_illegitimate: reject,
            ..Script::default()
        };
        let mut sim = Simulation::new(&model, 3, hooks).unwrap();
        sim.run_to_end();
        assert_eq!(
            sim.generated(),
            sim.delivered() + sim.lost() + sim.in_flight()
        );
        let origins = sim.hooks().delivered_origins.clone();
        (sim.finish(), origins)
    };
    let (accepted, origins) = run(false);
    assert_eq!(accepted.scalar("delivered"), Some(100.0));
    assert_eq!(accepted.scalar("generated"), Some(100.0));
    assert_eq!(accepted.scalar("extra_packets_injected"), Some(2.0));
    assert_eq!(accepted.scalar("extra_packets_accepted"), Some(2.0));
    assert_eq!(origins.iter().filter(|o| **o == Origin::Forged).count(), 2);
    let (rejected, _) = run(true);
    assert_eq!(rejected.scalar("extra_packets_rejected"), Some(2.0));
    assert_eq!(rejected.scalar("delivered"), Some(100.0));
    assert_eq!(rejected.scalar("lost"), Some(0.0));
}

#[test]
fn an_unavailable_node_loses_traffic_until_it_returns() {
    let model = periodic_sensor(1000, 100);
    let hooks = Script {
        at: vec![
            (
                SimTime::from_secs(20),
                Action::SetAvailable {
                    node: NodeId(1),
                    available: false,
                },
            ),
            (
                SimTime::from_secs(50),
                Action::SetAvailable {
                    node: NodeId(1),
                    available: true,
                },
            ),
        ],
        ..Script::default()
    };
    let m = Simulation::new(&model, 5, hooks).unwrap().run();
    // 30 readings fall in the outage (no route to the sink: lost at the sensor).
    assert_eq!(m.scalar("delivered"), Some(70.0));
    assert_eq!(
        m.scalar("lost_no_route").unwrap() + m.scalar("lost_unavailable").unwrap(),
        30.0
    );
    // The gap is 31 periods between the last reading before and the first after: 29 s dark.
    let dark = m.scalar("monitoring_hours_lost").unwrap() * 3600.0;
    assert!((dark - 29.0).abs() < 1e-6, "{dark}");
}

#[test]
fn route_overrides_attract_and_disable_links() {
    // A sensor with two paths to the sink: direct (fast) and through a relay (slow).
    let mut topology = Topology::new();
    let s = node(&mut topology, "sensor", Layer::Sensing, device(None));
    let r = node(&mut topology, "relay", Layer::Network, device(None));
    let k = node(&mut topology, "sink", Layer::Cloud, device(None));
    let c = Dist::constant(1e-3).unwrap();
    let direct = topology.add_link(s, k, link("direct", 1e6, c.clone(), 0.0, 0.0));
    let via = topology.add_link(
        s,
        r,
        link("via", 1e6, Dist::constant(0.1).unwrap(), 0.0, 0.0),
    );
    // The relay's uplink is fast, so attracting the first hop makes the relay path shorter.
    topology.add_link(
        r,
        k,
        link("out", 1e9, Dist::constant(1e-4).unwrap(), 0.0, 0.0),
    );
    let mut model = periodic_sensor(1000, 30);
    model.topology = topology;
    model.sources[0].node = s;
    model.sources[0].dst = k;
    let hooks = Script {
        at: vec![
            (
                SimTime::from_secs(10),
                Action::Route {
                    link: via,
                    weight: RouteWeight::Attract,
                },
            ),
            (
                SimTime::from_secs(20),
                Action::Route {
                    link: via,
                    weight: RouteWeight::Disabled,
                },
            ),
        ],
        ..Script::default()
    };
    let mut sim = Simulation::new(&model, 1, hooks).unwrap();
    sim.run_to_end();
    let first_hops: Vec<(SimTime, LinkId)> = sim
        .hooks()
        .routes_seen
        .iter()
        .copied()
        .filter(|(_, l)| *l != LinkId(2))
        .collect();
    for (at, l) in first_hops {
        let expect = if at >= SimTime::from_secs(10) && at < SimTime::from_secs(20) {
            via
        } else {
            direct
        };
        assert_eq!(l, expect, "at {at}");
    }
    assert_eq!(sim.finish().scalar("delivered"), Some(30.0));
}

#[test]
fn forced_charges_drain_the_battery() {
    let mut model = periodic_sensor(1000, 100);
    model.topology = {
        let mut t = Topology::new();
        let mut dev = device(None);
        dev.battery = Some(Joules(1.0));
        node(&mut t, "sensor", Layer::Sensing, dev);
        node(&mut t, "sink", Layer::Cloud, device(None));
        t.add_link(
            NodeId(0),
            NodeId(1),
            link("ble", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 0.0),
        );
        t
    };
    let hooks = Script {
        at: (1..=10)
            .map(|k| {
                (
                    SimTime::from_secs(k),
                    Action::Charge {
                        node: NodeId(0),
                        component: Component::RadioRx,
                        energy: Joules(0.25),
                    },
                )
            })
            .collect(),
        ..Script::default()
    };
    let m = Simulation::new(&model, 1, hooks).unwrap().run();
    assert_eq!(m.scalar("first_battery_death_s"), Some(4.0));
    assert_eq!(m.scalar("sensor_radio_rx_j"), Some(1.0));
}

#[test]
fn a_service_cut_short_by_an_outage_does_not_free_a_later_server() {
    // One sensor sending every 100 ms to a sink whose single server takes 50 ms per packet.
    // The sink goes out for 20 ms in the middle of a service and comes back: the interrupted
    // packet is lost, and the stale completion must not release the server that the next
    // packet holds (which would let two packets be served at once).
    let mut model = periodic_sensor(100, 10);
    model.topology = {
        let mut t = Topology::new();
        node(&mut t, "sensor", Layer::Sensing, device(None));
        node(
            &mut t,
            "sink",
            Layer::Cloud,
            device(Some(StationSpec {
                servers: 1,
                service: Dist::constant(0.05).unwrap(),
                buffer: None,
            })),
        );
        t.add_link(
            NodeId(0),
            NodeId(1),
            link("ble", 1e9, Dist::constant(0.0).unwrap(), 0.0, 0.0),
        );
        t
    };
    model.sources[0].arrivals = Arrivals::Periodic {
        period: SimTime::from_millis(100),
        jitter: Dist::constant(0.0).unwrap(),
    };
    // The sends' phase, then a cut 10 ms into the service of the packet sent at 5 s + phase.
    let mut rec = Simulation::new(
        &model,
        1,
        Recorder {
            sends: Vec::new(),
            protect: false,
        },
    )
    .unwrap();
    rec.run_until(SimTime::from_secs(1));
    let phase = rec.hooks().sends[0].0;
    let cut = phase.saturating_add(SimTime::from_millis(5_010));
    let back = cut.saturating_add(SimTime::from_millis(20));
    let hooks = Script {
        at: vec![
            (
                cut,
                Action::SetAvailable {
                    node: NodeId(1),
                    available: false,
                },
            ),
            (
                back,
                Action::SetAvailable {
                    node: NodeId(1),
                    available: true,
                },
            ),
        ],
        ..Script::default()
    };
    let mut sim = Simulation::new(&model, 1, hooks).unwrap();
    sim.run_to_end();
    assert_eq!(
        sim.generated(),
        sim.delivered() + sim.lost() + sim.in_flight()
    );
    let m = sim.finish();
    // Exactly the interrupted packet is lost; every later one waits for nothing (one server,
    // 50 ms of work every 100 ms), so the latency stays 50 ms plus 0.8 µs of serialisation.
    assert_eq!(m.scalar("lost_unavailable"), Some(1.0));
    let latency = m.scalar("latency_ms").unwrap();
    assert!((latency - 50.0008).abs() < 1e-6, "{latency}");
}

/// Records the order in which its timers fire.
struct Timers {
    at: SimTime,
    fired: Vec<u64>,
}

impl Hooks for Timers {
    fn start(&mut self, actions: &mut Actions) {
        for token in 0..3 {
            actions.timer(self.at, token);
        }
    }
    fn on_timer(&mut self, _now: SimTime, token: u64, _actions: &mut Actions) {
        self.fired.push(token);
    }
}

#[test]
fn a_pause_keeps_same_instant_events_in_scheduling_order() {
    // Three timers due at the same instant 5 s: they run in the order they were asked for,
    // whether the run stops just before them or not. No traffic, so the timers are the first
    // events after the pause.
    let mut model = periodic_sensor(1000, 10);
    model.sources.clear();
    let timers = || Timers {
        at: SimTime::from_secs(5),
        fired: Vec::new(),
    };
    let mut straight = Simulation::new(&model, 1, timers()).unwrap();
    straight.run_to_end();
    let mut paused = Simulation::new(&model, 1, timers()).unwrap();
    paused.run_until(SimTime::from_millis(4_999));
    assert!(paused.hooks().fired.is_empty());
    paused.run_until(SimTime::from_millis(4_999));
    paused.run_to_end();
    assert_eq!(straight.hooks().fired, [0, 1, 2]);
    assert_eq!(paused.hooks().fired, [0, 1, 2]);
}
