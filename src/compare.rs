//! `iomtsim compare BASELINE OTHER...`: the difference of each folder from the first, metric by
//! metric, with its 95 % interval (paired when the seeds match, Welch otherwise), as
//! compare.csv, compare.md, compare.tex and a forest plot per folder.

use crate::Failure;
use crate::results_folder::{Kind, ResultsFolder};
use anyhow::Context;
use reports::Format;
use reports::compare::{CompareError, Comparison, Folder, compare};
use std::path::{Path, PathBuf};

/// How `iomtsim compare` runs, from its flags.
#[derive(Clone, Debug)]
pub struct Options {
    /// The comparison folder (`None`: results/compare-<scenario>).
    pub out: Option<PathBuf>,
    /// Chart formats (empty: none).
    pub charts: Vec<Format>,
    /// Replace a non-empty folder that is not a comparison folder.
    pub force: bool,
    /// Print nothing but errors.
    pub quiet: bool,
}

fn input(e: CompareError) -> Failure {
    Failure::Input(e.to_string())
}

/// Compares `dirs[1..]` with `dirs[0]`.
pub fn compare_dirs(dirs: &[PathBuf], options: Options) -> Result<(), Failure> {
    let folders: Vec<Folder> = dirs
        .iter()
        .map(|d| Folder::read(d))
        .collect::<Result<_, _>>()
        .map_err(input)?;
    let (baseline, others) = folders
        .split_first()
        .ok_or_else(|| Failure::Input("compare: give at least two results folders".into()))?;
    if others.is_empty() {
        return Err(Failure::Input(
            "compare: give at least two results folders: the baseline, then the folders to compare with it".into(),
        ));
    }
    let comparisons: Vec<Comparison> = others
        .iter()
        .map(|o| {
            Ok(Comparison {
                other: o.clone(),
                differences: compare(baseline, o)?,
            })
        })
        .collect::<Result<_, CompareError>>()
        .map_err(input)?;
    let out = options
        .out
        .unwrap_or_else(|| PathBuf::from("results").join(format!("compare-{}", baseline.scenario)));
    let folder = ResultsFolder::claim(&out, Kind::Compare, options.force)?;
    let staged = folder.staging()?;
    let command_line = crate::run::command_line(
        &std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>(),
    );
    reports::compare::write_comparison(
        staged.path(),
        baseline,
        &comparisons,
        &options.charts,
        &command_line,
    )
    .context("writing the comparison")?;
    folder.replace_with(staged)?;
    drop(folder);
    if !options.quiet {
        print!("{}", headline(baseline, &comparisons, &out));
    }
    Ok(())
}

/// The headline metrics' differences, one block per compared folder.
fn headline(baseline: &Folder, comparisons: &[Comparison], out: &Path) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    for c in comparisons {
        let _ = writeln!(
            text,
            "{} − {} ({}):",
            c.other.dir.display(),
            baseline.dir.display(),
            c.differences
                .first()
                .map_or("no metric in common", |d| d.method.name())
        );
        for name in reports::chart::difference::CHARTED {
            if let Some(d) = c.differences.iter().find(|d| d.metric == name) {
                let half = d
                    .half_width
                    .map_or("(no interval)".into(), |h| format!("± {h:.2e}"));
                let _ = writeln!(text, "  {name:<26} {:+.4} {half}", d.mean);
            }
        }
    }
    let _ = writeln!(text, "comparison in {}", out.display());
    text
}
