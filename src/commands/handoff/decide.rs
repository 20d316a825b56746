//! `growth handoff accept|reject|contact ID`: sales' answer to a handoff, and first contact.
//! Only the receiver (or a leader) may decide; a decision is made once. ID names a handoff,
//! or a lead with exactly one handoff open for the step.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::entry::Change;
use crate::model::handoff::{Closure, HandoffStatus};
use crate::model::sla::Calendar;
use crate::model::summary::{HandoffSummary, Records, Table};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth handoff accept k3f9 --note \"Calling Hanna tomorrow at 10\"\n  growth handoff accept acme-corp   # the lead's one pending handoff"
)]
pub struct AcceptArgs {
    /// The handoff's id (any unique prefix), or the lead's id, prefix or company when the
    /// lead has exactly one handoff waiting for a decision
    pub id: String,
    /// A note for marketing (next steps, when you will call)
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth handoff reject k3f9 --reason no-budget --note \"Budget frozen until Q2; nurture and retry in March\"\n  growth handoff reject acme-corp --reason not-a-fit   # the lead's one pending handoff"
)]
pub struct RejectArgs {
    /// The handoff's id (any unique prefix), or the lead's id, prefix or company when the
    /// lead has exactly one handoff waiting for a decision
    pub id: String,
    /// Why, from the reasons in growth.toml (e.g. not-a-fit, no-budget, bad-timing)
    #[arg(long, required = true)]
    pub reason: String,
    /// What marketing should know or do next
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "A handoff still pending is accepted by its first contact, at the same moment (its decide\nclock stops there too, and the lead moves to sql): calling the prospect is taking them on.\n\nExamples:\n  growth handoff contact k3f9 --note \"Discovery call booked for Thursday\"\n  growth handoff contact acme-corp   # the lead's one handoff awaiting first contact"
)]
pub struct ContactArgs {
    /// The handoff's id (any unique prefix), or the lead's id, prefix or company when the
    /// lead has exactly one handoff awaiting first contact
    pub id: String,
    /// How it went
    #[arg(long)]
    pub note: Option<String>,
}

/// The handoff `wanted` names, if `me` may decide it and it is still pending.
fn decidable(
    records: &dyn Records,
    config: &Config,
    me: &str,
    wanted: &str,
    verb: &str,
) -> Result<HandoffSummary> {
    let id = named_handoff(records, wanted, verb)?;
    let h = records
        .handoff(&id)
        .ok_or_else(|| Error::user(format!("unknown handoff `{id}`")))?;
    let leader = config.members.get(me).is_some_and(|m| m.leader);
    if me != h.to && !leader {
        return Err(Error::user(format!(
            "only {} (who received handoff {id}) or a leader may {verb} it",
            h.to
        ))
        .hint(format!("record as them with --as {}, or ask them", h.to)));
    }
    if h.closed.is_some() {
        let lead = &h.lead;
        return Err(match &h.closed_why {
            Some(Closure::Replaced(by)) => {
                let err = Error::user(format!(
                    "handoff {id} closed when {lead} was handed off again (handoff {by}); there is nothing to {verb}"
                ));
                match records.handoff(by) {
                    Some(next) if next.to == me || leader => err.hint(format!(
                        "it is handoff {by} now: `growth handoff {verb} {by}`"
                    )),
                    Some(next) => err.hint(format!("the lead went to {} instead", next.to)),
                    None => err,
                }
            }
            why => Error::user(format!(
                "handoff {id} closed when {lead} became {}; there is nothing to {verb}",
                match why {
                    Some(Closure::Stage(stage)) => stage.to_string(),
                    _ => records.lead(lead).map(|l| l.stage).unwrap_or_default(),
                }
            ))
            .hint(format!(
                "to work the lead again, move it back (`growth lead stage {lead} STAGE`) and hand it off again"
            )),
        });
    }
    if verb != "contact" && h.status != HandoffStatus::Pending {
        return Err(Error::user(format!("handoff {id} is {} already", h.status.as_str()))
            .hint("a handoff is decided once; hand the lead off again with `growth handoff LEAD --to MEMBER --force`"));
    }
    Ok(h)
}

