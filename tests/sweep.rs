//! End-to-end tests of `iomtsim sweep`, `merge` and `slurm`: the same bytes whatever the
//! thread count, after a kill and `--resume`, and from merged shards.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const WARD: &str = include_str!("../examples/ward.yaml");

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
    ["sweep.csv", "sweep.json", "plots/sweep_records_exposed.svg"]
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
    // 15 points × every metric; the encrypted variants expose nothing and are compared
    // pairwise with the plaintext baseline.
    assert!(
        csv.lines()
            .any(|l| l.starts_with("14,ble-ascon,0.9,records_exposed,2,0,")),
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
