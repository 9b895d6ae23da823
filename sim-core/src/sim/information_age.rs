//! How fresh the clinician's picture is: the age of information (AoI) of every vital-sign
//! stream (Kaul, Yates & Gruteser 2012, "Real-time status: how often should one update?",
//! IEEE INFOCOM).
//!
//! The age of a stream at instant t is `Δ(t) = t − u(t)`, where `u(t)` is the creation
//! instant of the newest reading of the stream delivered by t. It grows at slope 1 and drops
//! at each delivery of a reading newer than any before (a sawtooth). Reported per stream are
//! its time average over the measured window `[W, T]`, `(1 / (T − W)) ∫_W^T Δ(t) dt`, and its
//! peak, the largest `Δ(t)` in the window (reached just before a delivery, or at `T`).
//!
//! The integral is exact, taken at delivery events: between two deliveries Δ is linear, so
//! the area of a stretch `[a, b]` is `((a − u) + (b − u)) / 2 · (b − a)`. Each delivery costs
//! O(1) and allocates nothing. Readings delivered during the warm-up set `u` (the picture at
//! the start of the window), but only the window's area and peak count. Before any delivery
//! `u` is the start of the run: nothing is known since time zero.
//!
//! For the time series (`timeseries.csv`'s `aoi_mean_ms`), each stream also keeps its area
//! from time zero, `∫_0^t Δ`, so the mean age over a grid interval `[a, b]` is the difference
//! of the two areas over `b − a`, averaged over the streams: warm-up included, like every
//! series.
//!
//! Which streams: sources on sensing-layer nodes of the routine class (vital signs; alarms are
//! events, not samples of a state). Which readings: genuine ones only. A forged or replayed
//! copy never refreshes the picture, and neither does a reading altered on the way
//! ([`Origin::Tampered`](crate::packet::Origin::Tampered)): what it shows is not the
//! patient's state.
//!
//! Invariant: for every tracked stream, `since = max(W, last)` is the instant up to which
//! `area` and `peak` are counted (the warm-up before any delivery in the window; deliveries
//! come in time order), and `newest ≤ since` once a delivery in the window happened. A
//! stream is 40 bytes: `since` is computed rather than stored. A source that is not a vital
//! sign holds nothing: the tracked sources are kept as runs of consecutive source indices
//! (a stream group's sources are consecutive, so a campus has one run per vital-sign stream,
//! and its alarm sources cost nothing).

use super::Model;
use super::tracked::Tracked;
use crate::ids::SourceId;
use crate::time::SimTime;
use crate::topology::Layer;
use crate::traffic::TrafficClass;

/// One stream's age so far.
#[derive(Clone, Copy, Debug)]
struct Stream {
    /// Creation of its newest delivered reading (time zero before any), s.
    newest: f64,
    /// `∫ Δ(t) dt` over `[W, since]`, s², `since = max(W, last)`.
    area: f64,
    /// Largest Δ over `[W, since]`, s.
    peak: f64,
    /// The last delivery of a newer reading (time zero before any), s.
    last: f64,
    /// `∫ Δ(t) dt` over `[0, last]`, s².
    run_area: f64,
}

impl Stream {
    /// A tracked stream, nothing delivered yet.
    const NEW: Stream = Stream {
        newest: 0.0,
        area: 0.0,
        peak: 0.0,
        last: 0.0,
        run_area: 0.0,
    };

    /// The area and peak over `[W, t]` (warm-up `warmup`), Δ having grown linearly since
    /// `max(W, last)`.
    #[inline]
    fn up_to(&self, warmup: f64, t: f64) -> (f64, f64) {
        let since = warmup.max(self.last);
        if t <= since {
            return (self.area, self.peak);
        }
        let (a, b) = (since - self.newest, t - self.newest);
        (self.area + 0.5 * (a + b) * (t - since), self.peak.max(b))
    }

    /// `∫ Δ(t) dt` over `[0, t]`, for `t ≥ self.last`.
    #[inline]
    fn run_area_to(&self, t: f64) -> f64 {
        let (a, b) = (self.last - self.newest, t - self.newest);
        self.run_area + 0.5 * (a + b) * (t - self.last).max(0.0)
    }
}

/// The age of information of one stream over a measured window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct StreamAge {
    /// Time average, s.
    pub(super) mean_s: f64,
    /// Peak, s.
    pub(super) peak_s: f64,
}

/// The age of information of every vital-sign stream.
#[derive(Debug)]
pub(super) struct InformationAge {
    warmup: f64,
    /// The vital-sign sources ([`Tracked`]).
    tracked: Tracked<()>,
    /// Their streams, in source order.
    streams: Vec<Stream>,
}

impl InformationAge {
    /// The vital-sign streams of `model`, nothing delivered yet.
    pub(super) fn new(model: &Model) -> InformationAge {
        let tracked = model.sources.iter().map(|s| {
            (s.stream.class == TrafficClass::Routine
                && model.topology.node(s.node).layer == Layer::Sensing)
                .then_some(())
        });
        InformationAge::of(model.config.warmup.as_secs_f64(), tracked)
    }

