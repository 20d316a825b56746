//! Causality and merging by meaning: entry ids, each record's frontier, and the registers
//! whose concurrent values are conflicts.
//!
//! Every entry has an id (`entry = "…"` in the file; entries written before format 2 get
//! one derived from their file and position). An entry that changes a record names, in
//! `after`, the record's *frontier* as its writer saw it: the heads (entries on the record
//! no later entry names) and the live candidates of every field it sets. Folding an entry
//! removes what it names and adds itself, so
//! - a field changed by two entries that did not see each other keeps both candidates: if
//!   their values differ that is a conflict, listed until an entry naming both settles it;
//! - the result does not depend on the order concurrent entries are folded in, only on
//!   every entry coming after the entries it names. That is what makes clones that
//!   exchange their entries converge.
//!
//! Entries of format 1 carry no `after`; they are folded first, in their old time order,
//! each one superseding everything before it, which is what format 1 meant.

use serde::{Deserialize, Serialize};

use crate::model::Text;
use crate::model::time::Instant;

/// An entry's id: 60 bits, written as 12 characters of lowercase Crockford base32.
pub type EntryId = u64;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const ID_CHARS: usize = 12;
const ID_MASK: u64 = (1 << 60) - 1;

pub fn format_id(id: EntryId) -> String {
    (0..ID_CHARS)
        .rev()
        .map(|i| ALPHABET[((id >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Each byte's value in [`ALPHABET`], or `NOT_A_DIGIT`: ids are parsed a million times in a
/// cold load (every `entry` and `after`), a search of the alphabet per character showed.
const DIGITS: [u8; 256] = {
    let mut digits = [NOT_A_DIGIT; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        digits[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    digits
};
const NOT_A_DIGIT: u8 = 0xff;

pub fn parse_id(text: &str) -> Option<EntryId> {
    if text.len() != ID_CHARS {
        return None;
    }
    text.bytes()
        .try_fold(0u64, |acc, b| match DIGITS[b as usize] {
            NOT_A_DIGIT => None,
            v => Some((acc << 5) | u64::from(v)),
        })
}

/// A fresh random entry id: two clones writing a million entries each collide with odds
/// under one in a million.
pub fn new_id() -> EntryId {
    thread_local! {
        /// Random bytes drawn 32 ids at a time: a million-row import draws a million ids,
        /// and a system call for each was 4% of its time.
        static POOL: std::cell::RefCell<([u8; 256], usize)> =
            const { std::cell::RefCell::new(([0; 256], 256)) };
    }
    let drawn = POOL.with(|pool| {
        let (bytes, used) = &mut *pool.borrow_mut();
        if *used + 8 > bytes.len() {
            getrandom::fill(bytes).ok()?;
            *used = 0;
        }
        let id = <[u8; 8]>::try_from(&bytes[*used..*used + 8]).ok()?;
        *used += 8;
        Some(u64::from_le_bytes(id))
    });
    let id = drawn.unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        nanos ^ (u64::from(std::process::id()) << 40)
    });
    id & ID_MASK
}

/// The id of a format-1 entry, which has none written: derived from where it is, so every
/// clone derives the same one.
pub fn legacy_id(rel: &str, index: u32) -> EntryId {
    let mut key = rel.as_bytes().to_vec();
    key.extend_from_slice(&index.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&key) & ID_MASK
}

/// A derived id from any text (migrated members), the same on every clone.
pub fn derived_id(text: &str) -> EntryId {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) & ID_MASK
}

/// One value a field holds, and the entry that set it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub entry: EntryId,
    pub value: Text,
    pub by: Text,
    pub at: Instant,
    /// What came with the value and does not make a conflict when it differs (a note).
    #[serde(default)]
    pub detail: Option<Box<str>>,
}

/// A field of a record changed since its creation: its live candidates (one, unless
/// concurrent entries set different values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub field: Text,
    pub candidates: Vec<Candidate>,
}

impl Register {
    /// Whether the candidates disagree: a conflict someone must settle.
    pub fn conflicted(&self) -> bool {
        self.candidates
            .iter()
            .any(|c| c.value != self.candidates[0].value)
    }

    /// The candidate reports use while a conflict stands: the latest by time, then id.
    pub fn pick(&self) -> Option<&Candidate> {
        self.candidates.iter().max_by_key(|c| (c.at, c.entry))
    }
}

/// What an entry setting a field needs to know of the field's earlier state.
#[derive(Debug, Clone, Copy)]
pub struct Setter<'a> {
    pub entry: EntryId,
    /// `None` for a format-1 entry: it supersedes every candidate.
    pub after: Option<&'a [EntryId]>,
    pub by: &'a str,
    pub at: Instant,
}

impl Setter<'_> {
    fn names(&self, id: EntryId) -> bool {
        self.after.is_none_or(|after| after.contains(&id))
    }

    /// Whether `id` is superseded by this entry; a writer's own entry (no `after` yet)
    /// supersedes all it sees and notes each in `trace`, which becomes its `after`.
    fn supersedes(&self, id: EntryId, trace: &mut Vec<EntryId>) -> bool {
        if id == self.entry || !self.names(id) {
            return false;
        }
        if self.after.is_none() && !trace.contains(&id) {
            trace.push(id);
        }
        true
    }
}

