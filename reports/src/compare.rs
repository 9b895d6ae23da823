//! `iomtsim compare`: the difference, metric by metric, between results folders of one scenario
//! family, with its 95 % confidence interval.
//!
//! The first folder is the baseline; every other folder is compared with it. Each metric is
//! read per replication from `runs.csv`.
//!
//! - **Paired** when both folders ran the same seeds, replication by replication (the same
//!   scenario name, base seed and replications, as `run` and `sweep` do by default): the
//!   differences dᵣ = yᵣ − xᵣ over the replications where both are defined, and the Student-t
//!   interval d̄ ± t₀.₉₇₅,ₙ₋₁ · s_d/√n. Common random numbers make this far narrower than the
//!   unpaired interval (README, "Common random numbers"); it is the interval `sweep` reports
//!   as `diff_ci95_*` for the same pair.
//! - **Welch** otherwise: ȳ − x̄ ± t₀.₉₇₅,ν · √(s_x²/n_x + s_y²/n_y), with the
//!   Welch–Satterthwaite degrees of freedom
//!   ν = (s_x²/n_x + s_y²/n_y)² / ((s_x²/n_x)²/(n_x − 1) + (s_y²/n_y)²/(n_y − 1)).
//!
//! Folders are comparable when their manifests name the same scenario and their summaries the
//! same duration and warm-up (a metric over 1 h and one over 2 h are not the same quantity);
//! anything else is refused with the reason.

use crate::data::files;
use crate::stats::{Summary, summarise, t95};
use crate::tables::{md_escape, metric_label, one_line, round_pair, tex_escape};
use serde_json::Value;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Why folders could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// A folder is not a results folder, or one of its files is damaged.
    #[error("{path}: {message}")]
    Folder {
        /// The file or folder at fault.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The folders are results of different scenarios or time windows.
    #[error("{0}")]
    Unrelated(String),
}

/// One results folder, as `compare` needs it.
#[derive(Clone, Debug)]
pub struct Folder {
    /// The folder.
    pub dir: PathBuf,
    /// The scenario's name.
    pub scenario: String,
    /// Simulated time per replication, seconds.
    pub duration_s: f64,
    /// Warm-up excluded from the statistics, seconds.
    pub warmup_s: f64,
    /// The seed of each replication, in order.
    pub seeds: Vec<u64>,
    /// The command that made it, as the manifest records it.
    pub command_line: String,
    /// The scenario as run (every `--set` applied).
    pub resolved: Value,
    /// Each metric of `runs.csv`, in column order, with its value per replication (`None`
    /// where it was undefined, e.g. a latency with no packet delivered).
    pub metrics: Vec<(String, Vec<Option<f64>>)>,
}

