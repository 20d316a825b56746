//! Taking an entry back: the ordinary changes that revert what it did.
//!
//! The journal is append-only, so undo never removes an entry: it appends entries that
//! set back what the entry changed, to the values just before it. They are ordinary
//! entries (a stage change, a withdrawal, a retraction), so they merge like any other,
//! and undoing them in turn redoes the original. A record an entry created is retired
//! (archived, withdrawn, cancelled, dropped), never erased.

use crate::model::config::Config;
use crate::model::entry::{Change, Entry, LeadFields, MemberFields};
use crate::model::handoff::HandoffStatus;
use crate::model::records::IDEA_DROPPED;
use crate::model::state::State;

/// The changes that revert `entry`, given the state just before it.
pub fn inverse(before: &State, entry: &Entry, config: &Config) -> Result<Vec<Change>, String> {
    let lead_stage = |lead: &str| before.leads.get(lead).map(|l| l.stage.to_string());
    let changes = match &entry.change {
        Change::LeadAdd(f) => vec![Change::LeadArchive {
            lead: f.id.clone(),
            archived: true,
        }],
        Change::LeadEdit { lead, fields, note } => {
            let l = before
                .leads
                .get(lead.as_str())
                .ok_or_else(|| format!("lead {lead} did not exist before"))?;
            let back = |set: &Option<String>, was: &Option<crate::model::Text>| {
                set.as_ref()
                    .map(|_| was.as_ref().map_or_else(String::new, |w| w.to_string()))
            };
            let mut out = Vec::new();
            let revert = LeadFields {
                id: String::new(),
                company: fields.company.as_ref().map(|_| l.company.to_string()),
                contact: back(&fields.contact, &l.contact),
                email: back(&fields.email, &l.email),
                source: back(&fields.source, &l.source),
                value: fields.value.and(l.value),
                currency: fields
                    .currency
                    .as_ref()
                    .map(|_| l.currency.as_deref().unwrap_or_default().to_string()),
                owner: fields
                    .owner
                    .as_ref()
                    .and_then(|_| l.owner.as_ref().map(|o| o.to_string())),
                tags: fields
                    .tags
                    .as_ref()
                    .map(|_| l.tags.iter().map(|t| t.to_string()).collect()),
                // What had no value before goes back to having none.
                clear: [
                    ("value", fields.value.is_some() && l.value.is_none()),
                    ("owner", fields.owner.is_some() && l.owner.is_none()),
                    (
                        "currency",
                        fields.currency.is_some() && l.currency.is_none(),
                    ),
                ]
                .into_iter()
                .filter(|(_, empty)| *empty)
                .map(|(f, _)| f.to_string())
                .collect(),
                ..LeadFields::default()
            };
            if revert != LeadFields::default() {
                out.push(Change::LeadEdit {
                    lead: lead.clone(),
                    fields: Box::new(revert),
                    note: None,
                });
            }
            if note.is_some() {
                out.push(Change::Retract {
                    entry: entry.id,
                    retracted: true,
                });
            }
            out
        }
        Change::LeadStage { lead, .. } => vec![Change::LeadStage {
            lead: lead.clone(),
            stage: lead_stage(lead).ok_or_else(|| format!("lead {lead} did not exist before"))?,
            reason: Some("undone".into()),
        }],
        Change::LeadQualify { lead, met, stage } => {
            let l = before
                .leads
                .get(lead.as_str())
                .ok_or_else(|| format!("lead {lead} did not exist before"))?;
            let unmet: Vec<String> = met
                .iter()
                .filter(|m| !l.met.iter().any(|x| x == m.as_str()))
                .cloned()
                .collect();
            let mut out = Vec::new();
            if !unmet.is_empty() {
                out.push(Change::LeadUnqualify {
                    lead: lead.clone(),
                    unmet,
                });
            }
            if stage.is_some() {
                out.push(Change::LeadStage {
                    lead: lead.clone(),
                    stage: l.stage.to_string(),
                    reason: Some("undone".into()),
                });
            }
            out
        }
        Change::LeadUnqualify { lead, unmet } => vec![Change::LeadQualify {
            lead: lead.clone(),
            met: unmet.clone(),
            stage: None,
        }],
        Change::LeadArchive { lead, archived } => vec![Change::LeadArchive {
            lead: lead.clone(),
            archived: !archived,
        }],
        Change::HandoffCreate { id, .. } => vec![Change::HandoffWithdraw {
            handoff: id.clone(),
            withdrawn: true,
        }],
        Change::HandoffAccept { handoff, .. } | Change::HandoffReject { handoff, .. } => {
            let h = before
                .handoffs
                .get(handoff.as_str())
                .ok_or_else(|| format!("handoff {handoff} did not exist before"))?;
            let mut out = vec![Change::HandoffReopen {
                handoff: handoff.clone(),
            }];
            if let Some(l) = before.leads.get(h.lead.as_str()) {
                out.push(Change::LeadStage {
                    lead: h.lead.to_string(),
                    stage: l.stage.to_string(),
                    reason: Some("undone".into()),
                });
                if matches!(entry.change, Change::HandoffAccept { .. })
                    && let Some(owner) = &l.owner
                {
                    out.push(Change::LeadEdit {
                        lead: h.lead.to_string(),
                        fields: Box::new(LeadFields {
                            owner: Some(owner.to_string()),
                            ..LeadFields::default()
                        }),
                        note: None,
                    });
                }
            }
            out
        }
        Change::HandoffReopen { handoff } => {
            let h = before
                .handoffs
                .get(handoff.as_str())
                .ok_or_else(|| format!("handoff {handoff} did not exist before"))?;
            match h.status {
                HandoffStatus::Accepted => vec![Change::HandoffAccept {
                    handoff: handoff.clone(),
                    note: h.decision_note.as_deref().map(String::from),
                    stage: None,
                }],
                HandoffStatus::Rejected => vec![Change::HandoffReject {
                    handoff: handoff.clone(),
                    reason: h.reason.as_deref().unwrap_or("not-a-fit").to_string(),
                    note: h.decision_note.as_deref().map(String::from),
                    stage: None,
                }],
                HandoffStatus::Pending => Vec::new(),
            }
        }
        Change::HandoffContact { handoff, .. } => vec![Change::HandoffUncontact {
            handoff: handoff.clone(),
        }],
        Change::HandoffUncontact { handoff } => vec![Change::HandoffContact {
            handoff: handoff.clone(),
            note: None,
        }],
        Change::HandoffWithdraw { handoff, withdrawn } => vec![Change::HandoffWithdraw {
            handoff: handoff.clone(),
            withdrawn: !withdrawn,
        }],
        Change::FeedbackAdd { id, .. } => vec![Change::FeedbackStatus {
            feedback: id.clone(),
            status: "withdrawn".into(),
        }],
        Change::FeedbackResolve { feedback, .. } | Change::FeedbackStatus { feedback, .. } => {
            let f = before
                .feedback
                .get(feedback.as_str())
                .ok_or_else(|| format!("feedback {feedback} did not exist before"))?;
            let status = if f.withdrawn {
                "withdrawn"
            } else if f.resolved_at.is_some() {
                "resolved"
            } else {
                "open"
            };
            vec![Change::FeedbackStatus {
                feedback: feedback.clone(),
                status: status.into(),
            }]
        }
        Change::IdeaAdd { id, .. } => vec![Change::IdeaStatus {
            idea: id.clone(),
            status: IDEA_DROPPED.into(),
            link: None,
        }],
        Change::IdeaStatus { idea, .. } => {
            let i = before
                .ideas
                .get(idea)
                .ok_or_else(|| format!("idea {idea} did not exist before"))?;
            vec![Change::IdeaStatus {
                idea: idea.clone(),
                status: i.status.clone(),
                link: None,
            }]
        }
        Change::WinAdd { id, .. } => vec![Change::WinWithdraw {
            win: id.clone(),
            withdrawn: true,
        }],
        Change::WinWithdraw { win, withdrawn } => vec![Change::WinWithdraw {
            win: win.clone(),
            withdrawn: !withdrawn,
        }],
        Change::ActionAdd { id, .. } => vec![Change::ActionStatus {
            action: id.clone(),
            status: "cancelled".into(),
        }],
        Change::ActionDone { action } | Change::ActionStatus { action, .. } => {
            let a = before
                .actions
                .get(action)
                .ok_or_else(|| format!("action {action} did not exist before"))?;
            let status = if a.cancelled {
                "cancelled"
            } else if a.done_at.is_some() {
                "done"
            } else {
                "open"
            };
            vec![Change::ActionStatus {
                action: action.clone(),
                status: status.into(),
            }]
        }
        Change::ActionEdit {
            action,
            text,
            owner,
            due,
            clear,
        } => {
            let a = before
                .actions
                .get(action)
                .ok_or_else(|| format!("action {action} did not exist before"))?;
            let touched_due = due.is_some() || clear.iter().any(|f| f == "due");
            vec![Change::ActionEdit {
                action: action.clone(),
                text: text.as_ref().map(|_| a.text.clone()),
                owner: owner.as_ref().map(|_| a.owner.clone()),
                due: a.due.filter(|_| touched_due),
                // What had no due date before goes back to having none.
                clear: if touched_due && a.due.is_none() {
                    vec!["due".to_string()]
                } else {
                    Vec::new()
                },
            }]
        }
        Change::GoalAdd(g) => vec![Change::GoalEdit {
            goal: g.id.clone(),
            title: None,
            target: None,
            start: None,
            end: None,
            owner: None,
            archived: Some(true),
        }],
        Change::GoalEdit {
            goal,
            title,
            target,
            start,
            end,
            owner,
            archived,
        } => {
            let g = before
                .goals
                .get(goal)
                .ok_or_else(|| format!("goal {goal} did not exist before"))?;
            vec![Change::GoalEdit {
                goal: goal.clone(),
                title: title.as_ref().map(|_| g.title.clone()),
                target: target.map(|_| g.target),
                start: start.map(|_| g.from),
                end: end.map(|_| g.to),
                owner: owner.as_ref().map(|_| g.owner.clone().unwrap_or_default()),
                archived: archived.map(|_| g.archived),
            }]
        }
        Change::GoalCheckin { .. }
        | Change::MeetingNote { .. }
        | Change::MeetingDecision { .. }
        | Change::MeetingPulse { .. } => vec![Change::Retract {
            entry: entry.id,
            retracted: true,
        }],
        Change::Retract {
            entry: target,
            retracted,
        } => vec![Change::Retract {
            entry: *target,
            retracted: !retracted,
        }],
        Change::MeetingOpen {
            meeting, attendees, ..
        } => {
            let was: Vec<String> = before
                .meetings
                .get(meeting)
                .map(|m| m.attendees.clone())
                .unwrap_or_default();
            let absent: Vec<String> = attendees
                .iter()
                .filter(|a| !was.contains(a))
                .cloned()
                .collect();
            if absent.is_empty() {
                return Err(format!(
                    "the meeting of {meeting} was opened by this entry; there is nothing to take back but its attendance"
                ));
            }
            vec![Change::MeetingAbsent {
                meeting: meeting.clone(),
                absent,
            }]
        }
        Change::MeetingAbsent { meeting, absent } => vec![Change::MeetingOpen {
            meeting: meeting.clone(),
            facilitator: None,
            attendees: absent.clone(),
        }],
        Change::MeetingClose { meeting } => {
            return Err(format!(
                "closing the meeting of {meeting} cannot be taken back; record more with `growth meeting record --date {meeting}`"
            ));
        }
        Change::MemberAdd(m) => vec![Change::MemberEdit(Box::new(MemberFields {
            id: m.id.clone(),
            active: Some(false),
            ..MemberFields::default()
        }))],
        Change::MemberEdit(m) => {
            let was = config
                .members
                .get(&m.id)
                .ok_or_else(|| format!("member {} did not exist before", m.id))?;
            vec![Change::MemberEdit(Box::new(MemberFields {
                id: m.id.clone(),
                name: m.name.as_ref().map(|_| was.name.clone()),
                department: m.department.as_ref().map(|_| was.department.clone()),
                email: m
                    .email
                    .as_ref()
                    .map(|_| was.email.clone().unwrap_or_default()),
                leader: m.leader.map(|_| was.leader),
                active: m.active.map(|_| was.active),
                signing_key: m
                    .signing_key
                    .as_ref()
                    .map(|_| was.signing_key.clone().unwrap_or_default()),
            }))]
        }
    };
    if changes.is_empty() {
        return Err("this entry changed nothing that can be taken back".into());
    }
    Ok(changes)
}
