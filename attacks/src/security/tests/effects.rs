//! Effect tests: for every attack, a small ward where it moves its metric the expected way;
//! for the matching defense, the same ward where the defense removes or reduces the effect and
//! what it costs. Plus the closed form of SI logistic propagation.

use super::*;
use sim_core::NodeClass;

#[test]
fn eavesdropping_exposes_plaintext_and_encryption_hides_it_at_a_cost() {
    let model = ward(100);
    let sniff = AttackSpec {
        links: links(&BLE),
        ..attack(AttackKind::Eavesdrop, "sniffer")
    };
    let plain = run(&model, vec![sniff.clone()], vec![]);
    // Every reading and alarm of every sensor crosses a BLE link once: 4 × 100 + alarms.
    let alarms = get(&plain, "generated") - 400.0 - 10.0;
    assert_eq!(get(&plain, "records_exposed"), 400.0 + alarms);
    assert_eq!(get(&plain, "readings_exposed"), 400.0 + alarms);
    // Four monitored patients, one sensor each: the cost is per affected individual.
    assert_eq!(get(&plain, "patients_exposed"), 4.0);
    assert_eq!(get(&plain, "breach_cost_usd"), 4.0 * 408.0);
    let enc = run(
        &model,
        vec![sniff],
        vec![aead(DefenseKind::LinkEncryption, &BLE, &[])],
    );
    assert_eq!(get(&enc, "records_exposed"), 0.0);
    assert_eq!(
        get(&enc, "packets_intercepted"),
        get(&plain, "packets_intercepted")
    );
    assert!(get(&enc, "latency_ms") > get(&plain, "latency_ms"));
    assert!(get(&enc, "sensor_crypto_j") > 0.0 && get(&plain, "sensor_crypto_j") == 0.0);
    assert!(get(&enc, "sensor_radio_tx_j") > get(&plain, "sensor_radio_tx_j"));
    // A MAC authenticates but hides nothing.
    let mac = run(
        &model,
        vec![AttackSpec {
            links: links(&BLE),
            ..attack(AttackKind::Eavesdrop, "sniffer")
        }],
        vec![aead(DefenseKind::MessageAuthentication, &BLE, &[])],
    );
    assert_eq!(get(&mac, "records_exposed"), get(&plain, "records_exposed"));
}

#[test]
fn end_to_end_encryption_hides_records_on_every_hop_and_costs_only_at_the_ends() {
    let model = ward(100);
    let sniff = AttackSpec {
        links: links(&[WIFI, WAN]),
        ..attack(AttackKind::Eavesdrop, "sniffer")
    };
    let plain = run(&model, vec![sniff.clone()], vec![]);
    let e2e = run(
        &model,
        vec![sniff],
        vec![aead(DefenseKind::EndToEndEncryption, &[], &SENSORS)],
    );
    // Each reading crosses Wi-Fi and the WAN: captured twice, read once.
    assert!(get(&plain, "packets_intercepted") >= 800.0);
    assert!(get(&plain, "records_exposed") >= 400.0);
    assert!(get(&plain, "records_exposed") <= get(&plain, "packets_intercepted") / 2.0);
    assert_eq!(get(&e2e, "records_exposed"), 0.0);
    assert_eq!(get(&e2e, "patients_exposed"), 0.0);
    assert_eq!(get(&e2e, "breach_cost_usd"), 0.0);
    // 100 readings per sensor plus alarms, each encrypted once at 126.6 c/B: crypto energy
    // at the sensors is cycles × 0.16 nJ.
    let readings = 400.0;
    let per_reading = (11_776.0 + 126.6 * 100.0) * 0.16e-9;
    assert!(get(&e2e, "sensor_crypto_j") >= readings * per_reading * 0.999);
}

#[test]
fn node_capture_reads_encrypted_links_until_the_next_key_rotation() {
    let model = ward(600);
    let capture = AttackSpec {
        targets: ids(&[0]),
        ..with(
            attack(AttackKind::NodeCapture, "thief"),
            &[("time_to_extract", 30.0)],
        )
    };
    let enc = aead(DefenseKind::LinkEncryption, &BLE, &[]);
    let kept = run(&model, vec![capture.clone()], vec![enc.clone()]);
    assert_eq!(get(&kept, "compromised_nodes_max"), 1.0);
    let t = get(&kept, "time_to_first_compromise_s");
    assert!(t > 0.0 && t < 600.0);
    // From the extraction to the end, sensor 0's readings are read despite the encryption.
    let exposed = get(&kept, "records_exposed");
    assert!(exposed >= (600.0 - t - 2.0).floor(), "{exposed} after {t}");
    let rotated = run(&model, vec![capture], vec![enc, rotation_for(&[0], 60.0)]);
    assert_eq!(get(&rotated, "time_to_first_compromise_s"), t);
    assert!(
        get(&rotated, "records_exposed") <= 61.0 + 12.0,
        "{}",
        get(&rotated, "records_exposed")
    );
}

