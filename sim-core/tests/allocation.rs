//! The event loop allocates nothing in steady state: once queues, the event slab and the heap
//! have grown to their working size, processing events only reuses memory. Checked with a
//! counting global allocator (per thread, so the test harness's own threads do not interfere).

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

struct Aead;

/// Prices every hop like an AEAD, and every 100 ms injects a flood packet at the hub (from a
/// timer that re-arms itself), so that the action buffers are exercised too.
impl Hooks for Aead {
    fn start(&mut self, actions: &mut Actions) {
        actions.timer(SimTime::from_secs(1), 0);
    }
    fn on_transmit(&mut self, tx: &Transmission, _actions: &mut Actions) -> Verdict {
        let cycles = Cycles(u64::from(tx.packet.size.0) * 44);
        LinkCost {
            overhead: Bytes(28),
            sender_cycles: cycles,
            receiver_cycles: cycles,
        }
        .into()
    }
    fn on_timer(&mut self, now: SimTime, token: u64, actions: &mut Actions) {
        actions.push(Action::Inject {
            node: NodeId(0),
            packet: Packet {
                created: now,
                source: SourceId(0),
                dst: NodeId(1),
                size: Bytes(200),
                records: 0,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: Origin::Flood,
            },
        });
        actions.timer(now.saturating_add(SimTime::from_millis(100)), token);
    }
}

#[test]
fn steady_state_processing_does_not_allocate() {
    // Battery sensors → a finite-buffer hub → a multi-server cloud over lossy, jittery links,
    // with a hook pricing every hop: every path of the hot loop is exercised.
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
    for i in 0..20 {
        let s = node(
            &mut topo,
            &format!("s{i}"),
            Layer::Sensing,
            device(None, Some(Joules(5000.0))),
        );
        topo.add_link(s, hub, link(&format!("ble{i}"), 0.01));
        for (stream, arrivals, size, class) in [
            (
                "ecg",
                Arrivals::Periodic {
                    period: SimTime::from_millis(250),
                    jitter: Dist::uniform(0.0, 0.01).unwrap(),
                },
                400,
                TrafficClass::Routine,
            ),
            (
                "alarm",
                Arrivals::Poisson { rate_per_s: 0.5 },
                64,
                TrafficClass::Alarm,
            ),
        ] {
            sources.push(SourceSpec {
                name: format!("s{i}/{stream}"),
                node: s,
                dst: cloud,
                arrivals,
                size: Bytes(size),
                records: 1,
                class,
                deadline: Some(SimTime::from_millis(100)),
                ack: None,
            });
        }
    }
    let model = Model {
        topology: topo,
        sources,
        config: RunConfig {
            duration: SimTime::from_secs(600),
            warmup: SimTime::from_secs(10),
            time_grid: None,
        },
    };
    let probe = allocations();
    let boxed = std::hint::black_box(Box::new(7u64));
    assert_eq!(allocations(), probe + 1, "the counter sees allocations");
    drop(boxed);
    let mut sim = Simulation::new(&model, 1, Aead).unwrap();
    sim.run_until(SimTime::from_secs(60));
    let before = allocations();
    let generated = sim.generated();
    sim.run_until(SimTime::from_secs(600));
    let during = allocations() - before;
    assert!(
        sim.generated() - generated > 40_000,
        "the window processed real traffic"
    );
    assert!(sim.lost() > 0, "losses and drops were exercised");
    assert_eq!(during, 0, "{during} allocations while processing events");
}
