//! Medium access in the engine, against closed forms: 802.15.4 CSMA/CA's mean access delay
//! under light load, a BLE connection's mean wait for its next event, and what jammers do to
//! each (busy CCAs, retries, supervision timeouts, AFH).

use super::*;
use crate::hooks::{Action, Actions};
use crate::ids::{LinkId, SourceId};
use crate::mac::{BleParams, CsmaCaParams, Mac};
use crate::packet::{Origin, Packet};
use crate::phy::jammer::{Jammer, JammerKind};
use crate::phy::technology::{BLE_1M, IEEE802154, Technology};
use crate::phy::{Dbm, PathLoss, Position};
use crate::topology::{JammerSite, RadioLink};

const PL: PathLoss = PathLoss::LogDistance {
    reference_loss: crate::phy::Db(40.05),
    reference_distance: 1.0,
    exponent: 3.0,
    shadowing: crate::phy::Db(0.0),
};

/// A sensor 1 m from its hub on one radio link of `tech` with `mac`, sending 20 bytes as a
/// Poisson stream of `rate` per second for `duration_s`.
fn mac_pair(tech: &'static Technology, mac: Mac, rate: f64, duration_s: u64) -> Model {
    let mut topology = Topology::new();
    let s = node(&mut topology, "sensor", Layer::Sensing, device(None));
    let h = node(&mut topology, "hub", Layer::Network, device(None));
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
            path_loss: PL,
        },
    );
    topology.set_mac(l, mac);
    let mut src = poisson("vitals", s, h, rate);
    src.stream_mut().size = Bytes(20);
    Model {
        topology,
        sources: vec![src],
        config: config(duration_s, 0),
    }
}

fn jam(model: &mut Model, tech: &'static Technology, channels: u64, at: Position) {
    model.topology.add_jammer(JammerSite {
        name: "j".into(),
        technology: tech,
        jammer: Jammer {
            position: at,
            power: Dbm(0.0),
            channels,
            kind: JammerKind::Constant,
        },
        path_loss: PL,
    });
}

#[test]
fn csma_ca_under_light_load_delivers_after_the_closed_form_access_delay_plus_airtime() {
    // One packet every 2 s on average: the channel is always idle, so each access is one
    // backoff U{0…7}·320 µs, a 128 µs CCA and a 192 µs turnaround: 1440 µs on average, then
    // (20 + 6)·8/250 kbit/s = 832 µs of airtime. Backoffs take 8 values: 1120 µs ± 36 µs
    // (σ/√n of U{0..7}·320 over 3000 packets, 4σ).
    let p = CsmaCaParams::default();
    let model = mac_pair(&IEEE802154, Mac::CsmaCa(p), 0.5, 6000);
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    assert_eq!(m.scalar("lost"), Some(0.0));
    let n = m.latency.count as f64;
    assert!(n > 2500.0, "{n}");
    let mean_us = m.latency.mean_ms().unwrap() * 1e3;
    let want = p.mean_idle_access_delay().as_secs_f64() * 1e6 + 832.0;
    let sd = 320.0 * (63.0f64 / 12.0).sqrt();
    assert!(
        (mean_us - want).abs() < 4.0 * sd / n.sqrt() + 1.0,
        "mean latency {mean_us:.1} µs, closed form {want:.1} µs"
    );
    // The smallest: no backoff.
    assert_eq!(m.latency.histogram.min(), 320 + 832);
    // A wider first window (macMinBE = 5) lengthens the mean to 15.5 periods.
    let p5 = CsmaCaParams { min_be: 5, ..p };
    let m5 = Simulation::new(&mac_pair(&IEEE802154, Mac::CsmaCa(p5), 0.5, 2000), 3, ())
        .unwrap()
        .run();
    let want5 = p5.mean_idle_access_delay().as_secs_f64() * 1e6 + 832.0;
    let got5 = m5.latency.mean_ms().unwrap() * 1e3;
    assert!((got5 - want5).abs() < 150.0, "{got5} against {want5}");
}

