//! The event list's tests: unit cases and the property test against a sorted reference.

use super::*;
use proptest::prelude::*;

#[test]
fn key_fits_in_24_bytes() {
    assert!(std::mem::size_of::<Key>() <= 24);
}

#[test]
fn equal_times_pop_in_scheduling_order() {
    let mut q = EventList::new();
    for i in 0..100 {
        q.schedule(SimTime::from_millis(5), i).unwrap();
    }
    q.schedule(SimTime::from_millis(1), -1).unwrap();
    assert_eq!(q.pop(), Some((SimTime::from_millis(1), -1)));
    for i in 0..100 {
        assert_eq!(q.pop(), Some((SimTime::from_millis(5), i)));
    }
    assert_eq!(q.pop(), None);
}

#[test]
fn cancelled_events_never_pop_and_stale_handles_are_harmless() {
    let mut q = EventList::new();
    let a = q.schedule(SimTime::from_nanos(10), 'a').unwrap();
    let b = q.schedule(SimTime::from_nanos(20), 'b').unwrap();
    assert!(q.cancel(a));
    assert!(!q.cancel(a));
    assert_eq!(q.len(), 1);
    assert_eq!(q.pop(), Some((SimTime::from_nanos(20), 'b')));
    // b's slot is reused by c; the old handle must not cancel c.
    let c = q.schedule(SimTime::from_nanos(30), 'c').unwrap();
    assert!(!q.cancel(b));
    assert_eq!(q.pop(), Some((SimTime::from_nanos(30), 'c')));
    assert!(!q.cancel(c));
}

#[test]
fn the_likely_next_event_is_the_next_to_pop_and_never_a_cancelled_one() {
    let mut q = EventList::new();
    let n = PREFETCH_FROM as u64 + 1_000;
    let mut handles = Vec::new();
    for i in 0..n {
        // Times out of order (a permutation), spread over many buckets of the radix heap.
        let at = (i * 7_919) % n * 1_003;
        handles.push(q.schedule(SimTime::from_nanos(at), i).unwrap());
    }
    // The eleventh event in time is cancelled.
    let victim = (0..n).find(|i| (i * 7_919) % n == 10).unwrap();
    q.cancel(handles[victim as usize]);
    let (mut unknown, mut expected) = (0, None);
    while let Some((_, event)) = q.pop() {
        assert_ne!(event, victim, "a cancelled event popped");
        if let Some(next) = expected {
            assert_eq!(event, next, "the likely next event did not pop next");
        }
        expected = q.likely_next();
        if expected.is_none() && q.heap.len() > 0 {
            unknown += 1;
        }
    }
    // The next event is always known after a pop, bar the one pop that leaves the cancelled
    // event on top.
    assert_eq!(unknown, 1);
}

#[test]
fn inline_events_pop_as_the_same_events_in_slots_and_take_no_slot() {
    // Past the prefetching threshold, so that the pops also look at the next key's slot.
    let n = PREFETCH_FROM as u32 + 1_000;
    let (mut inline, mut slotted) = (EventList::new(), EventList::new());
    let mut handles = Vec::new();
    for i in 0..n {
        let at = SimTime::from_nanos(u64::from(i) * 7_919 % u64::from(n) * 13);
        let event = (i, i.wrapping_mul(2_654_435_761) >> 8);
        // Every third event in a slot, the others inline; the same events in slots in the
        // other list.
        if i % 3 == 0 {
            handles.push(inline.schedule_hinted(at, event, event.1).unwrap());
        } else {
            inline
                .schedule_inline(at, event.0, event.1, |a, b| (a, b))
                .unwrap();
        }
        slotted.schedule_hinted(at, event, event.1).unwrap();
    }
    assert_eq!(inline.len(), n as usize);
    assert_eq!(inline.slots.len(), n.div_ceil(3) as usize);
    // A cancelled slotted event is skipped as before.
    assert!(inline.cancel(handles[5]));
    let mut hints = 0;
    while let Some(got) = slotted.pop() {
        if got.1 == (15, 15u32.wrapping_mul(2_654_435_761) >> 8) {
            continue;
        }
        // Known (a cancelled event on top is not), the likely next event pops next, and
        // its hint is its second number whether it is inline or in a slot.
        if let Some(next) = inline.likely_next() {
            assert_eq!(next, got.1, "the likely next event is the next to pop");
            assert_eq!(inline.next_hint(), Some(next.1));
            hints += 1;
        }
        assert_eq!(inline.pop(), Some(got));
    }
    assert_eq!(inline.pop(), None);
    assert!(hints > n / 2, "{hints}");
    // An inline event's first number must leave the key's top bit clear.
    assert_eq!(
        inline.schedule_inline(SimTime::MAX, INLINE, 0, |a, b| (a, b)),
        Err(ScheduleError::Full)
    );
}

