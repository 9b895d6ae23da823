//! Shared by the allocation tests of sim-core and of the attacks crate (included with
//! `#[path]`): a counting global allocator (per thread, so the test harness's own threads do not
//! interfere) and the small sensor network both tests run.

#![allow(dead_code)]

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

pub fn allocations() -> u64 {
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
    t.add_node(NodeSpec::new(
        name.into(),
        NodeClass {
            group: name.into(),
            layer,
            device: device.into(),
        },
    ))
}

fn link(name: &str, loss: f64) -> LinkSpec {
    LinkSpec::new(
        name.into(),
        LinkClass {
            group: name.into(),
            rate: BitsPerSecond(1e6),
            latency: Dist::uniform(1e-3, 3e-2).unwrap().into(),
            loss,
            tx_energy_per_bit: Joules(19.2e-9),
            rx_energy_per_bit: Joules(18.8e-9),
        },
    )
}

/// 20 battery sensors (a 400-byte reading every 250 ms and Poisson alarms each) → a
/// finite-buffer hub → a four-server cloud over lossy, jittery links, for 600 s with a 10 s
/// warm-up. Node 0 is the hub, node 1 the cloud, nodes 2–21 the sensors; link 0 is the WAN,
/// links 1–20 the sensors' radios.
pub fn sensor_network() -> Model {
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
                name: format!("s{i}/{stream}").into(),
                node: s,
                dst: cloud,
                stream: StreamSpec {
                    arrivals,
                    size: Bytes(size),
                    records: 1,
                    class,
                    deadline: Some(SimTime::from_millis(100)),
                    ack: None,
                }
                .into(),
                patient: None,
            });
        }
    }
    Model {
        topology: topo,
        sources,
        config: RunConfig {
            duration: SimTime::from_secs(600),
            warmup: SimTime::from_secs(10),
            time_grid: None,
        },
    }
}
