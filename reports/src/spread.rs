//! Replications that disagree more than their confidence interval suggests.
//!
//! A Student-t interval assumes the replications scatter around one mean. Two shapes break
//! that and make a mean ± CI mislead: **two clusters** (some replications end in one regime
//! and the rest in another: a fog node reimaged early or not at all, an epidemic that takes off
//! or dies out), and **one outlier** (a single replication far from the others). Both call for
//! more replications (and a look at `runs.csv`) before the mean is quoted.
//!
//! The checks, on the replications' values of each metric in [`CHECKED`], with n ≥ 4:
//!
//! - *Two clusters*: sort the values and split them at the widest gap between neighbours. The
//!   metric is bimodal if each side holds at least two replications, the gap exceeds 10 × the
//!   pooled standard deviation within the sides, and it exceeds 25 % of the overall |mean|.
//! - *Outlier*: the smallest or largest replication lies more than 4 standard deviations of
//!   the others from the others' mean, and more than 25 % of their |mean| away. When the
//!   others are all equal there is no spread to measure against and nothing is said.
//! - For counts (every value a whole number), the spread within a group is taken as at least
//!   √mean, the Poisson noise of a count: 12, 13, 13, 20, 20 deadline misses are one Poisson
//!   population, not two, and 0, 0, 0, 1, 1 compromised nodes is a rate of 0.4, not two regimes.
//!
//! The thresholds are conventions, set wide because five replications say little about the
//! shape of a distribution: a warning must mean that the mean describes no replication. Five
//! replications of the previous release's hospital example, whose delivery ratio split into
//! 0.45–0.48 and 0.97–0.98, are flagged; the ward, home, implant and insulin examples' figures
//! are not (tests below).

use crate::aggregate::Aggregate;
use crate::tables::metric_label;

/// The metrics checked: the headline metrics of a run.
pub const CHECKED: [&str; 12] = crate::HEADLINE;

/// One group of replications.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Replication indices, ascending.
    pub replications: Vec<usize>,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// How the replications disagree.
#[derive(Clone, Debug, PartialEq)]
pub enum Disagreement {
    /// Two groups far apart.
    TwoClusters {
        /// The lower group.
        low: Cluster,
        /// The upper group.
        high: Cluster,
    },
    /// One replication far from the others.
    Outlier {
        /// Its index.
        replication: usize,
        /// Its value.
        value: f64,
        /// The others' mean.
        others_mean: f64,
        /// The others' standard deviation.
        others_sd: f64,
    },
}

/// A metric whose replications disagree.
#[derive(Clone, Debug, PartialEq)]
pub struct SpreadWarning {
    /// The metric.
    pub metric: &'static str,
    /// How.
    pub disagreement: Disagreement,
}

fn g(x: f64) -> String {
    crate::chart::sig(x, 4)
}

impl SpreadWarning {
    /// The warning as a sentence, with the advice.
    pub fn text(&self) -> String {
        let label = metric_label(self.metric).0;
        let label = label.trim();
        match &self.disagreement {
            Disagreement::TwoClusters { low, high } => format!(
                "{} (`{}`): the replications fall into two groups, {} of them at {}–{} and {} at \
                 {}–{}; the mean and its interval describe neither. Look at runs.csv and add \
                 replications (--replications or --precision) before quoting the mean",
                label,
                self.metric,
                low.replications.len(),
                g(low.min),
                g(low.max),
                high.replications.len(),
                g(high.min),
                g(high.max)
            ),
            Disagreement::Outlier {
                replication,
                value,
                others_mean,
                others_sd,
            } => format!(
                "{} (`{}`): replication {} gives {}, {:.1} standard deviations from the others' \
                 mean {}; add replications (--replications or --precision) before quoting the mean",
                label,
                self.metric,
                replication,
                g(*value),
                (value - others_mean).abs() / others_sd,
                g(*others_mean)
            ),
        }
    }

    /// The kind's name in summary.json: `two_clusters` or `outlier`.
    pub fn kind(&self) -> &'static str {
        match self.disagreement {
            Disagreement::TwoClusters { .. } => "two_clusters",
            Disagreement::Outlier { .. } => "outlier",
        }
    }
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = if xs.len() > 1 {
        xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (m, var.sqrt())
}

