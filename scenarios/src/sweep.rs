//! Sweep plans: which scenario variations `iomtsim sweep` runs.
//!
//! A plan has parameters, each a `--set` path with a list of values (explicit, a range, or
//! evenly spaced on a linear or log scale), combined as a full product (default) or zipped, and
//! optionally named variants (sets of overrides, e.g. defense configurations) as a categorical
//! dimension crossed with the parameters. Points are numbered in a fixed order — variants
//! outermost, then parameters with the last one varying fastest — so point k is the same point
//! whatever machine, thread count or shard runs it.
//!
//! Replication r of every point uses the same seed (common random numbers), so points and
//! variants are compared pairwise under identical sensor traffic.

use crate::overrides::Override;
use crate::raw::{RawLevel, RawParameter, RawSpace, RawSweep, RawVariant};
use crate::validate::{Problems, suggest};
use serde_yaml::Value;

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 100_000;

/// The metrics every run reports, in output order: the engine's, then the security layer's,
/// from their declarations (sim-core `metrics::engine::RUN`, attacks `metrics::RUN`). A sweep
/// job keeps all of them; `tests/end_to_end/sweep.rs` checks this list against a real job.
pub const RUN_METRICS: [&str; 58] = {
    use sim_core::metrics::{When, engine};
    let mut out = [""; 58];
    let (mut n, mut i) = (0, 0);
    while i < engine::RUN.len() {
        if matches!(engine::RUN[i].when, When::Always) {
            out[n] = engine::RUN[i].id;
            n += 1;
        }
        i += 1;
    }
    let mut k = 0;
    while k < attacks::metrics::RUN.len() {
        out[n] = attacks::metrics::RUN[k].id;
        n += 1;
        k += 1;
    }
    assert!(n == 58, "RUN_METRICS holds every metric every run reports");
    out
};

/// The per-replication metrics a sweep job adds to the run's: latency percentiles (from the
/// run's HDR histograms, ms) and the worst patient's exposure and monitoring gap (the most any
/// one patient suffered, where the run metrics are totals over patients), from their
/// declarations (sim-core `metrics::derived`, with the security layer's
/// `attacks::metrics::DERIVED` at `derived::HOOKS_AT`).
pub const DERIVED_METRICS: [&str; 9] = sim_core::metrics::ids(
    sim_core::metrics::derived::with_hooks(&attacks::metrics::DERIVED),
);

/// The metrics a sweep job keeps per node group (reports `GROUP_METRICS`, `groups.csv`),
/// selected as `group/metric`.
pub use sim_core::metrics::GROUP_METRICS;

/// The metrics a sweep charts and tabulates when `sweep: metrics:` is not given: the
/// headline figures of latency (mean and tail), delivery, energy and breach. This is the one
/// place the default is defined.
pub const DEFAULT_METRICS: &[&str] = &[
    "latency_ms",
    "latency_p99_ms",
    "alarm_latency_ms",
    "delivery_ratio",
    "deadline_misses",
    "lost_rejected",
    "sensor_energy_j",
    "records_exposed",
    // The battery lifetime metric (`lifetime_days`) belongs here once the runs report it.
];

/// The metrics of the medium access, reported by runs in which some radio link has a `mac:`
/// (sim-core `Simulation::finish`): packets the MAC gave up, and BLE connections lost to their
/// supervision timeout; the engine's metrics declared [`When::SomeLinkHasMac`].
///
/// [`When::SomeLinkHasMac`]: sim_core::metrics::When::SomeLinkHasMac
pub const MAC_METRICS: [&str; 3] = {
    use sim_core::metrics::{When, engine};
    let mut out = [""; 3];
    let (mut n, mut i) = (0, 0);
    while i < engine::RUN.len() {
        if matches!(engine::RUN[i].when, When::SomeLinkHasMac) {
            out[n] = engine::RUN[i].id;
            n += 1;
        }
        i += 1;
    }
    assert!(
        n == 3,
        "MAC_METRICS holds every metric of the medium access"
    );
    out
};

/// Whether `name` is a metric a sweep job reports for the whole run.
pub fn is_run_metric(name: &str) -> bool {
    RUN_METRICS.contains(&name) || DERIVED_METRICS.contains(&name) || MAC_METRICS.contains(&name)
}

