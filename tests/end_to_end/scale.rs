//! Scaling a scenario: the campus scaled with its cloud (`benches/scale/campus.sh`) is the same
//! campus at every size, device by device. The scale benchmarks compare events per second
//! across sizes, which means something only if every device does the same work at every size.

use crate::support::{iomtsim, json, stderr_of};

/// The campus example scaled by `s`: wearables, gateways and fog nodes × s, the cloud's
/// servers × s, as the scale script sets it; 3 minutes after a 1-minute warm-up.
fn campus(s: u32, out: &std::path::Path) -> serde_json::Value {
    campus_with(s, out, &[])
}

/// [`campus`], with more arguments.
fn campus_with(s: u32, out: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let sets = [
        format!("sensing.wearable.count={}", 10_000 * s),
        format!("network.gateway.count={}", 50 * s),
        format!("network.fog.count={}", 2 * s),
        format!("cloud.ingest.servers={}", 4 * s),
        format!("cloud.store.servers={}", 8 * s),
        "duration=3min".into(),
        "warmup=1min".into(),
        "replications=1".into(),
    ];
    let mut cmd = iomtsim();
    cmd.args([
        "run",
        "examples/campus.yaml",
        "--charts",
        "none",
        "-q",
        "--out",
    ])
    .arg(out);
    for set in &sets {
        cmd.args(["--set", set]);
    }
    cmd.args(extra);
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    json(&out.join("summary.json"))
}

#[test]
fn the_campus_scaled_with_its_cloud_does_the_same_work_per_device() {
    let dir = tempfile::tempdir().unwrap();
    // Eight times the example: past the 7 at which the example's store (8 writers, about
    // 2,350 writes/s) would no longer keep up with the readings.
    let (one, two) = (
        campus(1, &dir.path().join("x1")),
        campus(8, &dir.path().join("x8")),
    );
    let metric = |s: &serde_json::Value, m: &str| s["metrics"][m]["mean"].as_f64().unwrap();
    let per_reading =
        |s: &serde_json::Value| s["events"].as_f64().unwrap() / metric(s, "generated");
    // Eight times the devices, eight times the readings (within the phases' and alarms'
    // randomness)...
    let ratio = metric(&two, "generated") / metric(&one, "generated");
    assert!((ratio - 8.0).abs() < 0.04, "readings x{ratio}");
    // ...and each reading the same events, delivered as often, as fast: the cloud keeps up.
    let (e1, e2) = (per_reading(&one), per_reading(&two));
    assert!(
        (e2 / e1 - 1.0).abs() < 0.002,
        "events per reading {e1} and {e2}"
    );
    for s in [&one, &two] {
        assert!(
            metric(s, "delivery_ratio") > 0.99,
            "{}",
            metric(s, "delivery_ratio")
        );
        assert_eq!(metric(s, "lost_buffer"), 0.0);
    }
    let (l1, l2) = (metric(&one, "latency_ms"), metric(&two, "latency_ms"));
    assert!(
        (l2 / l1 - 1.0).abs() < 0.01,
        "mean latency {l1} and {l2} ms"
    );
}

/// A group this large takes its ids in the order its members first send under the seed
/// (`Scenario::layout`): `--seed` must lay it out as the same seed in the file does, or the
/// draws keyed by an id would differ.
#[test]
fn the_seed_flag_runs_what_the_seed_in_the_file_runs() {
    let dir = tempfile::tempdir().unwrap();
    let short = ["--set", "duration=80s", "--set", "warmup=20s"];
    let run = |name: &str, more: [&str; 2]| {
        let args: Vec<&str> = short.iter().chain(&more).copied().collect();
        campus_with(4, &dir.path().join(name), &args)
    };
    let flag = run("flag", ["--seed", "5"]);
    let file = run("file", ["--set", "seed=5"]);
    let other = run("other", ["--seed", "6"]);
    assert_eq!(flag["metrics"], file["metrics"]);
    assert_eq!(flag["events"], file["events"]);
    assert_ne!(flag["metrics"], other["metrics"]);
}
