//! `growth report funnel|sources|sla|team`: the reports that end the argument about
//! which channel, which handoff and whose work moves revenue, over a period.

use std::io::Write;

use clap::{Args, ValueEnum};

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::lead::Lead;
use crate::model::state::State;
use crate::render::{self, Listing, report::View};
use crate::report::{self as reports, Window};
use crate::store::load::FactParts;
use crate::store::{Needs, Workspace};

#[derive(Debug, Args)]
#[command(after_help = "Reports:
  funnel    leads entering each stage, the share that moved on, median days in each
            stage, why leads were lost
  sources   per lead source, the leads created in the period followed to its end: MQLs,
            SQLs, handoffs accepted and rejected (with reasons), deals won, value won
  sla       per receiver, business hours to decide a handoff and to first contact
            (median, 90th percentile), SLA breaches, rejections by reason
  team      credits per member and department: wins, handoffs made and accepted,
            ideas published, actions done

The period is the last 90 days up to --today unless --since says otherwise. A rate,
median or percentile over fewer than 5 cases shows — (JSON: null, too_little_data).
WEEKLY is a sparkline of the last 13 weeks at most (ASCII in a table
unless on a colour terminal; Unicode blocks in Markdown and HTML). CSV holds the main table; JSON
holds everything.

Examples:
  growth report funnel
  growth report sources --since 2026-10-01 --until 2026-12-31
  growth report sla --format json
  growth report team --since 2026-11-01 --format md > credits.md
  growth report funnel --format html > funnel.html")]
pub struct ReportArgs {
    /// Which report
    #[arg(value_enum)]
    pub report: ReportKind,
    /// The first day of the period (default: 90 days before --until)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// The last day of the period (default: today)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Write the report to this file (atomically, creating its folder) instead of stdout
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    Funnel,
    Sources,
    Sla,
    Team,
}

fn date_flag(flag: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>> {
    text.map(|t| {
        crate::model::time::parse_date(t).map_err(|m| {
            Error::usage(format!("invalid value for --{flag}: {m}"))
                .hint(format!("give --{flag} a date like 2026-10-01"))
        })
    })
    .transpose()
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ReportArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[
            OutputFormat::Table,
            OutputFormat::Json,
            OutputFormat::Csv,
            OutputFormat::Md,
            OutputFormat::Html,
        ],
    )?;
    let since = date_flag("since", args.since.as_deref())?;
    let until = date_flag("until", args.until.as_deref())?;
    if let (Some(s), Some(u)) = (since, until)
        && u < s
    {
        return Err(Error::usage(format!("--until {u} is before --since {s}"))
            .hint("the period runs from --since to --until; swap them"));
    }
    let ws = ctx.open()?;
    let (config, tz) = (ws.config(), ws.tz());
    let now = ctx.now(tz)?;
    // A period that starts after today has nothing to count yet (without --until it would
    // also end before it starts): refuse it like a reversed one.
    let today = now.date_in(tz);
    if let Some(s) = since.filter(|s| today < *s) {
        return Err(
            Error::usage(format!("--since {s} is after today ({today})")).hint(
                "a report counts what happened from --since to --until (default today); give a --since on or before today",
            ),
        );
    }
    let window = Window::new(since, until, now, tz);
    // What each report reads. The SLA reads the leads only to leave out the handoffs of
    // the archived ones (a current cache's head names those, so its leads stay unread).
    let needs = match args.report {
        ReportKind::Funnel => Needs::DIGEST,
        ReportKind::Sources => Needs::LEADS.and(Needs::HISTORY).and(Needs::HANDOFFS),
        ReportKind::Sla => Needs::LEADS.and(Needs::HANDOFFS),
        ReportKind::Team => TEAM_NEEDS,
    };
    // Markdown and HTML are read in a browser or an editor, not a terminal: Unicode blocks
    // there always; a table gets them only on a colour terminal.
    let unicode = matches!(format, OutputFormat::Md | OutputFormat::Html)
        || (args.output.is_none() && ctx.unicode_charts());
    let kind = args.report;
    // From a current cache the leads pass by one chunk at a time, and the report keeps
    // what it shows.
    let (json, view, csv) = match team_from_facts(&ws, kind, needs, window, unicode)? {
        Some(made) => made,
        None => ws.read_leads(needs, |state, leads| {
            made(kind, state, leads, config, tz, window, unicode)
        })?,
    };
    let Some(path) = &args.output else {
        return match format {
            OutputFormat::Json => render::emit(out, &json),
            OutputFormat::Csv => render::emit_csv(ctx, out, &csv),
            OutputFormat::Md => render::emit(out, &render::report::markdown(&view)),
            OutputFormat::Html => render::emit(out, &render::report::html(&view)),
            _ => render::emit(out, &render::report::text(ctx, &view)),
        };
    };
    // A file gets what a pipe would: no colour, no terminal width, ASCII trends.
    let plain = ctx.plain();
    let bytes = match format {
        OutputFormat::Json => json.into_bytes(),
        OutputFormat::Csv => {
            let mut buf = Vec::new();
            render::emit_csv(&plain, &mut buf, &csv)?;
            buf
        }
        OutputFormat::Md => render::report::markdown(&view).into_bytes(),
        OutputFormat::Html => render::report::html(&view).into_bytes(),
        _ => render::report::text(&plain, &view).into_bytes(),
    };
    let path = if path.is_absolute() {
        path.clone()
    } else {
        ctx.cwd.join(path)
    };
    crate::store::atomic::write_atomic(&path, &bytes, true)?;
    super::confirm(
        ctx,
        out,
        &format!("wrote the {} report to {}", view.title, path.display()),
    )
}