#[test]
fn spoofed_readings_are_accepted_unless_the_first_hop_checks_a_mac() {
    let model = ward(1000);
    let spoof = spoofer(0.5, &[]);
    let open = run(&model, vec![spoof.clone()], vec![]);
    let accepted = get(&open, "records_tampered_accepted");
    assert!((400.0..600.0).contains(&accepted), "{accepted}");
    let mac = run(
        &model,
        vec![spoof.clone()],
        vec![aead(DefenseKind::MessageAuthentication, &BLE, &[])],
    );
    assert_eq!(get(&mac, "records_tampered_accepted"), 0.0);
    // Common random numbers: the same forgeries were attempted, now all refused.
    assert_eq!(
        get(&mac, "forged_rejected"),
        get(&open, "extra_packets_injected")
    );
    assert_eq!(get(&mac, "generated"), get(&open, "generated"));
    let e2e = run(
        &model,
        vec![spoof.clone()],
        vec![aead(DefenseKind::EndToEndEncryption, &[], &SENSORS)],
    );
    assert_eq!(get(&e2e, "records_tampered_accepted"), 0.0);
    assert_eq!(
        get(&e2e, "extra_packets_rejected"),
        get(&open, "extra_packets_injected")
    );
    let mutual = run(&model, vec![spoof], vec![handshakes_on_sensors()]);
    assert_eq!(get(&mutual, "records_tampered_accepted"), 0.0);
    // The handshake: 3.6 M cycles × 0.16 nJ per sensor, plus 193 B of radio at 19 nJ/bit.
    let handshake = 4.0 * (3.6e6 * 0.16e-9 + 193.0 * 8.0 * 19e-9);
    let extra = get(&mutual, "sensor_energy_j") - get(&open, "sensor_energy_j");
    assert!(
        (extra - handshake).abs() < 0.02 * handshake,
        "{extra} vs {handshake}"
    );
}

#[test]
fn replays_pass_a_mac_but_not_a_freshness_check() {
    let model = ward(600);
    let replay = AttackSpec {
        links: links(&BLE),
        ..with(
            attack(AttackKind::Replay, "recorder"),
            &[("record_probability", 0.2), ("delay", 30.0)],
        )
    };
    let mac = aead(DefenseKind::MessageAuthentication, &BLE, &[]);
    let open = run(&model, vec![replay.clone()], vec![mac.clone()]);
    assert!(get(&open, "records_tampered_accepted") > 300.0);
    let fresh = on_nodes(DefenseKind::Freshness, &SENSORS);
    let checked = run(
        &model,
        vec![replay.clone()],
        vec![mac.clone(), fresh.clone()],
    );
    assert_eq!(get(&checked, "records_tampered_accepted"), 0.0);
    assert_eq!(
        get(&checked, "extra_packets_rejected"),
        get(&open, "extra_packets_accepted")
    );
    // A timestamp window longer than the replay delay lets the copies through.
    let loose = DefenseSpec {
        targets: ids(&SENSORS),
        ..dwith(
            defense(DefenseKind::Freshness),
            &[("scheme", 2.0), ("window", 60.0)],
        )
    };
    let late = run(&model, vec![replay], vec![mac, loose]);
    assert_eq!(
        get(&late, "records_tampered_accepted"),
        get(&open, "records_tampered_accepted")
    );
}

#[test]
fn denial_of_sleep_empties_batteries_and_authenticated_wakeups_slow_it() {
    let model = ward(3600);
    let dos = AttackSpec {
        targets: ids(&[1]),
        ..attack(AttackKind::DenialOfSleep, "waker")
    };
    let base = run(&model, vec![], vec![]);
    let hit = run(&model, vec![dos.clone()], vec![]);
    // The sensor's link has no chip: its receiver draws 19 nJ/bit × 1 Mbit/s = 19 mW. Ten
    // 20-B wake-ups a second (160 µs each) with 100 ms windows fill every second: awake 100 %.
    let rx_w = 19e-9 * 1e6;
    let rx = get(&hit, "sensor_radio_rx_j") - get(&base, "sensor_radio_rx_j");
    assert!((rx - rx_w * 3600.0).abs() < rx_w * 2.0, "{rx}");
    // Authenticated, each wake-up costs its reception alone: 10 × 160 µs × 19 mW.
    let auth = authenticated(&[1]);
    let guarded = run(&model, vec![dos.clone()], vec![auth]);
    let rx_g = get(&guarded, "sensor_radio_rx_j") - get(&base, "sensor_radio_rx_j");
    let expected = 10.0 * 160e-6 * rx_w * 3600.0;
    assert!(
        (rx_g - expected).abs() < expected * 0.01,
        "{rx_g} {expected}"
    );
    // On a small battery the node dies: 10 J at 19 mW lasts about 526 s.
    let died = run(&battery_ward(10.0), vec![dos], vec![]);
    let death = get(&died, "first_battery_death_s");
    assert!((death - 10.0 / rx_w).abs() < 20.0, "{death}");
    assert!(get(&died, "monitoring_hours_lost") > 0.5);
}

