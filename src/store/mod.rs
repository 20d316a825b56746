//! The only code that touches the workspace on disk.
//!
//! Layout of a workspace:
//! - `growth.toml`: the team's configuration, edited in place (comments survive);
//! - `journal/YYYY-MM/<author>-<device>.toml`: the append-only journal of every change;
//! - `.growth/` (git-ignored): the lock, this clone's device id and the derived cache.
//!
//! Every write goes through [`Workspace::record`] or [`Workspace::edit_config`]: take the
//! lock, load and validate everything, apply the change to the state (refused changes write
//! nothing), then replace the one file atomically.

pub mod atomic;
pub mod audit;
pub mod cache;
pub mod config;
pub mod discover;
pub mod freshness;
pub mod git;
pub mod history;
pub mod index;
pub mod input;
pub mod journal;
pub mod load;
pub mod location;
pub mod members;
pub mod repair;
pub mod safe;
pub mod scan;
pub mod user;

use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};
use crate::model::Text;
use crate::model::config::Config;
use crate::model::entry::RecordRef;
use crate::model::entry::{Change, Entry};
use crate::model::handoff::HandoffStatus;
use crate::model::state::{SortKey, State};
use crate::model::summary::{self, HandoffSummary, LeadSummary, Records, Summary, Table};
use crate::model::time::Instant;
use crate::store::atomic::WorkspaceLock;
pub use crate::store::cache::Needs;
use crate::store::config::{CONFIG_FILE, LoadedConfig};

/// No journal file grows past this: a write that would make one bigger goes on in a new
/// part (see [`month_part`]). Far below the 64 MiB any file is read up to. Past the
/// 250th part of a month, parts may grow larger (see [`part_limit`]). Only a write that
/// brings more than [`SMALL_PART_BYTES`] (an import) fills parts this far.
pub const PART_BYTES: u64 = 256 * 1024;

/// How far an ordinary write (one change, or a few) fills a part before the next write
/// starts a new one. Each write rewrites its part whole, and committing it stores the
/// whole file in `.git` again: small parts keep that to a few KB per entry (issue #16,
/// `benches/git-growth.sh`). Parts grow larger later in a month (see [`small_part_limit`]).
pub const SMALL_PART_BYTES: u64 = 16 * 1024;

/// The most parts one author's entries of one month from one device go in: a file name
/// reads as `author-device-N` for N up to 3 digits (`journal::file_author`); a larger N
/// would read as someone else's file and its entries as forgeries.
const MAX_PARTS: u32 = 999;

/// How large part `part` may grow: `PART_BYTES` for the first 249, then twice as much for
/// each further 250, up to 2 MiB. A month of ordinary work never gets there; a single
/// import of a million leads (about 330 MiB of journal) does, and would otherwise run out
/// of part numbers at 250 MiB.
pub fn part_limit(part: u32) -> u64 {
    PART_BYTES << (part / 250).min(3)
}

/// How large part `part` may grow by ordinary writes: `SMALL_PART_BYTES` for the first 99,
/// then twice as much for each further 100, never past [`part_limit`]. A month of a team's
/// ordinary work stays in the first hundred (1.6 MiB); a bot recording all day still has
/// about 750 MiB before it runs out of part numbers.
pub fn small_part_limit(part: u32) -> u64 {
    (SMALL_PART_BYTES << (part / 100).min(7)).min(part_limit(part))
}

/// The limit a write fills parts up to: a write of more text than a small part holds (an
/// import's batch) rewrites that much anyway, so it goes on to [`part_limit`]; any other
/// to [`small_part_limit`]. A part already past the limit is left closed: the next write
/// starts a new part, so an import's big part is never rewritten by the writes after it.
fn write_limit(text_len: u64) -> fn(u32) -> u64 {
    if text_len > SMALL_PART_BYTES {
        part_limit
    } else {
        small_part_limit
    }
}

#[cfg(test)]
mod part_sizes {
    use super::*;

    #[test]
    fn small_parts_grow_to_the_big_ones_and_leave_room_for_a_busy_month() {
        let mut ordinary = 0;
        for part in 1..=MAX_PARTS {
            assert!(small_part_limit(part) <= part_limit(part), "{part}");
            assert!(
                small_part_limit(part) >= small_part_limit(part - 1),
                "{part}"
            );
            ordinary += small_part_limit(part);
        }
        assert_eq!(small_part_limit(1), SMALL_PART_BYTES);
        assert_eq!(small_part_limit(MAX_PARTS), part_limit(MAX_PARTS));
        // Ordinary writes alone fill 999 parts only past 700 MiB (some 3 million entries).
        assert!(ordinary > 700 << 20, "{ordinary}");
        assert_eq!(write_limit(100)(1), SMALL_PART_BYTES);
        assert_eq!(write_limit(SMALL_PART_BYTES + 1)(1), PART_BYTES);
    }
}

/// The journal file of part `part` (1 is the first) of this author's entries of `month`
/// from this device: `author-device.toml`, then `author-device-2.toml` and so on.
fn part_rel(month: &str, author: &str, device: &str, part: u32) -> String {
    let dir = journal::JOURNAL_DIR;
    match part {
        1 => format!("{dir}/{month}/{author}-{device}.toml"),
        n => format!("{dir}/{month}/{author}-{device}-{n}.toml"),
    }
}

/// The part this author's entries of `month` from this device go on in, and its length:
/// the last part that exists (by `marks`, sorted by path, which match the disk by then: no
/// stat on the hot path), or the first when none does. Each write rewrites its file whole
/// (atomically), so files are kept small enough for that to stay cheap: a month of one
/// person's work is far smaller, a busy bot's or an import's is not.
fn month_part(month: &str, author: &str, device: &str, marks: &[cache::FileMark]) -> (u32, u64) {
    let len = |rel: &str| {
        marks
            .binary_search_by(|m| m.rel.as_str().cmp(rel))
            .ok()
            .map(|i| marks[i].len)
    };
    let mut last = (1, len(&part_rel(month, author, device, 1)).unwrap_or(0));
    for part in 2.. {
        match len(&part_rel(month, author, device, part)) {
            Some(l) => last = (part, l),
            None => break,
        }
    }
    last
}

/// The workspace format this growth writes (`version` in `growth.toml`).
pub const FORMAT: u32 = 2;

/// A writer refreshes the cache when its load parsed more entries than this.
const REFRESH_AFTER: usize = 64;

/// A read that folded more entries than this from the journal alone leaves the writers'
/// index too; below it a writer's own full path costs milliseconds.
const INDEX_FROM_A_FOLD_OF: usize = 1_000;

/// What `record` wrote, and a state holding (at least) every record it touched, as it is now.
#[derive(Debug)]
pub struct Recorded {
    pub entries: Vec<Entry>,
    pub state: State,
}

/// The stamp of a new entry: when it happened, as the writer says. Order comes from
/// causality (`after`), never from the other entries' times.
fn stamp(_last: Option<&SortKey>, now: Instant) -> Instant {
    now
}

/// One journal file of a write, staged in `.growth/tmp/` until it is renamed into place.
struct Part {
    name: String,
    staged: Option<safe::Staged>,
    existed: bool,
    count: u32,
    len: u64,
    mtime_ns: i64,
    hash: u64,
}

impl Part {
    fn stage(
        ws: &safe::Dir,
        name: &str,
        bytes: Vec<u8>,
        count: u32,
        existed: bool,
    ) -> Result<Part> {
        let staged = safe::Staged::new(ws, name, true, |f| std::io::Write::write_all(f, &bytes))?;
        Ok(Part {
            name: name.to_string(),
            mtime_ns: staged.mtime_ns(),
            staged: Some(staged),
            existed,
            count,
            len: bytes.len() as u64,
            hash: cache::content_hash(&bytes),
        })
    }
}

