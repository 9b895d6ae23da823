//! From the raw file to a checked [`Scenario`]: units, ranges, names, references and limits,
//! every problem collected with its field path. This module checks the scenario's header,
//! groups and links; its submodules the rest, one concept each: [`names`] (identifiers),
//! [`streams`] (traffic), [`selectors`] (what attacks and defenses point at), [`security`]
//! (attacks and defenses), [`params`] (their kinds' parameters) and [`warnings`].

mod names;
mod params;
mod security;
mod selectors;
mod streams;
mod warnings;

pub(crate) use names::check_identifier;
pub use names::{MAX_NAME_LEN, identifier_like, is_identifier};
use security::{check_attack, check_defense, check_privilege};
use selectors::Refs;
use streams::check_stream;
pub(crate) use warnings::warnings;

use crate::error::did_you_mean;
use crate::profiles::{Profiles, apply_device_fields, apply_link_fields};
use crate::quantity::{self, UnitError};
use crate::raw::{
    RawAttack, RawDefense, RawGroup, RawLink, RawScenario, RawStream, RawWaveform, Text,
};
use crate::scenario::*;
use attacks::ActiveWindow;
use attacks::catalogue::{self as kinds, ParamSpec, Params, Precondition, Targets, Unit};
use sim_core::{
    Arrivals, BitsPerSecond, Bytes, DeviceSpec, Dist, Hertz, Joules, Layer, LinkClass, LinkSpec,
    SimTime, TrafficClass, Watts,
};
use std::collections::BTreeMap;

/// Problems found so far: (field path, message).
#[derive(Default)]
pub(crate) struct Problems(pub Vec<(String, String)>);

impl Problems {
    pub(crate) fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push((path.into(), message.into()));
    }

    /// Records a unit error at `path` and yields `None`.
    pub(crate) fn unit<T>(&mut self, path: &str, r: Result<T, UnitError>) -> Option<T> {
        r.map_err(|e| self.add(path, e.0)).ok()
    }
}

