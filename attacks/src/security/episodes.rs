//! An attack's life in a run: its window opens (arrivals, ticks, footholds), its timers fire,
//! a defense detects it and a response ends its episode (block, rotate keys, isolate), and
//! the attacker may come back for a new episode.

use super::{SecurityLayer, TICK, blocked_bit};
use crate::attack::Footholds;
use crate::report::IncidentKind;
use crate::timer::{AttackTimer, Timer};
use sim_core::{Actions, NodeId, SimTime};

impl SecurityLayer {
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

    pub(super) fn attack_timer(
        &mut self,
        i: usize,
        t: AttackTimer,
        now: SimTime,
        acts: &mut Actions,
    ) {
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
            AttackTimer::Model(t) => {
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
}
