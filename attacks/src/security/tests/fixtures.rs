//! The test ward and the builders of attack and defense specifications every security test
//! shares: one place for each fixture, so that a test states only what is particular to it.

use super::*;
use sim_core::{LinkClass, NodeClass};

/// Node ids of the test ward.
pub(crate) const SENSORS: [u32; 4] = [0, 1, 2, 3];
pub(crate) const HUB: u32 = 4;
pub(crate) const GATEWAY: u32 = 5;
pub(crate) const RELAY: u32 = 6;
pub(crate) const CLOUD: [u32; 3] = [7, 8, 9];
pub(crate) const PUMP: u32 = 10;
/// Link ids.
pub(crate) const BLE: [u32; 4] = [0, 1, 2, 3];
pub(crate) const WIFI: u32 = 4;
pub(crate) const WAN: u32 = 5;
pub(crate) const PUMP_LINK: u32 = 11;

pub(crate) fn device(layer: Layer, battery: Option<f64>, station: bool) -> DeviceSpec {
    DeviceSpec {
        station: station.then(|| StationSpec {
            servers: 1,
            service: Dist::exp(1e-3).unwrap(),
            buffer: Some(50),
        }),
        battery: battery.map(Joules),
        sleep_power: Watts(if layer == Layer::Sensing { 3e-6 } else { 0.0 }),
        cpu_hz: Hertz(64e6),
        energy_per_cycle: Joules(if layer == Layer::Sensing {
            0.16e-9
        } else {
            0.0
        }),
    }
}

pub(crate) fn link(name: &str, rate: f64, latency: f64, j_per_bit: f64) -> LinkSpec {
    LinkSpec::new(
        name.into(),
        LinkClass {
            group: name.split('[').next().unwrap_or(name).into(),
            rate: BitsPerSecond(rate),
            latency: Dist::constant(latency).unwrap().into(),
            loss: 0.0,
            tx_energy_per_bit: Joules(j_per_bit),
            rx_energy_per_bit: Joules(j_per_bit),
        },
    )
}

/// Four sensors (each a 100-B reading per second, one record) and a pump on a BLE hub; the hub
/// reaches the cloud through a gateway (Wi-Fi, then WAN) or, slower, a relay; three cloud
/// hosts on a LAN. Sensor 0 also raises alarms (Poisson, 0.2/s) and cloud[0] commands the pump
/// every 10 s.
pub(crate) fn ward(duration_s: u64) -> Model {
    let mut t = Topology::new();
    let mut add = |name: &str, group: &str, layer, dev: DeviceSpec| {
        t.add_node(NodeSpec::new(
            name.into(),
            NodeClass {
                group: group.into(),
                layer,
                device: dev.into(),
            },
        ))
    };
    for i in 0..4 {
        add(
            &format!("ecg[{i}]"),
            "ecg",
            Layer::Sensing,
            device(Layer::Sensing, Some(2000.0), false),
        );
    }
    add(
        "hub[0]",
        "hub",
        Layer::Network,
        device(Layer::Network, None, true),
    );
    add(
        "gateway[0]",
        "gateway",
        Layer::Network,
        device(Layer::Network, None, true),
    );
    add(
        "relay[0]",
        "relay",
        Layer::Network,
        device(Layer::Network, None, false),
    );
    for i in 0..3 {
        add(
            &format!("ehr[{i}]"),
            "ehr",
            Layer::Cloud,
            device(Layer::Cloud, None, true),
        );
    }
    add(
        "pump[0]",
        "pump",
        Layer::Sensing,
        device(Layer::Sensing, Some(2000.0), false),
    );
    for i in 0..4 {
        t.add_link(
            NodeId(i),
            NodeId(HUB),
            link(&format!("ble[{i}]"), 1e6, 2e-3, 19e-9),
        );
    }
    t.add_link(NodeId(HUB), NodeId(GATEWAY), link("wifi", 50e6, 1e-3, 0.0));
    t.add_link(
        NodeId(GATEWAY),
        NodeId(CLOUD[0]),
        link("wan", 100e6, 20e-3, 0.0),
    );
    t.add_link(NodeId(HUB), NodeId(RELAY), link("relay_in", 1e6, 5e-3, 0.0));
    t.add_link(
        NodeId(RELAY),
        NodeId(CLOUD[0]),
        link("relay_out", 1e6, 40e-3, 0.0),
    );
    t.add_link(
        NodeId(CLOUD[0]),
        NodeId(CLOUD[1]),
        link("lan", 1e9, 1e-4, 0.0),
    );
    t.add_link(
        NodeId(CLOUD[0]),
        NodeId(CLOUD[2]),
        link("lan", 1e9, 1e-4, 0.0),
    );
    t.add_link(
        NodeId(CLOUD[1]),
        NodeId(CLOUD[2]),
        link("lan", 1e9, 1e-4, 0.0),
    );
    t.add_link(
        NodeId(PUMP),
        NodeId(HUB),
        link("pump_ble", 1e6, 2e-3, 19e-9),
    );
    let periodic = |s: SimTime| Arrivals::Periodic {
        period: s,
        jitter: Dist::constant(0.0).unwrap(),
    };
    let mut sources: Vec<SourceSpec> = (0..4)
        .map(|i| SourceSpec {
            name: format!("ecg[{i}]/vitals").into(),
            node: NodeId(i),
            dst: NodeId(CLOUD[0]),
            stream: StreamSpec {
                arrivals: periodic(SimTime::from_secs(1)),
                size: Bytes(100),
                records: 1,
                class: TrafficClass::Routine,
                deadline: Some(SimTime::from_millis(500)),
                ack: None,
            }
            .into(),
            patient: Some(PatientId(i)),
        })
        .collect();
    sources.push(SourceSpec {
        name: "ecg[0]/alarm".into(),
        node: NodeId(0),
        dst: NodeId(CLOUD[0]),
        stream: StreamSpec {
            arrivals: Arrivals::Poisson { rate_per_s: 0.2 },
            size: Bytes(40),
            records: 1,
            class: TrafficClass::Alarm,
            deadline: Some(SimTime::from_millis(100)),
            ack: None,
        }
        .into(),
        patient: Some(PatientId(0)),
    });
    sources.push(SourceSpec {
        name: "ehr[0]/dose".into(),
        node: NodeId(CLOUD[0]),
        dst: NodeId(PUMP),
        stream: StreamSpec {
            arrivals: periodic(SimTime::from_secs(10)),
            size: Bytes(32),
            records: 0,
            class: TrafficClass::Alarm,
            deadline: None,
            ack: Some(Bytes(16)),
        }
        .into(),
        patient: None,
    });
    Model {
        topology: t,
        sources,
        config: RunConfig {
            duration: SimTime::from_secs(duration_s),
            warmup: SimTime::ZERO,
            time_grid: Some(SimTime::from_secs(duration_s / 20)),
        },
    }
}

