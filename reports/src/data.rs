//! The data files of a results folder that the charts are drawn from, with a writer and a
//! reader for each: `latency_distribution.csv`, `hop_latency.csv`, `groups.csv`,
//! `timeseries.csv`, `incidents.csv` (and the scenario's facts from `summary.json`): the rows
//! and their summaries here, the writers in `data/write.rs`, the readers in `data/read.rs`.
//!
//! The run draws its charts from the very bytes it writes, through the same reader that
//! `iomtsim plot` uses, so a folder always holds everything its charts need and `plot`
//! redraws them byte for byte. Numbers are written with Rust's shortest round-trip formatting
//! and read back exactly.

use crate::stats::{Summary, summarise};
use attacks::SecurityReport;
use sim_core::metrics::CLASSES;
use sim_core::metrics::engine;
use sim_core::{GroupMetrics, LatencyStats, RunMetrics, Segment};
use std::path::{Path, PathBuf};

/// Why a results folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not what iomtsim writes.
    #[error("{path}: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the line where it can tell.
        message: String,
    },
}

/// A number as written in every CSV: shortest round-trip text, empty if undefined.
pub fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or(String::new(), |v| v.to_string())
}

/// Text for a CSV cell that a spreadsheet will not run: a cell beginning with `=`, `+`, `-`,
/// `@`, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets (OWASP,
/// "CSV Injection"), so such text gets a leading `'`, which they show as text. Numbers
/// (`-0.5`, `+3`) are left as they are.
pub fn csv_text(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.trim().parse::<f64>().is_err();
    if risky {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// One bucket of a merged latency histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencyBucket {
    /// The traffic class (`routine`, `alarm`).
    pub class: String,
    /// The bucket's upper edge, milliseconds (HDR histogram: 0.1 % resolution).
    pub latency_ms: f64,
    /// Packets in the bucket, over every replication.
    pub count: u64,
}

/// The buckets of each class's latency distribution, merged over replications.
pub fn latency_buckets(by_class: &[LatencyStats; 2]) -> Vec<LatencyBucket> {
    let mut out = Vec::new();
    for (class, l) in CLASSES.iter().zip(by_class) {
        for v in l.histogram.iter_recorded() {
            out.push(LatencyBucket {
                class: class.name().to_string(),
                latency_ms: v.value_iterated_to() as f64 * 1e-3,
                count: v.count_since_last_iteration(),
            });
        }
    }
    out
}

/// Percentiles reported per hop, in [`HopRow::quantiles_ms`] order.
pub const HOP_QUANTILES: [f64; 6] = [0.05, 0.25, 0.50, 0.75, 0.95, 0.99];

/// One hop (link group or station group) of the packets' paths, over every replication.
#[derive(Clone, Debug, PartialEq)]
pub struct HopRow {
    /// Order along the routes (see [`sim_core::Segment::position`]).
    pub position: u32,
    /// The link group's or node group's name.
    pub hop: String,
    /// `link` or `station`.
    pub kind: String,
    /// `sensing`, `network` or `cloud`.
    pub layer: String,
    /// Packets measured.
    pub observations: u64,
    /// Exact mean, ms.
    pub mean_ms: Option<f64>,
    /// p5, p25, p50, p75, p95, p99, ms.
    pub quantiles_ms: [Option<f64>; 6],
    /// Largest, ms.
    pub max_ms: Option<f64>,
}

/// The hops of merged segments.
pub fn hop_rows(segments: &[Segment]) -> Vec<HopRow> {
    segments
        .iter()
        .map(|s| {
            let l = &s.latency;
            HopRow {
                position: s.position,
                hop: s.name.clone(),
                kind: s.kind.name().to_string(),
                layer: s.layer.name().to_string(),
                observations: l.count,
                mean_ms: l.mean_ms(),
                quantiles_ms: HOP_QUANTILES.map(|q| l.quantile_ms(q)),
                max_ms: (l.count > 0).then(|| l.histogram.max() as f64 * 1e-3),
            }
        })
        .collect()
}

/// Per-group metrics in `groups.csv` column order (after the identifying columns).
pub use sim_core::metrics::GROUP_METRICS;

/// One node group in one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    /// Replication index.
    pub replication: usize,
    /// The group.
    pub group: String,
    /// Its layer.
    pub layer: String,
    /// Nodes in the group.
    pub nodes: u32,
    /// Of which battery-powered.
    pub battery_nodes: u32,
    /// Values in [`GROUP_METRICS`] order.
    pub values: [Option<f64>; 12],
    /// The node(s) that die first, or would by the projection (`lifetime_days`).
    pub first_to_die: String,
}

