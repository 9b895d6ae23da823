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
mod charts;
mod job;
mod summary;
mod table;
pub use charts::*;
pub use job::*;
pub use summary::*;
pub use table::*;

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

#[cfg(test)]
/// Jobs and layouts shared by the tests of the sweep's modules.
pub(crate) mod fixtures {
    use super::*;

    pub(crate) fn expect() -> JobExpect {
        JobExpect {
            scenario_sha256: "h".into(),
            base_seed: 7,
        }
    }

    pub(crate) fn job(
        point: usize,
        replication: u32,
        metrics: Vec<(String, Option<f64>)>,
    ) -> JobResult {
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

    pub(crate) fn layout() -> Layout {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixtures::*;

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
