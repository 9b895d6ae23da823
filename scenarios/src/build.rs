//! From a checked [`Scenario`] to a ready-to-run model: groups expanded into named nodes,
//! patterns into links, streams into sources, attacks and defenses onto node and link ids.
//!
//! Some attack and defense models change the model itself; each declares its change as an
//! [`attacks::topology::Reshape`] and this builder applies it: a tunnel link (after every other
//! link, so theirs keep their ids), streams ending at a fog group with model updates to the
//! cloud, or a scaled service time ([`Dist::scaled`]).

use crate::scenario::{Defense, Pattern, Pick, Scenario};
use attacks::topology::{self, Reshape};
use attacks::{AttackSpec, DefenseSpec, SecurityLayer, SecuritySpec};
use sim_core::power_profile::PowerProfile;
use sim_core::routing::Routes;
use sim_core::topology::RadioLink;
use sim_core::{
    Arrivals, BitsPerSecond, Bytes, Dist, Joules, Layer, LinkClass, LinkId, LinkSpec, Model, Name,
    NodeClass, NodeId, NodeSpec, RouteWeight, RunConfig, SimError, SimTime, Simulation, SourceSpec,
    StreamSpec, Topology, TrafficClass, rng,
};
use std::sync::{Arc, OnceLock};

/// A scenario expanded into the engine's terms, shared read-only by every replication.
#[derive(Clone, Debug)]
pub struct Built {
    /// The engine model.
    pub model: Model,
    /// The attacks and defenses.
    pub security: SecuritySpec,
    /// `group_nodes[g]`: the nodes of group g, in index order (their ids ascend with it unless
    /// the group is laid out in the order it sends, [`Scenario::layout`]).
    pub group_nodes: Vec<Vec<NodeId>>,
    /// `link_groups[k]`: the links expanded from link group k, in the order of their senders'
    /// indices, then their receivers' (the order of a pick `link[i]`), whatever their ids.
    pub link_groups: Vec<Vec<LinkId>>,
    /// Base seed of the scenario.
    pub seed: u64,
    /// The routes of [`Built::routes`], computed on first use and shared from then on by
    /// validation, the event estimate and the utilisation check.
    routes: OnceLock<Arc<Routes>>,
}

