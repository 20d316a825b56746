//! The derived cache, `.growth/cache/state.bin`: the folded state plus a mark of every
//! journal file it was folded from. Never committed, never trusted blindly.
//!
//! A file whose size and modification time match its mark is taken as folded. A file that
//! changed is read: if it still starts with the bytes that were folded (same hash), only
//! the new tail is parsed and applied, provided every new entry sorts after the last one
//! folded; anything else (an edit, a deletion, a merge bringing older entries, a new
//! `growth.toml`) rebuilds the state from the journal in one pass.
//!
//! The file is a magic number, then one section per part of the state (leads, their
//! details, history and notes, handoffs, feedback...), each a run of chunks of 2,048
//! records with their length and hash, then the head (versions, marks, section lengths),
//! which the last 8 bytes point to. A read-only command decodes only the sections it
//! shows, one chunk in memory at a time; at a million entries that is the difference
//! between 650 MiB and 250 MiB.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thin_vec::ThinVec;

use crate::model::Text;
use crate::model::agenda_facts::AgendaFacts;
use crate::model::lead::Lead;
use crate::model::metric_facts::MetricFacts;
use crate::model::state::{SortKey, State};
use crate::store::config::LoadedConfig;
use crate::store::journal::JournalFile;

/// Bump when the cache layout or the fold's meaning changes.
const CACHE_VERSION: u32 = 16;

/// The first bytes of a state cache, so a file of another format is never decoded.
const MAGIC: &[u8; 8] = b"growthS\0";

/// Records per chunk: a reader holds one chunk's bytes at a time, not the whole file.
const CHUNK: usize = 2048;

/// A handoffs section at least this long is decoded on a second thread when the leads
/// are not (about 20,000 handoffs).
const APART_BYTES: u64 = 2 << 20;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileMark {
    pub rel: String,
    pub len: u64,
    pub mtime_ns: i64,
    pub hash: u64,
    pub entries: u32,
}

/// The parts of the state a command reads. A read-only command that asks for fewer parts
/// decodes only those from a current cache; every other path folds and keeps all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs(u32);

impl Needs {
    /// Nothing.
    pub const NONE: Needs = Needs(0);
    pub const LEADS: Needs = Needs(1 << Section::Leads as u32);
    /// Each lead's contact, email, tags and CRM id (`lead list`, `lead show`).
    pub const DETAILS: Needs = Needs(1 << Section::Details as u32);
    /// Each lead's stage history (metrics, wins, `lead show`).
    pub const HISTORY: Needs = Needs(1 << Section::History as u32);
    /// Each lead's notes (`lead show` and the JSON of leads only).
    pub const NOTES: Needs = Needs(1 << Section::Notes as u32);
    pub const HANDOFFS: Needs = Needs(1 << Section::Handoffs as u32);
    pub const FEEDBACK: Needs = Needs(1 << Section::Feedback as u32);
    pub const IDEAS: Needs = Needs(1 << Section::Ideas as u32);
    /// The shout-outs (`win list`, the agenda's celebrations, team credits).
    pub const WINS: Needs = Needs(1 << Section::Wins as u32);
    pub const ACTIONS: Needs = Needs(1 << Section::Actions as u32);
    pub const GOALS: Needs = Needs(1 << Section::Goals as u32);
    pub const MEETINGS: Needs = Needs(1 << Section::Meetings as u32);
    /// Each record's causal frontier: conflicts, `lead show`, the log.
    pub const CAUSAL: Needs = Needs(1 << Section::Causal as u32);
    /// Series entries taken back (to restore them).
    pub const RETRACTED: Needs = Needs(1 << Section::Retracted as u32);
    /// The conflicted registers: the agenda, check, `conflicts`, `lead show`.
    pub const CONFLICTS: Needs = Needs(1 << Section::Conflicts as u32);
    /// Of the leads, only what goal metrics and funnels read ([`LeadDigest`]): from a
    /// current cache the leads then pass as digests, a fraction of their bytes. A whole
    /// state reads the leads and their history for it.
    pub const DIGEST: Needs = Needs(1 << Section::Digest as u32);
    /// Every section of the state (the digest is a way to read the leads, and the metric
    /// facts what is made of them, not parts).
    pub const ALL: Needs = Needs(
        ((1u32 << Section::ALL.len()) - 1)
            & !Needs::DIGEST.0
            & !(1 << Section::Metrics as u32)
            & !(1 << Section::Agenda as u32)
            & !(1 << Section::Names as u32),
    );
    /// What reports and lists read: everything but the records' frontiers and the
    /// retracted series entries, which only folding new entries needs.
    pub const READS: Needs = Needs::ALL.without(Needs::CAUSAL).without(Needs::RETRACTED);

    pub const fn and(self, other: Needs) -> Needs {
        Needs(self.0 | other.0)
    }

    pub const fn without(self, other: Needs) -> Needs {
        Needs(self.0 & !other.0)
    }

    /// Whether every part of `other` is among these.
    pub const fn includes(self, other: Needs) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether some part of `other` is among these.
    pub const fn overlaps(self, other: Needs) -> bool {
        self.0 & other.0 != 0
    }

    /// What a whole state decodes for these needs: the leads and their history for the
    /// digest.
    pub fn whole(self) -> Needs {
        if self.has(Section::Digest) {
            self.without(Needs::DIGEST)
                .and(Needs::LEADS)
                .and(Needs::HISTORY)
        } else {
            self
        }
    }

    /// Whether the conflicts are among the parts asked for.
    pub fn has_conflicts(self) -> bool {
        self.has(Section::Conflicts)
    }

    fn has(self, section: Section) -> bool {
        self.0 & (1 << section as u32) != 0
    }
}

/// The parts of the cache file, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Leads,
    Details,
    History,
    Notes,
    Handoffs,
    Feedback,
    Ideas,
    Wins,
    Actions,
    Goals,
    Meetings,
    Causal,
    Retracted,
    Members,
    Conflicts,
    /// Each lead's handoff ids, in the leads' order: `lead show` reads one chunk of it.
    LeadHandoffs,
    /// Each lead's [`LeadDigest`], in the leads' order: what a pass for metrics reads
    /// instead of the leads and their history.
    Digest,
    /// The goals' series and the funnel's moments ([`MetricFacts`]): what `progress`
    /// reads instead of every lead and handoff.
    Metrics,
    /// The leads the agenda ranks and the deals won ([`AgendaFacts`]): what an agenda
    /// reads instead of every lead.
    Agenda,
    /// Each lead's id and company, in the leads' order, in small chunks with an index:
    /// the names an agenda shows of the handoffs it lists.
    Names,
}

impl Section {
    const ALL: [Section; 20] = [
        Section::Leads,
        Section::Details,
        Section::History,
        Section::Notes,
        Section::Handoffs,
        Section::Feedback,
        Section::Ideas,
        Section::Wins,
        Section::Actions,
        Section::Goals,
        Section::Meetings,
        Section::Causal,
        Section::Retracted,
        Section::Members,
        Section::Conflicts,
        Section::LeadHandoffs,
        Section::Digest,
        Section::Metrics,
        Section::Agenda,
        Section::Names,
    ];
}

/// A lead's contact, email, tags and CRM id, in the `Details` section.
type Details = (Option<Text>, Option<Text>, ThinVec<Text>, Option<Box<str>>);

