//! `iomtsim sweep`, `iomtsim merge` and `iomtsim slurm`: parameter sweeps on a laptop's cores
//! or on a cluster's job array.
//!
//! Jobs (point × replication) run on a rayon pool; each writes its result file the moment it
//! finishes. A sweep folder holds `sweep-manifest.json` (program version, a hash of the scenario
//! and its overrides, the plan's layout and the shard), `jobs/`, and, once every job is there,
//! `sweep.csv`, `sweep.json` and `plots/`. Those are built from the job files alone, so they are
//! byte-identical for any `--jobs`, after `--resume`, and after `merge` of shards.

use crate::Failure;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use reports::output::{sha256_hex, write_atomic};
use reports::sweep::{JobResult, Layout, SweepLines, job_path, table, write_job, write_table};
use scenarios::sweep::SweepPlan;
use scenarios::{Loaded, Override};
use serde_json::json;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Mutex;

/// `--shard I/N`: this process runs the jobs j with `j mod N = I − 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard; write I/N with 1 ≤ I ≤ N, e.g. 2/8");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            i.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

const MANIFEST: &str = "sweep-manifest.json";

/// Everything a sweep needs, loaded and checked once.
struct Plan {
    loaded: Loaded,
    plan: SweepPlan,
    source: String,
    file: String,
    sets: Vec<Override>,
    hash: String,
    layout: Layout,
}

fn load(path: &Path, sets: &[Override]) -> Result<Plan, Failure> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("{file}: cannot read the scenario: {e}")))?;
    let source = String::from_utf8(bytes.clone())
        .map_err(|_| Failure::Input(format!("{file}: the scenario is not UTF-8 text")))?;
    let loaded = scenarios::parse_with(&source, &file, sets)?;
    for w in &loaded.warnings {
        eprintln!("warning: {}", w.display_in(&file));
    }
    let Some(plan) = loaded.sweep.clone() else {
        return Err(Failure::Input(format!(
            "{file}: the scenario has no `sweep:` section; see docs/scenario.md#sweeps"
        )));
    };
    // Check every point before running any, so a bad value fails in a second, not an hour in.
    let mut problems = Vec::new();
    for point in plan.points() {
        let all: Vec<Override> = sets
            .iter()
            .cloned()
            .chain(point.overrides.clone())
            .collect();
        if let Err(e) = scenarios::parse_with(&source, &file, &all) {
            problems.push(format!(
                "point {} ({}): {e}",
                point.index,
                describe(&plan, &point)
            ));
            if problems.len() >= 5 {
                break;
            }
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Input(problems.join("\n")));
    }
    let mut hashed = bytes;
    for s in sets {
        hashed.extend_from_slice(format!("\n--set {s}").as_bytes());
    }
    let layout = Layout {
        parameters: plan.parameters.iter().map(|p| p.path.clone()).collect(),
        variants: plan.variants.iter().map(|v| v.name.clone()).collect(),
        baseline: plan.baseline,
        points: plan.points().map(|p| (p.variant, p.values)).collect(),
        replications: plan.replications,
    };
    Ok(Plan {
        hash: sha256_hex(&hashed),
        loaded,
        plan,
        source,
        file,
        sets: sets.to_vec(),
        layout,
    })
}

fn describe(plan: &SweepPlan, point: &scenarios::sweep::Point) -> String {
    let mut parts = Vec::new();
    if let Some(v) = point.variant {
        parts.push(format!("variant {}", plan.variants[v].name));
    }
    for (p, v) in plan.parameters.iter().zip(&point.values) {
        parts.push(format!("{}={v}", p.path));
    }
    parts.join(", ")
}

fn manifest(p: &Plan, shard: Option<Shard>) -> serde_json::Value {
    json!({
        "program": { "name": "iomtsim", "version": env!("CARGO_PKG_VERSION") },
        "scenario": { "name": p.loaded.scenario.name, "sha256_with_overrides": p.hash },
        "overrides": p.sets.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "base_seed": p.loaded.scenario.seed,
        "layout": p.layout,
        "shard": shard.map(|s| json!({ "index": s.index, "count": s.count })),
    })
}