/// The ward with a battery of `joules` on every sensor.
fn battery_ward(joules: f64) -> Model {
    let mut m = ward(3600);
    let mut t = Topology::new();
    // Rebuilt node by node: the topology has no setter for a node's device.
    for id in m.topology.node_ids() {
        let mut spec = m.topology.node(id).clone();
        if spec.device.battery.is_some() {
            std::sync::Arc::make_mut(&mut spec.device).battery = Some(Joules(joules));
        }
        t.add_node(spec);
    }
    for l in m.topology.link_ids() {
        let (a, b) = m.topology.endpoints(l);
        t.add_link(a, b, m.topology.link(l).clone());
    }
    m.topology = t;
    m
}

#[test]
fn jamming_destroys_frames_and_hopping_divides_its_reach() {
    let model = ward(200);
    let jam = AttackSpec {
        links: links(&BLE),
        ..with(
            attack(AttackKind::Jamming, "jammer"),
            &[("duty_cycle", 0.5)],
        )
    };
    let hit = run(&model, vec![jam.clone()], vec![]);
    let sent = 800.0 + get(&hit, "generated") - 800.0 - 20.0;
    let lost = get(&hit, "lost_attack");
    assert!((lost / sent - 0.5).abs() < 0.06, "{lost} of {sent}");
    assert!(get(&hit, "deadline_misses") >= lost);
    let hop = on_links(DefenseKind::FrequencyHopping, &BLE);
    let hopped = run(&model, vec![jam.clone()], vec![hop.clone()]);
    assert!(
        get(&hopped, "lost_attack") < lost / 10.0,
        "{}",
        get(&hopped, "lost_attack")
    );
    let reactive = with(jam, &[("mode", 2.0)]);
    let followed = run(&model, vec![reactive], vec![hop]);
    assert!((get(&followed, "lost_attack") - lost).abs() < 0.15 * lost);
}

#[test]
fn an_adaptive_channel_map_sheds_a_narrowband_jammer_that_plain_hopping_keeps_meeting() {
    // A jammer on 10 of the 37 BLE data channels (a 20 MHz Wi-Fi channel, radio.md §F) over
    // the ward's 4 BLE links, 800 frames in all.
    let model = ward(200);
    let jam = AttackSpec {
        links: links(&BLE),
        ..with(
            attack(AttackKind::Jamming, "jammer"),
            &[("channels_jammed", 10.0)],
        )
    };
    let clean = run(
        &model,
        vec![],
        vec![on_links(DefenseKind::FrequencyHopping, &BLE)],
    );
    let sent = get(&clean, "delivered") + get(&clean, "lost");
    assert_eq!(get(&clean, "lost_attack"), 0.0);
    // Plain hopping: about 10/37 of the frames land on a covered channel.
    let hopped = run(
        &model,
        vec![jam.clone()],
        vec![on_links(DefenseKind::FrequencyHopping, &BLE)],
    );
    let lost = get(&hopped, "lost_attack");
    let q = 10.0 / 37.0;
    let sd = (sent * q * (1.0 - q)).sqrt();
    assert!((lost - sent * q).abs() < 4.0 * sd, "{lost} of {sent}");
    // AFH: each covered channel fails twice in a row and leaves the map, on each link; the
    // jammer then reaches nothing: at most 4 links × 10 channels × 2 frames, and far fewer
    // than plain hopping.
    let afh = on_links(DefenseKind::AdaptiveFrequencyHopping, &BLE);
    let adapted = run(&model, vec![jam.clone()], vec![afh.clone()]);
    let lost_afh = get(&adapted, "lost_attack");
    assert!(lost_afh <= 80.0, "{lost_afh}");
    assert!(lost_afh > 0.0);
    assert!(lost_afh < lost / 2.0, "{lost_afh} vs {lost}");
    // Delivery falls back to the unjammed figure but for those learning losses.
    assert!(get(&adapted, "delivered") >= get(&clean, "delivered") - 80.0);
    // A reactive jammer follows the hops, map or not.
    let reactive = with(jam, &[("mode", 2.0)]);
    let followed = run(&model, vec![reactive], vec![afh]);
    assert!(
        get(&followed, "lost_attack") > 0.9 * sent,
        "{}",
        get(&followed, "lost_attack")
    );
}

#[test]
fn mitm_alterations_fail_a_link_mac_unless_made_on_a_compromised_node() {
    let model = ward(300);
    let mitm = AttackSpec {
        links: links(&[WIFI]),
        ..with(
            attack(AttackKind::Mitm, "mitm"),
            &[("modification_probability", 0.5)],
        )
    };
    let open = run(&model, vec![mitm.clone()], vec![]);
    let accepted = get(&open, "records_tampered_accepted");
    assert!(accepted > 100.0);
    assert!(get(&open, "records_exposed") > 1000.0);
    // Altered commands reach the pump too.
    assert!(get(&open, "unsafe_commands_executed") > 5.0);
    let wpa = aead(DefenseKind::LinkEncryption, &[WIFI], &[]);
    let guarded = run(&model, vec![mitm], vec![wpa.clone()]);
    assert_eq!(get(&guarded, "records_tampered_accepted"), 0.0);
    assert_eq!(get(&guarded, "records_exposed"), 0.0);
    assert!(get(&guarded, "lost_rejected") > 100.0);
    // On the gateway itself (a foothold), the link keys do not help; end to end does.
    let on_node = AttackSpec {
        after: Some(0),
        ..with(
            attack(AttackKind::Mitm, "mitm"),
            &[("modification_probability", 0.5)],
        )
    };
    // (an exploited service: the admin control a man in the middle on a node needs)
    let foothold = AttackSpec {
        targets: ids(&[GATEWAY]),
        ..with(
            attack(AttackKind::Intrusion, "exploit"),
            &[
                ("vulnerability_probability", 1.0),
                ("attempt_rate", 1.0),
                ("tamper_rate", 0.0),
            ],
        )
    };
    let inside = run(
        &model,
        vec![foothold.clone(), on_node.clone()],
        vec![wpa.clone()],
    );
    assert!(get(&inside, "records_tampered_accepted") > 100.0);
    let e2e = aead(DefenseKind::EndToEndEncryption, &[], &SENSORS);
    let sealed = run(&model, vec![foothold, on_node], vec![wpa, e2e]);
    assert_eq!(get(&sealed, "records_tampered_accepted"), 0.0);
    assert_eq!(get(&sealed, "records_exposed"), 0.0);
}

