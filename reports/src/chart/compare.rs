//! Charts across scenarios: a bar chart comparing variants (defense sets, sweep points) on one
//! metric with 95 % interval error bars, and a trade-off scatter of two metrics with its
//! Pareto front. The sweep calls these with its own data; nothing here reads a results folder.

use super::*;
use crate::stats::Summary;

/// One variant's bar: its label and the metric's summary over replications.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantBar {
    /// The variant's name (`wpa2 + ble-aead`).
    pub label: String,
    /// Mean of the metric.
    pub mean: f64,
    /// Half-width of its 95 % interval; `None` with one replication.
    pub half_width: Option<f64>,
}

impl VariantBar {
    /// A bar from a summary.
    pub fn from_summary(label: impl Into<String>, s: &Summary) -> VariantBar {
        VariantBar {
            label: label.into(),
            mean: s.mean,
            half_width: s.ci95_half_width,
        }
    }
}

/// Variants compared on one metric (`name` is the file stem, e.g. `compare_latency_ms`).
#[derive(Clone, Debug)]
pub struct VariantBars {
    /// File stem.
    pub name: &'static str,
    /// The y axis title, with its unit: `mean end-to-end latency (ms)`.
    pub y_label: String,
    /// The bars, left to right.
    pub bars: Vec<VariantBar>,
}

impl Chart for VariantBars {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let bars: Vec<&VariantBar> = self.bars.iter().filter(|b| b.mean.is_finite()).collect();
        if bars.is_empty() {
            return empty_note(root, style, &["No variant to compare."]);
        }
        let hw = |b: &VariantBar| b.half_width.filter(|h| h.is_finite()).unwrap_or(0.0);
        let hi = bars.iter().map(|b| b.mean + hw(b)).fold(0.0f64, f64::max);
        let lo = bars.iter().map(|b| b.mean - hw(b)).fold(0.0f64, f64::min);
        let y1 = if hi > 0.0 { nice_ceil(hi * 1.05) } else { 0.0 };
        let y0 = if lo < 0.0 {
            -nice_ceil(-lo * 1.05)
        } else {
            0.0
        };
        let (y0, y1) = if y1 > y0 { (y0, y1) } else { (0.0, 1.0) };
        let (w, _) = root.dim_in_pixel();
        let mut frame = Frame::new(style);
        frame.y_area = frame::label_area(style, &Axis::linear(y0..y1, self.y_label.as_str()));
        let slot = (w as i32 - frame.y_area - frame.right) / bars.len() as i32;
        // Labels wrap onto up to three lines under their bar; failing that, they turn vertical.
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        let layout = CategoryLabels::new(style, &labels, slot);
        frame.x_area = layout.height(style) + style.px(6.0);
        let mut entries = Vec::new();
        let no_ci = bars.iter().any(|b| b.half_width.is_none());
        if bars.iter().any(|b| b.half_width.is_some()) {
            entries.push(Entry::new(Key::Line(BLACK, false), "95 % CI"));
        }
        if no_ci {
            entries.push(Entry::new(
                Key::Swatch(TRANSPARENT),
                "no interval where n = 1",
            ));
        }
        frame.top += legend_room(root, style, &entries);
        let n = bars.len() as f64;
        let x = Axis::linear(0.0..n, "").bare();
        let y = Axis::linear(y0..y1, self.y_label.as_str());
        let Plot { mut chart, .. } = plot(root, style, &frame, x, y, None)?;
        for (i, b) in bars.iter().enumerate() {
            let (l, r) = (i as f64 + 0.2, i as f64 + 0.8);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(l, 0.0f64.clamp(y0, y1)), (r, b.mean)],
                    OKABE_ITO[5].mix(0.85).filled(),
                )))
                .map_err(err)?;
            if let Some(h) = b.half_width.filter(|h| h.is_finite()) {
                let mid = i as f64 + 0.5;
                let cap = 0.1;
                let line = style.line(BLACK, 0.9);
                let (lo, hi) = ((b.mean - h).max(y0), (b.mean + h).min(y1));
                chart
                    .draw_series([
                        PathElement::new(vec![(mid, lo), (mid, hi)], line),
                        PathElement::new(vec![(mid - cap, lo), (mid + cap, lo)], line),
                        PathElement::new(vec![(mid - cap, hi), (mid + cap, hi)], line),
                    ])
                    .map_err(err)?;
            }
            let (px, py) = chart.backend_coord(&(i as f64 + 0.5, y0));
            layout.draw(root, style, i, (px, py + style.px(3.0)))?;
        }
        legend_above(root, style, &entries)
    }
}

