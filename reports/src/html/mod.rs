//! `report.html`: the one file of a results folder a person opens first.
//!
//! Every `run`, `sweep` and `compare` writes it beside its other files, and `iomtsim plot`
//! rewrites it. It is self-contained (the charts inline as the SVG the chart code draws, the
//! system's own fonts, no script, style sheet, font or image fetched from anywhere), reads
//! without JavaScript (a little inline script sorts tables and switches a sweep's charts), and
//! holds nothing that differs between two runs of the same command: no time, path or machine.
//!
//! A run's page ([`run_page`]) is built from the folder's own files — `summary.json`,
//! `manifest.json` (command line and the scenario as run), `incidents.csv`, `attacks.csv`,
//! `patients.csv` — and the charts drawn from them; the run writes it from the bytes it is
//! about to write, `plot` from the files on disk, so both give the same page. Sections, one
//! module each: [`headline`], [`charts`], [`tables`] (groups, patients), [`timeline`],
//! [`rules`], [`provenance`]; [`sweep`] and [`compare`] assemble the pages of a sweep and a
//! comparison; [`page`] is the writing core.

pub mod charts;
pub mod compare;
pub mod headline;
pub mod page;
pub mod provenance;
pub mod rules;
pub mod sweep;
pub mod tables;
pub mod timeline;

use crate::data::{DataError, files};
use page::{Page, esc};
use serde_json::Value;
use std::fmt::Write;
use std::path::Path;

/// The page's file name in a results folder.
pub const REPORT_HTML: &str = "report.html";

/// A CSV file read for the page: its header and records.
pub struct Csv {
    /// Column names.
    pub headers: Vec<String>,
    /// Records, in file order.
    pub rows: Vec<csv::StringRecord>,
}

impl Csv {
    /// Parses `bytes`, the file `name` of a results folder.
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Csv, DataError> {
        let bad = |e: csv::Error| DataError::Malformed {
            path: name.into(),
            message: e.to_string(),
        };
        let mut r = csv::Reader::from_reader(bytes);
        let headers = r.headers().map_err(bad)?.iter().map(String::from).collect();
        let rows = r.records().collect::<Result<_, _>>().map_err(bad)?;
        Ok(Csv { headers, rows })
    }

    /// The index of column `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }
}

/// Everything a run's page is made from, as bytes of the folder's files (or the bytes a run
/// is about to write into it).
pub struct RunSources<'a> {
    /// `summary.json`.
    pub summary: &'a [u8],
    /// `manifest.json`, or the manifest's fields before its file list exists: only
    /// `command_line`, `program` and `scenario.resolved` are read.
    pub manifest: &'a Value,
    /// `incidents.csv`.
    pub incidents: &'a [u8],
    /// `attacks.csv`.
    pub attacks: &'a [u8],
    /// `patients.csv`.
    pub patients: &'a [u8],
    /// The one-column SVG of each chart drawn, by stem, in [`crate::plot::CHARTS`] order, and
    /// the charts left out for want of data; `None` when the run drew no chart
    /// (`--charts none`).
    pub charts: Option<&'a crate::plot::PageCharts>,
}

fn json(name: &str, bytes: &[u8]) -> Result<Value, DataError> {
    serde_json::from_slice(bytes).map_err(|e| DataError::Malformed {
        path: name.into(),
        message: e.to_string(),
    })
}

/// The title, the scenario's question (its `description:`) and a line of facts, as the top of
/// a page.
fn header(title: &str, question: Option<&str>, facts: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "<header>\n<h1>{}</h1>", esc(title));
    if let Some(q) = question.filter(|q| !q.trim().is_empty()) {
        let _ = writeln!(s, "<p class=\"question\">{}</p>", esc(q.trim()));
    }
    let _ = writeln!(s, "<p>{}</p>\n</header>", esc(facts));
    s
}

