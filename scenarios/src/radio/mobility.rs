//! How a group's nodes move (`mobility:` on a group) and roam between access points.
//!
//! ```yaml
//! mobility:
//!   path:                                   # timed walks from the node's placement
//!     - { at: 2h, to: [10, 3] }             # sets off at 02:00 at 0.943 m/s
//!     - { at: 2h10min, to: [1.5, 1.5], speed: 0.8 }
//!   roaming: { to: [ap], hysteresis_db: 8, threshold_dbm: -70, fast_transition: false }
//! ```
//!
//! Exactly one of `path`, `random_waypoint`, `gauss_markov`, `follows` (or none: static, with `roaming`
//! alone a static client still picks its strongest AP). A group placed `on_body` of a moving
//! group moves with it at its offset, without saying so. Defaults and their sources:
//! walking speed 0.943 m/s, the slowest normal walking speed of Bohannon & Andrews 2011
//! (women 80–99, radio.md §G); random waypoint speeds U(0.943, 1.434) m/s (the same
//! meta-analysis's range over age groups) and pauses of 2 s (ns-3's default, radio.md §G);
//! Gauss–Markov: memory 0.75 [U], mean speed 0.943 m/s with a deviation of 0.2 m/s [U],
//! direction deviation 45° [U], updates every 1 s (ns-3's step, radio.md §G);
//! roaming figures from `sim_core::mobility::handover`.

use super::*;
use sim_core::mobility::handover::{self, RoamingParams};
use sim_core::mobility::{GaussMarkov, Movement, RandomWaypoint, Roaming, ScriptedPath};
use sim_core::{LinkId, NodeId, Topology};

/// Default walking speed, m/s: the slowest group's normal gait in Bohannon & Andrews,
/// Physiotherapy 97:182, 2011 (women 80–99), standing for an inpatient (radio.md §G).
pub const DEFAULT_WALKING_SPEED: f64 = 0.943;
/// Default random waypoint speeds, m/s: 0.943 to 1.434, the range of normal walking speeds
/// over age groups in the same meta-analysis (radio.md §G).
pub const DEFAULT_WAYPOINT_SPEED: [f64; 2] = [0.943, 1.434];
/// Default random waypoint pause, s: ns-3 `RandomWaypointMobilityModel`'s 2 s (radio.md §G).
pub const DEFAULT_PAUSE: [f64; 2] = [2.0, 2.0];
/// Default Gauss–Markov memory α: a walk that keeps its heading for a few steps [U] (ns-3's
/// default 1.0 is a straight line, radio.md §G).
pub const DEFAULT_GM_ALPHA: f64 = 0.75;
/// Default Gauss–Markov speed deviation, m/s [U]: about half the spread of normal walking
/// speeds over age groups (0.943–1.434 m/s, radio.md §G).
pub const DEFAULT_GM_SPEED_SD: f64 = 0.2;
/// Default Gauss–Markov direction deviation, degrees [U].
pub const DEFAULT_GM_DIRECTION_SD_DEG: f64 = 45.0;
/// Default Gauss–Markov update step, s: ns-3's 1 s (radio.md §G).
pub const DEFAULT_GM_STEP_S: f64 = 1.0;
/// Below this a walker would barely move (and a random waypoint's legs last for ever), m/s.
pub const MIN_SPEED: f64 = 0.01;
/// Above this a walking patient is implausible (a warning, not an error), m/s.
pub const PLAUSIBLE_SPEED: f64 = 10.0;

/// How a group's nodes move; see the module documentation.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMobility {
    /// Timed walks from the node's placement, in time order.
    pub path: Option<Vec<RawWaypoint>>,
    /// Random waypoint in a rectangle.
    pub random_waypoint: Option<RawRandomWaypoint>,
    /// Gauss–Markov in a rectangle.
    pub gauss_markov: Option<RawGaussMarkov>,
    /// Moves with node `i mod count` of this group, at the offset between their placements.
    pub follows: Option<String>,
    /// Attaches to the strongest access point among its links to these groups, and roams.
    pub roaming: Option<RawRoaming>,
}

