//! The agenda as terminal text (sparklines for the trends), Markdown (wiki, GitHub), Slack
//! mrkdwn and one self-contained HTML page (inline CSS and SVG charts: a strip of what moved
//! since the last meeting, a burn-up per goal, the pulse trend; no scripts, no external
//! requests; light, dark and print). User text is escaped for each, and a text typed over
//! several lines shows as indented lines in each.

use std::fmt::Write;

use crate::context::Ctx;
use crate::render::markup::{
    html_escape, html_lines, lines, markdown_lines, markdown_text, slack_lines, slack_text,
};
use crate::render::{bold, chart, dim, progress, sanitize};
use crate::report::agenda::{Agenda, Item, Section};

fn header_lines(a: &Agenda) -> Vec<String> {
    let weekday = a.date.format("%A").to_string();
    let mut lines = vec![format!(
        "{weekday} {}, {} {}, {} minutes",
        a.date, a.time, a.timezone, a.minutes
    )];
    let roles = match (&a.facilitator, &a.note_taker) {
        (Some(f), Some(n)) => format!("Facilitator: {f}; notes: {n}"),
        (Some(f), None) => format!("Facilitator: {f}"),
        _ => {
            "Facilitator: nobody yet (set [meeting] facilitators or a leader in growth.toml)".into()
        }
    };
    lines.push(roles);
    let attendees: Vec<String> = a
        .attendees
        .iter()
        .map(|d| format!("{}: {}", d.department, d.members.join(", ")))
        .collect();
    lines.push(format!("Attendees: {}", attendees.join("; ")));
    lines.push(match (a.since_meeting, a.last_meeting) {
        (Some(s), Some(l)) if s == l => format!("Since the last meeting on {l}"),
        (Some(s), Some(l)) => format!("Since the meeting on {s} (and the extra one on {l})"),
        // --since, or no meeting recorded yet.
        _ => format!("Since {}", a.since.get(..10).unwrap_or(&a.since)),
    });
    lines
}

fn empty_line(s: &Section) -> &'static str {
    match s.id {
        "celebrations" => "Nothing new to celebrate; its time goes to the rest.",
        "goals" => "No goals run now; its time goes to the rest.",
        "qualification" => "No leads to qualify or stale; its time goes to the rest.",
        "handoffs" => "No handoffs since the last meeting; its time goes to the rest.",
        "content" => "No new content ideas; its time goes to the rest.",
        "feedback" => "No open feedback; its time goes to the rest.",
        _ => "No open action items; its time goes to the rest.",
    }
}

/// Terminal text: bold titles and dim details on a colour terminal, plain otherwise.
pub fn text(ctx: &Ctx, a: &Agenda) -> String {
    let clean = |t: &str| sanitize::cell(t);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        bold(ctx, &format!("{}: growth meeting", clean(&a.team)))
    );
    for line in header_lines(a) {
        let _ = writeln!(out, "{}", clean(&line));
    }
    if !a.needs_decision.is_empty() {
        let _ = writeln!(out, "\n{}", bold(ctx, "Needs a decision"));
        for d in &a.needs_decision {
            let _ = writeln!(out, "  ! {}", clean(d));
        }
    }
    if !a.recalled_decisions.is_empty() {
        let _ = writeln!(out, "\n{}", bold(ctx, "Decided last time"));
        for d in &a.recalled_decisions {
            for (i, line) in lines(d).iter().enumerate() {
                let _ = writeln!(out, "{}{line}", if i == 0 { "  - " } else { "    " });
            }
        }
    }
    for (i, s) in a.sections.iter().enumerate() {
        out.push('\n');
        out.push_str(&section_text(ctx, i, s));
    }
    out
}

/// One section as terminal text (the walk-through shows them one at a time).
pub fn section_text(ctx: &Ctx, index: usize, s: &Section) -> String {
    let ascii = !ctx.unicode_charts();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        bold(
            ctx,
            &format!("{}. {} ({} min)", index + 1, s.title, s.minutes)
        )
    );
    if let Some(summary) = &s.summary {
        for line in lines(summary) {
            let _ = writeln!(out, "   {line}");
        }
    }
    if s.pulse.len() > 1 {
        let values: Vec<f64> = s.pulse.iter().map(|(_, p)| *p).collect();
        let _ = writeln!(
            out,
            "   {} pulse of the last {} meetings",
            crate::render::spark::sparkline(&values, !ascii),
            values.len()
        );
    }
    if s.items.is_empty() {
        let _ = writeln!(out, "   {}", dim(ctx, empty_line(s)));
    }
    // Goals read best as a table: actual against target, the bar, the status, the change.
    if let Some(report) = s.progress.as_ref().filter(|r| !r.rows.is_empty()) {
        let listing = progress::agenda_listing(report, ascii);
        for line in crate::render::table(&ctx.narrower(3), &listing).lines() {
            let _ = writeln!(out, "   {line}");
        }
        return out;
    }
    for item in &s.items {
        let bar = item
            .percent
            .map(|p| format!("{} ", progress::bar(p, ascii)))
            .unwrap_or_default();
        let status = item
            .status
            .as_deref()
            .map(|st| format!(" [{st}]"))
            .unwrap_or_default();
        // The first line carries the bullet and the status; the rest line up under it.
        for (i, line) in lines(&item.text).iter().enumerate() {
            let _ = match i {
                0 => writeln!(out, "   - {bar}{line}{status}"),
                _ => writeln!(out, "     {line}"),
            };
        }
        for line in item.detail.as_deref().map(lines).unwrap_or_default() {
            let _ = writeln!(out, "     {}", dim(ctx, &line));
        }
    }
    out
}

