//! The writers' index, `.growth/cache/index.bin`: the journal file marks, the newest entry,
//! and one line per lead (`id`, stage, criteria met, company) sorted by id.
//!
//! A command that records something needs to find one lead and check one change; it should
//! not decode the whole history to do it. When every journal file still matches its mark,
//! a writer validates against this index (a binary search in one string), appends its
//! entry and updates the one line, so recording costs about the same at any size. When a
//! file changed (another clone's entries, a hand edit), it takes the full path instead.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::state::{LeadSummary, Leads, SortKey, State};
use crate::store::cache::{FileMark, content_hash};

const INDEX_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Index {
    version: u32,
    crate_version: String,
    pub config_hash: u64,
    pub files: Vec<FileMark>,
    pub last: Option<SortKey>,
    pub entries: u64,
    /// `id \t stage \t met,met \t company \n`, sorted by id; company has `\t`, `\n` and `\\`
    /// escaped.
    leads: String,
}

pub fn path(root: &Path) -> PathBuf {
    root.join(".growth").join("cache").join("index.bin")
}

impl Index {
    pub fn from_state(state: &State, config_hash: u64, files: Vec<FileMark>) -> Self {
        let mut leads = String::with_capacity(state.leads.len() * 64);
        for lead in state.leads.values() {
            push_line(&mut leads, &LeadSummary::of(lead));
        }
        Index {
            version: INDEX_VERSION,
            crate_version: env!("CARGO_PKG_VERSION").into(),
            config_hash,
            files,
            last: state.last.clone(),
            entries: state.entries,
            leads,
        }
    }

    /// The index for `config_hash`, or `None` when missing, stale or damaged.
    pub fn read(root: &Path, config_hash: u64) -> Option<Index> {
        let bytes = std::fs::read(path(root)).ok()?;
        let (sum, payload) = bytes.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*sum) != content_hash(payload) {
            return None;
        }
        let index: Index = postcard::from_bytes(payload).ok()?;
        (index.version == INDEX_VERSION
            && index.crate_version == env!("CARGO_PKG_VERSION")
            && index.config_hash == config_hash)
            .then_some(index)
    }

    /// Writes the index atomically; not fsynced, since it is derived and rebuilt when lost.
    pub fn write(&self, root: &Path) {
        if let Ok(payload) = postcard::to_allocvec(self) {
            let mut bytes = content_hash(&payload).to_le_bytes().to_vec();
            bytes.extend_from_slice(&payload);
            let _ = crate::store::atomic::write_atomic(&path(root), &bytes, false);
        }
    }

    /// Inserts or replaces the line of `lead`.
    pub fn upsert(&mut self, lead: &LeadSummary) {
        let mut line = String::new();
        push_line(&mut line, lead);
        match self.find(&lead.id) {
            Ok(range) => self.leads.replace_range(range, &line),
            Err(at) => self.leads.insert_str(at, &line),
        }
    }

    /// The byte range of `id`'s line, or where it would be inserted.
    fn find(&self, id: &str) -> Result<std::ops::Range<usize>, usize> {
        let text = self.leads.as_bytes();
        let (mut lo, mut hi) = (0usize, text.len());
        // Invariant: lo and hi are line starts; the line of `id`, if any, starts in [lo, hi).
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = text[..mid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
                .max(lo);
            let end = text[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(text.len(), |i| start + i + 1);
            let line_id = line_id(&text[start..end]);
            match line_id.cmp(id.as_bytes()) {
                std::cmp::Ordering::Equal => return Ok(start..end),
                std::cmp::Ordering::Less => lo = end,
                std::cmp::Ordering::Greater => hi = start,
            }
        }
        Err(lo)
    }
}

impl Leads for Index {
    fn summary(&self, id: &str) -> Option<LeadSummary> {
        let range = self.find(id).ok()?;
        parse_line(self.leads.get(range)?)
    }

    fn ids(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(
            self.leads
                .lines()
                .map(|l| l.split('\t').next().unwrap_or_default()),
        )
    }
}

fn line_id(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .position(|&b| b == b'\t' || b == b'\n')
        .unwrap_or(line.len());
    &line[..end]
}

fn push_line(out: &mut String, lead: &LeadSummary) {
    out.push_str(&lead.id);
    out.push('\t');
    out.push_str(&lead.stage);
    out.push('\t');
    out.push_str(&lead.met.join(","));
    out.push('\t');
    for c in lead.company.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\n');
}

fn parse_line(line: &str) -> Option<LeadSummary> {
    let mut parts = line.trim_end_matches('\n').splitn(4, '\t');
    let id = parts.next()?.to_string();
    let stage = parts.next()?.to_string();
    let met = parts.next()?;
    let met = if met.is_empty() {
        Vec::new()
    } else {
        met.split(',').map(str::to_string).collect()
    };
    let mut company = String::new();
    let mut chars = parts.next()?.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => company.push('\t'),
                Some('n') => company.push('\n'),
                Some('r') => company.push('\r'),
                Some(other) => company.push(other),
                None => {}
            }
        } else {
            company.push(c);
        }
    }
    Some(LeadSummary {
        id,
        company,
        stage,
        met,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, company: &str) -> LeadSummary {
        LeadSummary {
            id: id.into(),
            company: company.into(),
            stage: "new".into(),
            met: vec![],
        }
    }

    #[test]
    fn lines_stay_sorted_and_findable() {
        let mut index = Index::from_state(&State::default(), 0, Vec::new());
        for id in ["m", "c", "x", "a", "q", "b", "z", "n"] {
            index.upsert(&summary(id, &format!("Co\t{id}\\\n")));
        }
        let ids: Vec<&str> = index.ids().collect();
        assert_eq!(ids, ["a", "b", "c", "m", "n", "q", "x", "z"]);
        for id in ids.clone() {
            assert_eq!(
                index.summary(id),
                Some(summary(id, &format!("Co\t{id}\\\n")))
            );
        }
        assert_eq!(index.summary("d"), None);
        let mut moved = summary("n", "N");
        moved.stage = "won".into();
        moved.met = vec!["budget".into(), "need".into()];
        index.upsert(&moved);
        assert_eq!(index.summary("n"), Some(moved));
        assert_eq!(index.ids().count(), 8);
    }
}
