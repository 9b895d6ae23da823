//! # mobility — where moving nodes are, as a function of time
//!
//! A node is static unless the scenario gives it a [`Movement`]:
//! - [`ScriptedPath`] — timed knots joined by straight walks: "the patient walks to the
//!   bathroom at 02:00 and back at 02:10";
//! - [`RandomWaypoint`] — walks at a uniform speed to a uniform point of a rectangle, pauses,
//!   and again, started from the model's stationary distribution ([`waypoint`]);
//! - [`GaussMarkov`] — speed and direction each an autoregressive process with memory `α`,
//!   reflected at the edges of a rectangle, started from its stationary law
//!   ([`gauss_markov`]);
//! - `Follows` — moves with another node at a fixed offset (a body network with its patient).
//!
//! Positions are not updated on a tick: whoever needs one (a link pricing a frame's path loss,
//! a roaming client measuring its access points) asks [`Motion::position`] at the current
//! event's instant, so a static scenario costs nothing and keeps every output.
//! [`handover`] decides which access point a roaming client is attached to.
//!
//! Invariant: `Motion` is asked in non-decreasing time (event order); a random waypoint walker
//! only moves forward through its legs. Each walker draws from its own stream,
//! `mobility:NODE`, so adding mobility to one group shifts no other draw.

pub mod gauss_markov;
pub mod handover;
pub mod waypoint;

use crate::ids::NodeId;
use crate::phy::Position;
use crate::rng::{self, Stream};
use crate::time::SimTime;
pub use gauss_markov::{GaussMarkov, GaussMarkovWalker};
pub use handover::{Roaming, RoamingParams};
pub use waypoint::{RandomWaypoint, Walker};

/// Timed waypoints: the node stands at `knots[0]`'s position until its time, walks in a
/// straight line at constant speed from each knot to the next (arriving at the next knot's
/// time), and stays at the last one.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptedPath {
    knots: Vec<(SimTime, Position)>,
}

/// Why a path cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PathError {
    /// No knot at all.
    #[error("a scripted path needs at least one waypoint")]
    Empty,
    /// A knot earlier than the one before it.
    #[error("waypoint {index} at {at} is earlier than the one before it ({before})")]
    OutOfOrder {
        /// The knot's index.
        index: usize,
        /// Its time.
        at: SimTime,
        /// The previous knot's time.
        before: SimTime,
    },
    /// A coordinate that is not a finite number.
    #[error("waypoint {0} has a coordinate that is not a finite number")]
    NotFinite(usize),
}

impl ScriptedPath {
    /// A path through `knots` (time, position), in non-decreasing time.
    pub fn new(knots: Vec<(SimTime, Position)>) -> Result<ScriptedPath, PathError> {
        if knots.is_empty() {
            return Err(PathError::Empty);
        }
        for (i, k) in knots.iter().enumerate() {
            if !k.1.is_finite() {
                return Err(PathError::NotFinite(i));
            }
            if i > 0 && k.0 < knots[i - 1].0 {
                return Err(PathError::OutOfOrder {
                    index: i,
                    at: k.0,
                    before: knots[i - 1].0,
                });
            }
        }
        Ok(ScriptedPath { knots })
    }

    /// The knots, in time order.
    pub fn knots(&self) -> &[(SimTime, Position)] {
        &self.knots
    }

    /// The position at `t`: linear interpolation between the knots around it.
    pub fn at(&self, t: SimTime) -> Position {
        let k = &self.knots;
        // The first knot later than t.
        let i = k.partition_point(|(at, _)| *at <= t);
        if i == 0 {
            return k[0].1;
        }
        if i == k.len() {
            return k[k.len() - 1].1;
        }
        let (t0, p0) = k[i - 1];
        let (t1, p1) = k[i];
        let span = t1.as_nanos().saturating_sub(t0.as_nanos());
        if span == 0 {
            return p1;
        }
        let f = (t.as_nanos() - t0.as_nanos()) as f64 / span as f64;
        lerp(p0, p1, f)
    }

    /// Seconds spent walking (between two knots at different places) during `[a, b]`
    /// (seconds).
    pub fn walking_s(&self, a: f64, b: f64) -> f64 {
        self.knots
            .windows(2)
            .filter(|k| k[0].1.distance(k[1].1) > 0.0)
            .map(|k| overlap(k[0].0.as_secs_f64(), k[1].0.as_secs_f64(), a, b))
            .sum()
    }

