//! The tables of a sweep: `summary.md` and `summary.tex`, each point's mean ± 95 % CI and,
//! with variants, its paired difference against the baseline.

use super::*;

/// A point's label in tables: its variant, then each parameter's short name and value.
pub(crate) fn point_label(layout: &Layout, point: usize) -> String {
    let (variant, values) = &layout.points[point];
    let mut parts: Vec<String> = variant
        .map(|v| layout.variants[v].clone())
        .into_iter()
        .collect();
    for (p, v) in layout.parameters.iter().zip(values) {
        let short = p.rsplit('.').next().unwrap_or(p);
        parts.push(format!("{short}={v}"));
    }
    if parts.is_empty() {
        "all".into()
    } else {
        parts.join(", ")
    }
}

fn rounded(s: Option<&Summary>) -> Option<(String, Option<String>)> {
    let s = s?;
    let (m, h) = crate::tables::round_pair(s.mean, s.ci95_half_width.unwrap_or(f64::NAN));
    Some((m, s.ci95_half_width.is_some().then_some(h)))
}

/// `summary.md` of a sweep: per charted metric, a table of every point's mean ± 95 % CI and,
/// with variants, the paired difference against the baseline ± its 95 % CI.
pub fn sweep_summary_md(layout: &Layout, metrics: &[String], rows: &[Row]) -> String {
    use crate::tables::md_escape;
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Sweep summary\n\n{} points × {} replications; each cell is the mean ± the half-width of its 95 % Student-t interval over replications.",
        layout.points.len(),
        layout.replications
    );
    let diff = layout.variants.len() > 1;
    if diff {
        let _ = writeln!(
            s,
            "Δ is the paired difference against `{}` at the same parameter values (replication r of both shares its seed).",
            md_escape(&layout.variants[layout.baseline])
        );
    }
    for m in metrics {
        let of: Vec<&Row> = rows.iter().filter(|r| r.key() == *m).collect();
        if of.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "\n## {}\n",
            md_escape(&crate::chart::sweep::metric_title(m))
        );
        if diff {
            let _ = writeln!(
                s,
                "| point | mean ± 95 % CI | Δ ± 95 % CI |\n|---|---:|---:|"
            );
        } else {
            let _ = writeln!(s, "| point | mean ± 95 % CI |\n|---|---:|");
        }
        for r in of {
            let cell = |x: Option<&Summary>| match rounded(x) {
                None => "—".to_string(),
                Some((m, Some(h))) => format!("{m} ± {h}"),
                Some((m, None)) => m,
            };
            let mut line = format!(
                "| {} | {} |",
                md_escape(&point_label(layout, r.point)),
                cell(r.summary.as_ref())
            );
            if diff {
                line.push_str(&format!(" {} |", cell(r.diff_vs_baseline.as_ref())));
            }
            let _ = writeln!(s, "{line}");
        }
    }
    s
}

/// `summary.tex` of a sweep, for `\input` with `siunitx` and `booktabs` loaded: a
/// one-column table (3.5 in) of the first charted metrics, means ± 95 % CI per point, and,
/// separately, the full table (`table*`) of every charted metric with the paired differences.
/// Numbers sit in `S` columns with thousands separators.
pub fn sweep_summary_tex(
    layout: &Layout,
    metrics: &[String],
    rows: &[Row],
    selected: usize,
) -> String {
    use crate::tables::tex_escape;
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "% Sweep summary: {} points x {} replications; mean +- 95 % CI half-width.\n% Needs \\usepackage{{booktabs,siunitx}}.\n\\sisetup{{separate-uncertainty, group-separator={{,}}, group-minimum-digits=4}}",
        layout.points.len(),
        layout.replications
    );
    let index: std::collections::HashMap<(usize, String), &Row> =
        rows.iter().map(|r| ((r.point, r.key()), r)).collect();
    let cell_of = |p: usize, m: &str, diff: bool| {
        index.get(&(p, m.to_string())).and_then(|r| {
            if diff {
                r.diff_vs_baseline.as_ref()
            } else {
                r.summary.as_ref()
            }
        })
    };
    let table = |s: &mut String, env: &str, ms: &[String], with_diff: bool| {
        let mut cols = vec!["l".to_string()];
        let mut head = vec!["{Point}".to_string()];
        for m in ms {
            cols.push("S".into());
            head.push(format!(
                "{{{}}}",
                tex_escape(&crate::chart::sweep::metric_title(m))
            ));
            if with_diff {
                cols.push("S".into());
                head.push(format!("{{$\\Delta$ {}}}", tex_escape(m)));
            }
        }
        let _ = writeln!(
            s,
            "\\begin{{{env}}}\n\\centering\\small\n\\begin{{tabular}}{{{}}}\n\\toprule",
            cols.join("")
        );
        let _ = writeln!(s, "{} \\\\\n\\midrule", head.join(" & "));
        for p in 0..layout.points.len() {
            let mut line = vec![tex_escape(&point_label(layout, p))];
            for m in ms {
                line.push(crate::tables::s_cell(cell_of(p, m, false)));
                if with_diff {
                    line.push(crate::tables::s_cell(cell_of(p, m, true)));
                }
            }
            let _ = writeln!(s, "{} \\\\", line.join(" & "));
        }
        let _ = writeln!(s, "\\bottomrule\n\\end{{tabular}}\n\\end{{{env}}}");
    };
    let chosen: Vec<String> = metrics.iter().take(selected).cloned().collect();
    let _ = writeln!(
        s,
        "\n% One column: the first {} charted metric(s).",
        chosen.len()
    );
    table(&mut s, "table", &chosen, false);
    let _ = writeln!(
        s,
        "\n% Full width: every charted metric, with the paired difference against the baseline."
    );
    table(&mut s, "table*", metrics, layout.variants.len() > 1);
    s
}