/// What goal metrics, the funnel and the funnel report read of a lead: its stage, value
/// and times, and each stage change's time, stage and reason; not its company, contact,
/// notes, nor who made each change under which entry id.
#[derive(Debug, Serialize, Deserialize)]
struct LeadDigest {
    id: Text,
    stage: Text,
    source: Option<Text>,
    owner: Option<Text>,
    value: Option<f64>,
    currency: Option<Box<str>>,
    created: crate::model::time::Instant,
    updated: crate::model::time::Instant,
    archived: bool,
    /// Each change as (at, stage, reason); decoded straight into stage changes with no
    /// entry id or author, so a lead takes them as they are.
    #[serde(with = "digest_history")]
    history: ThinVec<crate::model::lead::StageChange>,
}

/// A digest's stage changes, as tuples of their time, stage and reason.
mod digest_history {
    use crate::model::Text;
    use crate::model::lead::StageChange;
    use crate::model::time::Instant;
    use serde::de::{SeqAccess, Visitor};
    use serde::ser::SerializeSeq;
    use serde::{Deserializer, Serializer};
    use thin_vec::ThinVec;

    pub fn serialize<S: Serializer>(
        history: &ThinVec<StageChange>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(history.len()))?;
        for h in history {
            seq.serialize_element(&(h.at, &h.stage, &h.reason))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ThinVec<StageChange>, D::Error> {
        struct Changes;
        impl<'de> Visitor<'de> for Changes {
            type Value = ThinVec<StageChange>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("stage changes")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = ThinVec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some((at, stage, reason)) =
                    seq.next_element::<(Instant, Text, Option<Box<str>>)>()?
                {
                    out.push(StageChange {
                        entry: 0,
                        stage,
                        at,
                        by: Text::default(),
                        reason,
                    });
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Changes)
    }
}

impl LeadDigest {
    fn of(l: &Lead) -> LeadDigest {
        LeadDigest {
            id: l.id.clone(),
            stage: l.stage.clone(),
            source: l.source.clone(),
            owner: l.owner.clone(),
            value: l.value,
            currency: l.currency.clone(),
            created: l.created,
            updated: l.updated,
            archived: l.archived,
            history: (l.history.iter())
                .map(|h| crate::model::lead::StageChange {
                    entry: 0,
                    stage: h.stage.clone(),
                    at: h.at,
                    by: Text::default(),
                    reason: h.reason.clone(),
                })
                .collect(),
        }
    }

    /// A lead holding the digest's fields, every other one empty.
    fn into_lead(self) -> Lead {
        Lead {
            id: self.id,
            company: Text::default(),
            contact: None,
            email: None,
            source: self.source,
            value: self.value,
            currency: self.currency,
            owner: self.owner,
            tags: ThinVec::new(),
            stage: self.stage,
            met: ThinVec::new(),
            notes: ThinVec::new(),
            created: self.created,
            created_by: Text::default(),
            updated: self.updated,
            history: self.history,
            handoff: None,
            crm_id: None,
            archived: self.archived,
        }
    }
}

/// The head of the cache: what it was folded from, and where each section lies.
#[derive(Debug, Serialize, Deserialize)]
struct Head {
    version: u32,
    crate_version: String,
    config_hash: u64,
    files: Vec<FileMark>,
    last: Option<SortKey>,
    entries: u64,
    causal_entries: u64,
    latest: Option<crate::model::time::Instant>,
    future: Option<crate::model::time::Instant>,
    deferred: u64,
    ignored: u64,
    ignored_first: Vec<String>,
    /// Byte length of each section, in `Section::ALL` order.
    sections: Vec<u64>,
    /// The first lead id of each chunk of the leads (and of every per-lead section): to
    /// find the one chunk that holds a lead.
    lead_chunks: Vec<Text>,
    /// The first handoff id of each chunk of the handoffs.
    handoff_chunks: Vec<Text>,
    /// The archived leads (out of lists and goals, their handoffs too), so a read that
    /// passes over the leads without keeping them knows which handoffs to hide first.
    archived: Vec<Text>,
    /// How many leads there are, archived ones included.
    leads: u64,
}

const REL: &str = ".growth/cache/state.bin";

/// Where a look back (`--today` before entries the cache of now folded: last week's
/// agenda, a report as of a month ago) keeps its fold, beside the cache of now, so the
/// reads of that moment after it decode instead of folding the journal again (at a
/// million entries 5 s and 600 MiB each). Trusted exactly as `state.bin`: for a horizon
/// it fits and journal files it matches.
const PAST_REL: &str = ".growth/cache/past.bin";

/// The largest cache growth reads (the state of a million entries is far smaller).
const MAX_CACHE_BYTES: u64 = 4 << 30;

pub fn path(root: &Path) -> PathBuf {
    root.join(REL)
}

/// An opened cache whose head matched: the marks it was folded from, and the sections
/// still unread.
#[derive(Debug)]
pub struct Cached {
    pub files: Vec<FileMark>,
    head: Head,
    reader: BufReader<File>,
    body: u64,
}

/// The cache of now for `config_hash`, or `None` when it is missing, stale or damaged.
pub fn open(root: &Path, config_hash: u64) -> Option<Cached> {
    open_rel(root, REL, config_hash)
}

/// The cache for a reader at `horizon` over `files`: the cache of now when it fits,
/// unless the look back's fits and holds exactly `files` while the cache of now does not
/// (a read as of last week, after this week's entries). `None` when neither fits.
pub fn open_fitting(
    root: &Path,
    config_hash: u64,
    horizon: Option<crate::model::time::Instant>,
    files: &[JournalFile],
) -> Option<Cached> {
    let now = open(root, config_hash).filter(|c| c.fits(horizon));
    if now.as_ref().is_some_and(|c| c.matches(files)) {
        return now;
    }
    let past = open_rel(root, PAST_REL, config_hash);
    match past.filter(|c| c.fits(horizon) && c.matches(files)) {
        Some(past) => Some(past),
        None => now,
    }
}

fn open_rel(root: &Path, rel: &str, config_hash: u64) -> Option<Cached> {
    // A regular file of the workspace, never a link; each chunk is read through `take`, so
    // nothing reads past its end.
    let (file, _) = crate::store::safe::open(root, rel, MAX_CACHE_BYTES).ok()?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut magic = [0u8; 8];
    reader.read_exact(&mut magic).ok()?;
    if &magic != MAGIC {
        return None;
    }
    // The head is at the end (written last, once the sections' lengths are known); the
    // last 8 bytes say where it starts.
    reader.seek(SeekFrom::End(-8)).ok()?;
    let mut at = [0u8; 8];
    reader.read_exact(&mut at).ok()?;
    reader.seek(SeekFrom::Start(u64::from_le_bytes(at))).ok()?;
    let head: Head = read_chunk(&mut reader, &mut Vec::new())?;
    let current = head.version == CACHE_VERSION
        && head.crate_version == env!("CARGO_PKG_VERSION")
        && head.config_hash == config_hash
        && head.sections.len() == Section::ALL.len();
    if !current {
        return None;
    }
    Some(Cached {
        files: head.files.clone(),
        head,
        reader,
        body: MAGIC.len() as u64,
    })
}

impl Cached {
    /// Whether every journal file is the one this cache was folded from (same size and
    /// modification time), and no file came or went.
    pub fn matches(&self, files: &[JournalFile]) -> bool {
        self.files.len() == files.len()
            && self
                .files
                .iter()
                .zip(files)
                .all(|(m, f)| m.rel == f.rel && m.len == f.len && m.mtime_ns == f.mtime_ns)
    }

    /// The newest format-1 entry folded into this cache.
    pub fn last(&self) -> Option<&SortKey> {
        self.head.last.as_ref()
    }

    /// Whether entries of format 2 were folded (format-1 entries must come before them).
    pub fn causal_folded(&self) -> bool {
        self.head.causal_entries > 0
    }

    /// Whether the cache is good for a reader whose horizon is `horizon`: it left out no
    /// entry whose time has come, and folded none past it.
    pub fn fits(&self, horizon: Option<crate::model::time::Instant>) -> bool {
        let Some(h) = horizon else {
            return self.head.deferred == 0;
        };
        self.head.future.is_none_or(|f| f > h) && self.head.latest.is_none_or(|l| l <= h)
    }

    /// Whether some entries were left out as future: a tail then needs a rebuild, since
    /// its entries may follow them.
    pub fn deferred(&self) -> bool {
        self.head.deferred > 0
    }

    /// A state holding only what the head knows (counts, times); no records.
    fn bare_state(&mut self) -> State {
        State {
            last: self.head.last.take(),
            entries: self.head.entries,
            causal_entries: self.head.causal_entries,
            latest: self.head.latest,
            future: self.head.future,
            deferred: self.head.deferred,
            ignored: self.head.ignored,
            ignored_first: std::mem::take(&mut self.head.ignored_first),
            ..State::default()
        }
    }

    /// Where `section` starts in the file, and its length.
    fn section(&self, section: Section) -> Option<(u64, u64)> {
        let i = Section::ALL.iter().position(|s| *s == section)?;
        let start = self.body + self.head.sections.get(..i)?.iter().sum::<u64>();
        Some((start, *self.head.sections.get(i)?))
    }

    /// Chunk `n` of `section`, reading only the 16-byte heads of the chunks before it.
    fn nth_chunk<T: DeserializeOwned>(
        &mut self,
        section: Section,
        n: usize,
        buf: &mut Vec<u8>,
    ) -> Option<T> {
        let at = self.section(section)?;
        chunks_at(self.reader.get_ref(), at, &[n], buf)?.pop()
    }

    /// The goals' series and the funnel's moments written with this cache (see
    /// [`MetricFacts`]); `None` when damaged.
    pub fn metric_facts(&self) -> Option<MetricFacts> {
        self.single(Section::Metrics)
    }

    /// The leads the agenda ranks and the deals won, written with this cache (see
    /// [`AgendaFacts`]); `None` when damaged.
    pub fn agenda_facts(&self) -> Option<AgendaFacts> {
        self.single(Section::Agenda)
    }

    /// A section written as one chunk; `None` when damaged or followed by anything.
    fn single<T: DeserializeOwned>(&self, section: Section) -> Option<T> {
        let (start, len) = self.section(section)?;
        let mut r = section_reader(self.reader.get_ref(), start, len);
        let value = read_chunk(&mut r, &mut Vec::new())?;
        (r.limit() == 0).then_some(value)
    }

    /// The leads' companies, to look up a few by id.
    pub fn names(&self) -> Option<Names> {
        let file = self.reader.get_ref().try_clone().ok()?;
        Names::open(file, self.section(Section::Names)?)
    }

    /// Leads `ids` whole, as [`LeadStream::take`] gives them.
    pub fn whole_leads(
        &self,
        ids: &std::collections::BTreeSet<Text>,
    ) -> Option<Vec<(Text, Box<Lead>)>> {
        let per_lead = [
            self.section(Section::Details)?,
            self.section(Section::History)?,
            self.section(Section::Notes)?,
        ];
        let leads = self.section(Section::Leads)?;
        let file = self.reader.get_ref();
        whole_leads(file, leads, per_lead, &self.head.lead_chunks, ids)
    }

    /// Handoffs `ids` as the cache holds them; an id it does not hold is left out. `None`
    /// when a chunk is damaged.
    pub fn some_handoffs<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Option<Vec<Box<crate::model::handoff::Handoff>>> {
        let mut found = Vec::new();
        self.each_handoff(ids, |_, h| found.extend(h.map(|h| Box::new(h.clone()))))?;
        Some(found)
    }

    /// The archived leads' ids, and whether some lead is not: what hiding the retired
    /// records of a state without its leads needs.
    pub fn retired_leads(&mut self) -> (std::collections::HashSet<Text>, bool) {
        let archived: std::collections::HashSet<Text> = std::mem::take(&mut self.head.archived)
            .into_iter()
            .collect();
        let live = self.head.leads > archived.len() as u64;
        (archived, live)
    }

    /// Lead `id` alone, with its handoffs and every conflict, retired or not: decoded from
    /// the one chunk of each per-lead section that holds it, and the handoffs' chunks (at
    /// a million entries, about 1 MiB of the cache instead of 100). `None` when the cache
    /// holds no such lead or a chunk is damaged: the caller takes the ordinary path.
    pub fn lead(mut self, id: &str) -> Option<State> {
        let c = self
            .head
            .lead_chunks
            .partition_point(|k| k.as_str() <= id)
            .checked_sub(1)?;
        let mut buf = Vec::new();
        let leads: Vec<(Text, Box<Lead>)> = self.nth_chunk(Section::Leads, c, &mut buf)?;
        let p = leads.binary_search_by(|(k, _)| k.as_str().cmp(id)).ok()?;
        let (key, mut lead) = leads.into_iter().nth(p)?;
        let details: Vec<Details> = self.nth_chunk(Section::Details, c, &mut buf)?;
        (lead.contact, lead.email, lead.tags, lead.crm_id) = details.into_iter().nth(p)?;
        let history: Vec<ThinVec<crate::model::lead::StageChange>> =
            self.nth_chunk(Section::History, c, &mut buf)?;
        lead.history = history.into_iter().nth(p)?;
        let notes: Vec<ThinVec<crate::model::lead::Note>> =
            self.nth_chunk(Section::Notes, c, &mut buf)?;
        lead.notes = notes.into_iter().nth(p)?;
        let handoffs: Vec<Vec<Text>> = self.nth_chunk(Section::LeadHandoffs, c, &mut buf)?;
        let handoffs = handoffs.into_iter().nth(p)?;
        let mut state = self.bare_state();
        state.leads.insert(key, lead);
        let mut found = Vec::with_capacity(handoffs.len());
        self.each_handoff(handoffs.iter().map(Text::as_str), |_, h| {
            found.push(h.map(|h| Box::new(h.clone())));
        })?;
        for (id, h) in handoffs.into_iter().zip(found) {
            state.handoffs.insert(id, h?);
        }
        let (start, len) = self.section(Section::Conflicts)?;
        self.reader.seek(SeekFrom::Start(start)).ok()?;
        let mut part = self.reader.by_ref().take(len);
        state.conflicted = read_map(&mut part, &mut buf)?;
        (part.limit() == 0).then_some(state)
    }

    /// The lead of each handoff of `ids` the cache holds; an id it does not hold is left
    /// out. `None` when a chunk is damaged.
    pub fn handoff_leads<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Option<HashMap<&'a str, Text>> {
        let mut leads = HashMap::new();
        self.each_handoff(ids, |id, h| {
            if let Some(h) = h {
                leads.insert(id, h.lead.clone());
            }
        })?;
        Some(leads)
    }

    /// Gives `f` each handoff of `ids` as the cache holds it (`None` when it holds no
    /// such handoff), each decoded from the one chunk of the handoffs that holds it, each
    /// chunk once. `None` when a chunk is damaged.
    fn each_handoff<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str>,
        mut f: impl FnMut(&'a str, Option<&crate::model::handoff::Handoff>),
    ) -> Option<()> {
        let mut buf = Vec::new();
        let mut chunks: BTreeMap<usize, Vec<(Text, Box<crate::model::handoff::Handoff>)>> =
            BTreeMap::new();
        for id in ids {
            let Some(n) = (self.head.handoff_chunks)
                .partition_point(|k| k.as_str() <= id)
                .checked_sub(1)
            else {
                f(id, None);
                continue;
            };
            let chunk = match chunks.entry(n) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(self.nth_chunk(Section::Handoffs, n, &mut buf)?)
                }
            };
            let at = chunk.binary_search_by(|(k, _)| k.as_str().cmp(id));
            f(id, at.ok().map(|i| &*chunk[i].1));
        }
        Some(())
    }

    /// Decodes the sections `needs` names; the others stay empty. `None` when any chunk is
    /// damaged.
    ///
    /// The leads are decoded on one thread and every other section on another (the
    /// per-lead ones into lists, joined to the leads at the end): at a million entries the
    /// leads are about half the work of a broad read, and most of it is the first touch of
    /// fresh memory, which two cores do side by side.
    pub fn state(mut self, needs: Needs) -> Option<State> {
        let needs = needs.whole();
        let bare = self.bare_state();
        let file = self.reader.get_ref();
        let mut at = self.body;
        let mut wanted: Vec<(Section, u64, u64)> = Vec::new();
        for (section, &len) in Section::ALL.iter().zip(&self.head.sections) {
            // `LeadHandoffs` is read by `lead` alone, `Digest` by a stream; nothing in the
            // state holds them.
            let apart = matches!(
                section,
                Section::LeadHandoffs
                    | Section::Digest
                    | Section::Metrics
                    | Section::Agenda
                    | Section::Names
            );
            if needs.has(*section) && !apart {
                wanted.push((*section, at, len));
            }
            at = at.checked_add(len)?;
        }
        let leads_at = wanted.iter().find(|w| w.0 == Section::Leads).copied();
        let handoffs_at = wanted.iter().find(|w| w.0 == Section::Handoffs).copied();
        // Without the leads, the handoffs may go to the second thread.
        let apart = match (leads_at, handoffs_at) {
            (None, Some((_, _, len))) if len >= APART_BYTES && wanted.len() > 1 => handoffs_at,
            _ => None,
        };
        let others = || {
            let mut rest = Decoded {
                state: bare,
                ..Decoded::default()
            };
            let mut buf = Vec::new();
            for &(section, start, len) in wanted
                .iter()
                .filter(|w| w.0 != Section::Leads && Some(**w) != apart)
            {
                rest.read(file, section, start, len, &mut buf)?;
            }
            Some(rest)
        };
        let (leads, mut rest) = match leads_at {
            // A read that passes over the leads apart (see `split`) still decodes a hundred
            // thousand handoffs at a million entries: those on a second thread. Small
            // sections stay on one: a second thread costs its own heap's first page.
            None => match apart {
                None => (None, others()),
                Some((_, start, len)) => std::thread::scope(|scope| {
                    let handoffs = scope.spawn(move || {
                        read_map(&mut section_reader(file, start, len), &mut Vec::new())
                    });
                    let mut rest = others();
                    let handoffs = handoffs.join().ok().flatten();
                    match (rest.as_mut(), handoffs) {
                        (Some(r), Some(h)) => r.state.handoffs = h,
                        _ => rest = None,
                    }
                    (None, rest)
                }),
            },
            Some((_, start, len)) => std::thread::scope(|scope| {
                let others = scope.spawn(others);
                let leads = read_map(&mut section_reader(file, start, len), &mut Vec::new());
                (Some(leads), others.join().ok().flatten())
            }),
        };
        let rest = rest.as_mut()?;
        let mut state = std::mem::take(&mut rest.state);
        if let Some(leads) = leads {
            state.leads = leads?;
        }
        let parts = std::mem::take(&mut rest.parts);
        if !parts.fits(state.leads.len()) {
            return None;
        }
        parts.join(state.leads.values_mut().map(|l| &mut **l));
        Some(state)
    }
}