    /// The speed at `t`, m/s (0 outside the walks).
    pub fn speed(&self, t: SimTime) -> f64 {
        let k = &self.knots;
        let i = k.partition_point(|(at, _)| *at <= t);
        if i == 0 || i == k.len() {
            return 0.0;
        }
        let (t0, p0) = k[i - 1];
        let (t1, p1) = k[i];
        p0.distance(p1) / t1.saturating_sub(t0).as_secs_f64()
    }
}

/// The length of `[s0, s1] ∩ [a, b]`, seconds.
fn overlap(s0: f64, s1: f64, a: f64, b: f64) -> f64 {
    (s1.min(b) - s0.max(a)).max(0.0)
}

/// `a + f·(b − a)`.
fn lerp(a: Position, b: Position, f: f64) -> Position {
    Position {
        x: a.x + f * (b.x - a.x),
        y: a.y + f * (b.y - a.y),
        z: a.z + f * (b.z - a.z),
    }
}

/// How one node moves.
#[derive(Clone, Debug, PartialEq)]
pub enum Movement {
    /// Along timed waypoints.
    Path(ScriptedPath),
    /// Random waypoint in a rectangle.
    RandomWaypoint(RandomWaypoint),
    /// Gauss–Markov in a rectangle.
    GaussMarkov(GaussMarkov),
    /// With `leader`, at `offset` from it (the leader must have a path, a random waypoint or a
    /// Gauss–Markov walk).
    Follows {
        /// The node it moves with.
        leader: NodeId,
        /// Its position minus the leader's, m.
        offset: Position,
    },
}

/// One moving node's own track.
#[derive(Clone, Debug)]
enum Track {
    Path(ScriptedPath),
    Walk(Box<Walker>, Stream),
    Drift(Box<GaussMarkovWalker>, Stream),
}

const STILL: u32 = u32::MAX;

/// The moving nodes of one run: per node, its track (its own or its leader's) and offset.
#[derive(Clone, Debug, Default)]
pub struct Motion {
    /// Per node, the index of its track, or `STILL`; empty when nothing moves. For the
    /// motion of one node alone (`only`), its single entry.
    track_of: Vec<u32>,
    offset: Vec<Position>,
    tracks: Vec<Track>,
    /// Set for [`Motion::of_node`]'s motion: the one node `track_of` and `offset` describe.
    only: Option<NodeId>,
}

impl Motion {
    /// The motion of `movements` (node, movement) in a network of `nodes` nodes for
    /// replication `seed`; `names[node]` keys each walker's stream. A follower of a node that
    /// does not move stays still.
    pub fn new(
        nodes: usize,
        movements: &[(NodeId, Movement)],
        names: &[&str],
        seed: u64,
    ) -> Motion {
        let mut m = Motion::default();
        if movements.is_empty() {
            return m;
        }
        m.track_of = vec![STILL; nodes];
        m.offset = vec![Position::default(); nodes];
        for (node, mv) in movements {
            let track = match mv {
                Movement::Path(p) => Track::Path(p.clone()),
                Movement::RandomWaypoint(w) => {
                    let name = names.get(node.index()).copied().unwrap_or("");
                    let mut rng = rng::stream(seed, &format!("mobility:{name}"));
                    let walker = Walker::start(*w, &mut rng);
                    Track::Walk(Box::new(walker), rng)
                }
                Movement::GaussMarkov(g) => {
                    let name = names.get(node.index()).copied().unwrap_or("");
                    let mut rng = rng::stream(seed, &format!("mobility:{name}"));
                    let walker = GaussMarkovWalker::start(*g, &mut rng);
                    Track::Drift(Box::new(walker), rng)
                }
                Movement::Follows { .. } => continue,
            };
            m.track_of[node.index()] = m.tracks.len() as u32;
            m.tracks.push(track);
        }
        for (node, mv) in movements {
            if let Movement::Follows { leader, offset } = mv {
                m.track_of[node.index()] = m.track_of[leader.index()];
                m.offset[node.index()] = *offset;
            }
        }
        m
    }

    /// `node`'s entry in `track_of` and `offset`.
    #[inline]
    fn entry(&self, node: NodeId) -> Option<usize> {
        match self.only {
            None => Some(node.index()),
            Some(n) => (n == node).then_some(0),
        }
    }

    /// The index of `node`'s track, if it moves.
    #[inline]
    fn track(&self, node: NodeId) -> Option<u32> {
        let &track = self.track_of.get(self.entry(node)?)?;
        (track != STILL).then_some(track)
    }

    /// Whether any node moves.
    #[inline]
    pub fn any(&self) -> bool {
        !self.tracks.is_empty()
    }

    /// Whether `node` moves.
    #[inline]
    pub fn moves(&self, node: NodeId) -> bool {
        self.track(node).is_some()
    }

