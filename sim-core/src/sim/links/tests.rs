use super::*;
use crate::dist::Dist;
use crate::topology::{Layer, LinkClass, NodeSpec};
use crate::units::{BitsPerSecond, Joules};

fn two_nodes(loss: f64) -> (Topology, LinkSpec) {
    let mut topo = Topology::new();
    for name in ["a", "b"] {
        topo.add_node(NodeSpec::plain(name, name, Layer::Network));
    }
    let spec = LinkSpec::new(
        "ab".into(),
        LinkClass {
            group: "ab".into(),
            rate: BitsPerSecond(1e6),
            latency: Dist::constant(0.002).unwrap().into(),
            loss,
            tx_energy_per_bit: Joules(0.0),
            rx_energy_per_bit: Joules(0.0),
        },
    );
    topo.add_link(NodeId(0), NodeId(1), spec.clone());
    (topo, spec)
}

#[test]
fn each_direction_is_its_own_fifo_transmitter() {
    let (topo, _) = two_nodes(0.0);
    let mut links = Links::new(&topo, 1);
    let (l, ms) = (LinkId(0), SimTime::from_millis);
    assert_eq!(links.occupy(l, NodeId(0), ms(0), ms(10)), ms(10));
    // Same direction: waits for the first packet's last bit.
    assert_eq!(links.occupy(l, NodeId(0), ms(5), ms(10)), ms(20));
    // The other direction is free.
    assert_eq!(links.occupy(l, NodeId(1), ms(5), ms(10)), ms(15));
    // A packet ready after the transmitter is free starts when ready.
    assert_eq!(links.occupy(l, NodeId(0), ms(30), ms(1)), ms(31));
}

#[test]
fn the_channel_loses_with_its_probability_or_adds_its_delay() {
    let (topo, spec) = two_nodes(0.25);
    let mut links = Links::new(&topo, 7);
    let crossings: Vec<_> = (0..40_000)
        .map(|_| links.cross(LinkId(0), &spec, || None))
        .collect();
    let lost = crossings.iter().filter(|c| c.is_none()).count() as f64 / 40_000.0;
    // σ = √(p(1−p)/n) ≈ 0.0022; allow 4σ.
    assert!((lost - 0.25).abs() < 0.009, "{lost}");
    assert!(
        crossings
            .iter()
            .flatten()
            .all(|&d| d == SimTime::from_millis(2))
    );
}

#[test]
fn a_crossing_with_nothing_random_derives_and_draws_nothing() {
    let (topo, wire) = two_nodes(0.0);
    let mut links = Links::new(&topo, 7);
    let mut fresh = Links::new(&topo, 7);
    for _ in 0..10 {
        let crossed = links.cross(LinkId(0), &wire, || panic!("a generator was derived"));
        assert_eq!(crossed, Some(SimTime::from_millis(2)));
    }
    // The link's own stream did not move either: its next number is its first.
    let next: u64 = links.rngs[0].random();
    assert_eq!(next, fresh.rngs[0].random::<u64>());
    // With a loss to draw, the packet's generator is asked for.
    let (_, lossy) = two_nodes(0.5);
    let mut asked = false;
    links.cross(LinkId(0), &lossy, || {
        asked = true;
        None
    });
    assert!(asked);
}

pub(in crate::sim::links) mod radio {
    use super::super::*;
    use crate::dist::Dist;
    use crate::hooks::Fate;
    use crate::ids::SourceId;
    use crate::packet::{Origin, PacketKind};
    use crate::phy::error_model::sinr_for_success;
    use crate::phy::technology::{IEEE802154, Technology};
    use crate::phy::{PathLoss, Position};
    use crate::topology::LinkClass;
    use crate::topology::{Layer, NodeSpec};
    use crate::traffic::TrafficClass;
    use crate::units::{BitsPerSecond, Bytes, Hertz, Joules};

    /// 802.15.4 with its sensitivity out of the way, so that the share delivered follows
    /// the error model down to low SINR.
    static DEEP: Technology = Technology {
        sensitivity: Dbm(-130.0),
        ..IEEE802154
    };
    /// Log-distance, n = 3, PL(1 m) = 40.05 dB, no shadowing.
    const PL: PathLoss = PathLoss::LogDistance {
        reference_loss: Db(40.05),
        reference_distance: 1.0,
        exponent: 3.0,
        shadowing: Db(0.0),
    };