/// A report as JSON, its view (for tables, Markdown and HTML) and its CSV.
type Made = (String, View, Listing);

/// Report `kind` of `state` and the leads `leads` passes one by one; `None` when `leads`
/// could not pass them all.
/// What the team report reads: the leads for the deals won (or the facts kept of them),
/// the handoffs, shout-outs, ideas and actions.
pub const TEAM_NEEDS: Needs = Needs::LEADS
    .and(Needs::HISTORY)
    .and(Needs::HANDOFFS)
    .and(Needs::WINS)
    .and(Needs::IDEAS)
    .and(Needs::ACTIONS);

/// The team report from the deals won kept beside the cache (see
/// [`Workspace::fact_parts`]), not a pass over the leads; `None` for the other reports or
/// when the cache does not have the facts for this state.
fn team_from_facts(
    ws: &Workspace,
    kind: ReportKind,
    needs: Needs,
    window: Window,
    unicode: bool,
) -> Result<Option<Made>> {
    if !matches!(kind, ReportKind::Team) {
        return Ok(None);
    }
    let Some(FactParts {
        state,
        agenda: Some(parts),
        ..
    }) = ws.fact_parts(needs)?
    else {
        return Ok(None);
    };
    let (config, tz) = (ws.config(), ws.tz());
    let r = reports::team::build_from_facts(&state, parts.facts.all_deals(), config, tz, window);
    let view = r.view(&config.team.name, unicode);
    Ok(Some((render::json(&r)?, view, r.csv())))
}

fn made(
    kind: ReportKind,
    state: &State,
    leads: impl FnOnce(&mut dyn FnMut(&Lead)) -> bool,
    config: &Config,
    tz: chrono_tz::Tz,
    window: Window,
    unicode: bool,
) -> Result<Option<Made>> {
    let team = config.team.name.as_str();
    Ok(Some(match kind {
        ReportKind::Funnel => {
            let Some(r) = reports::funnel::build(leads, config, window) else {
                return Ok(None);
            };
            (render::json(&r)?, r.view(team, unicode), r.csv())
        }
        ReportKind::Sources => {
            let Some(r) = reports::sources::build(state, leads, config, window) else {
                return Ok(None);
            };
            (render::json(&r)?, r.view(team, unicode), r.csv())
        }
        // Handoffs only: the leads are not passed.
        ReportKind::Sla => {
            let r = reports::sla::build(state, config, tz, window);
            (render::json(&r)?, r.view(team, unicode), r.csv())
        }
        ReportKind::Team => {
            let Some(r) = reports::team::build(state, leads, config, tz, window) else {
                return Ok(None);
            };
            (render::json(&r)?, r.view(team, unicode), r.csv())
        }
    }))
}