#[test]
fn the_next_hint_is_the_likely_next_events_own_and_hints_change_no_order() {
    let n = PREFETCH_FROM as u64 + 1_000;
    let hint = |i: u64| (i * 31 % 1_000) as u32;
    let (mut hinted, mut plain) = (EventList::new(), EventList::new());
    for i in 0..n {
        let at = SimTime::from_nanos((i * 7_919) % n * 1_003 / 7);
        // Every fifth event without a hint.
        if i % 5 == 0 {
            hinted.schedule(at, i).unwrap();
        } else {
            hinted.schedule_hinted(at, i, hint(i)).unwrap();
        }
        plain.schedule(at, i).unwrap();
    }
    let (mut popped, mut eager, mut known) = (0u64, 0u64, 0u64);
    while let Some(got) = hinted.pop() {
        assert_eq!(Some(got), plain.pop(), "a hint changed what popped");
        popped += 1;
        let expected = hinted
            .likely_next()
            .and_then(|i| (i % 5 != 0).then(|| hint(i)));
        assert_eq!(hinted.next_hint(), expected);
        if hinted.heap.len() > 0 {
            eager += 1;
            known += u64::from(expected.is_some());
        }
    }
    assert_eq!(plain.pop(), None);
    assert_eq!(popped, n);
    // The next event is known after every pop that leaves one, and four in five carry a hint.
    assert_eq!(eager, n - 1);
    assert!(
        known * 100 > eager * 75 && known * 100 < eager * 85,
        "{known} hints known after {eager} pops"
    );
}

#[test]
fn scheduling_in_the_past_is_refused() {
    let mut q = EventList::new();
    q.schedule(SimTime::from_nanos(50), ()).unwrap();
    q.pop();
    assert_eq!(
        q.schedule(SimTime::from_nanos(49), ()),
        Err(ScheduleError::InThePast {
            at: SimTime::from_nanos(49),
            now: SimTime::from_nanos(50)
        })
    );
}

#[test]
fn a_moved_event_leaves_no_key_behind_and_pops_as_if_scheduled_anew() {
    let mut q = EventList::new();
    let mut h = q.schedule_movable(SimTime::from_secs(1_000), 'd').unwrap();
    q.schedule(SimTime::from_secs(5), 'a').unwrap();
    for s in (6..1_000).rev() {
        h = q.reschedule(h, SimTime::from_secs(s)).unwrap().unwrap();
    }
    // Scheduled after the move, at the same instant: pops after it (FIFO by the move).
    q.schedule(SimTime::from_secs(6), 'b').unwrap();
    assert_eq!(q.heap.len() + q.movable.len(), 3);
    assert_eq!(q.slots.len(), 3);
    assert_eq!(q.peek_time(), Some(SimTime::from_secs(5)));
    assert_eq!(q.pop(), Some((SimTime::from_secs(5), 'a')));
    assert_eq!(q.pop(), Some((SimTime::from_secs(6), 'd')));
    assert_eq!(q.pop(), Some((SimTime::from_secs(6), 'b')));
    assert_eq!(q.reschedule(h, SimTime::from_secs(7)), Ok(None));
    assert!(!q.cancel(h));
}

#[test]
fn an_event_moved_to_its_own_instant_pops_after_the_others_of_that_instant() {
    // Three movable events at one instant; the first is moved to that same instant, as a
    // battery's death is when a charge leaves its foreseen instant unchanged. It takes the
    // latest scheduling order, so it now pops last of the three (it used to stay on top of
    // the movable heap and pop first, before an event scheduled earlier than its move).
    let mut q = EventList::new();
    let t = SimTime::from_nanos(34);
    let a = q.schedule_movable(t, 'a').unwrap();
    q.schedule_movable(t, 'b').unwrap();
    q.schedule_movable(t, 'c').unwrap();
    q.reschedule(a, t).unwrap().unwrap();
    let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
    assert_eq!(order, ['b', 'c', 'a']);
}

