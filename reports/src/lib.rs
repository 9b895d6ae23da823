//! # reports — from replications to numbers and pictures
//!
//! Aggregation over replications ([`aggregate`], [`stats`]: mean, standard deviation, 95 %
//! Student-t interval, latency percentiles from merged histograms), the files of a run's folder
//! ([`output`]: `summary.json`, `runs.csv`, `timeseries.csv`) and charts ([`chart`]). It never
//! runs a simulation: it receives [`sim_core::RunMetrics`].

#![warn(missing_docs)]

pub mod aggregate;
pub mod chart;
pub mod output;
pub mod stats;

pub use aggregate::Aggregate;
pub use output::{OutputError, Provenance, write_run};