/// Markdown that pastes cleanly into a wiki or GitHub.
pub fn markdown(a: &Agenda) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# {}: growth meeting {}\n",
        markdown_text(&a.team),
        a.date
    );
    for line in header_lines(a) {
        let _ = writeln!(md, "- {}", markdown_text(&line));
    }
    if !a.needs_decision.is_empty() {
        let _ = writeln!(md, "\n**Needs a decision**\n");
        for d in &a.needs_decision {
            let _ = writeln!(md, "- {}", markdown_text(d));
        }
    }
    if !a.recalled_decisions.is_empty() {
        let _ = writeln!(md, "\n**Decided last time**\n");
        for d in &a.recalled_decisions {
            let _ = writeln!(md, "- {}", markdown_lines(d).join(MD_BREAK));
        }
    }
    for (i, s) in a.sections.iter().enumerate() {
        let _ = writeln!(md, "\n## {}. {} ({} min)\n", i + 1, s.title, s.minutes);
        if let Some(summary) = &s.summary {
            let _ = writeln!(md, "_{}_\n", markdown_text(summary));
        }
        if s.items.is_empty() {
            let _ = writeln!(md, "{}", empty_line(s));
        }
        for item in &s.items {
            let _ = writeln!(md, "- {}", markdown_item(item));
        }
    }
    md
}

/// A hard line break and the indent that keeps the next line in its list item.
const MD_BREAK: &str = "\\\n  ";

fn markdown_item(item: &Item) -> String {
    let status = item
        .status
        .as_deref()
        .map(|st| format!(" **{}**", markdown_text(st)))
        .unwrap_or_default();
    let detail = item
        .detail
        .as_deref()
        .map(|d| format!(": {}", markdown_lines(d).join(MD_BREAK)))
        .unwrap_or_default();
    let text = markdown_lines(&item.text).join(MD_BREAK);
    let text = match item.link.as_deref().and_then(safe_link) {
        Some(url) => format!("[{text}](<{url}>)"),
        None => text,
    };
    format!("{text}{status}{detail}")
}

/// Slack mrkdwn, to paste or post: `*bold*` titles (Slack has no headings), bullets,
/// links as `<url|text>`.
pub fn slack(a: &Agenda) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "*{}: growth meeting {}*", slack_text(&a.team), a.date);
    for line in header_lines(a) {
        let _ = writeln!(out, "{}", slack_text(&line));
    }
    if !a.needs_decision.is_empty() {
        let _ = writeln!(out, "\n*Needs a decision*");
        for d in &a.needs_decision {
            let _ = writeln!(out, "• {}", slack_text(d));
        }
    }
    if !a.recalled_decisions.is_empty() {
        let _ = writeln!(out, "\n*Decided last time*");
        for d in &a.recalled_decisions {
            let _ = writeln!(out, "• {}", slack_lines(d).join(SLACK_BREAK));
        }
    }
    for (i, s) in a.sections.iter().enumerate() {
        let _ = writeln!(out, "\n*{}. {}* ({} min)", i + 1, s.title, s.minutes);
        if let Some(summary) = &s.summary {
            let _ = writeln!(out, "_{}_", slack_text(summary));
        }
        if s.items.is_empty() {
            let _ = writeln!(out, "_{}_", empty_line(s));
        }
        for item in &s.items {
            let status = item
                .status
                .as_deref()
                .map(|st| format!(" *{}*", slack_text(st)))
                .unwrap_or_default();
            let detail = item
                .detail
                .as_deref()
                .map(|d| format!(": {}", slack_lines(d).join(SLACK_BREAK)))
                .unwrap_or_default();
            let text = match item.link.as_deref().and_then(safe_link) {
                // A `|` would end the address early.
                Some(url) if !url.contains('|') => format!("<{url}|{}>", slack_text(&item.text)),
                _ => slack_lines(&item.text).join(SLACK_BREAK),
            };
            let _ = writeln!(out, "• {text}{status}{detail}");
        }
    }
    out
}