/// How parameters combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// Every combination of values.
    Product,
    /// The i-th value of every parameter together (all lists equally long).
    Zip,
}

/// One swept parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Its `--set` path.
    pub path: String,
    /// Its values, as YAML.
    pub values: Vec<Value>,
}

/// A named variant.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// Its name.
    pub name: String,
    /// The overrides that define it.
    pub overrides: Vec<Override>,
}

/// A checked sweep plan.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    /// Replications per point.
    pub replications: u32,
    /// How parameters combine.
    pub combine: Combine,
    /// Parameters, in order.
    pub parameters: Vec<Parameter>,
    /// Variants, in order (empty: no categorical dimension).
    pub variants: Vec<Variant>,
    /// Index of the baseline variant.
    pub baseline: usize,
    /// The metrics to chart and tabulate (`metric` or `group/metric`).
    pub metrics: Vec<String>,
}

/// One point of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Its number, from 0, in the plan's fixed order.
    pub index: usize,
    /// Its variant, if the plan has variants.
    pub variant: Option<usize>,
    /// The value of each parameter, as YAML text.
    pub values: Vec<String>,
    /// Every override that makes this point: the variant's, then the parameters'.
    pub overrides: Vec<Override>,
}

/// A YAML value as the text an override carries (flow style on one line where possible).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "~".into(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim_end()
            .to_string(),
    }
}

fn number(x: f64, unit: &Option<String>) -> Value {
    // Keep 12 significant digits: binary noise (0.1 + 0.2, e^ln) goes, values read as written.
    let x: f64 = format!("{x:.11e}").parse().unwrap_or(x);
    match unit {
        Some(u) => Value::String(format!("{x}{u}")),
        None if x.fract() == 0.0 && x.abs() < 9e15 => Value::Number((x as i64).into()),
        None => Value::Number(x.into()),
    }
}

fn space(
    p: &mut Problems,
    path: &str,
    s: &RawSpace,
    log: bool,
    unit: &Option<String>,
) -> Vec<Value> {
    if s.count < 2 || s.count as usize > MAX_POINTS {
        p.add(
            format!("{path}.count"),
            format!("count must be 2 to {MAX_POINTS}, found {}", s.count),
        );
        return vec![];
    }
    if log && (s.from <= 0.0 || s.to <= 0.0) {
        p.add(path, "logspace needs from > 0 and to > 0");
        return vec![];
    }
    let n = s.count as usize;
    (0..n)
        .map(|i| {
            let t = i as f64 / (n - 1) as f64;
            let x = if log {
                (s.from.ln() + t * (s.to.ln() - s.from.ln())).exp()
            } else {
                s.from + t * (s.to - s.from)
            };
            number(x, unit)
        })
        .collect()
}

fn parameter(p: &mut Problems, path: &str, raw: &RawParameter) -> Option<Parameter> {
    let given = [
        raw.values.is_some(),
        raw.range.is_some(),
        raw.linspace.is_some(),
        raw.logspace.is_some(),
    ]
    .iter()
    .filter(|&&g| g)
    .count();
    if given != 1 {
        p.add(
            path,
            "give exactly one of `values`, `range`, `linspace`, `logspace`",
        );
        return None;
    }
    let values = if let Some(v) = &raw.values {
        match &raw.unit {
            None => v.clone(),
            Some(u) => v
                .iter()
                .map(|x| match x.as_f64() {
                    Some(f) => number(f, &Some(u.clone())),
                    None => x.clone(),
                })
                .collect(),
        }
    } else if let Some(r) = &raw.range {
        if r.step.is_nan() || r.step <= 0.0 || !r.from.is_finite() || !r.to.is_finite() {
            p.add(
                format!("{path}.range.step"),
                "a range needs finite bounds and a step > 0",
            );
            return None;
        }
        let n = ((r.to - r.from) / r.step + 1e-9).floor();
        if n < 0.0 || n >= MAX_POINTS as f64 {
            p.add(
                format!("{path}.range"),
                format!(
                    "the range gives {} values; 1 to {MAX_POINTS} allowed",
                    n + 1.0
                ),
            );
            return None;
        }
        (0..=n as usize)
            .map(|i| number(r.from + i as f64 * r.step, &raw.unit))
            .collect()
    } else if let Some(s) = &raw.linspace {
        space(p, &format!("{path}.linspace"), s, false, &raw.unit)
    } else if let Some(s) = &raw.logspace {
        space(p, &format!("{path}.logspace"), s, true, &raw.unit)
    } else {
        vec![]
    };
    if values.is_empty() {
        p.add(path, "a parameter needs at least one value");
        return None;
    }
    Some(Parameter {
        path: raw.path.clone(),
        values,
    })
}

