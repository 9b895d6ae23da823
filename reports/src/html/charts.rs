//! Charts in the page: each SVG the chart code draws, inline in a `<figure>` with a
//! `<figcaption>`, labelled for screen readers (`role="img"` and a `<title>`), and the
//! captions of a run's charts, written from the metric declarations
//! ([`crate::tables::metric_label`]) and the run's facts.

use super::page::{esc, slug};
use crate::tables::metric_label;
use attacks::metrics as security;
use sim_core::metrics::engine;
use std::fmt::Write;

/// The one-column size's physical width and height, replaced by the style sheet's fluid width
/// (the viewBox keeps the aspect ratio).
fn strip_size(svg: &str) -> Option<(&str, &str)> {
    let open = svg.find("<svg")?;
    let end = open + svg[open..].find('>')?;
    Some((&svg[open..end], &svg[end + 1..]))
}

/// Drops ` name="…"` from an opening tag.
fn drop_attr(tag: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    match tag.find(&key) {
        Some(i) => match tag[i + key.len()..].find('"') {
            Some(len) => format!("{}{}", &tag[..i], &tag[i + key.len() + len + 1..]),
            None => tag.to_string(),
        },
        None => tag.to_string(),
    }
}

/// A chart as an inline figure: the SVG `svg` (as the chart code drew it) with `alt` as its
/// accessible name, `caption` under it; `metric`, when given, tags the figure for a sweep's
/// chart switch. `id` must be unique in the page.
pub fn figure(id: &str, svg: &[u8], alt: &str, caption: &str, metric: Option<&str>) -> String {
    let id = slug(id);
    let text = String::from_utf8_lossy(svg);
    let mut s = String::new();
    let _ = write!(s, "<figure id=\"fig-{id}\"");
    if let Some(m) = metric {
        let _ = write!(s, " data-metric=\"{}\"", esc(m));
    }
    s.push_str(">\n");
    match strip_size(&text) {
        Some((tag, rest)) => {
            let tag = drop_attr(&drop_attr(tag, "width"), "height");
            let _ = write!(
                s,
                "{tag} role=\"img\" aria-labelledby=\"t-{id}\" focusable=\"false\"><title id=\"t-{id}\">{}</title>{}",
                esc(alt),
                rest.trim_end()
            );
        }
        None => {
            let _ = write!(s, "<p>{}</p>", esc(alt));
        }
    }
    let _ = writeln!(s, "\n<figcaption>{}</figcaption>\n</figure>", esc(caption));
    s
}

/// A metric's quantity for a caption: its label without the statistic after a comma, lower
/// case after the first word where that is plain English, with its unit.
pub fn quantity(metric: &str) -> String {
    let (label, unit) = metric_label(metric);
    let label = label.trim();
    let head = label.split(", ").next().unwrap_or(label);
    let head = head.split(" (").next().unwrap_or(head);
    if unit.is_empty() {
        head.to_string()
    } else {
        format!("{head} ({unit})")
    }
}

/// What a run's caption needs to know beyond the chart's name.
pub struct RunFacts<'a> {
    /// Replications behind the run.
    pub replications: usize,
    /// The deadlines of the traffic classes that have one: (class, ms).
    pub deadlines_ms: &'a [(String, f64)],
    /// The warm-up excluded from the statistics, seconds.
    pub warmup_s: f64,
}

