//! The engine's tests, by what they check:
//! - [`closed_form`]: validation against closed-form results (queueing theory, link delays and
//!   loss, battery arithmetic, packet conservation);
//! - [`outputs`]: the metrics that feed the reports (per-segment, per-class and per-group
//!   figures, incidents, the time series);
//! - [`radio_energy`]: radio states, listen schedules, sensor front ends and client modems
//!   against closed forms;
//! - [`medium_access`]: CSMA/CA, BLE connection events and their jammers against closed forms;
//! - [`security_layer`]: what the hooks may ask (fates, injections, outages, route overrides,
//!   charges, timers) and pausing a run.
//!
//! This module holds the small models they share.

use super::*;
use crate::dist::Dist;
use crate::hooks::{Action, Hooks, LinkCost, Transmission, Verdict};
use crate::metrics::RunMetrics;
use crate::topology::{
    DeviceSpec, Layer, LinkClass, LinkSpec, NodeClass, NodeSpec, StationSpec, Topology,
};
use crate::traffic::{Arrivals, SourceSpec, StreamSpec, TrafficClass};
use crate::units::{BitsPerSecond, Bytes, Cycles, Hertz, Watts};

mod age_of_information;
mod closed_form;
mod medium_access;
mod mobility;
mod outputs;
mod radio_energy;
mod security_layer;

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
    topo.add_node(NodeSpec::new(
        name.into(),
        NodeClass {
            group: name.into(),
            layer,
            device: device.into(),
        },
    ))
}

fn link(name: &str, rate: f64, latency: Dist, loss: f64, energy_per_bit: f64) -> LinkSpec {
    LinkSpec::new(
        name.into(),
        LinkClass {
            group: name.into(),
            rate: BitsPerSecond(rate),
            latency: latency.into(),
            loss,
            tx_energy_per_bit: Joules(energy_per_bit),
            rx_energy_per_bit: Joules(energy_per_bit),
        },
    )
}

/// A source of 100-byte routine readings at `rate` per second (Poisson), no deadline, no ACK.
pub(super) fn poisson(name: &str, node: NodeId, dst: NodeId, rate: f64) -> SourceSpec {
    SourceSpec {
        name: name.into(),
        node,
        dst,
        stream: StreamSpec {
            arrivals: Arrivals::Poisson { rate_per_s: rate },
            size: Bytes(100),
            records: 1,
            class: TrafficClass::Routine,
            deadline: None,
            ack: None,
        }
        .into(),
        patient: None,
    }
}

fn config(duration_s: u64, warmup_s: u64) -> RunConfig {
    RunConfig {
        duration: SimTime::from_secs(duration_s),
        warmup: SimTime::from_secs(warmup_s),
        time_grid: None,
    }
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
            stream: StreamSpec {
                arrivals: Arrivals::Periodic {
                    period,
                    jitter: Dist::constant(0.0).unwrap(),
                },
                size: Bytes(size),
                records: 1,
                class: TrafficClass::Routine,
                deadline: Some(SimTime::from_millis(100)),
                ack: None,
            }
            .into(),
            patient: None,
        }],
        topology,
        config: config(100, 0),
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

/// Records every emission; optionally prices each hop like an AEAD would.
struct Recorder {
    sends: Vec<(SimTime, crate::packet::Sender)>,
    protect: bool,
}

impl Hooks for Recorder {
    type Report = ();

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
