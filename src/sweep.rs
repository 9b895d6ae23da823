//! `iomtsim sweep`, `iomtsim merge` and `iomtsim slurm`: parameter sweeps on a laptop's cores
//! or on a cluster's job array.
//!
//! Jobs (point × replication) run on a rayon pool; each writes its result file the moment it
//! finishes. A sweep folder holds `sweep-manifest.json` (program version, a hash of the scenario
//! and its overrides, the plan's layout and the shard), `jobs/`, and, once every job is there,
//! `sweep.csv`, `sweep.json`, `plots/`, the summaries and `report.html`. Those are built from the job files alone, so they are
//! byte-identical for any `--jobs`, after `--resume`, and after `merge` of shards.

use crate::Failure;
use crate::results_folder::{Kind, ResultsFolder};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use reports::output::{sha256_hex, write_atomic};
use reports::sweep::{
    GroupValues, JobExpect, JobProblem, JobResult, Layout, TableError, job_path, read_job,
    write_job, write_table,
};
use scenarios::sweep::SweepPlan;
use scenarios::{Loaded, Override, Scenario};
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
    /// The attacks and defenses of all points.
    security: SecurityEntries,
    plan: SweepPlan,
    source: String,
    file: String,
    sets: Vec<Override>,
    hash: String,
    layout: Layout,
}

