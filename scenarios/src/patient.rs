//! Who wears what: the patients of a scenario, the owners of the readings an attack exposes
//! or falsifies (breach costs are per affected individual, parameters.md §F).
//!
//! Groups joined by a `pairwise` link form a chain (`ecg`, `spo2` → `hub`): node i of every
//! group of a chain belongs to patient i of that chain, so `ecg[3]`, `spo2[3]` and `hub[3]` are
//! one patient. A sensing group outside any chain is a chain of its own (its node i, patient
//! i). A group says otherwise with `patient:`
//!
//! | `patient:` | meaning |
//! |---|---|
//! | `each` | node i is patient i of its chain (the default of sensing groups and of the groups they are chained to) |
//! | `one` | every node of the group is one patient (several devices worn by one person) |
//! | `none` | shared infrastructure: its streams belong to nobody (the default of the other groups) |
//!
//! Patients are numbered in the order their first node appears in the scenario.

use crate::scenario::{Group, LinkGroup, Pattern};
use sim_core::{Layer, NodeId, PatientId};

/// Whom a group's nodes belong to (`patient:` of a group).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PatientRule {
    /// The default: `each` for sensing groups and groups chained to them, `none` otherwise.
    #[default]
    Chain,
    /// Node i is patient i of its chain.
    Each,
    /// The whole group is one patient.
    One,
    /// Nobody's: shared infrastructure.
    None,
}

impl PatientRule {
    /// The rule a `patient:` word names, or what would be right.
    pub fn parse(word: Option<&str>) -> Result<PatientRule, String> {
        match word {
            None => Ok(PatientRule::Chain),
            Some("each") => Ok(PatientRule::Each),
            Some("one") => Ok(PatientRule::One),
            Some("none") => Ok(PatientRule::None),
            Some(other) => Err(format!(
                "`patient` is `each` (node i is patient i of its chain), `one` (the group is one \
                 patient) or `none` (shared infrastructure), found `{other}`"
            )),
        }
    }
}

/// Each node's patient, and the number of patients.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Patients {
    /// Per node (in topology order), its patient.
    pub of_node: Vec<Option<PatientId>>,
    /// How many patients.
    pub count: u32,
}

