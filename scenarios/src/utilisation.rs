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
use std::collections::BTreeMap;

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

/// Per node group and link group, the busiest station or link direction with ρ ≥ `min_rho`.
fn per_group(scenario: &Scenario, built: &Built, min_rho: f64) -> Vec<Utilisation> {
    let topo = &built.model.topology;
    let routes = built.routes();
    let mut node_rate = vec![0.0f64; topo.node_count()];
    // (link, sending node) → offered seconds of transmission per second.
    let mut link_load: BTreeMap<(LinkId, NodeId), f64> = BTreeMap::new();
    for s in &built.model.sources {
        let rate = match &s.arrivals {
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
            let bits = 8.0 * s.size.0 as f64;
            let seconds = bits / topo.link(hop.link).rate.0.max(1e-300);
            *link_load.entry((hop.link, w[0])).or_default() += rate * seconds;
        }
    }
    let mut found: Vec<(usize, Utilisation)> = Vec::new();
    let mut keep = |order: usize, u: Utilisation| {
        if u.rho < min_rho {
            return;
        }
        match found.iter_mut().find(|(_, f)| f.path == u.path) {
            Some((_, f)) if f.rho >= u.rho => {}
            Some((o, f)) => {
                *o = order;
                *f = u;
            }
            None => found.push((order, u)),
        }
    };
    for (i, &lambda) in node_rate.iter().enumerate() {
        let node = topo.node(NodeId(i as u32));
        let Some(st) = &node.device.station else {
            continue;
        };
        let Some(g) = scenario.groups.iter().position(|g| g.name == node.group) else {
            continue;
        };
        let rho = lambda * st.service.mean() / f64::from(st.servers.max(1));
        keep(
            g,
            Utilisation {
                path: scenario.groups[g].path.clone(),
                what: format!("station `{}`", node.name),
                rho,
                unbounded: st.buffer.is_none(),
            },
        );
    }
    for (&(link, from), &rho) in &link_load {
        let spec = topo.link(link);
        let Some(k) = scenario.links.iter().position(|l| l.name == spec.group) else {
            continue;
        };
        let (a, b) = topo.endpoints(link);
        let to = if a == from { b } else { a };
        keep(
            scenario.groups.len() + k,
            Utilisation {
                path: format!("links[{k}]"),
                what: format!(
                    "link `{}` from `{}` to `{}`",
                    spec.group,
                    topo.node(from).name,
                    topo.node(to).name
                ),
                rho,
                unbounded: true,
            },
        );
    }
    found.sort_by_key(|(o, _)| *o);
    found.into_iter().map(|(_, u)| u).collect()
}
