//! End-to-end tests of how the `iomtsim` command treats hostile and careless input: names that
//! would leave the results folder, planted links, concurrent runs, runs killed while they
//! rewrite a folder, tampered sweep files and oversized inputs. Each would fail on a command
//! that trusts its input.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const WARD: &str = include_str!("../examples/ward.yaml");

fn iomtsim() -> Command {
    Command::cargo_bin("iomtsim").unwrap()
}

/// The ward example shortened to `duration`, with `name: ward` replaced by `name`, written
/// into `dir`.
fn ward_named(dir: &Path, duration: &str, name: &str) -> PathBuf {
    let path = dir.join("ward.yaml");
    let text = WARD
        .replace("duration: 1h", &format!("duration: {duration}"))
        .replacen("name: ward\n", &format!("name: {name}\n"), 1);
    std::fs::write(&path, text).unwrap();
    path
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
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
