//! Validation of the engine against closed-form results: M/M/1, M/M/c (Erlang C), a Jackson
//! tandem, Little's law, deterministic link delays, Bernoulli loss, battery arithmetic and packet
//! conservation. Seeds are fixed, so each test is deterministic; tolerances come from the
//! Student-t confidence interval over independent replications, not from a guess.

use super::*;
use crate::rng::replication_seed;
use statrs::distribution::{ContinuousCDF, StudentsT};

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
    model.sources[0].stream_mut().arrivals = Arrivals::Periodic {
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

#[test]
fn a_radio_link_delivers_after_the_airtime_of_payload_and_framing_and_ignores_the_fixed_loss() {
    // 20 B every 5 ms over 802.15.4 at 2 m (SINR ≈ 50 dB: no errors): each packet arrives
    // (20 + 6)·8 / 250 kbit/s = 832 µs after it is sent, and the fixed-loss field (0.5) that a
    // radio link does not use loses nothing.
    use crate::ids::LinkId;
    use crate::phy::technology::IEEE802154;
    use crate::phy::{Dbm, Position};
    use crate::topology::RadioLink;
    let l = link("radio", 250e3, Dist::constant(0.0).unwrap(), 0.5, 0.0);
    let mut model = sensor_to_sink(20, SimTime::from_millis(5), l, None);
    model.config = config(10, 0);
    model.topology.set_radio(
        LinkId(0),
        RadioLink {
            technology: &IEEE802154,
            channel: 0,
            tx_power: [Dbm(0.0); 2],
            ends: [Position::new(0.0, 0.0), Position::new(2.0, 0.0)],
            path_loss: IEEE802154.path_loss,
        },
    );
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    assert_eq!(m.scalar("lost"), Some(0.0));
    assert!(m.latency.count >= 1999);
    assert_eq!(m.latency.histogram.min(), 832);
    assert_eq!(m.latency.histogram.max(), 832);
}

#[test]
fn packets_to_a_node_whose_battery_died_are_lost_to_its_death_not_to_routing() {
    // The sink commands an actuator on a 1 J battery drawing 10 mW: it dies at 100 s, and
    // every command after that is lost because it is dead.
    let mut model = sensor_to_sink(
        100,
        SimTime::from_secs(1),
        link("radio", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 0.0),
        Some(Joules(1.0)),
    );
    model.config = config(300, 0);
    model.topology = {
        let mut t = Topology::new();
        let mut dev = device(None);
        dev.battery = Some(Joules(1.0));
        dev.sleep_power = Watts(1e-2);
        let s = node(&mut t, "pump", Layer::Sensing, dev);
        let k = node(&mut t, "sink", Layer::Cloud, device(None));
        t.add_link(
            s,
            k,
            link("radio", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 0.0),
        );
        t
    };
    let (pump, sink) = (model.sources[0].node, model.sources[0].dst);
    model.sources[0].node = sink;
    model.sources[0].dst = pump;
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    assert_eq!(m.scalar("lost_no_route"), Some(0.0));
    let dead = m.scalar("lost_dead_node").unwrap();
    assert!((dead - 200.0).abs() <= 2.0, "{dead}");
}
