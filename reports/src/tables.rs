//! `summary.md` and `summary.tex`: the summary as tables to paste into a report or `\input`
//! into a paper. Each number is the mean over replications with the half-width of its 95 %
//! Student-t confidence interval, rounded together: the half-width to two significant digits
//! and the mean to the same decimal place (59.454 ± 0.063, 56387 ± 56). With one replication
//! there is no interval and the tables say so.

use crate::aggregate::Aggregate;
use crate::chart::sig;
use crate::data::{GroupSummary, hop_rows};
use crate::output::Provenance;
use crate::stats::Summary;
use attacks::metrics as security;
use sim_core::metrics::CLASSES;
use sim_core::metrics::engine;
use std::fmt::Write;

pub use crate::metrics::metric_label;

/// A mean and its 95 % half-width rounded together: the half-width to two significant
/// digits, the mean to the same decimal place. A zero half-width keeps six significant digits
/// of the mean.
pub fn round_pair(mean: f64, half: f64) -> (String, String) {
    // A half-width below a part in 10¹² of the mean is rounding noise of identical values.
    if half.is_nan() || half <= 0.0 || !half.is_finite() || half <= mean.abs() * 1e-12 {
        return (sig(mean, 6), "0".into());
    }
    let e = half.log10().floor() as i32 - 1;
    let decimals = (-e).clamp(0, 15) as usize;
    let q = 10f64.powi(e);
    let clean = |x: f64| {
        let s = format!("{:.*}", decimals, (x / q).round() * q);
        if s.trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            s.trim_start_matches('-').to_string()
        } else {
            s
        }
    };
    (clean(mean), clean(half))
}

/// How a summary reads in a table: `(mean, Some(half-width))`, or the mean alone when there
/// is no interval.
fn cells(s: &Summary) -> (String, Option<String>) {
    match s.ci95_half_width {
        Some(h) => {
            let (m, h) = round_pair(s.mean, h);
            (m, Some(h))
        }
        None => (sig(s.mean, 6), None),
    }
}

/// The Markdown cell of a summary: `59.454 ± 0.063`, or, for a metric defined in one of
/// several replications, `59.4538 (no interval, n = 1)`. When the whole run is one replication
/// (`replications == 1`) the table says so once and the cell is the mean alone.
pub fn md_cell(s: Option<&Summary>, replications: usize) -> String {
    match s {
        None => "— (never defined)".into(),
        Some(s) => match cells(s) {
            (m, Some(h)) => format!("{m} ± {h}"),
            (m, None) if replications <= 1 => m,
            (m, None) => format!("{m} (no interval, n = {})", s.n),
        },
    }
}

/// A number for an siunitx `S` column: `mean +- half` (siunitx writes the ± and groups the
/// thousands), the mean alone without an interval, or `{---}` when undefined.
pub fn s_cell(s: Option<&Summary>) -> String {
    match s {
        None => "{---}".into(),
        Some(s) => match cells(s) {
            (m, Some(h)) => format!("{m} +- {h}"),
            (m, None) => m,
        },
    }
}

/// The siunitx settings of the tables iomtsim writes, set inside each `table` environment so
/// they stay local: the uncertainty after ±, thousands grouped from 10 000 on with a thin space.
pub const SISETUP: &str =
    "\\sisetup{separate-uncertainty, group-minimum-digits=5, table-number-alignment=center}";

/// The LaTeX cell of a summary: `$59.454 \pm 0.063$`, or `$59.4538$ (no interval)` (the mean
/// alone when the whole run is one replication, which the caption then says).
pub fn tex_cell(s: Option<&Summary>, replications: usize) -> String {
    match s {
        None => "---".into(),
        Some(s) => match cells(s) {
            (m, Some(h)) => format!("${m} \\pm {h}$"),
            (m, None) if replications <= 1 => format!("${m}$"),
            (m, None) => format!("${m}$ (no interval)"),
        },
    }
}

