//! The security layer: a scenario's attacks and defenses, plugged into the engine as its hooks.
//!
//! # Pipeline of one replication
//!
//! 1. [`SecuritySpec::instantiate`] resolves every defense per link and node
//!    ([`Protection`]), draws nothing, and seeds each attack's and each defense's own stream
//!    (`attack:NAME`, `defense:NAME`), so that turning a defense on or off leaves the sensor
//!    traffic and the attacks' draws where they were (common random numbers).
//! 2. [`Hooks::start`] schedules each attack's window (activation and end), the IDS windows,
//!    key rotations, cover traffic, and charges the mutual-authentication handshakes.
//! 3. Per transmission ([`Hooks::on_transmit`]): the hop's protection is priced, then each
//!    active attack that strikes this link or this relay draws and acts (capture, record, jam,
//!    alter, drop), asking [`crate::rules`] whether the protection present stops it.
//! 4. Per delivery ([`Hooks::on_deliver`]): the receiver checks what it can (end-to-end tag,
//!    freshness), then counts what the attacks achieved (tampered records accepted, unsafe
//!    commands executed).
//! 5. Timers drive the processes that are not per packet: arrivals of forged packets, floods
//!    and login attempts (Poisson), key extraction, the epidemic, exfiltration, IDS windows.
//!
//! Every compromise is a foothold: the attacks whose `after` names the compromising attack act
//! from it (chaining), and a defense's response (isolate, block, rotate keys, reimage) ends it.

use crate::catalogue::{AttackKind, DefenseKind};
use crate::network::Network;
use crate::protection::Protection;
use crate::ransomware::{Epidemic, Host};
use crate::rules::{DefenseSet, RuleMasks};
use crate::spec::{AttackSpec, DefenseSpec};
use rand::Rng;
use rand_distr::{Binomial, Distribution, Exp};
use sim_core::rng::Stream;
use sim_core::{
    Action, Actions, AttackSummary, Bytes, Component, Fate, Hooks, Incident, IncidentKind, Joules,
    Layer, LinkId, Model, NodeId, Origin, Packet, PacketKind, RouteWeight, Scalar, SimTime,
    SourceId, TrafficClass, Transmission, Verdict,
};
use std::collections::HashMap;

/// Cost of one exposed healthcare record, USD: IBM/Ponemon 2018 via hipaaguide.net
/// (parameters.md §F).
pub const COST_PER_RECORD_USD: f64 = 408.0;

/// Most incidents kept per run (false alarms of a large deployment would otherwise grow the
/// timeline without bound); counters keep counting past it.
pub const MAX_INCIDENTS: usize = 10_000;

/// Packets a replay attacker holds awaiting replay (its recorder's memory): beyond that it
/// records nothing until a replay frees a slot. Reserved up front, so recording never
/// allocates during a run.
pub const REPLAY_SLOTS: usize = 4096;

/// Granularity of the continuous processes (exfiltration, denial of sleep): one step per
/// simulated second.
const TICK: SimTime = SimTime::from_secs(1);

/// The attacks and defenses of a scenario, independent of any replication.
#[derive(Clone, Debug)]
pub struct SecuritySpec {
    /// The attacks, in scenario order (an attack's `after` points earlier in this list).
    pub attacks: Vec<AttackSpec>,
    /// The defenses, in scenario order.
    pub defenses: Vec<DefenseSpec>,
    /// Cost of one exposed record, USD, for `breach_cost_usd`.
    pub cost_per_record: f64,
}

impl Default for SecuritySpec {
    fn default() -> Self {
        SecuritySpec {
            attacks: Vec::new(),
            defenses: Vec::new(),
            cost_per_record: COST_PER_RECORD_USD,
        }
    }
}

impl SecuritySpec {
    /// The hooks for one replication of `model` under master seed `seed`.
    pub fn instantiate(&self, model: &Model, seed: u64) -> SecurityLayer {
        let net = Network::of(model);
        let nodes = net.layer.len();
        let links = net.link_ends.len();
        let cloud: Vec<bool> = net.layer.iter().map(|&l| l == Layer::Cloud).collect();
        let protection = Protection::new(&self.defenses, nodes, links, &net.group, &cloud);
        let attacks = self
            .attacks
            .iter()
            .map(|spec| {
                let mut a = AttackRun::new(spec.clone(), nodes, links, seed);
                a.strikes = strike_layers(spec, &net);
                a
            })
            .collect();
        let defenses = self
            .defenses
            .iter()
            .map(|spec| DefenseRun {
                rng: sim_core::rng::stream(seed, &format!("defense:{}", spec.name)),
                spec: spec.clone(),
                ledger_free: SimTime::ZERO,
            })
            .collect();
        SecurityLayer {
            net,
            protection,
            masks: RuleMasks::default(),
            attacks,
            defenses,
            warmup: model.config.warmup,
            cost_per_record: self.cost_per_record,
            held_by: vec![0; nodes],
            held_now: 0,
            buckets: HashMap::new(),
            incidents: Vec::new(),
            m: Breach::default(),
        }
    }
}

/// What the attacks achieved in one replication (measured window).
#[derive(Clone, Debug, Default)]
struct Breach {
    records_exposed: f64,
    packets_intercepted: u64,
    records_tampered_accepted: u64,
    unsafe_commands_executed: u64,
    forged_rejected: u64,
    rate_limited: u64,
    events_inferred: u64,
    compromised_max: u64,
    infected_max: u64,
    first_compromise: Option<SimTime>,
    detections: u64,
    detect_delay_sum: f64,
    false_alarms: u64,
    audit_latency_sum: f64,
    audit_writes: u64,
}

/// An attack during a run.
#[derive(Debug)]
struct AttackRun {
    spec: AttackSpec,
    rng: Stream,
    /// Whether its window has opened.
    started: bool,
    /// When a defense's response ended it.
    stopped: Option<SimTime>,
    /// When it first did something an IDS could see.
    first_act: Option<SimTime>,
    /// When it was detected.
    detected: Option<SimTime>,
    /// Nodes it compromised, and packets it injected (for `attacks.csv`).
    compromises: u64,
    injected: u64,
    /// Per link: targeted. Per node: targeted, held (a foothold or a compromise).
    link_targeted: Vec<bool>,
    node_targeted: Vec<bool>,
    holds: Vec<bool>,
    held: Vec<NodeId>,
    /// Round-robin counter over targets and entry points.
    turn: usize,
    /// Recorded packets for replay, and where each was received.
    /// Slots are reused once replayed (`free`), so memory follows the packets recorded
    /// within one replay delay, not the whole run.
    recorded: Vec<Option<(Packet, NodeId)>>,
    free: Vec<u32>,
    /// Per link: until when a captured key reads it.
    stolen_until: Vec<SimTime>,
    /// Per link: associated with the rogue access point.
    associated: Vec<bool>,
    /// Footholds records are leaving from.
    exfiltrating: Vec<NodeId>,
    epidemic: Option<Epidemic>,
    /// Whether its tampering process (intrusion) or audit detection is under way.
    tampering: bool,
    audit_pending: bool,
    /// The layers it strikes (sensing, network, cloud, cross-layer), for IDS coverage.
    strikes: [bool; 4],
    /// Traffic analysis: per source, the creation time of the newest packet counted, so a
    /// packet seen on several targeted hops is one event.
    counted: HashMap<SourceId, SimTime>,
}

