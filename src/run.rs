//! `iomtsim run` and `iomtsim validate`.

use crate::Failure;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use reports::{Provenance, write_run};
use scenarios::Scenario;
use sim_core::{RunMetrics, TrafficClass};
use std::path::{Path, PathBuf};

fn load(path: &Path) -> Result<(Scenario, Vec<u8>), Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::Input(format!("{}: cannot read the scenario: {e}", path.display()))
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        Failure::Input(format!(
            "{}: the scenario is not UTF-8 text",
            path.display()
        ))
    })?;
    let scenario = scenarios::parse(&text, &path.display().to_string())?;
    Ok((scenario, bytes))
}

/// `iomtsim validate SCENARIO`.
pub fn validate(path: &Path) -> Result<(), Failure> {
    let (s, _) = load(path)?;
    let [sensing, network, cloud] = s.nodes_per_layer();
    let links: usize = s.build().model.topology.link_count();
    println!(
        "{}: ok — {sensing} sensing, {network} network, {cloud} cloud nodes; {links} links; {} attack(s), {} defense(s); {:.1} packets per simulated second",
        path.display(),
        s.attacks.len(),
        s.defenses.len(),
        s.packets_per_second()
    );
    Ok(())
}

/// `iomtsim run SCENARIO`.
pub fn run(
    path: &Path,
    out: Option<PathBuf>,
    seed: Option<u64>,
    replications: Option<u32>,
    quiet: bool,
) -> Result<(), Failure> {
    let (mut scenario, bytes) = load(path)?;
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

    let deadline_ms = built
        .model
        .sources
        .iter()
        .filter(|s| s.class == TrafficClass::Alarm)
        .filter_map(|s| s.deadline)
        .min()
        .map(|d| d.as_millis_f64());
    let provenance = Provenance {
        scenario: scenario.name.clone(),
        scenario_sha256: reports::output::sha256_hex(&bytes),
        program_version: env!("CARGO_PKG_VERSION").to_string(),
        base_seed: scenario.seed,
        duration_s: scenario.duration.as_secs_f64(),
        warmup_s: scenario.warmup.as_secs_f64(),
        alarm_deadline_ms: deadline_ms,
    };
    let written = write_run(&out, &provenance, &runs).context("writing the results")?;
    if !quiet {
        print_headline(&scenario, &runs, &out);
        for f in written {
            println!("  {}", f.display());
        }
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
    for name in [
        "latency_ms",
        "alarm_latency_ms",
        "deadline_misses",
        "delivery_ratio",
        "sensor_energy_j",
        "records_exposed",
    ] {
        println!("  {name:<18} {}", show(name));
    }
    println!("results in {}", out.display());
}
