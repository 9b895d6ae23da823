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
use crate::raw::{RawParameter, RawSpace, RawSweep};
use crate::validate::{Problems, suggest};
use serde_yaml::Value;

/// Most points a sweep may have.
pub const MAX_POINTS: usize = 100_000;

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

/// Checks a sweep section; `default_replications` is the scenario's.
pub(crate) fn check(raw: &RawSweep, default_replications: u32) -> Result<SweepPlan, Problems> {
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
        let mut overrides = Vec::new();
        for (k, value) in &v.set {
            match k.as_str() {
                Some(path) => overrides.push(Override {
                    path: path.to_string(),
                    value: value_text(value),
                }),
                None => p.add(
                    format!("sweep.variants[{i}].set"),
                    "each key is a `--set` path, written as text",
                ),
            }
        }
        variants.push(Variant {
            name: v.name.clone(),
            overrides,
        });
    }
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
        check(&raw, 3).map_err(|p| p.0)
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
}
