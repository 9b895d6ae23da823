//! The metrics computed from a finished run's [`RunMetrics`] rather than counted during it:
//! latency percentiles from the run's HDR histograms, and the most any one patient suffered
//! where the run's own metrics are totals over patients. Runs summarise them over
//! replications (a mean ± CI of each percentile), sweeps keep them per replication.

use super::RunMetrics;
use super::declaration::{Metric, Owner, Unit};

/// How a run gives a derived metric's value.
#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// The `q`-quantile of a latency distribution of the run.
    Quantile {
        /// Which distribution.
        of: Latencies,
        /// The quantile, in (0, 1].
        q: f64,
    },
    /// The largest value of a per-patient figure over the run's patients that have it.
    WorstPatient(fn(&super::PatientMetrics) -> Option<f64>),
}

/// A latency distribution of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latencies {
    /// End to end, every delivered packet ([`RunMetrics::latency`]).
    EndToEnd,
    /// Alarm-class packets ([`RunMetrics::alarm_latency`]).
    Alarm,
}

/// A derived metric: its declaration and how a run gives its value.
#[derive(Clone, Copy, Debug)]
pub struct Derived {
    /// The declaration.
    pub metric: &'static Metric,
    /// How a run gives its value (`None` where undefined: no packet, no patient).
    pub rule: Rule,
}

impl Derived {
    /// Its value in `run` (`None` where undefined: no packet, no patient).
    pub fn value<R>(&self, run: &RunMetrics<R>) -> Option<f64> {
        match self.rule {
            Rule::Quantile { of, q } => match of {
                Latencies::EndToEnd => run.latency.quantile_ms(q),
                Latencies::Alarm => run.alarm_latency.quantile_ms(q),
            },
            Rule::WorstPatient(f) => run.patients.iter().filter_map(f).reduce(f64::max),
        }
    }
}

/// A latency percentile, declared as a part of the mean it refines (`latency_ms`), so tables
/// list it under that mean.
const fn percentile(
    id: &'static str,
    label: &'static str,
    doc: &'static str,
    whole: &'static str,
) -> Metric {
    Metric::new(id, label, Unit::Ms, Owner::Derived, doc).part_of(whole)
}

/// Median end-to-end latency.
pub const LATENCY_P50_MS: Metric = percentile(
    "latency_p50_ms",
    "End-to-end latency, p50",
    "median end-to-end latency of each replication (HDR histogram, 0.1 % resolution), with its mean ± CI over replications",
    "latency_ms",
);
/// 95th percentile of end-to-end latency.
pub const LATENCY_P95_MS: Metric = percentile(
    "latency_p95_ms",
    "End-to-end latency, p95",
    "95th percentile of each replication's end-to-end latency",
    "latency_ms",
);
/// 99th percentile of end-to-end latency.
pub const LATENCY_P99_MS: Metric = percentile(
    "latency_p99_ms",
    "End-to-end latency, p99",
    "99th percentile of each replication's end-to-end latency",
    "latency_ms",
);
/// Median alarm latency.
pub const ALARM_LATENCY_P50_MS: Metric = percentile(
    "alarm_latency_p50_ms",
    "Alarm latency, p50",
    "median latency of each replication's alarm-class packets",
    "alarm_latency_ms",
);
/// 95th percentile of alarm latency.
pub const ALARM_LATENCY_P95_MS: Metric = percentile(
    "alarm_latency_p95_ms",
    "Alarm latency, p95",
    "95th percentile of each replication's alarm latency",
    "alarm_latency_ms",
);
/// 99th percentile of alarm latency.
pub const ALARM_LATENCY_P99_MS: Metric = percentile(
    "alarm_latency_p99_ms",
    "Alarm latency, p99",
    "99th percentile of each replication's alarm latency",
    "alarm_latency_ms",
);
/// Records exposed of the most exposed patient.
pub const WORST_PATIENT_RECORDS_EXPOSED: Metric = Metric::new(
    "worst_patient_records_exposed",
    "Records exposed, worst patient",
    Unit::Records,
    Owner::Derived,
    "`records_exposed` of the patient with the most (`patients.csv`); undefined without patients",
);
/// Monitoring hours lost of the patient who lost most.
pub const WORST_PATIENT_MONITORING_HOURS_LOST: Metric = Metric::new(
    "worst_patient_monitoring_hours_lost",
    "Monitoring hours lost, worst patient",
    Unit::H,
    Owner::Derived,
    "`monitoring_hours_lost` of the patient who lost the most; undefined without patients",
);
/// Mean age of information of the patient whose picture was stalest.
pub const WORST_PATIENT_AOI_MS: Metric = Metric::new(
    "worst_patient_aoi_ms",
    "Age of information, worst patient",
    Unit::Ms,
    Owner::Derived,
    "largest `aoi_mean_ms` of a patient in each replication (`patients.csv`: the time-average age of the patient's vital signs), with its mean ± CI over replications; undefined without a patient with vital-sign streams",
);

const fn quantile(metric: &'static Metric, of: Latencies, q: f64) -> Derived {
    Derived {
        metric,
        rule: Rule::Quantile { of, q },
    }
}

/// Every derived metric, in the order runs and sweeps keep them (after the run's scalars).
pub const DERIVED: [Derived; 9] = [
    quantile(&LATENCY_P50_MS, Latencies::EndToEnd, 0.50),
    quantile(&LATENCY_P95_MS, Latencies::EndToEnd, 0.95),
    quantile(&LATENCY_P99_MS, Latencies::EndToEnd, 0.99),
    quantile(&ALARM_LATENCY_P50_MS, Latencies::Alarm, 0.50),
    quantile(&ALARM_LATENCY_P95_MS, Latencies::Alarm, 0.95),
    quantile(&ALARM_LATENCY_P99_MS, Latencies::Alarm, 0.99),
    Derived {
        metric: &WORST_PATIENT_RECORDS_EXPOSED,
        rule: Rule::WorstPatient(|p| Some(p.records_exposed)),
    },
    Derived {
        metric: &WORST_PATIENT_MONITORING_HOURS_LOST,
        rule: Rule::WorstPatient(|p| Some(p.monitoring_hours_lost)),
    },
    Derived {
        metric: &WORST_PATIENT_AOI_MS,
        rule: Rule::WorstPatient(|p| p.aoi_mean_ms),
    },
];

/// The derived metrics' declarations, in [`DERIVED`] order.
pub const METRICS: [&Metric; DERIVED.len()] = {
    let mut out = [&LATENCY_P50_MS; DERIVED.len()];
    let mut i = 0;
    while i < DERIVED.len() {
        out[i] = DERIVED[i].metric;
        i += 1;
    }
    out
};

impl<R> RunMetrics<R> {
    /// The derived metrics of this run, in [`DERIVED`] order.
    pub fn derived(&self) -> impl Iterator<Item = (&'static str, Option<f64>)> + '_ {
        DERIVED.iter().map(move |d| (d.metric.id, d.value(self)))
    }
}
