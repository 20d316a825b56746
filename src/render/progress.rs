//! The progress report laid out: the table (shared with the agenda's goals section), its
//! CSV and Markdown, the notes under it, and as pictures a goal's burn-up from its row, the
//! overview bars, and `growth progress --format html` (one self-contained page, the
//! agenda's scaffolding).

use std::fmt::Write;

use crate::render::chart::{self, Bar, BarChart, Burnup, Tone};
use crate::render::markup::html_escape;
use crate::render::{Listing, spark};
use crate::report::progress::{FunnelView, Progress, Row};

/// The burn-up of one goal, with its text alternative.
/// A level (the latest check-in counts) is drawn as its check-ins against the target,
/// with no pace from 0 and no projection.
pub fn burnup(row: &Row, today: chrono::NaiveDate) -> Burnup {
    let running = row.elapsed > 0.0 && row.elapsed < 1.0;
    let mut desc = format!(
        "{} of {} ({:.0}%, {}) on {today}, for {} to {}",
        row.show(row.actual),
        row.show(row.target),
        row.percent,
        row.status,
        row.from,
        row.to
    );
    match (row.expected, row.projected) {
        (Some(expected), Some(projected)) => {
            let _ = write!(desc, "; the expected pace by now is {}", row.show(expected));
            if running {
                let _ = write!(
                    desc,
                    "; at the pace so far the period ends at {}",
                    row.show(projected)
                );
            }
        }
        _ => desc.push_str("; the latest check-in counts (a level, with no pace from 0)"),
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
        title: if row.level {
            format!("{} ({}): check-ins against the target", row.title, row.goal)
        } else {
            format!("{} ({}): burn-up", row.title, row.goal)
        },
        desc,
        start: row.from,
        end: row.to,
        target: row.target,
        actual: row.burn.clone(),
        now: row.elapsed,
        since: row.since_elapsed,
        projected: row.projected.filter(|_| running),
        level: row.level,
        target_label: row.show(row.target),
        actual_label: row.show(row.actual),
        projected_label: row.projected.map(|p| row.show(p)).unwrap_or_default(),
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
    // Coloured by status, not all green: at-risk amber, behind red.
    let tones: Vec<Tone> = report
        .rows
        .iter()
        .map(|r| Tone::of_status(r.status))
        .collect();
    chart::bar_chart(&BarChart {
        title: &overview_title(report),
        desc: &desc,
        bars: &bars,
        max: 100.0,
        tones: &tones,
        limit: None,
    })
}

fn overview_title(report: &Progress) -> String {
    format!("Goal progress on {}", report.today)
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
        "<figure class=\"chart\"><figcaption>{}</figcaption>{}</figure>",
        html_escape(&overview_title(report)),
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
        let pace = match (r.expected, r.projected) {
            (Some(expected), Some(projected)) => {
                let need = r
                    .needed_per_week
                    .map(|n| format!("; needs {} a week", r.show(n)))
                    .unwrap_or_default();
                format!(
                    "; expected by now {}; projected {}{need}",
                    r.show(expected),
                    r.show(projected)
                )
            }
            _ => "; the latest check-in counts (no pace from 0)".into(),
        };
        let _ = writeln!(
            body,
            "<p class=\"meta\">{} of {} ({:.0}%) from {} to {}{}</p>",
            html_escape(&r.show(r.actual)),
            html_escape(&r.show(r.target)),
            r.percent,
            r.from,
            r.to,
            html_escape(&pace),
        );
        let b = burnup(r, report.today);
        let _ = writeln!(
            body,
            "<figure class=\"chart\"><figcaption>{}</figcaption>{}</figure>",
            html_escape(&b.title),
            chart::burnup(&b)
        );
        let prefix = format!("{}: ", r.goal);
        for n in notes.iter().filter(|n| n.starts_with(&prefix)) {
            let _ = writeln!(body, "<p class=\"summary\">{}</p>", html_escape(n));
        }
        let _ = writeln!(body, "</section>");
    }
    crate::render::agenda::page(&title, &body)
}

/// Ten cells of progress: `██████░░░░` on a terminal, `######----` otherwise.
pub fn bar(percent: f64, ascii: bool) -> String {
    let filled = ((percent.clamp(0.0, 100.0) / 10.0).round()) as usize;
    let (full, empty) = if ascii { ('#', '-') } else { ('█', '░') };
    std::iter::repeat_n(full, filled)
        .chain(std::iter::repeat_n(empty, 10 - filled))
        .collect()
}

fn signed(row: &Row, v: f64) -> String {
    if v > 0.0 {
        format!("+{}", row.show(v))
    } else if v < 0.0 {
        format!("-{}", row.show(-v))
    } else {
        "0".into()
    }
}

/// A pace figure in the goal's terms, `-` where there is none (a level has no pace).
fn pace_cell(row: &Row, v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| row.show(v))
}

/// The weeks' trend as a table shows it: at most [`spark::COMPACT`] characters.
fn weeks_cell(row: &Row, unicode: bool) -> String {
    spark::sparkline(&spark::compact(&row.weekly, spark::COMPACT), unicode)
}

/// The progress table of `growth progress`: every column, the least telling dropped
/// first on a narrow terminal (see [`DROP_ORDER`]).
pub fn listing(report: &Progress, ascii: bool) -> Listing {
    table(report, ascii, true)
}

/// The agenda's goals table: the progress table without expected, projected and needed
/// per week (those stay in `growth progress`).
pub fn agenda_listing(report: &Progress, ascii: bool) -> Listing {
    table(report, ascii, false)
}

