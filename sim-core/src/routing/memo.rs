//! The routes of a topology with every node alive, remembered so that replications (and
//! threads), the scenario's checks and its event estimate share one copy instead of computing
//! their own.

use super::Routes;
use crate::hooks::RouteWeight;
use crate::ids::NodeId;
use crate::topology::Topology;
use std::sync::{Arc, Mutex};

/// The routes of a topology with every node alive, computed at the first request and shared
/// read-only by the later ones (and across threads): a replication only copies them when a
/// node leaves or a weight changes ([`Arc::make_mut`]). Remembered by destinations (as a set:
/// order and repeats do not matter) and weight overrides, a few sets at a time; a clone of
/// the topology starts with none.
#[derive(Debug, Default)]
pub(crate) struct RouteMemo(Mutex<Vec<MemoEntry>>);

/// One remembered set of routes: its destinations among the topology's nodes, sorted without
/// repeats, the links whose weight is not [`RouteWeight::Normal`], and the routes.
type MemoEntry = (Vec<NodeId>, Vec<(u32, RouteWeight)>, Arc<Routes>);

/// Sets of routes a topology remembers at most.
const MEMO_SETS: usize = 4;

impl Clone for RouteMemo {
    fn clone(&self) -> Self {
        RouteMemo::default()
    }
}

/// Whether the sorted, repeat-free `small` is a subset of the sorted, repeat-free `big`.
fn subset(small: &[NodeId], big: &[NodeId]) -> bool {
    let mut rest = big;
    small.iter().all(|d| match rest.binary_search(d) {
        Ok(i) => {
            rest = &rest[i + 1..];
            true
        }
        Err(_) => false,
    })
}

impl RouteMemo {
    /// The routes over `topology` with every node alive towards `destinations`, under the
    /// weight overrides `weights` (as in [`Routes::compute_weighted`]). With `covering`, a
    /// remembered set towards more destinations also answers (its next hops towards the
    /// requested ones are the same, but it has routes towards the others too: only for a
    /// caller that asks for the requested destinations alone).
    pub(crate) fn get(
        &self,
        topology: &Topology,
        destinations: &[NodeId],
        weights: &[RouteWeight],
        covering: bool,
    ) -> Arc<Routes> {
        let overrides: Vec<(u32, RouteWeight)> = weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != RouteWeight::Normal)
            .map(|(i, w)| (i as u32, *w))
            .collect();
        // The destinations as a sorted set of the topology's nodes (the routes ignore the
        // others), without copying a list that may name each one many times.
        let mut named = vec![false; topology.node_count()];
        for d in destinations {
            if let Some(x) = named.get_mut(d.index()) {
                *x = true;
            }
        }
        let set: Vec<NodeId> = (0..named.len() as u32)
            .filter(|&u| named[u as usize])
            .map(NodeId)
            .collect();
        drop(named);
        let known = |memo: &[MemoEntry]| {
            memo.iter()
                .find(|(d, w, _)| *w == overrides && (*d == set || (covering && subset(&set, d))))
                .map(|(_, _, r)| Arc::clone(r))
        };
        if let Some(routes) = known(&self.0.lock().unwrap_or_else(|e| e.into_inner())) {
            return routes;
        }
        // Computed outside the lock: two threads may both compute the same (equal) routes.
        let alive = vec![true; topology.node_count()];
        let routes = Arc::new(Routes::compute_weighted(
            topology,
            &alive,
            destinations,
            weights,
        ));
        let mut memo = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(routes) = known(&memo) {
            return routes;
        }
        if memo.len() < MEMO_SETS {
            memo.push((set, overrides, Arc::clone(&routes)));
        }
        routes
    }
}
