//! The table of a sweep: per point, metric and group, the summary over replications and the
//! paired difference against the baseline variant, built from the job files point by point
//! and written as `sweep.csv` and `sweep.json`.

use super::*;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::fixtures::*;
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
}
