//! # scenarios — the YAML scenario format
//!
//! Turns a scenario file into a ready-to-run simulation, in three stages:
//! 1. [`raw`] — serde deserialisation of the YAML document, parsed once; unknown keys and
//!    values of the wrong type found against the schema of the raw types, all of them;
//! 2. `validate` — units, ranges, names and references checked, every problem collected with
//!    its field path, then located in the file ([`locate`]);
//! 3. [`build`] — groups expanded into named nodes (`ecg[3]`), patterns into links, streams into
//!    sources, attacks and defenses onto link ids.
//!
//! [`catalogue`] holds the device, link and cipher profiles with the sources of their numbers;
//! [`quantity`] parses values written with units (`250ms`, `225mAh@3V`).
//!
//! ## Design note: the YAML library
//!
//! The reader keeps `serde_yaml` 0.9, although it is no longer maintained, and takes positions
//! for its errors from `yaml-rust2`'s event parser ([`locate`]). The maintained alternative,
//! `serde-saphyr` 1.x, deserialises straight into typed structs and gives positions, but has
//! no document tree (no `Value` type). Five parts of the pipeline work on such a tree before
//! or instead of typed deserialisation:
//!
//! - `--set` overrides ([`overrides`]) edit the document at a path before it is read;
//! - sweep factors ([`sweep`]) write each variant's values into a copy of the document;
//! - attack and defense parameter maps are kept as values and checked against each model's
//!   declared parameters (`validate`);
//! - the unknown-key and wrong-type walk (`shape`) compares the document with the schema;
//! - the fuzz test (`tests/end_to_end/fuzz.rs`) mutates the ward's document and reads it back.
//!
//! Switching would mean carrying two YAML libraries (one for the tree, one for the structs)
//! or rebuilding all five on `serde_json::Value` and losing YAML's own scalars on the way.
//! Neither is worth it while `serde_yaml` 0.9 reads every scenario correctly; the decision is
//! worth revisiting when a maintained library offers a document tree with positions.

#![warn(missing_docs)]

pub mod build;
pub mod catalogue;
pub mod error;
pub mod locate;
pub mod overrides;
pub mod paper;
pub mod patient;
pub mod profiles;
pub mod quantity;
pub mod radio;
pub mod raw;
pub mod scenario;
mod shape;
pub mod sweep;
pub mod utilisation;
mod validate;

pub use build::Built;
pub use error::{Diagnostic, ScenarioError};
pub use overrides::Override;
pub use scenario::{Precision, Scenario};
pub use validate::{MAX_NAME_LEN, identifier_like, is_identifier};

/// The JSON Schema of the scenario format (draft 2020-12), for editors: with the
/// yaml-language-server, a first line `# yaml-language-server: $schema=iomtsim.schema.json`
/// gives completion and checking as you type.
pub fn json_schema() -> serde_json::Value {
    scenario_schema().clone()
}

/// The schema of `T`, with every object closed to unknown keys as the reader treats it
/// ([`shape`]).
fn closed_schema<T: schemars::JsonSchema>() -> serde_json::Value {
    let mut s = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    shape::close_objects(&mut s);
    s
}

/// The scenario schema, derived once.
fn scenario_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(closed_schema::<raw::RawScenario>)
}

/// The schema of an included profiles file, derived once.
fn included_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(closed_schema::<raw::RawIncluded>)
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
    /// The scenario expanded, as validation built it (routes included once computed).
    pub built: build::Built,
    /// The sweep plan, if the scenario has a `sweep:` section.
    pub sweep: Option<sweep::SweepPlan>,
    /// What is allowed but probably not meant (a station loaded to ρ ≥ 0.9, an attack that
    /// starts after the end, a radio link out of range...), each located like an error.
    /// `iomtsim validate` prints them; `--deny-warnings` makes them errors.
    pub warnings: Vec<Diagnostic>,
}

/// The largest scenario or included file read, in bytes (16 MiB: the campus example of 10,000
/// wearables is 5 KiB). A larger file is refused before it is read, so `/dev/zero` or a
/// runaway generator cannot exhaust memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The deepest nesting of flow collections (`[`, `{`) a scenario may have. The YAML parser's
/// time grows with the square of the depth (100,000 levels: 42 s); real scenarios use 3.
pub const MAX_NESTING: usize = 64;

