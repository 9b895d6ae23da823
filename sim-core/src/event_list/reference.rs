//! The sorted reference the main queue's structures are checked against (tests only): a
//! vector of `(time, seq)` sorted before each look, and one interpreter of random operations
//! applied to a queue and to the reference alike.

use super::Key;
use super::queue::KeyQueue;
use super::radix_heap::RadixHeap;
use proptest::prelude::*;

/// A key at `time` with scheduling order `seq` (its slot: `seq`).
pub(super) fn key(time: u64, seq: u64) -> Key {
    Key {
        time,
        seq,
        slot: seq as u32,
        hint: super::NO_HINT,
    }
}

/// What the reference interpreter asks of a queue of keys.
pub(super) trait KeyMinQueue {
    fn push(&mut self, key: Key);
    fn min(&mut self) -> Option<Key>;
    fn remove_min(&mut self) -> Option<Key>;
    fn pop_min(&mut self) -> Option<Key>;
    fn retain(&mut self, keep: impl FnMut(&Key) -> bool);
}

/// Each structure's own methods, under the trait's names.
macro_rules! key_min_queue {
    ($($queue:ty),*) => {$(
        impl KeyMinQueue for $queue {
            fn push(&mut self, key: Key) {
                <$queue>::push(self, key)
            }
            fn min(&mut self) -> Option<Key> {
                <$queue>::min(self)
            }
            fn remove_min(&mut self) -> Option<Key> {
                <$queue>::remove_min(self)
            }
            fn pop_min(&mut self) -> Option<Key> {
                <$queue>::pop_min(self)
            }
            fn retain(&mut self, keep: impl FnMut(&Key) -> bool) {
                <$queue>::retain(self, keep)
            }
        }
    )*};
}

key_min_queue!(RadixHeap, KeyQueue);

/// A queue and its reference, driven by random operations.
#[derive(Default)]
pub(super) struct Reference {
    /// The keys held, as `(time, seq)`, sorted by [`Reference::first`].
    pub(super) keys: Vec<(u64, u64)>,
    /// The last popped time.
    now: u64,
    seq: u64,
}

impl Reference {
    /// The earliest key held.
    pub(super) fn first(&mut self) -> Option<(u64, u64)> {
        self.keys.sort();
        self.keys.first().copied()
    }

    /// Applies operation `op` to `q` and to the reference and checks that they agree: 0–2 push
    /// at a gap of `x` from the last pop, of `x << shift` (high bits of the time) or of none
    /// (ties); 3 removes the minimum in place; 4 keeps the keys whose `seq` is not `x` modulo
    /// 3; any other checks the minimum and pops it.
    pub(super) fn apply(
        &mut self,
        q: &mut impl KeyMinQueue,
        op: u8,
        x: u64,
        shift: u32,
    ) -> Result<(), TestCaseError> {
        match op {
            0..=2 => {
                let gap = match op {
                    0 => x,
                    1 => x << shift,
                    _ => 0,
                };
                let t = self.now.saturating_add(gap);
                q.push(key(t, self.seq));
                self.keys.push((t, self.seq));
                self.seq += 1;
            }
            3 => {
                let expected = self.first().map(|_| self.keys.remove(0));
                prop_assert_eq!(q.remove_min().map(|k| (k.time, k.seq)), expected);
            }
            4 => {
                let drop = x % 3;
                q.retain(|k| k.seq % 3 != drop);
                self.keys.retain(|r| r.1 % 3 != drop);
            }
            _ => {
                prop_assert_eq!(q.min().map(|k| (k.time, k.seq)), self.first());
                let expected = self.first().map(|_| self.keys.remove(0));
                let got = q.pop_min().map(|k| (k.time, k.seq));
                prop_assert_eq!(got, expected);
                if let Some((t, _)) = got {
                    self.now = t;
                }
            }
        }
        Ok(())
    }
}