impl Cached {
    /// The sections `needs` names but the leads, and the leads to read one chunk at a time:
    /// a report that looks at every lead once keeps what it shows, not 300,000 leads (at
    /// a million entries, most of a broad read's time is the first touch of the memory
    /// that holds them). `None` when a section is damaged.
    pub fn split(mut self, needs: Needs) -> Option<(State, LeadStream)> {
        let archived = std::mem::take(&mut self.head.archived);
        let live = self.head.leads > archived.len() as u64;
        let leads = self.section(Section::Leads)?;
        let digest = match needs.has(Section::Digest) {
            true => Some(self.section(Section::Digest)?),
            false => None,
        };
        let mut extras = [None; 3];
        for (i, section) in PER_LEAD.into_iter().enumerate() {
            if needs.has(section) && digest.is_none() {
                extras[i] = Some(self.section(section)?);
            }
        }
        let per_lead = [
            self.section(Section::Details)?,
            self.section(Section::History)?,
            self.section(Section::Notes)?,
        ];
        let lead_chunks = std::mem::take(&mut self.head.lead_chunks);
        let count = self.head.leads;
        let file = self.reader.get_ref().try_clone().ok()?;
        let rest = needs
            .without(Needs::DIGEST)
            .without(Needs::LEADS)
            .without(Needs::DETAILS)
            .without(Needs::HISTORY)
            .without(Needs::NOTES);
        let state = self.state(rest)?;
        Some((
            state,
            LeadStream {
                file,
                leads,
                digest,
                extras,
                chunks: lead_chunks.len(),
                archived,
                live,
                lead_chunks,
                per_lead,
                count,
                overlay: Vec::new(),
            },
        ))
    }
}

