//! The statistics a run reports beyond mean ± CI: the range over replications, warnings when
//! replications disagree, and `--precision`, the sequential stopping rule.

use crate::support;
use std::path::Path;
use support::{iomtsim, json, short_ward, stderr_of, stdout_of};

/// `run SCENARIO --out OUT --charts none EXTRA...`, its output.
fn run(scenario: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    iomtsim()
        .args(["run", scenario.to_str().unwrap(), "--out"])
        .arg(out)
        .args(["--charts", "none"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn precision_adds_replications_until_the_interval_is_narrow_enough() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let mut summaries = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("res{jobs}"));
        let o = iomtsim()
            .args(["run", scenario.to_str().unwrap(), "--out"])
            .arg(&out)
            .args(["--replications", "4", "--charts", "none", "--jobs", jobs])
            .args(["--precision", "0.002", "--precision-metric", "latency_ms"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr_of(&o));
        let s = json(&out.join("summary.json"));
        let n = s["replications"].as_u64().unwrap();
        let lat = &s["metrics"]["latency_ms"];
        let (mean, half) = (
            lat["mean"].as_f64().unwrap(),
            lat["ci95_half_width"].as_f64().unwrap(),
        );
        // Reached, and not from the start: four replications were not enough.
        assert!(half <= 0.002 * mean, "{half} vs {mean} after {n}");
        assert!(n > 4, "{n} replications");
        assert_eq!(
            json(&out.join("manifest.json"))["replications"].as_u64(),
            Some(n)
        );
        summaries.push(std::fs::read(out.join("summary.json")).unwrap());
    }
    // The stopping point depends on the values, not on the threads.
    assert!(summaries[0] == summaries[1]);
}

#[test]
fn precision_stops_at_the_maximum_and_says_what_fell_short() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let out = dir.path().join("res");
    let o = run(
        &scenario,
        &out,
        &["--precision", "0.000001", "--max-replications", "4"],
    );
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert_eq!(json(&out.join("summary.json"))["replications"], 4);
    let err = stderr_of(&o);
    assert!(
        err.contains("after 4 replications") && err.contains("latency_ms"),
        "{err}"
    );
    // A metric the run does not report, and a precision that is not a fraction: exit 2.
    let o = run(
        &scenario,
        &dir.path().join("bad"),
        &["--precision", "0.01", "--precision-metric", "latency_mss"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("`latency_mss` is not a metric"),
        "{}",
        stderr_of(&o)
    );
    let o = iomtsim()
        .args(["run", scenario.to_str().unwrap(), "--precision", "5"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_summary_shows_the_range_and_the_spread_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let out = dir.path().join("res");
    let o = run(&scenario, &out, &["--replications", "3"]);
    assert!(o.status.success());
    let s = json(&out.join("summary.json"));
    assert!(
        s["spread_warnings"].as_array().is_some(),
        "{}",
        s["spread_warnings"]
    );
    let lat = &s["metrics"]["latency_ms"];
    let (lo, hi) = (lat["min"].as_f64().unwrap(), lat["max"].as_f64().unwrap());
    // The headline prints the same range.
    let line = stdout_of(&o)
        .lines()
        .find(|l| l.trim_start().starts_with("latency_ms"))
        .unwrap()
        .to_string();
    assert!(
        line.contains(&format!("[{} – ", reports::chart::sig(lo, 4))),
        "{line}"
    );
    assert!(
        line.contains(&format!(" – {}]", reports::chart::sig(hi, 4))),
        "{line}"
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("| range over replications |"), "{md}");
}

/// `precision:` in the scenario does what the flags do.
#[test]
fn the_scenarios_precision_field_equals_the_flags() {
    let dir = tempfile::tempdir().unwrap();
    let flagged = short_ward(dir.path(), "3min");
    let text = std::fs::read_to_string(&flagged).unwrap()
        + "precision:\n  relative: 0.002\n  metrics: [latency_ms]\n";
    let field = dir.path().join("precise.yaml");
    std::fs::write(&field, text).unwrap();
    let a = dir.path().join("a");
    let o = run(&field, &a, &["--replications", "4"]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    let o = run(
        &flagged,
        &dir.path().join("c"),
        &[
            "--replications",
            "4",
            "--precision",
            "0.002",
            "--precision-metric",
            "latency_ms",
        ],
    );
    assert!(o.status.success());
    let n = |d: &Path| {
        json(&d.join("summary.json"))["replications"]
            .as_u64()
            .unwrap()
    };
    assert!(n(&a) > 4);
    assert_eq!(n(&a), n(&dir.path().join("c")));
}
