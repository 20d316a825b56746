//! `growth handoff list`: every handoff with its age, both SLA clocks and breaches.

use std::io::Write;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::handoff::{Clocks, Handoff, HandoffStatus};
use crate::model::search::{self, Search};
use crate::model::sla::{Calendar, Clock, human};
use crate::model::state::State;
use crate::model::time::Instant;
use crate::render::{self, Listing};
use crate::store::Needs;

use super::LeadNames;

#[derive(Debug, Args)]
#[command(
    after_help = "Clocks count business hours (growth.toml [business_hours]) against the SLA in\n[handoff]: `1h 30m/4h` is running, `✓ 2h/4h` stopped in time, `LATE 6h/4h` is past it\nand still running, `✓ LATE 6h/4h` stopped past it (done, but late).\nDECIDE is the time to accept or reject, CONTACT the time to first contact. NOTE is\nthe context sales got, or for a rejected handoff the note that came back.\n\nExamples:\n  growth handoff list --pending\n  growth handoff list --mine --pending\n  growth handoff list --search muller\n  growth handoff list --overdue --to tom\n  growth handoff list --since 2026-11-01 --format csv"
)]
pub struct ListArgs {
    /// Only handoffs nobody has accepted or rejected yet
    #[arg(long)]
    pub pending: bool,
    /// Only handoffs that went past either SLA clock, settled ones too
    #[arg(long)]
    pub overdue: bool,
    /// Only handoffs to this member
    #[arg(long, value_name = "MEMBER")]
    pub to: Option<String>,
    /// Only handoffs made on or after DATE
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only handoffs to you or from you (who you are: see --as)
    #[arg(long)]
    pub mine: bool,
    /// Only handoffs whose lead id, company or notes contain TEXT (case and accents ignored)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ListArgs) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &super::RECORD_FORMATS)?;
    let ws = ctx.open()?;
    let (config, tz) = (ws.config(), ws.tz());
    let now = ctx.now(tz)?;
    let to = args
        .to
        .as_deref()
        .map(|t| crate::commands::resolve_member(config, t))
        .transpose()?;
    let since = match &args.since {
        Some(d) => {
            let date = crate::model::time::parse_date(d)
                .map_err(|m| Error::usage(format!("invalid value for --since: {m}")))?;
            Some(crate::model::time::resolve_local(
                date.and_time(chrono::NaiveTime::MIN),
                tz,
            ))
        }
        None => None,
    };
    let me = if args.mine {
        Some(ctx.identity(config, &ws.root)?.member)
    } else {
        None
    };
    let wanted = args.search.as_deref().and_then(Search::new);
    // One calendar for every clock: each working day is worked out once.
    let cal = Calendar::new(&config.business_hours, tz);
    let print = |out: &mut dyn Write, state: &State, leads: &LeadNames, any: bool| -> Result<()> {
        let mut handoffs: Vec<(&Handoff, Clocks)> = state
            .handoffs
            .values()
            .map(|h| &**h)
            .filter(|h| !args.pending || h.pending())
            .filter(|h| to.is_none_or(|t| h.to == t))
            .filter(|h| since.is_none_or(|s| h.at >= s))
            .filter(|h| me.as_deref().is_none_or(|m| h.to == m || h.from == m))
            .filter(|h| search::found(wanted.as_ref(), searched(h, leads)))
            .map(|h| (h, h.clocks(config, &cal, now)))
            .filter(|(h, clocks)| !args.overdue || h.overdue(clocks))
            .collect();
        handoffs.sort_by_key(|(h, _)| (std::cmp::Reverse(h.at), h.id.as_str()));
        print_listed(ctx, out, format, &handoffs, leads, tz, now, any)
    };
    // A current writers' index holds every handoff whole and their leads' stages and
    // companies: one pass over its handoffs, decoding only the pending ones if asked.
    // Else the handoffs of the cache (or of the whole state), and of the leads, as they
    // pass, the company and stage of those the handoffs name.
    if let Some(listed) = ws.indexed_handoffs(args.pending) {
        let mut leads = LeadNames::named_by(listed.state.handoffs.values().map(|h| &**h));
        listed.state.leads.values().for_each(|l| leads.see(l));
        return print(out, &listed.state, &leads, listed.any);
    }
    ws.read_leads(Needs::LEADS.and(Needs::HANDOFFS), |state, pass| {
        let mut leads = LeadNames::named_by(state.handoffs.values().map(|h| &**h));
        if !pass(&mut |l| leads.see(l)) {
            return Ok(None);
        }
        print(out, state, &leads, !state.handoffs.is_empty()).map(Some)
    })
}