    /// Radio links `(from, to, channel)` of `technology` between nodes at `at`, 0 dBm
    /// both ways, path loss [`PL`]. The medium-access tests build on it too.
    pub(in crate::sim::links) fn on_air(
        technology: &'static Technology,
        at: &[Position],
        links: &[(u32, u32, u32)],
    ) -> Topology {
        let mut topo = Topology::new();
        for (k, _) in at.iter().enumerate() {
            topo.add_node(NodeSpec::plain(&format!("n{k}"), "n", Layer::Sensing));
        }
        for &(a, b, channel) in links {
            let l = topo.add_link(
                NodeId(a),
                NodeId(b),
                LinkSpec::new(
                    format!("l{a}-{b}").into(),
                    LinkClass {
                        group: "radio".into(),
                        rate: BitsPerSecond(technology.bit_rate),
                        latency: Dist::constant(0.0).unwrap().into(),
                        loss: 0.0,
                        tx_energy_per_bit: Joules(0.0),
                        rx_energy_per_bit: Joules(0.0),
                    },
                ),
            );
            topo.set_radio(
                l,
                RadioLink {
                    technology,
                    channel,
                    tx_power: [Dbm(0.0); 2],
                    ends: [at[a as usize], at[b as usize]],
                    path_loss: PL,
                },
            );
        }
        topo
    }

    /// [`on_air`] on [`DEEP`] (the links' state for it: `Links::new(&topo, 3)`).
    fn air(at: &[Position], links: &[(u32, u32, u32)]) -> Topology {
        on_air(&DEEP, at, links)
    }