/// A line break and the indent that lines the next line up under the bullet's text.
const SLACK_BREAK: &str = "\n    ";

/// A link the Markdown and HTML agendas may make clickable: http, https or mailto only, and
/// nothing that could end the link early (spaces, quotes, angle brackets, controls).
fn safe_link(url: &str) -> Option<&str> {
    let scheme_ok = ["https://", "http://", "mailto:"].iter().any(|s| {
        url.len() > s.len()
            && url
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    let chars_ok = url.chars().all(|c| {
        !c.is_whitespace() && !c.is_control() && !matches!(c, '<' | '>' | '"' | '\'' | '`' | '\\')
    });
    (scheme_ok && chars_ok && url.is_ascii()).then_some(url)
}

const CSS: &str = "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.45}\
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.1rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}\
.meta{color:#57606a;margin:.1rem 0}.box{color:#57606a;font-weight:normal;font-size:.9rem}.summary{color:#57606a;font-style:italic;margin:.2rem 0}\
ul{padding-left:1.2rem}li{margin:.35rem 0}.detail{color:#57606a;font-size:.9rem;display:block}.empty{color:#8c959f}\
.status{font-size:.75rem;border:1px solid #d0d7de;border-radius:1rem;padding:0 .45rem;margin-left:.4rem;white-space:nowrap}\
.done,.on-track{color:#1a7f37}.at-risk,.late,.overdue{color:#9a6700}.behind,.rejected{color:#cf222e}\
.bar{display:inline-block;width:8rem;height:.6rem;background:#eaeef2;border-radius:.3rem;margin-right:.5rem;vertical-align:middle;overflow:hidden}\
.bar span{display:block;height:100%;background:#2da44e}.bar.at-risk span{background:#bf8700}.bar.behind span{background:#cf222e}\
.bar,.bar span{-webkit-print-color-adjust:exact;print-color-adjust:exact}\
.charts{display:flex;flex-wrap:wrap;gap:.75rem 1rem;margin:.6rem 0}figure{margin:.4rem 0}figure svg{display:block;width:100%;height:auto}\
figure.chart{width:100%;margin:1rem 0}figure.chart svg{max-width:35rem}figure.mini{width:12.5rem;margin:0}figcaption{font-size:.85rem;color:#57606a}figcaption b{color:#1f2328}\
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}a{color:#58a6ff}.meta,.box,.summary,.detail,figcaption{color:#8d96a0}\
.empty{color:#6e7681}h2,.status{border-color:#30363d}.bar{background:#30363d}figcaption b{color:#e6edf3}\
.done,.on-track{color:#3fb950}.at-risk,.late,.overdue{color:#d29922}.behind,.rejected{color:#f85149}\
.bar span{background:#3fb950}.bar.at-risk span{background:#d29922}.bar.behind span{background:#f85149}}\
@media print{body{margin:0;max-width:none;background:#fff;color:#000}h2{break-after:avoid}li,figure{break-inside:avoid}\
.bar{background:#fff;border:1px solid #000}.bar span{background:#555}.bar.at-risk span{background:#aaa}.bar.behind span{background:#000}}";

/// One self-contained page around `body` (the agenda's and the progress report's): inline
/// CSS, light and dark, and a print layout.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        html_escape(title)
    )
}