/// The handoff `wanted` names: a handoff's id, else a lead's id, else a unique prefix of
/// a handoff's id, else a lead by prefix or company (see `resolve_lead`). A lead stands
/// for its one handoff open for `verb`; with none or several, it is refused.
fn named_handoff(records: &dyn Records, wanted: &str, verb: &str) -> Result<String> {
    let wanted = wanted.trim().to_lowercase();
    if records.handoff(&wanted).is_some() {
        return Ok(wanted);
    }
    if records.lead(&wanted).is_some() {
        return open_handoff_of(records, &wanted, verb);
    }
    let near = records.with_prefix(Table::Handoffs, &wanted);
    if near.is_empty()
        && let Ok(lead) = crate::commands::resolve_lead(records, &wanted)
    {
        return open_handoff_of(records, &lead, verb);
    }
    // No lead either: the error (ambiguous or unknown) says what was wrong with the handoff.
    crate::commands::resolve_record(records, Table::Handoffs, &wanted, "growth handoff list")
}

/// Whether `h` is open for `verb`: waiting for a decision, or for `contact` also accepted
/// and not contacted yet.
fn open_for(h: &HandoffSummary, verb: &str) -> bool {
    h.closed.is_none()
        && match verb {
            "contact" => h.status != HandoffStatus::Rejected && !h.contacted,
            _ => h.status == HandoffStatus::Pending,
        }
}

/// The one handoff of `lead` open for `verb`; none or several is an error that says which.
fn open_handoff_of(records: &dyn Records, lead: &str, verb: &str) -> Result<String> {
    let mut open: Vec<HandoffSummary> = records
        .ids(Table::Handoffs)
        .filter_map(|id| records.handoff(id))
        .filter(|h| h.lead == lead && open_for(h, verb))
        .collect();
    open.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let waiting = if verb == "contact" {
        "waiting for first contact"
    } else {
        "waiting for a decision"
    };
    match open.as_slice() {
        [one] => Ok(one.id.clone()),
        [] => {
            let err = Error::user(format!("lead {lead} has no handoff {waiting}"));
            Err(match records.lead(lead).and_then(|l| l.handoff) {
                Some(latest) => err.hint(format!(
                    "its handoffs are in `growth handoff list --search {lead}` (the latest is {latest})"
                )),
                None => err.hint(format!(
                    "it was never handed off; hand it to sales with `{}`",
                    super::create_command(lead)
                )),
            })
        }
        several => {
            let ids: Vec<String> = several
                .iter()
                .map(|h| format!("`{}` (to {})", h.id, h.to))
                .collect();
            Err(Error::user(format!(
                "lead {lead} has {} handoffs {waiting}: {}",
                several.len(),
                ids.join(", ")
            ))
            .hint(format!("name one by its id: `growth handoff {verb} ID`")))
        }
    }
}

pub fn accept(ctx: &Ctx, out: &mut dyn Write, args: AcceptArgs) -> Result<()> {
    ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut handoff = None;
    let mut moved = None;
    let state = crate::commands::record(ctx, &mut ws, &me, |records, config, _| {
        let h = decidable(records, config, &me, &args.id, "accept")?;
        // Accepting moves the lead to sql, never backwards (an opportunity stays one).
        let lead = records.lead(&h.lead);
        let sql = &config.pipeline.sql;
        let stage = lead
            .filter(|l| config.pipeline.position(&l.stage) < config.pipeline.position(sql))
            .map(|_| sql.clone());
        moved.clone_from(&stage);
        let change = Change::HandoffAccept {
            handoff: h.id.clone(),
            note: args.note.clone(),
            stage,
        };
        handoff = Some(h);
        Ok(vec![change])
    })?;
    let Some(h) = handoff else { return Ok(()) };
    let timing = decision_timing(&state, ws.config(), ws.tz(), &h.id);
    let lead = state.leads.get(h.lead.as_str());
    let company = lead.map_or("", |l| l.company.as_str());
    let stage = lead.map_or("", |l| l.stage.as_str());
    let message = format!(
        "{me} accepted handoff {}{timing}: {} ({company}) is {}{stage}, owned by {}",
        h.id,
        h.lead,
        if moved.is_some() { "now " } else { "still " },
        h.to
    );
    super::print_changed(ctx, out, &ws, &h.id, &message)
}

