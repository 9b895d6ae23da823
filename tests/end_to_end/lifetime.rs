//! Battery lifetime end to end: an ECG patch with its front end on a BLE radio link to its
//! bedside hub, run through the command line, reports the `lifetime_days` that the sum of its
//! draws gives in closed form, and, listening continuously, a lifetime in the range real
//! streaming patches reach (radio.md §C3: VitalPatch ≈ 3–5 days streaming, Zio up to 14 days).
//!
//! Why the catalogue's patch on a duty-cycled BLE connection lasts about two months rather
//! than days to two weeks: its battery is the 450 mAh Li-ion cell of Huda et al.'s prototype
//! (5994 J, parameters.md §A), and its radio listens 400 µs every 30 ms; the front end, the
//! MCU and the radio together draw ≈ 1.1 mW. Real disposable patches run on much smaller cells
//! (the VitalPatch on zinc-air), and a BLE radio that listens all the time draws 18.8 mW,
//! which alone empties the same cell in 3.7 days, the low end of the real range.

use assert_cmd::Command;

/// A one-bed scenario: the catalogue's ECG patch streaming 250 Hz × 12 bit in 1 s batches
/// (375 B plus a 25 B header) on BLE to a bedside hub 1 m away; `extra` is added to the patch
/// group.
fn scenario(extra: &str) -> String {
    format!(
        r#"name: lifetime
duration: 1h
warmup: 1min
seed: 7
replications: 2
sensing:
  - group: ecg
    count: 1
    device: ecg_patch
{extra}    placement: {{ on_body: {{ of: hub, offset: [0, 1, 0] }} }}
    streams:
      - name: waveform
        waveform: {{ sample_rate: 250Hz, bits_per_sample: 12, batch: 1s, header: 25B }}
        to: hub
network:
  - group: hub
    count: 1
    device: bedside_hub
    placement: {{ list: [[1.5, 0.5]] }}
links:
  - name: ble
    from: ecg
    to: hub
    pattern: pairwise
    profile: ble_radio
profiles:
  links:
    ble_radio:
      extends: ble_1m
      radio: ble_1m
      path_loss: {{ model: log_distance, exponent: 2 }}
"#
    )
}

/// Runs `yaml` and returns the ECG group's lifetime (mean over replications, days) and the
/// node named first to die.
fn lifetime(yaml: &str) -> (f64, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lifetime.yaml");
    std::fs::write(&file, yaml).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("iomtsim")
        .unwrap()
        .args([
            "run",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--force",
        ])
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let ecg = &summary["groups"]["ecg"];
    (
        ecg["metrics"]["lifetime_days"]["mean"].as_f64().unwrap(),
        ecg["first_to_die"].as_str().unwrap().to_string(),
    )
}

const BATTERY_J: f64 = 450.0 * 3.6 * 3.7;
/// MCU active power: 64 MHz × 0.16 nJ per cycle.
const MCU_W: f64 = 64e6 * 0.16e-9;
/// One 400 B frame (375 B of samples, 25 B of header) with BLE's 10 B of framing at 1 Mbit/s.
const AIRTIME_S: f64 = 410.0 * 8.0 / 1e6;

/// The patch's draw besides its radio, W: sleep 2 µA × 3 V, the ADS1198 channel, 250 samples/s
/// × 10 µs and 1 packet/s × 1 ms of MCU.
fn electronics_w() -> f64 {
    6e-6 + 0.55e-3 + 250.0 * 10e-6 * MCU_W + 1e-3 * MCU_W
}

#[test]
fn a_duty_cycled_ecg_patch_lasts_what_its_draws_add_up_to() {
    // nRF52840 at 3 V: connection events of 400 µs at 6.26 mA plus two 151 µs wake-ups at
    // 6.26 mA every 30 ms; one frame a second at 6.40 mA (0 dBm).
    let listen = 3.0 * 6.26e-3 * (400e-6 + 2.0 * 151e-6) / 0.030;
    let send = 3.0 * 6.40e-3 * AIRTIME_S;
    let want = BATTERY_J / (electronics_w() + listen + send) / 86_400.0;
    let (got, first) = lifetime(&scenario(""));
    assert!(
        (got - want).abs() < 0.01 * want,
        "{got} days, closed form {want} days"
    );
    assert_eq!(first, "ecg[0]");
    // About two months: see the module's note on why this exceeds real patches.
    assert!((50.0..80.0).contains(&got), "{got} days");
}

#[test]
fn an_ecg_patch_listening_continuously_lasts_as_long_as_real_streaming_patches() {
    // The receiver on all the time at 6.26 mA; each frame adds only TX's excess over RX
    // (0.14 mA) and two 150 µs turnarounds at 6.26 mA.
    let listen = 3.0 * 6.26e-3;
    let send = 3.0 * (6.40e-3 - 6.26e-3) * AIRTIME_S + 2.0 * 3.0 * 6.26e-3 * 150e-6;
    let want = BATTERY_J / (electronics_w() + listen + send) / 86_400.0;
    let (got, _) = lifetime(&scenario("    listen: continuous\n"));
    assert!(
        (got - want).abs() < 0.01 * want,
        "{got} days, closed form {want} days"
    );
    // radio.md §C3: 3 to 14 days.
    assert!((3.0..14.0).contains(&got), "{got} days");
}

#[test]
fn a_wrong_listen_schedule_exits_2_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(&file, scenario("    listen: duty(30ms, 40ms)\n")).unwrap();
    let out = Command::cargo_bin("iomtsim")
        .unwrap()
        .args(["run", file.to_str().unwrap(), "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.yaml:10:5"), "{err}");
    assert!(err.contains("sensing[0].listen"), "{err}");
    assert!(
        err.contains("a listen window lies in (0, period = 0.03 s]"),
        "{err}"
    );
}