/// Each lead's company in a cache, looked up by id in the one small chunk of id and
/// company pairs that holds it (`NAME_CHUNK` of them, a few KiB), found through an index
/// of each chunk's first id and place at the head of the section.
pub struct Names {
    file: File,
    /// Where the chunks start, and the section's end.
    body: u64,
    end: u64,
    /// Each chunk's first id and its place after `body`.
    index: Vec<(Text, u64)>,
}

/// Id and company pairs per chunk of the `Names` section: a lookup decodes one chunk.
const NAME_CHUNK: usize = 128;

/// The `Names` section: an index chunk of each chunk's first id and place, then the
/// chunks of (id, company) pairs.
fn write_names(w: &mut impl Write, state: &State) -> std::io::Result<u64> {
    let pairs: Vec<(&Text, &Text)> = state.leads.values().map(|l| (&l.id, &l.company)).collect();
    let mut body = Vec::new();
    let mut index = Vec::with_capacity(pairs.len().div_ceil(NAME_CHUNK));
    for chunk in pairs.chunks(NAME_CHUNK) {
        index.push((chunk[0].0, body.len() as u64));
        write_chunk(&mut body, chunk)?;
    }
    let len = write_chunk(w, &index)?;
    w.write_all(&body)?;
    Ok(len + body.len() as u64)
}

