//! From the raw file to a checked [`Scenario`]: units, ranges, names, references and limits,
//! every problem collected with its field path.

use crate::catalogue::{self, CipherKind};
use crate::error::did_you_mean;
use crate::profiles::{Profiles, apply_device_fields, apply_link_fields};
use crate::quantity::{self, UnitError};
use crate::raw::{
    RawAttack, RawDefense, RawGroup, RawLink, RawScenario, RawStream, RawWaveform, Text,
};
use crate::scenario::*;
use attacks::ActiveWindow;
use sim_core::{
    Arrivals, BitsPerSecond, Bytes, DeviceSpec, Dist, Hertz, Joules, Layer, LinkSpec, SimTime,
    TrafficClass, Watts,
};

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
        if let Some(device) = device {
            groups.push(Group {
                name: g.group.clone(),
                layer,
                count: count.clamp(1, MAX_GROUP_COUNT) as u32,
                profile: g.device.clone(),
                device,
                streams,
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
    for (i, l) in raw.links.iter().enumerate() {
        let path = format!("links[{i}]");
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
        if let (Some(from), Some(to), Some((pattern, template))) =
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
            links.push(LinkGroup {
                name: l.name.clone(),
                from,
                to,
                pattern,
                profile: l.profile.clone(),
                template,
            });
        }
    }
    let link_names: Vec<&str> = raw.links.iter().map(|l| l.name.as_str()).collect();
    let link_refs = |p: &mut Problems, path: &str, refs: &[String]| -> Vec<usize> {
        if refs.is_empty() {
            p.add(path, "name at least one link group to act on");
        }
        refs.iter()
            .enumerate()
            .filter_map(|(k, n)| {
                let found = link_names.iter().position(|l| l == n);
                if found.is_none() {
                    p.add(
                        format!("{path}[{k}]"),
                        format!("no link group named `{n}`{}", suggest(n, &link_names)),
                    );
                }
                found
            })
            .collect()
    };

    let attacks: Vec<Attack> = raw
        .attacks
        .iter()
        .enumerate()
        .filter_map(|(i, a)| check_attack(&mut p, &format!("attacks[{i}]"), a, &link_refs))
        .collect();
    let defenses: Vec<Defense> = raw
        .defenses
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            check_defense(&mut p, &profiles, &format!("defenses[{i}]"), d, &link_refs)
        })
        .collect();

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
    })
}

fn check_device(
    p: &mut Problems,
    profiles: &Profiles,
    path: &str,
    g: &RawGroup,
) -> Option<DeviceSpec> {
    let base = profiles.device(&g.device, &format!("{path}.device"), p)?;
    let m = apply_device_fields(p, path, base, &g.fields());
    Some(DeviceSpec {
        station: m.station,
        battery: m.battery_j.map(Joules),
        sleep_power: Watts(m.sleep_w),
        cpu_hz: Hertz(m.cpu_hz),
        energy_per_cycle: Joules(m.energy_per_cycle_j),
    })
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
) -> Option<(Pattern, LinkSpec)> {
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
    ))
}

type LinkRefs<'a> = dyn Fn(&mut Problems, &str, &[String]) -> Vec<usize> + 'a;

fn check_attack(
    p: &mut Problems,
    path: &str,
    a: &RawAttack,
    link_refs: &LinkRefs,
) -> Option<Attack> {
    let start = match &a.start {
        None => Some(SimTime::ZERO),
        Some(t) => time(p, &format!("{path}.start"), t),
    };
    let duration = match &a.duration {
        None => Some(None),
        Some(t) => time(p, &format!("{path}.duration"), t).map(Some),
    };
    match a.kind.as_str() {
        "eavesdrop" => {
            let links = link_refs(p, &format!("{path}.links"), &a.links);
            let capture = probability(
                p,
                &format!("{path}.capture_probability"),
                a.capture_probability.unwrap_or(1.0),
            );
            Some(Attack::Eavesdrop {
                name: a.name.clone(),
                links,
                window: ActiveWindow {
                    start: start?,
                    duration: duration?,
                },
                capture_probability: capture?,
            })
        }
        other => {
            p.add(
                format!("{path}.kind"),
                format!("no attack kind `{other}`{}", suggest(other, &["eavesdrop"])),
            );
            None
        }
    }
}

fn check_defense(
    p: &mut Problems,
    profiles: &Profiles,
    path: &str,
    d: &RawDefense,
    link_refs: &LinkRefs,
) -> Option<Defense> {
    match d.kind.as_str() {
        "link_encryption" => {
            let links = link_refs(p, &format!("{path}.links"), &d.links);
            let Some(name) = &d.cipher else {
                let names: Vec<&str> = catalogue::CIPHERS.iter().map(|c| c.name).collect();
                p.add(
                    format!("{path}.cipher"),
                    format!(
                        "link encryption needs a `cipher`; known: {}",
                        names.join(", ")
                    ),
                );
                return None;
            };
            let c = profiles.cipher(name, &format!("{path}.cipher"), p)?;
            if !matches!(c.kind, CipherKind::Aead | CipherKind::Mac) {
                p.add(
                    format!("{path}.cipher"),
                    format!(
                        "`{name}` is a {} primitive, priced per handshake, not per packet; use an `aead` or `mac` cipher",
                        c.kind.name()
                    ),
                );
                return None;
            }
            Some(Defense::LinkEncryption {
                name: d.name.clone(),
                links,
                cipher_name: name.clone(),
                cipher: c.cost,
                encrypts: c.kind.encrypts(),
            })
        }
        other => {
            p.add(
                format!("{path}.kind"),
                format!(
                    "no defense kind `{other}`{}",
                    suggest(other, &["link_encryption"])
                ),
            );
            None
        }
    }
}