/// One point of a trade-off: a variant's two metrics, with their 95 % half-widths if known.
#[derive(Clone, Debug, PartialEq)]
pub struct TradeoffPoint {
    /// The variant's name, written beside the point.
    pub label: String,
    /// The x metric's mean.
    pub x: f64,
    /// The y metric's mean.
    pub y: f64,
    /// The x metric's half-width.
    pub x_half: Option<f64>,
    /// The y metric's half-width.
    pub y_half: Option<f64>,
}

/// The indices of the points no other point dominates, sorted by x (then y). Point a
/// dominates b when it is at least as good in both metrics and better in one, "good" meaning
/// smaller where `minimise` says so and larger elsewhere. Non-finite points are never on it.
pub fn pareto_front(points: &[TradeoffPoint], minimise: (bool, bool)) -> Vec<usize> {
    let key = |p: &TradeoffPoint| {
        (
            if minimise.0 { p.x } else { -p.x },
            if minimise.1 { p.y } else { -p.y },
        )
    };
    let finite = |p: &TradeoffPoint| p.x.is_finite() && p.y.is_finite();
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| finite(&points[i]))
        .filter(|&i| {
            let a = key(&points[i]);
            !points.iter().enumerate().any(|(j, q)| {
                let b = key(q);
                j != i && finite(q) && b.0 <= a.0 && b.1 <= a.1 && (b.0 < a.0 || b.1 < a.1)
            })
        })
        .collect();
    front.sort_by(|&a, &b| {
        points[a]
            .x
            .total_cmp(&points[b].x)
            .then(points[a].y.total_cmp(&points[b].y))
    });
    front
}

/// A trade-off scatter of two metrics with its Pareto front (`name` is the file stem).
#[derive(Clone, Debug)]
pub struct Tradeoff {
    /// File stem.
    pub name: &'static str,
    /// The x axis title, with its unit.
    pub x_label: String,
    /// The y axis title, with its unit.
    pub y_label: String,
    /// Whether smaller is better, for x and for y.
    pub minimise: (bool, bool),
    /// The points.
    pub points: Vec<TradeoffPoint>,
}

