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
    /// Metric values, in the engine's order (`null` where undefined).
    pub metrics: Vec<(String, Option<f64>)>,
    /// SHA-256 of the scenario and its overrides (the sweep manifest's `sha256_with_overrides`),
    /// so a job file from another sweep is never taken for one of this sweep's.
    #[serde(default)]
    pub scenario_sha256: String,
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

/// Every job of the layout that does not count, with the reason, in job order.
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
                    let these: Vec<String> = job.metrics.iter().map(|(n, _)| n.clone()).collect();
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

/// One row of `sweep.csv`: a point and a metric.
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
    /// Statistics over the point's replications.
    pub summary: Option<Summary>,
    /// The paired difference with the baseline variant, if this point has one.
    pub diff_vs_baseline: Option<Summary>,
}

fn metric_values(jobs: &[JobResult], name: &str) -> Vec<Option<f64>> {
    jobs.iter()
        .map(|j| {
            j.metrics
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, v)| *v)
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

/// Builds the table from the job files under `dir`; `Err` lists every job that is missing or
/// invalid: (point, replication, why).
pub fn table(
    dir: &Path,
    layout: &Layout,
    expect: &JobExpect,
) -> Result<Vec<Row>, Vec<(usize, u32, JobProblem)>> {
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
    let mut rows = Vec::new();
    for (p, (variant, values)) in layout.points.iter().enumerate() {
        let jobs =
            point_jobs(dir, p, layout.replications, expect).map_err(|(r, e)| vec![(p, r, e)])?;
        let base = match layout.baseline_of(p) {
            Some(b) => Some(
                point_jobs(dir, b, layout.replications, expect)
                    .map_err(|(r, e)| vec![(b, r, e)])?,
            ),
            None => None,
        };
        let names: Vec<String> = jobs
            .first()
            .map(|j| j.metrics.iter().map(|(n, _)| n.clone()).collect())
            .unwrap_or_default();
        for name in names {
            let xs = metric_values(&jobs, &name);
            let diff = base.as_ref().map(|b| {
                let bs = metric_values(b, &name);
                let d: Vec<Option<f64>> = xs
                    .iter()
                    .zip(&bs)
                    .map(|(x, y)| Some((*x)? - (*y)?))
                    .collect();
                summarise(&d)
            });
            rows.push(Row {
                point: p,
                variant: variant.and_then(|v| layout.variants.get(v).cloned()),
                values: values.clone(),
                metric: name,
                summary: summarise(&xs),
                diff_vs_baseline: diff.flatten(),
            });
        }
    }
    Ok(rows)
}

fn cell(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or(String::new(), |v| v.to_string())
}

/// `sweep.csv`: one row per point and metric, sorted by point.
pub fn sweep_csv(layout: &Layout, rows: &[Row]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["point".into(), "variant".into()];
    header.extend(layout.parameters.iter().map(|p| crate::data::csv_text(p)));
    for h in [
        "metric",
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
    ] {
        header.push(h.into());
    }
    let _ = w.write_record(&header);
    for r in rows {
        let mut rec = vec![
            r.point.to_string(),
            crate::data::csv_text(r.variant.as_deref().unwrap_or_default()),
        ];
        rec.extend(r.values.iter().map(|v| crate::data::csv_text(v)));
        rec.push(r.metric.clone());
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
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

/// `sweep.json`: the layout and the rows.
pub fn sweep_json(layout: &Layout, rows: &[Row]) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(&serde_json::json!({
        "parameters": layout.parameters,
        "variants": layout.variants,
        "baseline": layout.variants.get(layout.baseline),
        "replications": layout.replications,
        "rows": rows,
    }))
    .unwrap_or_default();
    v.push(b'\n');
    v
}

/// Writes `sweep.csv` and `sweep.json`; returns their paths.
pub fn write_table(dir: &Path, layout: &Layout, rows: &[Row]) -> Result<Vec<PathBuf>, OutputError> {
    let csv_path = dir.join("sweep.csv");
    write_atomic(&csv_path, &sweep_csv(layout, rows))?;
    let json_path = dir.join("sweep.json");
    write_atomic(&json_path, &sweep_json(layout, rows))?;
    Ok(vec![csv_path, json_path])
}

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
        assert!(csv.starts_with("point,variant,x,metric,n,mean"));
        assert_eq!(csv.lines().count(), 9);
    }

    #[test]
    fn text_cells_of_sweep_csv_cannot_start_a_formula() {
        let l = Layout {
            parameters: vec!["=cmd|' /C calc'!A0".into()],
            variants: vec!["@SUM(1+1)".into()],
            baseline: 0,
            points: vec![(Some(0), vec!["-0.5".into()]), (Some(0), vec!["+x".into()])],
            replications: 1,
        };
        let rows: Vec<Row> = (0..2)
            .map(|p| Row {
                point: p,
                variant: Some(l.variants[0].clone()),
                values: l.points[p].1.clone(),
                metric: "m".into(),
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
}

/// One point of a sweep line: (x, mean, 95 % half-width).
pub type LinePoint = (f64, f64, Option<f64>);

/// A metric against the first swept parameter: one line per variant, with its 95 % band.
#[derive(Clone, Debug)]
pub struct SweepLines {
    /// File stem (`sweep_latency_ms`).
    pub name: &'static str,
    /// The x axis title.
    pub x_label: String,
    /// The y axis title, with its unit.
    pub y_label: String,
    /// Per variant (or one unnamed series): label and points (x, mean, half-width).
    pub series: Vec<(String, Vec<LinePoint>)>,
}

impl SweepLines {
    /// The lines of `metric` from the table, when the first parameter's values are numbers
    /// (quantities with units count by their leading number). `None` otherwise.
    pub fn from_rows(
        layout: &Layout,
        rows: &[Row],
        metric: &str,
        name: &'static str,
    ) -> Option<SweepLines> {
        let first = layout.parameters.first()?;
        let series_names: Vec<String> = if layout.variants.is_empty() {
            vec![String::new()]
        } else {
            layout.variants.clone()
        };
        let mut series = Vec::new();
        for (vi, label) in series_names.iter().enumerate() {
            let mut pts = Vec::new();
            for r in rows.iter().filter(|r| r.metric == metric) {
                let (variant, _) = &layout.points[r.point];
                if !layout.variants.is_empty() && *variant != Some(vi) {
                    continue;
                }
                let x = leading_number(r.values.first()?)?;
                if let Some(s) = &r.summary {
                    pts.push((x, s.mean, s.ci95_half_width));
                }
            }
            // Average over the other parameters' values at the same x (a marginal view).
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            series.push((label.clone(), pts));
        }
        Some(SweepLines {
            name,
            x_label: first.clone(),
            y_label: metric.to_string(),
            series,
        })
    }
}

fn leading_number(s: &str) -> Option<f64> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == '+'))
        .map_or(s.len(), |(i, _)| i);
    s[..end].parse().ok()
}

