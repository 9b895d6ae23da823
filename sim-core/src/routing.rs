//! Next-hop routing by shortest expected latency.
//!
//! Routes are the shortest paths over the undirected graph restricted to live nodes, with edge
//! weight `w = mean latency (ns) + 8 · 1000 B / rate (ns) + 1`: the expected propagation delay,
//! the serialisation of a typical 1000-byte packet (3GPP TR 22.826's message bound) and one
//! nanosecond per hop so that ties favour fewer hops. The next hop of `u` towards `d` is the
//! neighbour `v` minimising `w(u, v) + dist_d(v)`, ties broken by the lower link id, so routes
//! are deterministic. Routes are computed once and again only when the topology changes: a
//! node dies, the security layer takes a node out or brings it back, or overrides a link's
//! weight ([`RouteWeight`]: a sinkhole's false low cost, a forged "link down", a wormhole's
//! tunnel).
//!
//! # Trees hanging off a core
//!
//! IoMT deployments are mostly trees: sensors fan in to hubs, hubs to gateways, gateways to
//! fog nodes. Repeatedly peeling off nodes with a single usable link (a sensor, then a hub
//! whose sensors are all peeled, ...) leaves a *core* in which every node has two links or
//! more (empty for a pure tree); every peeled node hangs in a tree below a core node or below
//! the last node of a tree component, its *root*. In a tree the path between two nodes is
//! unique, and since every weight is ≥ 1 the neighbour on it is strictly the best choice, so
//! the next hop from `u` towards `d` in the same component is:
//!
//! - the child of `u` whose subtree holds `d`, when `d` hangs below `u` (a preorder numbering
//!   tells it in O(1), the child by binary search among `u`'s children);
//! - otherwise, for a peeled `u`, the link to its parent;
//! - otherwise (`u` in the core) the next hop towards `d`'s *anchor*, the core node its tree
//!   hangs from (`d` itself when `d` is in the core): any path from the core to `d` passes
//!   through the anchor, so `dist_d = dist_anchor + const` at every core node, and a core node's
//!   tree neighbours are strictly worse than its core neighbours.
//!
//! Only the last case needs a table, one per distinct anchor and over the core nodes only:
//! one Dijkstra run (petgraph's `dijkstra`) per anchor over the core. A campus of a million
//! wearables, gateways and fog nodes is a single tree and needs none; a thousand implants,
//! each a destination, share the anchor of their hub tree. Memory is O(nodes + anchors ×
//! core) instead of O(nodes × destinations), and the next hops are exactly those of one
//! Dijkstra per destination over the whole graph (a property test compares them on random
//! graphs).
//!
//! Removing a node that has no live node hanging below it and is not in the core — a sensor
//! whose battery dies, any leaf — changes nothing else: it is nobody's next hop, and every
//! other path avoids it ([`Routes::remove`] marks it gone in O(1)). Any other change computes
//! the routes again, in O(nodes + links + anchors × core).

use crate::hooks::RouteWeight;
use crate::ids::{LinkId, NodeId};
use crate::topology::{LinkSpec, Topology};
use petgraph::algo::dijkstra;
use petgraph::graph::EdgeReference;
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};

mod memo;
pub(crate) use memo::RouteMemo;

/// One step of a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hop {
    /// The link to transmit on.
    pub link: LinkId,
    /// The node at its other end.
    pub next: NodeId,
}

/// "None" in the `u32` fields of [`Place`] and in `dest_slot`.
const NONE: u32 = u32::MAX;
/// `dest_slot` of a destination that needs no core table (it is in a tree component, or
/// not usable).
const NO_TABLE: u32 = u32::MAX - 1;

/// Where a node sits in the forest and the core, packed so that a lookup reads one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    /// Preorder number in the walk of the forest (every root's tree in turn).
    tin: u32,
    /// The largest preorder number in its subtree: `v` hangs below `u` iff
    /// `tin[u] < tin[v] ≤ tout[u]`.
    tout: u32,
    /// Connected component over the usable nodes; [`NONE`] for a node out of the network.
    comp: u32,
    /// Its index among the core nodes, [`NONE`] for a peeled node or a tree's root.
    core: u32,
    /// The link to its parent ([`NONE`] for a root or a core node).
    up_link: u32,
    /// Its parent.
    up_node: u32,
    /// Its children are `children[first_child..end_child]`, in preorder.
    first_child: u32,
    end_child: u32,
}

