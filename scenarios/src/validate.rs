//! From the raw file to a checked [`Scenario`]: units, ranges, names, references and limits,
//! every problem collected with its field path.

use crate::catalogue::CipherKind;
use crate::error::did_you_mean;
use crate::profiles::{Profiles, apply_device_fields, apply_link_fields};
use crate::quantity::{self, UnitError};
use crate::raw::{
    RawAttack, RawDefense, RawGroup, RawLink, RawScenario, RawStream, RawWaveform, Text,
};
use crate::scenario::*;
use attacks::ActiveWindow;
use attacks::catalogue::{
    self as kinds, DefenseKind, ParamSpec, Params, Precondition, Targets, Unit,
};
use sim_core::{
    Arrivals, BitsPerSecond, Bytes, DeviceSpec, Dist, Hertz, Joules, Layer, LinkSpec, SimTime,
    TrafficClass, Watts,
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

/// The longest name a scenario, group, stream, link, attack, defense or variant may have.
pub const MAX_NAME_LEN: usize = 64;

/// Whether `name` is a safe identifier: 1 to [`MAX_NAME_LEN`] ASCII letters, digits, `_` and
/// `-`, beginning with a letter or a digit.
///
/// Names become folder names (`results/<scenario>`), CSV cells, LaTeX captions and Slurm job
/// names: this alphabet cannot leave a folder (`/`, `..`), break a line, start a spreadsheet
/// formula (`=`, `+`, `-`, `@`) or need quoting in a shell, and is still enough for every name
/// the examples use (`ward-sniffer`, `arrhythmia_alarm`).
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= MAX_NAME_LEN
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The identifier closest to `name`: every other character becomes `_`, leading `_` and `-`
/// are dropped, and the result is cut to [`MAX_NAME_LEN`] (`x` when nothing is left).
pub fn identifier_like(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut out: String = mapped
        .trim_start_matches(['_', '-'])
        .chars()
        .take(MAX_NAME_LEN)
        .collect();
    while out.ends_with('_') && out.len() > 1 {
        out.pop();
    }
    if out.is_empty() { "x".into() } else { out }
}

/// Records a problem at `path` unless `name` is an identifier ([`is_identifier`]).
pub(crate) fn check_identifier(p: &mut Problems, path: &str, what: &str, name: &str) {
    if is_identifier(name) {
        return;
    }
    let shown: String = name
        .chars()
        .take(MAX_NAME_LEN + 16)
        .flat_map(char::escape_debug)
        .collect();
    p.add(
        path,
        format!(
            "the {what} name `{shown}` is not allowed: a name is 1 to {MAX_NAME_LEN} ASCII letters, digits, `_` or `-`, beginning with a letter or digit; did you mean `{}`?",
            identifier_like(name)
        ),
    );
}

fn time(p: &mut Problems, path: &str, t: &Text) -> Option<SimTime> {
    p.unit(path, quantity::duration_secs(&t.0))
        .map(SimTime::from_secs_f64)
}

fn probability(p: &mut Problems, path: &str, x: f64) -> Option<f64> {
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
    let m = apply_device_fields(p, path, base, &g.fields());
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

/// A waveform's period (the batch) and packet size.
fn check_waveform(p: &mut Problems, path: &str, w: &RawWaveform) -> Option<(SimTime, u64)> {
    let rate = p.unit(
        &format!("{path}.sample_rate"),
        quantity::hertz(&w.sample_rate.0),
    );
    let batch = time(p, &format!("{path}.batch"), &w.batch);
    let header = match &w.header {
        None => Some(0),
        Some(h) => p.unit(&format!("{path}.header"), quantity::bytes(&h.0)),
    };
    if batch == Some(SimTime::ZERO) {
        p.add(format!("{path}.batch"), "a batch must be longer than 0s");
        return None;
    }
    let (rate, batch, header) = (rate?, batch?, header?);
    let bits = rate
        * f64::from(w.bits_per_sample)
        * f64::from(w.channels.unwrap_or(1))
        * batch.as_secs_f64();
    Some((batch, header + (bits / 8.0).ceil() as u64))
}

fn check_stream(p: &mut Problems, path: &str, s: &RawStream, to: usize) -> Option<Stream> {
    if let Some(w) = &s.waveform {
        for (field, set) in [
            ("every", s.every.is_some()),
            ("poisson", s.poisson.is_some()),
            ("size", s.size.is_some()),
        ] {
            if set {
                p.add(
                    format!("{path}.{field}"),
                    "a waveform stream sets its own period (`batch`) and size; remove this field",
                );
            }
        }
        let (batch, size) = check_waveform(p, &format!("{path}.waveform"), w)?;
        let jitter = match &s.jitter {
            None => Some(Dist::Const(0.0)),
            Some(j) => p.unit(&format!("{path}.jitter"), quantity::time_dist(&j.0)),
        };
        return finish_stream(
            p,
            path,
            s,
            to,
            Arrivals::Periodic {
                period: batch,
                jitter: jitter?,
            },
            Some(size),
        );
    }
    let arrivals = match (&s.every, &s.poisson) {
        (Some(every), None) => {
            let period = time(p, &format!("{path}.every"), every);
            if period == Some(SimTime::ZERO) {
                p.add(format!("{path}.every"), "the period must be longer than 0s");
            }
            let jitter = match &s.jitter {
                None => Some(Dist::Const(0.0)),
                Some(j) => p.unit(&format!("{path}.jitter"), quantity::time_dist(&j.0)),
            };
            Some(Arrivals::Periodic {
                period: period?,
                jitter: jitter?,
            })
        }
        (None, Some(rate)) => {
            if s.jitter.is_some() {
                p.add(
                    format!("{path}.jitter"),
                    "jitter applies to periodic streams (`every`) only",
                );
            }
            let r = p.unit(&format!("{path}.poisson"), quantity::rate_per_s(&rate.0))?;
            if r <= 0.0 {
                p.add(
                    format!("{path}.poisson"),
                    format!("a rate must be > 0, found `{}`", rate.0),
                );
                return None;
            }
            Some(Arrivals::Poisson { rate_per_s: r })
        }
        (Some(_), Some(_)) => {
            p.add(
                path,
                "give either `every` (periodic) or `poisson` (random), not both",
            );
            None
        }
        (None, None) => {
            p.add(
                path,
                "say when packets are sent: `every: 1s` (periodic) or `poisson: 2/h` (random)",
            );
            None
        }
    };
    let size = match &s.size {
        Some(t) => p.unit(&format!("{path}.size"), quantity::bytes(&t.0)),
        None => {
            p.add(
                path,
                "give the packet `size` (`400B`), or describe a `waveform`",
            );
            None
        }
    };
    finish_stream(p, path, s, to, arrivals?, size)
}

/// The fields every stream shares, checked once the arrivals and the size are known.
fn finish_stream(
    p: &mut Problems,
    path: &str,
    s: &RawStream,
    to: usize,
    arrivals: Arrivals,
    size: Option<u64>,
) -> Option<Stream> {
    let size = size.and_then(|b| {
        u32::try_from(b).ok().filter(|&b| b > 0).or_else(|| {
            p.add(
                format!("{path}.size"),
                format!("a packet holds 1 B to 4 GiB, found {b} B"),
            );
            None
        })
    });
    let class = match s.class.as_deref() {
        None | Some("routine") => Some(TrafficClass::Routine),
        Some("alarm") => Some(TrafficClass::Alarm),
        Some(other) => {
            p.add(
                format!("{path}.class"),
                format!(
                    "no traffic class `{other}`{}",
                    suggest(other, &["routine", "alarm"])
                ),
            );
            None
        }
    };
    let ack = match &s.ack {
        None => Some(None),
        Some(t) => p
            .unit(&format!("{path}.ack"), quantity::bytes(&t.0))
            .and_then(|b| match u32::try_from(b) {
                Ok(b) if b > 0 => Some(Some(Bytes(b))),
                _ => {
                    p.add(
                        format!("{path}.ack"),
                        format!("an acknowledgement holds 1 B to 4 GiB, found {b} B"),
                    );
                    None
                }
            }),
    };
    let deadline = match &s.deadline {
        None => Some(None),
        Some(t) => time(p, &format!("{path}.deadline"), t).map(Some),
    };
    Some(Stream {
        name: s.name.clone(),
        arrivals,
        size: Bytes(size?),
        records: s.records.unwrap_or(1),
        class: class?,
        deadline: deadline?,
        to,
        per_destination: s.per_destination,
        ack: ack?,
    })
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
    let m = apply_link_fields(p, path, base, &l.fields());
    Some((
        pattern?,
        LinkSpec {
            name: l.name.clone(),
            group: l.name.clone(),
            rate: BitsPerSecond(m.rate_bps),
            latency: m.latency,
            loss: m.loss,
            tx_energy_per_bit: Joules(m.tx_j_per_bit),
            rx_energy_per_bit: Joules(m.rx_j_per_bit),
        },
        m.client_modem,
    ))
}

/// The group and link-group names attacks and defenses may refer to.
struct Refs<'a> {
    groups: &'a [&'a str],
    links: &'a [&'a str],
    /// Per node group: its layer and its count.
    group_layers: &'a [Layer],
    group_counts: &'a [u64],
    /// Per link group: its profile and the number of links it expands to.
    link_profiles: &'a [&'a str],
    link_counts: &'a [u64],
}

