//! # scenarios — the YAML scenario format
//!
//! Turns a scenario file into a ready-to-run simulation, in three stages:
//! 1. [`raw`] — serde deserialisation, unknown keys refused (positions from serde_yaml);
//! 2. `validate` — units, ranges, names and references checked, every problem collected with
//!    its field path, then located in the file ([`locate`]);
//! 3. [`build`] — groups expanded into named nodes (`ecg[3]`), patterns into links, streams into
//!    sources, attacks and defenses onto link ids.
//!
//! [`catalogue`] holds the device, link and cipher profiles with the sources of their numbers;
//! [`quantity`] parses values written with units (`250ms`, `225mAh@3V`).

#![warn(missing_docs)]

pub mod build;
pub mod catalogue;
pub mod error;
pub mod locate;
pub mod overrides;
pub mod patient;
pub mod profiles;
pub mod quantity;
pub mod raw;
pub mod scenario;
pub mod sweep;
mod validate;

pub use build::Built;
pub use error::{Diagnostic, ScenarioError};
pub use overrides::Override;
pub use scenario::Scenario;

/// The JSON Schema of the scenario format (draft 2020-12), for editors: with the
/// yaml-language-server, a first line `# yaml-language-server: $schema=iomtsim.schema.json`
/// gives completion and checking as you type.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(raw::RawScenario)).unwrap_or_default()
}

/// Reads and checks the scenario at `path`.
pub fn load(path: &std::path::Path) -> Result<Scenario, ScenarioError> {
    load_with(path, &[]).map(|l| l.scenario)
}

/// Checks scenario text; `file` names it in errors.
pub fn parse(source: &str, file: &str) -> Result<Scenario, ScenarioError> {
    parse_with(source, file, &[]).map(|l| l.scenario)
}

/// A scenario as loaded: the checked scenario and the document it was checked from, after
/// every override (what a results manifest records as "the fully resolved scenario").
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The checked scenario.
    pub scenario: Scenario,
    /// The YAML document after the overrides.
    pub resolved: serde_yaml::Value,
    /// The sweep plan, if the scenario has a `sweep:` section.
    pub sweep: Option<sweep::SweepPlan>,
}

/// Reads and checks the scenario at `path` with `overrides` applied.
pub fn load_with(path: &std::path::Path, overrides: &[Override]) -> Result<Loaded, ScenarioError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Io {
        file: file.clone(),
        source,
    })?;
    let source = String::from_utf8(bytes).map_err(|_| ScenarioError::Invalid {
        file: file.clone(),
        diagnostics: vec![Diagnostic {
            line: None,
            column: None,
            path: String::new(),
            message: "the file is not UTF-8 text".into(),
        }],
    })?;
    parse_with(&source, &file, overrides)
}

