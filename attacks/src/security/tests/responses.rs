//! Detection and response: IDS detection time and false-alarm rate against their closed
//! forms, blocking, key rotation, returning attackers; what defenses cost; and common random
//! numbers across defense variants.

use super::*;

#[test]
fn ids_detection_time_and_false_alarms_match_their_parameters() {
    // A spoofer acting from t = 0; an IDS with a 10 s window and p = 0.3 per window:
    // detection after a geometric number of windows, mean 10 / 0.3 = 33.3 s.
    let model = ward(400);
    let spoof = spoofer(5.0, &[]);
    let ids_ = ids_on(
        &[HUB, GATEWAY],
        &[
            ("detection_probability", 0.3),
            ("false_positive_rate", 0.0),
            ("response", 0.0),
        ],
    );
    let reps = 200;
    let delays: Vec<f64> = (0..reps)
        .map(|r| {
            let m = run_seed(
                &model,
                vec![spoof.clone()],
                vec![ids_.clone()],
                replication_seed(3, r),
            );
            get(&m, "time_to_detect_s")
        })
        .collect();
    let mean = delays.iter().sum::<f64>() / reps as f64;
    let sd = (delays.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (reps - 1) as f64).sqrt();
    // The first act falls inside the first window, so the delay is k·10 s minus that offset.
    let theory = 10.0 / 0.3 - mean_offset(&delays);
    assert!(
        (mean - theory).abs() <= 2.0 * sd / (reps as f64).sqrt() + 0.5,
        "{mean} vs {theory}"
    );
    // False alarms: 2 watched nodes × 0.01 per 10 s window = 7.2 per hour.
    let noisy = ids_on(&[HUB, GATEWAY], &[("false_positive_rate", 0.01)]);
    let quiet = ward(36_000);
    let m = run(&quiet, vec![], vec![noisy]);
    let per_hour = get(&m, "false_alarms") / 10.0;
    // Binomial over 7200 trials: sd = sqrt(72 × 0.99) ≈ 8.4 for the count of 72.
    assert!((per_hour - 7.2).abs() < 3.0 * 8.4 / 10.0, "{per_hour}");
    assert_eq!(get(&m, "detections"), 0.0);
}

/// The mean offset of the first act into its window (the spoofer acts at its first arrival,
/// about 0.2 s in): recovered from the delays, which are k·10 s minus it.
fn mean_offset(delays: &[f64]) -> f64 {
    delays
        .iter()
        .map(|d| (10.0 - d.rem_euclid(10.0)) % 10.0)
        .sum::<f64>()
        / delays.len() as f64
}

#[test]
fn turning_a_defense_on_leaves_sensor_traffic_and_attack_draws_unchanged() {
    let model = ward(600);
    let attacks = || {
        vec![
            // The spoofer at its default rate, 0.1/s.
            spoofer(0.1, &[]),
            login(&CLOUD, 0.05, 0.3),
        ]
    };
    let off = run(&model, attacks(), vec![]);
    let on = run(
        &model,
        attacks(),
        vec![
            aead(DefenseKind::LinkEncryption, &BLE, &[]),
            on_nodes(DefenseKind::AccessControl, &CLOUD),
        ],
    );
    assert_eq!(get(&on, "generated"), get(&off, "generated"));
    // The same forgeries were tried (accepted before, refused now) ...
    assert_eq!(
        get(&on, "forged_rejected"),
        get(&off, "extra_packets_injected")
    );
    // ... and the login attempts fell at the same instants: without MFA the first succeeds
    // at the instant it did, with MFA later or never.
    let t_off = get(&off, "time_to_first_compromise_s");
    let t_on = on.scalar("time_to_first_compromise_s");
    assert!(t_on.is_none_or(|t| t >= t_off));
}

#[test]
fn a_flood_reaches_a_node_no_source_sends_to() {
    // cloud[2] is nobody's destination: the engine routes to it because the flood asks.
    let model = ward(10);
    let flood = AttackSpec {
        from: ids(&[CLOUD[1]]),
        targets: ids(&[CLOUD[2]]),
        ..with(attack(AttackKind::Flood, "bots"), &[("rate", 100.0)])
    };
    let m = run(&model, vec![flood], vec![]);
    assert!(get(&m, "extra_packets_accepted") > 900.0);
    assert_eq!(get(&m, "extra_packets_lost"), 0.0);
}

