//! The charts of a sweep, from its rows: each metric against the first parameter (one series
//! per variant and combination of the other parameters), the paired differences against the
//! baseline, heatmaps over two parameters, the trade-off between two metrics with its Pareto
//! fronts, and the drawing of them all.

use super::*;
use attacks::metrics::RECORDS_EXPOSED;
use sim_core::metrics::engine::LATENCY_MS;

/// The series of a metric against the first parameter: one per variant and combination of
/// the other parameters' values (a product sweep), each point's (x, mean, half-width) or,
/// with `diff`, its paired difference against the baseline. Baseline points have no
/// difference and drop out. `None` when the first parameter's values are not numbers.
fn series_of(
    layout: &Layout,
    rows: &[&Row],
    diff: bool,
) -> Option<Vec<(String, Vec<crate::chart::sweep::LinePoint>)>> {
    layout.parameters.first()?;
    let mut series: Vec<(String, Vec<crate::chart::sweep::LinePoint>)> = Vec::new();
    for r in rows {
        let x = crate::chart::sweep::leading_number(r.values.first()?)?;
        let s = if diff {
            r.diff_vs_baseline.as_ref()
        } else {
            r.summary.as_ref()
        };
        let Some(s) = s else { continue };
        let mut parts: Vec<String> = r.variant.iter().cloned().collect();
        if !layout.zip {
            for (p, v) in layout.parameters.iter().zip(&r.values).skip(1) {
                let short = p.rsplit('.').next().unwrap_or(p);
                parts.push(format!("{short}={v}"));
            }
        }
        let label = parts.join(", ");
        let pt = (x, s.mean, s.ci95_half_width);
        match series.iter_mut().find(|(l, _)| *l == label) {
            Some((_, pts)) => pts.push(pt),
            None => series.push((label, vec![pt])),
        }
    }
    for (_, pts) in &mut series {
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    Some(series)
}

/// Distinct values of parameter `k`, in order of first appearance.
fn distinct(layout: &Layout, k: usize) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for (_, values) in &layout.points {
        if !v.contains(&values[k]) {
            v.push(values[k].clone());
        }
    }
    v
}

/// The heatmap of one metric over the first two parameters of a product sweep for one
/// variant (or the only series); further parameters are averaged over. `None` for a zip
/// sweep or fewer than two parameters.
pub fn heatmap(
    layout: &Layout,
    rows: &[&Row],
    variant: Option<usize>,
) -> Option<crate::chart::sweep::SweepHeatmap> {
    if layout.parameters.len() < 2 || layout.zip {
        return None;
    }
    let metric = rows.first()?.key();
    let (xs, ys) = (distinct(layout, 0), distinct(layout, 1));
    let mut sums = vec![vec![(0.0, 0.0f64, 0usize); ys.len()]; xs.len()];
    for r in rows {
        let (v, values) = &layout.points[r.point];
        if *v != variant {
            continue;
        }
        let (Some(i), Some(j)) = (
            xs.iter().position(|x| *x == values[0]),
            ys.iter().position(|y| *y == values[1]),
        ) else {
            continue;
        };
        if let Some(s) = &r.summary {
            sums[i][j].0 += s.mean;
            sums[i][j].1 = sums[i][j].1.max(s.ci95_half_width.unwrap_or(0.0));
            sums[i][j].2 += 1;
        }
    }
    Some(crate::chart::sweep::SweepHeatmap {
        metric,
        x: (
            crate::chart::sweep::parameter_title(&layout.parameters[0], &xs),
            xs,
        ),
        y: (
            crate::chart::sweep::parameter_title(&layout.parameters[1], &ys),
            ys,
        ),
        cells: sums
            .into_iter()
            .map(|col| {
                col.into_iter()
                    .map(|(s, h, n)| (n > 0).then(|| (s / n as f64, Some(h))))
                    .collect()
            })
            .collect(),
    })
}

/// Parameters whose path is under `attacks.` describe the attacker, not a design choice: the
/// trade-off's Pareto front is computed per attacker setting.
pub fn is_attacker_setting(path: &str) -> bool {
    path.starts_with("attacks.") || path.starts_with("attacks[")
}