/// Reads the bytes of a scenario (or included) file: only a regular file (a FIFO would block,
/// a device never end), at most [`MAX_FILE_BYTES`].
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ScenarioError> {
    use std::io::Read;
    let file = path.display().to_string();
    let io = |source| ScenarioError::Io {
        file: file.clone(),
        source,
    };
    let refuse = |message: String| ScenarioError::Invalid {
        file: file.clone(),
        diagnostics: vec![Diagnostic {
            line: None,
            column: None,
            path: String::new(),
            message,
        }],
    };
    // Asked before opening: opening a FIFO for reading waits for a writer.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(refuse(
            "not a regular file (a folder, device, FIFO or socket); give a scenario file".into(),
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "the file is {} bytes; a scenario is at most {MAX_FILE_BYTES} bytes",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refuse(format!(
            "the file grew past {MAX_FILE_BYTES} bytes while being read; a scenario is at most that"
        )));
    }
    Ok(bytes)
}

/// Scenario bytes as text: UTF-8, with or without a byte-order mark (which is dropped).
pub fn text_of(bytes: Vec<u8>, file: &str) -> Result<String, ScenarioError> {
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = &e.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        ScenarioError::Invalid {
            file: file.to_string(),
            diagnostics: vec![Diagnostic {
                line: Some(line),
                column: Some(column),
                path: String::new(),
                message: "the file is not UTF-8 text (save it as UTF-8)".into(),
            }],
        }
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// Reads and checks the scenario at `path` with `overrides` applied.
pub fn load_with(path: &std::path::Path, overrides: &[Override]) -> Result<Loaded, ScenarioError> {
    let file = path.display().to_string();
    let source = text_of(read_file(path)?, &file)?;
    parse_with(&source, &file, overrides)
}

/// The first place where flow collections nest deeper than [`MAX_NESTING`], as a diagnostic.
/// Brackets inside quoted scalars and comments do not count.
fn nesting_problem(source: &str) -> Option<Diagnostic> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = '\n';
    for c in source.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
            comment = false;
            // A quote opened in block context ends with its line as far as this count cares
            // (an apostrophe in a plain scalar is not a quote).
            if depth == 0 {
                quote = None;
            }
        } else if comment {
        } else if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == '#' && (prev.is_whitespace() || column == 1) {
            comment = true;
        } else if (c == '"' || c == '\'') && (depth > 0 || prev.is_whitespace() || prev == ':') {
            quote = Some(c);
        } else if c == '[' || c == '{' {
            depth += 1;
            if depth > MAX_NESTING {
                return Some(Diagnostic {
                    line: Some(line),
                    column: Some(column),
                    path: String::new(),
                    message: format!(
                        "collections nest more than {MAX_NESTING} deep here; a scenario needs a few levels"
                    ),
                });
            }
        } else if c == ']' || c == '}' {
            depth = depth.saturating_sub(1);
        }
        prev = c;
    }
    None
}

