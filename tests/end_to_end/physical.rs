//! End-to-end tests of the physical layer's scenario fields: a wrong radio field exits 2 naming
//! file, line and field; a radio link out of range warns with its distance and margin; the
//! jammer example's channel matters.

use assert_cmd::Command;

const JAMMER: &str = include_str!("../../examples/jammer.yaml");

fn iomtsim() -> Command {
    Command::cargo_bin("iomtsim").unwrap()
}

/// The 1-based line of the first occurrence of `text` in the jammer example.
fn line_of(text: &str) -> usize {
    JAMMER
        .lines()
        .position(|l| l.contains(text))
        .expect("text in the example")
        + 1
}

#[test]
fn wrong_radio_fields_exit_2_with_file_line_and_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    for (from, to, field, hint) in [
        (
            "radio: ieee802154\n      tx_power_dbm",
            "radio: ieee802514\n      tx_power_dbm",
            "profiles.links.ecg_802154.radio",
            "did you mean `ieee802154`",
        ),
        (
            "tx_power_dbm: 0",
            "tx_power_dbm: 60",
            "profiles.links.ecg_802154.tx_power_dbm",
            "`ieee802154`'s chip, cc2420, transmits between -25 and 0 dBm",
        ),
        (
            "channel: 0",
            "channel: 16",
            "profiles.links.ecg_802154.channel",
            "`ieee802154` has channels 0 to 15; found 16",
        ),
        (
            "position: [1.5, 6.5]",
            "position: [.nan, 6.5]",
            "jammers[0].position",
            "finite number of metres",
        ),
        (
            "kind: constant",
            "kind: constnat",
            "jammers[0].kind",
            "did you mean `constant`",
        ),
        (
            "path_loss: { model: on_body }",
            "path_loss: { model: onbody }",
            "profiles.links.ecg_802154.path_loss.model",
            "did you mean `on_body`",
        ),
        (
            "placement: { list: [[1.5, 0.5]] }",
            "service: exp(1ms)",
            "links[0].profile",
            "`hub` has no `placement`",
        ),
    ] {
        let line = line_of(from.lines().next().unwrap());
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, JAMMER.replacen(from, to, 1)).unwrap();
        let out = iomtsim()
            .args(["validate", path.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(field), "{to}: {err}");
        assert!(err.contains(hint), "{to}: {err}");
        // The located fields sit on the line that was changed (a missing placement is
        // reported at the link that needs it).
        if field != "links[0].profile" {
            assert!(err.contains(&format!("bad.yaml:{line}:")), "{to}: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_radio_link_out_of_range_warns_with_its_distance_and_margin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.yaml");
    // The patch 501 m from its hub, under indoor log-distance loss (the on-body model's slope
    // is too gentle to run out of range).
    let text = JAMMER
        .replacen("offset: [0, 1, 0]", "offset: [0, 501, 0]", 1)
        .replacen(
            "path_loss: { model: on_body }",
            "path_loss: { model: log_distance }",
            1,
        );
    std::fs::write(&path, text).unwrap();
    let out = iomtsim()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Range at 0 dBm: 40.05 + 30·log10(d) = 95 → d = 10^1.8317 = 67.9 m; the link spans
    // 501 m; the mean signal is 40.05 + 30·log10(501) − 95 = 26.04 dB below the sensitivity.
    assert!(err.contains("warning:"), "{err}");
    assert!(err.contains("spans 501.0 m"), "{err}");
    assert!(err.contains("67.9 m range"), "{err}");
    assert!(err.contains("26.0 dB below"), "{err}");
}

#[test]
fn frames_lost_on_the_air_count_in_lost_radio_in_the_summary_and_runs_csv() {
    // The jammer 1 m from the hub (0 dBm against a patch 1 m away on the body): every frame is
    // lost on the radio channel; none count as a fixed-loss link's loss.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("jammer.yaml");
    std::fs::write(&scenario, JAMMER).unwrap();
    let out = dir.path().join("out");
    let status = iomtsim()
        .args([
            "run",
            "-q",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--replications",
            "2",
            "--set",
            "duration=2min",
            "--set",
            "jammers.corridor.position=[1.5, 1.5]",
        ])
        .output()
        .unwrap();
    assert!(status.status.success(), "{:?}", status);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let mean = |k: &str| summary["metrics"][k]["mean"].as_f64().unwrap();
    assert!(mean("generated") >= 400.0, "{summary}");
    assert_eq!(mean("lost_radio"), mean("lost"));
    assert_eq!(mean("lost_radio"), mean("generated"));
    assert_eq!(mean("lost_link"), 0.0);
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "lost_radio")
        .expect("a lost_radio column");
    for row in runs.lines().skip(1) {
        let v: f64 = row.split(',').nth(col).unwrap().parse().unwrap();
        assert!(v >= 400.0, "{row}");
    }
}

