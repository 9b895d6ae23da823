//! The frame every chart draws in: its axes, ticks, grid and titles, applied once.
//!
//! An [`Axis`] is a range of values, a title that names the quantity and its unit, and a
//! [`Scale`]:
//! - **linear** — ticks at a "nice" step (1, 2, 2.5 or 5 × 10ᵏ), every label of the axis with
//!   the same number of decimals, enough to tell the ticks apart (`99.995 … 100.000`, never
//!   `99.995 … 100`);
//! - **count** — things that come whole (nodes, records, packets): integer ticks only, and the
//!   axis never below zero;
//! - **log** — ticks at the decades (and at 2 and 5 × 10ᵏ when the range spans fewer than
//!   three), for quantities spread over orders of magnitude.
//!
//! [`plot`] lays the axes out (room for the widest tick label), draws the grid at the ticks, the
//! axis lines, the tick labels and the titles, and returns a [`Plot`] that maps data values to
//! pixels through the axes' scales, so a chart draws its data without knowing the scale.

use super::*;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use std::ops::Range;

/// How an axis maps values to positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Proportional.
    Linear,
    /// Proportional, integer ticks, from zero up.
    Count,
    /// Logarithmic (values must be > 0).
    Log,
}

/// Margins around the plotting area, pixels: the top margin (legend above it), the right
/// margin, and the label areas (x labels below, y labels left).
pub(crate) struct Frame {
    pub top: i32,
    pub right: i32,
    pub x_area: i32,
    pub y_area: i32,
}

impl Frame {
    /// The usual frame: room for tick labels and an axis title on each axis.
    pub(crate) fn new(style: &Style) -> Frame {
        Frame {
            top: style.px(11.0),
            right: style.px(9.0),
            x_area: style.px(TEXT_PT + AXIS_PT + 9.0),
            y_area: style.px(TEXT_PT * 1.5 + AXIS_PT + 6.0),
        }
    }

    /// The frame of a chart whose rows are named at the left instead of a y axis (hop boxes,
    /// forest plots): the label area fits the widest name.
    pub(crate) fn row_labels<'a>(
        style: &Style,
        labels: impl IntoIterator<Item = &'a str>,
    ) -> Frame {
        let font = style.text();
        let widest = labels
            .into_iter()
            .map(|l| text_width(style, &font, l))
            .max()
            .unwrap_or(0);
        Frame {
            y_area: widest + style.px(6.0),
            ..Frame::new(style)
        }
    }
}

/// The height a legend of `entries` takes above the plot, across the figure's width.
pub(crate) fn legend_room<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    entries: &[Entry],
) -> i32 {
    legend_height(style, entries, legend_width(root, style))
}

/// Draws the legend of `entries` above the plot, in the room [`legend_room`] reserved.
pub(crate) fn legend_above<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    entries: &[Entry],
) -> Result<(), String> {
    draw_legend(
        root,
        style,
        entries,
        (style.px(4.0), style.px(3.0)),
        legend_width(root, style),
    )
}

fn legend_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, style: &Style) -> i32 {
    root.dim_in_pixel().0 as i32 - style.px(8.0)
}

/// One axis of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The range of values shown.
    pub range: Range<f64>,
    /// The title: quantity and unit, e.g. `end-to-end latency (ms)`.
    pub title: String,
    /// How values map to positions.
    pub scale: Scale,
    /// At most this many tick labels.
    pub max_ticks: usize,
    /// No tick labels at all (a category axis labelled by the chart itself).
    pub bare: bool,
}

/// The plotting coordinate of one axis: linear in the axis's coordinate (log10 of the value on
/// a log axis), with the axis's own ticks as its only key points (no light grid).
pub(crate) struct AxisCoord {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for AxisCoord {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

impl Axis {
    /// A linear axis over `range`.
    pub fn linear(range: Range<f64>, title: impl Into<String>) -> Axis {
        Axis {
            range,
            title: title.into(),
            scale: Scale::Linear,
            max_ticks: Y_TICKS,
            bare: false,
        }
    }

    /// A count axis from 0 to at least `max` (whole ticks).
    pub fn count(max: f64, title: impl Into<String>) -> Axis {
        let top = if max > 0.0 {
            nice_ceil(max).max(1.0)
        } else {
            1.0
        };
        Axis {
            range: 0.0..top,
            title: title.into(),
            scale: Scale::Count,
            max_ticks: Y_TICKS,
            bare: false,
        }
    }

