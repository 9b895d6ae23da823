//! End-to-end tests of the `iomtsim` command: the results folder, determinism across thread
//! counts, and exit status 2 with a located message for wrong input.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const WARD: &str = include_str!("../examples/ward.yaml");

fn iomtsim() -> Command {
    Command::cargo_bin("iomtsim").unwrap()
}

/// The ward example shortened to `duration`, written into `dir`.
fn short_ward(dir: &Path, duration: &str) -> PathBuf {
    let path = dir.join("ward.yaml");
    std::fs::write(
        &path,
        WARD.replace("duration: 1h", &format!("duration: {duration}")),
    )
    .unwrap();
    path
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn run_writes_the_results_folder() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "10min");
    let out = dir.path().join("res");
    iomtsim()
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--replications",
            "3",
            "--quiet",
        ])
        .assert()
        .success();
    for f in [
        "summary.json",
        "runs.csv",
        "timeseries.csv",
        "plots/latency_cdf.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["replications"], 3);
    assert_eq!(summary["seeds"].as_array().unwrap().len(), 3);
    let m = &summary["metrics"];
    for name in [
        "latency_ms",
        "alarm_latency_ms",
        "deadline_misses",
        "delivered",
        "lost",
        "delivery_ratio",
        "energy_j",
        "sensor_energy_j",
        "first_battery_death_s",
        "records_exposed",
    ] {
        assert!(m.get(name).is_some(), "{name} missing from summary.json");
    }
    let lat = &m["latency_ms"];
    let (p50, p95, p99) = (
        lat["p50"].as_f64().unwrap(),
        lat["p95"].as_f64().unwrap(),
        lat["p99"].as_f64().unwrap(),
    );
    assert!(p50 < p95 && p95 <= p99, "{p50} {p95} {p99}");
    let (lo, mean, hi) = (
        lat["ci95_low"].as_f64().unwrap(),
        lat["mean"].as_f64().unwrap(),
        lat["ci95_high"].as_f64().unwrap(),
    );
    assert!(lo < mean && mean < hi);
    // No battery empties in ten minutes: undefined in every replication, reported as such.
    assert_eq!(m["first_battery_death_s"]["n"], 0);
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 4);
    assert!(runs.lines().next().unwrap().contains("records_exposed"));
    let svg = std::fs::read_to_string(out.join("plots/latency_cdf.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("alarm deadline 100 ms"));
}

#[test]
fn outputs_are_byte_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "5min");
    let mut outputs = Vec::new();
    for threads in ["1", "2", "2"] {
        let out = dir.path().join(format!("res{}", outputs.len()));
        iomtsim()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "run",
                scenario.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--replications",
                "4",
                "--quiet",
            ])
            .assert()
            .success();
        let files: Vec<Vec<u8>> = [
            "summary.json",
            "runs.csv",
            "timeseries.csv",
            "plots/latency_cdf.svg",
        ]
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
        outputs.push(files);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[1], outputs[2]);
}

#[test]
fn seed_flag_changes_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let run = |seed: &str| {
        let out = dir.path().join(format!("s{seed}"));
        iomtsim()
            .args([
                "run",
                scenario.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--seed",
                seed,
                "--quiet",
            ])
            .assert()
            .success();
        std::fs::read_to_string(out.join("runs.csv")).unwrap()
    };
    assert_ne!(run("1"), run("2"));
}

#[test]
fn a_wrong_scenario_exits_2_naming_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        WARD.replace("cipher: aes128_ctr_hmac_sha256", "cipher: aes128_gcn"),
    )
    .unwrap();
    let out = iomtsim()
        .args(["run", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    let line = WARD
        .lines()
        .position(|l| l.contains("cipher: aes128"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("bad.yaml:{line}:")), "{err}");
    assert!(err.contains("defenses[0].cipher"), "{err}");
    assert!(err.contains("no cipher `aes128_gcn`"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn garbage_missing_files_and_bad_arguments_exit_2_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.yaml");
    std::fs::write(&garbage, "name: [unclosed\n  - : :\n").unwrap();
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("binary.yaml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    for args in [
        vec!["run".to_string(), garbage.display().to_string()],
        vec!["run".into(), empty.display().to_string()],
        vec!["run".into(), binary.display().to_string()],
        vec![
            "run".into(),
            dir.path().join("absent.yaml").display().to_string(),
        ],
        vec!["validate".into(), garbage.display().to_string()],
        vec![
            "run".into(),
            "examples/ward.yaml".into(),
            "--replications".into(),
            "0".into(),
        ],
        vec![
            "run".into(),
            "examples/ward.yaml".into(),
            "--seed".into(),
            "minus-one".into(),
        ],
        vec!["frobnicate".into()],
    ] {
        let out = iomtsim().args(&args).output().unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?}: no message");
    }
}

#[test]
fn validate_summarises_a_good_scenario() {
    let out = iomtsim()
        .args(["validate", "examples/ward.yaml"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("24 sensing, 13 network, 2 cloud nodes; 38 links"),
        "{text}"
    );
}

#[test]
fn catalog_prints_profiles_with_their_sources() {
    for what in ["devices", "links", "ciphers", "attacks"] {
        let out = iomtsim().args(["catalog", what]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        if what != "attacks" {
            assert!(text.matches("source:").count() >= 4, "{what}: {text}");
        } else {
            assert!(text.contains("link_encryption"), "{text}");
        }
    }
}

#[test]
fn every_example_runs() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("examples").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Shorten to keep the test quick; the full runs are the README's first command.
        let short = dir.path().join(path.file_name().unwrap());
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        for l in &mut lines {
            if l.starts_with("duration:") {
                *l = "duration: 5min".into();
            } else if l.starts_with("warmup:") {
                *l = "warmup: 30s".into();
            } else if l.starts_with("time_grid:") {
                *l = "time_grid: 30s".into();
            }
        }
        std::fs::write(&short, lines.join("\n")).unwrap();
        let out = dir.path().join(path.file_stem().unwrap());
        let o = iomtsim()
            .args([
                "run",
                short.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--replications",
                "2",
                "--quiet",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}: {}", path.display(), stderr_of(&o));
        assert!(out.join("summary.json").is_file());
    }
}
