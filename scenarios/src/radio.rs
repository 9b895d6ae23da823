//! The physical layer of a scenario: radio link profiles, named areas and where each group's
//! nodes stand.
//!
//! A link profile becomes a radio by naming a technology of `sim_core::phy::technology`
//! (`radio: ieee802154`), optionally with `tx_power_dbm` (one of the chip's power levels),
//! `channel` (0 .. the technology's channel count) and `path_loss` (a model and its
//! parameters; default: the technology's). Every link of a radio link group then needs a
//! position at both ends: groups get a `placement` — `grid`, `list`, `random` in a rectangle
//! or a named area, or `on_body` (an offset from the node of another group it is paired with:
//! node `i` with node `i mod count`). Units are metres; `z` is 0 unless a coordinate gives it.
//!
//! Random placements draw from a stream named after the group and seeded from the scenario's
//! seed, so a placement is the same in every replication and every variant of a sweep.

use crate::raw::{RawGroup, RawScenario};
use crate::validate::{Problems, suggest};
use rand::Rng;
use schemars::JsonSchema;
use serde::Deserialize;
use sim_core::phy::technology::{self, TECHNOLOGIES, Technology};
use sim_core::phy::{Db, Dbm, PathLoss, Position};
use sim_core::{Hertz, rng};
use std::collections::BTreeMap;

/// Largest coordinate accepted, m (a campus is kilometres; anything past 100 km is a typo).
pub const MAX_COORDINATE_M: f64 = 100_000.0;

/// A named rectangle on the floor plane (a room, a ward, a home).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawArea {
    /// South-west corner `[x, y]`, m.
    pub origin: Vec<f64>,
    /// Extent `[width east, depth north]`, m, both > 0.
    pub size: Vec<f64>,
}

/// Where a group's nodes stand, in metres.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum RawPlacement {
    /// Row by row from `origin` (default `[0, 0]`), `spacing` metres apart, `columns` per row
    /// (default: one row).
    Grid {
        /// Distance between neighbours, m (> 0).
        spacing: f64,
        /// First node's `[x, y]` or `[x, y, z]`, m.
        origin: Option<Vec<f64>>,
        /// Nodes per row.
        columns: Option<u32>,
    },
    /// One coordinate per node, `[x, y]` or `[x, y, z]`, m; node `i` takes entry `i`.
    List(Vec<Vec<f64>>),
    /// Uniform in a rectangle: a named `area`, or `origin` and `size` given here.
    Random {
        /// A top-level `areas:` name.
        area: Option<String>,
        /// South-west corner `[x, y]`, m (without `area`).
        origin: Option<Vec<f64>>,
        /// `[width, depth]`, m (without `area`).
        size: Option<Vec<f64>>,
    },
    /// On a body: node `i` stands at `offset` from node `i mod count` of group `of` (a body
    /// sensor around its hub).
    OnBody {
        /// The group it is worn with.
        of: String,
        /// `[dx, dy]` or `[dx, dy, dz]` from that node, m.
        offset: Vec<f64>,
    },
}

/// A path-loss model and its parameters; unset parameters take the model's default.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPathLoss {
    /// `free_space` (Friis), `log_distance`, `on_body` (IEEE 802.15.6 CM3) or `implant`
    /// (CM2).
    pub model: String,
    /// Log-distance and implant: the exponent n.
    pub exponent: Option<f64>,
    /// Log-distance and implant: PL(d0), dB.
    pub reference_loss_db: Option<f64>,
    /// Log-distance: d0, m.
    pub reference_distance: Option<f64>,
    /// σ of the log-normal shadowing, dB.
    pub shadowing_db: Option<f64>,
    /// On-body: slope a, dB per decade of millimetres.
    pub a: Option<f64>,
    /// On-body: intercept b, dB.
    pub b: Option<f64>,
    /// Free space: carrier frequency, MHz (default: the technology's channel).
    pub frequency_mhz: Option<f64>,
    /// Free space: system loss, dB.
    pub system_loss_db: Option<f64>,
}

