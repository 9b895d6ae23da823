//! A sweep's `report.html`: the question, the plan (parameters, variants, replications), every
//! chart of every charted metric with a select box that shows one metric's charts at a time
//! (without JavaScript every chart is shown), each metric's table of points with the paired
//! difference against the baseline variant when the sweep has one, and the provenance from
//! `sweep-manifest.json`.

use super::charts::{figure, quantity};
use super::page::{Cell, Page, esc, slug, table};
use crate::chart::sweep::metric_title;
use crate::chart::{Format, SIZES, sig};
use crate::sweep::{Layout, Row, SweepChart, point_label, sweep_charts};
use crate::tables::round_pair;
use serde_json::Value;
use std::fmt::Write;

fn cell(s: Option<&crate::stats::Summary>) -> Cell {
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

/// The caption of a sweep chart, from its file stem and the metric's declaration.
fn caption(stem: &str, metric: &str, layout: &Layout) -> String {
    let q = quantity(metric.rsplit('/').next().unwrap_or(metric));
    let group = metric
        .split_once('/')
        .map_or(String::new(), |(g, _)| format!(" of node group {g}"));
    let x = layout
        .parameters
        .first()
        .map_or("each variant".to_string(), |p| format!("`{p}`"));
    let baseline = layout
        .variants
        .get(layout.baseline)
        .map_or("the baseline", String::as_str);
    let reps = layout.replications;
    if stem.starts_with("sweep_diff_") {
        format!(
            "Paired difference in {q}{group} against variant {baseline} at the same parameter values, with its 95 % interval over {reps} replication(s) sharing their seeds, against {x}."
        )
    } else if stem.starts_with("sweep_heatmap_") {
        format!(
            "{q}{group}, mean over {reps} replication(s), over the first two parameters{}.",
            stem.rsplit_once('_')
                .filter(|_| !layout.variants.is_empty())
                .map_or(String::new(), |(_, v)| format!(" (variant {v})"))
        )
    } else {
        format!("{q}{group}: mean and 95 % interval over {reps} replication(s) against {x}.")
    }
}

/// The sweep's page. `manifest` is `sweep-manifest.json`; `metrics` the charted metrics,
/// `rows` their rows of `sweep.csv`. `charts`: whether to draw charts (a sweep always does).
pub fn sweep_page(
    manifest: &Value,
    layout: &Layout,
    metrics: &[String],
    rows: &[Row],
    charts: bool,
) -> Result<String, String> {
    let scenario = manifest["scenario"]["name"].as_str().unwrap_or("scenario");
    let version = manifest["program"]["version"].as_str().unwrap_or("");
    let mut page = Page::new(&format!("{scenario} sweep — iomtsim results"));
    let mut plan = format!(
        "{} point(s) × {} replication(s)",
        layout.points.len(),
        layout.replications
    );
    if !layout.parameters.is_empty() {
        let _ = write!(
            plan,
            "; parameters {} ({})",
            layout.parameters.join(", "),
            if layout.zip { "zipped" } else { "crossed" }
        );
    }
    if !layout.variants.is_empty() {
        let _ = write!(
            plan,
            "; variants {} (baseline {})",
            layout.variants.join(", "),
            layout.variants[layout.baseline]
        );
    }
    let _ = write!(plan, "; iomtsim {version}.");

    if charts {
        page.section("charts", "Charts");
        let mut figures = String::new();
        let mut options = String::new();
        for m in metrics {
            let drawn: Vec<(String, SweepChart)> =
                sweep_charts(layout, std::slice::from_ref(m), rows)
                    .into_iter()
                    .filter(|(s, _)| s != "sweep_tradeoff")
                    .collect();
            if drawn.is_empty() {
                continue;
            }
            let _ = writeln!(
                options,
                "<option value=\"{}\">{}</option>",
                esc(m),
                esc(&metric_title(m))
            );
            for (stem, chart) in drawn {
                let svg = chart.render(SIZES[0], Format::Svg)?;
                let alt = format!("{} — {}", metric_title(m), stem.replace('_', " "));
                figures.push_str(&figure(
                    &stem,
                    &svg,
                    &alt,
                    &caption(&stem, m, layout),
                    Some(m),
                ));
            }
        }
        if let Some((stem, chart)) = sweep_charts(layout, metrics, rows)
            .into_iter()
            .find(|(s, _)| s == "sweep_tradeoff")
        {
            let svg = chart.render(SIZES[0], Format::Svg)?;
            options.push_str(
                "<option value=\"tradeoff\">Trade-off: latency against records exposed</option>\n",
            );
            figures.push_str(&figure(
                &stem,
                &svg,
                "Trade-off between latency and records exposed",
                "Each point's latency against its records exposed (means), with the Pareto front: the points no other beats on both.",
                Some("tradeoff"),
            ));
        }
        let _ = writeln!(
            page_raw(&mut page),
            "<p class=\"js-only\" hidden=\"hidden\"><label for=\"metric-select\">Metric: </label><select id=\"metric-select\" data-shows=\"sweep-charts\">\n{options}</select></p>\n<div id=\"sweep-charts\">\n{figures}</div>"
        );
        page.note(
            "Every chart is also in plots/, one-column and full-width, in the formats drawn.",
        );
    }

    page.section("tables", "Tables");
    let diff = layout.variants.len() > 1;
    if diff {
        page.para(&format!(
            "Δ is the paired difference against variant {} at the same parameter values (replication r of both shares its seed), with its 95 % Student-t interval.",
            layout.variants[layout.baseline]
        ));
    }
    for m in metrics {
        let of: Vec<&Row> = rows.iter().filter(|r| r.key() == *m).collect();
        if of.is_empty() {
            continue;
        }
        let body: Vec<Vec<Cell>> = of
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::text(point_label(layout, r.point)),
                    Cell::num(r.summary.as_ref().map_or(0, |s| s.n).to_string(), None),
                    cell(r.summary.as_ref()),
                ];
                if diff {
                    row.push(cell(r.diff_vs_baseline.as_ref()));
                }
                row
            })
            .collect();
        let mut header = vec!["point", "n", "mean ± 95 % CI"];
        if diff {
            header.push("Δ vs baseline ± 95 % CI");
        }
        let _ = writeln!(
            page_raw(&mut page),
            "<h3 id=\"table-{}\">{}</h3>",
            slug(m),
            esc(&metric_title(m))
        );
        page.raw(&table(&metric_title(m), &header, &body, true));
    }
    page.note("sweep.csv and sweep.json hold every metric of every point; summary.md and summary.tex these tables.");

    // The sweep manifest lists the attacks and defenses of all its points (variants may differ).
    if let Some(t) = super::rules::rules(manifest) {
        page.section("rules", "Attack × defense rules");
        page.raw(&t);
    }

    page.section("provenance", "Provenance");
    let base = manifest["base_seed"].as_u64().unwrap_or(0);
    let seeds: Vec<u64> = (0..layout.replications)
        .map(|r| sim_core::rng::replication_seed(base, r))
        .collect();
    let overrides: Vec<String> = manifest["overrides"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o.as_str().map(|s| format!("--set {s}")))
        .collect();
    page.raw(&super::provenance::list(&[
        ("program", format!("iomtsim {version}"), false),
        ("scenario", scenario.to_string(), true),
        (
            "SHA-256 of the scenario file and its overrides",
            manifest["scenario"]["sha256_with_overrides"]
                .as_str()
                .unwrap_or("")
                .into(),
            true,
        ),
        (
            "overrides",
            if overrides.is_empty() {
                "none".into()
            } else {
                overrides.join(" ")
            },
            true,
        ),
        ("base seed", base.to_string(), false),
        (
            "replication seeds (every point)",
            super::provenance::seeds(&seeds),
            false,
        ),
    ]));
    page.note("sweep-manifest.json holds the plan; jobs/ one file per point and replication, each with its seed.");
    let question = manifest["scenario"]["description"].as_str();
    Ok(page.finish(&super::header(
        &format!("{scenario} — sweep"),
        question,
        &plan,
    )))
}

/// Markup appended to the page's body.
fn page_raw(page: &mut Page) -> Raw<'_> {
    Raw(page)
}

/// A writer into a page's body.
struct Raw<'a>(&'a mut Page);

impl std::fmt::Write for Raw<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.raw(s);
        Ok(())
    }
}