fn read_manifest(dir: &Path) -> Option<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).ok()?).ok()
}

fn write_manifest(dir: &Path, m: &serde_json::Value) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut text = serde_json::to_vec_pretty(m)?;
    text.push(b'\n');
    write_atomic(&dir.join(MANIFEST), &text)?;
    Ok(())
}

fn run_job(p: &Plan, point: usize, replication: u32) -> anyhow::Result<JobResult> {
    let pt = p.plan.point(point);
    let all: Vec<Override> = p.sets.iter().cloned().chain(pt.overrides).collect();
    let loaded =
        scenarios::parse_with(&p.source, &p.file, &all).map_err(|e| anyhow::anyhow!("{e}"))?;
    let built = loaded.scenario.build();
    // Common random numbers: replication r of every point shares this seed.
    let seed = sim_core::rng::replication_seed(loaded.scenario.seed, replication);
    let m = built.with_seed(seed)?.run();
    Ok(JobResult {
        point,
        replication,
        seed,
        events: m.events,
        metrics: m.scalars.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
    })
}

fn progress(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} jobs {pos}/{len} ({msg} failed) [{elapsed_precise}<{eta_precise}] {wide_bar}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("0");
    bar
}

/// The headline metrics drawn against the first parameter.
const CHARTED: [(&str, &str); 5] = [
    ("latency_ms", "sweep_latency_ms"),
    ("alarm_latency_ms", "sweep_alarm_latency_ms"),
    ("sensor_energy_j", "sweep_sensor_energy_j"),
    ("records_exposed", "sweep_records_exposed"),
    ("deadline_misses", "sweep_deadline_misses"),
];

