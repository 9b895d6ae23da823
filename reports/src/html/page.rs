//! The writing core of `report.html`: escaping, the page's frame (head, style sheet, the
//! little script that sorts tables and switches a sweep's charts), and tables.
//!
//! The page is one self-contained file: no link, script, style sheet, font or image is
//! fetched from anywhere, the text uses the system's own sans-serif fonts, and everything
//! reads without JavaScript (the script only adds sorting and the chart switch). It is written
//! as well-formed markup (every element closed, every attribute quoted, only the five XML
//! entities), so an XML parser reads it as well as a browser does.

use std::fmt::Write;

/// Text for an element's content or an attribute value: `&`, `<`, `>`, `"` and `'` become
/// entities; control characters other than newline and tab (which no page should carry)
/// become spaces.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// An `id` made from `s`: lower-case ASCII letters, digits and `-`, so it is a valid fragment
/// and attribute whatever a scenario names its groups or metrics.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The style sheet: the system font stack, readable from 320 px wide (charts shrink to the
/// column, wide tables scroll inside their own box), and the Okabe–Ito colours of the charts
/// for the few accents.
const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif; line-height: 1.45; color: #111; background: #fff; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1rem; overflow-wrap: break-word; }
select { max-width: 100%; font: inherit; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
p.question { font-size: 1.1rem; }
td code { white-space: nowrap; overflow-wrap: normal; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.9em; overflow-wrap: anywhere; }
nav ul { padding-left: 1.2rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #f3f3f3; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; text-align: inherit; }
figure { margin: 1.5rem 0; }
figure svg { display: block; width: 100%; max-width: 44rem; height: auto; }
figcaption { font-size: 0.9rem; max-width: 44rem; }
.warn { border-left: 4px solid #D55E00; background: #fff4ec; padding: 0.5rem 1rem; }
.note { color: #444; font-size: 0.9rem; }
[hidden] { display: none !important; }
@media (max-width: 30rem) { main { padding: 0.5rem; } h1 { font-size: 1.3rem; } table { font-size: 0.8rem; } }
"#;

/// The script: sorts a `table.sortable` by the column whose header is clicked (numbers by
/// value, from `data-v` where a cell shows a rounded or composite figure), and shows the
/// charts of the metric chosen in a `select[data-shows]` (without it every chart is shown).
/// It is written without `<` and `&`, so the page stays well-formed markup.
const SCRIPT: &str = r#"
(function () {
  "use strict";
  function key(cell) {
    var t = cell.getAttribute("data-v");
    if (t === null) { t = cell.textContent.trim(); }
    var x = Number(t);
    return (t === "" || isNaN(x)) ? t : x;
  }
  function order(a, b) {
    var na = typeof a === "number", nb = typeof b === "number";
    if (na !== nb) { return na ? -1 : 1; }
    if (na) { return a - b; }
    return String(a).localeCompare(String(b));
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      b.title = "sort by this column";
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r, s) {
          var d = order(key(r.cells[col]), key(s.cells[col]));
          return up ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  document.querySelectorAll("select[data-shows]").forEach(function (select) {
    var box = document.getElementById(select.getAttribute("data-shows"));
    if (!box) { return; }
    function show() {
      box.querySelectorAll("[data-metric]").forEach(function (f) {
        f.hidden = f.getAttribute("data-metric") !== select.value;
      });
    }
    select.addEventListener("change", show);
    var wrap = select.closest(".js-only");
    if (wrap) { wrap.hidden = false; }
    show();
  });
})();
"#;

/// A page being written: sections append to its body.
pub struct Page {
    title: String,
    body: String,
    toc: Vec<(String, String)>,
}

impl Page {
    /// An empty page titled `title`.
    pub fn new(title: &str) -> Page {
        Page {
            title: title.to_string(),
            body: String::new(),
            toc: Vec::new(),
        }
    }

    /// Appends raw markup (already escaped).
    pub fn raw(&mut self, markup: &str) {
        self.body.push_str(markup);
    }

    /// Starts a section with an `<h2>` of `title`, listed in the page's contents.
    pub fn section(&mut self, id: &str, title: &str) {
        if !self.toc.is_empty() {
            self.body.push_str("</section>\n");
        }
        self.toc.push((id.to_string(), title.to_string()));
        let _ = writeln!(
            self.body,
            "<section id=\"{}\">\n<h2>{}</h2>",
            esc(id),
            esc(title)
        );
    }

    /// Appends a paragraph of plain text.
    pub fn para(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p>{}</p>", esc(text));
    }

    /// Appends a paragraph of plain text in the note style.
    pub fn note(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p class=\"note\">{}</p>", esc(text));
    }

    /// The whole document. `header` is markup placed before the contents list (the title and
    /// the question).
    pub fn finish(mut self, header: &str) -> String {
        if !self.toc.is_empty() {
            self.body.push_str("</section>\n");
        }
        let mut s = String::new();
        s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        // Nothing may be fetched: no connection, script, style, font or image from anywhere
        // but the page itself.
        s.push_str(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\"/>\n",
        );
        s.push_str("<meta name=\"generator\" content=\"iomtsim\"/>\n");
        let _ = writeln!(s, "<title>{}</title>", esc(&self.title));
        let _ = writeln!(s, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
        s.push_str(header);
        if !self.toc.is_empty() {
            s.push_str("<nav aria-label=\"Contents\">\n<ul>\n");
            for (id, title) in &self.toc {
                let _ = writeln!(s, "<li><a href=\"#{}\">{}</a></li>", esc(id), esc(title));
            }
            s.push_str("</ul>\n</nav>\n");
        }
        s.push_str(&self.body);
        let _ = writeln!(s, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>");
        s
    }
}

/// One table cell: its text, whether it holds a number (right-aligned), and the value to
/// sort by when the text is not that value (a rounded mean with its interval).
#[derive(Clone, Debug)]
pub struct Cell {
    text: String,
    numeric: bool,
    sort: Option<f64>,
    code: bool,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            numeric: false,
            sort: None,
            code: false,
        }
    }

    /// A text cell shown as code (a name to type: a metric, a group).
    pub fn code(s: impl Into<String>) -> Cell {
        Cell {
            code: true,
            ..Cell::text(s)
        }
    }

    /// A numeric cell showing `s`, sorted by `value` (when the text is not the value itself).
    pub fn num(s: impl Into<String>, value: Option<f64>) -> Cell {
        Cell {
            text: s.into(),
            numeric: true,
            sort: value.filter(|v| v.is_finite()),
            code: false,
        }
    }
}

/// A table with a caption, a header row and body rows, inside a horizontally scrolling box.
/// `sortable` adds the header buttons of the script.
pub fn table(caption: &str, header: &[&str], rows: &[Vec<Cell>], sortable: bool) -> String {
    let mut s = String::new();
    s.push_str("<div class=\"scroll\">\n");
    let _ = writeln!(
        s,
        "<table{}>\n<caption>{}</caption>\n<thead><tr>",
        if sortable { " class=\"sortable\"" } else { "" },
        esc(caption)
    );
    // A column is numeric when every body cell of it is.
    let numeric: Vec<bool> = (0..header.len())
        .map(|c| !rows.is_empty() && rows.iter().all(|r| r.get(c).is_some_and(|x| x.numeric)))
        .collect();
    for (h, n) in header.iter().zip(&numeric) {
        let _ = write!(
            s,
            "<th scope=\"col\"{}>{}</th>",
            if *n { " class=\"n\"" } else { "" },
            esc(h)
        );
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        s.push_str("<tr>");
        for c in r {
            let class = if c.numeric { " class=\"n\"" } else { "" };
            let sort = c.sort.map_or(String::new(), |v| format!(" data-v=\"{v}\""));
            let text = if c.code {
                format!("<code>{}</code>", esc(&c.text))
            } else {
                esc(&c.text)
            };
            let _ = write!(s, "<td{class}{sort}>{text}</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</div>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup_and_no_control_character() {
        let e = esc("a<b>&\"c\"'\u{1b}[0m");
        assert_eq!(e, "a&lt;b&gt;&amp;&quot;c&quot;&#39; [0m");
        assert_eq!(esc("ward_gateway ± 5 µs"), "ward_gateway ± 5 µs");
    }

    #[test]
    fn slugs_are_fragments() {
        assert_eq!(
            slug("Sensors/energy_per_node_j"),
            "sensors-energy-per-node-j"
        );
        assert_eq!(slug("  «x»  "), "x");
    }

    #[test]
    fn the_script_and_style_keep_the_page_well_formed() {
        // Inside <script> and <style> an XML parser would take `<` as a tag and `&` as an
        // entity; neither may appear.
        for text in [SCRIPT, STYLE] {
            assert!(!text.contains('<') && !text.contains('&'));
        }
    }

    #[test]
    fn tables_escape_their_cells_and_right_align_number_columns() {
        let t = table(
            "c<1>",
            &["name", "value"],
            &[vec![Cell::code("a&b"), Cell::num("1.5 ± 0.2", Some(1.5))]],
            true,
        );
        assert!(t.contains("<caption>c&lt;1&gt;</caption>"), "{t}");
        assert!(t.contains("<code>a&amp;b</code>"), "{t}");
        assert!(
            t.contains("<th scope=\"col\" class=\"n\">value</th>"),
            "{t}"
        );
        assert!(
            t.contains("<td class=\"n\" data-v=\"1.5\">1.5 ± 0.2</td>"),
            "{t}"
        );
        assert!(t.contains("class=\"sortable\""));
    }
}
