//! The writers' index, `.growth/cache/index.bin`: the journal file marks, the newest entry,
//! and per kind of record one sorted line per record with the fields writers check
//! (`model::summary`).
//!
//! A command that records something needs to find one lead and check one change; it should
//! not decode the whole history to do it. When every journal file still matches its mark,
//! a writer validates against this index (a binary search in one string per table),
//! appends its entry and updates the lines it changed, so recording costs about the same at any size. When a
//! file changed (another clone's entries, a hand edit), it takes the full path instead.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::state::{SortKey, State};
use crate::model::summary::{Records, Table};
use crate::store::cache::{FileMark, content_hash};

const INDEX_VERSION: u32 = 3;

#[derive(Debug, Serialize, Deserialize)]
pub struct Index {
    version: u32,
    crate_version: String,
    pub config_hash: u64,
    pub files: Vec<FileMark>,
    pub last: Option<SortKey>,
    pub entries: u64,
    /// Per table (in `Table::ALL` order): one line per record, `id \t field \t field ...\n`,
    /// sorted by id, with `\t`, `\n`, `\r` and `\\` escaped in fields.
    tables: Vec<String>,
}

pub fn path(root: &Path) -> PathBuf {
    root.join(".growth").join("cache").join("index.bin")
}

impl Index {
    pub fn from_state(state: &State, config_hash: u64, files: Vec<FileMark>) -> Self {
        let mut tables = vec![String::new(); Table::ALL.len()];
        // `summaries` comes grouped by table and sorted by id within each.
        for (table, id, fields) in state.summaries() {
            push_line(&mut tables[table as usize], &id, &fields);
        }
        Index {
            version: INDEX_VERSION,
            crate_version: env!("CARGO_PKG_VERSION").into(),
            config_hash,
            files,
            last: state.last.clone(),
            entries: state.entries,
            tables,
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
            && index.config_hash == config_hash
            && index.tables.len() == Table::ALL.len())
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

    /// Inserts or replaces the line of record `id` in `table`.
    pub fn upsert(&mut self, table: Table, id: &str, fields: &[String]) {
        let mut line = String::new();
        push_line(&mut line, id, fields);
        let text = &mut self.tables[table as usize];
        match find(text, id) {
            Ok(range) => text.replace_range(range, &line),
            Err(at) => text.insert_str(at, &line),
        }
    }

    /// Copies every record of `state` (a thin state after a write) into the index.
    pub fn upsert_all(&mut self, state: &State) {
        for (table, id, fields) in state.summaries() {
            self.upsert(table, &id, &fields);
        }
    }
}

/// The byte range of `id`'s line in `text`, or where it would be inserted.
fn find(text: &str, id: &str) -> Result<std::ops::Range<usize>, usize> {
    let bytes = text.as_bytes();
    let (mut lo, mut hi) = (0usize, bytes.len());
    // Invariant: lo and hi are line starts; the line of `id`, if any, starts in [lo, hi).
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes[..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
            .max(lo);
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i + 1);
        match line_id(&bytes[start..end]).cmp(id.as_bytes()) {
            std::cmp::Ordering::Equal => return Ok(start..end),
            std::cmp::Ordering::Less => lo = end,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    Err(lo)
}

impl Records for Index {
    fn fields(&self, table: Table, id: &str) -> Option<Vec<String>> {
        let text = &self.tables[table as usize];
        let range = find(text, id).ok()?;
        let line = text.get(range)?.trim_end_matches('\n');
        Some(line.split('\t').skip(1).map(unescape).collect())
    }

    fn ids(&self, table: Table) -> Box<dyn Iterator<Item = &str> + '_> {
        Box::new(
            self.tables[table as usize]
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

fn push_line(out: &mut String, id: &str, fields: &[String]) {
    out.push_str(id);
    for field in fields {
        out.push('\t');
        for c in field.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    }
    out.push('\n');
}

fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::summary::{LeadSummary, Summary};

    fn summary(id: &str, company: &str) -> LeadSummary {
        LeadSummary {
            id: id.into(),
            company: company.into(),
            stage: "new".into(),
            met: vec![],
            handoff: None,
        }
    }

    #[test]
    fn lines_stay_sorted_and_findable() {
        let mut index = Index::from_state(&State::default(), 0, Vec::new());
        for id in ["m", "c", "x", "a", "q", "b", "z", "n"] {
            let s = summary(id, &format!("Co\t{id}\\\n"));
            index.upsert(Table::Leads, id, &s.fields());
        }
        let ids: Vec<String> = index.ids(Table::Leads).map(String::from).collect();
        assert_eq!(ids, ["a", "b", "c", "m", "n", "q", "x", "z"]);
        let records: &dyn Records = &index;
        for id in &ids {
            assert_eq!(
                records.lead(id),
                Some(summary(id, &format!("Co\t{id}\\\n")))
            );
        }
        assert_eq!(records.lead("d"), None);
        assert_eq!(records.handoff("a"), None);
        let mut moved = summary("n", "N");
        moved.stage = "won".into();
        moved.met = vec!["budget".into(), "need".into()];
        moved.handoff = Some("h1234".into());
        index.upsert(Table::Leads, "n", &moved.fields());
        let records: &dyn Records = &index;
        assert_eq!(records.lead("n"), Some(moved));
        assert_eq!(index.ids(Table::Leads).count(), 8);
    }
}
