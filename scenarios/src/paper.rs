//! Paper specifications: the figures and tables of a paper, each naming the scenario, the
//! overrides and the sweep (or comparison of variants) behind it, read from `PAPER.yaml` and
//! checked as a whole before anything runs.
//!
//! Every problem is reported like a scenario's, `file:line:column: path: message`, located in
//! the paper file by [`crate::locate`]: an unknown figure kind, a metric no sweep job reports
//! (checked against [`crate::sweep::RUN_METRICS`], [`crate::sweep::DERIVED_METRICS`] and the
//! scenario's node groups), two figures with one label, a scenario file that is missing. A
//! scenario that is itself wrong is reported in its own file, after the figure that names it.
//!
//! Each figure or table becomes a sweep of its scenario: the scenario's own `sweep:` block
//! (`sweep: scenario`), a block written in the paper (`sweep: {...}`), a comparison of named
//! variants (`compare: [...]`, a sweep of variants only), or, with none of these, one point of
//! the scenario as it is. The block reaches the scenario as one `--set sweep=...` override, so
//! the sweep runs exactly as `iomtsim sweep --set ...` would run it.

use crate::error::{Diagnostic, ScenarioError};
use crate::overrides::Override;
use crate::sweep::{GROUP_METRICS, SweepPlan, is_run_metric};
use crate::validate::{Problems, suggest};
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

/// The chart a figure draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FigureKind {
    /// The metric against the sweep's first parameter, one line and 95 % band per variant.
    Lines,
    /// The paired difference of each variant from the baseline (replication r of both shares
    /// its seed), against the first parameter, or as bars without a parameter.
    Difference,
    /// The metric's mean and 95 % interval per variant, as bars (no swept parameter).
    Bars,
    /// A forest plot of one variant against the baseline: each metric's paired difference
    /// relative to the baseline's mean, in percent, with its 95 % interval.
    Forest,
}

impl FigureKind {
    /// The kind as written in the paper file.
    pub fn name(self) -> &'static str {
        match self {
            FigureKind::Lines => "lines",
            FigureKind::Difference => "difference",
            FigureKind::Bars => "bars",
            FigureKind::Forest => "forest",
        }
    }
}

/// One column of a two-column paper: 3.5 in (IEEE's 88.9 mm column) wide.
pub const ONE_COLUMN_IN: (f64, f64) = (3.5, 2.6);

/// The text width of a two-column paper: 7.16 in (IEEE's 181.9 mm text block) wide.
pub const TWO_COLUMN_IN: (f64, f64) = (7.16, 3.0);

/// A figure's size on the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FigureSize {
    /// One column ([`ONE_COLUMN_IN`]), placed in a `figure` at `\columnwidth`.
    OneColumn,
    /// The full text width ([`TWO_COLUMN_IN`]), placed in a `figure*` at `\textwidth`.
    TwoColumn,
    /// A width and height in inches, placed in a `figure` at its own size.
    Inches {
        /// Width, inches.
        width: f64,
        /// Height, inches.
        height: f64,
    },
}

impl FigureSize {
    /// Width and height in inches.
    pub fn inches(self) -> (f64, f64) {
        match self {
            FigureSize::OneColumn => ONE_COLUMN_IN,
            FigureSize::TwoColumn => TWO_COLUMN_IN,
            FigureSize::Inches { width, height } => (width, height),
        }
    }
}

/// Where a figure's or table's numbers come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// One point: the scenario as it is (after the overrides).
    Run,
    /// The scenario's own `sweep:` block.
    ScenarioSweep,
    /// A sweep block written in the paper (or made of `compare:`'s variants).
    Sweep,
}

/// What an item of the paper is.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    /// A figure: its chart and size.
    Figure {
        /// The chart.
        kind: FigureKind,
        /// The size on the page.
        size: FigureSize,
    },
    /// A LaTeX table: metrics down, the sweep's points (variants) across.
    Table,
}

