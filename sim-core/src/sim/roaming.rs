//! Roaming clients and their handovers ([`crate::mobility::handover`] decides).
//!
//! Each roaming client is attached to one of its candidate links at a time; the others are
//! detached, so routes avoid them ([`super::network::Network::set_attached`]). At the start it
//! attaches to the strongest candidate at once. Every scan interval it measures its candidates
//! at its current position ([`super::links::Links::mean_signal`]) and may roam: the routes
//! switch to the new link at once, and the new link holds the client's traffic until the
//! reassociation ends ([`super::links::Links::associate_at`]), so packets wait at its
//! transmitter (or MAC queue) and leave after it. The old link's frames already on the air or
//! in its MAC's queue finish there.
//!
//! Measured (after the warm-up): `handovers`, and `disconnected_s`, the reassociation time
//! summed over clients (the part inside the measured window). Reported only when the scenario
//! has roaming clients, so other scenarios' outputs are unchanged.
//!
//! Invariant: `clients[i].current` is the one candidate of client `i` the network has
//! attached; `until` is when its reassociation ends (≤ now when none is in progress).

use super::{Event, Simulation};
use crate::hooks::{Hooks, Scalar};
use crate::ids::{LinkId, NodeId};
use crate::metrics::engine;
use crate::mobility::handover::{self, RoamingParams};
use crate::phy::Dbm;
use crate::time::SimTime;
use crate::topology::Topology;

/// One roaming client.
#[derive(Debug)]
struct Client {
    node: NodeId,
    links: Vec<LinkId>,
    params: RoamingParams,
    current: usize,
    until: SimTime,
}

/// Every roaming client of the run.
#[derive(Debug, Default)]
pub(super) struct Roamers {
    clients: Vec<Client>,
    /// Scratch: one client's candidates' signals.
    signals: Vec<Dbm>,
    /// Handovers started after the warm-up.
    handovers: u64,
    /// Reassociation time inside the measured window, s.
    disconnected_s: f64,
}

impl Roamers {
    /// The roaming clients of `topo`, not yet attached.
    pub(super) fn new(topo: &Topology) -> Roamers {
        Roamers {
            clients: topo
                .roaming()
                .iter()
                .filter(|r| !r.links.is_empty())
                .map(|r| Client {
                    node: r.node,
                    links: r.links.clone(),
                    params: r.params,
                    current: 0,
                    until: SimTime::ZERO,
                })
                .collect(),
            ..Roamers::default()
        }
    }

    /// Whether the run has roaming clients.
    pub(super) fn any(&self) -> bool {
        !self.clients.is_empty()
    }

    /// The roaming scalars, in output order.
    pub(super) fn scalars(&self) -> [Scalar; 2] {
        [
            (engine::HANDOVERS.id, Some(self.handovers as f64)),
            (engine::DISCONNECTED_S.id, Some(self.disconnected_s)),
        ]
    }
}

impl<H: Hooks> Simulation<'_, H> {
    /// Attaches every roaming client to its strongest candidate at t = 0 and schedules its
    /// first scan.
    pub(super) fn start_roaming(&mut self) {
        if !self.roamers.any() {
            return;
        }
        for i in 0..self.roamers.clients.len() {
            self.measure(i, SimTime::ZERO);
            let r = &mut self.roamers;
            let c = &mut r.clients[i];
            c.current = handover::strongest(&r.signals);
            for (k, &l) in c.links.iter().enumerate() {
                self.network.set_attached(l, k == c.current);
            }
            let first = c.params.scan_interval;
            self.schedule(first, Event::Roam(i as u32));
        }
        self.network.reroute(&self.model.topology);
    }

    /// Client `i`'s candidates' signals at `now`, into `roamers.signals`.
    fn measure(&mut self, i: usize, now: SimTime) {
        let r = &mut self.roamers;
        r.signals.clear();
        let c = &r.clients[i];
        for &l in &c.links {
            let s = self.links.mean_signal(l, c.node, now);
            r.signals.push(s.unwrap_or(Dbm(f64::NEG_INFINITY)));
        }
    }

    /// Client `i` scans at `now`: it may roam, then scans again one interval later.
    pub(super) fn roam(&mut self, now: SimTime, i: usize) {
        let Some(c) = self.roamers.clients.get(i) else {
            return;
        };
        let (node, interval, reassociating) = (c.node, c.params.scan_interval, c.until > now);
        if !self.network.is_alive(node) {
            return;
        }
        if !reassociating {
            self.measure(i, now);
            let r = &mut self.roamers;
            let c = &mut r.clients[i];
            if let Some(to) = handover::decide(&c.params, c.current, &r.signals) {
                let (old, new) = (c.links[c.current], c.links[to]);
                c.current = to;
                c.until = now.saturating_add(c.params.reassociation);
                let until = c.until;
                if now >= self.warmup {
                    r.handovers += 1;
                }
                let from = now.max(self.warmup).min(self.horizon);
                r.disconnected_s += until.min(self.horizon).saturating_sub(from).as_secs_f64();
                self.links.associate_at(new, until);
                self.network.set_attached(old, false);
                self.network.set_attached(new, true);
                self.network.reroute(&self.model.topology);
            }
        }
        let next = now.saturating_add(interval);
        if next <= self.horizon {
            self.schedule(next, Event::Roam(i as u32));
        }
    }
}