/// The pulse of the last meetings as a trend, with its text alternative.
fn pulse_chart(pulse: &[(chrono::NaiveDate, f64)], small: bool) -> String {
    let points: Vec<(String, f64)> = pulse
        .iter()
        .map(|(d, p)| (d.format("%b %-d").to_string(), *p))
        .collect();
    let title = "Pulse of the last meetings";
    let desc = format!(
        "Average pulse, 1 to 5, of the last {} meetings: {}.",
        points.len(),
        pulse
            .iter()
            .map(|(d, p)| format!("{p:.1} on {d}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if small {
        chart::trend_small(title, &desc, &points, 1.0, 5.0)
    } else {
        chart::trend(title, &desc, &points, 1.0, 5.0)
    }
}

/// The agenda's opening strip: per goal a small burn-up with the stretch since the last
/// meeting shaded and the change beside its name, then the pulse.
fn since_strip(a: &Agenda) -> String {
    let goals = a
        .sections
        .iter()
        .filter_map(|s| s.progress.as_ref())
        .flat_map(|p| p.rows.iter().map(move |r| (p.today, r)));
    let mut figures = String::new();
    for (today, r) in goals {
        let change = if r.change > 0.0 {
            format!("+{}", r.show(r.change))
        } else if r.change < 0.0 {
            format!("-{}", r.show(-r.change))
        } else {
            "no change".into()
        };
        let _ = writeln!(
            figures,
            "<figure class=\"mini\">{}<figcaption>{} <b>{}</b> · {:.0}%</figcaption></figure>",
            chart::burnup_small(&progress::burnup(r, today)),
            html_escape(&r.goal),
            html_escape(&change),
            r.percent
        );
    }
    if let Some(pulse) = a.sections.iter().map(|s| &s.pulse).find(|p| !p.is_empty()) {
        let last = pulse.last().map_or(0.0, |(_, p)| *p);
        let _ = writeln!(
            figures,
            "<figure class=\"mini\">{}<figcaption>pulse <b>{last:.1}</b> of 5</figcaption></figure>",
            pulse_chart(pulse, true)
        );
    }
    if figures.is_empty() {
        return figures;
    }
    format!(
        "<section id=\"since-last-meeting\">\n<h2>Since the last meeting</h2>\n<div class=\"charts\">\n{figures}</div>\n</section>\n"
    )
}

/// One self-contained page that reads well printed or mailed.
pub fn html(a: &Agenda) -> String {
    let mut h = String::new();
    let title = format!("{}: growth meeting {}", a.team, a.date);
    let _ = writeln!(h, "<h1>{}</h1>", html_escape(&title));
    for line in header_lines(a) {
        let _ = writeln!(h, "<p class=\"meta\">{}</p>", html_escape(&line));
    }
    if !a.needs_decision.is_empty() {
        let _ = writeln!(h, "<h2 id=\"needs-decision\">Needs a decision</h2>\n<ul>");
        for d in &a.needs_decision {
            let _ = writeln!(h, "<li>{}</li>", html_escape(d));
        }
        let _ = writeln!(h, "</ul>");
    }
    h.push_str(&since_strip(a));
    if !a.recalled_decisions.is_empty() {
        let _ = writeln!(h, "<h2 id=\"decided\">Decided last time</h2>\n<ul>");
        for d in &a.recalled_decisions {
            let _ = writeln!(h, "<li>{}</li>", html_lines(d));
        }
        let _ = writeln!(h, "</ul>");
    }
    for (i, s) in a.sections.iter().enumerate() {
        let _ = writeln!(
            h,
            "<section id=\"{}\">\n<h2>{}. {} <span class=\"box\">{} min</span></h2>",
            s.id,
            i + 1,
            html_escape(s.title),
            s.minutes
        );
        if let Some(summary) = &s.summary {
            let _ = writeln!(h, "<p class=\"summary\">{}</p>", html_lines(summary));
        }
        if s.items.is_empty() {
            let _ = writeln!(h, "<p class=\"empty\">{}</p>", html_escape(empty_line(s)));
        } else {
            let _ = writeln!(h, "<ul>");
            for item in &s.items {
                // Coloured by status (green, amber, red; grey levels in print), the status
                // word beside it.
                let bar = item
                    .percent
                    .map(|p| {
                        format!(
                            "<span class=\"bar {}\"><span style=\"width:{:.0}%\"></span></span>",
                            html_escape(item.status.as_deref().unwrap_or("")),
                            p.clamp(0.0, 100.0)
                        )
                    })
                    .unwrap_or_default();
                let status = item
                    .status
                    .as_deref()
                    .map(|st| {
                        format!(
                            "<span class=\"status {}\">{}</span>",
                            html_escape(st),
                            html_escape(st)
                        )
                    })
                    .unwrap_or_default();
                let detail = item
                    .detail
                    .as_deref()
                    .map(|d| format!("<span class=\"detail\">{}</span>", html_lines(d)))
                    .unwrap_or_default();
                let text = html_lines(&item.text);
                let text = match item.link.as_deref().and_then(safe_link) {
                    Some(url) => format!("<a href=\"{}\">{text}</a>", html_escape(url)),
                    None => text,
                };
                let _ = writeln!(h, "<li>{bar}{text}{status}{detail}</li>");
            }
            let _ = writeln!(h, "</ul>");
        }
        h.push_str(&section_charts(s));
        let _ = writeln!(h, "</section>");
    }
    page(&title, &h)
}

/// The goals section's burn-ups and the feedback section's pulse trend.
fn section_charts(s: &Section) -> String {
    let mut h = String::new();
    if let Some(report) = &s.progress {
        for r in &report.rows {
            let _ = writeln!(
                h,
                "<figure class=\"chart\"><figcaption>{} <b>{}</b></figcaption>{}</figure>",
                html_escape(&r.title),
                html_escape(&r.goal),
                chart::burnup(&progress::burnup(r, report.today))
            );
        }
    }
    if s.pulse.len() > 1 {
        let _ = writeln!(
            h,
            "<figure class=\"chart\"><figcaption>Pulse of the last {} meetings, 1 to 5</figcaption>{}</figure>",
            s.pulse.len(),
            pulse_chart(&s.pulse, false)
        );
    }
    h
}