/// Prints the handoffs listed (in their order) as JSON, CSV or a table with a summary.
#[allow(clippy::too_many_arguments)]
fn print_listed(
    ctx: &Ctx,
    out: &mut dyn Write,
    format: OutputFormat,
    handoffs: &[(&Handoff, Clocks)],
    leads: &LeadNames,
    tz: chrono_tz::Tz,
    now: Instant,
    any: bool,
) -> Result<()> {
    match format {
        OutputFormat::Json => render::emit_json(
            out,
            &render::json_seq(
                handoffs
                    .iter()
                    .map(|(h, clocks)| super::HandoffView::new(h, clocks, leads, tz)),
            ),
        ),
        OutputFormat::Csv => render::emit_csv(ctx, out, &listing(handoffs, leads, tz, now, true)),
        _ if handoffs.is_empty() => crate::commands::confirm(
            ctx,
            out,
            if !any {
                "no handoffs yet; hand a lead to sales with `growth handoff LEAD --to MEMBER`"
            } else {
                "no handoffs match these filters"
            },
        ),
        _ => {
            render::emit_table(ctx, out, &listing(handoffs, leads, tz, now, false))?;
            if ctx.quiet {
                return Ok(());
            }
            let pending = handoffs.iter().filter(|(h, _)| h.pending()).count();
            let overdue = handoffs
                .iter()
                .filter(|(h, clocks)| h.overdue(clocks))
                .count();
            // Late now: still owed something and past a clock, what the agenda counts.
            let late_now = handoffs
                .iter()
                .filter(|(h, clocks)| h.open_at(now) && h.overdue(clocks))
                .count();
            let summary = format!(
                "{} handoff{}, {pending} pending, {overdue} past the SLA ({late_now} still open)",
                handoffs.len(),
                crate::error::plural(handoffs.len())
            );
            render::emit(out, &format!("{}\n", render::dim(ctx, &summary)))
        }
    }
}

/// The text `--search` looks in: the lead's id and company, the note sales got and the
/// note that came back with the decision.
fn searched<'a>(h: &'a Handoff, leads: &'a LeadNames) -> impl Iterator<Item = &'a str> {
    let company = leads.company(&h.lead);
    [
        Some(h.lead.as_str()),
        company,
        h.note.as_deref(),
        h.decision_note.as_deref(),
    ]
    .into_iter()
    .flatten()
}

/// A clock for a table cell: running, stopped (✓), past the SLA (LATE). A late clock
/// still running (nobody called yet) must not read like one stopped late (called late).
fn clock_cell(c: &Clock, ascii: bool) -> String {
    let limit = human(c.limit);
    let elapsed = human(c.elapsed);
    let done = if ascii { "ok" } else { "✓" };
    match (c.stopped, c.breached()) {
        (true, true) => format!("{done} LATE {elapsed}/{limit}"),
        (false, true) => format!("LATE {elapsed}/{limit}"),
        (true, false) => format!("{done} {elapsed}/{limit}"),
        (false, false) => format!("{elapsed}/{limit}"),
    }
}

