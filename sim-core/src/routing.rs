//! Next-hop routing by shortest expected latency.
//!
//! For every destination a table gives, at each node, the link to take next. Tables come from
//! one Dijkstra run per destination (petgraph's `dijkstra`, from the destination over the
//! undirected graph restricted to live nodes) with edge weight
//! `w = mean latency (ns) + 8 · 1000 B / rate (ns) + 1`: the expected propagation delay, the
//! serialisation of a typical 1000-byte packet (3GPP TR 22.826's message bound) and one
//! nanosecond per hop so that ties favour fewer hops. The next hop of `u` is the neighbour `v`
//! minimising `w(u, v) + dist(v)`, ties broken by the lower link id, so routes are deterministic.
//! Tables are computed once and again only when the topology changes: a node dies, the security
//! layer takes a node out or brings it back, or overrides a link's weight
//! ([`RouteWeight`]: a sinkhole's false low cost, a forged "link down", a wormhole's tunnel).

use crate::hooks::RouteWeight;
use crate::ids::{LinkId, NodeId};
use crate::topology::{LinkSpec, Topology};
use petgraph::algo::dijkstra;
use petgraph::graph::EdgeReference;
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};

/// One step of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The link to transmit on.
    pub link: LinkId,
    /// The node at its other end.
    pub next: NodeId,
}

/// Next-hop tables towards a fixed set of destinations.
#[derive(Clone, Debug)]
pub struct Routes {
    /// `slot_of[node]`: the table index of a destination, `u32::MAX` for non-destinations.
    slot_of: Vec<u32>,
    destinations: Vec<NodeId>,
    /// `tables[slot][node]`: the next hop from `node` towards `destinations[slot]`.
    tables: Vec<Vec<Option<Hop>>>,
}

/// Largest weight of one link, 2⁴³ ns (about 2.4 h): a path of up to 2²⁰ such links still fits
/// in a `u64`, so Dijkstra's sums cannot overflow, and links slower than this are equally
/// "very slow" for routing.
pub const MAX_LINK_WEIGHT: u64 = 1 << 43;

/// The routing weight of a link, in nanoseconds (see the module documentation), at most
/// [`MAX_LINK_WEIGHT`].
pub fn link_weight(link: &LinkSpec) -> u64 {
    let cap = MAX_LINK_WEIGHT as f64;
    let prop = (link.latency.mean() * 1e9).clamp(0.0, cap);
    let ser = if link.rate.0.is_infinite() {
        0.0
    } else {
        (8000.0 / link.rate.0 * 1e9).clamp(0.0, cap)
    };
    ((prop + ser).round() as u64)
        .saturating_add(1)
        .min(MAX_LINK_WEIGHT)
}

impl Routes {
    /// Tables towards `destinations` over the live nodes (`alive[node]`).
    pub fn compute(topology: &Topology, alive: &[bool], destinations: &[NodeId]) -> Routes {
        Routes::compute_weighted(topology, alive, destinations, &[])
    }

    /// Tables as [`Routes::compute`], with some links' weights overridden (`weights[link]`;
    /// links past the slice's end are [`RouteWeight::Normal`]): an attracting link weighs 1 ns,
    /// a disabled one is not used.
    pub fn compute_weighted(
        topology: &Topology,
        alive: &[bool],
        destinations: &[NodeId],
        weights: &[RouteWeight],
    ) -> Routes {
        let weight_of = |l: LinkId| match weights.get(l.index()).copied().unwrap_or_default() {
            RouteWeight::Normal => Some(link_weight(topology.link(l))),
            RouteWeight::Attract => Some(1),
            RouteWeight::Disabled => None,
        };
        let n = topology.node_count();
        let mut slot_of = vec![u32::MAX; n];
        let mut dests = Vec::new();
        for &d in destinations {
            if slot_of[d.index()] == u32::MAX {
                slot_of[d.index()] = dests.len() as u32;
                dests.push(d);
            }
        }
        let graph = topology.graph();
        // Dead nodes and disabled links are left out of the graph Dijkstra walks.
        let live = EdgeFiltered::from_fn(graph, |e: EdgeReference<'_, LinkSpec>| {
            alive[e.source().index()]
                && alive[e.target().index()]
                && weight_of(LinkId(e.id().index() as u32)).is_some()
        });
        let tables = dests
            .iter()
            .map(|&d| {
                let mut table = vec![None; n];
                if !alive[d.index()] {
                    return table;
                }
                let dist = dijkstra(&live, NodeIndex::new(d.index()), None, |e| {
                    weight_of(LinkId(e.id().index() as u32)).unwrap_or(MAX_LINK_WEIGHT)
                });
                for u in topology.node_ids() {
                    if u == d || !alive[u.index()] || !dist.contains_key(&NodeIndex::new(u.index()))
                    {
                        continue;
                    }
                    table[u.index()] = topology
                        .neighbours(u)
                        .filter(|(_, v)| alive[v.index()])
                        .filter_map(|(l, v)| {
                            let w = weight_of(l)?;
                            let dv = *dist.get(&NodeIndex::new(v.index()))?;
                            Some((w.saturating_add(dv), l, v))
                        })
                        .min_by_key(|&(cost, l, _)| (cost, l))
                        .map(|(_, link, next)| Hop { link, next });
                }
                table
            })
            .collect();
        Routes {
            slot_of,
            destinations: dests,
            tables,
        }
    }

    /// The next hop from `at` towards `dst`, or `None` if `dst` is unreachable (or `at == dst`).
    #[inline]
    pub fn next_hop(&self, at: NodeId, dst: NodeId) -> Option<Hop> {
        let slot = *self.slot_of.get(dst.index())?;
        if slot == u32::MAX {
            return None;
        }
        self.tables[slot as usize][at.index()]
    }

    /// The destinations these tables serve.
    pub fn destinations(&self) -> &[NodeId] {
        &self.destinations
    }

    /// The full path from `from` to `dst` as node ids (both ends included), if one exists.
    pub fn path(&self, from: NodeId, dst: NodeId) -> Option<Vec<NodeId>> {
        let mut path = vec![from];
        let mut at = from;
        while at != dst {
            let hop = self.next_hop(at, dst)?;
            at = hop.next;
            path.push(at);
            if path.len() > self.slot_of.len() {
                return None;
            }
        }
        Some(path)
    }
}
