//! `ransomware`: SI propagation over the targeted hosts, all in contact: each infected host infects
//! each susceptible (unpatched) one at rate β, so I(t) = N / (1 + (N/I₀ − 1)·e^(−βNt)) over the N
//! unpatched; an infected host is encrypted, and unavailable, after a delay. Segmentation confines
//! contacts to a group; an IDS isolates what it detects.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::Ransomware,
    name: "ransomware",
    layer: Layers::CLOUD,
    stride: "Denial of service, Tampering",
    attack_id: "Enterprise T1486 Data Encrypted for Impact",
    precondition: Precondition::Network,
    grants: Privilege::Admin,
    requires: Privilege::User,
    targets: Targets::Nodes,
    makes: None,
    moves: "compromised_nodes_max, infected_hosts, lost_unavailable, monitoring_hours_lost",
    about: "SI propagation over the targeted hosts, all in contact: each infected host infects each susceptible (unpatched) one at rate β, so I(t) = N / (1 + (N/I₀ − 1)·e^(−βNt)) over the N unpatched; an infected host is encrypted, and unavailable, after a delay. Segmentation confines contacts to a group; an IDS isolates what it detects.",
    params: &[
        param(
            "infection_rate",
            Unit::PerSecond,
            1e-4,
            "0.0001/s",
            "β: infections per second per infected–susceptible pair",
            U,
        ),
        param(
            "unpatched_fraction",
            Unit::Probability,
            0.34,
            "0.34",
            "share of hosts that can be infected",
            "§D: WannaCry 2017, 81 of 236 NHS trusts affected (34 %), NAO report",
        ),
        param(
            "initial_infected",
            Unit::Count,
            1.0,
            "1",
            "hosts infected at the start (with `after:`, the foothold instead)",
            U,
        ),
        param(
            "encrypt_delay",
            Unit::Seconds,
            600.0,
            "10min",
            "time from infection to encryption (the host becomes unavailable)",
            U,
        ),
        RETRY_AFTER,
    ],
};

/// An SI epidemic over the targeted hosts ([`crate::epidemic`]).
#[derive(Debug)]
pub(crate) struct Model {
    /// Infection rate β per infected–susceptible pair, per second.
    infection_rate: f64,
    /// Share of hosts that can be infected.
    unpatched_fraction: f64,
    /// Hosts infected when the window opens (without `after:`).
    initial_infected: usize,
    /// Time from infection to encryption.
    encrypt_delay: SimTime,
    /// The epidemic, from the window's opening.
    epidemic: Option<Epidemic>,
}

impl Model {
    pub(crate) fn new(p: &ParamReader<'_>) -> Self {
        Model {
            infection_rate: p.num("infection_rate"),
            unpatched_fraction: p.num("unpatched_fraction"),
            initial_infected: p.num("initial_infected") as usize,
            encrypt_delay: p.time("encrypt_delay"),
            epidemic: None,
        }
    }

    /// Host `node` is infected: compromised, encrypted after the delay, and the next infection
    /// is drawn at the new rate.
    fn infect(&mut self, l: &mut SecurityLayer, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        let Some(e) = self.epidemic.as_mut() else {
            return;
        };
        let Some(h) = e.hosts.iter().position(|&n| n == node) else {
            return;
        };
        if !e.infect(h) {
            return;
        }
        l.m.infected_max = l.m.infected_max.max(u64::from(e.ever_infected));
        l.compromise(i, node, now, acts);
        acts.timer(
            now.saturating_add(self.encrypt_delay),
            Timer::own(i, Own::Encrypt(node)).token(),
        );
        self.schedule_infection(l, i, now, acts);
    }

    fn schedule_infection(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let Some(e) = self.epidemic.as_ref() else {
            return;
        };
        let (rate, generation) = (e.rate(self.infection_rate), e.generation);
        if let Some(gap) = l.attacks[i].gap(rate) {
            acts.timer(
                now.saturating_add(gap),
                Timer::own(i, Own::Infection { generation }).token(),
            );
        }
    }
}

