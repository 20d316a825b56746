//! Journal entries: one recorded change each, as written to and read from the journal.
//!
//! An entry is a flat TOML table under `[[entry]]` with `at`, `by` and `kind` plus the
//! fields its kind needs. [`RawEntry`] is what serde reads; [`Entry`] is the checked form
//! the fold applies. Each kind stores its outcome (e.g. the stage a qualification moved the
//! lead to) so the history never changes meaning when the configuration changes later.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::model::causal::{EntryId, parse_id};
use crate::model::time::{Date, Instant};

/// An entry as written in the file, every field optional so that one missing field is
/// reported by name with its location instead of failing the whole file.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    /// The entry's own id (format 2); format-1 entries have none written.
    pub entry: Option<String>,
    /// The entries of the records it changes that its writer saw (their frontier).
    pub after: Option<Vec<String>>,
    /// The entry this one takes back (`growth undo`), for the log.
    pub undoes: Option<String>,
    pub at: Option<toml::value::Datetime>,
    pub by: Option<String>,
    pub kind: Option<String>,
    /// The id of the record an entry creates (handoff, feedback, idea, win, action).
    pub id: Option<String>,
    pub lead: Option<String>,
    pub company: Option<String>,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub source: Option<String>,
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub owner: Option<String>,
    pub tags: Option<Vec<String>>,
    pub stage: Option<String>,
    pub reason: Option<String>,
    pub met: Option<Vec<String>>,
    pub note: Option<String>,
    pub handoff: Option<String>,
    pub to: Option<String>,
    pub text: Option<String>,
    pub category: Option<String>,
    pub anonymous: Option<bool>,
    pub feedback: Option<String>,
    pub idea: Option<String>,
    pub offer: Option<String>,
    pub status: Option<String>,
    pub link: Option<String>,
    pub credit: Option<Vec<String>>,
    pub action: Option<String>,
    pub due: Option<Date>,
    pub goal: Option<String>,
    pub title: Option<String>,
    pub metric: Option<String>,
    pub target: Option<f64>,
    pub unit: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub aggregate: Option<String>,
    pub meeting: Option<Date>,
    /// The lead's record id in the CRM it was imported from.
    pub crm_id: Option<String>,
    /// When the CRM says the lead was created, if earlier than the entry.
    pub created: Option<toml::value::Datetime>,
    pub facilitator: Option<String>,
    pub attendees: Option<Vec<String>>,
    pub section: Option<String>,
    pub member: Option<String>,
    pub name: Option<String>,
    pub department: Option<String>,
    pub leader: Option<bool>,
    /// Criteria no longer met (an undone qualification).
    pub unmet: Option<Vec<String>>,
    /// Attendees taken off a meeting's list (an undone attendance).
    pub absent: Option<Vec<String>>,
    /// The entry of a series (a note, a check-in, a pulse) this one retracts.
    pub retract: Option<String>,
    pub active: Option<bool>,
    pub win: Option<String>,
    /// Fields a `lead.edit` or `action.edit` empties (an undone first value, say).
    pub clear: Option<Vec<String>>,
    pub signing_key: Option<String>,
}

/// A checked entry: who changed what, when. `by` is empty only for anonymous feedback.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: EntryId,
    /// `None` for a format-1 entry (no causal metadata: it follows everything before it).
    pub after: Option<Vec<EntryId>>,
    pub undoes: Option<EntryId>,
    pub at: Instant,
    pub by: String,
    pub change: Change,
}

impl Entry {
    /// A new entry, before the store names its frontier.
    pub fn new(at: Instant, by: &str, change: Change) -> Self {
        Entry {
            id: crate::model::causal::new_id(),
            after: Some(Vec::new()),
            undoes: None,
            at,
            by: by.to_string(),
            change,
        }
    }

