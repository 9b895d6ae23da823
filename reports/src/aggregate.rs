//! Gathering replications: per-metric summaries, latency percentiles from the merged
//! histograms (the distribution of every delivered packet of every replication), latency per
//! hop, and energy and batteries per node group.

use crate::data::{GroupRow, GroupSummary, summarise_groups};
use crate::stats::{Summary, summarise};
use serde::Serialize;
use sim_core::metrics::engine;
use sim_core::{LatencyStats, RunMetrics, Segment};

/// Latency percentiles over all replications, in milliseconds (HDR histogram, 0.1 % resolution).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Percentiles {
    /// Packets observed.
    pub count: u64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest observed.
    pub max: f64,
}

impl Percentiles {
    /// Percentiles of a merged latency distribution; `None` when it is empty.
    pub fn of(l: &LatencyStats) -> Option<Percentiles> {
        (l.count > 0).then(|| Percentiles {
            count: l.count,
            p50: l.quantile_ms(0.50).unwrap_or(f64::NAN),
            p95: l.quantile_ms(0.95).unwrap_or(f64::NAN),
            p99: l.quantile_ms(0.99).unwrap_or(f64::NAN),
            max: l.histogram.max() as f64 * 1e-3,
        })
    }
}

/// One metric across replications.
#[derive(Clone, Debug)]
pub struct MetricSummary {
    /// Its name (unit last: `latency_ms`).
    pub name: &'static str,
    /// Value per replication, in replication order (`None` where undefined).
    pub values: Vec<Option<f64>>,
    /// Statistics of the defined values; `None` if never defined.
    pub summary: Option<Summary>,
    /// For latency metrics, percentiles of the merged distribution.
    pub percentiles: Option<Percentiles>,
}

/// All replications of one run, summarised.
#[derive(Clone, Debug)]
pub struct Aggregate {
    /// Seeds, in replication order.
    pub seeds: Vec<u64>,
    /// Per-metric summaries, in the engine's order.
    pub metrics: Vec<MetricSummary>,
    /// All latencies merged.
    pub latency: LatencyStats,
    /// Alarm latencies merged.
    pub alarm_latency: LatencyStats,
    /// Latencies per traffic class merged, in [`sim_core::metrics::CLASSES`] order.
    pub latency_by_class: [LatencyStats; 2],
    /// Hops (link and station groups) with their latencies merged, in path order.
    pub segments: Vec<Segment>,
    /// Per node group and replication: energy and batteries (the rows of `groups.csv`).
    pub group_rows: Vec<GroupRow>,
    /// Per node group over replications.
    pub groups: Vec<GroupSummary>,
    /// Events processed, summed over replications.
    pub events: u64,
}

impl Aggregate {
    /// Summarises `runs`, which must be in replication order (the order decides nothing but
    /// the order of rows, so results do not depend on which thread finished first).
    pub fn from_runs<R>(runs: &[RunMetrics<R>]) -> Aggregate {
        let mut b = AggregateBuilder::default();
        for r in runs {
            b.add(r);
        }
        b.finish()
    }

    /// A metric by name.
    pub fn metric(&self, name: &str) -> Option<&MetricSummary> {
        self.metrics.iter().find(|m| m.name == name)
    }
}

/// An [`Aggregate`] gathered one replication at a time, so a run of many replications keeps
/// only the merged histograms and one value per metric and replication, not every
/// replication's metrics. Replications must be added in replication order; the result is
/// then the same as [`Aggregate::from_runs`] over all of them.
#[derive(Clone, Debug, Default)]
pub struct AggregateBuilder {
    seeds: Vec<u64>,
    names: Option<Vec<&'static str>>,
    /// `values[m][i]`: metric m (in the first replication's order) of replication i.
    values: Vec<Vec<Option<f64>>>,
    latency: LatencyStats,
    alarm_latency: LatencyStats,
    latency_by_class: [LatencyStats; 2],
    segments: Vec<Segment>,
    group_rows: Vec<GroupRow>,
    events: u64,
}

impl AggregateBuilder {
    /// Adds the next replication.
    pub fn add<R>(&mut self, r: &RunMetrics<R>) {
        let i = self.seeds.len();
        self.seeds.push(r.seed);
        self.events += r.events;
        self.latency.merge(&r.latency);
        self.alarm_latency.merge(&r.alarm_latency);
        for (all, one) in self.latency_by_class.iter_mut().zip(&r.latency_by_class) {
            all.merge(one);
        }
        for s in &r.segments {
            match self
                .segments
                .iter_mut()
                .find(|m| m.kind == s.kind && m.name == s.name)
            {
                Some(m) => {
                    m.latency.merge(&s.latency);
                    m.position = m.position.min(s.position);
                }
                None => self.segments.push(s.clone()),
            }
        }
        let names = self
            .names
            .get_or_insert_with(|| r.scalars.iter().map(|(n, _)| *n).collect());
        if self.values.len() < names.len() {
            self.values.resize(names.len(), Vec::new());
        }
        for (values, name) in self.values.iter_mut().zip(names.iter()) {
            values.push(r.scalar(name));
        }
        self.group_rows
            .extend(r.groups.iter().map(|g| GroupRow::of(i, g)));
    }

    /// Replications added so far.
    pub fn len(&self) -> usize {
        self.seeds.len()
    }

    /// The values of metric `name` in the replications added so far (`None`: no such
    /// metric, or none added).
    pub fn values_of(&self, name: &str) -> Option<&[Option<f64>]> {
        let i = self.names.as_ref()?.iter().position(|n| *n == name)?;
        self.values.get(i).map(Vec::as_slice)
    }

    /// Whether none was added.
    pub fn is_empty(&self) -> bool {
        self.seeds.is_empty()
    }

    /// The summaries over every replication added.
    pub fn finish(self) -> Aggregate {
        let mut segments = self.segments;
        segments.sort_by_key(|s| s.position);
        let (latency, alarm_latency) = (self.latency, self.alarm_latency);
        let metrics = self
            .names
            .unwrap_or_default()
            .into_iter()
            .zip(self.values)
            .map(|(name, values)| {
                let percentiles = if name == engine::LATENCY_MS.id {
                    Percentiles::of(&latency)
                } else if name == engine::ALARM_LATENCY_MS.id {
                    Percentiles::of(&alarm_latency)
                } else {
                    None
                };
                MetricSummary {
                    name,
                    summary: summarise(&values),
                    values,
                    percentiles,
                }
            })
            .collect();
        Aggregate {
            seeds: self.seeds,
            metrics,
            latency,
            alarm_latency,
            latency_by_class: self.latency_by_class,
            segments,
            groups: summarise_groups(&self.group_rows),
            group_rows: self.group_rows,
            events: self.events,
        }
    }
}
