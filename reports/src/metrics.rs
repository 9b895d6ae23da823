//! Every metric iomtsim reports, found by id among their declarations: the engine's
//! ([`sim_core::metrics::engine`]), the security layer's ([`attacks::metrics`]) and the ones
//! derived from a finished run ([`sim_core::metrics::derived`]). Labels and units of tables
//! and axis titles, the CSV headers and the README's metric tables all come from here.

use sim_core::metrics::declaration::markdown_table;
use sim_core::metrics::{Metric, derived, engine};

/// Every metric a run reports, in output order: the engine's, then the security layer's.
pub const RUN: [&Metric; 63] = {
    let mut out = [&engine::GENERATED; 63];
    let mut i = 0;
    while i < engine::RUN.len() {
        out[i] = engine::RUN[i];
        i += 1;
    }
    let mut k = 0;
    while k < attacks::metrics::RUN.len() {
        out[i + k] = attacks::metrics::RUN[k];
        k += 1;
    }
    assert!(i + k == 63, "RUN holds every engine and security metric");
    out
};

/// Every metric derived from a finished run, in output order: the engine's
/// ([`derived::METRICS`]) with the security layer's ([`attacks::metrics::DERIVED`]) at
/// [`derived::HOOKS_AT`].
pub const DERIVED: [&Metric; 9] = derived::with_hooks(&attacks::metrics::DERIVED);

/// The declaration of the whole-run metric `id` (reported by a run, or derived from one).
pub fn run_metric(id: &str) -> Option<&'static Metric> {
    RUN.iter()
        .chain(DERIVED.iter())
        .copied()
        .find(|m| m.id == id)
}

/// The declaration of the per-group metric `id` (a column of `groups.csv`).
pub fn group_metric(id: &str) -> Option<&'static Metric> {
    engine::GROUP.iter().copied().find(|m| m.id == id)
}

/// The declaration of a metric by id: a whole-run metric first, else a per-group one.
pub fn metric(id: &str) -> Option<&'static Metric> {
    run_metric(id).or_else(|| group_metric(id))
}

/// The declaration behind a sweep's metric key: `group/metric` names a per-group metric,
/// a bare id a whole-run one.
pub fn for_key(key: &str) -> Option<&'static Metric> {
    match key.split_once('/') {
        Some((_, m)) => group_metric(m),
        None => run_metric(key),
    }
}

/// A metric's label as tables show it: indented by two spaces when it is a part of another.
pub fn table_label(m: &Metric) -> String {
    match m.part_of {
        Some(_) => format!("  {}", m.label),
        None => m.label.to_string(),
    }
}

/// A metric's table label and unit by id ([`metric`]); a metric iomtsim does not declare
/// (a results folder of another version) is shown by its id, without a unit.
pub fn metric_label(id: &str) -> (String, &'static str) {
    match metric(id) {
        Some(m) => (table_label(m), m.unit.symbol()),
        None => (id.to_string(), ""),
    }
}

/// Every series of `timeseries.csv`: the engine's, then the security layer's.
pub const SERIES: [&Metric; 15] = {
    let mut out = [&engine::SERIES_ALIVE_NODES; 15];
    let mut i = 0;
    while i < engine::SERIES.len() {
        out[i] = engine::SERIES[i];
        i += 1;
    }
    let mut k = 0;
    while k < attacks::metrics::SERIES.len() {
        out[i + k] = attacks::metrics::SERIES[k];
        k += 1;
    }
    assert!(i + k == 15, "SERIES holds every engine and security series");
    out
};

/// The README's table of the whole-run metrics, generated from [`RUN`].
pub fn readme_run_table() -> String {
    markdown_table("metric", &RUN)
}

/// The README's table of the per-group metrics, generated from [`engine::GROUP`].
pub fn readme_group_table() -> String {
    markdown_table("metric", &engine::GROUP)
}

/// The README's table of the metrics sweeps derive from each run.
pub fn readme_derived_table() -> String {
    markdown_table("metric", &DERIVED)
}

/// The README's table of the series of `timeseries.csv`, generated from [`SERIES`].
pub fn readme_series_table() -> String {
    markdown_table("series", &SERIES)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of the README between `<!-- metrics:NAME -->` and `<!-- /metrics:NAME -->`.
    fn readme_section(readme: &str, name: &str) -> String {
        let start = format!("<!-- metrics:{name} -->\n");
        let end = format!("<!-- /metrics:{name} -->");
        let a = readme
            .find(&start)
            .unwrap_or_else(|| panic!("README.md has no `{start}`"))
            + start.len();
        let b = readme[a..]
            .find(&end)
            .unwrap_or_else(|| panic!("README.md has no `{end}`"));
        readme[a..a + b].to_string()
    }

    /// The README's metric tables are the declarations': a metric added, renamed or
    /// re-documented without the README fails here, with the table to paste.
    #[test]
    fn the_readme_tables_are_generated_from_the_declarations() {
        let readme = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"));
        for (name, table) in [
            ("run", readme_run_table()),
            ("group", readme_group_table()),
            ("derived", readme_derived_table()),
            ("series", readme_series_table()),
        ] {
            assert!(
                readme_section(readme, name) == table,
                "README.md's `metrics:{name}` table is out of date; it should read:\n{table}"
            );
        }
    }

    #[test]
    fn ids_are_unique_and_documented_and_parts_belong_to_a_declared_whole() {
        for list in [&RUN[..], &DERIVED[..], &engine::GROUP[..], &SERIES[..]] {
            for (i, m) in list.iter().enumerate() {
                assert!(
                    !list[..i].iter().any(|o| o.id == m.id),
                    "{} is declared twice",
                    m.id
                );
                assert!(!m.doc.is_empty() && !m.doc.contains('\n') && !m.doc.contains('|'));
                assert!(!m.label.is_empty(), "{}", m.id);
                if let Some(whole) = m.part_of {
                    // A derived percentile is a part of the run's mean it refines.
                    let declared = list.iter().chain(RUN.iter()).any(|o| o.id == whole);
                    assert!(declared, "{} of {whole}", m.id);
                }
            }
        }
        for d in DERIVED {
            assert!(run_metric(d.id).is_some() && !RUN.iter().any(|m| m.id == d.id));
        }
    }

    #[test]
    fn labels_and_units_come_from_the_declarations_never_from_the_name() {
        assert_eq!(
            metric_label("latency_ms"),
            ("End-to-end latency, mean".into(), "ms")
        );
        assert_eq!(metric_label("sensor_cpu_j"), ("  of which CPU".into(), "J"));
        assert_eq!(metric_label("breach_cost_usd").1, "USD");
        assert_eq!(metric_label("lifetime_days").1, "days");
        // Not declared: its id, no unit guessed from `_ms`.
        assert_eq!(metric_label("queue_wait_ms"), ("queue_wait_ms".into(), ""));
        // A per-group key reads the group's declaration, a bare id the run's.
        assert_eq!(
            for_key("ecg/energy_j").unwrap().label,
            "Energy, all nodes of the group"
        );
        assert_eq!(
            for_key("energy_j").unwrap().label,
            "Energy, all metered devices"
        );
        assert!(for_key("latency_p99_ms").is_some() && for_key("ecg/latency_ms").is_none());
    }

    #[test]
    fn the_headline_and_the_files_name_declared_metrics() {
        for id in crate::HEADLINE {
            assert!(run_metric(id).is_some(), "{id}");
        }
        for id in &crate::data::headers::PATIENTS[3..] {
            assert!(run_metric(id).is_some(), "{id}");
        }
    }
}