    /// A logarithmic axis covering `[lo, hi]` (widened to whole decades).
    pub fn log(lo: f64, hi: f64, title: impl Into<String>) -> Axis {
        // Within 1e-300..1e300, so that whole decades stay normal numbers (a subnormal `lo`
        // would round its decade to 0, whose logarithm is −∞).
        let lo = if lo > 0.0 && lo.is_finite() {
            lo.clamp(1e-300, 1e299)
        } else {
            1e-3
        };
        let hi = if hi > lo && hi.is_finite() {
            hi.min(1e300)
        } else {
            lo * 10.0
        };
        let range = 10f64.powf(lo.log10().floor())..10f64.powf(hi.log10().ceil());
        Axis {
            range,
            title: title.into(),
            scale: Scale::Log,
            max_ticks: Y_TICKS,
            bare: false,
        }
    }

    /// The same axis with at most `n` tick labels.
    pub fn ticks(mut self, n: usize) -> Axis {
        self.max_ticks = n.max(2);
        self
    }

    /// The same axis without tick labels.
    pub fn bare(mut self) -> Axis {
        self.bare = true;
        self
    }

    /// The plotting coordinate of value `v` (clamped to the axis).
    pub fn coord(&self, v: f64) -> f64 {
        let v = if v.is_nan() {
            self.range.start
        } else {
            v.clamp(self.range.start, self.range.end)
        };
        match self.scale {
            Scale::Log => v.max(f64::MIN_POSITIVE).log10(),
            _ => v,
        }
    }

    /// The axis's span in plotting coordinates.
    pub fn span(&self) -> Range<f64> {
        self.coord(self.range.start)..self.coord(self.range.end)
    }

    /// The ticks: (value, label), in increasing order, every label distinct.
    pub fn tick_values(&self) -> Vec<(f64, String)> {
        if self.bare {
            return Vec::new();
        }
        let Range { start: lo, end: hi } = self.range;
        match self.scale {
            Scale::Log => {
                let decade = |v: f64| (v.log10().round() as i32).clamp(-300, 300);
                let (d0, d1) = (decade(lo), decade(hi));
                let mantissas: &[f64] = if d1 - d0 < 3 {
                    &[1.0, 2.0, 5.0]
                } else {
                    &[1.0]
                };
                let every = ((d1 - d0 + 1) as usize).div_ceil(self.max_ticks).max(1);
                let mut out = Vec::new();
                for (i, d) in (d0..=d1).enumerate() {
                    if i % every != 0 {
                        continue;
                    }
                    for m in mantissas {
                        let v = m * 10f64.powi(d);
                        if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                            out.push((v, log_label(v)));
                        }
                    }
                }
                out
            }
            Scale::Linear | Scale::Count => {
                let step = nice_step(hi - lo, self.max_ticks, self.scale == Scale::Count);
                let decimals = step_decimals(step);
                let first = (lo / step - 1e-9).ceil() as i64;
                let last = (hi / step + 1e-9).floor() as i64;
                (first..=last)
                    .map(|k| {
                        let v = k as f64 * step;
                        (v, fixed(v, decimals))
                    })
                    .collect()
            }
        }
    }

    fn plotting(&self) -> AxisCoord {
        AxisCoord {
            inner: self.span().into(),
            ticks: self
                .tick_values()
                .iter()
                .map(|(v, _)| self.coord(*v))
                .collect(),
        }
    }

    /// The label of the tick at plotting coordinate `c`.
    fn label_at(ticks: &[(f64, String)], axis: &Axis, c: f64) -> String {
        ticks
            .iter()
            .find(|(v, _)| (axis.coord(*v) - c).abs() <= 1e-9 * (1.0 + c.abs()))
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// The smallest step of 1, 2, 2.5 or 5 × 10ᵏ (whole numbers only for counts) that shows a span
/// with at most `n` ticks.
pub(crate) fn nice_step(span: f64, n: usize, whole: bool) -> f64 {
    if !(span > 0.0 && span.is_finite()) {
        return 1.0;
    }
    let raw = span / n.saturating_sub(1).max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = 10.0 * mag;
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * (1.0 - 1e-9) {
            step = m * mag;
            break;
        }
    }
    if whole { step.max(1.0).round() } else { step }
}

/// Decimals that show multiples of `step` exactly: 0.25 → 2, 0.001 → 3, 20 → 0.
pub(crate) fn step_decimals(step: f64) -> usize {
    (0..12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            scaled.round() >= 1.0 && (scaled - scaled.round()).abs() < 1e-6 * scaled
        })
        .unwrap_or(12)
}

/// `v` with exactly `decimals` decimals, never `-0`.
pub(crate) fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v);
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