/// The causal state of one record.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Frontier {
    /// The entries that created it: more than one when two clones created the same id.
    pub created: Vec<EntryId>,
    /// The entries on the record that no later entry names.
    pub heads: Vec<EntryId>,
    /// The fields set since creation (a field not here still holds its creation value).
    pub registers: Vec<Register>,
}

impl Frontier {
    /// Every entry a writer changing `fields` of this record must name.
    pub fn after_for(&self, fields: &[&str], out: &mut Vec<EntryId>) {
        let mut push = |id: EntryId| {
            if !out.contains(&id) {
                out.push(id);
            }
        };
        for &h in &self.heads {
            push(h);
        }
        for field in fields {
            match self.register(field) {
                Some(r) => r.candidates.iter().for_each(|c| push(c.entry)),
                None => self.created.iter().for_each(|&c| push(c)),
            }
        }
    }

    /// Folds one entry on the record into the heads.
    pub fn touch(&mut self, s: &Setter, trace: &mut Vec<EntryId>) {
        self.heads.retain(|&h| !s.supersedes(h, trace));
        if !self.heads.contains(&s.entry) {
            room_for_one(&mut self.heads);
            self.heads.push(s.entry);
            self.heads.sort_unstable();
        }
    }

    /// Folds an entry setting `field` to `value`. `current` is the value the record holds
    /// now, which a field never set since creation got from its creator(s). Returns the
    /// register afterwards.
    pub fn set(
        &mut self,
        field: &str,
        value: &str,
        detail: Option<&str>,
        s: &Setter,
        current: Option<Candidate>,
        trace: &mut Vec<EntryId>,
    ) -> &Register {
        let i = match self
            .registers
            .binary_search_by(|r| r.field.as_str().cmp(field))
        {
            Ok(i) => i,
            Err(i) => {
                if s.after.is_none() {
                    // A writer's first change of a field supersedes its creation value.
                    for &c in &self.created {
                        if !trace.contains(&c) {
                            trace.push(c);
                        }
                    }
                }
                room_for_one(&mut self.registers);
                self.registers.insert(
                    i,
                    Register {
                        field: field.into(),
                        candidates: current.into_iter().collect(),
                    },
                );
                i
            }
        };
        let r = &mut self.registers[i];
        r.candidates.retain(|c| !s.supersedes(c.entry, trace));
        if !r.candidates.iter().any(|c| c.entry == s.entry) {
            room_for_one(&mut r.candidates);
            r.candidates.push(Candidate {
                entry: s.entry,
                value: value.into(),
                by: s.by.into(),
                at: s.at,
                detail: detail.map(Box::from),
            });
            r.candidates.sort_by_key(|c| (c.at, c.entry));
        }
        r
    }

    pub fn register(&self, field: &str) -> Option<&Register> {
        self.registers
            .binary_search_by(|r| r.field.as_str().cmp(field))
            .ok()
            .map(|i| &self.registers[i])
    }