pub fn reject(ctx: &Ctx, out: &mut dyn Write, args: RejectArgs) -> Result<()> {
    ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let reason = args.reason.trim().to_lowercase();
    let reasons = &ws.config().handoff.rejection_reasons;
    if !reasons.contains(&reason) {
        return Err(crate::error::unknown(
            "rejection reason",
            &reason,
            reasons.iter().map(String::as_str),
            "",
        )
        .hint(format!(
            "the reasons in growth.toml are: {}",
            reasons.join(", ")
        )));
    }
    let mut handoff = None;
    let state = crate::commands::record(ctx, &mut ws, &me, |records, config, _| {
        let h = decidable(records, config, &me, &args.id, "reject")?;
        let change = Change::HandoffReject {
            handoff: h.id.clone(),
            reason: reason.clone(),
            note: args.note.clone(),
            stage: Some(config.handoff.rejected_to.clone()),
        };
        handoff = Some(h);
        Ok(vec![change])
    })?;
    let Some(h) = handoff else { return Ok(()) };
    let timing = decision_timing(&state, ws.config(), ws.tz(), &h.id);
    let stage = state
        .leads
        .get(h.lead.as_str())
        .map_or("", |l| l.stage.as_str());
    let message = format!(
        "{me} rejected handoff {}{timing} ({reason}): {} goes back to {stage}; {} sees why in `growth handoff list`",
        h.id, h.lead, h.from
    );
    super::print_changed(ctx, out, &ws, &h.id, &message)
}

