//! `growth resolve RECORD FIELD --pick N`: settle a conflict by recording one of the
//! competing values again, as the usual command would. The entry names every value it
//! saw, so it settles the conflict on every clone it reaches.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::{Change, LeadFields, MemberFields};

#[derive(Debug, Args)]
#[command(
    after_help = "RECORD is the record's id as `growth conflicts` lists it (acme-corp, or lead/acme-corp);\nN is the number in its PICK column.\n\nExamples:\n  growth conflicts\n  growth resolve acme-corp value --pick 2\n  growth resolve 7kq2m9xq3a decision --pick 1"
)]
pub struct ResolveArgs {
    /// The record: its id (or kind/id) as `growth conflicts` shows it
    pub record: String,
    /// The conflicted field (stage, owner, value, decision, target, ...)
    pub field: String,
    /// Which value to keep: its number in `growth conflicts`
    #[arg(long, value_name = "N", value_parser = crate::cli::whole::<usize>)]
    pub pick: usize,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ResolveArgs) -> Result<()> {
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let state = ws.state_with_retired(crate::store::Needs::ALL)?;
    let all = super::conflicts::conflicts(&state, ws.tz());
    let wanted = args.record.trim().to_lowercase();
    let matching: Vec<_> = all
        .iter()
        .filter(|c| {
            c.field == args.field
                && (c.record == wanted
                    || format!("{}/{}", c.kind, c.record) == wanted
                    || c.record.starts_with(&wanted))
        })
        .collect();
    let conflict = match matching.as_slice() {
        [one] => (*one).clone(),
        [] => {
            let fields: Vec<String> = all
                .iter()
                .filter(|c| c.record.starts_with(&wanted))
                .map(|c| c.field.clone())
                .collect();
            let mut err = Error::user(format!(
                "no conflict on `{}` of `{}`",
                args.field, args.record
            ));
            err = if fields.is_empty() {
                err.hint("`growth conflicts` lists what needs a decision")
            } else {
                err.hint(format!("its conflicted fields: {}", fields.join(", ")))
            };
            return Err(err);
        }
        many => {
            return Err(Error::user(format!(
                "`{}` matches {} records with a conflict on {}",
                args.record,
                many.len(),
                args.field
            ))
            .hint("type more of the id"));
        }
    };
    let register = state
        .conflicted
        .get(crate::model::causal::key(&conflict.kind, &conflict.record).as_str())
        .and_then(|list| list.iter().find(|r| r.field == conflict.field))
        .cloned()
        .ok_or_else(|| Error::user("the conflict is gone"))?;
    let n = register.candidates.len();
    let Some(chosen) = args
        .pick
        .checked_sub(1)
        .and_then(|i| register.candidates.get(i))
    else {
        return Err(Error::usage(format!(
            "invalid value for --pick: {} (there are {n} values)",
            args.pick
        ))
        .hint(format!("pick a number from 1 to {n}")));
    };
    let value = chosen.value.to_string();
    let change = change_for(
        &conflict.kind,
        &conflict.record,
        &conflict.field,
        &value,
        chosen.detail.as_deref(),
        &state,
        ws.config(),
    )?;
    match change {
        Change::MemberAdd(_) | Change::MemberEdit(_) => {
            let at = ctx.entry_time(ws.tz())?;
            ws.record_member(&me, at, change)?;
        }
        change => {
            super::record(ctx, &mut ws, &me, |_, _, _| Ok(vec![change.clone()]))?;
        }
    }
    super::done(
        ctx,
        out,
        &conflict.record,
        &format!(
            "{} of {}/{} is {} again, as {} recorded it; the conflict is settled",
            conflict.field,
            conflict.kind,
            conflict.record,
            super::conflicts::display_value(&value),
            chosen.by
        ),
    )
}

