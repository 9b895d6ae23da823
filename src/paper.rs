//! `iomtsim paper PAPER.yaml`: a paper's figures and tables rebuilt from one file.
//!
//! Each figure or table of the paper is a sweep of a scenario (see `scenarios::paper`). A sweep
//! is keyed by a hash of what decides its numbers: the scenario file's bytes, the overrides
//! (the sweep block among them), the base seed, the replications and the program version. It
//! runs in `OUT/runs/<key>/` through `iomtsim sweep`'s own code (`crate::sweep::sweep`, with
//! `--resume`), so a run folder is a sweep folder `iomtsim plot` and `merge` understand; a
//! finished one is never run again. With `--slurm` the missing sweeps get `iomtsim slurm`'s
//! job-array scripts instead, and nothing is drawn until they are done.
//!
//! Then `OUT/figures/<label>.svg` and `.pdf`, `OUT/tables/<label>.tex`, `OUT/figures.tex` and
//! `OUT/paper-manifest.json` are written, each only if its bytes change: a second `paper` with
//! nothing changed runs nothing and leaves every file (and its modification time) as it was.

use crate::Failure;
use crate::results_folder::{Kind, ResultsFolder};
use anyhow::Context;
use reports::output::{sha256_hex, write_atomic};
use reports::paper::{FigureEntry, PaperChart, Placement};
use reports::sweep::{JobExpect, Layout, Row};
use scenarios::paper::{FigureKind, FigureSize, Item, ItemKind, Source};
use serde_json::json;
use std::path::{Path, PathBuf};

/// How `iomtsim paper` runs, from its flags.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The paper's folder [default: results/<paper file stem>].
    pub out: Option<PathBuf>,
    /// Worker threads of each sweep (`None`: one per core).
    pub jobs: Option<usize>,
    /// Write Slurm scripts for the missing sweeps instead of running them.
    pub slurm: bool,
    /// Print nothing but errors.
    pub quiet: bool,
}

/// The file that marks a paper folder and records what made each figure.
const MANIFEST: &str = "paper-manifest.json";

/// The most Slurm array tasks one sweep of a paper is split into.
const MAX_SHARDS: usize = 1000;

/// One sweep the paper needs, and the items drawn from it.
struct Run<'a> {
    key: String,
    item: &'a Item,
    users: Vec<&'a str>,
}

/// The run key of an item: the first 16 hex digits of the SHA-256 of its scenario's bytes'
/// hash, its overrides, base seed, replications and the program version.
fn run_key(item: &Item) -> String {
    let what = json!({
        "scenario_sha256": sha256_hex(&item.scenario_bytes),
        "overrides": item.overrides.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "base_seed": item.base_seed,
        "replications": item.plan.replications,
        "program_version": env!("CARGO_PKG_VERSION"),
    });
    sha256_hex(what.to_string().as_bytes())[..16].to_string()
}

/// The layout and every row of a finished sweep folder; `None` if it is missing, unfinished
/// or damaged (then it is run again with `--resume`, which keeps its valid jobs).
fn finished(dir: &Path) -> Option<(Layout, Vec<Row>)> {
    if !dir.join("sweep.csv").is_file() {
        return None;
    }
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("sweep-manifest.json")).ok()?).ok()?;
    let layout: Layout = serde_json::from_value(m["layout"].clone()).ok()?;
    let expect = JobExpect {
        scenario_sha256: m["scenario"]["sha256_with_overrides"].as_str()?.to_string(),
        base_seed: m["base_seed"].as_u64()?,
    };
    let rows = reports::sweep::table(dir, &layout, &expect).ok()?;
    Some((layout, rows))
}

/// Counts of files written and left as they were.
#[derive(Default)]
struct Writes {
    written: Vec<PathBuf>,
    unchanged: usize,
}

