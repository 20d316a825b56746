//! The fold's rules for handoffs, feedback, ideas, wins, actions, goals, meetings and
//! members.
//!
//! The fold refuses what makes the data wrong (an unknown lead, member, stage or reason, a
//! record id used twice) and reports it with its location. Decisions and single values go
//! through registers (`model::causal`): a second acceptance recorded on another clone
//! before they merged agrees with the first; a rejection there is a conflict, and the
//! handoff counts as undecided until someone settles it. Who may record a change is
//! checked here too, so a hand-written or pushed entry breaking a rule counts nowhere.

use crate::model::causal::{self, Candidate, Register};
use crate::model::config::{Config, Member};
use crate::model::entry::{Change, Entry, GoalFields};
use crate::model::goal::{Checkin, Goal, METRICS, Metric};
use crate::model::handoff::{Closed, Closure, Handoff, HandoffStatus};
use crate::model::records::{
    Action, FEEDBACK_CATEGORIES, Feedback, IDEA_DROPPED, IDEA_STATUSES, Idea, Meeting, MeetingNote,
    Pulse, Win,
};
use crate::model::state::{Refusal, Retracted, State, check_member, check_stage, refuse, yes_no};
use crate::model::time::Instant;

fn insert_meeting_note(list: &mut Vec<MeetingNote>, note: MeetingNote) {
    if list.iter().any(|n| n.entry == note.entry) {
        return;
    }
    let i = list.partition_point(|n| (n.at, n.entry) <= (note.at, note.entry));
    list.insert(i, note);
}

