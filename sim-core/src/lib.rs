//! # sim-core — iomtsim's discrete-event engine
//!
//! Pure computation: no files, no YAML, no printing, no global state. A [`sim::Model`] (topology,
//! traffic, clock) is played forward by a [`sim::Simulation`] for one replication seed, with a
//! [`hooks::Hooks`] implementation (the security layer) observing and pricing the traffic, and
//! yields [`metrics::RunMetrics`].
//!
//! The pipeline, one module per concept:
//! - [`time`], [`units`], [`ids`] — simulated time in integer nanoseconds and typed quantities;
//! - [`event_list`] — the future event list (radix heap of 24-byte keys over a slab of payloads);
//! - [`rng`], [`dist`] — named, independent random streams and the distributions they feed;
//! - [`topology`], [`routing`] — the three-layer graph and shortest-latency next hops;
//! - [`traffic`], [`packet`] — sources and the packets they emit;
//! - [`battery`] — energy per component and battery depletion;
//! - [`power_profile`] — radio listen schedules, sensing front ends, MCU work per sample and packet;
//! - [`phy`] — radio physics: positions, path loss, SINR, packet errors, jammers, radio states;
//! - [`mac`] — medium access: 802.15.4 CSMA/CA, BLE connection events, 802.11 DCF;
//! - [`mobility`] — moving nodes (scripted paths, random waypoint, following) and handover;
//! - [`hooks`] — where attacks and defenses plug in, and what they report in their own terms;
//! - [`incident`] — what the engine itself causes on a run's timeline (battery deaths);
//! - [`metrics`] — streamed histograms, counters and time series;
//! - [`sim`] — the event loop tying them together, over one sub-structure per stage of the
//!   model (sources, stations, links, network, energy) and of its measurement (accounting,
//!   segments, monitoring, sampling), each in its own module with its invariants.
//!
//! ## Common random numbers: what is paired across variants
//!
//! Comparing two variants of a scenario (a defense on or off, an attack added) under the same
//! replication seed pairs these quantities exactly, whatever the variants do:
//! - each source's emission instants and its packets' identities (`source:NAME` stream,
//!   sequence numbers from 0);
//! - each link's loss and propagation delay and each station's service time for each of the
//!   deployment's own packets (genuine, tampered or acknowledgement): keyed by (seed, source,
//!   sequence number, kind, place, purpose), not drawn in turn from a shared stream, so no
//!   packet an attack injects or a defense drops can shift them (`sim/draws.rs`);
//! - each attack's and each defense's own draws (`attack:NAME`, `defense:NAME`), in the order
//!   the attack or defense makes them.
//!
//! Not paired: what depends on the traffic actually present — queueing at a station or on a
//! transmitter (an injected packet ahead of a reading delays it for real), the draws of extra
//! traffic (packets the hooks inject draw from the link's and station's streams), an attack's per-packet draws (an eavesdropper's capture, in turn from its stream);
//! and a packet crossing the same link twice (rerouted) draws the same numbers both times.
//!
//! ## What the engine keeps of the security layer's words
//!
//! The engine knows nothing of attacks and defenses: what the security layer counts in its own
//! terms (incidents, what each attack did, each patient's readings and records exposed or
//! tampered, the metrics derived from them) travels in the hooks' own report
//! ([`hooks::Hooks::Report`], [`hooks::HookReport`]), and packets the hooks inject carry the
//! hooks' own tag ([`packet::InjectTag`]). A few words stay, each for a reason:
//! - [`hooks::Fate`] (`Tamper`, `Jammed`, `Withheld`, `Rejected`) and [`packet::Origin::Tampered`]
//!   name what the engine does differently for each verdict, whoever gives it: who pays the
//!   radio energy, whether the link is busy, whether the packet is still the deployment's own
//!   traffic (a tampered reading counts as delivered but does not refresh its stream's age of
//!   information). They name the effect on the packet, not an attack.
//! - The run metrics `lost_attack` (packets lost by [`hooks::Fate::Jammed`] or
//!   [`hooks::Fate::Withheld`]), `lost_rejected`, `lost_unavailable` and `extra_packets_*`
//!   (packets of [`packet::Origin::Injected`]) are the engine's counters of those verdicts.
//!   Their ids and labels are published output-contract names (`summary.json`, `runs.csv`,
//!   sweep metric keys, the README's metric table, the paper scenarios' figures), so they keep
//!   the names users know them by; inside the engine the cause is generic (`Loss::Hooks`).
//! - [`metrics::Unit`] holds the units every crate's declarations use (records, patients,
//!   attacks): the one unit vocabulary of tables and axis titles.
//!
//! Paired draws do not make a variant's effect the same in every replication. A change of
//! timing (a cipher delaying each reading by δ) re-deals which readings catch a scheduled
//! transmission opportunity (a BLE connection event every T): with send jitter spreading the
//! readings over the interval, each reading ready less than δ before its event waits one more
//! T, an independent lottery per reading whose spread, about √(δ·T/n) over n readings, is
//! part of the effect itself (README, *Randomness*).

#![warn(missing_docs)]

pub mod battery;
pub mod dist;
pub mod event_list;
pub mod hooks;
pub mod ids;
pub mod incident;
pub mod mac;
pub mod metrics;
pub mod mobility;
pub mod name;
pub mod packet;
pub mod phy;
pub mod power_profile;
pub mod prefetch;
pub mod rng;
pub mod routing;
pub mod sim;
pub mod time;
pub mod topology;
pub mod traffic;
pub mod units;

pub use battery::{Component, EnergyMeter};
pub use dist::Dist;
pub use hooks::{
    Action, Actions, Fate, HookReport, Hooks, LinkCost, RouteWeight, Scalar, Transmission, Verdict,
};
pub use ids::{LinkId, NodeId, PatientId, SourceId};
pub use incident::{Incident, IncidentKind};
pub use metrics::{
    Column, GroupAge, GroupMetrics, IncidentRecord, LatencyStats, PatientMetrics, RunMetrics,
    Segment, SegmentKind, TimeSeries,
};
pub use name::Name;
pub use packet::{InjectTag, Origin, Packet, PacketKind, ReadingId, Sender, SenderKind};
pub use sim::{Model, RunConfig, SimError, Simulation};
pub use time::SimTime;
pub use topology::{
    DeviceSpec, Layer, LinkClass, LinkSpec, NodeClass, NodeSpec, StationSpec, Topology,
};
pub use traffic::{Arrivals, SourceSpec, StreamSpec, TrafficClass};
pub use units::{BitsPerSecond, Bytes, Cycles, Hertz, Joules, Watts};
