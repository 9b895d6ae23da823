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
//! # Storage
//!
//! Bucket 0 (the keys due at the last popped time) is one vector, `now`, read from `head` on.
//! Buckets 1–64 share one arena of fixed-size *chunks* of [`CHUNK`] keys: each bucket is a
//! doubly linked chain of chunks, all full but its last, and emptied chunks go back to a free
//! list threaded through the same links. Which bucket holds the keys changes with the clock;
//! the chunks simply change hands, so storage is sized by the keys held, not by their spread
//! over the buckets.
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
//! - Every occupied bucket `b ≥ 1` knows its minimum: `chains[b].min` is the arena position of
//!   its least `(time, seq)` key, kept as keys are appended (one comparison each) and found
//!   again by a scan only when that key is removed in place. So the minimum of the keys outside
//!   bucket 0, that of the lowest occupied bucket, is always known without a search: the event
//!   list can prefetch the next event's memory after every pop, at any size. (Before, only the
//!   lowest bucket's minimum was tracked, and the next bucket was scanned once in full when it
//!   became the lowest, before the redistribution read it again: 4.6 keys read per pop at
//!   300,000 pending timers, on top of the 4.3 moved.)
//! - `last` only moves when the minimum key is popped with [`RadixHeap::pop_min`], i.e. when the
//!   clock moves to that key's time: a key removed in place ([`RadixHeap::remove_min`]) leaves it,
//!   so scheduling between the clock and a dropped key stays possible.
//! - **Allocation-free after warm-up, by construction.** `room` is at least the largest number
//!   of keys ever held, and the storage has capacity for `room` keys in `now` and for
//!   [`RadixHeap::chunks_for`]`(room)` = ⌈room / CHUNK⌉ + 65 chunks. At any instant the chunks
//!   in use number at most ⌈n / CHUNK⌉ + 65 for n keys held (each of the 64 chains has at most
//!   one partly filled chunk; during a redistribution the chunk being read, whose keys may
//!   already have been copied, is the 65th), and bucket 0 holds at most n keys once its popped
//!   front is dropped. So a push or a pop takes a chunk, or a slot of `now`, within the reserved
//!   capacity, and the only allocation is [`RadixHeap::grow`], called when the number of keys
//!   held exceeds `room` — exactly as a binary heap's vector grows only past its previous
//!   maximum. (The arena's growth is checked by a debug assertion and by a test.)

use super::Key;

/// Buckets: 0 for `time == last`, then one per bit position of a `u64` time.
const BUCKETS: usize = 65;

/// Keys per chunk of the arena (64 × 24 B = 1.5 KB, read and written in order).
const CHUNK: usize = 64;

/// No chunk (the end of a chain or of the free list).
const NIL: u32 = u32::MAX;

/// Keys the first reservation has room for: 256 keys in `now` and 69 chunks (≈ 110 KB in all),
/// so that a small model never grows its queue.
const FIRST_ROOM: usize = 256;

/// A bucket above 0: a chain of chunks in the arena, and where its least key is.
#[derive(Clone, Copy, Debug)]
struct Chain {
    first: u32,
    last: u32,
    len: usize,
    /// The arena position of the bucket's minimum `(time, seq)` key; meaningless while `len`
    /// is 0.
    min: usize,
}

/// A bucket with no chunk.
const EMPTY: Chain = Chain {
    first: NIL,
    last: NIL,
    len: 0,
    min: 0,
};

/// A min-queue of [`Key`]s by `(time, seq)` whose times never go below the last popped time.
#[derive(Debug)]
pub(super) struct RadixHeap {
    last: u64,
    /// Bucket 0, from `head` on.
    now: Vec<Key>,
    head: usize,
    /// Buckets 1–64 (entry 0 is unused).
    chains: [Chain; BUCKETS],
    /// The arena: chunk `c` is `keys[c · CHUNK .. (c + 1) · CHUNK]`.
    keys: Vec<Key>,
    /// The next chunk of a chain, or of the free list.
    next: Vec<u32>,
    /// The previous chunk of a chain.
    prev: Vec<u32>,
    /// The first free chunk.
    free: u32,
    occupied: u128,
    len: usize,
    /// The keys the storage is reserved for (see the module invariants).
    room: usize,
}

impl RadixHeap {
    /// An empty queue at time zero with storage for `n` keys (none: reserved at the first push).
    pub(super) fn with_room(n: usize) -> Self {
        let mut heap = Self::new();
        if n > 0 {
            heap.grow(n);
        }
        heap
    }

    /// An empty queue at time zero (it reserves its storage at the first push).
    pub(super) fn new() -> Self {
        RadixHeap {
            last: 0,
            now: Vec::new(),
            head: 0,
            chains: [EMPTY; BUCKETS],
            keys: Vec::new(),
            next: Vec::new(),
            prev: Vec::new(),
            free: NIL,
            occupied: 0,
            len: 0,
            room: 0,
        }
    }

