//! The peer benchmark's scenario (`benches/peers/tandem.yaml`) is the model of
//! `sim-core/examples/tandem.rs` and `benches/peers/tandem_simpy.py`: two M/M/1 stations in
//! series (λ = 800/s, μ = 1000/s) joined by a wire that adds no time, loss or energy, whose
//! mean sojourn is 2 / (μ − λ) = 10 ms by Jackson's theorem.

use super::*;
use sim_core::{Arrivals, Bytes, SimTime};

const TANDEM: &str = include_str!("../../benches/peers/tandem.yaml");

#[test]
fn the_peer_tandem_scenario_is_the_jackson_network_of_the_engine_example() {
    let s = parse(TANDEM, "tandem.yaml").unwrap();
    assert_eq!(s.duration, SimTime::from_secs(2000));
    assert_eq!(s.warmup, SimTime::from_secs(200));
    let b = s.build();
    let topo = &b.model.topology;
    assert_eq!((topo.node_count(), topo.link_count()), (2, 1));
    assert_eq!(b.group_nodes.len(), 2);
    for nodes in &b.group_nodes {
        let st = topo.node(nodes[0]).device.station.as_ref().unwrap();
        assert_eq!((st.servers, st.buffer), (1, None));
        assert!((st.service.mean() - 1e-3).abs() < 1e-15);
    }
    let link = topo.link(b.link_groups[0][0]);
    // A 100 B packet crosses the wire in 0 ns once rounded, with no latency and no loss.
    let crossing = link.rate.serialisation_secs(Bytes(100)) + link.latency.mean();
    assert_eq!(SimTime::from_secs_f64(crossing), SimTime::ZERO);
    assert_eq!(link.loss, 0.0);
    assert_eq!(b.model.sources.len(), 1);
    match b.model.sources[0].stream.arrivals {
        Arrivals::Poisson { rate_per_s } => assert_eq!(rate_per_s, 800.0),
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn a_short_peer_tandem_run_meets_the_jackson_mean() {
    let mut s = parse(TANDEM, "tandem.yaml").unwrap();
    // 200 s (≈ 160 000 customers, 144 000 measured). Successive sojourns are correlated: at
    // ρ = 0.8 one station's sample mean has an asymptotic variance of
    // ρ(2 + 5ρ − 4ρ² + ρ³) / (μ²(1 − ρ)⁴) ≈ (44 ms)² per customer (Daley 1968), so the mean
    // through both has a standard error of about 0.17 ms here; a wire or station that added
    // 1 ms would put it at 11 ms.
    s.duration = SimTime::from_secs(200);
    s.warmup = SimTime::from_secs(20);
    s.time_grid = SimTime::from_secs(10);
    let m = s.build().replication(0).unwrap().run();
    let mean_ms = m.scalar("latency_ms").unwrap();
    assert!((mean_ms - 10.0).abs() < 0.5, "{mean_ms} ms against 10 ms");
    // Poisson arrivals over the 180 s measured: 144 000 ± 380 (one standard deviation).
    let delivered = m.scalar("delivered").unwrap();
    let expected = 800.0 * 180.0_f64;
    assert!(
        (delivered - expected).abs() < 4.0 * expected.sqrt(),
        "{delivered}"
    );
}
