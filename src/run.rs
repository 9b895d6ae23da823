//! `iomtsim run`, `iomtsim validate` and `iomtsim plot`.

use crate::Failure;
use crate::results_folder::{Kind, ResultsFolder};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use reports::{Format, Provenance};
use scenarios::{Loaded, Override, Scenario};
use sim_core::RunMetrics;
use sim_core::metrics::CLASSES;
use std::path::{Path, PathBuf};

/// Reads and checks a scenario with its `--set` overrides; returns it with the file's bytes.
fn load(path: &Path, sets: &[Override]) -> Result<(Loaded, Vec<u8>), Failure> {
    let bytes = scenarios::read_file(path)?;
    let text = scenarios::text_of(bytes.clone(), &path.display().to_string())?;
    let loaded = scenarios::parse_with(&text, &path.display().to_string(), sets)?;
    Ok((loaded, bytes))
}

/// The warnings as lines `warning: file:line:column: path: message`.
pub fn warning_lines(path: &Path, loaded: &Loaded) -> Vec<String> {
    let file = path.display().to_string();
    loaded
        .warnings
        .iter()
        .map(|w| format!("warning: {}", w.display_in(&file)))
        .collect()
}

/// `iomtsim validate SCENARIO [--format json]`.
pub fn validate(
    path: &Path,
    sets: &[Override],
    deny_warnings: bool,
    json: bool,
) -> Result<(), Failure> {
    // `read_file` refuses devices and pipes (the scenario loader then says so) and huge files.
    if let Ok(bytes) = scenarios::read_file(path)
        && scenarios::paper::is_paper(&String::from_utf8_lossy(&bytes))
    {
        return validate_paper(path, sets, json);
    }
    let (loaded, _) = load(path, sets)?;
    let warnings = warning_lines(path, &loaded);
    if deny_warnings && !warnings.is_empty() {
        let n = warnings.len();
        return Err(Failure::Input(format!(
            "{}\n{n} warning{} denied (--deny-warnings)",
            warnings.join("\n").trim_start_matches("warning: "),
            if n == 1 { "" } else { "s" }
        )));
    }
    for w in &warnings {
        eprintln!("{w}");
    }
    let s = &loaded.scenario;
    let [sensing, network, cloud] = s.nodes_per_layer();
    let built = &loaded.built;
    let links: usize = built.model.topology.link_count();
    let sweep = loaded.sweep.as_ref().map_or(String::new(), |p| {
        format!(
            "; sweep of {} points × {} replications",
            p.point_count(),
            p.replications
        )
    });
    // The busiest station or link: how far the scenario is from overload (ρ = λ·E[S]/c).
    let busiest_station = scenarios::utilisation::busiest(s, built);
    if json {
        // `+ 0.0`: a sum over no streams is -0.0, which must not print as "-0.0".
        let summary = serde_json::json!({
            "file": path.display().to_string(),
            "scenario": s.name,
            "nodes": { "sensing": sensing, "network": network, "cloud": cloud },
            "links": links,
            "attacks": s.attacks.len(),
            "defenses": s.defenses.len(),
            "packets_per_second": s.packets_per_second() + 0.0,
            "events_per_second": built.expected_events_per_second() + 0.0,
            "busiest": busiest_station.as_ref().map(|u| serde_json::json!({ "what": u.what, "rho": u.rho })),
            "sweep": loaded.sweep.as_ref().map(|p| serde_json::json!({ "points": p.point_count(), "replications": p.replications })),
            "warnings": warnings,
        });
        let text = serde_json::to_string_pretty(&summary).context("writing the summary as JSON")?;
        println!("{text}");
        return Ok(());
    }
    let busiest = busiest_station.map_or(String::new(), |u| {
        format!("; busiest: {} at ρ = {:.3}", u.what, u.rho)
    });
    println!(
        "{}: ok — {sensing} sensing, {network} network, {cloud} cloud nodes; {links} links; {} attack(s), {} defense(s); {:.1} packets and about {:.0} events per simulated second{busiest}{sweep}",
        path.display(),
        s.attacks.len(),
        s.defenses.len(),
        // `+ 0.0`: a sum over no streams is -0.0, which must not print as "-0.0".
        s.packets_per_second() + 0.0,
        built.expected_events_per_second() + 0.0
    );
    Ok(())
}