/// `s` on one line: every control character (newline, carriage return, tab, escape...)
/// becomes a space, so text from a scenario cannot end a comment, a heading or a table row
/// early.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Escapes LaTeX's special characters in plain text; control characters (a newline would end
/// a comment or start a paragraph) become spaces.
pub fn tex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            c if c.is_control() => out.push(' '),
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '±' => out.push_str("$\\pm$"),
            '…' => out.push_str("\\ldots{}"),
            _ => out.push(c),
        }
    }
    out
}

/// Text for Markdown: on one line, with the characters that start emphasis, code, links, HTML
/// or table cells escaped.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        // `_` inside a word is not emphasis (CommonMark), so `ward_gateway` stays as it is.
        if "\\`*[]<>|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn ms(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| sig(v, 4))
}

fn replication_phrase(n: usize) -> String {
    if n == 1 {
        "one replication: no confidence interval (run with `--replications 2` or more)".into()
    } else {
        format!("mean ± half-width of the 95 % Student-t confidence interval over {n} replications")
    }
}

/// Per node group: energy per node and its split, in joules per node (means).
fn group_energy(g: &GroupSummary, metric: &str) -> Option<f64> {
    g.metric(metric).map(|s| s.mean / f64::from(g.nodes.max(1)))
}

/// The metrics in table order: each metric followed by the metrics declared as its parts
/// (`sensor_cpu_j` under `sensor_energy_j`), in their order.
fn table_order(agg: &Aggregate) -> Vec<&crate::aggregate::MetricSummary> {
    let part_of = |m: &crate::aggregate::MetricSummary| {
        crate::metrics::run_metric(m.name).and_then(|d| d.part_of)
    };
    let mut out = Vec::with_capacity(agg.metrics.len());
    for m in agg.metrics.iter().filter(|m| part_of(m).is_none()) {
        out.push(m);
        out.extend(agg.metrics.iter().filter(|p| part_of(p) == Some(m.name)));
    }
    out
}