fn folder_error(path: &Path, message: impl Into<String>) -> CompareError {
    CompareError::Folder {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn read_json(path: &Path) -> Result<Value, CompareError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        folder_error(
            path,
            format!("cannot be read ({e}); give a folder `iomtsim run` wrote"),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| folder_error(path, format!("is not JSON: {e}")))
}

impl Folder {
    /// Reads `summary.json`, `manifest.json` and `runs.csv` of the results folder `dir`.
    pub fn read(dir: &Path) -> Result<Folder, CompareError> {
        let summary_path = dir.join(files::SUMMARY_JSON);
        let summary = read_json(&summary_path)?;
        let manifest = read_json(&dir.join(files::MANIFEST_JSON))?;
        let field = |v: &Value, what: &str| -> Result<f64, CompareError> {
            v.as_f64()
                .ok_or_else(|| folder_error(&summary_path, format!("has no number `{what}`")))
        };
        let scenario = summary["scenario"]["name"]
            .as_str()
            .ok_or_else(|| folder_error(&summary_path, "has no `scenario.name`"))?
            .to_string();
        let seeds: Vec<u64> = summary["seeds"]
            .as_array()
            .ok_or_else(|| folder_error(&summary_path, "has no `seeds` list"))?
            .iter()
            .map(|s| s.as_u64())
            .collect::<Option<_>>()
            .ok_or_else(|| folder_error(&summary_path, "has a seed that is not a whole number"))?;
        let runs_path = dir.join(files::RUNS_CSV);
        let mut reader = csv::Reader::from_path(&runs_path)
            .map_err(|e| folder_error(&runs_path, format!("cannot be read: {e}")))?;
        let headers = reader
            .headers()
            .map_err(|e| folder_error(&runs_path, format!("has no header: {e}")))?
            .clone();
        // Bookkeeping columns, not metrics.
        let skip = ["replication", "seed", "events"];
        let columns: Vec<(usize, String)> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| !skip.contains(h))
            .map(|(i, h)| (i, h.to_string()))
            .collect();
        let mut metrics: Vec<(String, Vec<Option<f64>>)> = columns
            .iter()
            .map(|(_, h)| (h.clone(), Vec::new()))
            .collect();
        for (line, record) in reader.records().enumerate() {
            let record = record.map_err(|e| folder_error(&runs_path, e.to_string()))?;
            for ((i, name), (_, values)) in columns.iter().zip(metrics.iter_mut()) {
                let cell = record.get(*i).unwrap_or("").trim();
                let value = if cell.is_empty() {
                    None
                } else {
                    Some(cell.parse::<f64>().map_err(|_| {
                        folder_error(
                            &runs_path,
                            format!("line {}: `{name}` is `{cell}`, not a number", line + 2),
                        )
                    })?)
                };
                values.push(value);
            }
        }
        let rows = metrics.first().map_or(0, |(_, v)| v.len());
        if rows != seeds.len() {
            return Err(folder_error(
                &runs_path,
                format!(
                    "has {rows} replication rows but summary.json lists {} seeds",
                    seeds.len()
                ),
            ));
        }
        Ok(Folder {
            dir: dir.to_path_buf(),
            scenario,
            duration_s: field(&summary["duration_s"], "duration_s")?,
            warmup_s: field(&summary["warmup_s"], "warmup_s")?,
            seeds,
            command_line: manifest["command_line"].as_str().unwrap_or("").to_string(),
            resolved: manifest["scenario"]["resolved"].clone(),
            metrics,
        })
    }

    fn values(&self, metric: &str) -> Option<&[Option<f64>]> {
        self.metrics
            .iter()
            .find(|(n, _)| n == metric)
            .map(|(_, v)| v.as_slice())
    }
}

/// How a difference's interval was computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Replication by replication, the same seeds on both sides.
    Paired,
    /// Welch's unequal-variance interval, the folders' seeds differing.
    Welch,
}

impl Method {
    /// Its name in tables.
    pub fn name(self) -> &'static str {
        match self {
            Method::Paired => "paired",
            Method::Welch => "welch",
        }
    }
}

/// The difference `other − baseline` of one metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// The metric's name (a `runs.csv` column).
    pub metric: String,
    /// The baseline's summary.
    pub baseline: Option<Summary>,
    /// The other folder's summary.
    pub other: Option<Summary>,
    /// How the interval was computed.
    pub method: Method,
    /// Replications behind the difference (pairs for [`Method::Paired`], the smaller side for
    /// Welch).
    pub n: usize,
    /// The mean difference, `other − baseline`.
    pub mean: f64,
    /// The half-width of its 95 % interval; `None` when there is none (fewer than two
    /// replications on a side).
    pub half_width: Option<f64>,
    /// The degrees of freedom of the t quantile used.
    pub df: Option<f64>,
}

impl Difference {
    /// The difference relative to the baseline's mean, in percent, with its interval's
    /// half-width; `None` when the baseline's mean is zero.
    pub fn relative_percent(&self) -> Option<(f64, Option<f64>)> {
        let base = self.baseline.as_ref()?.mean;
        (base != 0.0).then(|| {
            (
                100.0 * self.mean / base.abs(),
                self.half_width.map(|h| 100.0 * h / base.abs()),
            )
        })
    }
}

