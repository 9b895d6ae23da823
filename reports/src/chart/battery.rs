//! Battery left over time, per node group with batteries: the group's mean (solid) and its
//! lowest node (dashed), each averaged over replications, with every battery death marked (×
//! on the time axis, in the group's colour; all replications).
//!
//! The axes follow what happened: when a battery died, the run's time on x and, on y, from 0;
//! when none did and the groups report a projected `lifetime_days` (a full battery drained at
//! the mean power measured after the warm-up), x runs on to 1.1 × the shortest projection and
//! a thin dashed line carries each group's lowest node from the end of the run to empty at its
//! projected lifetime (mean over replications), clipped at the axis.

use super::*;
use crate::data::{ChartData, series_groups, series_summary, summarise_groups};
use sim_core::metrics::engine;

/// The x-axis end, seconds: the run, or 1.1 × the shortest projected lifetime when nothing
/// died and there is one beyond the run.
pub fn horizon_s(duration_s: f64, projected_s: &[f64]) -> f64 {
    projected_s
        .iter()
        .copied()
        .filter(|t| t.is_finite() && *t > 0.0)
        .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.min(t))))
        .map_or(duration_s, |t| (1.1 * t).max(duration_s))
}

/// The point where the segment from `(x0, y0)` to `(x1, 0)` leaves the box `x ≤ xmax`.
pub fn clip_projection(from: (f64, f64), to_x: f64, xmax: f64) -> (f64, f64) {
    if to_x <= xmax || to_x <= from.0 {
        return (to_x, 0.0);
    }
    let f = (xmax - from.0) / (to_x - from.0);
    (xmax, from.1 * (1.0 - f))
}

/// The battery chart (`battery`).
pub struct Battery<'a> {
    data: &'a ChartData,
}

impl<'a> Battery<'a> {
    /// The chart of a results folder's battery series.
    pub fn new(data: &'a ChartData) -> Self {
        Battery { data }
    }
}

/// A y range `[lo, 100]` % that shows the spread of `min_pct`: 0 when batteries empty, a
/// close-up (with a pleasant step) when they barely move.
pub fn battery_range(min_pct: f64) -> f64 {
    let drop = (100.0 - min_pct).max(0.0);
    if drop <= 0.0 {
        return 99.0;
    }
    if drop >= 40.0 {
        return 0.0;
    }
    (100.0 - nice_ceil(drop * 1.15)).max(0.0)
}

impl Battery<'_> {
    /// Why the chart has nothing to show (two lines of a note), `None` when it has: no time
    /// series, or no group with a battery in them.
    pub fn absent(&self) -> Option<[&'static str; 2]> {
        let d = self.data;
        if d.series.is_empty() {
            return Some([
                "No time series in this run",
                "(the scenario sets no time_grid).",
            ]);
        }
        series_groups(&d.series, engine::SERIES_BATTERY_MEAN_FRACTION.id)
            .is_empty()
            .then_some(["No battery-powered device", "in this scenario."])
    }
}