    /// The number of keys held.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The last popped time: every key held is at or after it.
    pub(super) fn last(&self) -> u64 {
        self.last
    }

    /// Drops every key and sets the last popped time to `last`, keeping the storage: the queue
    /// is as new at `last`, with the room it had (so refilling it allocates nothing).
    pub(super) fn clear_at(&mut self, last: u64) {
        self.last = last;
        self.now.clear();
        self.head = 0;
        self.chains = [EMPTY; BUCKETS];
        // Every chunk is free again: forgetting them all keeps their storage's capacity, and
        // `take_chunk` hands them out anew from the start of the arena.
        self.keys.clear();
        self.next.clear();
        self.prev.clear();
        self.free = NIL;
        self.occupied = 0;
        self.len = 0;
    }

    /// The chunks `n` keys may occupy at once: ⌈n / CHUNK⌉ + 65 (module invariants).
    fn chunks_for(n: usize) -> usize {
        n.div_ceil(CHUNK) + BUCKETS
    }

    /// Reserves storage for at least `need` keys, doubling the reservation: the queue's only
    /// allocation, made when it holds more keys than ever before.
    #[cold]
    #[inline(never)]
    fn grow(&mut self, need: usize) {
        let room = need.max(2 * self.room).max(FIRST_ROOM);
        let chunks = Self::chunks_for(room);
        self.keys.reserve_exact(chunks * CHUNK - self.keys.len());
        self.next.reserve_exact(chunks - self.next.len());
        self.prev.reserve_exact(chunks - self.prev.len());
        self.now.reserve_exact(room.saturating_sub(self.now.len()));
        self.room = room;
    }

    /// A chunk off the free list, or a new one within the reserved capacity.
    #[inline]
    fn take_chunk(&mut self) -> u32 {
        if self.free != NIL {
            let c = self.free;
            self.free = self.next[c as usize];
            return c;
        }
        let c = self.next.len();
        debug_assert!(
            c < Self::chunks_for(self.room) && self.keys.len() + CHUNK <= self.keys.capacity(),
            "radix heap: more chunks in use than its reservation allows"
        );
        let blank = Key {
            time: 0,
            seq: 0,
            slot: 0,
            hint: super::NO_HINT,
        };
        self.keys.resize(self.keys.len() + CHUNK, blank);
        self.next.push(NIL);
        self.prev.push(NIL);
        c as u32
    }

    /// Returns chunk `c` to the free list.
    #[inline]
    fn release_chunk(&mut self, c: u32) {
        self.next[c as usize] = self.free;
        self.free = c;
    }

    /// Appends `key` to bucket `b ≥ 1`, keeping the bucket's minimum.
    #[inline(always)]
    fn append(&mut self, b: usize, key: Key) {
        let least = {
            let chain = &self.chains[b];
            chain.len == 0 || key.before(&self.keys[chain.min])
        };
        let off = self.chains[b].len % CHUNK;
        if off == 0 {
            let c = self.take_chunk();
            let chain = &mut self.chains[b];
            self.next[c as usize] = NIL;
            if chain.len == 0 {
                chain.first = c;
                self.prev[c as usize] = NIL;
            } else {
                self.next[chain.last as usize] = c;
                self.prev[c as usize] = chain.last;
            }
            chain.last = c;
        }
        let chain = &mut self.chains[b];
        let pos = chain.last as usize * CHUNK + off;
        chain.len += 1;
        if least {
            chain.min = pos;
        }
        self.keys[pos] = key;
    }

    /// Removes the key at arena position `p` of bucket `b ≥ 1`, moving the bucket's last key
    /// there. The bucket's minimum is the caller's to find again.
    fn remove_at(&mut self, b: usize, p: usize) {
        let chain = &mut self.chains[b];
        chain.len -= 1;
        let end = chain.last as usize * CHUNK + chain.len % CHUNK;
        let tail = chain.last;
        let emptied = chain.len.is_multiple_of(CHUNK);
        let none_left = chain.len == 0;
        self.keys[p] = self.keys[end];
        if emptied {
            let before = self.prev[tail as usize];
            self.release_chunk(tail);
            if none_left {
                self.chains[b] = EMPTY;
                self.occupied &= !(1u128 << b);
            } else {
                self.chains[b].last = before;
                self.next[before as usize] = NIL;
            }
        }
    }

    /// The bucket of a key at `time` (≥ `last`).
    #[inline]
    fn bucket_of(&self, time: u64) -> usize {
        (u64::BITS - (time ^ self.last).leading_zeros()) as usize
    }

