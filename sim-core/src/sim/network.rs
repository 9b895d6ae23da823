//! Which nodes are in the network and how packets find their way around the others.
//!
//! A node leaves the network for good when its battery empties (dead), and for a while when
//! the security layer takes it out (isolated by a defense, encrypted by ransomware:
//! [`Action::SetAvailable`](crate::hooks::Action::SetAvailable)). The security layer may also
//! override a link's routing weight ([`Action::Route`](crate::hooks::Action::Route)). Routes are
//! shortest paths by latency ([`crate::routing`]), computed once per topology and shared by all
//! replications (a replication copies them when they first change), and recomputed only when
//! one of these changes.
//!
//! Nodes leaving the network are taken out of the routes incrementally (a leaf in O(1), any
//! other node by computing the routes again, see [`Routes::remove`]); a node coming back or a
//! changed weight computes them again.
//!
//! Invariant: after [`Network::reroute`], `routes` are the routes over the nodes that are both
//! alive and available, under the current `weights`, towards the same destinations as the
//! first routes; between a change and that call, `removed` lists the nodes that left and
//! `full` says whether anything else changed.

use crate::hooks::RouteWeight;
use crate::ids::{LinkId, NodeId};
use crate::routing::{Hop, Routes};
use crate::topology::Topology;
use std::sync::Arc;

/// The nodes' state and the routes over the usable ones.
#[derive(Debug)]
pub(super) struct Network {
    alive: Vec<bool>,
    available: Vec<bool>,
    /// Per link, the security layer's routing override.
    weights: Vec<RouteWeight>,
    /// Per link, whether a roaming client is detached from it (another access point serves
    /// it); empty without roaming clients. Routes see a detached link as disabled.
    detached: Vec<bool>,
    /// Scratch: `weights` with the detached links disabled.
    merged: Vec<RouteWeight>,
    /// Shared with the other replications until this one's routes change.
    routes: Arc<Routes>,
    /// Scratch: whether each node is usable, rebuilt at each recomputation.
    usable: Vec<bool>,
    /// Nodes that left the network since the last reroute.
    removed: Vec<NodeId>,
    /// Whether something other than a node leaving changed since the last reroute.
    full: bool,
}

impl Network {
    /// Every node of `topo` alive and available, routes towards `destinations`.
    pub(super) fn new(topo: &Topology, destinations: &[NodeId]) -> Network {
        let n = topo.node_count();
        let alive = vec![true; n];
        Network {
            routes: topo.shared_routes(destinations, &[]),
            alive,
            available: vec![true; n],
            weights: vec![RouteWeight::Normal; topo.link_count()],
            detached: Vec::new(),
            merged: Vec::new(),
            usable: Vec::with_capacity(n),
            removed: Vec::new(),
            full: false,
        }
    }

    /// The number of nodes.
    #[inline]
    pub(super) fn node_count(&self) -> usize {
        self.alive.len()
    }

    /// Whether each node is alive, in node order.
    #[inline]
    pub(super) fn alive(&self) -> &[bool] {
        &self.alive
    }

    /// Whether a node is alive (its battery, if any, not empty).
    #[inline]
    pub(super) fn is_alive(&self, node: NodeId) -> bool {
        self.alive[node.index()]
    }

    /// Whether a node is alive, `false` for a node that does not exist.
    #[inline]
    pub(super) fn exists_alive(&self, node: NodeId) -> bool {
        self.alive.get(node.index()).copied().unwrap_or(false)
    }

    /// Whether the security layer keeps a node in the network.
    #[inline]
    pub(super) fn is_available(&self, node: NodeId) -> bool {
        self.available[node.index()]
    }

    /// The routes in force.
    #[inline]
    pub(super) fn routes(&self) -> &Routes {
        &self.routes
    }

    /// Asks the memory for what a packet at `node` reads first: whether it is alive and
    /// available, and its place in the routes (`crate::prefetch`); changes nothing.
    #[inline]
    pub(super) fn prefetch(&self, node: NodeId) {
        crate::prefetch::prefetch_at(&self.alive, node.index());
        crate::prefetch::prefetch_at(&self.available, node.index());
        self.routes.prefetch(node);
    }

    /// The next hop from `at` towards `dst`, if there is a route.
    #[inline]
    pub(super) fn next_hop(&self, at: NodeId, dst: NodeId) -> Option<Hop> {
        self.routes.next_hop(at, dst)
    }

    /// Marks a node dead; returns whether it was alive. Routes are the caller's to recompute.
    pub(super) fn kill(&mut self, node: NodeId) -> bool {
        let was = std::mem::replace(&mut self.alive[node.index()], false);
        if was {
            self.removed.push(node);
        }
        was
    }

    /// Takes a node out of the network or brings it back; returns whether that changes
    /// anything (routes then need recomputing).
    pub(super) fn set_available(&mut self, node: NodeId, available: bool) -> bool {
        match self.available.get_mut(node.index()) {
            Some(a) if *a != available => {
                *a = available;
                if available {
                    self.full = true;
                } else {
                    self.removed.push(node);
                }
                true
            }
            _ => false,
        }
    }

