//! The physical layer of a scenario: radio link profiles, named areas and where each group's
//! nodes stand.
//!
//! A link profile becomes a radio by naming a technology of `sim_core::phy::technology`
//! (`radio: ieee802154`), optionally with `tx_power_dbm` (within the chip's range),
//! `channel` (0 .. the technology's channel count) and `path_loss` (a model and its
//! parameters; default: the technology's). Every link of a radio link group then needs a
//! position at both ends: groups get a `placement` — `grid`, `list`, `random` in a rectangle
//! or a named area, or `on_body` (an offset from the node of another group it is paired with:
//! node `i` with node `i mod count`). Units are metres; `z` is 0 unless a coordinate gives it.
//!
//! Random placements draw from a stream named after the group and seeded from the scenario's
//! seed, so a placement is the same in every replication and every variant of a sweep.

use crate::quantity;
use crate::raw::{RawGroup, RawScenario, Text};
use crate::validate::{Problems, suggest};
use rand::Rng;
use schemars::JsonSchema;
use serde::Deserialize;
use sim_core::phy::jammer::{Jammer, JammerKind};
use sim_core::phy::technology::{self, TECHNOLOGIES, Technology};
use sim_core::phy::{Db, Dbm, PathLoss, Position};
use sim_core::topology::JammerSite;
use sim_core::{Dist, Hertz, SimTime, rng};
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

/// Where a group's nodes stand, in metres: exactly one of `grid`, `list`, `random`, `on_body`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlacement {
    /// Row by row from an origin.
    pub grid: Option<RawGrid>,
    /// One coordinate per node, `[x, y]` or `[x, y, z]`, m; node `i` takes entry `i`.
    pub list: Option<Vec<Vec<f64>>>,
    /// Uniform in a rectangle.
    pub random: Option<RawRandom>,
    /// At an offset from the paired node of another group.
    pub on_body: Option<RawOnBody>,
}

/// A grid placement.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGrid {
    /// Distance between neighbours, m (> 0).
    pub spacing: f64,
    /// First node's `[x, y]` or `[x, y, z]`, m; default `[0, 0]`.
    pub origin: Option<Vec<f64>>,
    /// Nodes per row; default: one row.
    pub columns: Option<u32>,
}

/// A random placement: a named `area`, or `origin` and `size` given here.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRandom {
    /// A top-level `areas:` name.
    pub area: Option<String>,
    /// South-west corner `[x, y]`, m (without `area`).
    pub origin: Option<Vec<f64>>,
    /// `[width, depth]`, m (without `area`).
    pub size: Option<Vec<f64>>,
}

/// On a body: node `i` stands at `offset` from node `i mod count` of group `of` (a body sensor
/// around its hub).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOnBody {
    /// The group it is worn with.
    pub of: String,
    /// `[dx, dy]` or `[dx, dy, dz]` from that node, m.
    pub offset: Vec<f64>,
}

