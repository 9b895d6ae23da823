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

mod jammers;
mod mac;
pub mod mobility;
mod placement;

pub use jammers::RawJammer;
pub(crate) use jammers::check_jammers;
pub use mac::{MAC_KINDS, RawMac};
pub use mobility::RawMobility;
pub(crate) use placement::place;
use placement::point;
pub use placement::{RawArea, RawGrid, RawOnBody, RawPlacement, RawRandom};

/// Largest coordinate accepted, m (a campus is kilometres; anything past 100 km is a typo).
pub const MAX_COORDINATE_M: f64 = 100_000.0;

/// A path-loss model and its parameters; unset parameters take the model's default.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
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
    /// Medium access, if any.
    pub mac: Option<sim_core::mac::Mac>,
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
    /// Per node group: how it moves and roams (empty or default: it stands).
    pub mobility: Vec<mobility::GroupMobility>,
}

impl RadioPlan {
    /// Whether group `from` roams between the access points of group `to` (its links to
    /// `to` then reach every node of it).
    pub fn roams_to(&self, from: usize, to: usize) -> bool {
        self.mobility
            .get(from)
            .and_then(|m| m.roaming.as_ref())
            .is_some_and(|(aps, _)| aps.contains(&to))
    }

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

/// The radio settings of link profile `name` in the scenario's own profiles (following
/// `extends` within them): technology name, power, channel, path loss, and the profile's path.
struct RadioFields<'a> {
    radio: Option<&'a str>,
    tx_power_dbm: Option<f64>,
    channel: Option<u32>,
    path_loss: Option<&'a RawPathLoss>,
    mac: Option<(&'a RawMac, String)>,
    path: String,
}

fn radio_fields<'a>(raw: &'a RawScenario, name: &str) -> RadioFields<'a> {
    let mut f = RadioFields {
        radio: None,
        tx_power_dbm: None,
        channel: None,
        path_loss: None,
        mac: None,
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
        if f.mac.is_none() {
            f.mac = def
                .mac
                .as_ref()
                .map(|m| (m, format!("profiles.links.{n}.mac")));
        }
        at = def.head.extends.clone();
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
            let mac = match f.mac {
                Some((m, mpath)) => Some(mac::check_mac(p, &mpath, t, m)?),
                None => None,
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
                mac,
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
        // Nodes inside their area, on its edge included, pass the area check.
        let inside = with("{ list: [[10, 20], [14, 22], [12, 21], [11, 21.5]], area: ward }");
        assert_eq!(inside.radio.positions[0].as_ref().unwrap()[1].x, 14.0);
        with("{ random: { area: ward }, area: ward }");
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
            (
                "{ list: [[10, 20], [11, 21], [12, 21.5], [14, 25]], area: ward }",
                "sensing[0].placement.list[3]",
                "node 3 of `s` stands at [14.00, 25.00], 3.00 m outside area `ward` (from [10, 20] to [14, 22])",
            ),
            (
                "{ grid: { spacing: 3, origin: [10, 20] }, area: ward }",
                "sensing[0].placement.area",
                "node 2 of `s` stands at [16.00, 20.00], 2.00 m outside area `ward`",
            ),
            (
                "{ grid: { spacing: 3, origin: [10, 20] }, area: wrad }",
                "sensing[0].placement.area",
                "did you mean `ward`",
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
