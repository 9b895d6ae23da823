//! Sweep results: one small file per finished job, and the per-point table built from them.
//!
//! Each job (point × replication) is written to `jobs/p{point}-r{replication}.json` as soon as
//! it finishes, atomically, so a killed sweep loses only the jobs in flight and `--resume` can
//! tell what is missing. The table is built from those files alone, one point at a time, so
//! its bytes do not depend on the thread count, on resumption or on sharding.
//!
//! For a plan with variants, every point is also compared with the baseline variant at the same
//! parameter values, pairwise over replications (replication r of every point shares its seed):
//! the mean difference d̄ and its 95 % Student-t interval d̄ ± t·s_d/√n. Common random numbers
//! make s_d much smaller than the spread of either side.

use crate::output::{OutputError, sha256_hex, write_atomic};
use crate::stats::{Summary, summarise};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What one job leaves on disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobResult {
    /// The point's number.
    pub point: usize,
    /// The replication's number.
    pub replication: u32,
    /// Its master seed.
    pub seed: u64,
    /// Events processed.
    pub events: u64,
    /// Metric values, in the engine's order (`null` where undefined), then the derived ones
    /// (latency percentiles, worst patient).
    pub metrics: Vec<(String, Option<f64>)>,
    /// Per node group, its metrics (`energy_per_node_j`, `battery_left_min_fraction`, ...), in
    /// the topology's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupValues>,
    /// SHA-256 of the scenario and its overrides (the sweep manifest's `sha256_with_overrides`),
    /// so a job file from another sweep is never taken for one of this sweep's.
    #[serde(default)]
    pub scenario_sha256: String,
}

/// One node group's metrics in one job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupValues {
    /// The group's name.
    pub group: String,
    /// Its metrics, in [`crate::data::GROUP_METRICS`] order (`null` where undefined).
    pub metrics: Vec<(String, Option<f64>)>,
}

/// A job file as written: the job and the SHA-256 of the job's own JSON text, so an edited,
/// truncated or corrupted file is found.
#[derive(Serialize, Deserialize)]
struct SealedJob {
    job: JobResult,
    sha256: String,
}

/// The shape of a sweep, as the table needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Parameter paths, in order.
    pub parameters: Vec<String>,
    /// Variant names (empty without variants).
    pub variants: Vec<String>,
    /// Index of the baseline variant.
    pub baseline: usize,
    /// Points: (variant index, parameter values as text).
    pub points: Vec<(Option<usize>, Vec<String>)>,
    /// Replications per point.
    pub replications: u32,
    /// The metrics to chart and tabulate (`metric` or `group/metric`), in order.
    #[serde(default)]
    pub metrics: Vec<String>,
    /// Whether the parameters are zipped (`combine: zip`) rather than crossed.
    #[serde(default)]
    pub zip: bool,
}

/// The most points a sweep may have (as `scenarios::sweep` allows).
pub const MAX_POINTS: usize = 100_000;

impl Layout {
    /// Checks that the layout is one a sweep can have (a sweep manifest may have been edited):
    /// at least one point and one replication, every point with one value per parameter, a
    /// variant index within the variants (and none without variants), variants in equal
    /// blocks, and the baseline among them.
    pub fn check(&self) -> Result<(), String> {
        if self.points.is_empty() {
            return Err("`points` is empty; a sweep has at least one point".into());
        }
        if self.points.len() > MAX_POINTS {
            return Err(format!(
                "`points` has {} entries; at most {MAX_POINTS}",
                self.points.len()
            ));
        }
        if self.replications == 0 {
            return Err("`replications` is 0; a sweep has at least one per point".into());
        }
        let nv = self.variants.len();
        if nv == 0 && self.baseline != 0 {
            return Err(format!(
                "`baseline` is {} but there are no variants; it must be 0",
                self.baseline
            ));
        }
        if nv > 0 && self.baseline >= nv {
            return Err(format!(
                "`baseline` is {}; with {nv} variant(s) it must lie in 0..{}",
                self.baseline,
                nv - 1
            ));
        }
        if nv > 0 && !self.points.len().is_multiple_of(nv) {
            return Err(format!(
                "{} points cannot split into {nv} equal blocks of variants",
                self.points.len()
            ));
        }
        let block = self.points.len() / nv.max(1);
        for (i, (v, values)) in self.points.iter().enumerate() {
            if values.len() != self.parameters.len() {
                return Err(format!(
                    "point {i} has {} value(s) for {} parameter(s)",
                    values.len(),
                    self.parameters.len()
                ));
            }
            let expected = (nv > 0).then(|| i / block);
            if *v != expected {
                return Err(format!(
                    "point {i} has variant {}; expected {}",
                    v.map_or("none".into(), |v| v.to_string()),
                    expected.map_or("none".into(), |v| v.to_string())
                ));
            }
        }
        Ok(())
    }

