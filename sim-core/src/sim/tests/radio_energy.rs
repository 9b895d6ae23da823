//! Radio states, sensor power and client modems in the engine, against closed forms: a radio
//! listening for the whole run (Castalia's `capacity / (V·I)`), a wake-to-send sensor's frames,
//! a duty-cycled schedule's average, and an LTE transfer followed by silence (promotion +
//! transfer + tail).

use super::*;
use crate::phy::lte::ModemParams;
use crate::phy::radio::{CC2420, NRF52840, RadioState};
use crate::phy::technology::{BLE_1M, IEEE802154};
use crate::phy::{Dbm, PathLoss, Position};
use crate::power_profile::{ListenSchedule, PowerProfile};
use crate::topology::RadioLink;

/// A sensor and a hub 1 m apart on one radio link of `tech`, 0 dBm both ways; the sensor
/// sends 20 bytes every `period` (none if `None`).
fn radio_pair(
    tech: &'static crate::phy::technology::Technology,
    hub_battery: Option<Joules>,
    sensor_listen: ListenSchedule,
    period: Option<SimTime>,
    duration_s: u64,
) -> Model {
    let mut topology = Topology::new();
    let s = node(&mut topology, "sensor", Layer::Sensing, device(None));
    let mut hub_dev = device(None);
    hub_dev.battery = hub_battery;
    let h = node(&mut topology, "hub", Layer::Network, hub_dev);
    let l = topology.add_link(
        s,
        h,
        link("air", tech.bit_rate, Dist::constant(0.0).unwrap(), 0.0, 0.0),
    );
    topology.set_radio(
        l,
        RadioLink {
            technology: tech,
            channel: 0,
            tx_power: [Dbm(0.0); 2],
            ends: [Position::new(0.0, 0.0), Position::new(1.0, 0.0)],
            path_loss: PathLoss::LogDistance {
                reference_loss: crate::phy::Db(40.05),
                reference_distance: 1.0,
                exponent: 3.0,
                shadowing: crate::phy::Db(0.0),
            },
        },
    );
    topology.set_power(
        s,
        PowerProfile {
            listen: sensor_listen,
            ..PowerProfile::default()
        },
    );
    let sources = period
        .map(|period| SourceSpec {
            name: "vitals".into(),
            node: s,
            dst: h,
            stream: StreamSpec {
                arrivals: Arrivals::Periodic {
                    period,
                    jitter: Dist::constant(0.0).unwrap(),
                },
                size: Bytes(20),
                records: 1,
                class: TrafficClass::Routine,
                deadline: None,
                ack: None,
            }
            .into(),
            patient: None,
        })
        .into_iter()
        .collect();
    Model {
        topology,
        sources,
        config: config(duration_s, 0),
    }
}

#[test]
fn a_hub_listening_for_the_whole_run_empties_its_battery_at_capacity_over_v_times_i() {
    // Castalia's closed form: 100 J at 3.3 V × 18.8 mA (CC2420 RX) = 62.04 mW lasts
    // 100 / 0.06204 = 1611.86 s. The hub's sleep draw is 0, so listening is all it spends.
    let model = radio_pair(
        &IEEE802154,
        Some(Joules(100.0)),
        ListenSchedule::Auto,
        None,
        2000,
    );
    let want = 100.0 / (3.3 * 18.8e-3);
    assert!((want - CC2420.lifetime_secs(Joules(100.0), RadioState::Rx, 0.0)).abs() < 1e-9);
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    let died = m.scalar("first_battery_death_s").unwrap();
    assert!(
        (died - want).abs() < 1e-6,
        "died at {died} s, closed form {want} s"
    );
    let hub = m.groups.iter().find(|g| g.name == "hub").unwrap();
    assert!((hub.energy_j[Component::RadioRx as usize] - 100.0).abs() < 1e-6);
    // The sensor (wake-to-send by default, nothing to send) spends nothing.
    let sensor = m.groups.iter().find(|g| g.name == "sensor").unwrap();
    assert_eq!(sensor.energy_j.iter().sum::<f64>(), 0.0);
}

