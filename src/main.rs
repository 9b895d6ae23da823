//! `iomtsim`: the command line over the library crates. Parses arguments, runs replications in
//! parallel with a progress bar, writes the results folder, and maps failures to exit statuses:
//! 0 success, 2 a wrong scenario or wrong arguments, 1 anything else.

mod catalog;
mod chart_formats;
mod compare;
mod in_flight;
mod paper;
mod precision;
mod results_folder;
mod run;
mod sweep;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
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
        /// Override a field before running (repeatable): `--set duration=2h`,
        /// `--set sensing.ecg.count=40`.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<scenarios::Override>,
        /// Base seed, overriding the scenario's `seed`.
        #[arg(long)]
        seed: Option<u64>,
        /// Replications, overriding the scenario's `replications`.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        replications: Option<u32>,
        /// Replace a non-empty --out folder that is not an iomtsim results folder.
        #[arg(long)]
        force: bool,
        /// Stop a replication once more packets than this are in flight (an overloaded
        /// station) [default: half the available memory shared by the threads].
        #[arg(long, value_name = "PACKETS", value_parser = clap::value_parser!(u64).range(1..))]
        max_in_flight: Option<u64>,
        /// Worker threads running replications and drawing charts [default: one per core].
        /// The outputs do not depend on it.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4096))]
        jobs: Option<u32>,
        /// Chart formats, comma-separated (svg, png, pdf), or `none` for no charts (batch use;
        /// report.html then holds the tables alone; `iomtsim plot` draws them later from the
        /// files).
        #[arg(long, value_name = "FORMATS", default_value = "svg,png")]
        charts: chart_formats::ChartFormats,
        /// Add replications (from the scenario's count, in batches) until the 95 % interval of
        /// each --precision-metric is within REL of its mean, e.g. 0.01 for ±1 %.
        #[arg(long, value_name = "REL", value_parser = relative_precision)]
        precision: Option<f64>,
        /// A metric --precision watches (repeatable) [default: latency_ms, delivery_ratio,
        /// sensor_energy_j].
        #[arg(
            long = "precision-metric",
            value_name = "METRIC",
            requires = "precision"
        )]
        precision_metrics: Vec<String>,
        /// The most replications --precision may run.
        #[arg(long, default_value_t = 1000, requires = "precision", value_parser = clap::value_parser!(u32).range(2..=100_000))]
        max_replications: u32,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check a scenario and summarise it; exit 2 with every problem found.
    Validate {
        /// The scenario file (YAML).
        scenario: PathBuf,
        /// Override a field before checking (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<scenarios::Override>,
        /// Treat warnings (a station loaded to ρ ≥ 0.9, an attack after the end...) as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// `text` (a line for people) or `json` (one object on standard output for scripts;
        /// problems still go to standard error with exit status 2).
        #[arg(long, value_enum, default_value = "text")]
        format: Output,
    },
    /// Redraw every chart of a results folder from its files, without simulating, and rewrite
    /// its report.html.
    Plot {
        /// The results folder (what `iomtsim run` wrote).
        dir: PathBuf,
        /// Chart formats, comma-separated: svg, png, pdf.
        #[arg(long, value_name = "FORMATS", default_value = "svg,png")]
        format: chart_formats::ChartFormats,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Run every point of the scenario's `sweep:` section in parallel; write sweep.csv, sweep.json
    /// and plots/.
    Sweep {
        /// The scenario file (YAML) with a `sweep:` section.
        scenario: PathBuf,
        /// Sweep folder [default: results/<scenario name>-sweep].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a field before sweeping (repeatable): `--set duration=2h`.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<scenarios::Override>,
        /// Worker threads [default: one per core].
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4096))]
        jobs: Option<u32>,
        /// Run only the jobs missing from the folder (same scenario and overrides required).
        #[arg(long)]
        resume: bool,
        /// Run only shard I of N (jobs j with j mod N = I − 1); combine with `iomtsim merge`.
        #[arg(long, value_name = "I/N")]
        shard: Option<sweep::Shard>,
        /// Write into a non-empty --out folder that is not an iomtsim sweep folder.
        #[arg(long)]
        force: bool,
        /// Stop a job once more packets than this are in flight (an overloaded station)
        /// [default: half the available memory shared by the threads].
        #[arg(long, value_name = "PACKETS", value_parser = clap::value_parser!(u64).range(1..))]
        max_in_flight: Option<u64>,
        /// Run a sweep planned beyond 10⁶ jobs or 10¹² events.
        #[arg(long)]
        allow_large: bool,
        /// Print nothing but errors; no progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Combine the folders of a sharded sweep into one, as if it had run on one machine.
    Merge {
        /// The shard folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The combined folder.
        #[arg(long)]
        out: PathBuf,
        /// Write into a non-empty --out folder that is not an iomtsim sweep folder.
        #[arg(long)]
        force: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Write Slurm scripts that run a sweep as a job array of shards, then merge them.
    Slurm {
        /// The scenario file (YAML) with a `sweep:` section.
        scenario: PathBuf,
        /// Number of shards (array tasks).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        shards: u32,
        /// Slurm partition.
        #[arg(long)]
        partition: Option<String>,
        /// Time limit of each task, in Slurm's format.
        #[arg(long, default_value = "01:00:00")]
        time: String,
        /// CPUs per task (worker threads of each shard).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=4096))]
        cpus: u32,
        /// Override a field (repeatable), passed on to every shard.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        sets: Vec<scenarios::Override>,
        /// Sweep folder [default: results/<scenario name>-sweep].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the JSON Schema of the scenario format (for editors' completion and checking).
    Schema,
    /// Print the built-in profiles with the sources of their numbers.
    Catalog {
        /// Which catalogue.
        #[arg(value_enum, default_value = "devices")]
        what: Catalogue,
        /// With `rules`: print the attack × defense matrix, the rules and every parameter as
        /// Markdown (the text of docs/attack-defense-matrix.md).
        #[arg(long, conflicts_with = "format")]
        markdown: bool,
        /// `text` (for people) or `json` (every entry with its fields and source, for scripts).
        #[arg(long, value_enum, default_value = "text")]
        format: Output,
    },
    /// Compare results folders of one scenario with the first, metric by metric: the
    /// difference with its 95 % interval (paired when the seeds match, Welch otherwise) as
    /// compare.csv, compare.md, compare.tex and a chart per folder.
    Compare {
        /// The baseline folder, then the folders to compare with it (what `iomtsim run` wrote).
        #[arg(required = true, num_args = 2..)]
        dirs: Vec<PathBuf>,
        /// Comparison folder [default: results/compare-<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Chart formats, comma-separated (svg, png, pdf), or `none`.
        #[arg(long, value_name = "FORMATS", default_value = "svg,png")]
        charts: chart_formats::ChartFormats,
        /// Replace a non-empty --out folder that is not an iomtsim comparison folder.
        #[arg(long)]
        force: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Rebuild a paper's figures and tables from PAPER.yaml: run the sweeps that are missing or
    /// out of date, then write figures/ (PDF, SVG), tables/ (LaTeX), figures.tex and a manifest.
    Paper {
        /// The paper file (YAML): its figures and tables, each naming a scenario.
        paper: PathBuf,
        /// The paper's folder [default: results/<paper file stem>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads of each sweep [default: one per core]. The outputs do not depend on it.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4096))]
        jobs: Option<u32>,
        /// Write Slurm job-array scripts for the missing sweeps and stop; run `paper` again
        /// once they are done to draw.
        #[arg(long)]
        slurm: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print a shell completion script: `iomtsim completions bash > ~/.local/share/bash-completion/completions/iomtsim`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `iomtsim man > iomtsim.1; man ./iomtsim.1`.
    Man,
}

/// `--precision REL`: a fraction strictly between 0 and 1.
fn relative_precision(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!(
            "`{s}` is not a relative precision; write a fraction between 0 and 1, e.g. 0.01 for ±1 %"
        )),
    }
}

/// How `validate` and `catalog` print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Output {
    /// Readable text.
    Text,
    /// JSON, for scripts.
    Json,
}

