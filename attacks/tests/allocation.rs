//! The security layer keeps the event loop allocation-free: with attacks striking every packet
//! (eavesdropping, jamming, alteration, replay, traffic analysis), forging and flooding on
//! timers, and defenses pricing and checking every hop, steady-state processing allocates
//! nothing once buffers, slots and token buckets have grown. Checked with a counting global
//! allocator (per thread).

use attacks::catalogue::{self, AttackKind, DefenseKind};
use attacks::{AttackSpec, CipherCost, DefenseSpec, SecuritySpec};
use sim_core::*;
#[path = "../../sim-core/tests/support/mod.rs"]
mod support;

use support::{allocations, sensor_network};

fn attack(kind: AttackKind, name: &str) -> AttackSpec {
    AttackSpec::new(kind, name)
}

fn defense(kind: DefenseKind) -> DefenseSpec {
    DefenseSpec {
        cipher: Some(CipherCost {
            cycles_per_byte: 43.6,
            cycles_per_message: 0,
            overhead: Bytes(28),
        }),
        encrypts: true,
        ..DefenseSpec::new(kind, catalogue::defense(kind).name)
    }
}

#[test]
fn steady_state_processing_with_attacks_and_defenses_does_not_allocate() {
    // The shared sensor network: hub node 0, cloud node 1, sensors 2–21 on radio links 1–20.
    let model = sensor_network();
    let (hub, cloud) = (NodeId(0), NodeId(1));
    let sensors: Vec<NodeId> = (2..22).map(NodeId).collect();
    let ble: Vec<LinkId> = (1..=20).map(LinkId).collect();
    let with = |mut a: AttackSpec, k: &str, v: f64| {
        assert!(a.params.set(k, v));
        a
    };
    let spec = SecuritySpec {
        attacks: vec![
            AttackSpec {
                links: ble.clone(),
                ..attack(AttackKind::Eavesdrop, "sniff")
            },
            AttackSpec {
                links: ble.clone(),
                ..with(attack(AttackKind::Jamming, "jam"), "duty_cycle", 0.05)
            },
            AttackSpec {
                links: vec![LinkId(0)],
                ..attack(AttackKind::Mitm, "mitm")
            },
            AttackSpec {
                links: ble.clone(),
                ..with(attack(AttackKind::Replay, "replay"), "delay", 5.0)
            },
            AttackSpec {
                links: ble.clone(),
                ..attack(AttackKind::TrafficAnalysis, "watch")
            },
            AttackSpec {
                targets: sensors.clone(),
                ..with(attack(AttackKind::Spoofing, "spoof"), "rate", 5.0)
            },
            AttackSpec {
                from: vec![hub],
                targets: vec![cloud],
                ..with(attack(AttackKind::Flood, "flood"), "rate", 50.0)
            },
        ],
        defenses: vec![
            DefenseSpec {
                links: vec![LinkId(0)],
                ..defense(DefenseKind::LinkEncryption)
            },
            DefenseSpec {
                targets: sensors[..10].to_vec(),
                ..defense(DefenseKind::EndToEndEncryption)
            },
            DefenseSpec {
                targets: sensors.clone(),
                ..defense(DefenseKind::Freshness)
            },
            DefenseSpec {
                targets: vec![cloud],
                ..defense(DefenseKind::RateLimit)
            },
        ],
        ..SecuritySpec::default()
    };
    let probe = allocations();
    let boxed = std::hint::black_box(Box::new(7u64));
    assert_eq!(allocations(), probe + 1, "the counter sees allocations");
    drop(boxed);
    let hooks = spec.instantiate(&model, 1);
    let mut sim = Simulation::new(&model, 1, hooks).unwrap();
    sim.run_until(SimTime::from_secs(60));
    let before = allocations();
    let generated = sim.generated();
    sim.run_until(SimTime::from_secs(600));
    let during = allocations() - before;
    assert!(
        sim.generated() - generated > 40_000,
        "real traffic was processed"
    );
    let m = sim.finish();
    for metric in [
        "records_exposed",
        "lost_attack",
        "extra_packets_injected",
        "events_inferred",
    ] {
        assert!(m.scalar(metric).unwrap() > 0.0, "{metric} was exercised");
    }
    assert_eq!(during, 0, "{during} allocations while processing events");
}
