//! Charts, drawn with plotters as SVG. Colours are the Okabe–Ito palette, distinguishable under
//! every common form of colour blindness; every axis names its quantity and unit.

use crate::aggregate::Aggregate;
use plotters::prelude::*;
use sim_core::LatencyStats;

/// Okabe–Ito colours: black, orange, sky blue, bluish green, blue, vermillion, reddish purple.
pub const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0x00, 0x00, 0x00),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
];

/// Points (latency ms, cumulative fraction) of a latency distribution, at most `max_points`.
pub fn cdf_points(l: &LatencyStats, max_points: usize) -> Vec<(f64, f64)> {
    let all: Vec<(f64, f64)> = l
        .histogram
        .iter_recorded()
        .map(|v| (v.value_iterated_to() as f64 * 1e-3, v.percentile() / 100.0))
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

/// The latency CDF of all traffic and of alarms, with the alarm deadline marked, as SVG text.
pub fn latency_cdf_svg(
    agg: &Aggregate,
    deadline_ms: Option<f64>,
    title: &str,
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let series: Vec<(&str, Vec<(f64, f64)>)> = [
            ("all traffic", &agg.latency),
            ("alarms", &agg.alarm_latency),
        ]
        .into_iter()
        .filter(|(_, l)| l.count > 0)
        .map(|(name, l)| (name, cdf_points(l, 1000)))
        .collect();
        let p999 = if agg.latency.count > 0 {
            agg.latency.histogram.value_at_quantile(0.999) as f64 * 1e-3
        } else {
            1.0
        };
        let x_max = (p999.max(deadline_ms.unwrap_or(0.0)) * 1.1).max(1e-3);
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{title}: end-to-end latency"), ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(48)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..x_max, 0.0..1.0)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc("latency, sensing to storage (ms)")
            .y_desc("fraction of packets delivered")
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, (name, pts)) in series.iter().enumerate() {
            let colour = OKABE_ITO[[4, 5][i % 2]];
            chart
                .draw_series(LineSeries::new(pts.iter().copied(), colour.stroke_width(2)))
                .map_err(|e| e.to_string())?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
                });
        }
        if let Some(d) = deadline_ms {
            let grey = OKABE_ITO[0].mix(0.6);
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(d, 0.0), (d, 1.0)],
                    6,
                    4,
                    grey.stroke_width(1),
                ))
                .map_err(|e| e.to_string())?
                .label(format!("alarm deadline {d} ms"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], grey));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 15))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::SimTime;

    #[test]
    fn cdf_rises_to_one_and_is_thinned() {
        let mut l = LatencyStats::default();
        for ms in 1..=5000u64 {
            l.record(SimTime::from_micros(ms * 37));
        }
        let pts = cdf_points(&l, 100);
        assert!(pts.len() <= 101);
        assert!(pts.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
        assert!((pts.last().unwrap().1 - 1.0).abs() < 1e-12);
    }
}