/// A log-axis label: plain digits from 0.0001 to 100 000, `1e6` style beyond.
fn log_label(v: f64) -> String {
    if (1e-4..=1e5).contains(&v) {
        sig(v, 1)
    } else {
        format!("{:e}", v)
    }
}

/// A chart area with its axes: maps data values to pixels through the axes' scales.
pub(crate) struct Plot<'a, DB: DrawingBackend> {
    /// The plotters chart, in plotting coordinates.
    pub chart: ChartContext<'a, DB, Cartesian2d<AxisCoord, AxisCoord>>,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// The right-hand axis, if any.
    pub y2: Option<Axis>,
}

impl<DB: DrawingBackend> Plot<'_, DB> {
    /// The pixel of the data point `(x, y)`.
    pub fn at(&self, x: f64, y: f64) -> (i32, i32) {
        self.chart
            .backend_coord(&(self.x.coord(x), self.y.coord(y)))
    }

    /// The pixel of `(x, y2)` on the right-hand axis (the left axis if there is none).
    pub fn at2(&self, x: f64, y2: f64) -> (i32, i32) {
        match &self.y2 {
            None => self.at(x, y2),
            Some(a) => {
                let span = a.span();
                let (y0, y1) = (self.y.span().start, self.y.span().end);
                let f = (a.coord(y2) - span.start) / (span.end - span.start);
                self.chart
                    .backend_coord(&(self.x.coord(x), y0 + f * (y1 - y0)))
            }
        }
    }
}

/// The width of the label area that fits the axis's tick labels and its title.
pub(crate) fn label_area(style: &Style, axis: &Axis) -> i32 {
    let font = style.text();
    let widest = axis
        .tick_values()
        .iter()
        .map(|(_, l)| text_width(style, &font, l))
        .max()
        .unwrap_or(0);
    widest + style.px(2.5 + 3.0 + AXIS_PT * 1.25 + 3.0)
}

