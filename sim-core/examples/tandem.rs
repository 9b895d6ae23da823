//! Peer benchmark: a tandem of two M/M/1 stations (a Jackson network), built with the public
//! sim-core API, for comparison with the same model written in SimPy
//! (`benches/peers/tandem_simpy.py`, driven by `benches/peers/run.sh`).
//!
//! Poisson arrivals at node A (λ = 800/s) destined to node B; A and B are each a single
//! exponential server (μ = 1000/s) with an unbounded FIFO buffer; the A–B link is free
//! (infinite rate, zero latency, no loss, no energy). By Jackson's theorem each station is an
//! independent M/M/1 queue, so the mean sojourn through both is 2 / (μ − λ) = 10 ms.
//!
//! ```text
//! cargo run --release -p sim-core --example tandem -- [duration_s [seed]]
//! ```
//!
//! Defaults: 2000 s simulated (≈ 1.6 M customers), warm-up 10 % of the duration, seed 1.
//! Prints one machine-readable line:
//! `iomtsim mean_sojourn_ms=… customers=… events=… wall_s=…`.

use sim_core::{
    Arrivals, BitsPerSecond, Bytes, DeviceSpec, Dist, Hertz, Joules, Layer, LinkClass, LinkSpec,
    Model, NodeClass, NodeSpec, RunConfig, SimTime, Simulation, SourceSpec, StationSpec,
    StreamSpec, Topology, TrafficClass, Watts,
};
use std::process::ExitCode;
use std::time::Instant;

/// Arrival rate λ, per second.
const LAMBDA: f64 = 800.0;
/// Mean service time 1/μ, in seconds.
const MEAN_SERVICE_S: f64 = 1e-3;

fn station_node(name: &str, layer: Layer) -> NodeSpec {
    NodeSpec::new(
        name.into(),
        NodeClass {
            group: name.into(),
            layer,
            device: DeviceSpec {
                station: Some(StationSpec {
                    servers: 1,
                    service: Dist::exp(MEAN_SERVICE_S).expect("a positive mean"),
                    buffer: None,
                }),
                battery: None,
                sleep_power: Watts(0.0),
                // Mains-powered and unmetered: the clock only matters for cryptographic cycles,
                // of which this model has none.
                cpu_hz: Hertz(1e9),
                energy_per_cycle: Joules(0.0),
            }
            .into(),
        },
    )
}

fn build(duration_s: f64) -> Model {
    let mut topology = Topology::new();
    let a = topology.add_node(station_node("A", Layer::Network));
    let b = topology.add_node(station_node("B", Layer::Cloud));
    topology.add_link(
        a,
        b,
        LinkSpec::new(
            "A-B".into(),
            LinkClass {
                group: "wire".into(),
                rate: BitsPerSecond(f64::INFINITY),
                latency: Dist::constant(0.0)
                    .expect("zero is a valid constant")
                    .into(),
                loss: 0.0,
                tx_energy_per_bit: Joules(0.0),
                rx_energy_per_bit: Joules(0.0),
            },
        ),
    );
    let sources = vec![SourceSpec {
        name: "poisson".into(),
        node: a,
        dst: b,
        stream: StreamSpec {
            arrivals: Arrivals::Poisson { rate_per_s: LAMBDA },
            size: Bytes(100),
            records: 0,
            class: TrafficClass::Routine,
            deadline: None,
            ack: None,
        }
        .into(),
        patient: None,
    }];
    let duration = SimTime::from_secs_f64(duration_s);
    let config = RunConfig {
        duration,
        warmup: SimTime::from_nanos(duration.as_nanos() / 10),
        time_grid: None,
    };
    Model {
        topology,
        sources,
        config,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let duration_s: f64 = match args.first().map(|s| s.parse()) {
        None => 2000.0,
        Some(Ok(d)) if d > 0.0 && f64::is_finite(d) => d,
        Some(_) => {
            eprintln!("usage: tandem [duration_s > 0 [seed]]");
            return ExitCode::from(2);
        }
    };
    let seed: u64 = match args.get(1).map(|s| s.parse()) {
        None => 1,
        Some(Ok(s)) => s,
        Some(Err(_)) => {
            eprintln!("usage: tandem [duration_s > 0 [seed]]");
            return ExitCode::from(2);
        }
    };

    let start = Instant::now();
    let model = build(duration_s);
    let metrics = match Simulation::new(&model, seed, ()) {
        Ok(sim) => sim.run(),
        Err(e) => {
            eprintln!("tandem: {e}");
            return ExitCode::FAILURE;
        }
    };
    let wall_s = start.elapsed().as_secs_f64();

    let mean_ms = metrics.scalar("latency_ms").unwrap_or(f64::NAN);
    println!(
        "iomtsim mean_sojourn_ms={mean_ms:.4} customers={} events={} wall_s={wall_s:.3} \
         duration_s={duration_s} seed={seed} theory_ms={:.4}",
        metrics.latency.count,
        metrics.events,
        2.0 / (1.0 / MEAN_SERVICE_S - LAMBDA) * 1e3,
    );
    ExitCode::SUCCESS
}
