//! The future event list: the engine's priority queue of scheduled events.
//!
//! # Structure
//!
//! A monotone radix heap (`radix_heap`) holds small `Copy` keys `(time, seq, slot)` of 24 bytes;
//! the event payloads live in a slab (`Vec` of slots) indexed by `slot`, with a free list of
//! vacant slots. The queue therefore moves 24-byte keys, never the payloads, whatever the size of
//! the event type. The radix heap replaced a binary heap: with millions of pending sensor timers
//! a binary heap's pop misses the cache at most of its ~21 levels, where the radix heap appends
//! on schedule and moves keys down its 65 buckets in sequential passes (see `radix_heap` and the
//! hold benchmark in BENCHMARKS.md). While at most 16 keys are pending (a small model: a tandem
//! of stations holds 3–6) they sit instead in a short unsorted array scanned for its minimum
//! without branches, which costs a fraction of a radix-heap pop (`queue`, which switches
//! between the two; the order of the pops is the same either way).
//!
//! # Invariants
//!
//! - `seq` strictly increases with every [`EventList::schedule`]; keys are unique, and among equal
//!   times the smaller `seq` pops first, so events due at the same instant run in the order they
//!   were scheduled (FIFO). A run is therefore fully deterministic.
//! - Every heap key points at an occupied slot whose `seq` equals the key's `seq`, or is an
//!   inline key (below), whose event is the key itself and which is always live.
//! - A slot is in exactly one of three states: vacant (on the free list), live (payload present),
//!   or cancelled (payload taken, key still in the heap). Cancellation is lazy: it takes the
//!   payload and leaves the key, which is discarded when it reaches the top (the generation check
//!   is the `seq` comparison in [`EventHandle`]); discarding it does not move the clock.
//! - Cancelled keys never outnumber live ones by more than [`COMPACT_MIN`]: past that the heap is
//!   rebuilt without them, so memory stays proportional to the pending events, not to the
//!   number ever cancelled.
//! - Time never goes backwards: scheduling before the last popped instant is refused.
//!
//! # Movable events
//!
//! An event that is moved again and again (a battery's death instant, brought forward by every
//! charge) is scheduled with [`EventList::schedule_movable`]: its key lives in a second,
//! indexed binary heap (`movable`, each slot knowing its key's position), so that
//! [`EventList::reschedule`] re-sifts it in place instead of leaving a cancelled key behind and
//! pushing a new one. A move takes a fresh `seq`, exactly as cancelling and scheduling anew
//! would, so events pop in the same order either way; `pop` takes the earlier of the two heaps'
//! tops by `(time, seq)`.
//!
//! # Inline events
//!
//! An event that two numbers describe (a sensor's timer: its source and its node) can be kept
//! in its key alone ([`EventList::schedule_inline`]): the key's slot field, with its top bit
//! set ([`INLINE_MAX`]), carries the first number, its hint the second, and the event is
//! rebuilt from them when it pops. It takes no slot, so a million pending timers cost no slab
//! and, when one pops, no read of a slot written long before (a cache miss at that scale). It
//! takes its `seq` as any event does, so it pops exactly where the same event scheduled with
//! [`EventList::schedule_hinted`] would. It cannot be cancelled.
//!
//! # Prefetching
//!
//! With millions of pending events the slot of the event popped is a cache miss more often than
//! not (slots are reused in no order of time). A pop therefore asks the memory for the slot of
//! the next key when the radix heap knows it without a search (`crate::prefetch`), so that it
//! arrives while the caller processes the event just popped; [`EventList::likely_next`] lets the
//! caller prefetch what that next event will touch once that slot is in, and
//! [`EventList::next_hint`] even before: a number the caller gave when scheduling the event
//! ([`EventList::schedule_hinted`]), kept in the key's padding and read from the key the radix
//! heap already holds. None of them changes what pops or when. All
//! only pay from [`PREFETCH_FROM`] pending events on. The radix heap knows its minimum after
//! every pop without a search (each bucket keeps its own), so the next key is always at hand.
//!
//! # Complexity
//!
//! `schedule` is O(1); `pop` is O(1) amortised plus the redistributions, in which a key moves
//! at most 64 times in its life (a handful in practice, each a sequential copy); `cancel` is
//! O(1) (O(log m) for a movable event among m); `reschedule` is O(log m); compaction is O(n)
//! and runs at most once per n cancellations, O(1) amortised. Slots and the radix heap's chunks
//! are reused, so after warm-up neither allocates: each grows only when more events are pending
//! than ever before (see `radix_heap`'s invariants).