/// Its timers.
#[derive(Clone, Copy, Debug)]
enum Own {
    /// The next infection of the epidemic.
    Infection {
        /// The epidemic's generation when it was drawn (a later change of rates voids it).
        generation: u32,
    },
    /// An infected host is encrypted.
    Encrypt(NodeId),
}

impl OwnTimer for Own {
    fn pack(self) -> ModelTimer {
        match self {
            Own::Infection { generation } => ModelTimer {
                what: 0,
                payload: generation,
            },
            Own::Encrypt(n) => ModelTimer {
                what: 1,
                payload: n.0,
            },
        }
    }
    fn unpack(t: ModelTimer) -> Option<Self> {
        match t.what {
            0 => Some(Own::Infection {
                generation: t.payload,
            }),
            1 => Some(Own::Encrypt(NodeId(t.payload))),
            _ => None,
        }
    }
}

impl AttackModel for Model {
    /// The hosts are drawn patched or not, then the first `initial_infected` targets are
    /// infected, or, chained, every host the attack it follows holds.
    fn open(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        let hosts = l.attacks[i].spec.targets.clone();
        let segments = hosts
            .iter()
            .map(|h| l.protection.segment[h.index()])
            .collect();
        let epidemic = Epidemic::new(
            hosts,
            segments,
            self.unpatched_fraction,
            &mut l.attacks[i].rng,
        );
        self.epidemic = Some(epidemic);
        let first: Vec<NodeId> = match l.attacks[i].spec.after {
            None => {
                let targets = &l.attacks[i].spec.targets;
                targets.iter().take(self.initial_infected).copied().collect()
            }
            Some(after) if l.privileged(i) => l.attacks[after].held.clone(),
            Some(_) => Vec::new(),
        };
        for n in first {
            self.infect(l, i, n, now, acts);
        }
    }

    fn take_foothold(
        &mut self,
        l: &mut SecurityLayer,
        i: usize,
        node: NodeId,
        now: SimTime,
        acts: &mut Actions,
    ) {
        if l.attacks[i].started {
            self.infect(l, i, node, now, acts);
        }
    }

    fn on_timer(
        &mut self,
        l: &mut SecurityLayer,
        i: usize,
        t: ModelTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
        match Own::unpack(t) {
            Some(Own::Infection { generation }) => {
                let live = l.attacks[i].live(now);
                let Some(e) = self.epidemic.as_ref() else {
                    return;
                };
                if e.generation != generation || !live {
                    return;
                }
                if let Some(h) = e.pick(&mut l.attacks[i].rng) {
                    let node = e.hosts[h];
                    self.infect(l, i, node, now, acts);
                }
            }
            Some(Own::Encrypt(n)) => {
                let infected = self.epidemic.as_ref().is_some_and(|e| {
                    e.hosts
                        .iter()
                        .position(|&h| h == n)
                        .is_some_and(|h| e.state[h] == Host::Infected)
                });
                if infected {
                    acts.push(Action::SetAvailable {
                        node: n,
                        available: false,
                    });
                    let name = l.attacks[i].spec.name.clone();
                    l.incident(now, IncidentKind::Outage, Some(n), &name);
                }
            }
            None => {}
        }
    }

    /// Infected hosts stop spreading; the response acts on them too.
    fn stop(&mut self, _now: SimTime, held: &mut Vec<NodeId>) {
        if let Some(e) = self.epidemic.as_mut() {
            for h in 0..e.hosts.len() {
                if e.state[h] == Host::Infected {
                    e.remove(h);
                    if !held.contains(&e.hosts[h]) {
                        held.push(e.hosts[h]);
                    }
                }
            }
        }
    }

    /// Before the window's opening event has run at its start instant (the time grid samples
    /// first), the I₀ hosts it opens with already count: the series starts at I₀ at t = 0.
    fn infected_hosts(&self, a: &AttackState, now: SimTime) -> u32 {
        match &self.epidemic {
            Some(e) => e.ever_infected,
            None if a.spec.after.is_none() && a.spec.window.start <= now => {
                self.initial_infected.min(a.spec.targets.len()) as u32
            }
            None => 0,
        }
    }
}