#[test]
fn revoking_stolen_credentials_ends_the_exfiltration_that_used_them() {
    let model = ward(3600);
    let (login, exfil) = login_then_leak(1.0, 1.0, 1.0);
    let open = run(&model, vec![login.clone(), exfil.clone()], vec![]);
    assert!(get(&open, "records_exposed") > 3500.0);
    // An IDS on the attacked host detects the logins within a few 10 s windows and revokes
    // the account 60 s later: the leak stops with it.
    let soc = ids_on(&[CLOUD[1]], &[("response", 2.0)]);
    let caught = run(&model, vec![login, exfil], vec![soc]);
    assert!(get(&caught, "detections") >= 1.0);
    assert!(
        get(&caught, "records_exposed") < 200.0,
        "{}",
        get(&caught, "records_exposed")
    );
}

#[test]
fn defenses_pay_their_costs_in_bytes_cycles_and_handshakes() {
    let model = ward(1000);
    let base = run(&model, vec![], vec![]);
    // Packets the sensors send over BLE: readings and alarms.
    let sent = get(&base, "generated") - 100.0;
    let tx = |m: &RunMetrics<SecurityReport>| {
        get(m, "sensor_radio_tx_j") - get(&base, "sensor_radio_tx_j")
    };
    // Freshness: a 4-byte counter on every packet, 32 bits at 19 nJ/bit.
    let fresh = run(
        &model,
        vec![],
        vec![on_nodes(DefenseKind::Freshness, &SENSORS)],
    );
    assert!(
        (tx(&fresh) - sent * 32.0 * 19e-9).abs() < 1e-9,
        "{}",
        tx(&fresh)
    );
    // Frequency hopping: 2 bytes of synchronisation per packet.
    let hop = run(
        &model,
        vec![],
        vec![on_links(DefenseKind::FrequencyHopping, &BLE)],
    );
    assert!(
        (tx(&hop) - sent * 16.0 * 19e-9).abs() < 1e-9,
        "{}",
        tx(&hop)
    );
    // A MAC: the tag's bytes and the cycles at the sensor, and a little latency.
    let mac = run(
        &model,
        vec![],
        vec![aead(DefenseKind::MessageAuthentication, &BLE, &[])],
    );
    assert!((tx(&mac) - sent * 28.0 * 8.0 * 19e-9).abs() < 1e-9);
    assert!(get(&mac, "sensor_crypto_j") > 0.0);
    assert!(get(&mac, "latency_ms") > get(&base, "latency_ms"));
    // Key rotation every 100 s renews mutual authentication's keys: one handshake per sensor
    // at the start and one per rotation.
    let auth = handshakes_on_sensors();
    let once = run(&model, vec![], vec![auth.clone()]);
    let rotating = run(&model, vec![], vec![auth, rotation_for(&SENSORS, 100.0)]);
    let handshake = 3.6e6 * 0.16e-9 + 193.0 * 8.0 * 19e-9;
    let extra = (get(&rotating, "sensor_energy_j") - get(&once, "sensor_energy_j")) / 4.0;
    assert!(
        (extra / handshake - 10.0).abs() < 1.01,
        "{} handshakes",
        extra / handshake
    );
    // A rate limit below a sensor's own rate rejects its readings too.
    let tight = run(
        &model,
        vec![],
        vec![DefenseSpec {
            targets: ids(&[CLOUD[0]]),
            ..dwith(
                defense(DefenseKind::RateLimit),
                &[("rate", 0.5), ("burst", 2.0)],
            )
        }],
    );
    let share = get(&tight, "rate_limited") / get(&base, "generated");
    assert!(
        (0.4..0.6).contains(&share),
        "{share} {} {}",
        get(&tight, "rate_limited"),
        get(&base, "generated")
    );
}

