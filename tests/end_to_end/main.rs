//! End-to-end tests: the `iomtsim` binary and the library crates together, on the examples.
//!
//! One test binary with a module per subject rather than one binary per file: the test build
//! links once instead of a dozen times, and `cargo test` runs every subject's tests in parallel
//! rather than one file after another.

mod support;
mod svg_check;

mod charts;
mod cli;
mod compare;
mod fuzz;
mod hardening;
mod lifetime;
mod paper;
mod physical;
mod plot;
mod report;
mod scale;
mod scripting;
mod statistics;
mod sweep;
