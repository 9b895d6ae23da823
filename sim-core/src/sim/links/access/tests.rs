use super::*;
use crate::hooks::Fate;
use crate::ids::SourceId;
use crate::mac::CsmaCaParams;
use crate::packet::{Origin, PacketKind};
use crate::phy::technology::IEEE802154;
use crate::phy::{Dbm, Position};
use crate::topology::RadioLink;
use crate::traffic::TrafficClass;
use crate::units::Bytes;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Links `(from, to)` between nodes at `at`, 802.15.4 at 0 dBm, each with `mac`.
fn topology(at: &[Position], links: &[(u32, u32)], mac: Mac) -> Topology {
    let on_channel_0: Vec<(u32, u32, u32)> = links.iter().map(|&(a, b)| (a, b, 0)).collect();
    let mut topo = super::super::tests::radio::on_air(&IEEE802154, at, &on_channel_0);
    for l in 0..topo.link_count() {
        topo.set_mac(LinkId(l as u32), mac);
    }
    topo
}

fn pending(link: u32, to: u32, seq: u32, at: SimTime) -> Pending {
    Pending {
        hand: Hand {
            packet: Packet {
                created: at,
                source: SourceId(link).into(),
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
            sent: at,
            measured: true,
            fate: Fate::Forward,
            decrypt: SimTime::ZERO,
        },
        ready: at,
        airtime: SimTime::from_micros(832),
        bits: 26 * 8,
        attempts: 0,
    }
}

/// Plays the MACs' effects forward until nothing is pending; returns the data frames
/// put on the air, `(link, start, end)`.
fn play(topo: &Topology, links: &mut Links) -> Vec<(u32, SimTime, SimTime)> {
    play_all(topo, links)
        .0
        .into_iter()
        .filter(|&(l, from, _, _)| topo.endpoints(LinkId(l)).0 == from)
        .map(|(l, _, start, end)| (l, start, end))
        .collect()
}

/// A frame on the air: `(link, sender, start, end)`.
type Aired = (u32, NodeId, SimTime, SimTime);

/// [`play`], returning every frame put on the air, data and ACKs, and the packets that
/// crossed.
fn play_all(topo: &Topology, links: &mut Links) -> (Vec<Aired>, u32) {
    enum Ev {
        Wake(Wake),
        End(u32),
    }
    let mut heap: BinaryHeap<Reverse<(SimTime, u64)>> = BinaryHeap::new();
    let mut evs: Vec<Ev> = Vec::new();
    let mut frames = Vec::new();
    let mut crossed = 0;
    loop {
        for e in links.take_effects() {
            match e {
                Effect::Wake(t, w) => {
                    heap.push(Reverse((t, evs.len() as u64)));
                    evs.push(Ev::Wake(w));
                }
                Effect::FrameEnd(t, slot) => {
                    heap.push(Reverse((t, evs.len() as u64)));
                    evs.push(Ev::End(slot));
                }
                Effect::Hop {
                    link,
                    from,
                    start,
                    end,
                } => frames.push((link.0, from, start, end)),
                Effect::Cross(..) => crossed += 1,
                _ => {}
            }
        }
        let Some(Reverse((t, k))) = heap.pop() else {
            return (frames, crossed);
        };
        match evs[k as usize] {
            Ev::Wake(w) => links.mac_wake(t, w),
            Ev::End(slot) => {
                let port = links.frame_port(slot).expect("a MAC frame");
                let l = links.hand_link(slot);
                let (arrival, hand) = links.frame_end(slot, topo.link(l));
                links.mac_frame_end(t, port, arrival, hand);
            }
        }
    }
}

#[test]
fn two_senders_that_hear_each_other_collide_only_on_equal_first_backoffs() {
    // Two 802.15.4 senders 1 m apart (−40 dBm at each other, over the −85 dBm CCA
    // threshold), each with a packet ready at the same instant, every 100 ms. They
    // transmit together only when they draw the same first backoff, probability
    // 2^−macMinBE: a draw one period later runs its CCA as the other's frame starts, finds
    // it busy and backs off. So the collision probability falls as macMinBE grows.
    let at = [
        Position::new(0.0, 0.0),
        Position::new(1.0, 0.0),
        Position::new(0.0, 2.0),
        Position::new(1.0, 2.0),
    ];
    let rounds = 6000u32;
    let mut shares = Vec::new();
    for min_be in [2u8, 3, 4, 5] {
        let p = CsmaCaParams {
            min_be,
            max_be: 5.max(min_be),
            acknowledged: false,
            ..CsmaCaParams::default()
        };
        let topo = topology(&at, &[(0, 2), (1, 3)], Mac::CsmaCa(p));
        let mut links = Links::new(&topo, 17);
        let mut collided = 0u32;
        for k in 0..rounds {
            let t = SimTime::from_millis(100 * u64::from(k) + 100);
            links.mac_request(t, NodeId(0), pending(0, 2, k, t));
            links.mac_request(t, NodeId(1), pending(1, 3, k, t));
            let frames = play(&topo, &mut links);
            assert_eq!(frames.len(), 2, "both get through channel access");
            let (a, b) = (frames[0], frames[1]);
            if a.1 < b.2 && b.1 < a.2 {
                collided += 1;
            }
        }
        let got = f64::from(collided) / f64::from(rounds);
        let want = 0.5f64.powi(i32::from(min_be));
        let sd = (want * (1.0 - want) / f64::from(rounds)).sqrt();
        assert!(
            (got - want).abs() < 4.0 * sd,
            "macMinBE {min_be}: collided {got:.4}, want {want:.4}"
        );
        shares.push(got);
    }
    assert!(shares.windows(2).all(|w| w[1] < w[0]), "{shares:?}");
}

#[test]
fn a_central_spaces_its_connections_events_and_each_connection_hops_its_own_way() {
    // Hub 0 is the central of three BLE connections (sensors 1–3), hub 4 of one (sensor 5),
    // all with a 30 ms interval: hub 0's anchors are 10 ms apart, so its connections' events
    // never overlap; each connection has its own access address, hence its own CSA#2
    // sequence; both are the same in every replication variant (keyed by the seed alone).
    let at: Vec<Position> = (0..6).map(|k| Position::new(f64::from(k), 0.0)).collect();
    let p = crate::mac::BleParams {
        interval: SimTime::from_millis(30),
        ..crate::mac::BleParams::default()
    };
    let topo = topology(&at, &[(1, 0), (2, 0), (3, 0), (5, 4)], Mac::Ble(p));
    let channel_of = vec![Some(0); 4];
    let a = Access::new(&topo, &channel_of, 17);
    let anchor = |c: usize| a.conns[c].conn.next_event(SimTime::ZERO, 1).1;
    let t = p.interval.as_nanos();
    let mut hub0: Vec<u64> = (0..3).map(|c| anchor(c).as_nanos()).collect();
    hub0.sort_unstable();
    assert_eq!(hub0[1] - hub0[0], t / 3);
    assert_eq!(hub0[2] - hub0[1], t / 3);
    // Different access addresses: the four sequences differ.
    let seq = |c: usize| -> Vec<u8> { (0..20).map(|k| a.conns[c].conn.channel(k)).collect() };
    for i in 0..4 {
        for j in i + 1..4 {
            assert_ne!(seq(i), seq(j), "connections {i} and {j}");
        }
    }
    // Same seed, same placement and sequences; another seed, another phase.
    let again = Access::new(&topo, &channel_of, 17);
    assert_eq!(again.conns[3].conn, a.conns[3].conn);
    let other = Access::new(&topo, &channel_of, 18);
    assert_ne!(other.conns[3].conn, a.conns[3].conn);
}

#[test]
fn an_ack_occupies_the_medium_for_its_airtime_after_the_turnaround_or_sifs() {
    // 802.15.4: node 0 sends to node 1 (1 m); the ACK (5 bytes + 6 of SHR and PHR = 88 bits
    // at 250 kbit/s = 352 µs) leaves node 1 aTurnaroundTime = 192 µs after the data frame
    // ends. A third station 1 m from node 1 senses it (−40 dBm against a −85 dBm CCA
    // threshold) over exactly that window, and nothing right after.
    let at = [
        Position::new(0.0, 0.0),
        Position::new(1.0, 0.0),
        Position::new(2.0, 0.0),
        Position::new(3.0, 0.0),
    ];
    let p = CsmaCaParams::default();
    let topo = topology(&at, &[(0, 1), (2, 3)], Mac::CsmaCa(p));
    let mut links = Links::new(&topo, 17);
    let t = SimTime::from_millis(10);
    links.mac_request(t, NodeId(0), pending(0, 1, 0, t));
    let (frames, crossed) = play_all(&topo, &mut links);
    assert_eq!((frames.len(), crossed), (2, 1), "{frames:?}");
    let (data, ack) = (frames[0], frames[1]);
    assert_eq!(data.1, NodeId(0));
    assert_eq!(ack.1, NodeId(1));
    assert_eq!(ack.2, data.3.saturating_add(SimTime::from_micros(192)));
    assert_eq!(ack.3, ack.2.saturating_add(SimTime::from_micros(352)));
    let threshold = IEEE802154.sensitivity.plus(p.cca_above_sensitivity);
    let us = SimTime::from_micros;
    assert!(links.channel_busy(
        LinkId(1),
        0,
        NodeId(2),
        ack.2,
        ack.2.saturating_add(us(1)),
        threshold
    ));
    assert!(links.channel_busy(
        LinkId(1),
        0,
        NodeId(2),
        ack.3.saturating_sub(us(1)),
        ack.3,
        threshold
    ));
    assert!(!links.channel_busy(
        LinkId(1),
        0,
        NodeId(2),
        ack.3,
        ack.3.saturating_add(us(100)),
        threshold
    ));
    assert!(!links.channel_busy(LinkId(1), 0, NodeId(2), data.3, ack.2, threshold));

    // DCF (802.11g): the ACK follows SIFS = 10 µs after the frame, for the ACK's airtime.
    use crate::phy::technology::WIFI_G6;
    let ack_air = SimTime::from_secs_f64(WIFI_G6.airtime_secs(Bytes(14)));
    let d = crate::mac::WifiStandard::G.params(ack_air);
    let on_channel_0 = [(0, 1, 0)];
    let mut topo = super::super::tests::radio::on_air(&WIFI_G6, &at, &on_channel_0);
    topo.set_mac(LinkId(0), Mac::Dcf(d));
    let mut links = Links::new(&topo, 17);
    links.mac_request(t, NodeId(0), pending(0, 1, 0, t));
    let (frames, _) = play_all(&topo, &mut links);
    assert_eq!(frames.len(), 2, "{frames:?}");
    let (data, ack) = (frames[0], frames[1]);
    assert_eq!((data.1, ack.1), (NodeId(0), NodeId(1)));
    assert_eq!(ack.2, data.3.saturating_add(us(10)));
    assert_eq!(ack.3, ack.2.saturating_add(ack_air));
}

#[test]
fn an_interferer_over_the_ack_window_alone_makes_the_sender_resend() {
    // Node 0 sends to node 1 (1 m). A first run finds when the ACK is on the air; a second,
    // identical run (backoffs keyed by the packet) adds a 20 dBm frame of another link whose
    // sender, node 2, stands 1 m from node 0, over exactly that window: −20 dBm at node 0
    // against the ACK's −40 dBm, so the ACK is lost there; at node 1 it overlaps only the ACK
    // node 1 sends, and the data frame had already ended. The sender, without its ACK, sends the
    // frame again: two data frames where there was one; the packet crosses once.
    let at = [
        Position::new(0.0, 0.0),
        Position::new(1.0, 0.0),
        Position::new(-1.0, 0.0),
        Position::new(-3.0, 0.0),
    ];
    let p = CsmaCaParams::default();
    let mut topo = topology(&at, &[(0, 1), (2, 3)], Mac::CsmaCa(p));
    let loud = RadioLink {
        tx_power: [Dbm(20.0); 2],
        ..*topo.radio(LinkId(1)).expect("a radio link")
    };
    topo.set_radio(LinkId(1), loud);
    let t = SimTime::from_millis(10);
    let mut clean = Links::new(&topo, 17);
    clean.mac_request(t, NodeId(0), pending(0, 1, 0, t));
    let (frames, _) = play_all(&topo, &mut clean);
    assert_eq!(frames.len(), 2, "data and ACK: {frames:?}");
    let ack = frames[1];

    let mut links = Links::new(&topo, 17);
    links.mac_request(t, NodeId(0), pending(0, 1, 0, t));
    let mut other = pending(1, 3, 0, t).hand;
    other.packet.seq = 99;
    let bits = (ack.3.saturating_sub(ack.2).as_secs_f64() * IEEE802154.bit_rate) as u64;
    links.send_frame(t, NodeId(2), ack.2, ack.3, bits, other);
    let (frames, crossed) = play_all(&topo, &mut links);
    let data: Vec<_> = frames.iter().filter(|f| f.1 == NodeId(0)).collect();
    let acks: Vec<_> = frames.iter().filter(|f| f.1 == NodeId(1)).collect();
    assert_eq!(data.len(), 2, "sent again: {frames:?}");
    assert_eq!(acks.len(), 2, "the copy is acknowledged too: {frames:?}");
    assert_eq!(crossed, 1, "the receiver passes the packet on once");
}

#[test]
fn dcf_stations_that_all_sense_each_other_contend_as_one_collision_domain() {
    // Four 802.11g stations 2 m around an access point (at most −58 dBm apart, above the
    // −82 dBm carrier-sense floor), each with a 1500-byte frame every 10 ms, all at once:
    // the per-station carrier sense, forced on, must put every frame (data and ACK) on the
    // air exactly when the single collision domain does, collisions included.
    use crate::phy::technology::WIFI_G6;
    let ack_air = SimTime::from_secs_f64(WIFI_G6.airtime_secs(Bytes(14)));
    let d = crate::mac::WifiStandard::G.params(ack_air);
    let mut at = vec![Position::new(0.0, 0.0)];
    for k in 0..4 {
        let a = f64::from(k) * std::f64::consts::FRAC_PI_2;
        at.push(Position::new(2.0 * a.cos(), 2.0 * a.sin()));
    }
    let pairs: Vec<(u32, u32, u32)> = (1..5).map(|k| (k, 0, 0)).collect();
    let mut topo = super::super::tests::radio::on_air(&WIFI_G6, &at, &pairs);
    for l in 0..4 {
        topo.set_mac(LinkId(l), Mac::Dcf(d));
    }
    let run = |one_domain: bool| {
        let mut links = Links::new(&topo, 17);
        assert!(links.access.cells[0].complete, "all sense each other");
        links.access.cells[0].complete = one_domain;
        let mut all = Vec::new();
        for k in 0..40u32 {
            let t = SimTime::from_millis(10 * u64::from(k) + 10);
            for l in 0..4u32 {
                let mut p = pending(l, 0, k, t);
                p.bits = 1528 * 8;
                p.airtime = SimTime::from_secs_f64(WIFI_G6.airtime_secs(Bytes(1500)));
                links.mac_request(t, NodeId(l + 1), p);
            }
            all.extend(play_all(&topo, &mut links).0);
        }
        all
    };
    let (one, each) = (run(true), run(false));
    assert_eq!(one, each);
    let data: Vec<_> = one.iter().filter(|f| f.1 != NodeId(0)).collect();
    let collided = data
        .iter()
        .enumerate()
        .any(|(i, a)| data[i + 1..].iter().any(|b| a.2 == b.2));
    assert!(collided, "some counters expired together");
    assert!(
        data.len() > 160,
        "retransmissions after collisions: {}",
        data.len()
    );
}
