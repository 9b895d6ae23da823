//! Compromises and footholds: which nodes each attack holds, and how a compromise becomes a
//! foothold for the attacks chained after it (`after:`). A response that isolates, reimages or
//! revokes ends the holds of the attack and of every attack chained after it.

use crate::attack::AttackModel;
use crate::report::IncidentKind;
use crate::security::SecurityLayer;
use sim_core::{Actions, NodeId, SimTime};

impl SecurityLayer {
    /// Attack `i` takes `node`: a compromise (counted, on the timeline) and a foothold for
    /// the attacks chained after it.
    pub(crate) fn compromise(&mut self, i: usize, node: NodeId, now: SimTime, acts: &mut Actions) {
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
                self.with_attack(j, |m, l| l.foothold(m, j, node, now, acts));
            }
        }
    }

    /// Attack `i` loses its hold on every node (isolated, reimaged, credentials revoked), and
    /// so do the attacks chained after it, which acted from those footholds.
    pub(crate) fn release_all(&mut self, i: usize) {
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
        self.released(i);
    }

    /// Whether attack `i` can act from the footholds of the attack it is chained after: that
    /// attack must grant at least the privilege `i` requires (phishing's user account does not
    /// let a sinkhole rewrite a gateway's routing).
    pub(crate) fn privileged(&self, i: usize) -> bool {
        let needs = crate::catalogue::attack(self.attacks[i].spec.kind).requires;
        self.attacks[i]
            .spec
            .after
            .is_none_or(|j| crate::catalogue::attack(self.attacks[j].spec.kind).grants >= needs)
    }

    /// Attack `i` (model `m`) gains `node` as a foothold from the attack it is chained after.
    pub(crate) fn foothold(
        &mut self,
        m: &mut dyn AttackModel,
        i: usize,
        node: NodeId,
        now: SimTime,
        acts: &mut Actions,
    ) {
        if !self.privileged(i) {
            return;
        }
        let a = &self.attacks[i];
        // A foothold outside the targeted groups does not serve (when groups are given).
        if !a.spec.targets.is_empty() && !a.node_targeted[node.index()] && !m.anywhere() {
            return;
        }
        m.take_foothold(self, i, node, now, acts);
    }
}
