//! What the security layer may ask of the engine and how it is applied: fates, injected
//! traffic, nodes taken out and brought back, route overrides, forced charges and timers; and
//! a run paused and resumed.

use super::*;
use crate::hooks::{Fate, RouteWeight};
use crate::ids::LinkId;
use crate::packet::InjectTag;

/// What this file's hooks mark their forged packets with.
const FORGED: Origin = Origin::Injected(InjectTag(0));

/// A scripted security layer: at given instants it asks for given actions; per transmission
/// it returns a fixed fate on one link; at delivery it rejects illegitimate packets if told to.
#[derive(Default)]
struct Script {
    at: Vec<(SimTime, Action)>,
    fate_on: Option<(LinkId, Fate)>,
    reject_illegitimate: bool,
    delivered_origins: Vec<Origin>,
    routes_seen: Vec<(SimTime, LinkId)>,
}

impl Hooks for Script {
    type Report = ();

    fn start(&mut self, actions: &mut Actions) {
        for (i, (at, _)) in self.at.iter().enumerate() {
            actions.timer(*at, i as u64);
        }
    }
    fn on_timer(&mut self, _now: SimTime, token: u64, actions: &mut Actions) {
        actions.push(self.at[token as usize].1);
    }
    fn on_transmit(&mut self, tx: &Transmission, _actions: &mut Actions) -> Verdict {
        self.routes_seen.push((tx.now, tx.link));
        match self.fate_on {
            Some((link, fate)) if link == tx.link => Verdict {
                cost: LinkCost::default(),
                fate,
            },
            _ => Verdict::default(),
        }
    }
    fn on_deliver(
        &mut self,
        _now: SimTime,
        _node: NodeId,
        packet: &Packet,
        _actions: &mut Actions,
    ) -> bool {
        self.delivered_origins.push(packet.origin);
        let illegitimate = matches!(packet.origin, Origin::Tampered | FORGED);
        !(self.reject_illegitimate && illegitimate)
    }
}

/// Withholds and prices every transmission it is asked about, and counts the questions.
struct Withholder {
    asks: bool,
    asked: u64,
}

impl Hooks for Withholder {
    type Report = ();

    fn asks_transmissions(&self) -> bool {
        self.asks
    }
    fn on_transmit(&mut self, _tx: &Transmission, _actions: &mut Actions) -> Verdict {
        self.asked += 1;
        Verdict {
            cost: LinkCost {
                overhead: Bytes(28),
                sender_cycles: Cycles(20_000),
                receiver_cycles: Cycles(20_000),
            },
            fate: Fate::Withheld,
        }
    }
}

#[test]
fn hooks_that_ask_about_no_transmission_are_not_asked_and_every_hop_is_free() {
    let model = periodic_sensor(1000, 100);
    let run = |asks| {
        let mut sim = Simulation::new(&model, 3, Withholder { asks, asked: 0 }).unwrap();
        sim.run_to_end();
        let asked = sim.hooks().asked;
        (sim.finish(), asked)
    };
    // Asked: all 100 packets withheld at the sensor, which sends nothing.
    let (withheld, asked) = run(true);
    assert_eq!(asked, 100);
    assert_eq!(withheld.scalar("lost_attack"), Some(100.0));
    assert_eq!(withheld.scalar("sensor_radio_tx_j"), Some(0.0));
    // Not asked: every packet forwarded at no cost, exactly as with no hooks at all.
    let (free, asked) = run(false);
    assert_eq!(asked, 0);
    let none = Simulation::new(&model, 3, ()).unwrap().run();
    assert_eq!(free.scalar("delivered"), Some(100.0));
    assert_eq!(free.scalars, none.scalars);
}

