//! `run --precision REL`: add replications until the named metrics are known to a relative
//! precision — the sequential procedure of OMNeT++'s Akaroa users (Law & Kelton, *Simulation
//! Modeling and Analysis*, §9.4.1, "relative precision").
//!
//! After each batch, a metric is precise enough when the half-width h of its 95 % interval is
//! at most REL × |mean| (a metric whose mean is 0 when h is 0 too). While one is not, the run
//! grows to the count its interval asks for, h ∝ 1/√n: n' = ⌈n · (h / (REL·|mean|))²⌉, at least
//! n + 2 and at most 4n (a noisy first estimate must not ask for a thousand replications at
//! once), never beyond the maximum. The decision depends on the replications' values only,
//! never on the thread count, so the outputs stay byte-identical whatever `--jobs` is.

use reports::stats::Summary;

pub use scenarios::Precision;

/// What to do after a batch.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Every metric is precise enough.
    Done,
    /// Run up to this many replications in all.
    More(u32),
    /// The maximum is reached and these metrics are not precise enough.
    Exhausted(Vec<String>),
}

fn precise(s: &Summary, relative: f64) -> bool {
    match s.ci95_half_width {
        Some(h) if s.mean == 0.0 => h == 0.0,
        Some(h) => h <= relative * s.mean.abs(),
        None => false,
    }
}

/// The verdict after `n` replications, from each metric's summary so far (`None`: never
/// defined, which no number of replications will change, so it does not hold the run back).
pub fn verdict(p: &Precision, n: u32, summary: impl Fn(&str) -> Option<Summary>) -> Verdict {
    let mut wanted = n;
    let mut short = Vec::new();
    for m in &p.metrics {
        let Some(s) = summary(m) else { continue };
        if precise(&s, p.relative) {
            continue;
        }
        short.push(m.clone());
        let asked = match s.ci95_half_width {
            Some(h) if s.mean != 0.0 => {
                let ratio = h / (p.relative * s.mean.abs());
                (f64::from(n) * ratio * ratio)
                    .ceil()
                    .min(f64::from(u32::MAX)) as u32
            }
            _ => u32::MAX,
        };
        wanted = wanted.max(asked);
    }
    if short.is_empty() {
        return Verdict::Done;
    }
    if n >= p.max_replications {
        return Verdict::Exhausted(short);
    }
    let next = wanted
        .clamp(n.saturating_add(2), n.saturating_mul(4).max(n + 2))
        .min(p.max_replications);
    Verdict::More(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reports::stats::summarise;

    fn p(relative: f64) -> Precision {
        Precision {
            relative,
            metrics: vec!["x".into()],
            max_replications: 100,
        }
    }

    fn of(xs: &[f64]) -> Summary {
        summarise(&xs.iter().map(|&x| Some(x)).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn a_precise_metric_stops_the_run() {
        let s = of(&[10.0, 10.1, 9.9, 10.0, 10.0]);
        // h = 2.776 · 0.0707 / √5 = 0.0878: 0.88 % of the mean.
        assert_eq!(verdict(&p(0.01), 5, |_| Some(s.clone())), Verdict::Done);
        assert!(matches!(
            verdict(&p(0.005), 5, |_| Some(s.clone())),
            Verdict::More(_)
        ));
    }

    #[test]
    fn the_next_count_follows_the_square_law_within_its_bounds() {
        let s = of(&[10.0, 10.1, 9.9, 10.0, 10.0]);
        let h = s.ci95_half_width.unwrap();
        // Half the target: (h / (REL·10))² · 5 replications.
        let rel = h / 10.0 / 1.5;
        assert_eq!(verdict(&p(rel), 5, |_| Some(s.clone())), Verdict::More(12)); // ⌈5 · 2.25⌉
        // Far off: at most four times as many.
        assert_eq!(
            verdict(&p(rel / 10.0), 5, |_| Some(s.clone())),
            Verdict::More(20)
        );
        // Just off: at least two more.
        assert_eq!(
            verdict(&p(h / 10.0 * 0.99), 5, |_| Some(s.clone())),
            Verdict::More(7)
        );
        // Never past the maximum, and at the maximum the run stops and says which fell short.
        let mut q = p(rel / 10.0);
        q.max_replications = 8;
        assert_eq!(verdict(&q, 5, |_| Some(s.clone())), Verdict::More(8));
        assert_eq!(
            verdict(&q, 8, |_| Some(s.clone())),
            Verdict::Exhausted(vec!["x".into()])
        );
    }

    #[test]
    fn zero_means_and_undefined_metrics() {
        // All zero: precise. Zero mean with spread: never precise, so the run goes on.
        assert_eq!(
            verdict(&p(0.01), 3, |_| Some(of(&[0.0, 0.0, 0.0]))),
            Verdict::Done
        );
        assert_eq!(
            verdict(&p(0.01), 3, |_| Some(of(&[-1.0, 0.0, 1.0]))),
            Verdict::More(12)
        );
        // Never defined: nothing to wait for.
        assert_eq!(verdict(&p(0.01), 3, |_| None), Verdict::Done);
    }
}
