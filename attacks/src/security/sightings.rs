//! Where an IDS sees an attack: the routes packets take on the network as built, and the nodes
//! an attack's packets pass through, target or act on.

use crate::network::Network;
use crate::origin::Origin;
use crate::spec::AttackSpec;
use sim_core::routing::Routes;
use sim_core::{Model, NodeId, RouteWeight};
use std::sync::Arc;

/// The routes packets take on the network as built (every node up, a wormhole's tunnel not
/// yet open), towards every node an attack's packets or the deployment's own can aim at: the
/// engine's own shortest-latency tables ([`Routes`]), so an IDS's view follows the same paths
/// as the packets. Computed once per model and shared by its replications, or those of the
/// scenario's checks when they cover these destinations.
pub(super) fn planned_routes(model: &Model, attacks: &[AttackSpec]) -> Arc<Routes> {
    let topo = &model.topology;
    let mut dsts: Vec<NodeId> = model.sources.iter().map(|s| s.dst).collect();
    for a in attacks {
        dsts.extend(a.targets.iter().copied());
    }
    let mut weights = vec![RouteWeight::Normal; topo.link_count()];
    for a in attacks {
        if let Some(w) = a.tunnel.and_then(|l| weights.get_mut(l.index())) {
            *w = RouteWeight::Disabled;
        }
    }
    topo.shared_routes_covering(&dsts, &weights)
}

/// Where an IDS sees attack `spec`: per node, whether the attack's packets pass through or
/// target it, or the attack acts on it. That is
///
/// - the nodes it targets (host attacks, and what its packets aim at) and enters from;
/// - with `from:`, every node on the route from each entry point to each target;
/// - the two ends of each link it targets (its frames are on that link) and, when it sends or
///   alters packets there (`makes` in its catalogue entry), every node after that link on the
///   routes of the sources crossing it, which its altered or replayed copies travel on;
/// - for a targeted node whose identity it forges, every node on the route of that node's
///   sources, which its forged readings follow.
///
/// Nothing else: a man-in-the-middle inside a carrier network is not seen by an IDS in a
/// cloud its traffic never reaches. Nodes it comes to hold during the run are added by
/// [`AttackState::seen_by`].
pub(super) fn sightings(spec: &AttackSpec, net: &Network, routes: &Routes) -> Vec<bool> {
    let mut seen = vec![false; net.layer.len()];
    let mark = |n: NodeId, seen: &mut Vec<bool>| {
        if let Some(x) = seen.get_mut(n.index()) {
            *x = true;
        }
    };
    let makes = crate::catalogue::attack(spec.kind).makes;
    for &n in spec.targets.iter().chain(&spec.from) {
        mark(n, &mut seen);
    }
    for &f in &spec.from {
        for &t in &spec.targets {
            for n in routes.path(f, t).unwrap_or_default() {
                mark(n, &mut seen);
            }
        }
    }
    // The ends of the targeted links, in both directions.
    let mut crossed = std::collections::HashSet::new();
    for l in &spec.links {
        let Some(&(a, b)) = net.link_ends.get(l.index()) else {
            continue;
        };
        mark(a, &mut seen);
        mark(b, &mut seen);
        crossed.insert((a, b));
        crossed.insert((b, a));
    }
    // Every node after a source's first crossing of a targeted link: the union, over the
    // links, of the nodes after each one's first crossing, with each route walked once.
    if makes.is_some() && !crossed.is_empty() {
        for s in &net.sources {
            let path = routes.path(s.node, s.dst).unwrap_or_default();
            let crossing = path
                .windows(2)
                .position(|w| crossed.contains(&(w[0], w[1])));
            if let Some(k) = crossing {
                for &n in &path[k + 1..] {
                    mark(n, &mut seen);
                }
            }
        }
    }
    if makes == Some(Origin::Forged) {
        for s in net
            .sources
            .iter()
            .filter(|s| spec.targets.contains(&s.node))
        {
            for n in routes.path(s.node, s.dst).unwrap_or_default() {
                mark(n, &mut seen);
            }
        }
    }
    seen
}
