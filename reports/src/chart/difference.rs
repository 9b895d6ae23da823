//! The difference of one results folder from a baseline, as a forest plot: one row per
//! headline metric, its mean difference relative to the baseline's mean (percent) with the
//! 95 % interval as a whisker, and a line at zero. Metrics have different units, so the
//! relative scale is what puts them on one axis; the tables beside it give the absolute values.

use super::*;
use crate::compare::Difference;
use crate::tables::metric_label;

/// The metrics a difference chart shows, in this order, when the comparison has them: the
/// headline metrics of a run.
pub const CHARTED: [&str; 12] = crate::HEADLINE;

/// The forest plot of one comparison (`compare_<k>`, k counting the compared folders from 1).
pub struct DifferenceChart<'a> {
    differences: &'a [Difference],
    /// The metrics shown, in order; `None`: [`CHARTED`].
    metrics: Option<&'a [String]>,
}

impl<'a> DifferenceChart<'a> {
    /// The chart of `differences` (other − baseline).
    pub fn new(differences: &'a [Difference]) -> Self {
        DifferenceChart {
            differences,
            metrics: None,
        }
    }

    /// The chart of `differences` showing `metrics`, in that order (a paper's chosen metrics).
    pub fn with_metrics(differences: &'a [Difference], metrics: &'a [String]) -> Self {
        DifferenceChart {
            differences,
            metrics: Some(metrics),
        }
    }

    /// The rows: (label, relative difference %, its half-width %), in [`CHARTED`] order (or
    /// the chosen metrics' order), for the metrics whose baseline mean is not zero.
    pub fn rows(&self) -> Vec<(String, f64, Option<f64>)> {
        let names: Vec<&str> = match self.metrics {
            Some(chosen) => chosen.iter().map(String::as_str).collect(),
            None => CHARTED.to_vec(),
        };
        names
            .into_iter()
            .filter_map(|m| self.differences.iter().find(|d| d.metric == m))
            .filter_map(|d| {
                let (r, h) = d.relative_percent()?;
                Some((metric_label(&d.metric).0.trim().to_string(), r, h))
            })
            .collect()
    }
}

impl Chart for DifferenceChart<'_> {
    fn name(&self) -> &'static str {
        "compare"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let rows = self.rows();
        if rows.is_empty() {
            return empty_note(
                root,
                style,
                &[
                    "No headline metric has a non-zero baseline mean:",
                    "see compare.md for the absolute differences.",
                ],
            );
        }
        let font = style.text();
        let frame = Frame::row_labels(style, rows.iter().map(|(l, _, _)| l.as_str()));
        // Symmetric about zero, so the sign reads at a glance; at least ±1 % when every
        // difference is tiny. Intervals reaching past twice the largest difference (a count
        // that is nearly always zero, say) are clipped at the edge with an arrow, so they do
        // not squash the differences that are measured well.
        let biggest = rows.iter().map(|(_, r, _)| r.abs()).fold(0.0f64, f64::max);
        let cap_at = if biggest > 0.0 {
            2.0 * biggest
        } else {
            f64::INFINITY
        };
        let reach = rows
            .iter()
            .map(|(_, r, h)| (r.abs() + h.unwrap_or(0.0)).min(cap_at))
            .fold(biggest, f64::max);
        let m = nice_ceil((reach * 1.1).max(1.0));
        let x = Axis::linear(-m..m, "difference from baseline (%)").ticks(x_ticks(style));
        let n = rows.len() as f64;
        let chart = plot(
            root,
            style,
            &frame,
            x,
            Axis::linear(0.0..n, "").bare(),
            None,
        )?;
        let left_x = chart.at(chart.x.range.start, 0.0).0;
        let (top, bottom) = (chart.at(0.0, n).1, chart.at(0.0, 0.0).1);
        let zero = chart.at(0.0, 0.0).0;
        root.draw(&PathElement::new(
            vec![(zero, top), (zero, bottom)],
            style.line(BLACK, 0.8),
        ))
        .map_err(err)?;
        let cap = style.px(2.2);
        for (i, (label, r, h)) in rows.iter().enumerate() {
            let y = n - i as f64 - 0.5;
            let centre = chart.at(*r, y);
            if let Some(h) = h {
                let (lo, hi) = (chart.at(r - h, y), chart.at(r + h, y));
                let whisker = style.line(OKABE_ITO[5], 1.2);
                root.draw(&PathElement::new(vec![lo, hi], whisker))
                    .map_err(err)?;
                // A cap where the interval ends, an arrow where the axis clips it.
                for (p, end, dir) in [(lo, r - h, -1), (hi, r + h, 1)] {
                    if end.abs() > m {
                        let a = cap + style.px(1.0);
                        root.draw(&Polygon::new(
                            vec![(p.0 - dir * a, p.1 - cap), (p.0 - dir * a, p.1 + cap), p],
                            OKABE_ITO[5].filled(),
                        ))
                        .map_err(err)?;
                    } else {
                        root.draw(&PathElement::new(
                            vec![(p.0, p.1 - cap), (p.0, p.1 + cap)],
                            whisker,
                        ))
                        .map_err(err)?;
                    }
                }
            }
            marker(root, style, Marker::Circle, centre, OKABE_ITO[5])?;
            text(
                root,
                label,
                (left_x - style.px(4.0), centre.1),
                &font,
                HPos::Right,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}