    /// Overrides a link's routing weight; returns whether that changes anything.
    pub(super) fn set_weight(&mut self, link: LinkId, weight: RouteWeight) -> bool {
        match self.weights.get_mut(link.index()) {
            Some(w) if *w != weight => {
                *w = weight;
                self.full = true;
                true
            }
            _ => false,
        }
    }

    /// Attaches a roaming client's `link` (routes may use it) or detaches it; returns whether
    /// that changes anything (routes then need recomputing).
    pub(super) fn set_attached(&mut self, link: LinkId, attached: bool) -> bool {
        if self.detached.is_empty() {
            self.detached = vec![false; self.weights.len()];
        }
        match self.detached.get_mut(link.index()) {
            Some(d) if *d == attached => {
                *d = !attached;
                self.full = true;
                true
            }
            _ => false,
        }
    }

    /// Brings the routes up to date with the nodes that are alive and available and the
    /// security layer's weight overrides: nodes that only left are taken out incrementally,
    /// anything else recomputes every table.
    pub(super) fn reroute(&mut self, topo: &Topology) {
        self.usable.clear();
        self.usable.extend(
            self.alive
                .iter()
                .zip(&self.available)
                .map(|(&a, &b)| a && b),
        );
        let weights = if self.detached.is_empty() {
            &self.weights
        } else {
            self.merged.clear();
            self.merged.extend(
                self.weights
                    .iter()
                    .zip(&self.detached)
                    .map(|(&w, &d)| if d { RouteWeight::Disabled } else { w }),
            );
            &self.merged
        };
        if self.full {
            self.routes = Arc::new(Routes::compute_weighted(
                topo,
                &self.usable,
                self.routes.destinations(),
                weights,
            ));
        } else if !self.removed.is_empty() {
            let routes = Arc::make_mut(&mut self.routes);
            for &node in &self.removed {
                routes.remove(topo, &self.usable, weights, node);
            }
        }
        self.removed.clear();
        self.full = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::Dist;
    use crate::topology::{Layer, LinkClass, LinkSpec, NodeSpec};
    use crate::units::{BitsPerSecond, Joules};

    /// a — b — c, and a slower direct a — c.
    fn triangle() -> Topology {
        let mut topo = Topology::new();
        for name in ["a", "b", "c"] {
            topo.add_node(NodeSpec::plain(name, name, Layer::Network));
        }
        let link = |name: &str, latency: f64| {
            LinkSpec::new(
                name.into(),
                LinkClass {
                    group: name.into(),
                    rate: BitsPerSecond(1e9),
                    latency: Dist::constant(latency).unwrap().into(),
                    loss: 0.0,
                    tx_energy_per_bit: Joules(0.0),
                    rx_energy_per_bit: Joules(0.0),
                },
            )
        };
        topo.add_link(NodeId(0), NodeId(1), link("ab", 0.001));
        topo.add_link(NodeId(1), NodeId(2), link("bc", 0.001));
        topo.add_link(NodeId(0), NodeId(2), link("ac", 0.010));
        topo
    }

    #[test]
    fn routes_avoid_nodes_out_of_the_network_and_disabled_links() {
        let topo = triangle();
        let (a, b, c) = (NodeId(0), NodeId(1), NodeId(2));
        let mut net = Network::new(&topo, &[c]);
        assert_eq!(net.next_hop(a, c).map(|h| h.next), Some(b));
        assert!(net.set_available(b, false));
        assert!(
            !net.set_available(b, false),
            "no change, nothing to recompute"
        );
        net.reroute(&topo);
        assert_eq!(net.next_hop(a, c).map(|h| h.next), Some(c));
        assert!(net.set_available(b, true));
        assert!(net.set_weight(LinkId(2), RouteWeight::Disabled));
        net.reroute(&topo);
        assert_eq!(net.next_hop(a, c).map(|h| h.next), Some(b));
        // A dead node stays dead, and nothing routes through it.
        assert!(net.kill(b));
        assert!(!net.kill(b));
        net.reroute(&topo);
        assert_eq!(net.next_hop(a, c), None);
        assert_eq!(net.alive(), [true, false, true]);
        assert!(!net.exists_alive(NodeId(9)));
    }

    #[test]
    fn replications_share_the_first_routes_until_their_own_change() {
        let topo = triangle();
        let (a, b, c) = (NodeId(0), NodeId(1), NodeId(2));
        let mut one = Network::new(&topo, &[c]);
        let two = Network::new(&topo, &[c]);
        assert!(Arc::ptr_eq(&one.routes, &two.routes));
        // b leaves in the first replication only: the second still routes through it.
        assert!(one.kill(b));
        one.reroute(&topo);
        assert!(!Arc::ptr_eq(&one.routes, &two.routes));
        assert_eq!(one.next_hop(a, c).map(|h| h.next), Some(c));
        assert_eq!(two.next_hop(a, c).map(|h| h.next), Some(b));
        let three = Network::new(&topo, &[c]);
        assert!(Arc::ptr_eq(&three.routes, &two.routes));
    }
}