    /// Adds `key`; its time must be at least the last popped time. Inlined into the event
    /// list's `schedule` (see there): the key's fields stay in registers.
    #[inline(always)]
    pub(super) fn push(&mut self, key: Key) {
        debug_assert!(key.time >= self.last, "radix heap: key before the last pop");
        if self.len >= self.room {
            self.grow(self.len + 1);
        }
        self.len += 1;
        let b = self.bucket_of(key.time);
        if b == 0 {
            if self.now.len() == self.now.capacity() {
                // Bucket 0 holds fewer keys than `room`: dropping its popped front makes room.
                self.now.drain(..self.head);
                self.head = 0;
            }
            self.now.push(key);
            self.occupied |= 1;
            return;
        }
        self.append(b, key);
        self.occupied |= 1u128 << b;
    }

    /// The lowest occupied bucket above 0 and the position of its minimum key, which is the
    /// minimum of every key outside bucket 0.
    #[inline]
    fn lowest(&self) -> Option<(usize, usize)> {
        let rest = self.occupied & !1;
        if rest == 0 {
            return None;
        }
        let b = rest.trailing_zeros() as usize;
        Some((b, self.chains[b].min))
    }

    /// Finds the minimum of bucket `b ≥ 1` again by scanning it (after its minimum was removed
    /// in place, or its keys compacted).
    #[cold]
    #[inline(never)]
    fn rescan(&mut self, b: usize) {
        let chain = self.chains[b];
        if chain.len == 0 {
            return;
        }
        let mut best = chain.first as usize * CHUNK;
        let (mut c, mut left) = (chain.first, chain.len);
        while left > 0 {
            let n = left.min(CHUNK);
            let base = c as usize * CHUNK;
            for p in base..base + n {
                if self.keys[p].before(&self.keys[best]) {
                    best = p;
                }
            }
            left -= n;
            c = self.next[c as usize];
        }
        self.chains[b].min = best;
    }

    /// The minimum key by `(time, seq)`, without removing it; `None` if the queue is empty:
    /// the front of bucket 0, else the lowest bucket's minimum, both known without a search.
    #[inline]
    pub(super) fn min(&self) -> Option<Key> {
        if let Some(key) = self.now.get(self.head) {
            return Some(*key);
        }
        self.lowest().map(|(_, p)| self.keys[p])
    }