    /// Adds registers for fields that have none yet, keeping them sorted by field.
    pub fn add_registers(&mut self, registers: Vec<Register>) {
        for r in registers {
            if let Err(i) = self
                .registers
                .binary_search_by(|x| x.field.as_str().cmp(&r.field))
            {
                self.registers.insert(i, r);
            }
        }
    }

    /// Whether `field` is conflicted.
    pub fn conflicted(&self, field: &str) -> bool {
        self.register(field).is_some_and(Register::conflicted)
    }

    /// Every entry id this frontier refers to.
    pub fn ids(&self) -> impl Iterator<Item = EntryId> + '_ {
        self.created.iter().chain(&self.heads).copied().chain(
            self.registers
                .iter()
                .flat_map(|r| r.candidates.iter().map(|c| c.entry)),
        )
    }
}

/// Makes room for one more element in a frontier's vector, exactly while it is short: most
/// records have one creator, one or two heads, a register or two of one or two candidates,
/// and a `Vec`'s first push reserves four (a million records' frontiers were half spare
/// room). Past four it grows as usual.
pub fn room_for_one<T>(v: &mut Vec<T>) {
    if v.len() == v.capacity() && v.len() < 4 {
        v.reserve_exact(1);
    }
}

/// The key of a record in the causal map: `lead/acme-corp`, `handoff/7k2m9xq3ab`, ...
pub fn key(kind: &str, id: &str) -> Text {
    let mut k = Text::with_capacity(kind.len() + 1 + id.len());
    k.push_str(kind);
    k.push('/');
    k.push_str(id);
    k
}

/// Splits a record key into its kind and id.
pub fn split_key(key: &str) -> (&str, &str) {
    key.split_once('/').unwrap_or(("", key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setter(entry: EntryId, after: &[EntryId], at: i64) -> (EntryId, Vec<EntryId>, i64) {
        (entry, after.to_vec(), at)
    }

    fn apply(f: &mut Frontier, (entry, after, at): &(EntryId, Vec<EntryId>, i64), v: &str) {
        let s = Setter {
            entry: *entry,
            after: Some(after),
            by: "m",
            at: Instant(*at),
        };
        f.touch(&s, &mut Vec::new());
        f.set("stage", v, None, &s, None, &mut Vec::new());
    }

    #[test]
    fn ids_round_trip_through_text() {
        for id in [0, 1, ID_MASK, new_id(), legacy_id("journal/x.toml", 3)] {
            assert_eq!(parse_id(&format_id(id)), Some(id));
        }
        assert_eq!(parse_id("short"), None);
        assert_eq!(parse_id("iiiiiiiiiiii"), None, "i is not in the alphabet");
        for b in 0..=255u8 {
            let text = format!("00000000000{}", b as char);
            let digit = ALPHABET.iter().position(|&c| c == b).map(|v| v as u64);
            assert_eq!(parse_id(&text), digit, "byte {b}");
        }
    }

    #[test]
    fn concurrent_sets_conflict_in_any_order_and_a_later_set_settles_them() {
        let a = setter(1, &[], 10);
        let b = setter(2, &[1], 20);
        let c = setter(3, &[1], 15);
        let mut one = Frontier::default();
        let mut two = Frontier::default();
        for (e, v) in [(&a, "new"), (&b, "sql"), (&c, "lost")] {
            apply(&mut one, e, v);
        }
        for (e, v) in [(&a, "new"), (&c, "lost"), (&b, "sql")] {
            apply(&mut two, e, v);
        }
        assert_eq!(one, two);
        assert!(one.conflicted("stage"));
        assert_eq!(
            one.register("stage")
                .and_then(Register::pick)
                .map(|c| c.entry),
            Some(2)
        );
        let mut after = Vec::new();
        one.after_for(&["stage"], &mut after);
        apply(&mut one, &setter(4, &after, 30), "sql");
        assert!(!one.conflicted("stage"));
        assert_eq!(one.heads, [4]);
    }

    #[test]
    fn concurrent_sets_of_the_same_value_are_no_conflict() {
        let mut f = Frontier::default();
        apply(&mut f, &setter(1, &[], 10), "won");
        apply(&mut f, &setter(2, &[], 11), "won");
        assert!(!f.conflicted("stage"));
        assert_eq!(f.heads, [1, 2]);
    }
}