/// The trade-off of two metrics (both minimised) over every point: design choices (variants,
/// non-attacker parameters) compared under each attacker setting.
pub fn tradeoff(
    layout: &Layout,
    rows: &[&Row],
    x: &str,
    y: &str,
) -> crate::chart::compare::Tradeoff {
    // Indexed once: a sweep of 10⁵ points must not search the rows per point.
    let index: std::collections::HashMap<(usize, String), &Row> =
        rows.iter().map(|r| ((r.point, r.key()), *r)).collect();
    let mean_of = |point: usize, key: &str| {
        index
            .get(&(point, key.to_string()))
            .and_then(|r| r.summary.as_ref())
            .map(|s| (s.mean, s.ci95_half_width))
    };
    let attacker: Vec<usize> = (0..layout.parameters.len())
        .filter(|&k| is_attacker_setting(&layout.parameters[k]))
        .collect();
    let mut settings: Vec<String> = Vec::new();
    let mut points = Vec::new();
    for (p, (variant, values)) in layout.points.iter().enumerate() {
        let (Some((xm, xh)), Some((ym, yh))) = (mean_of(p, x), mean_of(p, y)) else {
            continue;
        };
        let setting: String = attacker
            .iter()
            .map(|&k| {
                let short = layout.parameters[k].rsplit('.').next().unwrap_or_default();
                format!("{short}={}", values[k])
            })
            .collect::<Vec<_>>()
            .join(", ");
        let group = match settings.iter().position(|s| *s == setting) {
            Some(g) => g,
            None => {
                settings.push(setting.clone());
                settings.len() - 1
            }
        };
        let mut parts: Vec<String> = variant
            .map(|v| layout.variants[v].clone())
            .into_iter()
            .collect();
        for (k, v) in values.iter().enumerate() {
            if !attacker.contains(&k) {
                let short = layout.parameters[k].rsplit('.').next().unwrap_or_default();
                parts.push(format!("{short}={v}"));
            }
        }
        points.push(crate::chart::compare::TradeoffPoint {
            label: parts.join(", "),
            x: xm,
            y: ym,
            x_half: xh,
            y_half: yh,
            setting: group,
        });
    }
    crate::chart::compare::Tradeoff {
        name: "sweep_tradeoff",
        x_label: crate::chart::sweep::metric_title(x),
        y_label: crate::chart::sweep::metric_title(y),
        minimise: (true, true),
        settings,
        points,
    }
}

/// One chart of a sweep, ready to render.
pub enum SweepChart {
    /// A metric against the first parameter.
    Lines(crate::chart::sweep::SweepLines),
    /// The paired difference against the baseline.
    Diff(crate::chart::sweep::SweepDiff),
    /// A metric over two parameters.
    Heatmap(crate::chart::sweep::SweepHeatmap),
    /// Variants compared as bars (no parameter).
    Bars(crate::chart::compare::VariantBars),
    /// Two metrics against each other, with the Pareto front.
    Tradeoff(crate::chart::compare::Tradeoff),
}

impl SweepChart {
    /// Renders the chart.
    pub fn render(
        &self,
        size: crate::chart::Size,
        format: crate::chart::Format,
    ) -> Result<Vec<u8>, String> {
        use crate::chart::render;
        match self {
            SweepChart::Lines(c) => render(c, size, format),
            SweepChart::Diff(c) => render(c, size, format),
            SweepChart::Heatmap(c) => render(c, size, format),
            SweepChart::Bars(c) => render(c, size, format),
            SweepChart::Tradeoff(c) => render(c, size, format),
        }
    }
}

/// A metric key as a file stem (`sensors/energy_per_node_j` → `sensors-energy_per_node_j`).
pub fn stem(key: &str) -> String {
    key.replace('/', "-")
}

/// The metrics whose rows the charts and summaries need: the charted ones, and the two the
/// trade-off chart always plots (`latency_ms` unless a latency metric is charted, and
/// `records_exposed`).
pub fn kept_metrics(charted: &[String]) -> Vec<String> {
    let mut keep = charted.to_vec();
    if !keep.iter().any(|m| m.contains("latency")) {
        keep.push(LATENCY_MS.id.into());
    }
    if !keep.iter().any(|m| m == RECORDS_EXPOSED.id) {
        keep.push(RECORDS_EXPOSED.id.into());
    }
    keep
}

/// The metrics a sweep charts: the layout's, or the default list for a folder written before
/// `metrics:` existed.
pub fn charted(layout: &Layout, default: &[&str]) -> Vec<String> {
    if layout.metrics.is_empty() {
        default.iter().map(|m| m.to_string()).collect()
    } else {
        layout.metrics.clone()
    }
}