#[test]
fn fates_lose_tamper_and_reject_packets_as_the_hooks_decide() {
    let model = periodic_sensor(1000, 100);
    let baseline = Simulation::new(&model, 3, ()).unwrap().run();
    assert_eq!(baseline.scalar("delivered"), Some(100.0));
    let run = |fate| {
        let hooks = Script {
            fate_on: Some((LinkId(0), fate)),
            reject_illegitimate: true,
            ..Script::default()
        };
        Simulation::new(&model, 3, hooks).unwrap().run()
    };
    let jammed = run(Fate::Jammed);
    assert_eq!(jammed.scalar("lost_attack"), Some(100.0));
    // Jammed frames were sent: the sensor paid its radio; withheld ones were not.
    assert!(jammed.scalar("sensor_radio_tx_j").unwrap() > 0.0);
    let withheld = run(Fate::Withheld);
    assert_eq!(withheld.scalar("lost_attack"), Some(100.0));
    assert_eq!(withheld.scalar("sensor_radio_tx_j"), Some(0.0));
    // Tampered packets fail the receiver's check and count as rejected own traffic.
    let tampered = run(Fate::Tamper);
    assert_eq!(tampered.scalar("lost_rejected"), Some(100.0));
    assert_eq!(tampered.scalar("delivered"), Some(0.0));
    // A 1 s sensor silenced for 100 s leaves its sink 98 s without data (2 s of grace).
    let dark = tampered.scalar("monitoring_hours_lost").unwrap() * 3600.0;
    assert!((dark - 98.0).abs() < 1e-6, "{dark}");
    assert_eq!(baseline.scalar("monitoring_hours_lost"), Some(0.0));
}

#[test]
fn injected_packets_load_the_network_but_count_apart() {
    let model = periodic_sensor(1000, 100);
    let forged = Packet {
        created: SimTime::from_secs(50),
        source: SourceId(0).into(),
        dst: NodeId(1),
        size: Bytes(100),
        records: 1,
        class: TrafficClass::Routine,
        kind: PacketKind::Data,
        origin: FORGED,
        seq: 0,
    };
    let inject = Action::Inject {
        node: NodeId(0),
        packet: forged,
    };
    let run = |reject| {
        let hooks = Script {
            at: vec![
                (SimTime::from_secs(50), inject),
                (SimTime::from_secs(60), inject),
            ],
            reject_illegitimate: reject,
            ..Script::default()
        };
        let mut sim = Simulation::new(&model, 3, hooks).unwrap();
        sim.run_to_end();
        assert_eq!(
            sim.generated(),
            sim.delivered() + sim.lost() + sim.in_flight()
        );
        let origins = sim.hooks().delivered_origins.clone();
        (sim.finish(), origins)
    };
    let (accepted, origins) = run(false);
    assert_eq!(accepted.scalar("delivered"), Some(100.0));
    assert_eq!(accepted.scalar("generated"), Some(100.0));
    assert_eq!(accepted.scalar("extra_packets_injected"), Some(2.0));
    assert_eq!(accepted.scalar("extra_packets_accepted"), Some(2.0));
    assert_eq!(origins.iter().filter(|o| **o == FORGED).count(), 2);
    let (rejected, _) = run(true);
    assert_eq!(rejected.scalar("extra_packets_rejected"), Some(2.0));
    assert_eq!(rejected.scalar("delivered"), Some(100.0));
    assert_eq!(rejected.scalar("lost"), Some(0.0));
}

#[test]
fn an_unavailable_node_loses_traffic_until_it_returns() {
    let model = periodic_sensor(1000, 100);
    let hooks = Script {
        at: vec![
            (
                SimTime::from_secs(20),
                Action::SetAvailable {
                    node: NodeId(1),
                    available: false,
                },
            ),
            (
                SimTime::from_secs(50),
                Action::SetAvailable {
                    node: NodeId(1),
                    available: true,
                },
            ),
        ],
        ..Script::default()
    };
    let m = Simulation::new(&model, 5, hooks).unwrap().run();
    // 30 readings fall in the outage (no route to the sink: lost at the sensor).
    assert_eq!(m.scalar("delivered"), Some(70.0));
    assert_eq!(
        m.scalar("lost_no_route").unwrap() + m.scalar("lost_unavailable").unwrap(),
        30.0
    );
    // The gap is 31 periods between the last reading before and the first after: 29 s dark.
    let dark = m.scalar("monitoring_hours_lost").unwrap() * 3600.0;
    assert!((dark - 29.0).abs() < 1e-6, "{dark}");
}