impl Chart for Battery<'_> {
    fn name(&self) -> &'static str {
        "battery"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let d = self.data;
        if let Some(why) = self.absent() {
            return empty_note(root, style, &why);
        }
        let groups = series_groups(&d.series, engine::SERIES_BATTERY_MEAN_FRACTION.id);
        let any_death = d.incidents.iter().any(|i| i.kind == "battery_death");
        let summaries = summarise_groups(&d.groups);
        // (group index, projected lifetime s), when nothing died.
        let projected: Vec<(usize, f64)> = if any_death {
            Vec::new()
        } else {
            groups
                .iter()
                .enumerate()
                .filter_map(|(i, g)| {
                    let s = summaries.iter().find(|s| &s.group == g)?;
                    let days = s.metric(engine::GROUP_LIFETIME_DAYS.id)?.mean;
                    (days.is_finite() && days > 0.0).then_some((i, days * 86_400.0))
                })
                .collect()
        };
        let lifetimes: Vec<f64> = projected.iter().map(|p| p.1).collect();
        let end_s = horizon_s(d.facts.duration_s, &lifetimes);
        let projecting = end_s > d.facts.duration_s;
        let (div, unit) = time_unit(end_s);
        // (group index, dashed, points (time, % left)).
        type Line = (usize, bool, Vec<(f64, f64)>);
        let lines: Vec<Line> = groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| {
                [
                    (engine::SERIES_BATTERY_MEAN_FRACTION.id, false),
                    (engine::SERIES_BATTERY_MIN_FRACTION.id, true),
                ]
                .into_iter()
                .filter_map(move |(series, dashed)| {
                    let s = series_summary(&d.series, series, g)?;
                    let pts = s
                        .points
                        .iter()
                        .map(|(t, v)| (t / div, v.mean * 100.0))
                        .collect();
                    Some((i, dashed, pts))
                })
            })
            .collect();
        let lowest = lines
            .iter()
            .flat_map(|(_, _, p)| p.iter().map(|q| q.1))
            .fold(100.0f64, f64::min);
        let y0 = if projecting {
            0.0
        } else {
            battery_range(lowest)
        };
        let x1 = end_s / div;
        let deaths: Vec<(usize, f64)> = d
            .incidents
            .iter()
            .filter(|i| i.kind == "battery_death")
            .filter_map(|i| {
                groups
                    .iter()
                    .position(|g| *g == i.group)
                    .map(|g| (g, i.time_s / div))
            })
            .collect();
        let mut entries: Vec<Entry> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| Entry::new(Key::Line(series_colour(i), false), format!("{g}, mean")))
            .collect();
        entries.push(Entry::new(Key::Line(OKABE_ITO[0], true), "lowest node"));
        if projecting {
            entries.push(Entry::new(
                Key::Line(OKABE_ITO[0], true),
                "lowest node projected to empty (thin)",
            ));
        }
        let warm = d.facts.warmup_s / div;
        if warm > 0.0 {
            entries.push(Entry::new(Key::Swatch(WARMUP.mix(0.3)), "warm-up"));
        }
        if !deaths.is_empty() {
            entries.push(Entry::new(
                Key::Marker(Marker::Cross, OKABE_ITO[0]),
                "battery death",
            ));
        }
        let mut frame = Frame::new(style);
        frame.top += legend_room(root, style, &entries);
        let chart = plot(
            root,
            style,
            &frame,
            Axis::linear(0.0..x1, format!("simulated time ({unit})")),
            Axis::linear(y0..100.0, battery_title()),
            None,
        )?;
        warmup_band(root, chart.at(0.0, 100.0), chart.at(warm.min(x1), y0))?;
        for (i, dashed, pts) in &lines {
            let px: Vec<(i32, i32)> = pts.iter().map(|&(t, v)| chart.at(t, v)).collect();
            dashed_line(root, style, &px, series_colour(*i), 1.4, *dashed)?;
        }
        if projecting {
            for &(g, life) in &projected {
                let Some((_, _, pts)) = lines.iter().find(|(i, dashed, _)| *i == g && *dashed)
                else {
                    continue;
                };
                let Some(&last) = pts.last() else {
                    continue;
                };
                let end = clip_projection(last, life / div, x1);
                let px = [chart.at(last.0, last.1), chart.at(end.0, end.1)];
                dashed_line(root, style, &px, series_colour(g), 0.8, true)?;
            }
        }
        for (g, t) in &deaths {
            let p = chart.at(*t, y0);
            marker(
                root,
                style,
                Marker::Cross,
                (p.0, p.1 - style.px(3.0)),
                series_colour(*g),
            )?;
        }
        legend_above(root, style, &entries)
    }
}