#[test]
fn a_flood_fills_queues_and_rate_limiting_drops_it_first() {
    let model = ward(60);
    // Bots on two LAN hosts, each host's station passing at most ~1000 packets/s on.
    let flood = AttackSpec {
        from: ids(&[CLOUD[1], CLOUD[2]]),
        targets: ids(&[CLOUD[0]]),
        ..with(
            attack(AttackKind::Flood, "bots"),
            &[("rate", 4000.0), ("size", 100.0)],
        )
    };
    let base = run(&model, vec![], vec![]);
    let hit = run(&model, vec![flood.clone()], vec![]);
    assert!(
        get(&hit, "lost_buffer") > 0.0 || get(&hit, "latency_ms") > 2.0 * get(&base, "latency_ms")
    );
    let limit = on_nodes(DefenseKind::RateLimit, &[CLOUD[0]]);
    let limited = run(&model, vec![flood], vec![limit]);
    // About 2000 packets/s reach the ingestion's ingress; the limiter lets 100/s per bot in.
    let rejected = get(&limited, "rate_limited");
    assert!(
        (rejected / 60.0 - 1800.0).abs() < 150.0,
        "{rejected} rejected in 60 s"
    );
    assert!(get(&limited, "latency_ms") < get(&hit, "latency_ms"));
    // What little is lost is the bucket's initial burst (200 per bot at once).
    assert!(get(&limited, "lost") < 0.1 * get(&hit, "lost"));
}

#[test]
fn ddos_on_ingestion_overloads_the_cloud_service() {
    let model = ward(30);
    let ddos = AttackSpec {
        from: ids(&[CLOUD[1], CLOUD[2]]),
        targets: ids(&[CLOUD[0]]),
        ..with(
            attack(AttackKind::DdosIngestion, "botnet"),
            &[("rate", 5000.0)],
        )
    };
    let base = run(&model, vec![], vec![]);
    let hit = run(&model, vec![ddos], vec![]);
    // Five times the ingestion's capacity (1 ms service): its 50-packet buffer overflows.
    assert!(get(&hit, "lost_buffer") > 0.3 * get(&base, "delivered"));
    assert!(get(&hit, "monitoring_hours_lost") > get(&base, "monitoring_hours_lost"));
}

#[test]
fn sybil_identities_pass_link_keys_but_not_device_authentication() {
    let model = ward(500);
    let sybil = AttackSpec {
        from: ids(&[HUB]),
        targets: ids(&SENSORS),
        ..attack(AttackKind::Sybil, "sybil")
    };
    let open = run(
        &model,
        vec![sybil.clone()],
        vec![aead(DefenseKind::LinkEncryption, &[WIFI], &[])],
    );
    assert!(get(&open, "records_tampered_accepted") > 300.0);
    let auth = authenticated(&SENSORS);
    let guarded = run(&model, vec![sybil], vec![auth]);
    assert_eq!(get(&guarded, "records_tampered_accepted"), 0.0);
    assert!(get(&guarded, "forged_rejected") > 300.0);
}

#[test]
fn a_sinkhole_attracts_routes_and_drops_them_unless_routing_is_authenticated() {
    let model = ward(100);
    let sink = AttackSpec {
        targets: ids(&[RELAY]),
        ..attack(AttackKind::Sinkhole, "sink")
    };
    let hit = run(&model, vec![sink.clone()], vec![]);
    assert!(
        get(&hit, "lost_attack") >= 400.0,
        "{}",
        get(&hit, "lost_attack")
    );
    assert_eq!(get(&hit, "compromised_nodes_max"), 1.0);
    let auth = authenticated(&[HUB, CLOUD[0]]);
    let refused = run(&model, vec![sink], vec![auth]);
    assert_eq!(get(&refused, "lost_attack"), 0.0);
}

