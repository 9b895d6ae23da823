//! The security layer: a scenario's attacks and defenses, plugged into the engine as its hooks.
//!
//! # Pipeline of one replication
//!
//! 1. [`SecuritySpec::instantiate`] makes each attack's and defense's model from the registry
//!    (reading its parameters once into typed fields), resolves every defense per link and
//!    node ([`Protection`]), draws nothing, and seeds each attack's and each defense's own
//!    stream (`attack:NAME`, `defense:NAME`), so that turning a defense on or off leaves the
//!    sensor traffic and the attacks' draws where they were (common random numbers).
//! 2. [`Hooks::start`] schedules each attack's window (activation and end), the IDS windows,
//!    key rotations, cover traffic, and charges the mutual-authentication handshakes.
//! 3. Per transmission ([`Hooks::on_transmit`]): the hop's protection is priced, then each
//!    active attack that strikes this link or this relay draws and acts (capture, record, jam,
//!    alter, drop), asking [`crate::rules`] whether the protection present stops it.
//! 4. Per delivery ([`Hooks::on_deliver`]): the receiver checks what it can (end-to-end tag,
//!    freshness) and rejects what the rule table says those checks stop, then counts what the
//!    attacks achieved (tampered records accepted, unsafe commands executed).
//! 5. Timers drive the processes that are not per packet: arrivals of forged packets, floods
//!    and login attempts (Poisson), key extraction, the epidemic, exfiltration, IDS windows.
//!
//! Every compromise is a foothold (`foothold.rs`): the attacks whose `after` names the
//! compromising attack act from it (chaining), and a defense's response (isolate, block, rotate
//! keys, reimage) ends it. What each kind does at each step is in its module
//! ([`crate::attack`], [`crate::defense`]); this layer dispatches.

use crate::attack::{self, AttackModel, Footholds};
use crate::breach::{Breach, BreachCost};
use crate::catalogue::ParamReader;
use crate::defense::{self, DefenseModel};
use crate::network::Network;
use crate::protection::Protection;
use crate::rules::{DefenseSet, RuleMasks};
use crate::spec::{AttackSpec, DefenseSpec};
use crate::timer::{AttackTimer, Timer};
use rand_distr::{Distribution, Exp};
use sim_core::rng::{Stream, splitmix64};
use sim_core::routing::Routes;
use sim_core::{
    Action, Actions, AttackSummary, Fate, Hooks, Incident, IncidentKind, Layer, Model, NodeId,
    Origin, Packet, PacketKind, RouteWeight, Scalar, SimTime, Transmission, Verdict,
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
    /// Cost of one exposed patient record, USD, for `breach_cost_usd` (one record per
    /// affected individual).
    pub cost_per_record: f64,
    /// Fixed cost charged once per replication with any record exposed, USD (0: none).
    pub cost_per_breach: f64,
}

impl Default for SecuritySpec {
    fn default() -> Self {
        SecuritySpec {
            attacks: Vec::new(),
            defenses: Vec::new(),
            cost_per_record: COST_PER_RECORD_USD,
            cost_per_breach: 0.0,
        }
    }
}

