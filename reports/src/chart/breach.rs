//! The breach timeline: cumulative records exposed (mean over replications, with its 95 %
//! interval as a band), compromised nodes on the right axis when an attack reports them, and
//! the instants of compromises, detections, false alarms and isolations along the top (all
//! replications).

use super::*;
use crate::data::{ChartData, series_summary};
use attacks::metrics as security;

/// The breach timeline chart (`breach_timeline`).
pub struct BreachTimeline<'a> {
    data: &'a ChartData,
}

impl<'a> BreachTimeline<'a> {
    /// The chart of a results folder's breach series and incidents.
    pub fn new(data: &'a ChartData) -> Self {
        BreachTimeline { data }
    }
}

/// Security incidents drawn on the timeline: (kind, legend label, marker, colour).
pub(crate) const INCIDENT_MARKS: [(&str, &str, Marker, usize); 6] = [
    ("compromise", "compromise", Marker::Triangle, 6),
    ("detection", "detection", Marker::Diamond, 5),
    ("false_alarm", "false alarm", Marker::Circle, 0),
    ("isolation", "isolation", Marker::Square, 7),
    ("outage", "outage (encrypted)", Marker::Cross, 3),
    ("recovery", "recovery", Marker::Dot, 2),
];

impl BreachTimeline<'_> {
    /// Why the chart has nothing to show (two lines of a note), `None` when it has: the
    /// scenario has no attack, no security incident (compromise, detection, false alarm,
    /// isolation, outage, recovery) happened in any replication, and no record was exposed nor
    /// node compromised at any instant of the time series (zero or undefined throughout). With
    /// an attack the chart is drawn even if it stays at zero: that the attack exposed nothing
    /// is a result.
    pub fn absent(&self) -> Option<[&'static str; 2]> {
        let d = self.data;
        if !d.attacks.is_empty() {
            return None;
        }
        let incident = d
            .incidents
            .iter()
            .any(|i| INCIDENT_MARKS.iter().any(|m| m.0 == i.kind));
        let breached = d.series.iter().any(|r| {
            (r.series == security::SERIES_RECORDS_EXPOSED.id
                || r.series == security::SERIES_COMPROMISED_NODES.id)
                && r.value.is_some_and(|v| v != 0.0)
        });
        if incident || breached {
            None
        } else if d.series.is_empty() {
            Some([
                "No attack in this scenario, no security",
                "incident and no time_grid in this run.",
            ])
        } else {
            Some([
                "No attack in this scenario and",
                "no security incident in this run.",
            ])
        }
    }
}