fn member_field(m: &Member, field: &str) -> Option<String> {
    match field {
        "name" => Some(m.name.clone()),
        "department" => Some(m.department.clone()),
        "email" => m.email.clone(),
        "leader" => Some(yes_no(m.leader).to_string()),
        "active" => Some(yes_no(m.active).to_string()),
        "signing_key" => m.signing_key.clone(),
        _ => None,
    }
}

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
        if let Some(why) = self.not_allowed(entry, config) {
            // Enforced when reading, not only by the commands: a hand-written or pushed
            // entry breaking the rule changes nothing, and `check` names it.
            self.note_forgery(why);
            return Ok(());
        }
        match &entry.change {
            Change::HandoffCreate { id, lead, to, note } => {
                check_member(config, "to", to)?;
                self.lead_mut(lead)?;
                let hkey = causal::key("handoff", id);
                if self.handoffs.contains_key(id.as_str()) {
                    if !self.create(&hkey, entry) {
                        return Ok(());
                    }
                    return Err(refuse("id", format!("the id `{id}` is used twice")));
                }
                new_id(&self.handoffs, id)?;
                self.create(&hkey, entry);
                let lkey = causal::key("lead", lead);
                self.touch(&lkey, entry);
                let (previous, created_by, created) = {
                    let l = self.lead_mut(lead)?;
                    (l.handoff.clone(), l.created_by.to_string(), l.created)
                };
                let current = previous
                    .as_ref()
                    .map(|p| (p.to_string(), created_by, created));
                let r = self.set(&lkey, "handoff", id, None, entry, current);
                let l = self.lead_mut(lead)?;
                l.handoff = Some(r.value().into());
                l.updated = l.updated.max(at);
                // Handed off again (--force): the earlier handoff, if still open, is done.
                if previous.as_deref() != Some(id.as_str()) {
                    let why = Closure::Replaced(id.as_str().into());
                    self.close_handoff(previous.as_deref(), at, why);
                }
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
                    disputed: false,
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
                let value = match &reason {
                    Some(r) => format!("rejected:{r}"),
                    None => "accepted".to_string(),
                };
                let lead = self.decide(handoff, &value, note.as_deref(), entry)?;
                let lkey = causal::key("lead", &lead);
                self.touch(&lkey, entry);
                if reason.is_none() {
                    let (owner, created_by, created) = {
                        let l = self.lead_mut(&lead)?;
                        (l.owner.clone(), l.created_by.to_string(), l.created)
                    };
                    let to = self
                        .handoffs
                        .get(handoff.as_str())
                        .map(|h| h.to.to_string())
                        .unwrap_or_default();
                    let current = owner.map(|o| (o.to_string(), created_by, created));
                    let r = self.set(&lkey, "owner", &to, None, entry, current);
                    self.lead_mut(&lead)?.owner = Some(r.value().into());
                }
                match stage {
                    Some(stage) => {
                        let why = reason.map_or_else(
                            || "handoff accepted".to_string(),
                            |r| format!("handoff rejected: {r}"),
                        );
                        self.set_stage(&lead, stage, entry, Some(why), config);
                    }
                    None => {
                        let l = self.lead_mut(&lead)?;
                        l.updated = l.updated.max(at);
                    }
                }
            }
            Change::HandoffReopen { handoff } => {
                let lead = self.decide(handoff, "pending", None, entry)?;
                self.touch(&causal::key("lead", &lead), entry);
            }
            Change::HandoffContact { handoff, note } => {
                self.handoff_flag(handoff, "contact", true, note.as_deref(), entry)?;
            }
            Change::HandoffUncontact { handoff } => {
                self.handoff_flag(handoff, "contact", false, None, entry)?;
            }
            Change::HandoffWithdraw { handoff, withdrawn } => {
                self.handoff_flag(handoff, "withdrawn", *withdrawn, None, entry)?;
            }
            Change::FeedbackAdd {
                id,
                text,
                category,
                anonymous,
            } => {
                if self.feedback.contains_key(id.as_str()) {
                    return self.created_twice("feedback", id, entry);
                }
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
                self.create(&causal::key("feedback", id), entry);
                let feedback = Feedback {
                    id: id.clone().into(),
                    at,
                    by: ((!anonymous).then(|| by.clone())).map(Into::into),
                    text: text.clone().into(),
                    category: category.clone().into(),
                    resolved_at: None,
                    resolved_by: None,
                    resolution: None,
                    withdrawn: false,
                };
                self.feedback.insert(id.clone().into(), Box::new(feedback));
            }
            Change::FeedbackResolve { feedback, note } => {
                self.feedback_status(feedback, "resolved", note.as_deref(), entry)?;
            }
            Change::FeedbackStatus { feedback, status } => {
                if !["open", "resolved", "withdrawn"].contains(&status.as_str()) {
                    return Err(refuse(
                        "status",
                        format!("unknown feedback status `{status}`"),
                    ));
                }
                self.feedback_status(feedback, status, None, entry)?;
            }
            Change::IdeaAdd {
                id,
                text,
                lead,
                offer,
            } => {
                if self.ideas.contains_key(id.as_str()) {
                    return self.created_twice("idea", id, entry);
                }
                new_id(&self.ideas, id)?;
                if let Some(lead) = lead {
                    self.lead_mut(lead)?;
                    self.touch(&causal::key("lead", lead), entry);
                }
                self.create(&causal::key("idea", id), entry);
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
                if !IDEA_STATUSES.contains(&status.as_str()) && status != IDEA_DROPPED {
                    return Err(Refusal {
                        key: "status",
                        message: format!("unknown idea status `{status}`"),
                        hint: Some(format!("the statuses are: {}", IDEA_STATUSES.join(", "))),
                    });
                }
                let i = self
                    .ideas
                    .get(idea)
                    .ok_or_else(|| missing("idea", "idea", idea))?;
                let key = causal::key("idea", idea);
                let (current, by0, at0, link0) =
                    (i.status.clone(), i.by.clone(), i.at, i.link.clone());
                self.touch(&key, entry);
                let r = self.set(
                    &key,
                    "status",
                    status,
                    None,
                    entry,
                    Some((current, by0.clone(), at0)),
                );
                let status = r.value().to_string();
                let link = match link {
                    Some(link) => {
                        let current = link0.map(|l| (l, by0, at0));
                        Some(
                            self.set(&key, "link", link, None, entry, current)
                                .value()
                                .to_string(),
                        )
                    }
                    None => None,
                };
                if let Some(i) = self.ideas.get_mut(idea) {
                    i.status = status;
                    if link.is_some() {
                        i.link = link;
                    }
                    i.updated = i.updated.max(at);
                }
            }
            Change::WinAdd { id, text, credit } => {
                if self.wins.contains_key(id.as_str()) {
                    return self.created_twice("win", id, entry);
                }
                new_id(&self.wins, id)?;
                if credit.is_empty() {
                    return Err(refuse("credit", "a win credits nobody".into()));
                }
                for member in credit {
                    check_member(config, "credit", member)?;
                }
                self.create(&causal::key("win", id), entry);
                let win = Win {
                    id: id.clone(),
                    at,
                    by: by.clone(),
                    text: text.clone(),
                    credit: credit.clone(),
                    withdrawn: false,
                };
                self.wins.insert(id.clone(), win);
            }
            Change::WinWithdraw { win, withdrawn } => {
                let w = self
                    .wins
                    .get(win)
                    .ok_or_else(|| missing("win", "win", win))?;
                let key = causal::key("win", win);
                let current = (yes_no(w.withdrawn).to_string(), w.by.clone(), w.at);
                self.touch(&key, entry);
                let r = self.set(
                    &key,
                    "withdrawn",
                    yes_no(*withdrawn),
                    None,
                    entry,
                    Some(current),
                );
                let v = r.value() == "yes";
                if let Some(w) = self.wins.get_mut(win) {
                    w.withdrawn = v;
                }
            }
            Change::ActionAdd {
                id,
                text,
                owner,
                due,
                meeting,
            } => {
                if self.actions.contains_key(id.as_str()) {
                    return self.created_twice("action", id, entry);
                }
                new_id(&self.actions, id)?;
                check_member(config, "owner", owner)?;
                if let Some(m) = meeting {
                    if !self.meetings.contains_key(m) {
                        return Err(missing("meeting", "meeting", m));
                    }
                    self.touch(&causal::key("meeting", m), entry);
                }
                self.create(&causal::key("action", id), entry);
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
                    cancelled: false,
                };
                self.actions.insert(id.clone(), action);
            }
            Change::ActionDone { action } => self.action_status(action, "done", entry)?,
            Change::ActionEdit { .. } => self.edit_action(entry, config)?,
            Change::ActionStatus { action, status } => {
                if !["open", "done", "cancelled"].contains(&status.as_str()) {
                    return Err(refuse(
                        "status",
                        format!("unknown action status `{status}`"),
                    ));
                }
                self.action_status(action, status, entry)?;
            }
            Change::GoalAdd(g) => self.add_goal(entry, g, config)?,
            Change::GoalEdit { .. } => self.edit_goal(entry, config)?,
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
                let c = Checkin {
                    entry: entry.id,
                    at,
                    by: by.clone(),
                    value: *value,
                    note: note.clone(),
                };
                if !g.checkins.iter().any(|x| x.entry == c.entry) {
                    let i = g
                        .checkins
                        .partition_point(|x| (x.at, x.entry) <= (c.at, c.entry));
                    g.checkins.insert(i, c);
                }
                self.touch(&causal::key("goal", goal), entry);
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
                let key = causal::key("meeting", meeting);
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
                        pulses: Vec::new(),
                        closed: false,
                    });
                if (at, by.as_str()) < (m.opened_at, m.opened_by.as_str()) {
                    m.opened_at = at;
                    m.opened_by.clone_from(by);
                }
                let (current, by0, at0) = (m.facilitator.clone(), m.opened_by.clone(), m.opened_at);
                self.create(&key, entry);
                if let Some(f) = facilitator {
                    let current = current.map(|c| (c, by0, at0));
                    let v = self
                        .set(&key, "facilitator", f, None, entry, current)
                        .value()
                        .to_string();
                    if let Some(m) = self.meetings.get_mut(meeting) {
                        m.facilitator = Some(v);
                    }
                }
                for a in attendees {
                    self.set_attendee(meeting, a, true, entry);
                }
            }
            Change::MeetingAbsent { meeting, absent } => {
                if !self.meetings.contains_key(meeting) {
                    return Err(missing("meeting", "meeting", meeting));
                }
                self.touch(&causal::key("meeting", meeting), entry);
                for a in absent {
                    self.set_attendee(meeting, a, false, entry);
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
                    entry: entry.id,
                    section: section.clone(),
                    text: text.clone(),
                    by: by.clone(),
                    at,
                };
                let list = if matches!(entry.change, Change::MeetingDecision { .. }) {
                    &mut m.decisions
                } else {
                    &mut m.notes
                };
                insert_meeting_note(list, note);
                self.touch(&causal::key("meeting", meeting), entry);
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
                if !m.pulses.iter().any(|p| p.entry == entry.id) {
                    let p = Pulse {
                        entry: entry.id,
                        member: member.clone(),
                        value: *value,
                        at,
                    };
                    let i = m
                        .pulses
                        .partition_point(|x| (x.at, x.entry) <= (p.at, p.entry));
                    m.pulses.insert(i, p);
                }
                m.derive_pulse();
                self.touch(&causal::key("meeting", meeting), entry);
            }
            Change::MeetingClose { meeting } => {
                let m = self
                    .meetings
                    .get_mut(meeting)
                    .ok_or_else(|| missing("meeting", "meeting", meeting))?;
                m.closed = true;
                self.touch(&causal::key("meeting", meeting), entry);
            }
            Change::Retract {
                entry: target,
                retracted,
            } => self.retract(*target, *retracted, entry)?,
            Change::MemberAdd(_) | Change::MemberEdit(_) => self.apply_member(entry)?,
            Change::LeadAdd(_)
            | Change::LeadEdit { .. }
            | Change::LeadStage { .. }
            | Change::LeadQualify { .. }
            | Change::LeadUnqualify { .. }
            | Change::LeadArchive { .. } => {}
        }
        Ok(())
    }

    /// Why `entry` breaks a rule of who may record it, if it does: only a handoff's
    /// receiver or a leader decides it, records first contact, or reopens it.
    fn not_allowed(&self, entry: &Entry, config: &Config) -> Option<String> {
        let handoff = match &entry.change {
            Change::HandoffAccept { handoff, .. }
            | Change::HandoffReject { handoff, .. }
            | Change::HandoffContact { handoff, .. }
            | Change::HandoffReopen { handoff }
            | Change::HandoffUncontact { handoff } => handoff,
            _ => return None,
        };
        let h = self.handoffs.get(handoff.as_str())?;
        if h.may_decide(&entry.by, config) {
            return None;
        }
        Some(format!(
            "{} of handoff {handoff} by {}: only its receiver ({}) or a leader decides it",
            entry.change.kind(),
            entry.by,
            h.to
        ))
    }

    /// A record id created by two entries: the same entry folded twice changes nothing; two
    /// clones picking the same random id is refused (it never happens by chance).
    fn created_twice(&mut self, kind: &str, id: &str, entry: &Entry) -> Result<(), Refusal> {
        let key = causal::key(kind, id);
        if self
            .frontier_of(key.as_str())
            .is_some_and(|f| f.created.contains(&entry.id))
        {
            return Ok(());
        }
        Err(refuse("id", format!("the id `{id}` is used twice")))
    }

    /// Sets the decision register of `handoff`; returns its lead.
    fn decide(
        &mut self,
        handoff: &str,
        value: &str,
        note: Option<&str>,
        entry: &Entry,
    ) -> Result<String, Refusal> {
        let h = self
            .handoffs
            .get(handoff)
            .ok_or_else(|| missing("handoff", "handoff", handoff))?;
        let key = causal::key("handoff", handoff);
        let lead = h.lead.to_string();
        let (by0, at0) = (h.from.to_string(), h.at);
        let current = match h.status {
            HandoffStatus::Pending => "pending".to_string(),
            HandoffStatus::Accepted => "accepted".to_string(),
            HandoffStatus::Rejected => {
                format!("rejected:{}", h.reason.as_deref().unwrap_or_default())
            }
        };
        // A handoff never decided holds "pending" from its creation.
        let had_register = self
            .frontier_of(key.as_str())
            .is_some_and(|f| f.register("decision").is_some());
        let current = (!had_register).then_some((current, by0, at0));
        self.touch(&key, entry);
        let r = self.set(&key, "decision", value, note, entry, current);
        let h = self
            .handoffs
            .get_mut(handoff)
            .ok_or_else(|| missing("handoff", "handoff", handoff))?;
        h.disputed = r.conflicted;
        let pick = r.pick.filter(|_| !r.conflicted);
        match pick.as_ref().map(|c| c.value.as_str()) {
            Some("accepted") => h.status = HandoffStatus::Accepted,
            Some(v) if v.starts_with("rejected:") => h.status = HandoffStatus::Rejected,
            _ => h.status = HandoffStatus::Pending,
        }
        match pick.filter(|c| c.value != "pending") {
            Some(c) => {
                h.reason = c.value.strip_prefix("rejected:").map(Box::from);
                h.decided_at = Some(c.at);
                h.decided_by = Some(c.by.clone());
                h.decision_note = c.detail.clone();
            }
            None => {
                h.reason = None;
                h.decided_at = None;
                h.decided_by = None;
                h.decision_note = None;
            }
        }
        Ok(lead)
    }

    /// First contact, or withdrawal, of a handoff through its register.
    fn handoff_flag(
        &mut self,
        handoff: &str,
        field: &str,
        on: bool,
        note: Option<&str>,
        entry: &Entry,
    ) -> Result<(), Refusal> {
        let h = self
            .handoffs
            .get(handoff)
            .ok_or_else(|| missing("handoff", "handoff", handoff))?;
        let key = causal::key("handoff", handoff);
        let now = match field {
            "contact" => h.contacted_at.is_some(),
            _ => matches!(h.closed_why(), Some(Closure::Withdrawn)),
        };
        let current = (yes_no(now).to_string(), h.from.to_string(), h.at);
        self.touch(&key, entry);
        let _ = note;
        self.set(&key, field, yes_no(on), None, entry, Some(current));
        let r = self
            .frontier_of(key.as_str())
            .and_then(|f| f.register(field))
            .cloned();
        let Some(r) = r else { return Ok(()) };
        // Concurrent contacts agree: the earliest counts.
        let first_yes = r
            .candidates
            .iter()
            .filter(|c| c.value == "yes")
            .min_by_key(|c| (c.at, c.entry))
            .cloned();
        let yes = !r.conflicted() && first_yes.is_some()
            || r.conflicted() && r.pick().is_some_and(|c| c.value == "yes");
        let h = self
            .handoffs
            .get_mut(handoff)
            .ok_or_else(|| missing("handoff", "handoff", handoff))?;
        match field {
            "contact" => match first_yes.filter(|_| yes) {
                Some(c) => {
                    h.contacted_at = Some(c.at);
                    h.contacted_by = Some(c.by);
                }
                None => {
                    h.contacted_at = None;
                    h.contacted_by = None;
                }
            },
            _ => {
                if yes {
                    let at = first_yes.map_or(entry.at, |c| c.at);
                    h.closed = Some(Box::new(Closed {
                        at,
                        why: Some(Closure::Withdrawn),
                    }));
                } else if matches!(h.closed_why(), Some(Closure::Withdrawn)) {
                    h.closed = None;
                }
            }
        }
        Ok(())
    }

    /// Sets the `status` register of record `key` (whose value now is `current`) and
    /// returns the candidate that decides it: the pick while conflicted, else the
    /// earliest (doing or resolving twice agrees; the first counts).
    fn status_register(
        &mut self,
        key: &str,
        status: &str,
        note: Option<&str>,
        entry: &Entry,
        current: (String, String, Instant),
    ) -> Option<Candidate> {
        self.touch(key, entry);
        self.set(key, "status", status, note, entry, Some(current));
        let r = self.frontier_of(key).and_then(|f| f.register("status"))?;
        if r.conflicted() {
            r.pick().cloned()
        } else {
            r.candidates.first().cloned()
        }
    }

    fn feedback_status(
        &mut self,
        feedback: &str,
        status: &str,
        note: Option<&str>,
        entry: &Entry,
    ) -> Result<(), Refusal> {
        let f = self
            .feedback
            .get(feedback)
            .ok_or_else(|| missing("feedback", "feedback", feedback))?;
        let key = causal::key("feedback", feedback);
        let current = if f.withdrawn {
            "withdrawn"
        } else if f.resolved_at.is_some() {
            "resolved"
        } else {
            "open"
        };
        let current = (
            current.to_string(),
            f.by.as_deref().unwrap_or_default().to_string(),
            f.at,
        );
        let chosen = self.status_register(&key, status, note, entry, current);
        let f = self
            .feedback
            .get_mut(feedback)
            .ok_or_else(|| missing("feedback", "feedback", feedback))?;
        f.withdrawn = false;
        f.resolved_at = None;
        f.resolved_by = None;
        f.resolution = None;
        if let Some(c) = chosen {
            match c.value.as_str() {
                "resolved" => {
                    f.resolved_at = Some(c.at);
                    f.resolved_by = Some(c.by);
                    f.resolution = c.detail;
                }
                "withdrawn" => f.withdrawn = true,
                _ => {}
            }
        }
        Ok(())
    }

    fn action_status(&mut self, action: &str, status: &str, entry: &Entry) -> Result<(), Refusal> {
        let a = self
            .actions
            .get(action)
            .ok_or_else(|| missing("action", "action", action))?;
        let key = causal::key("action", action);
        let current = if a.cancelled {
            "cancelled"
        } else if a.done_at.is_some() {
            "done"
        } else {
            "open"
        };
        let current = (current.to_string(), a.by.clone(), a.at);
        let chosen = self.status_register(&key, status, None, entry, current);
        let a = self
            .actions
            .get_mut(action)
            .ok_or_else(|| missing("action", "action", action))?;
        a.cancelled = false;
        a.done_at = None;
        a.done_by = None;
        if let Some(c) = chosen {
            match c.value.as_str() {
                "done" => {
                    a.done_at = Some(c.at);
                    a.done_by = Some(c.by.to_string());
                }
                "cancelled" => a.cancelled = true,
                _ => {}
            }
        }
        Ok(())
    }

    fn set_attendee(&mut self, meeting: &str, member: &str, present: bool, entry: &Entry) {
        let key = causal::key("meeting", meeting);
        let Some(m) = self.meetings.get(meeting) else {
            return;
        };
        let had = m.attendees.iter().any(|a| a == member);
        let current = had.then(|| ("yes".to_string(), m.opened_by.clone(), m.opened_at));
        let r = self.set(
            &key,
            &format!("attendee:{member}"),
            yes_no(present),
            None,
            entry,
            current,
        );
        if let Some(m) = self.meetings.get_mut(meeting) {
            m.attendees.retain(|a| a != member);
            if r.any_yes {
                m.attendees.push(member.to_string());
                m.attendees.sort();
            }
        }
    }

    /// Takes back (or restores) a series entry: a note, a decision, a pulse, a check-in.
    fn retract(
        &mut self,
        target: causal::EntryId,
        retracted: bool,
        entry: &Entry,
    ) -> Result<(), Refusal> {
        let key = causal::key("entry", &causal::format_id(target));
        self.touch(&key, entry);
        let current = self.retracted.contains_key(&target);
        let current = (yes_no(current).to_string(), String::new(), Instant(0));
        let r = self.set(
            &key,
            "retracted",
            yes_no(retracted),
            None,
            entry,
            Some(current),
        );
        let now = r.value() == "yes";
        if now {
            let taken = self.take_series(target);
            if let Some(item) = taken {
                self.retracted.insert(target, item);
            }
        } else if let Some(item) = self.retracted.remove(&target) {
            self.put_series(item);
        }
        Ok(())
    }

    fn take_series(&mut self, id: causal::EntryId) -> Option<Retracted> {
        for l in self.each_lead_mut() {
            if let Some(i) = l.notes.iter().position(|n| n.entry == id) {
                return Some(Retracted::LeadNote(l.id.clone(), l.notes.remove(i)));
            }
        }
        for (date, m) in &mut self.meetings {
            if let Some(i) = m.notes.iter().position(|n| n.entry == id) {
                return Some(Retracted::MeetingNote(date.clone(), m.notes.remove(i)));
            }
            if let Some(i) = m.decisions.iter().position(|n| n.entry == id) {
                return Some(Retracted::MeetingDecision(
                    date.clone(),
                    m.decisions.remove(i),
                ));
            }
            if let Some(i) = m.pulses.iter().position(|n| n.entry == id) {
                let p = m.pulses.remove(i);
                m.derive_pulse();
                return Some(Retracted::Pulse(date.clone(), p));
            }
        }
        for (id_, g) in &mut self.goals {
            if let Some(i) = g.checkins.iter().position(|n| n.entry == id) {
                return Some(Retracted::Checkin(id_.clone(), g.checkins.remove(i)));
            }
        }
        None
    }

    fn put_series(&mut self, item: Retracted) {
        match item {
            Retracted::LeadNote(lead, note) => {
                if let Some(l) = self.find_lead_mut(lead.as_str()) {
                    let i = l
                        .notes
                        .partition_point(|n| (n.at, n.entry) <= (note.at, note.entry));
                    l.notes.insert(i, note);
                }
            }
            Retracted::MeetingNote(date, note) => {
                if let Some(m) = self.meetings.get_mut(&date) {
                    insert_meeting_note(&mut m.notes, note);
                }
            }
            Retracted::MeetingDecision(date, note) => {
                if let Some(m) = self.meetings.get_mut(&date) {
                    insert_meeting_note(&mut m.decisions, note);
                }
            }
            Retracted::Pulse(date, p) => {
                if let Some(m) = self.meetings.get_mut(&date) {
                    let i = m
                        .pulses
                        .partition_point(|x| (x.at, x.entry) <= (p.at, p.entry));
                    m.pulses.insert(i, p);
                    m.derive_pulse();
                }
            }
            Retracted::Checkin(goal, c) => {
                if let Some(g) = self.goals.get_mut(&goal) {
                    let i = g
                        .checkins
                        .partition_point(|x| (x.at, x.entry) <= (c.at, c.entry));
                    g.checkins.insert(i, c);
                }
            }
        }
    }

    /// A member added or changed: kept in `members` with a register per field.
    fn apply_member(&mut self, entry: &Entry) -> Result<(), Refusal> {
        let (fields, adding) = match &entry.change {
            Change::MemberAdd(f) => (f, true),
            Change::MemberEdit(f) => (f, false),
            _ => return Ok(()),
        };
        if !crate::model::lead::is_valid_id(&fields.id) {
            return Err(refuse(
                "member",
                format!("`{}` is not a valid member id", fields.id),
            ));
        }
        let key = causal::key("member", &fields.id);
        let exists = self.members.contains_key(&fields.id);
        if adding {
            if exists {
                if !self.seen_creation(&key, entry) {
                    self.materialize_member(&key, &fields.id, entry);
                }
                self.create(&key, entry);
            } else {
                self.create(&key, entry);
                self.member_added
                    .insert(fields.id.clone(), (entry.by.clone().into(), entry.at));
                self.members.insert(
                    fields.id.clone(),
                    Member {
                        name: fields.name.clone().unwrap_or_default(),
                        department: fields.department.clone().unwrap_or_default(),
                        email: fields.email.clone(),
                        leader: fields.leader.unwrap_or(false),
                        active: fields.active.unwrap_or(true),
                        signing_key: fields.signing_key.clone(),
                    },
                );
                return Ok(());
            }
        } else {
            if !exists {
                return Err(missing("member", "member", &fields.id));
            }
            self.touch(&key, entry);
        }
        let values = [
            ("name", fields.name.clone()),
            ("department", fields.department.clone()),
            ("email", fields.email.clone()),
            ("leader", fields.leader.map(|b| yes_no(b).to_string())),
            (
                "active",
                fields
                    .active
                    .or(adding.then_some(true))
                    .map(|b| yes_no(b).to_string()),
            ),
            ("signing_key", fields.signing_key.clone()),
        ];
        for (field, value) in values {
            let Some(value) = value else { continue };
            let Some(m) = self.members.get(&fields.id) else {
                break;
            };
            let current = member_field(m, field).map(|v| (v, fields.id.clone(), Instant(0)));
            let v = self
                .set(&key, field, &value, None, entry, current)
                .value()
                .to_string();
            if let Some(m) = self.members.get_mut(&fields.id) {
                match field {
                    "name" => m.name = v,
                    "department" => m.department = v,
                    "email" => m.email = (!v.is_empty()).then_some(v),
                    "leader" => m.leader = v == "yes",
                    "signing_key" => m.signing_key = (!v.is_empty()).then_some(v),
                    _ => m.active = v == "yes",
                }
            }
        }
        Ok(())
    }

    fn materialize_member(&mut self, key: &str, id: &str, _entry: &Entry) {
        let Some(m) = self.members.get(id).cloned() else {
            return;
        };
        let creator = self
            .frontier_of(key)
            .and_then(|f| f.created.first().copied());
        let Some(creator) = creator else { return };
        let (added_by, added_at) = self
            .member_added
            .get(id)
            .cloned()
            .unwrap_or_else(|| (id.into(), Instant(0)));
        let regs: Vec<Register> = ["name", "department", "email", "leader", "active"]
            .iter()
            .filter_map(|field| {
                Some(Register {
                    field: (*field).into(),
                    candidates: vec![Candidate {
                        entry: creator,
                        value: member_field(&m, field)?.into(),
                        by: added_by.clone(),
                        at: added_at,
                        detail: None,
                    }],
                })
            })
            .collect();
        self.frontier(key).add_registers(regs);
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
        let key = causal::key("goal", &g.id);
        if self.goals.contains_key(&g.id) {
            if entry.after.is_none() || self.seen_creation(&key, entry) {
                // Format 1: two clones added the same goal, the first one stands.
                self.create(&key, entry);
                return Ok(());
            }
            // Two clones created the same goal: every setting they disagree on is a conflict.
            self.materialize_goal(&key, &g.id);
            self.create(&key, entry);
            let values = [
                ("title", Some(g.title.clone())),
                ("metric", Some(g.metric.clone())),
                ("target", Some(crate::model::state::number_text(g.target))),
                ("start", Some(g.start.to_string())),
                ("end", Some(g.end.to_string())),
                ("owner", g.owner.clone()),
            ];
            self.set_goal_fields(&key, &g.id, &values, entry);
            return Ok(());
        }
        self.create(&key, entry);
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
            archived: false,
        };
        self.goals.insert(goal.id.clone(), goal);
        Ok(())
    }

    fn edit_goal(&mut self, entry: &Entry, config: &Config) -> Result<(), Refusal> {
        let Change::GoalEdit {
            goal,
            title,
            target,
            start,
            end,
            owner,
            archived,
        } = &entry.change
        else {
            return Ok(());
        };
        if !self.goals.contains_key(goal) {
            return Err(missing("goal", "goal", goal));
        }
        if let Some(owner) = owner.as_deref().filter(|o| !o.is_empty()) {
            check_member(config, "owner", owner)?;
        }
        if let Some(t) = target
            && (!t.is_finite() || *t < 0.0)
        {
            return Err(refuse("target", format!("`{t}` is not a target")));
        }
        let key = causal::key("goal", goal);
        self.touch(&key, entry);
        let values = [
            ("title", title.clone()),
            ("target", target.map(crate::model::state::number_text)),
            ("start", start.map(|d| d.to_string())),
            ("end", end.map(|d| d.to_string())),
            ("owner", owner.clone()),
            ("archived", archived.map(|b| yes_no(b).to_string())),
        ];
        self.set_goal_fields(&key, goal, &values, entry);
        Ok(())
    }

    fn set_goal_fields(
        &mut self,
        key: &str,
        id: &str,
        values: &[(&str, Option<String>)],
        entry: &Entry,
    ) {
        for (field, value) in values {
            let Some(value) = value else { continue };
            let Some(g) = self.goals.get(id) else { return };
            let current = goal_field(g, field).map(|v| (v, g.created_by.clone(), g.created));
            let v = self
                .set(key, field, value, None, entry, current)
                .value()
                .to_string();
            let Some(g) = self.goals.get_mut(id) else {
                return;
            };
            match *field {
                "title" => g.title = v,
                "metric" => {
                    if let Some(m) = Metric::parse(&v) {
                        g.metric = m;
                    }
                }
                "target" => g.target = v.parse().unwrap_or(g.target),
                "start" => g.from = v.parse().unwrap_or(g.from),
                "end" => g.to = v.parse().unwrap_or(g.to),
                "owner" => g.owner = (!v.is_empty()).then_some(v),
                "archived" => g.archived = v == "yes",
                _ => {}
            }
        }
    }

    fn materialize_goal(&mut self, key: &str, id: &str) {
        let Some(g) = self.goals.get(id) else { return };
        let creator = self
            .frontier_of(key)
            .and_then(|f| f.created.first().copied());
        let Some(creator) = creator else { return };
        let regs: Vec<Register> = ["title", "metric", "target", "start", "end", "owner"]
            .iter()
            .filter_map(|field| {
                Some(Register {
                    field: (*field).into(),
                    candidates: vec![Candidate {
                        entry: creator,
                        value: goal_field(g, field)?.into(),
                        by: g.created_by.clone().into(),
                        at: g.created,
                        detail: None,
                    }],
                })
            })
            .collect();
        self.frontier(key).add_registers(regs);
    }
}