impl GroupRow {
    /// The row of one group's metrics in replication `replication`.
    pub fn of(replication: usize, g: &GroupMetrics) -> GroupRow {
        GroupRow {
            replication,
            group: g.name.clone(),
            layer: g.layer.name().to_string(),
            nodes: g.nodes,
            battery_nodes: g.battery_nodes,
            values: g.values(),
            first_to_die: g.first_to_die.clone(),
        }
    }

    /// The value of a metric of [`GROUP_METRICS`].
    pub fn value(&self, metric: &str) -> Option<f64> {
        GROUP_METRICS
            .iter()
            .position(|m| *m == metric)
            .and_then(|i| self.values[i])
    }
}

/// One node group summarised over replications.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSummary {
    /// The group.
    pub group: String,
    /// Its layer.
    pub layer: String,
    /// Nodes in the group.
    pub nodes: u32,
    /// Of which battery-powered.
    pub battery_nodes: u32,
    /// Per metric of [`GROUP_METRICS`], its summary (`None` if never defined).
    pub metrics: Vec<(&'static str, Option<Summary>)>,
    /// The node(s) that die first in the replication with the shortest `lifetime_days`
    /// (empty without batteries).
    pub first_to_die: String,
}

impl GroupSummary {
    /// The summary of one metric.
    pub fn metric(&self, name: &str) -> Option<&Summary> {
        self.metrics
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, s)| s.as_ref())
    }
}

/// Summarises `groups.csv` rows per group, groups in order of first appearance.
pub fn summarise_groups(rows: &[GroupRow]) -> Vec<GroupSummary> {
    let mut names: Vec<&str> = Vec::new();
    for r in rows {
        if !names.contains(&r.group.as_str()) {
            names.push(&r.group);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let of: Vec<&GroupRow> = rows.iter().filter(|r| r.group == name).collect();
            let first = of[0];
            let life = GROUP_METRICS
                .iter()
                .position(|m| *m == engine::GROUP_LIFETIME_DAYS.id)
                .unwrap_or(0);
            let shortest = of
                .iter()
                .filter(|r| r.values[life].is_some())
                .min_by(|a, b| {
                    a.values[life]
                        .partial_cmp(&b.values[life])
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            GroupSummary {
                group: name.to_string(),
                layer: first.layer.clone(),
                nodes: first.nodes,
                battery_nodes: first.battery_nodes,
                metrics: GROUP_METRICS
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let values: Vec<Option<f64>> = of.iter().map(|r| r.values[i]).collect();
                        (*m, summarise(&values))
                    })
                    .collect(),
                first_to_die: shortest.map_or(String::new(), |r| r.first_to_die.clone()),
            }
        })
        .collect()
}

/// One value of one series at one grid instant of one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRow {
    /// Replication index.
    pub replication: usize,
    /// Simulated time, seconds.
    pub time_s: f64,
    /// The series' name.
    pub series: String,
    /// The node group, empty for the whole system.
    pub group: String,
    /// The value; `None` where undefined.
    pub value: Option<f64>,
}

/// A series averaged over replications: per grid instant, the summary of the replications'
/// values.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesSummary {
    /// The series' name.
    pub series: String,
    /// The node group, empty for the whole system.
    pub group: String,
    /// (time s, summary over the replications defining it at that instant).
    pub points: Vec<(f64, Summary)>,
}

/// Averages one series over replications; `None` if no row has it.
pub fn series_summary(rows: &[SeriesRow], series: &str, group: &str) -> Option<SeriesSummary> {
    let mut points: Vec<(f64, Vec<Option<f64>>)> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| r.series == series && r.group == group)
    {
        match points.iter_mut().find(|(t, _)| *t == r.time_s) {
            Some((_, v)) => v.push(r.value),
            None => points.push((r.time_s, vec![r.value])),
        }
    }
    if points.is_empty() {
        return None;
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    Some(SeriesSummary {
        series: series.to_string(),
        group: group.to_string(),
        points: points
            .into_iter()
            .filter_map(|(t, v)| summarise(&v).map(|s| (t, s)))
            .collect(),
    })
}

/// The groups that have `series`, in order of first appearance (the whole system excluded).
pub fn series_groups(rows: &[SeriesRow], series: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in rows {
        if r.series == series && !r.group.is_empty() && !out.contains(&r.group) {
            out.push(r.group.clone());
        }
    }
    out
}

/// One incident of one replication.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentRow {
    /// Replication index.
    pub replication: usize,
    /// Simulated time, seconds.
    pub time_s: f64,
    /// `battery_death`, `compromise`, `detection`, `false_alarm`, `isolation`, `outage`,
    /// `recovery`.
    pub kind: String,
    /// The node, empty if none.
    pub node: String,
    /// The node's group, empty if none.
    pub group: String,
    /// The attack or defense behind it, empty if none.
    pub by: String,
}