    /// Nothing delivered yet to the sources marked by `tracked` (in source order), warm-up
    /// `warmup` (s).
    fn of(warmup: f64, tracked: impl IntoIterator<Item = Option<()>>) -> InformationAge {
        let tracked = Tracked::new(tracked);
        InformationAge {
            warmup,
            streams: vec![Stream::NEW; tracked.tracked()],
            tracked,
        }
    }

    /// Asks the memory for `source`'s stream, which a delivery of its reading updates
    /// (`crate::prefetch`); changes nothing.
    #[inline]
    pub(super) fn prefetch(&self, source: SourceId) {
        if let Some(k) = self.tracked.slot(source.index()) {
            crate::prefetch::prefetch_at(&self.streams, k);
        }
    }

    /// A genuine reading of `source` created at `created` was delivered at `now`.
    #[inline]
    pub(super) fn delivered(&mut self, source: SourceId, created: SimTime, now: SimTime) {
        let Some(k) = self.tracked.slot(source.index()) else {
            return;
        };
        let s = &mut self.streams[k];
        let created = created.as_secs_f64();
        if created <= s.newest {
            // Older than what the destination already has: the picture does not change.
            return;
        }
        let now = now.as_secs_f64();
        (s.area, s.peak) = s.up_to(self.warmup, now);
        s.run_area = s.run_area_to(now);
        s.last = now;
        s.newest = created;
    }

    /// The area under every vital-sign stream's age from time zero to `now`, summed over the
    /// streams (s²), and their count; `now` is no earlier than the last delivery.
    pub(super) fn run_area(&self, now: SimTime) -> (f64, u32) {
        let now = now.as_secs_f64();
        self.streams
            .iter()
            .fold((0.0, 0), |(area, n), s| (area + s.run_area_to(now), n + 1))
    }

    /// The age of `source`'s stream over the window ending at `end`; `None` if the source is
    /// not a vital sign or the window is empty.
    pub(super) fn stream(&self, source: usize, end: SimTime) -> Option<StreamAge> {
        let s = &self.streams[self.tracked.slot(source)?];
        let end = end.as_secs_f64();
        let window = end - self.warmup;
        if window <= 0.0 {
            return None;
        }
        let (area, peak) = s.up_to(self.warmup, end);
        Some(StreamAge {
            mean_s: area / window,
            peak_s: peak,
        })
    }

    /// Every vital-sign stream's age over the window ending at `end`, by source index.
    pub(super) fn streams(
        &self,
        end: SimTime,
    ) -> impl Iterator<Item = (usize, StreamAge)> + Clone + '_ {
        self.tracked
            .sources()
            .filter_map(move |k| Some((k, self.stream(k, end)?)))
    }
}

/// The mean of the streams' time averages and the largest of their peaks, ms; `None` without
/// streams. With one window for all, the mean of time averages is the time average of the
/// streams' mean age.
pub(super) fn combine(ages: impl Iterator<Item = StreamAge>) -> Option<(f64, f64)> {
    let mut sum = AgeSum::default();
    ages.for_each(|a| sum.add(a));
    sum.combined()
}

/// Streams' ages being combined ([`combine`]) one at a time, so that a single pass over the
/// streams can fill one per patient or per node group: the count, the sum of the time
/// averages in the order added, and the largest peak.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct AgeSum {
    n: u32,
    sum: f64,
    peak: f64,
}

impl AgeSum {
    /// Adds one stream's age.
    #[inline]
    pub(super) fn add(&mut self, a: StreamAge) {
        self.n += 1;
        self.sum += a.mean_s;
        self.peak = self.peak.max(a.peak_s);
    }

    /// The number of streams added.
    pub(super) fn streams(&self) -> u32 {
        self.n
    }