#[test]
fn a_wake_to_send_sensor_pays_airtime_and_two_transitions_per_frame_and_the_hub_nothing() {
    // 20 B + BLE's framing at 1 Mbit/s, every second for 100 s (frames at 0, 1, …, 99 s).
    let model = radio_pair(
        &BLE_1M,
        None,
        ListenSchedule::WakeToSend,
        Some(SimTime::from_secs(1)),
        100,
    );
    let airtime = BLE_1M.airtime_secs(Bytes(20));
    let frame = 3.0 * 6.40e-3 * airtime;
    let wake = 2.0 * 3.0 * NRF52840.transition_ma * 1e-3 * NRF52840.wake_up.as_secs_f64();
    let mut sim = Simulation::new(&model, 1, ()).unwrap();
    sim.run_to_end();
    let frames = sim.delivered() as f64;
    assert_eq!(frames, 100.0);
    let tx = sim.meter(NodeId(0)).spent(Component::RadioTx).0;
    assert!(
        (tx - frames * (frame + wake)).abs() < 1e-12,
        "{tx} J vs {} J",
        frames * (frame + wake)
    );
    // The hub listens continuously at 6.26 mA: receiving costs it nothing more, and the
    // nRF52840's TX current (6.40 mA) never ran on it.
    let m = sim.finish();
    let hub = m.groups.iter().find(|g| g.name == "hub").unwrap();
    assert!((hub.energy_j[Component::RadioRx as usize] - 3.0 * 6.26e-3 * 100.0).abs() < 1e-9);
    assert_eq!(hub.energy_j[Component::RadioTx as usize], 0.0);
}

#[test]
fn a_duty_cycled_radio_draws_its_windows_and_wake_ups_on_average() {
    // Every 30 ms, 400 µs at 6.26 mA plus two 151 µs transitions at 6.26 mA, at 3 V:
    // (0.4 + 0.302) ms × 18.78 mW / 30 ms = 0.4395 mW, for 100 s = 43.95 mJ.
    let duty = ListenSchedule::DutyCycled {
        period: SimTime::from_millis(30),
        window: SimTime::from_micros(400),
    };
    let model = radio_pair(&BLE_1M, None, duty, None, 100);
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    let sensor = m.groups.iter().find(|g| g.name == "sensor").unwrap();
    let want = 3.0 * 6.26e-3 * (400e-6 + 2.0 * 151e-6) / 0.030 * 100.0;
    assert!((sensor.energy_j[Component::RadioRx as usize] - want).abs() < 1e-12);
}

#[test]
fn fixed_loss_links_keep_their_energy_per_bit() {
    // The same sensor on a fixed-loss link: 100 packets of 100 B at 20 nJ/bit, nothing else.
    let model = periodic_sensor(1000, 100);
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    let sensor = m.groups.iter().find(|g| g.name == "sensor").unwrap();
    assert!((sensor.energy_j[Component::RadioTx as usize] - 100.0 * 800.0 * 20e-9).abs() < 1e-12);
    assert_eq!(sensor.energy_j[Component::RadioRx as usize], 0.0);
}