/// `name[i]` split into the name and the index, if the text has that shape.
fn indexed(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once('[')?;
    Some((name, rest.strip_suffix(']')?))
}

impl Refs<'_> {
    /// Link selectors: a link group (`ble`), one link of it (`ble[3]`, in expansion order) or
    /// every link group of a profile (`profile:ble_1m`); at least one.
    fn links(&self, p: &mut Problems, path: &str, refs: &[String]) -> Vec<Pick> {
        if refs.is_empty() {
            p.add(path, "name at least one link group to act on");
        }
        let mut picks = Vec::new();
        for (k, n) in refs.iter().enumerate() {
            let at = format!("{path}[{k}]");
            if let Some(profile) = n.strip_prefix("profile:") {
                let before = picks.len();
                picks.extend(
                    (0..self.links.len())
                        .filter(|&g| self.link_profiles[g] == profile)
                        .map(|group| Pick { group, index: None }),
                );
                if picks.len() == before {
                    let mut used = self.link_profiles.to_vec();
                    used.sort_unstable();
                    used.dedup();
                    p.add(
                        at,
                        format!(
                            "no link group uses the profile `{profile}`{}",
                            suggest(profile, &used)
                        ),
                    );
                }
                continue;
            }
            let (name, index) = match indexed(n) {
                Some((name, i)) => (name, Some(i)),
                None => (n.as_str(), None),
            };
            let Some(group) = self.links.iter().position(|l| *l == name) else {
                p.add(
                    at,
                    format!(
                        "no link group named `{name}`{} (a selector is a link group, `group[i]` or `profile:NAME`)",
                        suggest(name, self.links)
                    ),
                );
                continue;
            };
            match index.map(|i| (i, i.parse::<u64>())) {
                None => picks.push(Pick { group, index: None }),
                Some((_, Ok(i))) if i < self.link_counts[group] => picks.push(Pick {
                    group,
                    index: Some(i as u32),
                }),
                Some((i, _)) => p.add(
                    at,
                    format!(
                        "`{name}` has {} links, numbered {name}[0] to {name}[{}]; found `{name}[{i}]`",
                        self.link_counts[group],
                        self.link_counts[group].saturating_sub(1)
                    ),
                ),
            }
        }
        picks
    }

    /// Node selectors: a group (`ecg`), one node of it (`ecg[3]`) or every group of a layer
    /// (`layer:cloud`); at least one.
    fn nodes(&self, p: &mut Problems, path: &str, refs: &[String]) -> Vec<Pick> {
        if refs.is_empty() {
            p.add(path, "name at least one node group to act on");
        }
        let mut picks = Vec::new();
        for (k, n) in refs.iter().enumerate() {
            let at = format!("{path}[{k}]");
            if let Some(layer) = n.strip_prefix("layer:") {
                let wanted = match layer {
                    "sensing" => Layer::Sensing,
                    "network" => Layer::Network,
                    "cloud" => Layer::Cloud,
                    other => {
                        p.add(
                            at,
                            format!(
                                "no layer `{other}`{}",
                                suggest(other, &["sensing", "network", "cloud"])
                            ),
                        );
                        continue;
                    }
                };
                picks.extend(
                    (0..self.groups.len())
                        .filter(|&g| self.group_layers[g] == wanted)
                        .map(|group| Pick { group, index: None }),
                );
                continue;
            }
            let (name, index) = match indexed(n) {
                Some((name, i)) => (name, Some(i)),
                None => (n.as_str(), None),
            };
            let Some(group) = self.group(p, &at, name) else {
                continue;
            };
            match index.map(|i| (i, i.parse::<u64>())) {
                None => picks.push(Pick { group, index: None }),
                Some((_, Ok(i))) if i < self.group_counts[group] => picks.push(Pick {
                    group,
                    index: Some(i as u32),
                }),
                Some((i, _)) => p.add(
                    at,
                    format!(
                        "`{name}` has {} nodes, numbered {name}[0] to {name}[{}]; found `{name}[{i}]`",
                        self.group_counts[group],
                        self.group_counts[group].saturating_sub(1)
                    ),
                ),
            }
        }
        picks
    }

    /// One node group by name.
    fn group(&self, p: &mut Problems, path: &str, name: &str) -> Option<usize> {
        let found = self.groups.iter().position(|g| *g == name);
        if found.is_none() {
            p.add(
                path,
                format!("no group named `{name}`{}", suggest(name, self.groups)),
            );
        }
        found
    }
}

