//! Moving nodes and handover in the engine: a hub walking past two access points roams once,
//! pacing between them ping-pongs without hysteresis and not with it, and a roam holds the
//! hub's traffic for the reassociation delay.

use super::*;
use crate::mobility::{Movement, Roaming, RoamingParams, ScriptedPath};
use crate::phy::technology::WIFI_G6;
use crate::phy::{Db, Dbm, Position};
use crate::topology::RadioLink;

/// A hub on a scripted path through `knots` (x at time, s), two Wi-Fi access points at
/// x = 0 and x = 60 m (15 dBm, log-distance n = 3: −70 dBm at 31.4 m), both wired to a
/// sink; the hub sends 100 B to the sink every `period`.
fn corridor(knots: &[(u64, f64)], params: RoamingParams, period: SimTime, secs: u64) -> Model {
    let mut topology = Topology::new();
    let hub = node(&mut topology, "hub", Layer::Network, device(None));
    let aps = [
        node(&mut topology, "ap0", Layer::Network, device(None)),
        node(&mut topology, "ap1", Layer::Network, device(None)),
    ];
    let sink = node(&mut topology, "sink", Layer::Cloud, device(None));
    let start = Position::new(knots[0].1, 0.0);
    let mut links = Vec::new();
    for (k, (&ap, x)) in aps.iter().zip([0.0, 60.0]).enumerate() {
        let l = topology.add_link(
            hub,
            ap,
            link(
                &format!("wifi{k}"),
                6e6,
                Dist::constant(0.0).unwrap(),
                0.0,
                0.0,
            ),
        );
        topology.set_radio(
            l,
            RadioLink {
                technology: &WIFI_G6,
                channel: 0,
                tx_power: [Dbm(15.0); 2],
                ends: [start, Position::new(x, 0.0)],
                path_loss: WIFI_G6.path_loss,
            },
        );
        links.push(l);
        topology.add_link(
            ap,
            sink,
            link(
                &format!("wan{k}"),
                1e9,
                Dist::constant(0.001).unwrap(),
                0.0,
                0.0,
            ),
        );
    }
    let path = knots
        .iter()
        .map(|&(t, x)| (SimTime::from_secs(t), Position::new(x, 0.0)))
        .collect();
    topology.set_movement(hub, Movement::Path(ScriptedPath::new(path).unwrap()));
    topology.add_roaming(Roaming {
        node: hub,
        links,
        params,
    });
    let mut src = poisson("vitals", hub, sink, 1.0);
    src.stream_mut().arrivals = Arrivals::Periodic {
        period,
        jitter: Dist::constant(0.0).unwrap(),
    };
    Model {
        topology,
        sources: vec![src],
        config: config(secs, 0),
    }
}

fn hysteresis(db: f64) -> RoamingParams {
    RoamingParams {
        hysteresis: Db(db),
        ..RoamingParams::default()
    }
}

#[test]
fn a_walk_past_two_access_points_roams_once_and_waits_out_the_reassociation() {
    // 5 m → 55 m at 1 m/s from t = 10 s. With 8 dB it roams at x ≈ 38.9 m (d0/d1 = 10^(8/30));
    // with none, at x = 31.4 m where AP 0 falls below −70 dBm.
    for db in [8.0, 0.0] {
        let model = corridor(
            &[(10, 5.0), (60, 55.0)],
            hysteresis(db),
            SimTime::from_millis(1),
            90,
        );
        let m = Simulation::new(&model, 1, ()).unwrap().run();
        assert_eq!(m.scalar("handovers"), Some(1.0), "hysteresis {db} dB");
        assert!((m.scalar("disconnected_s").unwrap() - 0.1).abs() < 1e-9);
        // Nothing is lost: the traffic of the reassociation waited for it, the packet sent
        // as it began waiting the whole 100 ms (within a 1 ms period), then its 0.165 ms of
        // airtime and the 1 ms wire.
        assert_eq!(m.scalar("lost"), Some(0.0));
        let max = m.latency.quantile_ms(1.0).unwrap();
        assert!((100.1..101.2).contains(&max), "longest latency {max} ms");
    }
    // With 802.11r's fast transition, 50 ms.
    let fast = RoamingParams {
        reassociation: crate::mobility::handover::FAST_TRANSITION_REASSOCIATION,
        ..RoamingParams::default()
    };
    let model = corridor(&[(10, 5.0), (60, 55.0)], fast, SimTime::from_millis(1), 90);
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    assert!((m.scalar("disconnected_s").unwrap() - 0.05).abs() < 1e-9);
    let max = m.latency.quantile_ms(1.0).unwrap();
    assert!((50.1..51.2).contains(&max), "longest latency {max} ms");
    // A hub that stands still never roams and never waits.
    let model = corridor(
        &[(10, 5.0)],
        RoamingParams::default(),
        SimTime::from_millis(1),
        30,
    );
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    assert_eq!(m.scalar("handovers"), Some(0.0));
    assert!(m.latency.quantile_ms(1.0).unwrap() < 1.5);
}

#[test]
fn hysteresis_suppresses_ping_pong_between_two_access_points() {
    // Pacing six times between x = 26 and 37 m (11 m at 1 m/s each way): without hysteresis
    // each crossing of the −70 dBm contour roams, twice per round trip; with 8 dB the other
    // AP is never that much better (it would be from x = 38.9 m on).
    let mut knots = vec![(10, 26.0)];
    for k in 0..6u64 {
        knots.push((21 + 22 * k, 37.0));
        knots.push((32 + 22 * k, 26.0));
    }
    let model = |db| corridor(&knots, hysteresis(db), SimTime::from_secs(1), 200);
    let none = Simulation::new(&model(0.0), 1, ()).unwrap().run();
    let some = Simulation::new(&model(8.0), 1, ()).unwrap().run();
    assert_eq!(none.scalar("handovers"), Some(12.0));
    assert_eq!(some.scalar("handovers"), Some(0.0));
    assert_eq!(some.scalar("disconnected_s"), Some(0.0));
}

#[test]
fn a_static_scenario_reports_no_roaming_scalars() {
    let model = sensor_to_sink(
        100,
        SimTime::from_secs(1),
        link("l", 1e6, Dist::constant(0.0).unwrap(), 0.0, 0.0),
        None,
    );
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    assert_eq!(m.scalar("handovers"), None);
}