#[test]
fn a_jammer_over_the_cca_threshold_defers_every_access_until_it_fails() {
    // A constant 0 dBm jammer 3 m from the sensor: −54 dBm there, far above the CCA
    // threshold (−95 + 10 = −85 dBm): every CCA is busy, so every packet is lost to channel
    // access after macMaxCSMABackoffs + 1 = 5 busy CCAs, none on the air.
    let mut model = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 2.0, 200);
    jam(&mut model, &IEEE802154, 1, Position::new(0.0, 3.0));
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    let generated = m.scalar("generated").unwrap();
    let lost = m.scalar("lost_channel_access").unwrap();
    assert!(generated > 300.0);
    assert!(generated - lost <= 1.0, "{lost} of {generated}");
    assert_eq!(m.scalar("lost_radio"), Some(0.0));
    assert_eq!(m.scalar("lost_retries"), Some(0.0));
    // On another channel it is not heard: nothing lost.
    let mut model = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 2.0, 200);
    jam(&mut model, &IEEE802154, 0b10, Position::new(0.0, 3.0));
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    assert_eq!(m.scalar("lost"), Some(0.0));
}

/// An 802.15.4 reactive jammer at `position`: a 500 µs burst as soon as it senses a frame,
/// every time.
fn reactive_jammer(position: Position, power: Dbm) -> JammerSite {
    JammerSite {
        name: "r".into(),
        technology: &IEEE802154,
        jammer: Jammer {
            position,
            power,
            channels: 1,
            kind: JammerKind::Reactive {
                delay: SimTime::ZERO,
                burst: SimTime::from_micros(500),
                probability: 1.0,
            },
        },
        path_loss: PL,
    }
}

#[test]
fn a_reactive_jammer_escapes_carrier_sense_and_costs_retries() {
    // A reactive 10 dBm jammer 1 m from the hub (−30 dBm there against the sensor's −40 dBm:
    // no preamble lock at −10 dB): CCAs find the channel idle (it is silent until a frame
    // starts), then it destroys every frame: 1 + macMaxFrameRetries = 4 transmissions each,
    // then `lost_retries`.
    let mut model = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 2.0, 200);
    model
        .topology
        .add_jammer(reactive_jammer(Position::new(1.0, 1.0), Dbm(10.0)));
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    let generated = m.scalar("generated").unwrap();
    let lost = m.scalar("lost_retries").unwrap();
    assert!(generated - lost <= 1.0, "{lost} of {generated}");
    assert_eq!(m.scalar("lost_channel_access"), Some(0.0));
    // The sender paid four frames' airtime (and wake-ups) per packet: four times the
    // transmit energy of the same packets unjammed.
    let clean = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 2.0, 200);
    let c = Simulation::new(&clean, 3, ()).unwrap().run();
    let ratio = m.scalar("sensor_radio_tx_j").unwrap() / c.scalar("sensor_radio_tx_j").unwrap();
    assert!((ratio - 4.0).abs() < 0.05, "{ratio}");
}

