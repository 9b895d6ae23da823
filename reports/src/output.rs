//! The files of a run's folder: `summary.json`, `runs.csv`, `timeseries.csv`. Each is written
//! to a temporary file beside its target and renamed into place, so a reader (or a crash) never
//! sees a half-written file and an older complete file is replaced only by a newer complete one.
//! No wall-clock time goes into any of them, so two runs of the same scenario and seed produce
//! byte-identical files.

use crate::aggregate::Aggregate;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use sim_core::RunMetrics;
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
    /// The tightest alarm deadline, milliseconds, if any stream has one.
    pub alarm_deadline_ms: Option<f64>,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(io)
}

fn num(x: Option<f64>) -> Value {
    x.filter(|v| v.is_finite()).map_or(Value::Null, Value::from)
}

/// The JSON of `summary.json`.
pub fn summary_json(p: &Provenance, agg: &Aggregate) -> Value {
    let mut metrics = Map::new();
    for m in &agg.metrics {
        let mut o = Map::new();
        match &m.summary {
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
                    o.insert(
                        "note".into(),
                        json!("one replication: no confidence interval; run with --replications 2 or more"),
                    );
                }
            }
            None => {
                o.insert("n".into(), json!(0));
                o.insert("note".into(), json!("not defined in any replication"));
            }
        }
        if let Some(pc) = &m.percentiles {
            o.insert("p50".into(), num(Some(pc.p50)));
            o.insert("p95".into(), num(Some(pc.p95)));
            o.insert("p99".into(), num(Some(pc.p99)));
            o.insert("max_observed".into(), num(Some(pc.max)));
            o.insert("observations".into(), json!(pc.count));
        }
        metrics.insert(m.name.into(), Value::Object(o));
    }
    json!({
        "scenario": { "name": p.scenario, "sha256": p.scenario_sha256 },
        "program": { "name": "iomtsim", "version": p.program_version },
        "base_seed": p.base_seed,
        "replications": agg.seeds.len(),
        "seeds": agg.seeds,
        "duration_s": p.duration_s,
        "warmup_s": p.warmup_s,
        "events": agg.events,
        "metrics": Value::Object(metrics),
    })
}

fn csv_bytes(
    path: &Path,
    f: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>,
) -> Result<Vec<u8>, OutputError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    f(&mut w).map_err(|source| OutputError::Csv {
        path: path.to_path_buf(),
        source,
    })?;
    w.into_inner().map_err(|e| OutputError::Io {
        path: path.to_path_buf(),
        source: e.into_error(),
    })
}

fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or(String::new(), |v| v.to_string())
}

/// `runs.csv`: one row per replication, one column per metric (empty where undefined).
pub fn runs_csv(path: &Path, runs: &[RunMetrics]) -> Result<Vec<u8>, OutputError> {
    csv_bytes(path, |w| {
        let names: Vec<&str> = runs
            .first()
            .map(|r| r.scalars.iter().map(|(n, _)| *n).collect())
            .unwrap_or_default();
        let mut header = vec!["replication", "seed", "events"];
        header.extend(&names);
        w.write_record(&header)?;
        for (i, r) in runs.iter().enumerate() {
            let mut row = vec![i.to_string(), r.seed.to_string(), r.events.to_string()];
            row.extend(r.scalars.iter().map(|(_, v)| cell(*v)));
            w.write_record(&row)?;
        }
        Ok(())
    })
}

/// `timeseries.csv`, tidy long format: `replication,time_s,series,value`.
pub fn timeseries_csv(path: &Path, runs: &[RunMetrics]) -> Result<Vec<u8>, OutputError> {
    csv_bytes(path, |w| {
        w.write_record(["replication", "time_s", "series", "value"])?;
        for (i, r) in runs.iter().enumerate() {
            let ts = &r.timeseries;
            for (name, values) in &ts.columns {
                for (t, v) in ts.times_s.iter().zip(values) {
                    w.write_record([
                        i.to_string(),
                        t.to_string(),
                        name.to_string(),
                        cell(Some(*v)),
                    ])?;
                }
            }
        }
        Ok(())
    })
}

/// Writes every file of a run's folder; returns the paths written, in order.
pub fn write_run(
    dir: &Path,
    p: &Provenance,
    runs: &[RunMetrics],
) -> Result<Vec<PathBuf>, OutputError> {
    let agg = Aggregate::from_runs(runs);
    let plots = dir.join("plots");
    for d in [dir, plots.as_path()] {
        std::fs::create_dir_all(d).map_err(|source| OutputError::Io {
            path: d.to_path_buf(),
            source,
        })?;
    }
    let mut written = Vec::new();
    let summary = dir.join("summary.json");
    let mut text = serde_json::to_string_pretty(&summary_json(p, &agg)).unwrap_or_default();
    text.push('\n');
    write_atomic(&summary, text.as_bytes())?;
    written.push(summary);
    let runs_path = dir.join("runs.csv");
    write_atomic(&runs_path, &runs_csv(&runs_path, runs)?)?;
    written.push(runs_path);
    let ts = dir.join("timeseries.csv");
    write_atomic(&ts, &timeseries_csv(&ts, runs)?)?;
    written.push(ts);
    let cdf = plots.join("latency_cdf.svg");
    let svg = crate::chart::latency_cdf_svg(&agg, p.alarm_deadline_ms, &p.scenario).map_err(
        |message| OutputError::Chart {
            path: cdf.clone(),
            message,
        },
    )?;
    write_atomic(&cdf, svg.as_bytes())?;
    written.push(cdf);
    Ok(written)
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
}