    /// A hop of a fresh reading: every call numbers a new packet (per test thread, so each
    /// test sees the same numbers every time), so that draws keyed by the packet's
    /// identity differ from frame to frame as they do in a run.
    fn hand(link: u32, to: u32) -> Hand {
        thread_local!(static SEQ: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });
        let seq = SEQ.with(|c| c.replace(c.get() + 1));
        Hand {
            packet: Packet {
                created: SimTime::ZERO,
                source: SourceId(0).into(),
                dst: NodeId(to),
                size: Bytes(20),
                records: 0,
                seq,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: Origin::Genuine,
            },
            link: LinkId(link),
            to: NodeId(to),
            sent: SimTime::ZERO,
            measured: true,
            fate: Fate::Forward,
            decrypt: SimTime::ZERO,
        }
    }

    const BITS: u64 = 26 * 8; // 20 bytes of payload and 6 of framing
    const AIRTIME_US: u64 = BITS * 4; // 250 kbit/s

    /// Sends `n` frames on link 0 (node 0 → 1), each overlapped exactly by a frame of every
    /// other link `(link, from, to, offset µs)`; returns the share link 0 delivered.
    fn share(topo: &Topology, links: &mut Links, others: &[(u32, u32, u32, i64)], n: u64) -> f64 {
        let mut ok = 0u64;
        for k in 0..n {
            let t0 = 10_000 * (k + 1);
            let us = SimTime::from_micros;
            let mut slots = Vec::new();
            let mut sends: Vec<(u64, u32, u32, u32)> = vec![(t0, 0, 0, 1)];
            for &(l, a, b, off) in others {
                sends.push(((t0 as i64 + off) as u64, l, a, b));
            }
            sends.sort();
            for (t, l, a, b) in sends {
                let slot = links.send_frame(
                    us(t),
                    NodeId(a),
                    us(t),
                    us(t + AIRTIME_US),
                    BITS,
                    hand(l, b),
                );
                slots.push((t + AIRTIME_US, l, slot));
            }
            slots.sort();
            for (_, l, slot) in slots {
                let (arrival, h) = links.frame_end(slot, topo.link(LinkId(l)));
                if h.link == LinkId(0) && arrival != Arrival::Lost {
                    ok += 1;
                }
            }
        }
        ok as f64 / n as f64
    }

    /// The distance at which 0 dBm arrives at `signal` under [`PL`].
    fn distance_for(signal: Dbm) -> f64 {
        10f64.powf((0.0 - 40.05 - signal.0) / 30.0)
    }

    fn within_ci(got: f64, want: f64, n: u64) -> bool {
        (got - want).abs() < 4.0 * (want * (1.0 - want) / n as f64).sqrt() + 1.0 / n as f64
    }

    #[test]
    fn a_run_keeps_per_radio_link_only_its_own_state_and_the_links_interference_paths() {
        // Per run and radio link: the medium channel, the room flag, the shadowing and the
        // two reaches; the rest is the topology's, read from it.
        assert_eq!(std::mem::size_of::<Option<Air>>(), 32);
        // Two body links (on-body, implant) and one log-distance link on one channel, and a
        // body link on another technology: each link's interference path is the one
        // `InterferencePath::of_link` gives it, its room model at its technology's frequency.
        let at = [
            Position::new(0.0, 0.0),
            Position::new(0.5, 0.0),
            Position::new(3.0, 0.0),
            Position::new(3.4, 0.0),
        ];
        let mut topo = on_air(
            &IEEE802154,
            &at,
            &[(0, 1, 0), (2, 3, 0), (0, 2, 0), (1, 3, 0)],
        );
        let body = PathLoss::on_body_hospital_2g4();
        let models = [body, PathLoss::implant_deep(), PL, body];
        for (l, model) in models.into_iter().enumerate() {
            let mut r = *topo.radio(LinkId(l as u32)).unwrap();
            r.path_loss = model;
            if l == 3 {
                r.technology = &crate::phy::technology::BLE_1M;
            }
            topo.set_radio(LinkId(l as u32), r);
        }
        let links = Links::new(&topo, 4);
        for l in 0..4u32 {
            let r = topo.radio(LinkId(l)).unwrap();
            let air = links.air[l as usize].unwrap();
            let want =
                InterferencePath::of_link(r.path_loss, Hertz(r.technology.default_frequency));
            let got = air.path(r, &links.rooms);
            assert_eq!((got.own, got.room), (want.own, want.room), "link {l}");
            assert_eq!(air.room, l != 2, "link {l}");
        }
        assert_ne!(links.rooms[0], None);
        assert_ne!(
            links.rooms[0], links.rooms[1],
            "2405 MHz and 2440 MHz rooms differ"
        );
    }

    #[test]
    fn a_radio_link_delivers_the_share_its_sinr_predicts() {
        let noise = DEEP.noise();
        for target in [0.1, 0.5, 0.9] {
            let sinr = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, target));
            let d = distance_for(noise.plus(sinr));
            let topo = air(
                &[Position::new(0.0, 0.0), Position::new(d, 0.0)],
                &[(0, 1, 0)],
            );
            let mut links = Links::new(&topo, 3);
            let n = 20_000;
            let got = share(&topo, &mut links, &[], n);
            assert!(
                within_ci(got, target, n),
                "{d:.1} m: delivered {got}, formula {target}"
            );
        }
    }

    #[test]
    fn an_overlapping_transmitter_on_the_same_channel_lowers_delivery_another_channel_does_not() {
        // Link 0 at 99 % success alone; a second sender beyond the receiver at 0 dBm, heard
        // there 3 dB below the noise floor.
        let di = distance_for(DEEP.noise().minus(Db(3.0)));
        let noise = DEEP.noise();
        let sinr = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, 0.99));
        let d = distance_for(noise.plus(sinr));
        let at = [
            Position::new(0.0, 0.0),
            Position::new(d, 0.0),
            Position::new(d + di, 0.0),
            Position::new(d + 5.0 * di, 0.0),
        ];
        // The interference at the receiver, by hand: S/(N + I) in milliwatts.
        let s = 10f64.powf((0.0 - 40.05 - 30.0 * d.log10()) / 10.0);
        let i = 10f64.powf((0.0 - 40.05 - 30.0 * di.log10()) / 10.0);
        let n_mw = 10f64.powf(noise.0 / 10.0);
        let want = DEEP.modulation.chunk_success(s / (n_mw + i), BITS as f64);
        assert!(want < 0.8 && want > 0.05, "the set-up should bite: {want}");
        let n = 20_000;
        let topo = air(&at, &[(0, 1, 0), (2, 3, 0)]);
        let mut links = Links::new(&topo, 3);
        let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
        assert!(
            within_ci(got, want, n),
            "same channel: {got}, formula {want}"
        );
        let topo = air(&at, &[(0, 1, 0), (2, 3, 1)]);
        let mut links = Links::new(&topo, 3);
        let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
        assert!(within_ci(got, 0.99, n), "other channel: {got}, want 0.99");
    }

    #[test]
    fn an_interferer_reaches_the_receiver_through_its_own_links_model() {
        use crate::phy::path_loss::friis_db;
        // Link 0 under log-distance n = 3 at 99 % success alone; link 1's sender, under
        // free space (Friis, 2.4 GHz), stands where Friis puts it 3 dB below the noise at
        // link 0's receiver. Under link 0's own model the same distance would cost
        // 10·log10(d) dB more and barely matter; the share follows the Friis figure.
        let noise = DEEP.noise();
        let i_dbm = noise.minus(Db(3.0));
        let di = 10f64.powf((0.0 - i_dbm.0 - friis_db(1.0, crate::units::Hertz(2.4e9))) / 20.0);
        let sinr = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, 0.99));
        let d = distance_for(noise.plus(sinr));
        let at = [
            Position::new(0.0, 0.0),
            Position::new(d, 0.0),
            Position::new(d, di),
            Position::new(d, di + 1.0),
        ];
        // By hand, in milliwatts: S from n = 3 over d, I from Friis over di.
        let s = 10f64.powf((0.0 - 40.05 - 30.0 * d.log10()) / 10.0);
        let i = 10f64.powf(-friis_db(di, crate::units::Hertz(2.4e9)) / 10.0);
        let n_mw = 10f64.powf(noise.0 / 10.0);
        let want = DEEP.modulation.chunk_success(s / (n_mw + i), BITS as f64);
        assert!(want < 0.8 && want > 0.05, "the set-up should bite: {want}");
        let mut topo = air(&at, &[(0, 1, 0), (2, 3, 0)]);
        let mut r = *topo.radio(LinkId(1)).unwrap();
        r.path_loss = PathLoss::free_space(crate::units::Hertz(2.4e9));
        topo.set_radio(LinkId(1), r);
        let mut links = Links::new(&topo, 3);
        let n = 20_000;
        let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
        assert!(
            within_ci(got, want, n),
            "Friis interferer: {got}, by hand {want}"
        );
    }

    #[test]
    fn a_receiver_locked_on_an_earlier_frame_or_sending_loses_the_frame() {
        // A clean link (2 m) and a sender 3 m from the receiver that starts 100 µs
        // earlier: the receiver is busy with it and loses every frame of link 0.
        let at = [
            Position::new(0.0, 0.0),
            Position::new(2.0, 0.0),
            Position::new(5.0, 0.0),
            Position::new(400.0, 0.0),
        ];
        // A fresh run each time: the medium's clock only moves forward.
        let run = |others: &[(u32, u32, u32, i64)]| {
            let topo = air(&at, &[(0, 1, 0), (2, 3, 0)]);
            let mut links = Links::new(&topo, 3);
            share(&topo, &mut links, others, 200)
        };
        assert_eq!(run(&[]), 1.0);
        assert_eq!(run(&[(1, 2, 3, -100)]), 0.0);
        // The same sender starting 100 µs later only interferes (2 m against 3 m under
        // n = 3: SINR 5.3 dB, where O-QPSK loses almost nothing): most frames survive.
        assert!(run(&[(1, 2, 3, 100)]) > 0.9);
        // Half duplex: the receiver itself sends on the channel meanwhile (node 1 → 0 on
        // the same link, the other direction).
        assert_eq!(run(&[(0, 1, 0, 50)]), 0.0);
    }

    #[test]
    fn a_jammer_raises_the_error_rate_to_what_its_sinr_gives_and_a_random_one_to_the_mixture() {
        use crate::phy::jammer::{Jammer, JammerKind};
        use crate::topology::JammerSite;
        // Link 0 over 2 m; a 0 dBm jammer on channel 0 at distance dj from the receiver,
        // placed where the SINR it causes gives 40 % success.
        let noise = DEEP.noise();
        let s_dbm = Dbm(-40.05 - 30.0 * 2f64.log10());
        let target = Db::from_linear(sinr_for_success(DEEP.modulation, BITS as f64, 0.4));
        // J = S / γ − N, in milliwatts, then the distance that gives it.
        let j_mw = s_dbm.to_mw().0 / target.to_linear() - noise.to_mw().0;
        let dj = distance_for(crate::phy::MilliWatts(j_mw).to_dbm());
        let at = [Position::new(0.0, 0.0), Position::new(2.0, 0.0)];
        let jam = |kind: JammerKind, channels: u64| {
            let mut topo = air(&at, &[(0, 1, 0)]);
            topo.add_jammer(JammerSite {
                name: "j".into(),
                technology: &DEEP,
                jammer: Jammer {
                    position: Position::new(2.0, dj),
                    power: Dbm(0.0),
                    channels,
                    kind,
                },
                path_loss: PL,
            });
            let mut links = Links::new(&topo, 5);
            share(&topo, &mut links, &[], 20_000)
        };
        let got = jam(JammerKind::Constant, 1);
        assert!(
            within_ci(got, 0.4, 20_000),
            "constant jammer: {got}, formula 0.4"
        );
        // On channel 1 only: link 0 (channel 0) is untouched.
        let got = jam(JammerKind::Constant, 0b10);
        assert_eq!(got, 1.0);
        // On 50 ms, off 50 ms, frames every 10 ms: half of them meet it.
        let fifty = Dist::constant(0.05).unwrap();
        let got = jam(
            JammerKind::Random {
                on: fifty.clone(),
                off: fifty,
            },
            1,
        );
        assert!(
            within_ci(got, 0.5 * 0.4 + 0.5, 20_000),
            "random jammer: {got}, mixture 0.7"
        );
    }

    #[test]
    fn another_connections_earlier_frame_holds_an_802154_receiver_but_not_a_ble_one() {
        use crate::phy::technology::BLE_1M;
        // Link 0 over 2 m (−49 dBm under n = 3); link 1's sender 30 m from link 0's
        // receiver (−84.4 dBm: above both sensitivities, 35 dB under the signal) starts
        // 100 µs earlier on the same channel.
        let at = [
            Position::new(0.0, 0.0),
            Position::new(2.0, 0.0),
            Position::new(32.0, 0.0),
            Position::new(400.0, 0.0),
        ];
        let topo = air(&at, &[(0, 1, 0), (2, 3, 0)]);
        let mut links = Links::new(&topo, 3);
        // 802.15.4: the receiver locks on the earlier frame's SFD and misses every frame.
        assert_eq!(share(&topo, &mut links, &[(1, 2, 3, -100)], 500), 0.0);
        let mut topo = air(&at, &[(0, 1, 0), (2, 3, 0)]);
        for l in 0..2u32 {
            let mut r = *topo.radio(LinkId(l)).unwrap();
            r.technology = &BLE_1M;
            topo.set_radio(LinkId(l), r);
        }
        // BLE: the other connection's access address does not sync it; 35 dB of SIR
        // costs nothing when the hop coincides.
        let mut links = Links::new(&topo, 9);
        assert_eq!(share(&topo, &mut links, &[(1, 2, 3, -100)], 2000), 1.0);
    }

    #[test]
    fn another_hopping_link_meets_a_frame_on_one_channel_in_37() {
        use crate::phy::technology::BLE_1M;
        // Two BLE links on one medium; the second sender 1 m from the receiver of the
        // first, whose own sender is 2 m away (log-distance, n = 3): SINR −9 dB, below the
        // lock threshold, so a frame is lost exactly when the other link's frame is on its
        // hop channel: delivery 36/37.
        let at = [
            Position::new(0.0, 0.0),
            Position::new(2.0, 0.0),
            Position::new(3.0, 0.0),
            Position::new(400.0, 0.0),
        ];
        let mut topo = air(&at, &[(0, 1, 0), (2, 3, 0)]);
        for l in 0..2u32 {
            let mut r = *topo.radio(LinkId(l)).unwrap();
            r.technology = &BLE_1M;
            topo.set_radio(LinkId(l), r);
        }
        let mut links = Links::new(&topo, 9);
        let n = 20_000;
        // Both frames start together; the interferer covers the whole 208 µs frame.
        let got = share(&topo, &mut links, &[(1, 2, 3, 0)], n);
        assert!(
            within_ci(got, 36.0 / 37.0, n),
            "delivered {got}, want 36/37"
        );
    }

    #[test]
    fn connection_frames_interfere_only_when_their_hop_channels_coincide() {
        use crate::phy::technology::BLE_1M;
        // The geometry above (SINR −9 dB when the other frame counts), but each frame sent
        // on the data channel its connection hopped to: the other connection's frame costs
        // this one every time on the same channel and never on another.
        let at = [
            Position::new(0.0, 0.0),
            Position::new(2.0, 0.0),
            Position::new(3.0, 0.0),
            Position::new(400.0, 0.0),
        ];
        let mut topo = air(&at, &[(0, 1, 0), (2, 3, 0)]);
        for l in 0..2u32 {
            let mut r = *topo.radio(LinkId(l)).unwrap();
            r.technology = &BLE_1M;
            topo.set_radio(LinkId(l), r);
        }
        let spec = topo.link(LinkId(0)).clone();
        let mut links = Links::new(&topo, 9);
        let us = SimTime::from_micros;
        let mut delivered = |mine: u8, its: u8, k: u64| {
            let t0 = 10_000 * (k + 1);
            let end = us(t0 + 208);
            let slot = links.send_frame_tagged(
                us(t0),
                NodeId(0),
                us(t0),
                end,
                BITS,
                hand(0, 1),
                NO_PORT,
                0,
                Some(mine),
            );
            let other = links.send_frame_tagged(
                us(t0),
                NodeId(2),
                us(t0),
                end,
                BITS,
                hand(1, 3),
                NO_PORT,
                0,
                Some(its),
            );
            let (got, _) = links.frame_end(slot, &spec);
            links.frame_end(other, &spec);
            matches!(got, Arrival::Received(_))
        };
        for k in 0..300 {
            let c = (k % 37) as u8;
            assert!(!delivered(c, c, 2 * k), "same channel {c}");
            assert!(
                delivered(c, (c + 1 + (k % 36) as u8) % 37, 2 * k + 1),
                "{c}"
            );
        }
    }
    #[test]
    fn a_wifi_frame_destroys_ble_frames_on_exactly_the_channels_its_band_covers() {
        use crate::phy::technology::{BLE_1M, WIFI_G6};
        // A BLE link 0 → 1 (2 m, −49.1 dBm) and a Wi-Fi station at 0.5 m from its receiver
        // on Wi-Fi channel 6 (2426–2448 MHz; −31.0 dBm there, 2/22 of it, −41.4 dBm, in a
        // BLE channel it covers): a BLE frame on data channels 11–21 (2428–2448 MHz) is lost
        // every time (SINR ≤ −7.6 dB), on any other channel received every time.
        let at = [
            Position::new(0.0, 0.0),
            Position::new(2.0, 0.0),
            Position::new(2.5, 0.0),
            Position::new(4.5, 0.0),
        ];
        let mut topo = air(&at, &[(0, 1, 0), (2, 3, 5)]);
        for (l, t) in [(0u32, &BLE_1M), (1, &WIFI_G6)] {
            let mut r = *topo.radio(LinkId(l)).unwrap();
            r.technology = t;
            topo.set_radio(LinkId(l), r);
        }
        let spec = topo.link(LinkId(0)).clone();
        let mut links = Links::new(&topo, 9);
        let us = SimTime::from_micros;
        let mut delivered = |hop: u8, k: u64, wifi: bool| {
            let t0 = 10_000 * (k + 1);
            let end = us(t0 + 208);
            let slot = links.send_frame_tagged(
                us(t0),
                NodeId(0),
                us(t0),
                end,
                BITS,
                hand(0, 1),
                NO_PORT,
                0,
                Some(hop),
            );
            let other =
                wifi.then(|| links.send_frame(us(t0), NodeId(2), us(t0), end, BITS, hand(1, 3)));
            let (got, _) = links.frame_end(slot, &spec);
            if let Some(o) = other {
                links.frame_end(o, topo.link(LinkId(1)));
            }
            matches!(got, Arrival::Received(_))
        };
        for k in 0..3u64 {
            for c in 0..37u8 {
                let covered = (11..=21).contains(&c);
                let n = 2 * (37 * k + u64::from(c));
                assert_eq!(delivered(c, n, true), !covered, "channel {c}");
                assert!(delivered(c, n + 1, false), "channel {c} alone");
            }
        }
    }
}