impl SecuritySpec {
    /// The hooks for one replication of `model` under master seed `seed`. Each attack's and
    /// defense's parameters are read here, once, into its model's typed parameters.
    pub fn instantiate(&self, model: &Model, seed: u64) -> SecurityLayer {
        let net = Network::of(model);
        let nodes = net.layer.len();
        let links = net.link_ends.len();
        let cloud: Vec<bool> = net.layer.iter().map(|&l| l == Layer::Cloud).collect();
        let defense_models: Vec<Box<dyn DefenseModel>> = self
            .defenses
            .iter()
            .map(|d| defense::model(d.kind, &ParamReader::new(&d.params)))
            .collect();
        let protection = Protection::deploy(
            &self.defenses,
            &defense_models,
            nodes,
            links,
            &net.group,
            &cloud,
        );
        let routes = planned_routes(model, &self.attacks);
        let attacks = self
            .attacks
            .iter()
            .map(|spec| {
                let mut a = AttackState::new(spec.clone(), nodes, links, seed);
                a.seen_at = sightings(spec, &net, &routes);
                a.retry_after = attack::shared_params(&ParamReader::new(&spec.params));
                a
            })
            .collect();
        let models = self
            .attacks
            .iter()
            .map(|a| {
                let mut m = attack::model(a.kind, &ParamReader::new(&a.params));
                m.prepare(&net);
                Some(m)
            })
            .collect();
        let defenses = self
            .defenses
            .iter()
            .map(|spec| DefenseState {
                rng: sim_core::rng::stream(seed, &format!("defense:{}", spec.name)),
                spec: spec.clone(),
            })
            .collect();
        SecurityLayer {
            net,
            protection,
            masks: RuleMasks::default(),
            attacks,
            models,
            defenses,
            defense_models: defense_models.into_iter().map(Some).collect(),
            warmup: model.config.warmup,
            cost: BreachCost {
                per_record: self.cost_per_record,
                per_breach: self.cost_per_breach,
            },
            held_by: vec![0; nodes],
            held_now: 0,
            blocked: vec![0; nodes],
            buckets: HashMap::new(),
            incidents: Vec::new(),
            m: Breach::for_model(model),
        }
    }
}

/// What every attack has during a run, whatever its kind; its kind's own state is in its
/// model.
#[derive(Debug)]
pub(crate) struct AttackState {
    pub spec: AttackSpec,
    pub rng: Stream,
    /// Whether its window has opened.
    pub started: bool,
    /// When a defense's response ended it.
    pub stopped: Option<SimTime>,
    /// When it first did something an IDS could see.
    pub first_act: Option<SimTime>,
    /// When it first acted in its current episode (detection delays count from here).
    pub episode_act: Option<SimTime>,
    /// Its episode: 0 until a response ends it, one more each time the attacker returns.
    pub episode: u32,
    /// Mean time before the attacker returns after a response, seconds (`None`: never).
    pub retry_after: Option<f64>,
    /// The key of its per-packet draws ([`AttackState::draws`]).
    draw_key: u64,
    /// When it was detected.
    pub detected: Option<SimTime>,
    /// Nodes it compromised, and packets it injected (for `attacks.csv`).
    pub compromises: u64,
    pub injected: u64,
    /// Per link: targeted. Per node: targeted, held (a foothold or a compromise).
    pub link_targeted: Vec<bool>,
    pub node_targeted: Vec<bool>,
    pub holds: Vec<bool>,
    pub held: Vec<NodeId>,
    /// Round-robin counter over targets and entry points.
    turn: usize,
    /// Whether an audit ledger's detection of it is under way.
    pub audit_pending: bool,
    /// Per node: whether an IDS there sees it (its packets pass through or target the node,
    /// or it acts on the node); see [`sightings`]. Nodes it holds are seen too.
    pub seen_at: Vec<bool>,
}