#[test]
fn one_lte_transfer_then_silence_costs_promotion_transfer_and_tail() {
    // A phone sends one 1250 B packet over a 10 Mbit/s LTE link (1 ms on the air), then
    // nothing until the end of the run. Huang et al.'s model: idle throughout, plus above idle
    // the promotion, the transfer at α_u·10 + β, and the 11.576 s tail.
    let p = ModemParams::lte();
    let mut topology = Topology::new();
    let phone = node(&mut topology, "phone", Layer::Network, device(None));
    let core = node(&mut topology, "core", Layer::Cloud, device(None));
    let l = topology.add_link(
        phone,
        core,
        link("lte", 10e6, Dist::constant(0.02).unwrap(), 0.0, 0.0),
    );
    topology.set_client_modem(l, p);
    let mut source = poisson("upload", phone, core, 1.0);
    source.stream_mut().arrivals = Arrivals::Periodic {
        period: SimTime::from_secs(1000),
        jitter: Dist::constant(0.0).unwrap(),
    };
    source.stream_mut().size = Bytes(1250);
    let model = Model {
        topology,
        sources: vec![source],
        config: config(1000, 0),
    };
    let recorder = Recorder {
        sends: Vec::new(),
        protect: false,
    };
    let mut sim = Simulation::new(&model, 1, recorder).unwrap();
    sim.run_to_end();
    // One emission, at a random phase of the period, with its tail inside the run.
    assert_eq!(sim.hooks().sends.len(), 1);
    let sent = sim.hooks().sends[0].0.as_secs_f64();
    assert!(sent + 13.0 < 1000.0, "sent at {sent} s");
    let m = sim.finish();
    let phone_e: [f64; 5] = m
        .groups
        .iter()
        .find(|g| g.name == "phone")
        .unwrap()
        .energy_j;
    let d = 1250.0 * 8.0 / 10e6;
    let idle = p.idle_power.0;
    let active = (p.promotion_power.0 - idle) * p.promotion.as_secs_f64()
        + (p.alpha_up * 10.0 + p.beta.0 - idle) * d;
    let tail = (p.tail_power.0 - idle) * p.tail.as_secs_f64();
    let want = idle * 1000.0 + active + tail;
    let total: f64 = phone_e.iter().sum();
    assert!((total - want).abs() < 1e-9, "{total} J vs {want} J");
    assert!((phone_e[Component::RadioTx as usize] - active).abs() < 1e-12);
    assert!((phone_e[Component::RadioRx as usize] - idle * 1000.0 - tail).abs() < 1e-9);
    // The tail is most of it: 12.1 J of 12.4 J above idle.
    assert!(tail > 0.9 * (active + tail));
    // The core end has no modem and a zero energy per bit.
    let core_e: f64 = m
        .groups
        .iter()
        .find(|g| g.name == "core")
        .unwrap()
        .energy_j
        .iter()
        .sum();
    assert_eq!(core_e, 0.0);
}

#[test]
fn the_front_end_and_mcu_work_draw_while_sampling_and_per_packet() {
    // An ECG front end (0.55 mW), 250 samples/s × 10 µs and 1 ms per packet at 64 MHz ×
    // 0.16 nJ = 10.24 mW: over 100 s with 100 packets, 55 mJ + 2.56 mJ + 1.024 mJ.
    let mut model = periodic_sensor(1000, 100);
    let s = NodeId(0);
    let mut dev = (*model.topology.node(s).device).clone();
    dev.energy_per_cycle = Joules(0.16e-9);
    let mut topology = Topology::new();
    let s2 = node(&mut topology, "sensor", Layer::Sensing, dev);
    let k = node(&mut topology, "sink", Layer::Cloud, device(None));
    topology.add_link(
        s2,
        k,
        link("ble", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 0.0),
    );
    topology.set_power(
        s2,
        PowerProfile {
            front_end: Watts(0.55e-3),
            sample_rate: 250.0,
            mcu_per_sample: SimTime::from_micros(10),
            mcu_per_packet: SimTime::from_millis(1),
            ..PowerProfile::default()
        },
    );
    model.topology = topology;
    let m = Simulation::new(&model, 1, ()).unwrap().run();
    let sensor = m.groups.iter().find(|g| g.name == "sensor").unwrap();
    let active = 64e6 * 0.16e-9;
    let want = 0.55e-3 * 100.0 + 250.0 * 10e-6 * active * 100.0 + 100.0 * 1e-3 * active;
    assert!(
        (sensor.energy_j[Component::Cpu as usize] - want).abs() < 1e-12,
        "{} vs {want}",
        sensor.energy_j[Component::Cpu as usize]
    );
}
