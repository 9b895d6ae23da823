//! The event list's main queue of keys: a short unsorted array while few keys are held, the
//! radix heap past that.
//!
//! # Why two structures
//!
//! The radix heap (`radix_heap`) is what keeps a pop cheap with millions of pending timers: it
//! appends on push and moves keys in sequential passes. With a handful of keys pending (a
//! tandem of stations holds 3–6) each pop empties the lowest bucket and redistributes the next
//! one, a chunk taken and given back per key moved and a scan for the new minimum: about 160
//! instructions a pop. A handful of keys in an unsorted array costs a comparison per key to
//! find the minimum after a pop, made without branches (the comparison's result selects the
//! index), so the random times mispredict nothing; only the scan's end, at the count of keys,
//! is a branch. (Kept out after trial, BENCHMARKS.md, eleventh round: a binary heap of few keys,
//! whose sifts branch on the random times — the tandem ran 10 % slower than on the radix heap;
//! a scan of all 16 entries whatever the count — 19 % slower than this one.)
//!
//! # Invariants
//!
//! - Exactly one of the two structures holds keys: `few[..len]` while `spilled` is false, the
//!   radix heap while it is true.
//! - While not spilled, `min` is the position in `few` of the minimum `(time, seq)` key (0 when
//!   empty).
//! - The queue spills (moves every key to the radix heap) when a push would make `few` hold
//!   more than `spill_at` keys, and gathers them back (radix heap emptied, `few` refilled) when
//!   a removal leaves the radix heap holding `gather_at` keys or fewer; `gather_at` is well below
//!   `spill_at`, so a count that hovers around either threshold does not switch back and forth:
//!   between two switches at least `spill_at − gather_at` operations run, and each switch moves
//!   at most `spill_at + 1` keys.
//! - `last` is the time of the last key popped with [`KeyQueue::pop_min`] while not spilled;
//!   the radix heap keeps its own while spilled, and each switch hands it over. Every key held
//!   is at or after it.
//! - Both structures order keys by `(time, seq)`, unique per key, so which one holds them never
//!   changes the order in which they pop: a run is the same event for event either way.
//! - **Allocation-free after warm-up**: `few` is a fixed array; the radix heap keeps its
//!   storage when emptied (see its invariants), so a switch allocates nothing once the radix
//!   heap has held that many keys.

use super::Key;
use super::radix_heap::RadixHeap;

/// Room of the unsorted array: [`SPILL_AT`] keys (24 B each, 384 B in all).
const FEW: usize = 16;

/// Keys held in the unsorted array at most: past that, finding the minimum after each pop
/// costs more than the radix heap's pop.
pub(super) const SPILL_AT: usize = FEW;

/// Keys the radix heap holds at most when it hands them back to the array: a quarter of
/// [`SPILL_AT`], so that the queue switches at most once per 12 operations.
pub(super) const GATHER_AT: usize = SPILL_AT / 4;

/// `(time, seq)` as one number: comparisons without branches.
#[inline(always)]
fn order(k: &Key) -> u128 {
    (u128::from(k.time) << 64) | u128::from(k.seq)
}

/// A min-queue of [`Key`]s by `(time, seq)` whose times never go below the last popped time.
#[derive(Debug)]
pub(super) struct KeyQueue {
    few: [Key; FEW],
    len: usize,
    min: usize,
    radix: RadixHeap,
    spilled: bool,
    last: u64,
    spill_at: usize,
    gather_at: usize,
}

impl KeyQueue {
    /// An empty queue at time zero, with radix-heap storage for `n` keys when `n` is past
    /// [`SPILL_AT`] (a model known to keep many events pending).
    pub(super) fn with_room(n: usize) -> Self {
        Self::with_thresholds(n, SPILL_AT, GATHER_AT)
    }