/// `entries` cut where a new journal file may begin: between entries about different
/// records. Entries of one write share one time, and entries of the same time fold in the
/// order of their files' names, not the order they were written: entries about one record
/// (a lead's edit and its stage change, a meeting's notes) stay in one file.
fn groups(entries: &[Entry]) -> Vec<&[Entry]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut refs: Vec<RecordRef> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let mine = e.change.refs();
        if i > start && !mine.iter().any(|r| refs.contains(r)) {
            out.push(&entries[start..i]);
            start = i;
            refs.clear();
        }
        refs.extend(mine);
    }
    if start < entries.len() {
        out.push(&entries[start..]);
    }
    out
}

/// Records a listing reads from the writers' index (see [`Workspace::indexed_leads`]).
#[derive(Debug)]
pub struct Listed {
    /// The records listed; the other parts are empty.
    pub state: State,
    /// Whether the workspace holds any record of the kind listed, matched or not
    /// (retired ones aside): "no leads yet" and "no leads match" read differently.
    pub any: bool,
}

/// Where the lists' filters lie in an index line (see `model::summary`).
const LEAD_STAGE: usize = 0;
const LEAD_ARCHIVED: usize = 4;
const HANDOFF_STATUS: usize = 3;
const HANDOFF_FROM: usize = 1;
const HANDOFF_TO: usize = 2;
const LEAD_OWNER: usize = 10;

/// Each entry's journal text, in order. An import's batch (thousands of entries, where
/// formatting is about half the work) is formatted on every core.
fn format_all(entries: &[Entry], tz: chrono_tz::Tz) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if entries.len() < 2048 || threads < 2 {
        return entries
            .iter()
            .map(|e| journal::format_entry(e, tz))
            .collect();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = entries
            .chunks(entries.len().div_ceil(threads))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|e| journal::format_entry(e, tz))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// The writers' index table of the record `r` refers to, and its id there.
fn table_of<'a>(r: &'a RecordRef<'a>) -> (Table, &'a str) {
    match r {
        RecordRef::Lead(id) => (Table::Leads, id),
        RecordRef::Handoff(id) => (Table::Handoffs, id),
        RecordRef::Feedback(id) => (Table::Feedback, id),
        RecordRef::Idea(id) => (Table::Ideas, id),
        RecordRef::Action(id) => (Table::Actions, id),
        RecordRef::Goal(id) => (Table::Goals, id),
        RecordRef::Meeting(id) => (Table::Meetings, id),
        RecordRef::Win(id) => (Table::Wins, id),
        RecordRef::Entry(key) => (Table::Causal, key.as_str()),
    }
}

/// Moves the record `r` refers to into `thin`: from what earlier batches changed
/// (`carried`) when they did, else from the index as it was.
fn carry(carried: &mut State, thin: &mut State, index: &index::Index, r: &RecordRef) {
    let (table, id) = table_of(r);
    if table == Table::Leads
        && let Some(lead) = carried.leads.remove(id)
    {
        let key = crate::model::causal::key("lead", id);
        if let Some(f) = carried.causal.remove(key.as_str()) {
            thin.causal.insert(key, f);
        }
        if let Some(h) = lead.handoff.as_deref()
            && let Some(handoff) = carried.handoffs.remove(h)
        {
            thin.handoffs.insert(h.into(), handoff);
        }
        thin.leads.insert(id.into(), lead);
    }
    if table == Table::Leads && thin.leads.contains_key(id) {
        return;
    }
    thin.thin_from(index, table, id);
}

/// The handoffs of the index whose line `keep` accepts, decoded. `None` when a chunk or a
/// line is damaged.
fn indexed_handoff_lines(
    index: &index::Index,
    keep: impl Fn(&str) -> bool,
) -> Option<Vec<HandoffSummary>> {
    let mut handoffs = Vec::new();
    let mut bad = false;
    let intact = index.scan(Table::Handoffs, |line| {
        if keep(line) {
            match index::decode(line, HandoffSummary::from_fields) {
                Some(h) => handoffs.push(h),
                None => bad = true,
            }
        }
        !bad
    });
    (intact && !bad).then_some(handoffs)
}

/// The leads `handoffs` belong to, and with `owner` every lead that member owns, read from
/// the index in one pass in id order, archived ones left out; the handoffs whose lead is
/// shown, as [`State::hide_retired`] leaves them; and whether any lead is open (when none
/// is, every handoff stays). `None` when a chunk or a line is damaged.
fn indexed_leads_of(
    index: &index::Index,
    handoffs: Vec<HandoffSummary>,
    owner: Option<&str>,
) -> Option<Shown> {
    let mut wanted: Vec<&str> = handoffs.iter().map(|h| h.lead.as_str()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let owner = owner.map(|o| format!("={o}"));
    let mut leads: Vec<(Text, Box<crate::model::lead::Lead>)> = Vec::new();
    let (mut open_leads, mut bad) = (false, false);
    // Both in id order: walk them side by side. Without an owner to look for, the walk
    // stops once every wanted lead is found and an open one was seen.
    let mut next = wanted.iter().peekable();
    let intact = index.scan(Table::Leads, |line| {
        let id = index::line_key(line);
        while next.next_if(|w| **w < id).is_some() {}
        let is_wanted = next.next_if(|w| **w == id).is_some();
        let more = owner.is_some() || next.peek().is_some();
        if !is_wanted && open_leads && owner.is_none() {
            return more;
        }
        let archived = index::field_is(line, LEAD_ARCHIVED, "1");
        open_leads |= !archived;
        let owned = owner
            .as_deref()
            .is_some_and(|o| index::field_is(line, LEAD_OWNER, o));
        if (is_wanted || owned) && !archived {
            match index::decode(line, summary::thin_lead) {
                Some(l) => leads.push((l.id.clone(), Box::new(l))),
                None => bad = true,
            }
        }
        !bad && (more || !open_leads)
    });
    if !intact || bad || !index.intact() {
        return None;
    }
    let leads: std::collections::BTreeMap<Text, Box<crate::model::lead::Lead>> =
        leads.into_iter().collect();
    let visible = |lead: &str| !open_leads || leads.contains_key(lead);
    let handoffs = handoffs
        .into_iter()
        .filter(|h| visible(&h.lead))
        .map(|h| (Text::from(h.id.as_str()), Box::new(h.to_thin())))
        .collect();
    Some(Shown {
        leads,
        handoffs,
        open_leads,
    })
}

/// Leads and handoffs read from the index as a list shows them (see [`indexed_leads_of`]).
struct Shown {
    leads: std::collections::BTreeMap<Text, Box<crate::model::lead::Lead>>,
    handoffs: std::collections::BTreeMap<Text, Box<crate::model::handoff::Handoff>>,
    /// Whether any lead is not archived.
    open_leads: bool,
}

/// Passes leads one by one to what a read gathers lead by lead; `false` when they could not
/// all pass (a damaged chunk of the cache).
pub type LeadPass<'a> = Box<dyn FnOnce(&mut dyn FnMut(&crate::model::lead::Lead)) -> bool + 'a>;

/// An open workspace: its root and its validated configuration.
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub loaded: LoadedConfig,
    /// The entry the next record takes back (`growth undo`), noted in each new entry.
    pub undoes: Option<crate::model::causal::EntryId>,
}

impl Workspace {
    /// Opens the workspace at `root`, validating `growth.toml`.
    pub fn open(root: &Path) -> Result<Self> {
        if !root.join(CONFIG_FILE).is_file() {
            return Err(Error::user(format!(
                "{} is not a growth workspace (no {CONFIG_FILE})",
                root.display()
            ))
            .hint(
                "create one with `growth init`, or point at one with -C DIR or GROWTH_WORKSPACE",
            ));
        }
        Ok(Workspace {
            root: root.to_path_buf(),
            loaded: config::load(root)?,
            undoes: None,
        })
    }

    /// Entries later than `horizon` are left out of reads until their time comes.
    pub fn set_horizon(&mut self, horizon: Option<Instant>) {
        self.loaded.horizon = horizon;
    }

