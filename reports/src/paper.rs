//! The figures and tables of `iomtsim paper`, drawn from a sweep's rows with the sweep's own
//! charts ([`crate::sweep::sweep_charts`]) and the comparison's forest plot
//! ([`crate::chart::difference::DifferenceChart`]), at the size the paper asks for; and the
//! LaTeX around them: a table per `tables:` entry and `figures.tex`, one `figure` environment
//! per figure.
//!
//! Everything here is a pure function of its inputs, so a paper rebuilt from the same runs is
//! byte-identical.

use crate::chart::difference::DifferenceChart;
use crate::chart::{Format, Size, render, svg_to_pdf};
use crate::compare::{Difference, Method};
use crate::sweep::{Layout, Row, stem, sweep_charts};
use crate::tables::{s_cell, tex_escape};
use std::fmt::Write;

/// The chart of a paper's figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaperChart {
    /// The metric against the first swept parameter, a line and 95 % band per variant
    /// ([`crate::chart::sweep::SweepLines`]).
    Lines,
    /// The paired difference from the baseline variant: against the first parameter
    /// ([`crate::chart::sweep::SweepDiff`]), or as bars without a parameter.
    Difference,
    /// The mean and 95 % interval per variant, as bars
    /// ([`crate::chart::compare::VariantBars`]).
    Bars,
    /// The second variant against the baseline, each metric's paired difference relative to
    /// the baseline's mean (percent), with its 95 % interval.
    Forest,
}

/// Why a figure could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    /// The rows hold nothing for the metric (or the sweep's shape does not fit the chart).
    #[error("no {chart} chart of `{metric}` can be drawn from this sweep: {why}")]
    Nothing {
        /// The chart asked for.
        chart: &'static str,
        /// The metric.
        metric: String,
        /// Why.
        why: String,
    },
    /// Rendering failed.
    #[error("drawing failed: {0}")]
    Render(String),
}

/// A figure drawn: its SVG and its PDF (the SVG converted, same size).
pub struct Drawn {
    /// The SVG file's bytes.
    pub svg: Vec<u8>,
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
}

/// The paired difference of `metric` between the baseline variant's point and `point`, from
/// their rows: replication r of both shares its seed, so the interval is the paired one the
/// sweep table carries (`diff_vs_baseline`).
fn paired(rows: &[Row], layout: &Layout, point: usize, metric: &str) -> Option<Difference> {
    let base = layout.baseline_of(point)?;
    let of = |p: usize| rows.iter().find(|r| r.point == p && r.key() == metric);
    let (b, o) = (of(base)?, of(point)?);
    let d = o.diff_vs_baseline.as_ref()?;
    Some(Difference {
        metric: metric.to_string(),
        baseline: b.summary.clone(),
        other: o.summary.clone(),
        method: Method::Paired,
        n: d.n,
        mean: d.mean,
        half_width: d.ci95_half_width,
        df: (d.n > 1).then_some(d.n as f64 - 1.0),
    })
}

/// Draws a figure of `metrics` from a sweep's `rows` at `width_in` × `height_in` inches.
pub fn draw_figure(
    chart: PaperChart,
    metrics: &[String],
    layout: &Layout,
    rows: &[Row],
    (width_in, height_in): (f64, f64),
) -> Result<Drawn, PaperError> {
    let size = Size {
        width_in,
        height_in,
        suffix: "",
    };
    let nothing = |name: &'static str, metric: &str, why: &str| PaperError::Nothing {
        chart: name,
        metric: metric.to_string(),
        why: why.to_string(),
    };
    let svg = match chart {
        PaperChart::Forest => {
            // The first point of the non-baseline variant (a forest has two variants).
            let point = (0..layout.points.len())
                .find(|&p| layout.baseline_of(p).is_some())
                .ok_or_else(|| {
                    nothing(
                        "forest",
                        &metrics.join(", "),
                        "it has no variant besides the baseline",
                    )
                })?;
            let diffs: Vec<Difference> = metrics
                .iter()
                .filter_map(|m| paired(rows, layout, point, m))
                .collect();
            render(
                &DifferenceChart::with_metrics(&diffs, metrics),
                size,
                Format::Svg,
            )
            .map_err(PaperError::Render)?
        }
        PaperChart::Lines | PaperChart::Bars | PaperChart::Difference => {
            let metric = metrics.first().map(String::as_str).unwrap_or_default();
            let (name, want) = match chart {
                PaperChart::Difference => ("difference", format!("sweep_diff_{}", stem(metric))),
                PaperChart::Lines => ("lines", format!("sweep_{}", stem(metric))),
                _ => ("bars", format!("sweep_{}", stem(metric))),
            };
            let charts = sweep_charts(layout, &[metric.to_string()], rows);
            let (_, c) = charts.iter().find(|(n, _)| *n == want).ok_or_else(|| {
                nothing(
                    name,
                    metric,
                    "the runs report no value of it (or no variant to compare)",
                )
            })?;
            c.render(size, Format::Svg).map_err(PaperError::Render)?
        }
    };
    let pdf = svg_to_pdf(&svg).map_err(PaperError::Render)?;
    Ok(Drawn { svg, pdf })
}