const GONE: Place = Place {
    tin: 0,
    tout: 0,
    comp: NONE,
    core: NONE,
    up_link: NONE,
    up_node: NONE,
    first_child: 0,
    end_child: 0,
};

/// Next hops towards a fixed set of destinations (see the module documentation).
#[derive(Clone, Debug)]
pub struct Routes {
    /// Per node, its place in the forest and the core.
    places: Vec<Place>,
    /// Every node's children, grouped by parent, each group in preorder.
    children: Vec<NodeId>,
    /// `child_tin[i]`: the preorder number of `children[i]`, for the binary search.
    child_tin: Vec<u32>,
    /// Per node, how many of its children are still in the network.
    live_children: Vec<u32>,
    /// Per node: [`NONE`] for a non-destination, else the core table of its anchor, or
    /// [`NO_TABLE`].
    dest_slot: Vec<u32>,
    destinations: Vec<NodeId>,
    /// `tables[slot][core index]`: the next hop from a core node towards the anchor `slot`.
    tables: Vec<Vec<Option<Hop>>>,
}

impl PartialEq for Routes {
    /// The same destinations and, from every node towards each of them, the same next hop
    /// (however the forest was rooted).
    fn eq(&self, other: &Routes) -> bool {
        let n = self.places.len();
        self.destinations == other.destinations
            && n == other.places.len()
            && self.destinations.iter().all(|&d| {
                (0..n).all(|u| {
                    let u = NodeId(u as u32);
                    self.next_hop(u, d) == other.next_hop(u, d)
                })
            })
    }
}

/// The weight of link `l` under the overrides `weights`, `None` for a disabled link.
fn weight_of(topology: &Topology, weights: &[RouteWeight], l: LinkId) -> Option<u64> {
    match weights.get(l.index()).copied().unwrap_or_default() {
        RouteWeight::Normal => Some(link_weight(topology.link(l))),
        RouteWeight::Attract => Some(1),
        RouteWeight::Disabled => None,
    }
}

