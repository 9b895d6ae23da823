//! Every chart of a run meets the house standards, read back from its SVG: every axis title
//! names its unit, no two pieces of text overlap, and no axis repeats a tick label.

use crate::svg_check;
use assert_cmd::Command;

use reports::chart::{FULL_WIDTH, ONE_COLUMN};
use std::path::Path;
use svg_check::check;

fn run(example: &str, out: &Path, sets: &[&str]) {
    let mut cmd = Command::cargo_bin("iomtsim").unwrap();
    cmd.args([
        "run",
        &format!("examples/{example}.yaml"),
        "--quiet",
        "--replications",
        "2",
        "--out",
    ])
    .arg(out);
    for s in sets {
        cmd.args(["--set", s]);
    }
    cmd.assert().success();
}

#[test]
fn every_chart_of_a_run_names_its_units_and_no_text_collides() {
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut seen = 0;
    // The ward (linear latency axis, attacks, batteries) and the implant (second-long
    // deadlines: logarithmic latency axis), short runs.
    for (example, sets) in [
        ("ward", &["duration=10min"][..]),
        ("implant", &["duration=2h"][..]),
    ] {
        let out = tmp.path().join(example);
        run(example, &out, sets);
        for chart in reports::plot::CHARTS {
            for size in [ONE_COLUMN, FULL_WIDTH] {
                let file = out.join(format!("plots/{chart}{}.svg", size.suffix));
                let svg = std::fs::read_to_string(&file).unwrap();
                problems.extend(check(
                    &format!("{example}/{chart}{}", size.suffix),
                    &svg,
                    size,
                ));
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 2 * reports::plot::CHARTS.len() * 2);
    // `plot --format pdf` adds a vector PDF of every chart, in both sizes.
    let ward = tmp.path().join("ward");
    Command::cargo_bin("iomtsim")
        .unwrap()
        .args(["plot", "--quiet", "--format", "pdf"])
        .arg(&ward)
        .assert()
        .success();
    for chart in reports::plot::CHARTS {
        for suffix in ["", "_wide"] {
            let pdf = std::fs::read(ward.join(format!("plots/{chart}{suffix}.pdf"))).unwrap();
            assert!(pdf.starts_with(b"%PDF-"), "{chart}{suffix}.pdf");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    // The checks above must be able to fail: a title without a unit, two texts on top of each
    // other, an axis with "0" twice.
    let svg = concat!(
        r#"<svg><text x="100" y="100" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="36.29032258064516">latency</text>"#,
        r#"<text x="100" y="100" dy="0.76em" text-anchor="middle" font-family="sans-serif" font-size="32.25806451612903">on top</text>"#,
        r#"<text x="50" y="300" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="32.25806451612903">0</text>"#,
        r#"<text x="50" y="400" dy="0.5ex" text-anchor="end" font-family="sans-serif" font-size="32.25806451612903">0</text></svg>"#,
    );
    let problems = check("fixture", svg, ONE_COLUMN);
    assert!(
        problems.iter().any(|p| p.contains("names no unit")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("overlaps")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("repeats a tick label")),
        "{problems:?}"
    );
}
