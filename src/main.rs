//! `iomtsim`: the command line over the library crates. Parses arguments, runs replications in
//! parallel with a progress bar, writes the results folder, and maps failures to exit statuses:
//! 0 success, 2 a wrong scenario or wrong arguments, 1 anything else.

mod catalog;
mod run;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Discrete-event simulator of Internet-of-Medical-Things security architectures.
#[derive(Parser, Debug)]
#[command(name = "iomtsim", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a scenario's replications and write summary.json, runs.csv, timeseries.csv and plots/.
    Run {
        /// The scenario file (YAML).
        scenario: PathBuf,
        /// Results folder [default: results/<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Base seed, overriding the scenario's `seed`.
        #[arg(long)]
        seed: Option<u64>,
        /// Replications, overriding the scenario's `replications`.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        replications: Option<u32>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check a scenario and summarise it; exit 2 with every problem found.
    Validate {
        /// The scenario file (YAML).
        scenario: PathBuf,
    },
    /// Print the built-in profiles with the sources of their numbers.
    Catalog {
        /// Which catalogue.
        #[arg(value_enum, default_value = "devices")]
        what: Catalogue,
    },
}

/// The catalogues `iomtsim catalog` prints.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Catalogue {
    Devices,
    Links,
    Ciphers,
    Attacks,
    Defenses,
}

/// A failure, with the exit status it maps to.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The user's input is wrong (exit 2).
    #[error("{0}")]
    Input(String),
    /// Anything else (exit 1).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<scenarios::ScenarioError> for Failure {
    fn from(e: scenarios::ScenarioError) -> Self {
        let text = match &e {
            scenarios::ScenarioError::Invalid { diagnostics, .. } => {
                let n = diagnostics.len();
                format!("{e}\n{n} problem{} found", if n == 1 { "" } else { "s" })
            }
            scenarios::ScenarioError::Io { .. } => e.to_string(),
        };
        Failure::Input(text)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run {
            scenario,
            out,
            seed,
            replications,
            quiet,
        } => run::run(&scenario, out, seed, replications, quiet),
        Command::Validate { scenario } => run::validate(&scenario),
        Command::Catalog { what } => {
            catalog::print(what);
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Other(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
