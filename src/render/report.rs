//! The reports (`growth report funnel|sources|sla|team`) as a terminal table, Markdown or
//! a self-contained HTML page. Each report describes itself as a [`View`]: its tables as
//! cells, the lines under them and a chart; this module lays that out, escaping every cell
//! for where it goes.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::chart::{Bar, BarChart, Tone, bar_chart};
use super::markup::html_escape;
use super::{Listing, markdown_cell, markdown_text, sanitize};
use crate::context::Ctx;

/// A report ready to lay out.
#[derive(Debug, Default)]
pub struct View {
    /// "Funnel", "Lead sources"...
    pub title: String,
    pub team: String,
    /// The period, as the header says it.
    pub period: String,
    /// What the report counts, in a sentence.
    pub about: String,
    pub tables: Vec<ViewTable>,
    /// The lines under the tables: footnotes, what was not counted.
    pub notes: Vec<String>,
    pub chart: Option<Chart>,
    /// Said instead of the tables when the period has too little data.
    pub empty: Option<String>,
}

/// One table of a report.
#[derive(Debug, Default)]
pub struct ViewTable {
    /// A heading above it, when the report has more than one.
    pub heading: Option<String>,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
    /// Columns a narrow terminal may drop, least important first.
    pub droppable: Vec<usize>,
    /// Right-aligned in Markdown (numbers).
    pub numeric: Vec<usize>,
    /// The column of sparklines (only block or ASCII level characters): code in Markdown.
    pub trend: Option<usize>,
}

/// The chart of an HTML report.
#[derive(Debug, Default)]
pub struct Chart {
    pub title: String,
    pub desc: String,
    pub bars: Vec<Bar>,
    pub max: f64,
    /// A colour per bar (missing ones good).
    pub tones: Vec<Tone>,
    /// A limit line across the bars, and its label.
    pub limit: Option<(f64, String)>,
}

impl View {
    fn header(&self) -> String {
        format!("{}: {}, {}", self.team, self.title, self.period)
    }
}

/// The report for a terminal: a header line, each table fitted to the width, the notes.
pub fn text(ctx: &Ctx, view: &View) -> String {
    let wrap = |text: &str| wrap(&sanitize::cell(text), ctx.width.map(usize::from));
    let mut out = wrap(&view.header());
    if !ctx.quiet {
        out.push_str(&wrap(&view.about));
    }
    if let Some(empty) = &view.empty {
        out.push('\n');
        out.push_str(&wrap(empty));
        return out;
    }
    for t in &view.tables {
        out.push('\n');
        if let Some(h) = &t.heading {
            let _ = writeln!(out, "{}", super::bold(ctx, &sanitize::cell(h)));
        }
        let listing = Listing {
            headers: t.headers.clone(),
            rows: t.rows.iter().cloned().collect(),
            droppable: t.droppable.clone(),
            wrap: None,
        };
        out.push_str(&super::table_noting_hidden(ctx, &listing));
    }
    if !view.notes.is_empty() && !ctx.quiet {
        out.push('\n');
        for n in &view.notes {
            out.push_str(&wrap(n));
        }
    }
    out
}