impl crate::chart::Chart for SweepLines {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: plotters::prelude::DrawingBackend>(
        &self,
        root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
        style: &crate::chart::Style,
    ) -> Result<(), String> {
        use plotters::prelude::*;
        let all: Vec<&LinePoint> = self.series.iter().flat_map(|(_, p)| p).collect();
        if all.is_empty() {
            return Ok(());
        }
        let (mut x0, mut x1) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY);
        for &&(x, m, h) in &all {
            let h = h.unwrap_or(0.0);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(m - h);
            y1 = y1.max(m + h);
        }
        if x1 <= x0 {
            x1 = x0 + 1.0;
        }
        let pad = ((y1 - y0).abs() * 0.08).max(1e-9);
        let (y0, y1) = (
            if y0 >= 0.0 {
                (y0 - pad).max(0.0)
            } else {
                y0 - pad
            },
            y1 + pad,
        );
        let mut chart = ChartBuilder::on(root)
            .margin(style.px(6.0))
            .margin_right(style.px(14.0))
            .x_label_area_size(style.px(24.0))
            .y_label_area_size(style.px(48.0))
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| e.to_string())?;
        let compact = |v: &f64| {
            let a = v.abs();
            if a >= 100.0 || *v == 0.0 {
                format!("{v:.0}")
            } else if a >= 1.0 {
                format!("{v:.2}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            } else if a >= 1e-3 {
                format!("{v:.4}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            } else {
                format!("{v:.3e}")
            }
        };
        chart
            .configure_mesh()
            .x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .x_label_formatter(&compact)
            .y_label_formatter(&compact)
            .label_style(style.text())
            .axis_desc_style(style.axis())
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, (label, pts)) in self.series.iter().enumerate() {
            let colour = crate::chart::series_colour(i);
            let band: Vec<(f64, f64)> = pts
                .iter()
                .map(|&(x, m, h)| (x, m + h.unwrap_or(0.0)))
                .chain(pts.iter().rev().map(|&(x, m, h)| (x, m - h.unwrap_or(0.0))))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    band,
                    colour.mix(0.2).filled(),
                )))
                .map_err(|e| e.to_string())?;
            let line = style.line(colour, 1.2);
            chart
                .draw_series(
                    pts.iter()
                        .map(|&(x, m, _)| Circle::new((x, m), style.px(1.5), colour.filled())),
                )
                .map_err(|e| e.to_string())?;
            let drawn = chart
                .draw_series(LineSeries::new(pts.iter().map(|&(x, m, _)| (x, m)), line))
                .map_err(|e| e.to_string())?;
            if !label.is_empty() {
                drawn
                    .label(label.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], line));
            }
        }
        if self.series.iter().any(|(l, _)| !l.is_empty()) {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font(style.text())
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.3))
                .draw()
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// A metric over two swept parameters: one cell per pair of values, coloured by the mean
/// (viridis, perceptually uniform and readable in grey), with the value written in the cell.
#[derive(Clone, Debug)]
pub struct SweepHeatmap {
    /// File stem.
    pub name: &'static str,
    /// First parameter (x), its values in order.
    pub x: (String, Vec<String>),
    /// Second parameter (y), its values in order.
    pub y: (String, Vec<String>),
    /// The metric's name and unit, for the title.
    pub metric: String,
    /// `cells[i][j]`: the mean at x value i and y value j, if defined.
    pub cells: Vec<Vec<Option<f64>>>,
}