impl Writes {
    /// Writes `bytes` to `path` unless the file already holds exactly them; whether it wrote.
    fn put(&mut self, path: &Path, bytes: &[u8]) -> Result<bool, Failure> {
        if std::fs::read(path).is_ok_and(|old| old == bytes) {
            self.unchanged += 1;
            return Ok(false);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        write_atomic(path, bytes).with_context(|| format!("writing {}", path.display()))?;
        self.written.push(path.to_path_buf());
        Ok(true)
    }
}

fn chart_of(kind: FigureKind) -> PaperChart {
    match kind {
        FigureKind::Lines => PaperChart::Lines,
        FigureKind::Difference => PaperChart::Difference,
        FigureKind::Bars => PaperChart::Bars,
        FigureKind::Forest => PaperChart::Forest,
    }
}

fn placement_of(size: FigureSize) -> Placement {
    match size {
        FigureSize::OneColumn => Placement::Column,
        FigureSize::TwoColumn => Placement::FullWidth,
        FigureSize::Inches { .. } => Placement::Natural,
    }
}

fn source_name(s: &Source) -> &'static str {
    match s {
        Source::Run => "run",
        Source::ScenarioSweep => "scenario sweep",
        Source::Sweep => "paper sweep",
    }
}

/// What the manifest records of the sweep behind an item.
fn run_record(item: &Item, key: &str) -> serde_json::Value {
    json!({
        "key": key,
        "folder": format!("runs/{key}"),
        // As the paper names it, so the manifest does not depend on the working folder.
        "scenario": item.scenario_in_paper,
        "scenario_sha256": sha256_hex(&item.scenario_bytes),
        "source": source_name(&item.source),
        "overrides": item.overrides.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "base_seed": item.base_seed,
        "points": item.plan.point_count(),
        "replications": item.plan.replications,
        "seeds": (0..item.plan.replications)
            .map(|r| sim_core::rng::replication_seed(item.base_seed, r))
            .collect::<Vec<_>>(),
    })
}

/// `iomtsim paper PAPER.yaml`.
pub fn paper(path: &Path, options: Options) -> Result<(), Failure> {
    // Everything is checked before anything runs: the paper, each scenario with its
    // overrides, each metric and each chart against its sweep.
    let paper = scenarios::paper::load_paper(path)?;
    let out = options.out.clone().unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .map_or("paper".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from("results").join(scenarios::identifier_like(&stem))
    });
    let _folder = ResultsFolder::claim(&out, Kind::Paper, false)?;
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let marker = out.join(MANIFEST);
    if !marker.is_file() {
        // Marks the folder as a paper's from the start, so an interrupted first build can be
        // resumed; the full manifest replaces it at the end.
        let first =
            json!({ "program": { "name": "iomtsim", "version": env!("CARGO_PKG_VERSION") } });
        write_atomic(&marker, format!("{first:#}\n").as_bytes())
            .context("writing the paper manifest")?;
    }

    // The sweeps, each once however many items use it, in the order first used.
    let keys: Vec<String> = paper.items.iter().map(run_key).collect();
    let mut runs: Vec<Run> = Vec::new();
    for (item, key) in paper.items.iter().zip(&keys) {
        match runs.iter_mut().find(|r| r.key == *key) {
            Some(r) => r.users.push(&item.label),
            None => runs.push(Run {
                key: key.clone(),
                item,
                users: vec![&item.label],
            }),
        }
    }
    let dir_of = |key: &str| out.join("runs").join(key);
    let missing: Vec<&Run> = runs
        .iter()
        .filter(|r| finished(&dir_of(&r.key)).is_none())
        .collect();

    if options.slurm && !missing.is_empty() {
        return write_slurm(path, &out, &missing, options.jobs);
    }
    for r in &missing {
        let item = r.item;
        if !options.quiet {
            println!(
                "running {} ({} point(s) × {} replication(s)) for {}: runs/{}",
                item.scenario.display(),
                item.plan.point_count(),
                item.plan.replications,
                r.users.join(", "),
                r.key
            );
        }
        crate::sweep::sweep(
            &item.scenario,
            Some(dir_of(&r.key)),
            &item.overrides,
            crate::sweep::Options {
                jobs: options.jobs,
                resume: true,
                quiet: true,
                ..Default::default()
            },
        )?;
    }

    // Draw and write, each file only if its bytes change.
    let mut writes = Writes::default();
    let mut figures: Vec<FigureEntry> = Vec::new();
    let mut fig_records = Vec::new();
    let mut table_records = Vec::new();
    for (item, key) in paper.items.iter().zip(&keys) {
        let (layout, rows) = finished(&dir_of(key)).ok_or_else(|| {
            Failure::Other(anyhow::anyhow!(
                "{}: the sweep for {} did not finish",
                dir_of(key).display(),
                item.label
            ))
        })?;
        match item.kind {
            ItemKind::Figure { kind, size } => {
                let drawn = reports::paper::draw_figure(
                    chart_of(kind),
                    &item.metrics,
                    &layout,
                    &rows,
                    size.inches(),
                )
                .map_err(|e| {
                    Failure::Other(anyhow::anyhow!(
                        "{}: figure {}: {e}",
                        path.display(),
                        item.label
                    ))
                })?;
                let files = [
                    format!("figures/{}.pdf", item.label),
                    format!("figures/{}.svg", item.label),
                ];
                // The PDF is the SVG converted; its converter (svg2pdf 0.13) orders resource
                // dictionaries by hash, differently in each process, so an unchanged SVG keeps
                // the PDF already made from it.
                let (pdf, svg) = (out.join(&files[0]), out.join(&files[1]));
                let svg_changed = writes.put(&svg, &drawn.svg)?;
                if svg_changed || !pdf.is_file() {
                    writes.put(&pdf, &drawn.pdf)?;
                } else {
                    writes.unchanged += 1;
                }
                figures.push(FigureEntry {
                    label: &item.label,
                    caption: &item.caption,
                    placement: placement_of(size),
                });
                let (w, h) = size.inches();
                fig_records.push(json!({
                    "label": item.label,
                    "latex_label": format!("fig:{}", item.label),
                    "kind": kind.name(),
                    "size_in": [w, h],
                    "metrics": item.metrics,
                    "files": files,
                    "run": run_record(item, key),
                }));
            }
            ItemKind::Table => {
                let name = format!("tables/{}.tex", item.label);
                let tex = reports::paper::table_tex(
                    &item.label,
                    &item.caption,
                    &item.metrics,
                    &layout,
                    &rows,
                );
                writes.put(&out.join(&name), tex.as_bytes())?;
                table_records.push(json!({
                    "label": item.label,
                    "latex_label": format!("tab:{}", item.label),
                    "metrics": item.metrics,
                    "files": [name],
                    "run": run_record(item, key),
                }));
            }
        }
    }
    writes.put(
        &out.join("figures.tex"),
        reports::paper::figures_tex(&figures).as_bytes(),
    )?;
    let paper_bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let manifest = json!({
        "program": { "name": "iomtsim", "version": env!("CARGO_PKG_VERSION") },
        "paper": {
            "file": path.file_name().map(|n| n.to_string_lossy().into_owned()),
            "sha256": sha256_hex(&paper_bytes),
            "title": paper.title,
        },
        "figures": fig_records,
        "tables": table_records,
    });
    writes.put(&marker, format!("{manifest:#}\n").as_bytes())?;
    if !options.quiet {
        for f in &writes.written {
            println!("  {}", f.display());
        }
        println!(
            "{} sweep(s) run, {} up to date; {} file(s) written, {} unchanged in {}",
            missing.len(),
            runs.len() - missing.len(),
            writes.written.len(),
            writes.unchanged,
            out.display()
        );
    }
    Ok(())
}