    /// The horizon was given (`--today`), not read from the clock: see
    /// `LoadedConfig::horizon_given`.
    pub fn given_horizon(&mut self) {
        self.loaded.horizon_given = true;
    }

    /// Reads as of `at`, a moment in the past: only entries at or before it count.
    pub fn set_as_of(&mut self, at: Instant) {
        self.loaded.horizon = Some(at);
        self.loaded.as_of = true;
    }

    pub fn config(&self) -> &Config {
        &self.loaded.config
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.loaded.tz
    }

    /// The current state, from the cache when it is current, retired records (archived,
    /// cancelled, withdrawn, dropped) left out.
    pub fn state(&self) -> Result<State> {
        self.state_parts(Needs::READS)
    }

    /// The current state with at least the parts `needs` names (others may be empty): for
    /// read-only listings that show only some kinds of records. Retired records are left out.
    pub fn state_parts(&self, needs: Needs) -> Result<State> {
        let mut state = self.state_with_retired(needs)?;
        state.hide_retired();
        Ok(state)
    }

    /// Like [`Workspace::state_parts`], retired records included.
    pub fn state_with_retired(&self, needs: Needs) -> Result<State> {
        let listed = std::time::SystemTime::now();
        let needs = needs.whole();
        let loaded = load::load_parts(&self.root, &self.loaded, false, needs)?;
        let mut state = self.keep(loaded, listed);
        if needs.has_conflicts() {
            state.merge_member_conflicts(&self.loaded.member_causal);
        }
        Ok(state)
    }

