//! The full `examples/ward.yaml` (12 beds, 1 h simulated, six attacks and two defenses) as one
//! replication on one core, reported as engine events per second. Goal: ≥ 2 million events/s.
//! The same ward without attacks and defenses prices the security layer's hooks.

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
    let bare: Vec<scenarios::Override> = ["attacks=[]", "defenses=[]"]
        .iter()
        .map(|s| s.parse().expect("a valid override"))
        .collect();
    let plain = scenarios::parse_with(text, "ward.yaml", &bare)
        .expect("the ward without security is valid")
        .scenario
        .build();
    let plain_events = plain.replication(0).expect("builds").run().events;
    let mut group = c.benchmark_group("ward_no_security");
    group.sample_size(10);
    group.throughput(Throughput::Elements(plain_events));
    group.bench_function("1h_one_replication", |b| {
        b.iter(|| black_box(plain.replication(0).expect("builds").run().events))
    });
    group.finish();
    c.bench_function("ward/parse_validate_build", |b| {
        b.iter(|| black_box(scenarios::parse(text, "ward.yaml").expect("valid").build()))
    });
}

criterion_group!(benches, ward);
criterion_main!(benches);