#[test]
fn ecg_keys_leave_a_window_before_enough_beats_have_been_seen() {
    // 32 beats at 60 bpm: the key exists 32 s in. A spoofer from t = 0 gets through until then.
    let model = ward(300);
    let spoof = spoofer(1.0, &[]);
    let ecg = DefenseSpec {
        targets: ids(&SENSORS),
        ..dwith(
            defense(DefenseKind::MutualAuthentication),
            &[("method", 1.0), ("heart_rate", 1.0)],
        )
    };
    let m = run(&model, vec![spoof], vec![ecg]);
    let accepted = get(&m, "records_tampered_accepted");
    let refused = get(&m, "forged_rejected");
    // About 32 of the ~300 forgeries fall before the key.
    assert!((20.0..=45.0).contains(&accepted), "{accepted}");
    assert!(
        (accepted + refused - 300.0).abs() < 40.0,
        "{accepted} + {refused}"
    );
}

#[test]
fn a_chained_attack_needs_the_privilege_its_foothold_grants() {
    // A sinkhole needs admin control of the relay: phishing's user account does not give it,
    // an exploited service does.
    let model = ward(300);
    let sink = AttackSpec {
        after: Some(0),
        ..attack(AttackKind::Sinkhole, "sink")
    };
    let by = |kind, p: &str| AttackSpec {
        targets: ids(&[RELAY]),
        ..with(attack(kind, "foothold"), &[("attempt_rate", 1.0), (p, 1.0)])
    };
    let user = run(
        &model,
        vec![
            by(AttackKind::CredentialTheft, "success_probability"),
            sink.clone(),
        ],
        vec![],
    );
    assert_eq!(get(&user, "compromised_nodes_max"), 1.0);
    assert_eq!(get(&user, "lost_attack"), 0.0);
    let admin = run(
        &model,
        vec![by(AttackKind::Intrusion, "vulnerability_probability"), sink],
        vec![],
    );
    assert!(
        get(&admin, "lost_attack") > 1000.0,
        "{}",
        get(&admin, "lost_attack")
    );
}

#[test]
fn tampered_data_counts_from_the_warm_up_by_creation_and_each_reading_once() {
    let mut model = ward(100);
    model.config.warmup = SimTime::from_secs(50);
    let mut layer = SecuritySpec::default().instantiate(&model, 1);
    let mut acts = Actions::default();
    let ehr = NodeId(CLOUD[0]);
    let altered = |created_s: u64, origin: Origin| Packet {
        created: SimTime::from_secs(created_s),
        source: sim_core::SourceId(1).into(),
        dst: ehr,
        size: Bytes(100),
        records: 1,
        class: TrafficClass::Routine,
        kind: PacketKind::Data,
        origin: origin.mark(),
        seq: created_s as u32,
    };
    let at = SimTime::from_secs(60);
    // Altered before the warm-up, accepted after it: outside the measured window.
    assert!(layer.on_deliver(at, ehr, &altered(49, Origin::Tampered), &mut acts));
    assert_eq!(layer.m.records_tampered_accepted, 0);
    assert!(layer.on_deliver(at, ehr, &altered(55, Origin::Tampered), &mut acts));
    // A replayed copy of the same reading is the same falsified reading.
    assert!(layer.on_deliver(at, ehr, &altered(55, Origin::Replayed), &mut acts));
    assert_eq!(layer.m.readings_tampered_accepted, 1);
    assert_eq!(layer.m.patients_tampered, 1);
    assert_eq!(layer.m.patients[1].readings_tampered_accepted, 1);
}

#[test]
fn false_alarms_cut_off_the_accused_node_and_cost_monitoring() {
    // No attack at all; an IDS on the hub raising a false alarm in about one window in five.
    let model = ward(600);
    let trigger_happy = |response: f64| {
        ids_on(
            &[HUB],
            &[
                ("false_positive_rate", 0.2),
                ("response", response),
                ("reimage_time", 60.0),
            ],
        )
    };
    let counted = run(&model, vec![], vec![trigger_happy(0.0)]);
    let isolated = run(&model, vec![], vec![trigger_happy(1.0)]);
    let reimaged = run(&model, vec![], vec![trigger_happy(4.0)]);
    assert!(get(&counted, "false_alarms") > 5.0);
    // Only counted: nothing is lost (the ward's links are lossless).
    assert_eq!(get(&counted, "lost"), 0.0);
    // Acted on: the hub every sensor sends through leaves the network; their readings have no
    // route left.
    assert!(get(&isolated, "lost") > 1000.0);
    assert!(get(&isolated, "monitoring_hours_lost") > get(&counted, "monitoring_hours_lost") + 0.1);
    // Reimaged, it comes back after a minute each time: less lost than for good.
    assert!(get(&reimaged, "lost") > 0.0);
    assert!(get(&reimaged, "lost") < get(&isolated, "lost"));
}

