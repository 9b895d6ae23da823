//! The ward example end to end, and the errors a user sees for common mistakes.

use super::*;
use crate::scenario::{Attack, Defense};
use sim_core::{Hooks, LinkCost, Packet, SimTime, Transmission};

const WARD: &str = include_str!("../../examples/ward.yaml");

fn ward() -> Scenario {
    parse(WARD, "ward.yaml").unwrap()
}

/// The ward, shortened for tests.
fn short_ward(minutes: u64) -> Scenario {
    let mut s = ward();
    s.duration = SimTime::from_secs(60 * minutes);
    s.warmup = SimTime::from_secs(10);
    s.time_grid = SimTime::from_secs(10);
    s
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match parse(text, "t.yaml") {
        Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("expected diagnostics, got {other:?}"),
    }
}

#[test]
fn the_ward_example_validates_and_expands() {
    let s = ward();
    assert_eq!(s.nodes_per_layer(), [24, 13, 2]);
    let b = s.build();
    // 24 BLE + 12 Wi-Fi + 1 WAN + 1 DC links; 24 sensors × 2 streams.
    assert_eq!(b.model.topology.link_count(), 38);
    assert_eq!(b.model.sources.len(), 48);
    assert_eq!(b.model.topology.node(b.group_nodes[0][3]).name, "ecg[3]");
    // 12 ECG at 1/s + 12 SpO2 at 1/2 s + alarms 12 × 3/h.
    assert!((s.packets_per_second() - (12.0 + 6.0 + 36.0 / 3600.0)).abs() < 1e-9);
}

#[test]
fn a_ward_run_reports_latency_energy_and_exposure() {
    let b = short_ward(10).build();
    let m = b.replication(0).unwrap().run();
    let delivered = m.scalar("delivered").unwrap();
    // 18 packets/s for 590 s, less 0.1 % loss on each of 4 lossy hops.
    assert!(
        delivered > 0.99 * 18.0 * 590.0 && delivered < 18.0 * 590.0 + 20.0,
        "{delivered}"
    );
    let latency = m.scalar("latency_ms").unwrap();
    assert!((20.0..120.0).contains(&latency), "{latency} ms");
    assert!(m.scalar("sensor_energy_j").unwrap() > 0.0);
    // Plaintext BLE under a 0.9-capture sniffer exposes about 90 % of the records.
    let exposed = m.scalar("records_exposed").unwrap();
    let generated = m.scalar("generated").unwrap();
    assert!(
        (exposed / generated - 0.9).abs() < 0.02,
        "{exposed} of {generated}"
    );
}

#[test]
fn the_same_seed_gives_the_same_numbers() {
    let b = short_ward(3).build();
    let a = b.replication(4).unwrap().run();
    let again = b.replication(4).unwrap().run();
    assert_eq!(a.scalars, again.scalars);
    assert_eq!(a.timeseries.columns, again.timeseries.columns);
    assert_ne!(a.scalars, b.replication(5).unwrap().run().scalars);
}

/// The ward with BLE link encryption added.
fn with_ble_encryption(mut s: Scenario, cipher: &str) -> Scenario {
    let ble = s.links.iter().position(|l| l.name == "ble").unwrap();
    let c = catalogue::cipher(cipher).unwrap();
    s.defenses.push(Defense::LinkEncryption {
        name: "ble-aead".into(),
        links: vec![ble],
        cipher_name: c.name.into(),
        cipher: attacks::CipherCost {
            cycles_per_byte: c.cycles_per_byte,
            cycles_per_message: c.cycles_per_message,
            overhead: sim_core::Bytes(c.overhead_bytes),
        },
    });
    s
}

#[test]
fn ble_encryption_ends_exposure_at_a_price_in_latency_and_energy() {
    let plain = short_ward(10);
    let aead = with_ble_encryption(plain.clone(), "aes128_ctr_hmac_sha256");
    let (bp, ba) = (plain.build(), aead.build());
    let mp = bp.replication(0).unwrap().run();
    let ma = ba.replication(0).unwrap().run();
    assert!(mp.scalar("records_exposed").unwrap() > 1000.0);
    assert_eq!(ma.scalar("records_exposed"), Some(0.0));
    assert!(ma.scalar("packets_intercepted").unwrap() > 1000.0);
    assert!(ma.scalar("latency_ms").unwrap() > mp.scalar("latency_ms").unwrap());
    let e = |m: &sim_core::RunMetrics, c: &str| m.scalar(c).unwrap();
    assert_eq!(
        e(&mp, "sensor_crypto_j"),
        0.0,
        "no crypto energy without a cipher on the sensors"
    );
    assert!(e(&ma, "sensor_crypto_j") > 0.0);
    assert!(
        e(&ma, "sensor_radio_tx_j") > e(&mp, "sensor_radio_tx_j"),
        "28 B of overhead per packet cost radio energy"
    );
}

/// Records the send instants, delegating the rest to the security layer.
struct Sends<H>(H, Vec<(SimTime, sim_core::SourceId)>);

impl<H: Hooks> Hooks for Sends<H> {
    fn on_generate(&mut self, now: SimTime, packet: &Packet) {
        self.1.push((now, packet.source));
    }
    fn on_transmit(&mut self, tx: &Transmission) -> LinkCost {
        self.0.on_transmit(tx)
    }
}

