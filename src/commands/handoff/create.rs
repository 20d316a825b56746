//! `growth handoff LEAD --to MEMBER`: record a marketing-to-sales handoff, asking for what
//! is missing when a person is at a terminal.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::entry::Change;
use crate::model::handoff::HandoffStatus;
use crate::model::summary::{Records, Table};
use crate::prompt;
use crate::store::Workspace;

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The lead to hand off: its id, a unique prefix, or its company name
    pub lead: Option<String>,
    /// The sales member who takes it over
    #[arg(long, value_name = "MEMBER")]
    pub to: Option<String>,
    /// The context sales needs to care for the prospect
    #[arg(long)]
    pub note: Option<String>,
    /// Hand off even a lost or won lead, or one already handed off
    #[arg(long)]
    pub force: bool,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: CreateArgs) -> Result<()> {
    ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let (lead_wanted, force, to) = ask(ctx, &ws, &me, &args)?;
    if let Some(refusal) = refused_receiver(ws.config(), &me, &to) {
        return Err(refusal);
    }
    if let Some(m) = ws.config().members.get(&to)
        && !m.department.contains("sales")
        && !ctx.quiet
    {
        crate::render::warn(&format!(
            "{to} is in {}, not sales; accepting will make them the lead's owner",
            m.department
        ));
    }
    let note = match &args.note {
        Some(n) => Some(n.clone()),
        None if ctx.can_prompt => Some(prompt::text(
            "What does sales need to know? (optional)",
            Some(""),
        )?)
        .filter(|n| !n.is_empty()),
        None => None,
    };
    let mut lead_id = String::new();
    let mut handoff_id = String::new();
    let recorded = crate::commands::record(ctx, &mut ws, &me, |records, config, _| {
        // This may run twice (see `Workspace::record`): each run starts afresh.
        (lead_id, handoff_id) = (String::new(), String::new());
        let lead = crate::commands::resolve_lead(records, &lead_wanted)?;
        if records.lead(&lead).is_none() {
            return Ok(Vec::new());
        }
        if !force && let Some(refusal) = needs_force(records, config, &lead) {
            return Err(refusal);
        }
        lead_id.clone_from(&lead);
        handoff_id = crate::commands::new_record_id(records, Table::Handoffs);
        Ok(vec![Change::HandoffCreate {
            id: handoff_id.clone(),
            lead,
            to: to.clone(),
            note: note.clone(),
        }])
    });
    // Refused after the note was typed (someone handed it off meanwhile): the note is kept.
    let state = match (recorded, &note) {
        (Ok(state), _) => state,
        (Err(e), Some(n)) if args.note.is_none() => {
            return Err(e.hint(format!("your note, not saved: {n}")));
        }
        (Err(e), _) => return Err(e),
    };
    let config = ws.config();
    let due = state.handoffs.get(handoff_id.as_str()).map(|h| {
        crate::model::sla::deadline(
            h.at,
            config.handoff.accept_within_hours,
            &config.business_hours,
            ws.tz(),
        )
    });
    let company = state
        .leads
        .get(lead_id.as_str())
        .map_or(String::new(), |l| l.company.clone().into());
    // --force over an open handoff closes it: say so, its receiver is off the hook.
    let replaced = state
        .handoffs
        .values()
        .find(|h| {
            matches!(h.closed_why(),
                Some(crate::model::handoff::Closure::Replaced(by)) if by.as_str() == handoff_id)
        })
        .map(|h| format!("; closed {}'s handoff {}", h.to, h.id))
        .unwrap_or_default();
    let message = format!(
        "handed {lead_id} ({company}) to {to}: handoff {handoff_id}; accept within {}h of business time{}{replaced}",
        config.handoff.accept_within_hours,
        due.map(|d| format!(" (by {})", d.in_tz(ws.tz()).format("%Y-%m-%d %H:%M")))
            .unwrap_or_default()
    );
    super::print_changed(ctx, out, &ws, &handoff_id, &message)
}

/// The lead, whether to force, and the receiver: from the flags, else asked on a terminal.
/// Esc at a question goes back to the one before (the lead picker, or the --force
/// question); at the first question it cancels.
fn ask(ctx: &Ctx, ws: &Workspace, me: &str, args: &CreateArgs) -> Result<(String, bool, String)> {
    loop {
        let lead_wanted = match args.lead.clone() {
            Some(l) => l,
            None if ctx.can_prompt => pick_lead(ws)?.ok_or_else(prompt::interrupted)?,
            None => {
                return Err(Error::usage("missing the LEAD to hand off")
                    .hint("usage: growth handoff LEAD --to MEMBER [--note TEXT]"));
            }
        };
        // Whether a question was asked before the receiver's: Esc there goes back to it.
        let mut asked = args.lead.is_none();
        let mut force = args.force;
        // On a terminal, a lead that needs --force is asked about here, before anything is typed.
        if ctx.can_prompt && !force {
            let state = ws.state()?;
            let lead = crate::commands::resolve_lead(&state, &lead_wanted)?;
            if let Some(refusal) = needs_force(&state, ws.config(), &lead) {
                let back = if asked { " (Esc back)" } else { "" };
                let question = format!(
                    "{}. Hand it off anyway (as --force does)?{back}",
                    refusal.message
                );
                match prompt::confirm_or_back(&crate::render::sanitize::cell(&question), false)? {
                    Some(true) => force = true,
                    Some(false) => return Err(refusal),
                    None if asked => continue,
                    None => return Err(prompt::interrupted()),
                }
                asked = true;
            }
        }
        let to = match &args.to {
            Some(t) => crate::commands::resolve_member(ws.config(), t)?.to_string(),
            None if ctx.can_prompt => match pick_receiver(ws, me, asked)? {
                Some(to) => to,
                None if asked => continue,
                None => return Err(prompt::interrupted()),
            },
            None => {
                return Err(Error::usage(
                    "missing --to MEMBER: who in sales takes the lead over",
                ));
            }
        };
        return Ok((lead_wanted, force, to));
    }
}