/// A run's `report.html`.
pub fn run_page(src: &RunSources) -> Result<String, DataError> {
    let summary = json(files::SUMMARY_JSON, src.summary)?;
    let resolved = &src.manifest["scenario"]["resolved"];
    let scenario = summary["scenario"]["name"].as_str().unwrap_or("scenario");
    let replications = summary["replications"].as_u64().unwrap_or(0) as usize;
    let num = |v: &Value| {
        v.as_f64()
            .map_or(String::new(), |x| crate::chart::sig(x, 6))
    };
    let facts = format!(
        "{replications} replication(s) of {} s simulated, the first {} s excluded as warm-up; {} events; iomtsim {}.",
        num(&summary["duration_s"]),
        num(&summary["warmup_s"]),
        summary["events"].as_u64().unwrap_or(0),
        summary["program"]["version"].as_str().unwrap_or("")
    );
    let mut page = Page::new(&format!("{scenario} — iomtsim results"));
    let has_attacks = resolved["attacks"]
        .as_array()
        .is_some_and(|a| !a.is_empty());

    page.section("headline", "Headline");
    page.raw(&headline::headline(&summary, has_attacks));

    page.section("charts", "Charts");
    match src.charts {
        Some(charts) => {
            let deadlines: Vec<(String, f64)> = summary["deadlines_ms"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(c, d)| Some((c.clone(), d.as_f64()?)))
                .collect();
            let f = charts::RunFacts {
                replications,
                deadlines_ms: &deadlines,
                warmup_s: summary["warmup_s"].as_f64().unwrap_or(0.0),
            };
            if charts.drawn.is_empty() {
                page.para("No chart has anything to show for this run.");
            } else {
                page.note("Every chart is also in plots/ as SVG and PNG, one-column and full-width (--charts chooses the formats).");
            }
            for (stem, svg) in &charts.drawn {
                let (caption, alt) = self::charts::run_caption(stem, &f);
                page.raw(&self::charts::figure(stem, svg, &alt, &caption, None));
            }
            if !charts.absent.is_empty() {
                page.raw(&self::charts::absent_list(&charts.absent));
            }
        }
        None => page.para(
            "No charts: the run was made with --charts none. `iomtsim plot` on this folder draws them and adds them here.",
        ),
    }

    if let Some(t) = tables::groups(&summary) {
        page.section("groups", "Node groups");
        page.raw(&t);
    }
    if let Some(t) = tables::information_age(&summary) {
        page.section("information-age", "Age of information");
        page.raw(&t);
    }
    if let Some(t) = tables::patients(files::PATIENTS_CSV, src.patients)? {
        page.section("patients", "Patients");
        page.raw(&t);
    }
    let incidents = Csv::parse(files::INCIDENTS_CSV, src.incidents)?;
    let attacks = Csv::parse(files::ATTACKS_CSV, src.attacks)?;
    if let Some(t) = timeline::timeline(&incidents, &attacks) {
        page.section("timeline", "Incidents and attacks");
        page.raw(&t);
    }
    if let Some(t) = rules::rules(resolved) {
        page.section("rules", "Attack × defense rules");
        page.raw(&t);
    }

    page.section("provenance", "Provenance");
    let seeds: Vec<u64> = summary["seeds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
        .collect();
    page.raw(&provenance::list(&[
        (
            "program",
            format!(
                "iomtsim {}",
                summary["program"]["version"].as_str().unwrap_or("")
            ),
            false,
        ),
        ("scenario", scenario.to_string(), true),
        (
            "scenario file SHA-256",
            summary["scenario"]["sha256"].as_str().unwrap_or("").into(),
            true,
        ),
        (
            "base seed",
            summary["base_seed"].as_u64().unwrap_or(0).to_string(),
            false,
        ),
        ("replication seeds", provenance::seeds(&seeds), false),
        (
            "command",
            src.manifest["command_line"].as_str().unwrap_or("").into(),
            true,
        ),
    ]));
    page.note("manifest.json holds the scenario as run, with every default and --set resolved, and the SHA-256 of every file of this folder.");
    let question = resolved["description"].as_str();
    Ok(page.finish(&header(&format!("{scenario} — results"), question, &facts)))
}

/// Rewrites `report.html` of the run folder `dir` from its files and the charts `charts`
/// (as [`crate::plot::report_svgs`] gathers them); returns its path.
pub fn write_run_page(
    dir: &Path,
    charts: Option<&crate::plot::PageCharts>,
) -> Result<std::path::PathBuf, crate::OutputError> {
    let read = |name: &str| {
        std::fs::read(dir.join(name)).map_err(|source| DataError::Io {
            path: dir.join(name),
            source,
        })
    };
    let manifest = json(files::MANIFEST_JSON, &read(files::MANIFEST_JSON)?)?;
    let (summary, incidents, attacks, patients) = (
        read(files::SUMMARY_JSON)?,
        read(files::INCIDENTS_CSV)?,
        read(files::ATTACKS_CSV)?,
        read(files::PATIENTS_CSV)?,
    );
    let html = run_page(&RunSources {
        summary: &summary,
        manifest: &manifest,
        incidents: &incidents,
        attacks: &attacks,
        patients: &patients,
        charts,
    })?;
    let path = dir.join(REPORT_HTML);
    crate::output::write_atomic(&path, html.as_bytes())?;
    Ok(path)
}
