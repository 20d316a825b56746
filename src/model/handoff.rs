//! Handoffs: marketing passes a lead to sales with the context sales needs; sales accepts
//! or rejects it (with a reason), then makes first contact. Two SLA clocks run from the
//! handoff: time to accept and time to first contact.

use serde::{Deserialize, Serialize};

use crate::model::Text;

use crate::model::config::Config;
use crate::model::sla::{Calendar, Clock};
use crate::model::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HandoffStatus {
    Pending,
    Accepted,
    Rejected,
}

impl HandoffStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HandoffStatus::Pending => "pending",
            HandoffStatus::Accepted => "accepted",
            HandoffStatus::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(HandoffStatus::Pending),
            "accepted" => Some(HandoffStatus::Accepted),
            "rejected" => Some(HandoffStatus::Rejected),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    pub id: Text,
    pub lead: Text,
    pub from: Text,
    pub to: Text,
    pub at: Instant,
    /// The context sales needs to care for the prospect.
    // Free text, often absent: boxed (16 bytes) rather than inline (24) on every handoff.
    pub note: Option<Box<str>>,
    pub status: HandoffStatus,
    pub decided_at: Option<Instant>,
    pub decided_by: Option<Text>,
    pub decision_note: Option<Box<str>>,
    /// Why it was rejected (from the configured reasons).
    pub reason: Option<Box<str>>,
    pub contacted_at: Option<Instant>,
    pub contacted_by: Option<Text>,
    /// When and why the handoff closed while still open (its lead won or lost, or handed
    /// off again): both clocks stop there and nobody owes it a decision or a contact.
    /// Rarely set: boxed, 8 bytes on every handoff.
    #[serde(default)]
    pub closed: Option<Box<Closed>>,
    /// Accepted on one clone and rejected on another (or decided twice differently): it
    /// counts as undecided until someone settles it.
    #[serde(default)]
    pub disputed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closed {
    pub at: Instant,
    /// `None` only on a writer's thin copy made from an index that did not say.
    pub why: Option<Closure>,
}

/// Why an open handoff closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Closure {
    /// Its lead reached this closed stage (won, lost).
    Stage(Text),
    /// The lead was handed off again (with `--force`): this later handoff replaced it.
    Replaced(Text),
    /// Taken back by whoever made it (`growth undo` of the handoff).
    Withdrawn,
}

impl Closure {
    /// "lead lost", "replaced by 4kq2"
    pub fn text(&self) -> String {
        match self {
            Closure::Stage(stage) => format!("lead {stage}"),
            Closure::Replaced(id) => format!("replaced by {id}"),
            Closure::Withdrawn => "withdrawn".to_string(),
        }
    }
}

/// Both SLA clocks of a handoff at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clocks {
    pub accept: Clock,
    pub contact: Clock,
}

impl Handoff {
    /// When it closed while still open, if it did.
    pub fn closed_at(&self) -> Option<Instant> {
        self.closed.as_ref().map(|c| c.at)
    }

    /// Why it closed while still open, if it did.
    pub fn closed_why(&self) -> Option<&Closure> {
        self.closed.as_ref().and_then(|c| c.why.as_ref())
    }

    pub fn clocks(&self, config: &Config, cal: &Calendar<'_>, now: Instant) -> Clocks {
        let rules = &config.handoff;
        let contact_stop = self.contact_stop();
        Clocks {
            accept: Clock::new(
                self.at,
                self.decided_at.or(self.closed_at()),
                now,
                rules.accept_within_hours,
                cal,
            ),
            contact: Clock::new(
                self.at,
                contact_stop,
                now,
                rules.first_contact_within_hours,
                cal,
            ),
        }
    }

    /// Past the SLA on either clock (a rejection after the contact deadline does not count
    /// against the contact clock).
    /// When the first-contact clock stops: a rejected handoff stops both clocks, as nobody
    /// owes it a contact any more.
    fn contact_stop(&self) -> Option<Instant> {
        match self.status {
            HandoffStatus::Rejected => self.contacted_at.or(self.decided_at),
            _ => self.contacted_at,
        }
        .or(self.closed_at())
    }

    /// [`Handoff::overdue`] of its clocks at `now`, without working out when each runs
    /// out: what ranking thousands of open handoffs needs, the clocks of the few shown
    /// worked out after.
    pub fn overdue_at(&self, config: &Config, cal: &Calendar<'_>, now: Instant) -> bool {
        let rules = &config.handoff;
        let ran = |stop: Option<Instant>, hours: u32| {
            cal.business_millis(self.at, stop.unwrap_or(now)) > i64::from(hours) * 3_600_000
        };
        ran(
            self.decided_at.or(self.closed_at()),
            rules.accept_within_hours,
        ) || (self.status != HandoffStatus::Rejected
            && ran(self.contact_stop(), rules.first_contact_within_hours))
    }

    pub fn overdue(&self, clocks: &Clocks) -> bool {
        clocks.accept.breached()
            || (self.status != HandoffStatus::Rejected && clocks.contact.breached())
    }

    /// Still owed something (a decision, or a first contact after acceptance) at `at`.
    pub fn open_at(&self, at: Instant) -> bool {
        self.at <= at
            && self.closed_at().is_none_or(|c| c > at)
            && (self.decided_at.is_none_or(|d| d > at)
                || (self.status == HandoffStatus::Accepted
                    && self.contacted_at.is_none_or(|c| c > at)))
    }

    /// Waiting for a decision now (not decided, and its lead not closed).
    pub fn pending(&self) -> bool {
        self.status == HandoffStatus::Pending && self.closed.is_none()
    }

    /// Waiting for a decision at `at`: made by then, its lead not closed by then.
    pub fn pending_at(&self, at: Instant) -> bool {
        self.at <= at
            && self.status == HandoffStatus::Pending
            && self.closed_at().is_none_or(|c| c > at)
    }

    /// Closed undecided: its lead was won or lost before anyone decided it.
    pub fn closed_undecided(&self) -> bool {
        self.status == HandoffStatus::Pending && self.closed.is_some()
    }

    /// Who may accept, reject or record contact: the receiver or a leader.
    pub fn may_decide(&self, member: &str, config: &Config) -> bool {
        member == self.to || config.members.get(member).is_some_and(|m| m.leader)
    }
}