impl AttackRun {
    fn new(spec: AttackSpec, nodes: usize, links: usize, seed: u64) -> Self {
        let mut link_targeted = vec![false; links];
        for l in &spec.links {
            if let Some(x) = link_targeted.get_mut(l.index()) {
                *x = true;
            }
        }
        let mut node_targeted = vec![false; nodes];
        for n in &spec.targets {
            if let Some(x) = node_targeted.get_mut(n.index()) {
                *x = true;
            }
        }
        let replays = spec.kind == AttackKind::Replay;
        AttackRun {
            rng: sim_core::rng::stream(seed, &format!("attack:{}", spec.name)),
            spec,
            started: false,
            stopped: None,
            first_act: None,
            detected: None,
            compromises: 0,
            injected: 0,
            link_targeted,
            node_targeted,
            holds: vec![false; nodes],
            held: Vec::new(),
            turn: 0,
            recorded: Vec::with_capacity(if replays { REPLAY_SLOTS } else { 0 }),
            free: Vec::with_capacity(if replays { REPLAY_SLOTS } else { 0 }),
            stolen_until: vec![SimTime::ZERO; links],
            associated: vec![false; links],
            exfiltrating: Vec::new(),
            epidemic: None,
            tampering: false,
            audit_pending: false,
            strikes: [false; 4],
            counted: HashMap::new(),
        }
    }

    #[inline]
    fn live(&self, now: SimTime) -> bool {
        self.started && self.stopped.is_none() && self.spec.window.contains(now)
    }

    #[inline]
    fn act(&mut self, now: SimTime) {
        self.first_act.get_or_insert(now);
    }

    fn p(&self, name: &str) -> f64 {
        self.spec.params.get(name)
    }

    /// An exponential delay of mean `1 / rate` from the attack's stream (`None` for a rate
    /// that is not positive).
    fn gap(&mut self, rate: f64) -> Option<SimTime> {
        let exp = Exp::new(rate).ok().filter(|_| rate > 0.0)?;
        Some(SimTime::from_secs_f64(exp.sample(&mut self.rng)))
    }

    fn next_turn(&mut self, len: usize) -> Option<usize> {
        self.next_pair(len, 1).map(|(k, _)| k)
    }

    /// The next pair of round-robin indices over two lists (entry points and targets): both
    /// advance together, so every entry point takes its turn whatever the other list's length.
    fn next_pair(&mut self, a: usize, b: usize) -> Option<(usize, usize)> {
        if a == 0 || b == 0 {
            return None;
        }
        let k = self.turn;
        self.turn = self.turn.wrapping_add(1);
        Some((k % a, k % b))
    }
}

/// A defense's run-time state (the per-place settings are in [`Protection`]).
#[derive(Debug)]
struct DefenseRun {
    spec: DefenseSpec,
    rng: Stream,
    /// Audit ledger: when it can take the next write.
    ledger_free: SimTime,
}

/// Timer tokens: bit 63 tells a defense's from an attack's; bits 40–62 the index; bits
/// 32–39 what the timer is for; bits 0–31 a payload (a node, a slot, a generation).
fn token(defense: bool, index: usize, tag: Tag, payload: u32) -> u64 {
    (u64::from(defense) << 63) | ((index as u64) << 40) | ((tag as u64) << 32) | u64::from(payload)
}

fn untoken(t: u64) -> (bool, usize, u8, u32) {
    (
        t >> 63 == 1,
        ((t >> 40) & ((1 << 23) - 1)) as usize,
        ((t >> 32) & 0xff) as u8,
        t as u32,
    )
}

#[derive(Clone, Copy, Debug)]
#[repr(u8)]
enum Tag {
    Open = 0,
    Close,
    Arrival,
    Tick,
    Replay,
    Extracted,
    Tamper,
    Infection,
    Encrypt,
    Move,
    IdsWindow,
    Response,
    Restore,
    AuditFound,
    Rotation,
    Cover,
}

impl Tag {
    fn from(x: u8) -> Option<Tag> {
        use Tag::*;
        [
            Open, Close, Arrival, Tick, Replay, Extracted, Tamper, Infection, Encrypt, Move,
            IdsWindow, Response, Restore, AuditFound, Rotation, Cover,
        ]
        .get(x as usize)
        .copied()
    }
}

/// A replication's security state; implements [`Hooks`].
#[derive(Debug)]
pub struct SecurityLayer {
    net: Network,
    protection: Protection,
    masks: RuleMasks,
    attacks: Vec<AttackRun>,
    defenses: Vec<DefenseRun>,
    warmup: SimTime,
    cost_per_record: f64,
    /// Per node, how many attacks hold it; and how many nodes are held.
    held_by: Vec<u16>,
    held_now: u64,
    /// Rate-limit token buckets: (protected node, sender) → (tokens, last refill).
    buckets: HashMap<(u32, u32), (f64, SimTime)>,
    incidents: Vec<Incident>,
    m: Breach,
}

impl SecurityLayer {
    /// Records exposed so far (measured window).
    pub fn records_exposed(&self) -> f64 {
        self.m.records_exposed
    }

    fn incident(&mut self, at: SimTime, kind: IncidentKind, node: Option<NodeId>, by: &str) {
        if self.incidents.len() < MAX_INCIDENTS {
            self.incidents.push(Incident {
                at,
                kind,
                node,
                by: by.to_string(),
            });
        }
    }

    fn expose(&mut self, now: SimTime, records: f64) {
        if now >= self.warmup {
            self.m.records_exposed += records;
        }
    }

    /// The node a packet was first sent from: its source's node for the deployment's own and
    /// forged or replayed packets, the entry node for flood and cover traffic.
    #[inline]
    fn sender_of(&self, p: &Packet) -> Option<NodeId> {
        match p.origin {
            Origin::Flood | Origin::Cover => Some(NodeId(p.source.0)),
            _ => self.net.sources.get(p.source.index()).map(|s| s.node),
        }
    }

    // ---- compromises and footholds -------------------------------------------------------

    /// Attack `i` takes `node`: a compromise (counted, on the timeline) and a foothold for
    /// the attacks chained after it.
    fn compromise(&mut self, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        if node.index() >= self.held_by.len() || self.attacks[i].holds[node.index()] {
            return;
        }
        let a = &mut self.attacks[i];
        a.holds[node.index()] = true;
        a.held.push(node);
        a.compromises += 1;
        a.act(now);
        let start = a.spec.window.start;
        let name = a.spec.name.clone();
        if self.held_by[node.index()] == 0 {
            self.held_now += 1;
            self.m.compromised_max = self.m.compromised_max.max(self.held_now);
        }
        self.held_by[node.index()] += 1;
        if self.m.first_compromise.is_none() {
            self.m.first_compromise = Some(now.saturating_sub(start));
        }
        self.incident(now, IncidentKind::Compromise, Some(node), &name);
        for j in 0..self.attacks.len() {
            if self.attacks[j].spec.after == Some(i) {
                self.foothold(j, node, now, acts);
            }
        }
    }

    /// Attack `i` loses its hold on every node (isolated, reimaged, credentials revoked), and
    /// so do the attacks chained after it, which acted from those footholds.
    fn release_all(&mut self, i: usize) {
        self.release(i);
        for j in 0..self.attacks.len() {
            if self.attacks[j].spec.after == Some(i) && j != i {
                self.release_all(j);
            }
        }
    }

    fn release(&mut self, i: usize) {
        let held = std::mem::take(&mut self.attacks[i].held);
        for n in held {
            self.attacks[i].holds[n.index()] = false;
            let c = &mut self.held_by[n.index()];
            *c = c.saturating_sub(1);
            if *c == 0 {
                self.held_now = self.held_now.saturating_sub(1);
            }
        }
        self.attacks[i].exfiltrating.clear();
    }

    /// Whether attack `i` can act from the footholds of the attack it is chained after: that
    /// attack must grant at least the privilege `i` requires (phishing's user account does not
    /// let a sinkhole rewrite a gateway's routing).
    fn privileged(&self, i: usize) -> bool {
        let needs = crate::catalogue::attack(self.attacks[i].spec.kind).requires;
        self.attacks[i]
            .spec
            .after
            .is_none_or(|j| crate::catalogue::attack(self.attacks[j].spec.kind).grants >= needs)
    }

