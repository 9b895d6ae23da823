//! What the end-to-end tests share: the program, the ward example, and reading a folder back.
#![allow(dead_code)] // the browser test (browser/tests/browser.rs) includes it too, and uses a part

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The ward example's text.
pub const WARD: &str = include_str!("../../../examples/ward.yaml");

/// The `iomtsim` binary under test.
pub fn iomtsim() -> Command {
    Command::cargo_bin("iomtsim").unwrap()
}

/// The ward example shortened to `duration`, written into `dir`.
pub fn short_ward(dir: &Path, duration: &str) -> PathBuf {
    let path = dir.join("ward.yaml");
    std::fs::write(
        &path,
        WARD.replace("duration: 1h", &format!("duration: {duration}")),
    )
    .unwrap();
    path
}

/// `iomtsim run SCENARIO --out OUT --quiet` followed by `flags`; fails the test with the
/// program's standard error unless the run succeeds. The run's output.
pub fn run_quietly(scenario: &Path, out: &Path, flags: &[&str]) -> std::process::Output {
    let o = iomtsim()
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(flags)
        .output()
        .unwrap();
    assert!(o.status.success(), "iomtsim run failed: {}", stderr_of(&o));
    o
}

/// The ward shortened to `duration` ([`short_ward`]) and run into `dir/res` with `flags`
/// ([`run_quietly`]); the scenario's path and the results folder.
pub fn run_short_ward(dir: &Path, duration: &str, flags: &[&str]) -> (PathBuf, PathBuf) {
    let scenario = short_ward(dir, duration);
    let out = dir.join("res");
    run_quietly(&scenario, &out, flags);
    (scenario, out)
}

/// The ward's own sweep of `scenario` (a [`short_ward`]) cut to two capture probabilities and
/// two replications (its three variants kept), written into `out`.
pub fn small_ward_sweep(scenario: &Path, out: &Path) {
    iomtsim()
        .args(["sweep", scenario.to_str().unwrap(), "--out"])
        .arg(out)
        .args([
            "--quiet",
            "--set",
            "sweep.replications=2",
            "--set",
            "sweep.parameters[0].values=[0.1, 0.9]",
        ])
        .assert()
        .success();
}

/// Standard error as text.
pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every file under `dir`, as (path relative to `dir`, bytes), sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// A JSON file, parsed.
pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
