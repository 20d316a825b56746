//! The current state of the workspace: a fold over every journal entry in time order.
//!
//! `apply` is the only way state changes, so the loader and the writers share one set of
//! rules: a writer applies its new entry to the loaded state first and writes nothing if
//! the entry is refused.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Text;
use crate::model::config::Config;
use crate::model::entry::{Change, Entry, LeadFields};
use crate::model::goal::Goal;
use crate::model::handoff::{Closed, Closure, Handoff};
use crate::model::lead::{Lead, Note, StageChange, is_valid_id};
use crate::model::records::{Action, Feedback, Idea, Win};
use crate::model::time::Instant;
use thin_vec::ThinVec;

/// Where an entry sorts in the fold: by time, then file, then position in the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct SortKey {
    pub at: Instant,
    pub file: String,
    pub index: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    // Boxed: a map node then holds pointers rather than 400-byte records, so the maps of a
    // large workspace stay small and the cache builds them without a second copy.
    pub leads: BTreeMap<Text, Box<Lead>>,
    pub handoffs: BTreeMap<Text, Box<Handoff>>,
    pub feedback: BTreeMap<Text, Box<Feedback>>,
    pub ideas: BTreeMap<String, Idea>,
    pub wins: BTreeMap<String, Win>,
    pub actions: BTreeMap<String, Action>,
    pub goals: BTreeMap<String, Goal>,
    /// Meetings by date (`2026-11-30`).
    pub meetings: BTreeMap<String, crate::model::records::Meeting>,
    /// The last entry applied; new entries that sort after it can be applied incrementally.
    pub last: Option<SortKey>,
    pub entries: u64,
}

/// The end of the message for a change to a record not created earlier; after an
/// unreadable entry these are often its echoes, so the loader can leave them out.
pub const NOT_BEFORE: &str = "is not recorded before this entry";

/// Why an entry cannot be applied: the key it is about and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub key: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

pub(crate) fn refuse(key: &'static str, message: String) -> Refusal {
    Refusal {
        key,
        message,
        hint: None,
    }
}

impl State {
    /// The newest moment recorded; writers stamp new entries after it so causality holds
    /// even when clocks disagree or time is frozen with `--today`.
    pub fn latest(&self) -> Option<Instant> {
        self.last.as_ref().map(|k| k.at)
    }

    /// The moment a report is "as of": `now`, or the newest entry when that is at most a
    /// minute later. Writers stamp entries just after the newest one (causality), so with a
    /// frozen `--today`, or a clock a little behind another clone's, what was just recorded
    /// may sit a few milliseconds past `now`; it still counts as recorded by now.
    pub fn as_of(&self, now: Instant) -> Instant {
        match self.latest() {
            Some(latest) if latest > now && latest.0 - now.0 <= 60_000 => latest,
            _ => now,
        }
    }

    pub fn apply(&mut self, entry: &Entry, config: &Config) -> Result<(), Refusal> {
        if !entry.change.is_anonymous() {
            check_member(config, "by", &entry.by)?;
        }
        match &entry.change {
            Change::LeadAdd(fields) => self.add_lead(entry, fields, config),
            Change::LeadEdit { lead, fields, note } => {
                check_fields(fields, config)?;
                let lead = self.lead_mut(lead)?;
                merge_fields(lead, fields, true);
                if let Some(text) = note {
                    lead.notes.push(Note {
                        at: entry.at,
                        by: entry.by.clone().into(),
                        text: text.clone().into(),
                    });
                }
                lead.updated = entry.at;
                Ok(())
            }
            Change::LeadStage {
                lead,
                stage,
                reason,
            } => {
                check_stage(config, stage)?;
                let lead = self.lead_mut(lead)?;
                set_stage(lead, stage, entry, reason.clone());
                let handoff = lead.handoff.clone();
                if config.pipeline.is_closed(stage) {
                    let why = Closure::Stage(stage.as_str().into());
                    self.close_handoff(handoff.as_deref(), entry.at, why);
                }
                Ok(())
            }
            Change::LeadQualify { lead, met, stage } => {
                for criterion in met {
                    if !config.qualification.criteria.contains(criterion) {
                        return Err(Refusal {
                            key: "met",
                            message: format!("unknown qualification criterion `{criterion}`"),
                            hint: Some(format!(
                                "the criteria are: {}",
                                config.qualification.criteria.join(", ")
                            )),
                        });
                    }
                }
                if let Some(stage) = stage {
                    check_stage(config, stage)?;
                }
                let lead = self.lead_mut(lead)?;
                for criterion in met {
                    if !lead.met.iter().any(|m| m == criterion) {
                        lead.met.push(criterion.clone().into());
                    }
                }
                match stage {
                    Some(stage) => set_stage(lead, stage, entry, Some("qualified".into())),
                    None => lead.updated = entry.at,
                }
                Ok(())
            }
            _ => self.apply_record(entry, config),
        }
    }