    /// An empty queue switching structures at the given counts
    /// (`gather_at < spill_at ≤` [`SPILL_AT`]).
    pub(super) fn with_thresholds(n: usize, spill_at: usize, gather_at: usize) -> Self {
        debug_assert!(gather_at < spill_at && spill_at <= FEW);
        let blank = Key {
            time: 0,
            seq: 0,
            slot: 0,
            hint: super::NO_HINT,
        };
        KeyQueue {
            few: [blank; FEW],
            len: 0,
            min: 0,
            radix: RadixHeap::with_room(if n > spill_at { n } else { 0 }),
            spilled: false,
            last: 0,
            spill_at,
            gather_at,
        }
    }

    /// The number of keys held.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        if self.spilled {
            self.radix.len()
        } else {
            self.len
        }
    }

    /// Adds `key`; its time must be at least the last popped time.
    #[inline(always)]
    pub(super) fn push(&mut self, key: Key) {
        if self.spilled {
            self.radix.push(key);
        } else if self.len < self.spill_at {
            debug_assert!(key.time >= self.last, "key queue: key before the last pop");
            let at = self.len;
            self.few[at] = key;
            self.len += 1;
            if order(&key) < order(&self.few[self.min]) {
                self.min = at;
            }
        } else {
            self.spill();
            self.radix.push(key);
        }
    }

    /// The position of the minimum of `few[..len]` (0 when empty), by a scan without branches.
    #[inline(always)]
    fn find_min(&self) -> usize {
        let mut best = 0;
        let mut least = u128::MAX;
        for (i, k) in self.few[..self.len].iter().enumerate() {
            let o = order(k);
            let better = o < least;
            best = if better { i } else { best };
            least = if better { o } else { least };
        }
        best
    }

    /// Takes the minimum key out of `few` (which holds one at least).
    #[inline(always)]
    fn take_min(&mut self) -> Key {
        let key = self.few[self.min];
        self.len -= 1;
        self.few[self.min] = self.few[self.len];
        self.min = self.find_min();
        key
    }

    /// Moves every key to the radix heap, in `(time, seq)` order (its bucket of the current
    /// instant must receive ties in scheduling order).
    #[cold]
    #[inline(never)]
    fn spill(&mut self) {
        let few = &mut self.few[..self.len];
        few.sort_unstable_by_key(order);
        self.radix.clear_at(self.last);
        for k in few.iter() {
            self.radix.push(*k);
        }
        self.len = 0;
        self.min = 0;
        self.spilled = true;
    }

    /// Moves every key back to the array, once the radix heap holds few.
    #[cold]
    #[inline(never)]
    fn gather(&mut self) {
        self.len = 0;
        for k in self.radix.iter() {
            self.few[self.len] = *k;
            self.len += 1;
        }
        self.min = self.find_min();
        self.last = self.radix.last();
        self.radix.clear_at(self.last);
        self.spilled = false;
    }

    /// The minimum key by `(time, seq)`, without removing it, known without a search in the
    /// array and in the radix heap alike; `None` if the queue is empty.
    #[inline]
    pub(super) fn min(&self) -> Option<Key> {
        if self.spilled {
            self.radix.min()
        } else {
            (self.len > 0).then(|| self.few[self.min])
        }
    }

    /// Removes the minimum key *without* moving the last popped time (for a cancelled key: the
    /// clock does not move to its time).
    #[inline]
    pub(super) fn remove_min(&mut self) -> Option<Key> {
        if !self.spilled {
            return (self.len > 0).then(|| self.take_min());
        }
        let key = self.radix.remove_min();
        if self.radix.len() <= self.gather_at {
            self.gather();
        }
        key
    }

    /// Removes the minimum key and moves the last popped time to its time: the caller's clock
    /// moves there, so nothing earlier will be pushed.
    #[inline]
    pub(super) fn pop_min(&mut self) -> Option<Key> {
        if !self.spilled {
            if self.len == 0 {
                return None;
            }
            let key = self.take_min();
            self.last = key.time;
            return Some(key);
        }
        let key = self.radix.pop_min();
        if self.radix.len() <= self.gather_at {
            self.gather();
        }
        key
    }

    /// Keeps only the keys for which `keep` holds.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Key) -> bool) {
        if self.spilled {
            self.radix.retain(keep);
            if self.radix.len() <= self.gather_at {
                self.gather();
            }
        } else {
            let mut kept = 0;
            for i in 0..self.len {
                let k = self.few[i];
                if keep(&k) {
                    self.few[kept] = k;
                    kept += 1;
                }
            }
            self.len = kept;
            self.min = self.find_min();
        }
    }

    /// Every key held, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Key> {
        let few = if self.spilled {
            &[][..]
        } else {
            &self.few[..self.len]
        };
        few.iter().chain(self.radix.iter())
    }

    /// Whether the keys are in the radix heap.
    #[cfg(test)]
    pub(super) fn spilled(&self) -> bool {
        self.spilled
    }
}