/// The next hops of every core node towards the core node `anchor` (indexed by core index),
/// from one Dijkstra run over the core.
fn core_table(
    topology: &Topology,
    weights: &[RouteWeight],
    places: &[Place],
    core_nodes: &[NodeId],
    anchor: NodeId,
) -> Vec<Option<Hop>> {
    let in_core = |n: usize| places[n].core != NONE;
    let usable_link = |l: LinkId| weight_of(topology, weights, l).is_some();
    let graph = topology.graph();
    let core = EdgeFiltered::from_fn(graph, |e: EdgeReference<'_, LinkSpec>| {
        in_core(e.source().index())
            && in_core(e.target().index())
            && usable_link(LinkId(e.id().index() as u32))
    });
    let dist = dijkstra(&core, NodeIndex::new(anchor.index()), None, |e| {
        weight_of(topology, weights, LinkId(e.id().index() as u32)).unwrap_or(MAX_LINK_WEIGHT)
    });
    core_nodes
        .iter()
        .map(|&u| {
            if u == anchor || !dist.contains_key(&NodeIndex::new(u.index())) {
                return None;
            }
            topology
                .neighbours(u)
                .filter(|(_, v)| in_core(v.index()))
                .filter_map(|(l, v)| {
                    let w = weight_of(topology, weights, l)?;
                    let dv = *dist.get(&NodeIndex::new(v.index()))?;
                    Some((w.saturating_add(dv), l, v))
                })
                .min_by_key(|&(cost, l, _)| (cost, l))
                .map(|(_, link, next)| Hop { link, next })
        })
        .collect()
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
    /// Asks the memory for node `at`'s place in the forest, the first thing
    /// [`Routes::next_hop`] reads from it (`crate::prefetch`); changes nothing.
    #[inline]
    pub(crate) fn prefetch(&self, at: NodeId) {
        crate::prefetch::prefetch_at(&self.places, at.index());
    }

    /// Routes towards `destinations` over the live nodes (`alive[node]`).
    pub fn compute(topology: &Topology, alive: &[bool], destinations: &[NodeId]) -> Routes {
        Routes::compute_weighted(topology, alive, destinations, &[])
    }

    /// Routes as [`Routes::compute`], with some links' weights overridden (`weights[link]`;
    /// links past the slice's end are [`RouteWeight::Normal`]): an attracting link weighs 1 ns,
    /// a disabled one is not used.
    pub fn compute_weighted(
        topology: &Topology,
        alive: &[bool],
        destinations: &[NodeId],
        weights: &[RouteWeight],
    ) -> Routes {
        let n = topology.node_count();
        let usable = |u: usize| alive.get(u).copied().unwrap_or(false);
        let enabled = |l: LinkId| {
            !matches!(
                weights.get(l.index()).copied().unwrap_or_default(),
                RouteWeight::Disabled
            )
        };
        // The links each usable node keeps to other usable nodes (self-loops never route).
        let live_links = |u: NodeId| {
            topology
                .neighbours(u)
                .filter(move |&(l, v)| v != u && usable(v.index()) && enabled(l))
        };
        let mut places = vec![GONE; n];
        let mut degree: Vec<u32> = (0..n)
            .map(|u| {
                if usable(u) {
                    live_links(NodeId(u as u32)).count() as u32
                } else {
                    0
                }
            })
            .collect();
        // Peel nodes with one link left, leaves first; a node left with none is a tree's root.
        const CORE: u8 = 0;
        const PEELED: u8 = 1;
        const ROOT: u8 = 2;
        let mut state = vec![CORE; n];
        let mut order: Vec<u32> = (0..n as u32)
            .filter(|&u| usable(u as usize) && degree[u as usize] <= 1)
            .collect();
        let mut next = 0;
        while next < order.len() {
            let x = order[next] as usize;
            next += 1;
            if degree[x] == 0 {
                state[x] = ROOT;
                continue;
            }
            let (l, y) = live_links(NodeId(x as u32))
                .find(|&(_, y)| state[y.index()] != PEELED)
                .expect("a node with one link left has a neighbour not yet peeled");
            state[x] = PEELED;
            places[x].up_link = l.0;
            places[x].up_node = y.0;
            degree[x] = 0;
            degree[y.index()] -= 1;
            if degree[y.index()] == 1 {
                order.push(y.0);
            }
        }
        drop(degree);
        // Core nodes, numbered in node order; components over the core.
        let mut core_nodes = Vec::new();
        for u in 0..n {
            if usable(u) && state[u] == CORE {
                places[u].core = core_nodes.len() as u32;
                core_nodes.push(NodeId(u as u32));
            }
        }
        let mut comps = 0u32;
        let mut stack = Vec::new();
        for &c in &core_nodes {
            if places[c.index()].comp != NONE {
                continue;
            }
            places[c.index()].comp = comps;
            stack.push(c);
            while let Some(u) = stack.pop() {
                for (_, v) in live_links(u) {
                    if state[v.index()] == CORE && places[v.index()].comp == NONE {
                        places[v.index()].comp = comps;
                        stack.push(v);
                    }
                }
            }
            comps += 1;
        }
        // Children grouped by parent (in node order within a parent), and subtree sizes from
        // the peeling order (every node peeled before its parent).
        let mut count = vec![0u32; n + 1];
        for u in 0..n {
            if state[u] == PEELED && usable(u) {
                count[places[u].up_node as usize + 1] += 1;
            }
        }
        for u in 0..n {
            count[u + 1] += count[u];
        }
        let mut children = vec![NodeId(0); count[n] as usize];
        let mut fill = count.clone();
        for u in 0..n {
            places[u].first_child = count[u];
            places[u].end_child = count[u + 1];
            if state[u] == PEELED && usable(u) {
                let p = places[u].up_node as usize;
                children[fill[p] as usize] = NodeId(u as u32);
                fill[p] += 1;
            }
        }
        drop(fill);
        drop(count);
        let mut size = vec![1u32; n];
        for &x in &order {
            let x = x as usize;
            if state[x] == PEELED {
                size[places[x].up_node as usize] += size[x];
            }
        }
        // Preorder over each root's tree: core nodes and tree roots, in node order.
        let mut root_of = vec![NONE; n];
        let mut tin = 0u32;
        for r in 0..n {
            if !usable(r) || state[r] == PEELED {
                continue;
            }
            if state[r] == ROOT {
                places[r].comp = comps;
                comps += 1;
            }
            let comp = places[r].comp;
            stack.push(NodeId(r as u32));
            while let Some(u) = stack.pop() {
                let p = &mut places[u.index()];
                p.tin = tin;
                p.tout = tin + size[u.index()] - 1;
                p.comp = comp;
                tin += 1;
                root_of[u.index()] = r as u32;
                let kids = p.first_child as usize..p.end_child as usize;
                stack.extend(children[kids].iter().rev());
            }
        }
        drop(size);
        let child_tin: Vec<u32> = children.iter().map(|c| places[c.index()].tin).collect();
        let live_children: Vec<u32> = places.iter().map(|p| p.end_child - p.first_child).collect();
        // Destinations, each with the table of its anchor (its tree's core node).
        let mut dest_slot = vec![NONE; n];
        let mut dests = Vec::new();
        let mut anchors: Vec<NodeId> = Vec::new();
        let mut anchor_slot = vec![NONE; core_nodes.len()];
        for &d in destinations {
            if d.index() >= n || dest_slot[d.index()] != NONE {
                continue;
            }
            dests.push(d);
            let a = root_of[d.index()] as usize;
            dest_slot[d.index()] = if a != NONE as usize && state[a] == CORE {
                let c = places[a].core as usize;
                if anchor_slot[c] == NONE {
                    anchor_slot[c] = anchors.len() as u32;
                    anchors.push(NodeId(a as u32));
                }
                anchor_slot[c]
            } else {
                NO_TABLE
            };
        }
        let tables = anchors
            .iter()
            .map(|&a| core_table(topology, weights, &places, &core_nodes, a))
            .collect();
        Routes {
            places,
            children,
            child_tin,
            live_children,
            dest_slot,
            destinations: dests,
            tables,
        }
    }

    /// Takes `node` out of the routes, `usable` (and `weights`) being the state after its
    /// removal. A node outside the core with no live node below it (a leaf) is marked gone in
    /// O(1); any other removal computes the routes again. The result routes as
    /// [`Routes::compute_weighted`] over `usable` would (a property test checks it).
    pub fn remove(
        &mut self,
        topology: &Topology,
        usable: &[bool],
        weights: &[RouteWeight],
        node: NodeId,
    ) {
        let Some(&place) = self.places.get(node.index()) else {
            return;
        };
        if place.comp == NONE {
            return;
        }
        if place.core == NONE && self.live_children[node.index()] == 0 {
            self.places[node.index()] = GONE;
            if place.up_node != NONE {
                self.live_children[place.up_node as usize] -= 1;
            }
            return;
        }
        let destinations = std::mem::take(&mut self.destinations);
        *self = Routes::compute_weighted(topology, usable, &destinations, weights);
    }

    /// The next hop from `at` towards `dst`, or `None` if `dst` is unreachable (or `at == dst`,
    /// or `dst` is not one of the destinations).
    #[inline]
    pub fn next_hop(&self, at: NodeId, dst: NodeId) -> Option<Hop> {
        let slot = *self.dest_slot.get(dst.index())?;
        if slot == NONE || at == dst {
            return None;
        }
        let u = self.places.get(at.index())?;
        let d = &self.places[dst.index()];
        if u.comp == NONE || u.comp != d.comp {
            return None;
        }
        if u.tin < d.tin && d.tin <= u.tout {
            // `dst` hangs below `at`: the child whose subtree holds it.
            let (first, end) = (u.first_child as usize, u.end_child as usize);
            let i = first + self.child_tin[first..end].partition_point(|&t| t <= d.tin) - 1;
            let next = self.children[i];
            return Some(Hop {
                link: LinkId(self.places[next.index()].up_link),
                next,
            });
        }
        if u.up_link != NONE {
            return Some(Hop {
                link: LinkId(u.up_link),
                next: NodeId(u.up_node),
            });
        }
        if u.core == NONE || slot == NO_TABLE {
            return None;
        }
        self.tables[slot as usize][u.core as usize]
    }

    /// The destinations these routes serve.
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
            if path.len() > self.places.len() {
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
    use crate::topology::{DeviceSpec, Layer, LinkClass, NodeClass, NodeSpec};
    use crate::units::{BitsPerSecond, Hertz, Joules, Watts};
    use proptest::prelude::*;
    use std::sync::Arc;

    /// The reference: one Dijkstra per destination over the whole graph restricted to live
    /// nodes, and at every node the neighbour minimising `w + dist` (lower link id on ties), as
    /// routes were computed before the forest and the core.
    fn reference(
        topology: &Topology,
        alive: &[bool],
        weights: &[RouteWeight],
        d: NodeId,
    ) -> Vec<Option<Hop>> {
        let n = topology.node_count();
        let mut table = vec![None; n];
        if !alive[d.index()] {
            return table;
        }
        let live = EdgeFiltered::from_fn(topology.graph(), |e: EdgeReference<'_, LinkSpec>| {
            alive[e.source().index()]
                && alive[e.target().index()]
                && weight_of(topology, weights, LinkId(e.id().index() as u32)).is_some()
        });
        let dist = dijkstra(&live, NodeIndex::new(d.index()), None, |e| {
            weight_of(topology, weights, LinkId(e.id().index() as u32)).unwrap_or(MAX_LINK_WEIGHT)
        });
        for u in topology.node_ids() {
            if u == d || !alive[u.index()] || !dist.contains_key(&NodeIndex::new(u.index())) {
                continue;
            }
            table[u.index()] = topology
                .neighbours(u)
                .filter(|(_, v)| alive[v.index()])
                .filter_map(|(l, v)| {
                    let w = weight_of(topology, weights, l)?;
                    let dv = *dist.get(&NodeIndex::new(v.index()))?;
                    Some((w.saturating_add(dv), l, v))
                })
                .min_by_key(|&(cost, l, _)| (cost, l))
                .map(|(_, link, next)| Hop { link, next });
        }
        table
    }

    /// Whether `routes` give, from every node towards every node, what the reference gives
    /// towards the destinations and nothing towards the others.
    fn matches_reference(
        routes: &Routes,
        topo: &Topology,
        alive: &[bool],
        weights: &[RouteWeight],
        dests: &[NodeId],
    ) -> Result<(), String> {
        let n = topo.node_count();
        for d in topo.node_ids() {
            let want = if dests.contains(&d) {
                reference(topo, alive, weights, d)
            } else {
                vec![None; n]
            };
            for u in topo.node_ids() {
                let got = routes.next_hop(u, d);
                if got != want[u.index()] {
                    return Err(format!(
                        "from {u:?} towards {d:?}: {got:?}, expected {:?}",
                        want[u.index()]
                    ));
                }
            }
        }
        Ok(())
    }

    fn node() -> NodeSpec {
        NodeSpec::new(
            "n".into(),
            NodeClass {
                group: "g".into(),
                layer: Layer::Network,
                device: DeviceSpec {
                    station: None,
                    battery: None,
                    sleep_power: Watts(0.0),
                    cpu_hz: Hertz(1e9),
                    energy_per_cycle: Joules(0.0),
                }
                .into(),
            },
        )
    }

    fn link(ms: u8) -> LinkSpec {
        LinkSpec::new(
            "l".into(),
            LinkClass {
                group: "l".into(),
                rate: BitsPerSecond(f64::INFINITY),
                latency: Dist::constant(f64::from(ms) * 1e-3).unwrap().into(),
                loss: 0.0,
                tx_energy_per_bit: Joules(0.0),
                rx_energy_per_bit: Joules(0.0),
            },
        )
    }

    /// A random graph: `n` nodes, each but the first linked to a random earlier one (a random
    /// tree, so that some branches hang off the rest), plus `extra` random links (cycles,
    /// parallel links, self-loops), each with a latency of 1–4 ms (ties happen, and must break
    /// the same way).
    fn graph(n: usize, parents: &[usize], extra: &[(usize, usize, u8)]) -> Topology {
        let mut topo = Topology::new();
        for _ in 0..n {
            topo.add_node(node());
        }
        for i in 1..n {
            let p = parents.get(i).map_or(i - 1, |&p| p % i);
            topo.add_link(NodeId(p as u32), NodeId(i as u32), link(1 + (i % 4) as u8));
        }
        for &(a, b, ms) in extra {
            topo.add_link(
                NodeId((a % n) as u32),
                NodeId((b % n) as u32),
                link(1 + ms % 4),
            );
        }
        topo
    }

    fn weight(k: u8) -> RouteWeight {
        match k % 8 {
            0 => RouteWeight::Disabled,
            1 => RouteWeight::Attract,
            _ => RouteWeight::Normal,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// On random graphs with dead nodes and overridden weights, the next hop from every
        /// node towards every node is the one-Dijkstra-per-destination reference's.
        #[test]
        fn next_hops_equal_one_dijkstra_per_destination(
            n in 1usize..30,
            parents in proptest::collection::vec(0usize..30, 30),
            extra in proptest::collection::vec((0usize..30, 0usize..30, any::<u8>()), 0..12),
            dests in proptest::collection::vec(0usize..30, 1..8),
            dead in proptest::collection::vec(0usize..30, 0..4),
            kinds in proptest::collection::vec(any::<u8>(), 0..45),
        ) {
            let topo = graph(n, &parents, &extra);
            let dests: Vec<NodeId> = dests.iter().map(|&d| NodeId((d % n) as u32)).collect();
            let mut alive = vec![true; n];
            for d in dead {
                alive[d % n] = false;
            }
            let weights: Vec<RouteWeight> = kinds.iter().map(|&k| weight(k)).collect();
            let routes = Routes::compute_weighted(&topo, &alive, &dests, &weights);
            prop_assert_eq!(matches_reference(&routes, &topo, &alive, &weights, &dests), Ok(()));
        }

        /// Taking nodes out one by one, incrementally, gives exactly the next hops a full
        /// recomputation over the remaining nodes gives.
        #[test]
        fn removing_nodes_incrementally_equals_recomputing(
            n in 2usize..24,
            parents in proptest::collection::vec(0usize..24, 24),
            extra in proptest::collection::vec((0usize..24, 0usize..24, any::<u8>()), 0..10),
            dests in proptest::collection::vec(0usize..24, 1..5),
            removals in proptest::collection::vec(0usize..24, 1..8),
            kinds in proptest::collection::vec(any::<u8>(), 0..34),
        ) {
            let topo = graph(n, &parents, &extra);
            let dests: Vec<NodeId> = dests.iter().map(|&d| NodeId((d % n) as u32)).collect();
            let weights: Vec<RouteWeight> = kinds.iter().map(|&k| weight(k)).collect();
            let mut usable = vec![true; n];
            let mut routes = Routes::compute_weighted(&topo, &usable, &dests, &weights);
            for r in removals {
                let node = NodeId((r % n) as u32);
                usable[node.index()] = false;
                routes.remove(&topo, &usable, &weights, node);
                let full = Routes::compute_weighted(&topo, &usable, &dests, &weights);
                prop_assert!(routes == full, "after removing {node:?}");
                prop_assert_eq!(
                    matches_reference(&routes, &topo, &usable, &weights, &dests),
                    Ok(())
                );
            }
        }
    }

    /// A star: hub 0 and leaves 1..=5.
    fn star() -> Topology {
        let mut topo = Topology::new();
        for _ in 0..=5 {
            topo.add_node(node());
        }
        for i in 1..=5u32 {
            topo.add_link(NodeId(0), NodeId(i), link(1));
        }
        topo
    }

    #[test]
    fn shared_routes_are_computed_once_per_destinations_and_weights_and_forgotten_on_a_change() {
        let mut topo = star();
        let dests = [NodeId(0), NodeId(5)];
        let a = topo.shared_routes(&dests, &[]);
        // The same destinations, weights spelled out or not: the very same tables.
        let b = topo.shared_routes(&dests, &[RouteWeight::Normal; 5]);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(*a == Routes::compute(&topo, &[true; 6], &dests));
        // Destinations are a set: another order, repeats, the same routes.
        let again = topo.shared_routes(&[NodeId(5), NodeId(0), NodeId(5)], &[]);
        assert!(Arc::ptr_eq(&a, &again));
        // Fewer destinations: the routes towards more answer only a caller that accepts them.
        assert!(Arc::ptr_eq(
            &a,
            &topo.shared_routes_covering(&[NodeId(5)], &[])
        ));
        let own = topo.shared_routes(&[NodeId(5)], &[]);
        assert!(!Arc::ptr_eq(&a, &own));
        assert_eq!(own.destinations(), [NodeId(5)]);
        assert_eq!(own.next_hop(NodeId(1), NodeId(0)), None);
        // Not covered (node 2 is not among a's destinations): computed.
        let wider = topo.shared_routes_covering(&[NodeId(2), NodeId(5)], &[]);
        assert!(!Arc::ptr_eq(&a, &wider));
        assert_eq!(
            wider.next_hop(NodeId(1), NodeId(2)).map(|h| h.next),
            Some(NodeId(0))
        );
        // Other weights or other destinations: their own routes, equal to a computation.
        let cut = [RouteWeight::Normal, RouteWeight::Disabled];
        let c = topo.shared_routes(&dests, &cut);
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(*c == Routes::compute_weighted(&topo, &[true; 6], &dests, &cut));
        assert_eq!(c.next_hop(NodeId(2), NodeId(0)), None);
        assert!(Arc::ptr_eq(&c, &topo.shared_routes(&dests, &cut)));
        let d = topo.shared_routes(&[NodeId(1)], &[]);
        assert_eq!(d.destinations(), [NodeId(1)]);
        // A new node behind leaf 5 changes the routes towards 5: they are computed again.
        let far = topo.add_node(node());
        topo.add_link(NodeId(5), far, link(1));
        let e = topo.shared_routes(&dests, &[]);
        assert!(!Arc::ptr_eq(&a, &e));
        assert!(*e == Routes::compute(&topo, &[true; 7], &dests));
        assert_eq!(e.next_hop(far, NodeId(0)).map(|h| h.next), Some(NodeId(5)));
    }

    #[test]
    fn a_leaf_leaving_recomputes_nothing() {
        // Routes towards the hub and towards leaf 5. A leaf is nobody's next hop: its removal
        // only takes it out, and the others keep their routes.
        let topo = star();
        let mut usable = vec![true; 6];
        let dests = [NodeId(0), NodeId(5)];
        let mut routes = Routes::compute(&topo, &usable, &dests);
        let before = routes.clone();
        usable[3] = false;
        routes.remove(&topo, &usable, &[], NodeId(3));
        assert_eq!(routes.next_hop(NodeId(3), NodeId(0)), None);
        assert_eq!(routes.places[3], GONE);
        // Nothing else moved: the same forest, the same preorder numbers.
        assert_eq!(routes.places[4], before.places[4]);
        assert_eq!(routes.live_children[0], 4);
        for i in [1u32, 2, 4] {
            assert_eq!(
                routes.next_hop(NodeId(i), NodeId(5)),
                Some(Hop {
                    link: LinkId(i - 1),
                    next: NodeId(0)
                })
            );
        }
        assert_eq!(
            routes.next_hop(NodeId(0), NodeId(5)),
            Some(Hop {
                link: LinkId(4),
                next: NodeId(5)
            })
        );
    }

    #[test]
    fn a_tree_needs_no_table_and_a_ring_one_per_anchor() {
        // The star is a tree: no Dijkstra at all, whatever the destinations.
        let topo = star();
        let all: Vec<NodeId> = topo.node_ids().collect();
        let routes = Routes::compute(&topo, &[true; 6], &all);
        assert!(routes.tables.is_empty());
        // A ring of four with a leaf hanging off each ring node: towards the four leaves, one
        // table per ring node (their anchors), each over the four ring nodes only.
        let mut ring = Topology::new();
        for _ in 0..8 {
            ring.add_node(node());
        }
        for i in 0..4u32 {
            ring.add_link(NodeId(i), NodeId((i + 1) % 4), link(1));
            ring.add_link(NodeId(i), NodeId(i + 4), link(2));
        }
        let leaves: Vec<NodeId> = (4..8).map(NodeId).collect();
        let routes = Routes::compute(&ring, &[true; 8], &leaves);
        assert_eq!(routes.tables.len(), 4);
        assert!(routes.tables.iter().all(|t| t.len() == 4));
        // Leaf 4 (on ring node 0) to leaf 6 (on ring node 2): up, around the ring, down.
        assert_eq!(
            routes.path(NodeId(4), NodeId(6)).unwrap(),
            [4, 0, 1, 2, 6].map(NodeId)
        );
    }
}