impl Names {
    fn open(file: File, (start, len): (u64, u64)) -> Option<Names> {
        let mut r = section_reader(&file, start, len);
        let index: Vec<(Text, u64)> = read_chunk(&mut r, &mut Vec::new())?;
        let body = start + (len - r.limit());
        Some(Names {
            body,
            end: start.checked_add(len)?,
            index,
            file,
        })
    }

    /// The ids that start with `prefix` (archived leads' too), sorted: the few chunks that
    /// can hold them are decoded. `None` when a chunk is damaged.
    pub fn with_prefix(&self, prefix: &str) -> Option<Vec<String>> {
        let index = &self.index;
        let start = index
            .partition_point(|(k, _)| k.as_str() <= prefix)
            .saturating_sub(1);
        let mut found = Vec::new();
        let mut buf = Vec::new();
        for (n, (first, _)) in index.iter().enumerate().skip(start) {
            if n > start && first.as_str() > prefix && !first.starts_with(prefix) {
                break;
            }
            let pairs: Vec<(Text, Text)> = self.chunk(n, &mut buf)?;
            let ids = pairs.into_iter().map(|(id, _)| id);
            found.extend(ids.filter(|id| id.starts_with(prefix)).map(String::from));
        }
        Some(found)
    }

    /// Chunk `n` of pairs, read by its place in the index.
    fn chunk(&self, n: usize, buf: &mut Vec<u8>) -> Option<Vec<(Text, Text)>> {
        use std::os::unix::fs::FileExt;
        let at = self.body.checked_add(self.index.get(n)?.1)?;
        let mut head = [0u8; 16];
        self.file.read_exact_at(&mut head, at).ok()?;
        let len = u64::from_le_bytes(head[..8].try_into().ok()?);
        if at.checked_add(16)?.checked_add(len)? > self.end {
            return None;
        }
        buf.resize(usize::try_from(len).ok()?, 0);
        self.file.read_exact_at(buf, at + 16).ok()?;
        if content_hash(buf) != u64::from_le_bytes(head[8..].try_into().ok()?) {
            return None;
        }
        postcard::from_bytes(buf).ok()
    }

    /// Every lead's id (archived ones too), sorted: what telling which lead a prefix or a
    /// company names needs, at a million entries a few MiB instead of every lead decoded.
    /// `None` when a chunk is damaged.
    pub fn all_ids(&self) -> Option<Vec<String>> {
        let mut r = section_reader(&self.file, self.body, self.end.checked_sub(self.body)?);
        let mut ids = Vec::new();
        let mut buf = Vec::new();
        while r.limit() > 0 {
            let pairs: Vec<(Text, Text)> = read_chunk(&mut r, &mut buf)?;
            ids.extend(pairs.into_iter().map(|(id, _)| id.to_string()));
        }
        Some(ids)
    }

    /// The companies of leads `ids` (archived ones too); an id the cache does not hold is
    /// left out. `None` when a chunk is damaged.
    pub fn companies<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Option<HashMap<Text, Text>> {
        let ids: std::collections::BTreeSet<&str> = ids.into_iter().collect();
        let index = &self.index;
        let chunk_of = |id: &&str| {
            index
                .partition_point(|(k, _)| k.as_str() <= *id)
                .checked_sub(1)
        };
        let mut wanted: Vec<usize> = ids.iter().filter_map(chunk_of).collect();
        wanted.dedup();
        let mut found = HashMap::new();
        let mut buf = Vec::new();
        for n in wanted {
            let pairs = self.chunk(n, &mut buf)?;
            found.extend(
                pairs
                    .into_iter()
                    .filter(|(id, _)| ids.contains(id.as_str())),
            );
        }
        Some(found)
    }
}

/// Leads `ids` whole (details, history, notes), each decoded from the one chunk of each
/// per-lead section that holds it. Ids not held are left out; `None` when a chunk is
/// damaged.
fn whole_leads(
    file: &File,
    leads: (u64, u64),
    per_lead: [(u64, u64); 3],
    lead_chunks: &[Text],
    ids: &std::collections::BTreeSet<Text>,
) -> Option<Vec<(Text, Box<Lead>)>> {
    let chunk_of = |id: &Text| lead_chunks.partition_point(|k| k <= id).checked_sub(1);
    let mut wanted: Vec<usize> = ids.iter().filter_map(chunk_of).collect();
    wanted.dedup();
    let mut buf = Vec::new();
    let leads: Vec<Vec<(Text, Box<Lead>)>> = chunks_at(file, leads, &wanted, &mut buf)?;
    let [details, history, notes] = per_lead;
    let details: Vec<Vec<Details>> = chunks_at(file, details, &wanted, &mut buf)?;
    type Changes = ThinVec<crate::model::lead::StageChange>;
    let history: Vec<Vec<Changes>> = chunks_at(file, history, &wanted, &mut buf)?;
    type Notes = ThinVec<crate::model::lead::Note>;
    let notes: Vec<Vec<Notes>> = chunks_at(file, notes, &wanted, &mut buf)?;
    let mut found = Vec::new();
    for (((mut leads, details), history), notes) in
        leads.into_iter().zip(details).zip(history).zip(notes)
    {
        let parts = Extras {
            details: Some(details),
            history: Some(history),
            notes: Some(notes),
        };
        if !parts.fits(leads.len()) {
            return None;
        }
        parts.join(leads.iter_mut().map(|(_, l)| &mut **l));
        found.extend(leads.into_iter().filter(|(key, _)| ids.contains(key)));
    }
    Some(found)
}

/// The sections that hold something of each lead, in the leads' order and chunking.
const PER_LEAD: [Section; 3] = [Section::Details, Section::History, Section::Notes];

/// The leads of a cache, read chunk by chunk (with their details, stage history and notes
/// when asked), with the leads entries written since the cache changed put in their places.
pub struct LeadStream {
    file: File,
    leads: (u64, u64),
    /// Where the digests lie, when the stream passes digests rather than leads.
    digest: Option<(u64, u64)>,
    /// Where the per-lead sections asked for lie (`PER_LEAD` order).
    extras: [Option<(u64, u64)>; 3],
    chunks: usize,
    archived: Vec<Text>,
    live: bool,
    /// The first lead id of each chunk, to find the leads [`LeadStream::take`] is asked for.
    lead_chunks: Vec<Text>,
    /// Where the details, history and notes sections lie.
    per_lead: [(u64, u64); 3],
    /// How many leads the cache holds, archived ones included.
    count: u64,
    /// Leads passed instead of the cache's (same id) or besides them (new), in id order.
    overlay: Vec<(Text, Box<Lead>)>,
}

impl LeadStream {
    /// The ids of the archived leads.
    pub fn archived(&self) -> &[Text] {
        &self.archived
    }

    /// Whether some lead is not archived.
    pub fn any_live(&self) -> bool {
        self.live
    }