/// Builds `sweep.csv`, `sweep.json` and the charts once every job is present.
fn finish(dir: &Path, layout: &Layout, quiet: bool) -> Result<(), Failure> {
    let rows = table(dir, layout).map_err(|missing| {
        Failure::Other(anyhow::anyhow!(
            "{} job(s) missing (first: point {}, replication {}); run again with --resume",
            missing.len(),
            missing[0].0,
            missing[0].1
        ))
    })?;
    let mut written = write_table(dir, layout, &rows).context("writing sweep.csv")?;
    let plots = dir.join("plots");
    std::fs::create_dir_all(&plots).with_context(|| format!("creating {}", plots.display()))?;
    // The security–latency trade-off over every point, with its Pareto front (both minimised).
    let mean_of = |point: usize, metric: &str| {
        rows.iter()
            .find(|r| r.point == point && r.metric == metric)
            .and_then(|r| r.summary.as_ref())
            .map(|s| (s.mean, s.ci95_half_width))
    };
    let label = |point: usize| {
        let (variant, values) = &layout.points[point];
        let mut parts: Vec<String> = variant
            .map(|v| layout.variants[v].clone())
            .into_iter()
            .collect();
        parts.extend(values.iter().cloned());
        parts.join(" ")
    };
    let tradeoff = reports::chart::compare::Tradeoff {
        name: "sweep_tradeoff",
        x_label: "mean latency (ms)".into(),
        y_label: "records exposed".into(),
        minimise: (true, true),
        points: (0..layout.points.len())
            .filter_map(|p| {
                let (x, xh) = mean_of(p, "latency_ms")?;
                let (y, yh) = mean_of(p, "records_exposed")?;
                Some(reports::chart::compare::TradeoffPoint {
                    label: label(p),
                    x,
                    y,
                    x_half: xh,
                    y_half: yh,
                })
            })
            .collect(),
    };
    // Without a parameter to draw lines against, variants compare as bars with their intervals.
    let bars: Vec<reports::chart::compare::VariantBars> = if layout.parameters.is_empty() {
        CHARTED
            .iter()
            .map(|&(metric, name)| reports::chart::compare::VariantBars {
                name,
                y_label: metric.to_string(),
                bars: (0..layout.points.len())
                    .filter_map(|p| {
                        let row = rows.iter().find(|r| r.point == p && r.metric == metric)?;
                        Some(reports::chart::compare::VariantBar::from_summary(
                            label(p),
                            row.summary.as_ref()?,
                        ))
                    })
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    // Two or more parameters: a heatmap over the first two per metric and variant.
    let variants: Vec<Option<usize>> = if layout.variants.is_empty() {
        vec![None]
    } else {
        (0..layout.variants.len()).map(Some).collect()
    };
    let heatmaps: Vec<(String, reports::sweep::SweepHeatmap)> = CHARTED
        .iter()
        .flat_map(|&(metric, _)| variants.iter().map(move |&v| (metric, v)))
        .filter_map(|(metric, v)| {
            let mut h =
                reports::sweep::SweepHeatmap::from_rows(layout, &rows, metric, v, "sweep_heatmap")?;
            if let Some(v) = v {
                h.metric = format!("{metric}, {}", layout.variants[v]);
            }
            let suffix = v.map_or(String::new(), |v| format!("_{}", layout.variants[v]));
            Some((format!("sweep_heatmap_{metric}{suffix}"), h))
        })
        .collect();
    for (stem, h) in &heatmaps {
        for format in reports::chart::Format::ALL {
            let bytes = reports::chart::render(h, reports::chart::FULL_WIDTH, format)
                .map_err(|e| Failure::Other(anyhow::anyhow!("drawing {stem}: {e}")))?;
            let path = plots.join(format!("{stem}.{}", format.extension()));
            write_atomic(&path, &bytes).context("writing a sweep chart")?;
            written.push(path);
        }
    }
    for format in reports::chart::Format::ALL {
        let mut drawn: Vec<(&'static str, Vec<u8>)> = Vec::new();
        if !tradeoff.points.is_empty() {
            use reports::chart::Chart;
            let bytes = reports::chart::render(&tradeoff, reports::chart::FULL_WIDTH, format)
                .map_err(|e| Failure::Other(anyhow::anyhow!("drawing the trade-off: {e}")))?;
            drawn.push((tradeoff.name(), bytes));
        }
        for b in &bars {
            use reports::chart::Chart;
            let bytes = reports::chart::render(b, reports::chart::FULL_WIDTH, format)
                .map_err(|e| Failure::Other(anyhow::anyhow!("drawing {}: {e}", b.name())))?;
            drawn.push((b.name(), bytes));
        }
        for (name, bytes) in drawn {
            let path = plots.join(format!("{name}.{}", format.extension()));
            write_atomic(&path, &bytes).context("writing a sweep chart")?;
            written.push(path);
        }
    }
    // Charts render in parallel; the list keeps a fixed order for the printout.
    let jobs: Vec<(SweepLines, reports::chart::Format)> = CHARTED
        .iter()
        .filter_map(|&(metric, name)| SweepLines::from_rows(layout, &rows, metric, name))
        .flat_map(|c| reports::chart::Format::ALL.map(|f| (c.clone(), f)))
        .collect();
    let charts: Vec<PathBuf> = jobs
        .par_iter()
        .map(|(chart, format)| {
            use reports::chart::Chart;
            let bytes = reports::chart::render(chart, reports::chart::FULL_WIDTH, *format)
                .map_err(|e| anyhow::anyhow!("drawing {}: {e}", chart.name()))?;
            let path = plots.join(format!("{}.{}", chart.name(), format.extension()));
            write_atomic(&path, &bytes).context("writing a sweep chart")?;
            Ok(path)
        })
        .collect::<anyhow::Result<_>>()?;
    written.extend(charts);
    if !quiet {
        println!(
            "{} points × {} replications",
            layout.points.len(),
            layout.replications
        );
        for f in written {
            println!("  {}", f.display());
        }
    }
    Ok(())
}

/// `iomtsim sweep SCENARIO`.
pub fn sweep(
    path: &Path,
    out: Option<PathBuf>,
    sets: &[Override],
    jobs: Option<usize>,
    resume: bool,
    shard: Option<Shard>,
    quiet: bool,
) -> Result<(), Failure> {
    let p = load(path, sets)?;
    let out = out.unwrap_or_else(|| {
        PathBuf::from("results").join(format!("{}-sweep", p.loaded.scenario.name))
    });
    let m = manifest(&p, shard);
    match read_manifest(&out) {
        Some(old) if old != m => {
            return Err(Failure::Input(format!(
                "{} holds a sweep of a different scenario, overrides or shard (see its {MANIFEST}); \
                 choose another --out, or delete the folder to start again",
                out.display()
            )));
        }
        Some(_) if !resume => {
            return Err(Failure::Input(format!(
                "{} already holds this sweep; add --resume to run only the missing jobs",
                out.display()
            )));
        }
        _ => {}
    }
    write_manifest(&out, &m)?;

    let total = p.plan.point_count() * p.plan.replications as usize;
    let mine: Vec<(usize, u32)> = (0..total)
        .filter(|j| shard.is_none_or(|s| j % s.count as usize == (s.index - 1) as usize))
        .map(|j| {
            (
                j / p.plan.replications as usize,
                (j % p.plan.replications as usize) as u32,
            )
        })
        .filter(|&(pt, r)| !job_path(&out, pt, r).is_file())
        .collect();
    let bar = progress(mine.len() as u64, quiet);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .context("starting the worker threads")?;
    pool.install(|| {
        mine.par_iter().for_each(|&(pt, r)| {
            let outcome = run_job(&p, pt, r).and_then(|job| Ok(write_job(&out, &job)?));
            if let Err(e) = outcome {
                let point = p.plan.point(pt);
                let seed = sim_core::rng::replication_seed(p.loaded.scenario.seed, r);
                let mut f = failures
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                f.push(format!(
                    "point {pt} ({}), replication {r}, seed {seed}: {e:#}",
                    describe(&p.plan, &point)
                ));
                bar.set_message(f.len().to_string());
            }
            bar.inc(1);
        })
    });
    bar.finish_and_clear();
    let failures = failures
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("job failed: {f}");
        }
        return Err(Failure::Other(anyhow::anyhow!(
            "{} job(s) failed; the others are saved",
            failures.len()
        )));
    }
    match shard {
        Some(s) => {
            if !quiet {
                println!(
                    "shard {}/{} done: {} job(s) in {}; combine the shards with `iomtsim merge`",
                    s.index,
                    s.count,
                    mine.len(),
                    out.display()
                );
            }
            Ok(())
        }
        None => finish(&out, &p.layout, quiet),
    }
}

/// `iomtsim merge DIR... --out OUT`.
pub fn merge(dirs: &[PathBuf], out: &Path, quiet: bool) -> Result<(), Failure> {
    let mut reference: Option<serde_json::Value> = None;
    let mut shards = Vec::new();
    for d in dirs {
        let m = read_manifest(d).ok_or_else(|| {
            Failure::Input(format!(
                "{}: no {MANIFEST}; is this a sweep folder?",
                d.display()
            ))
        })?;
        let mut core = m.clone();
        core["shard"] = serde_json::Value::Null;
        match &reference {
            None => reference = Some(core),
            Some(r) if *r != core => {
                return Err(Failure::Input(format!(
                    "{} is a sweep of a different scenario or overrides than {}",
                    d.display(),
                    dirs[0].display()
                )));
            }
            _ => {}
        }
        shards.push(m["shard"].clone());
    }
    let Some(reference) = reference else {
        return Err(Failure::Input(
            "name at least one sweep folder to merge".into(),
        ));
    };
    let layout: Layout = serde_json::from_value(reference["layout"].clone()).map_err(|e| {
        Failure::Input(format!(
            "{}: unreadable layout in {MANIFEST}: {e}",
            dirs[0].display()
        ))
    })?;
    for p in 0..layout.points.len() {
        for r in 0..layout.replications {
            let holders: Vec<&PathBuf> = dirs
                .iter()
                .filter(|d| job_path(d, p, r).is_file())
                .collect();
            match holders.as_slice() {
                [] => {
                    return Err(Failure::Input(format!(
                        "job point {p}, replication {r} is in none of the folders; run its shard again"
                    )));
                }
                [one] => {
                    let bytes = std::fs::read(job_path(one, p, r)).context("reading a job")?;
                    let dst = job_path(out, p, r);
                    if let Some(parent) = dst.parent() {
                        std::fs::create_dir_all(parent).context("creating jobs/")?;
                    }
                    write_atomic(&dst, &bytes).context("copying a job")?;
                }
                many => {
                    return Err(Failure::Input(format!(
                        "job point {p}, replication {r} is in {} folders ({}); each job belongs to one shard",
                        many.len(),
                        many.iter()
                            .map(|d| d.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
    }
    write_manifest(out, &reference)?;
    finish(out, &layout, quiet)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// `iomtsim slurm SCENARIO --shards N`: writes a job-array script, a merge script and a
/// submit script that chains them.
pub fn slurm(
    path: &Path,
    sets: &[Override],
    shards: u32,
    partition: Option<&str>,
    time: &str,
    cpus: u32,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    if shards == 0 {
        return Err(Failure::Input("--shards must be at least 1".into()));
    }
    let p = load(path, sets)?;
    let out = out.unwrap_or_else(|| {
        PathBuf::from("results").join(format!("{}-sweep", p.loaded.scenario.name))
    });
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let abs = |q: &Path| std::fs::canonicalize(q).unwrap_or_else(|_| q.to_path_buf());
    let exe = std::env::current_exe().context("locating the iomtsim binary")?;
    let (exe, scenario, dir) = (abs(&exe), abs(path), abs(&out));
    let set_args: String = sets
        .iter()
        .map(|s| format!(" --set {}", shell_quote(&s.to_string())))
        .collect();
    let partition = partition.map_or(String::new(), |p| format!("#SBATCH --partition={p}\n"));
    let name = &p.loaded.scenario.name;
    let q = |x: &Path| shell_quote(&x.display().to_string());
    let array = format!(
        "#!/bin/bash\n# Shard i of {shards} of the sweep of {name}; written by `iomtsim slurm`.\n\
         #SBATCH --job-name=iomtsim-{name}\n#SBATCH --array=1-{shards}\n#SBATCH --cpus-per-task={cpus}\n\
         #SBATCH --time={time}\n{partition}#SBATCH --output={}/slurm-%A_%a.out\nset -euo pipefail\n\
         exec {} sweep {} --out {}/shard-\"$SLURM_ARRAY_TASK_ID\" --shard \"$SLURM_ARRAY_TASK_ID\"/{shards} --jobs \"${{SLURM_CPUS_PER_TASK:-{cpus}}}\" --resume --quiet{set_args}\n",
        dir.display(),
        q(&exe),
        q(&scenario),
        q(&dir),
    );
    let shard_dirs: String = (1..=shards)
        .map(|i| format!(" {}/shard-{i}", q(&dir)))
        .collect();
    let merge = format!(
        "#!/bin/bash\n# Merges the {shards} shards of the sweep of {name}; written by `iomtsim slurm`.\n\
         #SBATCH --job-name=iomtsim-{name}-merge\n#SBATCH --cpus-per-task=1\n#SBATCH --time={time}\n\
         {partition}#SBATCH --output={}/slurm-merge-%j.out\nset -euo pipefail\n\
         exec {} merge{shard_dirs} --out {} --quiet\n",
        dir.display(),
        q(&exe),
        q(&dir),
    );
    let submit = format!(
        "#!/bin/bash\n# Submits the job array, then the merge once every shard succeeded.\nset -euo pipefail\n\
         cd {}\njob=$(sbatch --parsable sweep.sbatch)\nsbatch --parsable --dependency=afterok:\"${{job%%;*}}\" merge.sbatch\n",
        q(&dir)
    );
    for (file, text) in [
        ("sweep.sbatch", array),
        ("merge.sbatch", merge),
        ("submit.sh", submit),
    ] {
        let f = out.join(file);
        write_atomic(&f, text.as_bytes()).context("writing the Slurm scripts")?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o755));
        }
        println!("  {}", f.display());
    }
    println!(
        "{} points × {} replications in {shards} shard(s); submit with: bash {}/submit.sh",
        p.plan.point_count(),
        p.plan.replications,
        out.display()
    );
    Ok(())
}