#[test]
fn route_overrides_attract_and_disable_links() {
    // A sensor with two paths to the sink: direct (fast) and through a relay (slow).
    let mut topology = Topology::new();
    let s = node(&mut topology, "sensor", Layer::Sensing, device(None));
    let r = node(&mut topology, "relay", Layer::Network, device(None));
    let k = node(&mut topology, "sink", Layer::Cloud, device(None));
    let c = Dist::constant(1e-3).unwrap();
    let direct = topology.add_link(s, k, link("direct", 1e6, c.clone(), 0.0, 0.0));
    let via = topology.add_link(
        s,
        r,
        link("via", 1e6, Dist::constant(0.1).unwrap(), 0.0, 0.0),
    );
    // The relay's uplink is fast, so attracting the first hop makes the relay path shorter.
    topology.add_link(
        r,
        k,
        link("out", 1e9, Dist::constant(1e-4).unwrap(), 0.0, 0.0),
    );
    let mut model = periodic_sensor(1000, 30);
    model.topology = topology;
    model.sources[0].node = s;
    model.sources[0].dst = k;
    let hooks = Script {
        at: vec![
            (
                SimTime::from_secs(10),
                Action::Route {
                    link: via,
                    weight: RouteWeight::Attract,
                },
            ),
            (
                SimTime::from_secs(20),
                Action::Route {
                    link: via,
                    weight: RouteWeight::Disabled,
                },
            ),
        ],
        ..Script::default()
    };
    let mut sim = Simulation::new(&model, 1, hooks).unwrap();
    sim.run_to_end();
    let first_hops: Vec<(SimTime, LinkId)> = sim
        .hooks()
        .routes_seen
        .iter()
        .copied()
        .filter(|(_, l)| *l != LinkId(2))
        .collect();
    for (at, l) in first_hops {
        let expect = if at >= SimTime::from_secs(10) && at < SimTime::from_secs(20) {
            via
        } else {
            direct
        };
        assert_eq!(l, expect, "at {at}");
    }
    assert_eq!(sim.finish().scalar("delivered"), Some(30.0));
}

#[test]
fn forced_charges_drain_the_battery() {
    let mut model = periodic_sensor(1000, 100);
    model.topology = {
        let mut t = Topology::new();
        let mut dev = device(None);
        dev.battery = Some(Joules(1.0));
        node(&mut t, "sensor", Layer::Sensing, dev);
        node(&mut t, "sink", Layer::Cloud, device(None));
        t.add_link(
            NodeId(0),
            NodeId(1),
            link("ble", 1e6, Dist::constant(1e-3).unwrap(), 0.0, 0.0),
        );
        t
    };
    let hooks = Script {
        at: (1..=10)
            .map(|k| {
                (
                    SimTime::from_secs(k),
                    Action::Charge {
                        node: NodeId(0),
                        component: Component::RadioRx,
                        energy: Joules(0.25),
                    },
                )
            })
            .collect(),
        ..Script::default()
    };
    let m = Simulation::new(&model, 1, hooks).unwrap().run();
    assert_eq!(m.scalar("first_battery_death_s"), Some(4.0));
    assert_eq!(m.scalar("sensor_radio_rx_j"), Some(1.0));
}

#[test]
fn a_service_cut_short_by_an_outage_does_not_free_a_later_server() {
    // One sensor sending every 100 ms to a sink whose single server takes 50 ms per packet.
    // The sink goes out for 20 ms in the middle of a service and comes back: the interrupted
    // packet is lost, and the stale completion must not release the server that the next
    // packet holds (which would let two packets be served at once).
    let mut model = periodic_sensor(100, 10);
    model.topology = {
        let mut t = Topology::new();
        node(&mut t, "sensor", Layer::Sensing, device(None));
        node(
            &mut t,
            "sink",
            Layer::Cloud,
            device(Some(StationSpec {
                servers: 1,
                service: Dist::constant(0.05).unwrap(),
                buffer: None,
            })),
        );
        t.add_link(
            NodeId(0),
            NodeId(1),
            link("ble", 1e9, Dist::constant(0.0).unwrap(), 0.0, 0.0),
        );
        t
    };
    model.sources[0].stream_mut().arrivals = Arrivals::Periodic {
        period: SimTime::from_millis(100),
        jitter: Dist::constant(0.0).unwrap(),
    };
    // The sends' phase, then a cut 10 ms into the service of the packet sent at 5 s + phase.
    let mut rec = Simulation::new(
        &model,
        1,
        Recorder {
            sends: Vec::new(),
            protect: false,
        },
    )
    .unwrap();
    rec.run_until(SimTime::from_secs(1));
    let phase = rec.hooks().sends[0].0;
    let cut = phase.saturating_add(SimTime::from_millis(5_010));
    let back = cut.saturating_add(SimTime::from_millis(20));
    let hooks = Script {
        at: vec![
            (
                cut,
                Action::SetAvailable {
                    node: NodeId(1),
                    available: false,
                },
            ),
            (
                back,
                Action::SetAvailable {
                    node: NodeId(1),
                    available: true,
                },
            ),
        ],
        ..Script::default()
    };
    let mut sim = Simulation::new(&model, 1, hooks).unwrap();
    sim.run_to_end();
    assert_eq!(
        sim.generated(),
        sim.delivered() + sim.lost() + sim.in_flight()
    );
    let m = sim.finish();
    // Exactly the interrupted packet is lost; every later one waits for nothing (one server,
    // 50 ms of work every 100 ms), so the latency stays 50 ms plus 0.8 µs of serialisation.
    assert_eq!(m.scalar("lost_unavailable"), Some(1.0));
    let latency = m.scalar("latency_ms").unwrap();
    assert!((latency - 50.0008).abs() < 1e-6, "{latency}");
}

