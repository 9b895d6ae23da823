//! A monotone radix heap of event keys: the future event list's main queue.
//!
//! # Why
//!
//! Large scenarios keep millions of events pending (one timer per sensor source), and a binary
//! heap of that size pays a cache miss at almost every level of each sift: at two million keys
//! a pop touches about 21 levels of a 48 MB array. An event list only ever pops times at or
//! after the last one popped and never schedules before it (the clock never goes back), which
//! is exactly the *monotone* priority queue a radix heap serves (Ahuja, Mehlhorn, Orlin and
//! Tarjan, "Faster algorithms for the shortest path problem", J. ACM 37(2), 1990): keys sit in
//! 65 buckets by the highest bit in which their time differs from the last popped time, a push
//! is an append, and a pop that empties the lowest buckets redistributes the next one downwards
//! in one sequential pass. Every key moves at most 64 times in its life and in practice a few,
//! always through memory read and written in order.
//!
//! # Invariants
//!
//! - `last` is at most the time of every key held; bucket 0 holds keys whose time equals `last`,
//!   bucket `b ≥ 1` those whose time first differs from `last` at bit `b − 1` (counting from the
//!   least significant), so every key of bucket `b` is earlier than every key of bucket `b + 1`.
//! - Bucket 0 is kept in increasing `seq` from `head` on (keys scheduled later have a larger
//!   `seq`, and the keys it receives from a redistribution are sorted), so ties pop FIFO.
//! - `occupied` has bit `b` set exactly when bucket `b` holds a key (for bucket 0: one at or
//!   after `head`).
//! - `hint`, when set, is the position of the minimum `(time, seq)` key of the lowest occupied
//!   bucket above 0, hence of every key outside bucket 0.
//! - `last` only moves when the minimum key is popped with [`RadixHeap::pop_min`], i.e. when the
//!   clock moves to that key's time: a key removed in place ([`RadixHeap::remove_min`]) leaves it,
//!   so scheduling between the clock and a dropped key stays possible.

use super::Key;

/// Buckets: 0 for `time == last`, then one per bit position of a `u64` time.
const BUCKETS: usize = 65;

/// Keys each bucket has room for from the start (65 × 64 × 24 B ≈ 100 KB): a small model
/// never grows a bucket, a large one grows them while it warms up.
const FIRST_ROOM: usize = 64;

/// A min-queue of [`Key`]s by `(time, seq)` whose times never go below the last popped time.
#[derive(Debug)]
pub(super) struct RadixHeap {
    last: u64,
    buckets: Vec<Vec<Key>>,
    head: usize,
    occupied: u128,
    hint: Option<(usize, usize)>,
    len: usize,
    /// Emptied bucket vectors kept for their capacity (see [`RadixHeap::make_room`]).
    spare: Vec<Vec<Key>>,
}

impl RadixHeap {
    /// An empty queue at time zero.
    pub(super) fn new() -> Self {
        RadixHeap {
            last: 0,
            buckets: (0..BUCKETS)
                .map(|_| Vec::with_capacity(FIRST_ROOM))
                .collect(),
            head: 0,
            occupied: 0,
            hint: None,
            len: 0,
            spare: Vec::with_capacity(BUCKETS + 1),
        }
    }

    /// The number of keys held.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The bucket of a key at `time` (≥ `last`).
    #[inline]
    fn bucket_of(&self, time: u64) -> usize {
        (u64::BITS - (time ^ self.last).leading_zeros()) as usize
    }

    /// Adds `key`; its time must be at least the last popped time.
    #[inline]
    pub(super) fn push(&mut self, key: Key) {
        debug_assert!(key.time >= self.last, "radix heap: key before the last pop");
        let b = self.bucket_of(key.time);
        self.make_room(b);
        let bucket = &mut self.buckets[b];
        let pos = bucket.len();
        bucket.push(key);
        self.len += 1;
        if b > 0 {
            match self.hint {
                // Every bucket below the hinted one is empty: `key` is alone in its bucket.
                Some((hb, _)) if b < hb => self.hint = Some((b, pos)),
                Some((hb, hp)) if b == hb && key.before(&self.buckets[b][hp]) => {
                    self.hint = Some((b, pos));
                }
                Some(_) => {}
                None => {
                    let below = self.occupied & ((1u128 << b) - 1) & !1;
                    if pos == 0 && below == 0 {
                        self.hint = Some((b, 0));
                    }
                }
            }
        }
        self.occupied |= 1u128 << b;
    }