impl AttackState {
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
        let draw_key =
            sim_core::rng::stream_seed(seed, &format!("attack-draws:{}", spec.name)) as u64;
        AttackState {
            draw_key,
            rng: sim_core::rng::stream(seed, &format!("attack:{}", spec.name)),
            spec,
            started: false,
            stopped: None,
            first_act: None,
            episode_act: None,
            episode: 0,
            retry_after: None,
            detected: None,
            compromises: 0,
            injected: 0,
            link_targeted,
            node_targeted,
            holds: vec![false; nodes],
            held: Vec::new(),
            turn: 0,
            audit_pending: false,
            seen_at: vec![false; nodes],
        }
    }

    /// Whether an IDS on `n` sees it: its packets pass through or target `n`, or it acts on
    /// `n` (targets it, enters from it, holds it, or sits on one of its links).
    #[inline]
    pub fn seen_by(&self, n: NodeId) -> bool {
        self.seen_at.get(n.index()).copied().unwrap_or(false)
            || self.holds.get(n.index()).copied().unwrap_or(false)
    }

    /// Whether it acts at `now`: opened, not stopped, inside its window.
    #[inline]
    pub fn live(&self, now: SimTime) -> bool {
        self.started && self.stopped.is_none() && self.spec.window.contains(now)
    }

    /// Notes that it acted (the IDS sees an attack from its first act).
    #[inline]
    pub fn act(&mut self, now: SimTime) {
        self.first_act.get_or_insert(now);
        self.episode_act.get_or_insert(now);
    }

    /// The generator of its draws for the packet on hop `h` (capture, interception, alteration,
    /// recording, dropping, jamming...): keyed by the attack, the packet's identity and the
    /// link alone, so no other packet — one a defense drops before this link, one another
    /// attack injects, cover traffic — and none of its own other draws can shift them, and two
    /// variants of a scenario draw the same for the same packet on the same link (common random
    /// numbers by construction, as the engine's per-packet draws).
    ///
    /// The identity: the deployment's own packets (genuine or altered on an earlier hop: the
    /// same reading) by `(source, seq, kind)`; a replayed copy by its original's, marked as a
    /// copy; forged, flood and cover packets, which carry no reading, by `(source, creation
    /// instant, origin)`. Derivation: `h = splitmix64(key)`, then `h = splitmix64(h ^ v)` for
    /// `v` = source, identity, `kind | origin-tag << 8 | link << 16`; the generator is
    /// `Pcg64Mcg` seeded with `splitmix64(h) << 64 | splitmix64(h + 0x9e3779b97f4a7c15)`, its
    /// key `stream_seed(replication seed, "attack-draws:NAME")`.
    pub fn draws(&self, h: &Hop<'_>) -> Stream {
        let p = h.packet();
        let (ident, tag) = match p.origin {
            Origin::Genuine | Origin::Tampered => (u64::from(p.seq), 0u64),
            Origin::Replayed => (u64::from(p.seq), 1),
            Origin::Forged => (p.created.as_nanos(), 2),
            Origin::Flood => (p.created.as_nanos(), 3),
            Origin::Cover => (p.created.as_nanos(), 4),
        };
        let kind = match p.kind {
            PacketKind::Data => 0u64,
            PacketKind::Ack => 1,
        };
        let mut k = splitmix64(self.draw_key);
        for v in [
            u64::from(p.source.0),
            ident,
            kind | tag << 8 | (h.link as u64) << 16,
        ] {
            k = splitmix64(k ^ v);
        }
        let hi = splitmix64(k);
        let lo = splitmix64(k.wrapping_add(0x9e37_79b9_7f4a_7c15));
        Stream::new(u128::from(hi) << 64 | u128::from(lo))
    }

    /// An exponential delay of mean `1 / rate` from the attack's stream (`None` for a rate
    /// that is not positive).
    pub fn gap(&mut self, rate: f64) -> Option<SimTime> {
        let exp = Exp::new(rate).ok().filter(|_| rate > 0.0)?;
        Some(SimTime::from_secs_f64(exp.sample(&mut self.rng)))
    }

    /// The next of its targets, in a round robin.
    pub fn next_target(&mut self) -> Option<NodeId> {
        let len = self.spec.targets.len();
        let (k, _) = self.next_pair(len, 1)?;
        Some(self.spec.targets[k])
    }

    /// The next pair of round-robin indices over two lists (entry points and targets): both
    /// advance together, so every entry point takes its turn whatever the other list's length.
    pub fn next_pair(&mut self, a: usize, b: usize) -> Option<(usize, usize)> {
        if a == 0 || b == 0 {
            return None;
        }
        let k = self.turn;
        self.turn = self.turn.wrapping_add(1);
        Some((k % a, k % b))
    }
}

/// What every defense has during a run (the per-place settings are in [`Protection`], its
/// kind's own state in its model).
#[derive(Debug)]
pub(crate) struct DefenseState {
    pub spec: DefenseSpec,
    pub rng: Stream,
}