impl SweepHeatmap {
    /// The heatmap of `metric` over the first two parameters for one variant (or the only
    /// series); other parameters, if any, are averaged over. `None` with fewer than two.
    pub fn from_rows(
        layout: &Layout,
        rows: &[Row],
        metric: &str,
        variant: Option<usize>,
        name: &'static str,
    ) -> Option<SweepHeatmap> {
        if layout.parameters.len() < 2 {
            return None;
        }
        let distinct = |k: usize| {
            let mut v: Vec<String> = Vec::new();
            for (_, values) in &layout.points {
                if !v.contains(&values[k]) {
                    v.push(values[k].clone());
                }
            }
            v
        };
        let (xs, ys) = (distinct(0), distinct(1));
        let mut sums = vec![vec![(0.0, 0usize); ys.len()]; xs.len()];
        for r in rows.iter().filter(|r| r.metric == metric) {
            let (v, values) = &layout.points[r.point];
            if *v != variant {
                continue;
            }
            let (Some(i), Some(j)) = (
                xs.iter().position(|x| *x == values[0]),
                ys.iter().position(|y| *y == values[1]),
            ) else {
                continue;
            };
            if let Some(s) = &r.summary {
                sums[i][j].0 += s.mean;
                sums[i][j].1 += 1;
            }
        }
        Some(SweepHeatmap {
            name,
            x: (layout.parameters[0].clone(), xs),
            y: (layout.parameters[1].clone(), ys),
            metric: metric.to_string(),
            cells: sums
                .into_iter()
                .map(|col| {
                    col.into_iter()
                        .map(|(s, n)| (n > 0).then(|| s / n as f64))
                        .collect()
                })
                .collect(),
        })
    }
}

