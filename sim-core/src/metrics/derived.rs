//! The metrics computed from a finished run's [`RunMetrics`] rather than counted during it:
//! latency percentiles from the run's HDR histograms, and the most any one patient suffered
//! where the run's own metrics are totals over patients. Runs summarise them over
//! replications (a mean ± CI of each percentile), sweeps keep them per replication.

use super::RunMetrics;
use super::declaration::{Metric, Owner, Unit};
use crate::hooks::HookReport;

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

/// Every metric the engine derives, in the order runs and sweeps keep them (after the run's
/// scalars); the hooks' own ([`HookReport::DERIVED`]) stand among them at [`HOOKS_AT`].
pub const DERIVED: [Derived; 8] = [
    quantile(&LATENCY_P50_MS, Latencies::EndToEnd, 0.50),
    quantile(&LATENCY_P95_MS, Latencies::EndToEnd, 0.95),
    quantile(&LATENCY_P99_MS, Latencies::EndToEnd, 0.99),
    quantile(&ALARM_LATENCY_P50_MS, Latencies::Alarm, 0.50),
    quantile(&ALARM_LATENCY_P95_MS, Latencies::Alarm, 0.95),
    quantile(&ALARM_LATENCY_P99_MS, Latencies::Alarm, 0.99),
    Derived {
        metric: &WORST_PATIENT_MONITORING_HOURS_LOST,
        rule: Rule::WorstPatient(|p| Some(p.monitoring_hours_lost)),
    },
    Derived {
        metric: &WORST_PATIENT_AOI_MS,
        rule: Rule::WorstPatient(|p| p.aoi_mean_ms),
    },
];

/// Where the hooks' derived metrics ([`HookReport::DERIVED`]) stand among the engine's: after
/// the latency percentiles, before the worst patient's monitoring hours. The order is part of
/// the output contract (`summary.json`, `runs.csv`, `sweep.csv`): the hooks' worst-patient
/// figures have always come before the engine's.
pub const HOOKS_AT: usize = 6;

/// The engine's derived metrics' declarations, in [`DERIVED`] order.
pub const METRICS: [&Metric; DERIVED.len()] = {
    let mut out = [&LATENCY_P50_MS; DERIVED.len()];
    let mut i = 0;
    while i < DERIVED.len() {
        out[i] = DERIVED[i].metric;
        i += 1;
    }
    out
};

/// Every derived metric's declaration in output order: the engine's ([`METRICS`]) with
/// `hooks`, a hook set's [`HookReport::DERIVED`], inserted at [`HOOKS_AT`]. `N` must be the
/// sum of their lengths (checked when the constant is evaluated).
pub const fn with_hooks<const N: usize>(hooks: &[&'static Metric]) -> [&'static Metric; N] {
    assert!(
        N == METRICS.len() + hooks.len(),
        "N counts every derived metric"
    );
    let mut out = [METRICS[0]; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < HOOKS_AT {
            METRICS[i]
        } else if i < HOOKS_AT + hooks.len() {
            hooks[i - HOOKS_AT]
        } else {
            METRICS[i - hooks.len()]
        };
        i += 1;
    }
    out
}

impl<R: HookReport> RunMetrics<R> {
    /// The derived metrics of this run, in output order ([`with_hooks`]): the engine's, with
    /// the hooks' at [`HOOKS_AT`].
    pub fn derived(&self) -> impl Iterator<Item = (&'static str, Option<f64>)> + '_ {
        let engine = DERIVED.iter().map(move |d| (d.metric.id, d.value(self)));
        let mut hooks = Vec::with_capacity(R::DERIVED.len());
        self.hooks.derived(&mut hooks);
        debug_assert!(
            hooks
                .iter()
                .map(|h| h.0)
                .eq(R::DERIVED.iter().map(|m| m.id)),
            "a hook report derives what it declares, in order"
        );
        engine
            .clone()
            .take(HOOKS_AT)
            .chain(hooks)
            .chain(engine.skip(HOOKS_AT))
    }
}