/// One transmission as the attacks striking it see it, and what they made of it so far.
pub(crate) struct Hop<'a> {
    /// The transmission.
    pub tx: &'a Transmission,
    /// Its link's index.
    pub link: usize,
    /// Whether the packet is the deployment's own data (genuine or tampered).
    pub own: bool,
    /// Whether the sender relays it (it was first sent elsewhere).
    pub transit: bool,
    /// The node the packet was first sent from.
    pub sender: Option<NodeId>,
    /// The defenses protecting the packet on this hop (the link's, and end-to-end).
    pub defended: DefenseSet,
    pub net: &'a Network,
    pub protection: &'a Protection,
    pub masks: &'a RuleMasks,
    /// Its fate so far.
    pub fate: Fate,
    /// Records exposed, packets intercepted and events inferred on this hop.
    pub exposed: u32,
    pub intercepted: u64,
    pub inferred: u64,
}

impl Hop<'_> {
    /// What protects the packet beyond this link's own defenses: a node or an access point at
    /// the link's end holds the link's keys, so only end-to-end protection counts against it.
    #[inline]
    pub fn beyond_link(&self) -> DefenseSet {
        self.defended.without(self.protection.link_set[self.link])
    }

    /// Whether a defense on this link (checked by its receiver) prevents or reduces `by`.
    #[inline]
    pub fn link_stops(&self, by: crate::AttackKind) -> bool {
        let on_link = self.protection.link_set[self.link];
        self.masks.prevents(by, on_link) || self.masks.reduces(by, on_link)
    }

    /// The packet.
    #[inline]
    pub fn packet(&self) -> &Packet {
        &self.tx.packet
    }

    /// The packet's records are read, unless a defense in `present` prevents `by`.
    #[inline]
    pub fn expose_unless(&mut self, by: crate::AttackKind, present: DefenseSet) {
        if !self.masks.prevents(by, present) {
            self.exposed = self.exposed.max(self.tx.packet.records);
        }
    }
}

/// A replication's security state; implements [`Hooks`].
#[derive(Debug)]
pub struct SecurityLayer {
    pub(crate) net: Network,
    pub(crate) protection: Protection,
    pub(crate) masks: RuleMasks,
    pub(crate) attacks: Vec<AttackState>,
    /// Each attack's model; `None` only while it runs (it cannot reach itself).
    models: Vec<Option<Box<dyn AttackModel>>>,
    pub(crate) defenses: Vec<DefenseState>,
    defense_models: Vec<Option<Box<dyn DefenseModel>>>,
    pub(crate) warmup: SimTime,
    cost: BreachCost,
    /// Per node, how many attacks hold it; and how many nodes are held.
    pub(crate) held_by: Vec<u16>,
    pub(crate) held_now: u64,
    /// Per node: the kinds of attack packets (bits of [`blocked_bit`]) it drops, blocked there
    /// by a response to the attack injecting them.
    blocked: Vec<u8>,
    /// Rate-limit token buckets: (protected node, sender) → (tokens, last refill).
    buckets: HashMap<(u32, u32), (f64, SimTime)>,
    pub(crate) incidents: Vec<Incident>,
    pub(crate) m: Breach,
}

impl SecurityLayer {
    /// Records exposed so far (measured window).
    pub fn records_exposed(&self) -> f64 {
        self.m.records_exposed
    }

    /// Runs `f` with attack `i`'s model taken out of the layer (`None` if it is already out).
    pub(crate) fn with_attack<R>(
        &mut self,
        i: usize,
        f: impl FnOnce(&mut dyn AttackModel, &mut SecurityLayer) -> R,
    ) -> Option<R> {
        let mut m = self.models.get_mut(i)?.take()?;
        let r = f(&mut *m, self);
        self.models[i] = Some(m);
        Some(r)
    }

    /// Runs `f` with defense `k`'s model taken out of the layer.
    pub(crate) fn with_defense<R>(
        &mut self,
        k: usize,
        f: impl FnOnce(&mut dyn DefenseModel, &mut SecurityLayer) -> R,
    ) -> Option<R> {
        let mut m = self.defense_models.get_mut(k)?.take()?;
        let r = f(&mut *m, self);
        self.defense_models[k] = Some(m);
        Some(r)
    }

