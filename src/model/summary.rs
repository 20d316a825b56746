//! What a command that records something needs to know about existing records: enough to
//! find one and to check a change, served either by the full state or by the writers'
//! index (`store::index`), so recording costs the same at any history size.

use crate::model::Text;
use crate::model::handoff::{Closed, Closure, Handoff, HandoffStatus};
use crate::model::lead::Lead;
use crate::model::records::{Action, Feedback, Idea};
use crate::model::state::State;
use crate::model::time::Instant;

/// The kinds of records with ids that later changes refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Leads,
    Handoffs,
    Feedback,
    Ideas,
    Actions,
    Goals,
    Meetings,
    Wins,
    /// Each record's causal frontier, by record key (`lead/acme-corp`).
    Causal,
}

impl Table {
    pub const ALL: [Table; 9] = [
        Table::Leads,
        Table::Handoffs,
        Table::Feedback,
        Table::Ideas,
        Table::Actions,
        Table::Goals,
        Table::Meetings,
        Table::Wins,
        Table::Causal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Leads => "leads",
            Table::Handoffs => "handoffs",
            Table::Feedback => "feedback",
            Table::Ideas => "ideas",
            Table::Actions => "actions",
            Table::Goals => "goals",
            Table::Meetings => "meetings",
            Table::Wins => "wins",
            Table::Causal => "causal",
        }
    }
}

/// A record reduced to the fields writers check, convertible to and from index fields.
pub trait Summary: Sized {
    const TABLE: Table;
    fn id(&self) -> &str;
    fn fields(&self) -> Vec<String>;
    fn from_fields(id: &str, fields: &[&str]) -> Option<Self>;
}

/// Read access for writers; see the module docs.
pub trait Records {
    /// The index fields of record `id` in `table`.
    fn fields(&self, table: Table, id: &str) -> Option<Vec<String>>;
    /// Every id in `table`, in order.
    fn ids(&self, table: Table) -> Box<dyn Iterator<Item = &str> + '_>;
    /// The ids in `table` that start with `prefix`, in order.
    fn with_prefix(&self, table: Table, prefix: &str) -> Vec<String> {
        self.ids(table)
            .filter(|id| id.starts_with(prefix))
            .map(str::to_string)
            .collect()
    }
}

