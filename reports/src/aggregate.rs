//! Gathering replications: per-metric summaries, latency percentiles from the merged
//! histograms (the distribution of every delivered packet of every replication), latency per
//! hop, and energy and batteries per node group.

use crate::data::{GroupRow, GroupSummary, summarise_groups};
use crate::stats::{Summary, summarise};
use serde::Serialize;
use sim_core::HookReport;
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

/// The age of information of one node group's vital-sign streams over replications.
#[derive(Clone, Debug)]
pub struct GroupAgeSummary {
    /// The node group.
    pub group: String,
    /// Its vital-sign streams.
    pub streams: u32,
    /// Per replication, the mean over its streams of their time-average age, ms.
    pub mean_ms: Vec<Option<f64>>,
    /// Per replication, the largest age of any of its streams, ms.
    pub peak_ms: Vec<Option<f64>>,
}

impl GroupAgeSummary {
    /// The summary of the time-average age over replications.
    pub fn mean(&self) -> Option<Summary> {
        summarise(&self.mean_ms)
    }

    /// The summary of the peak age over replications.
    pub fn peak(&self) -> Option<Summary> {
        summarise(&self.peak_ms)
    }
}

/// All replications of one run, summarised.
#[derive(Clone, Debug)]
pub struct Aggregate {
    /// Seeds, in replication order.
    pub seeds: Vec<u64>,
    /// Per-metric summaries: the run's scalars in the engine's order, then the metrics
    /// derived per replication ([`sim_core::metrics::derived`]).
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
    /// Age of information per node group with vital-sign streams, in the topology's order.
    pub information_age: Vec<GroupAgeSummary>,
}

impl Aggregate {
    /// Summarises `runs`, which must be in replication order (the order decides nothing but
    /// the order of rows, so results do not depend on which thread finished first).
    pub fn from_runs<R: HookReport>(runs: &[RunMetrics<R>]) -> Aggregate {
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
    information_age: Vec<GroupAgeSummary>,
}

impl AggregateBuilder {
    /// Adds the next replication.
    pub fn add<R: HookReport>(&mut self, r: &RunMetrics<R>) {
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
        // The run's scalars, then the metrics derived from it (latency percentiles of this
        // replication, the worst patient's figures), each summarised over replications.
        let names = self.names.get_or_insert_with(|| {
            r.scalars
                .iter()
                .map(|(n, _)| *n)
                .chain(crate::metrics::DERIVED.iter().map(|m| m.id))
                .collect()
        });
        if self.values.len() < names.len() {
            self.values.resize(names.len(), Vec::new());
        }
        let derived: Vec<(&str, Option<f64>)> = r.derived().collect();
        for (values, name) in self.values.iter_mut().zip(names.iter()) {
            let value = match derived.iter().find(|(n, _)| n == name) {
                Some((_, v)) => *v,
                None => r.scalar(name),
            };
            values.push(value);
        }
        self.group_rows
            .extend(r.groups.iter().map(|g| GroupRow::of(i, g)));
        for g in &r.information_age {
            let at = match self.information_age.iter().position(|a| a.group == g.group) {
                Some(at) => at,
                None => {
                    self.information_age.push(GroupAgeSummary {
                        group: g.group.clone(),
                        streams: g.streams,
                        mean_ms: Vec::new(),
                        peak_ms: Vec::new(),
                    });
                    self.information_age.len() - 1
                }
            };
            let a = &mut self.information_age[at];
            // A replication without the group (none so far: streams are the scenario's) is
            // undefined there.
            a.mean_ms.resize(i, None);
            a.peak_ms.resize(i, None);
            a.mean_ms.push(Some(g.mean_ms));
            a.peak_ms.push(Some(g.peak_ms));
        }
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
        let n = self.seeds.len();
        let mut information_age = self.information_age;
        for a in &mut information_age {
            a.mean_ms.resize(n, None);
            a.peak_ms.resize(n, None);
        }
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
            information_age,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::{GroupAge, SimTime, TimeSeries};

    /// A replication whose every packet took `ms`, so that each of its percentiles is `ms`.
    fn run(seed: u64, ms: u64) -> RunMetrics {
        let mut latency = LatencyStats::default();
        for _ in 0..100 {
            latency.record(SimTime::from_millis(ms));
        }
        RunMetrics {
            seed,
            scalars: vec![("latency_ms", latency.mean_ms())],
            alarm_latency: LatencyStats::default(),
            latency_by_class: [latency.clone(), LatencyStats::default()],
            latency,
            segments: Vec::new(),
            groups: Vec::new(),
            incidents: Vec::new(),
            timeseries: TimeSeries::default(),
            events: 0,
            patients: Vec::new(),
            information_age: vec![GroupAge {
                group: "ecg".into(),
                streams: 2,
                mean_ms: 500.0 + ms as f64,
                peak_ms: 1000.0,
            }],
            hooks: (),
        }
    }

    /// Three replications with medians 10, 20 and 30 ms: the median's interval is the
    /// Student-t interval of those three values (20 ± 4.303 · 10/√3), not a figure of the
    /// pooled histogram, which keeps its own pooled median.
    #[test]
    fn percentiles_get_an_interval_over_the_replications_values() {
        let agg = Aggregate::from_runs(&[run(1, 10), run(2, 20), run(3, 30)]);
        let p50 = agg.metric("latency_p50_ms").unwrap();
        let values: Vec<f64> = p50.values.iter().map(|v| v.unwrap()).collect();
        for (v, want) in values.iter().zip([10.0, 20.0, 30.0]) {
            assert!((v - want).abs() < 0.02, "{values:?}");
        }
        let s = p50.summary.as_ref().unwrap();
        assert_eq!(s.n, 3);
        assert!((s.mean - 20.0).abs() < 0.02);
        let half = 4.302_652_7 * 10.0 / 3f64.sqrt();
        assert!(
            (s.ci95_half_width.unwrap() - half).abs() < 0.01,
            "{:?}",
            s.ci95_half_width
        );
        // The pooled distribution stays with the mean, for the CDFs.
        let pooled = agg
            .metric("latency_ms")
            .unwrap()
            .percentiles
            .as_ref()
            .unwrap();
        assert_eq!(pooled.count, 300);
        assert!((pooled.p50 - 20.0).abs() < 0.02);
        // Without alarms the alarm percentiles are undefined, never zero.
        assert!(
            agg.metric("alarm_latency_p99_ms")
                .unwrap()
                .summary
                .is_none()
        );
        // The age of information per group gets its interval the same way.
        let age = &agg.information_age[0];
        assert_eq!((age.group.as_str(), age.streams), ("ecg", 2));
        assert!((age.mean().unwrap().mean - 520.0).abs() < 1e-9);
        assert_eq!(age.peak().unwrap().ci95_half_width, Some(0.0));
    }
}