/// The keys every attack may have besides its kind's parameters.
const ATTACK_KEYS: &[&str] = &[
    "name", "kind", "links", "targets", "from", "start", "duration", "after",
];
/// The keys every defense may have besides its kind's parameters.
const DEFENSE_KEYS: &[&str] = &["name", "kind", "links", "targets", "cipher"];

/// Where an attack or a defense points, resolved to group indices.
#[derive(Default)]
struct Aim {
    links: Vec<Pick>,
    targets: Vec<Pick>,
    from: Option<usize>,
}

/// The `links`, `targets` and `from` of an attack or defense of kind `kind`, against what the
/// kind acts on. `from_optional`: a foothold kind given `after:` may leave `from` out, and
/// `targets` too when it acts on nodes (it then acts from every foothold).
#[allow(clippy::too_many_arguments)]
fn check_aim(
    p: &mut Problems,
    path: &str,
    kind: &str,
    selector: Targets,
    links: &[String],
    targets: &[String],
    from: Option<&str>,
    from_optional: bool,
    refs: &Refs,
) -> Aim {
    let mut aim = Aim::default();
    if selector == Targets::Links {
        aim.links = refs.links(p, &format!("{path}.links"), links);
        if !targets.is_empty() {
            p.add(
                format!("{path}.targets"),
                format!(
                    "`{kind}` acts on link groups (`links`), not on node groups; remove `targets`"
                ),
            );
        }
    } else {
        if !links.is_empty() {
            p.add(
                format!("{path}.links"),
                format!(
                    "`{kind}` acts on node groups (`targets`), not on link groups; remove `links`"
                ),
            );
        }
        // A foothold kind chained with `after:` and no `targets` acts from every foothold.
        if !(targets.is_empty() && from_optional && selector == Targets::Nodes) {
            aim.targets = refs.nodes(p, &format!("{path}.targets"), targets);
        }
        if selector == Targets::NodePair {
            if targets.len() != 2 {
                p.add(
                    format!("{path}.targets"),
                    format!(
                        "`{kind}` joins exactly two node groups (`targets: [a, b]`), found {}",
                        targets.len()
                    ),
                );
            } else if targets[0] == targets[1] {
                p.add(
                    format!("{path}.targets"),
                    format!(
                        "`{kind}` joins two different node groups, found `{}` twice",
                        targets[0]
                    ),
                );
            }
        }
    }
    match (selector, from) {
        (Targets::NodesFrom, Some(g)) => aim.from = refs.group(p, &format!("{path}.from"), g),
        (Targets::NodesFrom, None) if !from_optional => p.add(
            format!("{path}.from"),
            format!(
                "`{kind}` needs `from`: the node group where its traffic enters (`from: bots`)"
            ),
        ),
        (Targets::NodesFrom, None) => {}
        (_, Some(_)) => p.add(
            format!("{path}.from"),
            format!(
                "`{kind}` takes no `from` (its keys: {}); remove it",
                selector.keys()
            ),
        ),
        (_, None) => {}
    }
    aim
}

