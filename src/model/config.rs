//! The team's configuration as read from `growth.toml`: plain data with defaults.
//!
//! Every section has defaults so a `growth.toml` holding only a team name is complete;
//! `store::config` parses the file and reports problems with their line and column.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::time::{LocalTime, Weekday};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The workspace format: absent in format 1 (members in this file), 2 since members
    /// and every other record live in the journal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    pub team: Team,
    #[serde(default)]
    pub members: BTreeMap<String, Member>,
    #[serde(default)]
    pub pipeline: Pipeline,
    #[serde(default)]
    pub qualification: Qualification,
    #[serde(default)]
    pub handoff: HandoffRules,
    #[serde(default)]
    pub business_hours: BusinessHours,
    #[serde(default)]
    pub meeting: Cadence,
    #[serde(default, skip_serializing_if = "SyncRules::is_default")]
    pub sync: SyncRules,
}

/// What `growth sync` demands of incoming commits.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SyncRules {
    /// Refuse incoming commits that change the journal unless they are signed (git's SSH
    /// signing) by a key a member registered (`growth member key`).
    #[serde(default)]
    pub require_signed_commits: bool,
}

impl SyncRules {
    fn is_default(&self) -> bool {
        *self == SyncRules::default()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub name: String,
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The currency of lead values that do not name one.
    #[serde(default = "default_currency")]
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    pub department: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub leader: bool,
    /// Former members stay in the file so the history they wrote still validates.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
    /// The SSH public key they sign their git commits with, when the team requires it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    pub stages: Vec<String>,
    /// The stages the metrics and rules count on, by role.
    pub mql: String,
    pub sql: String,
    pub won: String,
    pub lost: String,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            stages: ["new", "nurture", "mql", "sql", "opportunity", "won", "lost"]
                .map(String::from)
                .to_vec(),
            mql: "mql".into(),
            sql: "sql".into(),
            won: "won".into(),
            lost: "lost".into(),
        }
    }
}

impl Pipeline {
    pub fn position(&self, stage: &str) -> Option<usize> {
        self.stages.iter().position(|s| s == stage)
    }

    pub fn is_closed(&self, stage: &str) -> bool {
        stage == self.won || stage == self.lost
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Qualification {
    pub criteria: Vec<String>,
    /// How many criteria a lead must meet to move to `advance_to`.
    pub advance_at: usize,
    pub advance_to: String,
}

impl Default for Qualification {
    fn default() -> Self {
        Qualification {
            criteria: ["budget", "authority", "need", "timeline"]
                .map(String::from)
                .to_vec(),
            advance_at: 3,
            advance_to: "mql".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HandoffRules {
    /// Business hours sales has to accept or reject a handoff.
    pub accept_within_hours: u32,
    /// Business hours sales has to make first contact after a handoff.
    pub first_contact_within_hours: u32,
    pub rejection_reasons: Vec<String>,
    /// The stage a rejected lead returns to.
    pub rejected_to: String,
}

impl Default for HandoffRules {
    fn default() -> Self {
        HandoffRules {
            accept_within_hours: 4,
            first_contact_within_hours: 8,
            rejection_reasons: [
                "not-a-fit",
                "no-budget",
                "bad-timing",
                "no-authority",
                "duplicate",
                "missing-context",
            ]
            .map(String::from)
            .to_vec(),
            rejected_to: "nurture".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    pub workdays: Vec<Weekday>,
    pub start: LocalTime,
    pub end: LocalTime,
    #[serde(default)]
    pub holidays: Vec<crate::model::time::Date>,
}

impl Default for BusinessHours {
    fn default() -> Self {
        BusinessHours {
            workdays: Weekday::workweek(),
            start: LocalTime::hm(9, 0),
            end: LocalTime::hm(17, 0),
            holidays: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub weekday: Weekday,
    pub time: LocalTime,
    pub minutes: u32,
    pub every_weeks: u32,
    /// Facilitators in rotation; empty means the team's leader runs every meeting.
    #[serde(default)]
    pub facilitators: Vec<String>,
    /// Dates with no meeting (holidays, offsites).
    #[serde(default)]
    pub skip: Vec<crate::model::time::Date>,
    /// The first meeting; "every N weeks" and the rotation count from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<crate::model::time::Date>,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            weekday: Weekday(chrono::Weekday::Mon),
            time: LocalTime::hm(10, 0),
            minutes: 45,
            every_weeks: 1,
            facilitators: Vec::new(),
            skip: Vec::new(),
            first: None,
        }
    }
}

fn default_timezone() -> String {
    "UTC".into()
}

fn default_currency() -> String {
    "USD".into()
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Config {
    pub fn member_ids(&self) -> impl Iterator<Item = &str> {
        self.members.keys().map(String::as_str)
    }

    pub fn active_member_ids(&self) -> impl Iterator<Item = &str> {
        self.members
            .iter()
            .filter(|(_, m)| m.active)
            .map(|(id, _)| id.as_str())
    }
}

/// A light check that catches typos, not a full RFC 5322 parser.
pub fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
}