#[test]
fn a_reactive_jammer_by_the_sender_destroys_only_the_acks_and_every_frame_is_resent() {
    // The sensor 4 m from its hub (−58 dBm each way); a reactive −10 dBm jammer 1 m behind
    // the sensor bursts on every frame it senses. At the hub (5 m, −71 dBm) it leaves the
    // data frames 13 dB clear, so each is received the first time; at the sensor (−50 dBm)
    // it buries the hub's ACK 8 dB deep. So every packet is delivered once, yet sent
    // 1 + macMaxFrameRetries = 4 times: four times the transmit energy, none lost. With the
    // ACK taken as received with its frame, the same jammer would cost nothing.
    let far = |model: &mut Model| {
        let l = LinkId(0);
        let r = RadioLink {
            ends: [Position::new(0.0, 0.0), Position::new(4.0, 0.0)],
            ..*model.topology.radio(l).expect("a radio link")
        };
        model.topology.set_radio(l, r);
    };
    let mut model = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 2.0, 200);
    far(&mut model);
    model
        .topology
        .add_jammer(reactive_jammer(Position::new(-1.0, 0.0), Dbm(-10.0)));
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    let generated = m.scalar("generated").unwrap();
    let delivered = m.scalar("delivered").unwrap();
    assert!(generated > 300.0);
    assert!(
        delivered <= generated && generated - delivered <= 1.0,
        "{delivered} of {generated}"
    );
    assert_eq!(m.scalar("lost"), Some(0.0));
    let mut clean = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 2.0, 200);
    far(&mut clean);
    let c = Simulation::new(&clean, 3, ()).unwrap().run();
    let ratio = m.scalar("sensor_radio_tx_j").unwrap() / c.scalar("sensor_radio_tx_j").unwrap();
    assert!((ratio - 4.0).abs() < 0.05, "{ratio}");
}

#[test]
fn ble_data_waits_half_an_interval_plus_the_event_overhead_on_average() {
    // Poisson arrivals, interval T = 100 ms, no loss: wait U(0, T) for the next event, then
    // the central's empty PDU and T_IFS (230 µs), then (20 + 10)·8 µs = 240 µs of airtime.
    // Mean T/2 + 230 + 240 µs; σ of U(0, T) = 28.9 ms. A packet arriving while another
    // waits for the same event follows it in that event (about 0.7 ms later, 1 in 10).
    let p = BleParams {
        interval: SimTime::from_millis(100),
        ..BleParams::default()
    };
    let model = mac_pair(&BLE_1M, Mac::Ble(p), 1.0, 8000);
    let m = Simulation::new(&model, 5, ()).unwrap().run();
    assert_eq!(m.scalar("lost"), Some(0.0));
    let n = m.latency.count as f64;
    let mean_ms = m.latency.mean_ms().unwrap();
    let want = 50.0 + 0.230 + 0.240;
    let sd = 100.0 / 12f64.sqrt();
    assert!(
        (mean_ms - want).abs() < 4.0 * sd / n.sqrt() + 0.1,
        "mean {mean_ms:.3} ms, want {want:.3} ms over {n} packets"
    );
    // Never less than the overhead, never more than T plus it.
    assert!(m.latency.histogram.min() >= 470);
    assert!(m.latency.histogram.max() <= 100_470 + 2_000);
}

#[test]
fn a_ble_connection_under_a_full_band_jammer_drops_at_its_supervision_timeout() {
    // A jammer on all 37 data channels at the hub: no frame gets through, the link layer
    // resends at every event until no event has succeeded for the supervision timeout, then
    // the connection drops with its packets and reconnects a second later.
    let p = BleParams {
        interval: SimTime::from_millis(50),
        supervision_timeout: SimTime::from_secs(2),
        ..BleParams::default()
    };
    let mut model = mac_pair(&BLE_1M, Mac::Ble(p), 1.0, 600);
    jam(&mut model, &BLE_1M, (1 << 37) - 1, Position::new(1.0, 0.2));
    let m = Simulation::new(&model, 5, ()).unwrap().run();
    let generated = m.scalar("generated").unwrap();
    assert_eq!(m.scalar("delivered"), Some(0.0));
    assert!(m.scalar("lost_retries").unwrap() >= generated - 10.0);
    // The supervision timer restarts at each reconnection, and no event succeeds after it:
    // the connection drops 2 s later and is back 1 s after that, a 3 s cycle: 600 / 3 = 200
    // drops, fewer only when no packet came during a whole cycle (e^−3 of them; the
    // supervision is judged at the events that carry data).
    let drops = m.scalar("ble_disconnections").unwrap();
    assert!((175.0..=200.0).contains(&drops), "{drops}");
}

