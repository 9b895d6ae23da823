//! The latency charts: per traffic class, the CDF (the fraction of delivered packets with an
//! end-to-end latency at most x) and the tail (CCDF, the fraction slower than x, on a log axis),
//! with each class's deadline marked. Both share one latency axis, logarithmic when the
//! deadlines or the spread of the classes call for it.

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

impl LatencyCdf<'_> {
    /// Why the chart has nothing to show (two lines of a note), `None` when it has.
    pub fn absent(&self) -> Option<[&'static str; 2]> {
        absent(self.data)
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

/// The latency axis both latency charts share: linear from 0 when the curves fill it, or
/// logarithmic when the far end (the 99.9th percentile of the slowest class or a deadline) lies
/// more than 20× beyond the fastest class's median — e.g. 1–5 s deadlines over curves under
/// 100 ms, which a linear axis would squeeze into a sliver.
pub fn latency_axis(buckets: &[LatencyBucket], deadlines: &[(&str, f64)]) -> Axis {
    let classes = classes(buckets);
    let far = classes
        .iter()
        .filter_map(|c| quantile(buckets, c, 0.999))
        .chain(deadlines.iter().map(|d| d.1))
        .fold(0.0f64, f64::max);
    let fastest = classes
        .iter()
        .filter_map(|c| quantile(buckets, c, 0.5))
        .fold(f64::INFINITY, f64::min);
    if fastest.is_finite() && fastest > 0.0 && far / fastest > 20.0 {
        let low = classes
            .iter()
            .filter_map(|c| quantile(buckets, c, 0.001))
            .fold(f64::INFINITY, f64::min);
        Axis::log(low, far * 1.05, latency_title(Some("log scale")))
    } else {
        Axis::linear(0.0..nice_ceil(far * 1.05), latency_title(None))
    }
}

/// The latency axis's title, from the declaration of end-to-end latency (shown in its own
/// unit, ms), with `note` after the unit: `end-to-end latency (ms, log scale)`.
pub fn latency_title(note: Option<&str>) -> String {
    let m = &sim_core::metrics::engine::LATENCY_MS;
    title::axis_title(m, title::Shown::of(m.unit, 1.0), note)
}

/// The deadlines of the classes present: (class, deadline ms).
fn present_deadlines<'a>(data: &'a ChartData, classes: &[&str]) -> Vec<(&'a str, f64)> {
    data.facts
        .deadlines_ms
        .iter()
        .filter(|(c, _)| classes.contains(&c.as_str()))
        .map(|(c, d)| (c.as_str(), *d))
        .collect()
}

/// Legend entries of the latency charts: one line per class, one dashed line per deadline.
fn latency_legend(classes: &[&str], deadlines: &[(&str, f64)]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = classes
        .iter()
        .enumerate()
        .map(|(i, c)| Entry::new(Key::Line(series_colour(i), i % 2 == 1), *c))
        .collect();
    for (c, d) in deadlines {
        let i = classes.iter().position(|k| k == c).unwrap_or(0);
        entries.push(Entry::new(
            Key::Line(darker(series_colour(i)), true),
            format!("{c} deadline ({} ms)", sig(*d, 4)),
        ));
    }
    entries
}

/// The note of a run where no measured packet was delivered.
const NO_LATENCY: [&str; 2] = [
    "No packet was delivered in the measured window:",
    "no latency to show.",
];

/// Why the latency charts have nothing to show (two lines of a note), `None` when they have:
/// no measured packet of any class was delivered.
pub fn absent(data: &ChartData) -> Option<[&'static str; 2]> {
    classes(&data.latency).is_empty().then_some(NO_LATENCY)
}