/// Checks that `other` may be compared with `baseline`.
pub fn comparable(baseline: &Folder, other: &Folder) -> Result<(), CompareError> {
    let unrelated = |what: String| {
        CompareError::Unrelated(format!(
            "{} and {} are not results of one scenario family: {what}; compare runs of one \
             scenario that differ by `--set` overrides or by defenses and attacks",
            baseline.dir.display(),
            other.dir.display()
        ))
    };
    if baseline.scenario != other.scenario {
        return Err(unrelated(format!(
            "scenario `{}` against `{}`",
            baseline.scenario, other.scenario
        )));
    }
    if baseline.duration_s != other.duration_s || baseline.warmup_s != other.warmup_s {
        return Err(unrelated(format!(
            "{} s with {} s of warm-up against {} s with {} s (a metric over a different \
             window is a different quantity)",
            baseline.duration_s, baseline.warmup_s, other.duration_s, other.warmup_s
        )));
    }
    Ok(())
}

/// The difference `other − baseline` of every metric both folders report, in the baseline's
/// column order; paired when the seeds match (see the module documentation).
pub fn compare(baseline: &Folder, other: &Folder) -> Result<Vec<Difference>, CompareError> {
    comparable(baseline, other)?;
    let paired = baseline.seeds == other.seeds;
    let mut out = Vec::new();
    for (metric, xs) in &baseline.metrics {
        let Some(ys) = other.values(metric) else {
            continue;
        };
        let (bs, os) = (summarise(xs), summarise(ys));
        if bs.is_none() && os.is_none() {
            continue;
        }
        let d = if paired {
            let ds: Vec<Option<f64>> = xs
                .iter()
                .zip(ys)
                .map(|(x, y)| Some((*y)? - (*x)?))
                .collect();
            summarise(&ds).map(|s| Difference {
                metric: metric.clone(),
                baseline: bs.clone(),
                other: os.clone(),
                method: Method::Paired,
                n: s.n,
                mean: s.mean,
                half_width: s.ci95_half_width,
                df: (s.n > 1).then(|| (s.n - 1) as f64),
            })
        } else {
            match (&bs, &os) {
                (Some(x), Some(y)) => {
                    let (vx, vy) = (
                        x.sd.map(|s| s * s / x.n as f64),
                        y.sd.map(|s| s * s / y.n as f64),
                    );
                    let (half, df) = match (vx, vy) {
                        (Some(vx), Some(vy)) if vx + vy > 0.0 => {
                            let df = (vx + vy).powi(2)
                                / (vx * vx / (x.n - 1) as f64 + vy * vy / (y.n - 1) as f64);
                            (Some(t95(df) * (vx + vy).sqrt()), Some(df))
                        }
                        (Some(_), Some(_)) => (Some(0.0), None),
                        _ => (None, None),
                    };
                    Some(Difference {
                        metric: metric.clone(),
                        baseline: bs.clone(),
                        other: os.clone(),
                        method: Method::Welch,
                        n: x.n.min(y.n),
                        mean: y.mean - x.mean,
                        half_width: half,
                        df,
                    })
                }
                _ => None,
            }
        };
        if let Some(d) = d {
            out.push(d);
        }
    }
    Ok(out)
}

/// The fields in which two resolved scenarios differ, as `--set` paths (`defenses[0].kind`),
/// at most `limit` of them: what a comparison is a comparison of.
pub fn differing_fields(a: &Value, b: &Value, limit: usize) -> Vec<String> {
    fn walk(a: &Value, b: &Value, path: &str, out: &mut Vec<String>, limit: usize) {
        if out.len() >= limit || a == b {
            return;
        }
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(
                        x.get(k).unwrap_or(&Value::Null),
                        y.get(k).unwrap_or(&Value::Null),
                        &p,
                        out,
                        limit,
                    );
                }
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                for (i, (u, v)) in x.iter().zip(y).enumerate() {
                    walk(u, v, &format!("{path}[{i}]"), out, limit);
                }
            }
            _ => out.push(if path.is_empty() {
                "(the whole scenario)".into()
            } else {
                path.to_string()
            }),
        }
    }
    let mut out = Vec::new();
    walk(a, b, "", &mut out, limit);
    out
}