/// The battery axis's title, from the declaration of the battery series it plots (both the
/// mean and the lowest are the same quantity): `battery left (%)`.
pub fn battery_title() -> String {
    let m = &sim_core::metrics::engine::SERIES_BATTERY_MEAN_FRACTION;
    super::title::axis_title(m, super::title::Shown::of(m.unit, 1.0), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_zooms_on_small_drops_and_shows_empty_batteries_whole() {
        assert_eq!(battery_range(100.0), 99.0);
        assert_eq!(battery_range(0.0), 0.0);
        assert_eq!(battery_range(55.0), 0.0);
        // 0.004 % used: the axis spans 0.005 %.
        assert!((battery_range(99.996) - 99.995).abs() < 1e-9);
        assert_eq!(battery_range(90.0), 88.0);
    }

    #[test]
    fn the_time_axis_runs_to_the_shortest_projection_and_lines_are_clipped_at_it() {
        // A 1 h run whose groups would empty in 30 and 400 days: the axis ends at 33 days.
        let day = 86_400.0;
        assert_eq!(horizon_s(3600.0, &[30.0 * day, 400.0 * day]), 33.0 * day);
        // Nothing projected, or a projection inside the run: the run.
        assert_eq!(horizon_s(3600.0, &[]), 3600.0);
        assert_eq!(horizon_s(3600.0, &[1000.0]), 3600.0);
        assert_eq!(horizon_s(3600.0, &[f64::INFINITY]), 3600.0);
        // From 90 % at day 1 to empty at day 91, cut at day 46: half-way, 45 %.
        assert_eq!(clip_projection((1.0, 90.0), 91.0, 46.0), (46.0, 45.0));
        assert_eq!(clip_projection((1.0, 90.0), 30.0, 46.0), (30.0, 0.0));
    }
}

#[cfg(test)]
mod drawing {
    use super::*;
    use crate::chart::testing::{dump, ink};
    use crate::data::{IncidentRow, RunFacts, SeriesRow};

    #[test]
    fn battery_deaths_are_marked_in_their_groups_colour() {
        let mut series = Vec::new();
        for rep in 0..3 {
            for h in 0..=48 {
                let t = h as f64 * 3600.0;
                for (g, slope) in [("implant", 0.021), ("cgm", 0.012)] {
                    let mean = (1.0 - slope * h as f64).max(0.0);
                    for (s, v) in [
                        ("battery_mean_fraction", mean),
                        (
                            "battery_min_fraction",
                            (mean - 0.05 - 0.01 * rep as f64).max(0.0),
                        ),
                    ] {
                        series.push(SeriesRow {
                            replication: rep,
                            time_s: t,
                            series: s.into(),
                            group: g.into(),
                            value: Some(v),
                        });
                    }
                }
            }
        }
        let death = |rep, h: f64| IncidentRow {
            replication: rep,
            time_s: h * 3600.0,
            kind: "battery_death".into(),
            node: format!("implant[{rep}]"),
            group: "implant".into(),
            by: String::new(),
        };
        let data = ChartData {
            facts: RunFacts {
                scenario: "synthetic".into(),
                replications: 3,
                duration_s: 48.0 * 3600.0,
                warmup_s: 1800.0,
                deadlines_ms: vec![],
            },
            latency: vec![],
            hops: vec![],
            groups: vec![],
            series,
            incidents: vec![death(0, 43.0), death(1, 45.5), death(2, 47.0)],
            attacks: vec![],
        };
        let chart = Battery::new(&data);
        let svg = String::from_utf8(render(&chart, ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        assert_eq!(battery_title(), "battery left (%)");
        for label in [
            battery_title().as_str(),
            "implant, mean",
            "cgm, mean",
            "lowest node",
            "battery death",
            "warm-up",
        ] {
            assert!(svg.contains(label), "{label}");
        }
        // Each death is a × of two 1.2 pt strokes in the implant group's colour (the first
        // series colour); the legend's × is black.
        let first = series_colour(0);
        let stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", first.0, first.1, first.2);
        let width = format!("stroke-width=\"{}\"", Style::new(ONE_COLUMN).px(1.2));
        let crosses = svg
            .lines()
            .filter(|l| l.starts_with("<polyline") && l.contains(&stroke) && l.contains(&width))
            .count();
        assert_eq!(crosses, 3 * 2, "{stroke}");
        let png = render(&chart, ONE_COLUMN, Format::Png).unwrap();
        assert!(ink(&png) > 0.02);
        dump("battery_synthetic", &png);
    }
}
