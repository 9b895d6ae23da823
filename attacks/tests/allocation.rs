//! The security layer keeps the event loop allocation-free: with attacks striking every packet
//! (eavesdropping, jamming, alteration, replay, traffic analysis), forging and flooding on
//! timers, and defenses pricing and checking every hop, steady-state processing allocates
//! nothing once buffers, slots and token buckets have grown. Checked with a counting global
//! allocator (per thread).

use attacks::catalogue::{self, AttackKind, DefenseKind, Params};
use attacks::{ActiveWindow, AttackSpec, CipherCost, DefenseSpec, SecuritySpec};
use sim_core::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

fn station(servers: u32, mean: f64, buffer: Option<u32>) -> StationSpec {
    StationSpec {
        servers,
        service: Dist::exp(mean).unwrap(),
        buffer,
    }
}

fn device(station: Option<StationSpec>, battery: Option<Joules>) -> DeviceSpec {
    DeviceSpec {
        station,
        battery,
        sleep_power: Watts(6e-6),
        cpu_hz: Hertz(64e6),
        energy_per_cycle: Joules(0.16e-9),
    }
}

fn node(t: &mut Topology, name: &str, layer: Layer, device: DeviceSpec) -> NodeId {
    t.add_node(NodeSpec {
        name: name.into(),
        group: name.into(),
        layer,
        device,
    })
}

fn link(name: &str, loss: f64) -> LinkSpec {
    LinkSpec {
        name: name.into(),
        group: name.into(),
        rate: BitsPerSecond(1e6),
        latency: Dist::uniform(1e-3, 3e-2).unwrap(),
        loss,
        tx_energy_per_bit: Joules(19.2e-9),
        rx_energy_per_bit: Joules(18.8e-9),
    }
}

fn attack(kind: AttackKind, name: &str) -> AttackSpec {
    AttackSpec {
        name: name.into(),
        kind,
        window: ActiveWindow::ALWAYS,
        params: Params::defaults(catalogue::attack(kind).params),
        links: Vec::new(),
        targets: Vec::new(),
        from: Vec::new(),
        after: None,
        tunnel: None,
    }
}

fn defense(kind: DefenseKind) -> DefenseSpec {
    DefenseSpec {
        name: catalogue::defense(kind).name.into(),
        kind,
        params: Params::defaults(catalogue::defense(kind).params),
        links: Vec::new(),
        targets: Vec::new(),
        cipher: Some(CipherCost {
            cycles_per_byte: 43.6,
            cycles_per_message: 0,
            overhead: Bytes(28),
        }),
        encrypts: true,
    }
}

#[test]
fn steady_state_processing_with_attacks_and_defenses_does_not_allocate() {
    // 20 battery sensors → a finite-buffer hub → a multi-server cloud; the sensors' BLE links
    // are links 1..=20, the WAN link 0.
    let mut topo = Topology::new();
    let hub = node(
        &mut topo,
        "hub",
        Layer::Network,
        device(Some(station(1, 2e-3, Some(16))), None),
    );
    let cloud = node(
        &mut topo,
        "cloud",
        Layer::Cloud,
        device(Some(station(4, 1e-3, None)), None),
    );
    topo.add_link(hub, cloud, link("wan", 0.01));
    let mut sources = Vec::new();
    let mut sensors = Vec::new();
    for i in 0..20 {
        let s = node(
            &mut topo,
            &format!("s{i}"),
            Layer::Sensing,
            device(None, Some(Joules(5000.0))),
        );
        sensors.push(s);
        topo.add_link(s, hub, link(&format!("ble{i}"), 0.01));
        sources.push(SourceSpec {
            name: format!("s{i}/ecg"),
            node: s,
            dst: cloud,
            arrivals: Arrivals::Periodic {
                period: SimTime::from_millis(250),
                jitter: Dist::uniform(0.0, 0.01).unwrap(),
            },
            size: Bytes(400),
            records: 1,
            class: TrafficClass::Routine,
            deadline: Some(SimTime::from_millis(100)),
            ack: None,
        });
        sources.push(SourceSpec {
            name: format!("s{i}/alarm"),
            node: s,
            dst: cloud,
            arrivals: Arrivals::Poisson { rate_per_s: 0.5 },
            size: Bytes(64),
            records: 1,
            class: TrafficClass::Alarm,
            deadline: Some(SimTime::from_millis(100)),
            ack: None,
        });
    }
    let ble: Vec<LinkId> = (1..=20).map(LinkId).collect();
    let model = Model {
        topology: topo,
        sources,
        config: RunConfig {
            duration: SimTime::from_secs(600),
            warmup: SimTime::from_secs(10),
            time_grid: None,
        },
    };
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
