//! End-to-end tests of `iomtsim paper`: the example paper builds, a second build runs nothing
//! and rewrites nothing, touching one scenario reruns only the figures that use it, `--slurm`
//! writes scripts and draws nothing, and bad paper files are refused (exit 2, file:line:col)
//! before anything runs.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use support::{iomtsim, json, stderr_of, stdout_of, tree};

const PAPER: &str = include_str!("../../examples/paper.yaml");
const JAMMER: &str = include_str!("../../examples/jammer.yaml");

/// The example paper and the scenarios it names, copied into `dir`, with every figure's
/// simulated time cut (20 min, 10 min and 2 h to 4 min, 3 min and 10 min, the ward's 2 min warm-up included; replications and
/// sweeps as written): what is tested is what the build runs and writes, not the figures' values.
fn example(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("ward.yaml"), support::WARD).unwrap();
    std::fs::write(dir.join("jammer.yaml"), JAMMER).unwrap();
    let path = dir.join("paper.yaml");
    let short = PAPER
        .replace("duration: 20min", "duration: 4min")
        .replace("duration: 10min", "duration: 3min")
        .replace("duration: 2h", "duration: 10min");
    assert_ne!(
        short, PAPER,
        "the example paper's durations changed: update the cut"
    );
    std::fs::write(&path, short).unwrap();
    path
}

