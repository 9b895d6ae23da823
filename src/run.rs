//! `iomtsim run`, `iomtsim validate` and `iomtsim plot`.

use crate::Failure;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use reports::{Format, Provenance, write_run};
use scenarios::{Loaded, Override, Scenario};
use sim_core::RunMetrics;
use sim_core::metrics::CLASSES;
use std::path::{Path, PathBuf};

/// Reads and checks a scenario with its `--set` overrides; returns it with the file's bytes.
fn load(path: &Path, sets: &[Override]) -> Result<(Loaded, Vec<u8>), Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::Input(format!("{}: cannot read the scenario: {e}", path.display()))
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        Failure::Input(format!(
            "{}: the scenario is not UTF-8 text",
            path.display()
        ))
    })?;
    let loaded = scenarios::parse_with(&text, &path.display().to_string(), sets)?;
    Ok((loaded, bytes))
}

/// `iomtsim validate SCENARIO`.
pub fn validate(path: &Path, sets: &[Override]) -> Result<(), Failure> {
    let (loaded, _) = load(path, sets)?;
    let s = &loaded.scenario;
    let [sensing, network, cloud] = s.nodes_per_layer();
    let built = s.build();
    let links: usize = built.model.topology.link_count();
    let sweep = loaded.sweep.as_ref().map_or(String::new(), |p| {
        format!(
            "; sweep of {} points × {} replications",
            p.point_count(),
            p.replications
        )
    });
    println!(
        "{}: ok — {sensing} sensing, {network} network, {cloud} cloud nodes; {links} links; {} attack(s), {} defense(s); {:.1} packets and about {:.0} events per simulated second{sweep}",
        path.display(),
        s.attacks.len(),
        s.defenses.len(),
        // `+ 0.0`: a sum over no streams is -0.0, which must not print as "-0.0".
        s.packets_per_second() + 0.0,
        built.expected_events_per_second() + 0.0
    );
    Ok(())
}

/// `iomtsim run SCENARIO`.
pub fn run(
    path: &Path,
    out: Option<PathBuf>,
    sets: &[Override],
    seed: Option<u64>,
    replications: Option<u32>,
    quiet: bool,
) -> Result<(), Failure> {
    let (loaded, bytes) = load(path, sets)?;
    let mut scenario = loaded.scenario;
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    if let Some(r) = replications {
        scenario.replications = r;
    }
    let out = out.unwrap_or_else(|| PathBuf::from("results").join(&scenario.name));
    let built = scenario.build();
    let n = scenario.replications;

    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(u64::from(n)), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} replications {pos}/{len} [{elapsed_precise}<{eta_precise}] {wide_bar}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Replications run on rayon's pool; `collect` keeps them in index order, so the outputs do
    // not depend on which thread finished first.
    let runs: Vec<RunMetrics> = (0..n)
        .into_par_iter()
        .map(|i| {
            let sim = built
                .replication(i)
                .with_context(|| format!("replication {i}"))?;
            let m = sim.run();
            bar.inc(1);
            Ok(m)
        })
        .collect::<anyhow::Result<_>>()?;
    bar.finish_and_clear();

    // The tightest deadline of each traffic class that has one.
    let deadlines_ms: Vec<(String, f64)> = CLASSES
        .iter()
        .filter_map(|&class| {
            built
                .model
                .sources
                .iter()
                .filter(|s| s.class == class)
                .filter_map(|s| s.deadline)
                .min()
                .map(|d| (class.name().to_string(), d.as_millis_f64()))
        })
        .collect();
    // The scenario as run: the file after every `--set` (seed and replications flags are
    // recorded beside it in the manifest).
    let resolved = serde_json::to_value(&loaded.resolved)
        .unwrap_or_else(|e| serde_json_string(&format!("not representable as JSON: {e}")));
    let provenance = Provenance {
        scenario: scenario.name.clone(),
        scenario_sha256: reports::output::sha256_hex(&bytes),
        program_version: env!("CARGO_PKG_VERSION").to_string(),
        base_seed: scenario.seed,
        duration_s: scenario.duration.as_secs_f64(),
        warmup_s: scenario.warmup.as_secs_f64(),
        deadlines_ms,
        resolved_scenario: resolved,
        command_line: command_line(),
    };
    let written =
        write_run(&out, &provenance, &runs, &Format::ALL).context("writing the results")?;
    if !quiet {
        print_headline(&scenario, &runs, &out);
        print_written(&out, &written);
    }
    Ok(())
}

