//! The load a scenario offers its stations and links, from the declared stream rates, checked
//! before anything runs.
//!
//! Every packet of a stream visits each node of its route (source and destination included)
//! and crosses each link of it, so a station's arrival rate λ is the sum of the rates of the
//! streams routed through it, and its utilisation is the offered load per server,
//! `ρ = λ · E[S] / c` (E[S] the mean service time, c the servers). A link direction is a
//! single server with `E[S] = 8 · size / rate`, summed per stream. With ρ ≥ 1 the queue has no
//! steady state: an unbounded buffer grows until memory runs out (a typo such as `every: 2us`
//! for `2s`), so that is refused unless the scenario says `allow_overload: true`; ρ ≥ 0.9
//! earns a warning (waits grow as 1/(1 − ρ): Kleinrock, *Queueing Systems* I, 1975, §3.2).
//! Floods are not counted: they are attacks, meant to overload.

use crate::build::Built;
use crate::scenario::Scenario;
use sim_core::{Arrivals, LinkId, NodeId};
use std::collections::HashMap;

/// Utilisation from which a station or link earns a warning.
pub const WARN_RHO: f64 = 0.9;

/// The busiest station of a node group or direction of a link group.
#[derive(Clone, Debug, PartialEq)]
pub struct Utilisation {
    /// The field path of the group (`network[0]`, `links[2]`), for the error's place.
    pub path: String,
    /// What it is: ``station `hub[3]` `` or ``link `ble[0]` towards `hub[0]` ``.
    pub what: String,
    /// Offered utilisation ρ.
    pub rho: f64,
    /// Whether its queue is unbounded (links' transmitters always are).
    pub unbounded: bool,
}

impl Utilisation {
    /// The problem's text, with what would be right.
    pub fn message(&self, allowed: bool) -> String {
        let queue = if self.unbounded {
            "its queue is unbounded, so it grows without limit"
        } else {
            "its buffer stays full and drops packets"
        };
        if self.rho >= 1.0 {
            format!(
                "{} is offered utilisation ρ = {:.3e} ≥ 1 by the declared stream rates: {queue}; \
                 check the streams' `every`/`poisson` (a typo such as `2us` for `2s`?), add servers, \
                 or {}",
                self.what,
                self.rho,
                if allowed || !self.unbounded {
                    "accept the overload knowingly"
                } else {
                    "bound the buffer; write `allow_overload: true` to run it anyway"
                }
            )
        } else {
            format!(
                "{} is offered utilisation ρ = {:.3}: at ρ ≥ {WARN_RHO} waits grow as 1/(1 − ρ)",
                self.what, self.rho
            )
        }
    }
}

/// Per node group and link group, the busiest station or link direction with ρ ≥
/// [`WARN_RHO`], in scenario order.
pub fn busy(scenario: &Scenario, built: &Built) -> Vec<Utilisation> {
    per_group(scenario, built, WARN_RHO)
}

/// The busiest station or link direction of the whole scenario, if any carries traffic.
pub fn busiest(scenario: &Scenario, built: &Built) -> Option<Utilisation> {
    per_group(scenario, built, f64::MIN_POSITIVE)
        .into_iter()
        .max_by(|a, b| a.rho.total_cmp(&b.rho))
}

/// Per node group and link group, the busiest station or link direction with ρ ≥ `min_rho`
/// (the first in node or link order among equals), in scenario order.
fn per_group(scenario: &Scenario, built: &Built, min_rho: f64) -> Vec<Utilisation> {
    let topo = &built.model.topology;
    let routes = built.routes();
    let mut node_rate = vec![0.0f64; topo.node_count()];
    // Per link, the offered seconds of transmission per second from its first and its second
    // end.
    let mut link_load = vec![[0.0f64; 2]; topo.link_count()];
    for s in &built.model.sources {
        let rate = match &s.stream.arrivals {
            Arrivals::Periodic { period, .. } => 1.0 / period.as_secs_f64().max(1e-18),
            Arrivals::Poisson { rate_per_s } => *rate_per_s,
        };
        let Some(path) = routes.path(s.node, s.dst) else {
            continue;
        };
        for &n in &path {
            node_rate[n.index()] += rate;
        }
        for w in path.windows(2) {
            let Some(hop) = routes.next_hop(w[0], s.dst) else {
                continue;
            };
            let bits = 8.0 * s.stream.size.0 as f64;
            let seconds = bits / topo.link(hop.link).rate.0.max(1e-300);
            let side = usize::from(topo.endpoints(hop.link).0 != w[0]);
            link_load[hop.link.index()][side] += rate * seconds;
        }
    }
    // Keeps the first candidate at the highest ρ (a NaN replaces anything).
    fn keep<T>(best: &mut Option<(f64, T)>, rho: f64, what: T, min_rho: f64) {
        if rho < min_rho {
            return;
        }
        match best {
            Some((r, _)) if *r >= rho => {}
            _ => *best = Some((rho, what)),
        }
    }
    let group_of: HashMap<&str, usize> = scenario
        .groups
        .iter()
        .enumerate()
        .rev()
        .map(|(g, group)| (group.name.as_str(), g))
        .collect();
    let mut node_best: Vec<Option<(f64, NodeId)>> = vec![None; scenario.groups.len()];
    for (i, &lambda) in node_rate.iter().enumerate() {
        let node = topo.node(NodeId(i as u32));
        let Some(st) = &node.device.station else {
            continue;
        };
        let Some(&g) = group_of.get(&*node.group) else {
            continue;
        };
        let rho = lambda * st.service.mean() / f64::from(st.servers.max(1));
        keep(&mut node_best[g], rho, NodeId(i as u32), min_rho);
    }
    let link_group_of: HashMap<&str, usize> = scenario
        .links
        .iter()
        .enumerate()
        .rev()
        .map(|(k, l)| (l.name.as_str(), k))
        .collect();
    let mut link_best: Vec<Option<(f64, (LinkId, NodeId))>> = vec![None; scenario.links.len()];
    for (l, load) in link_load.iter().enumerate() {
        let link = LinkId(l as u32);
        let Some(&k) = link_group_of.get(&*topo.link(link).group) else {
            continue;
        };
        let (a, b) = topo.endpoints(link);
        // The two directions in the order of their sending node.
        let mut sides = [(a, load[0]), (b, load[1])];
        if b < a {
            sides.swap(0, 1);
        }
        for (from, rho) in sides {
            keep(&mut link_best[k], rho, (link, from), min_rho);
        }
    }
    let mut found = Vec::new();
    for (g, best) in node_best.into_iter().enumerate() {
        let Some((rho, node)) = best else { continue };
        let node = topo.node(node);
        found.push(Utilisation {
            path: scenario.groups[g].path.clone(),
            what: format!("station `{}`", node.name),
            rho,
            unbounded: node
                .device
                .station
                .as_ref()
                .is_some_and(|st| st.buffer.is_none()),
        });
    }
    for (k, best) in link_best.into_iter().enumerate() {
        let Some((rho, (link, from))) = best else {
            continue;
        };
        let spec = topo.link(link);
        let (a, b) = topo.endpoints(link);
        let to = if a == from { b } else { a };
        found.push(Utilisation {
            path: format!("links[{k}]"),
            what: format!(
                "link `{}` from `{}` to `{}`",
                spec.group,
                topo.node(from).name,
                topo.node(to).name
            ),
            rho,
            unbounded: true,
        });
    }
    found
}