    /// Where `node` is at `t` (`None` for a node that does not move: its placement stands).
    /// Calls for a walker's node must come in non-decreasing `t`.
    #[inline]
    pub fn position(&mut self, node: NodeId, t: SimTime) -> Option<Position> {
        let track = self.track(node)?;
        let base = match &mut self.tracks[track as usize] {
            Track::Path(p) => p.at(t),
            Track::Walk(w, rng) => w.at(t.as_secs_f64(), rng),
            Track::Drift(w, rng) => w.at(t.as_secs_f64(), rng),
        };
        let o = self.offset[self.entry(node)?];
        Some(Position {
            x: base.x + o.x,
            y: base.y + o.y,
            z: base.z + o.z,
        })
    }

    /// The motion of `node` alone (its own track, or its leader's), so that its walks can be
    /// queried in their own time order, apart from the other nodes'. The walker's stream is
    /// cloned with it: the same replication gives the same track. It holds that node's entry
    /// only (a copy of the per-node tables per moving source grew as sources × nodes).
    pub fn of_node(&self, node: NodeId) -> Option<Motion> {
        let track = self.track(node)?;
        let e = self.entry(node)?;
        Some(Motion {
            track_of: vec![0],
            offset: vec![self.offset[e]],
            tracks: vec![self.tracks[track as usize].clone()],
            only: Some(node),
        })
    }

    /// Seconds `node` spends walking (not standing or pausing) during `[a, b]`: 0 for a
    /// node that does not move. Calls for a walker's node must come in non-decreasing `a`.
    pub fn walking_s(&mut self, node: NodeId, a: SimTime, b: SimTime) -> f64 {
        let Some(track) = self.track(node) else {
            return 0.0;
        };
        if b <= a {
            return 0.0;
        }
        let (a, b) = (a.as_secs_f64(), b.as_secs_f64());
        match &mut self.tracks[track as usize] {
            Track::Path(p) => p.walking_s(a, b),
            Track::Walk(w, rng) => w.walking_s(a, b, rng),
            // A Gauss–Markov walker never pauses: it is on the move the whole interval.
            Track::Drift(..) => b - a,
        }
    }