impl Scenario {
    /// Expands the scenario. Cannot fail: everything was checked.
    pub fn build(&self) -> Built {
        let mut topology = Topology::new();
        let group_nodes: Vec<Vec<NodeId>> = self
            .groups
            .iter()
            .enumerate()
            .map(|(k, g)| {
                // One device, group name and layer for all the group's nodes.
                let device = Arc::new(self.computing_on_ciphertext(k, &g.device));
                let group: Arc<str> = g.name.as_str().into();
                // `{group}[{i}]`, written out when asked for.
                let name: Arc<[Box<str>; 2]> =
                    Arc::new([format!("{}[", g.name).into(), "]".into()]);
                let class = Arc::new(NodeClass {
                    group,
                    layer: g.layer,
                    device,
                });
                // Members take the group's ids in the order they first send (`layout`).
                let mut ids = vec![NodeId(0); g.count as usize];
                for i in self.layout(k) {
                    let id = topology.add_node(NodeSpec {
                        name: Name::indexed(&name, i),
                        class: Arc::clone(&class),
                    });
                    if g.power != PowerProfile::default() {
                        topology.set_power(id, g.power);
                    }
                    ids[i as usize] = id;
                }
                ids
            })
            .collect();
        let link_groups: Vec<Vec<LinkId>> = self
            .links
            .iter()
            .enumerate()
            .map(|(k, lg)| {
                let to = &group_nodes[lg.to];
                let radio = self.radio.links.get(k).copied().flatten();
                let (mut ids, mut made) = (Vec::new(), Vec::new());
                for &f in &lg.from {
                    let from = &group_nodes[f];
                    // `{link group}:{from group}[{i}]-{to group}[{j}]`: the two nodes' names.
                    let name: Arc<[Box<str>; 3]> = Arc::new([
                        format!("{}:{}[", lg.name, self.groups[f].name).into(),
                        format!("]-{}[", self.groups[lg.to].name).into(),
                        "]".into(),
                    ]);
                    // A roaming group's links reach every access point of `to`. Its links
                    // take their ids in the order of their senders' ids (`layout`).
                    let roams = self.radio.roams_to(f, lg.to);
                    let mut senders: Vec<(usize, NodeId)> =
                        from.iter().copied().enumerate().collect();
                    senders.sort_unstable_by_key(|&(_, a)| a);
                    let pairs = senders.into_iter().flat_map(|(i, a)| {
                        let j = match lg.pattern {
                            Pattern::Pairwise => i % to.len(),
                            Pattern::FanIn => i * to.len() / from.len(),
                        };
                        let js = if roams { 0..to.len() } else { j..j + 1 };
                        js.map(move |j| (i, a, j))
                    });
                    for (i, a, j) in pairs {
                        let b = to[j];
                        let spec = LinkSpec {
                            name: Name::indexed2(&name, i as u32, j as u32),
                            ..lg.template.clone()
                        };
                        let id = topology.add_link(a, b, spec);
                        if let Some(modem) = lg.client_modem {
                            topology.set_client_modem(id, modem);
                        }
                        if let Some(r) = radio
                            && let Some(ends) = self.radio.ends(f, i, lg.to, j)
                        {
                            topology.set_radio(
                                id,
                                RadioLink {
                                    technology: r.technology,
                                    channel: r.channel,
                                    tx_power: [r.tx_power; 2],
                                    ends,
                                    path_loss: r.path_loss,
                                },
                            );
                            if let Some(mac) = r.mac {
                                topology.set_mac(id, mac);
                            }
                        }
                        made.push((i, j, id));
                    }
                    // Listed in the members' order, as a pick `radio[i]` counts them.
                    made.sort_unstable_by_key(|&(i, j, _)| (i, j));
                    ids.extend(made.drain(..).map(|(_, _, id)| id));
                }
                ids
            })
            .collect();
        for j in &self.radio.jammers {
            topology.add_jammer(j.clone());
        }
        crate::radio::mobility::apply(
            &mut topology,
            &self.radio.mobility,
            &self.radio.positions,
            &group_nodes,
        );
        // Each wormhole's tunnel, after every other link so their ids stay as they were.
        let tunnels: Vec<Option<(LinkId, [NodeId; 2])>> = self
            .attacks
            .iter()
            .map(|a| {
                let Some(Reshape::Tunnel { latency }) = topology::of_attack(a.kind, &a.params)
                else {
                    return None;
                };
                if a.targets.len() != 2 {
                    return None;
                }
                let end = |p: &Pick| group_nodes[p.group][p.index.unwrap_or(0) as usize];
                let ends = [end(&a.targets[0]), end(&a.targets[1])];
                let spec = LinkSpec::new(
                    format!("{}:tunnel", a.name).into(),
                    LinkClass {
                        group: a.name.as_str().into(),
                        rate: BitsPerSecond(1e9),
                        latency: Dist::constant(latency).unwrap_or(Dist::Const(0.0)).into(),
                        loss: 0.0,
                        tx_energy_per_bit: Joules(0.0),
                        rx_energy_per_bit: Joules(0.0),
                    },
                );
                Some((topology.add_link(ends[0], ends[1], spec), ends))
            })
            .collect();
        let patients = crate::patient::Patients::assign(&self.groups, &self.links, &group_nodes);
        let mut sources = Vec::new();
        for (g, group) in self.groups.iter().enumerate() {
            let senders = &group_nodes[g];
            for s in &group.streams {
                let dsts = &group_nodes[s.to];
                // (sender index, destination index) pairs of this stream; a sender's sources
                // take their ids in the order of their senders' ids (`layout`).
                let pairs: Vec<(usize, usize)> = if s.per_destination {
                    (0..dsts.len()).map(|j| (j % senders.len(), j)).collect()
                } else {
                    let mut pairs: Vec<(usize, usize)> =
                        (0..senders.len()).map(|i| (i, i % dsts.len())).collect();
                    pairs.sort_unstable_by_key(|&(i, _)| senders[i]);
                    pairs
                };
                // One arrival process, size, class, deadline and acknowledgement for all the
                // stream's sources; `{group}[{i}]/{stream}` written out when asked for.
                let stream = Arc::new(StreamSpec {
                    arrivals: s.arrivals.clone(),
                    size: s.size,
                    records: s.records,
                    class: s.class,
                    deadline: s.deadline,
                    ack: s.ack,
                });
                let name = source_name(&group.name, &s.name);
                for (i, j) in pairs {
                    let name = if s.per_destination {
                        format!(
                            "{}[{i}]/{}->{}",
                            group.name,
                            s.name,
                            topology.node(dsts[j]).name
                        )
                        .into()
                    } else {
                        Name::indexed(&name, i as u32)
                    };
                    sources.push(SourceSpec {
                        name,
                        node: senders[i],
                        dst: dsts[j],
                        stream: Arc::clone(&stream),
                        patient: patients.of_node[senders[i].index()],
                    });
                }
            }
        }
        for d in &self.defenses {
            if let Some(Reshape::Federate {
                update_interval,
                update_size,
            }) = topology::of_defense(d.kind, &d.params)
            {
                let update = (update_interval, update_size);
                self.federate(d, update, &group_nodes, &topology, &mut sources);
            }
        }
        let links_of = |groups: &[usize]| -> Vec<LinkId> {
            groups
                .iter()
                .flat_map(|&k| link_groups[k].iter().copied())
                .collect()
        };
        let nodes_of = |groups: &[usize]| -> Vec<NodeId> {
            groups
                .iter()
                .flat_map(|&g| group_nodes[g].iter().copied())
                .collect()
        };
        let attacks = self
            .attacks
            .iter()
            .zip(&tunnels)
            .map(|(a, tunnel)| AttackSpec {
                name: a.name.clone(),
                kind: a.kind,
                window: a.window,
                params: a.params.clone(),
                links: picked(&a.links, &link_groups),
                targets: match tunnel {
                    Some((_, ends)) => ends.to_vec(),
                    None => picked(&a.targets, &group_nodes),
                },
                from: a.from.map_or_else(Vec::new, |g| group_nodes[g].clone()),
                after: a.after,
                tunnel: tunnel.map(|(link, _)| link),
            })
            .collect();
        let defenses = self
            .defenses
            .iter()
            .map(|d| DefenseSpec {
                name: d.name.clone(),
                kind: d.kind,
                params: d.params.clone(),
                links: links_of(&d.links),
                targets: nodes_of(&d.targets),
                cipher: d.cipher,
                encrypts: d.encrypts,
            })
            .collect();
        let security = SecuritySpec {
            attacks,
            defenses,
            cost_per_record: self.cost_per_record,
            cost_per_breach: self.cost_per_breach,
        };
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
            routes: OnceLock::new(),
        }
    }
}

