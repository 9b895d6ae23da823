//! A comparison's `report.html`: the question of the baseline's scenario, then per compared
//! folder what differs in its scenario, its forest plot and the table of differences (each
//! metric's baseline, the other folder, the difference with its 95 % interval, relative
//! difference and method), and the provenance of every folder.

use super::charts::figure;
use super::page::{Cell, Page, table};
use crate::chart::{Format, SIZES, render, sig};
use crate::compare::{Comparison, Folder, differing_fields, method_sentence, signed};
use crate::tables::{metric_label, round_pair};

fn mean_cell(s: Option<&crate::stats::Summary>) -> Cell {
    match s {
        None => Cell::num("—", None),
        Some(s) => match s.ci95_half_width {
            Some(h) => {
                let (m, h) = round_pair(s.mean, h);
                Cell::num(format!("{m} ± {h}"), Some(s.mean))
            }
            None => Cell::num(sig(s.mean, 6), Some(s.mean)),
        },
    }
}

/// The comparison's page; with `charts`, each comparison's forest plot inline.
pub fn compare_page(
    baseline: &Folder,
    comparisons: &[Comparison],
    charts: bool,
    command_line: &str,
) -> Result<String, String> {
    let dir = |f: &Folder| f.dir.display().to_string();
    let mut page = Page::new(&format!(
        "{} comparison — iomtsim results",
        baseline.scenario
    ));
    let facts = format!(
        "{} folder(s) compared with {}; {} s simulated ({} s warm-up). Mean ± half-width of the 95 % interval. {}",
        comparisons.len(),
        dir(baseline),
        sig(baseline.duration_s, 6),
        sig(baseline.warmup_s, 6),
        method_sentence(comparisons)
    );
    for (k, c) in comparisons.iter().enumerate() {
        let title = format!("{} − {}", dir(&c.other), dir(baseline));
        page.section(&format!("comparison-{}", k + 1), &title);
        let fields = differing_fields(&baseline.resolved, &c.other.resolved, 12);
        if fields.is_empty() {
            page.para("The two scenarios as run are identical.");
        } else {
            page.para(&format!(
                "Scenario fields that differ: {}.",
                fields.join(", ")
            ));
        }
        if charts {
            let chart = crate::chart::difference::DifferenceChart::new(&c.differences);
            let svg = render(&chart, SIZES[0], Format::Svg)?;
            page.raw(&figure(
                &format!("compare_{}", k + 1),
                &svg,
                &format!("Forest plot of the differences, {title}"),
                &format!(
                    "Difference {title} of each headline metric relative to the baseline's mean, with its 95 % interval (plots/compare_{}.svg).",
                    k + 1
                ),
                None,
            ));
        }
        let rows: Vec<Vec<Cell>> = c
            .differences
            .iter()
            .map(|d| {
                let (label, unit) = metric_label(&d.metric);
                let (m, h) = signed(d.mean, d.half_width);
                let diff = h.map_or(m.clone(), |h| format!("{m} ± {h}"));
                let rel = d.relative_percent();
                vec![
                    Cell::text(label.trim()),
                    Cell::code(d.metric.as_str()),
                    Cell::text(unit),
                    mean_cell(d.baseline.as_ref()),
                    mean_cell(d.other.as_ref()),
                    Cell::num(diff, Some(d.mean)),
                    Cell::num(
                        rel.map_or("—".into(), |(r, h)| match h {
                            Some(h) => format!("{r:+.2} ± {h:.2} %"),
                            None => format!("{r:+.2} %"),
                        }),
                        rel.map(|(r, _)| r),
                    ),
                    Cell::text(d.method.name()),
                    Cell::num(d.n.to_string(), None),
                ]
            })
            .collect();
        page.raw(&table(
            &format!("Differences, {title}"),
            &[
                "metric",
                "name",
                "unit",
                "baseline",
                "this folder",
                "difference",
                "relative",
                "method",
                "n",
            ],
            &rows,
            true,
        ));
    }
    page.section("provenance", "Provenance");
    let mut list = vec![
        (
            "program",
            format!("iomtsim {}", env!("CARGO_PKG_VERSION")),
            false,
        ),
        ("command", command_line.to_string(), true),
    ];
    let folders: Vec<&Folder> = std::iter::once(baseline)
        .chain(comparisons.iter().map(|c| &c.other))
        .collect();
    let described: Vec<(String, String)> = folders
        .iter()
        .map(|f| {
            (
                format!("{} (seeds {})", dir(f), super::provenance::seeds(&f.seeds)),
                f.command_line.clone(),
            )
        })
        .collect();
    for (term, cmd) in &described {
        list.push((term.as_str(), cmd.clone(), true));
    }
    page.raw(&super::provenance::list(&list));
    page.note("compare-manifest.json holds the folders' scenario hashes and the SHA-256 of every file; compare.csv every difference with its degrees of freedom.");
    let question = baseline.resolved["description"].as_str();
    Ok(page.finish(&super::header(
        &format!("{} — comparison", baseline.scenario),
        question,
        &facts,
    )))
}
