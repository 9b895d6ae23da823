//! `ids`: An intrusion detection system on the targeted nodes sees the attacks whose packets pass
//! through or target one of them, and those acting on one of them (a host it runs on, a link
//! ending there); it does not see an attack on a path it is not on (a man-in-the-middle inside a
//! carrier network a cloud IDS never touches). Each window of an active attack it sees, it
//! detects it with a probability (mean time to detect = window / p); each window each watched
//! node raises a false alarm with the false-positive rate. After a delay it responds: `isolate`
//! and `reimage` end the attack and cut its nodes off; `block` drops the attacker's traffic at
//! the IDS's nodes ([`SecurityLayer::block`]); `rotate_keys` replaces the keys and credentials
//! it captured, which it must capture again, at the cost of a key agreement
//! ([`SecurityLayer::rotate_keys`]). A false alarm is acted on too: isolating, blocking or
//! reimaging cuts the falsely accused node off (reimaged, it comes back after `reimage_time`).

use super::prelude::*;

/// The catalogue entry.
pub const INFO: DefenseInfo = DefenseInfo {
    kind: DefenseKind::Ids,
    name: "ids",
    targets: Targets::Nodes,
    cost: "false alarms; detection delay during which the attack acts",
    about: "An intrusion detection system on the targeted groups sees the attacks whose packets pass through or target one of its nodes (on the routes the packets take), and those acting on one of its nodes (a host it runs on, a link ending there); not an attack on a path it is not on (a man-in-the-middle inside a carrier network a cloud IDS never touches). Each window of an active attack it sees it detects with a probability (mean time to detect = window / p); each window each watched node raises a false alarm with the false-positive rate. After a delay it responds. isolate and reimage end the attack and cut its nodes off (reimaged, they come back after reimage_time); block drops the attacker's traffic at the IDS's nodes (the forged, replayed or flood packets it injects, from then on; the connections of a login, relay or alteration, ending it; nothing of a captured key, which sends nothing); rotate_keys replaces the keys and credentials it captured, so it loses what they gave it until it captures again, and each node that held them and its peer pay a key agreement. A false alarm is acted on too: isolating, blocking or reimaging cuts the falsely accused node off.",
    params: &[
        param(
            "detection_probability",
            Unit::Probability,
            0.95,
            "0.95",
            "probability of detecting an active attack in one window",
            "§E: detection 0.95–0.99 [U, recommended defaults]",
        ),
        param(
            "false_positive_rate",
            Unit::Probability,
            0.001,
            "0.001",
            "probability a watched node raises a false alarm in one window",
            "§E: FPR 0.1–1 % [U]",
        ),
        param(
            "window",
            Unit::Seconds,
            10.0,
            "10s",
            "flow window: detection delay granularity",
            "§E: one flow window (seconds) [U]",
        ).positive(),
        param(
            "response",
            Unit::Choice(&["none", "isolate", "block", "rotate_keys", "reimage"]),
            1.0,
            "isolate",
            "what follows a detection",
            "§E",
        ),
        param(
            "response_delay",
            Unit::Seconds,
            60.0,
            "60s",
            "time from detection to response",
            U,
        ),
        param(
            "reimage_time",
            Unit::Seconds,
            14_400.0,
            "4h",
            "time to bring a reimaged host back",
            U,
        ),
        param(
            "rekey_cycles",
            Unit::Count,
            3_600_000.0,
            "3600000",
            "CPU cycles of each end's key agreement when rotate_keys replaces a node's keys (without mutual authentication there)",
            "§G: X25519 3.6 M cycles on a Cortex-M0 (§C, Düll et al. 2015)",
        ),
    ],
    cipher: None,
};

/// What follows a detection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Response {
    /// Nothing: the detection is only counted.
    None,
    /// The attack's nodes are cut off.
    Isolate,
    /// Its traffic is dropped at the IDS's nodes; its nodes stay up.
    Block,
    /// The keys and credentials it captured are replaced: it loses what they gave it and
    /// goes on, capturing again; the nodes that held them re-key.
    RotateKeys,
    /// Its nodes are cut off and come back clean after `reimage_time`.
    Reimage,
}