/// Why `lead` is not handed off without `--force`, if it is not: it is closed (won or
/// lost), or its latest handoff was accepted or still waits for a decision. The one check
/// behind both the command line and the leads a terminal offers.
pub fn needs_force(records: &dyn Records, config: &Config, lead: &str) -> Option<Error> {
    let summary = records.lead(lead)?;
    if config.pipeline.is_closed(&summary.stage) {
        return Some(
            Error::user(format!(
                "{lead} is {}; a closed lead is not handed off",
                summary.stage
            ))
            .hint("pass --force to hand it off anyway, or reopen it with `growth lead stage`"),
        );
    }
    let previous = summary
        .handoff
        .as_deref()
        .and_then(|h| records.handoff(h))?;
    match previous.status {
        HandoffStatus::Accepted => Some(
            Error::user(format!(
                "{lead} was handed to {} who accepted it (handoff {})",
                previous.to, previous.id
            ))
            .hint("pass --force to hand it off again"),
        ),
        // Closed undecided when the lead was won or lost: nobody is waiting.
        HandoffStatus::Pending if previous.closed.is_some() => None,
        HandoffStatus::Pending => Some(
            Error::user(format!(
                "{lead} is waiting for {} to decide (handoff {})",
                previous.to, previous.id
            ))
            .hint("pass --force to hand it off again"),
        ),
        HandoffStatus::Rejected => None,
    }
}

/// Why `to` may not receive a handoff from `me`, if they may not: themselves, or a former
/// member. The one check behind both `--to` and the members a terminal offers.
pub fn refused_receiver(config: &Config, me: &str, to: &str) -> Option<Error> {
    if to == me {
        return Some(
            Error::user("you cannot hand a lead off to yourself")
                .hint("pass --to with the member who takes it over"),
        );
    }
    if !config.members.get(to).is_some_and(|m| m.active) {
        return Some(
            Error::user(format!("{to} is a former member")).hint("hand it to someone on the team"),
        );
    }
    None
}

/// A fuzzy pick among the leads that may be handed off without `--force`; `None` on Esc.
fn pick_lead(ws: &Workspace) -> Result<Option<String>> {
    let state = ws.state()?;
    let config = ws.config();
    let open: Vec<_> = state
        .leads
        .values()
        .filter(|l| !l.archived && needs_force(&state, config, &l.id).is_none())
        .collect();
    if open.is_empty() {
        return Err(Error::user("there are no leads to hand off: each is closed, archived or handed off already")
            .hint("add one with `growth lead add COMPANY`, or name a lead to hand it off again: `growth handoff LEAD --force`"));
    }
    let labels: Vec<String> = open
        .iter()
        .map(|l| crate::render::sanitize::cell(&format!("{}  {} ({})", l.id, l.company, l.stage)))
        .collect();
    let picked = prompt::select_or_back("Lead to hand off (type to search)", &labels)?;
    Ok(picked.map(|i| open[i].id.to_string()))
}

/// A fuzzy pick among the active sales members (everyone else when there is no sales team);
/// `None` on Esc. `back`: Esc goes back to an earlier question (said in the prompt).
fn pick_receiver(ws: &Workspace, me: &str, back: bool) -> Result<Option<String>> {
    let members: Vec<(&String, &crate::model::config::Member)> = ws
        .config()
        .members
        .iter()
        .filter(|(id, _)| refused_receiver(ws.config(), me, id).is_none())
        .collect();
    let sales: Vec<_> = members
        .iter()
        .filter(|(_, m)| m.department.contains("sales"))
        .cloned()
        .collect();
    let choices = if sales.is_empty() { members } else { sales };
    if choices.is_empty() {
        return Err(Error::user("there is nobody to hand off to")
            .hint("add a sales member with `growth member add`"));
    }
    let labels: Vec<String> = choices
        .iter()
        .map(|(id, m)| {
            crate::render::sanitize::cell(&format!("{id}  {} ({})", m.name, m.department))
        })
        .collect();
    let question = if back {
        "Hand off to (type to search, Esc back)"
    } else {
        "Hand off to (type to search)"
    };
    let picked = prompt::select_or_back(question, &labels)?;
    Ok(picked.map(|i| choices[i].0.clone()))
}