/// One timed walk.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWaypoint {
    /// When the node sets off (`2h`, `7200s`).
    pub at: Text,
    /// Where it walks to, `[x, y]` or `[x, y, z]`, m (z default: its current height).
    pub to: Vec<f64>,
    /// Walking speed, m/s (default 0.943).
    pub speed: Option<f64>,
}

/// A random waypoint model: a named `area`, or `origin` and `size` here.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRandomWaypoint {
    /// A top-level `areas:` name.
    pub area: Option<String>,
    /// South-west corner `[x, y]` (or `[x, y, z]`: z the walker's height), m.
    pub origin: Option<Vec<f64>>,
    /// `[width, depth]`, m.
    pub size: Option<Vec<f64>>,
    /// `[min, max]` speed, m/s, 0 < min ≤ max (default [0.943, 1.434]).
    pub speed: Option<Vec<f64>>,
    /// `[min, max]` pause, s, 0 ≤ min ≤ max (default [2, 2]).
    pub pause: Option<Vec<f64>>,
    /// Start from the stationary distribution (default true; false: uniform and at rest,
    /// whose mean speed decays over the run, radio.md §G).
    pub stationary: Option<bool>,
}

/// A Gauss–Markov model (`sim_core::mobility::gauss_markov`): a named `area`, or `origin`
/// and `size` here.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGaussMarkov {
    /// A top-level `areas:` name.
    pub area: Option<String>,
    /// South-west corner `[x, y]` (or `[x, y, z]`), m.
    pub origin: Option<Vec<f64>>,
    /// `[width, depth]`, m.
    pub size: Option<Vec<f64>>,
    /// Memory α in [0, 1]: 0 memoryless, 1 a straight line (default 0.75).
    pub alpha: Option<f64>,
    /// Mean speed, m/s (default 0.943).
    pub mean_speed: Option<f64>,
    /// Standard deviation of the speed, m/s ≥ 0 (default 0.2).
    pub speed_sd: Option<f64>,
    /// Mean direction, degrees anticlockwise from east (default 0).
    pub mean_direction_deg: Option<f64>,
    /// Standard deviation of the direction, degrees ≥ 0 (default 45).
    pub direction_sd_deg: Option<f64>,
    /// Time between updates (default `1s`).
    pub step: Option<Text>,
}

/// Roaming between access points.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRoaming {
    /// The access point groups: the group's radio links to them are expanded to every node of
    /// each, and the client uses one at a time.
    pub to: Vec<String>,
    /// Looks for another AP below this signal, dBm (default −70, iOS).
    pub threshold_dbm: Option<f64>,
    /// Another AP must be this much stronger, dB ≥ 0 (default 8, iOS while passing data).
    pub hysteresis_db: Option<f64>,
    /// 802.11r fast BSS transition: reassociation 50 ms instead of 100 ms (default false).
    pub fast_transition: Option<bool>,
    /// Reassociation time, overriding `fast_transition`'s (`300ms` for 802.1X without it).
    pub reassociation: Option<Text>,
    /// Time between measurements (default 102.4 ms, one beacon period).
    pub scan_interval: Option<Text>,
}

/// How a group's nodes move, checked.
#[derive(Clone, Debug, PartialEq)]
pub enum GroupMovement {
    /// Timed walks: (set off at, to `[x, y, z]` with z NaN for "same height", speed m/s),
    /// from each node's placement.
    Path(Vec<(SimTime, [f64; 3], f64)>),
    /// Random waypoint.
    RandomWaypoint(RandomWaypoint),
    /// Gauss–Markov.
    GaussMarkov(GaussMarkov),
    /// With node `i mod count` of this group.
    Follows(usize),
}

/// A group's mobility and roaming, checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupMobility {
    /// How it moves (`None`: it stands).
    pub movement: Option<GroupMovement>,
    /// The access point groups it roams between and how.
    pub roaming: Option<(Vec<usize>, RoamingParams)>,
}