#[test]
fn memory_stays_bounded_under_repeated_cancellation() {
    // One live far-future event rescheduled a million times (as a battery's death instant is):
    // without compaction the heap would hold a million stale keys.
    let mut q = EventList::new();
    let mut h = q.schedule(SimTime::from_secs(1_000), 0u32).unwrap();
    for i in 1..1_000_000u32 {
        q.cancel(h);
        h = q.schedule(SimTime::from_secs(1_000), i).unwrap();
    }
    assert!(
        q.heap.len() <= 1 + COMPACT_MIN + 1,
        "heap holds {}",
        q.heap.len()
    );
    assert!(
        q.slots.len() <= 2 + COMPACT_MIN + 1,
        "slab holds {}",
        q.slots.len()
    );
    assert_eq!(q.pop(), Some((SimTime::from_secs(1_000), 999_999)));
    assert_eq!(q.pop(), None);
}

proptest! {
    /// Against a sorted reference: any mix of schedules (plain, movable and inline), moves,
    /// cancels and pops yields the events in (time, scheduling order), without the
    /// cancelled ones; a move is a cancel and a new schedule of the same event; an inline
    /// event cannot be cancelled or moved.
    #[test]
    fn matches_a_sorted_reference(
        ops in prop::collection::vec((0u8..8, 0u64..50, 0u32..40), 1..400)
    ) {
        let mut q = EventList::new();
        let mut reference: Vec<(u64, u64, usize)> = Vec::new(); // (time, seq, id)
        let mut handles = Vec::new();
        let mut seq = 0u64;
        let mut movable: Vec<usize> = Vec::new();
        let mut inline: Vec<usize> = Vec::new();
        for (op, x, shift) in ops {
            // Mostly small gaps (ties and near events), some reaching high bits of the time.
            let x = if shift >= 24 { x << shift } else { x };
            if op == 3 {
                movable.push(handles.len());
            }
            match op {
                0 | 3 | 7 => {
                    // A plain, a movable or an inline event (its id and a hint in the key, no
                    // handle).
                    let at = SimTime::from_nanos(q.now().as_nanos() + x);
                    let id = handles.len();
                    let handle = match op {
                        0 => q.schedule(at, id).unwrap(),
                        3 => q.schedule_movable(at, id).unwrap(),
                        _ => {
                            q.schedule_inline(at, id as u32, shift, |a, _| a as usize).unwrap();
                            inline.push(id);
                            EventHandle { slot: u32::MAX, seq: u64::MAX }
                        }
                    };
                    handles.push(handle);
                    reference.push((at.as_nanos(), seq, id));
                    seq += 1;
                }
                1 if !handles.is_empty() => {
                    let id = (x as usize) % handles.len();
                    let was = reference
                        .iter()
                        .position(|r| r.2 == id)
                        .filter(|_| inline.binary_search(&id).is_err());
                    prop_assert_eq!(q.cancel(handles[id]), was.is_some());
                    if let Some(p) = was { reference.remove(p); }
                }
                2 => {
                    // Pops only what is due by now + x.
                    let until = q.now().as_nanos() + x;
                    reference.sort();
                    let due = reference.first().is_some_and(|r| r.0 <= until);
                    let expected = if due { Some(reference.remove(0)) } else { None };
                    let got = q.pop_until(SimTime::from_nanos(until));
                    prop_assert_eq!(got.map(|(t, id)| (t.as_nanos(), id)), expected.map(|(t, _, id)| (t, id)));
                }
                6 => {
                    let expected = reference.iter().map(|r| r.0).min();
                    prop_assert_eq!(q.peek_time().map(|t| t.as_nanos()), expected);
                }
                4 if !handles.is_empty() => {
                    let id = (x as usize * 7) % handles.len();
                    let at = q.now().as_nanos() + x;
                    let moved = q.reschedule(handles[id], SimTime::from_nanos(at)).unwrap();
                    let was = reference.iter().position(|r| r.2 == id);
                    // Only movable events move; a plain one's handle is refused.
                    match moved {
                        Some(h) => {
                            let p = was.expect("a moved event was pending");
                            reference[p] = (at, seq, id);
                            seq += 1;
                            handles[id] = h;
                        }
                        None => prop_assert!(was.is_none() || movable.binary_search(&id).is_err()),
                    }
                }
                _ => {
                    reference.sort();
                    let expected = if reference.is_empty() { None } else { Some(reference.remove(0)) };
                    let got = q.pop();
                    prop_assert_eq!(got.map(|(t, id)| (t.as_nanos(), id)), expected.map(|(t, _, id)| (t, id)));
                }
            }
            prop_assert_eq!(q.len(), reference.len());
            // The likely next event, when known, is pending and the earliest of the plain
            // (not movable) ones.
            if let Some(id) = q.likely_next() {
                let earliest = reference
                    .iter()
                    .filter(|r| movable.binary_search(&r.2).is_err())
                    .min()
                    .map(|r| r.2);
                prop_assert_eq!(Some(id), earliest);
            }
        }
    }
}
