//! Conformance of the models to the rule table, generated from it: for every row that says a
//! defense prevents, reduces or detects an attack, the attack is staged alone in the test ward,
//! then again with the defense deployed everywhere it can be (every link for a link defense,
//! every node otherwise), and the row's metric must move the way the row says: lower with the
//! defense (and above zero without) for prevents and reduces, the attack detected with the
//! defense and not without for detects.

use super::*;
use crate::catalogue::Targets;
use crate::rules::{Effect, RULES};

/// The ward and the attacks staging `kind`: the last attack is the one under test, earlier
/// ones give it footholds. Parameters are raised where the defaults would show nothing in a
/// short run; a kind without its own staging is pointed at the ward by its target selector.
fn staged(kind: AttackKind) -> (Model, Vec<AttackSpec>) {
    let a = |params: &[(&str, f64)]| with(attack(kind, "under-test"), params);
    let spec = match kind {
        AttackKind::Eavesdrop | AttackKind::TrafficAnalysis => AttackSpec {
            links: links(&BLE),
            ..a(&[])
        },
        AttackKind::NodeCapture => AttackSpec {
            targets: ids(&[SENSORS[0]]),
            ..a(&[("time_to_extract", 10.0)])
        },
        AttackKind::Spoofing => AttackSpec {
            targets: ids(&SENSORS),
            ..a(&[("rate", 1.0)])
        },
        AttackKind::Replay => AttackSpec {
            links: links(&BLE),
            ..a(&[("record_probability", 0.5), ("delay", 5.0)])
        },
        AttackKind::DenialOfSleep => AttackSpec {
            targets: ids(&SENSORS),
            ..a(&[])
        },
        AttackKind::Jamming => AttackSpec {
            links: links(&BLE),
            ..a(&[("duty_cycle", 0.5)])
        },
        AttackKind::Mitm => AttackSpec {
            links: links(&[WIFI]),
            ..a(&[("modification_probability", 0.5)])
        },
        AttackKind::Flood | AttackKind::DdosIngestion => {
            let bots = AttackSpec {
                from: ids(&[CLOUD[1], CLOUD[2]]),
                targets: ids(&[CLOUD[0]]),
                ..a(&[("rate", 4000.0), ("size", 100.0)])
            };
            return (ward(60), vec![bots]);
        }
        AttackKind::Sybil => AttackSpec {
            from: ids(&[HUB]),
            targets: ids(&SENSORS),
            ..a(&[("rate", 0.5)])
        },
        AttackKind::Sinkhole => AttackSpec {
            targets: ids(&[RELAY]),
            ..a(&[("drop_probability", 0.5)])
        },
        AttackKind::Wormhole => {
            let mut model = ward(200);
            let tunnel = model.topology.add_link(
                NodeId(HUB),
                NodeId(CLOUD[0]),
                link("worm", 1e9, 1e-3, 0.0),
            );
            let worm = AttackSpec {
                targets: ids(&[HUB, CLOUD[0]]),
                tunnel: Some(tunnel),
                ..a(&[])
            };
            return (model, vec![worm]);
        }
        AttackKind::RoutingManipulation => AttackSpec {
            links: links(&[WIFI]),
            ..a(&[])
        },
        AttackKind::CredentialTheft => AttackSpec {
            targets: ids(&CLOUD),
            ..a(&[("attempt_rate", 1.0), ("success_probability", 0.5)])
        },
        AttackKind::Phishing => AttackSpec {
            targets: ids(&CLOUD),
            ..a(&[("email_rate", 1.0), ("click_probability", 0.5)])
        },
        AttackKind::Intrusion => AttackSpec {
            targets: ids(&[CLOUD[1]]),
            ..a(&[
                ("attempt_rate", 1.0),
                ("vulnerability_probability", 0.5),
                ("tamper_rate", 1.0),
            ])
        },
        AttackKind::Insider => AttackSpec {
            targets: ids(&[CLOUD[1]]),
            ..a(&[("incident_rate", 0.1)])
        },
        AttackKind::Ransomware => {
            let locker = AttackSpec {
                targets: ids(&[HUB, GATEWAY, RELAY, CLOUD[0], CLOUD[1], CLOUD[2]]),
                ..a(&[("infection_rate", 0.01), ("unpatched_fraction", 1.0)])
            };
            return (ward(300), vec![locker]);
        }
        AttackKind::Exfiltration => AttackSpec {
            targets: ids(&[CLOUD[1]]),
            ..a(&[("records_rate", 1.0)])
        },
        AttackKind::LateralMovement => {
            let login = login(&[GATEWAY], 0.1, 1.0);
            let mover = AttackSpec {
                targets: ids(&CLOUD),
                after: Some(0),
                ..a(&[("hop_time", 5.0)])
            };
            return (ward(300), vec![login, mover]);
        }
        AttackKind::TherapyManipulation => AttackSpec {
            targets: ids(&[PUMP]),
            ..a(&[("rate", 1.0)])
        },
        AttackKind::RogueAccessPoint => AttackSpec {
            links: links(&BLE),
            ..a(&[("association_probability", 1.0)])
        },
        // By what the kind is pointed at, with its defaults: the radio links, the hub (a
        // relay), or bots on two cloud hosts aiming at the third.
        _ => match catalogue::attack(kind).targets {
            Targets::Links => AttackSpec {
                links: links(&BLE),
                ..a(&[])
            },
            Targets::Nodes | Targets::NodePair => AttackSpec {
                targets: ids(&[HUB]),
                ..a(&[])
            },
            Targets::NodesFrom => AttackSpec {
                from: ids(&[CLOUD[1], CLOUD[2]]),
                targets: ids(&[CLOUD[0]]),
                ..a(&[])
            },
        },
    };
    (ward(100), vec![spec])
}