    /// A lead won or lost, or handed off again, closes its open handoff: nobody owes it a
    /// decision or a contact.
    pub(crate) fn close_handoff(&mut self, handoff: Option<&str>, at: Instant, why: Closure) {
        if let Some(h) = handoff.and_then(|id| self.handoffs.get_mut(id))
            && h.closed.is_none()
            && h.open_at(at)
        {
            h.closed = Some(Box::new(Closed { at, why: Some(why) }));
        }
    }

    fn add_lead(
        &mut self,
        entry: &Entry,
        fields: &LeadFields,
        config: &Config,
    ) -> Result<(), Refusal> {
        if !is_valid_id(&fields.id) {
            return Err(Refusal {
                key: "lead",
                message: format!("`{}` is not a valid lead id", fields.id),
                hint: Some(
                    "ids are lowercase letters, digits and single dashes, like `acme-corp`".into(),
                ),
            });
        }
        check_fields(fields, config)?;
        let stage = fields
            .stage
            .clone()
            .unwrap_or_else(|| config.pipeline.stages[0].clone());
        check_stage(config, &stage)?;
        if let Some(existing) = self.leads.get_mut(fields.id.as_str()) {
            // Two clones added the same company: keep one lead, fill in what the first lacked.
            merge_fields(existing, fields, false);
            return Ok(());
        }
        let lead = Lead {
            id: fields.id.clone().into(),
            company: fields.company.clone().unwrap_or_default().into(),
            contact: fields.contact.clone().map(Into::into),
            email: fields.email.clone().map(Into::into),
            source: fields.source.clone().map(Into::into),
            value: fields.value,
            currency: fields.currency.clone().map(Into::into),
            owner: fields.owner.clone().map(Into::into),
            tags: fields
                .tags
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            stage: stage.clone().into(),
            met: ThinVec::new(),
            notes: fields
                .note
                .iter()
                .map(|text| Note {
                    at: entry.at,
                    by: entry.by.clone().into(),
                    text: text.clone().into(),
                })
                .collect(),
            // An import carries the CRM's creation time; it counts for "leads created".
            created: fields.created.unwrap_or(entry.at).min(entry.at),
            created_by: entry.by.clone().into(),
            updated: entry.at,
            history: thin_vec::thin_vec![StageChange {
                stage: stage.into(),
                at: fields.created.unwrap_or(entry.at).min(entry.at),
                by: entry.by.clone().into(),
                reason: None,
            }],
            handoff: None,
            crm_id: fields.crm_id.clone().map(Into::into),
        };
        self.leads.insert(lead.id.clone(), Box::new(lead));
        Ok(())
    }

    pub(crate) fn lead_mut(&mut self, id: &str) -> Result<&mut Lead, Refusal> {
        self.leads
            .get_mut(id)
            .map(|l| &mut **l)
            .ok_or_else(|| Refusal {
                key: "lead",
                message: format!("lead `{id}` {NOT_BEFORE}"),
                hint: Some("a `lead.add` entry for it must come earlier in time".into()),
            })
    }
}

