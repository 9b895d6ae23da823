//! `iomtsim compare`: two ward runs that differ by one defense, paired by their seeds; a run
//! with other seeds, compared by Welch's interval; unrelated folders refused.

use crate::support;
use std::path::{Path, PathBuf};
use support::{iomtsim, json, short_ward, stderr_of};

const AES_ON_BLE: &str = "defenses[2]={ name: ble-aead, kind: link_encryption, links: [ble], cipher: aes128_ctr_hmac_sha256 }";

/// `scenario` run into `out` with four replications, no charts, and `extra` flags.
fn run(scenario: &Path, out: &Path, extra: &[&str]) {
    let flags = [&["--replications", "4", "--charts", "none"], extra].concat();
    support::run_quietly(scenario, out, &flags);
}

/// A column of runs.csv, per replication.
fn column(dir: &Path, name: &str) -> Vec<f64> {
    let mut r = csv::Reader::from_path(dir.join("runs.csv")).unwrap();
    let i = r.headers().unwrap().iter().position(|h| h == name).unwrap();
    r.records()
        .map(|rec| rec.unwrap()[i].parse().unwrap())
        .collect()
}

/// compare.csv's rows as maps from column to cell.
fn rows(dir: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(dir.join("compare.csv")).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            h.iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// `compare BASELINE OTHER --out OUT` without charts; compare.csv's latency_ms row.
fn compare_latency(
    baseline: &Path,
    other: &Path,
    out: &Path,
) -> std::collections::HashMap<String, String> {
    iomtsim()
        .args(["compare"])
        .args([baseline, other])
        .arg("--out")
        .arg(out)
        .args(["--charts", "none", "--quiet"])
        .assert()
        .success();
    rows(out)
        .into_iter()
        .find(|r| r["metric"] == "latency_ms")
        .unwrap()
}

fn setup() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "5min");
    let (plain, aes) = (dir.path().join("plain"), dir.path().join("aes"));
    run(&scenario, &plain, &[]);
    run(&scenario, &aes, &["--set", AES_ON_BLE]);
    (dir, scenario, plain, aes)
}

