//! Changes of the network that attack and defense models make before the run, declared by the
//! model ([`Reshape`]) and applied by the scenario builder, which knows groups and streams.

use crate::catalogue::{AttackKind, DefenseKind, ParamReader, Params};
use sim_core::{Bytes, SimTime};

/// A change of the network a model needs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reshape {
    /// A link between the first nodes of the two targeted groups, added after every other
    /// link (so theirs keep their ids), at 1 Gbit/s with this one-way latency (seconds) and
    /// no loss or radio energy, closed to routing until the attack opens it (a wormhole).
    Tunnel {
        /// One-way latency, seconds.
        latency: f64,
    },
    /// Streams from the sensing layer to the cloud end at the first targeted group instead
    /// (node i sends to its node i mod count), and each of its nodes sends `update_size` to
    /// the cloud group those streams were bound for every `update_interval` (federated
    /// learning).
    Federate {
        /// Time between updates of one node.
        update_interval: SimTime,
        /// Size of one update.
        update_size: Bytes,
    },
    /// The service time of the targeted groups' stations multiplied by `factor`
    /// (computing on ciphertext).
    ScaleService {
        /// The multiplier.
        factor: f64,
    },
}

/// The change an attack of `kind` with `params` makes, if any.
pub fn of_attack(kind: AttackKind, params: &Params) -> Option<Reshape> {
    crate::attack::model(kind, &ParamReader::new(params)).reshape()
}

/// The change a defense of `kind` with `params` makes, if any.
pub fn of_defense(kind: DefenseKind, params: &Params) -> Option<Reshape> {
    crate::defense::model(kind, &ParamReader::new(params)).reshape()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{self, Params};

    fn defaults_of_attack(kind: AttackKind) -> Params {
        Params::defaults(catalogue::attack(kind).params)
    }

    fn defaults_of_defense(kind: DefenseKind) -> Params {
        Params::defaults(catalogue::defense(kind).params)
    }

    #[test]
    fn models_declare_their_changes_with_their_parameters() {
        let mut worm = defaults_of_attack(AttackKind::Wormhole);
        assert!(worm.set("tunnel_latency", 0.25));
        assert_eq!(
            of_attack(AttackKind::Wormhole, &worm),
            Some(Reshape::Tunnel { latency: 0.25 })
        );
        assert_eq!(
            of_defense(
                DefenseKind::FederatedLearning,
                &defaults_of_defense(DefenseKind::FederatedLearning)
            ),
            Some(Reshape::Federate {
                update_interval: SimTime::from_secs(3600),
                update_size: Bytes(100_000),
            })
        );
        assert_eq!(
            of_defense(
                DefenseKind::HomomorphicEncryption,
                &defaults_of_defense(DefenseKind::HomomorphicEncryption)
            ),
            Some(Reshape::ScaleService { factor: 100.0 })
        );
        // Only those: every other kind leaves the network as it is.
        let attacks = catalogue::ATTACKS
            .iter()
            .filter(|a| of_attack(a.kind, &defaults_of_attack(a.kind)).is_some())
            .count();
        let defenses = catalogue::DEFENSES
            .iter()
            .filter(|d| of_defense(d.kind, &defaults_of_defense(d.kind)).is_some())
            .count();
        assert_eq!((attacks, defenses), (1, 2));
    }
}
