//! From a checked [`Scenario`] to a ready-to-run model: groups expanded into named nodes,
//! patterns into links, streams into sources, attacks and defenses onto link ids.

use crate::scenario::{Attack, Defense, Pattern, Scenario};
use attacks::catalogue::{self, AttackKind, DefenseKind, Params};
use attacks::{AttackSpec, DefenseSpec, SecurityLayer, SecuritySpec};
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
            let senders = &group_nodes[g];
            for s in &group.streams {
                let dsts = &group_nodes[s.to];
                // (sender index, destination index) pairs of this stream.
                let pairs: Vec<(usize, usize)> = if s.per_destination {
                    (0..dsts.len()).map(|j| (j % senders.len(), j)).collect()
                } else {
                    (0..senders.len()).map(|i| (i, i % dsts.len())).collect()
                };
                for (i, j) in pairs {
                    let name = if s.per_destination {
                        format!(
                            "{}[{i}]/{}->{}",
                            group.name,
                            s.name,
                            topology.node(dsts[j]).name
                        )
                    } else {
                        format!("{}[{i}]/{}", group.name, s.name)
                    };
                    sources.push(SourceSpec {
                        name,
                        node: senders[i],
                        dst: dsts[j],
                        arrivals: s.arrivals.clone(),
                        size: s.size,
                        records: s.records,
                        class: s.class,
                        deadline: s.deadline,
                        ack: s.ack,
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
                } => {
                    let mut params =
                        Params::defaults(catalogue::attack(AttackKind::Eavesdrop).params);
                    params.set("capture_probability", *capture_probability);
                    security.attacks.push(AttackSpec {
                        name: name.clone(),
                        kind: AttackKind::Eavesdrop,
                        window: *window,
                        params,
                        links: links_of(links),
                        targets: Vec::new(),
                        from: Vec::new(),
                        after: None,
                        tunnel: None,
                    })
                }
            }
        }
        for d in &self.defenses {
            match d {
                Defense::LinkEncryption {
                    name,
                    links,
                    cipher,
                    encrypts,
                    ..
                } => security.defenses.push(DefenseSpec {
                    name: name.clone(),
                    kind: DefenseKind::LinkEncryption,
                    params: Params::defaults(&[]),
                    links: links_of(links),
                    targets: Vec::new(),
                    cipher: Some(*cipher),
                    encrypts: *encrypts,
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
    /// Engine events expected per simulated second with every node alive: each packet costs
    /// one emission, one arrival per hop and one service completion per station on its route.
    pub fn expected_events_per_second(&self) -> f64 {
        let topo = &self.model.topology;
        let alive = vec![true; topo.node_count()];
        let dsts: Vec<NodeId> = self.model.sources.iter().map(|s| s.dst).collect();
        let routes = sim_core::routing::Routes::compute(topo, &alive, &dsts);
        self.model
            .sources
            .iter()
            .map(|s| {
                let rate = match &s.arrivals {
                    sim_core::Arrivals::Periodic { period, .. } => 1.0 / period.as_secs_f64(),
                    sim_core::Arrivals::Poisson { rate_per_s } => *rate_per_s,
                };
                let path = routes.path(s.node, s.dst).unwrap_or_default();
                let hops = path.len().saturating_sub(1);
                let stations = path
                    .iter()
                    .filter(|&&n| topo.node(n).device.station.is_some())
                    .count();
                rate * (1 + hops + stations) as f64
            })
            .sum()
    }

    /// Replication `index`'s simulation, seeded from the scenario's base seed
    /// ([`sim_core::rng::replication_seed`]).
    pub fn replication(&self, index: u32) -> Result<Simulation<'_, SecurityLayer>, SimError> {
        self.with_seed(rng::replication_seed(self.seed, index))
    }

    /// The simulation for an explicit master seed.
    pub fn with_seed(&self, seed: u64) -> Result<Simulation<'_, SecurityLayer>, SimError> {
        let hooks = self.security.instantiate(&self.model, seed);
        Simulation::new(&self.model, seed, hooks)
    }
}
