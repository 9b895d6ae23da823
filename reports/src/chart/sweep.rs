//! Charts of a sweep: a metric against the swept parameter with a 95 % band per series, the
//! paired difference against the baseline variant with its band, and a heatmap over two
//! parameters of a product sweep with its colour bar. All draw in the shared [`frame`]: axis
//! titles carry units, legends sit above the data, counts never go below zero, and a metric
//! with nothing to show (all zero, or a range within its own noise) gets a note.

use super::*;

/// The axis title of a metric key (`latency_p99_ms`, `sensors/energy_per_node_j`): its label
/// and unit from its declaration ([`crate::metrics::for_key`]), the group first for a
/// per-group metric; an undeclared key reads as itself, without a unit.
pub fn metric_title(key: &str) -> String {
    let group = key.split_once('/').map(|(g, _)| g);
    let (label, unit) = crate::metrics::for_key(key).map_or((key.to_string(), ""), |m| {
        (m.label.to_string(), m.unit.symbol())
    });
    // A parenthesis inside the label (`(distinct)`) would read as a second unit.
    let label = match label.split_once(" (") {
        Some((head, _)) => head.trim().to_string(),
        None => label.trim().to_string(),
    };
    let label = match group {
        Some(g) => format!("{g}: {}", lower_first(&label)),
        None => label,
    };
    let unit = if unit.is_empty() { "1" } else { unit };
    format!("{label} ({unit})")
}

/// The axis title of a paired difference in a metric: `Δ end-to-end latency, mean (ms)`.
pub fn diff_title(key: &str) -> String {
    format!("Δ {}", lower_first(&metric_title(key)))
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if !s.starts_with("ECG") => f.to_lowercase().collect::<String>() + c.as_str(),
        Some(f) => f.to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Whether a metric counts whole things (never below zero, integer ticks when small), by
/// the unit of its declaration.
pub fn is_count(key: &str) -> bool {
    crate::metrics::for_key(key).is_some_and(|m| m.unit.is_count())
}

/// Whether a metric cannot be negative: every metric iomtsim declares is a count, a time, an
/// energy, a fraction or a cost; an undeclared key may be anything.
fn non_negative(key: &str) -> bool {
    crate::metrics::for_key(key).is_some()
}

/// The axis title of a swept parameter (`attacks.ward-sniffer.capture_probability`): its last
/// field in words, what it belongs to, and the unit its values carry (`10ms` → ms); a
/// probability or fraction is a fraction, another plain number is dimensionless (1).
pub fn parameter_title(path: &str, values: &[String]) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let last = parts.last().copied().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    let mut words = last.replace('_', " ");
    if parts.len() >= 3 {
        words = format!("{} {words}", parts[parts.len() - 2]);
    }
    let unit = values
        .iter()
        .find_map(|v| {
            let end = v
                .char_indices()
                .find(|&(_, c)| !(c.is_ascii_digit() || ".-+e".contains(c)))
                .map(|(i, _)| i)?;
            (end > 0).then(|| v[end..].trim().to_string())
        })
        .filter(|u| !u.is_empty());
    let unit = unit.unwrap_or_else(|| {
        if ["probability", "fraction", "ratio", "share"]
            .iter()
            .any(|w| last.ends_with(w))
        {
            "fraction".into()
        } else {
            "1".into()
        }
    });
    format!("{words} ({unit})")
}

/// The leading number of a parameter value (`10ms` → 10), if it has one.
pub fn leading_number(s: &str) -> Option<f64> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == '+'))
        .map_or(s.len(), |(i, _)| i);
    s[..end].parse().ok()
}

/// One point of a line: (x, mean, 95 % half-width).
pub type LinePoint = (f64, f64, Option<f64>);

/// What a y axis must show: the values with their bands, and what kind of quantity.
struct YRange {
    lo: f64,
    hi: f64,
}

impl YRange {
    fn of<'a>(pts: impl Iterator<Item = &'a LinePoint>) -> Option<YRange> {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &(_, m, h) in pts {
            let h = h.filter(|h| h.is_finite()).unwrap_or(0.0);
            lo = lo.min(m - h);
            hi = hi.max(m + h);
        }
        (lo.is_finite() && hi.is_finite()).then_some(YRange { lo, hi })
    }
}

