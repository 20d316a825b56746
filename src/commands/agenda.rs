//! `growth agenda`: the next meeting's agenda, for the terminal, a wiki, a script or a mail.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::cadence;
use crate::render;
use crate::report::agenda::{Agenda, build_from, build_from_facts};
use crate::store::Needs;
use crate::store::Workspace;
use crate::store::load::FactParts;
use chrono::NaiveDate;

#[derive(Debug, Args)]
#[command(
    after_help = "The agenda covers everything since the last recorded meeting (or the previous meeting\ndate by the cadence), as of the meeting's start, so the same workspace and --date give\nthe same bytes.\n\nExamples:\n  growth agenda\n  growth agenda --date 2026-11-30 --format md --output agendas/2026-11-30.md\n  growth agenda --format html --output /var/www/growth/agenda.html\n  growth agenda --format slack --output agenda.txt     # Slack mrkdwn, to paste or post"
)]
pub struct AgendaArgs {
    /// The meeting's date (default: the next meeting by the cadence)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Cover everything since DATE instead of since the last meeting
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Write to PATH (atomically, creating folders) instead of stdout
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Everything but the leads' notes and contact details, which no section shows; from a
/// current cache, the leads one chunk at a time (the agenda keeps what it shows).
const NEEDS: Needs = Needs::READS
    .without(Needs::NOTES)
    .without(Needs::DETAILS)
    .and(Needs::CONFLICTS);

/// The agenda of `date` from the facts kept beside the cache (the goals' series, the leads
/// ranked, the deals won) and its small sections, not every lead: `None` when the cache
/// does not have them for this state (see [`Workspace::fact_parts`]); a pass over the
/// leads is then the way.
pub fn from_facts(
    ws: &Workspace,
    date: NaiveDate,
    since: Option<NaiveDate>,
) -> Result<Option<Agenda>> {
    let Some(FactParts {
        state,
        metrics,
        agenda: Some(parts),
    }) = ws.fact_parts(NEEDS)?
    else {
        return Ok(None);
    };
    let companies = |ids: &[&str]| parts.companies(ids);
    let (config, tz) = (ws.config(), ws.tz());
    Ok(build_from_facts(
        &state,
        metrics,
        &parts.facts,
        companies,
        config,
        tz,
        date,
        since,
    ))
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: AgendaArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Text,
        &[
            OutputFormat::Text,
            OutputFormat::Table,
            OutputFormat::Md,
            OutputFormat::Json,
            OutputFormat::Html,
            OutputFormat::Slack,
        ],
    )?;
    let parse = |flag: &str, text: &str| {
        crate::model::time::parse_date(text)
            .map_err(|m| Error::usage(format!("invalid value for {flag}: {m}")))
    };
    let mut ws = ctx.open()?;
    let tz = ws.tz();
    let config = ws.config().clone();
    let config = &config;
    let date = match &args.date {
        Some(d) => parse("--date", d)?,
        None => {
            let now = ctx.now(tz)?;
            cadence::upcoming(config, tz, now, 1)
                .first()
                .map(|o| o.date)
                .ok_or_else(|| {
                    Error::user("the cadence has no upcoming meeting")
                        .hint("check [meeting] in growth.toml, or pass --date")
                })?
        }
    };
    if args.date.is_some() {
        crate::commands::warn_off_cadence(config, date);
    }
    let since = args
        .since
        .as_deref()
        .map(|d| parse("--since", d))
        .transpose()?;
    // As of the meeting's start: what is recorded after it (the meeting is under way, or
    // over) belongs to the next agenda, so reruns for a date stay the same.
    let start = cadence::occurrence(config, tz, date).start;
    if ws.loaded.horizon.is_none_or(|h| start < h) {
        ws.set_as_of(start);
    }
    let agenda = match from_facts(&ws, date, since)? {
        Some(agenda) => agenda,
        None => ws.read_leads(NEEDS, |state, leads| {
            Ok(build_from(state, leads, config, tz, date, since))
        })?,
    };
    let text = match format {
        OutputFormat::Json => render::json(&agenda)?,
        OutputFormat::Md => render::agenda::markdown(&agenda),
        OutputFormat::Html => render::agenda::html(&agenda),
        OutputFormat::Slack => render::agenda::slack(&agenda),
        // A file gets plain text; the terminal gets colour when it can show it.
        _ if args.output.is_some() => render::agenda::text(&ctx.plain(), &agenda),
        _ => render::agenda::text(ctx, &agenda),
    };
    match &args.output {
        Some(path) => {
            let path = if path.is_absolute() {
                path.clone()
            } else {
                ctx.cwd.join(path)
            };
            crate::store::atomic::write_atomic(&path, text.as_bytes(), true)?;
            super::confirm(
                ctx,
                out,
                &format!("wrote the agenda of {date} to {}", path.display()),
            )
        }
        None => render::emit(out, &text),
    }
}