/// Groups of this many members or more are laid out in the order they first send
/// ([`Scenario::layout`]): 2¹⁵, where a member's records stop fitting in a core's cache (the
/// engine's [`sim_core::event_list::PREFETCH_FROM`] has the same value for the same reason).
/// Its own constant, since it decides the ids and so the results of the groups it reaches:
/// changing it changes the numbers of every scenario with a group between its old and new
/// value.
pub const LAYOUT_FROM: u32 = 1 << 15;

/// The pieces of the names of a group's sources of one stream: `{group}[{i}]/{stream}`.
fn source_name(group: &str, stream: &str) -> Arc<[Box<str>; 2]> {
    Arc::new([format!("{group}[").into(), format!("]/{stream}").into()])
}

impl Scenario {
    /// The order in which group `g`'s members take their ids: the order of their first sends
    /// in the first replication, for a group of [`LAYOUT_FROM`] members or more that sends
    /// periodically; the members' order otherwise.
    ///
    /// Why: at a million devices each member's records in every stage (its state, its
    /// battery, its link's transmitter, the security layer's facts) are out of the cache, and
    /// the sends of members drawn at random phases touch one random record of each per
    /// packet. Members numbered in the order they send touch neighbouring records instead:
    /// 0.85x the time of a run of 1 M devices (BENCHMARKS.md, sixteenth round).
    ///
    /// The key is a member's phase in its most frequent stream: the first draw of that
    /// source's stream in replication 0 ([`sim_core::traffic::first_phase`]), taken here from
    /// a stream of its own, so that the run's streams draw what they drew before. Names,
    /// patterns, patients and outputs follow the members' indices; the ids alone move, and
    /// with them the order of simultaneous events, the draws keyed by an id (a hop's loss, a
    /// service time) and the member named where a model takes the lowest id of several (a
    /// hub's first link, the first of tied deaths). That is why a smaller group keeps its
    /// order (its results stay what they were), and why `run --seed` builds again.
    fn layout(&self, g: usize) -> Vec<u32> {
        let group = &self.groups[g];
        let mut order: Vec<u32> = (0..group.count).collect();
        if group.count < LAYOUT_FROM {
            return order;
        }
        // The stream that sends most often, of those that send from every member.
        let Some((period, stream)) = group
            .streams
            .iter()
            .filter(|s| !s.per_destination)
            .filter_map(|s| match s.arrivals {
                Arrivals::Periodic { period, .. } if period > SimTime::ZERO => Some((period, s)),
                _ => None,
            })
            .min_by_key(|&(period, _)| period)
        else {
            return order;
        };
        let seed = rng::replication_seed(self.seed, 0);
        let pieces = source_name(&group.name, &stream.name);
        let phases: Vec<SimTime> = (0..group.count)
            .map(|i| {
                let mut draws = sim_core::traffic::source_stream(seed, &Name::indexed(&pieces, i));
                sim_core::traffic::first_phase(&mut draws, period)
            })
            .collect();
        // Ties (one in 3·10¹⁰ per pair at 30 s) keep the members' order.
        order.sort_by_key(|&i| phases[i as usize]);
        order
    }

