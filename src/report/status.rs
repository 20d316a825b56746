//! A rep's plate (`growth status`): what waits on one member now, most urgent first —
//! handoffs to decide or to call, their own handoffs waiting on others, leads going stale,
//! actions due, conflicts they are part of, and their role in the next meeting.
//!
//! The rules are the team's, not new ones: SLA clocks in business hours from
//! [`crate::model::sla`], staleness as the agenda's qualification section counts it
//! ([`crate::report::agenda::STALE_DAYS`]), conflicts as `growth conflicts` lists them.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::model::cadence;
use crate::model::causal::{format_id, split_key};
use crate::model::config::Config;
use crate::model::handoff::{Handoff, HandoffStatus};
use crate::model::sla::{Calendar, Clock, human};
use crate::model::state::State;
use crate::model::time::Instant;
use crate::report::agenda::STALE_DAYS;

/// Actions due within this many days count as due (overdue ones always do).
pub const DUE_WITHIN_DAYS: i64 = 7;

/// Everything on one member's plate at one moment. The JSON field names are a contract
/// (see `growth status --help`).
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub member: String,
    pub name: String,
    /// "Now" in the workspace timezone (RFC 3339).
    pub now: String,
    /// Handoffs to this member waiting for their accept or reject, most urgent first.
    pub decide: Vec<HandoffItem>,
    /// Handoffs this member accepted and has not yet made first contact on.
    pub contact: Vec<HandoffItem>,
    /// Handoffs this member made that wait on someone else (a decision or a first contact).
    pub waiting_on_others: Vec<HandoffItem>,
    /// Open leads this member owns with no change for `stale_days` days or more.
    pub stale_leads: Vec<StaleLead>,
    pub stale_days: i64,
    /// Open actions this member owns, overdue or due within `due_within_days` days.
    pub actions: Vec<ActionItem>,
    pub due_within_days: i64,
    /// Conflicts this member set a value in, or on a record they own.
    pub conflicts: Vec<ConflictItem>,
    pub next_meeting: Option<MeetingItem>,
    /// Nothing waits on this member (the next meeting aside).
    pub empty: bool,
}

/// One handoff and the SLA clock that matters for it now.
#[derive(Debug, Clone, Serialize)]
pub struct HandoffItem {
    pub id: String,
    pub lead: String,
    pub company: String,
    pub from: String,
    pub to: String,
    pub status: &'static str,
    /// `decision` or `contact`: what the handoff waits for.
    pub waiting_for: &'static str,
    pub clock: ClockView,
}

/// An SLA clock in business time.
#[derive(Debug, Clone, Serialize)]
pub struct ClockView {
    pub limit_hours: i64,
    /// Business minutes run so far.
    pub elapsed_minutes: i64,
    /// Business minutes left before the SLA runs out; negative once it has.
    pub remaining_minutes: i64,
    /// When the SLA runs out (RFC 3339, workspace timezone).
    pub due: String,
    pub overdue: bool,
}

impl ClockView {
    fn new(c: &Clock, tz: chrono_tz::Tz) -> Self {
        ClockView {
            limit_hours: c.limit / 3_600_000,
            elapsed_minutes: c.elapsed / 60_000,
            remaining_minutes: (c.limit - c.elapsed) / 60_000,
            due: c.due.to_toml(tz),
            overdue: c.breached(),
        }
    }