#[test]
fn afh_drops_the_channels_a_narrowband_jammer_holds_and_delivery_recovers() {
    // A jammer on 10 of the 37 channels (a Wi-Fi channel's width) next to the hub: without
    // AFH about 10/37 of first transmissions fail (and are resent at the next event); with
    // AFH the map drops those channels after two failures each and later frames avoid them.
    let base = BleParams {
        interval: SimTime::from_millis(30),
        ..BleParams::default()
    };
    let run = |afh: bool| {
        let mut model = mac_pair(&BLE_1M, Mac::Ble(BleParams { afh, ..base }), 5.0, 600);
        jam(&mut model, &BLE_1M, 0x3ff << 10, Position::new(1.0, 0.2));
        let m = Simulation::new(&model, 5, ()).unwrap().run();
        (m.scalar("lost").unwrap(), m.latency.mean_ms().unwrap())
    };
    let (lost_plain, wait_plain) = run(false);
    let (lost_afh, wait_afh) = run(true);
    assert_eq!((lost_plain, lost_afh), (0.0, 0.0));
    // Without AFH a retry costs one interval with probability ≈ 10/37 per attempt: the mean
    // wait grows by about T·q/(1 − q) = 30 × 0.37 = 11 ms; with AFH by almost nothing.
    assert!(wait_plain > 15.0 + 8.0, "{wait_plain}");
    assert!(wait_afh < 15.0 + 1.5, "{wait_afh}");
}

#[test]
fn saturated_wifi_stations_in_the_engine_share_the_channel_as_bianchi_predicts() {
    // Five 802.11g stations (wifi_g6, 6 Mbit/s OFDM) 2 m around an access point, each offered
    // far more 1500-byte packets than the channel carries: always backlogged. Frames that
    // start together arrive at equal power (SIR 0 dB, below the 4 dB lock threshold) and are
    // both lost; the rest get through. The delivered payload rate matches Bianchi's fixed
    // point for the 11g DCF (σ = 9 µs, SIFS 10 µs, DIFS 28 µs, W = 16, m = 6) with
    // T_s = T_data + SIFS + T_ack + DIFS and T_c = T_data + DIFS, within 3 %.
    use crate::mac::WifiStandard;
    use crate::phy::technology::WIFI_G6;
    let n = 5u32;
    let ack = SimTime::from_secs_f64(WIFI_G6.airtime_secs(Bytes(14)));
    let p = WifiStandard::G.params(ack);
    let around: Vec<Position> = (0..n)
        .map(|k| {
            let angle = f64::from(k) * std::f64::consts::TAU / f64::from(n);
            Position::new(2.0 * angle.cos(), 2.0 * angle.sin())
        })
        .collect();
    let model = wifi_cell(&around, Position::new(0.0, 0.0), Layer::Network, 1000.0, 8);
    let m = Simulation::new(&model, 7, ()).unwrap().run();
    // Every packet counts from t = 0 (queues fill within the first milliseconds); the
    // deliveries over the 8 s give the rate.
    let delivered = m.scalar("delivered").unwrap();
    let got = delivered * 1500.0 * 8.0 / 8.0;
    let t_data = WIFI_G6.airtime_secs(Bytes(1500));
    let (sigma, sifs, difs) = (
        p.slot.as_secs_f64(),
        p.sifs.as_secs_f64(),
        p.difs.as_secs_f64(),
    );
    let ts = t_data + sifs + ack.as_secs_f64() + difs;
    let tc = t_data + difs;
    let m_stages = ((p.cw_max + 1) / (p.cw_min + 1)).ilog2() as i32;
    let want = crate::mac::dcf::bianchi::throughput(
        n,
        f64::from(p.cw_min + 1),
        m_stages,
        sigma,
        ts,
        tc,
        1500.0 * 8.0,
    );
    assert!(
        (got / want - 1.0).abs() < 0.03,
        "engine {got:.0} bit/s, Bianchi {want:.0} bit/s"
    );
}