/// The facts of a run the charts need from `summary.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFacts {
    /// The scenario's name.
    pub scenario: String,
    /// Replications.
    pub replications: usize,
    /// Simulated duration, seconds.
    pub duration_s: f64,
    /// Warm-up, seconds.
    pub warmup_s: f64,
    /// The tightest deadline of each traffic class that has one: (class, ms).
    pub deadlines_ms: Vec<(String, f64)>,
}

/// Everything the charts of one results folder are drawn from.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartData {
    /// From `summary.json`.
    pub facts: RunFacts,
    /// `latency_distribution.csv`.
    pub latency: Vec<LatencyBucket>,
    /// `hop_latency.csv`.
    pub hops: Vec<HopRow>,
    /// `groups.csv`.
    pub groups: Vec<GroupRow>,
    /// `timeseries.csv`.
    pub series: Vec<SeriesRow>,
    /// `incidents.csv`.
    pub incidents: Vec<IncidentRow>,
    /// The attacks of `attacks.csv`, by name (none: the scenario has no attack).
    pub attacks: Vec<String>,
}

/// File names, relative to the results folder.
pub mod files {
    /// Per-metric summaries and the run's facts.
    pub const SUMMARY_JSON: &str = "summary.json";
    /// One row per replication.
    pub const RUNS_CSV: &str = "runs.csv";
    /// Series on the time grid.
    pub const TIMESERIES_CSV: &str = "timeseries.csv";
    /// Merged latency histograms per class.
    pub const LATENCY_CSV: &str = "latency_distribution.csv";
    /// Latency per hop.
    pub const HOPS_CSV: &str = "hop_latency.csv";
    /// Energy and batteries per node group and replication.
    pub const GROUPS_CSV: &str = "groups.csv";
    /// Deaths, compromises, detections.
    pub const INCIDENTS_CSV: &str = "incidents.csv";
    /// What each attack did, per replication.
    pub const ATTACKS_CSV: &str = "attacks.csv";
    /// What each patient's data went through, per replication.
    pub const PATIENTS_CSV: &str = "patients.csv";
    /// The summary as a Markdown table.
    pub const SUMMARY_MD: &str = "summary.md";
    /// The summary as LaTeX booktabs tables.
    pub const SUMMARY_TEX: &str = "summary.tex";
    /// How the folder was made.
    pub const MANIFEST_JSON: &str = "manifest.json";
    /// The charts' folder.
    pub const PLOTS: &str = "plots";
}

/// Column headers of the CSV files.
pub mod headers {
    /// `latency_distribution.csv`.
    pub const LATENCY: [&str; 3] = ["class", "latency_ms", "count"];
    /// `hop_latency.csv`.
    pub const HOPS: [&str; 13] = [
        "position",
        "hop",
        "kind",
        "layer",
        "observations",
        "mean_ms",
        "p05_ms",
        "p25_ms",
        "p50_ms",
        "p75_ms",
        "p95_ms",
        "p99_ms",
        "max_ms",
    ];
    /// `groups.csv` (then one column per [`super::GROUP_METRICS`]).
    pub const GROUPS: [&str; 5] = ["replication", "group", "layer", "nodes", "battery_nodes"];
    /// The last column of `groups.csv`: the node(s) that die first.
    pub const FIRST_TO_DIE: &str = "first_to_die";
    /// `timeseries.csv`.
    pub const SERIES: [&str; 5] = ["replication", "time_s", "series", "group", "value"];
    /// `incidents.csv`.
    pub const INCIDENTS: [&str; 6] = ["replication", "time_s", "kind", "node", "group", "by"];
    /// `attacks.csv`.
    pub const ATTACKS: [&str; 9] = [
        "replication",
        "attack",
        "kind",
        "first_act_s",
        "detected_s",
        "time_to_detect_s",
        "stopped_s",
        "compromises",
        "packets_injected",
    ];
    /// `patients.csv`: the patient's row number, then its figures, each a declared run
    /// metric (the same figure for one patient).
    pub const PATIENTS: [&str; 13] = {
        use attacks::metrics as security;
        use sim_core::metrics::engine;
        let m = sim_core::metrics::ids([
            &security::READINGS_EXPOSED,
            &security::RECORDS_EXPOSED,
            &security::READINGS_TAMPERED_ACCEPTED,
            &security::RECORDS_TAMPERED_ACCEPTED,
            &engine::ALARMS_LATE,
            &engine::ALARMS_MISSED,
            &engine::MONITORING_HOURS_LOST,
            &engine::MONITORING_HOURS_LOST_MOVING,
            &engine::AOI_MEAN_MS,
            &engine::AOI_PEAK_MS,
        ]);
        [
            "replication",
            "patient",
            "device",
            m[0],
            m[1],
            m[2],
            m[3],
            m[4],
            m[5],
            m[6],
            m[7],
            m[8],
            m[9],
        ]
    };
}

