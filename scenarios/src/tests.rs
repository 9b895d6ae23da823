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
        encrypts: c.kind.encrypts(),
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

#[test]
fn scenario_profiles_extend_the_catalogue_and_groups_override_them() {
    let text = format!(
        "{WARD}\nprofiles:\n  devices:\n    big_patch:\n      extends: ecg_patch\n      battery: 900mAh@3.7V\n    tiny_patch:\n      extends: big_patch\n      sleep_power: 12uW\n  links:\n    ble_fast:\n      extends: ble_1m\n      latency: uniform(2ms, 9.5ms)\n  ciphers:\n    my_aead:\n      kind: aead\n      cycles_per_byte: 60\n      cycles_per_message: 2000\n      overhead: 24B\n"
    )
    .replace("device: ecg_patch ", "device: tiny_patch ")
    .replace("profile: ble_1m ", "profile: ble_fast ")
    .replace("cipher: aes128_ctr_hmac_sha256", "cipher: my_aead");
    let s = parse(&text, "t.yaml").unwrap();
    let ecg = &s.groups[0].device;
    assert!((ecg.battery.unwrap().0 - 900.0 * 3.6 * 3.7).abs() < 1e-9);
    assert!((ecg.sleep_power.0 - 12e-6).abs() < 1e-15);
    assert!((s.links[0].template.latency.mean() - 5.75e-3).abs() < 1e-12);
    let Defense::LinkEncryption {
        cipher, encrypts, ..
    } = &s.defenses[0];
    assert_eq!(
        (cipher.cycles_per_message, cipher.overhead.0, *encrypts),
        (2000, 24, true)
    );
}

#[test]
fn incomplete_unknown_and_circular_profiles_are_refused() {
    let text = format!(
        "{WARD}\nprofiles:\n  devices:\n    a: {{ extends: b }}\n    b: {{ extends: a }}\n    bare: {{ battery: 1kJ }}\n    orphan: {{ extends: ecg_pach }}\n"
    );
    let d = errors(&text);
    let msgs: Vec<String> = d
        .iter()
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("round in a circle")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with("profiles.devices.bare")
            && m.contains("sleep_power, cpu_clock, energy_per_cycle")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("did you mean `ecg_patch`")),
        "{msgs:?}"
    );
}

#[test]
fn a_mac_costs_like_a_cipher_but_hides_nothing_and_handshake_primitives_are_refused() {
    let mac = WARD.replace(
        "links: [wifi]\n    cipher: aes128_ctr_hmac_sha256",
        "links: [ble]\n    cipher: hmac_sha256",
    );
    let mut s = parse(&mac, "t.yaml").unwrap();
    s.duration = SimTime::from_secs(120);
    s.warmup = SimTime::from_secs(10);
    let m = s.build().replication(0).unwrap().run();
    assert!(m.scalar("sensor_crypto_j").unwrap() > 0.0);
    let exposed = m.scalar("records_exposed").unwrap();
    // BLE records stay readable and now the Wi-Fi hop is plaintext too: about 0.9 + 0.9 per record.
    assert!(exposed > 1.5 * m.scalar("generated").unwrap(), "{exposed}");
    let d = errors(&WARD.replace("cipher: aes128_ctr_hmac_sha256", "cipher: x25519"));
    assert!(
        d[0].message.contains("key_agreement primitive"),
        "{}",
        d[0].message
    );
}

#[test]
fn every_example_validates_and_runs_briefly() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let mut s = match load(&path) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        seen += 1;
        // A short run: every stream must deliver something within its first few periods.
        s.warmup = SimTime::ZERO;
        s.duration = SimTime::from_secs(900).min(s.duration);
        let m = s.build().replication(0).unwrap().run();
        assert!(m.scalar("delivered").unwrap() > 0.0, "{}", path.display());
    }
    assert!(seen >= 6, "{seen} examples");
}

/// Every property name anywhere in the schema.
fn schema_properties(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                out.extend(props.keys().cloned());
            }
            for child in map.values() {
                schema_properties(child, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|c| schema_properties(c, out)),
        _ => {}
    }
}