/// The caption of the run chart `stem` (one of [`crate::plot::CHARTS`]), and its short
/// accessible name.
pub fn run_caption(stem: &str, f: &RunFacts) -> (String, String) {
    let reps = match f.replications {
        1 => "the one replication".to_string(),
        n => format!("all {n} replications"),
    };
    let deadlines = if f.deadlines_ms.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = f
            .deadlines_ms
            .iter()
            .map(|(c, d)| format!("{c} {} ms", crate::chart::sig(*d, 6)))
            .collect();
        format!(" Dashed lines: the deadlines ({}).", list.join(", "))
    };
    let latency = quantity(engine::LATENCY_MS.id);
    match stem {
        "latency_cdf" => (
            format!(
                "Cumulative distribution of {} per traffic class: every delivered packet of {reps} pooled.{deadlines}",
                lower(&latency)
            ),
            "Latency CDF per traffic class".into(),
        ),
        "latency_ccdf" => (
            format!(
                "The tail of {}: per traffic class, the fraction of delivered packets slower than x, on a log axis (p99 and p99.9 are read off it); {reps} pooled.{deadlines}",
                lower(&latency)
            ),
            "Latency tail (CCDF) per traffic class".into(),
        ),
        "hop_latency" => (
            format!(
                "Time per hop (ms), one box per link group and station group in path order, coloured by layer: box = quartiles, bar = median, whiskers = 5th–95th percentile, circle = mean; {reps} pooled."
            ),
            "Latency per hop".into(),
        ),
        "energy_breakdown" => (
            format!(
                "{} of each node group after the {} s warm-up, stacked by radio TX, radio RX, CPU, cryptography and sleep, with the 95 % interval of the total over {reps}.",
                quantity(engine::GROUP_ENERGY_PER_NODE_J.id),
                crate::chart::sig(f.warmup_s, 6)
            ),
            "Energy per node by component and group".into(),
        ),
        "battery" => (
            format!(
                "{} over time per group with batteries: group mean (solid) and its lowest node (dashed), averaged over {reps}; battery deaths marked ×, the warm-up shaded.",
                quantity(engine::GROUP_BATTERY_LEFT_MEAN_FRACTION.id)
            ),
            "Battery left over time per group".into(),
        ),
        "breach_timeline" => (
            format!(
                "Cumulative {} (mean over {reps} with its 95 % band); {} on the right axis; compromise, detection, false-alarm, isolation, outage and recovery instants along the top.",
                lower(&quantity(security::RECORDS_EXPOSED.id)),
                lower(&quantity(security::COMPROMISED_NODES_MAX.id))
            ),
            "Breach timeline: records exposed and compromised nodes".into(),
        ),
        other => (other.replace('_', " "), other.replace('_', " ")),
    }
}

/// The charts a run left out for want of data, as a list under the figures: each chart's
/// file name and why it has nothing to show.
pub fn absent_list(absent: &[crate::plot::Absent]) -> String {
    let mut s = String::from(
        "<p>Not drawn, for want of data (no file in plots/; manifest.json lists them under charts_absent):</p>\n<ul class=\"absent\">\n",
    );
    for a in absent {
        let _ = writeln!(
            s,
            "<li><code>{}</code>: {}</li>",
            esc(a.chart),
            esc(&a.reason)
        );
    }
    s.push_str("</ul>\n");
    s
}

/// `s` with its first letter in lower case, unless the first word is an acronym (`ECG`).
pub fn lower(s: &str) -> String {
    let first_word = s.split(' ').next().unwrap_or("");
    if first_word.len() > 1 && first_word.chars().all(|c| !c.is_lowercase()) {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = "<svg width=\"3.5in\" height=\"2.6in\" viewBox=\"0 0 1050 780\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect x=\"0\"/>\n</svg>\n";

    #[test]
    fn a_figure_keeps_the_drawing_and_gains_a_name_and_a_caption() {
        let f = figure(
            "latency_cdf",
            SVG.as_bytes(),
            "Latency <CDF>",
            "A caption & more",
            Some("m"),
        );
        assert!(
            f.starts_with("<figure id=\"fig-latency-cdf\" data-metric=\"m\">"),
            "{f}"
        );
        assert!(f.contains("<svg viewBox=\"0 0 1050 780\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"t-latency-cdf\""), "{f}");
        assert!(
            f.contains("<title id=\"t-latency-cdf\">Latency &lt;CDF&gt;</title>"),
            "{f}"
        );
        assert!(f.contains("<rect x=\"0\"/>\n</svg>"), "{f}");
        assert!(
            f.contains("<figcaption>A caption &amp; more</figcaption>"),
            "{f}"
        );
        assert!(!f.contains("3.5in"), "the page sizes the chart: {f}");
    }

    #[test]
    fn the_charts_not_drawn_are_listed_with_why() {
        let list = absent_list(&[crate::plot::Absent {
            chart: "battery",
            reason: "No battery <here> & now.".into(),
        }]);
        assert!(list.contains("charts_absent"), "{list}");
        assert!(
            list.contains("<li><code>battery</code>: No battery &lt;here&gt; &amp; now.</li>"),
            "{list}"
        );
    }

    #[test]
    fn captions_come_from_the_metric_declarations() {
        let facts = RunFacts {
            replications: 5,
            deadlines_ms: &[("alarm".into(), 100.0)],
            warmup_s: 120.0,
        };
        let (c, _) = run_caption("latency_cdf", &facts);
        assert!(c.contains("end-to-end latency (ms)"), "{c}");
        assert!(c.contains("all 5 replications"), "{c}");
        assert!(c.contains("alarm 100 ms"), "{c}");
        let (c, _) = run_caption("breach_timeline", &facts);
        assert!(c.contains("records exposed (records)"), "{c}");
        assert_eq!(quantity("energy_per_node_j"), "Energy per node (J)");
    }
}
