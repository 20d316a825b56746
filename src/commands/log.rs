//! `growth log`: the operations recorded, newest first, each with its entry id (what
//! `growth undo` takes).

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::causal::format_id;
use crate::model::entry::{Change, Entry};
use crate::render::{self, Listing};

#[derive(Debug, Args)]
#[command(
    after_help = "Entries are listed newest first by when they happened. Undo one with `growth undo ENTRY`\n(any unique prefix of its id).\n\nExamples:\n  growth log\n  growth log --record acme-corp\n  growth log --by tom --since 2026-11-01 --format json"
)]
pub struct LogArgs {
    /// Only entries about this record (a lead, handoff, goal, meeting date, ... id or prefix)
    #[arg(long, value_name = "ID")]
    pub record: Option<String>,
    /// Only entries recorded by this member
    #[arg(long, value_name = "MEMBER")]
    pub by: Option<String>,
    /// Only entries from this date on
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// At most this many entries (newest first); 0 for all
    #[arg(long, default_value_t = 50, value_name = "N", value_parser = crate::cli::whole::<usize>)]
    pub count: usize,
}

/// One operation as listed and as JSON.
#[derive(Debug, Serialize)]
pub struct LogRow {
    pub entry: String,
    pub at: String,
    pub by: String,
    pub kind: &'static str,
    pub record: String,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undoes: Option<String>,
    pub file: String,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: LogArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    let ws = ctx.open()?;
    let tz = ws.tz();
    let since = args
        .since
        .as_deref()
        .map(crate::model::time::parse_date)
        .transpose()
        .map_err(|m| Error::usage(format!("invalid value for --since: {m}")))?;
    let by = match &args.by {
        Some(b) => Some(super::resolve_member(ws.config(), b)?.to_string()),
        None => None,
    };
    let wanted = args.record.as_deref().map(str::to_lowercase);
    let entries = crate::store::load::recent_entries(&ws.root, args.count, |located| {
        let e = &located.entry;
        !(by.as_deref().is_some_and(|b| b != e.by)
            || since.is_some_and(|s| e.at.date_in(tz) < s)
            || wanted.as_ref().is_some_and(|w| {
                !record_of(e)
                    .split('/')
                    .nth(1)
                    .is_some_and(|id| id.starts_with(w.as_str()))
            }))
    })?;
    let rows: Vec<LogRow> = entries
        .iter()
        .map(|(rel, located)| {
            let e = &located.entry;
            LogRow {
                entry: format_id(e.id),
                at: e.at.to_toml(tz),
                by: if e.by.is_empty() {
                    "(anonymous)".into()
                } else {
                    e.by.clone()
                },
                kind: e.change.kind(),
                record: record_of(e),
                summary: summary(&e.change),
                undoes: e.undoes.map(format_id),
                file: rel.clone(),
            }
        })
        .collect();
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&rows)?),
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing(&rows))?),
        _ if rows.is_empty() => super::confirm(ctx, out, "no entries match"),
        _ => render::emit_table(ctx, out, &listing(&rows)),
    }
}

fn listing(rows: &[LogRow]) -> Listing {
    Listing {
        headers: vec!["entry", "at", "by", "kind", "record", "summary"],
        rows: rows
            .iter()
            .map(|r| {
                let summary = match &r.undoes {
                    Some(u) => format!("{} (undoes {u})", r.summary),
                    None => r.summary.clone(),
                };
                vec![
                    r.entry.clone(),
                    r.at.clone(),
                    r.by.clone(),
                    r.kind.to_string(),
                    r.record.clone(),
                    summary,
                ]
            })
            .collect(),
        droppable: vec![5, 3, 1],
        wrap: Some(5),
    }
}

/// The record an entry is about, as `kind/id`.
pub fn record_of(e: &Entry) -> String {
    use crate::model::entry::RecordRef;
    let created = match &e.change {
        Change::HandoffCreate { id, .. } => Some(format!("handoff/{id}")),
        Change::FeedbackAdd { id, .. } => Some(format!("feedback/{id}")),
        Change::IdeaAdd { id, .. } => Some(format!("idea/{id}")),
        Change::WinAdd { id, .. } => Some(format!("win/{id}")),
        Change::ActionAdd { id, .. } => Some(format!("action/{id}")),
        Change::MemberAdd(m) | Change::MemberEdit(m) => Some(format!("member/{}", m.id)),
        _ => None,
    };
    if let Some(c) = created {
        return c;
    }
    match e.change.refs().into_iter().next() {
        Some(RecordRef::Lead(id)) => format!("lead/{id}"),
        Some(RecordRef::Handoff(id)) => format!("handoff/{id}"),
        Some(RecordRef::Feedback(id)) => format!("feedback/{id}"),
        Some(RecordRef::Idea(id)) => format!("idea/{id}"),
        Some(RecordRef::Action(id)) => format!("action/{id}"),
        Some(RecordRef::Goal(id)) => format!("goal/{id}"),
        Some(RecordRef::Meeting(id)) => format!("meeting/{id}"),
        Some(RecordRef::Win(id)) => format!("win/{id}"),
        Some(RecordRef::Entry(key)) => key,
        None => String::new(),
    }
}