/// One checked figure or table.
#[derive(Clone, Debug)]
pub struct Item {
    /// Figure or table.
    pub kind: ItemKind,
    /// Its label: the file stem under `figures/` or `tables/`, and, after `fig:` or `tab:`,
    /// its LaTeX label.
    pub label: String,
    /// The caption (LaTeX text, written as given).
    pub caption: String,
    /// Where it sits in the paper file (`figures[2]`).
    pub path: String,
    /// The scenario file, relative to the working folder.
    pub scenario: PathBuf,
    /// The scenario file as the paper names it (relative to the paper's folder).
    pub scenario_in_paper: String,
    /// Where the sweep block comes from.
    pub source: Source,
    /// Every override, in order: the paper's `set:`, the item's `set:`, its `seed`, the sweep
    /// block (`sweep=...`) and its `replications` (`sweep.replications=...`).
    pub overrides: Vec<Override>,
    /// The metrics drawn or tabulated (`metric` or `group/metric`).
    pub metrics: Vec<String>,
    /// The scenario file's bytes.
    pub scenario_bytes: Vec<u8>,
    /// The base seed after the overrides.
    pub base_seed: u64,
    /// The sweep plan after the overrides.
    pub plan: SweepPlan,
}

/// A checked paper.
#[derive(Clone, Debug)]
pub struct Paper {
    /// Its title, if given.
    pub title: Option<String>,
    /// Figures, then tables, in the order written.
    pub items: Vec<Item>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaper {
    title: Option<String>,
    #[serde(default)]
    set: Mapping,
    #[serde(default)]
    figures: Vec<RawItem>,
    #[serde(default)]
    tables: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    label: String,
    caption: String,
    scenario: String,
    #[serde(default)]
    set: Mapping,
    seed: Option<u64>,
    replications: Option<u32>,
    sweep: Option<Value>,
    compare: Option<Vec<crate::raw::RawVariant>>,
    baseline: Option<String>,
    kind: Option<FigureKind>,
    #[serde(default)]
    metrics: Vec<String>,
    size: Option<RawSize>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawSize {
    Named(String),
    Given { width: Value, height: Value },
}

/// A length with its unit (`85mm`, `8.5cm`, `3.5in`, `252pt`) in inches; TeX points (72.27
/// per inch) as `pt`, PostScript points as `bp`.
pub fn length_in(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let x: f64 = number.trim().parse().map_err(|_| {
        format!("`{t}` is not a length; write a number and a unit: 85mm, 8.5cm, 3.5in, 252pt")
    })?;
    let per_inch = match unit.trim() {
        "mm" => 25.4,
        "cm" => 2.54,
        "in" => 1.0,
        "pt" => 72.27,
        "bp" => 72.0,
        "" => return Err(format!("`{t}` has no unit; write mm, cm, in, pt or bp")),
        other => {
            return Err(format!(
                "`{other}` is not a length unit{}",
                suggest(other, &["mm", "cm", "in", "pt", "bp"])
            ));
        }
    };
    let inches = x / per_inch;
    if !(0.5..=20.0).contains(&inches) {
        return Err(format!(
            "`{t}` is {inches:.2} in; a figure is 0.5 to 20 in (13 to 508 mm) on a side"
        ));
    }
    Ok(inches)
}

/// Whether `label` can be a file stem and a LaTeX label: 1 to 64 ASCII letters, digits, `_`,
/// `-` or `.`, beginning with a letter or digit.
fn label_ok(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= crate::MAX_NAME_LEN
        && label
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

fn diagnostics(source: &str, problems: Problems) -> Vec<Diagnostic> {
    problems
        .0
        .into_iter()
        .map(|(path, message)| {
            let at = crate::locate::locate(source, &path)
                .or_else(|| crate::locate::by_key(source, &path));
            Diagnostic {
                line: at.map(|p| p.line),
                column: at.map(|p| p.column),
                path,
                message,
            }
        })
        .collect()
}

/// A `set:` mapping as overrides, in the order written.
fn overrides_of(p: &mut Problems, path: &str, set: &Mapping) -> Vec<Override> {
    set.iter()
        .filter_map(|(k, v)| match k.as_str() {
            Some(key) => Some(Override {
                path: key.to_string(),
                value: crate::sweep::value_text(v),
            }),
            None => {
                p.add(path, "each key is a `--set` path, written as text");
                None
            }
        })
        .collect()
}

/// A YAML value as one line of JSON (which YAML reads back as it was), for a `--set` value.
fn one_line_json(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Whether `source` is a paper file rather than a scenario: a top-level mapping with `figures`
/// or `tables` (keys no scenario has). Text that is not YAML is not a paper: the scenario
/// parser then reports what is wrong with it.
pub fn is_paper(source: &str) -> bool {
    serde_yaml::from_str::<serde_yaml::Value>(source).is_ok_and(|v| {
        v.as_mapping()
            .is_some_and(|m| m.contains_key("figures") || m.contains_key("tables"))
    })
}

/// Reads and checks the paper at `path`: its own structure, then every scenario it names with
/// the item's overrides, then the metrics and the chart kinds against each sweep's shape.
/// Scenario paths are relative to the paper file's folder.
pub fn load_paper(path: &Path) -> Result<Paper, ScenarioError> {
    let file = path.display().to_string();
    let source = crate::text_of(crate::read_file(path)?, &file)?;
    let base = path.parent().unwrap_or(Path::new(""));
    parse_paper(&source, &file, base)
}

/// Checks paper text; `file` names it in errors, `base` is the folder scenario paths are
/// relative to.
pub fn parse_paper(source: &str, file: &str, base: &Path) -> Result<Paper, ScenarioError> {
    let invalid = |diagnostics| ScenarioError::Invalid {
        file: file.to_string(),
        diagnostics,
    };
    if let Some(d) = crate::nesting_problem(source) {
        return Err(invalid(vec![d]));
    }
    let raw: RawPaper =
        serde_yaml::from_str(source).map_err(|e| invalid(vec![crate::serde_diagnostic(&e)]))?;
    let mut p = Problems::default();
    if raw.figures.is_empty() && raw.tables.is_empty() {
        p.add("figures", "the paper lists no figures and no tables");
    }
    let shared = overrides_of(&mut p, "set", &raw.set);
    // Structure first: labels, kinds, sizes, sources. Scenarios are read only once it is sound.
    let mut plans: Vec<(ItemKind, String, &RawItem, Source, Vec<Override>)> = Vec::new();
    let groups = [("figures", &raw.figures), ("tables", &raw.tables)];
    for (list, items) in groups {
        for (i, item) in items.iter().enumerate() {
            let at = format!("{list}[{i}]");
            if !label_ok(&item.label) {
                p.add(
                    format!("{at}.label"),
                    format!(
                        "the label `{}` is not allowed: 1 to {} ASCII letters, digits, `_`, `-` or `.`, beginning with a letter or digit (it names the file and, after `fig:` or `tab:`, the LaTeX label)",
                        item.label.escape_debug(),
                        crate::MAX_NAME_LEN
                    ),
                );
            }
            if let Some(j) = items[..i].iter().position(|o| o.label == item.label) {
                p.add(
                    format!("{at}.label"),
                    format!(
                        "two {list} with the label `{}`: {list}[{j}] has it already; labels name files and LaTeX labels, so each is used once",
                        item.label
                    ),
                );
            }
            let kind = if list == "figures" {
                let size = match &item.size {
                    None => FigureSize::OneColumn,
                    Some(RawSize::Named(n)) => match n.as_str() {
                        "one-column" => FigureSize::OneColumn,
                        "two-column" => FigureSize::TwoColumn,
                        other => {
                            p.add(
                                format!("{at}.size"),
                                format!(
                                    "no size called `{other}`{}, or {{ width: 85mm, height: 60mm }}",
                                    suggest(other, &["one-column", "two-column"])
                                ),
                            );
                            FigureSize::OneColumn
                        }
                    },
                    Some(RawSize::Given { width, height }) => {
                        let mut side = |name: &str, v: &Value| {
                            length_in(&crate::sweep::value_text(v))
                                .map_err(|e| p.add(format!("{at}.size.{name}"), e))
                                .unwrap_or(1.0)
                        };
                        FigureSize::Inches {
                            width: side("width", width),
                            height: side("height", height),
                        }
                    }
                };
                match item.kind {
                    Some(kind) => ItemKind::Figure { kind, size },
                    None => {
                        p.add(
                            &at,
                            "a figure needs `kind:` (lines, difference, bars or forest)",
                        );
                        continue;
                    }
                }
            } else {
                if item.kind.is_some() {
                    p.add(format!("{at}.kind"), "a table has no chart kind");
                }
                if item.size.is_some() {
                    p.add(
                        format!("{at}.size"),
                        "a table has no size; LaTeX sets it at its natural width",
                    );
                }
                ItemKind::Table
            };
            if item.metrics.is_empty() {
                p.add(format!("{at}.metrics"), "name at least one metric");
            }
            for (j, m) in item.metrics.iter().enumerate() {
                if item.metrics[..j].contains(m) {
                    p.add(
                        format!("{at}.metrics[{j}]"),
                        format!("`{m}` is listed twice"),
                    );
                }
            }
            if item.sweep.is_some() && item.compare.is_some() {
                p.add(
                    format!("{at}.compare"),
                    "give `sweep:` or `compare:`, not both (a sweep block may have its own `variants:`)",
                );
            }
            if item.baseline.is_some() && item.compare.is_none() {
                p.add(
                    format!("{at}.baseline"),
                    "`baseline:` names one of `compare:`'s variants; in a sweep block write it inside the block",
                );
            }
            let mut overrides = shared.clone();
            overrides.extend(overrides_of(&mut p, &format!("{at}.set"), &item.set));
            if let Some(seed) = item.seed {
                overrides.push(Override {
                    path: "seed".into(),
                    value: seed.to_string(),
                });
            }
            let block: Option<Value> = match (&item.sweep, &item.compare) {
                (Some(Value::String(s)), _) if s == "scenario" => None,
                (Some(Value::Mapping(m)), _) => Some(Value::Mapping(m.clone())),
                (Some(_), _) => {
                    p.add(
                        format!("{at}.sweep"),
                        "write `sweep: scenario` (the scenario's own `sweep:` block) or a sweep block `{ parameters: [...], variants: [...] }`",
                    );
                    continue;
                }
                (None, Some(variants)) => {
                    let mut m = Mapping::new();
                    let list: Vec<Value> = variants
                        .iter()
                        .map(|v| {
                            let mut e = Mapping::new();
                            e.insert("name".into(), Value::String(v.name.clone()));
                            e.insert("set".into(), Value::Mapping(v.set.clone()));
                            Value::Mapping(e)
                        })
                        .collect();
                    m.insert("variants".into(), Value::Sequence(list));
                    if let Some(b) = &item.baseline {
                        m.insert("baseline".into(), Value::String(b.clone()));
                    }
                    Some(Value::Mapping(m))
                }
                // One point: an empty block replaces any the scenario has.
                (None, None) => Some(Value::Mapping(Mapping::new())),
            };
            let source = match (&block, &item.sweep, &item.compare) {
                (None, _, _) => Source::ScenarioSweep,
                (Some(_), None, None) => Source::Run,
                _ => Source::Sweep,
            };
            if let Some(b) = &block {
                overrides.push(Override {
                    path: "sweep".into(),
                    value: one_line_json(b),
                });
            }
            if let Some(r) = item.replications {
                overrides.push(Override {
                    path: "sweep.replications".into(),
                    value: r.to_string(),
                });
            }
            plans.push((kind, at, item, source, overrides));
        }
    }
    if !p.0.is_empty() {
        return Err(invalid(diagnostics(source, p)));
    }
    // Then each scenario, with its overrides, and the metrics and kinds against its sweep.
    let mut items = Vec::new();
    let mut scenario_errors: Vec<Diagnostic> = Vec::new();
    for (kind, at, item, src, overrides) in plans {
        let scenario = base.join(&item.scenario);
        let shown = scenario.display().to_string();
        let bytes = match crate::read_file(&scenario) {
            Ok(b) => b,
            Err(e) => {
                let why = match e {
                    ScenarioError::Io { source, .. } => source.to_string(),
                    other => other.to_string(),
                };
                p.add(
                    format!("{at}.scenario"),
                    format!(
                        "cannot read the scenario `{shown}`: {why} (a path relative to the paper's folder)"
                    ),
                );
                continue;
            }
        };
        let loaded = match crate::text_of(bytes.clone(), &shown)
            .and_then(|text| crate::parse_with(&text, &shown, &overrides))
        {
            Ok(l) => l,
            Err(e) => {
                // Placed at the item, the scenario's own problems on the lines below.
                scenario_errors.extend(diagnostics(
                    source,
                    Problems(vec![(
                        format!("{at}.scenario"),
                        format!(
                            "the scenario `{shown}` with this item's overrides is refused:\n{e}"
                        ),
                    )]),
                ));
                continue;
            }
        };
        let Some(plan) = loaded.sweep.clone() else {
            p.add(
                format!("{at}.sweep"),
                format!(
                    "`sweep: scenario` uses the scenario's own `sweep:` block, and `{shown}` has none; write a sweep block here"
                ),
            );
            continue;
        };
        // Every point, as the sweep will build it, so a variant or value the scenario refuses
        // stops the paper before any sweep of it runs.
        let text = crate::text_of(bytes.clone(), &shown)?;
        let at_source = if item.compare.is_some() {
            format!("{at}.compare")
        } else {
            format!("{at}.sweep")
        };
        for point in plan.points() {
            let all: Vec<Override> = overrides.iter().cloned().chain(point.overrides).collect();
            if let Err(e) = crate::parse_with(&text, &shown, &all) {
                let mut what: Vec<String> = point
                    .variant
                    .map(|v| format!("variant {}", plan.variants[v].name))
                    .into_iter()
                    .collect();
                what.extend(
                    plan.parameters
                        .iter()
                        .zip(&point.values)
                        .map(|(p, v)| format!("{}={v}", p.path)),
                );
                scenario_errors.extend(diagnostics(
                    source,
                    Problems(vec![(
                        at_source.clone(),
                        format!(
                            "point {} ({}) of `{shown}` is refused:\n{e}",
                            point.index,
                            what.join(", ")
                        ),
                    )]),
                ));
                break;
            }
        }
        let groups: Vec<&str> = loaded
            .scenario
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        for (j, m) in item.metrics.iter().enumerate() {
            if let Some(why) = metric_problem(m, &groups) {
                p.add(format!("{at}.metrics[{j}]"), why);
            }
        }
        if let ItemKind::Figure { kind, .. } = kind
            && let Some(why) = shape_problem(kind, &plan, item.metrics.len())
        {
            p.add(format!("{at}.kind"), why);
        }
        items.push(Item {
            kind,
            label: item.label.clone(),
            caption: item.caption.clone(),
            path: at,
            scenario,
            scenario_in_paper: item.scenario.clone(),
            source: src,
            overrides,
            metrics: item.metrics.clone(),
            scenario_bytes: bytes,
            base_seed: loaded.scenario.seed,
            plan,
        });
    }
    let mut all = diagnostics(source, p);
    all.extend(scenario_errors);
    if !all.is_empty() {
        return Err(invalid(all));
    }
    Ok(Paper {
        title: raw.title,
        items,
    })
}

/// Why `metric` is not one a sweep job of this scenario reports, if it is not.
fn metric_problem(metric: &str, groups: &[&str]) -> Option<String> {
    let run: Vec<&str> = crate::sweep::RUN_METRICS
        .iter()
        .chain(&crate::sweep::DERIVED_METRICS)
        .copied()
        .collect();
    match metric.split_once('/') {
        None if is_run_metric(metric) => None,
        None if GROUP_METRICS.contains(&metric) => Some(format!(
            "`{metric}` is a per-group metric: write `GROUP/{metric}` with one of the node groups {}",
            groups.join(", ")
        )),
        None => Some(format!(
            "the scenario produces no metric called `{metric}`{}",
            suggest(metric, &run)
        )),
        Some((g, _)) if !groups.contains(&g) => Some(format!(
            "the scenario has no node group called `{g}`{}",
            suggest(g, groups)
        )),
        Some((_, m)) if !GROUP_METRICS.contains(&m) => Some(format!(
            "no per-group metric called `{m}`{}",
            suggest(m, &GROUP_METRICS)
        )),
        Some(_) => None,
    }
}

/// Why a chart of `kind` cannot be drawn from a sweep of this shape with `metrics` metrics.
fn shape_problem(kind: FigureKind, plan: &SweepPlan, metrics: usize) -> Option<String> {
    let (params, variants) = (plan.parameters.len(), plan.variants.len());
    match kind {
        FigureKind::Forest => {
            if variants != 2 || params != 0 {
                return Some(format!(
                    "a forest plot compares one variant with the baseline: it needs a sweep of exactly two variants and no parameter, found {variants} variant(s) and {params} parameter(s)"
                ));
            }
            None
        }
        _ if metrics != 1 => Some(format!(
            "a `{}` chart draws one metric, found {metrics}; make one figure per metric, or a `forest` for several",
            kind.name()
        )),
        FigureKind::Lines if params == 0 => Some(
            "a `lines` chart needs a swept parameter for its x axis; use `bars` to compare variants".into(),
        ),
        FigureKind::Bars if params != 0 => Some(format!(
            "a `bars` chart shows one bar per variant and no parameter, found {params} parameter(s); use `lines`"
        )),
        FigureKind::Difference if variants < 2 => Some(format!(
            "a `difference` chart needs at least two variants (the baseline and another), found {variants}"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_paper_is_told_from_a_scenario_by_its_figures_or_tables() {
        assert!(super::is_paper("title: t\nfigures: []\n"));
        assert!(super::is_paper("tables:\n  - label: x\n"));
        assert!(!super::is_paper(include_str!("../../examples/ward.yaml")));
        assert!(!super::is_paper("figures: [unclosed"));
        assert!(!super::is_paper("- figures\n"));
    }

    use super::*;

    #[test]
    fn lengths_convert_to_inches() {
        assert!((length_in("88.9mm").unwrap() - 3.5).abs() < 1e-12);
        assert!((length_in("8.89 cm").unwrap() - 3.5).abs() < 1e-12);
        assert!((length_in("252bp").unwrap() - 3.5).abs() < 1e-12);
        assert!((length_in("72.27pt").unwrap() - 1.0).abs() < 1e-12);
        assert!(length_in("85").unwrap_err().contains("no unit"));
        assert!(
            length_in("85mmm")
                .unwrap_err()
                .contains("did you mean `mm`")
        );
        assert!(length_in("2mm").unwrap_err().contains("0.5 to 20 in"));
    }

    #[test]
    fn the_example_paper_is_checked_whole() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/paper.yaml");
        let p = load_paper(&path).unwrap_or_else(|e| panic!("{e}"));
        let labels: Vec<&str> = p.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "defense-costs",
                "cipher-alarm-latency",
                "jammer-distance",
                "ids-exposure",
                "defense-costs"
            ]
        );
        // The forest plot: a comparison of two variants, the undefended one the baseline.
        let forest = &p.items[0];
        assert_eq!(forest.source, Source::Sweep);
        assert_eq!(forest.plan.variants.len(), 2);
        assert_eq!(
            forest.plan.variants[forest.plan.baseline].name,
            "undefended"
        );
        assert_eq!(forest.plan.replications, 5);
        // The jammer figure uses the scenario's own sweep (8 positions × 2 channels).
        let jammer = &p.items[2];
        assert_eq!(jammer.source, Source::ScenarioSweep);
        assert_eq!(jammer.plan.point_count(), 16);
        assert_eq!(jammer.plan.replications, 10);
        // The table and the forest plot ask for the same sweep, so they share its run.
        assert_eq!(forest.overrides, p.items[4].overrides);
        assert_eq!(p.items[4].kind, ItemKind::Table);
    }

    fn refused(text: &str) -> Vec<Diagnostic> {
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        match parse_paper(text, "p.yaml", &base) {
            Err(ScenarioError::Invalid { diagnostics, .. }) => diagnostics,
            other => panic!("{:?}", other.map(|p| p.items.len())),
        }
    }

    #[test]
    fn charts_that_do_not_fit_their_sweep_and_bad_sizes_are_located() {
        let fig = |extra: &str| {
            format!("figures:\n  - label: a\n    caption: A.\n    scenario: jammer.yaml\n{extra}")
        };
        // The jammer's own sweep has a parameter: no bars, and a forest needs two variants and
        // no parameter.
        let d = refused(&fig(
            "    sweep: scenario\n    kind: bars\n    metrics: [delivery_ratio]\n",
        ));
        assert_eq!(d[0].path, "figures[0].kind");
        assert_eq!((d[0].line, d[0].column), (Some(6), Some(5)));
        assert!(d[0].message.contains("one bar per variant"), "{d:?}");
        let d = refused(&fig(
            "    sweep: scenario\n    kind: forest\n    metrics: [delivery_ratio]\n",
        ));
        assert!(d[0].message.contains("exactly two variants"), "{d:?}");
        // One point and no variants: no difference to draw.
        let d = refused(&fig(
            "    kind: difference\n    metrics: [delivery_ratio]\n",
        ));
        assert!(d[0].message.contains("at least two variants"), "{d:?}");
        let d = refused(&fig(
            "    kind: bars\n    metrics: [delivery_ratio, latency_ms]\n",
        ));
        assert!(d[0].message.contains("draws one metric, found 2"), "{d:?}");
        let d = refused(&fig(
            "    kind: bars\n    metrics: [delivery_ratio]\n    size: { width: 85mm, height: 60 }\n",
        ));
        assert_eq!(d[0].path, "figures[0].size.height");
        assert!(d[0].message.contains("no unit"), "{d:?}");
        let d = refused(&fig(
            "    kind: bars\n    metrics: [delivery_ratio]\n    size: one-colum\n",
        ));
        assert!(d[0].message.contains("did you mean `one-column`"), "{d:?}");
        // A variant the scenario refuses stops the paper before anything runs.
        let d = refused(&fig(
            "    compare: [{ name: a }, { name: b, set: { jammers.corridor.power_dbm: loud } }]\n    kind: bars\n    metrics: [delivery_ratio]\n",
        ));
        assert_eq!(d[0].path, "figures[0].compare");
        assert!(
            d[0].message.starts_with("point 1 (variant b) of `"),
            "{d:?}"
        );
        assert!(d[0].message.contains("power_dbm"), "{d:?}");
        // `sweep: scenario` on a scenario without one.
        let d = refused(
            "figures:\n  - label: a\n    caption: A.\n    scenario: implant.yaml\n    sweep: scenario\n    kind: bars\n    metrics: [latency_ms]\n",
        );
        assert_eq!(d[0].path, "figures[0].sweep");
        assert!(d[0].message.contains("has none"), "{d:?}");
    }

    #[test]
    fn labels_are_file_stems() {
        assert!(label_ok("jammer-distance"));
        assert!(label_ok("defense_costs.v2"));
        assert!(!label_ok("fig:x"));
        assert!(!label_ok("-x"));
        assert!(!label_ok("a/b"));
    }
}
