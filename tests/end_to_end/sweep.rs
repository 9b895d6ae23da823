//! End-to-end tests of `iomtsim sweep`, `merge` and `slurm`: the same bytes whatever the
//! thread count, after a kill and `--resume`, and from merged shards.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const WARD: &str = include_str!("../../examples/ward.yaml");

fn iomtsim() -> Command {
    Command::cargo_bin("iomtsim").unwrap()
}

/// The ward's sweep, shortened to `duration` per job.
fn scenario(dir: &Path, duration: &str) -> PathBuf {
    let path = dir.join("ward.yaml");
    let text = WARD
        .replace("duration: 1h", &format!("duration: {duration}"))
        .replace("warmup: 2min", "warmup: 10s")
        .replace("time_grid: 1min", "time_grid: 10s")
        .replace(
            "  replications: 5\n  parameters:",
            "  replications: 2\n  parameters:",
        );
    std::fs::write(&path, text).unwrap();
    path
}

fn sweep(args: &[&str]) -> std::process::Output {
    iomtsim().arg("sweep").args(args).output().unwrap()
}

fn outputs(dir: &Path) -> Vec<Vec<u8>> {
    [
        "sweep.csv",
        "sweep.json",
        "plots/sweep_records_exposed.svg",
        "report.html",
    ]
    .iter()
    .map(|f| std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")))
    .collect()
}

fn job_times(dir: &Path) -> BTreeMap<String, SystemTime> {
    std::fs::read_dir(dir.join("jobs"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                // Finished jobs only: a kill can leave the temporary file of the job in flight.
                .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        e.metadata().unwrap().modified().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn one_or_two_threads_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "1min");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (out, jobs) in [(&a, "1"), (&b, "2")] {
        let o = sweep(&[
            s.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--jobs",
            jobs,
            "--quiet",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(outputs(&a), outputs(&b));
    let csv = String::from_utf8(std::fs::read(a.join("sweep.csv")).unwrap()).unwrap();
    // 15 points × every metric (an empty `group` for the run's own); the encrypted variants
    // expose nothing and are compared pairwise with the plaintext baseline.
    assert!(
        csv.lines()
            .any(|l| l.starts_with("14,ble-ascon,0.9,records_exposed,,2,0,")),
        "{csv}"
    );
}

#[test]
fn a_killed_sweep_resumes_to_the_same_bytes_without_rerunning_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "4min");
    let whole = dir.path().join("whole");
    let o = sweep(&[
        s.to_str().unwrap(),
        "--out",
        whole.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let killed = dir.path().join("killed");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("iomtsim"))
        .args([
            "sweep",
            s.to_str().unwrap(),
            "--out",
            killed.to_str().unwrap(),
            "--jobs",
            "1",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    // Kill it with SIGKILL once a few jobs are on disk.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while job_times(&killed).len() < 3 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = job_times(&killed);
    assert!(
        before.len() >= 3 && before.len() < 30,
        "{} jobs before the kill",
        before.len()
    );
    assert!(!killed.join("sweep.csv").exists());
    // A folder from before the manifest recorded the scenario's description and the points'
    // attacks and defenses resumes as well.
    let manifest = killed.join("sweep-manifest.json");
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    assert!(
        m["scenario"]["description"]
            .as_str()
            .unwrap()
            .contains("12-bed ward")
    );
    m["scenario"].as_object_mut().unwrap().remove("description");
    assert_eq!(m["attacks"][0]["kind"], "eavesdrop");
    for key in ["attacks", "defenses"] {
        m.as_object_mut().unwrap().remove(key);
    }
    std::fs::write(&manifest, serde_json::to_vec_pretty(&m).unwrap()).unwrap();

    // Without --resume the folder is protected.
    let o = sweep(&[
        s.to_str().unwrap(),
        "--out",
        killed.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = sweep(&[
        s.to_str().unwrap(),
        "--out",
        killed.to_str().unwrap(),
        "--resume",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let after = job_times(&killed);
    for (job, t) in &before {
        assert_eq!(after.get(job), Some(t), "{job} was run again");
    }
    assert_eq!(after.len(), 30);
    assert_eq!(outputs(&whole), outputs(&killed));

    // A changed scenario is refused.
    std::fs::write(
        &s,
        std::fs::read_to_string(&s)
            .unwrap()
            .replace("seed: 20261125", "seed: 7"),
    )
    .unwrap();
    let o = sweep(&[
        s.to_str().unwrap(),
        "--out",
        killed.to_str().unwrap(),
        "--resume",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("different scenario"));
}

#[test]
fn merged_shards_equal_the_whole_and_slurm_scripts_chain_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "1min");
    let whole = dir.path().join("whole");
    assert!(
        sweep(&[
            s.to_str().unwrap(),
            "--out",
            whole.to_str().unwrap(),
            "--quiet"
        ])
        .status
        .success()
    );
    let mut shard_dirs = Vec::new();
    for i in 1..=3 {
        let d = dir.path().join(format!("shard-{i}"));
        let o = sweep(&[
            s.to_str().unwrap(),
            "--out",
            d.to_str().unwrap(),
            "--shard",
            &format!("{i}/3"),
            "--quiet",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!d.join("sweep.csv").exists());
        shard_dirs.push(d);
    }
    let merged = dir.path().join("merged");
    let mut args: Vec<String> = vec!["merge".into()];
    args.extend(shard_dirs.iter().map(|d| d.display().to_string()));
    args.extend([
        "--out".into(),
        merged.display().to_string(),
        "--quiet".into(),
    ]);
    let o = iomtsim().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(outputs(&whole), outputs(&merged));

    // Two shards only: a job is missing, and the merge says which.
    let o = iomtsim()
        .args([
            "merge",
            shard_dirs[0].to_str().unwrap(),
            shard_dirs[1].to_str().unwrap(),
            "--out",
        ])
        .arg(dir.path().join("partial"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("in none of the folders"));

    let slurm = dir.path().join("slurm");
    let o = iomtsim()
        .args([
            "slurm",
            s.to_str().unwrap(),
            "--shards",
            "4",
            "--cpus",
            "2",
            "--partition",
            "short",
            "--out",
        ])
        .arg(&slurm)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let array = std::fs::read_to_string(slurm.join("sweep.sbatch")).unwrap();
    assert!(array.contains("#SBATCH --array=1-4") && array.contains("#SBATCH --partition=short"));
    assert!(array.contains("--shard \"$SLURM_ARRAY_TASK_ID\"/4"));
    let submit = std::fs::read_to_string(slurm.join("submit.sh")).unwrap();
    assert!(submit.contains("--dependency=afterok"));
    assert!(
        std::fs::read_to_string(slurm.join("merge.sbatch"))
            .unwrap()
            .contains(" merge ")
    );
}

#[test]
fn a_scenario_without_a_sweep_or_a_bad_point_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.yaml");
    let cut = WARD.find("\n# `iomtsim sweep").unwrap();
    std::fs::write(&plain, &WARD[..cut]).unwrap();
    let o = sweep(&[plain.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no `sweep:` section"));
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        WARD.replace("values: [0.1, 0.3, 0.5, 0.7, 0.9]", "values: [0.1, 1.5]"),
    )
    .unwrap();
    let o = sweep(&[
        bad.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("capture_probability=1.5") && err.contains("[0, 1]"),
        "{err}"
    );
}

use crate::svg_check;

/// The ward with a sweep over two parameters (a product: heatmaps), a factor for BLE
/// encryption, and chosen metrics including a group's and an all-zero one.
fn product_sweep(dir: &Path, metrics: &str) -> PathBuf {
    let cut = WARD.find("\nsweep:").unwrap();
    let text = WARD[..cut]
        .replace("duration: 1h", "duration: 30s")
        .replace("warmup: 2min", "warmup: 5s")
        .replace("time_grid: 1min", "time_grid: 5s")
        + &format!(
            "
sweep:
  replications: 3
  parameters:
    - path: attacks.ward-sniffer.capture_probability
      values: [0.3, 0.9]
    - path: sensing[1].streams[0].every
      values: [1, 2]
      unit: s
  factors:
    ble:
      - plain
      - name: aead
        set:
          defenses[2]: {{ name: ble-aead, kind: link_encryption, links: [ble], cipher: ascon128 }}
  metrics: {metrics}
"
        );
    let path = dir.join("ward-product.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or(f64::NAN)
}

#[test]
fn every_sweep_chart_names_its_units_and_no_text_collides_and_differences_match_a_hand_computation()
{
    let dir = tempfile::tempdir().unwrap();
    let file = product_sweep(
        dir.path(),
        "[latency_p99_ms, records_exposed, ecg/energy_per_node_j, lost_buffer]",
    );
    let out = dir.path().join("out");
    let o = sweep(&[
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // `plot` redraws a sweep folder, PDF included.
    let o = iomtsim()
        .args([
            "plot",
            out.to_str().unwrap(),
            "--format",
            "svg,pdf",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let plots = out.join("plots");
    for stem in [
        "sweep_latency_p99_ms",
        "sweep_diff_latency_p99_ms",
        "sweep_heatmap_records_exposed_ble-plain",
        "sweep_heatmap_latency_p99_ms_ble-aead",
        "sweep_heatmap_ecg-energy_per_node_j_ble-aead",
        "sweep_ecg-energy_per_node_j",
        "sweep_lost_buffer",
        "sweep_tradeoff",
    ] {
        for suffix in ["", "_wide"] {
            for ext in ["svg", "png", "pdf"] {
                let f = plots.join(format!("{stem}{suffix}.{ext}"));
                assert!(f.is_file(), "{} missing", f.display());
            }
        }
    }
    assert!(
        std::fs::read(plots.join("sweep_lost_buffer.pdf"))
            .unwrap()
            .starts_with(b"%PDF")
    );
    let zero = std::fs::read_to_string(plots.join("sweep_lost_buffer.svg")).unwrap();
    assert!(
        zero.contains("is 0 at every point"),
        "an all-zero metric gets a note"
    );
    let mut problems = Vec::new();
    let mut checked = 0;
    for e in std::fs::read_dir(&plots).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "svg") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let size = if name.ends_with("_wide.svg") {
            reports::chart::FULL_WIDTH
        } else {
            reports::chart::ONE_COLUMN
        };
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(!svg.contains("0.000000001"), "{name}: an axis to 1e-9");
        problems.extend(svg_check::check(&name, &svg, size));
        checked += 1;
    }
    assert!(checked >= 14, "{checked}");
    assert!(problems.is_empty(), "{problems:#?}");

    // sweep.csv is long: a `group` column, per-group rows, and every metric of the run.
    let text = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(
        records
            .iter()
            .any(|x| &x[col("group")] == "ecg" && &x[col("metric")] == "energy_per_node_j")
    );
    for m in scenarios::sweep::RUN_METRICS
        .iter()
        .chain(&scenarios::sweep::DERIVED_METRICS)
    {
        assert!(
            records
                .iter()
                .any(|x| &x[col("metric")] == *m && x[col("group")].is_empty()),
            "{m} missing from sweep.csv"
        );
    }
    // Every metric a job reports is one `metrics:` accepts (the catalogue has not drifted).
    let job: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("jobs/p000000-r00000.json")).unwrap())
            .unwrap();
    for m in job["job"]["metrics"].as_array().unwrap() {
        let name = m[0].as_str().unwrap();
        assert!(
            scenarios::sweep::is_run_metric(name),
            "{name} is not in the catalogue"
        );
    }
    for g in job["job"]["groups"].as_array().unwrap() {
        for m in g["metrics"].as_array().unwrap() {
            assert!(scenarios::sweep::GROUP_METRICS.contains(&m[0].as_str().unwrap()));
        }
    }

    // The paired difference of point 4 (ble-aead, first parameter values) against point 0
    // (ble-plain, same values), by hand from the job files: d̄ ± t₀.₉₇₅,₂ · s_d/√3.
    let value = |p: usize, r: u32, metric: &str| {
        let j: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.join(format!("jobs/p{p:06}-r{r:05}.json"))).unwrap(),
        )
        .unwrap();
        j["job"]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m[0] == metric)
            .unwrap()[1]
            .as_f64()
            .unwrap()
    };
    let d: Vec<f64> = (0..3)
        .map(|r| value(4, r, "latency_p99_ms") - value(0, r, "latency_p99_ms"))
        .collect();
    let mean = d.iter().sum::<f64>() / 3.0;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    let half = 4.302_652_729_911_275 * sd / 3f64.sqrt(); // t(0.975, 2 df)
    let row = records
        .iter()
        .find(|x| &x[col("point")] == "4" && &x[col("metric")] == "latency_p99_ms")
        .unwrap();
    assert_eq!(&row[col("variant")], "ble-aead");
    assert!(
        (num(&row[col("diff_mean")]) - mean).abs() < 1e-9,
        "{row:?} vs {mean}"
    );
    assert!(
        (num(&row[col("diff_ci95_half_width")]) - half).abs() < 1e-9 * (1.0 + half),
        "{row:?} vs {half}"
    );
    // The baseline's rows have no difference.
    let base = records
        .iter()
        .find(|x| &x[col("point")] == "0" && &x[col("metric")] == "latency_p99_ms")
        .unwrap();
    assert!(base[col("diff_mean")].is_empty());

    // The sweep's summaries: Markdown per metric, LaTeX with siunitx columns.
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("## End-to-end latency, p99 (ms)"), "{md}");
    let tex = std::fs::read_to_string(out.join("summary.tex")).unwrap();
    assert!(tex.contains("\\sisetup{") && tex.contains("group-separator"));
    assert!(tex.contains("\\begin{tabular}{lSS}") && tex.contains("\\begin{table*}"));
}

#[test]
fn an_unknown_metric_exits_2_at_its_line_and_column_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let file = product_sweep(dir.path(), "[latency_p99_ms, records_exposd]");
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("records_exposd"))
        .unwrap()
        + 1;
    let o = sweep(&[file.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("ward-product.yaml:{line}:")), "{err}");
    assert!(err.contains("sweep.metrics[1]"), "{err}");
    assert!(err.contains("did you mean `records_exposed`"), "{err}");
}