/// The ordinary change that records `value` for `field` of a record.
fn change_for(
    kind: &str,
    id: &str,
    field: &str,
    value: &str,
    detail: Option<&str>,
    state: &crate::model::state::State,
    config: &crate::model::config::Config,
) -> Result<Change> {
    let unsupported = || {
        Error::user(format!(
            "growth cannot settle `{field}` of a {kind} by itself"
        ))
        .hint("record the value again with the usual command")
    };
    let text = |v: &str| Some(v.to_string());
    Ok(match (kind, field) {
        ("lead", "stage") => Change::LeadStage {
            lead: id.into(),
            stage: value.into(),
            reason: Some("conflict settled".into()),
        },
        ("lead", "archived") => Change::LeadArchive {
            lead: id.into(),
            archived: value == "yes",
        },
        ("lead", f) => {
            let mut fields = LeadFields::default();
            match f {
                "company" => fields.company = text(value),
                "contact" => fields.contact = text(value),
                "email" => fields.email = text(value),
                "source" => fields.source = text(value),
                "value" => fields.value = value.parse().ok(),
                "currency" => fields.currency = text(value),
                "owner" => fields.owner = text(value),
                _ => return Err(unsupported()),
            }
            Change::LeadEdit {
                lead: id.into(),
                fields: Box::new(fields),
                note: None,
            }
        }
        ("handoff", "decision") => {
            let lead = state.handoffs.get(id).map(|h| h.lead.to_string());
            let sql = config.pipeline.sql.clone();
            match value.split_once(':') {
                Some(("rejected", reason)) => Change::HandoffReject {
                    handoff: id.into(),
                    reason: reason.into(),
                    note: detail.map(String::from),
                    stage: lead.map(|_| config.handoff.rejected_to.clone()),
                },
                _ if value == "accepted" => Change::HandoffAccept {
                    handoff: id.into(),
                    note: detail.map(String::from),
                    stage: lead.map(|_| sql),
                },
                _ => Change::HandoffReopen { handoff: id.into() },
            }
        }
        ("handoff", "contact") if value == "yes" => Change::HandoffContact {
            handoff: id.into(),
            note: None,
        },
        ("handoff", "contact") => Change::HandoffUncontact { handoff: id.into() },
        ("handoff", "withdrawn") => Change::HandoffWithdraw {
            handoff: id.into(),
            withdrawn: value == "yes",
        },
        ("feedback", "status") => Change::FeedbackStatus {
            feedback: id.into(),
            status: value.into(),
        },
        ("action", "status") => Change::ActionStatus {
            action: id.into(),
            status: value.into(),
        },
        ("action", f @ ("text" | "owner" | "due")) => {
            let due = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
            Change::ActionEdit {
                action: id.into(),
                text: (f == "text").then(|| value.to_string()),
                owner: (f == "owner").then(|| value.to_string()),
                due: due.filter(|_| f == "due"),
                clear: if f == "due" && due.is_none() {
                    vec!["due".to_string()]
                } else {
                    Vec::new()
                },
            }
        }
        ("idea", "status") => Change::IdeaStatus {
            idea: id.into(),
            status: value.into(),
            link: None,
        },
        ("idea", "link") => Change::IdeaStatus {
            idea: id.into(),
            status: state
                .ideas
                .get(id)
                .map_or_else(|| "idea".into(), |i| i.status.clone()),
            link: text(value),
        },
        ("win", "withdrawn") => Change::WinWithdraw {
            win: id.into(),
            withdrawn: value == "yes",
        },
        ("goal", f) => {
            let date = |v: &str| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            let mut edit = Change::GoalEdit {
                goal: id.into(),
                title: None,
                target: None,
                start: None,
                end: None,
                owner: None,
                archived: None,
            };
            if let Change::GoalEdit {
                title,
                target,
                start,
                end,
                owner,
                archived,
                ..
            } = &mut edit
            {
                match f {
                    "title" => *title = text(value),
                    "target" => *target = value.parse().ok(),
                    "start" => *start = date(value),
                    "end" => *end = date(value),
                    "owner" => *owner = text(value),
                    "archived" => *archived = Some(value == "yes"),
                    _ => return Err(unsupported()),
                }
            }
            edit
        }
        ("meeting", "facilitator") => Change::MeetingOpen {
            meeting: id.into(),
            facilitator: text(value),
            attendees: Vec::new(),
        },
        ("entry", "retracted") => Change::Retract {
            entry: crate::model::causal::parse_id(id).ok_or_else(unsupported)?,
            retracted: value == "yes",
        },
        ("member", f) => {
            let mut m = MemberFields {
                id: id.into(),
                ..MemberFields::default()
            };
            match f {
                "name" => m.name = text(value),
                "department" => m.department = text(value),
                "email" => m.email = text(value),
                "leader" => m.leader = Some(value == "yes"),
                "active" => m.active = Some(value == "yes"),
                _ => return Err(unsupported()),
            }
            Change::MemberEdit(Box::new(m))
        }
        _ => return Err(unsupported()),
    })
}
