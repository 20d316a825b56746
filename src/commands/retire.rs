//! Retiring without erasing: `lead archive|unarchive`, `goal archive|unarchive`,
//! `action cancel`, `feedback withdraw`, `idea drop`. Each is an ordinary entry: the
//! record leaves lists and goals, its history stays, `growth undo` brings it back, and it
//! merges like any other change.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::Change;
use crate::model::summary::Table;

#[derive(Debug, Args)]
pub struct RetireArgs {
    /// The record's id (or a unique prefix)
    pub id: String,
}

/// What is retired, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retire {
    ArchiveLead,
    UnarchiveLead,
    ArchiveGoal,
    UnarchiveGoal,
    CancelAction,
    WithdrawFeedback,
    DropIdea,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, what: Retire, args: RetireArgs) -> Result<()> {
    let (table, list_cmd) = match what {
        Retire::ArchiveLead | Retire::UnarchiveLead => (Table::Leads, "growth lead list"),
        Retire::ArchiveGoal | Retire::UnarchiveGoal => (Table::Goals, "growth goal list"),
        Retire::CancelAction => (Table::Actions, "growth action list"),
        Retire::WithdrawFeedback => (Table::Feedback, "growth feedback list"),
        Retire::DropIdea => (Table::Ideas, "growth idea list"),
    };
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    if what == Retire::WithdrawFeedback {
        check_feedback_giver(ctx, &ws, &me, &args.id)?;
    }
    let mut id = String::new();
    super::record(ctx, &mut ws, &me, |records, _, _| {
        id = super::resolve_record(records, table, &args.id, list_cmd)?;
        let change = match what {
            Retire::ArchiveLead | Retire::UnarchiveLead => Change::LeadArchive {
                lead: id.clone(),
                archived: what == Retire::ArchiveLead,
            },
            Retire::ArchiveGoal | Retire::UnarchiveGoal => Change::GoalEdit {
                goal: id.clone(),
                title: None,
                target: None,
                start: None,
                end: None,
                owner: None,
                archived: Some(what == Retire::ArchiveGoal),
            },
            Retire::CancelAction => Change::ActionStatus {
                action: id.clone(),
                status: "cancelled".into(),
            },
            Retire::WithdrawFeedback => Change::FeedbackStatus {
                feedback: id.clone(),
                status: "withdrawn".into(),
            },
            Retire::DropIdea => Change::IdeaStatus {
                idea: id.clone(),
                status: crate::model::records::IDEA_DROPPED.into(),
                link: None,
            },
        };
        Ok(vec![change])
    })?;
    let message = match what {
        Retire::ArchiveLead => format!(
            "archived lead {id}: out of lists and goals, its history kept; `growth lead unarchive {id}` brings it back"
        ),
        Retire::UnarchiveLead => format!("lead {id} is back in lists and goals"),
        Retire::ArchiveGoal => format!(
            "archived goal {id}: out of progress tables and the agenda; `growth goal unarchive {id}` brings it back"
        ),
        Retire::UnarchiveGoal => format!("goal {id} is back in progress tables"),
        Retire::CancelAction => format!("cancelled action {id}: no longer open, not done"),
        Retire::WithdrawFeedback => format!("withdrew feedback {id}"),
        Retire::DropIdea => format!("dropped idea {id}: out of the agenda, kept in the history"),
    };
    super::done(ctx, out, &id, &message)
}

/// Feedback is withdrawn by whoever gave it, or a leader (anonymous feedback: a leader).
fn check_feedback_giver(
    ctx: &Ctx,
    ws: &crate::store::Workspace,
    me: &str,
    wanted: &str,
) -> Result<()> {
    let _ = ctx;
    let state = ws.state_parts(crate::store::Needs::FEEDBACK)?;
    let id = super::resolve_record(&state, Table::Feedback, wanted, "growth feedback list")?;
    let leader = ws.config().members.get(me).is_some_and(|m| m.leader);
    let giver = state
        .feedback
        .get(id.as_str())
        .and_then(|f| f.by.as_deref().map(str::to_string));
    if leader || giver.as_deref() == Some(me) {
        return Ok(());
    }
    Err(Error::user(format!("feedback {id} is not yours to withdraw")).hint(
        "whoever gave it, or a leader, may withdraw it; resolve it instead with `growth feedback resolve`",
    ))
}