    pub fn setter(&self) -> crate::model::causal::Setter<'_> {
        crate::model::causal::Setter {
            entry: self.id,
            after: self.after.as_deref(),
            by: &self.by,
            at: self.at,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// The large variants' fields are boxed: an `Entry` is as big as its largest change,
    /// and a cold load holds a month of entries at once (issue #16).
    LeadAdd(Box<LeadFields>),
    LeadEdit {
        lead: String,
        fields: Box<LeadFields>,
        note: Option<String>,
    },
    LeadStage {
        lead: String,
        stage: String,
        reason: Option<String>,
    },
    LeadQualify {
        lead: String,
        met: Vec<String>,
        stage: Option<String>,
    },
    HandoffCreate {
        id: String,
        lead: String,
        to: String,
        note: Option<String>,
    },
    /// Acceptance moves the lead to `stage` (sql) and gives it to the receiver.
    HandoffAccept {
        handoff: String,
        note: Option<String>,
        stage: Option<String>,
    },
    /// Rejection returns the lead to `stage` (nurture) with a reason marketing can see.
    HandoffReject {
        handoff: String,
        reason: String,
        note: Option<String>,
        stage: Option<String>,
    },
    HandoffContact {
        handoff: String,
        note: Option<String>,
    },
    FeedbackAdd {
        id: String,
        text: String,
        category: String,
        anonymous: bool,
    },
    FeedbackResolve {
        feedback: String,
        note: Option<String>,
    },
    IdeaAdd {
        id: String,
        text: String,
        lead: Option<String>,
        offer: Option<String>,
    },
    IdeaStatus {
        idea: String,
        status: String,
        link: Option<String>,
    },
    WinAdd {
        id: String,
        text: String,
        credit: Vec<String>,
    },
    /// `meeting` is the date of the meeting it was decided in, if any.
    ActionAdd {
        id: String,
        text: String,
        owner: String,
        due: Option<NaiveDate>,
        meeting: Option<String>,
    },
    ActionDone {
        action: String,
    },
    /// An action's text, owner or due date changed (a reassignment, say); `clear` names
    /// the fields emptied (only `due`).
    ActionEdit {
        action: String,
        text: Option<String>,
        owner: Option<String>,
        due: Option<NaiveDate>,
        clear: Vec<String>,
    },
    GoalAdd(Box<GoalFields>),
    GoalCheckin {
        goal: String,
        value: f64,
        note: Option<String>,
    },
    /// Opens (or updates the attendance of) the meeting of a date; meetings are named by date.
    MeetingOpen {
        meeting: String,
        facilitator: Option<String>,
        attendees: Vec<String>,
    },
    MeetingNote {
        meeting: String,
        section: Option<String>,
        text: String,
    },
    MeetingDecision {
        meeting: String,
        section: Option<String>,
        text: String,
    },
    /// One attendee's alignment score, 1 to 5.
    MeetingPulse {
        meeting: String,
        member: String,
        value: u8,
    },
    MeetingClose {
        meeting: String,
    },
    /// Takes a lead out of lists and goals (`archived`), or back (`lead unarchive`).
    LeadArchive {
        lead: String,
        archived: bool,
    },
    /// Criteria no longer met: the reverse of a qualification.
    LeadUnqualify {
        lead: String,
        unmet: Vec<String>,
    },
    /// A decided handoff back to pending (an undone acceptance or rejection).
    HandoffReopen {
        handoff: String,
    },
    /// A handoff taken back: nobody owes it a decision or a contact.
    HandoffWithdraw {
        handoff: String,
        withdrawn: bool,
    },
    /// First contact taken back (an undone `handoff contact`).
    HandoffUncontact {
        handoff: String,
    },
    /// Feedback's status: `open` (reopened), `withdrawn` by its giver.
    FeedbackStatus {
        feedback: String,
        status: String,
    },
    /// An action's status: `open`, `done`, `cancelled`.
    ActionStatus {
        action: String,
        status: String,
    },
    /// A shout-out taken back, or restored.
    WinWithdraw {
        win: String,
        withdrawn: bool,
    },
    /// A goal's settings changed (target, title, dates, owner) or its archival.
    GoalEdit {
        goal: String,
        title: Option<String>,
        target: Option<f64>,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        owner: Option<String>,
        archived: Option<bool>,
    },
    /// Attendees taken off a meeting's list.
    MeetingAbsent {
        meeting: String,
        absent: Vec<String>,
    },
    /// A series entry (a note, a decision, a pulse, a check-in) taken back, or restored.
    Retract {
        entry: EntryId,
        retracted: bool,
    },
    /// A member joins the team (kept in `journal/members/`).
    MemberAdd(Box<MemberFields>),
    /// A member's details change, or they leave (`active = false`) or come back.
    MemberEdit(Box<MemberFields>),
}

/// A member as `member.add` and `member.edit` record it; on an edit only what changed is set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberFields {
    pub id: String,
    pub name: Option<String>,
    pub department: Option<String>,
    pub email: Option<String>,
    pub leader: Option<bool>,
    pub active: Option<bool>,
    /// The SSH public key the member signs commits with.
    pub signing_key: Option<String>,
}