    /// The mean of the time averages and the largest peak, ms, as [`combine`]; `None` if no
    /// stream was added.
    pub(super) fn combined(&self) -> Option<(f64, f64)> {
        (self.n > 0).then(|| (self.sum / f64::from(self.n) * 1e3, self.peak * 1e3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(warmup: f64) -> InformationAge {
        InformationAge::of(warmup, [Some(())])
    }

    fn at(s: f64) -> SimTime {
        SimTime::from_secs_f64(s)
    }

    /// A reading every T, each delivered after d: the sawtooth between d and d + T, mean
    /// d + T/2 and peak d + T (Kaul, Yates & Gruteser 2012, the D/D/1 case).
    #[test]
    fn a_periodic_stream_without_loss_has_mean_age_d_plus_half_t() {
        // The window [10.2, 110.2] holds exactly 100 teeth.
        let (t, d, warmup) = (1.0, 0.2, 10.2);
        let mut a = stream(warmup);
        for k in 0..=110 {
            let created = k as f64 * t;
            a.delivered(SourceId(0), at(created), at(created + d));
        }
        let end = at(110.0 + d);
        let age = a.stream(0, end).unwrap();
        assert!((age.mean_s - (d + t / 2.0)).abs() < 1e-6, "{age:?}");
        assert!((age.peak_s - (d + t)).abs() < 1e-6, "{age:?}");
    }

    /// Each reading lost independently with probability p: the gaps between delivered
    /// readings are geometric (mean T/(1−p), second moment T²(1+p)/(1−p)²), so the mean age
    /// is d + E[G²]/(2E[G]) = d + T/2 + T·p/(1−p) and the peak's mean d + T/(1−p).
    #[test]
    fn a_lossy_periodic_stream_matches_the_geometric_gap_formula() {
        use rand::Rng;
        let (t, d, p) = (1.0, 0.2, 0.3);
        let mut rng = crate::rng::stream(7, "aoi-loss");
        let mut a = stream(0.0);
        let n = 200_000;
        for k in 0..n {
            if rng.random::<f64>() >= p {
                let created = k as f64 * t;
                a.delivered(SourceId(0), at(created), at(created + d));
            }
        }
        let age = a.stream(0, at(n as f64 * t)).unwrap();
        let expected = d + t / 2.0 + t * p / (1.0 - p);
        assert!(
            (age.mean_s - expected).abs() < 0.02 * expected,
            "{} vs {expected}",
            age.mean_s
        );
        // Without loss it would be 0.7 s: the loss term is what is measured.
        assert!(age.mean_s > d + t / 2.0 + 0.8 * t * p / (1.0 - p));
    }

    /// Only the window counts: readings before the warm-up set the starting age, their area
    /// does not count.
    #[test]
    fn the_warm_up_sets_the_starting_age_but_adds_no_area() {
        let mut a = stream(10.0);
        a.delivered(SourceId(0), at(9.0), at(9.5));
        // Δ grows from 1 s at W = 10 to 3 s at 12, then is 1 s... and grows to 2 s at 13.
        a.delivered(SourceId(0), at(11.0), at(12.0));
        let age = a.stream(0, at(13.0)).unwrap();
        let area = 0.5 * (1.0 + 3.0) * 2.0 + 0.5 * (1.0 + 2.0) * 1.0;
        assert!((age.mean_s - area / 3.0).abs() < 1e-9, "{age:?}");
        assert!((age.peak_s - 3.0).abs() < 1e-9);
        // From time zero (the time series' area), the warm-up counts: Δ(t) = t up to 9.5 s,
        // then 0.5 → 3 s up to 12 s, then 1 → 2 s up to 13 s.
        let (run, n) = a.run_area(at(13.0));
        assert_eq!(n, 1);
        let whole = 9.5 * 9.5 / 2.0 + 0.5 * (0.5 + 3.0) * 2.5 + 0.5 * (1.0 + 2.0) * 1.0;
        assert!((run - whole).abs() < 1e-9, "{run} vs {whole}");
    }

    /// A reading older than the newest delivered one (overtaken on the way) changes nothing.
    #[test]
    fn a_stale_reading_does_not_refresh_the_age() {
        let mut a = stream(0.0);
        a.delivered(SourceId(0), at(2.0), at(3.0));
        let before = a.stream(0, at(5.0)).unwrap();
        a.delivered(SourceId(0), at(1.0), at(4.0));
        assert_eq!(a.stream(0, at(5.0)).unwrap(), before);
        // Never delivered: Δ(t) = t from time zero, mean (W + T) / 2 over [W, T].
        let silent = stream(2.0).stream(0, at(6.0)).unwrap();
        assert!((silent.mean_s - 4.0).abs() < 1e-12 && (silent.peak_s - 6.0).abs() < 1e-12);
    }

    /// A source that is not a vital sign ignores its deliveries and counts nowhere; the one
    /// beside it is not disturbed.
    #[test]
    fn an_untracked_source_counts_nowhere() {
        let mut a = InformationAge::of(1.0, [None, Some(()), None]);
        a.delivered(SourceId(0), at(2.0), at(3.0));
        a.delivered(SourceId(1), at(2.0), at(3.0));
        a.delivered(SourceId(2), at(2.0), at(3.0));
        assert!(a.stream(0, at(5.0)).is_none() && a.stream(2, at(5.0)).is_none());
        assert_eq!(a.streams.len(), 1);
        let streams: Vec<usize> = a.streams(at(5.0)).map(|(k, _)| k).collect();
        assert_eq!(streams, [1]);
        // Stream 1 alone: Δ = t up to 3 s (area 4.5 s²), then t − 2 to 5 s (area 4 s²).
        assert_eq!(a.run_area(at(5.0)), (8.5, 1));
        // Over [1, 5]: 4 s² to 3 s, then 4 s²; the peak is 3 s, just before the delivery.
        let age = a.stream(1, at(5.0)).unwrap();
        assert_eq!((age.mean_s, age.peak_s), (2.0, 3.0));
        assert_eq!(std::mem::size_of::<Stream>(), 40);
    }

    #[test]
    fn streams_combine_by_mean_of_means_and_largest_peak() {
        let ages = [
            StreamAge {
                mean_s: 1.0,
                peak_s: 2.0,
            },
            StreamAge {
                mean_s: 3.0,
                peak_s: 5.0,
            },
        ];
        assert_eq!(combine(ages.into_iter()), Some((2000.0, 5000.0)));
        assert_eq!(combine(std::iter::empty()), None);
    }
}