#[test]
fn paired_comparison_reproduces_the_per_replication_differences() {
    let (dir, _, plain, aes) = setup();
    let out = dir.path().join("cmp");
    let o = iomtsim()
        .args(["compare"])
        .args([&plain, &aes])
        .arg("--out")
        .arg(&out)
        .args(["--charts", "svg"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    // The difference computed here from the two runs.csv files, independently.
    let (x, y) = (column(&plain, "latency_ms"), column(&aes, "latency_ms"));
    let d: Vec<f64> = x.iter().zip(&y).map(|(a, b)| b - a).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = 3.182446305284263 * sd / n.sqrt(); // t₀.₉₇₅ with 3 df
    let row = rows(&out)
        .into_iter()
        .find(|r| r["metric"] == "latency_ms")
        .unwrap();
    assert_eq!(row["method"], "paired");
    assert_eq!(row["n"], "4");
    let got: f64 = row["diff_mean"].parse().unwrap();
    let got_half: f64 = row["diff_ci95_half_width"].parse().unwrap();
    assert!((got - mean).abs() < 1e-9, "{got} vs {mean}");
    assert!(
        (got_half - half).abs() < 1e-9 * half.max(1.0),
        "{got_half} vs {half}"
    );
    // Encryption on BLE costs latency, and pairing makes the interval far narrower than it
    // (measured 1.02 ± 0.11 ms over 5 min: the ward's BLE connections resend a frame that met
    // another at the next 30 ms event, so the few frames whose overlaps differ between the
    // variants move the difference more than when they were simply lost).
    assert!(mean > 0.5 && half < mean / 5.0, "{mean} ± {half}");
    // Records exposed fall: the BLE hop no longer leaks plaintext.
    let rec = rows(&out)
        .into_iter()
        .find(|r| r["metric"] == "records_exposed")
        .unwrap();
    assert!(rec["diff_mean"].parse::<f64>().unwrap() < 0.0);
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    assert!(
        md.contains("Scenario fields that differ: `defenses`"),
        "{md}"
    );
    assert!(md.contains("| End-to-end latency, mean | ms |"), "{md}");
    let tex = std::fs::read_to_string(out.join("compare.tex")).unwrap();
    assert!(tex.contains("\\begin{tabular}") && tex.contains("\\pm"));
    for f in ["plots/compare_1.svg", "plots/compare_1_wide.svg"] {
        let svg = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(svg.contains("difference from baseline (%)"), "{f}");
        assert!(svg.contains("End-to-end latency, mean"), "{f}");
    }
    let manifest = json(&out.join("compare-manifest.json"));
    assert_eq!(manifest["scenario"], "ward");
    assert_eq!(manifest["compared"].as_array().unwrap().len(), 1);
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(listed.contains(&"compare.csv") && listed.contains(&"plots/compare_1.svg"));
    // Twice the same command: the same bytes.
    let first = std::fs::read(out.join("compare.csv")).unwrap();
    iomtsim()
        .args(["compare"])
        .args([&plain, &aes])
        .arg("--out")
        .arg(&out)
        .args(["--charts", "none", "--quiet"])
        .assert()
        .success();
    assert_eq!(first, std::fs::read(out.join("compare.csv")).unwrap());
}

#[test]
fn other_seeds_are_compared_by_welch_and_unrelated_folders_are_refused() {
    let (dir, scenario, plain, _) = setup();
    let reseeded = dir.path().join("reseeded");
    run(&scenario, &reseeded, &["--seed", "7", "--set", AES_ON_BLE]);
    let out = dir.path().join("welch");
    let row = compare_latency(&plain, &reseeded, &out);
    assert_eq!(row["method"], "welch");
    let df: f64 = row["df"].parse().unwrap();
    assert!(
        df > 1.0 && df <= 6.0 + 1e-9,
        "Welch df {df} lies in [min(n)−1, n₁+n₂−2]"
    );

    // A shorter run of the same scenario measures another window: refused, nothing written.
    let short = dir.path().join("short");
    let s2 = dir.path().join("ward4.yaml");
    std::fs::write(&s2, support::WARD.replace("duration: 1h", "duration: 4min")).unwrap();
    run(&s2, &short, &[]);
    let refused = dir.path().join("refused");
    let o = iomtsim()
        .args(["compare"])
        .args([&plain, &short])
        .arg("--out")
        .arg(&refused)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("not results of one scenario family"),
        "{}",
        stderr_of(&o)
    );
    assert!(!refused.exists());
    // Not a results folder at all.
    let o = iomtsim()
        .args(["compare"])
        .arg(&plain)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr_of(&o).contains("summary.json"), "{}", stderr_of(&o));
    // One folder is not a comparison.
    let o = iomtsim().args(["compare"]).arg(&plain).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

/// `compare` of two runs reproduces the paired difference `sweep` reports for the same pair of
/// variants at the same point: both are d̄ ± t·s_d/√n over the same seeds.
#[test]
fn compare_reproduces_the_sweeps_paired_difference() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let sweep = dir.path().join("sweep");
    iomtsim()
        .args(["sweep", scenario.to_str().unwrap(), "--out"])
        .arg(&sweep)
        .args(["--set", "sweep.parameters[0].values=[0.5]"])
        .args(["--set", "sweep.replications=3", "--quiet"])
        .assert()
        .success();
    let mut r = csv::Reader::from_path(sweep.join("sweep.csv")).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let row = r
        .records()
        .map(|rec| rec.unwrap())
        .find(|rec| {
            &rec[col("variant")] == "ble-aes-hmac"
                && &rec[col("metric")] == "latency_ms"
                && rec[col("group")].is_empty()
        })
        .expect("the sweep's latency row for ble-aes-hmac");
    let sweep_diff: f64 = row[col("diff_mean")].parse().unwrap();
    let sweep_half: f64 = row[col("diff_ci95_half_width")].parse().unwrap();

    let (plain, aes) = (dir.path().join("plain"), dir.path().join("aes"));
    let sniff = "attacks.ward-sniffer.capture_probability=0.5";
    for (out, extra) in [(&plain, vec![]), (&aes, vec!["--set", AES_ON_BLE])] {
        iomtsim()
            .args(["run", scenario.to_str().unwrap(), "--out"])
            .arg(out)
            .args(["--replications", "3", "--quiet", "--charts", "none"])
            .args(["--set", sniff])
            .args(extra)
            .assert()
            .success();
    }
    let out = dir.path().join("cmp");
    let row = compare_latency(&plain, &aes, &out);
    let diff: f64 = row["diff_mean"].parse().unwrap();
    let half: f64 = row["diff_ci95_half_width"].parse().unwrap();
    assert!(
        (diff - sweep_diff).abs() < 1e-9,
        "compare {diff} vs sweep {sweep_diff}"
    );
    assert!(
        (half - sweep_half).abs() < 1e-9,
        "compare ±{half} vs sweep ±{sweep_half}"
    );
    assert!(diff > 0.5, "{diff}");
}