mod queue;
mod radix_heap;
#[cfg(test)]
mod reference;

use crate::prefetch::prefetch;
use crate::time::SimTime;
use queue::KeyQueue;

/// Pending events from which a pop prefetches the next event's slot, and
/// [`EventList::likely_next`] is worth asking: 2¹⁵ slots of 56 B are about 1.8 MB, a core's
/// L2 cache on current x86-64 servers, past which the next slot is likely a cache miss. Below
/// it a small model pays no extra work (see the module documentation).
pub const PREFETCH_FROM: usize = 1 << 15;

/// A key's slot field from this value on names no slot: the key is an inline event's, and
/// the field less this bit is the event's first number ([`EventList::schedule_inline`]).
const INLINE: u32 = 1 << 31;

/// The largest first number an inline event can carry ([`EventList::schedule_inline`]); slots
/// are numbered below [`INLINE`] too.
pub const INLINE_MAX: u32 = INLINE - 1;

/// Cancelled keys tolerated beyond the live count before the heap is compacted.
pub const COMPACT_MIN: usize = 1024;

/// A queue key: an event's instant (ns), its scheduling order, its slot and its scheduler's
/// hint (in what was the key's padding: 24 bytes either way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    time: u64,
    seq: u64,
    slot: u32,
    hint: u32,
}

/// The hint of an event scheduled without one ([`EventList::schedule_hinted`]).
pub const NO_HINT: u32 = u32::MAX;

impl Key {
    /// Whether `self` pops before `other`.
    #[inline]
    fn before(&self, other: &Key) -> bool {
        (self.time, self.seq) < (other.time, other.seq)
    }
}

/// `Slot::movable` of an event in the main heap.
const IN_MAIN: u32 = u32::MAX;

#[derive(Debug)]
struct Slot<E> {
    /// The `seq` of the event this slot holds (or last held).
    seq: u64,
    /// The position of its key in the movable heap, [`IN_MAIN`] for the main heap.
    movable: u32,
    payload: Option<E>,
}

/// Names one scheduled event so it can be cancelled. A handle to an event that has already run
/// or been cancelled is harmless: cancelling it does nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventHandle {
    slot: u32,
    seq: u64,
}

/// Why an event could not be scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The requested instant lies before the current simulated time.
    #[error("event scheduled at {at} before the current time {now}")]
    InThePast {
        /// The requested instant.
        at: SimTime,
        /// The current time.
        now: SimTime,
    },
    /// More than 2³¹ − 1 events pending at once in slots, or an inline event whose first
    /// number exceeds [`INLINE_MAX`].
    #[error("more than 2147483647 events pending")]
    Full,
}

/// A priority queue of events of type `E`, ordered by `(time, scheduling order)`.
#[derive(Debug)]
pub struct EventList<E> {
    heap: KeyQueue,
    /// The keys of the movable events: a binary min-heap by `(time, seq)`, each key's slot
    /// recording its position.
    movable: Vec<Key>,
    slots: Vec<Slot<E>>,
    free: Vec<u32>,
    next_seq: u64,
    now: SimTime,
    live: usize,
    cancelled: usize,
    /// How an inline event is rebuilt from its key's two numbers: given by the first
    /// [`EventList::schedule_inline`]; `None` while no inline event was ever scheduled.
    unpack: Option<fn(u32, u32) -> E>,
}

impl<E> Default for EventList<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventList<E> {
    /// An empty list at time zero.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty list with room for `n` pending events before it allocates.
    pub fn with_capacity(n: usize) -> Self {
        EventList {
            heap: KeyQueue::with_room(n),
            movable: Vec::new(),
            slots: Vec::with_capacity(n),
            free: Vec::with_capacity(n),
            next_seq: 0,
            now: SimTime::ZERO,
            live: 0,
            cancelled: 0,
            unpack: None,
        }
    }