/// How `iomtsim run` runs, from its flags.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Base seed, overriding the scenario's.
    pub seed: Option<u64>,
    /// Replications, overriding the scenario's.
    pub replications: Option<u32>,
    /// Replace a non-empty folder that is not a results folder.
    pub force: bool,
    /// The limit on packets in flight per replication (`None`: sized to the machine).
    pub max_in_flight: Option<u64>,
    /// Worker threads (`None`: one per core).
    pub jobs: Option<usize>,
    /// Chart formats to draw (empty: none).
    pub charts: Vec<Format>,
    /// Add replications until these metrics are this precise (`None`: the scenario's count).
    pub precision: Option<crate::precision::Precision>,
    /// Print nothing but errors.
    pub quiet: bool,
}

/// `iomtsim validate PAPER.yaml`: the checks `iomtsim paper` makes before it runs anything
/// (the paper, each scenario with its overrides, each metric and chart), and a summary.
fn validate_paper(path: &Path, sets: &[Override], json: bool) -> Result<(), Failure> {
    if !sets.is_empty() {
        return Err(Failure::Input(format!(
            "{}: a paper file takes no --set: put overrides in its `set:` or an item's `set:`",
            path.display()
        )));
    }
    let paper = scenarios::paper::load_paper(path)?;
    let figures = paper
        .items
        .iter()
        .filter(|i| matches!(i.kind, scenarios::paper::ItemKind::Figure { .. }))
        .count();
    let tables = paper.items.len() - figures;
    let mut scenario_files: Vec<&Path> = paper.items.iter().map(|i| i.scenario.as_path()).collect();
    scenario_files.sort();
    scenario_files.dedup();
    if json {
        let summary = serde_json::json!({
            "file": path.display().to_string(),
            "paper": paper.title,
            "figures": figures,
            "tables": tables,
            "scenarios": scenario_files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        });
        println!("{summary}");
    } else {
        println!(
            "{}: paper OK: {figures} figure(s), {tables} table(s) from {} scenario file(s); \
             `iomtsim paper {}` builds it",
            path.display(),
            scenario_files.len(),
            path.display()
        );
    }
    Ok(())
}

/// `iomtsim run SCENARIO`.
pub fn run(
    path: &Path,
    out: Option<PathBuf>,
    sets: &[Override],
    options: Options,
) -> Result<(), Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .context("starting the worker threads")?;
    pool.install(|| run_on_pool(path, out, sets, options))
}