/// Which columns a narrow terminal drops, least telling first: the projection and the
/// run-rate, then the expected pace, the bar (the % says it in numbers), the change, the
/// target and the actual. The weeks' trend goes last: down to about 55 columns a goal's
/// table still shows where it stands and where it is heading.
const DROP_ORDER: [&str; 8] = [
    "projected",
    "need/week",
    "expected",
    "progress",
    "change",
    "target",
    "actual",
    "weeks",
];

fn table(report: &Progress, ascii: bool, pace: bool) -> Listing {
    let mut headers = vec!["goal", "actual", "target", "%", "progress", "status"];
    if pace {
        headers.extend(["expected", "projected", "need/week"]);
    }
    headers.extend(["change", "weeks"]);
    let rows = report
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                r.goal.clone(),
                r.show(r.actual),
                r.show(r.target),
                format!("{:.0}%", r.percent),
                bar(r.percent, ascii),
                r.status.to_string(),
            ];
            if pace {
                cells.extend([
                    pace_cell(r, r.expected),
                    pace_cell(r, r.projected),
                    pace_cell(r, r.needed_per_week),
                ]);
            }
            cells.extend([signed(r, r.change), weeks_cell(r, !ascii)]);
            cells
        })
        .collect();
    let droppable = DROP_ORDER
        .iter()
        .filter_map(|name| headers.iter().position(|h| h == name))
        .collect();
    Listing {
        headers,
        rows,
        droppable,
        wrap: None,
    }
}

/// The progress CSV: numbers as numbers (empty where a level has no pace).
pub fn csv(report: &Progress) -> Listing {
    let opt = |v: Option<f64>| v.map(|n| format!("{n:.2}")).unwrap_or_default();
    let rows = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.goal.clone(),
                r.title.clone(),
                r.metric.to_string(),
                r.target.to_string(),
                r.actual.to_string(),
                format!("{:.1}", r.percent),
                opt(r.expected),
                r.status.to_string(),
                opt(r.projected),
                opt(r.needed_per_week),
                r.change.to_string(),
                r.currency
                    .clone()
                    .or_else(|| r.unit.clone())
                    .unwrap_or_default(),
                r.from.to_string(),
                r.to.to_string(),
            ]
        })
        .collect();
    let headers = vec![
        "goal",
        "title",
        "metric",
        "target",
        "actual",
        "percent",
        "expected",
        "status",
        "projected",
        "needed_per_week",
        "change",
        "unit",
        "from",
        "to",
    ];
    Listing {
        headers,
        rows,
        droppable: Vec::new(),
        wrap: None,
    }
}

/// The lines under the table: the funnel of revenue goals, and what was not counted.
pub fn notes(report: &Progress) -> Vec<String> {
    let mut out = Vec::new();
    for r in &report.rows {
        match &r.funnel {
            Some(FunnelView::Estimate {
                window_days,
                mql_to_sql,
                sql_to_won,
                average_deal,
                deals_needed,
                sqls_needed,
                mqls_needed,
            }) => {
                let currency = r.currency.as_deref().unwrap_or("");
                out.push(format!(
                    "{}: the rest of the period needs about {deals_needed} deal{} ({} on average), {sqls_needed} SQL{} and {mqls_needed} MQL{}, at the last {window_days} days' rates (MQL to SQL {:.0}%, SQL to won {:.0}%)",
                    r.goal,
                    crate::error::plural(*deals_needed as usize),
                    crate::render::money(average_deal.round(), currency),
                    crate::error::plural(*sqls_needed as usize),
                    crate::error::plural(*mqls_needed as usize),
                    mql_to_sql * 100.0,
                    sql_to_won * 100.0
                ));
            }
            Some(FunnelView::TooLittleHistory { too_little_history }) => {
                out.push(format!(
                    "{}: too little history to work the funnel back ({too_little_history})",
                    r.goal
                ));
            }
            None => {}
        }
        if !r.not_counted.is_empty() {
            out.push(format!(
                "{}: not counted, won in another currency than {}: {}",
                r.goal,
                r.currency.as_deref().unwrap_or(""),
                r.not_counted.join(", ")
            ));
        }
    }
    out
}

/// Markdown that pastes into a wiki, GitHub or Slack; user text is escaped.
pub fn markdown(report: &Progress) -> String {
    let mut md = format!("## Goal progress, {}\n\n", report.today);
    if report.rows.is_empty() {
        md.push_str("No goals run in this period.\n");
        return md;
    }
    md.push_str("| Goal | Actual | Target | % | Status | Expected by now | Projected | Needed per week | Change |\n");
    md.push_str("|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
    for r in &report.rows {
        let cells = [
            format!("{} ({})", r.title, r.goal),
            r.show(r.actual),
            r.show(r.target),
            format!("{:.0}%", r.percent),
            r.status.to_string(),
            pace_cell(r, r.expected),
            pace_cell(r, r.projected),
            pace_cell(r, r.needed_per_week),
            signed(r, r.change),
        ];
        let escaped: Vec<String> = cells
            .iter()
            .map(|c| crate::render::markdown_cell(c))
            .collect();
        md.push_str(&format!("| {} |\n", escaped.join(" | ")));
    }
    let notes = notes(report);
    if !notes.is_empty() {
        md.push('\n');
        for n in notes {
            md.push_str(&format!("- {}\n", crate::render::markdown_text(&n)));
        }
    }
    md
}