/// A point's column head: the sweep tables' label of the point (its variant, then each
/// parameter's short name and value), or `mean` for a single run.
fn column_head(layout: &Layout, point: usize) -> String {
    if layout.points[point].0.is_none() && layout.parameters.is_empty() {
        "mean".into()
    } else {
        crate::sweep::point_label(layout, point)
    }
}

/// A paper's table, for `\input` with `booktabs` and `siunitx` loaded: one row per metric
/// (its label and unit from [`crate::chart::sweep::metric_title`]), one `S` column per point
/// of the sweep (per variant in a comparison), each cell the mean ± half-width of its 95 %
/// Student-t interval over the replications; the caption as given, the label `tab:<label>`.
pub fn table_tex(
    label: &str,
    caption: &str,
    metrics: &[String],
    layout: &Layout,
    rows: &[Row],
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "% Written by `iomtsim paper`: mean +- 95 % CI half-width over {} replication(s) per column.\n% Needs \\usepackage{{booktabs,siunitx}}.",
        layout.replications
    );
    let n = layout.points.len();
    let _ = writeln!(
        s,
        "\\begin{{table}}\n\\centering\\small\n{}\n\\caption{{{caption}}}\n\\label{{tab:{label}}}\n\\begin{{tabular}}{{l{}}}\n\\toprule",
        crate::tables::SISETUP,
        "S".repeat(n)
    );
    let mut head = vec!["{Metric}".to_string()];
    head.extend((0..n).map(|p| format!("{{{}}}", tex_escape(&column_head(layout, p)))));
    let _ = writeln!(s, "{} \\\\\n\\midrule", head.join(" & "));
    for m in metrics {
        let mut line = vec![tex_escape(&crate::chart::sweep::metric_title(m))];
        for p in 0..n {
            let cell = rows
                .iter()
                .find(|r| r.point == p && r.key() == *m)
                .and_then(|r| r.summary.as_ref());
            line.push(s_cell(cell));
        }
        let _ = writeln!(s, "{} \\\\", line.join(" & "));
    }
    let _ = writeln!(s, "\\bottomrule\n\\end{{tabular}}\n\\end{{table}}");
    s
}

/// How a figure sits on the page in `figures.tex`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Placement {
    /// A `figure` at `\columnwidth`.
    Column,
    /// A `figure*` at `\textwidth`.
    FullWidth,
    /// A `figure` at the drawing's own size.
    Natural,
}

/// One figure's entry in `figures.tex`.
pub struct FigureEntry<'a> {
    /// The label: the file stem under `figures/`, and `fig:<label>` in LaTeX.
    pub label: &'a str,
    /// The caption, LaTeX text as the paper gives it.
    pub caption: &'a str,
    /// Where it goes.
    pub placement: Placement,
}

