//! Attacks and defenses: their kinds, windows, chains, aims, parameters and ciphers.

use super::params::check_params;
use super::selectors::check_aim;
use super::*;

/// The keys every attack may have besides its kind's parameters.
const ATTACK_KEYS: &[&str] = &[
    "name", "kind", "links", "targets", "from", "start", "duration", "after",
];
/// The keys every defense may have besides its kind's parameters.
const DEFENSE_KEYS: &[&str] = &["name", "kind", "links", "targets", "cipher"];

/// "; did you mean `x`? (known: a, b, c)" or "; known: a, b, c".
fn suggest_and_list(word: &str, names: &[&str]) -> String {
    match did_you_mean(word, names.iter().copied()) {
        Some(s) => format!("; did you mean `{s}`? (known: {})", names.join(", ")),
        None => format!("; known: {}", names.join(", ")),
    }
}

/// An attack chained after another needs at least the privilege it requires on the footholds
/// that attack grants (a sinkhole rewrites a relay's routing: a phished user account is not
/// enough).
pub(super) fn check_privilege(p: &mut Problems, path: &str, a: &RawAttack, earlier: &[RawAttack]) {
    let Some(foothold) = a
        .after
        .as_ref()
        .and_then(|n| earlier.iter().find(|e| &e.name == n))
    else {
        return;
    };
    let (Some(info), Some(from)) = (
        kinds::attack_named(&a.kind),
        kinds::attack_named(&foothold.kind),
    ) else {
        return;
    };
    if from.grants < info.requires {
        p.add(
            format!("{path}.after"),
            format!(
                "`{}` needs {} privilege on its foothold, but `{}` ({}) grants {}; chain it after an attack granting {} or more (see `iomtsim catalog attacks`)",
                a.kind,
                info.requires.name(),
                foothold.name,
                foothold.kind,
                from.grants.name(),
                info.requires.name()
            ),
        );
    }
}

pub(super) fn check_attack(
    p: &mut Problems,
    path: &str,
    a: &RawAttack,
    refs: &Refs,
    attack_names: &[&str],
    index: usize,
) -> Option<Attack> {
    let start = match &a.start {
        None => Some(SimTime::ZERO),
        Some(t) => time(p, &format!("{path}.start"), t),
    };
    let duration = match &a.duration {
        None => Some(None),
        Some(t) => time(p, &format!("{path}.duration"), t).map(Some),
    };
    let after = match &a.after {
        None => Some(None),
        Some(n) => match attack_names[..index].iter().position(|e| e == n) {
            Some(k) => Some(Some(k)),
            None => {
                let earlier = &attack_names[..index];
                let message = if index == 0 {
                    format!(
                        "`after` must name an earlier attack, and this is the first; found `{n}`"
                    )
                } else if attack_names[index..].contains(&n.as_str()) {
                    format!(
                        "`{n}` comes after this attack; `after` must name an earlier attack; known: {}",
                        earlier.join(", ")
                    )
                } else {
                    format!(
                        "no earlier attack named `{n}`{}",
                        suggest_and_list(n, earlier)
                    )
                };
                p.add(format!("{path}.after"), message);
                None
            }
        },
    };
    let Some(info) = kinds::attack_named(&a.kind) else {
        let kinds: Vec<&str> = kinds::ATTACKS.iter().map(|k| k.name).collect();
        p.add(
            format!("{path}.kind"),
            format!(
                "no attack kind `{}`{}",
                a.kind,
                suggest_and_list(&a.kind, &kinds)
            ),
        );
        return None;
    };
    // A foothold kind chained with `after:` acts from the nodes that attack compromised.
    let from_optional = info.precondition == Precondition::Foothold && a.after.is_some();
    let aim = check_aim(
        p,
        path,
        info.name,
        info.targets,
        &a.links,
        &a.targets,
        a.from.as_deref(),
        from_optional,
        refs,
    );
    let params = check_params(p, path, info.name, info.params, &a.params, ATTACK_KEYS);
    Some(Attack {
        name: a.name.clone(),
        kind: info.kind,
        window: ActiveWindow {
            start: start?,
            duration: duration?,
        },
        params: params?,
        links: aim.links,
        targets: aim.targets,
        from: aim.from,
        after: after?,
    })
}

pub(super) fn check_defense(
    p: &mut Problems,
    profiles: &Profiles,
    path: &str,
    d: &RawDefense,
    refs: &Refs,
) -> Option<Defense> {
    let Some(info) = kinds::defense_named(&d.kind) else {
        let kinds: Vec<&str> = kinds::DEFENSES.iter().map(|k| k.name).collect();
        p.add(
            format!("{path}.kind"),
            format!(
                "no defense kind `{}`{}",
                d.kind,
                suggest_and_list(&d.kind, &kinds)
            ),
        );
        return None;
    };
    let aim = check_aim(
        p,
        path,
        info.name,
        info.targets,
        &d.links,
        &d.targets,
        None,
        false,
        refs,
    );
    let params = check_params(p, path, info.name, info.params, &d.params, DEFENSE_KEYS);
    let cpath = format!("{path}.cipher");
    let (cipher_name, cipher, encrypts) = match (info.cipher, &d.cipher) {
        (None, None) => (None, None, false),
        (None, Some(_)) => {
            p.add(
                &cpath,
                format!("`{}` takes no cipher; remove `cipher`", info.name),
            );
            return None;
        }
        (Some(uses), given) => {
            let name = given.as_deref().unwrap_or(uses.default);
            let c = profiles.cipher(name, &cpath, p)?;
            // What the defense can run is its declaration's to say.
            if !uses.admits(c.kind) {
                p.add(
                    &cpath,
                    format!(
                        "`{name}` is a {} primitive; `{}` needs {}",
                        c.kind.name(),
                        info.name,
                        uses.needs
                    ),
                );
                return None;
            }
            (Some(name.to_string()), Some(c.cost), c.kind.encrypts())
        }
    };
    // A defense covers whole groups: one node of a group is not a deployment.
    let whole = |p: &mut Problems, key: &str, picks: Vec<Pick>, names: &[&str]| -> Vec<usize> {
        for (k, pick) in picks.iter().enumerate() {
            if let Some(i) = pick.index {
                let g = names[pick.group];
                p.add(
                    format!("{path}.{key}[{k}]"),
                    format!("a defense covers whole groups: write `{g}`, not `{g}[{i}]`"),
                );
            }
        }
        let mut groups: Vec<usize> = picks.into_iter().map(|p| p.group).collect();
        groups.dedup();
        groups
    };
    let links = whole(p, "links", aim.links, refs.links);
    let targets = whole(p, "targets", aim.targets, refs.groups);
    Some(Defense {
        name: d.name.clone(),
        kind: info.kind,
        params: params?,
        links,
        targets,
        cipher_name,
        cipher,
        encrypts,
    })
}