    /// Leads `ids` as the cache holds them, whole (details, history, notes): those a few
    /// entries written since the cache read or change, to be folded and handed back to
    /// [`LeadStream::overlay`]. Ids the cache does not hold are left out. `None` when a
    /// chunk is damaged.
    pub fn take(&self, ids: &std::collections::BTreeSet<Text>) -> Option<Vec<(Text, Box<Lead>)>> {
        whole_leads(
            &self.file,
            self.leads,
            self.per_lead,
            &self.lead_chunks,
            ids,
        )
    }

    /// Passes `leads` (in id order, folded since [`LeadStream::take`] gave them, `new` of
    /// them unknown to the cache) instead of the cache's leads of the same ids, or besides.
    /// Archived or not, they count as they are now.
    pub fn overlay(&mut self, leads: Vec<(Text, Box<Lead>)>, new: usize) {
        let mine: std::collections::HashSet<&Text> = leads.iter().map(|(k, _)| k).collect();
        self.archived.retain(|k| !mine.contains(k));
        self.archived.extend(
            leads
                .iter()
                .filter(|(_, l)| l.archived)
                .map(|(k, _)| k.clone()),
        );
        self.count += new as u64;
        self.live = self.count > self.archived.len() as u64;
        let [details, history, notes] = self.extras.map(|e| e.is_some());
        let digest = self.digest.is_some();
        self.overlay = leads
            .into_iter()
            .map(|(k, mut lead)| {
                if digest {
                    return (k, Box::new(LeadDigest::of(&lead).into_lead()));
                }
                // Exactly what the stream gives of the cache's leads.
                if !details {
                    (lead.contact, lead.email, lead.crm_id) = (None, None, None);
                    lead.tags = ThinVec::new();
                }
                if !history {
                    lead.history = ThinVec::new();
                }
                if !notes {
                    lead.notes = ThinVec::new();
                }
                (k, lead)
            })
            .collect();
    }

    /// Passes every lead but the archived ones, in id order, to `visit`. `false` when a
    /// chunk is damaged (what was visited then is not the whole: the caller takes the
    /// ordinary path).
    pub fn for_each(self, mut visit: impl FnMut(&Lead)) -> bool {
        let mut overlay = self.overlay.into_iter().peekable();
        let mut live = |l: &Lead| {
            if !l.archived {
                visit(l);
            }
        };
        // The cache's leads with the overlay's merged in by id; an overlay lead replaces
        // the cache's of the same id.
        let mut visit = |key: &Text, l: &Lead| {
            while let Some((k, o)) = overlay.next_if(|(k, _)| k <= key) {
                live(&o);
                if k == *key {
                    return;
                }
            }
            live(l);
        };
        let mut buf = Vec::new();
        let mut chunks = 0;
        if let Some((start, len)) = self.digest {
            // Decoded on a second thread a few chunks ahead, made leads there too, while this
            // one visits them: a metrics pass costs about what the decoding does.
            // The chunks visited go back to be freed on the thread that made them: freed on
            // this one, the allocator hands each block back through a shared list (at 1M
            // the funnel's CPU 150 -> 125-147 ms, its time 107-112 -> 104-110 ms).
            let file = &self.file;
            let whole = std::thread::scope(|scope| {
                let (send, decoded) = std::sync::mpsc::sync_channel::<Option<Vec<Lead>>>(4);
                let (give_back, spent) = std::sync::mpsc::sync_channel::<Vec<Lead>>(4);
                let reader = scope.spawn(move || {
                    let mut digests = section_reader(file, start, len);
                    let mut buf = Vec::new();
                    while digests.limit() > 0 {
                        spent.try_iter().for_each(drop);
                        let chunk = read_chunk::<Vec<LeadDigest>>(&mut digests, &mut buf)
                            .map(|c| c.into_iter().map(LeadDigest::into_lead).collect());
                        let damaged = chunk.is_none();
                        if send.send(chunk).is_err() || damaged {
                            return;
                        }
                    }
                });
                let mut whole = true;
                for chunk in decoded.iter() {
                    let Some(chunk) = chunk else {
                        whole = false;
                        break;
                    };
                    chunks += 1;
                    chunk.iter().for_each(|lead| visit(&lead.id, lead));
                    // Freed here only when the other thread is done or behind.
                    let _ = give_back.try_send(chunk);
                }
                drop(decoded);
                whole && reader.join().is_ok()
            });
            if whole {
                overlay.for_each(|(_, o)| live(&o));
            }
            return whole && chunks == self.chunks;
        }
        let mut leads = section_reader(&self.file, self.leads.0, self.leads.1);
        if self.extras.iter().all(Option::is_none) {
            while leads.limit() > 0 {
                let Some(chunk) = read_chunk::<Vec<(Text, Box<Lead>)>>(&mut leads, &mut buf) else {
                    return false;
                };
                chunks += 1;
                chunk.iter().for_each(|(k, l)| visit(k, l));
            }
            overlay.for_each(|(_, o)| live(&o));
            return chunks == self.chunks;
        }
        // The per-lead sections asked for (a million stage changes, say) are decoded on a
        // second thread, a few chunks ahead, while this one decodes the leads and visits
        // them.
        // The parts visited go back to be freed on that thread too (see the digests').
        let (file, extras) = (&self.file, self.extras);
        let asked = extras.map(|e| e.is_some());
        let whole = std::thread::scope(|scope| {
            let (send, parts) = std::sync::mpsc::sync_channel::<Option<Extras>>(4);
            let (give_back, spent) = std::sync::mpsc::sync_channel::<Extras>(4);
            let reader = scope.spawn(move || {
                let mut readers =
                    extras.map(|e| e.map(|(start, len)| section_reader(file, start, len)));
                let mut buf = Vec::new();
                while readers.iter().flatten().any(|r| r.limit() > 0) {
                    spent.try_iter().for_each(drop);
                    let [details, history, notes] = &mut readers;
                    let chunk = Extras::read(details, history, notes, &mut buf);
                    let damaged = chunk.is_none();
                    if send.send(chunk).is_err() || damaged {
                        return false;
                    }
                }
                true
            });
            let mut whole = true;
            while leads.limit() > 0 {
                let chunk = read_chunk::<Vec<(Text, Box<Lead>)>>(&mut leads, &mut buf);
                let (Some(chunk), Ok(Some(extras))) = (chunk, parts.recv()) else {
                    whole = false;
                    break;
                };
                if !extras.fits(chunk.len()) {
                    whole = false;
                    break;
                }
                chunks += 1;
                let mut chunk = chunk;
                extras.join(chunk.iter_mut().map(|(_, l)| &mut **l));
                chunk.iter().for_each(|(key, lead)| visit(key, lead));
                let back = Extras::take_back(chunk.iter_mut().map(|(_, l)| &mut **l), asked);
                let _ = give_back.try_send(back);
            }
            // Every chunk of the other sections taken, and no more than the leads'.
            let rest = parts.recv().is_err();
            drop(parts);
            let read = reader.join().unwrap_or(false);
            whole && rest && read && chunks == self.chunks
        });
        if whole {
            overlay.for_each(|(_, o)| live(&o));
        }
        whole
    }
}

/// One chunk of each per-lead section a [`LeadStream`] was asked for, or (in [`Decoded`])
/// each whole section.
#[derive(Default)]
struct Extras {
    details: Option<Vec<Details>>,
    history: Option<Vec<ThinVec<crate::model::lead::StageChange>>>,
    notes: Option<Vec<ThinVec<crate::model::lead::Note>>>,
}

