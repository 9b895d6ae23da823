//! Applying what the hooks ask ([`Action`]): extra traffic injected, energy charged, nodes
//! taken out or brought back, link weights overridden, timers set. Applied when the event that
//! asked is done, at its instant, in order.

use super::accounting::Loss;
use super::{Event, Simulation};
use crate::hooks::{Action, Hooks};
use crate::time::SimTime;

impl<H: Hooks> Simulation<'_, H> {
    /// Applies what the hooks asked for during the event at `now`, and what that in turn
    /// makes them ask, until nothing is pending. Two buffers are swapped so that nothing
    /// allocates once they have grown.
    pub(super) fn apply_actions(&mut self, now: SimTime) {
        while !self.actions.is_empty() {
            std::mem::swap(&mut self.actions, &mut self.applying);
            let mut batch = std::mem::take(&mut self.applying);
            let mut reroute = false;
            for action in batch.drain() {
                reroute |= self.apply(now, action);
            }
            self.applying = batch;
            if reroute {
                self.network.reroute(&self.model.topology);
            }
        }
    }

    /// Applies one action; returns whether routes must be recomputed.
    fn apply(&mut self, now: SimTime, action: Action) -> bool {
        match action {
            Action::Inject { node, packet } => {
                if node.index() >= self.network.node_count() {
                    return false;
                }
                if !self.accounting.injected(&packet) {
                    // Only extra traffic may be injected; the deployment's own comes from sources.
                    self.lose(packet, Loss::Rejected);
                    return false;
                }
                self.arrive(now, node, packet);
                false
            }
            Action::Air {
                link,
                to,
                packet,
                refused,
            } => {
                let topo = &self.model.topology;
                if to.index() >= self.network.node_count() || link.index() >= topo.link_count() {
                    return false;
                }
                if !self.accounting.injected(&packet) {
                    self.lose(packet, Loss::Rejected);
                    return false;
                }
                let (a, b) = topo.endpoints(link);
                let Some(r) = self
                    .links
                    .radio(link)
                    .copied()
                    .filter(|_| to == a || to == b)
                else {
                    if refused {
                        self.lose(packet, Loss::Rejected);
                    } else {
                        self.arrive(now, to, packet);
                    }
                    return false;
                };
                let from = if to == a { b } else { a };
                let end = now.saturating_add(r.airtime(packet.size));
                let bits = u64::from(packet.size.saturating_add(r.technology.overhead).0) * 8;
                let hand = super::links::Hand {
                    packet,
                    link,
                    to,
                    sent: now,
                    measured: false,
                    fate: if refused {
                        crate::hooks::Fate::Rejected
                    } else {
                        crate::hooks::Fate::Forward
                    },
                    decrypt: SimTime::ZERO,
                };
                let slot = self.links.send_foreign_frame(now, from, end, bits, hand);
                self.schedule(end, super::Event::FrameEnd(slot));
                false
            }
            Action::Charge {
                node,
                component,
                energy,
            } => {
                if self.network.exists_alive(node) {
                    self.charge(now, node, component, energy);
                }
                false
            }
            Action::SetAvailable { node, available } => {
                if !self.network.set_available(node, available) {
                    return false;
                }
                if !available {
                    self.empty_station(now, node, Loss::Unavailable);
                }
                true
            }
            Action::Route { link, weight } => self.network.set_weight(link, weight),
            Action::Timer { at, token } => {
                self.schedule(at.max(now), Event::Timer(token));
                false
            }
        }
    }
}
