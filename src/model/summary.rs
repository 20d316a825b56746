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

/// Called with a lead's id, email and CRM id.
pub type LeadKeys<'a> = dyn FnMut(&str, Option<&str>, Option<&str>) + 'a;

/// Read access for writers; see the module docs.
pub trait Records {
    /// The index fields of record `id` in `table`.
    fn fields(&self, table: Table, id: &str) -> Option<Vec<String>>;
    /// Every id in `table`, in order.
    fn ids(&self, table: Table) -> Box<dyn Iterator<Item = &str> + '_>;
    /// Every lead's id, email and CRM id, in id order (an import matches rows on them).
    fn each_lead_key(&self, each: &mut LeadKeys<'_>) {
        for id in self.ids(Table::Leads) {
            let fields = self.fields(Table::Leads, id).unwrap_or_default();
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            if let Some(l) = LeadSummary::from_fields(id, &refs) {
                each(id, l.email.as_deref(), l.crm_id.as_deref());
            }
        }
    }
    /// The ids in `table` that start with `prefix`, in order.
    fn with_prefix(&self, table: Table, prefix: &str) -> Vec<String> {
        self.ids(table)
            .filter(|id| id.starts_with(prefix))
            .map(str::to_string)
            .collect()
    }
}

/// Every lead's id and nothing else, in order: enough to tell which lead a prefix or a
/// company names, or that none does (`lead show` on a big workspace).
pub struct LeadIds(pub Vec<String>);

impl Records for LeadIds {
    /// No fields: only whether the lead exists (`Some` of none).
    fn fields(&self, table: Table, id: &str) -> Option<Vec<String>> {
        let found =
            table == Table::Leads && self.0.binary_search_by(|x| x.as_str().cmp(id)).is_ok();
        found.then(Vec::new)
    }

    fn ids(&self, table: Table) -> Box<dyn Iterator<Item = &str> + '_> {
        let ids = if table == Table::Leads {
            &self.0[..]
        } else {
            &[]
        };
        Box::new(ids.iter().map(String::as_str))
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

/// A lead less its stage history and notes: what writers check, and what the lists show
/// (`lead list --stage S` reads its rows from the index).
#[derive(Debug, Clone, PartialEq)]
pub struct LeadSummary {
    pub id: String,
    pub company: String,
    pub stage: String,
    pub met: Vec<String>,
    /// The latest handoff of the lead.
    pub handoff: Option<String>,
    pub archived: bool,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub source: Option<String>,
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub created: Instant,
    pub created_by: String,
    pub updated: Instant,
    pub crm_id: Option<String>,
}

impl LeadSummary {
    /// A lead with just these, the rest empty (tests build records with it).
    pub fn new(id: &str, company: &str, stage: &str) -> Self {
        LeadSummary {
            id: id.into(),
            company: company.into(),
            stage: stage.into(),
            met: Vec::new(),
            handoff: None,
            archived: false,
            contact: None,
            email: None,
            source: None,
            value: None,
            currency: None,
            owner: None,
            tags: Vec::new(),
            created: Instant::default(),
            created_by: String::new(),
            updated: Instant::default(),
            crm_id: None,
        }
    }

    pub fn of(lead: &Lead) -> Self {
        let text = |t: &Option<Text>| t.as_ref().map(|t| t.to_string());
        LeadSummary {
            id: lead.id.clone().into(),
            company: lead.company.clone().into(),
            stage: lead.stage.clone().into(),
            met: lead.met.clone().into_iter().map(Into::into).collect(),
            handoff: lead.handoff.clone().map(Into::into),
            archived: lead.archived,
            contact: text(&lead.contact),
            email: text(&lead.email),
            source: text(&lead.source),
            value: lead.value,
            currency: lead.currency.as_deref().map(str::to_string),
            owner: text(&lead.owner),
            tags: lead.tags.iter().map(|t| t.to_string()).collect(),
            created: lead.created,
            created_by: lead.created_by.to_string(),
            updated: lead.updated,
            crm_id: lead.crm_id.as_deref().map(str::to_string),
        }
    }