pub fn contact(ctx: &Ctx, out: &mut dyn Write, args: ContactArgs) -> Result<()> {
    ctx.format_or(crate::cli::OutputFormat::Table, &super::RECORD_FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut handoff = None;
    let mut implied = false;
    let state = crate::commands::record(ctx, &mut ws, &me, |records, config, _| {
        let h = decidable(records, config, &me, &args.id, "contact")?;
        if h.status == HandoffStatus::Rejected {
            return Err(Error::user(format!(
                "handoff {} was rejected; there is no contact to record",
                h.id
            )));
        }
        if h.contacted {
            return Err(Error::user(format!(
                "first contact for handoff {} is recorded already",
                h.id
            ))
            .hint("add what happened since as a note: `growth lead edit LEAD --note TEXT`"));
        }
        // Calling the prospect before accepting is accepting: recorded as an acceptance at
        // the same moment, so the decide clock stops where the contact clock does and the
        // lead moves to sql, as `handoff accept` would (only who may decide gets here).
        let mut changes = Vec::with_capacity(2);
        if h.status == HandoffStatus::Pending {
            let sql = &config.pipeline.sql;
            let stage = records
                .lead(&h.lead)
                .filter(|l| config.pipeline.position(&l.stage) < config.pipeline.position(sql))
                .map(|_| sql.clone());
            implied = true;
            changes.push(Change::HandoffAccept {
                handoff: h.id.clone(),
                note: None,
                stage,
            });
        }
        changes.push(Change::HandoffContact {
            handoff: h.id.clone(),
            note: args.note.clone(),
        });
        handoff = Some(h);
        Ok(changes)
    })?;
    let Some(h) = handoff else { return Ok(()) };
    let now = ctx.now(ws.tz())?;
    let clock = state.handoffs.get(h.id.as_str()).map(|full| {
        full.clocks(
            ws.config(),
            &Calendar::new(&ws.config().business_hours, ws.tz()),
            now,
        )
        .contact
    });
    let timing = clock.map_or(String::new(), |c| {
        format!(
            " after {} of business time ({}the {}h SLA)",
            crate::model::sla::human(c.elapsed),
            if c.breached() { "past " } else { "within " },
            c.limit / 3_600_000
        )
    });
    let mut message = format!("first contact for {} ({}) recorded{timing}", h.lead, h.id);
    if implied {
        let decided = decision_timing(&state, ws.config(), ws.tz(), &h.id);
        let stage = state
            .leads
            .get(h.lead.as_str())
            .map_or("", |l| l.stage.as_str());
        message.push_str(&format!(
            "; it was still pending, so {me} accepted it too{decided}: {} is {stage}, owned by {}",
            h.lead, h.to
        ));
    }
    super::print_changed(ctx, out, &ws, &h.id, &message)
}

/// " after 2h 10m of business time (within the 4h SLA)" for a decided handoff in `state`.
fn decision_timing(
    state: &crate::model::state::State,
    config: &Config,
    tz: chrono_tz::Tz,
    id: &str,
) -> String {
    let Some(h) = state.handoffs.get(id) else {
        return String::new();
    };
    let Some(decided) = h.decided_at else {
        return String::new();
    };
    let clock = h
        .clocks(config, &Calendar::new(&config.business_hours, tz), decided)
        .accept;
    format!(
        " after {} of business time ({} the {}h SLA)",
        crate::model::sla::human(clock.elapsed),
        if clock.breached() { "past" } else { "within" },
        clock.limit / 3_600_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::summary::{LeadSummary, Summary};
    use crate::model::time::Instant;

    /// Records built by hand: what no CLI sequence makes (two open handoffs of one lead).
    struct Hand {
        leads: Vec<LeadSummary>,
        handoffs: Vec<HandoffSummary>,
    }

    impl Records for Hand {
        fn fields(&self, table: Table, id: &str) -> Option<Vec<String>> {
            match table {
                Table::Leads => self.leads.iter().find(|l| l.id == id).map(Summary::fields),
                Table::Handoffs => self
                    .handoffs
                    .iter()
                    .find(|h| h.id == id)
                    .map(Summary::fields),
                _ => None,
            }
        }

        fn ids(&self, table: Table) -> Box<dyn Iterator<Item = &str> + '_> {
            match table {
                Table::Leads => Box::new(self.leads.iter().map(|l| l.id.as_str())),
                Table::Handoffs => Box::new(self.handoffs.iter().map(|h| h.id.as_str())),
                _ => Box::new(std::iter::empty()),
            }
        }
    }

    fn handoff(id: &str, to: &str, status: HandoffStatus, contacted: bool) -> HandoffSummary {
        HandoffSummary {
            id: id.into(),
            lead: "acme-corp".into(),
            from: "maria".into(),
            to: to.into(),
            status,
            contacted,
            at: Instant(1_700_000_000_000),
            closed: None,
            closed_why: None,
            disputed: false,
            note: None,
            decided_at: (status != HandoffStatus::Pending).then_some(Instant(1_700_000_100_000)),
            decided_by: None,
            decision_note: None,
            reason: None,
            contacted_at: contacted.then_some(Instant(1_700_000_200_000)),
            contacted_by: None,
        }
    }

    fn records(handoffs: Vec<HandoffSummary>) -> Hand {
        Hand {
            leads: vec![LeadSummary {
                id: "acme-corp".into(),
                company: "Acme Corp".into(),
                stage: "mql".into(),
                met: Vec::new(),
                handoff: handoffs.last().map(|h| h.id.clone()),
                ..LeadSummary::new("acme-corp", "Acme Corp", "mql")
            }],
            handoffs,
        }
    }

    #[test]
    fn a_lead_with_two_pending_handoffs_is_refused_listing_both() {
        let r = records(vec![
            handoff("h1aaaaaaaa", "tom", HandoffStatus::Pending, false),
            handoff("h2bbbbbbbb", "ana", HandoffStatus::Pending, false),
        ]);
        let err = named_handoff(&r, "acme", "accept")
            .expect_err("two candidates")
            .to_string();
        assert!(
            err.contains("lead acme-corp has 2 handoffs waiting for a decision")
                && err.contains("`h1aaaaaaaa` (to tom)")
                && err.contains("`h2bbbbbbbb` (to ana)"),
            "{err}"
        );
        // A handoff's own id still names it.
        assert_eq!(
            named_handoff(&r, "h2b", "accept").expect("a prefix"),
            "h2bbbbbbbb"
        );
    }

    #[test]
    fn contact_counts_accepted_uncontacted_handoffs_and_decisions_only_pending_ones() {
        let r = records(vec![
            handoff("h1aaaaaaaa", "tom", HandoffStatus::Accepted, false),
            handoff("h2bbbbbbbb", "ana", HandoffStatus::Rejected, false),
            handoff("h3cccccccc", "tom", HandoffStatus::Accepted, true),
        ]);
        assert_eq!(
            named_handoff(&r, "Acme Corp", "contact").expect("one to contact"),
            "h1aaaaaaaa"
        );
        let err = named_handoff(&r, "acme-corp", "reject")
            .expect_err("none pending")
            .to_string();
        assert!(
            err.contains("has no handoff waiting for a decision"),
            "{err}"
        );
    }
}
