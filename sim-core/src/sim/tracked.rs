//! The sources a measure keeps state for (the vital signs of the ages of information and of
//! the monitoring, the alarm sources of the books), as runs of consecutive source indices.
//!
//! A stream group's sources are consecutive in the model (every sender of a stream, then
//! every sender of the next stream), so the vital-sign sources of a campus form one run per
//! vital-sign stream: a measure holds one entry per tracked source and a few runs, where a
//! table over every source would also hold the alarm sources' empty places.
//!
//! Invariant: the runs are in increasing source order and do not overlap; run `r`'s sources
//! `first..end` have slots `at..at + (end − first)`, the slots of all runs being
//! `0..tracked()` in source order. Each run carries a value shared by its sources (a period),
//! a new run starting where it changes.

/// Consecutive tracked sources `first..end`, whose slots start at `at`, sharing `value`.
#[derive(Clone, Copy, Debug)]
struct Run<V> {
    first: u32,
    end: u32,
    at: u32,
    value: V,
}

/// The tracked sources of a model, each with a slot and its run's value.
#[derive(Clone, Debug)]
pub(super) struct Tracked<V> {
    runs: Vec<Run<V>>,
    tracked: u32,
}

impl<V: Copy + PartialEq> Tracked<V> {
    /// The sources for which `of` (in source order) gives a value.
    pub(super) fn new(of: impl IntoIterator<Item = Option<V>>) -> Tracked<V> {
        let mut runs: Vec<Run<V>> = Vec::new();
        let mut n = 0u32;
        for (k, v) in of.into_iter().enumerate() {
            let Some(value) = v else { continue };
            let k = k as u32;
            match runs.last_mut() {
                Some(r) if r.end == k && r.value == value => r.end += 1,
                _ => runs.push(Run {
                    first: k,
                    end: k + 1,
                    at: n,
                    value,
                }),
            }
            n += 1;
        }
        Tracked { runs, tracked: n }
    }

    /// How many sources are tracked.
    #[inline]
    pub(super) fn tracked(&self) -> usize {
        self.tracked as usize
    }

    /// `source`'s slot and value, if it is tracked: a binary search over the runs.
    #[inline]
    pub(super) fn get(&self, source: usize) -> Option<(usize, V)> {
        let i = self.runs.partition_point(|r| r.first as usize <= source);
        let r = self.runs.get(i.checked_sub(1)?)?;
        (source < r.end as usize).then(|| ((r.at as usize) + source - r.first as usize, r.value))
    }

    /// `source`'s slot, if it is tracked.
    #[inline]
    pub(super) fn slot(&self, source: usize) -> Option<usize> {
        self.get(source).map(|(k, _)| k)
    }

    /// The tracked sources, in increasing order (their slots are 0, 1, 2, ...).
    pub(super) fn sources(&self) -> impl Iterator<Item = usize> + Clone + '_ {
        self.runs
            .iter()
            .flat_map(|r| r.first as usize..r.end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs split where trackedness or the value changes; each source finds its own slot and
    /// value, an untracked one none, and the slots follow the source order.
    #[test]
    fn each_tracked_source_finds_its_slot_and_value() {
        let of = [
            None,
            Some(1),
            Some(1),
            Some(2),
            None,
            None,
            Some(2),
            None,
            Some(1),
        ];
        let t = Tracked::new(of);
        assert_eq!((t.runs.len(), t.tracked()), (4, 5));
        let got: Vec<Option<(usize, i32)>> = (0..11).map(|k| t.get(k)).collect();
        assert_eq!(
            got,
            [
                None,
                Some((0, 1)),
                Some((1, 1)),
                Some((2, 2)),
                None,
                None,
                Some((3, 2)),
                None,
                Some((4, 1)),
                None,
                None
            ]
        );
        assert_eq!(t.sources().collect::<Vec<_>>(), [1, 2, 3, 6, 8]);
        let none: Tracked<()> = Tracked::new([None, None]);
        assert_eq!(
            (none.tracked(), none.get(0), none.sources().count()),
            (0, None, 0)
        );
    }
}