/// Path-loss model names, with what each is and its source, for the catalogue.
pub const PATH_LOSS_MODELS: [(&str, &str, &str); 4] = [
    (
        "free_space",
        "Friis: 20·log10(4πd·f/c) + system loss",
        "ns-3 FriisPropagationLossModel (radio.md §A1)",
    ),
    (
        "log_distance",
        "PL(d0) + 10·n·log10(d/d0) + N(0, σ²); default n = 3, PL(1 m) = 40.05 dB, σ = 0",
        "ns-3 LogDistancePropagationLossModel at 2.4 GHz (radio.md §A1)",
    ),
    (
        "on_body",
        "a·log10(d mm) + b + N(0, σ²); default a = 6.6, b = 36.1, σ = 3.8 dB",
        "IEEE 802.15.6 CM3, hospital room, 2.4 GHz (radio.md §A2, [U])",
    ),
    (
        "implant",
        "PL(50 mm) + 10·n·log10(d/50 mm) + N(0, σ²); default 47.14 dB, n = 4.26, σ = 7.85 dB",
        "IEEE 802.15.6 CM2, deep tissue, MICS (radio.md §A2, [U])",
    ),
];

/// A checked radio link profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RadioProfile {
    /// The technology.
    pub technology: &'static Technology,
    /// Transmit power of both ends.
    pub tx_power: Dbm,
    /// Channel number.
    pub channel: u32,
    /// Path-loss model.
    pub path_loss: PathLoss,
}

impl RadioProfile {
    /// Sender and receiver energy per bit on the air, J: `V·I/R` with the chip's currents at
    /// this power and in RX (radio.md §C).
    pub fn energy_per_bit(&self) -> (f64, f64) {
        let chip = self.technology.chip;
        let tx_ma = chip.tx_current_ma(self.tx_power).unwrap_or(chip.rx_ma);
        let per_bit = |ma: f64| chip.supply_v * ma * 1e-3 / self.technology.bit_rate;
        (per_bit(tx_ma), per_bit(chip.rx_ma))
    }
}

/// The physical layer of a checked scenario.
#[derive(Clone, Debug, Default)]
pub struct RadioPlan {
    /// Per node group (in [`crate::Scenario::groups`] order): its nodes' positions, if placed.
    pub positions: Vec<Option<Vec<Position>>>,
    /// Per link group (in [`crate::Scenario::links`] order): its radio, if it is one.
    pub links: Vec<Option<RadioProfile>>,
    /// Advice that does not stop the run (radio links out of range), with its field path.
    pub warnings: Vec<(String, String)>,
}

impl RadioPlan {
    /// The positions of node `i` of group `a` and node `j` of group `b`, if both are placed.
    pub fn ends(&self, a: usize, i: usize, b: usize, j: usize) -> Option<[Position; 2]> {
        let at = |g: usize, k: usize| {
            self.positions
                .get(g)?
                .as_ref()
                .and_then(|v| v.get(k).copied())
        };
        Some([at(a, i)?, at(b, j)?])
    }
}

fn point(p: &mut Problems, path: &str, v: &[f64]) -> Option<Position> {
    if !(2..=3).contains(&v.len()) {
        p.add(
            path,
            format!(
                "a coordinate is `[x, y]` or `[x, y, z]` in metres, found {} numbers",
                v.len()
            ),
        );
        return None;
    }
    if let Some(bad) = v
        .iter()
        .find(|c| !c.is_finite() || c.abs() > MAX_COORDINATE_M)
    {
        p.add(
            path,
            format!(
                "a coordinate is a finite number of metres within ±{MAX_COORDINATE_M}, found {bad}"
            ),
        );
        return None;
    }
    Some(Position {
        x: v[0],
        y: v[1],
        z: v.get(2).copied().unwrap_or(0.0),
    })
}

fn rectangle(
    p: &mut Problems,
    path: &str,
    origin: &[f64],
    size: &[f64],
) -> Option<(Position, [f64; 2])> {
    let o = point(p, &format!("{path}.origin"), origin)?;
    let s = point(p, &format!("{path}.size"), size)?;
    if s.x <= 0.0 || s.y <= 0.0 {
        p.add(
            format!("{path}.size"),
            format!(
                "an area's width and depth are > 0 m, found [{}, {}]",
                s.x, s.y
            ),
        );
        return None;
    }
    Some((o, [s.x, s.y]))
}