    /// Before a push into full bucket `b`: hands it the roomiest spare vector instead of
    /// growing it. Which bucket holds the keys moves with the clock, the capacity goes with
    /// them; in steady state the spares cover every bucket and nothing allocates (the
    /// allocation test of the event loop checks it).
    #[inline]
    fn make_room(&mut self, b: usize) {
        let bucket = &self.buckets[b];
        if bucket.len() < bucket.capacity() {
            return;
        }
        self.give_spare(b);
    }

    /// Swaps the roomiest spare, if roomier, into bucket `b`. Vectors only change places, so
    /// at most one per bucket plus one exists: the spares never pile up.
    #[inline(never)]
    fn give_spare(&mut self, b: usize) {
        let have = self.buckets[b].capacity();
        let best = (0..self.spare.len())
            .filter(|&i| self.spare[i].capacity() > have)
            .max_by_key(|&i| self.spare[i].capacity());
        if let Some(i) = best {
            let mut room = self.spare.swap_remove(i);
            room.append(&mut self.buckets[b]);
            let old = std::mem::replace(&mut self.buckets[b], room);
            if old.capacity() > 0 {
                self.spare.push(old);
            }
        }
    }

    /// The position of the minimum key outside bucket 0, found by one scan of the lowest
    /// occupied bucket when not known.
    #[inline]
    fn lowest(&mut self) -> Option<(usize, usize)> {
        if self.hint.is_none() {
            self.scan_lowest();
        }
        self.hint
    }

    /// Sets `hint` by scanning the lowest occupied bucket above 0 (if any).
    #[inline(never)]
    fn scan_lowest(&mut self) {
        let rest = self.occupied & !1;
        if rest == 0 {
            return;
        }
        let b = rest.trailing_zeros() as usize;
        let bucket = &self.buckets[b];
        let mut p = 0;
        for (i, k) in bucket.iter().enumerate().skip(1) {
            if k.before(&bucket[p]) {
                p = i;
            }
        }
        self.hint = Some((b, p));
    }

    /// The minimum key by `(time, seq)`, without removing it.
    #[inline]
    pub(super) fn min(&mut self) -> Option<Key> {
        if let Some(key) = self.buckets[0].get(self.head) {
            return Some(*key);
        }
        let (b, p) = self.lowest()?;
        Some(self.buckets[b][p])
    }

    /// Takes the front of bucket 0, if any.
    #[inline]
    fn take_front(&mut self) -> Option<Key> {
        let key = *self.buckets[0].get(self.head)?;
        self.head += 1;
        if self.head == self.buckets[0].len() {
            self.buckets[0].clear();
            self.head = 0;
            self.occupied &= !1;
        }
        self.len -= 1;
        Some(key)
    }

    /// Removes the minimum key *without* moving `last` (for a cancelled key: the clock does not
    /// move to its time).
    pub(super) fn remove_min(&mut self) -> Option<Key> {
        if let Some(key) = self.take_front() {
            return Some(key);
        }
        let (b, p) = self.lowest()?;
        let key = self.buckets[b].swap_remove(p);
        if self.buckets[b].is_empty() {
            self.occupied &= !(1u128 << b);
        }
        self.hint = None;
        self.len -= 1;
        Some(key)
    }

    /// Removes the minimum key and moves `last` to its time: the caller's clock moves there, so
    /// nothing earlier will be pushed.
    #[inline]
    pub(super) fn pop_min(&mut self) -> Option<Key> {
        if let Some(key) = self.take_front() {
            return Some(key);
        }
        let (b, p) = self.lowest()?;
        let mut keys = std::mem::take(&mut self.buckets[b]);
        let key = keys.swap_remove(p);
        self.occupied &= !(1u128 << b);
        self.last = key.time;
        self.len -= 1;
        // Every bucket below `b` is empty (bucket 0 too): the keys all move below `b`, and the
        // smallest of those landing above 0 becomes the new hint.
        let mut hint: Option<(usize, usize)> = None;
        for &k in &keys {
            let nb = self.bucket_of(k.time);
            self.make_room(nb);
            let bucket = &mut self.buckets[nb];
            let pos = bucket.len();
            bucket.push(k);
            self.occupied |= 1u128 << nb;
            if nb > 0 {
                let better = match hint {
                    None => true,
                    Some((hb, hp)) => k.before(&self.buckets[hb][hp]),
                };
                if better {
                    hint = Some((nb, pos));
                }
            }
        }
        keys.clear();
        self.spare.push(keys);
        self.hint = hint;
        // Ties with `key` came in bucket order, not scheduling order.
        if self.buckets[0].len() > 1 {
            self.buckets[0].sort_unstable_by_key(|k| k.seq);
        }
        Some(key)
    }