/// The knots of a path for a node placed at `start`: it stands until each `at`, then walks
/// to the waypoint at its speed. `Err(k)`: waypoint `k` sets off before the node arrives from
/// the one before.
fn knots(
    start: Position,
    walks: &[(SimTime, [f64; 3], f64)],
) -> Result<Vec<(SimTime, Position)>, (usize, SimTime)> {
    let mut out = vec![(SimTime::ZERO, start)];
    let mut here = start;
    let mut free = SimTime::ZERO;
    for (k, &(at, to, speed)) in walks.iter().enumerate() {
        if at < free {
            return Err((k, free));
        }
        let to = Position {
            x: to[0],
            y: to[1],
            z: if to[2].is_nan() { here.z } else { to[2] },
        };
        let arrive = at.saturating_add(SimTime::from_secs_f64(here.distance(to) / speed));
        out.push((at, here));
        out.push((arrive, to));
        here = to;
        free = arrive;
    }
    Ok(out)
}

fn secs(p: &mut Problems, path: &str, t: &Option<Text>) -> Option<Option<SimTime>> {
    let Some(t) = t else { return Some(None) };
    match quantity::duration_secs(&t.0) {
        Ok(s) if s.is_finite() && s >= 0.0 => Some(Some(SimTime::from_secs_f64(s))),
        Ok(s) => {
            p.add(path, format!("a time ≥ 0 is expected, found {s} s"));
            None
        }
        Err(e) => {
            p.add(path, e.0);
            None
        }
    }
}

/// The rectangle of a walker's model at `rpath`: a named `area`, or `origin` and `size`.
fn rectangle(
    p: &mut Problems,
    raw: &RawScenario,
    rpath: &str,
    area: &Option<String>,
    origin: &Option<Vec<f64>>,
    size: &Option<Vec<f64>>,
) -> Option<(Position, [f64; 2])> {
    let rect = match (area, origin, size) {
        (Some(a), None, None) => match raw.areas.get(a) {
            Some(area) => Some((area.origin.clone(), area.size.clone())),
            None => {
                let known: Vec<&str> = raw.areas.keys().map(String::as_str).collect();
                p.add(
                    format!("{rpath}.area"),
                    format!("no area named `{a}`{}", suggest(a, &known)),
                );
                None
            }
        },
        (None, Some(o), Some(s)) => Some((o.clone(), s.clone())),
        _ => {
            p.add(rpath, "give either `area`, or `origin` and `size`");
            None
        }
    };
    rect.and_then(|(o, s)| {
        let o = point(p, &format!("{rpath}.origin"), &o)?;
        let s = point(p, &format!("{rpath}.size"), &s)?;
        if s.x > 0.0 && s.y > 0.0 {
            Some((o, [s.x, s.y]))
        } else {
            p.add(
                format!("{rpath}.size"),
                format!("width and depth are > 0 m, found [{}, {}]", s.x, s.y),
            );
            None
        }
    })
}

fn pair(p: &mut Problems, path: &str, v: &Option<Vec<f64>>, default: [f64; 2]) -> Option<[f64; 2]> {
    let Some(v) = v else { return Some(default) };
    if v.len() != 2 || v.iter().any(|x| !x.is_finite()) || v[0] > v[1] {
        p.add(
            path,
            format!("`[min, max]` with min ≤ max, two finite numbers, is expected; found {v:?}"),
        );
        return None;
    }
    Some([v[0], v[1]])
}