impl Extras {
    /// The next chunk of each section given; `None` when one is damaged or at its end.
    fn read<R: Read>(
        details: &mut Option<std::io::Take<R>>,
        history: &mut Option<std::io::Take<R>>,
        notes: &mut Option<std::io::Take<R>>,
        buf: &mut Vec<u8>,
    ) -> Option<Extras> {
        let mut read = Extras::default();
        if let Some(r) = details {
            read.details = Some(read_chunk(r, buf)?);
        }
        if let Some(r) = history {
            read.history = Some(read_chunk(r, buf)?);
        }
        if let Some(r) = notes {
            read.notes = Some(read_chunk(r, buf)?);
        }
        Some(read)
    }

    /// Puts each lead's parts in place, the leads in the sections' order.
    fn join<'a>(self, leads: impl Iterator<Item = &'a mut Lead>) {
        let mut details = self.details.map(Vec::into_iter);
        let mut history = self.history.map(Vec::into_iter);
        let mut notes = self.notes.map(Vec::into_iter);
        for lead in leads {
            if let Some(d) = details.as_mut().and_then(Iterator::next) {
                (lead.contact, lead.email, lead.tags, lead.crm_id) = d;
            }
            if let Some(h) = history.as_mut().and_then(Iterator::next) {
                lead.history = h;
            }
            if let Some(n) = notes.as_mut().and_then(Iterator::next) {
                lead.notes = n;
            }
        }
    }

    /// What [`Extras::join`] gave `leads`, taken back out of them (each part asked for
    /// left empty), to be freed where it was decoded.
    fn take_back<'a>(leads: impl Iterator<Item = &'a mut Lead>, asked: [bool; 3]) -> Extras {
        let [details, history, notes] = asked;
        let mut back = Extras::default();
        for lead in leads {
            if details {
                let parts = (
                    lead.contact.take(),
                    lead.email.take(),
                    std::mem::take(&mut lead.tags),
                    lead.crm_id.take(),
                );
                back.details.get_or_insert_with(Vec::new).push(parts);
            }
            if history {
                let h = std::mem::take(&mut lead.history);
                back.history.get_or_insert_with(Vec::new).push(h);
            }
            if notes {
                let n = std::mem::take(&mut lead.notes);
                back.notes.get_or_insert_with(Vec::new).push(n);
            }
        }
        back
    }

    /// Whether each section's chunk holds exactly `n` leads' parts.
    fn fits(&self, n: usize) -> bool {
        self.details.as_ref().is_none_or(|d| d.len() == n)
            && self.history.as_ref().is_none_or(|h| h.len() == n)
            && self.notes.as_ref().is_none_or(|x| x.len() == n)
    }
}

/// The sections other than the leads, as [`Cached::state`] decodes them on its second
/// thread: the per-lead ones as lists in the leads' order.
#[derive(Default)]
struct Decoded {
    /// The per-lead sections, as lists in the leads' order.
    parts: Extras,
    /// The state the head describes, with every other section in place.
    state: State,
}

impl Decoded {
    fn read(
        &mut self,
        file: &File,
        section: Section,
        start: u64,
        len: u64,
        buf: &mut Vec<u8>,
    ) -> Option<()> {
        let r = &mut section_reader(file, start, len);
        match section {
            Section::Leads
            | Section::LeadHandoffs
            | Section::Digest
            | Section::Metrics
            | Section::Agenda
            | Section::Names => {}
            Section::Details => self.parts.details = Some(read_list(r, buf)?),
            Section::History => self.parts.history = Some(read_list(r, buf)?),
            Section::Notes => self.parts.notes = Some(read_list(r, buf)?),
            Section::Handoffs => self.state.handoffs = read_map(r, buf)?,
            Section::Feedback => self.state.feedback = read_map(r, buf)?,
            Section::Ideas => self.state.ideas = read_map(r, buf)?,
            Section::Wins => self.state.wins = read_map(r, buf)?,
            Section::Actions => self.state.actions = read_map(r, buf)?,
            Section::Goals => self.state.goals = read_map(r, buf)?,
            Section::Meetings => self.state.meetings = read_map(r, buf)?,
            Section::Causal => self.state.causal = read_map(r, buf)?,
            Section::Retracted => self.state.retracted = read_map(r, buf)?,
            Section::Members => self.state.members = read_map(r, buf)?,
            Section::Conflicts => self.state.conflicted = read_map(r, buf)?,
        }
        (r.limit() == 0).then_some(())
    }
}

/// `len` bytes of the cache from `start`, read by position: two threads read the one
/// file at once, each through its own buffer.
fn section_reader(file: &File, start: u64, len: u64) -> std::io::Take<BufReader<At<'_>>> {
    BufReader::with_capacity(1 << 16, At { file, pos: start }).take(len)
}

/// A reader of `file` from `pos` on, by `pread`: no shared file offset.
struct At<'a> {
    file: &'a File,
    pos: u64,
}

impl Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Chunks `wanted` (ascending, each once) of the section at `start` of `len` bytes,
/// reading only the 16-byte heads of the chunks between them, each by position (through
/// a buffered reader, every head refilled its 64 KiB buffer).
fn chunks_at<T: DeserializeOwned>(
    file: &File,
    (start, len): (u64, u64),
    wanted: &[usize],
    buf: &mut Vec<u8>,
) -> Option<Vec<T>> {
    use std::os::unix::fs::FileExt;
    let mut found = Vec::with_capacity(wanted.len());
    let (mut at, mut n) = (0u64, 0usize);
    for &w in wanted {
        loop {
            if at >= len {
                return None;
            }
            let mut head = [0u8; 16];
            file.read_exact_at(&mut head, start.checked_add(at)?).ok()?;
            let skip = u64::from_le_bytes(head[..8].try_into().ok()?);
            if n == w {
                found.push(read_chunk(
                    &mut section_reader(file, start + at, len - at),
                    buf,
                )?);
            }
            at = at.checked_add(16)?.checked_add(skip)?;
            n += 1;
            if n > w {
                break;
            }
        }
    }
    Some(found)
}

/// Every item of a section's chunks, in order (a per-lead section).
fn read_list<T: DeserializeOwned, R: Read>(
    r: &mut std::io::Take<R>,
    buf: &mut Vec<u8>,
) -> Option<Vec<T>> {
    let mut items: Vec<T> = Vec::new();
    while r.limit() > 0 {
        let mut chunk: Vec<T> = read_chunk(r, buf)?;
        items.append(&mut chunk);
    }
    Some(items)
}

/// One chunk: its length, its hash, then the postcard bytes.
fn read_chunk<T: DeserializeOwned>(r: &mut impl Read, buf: &mut Vec<u8>) -> Option<T> {
    let mut lead = [0u8; 16];
    r.read_exact(&mut lead).ok()?;
    let (len, sum) = lead.split_at(8);
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    buf.clear();
    r.by_ref().take(len as u64).read_to_end(buf).ok()?;
    if buf.len() != len || content_hash(buf) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    postcard::from_bytes(buf).ok()
}

fn write_chunk<T: Serialize + ?Sized>(w: &mut impl Write, value: &T) -> std::io::Result<u64> {
    // One buffer for every chunk of a write, not a fresh one each (page faults).
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with_borrow_mut(|scratch| {
        scratch.clear();
        let bytes =
            postcard::to_extend(value, std::mem::take(scratch)).map_err(std::io::Error::other)?;
        let written = (|| {
            w.write_all(&(bytes.len() as u64).to_le_bytes())?;
            w.write_all(&content_hash(&bytes).to_le_bytes())?;
            w.write_all(&bytes)?;
            Ok(16 + bytes.len() as u64)
        })();
        *scratch = bytes;
        written
    })
}