/// Every chart of a sweep from the rows of its charted metrics, with its file stem, in a
/// fixed order: per metric, the lines (or bars without a parameter), the paired difference
/// when there are variants, heatmaps for product sweeps over two parameters; then the
/// security–latency trade-off.
pub fn sweep_charts(
    layout: &Layout,
    metrics: &[String],
    rows: &[Row],
) -> Vec<(String, SweepChart)> {
    use crate::chart::compare::{VariantBar, VariantBars};
    use crate::chart::sweep::{SweepDiff, SweepLines, metric_title, parameter_title};
    let mut out = Vec::new();
    let x_label = layout
        .parameters
        .first()
        .map(|p| parameter_title(p, &distinct(layout, 0)))
        .unwrap_or_default();
    let baseline = layout
        .variants
        .get(layout.baseline)
        .cloned()
        .unwrap_or_default();
    for m in metrics {
        let of: Vec<&Row> = rows.iter().filter(|r| r.key() == *m).collect();
        if of.is_empty() {
            continue;
        }
        let s = stem(m);
        if layout.parameters.is_empty() {
            let bars = |diff: bool| VariantBars {
                name: "sweep_bars",
                y_label: if diff {
                    crate::chart::sweep::diff_title(m)
                } else {
                    metric_title(m)
                },
                bars: of
                    .iter()
                    .filter_map(|r| {
                        let s = if diff {
                            r.diff_vs_baseline.as_ref()?
                        } else {
                            r.summary.as_ref()?
                        };
                        Some(VariantBar::from_summary(
                            r.variant.clone().unwrap_or_default(),
                            s,
                        ))
                    })
                    .collect(),
            };
            out.push((format!("sweep_{s}"), SweepChart::Bars(bars(false))));
            if layout.variants.len() > 1 {
                out.push((format!("sweep_diff_{s}"), SweepChart::Bars(bars(true))));
            }
        } else if let Some(series) = series_of(layout, &of, false) {
            out.push((
                format!("sweep_{s}"),
                SweepChart::Lines(SweepLines {
                    metric: m.clone(),
                    x_label: x_label.clone(),
                    series,
                }),
            ));
            if layout.variants.len() > 1
                && let Some(series) = series_of(layout, &of, true)
            {
                out.push((
                    format!("sweep_diff_{s}"),
                    SweepChart::Diff(SweepDiff {
                        metric: m.clone(),
                        baseline: baseline.clone(),
                        x_label: x_label.clone(),
                        series,
                    }),
                ));
            }
        }
        let variants: Vec<Option<usize>> = if layout.variants.is_empty() {
            vec![None]
        } else {
            (0..layout.variants.len()).map(Some).collect()
        };
        for v in variants {
            // An all-zero metric has its note on the lines chart; no heatmap of zeros.
            if let Some(h) = heatmap(layout, &of, v)
                .filter(|h| h.cells.iter().flatten().flatten().any(|c| c.0 != 0.0))
            {
                let suffix = v.map_or(String::new(), |v| format!("_{}", layout.variants[v]));
                out.push((format!("sweep_heatmap_{s}{suffix}"), SweepChart::Heatmap(h)));
            }
        }
    }
    // The security–latency trade-off: the first latency metric charted against records exposed.
    let x = metrics
        .iter()
        .find(|m| m.contains("latency"))
        .cloned()
        .unwrap_or_else(|| LATENCY_MS.id.into());
    let all: Vec<&Row> = rows.iter().collect();
    let t = tradeoff(layout, &all, &x, RECORDS_EXPOSED.id);
    if !t.points.is_empty() {
        out.push(("sweep_tradeoff".into(), SweepChart::Tradeoff(t)));
    }
    out
}