    /// The point with the same parameter values under the baseline variant, if this point has
    /// a variant other than the baseline.
    pub fn baseline_of(&self, point: usize) -> Option<usize> {
        let (variant, _) = self.points.get(point)?;
        let v = (*variant)?;
        if v == self.baseline || self.variants.is_empty() {
            return None;
        }
        let combos = self.points.len() / self.variants.len();
        Some(self.baseline * combos + point % combos)
    }
}

/// The file of job (point, replication) under `dir`.
pub fn job_path(dir: &Path, point: usize, replication: u32) -> PathBuf {
    dir.join("jobs")
        .join(format!("p{point:06}-r{replication:05}.json"))
}

/// Writes one job's result atomically, sealed with the SHA-256 of its JSON text.
pub fn write_job(dir: &Path, job: &JobResult) -> Result<(), OutputError> {
    let path = job_path(dir, job.point, job.replication);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| OutputError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let sealed = SealedJob {
        job: job.clone(),
        sha256: sha256_hex(&serde_json::to_vec(job).unwrap_or_default()),
    };
    let text = serde_json::to_vec(&sealed).unwrap_or_default();
    write_atomic(&path, &text)
}

/// What a job must be to count: this sweep's scenario hash and base seed.
#[derive(Clone, Debug)]
pub struct JobExpect {
    /// The sweep's `sha256_with_overrides`.
    pub scenario_sha256: String,
    /// The sweep's base seed (replication r's seed is `replication_seed(base, r)`).
    pub base_seed: u64,
}

/// Why a job file does not count.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum JobProblem {
    /// No file.
    #[error("missing")]
    Missing,
    /// A file that is not this job's valid result: why.
    #[error("{0}")]
    Invalid(String),
}

/// Reads and checks job (point, replication): the seal, the point, replication and seed it
/// names, the scenario hash.
pub fn read_job(
    dir: &Path,
    point: usize,
    replication: u32,
    expect: &JobExpect,
) -> Result<JobResult, JobProblem> {
    let path = job_path(dir, point, replication);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(JobProblem::Missing),
        Err(e) => return Err(JobProblem::Invalid(format!("unreadable: {e}"))),
    };
    parse_job(&bytes, point, replication, expect)
}

/// Checks the bytes of job (point, replication)'s file; see [`read_job`].
pub fn parse_job(
    bytes: &[u8],
    point: usize,
    replication: u32,
    expect: &JobExpect,
) -> Result<JobResult, JobProblem> {
    let invalid = |why: String| Err(JobProblem::Invalid(why));
    let sealed: SealedJob = match serde_json::from_slice(bytes) {
        Ok(s) => s,
        Err(e) => return invalid(format!("not a job file (truncated or edited?): {e}")),
    };
    let job = sealed.job;
    if sha256_hex(&serde_json::to_vec(&job).unwrap_or_default()) != sealed.sha256 {
        return invalid("its checksum does not match its content (edited or corrupted)".into());
    }
    if (job.point, job.replication) != (point, replication) {
        return invalid(format!(
            "it holds point {}, replication {} (copied from another job's file?)",
            job.point, job.replication
        ));
    }
    if job.scenario_sha256 != expect.scenario_sha256 {
        return invalid("it belongs to a sweep of another scenario or other overrides".into());
    }
    let seed = sim_core::rng::replication_seed(expect.base_seed, replication);
    if job.seed != seed {
        return invalid(format!(
            "its seed is {}, not replication {replication}'s seed {seed}",
            job.seed
        ));
    }
    Ok(job)
}

/// The names a job reports: its metrics, then each group's name and metrics. Every job of a
/// sweep must report the same, so the table's rows line up.
fn shape(job: &JobResult) -> Vec<String> {
    let mut names: Vec<String> = job.metrics.iter().map(|(n, _)| n.clone()).collect();
    for g in &job.groups {
        names.extend(g.metrics.iter().map(|(n, _)| format!("{}/{n}", g.group)));
    }
    names
}

/// Every job of the layout that does not count, with the reason, in job order. Reads each
/// job once and keeps none: only the first job's metric names are held.
pub fn check_jobs(
    dir: &Path,
    layout: &Layout,
    expect: &JobExpect,
) -> Vec<(usize, u32, JobProblem)> {
    let mut bad = Vec::new();
    let mut names: Option<Vec<String>> = None;
    for p in 0..layout.points.len() {
        for r in 0..layout.replications {
            match read_job(dir, p, r, expect) {
                Ok(job) => {
                    let these = shape(&job);
                    match &names {
                        None => names = Some(these),
                        Some(n) if *n != these => bad.push((
                            p,
                            r,
                            JobProblem::Invalid(format!(
                                "it has {} metrics where the sweep's first job has {}",
                                these.len(),
                                n.len()
                            )),
                        )),
                        Some(_) => {}
                    }
                }
                Err(e) => bad.push((p, r, e)),
            }
        }
    }
    bad
}

