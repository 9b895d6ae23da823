//! The full `examples/ward.yaml` (12 beds, 1 h simulated, six attacks and two defenses) as one
//! replication on one core, reported as engine events per second. Goal: ≥ 2 million events/s.
//! The same ward without attacks and defenses prices the security layer's hooks.
//!
//! `ward_1000` prices the physical layer: `scenarios/benches/ward_1000.yaml` (1,000 body
//! sensors on BLE radio links to 500 hubs, 10 min simulated) against the same floor with the
//! body links set to the catalogue's fixed-loss `ble_1m`. Goal: radio ≤ 2× the fixed-loss time.
//! `ward_1000/mac` runs `ward_1000_mac.yaml`, the same floor and traffic with the ECG patches on
//! BLE connections and the SpO2 clips on 802.15.4 CSMA/CA. Goal: ≥ 1 M events/s.

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

fn ward_1000(c: &mut Criterion) {
    let text = include_str!("ward_1000.yaml");
    let radio = scenarios::parse(text, "ward_1000.yaml")
        .expect("the 1,000-sensor ward is valid")
        .build();
    let fixed: Vec<scenarios::Override> = ["links[0].profile=ble_1m"]
        .iter()
        .map(|s| s.parse().expect("a valid override"))
        .collect();
    let fixed = scenarios::parse_with(text, "ward_1000.yaml", &fixed)
        .expect("the fixed-loss variant is valid")
        .scenario
        .build();
    let mac = scenarios::parse(include_str!("ward_1000_mac.yaml"), "ward_1000_mac.yaml")
        .expect("the MAC variant is valid")
        .build();
    let mut group = c.benchmark_group("ward_1000");
    group.sample_size(10);
    for (name, built) in [("radio", &radio), ("fixed_loss", &fixed), ("mac", &mac)] {
        let events = built.replication(0).expect("builds").run().events;
        group.throughput(Throughput::Elements(events));
        group.bench_function(name, |b| {
            b.iter(|| black_box(built.replication(0).expect("builds").run().events))
        });
    }
    group.finish();
}

criterion_group!(benches, ward, ward_1000);
criterion_main!(benches);