/// Checks scenario text with `overrides` applied; `file` names it in errors. Errors in the
/// file keep their line and column; errors caused by an override name the override instead.
///
/// The text is parsed once into a YAML document (overrides rewrite it), which gives the typed
/// scenario. Its unknown keys and values of the wrong type ([`shape`]), the problems its
/// checks find and the routes missing from the model built from it (built once, and handed
/// to the caller in [`Loaded::built`]) are reported together, every one with its place. The
/// positions are read from the text only when there is something to report.
pub fn parse_with(
    source: &str,
    file: &str,
    overrides: &[Override],
) -> Result<Loaded, ScenarioError> {
    let invalid = |diagnostics| ScenarioError::Invalid {
        file: file.to_string(),
        diagnostics,
    };
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if source.len() as u64 > MAX_FILE_BYTES {
        return Err(invalid(vec![Diagnostic {
            line: None,
            column: None,
            path: String::new(),
            message: format!(
                "the scenario is {} bytes; at most {MAX_FILE_BYTES}",
                source.len()
            ),
        }]));
    }
    if let Some(d) = nesting_problem(source) {
        return Err(invalid(vec![d]));
    }
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
    // Positions, read from the text once and only if a problem or a warning needs one.
    let map = std::cell::OnceCell::new();
    let place = |(path, message): (String, String)| -> Diagnostic {
        let by_set = set_paths.iter().rev().find(|(p, _)| {
            path == *p || path.starts_with(&format!("{p}.")) || path.starts_with(&format!("{p}["))
        });
        match by_set {
            Some((_, o)) => Diagnostic {
                line: None,
                column: None,
                path: format!("--set {o}"),
                message: format!("{path}: {message}"),
            },
            None => {
                let at = map
                    .get_or_init(|| locate::SourceMap::new(source))
                    .place(&path);
                Diagnostic {
                    line: at.map(|p| p.line),
                    column: at.map(|p| p.column),
                    path,
                    message,
                }
            }
        }
    };
    let mut problems = shape::problems(scenario_schema(), &resolved);
    let mut raw: raw::RawScenario = match serde_yaml::from_value(resolved.clone()) {
        Ok(raw) => raw,
        Err(e) => {
            // The document has no positions: read the text again for the place of the error
            // (an override's error names the override).
            let d = if overrides.is_empty() {
                match serde_yaml::from_str::<raw::RawScenario>(source) {
                    Err(e) => serde_diagnostic(&e),
                    Ok(_) => serde_diagnostic(&e),
                }
            } else {
                let mut d = serde_diagnostic(&e);
                d.message = format!("{} (after --set {})", d.message, join(overrides));
                d.line = None;
                d.column = None;
                d
            };
            // A value of the wrong type is found by the shape check too, in its place: serde's
            // own report of it would say the same once more.
            let typed = problems
                .iter()
                .any(|(_, m)| !m.starts_with("unknown field"));
            let mut all: Vec<Diagnostic> = problems.into_iter().map(place).collect();
            if !typed {
                all.push(d);
            }
            return Err(invalid(all));
        }
    };
    let base = std::path::Path::new(file)
        .parent()
        .unwrap_or(std::path::Path::new("."));
    let included = include_profiles(&mut raw, base);
    if !included.is_empty() {
        // Placed at the `include:` entry of the scenario (the message names the included
        // file's own line where the problem is inside it).
        problems.extend(included);
        return Err(invalid(problems.into_iter().map(place).collect()));
    }
    let mut warnings: Vec<(String, String)> = Vec::new();
    match validate::check(&raw) {
        Ok(scenario) => {
            let built = scenario.build();
            problems.extend(unreachable_destinations(&scenario, &built));
            warnings.extend(validate::warnings(&scenario));
            let allowed = raw.allow_overload.unwrap_or(false);
            for u in utilisation::busy(&scenario, &built) {
                let entry = (u.path.clone(), u.message(allowed));
                if u.rho >= 1.0 && u.unbounded && !allowed {
                    problems.push(entry);
                } else {
                    warnings.push(entry);
                }
            }
            let sweep = match raw.sweep.as_ref().map(|sw| {
                let groups: Vec<&str> = scenario.groups.iter().map(|g| g.name.as_str()).collect();
                sweep::check(sw, scenario.replications, &groups)
            }) {
                None => None,
                Some(Ok(plan)) => Some(plan),
                Some(Err(p)) => {
                    problems.extend(p.0);
                    None
                }
            };
            if problems.is_empty() {
                let warnings = warnings
                    .into_iter()
                    .chain(scenario.radio.warnings.iter().cloned())
                    .map(place)
                    .collect();
                return Ok(Loaded {
                    scenario,
                    built,
                    resolved,
                    sweep,
                    warnings,
                });
            }
        }
        Err(p) => problems.extend(p.0),
    }
    Err(invalid(problems.into_iter().map(place).collect()))
}

