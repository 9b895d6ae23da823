//! End-to-end tests of how the `iomtsim` command treats hostile and careless input: names that
//! would leave the results folder, planted links, concurrent runs, runs killed while they
//! rewrite a folder, tampered sweep files and oversized inputs. Each would fail on a command
//! that trusts its input.

use crate::support;
use std::path::{Path, PathBuf};
use support::{WARD, iomtsim, stderr_of};

/// The ward example shortened to `duration`, with `name: ward` replaced by `name`, written
/// into `dir`.
fn ward_named(dir: &Path, duration: &str, name: &str) -> PathBuf {
    let path = dir.join("ward.yaml");
    let text = WARD
        .replace("duration: 1h", &format!("duration: {duration}"))
        .replace("warmup: 2min", "warmup: 10s")
        .replacen("name: ward\n", &format!("name: {name}\n"), 1);
    std::fs::write(&path, text).unwrap();
    path
}

/// Every entry under `dir` (files and folders), relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            if p.is_dir() && !p.is_symlink() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn hostile_scenario_names_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir_all(work.join("sub")).unwrap();
    for name in [
        "/etc",
        "..",
        "\"../../x\"",
        "\"\"",
        "\"ward\\ntouch pwned\\n#\"",
        "\"=HYPERLINK(1)\"",
        ".",
    ] {
        let scenario = ward_named(&work, "1min", name);
        let before = listing(tmp.path());
        let out = iomtsim()
            .current_dir(work.join("sub"))
            .args(["run", scenario.to_str().unwrap(), "--quiet"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(err.contains("ward.yaml:13:"), "{name}: {err}");
        assert!(err.contains("did you mean `"), "{name}: {err}");
        assert_eq!(listing(tmp.path()), before, "{name} wrote something");
    }
}

/// `iomtsim run` of `scenario` into `out` with extra arguments; the output.
fn run_into(scenario: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    iomtsim()
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_bad_out_is_refused_before_simulating() {
    let tmp = tempfile::tempdir().unwrap();
    // An hour of the ward × 2000 replications would take minutes: the refusals must come first.
    let scenario = ward_named(tmp.path(), "1h", "ward");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    std::fs::write(home.join("notes.txt"), "mine").unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (file.clone(), "not a folder"),
        (file.join("res"), "cannot create"),
        (PathBuf::from("/"), "name the results folder"),
        (home.clone(), "refusing to write a results folder over"),
        (
            tmp.path().join("home").join(".."),
            "name the results folder",
        ),
    ];
    for (out, expected) in cases {
        let started = std::time::Instant::now();
        let o = iomtsim()
            .env("HOME", &home)
            .args([
                "run",
                scenario.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--replications",
                "2000",
                "--force",
                "--quiet",
            ])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            out.display(),
            stderr_of(&o)
        );
        assert!(stderr_of(&o).contains(expected), "{}", stderr_of(&o));
        assert!(
            started.elapsed().as_secs() < 20,
            "{} checked late",
            out.display()
        );
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
    assert_eq!(listing(&home), ["notes.txt"]);
}

#[test]
fn a_foreign_folder_needs_force_and_a_rewrite_keeps_no_stale_file() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "1min", "ward");
    let out = tmp.path().join("thesis");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("chapter1.tex"), "precious").unwrap();
    let o = run_into(&scenario, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    assert!(stderr_of(&o).contains("--force"), "{}", stderr_of(&o));
    assert_eq!(listing(&out), ["chapter1.tex"]);
    let o = run_into(&scenario, &out, &["--force"]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(out.join("summary.json").is_file());
    assert!(!out.join("chapter1.tex").exists());
    // An iomtsim folder is rewritten without --force, and a file of the earlier run that the
    // new run does not write (here, planted) does not survive.
    std::fs::write(out.join("old-run.csv"), "stale").unwrap();
    let o = run_into(&scenario, &out, &["--seed", "7"]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(!out.join("old-run.csv").exists());
    // Nothing is left beside the folder.
    assert_eq!(
        std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect::<Vec<_>>(),
        Vec::<String>::new()
    );
}

/// Checks that every file `manifest.json` lists is present with its SHA-256 (by size, as the
/// manifest's hash is checked by the program's own tests) and nothing else is there: the folder
/// is one run's, whole.
fn assert_one_whole_run(out: &Path) -> serde_json::Value {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let mut listed: Vec<String> = vec!["manifest.json".into(), "plots".into()];
    for f in manifest["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        let bytes = std::fs::read(out.join(path)).unwrap();
        assert_eq!(bytes.len() as u64, f["bytes"].as_u64().unwrap(), "{path}");
        listed.push(path.to_string());
    }
    listed.sort();
    assert_eq!(listing(out), listed);
    manifest
}

#[test]
fn concurrent_runs_into_one_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "20min", "ward");
    let out = tmp.path().join("res");
    let lock = tmp.path().join(".res.iomtsim-lock");
    let o = run_into(&scenario, &out, &["--replications", "1"]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("iomtsim"))
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            // Long enough (a few seconds) for the second writer and `plot` to find it running.
            "--replications",
            "16",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !lock.exists() {
        assert!(
            started.elapsed().as_secs() < 30,
            "the first run never locked"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = run_into(&scenario, &out, &["--seed", "9"]);
    assert_eq!(second.status.code(), Some(2), "{}", stderr_of(&second));
    assert!(
        stderr_of(&second).contains("another iomtsim command is writing"),
        "{}",
        stderr_of(&second)
    );
    // Nor may `plot` redraw the charts of the folder being replaced.
    let plot = iomtsim().arg("plot").arg(&out).output().unwrap();
    assert_eq!(plot.status.code(), Some(2), "{}", stderr_of(&plot));
    assert!(stderr_of(&plot).contains("another iomtsim command is writing"));
    assert!(first.wait().unwrap().success());
    let manifest = assert_one_whole_run(&out);
    assert_eq!(manifest["replications"], 16);
    assert!(!lock.exists());
}

#[cfg(unix)]
#[test]
fn a_run_killed_while_rewriting_leaves_the_old_folder_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "2min", "ward");
    let out = tmp.path().join("res");
    assert!(run_into(&scenario, &out, &["--seed", "1"]).status.success());
    let old = std::fs::read(out.join("summary.json")).unwrap();
    let mut saw_new = false;
    // Kill rewrites at increasing delays: while simulating, while writing the staged folder,
    // around the swap, after it.
    for delay_ms in [50u64, 150, 300, 450, 600, 800, 1000, 1300, 1700, 2500] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("iomtsim"))
            .args([
                "run",
                scenario.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--seed",
                "2",
                "--quiet",
            ])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_one_whole_run(&out);
        let now = std::fs::read(out.join("summary.json")).unwrap();
        saw_new |= now != old;
    }
    // The next run reports and removes what a killed one left beside the folder.
    let o = run_into(&scenario, &out, &["--seed", "3"]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert_one_whole_run(&out);
    let beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".res."))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    // (Whether a kill landed after the swap depends on the machine's speed.)
    let _ = saw_new;
}