    /// The time of the last popped event (the simulation clock).
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The number of live (not cancelled) pending events.
    pub fn len(&self) -> usize {
        self.live
    }

    /// The slots the list holds, vacant ones included: what its events in slots take.
    #[cfg(test)]
    pub(crate) fn slots_len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no live event is pending.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Schedules `event` at instant `at`.
    pub fn schedule(&mut self, at: SimTime, event: E) -> Result<EventHandle, ScheduleError> {
        self.schedule_hinted(at, event, NO_HINT)
    }

    /// Schedules `event` as [`EventList::schedule`] does, with a `hint` for prefetching: a
    /// number of the caller's choosing (say, the index of what the event reads first) that
    /// [`EventList::next_hint`] gives back while the event is next in line, before its slot
    /// is read. The hint never changes what pops or when.
    ///
    /// Inlined with the radix heap's push, so that the caller's event and its key are written
    /// straight from registers into the slot and the bucket: passed through the stack, their
    /// fields, stored one by one, were read back as wider words, which the processor cannot
    /// forward from stores still pending (a stall at every schedule; about 2 % of the tandem's
    /// time, BENCHMARKS.md, eleventh round).
    #[inline(always)]
    pub fn schedule_hinted(
        &mut self,
        at: SimTime,
        event: E,
        hint: u32,
    ) -> Result<EventHandle, ScheduleError> {
        let key = self.occupy(at, event, hint)?;
        self.heap.push(key);
        Ok(EventHandle {
            slot: key.slot,
            seq: key.seq,
        })
    }

    /// Schedules at instant `at` the event `unpack(first, second)`, kept in its key alone
    /// (see the module documentation): it pops exactly as if scheduled with
    /// [`EventList::schedule_hinted`] with the hint `second`, takes no slot and cannot be
    /// cancelled. `unpack` rebuilds it when it pops; every inline event of a list is rebuilt
    /// by the same function, the last one given. [`ScheduleError::Full`] if `first` exceeds
    /// [`INLINE_MAX`].
    #[inline(always)]
    pub fn schedule_inline(
        &mut self,
        at: SimTime,
        first: u32,
        second: u32,
        unpack: fn(u32, u32) -> E,
    ) -> Result<(), ScheduleError> {
        if at < self.now {
            return Err(ScheduleError::InThePast { at, now: self.now });
        }
        if first > INLINE_MAX {
            return Err(ScheduleError::Full);
        }
        self.unpack = Some(unpack);
        let seq = self.next_seq;
        self.next_seq += 1;
        self.live += 1;
        self.heap.push(Key {
            time: at.as_nanos(),
            seq,
            slot: first | INLINE,
            hint: second,
        });
        Ok(())
    }

    /// Schedules `event` at instant `at` as a movable event (see the module documentation):
    /// it pops exactly as if scheduled with [`EventList::schedule`], and
    /// [`EventList::reschedule`] moves it cheaply.
    pub fn schedule_movable(
        &mut self,
        at: SimTime,
        event: E,
    ) -> Result<EventHandle, ScheduleError> {
        let key = self.occupy(at, event, NO_HINT)?;
        self.slots[key.slot as usize].movable = self.movable.len() as u32;
        self.movable.push(key);
        self.sift_up(self.movable.len() - 1);
        Ok(EventHandle {
            slot: key.slot,
            seq: key.seq,
        })
    }

    /// Moves the pending movable event `handle` to instant `at`, as cancelling it and
    /// scheduling its payload anew would (it takes the next `seq`); returns its new handle,
    /// `Ok(None)` if `handle` names no pending movable event.
    pub fn reschedule(
        &mut self,
        handle: EventHandle,
        at: SimTime,
    ) -> Result<Option<EventHandle>, ScheduleError> {
        let Some(slot) = self.slots.get(handle.slot as usize) else {
            return Ok(None);
        };
        if slot.seq != handle.seq || slot.payload.is_none() || slot.movable == IN_MAIN {
            return Ok(None);
        }
        if at < self.now {
            return Err(ScheduleError::InThePast { at, now: self.now });
        }
        let i = slot.movable as usize;
        let seq = self.next_seq;
        self.next_seq += 1;
        self.slots[handle.slot as usize].seq = seq;
        let key = &mut self.movable[i];
        // Moved to the same instant the key still pops later: its new `seq` is the largest.
        let earlier = at.as_nanos() < key.time;
        key.time = at.as_nanos();
        key.seq = seq;
        if earlier {
            self.sift_up(i);
        } else {
            self.sift_down(i);
        }
        Ok(Some(EventHandle {
            slot: handle.slot,
            seq,
        }))
    }