/// A defense of `kind` on every link (a link defense) or every node of `model`, with a cipher
/// where it takes one, and parameters that let its effect show within a short run.
fn everywhere(kind: DefenseKind, model: &Model) -> DefenseSpec {
    let info = catalogue::defense(kind);
    let mut d = DefenseSpec {
        cipher: info.cipher.map(|_| AEAD),
        encrypts: kind != DefenseKind::MessageAuthentication,
        ..defense(kind)
    };
    if info.targets == Targets::Links {
        d.links = model.topology.link_ids().collect();
    } else {
        d.targets = model.topology.node_ids().collect();
    }
    match kind {
        DefenseKind::KeyRotation => dwith(d, &[("period", 50.0)]),
        DefenseKind::AccessControl => dwith(d, &[("scope", 0.5)]),
        _ => d,
    }
}

#[test]
fn every_rule_that_stops_or_detects_an_attack_moves_its_metric_the_way_it_says() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for r in RULES.iter().filter(|r| r.effect != Effect::NoEffect) {
        let (model, attacks) = staged(r.attack);
        let under_test = attacks.len() - 1;
        let without = run(&model, attacks.clone(), vec![]);
        let with = run(&model, attacks, vec![everywhere(r.defense, &model)]);
        let pair = format!(
            "{} × {} ({}, {})",
            catalogue::attack(r.attack).name,
            catalogue::defense(r.defense).name,
            r.effect.name(),
            r.metric
        );
        match r.effect {
            Effect::Detects => {
                assert_eq!(r.metric, "detections", "{pair}");
                let before = without.hooks.attacks[under_test].detected;
                let after = with.hooks.attacks[under_test].detected;
                if before.is_some() || after.is_none() {
                    failures.push(format!(
                        "{pair}: detected {before:?} without, {after:?} with"
                    ));
                }
            }
            _ => {
                let (before, after) = (get(&without, r.metric), get(&with, r.metric));
                if !(before > 0.0 && after < before) {
                    failures.push(format!("{pair}: {before} without, {after} with"));
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} rows checked");
    assert!(failures.is_empty(), "{failures:#?}");
}
