//! The classic hold model (Jones 1986): with n events pending, repeatedly pop the earliest and
//! schedule one at `t + Exp(1)`. Measures the future event list per hold operation against a bare
//! `BinaryHeap<Reverse<(u64, u64, u32)>>` doing the same work (no slab, no cancellation), at
//! n = 8 (a small model: the list keeps up to 16 keys in an unsorted array) and 10³ … 10⁶
//! (10⁶ is the scale of a million-device campus, two timers per wearable); and the list with
//! the events kept in their keys alone (`event_list_inline`), as a large model's timers are.
//! Goal: the engine's list costs at most 1.3× the bare heap.
//!
//! `HOLD_SIZES` (comma-separated) picks the sizes, e.g. `HOLD_SIZES=1000000`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand_distr::{Distribution, Exp1};
use sim_core::SimTime;
use sim_core::event_list::EventList;
use sim_core::rng;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;

const HOLDS: u64 = 100_000;

fn delay(r: &mut rng::Stream) -> u64 {
    // Exp(1) in units of a microsecond, in integer nanoseconds.
    let x: f64 = Exp1.sample(r);
    (x * 1e3) as u64
}

fn hold(c: &mut Criterion) {
    let mut group = c.benchmark_group("hold");
    group.throughput(Throughput::Elements(HOLDS));
    let sizes: Vec<u64> = std::env::var("HOLD_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![8, 1_000, 10_000, 100_000, 1_000_000]);
    for n in sizes {
        group.bench_with_input(BenchmarkId::new("event_list", n), &n, |b, &n| {
            let mut r = rng::stream(1, "hold");
            let mut q: EventList<u32> = EventList::with_capacity(n as usize);
            for i in 0..n {
                q.schedule(SimTime::from_nanos(delay(&mut r)), i as u32)
                    .unwrap();
            }
            b.iter(|| {
                for _ in 0..HOLDS {
                    let (t, e) = q.pop().unwrap();
                    let at = SimTime::from_nanos(t.as_nanos() + delay(&mut r));
                    q.schedule(at, black_box(e)).unwrap();
                }
            });
        });
        // The same events kept in their keys alone (`EventList::schedule_inline`), as a large
        // model's sensor timers are: no slot written or read.
        group.bench_with_input(BenchmarkId::new("event_list_inline", n), &n, |b, &n| {
            let unpack = |id: u32, _: u32| id;
            let mut r = rng::stream(1, "hold");
            let mut q: EventList<u32> = EventList::with_capacity(0);
            for i in 0..n {
                q.schedule_inline(SimTime::from_nanos(delay(&mut r)), i as u32, 0, unpack)
                    .unwrap();
            }
            b.iter(|| {
                for _ in 0..HOLDS {
                    let (t, e) = q.pop().unwrap();
                    let at = SimTime::from_nanos(t.as_nanos() + delay(&mut r));
                    q.schedule_inline(at, black_box(e), 0, unpack).unwrap();
                }
            });
        });
        group.bench_with_input(BenchmarkId::new("bare_heap", n), &n, |b, &n| {
            let mut r = rng::stream(1, "hold");
            let mut q: BinaryHeap<Reverse<(u64, u64, u32)>> = BinaryHeap::with_capacity(n as usize);
            let mut seq = 0u64;
            for i in 0..n {
                q.push(Reverse((delay(&mut r), seq, i as u32)));
                seq += 1;
            }
            b.iter(|| {
                for _ in 0..HOLDS {
                    let Reverse((t, _, e)) = q.pop().unwrap();
                    q.push(Reverse((t + delay(&mut r), seq, black_box(e))));
                    seq += 1;
                }
            });
        });
    }
    group.finish();
}

criterion_group!(benches, hold);
criterion_main!(benches);