    /// Keeps only the keys for which `keep` holds.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Key) -> bool) {
        self.buckets[0].drain(..self.head);
        self.head = 0;
        self.occupied = 0;
        self.len = 0;
        for (b, bucket) in self.buckets.iter_mut().enumerate() {
            bucket.retain(&mut keep);
            if !bucket.is_empty() {
                self.occupied |= 1u128 << b;
                self.len += bucket.len();
            }
        }
        self.hint = None;
    }

    /// Every key held, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Key> {
        self.buckets[0][self.head..]
            .iter()
            .chain(self.buckets[1..].iter().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(time: u64, seq: u64) -> Key {
        Key {
            time,
            seq,
            slot: seq as u32,
        }
    }

    #[test]
    fn a_redistribution_keeps_ties_in_scheduling_order() {
        let mut h = RadixHeap::new();
        // Pushed from late to early: one bucket holds them in reverse order of time.
        for (seq, time) in [(0, 900), (1, 700), (2, 700), (3, 512), (4, 700)] {
            h.push(key(time, seq));
        }
        let order: Vec<_> = std::iter::from_fn(|| h.pop_min())
            .map(|k| (k.time, k.seq))
            .collect();
        assert_eq!(order, [(512, 3), (700, 1), (700, 2), (700, 4), (900, 0)]);
    }

    #[test]
    fn removing_in_place_leaves_the_clock_so_earlier_keys_may_come() {
        let mut h = RadixHeap::new();
        h.push(key(10, 0));
        h.pop_min();
        h.push(key(1_000, 1));
        h.push(key(2_000, 2));
        assert_eq!(h.remove_min().map(|k| k.seq), Some(1));
        // The clock is still at 10: a key at 20 is legal and pops first.
        h.push(key(20, 3));
        assert_eq!(h.pop_min().map(|k| k.seq), Some(3));
        assert_eq!(h.pop_min().map(|k| k.seq), Some(2));
        assert_eq!(h.pop_min(), None);
        assert_eq!(h.len(), 0);
    }

    proptest! {
        /// Against a sorted reference: pushes at any time from the last pop on (small and large
        /// gaps, many ties), pops, in-place removals and retains give the keys in `(time, seq)`.
        #[test]
        fn matches_a_sorted_reference(
            ops in prop::collection::vec((0u8..7, 0u64..40, 0u32..40), 1..600)
        ) {
            let mut h = RadixHeap::new();
            let mut reference: Vec<(u64, u64)> = Vec::new();
            let mut now = 0u64;
            let mut seq = 0u64;
            for (op, x, shift) in ops {
                match op {
                    0..=2 => {
                        // A gap of x, or x scaled to reach high bits, or exactly now (ties).
                        let gap = match op { 0 => x, 1 => x << shift, _ => 0 };
                        let t = now.saturating_add(gap);
                        h.push(key(t, seq));
                        reference.push((t, seq));
                        seq += 1;
                    }
                    3 => {
                        reference.sort();
                        let expected = (!reference.is_empty()).then(|| reference.remove(0));
                        let got = h.remove_min().map(|k| (k.time, k.seq));
                        prop_assert_eq!(got, expected);
                    }
                    4 => {
                        let drop = x % 3;
                        h.retain(|k| k.seq % 3 != drop);
                        reference.retain(|r| r.1 % 3 != drop);
                    }
                    _ => {
                        reference.sort();
                        prop_assert_eq!(h.min().map(|k| (k.time, k.seq)), reference.first().copied());
                        let expected = (!reference.is_empty()).then(|| reference.remove(0));
                        let got = h.pop_min().map(|k| (k.time, k.seq));
                        prop_assert_eq!(got, expected);
                        if let Some((t, _)) = got {
                            now = t;
                        }
                    }
                }
                prop_assert_eq!(h.len(), reference.len());
                prop_assert_eq!(h.iter().count(), reference.len());
            }
        }
    }
}
