//! `routing_manipulation`: Forged routing messages declare the targeted links broken: routes avoid
//! them while the attack lasts (longer paths, or none). Authenticated routing (mutual
//! authentication) refuses the forged messages.

use super::prelude::*;

/// The catalogue entry.
pub const INFO: AttackInfo = AttackInfo {
    kind: AttackKind::RoutingManipulation,
    name: "routing_manipulation",
    layer: Layers::NETWORK,
    stride: "Tampering, Denial of service",
    attack_id: "ICS T0856 Spoof Reporting Message",
    precondition: Precondition::Proximity,
    grants: Privilege::None,
    requires: Privilege::None,
    targets: Targets::Links,
    makes: None,
    moves: "latency_ms, lost_no_route, monitoring_hours_lost",
    about: "Forged routing messages declare the targeted links broken: routes avoid them while the attack lasts (longer paths, or none). Authenticated routing (mutual authentication) refuses the forged messages.",
    params: &[RETRY_AFTER],
};

/// Forged routing messages declaring the targeted links broken.
#[derive(Debug)]
pub(crate) struct Model;

impl Model {
    pub(crate) fn new(_p: &ParamReader<'_>) -> Self {
        Model
    }
}

impl AttackModel for Model {
    /// Each targeted link is disabled unless one of its ends has a key and a defense
    /// preventing the attack.
    fn open(&mut self, l: &mut SecurityLayer, i: usize, now: SimTime, acts: &mut Actions) {
        for k in 0..l.attacks[i].spec.links.len() {
            let link = l.attacks[i].spec.links[k];
            let (a, b) = l.net.link_ends[link.index()];
            let refused = [a, b].iter().any(|&n| {
                l.protection.authenticated(n, now)
                    && l.masks.prevents(
                        AttackKind::RoutingManipulation,
                        l.protection.node_set[n.index()],
                    )
            });
            if !refused {
                l.attacks[i].act(now);
                acts.push(Action::Route {
                    link,
                    weight: RouteWeight::Disabled,
                });
            }
        }
    }

    fn close(&mut self, l: &mut SecurityLayer, i: usize, acts: &mut Actions) {
        for &link in &l.attacks[i].spec.links {
            acts.push(Action::Route {
                link,
                weight: RouteWeight::Normal,
            });
        }
    }
}