#[test]
fn selective_forwarding_drops_its_share_and_an_ids_isolates_the_relay() {
    let model = ward(600);
    let relay = AttackSpec {
        targets: ids(&[GATEWAY]),
        ..attack(AttackKind::SelectiveForwarding, "dropper")
    };
    let hit = run(&model, vec![relay.clone()], vec![]);
    let through = get(&hit, "generated") - 60.0; // commands do not transit the gateway's uplink
    let share = get(&hit, "lost_attack") / through;
    assert!((share - 0.5).abs() < 0.06, "{share}");
    // The IDS runs on the relay it watches (a host attack is seen on its host).
    let ids_ = ids_on(&[GATEWAY], &[("window", 10.0), ("response_delay", 5.0)]);
    let caught = run(&model, vec![relay], vec![ids_]);
    assert_eq!(get(&caught, "detections"), 1.0);
    assert!(get(&caught, "lost_attack") < 0.2 * get(&hit, "lost_attack"));
    // Isolated, the gateway is routed around: readings reach the cloud through the relay.
    assert!(get(&caught, "delivered") > 0.9 * through);
}

#[test]
fn a_wormhole_tunnels_routes_and_end_to_end_encryption_hides_them() {
    let mut model = ward(200);
    let tunnel =
        model
            .topology
            .add_link(NodeId(HUB), NodeId(CLOUD[0]), link("worm", 1e9, 1e-3, 0.0));
    let worm = AttackSpec {
        targets: ids(&[HUB, CLOUD[0]]),
        tunnel: Some(tunnel),
        window: ActiveWindow {
            start: SimTime::from_secs(100),
            duration: None,
        },
        ..attack(AttackKind::Wormhole, "worm")
    };
    let hit = run(&model, vec![worm.clone()], vec![]);
    let exposed = get(&hit, "records_exposed");
    // Only from its start at 100 s: about 400 readings of the second half.
    assert!((380.0..=460.0).contains(&exposed), "{exposed}");
    let e2e = run(
        &model,
        vec![worm],
        vec![aead(DefenseKind::EndToEndEncryption, &[], &SENSORS)],
    );
    assert_eq!(get(&e2e, "records_exposed"), 0.0);
    // The shortcut it offers (1 ms instead of Wi-Fi, gateway and WAN) lowers the latency.
    let none = run(&ward(200), vec![], vec![]);
    assert!(get(&none, "latency_ms") > get(&hit, "latency_ms"));
}

#[test]
fn forged_routing_messages_reroute_unless_routing_is_authenticated() {
    let model = ward(100);
    let forge = AttackSpec {
        links: links(&[WIFI]),
        ..attack(AttackKind::RoutingManipulation, "forger")
    };
    let base = run(&model, vec![], vec![]);
    let hit = run(&model, vec![forge.clone()], vec![]);
    // Through the relay's slower links instead of Wi-Fi and WAN.
    assert!(get(&hit, "latency_ms") > get(&base, "latency_ms") + 20.0);
    let auth = authenticated(&[HUB, GATEWAY]);
    let kept = run(&model, vec![forge], vec![auth]);
    assert!((get(&kept, "latency_ms") - get(&base, "latency_ms")).abs() < 0.5);
}

#[test]
fn mfa_makes_stolen_credentials_rare() {
    let model = ward(86_400);
    let steal = AttackSpec {
        targets: ids(&CLOUD),
        ..with(
            attack(AttackKind::CredentialTheft, "stuffing"),
            &[("attempt_rate", 0.01), ("success_probability", 0.05)],
        )
    };
    let open = run(&model, vec![steal.clone()], vec![]);
    assert_eq!(get(&open, "compromised_nodes_max"), 3.0);
    assert!(get(&open, "time_to_first_compromise_s") < 20_000.0);
    let mfa = on_nodes(DefenseKind::AccessControl, &CLOUD);
    let guarded = run(&model, vec![steal], vec![mfa]);
    // 864 attempts × 0.05 × 0.001: about 0.04 expected successes.
    assert!(get(&guarded, "compromised_nodes_max") <= 1.0);
    let phish = AttackSpec {
        targets: ids(&CLOUD),
        ..with(
            attack(AttackKind::Phishing, "phish"),
            &[("email_rate", 0.001)],
        )
    };
    let clicked = run(&model, vec![phish.clone()], vec![]);
    assert!(get(&clicked, "compromised_nodes_max") >= 1.0);
    let mfa2 = on_nodes(DefenseKind::AccessControl, &CLOUD);
    assert!(
        get(
            &run(&model, vec![phish], vec![mfa2]),
            "compromised_nodes_max"
        ) <= 1.0
    );
}

#[test]
fn an_intrusion_tampers_with_records_until_the_audit_log_finds_it() {
    let model = ward(7200);
    let intrude = AttackSpec {
        targets: ids(&[CLOUD[0]]),
        ..with(
            attack(AttackKind::Intrusion, "sqli"),
            &[("attempt_rate", 0.01), ("vulnerability_probability", 0.5)],
        )
    };
    let open = run(&model, vec![intrude.clone()], vec![]);
    let tampered = get(&open, "records_tampered_accepted");
    assert!(tampered > 50.0, "{tampered}");
    let audit = on_nodes(DefenseKind::AuditLog, &[CLOUD[0]]);
    let audited = run(&model, vec![intrude], vec![audit]);
    assert_eq!(get(&audited, "detections"), 1.0);
    assert!(get(&audited, "records_tampered_accepted") < 5.0);
    // The ledger's commit latency is its write latency when it is far from saturated.
    let commit = get(&audited, "audit_commit_latency_s");
    assert!((commit - 10.01).abs() < 0.01, "{commit}");
}