/// Why a metric's chart shows a note instead of data, if it does.
fn degenerate(pts: &[&LinePoint], key: &str) -> Option<String> {
    if pts.is_empty() {
        return Some(format!("{} was never defined.", metric_title(key)));
    }
    if pts
        .iter()
        .all(|p| p.1 == 0.0 && p.2.is_none_or(|h| h == 0.0))
    {
        return Some(format!("{} is 0 at every point.", metric_title(key)));
    }
    None
}

/// The y axis for values in `r`: from zero for counts (whole ticks) and never below zero for
/// quantities that cannot be negative; a range within a part in 10⁶ of the values is widened
/// to ±0.1 % of them, so the ticks stay readable.
fn y_axis(r: &YRange, key: &str, title: String) -> Axis {
    let (mut lo, mut hi) = (r.lo, r.hi);
    let scale = lo.abs().max(hi.abs()).max(1e-300);
    if hi - lo <= scale * 1e-6 {
        let mid = (hi + lo) / 2.0;
        let w = (mid.abs() * 1e-3).max(1e-12);
        lo = mid - w;
        hi = mid + w;
    } else {
        let pad = (hi - lo) * 0.06;
        lo -= pad;
        hi += pad;
    }
    if non_negative(key) {
        lo = lo.max(0.0);
    }
    if is_count(key) && hi >= 1.0 && lo <= hi * 0.5 {
        return Axis::count(hi, title);
    }
    Axis::linear(lo..hi, title)
}

/// The marker of the `i`-th series, so coincident series stay apart to the eye.
fn series_marker(i: usize) -> Marker {
    [
        Marker::Dot,
        Marker::Triangle,
        Marker::Square,
        Marker::Diamond,
        Marker::Circle,
        Marker::Cross,
    ][i % 6]
}

/// Most series drawn with filled bands: beyond, overlapping bands would make one muddy block,
/// and each point's interval is a whisker instead, the series set slightly apart.
const MAX_BANDS: usize = 2;

/// Draws series of (x, mean, half-width) as lines with markers, with a light band each (up to
/// [`MAX_BANDS`] series) or a whisker per point; the `i`-th series dashed when odd, so
/// coincident lines still show both.
fn draw_series<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
    p: &Plot<DB>,
    series: &[(String, Vec<LinePoint>)],
) -> Result<(), String> {
    let bands = series.len() <= MAX_BANDS;
    let n = series.len() as i32;
    for (i, (_, pts)) in series.iter().enumerate() {
        let colour = series_colour(i);
        if bands {
            let band: Vec<(i32, i32)> = pts
                .iter()
                .map(|&(x, m, h)| p.at(x, m + h.unwrap_or(0.0)))
                .chain(
                    pts.iter()
                        .rev()
                        .map(|&(x, m, h)| p.at(x, m - h.unwrap_or(0.0))),
                )
                .collect();
            if pts.iter().any(|q| q.2.is_some_and(|h| h > 0.0)) {
                root.draw(&Polygon::new(band, colour.mix(0.14).filled()))
                    .map_err(err)?;
            }
        } else {
            let dx = (2 * i as i32 - (n - 1)) * style.px(0.9);
            for &(x, m, h) in pts {
                let Some(h) = h.filter(|h| *h > 0.0) else {
                    continue;
                };
                let (top, bottom) = (p.at(x, m + h), p.at(x, m - h));
                root.draw(&PathElement::new(
                    vec![(top.0 + dx, top.1), (bottom.0 + dx, bottom.1)],
                    style.line(colour, 0.8),
                ))
                .map_err(err)?;
            }
        }
    }
    for (i, (_, pts)) in series.iter().enumerate() {
        let colour = series_colour(i);
        let dx = if bands {
            0
        } else {
            (2 * i as i32 - (n - 1)) * style.px(0.9)
        };
        let line: Vec<(i32, i32)> = pts
            .iter()
            .map(|&(x, m, _)| {
                let (a, b) = p.at(x, m);
                (a + dx, b)
            })
            .collect();
        if line.len() > 1 {
            dashed_line(root, style, &line, colour, 1.1, i % 2 == 1)?;
        }
        for c in line {
            marker(root, style, series_marker(i), c, colour)?;
        }
    }
    Ok(())
}

