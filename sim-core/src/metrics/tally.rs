//! A latency distribution while a replication records it: the counts of [`LatencyStats`]'s
//! histogram buckets in a plain array, turned into that histogram when the replication closes.
//!
//! Recording into an `hdrhistogram::Histogram` goes through an out-of-line call that finds the
//! bucket, checks the range, updates the extremes and the total (about 50 instructions); a
//! packet is recorded once per segment it crosses and once end to end, so on the tandem of
//! `benches/peers` that was about a tenth of the run. Here a record is the bucket index (a
//! leading-zero count and two shifts), one increment and the extremes, inlined. The buckets are
//! the histogram's own (1 µs to [`LATENCY_MAX_US`](super::LATENCY_MAX_US), [`LATENCY_SIGFIG`]
//! digits), and [`LatencyTally::into_stats`] replays them so that the histogram equals, field
//! for field, one recorded value by value: the same counts, total, smallest and largest value
//! (tests below).

use super::{LATENCY_SIGFIG, LatencyStats};
use crate::time::SimTime;

/// Sub-buckets per bucket: `2^SUB_BUCKET_COUNT_MAGNITUDE`, the smallest power of two at least
/// `2 × 10^LATENCY_SIGFIG` (2,048 for 3 digits), as `hdrhistogram` sizes them.
const SUB_BUCKET_COUNT_MAGNITUDE: u32 = (2 * 10u32.pow(LATENCY_SIGFIG as u32) - 1).ilog2() + 1;
/// Half the sub-buckets: every bucket but the first uses only its upper half.
const SUB_BUCKET_HALF_COUNT_MAGNITUDE: u32 = SUB_BUCKET_COUNT_MAGNITUDE - 1;
const SUB_BUCKET_HALF_COUNT: u64 = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE;
/// Values below this fall in the first bucket (the unit is 1 µs: magnitude 0).
const SUB_BUCKET_MASK: u64 = (1 << SUB_BUCKET_COUNT_MAGNITUDE) - 1;
const LEADING_ZERO_COUNT_BASE: u32 = 64 - SUB_BUCKET_COUNT_MAGNITUDE;