impl Chart for BreachTimeline<'_> {
    fn name(&self) -> &'static str {
        "breach_timeline"
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
        let (div, unit) = time_unit(d.facts.duration_s);
        let x1 = d.facts.duration_s / div;
        let exposed = series_summary(&d.series, security::SERIES_RECORDS_EXPOSED.id, "");
        let compromised = series_summary(&d.series, security::SERIES_COMPROMISED_NODES.id, "");
        let marks: Vec<(usize, f64)> = d
            .incidents
            .iter()
            .filter_map(|i| {
                INCIDENT_MARKS
                    .iter()
                    .position(|m| m.0 == i.kind)
                    .map(|k| (k, i.time_s / div))
            })
            .collect();
        let band: Vec<(f64, f64, f64, f64)> = exposed
            .as_ref()
            .map(|s| {
                s.points
                    .iter()
                    .map(|(t, v)| {
                        let h = v.ci95_half_width.unwrap_or(0.0);
                        (t / div, v.mean, (v.mean - h).max(0.0), v.mean + h)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let y_top = band.iter().map(|p| p.3).fold(0.0f64, f64::max);
        let y1 = if y_top > 0.0 {
            nice_ceil(y_top * 1.05)
        } else {
            1.0
        };
        let c_top = compromised
            .as_ref()
            .map(|s| s.points.iter().map(|p| p.1.mean).fold(0.0f64, f64::max))
            .unwrap_or(0.0);

        let exposed_colour = OKABE_ITO[6];
        let comp_colour = OKABE_ITO[5];
        let exposed_m = &security::SERIES_RECORDS_EXPOSED;
        let comp_m = &security::SERIES_COMPROMISED_NODES;
        let mut entries = vec![Entry::new(
            Key::Line(exposed_colour, false),
            title::quantity(exposed_m),
        )];
        if d.facts.replications > 1 && y_top > 0.0 {
            entries.push(Entry::new(Key::Swatch(exposed_colour.mix(0.25)), "95 % CI"));
        }
        if compromised.is_some() {
            entries.push(Entry::new(
                Key::Line(comp_colour, true),
                format!("{} (right)", title::quantity(comp_m)),
            ));
        }
        let warm = d.facts.warmup_s / div;
        if warm > 0.0 {
            entries.push(Entry::new(
                Key::Swatch(WARMUP.mix(0.3)),
                "warm-up (not counted)",
            ));
        }
        // Incident markers pool every replication: the legend says so.
        let pooled = if d.facts.replications > 1 {
            " (all runs)"
        } else {
            ""
        };
        for (k, (_, label, m, c)) in INCIDENT_MARKS.iter().enumerate() {
            if marks.iter().any(|(j, _)| *j == k) {
                entries.push(Entry::new(
                    Key::Marker(*m, OKABE_ITO[*c]),
                    format!("{label}{pooled}"),
                ));
            }
        }
        let (w, _) = root.dim_in_pixel();
        let mut frame = Frame::new(style);
        frame.top += legend_room(root, style, &entries);
        let x = Axis::linear(0.0..x1, format!("simulated time ({unit})"));
        let y = Axis::linear(
            0.0..y1,
            title::axis_title(exposed_m, title::Shown::of(exposed_m.unit, y1), None),
        );
        // A mean over replications of whole nodes: fractional, from zero.
        let y2 = compromised.as_ref().map(|_| {
            Axis::linear(
                0.0..nice_ceil((c_top * 1.1).max(1.0)),
                title::axis_title(comp_m, title::Shown::of(comp_m.unit, c_top), None),
            )
        });
        let chart = plot(root, style, &frame, x, y, y2)?;
        warmup_band(root, chart.at(0.0, y1), chart.at(warm.min(x1), 0.0))?;
        if let Some(comp) = &compromised {
            let pts: Vec<(f64, f64)> = comp.points.iter().map(|(t, v)| (t / div, v.mean)).collect();
            let mut steps = Vec::new();
            for (i, p) in pts.iter().enumerate() {
                if i > 0 {
                    steps.push((p.0, pts[i - 1].1));
                }
                steps.push(*p);
            }
            let px: Vec<(i32, i32)> = steps.iter().map(|&(t, v)| chart.at2(t, v)).collect();
            dashed_line(root, style, &px, comp_colour, 1.4, true)?;
        }
        self.exposure(root, style, &|p| chart.at(p.0, p.1), &band, exposed_colour)?;
        self.marks(root, style, &|p| chart.at(p.0, p.1), &marks, y1)?;
        if y_top <= 0.0 && marks.is_empty() && compromised.is_none() {
            let (_, h) = root.dim_in_pixel();
            text(
                root,
                if exposed.is_some() {
                    "no record exposed"
                } else {
                    "no attack reports exposure in this scenario"
                },
                (w as i32 / 2, h as i32 / 2),
                &style.text(),
                HPos::Center,
                VPos::Center,
            )?;
        }
        legend_above(root, style, &entries)
    }
}

/// Maps data coordinates to pixels.
type ToPixel<'a> = &'a dyn Fn(&(f64, f64)) -> (i32, i32);

impl BreachTimeline<'_> {
    fn exposure<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
        to: ToPixel,
        band: &[(f64, f64, f64, f64)],
        colour: RGBColor,
    ) -> Result<(), String> {
        if band.is_empty() {
            return Ok(());
        }
        if band.iter().any(|p| p.3 > p.2) {
            let mut poly: Vec<(i32, i32)> = band.iter().map(|p| to(&(p.0, p.3))).collect();
            poly.extend(band.iter().rev().map(|p| to(&(p.0, p.2))));
            root.draw(&Polygon::new(poly, colour.mix(0.25).filled()))
                .map_err(err)?;
        }
        let line: Vec<(i32, i32)> = band.iter().map(|p| to(&(p.0, p.1))).collect();
        dashed_line(root, style, &line, colour, 1.5, false)
    }

    fn marks<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
        to: ToPixel,
        marks: &[(usize, f64)],
        y1: f64,
    ) -> Result<(), String> {
        for (k, t) in marks {
            let (_, _, m, c) = INCIDENT_MARKS[*k];
            let p = to(&(*t, y1));
            // One row per kind, just under the top of the plot.
            let y = p.1 + style.px(4.0) + *k as i32 * style.px(6.0);
            marker(root, style, m, (p.0, y), OKABE_ITO[c])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testing::{dump, ink};
    use crate::data::{IncidentRow, RunFacts, SeriesRow};

    /// Two replications of a day: exposure grows, two nodes are compromised, one detection.
    pub(crate) fn breach_data() -> ChartData {
        let mut series = Vec::new();
        for rep in 0..2 {
            for h in 0..=24 {
                let t = h as f64 * 3600.0;
                let exposed = if h < 1 {
                    0.0
                } else {
                    (h * 100 + rep * 40) as f64
                };
                let compromised = if (6..18).contains(&h) {
                    1.0 + (h >= 10) as u8 as f64
                } else {
                    0.0
                };
                for (s, v) in [
                    ("records_exposed", exposed),
                    ("compromised_nodes", compromised),
                ] {
                    series.push(SeriesRow {
                        replication: rep,
                        time_s: t,
                        series: s.into(),
                        group: String::new(),
                        value: Some(v),
                    });
                }
            }
        }
        let inc = |rep, h: f64, kind: &str| IncidentRow {
            replication: rep,
            time_s: h * 3600.0,
            kind: kind.into(),
            node: "gateway[0]".into(),
            group: "gateway".into(),
            by: "x".into(),
        };
        ChartData {
            facts: RunFacts {
                scenario: "synthetic".into(),
                replications: 2,
                duration_s: 86400.0,
                warmup_s: 3600.0,
                deadlines_ms: vec![],
            },
            latency: vec![],
            hops: vec![],
            groups: vec![],
            series,
            incidents: vec![
                inc(0, 6.0, "compromise"),
                inc(1, 10.0, "compromise"),
                inc(0, 17.5, "detection"),
                inc(1, 12.0, "false_alarm"),
                inc(1, 20.0, "battery_death"),
            ],
            attacks: vec!["x".into()],
        }
    }

    #[test]
    fn compromises_and_detections_appear_when_attacks_report_them() {
        let data = breach_data();
        let chart = BreachTimeline::new(&data);
        let svg = String::from_utf8(render(&chart, ONE_COLUMN, Format::Svg).unwrap()).unwrap();
        for label in [
            "records exposed (count)",
            "compromised nodes (count)",
            "compromised nodes (right)",
            "compromise",
            "detection",
            "false alarm",
            "simulated time (h)",
        ] {
            assert!(svg.contains(label), "{label}");
        }
        // Battery deaths belong to the battery chart, isolations did not happen.
        assert!(!svg.contains("isolation") && !svg.contains("battery"));
        let png = render(&chart, ONE_COLUMN, Format::Png).unwrap();
        assert!(ink(&png) > 0.02);
        dump("breach_synthetic", &png);
        dump(
            "breach_synthetic_wide",
            &render(&chart, FULL_WIDTH, Format::Png).unwrap(),
        );
    }

    #[test]
    fn without_exposure_or_incidents_the_chart_says_so() {
        let mut data = breach_data();
        // Time series, but none from an attack.
        data.series.retain(|r| r.series == "compromised_nodes");
        for r in &mut data.series {
            r.series = "delivered".into();
        }
        data.incidents.clear();
        let svg = String::from_utf8(
            render(&BreachTimeline::new(&data), ONE_COLUMN, Format::Svg).unwrap(),
        )
        .unwrap();
        assert!(svg.contains("no attack reports exposure in this scenario"));
        data.series.clear();
        data.attacks.clear();
        let svg = String::from_utf8(
            render(&BreachTimeline::new(&data), ONE_COLUMN, Format::Svg).unwrap(),
        )
        .unwrap();
        assert!(svg.contains("no time_grid in this run"), "{svg}");
    }
}
