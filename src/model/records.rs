//! The small things a team records between meetings: feedback, content ideas, wins
//! (shout-outs) and action items.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::Text;

use crate::model::time::Instant;

/// The kinds of feedback, as typed on the command line and stored in the files.
pub const FEEDBACK_CATEGORIES: [&str; 3] = ["working", "missing-the-mark", "suggestion"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: Text,
    pub at: Instant,
    /// `None` for anonymous feedback: no author is stored anywhere.
    pub by: Option<Text>,
    pub text: Text,
    /// Boxed rather than inline: 8 bytes less on every item.
    pub category: Box<str>,
    pub resolved_at: Option<Instant>,
    pub resolved_by: Option<Text>,
    /// Boxed rather than inline: often absent, and 8 bytes less on every item.
    pub resolution: Option<Box<str>>,
    /// Taken back by whoever gave it (`feedback withdraw`): out of every list.
    #[serde(default)]
    pub withdrawn: bool,
}

/// The life of a content idea.
pub const IDEA_STATUSES: [&str; 4] = ["idea", "planned", "in-progress", "published"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Idea {
    pub id: String,
    pub at: Instant,
    pub by: String,
    pub text: String,
    /// The lead whose question or objection prompted it.
    pub lead: Option<String>,
    /// The content offer that would answer it (a guide, a calculator, a case study...).
    pub offer: Option<String>,
    pub status: String,
    pub link: Option<String>,
    pub updated: Instant,
}

/// The status of an idea dropped with `idea drop`: out of the agenda, kept in the history.
pub const IDEA_DROPPED: &str = "dropped";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Win {
    pub id: String,
    pub at: Instant,
    pub by: String,
    pub text: String,
    /// Everyone credited, across departments.
    pub credit: Vec<String>,
    #[serde(default)]
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: String,
    pub at: Instant,
    pub by: String,
    pub text: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub done_at: Option<Instant>,
    pub done_by: Option<String>,
    /// The date of the meeting it was decided in.
    pub meeting: Option<String>,
    /// Dropped with `action cancel`: not open, not done.
    #[serde(default)]
    pub cancelled: bool,
}

/// A growth meeting, named by its date: who ran it and came, what was noted and decided,
/// and each attendee's pulse (alignment, 1 to 5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    pub date: NaiveDate,
    pub opened_at: Instant,
    pub opened_by: String,
    pub facilitator: Option<String>,
    pub attendees: Vec<String>,
    pub notes: Vec<MeetingNote>,
    pub decisions: Vec<MeetingNote>,
    /// Each attendee's latest pulse score (derived from `pulses`).
    pub pulse: Vec<(String, u8)>,
    /// Every pulse score given, oldest first: a series, every entry kept.
    pub pulses: Vec<Pulse>,
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pulse {
    pub entry: crate::model::causal::EntryId,
    pub member: String,
    pub value: u8,
    pub at: Instant,
}

impl Meeting {
    /// Each member's latest pulse, by time then entry, in member order.
    pub fn derive_pulse(&mut self) {
        let mut latest: std::collections::BTreeMap<&str, &Pulse> = Default::default();
        for p in &self.pulses {
            let e = latest.entry(p.member.as_str()).or_insert(p);
            if (p.at, p.entry) > (e.at, e.entry) {
                *e = p;
            }
        }
        self.pulse = latest
            .into_iter()
            .map(|(m, p)| (m.to_string(), p.value))
            .collect();
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingNote {
    pub entry: crate::model::causal::EntryId,
    /// The agenda section it belongs to (`celebrations`, `goals`, ...), if any.
    pub section: Option<String>,
    pub text: String,
    pub by: String,
    pub at: Instant,
}

impl Meeting {
    /// The average pulse, if anyone gave one.
    pub fn pulse_average(&self) -> Option<f64> {
        (!self.pulse.is_empty()).then(|| {
            self.pulse.iter().map(|(_, v)| f64::from(*v)).sum::<f64>() / self.pulse.len() as f64
        })
    }
}
