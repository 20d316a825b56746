//! `growth progress`: where each goal stands, as a table (with a sparkline of each goal's
//! weeks), Markdown, JSON, CSV or an HTML page of burn-ups.

use std::io::Write;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::render::{self, Listing};
use crate::report::progress::{FunnelView, Period, Progress, Row, build};
use crate::store::Needs;

#[derive(Debug, Args)]
#[command(
    after_help = "Status: done once the actual reaches the target; on-track at 95% or more of the\npace expected by today (linear over the period); at-risk from 75%; behind below that, or\nwhen the period ended short. CHANGE counts from the last meeting (the previous cadence date);\nWEEKS is the actual at the end of each week of the period so far.\n\nExamples:\n  growth progress\n  growth progress --goal q4-new-revenue --format json\n  growth progress --period 2026-10-01..2026-12-31 --format md > progress.md\n  growth progress --format html > progress.html   # a burn-up chart per goal"
)]
pub struct ProgressArgs {
    /// Only this goal (id, unique prefix or title)
    #[arg(long)]
    pub goal: Option<String>,
    /// `current` (goals running today, the default), `all`, or FROM..TO (goals overlapping it)
    #[arg(long, default_value = "current", value_name = "current|all|FROM..TO")]
    pub period: String,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ProgressArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[
            OutputFormat::Table,
            OutputFormat::Md,
            OutputFormat::Json,
            OutputFormat::Csv,
            OutputFormat::Html,
        ],
    )?;
    let period = parse_period(&args.period)?;
    let ws = ctx.open()?;
    // Metrics read leads, their history and handoffs; the change since the last meeting
    // reads meetings.
    let state = ws.state_parts(
        Needs::LEADS
            .and(Needs::HISTORY)
            .and(Needs::HANDOFFS)
            .and(Needs::GOALS)
            .and(Needs::MEETINGS),
    )?;
    let now = state.as_of(ctx.now(ws.tz())?);
    let only = match &args.goal {
        Some(g) => Some(super::resolve_record(
            &state,
            crate::model::summary::Table::Goals,
            g,
            "growth goal list",
        )?),
        None => None,
    };
    let since = crate::report::progress::last_meeting(&state, ws.config(), ws.tz(), now);
    let report = build(
        &state,
        ws.config(),
        ws.tz(),
        now,
        since,
        period,
        only.as_deref(),
    );
    let ascii = !ctx.unicode_charts();
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&report)?),
        OutputFormat::Html => render::emit(out, &render::progress::html(&report, &notes(&report))),
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing(&report, true, ascii))?),
        OutputFormat::Md => render::emit(out, &markdown(&report)),
        _ if report.rows.is_empty() => super::confirm(
            ctx,
            out,
            if state.goals.is_empty() {
                "no goals yet; add one with `growth goal add TITLE --metric METRIC --target N --from DATE --to DATE`"
            } else {
                "no goals run in this period; try --period all"
            },
        ),
        _ => {
            render::emit_table(ctx, out, &listing(&report, false, ascii))?;
            if !ctx.quiet {
                let notes = notes(&report);
                if !notes.is_empty() {
                    render::emit(
                        out,
                        &format!(
                            "\n{}",
                            notes
                                .iter()
                                .map(|n| format!("{}\n", render::sanitize::cell(n)))
                                .collect::<String>()
                        ),
                    )?;
                }
            }
            Ok(())
        }
    }
}

fn parse_period(text: &str) -> Result<Period> {
    match text.trim() {
        "current" => Ok(Period::Current),
        "all" => Ok(Period::All),
        range => {
            let bad = || {
                Error::usage(format!("invalid value for --period: `{range}`"))
                    .hint("use current, all, or FROM..TO like 2026-10-01..2026-12-31")
            };
            let (from, to) = range.split_once("..").ok_or_else(bad)?;
            let from = crate::model::time::parse_date(from).map_err(|_| bad())?;
            let to = crate::model::time::parse_date(to).map_err(|_| bad())?;
            if to < from {
                return Err(bad());
            }
            Ok(Period::Range(from, to))
        }
    }
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

/// The progress table (or its CSV), shared with the agenda's goals section.
pub fn listing(report: &Progress, csv: bool, ascii: bool) -> Listing {
    if csv {
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
                    format!("{:.2}", r.expected),
                    r.status.to_string(),
                    format!("{:.2}", r.projected),
                    r.needed_per_week
                        .map(|n| format!("{n:.2}"))
                        .unwrap_or_default(),
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
        return Listing {
            headers,
            rows,
            droppable: Vec::new(),
            wrap: None,
        };
    }
    let rows = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.goal.clone(),
                r.show(r.actual),
                r.show(r.target),
                format!("{:.0}%", r.percent),
                bar(r.percent, ascii),
                r.status.to_string(),
                r.show(r.expected),
                r.show(r.projected),
                r.needed_per_week
                    .map(|n| r.show(n))
                    .unwrap_or_else(|| "-".into()),
                signed(r, r.change),
                render::spark::sparkline(&r.weekly, !ascii),
            ]
        })
        .collect();
    let headers = vec![
        "goal",
        "actual",
        "target",
        "%",
        "progress",
        "status",
        "expected",
        "projected",
        "need/week",
        "change",
        "weeks",
    ];
    // On a narrow terminal: projection, need, the weeks' trend, change and the expected
    // pace go first.
    Listing {
        headers,
        rows,
        droppable: vec![7, 8, 10, 9, 6, 4, 2, 1],
        wrap: None,
    }
}

/// The lines under the table: the funnel of revenue goals, and what was not counted.
fn notes(report: &Progress) -> Vec<String> {
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
                    render::money(average_deal.round(), currency),
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
fn markdown(report: &Progress) -> String {
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
            r.show(r.expected),
            r.show(r.projected),
            r.needed_per_week
                .map(|n| r.show(n))
                .unwrap_or_else(|| "-".into()),
            signed(r, r.change),
        ];
        let escaped: Vec<String> = cells.iter().map(|c| render::markdown_cell(c)).collect();
        md.push_str(&format!("| {} |\n", escaped.join(" | ")));
    }
    let notes = notes(report);
    if !notes.is_empty() {
        md.push('\n');
        for n in notes {
            md.push_str(&format!("- {}\n", render::markdown_text(&n)));
        }
    }
    md
}
