//! What a run measures, streamed while it goes: latency histograms, counters and a time series
//! on a fixed grid. Memory depends on the grid and the histogram precision, never on the number
//! of packets.

use crate::hooks::Scalar;
use crate::time::SimTime;
use hdrhistogram::Histogram;

/// Largest latency a histogram records exactly: one day, in microseconds. Larger values
/// saturate at this bound (the exact mean is kept separately).
pub const LATENCY_MAX_US: u64 = 86_400_000_000;

/// Significant decimal digits the latency histograms keep (0.1 % relative resolution).
pub const LATENCY_SIGFIG: u8 = 3;

/// A latency distribution: an HDR histogram in microseconds plus the exact sum and count.
#[derive(Clone, Debug)]
pub struct LatencyStats {
    /// Recorded latencies in µs (values below 1 µs are recorded as 1 µs).
    pub histogram: Histogram<u64>,
    /// Exact sum of the latencies, in seconds.
    pub sum_s: f64,
    /// Number of recorded latencies.
    pub count: u64,
}

impl Default for LatencyStats {
    fn default() -> Self {
        LatencyStats {
            histogram: Histogram::new_with_bounds(1, LATENCY_MAX_US, LATENCY_SIGFIG)
                .expect("constant histogram bounds are valid"),
            sum_s: 0.0,
            count: 0,
        }
    }
}

impl LatencyStats {
    /// Records one latency.
    #[inline]
    pub fn record(&mut self, latency: SimTime) {
        let us = (latency.as_nanos() / 1_000).max(1);
        self.histogram.saturating_record(us);
        self.sum_s += latency.as_secs_f64();
        self.count += 1;
    }

    /// The exact mean in milliseconds, `None` if nothing was recorded.
    pub fn mean_ms(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_s / self.count as f64 * 1e3)
    }

    /// The `q`-quantile in milliseconds (from the histogram, 0.1 % resolution).
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        (self.count > 0).then(|| self.histogram.value_at_quantile(q) as f64 * 1e-3)
    }

    /// Adds another run's observations to these.
    pub fn merge(&mut self, other: &LatencyStats) {
        // Both histograms share bounds, so `add` cannot fail.
        let _ = self.histogram.add(&other.histogram);
        self.sum_s += other.sum_s;
        self.count += other.count;
    }
}

/// Values sampled on the run's time grid: `columns[j].1[i]` is column j at `times_s[i]`.
#[derive(Clone, Debug, Default)]
pub struct TimeSeries {
    /// Grid instants, in seconds.
    pub times_s: Vec<f64>,
    /// Named columns, each as long as `times_s`.
    pub columns: Vec<(&'static str, Vec<f64>)>,
}

/// Everything one replication reports.
#[derive(Clone, Debug)]
pub struct RunMetrics {
    /// The master seed of this replication.
    pub seed: u64,
    /// Named scalars in a fixed order: the engine's first, then the hooks'.
    pub scalars: Vec<Scalar>,
    /// End-to-end latency of every delivered packet created in the measured window.
    pub latency: LatencyStats,
    /// The same, for alarm-class packets only.
    pub alarm_latency: LatencyStats,
    /// The time series on the grid.
    pub timeseries: TimeSeries,
    /// Events the engine processed (cancelled ones excluded).
    pub events: u64,
}

impl RunMetrics {
    /// The value of a named scalar.
    pub fn scalar(&self, name: &str) -> Option<f64> {
        self.scalars
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| *v)
    }
}
