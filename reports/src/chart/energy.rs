//! Energy per node group: for each group, the mean energy one of its nodes spent after the
//! warm-up, stacked by component (radio TX, radio RX, CPU, cryptography, sleep), with the 95 %
//! interval of the total. One panel per layer and power source (battery or mains), each on its
//! own scale, since a gateway's watts and a sensor's microwatts do not share an axis, and a
//! battery's budget is not a mains device's bill.

use super::*;
use crate::data::{ChartData, GroupSummary, summarise_groups};
use sim_core::metrics::engine;

/// The energy breakdown chart (`energy_breakdown`).
pub struct EnergyBreakdown<'a> {
    data: &'a ChartData,
}

impl<'a> EnergyBreakdown<'a> {
    /// The chart of a results folder's node groups.
    pub fn new(data: &'a ChartData) -> Self {
        EnergyBreakdown { data }
    }
}

/// Components in stacking order (bottom first): their `groups.csv` metric and colour.
pub const COMPONENTS: [(&sim_core::metrics::Metric, usize); 5] = [
    (&engine::GROUP_RADIO_TX_J, 5),
    (&engine::GROUP_RADIO_RX_J, 2),
    (&engine::GROUP_CPU_J, 6),
    (&engine::GROUP_CRYPTO_J, 3),
    (&engine::GROUP_SLEEP_J, 1),
];

/// A component's name in the legend: its metric's label, lower case unless it opens with an
/// acronym (`radio TX`, `CPU`, `crypto`).
pub fn component_name(m: &sim_core::metrics::Metric) -> String {
    let first = m.label.split(' ').next().unwrap_or("");
    if first.len() > 1 && first.chars().all(|c| c.is_ascii_uppercase()) {
        m.label.to_string()
    } else {
        let mut c = m.label.chars();
        c.next().map_or(String::new(), |f| {
            f.to_lowercase().collect::<String>() + c.as_str()
        })
    }
}

/// A scale for joules: (divisor, unit) so that `max / divisor` reads between 1 and 1000.
pub fn joule_unit(max: f64) -> (f64, &'static str) {
    if max >= 1e3 {
        (1e3, "kJ")
    } else if max >= 1.0 {
        (1.0, "J")
    } else if max >= 1e-3 {
        (1e-3, "mJ")
    } else {
        (1e-6, "µJ")
    }
}

/// One bar: a group's mean energy per node by component, and the total's half-width.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// The group.
    pub group: String,
    /// Its layer.
    pub layer: String,
    /// Whether its nodes run on batteries (else mains).
    pub battery: bool,
    /// Mean joules per node, in [`COMPONENTS`] order.
    pub parts: [f64; 5],
    /// Half-width of the 95 % interval of the total per node, if there is one.
    pub half_width: Option<f64>,
}

/// The bars of the groups that spent anything.
pub fn bars(groups: &[GroupSummary]) -> Vec<Bar> {
    groups
        .iter()
        .filter_map(|g| {
            let per_node = f64::from(g.nodes.max(1));
            let parts = COMPONENTS.map(|(m, _)| g.metric(m.id).map_or(0.0, |s| s.mean / per_node));
            let total: f64 = parts.iter().sum();
            (total > 0.0).then(|| Bar {
                group: g.group.clone(),
                layer: g.layer.clone(),
                battery: g.battery_nodes > 0,
                parts,
                half_width: g
                    .metric(engine::GROUP_ENERGY_PER_NODE_J.id)
                    .and_then(|s| s.ci95_half_width),
            })
        })
        .collect()
}

/// The note of a run where no metered device spent energy.
const NO_ENERGY: [&str; 2] = ["No metered device spent energy", "in the measured window."];

impl EnergyBreakdown<'_> {
    /// Why the chart has nothing to show (two lines of a note), `None` when it has: no group
    /// of metered devices spent energy after the warm-up.
    pub fn absent(&self) -> Option<[&'static str; 2]> {
        bars(&summarise_groups(&self.data.groups))
            .is_empty()
            .then_some(NO_ENERGY)
    }
}