fn entries(series: &[(String, Vec<LinePoint>)]) -> Vec<Entry> {
    let mut e: Vec<Entry> = series
        .iter()
        .enumerate()
        .filter(|(_, (l, _))| !l.is_empty())
        .map(|(i, (l, _))| Entry::new(Key::Marker(series_marker(i), series_colour(i)), l))
        .collect();
    if series
        .iter()
        .any(|(_, p)| p.iter().any(|q| q.2.is_some_and(|h| h > 0.0)))
    {
        e.push(if series.len() <= MAX_BANDS {
            Entry::new(Key::Swatch(BLACK.mix(0.14)), "95 % CI")
        } else {
            Entry::new(Key::Line(BLACK, false), "95 % CI")
        });
    }
    e
}

fn x_axis(series: &[(String, Vec<LinePoint>)], title: &str, style: &Style) -> Axis {
    let (mut x0, mut x1) = (f64::INFINITY, f64::NEG_INFINITY);
    for (_, pts) in series {
        for p in pts {
            x0 = x0.min(p.0);
            x1 = x1.max(p.0);
        }
    }
    if x1.partial_cmp(&x0) != Some(std::cmp::Ordering::Greater) {
        x0 -= 1.0;
        x1 += 1.0;
    }
    // Series set apart (whiskers instead of bands) need room beside the first and last value.
    if series.len() > MAX_BANDS && !(x0 > 0.0 && x1 / x0 >= 100.0) {
        let pad = (x1 - x0) * 0.05;
        x0 -= pad;
        x1 += pad;
    }
    // A parameter spread over more than two decades (a logspace sweep) reads on a log axis.
    if x0 > 0.0 && x1 / x0 >= 100.0 {
        return Axis::log(
            x0,
            x1,
            format!("{} (log scale)", title.trim_end_matches(')')),
        )
        .ticks(x_ticks(style));
    }
    Axis::linear(x0..x1, title).ticks(x_ticks(style))
}

/// A metric against the swept parameter: one line per series (variant, and the other
/// parameters' values), with its 95 % band.
#[derive(Clone, Debug)]
pub struct SweepLines {
    /// The metric key (`latency_p99_ms`, `sensors/energy_per_node_j`).
    pub metric: String,
    /// The x axis title, with its unit.
    pub x_label: String,
    /// Per series: label (empty for a single unnamed series) and points.
    pub series: Vec<(String, Vec<LinePoint>)>,
}

impl Chart for SweepLines {
    fn name(&self) -> &'static str {
        "sweep_lines"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let all: Vec<&LinePoint> = self.series.iter().flat_map(|(_, p)| p).collect();
        if let Some(note) = degenerate(&all, &self.metric) {
            return empty_note(root, style, &[note.as_str()]);
        }
        let Some(r) = YRange::of(all.iter().copied()) else {
            return empty_note(root, style, &["Nothing to draw."]);
        };
        let legend = entries(&self.series);
        let mut frame = Frame::new(style);
        frame.top += legend_room(root, style, &legend);
        let x = x_axis(&self.series, &self.x_label, style);
        let y = y_axis(&r, &self.metric, metric_title(&self.metric));
        let p = plot(root, style, &frame, x, y, None)?;
        draw_series(root, style, &p, &self.series)?;
        legend_above(root, style, &legend)
    }
}

/// The paired difference of each variant against the baseline, against the swept parameter:
/// d̄ ± t·s_d/√n per point, a line and band per variant, and the zero line (no difference).
#[derive(Clone, Debug)]
pub struct SweepDiff {
    /// The metric key.
    pub metric: String,
    /// The baseline variant's name.
    pub baseline: String,
    /// The x axis title, with its unit.
    pub x_label: String,
    /// Per non-baseline series: label and (x, mean difference, half-width).
    pub series: Vec<(String, Vec<LinePoint>)>,
}

impl SweepDiff {
    /// The y axis title: the difference in the metric, with its unit (the baseline is named
    /// in the legend, on the zero line).
    pub fn y_title(&self) -> String {
        diff_title(&self.metric)
    }
}