/// An intrusion detection system on the targeted groups.
#[derive(Debug)]
pub(crate) struct Model {
    /// Probability of detecting an active attack in one window.
    detection_probability: f64,
    /// Probability a watched node raises a false alarm in one window.
    false_positive_rate: f64,
    /// Flow window.
    window: SimTime,
    /// What follows a detection.
    response: Response,
    /// Time from detection to response.
    response_delay: SimTime,
    /// Time to bring a reimaged host back.
    reimage_time: SimTime,
    /// CPU cycles of one node's new key agreement after a key rotation.
    rekey_cycles: f64,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            detection_probability: p.num("detection_probability"),
            false_positive_rate: p.num("false_positive_rate"),
            window: p.time("window"),
            response: match p.word("response") {
                "isolate" => Response::Isolate,
                "block" => Response::Block,
                "rotate_keys" => Response::RotateKeys,
                "reimage" => Response::Reimage,
                _ => Response::None,
            },
            response_delay: p.time("response_delay"),
            reimage_time: p.time("reimage_time"),
            rekey_cycles: p.num("rekey_cycles"),
        }
    }

    /// A window closes: false alarms (binomial over the watched nodes), then a detection
    /// chance for each attack it watches that has acted, is live and is not yet detected.
    fn window(&self, l: &mut SecurityLayer, k: usize, now: SimTime, acts: &mut Actions) {
        if self.window > SimTime::ZERO {
            acts.timer(
                now.saturating_add(self.window),
                Timer::Defense(k, DefenseTimer::IdsWindow).token(),
            );
        }
        let watched = l.defenses[k].spec.targets.len() as u64;
        let fpr = self.false_positive_rate.clamp(0.0, 1.0);
        let alarms = Binomial::new(watched, fpr).map_or(0, |b| b.sample(&mut l.defenses[k].rng));
        if now >= l.warmup {
            l.m.false_alarms += alarms;
        }
        for a in 0..alarms as usize {
            let d = &l.defenses[k].spec;
            let node = d.targets.get(a % d.targets.len().max(1)).copied();
            let name = d.name.clone();
            l.incident(now, IncidentKind::FalseAlarm, node, &name);
            // A false alarm is acted on like a true one: the accused node is cut off.
            if let Some(n) = node
                && self.cuts_off()
            {
                acts.timer(
                    now.saturating_add(self.response_delay),
                    Timer::Defense(k, DefenseTimer::Accused(n)).token(),
                );
            }
        }
        for i in 0..l.attacks.len() {
            let a = &l.attacks[i];
            let covered = l.masks.detects(a.spec.kind, DefenseKind::Ids)
                && l.defenses[k].spec.targets.iter().any(|&n| a.seen_by(n));
            let acting =
                a.episode_act.is_some_and(|t| t < now) && a.live(now) && a.detected.is_none();
            if !(covered && acting) {
                continue;
            }
            let u: f64 = l.defenses[k].rng.random();
            if u < self.detection_probability {
                let name = l.defenses[k].spec.name.clone();
                l.detected(i, now, &name);
                if self.response != Response::None && l.ends_on_response(i) {
                    acts.timer(
                        now.saturating_add(self.response_delay),
                        Timer::Defense(k, DefenseTimer::Response { attack: i as u32 }).token(),
                    );
                }
            }
        }
    }

    /// Whether the response takes a node's traffic off the network: isolating, reimaging, or
    /// blocking (a falsely accused node's own traffic is dropped where the IDS sits, which
    /// costs its monitoring like isolating it); rotating keys only re-keys.
    fn cuts_off(&self) -> bool {
        matches!(
            self.response,
            Response::Isolate | Response::Block | Response::Reimage
        )
    }

    /// The response to a false alarm reaches the accused node `n`: cut off, and back after
    /// `reimage_time` when the response reimages.
    fn accuse(&self, l: &mut SecurityLayer, k: usize, n: NodeId, now: SimTime, acts: &mut Actions) {
        let name = l.defenses[k].spec.name.clone();
        acts.push(Action::SetAvailable {
            node: n,
            available: false,
        });
        l.incident(now, IncidentKind::Isolation, Some(n), &name);
        if self.response == Response::Reimage {
            acts.timer(
                now.saturating_add(self.reimage_time),
                Timer::Defense(k, DefenseTimer::Restore(n)).token(),
            );
        }
    }

    /// The response to attack `i`. Isolating or reimaging ends it and cuts its nodes off
    /// (reimaged ones come back after `reimage_time`); blocking drops its traffic at the IDS's
    /// nodes ([`SecurityLayer::block`]); rotating keys replaces the keys and credentials it
    /// captured ([`SecurityLayer::rotate_keys`]), the nodes that held them and their peers
    /// paying a new key agreement.
    fn respond(&self, l: &mut SecurityLayer, k: usize, i: usize, now: SimTime, acts: &mut Actions) {
        if l.attacks[i].stopped.is_some() {
            return;
        }
        let name = l.defenses[k].spec.name.clone();
        match self.response {
            Response::None => {}
            Response::Block => {
                let at = l.defenses[k].spec.targets.clone();
                l.block(i, &at, now, acts);
            }
            Response::RotateKeys => {
                for n in l.rotate_keys(i, now, acts) {
                    self.rekey_cost(l, n, acts);
                }
            }
            Response::Isolate | Response::Reimage => {
                let held = l.end(i, now, acts);
                for &n in &held {
                    acts.push(Action::SetAvailable {
                        node: n,
                        available: false,
                    });
                    l.incident(now, IncidentKind::Isolation, Some(n), &name);
                }
                if self.response == Response::Reimage {
                    for &n in &held {
                        acts.timer(
                            now.saturating_add(self.reimage_time),
                            Timer::Defense(k, DefenseTimer::Restore(n)).token(),
                        );
                    }
                }
                l.release_all(i);
            }
        }
    }

    /// Node `n`'s keys are replaced: it and the peer of its first link run a new key agreement
    /// — the handshake mutual authentication configures there, or else `rekey_cycles` of CPU
    /// at each end (crypto energy = cycles × energy per cycle).
    fn rekey_cost(&self, l: &SecurityLayer, n: NodeId, acts: &mut Actions) {
        if l.protection.handshake[n.index()].is_some() {
            super::mutual_authentication::handshake(l, n, acts);
            return;
        }
        let peer = l.net.first_link(n).map(|(_, p)| p);
        for e in std::iter::once(n).chain(peer) {
            let (_, j_per_cycle) = l.net.cpu(e);
            acts.push(Action::Charge {
                node: e,
                component: Component::Crypto,
                energy: Joules(self.rekey_cycles * j_per_cycle),
            });
        }
    }
}

impl DefenseModel for Model {
    fn start(&mut self, _l: &mut SecurityLayer, k: usize, acts: &mut Actions) {
        if self.window > SimTime::ZERO {
            acts.timer(
                self.window,
                Timer::Defense(k, DefenseTimer::IdsWindow).token(),
            );
        }
    }

    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        k: usize,
        t: DefenseTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        match t {
            DefenseTimer::IdsWindow => self.window(l, k, now, acts),
            DefenseTimer::Response { attack } if (attack as usize) < l.attacks.len() => {
                self.respond(l, k, attack as usize, now, acts);
            }
            DefenseTimer::Accused(n) => self.accuse(l, k, n, now, acts),
            DefenseTimer::Restore(n) => {
                acts.push(Action::SetAvailable {
                    node: n,
                    available: true,
                });
                let name = l.defenses[k].spec.name.clone();
                l.incident(now, IncidentKind::Recovery, Some(n), &name);
            }
            _ => {}
        }
    }
}
