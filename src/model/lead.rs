//! Leads: the companies the team is working to win, and the rules for their ids.

use serde::{Deserialize, Serialize};

use thin_vec::ThinVec;

use crate::model::Text;

use crate::model::time::Instant;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// The fields marked `skip` are kept in sections of the state cache of their own (see
/// `store::cache`), so commands that never show them need not decode them.
pub struct Lead {
    pub id: Text,
    pub company: Text,
    #[serde(skip)]
    pub contact: Option<Text>,
    #[serde(skip)]
    pub email: Option<Text>,
    pub source: Option<Text>,
    pub value: Option<f64>,
    /// Boxed rather than inline: rarely set, and 8 bytes less on every lead.
    pub currency: Option<Box<str>>,
    pub owner: Option<Text>,
    #[serde(skip)]
    pub tags: ThinVec<Text>,
    pub stage: Text,
    /// Qualification criteria met so far, in the order they were met.
    pub met: ThinVec<Text>,
    #[serde(skip)]
    pub notes: ThinVec<Note>,
    pub created: Instant,
    pub created_by: Text,
    pub updated: Instant,
    /// Every stage the lead has been in, oldest first; the first is its stage at creation.
    #[serde(skip)]
    pub history: ThinVec<StageChange>,
    /// The latest handoff of the lead, if any.
    pub handoff: Option<Text>,
    /// Its record id in the CRM it was imported from: reimports match on it.
    /// Boxed: rarely set, and 8 bytes less on every lead.
    #[serde(skip)]
    pub crm_id: Option<Box<str>>,
    /// Out of lists and goals (`lead archive`), its history kept.
    #[serde(default)]
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageChange {
    pub entry: crate::model::causal::EntryId,
    pub stage: Text,
    pub at: Instant,
    pub by: Text,
    /// Boxed: often absent, and 8 bytes less on each of a million changes.
    pub reason: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub entry: crate::model::causal::EntryId,
    pub at: Instant,
    pub by: Text,
    pub text: Text,
}

impl Lead {
    /// When the lead first reached `stage`, if it ever did.
    pub fn reached(&self, stage: &str) -> Option<Instant> {
        self.history.iter().find(|c| c.stage == stage).map(|c| c.at)
    }
}

/// A readable id from a name: lowercase ASCII letters and digits joined by single dashes,
/// other scripts transliterated. "Acme Corp." becomes `acme-corp`, "Müller & Söhne GmbH"
/// becomes `muller-and-sohne-gmbh`, "İstanbul Ltd" becomes `istanbul-ltd`.
pub fn slug(name: &str) -> String {
    let visible: String = name.chars().filter(|c| !c.is_control()).collect();
    let ascii = deunicode::deunicode(&visible.replace('&', " and "));
    let mut out = String::new();
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c != '\'' {
            dash = true;
        }
    }
    out.truncate(48);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Whether `id` is a valid readable id: what `slug` produces, and nothing a path could abuse.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_with_single_dashes() {
        assert_eq!(slug("Acme Corp."), "acme-corp");
        assert_eq!(slug("  Müller & Söhne GmbH "), "muller-and-sohne-gmbh");
        assert_eq!(slug("O'Reilly Media"), "oreilly-media");
        assert_eq!(slug("İstanbul Ltd"), "istanbul-ltd");
        assert_eq!(slug("ﬁnance Ωmega"), "finance-omega");
        assert!(is_valid_id(&slug("Initech -- Labs")));
    }

    #[test]
    fn ids_that_could_escape_a_path_are_invalid() {
        for bad in ["", "../x", "a/b", "-a", "A", "a b", "a\u{1b}"] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }
}