impl Chart for SweepDiff {
    fn name(&self) -> &'static str {
        "sweep_diff"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let all: Vec<&LinePoint> = self.series.iter().flat_map(|(_, p)| p).collect();
        if all.is_empty() {
            return empty_note(root, style, &["No variant to compare with the baseline."]);
        }
        if all
            .iter()
            .all(|p| p.1 == 0.0 && p.2.is_none_or(|h| h == 0.0))
        {
            let note = format!("Every variant equals {} on this metric.", self.baseline);
            return empty_note(root, style, &[note.as_str()]);
        }
        let Some(mut r) = YRange::of(all.iter().copied()) else {
            return empty_note(root, style, &["Nothing to draw."]);
        };
        // Zero (no difference) is always in view.
        r.lo = r.lo.min(0.0);
        r.hi = r.hi.max(0.0);
        let mut legend = entries(&self.series);
        legend.push(Entry::new(
            Key::Line(BLACK, true),
            format!("{} (baseline)", self.baseline),
        ));
        let mut frame = Frame::new(style);
        frame.top += legend_room(root, style, &legend);
        let x = x_axis(&self.series, &self.x_label, style);
        // A difference may be negative: the signed-linear axis, never the count axis.
        let key = "difference";
        let y = y_axis(&r, key, self.y_title());
        let p = plot(root, style, &frame, x.clone(), y, None)?;
        let zero = vec![p.at(x.range.start, 0.0), p.at(x.range.end, 0.0)];
        dashed_line(root, style, &zero, BLACK, 0.7, true)?;
        draw_series(root, style, &p, &self.series)?;
        legend_above(root, style, &legend)
    }
}

/// One heatmap cell: the mean and its 95 % half-width.
pub type Cell = (f64, Option<f64>);

/// A metric over two swept parameters of a product sweep: one cell per pair of values,
/// coloured by the mean (viridis, readable in grey), the value written in the cell, and a
/// colour bar. When the whole range is within the largest 95 % half-width, the colours would
/// only show noise: the cells are drawn grey and a note says so.
#[derive(Clone, Debug)]
pub struct SweepHeatmap {
    /// The metric key.
    pub metric: String,
    /// First parameter (x): title and its values in order.
    pub x: (String, Vec<String>),
    /// Second parameter (y): title and its values in order.
    pub y: (String, Vec<String>),
    /// `cells[i][j]`: (mean, half-width) at x value i and y value j, if defined.
    pub cells: Vec<Vec<Option<Cell>>>,
}

impl SweepHeatmap {
    /// Whether the spread of the cell means is within the noise of the cells (the largest
    /// 95 % half-width): then the colour scale would show noise.
    pub fn within_noise(&self) -> bool {
        let cells: Vec<Cell> = self.cells.iter().flatten().flatten().copied().collect();
        let lo = cells.iter().map(|c| c.0).fold(f64::INFINITY, f64::min);
        let hi = cells.iter().map(|c| c.0).fold(f64::NEG_INFINITY, f64::max);
        let noise = cells.iter().filter_map(|c| c.1).fold(0.0f64, f64::max);
        hi - lo <= noise || hi - lo <= hi.abs().max(lo.abs()) * 1e-9
    }
}

fn cell_text(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        sig(v, 4)
    } else if v == 0.0 {
        "0".into()
    } else {
        sig(v, 3)
    }
}