/// One row of `sweep.csv`: a point, a metric and, for a per-group metric, the group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The point.
    pub point: usize,
    /// Its variant's name, if any.
    pub variant: Option<String>,
    /// Parameter values, as text.
    pub values: Vec<String>,
    /// The metric.
    pub metric: String,
    /// The node group of a per-group metric; empty for a metric of the whole run.
    pub group: String,
    /// Statistics over the point's replications.
    pub summary: Option<Summary>,
    /// The paired difference with the baseline variant, if this point has one.
    pub diff_vs_baseline: Option<Summary>,
}

impl Row {
    /// The row's metric as `metric:` names it: `metric` or `group/metric`.
    pub fn key(&self) -> String {
        if self.group.is_empty() {
            self.metric.clone()
        } else {
            format!("{}/{}", self.group, self.metric)
        }
    }
}

/// The jobs' values as columns: `columns[k][r]` is metric k (in [`values_of`] order) of job r;
/// `width` columns, or as many as the first job has.
fn metric_columns(jobs: &[JobResult], width: Option<usize>) -> Vec<Vec<Option<f64>>> {
    let per_job: Vec<Vec<Option<f64>>> = jobs
        .iter()
        .map(|j| values_of(j).map(|(_, _, v)| v).collect())
        .collect();
    let width = width.unwrap_or_else(|| per_job.first().map_or(0, Vec::len));
    (0..width)
        .map(|k| {
            per_job
                .iter()
                .map(|v| v.get(k).copied().flatten())
                .collect()
        })
        .collect()
}

/// Every (group, metric, value) a job reports, in output order (group empty for the run's).
fn values_of(job: &JobResult) -> impl Iterator<Item = (&str, &str, Option<f64>)> {
    job.metrics
        .iter()
        .map(|(n, v)| ("", n.as_str(), *v))
        .chain(job.groups.iter().flat_map(|g| {
            g.metrics
                .iter()
                .map(move |(n, v)| (g.group.as_str(), n.as_str(), *v))
        }))
}

/// The rows of one point from its jobs and, for a non-baseline variant, the baseline point's
/// jobs at the same parameter values (replication r of both shares its seed).
///
/// The paired difference is d̄ ± t₀.₉₇₅,ₙ₋₁ · s_d/√n over dᵣ = xᵣ − bᵣ, the replications where
/// both are defined.
pub fn point_rows(
    layout: &Layout,
    point: usize,
    jobs: &[JobResult],
    base: Option<&[JobResult]>,
) -> Vec<Row> {
    let Some(first) = jobs.first() else {
        return Vec::new();
    };
    let (variant, values) = &layout.points[point];
    let columns = metric_columns(jobs, None);
    let base_columns = base.map(|b| metric_columns(b, Some(columns.len())));
    values_of(first)
        .enumerate()
        .map(|(k, (group, metric, _))| {
            let xs = &columns[k];
            let diff = base_columns.as_ref().and_then(|bc| {
                let d: Vec<Option<f64>> = xs
                    .iter()
                    .zip(&bc[k])
                    .map(|(x, y)| Some((*x)? - (*y)?))
                    .collect();
                summarise(&d)
            });
            Row {
                point,
                variant: variant.and_then(|v| layout.variants.get(v).cloned()),
                values: values.clone(),
                metric: metric.to_string(),
                group: group.to_string(),
                summary: summarise(xs),
                diff_vs_baseline: diff,
            }
        })
        .collect()
}

/// Reads a point's jobs, all replications present, in replication order.
fn point_jobs(
    dir: &Path,
    point: usize,
    replications: u32,
    expect: &JobExpect,
) -> Result<Vec<JobResult>, (u32, JobProblem)> {
    (0..replications)
        .map(|r| read_job(dir, point, r, expect).map_err(|e| (r, e)))
        .collect()
}

/// Every job that is missing or invalid: (point, replication, why).
pub type BadJobs = Vec<(usize, u32, JobProblem)>;

/// Builds the rows point by point, in point order, handing each point's rows to `sink` before
/// the next point's jobs are read: at most two points' jobs (the point's and its baseline's)
/// are held at once, whatever the sweep's size. `load(p)` gives point p's jobs.
pub fn stream_rows<E>(
    layout: &Layout,
    mut load: impl FnMut(usize) -> Result<Vec<JobResult>, E>,
    mut sink: impl FnMut(Vec<Row>),
) -> Result<(), E> {
    for p in 0..layout.points.len() {
        let jobs = load(p)?;
        let base = match layout.baseline_of(p) {
            Some(b) => Some(load(b)?),
            None => None,
        };
        sink(point_rows(layout, p, &jobs, base.as_deref()));
    }
    Ok(())
}