#[test]
fn adding_the_attack_or_the_defense_leaves_every_send_time_unchanged() {
    let base = short_ward(3);
    let mut no_attack = base.clone();
    no_attack.attacks.clear();
    let variants = [
        no_attack,
        base.clone(),
        with_ble_encryption(base.clone(), "ascon128"),
    ];
    let sends: Vec<Vec<(SimTime, sim_core::SourceId)>> = variants
        .iter()
        .map(|s| {
            let b = s.build();
            let seed = sim_core::rng::replication_seed(b.seed, 0);
            let hooks = Sends(
                b.security.instantiate(b.model.topology.link_count(), seed),
                vec![],
            );
            let mut sim = sim_core::Simulation::new(&b.model, seed, hooks).unwrap();
            sim.run_to_end();
            sim.hooks().1.clone()
        })
        .collect();
    assert!(sends[0].len() > 3000);
    assert_eq!(sends[0], sends[1]);
    assert_eq!(sends[0], sends[2]);
    assert!(matches!(variants[1].attacks[0], Attack::Eavesdrop { .. }));
}

#[test]
fn a_misspelt_profile_names_the_line_and_a_suggestion() {
    let text = WARD.replace("profile: ble_1m", "profile: ble_2m");
    let d = errors(&text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].path, "links[0].profile");
    let line = WARD
        .lines()
        .position(|l| l.contains("profile: ble_1m"))
        .unwrap()
        + 1;
    assert_eq!(d[0].line, Some(line));
    assert!(
        d[0].message.contains("did you mean `ble_1m`"),
        "{}",
        d[0].message
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let text = WARD
        .replace("duration: 1h", "duration: 3600")
        .replace("capture_probability: 0.9", "capture_probability: 1.5")
        .replace(
            "to: ehr\n      - name: arrhythmia",
            "to: ehrr\n      - name: arrhythmia",
        );
    let d = errors(&text);
    let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "duration",
            "sensing[0].streams[0].to",
            "attacks[0].capture_probability"
        ]
    );
    assert!(d[0].message.contains("no unit"), "{}", d[0].message);
    assert!(
        d[1].message.contains("did you mean `ehr`"),
        "{}",
        d[1].message
    );
    assert!(d[2].message.contains("[0, 1]"), "{}", d[2].message);
    assert!(d.iter().all(|d| d.line.is_some()));
}

#[test]
fn an_unknown_key_is_refused_with_its_position_and_a_suggestion() {
    let text = WARD.replace(
        "    count: 12\n    device: ecg_patch",
        "    cuont: 12\n    device: ecg_patch",
    );
    let d = errors(&text);
    assert_eq!(d.len(), 1);
    let line = text.lines().position(|l| l.contains("cuont")).unwrap() + 1;
    assert_eq!(d[0].line, Some(line));
    assert!(
        d[0].message.contains("unknown field `cuont`"),
        "{}",
        d[0].message
    );
    assert!(
        d[0].message.contains("did you mean `count`"),
        "{}",
        d[0].message
    );
}

#[test]
fn a_stream_without_a_route_is_refused() {
    // Drop the WAN: nothing reaches the cloud.
    let start = WARD.find("  - name: wan").unwrap();
    let end = WARD.find("  - name: dc").unwrap();
    let text = format!("{}{}", &WARD[..start], &WARD[end..]);
    let d = errors(&text);
    assert_eq!(d.len(), 4, "{d:?}"); // each of the four streams
    assert!(
        d[0].message.contains("no route from `ecg[0]` to `ehr[0]`"),
        "{}",
        d[0].message
    );
}

#[test]
fn oversized_groups_are_refused_before_allocation() {
    let text = WARD.replace(
        "count: 12\n    device: ecg_patch",
        "count: 4000000000\n    device: ecg_patch",
    );
    let d = errors(&text);
    assert!(d.iter().any(|d| d.path == "sensing[0].count"), "{d:?}");
}

fn sets(list: &[&str]) -> Vec<Override> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

#[test]
fn overrides_change_fields_with_the_same_validation() {
    let l = parse_with(
        WARD,
        "ward.yaml",
        &sets(&[
            "sensing.ecg.count=20",
            "network.hub.count=20",
            "sensing.spo2.count=20",
            "duration=2h",
        ]),
    )
    .unwrap();
    assert_eq!(l.scenario.nodes_per_layer(), [40, 21, 2]);
    assert_eq!(l.scenario.duration, SimTime::from_secs(7200));
    assert_eq!(l.resolved["duration"], serde_yaml::Value::from("2h"));
    // The pairwise BLE pattern now joins 20 ECG patches with 12 hubs: refused where the file
    // says `pairwise`. An out-of-range value set by an override is blamed on the override.
    let e = match parse_with(WARD, "ward.yaml", &sets(&["sensing.ecg.count=20"])) {
        Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("{other:?}"),
    };
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].message.contains("pairwise"), "{}", e[0].message);
    let bad = match parse_with(
        WARD,
        "ward.yaml",
        &sets(&["attacks.ward-sniffer.capture_probability=2"]),
    ) {
        Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        bad[0].path,
        "--set attacks.ward-sniffer.capture_probability=2"
    );
    assert_eq!(bad[0].line, None);
    assert!(bad[0].message.contains("[0, 1]"));
}