/// One comparison: a folder against the baseline, with its differences.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The folder compared with the baseline.
    pub other: Folder,
    /// Its differences, metric by metric.
    pub differences: Vec<Difference>,
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| format!("{v}"))
}

/// `compare.csv`: one row per compared folder and metric — the two means, the difference with
/// its interval, the relative difference, the method and n.
pub fn compare_csv(baseline: &Folder, comparisons: &[Comparison]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "baseline",
        "other",
        "metric",
        "baseline_mean",
        "baseline_ci95_half_width",
        "other_mean",
        "other_ci95_half_width",
        "diff_mean",
        "diff_ci95_low",
        "diff_ci95_high",
        "diff_ci95_half_width",
        "diff_relative_percent",
        "method",
        "n",
        "df",
    ];
    let _ = w.write_record(header);
    for c in comparisons {
        for d in &c.differences {
            let mean = |s: &Option<Summary>| opt(s.as_ref().map(|s| s.mean));
            let half = |s: &Option<Summary>| opt(s.as_ref().and_then(|s| s.ci95_half_width));
            let _ = w.write_record([
                crate::data::csv_text(&baseline.dir.display().to_string()),
                crate::data::csv_text(&c.other.dir.display().to_string()),
                d.metric.clone(),
                mean(&d.baseline),
                half(&d.baseline),
                mean(&d.other),
                half(&d.other),
                format!("{}", d.mean),
                opt(d.half_width.map(|h| d.mean - h)),
                opt(d.half_width.map(|h| d.mean + h)),
                opt(d.half_width),
                opt(d.relative_percent().map(|(r, _)| r)),
                d.method.name().to_string(),
                d.n.to_string(),
                opt(d.df),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// A difference and its half-width rounded together, signed: `+1.003 ± 0.00016`.
pub(crate) fn signed(mean: f64, half: Option<f64>) -> (String, Option<String>) {
    match half {
        Some(h) => {
            let (m, h) = round_pair(mean, h);
            let m = if m.starts_with('-') || m.trim_start_matches(['0', '.']).is_empty() {
                m
            } else {
                format!("+{m}")
            };
            (m, Some(h))
        }
        None => (format!("{mean:+.6}"), None),
    }
}

pub(crate) fn method_sentence(comparisons: &[Comparison]) -> String {
    let paired = comparisons
        .iter()
        .all(|c| c.differences.iter().all(|d| d.method == Method::Paired));
    if paired {
        "Differences are paired replication by replication (the folders ran the same seeds): \
         d̄ ± t₀.₉₇₅,ₙ₋₁ · s_d/√n."
            .into()
    } else {
        "Where the seeds match, differences are paired replication by replication; elsewhere \
         Welch's interval with Welch–Satterthwaite degrees of freedom (method column)."
            .into()
    }
}

/// `compare.md`: per compared folder, what differs in its scenario, then a table of metrics
/// with the baseline, the other folder and the difference with its 95 % interval.
pub fn compare_md(baseline: &Folder, comparisons: &[Comparison]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Comparison against `{}`\n",
        md_escape(&baseline.dir.display().to_string())
    );
    let _ = writeln!(
        o,
        "Scenario `{}`, {} s simulated ({} s warm-up). Mean ± half-width of the 95 % interval. {}\n",
        md_escape(&baseline.scenario),
        baseline.duration_s,
        baseline.warmup_s,
        method_sentence(comparisons)
    );
    for c in comparisons {
        let _ = writeln!(
            o,
            "## `{}` − `{}`\n",
            md_escape(&c.other.dir.display().to_string()),
            md_escape(&baseline.dir.display().to_string())
        );
        let fields = differing_fields(&baseline.resolved, &c.other.resolved, 12);
        if fields.is_empty() {
            let _ = writeln!(o, "The two scenarios as run are identical.\n");
        } else {
            let list: Vec<String> = fields
                .iter()
                .map(|f| format!("`{}`", md_escape(f)))
                .collect();
            let _ = writeln!(o, "Scenario fields that differ: {}.\n", list.join(", "));
        }
        let _ = writeln!(
            o,
            "| Metric | Unit | Baseline | This folder | Difference | Relative | Method |"
        );
        let _ = writeln!(o, "|---|---|---:|---:|---:|---:|---|");
        for d in &c.differences {
            let (label, unit) = metric_label(&d.metric);
            let cell = |s: &Option<Summary>| crate::tables::md_cell(s.as_ref(), d.n.max(2));
            let (m, h) = signed(d.mean, d.half_width);
            let diff = h.map_or(m.clone(), |h| format!("{m} ± {h}"));
            let rel = d.relative_percent().map_or("—".into(), |(r, h)| match h {
                Some(h) => format!("{r:+.2} ± {h:.2} %"),
                None => format!("{r:+.2} %"),
            });
            let _ = writeln!(
                o,
                "| {} | {unit} | {} | {} | {diff} | {rel} | {} |",
                md_escape(label.trim()),
                cell(&d.baseline),
                cell(&d.other),
                d.method.name()
            );
        }
        let _ = writeln!(o);
    }
    o
}

/// `compare.tex`: one `table` per compared folder (booktabs), the difference column with its
/// interval, ready to `\input`.
pub fn compare_tex(baseline: &Folder, comparisons: &[Comparison]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "% iomtsim compare: scenario {}, baseline {}",
        one_line(&baseline.scenario),
        one_line(&baseline.dir.display().to_string())
    );
    for c in comparisons {
        let _ = writeln!(o, "\\begin{{table}}[t]\n\\centering\\small");
        let _ = writeln!(
            o,
            "\\caption{{{} against {}: mean difference with its 95\\,\\% interval ({}).}}",
            tex_escape(&c.other.dir.display().to_string()),
            tex_escape(&baseline.dir.display().to_string()),
            tex_escape(&method_sentence(std::slice::from_ref(c)))
        );
        let _ = writeln!(o, "\\begin{{tabular}}{{llrr}}\n\\toprule");
        let _ = writeln!(o, "Metric & Unit & Difference & Relative \\\\\n\\midrule");
        for d in &c.differences {
            let (label, unit) = metric_label(&d.metric);
            let (m, h) = signed(d.mean, d.half_width);
            let diff = h.map_or(format!("${m}$"), |h| format!("${m} \\pm {h}$"));
            let rel = d
                .relative_percent()
                .map_or("---".into(), |(r, _)| format!("${r:+.2}\\,\\%$"));
            let _ = writeln!(
                o,
                "{} & {} & {diff} & {rel} \\\\",
                tex_escape(label.trim()),
                tex_escape(unit)
            );
        }
        let _ = writeln!(o, "\\bottomrule\n\\end{{tabular}}\n\\end{{table}}\n");
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str, seeds: Vec<u64>, metric: Vec<Option<f64>>) -> Folder {
        Folder {
            dir: PathBuf::from(name),
            scenario: "ward".into(),
            duration_s: 3600.0,
            warmup_s: 120.0,
            seeds,
            command_line: String::new(),
            resolved: Value::Null,
            metrics: vec![("latency_ms".into(), metric)],
        }
    }

    #[test]
    fn paired_difference_is_the_t_interval_of_the_per_replication_differences() {
        let a = folder(
            "a",
            vec![1, 2, 3, 4],
            vec![Some(10.0), Some(20.0), Some(30.0), Some(40.0)],
        );
        let b = folder(
            "b",
            vec![1, 2, 3, 4],
            vec![Some(11.0), Some(22.0), Some(31.0), Some(42.0)],
        );
        let d = &compare(&a, &b).unwrap()[0];
        assert_eq!(d.method, Method::Paired);
        // d = 1, 2, 1, 2: mean 1.5, s = 0.57735, t(3) = 3.182446.
        assert!((d.mean - 1.5).abs() < 1e-12);
        let half = 3.182446305284263 * (1.0f64 / 3.0).sqrt() / 2.0;
        assert!(
            (d.half_width.unwrap() - half).abs() < 1e-9,
            "{:?}",
            d.half_width
        );
        assert_eq!(d.df, Some(3.0));
        // The relative difference is against the baseline's mean of 25.
        let (r, h) = d.relative_percent().unwrap();
        assert!((r - 6.0).abs() < 1e-12 && (h.unwrap() - 4.0 * half).abs() < 1e-9);
    }

    #[test]
    fn welch_interval_matches_a_hand_computation_when_seeds_differ() {
        let a = folder("a", vec![1, 2, 3], vec![Some(1.0), Some(2.0), Some(3.0)]);
        let b = folder(
            "b",
            vec![7, 8, 9, 10, 11],
            vec![Some(2.0), Some(4.0), Some(6.0), Some(8.0), Some(10.0)],
        );
        let d = &compare(&a, &b).unwrap()[0];
        assert_eq!(d.method, Method::Welch);
        // x̄ = 2, s² = 1, n = 3; ȳ = 6, s² = 10, n = 5: v = 1/3 + 2 = 7/3,
        // ν = (7/3)² / ((1/3)²/2 + 2²/4) = 5.4444 / 1.05556 = 5.15789...
        assert!((d.mean - 4.0).abs() < 1e-12);
        let v: f64 = 7.0 / 3.0;
        let df = v * v / ((1.0 / 9.0) / 2.0 + 4.0 / 4.0);
        assert!((d.df.unwrap() - df).abs() < 1e-9, "{:?}", d.df);
        assert!((df - 5.157894736842105).abs() < 1e-9);
        // t₀.₉₇₅ at 5.158 df lies between the table's 2.571 (5) and 2.447 (6).
        let half = d.half_width.unwrap();
        let t = half / v.sqrt();
        assert!(t < 2.571 && t > 2.447, "t = {t}");
        assert!((half - t95(df) * v.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn undefined_replications_are_left_out_of_the_pairs() {
        let a = folder("a", vec![1, 2, 3], vec![Some(1.0), None, Some(3.0)]);
        let b = folder("b", vec![1, 2, 3], vec![Some(2.0), Some(5.0), Some(5.0)]);
        let d = &compare(&a, &b).unwrap()[0];
        assert_eq!((d.n, d.mean), (2, 1.5));
    }

    #[test]
    fn unrelated_folders_are_refused_with_the_reason() {
        let a = folder("a", vec![1], vec![Some(1.0)]);
        let mut b = folder("b", vec![1], vec![Some(1.0)]);
        b.scenario = "home".into();
        let e = compare(&a, &b).unwrap_err().to_string();
        assert!(e.contains("scenario `ward` against `home`"), "{e}");
        let mut c = folder("c", vec![1], vec![Some(1.0)]);
        c.duration_s = 7200.0;
        let e = compare(&a, &c).unwrap_err().to_string();
        assert!(
            e.contains("3600 s with 120 s of warm-up against 7200 s"),
            "{e}"
        );
    }

    #[test]
    fn differing_fields_name_the_paths_that_changed() {
        let a = serde_json::json!({"name": "ward", "defenses": [{"kind": "ble_encryption", "cipher": "aes"}], "seed": 1});
        let b = serde_json::json!({"name": "ward", "defenses": [{"kind": "ble_encryption", "cipher": "ascon"}], "seed": 1, "extra": 2});
        assert_eq!(
            differing_fields(&a, &b, 10),
            vec!["defenses[0].cipher".to_string(), "extra".to_string()]
        );
        assert!(differing_fields(&a, &a, 10).is_empty());
    }
}

/// The file names a comparison folder holds.
pub mod names {
    /// The table as CSV.
    pub const CSV: &str = "compare.csv";
    /// The tables as Markdown.
    pub const MD: &str = "compare.md";
    /// The tables as LaTeX.
    pub const TEX: &str = "compare.tex";
    /// What was compared, by which program, with every file's SHA-256.
    pub const MANIFEST: &str = "compare-manifest.json";
}

/// Every difference chart, both sizes, each of `formats`: (path relative to the folder, the
/// bytes or why they could not be drawn), in a fixed order; drawn in parallel.
pub fn draw_charts(
    comparisons: &[Comparison],
    formats: &[crate::chart::Format],
) -> Vec<(String, Result<Vec<u8>, String>)> {
    use crate::chart::difference::DifferenceChart;
    use crate::chart::{SIZES, render};
    use rayon::prelude::*;
    let jobs: Vec<(usize, crate::chart::Size, crate::chart::Format)> = (0..comparisons.len())
        .flat_map(|k| {
            SIZES
                .into_iter()
                .flat_map(move |s| formats.iter().map(move |&f| (k, s, f)))
        })
        .collect();
    jobs.par_iter()
        .map(|&(k, size, f)| {
            let chart = DifferenceChart::new(&comparisons[k].differences);
            (
                format!(
                    "{}/compare_{}{}.{}",
                    files::PLOTS,
                    k + 1,
                    size.suffix,
                    f.extension()
                ),
                render(&chart, size, f),
            )
        })
        .collect()
}

/// Writes a comparison into `dir` (which exists and is empty): compare.csv, compare.md,
/// compare.tex, the charts in `formats`, report.html (with the forest plots unless `formats`
/// is empty), and compare-manifest.json naming the folders compared
/// (with their scenario hashes and commands), the program version and every file's SHA-256.
/// Returns the paths written.
pub fn write_comparison(
    dir: &Path,
    baseline: &Folder,
    comparisons: &[Comparison],
    formats: &[crate::chart::Format],
    command_line: &str,
) -> Result<Vec<PathBuf>, crate::OutputError> {
    use crate::output::{sha256_hex, write_atomic};
    let mut out: Vec<(String, Vec<u8>)> = vec![
        (names::CSV.into(), compare_csv(baseline, comparisons)),
        (
            names::MD.into(),
            compare_md(baseline, comparisons).into_bytes(),
        ),
        (
            names::TEX.into(),
            compare_tex(baseline, comparisons).into_bytes(),
        ),
    ];
    if !formats.is_empty() {
        let plots = dir.join(files::PLOTS);
        std::fs::create_dir_all(&plots).map_err(|source| crate::OutputError::Io {
            path: plots.clone(),
            source,
        })?;
    }
    for (name, bytes) in draw_charts(comparisons, formats) {
        let bytes = bytes.map_err(|message| crate::OutputError::Chart {
            path: dir.join(&name),
            message,
        })?;
        out.push((name, bytes));
    }
    let report = crate::html::compare::compare_page(
        baseline,
        comparisons,
        !formats.is_empty(),
        command_line,
    )
    .map_err(|message| crate::OutputError::Chart {
        path: dir.join(crate::html::REPORT_HTML),
        message,
    })?;
    out.push((crate::html::REPORT_HTML.into(), report.into_bytes()));
    let folder = |f: &Folder| {
        let hash = std::fs::read(f.dir.join(files::SUMMARY_JSON))
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .map(|v| v["scenario"]["sha256"].clone())
            .unwrap_or(Value::Null);
        serde_json::json!({
            "dir": f.dir.display().to_string(),
            "scenario_sha256": hash,
            "seeds": f.seeds,
            "command_line": f.command_line,
        })
    };
    let manifest = serde_json::json!({
        "program": { "name": "iomtsim", "version": env!("CARGO_PKG_VERSION") },
        "command_line": command_line,
        "scenario": baseline.scenario,
        "baseline": folder(baseline),
        "compared": comparisons.iter().map(|c| folder(&c.other)).collect::<Vec<_>>(),
        "files": out.iter().map(|(p, b)| serde_json::json!({ "path": p, "bytes": b.len(), "sha256": sha256_hex(b) })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    text.push(b'\n');
    out.push((names::MANIFEST.into(), text));
    let mut written = Vec::new();
    for (name, bytes) in &out {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        written.push(path);
    }
    Ok(written)
}