#[test]
fn an_insider_exposes_records_per_incident_scaled_by_least_privilege() {
    let model = ward(86_400);
    let insider = AttackSpec {
        targets: ids(&[CLOUD[0]]),
        ..with(
            attack(AttackKind::Insider, "nurse"),
            &[
                ("incident_rate", 1.0 / 3600.0),
                ("records_per_incident", 100.0),
            ],
        )
    };
    let open = run(&model, vec![insider.clone()], vec![]);
    let exposed = get(&open, "records_exposed");
    assert!(exposed > 1000.0 && exposed % 100.0 == 0.0, "{exposed}");
    let scoped = DefenseSpec {
        targets: ids(&[CLOUD[0]]),
        ..dwith(defense(DefenseKind::AccessControl), &[("scope", 0.1)])
    };
    let least = run(&model, vec![insider.clone()], vec![scoped]);
    assert!((get(&least, "records_exposed") - 0.1 * exposed).abs() < 1e-6);
    let he = on_nodes(DefenseKind::HomomorphicEncryption, &[CLOUD[0]]);
    assert_eq!(
        get(
            &run(&model, vec![insider.clone()], vec![he]),
            "records_exposed"
        ),
        0.0
    );
    let audit = on_nodes(DefenseKind::AuditLog, &[CLOUD[0]]);
    let audited = run(&model, vec![insider], vec![audit]);
    assert_eq!(get(&audited, "records_exposed"), 100.0);
    assert_eq!(get(&audited, "time_to_detect_s"), 10.0);
}

/// A fully connected hospital LAN of `n` hosts.
fn lan(n: u32, duration_s: u64) -> Model {
    let mut t = Topology::new();
    for i in 0..n {
        t.add_node(NodeSpec::new(
            format!("host[{i}]").into(),
            NodeClass {
                group: if i < n / 2 { "a" } else { "b" }.into(),
                layer: Layer::Cloud,
                device: device(Layer::Cloud, None, false).into(),
            },
        ));
    }
    for i in 0..n {
        for j in i + 1..n {
            t.add_link(NodeId(i), NodeId(j), link("lan", 1e9, 1e-4, 0.0));
        }
    }
    Model {
        topology: t,
        sources: Vec::new(),
        config: RunConfig {
            duration: SimTime::from_secs(duration_s),
            warmup: SimTime::ZERO,
            time_grid: Some(SimTime::from_secs(duration_s / 20)),
        },
    }
}

#[test]
fn ransomware_spreads_along_the_logistic_si_curve() {
    // N = 100 unpatched hosts all in contact, I0 = 10, β = 1e-4 /s: half infected by ~220 s.
    // The simulated mean must lie within its confidence interval of the exact stochastic mean
    // (Kolmogorov forward equations) at every instant of the grid (95 % jointly), and within
    // the interval plus 2 % of N of the logistic closed form I(t) = N / (1 + (N/I0 − 1)·e^(−βNt)),
    // its large-N limit.
    let (n, i0, beta) = (100u32, 10u32, 1e-4);
    let model = lan(n, 1000);
    let worm = AttackSpec {
        targets: ids(&(0..n).collect::<Vec<_>>()),
        ..with(
            attack(AttackKind::Ransomware, "wannacry"),
            &[
                ("infection_rate", beta),
                ("unpatched_fraction", 1.0),
                ("initial_infected", f64::from(i0)),
                ("encrypt_delay", 1e6),
            ],
        )
    };
    let reps = 100;
    let runs: Vec<RunMetrics<SecurityReport>> = (0..reps)
        .map(|r| run_seed(&model, vec![worm.clone()], vec![], replication_seed(99, r)))
        .collect();
    let ts = &runs[0].timeseries;
    let col = ts
        .columns
        .iter()
        .position(|c| c.series == "infected_hosts")
        .unwrap();
    let exact = crate::epidemic::si_expected(n as usize, i0 as usize, beta, &ts.times_s, 0.5);
    // From t = 0, where every run holds exactly I₀.
    assert_eq!(ts.times_s[0], 0.0);
    for (k, &t) in ts.times_s.iter().enumerate() {
        let xs: Vec<f64> = runs
            .iter()
            .map(|m| m.timeseries.columns[col].values[k].unwrap())
            .collect();
        let mean = xs.iter().sum::<f64>() / reps as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
        // A 95 % family-wise interval over the 20 instants (Bonferroni: each at 99.75 %),
        // Student-t with 99 degrees of freedom.
        let half = 3.08 * sd / (reps as f64).sqrt();
        assert!(
            (mean - exact[k]).abs() <= half.max(1e-9),
            "t = {t}: simulated {mean:.2} ± {half:.2}, exact mean {:.2}",
            exact[k]
        );
        let logistic = crate::epidemic::logistic(f64::from(n), f64::from(i0), beta, t);
        assert!(
            (mean - logistic).abs() <= half + 0.02 * f64::from(n),
            "t = {t}: simulated {mean:.2} ± {half:.2}, logistic {logistic:.2}"
        );
    }
    // Segmentation: the second half of the LAN is its own segment; no infection crosses.
    let seg = DefenseSpec {
        targets: ids(&(n / 2..n).collect::<Vec<_>>()),
        ..defense(DefenseKind::Isolation)
    };
    let m = run_seed(&model, vec![worm], vec![seg], 5);
    assert!(get(&m, "infected_hosts_max") <= f64::from(n / 2));
}