/// How the defined values of one metric (by replication) disagree, if they do.
pub fn disagreement(values: &[Option<f64>]) -> Option<Disagreement> {
    let mut xs: Vec<(f64, usize)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|x| x.is_finite()).map(|x| (x, i)))
        .collect();
    let n = xs.len();
    if n < 4 {
        return None;
    }
    xs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let all: Vec<f64> = xs.iter().map(|p| p.0).collect();
    let (mean, _) = mean_sd(&all);
    // Counts scatter by at least their Poisson noise.
    let floor = if all.iter().all(|x| x.fract() == 0.0) {
        mean.abs().sqrt()
    } else {
        0.0
    };
    let matters = |d: f64, around: f64| d > 0.25 * around.abs() && d > 0.0;
    // Two clusters, split at the widest gap.
    let (cut, gap) = (1..n)
        .map(|k| (k, all[k] - all[k - 1]))
        .fold((0, 0.0), |best, c| if c.1 > best.1 { c } else { best });
    if cut >= 2 && n - cut >= 2 {
        let (lo, hi) = (&all[..cut], &all[cut..]);
        let (_, s_lo) = mean_sd(lo);
        let (_, s_hi) = mean_sd(hi);
        let pooled = (((lo.len() - 1) as f64 * s_lo * s_lo + (hi.len() - 1) as f64 * s_hi * s_hi)
            / (n - 2) as f64)
            .sqrt()
            .max(floor);
        if gap > 10.0 * pooled && matters(gap, mean) {
            let cluster = |part: &[(f64, usize)]| {
                let mut replications: Vec<usize> = part.iter().map(|p| p.1).collect();
                replications.sort_unstable();
                Cluster {
                    replications,
                    min: part[0].0,
                    max: part[part.len() - 1].0,
                }
            };
            return Some(Disagreement::TwoClusters {
                low: cluster(&xs[..cut]),
                high: cluster(&xs[cut..]),
            });
        }
    }
    // One outlier: the most extreme value against the rest.
    [0, n - 1].into_iter().find_map(|k| {
        let others: Vec<f64> = all
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != k)
            .map(|(_, x)| *x)
            .collect();
        let (m, s) = mean_sd(&others);
        let d = (all[k] - m).abs();
        (s > 0.0 && d > 4.0 * s.max(floor) && matters(d, m)).then(|| Disagreement::Outlier {
            replication: xs[k].1,
            value: all[k],
            others_mean: m,
            others_sd: s,
        })
    })
}

/// The warnings of a run, in [`CHECKED`] order.
pub fn spread_warnings(agg: &Aggregate) -> Vec<SpreadWarning> {
    CHECKED
        .iter()
        .filter_map(|&name| {
            let m = agg.metric(name)?;
            disagreement(&m.values).map(|d| SpreadWarning {
                metric: name,
                disagreement: d,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(xs: &[f64]) -> Vec<Option<f64>> {
        xs.iter().map(|&x| Some(x)).collect()
    }

    #[test]
    fn the_hospitals_two_regimes_are_flagged() {
        // Delivery ratio of the five replications of the previous release's hospital example.
        let d = disagreement(&some(&[0.4782, 0.4539, 0.984, 0.9712, 0.9841])).unwrap();
        match d {
            Disagreement::TwoClusters { low, high } => {
                assert_eq!(low.replications, vec![0, 1]);
                assert_eq!(high.replications, vec![2, 3, 4]);
                assert_eq!((low.min, high.max), (0.4539, 0.9841));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tight_replications_and_rare_events_are_not_flagged() {
        // The ward's delivery ratio: a spread of 4e-4 with no gap that matters.
        assert_eq!(
            disagreement(&some(&[0.9968, 0.9969, 0.9972, 0.9969, 0.9971])),
            None
        );
        // One deadline miss in five replications: the others have no spread to measure by.
        assert_eq!(disagreement(&some(&[0.0, 0.0, 1.0, 0.0, 0.0])), None);
        // Counts within their Poisson noise (the insulin example's deadline misses; the
        // ward's compromised nodes).
        assert_eq!(disagreement(&some(&[12.0, 13.0, 13.0, 20.0, 20.0])), None);
        assert_eq!(disagreement(&some(&[0.0, 0.0, 0.0, 1.0, 1.0])), None);
        // The hospital's deadline misses are two regimes even as counts.
        assert!(disagreement(&some(&[2.0, 3.0, 3.0, 57.0, 65.0])).is_some());
        // A spread that is tight against the gap but small against the mean (the implant's
        // delivery ratio: 0.9981 or 1).
        assert_eq!(
            disagreement(&some(&[0.99805, 0.99808, 0.99811, 1.0, 1.0])),
            None
        );
        // Too few replications to say anything.
        assert_eq!(disagreement(&some(&[1.0, 50.0, 100.0])), None);
        // Undefined values are left out.
        assert_eq!(disagreement(&[Some(1.0), None, Some(1.1), None]), None);
    }

    #[test]
    fn one_far_replication_is_an_outlier() {
        let d = disagreement(&some(&[10.0, 10.2, 9.9, 10.1, 10.0, 30.0])).unwrap();
        // 30 against 10.04 ± 0.11: far beyond 4 SD and 25 %.
        match d {
            Disagreement::Outlier {
                replication, value, ..
            } => assert_eq!((replication, value), (5, 30.0)),
            other => panic!("{other:?}"),
        }
        let w = SpreadWarning {
            metric: "latency_ms",
            disagreement: disagreement(&some(&[10.0, 10.2, 9.9, 10.1, 10.0, 30.0])).unwrap(),
        };
        assert!(w.text().contains("replication 5 gives 30"), "{}", w.text());
        // The same far value, but within 25 % of the others' mean, does not matter.
        assert_eq!(
            disagreement(&some(&[1000.0, 1000.2, 999.9, 1000.1, 1000.0, 1200.0])),
            None
        );
    }
}
