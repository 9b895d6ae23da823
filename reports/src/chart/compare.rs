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
    /// The attacker setting the point was measured under (an index into
    /// [`Tradeoff::settings`]); the Pareto front is computed within each setting.
    pub setting: usize,
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
    /// The attacker settings, described (`capture_probability=0.5`); empty or one blank entry
    /// when the points share one setting.
    pub settings: Vec<String>,
    /// The points.
    pub points: Vec<TradeoffPoint>,
}

impl Tradeoff {
    /// The Pareto front of each attacker setting: per setting, the indices of its undominated
    /// points (design choices compared under the same attacker, never across attackers).
    pub fn fronts(&self) -> Vec<Vec<usize>> {
        let n = self.points.iter().map(|p| p.setting + 1).max().unwrap_or(0);
        (0..n)
            .map(|s| {
                let idx: Vec<usize> = (0..self.points.len())
                    .filter(|&i| self.points[i].setting == s)
                    .collect();
                let sub: Vec<TradeoffPoint> = idx.iter().map(|&i| self.points[i].clone()).collect();
                pareto_front(&sub, self.minimise)
                    .into_iter()
                    .map(|k| idx[k])
                    .collect()
            })
            .collect()
    }
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
        let fronts = self.fronts();
        let span = |v: &dyn Fn(&TradeoffPoint) -> (f64, f64)| {
            let (lo, hi) = pts
                .iter()
                .map(|p| v(p))
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (l, h)| {
                    (a.min(l), b.max(h))
                });
            // 6 % of the data's span around it; a flat span gets ±5 % of its value (or ±0.5).
            let pad = if hi > lo {
                (hi - lo) * 0.06
            } else if hi != 0.0 {
                hi.abs() * 0.05
            } else {
                0.5
            };
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
        // Counts (records) never go below zero.
        let counts = self.y_label.ends_with("(records)");
        let y0 = if counts { y0.max(0.0) } else { y0 };
        let many = self.settings.len() > 1;
        let mut entries: Vec<Entry> = Vec::new();
        for (s, name) in self.settings.iter().enumerate() {
            let label = if many {
                format!("front, {name}")
            } else {
                "Pareto front".into()
            };
            if fronts.get(s).is_some_and(|f| !f.is_empty()) {
                entries.push(Entry::new(
                    Key::Marker(Marker::Dot, series_colour(s)),
                    label,
                ));
            }
            if !many {
                break;
            }
        }
        if self.settings.is_empty() {
            entries.push(Entry::new(
                Key::Marker(Marker::Dot, series_colour(0)),
                "Pareto front",
            ));
        }
        entries.push(Entry::new(Key::Marker(Marker::Circle, BLACK), "dominated"));
        entries.push(Entry::new(Key::Line(BLACK, false), "95 % CI"));
        // Points are numbered; the numbers are explained in a key below the legend, so labels
        // of coincident points never print over each other.
        let labels: Vec<String> = pts_labels(&self.points);
        // Beyond a dozen design choices a key would crowd out the plot: the points go unnumbered.
        let numbered = labels.len() <= MAX_KEY;
        let labels = if numbered { labels } else { Vec::new() };
        for (i, l) in labels.iter().enumerate() {
            entries.push(Entry::new(
                Key::Swatch(TRANSPARENT),
                format!("{}: {l}", i + 1),
            ));
        }
        let mut frame = Frame::new(style);
        frame.top += legend_room(root, style, &entries);
        let x = Axis::linear(x0..x1, self.x_label.as_str()).ticks(x_ticks(style));
        let y = if counts && y0 <= y1 * 0.5 {
            Axis::count(y1, self.y_label.as_str())
        } else {
            Axis::linear(y0..y1, self.y_label.as_str())
        };
        let chart = plot(root, style, &frame, x, y, None)?;
        let to = |x: f64, y: f64| chart.at(x, y);
        for (s, front) in fronts.iter().enumerate() {
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
                dashed_line(root, style, &stairs, series_colour(s), 1.0, true)?;
            }
        }
        let font = style.text();
        let ci = style.line(BLACK, 0.7);
        // Numbers of points drawn at the same pixel are written once, joined (`3,4`).
        let mut placed: Vec<((i32, i32), String)> = Vec::new();
        for (i, p) in self.points.iter().enumerate() {
            if !(p.x.is_finite() && p.y.is_finite()) {
                continue;
            }
            if let Some(h) = p.x_half.filter(|h| h.is_finite() && *h > 0.0) {
                root.draw(&PathElement::new(
                    vec![to(p.x - h, p.y), to(p.x + h, p.y)],
                    ci,
                ))
                .map_err(err)?;
            }
            if let Some(h) = p.y_half.filter(|h| h.is_finite() && *h > 0.0) {
                root.draw(&PathElement::new(
                    vec![to(p.x, p.y - h), to(p.x, p.y + h)],
                    ci,
                ))
                .map_err(err)?;
            }
            let on_front = fronts.iter().any(|f| f.contains(&i));
            let c = to(p.x, p.y);
            let colour = series_colour(p.setting);
            if on_front {
                marker(root, style, Marker::Dot, c, colour)?;
            } else {
                marker(root, style, Marker::Circle, c, colour)?;
            }
            if !numbered {
                continue;
            }
            let n = labels
                .iter()
                .position(|l| *l == p.label)
                .map_or(0, |k| k + 1);
            match placed.iter_mut().find(|(at, _)| {
                (at.0 - c.0).abs() <= style.px(3.0) && (at.1 - c.1).abs() <= style.px(3.0)
            }) {
                Some((_, s)) => {
                    let tag = n.to_string();
                    if !s.split(',').any(|x| x == tag) {
                        s.push(',');
                        s.push_str(&tag);
                    }
                }
                None => placed.push((c, n.to_string())),
            }
        }
        // Each number goes beside its point, on the first side where it overlaps no number
        // already written.
        let mut boxes: Vec<(i32, i32, i32, i32)> = Vec::new();
        let h = style.px(TEXT_PT * 1.1);
        for (c, s) in &placed {
            let w = text_width(style, &font, s);
            let gap = style.px(4.0);
            let candidates = [
                (c.0 + gap, c.1 - h),
                (c.0 + gap, c.1),
                (c.0 - gap - w, c.1 - h),
                (c.0 - gap - w, c.1),
                (c.0 - w / 2, c.1 - gap - h),
                (c.0 - w / 2, c.1 + gap),
            ];
            let free = |&(x, y): &(i32, i32)| {
                !boxes
                    .iter()
                    .any(|b| x < b.2 && x + w > b.0 && y < b.3 && y + h > b.1)
            };
            let (x, y) = candidates
                .iter()
                .copied()
                .find(free)
                .unwrap_or(candidates[0]);
            boxes.push((x, y, x + w, y + h));
            text(root, s, (x, y), &font, HPos::Left, VPos::Top)?;
        }
        legend_above(root, style, &entries)
    }
}

/// The most design choices the trade-off numbers and explains in its key.
pub const MAX_KEY: usize = 12;

/// The distinct labels of the points, in order of first appearance: the numbered key.
fn pts_labels(points: &[TradeoffPoint]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in points {
        if p.x.is_finite() && p.y.is_finite() && !out.contains(&p.label) {
            out.push(p.label.clone());
        }
    }
    out
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
            setting: 0,
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
            setting: 0,
        };
        let t = Tradeoff {
            name: "tradeoff",
            x_label: "sensor energy (J)".into(),
            y_label: "records exposed".into(),
            minimise: (true, true),
            settings: vec![String::new()],
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