    /// The event an inline key holds (`key.slot` at [`INLINE`] or above), rebuilt from its
    /// two numbers.
    #[inline(always)]
    fn inline_event(&self, key: Key) -> Option<E> {
        self.unpack
            .map(|unpack| unpack(key.slot & !INLINE, key.hint))
    }

    /// Takes a slot for `event` at `at` and returns its key, in no heap yet.
    #[inline]
    fn occupy(&mut self, at: SimTime, event: E, hint: u32) -> Result<Key, ScheduleError> {
        if at < self.now {
            return Err(ScheduleError::InThePast { at, now: self.now });
        }
        let seq = self.next_seq;
        let slot = match self.free.pop() {
            Some(slot) => {
                let s = &mut self.slots[slot as usize];
                s.seq = seq;
                s.movable = IN_MAIN;
                s.payload = Some(event);
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len())
                    .ok()
                    .filter(|&s| s < INLINE)
                    .ok_or(ScheduleError::Full)?;
                self.slots.push(Slot {
                    seq,
                    movable: IN_MAIN,
                    payload: Some(event),
                });
                slot
            }
        };
        self.next_seq += 1;
        self.live += 1;
        Ok(Key {
            time: at.as_nanos(),
            seq,
            slot,
            hint,
        })
    }

    /// Puts `movable[i]` where it belongs above, keeping slot positions.
    fn sift_up(&mut self, mut i: usize) {
        let key = self.movable[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            if !key.before(&self.movable[parent]) {
                break;
            }
            self.movable[i] = self.movable[parent];
            self.slots[self.movable[i].slot as usize].movable = i as u32;
            i = parent;
        }
        self.movable[i] = key;
        self.slots[key.slot as usize].movable = i as u32;
    }

    /// Puts `movable[i]` where it belongs below, keeping slot positions.
    fn sift_down(&mut self, mut i: usize) {
        let key = self.movable[i];
        let n = self.movable.len();
        loop {
            let mut child = 2 * i + 1;
            if child >= n {
                break;
            }
            if child + 1 < n && self.movable[child + 1].before(&self.movable[child]) {
                child += 1;
            }
            if !self.movable[child].before(&key) {
                break;
            }
            self.movable[i] = self.movable[child];
            self.slots[self.movable[i].slot as usize].movable = i as u32;
            i = child;
        }
        self.movable[i] = key;
        self.slots[key.slot as usize].movable = i as u32;
    }

    /// Takes the key at position `i` out of the movable heap; returns it.
    fn remove_movable(&mut self, i: usize) -> Key {
        let key = self.movable.swap_remove(i);
        if i < self.movable.len() {
            let moved = self.movable[i];
            self.slots[moved.slot as usize].movable = i as u32;
            if moved.before(&key) {
                self.sift_up(i);
            } else {
                self.sift_down(i);
            }
        }
        self.slots[key.slot as usize].movable = IN_MAIN;
        key
    }

    /// The live key at the top of the main queue, after dropping the cancelled keys above it
    /// (which leaves the queue's clock where it is).
    #[inline]
    fn live_top(&mut self) -> Option<Key> {
        loop {
            let key = self.heap.min()?;
            if key.slot >= INLINE || self.slots[key.slot as usize].payload.is_some() {
                return Some(key);
            }
            self.heap.remove_min();
            self.free.push(key.slot);
            self.cancelled -= 1;
        }
    }

    /// Cancels a pending event; returns whether it was still pending.
    pub fn cancel(&mut self, handle: EventHandle) -> bool {
        let Some(slot) = self.slots.get_mut(handle.slot as usize) else {
            return false;
        };
        if slot.seq != handle.seq || slot.payload.is_none() {
            return false;
        }
        slot.payload = None;
        self.live -= 1;
        let at = slot.movable;
        if at != IN_MAIN {
            // A movable key leaves its heap at once: no cancelled key stays behind.
            let key = self.remove_movable(at as usize);
            self.free.push(key.slot);
            return true;
        }
        self.cancelled += 1;
        if self.cancelled > self.live + COMPACT_MIN {
            self.compact();
        }
        true
    }

    /// Removes and returns the earliest live event with its time, advancing the clock.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_until(SimTime::MAX)
    }

    /// Removes and returns the earliest live event if it is due at or before `until`, advancing
    /// the clock; `None` (and nothing moves) if the list is empty or its earliest event is later.
    /// The same as [`EventList::peek_time`] followed by [`EventList::pop`], in one look.
    #[inline]
    pub fn pop_until(&mut self, until: SimTime) -> Option<(SimTime, E)> {
        let until = until.as_nanos();
        let top = self.live_top();
        if let Some(first) = self.movable.first() {
            let first = *first;
            if top.is_none_or(|k| first.before(&k)) {
                if first.time > until {
                    return None;
                }
                self.remove_movable(0);
                let payload = self.slots[first.slot as usize].payload.take();
                self.free.push(first.slot);
                self.live -= 1;
                self.now = SimTime::from_nanos(first.time);
                return payload.map(|event| (self.now, event));
            }
        }
        let key = top?;
        if key.time > until {
            return None;
        }
        // The main queue's minimum is live and due: the clock moves to it.
        let popped = self.heap.pop_min();
        debug_assert_eq!(popped, Some(key));
        let payload = if key.slot >= INLINE {
            self.inline_event(key)
        } else {
            let payload = self.slots[key.slot as usize].payload.take();
            self.free.push(key.slot);
            payload
        };
        self.live -= 1;
        self.now = SimTime::from_nanos(key.time);
        // The next event's slot is fetched while this one is processed (`prefetch`), once the
        // slots outgrow the cache.
        if self.live >= PREFETCH_FROM
            && let Some(next) = self.heap.min()
            && next.slot < INLINE
        {
            prefetch(&self.slots[next.slot as usize]);
        }
        payload.map(|event| (self.now, event))
    }

    /// The event at the top of the main queue (always known without a search), if still
    /// pending: the next to pop unless a movable event is due first or an earlier one is
    /// scheduled meanwhile. For prefetching what the next event will touch; looking never
    /// changes what pops or when. An inline event is rebuilt from its key, without a read of
    /// any slot.
    #[inline]
    pub fn likely_next(&self) -> Option<E>
    where
        E: Copy,
    {
        let key = self.heap.min()?;
        if key.slot >= INLINE {
            return self.inline_event(key);
        }
        self.slots[key.slot as usize].payload
    }

    /// The hint of the event at the top of the main queue ([`EventList::schedule_hinted`]),
    /// if that event was given one ([`EventList::likely_next`]). Read from the queue's own key, so it is at hand one event earlier than the event
    /// itself: the caller can prefetch with it at the start of the current event.
    #[inline]
    pub fn next_hint(&self) -> Option<u32> {
        self.heap.min().map(|k| k.hint).filter(|&h| h != NO_HINT)
    }

    /// The time of the earliest live event, without removing it.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        let main = self.live_top().map(|k| k.time);
        let movable = self.movable.first().map(|k| k.time);
        match (main, movable) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .map(SimTime::from_nanos)
    }

    /// Visits every live pending event (in no particular order).
    pub fn for_each_pending(&self, mut f: impl FnMut(&E)) {
        for key in self.heap.iter().chain(&self.movable) {
            if key.slot >= INLINE {
                if let Some(event) = self.inline_event(*key) {
                    f(&event);
                }
            } else if let Some(event) = &self.slots[key.slot as usize].payload {
                f(event);
            }
        }
    }

    /// Drops the keys of cancelled events and returns their slots to the free list.
    fn compact(&mut self) {
        let slots = &self.slots;
        let free = &mut self.free;
        self.heap.retain(|key| {
            let live = key.slot >= INLINE || slots[key.slot as usize].payload.is_some();
            if !live {
                free.push(key.slot);
            }
            live
        });
        self.cancelled = 0;
    }
}

#[cfg(test)]
mod tests;