/// [`run`] on the current rayon pool.
fn run_on_pool(
    path: &Path,
    out: Option<PathBuf>,
    sets: &[Override],
    options: Options,
) -> Result<(), Failure> {
    let Options {
        seed,
        replications,
        force,
        max_in_flight,
        jobs: _,
        charts,
        precision,
        quiet,
    } = options;
    let (loaded, bytes) = load(path, sets)?;
    if !quiet {
        for w in warning_lines(path, &loaded) {
            eprintln!("{w}");
        }
    }
    let mut scenario = loaded.scenario;
    let mut built = loaded.built;
    if let Some(seed) = seed
        && seed != scenario.seed
    {
        scenario.seed = seed;
        // A large group's members take their ids in the order they first send under the
        // seed (`Scenario::layout`): built again, the model is laid out as `seed: N` in the
        // file would lay it out. (Random placements, drawn when the file was checked, stay
        // the file's, as before.)
        built = scenario.build();
    }
    if let Some(r) = replications {
        scenario.replications = r;
    }
    // The flag overrides the scenario's `precision:`.
    let precision = precision.or_else(|| scenario.precision.clone());
    if let Some(p) = &precision {
        // The sequential rule needs an interval to start from.
        scenario.replications = scenario.replications.clamp(2, p.max_replications);
    }
    // The name is an identifier (checked), so the default folder lies under results/.
    let out = out.unwrap_or_else(|| PathBuf::from("results").join(&scenario.name));
    let folder = ResultsFolder::claim(&out, Kind::Run, force)?;
    built.seed = scenario.seed;
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
    let limit = max_in_flight.unwrap_or_else(|| {
        crate::in_flight::default_limit(rayon::current_num_threads().min(n as usize))
    });
    // Replications run on rayon's pool a batch at a time and are gathered in index order as
    // each batch ends, so the outputs do not depend on which thread finished first and memory
    // holds one batch of whole replications, not all of them.
    let batch = (4 * rayon::current_num_threads()).max(1) as u32;
    let mut stream = reports::output::RunStream::default();
    let mut start = 0;
    let mut target = n;
    let mut short_of_precision: Vec<String> = Vec::new();
    loop {
        while start < target {
            let end = start.saturating_add(batch).min(target);
            let runs: Vec<RunMetrics<attacks::SecurityReport>> = (start..end)
                .into_par_iter()
                .map(|i| {
                    let sim = built
                        .replication(i)
                        .with_context(|| format!("replication {i}"))
                        .map_err(Failure::Other)?;
                    let m =
                        crate::in_flight::run_limited(sim, &built.model, limit).map_err(|e| {
                            Failure::Input(format!("{}: replication {i}: {e}", path.display()))
                        })?;
                    bar.inc(1);
                    Ok(m)
                })
                .collect::<Result<_, Failure>>()?;
            for r in &runs {
                stream.push(r);
            }
            start = end;
        }
        let Some(p) = &precision else { break };
        if let Some(unknown) = p.metrics.iter().find(|m| !stream.has_metric(m)) {
            return Err(Failure::Input(format!(
                "--precision-metric: `{unknown}` is not a metric of this run; the metrics are the columns of runs.csv (see README, Metrics), e.g. {}",
                crate::precision::Precision::DEFAULT_METRICS.join(", ")
            )));
        }
        match crate::precision::verdict(p, start, |m| stream.summary_of(m)) {
            crate::precision::Verdict::Done => break,
            crate::precision::Verdict::More(next) => {
                target = next;
                bar.set_length(u64::from(target));
            }
            crate::precision::Verdict::Exhausted(short) => {
                short_of_precision = short;
                break;
            }
        }
    }
    bar.finish_and_clear();
    let gathered = stream.finish();

    // The tightest deadline of each traffic class that has one.
    let deadlines_ms: Vec<(String, f64)> = CLASSES
        .iter()
        .filter_map(|&class| {
            built
                .model
                .sources
                .iter()
                .filter(|s| s.stream.class == class)
                .filter_map(|s| s.stream.deadline)
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
        command_line: command_line(
            &std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>(),
        ),
        machine: machine(&out),
    };
    // Written beside the folder, then swapped in whole: the folder is the old run or this one.
    let staged = folder.staging()?;
    let headline = headline(&scenario, &gathered.agg, &out);
    let spread = reports::spread::spread_warnings(&gathered.agg);
    let written = reports::output::write_gathered(staged.path(), &provenance, gathered, &charts)
        .context("writing the results")?;
    let written: Vec<PathBuf> = written
        .iter()
        .map(|p| out.join(p.strip_prefix(staged.path()).unwrap_or(p)))
        .collect();
    folder.replace_with(staged)?;
    drop(folder);
    if !quiet {
        print!("{headline}");
        print_written(&out, &written);
        for w in &spread {
            eprintln!("warning: {}", w.text());
        }
        if !short_of_precision.is_empty() {
            eprintln!(
                "warning: --precision: after {} replications (--max-replications) {} still short of the precision asked for",
                start,
                short_of_precision.join(", ")
            );
        }
    }
    Ok(())
}

fn serde_json_string(s: &str) -> reports::output::JsonValue {
    reports::output::JsonValue::String(s.to_string())
}

/// Quotes `a` for a POSIX shell where it needs it.
fn shell_word(a: &str) -> String {
    let plain = !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "'\\''"))
    }
}

/// The command line as typed, with the machine-specific parts replaced: the program as
/// `iomtsim` and the `--out` folder as `<out>`, each argument quoted for a POSIX shell where
/// it needs to be (arguments that are not UTF-8 are shown with replacement characters). Two
/// identical runs into different folders, or by binaries in different places, record the same
/// line.
pub fn command_line(args: &[String]) -> String {
    let mut words = Vec::with_capacity(args.len());
    let mut after_out = false;
    for (i, a) in args.iter().enumerate() {
        let word = if i == 0 {
            "iomtsim".to_string()
        } else if after_out {
            "'<out>'".to_string()
        } else if a.starts_with("--out=") {
            "--out='<out>'".to_string()
        } else {
            shell_word(a)
        };
        after_out = i > 0 && a == "--out";
        words.push(word);
    }
    words.join(" ")
}