    /// Attack `i` gains `node` as a foothold from the attack it is chained after.
    fn foothold(&mut self, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        if !self.privileged(i) {
            return;
        }
        let a = &self.attacks[i];
        // A foothold outside the targeted groups does not serve (when groups are given).
        if !a.spec.targets.is_empty()
            && !a.node_targeted[node.index()]
            && a.spec.kind != AttackKind::LateralMovement
            && a.spec.kind != AttackKind::Sybil
        {
            return;
        }
        if a.spec.kind == AttackKind::Ransomware {
            if a.started {
                self.infect_host(i, node, now, acts);
            }
            return;
        }
        self.compromise(i, node, now, acts);
        if self.attacks[i].started && self.attacks[i].live(now) {
            self.engage(i, node, now, acts);
        }
    }

    /// Starts what attack `i` does from a held node.
    fn engage(&mut self, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        let kind = self.attacks[i].spec.kind;
        match kind {
            AttackKind::Exfiltration => {
                self.attacks[i].exfiltrating.push(node);
            }
            AttackKind::LateralMovement => {
                let rate = 1.0 / self.attacks[i].p("hop_time");
                if let Some(gap) = self.attacks[i].gap(rate) {
                    acts.timer(now.saturating_add(gap), token(false, i, Tag::Move, node.0));
                }
            }
            AttackKind::Sinkhole => self.attract(i, node, acts),
            _ => {}
        }
    }

    /// A sinkhole at `node` advertises a false low cost on its links; a link whose other end
    /// authenticates routing refuses it.
    fn attract(&mut self, i: usize, node: NodeId, acts: &mut Actions) {
        let links = self.net.neighbours[node.index()].clone();
        for (l, other) in links {
            let mut present = self.protection.node_set[other.index()];
            if !self.protection.authenticated(other, SimTime::ZERO) {
                present = DefenseSet::EMPTY;
            }
            if !self.masks.prevents(AttackKind::Sinkhole, present) {
                acts.push(Action::Route {
                    link: l,
                    weight: RouteWeight::Attract,
                });
            }
        }
        let _ = i;
    }

    // ---- activation ----------------------------------------------------------------------

    fn open(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        self.attacks[i].started = true;
        let kind = self.attacks[i].spec.kind;
        let chained = self.attacks[i].spec.after.is_some();
        match kind {
            AttackKind::NodeCapture => {
                let devices = self.attacks[i].p("devices") as usize;
                let mean = self.attacks[i].p("time_to_extract");
                let targets = self.attacks[i].spec.targets.clone();
                for (k, n) in targets.iter().take(devices).enumerate() {
                    let t = if mean > 0.0 {
                        self.attacks[i].gap(1.0 / mean).unwrap_or(SimTime::ZERO)
                    } else {
                        SimTime::ZERO
                    };
                    let _ = n;
                    acts.timer(
                        now.saturating_add(t),
                        token(false, i, Tag::Extracted, k as u32),
                    );
                }
            }
            AttackKind::Spoofing
            | AttackKind::TherapyManipulation
            | AttackKind::Flood
            | AttackKind::DdosIngestion
            | AttackKind::Sybil
            | AttackKind::CredentialTheft
            | AttackKind::Phishing
            | AttackKind::Intrusion
            | AttackKind::Insider => self.schedule_arrival(i, now, acts),
            AttackKind::DenialOfSleep | AttackKind::Exfiltration => {
                acts.timer(now, token(false, i, Tag::Tick, 0));
            }
            AttackKind::Wormhole => {
                if let Some(l) = self.attacks[i].spec.tunnel {
                    self.attacks[i].act(now);
                    acts.push(Action::Route {
                        link: l,
                        weight: RouteWeight::Normal,
                    });
                }
            }
            AttackKind::RoutingManipulation => {
                let links = self.attacks[i].spec.links.clone();
                for l in links {
                    let (a, b) = self.net.link_ends[l.index()];
                    let authenticated = [a, b].iter().any(|&n| {
                        self.protection.authenticated(n, now)
                            && self
                                .masks
                                .prevents(kind, self.protection.node_set[n.index()])
                    });
                    if !authenticated {
                        self.attacks[i].act(now);
                        acts.push(Action::Route {
                            link: l,
                            weight: RouteWeight::Disabled,
                        });
                    }
                }
            }
            AttackKind::RogueAccessPoint => {
                let p = self.attacks[i].p("association_probability");
                let links = self.attacks[i].spec.links.clone();
                for l in links {
                    let u: f64 = self.attacks[i].rng.random();
                    let (a, b) = self.net.link_ends[l.index()];
                    // The device is the lower-layer end; with mutual authentication it checks
                    // the network before associating.
                    let device = if self.net.layer[a.index()] <= self.net.layer[b.index()] {
                        a
                    } else {
                        b
                    };
                    let refuses = self.protection.authenticated(device, now)
                        && self
                            .masks
                            .prevents(kind, self.protection.node_set[device.index()]);
                    if u < p && !refuses {
                        self.attacks[i].associated[l.index()] = true;
                        self.attacks[i].act(now);
                    }
                }
            }
            AttackKind::Ransomware => {
                let hosts = self.attacks[i].spec.targets.clone();
                let segments = hosts
                    .iter()
                    .map(|h| self.protection.segment[h.index()])
                    .collect();
                let unpatched = self.attacks[i].p("unpatched_fraction");
                let epidemic = Epidemic::new(hosts, segments, unpatched, &mut self.attacks[i].rng);
                self.attacks[i].epidemic = Some(epidemic);
                if !chained {
                    let initial = self.attacks[i].p("initial_infected") as usize;
                    let first: Vec<NodeId> = self.attacks[i]
                        .spec
                        .targets
                        .iter()
                        .take(initial)
                        .copied()
                        .collect();
                    for n in first {
                        self.infect_host(i, n, now, acts);
                    }
                } else if self.privileged(i) {
                    let after = self.attacks[i].spec.after.unwrap_or(i);
                    let held = self.attacks[after].held.clone();
                    for n in held {
                        self.infect_host(i, n, now, acts);
                    }
                }
            }
            _ => {}
        }
        // Foothold attacks: from what the attack they follow holds, or from their targets.
        let foothold_kinds = matches!(
            kind,
            AttackKind::Sinkhole
                | AttackKind::SelectiveForwarding
                | AttackKind::Exfiltration
                | AttackKind::LateralMovement
                | AttackKind::Sybil
                | AttackKind::Mitm
        );
        if foothold_kinds && kind != AttackKind::Ransomware {
            let nodes: Vec<NodeId> = match self.attacks[i].spec.after {
                Some(j) => self.attacks[j].held.clone(),
                None if kind == AttackKind::Mitm || kind == AttackKind::Sybil => Vec::new(),
                None => self.attacks[i].spec.targets.clone(),
            };
            for n in nodes {
                if self.attacks[i].spec.after.is_some() {
                    self.foothold(i, n, now, acts);
                } else {
                    self.compromise(i, n, now, acts);
                    self.engage(i, n, now, acts);
                }
            }
        }
    }

