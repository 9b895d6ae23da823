//! The top of a run's page: the headline metrics with their 95 % intervals, the spread
//! warnings of `summary.json`, and every metric in a table that opens on request.

use super::page::{Cell, esc, table};
use crate::chart::sig;
use crate::tables::{metric_label, round_pair};
use serde_json::Value;
use std::fmt::Write;

/// A metric's summary object of `summary.json` as a table cell: `mean ± half-width` rounded
/// together ([`round_pair`]), the mean alone without an interval, `—` when never defined.
pub fn summary_cell(o: &Value) -> Cell {
    let mean = o["mean"].as_f64();
    match (mean, o["ci95_half_width"].as_f64()) {
        (Some(m), Some(h)) => {
            let (m_txt, h_txt) = round_pair(m, h);
            Cell::num(format!("{m_txt} ± {h_txt}"), Some(m))
        }
        (Some(m), None) => Cell::num(sig(m, 6), Some(m)),
        (None, _) => Cell::num("—", None),
    }
}

/// The range over replications of a summary object, `min – max`, or `—` with fewer than two.
fn range_cell(o: &Value) -> Cell {
    match (o["n"].as_u64(), o["min"].as_f64(), o["max"].as_f64()) {
        (Some(n), Some(lo), Some(hi)) if n > 1 => {
            Cell::num(format!("{} – {}", sig(lo, 4), sig(hi, 4)), Some(lo))
        }
        _ => Cell::num("—", None),
    }
}

fn metric_row(name: &str, o: &Value) -> Vec<Cell> {
    let (label, unit) = metric_label(name);
    vec![
        Cell::text(label.trim()),
        Cell::code(name),
        Cell::text(unit),
        Cell::num(o["n"].as_u64().unwrap_or(0).to_string(), None),
        summary_cell(o),
        range_cell(o),
    ]
}

const HEADER: [&str; 6] = [
    "metric",
    "name",
    "unit",
    "n",
    "mean ± 95 % CI",
    "range over replications",
];

/// The headline section's markup: the [`crate::HEADLINE`] metrics (those only attacks move
/// left out of a scenario without attacks), the spread warnings, and every metric in a
/// `<details>` element.
pub fn headline(summary: &Value, has_attacks: bool) -> String {
    let metrics = &summary["metrics"];
    let n = summary["replications"].as_u64().unwrap_or(0);
    let mut s = String::new();
    let intervals = if n > 1 {
        format!(
            "Mean ± half-width of the 95 % Student-t confidence interval over {n} replications; n counts the replications where the metric is defined."
        )
    } else {
        "One replication: no confidence interval (run with --replications 2 or more).".into()
    };
    let _ = writeln!(s, "<p>{}</p>", esc(&intervals));
    if let Some(warnings) = summary["spread_warnings"]
        .as_array()
        .filter(|w| !w.is_empty())
    {
        s.push_str("<div class=\"warn\" role=\"note\">\n<p><strong>The replications disagree</strong> more than their intervals suggest; the means below may mislead:</p>\n<ul>\n");
        for w in warnings {
            let _ = writeln!(s, "<li>{}.</li>", esc(w["text"].as_str().unwrap_or("")));
        }
        s.push_str("</ul>\n</div>\n");
    }
    let shown = if has_attacks {
        crate::HEADLINE.len()
    } else {
        crate::HEADLINE_ATTACKS + 1
    };
    let rows: Vec<Vec<Cell>> = crate::HEADLINE[..shown]
        .iter()
        .filter(|m| metrics.get(**m).is_some())
        .map(|m| metric_row(m, &metrics[*m]))
        .collect();
    s.push_str(&table("Headline metrics", &HEADER, &rows, true));
    if let Some(all) = metrics.as_object() {
        let rows: Vec<Vec<Cell>> = all.iter().map(|(m, o)| metric_row(m, o)).collect();
        let _ = writeln!(
            s,
            "<details>\n<summary>Every metric ({})</summary>",
            rows.len()
        );
        s.push_str(&table("Every metric of summary.json", &HEADER, &rows, true));
        s.push_str("</details>\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_round_the_mean_to_its_interval() {
        let c = summary_cell(&json!({"n": 5, "mean": 59.4538, "ci95_half_width": 0.0634}));
        let t = super::super::page::table("t", &["x"], &[vec![c]], false);
        assert!(t.contains(">59.454 ± 0.063<"), "{t}");
        let c = summary_cell(&json!({"n": 1, "mean": 4.0, "ci95_half_width": null}));
        let t = super::super::page::table("t", &["x"], &[vec![c]], false);
        assert!(t.contains(">4<"), "{t}");
    }

    #[test]
    fn the_headline_shows_spread_warnings_and_skips_attack_metrics_without_attacks() {
        let summary = json!({
            "replications": 3,
            "metrics": {
                "latency_ms": {"n": 3, "mean": 10.0, "ci95_half_width": 1.0, "min": 9.0, "max": 11.0},
                "records_exposed": {"n": 3, "mean": 0.0, "ci95_half_width": 0.0, "min": 0.0, "max": 0.0},
                "breach_cost_usd": {"n": 3, "mean": 0.0, "ci95_half_width": 0.0, "min": 0.0, "max": 0.0}
            },
            "spread_warnings": [{"text": "latency_ms: <two> clusters"}]
        });
        let h = headline(&summary, false);
        assert!(h.contains("latency_ms: &lt;two&gt; clusters."), "{h}");
        let headline_table = h.split("<details>").next().unwrap();
        assert!(headline_table.contains("records_exposed"));
        assert!(
            !headline_table.contains("breach_cost_usd"),
            "{headline_table}"
        );
        assert!(
            headline(&summary, true)
                .split("<details>")
                .next()
                .unwrap()
                .contains("breach_cost_usd")
        );
    }
}