/// Checks every job under `dir`, then streams the rows to `sink`; `Err` lists every job that
/// is missing or invalid.
pub fn stream_table(
    dir: &Path,
    layout: &Layout,
    expect: &JobExpect,
    sink: impl FnMut(Vec<Row>),
) -> Result<(), BadJobs> {
    if let Err(e) = layout.check() {
        return Err(vec![(
            0,
            0,
            JobProblem::Invalid(format!("the layout: {e}")),
        )]);
    }
    let bad = check_jobs(dir, layout, expect);
    if !bad.is_empty() {
        return Err(bad);
    }
    stream_rows(
        layout,
        |p| point_jobs(dir, p, layout.replications, expect).map_err(|(r, e)| vec![(p, r, e)]),
        sink,
    )
}

/// Builds the whole table in memory (small sweeps and tests; [`write_table`] streams).
pub fn table(dir: &Path, layout: &Layout, expect: &JobExpect) -> Result<Vec<Row>, BadJobs> {
    let mut rows = Vec::new();
    stream_table(dir, layout, expect, |r| rows.extend(r))?;
    Ok(rows)
}

fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or(String::new(), |v| v.to_string())
}

/// The columns of `sweep.csv` after the point, variant and parameter columns.
pub const CSV_COLUMNS: [&str; 12] = [
    "metric",
    "group",
    "n",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "ci95_half_width",
    "diff_mean",
    "diff_ci95_low",
    "diff_ci95_high",
    "diff_ci95_half_width",
];

fn csv_header(layout: &Layout) -> Vec<String> {
    let mut header: Vec<String> = vec!["point".into(), "variant".into()];
    header.extend(layout.parameters.iter().map(|p| crate::data::csv_text(p)));
    header.extend(CSV_COLUMNS.iter().map(|h| h.to_string()));
    header
}

fn csv_record(r: &Row) -> Vec<String> {
    let mut rec = vec![
        r.point.to_string(),
        crate::data::csv_text(r.variant.as_deref().unwrap_or_default()),
    ];
    rec.extend(r.values.iter().map(|v| crate::data::csv_text(v)));
    rec.push(r.metric.clone());
    rec.push(crate::data::csv_text(&r.group));
    let s = r.summary.as_ref();
    rec.push(s.map_or("0".into(), |s| s.n.to_string()));
    rec.push(cell(s.map(|s| s.mean)));
    rec.push(cell(s.and_then(|s| s.sd)));
    rec.push(cell(s.and_then(|s| s.ci95_low)));
    rec.push(cell(s.and_then(|s| s.ci95_high)));
    rec.push(cell(s.and_then(|s| s.ci95_half_width)));
    let d = r.diff_vs_baseline.as_ref();
    rec.push(cell(d.map(|d| d.mean)));
    rec.push(cell(d.and_then(|d| d.ci95_low)));
    rec.push(cell(d.and_then(|d| d.ci95_high)));
    rec.push(cell(d.and_then(|d| d.ci95_half_width)));
    rec
}

/// `sweep.csv`: one row per point, metric and group, sorted by point (in memory; see
/// [`TableWriter`] for the streaming writer, which writes the same bytes).
pub fn sweep_csv(layout: &Layout, rows: &[Row]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(csv_header(layout));
    for r in rows {
        let _ = w.write_record(csv_record(r));
    }
    w.into_inner().unwrap_or_default()
}

fn json_head(layout: &Layout) -> Vec<u8> {
    let head = serde_json::json!({
        "parameters": layout.parameters,
        "variants": layout.variants,
        "baseline": layout.variants.get(layout.baseline),
        "replications": layout.replications,
        "metrics": layout.metrics,
    });
    let mut text = serde_json::to_string_pretty(&head).unwrap_or_default();
    // Reopen the object to append the rows, one per line.
    text.truncate(text.trim_end().len() - 1);
    let mut text = text.trim_end().to_string();
    text.push_str(",\n  \"rows\": [");
    text.into_bytes()
}

/// `sweep.json`: the layout, then the rows, one JSON object per line (in memory; see
/// [`TableWriter`]).
pub fn sweep_json(layout: &Layout, rows: &[Row]) -> Vec<u8> {
    let mut v = json_head(layout);
    for (i, r) in rows.iter().enumerate() {
        v.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        v.extend(serde_json::to_vec(r).unwrap_or_default());
    }
    v.extend_from_slice(b"\n  ]\n}\n");
    v
}

/// Writes `sweep.csv` and `sweep.json` row by row into temporary files, renamed into place by
/// [`TableWriter::finish`]: the table is never held in memory whole.
pub struct TableWriter {
    csv: csv::Writer<std::io::BufWriter<tempfile::NamedTempFile>>,
    json: std::io::BufWriter<tempfile::NamedTempFile>,
    dir: PathBuf,
    rows: usize,
}