#[test]
fn a_replayed_copy_crosses_the_air_and_its_receiver_pays_the_reception() {
    // The recorder replays commands to the pump (32 B each, 19 nJ/bit on its BLE link).
    let model = ward(600);
    let replay = AttackSpec {
        links: links(&[PUMP_LINK]),
        ..with(
            attack(AttackKind::Replay, "recorder"),
            &[("record_probability", 1.0), ("delay", 5.0)],
        )
    };
    let pump_rx = |m: &RunMetrics<SecurityReport>| {
        m.groups.iter().find(|g| g.name == "pump").unwrap().energy_j
            [sim_core::Component::RadioRx as usize]
    };
    let quiet = run(&model, vec![], vec![]);
    let replayed = run(&model, vec![replay], vec![]);
    let copies = replayed.hooks.attacks[0].injected as f64;
    assert!(copies > 50.0, "{copies}");
    // The genuine commands' draws and receptions are where they were (common random numbers);
    // each copy adds one 32-byte reception.
    let extra = pump_rx(&replayed) - pump_rx(&quiet);
    let expected = copies * 32.0 * 8.0 * 19e-9;
    assert!(
        (extra - expected).abs() < 1e-9 * expected.max(1.0),
        "{extra} vs {expected}"
    );
}

#[test]
fn an_ids_sees_the_attacks_whose_packets_pass_through_or_target_its_node() {
    // Sensor readings go ecg → hub → gateway → cloud[0] (Wi-Fi, then WAN); the relay and the
    // other cloud hosts carry none of them. An IDS that detects in every window it sees an
    // attack in, and only counts.
    let model = ward(120);
    let mitm_on = |link: u32| AttackSpec {
        links: links(&[link]),
        ..attack(AttackKind::Mitm, "mitm")
    };
    let watcher = |node: u32| {
        ids_on(
            &[node],
            &[
                ("detection_probability", 1.0),
                ("false_positive_rate", 0.0),
                ("response", 0.0),
            ],
        )
    };
    let detected = |link: u32, node: u32| {
        let m = run(&model, vec![mitm_on(link)], vec![watcher(node)]);
        assert!(m.hooks.attacks[0].first_act.is_some(), "the attacker acts");
        get(&m, "detections") > 0.0
    };
    // On the path: the gateway relays what the Wi-Fi attacker altered, cloud[0] receives it,
    // the hub sends on the attacked link.
    assert!(detected(WIFI, GATEWAY));
    assert!(detected(WIFI, CLOUD[0]));
    assert!(detected(WIFI, HUB));
    // Off the path: the relay (a network node, like the attacked link's ends) carries none of
    // the altered packets, and a man in the middle of the WAN is out of sight of a cloud host
    // its traffic never reaches.
    assert!(!detected(WIFI, RELAY));
    assert!(!detected(WAN, CLOUD[1]));
    assert!(detected(WAN, CLOUD[0]));
    // A host attack is seen on its host only: stolen credentials on cloud[1].
    let (login, _) = login_then_leak(1.0, 0.0, 0.0);
    let on = |node: u32| {
        let m = run(&model, vec![login.clone()], vec![watcher(node)]);
        get(&m, "detections") > 0.0
    };
    assert!(on(CLOUD[1]));
    assert!(!on(CLOUD[2]));
}