/// Records the order in which its timers fire.
struct Timers {
    at: SimTime,
    fired: Vec<u64>,
}

impl Hooks for Timers {
    type Report = ();

    fn start(&mut self, actions: &mut Actions) {
        for token in 0..3 {
            actions.timer(self.at, token);
        }
    }
    fn on_timer(&mut self, _now: SimTime, token: u64, _actions: &mut Actions) {
        self.fired.push(token);
    }
}

#[test]
fn a_pause_keeps_same_instant_events_in_scheduling_order() {
    // Three timers due at the same instant 5 s: they run in the order they were asked for,
    // whether the run stops just before them or not. No traffic, so the timers are the first
    // events after the pause.
    let mut model = periodic_sensor(1000, 10);
    model.sources.clear();
    let timers = || Timers {
        at: SimTime::from_secs(5),
        fired: Vec::new(),
    };
    let mut straight = Simulation::new(&model, 1, timers()).unwrap();
    straight.run_to_end();
    let mut paused = Simulation::new(&model, 1, timers()).unwrap();
    paused.run_until(SimTime::from_millis(4_999));
    assert!(paused.hooks().fired.is_empty());
    paused.run_until(SimTime::from_millis(4_999));
    paused.run_to_end();
    assert_eq!(straight.hooks().fired, [0, 1, 2]);
    assert_eq!(paused.hooks().fired, [0, 1, 2]);
}

/// Injects a flood packet at the sensor every `every` (if set) and records, per delivered
/// genuine reading, its identity and end-to-end latency.
struct Flooder {
    every: Option<SimTime>,
    delivered: Vec<(u32, SimTime)>,
}

impl Hooks for Flooder {
    type Report = ();

    fn start(&mut self, actions: &mut Actions) {
        if let Some(every) = self.every {
            actions.timer(every, 0);
        }
    }
    fn on_timer(&mut self, now: SimTime, _token: u64, actions: &mut Actions) {
        let Some(every) = self.every else { return };
        actions.push(Action::Inject {
            node: NodeId(0),
            packet: Packet {
                created: now,
                source: SourceId(0).into(),
                dst: NodeId(1),
                size: Bytes(100),
                records: 0,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: Origin::Injected(InjectTag(2)),
                seq: 0,
            },
        });
        actions.timer(now.saturating_add(every), 0);
    }
    fn on_deliver(&mut self, now: SimTime, _n: NodeId, p: &Packet, _a: &mut Actions) -> bool {
        if p.origin == Origin::Genuine {
            self.delivered.push((p.seq, now.saturating_sub(p.created)));
        }
        true
    }
}

#[test]
fn an_injecting_attack_leaves_every_genuine_packet_s_loss_and_delay_draws_where_they_were() {
    // A lossy link (30 %) with an exponential delay and no serialisation, so a reading's
    // latency is its propagation draw alone; flood packets share the link in one variant.
    let mut model = sensor_to_sink(
        100,
        SimTime::from_millis(100),
        link("radio", f64::INFINITY, Dist::exp(5e-3).unwrap(), 0.3, 0.0),
        None,
    );
    model.config = config(200, 0);
    let run = |every: Option<SimTime>| {
        let hooks = Flooder {
            every,
            delivered: Vec::new(),
        };
        let mut sim = Simulation::new(&model, 11, hooks).unwrap();
        sim.run_to_end();
        (sim.hooks().delivered.clone(), sim.finish())
    };
    let (quiet, _) = run(None);
    let (flooded, m) = run(Some(SimTime::from_millis(37)));
    assert!(m.scalar("extra_packets_injected").unwrap() > 5000.0);
    // The same readings lost, the same delays drawn, packet by packet.
    assert!(quiet.len() > 1000);
    assert_eq!(quiet, flooded);
}