/// `figures.tex`: one figure environment per figure, each with `\includegraphics` of
/// `figures/<label>` (the PDF, by LaTeX's own choice of extension), its caption and
/// `\label{fig:<label>}`; `\input` it after `\usepackage{graphicx}`, from the paper's folder.
pub fn figures_tex(figures: &[FigureEntry]) -> String {
    let mut s = String::from(
        "% Written by `iomtsim paper`; \\input{figures.tex} with \\usepackage{graphicx} loaded.\n",
    );
    for f in figures {
        let (env, width) = match f.placement {
            Placement::Column => ("figure", "[width=\\columnwidth]"),
            Placement::FullWidth => ("figure*", "[width=\\textwidth]"),
            Placement::Natural => ("figure", ""),
        };
        let _ = writeln!(
            s,
            "\n\\begin{{{env}}}[t]\n\\centering\n\\includegraphics{width}{{figures/{}}}\n\\caption{{{}}}\n\\label{{fig:{}}}\n\\end{{{env}}}",
            f.label, f.caption, f.label
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::summarise;

    fn layout(variants: &[&str]) -> Layout {
        Layout {
            parameters: vec![],
            variants: variants.iter().map(|v| v.to_string()).collect(),
            baseline: 0,
            points: (0..variants.len()).map(|v| (Some(v), vec![])).collect(),
            replications: 3,
            metrics: vec![],
            zip: false,
        }
    }

    fn row(point: usize, variant: &str, metric: &str, xs: &[f64], diff: Option<&[f64]>) -> Row {
        let s = |v: &[f64]| summarise(&v.iter().map(|x| Some(*x)).collect::<Vec<_>>());
        Row {
            point,
            variant: Some(variant.into()),
            values: vec![],
            metric: metric.into(),
            group: String::new(),
            summary: s(xs),
            diff_vs_baseline: diff.and_then(s),
        }
    }

    #[test]
    fn the_forest_takes_the_paired_difference_of_the_sweep_table() {
        let l = layout(&["plain", "aead"]);
        let rows = vec![
            row(0, "plain", "latency_ms", &[10.0, 11.0, 12.0], None),
            row(
                1,
                "aead",
                "latency_ms",
                &[11.0, 12.5, 13.0],
                Some(&[1.0, 1.5, 1.0]),
            ),
        ];
        let d = paired(&rows, &l, 1, "latency_ms").unwrap();
        assert_eq!(d.n, 3);
        assert!((d.mean - 7.0 / 6.0).abs() < 1e-12);
        // Relative to the baseline's mean of 11: 10.6 %.
        let (r, _) = d.relative_percent().unwrap();
        assert!((r - 100.0 * (7.0 / 6.0) / 11.0).abs() < 1e-9);
        assert!(paired(&rows, &l, 0, "latency_ms").is_none());
        let drawn = draw_figure(
            PaperChart::Forest,
            &["latency_ms".to_string()],
            &l,
            &rows,
            (3.5, 2.6),
        )
        .unwrap();
        let svg = String::from_utf8(drawn.svg).unwrap();
        assert!(
            svg.starts_with("<svg width=\"3.5in\" height=\"2.6in\""),
            "{}",
            &svg[..80]
        );
        assert!(drawn.pdf.starts_with(b"%PDF-"));
    }

    #[test]
    fn a_chart_the_rows_cannot_give_is_an_error_not_an_empty_file() {
        let l = layout(&["only"]);
        let rows = vec![row(0, "only", "latency_ms", &[1.0, 2.0, 3.0], None)];
        let e = draw_figure(
            PaperChart::Difference,
            &["latency_ms".to_string()],
            &l,
            &rows,
            (3.5, 2.6),
        )
        .err()
        .unwrap();
        assert!(e.to_string().contains("difference"), "{e}");
    }

    #[test]
    fn tables_have_a_column_per_variant_and_the_label() {
        let l = layout(&["plain", "aead"]);
        let rows = vec![
            row(0, "plain", "latency_ms", &[10.0, 11.0, 12.0], None),
            row(
                1,
                "aead",
                "latency_ms",
                &[11.0, 12.0, 13.0],
                Some(&[1.0, 1.0, 1.0]),
            ),
        ];
        let t = table_tex("costs", "Costs.", &["latency_ms".into()], &l, &rows);
        assert!(t.contains("\\begin{tabular}{lSS}"), "{t}");
        assert!(t.contains("{Metric} & {plain} & {aead}"), "{t}");
        // 11 ± t(0.975, 2)·1/√3 = 11 ± 2.5: rounded to two significant digits of the interval.
        assert!(t.contains("11.0 +- 2.5 & 12.0 +- 2.5"), "{t}");
        assert!(t.contains("\\label{tab:costs}"), "{t}");
    }

    #[test]
    fn figures_tex_places_each_figure_by_its_size() {
        let t = figures_tex(&[
            FigureEntry {
                label: "a",
                caption: "A.",
                placement: Placement::Column,
            },
            FigureEntry {
                label: "b",
                caption: "B.",
                placement: Placement::FullWidth,
            },
        ]);
        assert!(t.contains("\\begin{figure}[t]\n\\centering\n\\includegraphics[width=\\columnwidth]{figures/a}\n\\caption{A.}\n\\label{fig:a}\n\\end{figure}"), "{t}");
        assert!(t.contains("\\begin{figure*}[t]"), "{t}");
        assert!(t.contains("[width=\\textwidth]{figures/b}"), "{t}");
    }
}
