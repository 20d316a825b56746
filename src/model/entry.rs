//! Journal entries: one recorded change each, as written to and read from the journal.
//!
//! An entry is a flat TOML table under `[[entry]]` with `at`, `by` and `kind` plus the
//! fields its kind needs. [`RawEntry`] is what serde reads; [`Entry`] is the checked form
//! the fold applies. Each kind stores its outcome (e.g. the stage a qualification moved the
//! lead to) so the history never changes meaning when the configuration changes later.

use serde::Deserialize;

use crate::model::time::Instant;

/// An entry as written in the file, every field optional so that one missing field is
/// reported by name with its location instead of failing the whole file.
#[derive(Debug, Deserialize, Default)]
pub struct RawEntry {
    pub at: Option<toml::value::Datetime>,
    pub by: Option<String>,
    pub kind: Option<String>,
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
}

/// A checked entry: who changed what, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: Instant,
    pub by: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    LeadAdd(LeadFields),
    LeadEdit {
        lead: String,
        fields: LeadFields,
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
}

/// The kinds this version understands, as spelled in the files.
pub const KINDS: [&str; 4] = ["lead.add", "lead.edit", "lead.stage", "lead.qualify"];

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
        let by = self.by.ok_or_else(|| missing("by", "journal"))?;
        let kind = self.kind.ok_or_else(|| missing("kind", "journal"))?;
        if let Some(value) = self.value
            && (!value.is_finite() || value < 0.0)
        {
            return Err(EntryError {
                key: Some("value"),
                message: format!("`value = {value}` must be a finite amount of zero or more"),
                hint: None,
            });
        }
        let lead = self.lead;
        let need_lead = || lead.clone().ok_or_else(|| missing("lead", &kind));
        let change = match kind.as_str() {
            "lead.add" => {
                let id = need_lead()?;
                let company = self
                    .company
                    .clone()
                    .ok_or_else(|| missing("company", &kind))?;
                Change::LeadAdd(LeadFields {
                    id,
                    company: Some(company),
                    contact: self.contact,
                    email: self.email,
                    source: self.source,
                    value: self.value,
                    currency: self.currency,
                    owner: self.owner,
                    tags: self.tags,
                    stage: self.stage,
                    note: self.note,
                })
            }
            "lead.edit" => Change::LeadEdit {
                lead: need_lead()?,
                fields: LeadFields {
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
                },
                note: self.note,
            },
            "lead.stage" => Change::LeadStage {
                lead: need_lead()?,
                stage: self.stage.ok_or_else(|| missing("stage", &kind))?,
                reason: self.reason,
            },
            "lead.qualify" => Change::LeadQualify {
                lead: need_lead()?,
                met: self.met.ok_or_else(|| missing("met", &kind))?,
                stage: self.stage,
            },
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
        Ok(Entry { at, by, change })
    }
}

impl Change {
    /// The lead this change is about.
    pub fn lead_id(&self) -> &str {
        match self {
            Change::LeadAdd(f) => &f.id,
            Change::LeadEdit { lead, .. }
            | Change::LeadStage { lead, .. }
            | Change::LeadQualify { lead, .. } => lead,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Change::LeadAdd(_) => "lead.add",
            Change::LeadEdit { .. } => "lead.edit",
            Change::LeadStage { .. } => "lead.stage",
            Change::LeadQualify { .. } => "lead.qualify",
        }
    }
}
