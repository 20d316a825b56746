//! The progress report as pictures: a goal's burn-up from its row, the overview bars, and
//! `growth progress --format html` (one self-contained page, the agenda's scaffolding).

use std::fmt::Write;

use crate::render::chart::{self, Bar, Burnup};
use crate::render::markup::html_escape;
use crate::report::progress::{Progress, Row};

/// The burn-up of one goal, with its text alternative.
pub fn burnup(row: &Row, today: chrono::NaiveDate) -> Burnup {
    let running = row.elapsed > 0.0 && row.elapsed < 1.0;
    let pace = row.show(row.expected);
    let mut desc = format!(
        "{} of {} ({:.0}%, {}) on {today}, for {} to {}; the expected pace by now is {pace}",
        row.show(row.actual),
        row.show(row.target),
        row.percent,
        row.status,
        row.from,
        row.to
    );
    if running {
        let _ = write!(
            desc,
            "; at the pace so far the period ends at {}",
            row.show(row.projected)
        );
    }
    if row.since_elapsed.is_some() {
        let change = if row.change > 0.0 {
            format!("+{}", row.show(row.change))
        } else {
            row.show(row.change)
        };
        let _ = write!(desc, "; {change} since the last meeting");
    }
    desc.push('.');
    Burnup {
        title: format!("{} ({}): burn-up", row.title, row.goal),
        desc,
        start: row.from,
        end: row.to,
        target: row.target,
        actual: row.burn.clone(),
        now: row.elapsed,
        since: row.since_elapsed,
        projected: running.then_some(row.projected),
        target_label: row.show(row.target),
        actual_label: row.show(row.actual),
        projected_label: row.show(row.projected),
        today,
    }
}

/// Every goal's percent of its target as bars (past 100% the bar stays full).
pub fn overview(report: &Progress) -> String {
    let bars: Vec<Bar> = report
        .rows
        .iter()
        .map(|r| Bar {
            label: r.goal.clone(),
            value: r.percent,
            text: format!("{:.0}% {}", r.percent, r.status),
        })
        .collect();
    let desc = report
        .rows
        .iter()
        .map(|r| {
            format!(
                "{}: {} of {} ({:.0}%, {})",
                r.goal,
                r.show(r.actual),
                r.show(r.target),
                r.percent,
                r.status
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    chart::bars(
        &format!("Goal progress on {}", report.today),
        &desc,
        &bars,
        100.0,
    )
}

/// One self-contained page: the overview bars, then per goal its numbers and burn-up.
pub fn html(report: &Progress, notes: &[String]) -> String {
    let mut body = String::new();
    let title = format!("Goal progress, {}", report.today);
    let _ = writeln!(body, "<h1>{}</h1>", html_escape(&title));
    let _ = writeln!(
        body,
        "<p class=\"meta\">Change counts from {}</p>",
        html_escape(report.since.get(..10).unwrap_or(&report.since))
    );
    if report.rows.is_empty() {
        let _ = writeln!(body, "<p class=\"empty\">No goals run in this period.</p>");
        return crate::render::agenda::page(&title, &body);
    }
    let _ = writeln!(
        body,
        "<figure class=\"chart\">{}</figure>",
        overview(report)
    );
    for r in &report.rows {
        let _ = writeln!(
            body,
            "<section id=\"goal-{}\">\n<h2>{} <span class=\"box\">{}</span> <span class=\"status {}\">{}</span></h2>",
            html_escape(&r.goal),
            html_escape(&r.title),
            html_escape(&r.goal),
            r.status,
            r.status
        );
        let need = r
            .needed_per_week
            .map(|n| format!("; needs {} a week", r.show(n)))
            .unwrap_or_default();
        let _ = writeln!(
            body,
            "<p class=\"meta\">{} of {} ({:.0}%) from {} to {}; expected by now {}; projected {}{need}</p>",
            html_escape(&r.show(r.actual)),
            html_escape(&r.show(r.target)),
            r.percent,
            r.from,
            r.to,
            html_escape(&r.show(r.expected)),
            html_escape(&r.show(r.projected)),
        );
        let _ = writeln!(
            body,
            "<figure class=\"chart\">{}</figure>",
            chart::burnup(&burnup(r, report.today))
        );
        let prefix = format!("{}: ", r.goal);
        for n in notes.iter().filter(|n| n.starts_with(&prefix)) {
            let _ = writeln!(body, "<p class=\"summary\">{}</p>", html_escape(n));
        }
        let _ = writeln!(body, "</section>");
    }
    crate::render::agenda::page(&title, &body)
}
