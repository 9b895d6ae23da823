//! # reports — from replications to numbers, tables and pictures
//!
//! Aggregation over replications ([`aggregate`], [`stats`]: mean, standard deviation, 95 %
//! Student-t interval, latency percentiles from merged histograms), the files of a run's folder
//! ([`spread`]: replications that disagree; [`compare`]: differences between folders; [`output`]: `summary.json`, `runs.csv`, `manifest.json`; [`data`]: the CSV files the charts
//! are drawn from; [`metrics`]: every metric's declaration by id; [`tables`]: `summary.md` and `summary.tex`; [`html`]: `report.html`), and charts ([`chart`], drawn for
//! a folder by [`plot`]). It never runs a simulation: it receives [`sim_core::RunMetrics`], or
//! reads a results folder back.

#![warn(missing_docs)]

pub mod aggregate;
pub mod chart;
pub mod compare;
pub mod data;
pub mod html;
pub mod metrics;
pub mod output;
pub mod paper;
pub mod plot;
pub mod spread;
pub mod stats;
pub mod sweep;
pub mod tables;

pub use aggregate::Aggregate;
pub use chart::Format;
pub use output::{OutputError, Provenance, write_run};
pub use plot::{PlotError, plot_dir};

/// The headline metrics of a run, in the order the command line, `compare` and the spread
/// checks show them: performance first, then (from [`HEADLINE_ATTACKS`] on) the outcomes that
/// only attacks move.
pub const HEADLINE: [&str; 12] = {
    use attacks::metrics as security;
    use sim_core::metrics::engine;
    sim_core::metrics::ids([
        &engine::LATENCY_MS,
        &engine::ALARM_LATENCY_MS,
        &engine::DEADLINE_MISSES,
        &engine::DELIVERY_RATIO,
        &engine::SENSOR_ENERGY_J,
        &security::RECORDS_EXPOSED,
        &security::PATIENTS_EXPOSED,
        &security::RECORDS_TAMPERED_ACCEPTED,
        &security::UNSAFE_COMMANDS_EXECUTED,
        &security::COMPROMISED_NODES_MAX,
        &engine::MONITORING_HOURS_LOST,
        &security::BREACH_COST_USD,
    ])
};

/// The index in [`HEADLINE`] of the first metric that only attacks move.
pub const HEADLINE_ATTACKS: usize = 5;