pub(crate) fn attack(kind: AttackKind, name: &str) -> AttackSpec {
    AttackSpec::new(kind, name)
}

pub(crate) fn defense(kind: DefenseKind) -> DefenseSpec {
    DefenseSpec::new(kind, catalogue::defense(kind).name)
}

/// Credential theft on cloud[1] (`attempt_rate` per second, each succeeding with
/// `success`), and an exfiltration of `records_rate` records per second chained after it.
pub(crate) fn login_then_leak(
    attempt_rate: f64,
    success: f64,
    records_rate: f64,
) -> (AttackSpec, AttackSpec) {
    let login = login(&[CLOUD[1]], attempt_rate, success);
    let exfil = AttackSpec {
        targets: ids(&[CLOUD[1]]),
        after: Some(0),
        ..with(
            attack(AttackKind::Exfiltration, "leak"),
            &[("records_rate", records_rate)],
        )
    };
    (login, exfil)
}

/// Credential theft (named `login`) on `nodes`: `attempt_rate` attempts per second, each
/// succeeding with `success`.
pub(crate) fn login(nodes: &[u32], attempt_rate: f64, success: f64) -> AttackSpec {
    AttackSpec {
        targets: ids(nodes),
        ..with(
            attack(AttackKind::CredentialTheft, "login"),
            &[
                ("attempt_rate", attempt_rate),
                ("success_probability", success),
            ],
        )
    }
}

/// A defense of `kind` with its defaults, deployed on `nodes`.
pub(crate) fn on_nodes(kind: DefenseKind, nodes: &[u32]) -> DefenseSpec {
    DefenseSpec {
        targets: ids(nodes),
        ..defense(kind)
    }
}

/// A defense of `kind` with its defaults, deployed on `on`.
pub(crate) fn on_links(kind: DefenseKind, on: &[u32]) -> DefenseSpec {
    DefenseSpec {
        links: links(on),
        ..defense(kind)
    }
}

/// AES-128-CTR + HMAC-SHA256 on a Cortex-M4 (catalogue `aes128_ctr_hmac_sha256`).
pub(crate) const AEAD: CipherCost = CipherCost {
    cycles_per_byte: 126.6,
    cycles_per_message: 11_776,
    overhead: Bytes(28),
};