/// 802.11g stations (wifi_g6, 6 Mbit/s, 15 dBm, DCF) of `layer` at `stations`, each sending
/// 1500-byte packets to an access point at `ap_at` as a Poisson stream of `rate` per second,
/// for `duration_s`.
fn wifi_cell(
    stations: &[Position],
    ap_at: Position,
    layer: Layer,
    rate: f64,
    duration_s: u64,
) -> Model {
    use crate::mac::WifiStandard;
    use crate::phy::technology::WIFI_G6;
    let ack = SimTime::from_secs_f64(WIFI_G6.airtime_secs(Bytes(14)));
    let p = WifiStandard::G.params(ack);
    let mut topology = Topology::new();
    let ap = node(&mut topology, "ap", Layer::Network, device(None));
    let mut sources = Vec::new();
    for (k, &at) in stations.iter().enumerate() {
        let s = node(&mut topology, &format!("sta{k}"), layer, device(None));
        let l = topology.add_link(
            s,
            ap,
            link(
                &format!("w{k}"),
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
                ends: [at, ap_at],
                path_loss: PL,
            },
        );
        topology.set_mac(l, Mac::Dcf(p));
        let mut src = poisson(&format!("flow{k}"), s, ap, rate);
        src.stream_mut().size = Bytes(1500);
        sources.push(src);
    }
    Model {
        topology,
        sources,
        config: config(duration_s, 0),
    }
}

/// Two stations at `a` and `c` sending to an access point at `(50, 0)` (body sensors, so their
/// transmit energy is reported).
fn hidden_layout(a: Position, c: Position, rate: f64, duration_s: u64) -> Model {
    wifi_cell(
        &[a, c],
        Position::new(50.0, 0.0),
        Layer::Sensing,
        rate,
        duration_s,
    )
}

#[test]
fn hidden_stations_collide_far_more_than_stations_that_sense_each_other() {
    // The classic three-node layout: A at (0, 0) and C at (100, 0) both reach the access
    // point B at (50, 0) at −76 dBm, but each other only at −85 dBm, below the −82 dBm
    // carrier-sense floor: neither defers to the other, and a frame of one (2.1 ms) is
    // destroyed at B by any frame of the other that starts while it is on the air. With C
    // moved to (50, 50) (still 50 m from B, −80 dBm from A) they sense each other and
    // collide only when their counters expire in the same slot. Same load, same draws: the
    // hidden pair sends many more frames per packet and delivers later.
    let a = Position::new(0.0, 0.0);
    let hidden = hidden_layout(a, Position::new(100.0, 0.0), 60.0, 20);
    let sensing = hidden_layout(a, Position::new(50.0, 50.0), 60.0, 20);
    let h = Simulation::new(&hidden, 5, ()).unwrap().run();
    let s = Simulation::new(&sensing, 5, ()).unwrap().run();
    let tx = |m: &RunMetrics<()>| {
        m.scalar("sensor_radio_tx_j").unwrap() / m.scalar("delivered").unwrap()
    };
    let (th, ts) = (tx(&h), tx(&s));
    assert!(
        th > 2.0 * ts,
        "transmit energy per delivered packet {th} against {ts}"
    );
    // Sensing stations lose nothing to retries; hidden ones exhaust 7 attempts often.
    assert_eq!(s.scalar("lost_retries"), Some(0.0));
    let generated = h.scalar("generated").unwrap();
    assert!(h.scalar("lost_retries").unwrap() > 0.1 * generated);
    let (lh, ls) = (h.latency.mean_ms().unwrap(), s.latency.mean_ms().unwrap());
    assert!(lh > 5.0 * ls, "mean latency {lh} ms against {ls} ms");
}