/// `--slurm`: `iomtsim slurm`'s scripts for each missing sweep in its run folder, and
/// `OUT/submit-all.sh` submitting them all; nothing is drawn.
fn write_slurm(
    path: &Path,
    out: &Path,
    missing: &[&Run],
    jobs: Option<usize>,
) -> Result<(), Failure> {
    let mut lines = String::from(
        "#!/bin/bash\n# Submits every sweep this paper still needs; written by `iomtsim paper --slurm`.\nset -euo pipefail\ncd \"$(dirname \"$0\")\"\n",
    );
    for r in missing {
        let item = r.item;
        let dir = out.join("runs").join(&r.key);
        let shards = item.plan.point_count().clamp(1, MAX_SHARDS) as u32;
        println!("sweep for {}: runs/{}", r.users.join(", "), r.key);
        crate::sweep::slurm(
            &item.scenario,
            &item.overrides,
            shards,
            None,
            "01:00:00",
            jobs.unwrap_or(1).clamp(1, 4096) as u32,
            Some(dir),
        )?;
        lines.push_str(&format!("bash runs/{}/submit.sh\n", r.key));
    }
    let script = out.join("submit-all.sh");
    write_atomic(&script, lines.as_bytes()).context("writing submit-all.sh")?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755));
    }
    println!(
        "{} sweep(s) to run on the cluster: submit them with `bash {}`, then, once they are done, run `iomtsim paper {}{}` again to draw the figures",
        missing.len(),
        script.display(),
        path.display(),
        format_args!(" --out {}", out.display())
    );
    Ok(())
}