impl Chart for Tradeoff {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let pts: Vec<&TradeoffPoint> = self
            .points
            .iter()
            .filter(|p| p.x.is_finite() && p.y.is_finite())
            .collect();
        if pts.is_empty() {
            return empty_note(root, style, &["No variant to compare."]);
        }
        let front = pareto_front(&self.points, self.minimise);
        let span = |v: &dyn Fn(&TradeoffPoint) -> (f64, f64)| {
            let (lo, hi) = pts
                .iter()
                .map(|p| v(p))
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (l, h)| {
                    (a.min(l), b.max(h))
                });
            let pad = ((hi - lo) * 0.08).max(hi.abs().max(1e-12) * 0.05);
            let lo = if lo >= 0.0 && lo - pad < 0.0 {
                0.0
            } else {
                lo - pad
            };
            (lo, hi + pad)
        };
        let (x0, x1) = span(&|p| {
            let h = p.x_half.unwrap_or(0.0);
            (p.x - h, p.x + h)
        });
        let (y0, y1) = span(&|p| {
            let h = p.y_half.unwrap_or(0.0);
            (p.y - h, p.y + h)
        });
        let entries = vec![
            Entry::new(Key::Marker(Marker::Dot, OKABE_ITO[6]), "Pareto front"),
            Entry::new(Key::Marker(Marker::Circle, OKABE_ITO[0]), "dominated"),
            Entry::new(Key::Line(BLACK, false), "95 % CI"),
        ];
        let mut frame = Frame::new(style);
        frame.top += legend_room(root, style, &entries);
        let x = Axis::linear(x0..x1, self.x_label.as_str()).ticks(x_ticks(style));
        let y = Axis::linear(y0..y1, self.y_label.as_str());
        let chart = plot(root, style, &frame, x, y, None)?;
        let to = |x: f64, y: f64| chart.at(x, y);
        // The front as a staircase: the boundary of the region its points dominate.
        let fp: Vec<&TradeoffPoint> = front.iter().map(|&i| &self.points[i]).collect();
        let mut stairs = Vec::new();
        for (k, p) in fp.iter().enumerate() {
            if k > 0 {
                let prev = fp[k - 1];
                let corner = if self.minimise.0 == self.minimise.1 {
                    (p.x, prev.y)
                } else {
                    (prev.x, p.y)
                };
                stairs.push(to(corner.0, corner.1));
            }
            stairs.push(to(p.x, p.y));
        }
        if stairs.len() > 1 {
            dashed_line(root, style, &stairs, OKABE_ITO[6], 1.0, true)?;
        }
        let font = style.text();
        let ci = style.line(BLACK, 0.7);
        for (i, p) in self.points.iter().enumerate() {
            if !(p.x.is_finite() && p.y.is_finite()) {
                continue;
            }
            if let Some(h) = p.x_half.filter(|h| h.is_finite()) {
                root.draw(&PathElement::new(
                    vec![to(p.x - h, p.y), to(p.x + h, p.y)],
                    ci,
                ))
                .map_err(err)?;
            }
            if let Some(h) = p.y_half.filter(|h| h.is_finite()) {
                root.draw(&PathElement::new(
                    vec![to(p.x, p.y - h), to(p.x, p.y + h)],
                    ci,
                ))
                .map_err(err)?;
            }
            let on_front = front.contains(&i);
            let c = to(p.x, p.y);
            if on_front {
                marker(root, style, Marker::Dot, c, OKABE_ITO[6])?;
            } else {
                marker(root, style, Marker::Circle, c, OKABE_ITO[0])?;
            }
            text(
                root,
                &p.label,
                (c.0 + style.px(4.0), c.1 - style.px(2.0)),
                &font,
                HPos::Left,
                VPos::Bottom,
            )?;
        }
        legend_above(root, style, &entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(label: &str, x: f64, y: f64) -> TradeoffPoint {
        TradeoffPoint {
            label: label.into(),
            x,
            y,
            x_half: None,
            y_half: None,
        }
    }

    #[test]
    fn the_pareto_front_keeps_exactly_the_undominated_points() {
        // Energy (J) against records exposed, both to minimise.
        let pts = vec![
            p("none", 1.0, 900.0),
            p("wpa2", 1.2, 450.0),
            p("wpa2+ble", 1.5, 0.0),
            p("ble only", 1.3, 460.0), // dominated by wpa2 (cheaper, fewer exposed)
            p("heavy", 2.0, 0.0),      // dominated by wpa2+ble (same exposure, dearer)
            p("nan", f64::NAN, 0.0),
        ];
        assert_eq!(pareto_front(&pts, (true, true)), [0, 1, 2]);
        // Maximising y instead (say, delivery) makes other points the best.
        assert_eq!(pareto_front(&pts, (true, false)), [0]);
        // Maximising both: the largest x and the largest y survive, and what trades them.
        assert_eq!(pareto_front(&pts, (false, false)), [0, 3, 4]);
    }

    #[test]
    fn ties_do_not_dominate_each_other() {
        let pts = vec![p("a", 1.0, 1.0), p("b", 1.0, 1.0), p("c", 2.0, 2.0)];
        assert_eq!(pareto_front(&pts, (true, true)), [0, 1]);
    }
}