#[test]
fn identical_runs_into_different_folders_differ_only_in_the_machine_field() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "1min", "ward");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("deep").join("b"));
    assert!(run_into(&scenario, &a, &[]).status.success());
    assert!(run_into(&scenario, &b, &[]).status.success());
    let files = listing(&a);
    assert_eq!(files, listing(&b));
    for f in files.iter().filter(|f| f.contains('.')) {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        if f == "manifest.json" {
            let mut x: serde_json::Value = serde_json::from_slice(&x).unwrap();
            let mut y: serde_json::Value = serde_json::from_slice(&y).unwrap();
            assert_ne!(x["machine"]["out"], y["machine"]["out"]);
            x["machine"] = serde_json::Value::Null;
            y["machine"] = serde_json::Value::Null;
            assert_eq!(x, y);
            assert!(!x["command_line"].as_str().unwrap().contains("/a"));
        } else {
            assert!(x == y, "{f} differs");
        }
    }
}

#[cfg(unix)]
#[test]
fn slurm_scripts_with_hostile_paths_and_values_run_no_injected_command() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "1min", "ward");
    let canary = tmp.path().join("pwned");
    let c = canary.display().to_string();
    // A folder name and an override value that would run `touch` if pasted unquoted, close a
    // quote, substitute a command or end an `#SBATCH` header line early.
    let out = tmp.path().join(format!(
        "out dir\n#SBATCH --wrap=touch {c}\n$(touch {c})`touch {c}`'; touch {c}; '"
    ));
    let set = format!("description=x'\"; touch {c}; $(touch {c}) #\nnext");
    let o = iomtsim()
        .args([
            "slurm",
            scenario.to_str().unwrap(),
            "--shards",
            "2",
            "--out",
        ])
        .arg(&out)
        .args(["--set", &set, "--set", "sweep.replications=1"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    // A stand-in for sbatch that prints a job id and runs nothing.
    let fake = bin.join("sbatch");
    std::fs::write(&fake, "#!/bin/sh\necho 42\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    for script in ["sweep.sbatch", "merge.sbatch", "submit.sh"] {
        let path = out.join(script);
        let text = std::fs::read_to_string(&path).unwrap();
        let syntax = std::process::Command::new("bash")
            .arg("-n")
            .arg(&path)
            .output()
            .unwrap();
        assert!(syntax.status.success(), "{script}: {}", stderr_of(&syntax));
        // The header is one block of comment lines, none of them injected.
        for line in text.lines().take_while(|l| l.starts_with('#')) {
            assert!(!line.contains("--wrap"), "{script}: {line}");
        }
    }
    // Run them: the array task for shard 1 and 2 for real, then the merge, then the submission
    // with the stand-in sbatch.
    for task in ["1", "2"] {
        let r = std::process::Command::new("bash")
            .arg(out.join("sweep.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", task)
            .current_dir(&out)
            .output()
            .unwrap();
        assert!(r.status.success(), "shard {task}: {}", stderr_of(&r));
    }
    let r = std::process::Command::new("bash")
        .arg(out.join("merge.sbatch"))
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(r.status.success(), "merge: {}", stderr_of(&r));
    assert!(out.join("sweep.csv").is_file());
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let r = std::process::Command::new("bash")
        .arg(out.join("submit.sh"))
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(r.status.success(), "submit: {}", stderr_of(&r));
    assert!(!canary.exists(), "an injected command ran");
    // Values that would go into `#SBATCH` lines unquoted are refused.
    for (flag, value) in [
        ("--partition", "short\ntouch x"),
        ("--time", "1:00\n#SBATCH"),
    ] {
        let o = iomtsim()
            .args([
                "slurm",
                scenario.to_str().unwrap(),
                "--shards",
                "2",
                flag,
                value,
            ])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{flag}");
    }
}

#[cfg(unix)]
#[test]
fn a_device_or_fifo_as_the_scenario_exits_2_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut paths = vec![PathBuf::from("/dev/zero")];
    if made {
        paths.push(fifo);
    }
    for p in paths {
        for cmd in ["validate", "run", "sweep"] {
            let started = std::time::Instant::now();
            let o = iomtsim()
                .current_dir(tmp.path())
                .args([cmd, p.to_str().unwrap()])
                .timeout(std::time::Duration::from_secs(20))
                .output()
                .unwrap();
            assert_eq!(
                o.status.code(),
                Some(2),
                "{cmd} {}: {}",
                p.display(),
                stderr_of(&o)
            );
            assert!(
                stderr_of(&o).contains("not a regular file"),
                "{}",
                stderr_of(&o)
            );
            assert!(started.elapsed().as_secs() < 10);
        }
    }
}

/// A small sweep of the ward (1 min, 15 points × 2 replications) into `out`; the scenario.
fn small_sweep(dir: &Path, out: &Path, extra: &[&str]) -> (PathBuf, std::process::Output) {
    let scenario = ward_named(dir, "1min", "ward");
    let o = iomtsim()
        .args(["sweep", scenario.to_str().unwrap(), "--out"])
        .arg(out)
        .args(["--set", "sweep.replications=2", "--jobs", "2", "--quiet"])
        .args(extra)
        .output()
        .unwrap();
    (scenario, o)
}

#[test]
fn tampered_job_files_are_rerun_by_resume_and_refused_by_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sw");
    let (_, o) = small_sweep(tmp.path(), &out, &[]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    let csv = std::fs::read(out.join("sweep.csv")).unwrap();
    let job = |p: usize, r: u32| out.join("jobs").join(format!("p{p:06}-r{r:05}.json"));
    // Edit a value, truncate a job, copy one job over another.
    let text = std::fs::read_to_string(job(0, 0)).unwrap();
    let edited = text.replacen("\"records_exposed\",", "\"records_exposed\",1e9+", 1);
    let edited = if edited == text {
        text.replacen("\"events\":", "\"events\":1", 1)
    } else {
        edited
    };
    std::fs::write(job(0, 0), edited).unwrap();
    let bytes = std::fs::read(job(3, 1)).unwrap();
    std::fs::write(job(3, 1), &bytes[..bytes.len() / 3]).unwrap();
    std::fs::copy(job(5, 0), job(5, 1)).unwrap();
    // merge names the first bad file and refuses.
    let merged = tmp.path().join("merged");
    let o = iomtsim()
        .arg("merge")
        .arg(&out)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    assert!(
        stderr_of(&o).contains("p000000-r00000.json"),
        "{}",
        stderr_of(&o)
    );

    // --resume runs the three again, says so, and the table is the untampered one.
    let scenario = tmp.path().join("ward.yaml");
    let o = iomtsim()
        .args(["sweep", scenario.to_str().unwrap(), "--out"])
        .arg(&out)
        .args(["--set", "sweep.replications=2", "--resume"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    for name in ["p000000-r00000", "p000003-r00001", "p000005-r00001"] {
        assert!(
            err.contains(name) && err.contains("running it again"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read(out.join("sweep.csv")).unwrap(), csv);
    // What a sweep killed while writing a job leaves behind is removed by the next --resume.
    let leftover = out.join("jobs").join(".p000001-r00000.json.a1B2c3.tmp");
    std::fs::write(&leftover, "").unwrap();
    let o = iomtsim()
        .args(["sweep", scenario.to_str().unwrap(), "--out"])
        .arg(&out)
        .args(["--set", "sweep.replications=2", "--resume"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(
        stderr_of(&o).contains("removed 1 unfinished job file"),
        "{}",
        stderr_of(&o)
    );
    assert!(!leftover.exists());
    // A bad job late in the order: the merge is refused before any job is copied.
    let bytes = std::fs::read(job(7, 1)).unwrap();
    std::fs::write(job(7, 1), &bytes[..10]).unwrap();
    let merged2 = tmp.path().join("merged2");
    let o = iomtsim()
        .arg("merge")
        .arg(&out)
        .arg("--out")
        .arg(&merged2)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    assert!(
        stderr_of(&o).contains("p000007-r00001.json"),
        "{}",
        stderr_of(&o)
    );
    assert!(!merged2.join("jobs").exists(), "a refused merge wrote jobs");
}

#[test]
fn a_tampered_sweep_manifest_is_refused_by_merge_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sw");
    let (_, o) = small_sweep(tmp.path(), &out, &[]);
    assert!(o.status.success(), "{}", stderr_of(&o));
    let manifest = out.join("sweep-manifest.json");
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let edits: Vec<(&str, Edit)> = vec![
        ("variant", |m| m["layout"]["points"][0][0] = 99.into()),
        ("baseline", |m| m["layout"]["baseline"] = 99.into()),
        ("replications", |m| m["layout"]["replications"] = 0.into()),
        ("empty", |m| m["layout"]["points"] = serde_json::json!([])),
        ("value", |m| {
            m["layout"]["points"][1][1] = serde_json::json!([])
        }),
        ("base_seed", |m| m["base_seed"] = "x".into()),
        ("SHA-256", |m| {
            m["scenario"]["sha256_with_overrides"] = 5.into()
        }),
        ("layout", |m| m["layout"] = serde_json::json!("broken")),
    ];
    for (word, edit) in edits {
        let mut m = original.clone();
        edit(&mut m);
        std::fs::write(&manifest, serde_json::to_vec(&m).unwrap()).unwrap();
        let merged = tmp.path().join("merged");
        let o = iomtsim()
            .arg("merge")
            .arg(&out)
            .arg("--out")
            .arg(&merged)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{word}: {}", stderr_of(&o));
        assert!(stderr_of(&o).contains(word), "{word}: {}", stderr_of(&o));
        assert!(!merged.join("sweep.csv").exists(), "{word}");
    }
}

#[test]
fn overload_is_refused_at_validation_and_stopped_at_run_time() {
    let tmp = tempfile::tempdir().unwrap();
    let typo = WARD
        .replace("duration: 1h", "duration: 10min")
        .replace("every: 2s", "every: 2us");
    let scenario = tmp.path().join("typo.yaml");
    std::fs::write(&scenario, &typo).unwrap();
    let o = iomtsim()
        .args(["validate", scenario.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    assert!(
        err.contains("typo.yaml:")
            && err.contains("utilisation ρ")
            && err.contains("allow_overload"),
        "{err}"
    );
    // Allowed, the run stops at the in-flight limit instead of eating memory, writes nothing
    // and names the station.
    std::fs::write(&scenario, format!("allow_overload: true\n{typo}")).unwrap();
    let out = tmp.path().join("res");
    let started = std::time::Instant::now();
    let o = iomtsim()
        .args(["run", scenario.to_str().unwrap(), "--out"])
        .arg(&out)
        .args(["--max-in-flight", "20000", "--replications", "2", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    assert!(err.contains("overloaded: station `"), "{err}");
    assert!(err.contains("queue length"), "{err}");
    assert!(!out.exists());
    assert!(listing(tmp.path()).iter().all(|f| !f.starts_with(".res")));
    assert!(started.elapsed().as_secs() < 60);
    // A sweep's overloaded jobs fail the same way, with exit status 2.
    let o = iomtsim()
        .args(["sweep", scenario.to_str().unwrap(), "--out"])
        .arg(tmp.path().join("sw"))
        .args([
            "--set",
            "sweep.replications=1",
            "--max-in-flight",
            "20000",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    assert!(
        stderr_of(&o).contains("overloaded: station `"),
        "{}",
        stderr_of(&o)
    );
}

#[test]
fn a_busy_station_is_a_warning_that_deny_warnings_makes_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "1min", "ward");
    // 18.01 packets/s into one server of 50 ms: ρ = 0.9005.
    let busy = [
        "--set",
        "cloud[1].servers=1",
        "--set",
        "cloud[1].service=const(50ms)",
    ];
    let o = iomtsim()
        .args(["validate", scenario.to_str().unwrap()])
        .args(busy)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    assert!(
        err.contains("warning: ") && err.contains("ehr") && err.contains("0.90"),
        "{err}"
    );
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(
        summary.contains("busiest: station `ehr[0]` at ρ = 0.901"),
        "{summary}"
    );
    let o = iomtsim()
        .args(["validate", scenario.to_str().unwrap(), "--deny-warnings"])
        .args(busy)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    // The example itself has none.
    let o = iomtsim()
        .args(["validate", scenario.to_str().unwrap(), "--deny-warnings"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
}

#[test]
fn a_huge_sweep_is_refused_up_front_unless_confirmed() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "1h", "ward");
    let started = std::time::Instant::now();
    let o = iomtsim()
        .args(["sweep", scenario.to_str().unwrap(), "--out"])
        .arg(tmp.path().join("sw"))
        .args(["--set", "sweep.replications=100000", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    let err = stderr_of(&o);
    assert!(
        err.contains("1500000 jobs") && err.contains("--allow-large"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 10);
    assert!(!tmp.path().join("sw").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn memory_does_not_grow_with_the_replications() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = ward_named(tmp.path(), "1min", "ward");
    // Each replication of the ward holds 2–3 MB of metrics; 400 kept whole would pass 800 MB.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("iomtsim"))
        .args(["run", scenario.to_str().unwrap(), "--out"])
        .arg(tmp.path().join("res"))
        .args(["--replications", "400", "--quiet"])
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(text) = std::fs::read_to_string(&status)
            && let Some(kb) = text
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(child.wait().unwrap().success());
    assert!(peak_kb > 0);
    assert!(peak_kb < 300_000, "peak resident memory {peak_kb} kB");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("res/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["replications"], 400);
}

/// Every file a run writes, from a scenario whose name (bypassing validation, as a library
/// user could) holds a newline, LaTeX, Markdown, a shell command and a spreadsheet formula.
#[test]
fn a_hostile_name_cannot_break_out_of_any_file_format() {
    let hostile = "=cmd|' /C calc'!A0\n\\input{/etc/passwd}\r%\n# head | x `y` $(touch z)\u{7}";
    let text = WARD
        .replace("duration: 1h", "duration: 1min")
        .replace("warmup: 2min", "warmup: 10s");
    let s = scenarios::parse(&text, "ward.yaml").unwrap();
    let built = s.build();
    let mut stream = reports::output::RunStream::default();
    for i in 0..2 {
        stream.push(&built.replication(i).unwrap().run());
    }
    let p = reports::Provenance {
        scenario: hostile.into(),
        scenario_sha256: "0".repeat(64),
        program_version: "0".into(),
        base_seed: 1,
        duration_s: 60.0,
        warmup_s: 10.0,
        deadlines_ms: vec![],
        resolved_scenario: serde_json::json!({ "name": hostile }),
        command_line: format!("iomtsim run '{hostile}'"),
        machine: serde_json::Value::Null,
    };
    let dir = tempfile::tempdir().unwrap();
    let written =
        reports::output::write_gathered(dir.path(), &p, stream.finish(), &[reports::Format::Svg])
            .unwrap();
    assert!(written.len() > 10);
    for path in &written {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if name.ends_with(".json") {
            // JSON escapes it: the name reads back exactly.
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(v["scenario"]["name"], hostile, "{name}");
        } else if name.ends_with(".tex") {
            for line in text.lines().filter(|l| !l.starts_with('%')) {
                assert!(!line.contains("\\input{/etc"), "{name}: {line}");
                assert!(
                    !line.contains('\u{7}') && !line.contains('\r'),
                    "{name}: {line:?}"
                );
            }
            assert_eq!(
                text.lines().filter(|l| l.starts_with("% iomtsim")).count(),
                1
            );
        } else if name.ends_with(".md") {
            assert!(!text.lines().any(|l| l.starts_with("# head")), "{text}");
            assert!(!text.contains('\u{7}') && !text.contains('\r'));
        } else if name.ends_with(".csv") {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice());
            for rec in r.records() {
                for cell in rec.unwrap().iter() {
                    let numeric = cell.parse::<f64>().is_ok();
                    assert!(
                        numeric || !cell.starts_with(['=', '+', '-', '@']),
                        "{name}: {cell}"
                    );
                }
            }
        } else if name.ends_with(".svg") {
            // Charts carry no scenario name: the caption is the author's.
            assert!(!text.contains("/etc/passwd"), "{name}");
        }
    }
}
