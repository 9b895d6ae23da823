//! The security layer's tests, on a small ward built in `fixtures`: per attack, its effect and the
//! defenses against it (`effects`); detection, responses, costs and common random numbers
//! (`responses`); and the rule table's conformance run (`conformance`).

mod conformance;
mod effects;
mod fixtures;
mod responses;

pub(crate) use fixtures::*;

use super::*;
use crate::ActiveWindow;
use crate::catalogue;
use crate::cipher::CipherCost;
use crate::{AttackKind, DefenseKind};
use sim_core::rng::replication_seed;
use sim_core::{
    Arrivals, BitsPerSecond, DeviceSpec, Dist, Hertz, LinkSpec, NodeSpec, RunConfig, RunMetrics,
    Simulation, SourceSpec, StationSpec, StreamSpec, Topology, Watts,
};
use sim_core::{Bytes, Joules, LinkId, PatientId, TrafficClass};