/// A goal as `goal.add` records it.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalFields {
    pub id: String,
    pub title: String,
    pub metric: String,
    pub target: f64,
    pub unit: Option<String>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub owner: Option<String>,
    pub credit: Vec<String>,
    pub currency: Option<String>,
    pub sum: bool,
}

/// The descriptive fields of a lead; on `lead.add` `id`, `company` and `stage` are set,
/// on `lead.edit` only what changed is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LeadFields {
    pub id: String,
    pub company: Option<String>,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub source: Option<String>,
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub owner: Option<String>,
    pub tags: Option<Vec<String>>,
    pub stage: Option<String>,
    pub note: Option<String>,
    pub crm_id: Option<String>,
    /// `lead.add` from an import: the CRM's creation time.
    pub created: Option<Instant>,
    /// On `lead.edit`: fields emptied (`value`, `owner`, `contact`...).
    pub clear: Vec<String>,
}

/// The kinds this version understands, as spelled in the files.
pub const KINDS: [&str; 42] = [
    "lead.add",
    "lead.edit",
    "lead.stage",
    "lead.qualify",
    "lead.unqualify",
    "lead.archive",
    "lead.unarchive",
    "handoff.create",
    "handoff.accept",
    "handoff.reject",
    "handoff.contact",
    "handoff.reopen",
    "handoff.withdraw",
    "handoff.restore",
    "handoff.uncontact",
    "feedback.add",
    "feedback.resolve",
    "feedback.status",
    "idea.add",
    "idea.status",
    "win.add",
    "win.withdraw",
    "win.restore",
    "action.add",
    "action.done",
    "action.status",
    "action.edit",
    "goal.add",
    "goal.checkin",
    "goal.edit",
    "goal.archive",
    "goal.unarchive",
    "meeting.open",
    "meeting.note",
    "meeting.decision",
    "meeting.pulse",
    "meeting.close",
    "meeting.absent",
    "retract",
    "restore",
    "member.add",
    "member.edit",
];

/// The longest text an entry may hold: the commands take paragraphs of up to 2,000
/// characters; notes a little more; anything past this is not growth's.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// The largest amount an entry may hold: beyond it sums lose cents, and it is a typo anyway.
pub const MAX_AMOUNT: f64 = 1e15;

/// Why a raw entry is not a valid entry: the offending key (for its location) and a message.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryError {
    pub key: Option<&'static str>,
    pub message: String,
    pub hint: Option<String>,
}

fn missing(key: &'static str, kind: &str) -> EntryError {
    EntryError {
        key: None,
        message: format!("a `{kind}` entry needs `{key}`"),
        hint: None,
    }
}