/// Checks every group's `mobility` (`groups`: raw group, count, field path), given the
/// groups' positions; `warnings` gets implausible speeds.
pub(crate) fn check_mobility(
    p: &mut Problems,
    raw: &RawScenario,
    groups: &[(&RawGroup, u32, String)],
    positions: &[Option<Vec<Position>>],
    warnings: &mut Vec<(String, String)>,
) -> Vec<GroupMobility> {
    let names: Vec<&str> = groups.iter().map(|(g, _, _)| g.group.as_str()).collect();
    let index = |p: &mut Problems, path: String, name: &str| -> Option<usize> {
        let i = names.iter().position(|n| *n == name);
        if i.is_none() {
            p.add(path, format!("no group `{name}`{}", suggest(name, &names)));
        }
        i
    };
    let mut out = vec![GroupMobility::default(); groups.len()];
    for (gi, (g, _, gpath)) in groups.iter().enumerate() {
        let Some(m) = &g.mobility else { continue };
        let path = format!("{gpath}.mobility");
        let given = [
            m.path.is_some(),
            m.random_waypoint.is_some(),
            m.gauss_markov.is_some(),
            m.follows.is_some(),
        ];
        if given.iter().filter(|b| **b).count() > 1 {
            p.add(
                &path,
                "a group moves one way: give at most one of `path`, `random_waypoint`, `gauss_markov`, `follows`",
            );
            continue;
        }
        let speed_ok = |p: &mut Problems, w: &mut Vec<(String, String)>, field: String, v: f64| {
            if !(v.is_finite() && v >= MIN_SPEED) {
                p.add(
                    field,
                    format!("a speed is a number of m/s ≥ {MIN_SPEED} (> 0), found {v}"),
                );
                false
            } else {
                if v > PLAUSIBLE_SPEED {
                    w.push((
                        field,
                        format!("{v} m/s is faster than {PLAUSIBLE_SPEED} m/s: implausible for a patient (normal walking is 0.9–1.4 m/s)"),
                    ));
                }
                true
            }
        };
        if let Some(walks) = &m.path {
            let mut list = Vec::new();
            for (k, w) in walks.iter().enumerate() {
                let wpath = format!("{path}.path[{k}]");
                let at = secs(p, &format!("{wpath}.at"), &Some(w.at.clone()));
                let to = point(p, &format!("{wpath}.to"), &w.to);
                let speed = w.speed.unwrap_or(DEFAULT_WALKING_SPEED);
                let ok = speed_ok(p, warnings, format!("{wpath}.speed"), speed);
                if let (Some(Some(at)), Some(to), true) = (at, to, ok) {
                    let z = if w.to.len() == 3 { to.z } else { f64::NAN };
                    list.push((at, [to.x, to.y, z], speed));
                }
            }
            if list.len() == walks.len() {
                if let Some(starts) = &positions[gi] {
                    for (i, &s) in starts.iter().enumerate() {
                        if let Err((k, free)) = knots(s, &list) {
                            p.add(
                                format!("{path}.path[{k}].at"),
                                format!(
                                    "node {i} sets off at {} but only arrives from the previous waypoint at {free}: set off later or walk faster",
                                    list[k].0
                                ),
                            );
                            break;
                        }
                    }
                } else {
                    p.add(
                        &path,
                        "a moving group needs a `placement` (where its path starts)",
                    );
                }
                out[gi].movement = Some(GroupMovement::Path(list));
            }
        }
        if let Some(r) = &m.random_waypoint {
            let rpath = format!("{path}.random_waypoint");
            let rect = rectangle(p, raw, &rpath, &r.area, &r.origin, &r.size);
            let speed = pair(
                p,
                &format!("{rpath}.speed"),
                &r.speed,
                DEFAULT_WAYPOINT_SPEED,
            );
            let speed = speed.filter(|s| {
                speed_ok(p, warnings, format!("{rpath}.speed"), s[0])
                    && speed_ok(p, warnings, format!("{rpath}.speed"), s[1])
            });
            let pause = pair(p, &format!("{rpath}.pause"), &r.pause, DEFAULT_PAUSE);
            let pause = pause.filter(|s| {
                let ok = s[0] >= 0.0;
                if !ok {
                    p.add(
                        format!("{rpath}.pause"),
                        format!("pauses are ≥ 0 s, found {}", s[0]),
                    );
                }
                ok
            });
            if let (Some((origin, size)), Some(speed), Some(pause)) = (rect, speed, pause) {
                // The walker's height: its placement's, else the area's.
                let z = positions[gi]
                    .as_ref()
                    .and_then(|v| v.first())
                    .map_or(origin.z, |q| q.z);
                out[gi].movement = Some(GroupMovement::RandomWaypoint(RandomWaypoint {
                    origin: Position { z, ..origin },
                    size,
                    speed,
                    pause,
                    stationary: r.stationary.unwrap_or(true),
                }));
            }
        }
        if let Some(r) = &m.gauss_markov {
            let rpath = format!("{path}.gauss_markov");
            let rect = rectangle(p, raw, &rpath, &r.area, &r.origin, &r.size);
            let num = |p: &mut Problems, field: &str, v: Option<f64>, range: [f64; 2], d: f64| {
                let x = v.unwrap_or(d);
                if x.is_finite() && x >= range[0] && x <= range[1] {
                    Some(x)
                } else {
                    p.add(
                        format!("{rpath}.{field}"),
                        format!(
                            "a number in [{}, {}] is expected, found {x}",
                            range[0], range[1]
                        ),
                    );
                    None
                }
            };
            let big = f64::MAX;
            let alpha = num(p, "alpha", r.alpha, [0.0, 1.0], DEFAULT_GM_ALPHA);
            let mean = num(
                p,
                "mean_speed",
                r.mean_speed,
                [0.0, big],
                DEFAULT_WALKING_SPEED,
            );
            let sd = num(p, "speed_sd", r.speed_sd, [0.0, big], DEFAULT_GM_SPEED_SD);
            let dir = num(
                p,
                "mean_direction_deg",
                r.mean_direction_deg,
                [-big, big],
                0.0,
            );
            let dir_sd = num(
                p,
                "direction_sd_deg",
                r.direction_sd_deg,
                [0.0, big],
                DEFAULT_GM_DIRECTION_SD_DEG,
            );
            if let Some(v) = mean.filter(|v| *v > PLAUSIBLE_SPEED) {
                warnings.push((
                    format!("{rpath}.mean_speed"),
                    format!("{v} m/s is faster than a walking patient (> {PLAUSIBLE_SPEED} m/s)"),
                ));
            }
            let step = secs(p, &format!("{rpath}.step"), &r.step).and_then(|s| {
                let s = s.map_or(DEFAULT_GM_STEP_S, SimTime::as_secs_f64);
                if s > 0.0 {
                    Some(s)
                } else {
                    p.add(format!("{rpath}.step"), "the step is > 0 s, found 0 s");
                    None
                }
            });
            if let (Some((origin, size)), Some(alpha), Some(mean), Some(sd), Some(dir)) =
                (rect, alpha, mean, sd, dir)
                && let (Some(dir_sd), Some(step)) = (dir_sd, step)
            {
                let z = positions[gi]
                    .as_ref()
                    .and_then(|v| v.first())
                    .map_or(origin.z, |q| q.z);
                out[gi].movement = Some(GroupMovement::GaussMarkov(GaussMarkov {
                    origin: Position { z, ..origin },
                    size,
                    alpha,
                    mean_speed: mean,
                    speed_sd: sd,
                    mean_direction: dir.to_radians(),
                    direction_sd: dir_sd.to_radians(),
                    step,
                }));
            }
        }
        if let Some(f) = &m.follows
            && let Some(l) = index(p, format!("{path}.follows"), f)
        {
            if l == gi {
                p.add(format!("{path}.follows"), "a group cannot follow itself");
            } else {
                out[gi].movement = Some(GroupMovement::Follows(l));
            }
        }
        if let Some(r) = &m.roaming {
            let rpath = format!("{path}.roaming");
            let to: Vec<usize> =
                r.to.iter()
                    .enumerate()
                    .filter_map(|(k, n)| index(p, format!("{rpath}.to[{k}]"), n))
                    .collect();
            if r.to.is_empty() {
                p.add(
                    format!("{rpath}.to"),
                    "name at least one access point group",
                );
            }
            let d = RoamingParams::default();
            let num = |p: &mut Problems, field: &str, v: Option<f64>, min: f64, d: f64| {
                let x = v.unwrap_or(d);
                if x.is_finite() && x >= min {
                    Some(x)
                } else {
                    p.add(
                        format!("{rpath}.{field}"),
                        format!("a finite number ≥ {min} is expected, found {x}"),
                    );
                    None
                }
            };
            let threshold = num(p, "threshold_dbm", r.threshold_dbm, -200.0, d.threshold.0);
            let hysteresis = num(p, "hysteresis_db", r.hysteresis_db, 0.0, d.hysteresis.0);
            let reassociation = secs(p, &format!("{rpath}.reassociation"), &r.reassociation);
            let scan = secs(p, &format!("{rpath}.scan_interval"), &r.scan_interval);
            if let Some(Some(s)) = scan.filter(|s| s.is_some_and(|s| s == SimTime::ZERO)) {
                p.add(
                    format!("{rpath}.scan_interval"),
                    format!("the scan interval is > 0, found {s}"),
                );
            }
            if let (Some(t), Some(h), Some(re), Some(sc)) =
                (threshold, hysteresis, reassociation, scan)
            {
                let fast = r.fast_transition.unwrap_or(false);
                let params = RoamingParams {
                    threshold: Dbm(t),
                    hysteresis: Db(h),
                    reassociation: re.unwrap_or(if fast {
                        handover::FAST_TRANSITION_REASSOCIATION
                    } else {
                        handover::DEFAULT_REASSOCIATION
                    }),
                    scan_interval: sc.unwrap_or(d.scan_interval).max(SimTime::from_micros(1)),
                };
                out[gi].roaming = Some((to, params));
            }
        }
    }
    // A follower of a group that does not move itself (standing, or following) stays put.
    for (gi, m) in out.iter().enumerate() {
        if let Some(GroupMovement::Follows(l)) = m.movement
            && !matches!(
                out[l].movement,
                Some(GroupMovement::Path(_))
                    | Some(GroupMovement::RandomWaypoint(_))
                    | Some(GroupMovement::GaussMarkov(_))
            )
        {
            p.add(
                    format!("{}.mobility.follows", groups[gi].2),
                    format!(
                        "`{}` does not move by a `path`, a `random_waypoint` or a `gauss_markov`, so there is nothing to follow",
                        names[l]
                    ),
                );
        }
    }
    // Body networks move with their wearer: `on_body` of a moving group follows it.
    for (gi, (g, _, _)) in groups.iter().enumerate() {
        if out[gi].movement.is_some() {
            continue;
        }
        let Some(of) = g.placement.as_ref().and_then(|pl| pl.on_body.as_ref()) else {
            continue;
        };
        if let Some(l) = names.iter().position(|n| *n == of.of)
            && matches!(
                out[l].movement,
                Some(GroupMovement::Path(_))
                    | Some(GroupMovement::RandomWaypoint(_))
                    | Some(GroupMovement::GaussMarkov(_))
            )
        {
            out[gi].movement = Some(GroupMovement::Follows(l));
        }
    }
    out
}

