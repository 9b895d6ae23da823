//! The latency CDF: per traffic class, the fraction of delivered packets with an end-to-end
//! latency at most x, with each class's deadline marked.

use super::*;
use crate::data::{ChartData, LatencyBucket};

/// The latency CDF chart (`latency_cdf`).
pub struct LatencyCdf<'a> {
    data: &'a ChartData,
}

impl<'a> LatencyCdf<'a> {
    /// The chart of a results folder's latency distributions.
    pub fn new(data: &'a ChartData) -> Self {
        LatencyCdf { data }
    }
}

/// The classes present in `buckets`, in order of first appearance.
pub fn classes(buckets: &[LatencyBucket]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for b in buckets {
        if !out.contains(&b.class.as_str()) {
            out.push(&b.class);
        }
    }
    out
}

/// Points (latency ms, cumulative fraction) of one class's distribution, at most about
/// `max_points` of them (evenly thinned, the last always kept).
pub fn cdf_points(buckets: &[LatencyBucket], class: &str, max_points: usize) -> Vec<(f64, f64)> {
    let of: Vec<&LatencyBucket> = buckets.iter().filter(|b| b.class == class).collect();
    let total: u64 = of.iter().map(|b| b.count).sum();
    if total == 0 {
        return Vec::new();
    }
    let mut acc = 0u64;
    let all: Vec<(f64, f64)> = of
        .iter()
        .map(|b| {
            acc += b.count;
            (b.latency_ms, acc as f64 / total as f64)
        })
        .collect();
    let step = all.len().div_ceil(max_points.max(1)).max(1);
    let mut pts: Vec<(f64, f64)> = all.iter().copied().step_by(step).collect();
    if let Some(&last) = all.last()
        && pts.last() != Some(&last)
    {
        pts.push(last);
    }
    pts
}

/// The `q`-quantile of one class's buckets (the first bucket reaching it), ms.
pub fn quantile(buckets: &[LatencyBucket], class: &str, q: f64) -> Option<f64> {
    cdf_points(buckets, class, usize::MAX)
        .into_iter()
        .find(|&(_, f)| f >= q)
        .map(|(x, _)| x)
}

impl Chart for LatencyCdf<'_> {
    fn name(&self) -> &'static str {
        "latency_cdf"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let buckets = &self.data.latency;
        let classes = classes(buckets);
        if classes.is_empty() {
            return empty_note(
                root,
                style,
                &[
                    "No packet was delivered in the measured window:",
                    "no latency to show.",
                ],
            );
        }
        let deadlines: Vec<(&str, f64)> = self
            .data
            .facts
            .deadlines_ms
            .iter()
            .filter(|(c, _)| classes.contains(&c.as_str()))
            .map(|(c, d)| (c.as_str(), *d))
            .collect();
        // The axis ends past the 99.9th percentile of every class and past every deadline.
        let far = classes
            .iter()
            .filter_map(|c| quantile(buckets, c, 0.999))
            .chain(deadlines.iter().map(|d| d.1))
            .fold(0.0f64, f64::max);
        let x_max = nice_ceil(far * 1.05);
        let mut entries: Vec<Entry> = Vec::new();
        for (i, c) in classes.iter().enumerate() {
            entries.push(Entry::new(Key::Line(series_colour(i), i % 2 == 1), *c));
        }
        for (c, d) in &deadlines {
            let i = classes.iter().position(|k| k == c).unwrap_or(0);
            entries.push(Entry::new(
                Key::Line(darker(series_colour(i)), true),
                format!("{c} deadline ({} ms)", sig(*d, 4)),
            ));
        }
        let (w, _) = root.dim_in_pixel();
        let mut frame = Frame::new(style);
        let legend_w = w as i32 - style.px(8.0);
        frame.top += legend_height(style, &entries, legend_w);
        let chart = cartesian(
            root,
            style,
            &frame,
            (0.0..x_max, 0.0..1.0),
            ("end-to-end latency (ms)", "fraction of delivered packets"),
            (x_ticks(style), Y_TICKS),
        )?;
        for (i, c) in classes.iter().enumerate() {
            let pts: Vec<(i32, i32)> = clip_to(&cdf_points(buckets, c, 1500), x_max)
                .iter()
                .map(|p| chart.backend_coord(p))
                .collect();
            dashed_line(root, style, &pts, series_colour(i), 1.5, i % 2 == 1)?;
        }
        for (c, d) in &deadlines {
            let i = classes.iter().position(|k| k == c).unwrap_or(0);
            let top = chart.backend_coord(&(*d, 1.0));
            let bottom = chart.backend_coord(&(*d, 0.0));
            dashed_line(
                root,
                style,
                &[bottom, top],
                darker(series_colour(i)),
                1.0,
                true,
            )?;
        }
        draw_legend(
            root,
            style,
            &entries,
            (style.px(4.0), style.px(3.0)),
            legend_w,
        )
    }
}

/// Keeps the points up to `x_max`, ending exactly on it when the curve goes beyond.
fn clip_to(pts: &[(f64, f64)], x_max: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for &(x, y) in pts {
        if x <= x_max {
            out.push((x, y));
        } else {
            let y_prev = out.last().map_or(0.0, |p| p.1);
            out.push((x_max, y_prev));
            break;
        }
    }
    out
}

/// A darker shade of a colour, for reference lines drawn beside its series.
pub(crate) fn darker(c: RGBColor) -> RGBColor {
    RGBColor(
        (f64::from(c.0) * 0.7) as u8,
        (f64::from(c.1) * 0.7) as u8,
        (f64::from(c.2) * 0.7) as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(class: &str, ms: f64, count: u64) -> LatencyBucket {
        LatencyBucket {
            class: class.into(),
            latency_ms: ms,
            count,
        }
    }

    #[test]
    fn cdf_rises_to_one_and_is_thinned() {
        let buckets: Vec<LatencyBucket> = (1..=5000)
            .map(|i| b("routine", i as f64 * 0.037, 1))
            .collect();
        let pts = cdf_points(&buckets, "routine", 100);
        assert!(pts.len() <= 101);
        assert!(pts.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
        assert!((pts.last().unwrap().1 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn quantiles_come_from_the_cumulative_counts() {
        let buckets = vec![
            b("alarm", 10.0, 50),
            b("alarm", 20.0, 45),
            b("alarm", 90.0, 5),
        ];
        assert_eq!(quantile(&buckets, "alarm", 0.5), Some(10.0));
        assert_eq!(quantile(&buckets, "alarm", 0.95), Some(20.0));
        assert_eq!(quantile(&buckets, "alarm", 0.999), Some(90.0));
        assert_eq!(quantile(&buckets, "routine", 0.5), None);
        assert_eq!(classes(&buckets), ["alarm"]);
    }
}
