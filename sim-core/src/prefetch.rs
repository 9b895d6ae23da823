//! Prefetching: asking the memory for data a few hundred nanoseconds before it is read.
//!
//! At a million devices every event touches state scattered over gigabytes (its slot in the
//! event list, its source's specification and schedule, its node), and each first touch is a
//! cache miss of about 100 ns: more than the event's own work. The event loop knows the next
//! event one event ahead (the top of the event list after a pop, and its hint even before its
//! slot is read), so it asks for that event's lines while the current one is processed, and
//! the misses overlap with useful work and with each other instead of following one another.
//! A record that crosses a line boundary is asked for in both lines. A prefetch is only a
//! hint: it never faults, never changes a value and never changes what the simulation
//! computes.

/// The cache line size assumed (bytes): 64 on every current x86-64 and most AArch64 cores.
const LINE: usize = 64;

/// Asks for the cache lines of `slice[index]`, if there is such an element.
#[inline(always)]
pub fn prefetch_at<T>(slice: &[T], index: usize) {
    if let Some(value) = slice.get(index) {
        prefetch(value);
    }
}

/// Asks for the cache lines of `*value`, at most two: the line it starts in and, when it
/// crosses into the next (a 48-byte record at offset 32 of a line does), that one too.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    let start = (value as *const T).cast::<u8>();
    line(start);
    if let Some(next) = next_line(start.addr(), std::mem::size_of::<T>()) {
        line(start.wrapping_add(next));
    }
}

/// How far past `start` the next cache line begins, if a value of `size` bytes at `start`
/// reaches into it.
#[inline(always)]
fn next_line(start: usize, size: usize) -> Option<usize> {
    let offset = start % LINE;
    (offset + size > LINE).then_some(LINE - offset)
}

/// Asks for the cache line holding `address`.
#[inline(always)]
fn line(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `prefetcht0` is part of SSE, which every x86-64 processor has; it is a hint that
    // never faults and never reads into the program's state, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(address.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_crossing_a_line_boundary_asks_for_both_lines() {
        assert_eq!(next_line(0, 48), None);
        assert_eq!(next_line(128 + 16, 48), None); // ends exactly at the boundary
        assert_eq!(next_line(64 + 32, 48), Some(32));
        assert_eq!(next_line(56, 8), None);
        assert_eq!(next_line(60, 8), Some(4));
        assert_eq!(next_line(0, 0), None);
        assert_eq!(next_line(0, 800), Some(64)); // a large value: its first two lines
    }

    #[test]
    fn prefetching_changes_no_value_whatever_the_size() {
        let small = 7u8;
        let large = [3u64; 100]; // 800 B: only the first two lines are asked for
        let empty = ();
        prefetch(&small);
        prefetch(&large);
        prefetch(&empty);
        prefetch_at(&large, 5);
        prefetch_at(&large, 1_000); // past the end: nothing asked
        prefetch_at::<u8>(&[], 0);
        assert_eq!(small, 7);
        assert!(large.iter().all(|&x| x == 3));
    }
}
