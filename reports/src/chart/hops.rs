//! Latency per hop: one horizontal box per link group and station group, in the order packets
//! meet them, coloured by layer. Box: quartiles; line: median; whiskers: 5th to 95th
//! percentile; circle: mean. All replications pooled.

use super::*;
use crate::data::{ChartData, HopRow};

/// The per-hop latency box plot (`hop_latency`).
pub struct HopLatency<'a> {
    data: &'a ChartData,
}

impl<'a> HopLatency<'a> {
    /// The chart of a results folder's hops.
    pub fn new(data: &'a ChartData) -> Self {
        HopLatency { data }
    }
}

/// The colour of a layer: sensing orange, network sky blue, cloud bluish green.
pub fn layer_colour(layer: &str) -> RGBColor {
    match layer {
        "sensing" => OKABE_ITO[1],
        "network" => OKABE_ITO[2],
        "cloud" => OKABE_ITO[3],
        _ => OKABE_ITO[7],
    }
}

/// The label of a hop on the chart: a station by its group, a link with "link".
pub fn hop_label(h: &HopRow) -> String {
    if h.kind == "link" {
        format!("{} link", h.hop)
    } else {
        h.hop.clone()
    }
}

/// Whether the spread of `hops` calls for a logarithmic axis (more than 50× between the
/// smallest 5th percentile and the largest 95th).
pub fn wants_log(hops: &[&HopRow]) -> Option<(f64, f64)> {
    let lo = hops
        .iter()
        .filter_map(|h| h.quantiles_ms[0])
        .fold(f64::INFINITY, f64::min);
    let hi = hops
        .iter()
        .map(|h| {
            h.quantiles_ms[4]
                .unwrap_or(0.0)
                .max(h.mean_ms.unwrap_or(0.0))
        })
        .fold(0.0f64, f64::max);
    (lo > 0.0 && hi / lo > 50.0).then_some((lo, hi))
}

/// The note of a run where no measured packet crossed a hop.
const NO_HOP: [&str; 2] = [
    "No packet crossed a link or a station",
    "in the measured window.",
];

impl HopLatency<'_> {
    /// Why the chart has nothing to show (two lines of a note), `None` when it has: no
    /// measured packet crossed a link or a station.
    pub fn absent(&self) -> Option<[&'static str; 2]> {
        (!self.data.hops.iter().any(|h| h.observations > 0)).then_some(NO_HOP)
    }
}

impl Chart for HopLatency<'_> {
    fn name(&self) -> &'static str {
        "hop_latency"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let hops: Vec<&HopRow> = self
            .data
            .hops
            .iter()
            .filter(|h| h.observations > 0)
            .collect();
        if hops.is_empty() {
            return empty_note(root, style, &NO_HOP);
        }
        let mut layers: Vec<&str> = Vec::new();
        for h in &hops {
            if !layers.contains(&h.layer.as_str()) {
                layers.push(&h.layer);
            }
        }
        let mut entries: Vec<Entry> = layers
            .iter()
            .map(|l| Entry::new(Key::Swatch(layer_colour(l).mix(0.55)), format!("{l} layer")))
            .collect();
        entries.push(Entry::new(Key::Marker(Marker::Circle, BLACK), "mean"));
        entries.push(Entry::new(
            Key::Line(BLACK, false),
            "median, quartiles, 5–95 %",
        ));

        let font = style.text();
        let labels: Vec<String> = hops.iter().map(|h| hop_label(h)).collect();
        let mut frame = Frame::row_labels(style, labels.iter().map(String::as_str));
        frame.top += legend_room(root, style, &entries);
        let n = hops.len() as f64;
        let x = match wants_log(&hops) {
            Some((lo, hi)) => Axis::log(lo, hi * 1.05, "time spent in the hop (ms, log scale)"),
            None => {
                let hi = hops
                    .iter()
                    .map(|h| {
                        h.quantiles_ms[4]
                            .unwrap_or(0.0)
                            .max(h.mean_ms.unwrap_or(0.0))
                    })
                    .fold(0.0f64, f64::max);
                Axis::linear(0.0..nice_ceil(hi * 1.05), "time spent in the hop (ms)")
                    .ticks(x_ticks(style))
            }
        };
        // Box rows: hop i (from the top) spans y ∈ [n − i − 1, n − i].
        let row = |i: usize| n - i as f64 - 0.5;
        let half = 0.3;
        let mut boxes: Vec<[(i32, i32); 8]> = Vec::new();
        let mut plot_boxes = |to: &dyn Fn(f64, f64) -> (i32, i32)| {
            for (i, h) in hops.iter().enumerate() {
                let q = |k: usize| h.quantiles_ms[k].unwrap_or(0.0);
                let y = row(i);
                boxes.push([
                    to(q(1), y + half),
                    to(q(3), y - half),
                    to(q(2), y + half),
                    to(q(2), y - half),
                    to(q(0), y),
                    to(q(4), y),
                    to(h.mean_ms.unwrap_or(q(2)), y),
                    to(0.0, y),
                ]);
            }
        };
        let chart = plot(
            root,
            style,
            &frame,
            x,
            Axis::linear(0.0..n, "").bare(),
            None,
        )?;
        let left_x = chart.at(chart.x.range.start, 0.0).0;
        plot_boxes(&|x, y| chart.at(x, y));
        for (i, (h, b)) in hops.iter().zip(&boxes).enumerate() {
            let colour = layer_colour(&h.layer);
            let [q1, q3, m_top, m_bottom, p05, p95, mean, _] = *b;
            let cap = style.px(2.2);
            let whisker = style.line(BLACK, 0.8);
            for (from, to) in [(p05, (q1.0, p05.1)), ((q3.0, p95.1), p95)] {
                root.draw(&PathElement::new(vec![from, to], whisker))
                    .map_err(err)?;
            }
            for p in [p05, p95] {
                root.draw(&PathElement::new(
                    vec![(p.0, p.1 - cap), (p.0, p.1 + cap)],
                    whisker,
                ))
                .map_err(err)?;
            }
            let (l, r) = (q1.0.min(q3.0), q1.0.max(q3.0).max(q1.0.min(q3.0) + 1));
            root.draw(&Rectangle::new(
                [(l, q1.1), (r, q3.1)],
                colour.mix(0.55).filled(),
            ))
            .map_err(err)?;
            root.draw(&Rectangle::new(
                [(l, q1.1), (r, q3.1)],
                style.line(BLACK, 0.8),
            ))
            .map_err(err)?;
            root.draw(&PathElement::new(
                vec![m_top, m_bottom],
                style.line(BLACK, 1.6),
            ))
            .map_err(err)?;
            marker(root, style, Marker::Circle, mean, BLACK)?;
            text(
                root,
                &labels[i],
                (left_x - style.px(4.0), p05.1),
                &font,
                HPos::Right,
                VPos::Center,
            )?;
        }
        legend_above(root, style, &entries)
    }
}