pub(crate) fn suggest(word: &str, names: &[&str]) -> String {
    match did_you_mean(word, names.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`?"),
        None => format!("; known: {}", names.join(", ")),
    }
}

pub(super) fn time(p: &mut Problems, path: &str, t: &Text) -> Option<SimTime> {
    p.unit(path, quantity::duration_secs(&t.0))
        .map(SimTime::from_secs_f64)
}

pub(super) fn probability(p: &mut Problems, path: &str, x: f64) -> Option<f64> {
    if (0.0..=1.0).contains(&x) {
        Some(x)
    } else {
        p.add(path, format!("a probability must lie in [0, 1], found {x}"));
        None
    }
}

/// Checks a raw scenario; `Err` carries every problem found.
pub(crate) fn check(raw: &RawScenario) -> Result<Scenario, Problems> {
    let mut p = Problems::default();
    check_identifier(&mut p, "name", "scenario", &raw.name);
    let duration = time(&mut p, "duration", &raw.duration);
    if duration == Some(SimTime::ZERO) {
        p.add("duration", "the duration must be longer than 0s");
    }
    let warmup = match &raw.warmup {
        Some(t) => time(&mut p, "warmup", t),
        None => Some(SimTime::ZERO),
    };
    if let (Some(d), Some(w)) = (duration, warmup)
        && w >= d
    {
        p.add(
            "warmup",
            format!("the warm-up ({w}) must be shorter than the duration ({d})"),
        );
    }
    let replications = raw.replications.unwrap_or(1);
    if replications == 0 {
        p.add("replications", "at least 1 replication is needed, found 0");
    }
    let time_grid = match (&raw.time_grid, duration) {
        (Some(t), _) => time(&mut p, "time_grid", t),
        (None, Some(d)) => Some(SimTime::from_nanos((d.as_nanos() / 60).max(1))),
        (None, None) => None,
    };
    if let (Some(g), Some(d)) = (time_grid, duration) {
        if g == SimTime::ZERO {
            p.add("time_grid", "the time grid must be longer than 0s");
        } else if d.as_nanos() / g.as_nanos() > MAX_GRID_POINTS {
            p.add(
                "time_grid",
                format!(
                    "{g} over {d} gives more than {MAX_GRID_POINTS} samples; use a coarser grid"
                ),
            );
        }
    }

    let profiles = Profiles::resolve(&raw.profiles, &mut p);

    // Groups: names first, so streams and links can refer to any of them.
    let layered: Vec<(Layer, &str, &RawGroup, usize)> = [
        (Layer::Sensing, "sensing", &raw.sensing),
        (Layer::Network, "network", &raw.network),
        (Layer::Cloud, "cloud", &raw.cloud),
    ]
    .into_iter()
    .flat_map(|(layer, key, groups)| {
        groups
            .iter()
            .enumerate()
            .map(move |(i, g)| (layer, key, g, i))
    })
    .collect();
    let names: Vec<&str> = layered
        .iter()
        .map(|(_, _, g, _)| g.group.as_str())
        .collect();
    for (i, name) in names.iter().enumerate() {
        let (_, key, g, j) = layered[i];
        check_identifier(&mut p, &format!("{key}[{j}].group"), "group", name);
        for (k, s) in g.streams.iter().enumerate() {
            check_identifier(
                &mut p,
                &format!("{key}[{j}].streams[{k}].name"),
                "stream",
                &s.name,
            );
        }
        if names[..i].contains(name) {
            let (_, key, _, j) = layered[i];
            p.add(
                format!("{key}[{j}].group"),
                format!("the group name `{name}` is used twice"),
            );
        }
    }
    let group_index = |p: &mut Problems, path: &str, name: &str| -> Option<usize> {
        let found = names.iter().position(|n| *n == name);
        if found.is_none() {
            p.add(
                path,
                format!("no group named `{name}`{}", suggest(name, &names)),
            );
        }
        found
    };

    let mut total_nodes = 0u64;
    let mut groups = Vec::new();
    for &(layer, key, g, i) in &layered {
        let path = format!("{key}[{i}]");
        let count = g.count.unwrap_or(1);
        if count == 0 || count > MAX_GROUP_COUNT {
            p.add(
                format!("{path}.count"),
                format!("a group holds 1 to {MAX_GROUP_COUNT} nodes, found {count}"),
            );
        }
        total_nodes += count;
        let device = check_device(&mut p, &profiles, &path, g);
        let streams: Vec<Stream> = g
            .streams
            .iter()
            .enumerate()
            .filter_map(|(j, s)| {
                let spath = format!("{path}.streams[{j}]");
                let to = group_index(&mut p, &format!("{spath}.to"), &s.to);
                check_stream(&mut p, &spath, s, to?)
            })
            .collect();
        let patient = crate::patient::PatientRule::parse(g.patient.as_deref())
            .map_err(|e| p.add(format!("{path}.patient"), e))
            .unwrap_or_default();
        if let Some((device, power)) = device {
            groups.push(Group {
                name: g.group.clone(),
                layer,
                count: count.clamp(1, MAX_GROUP_COUNT) as u32,
                profile: g.device.clone(),
                device,
                power,
                streams,
                patient,
                path,
            });
        }
    }
    if total_nodes > MAX_NODES {
        p.add(
            "",
            format!("the scenario expands to {total_nodes} nodes; the limit is {MAX_NODES}"),
        );
    }

    let mut links = Vec::new();
    let mut radio_links = Vec::new();
    for (i, l) in raw.links.iter().enumerate() {
        let path = format!("links[{i}]");
        check_identifier(&mut p, &format!("{path}.name"), "link", &l.name);
        if raw.links[..i].iter().any(|o| o.name == l.name) {
            p.add(
                format!("{path}.name"),
                format!("the link name `{}` is used twice", l.name),
            );
        }
        let from: Vec<Option<usize>> = l
            .from
            .names()
            .iter()
            .enumerate()
            .map(|(k, n)| {
                let fp = match &l.from {
                    crate::raw::OneOrMany::One(_) => format!("{path}.from"),
                    crate::raw::OneOrMany::Many(_) => format!("{path}.from[{k}]"),
                };
                group_index(&mut p, &fp, n)
            })
            .collect();
        let to = group_index(&mut p, &format!("{path}.to"), &l.to);
        let link = check_link(&mut p, &profiles, &path, l);
        if let (Some(from), Some(to), Some((pattern, template, client_modem))) =
            (from.into_iter().collect::<Option<Vec<_>>>(), to, link)
        {
            if pattern == Pattern::Pairwise {
                let count = |gi: usize| layered[gi].2.count.unwrap_or(1);
                for &f in &from {
                    if count(f) != count(to) {
                        p.add(
                            format!("{path}.pattern"),
                            format!(
                                "`pairwise` joins equal-sized groups, but `{}` has {} nodes and `{}` has {}; use `fan_in` to share parents",
                                names[f],
                                count(f),
                                names[to],
                                count(to)
                            ),
                        );
                    }
                }
            }
            radio_links.push((i, from.clone(), to, pattern == Pattern::Pairwise));
            links.push(LinkGroup {
                name: l.name.clone(),
                from,
                to,
                pattern,
                profile: l.profile.clone(),
                template,
                client_modem,
            });
        }
    }
    let link_names: Vec<&str> = raw.links.iter().map(|l| l.name.as_str()).collect();
    let group_layers: Vec<Layer> = layered.iter().map(|(l, ..)| *l).collect();
    let group_counts: Vec<u64> = layered
        .iter()
        .map(|(_, _, g, _)| g.count.unwrap_or(1))
        .collect();
    let link_profiles: Vec<&str> = raw.links.iter().map(|l| l.profile.as_str()).collect();
    // Links per link group: one per node of each `from` group.
    let link_counts: Vec<u64> = raw
        .links
        .iter()
        .map(|l| {
            l.from
                .names()
                .iter()
                .filter_map(|n| names.iter().position(|g| g == n))
                .map(|g| group_counts[g])
                .sum()
        })
        .collect();
    let refs = Refs {
        groups: &names,
        links: &link_names,
        group_layers: &group_layers,
        group_counts: &group_counts,
        link_profiles: &link_profiles,
        link_counts: &link_counts,
    };
    let attack_names: Vec<&str> = raw.attacks.iter().map(|a| a.name.as_str()).collect();
    let attacks: Vec<Attack> = raw
        .attacks
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let path = format!("attacks[{i}]");
            check_identifier(&mut p, &format!("{path}.name"), "attack", &a.name);
            if attack_names[..i].contains(&a.name.as_str()) {
                p.add(
                    format!("{path}.name"),
                    format!("the attack name `{}` is used twice", a.name),
                );
            }
            check_privilege(&mut p, &path, a, &raw.attacks[..i]);
            check_attack(&mut p, &path, a, &refs, &attack_names, i)
        })
        .collect();
    let defenses: Vec<Defense> = raw
        .defenses
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let path = format!("defenses[{i}]");
            check_identifier(&mut p, &format!("{path}.name"), "defense", &d.name);
            if raw.defenses[..i].iter().any(|o| o.name == d.name) {
                p.add(
                    format!("{path}.name"),
                    format!("the defense name `{}` is used twice", d.name),
                );
            }
            check_defense(&mut p, &profiles, &path, d, &refs)
        })
        .collect();
    let cost_per_record = raw
        .cost_per_record
        .unwrap_or(attacks::security::COST_PER_RECORD_USD);
    if !(cost_per_record.is_finite() && cost_per_record >= 0.0) {
        p.add(
            "cost_per_record",
            format!("the cost of a record is a number of US dollars ≥ 0, found {cost_per_record}"),
        );
    }
    let cost_per_breach = raw.cost_per_breach.unwrap_or(0.0);
    if !(cost_per_breach.is_finite() && cost_per_breach >= 0.0) {
        p.add(
            "cost_per_breach",
            format!("the cost of a breach is a number of US dollars ≥ 0, found {cost_per_breach}"),
        );
    }

    let precision = raw.precision.as_ref().map(|r| {
        if !(r.relative > 0.0 && r.relative < 1.0) {
            p.add(
                "precision.relative",
                format!(
                    "a relative precision is a fraction between 0 and 1 (0.01 for ±1 %), found {}",
                    r.relative
                ),
            );
        }
        let metrics: Vec<String> = match &r.metrics {
            Some(list) => list.clone(),
            None => Precision::DEFAULT_METRICS.map(String::from).to_vec(),
        };
        if metrics.is_empty() {
            p.add(
                "precision.metrics",
                "name at least one metric, or leave `metrics:` out",
            );
        }
        for (i, m) in metrics.iter().enumerate() {
            if !crate::sweep::RUN_METRICS.contains(&m.as_str())
                && !crate::sweep::MAC_METRICS.contains(&m.as_str())
            {
                p.add(
                    format!("precision.metrics[{i}]"),
                    format!(
                        "no metric called `{m}` in runs.csv{}",
                        suggest(m, &crate::sweep::RUN_METRICS)
                    ),
                );
            }
        }
        let max_replications = r.max_replications.unwrap_or(Precision::DEFAULT_MAX);
        if max_replications < 2 {
            p.add(
                "precision.max_replications",
                format!(
                    "at least 2 replications are needed for an interval, found {max_replications}"
                ),
            );
        }
        Precision {
            relative: r.relative,
            metrics,
            max_replications,
        }
    });

    // The physical layer: positions, then the radio links between them.
    let placed: Vec<(&RawGroup, u32, String)> = layered
        .iter()
        .map(|&(_, key, g, i)| {
            let count = g.count.unwrap_or(1).clamp(1, MAX_GROUP_COUNT) as u32;
            (g, count, format!("{key}[{i}]"))
        })
        .collect();
    let positions = crate::radio::place(&mut p, raw, &placed, raw.seed.unwrap_or(1));
    let mut warnings = Vec::new();
    let radio_profiles =
        crate::radio::check_links(&mut p, raw, &radio_links, &positions, &names, &mut warnings);
    let jammers = crate::radio::check_jammers(&mut p, raw);
    let mobility =
        crate::radio::mobility::check_mobility(&mut p, raw, &placed, &positions, &mut warnings);
    for (lg, r) in links.iter_mut().zip(&radio_profiles) {
        if let Some(r) = r {
            // The technology's bit rate and the chip's energy per bit replace the profile's.
            let (tx, rx) = r.energy_per_bit();
            lg.template.rate = BitsPerSecond(r.technology.bit_rate);
            lg.template.tx_energy_per_bit = Joules(tx);
            lg.template.rx_energy_per_bit = Joules(rx);
        }
    }

    if !p.0.is_empty() {
        return Err(p);
    }
    Ok(Scenario {
        name: raw.name.clone(),
        description: raw.description.clone(),
        duration: duration.unwrap_or_default(),
        warmup: warmup.unwrap_or_default(),
        seed: raw.seed.unwrap_or(1),
        replications,
        time_grid: time_grid.unwrap_or_default(),
        groups,
        links,
        attacks,
        defenses,
        cost_per_record,
        radio: crate::radio::RadioPlan {
            positions,
            links: radio_profiles,
            warnings,
            jammers,
            mobility,
        },
        cost_per_breach,
        precision,
    })
}

fn check_device(
    p: &mut Problems,
    profiles: &Profiles,
    path: &str,
    g: &RawGroup,
) -> Option<(DeviceSpec, sim_core::power_profile::PowerProfile)> {
    let base = profiles.device(&g.device, &format!("{path}.device"), p)?;
    let m = apply_device_fields(p, path, base, &g.fields);
    Some((
        DeviceSpec {
            station: m.station,
            battery: m.battery_j.map(Joules),
            sleep_power: Watts(m.sleep_w),
            cpu_hz: Hertz(m.cpu_hz),
            energy_per_cycle: Joules(m.energy_per_cycle_j),
        },
        m.power,
    ))
}

fn check_link(
    p: &mut Problems,
    profiles: &Profiles,
    path: &str,
    l: &RawLink,
) -> Option<(Pattern, LinkSpec, Option<sim_core::phy::lte::ModemParams>)> {
    let pattern = match l.pattern.as_deref() {
        None | Some("fan_in") => Some(Pattern::FanIn),
        Some("pairwise") => Some(Pattern::Pairwise),
        Some(other) => {
            p.add(
                format!("{path}.pattern"),
                format!(
                    "no pattern `{other}`{}",
                    suggest(other, &["pairwise", "fan_in"])
                ),
            );
            None
        }
    };
    let base = profiles.link(&l.profile, &format!("{path}.profile"), p)?;
    let m = apply_link_fields(p, path, base, &l.fields);
    Some((
        pattern?,
        LinkSpec::new(
            l.name.clone().into(),
            LinkClass {
                group: l.name.as_str().into(),
                rate: BitsPerSecond(m.rate_bps),
                latency: m.latency.into(),
                loss: m.loss,
                tx_energy_per_bit: Joules(m.tx_j_per_bit),
                rx_energy_per_bit: Joules(m.rx_j_per_bit),
            },
        ),
        m.client_modem,
    ))
}