impl crate::chart::Chart for SweepHeatmap {
    fn name(&self) -> &'static str {
        self.name
    }

    fn draw<DB: plotters::prelude::DrawingBackend>(
        &self,
        root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
        style: &crate::chart::Style,
    ) -> Result<(), String> {
        use plotters::prelude::*;
        use plotters::style::colors::colormaps::{ColorMap, ViridisRGB};
        let values: Vec<f64> = self.cells.iter().flatten().flatten().copied().collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (nx, ny) = (self.x.1.len(), self.y.1.len());
        let mut chart = ChartBuilder::on(root)
            .caption(format!("mean {}", self.metric), style.axis())
            .margin(style.px(6.0))
            .x_label_area_size(style.px(24.0))
            .y_label_area_size(style.px(48.0))
            .build_cartesian_2d(0.0..nx as f64, 0.0..ny as f64)
            .map_err(|e| e.to_string())?;
        let (xl, yl) = (self.x.1.clone(), self.y.1.clone());
        let xf = move |v: &f64| xl.get(v.floor() as usize).cloned().unwrap_or_default();
        let yf = move |v: &f64| yl.get(v.floor() as usize).cloned().unwrap_or_default();
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(self.x.0.as_str())
            .y_desc(self.y.0.as_str())
            .x_labels(nx * 2 + 1)
            .y_labels(ny * 2 + 1)
            .x_label_formatter(&|v| {
                if (v.fract() - 0.5).abs() < 1e-9 {
                    xf(v)
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|v| {
                if (v.fract() - 0.5).abs() < 1e-9 {
                    yf(v)
                } else {
                    String::new()
                }
            })
            .label_style(style.text())
            .axis_desc_style(style.axis())
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, col) in self.cells.iter().enumerate() {
            for (j, cell) in col.iter().enumerate() {
                let (x0, y0) = (i as f64, j as f64);
                let (fill, text) = match cell {
                    Some(v) => {
                        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
                        let a = v.abs();
                        let text = if a >= 1000.0 {
                            format!("{v:.0}")
                        } else if a >= 1.0 {
                            format!("{v:.3}")
                                .trim_end_matches('0')
                                .trim_end_matches('.')
                                .to_string()
                        } else {
                            format!("{v:.4}")
                        };
                        (ViridisRGB.get_color(t), text)
                    }
                    None => (RGBColor(0xdd, 0xdd, 0xdd), "—".to_string()),
                };
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, y0), (x0 + 1.0, y0 + 1.0)],
                        fill.filled(),
                    )))
                    .map_err(|e| e.to_string())?;
                let light = matches!(cell, Some(v) if hi > lo && (v - lo) / (hi - lo) < 0.5);
                let ink = if light { WHITE } else { BLACK };
                chart
                    .draw_series(std::iter::once(Text::new(
                        text,
                        (x0 + 0.5, y0 + 0.5),
                        style
                            .text()
                            .color(&ink)
                            .pos(plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            )),
                    )))
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod heatmap_tests {
    use super::*;

    #[test]
    fn cells_hold_the_means_of_each_pair_of_values() {
        let layout = Layout {
            parameters: vec!["a".into(), "b".into()],
            variants: vec![],
            baseline: 0,
            points: vec![
                (None, vec!["1".into(), "10".into()]),
                (None, vec!["1".into(), "20".into()]),
                (None, vec!["2".into(), "10".into()]),
                (None, vec!["2".into(), "20".into()]),
            ],
            replications: 1,
        };
        let rows: Vec<Row> = (0..4)
            .map(|p| Row {
                point: p,
                variant: None,
                values: layout.points[p].1.clone(),
                metric: "m".into(),
                summary: summarise(&[Some(p as f64 * 10.0)]),
                diff_vs_baseline: None,
            })
            .collect();
        let h = SweepHeatmap::from_rows(&layout, &rows, "m", None, "h").unwrap();
        assert_eq!(h.x.1, ["1", "2"]);
        assert_eq!(h.y.1, ["10", "20"]);
        assert_eq!(
            h.cells,
            vec![vec![Some(0.0), Some(10.0)], vec![Some(20.0), Some(30.0)]]
        );
        let one = Layout {
            parameters: vec!["a".into()],
            ..layout.clone()
        };
        assert!(SweepHeatmap::from_rows(&one, &rows, "m", None, "h").is_none());
        let svg =
            crate::chart::render(&h, crate::chart::ONE_COLUMN, crate::chart::Format::Svg).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert!(
            svg.split("</text>")
                .any(|t| t.trim_end().ends_with(">30") || t.trim_end().ends_with("\n30")),
            "{svg}"
        );
    }
}
