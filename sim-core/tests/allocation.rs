//! The event loop allocates nothing in steady state: once queues, the event slab and the heap
//! have grown to their working size, processing events only reuses memory. Checked with a
//! counting global allocator (per thread, so the test harness's own threads do not interfere).

mod support;

use sim_core::*;
use support::{allocations, sensor_network};

struct Aead;

/// Prices every hop like an AEAD, and every 100 ms injects a flood packet at the hub (from a
/// timer that re-arms itself), so that the action buffers are exercised too.
impl Hooks for Aead {
    type Report = ();

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
                source: SourceId(0).into(),
                dst: NodeId(1),
                size: Bytes(200),
                records: 0,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: Origin::Injected(InjectTag(2)),
                seq: 0,
            },
        });
        actions.timer(now.saturating_add(SimTime::from_millis(100)), token);
    }
}

#[test]
fn steady_state_processing_does_not_allocate() {
    // Every path of the hot loop: sensors, a finite-buffer hub, lossy jittery links, a hook
    // pricing every hop and injecting traffic on a timer, and the time series sampled every
    // second.
    let mut model = sensor_network();
    model.config.time_grid = Some(SimTime::from_secs(1));
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
    let samples = sim.finish().timeseries.times_s.len();
    assert_eq!(samples, 601, "the time series was sampled at every second");
    assert_eq!(during, 0, "{during} allocations while processing events");
}

#[test]
fn radio_links_and_jammers_do_not_allocate_in_steady_state() {
    use sim_core::phy::jammer::{Jammer, JammerKind};
    use sim_core::phy::technology::IEEE802154;
    use sim_core::phy::{Dbm, Position};
    use sim_core::topology::{JammerSite, RadioLink};
    // The same network with the 20 sensor links on one 802.15.4 channel (sensors on a circle
    // of 3 m around the hub) and a random jammer 20 m away: frames on the shared medium, the
    // interference buffer, the frame slab and the jammer's timeline all exercised.
    let mut model = sensor_network();
    for i in 1..=20u32 {
        let a = f64::from(i) * std::f64::consts::TAU / 20.0;
        model.topology.set_radio(
            LinkId(i),
            RadioLink {
                technology: &IEEE802154,
                channel: 0,
                tx_power: [Dbm(0.0); 2],
                ends: [
                    Position::new(3.0 * a.cos(), 3.0 * a.sin()),
                    Position::default(),
                ],
                path_loss: IEEE802154.path_loss,
            },
        );
    }
    model.topology.add_jammer(JammerSite {
        name: "j".into(),
        technology: &IEEE802154,
        jammer: Jammer {
            position: Position::new(20.0, 0.0),
            power: Dbm(0.0),
            channels: 1,
            kind: JammerKind::Random {
                on: Dist::exp(0.05).unwrap(),
                off: Dist::exp(0.05).unwrap(),
            },
        },
        path_loss: IEEE802154.path_loss,
    });
    let mut sim = Simulation::new(&model, 1, Aead).unwrap();
    sim.run_until(SimTime::from_secs(60));
    let before = allocations();
    let generated = sim.generated();
    sim.run_until(SimTime::from_secs(300));
    let during = allocations() - before;
    assert!(sim.generated() - generated > 20_000);
    assert!(sim.delivered() > 0);
    // 80 frames/s of 13.4 ms on one channel: collisions, not the 1 % of the fixed-loss
    // version, dominate the losses.
    assert!(
        sim.lost() * 5 > sim.generated(),
        "{} lost of {}",
        sim.lost(),
        sim.generated()
    );
    // Conservation, with packets on the air counted where they are.
    assert_eq!(
        sim.generated(),
        sim.delivered() + sim.lost() + sim.in_flight()
    );
    assert_eq!(during, 0, "{during} allocations while processing events");
}