/// A bare number: a YAML number, or text that reads as one.
fn bare_number(v: &serde_yaml::Value) -> Option<f64> {
    match v {
        serde_yaml::Value::Number(n) => n.as_f64(),
        serde_yaml::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// One parameter's value in its stored unit, or a problem at `path`.
fn param_value(
    p: &mut Problems,
    path: &str,
    spec: &ParamSpec,
    v: &serde_yaml::Value,
) -> Option<f64> {
    use serde_yaml::Value;
    let key = spec.name;
    let example = spec.default_text;
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => {
            p.add(
                path,
                format!("`{key}` has no value; for example `{key}: {example}`"),
            );
            return None;
        }
        _ => {
            p.add(
                path,
                format!("`{key}` takes a single value, not a list or a mapping; for example `{key}: {example}`"),
            );
            return None;
        }
    };
    let number = bare_number(v);
    // A value with a unit written as a bare number: say which unit, with an example.
    let needs_unit = |p: &mut Problems, what: &str| {
        p.add(
            path,
            format!("`{key}` is a {what} and needs its unit: write it like `{key}: {example}`, not the bare number `{text}`"),
        );
    };
    let non_negative = |p: &mut Problems, x: f64, what: &str| -> Option<f64> {
        if x >= 0.0 && x.is_finite() {
            Some(x)
        } else {
            p.add(path, format!("a {what} must be ≥ 0, found `{text}`"));
            None
        }
    };
    match spec.unit {
        Unit::Probability | Unit::Factor | Unit::Count => {
            let Some(x) = number.filter(|x| x.is_finite()) else {
                p.add(
                    path,
                    format!(
                        "`{key}` is a {}, a plain number like `{example}`; found `{text}`",
                        spec.unit.describe()
                    ),
                );
                return None;
            };
            match spec.unit {
                Unit::Probability => probability(p, path, x),
                Unit::Factor => non_negative(p, x, "factor"),
                _ => {
                    if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) {
                        Some(x)
                    } else {
                        p.add(
                            path,
                            format!(
                                "a count is a whole number from 0 to {}, found `{text}`",
                                u32::MAX
                            ),
                        );
                        None
                    }
                }
            }
        }
        Unit::Seconds => {
            if number.is_some() {
                needs_unit(p, "duration");
                return None;
            }
            p.unit(path, quantity::duration_secs(&text))
        }
        Unit::SecondsOrNever if text.trim() == "never" => Some(f64::INFINITY),
        Unit::SecondsOrNever => {
            if number.is_some() {
                needs_unit(p, "duration (or `never`)");
                return None;
            }
            p.unit(path, quantity::duration_secs(&text))
        }
        Unit::PerSecond => {
            if number.is_some() {
                needs_unit(p, "rate (events per unit of time)");
                return None;
            }
            let r = p.unit(path, quantity::rate_per_s(&text))?;
            non_negative(p, r, "rate")
        }
        Unit::Bytes => {
            if number.is_some() {
                needs_unit(p, "size");
                return None;
            }
            let b = p.unit(path, quantity::bytes(&text))?;
            if b > u64::from(u32::MAX) {
                p.add(path, format!("a size is at most 4 GiB, found `{text}`"));
                return None;
            }
            Some(b as f64)
        }
        Unit::Watts => {
            if number.is_some() {
                needs_unit(p, "power");
                return None;
            }
            let w = p.unit(path, quantity::watts(&text))?;
            non_negative(p, w, "power")
        }
        Unit::Choice(words) => {
            let word = match v {
                // `true`/`false` for a yes/no choice.
                Value::Bool(b) => {
                    if *b {
                        "yes"
                    } else {
                        "no"
                    }
                }
                _ => text.trim(),
            };
            match words.iter().position(|w| *w == word) {
                Some(i) => Some(i as f64),
                None => {
                    p.add(
                        path,
                        format!(
                            "`{key}` is one of {}, found `{text}`{}",
                            words.join(", "),
                            did_you_mean(word, words.iter().copied())
                                .map_or(String::new(), |s| format!("; did you mean `{s}`?"))
                        ),
                    );
                    None
                }
            }
        }
    }
}

