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

use crate::attack::{self, AttackModel};
use crate::breach::{Breach, BreachCost};
use crate::catalogue::ParamReader;
use crate::defense::{self, DefenseModel};
use crate::network::Network;
use crate::origin::Origin;
use crate::protection::Protection;
use crate::report::{AttackSummary, Incident, IncidentKind, SecurityReport};
use crate::rules::{DefenseSet, RuleMasks};
use crate::spec::{AttackSpec, DefenseSpec};
use crate::timer::{AttackTimer, Timer};
use sim_core::{
    Action, Actions, Fate, Hooks, Layer, LinkId, Model, NodeId, Packet, PacketKind, RouteWeight,
    Scalar, SenderKind, SimTime, SourceId, Topology, Transmission, Verdict,
};

pub(crate) use hop::Hop;
use sightings::{planned_routes, sightings};
pub(crate) use states::{AttackState, DefenseState};
use token_buckets::TokenBuckets;

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
        // Only a denial-of-sleep attack reads the victims' listening radios.
        let radios = self
            .attacks
            .iter()
            .any(|a| a.kind == crate::catalogue::AttackKind::DenialOfSleep);
        let net = Network::of(model, radios);
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
                m.prepare(&net, a);
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
            inert: self.attacks.is_empty() && self.defenses.is_empty(),
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
            buckets: TokenBuckets::new(nodes),
            incidents: Vec::new(),
            m: Breach::for_model(model),
        }
    }
}

/// A replication's security state; implements [`Hooks`].
#[derive(Debug)]
pub struct SecurityLayer {
    /// No attack and no defense: every hop is free and forwarded, so [`Hooks::on_transmit`]
    /// answers at once (a scenario without security pays no per-hop pricing: the tandem of
    /// `benches/peers` ran 3 % fewer instructions). Deliveries take their usual, short path:
    /// a genuine packet with no audit ledger is accepted after two checks.
    inert: bool,
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
    buckets: TokenBuckets,
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
        match p.source.kind() {
            SenderKind::Node(n) => Some(n),
            SenderKind::Source(s) => self.net.sources.get(s.index()).map(|s| s.node),
        }
    }

    /// The rate limiter at `to` admits a packet from `sender` at `now`.
    fn admits(&mut self, to: NodeId, sender: NodeId, now: SimTime) -> bool {
        let Some((rate, burst)) = self.protection.rate_limit[to.index()] else {
            return true;
        };
        self.buckets.admits(to, sender, rate, burst, now)
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

impl Hooks for SecurityLayer {
    type Report = SecurityReport;

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

    fn asks_transmissions(&self) -> bool {
        !self.inert
    }

    #[inline]
    fn prefetch_emission(&self, source: SourceId, node: NodeId) {
        if self.inert {
            return;
        }
        sim_core::prefetch::prefetch_at(&self.net.sources, source.index());
        self.buckets.prefetch(node);
        self.protection.prefetch_sender(node);
    }

    #[inline]
    fn prefetch_packet(&self, p: &Packet) {
        if self.inert {
            return;
        }
        if let Some(s) = p.source.source() {
            sim_core::prefetch::prefetch_at(&self.net.sources, s.index());
        }
    }

    #[inline]
    fn prefetch_hop(&self, link: LinkId) {
        if self.inert {
            return;
        }
        for a in &self.attacks {
            sim_core::prefetch::prefetch_at(&a.link_targeted, link.index());
        }
        self.protection.prefetch_link(link.index());
    }

    #[inline]
    fn on_transmit(&mut self, tx: &Transmission, acts: &mut Actions) -> Verdict {
        if self.inert {
            return Verdict::default();
        }
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
            && let Some(bit) = blocked_bit(Origin::of(p))
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
        let origin = Origin::of(p);
        match origin {
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
                if self.masks.rejects_at_destination(origin, present) {
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

    /// Its incidents, named and in time order, what each attack did, and what the attacks
    /// did to each patient's data.
    fn finish(self, topology: &Topology) -> SecurityReport {
        let attacks = self.summaries();
        let mut report = SecurityReport::new(self.incidents, attacks, topology);
        report.patients = self.m.patients;
        report
    }
}

impl SecurityLayer {
    /// What each attack did so far, in the scenario's order.
    pub fn summaries(&self) -> Vec<AttackSummary> {
        self.attacks
            .iter()
            .map(|a| AttackSummary {
                name: a.spec.name.clone(),
                kind: crate::catalogue::attack(a.spec.kind).name,
                first_act: a.first_act,
                detected: a.detected,
                stopped: a.stopped,
                compromises: a.compromises,
                injected: a.injected,
            })
            .collect()
    }
}

mod episodes;
mod hop;
mod sightings;
mod states;
#[cfg(test)]
pub(crate) mod tests;
mod token_buckets;