#[test]
fn the_reference_page_documents_every_field_of_the_schema() {
    let schema = json_schema();
    let mut fields = std::collections::BTreeSet::new();
    schema_properties(&schema, &mut fields);
    assert!(fields.len() > 40, "{fields:?}");
    let doc = include_str!("../../docs/scenario.md");
    let missing: Vec<&String> = fields
        .iter()
        .filter(|f| !doc.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/scenario.md does not document {missing:?}"
    );
    // And it documents nothing the format does not have: every `field:` row names a real field.
    // (rows of the tables headed `| field |`).
    let mut in_field_table = false;
    for line in doc.lines() {
        if line.starts_with("| field |") {
            in_field_table = true;
        } else if !line.starts_with('|') {
            in_field_table = false;
        } else if in_field_table && line.starts_with("| `") {
            let name = line.trim_start_matches("| `").split('`').next().unwrap();
            assert!(
                fields.contains(name),
                "docs/scenario.md documents `{name}`, which the format lacks"
            );
        }
    }
}

#[test]
fn a_waveform_is_sent_in_batches_of_rate_times_bits() {
    // 12-lead ECG: 500 Hz × 12 bit × 12 leads = 72 kbit/s (parameters.md §A); 250 ms batches
    // carry 2250 B + 20 B of header.
    let text = WARD.replace(
        "waveform: { sample_rate: 250Hz, bits_per_sample: 12, batch: 1s, header: 25B }",
        "waveform: { sample_rate: 500Hz, bits_per_sample: 12, channels: 12, batch: 250ms, header: 20B }",
    );
    let s = parse(&text, "t.yaml").unwrap();
    let st = &s.groups[0].streams[0];
    assert_eq!(st.size.0, 2270);
    assert!(
        matches!(st.arrivals, sim_core::Arrivals::Periodic { period, .. } if period == SimTime::from_millis(250))
    );
    assert_eq!(ward().groups[0].streams[0].size.0, 400);
    let d = errors(&WARD.replace(
        "batch: 1s, header: 25B }",
        "batch: 1s, header: 25B }\n        every: 2s",
    ));
    assert!(
        d[0].message.contains("sets its own period"),
        "{}",
        d[0].message
    );
}

#[test]
fn the_expected_event_rate_matches_a_run() {
    // The ward: ECG and SpO2 each cross 5 hops (sensor, hub, gateway, ingest, store) and 4
    // stations; measured events per simulated second agree with the estimate within 2 %.
    let b = short_ward(10).build();
    let expected = b.expected_events_per_second();
    let m = b.replication(0).unwrap().run();
    let measured = m.events as f64 / 600.0;
    assert!(
        (measured / expected - 1.0).abs() < 0.02,
        "{measured} vs {expected}"
    );
}

#[test]
fn profiles_can_come_from_an_included_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lab.yaml"),
        "profiles:\n  devices:\n    lab_patch: { extends: ecg_patch, battery: 100J }\n  links:\n    lab_ble: { extends: ble_1m, loss: 0.05 }\n",
    )
    .unwrap();
    let scenario = dir.path().join("ward.yaml");
    let text = format!("include: [lab.yaml]\n{WARD}")
        .replace("device: ecg_patch ", "device: lab_patch ")
        .replace("profile: ble_1m ", "profile: lab_ble ");
    std::fs::write(&scenario, &text).unwrap();
    let s = load(&scenario).unwrap();
    assert_eq!(s.groups[0].device.battery.unwrap().0, 100.0);
    assert_eq!(s.links[0].template.loss, 0.05);
    // A broken included file is reported with its own name and line.
    std::fs::write(
        dir.path().join("lab.yaml"),
        "profiles:\n  devices:\n    lab_patch: { extends: ecg_patch, batery: 100J }\n",
    )
    .unwrap();
    let e = load(&scenario).unwrap_err().to_string();
    assert!(
        e.contains("include[0]")
            && e.contains("lab.yaml:3:")
            && e.contains("did you mean `battery`"),
        "{e}"
    );
}