impl Chart for SweepHeatmap {
    fn name(&self) -> &'static str {
        "sweep_heatmap"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
        let values: Vec<f64> = self.cells.iter().flatten().flatten().map(|c| c.0).collect();
        if values.is_empty() {
            return empty_note(root, style, &["No cell is defined."]);
        }
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let noise = self.within_noise();
        let (nx, ny) = (self.x.1.len(), self.y.1.len());
        let font = style.text();
        // The colour bar sits right of the cells: a strip, its ticks and the metric's title.
        let bar_ticks = Axis::linear(lo..hi.max(lo + 1e-300), "").ticks(5);
        let bar_labels: Vec<(f64, String)> = if noise {
            Vec::new()
        } else {
            bar_ticks.tick_values()
        };
        let widest = bar_labels
            .iter()
            .map(|(_, l)| text_width(style, &font, l))
            .max()
            .unwrap_or(0);
        let mut frame = Frame::new(style);
        frame.right = style.px(6.0 + 8.0 + 3.0 + AXIS_PT * 1.3 + 4.0) + widest;
        let note = format!(
            "The range {} to {} is within the 95 % CI of the cells: no colour scale.",
            cell_text(lo),
            cell_text(hi)
        );
        if noise {
            frame.top += style.px(TEXT_PT * 1.6);
        }
        let xt = &self.x.1;
        let yt = &self.y.1;
        // Category axes: the values are written by the chart under and beside the cells.
        let x = Axis::linear(0.0..nx as f64, self.x.0.as_str()).bare();
        let y = Axis::linear(0.0..ny as f64, self.y.0.as_str()).bare();
        let p = plot(root, style, &frame, x, y, None)?;
        for (i, col) in self.cells.iter().enumerate() {
            for (j, cell) in col.iter().enumerate() {
                let (x0, y0) = (i as f64, j as f64);
                let (fill, text_s, t) = match cell {
                    Some((v, _)) => {
                        let t = if hi > lo && !noise {
                            (v - lo) / (hi - lo)
                        } else {
                            0.5
                        };
                        let c = if noise {
                            RGBColor(0xcc, 0xcc, 0xcc)
                        } else {
                            ViridisRGB.get_color(t)
                        };
                        (c, cell_text(*v), t)
                    }
                    None => (RGBColor(0xee, 0xee, 0xee), "—".to_string(), 1.0),
                };
                root.draw(&Rectangle::new(
                    [p.at(x0, y0 + 1.0), p.at(x0 + 1.0, y0)],
                    fill.filled(),
                ))
                .map_err(err)?;
                let ink = if !noise && t < 0.5 { WHITE } else { BLACK };
                let cw = p.at(x0 + 1.0, y0).0 - p.at(x0, y0).0;
                let tw = text_width(style, &font, &text_s);
                if tw < cw - style.px(2.0) {
                    // Left-anchored at the centre minus half the width: the same place as a
                    // centred text, but no tick reader takes cell values for an axis.
                    let (cx, cy) = p.at(x0 + 0.5, y0 + 0.5);
                    text(
                        root,
                        &text_s,
                        (cx - tw / 2, cy),
                        &font.color(&ink),
                        HPos::Left,
                        VPos::Center,
                    )?;
                }
            }
        }
        // Category labels: each value under its column and left of its row.
        let (bottom, left) = (p.at(0.0, 0.0).1, p.at(0.0, 0.0).0);
        let slot = (p.at(1.0, 0.0).0 - p.at(0.0, 0.0).0).max(1);
        let widest_x = xt
            .iter()
            .map(|l| text_width(style, &font, l) + style.px(3.0))
            .max()
            .unwrap_or(1);
        let every = ((widest_x + slot - 1) / slot).max(1) as usize;
        for (i, l) in xt.iter().enumerate().filter(|(i, _)| i % every == 0) {
            text(
                root,
                l,
                (p.at(i as f64 + 0.5, 0.0).0, bottom + style.px(3.0)),
                &font,
                HPos::Center,
                VPos::Top,
            )?;
        }
        let row = (p.at(0.0, 0.0).1 - p.at(0.0, 1.0).1).max(1);
        let every_y = (style.px(TEXT_PT * 1.3) / row + 1).max(1) as usize;
        for (j, l) in yt.iter().enumerate().filter(|(j, _)| j % every_y == 0) {
            text(
                root,
                l,
                (left - style.px(3.0), p.at(0.0, j as f64 + 0.5).1),
                &font,
                HPos::Right,
                VPos::Center,
            )?;
        }
        // The colour bar.
        let (top_px, bot_px) = (p.at(0.0, ny as f64).1, bottom);
        let right_px = p.at(nx as f64, 0.0).0;
        let bx0 = right_px + style.px(6.0);
        let bx1 = bx0 + style.px(8.0);
        let steps = 64;
        for k in 0..steps {
            let f0 = k as f64 / steps as f64;
            let f1 = (k + 1) as f64 / steps as f64;
            let ya = bot_px - (f0 * f64::from(bot_px - top_px)).round() as i32;
            let yb = bot_px - (f1 * f64::from(bot_px - top_px)).round() as i32;
            let c = if noise {
                RGBColor(0xcc, 0xcc, 0xcc)
            } else {
                ViridisRGB.get_color((f0 + f1) / 2.0)
            };
            root.draw(&Rectangle::new([(bx0, yb), (bx1, ya)], c.filled()))
                .map_err(err)?;
        }
        root.draw(&Rectangle::new(
            [(bx0, top_px), (bx1, bot_px)],
            style.line(BLACK, 0.6),
        ))
        .map_err(err)?;
        for (v, l) in &bar_labels {
            let f = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            let py = bot_px - (f * f64::from(bot_px - top_px)).round() as i32;
            root.draw(&PathElement::new(
                vec![(bx1, py), (bx1 + style.px(2.0), py)],
                style.line(BLACK, 0.6),
            ))
            .map_err(err)?;
            text(
                root,
                l,
                (bx1 + style.px(3.0), py),
                &font,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let title = style.axis().transform(FontTransform::Rotate90);
        text(
            root,
            &metric_title(&self.metric),
            (
                bx1 + style.px(3.0) + widest + style.px(3.0),
                (top_px + bot_px) / 2,
            ),
            &title,
            HPos::Center,
            VPos::Bottom,
        )?;
        if noise {
            text(
                root,
                &note,
                (style.px(4.0), style.px(3.0)),
                &font,
                HPos::Left,
                VPos::Top,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_carry_units_from_the_metric_labels_and_the_values() {
        assert_eq!(metric_title("latency_ms"), "End-to-end latency, mean (ms)");
        assert_eq!(
            metric_title("sensors/energy_per_node_j"),
            "sensors: energy per node (J)"
        );
        assert_eq!(metric_title("records_exposed"), "Records exposed (records)");
        assert_eq!(
            parameter_title("attacks.ward-sniffer.capture_probability", &["0.1".into()]),
            "ward-sniffer capture probability (fraction)"
        );
        assert_eq!(
            parameter_title("sensing[0].period", &["10ms".into(), "20ms".into()]),
            "period (ms)"
        );
        assert!(is_count("records_exposed") && !is_count("latency_ms"));
    }

    #[test]
    fn counts_start_at_zero_and_flat_ranges_widen_without_tiny_ticks() {
        let a = y_axis(
            &YRange { lo: -3.0, hi: 40.0 },
            "records_exposed",
            "r (records)".into(),
        );
        assert_eq!(a.range.start, 0.0);
        let b = y_axis(
            &YRange { lo: 0.52, hi: 0.52 },
            "latency_ms",
            "l (ms)".into(),
        );
        assert!(b.range.end - b.range.start > 1e-4, "{b:?}");
        let labels: Vec<String> = b.tick_values().into_iter().map(|t| t.1).collect();
        let mut d = labels.clone();
        d.dedup();
        assert_eq!(labels, d);
        // A signed difference keeps its negative side.
        let c = y_axis(&YRange { lo: -2.0, hi: 1.0 }, "difference", "d (ms)".into());
        assert!(c.range.start < -2.0);
    }

    #[test]
    fn a_heatmap_within_noise_says_so() {
        let h = |spread: f64| SweepHeatmap {
            metric: "latency_ms".into(),
            x: ("a (1)".into(), vec!["1".into(), "2".into()]),
            y: ("b (1)".into(), vec!["1".into(), "2".into()]),
            cells: vec![
                vec![Some((10.0, Some(0.5))), Some((10.0 + spread, Some(0.5)))],
                vec![Some((10.1, Some(0.5))), None],
            ],
        };
        assert!(h(0.2).within_noise());
        assert!(!h(5.0).within_noise());
        let svg = String::from_utf8(render(&h(0.2), ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        assert!(svg.contains("within the 95 % CI"));
        let svg = String::from_utf8(render(&h(5.0), ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        assert!(!svg.contains("within the 95 % CI"));
        assert!(svg.contains("End-to-end latency, mean (ms)"));
    }

    #[test]
    fn an_all_zero_metric_gets_a_note_and_no_axis() {
        let l = SweepLines {
            metric: "records_exposed".into(),
            x_label: "p (fraction)".into(),
            series: vec![(
                String::new(),
                vec![(0.1, 0.0, Some(0.0)), (0.5, 0.0, Some(0.0))],
            )],
        };
        let svg = String::from_utf8(render(&l, ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        assert!(svg.contains("is 0 at every point"));
        assert!(!svg.contains("1e-9") && !svg.contains("0.000000001"));
    }
}
