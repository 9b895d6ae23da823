//! The files of a run's folder. Each is written to a temporary file beside its target and
//! renamed into place, so a reader (or a crash) never sees a half-written file and an older
//! complete file is replaced only by a newer complete one. No wall-clock time goes into any of
//! them, so two runs of the same scenario and seed produce byte-identical files.
//!
//! | file | written by |
//! |---|---|
//! | `summary.json` | [`summary_json`] |
//! | `runs.csv` | [`runs_csv`] |
//! | `timeseries.csv`, `latency_distribution.csv`, `hop_latency.csv`, `groups.csv`, `incidents.csv`, `attacks.csv` | [`crate::data`] |
//! | `summary.md`, `summary.tex` | [`crate::tables`] |
//! | `plots/*.svg`, `plots/*.png` | [`crate::plot`] |
//! | `report.html` | [`crate::html`], from the files above and the charts |
//! | `manifest.json` | [`manifest_json`], made last, with the SHA-256 of every other file and the charts not drawn |

use crate::aggregate::Aggregate;
use crate::chart::Format;
use crate::data::{self, ChartData, Sources, files};
use crate::stats::Summary;
use attacks::SecurityReport;
pub use serde_json::Value as JsonValue;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use sim_core::RunMetrics;
use sim_core::metrics::{CLASSES, engine};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file operation failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A CSV row could not be encoded.
    #[error("cannot write {path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: csv::Error,
    },
    /// A chart could not be drawn.
    #[error("cannot draw {path}: {message}")]
    Chart {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A file just written could not be read back (a bug: the writers and readers disagree).
    #[error(transparent)]
    Data(#[from] data::DataError),
}

/// Where a run came from: enough to reproduce it.
#[derive(Clone, Debug)]
pub struct Provenance {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// The program's version.
    pub program_version: String,
    /// The base seed (replication r uses `replication_seed(base, r)`).
    pub base_seed: u64,
    /// Simulated duration, seconds.
    pub duration_s: f64,
    /// Warm-up excluded from statistics, seconds.
    pub warmup_s: f64,
    /// The tightest deadline of each traffic class that has one: (class name, ms).
    pub deadlines_ms: Vec<(String, f64)>,
    /// The scenario as it was run, every default and override resolved (a JSON value).
    pub resolved_scenario: Value,
    /// The command line that made the folder, without what belongs to one machine: the
    /// program as `iomtsim`, the results folder as `<out>` (`manifest.json` only).
    pub command_line: String,
    /// What belongs to the machine and folder the run was made on: the executable's path, the
    /// working folder, the results folder as given (`manifest.json`'s `machine`, the one field
    /// two otherwise identical runs may differ in).
    pub machine: Value,
}

/// The scenario's YAML text as a JSON value, for `manifest.json` (`resolved_scenario`).
pub fn yaml_to_json(text: &str) -> Result<Value, String> {
    serde_yaml::from_str::<Value>(text).map_err(|e| e.to_string())
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `bytes` to `path` atomically: a temporary file with a unique name is created in the
/// same folder (exclusively, so a planted file or link of any name is never opened), written,
/// flushed to disk and renamed over `path`; then the folder itself is flushed, so the rename
/// survives a power cut. On any failure (a full disk) the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_file(path, bytes, true)
}

/// [`write_atomic`], flushing the folder only if `sync_folder`: a writer of many files into
/// one folder flushes it once, after the last (each flush costs milliseconds on ext4).
fn write_file(path: &Path, bytes: &[u8], sync_folder: bool) -> Result<(), OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = parent_of(path);
    let stem = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    if sync_folder {
        sync_dir(dir).map_err(io)?;
    }
    Ok(())
}

/// Most threads [`write_all`] writes files with.
pub const WRITERS: usize = 16;

/// Writes each `(path relative to dir, bytes)` of `files` as [`write_atomic`] does (temporary
/// file, flushed to disk, renamed into place), many at once, then flushes each folder they are
/// in once. Returns the paths in `files` order; on failure, the error of the first file in that
/// order that failed.
///
/// The files are shared among up to [`WRITERS`] threads, so their flushes to disk overlap: a
/// journaling file system commits flushes that wait together in one go. On ext4 with other
/// programs writing, 40 files of 60 kB took 160–330 ms one after another and 30–85 ms this
/// way (benches/peers/README.md).
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, OutputError> {
    let written = write_many(dir, files)?;
    let mut folders: Vec<&Path> = Vec::new();
    for p in &written {
        let d = parent_of(p);
        if !folders.contains(&d) {
            folders.push(d);
        }
    }
    // Deepest first: a folder's own entry is in its parent.
    folders.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in folders {
        sync_dir(d).map_err(|source| OutputError::Io {
            path: d.to_path_buf(),
            source,
        })?;
    }
    Ok(written)
}