impl Chart for EnergyBreakdown<'_> {
    fn name(&self) -> &'static str {
        "energy_breakdown"
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        style: &Style,
    ) -> Result<(), String> {
        let bars = bars(&summarise_groups(&self.data.groups));
        if bars.is_empty() {
            return empty_note(root, style, &NO_ENERGY);
        }
        // Panels: layer by layer in the architecture's order, battery before mains.
        let mut layers: Vec<(&str, bool)> = Vec::new();
        let order = ["sensing", "network", "cloud"];
        let rank = |l: &str| order.iter().position(|o| *o == l).unwrap_or(order.len());
        let mut keys: Vec<(usize, &str, bool)> = bars
            .iter()
            .map(|b| (rank(&b.layer), b.layer.as_str(), !b.battery))
            .collect();
        keys.sort();
        keys.dedup();
        layers.extend(keys.into_iter().map(|(_, l, mains)| (l, !mains)));
        let on = |b: &Bar, key: &(&str, bool)| b.layer == key.0 && b.battery == key.1;
        let used: Vec<usize> = (0..5)
            .filter(|&c| bars.iter().any(|b| b.parts[c] > 0.0))
            .collect();
        let mut entries: Vec<Entry> = used
            .iter()
            .map(|&c| {
                let (metric, colour) = COMPONENTS[c];
                let name = component_name(metric);
                Entry::new(Key::Swatch(OKABE_ITO[colour].into()), name)
            })
            .collect();
        if bars.iter().any(|b| b.half_width.is_some()) {
            entries.push(Entry::new(Key::Line(BLACK, false), "95 % CI of the total"));
        }
        let (w, h) = root.dim_in_pixel();
        let top = style.px(4.0) + legend_room(root, style, &entries);
        legend_above(root, style, &entries)?;
        let body = root.margin(top as u32, 0, 0, 0);
        // Panels share the width in proportion to their bars, plus each one's y axis.
        let y_area = Frame::new(style).y_area;
        let weights: Vec<f64> = layers
            .iter()
            .map(|l| bars.iter().filter(|b| on(b, l)).count() as f64 + 0.6)
            .collect();
        let total_w: f64 = weights.iter().sum();
        let free = w as f64 - y_area as f64 * layers.len() as f64;
        let mut breaks = Vec::new();
        let mut x = 0.0;
        for wt in &weights[..weights.len() - 1] {
            x += y_area as f64 + free * wt / total_w;
            breaks.push(x.round() as i32);
        }
        let panels = body.split_by_breakpoints(breaks, Vec::<i32>::new());
        let _ = h;
        // Each panel's scale and labels first, so that every panel's axis sits at one height.
        struct Panel<'b> {
            mine: Vec<&'b Bar>,
            div: f64,
            title: String,
            y_max: f64,
            y_area: i32,
            layout: CategoryLabels,
        }
        let plans: Vec<Panel> = panels
            .iter()
            .zip(&layers)
            .map(|(panel, layer)| {
                let mine: Vec<&Bar> = bars.iter().filter(|b| on(b, layer)).collect();
                let top_value = mine
                    .iter()
                    .map(|b| b.parts.iter().sum::<f64>() + b.half_width.unwrap_or(0.0))
                    .fold(0.0f64, f64::max);
                let per_node = &sim_core::metrics::engine::GROUP_ENERGY_PER_NODE_J;
                let shown = title::Shown::of(per_node.unit, top_value);
                let div = shown.div;
                let title = title::axis_title(per_node, shown, None);
                let y_max = nice_ceil(top_value / div * 1.05);
                let y_area = frame::label_area(style, &Axis::linear(0.0..y_max, title.as_str()));
                let labels: Vec<&str> = mine.iter().map(|b| b.group.as_str()).collect();
                let (pw, _) = panel.dim_in_pixel();
                let slot = (pw as i32 - y_area - style.px(4.0)) / mine.len().max(1) as i32;
                let layout = CategoryLabels::new(style, &labels, slot);
                Panel {
                    mine,
                    div,
                    title,
                    y_max,
                    y_area,
                    layout,
                }
            })
            .collect();
        let label_h = plans
            .iter()
            .map(|p| p.layout.height(style))
            .max()
            .unwrap_or(0);
        for ((panel, layer), plan) in panels.iter().zip(&layers).zip(&plans) {
            let Panel {
                mine,
                div,
                title,
                y_max,
                y_area,
                layout,
            } = plan;
            let (div, y_max) = (*div, *y_max);
            let mut frame = Frame::new(style);
            frame.top = style.px(TEXT_PT * 1.6);
            frame.right = style.px(4.0);
            frame.y_area = *y_area;
            frame.x_area = label_h + style.px(AXIS_PT * 1.3 + 8.0);
            let k = mine.len() as f64;
            let source = if layer.1 { "battery" } else { "mains" };
            let x = Axis::linear(0.0..k, format!("{} layer ({source})", layer.0)).bare();
            let y = Axis::linear(0.0..y_max, title.as_str());
            let Plot { mut chart, .. } = plot(panel, style, &frame, x, y, None)?;
            for (i, b) in mine.iter().enumerate() {
                let (l, r) = (i as f64 + 0.2, i as f64 + 0.8);
                let mut base = 0.0;
                for &c in &used {
                    let v = b.parts[c] / div;
                    if v > 0.0 {
                        chart
                            .draw_series(std::iter::once(Rectangle::new(
                                [(l, base), (r, base + v)],
                                OKABE_ITO[COMPONENTS[c].1].filled(),
                            )))
                            .map_err(err)?;
                    }
                    base += v;
                }
                if let Some(hw) = b.half_width {
                    let (lo, hi) = ((base - hw / div).max(0.0), base + hw / div);
                    let mid = i as f64 + 0.5;
                    let cap = 0.08;
                    let line = style.line(BLACK, 0.8);
                    chart
                        .draw_series([
                            PathElement::new(vec![(mid, lo), (mid, hi)], line),
                            PathElement::new(vec![(mid - cap, lo), (mid + cap, lo)], line),
                            PathElement::new(vec![(mid - cap, hi), (mid + cap, hi)], line),
                        ])
                        .map_err(err)?;
                }
                let (px, py) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
                layout.draw(root, style, i, (px, py + style.px(3.0)))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_names_the_components_from_their_declarations() {
        let names: Vec<String> = COMPONENTS.iter().map(|(m, _)| component_name(m)).collect();
        assert_eq!(names, ["radio TX", "radio RX", "CPU", "crypto", "sleep"]);
        // Every energy component of a group is charted, in the declarations' order.
        let parts: Vec<&str> = sim_core::metrics::engine::GROUP
            .iter()
            .filter(|m| m.part_of == Some(engine::GROUP_ENERGY_J.id))
            .map(|m| m.id)
            .collect();
        assert_eq!(parts, COMPONENTS.map(|(m, _)| m.id));
    }
}
