//! `iomtsim plot`: the charts of a results folder redrawn without simulating, the charts a run
//! leaves out for want of data, and what is not a results folder refused.

use crate::support;
use support::{iomtsim, json, run_short_ward, stderr_of, tree};

/// Every chart file: each chart in both sizes and both formats.
pub(crate) fn chart_files() -> Vec<String> {
    let mut out = Vec::new();
    for c in reports::plot::CHARTS {
        for size in ["", "_wide"] {
            for ext in ["svg", "png"] {
                out.push(format!("plots/{c}{size}.{ext}"));
            }
        }
    }
    out
}

/// The chart files of a results folder, sorted (as [`tree`] lists them).
fn plot_files(dir: &std::path::Path) -> Vec<String> {
    tree(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("plots"))
        .collect()
}

#[test]
fn plot_redraws_the_charts_byte_for_byte_without_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, out) = run_short_ward(dir.path(), "5min", &["--replications", "2"]);
    let charts: Vec<(String, Vec<u8>)> = tree(&out)
        .into_iter()
        .filter(|(p, _)| p.starts_with("plots"))
        .collect();
    assert_eq!(charts.len(), chart_files().len());
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    // The scenario is gone too: plot reads the folder and nothing else.
    std::fs::remove_file(&scenario).unwrap();
    iomtsim()
        .args(["plot", out.to_str().unwrap(), "--quiet"])
        .assert()
        .success();
    let again: Vec<(String, Vec<u8>)> = tree(&out)
        .into_iter()
        .filter(|(p, _)| p.starts_with("plots"))
        .collect();
    assert_eq!(charts.len(), again.len());
    for ((a, x), (b, y)) in charts.iter().zip(&again) {
        assert_eq!(a, b);
        assert!(x == y, "{a} differs after plot");
    }
    // One format only.
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    iomtsim()
        .args(["plot", out.to_str().unwrap(), "--format", "svg", "--quiet"])
        .assert()
        .success();
    let svgs: Vec<String> = tree(&out)
        .into_iter()
        .filter(|(p, _)| p.starts_with("plots"))
        .map(|(p, _)| p)
        .collect();
    assert_eq!(svgs.len(), chart_files().len() / 2);
    assert!(svgs.iter().all(|p| p.ends_with(".svg")));
}

#[test]
fn charts_with_nothing_to_show_have_no_file_and_the_folder_says_why() {
    // The peer benchmark's tandem: two mains-powered stations that spend no energy, no attack.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("res");
    iomtsim()
        .args(["run", "benches/peers/tandem.yaml", "--out"])
        .arg(&out)
        .args(["--set", "duration=2s", "--set", "warmup=0.2s", "--quiet"])
        .assert()
        .success();
    let absent = ["energy_breakdown", "battery", "breach_timeline"];
    let plots = plot_files(&out);
    let mut expected: Vec<String> = chart_files()
        .into_iter()
        .filter(|f| !absent.iter().any(|a| f.starts_with(&format!("plots/{a}"))))
        .collect();
    expected.sort();
    assert_eq!(plots, expected);
    let manifest = json(&out.join("manifest.json"));
    let listed: Vec<&str> = manifest["charts_absent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["chart"].as_str().unwrap())
        .collect();
    assert_eq!(listed, absent);
    assert_eq!(
        manifest["charts_absent"][1]["reason"],
        "No battery-powered device in this scenario."
    );
    let files = manifest["files"].as_array().unwrap();
    assert!(
        !files
            .iter()
            .any(|f| f["path"].as_str().unwrap().contains("battery"))
    );
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        page.contains("<li><code>battery</code>: No battery-powered device in this scenario.</li>"),
        "{page}"
    );
    assert!(!page.contains("id=\"fig-battery\""));
    // `plot` draws the same charts, and no more.
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    iomtsim()
        .args(["plot", "--quiet"])
        .arg(&out)
        .assert()
        .success();
    let again = plot_files(&out);
    assert_eq!(again, expected);
    assert_eq!(
        std::fs::read_to_string(out.join("report.html")).unwrap(),
        page
    );
}

#[test]
fn plot_refuses_what_is_not_a_results_folder_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let damaged = dir.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    std::fs::write(damaged.join("summary.json"), "{\"scenario\": 3}").unwrap();
    for (args, needle) in [
        (
            vec!["plot".to_string(), empty.display().to_string()],
            "not a results folder",
        ),
        (
            vec![
                "plot".into(),
                dir.path().join("absent").display().to_string(),
            ],
            "not a results folder",
        ),
        (
            vec!["plot".into(), damaged.display().to_string()],
            "cannot read",
        ),
        (
            vec![
                "plot".into(),
                empty.display().to_string(),
                "--format".into(),
                "gif".into(),
            ],
            "`gif` is not a chart format",
        ),
    ] {
        let o = iomtsim().args(&args).output().unwrap();
        let err = stderr_of(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"));
    }
}