/// Places every group that has a `placement`; `groups` are the raw groups in checked order
/// with their counts and field paths.
pub(crate) fn place(
    p: &mut Problems,
    raw: &RawScenario,
    groups: &[(&RawGroup, u32, String)],
    seed: u64,
) -> Vec<Option<Vec<Position>>> {
    let areas: BTreeMap<&str, (Position, [f64; 2])> = raw
        .areas
        .iter()
        .filter_map(|(name, a)| {
            let r = rectangle(p, &format!("areas.{name}"), &a.origin, &a.size)?;
            Some((name.as_str(), r))
        })
        .collect();
    let area_names: Vec<&str> = raw.areas.keys().map(String::as_str).collect();
    let names: Vec<&str> = groups.iter().map(|(g, _, _)| g.group.as_str()).collect();
    let mut out: Vec<Option<Vec<Position>>> = vec![None; groups.len()];
    // Absolute placements first, then on-body ones (which need their partner's), in passes.
    let mut pending: Vec<usize> = (0..groups.len()).collect();
    for _pass in 0..=groups.len() {
        let mut next = Vec::new();
        for &k in &pending {
            let (g, count, path) = &groups[k];
            let Some(pl) = &g.placement else { continue };
            let ppath = format!("{path}.placement");
            let n = *count as usize;
            let placed = match pl {
                RawPlacement::Grid {
                    spacing,
                    origin,
                    columns,
                } => {
                    if !(spacing.is_finite() && *spacing > 0.0 && *spacing <= MAX_COORDINATE_M) {
                        p.add(
                            format!("{ppath}.grid.spacing"),
                            format!("the spacing is a number of metres > 0, found {spacing}"),
                        );
                        continue;
                    }
                    let o = match origin {
                        Some(o) => match point(p, &format!("{ppath}.grid.origin"), o) {
                            Some(o) => o,
                            None => continue,
                        },
                        None => Position::default(),
                    };
                    let cols = columns.unwrap_or(*count).max(1) as usize;
                    Some(
                        (0..n)
                            .map(|i| Position {
                                x: o.x + spacing * (i % cols) as f64,
                                y: o.y + spacing * (i / cols) as f64,
                                z: o.z,
                            })
                            .collect(),
                    )
                }
                RawPlacement::List(list) => {
                    if list.len() != n {
                        p.add(
                            format!("{ppath}.list"),
                            format!(
                                "`{}` has {n} nodes, so its list needs {n} coordinates; found {}",
                                g.group,
                                list.len()
                            ),
                        );
                        continue;
                    }
                    list.iter()
                        .enumerate()
                        .map(|(i, c)| point(p, &format!("{ppath}.list[{i}]"), c))
                        .collect::<Option<Vec<_>>>()
                }
                RawPlacement::Random { area, origin, size } => {
                    let rect = match (area, origin, size) {
                        (Some(a), None, None) => match areas.get(a.as_str()) {
                            Some(r) => Some(*r),
                            None => {
                                if !area_names.contains(&a.as_str()) {
                                    p.add(
                                        format!("{ppath}.random.area"),
                                        format!("no area named `{a}`{}", suggest(a, &area_names)),
                                    );
                                }
                                None
                            }
                        },
                        (None, Some(o), Some(s)) => rectangle(p, &format!("{ppath}.random"), o, s),
                        _ => {
                            p.add(
                                format!("{ppath}.random"),
                                "a random placement takes an `area` name, or an `origin` and a `size`",
                            );
                            None
                        }
                    };
                    rect.map(|(o, [w, d])| {
                        let mut s = rng::stream(seed, &format!("placement:{}", g.group));
                        (0..n)
                            .map(|_| Position {
                                x: o.x + w * s.random::<f64>(),
                                y: o.y + d * s.random::<f64>(),
                                z: o.z,
                            })
                            .collect()
                    })
                }
                RawPlacement::OnBody { of, offset } => {
                    let Some(partner) = names.iter().position(|x| x == of) else {
                        p.add(
                            format!("{ppath}.on_body.of"),
                            format!("no group named `{of}`{}", suggest(of, &names)),
                        );
                        continue;
                    };
                    let Some(d) = point(p, &format!("{ppath}.on_body.offset"), offset) else {
                        continue;
                    };
                    if groups[partner].0.placement.is_none() {
                        p.add(
                            format!("{ppath}.on_body.of"),
                            format!("`{of}` has no placement, so `{}` cannot be worn on it; give `{of}` a `placement`", g.group),
                        );
                        continue;
                    }
                    match &out[partner] {
                        Some(at) => Some(
                            (0..n)
                                .map(|i| {
                                    let b = at[i % at.len()];
                                    Position {
                                        x: b.x + d.x,
                                        y: b.y + d.y,
                                        z: b.z + d.z,
                                    }
                                })
                                .collect(),
                        ),
                        None => {
                            next.push(k);
                            None
                        }
                    }
                }
            };
            out[k] = placed;
        }
        if next.is_empty() || next.len() == pending.len() {
            for &k in next.iter().filter(|_| next.len() == pending.len()) {
                p.add(
                    format!("{}.placement.on_body.of", groups[k].2),
                    "on-body placements refer to each other in a circle; one of them needs a grid, list or random placement",
                );
            }
            break;
        }
        pending = next;
    }
    out
}