/// With a MAC the run reports every declared engine metric, the MAC's included, in their
/// declared order.
#[test]
fn a_run_with_a_mac_reports_every_declared_engine_metric_in_order() {
    let model = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 0.5, 20);
    let m = Simulation::new(&model, 3, ()).unwrap().run();
    let names: Vec<&str> = m.scalars.iter().map(|s| s.0).collect();
    let declared: Vec<&str> = crate::metrics::engine::RUN
        .iter()
        .filter(|d| d.when != crate::metrics::When::SomeClientRoams)
        .map(|d| d.id)
        .collect();
    assert_eq!(names, declared);
}

/// Sends an attacker's copy of a 20-byte packet over link 0's air to the hub every `every`.
struct Replayer {
    every: Option<SimTime>,
    refused: bool,
}

impl Hooks for Replayer {
    type Report = ();

    fn start(&mut self, actions: &mut Actions) {
        if let Some(every) = self.every {
            actions.timer(every, 0);
        }
    }
    fn on_timer(&mut self, now: SimTime, _token: u64, actions: &mut Actions) {
        let Some(every) = self.every else { return };
        actions.push(Action::Air {
            link: LinkId(0),
            to: NodeId(1),
            packet: Packet {
                created: now,
                source: SourceId(0).into(),
                dst: NodeId(1),
                size: Bytes(20),
                records: 1,
                class: TrafficClass::Routine,
                kind: crate::packet::PacketKind::Data,
                origin: Origin::Injected(crate::packet::InjectTag(1)),
                seq: 0,
            },
            refused: self.refused,
        });
        actions.timer(now.saturating_add(every), 0);
    }
}

#[test]
fn an_attacker_s_copies_occupy_the_link_s_air_and_collide_with_its_frames() {
    // An 802.15.4 link without carrier-sense luck: the sensor sends 20 bytes 5 times a second
    // with CSMA/CA; an attacker next to it sends a 20-byte copy to the hub every 10 ms
    // (refused or not). Each copy is 26 bytes on the air, 832 µs.
    let model = mac_pair(&IEEE802154, Mac::CsmaCa(CsmaCaParams::default()), 5.0, 200);
    let run = |every: Option<SimTime>, refused: bool| {
        let mut sim = Simulation::new(&model, 5, Replayer { every, refused }).unwrap();
        sim.run_to_end();
        let air = sim.links.airtime(LinkId(0));
        (air, sim.finish())
    };
    let (quiet_air, quiet) = run(None, false);
    let (busy_air, busy) = run(Some(SimTime::from_millis(10)), false);
    let (refused_air, refused) = run(Some(SimTime::from_millis(10)), true);
    // 20 000 copies × 832 µs = 16.6 s more air than the link's own frames.
    let copies = 200.0 / 0.01;
    let extra = (busy_air.as_secs_f64() - quiet_air.as_secs_f64()) / copies;
    assert!((extra - 832e-6).abs() < 40e-6, "{extra} s per copy");
    let extra_refused = (refused_air.as_secs_f64() - quiet_air.as_secs_f64()) / copies;
    assert!((extra_refused - 832e-6).abs() < 40e-6, "{extra_refused}");
    // Received copies enter the network; refused ones are lost as rejected after reception.
    assert!(busy.scalar("extra_packets_injected").unwrap() > 0.9 * copies);
    assert_eq!(refused.scalar("extra_packets_accepted"), Some(0.0));
    assert!(refused.scalar("extra_packets_rejected").unwrap() > 0.9 * copies);
    // Some of the sensor's own frames now meet a copy and are sent again (8 % of the air is
    // the attacker's): carrier sense defers to copies already on the air, and retries
    // recover what collides, at the cost of more attempts and latency.
    let wait = |m: &RunMetrics<()>| m.latency.mean_ms().unwrap();
    assert!(
        wait(&busy) > wait(&quiet),
        "{} vs {}",
        wait(&busy),
        wait(&quiet)
    );
    assert_eq!(quiet.scalar("lost_retries"), Some(0.0));
}
