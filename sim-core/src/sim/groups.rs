//! Node groups: the scenario's named sets of alike nodes (`ward-ecg`, `gateway`), by which
//! energy, batteries and queues are reported.
//!
//! Invariant: groups are numbered in order of first appearance in the topology's node order,
//! and `of_node[n]` indexes `list` for every node `n`.

use crate::ids::NodeId;
use crate::topology::{Layer, Topology};
use std::collections::HashMap;

/// The node groups of a topology and each node's group.
#[derive(Debug)]
pub(super) struct NodeGroups {
    /// (name, layer) of each group.
    list: Vec<(String, Layer)>,
    of_node: Vec<u32>,
}

impl NodeGroups {
    /// The groups of `topo`.
    pub(super) fn new(topo: &Topology) -> NodeGroups {
        let mut list: Vec<(String, Layer)> = Vec::new();
        let mut index: HashMap<&str, u32> = HashMap::new();
        let of_node = topo
            .node_ids()
            .map(|id| {
                let spec = topo.node(id);
                *index.entry(&*spec.group).or_insert_with(|| {
                    list.push((spec.group.to_string(), spec.layer));
                    list.len() as u32 - 1
                })
            })
            .collect();
        NodeGroups { list, of_node }
    }

    /// The number of groups.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    /// Each group's name and layer, by group index.
    #[inline]
    pub(super) fn list(&self) -> &[(String, Layer)] {
        &self.list
    }

    /// The group index of a node.
    #[inline]
    pub(super) fn of(&self, node: NodeId) -> usize {
        self.of_node[node.index()] as usize
    }
}