/// Every chart of a sweep in both sizes and each of `formats`: (path relative to the sweep
/// folder, the bytes or why it could not be drawn), drawn in parallel, in a fixed order.
pub fn draw_sweep(
    layout: &Layout,
    metrics: &[String],
    rows: &[Row],
    formats: &[crate::chart::Format],
) -> Vec<(String, Result<Vec<u8>, String>)> {
    use rayon::prelude::*;
    let charts = sweep_charts(layout, metrics, rows);
    let jobs: Vec<(
        &String,
        &SweepChart,
        crate::chart::Size,
        crate::chart::Format,
    )> = charts
        .iter()
        .flat_map(|(s, c)| {
            crate::chart::SIZES
                .into_iter()
                .flat_map(move |size| formats.iter().map(move |&f| (s, c, size, f)))
        })
        .collect();
    jobs.par_iter()
        .map(|(s, c, size, f)| {
            (
                format!("plots/{s}{}.{}", size.suffix, f.extension()),
                c.render(*size, *f),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    /// A 2 × 2 sweep over an attacker setting and a design parameter, two variants, with
    /// latency and records rows per point.
    fn two_parameter_rows(zip: bool) -> (Layout, Vec<Row>) {
        let values: Vec<Vec<String>> = if zip {
            vec![
                vec!["0.1".into(), "1".into()],
                vec!["0.9".into(), "2".into()],
            ]
        } else {
            vec![
                vec!["0.1".into(), "1".into()],
                vec!["0.1".into(), "2".into()],
                vec!["0.9".into(), "1".into()],
                vec!["0.9".into(), "2".into()],
            ]
        };
        let per = values.len();
        let l = Layout {
            parameters: vec![
                "attacks.sniffer.capture_probability".into(),
                "period".into(),
            ],
            variants: vec!["plain".into(), "aead".into()],
            baseline: 0,
            points: (0..2 * per)
                .map(|p| (Some(p / per), values[p % per].clone()))
                .collect(),
            replications: 2,
            metrics: vec!["latency_ms".into(), "records_exposed".into()],
            zip,
        };
        let mut rows = Vec::new();
        for p in 0..2 * per {
            let aead = p >= per;
            let capture: f64 = values[p % per][0].parse().unwrap();
            for (metric, v) in [
                ("latency_ms", if aead { 60.0 } else { 59.0 }),
                ("records_exposed", if aead { 0.0 } else { 1000.0 * capture }),
            ] {
                rows.push(Row {
                    point: p,
                    variant: Some(l.variants[p / per].clone()),
                    values: l.points[p].1.clone(),
                    metric: metric.into(),
                    group: String::new(),
                    summary: summarise(&[Some(v), Some(v * 1.01)]),
                    diff_vs_baseline: None,
                });
            }
        }
        (l, rows)
    }

    #[test]
    fn heatmaps_only_for_product_sweeps_and_fronts_per_attacker_setting() {
        let (l, rows) = two_parameter_rows(false);
        let charts = sweep_charts(&l, &l.metrics, &rows);
        let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names.contains(&"sweep_heatmap_latency_ms_plain"),
            "{names:?}"
        );
        // Records are all zero under aead: no heatmap of zeros.
        assert!(
            !names.contains(&"sweep_heatmap_records_exposed_aead"),
            "{names:?}"
        );
        let (z, zrows) = two_parameter_rows(true);
        let znames: Vec<String> = sweep_charts(&z, &z.metrics, &zrows)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert!(znames.iter().all(|n| !n.contains("heatmap")), "{znames:?}");
        assert!(znames.contains(&"sweep_latency_ms".to_string()));
        // The trade-off: two attacker settings (capture 0.1 and 0.9), each with its own front.
        let all: Vec<&Row> = rows.iter().collect();
        let t = tradeoff(&l, &all, "latency_ms", "records_exposed");
        assert_eq!(
            t.settings,
            ["capture_probability=0.1", "capture_probability=0.9"]
        );
        let fronts = t.fronts();
        assert_eq!(fronts.len(), 2);
        for (s, front) in fronts.iter().enumerate() {
            // Per setting: plain (faster, exposed) and aead (slower, nothing exposed) both
            // survive; the front never mixes settings.
            assert!(front.iter().all(|&i| t.points[i].setting == s));
            let labels: Vec<&str> = front.iter().map(|&i| t.points[i].label.as_str()).collect();
            assert!(labels.iter().any(|l| l.starts_with("plain")), "{labels:?}");
            assert!(labels.iter().any(|l| l.starts_with("aead")), "{labels:?}");
        }
        // Across settings, the 0.9 plain points are dominated by the 0.1 ones: a single front
        // would have dropped them.
        let one = crate::chart::compare::pareto_front(&t.points, (true, true));
        assert!(
            one.iter()
                .all(|&i| t.points[i].setting == 0 || t.points[i].y == 0.0)
        );
    }
}