fn serde_json_string(s: &str) -> reports::output::JsonValue {
    reports::output::JsonValue::String(s.to_string())
}

/// The command line as typed, each argument quoted for a POSIX shell where it needs to be
/// (arguments that are not UTF-8 are shown with replacement characters).
fn command_line() -> String {
    std::env::args_os()
        .map(|a| {
            let a = a.to_string_lossy().into_owned();
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
            if plain {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lists the files written: the data files one by one, the charts as a count.
fn print_written(out: &Path, written: &[PathBuf]) {
    let plots = out.join("plots");
    let (charts, data): (Vec<&PathBuf>, Vec<&PathBuf>) =
        written.iter().partition(|p| p.starts_with(&plots));
    for f in data {
        println!("  {}", f.display());
    }
    if !charts.is_empty() {
        println!("  {}/ ({} charts)", plots.display(), charts.len());
    }
}

/// `iomtsim plot DIR [--format svg,png,pdf]`: redraws every chart of a results folder from its
/// files, without simulating.
pub fn plot(dir: &Path, formats: &str, quiet: bool) -> Result<(), Failure> {
    let mut chosen: Vec<Format> = Vec::new();
    for f in formats.split(',').filter(|f| !f.trim().is_empty()) {
        match Format::parse(f) {
            Some(f) if !chosen.contains(&f) => chosen.push(f),
            Some(_) => {}
            None => {
                return Err(Failure::Input(format!(
                    "--format: `{}` is not a chart format; write svg, png, pdf or a list such as svg,pdf",
                    f.trim()
                )));
            }
        }
    }
    if chosen.is_empty() {
        return Err(Failure::Input(
            "--format: no format given; write svg, png, pdf or a list such as svg,pdf".into(),
        ));
    }
    if !dir.join("summary.json").is_file() {
        return Err(Failure::Input(format!(
            "{}: not a results folder (no summary.json); give the folder `iomtsim run` wrote",
            dir.display()
        )));
    }
    let written = reports::plot_dir(dir, &chosen).map_err(|e| match e {
        reports::PlotError::Data(e) => Failure::Input(e.to_string()),
        reports::PlotError::Output(e) => Failure::Other(e.into()),
    })?;
    if !quiet {
        println!(
            "{} chart file(s) redrawn in {}",
            written.len(),
            dir.join("plots").display()
        );
    }
    Ok(())
}

fn print_headline(s: &Scenario, runs: &[RunMetrics], out: &Path) {
    let agg = reports::Aggregate::from_runs(runs);
    let show = |name: &str| -> String {
        match agg.metric(name).and_then(|m| m.summary.as_ref()) {
            Some(sm) => match sm.ci95_half_width {
                Some(h) => format!("{:.4} ± {:.2e}", sm.mean, h),
                None => format!("{:.4}", sm.mean),
            },
            None => "—".into(),
        }
    };
    println!(
        "{}: {} replication(s) of {} s simulated, {} events",
        s.name,
        runs.len(),
        s.duration.as_secs_f64(),
        agg.events
    );
    let breach = [
        "records_exposed",
        "patients_exposed",
        "records_tampered_accepted",
        "unsafe_commands_executed",
        "compromised_nodes_max",
        "monitoring_hours_lost",
        "breach_cost_usd",
    ];
    let shown = if s.attacks.is_empty() {
        1
    } else {
        breach.len()
    };
    for name in [
        "latency_ms",
        "alarm_latency_ms",
        "deadline_misses",
        "delivery_ratio",
        "sensor_energy_j",
    ]
    .iter()
    .chain(&breach[..shown])
    {
        println!("  {name:<26} {}", show(name));
    }
    println!("results in {}", out.display());
}