/// A clock that stopped when its handoff closed with nothing done: `-`, or `LATE` when it
/// had run past the SLA by then (it counts as late, and must show so). Never `✓`.
fn closed_cell(c: &Clock) -> String {
    if c.breached() {
        format!("LATE {}/{}", human(c.elapsed), human(c.limit))
    } else {
        "-".to_string()
    }
}

/// Calendar age, `3d 4h` style.
fn age(from: Instant, now: Instant) -> String {
    let minutes = (now.0 - from.0).max(0) / 60_000;
    match minutes / 1440 {
        0 => human(minutes * 60_000),
        d => format!("{d}d {}h", minutes % 1440 / 60),
    }
}

pub fn listing(
    handoffs: &[(&Handoff, Clocks)],
    leads: &LeadNames,
    tz: chrono_tz::Tz,
    now: Instant,
    csv: bool,
) -> Listing {
    let headers = if csv {
        vec![
            "id",
            "lead",
            "company",
            "from",
            "to",
            "at",
            "status",
            "reason",
            "accept_minutes",
            "accept_limit_minutes",
            "accept_breached",
            "contact_minutes",
            "contact_limit_minutes",
            "contact_breached",
            "overdue",
            "note",
            "decision_note",
        ]
    } else {
        vec![
            "id", "lead", "from", "to", "age", "status", "decide", "contact", "note",
        ]
    };
    let rows = handoffs
        .iter()
        .map(|(h, clocks)| {
            let stage = leads.stage(&h.lead).unwrap_or_default();
            let status = super::status_text(h, stage);
            if csv {
                vec![
                    h.id.to_string(),
                    h.lead.clone().into(),
                    leads.company(&h.lead).unwrap_or_default().to_string(),
                    h.from.clone().into(),
                    h.to.to_string(),
                    h.at.to_toml(tz),
                    if h.closed_undecided() {
                        "closed"
                    } else {
                        h.status.as_str()
                    }
                    .to_string(),
                    h.reason.as_deref().unwrap_or_default().to_string(),
                    (clocks.accept.elapsed / 60_000).to_string(),
                    (clocks.accept.limit / 60_000).to_string(),
                    clocks.accept.breached().to_string(),
                    (clocks.contact.elapsed / 60_000).to_string(),
                    (clocks.contact.limit / 60_000).to_string(),
                    (h.status != HandoffStatus::Rejected && clocks.contact.breached()).to_string(),
                    h.overdue(clocks).to_string(),
                    h.note.as_deref().unwrap_or_default().to_string(),
                    h.decision_note.as_deref().unwrap_or_default().to_string(),
                ]
            } else {
                let contact = if h.status == HandoffStatus::Rejected {
                    "-".to_string()
                } else if h.closed.is_some() && h.contacted_at.is_none() {
                    closed_cell(&clocks.contact)
                } else {
                    clock_cell(&clocks.contact, false)
                };
                vec![
                    h.id.to_string(),
                    h.lead.clone().into(),
                    h.from.clone().into(),
                    h.to.clone().into(),
                    age(h.at, now),
                    status,
                    if h.closed_undecided() {
                        closed_cell(&clocks.accept)
                    } else {
                        clock_cell(&clocks.accept, false)
                    },
                    contact,
                    // Marketing needs to see why a lead came back; sales the context it got.
                    match h.status {
                        HandoffStatus::Rejected => h
                            .decision_note
                            .clone()
                            .or_else(|| h.note.clone())
                            .unwrap_or_default()
                            .into(),
                        _ => h.note.as_deref().unwrap_or_default().to_string(),
                    },
                ]
            }
        })
        .collect();
    // On a narrow terminal: the note goes first, then age, from, the two clocks (the
    // summary line still counts what is late); the lead stays, wrapping if it must.
    let droppable = if csv { Vec::new() } else { vec![8, 4, 2, 7, 6] };
    Listing {
        headers,
        rows,
        droppable,
        wrap: (!csv).then_some(1),
    }
}