/// `summary.md`.
pub fn summary_md(p: &Provenance, agg: &Aggregate) -> String {
    let n = agg.seeds.len();
    let mut s = String::new();
    let _ = writeln!(s, "# {} — summary\n", md_escape(&p.scenario));
    let _ = writeln!(
        s,
        "Scenario `{}` (SHA-256 `{}`), iomtsim {}; {} s simulated, the first {} s excluded as \
         warm-up; base seed {}. Values are the {}; `n` counts the replications where the metric \
         is defined.\n",
        one_line(&p.scenario).replace('`', "'"),
        p.scenario_sha256,
        p.program_version,
        p.duration_s,
        p.warmup_s,
        p.base_seed,
        replication_phrase(n),
    );
    let warnings = crate::spread::spread_warnings(agg);
    if !warnings.is_empty() {
        let _ = writeln!(
            s,
            "**The replications disagree** more than their intervals suggest; the means below \
             may mislead:\n"
        );
        for w in &warnings {
            let _ = writeln!(s, "- {}.", md_escape(&w.text()));
        }
        let _ = writeln!(s);
    }
    let _ = writeln!(
        s,
        "| metric | name | unit | n | mean ± 95 % CI | range over replications |"
    );
    let _ = writeln!(s, "|---|---|---|---:|---:|---:|");
    for m in table_order(agg) {
        let (label, unit) = metric_label(m.name);
        let range = m
            .summary
            .as_ref()
            .filter(|x| x.n > 1)
            .map_or("—".into(), |x| {
                format!("{} – {}", sig(x.min, 4), sig(x.max, 4))
            });
        let _ = writeln!(
            s,
            "| {} | `{}` | {} | {} | {} | {range} |",
            label.trim(),
            m.name,
            unit,
            m.summary.as_ref().map_or(0, |x| x.n),
            md_cell(m.summary.as_ref(), n)
        );
    }
    let _ = writeln!(
        s,
        "\n## Latency per traffic class\n\nEvery delivered packet of every replication pooled \
         (HDR histogram, 0.1 % resolution); milliseconds.\n"
    );
    let _ = writeln!(
        s,
        "| class | packets | mean | p50 | p95 | p99 | max | deadline |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for (class, l) in CLASSES.iter().zip(&agg.latency_by_class) {
        if l.count == 0 {
            continue;
        }
        let deadline = p
            .deadlines_ms
            .iter()
            .find(|(c, _)| c == class.name())
            .map_or("—".into(), |(_, d)| sig(*d, 6));
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            class.name(),
            l.count,
            ms(l.mean_ms()),
            ms(l.quantile_ms(0.5)),
            ms(l.quantile_ms(0.95)),
            ms(l.quantile_ms(0.99)),
            ms(Some(l.histogram.max() as f64 * 1e-3)),
            deadline
        );
    }
    let hops = hop_rows(&agg.segments);
    if !hops.is_empty() {
        let _ = writeln!(
            s,
            "\n## Latency per hop\n\nTime measured packets spent on each link group (hand-over \
             to arrival: encryption, transmitter queue, serialisation, propagation, decryption) \
             and at each station group (waiting and service); milliseconds, all replications \
             pooled.\n"
        );
        let _ = writeln!(
            s,
            "| hop | kind | layer | packets | mean | p50 | p95 | p99 |"
        );
        let _ = writeln!(s, "|---|---|---|---:|---:|---:|---:|---:|");
        for h in &hops {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md_escape(&h.hop),
                h.kind,
                h.layer,
                h.observations,
                ms(h.mean_ms),
                ms(h.quantiles_ms[2]),
                ms(h.quantiles_ms[4]),
                ms(h.quantiles_ms[5])
            );
        }
    }
    if !agg.groups.is_empty() {
        let _ = writeln!(
            s,
            "\n## Energy per node group\n\nEnergy spent after the warm-up, joules per node \
             (mean over replications; the total per node with its 95 % interval). Lifetime: \
             days to the group's first battery death, or, when none died, a full battery \
             drained at the mean power measured after the warm-up, shortest over the group's \
             nodes; first to die: those nodes, in the replication with the shortest lifetime.\n"
        );
        let _ = writeln!(
            s,
            "| group | layer | nodes | batteries | energy per node | radio TX | radio RX | CPU | crypto | sleep | battery deaths | lifetime, days | first to die |"
        );
        let _ = writeln!(
            s,
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
        );
        for g in &agg.groups {
            let e = |m: &str| ms(group_energy(g, m));
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                md_escape(&g.group),
                g.layer,
                g.nodes,
                g.battery_nodes,
                md_cell(g.metric(engine::GROUP_ENERGY_PER_NODE_J.id), n),
                e(engine::GROUP_RADIO_TX_J.id),
                e(engine::GROUP_RADIO_RX_J.id),
                e(engine::GROUP_CPU_J.id),
                e(engine::GROUP_CRYPTO_J.id),
                e(engine::GROUP_SLEEP_J.id),
                g.metric(engine::GROUP_BATTERY_DEATHS.id)
                    .map_or("—".into(), |d| sig(d.mean, 4)),
                g.metric(engine::GROUP_LIFETIME_DAYS.id)
                    .map_or("—".into(), |l| md_cell(Some(l), n)),
                if g.first_to_die.is_empty() {
                    "—".to_string()
                } else {
                    md_escape(&g.first_to_die)
                },
            );
        }
    }
    if !agg.information_age.is_empty() {
        let _ = writeln!(
            s,
            "\n## Age of information per node group\n\nPer vital-sign stream, the time since \
             the newest genuine reading delivered was created: time average over the measured \
             window (mean over the group's streams) and peak (largest over them), \
             milliseconds.\n"
        );
        let _ = writeln!(s, "| group | streams | time average | peak |");
        let _ = writeln!(s, "|---|---:|---:|---:|");
        for a in &agg.information_age {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                md_escape(&a.group),
                a.streams,
                md_cell(a.mean().as_ref(), n),
                md_cell(a.peak().as_ref(), n),
            );
        }
    }
    s
}

