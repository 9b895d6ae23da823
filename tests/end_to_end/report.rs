//! End-to-end tests of `report.html`: every run, sweep and comparison writes one; it is
//! well-formed markup, self-contained (nothing to fetch), its charts are inline SVG with an
//! accessible name and a caption, and `plot` rewrites it to the very bytes the run wrote.

use crate::support;

use std::path::Path;
use support::{iomtsim, short_ward};

/// The page of a results folder as text, and parsed (it must be well-formed markup).
fn page(dir: &Path) -> String {
    let path = dir.join("report.html");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        text.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{}",
        &text[..80]
    );
    text
}

/// Parses the page and checks what every page must be: nothing fetched from anywhere, every
/// chart an inline SVG with `role="img"`, a `<title>` and a `<figcaption>`. Returns the
/// number of charts.
fn check(text: &str) -> usize {
    let doc = roxmltree::Document::parse(text.trim_start_matches("<!DOCTYPE html>"))
        .unwrap_or_else(|e| panic!("report.html is not well-formed: {e}"));
    let mut charts = 0;
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(
            !matches!(
                tag,
                "img" | "link" | "iframe" | "object" | "embed" | "image" | "use"
            ),
            "<{tag}> would fetch or embed a resource"
        );
        for a in ["src", "href"] {
            if let Some(v) = n.attribute(a) {
                assert!(v.starts_with('#'), "<{tag} {a}=\"{v}\"> leaves the page");
            }
        }
        if tag == "svg" {
            charts += 1;
            assert_eq!(n.attribute("role"), Some("img"));
            let title = n
                .children()
                .find(|c| c.tag_name().name() == "title")
                .expect("every chart has a <title>");
            assert!(!title.text().unwrap_or("").trim().is_empty());
            assert_eq!(n.attribute("aria-labelledby"), title.attribute("id"));
            let figure = n.parent().unwrap();
            assert_eq!(figure.tag_name().name(), "figure");
            let caption = figure
                .children()
                .find(|c| c.tag_name().name() == "figcaption")
                .expect("every chart has a caption");
            assert!(caption.text().unwrap_or("").len() > 40, "{caption:?}");
        }
    }
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    charts
}

#[test]
fn a_run_writes_a_report_and_plot_rewrites_it_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "5min");
    let out = dir.path().join("res");
    let run = |extra: &[&str]| {
        support::run_quietly(
            &scenario,
            &out,
            &[&["--replications", "2", "--force"], extra].concat(),
        );
    };
    run(&[]);
    let text = page(&out);
    assert_eq!(check(&text), reports::plot::CHARTS.len());
    // The question, the headline with its intervals, the tables and the provenance.
    assert!(text.contains("<p class=\"question\">12-bed ward, ECG + SpO2 on BLE"));
    for id in [
        "headline",
        "charts",
        "groups",
        "patients",
        "timeline",
        "rules",
        "provenance",
    ] {
        assert!(text.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    let summary = support::json(&out.join("summary.json"));
    let sha = summary["scenario"]["sha256"].as_str().unwrap();
    assert!(text.contains(sha));
    let manifest = support::json(&out.join("manifest.json"));
    let command = manifest["command_line"]
        .as_str()
        .unwrap()
        .replace('\'', "&#39;");
    assert!(
        text.contains(&command.replace("<", "&lt;").replace(">", "&gt;")),
        "{command}"
    );
    // The rule the ward's Wi-Fi encryption applies to its eavesdropper, and none it lacks.
    assert!(
        text.contains("ward-sniffer (eavesdrop)</td><td>wpa2 (link_encryption)</td><td>prevents")
    );
    assert!(!text.contains("(rate_limit)"));
    // The manifest lists the page with the folder's other files.
    let listed = manifest["files"].as_array().unwrap();
    assert!(listed.iter().any(|f| f["path"] == "report.html"));
    // No machine-specific text: the results folder's path appears nowhere.
    assert!(!text.contains(out.to_str().unwrap()));

    // `plot` rewrites the page from the files: the same bytes.
    iomtsim()
        .arg("plot")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(page(&out), text, "plot rewrote report.html differently");

    // Without charts the page still holds every table, and says how to add the charts.
    run(&["--charts", "none"]);
    let bare = page(&out);
    assert_eq!(check(&bare), 0);
    assert!(bare.contains("--charts none") && bare.contains("<section id=\"timeline\">"));
    iomtsim()
        .arg("plot")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    assert_eq!(check(&page(&out)), reports::plot::CHARTS.len());
}

#[test]
fn a_sweep_and_a_comparison_write_their_reports() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = short_ward(dir.path(), "3min");
    let sweep = dir.path().join("sweep");
    support::small_ward_sweep(&scenario, &sweep);
    let text = page(&sweep);
    let charts = check(&text);
    let doc = roxmltree::Document::parse(text.trim_start_matches("<!DOCTYPE html>")).unwrap();
    // One option per charted metric (and the trade-off); every chart belongs to one of them.
    let options: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "option")
        .filter_map(|n| n.attribute("value"))
        .collect();
    let figures: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "figure")
        .filter_map(|n| n.attribute("data-metric"))
        .collect();
    assert_eq!(figures.len(), charts);
    assert!(options.len() >= 5, "{options:?}");
    assert!(figures.iter().all(|f| options.contains(f)), "{figures:?}");
    assert!(options.iter().all(|o| figures.contains(o)), "{options:?}");
    // Three variants: the paired differences against the baseline, in charts and tables.
    assert!(
        figures.len() > 2 * (options.len() - 1),
        "line and difference charts per metric"
    );
    assert!(text.contains("Δ vs baseline ± 95 % CI"));
    assert!(text.contains("<p class=\"question\">12-bed ward"));
    // The rules met in any point: the BLE encryption only the two cipher variants have is
    // listed beside the Wi-Fi encryption every point has.
    assert!(text.contains("<section id=\"rules\">"));
    assert!(
        text.contains(
            "ward-sniffer (eavesdrop)</td><td>wpa2, ble-aead (link_encryption)</td><td>prevents"
        ),
        "the sweep's rules table misses a variant's defense"
    );

    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (out, extra) in [(&a, None), (&b, Some("defenses[0].cipher=ascon128"))] {
        let mut cmd = iomtsim();
        cmd.args(["run", scenario.to_str().unwrap(), "--out"])
            .arg(out)
            .args(["--replications", "2", "--quiet", "--charts", "none"]);
        if let Some(set) = extra {
            cmd.args(["--set", set]);
        }
        cmd.assert().success();
    }
    let cmp = dir.path().join("cmp");
    iomtsim()
        .arg("compare")
        .args([&a, &b])
        .arg("--out")
        .arg(&cmp)
        .arg("--quiet")
        .assert()
        .success();
    let text = page(&cmp);
    assert_eq!(check(&text), 1, "one forest plot per compared folder");
    assert!(text.contains("Scenario fields that differ: defenses[0].cipher."));
    assert!(text.contains("<td>paired</td>"));
    let manifest = support::json(&cmp.join("compare-manifest.json"));
    assert!(
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "report.html")
    );
}