impl TableWriter {
    /// Starts both files in `dir`.
    pub fn new(dir: &Path, layout: &Layout) -> Result<TableWriter, OutputError> {
        use std::io::Write;
        let io = |path: &str| {
            let path = dir.join(path);
            move |source| OutputError::Io { path, source }
        };
        let tmp = |name: &str| {
            tempfile::Builder::new()
                .prefix(&format!(".{name}."))
                .suffix(".tmp")
                .tempfile_in(dir)
                .map_err(io(name))
        };
        let mut csv = csv::Writer::from_writer(std::io::BufWriter::new(tmp("sweep.csv")?));
        csv.write_record(csv_header(layout))
            .map_err(|e| io("sweep.csv")(std::io::Error::other(e)))?;
        let mut json = std::io::BufWriter::new(tmp("sweep.json")?);
        json.write_all(&json_head(layout))
            .map_err(io("sweep.json"))?;
        Ok(TableWriter {
            csv,
            json,
            dir: dir.to_path_buf(),
            rows: 0,
        })
    }

    /// Appends one row to both files.
    pub fn push(&mut self, r: &Row) -> Result<(), OutputError> {
        use std::io::Write;
        let io = |name: &str| {
            let path = self.dir.join(name);
            move |source| OutputError::Io { path, source }
        };
        self.csv
            .write_record(csv_record(r))
            .map_err(|e| io("sweep.csv")(std::io::Error::other(e)))?;
        let sep: &[u8] = if self.rows == 0 {
            b"\n    "
        } else {
            b",\n    "
        };
        self.json.write_all(sep).map_err(io("sweep.json"))?;
        serde_json::to_writer(&mut self.json, r)
            .map_err(|e| io("sweep.json")(std::io::Error::other(e)))?;
        self.rows += 1;
        Ok(())
    }

    /// Closes both files and renames them into place; returns their paths.
    pub fn finish(self) -> Result<Vec<PathBuf>, OutputError> {
        use std::io::Write;
        let dir = self.dir;
        let io = |name: &str| {
            let path = dir.join(name);
            move |source| OutputError::Io { path, source }
        };
        let csv_tmp = self
            .csv
            .into_inner()
            .map_err(|e| io("sweep.csv")(std::io::Error::other(e.to_string())))?
            .into_inner()
            .map_err(|e| io("sweep.csv")(e.into_error()))?;
        let mut json = self.json;
        json.write_all(b"\n  ]\n}\n").map_err(io("sweep.json"))?;
        let json_tmp = json
            .into_inner()
            .map_err(|e| io("sweep.json")(e.into_error()))?;
        let mut out = Vec::new();
        for (tmp, name) in [(csv_tmp, "sweep.csv"), (json_tmp, "sweep.json")] {
            tmp.as_file().sync_all().map_err(io(name))?;
            let path = dir.join(name);
            tmp.persist(&path).map_err(|e| io(name)(e.error))?;
            out.push(path);
        }
        crate::output::sync_dir(&dir).map_err(io("."))?;
        Ok(out)
    }
}

/// Writes `sweep.csv` and `sweep.json` from the job files under `dir`, streaming, and returns
/// their paths and the rows `keep` selects (the charted metrics), in point order.
pub fn write_table(
    dir: &Path,
    layout: &Layout,
    expect: &JobExpect,
    keep: impl Fn(&Row) -> bool,
) -> Result<(Vec<PathBuf>, Vec<Row>), TableError> {
    let mut w = TableWriter::new(dir, layout)?;
    let mut kept = Vec::new();
    let mut failed: Option<OutputError> = None;
    stream_table(dir, layout, expect, |rows| {
        for r in rows {
            if failed.is_none()
                && let Err(e) = w.push(&r)
            {
                failed = Some(e);
            }
            if keep(&r) {
                kept.push(r);
            }
        }
    })
    .map_err(TableError::Jobs)?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    Ok((w.finish()?, kept))
}

/// Why the table could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Jobs missing or invalid.
    #[error("{} job(s) missing or invalid", .0.len())]
    Jobs(BadJobs),
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

mod charts;
mod summary;
pub use charts::*;
pub use summary::*;

#[cfg(test)]
mod tests {
    use super::*;

    fn expect() -> JobExpect {
        JobExpect {
            scenario_sha256: "h".into(),
            base_seed: 7,
        }
    }

    fn job(point: usize, replication: u32, metrics: Vec<(String, Option<f64>)>) -> JobResult {
        JobResult {
            point,
            replication,
            seed: sim_core::rng::replication_seed(7, replication),
            events: 1,
            metrics,
            groups: vec![],
            scenario_sha256: "h".into(),
        }
    }

    fn layout() -> Layout {
        Layout {
            parameters: vec!["x".into()],
            variants: vec!["none".into(), "aead".into()],
            baseline: 0,
            points: vec![
                (Some(0), vec!["1".into()]),
                (Some(0), vec!["2".into()]),
                (Some(1), vec!["1".into()]),
                (Some(1), vec!["2".into()]),
            ],
            replications: 3,
            metrics: vec![],
            zip: false,
        }
    }

