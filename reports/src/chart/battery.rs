//! Battery left over time, per node group with batteries: the group's mean (solid) and its
//! lowest node (dashed), each averaged over replications, with every battery death marked (×
//! on the time axis, in the group's colour; all replications).

use super::*;
use crate::data::{ChartData, series_groups, series_summary};

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
        if d.series.is_empty() {
            return empty_note(
                root,
                style,
                &[
                    "No time series in this run",
                    "(the scenario sets no time_grid).",
                ],
            );
        }
        let groups = series_groups(&d.series, "battery_mean_fraction");
        if groups.is_empty() {
            return empty_note(
                root,
                style,
                &["No battery-powered device", "in this scenario."],
            );
        }
        let (div, unit) = time_unit(d.facts.duration_s);
        // (group index, dashed, points (time, % left)).
        type Line = (usize, bool, Vec<(f64, f64)>);
        let lines: Vec<Line> = groups
            .iter()
            .enumerate()
            .flat_map(|(i, g)| {
                [
                    ("battery_mean_fraction", false),
                    ("battery_min_fraction", true),
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
        let y0 = battery_range(lowest);
        let x1 = d.facts.duration_s / div;
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
            Axis::linear(y0..100.0, "battery left (%)"),
            None,
        )?;
        warmup_band(root, chart.at(0.0, 100.0), chart.at(warm.min(x1), y0))?;
        for (i, dashed, pts) in &lines {
            let px: Vec<(i32, i32)> = pts.iter().map(|&(t, v)| chart.at(t, v)).collect();
            dashed_line(root, style, &px, series_colour(*i), 1.4, *dashed)?;
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
        };
        let chart = Battery::new(&data);
        let svg = String::from_utf8(render(&chart, ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        for label in [
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
