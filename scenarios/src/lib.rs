//! # scenarios — the YAML scenario format
//!
//! Turns a scenario file into a ready-to-run simulation, in three stages:
//! 1. [`raw`] — serde deserialisation, unknown keys refused (positions from serde_yaml);
//! 2. [`validate`] — units, ranges, names and references checked, every problem collected with
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
pub mod quantity;
pub mod raw;
pub mod scenario;
mod validate;

pub use build::Built;
pub use error::{Diagnostic, ScenarioError};
pub use scenario::Scenario;

use sim_core::routing::Routes;

/// Reads, checks and validates the scenario at `path`.
pub fn load(path: &std::path::Path) -> Result<Scenario, ScenarioError> {
    let file = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        file: file.clone(),
        source,
    })?;
    parse(&source, &file)
}

/// Checks scenario text; `file` names it in errors.
pub fn parse(source: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let invalid = |diagnostics| ScenarioError::Invalid {
        file: file.to_string(),
        diagnostics,
    };
    let raw: raw::RawScenario =
        serde_yaml::from_str(source).map_err(|e| invalid(vec![serde_diagnostic(&e)]))?;
    let problems = match validate::check(&raw) {
        Ok(scenario) => match unreachable_destinations(&scenario) {
            problems if problems.is_empty() => return Ok(scenario),
            problems => problems,
        },
        Err(p) => p.0,
    };
    let diagnostics = problems
        .into_iter()
        .map(|(path, message)| {
            let at = locate::locate(source, &path);
            Diagnostic {
                line: at.map(|p| p.line),
                column: at.map(|p| p.column),
                path,
                message,
            }
        })
        .collect();
    Err(invalid(diagnostics))
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

/// Streams whose destination no route reaches, as (path, message).
fn unreachable_destinations(scenario: &Scenario) -> Vec<(String, String)> {
    let built = scenario.build();
    let topo = &built.model.topology;
    let alive = vec![true; topo.node_count()];
    let dsts: Vec<_> = built.model.sources.iter().map(|s| s.dst).collect();
    let routes = Routes::compute(topo, &alive, &dsts);
    let mut problems = Vec::new();
    for (g, group) in scenario.groups.iter().enumerate() {
        for (j, stream) in group.streams.iter().enumerate() {
            let dst_nodes = &built.group_nodes[stream.to];
            let stranded = built.group_nodes[g].iter().enumerate().find(|&(i, &n)| {
                let d = dst_nodes[i % dst_nodes.len()];
                n != d && routes.next_hop(n, d).is_none()
            });
            if let Some((i, &n)) = stranded {
                problems.push((
                    format!("{}.streams[{j}].to", group.path),
                    format!(
                        "no route from `{}` to `{}`: add a link chain between group `{}` and group `{}`",
                        topo.node(n).name,
                        topo.node(dst_nodes[i % dst_nodes.len()]).name,
                        group.name,
                        scenario.groups[stream.to].name
                    ),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests;
