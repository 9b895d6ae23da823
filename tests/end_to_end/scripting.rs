//! What batch jobs and scripts use: `run --charts none` and `--jobs`, `validate --format json`,
//! `catalog --format json`, shell completions and the manual page.

use crate::support;
use support::{iomtsim, json, short_ward, stderr_of, stdout_of, tree};

/// `run --charts none` writes every data file byte for byte as a charted run does, no plots
/// folder, a manifest listing no chart and a report.html without charts; `plot` then draws the
/// charts the charted run drew and adds them to the page.
#[test]
fn charts_none_writes_the_same_data_without_charts_and_plot_draws_them_later() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "5min");
    let run = |out: &std::path::Path, extra: &[&str]| {
        support::run_quietly(&scenario, out, &[&["--replications", "2"], extra].concat());
    };
    let charted = dir.path().join("charted");
    let bare = dir.path().join("bare");
    run(&charted, &[]);
    run(&bare, &["--charts", "none", "--jobs", "1"]);
    assert!(!bare.join("plots").exists());
    let data = |t: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        t.into_iter()
            .filter(|(p, _)| !p.starts_with("plots") && p != "manifest.json" && p != "report.html")
            .collect()
    };
    let (a, b) = (data(tree(&charted)), data(tree(&bare)));
    assert_eq!(a.len(), b.len());
    assert!(a.len() >= 10, "{} data files", a.len());
    for ((p, x), (q, y)) in a.iter().zip(&b) {
        assert_eq!(p, q);
        assert!(x == y, "{p} differs with --charts none");
    }
    let files = json(&bare.join("manifest.json"))["files"].clone();
    let listed = files.as_object().map_or(0, |o| o.len()) + files.as_array().map_or(0, |a| a.len());
    assert!(listed >= 10, "manifest lists {listed} files: {files}");
    assert!(!files.to_string().contains("plots/"), "{files}");
    // report.html: the tables without the charts, which `plot` then adds as the run drew them
    // (the rest of the page differs in the command line it records).
    let section = |dir: &std::path::Path| -> String {
        let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
        let start = page
            .find("<section id=\"charts\">")
            .expect("a charts section");
        let end = start + page[start..].find("</section>").unwrap();
        page[start..end].to_string()
    };
    assert!(!section(&bare).contains("<svg") && section(&charted).contains("<svg"));
    iomtsim()
        .args(["plot", bare.to_str().unwrap(), "--quiet"])
        .assert()
        .success();
    let charts = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        tree(dir)
            .into_iter()
            .filter(|(p, _)| p.starts_with("plots"))
            .collect()
    };
    assert_eq!(charts(&charted), charts(&bare));
    assert_eq!(section(&charted), section(&bare));
}

