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
//!
//! Removing a node is incremental ([`Routes::remove`]): a table towards a destination changes
//! only if some node's next hop towards it was the removed node. Otherwise every other node's
//! distance is unchanged (its chosen path avoids the node, and removing a node never shortens a
//! path) and so is its next hop (the removed node was not its argmin), so only the removed
//! node's own entry goes. Each table keeps, per node, how many nodes forward through it, so the
//! test costs O(1) per destination: a sensor whose battery dies — a leaf — costs no Dijkstra
//! at all, where it used to cost one per destination.

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
    /// `through[slot][v]`: how many nodes' next hop towards `destinations[slot]` is `v`.
    through: Vec<Vec<u32>>,
}

impl PartialEq for Routes {
    /// The same destinations and the same next hops (the counts follow from the tables).
    fn eq(&self, other: &Routes) -> bool {
        self.destinations == other.destinations && self.tables == other.tables
    }
}

/// The next hops of every node towards `d` over the nodes for which `alive` holds, with the
/// weight overrides `weights` (see [`Routes::compute_weighted`]).
fn table_towards(
    topology: &Topology,
    alive: &[bool],
    weights: &[RouteWeight],
    d: NodeId,
) -> Vec<Option<Hop>> {
    let weight_of = |l: LinkId| match weights.get(l.index()).copied().unwrap_or_default() {
        RouteWeight::Normal => Some(link_weight(topology.link(l))),
        RouteWeight::Attract => Some(1),
        RouteWeight::Disabled => None,
    };
    let n = topology.node_count();
    let mut table = vec![None; n];
    if !alive[d.index()] {
        return table;
    }
    let graph = topology.graph();
    // Dead nodes and disabled links are left out of the graph Dijkstra walks.
    let live = EdgeFiltered::from_fn(graph, |e: EdgeReference<'_, LinkSpec>| {
        alive[e.source().index()]
            && alive[e.target().index()]
            && weight_of(LinkId(e.id().index() as u32)).is_some()
    });
    let dist = dijkstra(&live, NodeIndex::new(d.index()), None, |e| {
        weight_of(LinkId(e.id().index() as u32)).unwrap_or(MAX_LINK_WEIGHT)
    });
    for u in topology.node_ids() {
        if u == d || !alive[u.index()] || !dist.contains_key(&NodeIndex::new(u.index())) {
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
}

/// Per node, how many entries of `table` forward through it.
fn forwarders(table: &[Option<Hop>], n: usize) -> Vec<u32> {
    let mut through = vec![0u32; n];
    for hop in table.iter().flatten() {
        through[hop.next.index()] += 1;
    }
    through
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
        let n = topology.node_count();
        let mut slot_of = vec![u32::MAX; n];
        let mut dests = Vec::new();
        for &d in destinations {
            if slot_of[d.index()] == u32::MAX {
                slot_of[d.index()] = dests.len() as u32;
                dests.push(d);
            }
        }
        let tables: Vec<Vec<Option<Hop>>> = dests
            .iter()
            .map(|&d| table_towards(topology, alive, weights, d))
            .collect();
        let through = tables.iter().map(|t| forwarders(t, n)).collect();
        Routes {
            slot_of,
            destinations: dests,
            tables,
            through,
        }
    }

    /// Takes `node` out of every table, `usable` (and `weights`) being the state after its
    /// removal: the tables through which some node forwarded via `node` are computed again, the
    /// others lose `node`'s own entry. The result equals [`Routes::compute_weighted`] over
    /// `usable` (a property test checks it).
    pub fn remove(
        &mut self,
        topology: &Topology,
        usable: &[bool],
        weights: &[RouteWeight],
        node: NodeId,
    ) {
        let n = topology.node_count();
        for slot in 0..self.destinations.len() {
            let d = self.destinations[slot];
            if d == node || self.through[slot][node.index()] > 0 {
                self.tables[slot] = table_towards(topology, usable, weights, d);
                self.through[slot] = forwarders(&self.tables[slot], n);
            } else if let Some(hop) = self.tables[slot][node.index()].take() {
                self.through[slot][hop.next.index()] -= 1;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Dist;
    use crate::topology::{DeviceSpec, Layer, NodeSpec};
    use crate::units::{BitsPerSecond, Hertz, Joules, Watts};
    use proptest::prelude::*;

    /// A random connected-ish graph: `n` nodes, a spanning chain plus `extra` random links, each
    /// with a latency of 1–4 ms (ties happen, and must break the same way).
    fn graph(n: usize, extra: &[(usize, usize, u8)]) -> Topology {
        let mut topo = Topology::new();
        for i in 0..n {
            topo.add_node(NodeSpec {
                name: format!("n{i}"),
                group: "g".into(),
                layer: Layer::Network,
                device: DeviceSpec {
                    station: None,
                    battery: None,
                    sleep_power: Watts(0.0),
                    cpu_hz: Hertz(1e9),
                    energy_per_cycle: Joules(0.0),
                },
            });
        }
        let mut add = |a: usize, b: usize, ms: u8| {
            let name = format!("l{}", topo.link_count());
            topo.add_link(
                NodeId(a as u32),
                NodeId(b as u32),
                LinkSpec {
                    name: name.clone(),
                    group: name,
                    rate: BitsPerSecond(f64::INFINITY),
                    latency: Dist::constant(f64::from(ms) * 1e-3).unwrap(),
                    loss: 0.0,
                    tx_energy_per_bit: Joules(0.0),
                    rx_energy_per_bit: Joules(0.0),
                },
            );
        };
        for i in 1..n {
            add(i - 1, i, 1 + (i % 4) as u8);
        }
        for &(a, b, ms) in extra {
            if a % n != b % n {
                add(a % n, b % n, 1 + ms % 4);
            }
        }
        topo
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Taking nodes out one by one, incrementally, gives exactly the tables a full
        /// recomputation over the remaining nodes gives.
        #[test]
        fn removing_nodes_incrementally_equals_recomputing(
            n in 2usize..24,
            extra in proptest::collection::vec((0usize..24, 0usize..24, any::<u8>()), 0..30),
            dests in proptest::collection::vec(0usize..24, 1..5),
            removals in proptest::collection::vec(0usize..24, 1..8),
        ) {
            let topo = graph(n, &extra);
            let dests: Vec<NodeId> = dests.iter().map(|&d| NodeId((d % n) as u32)).collect();
            let mut usable = vec![true; n];
            let mut routes = Routes::compute(&topo, &usable, &dests);
            for r in removals {
                let node = NodeId((r % n) as u32);
                usable[node.index()] = false;
                routes.remove(&topo, &usable, &[], node);
                let full = Routes::compute(&topo, &usable, &dests);
                prop_assert!(routes == full, "after removing {node:?}");
            }
        }
    }

    #[test]
    fn a_leaf_leaving_recomputes_nothing() {
        // A star: hub 0 and leaves 1..=5, routes towards the hub. A leaf is nobody's next hop:
        // its removal only drops its own entry, and the others keep theirs.
        let mut topo = graph(2, &[]);
        for i in 2..=5u32 {
            topo.add_node(topo.node(NodeId(0)).clone());
            let mut l = topo.link(LinkId(0)).clone();
            l.name = format!("s{i}");
            topo.add_link(NodeId(0), NodeId(i), l);
        }
        let mut usable = vec![true; 6];
        let mut routes = Routes::compute(&topo, &usable, &[NodeId(0)]);
        let before: Vec<_> = (1..=5)
            .map(|i| routes.next_hop(NodeId(i), NodeId(0)))
            .collect();
        usable[3] = false;
        routes.remove(&topo, &usable, &[], NodeId(3));
        assert_eq!(routes.next_hop(NodeId(3), NodeId(0)), None);
        for i in [1u32, 2, 4, 5] {
            assert_eq!(
                routes.next_hop(NodeId(i), NodeId(0)),
                before[i as usize - 1]
            );
        }
        assert_eq!(routes.through[0][0], 4);
    }
}