pub(crate) fn set_stage(lead: &mut Lead, stage: &str, entry: &Entry, reason: Option<String>) {
    if lead.stage != stage {
        lead.stage = stage.to_string().into();
        lead.history.push(StageChange {
            stage: stage.to_string().into(),
            at: entry.at,
            by: entry.by.clone().into(),
            reason: reason.map(Into::into),
        });
    }
    lead.updated = entry.at;
}

/// Copies the set fields onto `lead`; `overwrite` false only fills what is missing.
fn merge_fields(lead: &mut Lead, f: &LeadFields, overwrite: bool) {
    fn put<T: Clone, U: Clone + Into<T>>(slot: &mut Option<T>, new: &Option<U>, overwrite: bool) {
        if new.is_some() && (overwrite || slot.is_none()) {
            *slot = new.clone().map(Into::into);
        }
    }
    if let Some(company) = &f.company
        && overwrite
    {
        lead.company = company.into();
    }
    put(&mut lead.contact, &f.contact, overwrite);
    put(&mut lead.email, &f.email, overwrite);
    put(&mut lead.source, &f.source, overwrite);
    put(&mut lead.value, &f.value, overwrite);
    put(&mut lead.currency, &f.currency, overwrite);
    put(&mut lead.owner, &f.owner, overwrite);
    put(&mut lead.crm_id, &f.crm_id, overwrite);
    if let Some(tags) = &f.tags {
        if overwrite {
            lead.tags = tags.iter().map(Text::from).collect();
        } else {
            for tag in tags {
                if !lead.tags.iter().any(|t| t == tag) {
                    lead.tags.push(tag.clone().into());
                }
            }
        }
    }
}

fn check_fields(f: &LeadFields, config: &Config) -> Result<(), Refusal> {
    if let Some(owner) = &f.owner {
        check_member(config, "owner", owner)?;
    }
    if let Some(company) = &f.company
        && company.trim().is_empty()
    {
        return Err(refuse("company", "the company name is empty".into()));
    }
    Ok(())
}

pub(crate) fn check_member(config: &Config, key: &'static str, id: &str) -> Result<(), Refusal> {
    if config.members.contains_key(id) {
        return Ok(());
    }
    let matches = crate::error::close_matches(id, config.member_ids());
    Err(Refusal {
        key,
        message: format!("unknown member `{id}`"),
        hint: Some(if matches.is_empty() {
            "members are listed under [members] in growth.toml; add one with `growth member add`"
                .into()
        } else {
            format!("did you mean `{}`?", matches.join("` or `"))
        }),
    })
}