/// The one placement a [`RawPlacement`] gives.
enum Placement<'a> {
    Grid(&'a RawGrid),
    List(&'a [Vec<f64>]),
    Random(&'a RawRandom),
    OnBody(&'a RawOnBody),
}

impl RawPlacement {
    fn one(&self) -> Result<Placement<'_>, usize> {
        let mut found = Vec::new();
        if let Some(g) = &self.grid {
            found.push(Placement::Grid(g));
        }
        if let Some(l) = &self.list {
            found.push(Placement::List(l));
        }
        if let Some(r) = &self.random {
            found.push(Placement::Random(r));
        }
        if let Some(o) = &self.on_body {
            found.push(Placement::OnBody(o));
        }
        if found.len() == 1 {
            Ok(found.remove(0))
        } else {
            Err(found.len())
        }
    }
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

/// A jammer standing in the scenario (see `sim_core::topology::JammerSite`).
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJammer {
    /// Name, unique among the jammers (names its random stream).
    pub name: String,
    /// The radio technology whose channels it covers (`ieee802154`, `ble_1m`, …).
    pub radio: String,
    /// Where it stands, `[x, y]` or `[x, y, z]`, m.
    pub position: Vec<f64>,
    /// Transmit power, dBm (−60 to +40).
    pub power_dbm: f64,
    /// Channels it covers (default `[0]`).
    pub channels: Option<Vec<u32>>,
    /// `constant` (default), `random`, `reactive` or `deceptive`.
    pub kind: Option<String>,
    /// Random: jamming periods (`200ms`, a distribution); default 200 ms.
    pub on: Option<Text>,
    /// Random: silent periods; default `uniform(0ms, 1ms)`.
    pub off: Option<Text>,
    /// Reactive: sensing-to-jamming delay; default 0.
    pub delay: Option<Text>,
    /// Reactive: burst length; default 500 µs.
    pub burst: Option<Text>,
    /// Reactive: probability of reacting to a frame; default 1.
    pub probability: Option<f64>,
    /// Path loss from the jammer to receivers (default the technology's).
    pub path_loss: Option<RawPathLoss>,
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
    /// The jammers.
    pub jammers: Vec<JammerSite>,
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
            let Some(raw_pl) = &g.placement else { continue };
            let ppath = format!("{path}.placement");
            let pl = match raw_pl.one() {
                Ok(pl) => pl,
                Err(n) => {
                    p.add(
                        &ppath,
                        format!("a placement is exactly one of `grid`, `list`, `random`, `on_body`; found {n}"),
                    );
                    continue;
                }
            };
            let n = *count as usize;
            let placed = match pl {
                Placement::Grid(RawGrid {
                    spacing,
                    origin,
                    columns,
                }) => {
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
                Placement::List(list) => {
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
                Placement::Random(RawRandom { area, origin, size }) => {
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
                Placement::OnBody(RawOnBody { of, offset }) => {
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
                        "`{name}`'s chip, {}, transmits between {} and {} dBm (datasheet levels {} dBm, currents interpolated between them); found {} dBm",
                        t.chip.name,
                        e.min,
                        e.max,
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
            let range = Technology { path_loss, ..*t }.range_m(tx_power);
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

/// The scenario's jammers, checked.
pub(crate) fn check_jammers(p: &mut Problems, raw: &RawScenario) -> Vec<JammerSite> {
    let tech_names: Vec<&str> = TECHNOLOGIES.iter().map(|t| t.name).collect();
    let mut out = Vec::new();
    for (i, j) in raw.jammers.iter().enumerate() {
        let path = format!("jammers[{i}]");
        if raw.jammers[..i].iter().any(|o| o.name == j.name) {
            p.add(
                format!("{path}.name"),
                format!("the jammer name `{}` is used twice", j.name),
            );
        }
        let Some(t) = technology::technology(&j.radio) else {
            p.add(
                format!("{path}.radio"),
                format!(
                    "no radio technology `{}`{}",
                    j.radio,
                    suggest(&j.radio, &tech_names)
                ),
            );
            continue;
        };
        let position = point(p, &format!("{path}.position"), &j.position);
        if !(j.power_dbm.is_finite() && (-60.0..=40.0).contains(&j.power_dbm)) {
            p.add(
                format!("{path}.power_dbm"),
                format!(
                    "a jammer transmits at −60 to +40 dBm (1 nW to 10 W), found {}",
                    j.power_dbm
                ),
            );
        }
        let mut channels = 0u64;
        for (k, &c) in j.channels.as_deref().unwrap_or(&[0]).iter().enumerate() {
            if c >= t.channels || c >= 64 {
                p.add(
                    format!("{path}.channels[{k}]"),
                    format!(
                        "`{}` has channels 0 to {}; found {c}",
                        t.name,
                        t.channels - 1
                    ),
                );
            } else {
                channels |= 1 << c;
            }
        }
        let time = |p: &mut Problems, field: &str, v: &Option<Text>, default: &str| {
            let text = v.as_ref().map_or(default, |t| t.0.as_str());
            p.unit(&format!("{path}.{field}"), quantity::time_dist(text))
        };
        let kind = match j.kind.as_deref().unwrap_or("constant") {
            "constant" => Some(JammerKind::Constant),
            "deceptive" => Some(JammerKind::Deceptive),
            "random" => match (
                time(p, "on", &j.on, "200ms"),
                time(p, "off", &j.off, "uniform(0ms, 1ms)"),
            ) {
                (Some(on), Some(off)) => Some(JammerKind::Random { on, off }),
                _ => None,
            },
            "reactive" => {
                let probability = j.probability.unwrap_or(1.0);
                if !(0.0..=1.0).contains(&probability) {
                    p.add(
                        format!("{path}.probability"),
                        format!("a probability must lie in [0, 1], found {probability}"),
                    );
                }
                let fixed = |p: &mut Problems, field: &str, v: &Option<Text>, d: &str| {
                    time(p, field, v, d).map(|d: Dist| SimTime::from_secs_f64(d.mean()))
                };
                match (
                    fixed(p, "delay", &j.delay, "0ms"),
                    fixed(p, "burst", &j.burst, "500us"),
                ) {
                    (Some(delay), Some(burst)) => Some(JammerKind::Reactive {
                        delay,
                        burst,
                        probability,
                    }),
                    _ => None,
                }
            }
            other => {
                p.add(
                    format!("{path}.kind"),
                    format!(
                        "no jammer kind `{other}`{}",
                        suggest(other, &["constant", "random", "reactive", "deceptive"])
                    ),
                );
                None
            }
        };
        let path_loss = match &j.path_loss {
            Some(r) => check_path_loss(p, &format!("{path}.path_loss"), t, 0, r),
            None => Some(t.path_loss),
        };
        if let (Some(position), Some(kind), Some(path_loss)) = (position, kind, path_loss) {
            out.push(JammerSite {
                name: j.name.clone(),
                technology: t,
                jammer: Jammer {
                    position,
                    power: Dbm(j.power_dbm),
                    channels,
                    kind,
                },
                path_loss,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::parse;
    use sim_core::LinkId;

    const BASE: &str = "
name: t
duration: 1min
sensing:
  - group: s
    count: 4
    device: ecg_patch
    placement: PLACEMENT
    streams: [{ name: x, every: 1s, size: 20B, to: h }]
network:
  - group: h
    count: 4
    device: bedside_hub
    placement: { grid: { spacing: 3, origin: [1, 2], columns: 1 } }
areas:
  ward: { origin: [10, 20], size: [4, 2] }
links:
  - { name: r, from: s, to: h, pattern: pairwise, profile: radio154 }
profiles:
  links:
    radio154: { extends: ieee802154, radio: ieee802154, tx_power_dbm: -5, channel: 3 }
";

    fn with(placement: &str) -> crate::Scenario {
        parse(&BASE.replace("PLACEMENT", placement), "t.yaml").unwrap()
    }

    #[test]
    fn grid_list_random_and_on_body_placements() {
        let s = with("{ on_body: { of: h, offset: [0.5, 0, 1] } }");
        let hubs = s.radio.positions[1].as_ref().unwrap();
        // One column, 3 m apart, from (1, 2).
        assert_eq!((hubs[0].x, hubs[0].y, hubs[3].y), (1.0, 2.0, 11.0));
        let body = s.radio.positions[0].as_ref().unwrap();
        // Node i is worn with hub i.
        assert_eq!((body[3].x, body[3].y, body[3].z), (1.5, 11.0, 1.0));
        let s = with("{ list: [[0, 0], [1, 1], [2, 2], [3, 3, 3]] }");
        assert_eq!(s.radio.positions[0].as_ref().unwrap()[3].z, 3.0);
        // Random in the named area: inside it, and the same for the same seed.
        let a = with("{ random: { area: ward } }");
        let b = with("{ random: { area: ward } }");
        let pa = a.radio.positions[0].as_ref().unwrap();
        assert_eq!(pa, b.radio.positions[0].as_ref().unwrap());
        assert!(
            pa.iter()
                .all(|p| (10.0..14.0).contains(&p.x) && (20.0..22.0).contains(&p.y))
        );
        assert!(pa[0] != pa[1]);
    }

    #[test]
    fn radio_links_get_their_ends_channel_power_and_the_chips_energy_per_bit() {
        let s = with("{ on_body: { of: h, offset: [0, 1] } }");
        let built = s.build();
        let topo = &built.model.topology;
        let l = topo.radio(LinkId(2)).unwrap();
        assert_eq!((l.channel, l.tx_power[0].0), (3, -5.0));
        // Sensor 2 is worn 1 m north of hub 2, at (1, 8).
        assert_eq!((l.ends[0].x, l.ends[0].y), (1.0, 9.0));
        assert_eq!((l.ends[1].x, l.ends[1].y), (1.0, 8.0));
        // CC2420 at −5 dBm: 14.0 mA × 3.3 V / 250 kbit/s = 184.8 nJ/bit; RX 18.8 mA: 248.16.
        let spec = topo.link(LinkId(2));
        assert!((spec.tx_energy_per_bit.0 - 184.8e-9).abs() < 1e-15);
        assert!((spec.rx_energy_per_bit.0 - 248.16e-9).abs() < 1e-15);
        assert_eq!(spec.rate.0, 250e3);
    }

    #[test]
    fn bad_placements_are_refused_with_their_field() {
        for (placement, field, hint) in [
            (
                "{ list: [[0, 0]] }",
                "sensing[0].placement.list",
                "needs 4 coordinates",
            ),
            (
                "{ random: { area: wrad } }",
                "sensing[0].placement.random.area",
                "did you mean `ward`",
            ),
            (
                "{ grid: { spacing: -1 } }",
                "sensing[0].placement.grid.spacing",
                "> 0",
            ),
            (
                "{ grid: { spacing: 1 }, list: [] }",
                "sensing[0].placement",
                "exactly one",
            ),
            (
                "{ on_body: { of: hb, offset: [0, 0] } }",
                "sensing[0].placement.on_body.of",
                "did you mean `h`",
            ),
            (
                "{ list: [[0, 0], [1, 1], [2, 2], [1e9, 3]] }",
                "sensing[0].placement.list[3]",
                "within",
            ),
        ] {
            let err = parse(&BASE.replace("PLACEMENT", placement), "t.yaml")
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(field) && err.contains(hint),
                "{placement}: {err}"
            );
        }
    }
}