impl RawEntry {
    /// Checks the shape of the entry (required keys, known kind, sane values).
    pub fn check(self) -> Result<Entry, EntryError> {
        let at = self.at.ok_or_else(|| missing("at", "journal"))?;
        let at = crate::model::time::instant_from_toml(&at).map_err(|message| EntryError {
            key: Some("at"),
            message,
            hint: None,
        })?;
        let kind = self
            .kind
            .clone()
            .ok_or_else(|| missing("kind", "journal"))?;
        let anonymous = kind == "feedback.add" && self.anonymous == Some(true);
        let by = match self.by.clone() {
            Some(by) if anonymous => {
                return Err(EntryError {
                    key: Some("by"),
                    message: format!("anonymous feedback names its author `{by}`"),
                    hint: Some("remove `by` or `anonymous = true`".into()),
                });
            }
            Some(by) => by,
            None if anonymous => String::new(),
            None => return Err(missing("by", "journal")),
        };
        // What the commands refuse is refused when read too: a hand edit or a teammate's
        // push gets no further than the CLI would.
        for (key, text) in [
            ("text", self.text.as_deref()),
            ("title", self.title.as_deref()),
            ("note", self.note.as_deref()),
            ("offer", self.offer.as_deref()),
            ("company", self.company.as_deref()),
        ] {
            if let Some(text) = text
                && text.chars().count() > MAX_TEXT_CHARS
            {
                return Err(EntryError {
                    key: Some(key),
                    message: format!("`{key}` is longer than {MAX_TEXT_CHARS} characters"),
                    hint: Some("growth never writes such an entry; shorten it by hand".into()),
                });
            }
        }
        if let Some(email) = &self.email
            && !email.is_empty()
            && !crate::model::config::looks_like_email(email)
        {
            return Err(EntryError {
                key: Some("email"),
                message: format!("`{email}` is not an email address"),
                hint: Some("e.g. jane@acme.example".into()),
            });
        }
        for (key, v) in [("value", self.value), ("target", self.target)] {
            if let Some(v) = v
                && (!v.is_finite() || !(0.0..=MAX_AMOUNT).contains(&v))
            {
                return Err(EntryError {
                    key: Some(key),
                    message: format!("`{key} = {v}` must be an amount from 0 to 1e15"),
                    hint: None,
                });
            }
        }
        let created = match &self.created {
            Some(dt) => Some(
                crate::model::time::instant_from_toml(dt).map_err(|message| EntryError {
                    key: Some("created"),
                    message,
                    hint: None,
                })?,
            ),
            None => None,
        };
        let id_of = |key: &'static str, text: &str| {
            parse_id(text).ok_or_else(|| EntryError {
                key: Some(key),
                message: format!("`{text}` is not an entry id"),
                hint: Some(
                    "entry ids are 12 characters from 0-9 and a-z without i, l, o, u".into(),
                ),
            })
        };
        let id = match &self.entry {
            Some(text) => id_of("entry", text)?,
            None => 0,
        };
        let after = match (&self.entry, &self.after) {
            (None, Some(_)) => {
                return Err(EntryError {
                    key: Some("after"),
                    message: "an entry with `after` needs its own `entry` id".into(),
                    hint: None,
                });
            }
            (None, None) => None,
            (Some(_), after) => Some(
                after
                    .iter()
                    .flatten()
                    .map(|a| id_of("after", a))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let undoes = match &self.undoes {
            Some(text) => Some(id_of("undoes", text)?),
            None => None,
        };
        let mut change = self.change(&kind)?;
        if let Change::LeadAdd(f) = &mut change {
            f.created = created;
        }
        Ok(Entry {
            id,
            after,
            undoes,
            at,
            by,
            change,
        })
    }

    fn change(self, kind: &str) -> Result<Change, EntryError> {
        fn need<T>(v: Option<T>, key: &'static str, kind: &str) -> Result<T, EntryError> {
            v.ok_or_else(|| missing(key, kind))
        }
        let change = match kind {
            "lead.add" => Change::LeadAdd(Box::new(LeadFields {
                id: need(self.lead, "lead", kind)?,
                company: Some(need(self.company, "company", kind)?),
                contact: self.contact,
                email: self.email,
                source: self.source,
                value: self.value,
                currency: self.currency,
                owner: self.owner,
                tags: self.tags,
                stage: self.stage,
                note: self.note,
                crm_id: self.crm_id.clone(),
                created: None,
                clear: Vec::new(),
            })),
            "lead.edit" => Change::LeadEdit {
                lead: need(self.lead, "lead", kind)?,
                fields: Box::new(LeadFields {
                    id: String::new(),
                    company: self.company,
                    contact: self.contact,
                    email: self.email,
                    source: self.source,
                    value: self.value,
                    currency: self.currency,
                    owner: self.owner,
                    tags: self.tags,
                    stage: None,
                    note: None,
                    crm_id: self.crm_id,
                    created: None,
                    clear: self.clear.unwrap_or_default(),
                }),
                note: self.note,
            },
            "lead.stage" => Change::LeadStage {
                lead: need(self.lead, "lead", kind)?,
                stage: need(self.stage, "stage", kind)?,
                reason: self.reason,
            },
            "lead.qualify" => Change::LeadQualify {
                lead: need(self.lead, "lead", kind)?,
                met: need(self.met, "met", kind)?,
                stage: self.stage,
            },
            "handoff.create" => Change::HandoffCreate {
                id: need(self.id, "id", kind)?,
                lead: need(self.lead, "lead", kind)?,
                to: need(self.to, "to", kind)?,
                note: self.note,
            },
            "handoff.accept" => Change::HandoffAccept {
                handoff: need(self.handoff, "handoff", kind)?,
                note: self.note,
                stage: self.stage,
            },
            "handoff.reject" => Change::HandoffReject {
                handoff: need(self.handoff, "handoff", kind)?,
                reason: need(self.reason, "reason", kind)?,
                note: self.note,
                stage: self.stage,
            },
            "handoff.contact" => Change::HandoffContact {
                handoff: need(self.handoff, "handoff", kind)?,
                note: self.note,
            },
            "feedback.add" => Change::FeedbackAdd {
                id: need(self.id, "id", kind)?,
                text: need(self.text, "text", kind)?,
                category: self.category.unwrap_or_else(|| "suggestion".into()),
                anonymous: self.anonymous == Some(true),
            },
            "feedback.resolve" => Change::FeedbackResolve {
                feedback: need(self.feedback, "feedback", kind)?,
                note: self.note,
            },
            "idea.add" => Change::IdeaAdd {
                id: need(self.id, "id", kind)?,
                text: need(self.text, "text", kind)?,
                lead: self.lead,
                offer: self.offer,
            },
            "idea.status" => Change::IdeaStatus {
                idea: need(self.idea, "idea", kind)?,
                status: need(self.status, "status", kind)?,
                link: self.link,
            },
            "win.add" => Change::WinAdd {
                id: need(self.id, "id", kind)?,
                text: need(self.text, "text", kind)?,
                credit: need(self.credit, "credit", kind)?,
            },
            "action.add" => Change::ActionAdd {
                id: need(self.id, "id", kind)?,
                text: need(self.text, "text", kind)?,
                owner: need(self.owner, "owner", kind)?,
                due: self.due.map(|d| d.0),
                meeting: self.meeting.map(|d| d.0.to_string()),
            },
            "action.done" => Change::ActionDone {
                action: need(self.action, "action", kind)?,
            },
            "action.edit" => {
                let clear = self.clear.unwrap_or_default();
                if let Some(other) = clear.iter().find(|f| f.as_str() != "due") {
                    return Err(EntryError {
                        key: Some("clear"),
                        message: format!("an `action.edit` cannot clear `{other}`"),
                        hint: Some("only `due` can be cleared: clear = [\"due\"]".into()),
                    });
                }
                Change::ActionEdit {
                    action: need(self.action, "action", kind)?,
                    text: self.text,
                    owner: self.owner,
                    due: self.due.map(|d| d.0),
                    clear,
                }
            }
            "goal.add" => Change::GoalAdd(Box::new(GoalFields {
                id: need(self.goal, "goal", kind)?,
                title: need(self.title, "title", kind)?,
                metric: need(self.metric, "metric", kind)?,
                target: need(self.target, "target", kind)?,
                unit: self.unit,
                start: need(self.start, "start", kind)?.0,
                end: need(self.end, "end", kind)?.0,
                owner: self.owner,
                credit: self.credit.unwrap_or_default(),
                currency: self.currency,
                sum: match self.aggregate.as_deref() {
                    None | Some("latest") => false,
                    Some("sum") => true,
                    Some(other) => {
                        return Err(EntryError {
                            key: Some("aggregate"),
                            message: format!("unknown aggregate `{other}`"),
                            hint: Some("use \"latest\" (the default) or \"sum\"".into()),
                        });
                    }
                },
            })),
            "goal.checkin" => Change::GoalCheckin {
                goal: need(self.goal, "goal", kind)?,
                value: need(self.value, "value", kind)?,
                note: self.note,
            },
            "meeting.open" => Change::MeetingOpen {
                meeting: need(self.meeting, "meeting", kind)?.0.to_string(),
                facilitator: self.facilitator,
                attendees: self.attendees.unwrap_or_default(),
            },
            "meeting.note" => Change::MeetingNote {
                meeting: need(self.meeting, "meeting", kind)?.0.to_string(),
                section: self.section,
                text: need(self.text, "text", kind)?,
            },
            "meeting.decision" => Change::MeetingDecision {
                meeting: need(self.meeting, "meeting", kind)?.0.to_string(),
                section: self.section,
                text: need(self.text, "text", kind)?,
            },
            "meeting.pulse" => {
                let value = need(self.value, "value", kind)?;
                if value.fract() != 0.0 || !(1.0..=5.0).contains(&value) {
                    return Err(EntryError {
                        key: Some("value"),
                        message: format!("a pulse is 1, 2, 3, 4 or 5, not {value}"),
                        hint: None,
                    });
                }
                Change::MeetingPulse {
                    meeting: need(self.meeting, "meeting", kind)?.0.to_string(),
                    member: need(self.member, "member", kind)?,
                    value: value as u8,
                }
            }
            "meeting.close" => Change::MeetingClose {
                meeting: need(self.meeting, "meeting", kind)?.0.to_string(),
            },
            "lead.archive" | "lead.unarchive" => Change::LeadArchive {
                lead: need(self.lead, "lead", kind)?,
                archived: kind == "lead.archive",
            },
            "lead.unqualify" => Change::LeadUnqualify {
                lead: need(self.lead, "lead", kind)?,
                unmet: need(self.unmet, "unmet", kind)?,
            },
            "handoff.reopen" => Change::HandoffReopen {
                handoff: need(self.handoff, "handoff", kind)?,
            },
            "handoff.withdraw" | "handoff.restore" => Change::HandoffWithdraw {
                handoff: need(self.handoff, "handoff", kind)?,
                withdrawn: kind == "handoff.withdraw",
            },
            "handoff.uncontact" => Change::HandoffUncontact {
                handoff: need(self.handoff, "handoff", kind)?,
            },
            "feedback.status" => Change::FeedbackStatus {
                feedback: need(self.feedback, "feedback", kind)?,
                status: need(self.status, "status", kind)?,
            },
            "action.status" => Change::ActionStatus {
                action: need(self.action, "action", kind)?,
                status: need(self.status, "status", kind)?,
            },
            "win.withdraw" | "win.restore" => Change::WinWithdraw {
                win: need(self.win, "win", kind)?,
                withdrawn: kind == "win.withdraw",
            },
            "goal.edit" | "goal.archive" | "goal.unarchive" => Change::GoalEdit {
                goal: need(self.goal, "goal", kind)?,
                title: self.title,
                target: self.target,
                start: self.start.map(|d| d.0),
                end: self.end.map(|d| d.0),
                owner: self.owner,
                archived: match kind {
                    "goal.archive" => Some(true),
                    "goal.unarchive" => Some(false),
                    _ => None,
                },
            },
            "meeting.absent" => Change::MeetingAbsent {
                meeting: need(self.meeting, "meeting", kind)?.0.to_string(),
                absent: need(self.absent, "absent", kind)?,
            },
            "retract" | "restore" => {
                let text = need(self.retract, "retract", kind)?;
                Change::Retract {
                    entry: parse_id(&text).ok_or_else(|| EntryError {
                        key: Some("retract"),
                        message: format!("`{text}` is not an entry id"),
                        hint: None,
                    })?,
                    retracted: kind == "retract",
                }
            }
            "member.add" | "member.edit" => {
                let fields = MemberFields {
                    id: need(self.member, "member", kind)?,
                    name: self.name,
                    department: self.department,
                    email: self.email,
                    leader: self.leader,
                    active: self.active,
                    signing_key: self.signing_key,
                };
                if kind == "member.add" {
                    if fields.name.is_none() {
                        return Err(missing("name", kind));
                    }
                    if fields.department.is_none() {
                        return Err(missing("department", kind));
                    }
                    Change::MemberAdd(Box::new(fields))
                } else {
                    Change::MemberEdit(Box::new(fields))
                }
            }
            other => {
                return Err(EntryError {
                    key: Some("kind"),
                    message: format!("unknown entry kind `{other}`"),
                    hint: Some(format!(
                        "known kinds: {}; a newer growth may know it",
                        KINDS.join(", ")
                    )),
                });
            }
        };
        Ok(change)
    }
}

/// A record an entry refers to, by kind and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordRef<'a> {
    Lead(&'a str),
    Handoff(&'a str),
    Feedback(&'a str),
    Idea(&'a str),
    Action(&'a str),
    Goal(&'a str),
    Meeting(&'a str),
    Win(&'a str),
    /// A series entry (retract and restore name the record it belongs to via its key).
    Entry(String),
}

impl Change {
    pub fn kind(&self) -> &'static str {
        match self {
            Change::LeadAdd(_) => "lead.add",
            Change::LeadEdit { .. } => "lead.edit",
            Change::LeadStage { .. } => "lead.stage",
            Change::LeadQualify { .. } => "lead.qualify",
            Change::HandoffCreate { .. } => "handoff.create",
            Change::HandoffAccept { .. } => "handoff.accept",
            Change::HandoffReject { .. } => "handoff.reject",
            Change::HandoffContact { .. } => "handoff.contact",
            Change::FeedbackAdd { .. } => "feedback.add",
            Change::FeedbackResolve { .. } => "feedback.resolve",
            Change::IdeaAdd { .. } => "idea.add",
            Change::IdeaStatus { .. } => "idea.status",
            Change::WinAdd { .. } => "win.add",
            Change::ActionAdd { .. } => "action.add",
            Change::ActionDone { .. } => "action.done",
            Change::ActionEdit { .. } => "action.edit",
            Change::GoalAdd(_) => "goal.add",
            Change::GoalCheckin { .. } => "goal.checkin",
            Change::MeetingOpen { .. } => "meeting.open",
            Change::MeetingNote { .. } => "meeting.note",
            Change::MeetingDecision { .. } => "meeting.decision",
            Change::MeetingPulse { .. } => "meeting.pulse",
            Change::MeetingClose { .. } => "meeting.close",
            Change::LeadArchive { archived: true, .. } => "lead.archive",
            Change::LeadArchive { .. } => "lead.unarchive",
            Change::LeadUnqualify { .. } => "lead.unqualify",
            Change::HandoffReopen { .. } => "handoff.reopen",
            Change::HandoffWithdraw {
                withdrawn: true, ..
            } => "handoff.withdraw",
            Change::HandoffWithdraw { .. } => "handoff.restore",
            Change::HandoffUncontact { .. } => "handoff.uncontact",
            Change::FeedbackStatus { .. } => "feedback.status",
            Change::ActionStatus { .. } => "action.status",
            Change::WinWithdraw {
                withdrawn: true, ..
            } => "win.withdraw",
            Change::WinWithdraw { .. } => "win.restore",
            Change::GoalEdit {
                archived: Some(true),
                ..
            } => "goal.archive",
            Change::GoalEdit {
                archived: Some(false),
                ..
            } => "goal.unarchive",
            Change::GoalEdit { .. } => "goal.edit",
            Change::MeetingAbsent { .. } => "meeting.absent",
            Change::Retract {
                retracted: true, ..
            } => "retract",
            Change::Retract { .. } => "restore",
            Change::MemberAdd(_) => "member.add",
            Change::MemberEdit(_) => "member.edit",
        }
    }

    /// The records this change reads or changes (not counting the one it creates, except
    /// a lead, whose id is chosen by people and may exist already).
    pub fn refs(&self) -> Vec<RecordRef<'_>> {
        match self {
            Change::LeadAdd(f) => vec![RecordRef::Lead(&f.id)],
            Change::LeadEdit { lead, .. }
            | Change::LeadStage { lead, .. }
            | Change::LeadQualify { lead, .. } => {
                vec![RecordRef::Lead(lead)]
            }
            Change::HandoffCreate { lead, .. } => vec![RecordRef::Lead(lead)],
            Change::HandoffAccept { handoff, .. }
            | Change::HandoffReject { handoff, .. }
            | Change::HandoffContact { handoff, .. } => vec![RecordRef::Handoff(handoff)],
            Change::FeedbackResolve { feedback, .. } => vec![RecordRef::Feedback(feedback)],
            Change::IdeaAdd {
                lead: Some(lead), ..
            } => vec![RecordRef::Lead(lead)],
            Change::IdeaStatus { idea, .. } => vec![RecordRef::Idea(idea)],
            Change::ActionDone { action } | Change::ActionEdit { action, .. } => {
                vec![RecordRef::Action(action)]
            }
            Change::GoalAdd(g) => vec![RecordRef::Goal(&g.id)],
            Change::GoalCheckin { goal, .. } => vec![RecordRef::Goal(goal)],
            Change::MeetingOpen { meeting, .. }
            | Change::MeetingNote { meeting, .. }
            | Change::MeetingDecision { meeting, .. }
            | Change::MeetingPulse { meeting, .. }
            | Change::MeetingClose { meeting } => vec![RecordRef::Meeting(meeting)],
            Change::ActionAdd {
                meeting: Some(m), ..
            } => vec![RecordRef::Meeting(m)],
            Change::LeadArchive { lead, .. } | Change::LeadUnqualify { lead, .. } => {
                vec![RecordRef::Lead(lead)]
            }
            Change::HandoffReopen { handoff }
            | Change::HandoffWithdraw { handoff, .. }
            | Change::HandoffUncontact { handoff } => vec![RecordRef::Handoff(handoff)],
            Change::FeedbackStatus { feedback, .. } => vec![RecordRef::Feedback(feedback)],
            Change::ActionStatus { action, .. } => vec![RecordRef::Action(action)],
            Change::WinWithdraw { win, .. } => vec![RecordRef::Win(win)],
            Change::GoalEdit { goal, .. } => vec![RecordRef::Goal(goal)],
            Change::MeetingAbsent { meeting, .. } => vec![RecordRef::Meeting(meeting)],
            Change::Retract { entry, .. } => vec![RecordRef::Entry(
                crate::model::causal::key("entry", &crate::model::causal::format_id(*entry))
                    .to_string(),
            )],
            Change::FeedbackAdd { .. }
            | Change::IdeaAdd { .. }
            | Change::WinAdd { .. }
            | Change::ActionAdd { .. }
            | Change::MemberAdd(_)
            | Change::MemberEdit(_) => Vec::new(),
        }
    }

    /// Anonymous feedback: stored with no author, in a file named after no one.
    pub fn is_anonymous(&self) -> bool {
        matches!(
            self,
            Change::FeedbackAdd {
                anonymous: true,
                ..
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cold load holds a month of entries at once, each as big as the largest change
    /// (issue #16): a variant that grows past this belongs in a `Box`.
    #[test]
    fn an_entry_stays_small() {
        use std::mem::size_of;
        let sizes = [
            ("Change", size_of::<Change>(), CHANGE_MAX),
            ("Entry", size_of::<Entry>(), ENTRY_MAX),
            (
                "LocatedEntry",
                size_of::<crate::store::journal::LocatedEntry>(),
                LOCATED_MAX,
            ),
        ];
        let over: Vec<String> = sizes
            .iter()
            .filter(|(_, size, max)| size > max)
            .map(|(name, size, max)| format!("{name} is {size} bytes, over {max}"))
            .collect();
        assert!(over.is_empty(), "{}", over.join("; "));
    }

    // On x86-64 and aarch64 (64-bit pointers). Before the large variants were boxed a
    // lead's fields sat in `Change`: an `Entry` was 504 bytes.
    const CHANGE_MAX: usize = 104;
    const ENTRY_MAX: usize = 184;
    const LOCATED_MAX: usize = 240;
}