/// Builds the chart area in `root` inside `frame` and draws its grid, axes, ticks and titles.
pub(crate) fn plot<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    style: &Style,
    frame: &Frame,
    x: Axis,
    y: Axis,
    y2: Option<Axis>,
) -> Result<Plot<'a, DB>, String> {
    let y_area = if y.bare {
        frame.y_area
    } else {
        frame.y_area.max(label_area(style, &y))
    };
    // The last x label is centred on the right end of the axis: leave room for its half. A
    // right-hand axis is drawn here, in the margin (plotters would repeat the left labels in a
    // right label area).
    let last_x = x
        .tick_values()
        .last()
        .map_or(0, |(_, l)| text_width(style, &style.text(), l));
    let right = match &y2 {
        Some(a) => label_area(style, a),
        None => frame.right.max(last_x / 2 + style.px(2.0)),
    };
    let mut chart = ChartBuilder::on(root)
        .margin_top(frame.top)
        .margin_right(right)
        .margin_left(style.px(2.0))
        .margin_bottom(style.px(2.0))
        .x_label_area_size(frame.x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x.plotting(), y.plotting())
        .map_err(err)?;
    let (xt, yt) = (x.tick_values(), y.tick_values());
    let xf = |c: &f64| Axis::label_at(&xt, &x, *c);
    let yf = |c: &f64| Axis::label_at(&yt, &y, *c);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x.title.as_str())
        .y_desc(y.title.as_str())
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .label_style(style.text())
        .axis_desc_style(style.axis())
        .bold_line_style(style.line(GRID, 0.5))
        // No minor grid. (Drawn transparent, as it used to be, its lines changed no pixel but
        // were still blended, pixel by pixel: a tenth of a PNG chart's CPU.)
        .light_line_style(TRANSPARENT)
        .max_light_lines(0)
        .axis_style(style.line(BLACK, 0.8))
        .set_all_tick_mark_size(style.px(2.5));
    if y.bare {
        mesh.disable_y_mesh();
    }
    mesh.draw().map_err(err)?;
    if let Some(a) = &y2 {
        // The right axis: its own ticks and title, drawn beside the right edge of the area.
        let area = chart.plotting_area().get_pixel_range();
        let right = area.0.end;
        let font = style.text();
        let tick = style.px(2.5);
        root.draw(&PathElement::new(
            vec![(right, area.1.start), (right, area.1.end)],
            style.line(BLACK, 0.8),
        ))
        .map_err(err)?;
        let mut widest = 0;
        for (v, label) in a.tick_values() {
            let span = a.span();
            let f = (a.coord(v) - span.start) / (span.end - span.start);
            let py = area.1.end - (f * f64::from(area.1.end - area.1.start)).round() as i32;
            root.draw(&PathElement::new(
                vec![(right, py), (right + tick, py)],
                style.line(BLACK, 0.8),
            ))
            .map_err(err)?;
            text(
                root,
                &label,
                (right + 2 * tick, py),
                &font,
                HPos::Left,
                VPos::Center,
            )?;
            widest = widest.max(text_width(style, &font, &label));
        }
        // Turned a quarter clockwise, the text's bottom faces the labels: anchor it there.
        let title = style.axis().transform(FontTransform::Rotate90);
        text(
            root,
            &a.title,
            (
                right + 2 * tick + widest + style.px(3.0),
                (area.1.start + area.1.end) / 2,
            ),
            &title,
            HPos::Center,
            VPos::Bottom,
        )?;
    }
    Ok(Plot { chart, x, y, y2 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(a: &Axis) -> Vec<String> {
        a.tick_values().into_iter().map(|(_, l)| l).collect()
    }

    #[test]
    fn log_axes_of_extreme_ranges_have_finite_decades_and_ticks() {
        for (lo, hi) in [
            (5e-324, 1.0),
            (1e-310, 1e308),
            (0.0, f64::INFINITY),
            (1e300, 1e301),
        ] {
            let a = Axis::log(lo, hi, "x");
            assert!(
                a.range.start > 0.0 && a.range.end.is_finite(),
                "{lo} {hi}: {:?}",
                a.range
            );
            assert!(a.range.start < a.range.end);
            let ticks = a.tick_values();
            assert!(
                ticks.iter().all(|(v, _)| v.is_finite() && *v > 0.0),
                "{ticks:?}"
            );
        }
    }

    #[test]
    fn linear_ticks_share_their_decimals() {
        let a = Axis::linear(99.995..100.0, "battery left (%)");
        assert_eq!(
            labels(&a),
            ["99.995", "99.996", "99.997", "99.998", "99.999", "100.000"]
        );
        let b = Axis::linear(0.0..1.0, "fraction");
        assert_eq!(labels(&b), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        let c = Axis::linear(0.0..120.0, "latency (ms)");
        assert_eq!(labels(&c), ["0", "20", "40", "60", "80", "100", "120"]);
        let d = Axis::linear(0.0..1.5, "x").ticks(7);
        assert_eq!(
            labels(&d),
            ["0.00", "0.25", "0.50", "0.75", "1.00", "1.25", "1.50"]
        );
    }

    #[test]
    fn counts_have_whole_ticks_from_zero() {
        let a = Axis::count(0.4, "compromised nodes");
        assert_eq!(a.range, 0.0..1.0);
        assert_eq!(labels(&a), ["0", "1"]);
        let b = Axis::count(2.6, "nodes");
        assert_eq!(labels(&b), ["0", "1", "2", "3"]);
        let c = Axis::count(0.0, "records");
        assert_eq!(labels(&c), ["0", "1"]);
        let d = Axis::count(57_000.0, "records");
        assert!(labels(&d).iter().all(|l| !l.contains('.')));
    }

    #[test]
    fn log_ticks_sit_on_decades_and_add_2_and_5_on_short_ranges() {
        let a = Axis::log(0.3, 4000.0, "latency (ms)");
        assert_eq!(a.range, 0.1..10_000.0);
        assert_eq!(labels(&a), ["0.1", "1", "10", "100", "1000", "10000"]);
        let b = Axis::log(2.0, 80.0, "ms");
        assert_eq!(labels(&b), ["1", "2", "5", "10", "20", "50", "100"]);
        assert!((b.coord(10.0) - 1.0).abs() < 1e-12);
        // Outside the range, values clamp to its ends.
        assert_eq!(b.coord(1e9), 2.0);
    }

    #[test]
    fn no_axis_repeats_a_label() {
        for a in [
            Axis::linear(0.0..1e-9, "tiny"),
            Axis::linear(99.9999..100.0, "%"),
            Axis::count(3.0, "n"),
            Axis::log(1e-4, 1e7, "wide"),
            Axis::linear(-3.0..7.0, "signed"),
        ] {
            let l = labels(&a);
            let mut d = l.clone();
            d.dedup();
            assert_eq!(l, d, "{}", a.title);
            assert!(!l.is_empty(), "{}", a.title);
            assert!(l.len() <= a.max_ticks + 1, "{}: {l:?}", a.title);
        }
    }
}
