//! What every attack and every defense has during a run, whatever its kind: its spec, its
//! streams, its episode and what it holds. Its kind's own state is in its model.

use super::Hop;
use crate::origin::Origin;
use crate::spec::{AttackSpec, DefenseSpec};
use rand_distr::{Distribution, Exp};
use sim_core::rng::{Stream, splitmix64};
use sim_core::{NodeId, PacketKind, SenderKind, SimTime};

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
    pub(super) fn new(spec: AttackSpec, nodes: usize, links: usize, seed: u64) -> Self {
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
        let (ident, tag) = match Origin::of(p) {
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
            u64::from(match p.source.kind() {
                SenderKind::Source(s) => s.0,
                SenderKind::Node(n) => n.0,
            }),
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