/// [`write_all`] without flushing the folders.
fn write_many(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, OutputError> {
    let paths: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
    let work: Vec<(&PathBuf, &[u8])> = paths
        .iter()
        .zip(files)
        .map(|(p, (_, bytes))| (p, bytes.as_slice()))
        .collect();
    for r in on_io_threads(&work, |&(p, bytes)| write_file(p, bytes, false)) {
        r?;
    }
    Ok(paths)
}

/// `work` done on each of `items` from up to [`WRITERS`] threads at once, the results in
/// `items` order. For file-system calls that wait on the disk rather than the CPU: waits that
/// overlap end together. On this thread alone when the system refuses the threads.
pub fn on_io_threads<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use rayon::prelude::*;
    let threads = items.len().clamp(1, WRITERS);
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(|| items.par_iter().with_max_len(1).map(&work).collect()),
        Err(_) => items.iter().map(work).collect(),
    }
}

/// The folder holding `path` (`.` for a bare file name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Flushes a folder's entries (new names, renames) to disk. Only POSIX systems can open a
/// folder for this; elsewhere renames are already durable or cannot be forced.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

fn num(x: Option<f64>) -> Value {
    x.filter(|v| v.is_finite()).map_or(Value::Null, Value::from)
}

/// The note that stands in for an interval that one replication cannot give.
pub const NO_INTERVAL: &str =
    "one replication: no confidence interval; run with --replications 2 or more";

/// A metric's summary as JSON: `n`, `mean`, `sd`, the interval, `min`, `max`; `null`s and a
/// `note` where there is no interval or no value.
pub fn summary_object(s: Option<&Summary>) -> Map<String, Value> {
    let mut o = Map::new();
    match s {
        Some(s) => {
            o.insert("n".into(), json!(s.n));
            o.insert("mean".into(), num(Some(s.mean)));
            o.insert("sd".into(), num(s.sd));
            o.insert("ci95_low".into(), num(s.ci95_low));
            o.insert("ci95_high".into(), num(s.ci95_high));
            o.insert("ci95_half_width".into(), num(s.ci95_half_width));
            o.insert("min".into(), num(Some(s.min)));
            o.insert("max".into(), num(Some(s.max)));
            if s.n == 1 {
                o.insert("note".into(), json!(NO_INTERVAL));
            }
        }
        None => {
            o.insert("n".into(), json!(0));
            o.insert("note".into(), json!("not defined in any replication"));
        }
    }
    o
}

/// The JSON of `summary.json`.
pub fn summary_json(p: &Provenance, agg: &Aggregate) -> Value {
    let mut metrics = Map::new();
    for m in &agg.metrics {
        let mut o = summary_object(m.summary.as_ref());
        if let Some(pc) = &m.percentiles {
            o.insert("p50".into(), num(Some(pc.p50)));
            o.insert("p95".into(), num(Some(pc.p95)));
            o.insert("p99".into(), num(Some(pc.p99)));
            o.insert("max_observed".into(), num(Some(pc.max)));
            o.insert("observations".into(), json!(pc.count));
        }
        metrics.insert(m.name.into(), Value::Object(o));
    }
    let mut by_class = Map::new();
    for (class, l) in CLASSES.iter().zip(&agg.latency_by_class) {
        by_class.insert(
            class.name().into(),
            json!({
                "observations": l.count,
                "mean_ms": num(l.mean_ms()),
                "p50_ms": num(l.quantile_ms(0.50)),
                "p95_ms": num(l.quantile_ms(0.95)),
                "p99_ms": num(l.quantile_ms(0.99)),
                "max_ms": num((l.count > 0).then(|| l.histogram.max() as f64 * 1e-3)),
            }),
        );
    }
    let mut groups = Map::new();
    for g in &agg.groups {
        let mut ms = Map::new();
        for (name, s) in &g.metrics {
            ms.insert((*name).into(), Value::Object(summary_object(s.as_ref())));
        }
        groups.insert(
            g.group.clone(),
            json!({
                "layer": g.layer,
                "nodes": g.nodes,
                "battery_nodes": g.battery_nodes,
                "first_to_die": g.first_to_die,
                "metrics": Value::Object(ms),
            }),
        );
    }
    let mut ages = Map::new();
    for a in &agg.information_age {
        let mut o = Map::new();
        o.insert("streams".into(), json!(a.streams));
        o.insert(
            engine::AOI_MEAN_MS.id.into(),
            Value::Object(summary_object(a.mean().as_ref())),
        );
        o.insert(
            engine::AOI_PEAK_MS.id.into(),
            Value::Object(summary_object(a.peak().as_ref())),
        );
        ages.insert(a.group.clone(), Value::Object(o));
    }
    let deadlines: Map<String, Value> = p
        .deadlines_ms
        .iter()
        .map(|(c, d)| (c.clone(), num(Some(*d))))
        .collect();
    json!({
        "scenario": { "name": p.scenario, "sha256": p.scenario_sha256 },
        "program": { "name": "iomtsim", "version": p.program_version },
        "base_seed": p.base_seed,
        "replications": agg.seeds.len(),
        "seeds": agg.seeds,
        "duration_s": p.duration_s,
        "warmup_s": p.warmup_s,
        "events": agg.events,
        "deadlines_ms": Value::Object(deadlines),
        "metrics": Value::Object(metrics),
        "latency_by_class": Value::Object(by_class),
        "groups": Value::Object(groups),
        "age_of_information": Value::Object(ages),
        "spread_warnings": spread_json(agg),
    })
}

