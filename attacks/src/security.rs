//! The security layer: a scenario's attacks and defenses, plugged into the engine as its hooks.

use crate::spec::{AttackSpec, DefenseSpec};
use sim_core::{Hooks, Model, Scalar};

/// Cost of one exposed healthcare record, USD: IBM/Ponemon 2018 via hipaaguide.net
/// (parameters.md §F).
pub const COST_PER_RECORD_USD: f64 = 408.0;

/// The attacks and defenses of a scenario, independent of any replication.
#[derive(Clone, Debug)]
pub struct SecuritySpec {
    /// The attacks, in scenario order (an attack's `after` points earlier in this list).
    pub attacks: Vec<AttackSpec>,
    /// The defenses, in scenario order.
    pub defenses: Vec<DefenseSpec>,
    /// Cost of one exposed record, USD, for `breach_cost_usd`.
    pub cost_per_record: f64,
}

impl Default for SecuritySpec {
    fn default() -> Self {
        SecuritySpec {
            attacks: Vec::new(),
            defenses: Vec::new(),
            cost_per_record: COST_PER_RECORD_USD,
        }
    }
}

impl SecuritySpec {
    /// The hooks for one replication of `model` under master seed `seed`.
    pub fn instantiate(&self, model: &Model, seed: u64) -> SecurityLayer {
        let _ = (model, seed);
        SecurityLayer {}
    }
}

/// A replication's security state; implements [`Hooks`].
#[derive(Debug)]
pub struct SecurityLayer {}

impl Hooks for SecurityLayer {
    fn report(&self, out: &mut Vec<Scalar>) {
        out.push(("records_exposed", Some(0.0)));
    }
}