/// The parameters of a kind `kind` with catalogue `specs`, defaults filled in; every key of
/// `given` must be one of them (`common`: the keys every attack or defense has, offered as
/// suggestions for a misspelling).
fn check_params(
    p: &mut Problems,
    path: &str,
    kind: &str,
    specs: &'static [ParamSpec],
    given: &BTreeMap<String, serde_yaml::Value>,
    common: &[&str],
) -> Option<Params> {
    let mut params = Params::defaults(specs);
    let mut ok = true;
    let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    for (key, value) in given {
        let kpath = format!("{path}.{key}");
        let Some(spec) = specs.iter().find(|s| s.name == key) else {
            let candidates = names.iter().chain(common).copied();
            let hint = did_you_mean(key, candidates)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            let valid = if names.is_empty() {
                format!("`{kind}` takes no parameters")
            } else {
                format!("the parameters of `{kind}` are {}", names.join(", "))
            };
            p.add(
                kpath,
                format!(
                    "`{kind}` has no parameter `{key}`{hint} ({valid}; besides {})",
                    common.join(", ")
                ),
            );
            ok = false;
            continue;
        };
        match param_value(p, &kpath, spec, value) {
            Some(x) => {
                // Constraints beyond the unit's range are declared with the parameter.
                if let Err(why) = spec.admits(x) {
                    p.add(
                        kpath,
                        format!("`{key}` {why}, found `{}`", yaml_text(value)),
                    );
                    ok = false;
                } else {
                    params.set(key, x);
                }
            }
            None => ok = false,
        }
    }
    ok.then_some(params)
}