    /// Whether `node` is walking at `t` (not standing or pausing).
    pub fn walking(&mut self, node: NodeId, t: SimTime) -> bool {
        let Some(track) = self.track(node) else {
            return false;
        };
        match &mut self.tracks[track as usize] {
            Track::Path(p) => p.speed(t) > 0.0,
            Track::Walk(w, rng) => w.speed(t.as_secs_f64(), rng) > 0.0,
            Track::Drift(w, rng) => w.speed(t.as_secs_f64(), rng) > 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(secs: u64) -> SimTime {
        SimTime::from_secs(secs)
    }

    /// Bed at (0, 0); at 02:00 walks 12 m to the bathroom in 10 s, back at 02:10.
    fn bathroom() -> ScriptedPath {
        ScriptedPath::new(vec![
            (s(7200), Position::new(0.0, 0.0)),
            (s(7210), Position::new(12.0, 0.0)),
            (s(7800), Position::new(12.0, 0.0)),
            (s(7810), Position::new(0.0, 0.0)),
        ])
        .unwrap()
    }

    #[test]
    fn a_scripted_path_interpolates_between_timed_waypoints() {
        let p = bathroom();
        assert_eq!(p.at(s(0)), Position::new(0.0, 0.0));
        assert_eq!(p.at(s(7200)), Position::new(0.0, 0.0));
        assert_eq!(p.at(s(7205)), Position::new(6.0, 0.0));
        assert_eq!(
            p.at(SimTime::from_millis(7_202_500)),
            Position::new(3.0, 0.0)
        );
        assert_eq!(p.at(s(7500)), Position::new(12.0, 0.0));
        assert!((p.at(s(7809)).x - 1.2).abs() < 1e-12);
        assert_eq!(p.at(s(9000)), Position::new(0.0, 0.0));
        assert_eq!(p.speed(s(7205)), 1.2);
        assert_eq!(p.speed(s(7500)), 0.0);
        assert_eq!(p.speed(s(100)), 0.0);
    }

    #[test]
    fn a_path_refuses_waypoints_out_of_order() {
        let e = ScriptedPath::new(vec![
            (s(10), Position::new(0.0, 0.0)),
            (s(5), Position::new(1.0, 0.0)),
        ]);
        assert!(matches!(e, Err(PathError::OutOfOrder { index: 1, .. })));
        assert_eq!(ScriptedPath::new(vec![]), Err(PathError::Empty));
    }

    #[test]
    fn a_follower_moves_with_its_leader_and_still_nodes_have_no_motion() {
        let moves = vec![
            (NodeId(1), Movement::Path(bathroom())),
            (
                NodeId(2),
                Movement::Follows {
                    leader: NodeId(1),
                    offset: Position {
                        x: 0.0,
                        y: 0.6,
                        z: 0.2,
                    },
                },
            ),
        ];
        let mut m = Motion::new(3, &moves, &["a", "b", "c"], 1);
        assert!(m.any());
        assert_eq!(m.position(NodeId(0), s(7205)), None);
        assert_eq!(
            m.position(NodeId(1), s(7205)),
            Some(Position::new(6.0, 0.0))
        );
        let f = m.position(NodeId(2), s(7205)).unwrap();
        assert_eq!((f.x, f.y, f.z), (6.0, 0.6, 0.2));
        assert!(m.walking(NodeId(2), s(7205)));
        assert!(!m.walking(NodeId(2), s(7500)));
        assert!(!Motion::new(3, &[], &[], 1).any());
    }

    #[test]
    fn a_gauss_markov_walker_draws_from_its_own_stream() {
        let g = GaussMarkov {
            origin: Position::new(0.0, 0.0),
            size: [30.0, 10.0],
            alpha: 0.75,
            mean_speed: 1.2,
            speed_sd: 0.3,
            mean_direction: 0.0,
            direction_sd: 0.5,
            step: 1.0,
        };
        let moves = vec![(NodeId(1), Movement::GaussMarkov(g))];
        let track = |names: &[&str]| {
            let mut m = Motion::new(2, &moves, names, 9);
            (0..600)
                .map(|k| m.position(NodeId(1), s(k)).unwrap())
                .collect::<Vec<_>>()
        };
        let a = track(&["hub", "walker"]);
        assert!(
            a.iter()
                .all(|p| (0.0..=30.0).contains(&p.x) && (0.0..=10.0).contains(&p.y))
        );
        // The same node name gives the same walk; another name, another one.
        assert_eq!(a, track(&["other_hub", "walker"]));
        assert_ne!(a, track(&["hub", "patient"]));
        let mut m = Motion::new(2, &moves, &["hub", "walker"], 9);
        assert!(m.walking(NodeId(1), s(10)));
        assert_eq!(m.position(NodeId(0), s(10)), None);
    }

    #[test]
    fn walking_time_counts_the_walks_only_and_a_node_alone_keeps_its_track() {
        let p = bathroom();
        // Two 10 s walks; the 590 s in the bathroom and the hours in bed do not count.
        assert_eq!(p.walking_s(0.0, 9000.0), 20.0);
        assert_eq!(p.walking_s(7205.0, 7805.0), 10.0);
        assert_eq!(p.walking_s(7300.0, 7700.0), 0.0);
        // A random walker: its walking time over [0, T] is what sampling its speed finds, and
        // the motion of one node alone replays the same track.
        let w = RandomWaypoint {
            origin: Position::new(0.0, 0.0),
            size: [20.0, 10.0],
            speed: [0.5, 1.5],
            pause: [10.0, 60.0],
            stationary: true,
        };
        let moves = vec![(NodeId(0), Movement::RandomWaypoint(w))];
        let mut all = Motion::new(2, &moves, &["walker", "bed"], 9);
        let mut alone = all.of_node(NodeId(0)).unwrap();
        assert!(all.of_node(NodeId(1)).is_none());
        // One node's motion holds that node's entry only, and knows no other node.
        assert_eq!((alone.track_of.len(), alone.offset.len()), (1, 1));
        assert!(alone.moves(NodeId(0)) && !alone.moves(NodeId(1)));
        assert_eq!(alone.position(NodeId(1), s(5)), None);
        assert_eq!(alone.walking_s(NodeId(1), s(0), s(3600)), 0.0);
        let mut replay = all.of_node(NodeId(0)).unwrap();
        let mut whole = all.clone();
        for k in 0..50 {
            assert_eq!(
                replay.position(NodeId(0), s(37 * k)),
                whole.position(NodeId(0), s(37 * k))
            );
        }
        let mut walked = 0.0;
        for k in 0..36 {
            walked += alone.walking_s(NodeId(0), s(100 * k), s(100 * (k + 1)));
        }
        let sampled = (0..36_000)
            .filter(|&k| all.walking(NodeId(0), SimTime::from_millis(100 * k + 50)))
            .count() as f64
            * 0.1;
        assert!(walked > 100.0, "{walked}");
        assert!(
            (walked - sampled).abs() < 0.01 * walked + 1.0,
            "{walked} vs {sampled}"
        );
        assert_eq!(all.walking_s(NodeId(1), s(0), s(3600)), 0.0);
    }
}
