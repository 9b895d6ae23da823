//! The parameters of an attack or defense kind, checked against its catalogue entry.

use super::*;

/// A bare number: a YAML number, or text that reads as one.
fn bare_number(v: &serde_yaml::Value) -> Option<f64> {
    match v {
        serde_yaml::Value::Number(n) => n.as_f64(),
        serde_yaml::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

/// One parameter's value in its stored unit, or a problem at `path`.
fn param_value(
    p: &mut Problems,
    path: &str,
    spec: &ParamSpec,
    v: &serde_yaml::Value,
) -> Option<f64> {
    use serde_yaml::Value;
    let key = spec.name;
    let example = spec.default_text;
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => {
            p.add(
                path,
                format!("`{key}` has no value; for example `{key}: {example}`"),
            );
            return None;
        }
        _ => {
            p.add(
                path,
                format!("`{key}` takes a single value, not a list or a mapping; for example `{key}: {example}`"),
            );
            return None;
        }
    };
    let number = bare_number(v);
    // A value with a unit written as a bare number: say which unit, with an example.
    let needs_unit = |p: &mut Problems, what: &str| {
        p.add(
            path,
            format!("`{key}` is a {what} and needs its unit: write it like `{key}: {example}`, not the bare number `{text}`"),
        );
    };
    let non_negative = |p: &mut Problems, x: f64, what: &str| -> Option<f64> {
        if x >= 0.0 && x.is_finite() {
            Some(x)
        } else {
            p.add(path, format!("a {what} must be ≥ 0, found `{text}`"));
            None
        }
    };
    match spec.unit {
        Unit::Probability | Unit::Factor | Unit::Count => {
            let Some(x) = number.filter(|x| x.is_finite()) else {
                p.add(
                    path,
                    format!(
                        "`{key}` is a {}, a plain number like `{example}`; found `{text}`",
                        spec.unit.describe()
                    ),
                );
                return None;
            };
            match spec.unit {
                Unit::Probability => probability(p, path, x),
                Unit::Factor => non_negative(p, x, "factor"),
                _ => {
                    if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) {
                        Some(x)
                    } else {
                        p.add(
                            path,
                            format!(
                                "a count is a whole number from 0 to {}, found `{text}`",
                                u32::MAX
                            ),
                        );
                        None
                    }
                }
            }
        }
        Unit::Seconds => {
            if number.is_some() {
                needs_unit(p, "duration");
                return None;
            }
            p.unit(path, quantity::duration_secs(&text))
        }
        Unit::SecondsOrNever if text.trim() == "never" => Some(f64::INFINITY),
        Unit::SecondsOrNever => {
            if number.is_some() {
                needs_unit(p, "duration (or `never`)");
                return None;
            }
            p.unit(path, quantity::duration_secs(&text))
        }
        Unit::PerSecond => {
            if number.is_some() {
                needs_unit(p, "rate (events per unit of time)");
                return None;
            }
            let r = p.unit(path, quantity::rate_per_s(&text))?;
            non_negative(p, r, "rate")
        }
        Unit::Bytes => {
            if number.is_some() {
                needs_unit(p, "size");
                return None;
            }
            let b = p.unit(path, quantity::bytes(&text))?;
            if b > u64::from(u32::MAX) {
                p.add(path, format!("a size is at most 4 GiB, found `{text}`"));
                return None;
            }
            Some(b as f64)
        }
        Unit::Watts => {
            if number.is_some() {
                needs_unit(p, "power");
                return None;
            }
            let w = p.unit(path, quantity::watts(&text))?;
            non_negative(p, w, "power")
        }
        Unit::Choice(words) => {
            let word = match v {
                // `true`/`false` for a yes/no choice.
                Value::Bool(b) => {
                    if *b {
                        "yes"
                    } else {
                        "no"
                    }
                }
                _ => text.trim(),
            };
            match words.iter().position(|w| *w == word) {
                Some(i) => Some(i as f64),
                None => {
                    p.add(
                        path,
                        format!(
                            "`{key}` is one of {}, found `{text}`{}",
                            words.join(", "),
                            did_you_mean(word, words.iter().copied())
                                .map_or(String::new(), |s| format!("; did you mean `{s}`?"))
                        ),
                    );
                    None
                }
            }
        }
    }
}

/// The parameters of a kind `kind` with catalogue `specs`, defaults filled in; every key of
/// `given` must be one of them (`common`: the keys every attack or defense has, offered as
/// suggestions for a misspelling).
pub(super) fn check_params(
    p: &mut Problems,
    path: &str,
    kind: &str,
    specs: &'static [ParamSpec],
    given: &BTreeMap<String, serde_yaml::Value>,
    common: &[&str],
) -> Option<Params> {
    let mut params = Params::defaults(specs);
    let mut ok = true;
    let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
    for (key, value) in given {
        let kpath = format!("{path}.{key}");
        let Some(spec) = specs.iter().find(|s| s.name == key) else {
            let candidates = names.iter().chain(common).copied();
            let hint = did_you_mean(key, candidates)
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            let valid = if names.is_empty() {
                format!("`{kind}` takes no parameters")
            } else {
                format!("the parameters of `{kind}` are {}", names.join(", "))
            };
            p.add(
                kpath,
                format!(
                    "`{kind}` has no parameter `{key}`{hint} ({valid}; besides {})",
                    common.join(", ")
                ),
            );
            ok = false;
            continue;
        };
        match param_value(p, &kpath, spec, value) {
            Some(x) => {
                // Constraints beyond the unit's range are declared with the parameter.
                if let Err(why) = spec.admits(x) {
                    p.add(
                        kpath,
                        format!("`{key}` {why}, found `{}`", yaml_text(value)),
                    );
                    ok = false;
                } else {
                    params.set(key, x);
                }
            }
            None => ok = false,
        }
    }
    ok.then_some(params)
}

/// A scalar as written, for messages.
pub(super) fn yaml_text(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}