/// A few words on what an entry did.
pub fn summary(change: &Change) -> String {
    let cut = |t: &str| {
        let t: String = t.chars().take(60).collect();
        t.replace('\n', " ")
    };
    match change {
        Change::LeadAdd(f) => format!(
            "added {} in {}",
            f.company.as_deref().unwrap_or_default(),
            f.stage.as_deref().unwrap_or("the first stage")
        ),
        Change::LeadEdit { fields, note, .. } => {
            let mut parts = Vec::new();
            for (name, set) in [
                ("company", fields.company.is_some()),
                ("contact", fields.contact.is_some()),
                ("email", fields.email.is_some()),
                ("source", fields.source.is_some()),
                ("value", fields.value.is_some()),
                ("owner", fields.owner.is_some()),
                ("tags", fields.tags.is_some()),
            ] {
                if set {
                    parts.push(name);
                }
            }
            let mut text = if parts.is_empty() {
                String::new()
            } else {
                format!("changed {}", parts.join(", "))
            };
            if let Some(n) = note {
                if !text.is_empty() {
                    text.push_str("; ");
                }
                text.push_str(&format!("note: {}", cut(n)));
            }
            text
        }
        Change::LeadStage { stage, .. } => format!("moved to {stage}"),
        Change::LeadQualify { met, stage, .. } => match stage {
            Some(s) => format!("meets {}; moved to {s}", met.join(", ")),
            None => format!("meets {}", met.join(", ")),
        },
        Change::LeadUnqualify { unmet, .. } => format!("no longer meets {}", unmet.join(", ")),
        Change::LeadArchive { archived, .. } => {
            if *archived {
                "archived".into()
            } else {
                "unarchived".into()
            }
        }
        Change::HandoffCreate { lead, to, .. } => format!("handed {lead} to {to}"),
        Change::HandoffAccept { .. } => "accepted".into(),
        Change::HandoffReject { reason, .. } => format!("rejected ({reason})"),
        Change::HandoffContact { .. } => "first contact".into(),
        Change::HandoffReopen { .. } => "back to pending".into(),
        Change::HandoffWithdraw { withdrawn, .. } => {
            if *withdrawn {
                "withdrawn".into()
            } else {
                "restored".into()
            }
        }
        Change::HandoffUncontact { .. } => "first contact taken back".into(),
        Change::FeedbackAdd {
            text, anonymous, ..
        } => {
            if *anonymous {
                "anonymous feedback".into()
            } else {
                cut(text)
            }
        }
        Change::FeedbackResolve { .. } => "resolved".into(),
        Change::FeedbackStatus { status, .. } => status.clone(),
        Change::IdeaAdd { text, .. } => cut(text),
        Change::IdeaStatus { status, .. } => status.clone(),
        Change::WinAdd { text, .. } => cut(text),
        Change::WinWithdraw { withdrawn, .. } => {
            if *withdrawn {
                "withdrawn".into()
            } else {
                "restored".into()
            }
        }
        Change::ActionAdd { text, owner, .. } => format!("{} @{owner}", cut(text)),
        Change::ActionDone { .. } => "done".into(),
        Change::ActionStatus { status, .. } => status.clone(),
        Change::ActionEdit {
            text,
            owner,
            due,
            clear,
            ..
        } => {
            let mut parts = Vec::new();
            parts.extend(owner.as_ref().map(|o| format!("owner {o}")));
            parts.extend(due.map(|d| format!("due {d}")));
            if clear.iter().any(|f| f == "due") {
                parts.push("no due date".into());
            }
            parts.extend(text.as_ref().map(|t| format!("text: {}", cut(t))));
            if parts.is_empty() {
                "changed".into()
            } else {
                parts.join(", ")
            }
        }
        Change::GoalAdd(g) => format!("{} ({} {})", g.title, g.metric, g.target),
        Change::GoalEdit {
            archived, target, ..
        } => match (archived, target) {
            (Some(true), _) => "archived".into(),
            (Some(false), _) => "unarchived".into(),
            (_, Some(t)) => format!("target {t}"),
            _ => "changed".into(),
        },
        Change::GoalCheckin { value, .. } => format!("check-in {value}"),
        Change::MeetingOpen { attendees, .. } => {
            if attendees.is_empty() {
                "opened".into()
            } else {
                format!("attendees {}", attendees.join(", "))
            }
        }
        Change::MeetingAbsent { absent, .. } => format!("not attending {}", absent.join(", ")),
        Change::MeetingNote { text, .. } => format!("note: {}", cut(text)),
        Change::MeetingDecision { text, .. } => format!("decision: {}", cut(text)),
        Change::MeetingPulse { member, value, .. } => format!("pulse {member}={value}"),
        Change::MeetingClose { .. } => "closed".into(),
        Change::Retract { entry, retracted } => format!(
            "{} {}",
            if *retracted { "took back" } else { "restored" },
            format_id(*entry)
        ),
        Change::MemberAdd(m) => format!(
            "joined ({}, {})",
            m.name.as_deref().unwrap_or_default(),
            m.department.as_deref().unwrap_or_default()
        ),
        Change::MemberEdit(m) => match m.active {
            Some(false) => "left the team".into(),
            Some(true) => "back on the team".into(),
            None => "details changed".into(),
        },
    }
}
