//! # attacks — what threatens an IoMT deployment and what protects it
//!
//! Attack models ([`attack`]) and defense models ([`defense`]), one module per kind, and the
//! rules by which they meet, written once in [`rules`]. Each kind's module holds its catalogue
//! entry (threat tags, parameters with defaults and sources, see [`catalogue`]), its typed
//! parameters and its behaviour; the registry in [`attack`] and in [`defense`] is the only list
//! of kinds. [`spec`] holds a scenario's configured attacks and defenses; the
//! [`security::SecurityLayer`] plugs them into the engine as its [`sim_core::Hooks`]: it sees
//! every packet crossing every link, prices its protection (bytes on the wire, CPU cycles),
//! decides its fate (jammed, altered, rejected) and counts what each attack achieves.
//! `attacks/README.md` shows how to add an attack.

#![warn(missing_docs)]

/// Defines a registry of kinds, the only list of them: one `Variant => module` line per kind
/// makes the enum (variants in this order), the catalogue (each module's `INFO`), the
/// constructor `model` (each module's `Model::new`, reading the kind's parameters once) and a
/// test that every entry sits at its kind and that every parameter it declares is read by its
/// model or, for the parameters every kind has, by the registry's `shared_params`.
macro_rules! registry {
    (
        $(#[$enum_doc:meta])* enum $enum:ident;
        $(#[$list_doc:meta])* const $list:ident: $info:ty;
        trait $model:ident;
        $($kind:ident => $module:ident,)*
    ) => {
        $(pub mod $module;)*

        $(#[$enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(missing_docs)] // each variant is documented by its catalogue entry
        pub enum $enum {
            $($kind,)*
        }

        $(#[$list_doc])*
        pub const $list: &[$info] = &[$($module::INFO,)*];

        /// The model of a kind, its parameters read once through `params`.
        pub(crate) fn model(kind: $enum, params: &ParamReader<'_>) -> Box<dyn $model> {
            match kind {
                $($enum::$kind => Box::new($module::Model::new(params)),)*
            }
        }

        #[cfg(test)]
        mod registry_tests {
            use super::*;
            use crate::catalogue::Params;

            #[test]
            fn every_entry_sits_at_its_kind_and_every_declared_parameter_is_read() {
                for (k, info) in $list.iter().enumerate() {
                    assert_eq!(info.kind as usize, k, "{} out of place", info.name);
                    let p = Params::defaults(info.params);
                    let reader = ParamReader::new(&p);
                    let _ = model(info.kind, &reader);
                    let _ = shared_params(&reader);
                    assert_eq!(reader.unknown(), None, "{} reads an undeclared parameter", info.name);
                    assert!(
                        reader.unread().is_empty(),
                        "{} declares {:?} but its model never reads them",
                        info.name,
                        reader.unread()
                    );
                }
            }
        }
    };
}

pub mod attack;
mod breach;
pub mod catalogue;
pub mod cipher;
pub mod defense;
pub mod epidemic;
mod foothold;
mod forgery;
pub mod metrics;
pub mod network;
pub mod origin;
pub mod per_place;
pub mod protection;
pub mod report;
pub mod rules;
pub mod security;
pub mod spec;
pub mod timer;
pub mod topology;
pub mod wake_up;

pub use catalogue::{AttackKind, DefenseKind, Params};
pub use cipher::CipherCost;
pub use origin::Origin;
pub use report::{AttackSummary, IncidentKind, IncidentRow, PatientExposure, SecurityReport};
pub use security::{SecurityLayer, SecuritySpec};
pub use spec::{AttackSpec, DefenseSpec};

/// When an attack is active: from `start`, for `duration` (`None`: until the end of the run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActiveWindow {
    /// First instant the attack acts.
    pub start: sim_core::SimTime,
    /// How long it acts; `None` is until the end of the run.
    pub duration: Option<sim_core::SimTime>,
}

impl ActiveWindow {
    /// Active for the whole run.
    pub const ALWAYS: ActiveWindow = ActiveWindow {
        start: sim_core::SimTime::ZERO,
        duration: None,
    };

    /// Whether the attack acts at `now`: `start ≤ now < start + duration`.
    #[inline]
    pub fn contains(&self, now: sim_core::SimTime) -> bool {
        now >= self.start
            && self
                .duration
                .is_none_or(|d| now < self.start.saturating_add(d))
    }

    /// The first instant after the window, if it ends.
    pub fn end(&self) -> Option<sim_core::SimTime> {
        self.duration.map(|d| self.start.saturating_add(d))
    }
}