    /// [`Reshape::Federate`] by `d`: streams from the sensing layer to the cloud end at the
    /// first targeted (fog) group instead (node i sends to fog node i mod count), and each fog
    /// node sends an update of `update.1` to the cloud group those streams were bound for (fog
    /// node j to its node j mod count) every `update.0`.
    fn federate(
        &self,
        d: &Defense,
        update: (SimTime, Bytes),
        group_nodes: &[Vec<NodeId>],
        topology: &Topology,
        sources: &mut Vec<SourceSpec>,
    ) {
        let Some(&fog_group) = d.targets.first() else {
            return;
        };
        let fog = &group_nodes[fog_group];
        let group_of = |n: NodeId| -> usize {
            let name = &topology.node(n).group;
            self.groups
                .iter()
                .position(|g| *g.name == **name)
                .expect("every node belongs to a group")
        };
        // The cloud groups the raw records were bound for, in order of first appearance.
        let mut clouds: Vec<usize> = Vec::new();
        for src in sources.iter_mut() {
            let (from, to) = (group_of(src.node), group_of(src.dst));
            if self.groups[from].layer != Layer::Sensing || self.groups[to].layer != Layer::Cloud {
                continue;
            }
            if !clouds.contains(&to) {
                clouds.push(to);
            }
            let i = group_nodes[from]
                .iter()
                .position(|&n| n == src.node)
                .expect("a source's node is in its group");
            src.dst = fog[i % fog.len()];
        }
        let (period, size) = update;
        let update_stream = Arc::new(StreamSpec {
            arrivals: Arrivals::Periodic {
                period,
                jitter: Dist::Const(0.0),
            },
            size,
            records: 0,
            class: TrafficClass::Routine,
            deadline: None,
            ack: None,
        });
        for &cloud in &clouds {
            let dsts = &group_nodes[cloud];
            for (j, &node) in fog.iter().enumerate() {
                let name = if clouds.len() == 1 {
                    format!("{}/model-update", topology.node(node).name)
                } else {
                    format!(
                        "{}/model-update->{}",
                        topology.node(node).name,
                        self.groups[cloud].name
                    )
                };
                sources.push(SourceSpec {
                    name: name.into(),
                    node,
                    dst: dsts[j % dsts.len()],
                    stream: Arc::clone(&update_stream),
                    patient: None,
                });
            }
        }
    }
}

impl Built {
    /// Routes towards every node the engine routes to (every source's destination, the
    /// senders of acknowledged sources, every flood's target) with every node alive and every
    /// wormhole tunnel closed, as they are outside the attacks' windows. Computed once per
    /// build through the topology's shared routes (read-only, across threads): without a
    /// tunnel they are the very routes the replications start from, and the security layer's
    /// view of the routes reuses them when they cover its destinations.
    pub fn routes(&self) -> Arc<Routes> {
        Arc::clone(self.routes.get_or_init(|| self.compute_routes()))
    }

    fn compute_routes(&self) -> Arc<Routes> {
        let topo = &self.model.topology;
        let mut dsts = self.model.route_destinations();
        dsts.extend(self.flood_targets());
        dsts.retain(|d| d.index() < topo.node_count());
        let mut weights = vec![RouteWeight::Normal; topo.link_count()];
        for link in self.security.attacks.iter().filter_map(|a| a.tunnel) {
            weights[link.index()] = RouteWeight::Disabled;
        }
        topo.shared_routes(&dsts, &weights)
    }