    #[test]
    fn paired_differences_cancel_the_shared_noise() {
        let dir = tempfile::tempdir().unwrap();
        let l = layout();
        // Replication r adds the same large noise to every point: the pairwise difference is
        // exactly 5 with zero spread, although each side varies by ±100.
        let noise = [0.0, 100.0, -100.0];
        for p in 0..4 {
            for r in 0..3u32 {
                let v = noise[r as usize] + if p >= 2 { 5.0 } else { 0.0 } + p as f64;
                write_job(
                    dir.path(),
                    &job(p, r, vec![("m".into(), Some(v)), ("u".into(), None)]),
                )
                .unwrap();
            }
        }
        assert_eq!(l.baseline_of(3), Some(1));
        assert_eq!(l.baseline_of(1), None);
        let rows = table(dir.path(), &l, &expect()).unwrap();
        assert_eq!(rows.len(), 8);
        let r3 = rows
            .iter()
            .find(|r| r.point == 3 && r.metric == "m")
            .unwrap();
        let d = r3.diff_vs_baseline.as_ref().unwrap();
        assert!((d.mean - 7.0).abs() < 1e-12, "{d:?}"); // +5 variant, +2 from the point offset
        assert!(d.sd.unwrap() < 1e-12);
        assert!(r3.summary.as_ref().unwrap().sd.unwrap() > 90.0);
        let csv = String::from_utf8(sweep_csv(&l, &rows)).unwrap();
        assert!(csv.starts_with("point,variant,x,metric,group,n,mean"));
        assert_eq!(csv.lines().count(), 9);
    }

    #[test]
    fn rows_stream_point_by_point_holding_at_most_two_points_of_jobs() {
        // 2 variants × 500 values: 1000 points. The loader counts the points read since the
        // last rows went out: never more than the point and its baseline.
        let n = 500;
        let l = Layout {
            parameters: vec!["x".into()],
            variants: vec!["a".into(), "b".into()],
            baseline: 0,
            points: (0..2 * n)
                .map(|p| (Some(p / n), vec![(p % n).to_string()]))
                .collect(),
            replications: 2,
            metrics: vec![],
            zip: false,
        };
        let loaded = std::cell::Cell::new(0usize);
        let most = std::cell::Cell::new(0usize);
        let mut seen = 0;
        let mut rows_out = 0;
        stream_rows(
            &l,
            |p| {
                loaded.set(loaded.get() + 1);
                most.set(most.get().max(loaded.get()));
                Ok::<_, ()>(
                    (0..2)
                        .map(|r| job(p, r, vec![("m".into(), Some(p as f64 + r as f64))]))
                        .collect(),
                )
            },
            |rows| {
                assert_eq!(rows[0].point, seen, "rows come in point order");
                seen += 1;
                rows_out += rows.len();
                loaded.set(0);
            },
        )
        .unwrap();
        assert_eq!(seen, 2 * n);
        assert_eq!(rows_out, 2 * n);
        assert_eq!(most.get(), 2, "a point and its baseline, never more");
    }