    pub(crate) fn incident(
        &mut self,
        at: SimTime,
        kind: IncidentKind,
        node: Option<NodeId>,
        by: &str,
    ) {
        if self.incidents.len() < MAX_INCIDENTS {
            self.incidents.push(Incident {
                at,
                kind,
                node,
                by: by.to_string(),
            });
        }
    }

    /// `records` stored at `node` are exposed at `now` (counted from the warm-up on).
    pub(crate) fn expose(&mut self, now: SimTime, node: NodeId, records: f64) {
        if now >= self.warmup {
            self.m.stored_read(node, records);
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

    // ---- activation ----------------------------------------------------------------------

    fn open(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        self.attacks[i].started = true;
        self.with_attack(i, |m, l| {
            m.open(l, i, now, acts);
            if let Some(rate) = m.arrival_rate() {
                l.schedule_arrival(i, rate, now, acts);
            }
            if m.ticks() {
                let episode = l.attacks[i].episode;
                acts.timer(now, Timer::Attack(i, AttackTimer::Tick { episode }).token());
            }
            // Foothold attacks: from what the attack they follow holds, or from their targets.
            let nodes: Vec<NodeId> = match (m.footholds(), l.attacks[i].spec.after) {
                (Footholds::None, _) => return,
                (_, Some(j)) => l.attacks[j].held.clone(),
                (Footholds::Chained, None) => Vec::new(),
                (Footholds::Targets, None) => l.attacks[i].spec.targets.clone(),
            };
            for n in nodes {
                if l.attacks[i].spec.after.is_some() {
                    l.foothold(m, i, n, now, acts);
                } else {
                    l.compromise(i, n, now, acts);
                    m.engage(l, i, n, now, acts);
                }
            }
        });
    }

    fn schedule_arrival(&mut self, i: usize, rate: f64, now: SimTime, acts: &mut Actions) {
        let episode = self.attacks[i].episode;
        if let Some(gap) = self.attacks[i].gap(rate) {
            acts.timer(
                now.saturating_add(gap),
                Timer::Attack(i, AttackTimer::Arrival { episode }).token(),
            );
        }
    }

    fn attack_timer(&mut self, i: usize, t: AttackTimer, now: SimTime, acts: &mut Actions) {
        match t {
            AttackTimer::Open => self.open(i, now, acts),
            AttackTimer::Close => {
                self.with_attack(i, |m, l| m.close(l, i, acts));
            }
            AttackTimer::Arrival { episode }
                if self.attacks[i].live(now) && episode == self.attacks[i].episode =>
            {
                self.with_attack(i, |m, l| {
                    // The next arrival is drawn first, whatever this one achieves, so the
                    // process is the same with and without defenses.
                    if let Some(rate) = m.arrival_rate() {
                        l.schedule_arrival(i, rate, now, acts);
                    }
                    m.arrive(l, i, now, acts);
                });
            }
            AttackTimer::Arrival { .. } => {}
            AttackTimer::Tick { episode } => {
                if !self.attacks[i].live(now) || episode != self.attacks[i].episode {
                    return;
                }
                acts.timer(
                    now.saturating_add(TICK),
                    Timer::Attack(i, AttackTimer::Tick { episode }).token(),
                );
                self.with_attack(i, |m, l| m.tick(l, i, now, TICK.as_secs_f64(), acts));
            }
            AttackTimer::Return => self.come_back(i, now, acts),
            t => {
                self.with_attack(i, |m, l| m.on_timer(l, i, t, now, acts));
            }
        }
    }

    /// The attacker returns after a response ended its last episode: a new episode opens as
    /// its window opened (arrivals, ticks, footholds and routes again), undetected, unless its
    /// window has closed meanwhile.
    fn come_back(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        let a = &mut self.attacks[i];
        if a.stopped.is_none() || !a.spec.window.contains(now) {
            return;
        }
        a.stopped = None;
        a.detected = None;
        a.episode_act = None;
        a.episode = a.episode.wrapping_add(1);
        self.open(i, now, acts);
    }

    /// A response ends the current episode of attack `i` at `now`; with `retry_after` the
    /// attacker comes back after an exponential delay drawn from the attack's own stream.
    pub(crate) fn end_episode(&mut self, i: usize, now: SimTime, acts: &mut Actions) {
        let a = &mut self.attacks[i];
        a.stopped = Some(now);
        if let Some(mean) = a.retry_after
            && let Some(gap) = a.gap(1.0 / mean)
        {
            acts.timer(
                now.saturating_add(gap),
                Timer::Attack(i, AttackTimer::Return).token(),
            );
        }
    }

    // ---- detection and response ----------------------------------------------------------

    /// Attack `i` is detected at `now` by the defense named `by`.
    pub(crate) fn detected(&mut self, i: usize, now: SimTime, by: &str) {
        let a = &mut self.attacks[i];
        if a.detected.is_some() {
            return;
        }
        a.detected = Some(now);
        let since = a.episode_act.unwrap_or(now);
        let node = a.held.first().or(a.spec.targets.first()).copied();
        self.m.detections += 1;
        self.m.detect_delay_sum += now.saturating_sub(since).as_secs_f64();
        self.incident(now, IncidentKind::Detection, node, by);
    }

    /// Attack `i` is ended at `now` by a response: its routes restored, its model stopped.
    /// Returns the nodes the response acts on (those it held, and those only its model knew).
    pub(crate) fn end(&mut self, i: usize, now: SimTime, acts: &mut Actions) -> Vec<NodeId> {
        self.end_episode(i, now, acts);
        let mut held = self.attacks[i].held.clone();
        self.with_attack(i, |m, l| {
            m.close(l, i, acts);
            m.stop(now, &mut held);
        });
        held
    }

    /// A `block` response at `nodes` to attack `i` at `now`: the attacker's traffic is dropped
    /// where the detecting defense runs. An attack injecting packets (forged, replayed, flood)
    /// goes on, and every such packet entering one of `nodes` is dropped there from now on
    /// (by kind of packet: a node cannot tell two spoofers' forgeries apart); one whose
    /// connections pass the node (a login, a relay, an alteration on a link, an infection)
    /// ends, its nodes staying up; one that sends nothing (a captured device's keys read the
    /// links) is untouched. Returns whether the attack ended.
    pub(crate) fn block(
        &mut self,
        i: usize,
        nodes: &[NodeId],
        now: SimTime,
        acts: &mut Actions,
    ) -> bool {
        if let Some(bit) = crate::catalogue::attack(self.attacks[i].spec.kind)
            .makes
            .and_then(blocked_bit)
        {
            for n in nodes {
                if let Some(b) = self.blocked.get_mut(n.index()) {
                    *b |= bit;
                }
            }
            return false;
        }
        if !self.with_attack(i, |m, _| m.sends()).unwrap_or(true) {
            return false;
        }
        self.end(i, now, acts);
        self.release_all(i);
        true
    }

    /// A `rotate_keys` response to attack `i` at `now`: the keys and credentials it captured
    /// are replaced. Every node it held is released (and with it the footholds of the attacks
    /// chained after it), its model forgets what the old keys gave it ([`AttackModel::rekey`]),
    /// and the attack goes on: it must capture again. Returns the nodes that held the old keys
    /// (they and their peers run the new key agreement).
    pub(crate) fn rotate_keys(
        &mut self,
        i: usize,
        now: SimTime,
        acts: &mut Actions,
    ) -> Vec<NodeId> {
        let held = self.attacks[i].held.clone();
        self.release_all(i);
        self.with_attack(i, |m, l| m.rekey(l, i, now, acts));
        held
    }

    /// Whether a defense's response ends attack `i`.
    pub(crate) fn ends_on_response(&self, i: usize) -> bool {
        self.models
            .get(i)
            .and_then(Option::as_ref)
            .is_none_or(|m| m.ends_on_response())
    }

    /// Tells attack `i`'s model that it holds nothing any more.
    pub(crate) fn released(&mut self, i: usize) {
        if let Some(Some(m)) = self.models.get_mut(i) {
            m.release();
        }
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

/// The bit of a packet origin an attack injects, for [`SecurityLayer::block`] (`None` for the
/// deployment's own packets, altered or not, and cover traffic: blocking cannot single them
/// out).
fn blocked_bit(o: Origin) -> Option<u8> {
    match o {
        Origin::Forged => Some(1),
        Origin::Replayed => Some(2),
        Origin::Flood => Some(4),
        _ => None,
    }
}

/// The routes packets take on the network as built (every node up, a wormhole's tunnel not
/// yet open), towards every node an attack's packets or the deployment's own can aim at: the
/// engine's own shortest-latency tables ([`Routes`]), so an IDS's view follows the same paths
/// as the packets.
fn planned_routes(model: &Model, attacks: &[AttackSpec]) -> Routes {
    let topo = &model.topology;
    let alive = vec![true; topo.node_count()];
    let mut dsts: Vec<NodeId> = model.sources.iter().map(|s| s.dst).collect();
    for a in attacks {
        dsts.extend(a.targets.iter().copied());
    }
    let mut weights = vec![RouteWeight::Normal; topo.link_count()];
    for a in attacks {
        if let Some(w) = a.tunnel.and_then(|l| weights.get_mut(l.index())) {
            *w = RouteWeight::Disabled;
        }
    }
    Routes::compute_weighted(topo, &alive, &dsts, &weights)
}

/// Where an IDS sees attack `spec`: per node, whether the attack's packets pass through or
/// target it, or the attack acts on it. That is
///
/// - the nodes it targets (host attacks, and what its packets aim at) and enters from;
/// - with `from:`, every node on the route from each entry point to each target;
/// - the two ends of each link it targets (its frames are on that link) and, when it sends or
///   alters packets there (`makes` in its catalogue entry), every node after that link on the
///   routes of the sources crossing it, which its altered or replayed copies travel on;
/// - for a targeted node whose identity it forges, every node on the route of that node's
///   sources, which its forged readings follow.
///
/// Nothing else: a man-in-the-middle inside a carrier network is not seen by an IDS in a
/// cloud its traffic never reaches. Nodes it comes to hold during the run are added by
/// [`AttackState::seen_by`].
fn sightings(spec: &AttackSpec, net: &Network, routes: &Routes) -> Vec<bool> {
    let mut seen = vec![false; net.layer.len()];
    let mark = |n: NodeId, seen: &mut Vec<bool>| {
        if let Some(x) = seen.get_mut(n.index()) {
            *x = true;
        }
    };
    let makes = crate::catalogue::attack(spec.kind).makes;
    for &n in spec.targets.iter().chain(&spec.from) {
        mark(n, &mut seen);
    }
    for &f in &spec.from {
        for &t in &spec.targets {
            for n in routes.path(f, t).unwrap_or_default() {
                mark(n, &mut seen);
            }
        }
    }
    // The ends of the targeted links, in both directions.
    let mut crossed = std::collections::HashSet::new();
    for l in &spec.links {
        let Some(&(a, b)) = net.link_ends.get(l.index()) else {
            continue;
        };
        mark(a, &mut seen);
        mark(b, &mut seen);
        crossed.insert((a, b));
        crossed.insert((b, a));
    }
    // Every node after a source's first crossing of a targeted link: the union, over the
    // links, of the nodes after each one's first crossing, with each route walked once.
    if makes.is_some() && !crossed.is_empty() {
        for s in &net.sources {
            let path = routes.path(s.node, s.dst).unwrap_or_default();
            let crossing = path
                .windows(2)
                .position(|w| crossed.contains(&(w[0], w[1])));
            if let Some(k) = crossing {
                for &n in &path[k + 1..] {
                    mark(n, &mut seen);
                }
            }
        }
    }
    if makes == Some(Origin::Forged) {
        for s in net
            .sources
            .iter()
            .filter(|s| spec.targets.contains(&s.node))
        {
            for n in routes.path(s.node, s.dst).unwrap_or_default() {
                mark(n, &mut seen);
            }
        }
    }
    seen
}

impl Hooks for SecurityLayer {
    fn destinations(&self, out: &mut Vec<NodeId>) {
        for a in &self.attacks {
            if crate::catalogue::attack(a.spec.kind).makes == Some(Origin::Flood) {
                out.extend(a.spec.targets.iter().copied());
            }
        }
    }

    fn start(&mut self, acts: &mut Actions) {
        for (i, a) in self.attacks.iter().enumerate() {
            acts.timer(
                a.spec.window.start,
                Timer::Attack(i, AttackTimer::Open).token(),
            );
            if let Some(end) = a.spec.window.end() {
                acts.timer(end, Timer::Attack(i, AttackTimer::Close).token());
            }
            if let Some(l) = a.spec.tunnel {
                acts.push(Action::Route {
                    link: l,
                    weight: RouteWeight::Disabled,
                });
            }
        }
        for k in 0..self.defenses.len() {
            self.with_defense(k, |m, l| m.start(l, k, acts));
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
        if self.attacks.is_empty()
            && self.buckets.is_empty()
            && self.protection.rate_limit[tx.to.index()].is_none()
        {
            return Verdict {
                cost,
                fate: Fate::Forward,
            };
        }
        let mut hop = Hop {
            tx,
            link,
            own: p.origin.is_own_traffic() && p.kind == PacketKind::Data,
            transit: sender != Some(tx.from),
            sender,
            defended: self.protection.on_hop(link, sender),
            net: &self.net,
            protection: &self.protection,
            masks: &self.masks,
            fate: Fate::Forward,
            exposed: 0,
            intercepted: 0,
            inferred: 0,
        };
        for (i, (a, m)) in self.attacks.iter_mut().zip(&mut self.models).enumerate() {
            if let Some(m) = m
                && a.live(tx.now)
            {
                m.on_transmit(a, i, &mut hop, acts);
            }
        }
        let (mut fate, exposed, intercepted, inferred) =
            (hop.fate, hop.exposed, hop.intercepted, hop.inferred);
        // A node blocking the attacker's packets drops them as they come in.
        if fate == Fate::Forward
            && let Some(bit) = blocked_bit(p.origin)
            && self.blocked[tx.to.index()] & bit != 0
        {
            fate = Fate::Rejected;
        }
        if tx.measured {
            self.m.packets_intercepted += intercepted;
            if exposed > 0 {
                self.m.read(p);
            }
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
                    && let Some(ledger) = self.protection.audit[node.index()]
                    && let Some(Some(m)) = self.defense_models.get_mut(ledger.defense)
                {
                    m.on_deliver(now, measured, &mut self.m);
                }
                true
            }
            Origin::Tampered | Origin::Forged | Origin::Replayed => {
                let sender = self.sender_of(p);
                let present = sender.map_or(DefenseSet::EMPTY, |s| {
                    self.protection.checked_at_destination(s, p.created, now)
                });
                if self.masks.rejects_at_destination(p.origin, present) {
                    return false;
                }
                // Like every statistic, from the warm-up on: by the packet's creation.
                if measured {
                    self.m.accepted_altered(p);
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
        match Timer::from_token(t) {
            Some(Timer::Attack(i, t)) if i < self.attacks.len() => {
                self.attack_timer(i, t, now, acts)
            }
            Some(Timer::Defense(k, t)) if k < self.defenses.len() => {
                self.with_defense(k, |m, l| m.on_timer(l, k, t, now, acts));
            }
            _ => {}
        }
    }

    fn report(&self, out: &mut Vec<Scalar>) {
        self.m.report(self.cost, out);
    }

    fn patients(&self, out: &mut [sim_core::PatientMetrics]) {
        self.m.patients(out);
    }

    /// The breach timeline's series: records exposed, tampered records accepted, nodes held
    /// by an attack and hosts ever infected, so far.
    fn sample(&self, now: SimTime, out: &mut Vec<Scalar>) {
        let infected: u32 = self
            .models
            .iter()
            .zip(&self.attacks)
            .filter_map(|(m, a)| m.as_ref().map(|m| m.infected_hosts(a, now)))
            .sum();
        self.m.sample(self.held_now, infected, out);
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
pub(crate) mod tests;