    /// Engine events expected per simulated second with every node alive: each packet costs
    /// one emission, one arrival per hop and one service completion per station on its route.
    pub fn expected_events_per_second(&self) -> f64 {
        let topo = &self.model.topology;
        let routes = self.routes();
        // A hop over a radio link costs one more event: its frame's end, where its fate on the
        // shared medium is decided; a MAC adds its wake-ups: a CCA (CSMA/CA), a contention's
        // expiry (DCF), none for BLE (a frame is scheduled at its connection event at once),
        // and the end of the ACK frame on the air (CSMA/CA when acknowledged, DCF).
        let radio: std::collections::HashMap<(sim_core::NodeId, sim_core::NodeId), usize> = topo
            .link_ids()
            .filter(|&l| topo.radio(l).is_some())
            .flat_map(|l| {
                let (a, b) = topo.endpoints(l);
                let extra = 1 + match topo.mac(l) {
                    Some(sim_core::mac::Mac::CsmaCa(p)) => 1 + usize::from(p.acknowledged),
                    Some(sim_core::mac::Mac::Dcf(_)) => 2,
                    _ => 0,
                };
                [((a, b), extra), ((b, a), extra)]
            })
            .collect();
        self.model
            .sources
            .iter()
            .map(|s| {
                let rate = match &s.stream.arrivals {
                    sim_core::Arrivals::Periodic { period, .. } => 1.0 / period.as_secs_f64(),
                    sim_core::Arrivals::Poisson { rate_per_s } => *rate_per_s,
                };
                let path = routes.path(s.node, s.dst).unwrap_or_default();
                let hops = path.len().saturating_sub(1);
                let stations = path
                    .iter()
                    .filter(|&&n| topo.node(n).device.station.is_some())
                    .count();
                let frames: usize = path
                    .windows(2)
                    .filter_map(|w| radio.get(&(w[0], w[1])))
                    .sum();
                rate * (1 + hops + stations + frames) as f64
            })
            .sum::<f64>()
            + self.flood_events_per_second(&routes)
    }

    /// The nodes floods are aimed at.
    fn flood_targets(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.security
            .attacks
            .iter()
            .filter(|a| a.floods())
            .flat_map(|a| a.targets.iter().copied())
    }

