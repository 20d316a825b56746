//! The fold's rules for handoffs, feedback, ideas, wins and actions.
//!
//! The fold refuses what makes the data wrong (an unknown lead, member, stage or reason, a
//! record id used twice) and reports it with its location. What is merely late (a second
//! acceptance of one handoff, recorded on two clones before they merged) is kept in the
//! journal but changes nothing: the first decision wins, so merges always fold. The
//! commands refuse such things when they are recorded.

use crate::model::config::Config;
use crate::model::entry::{Change, Entry, GoalFields};
use crate::model::goal::{Checkin, Goal, METRICS, Metric};
use crate::model::handoff::{Closure, Handoff, HandoffStatus};
use crate::model::records::{
    Action, FEEDBACK_CATEGORIES, Feedback, IDEA_STATUSES, Idea, Meeting, MeetingNote, Win,
};
use crate::model::state::{Refusal, State, check_member, check_stage, refuse, set_stage};

/// Whether `id` looks like a record id: short, lowercase letters and digits.
pub fn is_record_id(id: &str) -> bool {
    (4..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

fn new_id<K: std::borrow::Borrow<str> + Ord, T>(
    map: &std::collections::BTreeMap<K, T>,
    id: &str,
) -> Result<(), Refusal> {
    if !is_record_id(id) {
        return Err(refuse(
            "id",
            format!("`{id}` is not a valid record id (4 to 32 lowercase letters and digits)"),
        ));
    }
    if map.contains_key(id) {
        return Err(refuse("id", format!("the id `{id}` is used twice")));
    }
    Ok(())
}

fn missing(key: &'static str, what: &str, id: &str) -> Refusal {
    Refusal {
        key,
        message: format!("{what} `{id}` {}", crate::model::state::NOT_BEFORE),
        hint: Some(format!(
            "the entry creating the {what} must come earlier in time"
        )),
    }
}

impl State {
    pub(crate) fn apply_record(&mut self, entry: &Entry, config: &Config) -> Result<(), Refusal> {
        let (at, by) = (entry.at, &entry.by);
        match &entry.change {
            Change::HandoffCreate { id, lead, to, note } => {
                new_id(&self.handoffs, id)?;
                check_member(config, "to", to)?;
                let l = self.lead_mut(lead)?;
                let previous = l.handoff.replace(id.clone().into());
                l.updated = at;
                // Handed off again (--force): the earlier handoff, if still open, is done.
                let why = Closure::Replaced(id.as_str().into());
                self.close_handoff(previous.as_deref(), at, why);
                let handoff = Handoff {
                    id: id.clone().into(),
                    lead: lead.clone().into(),
                    from: by.clone().into(),
                    to: to.clone().into(),
                    at,
                    note: note.clone().map(Into::into),
                    status: HandoffStatus::Pending,
                    decided_at: None,
                    decided_by: None,
                    decision_note: None,
                    reason: None,
                    contacted_at: None,
                    contacted_by: None,
                    closed: None,
                };
                self.handoffs.insert(id.clone().into(), Box::new(handoff));
            }
            Change::HandoffAccept {
                handoff,
                note,
                stage,
            }
            | Change::HandoffReject {
                handoff,
                note,
                stage,
                ..
            } => {
                let reason = match &entry.change {
                    Change::HandoffReject { reason, .. } => {
                        if !config.handoff.rejection_reasons.contains(reason) {
                            return Err(Refusal {
                                key: "reason",
                                message: format!("unknown rejection reason `{reason}`"),
                                hint: Some(format!(
                                    "the reasons are: {}",
                                    config.handoff.rejection_reasons.join(", ")
                                )),
                            });
                        }
                        Some(reason.clone())
                    }
                    _ => None,
                };
                if let Some(stage) = stage {
                    check_stage(config, stage)?;
                }
                let h = self
                    .handoffs
                    .get_mut(handoff.as_str())
                    .ok_or_else(|| missing("handoff", "handoff", handoff))?;
                if h.status != HandoffStatus::Pending {
                    return Ok(());
                }
                h.status = if reason.is_some() {
                    HandoffStatus::Rejected
                } else {
                    HandoffStatus::Accepted
                };
                h.decided_at = Some(at);
                h.decided_by = Some(by.clone().into());
                h.decision_note = note.as_deref().map(Box::from);
                h.reason = reason.as_deref().map(Box::from);
                let (lead, to, accepted) = (h.lead.clone(), h.to.clone(), reason.is_none());
                let l = self.lead_mut(&lead)?;
                if accepted {
                    l.owner = Some(to);
                }
                match stage {
                    Some(stage) => {
                        let why = reason.map_or_else(
                            || "handoff accepted".to_string(),
                            |r| format!("handoff rejected: {r}"),
                        );
                        set_stage(l, stage, entry, Some(why));
                    }
                    None => l.updated = at,
                }
            }
            Change::HandoffContact { handoff, .. } => {
                let h = self
                    .handoffs
                    .get_mut(handoff.as_str())
                    .ok_or_else(|| missing("handoff", "handoff", handoff))?;
                if h.contacted_at.is_none() {
                    h.contacted_at = Some(at);
                    h.contacted_by = Some(by.clone().into());
                }
            }
            Change::FeedbackAdd {
                id,
                text,
                category,
                anonymous,
            } => {
                new_id(&self.feedback, id)?;
                if !FEEDBACK_CATEGORIES.contains(&category.as_str()) {
                    return Err(Refusal {
                        key: "category",
                        message: format!("unknown feedback category `{category}`"),
                        hint: Some(format!(
                            "the categories are: {}",
                            FEEDBACK_CATEGORIES.join(", ")
                        )),
                    });
                }
                let feedback = Feedback {
                    id: id.clone().into(),
                    at,
                    by: ((!anonymous).then(|| by.clone())).map(Into::into),
                    text: text.clone().into(),
                    category: category.clone().into(),
                    resolved_at: None,
                    resolved_by: None,
                    resolution: None,
                };
                self.feedback.insert(id.clone().into(), Box::new(feedback));
            }
            Change::FeedbackResolve { feedback, note } => {
                let f = self
                    .feedback
                    .get_mut(feedback.as_str())
                    .ok_or_else(|| missing("feedback", "feedback", feedback))?;
                if f.resolved_at.is_none() {
                    f.resolved_at = Some(at);
                    f.resolved_by = Some(by.clone().into());
                    f.resolution = note.as_deref().map(Box::from);
                }
            }
            Change::IdeaAdd {
                id,
                text,
                lead,
                offer,
            } => {
                new_id(&self.ideas, id)?;
                if let Some(lead) = lead {
                    self.lead_mut(lead)?;
                }
                let idea = Idea {
                    id: id.clone(),
                    at,
                    by: by.clone(),
                    text: text.clone(),
                    lead: lead.clone(),
                    offer: offer.clone(),
                    status: IDEA_STATUSES[0].to_string(),
                    link: None,
                    updated: at,
                };
                self.ideas.insert(id.clone(), idea);
            }
            Change::IdeaStatus { idea, status, link } => {
                if !IDEA_STATUSES.contains(&status.as_str()) {
                    return Err(Refusal {
                        key: "status",
                        message: format!("unknown idea status `{status}`"),
                        hint: Some(format!("the statuses are: {}", IDEA_STATUSES.join(", "))),
                    });
                }
                let i = self
                    .ideas
                    .get_mut(idea)
                    .ok_or_else(|| missing("idea", "idea", idea))?;
                i.status.clone_from(status);
                if link.is_some() {
                    i.link.clone_from(link);
                }
                i.updated = at;
            }
            Change::WinAdd { id, text, credit } => {
                new_id(&self.wins, id)?;
                if credit.is_empty() {
                    return Err(refuse("credit", "a win credits nobody".into()));
                }
                for member in credit {
                    check_member(config, "credit", member)?;
                }
                let win = Win {
                    id: id.clone(),
                    at,
                    by: by.clone(),
                    text: text.clone(),
                    credit: credit.clone(),
                };
                self.wins.insert(id.clone(), win);
            }
            Change::ActionAdd {
                id,
                text,
                owner,
                due,
                meeting,
            } => {
                new_id(&self.actions, id)?;
                check_member(config, "owner", owner)?;
                if let Some(m) = meeting
                    && !self.meetings.contains_key(m)
                {
                    return Err(missing("meeting", "meeting", m));
                }
                let action = Action {
                    id: id.clone(),
                    at,
                    by: by.clone(),
                    text: text.clone(),
                    owner: owner.clone(),
                    due: *due,
                    done_at: None,
                    done_by: None,
                    meeting: meeting.clone(),
                };
                self.actions.insert(id.clone(), action);
            }
            Change::ActionDone { action } => {
                let a = self
                    .actions
                    .get_mut(action)
                    .ok_or_else(|| missing("action", "action", action))?;
                if a.done_at.is_none() {
                    a.done_at = Some(at);
                    a.done_by = Some(by.clone());
                }
            }
            Change::GoalAdd(g) => self.add_goal(entry, g, config)?,
            Change::GoalCheckin { goal, value, note } => {
                let g = self
                    .goals
                    .get_mut(goal)
                    .ok_or_else(|| missing("goal", "goal", goal))?;
                if g.metric != Metric::Manual {
                    return Err(Refusal {
                        key: "goal",
                        message: format!(
                            "goal `{goal}` measures {} from the journal; it takes no check-ins",
                            g.metric.as_str()
                        ),
                        hint: Some("only goals with metric = \"manual\" take check-ins".into()),
                    });
                }
                g.checkins.push(Checkin {
                    at,
                    by: by.clone(),
                    value: *value,
                    note: note.clone(),
                });
            }
            Change::MeetingOpen {
                meeting,
                facilitator,
                attendees,
            } => {
                if let Some(f) = facilitator {
                    check_member(config, "facilitator", f)?;
                }
                for a in attendees {
                    check_member(config, "attendees", a)?;
                }
                let date = chrono::NaiveDate::parse_from_str(meeting, "%Y-%m-%d")
                    .map_err(|_| refuse("meeting", format!("`{meeting}` is not a date")))?;
                let m = self
                    .meetings
                    .entry(meeting.clone())
                    .or_insert_with(|| Meeting {
                        date,
                        opened_at: at,
                        opened_by: by.clone(),
                        facilitator: None,
                        attendees: Vec::new(),
                        notes: Vec::new(),
                        decisions: Vec::new(),
                        pulse: Vec::new(),
                        closed: false,
                    });
                if facilitator.is_some() {
                    m.facilitator.clone_from(facilitator);
                }
                if !attendees.is_empty() {
                    m.attendees.clone_from(attendees);
                }
            }
            Change::MeetingNote {
                meeting,
                section,
                text,
            }
            | Change::MeetingDecision {
                meeting,
                section,
                text,
            } => {
                let m = self
                    .meetings
                    .get_mut(meeting)
                    .ok_or_else(|| missing("meeting", "meeting", meeting))?;
                let note = MeetingNote {
                    section: section.clone(),
                    text: text.clone(),
                    by: by.clone(),
                    at,
                };
                if matches!(entry.change, Change::MeetingDecision { .. }) {
                    m.decisions.push(note);
                } else {
                    m.notes.push(note);
                }
            }
            Change::MeetingPulse {
                meeting,
                member,
                value,
            } => {
                check_member(config, "member", member)?;
                let m = self
                    .meetings
                    .get_mut(meeting)
                    .ok_or_else(|| missing("meeting", "meeting", meeting))?;
                m.pulse.retain(|(who, _)| who != member);
                m.pulse.push((member.clone(), *value));
            }
            Change::MeetingClose { meeting } => {
                let m = self
                    .meetings
                    .get_mut(meeting)
                    .ok_or_else(|| missing("meeting", "meeting", meeting))?;
                m.closed = true;
            }
            Change::LeadAdd(_)
            | Change::LeadEdit { .. }
            | Change::LeadStage { .. }
            | Change::LeadQualify { .. } => {}
        }
        Ok(())
    }

    fn add_goal(&mut self, entry: &Entry, g: &GoalFields, config: &Config) -> Result<(), Refusal> {
        if !crate::model::lead::is_valid_id(&g.id) {
            return Err(Refusal {
                key: "goal",
                message: format!("`{}` is not a valid goal id", g.id),
                hint: Some(
                    "ids are lowercase letters, digits and single dashes, like `q4-new-revenue`"
                        .into(),
                ),
            });
        }
        let metric = Metric::parse(&g.metric).ok_or_else(|| Refusal {
            key: "metric",
            message: format!("unknown metric `{}`", g.metric),
            hint: Some(format!("the metrics are: {}", METRICS.join(", "))),
        })?;
        if g.end < g.start {
            return Err(refuse(
                "end",
                format!("the goal ends ({}) before it starts ({})", g.end, g.start),
            ));
        }
        if let Some(owner) = &g.owner {
            check_member(config, "owner", owner)?;
        }
        if self.goals.contains_key(&g.id) {
            // Two clones added the same goal: the first one stands.
            return Ok(());
        }
        let goal = Goal {
            id: g.id.clone(),
            title: g.title.clone(),
            metric,
            target: g.target,
            unit: g.unit.clone(),
            from: g.start,
            to: g.end,
            owner: g.owner.clone(),
            credit: g.credit.clone(),
            currency: g.currency.clone(),
            sum: g.sum,
            checkins: Vec::new(),
            created: entry.at,
            created_by: entry.by.clone(),
        };
        self.goals.insert(goal.id.clone(), goal);
        Ok(())
    }
}