#[test]
fn a_node_outside_its_area_exits_2_with_its_line_and_distance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    let text = JAMMER.replacen(
        "placement: { list: [[1.5, 0.5]] }",
        "placement: { list: [[1.5, 9.5]], area: room }",
        1,
    ) + "\nareas:\n  room: { origin: [0, 0], size: [3, 4] }\n";
    std::fs::write(&path, text).unwrap();
    let out = iomtsim()
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    // 9.5 m north against a room 4 m deep: 5.5 m outside.
    let line = line_of("placement: { list: [[1.5, 0.5]] }");
    assert!(err.contains(&format!("bad.yaml:{line}:")), "{err}");
    assert!(err.contains("network[0].placement.list[0]"), "{err}");
    assert!(err.contains("5.50 m outside area `room`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The 1-based line of the first occurrence of `text` in `example`.
fn line_in(example: &str, text: &str) -> usize {
    example
        .lines()
        .position(|l| l.contains(text))
        .expect("text in the example")
        + 1
}

#[test]
fn wrong_mac_fields_exit_2_with_file_line_and_what_is_expected() {
    const WARD: &str = include_str!("../../examples/ward.yaml");
    let ble = "mac: { kind: ble_connection, interval: 30ms }";
    let dcf = "mac: { kind: dcf, standard: 11g }";
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, &str, &str, &str); 9] = [
        (
            WARD,
            ble,
            "mac: { kind: ble_connection, interval: 5ms }",
            "profiles.links.ble_body.mac.interval",
            "7.5 ms – 4 s",
        ),
        (
            WARD,
            ble,
            "mac: { kind: ble_connection, interval: 4.5s }",
            "profiles.links.ble_body.mac.interval",
            "found 4500ms",
        ),
        (
            WARD,
            ble,
            "mac: { kind: ble_connection, supervision_timeout: 50ms }",
            "profiles.links.ble_body.mac.supervision_timeout",
            "100 ms to 32 s",
        ),
        (
            WARD,
            ble,
            "mac: { kind: ble_connection, interval: 1s, peripheral_latency: 3 }",
            "profiles.links.ble_body.mac.supervision_timeout",
            "must exceed 2·(1 + latency)·interval = 8s",
        ),
        (
            WARD,
            ble,
            "mac: { kind: ble_conection }",
            "profiles.links.ble_body.mac.kind",
            "did you mean `ble_connection`",
        ),
        (
            WARD,
            ble,
            "mac: { kind: csma_ca }",
            "profiles.links.ble_body.mac.kind",
            "does not fit a `ble_1m` radio",
        ),
        (
            WARD,
            ble,
            "mac: { kind: ble_connection, min_be: 3 }",
            "profiles.links.ble_body.mac.min_be",
            "not a field of `ble_connection`",
        ),
        (
            WARD,
            dcf,
            "mac: { kind: dcf, cw_min: 63, cw_max: 31 }",
            "profiles.links.wifi_ward.mac.cw_min",
            "CWmin must not exceed CWmax",
        ),
        (
            WARD,
            dcf,
            "mac: { kind: dcf, standard: 11z }",
            "profiles.links.wifi_ward.mac.standard",
            "no 802.11 variant `11z`",
        ),
    ];
    let csma = [(
        JAMMER,
        "channel: 0",
        "channel: 0\n      mac: { kind: csma_ca, min_be: 6, max_be: 4 }",
        "profiles.links.ecg_802154.mac.min_be",
        "macMinBE must not exceed macMaxBE: found min_be 6 > max_be 4",
    )];
    for (example, from, to, field, hint) in cases.into_iter().chain(csma) {
        let line =
            line_in(example, from.lines().next().unwrap()) + usize::from(to.lines().count() > 1);
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, example.replacen(from, to, 1)).unwrap();
        let out = iomtsim()
            .args(["validate", path.to_str().unwrap()])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(field), "{to}: {err}");
        assert!(err.contains(hint), "{to}: {err}");
        assert!(err.contains(&format!("bad.yaml:{line}:")), "{to}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