/// `text` as lines of at most `width` columns, broken at spaces (a longer word stays
/// whole), each ending in a newline.
fn wrap(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return format!("{text}\n");
    };
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The report as Markdown that pastes into a wiki, GitHub or Slack.
pub fn markdown(view: &View) -> String {
    let mut md = format!(
        "## {}\n\n{}\n",
        markdown_text(&view.header()),
        markdown_text(&view.about)
    );
    if let Some(empty) = &view.empty {
        let _ = writeln!(md, "\n{}", markdown_text(empty));
        return md;
    }
    for t in &view.tables {
        md.push('\n');
        if let Some(h) = &t.heading {
            let _ = writeln!(md, "### {}\n", markdown_text(h));
        }
        let headers: Vec<String> = t.headers.iter().map(|h| markdown_cell(h)).collect();
        let _ = writeln!(md, "| {} |", headers.join(" | "));
        let rule: Vec<&str> = (0..t.headers.len())
            .map(|c| {
                if t.numeric.contains(&c) {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        let _ = writeln!(md, "|{}|", rule.join("|"));
        for row in &t.rows {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, c)| match t.trend == Some(i) && !c.is_empty() {
                    // A sparkline's characters are `_.-=+*#` or blocks: no backtick or pipe.
                    true => format!("`{c}`"),
                    false => markdown_cell(c),
                })
                .collect();
            let _ = writeln!(md, "| {} |", cells.join(" | "));
        }
    }
    if !view.notes.is_empty() {
        md.push('\n');
        // Lines, not a bullet list: a note may start with `—`, which under a bullet reads
        // as a stray dash. A trailing backslash breaks the line in CommonMark.
        let notes: Vec<String> = view.notes.iter().map(|n| markdown_text(n)).collect();
        let _ = writeln!(md, "{}", notes.join("\\\n"));
    }
    md
}

const CSS: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.45}\
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:1.6rem}.meta{color:#57606a;margin:.1rem 0}\
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}th,td{padding:.25rem .7rem;border-bottom:1px solid #d0d7de;text-align:left;white-space:nowrap}\
th{font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}.notes{color:#57606a;font-size:.9rem}.empty{color:#8c959f}\
svg{max-width:100%;height:auto}.scroll{max-width:100%;overflow-x:auto}td.trend{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:0}\
figure.chart{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}\
@media print{body{margin:0;max-width:none}.scroll{overflow:visible}}\
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}.meta,.notes{color:#8d96a0}th,td{border-bottom-color:#30363d}.empty{color:#6e7681}}\
@media print{body{background:#fff;color:#000}}";

/// The report as one self-contained page: tables, its chart and notes; no script.
pub fn html(view: &View) -> String {
    let mut h = String::new();
    let title = view.header();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        html_escape(&title),
        html_escape(&format!("{}: {}", view.team, view.title)),
        html_escape(&format!("{}. {}", view.period, view.about)),
    );
    if let Some(empty) = &view.empty {
        let _ = writeln!(h, "<p class=\"empty\">{}</p>", html_escape(empty));
    } else {
        if let Some(c) = &view.chart {
            let svg = bar_chart(&BarChart {
                title: &c.title,
                desc: &c.desc,
                bars: &c.bars,
                max: c.max,
                tones: &c.tones,
                limit: c.limit.as_ref().map(|(v, l)| (*v, l.as_str())),
            });
            // A visible title, not only the SVG's own.
            let _ = writeln!(
                h,
                "<figure class=\"chart\"><figcaption>{}</figcaption>{svg}</figure>",
                html_escape(&c.title)
            );
        }
        for t in &view.tables {
            if let Some(heading) = &t.heading {
                let _ = writeln!(h, "<h2>{}</h2>", html_escape(heading));
            }
            // A wide table scrolls inside its box; the page never widens.
            h.push_str("<div class=\"scroll\">\n<table>\n<thead><tr>");
            for head in &t.headers {
                let _ = write!(h, "<th scope=\"col\">{}</th>", html_escape(head));
            }
            h.push_str("</tr></thead>\n<tbody>\n");
            for row in &t.rows {
                h.push_str("<tr>");
                for (c, cell) in row.iter().enumerate() {
                    let class = if t.trend == Some(c) {
                        " class=\"trend\""
                    } else if t.numeric.contains(&c) {
                        " class=\"num\""
                    } else {
                        ""
                    };
                    let _ = write!(h, "<td{class}>{}</td>", html_escape(cell));
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</tbody>\n</table>\n</div>\n");
        }
        if !view.notes.is_empty() {
            h.push_str("<ul class=\"notes\">\n");
            for n in &view.notes {
                let _ = writeln!(h, "<li>{}</li>", html_escape(n));
            }
            h.push_str("</ul>\n");
        }
    }
    h.push_str("</body>\n</html>\n");
    h
}