#[cfg(test)]
mod tests {
    use super::super::reference::{Reference, key};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ties_pop_in_scheduling_order_across_a_spill_and_a_gather() {
        let mut q = KeyQueue::with_thresholds(0, 8, 2);
        q.push(key(5, 0));
        assert_eq!(q.pop_min().map(|k| k.seq), Some(0));
        // Ten keys at the clock's instant and two later, pushed late first: the spill happens
        // at the ninth key and must keep the instant's ties in scheduling order.
        let mut seq = 1;
        for t in [9, 7] {
            q.push(key(t, seq));
            seq += 1;
        }
        for _ in 0..10 {
            q.push(key(5, seq));
            seq += 1;
        }
        assert!(q.spilled());
        let order: Vec<_> = std::iter::from_fn(|| q.pop_min())
            .map(|k| (k.time, k.seq))
            .collect();
        let mut expected: Vec<_> = (3..13).map(|s| (5, s)).collect();
        expected.extend([(7, 2), (9, 1)]);
        assert_eq!(order, expected);
        assert!(!q.spilled(), "an empty queue is back in its binary heap");
    }

    #[test]
    fn the_switches_allocate_nothing_after_the_first_spill() {
        let mut q = KeyQueue::with_room(0);
        let mut seq = 0;
        let mut cycle = |q: &mut KeyQueue| {
            for _ in 0..200 {
                let t = q.last + 1 + seq % 97;
                q.push(key(t, seq));
                seq += 1;
            }
            assert!(q.spilled());
            while q.pop_min().is_some() {}
            assert!(!q.spilled());
        };
        cycle(&mut q);
        let storage = q.radix.capacities();
        for _ in 0..5 {
            cycle(&mut q);
            assert_eq!(q.radix.capacities(), storage);
        }
    }

    proptest! {
        /// Against a sorted reference, with thresholds small enough that the queue switches
        /// often: pushes from the last pop on, pops, in-place removals and retains give the
        /// keys in `(time, seq)`, and the minimum is always known while the keys are few.
        #[test]
        fn matches_a_sorted_reference_through_the_switches(
            ops in prop::collection::vec((0u8..8, 0u64..40, 0u32..40), 1..600)
        ) {
            let mut q = KeyQueue::with_thresholds(0, 6, 2);
            let mut reference = Reference::default();
            for (op, x, shift) in ops {
                // Half the operations push (7 as 0): the count of keys wanders up and down
                // across both thresholds (six switches per case on average, nine cases in ten
                // switch at least once).
                reference.apply(&mut q, if op == 7 { 0 } else { op }, x, shift)?;
                // The minimum is known without a search on either side of the switch.
                prop_assert_eq!(q.min().map(|k| (k.time, k.seq)), reference.first());
                if !q.spilled() {
                    prop_assert!(q.len() <= 6);
                }
                prop_assert_eq!(q.len(), reference.keys.len());
                prop_assert_eq!(q.iter().count(), reference.keys.len());
            }
        }
    }
}