#[test]
fn charts_takes_a_list_of_formats_and_refuses_others_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, out) = support::run_short_ward(
        dir.path(),
        "3min",
        &["--replications", "2", "--charts", "svg"],
    );
    let plots: Vec<String> = tree(&out.join("plots"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert!(!plots.is_empty());
    assert!(plots.iter().all(|p| p.ends_with(".svg")), "{plots:?}");
    let bad = iomtsim()
        .args(["run", scenario.to_str().unwrap(), "--charts", "jpeg"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr_of(&bad).contains("`jpeg` is not a chart format"),
        "{}",
        stderr_of(&bad)
    );
}

/// The JSON summary carries the same counts as the text line.
#[test]
fn validate_format_json_matches_the_text_summary() {
    let text = iomtsim()
        .args(["validate", "examples/ward.yaml"])
        .output()
        .unwrap();
    assert!(text.status.success());
    let line = stdout_of(&text);
    let out = iomtsim()
        .args(["validate", "examples/ward.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "ward");
    let nodes = &v["nodes"];
    let expect = format!(
        "{} sensing, {} network, {} cloud nodes; {} links; {} attack(s), {} defense(s)",
        nodes["sensing"], nodes["network"], nodes["cloud"], v["links"], v["attacks"], v["defenses"]
    );
    assert!(line.contains(&expect), "{line}\nvs {expect}");
    assert_eq!(v["sweep"]["points"].as_u64(), Some(15), "{v}");
    assert!(v["warnings"].as_array().is_some());
    assert!(
        v["busiest"]["rho"]
            .as_f64()
            .is_some_and(|r| r > 0.0 && r < 1.0)
    );
    // A wrong scenario is still exit 2 with the located message on standard error.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "name: x\nduration: soon\n").unwrap();
    let out = iomtsim()
        .args(["validate", bad.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        stderr_of(&out).contains("bad.yaml:2:"),
        "{}",
        stderr_of(&out)
    );
}

/// Every catalogue as JSON has as many entries as its text has, each with a source.
#[test]
fn catalog_format_json_lists_every_entry_with_its_source() {
    let get = |what: &str| -> serde_json::Value {
        let out = iomtsim()
            .args(["catalog", what, "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{what}: {}", stderr_of(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let attacks = get("attacks");
    let names: Vec<&str> = attacks
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), attacks::catalogue::ATTACKS.len());
    assert!(names.contains(&"eavesdrop") && names.contains(&"jamming"));
    for a in attacks.as_array().unwrap() {
        assert!(!a["layers"].as_array().unwrap().is_empty(), "{a}");
        for p in a["params"].as_array().unwrap() {
            assert!(!p["source"].as_str().unwrap().is_empty(), "{p}");
        }
    }
    assert_eq!(
        get("defenses").as_array().unwrap().len(),
        attacks::catalogue::DEFENSES.len()
    );
    assert_eq!(
        get("rules").as_array().unwrap().len(),
        attacks::rules::RULES.len()
    );
    for what in ["devices", "links", "ciphers"] {
        let v = get(what);
        let entries = v.as_array().unwrap();
        assert!(!entries.is_empty(), "{what}");
        for e in entries {
            assert!(!e["source"].as_str().unwrap().is_empty(), "{what}: {e}");
        }
    }
    let devices = get("devices");
    let patch = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "ecg_patch")
        .expect("ecg_patch in the device catalogue");
    assert!(patch["battery_j"].as_f64().is_some_and(|j| j > 0.0));
    let radios = get("radios");
    assert!(!radios["technologies"].as_array().unwrap().is_empty());
    assert!(!radios["path_loss_models"].as_array().unwrap().is_empty());
    // `--markdown` and `--format` do not go together.
    let both = iomtsim()
        .args(["catalog", "rules", "--markdown", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn completions_and_the_manual_page_name_every_command() {
    let commands = [
        "run", "validate", "plot", "sweep", "merge", "slurm", "schema", "catalog",
    ];
    for shell in ["bash", "zsh", "fish"] {
        let out = iomtsim().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = stdout_of(&out);
        for c in commands {
            assert!(text.contains(c), "{shell} completion lacks {c}");
        }
    }
    let man = iomtsim().arg("man").output().unwrap();
    assert!(man.status.success());
    let roff = stdout_of(&man);
    assert!(
        roff.contains(".TH iomtsim 1"),
        "{}",
        &roff[..200.min(roff.len())]
    );
    for c in commands {
        assert!(
            roff.contains(&format!("iomtsim\\-{c}")) || roff.contains(c),
            "man lacks {c}"
        );
    }
    let bad = iomtsim().args(["completions", "cmd.exe"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// CITATION.cff names the version and licence the program reports, so a paper citing it cites
/// the build that made its results.
#[test]
fn citation_file_matches_the_program_version_and_licence() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/CITATION.cff")).unwrap();
    let cff: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(cff["cff-version"].as_str(), Some("1.2.0"));
    assert_eq!(cff["version"].as_str(), Some(env!("CARGO_PKG_VERSION")));
    let manifest =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).unwrap();
    let licence = cff["license"].as_str().unwrap();
    assert!(
        manifest.contains(&format!("license = \"{licence}\"")),
        "{licence}"
    );
    let out = iomtsim().arg("--version").output().unwrap();
    assert!(stdout_of(&out).contains(env!("CARGO_PKG_VERSION")));
}
