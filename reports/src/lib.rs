//! # reports — from replications to numbers, tables and pictures
//!
//! Aggregation over replications ([`aggregate`], [`stats`]: mean, standard deviation, 95 %
//! Student-t interval, latency percentiles from merged histograms), the files of a run's folder
//! ([`output`]: `summary.json`, `runs.csv`, `manifest.json`; [`data`]: the CSV files the charts
//! are drawn from; [`tables`]: `summary.md` and `summary.tex`), and charts ([`chart`], drawn for
//! a folder by [`plot`]). It never runs a simulation: it receives [`sim_core::RunMetrics`], or
//! reads a results folder back.

#![warn(missing_docs)]

pub mod aggregate;
pub mod chart;
pub mod compare;
pub mod data;
pub mod output;
pub mod plot;
pub mod stats;
pub mod sweep;
pub mod tables;

pub use aggregate::Aggregate;
pub use chart::Format;
pub use output::{OutputError, Provenance, write_run};
pub use plot::{PlotError, plot_dir};
