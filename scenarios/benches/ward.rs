//! The full `examples/ward.yaml` (12 beds, 1 h simulated) as one replication on one core,
//! reported as engine events per second. Goal: ≥ 2 million events/s.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn ward(c: &mut Criterion) {
    let text = include_str!("../../examples/ward.yaml");
    let scenario = scenarios::parse(text, "ward.yaml").expect("the ward example is valid");
    let built = scenario.build();
    let events = built.replication(0).expect("builds").run().events;
    let mut group = c.benchmark_group("ward");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events));
    group.bench_function("1h_one_replication", |b| {
        b.iter(|| black_box(built.replication(0).expect("builds").run().events))
    });
    group.finish();
    c.bench_function("ward/parse_validate_build", |b| {
        b.iter(|| black_box(scenarios::parse(text, "ward.yaml").expect("valid").build()))
    });
}

criterion_group!(benches, ward);
criterion_main!(benches);