/// Merges the profiles of the scenario's `include:` files (relative to `base`) into it; the
/// scenario's own profiles win. Problems name the included file, line and column.
///
/// An include must be a relative path that stays inside the scenario's folder tree (after
/// following links), name a regular file of at most [`MAX_FILE_BYTES`], and hold a `profiles:`
/// mapping. Errors about a file that is not a profiles file give its position only, never its
/// content: `include: [/etc/shadow]` must not print a line of it.
fn include_profiles(raw: &mut raw::RawScenario, base: &std::path::Path) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let root = std::fs::canonicalize(base);
    for (i, name) in raw.include.clone().iter().enumerate() {
        let at = |message: String| (format!("include[{i}]"), message);
        let rel = std::path::Path::new(name);
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            problems.push(at(format!(
                "`{}`: an include is a path relative to the scenario's folder, inside it (no leading `/`, no `..`)",
                name.escape_debug()
            )));
            continue;
        }
        let path = base.join(rel);
        let inside = match (&root, std::fs::canonicalize(&path)) {
            (Ok(root), Ok(real)) => real.starts_with(root),
            (_, Err(e)) => {
                problems.push(at(format!("cannot read `{}`: {e}", path.display())));
                continue;
            }
            (Err(_), _) => false,
        };
        if !inside {
            problems.push(at(format!(
                "`{}` leads outside the scenario's folder (through a link); copy the file next to the scenario",
                path.display()
            )));
            continue;
        }
        let text = match read_file(&path).and_then(|b| text_of(b, &path.display().to_string())) {
            Ok(t) => t,
            Err(ScenarioError::Io { source, .. }) => {
                problems.push(at(format!("cannot read `{}`: {source}", path.display())));
                continue;
            }
            Err(ScenarioError::Invalid { diagnostics, .. }) => {
                for d in diagnostics {
                    problems.push(at(format!(
                        "{}: {}",
                        d.display_in(&path.display().to_string()),
                        ""
                    )
                    .trim_end_matches(": ")
                    .to_string()));
                }
                continue;
            }
        };
        if let Some(d) = nesting_problem(&text) {
            problems.push(at(d.display_in(&path.display().to_string()).to_string()));
            continue;
        }
        // Only a YAML mapping with a `profiles` key is a file a user wrote for iomtsim: for any
        // other, its position is given but none of its text.
        let not_profiles = "not a profiles file: an included file is a YAML mapping with `profiles:` (devices, links, ciphers)";
        let shown = path.display();
        let document = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
            Ok(v @ serde_yaml::Value::Mapping(_)) if v.get("profiles").is_some() => v,
            Ok(_) => {
                problems.push(at(format!("{shown}:1:1: {not_profiles}")));
                continue;
            }
            Err(e) => {
                let d = serde_diagnostic(&e);
                problems.push(at(format!(
                    "{shown}:{}:{}: {not_profiles}",
                    d.line.unwrap_or(1),
                    d.column.unwrap_or(1)
                )));
                continue;
            }
        };
        let shape = shape::problems(included_schema(), &document);
        let typed = serde_yaml::from_value::<raw::RawIncluded>(document);
        if !shape.is_empty() || typed.is_err() {
            // As in the scenario: a wrong type found by the shape check is not repeated.
            let wrong_type = shape.iter().any(|(_, m)| !m.starts_with("unknown field"));
            let map = locate::SourceMap::new(&text);
            for (key, message) in shape {
                let p = map
                    .place(&key)
                    .unwrap_or(locate::Position { line: 1, column: 1 });
                problems.push(at(format!(
                    "{shown}:{}:{}: {key}: {message}",
                    p.line, p.column
                )));
            }
            if typed.is_err()
                && !wrong_type
                && let Err(e) = serde_yaml::from_str::<raw::RawIncluded>(&text)
            {
                let d = serde_diagnostic(&e);
                let field = if d.path.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", d.path)
                };
                problems.push(at(format!(
                    "{shown}:{}:{}: {field}{}",
                    d.line.unwrap_or(1),
                    d.column.unwrap_or(1),
                    d.message
                )));
            }
            continue;
        }
        let Ok(included) = typed else { continue };
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
    // Every problem has a place: serde_yaml leaves a few without one (an error at the end of
    // the document), which the start of the file stands for.
    Diagnostic {
        line: Some(e.location().map_or(1, |l| l.line())),
        column: Some(e.location().map_or(1, |l| l.column())),
        path,
        message,
    }
}

/// Streams whose destination no route reaches, as (path, message): one per stream.
fn unreachable_destinations(scenario: &Scenario, built: &Built) -> Vec<(String, String)> {
    let topo = &built.model.topology;
    // Without the wormholes' tunnels: they open only while their attack is active.
    let routes = built.routes();
    let mut problems: Vec<(String, String)> = Vec::new();
    for src in &built.model.sources {
        if src.node == src.dst || routes.next_hop(src.node, src.dst).is_some() {
            continue;
        }
        let from = topo.node(src.node);
        let Some(group) = scenario.groups.iter().find(|g| *g.name == *from.group) else {
            continue;
        };
        let src_name = src.name.text();
        let stream_name = src_name.split_once('/').map_or("", |(_, s)| s);
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
mod loading_tests;
#[cfg(test)]
mod robustness;
#[cfg(test)]
mod tandem_tests;
#[cfg(test)]
mod tests;