    /// Engine events per simulated second of the floods, averaged over the run: each attack
    /// packet costs its injection, one arrival per hop and one service per station from its
    /// entry to its target (averaged over the entry–target pairs), while the attack is active.
    /// An upper bound: full buffers and rate limits drop attack packets before they cost all
    /// of that (the campus example's DDoS runs at about a third of it).
    fn flood_events_per_second(&self, routes: &Routes) -> f64 {
        let topo = &self.model.topology;
        let run = self.model.config.duration.as_secs_f64();
        self.security
            .attacks
            .iter()
            .filter(|a| a.floods())
            .map(|a| {
                let start = a.window.start.as_secs_f64().min(run);
                let active = a
                    .window
                    .duration
                    .map_or(run - start, |d| d.as_secs_f64().min(run - start));
                let pairs = a.from.len() * a.targets.len();
                if pairs == 0 || run <= 0.0 {
                    return 0.0;
                }
                let per_packet: usize = a
                    .from
                    .iter()
                    .flat_map(|&e| a.targets.iter().map(move |&t| (e, t)))
                    .map(|(e, t)| {
                        let path = routes.path(e, t).unwrap_or_default();
                        let stations = path
                            .iter()
                            .filter(|&&n| topo.node(n).device.station.is_some())
                            .count();
                        1 + path.len().saturating_sub(1) + stations
                    })
                    .sum();
                a.arrival_rate().unwrap_or(0.0) * active / run * per_packet as f64 / pairs as f64
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

impl Scenario {
    /// Group `k`'s device with [`Reshape::ScaleService`] applied: the station's service time
    /// multiplied by the factor of every defense on the group that declares one.
    fn computing_on_ciphertext(
        &self,
        k: usize,
        device: &sim_core::DeviceSpec,
    ) -> sim_core::DeviceSpec {
        let mut device = device.clone();
        for d in &self.defenses {
            if !d.targets.contains(&k) {
                continue;
            }
            let Some(Reshape::ScaleService { factor }) = topology::of_defense(d.kind, &d.params)
            else {
                continue;
            };
            if let Some(station) = device.station.as_mut()
                && let Ok(scaled) = station.service.scaled(factor)
            {
                station.service = scaled;
            }
        }
        device
    }
}

/// The members (nodes or links) a target list picks: whole groups, or one member of a group.
fn picked<T: Copy>(picks: &[Pick], members: &[Vec<T>]) -> Vec<T> {
    picks
        .iter()
        .flat_map(|p| {
            let all = &members[p.group];
            match p.index {
                Some(i) => all.get(i as usize..=i as usize).unwrap_or(&[]),
                None => all.as_slice(),
            }
            .iter()
            .copied()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::{Override, parse_with};
    use sim_core::{NodeId, SimTime, rng};

    const CAMPUS: &str = include_str!("../../examples/campus.yaml");

    /// The campus with `wearables` wearables, 200 to a gateway.
    fn campus(wearables: u32) -> crate::Built {
        let sets: Vec<Override> = [
            format!("sensing.wearable.count={wearables}"),
            format!("network.gateway.count={}", wearables / 200),
            "duration=10min".to_string(),
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        parse_with(CAMPUS, "campus.yaml", &sets)
            .unwrap()
            .scenario
            .build()
    }

    /// The phase of wearable `i`'s vital signs in replication 0, drawn as the engine draws
    /// it (its stream's first draw, uniform on [0, 30 s) in nanoseconds), written out here.
    fn vitals_phase(seed: u64, i: u32) -> u64 {
        let mut draws = rng::stream(
            rng::replication_seed(seed, 0),
            &format!("source:wearable[{i}]/vitals"),
        );
        rand::Rng::random_range(&mut draws, 0..SimTime::from_secs(30).as_nanos())
    }

    #[test]
    fn a_large_group_takes_its_ids_in_the_order_its_members_first_send() {
        let n = super::LAYOUT_FROM + 1_000;
        let b = campus(n);
        let topo = &b.model.topology;
        let wearables = &b.group_nodes[0];
        // Names follow the members' indices; the ids are the group's range, reordered.
        assert_eq!(topo.node(wearables[12_345]).name, "wearable[12345]");
        let mut ids: Vec<u32> = wearables.iter().map(|n| n.0).collect();
        ids.sort_unstable();
        assert!(ids.iter().enumerate().all(|(k, &id)| id == k as u32));
        let moved = wearables
            .iter()
            .enumerate()
            .filter(|&(i, n)| n.0 != i as u32);
        assert!(moved.count() > n as usize / 2);
        // In id order, the phases never decrease.
        let mut phase_of_id = vec![0; n as usize];
        for (i, id) in wearables.iter().enumerate() {
            phase_of_id[id.index()] = vitals_phase(b.seed, i as u32);
        }
        assert!(phase_of_id.windows(2).all(|w| w[0] <= w[1]));
        // Each member's radio link and sources take their ids in the same order, and keep
        // their names.
        let radio = &b.link_groups[0];
        assert_eq!(radio.len(), n as usize);
        // Listed in the members' order (a pick `radio[i]` is member i's link)...
        assert!(
            radio
                .iter()
                .zip(wearables)
                .all(|(&l, &w)| topo.endpoints(l).0 == w)
        );
        assert!(
            topo.link(radio[7])
                .name
                .to_string()
                .starts_with("radio:wearable[7]-")
        );
        // ...and numbered in their senders' order.
        let mut by_id = radio.clone();
        by_id.sort_unstable();
        let senders: Vec<NodeId> = by_id.iter().map(|&l| topo.endpoints(l).0).collect();
        assert!(senders.windows(2).all(|w| w[0] < w[1]));
        let i = wearables.iter().position(|&w| w == senders[7]).unwrap();
        assert!(
            topo.link(by_id[7])
                .name
                .to_string()
                .starts_with(&format!("radio:wearable[{i}]-"))
        );
        let vitals = &b.model.sources[..n as usize];
        assert!(vitals.windows(2).all(|w| w[0].node < w[1].node));
        assert_eq!(vitals[7].node, senders[7]);
        assert_eq!(vitals[7].name.to_string(), format!("wearable[{i}]/vitals"));
        // The same scenario gives the same layout.
        assert_eq!(campus(n).group_nodes[0], *wearables);
    }

    #[test]
    fn a_small_group_keeps_its_members_order() {
        let b = campus(super::LAYOUT_FROM - 200);
        for nodes in &b.group_nodes {
            assert!(nodes.windows(2).all(|w| w[0].0 + 1 == w[1].0));
        }
        let n = b.group_nodes[0].len();
        let vitals = &b.model.sources[..n];
        assert!(
            vitals
                .iter()
                .zip(&b.group_nodes[0])
                .all(|(s, &w)| s.node == w)
        );
    }
}
