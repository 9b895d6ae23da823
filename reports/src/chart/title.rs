//! Axis titles of the run charts, read from the declaration of the metric each axis plots
//! ([`sim_core::metrics::Metric`]): the quantity its label names and the unit its values are
//! shown in. A unit may be shown scaled so that the ticks read well (a fraction in per cent,
//! joules in kJ, J, mJ or µJ); counts read `count` (the label already names what is counted).

use super::energy::{component_name, joule_unit};
use sim_core::metrics::{Metric, Unit};

/// How an axis shows a metric's values: each declared value divided by `div`, in `symbol`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shown {
    /// Divisor from the declared unit to the shown one (`0.01` shows a fraction in %).
    pub div: f64,
    /// The shown unit, as the title prints it.
    pub symbol: &'static str,
}

impl Shown {
    /// The way to show values of `unit` reaching up to `max` (in the declared unit): a
    /// fraction in %, joules scaled by [`joule_unit`], counts as `count`, any other unit as
    /// declared.
    pub fn of(unit: Unit, max: f64) -> Shown {
        match unit {
            Unit::Fraction => Shown {
                div: 0.01,
                symbol: "%",
            },
            Unit::J => {
                let (div, symbol) = joule_unit(max);
                Shown { div, symbol }
            }
            u if u.is_count() => Shown {
                div: 1.0,
                symbol: "count",
            },
            u => Shown {
                div: 1.0,
                symbol: u.symbol(),
            },
        }
    }
}

/// The quantity a metric's label names, without the statistic after a comma (`, mean`,
/// `, lowest`) or a remark in parentheses (`(distinct)`), lower case unless it opens with
/// an acronym: `End-to-end latency, mean` → `end-to-end latency`.
pub fn quantity(m: &Metric) -> String {
    let cut = [", ", " ("]
        .iter()
        .filter_map(|s| m.label.find(s))
        .min()
        .unwrap_or(m.label.len());
    let head = Metric {
        label: m.label[..cut].trim(),
        ..*m
    };
    component_name(&head)
}

/// The title of an axis plotting metric `m` shown as `shown`, with an optional `note` after
/// the unit (`log scale`, `mean`): `quantity (unit)` or `quantity (unit, note)`.
pub fn axis_title(m: &Metric, shown: Shown, note: Option<&str>) -> String {
    let q = quantity(m);
    match note {
        Some(n) => format!("{q} ({}, {n})", shown.symbol),
        None => format!("{q} ({})", shown.symbol),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim_core::metrics::engine;

    #[test]
    fn a_title_is_the_declared_label_and_unit() {
        let m = &engine::LATENCY_MS;
        let t = axis_title(m, Shown::of(m.unit, 50.0), None);
        assert_eq!(t, "end-to-end latency (ms)");
        assert_eq!(t, format!("end-to-end latency ({})", m.unit.symbol()));
        let log = axis_title(m, Shown::of(m.unit, 50.0), Some("log scale"));
        assert_eq!(log, "end-to-end latency (ms, log scale)");
    }

    #[test]
    fn shown_units_scale_the_declared_ones() {
        assert_eq!(Shown::of(Unit::Fraction, 1.0).div, 0.01);
        assert_eq!(Shown::of(Unit::J, 2500.0).symbol, "kJ");
        assert_eq!(Shown::of(Unit::J, 2500.0).div, 1e3);
        assert_eq!(Shown::of(Unit::J, 0.5).symbol, "mJ");
        assert_eq!(Shown::of(Unit::Records, 9.0).symbol, "count");
        assert_eq!(Shown::of(Unit::S, 9.0).symbol, "s");
        let e = &engine::GROUP_ENERGY_PER_NODE_J;
        assert_eq!(
            axis_title(e, Shown::of(e.unit, 2500.0), None),
            "energy per node (kJ)"
        );
    }

    #[test]
    fn the_quantity_drops_the_statistic_and_remarks_but_keeps_acronyms() {
        let m = |label| Metric {
            label,
            ..engine::LATENCY_MS
        };
        assert_eq!(quantity(&m("Battery left, lowest")), "battery left");
        assert_eq!(
            quantity(&m("Records exposed (distinct)")),
            "records exposed"
        );
        assert_eq!(quantity(&m("CPU energy")), "CPU energy");
        assert_eq!(quantity(&m("Energy per node")), "energy per node");
    }
}