/// The `(name, kind)` of every attack and defense of any point of a sweep, in order of first
/// appearance: the sweep manifest records them for the rules table of `report.html`.
#[derive(Default)]
struct SecurityEntries {
    attacks: Vec<(String, &'static str)>,
    defenses: Vec<(String, &'static str)>,
}

impl SecurityEntries {
    fn add(&mut self, s: &Scenario) {
        let push = |list: &mut Vec<(String, &'static str)>, name: &str, kind| {
            if !list.iter().any(|(n, k)| n == name && *k == kind) {
                list.push((name.to_string(), kind));
            }
        };
        for a in &s.attacks {
            push(
                &mut self.attacks,
                &a.name,
                attacks::catalogue::attack(a.kind).name,
            );
        }
        for d in &s.defenses {
            push(
                &mut self.defenses,
                &d.name,
                attacks::catalogue::defense(d.kind).name,
            );
        }
    }

    fn json(list: &[(String, &'static str)]) -> serde_json::Value {
        list.iter()
            .map(|(name, kind)| json!({ "name": name, "kind": kind }))
            .collect()
    }
}

/// The most engine events a sweep may plan without `--allow-large`: 10¹² events, about a
/// core-day and a half at the ward's 7.6 million events per second (BENCHMARKS.md).
pub const MAX_SWEEP_EVENTS: f64 = 1e12;

/// The most jobs (points × replications) a sweep may plan without `--allow-large`.
pub const MAX_SWEEP_JOBS: u64 = 1_000_000;

/// Refuses a sweep whose estimated work (jobs × events per job, from the base scenario's
/// expected events per simulated second) passes the limits, unless `allow_large`.
fn check_work(
    file: &str,
    loaded: &Loaded,
    plan: &SweepPlan,
    allow_large: bool,
) -> Result<(), Failure> {
    let jobs = (plan.point_count() as u64).saturating_mul(u64::from(plan.replications));
    let s = &loaded.scenario;
    let per_job = loaded.built.expected_events_per_second() * s.duration.as_secs_f64();
    let events = per_job * jobs as f64;
    if allow_large || (jobs <= MAX_SWEEP_JOBS && events <= MAX_SWEEP_EVENTS) {
        return Ok(());
    }
    Err(Failure::Input(format!(
        "{file}: the sweep plans {} points × {} replications = {jobs} jobs of about {per_job:.3e} events each, {events:.3e} events in all          (limits: {MAX_SWEEP_JOBS} jobs, {MAX_SWEEP_EVENTS:.0e} events, about a core-day and a half);          shrink the sweep or confirm with --allow-large",
        plan.point_count(),
        plan.replications
    )))
}

fn load(path: &Path, sets: &[Override], allow_large: bool) -> Result<Plan, Failure> {
    let file = path.display().to_string();
    let bytes = scenarios::read_file(path)?;
    let source = scenarios::text_of(bytes.clone(), &file)?;
    let loaded = scenarios::parse_with(&source, &file, sets)?;
    let Some(plan) = loaded.sweep.clone() else {
        return Err(Failure::Input(format!(
            "{file}: the scenario has no `sweep:` section; see docs/scenario.md#sweeps"
        )));
    };
    check_work(&file, &loaded, &plan, allow_large)?;
    // Check every point before running any, so a bad value fails in a second, not an hour in.
    // On the way, gather the attacks and defenses the points have (variants may differ), for
    // the rules table of report.html.
    let mut problems = Vec::new();
    let mut security = SecurityEntries::default();
    for point in plan.points() {
        let all: Vec<Override> = sets
            .iter()
            .cloned()
            .chain(point.overrides.clone())
            .collect();
        match scenarios::parse_with(&source, &file, &all) {
            Ok(l) => security.add(&l.scenario),
            Err(e) => problems.push(format!(
                "point {} ({}): {e}",
                point.index,
                describe(&plan, &point)
            )),
        }
        if problems.len() >= 5 {
            break;
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
        metrics: plan.metrics.clone(),
        zip: plan.combine == scenarios::sweep::Combine::Zip,
    };
    Ok(Plan {
        hash: sha256_hex(&hashed),
        security,
        loaded,
        plan,
        source,
        file,
        sets: sets.to_vec(),
        layout,
    })
}

/// Removes the temporary files a killed sweep left in `jobs/` (a job being written when the
/// process died), saying how many.
fn remove_stale_temporaries(jobs: &Path, quiet: bool) {
    let Ok(entries) = std::fs::read_dir(jobs) else {
        return;
    };
    let mut removed = 0;
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".tmp") && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    if removed > 0 && !quiet {
        eprintln!(
            "note: removed {removed} unfinished job file(s) an earlier, stopped sweep left in {}",
            jobs.display()
        );
    }
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
        "scenario": {
            "name": p.loaded.scenario.name,
            "description": p.loaded.scenario.description,
            "sha256_with_overrides": p.hash,
        },
        "overrides": p.sets.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "attacks": SecurityEntries::json(&p.security.attacks),
        "defenses": SecurityEntries::json(&p.security.defenses),
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

fn run_job(p: &Plan, point: usize, replication: u32, limit: u64) -> anyhow::Result<JobResult> {
    let pt = p.plan.point(point);
    let all: Vec<Override> = p.sets.iter().cloned().chain(pt.overrides).collect();
    let loaded =
        scenarios::parse_with(&p.source, &p.file, &all).map_err(|e| anyhow::anyhow!("{e}"))?;
    let built = &loaded.built;
    // Common random numbers: replication r of every point shares this seed.
    let seed = sim_core::rng::replication_seed(loaded.scenario.seed, replication);
    let m = crate::in_flight::run_limited(built.with_seed(seed)?, &built.model, limit)?;
    Ok(JobResult {
        point,
        replication,
        seed,
        events: m.events,
        metrics: job_metrics(&m),
        groups: m
            .groups
            .iter()
            .map(|g| GroupValues {
                group: g.name.clone(),
                metrics: reports::data::GROUP_METRICS
                    .iter()
                    .zip(g.values())
                    .map(|(n, v)| (n.to_string(), v))
                    .collect(),
            })
            .collect(),
        scenario_sha256: p.hash.clone(),
    })
}

/// A job's run metrics: the run's scalars, then the metrics derived from the run
/// ([`sim_core::metrics::derived`]: latency percentiles, the worst patient's figures).
fn job_metrics<R: sim_core::HookReport>(
    m: &sim_core::metrics::RunMetrics<R>,
) -> Vec<(String, Option<f64>)> {
    m.scalars
        .iter()
        .copied()
        .chain(m.derived())
        .map(|(n, v)| (n.to_string(), v))
        .collect()
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

/// How many charted metrics the one-column LaTeX table of a sweep shows.
const ONE_COLUMN_METRICS: usize = 2;

/// Draws every chart of a sweep and writes its summary.md, summary.tex and report.html, from
/// the rows of the charted metrics; returns the files written.
pub(crate) fn draw_and_summarise(
    dir: &Path,
    layout: &Layout,
    rows: &[reports::sweep::Row],
    formats: &[reports::chart::Format],
) -> Result<Vec<PathBuf>, Failure> {
    let metrics = reports::sweep::charted(layout, scenarios::sweep::DEFAULT_METRICS);
    let plots = dir.join("plots");
    std::fs::create_dir_all(&plots).with_context(|| format!("creating {}", plots.display()))?;
    let mut written = Vec::new();
    for (name, bytes) in reports::sweep::draw_sweep(layout, &metrics, rows, formats) {
        let path = dir.join(&name);
        let bytes = bytes
            .map_err(|e| Failure::Other(anyhow::anyhow!("drawing {}: {e}", path.display())))?;
        write_atomic(&path, &bytes).context("writing a sweep chart")?;
        written.push(path);
    }
    for (file, text) in [
        (
            "summary.md",
            reports::sweep::sweep_summary_md(layout, &metrics, rows),
        ),
        (
            "summary.tex",
            reports::sweep::sweep_summary_tex(layout, &metrics, rows, ONE_COLUMN_METRICS),
        ),
    ] {
        let path = dir.join(file);
        write_atomic(&path, text.as_bytes()).context("writing the sweep summary")?;
        written.push(path);
    }
    let manifest = read_manifest(dir)
        .ok_or_else(|| Failure::Input(format!("{}: no readable {MANIFEST}", dir.display())))?;
    let page = reports::html::sweep::sweep_page(&manifest, layout, &metrics, rows, true)
        .map_err(|e| Failure::Other(anyhow::anyhow!("drawing report.html: {e}")))?;
    let path = dir.join(reports::html::REPORT_HTML);
    write_atomic(&path, page.as_bytes()).context("writing report.html")?;
    written.push(path);
    Ok(written)
}

fn bad_jobs(dir: &Path, bad: &reports::sweep::BadJobs) -> Failure {
    let (p, r, why) = &bad[0];
    Failure::Other(anyhow::anyhow!(
        "{} job(s) missing or invalid (first: {}: {why}); run again with --resume",
        bad.len(),
        job_path(dir, *p, *r).display()
    ))
}

/// Builds `sweep.csv`, `sweep.json`, the charts and the summaries once every job is present.
/// The table streams: rows are written point by point, and only the charted metrics' rows are
/// kept for the charts.
fn finish(dir: &Path, layout: &Layout, expect: &JobExpect, quiet: bool) -> Result<(), Failure> {
    let metrics = reports::sweep::charted(layout, scenarios::sweep::DEFAULT_METRICS);
    let keep = reports::sweep::kept_metrics(&metrics);
    let (mut written, rows) = write_table(dir, layout, expect, |r| keep.contains(&r.key()))
        .map_err(|e| match e {
            TableError::Jobs(bad) => bad_jobs(dir, &bad),
            TableError::Output(e) => Failure::Other(anyhow::anyhow!("writing sweep.csv: {e}")),
        })?;
    written.extend(draw_and_summarise(
        dir,
        layout,
        &rows,
        &reports::chart::Format::ALL,
    )?);
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

/// `iomtsim plot DIR` on a sweep folder: redraws its charts (and summaries) from the job files
/// in `formats`; returns the files written.
pub fn plot_sweep(dir: &Path, formats: &[reports::chart::Format]) -> Result<Vec<PathBuf>, Failure> {
    let m = read_manifest(dir)
        .ok_or_else(|| Failure::Input(format!("{}: no readable {MANIFEST}", dir.display())))?;
    let layout: Layout = serde_json::from_value(m["layout"].clone()).map_err(|e| {
        Failure::Input(format!(
            "{}: {MANIFEST}: unreadable `layout`: {e}",
            dir.display()
        ))
    })?;
    let expect = JobExpect {
        scenario_sha256: m["scenario"]["sha256_with_overrides"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        base_seed: m["base_seed"].as_u64().unwrap_or_default(),
    };
    let metrics = reports::sweep::charted(&layout, scenarios::sweep::DEFAULT_METRICS);
    let keep = reports::sweep::kept_metrics(&metrics);
    let mut rows = Vec::new();
    reports::sweep::stream_table(dir, &layout, &expect, |point| {
        rows.extend(point.into_iter().filter(|r| keep.contains(&r.key())));
    })
    .map_err(|bad| bad_jobs(dir, &bad))?;
    draw_and_summarise(dir, &layout, &rows, formats)
}

/// Whether `dir` is a sweep folder (it holds a sweep manifest).
pub fn is_sweep_folder(dir: &Path) -> bool {
    dir.join(MANIFEST).is_file()
}

/// How `iomtsim sweep` runs, from its flags.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Worker threads (`None`: one per core).
    pub jobs: Option<usize>,
    /// Run only the missing (or invalid) jobs of an existing folder.
    pub resume: bool,
    /// Run one shard only.
    pub shard: Option<Shard>,
    /// Write into a non-empty folder that is not a sweep folder.
    pub force: bool,
    /// The limit on packets in flight per job (`None`: sized to the machine).
    pub max_in_flight: Option<u64>,
    /// Run a sweep beyond the work limits.
    pub allow_large: bool,
    /// Print nothing but errors.
    pub quiet: bool,
}

/// `iomtsim sweep SCENARIO`.
pub fn sweep(
    path: &Path,
    out: Option<PathBuf>,
    sets: &[Override],
    options: Options,
) -> Result<(), Failure> {
    let Options {
        jobs,
        resume,
        shard,
        force,
        max_in_flight,
        allow_large,
        quiet,
    } = options;
    let p = load(path, sets, allow_large)?;
    if !quiet {
        for w in crate::run::warning_lines(path, &p.loaded) {
            eprintln!("{w}");
        }
    }
    let out = out.unwrap_or_else(|| {
        PathBuf::from("results").join(format!("{}-sweep", p.loaded.scenario.name))
    });
    let _folder = ResultsFolder::claim(&out, Kind::Sweep, force)?;
    let m = manifest(&p, shard);
    // A folder written before the manifest recorded the scenario's description, attacks and
    // defenses resumes too: they follow from the scenario, whose hash the manifest holds.
    let read = read_manifest(&out).map(|mut old| {
        if old["scenario"].get("description").is_none() && old["scenario"].is_object() {
            old["scenario"]["description"] = m["scenario"]["description"].clone();
        }
        if let Some(o) = old.as_object_mut() {
            for key in ["attacks", "defenses"] {
                if !o.contains_key(key) {
                    o.insert(key.into(), m[key].clone());
                }
            }
        }
        old
    });
    match read {
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
    remove_stale_temporaries(&out.join("jobs"), quiet);
    let expect = JobExpect {
        scenario_sha256: p.hash.clone(),
        base_seed: p.loaded.scenario.seed,
    };

    let total = p.plan.point_count() * p.plan.replications as usize;
    let mine: Vec<(usize, u32)> = (0..total)
        .filter(|j| shard.is_none_or(|s| j % s.count as usize == (s.index - 1) as usize))
        .map(|j| {
            (
                j / p.plan.replications as usize,
                (j % p.plan.replications as usize) as u32,
            )
        })
        .filter(|&(pt, r)| match read_job(&out, pt, r, &expect) {
            Ok(_) => false,
            Err(JobProblem::Missing) => true,
            Err(why) => {
                if !quiet {
                    eprintln!(
                        "{}: {why}; running it again",
                        job_path(&out, pt, r).display()
                    );
                }
                true
            }
        })
        .collect();
    let bar = progress(mine.len() as u64, quiet);
    // Each failure's text, and whether it was an overload (the scenario's fault: exit 2).
    let failures: Mutex<Vec<(String, bool)>> = Mutex::new(Vec::new());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .context("starting the worker threads")?;
    let limit = max_in_flight
        .unwrap_or_else(|| crate::in_flight::default_limit(pool.current_num_threads()));
    pool.install(|| {
        mine.par_iter().for_each(|&(pt, r)| {
            let outcome = run_job(&p, pt, r, limit).and_then(|job| Ok(write_job(&out, &job)?));
            if let Err(e) = outcome {
                let point = p.plan.point(pt);
                let seed = sim_core::rng::replication_seed(p.loaded.scenario.seed, r);
                let mut f = failures
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                let overload = e.downcast_ref::<crate::in_flight::Overloaded>().is_some();
                f.push((
                    format!(
                        "point {pt} ({}), replication {r}, seed {seed}: {e:#}",
                        describe(&p.plan, &point)
                    ),
                    overload,
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
        for (f, _) in &failures {
            eprintln!("job failed: {f}");
        }
        let message = format!("{} job(s) failed; the others are saved", failures.len());
        return Err(if failures.iter().all(|(_, overload)| *overload) {
            Failure::Input(format!(
                "{message}; every failure is an overload of the scenario"
            ))
        } else {
            Failure::Other(anyhow::anyhow!(message))
        });
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
        None => finish(&out, &p.layout, &expect, quiet),
    }
}

/// `iomtsim merge DIR... --out OUT`.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, quiet: bool) -> Result<(), Failure> {
    let _folder = ResultsFolder::claim(out, Kind::Sweep, force)?;
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
    let bad_manifest = |what: String| {
        Failure::Input(format!(
            "{}: {MANIFEST}: {what}; the file was edited or damaged: run the sweep again",
            dirs[0].join(MANIFEST).display()
        ))
    };
    let layout: Layout = serde_json::from_value(reference["layout"].clone())
        .map_err(|e| bad_manifest(format!("unreadable `layout`: {e}")))?;
    layout
        .check()
        .map_err(|e| bad_manifest(format!("`layout`: {e}")))?;
    let expect = JobExpect {
        scenario_sha256: reference["scenario"]["sha256_with_overrides"]
            .as_str()
            .filter(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| {
                bad_manifest("`scenario.sha256_with_overrides` is not a SHA-256".into())
            })?
            .to_string(),
        base_seed: reference["base_seed"]
            .as_u64()
            .ok_or_else(|| bad_manifest("`base_seed` is not a whole number ≥ 0".into()))?,
    };
    for (d, shard) in dirs.iter().zip(&shards) {
        if !shard.is_null() {
            let (i, n) = (shard["index"].as_u64(), shard["count"].as_u64());
            if !matches!((i, n), (Some(i), Some(n)) if 1 <= i && i <= n) {
                return Err(Failure::Input(format!(
                    "{}: {MANIFEST}: `shard` is not {{index, count}} with 1 ≤ index ≤ count",
                    d.join(MANIFEST).display()
                )));
            }
        }
    }
    // Every job is found and checked before anything is written, so a refused merge leaves
    // --out as it was.
    let mut sources: Vec<(usize, u32, &PathBuf)> = Vec::new();
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
                    if let Err(why) = read_job(one, p, r, &expect) {
                        return Err(Failure::Input(format!(
                            "{}: {why}; run its shard again with --resume",
                            job_path(one, p, r).display()
                        )));
                    }
                    sources.push((p, r, one));
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
    for (p, r, from) in sources {
        let bytes = std::fs::read(job_path(from, p, r)).context("reading a job")?;
        let dst = job_path(out, p, r);
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent).context("creating jobs/")?;
        }
        write_atomic(&dst, &bytes).context("copying a job")?;
    }
    write_manifest(out, &reference)?;
    finish(out, &layout, &expect, quiet)
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
    // `#SBATCH` lines are read by sbatch, not by a shell: no quoting protects them, so what
    // goes into them is restricted to Slurm's own alphabet.
    if time.is_empty()
        || !time
            .chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '-')
    {
        return Err(Failure::Input(format!(
            "--time: `{}` is not a Slurm time limit; write e.g. 01:00:00, 30 or 2-12:00:00",
            time.escape_debug()
        )));
    }
    if let Some(part) = partition
        && (part.is_empty()
            || !part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.,".contains(c)))
    {
        return Err(Failure::Input(format!(
            "--partition: `{}` is not a partition name (letters, digits, `_`, `-`, `.`, `,`)",
            part.escape_debug()
        )));
    }
    // The work is the cluster's to judge: the limits apply to `iomtsim sweep` on one machine.
    let p = load(path, sets, true)?;
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
    // An identifier (checked), so safe in a job name; kept on one line in comments regardless.
    let name = reports::tables::one_line(&p.loaded.scenario.name);
    let q = |x: &Path| shell_quote(&x.display().to_string());
    // The merge writes into the folder that holds these scripts and the shards, hence --force.
    // Slurm logs go to the submission folder (`submit.sh` changes into the sweep folder), so no
    // path appears in an `#SBATCH` line.
    let array = format!(
        "#!/bin/bash\n# Shard i of {shards} of the sweep of {name}; written by `iomtsim slurm`.\n\
         #SBATCH --job-name=iomtsim-{name}\n#SBATCH --array=1-{shards}\n#SBATCH --cpus-per-task={cpus}\n\
         #SBATCH --time={time}\n{partition}#SBATCH --output=slurm-%A_%a.out\nset -euo pipefail\n\
         exec {} sweep {} --out {}/shard-\"$SLURM_ARRAY_TASK_ID\" --shard \"$SLURM_ARRAY_TASK_ID\"/{shards} --jobs \"${{SLURM_CPUS_PER_TASK:-{cpus}}}\" --resume --quiet{set_args}\n",
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
         {partition}#SBATCH --output=slurm-merge-%j.out\nset -euo pipefail\n\
         exec {} merge{shard_dirs} --out {} --force --quiet\n",
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