    fn close(&mut self, i: usize, acts: &mut Actions) {
        let kind = self.attacks[i].spec.kind;
        match kind {
            AttackKind::Wormhole => {
                if let Some(l) = self.attacks[i].spec.tunnel {
                    acts.push(Action::Route {
                        link: l,
                        weight: RouteWeight::Disabled,
                    });
                }
            }
            AttackKind::RoutingManipulation => {
                for &l in &self.attacks[i].spec.links {
                    acts.push(Action::Route {
                        link: l,
                        weight: RouteWeight::Normal,
                    });
                }
            }
            AttackKind::Sinkhole => {
                for &n in &self.attacks[i].held {
                    for &(l, _) in &self.net.neighbours[n.index()] {
                        acts.push(Action::Route {
                            link: l,
                            weight: RouteWeight::Normal,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    fn schedule_arrival(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        let a = &self.attacks[i];
        let rate = match a.spec.kind {
            AttackKind::Sybil => a.p("identities") * a.p("rate"),
            AttackKind::CredentialTheft | AttackKind::Intrusion => a.p("attempt_rate"),
            AttackKind::Phishing => a.p("email_rate"),
            AttackKind::Insider => a.p("incident_rate"),
            _ => a.p("rate"),
        };
        if let Some(gap) = self.attacks[i].gap(rate) {
            acts.timer(now.saturating_add(gap), token(false, i, Tag::Arrival, 0));
        }
    }

    // ---- timer-driven processes ----------------------------------------------------------

    fn arrival(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        // The next arrival is drawn first, whatever this one achieves, so the process is the
        // same with and without defenses.
        self.schedule_arrival(i, now, acts);
        let kind = self.attacks[i].spec.kind;
        match kind {
            AttackKind::Spoofing => {
                let len = self.attacks[i].spec.targets.len();
                let Some(k) = self.attacks[i].next_turn(len) else {
                    return;
                };
                let victim = self.attacks[i].spec.targets[k];
                let (Some(src), Some((link, hub))) = (
                    self.net.first_source[victim.index()],
                    self.net.first_link(victim),
                ) else {
                    return;
                };
                self.attacks[i].act(now);
                let mut present = self.protection.link_set[link.index()];
                if self.protection.authenticated(victim, now) {
                    present = present.union(self.protection.node_set[victim.index()]);
                }
                if self.forge(kind, src, hub, None, Some(link), present, now, acts) {
                    self.attacks[i].injected += 1;
                }
            }
            AttackKind::Sybil => {
                let a = &mut self.attacks[i];
                let entries = match a.spec.after {
                    Some(_) => a.held.len(),
                    None => a.spec.from.len(),
                };
                let Some((e, c)) = a.next_pair(entries, a.spec.targets.len()) else {
                    return;
                };
                let entry = match a.spec.after {
                    Some(_) => a.held[e],
                    None => a.spec.from[e],
                };
                let identity = a.spec.targets[c];
                let Some(src) = self.net.first_source[identity.index()] else {
                    return;
                };
                self.attacks[i].act(now);
                let present = if self.protection.authenticated(identity, now) {
                    self.protection.node_set[identity.index()]
                } else {
                    DefenseSet::EMPTY
                };
                if self.forge(kind, src, entry, None, None, present, now, acts) {
                    self.attacks[i].injected += 1;
                }
            }
            AttackKind::TherapyManipulation => {
                let len = self.attacks[i].spec.targets.len();
                let Some(k) = self.attacks[i].next_turn(len) else {
                    return;
                };
                let actuator = self.attacks[i].spec.targets[k];
                let src = self.net.inbound_source[actuator.index()]
                    .or(self.net.first_source[actuator.index()])
                    .or((!self.net.sources.is_empty()).then_some(SourceId(0)));
                let Some(src) = src else {
                    return;
                };
                self.attacks[i].act(now);
                let mut present = self
                    .net
                    .first_link(actuator)
                    .map_or(DefenseSet::EMPTY, |(l, _)| {
                        self.protection.link_set[l.index()]
                    });
                if self.protection.authenticated(actuator, now) {
                    present = present.union(self.protection.node_set[actuator.index()]);
                }
                let air = self.net.first_link(actuator).map(|(l, _)| l);
                if self.forge(kind, src, actuator, Some(actuator), air, present, now, acts) {
                    self.attacks[i].injected += 1;
                }
            }
            AttackKind::Flood | AttackKind::DdosIngestion => {
                let a = &mut self.attacks[i];
                let Some((e, t)) = a.next_pair(a.spec.from.len(), a.spec.targets.len()) else {
                    return;
                };
                let (entry, target) = (a.spec.from[e], a.spec.targets[t]);
                a.act(now);
                let size = Bytes(a.p("size") as u32);
                a.injected += 1;
                acts.push(Action::Inject {
                    node: entry,
                    packet: Packet {
                        created: now,
                        source: SourceId(entry.0),
                        dst: target,
                        size,
                        records: 0,
                        class: TrafficClass::Routine,
                        kind: PacketKind::Data,
                        origin: Origin::Flood,
                    },
                });
            }
            AttackKind::CredentialTheft | AttackKind::Phishing | AttackKind::Intrusion => {
                let len = self.attacks[i].spec.targets.len();
                let Some(k) = self.attacks[i].next_turn(len) else {
                    return;
                };
                let node = self.attacks[i].spec.targets[k];
                let u: f64 = self.attacks[i].rng.random();
                self.attacks[i].act(now);
                let p = match kind {
                    AttackKind::CredentialTheft => self.attacks[i].p("success_probability"),
                    AttackKind::Phishing => self.attacks[i].p("click_probability"),
                    _ => self.attacks[i].p("vulnerability_probability"),
                };
                let factor = if self
                    .masks
                    .reduces(kind, self.protection.node_set[node.index()])
                {
                    self.protection.mfa_factor[node.index()]
                } else {
                    1.0
                };
                if u < p * factor {
                    self.compromise(i, node, now, acts);
                    if kind == AttackKind::Intrusion && !self.attacks[i].tampering {
                        self.attacks[i].tampering = true;
                        let rate = self.attacks[i].p("tamper_rate");
                        if let Some(gap) = self.attacks[i].gap(rate) {
                            acts.timer(now.saturating_add(gap), token(false, i, Tag::Tamper, 0));
                        }
                    }
                }
            }
            AttackKind::Insider => {
                let len = self.attacks[i].spec.targets.len();
                let Some(k) = self.attacks[i].next_turn(len) else {
                    return;
                };
                let node = self.attacks[i].spec.targets[k];
                self.attacks[i].act(now);
                let present = self.protection.node_set[node.index()];
                let records = if self.masks.prevents(kind, present) {
                    0.0
                } else {
                    self.attacks[i].p("records_per_incident") * self.protection.scope[node.index()]
                };
                self.expose(now, records);
                self.audit_detects(i, node, now, acts);
            }
            _ => {}
        }
    }

    /// Sends a forged packet under source `src`'s identity, entering at `entry` (to `dst`, or
    /// the source's own destination), unless a defense in `present` rejects it at the ingress.
    /// A frame sent over the air on link `air` costs `entry` its reception either way (a forged
    /// command drains an implant's battery even when refused).
    #[allow(clippy::too_many_arguments)]
    fn forge(
        &mut self,
        kind: AttackKind,
        src: SourceId,
        entry: NodeId,
        dst: Option<NodeId>,
        air: Option<LinkId>,
        present: DefenseSet,
        now: SimTime,
        acts: &mut Actions,
    ) -> bool {
        let s = self.net.sources[src.index()];
        if let Some(l) = air {
            let (_, rx) = self.net.link_energy[l.index()];
            acts.push(Action::Charge {
                node: entry,
                component: Component::RadioRx,
                energy: Joules(s.size as f64 * 8.0 * rx),
            });
        }
        if self.masks.prevents(kind, present) {
            if now >= self.warmup {
                self.m.forged_rejected += 1;
            }
            return false;
        }
        acts.push(Action::Inject {
            node: entry,
            packet: Packet {
                created: now,
                source: src,
                dst: dst.unwrap_or(s.dst),
                size: Bytes(s.size as u32),
                records: s.records,
                class: s.class,
                kind: PacketKind::Data,
                origin: Origin::Forged,
            },
        });
        true
    }

    /// An audit ledger on `node` finds attack `i`'s work once the entry is committed.
    fn audit_detects(&mut self, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        let Some(k) = self.protection.audit[node.index()] else {
            return;
        };
        let a = &mut self.attacks[i];
        if a.audit_pending || a.detected.is_some() {
            return;
        }
        a.audit_pending = true;
        let latency = SimTime::from_secs_f64(self.defenses[k].spec.params.get("write_latency"));
        acts.timer(
            now.saturating_add(latency),
            token(true, k, Tag::AuditFound, i as u32),
        );
    }

    fn tick(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        if !self.attacks[i].live(now) {
            return;
        }
        acts.timer(now.saturating_add(TICK), token(false, i, Tag::Tick, 0));
        let secs = TICK.as_secs_f64();
        match self.attacks[i].spec.kind {
            AttackKind::DenialOfSleep => {
                let a = &self.attacks[i];
                let (forced, power, auth) = (
                    a.p("forced_awake"),
                    a.p("rx_power"),
                    a.p("authenticated_awake"),
                );
                self.attacks[i].act(now);
                for k in 0..self.attacks[i].spec.targets.len() {
                    let n = self.attacks[i].spec.targets[k];
                    let present = if self.protection.authenticated(n, now) {
                        self.protection.node_set[n.index()]
                    } else {
                        DefenseSet::EMPTY
                    };
                    let share = if self.masks.reduces(AttackKind::DenialOfSleep, present) {
                        auth
                    } else {
                        1.0
                    };
                    acts.push(Action::Charge {
                        node: n,
                        component: Component::RadioRx,
                        energy: Joules(forced * share * power * secs),
                    });
                }
            }
            AttackKind::Exfiltration => {
                let rate = self.attacks[i].p("records_rate");
                for k in 0..self.attacks[i].exfiltrating.len() {
                    let n = self.attacks[i].exfiltrating[k];
                    self.attacks[i].act(now);
                    let present = self.protection.node_set[n.index()];
                    if !self.masks.prevents(AttackKind::Exfiltration, present) {
                        self.expose(now, rate * secs);
                    }
                }
            }
            _ => {}
        }
    }

    fn infect_host(&mut self, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        let Some(e) = self.attacks[i].epidemic.as_mut() else {
            return;
        };
        let Some(h) = e.hosts.iter().position(|&n| n == node) else {
            return;
        };
        if !e.infect(h) {
            return;
        }
        let infected = u64::from(e.ever_infected);
        self.m.infected_max = self.m.infected_max.max(infected);
        self.compromise(i, node, now, acts);
        let delay = SimTime::from_secs_f64(self.attacks[i].p("encrypt_delay"));
        acts.timer(
            now.saturating_add(delay),
            token(false, i, Tag::Encrypt, node.0),
        );
        self.schedule_infection(i, now, acts);
    }

    fn schedule_infection(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        let beta = self.attacks[i].p("infection_rate");
        let a = &mut self.attacks[i];
        let Some(e) = a.epidemic.as_ref() else {
            return;
        };
        let (rate, generation) = (e.rate(beta), e.generation);
        if let Some(gap) = a.gap(rate) {
            acts.timer(
                now.saturating_add(gap),
                token(false, i, Tag::Infection, generation),
            );
        }
    }

    // ---- defenses ------------------------------------------------------------------------

    /// An IDS window closes: false alarms, then a detection chance for each attack it watches
    /// that has acted.
    fn ids_window(&mut self, k: usize, now: SimTime, acts: &mut Actions) {
        let d = &mut self.defenses[k];
        let window = SimTime::from_secs_f64(d.spec.params.get("window"));
        if window > SimTime::ZERO {
            acts.timer(
                now.saturating_add(window),
                token(true, k, Tag::IdsWindow, 0),
            );
        }
        let watched = d.spec.targets.len() as u64;
        let fpr = d.spec.params.get("false_positive_rate");
        let alarms =
            Binomial::new(watched, fpr.clamp(0.0, 1.0)).map_or(0, |b| b.sample(&mut d.rng));
        if now >= self.warmup {
            self.m.false_alarms += alarms;
        }
        for a in 0..alarms as usize {
            let d = &self.defenses[k].spec;
            let node = d.targets.get(a % d.targets.len().max(1)).copied();
            if self.incidents.len() < MAX_INCIDENTS {
                self.incidents.push(Incident {
                    at: now,
                    kind: IncidentKind::FalseAlarm,
                    node,
                    by: d.name.clone(),
                });
            }
        }
        let layers = watched_layers(&self.defenses[k].spec.targets, &self.net);
        let p = self.defenses[k].spec.params.get("detection_probability");
        for i in 0..self.attacks.len() {
            let a = &self.attacks[i];
            let covered = self.masks.detects(a.spec.kind, DefenseKind::Ids)
                && layers_cover(layers, a.strikes);
            let acting =
                a.first_act.is_some_and(|t| t < now) && a.live(now) && a.detected.is_none();
            if !(covered && acting) {
                continue;
            }
            let u: f64 = self.defenses[k].rng.random();
            if u < p {
                let name = self.defenses[k].spec.name.clone();
                self.detected(i, now, &name, acts);
                let response = self.defenses[k].spec.params.word("response");
                let delay =
                    SimTime::from_secs_f64(self.defenses[k].spec.params.get("response_delay"));
                if response != "none" && self.attacks[i].spec.kind != AttackKind::Jamming {
                    acts.timer(
                        now.saturating_add(delay),
                        token(true, k, Tag::Response, i as u32),
                    );
                }
            }
        }
    }

    fn detected(&mut self, i: usize, now: SimTime, by: &str, _acts: &mut Actions) {
        let a = &mut self.attacks[i];
        if a.detected.is_some() {
            return;
        }
        a.detected = Some(now);
        let since = a.first_act.unwrap_or(now);
        let node = a.held.first().or(a.spec.targets.first()).copied();
        self.m.detections += 1;
        self.m.detect_delay_sum += now.saturating_sub(since).as_secs_f64();
        self.incident(now, IncidentKind::Detection, node, by);
    }

    /// A defense's response ends attack `i`.
    fn respond(&mut self, k: usize, i: usize, now: SimTime, acts: &mut Actions) {
        if self.attacks[i].stopped.is_some() {
            return;
        }
        let response = self.defenses[k].spec.params.word("response");
        let name = self.defenses[k].spec.name.clone();
        self.attacks[i].stopped = Some(now);
        self.close(i, acts);
        let mut held = self.attacks[i].held.clone();
        if let Some(e) = self.attacks[i].epidemic.as_mut() {
            for h in 0..e.hosts.len() {
                if e.state[h] == Host::Infected {
                    e.remove(h);
                    if !held.contains(&e.hosts[h]) {
                        held.push(e.hosts[h]);
                    }
                }
            }
        }
        if self.attacks[i].spec.kind == AttackKind::NodeCapture {
            for t in &mut self.attacks[i].stolen_until {
                *t = (*t).min(now);
            }
        }
        match response {
            "isolate" | "reimage" => {
                for &n in &held {
                    acts.push(Action::SetAvailable {
                        node: n,
                        available: false,
                    });
                    self.incident(now, IncidentKind::Isolation, Some(n), &name);
                }
                if response == "reimage" {
                    let back =
                        SimTime::from_secs_f64(self.defenses[k].spec.params.get("reimage_time"));
                    for &n in &held {
                        acts.timer(now.saturating_add(back), token(true, k, Tag::Restore, n.0));
                    }
                }
            }
            _ => {}
        }
        self.release_all(i);
    }

    fn rotate(&mut self, k: usize, now: SimTime, acts: &mut Actions) {
        let period = SimTime::from_secs_f64(self.defenses[k].spec.params.get("period"));
        if period > SimTime::ZERO {
            acts.timer(now.saturating_add(period), token(true, k, Tag::Rotation, 0));
        }
        if now == SimTime::ZERO {
            return;
        }
        // A new key agreement where mutual authentication runs.
        let targets = self.defenses[k].spec.targets.clone();
        for n in targets {
            self.handshake(n, acts);
        }
    }

    /// Charges one mutual-authentication handshake at `node` and at the other end of its
    /// first link: the key agreement's cycles (or the ECG encoding time) and the handshake
    /// bytes, half sent and half received by each.
    fn handshake(&mut self, node: NodeId, acts: &mut Actions) {
        let Some(d) = self.defenses.iter().find(|d| {
            d.spec.kind == DefenseKind::MutualAuthentication && d.spec.targets.contains(&node)
        }) else {
            return;
        };
        let ecg = d.spec.params.word("method") == "ecg_ipi";
        let bytes = d.spec.params.get("handshake_bytes");
        let ipi_time = d.spec.params.get("ipi_time");
        let cycles = d.spec.cipher.map_or(0.0, |c| c.cycles(Bytes(0)).0 as f64);
        let peer = self.net.first_link(node);
        let ends = std::iter::once(node).chain(peer.map(|(_, n)| n));
        for (e, n) in ends.enumerate() {
            let (hz, j_per_cycle) = self.net.cpu[n.index()];
            let c = if ecg && e == 0 { ipi_time * hz } else { cycles };
            acts.push(Action::Charge {
                node: n,
                component: Component::Crypto,
                energy: Joules(c * j_per_cycle),
            });
            if let Some((l, _)) = peer {
                let (tx, rx) = self.net.link_energy[l.index()];
                let bits = bytes * 8.0 / 2.0;
                acts.push(Action::Charge {
                    node: n,
                    component: Component::RadioTx,
                    energy: Joules(bits * tx),
                });
                acts.push(Action::Charge {
                    node: n,
                    component: Component::RadioRx,
                    energy: Joules(bits * rx),
                });
            }
        }
    }

    fn cover(&mut self, k: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
        let d = &mut self.defenses[k];
        let rate = d.spec.params.get("cover_rate");
        let size = d.spec.params.get("pad_to") as u32;
        let Ok(exp) = Exp::new(rate) else {
            return;
        };
        if rate <= 0.0 {
            return;
        }
        let gap = SimTime::from_secs_f64(exp.sample(&mut d.rng));
        acts.timer(now.saturating_add(gap), token(true, k, Tag::Cover, node.0));
        if now == SimTime::ZERO {
            return;
        }
        let Some(src) = self.net.first_source[node.index()] else {
            return;
        };
        acts.push(Action::Inject {
            node,
            packet: Packet {
                created: now,
                source: SourceId(node.0),
                dst: self.net.sources[src.index()].dst,
                size: Bytes(size),
                records: 0,
                class: TrafficClass::Routine,
                kind: PacketKind::Data,
                origin: Origin::Cover,
            },
        });
    }

    /// The rate limiter at `to` admits a packet from `sender` at `now`.
    fn admits(&mut self, to: NodeId, sender: NodeId, now: SimTime) -> bool {
        let Some((rate, burst)) = self.protection.rate_limit[to.index()] else {
            return true;
        };
        let bucket = self.buckets.entry((to.0, sender.0)).or_insert((burst, now));
        let dt = now.saturating_sub(bucket.1).as_secs_f64();
        bucket.0 = (bucket.0 + dt * rate).min(burst);
        bucket.1 = now;
        if bucket.0 >= 1.0 {
            bucket.0 -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The layers an IDS on `targets` watches: sensing and network from a sensing- or
/// network-layer place, cloud from a cloud place.
fn watched_layers(targets: &[NodeId], net: &Network) -> [bool; 3] {
    let mut w = [false; 3];
    for n in targets {
        match net.layer[n.index()] {
            Layer::Sensing | Layer::Network => {
                w[0] = true;
                w[1] = true;
            }
            Layer::Cloud => w[2] = true,
        }
    }
    w
}

/// The layers an attack strikes: those of its catalogue entry, and those of the nodes it
/// targets, enters from, and the links it targets (ransomware among bedside hubs strikes the
/// network layer). The fourth flag marks a cross-layer attack, which every IDS watches.
fn strike_layers(spec: &AttackSpec, net: &Network) -> [bool; 4] {
    let l = crate::catalogue::attack(spec.kind).layer;
    let mut w = [
        l.contains("sensing"),
        l.contains("network"),
        l.contains("cloud"),
        l.contains("cross"),
    ];
    let ends = spec
        .links
        .iter()
        .filter_map(|l| net.link_ends.get(l.index()))
        .flat_map(|&(a, b)| [a, b]);
    for n in spec.targets.iter().chain(&spec.from).copied().chain(ends) {
        match net.layer.get(n.index()) {
            Some(Layer::Sensing) => w[0] = true,
            Some(Layer::Network) => w[1] = true,
            Some(Layer::Cloud) => w[2] = true,
            None => {}
        }
    }
    w
}

fn layers_cover(watched: [bool; 3], attack: [bool; 4]) -> bool {
    attack[3] && watched.iter().any(|&w| w) || (0..3).any(|k| attack[k] && watched[k])
}

impl Hooks for SecurityLayer {
    fn destinations(&self, out: &mut Vec<NodeId>) {
        for a in &self.attacks {
            if matches!(a.spec.kind, AttackKind::Flood | AttackKind::DdosIngestion) {
                out.extend(a.spec.targets.iter().copied());
            }
        }
    }

    fn start(&mut self, acts: &mut Actions) {
        for (i, a) in self.attacks.iter().enumerate() {
            acts.timer(a.spec.window.start, token(false, i, Tag::Open, 0));
            if let Some(end) = a.spec.window.end() {
                acts.timer(end, token(false, i, Tag::Close, 0));
            }
            if let Some(l) = a.spec.tunnel {
                acts.push(Action::Route {
                    link: l,
                    weight: RouteWeight::Disabled,
                });
            }
        }
        for k in 0..self.defenses.len() {
            match self.defenses[k].spec.kind {
                DefenseKind::Ids => {
                    let w = SimTime::from_secs_f64(self.defenses[k].spec.params.get("window"));
                    if w > SimTime::ZERO {
                        acts.timer(w, token(true, k, Tag::IdsWindow, 0));
                    }
                }
                DefenseKind::KeyRotation => self.rotate(k, SimTime::ZERO, acts),
                DefenseKind::MutualAuthentication => {
                    for n in self.defenses[k].spec.targets.clone() {
                        self.handshake(n, acts);
                    }
                }
                DefenseKind::Padding => {
                    for n in self.defenses[k].spec.targets.clone() {
                        self.cover(k, n, SimTime::ZERO, acts);
                    }
                }
                _ => {}
            }
        }
    }

    #[inline]
    fn on_transmit(&mut self, tx: &Transmission, acts: &mut Actions) -> Verdict {
        let p = &tx.packet;
        let link = tx.link.index();
        let sender = self.sender_of(p);
        let cost = self
            .protection
            .hop_cost(link, tx.from, tx.to, p.size, sender, p.dst);
        let mut fate = Fate::Forward;
        if self.attacks.is_empty()
            && self.buckets.is_empty()
            && self.protection.rate_limit[tx.to.index()].is_none()
        {
            return Verdict { cost, fate };
        }
        let own = p.origin.is_own_traffic() && p.kind == PacketKind::Data;
        let hop = self.protection.on_hop(link, sender);
        let transit = sender != Some(tx.from);
        let mut exposed = 0u32;
        let mut intercepted = 0u64;
        let mut inferred = 0u64;
        for i in 0..self.attacks.len() {
            let a = &mut self.attacks[i];
            if !a.live(tx.now) {
                continue;
            }
            let on_link = a.link_targeted[link];
            match a.spec.kind {
                AttackKind::Eavesdrop if on_link => {
                    let u: f64 = a.rng.random();
                    if u < a.spec.params.get("capture_probability") {
                        a.act(tx.now);
                        intercepted += 1;
                        if own && !self.masks.prevents(AttackKind::Eavesdrop, hop) {
                            exposed = exposed.max(p.records);
                        }
                    }
                }
                AttackKind::NodeCapture if a.stolen_until[link] > tx.now && own => {
                    intercepted += 1;
                    exposed = exposed.max(p.records);
                }
                AttackKind::TrafficAnalysis if on_link && own => {
                    let clinical = p.class == TrafficClass::Alarm || self.net.is_sensing(p.dst);
                    let newest = a.counted.get(&p.source).copied();
                    let once = newest.is_none_or(|t| p.created > t);
                    if clinical && once {
                        a.counted.insert(p.source, p.created);
                        let u: f64 = a.rng.random();
                        a.act(tx.now);
                        let padded = sender.is_some_and(|s| {
                            self.protection.padding[s.index()].is_some_and(|(_, cover)| cover > 0.0)
                                && self.masks.prevents(
                                    AttackKind::TrafficAnalysis,
                                    self.protection.node_set[s.index()],
                                )
                        });
                        if u < a.spec.params.get("accuracy") && !padded {
                            inferred += 1;
                        }
                    }
                }
                AttackKind::Replay if on_link && own => {
                    let u: f64 = a.rng.random();
                    if u < a.spec.params.get("record_probability") {
                        a.act(tx.now);
                        let delay = SimTime::from_secs_f64(a.spec.params.get("delay"));
                        let slot = match a.free.pop() {
                            Some(k) => {
                                a.recorded[k as usize] = Some((*p, tx.to));
                                Some(k)
                            }
                            None if a.recorded.len() < REPLAY_SLOTS => {
                                a.recorded.push(Some((*p, tx.to)));
                                Some(a.recorded.len() as u32 - 1)
                            }
                            None => None,
                        };
                        if let Some(k) = slot {
                            acts.timer(
                                tx.now.saturating_add(delay),
                                token(false, i, Tag::Replay, k),
                            );
                        }
                    }
                }
                AttackKind::Jamming if on_link => {
                    let u: f64 = a.rng.random();
                    let mut reach =
                        a.spec.params.get("duty_cycle") * a.spec.params.get("success_probability");
                    let reactive = a.spec.params.word("mode") == "reactive";
                    if !reactive && self.masks.reduces(AttackKind::Jamming, hop) {
                        reach /= f64::from(self.protection.channels[link].max(1));
                    }
                    if u < reach {
                        a.act(tx.now);
                        fate = Fate::Jammed;
                    }
                }
                AttackKind::Mitm if (on_link || a.holds[tx.from.index()]) && own => {
                    let (u1, u2): (f64, f64) = (a.rng.random(), a.rng.random());
                    if u1 < a.spec.params.get("interception_probability") {
                        a.act(tx.now);
                        intercepted += 1;
                        // On a compromised node only end-to-end protection counts.
                        let present = if on_link {
                            hop
                        } else {
                            hop.union(DefenseSet::EMPTY)
                                .and_only(DefenseKind::EndToEndEncryption)
                        };
                        if !self.masks.prevents(AttackKind::Mitm, present) {
                            exposed = exposed.max(p.records);
                        }
                        if u2 < a.spec.params.get("modification_probability")
                            && fate == Fate::Forward
                        {
                            let checked = on_link
                                && (self
                                    .masks
                                    .prevents(AttackKind::Mitm, self.protection.link_set[link])
                                    || self
                                        .masks
                                        .reduces(AttackKind::Mitm, self.protection.link_set[link]));
                            fate = if checked {
                                Fate::Rejected
                            } else {
                                Fate::Tamper
                            };
                        }
                    }
                }
                AttackKind::Sinkhole | AttackKind::SelectiveForwarding
                    if a.holds[tx.from.index()] && transit && own =>
                {
                    let u: f64 = a.rng.random();
                    a.act(tx.now);
                    if u < a.spec.params.get("drop_probability") {
                        fate = Fate::Withheld;
                    } else if a.spec.kind == AttackKind::Sinkhole
                        && !self.masks.reduces(AttackKind::Sinkhole, hop)
                    {
                        exposed = exposed.max(p.records);
                    }
                }
                AttackKind::Wormhole if a.spec.tunnel == Some(tx.link) && own => {
                    let u: f64 = a.rng.random();
                    a.act(tx.now);
                    intercepted += 1;
                    if u < a.spec.params.get("drop_probability") {
                        fate = Fate::Jammed;
                    } else if !self.masks.reduces(AttackKind::Wormhole, hop) {
                        exposed = exposed.max(p.records);
                    }
                }
                AttackKind::RogueAccessPoint if a.associated[link] && own => {
                    let u: f64 = a.rng.random();
                    a.act(tx.now);
                    intercepted += 1;
                    let e2e = hop.and_only(DefenseKind::EndToEndEncryption);
                    if !self.masks.prevents(AttackKind::RogueAccessPoint, e2e) {
                        exposed = exposed.max(p.records);
                    }
                    if u < a.spec.params.get("modification_probability") && fate == Fate::Forward {
                        fate = Fate::Tamper;
                    }
                }
                _ => {}
            }
        }
        if tx.measured {
            self.m.packets_intercepted += intercepted;
            self.m.records_exposed += f64::from(exposed);
            self.m.events_inferred += inferred;
        }
        if matches!(fate, Fate::Forward | Fate::Tamper)
            && self.protection.rate_limit[tx.to.index()].is_some()
            && let Some(s) = sender
            && !self.admits(tx.to, s, tx.now)
        {
            if tx.measured {
                self.m.rate_limited += 1;
            }
            fate = Fate::Rejected;
        }
        Verdict { cost, fate }
    }

    #[inline]
    fn on_deliver(&mut self, now: SimTime, node: NodeId, p: &Packet, _acts: &mut Actions) -> bool {
        let measured = p.created >= self.warmup;
        match p.origin {
            Origin::Genuine => {
                if p.records > 0
                    && let Some(k) = self.protection.audit[node.index()]
                {
                    // One ledger write per delivered record batch: a FIFO at the ledger's
                    // throughput, plus the commit latency.
                    let d = &mut self.defenses[k];
                    let service = 1.0 / d.spec.params.get("throughput").max(1e-9);
                    let start = d.ledger_free.max(now);
                    d.ledger_free = start.saturating_add(SimTime::from_secs_f64(service));
                    let latency = d.ledger_free.saturating_sub(now).as_secs_f64()
                        + d.spec.params.get("write_latency");
                    if measured {
                        self.m.audit_latency_sum += latency;
                        self.m.audit_writes += 1;
                    }
                }
                true
            }
            Origin::Tampered | Origin::Forged | Origin::Replayed => {
                let sender = self.sender_of(p);
                let e2e = sender.is_some_and(|s| self.protection.e2e[s.index()].is_some());
                let stale = p.origin == Origin::Replayed
                    && sender
                        .and_then(|s| self.protection.freshness[s.index()])
                        .is_some_and(|f| f.rejects_copy(p.created, now));
                if (e2e && p.origin != Origin::Replayed) || stale {
                    return false;
                }
                if measured || now >= self.warmup {
                    self.m.records_tampered_accepted += u64::from(p.records);
                    if self.net.is_sensing(node) {
                        self.m.unsafe_commands_executed += 1;
                    }
                }
                true
            }
            Origin::Flood | Origin::Cover => true,
        }
    }

    fn on_timer(&mut self, now: SimTime, t: u64, acts: &mut Actions) {
        let (defense, index, tag, payload) = untoken(t);
        let Some(tag) = Tag::from(tag) else {
            return;
        };
        if defense {
            if index >= self.defenses.len() {
                return;
            }
            match tag {
                Tag::IdsWindow => self.ids_window(index, now, acts),
                Tag::Response if (payload as usize) < self.attacks.len() => {
                    self.respond(index, payload as usize, now, acts);
                }
                Tag::Restore => {
                    let n = NodeId(payload);
                    acts.push(Action::SetAvailable {
                        node: n,
                        available: true,
                    });
                    let name = self.defenses[index].spec.name.clone();
                    self.incident(now, IncidentKind::Recovery, Some(n), &name);
                }
                Tag::AuditFound => {
                    let i = payload as usize;
                    if i < self.attacks.len() {
                        let name = self.defenses[index].spec.name.clone();
                        self.detected(i, now, &name, acts);
                        // The misuse ends: the account is revoked.
                        self.attacks[i].stopped.get_or_insert(now);
                        self.release_all(i);
                    }
                }
                Tag::Rotation => self.rotate(index, now, acts),
                Tag::Cover => self.cover(index, NodeId(payload), now, acts),
                _ => {}
            }
            return;
        }
        if index >= self.attacks.len() {
            return;
        }
        match tag {
            Tag::Open => self.open(index, now, acts),
            Tag::Close => self.close(index, acts),
            Tag::Arrival if self.attacks[index].live(now) => self.arrival(index, now, acts),
            Tag::Tick => self.tick(index, now, acts),
            Tag::Replay => {
                let a = &mut self.attacks[index];
                let Some((packet, at)) =
                    a.recorded.get_mut(payload as usize).and_then(Option::take)
                else {
                    return;
                };
                a.free.push(payload);
                if a.live(now) {
                    a.act(now);
                    a.injected += 1;
                    acts.push(Action::Inject {
                        node: at,
                        packet: Packet {
                            origin: Origin::Replayed,
                            ..packet
                        },
                    });
                }
            }
            Tag::Extracted => {
                let a = &self.attacks[index];
                let Some(&node) = a.spec.targets.get(payload as usize) else {
                    return;
                };
                if !a.live(now) {
                    return;
                }
                self.compromise(index, node, now, acts);
                // The extracted key reads the node's links until the next rotation.
                let until = match self.protection.rotation[node.index()] {
                    Some(period) if period > SimTime::ZERO => {
                        let k = now.as_nanos() / period.as_nanos() + 1;
                        SimTime::from_nanos(k.saturating_mul(period.as_nanos()))
                    }
                    _ => SimTime::MAX,
                };
                let links: Vec<LinkId> = self.net.neighbours[node.index()]
                    .iter()
                    .map(|(l, _)| *l)
                    .collect();
                for l in links {
                    self.attacks[index].stolen_until[l.index()] = until;
                }
            }
            Tag::Tamper => {
                if !self.attacks[index].live(now) {
                    return;
                }
                let rate = self.attacks[index].p("tamper_rate");
                if let Some(gap) = self.attacks[index].gap(rate) {
                    acts.timer(now.saturating_add(gap), token(false, index, Tag::Tamper, 0));
                }
                for k in 0..self.attacks[index].held.len() {
                    let n = self.attacks[index].held[k];
                    if now >= self.warmup {
                        self.m.records_tampered_accepted += 1;
                    }
                    self.audit_detects(index, n, now, acts);
                }
            }
            Tag::Infection => {
                let live = self.attacks[index].live(now);
                let a = &mut self.attacks[index];
                let Some(e) = a.epidemic.as_ref() else {
                    return;
                };
                if e.generation != payload || !live {
                    return;
                }
                if let Some(h) = e.pick(&mut a.rng) {
                    let node = e.hosts[h];
                    self.infect_host(index, node, now, acts);
                }
            }
            Tag::Encrypt => {
                let n = NodeId(payload);
                let infected = self.attacks[index].epidemic.as_ref().is_some_and(|e| {
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
                    let name = self.attacks[index].spec.name.clone();
                    self.incident(now, IncidentKind::Outage, Some(n), &name);
                }
            }
            Tag::Move => {
                let from = NodeId(payload);
                if !self.attacks[index].live(now) || !self.attacks[index].holds[from.index()] {
                    return;
                }
                let a = &mut self.attacks[index];
                let next = a.gap(1.0 / a.p("hop_time"));
                let u: f64 = a.rng.random();
                let pick: f64 = a.rng.random();
                if let Some(gap) = next {
                    acts.timer(
                        now.saturating_add(gap),
                        token(false, index, Tag::Move, from.0),
                    );
                }
                let a = &self.attacks[index];
                let options: Vec<NodeId> = self.net.neighbours[from.index()]
                    .iter()
                    .map(|&(_, n)| n)
                    .filter(|n| {
                        !a.holds[n.index()]
                            && (a.spec.targets.is_empty() || a.node_targeted[n.index()])
                    })
                    .collect();
                if options.is_empty() {
                    return;
                }
                let to = options[((pick * options.len() as f64) as usize).min(options.len() - 1)];
                let (sf, st) = (
                    self.protection.segment[from.index()],
                    self.protection.segment[to.index()],
                );
                let mut present = DefenseSet::EMPTY;
                if sf != st {
                    // Crossing a segment's edge: the isolation defense is present.
                    present.insert(DefenseKind::Isolation);
                }
                self.attacks[index].act(now);
                if u < self.attacks[index].p("hop_success_probability")
                    && !self.masks.prevents(AttackKind::LateralMovement, present)
                {
                    self.compromise(index, to, now, acts);
                    self.engage(index, to, now, acts);
                }
            }
            _ => {}
        }
    }

    fn report(&self, out: &mut Vec<Scalar>) {
        let m = &self.m;
        out.push(("records_exposed", Some(m.records_exposed)));
        out.push(("packets_intercepted", Some(m.packets_intercepted as f64)));
        out.push((
            "records_tampered_accepted",
            Some(m.records_tampered_accepted as f64),
        ));
        out.push((
            "unsafe_commands_executed",
            Some(m.unsafe_commands_executed as f64),
        ));
        out.push(("forged_rejected", Some(m.forged_rejected as f64)));
        out.push(("rate_limited", Some(m.rate_limited as f64)));
        out.push(("events_inferred", Some(m.events_inferred as f64)));
        out.push(("compromised_nodes_max", Some(m.compromised_max as f64)));
        out.push(("infected_hosts_max", Some(m.infected_max as f64)));
        out.push((
            "time_to_first_compromise_s",
            m.first_compromise.map(SimTime::as_secs_f64),
        ));
        out.push((
            "time_to_detect_s",
            (m.detections > 0).then(|| m.detect_delay_sum / m.detections as f64),
        ));
        out.push(("detections", Some(m.detections as f64)));
        out.push(("false_alarms", Some(m.false_alarms as f64)));
        out.push((
            "audit_commit_latency_s",
            (m.audit_writes > 0).then(|| m.audit_latency_sum / m.audit_writes as f64),
        ));
        out.push((
            "breach_cost_usd",
            Some(m.records_exposed * self.cost_per_record),
        ));
    }

    /// The breach timeline's series: records exposed, tampered records accepted, nodes held
    /// by an attack and hosts ever infected, so far.
    fn sample(&self, _now: SimTime, out: &mut Vec<Scalar>) {
        out.push(("records_exposed", Some(self.m.records_exposed)));
        out.push((
            "packets_intercepted",
            Some(self.m.packets_intercepted as f64),
        ));
        out.push((
            "records_tampered_accepted",
            Some(self.m.records_tampered_accepted as f64),
        ));
        out.push(("compromised_nodes", Some(self.held_now as f64)));
        let infected: u32 = self
            .attacks
            .iter()
            .filter_map(|a| a.epidemic.as_ref())
            .map(|e| e.ever_infected)
            .sum();
        out.push(("infected_hosts", Some(f64::from(infected))));
    }

    fn incidents(&self, out: &mut Vec<Incident>) {
        out.extend(self.incidents.iter().cloned());
    }

    fn attacks(&self, out: &mut Vec<AttackSummary>) {
        out.extend(self.attacks.iter().map(|a| AttackSummary {
            name: a.spec.name.clone(),
            kind: crate::catalogue::attack(a.spec.kind).name,
            first_act: a.first_act,
            detected: a.detected,
            stopped: a.stopped,
            compromises: a.compromises,
            injected: a.injected,
        }));
    }
}

#[cfg(test)]
mod tests;