/// Checks `metrics:` against the metrics jobs report and the scenario's node groups.
fn metrics(p: &mut Problems, raw: &Option<Vec<String>>, groups: &[&str]) -> Vec<String> {
    let Some(list) = raw else {
        return DEFAULT_METRICS.iter().map(|m| m.to_string()).collect();
    };
    if list.is_empty() {
        p.add(
            "sweep.metrics",
            "name at least one metric, or leave `metrics:` out for the headline metrics",
        );
    }
    let run: Vec<&str> = RUN_METRICS
        .iter()
        .chain(&DERIVED_METRICS)
        .chain(&MAC_METRICS)
        .copied()
        .collect();
    for (i, m) in list.iter().enumerate() {
        let path = format!("sweep.metrics[{i}]");
        match m.split_once('/') {
            None if is_run_metric(m) => {}
            None if GROUP_METRICS.contains(&m.as_str()) => p.add(
                path,
                format!(
                    "`{m}` is a per-group metric: write `GROUP/{m}` with one of the node groups {}",
                    groups.join(", ")
                ),
            ),
            None => p.add(path, format!("no metric called `{m}`{}", suggest(m, &run))),
            Some((g, metric)) => {
                if !groups.contains(&g) {
                    p.add(
                        &path,
                        format!("no node group called `{g}`{}", suggest(g, groups)),
                    );
                }
                if !GROUP_METRICS.contains(&metric) {
                    p.add(
                        &path,
                        format!(
                            "no per-group metric called `{metric}`{}",
                            suggest(metric, &GROUP_METRICS)
                        ),
                    );
                }
            }
        }
        if list[..i].contains(m) {
            p.add(
                format!("sweep.metrics[{i}]"),
                format!("`{m}` is listed twice"),
            );
        }
    }
    list.clone()
}

fn overrides_of(p: &mut Problems, path: &str, set: &serde_yaml::Mapping) -> Vec<Override> {
    let mut overrides = Vec::new();
    for (k, value) in set {
        match k.as_str() {
            Some(key) => overrides.push(Override {
                path: key.to_string(),
                value: value_text(value),
            }),
            None => p.add(path, "each key is a `--set` path, written as text"),
        }
    }
    overrides
}