/// The bucket array index of `us` (≥ 1 µs), `hdrhistogram`'s `index_for` with a unit of 1.
#[inline]
fn index_of(us: u64) -> usize {
    let bucket = LEADING_ZERO_COUNT_BASE - (us | SUB_BUCKET_MASK).leading_zeros();
    let sub_bucket = us >> bucket;
    (((u64::from(bucket) + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + sub_bucket
        - SUB_BUCKET_HALF_COUNT) as usize
}

/// The smallest value of bucket array index `i`, `hdrhistogram`'s `value_for`.
fn value_at(i: usize) -> u64 {
    let i = i as u64;
    let bucket = (i >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) as i64 - 1;
    let sub_bucket = (i & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
    if bucket < 0 {
        sub_bucket - SUB_BUCKET_HALF_COUNT
    } else {
        sub_bucket << bucket
    }
}

/// A latency distribution being recorded: per histogram bucket a count, the smallest and the
/// largest value recorded (µs), and the exact sum and count. Recording never allocates.
#[derive(Clone, Debug)]
pub(crate) struct LatencyTally {
    counts: Vec<u64>,
    /// The value a record past the last bucket is kept as, as `Histogram::saturating_record`
    /// does.
    highest_us: u64,
    min_us: u64,
    max_us: u64,
    sum_s: f64,
    count: u64,
}

impl Default for LatencyTally {
    fn default() -> Self {
        let template = LatencyStats::default().histogram;
        LatencyTally {
            counts: vec![0; template.distinct_values()],
            highest_us: template.high(),
            min_us: u64::MAX,
            max_us: 0,
            sum_s: 0.0,
            count: 0,
        }
    }
}

impl LatencyTally {
    /// Records one latency, as [`LatencyStats::record`] does.
    #[inline]
    pub(crate) fn record(&mut self, latency: SimTime) {
        let mut us = (latency.as_nanos() / 1_000).max(1);
        let mut i = index_of(us);
        if i >= self.counts.len() {
            // Past the last bucket: saturate at the highest value kept.
            us = self.highest_us;
            i = index_of(us);
        }
        if let Some(c) = self.counts.get_mut(i) {
            *c += 1;
        }
        self.min_us = self.min_us.min(us);
        self.max_us = self.max_us.max(us);
        self.sum_s += latency.as_secs_f64();
        self.count += 1;
    }

    /// The exact mean in milliseconds, `None` if nothing was recorded
    /// ([`LatencyStats::mean_ms`]).
    pub(crate) fn mean_ms(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_s / self.count as f64 * 1e3)
    }

    /// The distribution as [`LatencyStats`]: its histogram equal to one that recorded the
    /// same values one by one. Each bucket is recorded at once at a value of the bucket: the
    /// smallest value recorded for its bucket, the largest for its, any other the bucket's
    /// lowest (the histogram keeps counts per bucket and the extremes as recorded).
    pub(crate) fn into_stats(self) -> LatencyStats {
        let mut stats = LatencyStats {
            sum_s: self.sum_s,
            count: self.count,
            ..LatencyStats::default()
        };
        if self.count == 0 {
            return stats;
        }
        let (lowest, highest) = (index_of(self.min_us), index_of(self.max_us));
        for (i, &n) in self.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            if i == lowest && i == highest {
                // One bucket holds both extremes (the same value if it holds one record).
                stats.histogram.saturating_record_n(self.min_us, n - 1);
                stats.histogram.saturating_record(self.max_us);
            } else if i == lowest {
                stats.histogram.saturating_record_n(self.min_us, n);
            } else if i == highest {
                stats.histogram.saturating_record_n(self.max_us, n);
            } else {
                stats.histogram.saturating_record_n(value_at(i), n);
            }
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::LATENCY_MAX_US;
    use rand::{Rng, SeedableRng};

    /// The same latencies into a tally and, one by one, into [`LatencyStats`].
    fn both(latencies_ns: &[u64]) -> (LatencyStats, LatencyStats) {
        let mut tally = LatencyTally::default();
        let mut direct = LatencyStats::default();
        for &ns in latencies_ns {
            tally.record(SimTime::from_nanos(ns));
            direct.record(SimTime::from_nanos(ns));
        }
        (tally.into_stats(), direct)
    }

    fn assert_same(a: &LatencyStats, b: &LatencyStats) {
        // The debug form shows every field of the histogram: counts, total, raw extremes.
        assert_eq!(format!("{:?}", a.histogram), format!("{:?}", b.histogram));
        assert_eq!(a.histogram, b.histogram);
        assert_eq!(a.histogram.len(), b.histogram.len());
        assert_eq!(a.histogram.min(), b.histogram.min());
        assert_eq!(a.histogram.max(), b.histogram.max());
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0] {
            assert_eq!(
                a.histogram.value_at_quantile(q),
                b.histogram.value_at_quantile(q)
            );
        }
        assert_eq!(a.sum_s.to_bits(), b.sum_s.to_bits());
        assert_eq!(a.count, b.count);
    }

    #[test]
    fn bucket_indices_and_values_are_the_histograms() {
        let h = LatencyStats::default().histogram;
        assert_eq!(SUB_BUCKET_COUNT_MAGNITUDE, 11);
        // Every bucket's first value maps back to its index, and its neighbour below does not.
        for i in 0..h.distinct_values() {
            let v = value_at(i);
            assert_eq!(index_of(v.max(1)), i.max(1), "index {i}");
            assert_eq!(h.lowest_equivalent(v), v, "index {i}");
        }
        // The highest value kept has a bucket; twice the last bucket's first value has none.
        let last = h.distinct_values() - 1;
        assert!(index_of(h.high()) <= last);
        assert!(index_of(2 * value_at(last)) > last);
    }

    #[test]
    fn a_tally_makes_the_histogram_recording_one_by_one_makes() {
        // Nothing; one value; one bucket twice; sub-µs values (recorded as 1 µs); the
        // saturation past a day; then 20,000 values spread over nine decades.
        let mut cases: Vec<Vec<u64>> = vec![
            vec![],
            vec![1_234_567],
            vec![2_048_000, 2_048_999, 2_049_500],
            vec![0, 999, 1_000, 1_999],
            vec![LATENCY_MAX_US * 1_000 * 5, 10_000, LATENCY_MAX_US * 1_000],
            vec![(LATENCY_MAX_US + 1) * 1_000, u64::MAX],
        ];
        let mut rng = rand_pcg::Pcg64::seed_from_u64(5);
        cases.push(
            (0..20_000)
                .map(|_| 10f64.powf(rng.random_range(2.0..14.0)) as u64)
                .collect(),
        );
        for case in &cases {
            let (t, d) = both(case);
            assert_same(&t, &d);
        }
    }

    #[test]
    fn the_mean_is_the_exact_one() {
        let mut t = LatencyTally::default();
        assert_eq!(t.mean_ms(), None);
        t.record(SimTime::from_millis(10));
        t.record(SimTime::from_millis(20));
        assert_eq!(t.mean_ms(), Some(15.0));
    }
}
