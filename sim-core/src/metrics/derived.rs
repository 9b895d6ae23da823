//! The metrics computed from a finished run's [`RunMetrics`] rather than counted during it:
//! latency percentiles from the run's HDR histograms, and the most any one patient suffered
//! where the run's own metrics are totals over patients. Sweeps keep them per replication.

use super::RunMetrics;
use super::declaration::{Metric, Owner, Unit};

/// A derived metric: its declaration and how a run gives its value.
#[derive(Clone, Copy, Debug)]
pub struct Derived {
    /// The declaration.
    pub metric: &'static Metric,
    /// Its value in a run (`None` where undefined: no packet, no patient).
    pub value: fn(&RunView<'_>) -> Option<f64>,
}

/// What a derived metric may read of a run, whatever its hooks report.
#[derive(Clone, Copy, Debug)]
pub struct RunView<'a> {
    /// End-to-end latency of every delivered packet.
    pub latency: &'a super::LatencyStats,
    /// Latency of alarms.
    pub alarm_latency: &'a super::LatencyStats,
    /// Per-patient figures.
    pub patients: &'a [super::PatientMetrics],
}

const fn derived(id: &'static str, label: &'static str, unit: Unit, doc: &'static str) -> Metric {
    Metric::new(id, label, unit, Owner::Derived, doc)
}

/// Median end-to-end latency.
pub const LATENCY_P50_MS: Metric = derived(
    "latency_p50_ms",
    "End-to-end latency, p50",
    Unit::Ms,
    "median end-to-end latency of the replication (HDR histogram, 0.1 % resolution)",
);
/// 95th percentile of end-to-end latency.
pub const LATENCY_P95_MS: Metric = derived(
    "latency_p95_ms",
    "End-to-end latency, p95",
    Unit::Ms,
    "95th percentile of the replication's end-to-end latency",
);
/// 99th percentile of end-to-end latency.
pub const LATENCY_P99_MS: Metric = derived(
    "latency_p99_ms",
    "End-to-end latency, p99",
    Unit::Ms,
    "99th percentile of the replication's end-to-end latency",
);
/// Median alarm latency.
pub const ALARM_LATENCY_P50_MS: Metric = derived(
    "alarm_latency_p50_ms",
    "Alarm latency, p50",
    Unit::Ms,
    "median latency of the replication's alarm-class packets",
);
/// 95th percentile of alarm latency.
pub const ALARM_LATENCY_P95_MS: Metric = derived(
    "alarm_latency_p95_ms",
    "Alarm latency, p95",
    Unit::Ms,
    "95th percentile of the replication's alarm latency",
);
/// 99th percentile of alarm latency.
pub const ALARM_LATENCY_P99_MS: Metric = derived(
    "alarm_latency_p99_ms",
    "Alarm latency, p99",
    Unit::Ms,
    "99th percentile of the replication's alarm latency",
);
/// Records exposed of the most exposed patient.
pub const WORST_PATIENT_RECORDS_EXPOSED: Metric = derived(
    "worst_patient_records_exposed",
    "Records exposed, worst patient",
    Unit::Records,
    "`records_exposed` of the patient with the most (`patients.csv`); undefined without patients",
);
/// Monitoring hours lost of the patient who lost most.
pub const WORST_PATIENT_MONITORING_HOURS_LOST: Metric = derived(
    "worst_patient_monitoring_hours_lost",
    "Monitoring hours lost, worst patient",
    Unit::H,
    "`monitoring_hours_lost` of the patient who lost the most; undefined without patients",
);

fn worst(m: &RunView<'_>, f: fn(&super::PatientMetrics) -> f64) -> Option<f64> {
    m.patients.iter().map(f).reduce(f64::max)
}

/// Every derived metric, in the order sweeps keep them (after the run's scalars).
pub const DERIVED: [Derived; 8] = [
    Derived {
        metric: &LATENCY_P50_MS,
        value: |m| m.latency.quantile_ms(0.50),
    },
    Derived {
        metric: &LATENCY_P95_MS,
        value: |m| m.latency.quantile_ms(0.95),
    },
    Derived {
        metric: &LATENCY_P99_MS,
        value: |m| m.latency.quantile_ms(0.99),
    },
    Derived {
        metric: &ALARM_LATENCY_P50_MS,
        value: |m| m.alarm_latency.quantile_ms(0.50),
    },
    Derived {
        metric: &ALARM_LATENCY_P95_MS,
        value: |m| m.alarm_latency.quantile_ms(0.95),
    },
    Derived {
        metric: &ALARM_LATENCY_P99_MS,
        value: |m| m.alarm_latency.quantile_ms(0.99),
    },
    Derived {
        metric: &WORST_PATIENT_RECORDS_EXPOSED,
        value: |m| worst(m, |p| p.records_exposed),
    },
    Derived {
        metric: &WORST_PATIENT_MONITORING_HOURS_LOST,
        value: |m| worst(m, |p| p.monitoring_hours_lost),
    },
];

/// The derived metrics' declarations, in [`DERIVED`] order.
pub const METRICS: [&Metric; 8] = {
    let mut out = [&LATENCY_P50_MS; 8];
    let mut i = 0;
    while i < 8 {
        out[i] = DERIVED[i].metric;
        i += 1;
    }
    out
};

impl<R> RunMetrics<R> {
    /// The derived metrics of this run, in [`DERIVED`] order.
    pub fn derived(&self) -> impl Iterator<Item = (&'static str, Option<f64>)> + '_ {
        let view = RunView {
            latency: &self.latency,
            alarm_latency: &self.alarm_latency,
            patients: &self.patients,
        };
        DERIVED.iter().map(move |d| (d.metric.id, (d.value)(&view)))
    }
}
