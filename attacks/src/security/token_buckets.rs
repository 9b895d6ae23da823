//! The rate limiters' token buckets: one per (protected node, sender) pair that has sent
//! through the limiter.
//!
//! A bucket holds up to `burst` tokens and refills at `rate` tokens per second; a packet
//! passes when a token is left and takes it: `tokens ← min(burst, tokens + rate·Δt)`, pass iff
//! `tokens ≥ 1`, then `tokens ← tokens − 1`. A new pair's bucket starts full.
//!
//! Layout: almost every sender meets one limiter on its way (the fog node of a fan-in, the
//! gateway of a ward), so a sender's first bucket sits in a table indexed by the sender's node
//! (24 bytes a node, allocated when the first bucket is made) and any further one in a hash
//! map. A hash map of every pair cost about 50 bytes a pair at a million senders and doubled
//! its table while the run went on.

use sim_core::{NodeId, SimTime};
use std::collections::HashMap;

/// No limiter: the sender's slot in [`TokenBuckets::first`] is free.
const NONE: u32 = u32::MAX;

/// One bucket: its tokens and the instant they were last counted.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    /// The protected node whose limiter this bucket is ([`NONE`] for a free slot).
    at: u32,
    tokens: f64,
    last: SimTime,
}

/// The token buckets of every rate limiter, by protected node and sender.
///
/// Invariant: a pair has at most one bucket, in `first[sender]` if that slot names its
/// protected node, else in `more`; `first` is empty until the first bucket is made.
#[derive(Debug, Default)]
pub(crate) struct TokenBuckets {
    nodes: usize,
    first: Vec<Bucket>,
    more: HashMap<(u32, u32), (f64, SimTime)>,
}

impl TokenBuckets {
    /// No bucket yet, for a topology of `nodes` nodes.
    pub(crate) fn new(nodes: usize) -> Self {
        TokenBuckets {
            nodes,
            ..TokenBuckets::default()
        }
    }

    /// No packet has met a limiter yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.first.is_empty() && self.more.is_empty()
    }

    /// Asks the memory for `sender`'s first bucket (`sim_core::prefetch`); changes nothing.
    #[inline]
    pub(crate) fn prefetch(&self, sender: NodeId) {
        sim_core::prefetch::prefetch_at(&self.first, sender.index());
    }

    /// The limiter at `to` (`rate` tokens per second, `burst` at most) lets a packet from
    /// `sender` through at `now`, and takes its token.
    pub(crate) fn admits(
        &mut self,
        to: NodeId,
        sender: NodeId,
        rate: f64,
        burst: f64,
        now: SimTime,
    ) -> bool {
        let s = sender.index();
        if s >= self.nodes {
            // Not a node of the topology: never in the table.
            let b = self.more.entry((to.0, sender.0)).or_insert((burst, now));
            return take(&mut b.0, &mut b.1, rate, burst, now);
        }
        if self.first.is_empty() {
            let free = Bucket {
                at: NONE,
                tokens: 0.0,
                last: SimTime::ZERO,
            };
            self.first = vec![free; self.nodes];
        }
        let slot = &mut self.first[s];
        if slot.at == NONE {
            *slot = Bucket {
                at: to.0,
                tokens: burst,
                last: now,
            };
        }
        if slot.at == to.0 {
            return take(&mut slot.tokens, &mut slot.last, rate, burst, now);
        }
        let b = self.more.entry((to.0, sender.0)).or_insert((burst, now));
        take(&mut b.0, &mut b.1, rate, burst, now)
    }
}

/// Refill a bucket up to `now` and take a token if one is there.
fn take(tokens: &mut f64, last: &mut SimTime, rate: f64, burst: f64, now: SimTime) -> bool {
    let dt = now.saturating_sub(*last).as_secs_f64();
    *tokens = (*tokens + dt * rate).min(burst);
    *last = now;
    if *tokens >= 1.0 {
        *tokens -= 1.0;
        true
    } else {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same decisions as one hash map of every pair, on a sequence of packets in which
    /// senders meet one, two or three limiters in turn.
    #[test]
    fn decides_as_one_bucket_per_pair() {
        let nodes = 6;
        let mut buckets = TokenBuckets::new(nodes);
        let mut reference: HashMap<(u32, u32), (f64, SimTime)> = HashMap::new();
        let (rate, burst) = (2.0, 3.0);
        let mut passed = 0;
        for i in 0..2_000u64 {
            let now = SimTime::from_nanos(i * 37_000_000);
            let sender = NodeId((i * 7 % nodes as u64) as u32);
            let to = NodeId([3, 4, 5][(i * 11 % 3) as usize]);
            let b = reference.entry((to.0, sender.0)).or_insert((burst, now));
            let expected = take(&mut b.0, &mut b.1, rate, burst, now);
            assert_eq!(
                buckets.admits(to, sender, rate, burst, now),
                expected,
                "packet {i}"
            );
            passed += usize::from(expected);
        }
        // Both ways of passing and of being held occurred.
        assert!(passed > 200 && passed < 1_900, "{passed}");
        assert_eq!(buckets.first.iter().filter(|b| b.at != NONE).count(), nodes);
        assert_eq!(buckets.more.len() + nodes, reference.len());
    }

    /// A full bucket lets `burst` packets through at once, then one per `1/rate` seconds.
    #[test]
    fn burst_then_rate() {
        let mut buckets = TokenBuckets::new(2);
        assert!(buckets.is_empty());
        let (to, from) = (NodeId(1), NodeId(0));
        let t0 = SimTime::from_secs(1);
        let passed = (0..5)
            .filter(|_| buckets.admits(to, from, 10.0, 3.0, t0))
            .count();
        assert_eq!(passed, 3);
        assert!(!buckets.is_empty());
        // 0.1 s later one token has come back, and only one.
        let t1 = SimTime::from_millis(1_100);
        assert!(buckets.admits(to, from, 10.0, 3.0, t1));
        assert!(!buckets.admits(to, from, 10.0, 3.0, t1));
    }
}