#[cfg(test)]
mod drawing {
    use super::*;
    use crate::chart::testing::{dump, ink, polylines};

    fn bars(with_ci: bool) -> VariantBars {
        let hw = |h: f64| with_ci.then_some(h);
        VariantBars {
            name: "compare_latency_ms",
            y_label: "mean end-to-end latency (ms)".into(),
            bars: vec![
                VariantBar {
                    label: "no defense".into(),
                    mean: 59.4,
                    half_width: hw(0.4),
                },
                VariantBar {
                    label: "wpa2".into(),
                    mean: 61.2,
                    half_width: hw(0.5),
                },
                VariantBar {
                    label: "wpa2 + ble-aead".into(),
                    mean: 66.8,
                    half_width: hw(0.7),
                },
                VariantBar {
                    label: "one run".into(),
                    mean: 64.0,
                    half_width: None,
                },
            ],
        }
    }

    #[test]
    fn variant_bars_carry_an_error_bar_per_interval_and_say_when_there_is_none() {
        let with =
            String::from_utf8(render(&bars(true), ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        let without =
            String::from_utf8(render(&bars(false), ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        // Three bars have an interval: a stem and two caps each.
        assert_eq!(
            polylines(&with) - polylines(&without),
            9 + 1,
            "legend sample too"
        );
        for label in [
            "no defense",
            "ble-aead",
            "95 % CI",
            "no interval where n = 1",
        ] {
            assert!(with.contains(label), "{label}");
        }
        assert!(with.contains("mean end-to-end latency (ms)"));
        let png = render(&bars(true), ONE_COLUMN, Format::Png).unwrap();
        assert!(ink(&png) > 0.02);
        dump("compare_bars", &png);
    }

    #[test]
    fn long_labels_turn_vertical_instead_of_overlapping() {
        let mut b = bars(true);
        for (i, bar) in b.bars.iter_mut().enumerate() {
            bar.label = format!("variant_with_a_long_name_{i}");
        }
        let svg = String::from_utf8(render(&b, ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        assert_eq!(
            svg.matches("rotate(270").count(),
            4 + 1,
            "four labels and the y title"
        );
        // Shorter ones wrap under their bar.
        let svg = String::from_utf8(render(&bars(true), ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        assert_eq!(svg.matches("rotate(270").count(), 1, "the y title alone");
        assert!(svg.contains(">\nwpa2 +\n<") || svg.contains(">\nwpa2 + ble-aead\n<"));
    }

    #[test]
    fn the_tradeoff_marks_its_front_and_draws_the_staircase() {
        let pt = |label: &str, x: f64, y: f64| TradeoffPoint {
            label: label.into(),
            x,
            y,
            x_half: Some(0.02),
            y_half: Some(15.0),
        };
        let t = Tradeoff {
            name: "tradeoff",
            x_label: "sensor energy (J)".into(),
            y_label: "records exposed".into(),
            minimise: (true, true),
            points: vec![
                pt("none", 3.17, 56400.0),
                pt("wpa2", 3.18, 28000.0),
                pt("ble-aead", 3.30, 28300.0),
                pt("both", 3.31, 0.0),
            ],
        };
        assert_eq!(pareto_front(&t.points, t.minimise), [0, 1, 3]);
        let svg = String::from_utf8(render(&t, ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        for label in [
            "none",
            "wpa2",
            "ble-aead",
            "both",
            "Pareto front",
            "dominated",
        ] {
            assert!(svg.contains(label), "{label}");
        }
        let png = render(&t, FULL_WIDTH, Format::Png).unwrap();
        assert!(ink(&png) > 0.01);
        dump("tradeoff", &png);
        dump(
            "tradeoff_one_column",
            &render(&t, ONE_COLUMN, Format::Png).unwrap(),
        );
    }
}