/// Draws one of the two latency charts: `y_of` turns (cumulative fraction) into the plotted
/// value, on the axis `y`.
fn draw_latency<DB: DrawingBackend>(
    data: &ChartData,
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    y: Axis,
    y_of: &dyn Fn(f64) -> Option<f64>,
) -> Result<(), String> {
    let buckets = &data.latency;
    let classes = classes(buckets);
    if classes.is_empty() {
        return empty_note(root, style, &NO_LATENCY);
    }
    let deadlines = present_deadlines(data, &classes);
    let x = latency_axis(buckets, &deadlines);
    let entries = latency_legend(&classes, &deadlines);
    let mut frame = Frame::new(style);
    frame.top += legend_room(root, style, &entries);
    let (x_max, y_lo, y_hi) = (x.range.end, y.range.start, y.range.end);
    let chart = plot(root, style, &frame, x, y, None)?;
    for (i, c) in classes.iter().enumerate() {
        let pts: Vec<(i32, i32)> = clip_to(&cdf_points(buckets, c, 1500), x_max)
            .iter()
            .filter_map(|&(ms, f)| y_of(f).map(|v| chart.at(ms, v)))
            .collect();
        dashed_line(root, style, &pts, series_colour(i), 1.5, i % 2 == 1)?;
    }
    for (c, d) in &deadlines {
        let i = classes.iter().position(|k| k == c).unwrap_or(0);
        let line = [chart.at(*d, y_lo), chart.at(*d, y_hi)];
        dashed_line(root, style, &line, darker(series_colour(i)), 1.0, true)?;
    }
    legend_above(root, style, &entries)
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
        let y = Axis::linear(0.0..1.0, "fraction of delivered packets");
        draw_latency(self.data, root, style, y, &|f| Some(f))
    }
}

/// The latency tail (`latency_ccdf`): per class, the fraction of delivered packets slower than
/// x, on a log axis down to one packet in the sample, where p99 and p99.9 can be read.
pub struct LatencyCcdf<'a> {
    data: &'a ChartData,
}

impl<'a> LatencyCcdf<'a> {
    /// The tail chart of a results folder's latency distributions.
    pub fn new(data: &'a ChartData) -> Self {
        LatencyCcdf { data }
    }
}

impl LatencyCcdf<'_> {
    /// Why the chart has nothing to show (two lines of a note), `None` when it has.
    pub fn absent(&self) -> Option<[&'static str; 2]> {
        absent(self.data)
    }
}

impl Chart for LatencyCcdf<'_> {
    fn name(&self) -> &'static str {
        "latency_ccdf"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        // Down to the resolution of the largest class: one packet in n.
        let n = classes(&self.data.latency)
            .iter()
            .map(|c| {
                self.data
                    .latency
                    .iter()
                    .filter(|b| b.class == *c)
                    .map(|b| b.count)
                    .sum::<u64>()
            })
            .max()
            .unwrap_or(1)
            .max(10);
        let floor = 10f64.powf(-(n as f64).log10().ceil());
        let y = Axis::log(floor, 1.0, "fraction slower (log scale)");
        // 1 − F, left out where it reaches 0 (no packet slower: nothing to draw on a log axis).
        draw_latency(self.data, root, style, y, &|f| {
            let tail = 1.0 - f;
            (tail > floor * 0.5).then_some(tail)
        })
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

#[cfg(test)]
mod axis_choice {
    use super::*;

    fn b(class: &str, ms: f64, count: u64) -> LatencyBucket {
        LatencyBucket {
            class: class.into(),
            latency_ms: ms,
            count,
        }
    }

    #[test]
    fn far_deadlines_over_fast_curves_make_the_axis_logarithmic() {
        let buckets = vec![
            b("routine", 20.0, 90),
            b("routine", 60.0, 10),
            b("alarm", 30.0, 100),
        ];
        // The ward: deadlines within a few times the curves: linear from 0.
        let near = latency_axis(&buckets, &[("alarm", 250.0)]);
        assert_eq!(near.scale, Scale::Linear);
        assert_eq!(near.range.start, 0.0);
        assert!(near.range.end >= 250.0);
        // The implant: a 5 s deadline over curves under 100 ms.
        let far = latency_axis(&buckets, &[("alarm", 5000.0)]);
        assert_eq!(far.scale, Scale::Log);
        assert!(far.range.start <= 20.0 && far.range.end >= 5000.0);
        assert!(far.title.contains("log scale"));
        // Both titles are the declaration's label and unit.
        let m = &sim_core::metrics::engine::LATENCY_MS;
        assert_eq!(m.label, "End-to-end latency, mean");
        assert_eq!(
            near.title,
            format!("end-to-end latency ({})", m.unit.symbol())
        );
        assert_eq!(far.title, "end-to-end latency (ms, log scale)");
    }
}