mod read;
mod write;
pub use read::*;
pub use write::*;

/// The bytes of the files the charts read, by name.
pub struct Sources<'a> {
    /// `summary.json`.
    pub summary_json: &'a [u8],
    /// `latency_distribution.csv`.
    pub latency: &'a [u8],
    /// `hop_latency.csv`.
    pub hops: &'a [u8],
    /// `groups.csv`.
    pub groups: &'a [u8],
    /// `timeseries.csv`.
    pub series: &'a [u8],
    /// `incidents.csv`.
    pub incidents: &'a [u8],
    /// `attacks.csv`.
    pub attacks: &'a [u8],
}

impl ChartData {
    /// Parses the files of the results folder `dir` from their bytes (`dir` only names them
    /// in errors).
    pub fn parse(dir: &Path, s: &Sources) -> Result<ChartData, DataError> {
        let summary = dir.join(files::SUMMARY_JSON);
        let text = std::str::from_utf8(s.summary_json).map_err(|_| DataError::Malformed {
            path: summary.clone(),
            message: "not UTF-8 text".into(),
        })?;
        Ok(ChartData {
            facts: parse_facts(&summary, text)?,
            latency: parse_latency(&dir.join(files::LATENCY_CSV), s.latency)?,
            hops: parse_hops(&dir.join(files::HOPS_CSV), s.hops)?,
            groups: parse_groups(&dir.join(files::GROUPS_CSV), s.groups)?,
            series: parse_series(&dir.join(files::TIMESERIES_CSV), s.series)?,
            incidents: parse_incidents(&dir.join(files::INCIDENTS_CSV), s.incidents)?,
            attacks: parse_attack_names(&dir.join(files::ATTACKS_CSV), s.attacks)?,
        })
    }

    /// Reads the results folder `dir`.
    pub fn read(dir: &Path) -> Result<ChartData, DataError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| DataError::Io { path, source })
        };
        let (summary_json, latency, hops, groups, series, incidents, attacks) = (
            read(files::SUMMARY_JSON)?,
            read(files::LATENCY_CSV)?,
            read(files::HOPS_CSV)?,
            read(files::GROUPS_CSV)?,
            read(files::TIMESERIES_CSV)?,
            read(files::INCIDENTS_CSV)?,
            read(files::ATTACKS_CSV)?,
        );
        ChartData::parse(
            dir,
            &Sources {
                summary_json: &summary_json,
                latency: &latency,
                hops: &hops,
                groups: &groups,
                series: &series,
                incidents: &incidents,
                attacks: &attacks,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_survive_the_round_trip_through_text_exactly() {
        let rows = vec![GroupRow {
            replication: 3,
            group: "ecg, \"patch\"".into(),
            layer: "sensing".into(),
            nodes: 12,
            battery_nodes: 12,
            values: [
                Some(0.1 + 0.2),
                Some(1e-300),
                Some(f64::MAX),
                None,
                Some(-0.0),
                Some(2.0f64.sqrt()),
                Some(1.0 / 3.0),
                Some(7.0),
                None,
                Some(0.999_999_999_999_999_9),
                Some(123_456_789.123_456_78),
                Some(4.25),
            ],
            first_to_die: "ecg[3], ecg[7], \"x\"".into(),
        }];
        let bytes = groups_csv(&rows);
        let back = parse_groups(Path::new("groups.csv"), &bytes).unwrap();
        assert_eq!(back.len(), 1);
        for (a, b) in rows[0].values.iter().zip(&back[0].values) {
            assert_eq!(a.map(f64::to_bits), b.map(f64::to_bits));
        }
        assert_eq!(back, rows);
    }

    #[test]
    fn series_are_averaged_per_instant_over_the_replications_that_define_them() {
        let row = |replication, time_s, value| SeriesRow {
            replication,
            time_s,
            series: "battery_mean_fraction".into(),
            group: "ecg".into(),
            value,
        };
        let rows = vec![
            row(0, 0.0, Some(1.0)),
            row(0, 60.0, Some(0.8)),
            row(1, 0.0, Some(1.0)),
            row(1, 60.0, Some(0.6)),
            row(2, 60.0, None),
        ];
        let s = series_summary(&rows, "battery_mean_fraction", "ecg").unwrap();
        assert_eq!(s.points.len(), 2);
        assert_eq!(s.points[1].0, 60.0);
        assert_eq!(s.points[1].1.n, 2);
        assert!((s.points[1].1.mean - 0.7).abs() < 1e-12);
        assert!(series_summary(&rows, "battery_mean_fraction", "").is_none());
        assert_eq!(series_groups(&rows, "battery_mean_fraction"), ["ecg"]);
    }
}
