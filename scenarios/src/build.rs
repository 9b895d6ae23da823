//! From a checked [`Scenario`] to a ready-to-run model: groups expanded into named nodes,
//! patterns into links, streams into sources, attacks and defenses onto link ids.

use crate::scenario::{Attack, Defense, Pattern, Scenario};
use attacks::{Eavesdropper, LinkEncryption, SecurityLayer, SecuritySpec};
use sim_core::{
    LinkId, LinkSpec, Model, NodeId, NodeSpec, RunConfig, SimError, Simulation, SourceSpec,
    Topology, rng,
};

/// A scenario expanded into the engine's terms, shared read-only by every replication.
#[derive(Clone, Debug)]
pub struct Built {
    /// The engine model.
    pub model: Model,
    /// The attacks and defenses.
    pub security: SecuritySpec,
    /// `group_nodes[g]`: the nodes of group g, in index order.
    pub group_nodes: Vec<Vec<NodeId>>,
    /// `link_groups[k]`: the links expanded from link group k.
    pub link_groups: Vec<Vec<LinkId>>,
    /// Base seed of the scenario.
    pub seed: u64,
}

impl Scenario {
    /// Expands the scenario. Cannot fail: everything was checked.
    pub fn build(&self) -> Built {
        let mut topology = Topology::new();
        let group_nodes: Vec<Vec<NodeId>> = self
            .groups
            .iter()
            .map(|g| {
                (0..g.count)
                    .map(|i| {
                        topology.add_node(NodeSpec {
                            name: format!("{}[{i}]", g.name),
                            group: g.name.clone(),
                            layer: g.layer,
                            device: g.device.clone(),
                        })
                    })
                    .collect()
            })
            .collect();
        let link_groups: Vec<Vec<LinkId>> = self
            .links
            .iter()
            .map(|lg| {
                let to = &group_nodes[lg.to];
                let mut ids = Vec::new();
                for &f in &lg.from {
                    let from = &group_nodes[f];
                    for (i, &a) in from.iter().enumerate() {
                        let b = match lg.pattern {
                            Pattern::Pairwise => to[i % to.len()],
                            Pattern::FanIn => to[i * to.len() / from.len()],
                        };
                        let spec = LinkSpec {
                            name: format!(
                                "{}:{}-{}",
                                lg.name,
                                topology.node(a).name,
                                topology.node(b).name
                            ),
                            ..lg.template.clone()
                        };
                        ids.push(topology.add_link(a, b, spec));
                    }
                }
                ids
            })
            .collect();
        let mut sources = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            for (i, &node) in group_nodes[g].iter().enumerate() {
                for s in &group.streams {
                    let dsts = &group_nodes[s.to];
                    sources.push(SourceSpec {
                        name: format!("{}[{i}]/{}", group.name, s.name),
                        node,
                        dst: dsts[i % dsts.len()],
                        arrivals: s.arrivals.clone(),
                        size: s.size,
                        records: s.records,
                        class: s.class,
                        deadline: s.deadline,
                    });
                }
            }
        }
        let links_of = |groups: &[usize]| -> Vec<LinkId> {
            groups
                .iter()
                .flat_map(|&k| link_groups[k].iter().copied())
                .collect()
        };
        let mut security = SecuritySpec::default();
        for a in &self.attacks {
            match a {
                Attack::Eavesdrop {
                    name,
                    links,
                    window,
                    capture_probability,
                } => security.eavesdroppers.push(Eavesdropper {
                    name: name.clone(),
                    links: links_of(links),
                    window: *window,
                    capture_probability: *capture_probability,
                }),
            }
        }
        for d in &self.defenses {
            match d {
                Defense::LinkEncryption {
                    name,
                    links,
                    cipher,
                    ..
                } => security.link_encryption.push(LinkEncryption {
                    name: name.clone(),
                    cipher: *cipher,
                    links: links_of(links),
                }),
            }
        }
        Built {
            model: Model {
                topology,
                sources,
                config: RunConfig {
                    duration: self.duration,
                    warmup: self.warmup,
                    time_grid: Some(self.time_grid),
                },
            },
            security,
            group_nodes,
            link_groups,
            seed: self.seed,
        }
    }
}

impl Built {
    /// Replication `index`'s simulation, seeded from the scenario's base seed
    /// ([`sim_core::rng::replication_seed`]).
    pub fn replication(&self, index: u32) -> Result<Simulation<'_, SecurityLayer>, SimError> {
        self.with_seed(rng::replication_seed(self.seed, index))
    }

    /// The simulation for an explicit master seed.
    pub fn with_seed(&self, seed: u64) -> Result<Simulation<'_, SecurityLayer>, SimError> {
        let hooks = self
            .security
            .instantiate(self.model.topology.link_count(), seed);
        Simulation::new(&self.model, seed, hooks)
    }
}