/// `spread_warnings` of summary.json: the headline metrics whose replications disagree more
/// than their interval suggests ([`crate::spread`]); an empty list when none does.
fn spread_json(agg: &Aggregate) -> Value {
    use crate::spread::Disagreement;
    let cluster = |c: &crate::spread::Cluster| json!({ "replications": c.replications, "min": num(Some(c.min)), "max": num(Some(c.max)) });
    crate::spread::spread_warnings(agg)
        .iter()
        .map(|w| {
            let detail = match &w.disagreement {
                Disagreement::TwoClusters { low, high } => {
                    json!({ "low": cluster(low), "high": cluster(high) })
                }
                Disagreement::Outlier {
                    replication,
                    value,
                    others_mean,
                    others_sd,
                } => json!({
                    "replication": replication,
                    "value": num(Some(*value)),
                    "others_mean": num(Some(*others_mean)),
                    "others_sd": num(Some(*others_sd)),
                }),
            };
            json!({ "metric": w.metric, "kind": w.kind(), "detail": detail, "text": w.text() })
        })
        .collect()
}

/// The JSON of `manifest.json`: how the folder was made, and the SHA-256 of every file the
/// run wrote before it (`files`: relative path → hash and size).
///
/// `charts_absent` lists the charts the run left out for want of data (chart stem and why;
/// empty when every chart was drawn or none was asked for).
pub fn manifest_json(
    p: &Provenance,
    seeds: &[u64],
    files: &[&(String, Vec<u8>)],
    charts_absent: &[crate::plot::Absent],
) -> Value {
    let listing: Vec<Value> = files
        .iter()
        .map(|(path, bytes)| json!({ "path": path, "bytes": bytes.len(), "sha256": sha256_hex(bytes) }))
        .collect();
    let absent: Vec<Value> = charts_absent
        .iter()
        .map(|a| json!({ "chart": a.chart, "reason": a.reason }))
        .collect();
    json!({
        "program": { "name": "iomtsim", "version": p.program_version },
        "command_line": p.command_line,
        "machine": p.machine,
        "scenario": {
            "name": p.scenario,
            "sha256": p.scenario_sha256,
            "resolved": p.resolved_scenario,
        },
        "base_seed": p.base_seed,
        "replications": seeds.len(),
        "seeds": seeds,
        "files": listing,
        "charts_absent": absent,
    })
}