/// The radio settings of link profile `name` in the scenario's own profiles (following
/// `extends` within them): technology name, power, channel, path loss, and the profile's path.
struct RadioFields<'a> {
    radio: Option<&'a str>,
    tx_power_dbm: Option<f64>,
    channel: Option<u32>,
    path_loss: Option<&'a RawPathLoss>,
    path: String,
}

fn radio_fields<'a>(raw: &'a RawScenario, name: &str) -> RadioFields<'a> {
    let mut f = RadioFields {
        radio: None,
        tx_power_dbm: None,
        channel: None,
        path_loss: None,
        path: format!("profiles.links.{name}"),
    };
    let mut at = Some(name.to_string());
    let mut seen = 0;
    while let Some(n) = at.take() {
        let Some(def) = raw.profiles.links.get(&n) else {
            break;
        };
        seen += 1;
        if seen > raw.profiles.links.len() {
            break; // a cycle, reported by the profile resolver
        }
        if f.radio.is_none() && def.radio.is_some() {
            f.path = format!("profiles.links.{n}");
        }
        f.radio = f.radio.or(def.radio.as_deref());
        f.tx_power_dbm = f.tx_power_dbm.or(def.tx_power_dbm);
        f.channel = f.channel.or(def.channel);
        f.path_loss = f.path_loss.or(def.path_loss.as_ref());
        at = def.extends.clone();
    }
    f
}

fn check_path_loss(
    p: &mut Problems,
    path: &str,
    t: &Technology,
    channel: u32,
    r: &RawPathLoss,
) -> Option<PathLoss> {
    let nonneg = |p: &mut Problems, field: &str, v: Option<f64>, default: f64| -> Option<f64> {
        let x = v.unwrap_or(default);
        if x.is_finite() && x >= 0.0 {
            Some(x)
        } else {
            p.add(
                format!("{path}.{field}"),
                format!("`{field}` is a finite number ≥ 0, found {x}"),
            );
            None
        }
    };
    let any = |p: &mut Problems, field: &str, v: Option<f64>, default: f64| -> Option<f64> {
        let x = v.unwrap_or(default);
        if x.is_finite() {
            Some(x)
        } else {
            p.add(
                format!("{path}.{field}"),
                format!("`{field}` is a finite number, found {x}"),
            );
            None
        }
    };
    let sigma = nonneg(p, "shadowing_db", r.shadowing_db, 0.0);
    match r.model.as_str() {
        "free_space" => {
            let f = r
                .frequency_mhz
                .map(|m| m * 1e6)
                .unwrap_or_else(|| channel_frequency(t, channel));
            if !(f.is_finite() && f > 0.0) {
                p.add(
                    format!("{path}.frequency_mhz"),
                    format!("a frequency is a number of MHz > 0, found {}", f / 1e6),
                );
                return None;
            }
            Some(PathLoss::FreeSpace {
                frequency: Hertz(f),
                system_loss: Db(nonneg(p, "system_loss_db", r.system_loss_db, 0.0)?),
            })
        }
        "log_distance" => {
            let d0 = nonneg(p, "reference_distance", r.reference_distance, 1.0)?;
            if d0 <= 0.0 {
                p.add(
                    format!("{path}.reference_distance"),
                    "the reference distance is > 0 m, found 0",
                );
                return None;
            }
            Some(PathLoss::LogDistance {
                reference_loss: Db(any(p, "reference_loss_db", r.reference_loss_db, 40.05)?),
                reference_distance: d0,
                exponent: nonneg(p, "exponent", r.exponent, 3.0)?,
                shadowing: Db(sigma?),
            })
        }
        "on_body" => Some(PathLoss::OnBody {
            a: any(p, "a", r.a, 6.6)?,
            b: any(p, "b", r.b, 36.1)?,
            shadowing: Db(r.shadowing_db.map_or(Some(3.8), |_| sigma)?),
        }),
        "implant" => Some(PathLoss::Implant {
            reference_loss: Db(any(p, "reference_loss_db", r.reference_loss_db, 47.14)?),
            exponent: nonneg(p, "exponent", r.exponent, 4.26)?,
            shadowing: Db(r.shadowing_db.map_or(Some(7.85), |_| sigma)?),
        }),
        other => {
            let names: Vec<&str> = PATH_LOSS_MODELS.iter().map(|m| m.0).collect();
            p.add(
                format!("{path}.model"),
                format!("no path-loss model `{other}`{}", suggest(other, &names)),
            );
            None
        }
    }
}