#[test]
fn encrypted_hosts_become_unavailable_and_an_ids_stops_the_spread() {
    let model = ward(3600);
    let worm = AttackSpec {
        targets: ids(&CLOUD),
        ..with(
            attack(AttackKind::Ransomware, "locker"),
            &[
                ("unpatched_fraction", 1.0),
                ("encrypt_delay", 600.0),
                ("infection_rate", 1e-3),
            ],
        )
    };
    let hit = run(&model, vec![worm.clone()], vec![]);
    assert!(get(&hit, "lost_no_route") + get(&hit, "lost_unavailable") > 1000.0);
    assert!(get(&hit, "monitoring_hours_lost") > 0.5);
    let ids_ = ids_on(&[CLOUD[0]], &[("response", 4.0), ("reimage_time", 600.0)]);
    let caught = run(&model, vec![worm], vec![ids_]);
    assert_eq!(get(&caught, "detections"), 1.0);
    assert!(get(&caught, "monitoring_hours_lost") < get(&hit, "monitoring_hours_lost"));
}

#[test]
fn exfiltration_starts_only_from_its_foothold_and_he_leaves_only_ciphertext() {
    let model = ward(7200);
    let (login, exfil) = login_then_leak(0.002, 0.2, 2.0);
    let spec = SecuritySpec {
        attacks: vec![login.clone(), exfil.clone()],
        defenses: vec![],
        cost_per_record: COST_PER_RECORD_USD,
        cost_per_breach: 0.0,
    };
    for seed in 1..6 {
        let mut sim = Simulation::new(&model, seed, spec.instantiate(&model, seed)).unwrap();
        sim.run_to_end();
        let a = &sim.hooks().attacks;
        let foothold = a[0].first_act.zip(a[0].held.first().copied());
        let leak = a[1].first_act;
        if let Some(first_leak) = leak {
            let compromise = sim
                .hooks()
                .incidents
                .iter()
                .find(|i| i.kind == IncidentKind::Compromise && i.by == "login")
                .map(|i| i.at)
                .expect("a leak needs a foothold");
            assert!(
                first_leak >= compromise,
                "seed {seed}: leak before its foothold"
            );
            assert!(foothold.is_some());
            let m = sim.finish();
            let expected = 2.0 * (7200.0 - compromise.as_secs_f64());
            assert!(
                (get(&m, "records_exposed") - expected).abs() <= 2.0 * 2.0,
                "seed {seed}"
            );
        }
    }
    let he = on_nodes(DefenseKind::HomomorphicEncryption, &[CLOUD[1]]);
    let open = run(&model, vec![login.clone(), exfil.clone()], vec![]);
    assert!(get(&open, "records_exposed") > 1000.0);
    let sealed = run(&model, vec![login.clone(), exfil.clone()], vec![he]);
    assert_eq!(get(&sealed, "records_exposed"), 0.0);
    // Federated learning trains at the fog (here the gateway): the cloud holds no raw records.
    let fl = on_nodes(DefenseKind::FederatedLearning, &[GATEWAY]);
    let federated = run(&model, vec![login, exfil], vec![fl]);
    assert_eq!(get(&federated, "records_exposed"), 0.0);
}

#[test]
fn lateral_movement_spreads_from_a_foothold_but_not_across_a_segment() {
    let model = ward(86_400);
    let foothold = login(&[GATEWAY], 0.1, 1.0);
    let mover = AttackSpec {
        targets: ids(&CLOUD),
        after: Some(0),
        ..with(
            attack(AttackKind::LateralMovement, "pivot"),
            &[("hop_time", 600.0)],
        )
    };
    let open = run(&model, vec![foothold.clone(), mover.clone()], vec![]);
    assert_eq!(get(&open, "compromised_nodes_max"), 4.0);
    let segment = on_nodes(DefenseKind::Isolation, &CLOUD);
    let walled = run(&model, vec![foothold, mover], vec![segment]);
    assert_eq!(get(&walled, "compromised_nodes_max"), 1.0);
}

#[test]
fn forged_commands_are_executed_unless_the_actuator_authenticates_them() {
    let model = ward(36_000);
    let therapy = AttackSpec {
        targets: ids(&[PUMP]),
        ..attack(AttackKind::TherapyManipulation, "dose")
    };
    let open = run(&model, vec![therapy.clone()], vec![]);
    let executed = get(&open, "unsafe_commands_executed");
    assert!((3.0..=20.0).contains(&executed), "{executed}");
    // Each forged 32-byte command costs the pump its reception, 256 bits at 19 nJ/bit.
    let base = run(&model, vec![], vec![]);
    let rx = get(&open, "sensor_radio_rx_j") - get(&base, "sensor_radio_rx_j");
    assert!((rx - executed * 256.0 * 19e-9).abs() < 1e-12, "{rx}");
    let mac = aead(DefenseKind::MessageAuthentication, &[PUMP_LINK], &[]);
    let guarded = run(&model, vec![therapy], vec![mac]);
    assert_eq!(get(&guarded, "unsafe_commands_executed"), 0.0);
    assert_eq!(get(&guarded, "forged_rejected"), executed);
}