pub(crate) fn check_stage(config: &Config, stage: &str) -> Result<(), Refusal> {
    if config.pipeline.position(stage).is_some() {
        return Ok(());
    }
    Err(Refusal {
        key: "stage",
        message: format!("unknown stage `{stage}`"),
        hint: Some(format!(
            "the stages in growth.toml are: {}",
            config.pipeline.stages.join(", ")
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::{Member, Team};

    fn config() -> Config {
        let mut members = BTreeMap::new();
        for id in ["maria", "tom"] {
            let m = Member {
                name: id.into(),
                department: "sales".into(),
                email: None,
                leader: false,
                active: true,
            };
            members.insert(id.to_string(), m);
        }
        Config {
            team: Team {
                name: "T".into(),
                timezone: "UTC".into(),
                currency: "USD".into(),
            },
            members,
            pipeline: Default::default(),
            qualification: Default::default(),
            handoff: Default::default(),
            business_hours: Default::default(),
            meeting: Default::default(),
        }
    }

    fn entry(at: i64, by: &str, change: Change) -> Entry {
        Entry {
            at: Instant(at),
            by: by.into(),
            change,
        }
    }

    fn add(id: &str, contact: Option<&str>) -> Change {
        Change::LeadAdd(LeadFields {
            id: id.into(),
            company: Some(id.to_uppercase()),
            contact: contact.map(String::from),
            ..LeadFields::default()
        })
    }

    #[test]
    fn the_same_lead_added_on_two_clones_becomes_one_lead() {
        let cfg = config();
        let mut state = State::default();
        state
            .apply(&entry(1, "maria", add("acme", None)), &cfg)
            .unwrap_or_else(|r| panic!("{r:?}"));
        state
            .apply(&entry(2, "tom", add("acme", Some("Jane"))), &cfg)
            .unwrap_or_else(|r| panic!("{r:?}"));
        assert_eq!(state.leads.len(), 1);
        assert_eq!(state.leads["acme"].contact.as_deref(), Some("Jane"));
        assert_eq!(state.leads["acme"].created_by, "maria");
    }

    #[test]
    fn changes_to_unknown_leads_stages_or_members_are_refused() {
        let cfg = config();
        let mut state = State::default();
        let stage = |lead: &str, stage: &str| Change::LeadStage {
            lead: lead.into(),
            stage: stage.into(),
            reason: None,
        };
        assert_eq!(
            state
                .apply(&entry(1, "maria", stage("acme", "won")), &cfg)
                .map_err(|r| r.key),
            Err("lead")
        );
        assert!(
            state
                .apply(&entry(2, "maria", add("acme", None)), &cfg)
                .is_ok()
        );
        assert_eq!(
            state
                .apply(&entry(3, "maria", stage("acme", "wonn")), &cfg)
                .map_err(|r| r.key),
            Err("stage")
        );
        assert_eq!(
            state
                .apply(&entry(4, "mario", stage("acme", "won")), &cfg)
                .map_err(|r| r.key),
            Err("by")
        );
        assert!(
            state
                .apply(&entry(5, "tom", stage("acme", "won")), &cfg)
                .is_ok()
        );
        let history: Vec<&str> = state.leads["acme"]
            .history
            .iter()
            .map(|h| h.stage.as_str())
            .collect();
        assert_eq!(history, ["new", "won"]);
    }

    #[test]
    fn qualification_adds_criteria_and_records_the_stage_it_moved_to() {
        let cfg = config();
        let mut state = State::default();
        assert!(
            state
                .apply(&entry(1, "maria", add("acme", None)), &cfg)
                .is_ok()
        );
        let q = |met: &[&str], stage: Option<&str>| Change::LeadQualify {
            lead: "acme".into(),
            met: met.iter().map(|s| s.to_string()).collect(),
            stage: stage.map(String::from),
        };
        assert!(
            state
                .apply(&entry(2, "maria", q(&["budget", "need"], None)), &cfg)
                .is_ok()
        );
        assert!(
            state
                .apply(
                    &entry(3, "maria", q(&["need", "timeline"], Some("mql"))),
                    &cfg
                )
                .is_ok()
        );
        let lead = &state.leads["acme"];
        assert_eq!(lead.met, ["budget", "need", "timeline"]);
        assert_eq!(lead.stage, "mql");
        assert_eq!(lead.reached("mql"), Some(Instant(3)));
        assert_eq!(
            state
                .apply(&entry(4, "maria", q(&["cash"], None)), &cfg)
                .map_err(|r| r.key),
            Err("met")
        );
    }
}

#[cfg(test)]
mod sizes {
    /// A workspace of a million entries holds hundreds of thousands of these: each one is
    /// kept at or under an allocator size class (320, 256 and 160 bytes), so a field added
    /// carelessly shows up here rather than as 20% more memory at scale.
    #[test]
    fn records_held_by_the_hundred_thousand_stay_small() {
        use std::mem::size_of;
        assert!(
            size_of::<crate::model::lead::Lead>() <= 320,
            "{}",
            size_of::<crate::model::lead::Lead>()
        );
        assert!(
            size_of::<crate::model::handoff::Handoff>() <= 256,
            "{}",
            size_of::<crate::model::handoff::Handoff>()
        );
        assert!(
            size_of::<crate::model::records::Feedback>() <= 160,
            "{}",
            size_of::<crate::model::records::Feedback>()
        );
        assert!(size_of::<crate::model::lead::StageChange>() <= 80);
    }
}