    /// `read` of the sections `needs` names and of the leads it is passed one by one
    /// (archived ones left out): from a cache's stream when there is one, so the read keeps
    /// what it shows of each lead; else, or when `read` says the stream could not pass them
    /// all (`None`: a damaged chunk), from the whole state. One read, two sources.
    pub fn read_leads<T>(
        &self,
        needs: Needs,
        mut read: impl FnMut(&State, LeadPass<'_>) -> Result<Option<T>>,
    ) -> Result<T> {
        if let Some((state, leads)) = self.streamed_parts(needs)?
            && let Some(done) = read(&state, Box::new(move |visit| leads.for_each(visit)))?
        {
            return Ok(done);
        }
        let state = self.state_parts(needs)?;
        let done = read(&state, Box::new(crate::report::every_lead(&state)))?;
        Ok(done.unwrap_or_else(|| unreachable!("the state's leads are always all there")))
    }

    /// Like [`Workspace::state_parts`] but for the leads, which come as a stream to pass
    /// over once (archived ones left out), read from a current cache one chunk at a time:
    /// at a million entries a broad report then holds what it shows, not every lead.
    /// `None` when the cache is not current; then `state_parts` is the way.
    pub fn streamed_parts(&self, needs: Needs) -> Result<Option<(State, cache::LeadStream)>> {
        let Some((mut state, leads)) = load::load_streamed(&self.root, &self.loaded, needs)? else {
            return Ok(None);
        };
        let archived: std::collections::HashSet<crate::model::Text> =
            leads.archived().iter().cloned().collect();
        state.hide_retired_but_leads(&archived, leads.any_live());
        if needs.has_conflicts() {
            state.merge_member_conflicts(&self.loaded.member_causal);
        }
        Ok(Some((state, leads)))
    }

    /// The sections `needs` names but the leads, retired records hidden, and the metric
    /// facts kept beside them (the goals' series, the funnel's moments): what `progress`
    /// reads. `None` unless the cache holds the journal, or this clone wrote a few entries
    /// past it that the facts can follow (see [`load::load_facts`]).
    pub fn metric_parts(
        &self,
        needs: Needs,
    ) -> Result<Option<(State, crate::model::metric_facts::MetricFacts)>> {
        let Some(mut parts) = load::load_facts(&self.root, &self.loaded, needs, false)? else {
            return Ok(None);
        };
        if needs.has_conflicts() {
            parts
                .state
                .merge_member_conflicts(&self.loaded.member_causal);
        }
        Ok(Some((parts.state, parts.metrics)))
    }

    /// [`Workspace::metric_parts`] with the facts kept of the leads (those the agenda
    /// ranks, every deal won) and a lookup of the leads' companies: what the agenda, the
    /// team report and `win list` read instead of every lead. `None` in the same cases.
    pub fn fact_parts(&self, needs: Needs) -> Result<Option<load::FactParts>> {
        // What a read would take of the leads and their history, the facts stand for.
        let needs = needs.without(Needs::LEADS).without(Needs::HISTORY);
        let Some(mut parts) = load::load_facts(&self.root, &self.loaded, needs, true)? else {
            return Ok(None);
        };
        if needs.has_conflicts() {
            parts
                .state
                .merge_member_conflicts(&self.loaded.member_causal);
        }
        Ok(Some(parts))
    }

    /// Lead `id` (its exact id), its handoffs and the conflicts, retired records included,
    /// read from the one place each lies in a current cache: what `lead show` needs, at a
    /// cost that does not grow with the workspace. `None` when the cache is not current
    /// or holds no such lead; then [`Workspace::state_with_retired`] is the way.
    pub fn lead_state(&self, id: &str) -> Result<Option<State>> {
        let Some(mut state) = load::lead_parts(&self.root, &self.loaded, id)? else {
            return Ok(None);
        };
        state.merge_member_conflicts(&self.loaded.member_causal);
        Ok(Some(state))
    }

    /// The conflicts alone, retired records included, read from a current cache or one
    /// this clone wrote a few entries past that settle none (see [`load::conflict_parts`]):
    /// at a million entries, a few MiB instead of the leads and handoffs a tail's entries
    /// would need applied. `None` otherwise; then [`Workspace::state_with_retired`].
    pub fn conflict_state(&self) -> Result<Option<State>> {
        let Some(mut state) = load::conflict_parts(&self.root, &self.loaded)? else {
            return Ok(None);
        };
        state.merge_member_conflicts(&self.loaded.member_causal);
        Ok(Some(state))
    }

    /// The ids of the leads that start with one of `prefixes` (archived ones too), from
    /// the chunks of the cache's names that hold them: enough to tell which lead a unique
    /// prefix or a company names, in a few KiB. `None` when the cache cannot tell.
    pub fn lead_ids_near(
        &self,
        prefixes: &[&str],
    ) -> Result<Option<crate::model::summary::LeadIds>> {
        let ids = load::lead_ids(&self.root, &self.loaded, Some(prefixes))?;
        Ok(ids.map(crate::model::summary::LeadIds))
    }

    /// Every lead's id, archived ones too, from the cache's names (see [`load::lead_ids`]),
    /// else its stream: what telling which lead a prefix or a company names (or that none
    /// does) needs, without decoding every lead whole (at a million entries, 317 MiB).
    /// `None` when the cache cannot stream.
    pub fn lead_ids(&self) -> Result<Option<crate::model::summary::LeadIds>> {
        if let Some(ids) = load::lead_ids(&self.root, &self.loaded, None)? {
            return Ok(Some(crate::model::summary::LeadIds(ids)));
        }
        let Some((_, leads)) = self.streamed_parts(Needs::LEADS)? else {
            return Ok(None);
        };
        let mut ids: Vec<String> = leads.archived().iter().map(|t| t.to_string()).collect();
        if !leads.for_each(|l| ids.push(l.id.to_string())) {
            return Ok(None);
        }
        ids.sort_unstable();
        Ok(Some(crate::model::summary::LeadIds(ids)))
    }

    /// The writers' index, when it provably holds what this read would fold: made for
    /// this `growth.toml`, every journal file as it marks it (the check writers make
    /// before trusting it), no entry it folded later than this read's horizon and none it
    /// left out due by then. Not for a read as of a past moment.
    fn current_index(&self) -> Option<index::Index> {
        if self.loaded.as_of {
            return None;
        }
        let index = index::Index::read(&self.root, self.loaded.hash)?;
        let fits = match self.loaded.horizon {
            Some(h) => index.future.is_none_or(|f| f > h) && index.latest.is_none_or(|l| l <= h),
            None => index.future.is_none(),
        };
        (fits && freshness::unchanged(&self.root, &index.files, &index.dirs)).then_some(index)
    }

    /// `f` of the records as a current writers' index holds them (see `current_index`),
    /// without folding the journal: what `lead import --dry-run` plans against, as the
    /// import itself does. `None` when the index is not current, or a chunk `f` read
    /// failed its check (then what `f` saw may be wrong).
    pub fn with_indexed_records<T>(&self, f: impl FnOnce(&dyn Records) -> T) -> Option<T> {
        let index = self.current_index()?;
        let out = f(&index);
        index.intact().then_some(out)
    }

    /// The leads in `stage` (every stage when `None`), archived ones left out, less their
    /// stage history and notes (empty here), read from a current writers' index: the
    /// lead listings' table and CSV at a cost of one pass over its leads, decoding only
    /// those that match. `None` when the index is not current or a chunk of it is damaged:
    /// then [`Workspace::state_parts`] is the way.
    pub fn indexed_leads(&self, stage: Option<&str>) -> Option<Listed> {
        let index = self.current_index()?;
        let mut leads = Vec::new();
        let mut bad = false;
        let intact = index.scan(Table::Leads, |line| {
            if stage.is_some_and(|s| !index::field_is(line, LEAD_STAGE, s))
                || index::field_is(line, LEAD_ARCHIVED, "1")
            {
                return true;
            }
            match index::decode(line, summary::thin_lead) {
                Some(l) => leads.push((l.id.clone(), Box::new(l))),
                None => bad = true,
            }
            !bad
        });
        if !intact || bad {
            return None;
        }
        // Any lead at all, when none matched: the first one not archived will do.
        let mut any = !leads.is_empty();
        if !any
            && !index.scan(Table::Leads, |line| {
                any = !index::field_is(line, LEAD_ARCHIVED, "1");
                !any
            })
        {
            return None;
        }
        Some(Listed {
            state: State {
                leads: leads.into_iter().collect(),
                ..State::default()
            },
            any,
        })
    }

    /// The handoffs (only the pending ones with `pending`) and the leads they belong to,
    /// retired records left out as [`State::hide_retired`] does, from a current writers'
    /// index; see [`Workspace::indexed_leads`].
    pub fn indexed_handoffs(&self, pending: bool) -> Option<Listed> {
        let index = self.current_index()?;
        let mut handoffs = indexed_handoff_lines(&index, |line| {
            !pending || index::field_is(line, HANDOFF_STATUS, HandoffStatus::Pending.as_str())
        })?;
        if pending {
            handoffs.retain(|h| h.closed.is_none());
        }
        let shown = indexed_leads_of(&index, handoffs, None)?;
        let any = !shown.handoffs.is_empty() || self.any_handoff_shown(&index, shown.open_leads)?;
        Some(Listed {
            state: State {
                leads: if shown.open_leads {
                    shown.leads
                } else {
                    Default::default()
                },
                handoffs: shown.handoffs,
                ..State::default()
            },
            any,
        })
    }

    /// What `growth status` shows of `member`, with the leads and handoffs from a current
    /// writers' index: the leads they own and the handoffs they made or received, with
    /// those handoffs' leads, retired ones left out as [`State::hide_retired`] does; the
    /// small sections (actions, goals, conflicts) come from the cache as usual. One pass
    /// over each table, decoding only those lines, instead of every lead and handoff.
    /// `None` when the index is not current or a chunk of it is damaged.
    pub fn indexed_plate(&self, member: &str) -> Result<Option<State>> {
        let Some(index) = self.current_index() else {
            return Ok(None);
        };
        let Some(handoffs) = indexed_handoff_lines(&index, |line| {
            index::field_is(line, HANDOFF_FROM, member) || index::field_is(line, HANDOFF_TO, member)
        }) else {
            return Ok(None);
        };
        let Some(shown) = indexed_leads_of(&index, handoffs, Some(member)) else {
            return Ok(None);
        };
        // The small sections alone; when the entries since the cache would have it decode
        // the leads and handoffs too, the ordinary path does that once instead.
        let needs = Needs::ACTIONS.and(Needs::GOALS).and(Needs::CONFLICTS);
        let Some(loaded) = load::load_exact(&self.root, &self.loaded, needs)? else {
            return Ok(None);
        };
        let mut state = loaded.state;
        state.merge_member_conflicts(&self.loaded.member_causal);
        state.hide_retired();
        state.leads = shown.leads;
        state.handoffs = shown.handoffs;
        Ok(Some(state))
    }

    /// [`Workspace::indexed_plate`] when the index is behind: the sections `needs` names,
    /// from a cache whose leads pass one chunk at a time, keeping only the leads a plate
    /// shows: those `member` owns, those their handoffs name, and those in a conflict.
    /// `None` when the cache cannot be streamed; then `state_parts` is the way.
    pub fn streamed_plate(&self, member: &str, needs: Needs) -> Result<Option<State>> {
        let Some((mut state, leads)) = self.streamed_parts(needs.without(Needs::HISTORY))? else {
            return Ok(None);
        };
        let mut named: std::collections::HashSet<crate::model::Text> = state
            .handoffs
            .values()
            .filter(|h| h.from == member || h.to == member)
            .map(|h| h.lead.clone())
            .collect();
        named.extend(
            state
                .conflicted
                .keys()
                .filter_map(|k| k.strip_prefix("lead/"))
                .map(crate::model::Text::from),
        );
        let mut shown = std::collections::BTreeMap::new();
        let whole = leads.for_each(|l| {
            if l.owner.as_deref() == Some(member) || named.contains(&l.id) {
                shown.insert(l.id.clone(), Box::new(l.clone()));
            }
        });
        if !whole {
            return Ok(None);
        }
        state.leads = shown;
        Ok(Some(state))
    }

    /// Whether any handoff is shown at all (its lead not archived, or no lead open).
    fn any_handoff_shown(&self, index: &index::Index, open_leads: bool) -> Option<bool> {
        let mut any = false;
        let intact = index.scan(Table::Handoffs, |line| {
            let lead = index::raw_field(line, 0).unwrap_or_default();
            any = !open_leads
                || index
                    .summary::<LeadSummary>(lead)
                    .is_some_and(|l| !l.archived);
            !any
        });
        (intact && index.intact()).then_some(any)
    }

    /// Validates every file from scratch, ignoring the cache; returns every problem: of
    /// `growth.toml`, of the journal's entries, and of what a teammate's push may have put
    /// in the workspace (links, FIFOs, folders where files belong; links no idea may have).
    /// Entries later than `horizon` are left out (and counted in `deferred`).
    pub fn check(root: &Path, horizon: Option<Instant>) -> Result<State, Vec<Problem>> {
        let path = root.join(CONFIG_FILE);
        let bytes = match safe::read(root, CONFIG_FILE, config::MAX_CONFIG_BYTES) {
            Ok(bytes) => bytes,
            Err(r) if matches!(r.why, safe::Why::TooLarge(_)) => {
                return Err(config::load(root)
                    .err()
                    .map(|e| e.problems)
                    .unwrap_or_default());
            }
            Err(r) if r.is_missing() => {
                return Err(vec![
                    Problem::new(&path, (1, 1), "cannot read: the file does not exist")
                        .hint("run `growth init`"),
                ]);
            }
            Err(r) => return Err(vec![r.problem()]),
        };
        let mut loaded_config = config::parse_in(root, &path, &bytes)?;
        loaded_config.horizon = horizon;
        let mut problems = audit::workspace(root);
        let listed = std::time::SystemTime::now();
        let loaded = match load::load(root, &loaded_config, true) {
            Ok(loaded) if problems.is_empty() => loaded,
            Ok(_) => return Err(problems),
            Err(e) if !e.problems.is_empty() => {
                problems.extend(e.problems);
                return Err(problems);
            }
            Err(e) => {
                problems.push(Problem::new(root, (1, 1), e.message));
                return Err(problems);
            }
        };
        let member_causal = loaded_config.member_causal.clone();
        let mut state = Workspace {
            root: root.to_path_buf(),
            loaded: loaded_config,
            undoes: None,
        }
        .keep(loaded, listed);
        state.merge_member_conflicts(&member_causal);
        Ok(state)
    }

    /// Whether this read looks back: `--today` before entries of the journal, which its
    /// fold left for later (last week's agenda). Its fold goes to the look back's own file
    /// and the cache of now stays for the reads of now, which would otherwise fold the
    /// whole journal again (at a million entries, 5-10 s).
    fn looks_back(&self, state: &State) -> bool {
        self.loaded.horizon_given && state.deferred > 0
    }

    /// Refreshes the state cache when the load changed the state, and after a fold of the
    /// whole journal (a fresh clone, `check`) the writers' index too, unless one is
    /// current: the first write would otherwise load the whole state again to make it (at
    /// a million entries, 2-3 s and 1 GiB). `listed` is a moment before the load listed
    /// the journal. Otherwise writers keep the index, under the lock; a reader's index is
    /// as safe without it, since a writer trusts an index only as far as its marks match.
    fn keep(&self, loaded: load::Loaded, listed: std::time::SystemTime) -> State {
        if !loaded.changed || self.loaded.as_of {
            return loaded.state;
        }
        if self.looks_back(&loaded.state) {
            return cache::write_past(&self.root, &self.loaded, loaded.marks, loaded.state);
        }
        let hash = self.loaded.hash;
        cache::drop_stale_past(&self.root, hash, &loaded.marks);
        if loaded.whole && loaded.parsed > INDEX_FROM_A_FOLD_OF && self.current_index().is_none() {
            let dirs = freshness::dir_marks_settled_by(&self.root, listed);
            let (root, state, config) = (&self.root, &loaded.state, &self.loaded);
            // Both at once, on two cores: each takes about a second at a million entries.
            std::thread::scope(|scope| {
                let marks = loaded.marks.clone();
                scope.spawn(move || index::Index::write_state(root, state, hash, marks, dirs));
                cache::write_of(root, config, loaded.marks, state);
            });
            return loaded.state;
        }
        cache::write(&self.root, &self.loaded, loaded.marks, loaded.state)
    }

    /// Records the changes `build` makes, as `author`, at `now` (or just after the newest
    /// entry, so causality holds across skewed clocks). Nothing is written unless every
    /// change applies. Returns the entries written and the summaries of the leads they touched.
    /// `build` may run twice: on the index first, then on the full state if the index
    /// turned out damaged.
    pub fn record<F>(&mut self, author: &str, now: Instant, mut build: F) -> Result<Recorded>
    where
        F: FnMut(&dyn Records, &Config, Instant) -> Result<Vec<Change>>,
    {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        self.auto_migrate()?;
        if let Some(mut changed) = config::reload(&self.root, &self.loaded)? {
            changed.horizon = self.loaded.horizon;
            self.loaded = changed;
        }
        // The fast path: every journal file is as the index knows it.
        let horizon = self.loaded.horizon;
        if let Some(index) = index::Index::read(&self.root, self.loaded.hash)
            && index.future.is_none_or(|f| horizon.is_some_and(|h| f > h))
        {
            // Behind by another clone's entries (a pull): caught up on the records they
            // touch, rather than rebuilt from the whole journal.
            let index = if freshness::unchanged(&self.root, &index.files, &index.dirs) {
                Some(index)
            } else {
                self.catch_up_index(index)?
            };
            if let Some(index) = index
                && let Some(recorded) = self.record_on_index(index, author, now, &mut build)?
            {
                return Ok(recorded);
            }
        }
        self.record_on_state(author, now, |state, config, at| build(state, config, at))
    }

    /// Like [`Workspace::record`], but `build` sees the full state: for changes that need
    /// more than the index knows (an import matching leads by email or CRM id).
    pub fn record_with_state<F>(&mut self, author: &str, now: Instant, build: F) -> Result<Recorded>
    where
        F: FnOnce(&State, &Config, Instant) -> Result<Vec<Change>>,
    {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        self.auto_migrate()?;
        let horizon = self.loaded.horizon;
        self.loaded = config::load(&self.root)?;
        self.loaded.horizon = horizon;
        self.record_on_state(author, now, build)
    }

    /// Records a long run of changes (an import) in batches under one lock, holding one
    /// batch at a time: `next` is called for each batch until it returns `None`, and sees
    /// the records as they were before the first batch (through the writers' index).
    /// Each batch is validated and appended like a `record`; the records a batch changes
    /// that existed before are carried to the next batch (so a later change follows an
    /// earlier one), new ones are let go. The index and the state cache are left as they
    /// were: their marks no longer match the journal, so the next command refreshes them
    /// the usual way. If a batch fails, the journal files the earlier batches wrote are
    /// taken back: a failed run changes nothing. When the index is not current it is
    /// rebuilt from the state first, as the full path of a write does; `None`, with
    /// nothing written and `next` never called, when that fails too: then use
    /// [`Workspace::record_with_state`].
    pub fn record_batches<F>(
        &mut self,
        author: &str,
        now: Instant,
        mut next: F,
    ) -> Result<Option<usize>>
    where
        F: FnMut(&dyn Records, &Config) -> Result<Option<Vec<Change>>>,
    {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        self.auto_migrate()?;
        if let Some(mut changed) = config::reload(&self.root, &self.loaded)? {
            changed.horizon = self.loaded.horizon;
            self.loaded = changed;
        }
        let horizon = self.loaded.horizon;
        let current = |ws: &Self| {
            index::Index::read(&ws.root, ws.loaded.hash).filter(|index| {
                index.future.is_none_or(|f| horizon.is_some_and(|h| f > h))
                    && freshness::unchanged(&ws.root, &index.files, &index.dirs)
            })
        };
        let index = match current(self) {
            Some(index) => index,
            None => {
                // Folded once, as any writer would, for a current index; the state goes
                // before the first batch.
                let dirs = freshness::dir_marks(&self.root);
                let loaded = load::load(&self.root, &self.loaded, false)?;
                index::Index::write_state(
                    &self.root,
                    &loaded.state,
                    self.loaded.hash,
                    loaded.marks,
                    dirs,
                );
                drop(loaded.state);
                match current(self) {
                    Some(index) => index,
                    None => return Ok(None),
                }
            }
        };
        let at = stamp(index.last.as_ref(), now);
        let before = index.files.clone();
        let mut marks = index.files.clone();
        let mut carried = State {
            last: index.last.clone(),
            entries: index.entries,
            ..State::default()
        };
        let mut originals: Vec<(String, Option<Vec<u8>>)> = Vec::new();
        let mut written = 0;
        let outcome = (|| -> Result<()> {
            while let Some(changes) = next(&index, &self.loaded.config)? {
                if changes.is_empty() {
                    continue;
                }
                let mut thin = State {
                    last: carried.last.take(),
                    entries: carried.entries,
                    ..State::default()
                };
                for change in &changes {
                    for r in change.refs() {
                        carry(&mut carried, &mut thin, &index, &r);
                    }
                }
                if !index.intact() {
                    // Gone, so that the next run takes the full path.
                    let _ = safe::Dir::root(&self.root)
                        .and_then(|ws| ws.dir(".growth/cache", false))
                        .and_then(|d| d.remove("index.bin"));
                    return Err(
                        Error::user("the writers' index is damaged; nothing was imported")
                            .hint("run the command again: growth rebuilds the index on the way"),
                    );
                }
                let entries = self.entries(author, at, changes, &mut thin)?;
                // What a file this batch extends held before the import, to put it back.
                if let Some(first) = entries.first() {
                    self.remember_originals(author, first, &marks, &mut originals)?;
                }
                self.append(author, &entries, &mut marks, &mut thin)?;
                written += entries.len();
                carried.last = thin.last.take();
                carried.entries = thin.entries;
                // Records that existed before stay for the next batches; new ones go.
                for (id, lead) in std::mem::take(&mut thin.leads) {
                    if index.fields(Table::Leads, &id).is_some() {
                        carried.leads.insert(id, lead);
                    }
                }
                carried.handoffs.append(&mut thin.handoffs);
                for (key, f) in std::mem::take(&mut thin.causal) {
                    let known = index.fields(Table::Causal, &key).is_some();
                    if known {
                        carried.causal.insert(key, f);
                    }
                }
            }
            Ok(())
        })();
        if let Err(e) = outcome {
            self.take_back(&before, &marks, &originals);
            return Err(e);
        }
        Ok(Some(written))
    }

    /// Notes the bytes of the journal file the entries of `first`'s month go on in, the
    /// first time a batch writes to it (`None`: it did not exist).
    fn remember_originals(
        &self,
        author: &str,
        first: &Entry,
        marks: &[cache::FileMark],
        originals: &mut Vec<(String, Option<Vec<u8>>)>,
    ) -> Result<()> {
        let month = first.at.in_tz(self.tz()).format("%Y-%m").to_string();
        let device = self.device_id()?;
        let (part, _) = month_part(&month, author, &device, marks);
        let rel = part_rel(&month, author, &device, part);
        if originals.iter().any(|(r, _)| *r == rel) {
            return Ok(());
        }
        let bytes = match safe::read(&self.root, &rel, load::MAX_FILE_BYTES) {
            Ok(b) => Some(b),
            Err(r) if r.is_missing() => None,
            Err(r) => return Err(r.error()),
        };
        originals.push((rel, bytes));
        Ok(())
    }

    /// Undoes the journal writes of a failed batched record: files that are new since
    /// `before` are removed, files it extended get their old bytes back.
    fn take_back(
        &self,
        before: &[cache::FileMark],
        marks: &[cache::FileMark],
        originals: &[(String, Option<Vec<u8>>)],
    ) {
        let existed = |rel: &str| before.binary_search_by(|m| m.rel.as_str().cmp(rel)).is_ok();
        for m in marks {
            if !existed(&m.rel)
                && let Some((dir, name)) = m.rel.rsplit_once('/')
            {
                let _ = safe::Dir::root(&self.root)
                    .and_then(|ws| ws.dir(dir, false))
                    .and_then(|d| d.remove(name));
            }
        }
        for (rel, bytes) in originals {
            if let Some(bytes) = bytes
                && existed(rel)
            {
                let _ = safe::write(&self.root, rel, bytes, true);
            }
        }
    }

    /// The full path of a write, under the lock: load the state, build, apply, append.
    fn record_on_state<F>(&mut self, author: &str, now: Instant, build: F) -> Result<Recorded>
    where
        F: FnOnce(&State, &Config, Instant) -> Result<Vec<Change>>,
    {
        // Temporary files of writers killed mid-write (rare; a few syscalls when none).
        safe::clean_orphans(&self.root);
        // Marked before the load lists the files, so a change during it moves a mark.
        let dirs = freshness::dir_marks(&self.root);
        let loaded = load::load(&self.root, &self.loaded, false)?;
        let mut state = loaded.state;
        let at = stamp(state.last.as_ref(), now);
        let changes = build(&state, &self.loaded.config, at)?;
        let entries = self.entries(author, at, changes, &mut state)?;
        let mut marks = loaded.marks;
        if !entries.is_empty() {
            self.append(author, &entries, &mut marks, &mut state)?;
        }
        // Leave a current index for the next writer; rewrite the full cache only when this
        // load did real work (the next reader parses just the new tail otherwise).
        index::Index::write_state(&self.root, &state, self.loaded.hash, marks.clone(), dirs);
        let state = if loaded.parsed > REFRESH_AFTER || entries.len() > REFRESH_AFTER {
            cache::write(&self.root, &self.loaded, marks, state)
        } else {
            state
        };
        Ok(Recorded { entries, state })
    }

    /// The writers' index brought up to the journal, when all it lacks is entries of
    /// format 2 appended to files or in new files: another clone's work after a pull.
    /// They are applied to thin copies of the records they touch, as a write applies its
    /// own, and those records' lines and the new file marks are logged: the cost of the
    /// new entries, not a fold of the whole journal (at a million entries, seconds and a
    /// GiB). `None` when anything else changed (a file edited or gone, an entry of format
    /// 1, a retraction, an entry still in the future, a refusal, a damaged chunk): the
    /// caller takes the full path, which rebuilds the index.
    fn catch_up_index(&self, mut index: index::Index) -> Result<Option<index::Index>> {
        let files = journal::list(&self.root)?;
        let Some(tail) = load::tail_since(&index.files, index.last.as_ref(), &files)? else {
            return Ok(None);
        };
        let horizon = self.loaded.horizon;
        let plain = tail.entries.iter().all(|e| {
            e.entry.after.is_some()
                && !matches!(e.entry.change, Change::Retract { .. })
                && horizon.is_none_or(|h| e.at <= h)
        });
        if !plain {
            return Ok(None);
        }
        let changed: Vec<cache::FileMark> = tail
            .marks
            .iter()
            .filter(|m| {
                index
                    .files
                    .binary_search_by(|k| k.rel.cmp(&m.rel))
                    .map_or(true, |i| index.files[i] != **m)
            })
            .cloned()
            .collect();
        let mut thin = State {
            last: index.last.clone(),
            entries: index.entries,
            ..State::default()
        };
        for e in &tail.entries {
            for r in e.entry.change.refs() {
                let (table, id) = table_of(&r);
                thin.thin_from(&index, table, id);
            }
        }
        if !index.intact()
            || load::fold_tail(&mut thin, &self.loaded, tail, &files).is_err()
            || thin.deferred > 0
        {
            return Ok(None);
        }
        index.record(&self.root, &thin, &changed);
        Ok(Some(index))
    }

    /// `record` against the index: validates on thin copies of the touched leads only.
    /// `None`, with nothing written, when a chunk of the index failed its check: what it
    /// said may be wrong, so the caller takes the full path.
    fn record_on_index<F>(
        &mut self,
        mut index: index::Index,
        author: &str,
        now: Instant,
        build: &mut F,
    ) -> Result<Option<Recorded>>
    where
        F: FnMut(&dyn Records, &Config, Instant) -> Result<Vec<Change>>,
    {
        let damaged = |index: &index::Index| {
            if index.intact() {
                return false;
            }
            let _ = safe::Dir::root(&self.root)
                .and_then(|ws| ws.dir(".growth/cache", false))
                .and_then(|d| d.remove("index.bin"));
            true
        };
        let at = stamp(index.last.as_ref(), now);
        let changes = match build(&index, &self.loaded.config, at) {
            Err(_) if damaged(&index) => return Ok(None),
            built => built?,
        };
        let mut thin = State {
            last: index.last.clone(),
            entries: index.entries,
            ..State::default()
        };
        for change in &changes {
            for r in change.refs() {
                let (table, id) = table_of(&r);
                thin.thin_from(&index, table, id);
            }
        }
        if damaged(&index) {
            return Ok(None);
        }
        let entries = self.entries(author, at, changes, &mut thin)?;
        if entries.is_empty() {
            return Ok(Some(Recorded {
                entries,
                state: thin,
            }));
        }
        let mut marks = std::mem::take(&mut index.files);
        let mark = self.append(author, &entries, &mut marks, &mut thin);
        index.files = marks;
        index.record(&self.root, &thin, &mark?);
        Ok(Some(Recorded {
            entries,
            state: thin,
        }))
    }

    /// Stamps the changes and applies them to `state`; the first refusal is the error.
    fn entries(
        &self,
        author: &str,
        at: Instant,
        changes: Vec<Change>,
        state: &mut State,
    ) -> Result<Vec<Entry>> {
        let mut entries = Vec::with_capacity(changes.len());
        for change in changes {
            // A new entry has seen everything in the state: folded with no `after`, it
            // supersedes what it touches, and what it superseded becomes its `after`.
            // Anonymous feedback keeps no time finer than its day: a minute would tie it
            // to its giver's other entries.
            let at = if change.is_anonymous() {
                let day = at.date_in(self.tz());
                crate::model::time::resolve_local(day.and_time(chrono::NaiveTime::MIN), self.tz())
            } else {
                at
            };
            let mut entry = Entry::new(at, author, change);
            entry.after = None;
            entry.undoes = self.undoes;
            state.trace.clear();
            let ignored = state.ignored;
            state.apply(&entry, &self.loaded.config).map_err(|r| {
                let err = Error::user(r.message);
                match r.hint {
                    Some(h) => err.hint(h),
                    None => err,
                }
            })?;
            if state.ignored > ignored {
                let why = state.ignored_first.last().cloned().unwrap_or_default();
                return Err(Error::user(format!("not recorded: {why}"))
                    .hint("ask the receiver or a leader to record it"));
            }
            let mut after = std::mem::take(&mut state.trace);
            after.sort_unstable();
            after.dedup();
            entry.after = Some(after);
            entries.push(entry);
        }
        Ok(entries)
    }

    /// Appends `entries` to this author's and device's journal file for the month, going on
    /// in new parts so that no file passes `PART_BYTES`; updates `marks` and `state.last` to
    /// match and returns the marks of the files written. Every file is staged in
    /// `.growth/tmp/` first and only then renamed into place, so a failure (a refused file,
    /// a full disk) changes nothing; a rename that fails undoes the ones before it.
    fn append(
        &self,
        author: &str,
        entries: &[Entry],
        marks: &mut Vec<cache::FileMark>,
        state: &mut State,
    ) -> Result<Vec<cache::FileMark>> {
        let Some(at) = entries.first().map(|e| e.at) else {
            return Ok(Vec::new());
        };
        let month = at.in_tz(self.tz()).format("%Y-%m").to_string();
        // Anonymous feedback goes to a file of its own named after no one and no device.
        let (author, device) = if entries.iter().all(|e| e.change.is_anonymous()) {
            (
                "",
                crate::model::id::random_id(crate::model::id::RECORD_ID_LEN),
            )
        } else {
            (author, self.device_id()?)
        };
        let ws = safe::Dir::root(&self.root)?;
        let dir = ws.dir(&format!("{}/{month}", journal::JOURNAL_DIR), true)?;
        let (mut part, _) = month_part(&month, author, &device, marks);
        let name_of = |part: u32| {
            if author.is_empty() {
                format!("anonymous-{device}.toml")
            } else {
                let rel = part_rel(&month, author, &device, part);
                rel.rsplit('/').next().unwrap_or_default().to_string()
            }
        };
        // The file this write goes on in, as it is on disk (never through a link).
        let mut name = name_of(part);
        let (mut bytes, mut existed) = match dir.read(&name, load::MAX_FILE_BYTES) {
            Ok(b) => (b, true),
            Err(r) if r.is_missing() => {
                (journal::header(author, &device, &month).into_bytes(), false)
            }
            Err(r) => return Err(r.into()),
        };
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        let originals = existed.then(|| bytes.clone());
        let mut files: Vec<Part> = Vec::new();
        let mut count = 0u32;
        let texts = format_all(entries, self.tz());
        let limit = write_limit(texts.iter().map(|t| t.len() as u64).sum());
        let mut texts = texts.into_iter();
        for group in groups(entries) {
            let text: String = texts.by_ref().take(group.len()).collect();
            let fits =
                |bytes: &[u8], part: u32| bytes.len() as u64 + text.len() as u64 <= limit(part);
            if !fits(&bytes, part) && (count > 0 || existed) && !author.is_empty() {
                if count > 0 {
                    files.push(Part::stage(
                        &ws,
                        &name,
                        std::mem::take(&mut bytes),
                        count,
                        existed,
                    )?);
                }
                part += 1;
                if part > MAX_PARTS {
                    return Err(Error::user(format!(
                        "the journal of {month} from this device is full ({MAX_PARTS} files)"
                    ))
                    .hint("record the rest from another clone, or import it in the next month"));
                }
                name = name_of(part);
                bytes = journal::header(author, &device, &month).into_bytes();
                existed = false;
                count = 0;
            }
            // A change larger than the write's limit goes in a part of its own, up to
            // the most a part may hold.
            if bytes.len() as u64 + text.len() as u64 > part_limit(part) {
                return Err(Error::user(format!(
                    "this change is {} KiB of journal text, over the {} KiB a journal file holds",
                    text.len() / 1024,
                    part_limit(part) / 1024
                ))
                .hint("record it in smaller pieces (a long note as several notes)"));
            }
            bytes.extend_from_slice(text.as_bytes());
            count += u32::try_from(group.len()).unwrap_or(u32::MAX);
        }
        files.push(Part::stage(&ws, &name, bytes, count, existed)?);

        // Into place, in order; a failure puts back what was there.
        for (i, file) in files.iter_mut().enumerate() {
            if let Err(e) = file
                .staged
                .take()
                .map_or(Ok(()), |s| s.commit(&dir, &file.name, false))
            {
                for done in &files[..i] {
                    match (&originals, done.existed) {
                        (Some(old), true) => {
                            let _ = safe::Staged::new(&ws, &done.name, true, |f| {
                                std::io::Write::write_all(f, old)
                            })
                            .and_then(|s| s.commit(&dir, &done.name, false));
                        }
                        _ => {
                            let _ = dir.remove(&done.name);
                        }
                    }
                }
                return Err(e);
            }
        }
        dir.sync()
            .map_err(|e| Error::io(format!("cannot write {}", dir.path.display()), e))?;

        let rel_dir = format!("{}/{month}/", journal::JOURNAL_DIR);
        let mut written = Vec::new();
        for file in &files {
            let rel = format!("{rel_dir}{}", file.name);
            let previous = marks.iter().find(|m| m.rel == rel).map_or(0, |m| m.entries);
            let mark = cache::FileMark {
                rel: rel.clone(),
                len: file.len,
                mtime_ns: file.mtime_ns,
                hash: file.hash,
                entries: previous + file.count,
            };
            match marks.binary_search_by(|m| m.rel.as_str().cmp(&rel)) {
                Ok(i) => marks[i] = mark.clone(),
                Err(i) => marks.insert(i, mark.clone()),
            }
            // The newest entry as a fresh fold sees it: the same time, the last by file.
            let key = SortKey {
                at,
                file: rel,
                index: (previous + file.count).saturating_sub(1),
            };
            if state.last.as_ref().is_none_or(|last| key > *last) {
                state.last = Some(key);
            }
            written.push(mark);
        }
        state.entries += entries.len() as u64;
        Ok(written)
    }

    /// Edits `growth.toml` in place with `toml_edit`, keeping comments and layout; the
    /// result must validate or nothing is written.
    pub fn edit_config<F>(&mut self, edit: F) -> Result<()>
    where
        F: FnOnce(&mut toml_edit::DocumentMut, &Config) -> Result<()>,
    {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        self.auto_migrate()?;
        let path = self.root.join(CONFIG_FILE);
        let horizon = self.loaded.horizon;
        self.loaded = config::load(&self.root)?;
        self.loaded.horizon = horizon;
        let bytes = safe::read(&self.root, CONFIG_FILE, config::MAX_CONFIG_BYTES)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| Error::user(format!("cannot edit {}: {e}", path.display())))?;
        let mut doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e| Error::user(format!("cannot edit {}: {e}", path.display())))?;
        edit(&mut doc, &self.loaded.config)?;
        let new_text = doc.to_string();
        let new_config =
            config::parse_in(&self.root, &path, new_text.as_bytes()).map_err(Error::invalid)?;
        // The history must still validate against the new configuration.
        load::load(&self.root, &new_config, true)?;
        safe::write(&self.root, CONFIG_FILE, new_text.as_bytes(), true)?;
        self.loaded = new_config;
        Ok(())
    }

    /// Moves a format-1 workspace to format 2, once (under the lock): the members of
    /// `growth.toml` become `member.add` entries in `journal/members/`, `growth.toml`
    /// loses `[members]` and gains `version = 2`, and the old file is kept in
    /// `.growth/backup/`. Every clone migrating the same file writes the same bytes, so
    /// their commits merge as one. Returns the backup's path when it migrated.
    pub fn migrate(&mut self) -> Result<Option<PathBuf>> {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        self.migrate_locked()
    }

    fn migrate_locked(&mut self) -> Result<Option<PathBuf>> {
        let path = self.root.join(CONFIG_FILE);
        let bytes = safe::read(&self.root, CONFIG_FILE, config::MAX_CONFIG_BYTES)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| Error::user(format!("cannot read {}: {e}", path.display())))?;
        let old = config::parse(&path, text.as_bytes()).map_err(Error::invalid)?;
        if old.config.version.is_some_and(|v| v >= FORMAT) {
            return Ok(None);
        }
        let mut doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e| Error::user(format!("cannot edit {}: {e}", path.display())))?;
        let entries = members::migrated_entries(&old.config.members);
        if !entries.is_empty() {
            let mut bytes =
                b"# growth journal: the members growth.toml listed under [members] when this\n\
                # workspace moved to format 2 (the same file on every clone that migrated).\n"
                    .to_vec();
            for e in &entries {
                bytes.extend_from_slice(journal::format_entry(e, chrono_tz::UTC).as_bytes());
            }
            let name = format!(
                "migrated-{:08x}.toml",
                cache::content_hash(&bytes) & 0xffff_ffff
            );
            let rel = format!("{}/{}/{name}", journal::JOURNAL_DIR, members::MEMBERS_DIR);
            safe::write(&self.root, &rel, &bytes, true)?;
        }
        let backup = self.root.join(".growth").join("backup").join(format!(
            "growth.toml.format-1-{:016x}",
            cache::content_hash(text.as_bytes())
        ));
        let backup_rel = backup
            .strip_prefix(&self.root)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        safe::write(&self.root, &backup_rel, text.as_bytes(), true)?;
        doc.remove("members");
        // The file's opening comment sits before [team]: keep it first, above `version`.
        let opening = doc
            .get("team")
            .and_then(|t| t.as_table())
            .and_then(|t| t.decor().prefix())
            .and_then(|p| p.as_str())
            .unwrap_or_default()
            .to_string();
        if let Some(team) = doc.get_mut("team").and_then(|t| t.as_table_mut()) {
            team.decor_mut().set_prefix("\n");
        }
        let root = doc.as_table_mut();
        root.insert("version", toml_edit::value(i64::from(FORMAT)));
        if let Some(mut key) = root.key_mut("version") {
            let opening = opening.trim();
            key.leaf_decor_mut().set_prefix(format!(
                "{opening}{}# The workspace format (growth migrates older ones).\n",
                if opening.is_empty() { "" } else { "\n\n" }
            ));
        }
        let new_text = doc.to_string();
        config::parse_in(&self.root, &path, new_text.as_bytes()).map_err(Error::invalid)?;
        safe::write(&self.root, CONFIG_FILE, new_text.as_bytes(), true)?;
        let horizon = self.loaded.horizon;
        self.loaded = config::load(&self.root)?;
        self.loaded.horizon = horizon;
        Ok(Some(backup))
    }

    /// Migrates a format-1 workspace before a write, saying so.
    fn auto_migrate(&mut self) -> Result<()> {
        if let Some(backup) = self.migrate_locked()? {
            crate::render::warn(&format!(
                "moved this workspace to format {FORMAT}: members now live in journal/members/ (the old growth.toml is in {})",
                backup.display()
            ));
        }
        Ok(())
    }

    /// Records a member change (`member.add`, `member.edit`) by `author` at `at`, into
    /// `journal/members/`. Returns the entry.
    pub fn record_member(&mut self, author: &str, at: Instant, change: Change) -> Result<Entry> {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        self.auto_migrate()?;
        let mut folded = members::load(&self.root).map_err(Error::invalid)?;
        // Nothing is written to a workspace that does not load.
        load::load(&self.root, &self.loaded, false)?;
        let entry = members::apply_new(&mut folded, Entry::new(at, author, change))?;
        let device = self.device_id()?;
        let rel = format!(
            "{}/{}/{author}-{device}.toml",
            journal::JOURNAL_DIR,
            members::MEMBERS_DIR
        );
        let mut bytes = match safe::read(&self.root, &rel, load::MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(r) if r.is_missing() => journal::header(author, &device, "members").into_bytes(),
            Err(r) => return Err(r.error()),
        };
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(journal::format_entry(&entry, self.tz()).as_bytes());
        safe::write(&self.root, &rel, &bytes, true)?;
        let horizon = self.loaded.horizon;
        self.loaded = config::load(&self.root)?;
        self.loaded.horizon = horizon;
        Ok(entry)
    }

    /// This clone's device id, made once and kept out of git, so each clone appends to its
    /// own journal files.
    fn device_id(&self) -> Result<String> {
        const DEVICE: &str = ".growth/device";
        match safe::read(&self.root, DEVICE, 64) {
            Ok(bytes) => {
                let id = String::from_utf8_lossy(&bytes);
                let id = id.trim();
                if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Ok(id.to_string());
                }
            }
            // Missing, or damaged (too long): a new one. A link or a FIFO: refused.
            Err(r) if r.is_missing() || matches!(r.why, safe::Why::TooLarge(_)) => {}
            Err(r) => return Err(r.into()),
        }
        let id = crate::model::id::random_id(4);
        safe::write(&self.root, DEVICE, format!("{id}\n").as_bytes(), true)?;
        Ok(id)
    }
}

