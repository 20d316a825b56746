//! `growth handoff ...`: marketing hands a lead to sales; sales accepts or rejects it and
//! makes first contact, each against its SLA clock.

pub mod create;
pub mod decide;
pub mod list;

use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::Text;
use crate::model::handoff::{Clocks, Closure, Handoff, HandoffStatus};
use crate::model::sla::{Calendar, Clock};
use crate::render;

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  growth handoff acme-corp --to tom --note \"CFO asked for pricing; wants a call before Friday\"\n  growth handoff accept k3f9 --note \"calling tomorrow 10:00\"\n  growth handoff reject k3f9 --reason no-budget --note \"budget frozen until Q2\"\n  growth handoff contact acme-corp   # a lead with one open handoff stands for it\n  growth handoff list --mine --pending\n\nA lead whose id is one of the words above (a company called \"Contact\" or \"List\"): put\nit after `--`, where growth reads it as a lead:\n  growth handoff --to tom -- contact\n  growth lead show list               # lead commands take it as it is"
)]
pub struct HandoffArgs {
    #[command(subcommand)]
    pub action: Option<HandoffCommand>,
    #[command(flatten)]
    pub create: create::CreateArgs,
}

#[derive(Debug, Subcommand)]
pub enum HandoffCommand {
    /// Accept a handoff: the lead moves to sql and to you
    Accept(decide::AcceptArgs),
    /// Reject a handoff with a reason: the lead goes back to nurture, visible to marketing
    Reject(decide::RejectArgs),
    /// Record first contact with the prospect (stops the contact SLA clock)
    Contact(decide::ContactArgs),
    /// List handoffs with their age, both SLA clocks and breaches
    List(list::ListArgs),
}

/// The command that hands `lead` off, spelled so that a lead named like a subcommand
/// (`list`, `contact`) is read as a lead.
pub fn create_command(lead: &str) -> String {
    if lead == "help" || <HandoffCommand as clap::Subcommand>::has_subcommand(lead) {
        format!("growth handoff --to MEMBER -- {lead}")
    } else {
        format!("growth handoff {lead} --to MEMBER")
    }
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: HandoffArgs) -> Result<()> {
    match args.action {
        None => create::run(ctx, out, args.create),
        Some(HandoffCommand::Accept(a)) => decide::accept(ctx, out, a),
        Some(HandoffCommand::Reject(a)) => decide::reject(ctx, out, a),
        Some(HandoffCommand::Contact(a)) => decide::contact(ctx, out, a),
        Some(HandoffCommand::List(a)) => list::run(ctx, out, a),
    }
}

/// One SLA clock in JSON.
#[derive(Debug, Serialize)]
pub struct ClockView {
    pub elapsed_minutes: i64,
    pub limit_minutes: i64,
    pub due: String,
    pub stopped: bool,
    pub breached: bool,
}

impl ClockView {
    fn new(c: &Clock, tz: chrono_tz::Tz) -> Self {
        ClockView {
            elapsed_minutes: c.elapsed / 60_000,
            limit_minutes: c.limit / 60_000,
            due: c.due.to_toml(tz),
            stopped: c.stopped,
            breached: c.breached(),
        }
    }
}

/// A handoff as JSON: the journal's field names plus both clocks at "now".
#[derive(Debug, Serialize)]
pub struct HandoffView {
    pub id: String,
    pub lead: String,
    pub company: String,
    pub from: String,
    pub to: String,
    pub at: String,
    pub note: Option<String>,
    pub status: &'static str,
    pub reason: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub contacted_at: Option<String>,
    pub contacted_by: Option<String>,
    /// When it closed while open (its lead won or lost, or handed off again); `status` is
    /// then "closed" if nobody had decided it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    /// The closed stage its lead reached, when that closed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_stage: Option<String>,
    /// The handoff that replaced it, when the lead was handed off again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    pub accept: ClockView,
    pub contact: ClockView,
    pub overdue: bool,
    /// Decided differently on two clones: it counts as pending until someone settles it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disputed: bool,
}