impl State {
    /// `action.edit`: text, owner and due date are registers, like a goal's settings; an
    /// emptied due date is the value "".
    fn edit_action(&mut self, entry: &Entry, config: &Config) -> Result<(), Refusal> {
        let Change::ActionEdit {
            action,
            text,
            owner,
            due,
            clear,
        } = &entry.change
        else {
            return Ok(());
        };
        if !self.actions.contains_key(action.as_str()) {
            return Err(missing("action", "action", action));
        }
        if let Some(owner) = owner {
            check_member(config, "owner", owner)?;
        }
        if let Some(text) = text
            && text.trim().is_empty()
        {
            return Err(refuse(
                "text",
                "an action's text cannot be empty".to_string(),
            ));
        }
        let due = match due {
            Some(d) => Some(d.to_string()),
            None => clear.iter().any(|f| f == "due").then(String::new),
        };
        let key = causal::key("action", action);
        self.touch(&key, entry);
        let values = [
            ("text", text.clone()),
            ("owner", owner.clone()),
            ("due", due),
        ];
        for (field, value) in values {
            let Some(value) = value else { continue };
            let Some(a) = self.actions.get(action.as_str()) else {
                break;
            };
            let current = Some((action_field(a, field), a.by.clone(), a.at));
            let v = self
                .set(&key, field, &value, None, entry, current)
                .value()
                .to_string();
            let Some(a) = self.actions.get_mut(action.as_str()) else {
                break;
            };
            match field {
                "text" => a.text = v,
                "owner" => a.owner = v,
                _ => a.due = v.parse().ok(),
            }
        }
        Ok(())
    }
}

/// An action's editable field as register text ("" for no due date).
pub fn action_field(a: &Action, field: &str) -> String {
    match field {
        "text" => a.text.clone(),
        "owner" => a.owner.clone(),
        "due" => a.due.map(|d| d.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// A goal's setting as register text.
pub fn goal_field(g: &Goal, field: &str) -> Option<String> {
    match field {
        "title" => Some(g.title.clone()),
        "metric" => Some(g.metric.as_str().to_string()),
        "target" => Some(crate::model::state::number_text(g.target)),
        "start" => Some(g.from.to_string()),
        "end" => Some(g.to.to_string()),
        "owner" => g.owner.clone(),
        "archived" => Some(yes_no(g.archived).to_string()),
        _ => None,
    }
}