/// The machine-specific parts of a run: the executable, the working folder and the `--out`
/// folder as given.
fn machine(out: &Path) -> serde_json::Value {
    let exe = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let cwd = std::env::current_dir()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    serde_json::json!({
        "executable": exe,
        "working_directory": cwd,
        "out": out.display().to_string(),
    })
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
/// files, without simulating, and rewrites its `report.html`.
pub fn plot(dir: &Path, chosen: &[Format], quiet: bool) -> Result<(), Failure> {
    if chosen.is_empty() {
        return Err(Failure::Input(
            "--format none draws nothing; write svg, png, pdf or a list such as svg,pdf".into(),
        ));
    }
    if crate::sweep::is_sweep_folder(dir) {
        let _lock = ResultsFolder::claim(dir, Kind::Sweep, true)?;
        let written = crate::sweep::plot_sweep(dir, chosen)?;
        if !quiet {
            for f in written {
                println!("  {}", f.display());
            }
        }
        return Ok(());
    }
    if !dir.join("summary.json").is_file() {
        return Err(Failure::Input(format!(
            "{}: not a results folder (no summary.json, no sweep-manifest.json); give the folder `iomtsim run` or `iomtsim sweep` wrote",
            dir.display()
        )));
    }
    // Not while a run rewrites the folder (its swap would drop or mix the redrawn charts).
    let _lock = ResultsFolder::claim(dir, Kind::Run, true)?;
    let written = reports::plot_dir(dir, chosen).map_err(|e| match e {
        reports::PlotError::Data(e) => Failure::Input(e.to_string()),
        reports::PlotError::Output(e) => Failure::Other(e.into()),
    })?;
    if !quiet {
        println!(
            "{} chart file(s) redrawn in {}; {} rewritten",
            written.len().saturating_sub(1),
            dir.join("plots").display(),
            dir.join(reports::html::REPORT_HTML).display()
        );
    }
    Ok(())
}

/// The lines printed after a run: the headline metrics with their intervals.
fn headline(s: &Scenario, agg: &reports::Aggregate, out: &Path) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    // Mean ± half-width of the 95 % interval, then the range over the replications.
    let show = |name: &str| -> String {
        match agg.metric(name).and_then(|m| m.summary.as_ref()) {
            Some(sm) => match sm.ci95_half_width {
                Some(h) => format!(
                    "{:<26} [{} – {}]",
                    format!("{:.4} ± {:.2e}", sm.mean, h),
                    reports::chart::sig(sm.min, 4),
                    reports::chart::sig(sm.max, 4)
                ),
                None => format!("{:.4}", sm.mean),
            },
            None => "—".into(),
        }
    };
    let _ = writeln!(
        text,
        "{}: {} replication(s) of {} s simulated, {} events",
        s.name,
        agg.seeds.len(),
        s.duration.as_secs_f64(),
        agg.events
    );
    // Without attacks, the breach lines say nothing: show the first (records exposed: 0).
    let shown = if s.attacks.is_empty() {
        reports::HEADLINE_ATTACKS + 1
    } else {
        reports::HEADLINE.len()
    };
    for name in &reports::HEADLINE[..shown] {
        let _ = writeln!(text, "  {name:<26} {}", show(name));
    }
    let _ = writeln!(text, "results in {}", out.display());
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn the_command_line_leaves_out_the_machine() {
        let a = command_line(&words(
            "/opt/x/bin/iomtsim run ward.yaml --out /tmp/a --seed 3",
        ));
        let b = command_line(&words(
            "./target/release/iomtsim run ward.yaml --out b --seed 3",
        ));
        assert_eq!(a, b);
        assert_eq!(a, "iomtsim run ward.yaml --out '<out>' --seed 3");
        let c = command_line(&words("iomtsim run ward.yaml --out=/tmp/a --set x=it's"));
        assert_eq!(c, "iomtsim run ward.yaml --out='<out>' --set 'x=it'\\''s'");
    }
}