fn json_bytes(v: &Value) -> Vec<u8> {
    let mut text = serde_json::to_string_pretty(v).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// `runs.csv`: one row per replication, one column per metric (empty where undefined).
pub fn runs_csv(path: &Path, runs: &[RunMetrics<SecurityReport>]) -> Result<Vec<u8>, OutputError> {
    let mut stream = RunStream::default();
    for r in runs {
        stream.push(r);
    }
    let done = stream.finish();
    done.runs.map_err(|source| OutputError::Csv {
        path: path.to_path_buf(),
        source,
    })
}

/// The replications of a run, gathered one at a time as they finish (in replication order):
/// the aggregate's merged histograms and per-metric values, and the rows of the per-replication
/// CSV files, so memory holds no replication's whole metrics after it is added.
#[derive(Debug)]
pub struct RunStream {
    agg: crate::aggregate::AggregateBuilder,
    runs: csv::Writer<Vec<u8>>,
    series: csv::Writer<Vec<u8>>,
    incidents: csv::Writer<Vec<u8>>,
    attacks: csv::Writer<Vec<u8>>,
    patients: csv::Writer<Vec<u8>>,
    error: Option<csv::Error>,
}

impl Default for RunStream {
    fn default() -> Self {
        let writer = |header: &[&str]| {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(header);
            w
        };
        RunStream {
            agg: Default::default(),
            runs: csv::Writer::from_writer(Vec::new()),
            series: writer(&data::headers::SERIES),
            incidents: writer(&data::headers::INCIDENTS),
            attacks: writer(&data::headers::ATTACKS),
            patients: writer(&data::headers::PATIENTS),
            error: None,
        }
    }
}

/// What a [`RunStream`] gathered.
#[derive(Debug)]
pub struct Gathered {
    /// The summaries.
    pub agg: Aggregate,
    /// `runs.csv`, or the encoding error.
    pub runs: Result<Vec<u8>, csv::Error>,
    /// `timeseries.csv`.
    pub series: Vec<u8>,
    /// `incidents.csv`.
    pub incidents: Vec<u8>,
    /// `attacks.csv`.
    pub attacks: Vec<u8>,
    /// `patients.csv`.
    pub patients: Vec<u8>,
}

impl RunStream {
    /// Adds the next replication.
    pub fn push(&mut self, r: &RunMetrics<SecurityReport>) {
        let i = self.agg.len();
        if i == 0 {
            let mut header = vec!["replication", "seed", "events"];
            header.extend(r.scalars.iter().map(|(n, _)| *n));
            self.keep(|s| s.runs.write_record(&header));
        }
        let mut row = vec![i.to_string(), r.seed.to_string(), r.events.to_string()];
        row.extend(r.scalars.iter().map(|(_, v)| data::cell(*v)));
        self.keep(|s| s.runs.write_record(&row));
        self.keep(|s| data::timeseries_rows(&mut s.series, i, r));
        self.keep(|s| data::incidents_rows(&mut s.incidents, i, r));
        self.keep(|s| data::attacks_rows(&mut s.attacks, i, r));
        self.keep(|s| data::patients_rows(&mut s.patients, i, r));
        self.agg.add(r);
    }

    fn keep(&mut self, f: impl FnOnce(&mut Self) -> csv::Result<()>) {
        if let Err(e) = f(self)
            && self.error.is_none()
        {
            self.error = Some(e);
        }
    }

    /// Replications added so far.
    pub fn len(&self) -> usize {
        self.agg.len()
    }

    /// Whether the replications report a metric called `name`.
    pub fn has_metric(&self, name: &str) -> bool {
        self.agg.values_of(name).is_some()
    }

    /// The summary of metric `name` over the replications added so far (for a sequential
    /// stopping rule); `None` if it is unknown or never defined.
    pub fn summary_of(&self, name: &str) -> Option<crate::stats::Summary> {
        crate::stats::summarise(self.agg.values_of(name)?)
    }

    /// Whether none was added.
    pub fn is_empty(&self) -> bool {
        self.agg.is_empty()
    }

    /// The aggregate and the files' bytes.
    pub fn finish(self) -> Gathered {
        let bytes = |w: csv::Writer<Vec<u8>>| w.into_inner().unwrap_or_default();
        let mut this = self;
        if this.agg.is_empty() {
            this.keep(|s| s.runs.write_record(["replication", "seed", "events"]));
        }
        let s = this;
        let runs = match s.error {
            Some(e) => Err(e),
            None => s
                .runs
                .into_inner()
                .map_err(|e| csv::Error::from(e.into_error())),
        };
        Gathered {
            agg: s.agg.finish(),
            runs,
            series: bytes(s.series),
            incidents: bytes(s.incidents),
            attacks: bytes(s.attacks),
            patients: bytes(s.patients),
        }
    }
}

fn mkdir(d: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(d).map_err(|source| OutputError::Io {
        path: d.to_path_buf(),
        source,
    })
}

/// Writes every file of a run's folder, charts in `formats`; returns the paths written, in
/// order (`manifest.json` last).
pub fn write_run(
    dir: &Path,
    p: &Provenance,
    runs: &[RunMetrics<SecurityReport>],
    formats: &[Format],
) -> Result<Vec<PathBuf>, OutputError> {
    let mut stream = RunStream::default();
    for r in runs {
        stream.push(r);
    }
    write_gathered(dir, p, stream.finish(), formats)
}

/// [`write_run`] from replications gathered by a [`RunStream`].
pub fn write_gathered(
    dir: &Path,
    p: &Provenance,
    gathered: Gathered,
    formats: &[Format],
) -> Result<Vec<PathBuf>, OutputError> {
    let Gathered {
        agg,
        runs,
        series,
        incidents,
        attacks,
        patients,
    } = gathered;
    mkdir(dir)?;
    let runs = runs.map_err(|source| OutputError::Csv {
        path: dir.join(files::RUNS_CSV),
        source,
    })?;
    let summary = json_bytes(&summary_json(p, &agg));
    let latency = data::latency_csv(&data::latency_buckets(&agg.latency_by_class));
    let hops = data::hops_csv(&data::hop_rows(&agg.segments));
    let groups = data::groups_csv(&agg.group_rows);
    // The charts are drawn from the files' bytes, read back as `plot` reads them (not at all
    // when no chart is asked for).
    let chart_data = if formats.is_empty() {
        None
    } else {
        Some(ChartData::parse(
            dir,
            &Sources {
                summary_json: &summary,
                latency: &latency,
                hops: &hops,
                groups: &groups,
                series: &series,
                incidents: &incidents,
                attacks: &attacks,
            },
        )?)
    };
    let tables: Vec<(String, Vec<u8>)> = vec![
        (files::SUMMARY_JSON.into(), summary),
        (files::RUNS_CSV.into(), runs),
        (files::TIMESERIES_CSV.into(), series),
        (files::LATENCY_CSV.into(), latency),
        (files::HOPS_CSV.into(), hops),
        (files::GROUPS_CSV.into(), groups),
        (files::INCIDENTS_CSV.into(), incidents),
        (files::ATTACKS_CSV.into(), attacks),
        (files::PATIENTS_CSV.into(), patients),
        (
            files::SUMMARY_MD.into(),
            crate::tables::summary_md(p, &agg).into_bytes(),
        ),
        (
            files::SUMMARY_TEX.into(),
            crate::tables::summary_tex(p, &agg).into_bytes(),
        ),
    ];
    // No formats (`--charts none`): no plots folder; `iomtsim plot` makes it later.
    if !formats.is_empty() {
        mkdir(&dir.join(files::PLOTS))?;
    }
    // The tables go to disk while the charts are drawn; the rest follows once it exists.
    let (written, rest) = rayon::join(
        || write_many(dir, &tables),
        || charts_page_manifest(dir, p, &agg, &tables, chart_data.as_ref(), formats),
    );
    let mut written = written?;
    written.extend(rest?);
    // Every name in place on disk before the folder is used (or swapped in).
    let plots = dir.join(files::PLOTS);
    for d in [plots.as_path(), dir].into_iter().filter(|d| d.is_dir()) {
        sync_dir(d).map_err(|source| OutputError::Io {
            path: d.to_path_buf(),
            source,
        })?;
    }
    Ok(written)
}

/// Draws the charts of a run (those with something to show), makes its `report.html` and
/// `manifest.json` (listing `tables`, the charts and the page), and writes them all into
/// `dir` (its folders not flushed); returns their paths, `manifest.json` last.
fn charts_page_manifest(
    dir: &Path,
    p: &Provenance,
    agg: &Aggregate,
    tables: &[(String, Vec<u8>)],
    chart_data: Option<&ChartData>,
    formats: &[Format],
) -> Result<Vec<PathBuf>, OutputError> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let drawn = chart_data.map_or_else(Vec::new, |d| crate::plot::draw_all(d, formats));
    for (name, bytes) in drawn {
        let bytes = bytes.map_err(|message| OutputError::Chart {
            path: dir.join(&name),
            message,
        })?;
        out.push((name, bytes));
    }
    // report.html, from the bytes about to be written, as `plot` makes it from the files on
    // disk.
    let page_charts = chart_data
        .map(|d| crate::plot::report_svgs(d, &out))
        .transpose()
        .map_err(|message| OutputError::Chart {
            path: dir.join(crate::html::REPORT_HTML),
            message,
        })?;
    let absent = page_charts.as_ref().map_or(&[][..], |c| &c.absent[..]);
    let find = |name: &str| {
        tables
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[][..], |(_, b)| b.as_slice())
    };
    let report = crate::html::run_page(&crate::html::RunSources {
        summary: find(files::SUMMARY_JSON),
        manifest: &manifest_json(p, &agg.seeds, &[], absent),
        incidents: find(files::INCIDENTS_CSV),
        attacks: find(files::ATTACKS_CSV),
        patients: find(files::PATIENTS_CSV),
        charts: page_charts.as_ref(),
    })?;
    out.push((crate::html::REPORT_HTML.into(), report.into_bytes()));
    let listed: Vec<&(String, Vec<u8>)> = tables.iter().chain(&out).collect();
    let manifest = json_bytes(&manifest_json(p, &agg.seeds, &listed, absent));
    out.push((files::MANIFEST_JSON.into(), manifest));
    write_many(dir, &out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_fips_test_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn atomic_writes_replace_whole_files_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("summary.json");
        write_atomic(&f, b"old").unwrap();
        write_atomic(&f, b"new").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn atomic_writes_follow_no_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        // The names a fixed-name temporary would have had, and the target itself, all planted
        // as links to the victim.
        for planted in ["summary.json.tmp", ".summary.json.tmp", "summary.tmp"] {
            std::os::unix::fs::symlink(&victim, dir.path().join(planted)).unwrap();
        }
        let f = dir.path().join("summary.json");
        write_atomic(&f, b"new").unwrap();
        std::fs::remove_file(&f).unwrap();
        std::os::unix::fs::symlink(&victim, &f).unwrap();
        write_atomic(&f, b"newer").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(!f.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&f).unwrap(), b"newer");
    }

    #[test]
    fn files_written_together_are_whole_in_order_and_leave_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("plots")).unwrap();
        // More files than writers, of different sizes, in two folders.
        let files: Vec<(String, Vec<u8>)> = (0..2 * WRITERS + 3)
            .map(|i| {
                let name = if i % 3 == 0 {
                    format!("plots/f{i}.svg")
                } else {
                    format!("f{i}.csv")
                };
                (name, vec![i as u8; 1000 * i + 1])
            })
            .collect();
        let written = write_all(dir.path(), &files).unwrap();
        assert_eq!(written.len(), files.len());
        for (path, (name, bytes)) in written.iter().zip(&files) {
            assert_eq!(*path, dir.path().join(name));
            assert_eq!(std::fs::read(path).unwrap(), *bytes, "{name}");
        }
        let count = |d: &Path| std::fs::read_dir(d).unwrap().count();
        // 12 of the 35 files are in plots/ (which is itself an entry of the folder).
        assert_eq!(count(&dir.path().join("plots")), 12);
        assert_eq!(count(dir.path()), files.len() - 12 + 1);
        // Nothing at all: nothing written.
        assert!(write_all(dir.path(), &[]).unwrap().is_empty());
    }

    #[test]
    fn of_files_written_together_the_first_failure_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["b", "d"] {
            std::fs::create_dir(dir.path().join(d)).unwrap();
        }
        // A file cannot be renamed over a folder: `b` and `d` fail, `a` and `c` are written.
        let files: Vec<(String, Vec<u8>)> = ["a", "b", "c", "d"]
            .iter()
            .map(|n| (n.to_string(), n.as_bytes().to_vec()))
            .collect();
        match write_all(dir.path(), &files) {
            Err(OutputError::Io { path, .. }) => assert_eq!(path, dir.path().join("b")),
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read(dir.path().join("c")).unwrap(), b"c");
    }

    #[test]
    fn a_failed_atomic_write_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        // Renaming a file over a folder fails after the temporary was written.
        let target = dir.path().join("plots");
        std::fs::create_dir(&target).unwrap();
        assert!(write_atomic(&target, b"bytes").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["plots"]);
    }

    #[test]
    fn one_replication_gives_nulls_and_a_note_not_nan() {
        let s = crate::stats::summarise(&[Some(4.0)]);
        let o = summary_object(s.as_ref());
        assert_eq!(o["n"], 1);
        assert_eq!(o["mean"], 4.0);
        for k in ["sd", "ci95_low", "ci95_high", "ci95_half_width"] {
            assert!(o[k].is_null(), "{k}");
        }
        assert_eq!(o["note"], NO_INTERVAL);
        let text = serde_json::to_string(&o).unwrap();
        assert!(!text.contains("NaN") && !text.contains("nan"));
    }
}