/// Checks scenario text with `overrides` applied; `file` names it in errors. Errors in the
/// file keep their line and column; errors caused by an override name the override instead.
pub fn parse_with(
    source: &str,
    file: &str,
    overrides: &[Override],
) -> Result<Loaded, ScenarioError> {
    let invalid = |diagnostics| ScenarioError::Invalid {
        file: file.to_string(),
        diagnostics,
    };
    // Parse the file as written first, so its own mistakes are reported with positions.
    let raw: raw::RawScenario =
        serde_yaml::from_str(source).map_err(|e| invalid(vec![serde_diagnostic(&e)]))?;
    let mut resolved: serde_yaml::Value =
        serde_yaml::from_str(source).map_err(|e| invalid(vec![serde_diagnostic(&e)]))?;
    let mut set_paths = Vec::new();
    let mut problems = Vec::new();
    for o in overrides {
        match overrides::apply(&mut resolved, o) {
            Ok(path) => set_paths.push((path, o)),
            Err(message) => problems.push(Diagnostic {
                line: None,
                column: None,
                path: format!("--set {o}"),
                message,
            }),
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let mut raw = if overrides.is_empty() {
        raw
    } else {
        serde_yaml::from_value(resolved.clone()).map_err(|e| {
            let mut d = serde_diagnostic(&e);
            d.message = format!("{} (after --set {})", d.message, join(overrides));
            invalid(vec![d])
        })?
    };
    let base = std::path::Path::new(file)
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let problems = include_profiles(&mut raw, base);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let problems = match validate::check(&raw) {
        Ok(scenario) => {
            let mut problems = unreachable_destinations(&scenario);
            let sweep = match raw
                .sweep
                .as_ref()
                .map(|sw| sweep::check(sw, scenario.replications))
            {
                None => None,
                Some(Ok(plan)) => Some(plan),
                Some(Err(p)) => {
                    problems.extend(p.0);
                    None
                }
            };
            if problems.is_empty() {
                return Ok(Loaded {
                    scenario,
                    resolved,
                    sweep,
                });
            }
            problems
        }
        Err(p) => p.0,
    };
    let diagnostics = problems
        .into_iter()
        .map(|(path, message)| {
            let by_set = set_paths.iter().rev().find(|(p, _)| {
                path == *p
                    || path.starts_with(&format!("{p}."))
                    || path.starts_with(&format!("{p}["))
            });
            match by_set {
                Some((_, o)) => Diagnostic {
                    line: None,
                    column: None,
                    path: format!("--set {o}"),
                    message: format!("{path}: {message}"),
                },
                None => {
                    let at = locate::locate(source, &path);
                    Diagnostic {
                        line: at.map(|p| p.line),
                        column: at.map(|p| p.column),
                        path,
                        message,
                    }
                }
            }
        })
        .collect();
    Err(invalid(diagnostics))
}

/// Merges the profiles of the scenario's `include:` files (relative to `base`) into it; the
/// scenario's own profiles win. Problems name the included file, line and column.
fn include_profiles(raw: &mut raw::RawScenario, base: &std::path::Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, name) in raw.include.clone().iter().enumerate() {
        let path = base.join(name);
        let at = |message: String| Diagnostic {
            line: None,
            column: None,
            path: format!("include[{i}]"),
            message,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(at(format!("cannot read `{}`: {e}", path.display())));
                continue;
            }
        };
        let included: raw::RawIncluded = match serde_yaml::from_str(&text) {
            Ok(inc) => inc,
            Err(e) => {
                let d = serde_diagnostic(&e);
                problems.push(at(format!(
                    "{}:{}:{}: {}{}",
                    path.display(),
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    if d.path.is_empty() {
                        String::new()
                    } else {
                        format!("{}: ", d.path)
                    },
                    d.message
                )));
                continue;
            }
        };
        let p = &mut raw.profiles;
        for (k, v) in included.profiles.devices {
            p.devices.entry(k).or_insert(v);
        }
        for (k, v) in included.profiles.links {
            p.links.entry(k).or_insert(v);
        }
        for (k, v) in included.profiles.ciphers {
            p.ciphers.entry(k).or_insert(v);
        }
    }
    problems
}

fn join(overrides: &[Override]) -> String {
    overrides
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", --set ")
}

/// A serde_yaml error as a diagnostic: its position, its message without the position
/// suffix, and a suggestion for a misspelt key.
fn serde_diagnostic(e: &serde_yaml::Error) -> Diagnostic {
    let mut message = e.to_string();
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    let (path, rest) = match message.split_once(": ") {
        Some((p, r)) if !p.contains(' ') => (p.to_string(), r.to_string()),
        _ => (String::new(), message.clone()),
    };
    let mut message = rest;
    if let Some(unknown) = message
        .strip_prefix("unknown field `")
        .and_then(|r| r.split_once('`'))
        .map(|(u, _)| u.to_string())
    {
        let expected: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
        if let Some(s) = error::did_you_mean(&unknown, expected.iter().copied()) {
            message = format!("{message}; did you mean `{s}`?");
        }
    }
    Diagnostic {
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
        path,
        message,
    }
}

/// Streams whose destination no route reaches, as (path, message): one per stream.
fn unreachable_destinations(scenario: &Scenario) -> Vec<(String, String)> {
    let built = scenario.build();
    let topo = &built.model.topology;
    // Without the wormholes' tunnels: they open only while their attack is active.
    let routes = built.routes();
    let mut problems: Vec<(String, String)> = Vec::new();
    for src in &built.model.sources {
        if src.node == src.dst || routes.next_hop(src.node, src.dst).is_some() {
            continue;
        }
        let from = topo.node(src.node);
        let Some(group) = scenario.groups.iter().find(|g| g.name == from.group) else {
            continue;
        };
        let stream_name = src.name.split_once('/').map_or("", |(_, s)| s);
        let Some(j) = group.streams.iter().position(|st| {
            stream_name == st.name || stream_name.starts_with(&format!("{}->", st.name))
        }) else {
            continue;
        };
        let path = format!("{}.streams[{j}].to", group.path);
        if problems.iter().any(|(p, _)| *p == path) {
            continue;
        }
        let to = topo.node(src.dst);
        problems.push((
            path,
            format!(
                "no route from `{}` to `{}`: add a link chain between group `{}` and group `{}`",
                from.name, to.name, from.group, to.group
            ),
        ));
    }
    problems
}

#[cfg(test)]
mod robustness;
#[cfg(test)]
mod tests;