fn paper(path: &Path, out: &Path) -> std::process::Output {
    iomtsim()
        .args([
            "paper",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--jobs", "2"])
        .output()
        .unwrap()
}

/// Every file's modification time under `dir`, by path relative to it.
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, SystemTime>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::metadata(&p).unwrap().modified().unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The `running ...` lines of a build: one per sweep run.
fn running(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.starts_with("running "))
        .collect()
}

#[test]
fn the_example_paper_builds_once_then_reruns_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = example(dir.path());
    let out = dir.path().join("out");

    let first = paper(&path, &out);
    assert!(first.status.success(), "{}", stderr_of(&first));
    let text = stdout_of(&first);
    // Four sweeps: the forest plot and the table share theirs.
    assert_eq!(running(&text).len(), 4, "{text}");
    assert!(text.contains("4 sweep(s) run, 0 up to date"), "{text}");
    for label in [
        "defense-costs",
        "cipher-alarm-latency",
        "jammer-distance",
        "ids-exposure",
    ] {
        let pdf = std::fs::read(out.join(format!("figures/{label}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{label}");
        let svg = std::fs::read_to_string(out.join(format!("figures/{label}.svg"))).unwrap();
        // One column: 3.5 in × 2.6 in.
        assert!(
            svg.starts_with("<svg width=\"3.5in\" height=\"2.6in\""),
            "{label}"
        );
    }
    let tex = std::fs::read_to_string(out.join("figures.tex")).unwrap();
    assert_eq!(tex.matches("\\begin{figure}[t]").count(), 4, "{tex}");
    assert!(tex.contains("\\includegraphics[width=\\columnwidth]{figures/jammer-distance}\n\\caption{ECG delivery ratio"), "{tex}");
    assert!(tex.contains("\\label{fig:ids-exposure}"), "{tex}");
    let table = std::fs::read_to_string(out.join("tables/defense-costs.tex")).unwrap();
    assert!(
        table.contains("{Metric} & {undefended} & {defended} \\\\"),
        "{table}"
    );
    assert!(table.contains("\\label{tab:defense-costs}"), "{table}");
    // The undefended ward leaks records; with the BLE links encrypted none are exposed.
    let exposed = table
        .lines()
        .find(|l| l.starts_with("Records exposed"))
        .unwrap();
    assert!(exposed.ends_with("& 0 +- 0 \\\\"), "{exposed}");
    assert!(!exposed.contains("& 0 +- 0 & 0 +- 0"), "{exposed}");

    // The manifest: per figure, its sweep's key, the scenario's hash, seeds and version.
    let m = json(&out.join("paper-manifest.json"));
    assert_eq!(m["program"]["version"], env!("CARGO_PKG_VERSION"));
    let figs = m["figures"].as_array().unwrap();
    assert_eq!(figs.len(), 4);
    let jam = figs
        .iter()
        .find(|f| f["label"] == "jammer-distance")
        .unwrap();
    assert_eq!(jam["run"]["replications"], 10);
    assert_eq!(jam["run"]["seeds"].as_array().unwrap().len(), 10);
    assert_eq!(jam["run"]["base_seed"], 20261202);
    let jammer_hash = jam["run"]["scenario_sha256"].as_str().unwrap().to_string();
    assert_eq!(jammer_hash.len(), 64);
    let key = jam["run"]["key"].as_str().unwrap().to_string();
    assert!(out.join("runs").join(&key).join("sweep.csv").is_file());
    assert_eq!(
        m["figures"][0]["run"]["key"], m["tables"][0]["run"]["key"],
        "the forest plot and the table of one comparison share one sweep"
    );

    // Nothing changed: no sweep runs, every file keeps its bytes and its modification time.
    let (bytes, times) = (tree(&out), mtimes(&out));
    let second = paper(&path, &out);
    assert!(second.status.success(), "{}", stderr_of(&second));
    let text = stdout_of(&second);
    assert!(running(&text).is_empty(), "{text}");
    assert!(
        text.contains("0 sweep(s) run, 4 up to date; 0 file(s) written"),
        "{text}"
    );
    assert!(tree(&out) == bytes, "a file changed");
    assert_eq!(mtimes(&out), times);

    // One scenario changes: only the figure that uses it is run again.
    std::fs::write(
        dir.path().join("jammer.yaml"),
        format!("{JAMMER}# touched\n"),
    )
    .unwrap();
    let third = paper(&path, &out);
    assert!(third.status.success(), "{}", stderr_of(&third));
    let text = stdout_of(&third);
    let ran = running(&text);
    assert_eq!(ran.len(), 1, "{text}");
    assert!(
        ran[0].ends_with(&format!("for jammer-distance: runs/{}", {
            let m = json(&out.join("paper-manifest.json"));
            let f = m["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["label"] == "jammer-distance")
                .unwrap()
                .clone();
            f["run"]["key"].as_str().unwrap().to_string()
        })),
        "{text}"
    );
    assert!(text.contains("1 sweep(s) run, 3 up to date"), "{text}");
    let m = json(&out.join("paper-manifest.json"));
    let jam = m["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "jammer-distance")
        .unwrap();
    assert_ne!(jam["run"]["key"], key.as_str());
    assert_ne!(jam["run"]["scenario_sha256"], jammer_hash.as_str());
    // The other figures' files, and the other sweeps' folders, were not touched.
    let after = mtimes(&out);
    for (file, t) in &times {
        let others = file.starts_with("figures/defense-costs")
            || file.starts_with("figures/cipher-alarm-latency")
            || file.starts_with("figures/ids-exposure")
            || file.starts_with("tables/")
            || (file.starts_with("runs/") && !file.starts_with(&format!("runs/{key}")));
        if others {
            assert_eq!(after.get(file), Some(t), "{file} was rewritten");
        }
    }
}

/// A small paper of one figure on the ward, for the error and Slurm tests.
fn small(dir: &Path, figure: &str) -> PathBuf {
    support::short_ward(dir, "5min");
    let path = dir.join("paper.yaml");
    std::fs::write(&path, format!("figures:\n{figure}")).unwrap();
    path
}

const FIGURE: &str = "  - label: costs
    caption: Costs.
    scenario: ward.yaml
    replications: 2
    compare:
      - name: plain
      - name: aead
        set: { \"defenses[2]\": { name: ble-aead, kind: link_encryption, links: [ble], cipher: ascon128 } }
    kind: forest
    metrics: [latency_ms, sensor_energy_j]
";

/// Runs `paper` on a bad file: exit 2, the message, and nothing written or run.
fn refused(figures: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = small(dir.path(), figures);
    let out = dir.path().join("out");
    let o = paper(&path, &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr_of(&o));
    assert!(!out.exists(), "a refused paper wrote its folder");
    stderr_of(&o).replace(&format!("{}/", dir.path().display()), "")
}

#[test]
fn an_unknown_figure_kind_is_refused_at_its_line() {
    let e = refused(&FIGURE.replace("kind: forest", "kind: pie"));
    assert!(e.starts_with("error: paper.yaml:10:11: figures[0].kind: unknown variant `pie`, expected one of `lines`, `difference`, `bars`, `forest`"), "{e}");
}

#[test]
fn a_metric_the_scenario_does_not_produce_is_refused_with_a_suggestion() {
    let e = refused(&FIGURE.replace("sensor_energy_j]", "sensor_energy_jj]"));
    assert!(e.starts_with("error: paper.yaml:11:27: figures[0].metrics[1]: the scenario produces no metric called `sensor_energy_jj`; did you mean `sensor_energy_j`?"), "{e}");
    // A per-group metric needs its group, and the group must be the scenario's.
    let e = refused(&FIGURE.replace("sensor_energy_j]", "ecgs/energy_per_node_j]"));
    assert!(e.contains("figures[0].metrics[1]: the scenario has no node group called `ecgs`; did you mean `ecg`?"), "{e}");
}

#[test]
fn two_figures_with_one_label_are_refused() {
    let e = refused(&format!("{FIGURE}{FIGURE}"));
    assert!(e.starts_with("error: paper.yaml:12:5: figures[1].label: two figures with the label `costs`: figures[0] has it already"), "{e}");
}

#[test]
fn a_missing_scenario_file_is_refused_at_the_figure() {
    let e = refused(&FIGURE.replace("scenario: ward.yaml", "scenario: wards.yaml"));
    assert!(
        e.starts_with("error: paper.yaml:4:5: figures[0].scenario: cannot read the scenario"),
        "{e}"
    );
    assert!(e.contains("wards.yaml"), "{e}");
}

#[test]
fn a_chart_that_does_not_fit_its_sweep_is_refused() {
    // A line needs a swept parameter; a comparison of variants has none.
    let e = refused(
        &FIGURE
            .replace("kind: forest", "kind: lines")
            .replace(", sensor_energy_j", ""),
    );
    assert!(
        e.contains("figures[0].kind: a `lines` chart needs a swept parameter"),
        "{e}"
    );
}

#[test]
fn slurm_writes_the_scripts_for_the_missing_sweeps_and_draws_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = small(dir.path(), FIGURE);
    let out = dir.path().join("out");
    let o = iomtsim()
        .args([
            "paper",
            path.to_str().unwrap(),
            "--slurm",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    let text = stdout_of(&o);
    assert!(
        text.contains("1 sweep(s) to run on the cluster: submit them with `bash"),
        "{text}"
    );
    assert!(
        text.contains("then, once they are done, run `iomtsim paper"),
        "{text}"
    );
    let submit = std::fs::read_to_string(out.join("submit-all.sh")).unwrap();
    let key = submit
        .lines()
        .find_map(|l| l.strip_prefix("bash runs/"))
        .and_then(|l| l.strip_suffix("/submit.sh"))
        .unwrap()
        .to_string();
    let array = std::fs::read_to_string(out.join("runs").join(&key).join("sweep.sbatch")).unwrap();
    // Two variants: two shards, each running `iomtsim sweep` with the paper's sweep block.
    assert!(array.contains("#SBATCH --array=1-2"), "{array}");
    assert!(array.contains(" sweep "), "{array}");
    assert!(array.contains("--set 'sweep={\"variants\":"), "{array}");
    assert!(!out.join("figures").exists());
    assert!(!out.join("figures.tex").exists());
}

#[test]
fn a_scenario_refused_with_the_items_overrides_is_reported_at_the_item_then_in_its_own_file() {
    let e = refused(&FIGURE.replace(
        "    replications: 2\n",
        "    replications: 2\n    set: { warmup: 1h }\n",
    ));
    assert!(
        e.starts_with("error: paper.yaml:4:5: figures[0].scenario: the scenario `"),
        "{e}"
    );
    assert!(
        e.contains("ward.yaml` with this item's overrides is refused:\n"),
        "{e}"
    );
    assert!(
        e.contains(
            "--set warmup=1h: warmup: the warm-up (3600s) must be shorter than the duration (300s)"
        ),
        "{e}"
    );
}

#[test]
fn the_manifest_names_files_as_the_paper_does_whatever_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = small(dir.path(), FIGURE);
    let out = dir.path().join("out");
    let o = paper(&path, &out);
    assert!(o.status.success(), "{}", stderr_of(&o));
    let m = json(&out.join("paper-manifest.json"));
    assert_eq!(m["paper"]["file"], "paper.yaml");
    assert_eq!(m["figures"][0]["run"]["scenario"], "ward.yaml");
    assert_eq!(m["figures"][0]["run"]["points"], 2);
    assert_eq!(m["figures"][0]["run"]["replications"], 2);
    // From the paper's own folder, by a relative path: the same manifest, nothing rewritten.
    let before = std::fs::read(out.join("paper-manifest.json")).unwrap();
    let o = iomtsim()
        .current_dir(dir.path())
        .args(["paper", "paper.yaml", "--out", "out"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(
        stdout_of(&o).contains("0 sweep(s) run, 1 up to date; 0 file(s) written"),
        "{}",
        stdout_of(&o)
    );
    assert_eq!(
        std::fs::read(out.join("paper-manifest.json")).unwrap(),
        before
    );
}

#[test]
fn validate_checks_a_paper_file_as_paper_does_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = small(dir.path(), FIGURE);
    let o = iomtsim().arg("validate").arg(&good).output().unwrap();
    assert!(o.status.success(), "{}", stderr_of(&o));
    assert!(
        stdout_of(&o).contains("paper OK: 1 figure(s), 0 table(s) from 1 scenario file(s)"),
        "{}",
        stdout_of(&o)
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "validate wrote something beside the paper and its scenario"
    );

    let bad = small(dir.path(), &FIGURE.replace("kind: forest", "kind: pie"));
    let o = iomtsim().arg("validate").arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("figures[0].kind: unknown variant `pie`"),
        "{}",
        stderr_of(&o)
    );

    let o = iomtsim()
        .arg("validate")
        .arg(&good)
        .args(["--set", "duration=1min"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr_of(&o).contains("a paper file takes no --set"),
        "{}",
        stderr_of(&o)
    );
}