/// Expands `factors:` into their levels, each a (name, overrides), in the order written.
fn factors(p: &mut Problems, raw: &Option<serde_yaml::Mapping>) -> Vec<(String, Vec<Variant>)> {
    let Some(map) = raw else {
        return Vec::new();
    };
    if map.is_empty() {
        p.add(
            "sweep.factors",
            "name at least one factor, or leave `factors:` out",
        );
    }
    let mut out = Vec::new();
    for (k, v) in map {
        let Some(name) = k.as_str() else {
            p.add("sweep.factors", "each factor's name is text");
            continue;
        };
        let path = format!("sweep.factors.{name}");
        crate::validate::check_identifier(p, &path, "factor", name);
        let levels: Vec<RawLevel> = match serde_yaml::from_value(v.clone()) {
            Ok(l) => l,
            Err(_) => {
                p.add(
                    &path,
                    "a factor is a list of levels, each a name or `{ name, set }`",
                );
                continue;
            }
        };
        if levels.len() < 2 {
            p.add(
                &path,
                format!("a factor needs at least two levels, found {}", levels.len()),
            );
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (i, level) in levels.iter().enumerate() {
            let lpath = format!("{path}[{i}]");
            let (lname, set) = match level {
                RawLevel::Name(n) => (n.clone(), serde_yaml::Mapping::new()),
                RawLevel::Set(RawVariant { name, set }) => (name.clone(), set.clone()),
            };
            crate::validate::check_identifier(p, &lpath, "level", &lname);
            if variants.iter().any(|v| v.name == lname) {
                p.add(&lpath, format!("the level `{lname}` is used twice"));
            }
            variants.push(Variant {
                name: lname,
                overrides: overrides_of(p, &format!("{lpath}.set"), &set),
            });
        }
        out.push((name.to_string(), variants));
    }
    out
}

/// The variants of `variants:` crossed with the factors' levels, the first dimension
/// outermost: names joined by `_`, each factor's level written `factor-level`; overrides in the
/// same order.
fn cross(variants: Vec<Variant>, factors: &[(String, Vec<Variant>)]) -> Vec<Variant> {
    let mut out = variants;
    for (factor, levels) in factors {
        let base = if out.is_empty() {
            vec![Variant {
                name: String::new(),
                overrides: Vec::new(),
            }]
        } else {
            out
        };
        out = base
            .iter()
            .flat_map(|b| {
                levels.iter().map(move |l| {
                    let part = format!("{factor}-{}", l.name);
                    Variant {
                        name: if b.name.is_empty() {
                            part
                        } else {
                            format!("{}_{part}", b.name)
                        },
                        overrides: b.overrides.iter().chain(&l.overrides).cloned().collect(),
                    }
                })
            })
            .collect();
    }
    out
}

/// Checks a sweep section; `default_replications` is the scenario's, `groups` its node
/// groups' names (for `group/metric` in `metrics:`).
pub(crate) fn check(
    raw: &RawSweep,
    default_replications: u32,
    groups: &[&str],
) -> Result<SweepPlan, Problems> {
    let mut p = Problems::default();
    let combine = match raw.combine.as_deref() {
        None | Some("product") => Combine::Product,
        Some("zip") => Combine::Zip,
        Some(other) => {
            p.add(
                "sweep.combine",
                format!(
                    "no way to combine called `{other}`{}",
                    suggest(other, &["product", "zip"])
                ),
            );
            Combine::Product
        }
    };
    let parameters: Vec<Parameter> = raw
        .parameters
        .iter()
        .enumerate()
        .filter_map(|(i, r)| parameter(&mut p, &format!("sweep.parameters[{i}]"), r))
        .collect();
    if combine == Combine::Zip
        && parameters
            .windows(2)
            .any(|w| w[0].values.len() != w[1].values.len())
    {
        let lens: Vec<String> = parameters
            .iter()
            .map(|x| x.values.len().to_string())
            .collect();
        p.add(
            "sweep.combine",
            format!(
                "`zip` needs equally many values per parameter, found {}",
                lens.join(", ")
            ),
        );
    }
    let mut variants = Vec::new();
    for (i, v) in raw.variants.iter().enumerate() {
        crate::validate::check_identifier(
            &mut p,
            &format!("sweep.variants[{i}].name"),
            "variant",
            &v.name,
        );
        if raw.variants[..i].iter().any(|o| o.name == v.name) {
            p.add(
                format!("sweep.variants[{i}].name"),
                format!("the variant name `{}` is used twice", v.name),
            );
        }
        let overrides = overrides_of(&mut p, &format!("sweep.variants[{i}].set"), &v.set);
        variants.push(Variant {
            name: v.name.clone(),
            overrides,
        });
    }
    let factors = factors(&mut p, &raw.factors);
    let variants = cross(variants, &factors);
    if variants
        .iter()
        .any(|v| v.name.len() > crate::validate::MAX_NAME_LEN)
    {
        p.add(
            "sweep.factors",
            format!(
                "the variant names the factors make pass {} characters; shorten the factor or level names",
                crate::validate::MAX_NAME_LEN
            ),
        );
    }
    let metrics = metrics(&mut p, &raw.metrics, groups);
    let baseline = match &raw.baseline {
        None => 0,
        Some(b) => match variants.iter().position(|v| &v.name == b) {
            Some(i) => i,
            None => {
                let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
                p.add(
                    "sweep.baseline",
                    format!("no variant named `{b}`{}", suggest(b, &names)),
                );
                0
            }
        },
    };
    let replications = raw.replications.unwrap_or(default_replications);
    if replications == 0 {
        p.add(
            "sweep.replications",
            "at least 1 replication per point is needed",
        );
    }
    let plan = SweepPlan {
        replications,
        combine,
        parameters,
        variants,
        baseline,
        metrics,
    };
    if plan.point_count() > MAX_POINTS {
        p.add(
            "sweep",
            format!(
                "the plan has {} points; at most {MAX_POINTS}",
                plan.point_count()
            ),
        );
    }
    if p.0.is_empty() { Ok(plan) } else { Err(p) }
}

impl SweepPlan {
    fn combinations(&self) -> usize {
        match self.combine {
            _ if self.parameters.is_empty() => 1,
            Combine::Zip => self.parameters[0].values.len(),
            Combine::Product => self
                .parameters
                .iter()
                .map(|p| p.values.len())
                .try_fold(1usize, |a, n| a.checked_mul(n))
                .unwrap_or(usize::MAX),
        }
    }

    /// Number of points.
    pub fn point_count(&self) -> usize {
        self.combinations()
            .saturating_mul(self.variants.len().max(1))
    }

    /// Point `index` (variants outermost, the last parameter fastest).
    pub fn point(&self, index: usize) -> Point {
        let combos = self.combinations();
        let (variant, mut k) = if self.variants.is_empty() {
            (None, index)
        } else {
            (Some(index / combos), index % combos)
        };
        let mut chosen = vec![0usize; self.parameters.len()];
        match self.combine {
            Combine::Zip => chosen.iter_mut().for_each(|c| *c = k),
            Combine::Product => {
                for (i, p) in self.parameters.iter().enumerate().rev() {
                    chosen[i] = k % p.values.len();
                    k /= p.values.len();
                }
            }
        }
        let mut overrides: Vec<Override> = variant
            .map(|v| self.variants[v].overrides.clone())
            .unwrap_or_default();
        let mut values = Vec::new();
        for (p, &c) in self.parameters.iter().zip(&chosen) {
            let text = value_text(&p.values[c]);
            overrides.push(Override {
                path: p.path.clone(),
                value: text.clone(),
            });
            values.push(text);
        }
        Point {
            index,
            variant,
            values,
            overrides,
        }
    }

    /// Every point, in order.
    pub fn points(&self) -> impl Iterator<Item = Point> + '_ {
        (0..self.point_count()).map(|i| self.point(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(yaml: &str) -> Result<SweepPlan, Vec<(String, String)>> {
        let raw: RawSweep = serde_yaml::from_str(yaml).unwrap();
        check(&raw, 3, &["sensors", "hub"]).map_err(|p| p.0)
    }

    #[test]
    fn product_of_parameters_crossed_with_variants_in_a_fixed_order() {
        let p = plan(
            "parameters:\n  - { path: a, values: [1, 2] }\n  - { path: b, range: { from: 10, to: 30, step: 10 } }\nvariants:\n  - { name: none }\n  - { name: aead, set: { defenses.x.cipher: ascon128 } }\nbaseline: none\n",
        )
        .unwrap();
        assert_eq!(p.point_count(), 12);
        assert_eq!(p.replications, 3);
        let pts: Vec<Point> = p.points().collect();
        assert_eq!(pts[0].values, ["1", "10"]);
        assert_eq!(pts[1].values, ["1", "20"]);
        assert_eq!(pts[3].values, ["2", "10"]);
        assert_eq!(pts[6].variant, Some(1));
        assert_eq!(
            pts[6].overrides[0].to_string(),
            "defenses.x.cipher=ascon128"
        );
        assert_eq!(pts[11].overrides[2].to_string(), "b=30");
    }

    #[test]
    fn spaces_zip_and_units() {
        let p = plan(
            "combine: zip\nparameters:\n  - { path: a, linspace: { from: 0, to: 1, count: 5 } }\n  - { path: b, logspace: { from: 1, to: 10000, count: 5 }, unit: ms }\n",
        )
        .unwrap();
        assert_eq!(p.point_count(), 5);
        let last = p.point(4);
        assert_eq!(last.values, ["1", "10000ms"]);
        assert_eq!(p.point(1).values, ["0.25", "10ms"]);
    }

    #[test]
    fn bad_plans_name_the_field() {
        let e =
            plan("parameters:\n  - { path: a, values: [1], range: { from: 0, to: 1, step: 1 } }\n")
                .unwrap_err();
        assert_eq!(e[0].0, "sweep.parameters[0]");
        let e = plan("combine: zip\nparameters:\n  - { path: a, values: [1, 2] }\n  - { path: b, values: [1] }\n").unwrap_err();
        assert!(e[0].1.contains("equally many"));
        let e = plan("variants:\n  - { name: a }\nbaseline: b\n").unwrap_err();
        assert_eq!(e[0].0, "sweep.baseline");
        let e =
            plan("parameters:\n  - { path: a, range: { from: 0, to: 1, step: 0 } }\n").unwrap_err();
        assert!(e[0].1.contains("step > 0"));
    }

    #[test]
    fn factors_multiply_into_named_variants_with_their_overrides_in_order() {
        let p = plan(
            "parameters:\n  - { path: a, values: [1, 2] }\nfactors:\n  e2e:\n    - off\n    - { name: on, set: { defenses.e2e.enabled: true } }\n  ids: [off, { name: on, set: { defenses.ids.enabled: true } }]\nbaseline: e2e-off_ids-off\n",
        )
        .unwrap();
        let names: Vec<&str> = p.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "e2e-off_ids-off",
                "e2e-off_ids-on",
                "e2e-on_ids-off",
                "e2e-on_ids-on"
            ]
        );
        assert_eq!(p.point_count(), 8);
        let both: Vec<String> = p.variants[3]
            .overrides
            .iter()
            .map(|o| o.to_string())
            .collect();
        assert_eq!(
            both,
            ["defenses.e2e.enabled=true", "defenses.ids.enabled=true"]
        );
        assert!(p.variants[0].overrides.is_empty());
        assert_eq!(
            p.variants[1].overrides[0].to_string(),
            "defenses.ids.enabled=true"
        );
        // Point 5: variant 2 (e2e on, ids off), a = 2.
        let pt = p.point(5);
        assert_eq!(pt.variant, Some(2));
        let o: Vec<String> = pt.overrides.iter().map(|o| o.to_string()).collect();
        assert_eq!(o, ["defenses.e2e.enabled=true", "a=2"]);
        // Crossed with `variants:`, the variants come outermost.
        let q = plan("variants:\n  - { name: wifi }\n  - { name: ble, set: { x: 1 } }\nfactors:\n  ids: [off, { name: on, set: { y: 2 } }]\n").unwrap();
        let names: Vec<&str> = q.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names,
            ["wifi_ids-off", "wifi_ids-on", "ble_ids-off", "ble_ids-on"]
        );
        let o: Vec<String> = q.variants[3]
            .overrides
            .iter()
            .map(|o| o.to_string())
            .collect();
        assert_eq!(o, ["x=1", "y=2"]);
    }

    #[test]
    fn bad_factors_name_the_field() {
        let e = plan("factors:\n  ids: [off]\n").unwrap_err();
        assert_eq!(e[0].0, "sweep.factors.ids");
        assert!(e[0].1.contains("two levels"), "{e:?}");
        let e = plan("factors:\n  ids: [off, off]\n").unwrap_err();
        assert_eq!(e[0].0, "sweep.factors.ids[1]");
        let e = plan("factors:\n  ids: 3\n").unwrap_err();
        assert!(e[0].1.contains("list of levels"), "{e:?}");
    }

    #[test]
    fn metrics_default_to_the_headline_list_and_unknown_names_get_a_suggestion() {
        let p = plan("parameters:\n  - { path: a, values: [1, 2] }\n").unwrap();
        assert_eq!(p.metrics, DEFAULT_METRICS);
        assert!(p.metrics.iter().any(|m| m == "latency_p99_ms"));
        assert!(DEFAULT_METRICS.iter().all(|m| is_run_metric(m)));
        let p = plan("metrics: [delivery_ratio, sensors/energy_per_node_j]\n").unwrap();
        assert_eq!(p.metrics, ["delivery_ratio", "sensors/energy_per_node_j"]);
        let e = plan("metrics: [latency_p99_ms, latncy_p99_ms]\n").unwrap_err();
        assert_eq!(e[0].0, "sweep.metrics[1]");
        assert!(e[0].1.contains("did you mean `latency_p99_ms`"), "{e:?}");
        let e = plan("metrics: [sensor/energy_per_nod_j]\n").unwrap_err();
        assert!(e[0].1.contains("did you mean `sensors`"), "{e:?}");
        assert!(e[1].1.contains("did you mean `energy_per_node_j`"), "{e:?}");
        let e = plan("metrics: [energy_per_node_j]\n").unwrap_err();
        assert!(e[0].1.contains("GROUP/energy_per_node_j"), "{e:?}");
        let e = plan("metrics: [records_exposed, records_exposed]\n").unwrap_err();
        assert!(e[0].1.contains("twice"), "{e:?}");
    }
}