/// Centre frequency of `channel`, spread evenly over the technology's band, Hz.
fn channel_frequency(t: &Technology, channel: u32) -> f64 {
    if t.channels <= 1 {
        return t.default_frequency;
    }
    t.band.0 + (t.band.1 - t.band.0) * f64::from(channel) / f64::from(t.channels - 1)
}

/// The radio of each link group whose profile names one; checks powers, channels, models and
/// that every end is placed, and warns when a link's ends are out of range at its power.
/// `links` are (raw link index, from groups, to group) of the checked link groups.
pub(crate) fn check_links(
    p: &mut Problems,
    raw: &RawScenario,
    links: &[(usize, Vec<usize>, usize, bool)],
    positions: &[Option<Vec<Position>>],
    names: &[&str],
    warnings: &mut Vec<(String, String)>,
) -> Vec<Option<RadioProfile>> {
    let tech_names: Vec<&str> = TECHNOLOGIES.iter().map(|t| t.name).collect();
    links
        .iter()
        .map(|(i, from, to, pairwise)| {
            let l = &raw.links[*i];
            let f = radio_fields(raw, &l.profile);
            let name = f.radio?;
            let path = f.path;
            let Some(t) = technology::technology(name) else {
                p.add(
                    format!("{path}.radio"),
                    format!("no radio technology `{name}`{}", suggest(name, &tech_names)),
                );
                return None;
            };
            let tx_power = Dbm(f.tx_power_dbm.unwrap_or(t.tx_power.0));
            if let Err(e) = t.chip.tx_current_ma(tx_power) {
                let levels: Vec<String> =
                    t.chip.tx_levels.iter().map(|l| format!("{}", l.0)).collect();
                p.add(
                    format!("{path}.tx_power_dbm"),
                    format!(
                        "{} ({} for `{name}`) transmits at {} dBm; found {} dBm ({e})",
                        t.chip.name,
                        t.name,
                        levels.join(", "),
                        tx_power.0
                    ),
                );
                return None;
            }
            let channel = f.channel.unwrap_or(0);
            if channel >= t.channels {
                p.add(
                    format!("{path}.channel"),
                    format!(
                        "`{name}` has channels 0 to {}; found {channel}",
                        t.channels - 1
                    ),
                );
                return None;
            }
            let path_loss = match f.path_loss {
                Some(r) => check_path_loss(p, &format!("{path}.path_loss"), t, channel, r)?,
                None => t.path_loss,
            };
            let lpath = format!("links[{i}]");
            for &g in from.iter().chain(std::iter::once(to)) {
                if positions[g].is_none() {
                    p.add(
                        format!("{lpath}.profile"),
                        format!(
                            "`{}` is a radio link ({name}), so both its ends need positions; `{}` has no `placement`",
                            l.profile, names[g]
                        ),
                    );
                }
            }
            let profile = RadioProfile {
                technology: t,
                tx_power,
                channel,
                path_loss,
            };
            // The farthest pair of ends, against the range at this power.
            let range = t.range_m(tx_power);
            let mut worst: Option<f64> = None;
            for &g in from {
                if let (Some(a), Some(b)) = (&positions[g], &positions[*to]) {
                    for (k, pa) in a.iter().enumerate() {
                        let j = if *pairwise { k % b.len() } else { k * b.len() / a.len() };
                        let d = pa.distance(b[j]);
                        worst = Some(worst.map_or(d, |w: f64| w.max(d)));
                    }
                }
            }
            if let Some(d) = worst.filter(|&d| d > range) {
                let margin = tx_power.0 - path_loss.mean_loss(d).0 - t.sensitivity.0;
                warnings.push((
                    lpath,
                    format!(
                        "a `{}` link spans {d:.1} m, beyond the {range:.1} m range of {name} at {} dBm: the mean signal is {:.1} dB below the sensitivity ({} dBm)",
                        l.name,
                        tx_power.0,
                        -margin,
                        t.sensitivity.0
                    ),
                ));
            }
            Some(profile)
        })
        .collect()
}