#[test]
fn a_detected_attacker_returns_after_retry_after_and_is_caught_again() {
    // A spoofer (5 forgeries a second) seen by an IDS on the gateway that detects in the first
    // window it sees it and isolates 5 s later. Without `retry_after` the attacker is gone for
    // good; with a 60 s mean it comes back, forges again and is detected a second time.
    let model = ward(900);
    let returning = |retry: f64| spoofer(5.0, &[("retry_after", retry)]);
    let ids_ = responder(&[GATEWAY], 1.0);
    let once = run(&model, vec![returning(f64::INFINITY)], vec![ids_.clone()]);
    assert_eq!(get(&once, "detections"), 1.0);
    let stopped = once.hooks.attacks[0].stopped.expect("the response ends it");
    let back = run(&model, vec![returning(60.0)], vec![ids_]);
    // The same first episode (the return draw comes after every draw of the first one).
    assert_eq!(
        back.hooks.attacks[0].first_act,
        once.hooks.attacks[0].first_act
    );
    let detections: Vec<f64> = back
        .hooks
        .incidents
        .iter()
        .filter(|r| r.kind == IncidentKind::Detection)
        .map(|r| r.at.as_secs_f64())
        .collect();
    // 900 s with a ~15 s episode and a 60 s mean absence: about a dozen episodes.
    assert!(detections.len() >= 3, "{detections:?}");
    assert_eq!(get(&back, "detections"), detections.len() as f64);
    // The second detection comes after the first episode ended, within a window of the
    // attacker's first forgery after its return.
    assert!(
        detections[1] > stopped.as_secs_f64(),
        "{detections:?} vs {stopped:?}"
    );
    // Each episode forges: more forgeries than the single episode made.
    assert!(
        back.hooks.attacks[0].injected > 2 * once.hooks.attacks[0].injected,
        "{} vs {}",
        back.hooks.attacks[0].injected,
        once.hooks.attacks[0].injected
    );
    // Each detection is timed from its own episode's first act: about half a 10 s window on
    // average (the first acts are uniform within a window), not the time since t = 0.
    let mean_delay = get(&back, "time_to_detect_s");
    assert!(mean_delay < 10.0, "{mean_delay}");
}

#[test]
fn blocking_drops_a_spoofers_packets_where_rotating_keys_leaves_it_forging() {
    // Forged readings enter at the hub and go through the gateway to cloud[0]; the IDS runs
    // on the gateway. The spoofer holds no key, so replacing keys takes nothing from it.
    let model = ward(600);
    let spoofer = spoofer(2.0, &[]);
    let blocked = run(
        &model,
        vec![spoofer.clone()],
        vec![responder(&[GATEWAY], 2.0)],
    );
    let rekeyed = run(&model, vec![spoofer], vec![responder(&[GATEWAY], 3.0)]);
    assert_eq!(get(&blocked, "detections"), 1.0);
    assert_eq!(get(&rekeyed, "detections"), 1.0);
    // Either way the attacker goes on sending (the same forgeries: the same draws) ...
    assert_eq!(blocked.hooks.attacks[0].stopped, None);
    assert_eq!(
        blocked.hooks.attacks[0].injected,
        rekeyed.hooks.attacks[0].injected
    );
    assert!(blocked.hooks.attacks[0].injected > 1000);
    // ... but the gateway drops them once it blocks: only the first ~15 s get through.
    let through_block = get(&blocked, "records_tampered_accepted");
    let through_rekey = get(&rekeyed, "records_tampered_accepted");
    assert!(through_rekey > 1000.0, "{through_rekey}");
    assert!(
        through_block < 0.05 * through_rekey,
        "{through_block} vs {through_rekey}"
    );
}