    /// The lead, whole but for its history and notes (empty here): enough to validate a
    /// change, and every column of the lead listings but the JSON's.
    pub fn to_thin(&self) -> Lead {
        let text = |t: &Option<String>| t.as_deref().map(Text::from);
        Lead {
            id: self.id.clone().into(),
            company: self.company.clone().into(),
            contact: text(&self.contact),
            email: text(&self.email),
            source: text(&self.source),
            value: self.value,
            currency: self.currency.as_deref().map(Into::into),
            owner: text(&self.owner),
            tags: self.tags.iter().map(|t| Text::from(t.as_str())).collect(),
            stage: self.stage.clone().into(),
            met: self.met.clone().into_iter().map(Into::into).collect(),
            notes: thin_vec::ThinVec::new(),
            created: self.created,
            created_by: self.created_by.clone().into(),
            updated: self.updated,
            history: thin_vec::ThinVec::new(),
            handoff: self.handoff.clone().map(Into::into),
            crm_id: self.crm_id.as_deref().map(Into::into),
            archived: self.archived,
        }
    }
}

impl Summary for LeadSummary {
    const TABLE: Table = Table::Leads;
    fn id(&self) -> &str {
        &self.id
    }
    /// Stage first: the lists filter on it without splitting the rest.
    fn fields(&self) -> Vec<String> {
        vec![
            self.stage.clone(),
            self.met.join(","),
            self.handoff.clone().unwrap_or_default(),
            self.company.clone(),
            flag(self.archived),
            some(&self.contact),
            some(&self.email),
            some(&self.source),
            self.value.map_or_else(String::new, |v| v.to_string()),
            some(&self.currency),
            some(&self.owner),
            list(&self.tags),
            self.created.0.to_string(),
            self.created_by.clone(),
            self.updated.0.to_string(),
            some(&self.crm_id),
        ]
    }
    fn from_fields(id: &str, f: &[&str]) -> Option<Self> {
        let [
            stage,
            met,
            handoff,
            company,
            archived,
            contact,
            email,
            source,
            value,
            currency,
            owner,
            tags,
            created,
            created_by,
            updated,
            crm_id,
        ] = f
        else {
            return None;
        };
        Some(LeadSummary {
            id: id.to_string(),
            company: company.to_string(),
            stage: stage.to_string(),
            met: split_list(met),
            handoff: optional(handoff),
            archived: *archived == "1",
            contact: from_some(contact),
            email: from_some(email),
            source: from_some(source),
            value: match *value {
                "" => None,
                v => Some(v.parse().ok()?),
            },
            currency: from_some(currency),
            owner: from_some(owner),
            tags: from_list(tags)?,
            created: Instant(created.parse().ok()?),
            created_by: created_by.to_string(),
            updated: Instant(updated.parse().ok()?),
            crm_id: from_some(crm_id),
        })
    }
}

/// The lead of index fields (see [`LeadSummary::fields`]) as [`LeadSummary::to_thin`] makes
/// it, built directly: the lists decode thousands.
pub fn thin_lead(id: &str, f: &[&str]) -> Option<Lead> {
    let [
        stage,
        met,
        handoff,
        company,
        archived,
        contact,
        email,
        source,
        value,
        currency,
        owner,
        tags,
        created,
        created_by,
        updated,
        crm_id,
    ] = f
    else {
        return None;
    };
    let text = |f: &str| f.strip_prefix('=').map(Text::from);
    Some(Lead {
        id: id.into(),
        company: (*company).into(),
        contact: text(contact),
        email: text(email),
        source: text(source),
        value: match *value {
            "" => None,
            v => Some(v.parse().ok()?),
        },
        currency: currency.strip_prefix('=').map(Box::from),
        owner: text(owner),
        tags: from_list(tags)?.into_iter().map(Text::from).collect(),
        stage: (*stage).into(),
        met: if met.is_empty() {
            thin_vec::ThinVec::new()
        } else {
            met.split(',').map(Text::from).collect()
        },
        notes: thin_vec::ThinVec::new(),
        created: Instant(created.parse().ok()?),
        created_by: (*created_by).into(),
        updated: Instant(updated.parse().ok()?),
        history: thin_vec::ThinVec::new(),
        handoff: (!handoff.is_empty()).then(|| Text::from(*handoff)),
        crm_id: crm_id.strip_prefix('=').map(Box::from),
        archived: *archived == "1",
    })
}

/// A handoff, whole: what writers check, and every column of the handoff listings.
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
    pub note: Option<String>,
    pub decided_at: Option<Instant>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub reason: Option<String>,
    pub contacted_at: Option<Instant>,
    pub contacted_by: Option<String>,
}