pub(crate) fn aead(kind: DefenseKind, links: &[u32], targets: &[u32]) -> DefenseSpec {
    DefenseSpec {
        links: ids(links).into_iter().map(|n| LinkId(n.0)).collect(),
        targets: ids(targets),
        cipher: Some(AEAD),
        encrypts: kind != DefenseKind::MessageAuthentication,
        ..defense(kind)
    }
}

pub(crate) fn ids(xs: &[u32]) -> Vec<NodeId> {
    xs.iter().map(|&x| NodeId(x)).collect()
}

pub(crate) fn links(xs: &[u32]) -> Vec<LinkId> {
    xs.iter().map(|&x| LinkId(x)).collect()
}

pub(crate) fn with(mut a: AttackSpec, params: &[(&str, f64)]) -> AttackSpec {
    for (k, v) in params {
        assert!(a.params.set(k, *v), "{k}");
    }
    a
}

pub(crate) fn dwith(mut d: DefenseSpec, params: &[(&str, f64)]) -> DefenseSpec {
    for (k, v) in params {
        assert!(d.params.set(k, *v), "{k}");
    }
    d
}

pub(crate) fn run_seed(
    model: &Model,
    attacks: Vec<AttackSpec>,
    defenses: Vec<DefenseSpec>,
    seed: u64,
) -> RunMetrics<SecurityReport> {
    let spec = SecuritySpec {
        attacks,
        defenses,
        cost_per_record: COST_PER_RECORD_USD,
        cost_per_breach: 0.0,
    };
    let hooks = spec.instantiate(model, seed);
    Simulation::new(model, seed, hooks).unwrap().run()
}

pub(crate) fn run(
    model: &Model,
    attacks: Vec<AttackSpec>,
    defenses: Vec<DefenseSpec>,
) -> RunMetrics<SecurityReport> {
    run_seed(model, attacks, defenses, 7)
}

pub(crate) fn get<R>(m: &RunMetrics<R>, name: &str) -> f64 {
    m.scalar(name).unwrap_or_else(|| panic!("{name} undefined"))
}

/// Key rotation every `period_s` on the `targets` nodes.
pub(crate) fn rotation_for(targets: &[u32], period_s: f64) -> DefenseSpec {
    DefenseSpec {
        targets: ids(targets),
        ..dwith(defense(DefenseKind::KeyRotation), &[("period", period_s)])
    }
}

/// A spoofer forging readings of every sensor at `rate` per second, with `params` over its
/// defaults.
pub(crate) fn spoofer(rate: f64, params: &[(&str, f64)]) -> AttackSpec {
    let a = with(attack(AttackKind::Spoofing, "spoofer"), &[("rate", rate)]);
    AttackSpec {
        targets: ids(&SENSORS),
        ..with(a, params)
    }
}

/// An IDS watching `nodes`, with `params` over its defaults.
pub(crate) fn ids_on(nodes: &[u32], params: &[(&str, f64)]) -> DefenseSpec {
    DefenseSpec {
        targets: ids(nodes),
        ..dwith(defense(DefenseKind::Ids), params)
    }
}

/// An IDS on `nodes` that detects in the first window it sees an attack in, raises no false
/// alarm, and responds 5 s later with `response` (1 isolate, 2 block, 3 rotate_keys).
pub(crate) fn responder(nodes: &[u32], response: f64) -> DefenseSpec {
    ids_on(
        nodes,
        &[
            ("detection_probability", 1.0),
            ("false_positive_rate", 0.0),
            ("response", response),
            ("response_delay", 5.0),
        ],
    )
}

/// Mutual authentication of `nodes` under [`AEAD`].
pub(crate) fn authenticated(nodes: &[u32]) -> DefenseSpec {
    DefenseSpec {
        targets: ids(nodes),
        cipher: Some(AEAD),
        ..defense(DefenseKind::MutualAuthentication)
    }
}

/// A cipher whose only cost is 3.6 M cycles per handshake (nothing per byte, no overhead):
/// tests count handshakes by the energy they take.
pub(crate) const HANDSHAKE: CipherCost = CipherCost {
    cycles_per_byte: 0.0,
    cycles_per_message: 3_600_000,
    overhead: Bytes(0),
};

/// Mutual authentication of every sensor with [`HANDSHAKE`] as its cipher.
pub(crate) fn handshakes_on_sensors() -> DefenseSpec {
    DefenseSpec {
        targets: ids(&SENSORS),
        cipher: Some(HANDSHAKE),
        ..defense(DefenseKind::MutualAuthentication)
    }
}