    /// Takes the front of bucket 0, if any.
    #[inline]
    fn take_front(&mut self) -> Option<Key> {
        let key = *self.now.get(self.head)?;
        self.head += 1;
        if self.head == self.now.len() {
            self.now.clear();
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
        let key = self.keys[p];
        self.remove_at(b, p);
        self.rescan(b);
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
        let key = self.keys[p];
        let source = std::mem::replace(&mut self.chains[b], EMPTY);
        self.occupied &= !(1u128 << b);
        self.last = key.time;
        self.len -= 1;
        debug_assert!(self.now.is_empty() && self.head == 0);
        // Every bucket below `b` is empty (bucket 0 too): the keys all move below `b`, each
        // bucket they land in keeping its minimum. Each chunk read goes back to the free list
        // before the next is read.
        let (mut c, mut left) = (source.first, source.len);
        while left > 0 {
            let n = left.min(CHUNK);
            let base = c as usize * CHUNK;
            for i in base..base + n {
                if i == p {
                    continue;
                }
                let k = self.keys[i];
                let nb = self.bucket_of(k.time);
                if nb == 0 {
                    self.now.push(k);
                    self.occupied |= 1;
                    continue;
                }
                self.append(nb, k);
                self.occupied |= 1u128 << nb;
            }
            left -= n;
            let after = self.next[c as usize];
            self.release_chunk(c);
            c = after;
        }
        // Ties with `key` came in bucket order, not scheduling order.
        if self.now.len() > 1 {
            self.now.sort_unstable_by_key(|k| k.seq);
        }
        Some(key)
    }

    /// Keeps only the keys for which `keep` holds.
    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Key) -> bool) {
        self.now.drain(..self.head);
        self.head = 0;
        self.now.retain(|k| keep(k));
        self.occupied = u128::from(!self.now.is_empty());
        self.len = self.now.len();
        for b in 1..BUCKETS {
            let chain = self.chains[b];
            if chain.len == 0 {
                continue;
            }
            // Compacts the chain in place: the kept keys are written behind the read position.
            let (mut read, mut left) = (chain.first, chain.len);
            let (mut write, mut kept) = (chain.first, 0usize);
            while left > 0 {
                let n = left.min(CHUNK);
                for i in 0..n {
                    let k = self.keys[read as usize * CHUNK + i];
                    if keep(&k) {
                        if kept > 0 && kept % CHUNK == 0 {
                            write = self.next[write as usize];
                        }
                        self.keys[write as usize * CHUNK + kept % CHUNK] = k;
                        kept += 1;
                    }
                }
                left -= n;
                read = self.next[read as usize];
            }
            // The chunks after the last one written are free.
            let mut c = if kept == 0 {
                chain.first
            } else {
                self.next[write as usize]
            };
            while c != NIL {
                let after = self.next[c as usize];
                self.release_chunk(c);
                c = after;
            }
            if kept == 0 {
                self.chains[b] = EMPTY;
            } else {
                self.next[write as usize] = NIL;
                self.chains[b] = Chain {
                    first: chain.first,
                    last: write,
                    len: kept,
                    min: 0,
                };
                self.rescan(b);
                self.occupied |= 1u128 << b;
                self.len += kept;
            }
        }
    }

    /// The keys of bucket `b ≥ 1`, in chain order.
    fn bucket(&self, b: usize) -> impl Iterator<Item = &Key> {
        let chain = self.chains[b];
        let (mut c, mut left) = (chain.first, chain.len);
        std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let n = left.min(CHUNK);
            let base = c as usize * CHUNK;
            left -= n;
            if left > 0 {
                c = self.next[c as usize];
            }
            Some(&self.keys[base..base + n])
        })
        .flatten()
    }

    /// Every key held, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Key> {
        self.now[self.head..]
            .iter()
            .chain((1..BUCKETS).flat_map(move |b| self.bucket(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::reference::{Reference, key};
    use super::*;
    use proptest::prelude::*;

    impl RadixHeap {
        /// Checks the chains and the free list against each other; returns the chunks in use.
        fn chunks_in_use(&self) -> usize {
            let in_chains: usize = self.chains[1..].iter().map(|c| c.len.div_ceil(CHUNK)).sum();
            let mut free = 0;
            let mut c = self.free;
            while c != NIL {
                free += 1;
                c = self.next[c as usize];
            }
            assert_eq!(
                in_chains + free,
                self.next.len(),
                "a chunk is lost or shared"
            );
            in_chains
        }

        /// The capacities of the storage (keys, chunk links both ways, bucket 0).
        pub(in crate::event_list) fn capacities(&self) -> [usize; 4] {
            [
                self.keys.capacity(),
                self.next.capacity(),
                self.prev.capacity(),
                self.now.capacity(),
            ]
        }
    }

    /// Keys at 60 distances from the clock, 65 per distance (two chunks per bucket, one with a
    /// single key), then all popped while new ones keep coming at every distance: the worst
    /// spread for chunks. (Four rounds stay clear of the end of time.)
    fn spread_round(h: &mut RadixHeap, seq: &mut u64, most: &mut usize) {
        let base = h.last;
        for b in 1..=60 {
            for j in 0..65u64 {
                let gap = (1u64 << (b - 1)) | (j & ((1u64 << (b - 1)) - 1));
                h.push(key(base + gap, *seq));
                *seq += 1;
            }
        }
        *most = (*most).max(h.len());
        let mut n = 0u64;
        while let Some(k) = h.pop_min() {
            n += 1;
            if n.is_multiple_of(3) && h.len() + 1 < *most {
                let gap = 1u64 << (n % 40);
                h.push(key(k.time + gap, *seq));
                *seq += 1;
            }
            assert!(h.chunks_in_use() < h.len().div_ceil(CHUNK) + BUCKETS);
            assert!(h.next.len() <= RadixHeap::chunks_for(*most));
        }
    }

    #[test]
    fn storage_never_grows_after_the_most_keys_held_whatever_their_spread() {
        let mut h = RadixHeap::new();
        let (mut seq, mut most) = (0, 0);
        spread_round(&mut h, &mut seq, &mut most);
        let warm = h.capacities();
        let chunks = h.next.len();
        // The same load again, from a later clock: not one more chunk, not one more byte.
        for _ in 0..3 {
            spread_round(&mut h, &mut seq, &mut most);
            assert_eq!(h.capacities(), warm);
            assert_eq!(h.next.len(), chunks);
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
            let mut capacities = h.capacities();
            let mut most = 0;
            let mut reference = Reference::default();
            for (op, x, shift) in ops {
                reference.apply(&mut h, op, x, shift)?;
                // The minimum is always known without a search, and it is the minimum.
                prop_assert_eq!(h.min().map(|k| (k.time, k.seq)), reference.first());
                prop_assert_eq!(h.len(), reference.keys.len());
                prop_assert_eq!(h.iter().count(), reference.keys.len());
                // Storage grows only when more keys are held than ever before.
                if h.capacities() != capacities {
                    prop_assert!(h.len() > most, "grew at {} keys, {} held before", h.len(), most);
                }
                most = most.max(h.len());
                capacities = h.capacities();
                prop_assert!(h.chunks_in_use() < h.len().div_ceil(CHUNK) + BUCKETS);
            }
        }
    }
}