/// A map from its chunks. Collected first, then built in one pass: a map built by inserting
/// sorted keys one at a time leaves its nodes half empty.
fn read_map<K: DeserializeOwned + Ord, V: DeserializeOwned, R: Read>(
    r: &mut std::io::Take<R>,
    buf: &mut Vec<u8>,
) -> Option<BTreeMap<K, V>> {
    let mut pairs: Vec<(K, V)> = Vec::new();
    while r.limit() > 0 {
        let mut chunk: Vec<(K, V)> = read_chunk(r, buf)?;
        pairs.append(&mut chunk);
    }
    Some(pairs.into_iter().collect())
}

fn write_map<K: Serialize, V: Serialize>(
    w: &mut impl Write,
    map: &BTreeMap<K, V>,
) -> std::io::Result<u64> {
    let pairs: Vec<(&K, &V)> = map.iter().collect();
    write_chunks(w, &pairs)
}

/// A part of every lead, in the leads' order (see [`read_per_lead`]).
fn write_per_lead<'a, T: Serialize>(
    w: &mut impl Write,
    state: &'a State,
    part: impl Fn(&'a Lead) -> T,
) -> std::io::Result<u64> {
    let items: Vec<T> = state.leads.values().map(|l| part(l)).collect();
    write_chunks(w, &items)
}

fn write_chunks<T: Serialize>(w: &mut impl Write, items: &[T]) -> std::io::Result<u64> {
    let mut len = 0;
    for chunk in items.chunks(CHUNK) {
        len += write_chunk(w, chunk)?;
    }
    Ok(len)
}

/// Writes the cache atomically, streaming it to the file section by section. Not fsynced:
/// a cache lost in a crash is simply rebuilt. Failure is ignored for the same reason (a
/// read-only checkout still works).
pub fn write(root: &Path, config: &LoadedConfig, files: Vec<FileMark>, state: State) -> State {
    write_of(root, config, files, &state);
    state
}

/// [`write`] of a state lent.
pub fn write_of(root: &Path, config: &LoadedConfig, files: Vec<FileMark>, state: &State) {
    write_to(root, REL, config, files, state);
}

/// [`write`] of a look back's fold, to its own file: the cache of now stays.
pub fn write_past(root: &Path, config: &LoadedConfig, files: Vec<FileMark>, state: State) -> State {
    write_to(root, PAST_REL, config, files, &state);
    state
}

/// Removes the look back's fold unless it holds exactly the journal `files` mark (any
/// write since made it stale, and at a million entries it holds 185 MB), or when it is
/// damaged or of another version. Never follows a link: a link is removed itself.
pub fn drop_stale_past(root: &Path, config_hash: u64, files: &[FileMark]) {
    let (dir, name) = PAST_REL.rsplit_once('/').unwrap_or(("", PAST_REL));
    let Ok(cache) = crate::store::safe::Dir::root(root).and_then(|ws| ws.dir(dir, false)) else {
        return;
    };
    if !cache
        .entries()
        .is_ok_and(|e| e.iter().any(|(n, _)| n == name))
    {
        return;
    }
    if open_rel(root, PAST_REL, config_hash).is_some_and(|past| past.files == files) {
        return;
    }
    let _ = cache.remove(name);
}

fn write_to(root: &Path, rel: &str, config: &LoadedConfig, files: Vec<FileMark>, state: &State) {
    let _ = crate::store::safe::write_with(root, rel, false, |file| {
        let mut w = CountingWriter {
            out: std::io::BufWriter::with_capacity(1 << 16, file),
            written: 0,
        };
        w.write_all(MAGIC)?;
        let mut sections = Vec::with_capacity(Section::ALL.len());
        for section in Section::ALL {
            sections.push(match section {
                Section::Leads => write_map(&mut w, &state.leads)?,
                Section::Details => write_per_lead(&mut w, state, |l| {
                    (&l.contact, &l.email, &l.tags, &l.crm_id)
                })?,
                Section::History => write_per_lead(&mut w, state, |l| &l.history)?,
                Section::Notes => write_per_lead(&mut w, state, |l| &l.notes)?,
                Section::Handoffs => write_map(&mut w, &state.handoffs)?,
                Section::Feedback => write_map(&mut w, &state.feedback)?,
                Section::Ideas => write_map(&mut w, &state.ideas)?,
                Section::Wins => write_map(&mut w, &state.wins)?,
                Section::Actions => write_map(&mut w, &state.actions)?,
                Section::Goals => write_map(&mut w, &state.goals)?,
                Section::Meetings => write_map(&mut w, &state.meetings)?,
                Section::Causal => write_map(&mut w, &state.causal)?,
                Section::Retracted => write_map(&mut w, &state.retracted)?,
                Section::Members => write_map(&mut w, &state.members)?,
                Section::Conflicts => write_map(&mut w, &state.conflicted)?,
                Section::Digest => write_per_lead(&mut w, state, LeadDigest::of)?,
                Section::Metrics => {
                    write_chunk(&mut w, &MetricFacts::of(state, &config.config, config.tz))?
                }
                Section::Agenda => {
                    let live = state.leads.values().filter(|l| !l.archived);
                    let facts = AgendaFacts::of(live.map(|l| &**l), &config.config);
                    write_chunk(&mut w, &facts)?
                }
                Section::Names => write_names(&mut w, state)?,
                Section::LeadHandoffs => {
                    let mut by_lead: BTreeMap<&str, Vec<&Text>> = BTreeMap::new();
                    for h in state.handoffs.values() {
                        by_lead.entry(h.lead.as_str()).or_default().push(&h.id);
                    }
                    write_per_lead(&mut w, state, |l| {
                        by_lead.get(l.id.as_str()).cloned().unwrap_or_default()
                    })?
                }
            });
        }
        let head = Head {
            version: CACHE_VERSION,
            crate_version: env!("CARGO_PKG_VERSION").into(),
            config_hash: config.hash,
            files,
            last: state.last.clone(),
            entries: state.entries,
            causal_entries: state.causal_entries,
            latest: state.latest,
            future: state.future,
            deferred: state.deferred,
            ignored: state.ignored,
            ignored_first: state.ignored_first.clone(),
            sections,
            lead_chunks: firsts(state.leads.keys()),
            handoff_chunks: firsts(state.handoffs.keys()),
            archived: state
                .leads
                .values()
                .filter(|l| l.archived)
                .map(|l| l.id.clone())
                .collect(),
            leads: state.leads.len() as u64,
        };
        let at = w.written;
        write_chunk(&mut w, &head)?;
        w.write_all(&at.to_le_bytes())?;
        w.flush()
    });
}

/// The first key of each chunk of a map written by [`write_map`].
fn firsts<'a>(keys: impl Iterator<Item = &'a Text>) -> Vec<Text> {
    keys.step_by(CHUNK).cloned().collect()
}

/// Counts what passes through, to know where each part of the file starts.
struct CountingWriter<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A fast, stable 64-bit hash for change detection and cache integrity (XXH3, several
/// GB/s; not for security).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}