/// The catalogues `iomtsim catalog` prints.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Catalogue {
    Devices,
    Links,
    /// Radio technologies and path-loss models.
    Radios,
    Ciphers,
    Attacks,
    Defenses,
    Rules,
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
            sets,
            seed,
            replications,
            force,
            max_in_flight,
            jobs,
            charts,
            precision,
            precision_metrics,
            max_replications,
            quiet,
        } => run::run(
            &scenario,
            out,
            &sets,
            run::Options {
                seed,
                replications,
                force,
                max_in_flight,
                jobs: jobs.map(|j| j as usize),
                charts: charts.0,
                precision: precision.map(|relative| precision::Precision {
                    relative,
                    metrics: if precision_metrics.is_empty() {
                        precision::Precision::DEFAULT_METRICS
                            .map(String::from)
                            .to_vec()
                    } else {
                        precision_metrics
                    },
                    max_replications,
                }),
                quiet,
            },
        ),
        Command::Validate {
            scenario,
            sets,
            deny_warnings,
            format,
        } => run::validate(&scenario, &sets, deny_warnings, format == Output::Json),
        Command::Plot { dir, format, quiet } => run::plot(&dir, &format.0, quiet),
        Command::Sweep {
            scenario,
            out,
            sets,
            jobs,
            resume,
            shard,
            force,
            max_in_flight,
            allow_large,
            quiet,
        } => sweep::sweep(
            &scenario,
            out,
            &sets,
            sweep::Options {
                jobs: jobs.map(|j| j as usize),
                resume,
                shard,
                force,
                max_in_flight,
                allow_large,
                quiet,
            },
        ),
        Command::Merge {
            dirs,
            out,
            force,
            quiet,
        } => sweep::merge(&dirs, &out, force, quiet),
        Command::Slurm {
            scenario,
            shards,
            partition,
            time,
            cpus,
            sets,
            out,
        } => sweep::slurm(
            &scenario,
            &sets,
            shards,
            partition.as_deref(),
            &time,
            cpus,
            out,
        ),
        Command::Schema => {
            match serde_json::to_string_pretty(&scenarios::json_schema()) {
                Ok(text) => println!("{text}"),
                Err(e) => eprintln!("error: {e}"),
            }
            Ok(())
        }
        Command::Catalog {
            what,
            markdown,
            format,
        } => match (what, markdown) {
            (Catalogue::Rules, true) => {
                catalog::print_text(&attacks::rules::matrix_markdown());
                Ok(())
            }
            (_, true) => Err(Failure::Input(
                "`--markdown` applies to `iomtsim catalog rules` only".into(),
            )),
            (what, false) => {
                match format {
                    Output::Text => catalog::print(what),
                    Output::Json => catalog::print_json(what),
                }
                Ok(())
            }
        },
        Command::Compare {
            dirs,
            out,
            charts,
            force,
            quiet,
        } => compare::compare_dirs(
            &dirs,
            compare::Options {
                out,
                charts: charts.0,
                force,
                quiet,
            },
        ),
        Command::Paper {
            paper,
            out,
            jobs,
            slurm,
            quiet,
        } => paper::paper(
            &paper,
            paper::Options {
                out,
                jobs: jobs.map(|j| j as usize),
                slurm,
                quiet,
            },
        ),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "iomtsim", &mut text);
            catalog::print_text(&String::from_utf8_lossy(&text));
            Ok(())
        }
        Command::Man => {
            let mut roff = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut roff) {
                Ok(()) => {
                    catalog::print_text(&String::from_utf8_lossy(&roff));
                    Ok(())
                }
                Err(e) => Err(Failure::Other(
                    anyhow::Error::new(e).context("writing the manual page"),
                )),
            }
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