/// Creates a workspace at `root`: `growth.toml`, the journal folder and a `.gitignore`
/// for the local-only `.growth/` folder. Refuses to overwrite an existing workspace.
pub fn create(root: &Path, config_text: &str) -> Result<()> {
    let path = root.join(CONFIG_FILE);
    if path.exists() {
        return Err(Error::user(format!("{} already exists", path.display()))
            .hint("this folder is a workspace already; run `growth check` to validate it"));
    }
    config::parse(&path, config_text.as_bytes()).map_err(Error::invalid)?;
    std::fs::create_dir_all(root)
        .map_err(|e| Error::io(format!("cannot create {}", root.display()), e))?;
    safe::write(
        root,
        &format!("{}/.gitkeep", journal::JOURNAL_DIR),
        b"",
        true,
    )?;
    // `.growth/` holds this clone's device id: committing it would make clones share one.
    let mut text = match safe::read(root, ".gitignore", config::MAX_CONFIG_BYTES) {
        Ok(bytes) => bytes,
        Err(r) if r.is_missing() => Vec::new(),
        Err(r) => return Err(r.into()),
    };
    let ignored = String::from_utf8_lossy(&text)
        .lines()
        .any(|l| matches!(l.trim(), ".growth" | ".growth/" | "/.growth" | "/.growth/"));
    if !ignored {
        if !text.is_empty() && !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        text.extend_from_slice(
            b"# growth's local lock, device id and cache: never committed\n.growth/\n",
        );
        safe::write(root, ".gitignore", &text, true)?;
    }
    safe::write(root, CONFIG_FILE, config_text.as_bytes(), true)
}