impl HandoffSummary {
    pub fn of(h: &Handoff) -> Self {
        let text = |t: &Option<Box<str>>| t.as_deref().map(str::to_string);
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
            note: text(&h.note),
            decided_at: h.decided_at,
            decided_by: h.decided_by.as_ref().map(|t| t.to_string()),
            decision_note: text(&h.decision_note),
            reason: text(&h.reason),
            contacted_at: h.contacted_at,
            contacted_by: h.contacted_by.as_ref().map(|t| t.to_string()),
        }
    }

    pub fn to_thin(&self) -> Handoff {
        let boxed = |t: &Option<String>| t.as_deref().map(Box::from);
        Handoff {
            id: self.id.clone().into(),
            lead: self.lead.clone().into(),
            from: self.from.clone().into(),
            to: self.to.clone().into(),
            at: self.at,
            note: boxed(&self.note),
            status: self.status,
            decided_at: self.decided_at,
            decided_by: self.decided_by.as_deref().map(Text::from),
            decision_note: boxed(&self.decision_note),
            reason: boxed(&self.reason),
            contacted_at: self.contacted_at,
            contacted_by: self.contacted_by.as_deref().map(Text::from),
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
    /// Status fourth: `handoff list --pending` filters on it without splitting the rest.
    fn fields(&self) -> Vec<String> {
        let time = |t: Option<Instant>| t.map_or_else(String::new, |t| t.0.to_string());
        vec![
            self.lead.clone(),
            self.from.clone(),
            self.to.clone(),
            self.status.as_str().to_string(),
            flag(self.contacted),
            self.at.0.to_string(),
            time(self.closed),
            match &self.closed_why {
                None => String::new(),
                Some(Closure::Stage(stage)) => format!("stage:{stage}"),
                Some(Closure::Replaced(id)) => format!("handoff:{id}"),
                Some(Closure::Withdrawn) => "withdrawn:".to_string(),
            },
            flag(self.disputed),
            some(&self.note),
            time(self.decided_at),
            some(&self.decided_by),
            some(&self.decision_note),
            some(&self.reason),
            time(self.contacted_at),
            some(&self.contacted_by),
        ]
    }
    fn from_fields(id: &str, f: &[&str]) -> Option<Self> {
        let [
            lead,
            from,
            to,
            status,
            contacted,
            at,
            closed,
            why,
            disputed,
            note,
            decided_at,
            decided_by,
            decision_note,
            reason,
            contacted_at,
            contacted_by,
        ] = f
        else {
            return None;
        };
        let time = |t: &str| -> Option<Option<Instant>> {
            match t {
                "" => Some(None),
                t => Some(Some(Instant(t.parse().ok()?))),
            }
        };
        Some(HandoffSummary {
            id: id.to_string(),
            lead: lead.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            status: HandoffStatus::parse(status)?,
            contacted: *contacted == "1",
            at: Instant(at.parse().ok()?),
            closed: time(closed)?,
            closed_why: match why.split_once(':') {
                Some(("stage", stage)) => Some(Closure::Stage(stage.into())),
                Some(("handoff", id)) => Some(Closure::Replaced(id.into())),
                Some(("withdrawn", _)) => Some(Closure::Withdrawn),
                _ => None,
            },
            disputed: *disputed == "1",
            note: from_some(note),
            decided_at: time(decided_at)?,
            decided_by: from_some(decided_by),
            decision_note: from_some(decision_note),
            reason: from_some(reason),
            contacted_at: time(contacted_at)?,
            contacted_by: from_some(contacted_by),
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

/// An optional text as a field: empty for none, `=` before a text (which may be empty).
fn some(text: &Option<String>) -> String {
    text.as_ref().map_or_else(String::new, |t| format!("={t}"))
}

fn from_some(field: &str) -> Option<String> {
    field.strip_prefix('=').map(str::to_string)
}

/// A list of texts as a field (JSON: any text round-trips).
fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        serde_json::to_string(items).unwrap_or_default()
    }
}

fn from_list(field: &str) -> Option<Vec<String>> {
    if field.is_empty() {
        Some(Vec::new())
    } else {
        serde_json::from_str(field).ok()
    }
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
    /// Every record's summary, grouped by table (in `Table::ALL` order) and sorted by id
    /// within each, for building the writers' index: made one at a time as it is written,
    /// never held together (at a million entries, more than the index itself).
    pub fn summaries(&self) -> impl Iterator<Item = (Table, String, Vec<String>)> + '_ {
        let leads = self
            .leads
            .values()
            .map(|l| (Table::Leads, l.id.to_string(), LeadSummary::of(l).fields()));
        let handoffs = self.handoffs.values().map(|h| {
            let fields = HandoffSummary::of(h).fields();
            (Table::Handoffs, h.id.to_string(), fields)
        });
        let feedback = self.feedback.values().map(|f| {
            let fields = FeedbackSummary::of(f).fields();
            (Table::Feedback, f.id.to_string(), fields)
        });
        let ideas = (self.ideas.values())
            .map(|i| (Table::Ideas, i.id.clone(), IdeaSummary::of(i).fields()));
        let actions = (self.actions.values())
            .map(|a| (Table::Actions, a.id.clone(), ActionSummary::of(a).fields()));
        let goals = (self.goals.values())
            .map(|g| (Table::Goals, g.id.clone(), GoalSummary::of(g).fields()));
        let meetings = self.meetings.values().map(|m| {
            let fields = MeetingSummary::of(m).fields();
            (Table::Meetings, m.date.to_string(), fields)
        });
        let wins =
            (self.wins.values()).map(|w| (Table::Wins, w.id.clone(), WinSummary::of(w).fields()));
        let causal = (self.causal.iter())
            .map(|(key, f)| (Table::Causal, key.to_string(), vec![frontier_text(f)]));
        leads
            .chain(handoffs)
            .chain(feedback)
            .chain(ideas)
            .chain(actions)
            .chain(goals)
            .chain(meetings)
            .chain(wins)
            .chain(causal)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lead() -> Lead {
        let mut l = LeadSummary::new("acme-corp", "Acme, \"Corp\"", "mql").to_thin();
        l.contact = Some("".into());
        l.email = Some("ana@acme.example".into());
        l.value = Some(1234.5678);
        l.currency = Some("EUR".into());
        l.owner = Some("tom".into());
        l.tags = ["emea", "a,b", "tab\there"]
            .into_iter()
            .map(Text::from)
            .collect();
        l.met = ["budget", "need"].into_iter().map(Text::from).collect();
        l.created = Instant(1_700_000_000_123);
        l.updated = Instant(1_700_000_900_000);
        l.created_by = "maria".into();
        l.handoff = Some("k3f9aaaaaa".into());
        l.crm_id = Some("hs-42".into());
        l
    }

    #[test]
    fn a_lead_comes_back_from_its_index_fields_whole_but_for_history_and_notes() {
        let l = lead();
        let s = LeadSummary::of(&l);
        let fields = s.fields();
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        assert_eq!(
            LeadSummary::from_fields("acme-corp", &refs),
            Some(s.clone())
        );
        assert_eq!(thin_lead("acme-corp", &refs), Some(l.clone()));
        assert_eq!(s.to_thin(), l);
        // None and an empty text stay apart.
        let mut none = l.clone();
        none.contact = None;
        let fields = LeadSummary::of(&none).fields();
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        assert_eq!(thin_lead("acme-corp", &refs).and_then(|l| l.contact), None);
    }

    #[test]
    fn a_handoff_comes_back_from_its_index_fields_whole() {
        let h = Handoff {
            id: "k3f9aaaaaa".into(),
            lead: "acme-corp".into(),
            from: "maria".into(),
            to: "tom".into(),
            at: Instant(1_700_000_000_000),
            note: Some("CFO asked\tfor pricing\n".into()),
            status: HandoffStatus::Rejected,
            decided_at: Some(Instant(1_700_000_100_000)),
            decided_by: Some("tom".into()),
            decision_note: Some(String::new().into()),
            reason: Some("no-budget".into()),
            contacted_at: None,
            contacted_by: None,
            closed: Some(Box::new(Closed {
                at: Instant(1_700_000_200_000),
                why: Some(Closure::Stage("lost".into())),
            })),
            disputed: true,
        };
        let s = HandoffSummary::of(&h);
        let fields = s.fields();
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        let back = HandoffSummary::from_fields("k3f9aaaaaa", &refs);
        assert_eq!(back.as_ref(), Some(&s));
        assert_eq!(back.map(|b| b.to_thin()), Some(h));
    }
}
