//! Prefetching: asking the memory for data a few hundred nanoseconds before it is read.
//!
//! At a million devices every event touches state scattered over gigabytes (its slot in the
//! event list, its source's specification and schedule, its node), and each first touch is a
//! cache miss of about 100 ns: more than the event's own work. The event loop knows the next
//! event one event ahead (the top of the event list after a pop), so it asks for that event's
//! lines while the current one is processed, and the misses overlap with useful work instead of
//! following one another. A prefetch is only a hint: it never faults, never changes a value and
//! never changes what the simulation computes.

/// The cache line size assumed (bytes): 64 on every current x86-64 and most AArch64 cores.
const LINE: usize = 64;

/// Asks for the cache lines of `slice[index]`, if there is such an element.
#[inline(always)]
pub fn prefetch_at<T>(slice: &[T], index: usize) {
    if let Some(value) = slice.get(index) {
        prefetch(value);
    }
}

/// Asks for the cache lines of `*value` (at most the first two), without waiting for them.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    let start = (value as *const T).cast::<u8>();
    let size = std::mem::size_of::<T>().clamp(1, 2 * LINE);
    let mut offset = 0;
    while offset < size {
        line(start.wrapping_add(offset));
        offset += LINE;
    }
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