impl HandoffView {
    pub fn new(h: &Handoff, clocks: &Clocks, leads: &LeadNames, tz: chrono_tz::Tz) -> Self {
        HandoffView {
            id: h.id.clone().into(),
            lead: h.lead.clone().into(),
            company: leads.company(&h.lead).unwrap_or_default().into(),
            from: h.from.clone().into(),
            to: h.to.clone().into(),
            at: h.at.to_toml(tz),
            note: h.note.clone().map(Into::into),
            status: if h.closed_undecided() {
                "closed"
            } else {
                h.status.as_str()
            },
            reason: h.reason.clone().map(Into::into),
            decided_at: h.decided_at.map(|t| t.to_toml(tz)),
            decided_by: h.decided_by.clone().map(Into::into),
            decision_note: h.decision_note.clone().map(Into::into),
            contacted_at: h.contacted_at.map(|t| t.to_toml(tz)),
            contacted_by: h.contacted_by.clone().map(Into::into),
            closed_at: h.closed_at().map(|t| t.to_toml(tz)),
            closed_stage: match h.closed_why() {
                Some(Closure::Stage(stage)) => Some(stage.to_string()),
                _ => None,
            },
            replaced_by: match h.closed_why() {
                Some(Closure::Replaced(id)) => Some(id.to_string()),
                _ => None,
            },
            accept: ClockView::new(&clocks.accept, tz),
            contact: ClockView::new(&clocks.contact, tz),
            overdue: h.overdue(clocks),
            disputed: h.disputed,
        }
    }
}

/// After a handoff command: the record in JSON or CSV (read back), else the message;
/// `-q` prints just the id.
pub fn print_changed(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &crate::store::Workspace,
    id: &str,
    message: &str,
) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &RECORD_FORMATS)?;
    if matches!(format, OutputFormat::Json | OutputFormat::Csv) {
        let state = ws.state()?;
        let now = ctx.now(ws.tz())?;
        let Some(h) = state.handoffs.get(id) else {
            return Ok(());
        };
        let clocks = h.clocks(
            ws.config(),
            &Calendar::new(&ws.config().business_hours, ws.tz()),
            now,
        );
        // Its one lead, looked up, not every lead passed over.
        let mut leads = LeadNames::named_by(std::iter::once(&**h));
        if let Some(l) = state.leads.get(&h.lead) {
            leads.see(l);
        }
        if format == OutputFormat::Json {
            return render::emit(
                out,
                &render::json(&HandoffView::new(h, &clocks, &leads, ws.tz()))?,
            );
        }
        return render::emit(
            out,
            &render::csv(
                ctx,
                &list::listing(&[(h, clocks)], &leads, ws.tz(), now, true),
            )?,
        );
    }
    crate::commands::done(ctx, out, id, message)
}

/// What a handoff shows of its lead (company and stage), for the leads some handoffs
/// name: gathered as the leads pass, so a listing of every handoff need not hold every
/// lead. A lead not passed (archived, say) shows nothing, as one missing from a state.
#[derive(Debug, Default)]
pub struct LeadNames(std::collections::HashMap<Text, Option<(Text, Text)>>);

impl LeadNames {
    /// For the leads `handoffs` name, before any lead passed.
    pub fn named_by<'a>(handoffs: impl Iterator<Item = &'a Handoff>) -> Self {
        LeadNames(handoffs.map(|h| (h.lead.clone(), None)).collect())
    }

    /// Notes the company and stage of `lead` if a handoff names it.
    pub fn see(&mut self, lead: &crate::model::lead::Lead) {
        if let Some(slot) = self.0.get_mut(lead.id.as_str()) {
            *slot = Some((lead.company.clone(), lead.stage.clone()));
        }
    }

    pub fn company(&self, lead: &str) -> Option<&str> {
        self.get(lead).map(|(company, _)| company)
    }

    pub fn stage(&self, lead: &str) -> Option<&str> {
        self.get(lead).map(|(_, stage)| stage)
    }

    fn get(&self, lead: &str) -> Option<(&str, &str)> {
        self.0
            .get(lead)?
            .as_ref()
            .map(|(c, s)| (c.as_str(), s.as_str()))
    }
}

pub const RECORD_FORMATS: [OutputFormat; 3] =
    [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv];

/// "accepted", "rejected (no-budget)", "pending", "closed (lead lost)" or "closed
/// (replaced by 4kq2)", for messages; `lead_stage` is the lead's stage now, named when an
/// older cache does not say why the handoff closed.
pub fn status_text(h: &Handoff, lead_stage: &str) -> String {
    if h.closed_undecided() {
        return match h.closed_why() {
            Some(why) => format!("closed ({})", why.text()),
            None => format!("closed (lead {lead_stage})"),
        };
    }
    // Accepted, then handed to someone else before the first contact.
    if let Some(Closure::Replaced(by)) = h.closed_why() {
        return format!("{}, replaced by {by}", h.status.as_str());
    }
    if h.disputed {
        return "pending (disputed)".into();
    }
    match (h.status, &h.reason) {
        (HandoffStatus::Rejected, Some(r)) => format!("rejected ({r})"),
        (s, _) => s.as_str().to_string(),
    }
}