impl dyn Records + '_ {
    pub fn get<S: Summary>(&self, id: &str) -> Option<S> {
        let fields = self.fields(S::TABLE, id)?;
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        S::from_fields(id, &refs)
    }

    pub fn lead(&self, id: &str) -> Option<LeadSummary> {
        self.get(id)
    }

    pub fn handoff(&self, id: &str) -> Option<HandoffSummary> {
        self.get(id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadSummary {
    pub id: String,
    pub company: String,
    pub stage: String,
    pub met: Vec<String>,
    /// The latest handoff of the lead.
    pub handoff: Option<String>,
    pub archived: bool,
}

impl LeadSummary {
    pub fn of(lead: &Lead) -> Self {
        LeadSummary {
            id: lead.id.clone().into(),
            company: lead.company.clone().into(),
            stage: lead.stage.clone().into(),
            met: lead.met.clone().into_iter().map(Into::into).collect(),
            handoff: lead.handoff.clone().map(Into::into),
            archived: lead.archived,
        }
    }

    /// A lead holding only the summary, to validate a change without the full history.
    pub fn to_thin(&self) -> Lead {
        Lead {
            id: self.id.clone().into(),
            company: self.company.clone().into(),
            contact: None,
            email: None,
            source: None,
            value: None,
            currency: None,
            owner: None,
            tags: thin_vec::ThinVec::new(),
            stage: self.stage.clone().into(),
            met: self.met.clone().into_iter().map(Into::into).collect(),
            notes: thin_vec::ThinVec::new(),
            created: Instant::default(),
            created_by: String::new().into(),
            updated: Instant::default(),
            history: thin_vec::ThinVec::new(),
            handoff: self.handoff.clone().map(Into::into),
            crm_id: None,
            archived: self.archived,
        }
    }
}

impl Summary for LeadSummary {
    const TABLE: Table = Table::Leads;
    fn id(&self) -> &str {
        &self.id
    }
    fn fields(&self) -> Vec<String> {
        vec![
            self.stage.clone(),
            self.met.join(","),
            self.handoff.clone().unwrap_or_default(),
            self.company.clone(),
            flag(self.archived),
        ]
    }
    fn from_fields(id: &str, f: &[&str]) -> Option<Self> {
        let [stage, met, handoff, company, archived] = f else {
            return None;
        };
        Some(LeadSummary {
            id: id.to_string(),
            company: company.to_string(),
            stage: stage.to_string(),
            met: split_list(met),
            handoff: optional(handoff),
            archived: *archived == "1",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoffSummary {
    pub id: String,
    pub lead: String,
    pub from: String,
    pub to: String,
    pub status: HandoffStatus,
    pub contacted: bool,
    /// When it was handed off, for the SLA clocks.
    pub at: Instant,
    /// When it closed while still open (nobody owes it anything since), and why.
    pub closed: Option<Instant>,
    pub closed_why: Option<Closure>,
    pub disputed: bool,
}

impl HandoffSummary {
    pub fn of(h: &Handoff) -> Self {
        HandoffSummary {
            id: h.id.clone().into(),
            lead: h.lead.clone().into(),
            from: h.from.clone().into(),
            to: h.to.clone().into(),
            status: h.status,
            contacted: h.contacted_at.is_some(),
            at: h.at,
            closed: h.closed_at(),
            closed_why: h.closed_why().cloned(),
            disputed: h.disputed,
        }
    }

    pub fn to_thin(&self) -> Handoff {
        Handoff {
            id: self.id.clone().into(),
            lead: self.lead.clone().into(),
            from: self.from.clone().into(),
            to: self.to.clone().into(),
            at: self.at,
            note: None,
            status: self.status,
            decided_at: (self.status != HandoffStatus::Pending).then(Instant::default),
            decided_by: None,
            decision_note: None,
            reason: None,
            contacted_at: self.contacted.then(Instant::default),
            contacted_by: None,
            closed: self.closed.map(|at| {
                Box::new(Closed {
                    at,
                    why: self.closed_why.clone(),
                })
            }),
            disputed: self.disputed,
        }
    }
}

impl Summary for HandoffSummary {
    const TABLE: Table = Table::Handoffs;
    fn id(&self) -> &str {
        &self.id
    }
    fn fields(&self) -> Vec<String> {
        vec![
            self.lead.clone(),
            self.from.clone(),
            self.to.clone(),
            self.status.as_str().to_string(),
            flag(self.contacted),
            self.at.0.to_string(),
            self.closed.map_or_else(String::new, |t| t.0.to_string()),
            match &self.closed_why {
                None => String::new(),
                Some(Closure::Stage(stage)) => format!("stage:{stage}"),
                Some(Closure::Replaced(id)) => format!("handoff:{id}"),
                Some(Closure::Withdrawn) => "withdrawn:".to_string(),
            },
            flag(self.disputed),
        ]
    }
    fn from_fields(id: &str, f: &[&str]) -> Option<Self> {
        let [lead, from, to, status, contacted, at, closed, why, disputed] = f else {
            return None;
        };
        Some(HandoffSummary {
            id: id.to_string(),
            lead: lead.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            status: HandoffStatus::parse(status)?,
            contacted: *contacted == "1",
            at: Instant(at.parse().ok()?),
            closed: match *closed {
                "" => None,
                t => Some(Instant(t.parse().ok()?)),
            },
            closed_why: match why.split_once(':') {
                Some(("stage", stage)) => Some(Closure::Stage(stage.into())),
                Some(("handoff", id)) => Some(Closure::Replaced(id.into())),
                Some(("withdrawn", _)) => Some(Closure::Withdrawn),
                _ => None,
            },
            disputed: *disputed == "1",
        })
    }
}

/// Feedback, ideas and actions: writers only need to know whether they are still open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSummary<const T: u8> {
    pub id: String,
    /// `status` for ideas; empty for feedback and actions.
    pub status: String,
    /// Owner for actions; empty otherwise.
    pub owner: String,
    pub closed: bool,
}

pub type FeedbackSummary = OpenSummary<0>;
pub type IdeaSummary = OpenSummary<1>;
pub type ActionSummary = OpenSummary<2>;
/// Goals: writers need the metric (check-ins are for manual goals only).
pub type GoalSummary = OpenSummary<3>;
/// Meetings (by date): writers need to know one was opened and whether it was closed.
pub type MeetingSummary = OpenSummary<4>;
/// Wins: writers need to know one exists and whether it was withdrawn.
pub type WinSummary = OpenSummary<5>;

impl<const T: u8> Summary for OpenSummary<T> {
    const TABLE: Table = match T {
        0 => Table::Feedback,
        1 => Table::Ideas,
        2 => Table::Actions,
        3 => Table::Goals,
        4 => Table::Meetings,
        _ => Table::Wins,
    };
    fn id(&self) -> &str {
        &self.id
    }
    fn fields(&self) -> Vec<String> {
        vec![self.status.clone(), self.owner.clone(), flag(self.closed)]
    }
    fn from_fields(id: &str, f: &[&str]) -> Option<Self> {
        let [status, owner, closed] = f else {
            return None;
        };
        Some(OpenSummary {
            id: id.to_string(),
            status: status.to_string(),
            owner: owner.to_string(),
            closed: *closed == "1",
        })
    }
}

impl FeedbackSummary {
    pub fn of(f: &Feedback) -> Self {
        OpenSummary {
            id: f.id.clone().into(),
            status: String::new(),
            owner: String::new(),
            closed: f.resolved_at.is_some() || f.withdrawn,
        }
    }

    pub fn to_thin(&self) -> Feedback {
        Feedback {
            id: self.id.clone().into(),
            at: Instant::default(),
            by: None,
            text: String::new().into(),
            category: String::new().into(),
            resolved_at: self.closed.then(Instant::default),
            resolved_by: None,
            resolution: None,
            withdrawn: false,
        }
    }
}

impl IdeaSummary {
    pub fn of(i: &Idea) -> Self {
        OpenSummary {
            id: i.id.clone(),
            status: i.status.clone(),
            owner: String::new(),
            closed: false,
        }
    }

    pub fn to_thin(&self) -> Idea {
        Idea {
            id: self.id.clone(),
            at: Instant::default(),
            by: String::new(),
            text: String::new(),
            lead: None,
            offer: None,
            status: self.status.clone(),
            link: None,
            updated: Instant::default(),
        }
    }
}

impl ActionSummary {
    pub fn of(a: &Action) -> Self {
        OpenSummary {
            id: a.id.clone(),
            status: String::new(),
            owner: a.owner.clone(),
            closed: a.done_at.is_some() || a.cancelled,
        }
    }

    pub fn to_thin(&self) -> Action {
        Action {
            id: self.id.clone(),
            at: Instant::default(),
            by: String::new(),
            text: String::new(),
            owner: self.owner.clone(),
            due: None,
            done_at: self.closed.then(Instant::default),
            done_by: None,
            meeting: None,
            cancelled: false,
        }
    }
}

impl GoalSummary {
    /// `status` holds the metric.
    pub fn of(g: &crate::model::goal::Goal) -> Self {
        OpenSummary {
            id: g.id.clone(),
            status: g.metric.as_str().to_string(),
            owner: String::new(),
            closed: g.archived,
        }
    }

    pub fn to_thin(&self) -> Option<crate::model::goal::Goal> {
        Some(crate::model::goal::Goal {
            id: self.id.clone(),
            title: String::new(),
            metric: crate::model::goal::Metric::parse(&self.status)?,
            target: 0.0,
            unit: None,
            from: chrono::NaiveDate::MIN,
            to: chrono::NaiveDate::MIN,
            owner: None,
            credit: Vec::new(),
            currency: None,
            sum: false,
            checkins: Vec::new(),
            created: Instant::default(),
            created_by: String::new(),
            archived: self.closed,
        })
    }
}

impl MeetingSummary {
    pub fn of(m: &crate::model::records::Meeting) -> Self {
        OpenSummary {
            id: m.date.to_string(),
            status: String::new(),
            owner: String::new(),
            closed: m.closed,
        }
    }

    pub fn to_thin(&self) -> Option<crate::model::records::Meeting> {
        Some(crate::model::records::Meeting {
            date: chrono::NaiveDate::parse_from_str(&self.id, "%Y-%m-%d").ok()?,
            opened_at: Instant::default(),
            opened_by: String::new(),
            facilitator: None,
            attendees: Vec::new(),
            notes: Vec::new(),
            decisions: Vec::new(),
            pulse: Vec::new(),
            pulses: Vec::new(),
            closed: self.closed,
        })
    }
}

impl WinSummary {
    pub fn of(w: &crate::model::records::Win) -> Self {
        OpenSummary {
            id: w.id.clone(),
            status: String::new(),
            owner: String::new(),
            closed: w.withdrawn,
        }
    }

    pub fn to_thin(&self) -> crate::model::records::Win {
        crate::model::records::Win {
            id: self.id.clone(),
            at: Instant::default(),
            by: String::new(),
            text: String::new(),
            credit: Vec::new(),
            withdrawn: self.closed,
        }
    }
}

/// A frontier as one index field (JSON).
pub fn frontier_text(f: &crate::model::causal::Frontier) -> String {
    serde_json::to_string(f).unwrap_or_default()
}

pub fn frontier_from_text(text: &str) -> Option<crate::model::causal::Frontier> {
    serde_json::from_str(text).ok()
}

fn flag(b: bool) -> String {
    if b { "1".into() } else { "0".into() }
}

fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

fn split_list(text: &str) -> Vec<String> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(',').map(str::to_string).collect()
    }
}

impl Records for State {
    fn fields(&self, table: Table, id: &str) -> Option<Vec<String>> {
        match table {
            Table::Leads => self.leads.get(id).map(|r| LeadSummary::of(r).fields()),
            Table::Handoffs => self
                .handoffs
                .get(id)
                .map(|r| HandoffSummary::of(r).fields()),
            Table::Feedback => self
                .feedback
                .get(id)
                .map(|r| FeedbackSummary::of(r).fields()),
            Table::Ideas => self.ideas.get(id).map(|r| IdeaSummary::of(r).fields()),
            Table::Actions => self.actions.get(id).map(|r| ActionSummary::of(r).fields()),
            Table::Goals => self.goals.get(id).map(|r| GoalSummary::of(r).fields()),
            Table::Meetings => self
                .meetings
                .get(id)
                .map(|r| MeetingSummary::of(r).fields()),
            Table::Wins => self.wins.get(id).map(|r| WinSummary::of(r).fields()),
            Table::Causal => self.causal.get(id).map(|f| vec![frontier_text(f)]),
        }
    }

    fn ids(&self, table: Table) -> Box<dyn Iterator<Item = &str> + '_> {
        match table {
            Table::Leads => Box::new(self.leads.keys().map(Text::as_str)),
            Table::Handoffs => Box::new(self.handoffs.keys().map(Text::as_str)),
            Table::Feedback => Box::new(self.feedback.keys().map(Text::as_str)),
            Table::Ideas => Box::new(self.ideas.keys().map(String::as_str)),
            Table::Actions => Box::new(self.actions.keys().map(String::as_str)),
            Table::Goals => Box::new(self.goals.keys().map(String::as_str)),
            Table::Meetings => Box::new(self.meetings.keys().map(String::as_str)),
            Table::Wins => Box::new(self.wins.keys().map(String::as_str)),
            Table::Causal => Box::new(self.causal.keys().map(Text::as_str)),
        }
    }
}

impl State {
    /// Every record's summary, grouped by table, for building the writers' index.
    pub fn summaries(&self) -> Vec<(Table, String, Vec<String>)> {
        let mut out = Vec::new();
        for l in self.leads.values() {
            out.push((Table::Leads, l.id.to_string(), LeadSummary::of(l).fields()));
        }
        for h in self.handoffs.values() {
            out.push((
                Table::Handoffs,
                h.id.to_string(),
                HandoffSummary::of(h).fields(),
            ));
        }
        for f in self.feedback.values() {
            out.push((
                Table::Feedback,
                f.id.to_string(),
                FeedbackSummary::of(f).fields(),
            ));
        }
        for i in self.ideas.values() {
            out.push((Table::Ideas, i.id.clone(), IdeaSummary::of(i).fields()));
        }
        for a in self.actions.values() {
            out.push((Table::Actions, a.id.clone(), ActionSummary::of(a).fields()));
        }
        for g in self.goals.values() {
            out.push((Table::Goals, g.id.clone(), GoalSummary::of(g).fields()));
        }
        for m in self.meetings.values() {
            out.push((
                Table::Meetings,
                m.date.to_string(),
                MeetingSummary::of(m).fields(),
            ));
        }
        for w in self.wins.values() {
            out.push((Table::Wins, w.id.clone(), WinSummary::of(w).fields()));
        }
        for (key, f) in &self.causal {
            out.push((Table::Causal, key.to_string(), vec![frontier_text(f)]));
        }
        out
    }

    /// Adds thin copies of the records `table`/`id` refers to, read from `records`
    /// (a handoff brings its lead along, since deciding it moves the lead).
    pub fn thin_from(&mut self, records: &dyn Records, table: Table, id: &str) {
        let kind = match table {
            Table::Leads => "lead",
            Table::Handoffs => "handoff",
            Table::Feedback => "feedback",
            Table::Ideas => "idea",
            Table::Actions => "action",
            Table::Goals => "goal",
            Table::Meetings => "meeting",
            Table::Wins => "win",
            Table::Causal => "",
        };
        let key = crate::model::causal::key(kind, id);
        if !kind.is_empty()
            && !self.causal.contains_key(key.as_str())
            && let Some(f) = records
                .fields(Table::Causal, &key)
                .and_then(|f| f.first().and_then(|t| frontier_from_text(t)))
        {
            self.causal.insert(key, f);
        }
        match table {
            Table::Leads => {
                if let Some(s) = records.lead(id) {
                    // Its latest handoff too: a lead won or lost closes it.
                    if let Some(h) = s.handoff.as_deref()
                        && !self.handoffs.contains_key(h)
                        && let Some(hs) = records.handoff(h)
                    {
                        self.handoffs
                            .insert(hs.id.clone().into(), Box::new(hs.to_thin()));
                    }
                    self.leads
                        .insert(s.id.clone().into(), Box::new(s.to_thin()));
                }
            }
            Table::Handoffs => {
                if let Some(s) = records.handoff(id) {
                    self.thin_from(records, Table::Leads, &s.lead);
                    self.handoffs
                        .insert(s.id.clone().into(), Box::new(s.to_thin()));
                }
            }
            Table::Feedback => {
                if let Some(s) = records.get::<FeedbackSummary>(id) {
                    self.feedback
                        .insert(s.id.clone().into(), Box::new(s.to_thin()));
                }
            }
            Table::Ideas => {
                if let Some(s) = records.get::<IdeaSummary>(id) {
                    self.ideas.insert(s.id.clone(), s.to_thin());
                }
            }
            Table::Actions => {
                if let Some(s) = records.get::<ActionSummary>(id) {
                    self.actions.insert(s.id.clone(), s.to_thin());
                }
            }
            Table::Goals => {
                if let Some(g) = records.get::<GoalSummary>(id).and_then(|s| s.to_thin()) {
                    self.goals.insert(g.id.clone(), g);
                }
            }
            Table::Meetings => {
                if let Some(m) = records.get::<MeetingSummary>(id).and_then(|s| s.to_thin()) {
                    self.meetings.insert(m.date.to_string(), m);
                }
            }
            Table::Wins => {
                if let Some(s) = records.get::<WinSummary>(id) {
                    self.wins.insert(s.id.clone(), s.to_thin());
                }
            }
            Table::Causal => {
                if let Some(f) = records
                    .fields(Table::Causal, id)
                    .and_then(|f| f.first().and_then(|t| frontier_from_text(t)))
                {
                    self.causal.insert(id.into(), f);
                }
            }
        }
    }
}