    #[test]
    fn the_paired_difference_matches_a_hand_computation() {
        // d = (1.5, 2.5, 4.0): mean 8/3, s² = ((−7/6)² + (−1/6)² + (4/3)²)/2 = 19/12,
        // half-width t(0.975, 2) · s/√3 with t = 4.302652729911275 (published tables).
        let l = layout();
        let base = [10.0, 20.0, 30.0];
        let other = [11.5, 22.5, 34.0];
        let jobs = |p: usize, v: &[f64; 3]| -> Vec<JobResult> {
            (0..3)
                .map(|r| job(p, r, vec![("m".into(), Some(v[r as usize]))]))
                .collect()
        };
        let rows = point_rows(&l, 2, &jobs(2, &other), Some(&jobs(0, &base)));
        let d = rows[0].diff_vs_baseline.as_ref().unwrap();
        assert!((d.mean - 8.0 / 3.0).abs() < 1e-12);
        let half = 4.302652729911275 * (19.0f64 / 12.0).sqrt() / 3f64.sqrt();
        assert!((d.ci95_half_width.unwrap() - half).abs() < 1e-9, "{d:?}");
        assert_eq!(rows[0].group, "");
        // Per-group metrics come after the run's, each tagged with its group.
        let mut j = jobs(2, &other);
        for x in &mut j {
            x.groups = vec![GroupValues {
                group: "sensors".into(),
                metrics: vec![("energy_j".into(), Some(1.0))],
            }];
        }
        let rows = point_rows(&l, 2, &j, None);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].key(), "sensors/energy_j");
        assert!(rows[1].diff_vs_baseline.is_none());
    }

    #[test]
    fn the_streamed_files_equal_the_ones_built_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        let l = layout();
        for p in 0..4 {
            for r in 0..3u32 {
                write_job(
                    dir.path(),
                    &job(p, r, vec![("m".into(), Some(p as f64 * 1.5 + r as f64))]),
                )
                .unwrap();
            }
        }
        let rows = table(dir.path(), &l, &expect()).unwrap();
        let (files, kept) = write_table(dir.path(), &l, &expect(), |r| r.point == 3).unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(
            std::fs::read(dir.path().join("sweep.csv")).unwrap(),
            sweep_csv(&l, &rows)
        );
        let json = std::fs::read(dir.path().join("sweep.json")).unwrap();
        assert_eq!(json, sweep_json(&l, &rows));
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["rows"].as_array().unwrap().len(), 4);
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn text_cells_of_sweep_csv_cannot_start_a_formula() {
        let l = Layout {
            parameters: vec!["=cmd|' /C calc'!A0".into()],
            variants: vec!["@SUM(1+1)".into()],
            baseline: 0,
            points: vec![(Some(0), vec!["-0.5".into()]), (Some(0), vec!["+x".into()])],
            replications: 1,
            metrics: vec![],
            zip: false,
        };
        let rows: Vec<Row> = (0..2)
            .map(|p| Row {
                point: p,
                variant: Some(l.variants[0].clone()),
                values: l.points[p].1.clone(),
                metric: "m".into(),
                group: String::new(),
                summary: None,
                diff_vs_baseline: None,
            })
            .collect();
        let text = String::from_utf8(sweep_csv(&l, &rows)).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r.headers().unwrap().clone();
        assert_eq!(&header[2], "'=cmd|' /C calc'!A0");
        let cells: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(cells[0][1], "'@SUM(1+1)");
        assert_eq!(cells[0][2], "-0.5");
        assert_eq!(cells[1][2], "'+x");
        for row in &cells {
            for c in row {
                assert!(!c.starts_with(['=', '+', '@']), "{c}");
            }
        }
    }

    #[test]
    fn missing_jobs_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        let l = layout();
        write_job(dir.path(), &job(0, 0, vec![])).unwrap();
        let missing = table(dir.path(), &l, &expect()).unwrap_err();
        assert_eq!(missing.len(), 11);
        assert_eq!(missing[0], (0, 1, JobProblem::Missing));
    }

    #[test]
    fn edited_truncated_copied_foreign_and_short_jobs_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let l = Layout {
            replications: 2,
            points: vec![(None, vec!["1".into()]), (None, vec!["2".into()])],
            variants: vec![],
            ..layout()
        };
        let metrics = || vec![("a".into(), Some(1.0)), ("b".into(), Some(2.0))];
        for p in 0..2 {
            for r in 0..2 {
                write_job(dir.path(), &job(p, r, metrics())).unwrap();
            }
        }
        assert!(table(dir.path(), &l, &expect()).is_ok());
        let path = |p, r| job_path(dir.path(), p, r);
        // An edited value.
        let text = std::fs::read_to_string(path(0, 0)).unwrap();
        std::fs::write(path(0, 0), text.replace("1.0", "1000.0")).unwrap();
        // A truncated file.
        let text = std::fs::read(path(0, 1)).unwrap();
        std::fs::write(path(0, 1), &text[..text.len() / 2]).unwrap();
        // A file copied over another.
        std::fs::copy(path(1, 0), path(1, 1)).unwrap();
        let bad = table(dir.path(), &l, &expect()).unwrap_err();
        let why = |p: usize, r: u32| {
            bad.iter()
                .find(|(bp, br, _)| (*bp, *br) == (p, r))
                .map(|(_, _, e)| e.to_string())
                .unwrap_or_default()
        };
        assert!(why(0, 0).contains("checksum"), "{bad:?}");
        assert!(why(0, 1).contains("truncated"), "{bad:?}");
        assert!(why(1, 1).contains("point 1, replication 0"), "{bad:?}");
        assert!(why(1, 0).is_empty());
        // Another sweep's job, a wrong seed, and a job with fewer metrics.
        let mut foreign = job(0, 0, metrics());
        foreign.scenario_sha256 = "other".into();
        write_job(dir.path(), &foreign).unwrap();
        let mut reseeded = job(0, 1, metrics());
        reseeded.seed += 1;
        write_job(dir.path(), &reseeded).unwrap();
        write_job(dir.path(), &job(1, 1, vec![("a".into(), Some(1.0))])).unwrap();
        let bad = table(dir.path(), &l, &expect()).unwrap_err();
        let why = |p: usize, r: u32| {
            bad.iter()
                .find(|(bp, br, _)| (*bp, *br) == (p, r))
                .map(|(_, _, e)| e.to_string())
                .unwrap_or_default()
        };
        assert!(why(0, 0).contains("another scenario"), "{bad:?}");
        assert!(why(0, 1).contains("seed"), "{bad:?}");
        assert!(why(1, 1).contains("1 metrics"), "{bad:?}");
    }

    #[test]
    fn impossible_layouts_are_refused() {
        let good = layout();
        assert!(good.check().is_ok());
        let cases: Vec<(Layout, &str)> = vec![
            (
                Layout {
                    points: vec![],
                    ..good.clone()
                },
                "empty",
            ),
            (
                Layout {
                    replications: 0,
                    ..good.clone()
                },
                "replications",
            ),
            (
                Layout {
                    baseline: 99,
                    ..good.clone()
                },
                "baseline",
            ),
            (
                Layout {
                    points: vec![(Some(7), vec!["1".into()]); 4],
                    ..good.clone()
                },
                "variant",
            ),
            (
                Layout {
                    points: vec![(Some(0), vec![]); 4],
                    ..good.clone()
                },
                "value",
            ),
            (
                Layout {
                    variants: vec![],
                    ..good.clone()
                },
                "variant",
            ),
        ];
        for (l, word) in cases {
            let e = l.check().unwrap_err();
            assert!(e.contains(word), "{e}");
        }
    }

    /// A 2 × 2 sweep over an attacker setting and a design parameter, two variants, with
    /// latency and records rows per point.
    fn two_parameter_rows(zip: bool) -> (Layout, Vec<Row>) {
        let values: Vec<Vec<String>> = if zip {
            vec![
                vec!["0.1".into(), "1".into()],
                vec!["0.9".into(), "2".into()],
            ]
        } else {
            vec![
                vec!["0.1".into(), "1".into()],
                vec!["0.1".into(), "2".into()],
                vec!["0.9".into(), "1".into()],
                vec!["0.9".into(), "2".into()],
            ]
        };
        let per = values.len();
        let l = Layout {
            parameters: vec![
                "attacks.sniffer.capture_probability".into(),
                "period".into(),
            ],
            variants: vec!["plain".into(), "aead".into()],
            baseline: 0,
            points: (0..2 * per)
                .map(|p| (Some(p / per), values[p % per].clone()))
                .collect(),
            replications: 2,
            metrics: vec!["latency_ms".into(), "records_exposed".into()],
            zip,
        };
        let mut rows = Vec::new();
        for p in 0..2 * per {
            let aead = p >= per;
            let capture: f64 = values[p % per][0].parse().unwrap();
            for (metric, v) in [
                ("latency_ms", if aead { 60.0 } else { 59.0 }),
                ("records_exposed", if aead { 0.0 } else { 1000.0 * capture }),
            ] {
                rows.push(Row {
                    point: p,
                    variant: Some(l.variants[p / per].clone()),
                    values: l.points[p].1.clone(),
                    metric: metric.into(),
                    group: String::new(),
                    summary: summarise(&[Some(v), Some(v * 1.01)]),
                    diff_vs_baseline: None,
                });
            }
        }
        (l, rows)
    }

    #[test]
    fn heatmaps_only_for_product_sweeps_and_fronts_per_attacker_setting() {
        let (l, rows) = two_parameter_rows(false);
        let charts = sweep_charts(&l, &l.metrics, &rows);
        let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names.contains(&"sweep_heatmap_latency_ms_plain"),
            "{names:?}"
        );
        // Records are all zero under aead: no heatmap of zeros.
        assert!(
            !names.contains(&"sweep_heatmap_records_exposed_aead"),
            "{names:?}"
        );
        let (z, zrows) = two_parameter_rows(true);
        let znames: Vec<String> = sweep_charts(&z, &z.metrics, &zrows)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert!(znames.iter().all(|n| !n.contains("heatmap")), "{znames:?}");
        assert!(znames.contains(&"sweep_latency_ms".to_string()));
        // The trade-off: two attacker settings (capture 0.1 and 0.9), each with its own front.
        let all: Vec<&Row> = rows.iter().collect();
        let t = tradeoff(&l, &all, "latency_ms", "records_exposed");
        assert_eq!(
            t.settings,
            ["capture_probability=0.1", "capture_probability=0.9"]
        );
        let fronts = t.fronts();
        assert_eq!(fronts.len(), 2);
        for (s, front) in fronts.iter().enumerate() {
            // Per setting: plain (faster, exposed) and aead (slower, nothing exposed) both
            // survive; the front never mixes settings.
            assert!(front.iter().all(|&i| t.points[i].setting == s));
            let labels: Vec<&str> = front.iter().map(|&i| t.points[i].label.as_str()).collect();
            assert!(labels.iter().any(|l| l.starts_with("plain")), "{labels:?}");
            assert!(labels.iter().any(|l| l.starts_with("aead")), "{labels:?}");
        }
        // Across settings, the 0.9 plain points are dominated by the 0.1 ones: a single front
        // would have dropped them.
        let one = crate::chart::compare::pareto_front(&t.points, (true, true));
        assert!(
            one.iter()
                .all(|&i| t.points[i].setting == 0 || t.points[i].y == 0.0)
        );
    }
}