    /// The clock as `growth handoff list` shows a running one, business time run of the
    /// limit: `1h 30m/4h`, or `LATE 34h/4h` past it (the time run, not the time past the
    /// limit, so both commands give the same number at the same moment).
    pub fn text(&self) -> String {
        let (elapsed, limit) = (
            human(self.elapsed_minutes * 60_000),
            human(self.limit_hours * 3_600_000),
        );
        if self.overdue {
            format!("LATE {elapsed}/{limit}")
        } else {
            format!("{elapsed}/{limit}")
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StaleLead {
    pub id: String,
    pub company: String,
    pub stage: String,
    /// The date of its last change.
    pub updated: NaiveDate,
    pub days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionItem {
    pub id: String,
    pub text: String,
    pub due: NaiveDate,
    /// Days until due; negative when overdue.
    pub days: i64,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictItem {
    /// `lead/acme-corp` style, as `growth conflicts` names records.
    pub record: String,
    pub field: String,
    /// `set-a-value` (you recorded one of the values) or `owner` (the record is yours).
    pub involves: &'static str,
    pub values: Vec<ConflictValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConflictValue {
    pub value: String,
    pub by: String,
    pub at: String,
    pub entry: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingItem {
    pub date: NaiveDate,
    /// When it starts (RFC 3339, workspace timezone).
    pub start: String,
    pub minutes: u32,
    pub facilitator: Option<String>,
    pub note_taker: Option<String>,
    /// `facilitator`, `note-taker` or `attendee`.
    pub role: &'static str,
}

/// `member`'s plate in `state` at `now`. `state` must hold leads, handoffs, actions, goals
/// and the conflicts.
pub fn build(
    state: &State,
    config: &Config,
    tz: chrono_tz::Tz,
    now: Instant,
    member: &str,
) -> Status {
    let cal = Calendar::new(&config.business_hours, tz);
    let company = |lead: &str| {
        state
            .leads
            .get(lead)
            .map(|l| l.company.to_string())
            .unwrap_or_default()
    };
    let item = |h: &Handoff, waiting_for: &'static str, clock: &Clock| HandoffItem {
        id: h.id.to_string(),
        lead: h.lead.to_string(),
        company: company(&h.lead),
        from: h.from.to_string(),
        to: h.to.to_string(),
        status: if h.disputed {
            "disputed"
        } else {
            h.status.as_str()
        },
        waiting_for,
        clock: ClockView::new(clock, tz),
    };
    let (mut decide, mut contact, mut waiting) = (Vec::new(), Vec::new(), Vec::new());
    for h in state
        .handoffs
        .values()
        .filter(|h| h.closed.is_none() && h.at <= now)
    {
        let mine = h.to == member;
        let made = h.from == member && !mine;
        if !mine && !made {
            continue;
        }
        let clocks = h.clocks(config, &cal, now);
        // A disputed decision counts as undecided until someone settles it.
        let (waiting_for, clock) = if h.status == HandoffStatus::Pending || h.disputed {
            ("decision", clocks.accept)
        } else if h.status == HandoffStatus::Accepted && h.contacted_at.is_none() {
            ("contact", clocks.contact)
        } else {
            continue;
        };
        let it = item(h, waiting_for, &clock);
        match (mine, waiting_for) {
            (true, "decision") => decide.push((clock.due, it)),
            (true, _) => contact.push((clock.due, it)),
            _ => waiting.push((clock.due, it)),
        }
    }
    let urgent_first = |mut list: Vec<(Instant, HandoffItem)>| {
        list.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        list.into_iter().map(|(_, it)| it).collect::<Vec<_>>()
    };

    let first = config
        .pipeline
        .stages
        .first()
        .map(String::as_str)
        .unwrap_or("");
    let stale_before = now.plus_millis(-STALE_DAYS * 86_400_000);
    let mut stale: Vec<StaleLead> = state
        .leads
        .values()
        .filter(|l| l.owner.as_deref() == Some(member) && !l.archived)
        .filter(|l| {
            l.stage != first && !config.pipeline.is_closed(&l.stage) && l.updated <= stale_before
        })
        .map(|l| StaleLead {
            id: l.id.to_string(),
            company: l.company.to_string(),
            stage: l.stage.to_string(),
            updated: l.updated.date_in(tz),
            days: (now.0 - l.updated.0) / 86_400_000,
        })
        .collect();
    stale.sort_by(|a, b| (b.days, &a.id).cmp(&(a.days, &b.id)));

    let today = now.date_in(tz);
    let horizon = today + Duration::days(DUE_WITHIN_DAYS);
    let mut actions: Vec<ActionItem> = state
        .actions
        .values()
        .filter(|a| a.owner == member && a.done_at.is_none() && !a.cancelled)
        .filter_map(|a| {
            let due = a.due.filter(|d| *d <= horizon)?;
            Some(ActionItem {
                id: a.id.clone(),
                text: a.text.clone(),
                due,
                days: (due - today).num_days(),
                overdue: due < today,
            })
        })
        .collect();
    actions.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));

    let conflicts = conflicts(state, tz, member);
    let next_meeting = cadence::upcoming(config, tz, now, 1)
        .into_iter()
        .next()
        .map(|o| MeetingItem {
            role: if o.facilitator.as_deref() == Some(member) {
                "facilitator"
            } else if o.note_taker.as_deref() == Some(member) {
                "note-taker"
            } else {
                "attendee"
            },
            date: o.date,
            start: o.start.to_toml(tz),
            minutes: o.minutes,
            facilitator: o.facilitator,
            note_taker: o.note_taker,
        });
    let (decide, contact, waiting_on_others) = (
        urgent_first(decide),
        urgent_first(contact),
        urgent_first(waiting),
    );
    let empty = decide.is_empty()
        && contact.is_empty()
        && waiting_on_others.is_empty()
        && stale.is_empty()
        && actions.is_empty()
        && conflicts.is_empty();
    Status {
        member: member.to_string(),
        name: config
            .members
            .get(member)
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        now: now.to_toml(tz),
        decide,
        contact,
        waiting_on_others,
        stale_leads: stale,
        stale_days: STALE_DAYS,
        actions,
        due_within_days: DUE_WITHIN_DAYS,
        conflicts,
        next_meeting,
        empty,
    }
}

/// The conflicts `member` is part of: they recorded one of the values, or own the record.
fn conflicts(state: &State, tz: chrono_tz::Tz, member: &str) -> Vec<ConflictItem> {
    let owns = |kind: &str, id: &str| match kind {
        "lead" => state
            .leads
            .get(id)
            .is_some_and(|l| l.owner.as_deref() == Some(member)),
        "handoff" => state
            .handoffs
            .get(id)
            .is_some_and(|h| h.to == member || h.from == member),
        "action" => state.actions.get(id).is_some_and(|a| a.owner == member),
        "goal" => state
            .goals
            .get(id)
            .is_some_and(|g| g.owner.as_deref() == Some(member)),
        "member" => id == member,
        _ => false,
    };
    state
        .conflicts()
        .into_iter()
        // A lead handed off twice at once keeps both handoffs: not a decision to make.
        .filter(|(key, r)| !(key.starts_with("lead/") && r.field == "handoff"))
        .filter_map(|(key, r)| {
            let (kind, id) = split_key(key);
            let involves = if r.candidates.iter().any(|c| c.by == member) {
                "set-a-value"
            } else if owns(kind, id) {
                "owner"
            } else {
                return None;
            };
            Some(ConflictItem {
                record: key.to_string(),
                field: r.field.to_string(),
                involves,
                values: r
                    .candidates
                    .iter()
                    .map(|c| ConflictValue {
                        value: display_value(&c.value),
                        by: c.by.to_string(),
                        at: c.at.to_toml(tz),
                        entry: format_id(c.entry),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// A register value as people read it, as `growth conflicts` shows it.
fn display_value(value: &str) -> String {
    match value.split_once(':') {
        Some(("rejected", reason)) => format!("rejected ({reason})"),
        _ if value.is_empty() => "(none)".into(),
        _ => value.to_string(),
    }
}