#[test]
fn rotating_keys_ends_what_a_captured_key_reads_and_costs_a_key_agreement_where_blocking_does_nothing()
 {
    // A captured patch's extracted key reads its encrypted BLE link; an IDS on the patches.
    let model = ward(600);
    let capture = AttackSpec {
        targets: ids(&[0]),
        ..with(
            attack(AttackKind::NodeCapture, "thief"),
            &[("time_to_extract", 60.0)],
        )
    };
    let enc = aead(DefenseKind::LinkEncryption, &BLE, &[]);
    let watched = |response| {
        run(
            &model,
            vec![capture.clone()],
            vec![enc.clone(), responder(&SENSORS, response)],
        )
    };
    let counted = watched(0.0);
    let blocked = watched(2.0);
    let rekeyed = watched(3.0);
    assert_eq!(get(&counted, "detections"), 1.0);
    // A key that reads a link sends nothing to block: blocking changes nothing at all.
    assert_eq!(
        get(&blocked, "records_exposed"),
        get(&counted, "records_exposed")
    );
    assert!(get(&counted, "records_exposed") > 100.0);
    // Rotating replaces the key: reading stops until the attacker extracts the new one (it
    // still holds the device: a second compromise).
    assert!(
        get(&rekeyed, "records_exposed") < get(&blocked, "records_exposed") - 5.0,
        "{} vs {}",
        get(&rekeyed, "records_exposed"),
        get(&blocked, "records_exposed")
    );
    assert_eq!(rekeyed.hooks.attacks[0].compromises, 2);
    assert_eq!(blocked.hooks.attacks[0].compromises, 1);
    // The rotating patch pays one key agreement (3.6 M cycles at 0.16 nJ) on top of the same
    // traffic; the hub's is free in this ward (no energy per cycle).
    let crypto = |m: &RunMetrics<SecurityReport>| {
        m.groups.iter().find(|g| g.name == "ecg").unwrap().energy_j
            [sim_core::Component::Crypto as usize]
    };
    let extra = crypto(&rekeyed) - crypto(&blocked);
    let expected = 3.6e6 * 0.16e-9;
    assert!(
        (extra - expected).abs() < 1e-6 * expected,
        "{extra} vs {expected}"
    );
}

#[test]
fn packets_a_defense_drops_upstream_leave_an_eavesdroppers_draws_on_the_others_unchanged() {
    // A listener on the Wi-Fi catching half the frames, and a spoofer by the beds. Without a
    // MAC on BLE the forgeries cross the Wi-Fi and the listener draws for them too; with one
    // the hub refuses them first. The listener's draws are keyed by each packet's identity, so
    // the genuine readings it catches are the same ones either way.
    let model = ward(600);
    let listener = AttackSpec {
        links: links(&[WIFI]),
        ..with(
            attack(AttackKind::Eavesdrop, "listener"),
            &[("capture_probability", 0.5)],
        )
    };
    let spoofer = spoofer(2.0, &[]);
    let attacks = vec![listener, spoofer];
    let open = run(&model, attacks.clone(), vec![]);
    let mac = DefenseSpec {
        links: links(&BLE),
        cipher: Some(AEAD),
        ..defense(DefenseKind::MessageAuthentication)
    };
    let checked = run(&model, attacks, vec![mac]);
    assert!(open.hooks.attacks[1].injected > 500);
    assert_eq!(
        checked.hooks.attacks[1].injected, 0,
        "the MAC refuses every forgery"
    );
    // The listener caught forgeries only in the open ward ...
    assert!(get(&open, "packets_intercepted") > get(&checked, "packets_intercepted") + 100.0);
    // ... and exactly the same genuine readings in both (about half of the ~2 500 it heard).
    let caught = get(&checked, "readings_exposed");
    assert!((1000.0..1600.0).contains(&caught), "{caught}");
    assert_eq!(get(&open, "readings_exposed"), caught);
}

#[test]
fn a_layer_without_attacks_or_defenses_forwards_each_hop_as_pricing_it_would() {
    // The ward (sensors on batteries with crypto energy per cycle, a station on every relay,
    // commands with acks): the layer that skips its per-hop work must leave every figure,
    // energy and event count where the layer that prices each hop puts them.
    let model = ward(300);
    let seed = 11;
    let inert = SecuritySpec::default().instantiate(&model, seed);
    assert!(inert.inert);
    let mut priced = SecuritySpec::default().instantiate(&model, seed);
    priced.inert = false;
    // The engine then forwards each hop without asking the layer at all.
    assert!(!inert.asks_transmissions() && priced.asks_transmissions());
    let fast = Simulation::new(&model, seed, inert).unwrap().run();
    let slow = Simulation::new(&model, seed, priced).unwrap().run();
    assert!(get(&fast, "delivered") > 1000.0);
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
    // One defense (or one attack) makes the layer price every hop again.
    let defended = SecuritySpec {
        defenses: vec![aead(DefenseKind::LinkEncryption, &BLE, &[])],
        ..SecuritySpec::default()
    };
    assert!(!defended.instantiate(&model, seed).inert);
}