/// Sets the movements and roaming clients of a built topology: `group_nodes[g]` are group
/// g's nodes, `positions[g]` their placements, `mobility[g]` its checked mobility.
pub(crate) fn apply(
    topology: &mut Topology,
    mobility: &[GroupMobility],
    positions: &[Option<Vec<Position>>],
    group_nodes: &[Vec<NodeId>],
) {
    for (g, m) in mobility.iter().enumerate() {
        let Some(mv) = &m.movement else { continue };
        let Some(at) = positions.get(g).and_then(Option::as_ref) else {
            continue;
        };
        for (i, &node) in group_nodes[g].iter().enumerate() {
            let movement = match mv {
                GroupMovement::Path(walks) => match knots(at[i], walks) {
                    Ok(k) => match ScriptedPath::new(k) {
                        Ok(path) => Movement::Path(path),
                        Err(_) => continue,
                    },
                    Err(_) => continue,
                },
                GroupMovement::RandomWaypoint(w) => Movement::RandomWaypoint(*w),
                GroupMovement::GaussMarkov(g) => Movement::GaussMarkov(*g),
                GroupMovement::Follows(l) => {
                    let Some(lat) = positions.get(*l).and_then(Option::as_ref) else {
                        continue;
                    };
                    let j = i % group_nodes[*l].len().max(1);
                    let (me, them) = (at[i], lat[j]);
                    Movement::Follows {
                        leader: group_nodes[*l][j],
                        offset: Position {
                            x: me.x - them.x,
                            y: me.y - them.y,
                            z: me.z - them.z,
                        },
                    }
                }
            };
            topology.set_movement(node, movement);
        }
    }
    for (g, m) in mobility.iter().enumerate() {
        let Some((aps, params)) = &m.roaming else {
            continue;
        };
        for &node in &group_nodes[g] {
            let links: Vec<LinkId> = topology
                .neighbours(node)
                .filter(|&(l, other)| {
                    topology.radio(l).is_some()
                        && aps.iter().any(|&a| group_nodes[a].contains(&other))
                })
                .map(|(l, _)| l)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            if links.len() >= 2 {
                topology.add_roaming(Roaming {
                    node,
                    links,
                    params: *params,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ScenarioError;

    const CORRIDOR: &str = include_str!("../../../examples/corridor.yaml");

    #[test]
    fn the_corridor_moves_its_hubs_and_their_body_networks_and_roams_over_every_ap() {
        let s = crate::parse(CORRIDOR, "corridor.yaml").unwrap();
        let b = s.build();
        let topo = &b.model.topology;
        let name = |n: NodeId| topo.node(n).name.to_string();
        let moving: Vec<String> = topo.movements().iter().map(|(n, _)| name(*n)).collect();
        // Both hubs move; their sensors follow (on_body), the APs stand.
        for n in ["hub[0]", "hub2[0]", "ecg[0]", "spo2[0]", "ecg2[0]"] {
            assert!(moving.iter().any(|m| m == n), "{n} in {moving:?}");
        }
        assert_eq!(moving.len(), 5);
        // Each hub roams over three APs and the rogue: four candidate links.
        let roaming = topo.roaming();
        assert_eq!(roaming.len(), 2);
        assert!(roaming.iter().all(|r| r.links.len() == 4));
        assert_eq!(roaming[0].params, RoamingParams::default());
        // The walk: at its bed until 10 min, at the far end 86 m / 0.943 m/s later.
        let walker = topo.movements().iter().find(|(n, _)| name(*n) == "hub[0]");
        let Some((_, Movement::Path(path))) = walker else {
            panic!("a path")
        };
        assert_eq!(
            path.at(SimTime::from_secs(300)),
            Position {
                x: 2.0,
                y: 1.5,
                z: 1.0
            }
        );
        let arrive = 600.0 + 86.0 / DEFAULT_WALKING_SPEED;
        assert_eq!(path.at(SimTime::from_secs_f64(arrive + 1.0)).x, 88.0);
        assert!((path.at(SimTime::from_secs_f64(600.0 + 43.0 / 0.943)).x - 45.0).abs() < 1e-6);
        // No fan_in warning for the APs the hubs reach by roaming.
        assert!(
            crate::validate::warnings(&s)
                .iter()
                .all(|w| !w.1.contains("fan_in")),
            "{:?}",
            crate::validate::warnings(&s)
        );
    }

    fn refused(text: &str) -> Vec<crate::error::Diagnostic> {
        match crate::parse(text, "corridor.yaml") {
            Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_mobility_is_refused_where_the_file_says_it() {
        let slow = CORRIDOR.replace(
            "{ at: 20min, to: [2, 1.5] }",
            "{ at: 20min, to: [2, 1.5], speed: 0 }",
        );
        let d = refused(&slow);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, "network[0].mobility.path[1].speed");
        assert!(d[0].message.contains("found 0"), "{}", d[0].message);
        assert!(d[0].line.is_some());
        // Setting off before arriving from the walk before.
        let rushed = CORRIDOR.replace("at: 20min", "at: 630s");
        let d = refused(&rushed);
        assert_eq!(d[0].path, "network[0].mobility.path[1].at");
        assert!(d[0].message.contains("arrives"), "{}", d[0].message);
        // An unknown AP group, with a suggestion.
        let d = refused(&CORRIDOR.replace(
            "roaming: { to: [ap, rogue_ap] }\n  - group: hub2",
            "roaming: { to: [aps, rogue_ap] }\n  - group: hub2",
        ));
        assert_eq!(d[0].path, "network[0].mobility.roaming.to[0]");
        assert!(d[0].message.contains("`ap`"), "{}", d[0].message);
        // Pauses out of order, and two movements at once.
        let d = refused(&CORRIDOR.replace("pause: [0, 60]", "pause: [60, 0]"));
        assert_eq!(d[0].path, "network[1].mobility.random_waypoint.pause");
        let d = refused(&CORRIDOR.replace(
            "random_waypoint: { area: corridor, pause: [0, 60] }",
            "random_waypoint: { area: corridor }\n      follows: hub",
        ));
        assert_eq!(d[0].path, "network[1].mobility");
    }

    #[test]
    fn a_gauss_markov_walk_is_read_with_its_defaults_and_its_mistakes_located() {
        let gm = CORRIDOR.replace(
            "random_waypoint: { area: corridor, pause: [0, 60] }",
            "gauss_markov: { area: corridor, alpha: 0.9, mean_direction_deg: 90 }",
        );
        let s = crate::parse(&gm, "corridor.yaml").unwrap();
        let b = s.build();
        let topo = &b.model.topology;
        let walker = topo
            .movements()
            .iter()
            .find(|(n, _)| topo.node(*n).name == "hub2[0]");
        let Some((_, Movement::GaussMarkov(g))) = walker else {
            panic!("a Gauss–Markov walker: {walker:?}")
        };
        assert_eq!(g.alpha, 0.9);
        assert_eq!(g.mean_speed, DEFAULT_WALKING_SPEED);
        assert_eq!(g.speed_sd, DEFAULT_GM_SPEED_SD);
        assert!((g.mean_direction - std::f64::consts::FRAC_PI_2).abs() < 1e-12);
        assert!((g.direction_sd - DEFAULT_GM_DIRECTION_SD_DEG.to_radians()).abs() < 1e-12);
        assert_eq!(g.step, DEFAULT_GM_STEP_S);
        // Its body network follows it.
        assert!(
            topo.movements()
                .iter()
                .any(|(n, m)| topo.node(*n).name == "ecg2[0]"
                    && matches!(m, Movement::Follows { .. }))
        );
        let d = refused(&gm.replace("alpha: 0.9", "alpha: 1.5"));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, "network[1].mobility.gauss_markov.alpha");
        assert!(d[0].message.contains("[0, 1]"), "{}", d[0].message);
        assert!(d[0].line.is_some());
        let d = refused(&gm.replace("alpha: 0.9", "alpha: 0.9, step: 0s"));
        assert_eq!(d[0].path, "network[1].mobility.gauss_markov.step");
    }

    #[test]
    fn an_implausible_speed_is_a_warning() {
        let fast = CORRIDOR.replace(
            "{ at: 20min, to: [2, 1.5] }",
            "{ at: 20min, to: [2, 1.5], speed: 12 }",
        );
        let s = crate::parse(&fast, "corridor.yaml").unwrap();
        assert!(
            s.radio
                .warnings
                .iter()
                .any(|w| w.0 == "network[0].mobility.path[1].speed" && w.1.contains("implausible")),
            "{:?}",
            s.radio.warnings
        );
    }

    #[test]
    fn a_path_sets_off_at_each_time_and_arrives_at_walking_speed() {
        let walks = vec![
            (SimTime::from_secs(7200), [10.0, 0.0, f64::NAN], 1.0),
            (SimTime::from_secs(7800), [0.0, 0.0, f64::NAN], 2.0),
        ];
        let k = knots(
            Position {
                x: 0.0,
                y: 0.0,
                z: 0.8,
            },
            &walks,
        )
        .unwrap();
        assert_eq!(k.len(), 5);
        assert_eq!(k[2].0, SimTime::from_secs(7210));
        assert_eq!(
            k[2].1,
            Position {
                x: 10.0,
                y: 0.0,
                z: 0.8
            }
        );
        assert_eq!(k[4].0, SimTime::from_secs(7805));
        // Setting off again before arriving is refused.
        let rushed = vec![
            walks[0],
            (SimTime::from_secs(7205), [0.0, 0.0, f64::NAN], 1.0),
        ];
        assert_eq!(
            knots(Position::default(), &rushed),
            Err((1, SimTime::from_secs(7210)))
        );
    }
}