impl Patients {
    /// The patients of `groups` (their nodes `group_nodes`) joined by `links`.
    pub fn assign(groups: &[Group], links: &[LinkGroup], group_nodes: &[Vec<NodeId>]) -> Patients {
        // Chains: groups joined by pairwise links (union–find on group indices).
        let mut chain: Vec<usize> = (0..groups.len()).collect();
        fn root(chain: &mut [usize], mut g: usize) -> usize {
            while chain[g] != g {
                chain[g] = chain[chain[g]];
                g = chain[g];
            }
            g
        }
        for lg in links.iter().filter(|l| l.pattern == Pattern::Pairwise) {
            for &f in &lg.from {
                let (a, b) = (root(&mut chain, f), root(&mut chain, lg.to));
                chain[a.max(b)] = a.min(b);
            }
        }
        let roots: Vec<usize> = (0..groups.len()).map(|g| root(&mut chain, g)).collect();
        let sensing_chain: Vec<bool> = (0..groups.len())
            .map(|r| {
                groups
                    .iter()
                    .zip(&roots)
                    .any(|(g, &gr)| gr == r && g.layer == Layer::Sensing)
            })
            .collect();
        let nodes = group_nodes.iter().map(Vec::len).sum();
        let mut of_node = vec![None; nodes];
        // (chain, index) → patient, in order of first appearance; `One` groups key on
        // (group, usize::MAX) so they never merge with a chain's patient.
        let mut keys: std::collections::HashMap<(usize, usize), u32> =
            std::collections::HashMap::new();
        let mut id = |key: (usize, usize)| -> PatientId {
            let next = keys.len() as u32;
            PatientId(*keys.entry(key).or_insert(next))
        };
        for (g, group) in groups.iter().enumerate() {
            let rule = match group.patient {
                PatientRule::Chain if sensing_chain[roots[g]] => PatientRule::Each,
                PatientRule::Chain => PatientRule::None,
                r => r,
            };
            for (i, &n) in group_nodes[g].iter().enumerate() {
                of_node[n.index()] = match rule {
                    PatientRule::Each => Some(id((roots[g], i))),
                    PatientRule::One => Some(id((g + groups.len(), usize::MAX))),
                    PatientRule::None | PatientRule::Chain => None,
                };
            }
        }
        Patients {
            of_node,
            count: keys.len() as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patients(yaml_groups: &str, links: &str) -> (crate::build::Built, Patients) {
        let text = format!(
            "name: p\nduration: 1min\n{yaml_groups}\nlinks:\n{links}\n\
             cloud:\n  - group: ehr\n    device: cloud_store\n"
        );
        let s = crate::parse(&text, "p.yaml").expect("valid");
        let built = s.build();
        let p = Patients::assign(&s.groups, &s.links, &built.group_nodes);
        (built, p)
    }

    const WARD: &str = "sensing:
  - group: ecg
    count: 3
    device: ecg_patch
    streams: [{name: v, every: 1s, size: 10B, to: ehr}]
  - group: spo2
    count: 3
    device: spo2_clip
    streams: [{name: v, every: 1s, size: 10B, to: ehr}]
network:
  - group: hub
    count: 3
    device: bedside_hub
  - group: gw
    device: ward_gateway";

    const LINKS: &str =
        "  - {name: ble, from: [ecg, spo2], to: hub, pattern: pairwise, profile: ble_1m}
  - {name: wifi, from: hub, to: gw, profile: wifi}
  - {name: wan, from: gw, to: ehr, profile: wan}";

    fn of(built: &crate::build::Built, p: &Patients, name: &str) -> Option<PatientId> {
        let topo = &built.model.topology;
        let n = topo
            .node_ids()
            .find(|&n| topo.node(n).name == name)
            .expect("node");
        p.of_node[n.index()]
    }

    #[test]
    fn node_i_of_a_pairwise_chain_is_patient_i() {
        let (b, p) = patients(WARD, LINKS);
        assert_eq!(p.count, 3);
        for i in 0..3 {
            let want = of(&b, &p, &format!("ecg[{i}]"));
            assert!(want.is_some());
            assert_eq!(of(&b, &p, &format!("spo2[{i}]")), want);
            assert_eq!(of(&b, &p, &format!("hub[{i}]")), want);
        }
        assert_ne!(of(&b, &p, "ecg[0]"), of(&b, &p, "ecg[1]"));
        assert_eq!(of(&b, &p, "gw[0]"), None);
        assert_eq!(of(&b, &p, "ehr[0]"), None);
        // The builder hands each stream its wearer's patient.
        for s in &b.model.sources {
            assert_eq!(s.patient, p.of_node[s.node.index()], "{}", s.name);
        }
    }

    #[test]
    fn a_group_can_say_none_or_one() {
        let groups = WARD
            .replace(
                "    device: spo2_clip\n",
                "    device: spo2_clip\n    patient: none\n",
            )
            .replace(
                "  - group: gw\n    device: ward_gateway",
                "  - group: gw\n    device: ward_gateway\n    patient: one",
            );
        let (b, p) = patients(&groups, LINKS);
        assert_eq!(of(&b, &p, "spo2[1]"), None);
        assert!(of(&b, &p, "gw[0]").is_some());
        assert_eq!(p.count, 4);
    }

    #[test]
    fn a_wrong_word_is_refused_with_the_right_ones() {
        let groups = WARD.replace(
            "    device: spo2_clip\n",
            "    device: spo2_clip\n    patient: shared\n",
        );
        let text = format!(
            "name: p\nduration: 1min\n{groups}\nlinks:\n{LINKS}\n\
             cloud:\n  - group: ehr\n    device: cloud_store\n"
        );
        let err = crate::parse(&text, "p.yaml").unwrap_err().to_string();
        assert!(err.contains("sensing[1].patient"), "{err}");
        assert!(err.contains("found `shared`"), "{err}");
        assert!(err.contains("`none`"), "{err}");
    }
}