#[test]
fn traffic_analysis_infers_alarms_through_encryption_but_not_through_cover_traffic() {
    let model = ward(1000);
    let watch = AttackSpec {
        links: links(&[BLE[0]]),
        ..attack(AttackKind::TrafficAnalysis, "observer")
    };
    let enc = aead(DefenseKind::LinkEncryption, &BLE, &[]);
    let seen = run(&model, vec![watch.clone()], vec![enc.clone()]);
    let alarms = get(&seen, "generated") - 4000.0 - 100.0;
    let inferred = get(&seen, "events_inferred");
    assert!(
        (inferred / alarms - 0.9).abs() < 0.06,
        "{inferred} of {alarms}"
    );
    let pad = on_nodes(DefenseKind::Padding, &SENSORS);
    let hidden = run(&model, vec![watch], vec![enc.clone(), pad]);
    assert_eq!(get(&hidden, "events_inferred"), 0.0);
    // Padding 100-B readings to 256 B and sending cover packets costs radio energy.
    let plain = run(&model, vec![], vec![enc]);
    assert!(get(&hidden, "sensor_radio_tx_j") > 2.0 * get(&plain, "sensor_radio_tx_j"));
    assert!(get(&hidden, "extra_packets_injected") > 300.0);
}

#[test]
fn a_rogue_access_point_reads_through_link_encryption_unless_devices_authenticate_it() {
    let model = ward(200);
    let rogue = AttackSpec {
        links: links(&BLE),
        ..with(
            attack(AttackKind::RogueAccessPoint, "evil-twin"),
            &[("association_probability", 1.0)],
        )
    };
    let enc = aead(DefenseKind::LinkEncryption, &BLE, &[]);
    let hit = run(&model, vec![rogue.clone()], vec![enc.clone()]);
    assert!(get(&hit, "records_exposed") >= 800.0);
    let auth = authenticated(&SENSORS);
    let refused = run(&model, vec![rogue.clone()], vec![enc.clone(), auth]);
    assert_eq!(get(&refused, "records_exposed"), 0.0);
    let e2e = run(
        &model,
        vec![rogue],
        vec![enc, aead(DefenseKind::EndToEndEncryption, &[], &SENSORS)],
    );
    assert_eq!(get(&e2e, "records_exposed"), 0.0);
}

#[test]
fn a_wake_up_finds_the_victims_own_chip_schedule_and_mac() {
    use crate::wake_up::ListeningRadio;
    use sim_core::mac::{BleParams, Mac};
    use sim_core::phy::technology::technology;
    use sim_core::phy::{Dbm, Position};
    use sim_core::topology::RadioLink;
    let mut model = ward(60);
    let ble = technology("ble_1m").expect("BLE 1M is in the catalogue");
    model.topology.set_radio(
        LinkId(0),
        RadioLink {
            technology: ble,
            channel: 0,
            tx_power: [Dbm(0.0), Dbm(0.0)],
            ends: [Position::new(0.0, 0.0), Position::new(1.0, 0.0)],
            path_loss: ble.path_loss,
        },
    );
    model
        .topology
        .set_mac(LinkId(0), Mac::Ble(BleParams::default()));
    let chip = ble.chip;
    // The sensor sleeps between frames: it pays the chip's wake-up and fall-asleep.
    let sensor = ListeningRadio::of(&model, NodeId(0)).expect("the sensor has a link");
    assert_eq!(sensor.link, LinkId(0));
    assert!((sensor.rx_w - chip.supply_v * chip.rx_ma * 1e-3).abs() < 1e-15);
    let tx_ma = chip.tx_current_ma(Dbm(0.0)).unwrap();
    assert!((sensor.tx_w - chip.supply_v * tx_ma * 1e-3).abs() < 1e-15);
    assert!(!sensor.listening && sensor.wake_j > 0.0);
    assert_eq!(sensor.mac, Some(Mac::Ble(BleParams::default())));
    assert!((sensor.airtime(Bytes(20)) - (20.0 + ble.overhead.0 as f64) * 8.0 / 1e6).abs() < 1e-15);
    // The hub listens all the time: a frame's reception is free to it.
    let hub = ListeningRadio::of(&model, NodeId(HUB)).expect("the hub has links");
    assert!(hub.listening && hub.wake_j == 0.0);
    // Sensor 1 keeps its fixed-loss link: the per-bit figures, no MAC.
    let plain = ListeningRadio::of(&model, NodeId(1)).expect("sensor 1 has a link");
    assert!((plain.rx_w - 19e-9 * 1e6).abs() < 1e-15 && plain.mac.is_none());
}