/// A scalar as written, for messages.
fn yaml_text(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// "; did you mean `x`? (known: a, b, c)" or "; known: a, b, c".
fn suggest_and_list(word: &str, names: &[&str]) -> String {
    match did_you_mean(word, names.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`? (known: {})", names.join(", ")),
        None => format!("; known: {}", names.join(", ")),
    }
}

/// An attack chained after another needs at least the privilege it requires on the footholds
/// that attack grants (a sinkhole rewrites a relay's routing: a phished user account is not
/// enough).
fn check_privilege(p: &mut Problems, path: &str, a: &RawAttack, earlier: &[RawAttack]) {
    let Some(foothold) = a
        .after
        .as_ref()
        .and_then(|n| earlier.iter().find(|e| &e.name == n))
    else {
        return;
    };
    let (Some(info), Some(from)) = (
        kinds::attack_named(&a.kind),
        kinds::attack_named(&foothold.kind),
    ) else {
        return;
    };
    if from.grants < info.requires {
        p.add(
            format!("{path}.after"),
            format!(
                "`{}` needs {} privilege on its foothold, but `{}` ({}) grants {}; chain it after an attack granting {} or more (see `iomtsim catalog attacks`)",
                a.kind,
                info.requires.name(),
                foothold.name,
                foothold.kind,
                from.grants.name(),
                info.requires.name()
            ),
        );
    }
}

fn check_attack(
    p: &mut Problems,
    path: &str,
    a: &RawAttack,
    refs: &Refs,
    attack_names: &[&str],
    index: usize,
) -> Option<Attack> {
    let start = match &a.start {
        None => Some(SimTime::ZERO),
        Some(t) => time(p, &format!("{path}.start"), t),
    };
    let duration = match &a.duration {
        None => Some(None),
        Some(t) => time(p, &format!("{path}.duration"), t).map(Some),
    };
    let after = match &a.after {
        None => Some(None),
        Some(n) => match attack_names[..index].iter().position(|e| e == n) {
            Some(k) => Some(Some(k)),
            None => {
                let earlier = &attack_names[..index];
                let message = if index == 0 {
                    format!(
                        "`after` must name an earlier attack, and this is the first; found `{n}`"
                    )
                } else if attack_names[index..].contains(&n.as_str()) {
                    format!(
                        "`{n}` comes after this attack; `after` must name an earlier attack; known: {}",
                        earlier.join(", ")
                    )
                } else {
                    format!(
                        "no earlier attack named `{n}`{}",
                        suggest_and_list(n, earlier)
                    )
                };
                p.add(format!("{path}.after"), message);
                None
            }
        },
    };
    let Some(info) = kinds::attack_named(&a.kind) else {
        let kinds: Vec<&str> = kinds::ATTACKS.iter().map(|k| k.name).collect();
        p.add(
            format!("{path}.kind"),
            format!(
                "no attack kind `{}`{}",
                a.kind,
                suggest_and_list(&a.kind, &kinds)
            ),
        );
        return None;
    };
    // A foothold kind chained with `after:` acts from the nodes that attack compromised.
    let from_optional = info.precondition == Precondition::Foothold && a.after.is_some();
    let aim = check_aim(
        p,
        path,
        info.name,
        info.targets,
        &a.links,
        &a.targets,
        a.from.as_deref(),
        from_optional,
        refs,
    );
    let params = check_params(p, path, info.name, info.params, &a.params, ATTACK_KEYS);
    Some(Attack {
        name: a.name.clone(),
        kind: info.kind,
        window: ActiveWindow {
            start: start?,
            duration: duration?,
        },
        params: params?,
        links: aim.links,
        targets: aim.targets,
        from: aim.from,
        after: after?,
    })
}

fn check_defense(
    p: &mut Problems,
    profiles: &Profiles,
    path: &str,
    d: &RawDefense,
    refs: &Refs,
) -> Option<Defense> {
    let Some(info) = kinds::defense_named(&d.kind) else {
        let kinds: Vec<&str> = kinds::DEFENSES.iter().map(|k| k.name).collect();
        p.add(
            format!("{path}.kind"),
            format!(
                "no defense kind `{}`{}",
                d.kind,
                suggest_and_list(&d.kind, &kinds)
            ),
        );
        return None;
    };
    let aim = check_aim(
        p,
        path,
        info.name,
        info.targets,
        &d.links,
        &d.targets,
        None,
        false,
        refs,
    );
    let params = check_params(p, path, info.name, info.params, &d.params, DEFENSE_KEYS);
    let cpath = format!("{path}.cipher");
    let (cipher_name, cipher, encrypts) = match (info.cipher, &d.cipher) {
        (None, None) => (None, None, false),
        (None, Some(_)) => {
            p.add(
                &cpath,
                format!("`{}` takes no cipher; remove `cipher`", info.name),
            );
            return None;
        }
        (Some(default), given) => {
            let name = given.as_deref().unwrap_or(default);
            let c = profiles.cipher(name, &cpath, p)?;
            let (fits, want) = match info.kind {
                DefenseKind::MessageAuthentication => (c.kind == CipherKind::Mac, "a `mac` cipher"),
                DefenseKind::MutualAuthentication => (
                    c.kind == CipherKind::KeyAgreement,
                    "a `key_agreement` cipher, priced per handshake",
                ),
                _ => (
                    matches!(c.kind, CipherKind::Aead | CipherKind::Mac),
                    "an `aead` or `mac` cipher, priced per packet",
                ),
            };
            if !fits {
                p.add(
                    &cpath,
                    format!(
                        "`{name}` is a {} primitive; `{}` needs {want}",
                        c.kind.name(),
                        info.name
                    ),
                );
                return None;
            }
            (Some(name.to_string()), Some(c.cost), c.kind.encrypts())
        }
    };
    // A defense covers whole groups: one node of a group is not a deployment.
    let whole = |p: &mut Problems, key: &str, picks: Vec<Pick>, names: &[&str]| -> Vec<usize> {
        for (k, pick) in picks.iter().enumerate() {
            if let Some(i) = pick.index {
                let g = names[pick.group];
                p.add(
                    format!("{path}.{key}[{k}]"),
                    format!("a defense covers whole groups: write `{g}`, not `{g}[{i}]`"),
                );
            }
        }
        let mut groups: Vec<usize> = picks.into_iter().map(|p| p.group).collect();
        groups.dedup();
        groups
    };
    let links = whole(p, "links", aim.links, refs.links);
    let targets = whole(p, "targets", aim.targets, refs.groups);
    Some(Defense {
        name: d.name.clone(),
        kind: info.kind,
        params: params?,
        links,
        targets,
        cipher_name,
        cipher,
        encrypts,
    })
}

/// What a checked scenario allows but probably does not mean, as (field path, message): an
/// attack that starts at or after the end or lasts 0 s (it never acts), a stream sent to its
/// own group, a `fan_in` link group that leaves nodes of its `to` group without a link.
pub(crate) fn warnings(s: &Scenario) -> Vec<(String, String)> {
    let mut w = Vec::new();
    for (i, a) in s.attacks.iter().enumerate() {
        if a.window.start >= s.duration {
            w.push((
                format!("attacks[{i}].start"),
                format!(
                    "`{}` starts at {} but the run ends at {}: it never acts",
                    a.name, a.window.start, s.duration
                ),
            ));
        } else if a.window.duration == Some(SimTime::ZERO) {
            w.push((
                format!("attacks[{i}].duration"),
                format!("`{}` lasts 0s: it never acts", a.name),
            ));
        }
    }
    for (gi, g) in s.groups.iter().enumerate() {
        for (j, st) in g.streams.iter().enumerate() {
            if st.to == gi {
                w.push((
                    format!("{}.streams[{j}].to", g.path),
                    format!(
                        "stream `{}` of group `{}` is sent to its own group: each node sends to a node of `{}`",
                        st.name, g.name, g.name
                    ),
                ));
            }
        }
    }
    for (k, l) in s.links.iter().enumerate() {
        if l.pattern != Pattern::FanIn || l.from.iter().all(|&f| s.radio.roams_to(f, l.to)) {
            continue;
        }
        let parents = s.groups[l.to].count as usize;
        let mut reached = vec![false; parents];
        for &f in &l.from {
            let children = s.groups[f].count as usize;
            for i in 0..children {
                reached[i * parents / children.max(1)] = true;
            }
        }
        let unreached = reached.iter().filter(|r| !**r).count();
        if unreached > 0 {
            w.push((
                format!("links[{k}].pattern"),
                format!(
                    "`fan_in` from {} node(s) to {parents} leaves {unreached} node(s) of `{}` without a link; make `{}` smaller or the `from` groups larger",
                    l.from.iter().map(|&f| s.groups[f].count as usize).sum::<usize>(),
                    s.groups[l.to].name,
                    s.groups[l.to].name
                ),
            ));
        }
    }
    w
}

#[cfg(test)]
mod name_tests {
    use super::*;

    const WARD: &str = include_str!("../../examples/ward.yaml");

    /// The ward with `from` replaced by `to` once, and the problems its check reports.
    fn problems(from: &str, to: &str) -> Vec<(String, String)> {
        assert!(WARD.contains(from), "{from}");
        let text = WARD.replacen(from, to, 1);
        let raw: RawScenario = serde_yaml::from_str(&text).unwrap();
        let mut found = match check(&raw) {
            Ok(_) => Vec::new(),
            Err(p) => p.0,
        };
        if let Some(sw) = &raw.sweep
            && let Err(p) = crate::sweep::check(
                sw,
                1,
                &raw.sensing
                    .iter()
                    .chain(&raw.network)
                    .chain(&raw.cloud)
                    .map(|g| g.group.as_str())
                    .collect::<Vec<_>>(),
            )
        {
            found.extend(p.0);
        }
        found
    }

    #[test]
    fn late_empty_attacks_self_streams_and_sparse_fan_in_are_warned_about() {
        let s = crate::parse(WARD, "ward.yaml").unwrap();
        assert!(warnings(&s).is_empty(), "{:?}", warnings(&s));
        let text = WARD
            .replacen("    rate: 1/min\n", "    rate: 1/min\n    start: 2h\n", 1)
            .replacen(
                "    record_probability: 0.01\n",
                "    record_probability: 0.01\n    duration: 0s\n",
                1,
            )
            .replacen(
                "        size: 32B\n        to: ehr",
                "        size: 32B\n        to: spo2",
                1,
            );
        let s = crate::parse(&text, "ward.yaml").unwrap();
        let w = warnings(&s);
        let paths: Vec<&str> = w.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.iter().any(|p| p.ends_with(".start")), "{w:?}");
        assert!(paths.iter().any(|p| p.ends_with(".duration")), "{w:?}");
        assert!(paths.contains(&"sensing[1].streams[0].to"), "{w:?}");
        // 2 sensors sharing 5 hubs in blocks reach 2 of them.
        let mut s = s;
        s.links[0].pattern = Pattern::FanIn;
        s.groups[0].count = 2;
        s.groups[1].count = 2;
        s.groups[2].count = 5;
        let w = warnings(&s);
        assert!(
            w.iter()
                .any(|(p, m)| p == "links[0].pattern" && m.contains("leaves 3 node(s)")),
            "{w:?}"
        );
    }

    #[test]
    fn names_are_identifiers() {
        for ok in ["ward", "ward-sniffer", "arrhythmia_alarm", "0day", "a"] {
            assert!(is_identifier(ok), "{ok}");
        }
        let long = "x".repeat(MAX_NAME_LEN + 1);
        for bad in [
            "",
            "..",
            ".",
            "/etc",
            "../../x",
            "ward\ntouch pwned\n#",
            "=cmd()",
            "+1",
            "-x",
            "@x",
            "a b",
            "é",
            "_x",
            "a.b",
            "a/b",
            "a\\b",
            &long,
        ] {
            assert!(!is_identifier(bad), "{bad:?}");
            assert!(is_identifier(&identifier_like(bad)), "{bad:?}");
        }
        assert_eq!(identifier_like("ward\ntouch pwned\n#"), "ward_touch_pwned");
        assert_eq!(identifier_like("../../x"), "x");
        assert_eq!(identifier_like("/etc"), "etc");
    }

    #[test]
    fn every_kind_of_name_is_checked_with_a_suggestion() {
        for (from, to, path) in [
            ("name: ward\n", "name: \"../../x\"\n", "name"),
            ("name: ward\n", "name: /etc\n", "name"),
            ("name: ward\n", "name: \"\"\n", "name"),
            ("name: ward\n", "name: \"ward\\ntouch pwned\\n#\"\n", "name"),
            ("group: ecg", "group: \"=ecg\"", "sensing[0].group"),
            (
                "name: waveform",
                "name: \"wave form\"",
                "sensing[0].streams[0].name",
            ),
            ("- name: ble ", "- name: \"@ble\" ", "links[0].name"),
            (
                "name: ward-sniffer",
                "name: \"-sniffer\"",
                "attacks[0].name",
            ),
            ("name: wpa2", "name: \"+wpa2\"", "defenses[0].name"),
            (
                "name: plaintext-ble",
                "name: \"plain text\"",
                "sweep.variants[0].name",
            ),
        ] {
            let found = problems(from, to);
            let hit = found
                .iter()
                .find(|(p, m)| p == path && m.contains("is not allowed"));
            let (_, message) = hit.unwrap_or_else(|| panic!("{to}: {found:?}"));
            assert!(message.contains("did you mean `"), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
    }
}