/// `summary.tex`: booktabs tables (`\usepackage{booktabs}`), ready to `\input`.
pub fn summary_tex(p: &Provenance, agg: &Aggregate) -> String {
    let n = agg.seeds.len();
    let name = tex_escape(&p.scenario);
    let label = p
        .scenario
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "% iomtsim {} -- scenario {} (SHA-256 {}), base seed {}, {} replication(s).\n\
         % Requires \\usepackage{{booktabs,siunitx}}.",
        p.program_version,
        one_line(&p.scenario),
        p.scenario_sha256,
        p.base_seed,
        n
    );
    let interval = if n == 1 {
        "One replication: no confidence interval.".to_string()
    } else {
        format!(
            "Mean $\\pm$ half-width of the 95\\,\\% Student-$t$ confidence interval over {n} \
             replications."
        )
    };
    let measured = format!(
        "{} s measured after a {} s warm-up",
        sig(p.duration_s - p.warmup_s, 6),
        sig(p.warmup_s, 6)
    );
    // One column (3.5 in): the headline metrics.
    let shown = if agg
        .metric(security::RECORDS_EXPOSED.id)
        .and_then(|m| m.summary.as_ref())
        .is_some_and(|x| x.max > 0.0)
        || agg
            .metric(security::COMPROMISED_NODES_MAX.id)
            .and_then(|m| m.summary.as_ref())
            .is_some_and(|x| x.max > 0.0)
    {
        crate::HEADLINE.len()
    } else {
        crate::HEADLINE_ATTACKS
    };
    let _ = writeln!(
        s,
        "\\begin{{table}}[t]\n\\centering\\small\n{SISETUP}\n\\caption{{Scenario \\texttt{{{name}}}: \
         headline figures, {measured}. {interval}}}\n\\label{{tab:iomtsim-{label}-headline}}\n\
         \\begin{{tabular}}{{llS}}\n\\toprule\nMetric & Unit & {{Value}} \\\\\n\\midrule"
    );
    for name in &crate::HEADLINE[..shown] {
        let Some(m) = agg.metric(name) else { continue };
        let (label, unit) = metric_label(name);
        let _ = writeln!(
            s,
            "{} & {} & {} \\\\ % {}",
            tex_escape(label.trim()),
            tex_escape(unit),
            s_cell(m.summary.as_ref()),
            name
        );
    }
    let _ = writeln!(s, "\\bottomrule\n\\end{{tabular}}\n\\end{{table}}\n");
    // Full width: every metric.
    let _ = writeln!(
        s,
        "\\begin{{table*}}[t]\n\\centering\\small\n{SISETUP}\n\\caption{{Scenario \\texttt{{{name}}}: \
         every metric, {measured}. {interval}}}\n\\label{{tab:iomtsim-{label}}}\n\
         \\begin{{tabular}}{{llrS}}\n\\toprule\nMetric & Unit & $n$ & {{Value}} \\\\\n\\midrule"
    );
    for m in table_order(agg) {
        let (label, unit) = metric_label(m.name);
        let indent = if label.starts_with("  ") {
            "\\quad "
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "{indent}{} & {} & {} & {} \\\\ % {}",
            tex_escape(label.trim()),
            tex_escape(unit),
            m.summary.as_ref().map_or(0, |x| x.n),
            s_cell(m.summary.as_ref()),
            m.name
        );
    }
    let _ = writeln!(s, "\\bottomrule\n\\end{{tabular}}\n\\end{{table*}}\n");

    let _ = writeln!(
        s,
        "\\begin{{table}}[t]\n\\centering\n\\caption{{Scenario \\texttt{{{name}}}: end-to-end \
         latency per traffic class, every delivered packet of every replication pooled (ms).}}\n\
         \\label{{tab:iomtsim-{label}-latency}}\n\\begin{{tabular}}{{lrrrrrr}}\n\\toprule\n\
         Class & Packets & Mean & p50 & p95 & p99 & Deadline \\\\\n\\midrule"
    );
    for (class, l) in CLASSES.iter().zip(&agg.latency_by_class) {
        if l.count == 0 {
            continue;
        }
        let deadline = p
            .deadlines_ms
            .iter()
            .find(|(c, _)| c == class.name())
            .map_or("---".into(), |(_, d)| sig(*d, 6));
        let _ = writeln!(
            s,
            "{} & {} & {} & {} & {} & {} & {} \\\\",
            class.name(),
            l.count,
            ms(l.mean_ms()),
            ms(l.quantile_ms(0.5)),
            ms(l.quantile_ms(0.95)),
            ms(l.quantile_ms(0.99)),
            deadline
        );
    }
    let _ = writeln!(s, "\\bottomrule\n\\end{{tabular}}\n\\end{{table}}");

    if !agg.groups.is_empty() {
        let _ = writeln!(
            s,
            "\n\\begin{{table*}}[t]\n\\centering\\small\n\\caption{{Scenario \\texttt{{{name}}}: energy \
             per node after the warm-up (J), by node group. {interval}}}\n\
             \\label{{tab:iomtsim-{label}-energy}}\n\\begin{{tabular}}{{llrrrrrrrr}}\n\\toprule\n\
             Group & Layer & Nodes & Total & Radio TX & Radio RX & CPU & Crypto & Sleep & Lifetime (days) \\\\\n\\midrule"
        );
        for g in &agg.groups {
            let e = |m: &str| ms(group_energy(g, m));
            let _ = writeln!(
                s,
                "{} & {} & {} & {} & {} & {} & {} & {} & {} & {} \\\\",
                tex_escape(&g.group),
                g.layer,
                g.nodes,
                tex_cell(g.metric(engine::GROUP_ENERGY_PER_NODE_J.id), n),
                e(engine::GROUP_RADIO_TX_J.id),
                e(engine::GROUP_RADIO_RX_J.id),
                e(engine::GROUP_CPU_J.id),
                e(engine::GROUP_CRYPTO_J.id),
                e(engine::GROUP_SLEEP_J.id),
                tex_cell(g.metric(engine::GROUP_LIFETIME_DAYS.id), n),
            );
        }
        let _ = writeln!(s, "\\bottomrule\n\\end{{tabular}}\n\\end{{table*}}");
    }
    s.replace('—', "---")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::summarise;

    #[test]
    fn means_are_rounded_to_the_half_widths_two_significant_digits() {
        assert_eq!(
            round_pair(59.4538, 0.0632),
            ("59.454".into(), "0.063".into())
        );
        assert_eq!(round_pair(56387.0, 56.3), ("56387".into(), "56".into()));
        assert_eq!(round_pair(56387.0, 563.0), ("56390".into(), "560".into()));
        assert_eq!(
            round_pair(0.99704, 0.000326),
            ("0.99704".into(), "0.00033".into())
        );
        assert_eq!(round_pair(-0.00001, 0.5), ("0.00".into(), "0.50".into()));
        assert_eq!(round_pair(3.0, 0.0), ("3".into(), "0".into()));
        assert_eq!(round_pair(0.50112, 1e-16), ("0.50112".into(), "0".into()));
    }

    #[test]
    fn one_replication_says_there_is_no_interval() {
        let one = summarise(&[Some(59.4538)]);
        // One replication of several defined the metric: the cell says so.
        assert_eq!(md_cell(one.as_ref(), 5), "59.4538 (no interval, n = 1)");
        assert_eq!(tex_cell(one.as_ref(), 5), "$59.4538$ (no interval)");
        // The whole run is one replication: the table says so once, the cell is the mean.
        assert_eq!(md_cell(one.as_ref(), 1), "59.4538");
        assert_eq!(tex_cell(one.as_ref(), 1), "$59.4538$");
        let two = summarise(&[Some(1.0), Some(3.0)]);
        // mean 2, s = √2, half-width 12.706 · √2/√2 = 12.706 → 13, and the mean rounds with it.
        assert_eq!(md_cell(two.as_ref(), 2), "2 ± 13");
        assert_eq!(tex_cell(two.as_ref(), 2), "$2 \\pm 13$");
    }

    #[test]
    fn labels_and_latex_escapes() {
        assert_eq!(
            metric_label("latency_ms"),
            ("End-to-end latency, mean".into(), "ms")
        );
        assert_eq!(metric_label("odd"), ("odd".into(), ""));
        assert_eq!(tex_escape("a_b & 5% #1"), "a\\_b \\& 5\\% \\#1");
        assert_eq!(
            tex_escape("a\n\\input{x}"),
            "a \\textbackslash{}input\\{x\\}"
        );
        assert_eq!(md_escape("a\n# b|c_d"), "a # b\\|c_d");
    }

    /// The provenance of a one-minute run of scenario `name`.
    fn provenance(name: &str) -> crate::output::Provenance {
        crate::output::Provenance {
            scenario: name.into(),
            scenario_sha256: "0".repeat(64),
            program_version: "0".into(),
            base_seed: 1,
            duration_s: 60.0,
            warmup_s: 0.0,
            deadlines_ms: vec![],
            resolved_scenario: serde_json::Value::Null,
            command_line: String::new(),
            machine: serde_json::Value::Null,
        }
    }

    #[test]
    fn summary_tex_has_a_one_column_headline_table_and_siunitx_numbers() {
        let mut agg = Aggregate::from_runs::<()>(&[]);
        agg.seeds = vec![1, 2, 3];
        let metric = |name: &'static str, xs: [Option<f64>; 3]| crate::aggregate::MetricSummary {
            name,
            summary: crate::stats::summarise(&xs),
            values: xs.to_vec(),
            percentiles: None,
        };
        agg.metrics = vec![
            metric("generated", [Some(62_673.0); 3]),
            metric("latency_ms", [Some(59.0), Some(59.1), Some(59.2)]),
            metric("alarm_latency_ms", [None; 3]),
            metric("delivery_ratio", [Some(0.99); 3]),
            metric(
                "records_exposed",
                [Some(57_000.0), Some(57_300.0), Some(57_600.0)],
            ),
        ];
        let p = provenance("ward");
        let tex = summary_tex(&p, &agg);
        assert!(tex.contains("\\usepackage{booktabs,siunitx}"));
        // The one-column table: the headline metrics only, in a `table`, numbers in an S column.
        let head = tex.split("\\end{table}").next().unwrap();
        assert!(
            head.contains("\\begin{table}[t]") && head.contains("{llS}"),
            "{head}"
        );
        assert!(
            head.contains("End-to-end latency, mean & ms & 59.10 +- 0.25"),
            "{head}"
        );
        assert!(head.contains("{---} \\\\ % alarm_latency_ms"), "{head}");
        assert!(
            head.contains("% records_exposed") && !head.contains("% generated"),
            "{head}"
        );
        // The full table spans the page and has every metric.
        assert!(tex.contains("\\begin{table*}[t]") && tex.contains("% generated"));
        // Every S cell is siunitx input: a number, `number +- number`, or `{---}`.
        let number = |t: &str| t.trim().parse::<f64>().is_ok();
        for line in tex
            .lines()
            .filter(|l| l.contains(" % ") && !l.starts_with('%'))
        {
            let cell = line
                .split('&')
                .next_back()
                .unwrap()
                .split("\\\\")
                .next()
                .unwrap()
                .trim();
            let ok = cell == "{---}"
                || number(cell)
                || cell
                    .split_once(" +- ")
                    .is_some_and(|(m, h)| number(m) && number(h));
            assert!(ok, "{line}");
        }
    }

    #[test]
    fn a_hostile_scenario_name_stays_inside_its_comment_caption_and_heading() {
        let p = provenance("ward\n\\input{/etc/passwd}\r%\n# x | y");
        let agg = Aggregate::from_runs::<()>(&[]);
        let tex = summary_tex(&p, &agg);
        for line in tex.lines().filter(|l| !l.starts_with('%')) {
            assert!(!line.contains("\\input{/etc"), "{line}");
        }
        assert!(tex.lines().next().unwrap().contains("/etc/passwd"));
        assert!(tex.lines().nth(1).unwrap().starts_with('%'));
        let md = summary_md(&p, &agg);
        let first = md.lines().next().unwrap();
        assert!(
            first.starts_with("# ward") && first.contains("\\|"),
            "{first}"
        );
        assert!(!md.lines().any(|l| l.starts_with("# x")), "{md}");
    }
}
