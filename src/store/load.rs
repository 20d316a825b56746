//! Loading the state: from the cache when it is current, by applying new journal tails
//! when that is safe, or by a full fold of the journal otherwise.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::model::Text;
use crate::model::causal::EntryId;
use crate::model::entry::{Change, Entry, RecordRef};
use crate::model::handoff::Handoff;
use crate::model::lead::Lead;
use crate::model::metric_facts::MetricFacts;
use crate::model::state::{SortKey, State};
use crate::model::time::Instant;
use crate::store::cache::{self, FileMark, Needs, content_hash};
use crate::store::config::LoadedConfig;
use crate::store::journal::{self, JournalFile, LocatedEntry};

/// The largest journal file growth reads: far past a year of one person's entries, small
/// enough that a runaway or hostile file cannot exhaust memory. Checked before reading, and
/// no read goes past it.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

pub fn too_large(path: &Path, len: u64) -> Problem {
    Problem::new(path, (1, 1), format!("the file is {} MiB, over the {} MiB growth reads", len / 1_048_576, MAX_FILE_BYTES / 1_048_576))
        .hint("a journal file this big is damaged or not growth's; move it out of journal/, or split it into several files in the same month folder")
}

/// The state and the marks of the files it was folded from.
#[derive(Debug)]
pub struct Loaded {
    pub state: State,
    pub marks: Vec<FileMark>,
    /// Whether the state differs from what the cache holds.
    pub changed: bool,
    /// How many entries this load had to parse and apply beyond the cache.
    pub parsed: usize,
    /// Whether the whole journal was folded, with no cache to start from.
    pub whole: bool,
}

/// A file's text kept while its entries are applied, to locate refused entries.
struct Source {
    path: std::path::PathBuf,
    text: String,
}

/// Loads the state, using and refreshing the cache unless `fresh` asks for a full fold.
pub fn load(root: &Path, config: &LoadedConfig, fresh: bool) -> Result<Loaded> {
    load_parts(root, config, fresh, Needs::ALL)
}

/// A read whose cache is behind by at most this many entries applies them to just the
/// sections it needs, in memory, instead of loading, updating and rewriting the whole
/// cache (at a million entries: 0.3 s and 250 MiB against 1 s and 500 MiB).
const OVERLAY_MAX: usize = 2_000;

/// Like [`load`], but a read-only command that needs only some parts of the state gets
/// just those (the rest stays empty): decoded from a current cache, with the entries
/// written since applied on top when there are few of them. Otherwise the whole state is
/// loaded and the cache refreshed.
pub fn load_parts(root: &Path, config: &LoadedConfig, fresh: bool, needs: Needs) -> Result<Loaded> {
    match load_sections(root, config, fresh, needs, false)? {
        Some(loaded) => Ok(loaded),
        None => rebuild(config, &journal::list(root)?).map_err(Error::invalid),
    }
}

/// Exactly the sections `needs` names, from the cache and the entries written since it
/// when applying those needs no other section; `None` otherwise (the entries touch other
/// sections, or the cache cannot be used). For a read that has the rest from elsewhere
/// (the writers' index) and would rather not decode it twice.
pub fn load_exact(root: &Path, config: &LoadedConfig, needs: Needs) -> Result<Option<Loaded>> {
    load_sections(root, config, false, needs, true)
}

/// The sections `needs` names but the leads, and the leads to pass over one chunk at a
/// time: a broad report that keeps only what it shows of each lead. From a cache that
/// holds the journal, or that this clone wrote a few entries of leads, handoffs and
/// feedback since: those entries are folded into the sections and into the leads they
/// read or change, which the stream then passes in their places. `None` otherwise
/// (entries from a pull, other kinds, a changed file); [`load_parts`] is then the way.
pub fn load_streamed(
    root: &Path,
    config: &LoadedConfig,
    needs: Needs,
) -> Result<Option<(State, cache::LeadStream)>> {
    let files = journal::list(root)?;
    let Some((cached, tail)) = cache_and_local_tail(root, config, &files)? else {
        return Ok(None);
    };
    let Some(tail) = tail else {
        return Ok(cached.split(needs));
    };
    let Some(sections) = tail
        .entries
        .iter()
        .map(|e| sections_for(&e.entry.change))
        .try_fold(needs.and(Needs::CONFLICTS), |all, n| n.map(|n| all.and(n)))
    else {
        return Ok(None);
    };
    let Some((mut state, mut leads)) = cached.split(sections) else {
        return Ok(None);
    };
    // The leads the entries name, and those of the handoffs they name: every lead their
    // fold reads or changes (a handoff's decision may move its lead).
    let mut ids = std::collections::BTreeSet::new();
    for e in &tail.entries {
        for r in e.entry.change.refs() {
            match r {
                RecordRef::Lead(id) => {
                    ids.insert(Text::from(id));
                }
                RecordRef::Handoff(h) => {
                    if let Some(h) = state.handoffs.get(h) {
                        ids.insert(h.lead.clone());
                    }
                }
                _ => {}
            }
        }
    }
    let Some(found) = leads.take(&ids) else {
        return Ok(None);
    };
    let known = found.len();
    state.leads.extend(found);
    let sources = tail.sources;
    // A problem in those entries is for the ordinary path to report, with the whole state.
    if fold(&mut state, config, tail.entries, &files, |i| {
        sources.get(&i)
    })
    .is_err()
    {
        return Ok(None);
    }
    let touched: Vec<_> = std::mem::take(&mut state.leads).into_iter().collect();
    let new = touched.len().saturating_sub(known);
    leads.overlay(touched, new);
    Ok(Some((state, leads)))
}

/// The sections `needs` names but the leads, retired records hidden, and the metric facts
/// written with them: from a cache that holds the journal, since the facts hold for that
/// state alone, or that this clone wrote a few entries past. Entries about leads and
/// handoffs are folded into the records they read or change, decoded alone from their
/// chunks, and the facts take out what those records counted and put in what they count
/// now; entries about feedback are folded into that section when `needs` names it, and
/// like those about ideas, actions and wins (which no metric reads) passed over when it
/// names none of those. `None` otherwise (entries of other kinds or from a pull, an
/// archived lead among those records, steps whose order the leads' decides):
/// [`load_streamed`] is then the way.
///
/// With `agenda`, the agenda's facts too, brought up to date the same way, with a lookup
/// of the leads' companies and the leads the entries touched as they are now (which the
/// lookup holds as the cache wrote them).
pub fn load_facts(
    root: &Path,
    config: &LoadedConfig,
    needs: Needs,
    agenda: bool,
) -> Result<Option<FactParts>> {
    let files = journal::list(root)?;
    let Some((mut cached, tail)) = cache_and_local_tail(root, config, &files)? else {
        return Ok(None);
    };
    let Some(mut facts) = cached.metric_facts() else {
        return Ok(None);
    };
    let mut lead_facts = match agenda {
        true => match (cached.agenda_facts(), cached.names()) {
            (Some(facts), Some(names)) => Some((facts, names)),
            _ => return Ok(None),
        },
        false => None,
    };
    let (archived, any_live) = cached.retired_leads();
    let mut folded = None;
    let mut also = Needs::NONE;
    if let Some(tail) = tail {
        let Some((entries, more)) = entries_for(tail.entries, needs) else {
            return Ok(None);
        };
        also = more;
        if !entries.is_empty() {
            let Some(records) = records_of(&mut cached, &entries) else {
                return Ok(None);
            };
            folded = Some((entries, records, tail.sources));
        }
    }
    // The goals too, whatever the read asked for: the metric facts are brought up to date
    // against them (a read that leaves them out, as the team report, would never take the
    // facts after a write).
    let sections = needs.without(Needs::LEADS).and(Needs::GOALS).and(also);
    let Some(mut state) = cached.state(sections) else {
        return Ok(None);
    };
    let mut touched = Vec::new();
    if let Some((entries, (leads, handoffs), sources)) = folded {
        let old: Vec<Lead> = leads.iter().map(|(_, l)| (**l).clone()).collect();
        let old_handoffs: Vec<Handoff> = handoffs.iter().map(|(_, h)| (**h).clone()).collect();
        if !any_live || old.iter().any(|l| l.archived) {
            return Ok(None);
        }
        // Folded without the records' frontiers: entries written here saw everything
        // before them, so each value they set replaces the one before, as in a rebuild.
        // The conflicted registers are there when `needs` names them (an entry may settle
        // one), else fields that could still differ (a register's creator) count in no
        // metric.
        let made: Vec<Text> = (entries.iter())
            .filter_map(|e| match &e.entry.change {
                Change::HandoffCreate { id, .. } => Some(Text::from(id.as_str())),
                _ => None,
            })
            .collect();
        state.leads.extend(leads);
        // The handoffs the entries touch, over the section when it was decoded (the same).
        state.handoffs.extend(handoffs);
        if fold(&mut state, config, entries, &files, |i| sources.get(&i)).is_err() {
            return Ok(None);
        }
        let new: Vec<&Lead> = state.leads.values().map(|l| &**l).collect();
        if new.iter().any(|l| l.archived) {
            return Ok(None);
        }
        // Those the entries read or changed, and those they made (the section, when it was
        // decoded, holds every other handoff as the cache did).
        let ids = (old_handoffs.iter().map(|h| &h.id)).chain(&made);
        let new_handoffs: Vec<&Handoff> = ids
            .filter_map(|id| state.handoffs.get(id).map(|h| &**h))
            .collect();
        let old: Vec<&Lead> = old.iter().collect();
        let old_handoffs: Vec<&Handoff> = old_handoffs.iter().collect();
        let changed = (&old[..], &old_handoffs[..]);
        let now = (&new[..], &new_handoffs[..]);
        if !facts.replace(&state, &config.config, config.tz, changed, now) {
            return Ok(None);
        }
        if let Some((lead_facts, _)) = &mut lead_facts
            && !lead_facts.replace(&config.config, &old, &new)
        {
            return Ok(None);
        }
        touched = std::mem::take(&mut state.leads).into_values().collect();
        if !needs.includes(Needs::HANDOFFS) {
            state.handoffs.clear();
        }
        if !needs.has_conflicts() {
            state.conflicted.clear();
        }
    }
    state.hide_retired_but_leads(&archived, any_live);
    Ok(Some(FactParts {
        state,
        metrics: facts,
        agenda: lead_facts.map(|(facts, names)| AgendaParts {
            facts,
            names,
            archived,
            touched,
        }),
    }))
}

/// Every lead's id, archived ones too, sorted (with `prefixes`, only those that start with
/// one of them): from the cache's names when it holds the journal, or with the leads this
/// clone added since (entries of the kinds a read folds
/// over the cache, none of which takes a lead away). `None` otherwise (a retraction, a
/// pull, a damaged chunk): the stream of the leads is then the way.
pub fn lead_ids(
    root: &Path,
    config: &LoadedConfig,
    prefixes: Option<&[&str]>,
) -> Result<Option<Vec<String>>> {
    let files = journal::list(root)?;
    let Some((cached, tail)) = cache_and_local_tail(root, config, &files)? else {
        return Ok(None);
    };
    let mut added = Vec::new();
    for e in tail.iter().flat_map(|t| &t.entries) {
        match &e.entry.change {
            Change::LeadAdd(fields) => added.push(fields.id.clone()),
            change if sections_for(change).is_some() => {}
            _ => return Ok(None),
        }
    }
    let Some(names) = cached.names() else {
        return Ok(None);
    };
    let (ids, added) = match prefixes {
        None => (names.all_ids(), added),
        Some(prefixes) => {
            let ids: Option<Vec<Vec<String>>> =
                prefixes.iter().map(|p| names.with_prefix(p)).collect();
            let starts = |id: &String| prefixes.iter().any(|p| id.starts_with(p));
            (
                ids.map(|ids| ids.concat()),
                added.into_iter().filter(starts).collect(),
            )
        }
    };
    let Some(mut ids) = ids else {
        return Ok(None);
    };
    ids.extend(added);
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

/// What [`load_facts`] reads.
pub struct FactParts {
    pub state: State,
    pub metrics: MetricFacts,
    pub agenda: Option<AgendaParts>,
}

/// The agenda's facts, and what finds the companies of the leads it names.
pub struct AgendaParts {
    pub facts: crate::model::agenda_facts::AgendaFacts,
    pub names: cache::Names,
    /// The leads archived as the cache was written (none of those touched is).
    pub archived: std::collections::HashSet<Text>,
    /// The leads the entries since the cache touched, as they are now.
    pub touched: Vec<Box<Lead>>,
}

impl AgendaParts {
    /// The companies of leads `ids` as they are now, leaving out those archived (as a
    /// stream of the leads does); `None` when a chunk is damaged.
    pub fn companies(&self, ids: &[&str]) -> Option<HashMap<String, String>> {
        let touched = |id: &str| self.touched.iter().find(|l| l.id == id);
        let cached = ids.iter().copied().filter(|id| touched(id).is_none());
        let mut found: HashMap<String, String> = (self.names.companies(cached)?.into_iter())
            .filter(|(id, _)| !self.archived.contains(id))
            .map(|(id, company)| (id.into(), company.into()))
            .collect();
        for lead in ids.iter().filter_map(|id| touched(id)) {
            found.insert(lead.id.to_string(), lead.company.to_string());
        }
        Some(found)
    }
}

/// The entries of `tail` to fold for a read of `needs` from the facts: those about leads
/// and handoffs, and those about a section `needs` names (with the sections beyond it they
/// read, small ones); the others passed over when no metric reads them and `needs` names
/// none of their sections. `None` when one is of a kind that changes the goals, the
/// meetings or anything else a metric counts (or only the full state takes).
fn entries_for(entries: Vec<LocatedEntry>, needs: Needs) -> Option<(Vec<LocatedEntry>, Needs)> {
    let mut kept = Vec::new();
    // The small sections an entry kept reads beyond `needs` (the meeting an action comes
    // from).
    let mut more = Needs::NONE;
    let readable = needs
        .and(Needs::LEADS)
        .and(Needs::HANDOFFS)
        .and(Needs::MEETINGS);
    for e in entries {
        let change = &e.entry.change;
        // The leads and handoffs an entry reads are decoded alone (see `records_of`).
        match sections_for(change) {
            Some(s) if readable.includes(s) => {
                more = more.and(s.without(Needs::LEADS).without(Needs::HANDOFFS));
                kept.push(e);
            }
            // About records the read does not show, that no metric counts.
            _ if beside_metrics(change).is_some_and(|s| !needs.overlaps(s)) => {}
            _ => return None,
        }
    }
    Some((kept, more))
}

type Records = (Vec<(Text, Box<Lead>)>, Vec<(Text, Box<Handoff>)>);

/// Every lead and handoff the fold of `entries` reads or changes, as the cache holds them:
/// the leads they name and those of the handoffs they name, those handoffs, and each of
/// those leads' current handoff (a handoff again or a closed stage closes it). `None`
/// when a chunk is damaged, or an entry makes a handoff under an id the cache holds.
fn records_of(cached: &mut cache::Cached, entries: &[LocatedEntry]) -> Option<Records> {
    let mut lead_ids = std::collections::BTreeSet::new();
    let mut handoff_ids = std::collections::BTreeSet::new();
    for e in entries {
        for r in e.entry.change.refs() {
            match r {
                RecordRef::Lead(id) => _ = lead_ids.insert(Text::from(id)),
                RecordRef::Handoff(id) => _ = handoff_ids.insert(Text::from(id)),
                _ => {}
            }
        }
    }
    // A handoff made under an id the cache holds is for a rebuild to refuse.
    let made = entries.iter().filter_map(|e| match &e.entry.change {
        Change::HandoffCreate { id, .. } => Some(id.as_str()),
        _ => None,
    });
    if !cached.some_handoffs(made)?.is_empty() {
        return None;
    }
    let named = cached.some_handoffs(handoff_ids.iter().map(Text::as_str))?;
    lead_ids.extend(named.iter().map(|h| h.lead.clone()));
    let leads = cached.whole_leads(&lead_ids)?;
    handoff_ids.extend(leads.iter().filter_map(|(_, l)| l.handoff.clone()));
    let handoffs = cached.some_handoffs(handoff_ids.iter().map(Text::as_str))?;
    let handoffs = handoffs.into_iter().map(|h| (h.id.clone(), h)).collect();
    Some((leads, handoffs))
}

/// [`load_parts`] up to the rebuild: `None` where a rebuild is due, or with `exact`, where
/// the state would take sections beyond `needs`.
fn load_sections(
    root: &Path,
    config: &LoadedConfig,
    fresh: bool,
    needs: Needs,
    exact: bool,
) -> Result<Option<Loaded>> {
    let files = journal::list(root)?;
    if !fresh && let Some(cached) = cache::open_fitting(root, config.hash, config.horizon, &files) {
        if cached.matches(&files) {
            let marks = cached.files.clone();
            if let Some(state) = cached.state(needs) {
                return Ok(Some(Loaded {
                    state,
                    marks,
                    changed: false,
                    parsed: 0,
                    whole: false,
                }));
            }
        } else if !cached.deferred()
            && let Some(tail) =
                read_tail(&cached.files, cached.last(), cached.causal_folded(), &files)?
        {
            let parsed = tail.entries.len();
            // Entries this clone wrote saw everything before them: they cannot make a
            // conflict, so they apply without the records' frontiers (a large section).
            // Entries from elsewhere (a pull) may, and take the frontiers along.
            let local = written_here(root, &tail, &files);
            let frontiers = if local {
                Needs::CONFLICTS
            } else {
                Needs::CAUSAL.and(Needs::CONFLICTS)
            };
            let touched = tail
                .entries
                .iter()
                .map(|e| sections_for(&e.entry.change).map(|n| n.and(frontiers)))
                .try_fold(needs, |all, n| n.map(|n| all.and(n)));
            let overlay = match touched {
                Some(sections) if needs != Needs::ALL && parsed <= OVERLAY_MAX => Some(sections),
                _ => None,
            };
            if exact && overlay != Some(needs) {
                return Ok(None);
            }
            if let Some(mut state) = cached.state(overlay.unwrap_or(Needs::ALL)) {
                fold(&mut state, config, tail.entries, &files, |i| {
                    tail.sources.get(&i)
                })
                .map_err(Error::invalid)?;
                return Ok(Some(Loaded {
                    state,
                    // A partial state is never written back.
                    changed: overlay.is_none() && tail.marks != tail.cached,
                    marks: tail.marks,
                    parsed,
                    whole: false,
                }));
            }
        }
    }
    Ok(None)
}

/// The cache for a read that takes parts of it, with the entries written since when there
/// are any: `None` unless it fits the read and those entries are few and all this
/// clone's (they saw everything before them: no conflict, no frontiers needed).
fn cache_and_local_tail(
    root: &Path,
    config: &LoadedConfig,
    files: &[JournalFile],
) -> Result<Option<(cache::Cached, Option<Tail>)>> {
    let Some(cached) = cache::open_fitting(root, config.hash, config.horizon, files) else {
        return Ok(None);
    };
    if cached.matches(files) {
        return Ok(Some((cached, None)));
    }
    // Files another clone wrote (a pull) are not read here: the caller's ordinary path
    // reads them once.
    let marks: HashMap<&str, &FileMark> =
        cached.files.iter().map(|m| (m.rel.as_str(), m)).collect();
    let changed = files.iter().filter(|f| {
        marks
            .get(f.rel.as_str())
            .is_none_or(|m| m.len != f.len || m.mtime_ns != f.mtime_ns)
    });
    if cached.deferred() || !all_written_here(root, changed.map(|f| f.rel.as_str())) {
        return Ok(None);
    }
    let Some(tail) = read_tail(&cached.files, cached.last(), cached.causal_folded(), files)? else {
        return Ok(None);
    };
    if tail.entries.len() > OVERLAY_MAX {
        return Ok(None);
    }
    Ok(Some((cached, Some(tail))))
}

/// Whether every entry of `tail` was written by this clone (a file named after its
/// device): such entries saw everything before them and cannot make a conflict.
fn written_here(root: &Path, tail: &Tail, files: &[JournalFile]) -> bool {
    all_written_here(
        root,
        tail.entries
            .iter()
            .map(|e| files[e.file as usize].rel.as_str()),
    )
}

/// Whether each journal file of `rels` is one this clone writes: named after its author
/// and this clone's device.
fn all_written_here<'a>(root: &Path, mut rels: impl Iterator<Item = &'a str>) -> bool {
    let device = crate::store::safe::read(root, ".growth/device", 64)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    device.as_deref().is_some_and(|d| {
        let mark = format!("-{d}");
        rels.all(|rel| {
            journal::file_author(rel).is_some()
                && rel.rsplit('/').next().is_some_and(|n| n.contains(&mark))
        })
    })
}

/// Lead `id` with its handoffs and the conflicts, decoded alone from the cache (see
/// [`cache::Cached::lead`]). When this clone wrote a few entries since the cache, those
/// about this lead and its handoffs are applied on top, as [`load_parts`] applies them to
/// whole sections; entries about other records change nothing shown and are passed
/// over. `None` when that does not hold (entries from a pull, a retraction, a changed
/// file, the lead unknown to the cache): the caller then loads the usual way.
pub fn lead_parts(root: &Path, config: &LoadedConfig, id: &str) -> Result<Option<State>> {
    let files = journal::list(root)?;
    let Some((cached, tail)) = cache_and_local_tail(root, config, &files)? else {
        return Ok(None);
    };
    let Some(tail) = tail else {
        return Ok(cached.lead(id));
    };
    let Some(mut state) = cached.lead(id) else {
        return Ok(None);
    };
    // The lead's handoffs, those created since the cache included.
    let mut handoffs: std::collections::HashSet<String> =
        state.handoffs.keys().map(|h| h.to_string()).collect();
    for e in &tail.entries {
        if let Change::HandoffCreate { id: h, lead, .. } = &e.entry.change
            && lead == id
        {
            handoffs.insert(h.clone());
        }
    }
    let mut about = Vec::new();
    for e in tail.entries {
        match concerns(&e.entry.change, id, &handoffs) {
            Some(true) => about.push(e),
            Some(false) => {}
            None => return Ok(None),
        }
    }
    let sources = tail.sources;
    fold(&mut state, config, about, &files, |i| sources.get(&i)).map_err(Error::invalid)?;
    Ok(Some(state))
}

/// Whether `change` is about lead `id` or one of its `handoffs`; `None` for kinds that
/// may change what `lead show` shows in other ways (a retraction may take back a note).
fn concerns(
    change: &Change,
    id: &str,
    handoffs: &std::collections::HashSet<String>,
) -> Option<bool> {
    Some(match change {
        Change::LeadAdd(fields) => fields.id == id,
        Change::LeadEdit { lead, .. }
        | Change::LeadStage { lead, .. }
        | Change::LeadQualify { lead, .. }
        | Change::LeadUnqualify { lead, .. }
        | Change::LeadArchive { lead, .. }
        | Change::HandoffCreate { lead, .. } => lead == id,
        Change::HandoffAccept { handoff, .. }
        | Change::HandoffReject { handoff, .. }
        | Change::HandoffContact { handoff, .. }
        | Change::HandoffReopen { handoff }
        | Change::HandoffWithdraw { handoff, .. }
        | Change::HandoffUncontact { handoff } => handoffs.contains(handoff),
        Change::Retract { .. } => return None,
        // Feedback, ideas, wins, actions, goals, meetings and members are not shown.
        _ => false,
    })
}

/// The section of the records `change` changes when it leaves the goals' metrics, the
/// funnel, the goals and the meetings as they were (it is about records no metric
/// counts); `None` otherwise.
fn beside_metrics(change: &Change) -> Option<Needs> {
    Some(match change {
        Change::FeedbackAdd { .. }
        | Change::FeedbackResolve { .. }
        | Change::FeedbackStatus { .. } => Needs::FEEDBACK,
        Change::IdeaAdd { .. } | Change::IdeaStatus { .. } => Needs::IDEAS,
        Change::ActionAdd { .. }
        | Change::ActionDone { .. }
        | Change::ActionEdit { .. }
        | Change::ActionStatus { .. } => Needs::ACTIONS,
        Change::WinAdd { .. } | Change::WinWithdraw { .. } => Needs::WINS,
        _ => return None,
    })
}

/// The cache sections that applying `change` reads or changes, or `None` for kinds only
/// the full state should take.
fn sections_for(change: &Change) -> Option<Needs> {
    match change {
        // A lead reaching a closed stage closes its open handoff; a handoff reopened moves
        // its lead.
        Change::LeadAdd(_)
        | Change::LeadEdit { .. }
        | Change::LeadStage { .. }
        | Change::LeadQualify { .. }
        | Change::LeadUnqualify { .. }
        | Change::LeadArchive { .. }
        | Change::HandoffCreate { .. }
        | Change::HandoffAccept { .. }
        | Change::HandoffReject { .. }
        | Change::HandoffContact { .. }
        | Change::HandoffUncontact { .. }
        | Change::HandoffReopen { .. }
        | Change::HandoffWithdraw { .. } => Some(Needs::LEADS.and(Needs::HANDOFFS)),
        Change::FeedbackAdd { .. }
        | Change::FeedbackResolve { .. }
        | Change::FeedbackStatus { .. } => Some(Needs::FEEDBACK),
        // An idea may name a lead, which must be there.
        Change::IdeaAdd { .. } => Some(Needs::IDEAS.and(Needs::LEADS)),
        Change::IdeaStatus { .. } => Some(Needs::IDEAS),
        Change::WinAdd { .. } | Change::WinWithdraw { .. } => Some(Needs::WINS),
        // An action may come from a meeting, which must be there.
        Change::ActionAdd { .. } => Some(Needs::ACTIONS.and(Needs::MEETINGS)),
        Change::ActionDone { .. } | Change::ActionEdit { .. } | Change::ActionStatus { .. } => {
            Some(Needs::ACTIONS)
        }
        _ => None,
    }
}

/// The conflicted registers alone, from the cache, retired records included: what
/// `conflicts` shows. When this clone wrote a few entries since the cache, they are passed
/// over if none touches a record in conflict: an entry written here saw everything before
/// it and cannot make a conflict, only settle one of a record it writes (a handoff's
/// decision writes its lead too, looked up in the cache). `None` otherwise (entries from
/// a pull, a retraction, one about a record in conflict, a changed file): the caller then
/// loads the usual way, which applies them.
pub fn conflict_parts(root: &Path, config: &LoadedConfig) -> Result<Option<State>> {
    let files = journal::list(root)?;
    let Some((mut cached, tail)) = cache_and_local_tail(root, config, &files)? else {
        return Ok(None);
    };
    let Some(tail) = tail else {
        return Ok(cached.state(Needs::CONFLICTS));
    };
    let mut touched = std::collections::HashSet::new();
    let mut handoffs = std::collections::BTreeSet::new();
    for e in &tail.entries {
        if matches!(e.entry.change, Change::Retract { .. }) {
            return Ok(None);
        }
        Scope::each(&e.entry.change, |r| {
            if let RecordRef::Handoff(h) = r {
                handoffs.insert(h.to_string());
            }
            touched.insert(Scope::key(&r));
        });
    }
    let Some(leads) = cached.handoff_leads(handoffs.iter().map(String::as_str)) else {
        return Ok(None);
    };
    // A handoff created since the cache names its lead itself (`Scope::each`).
    touched.extend(
        leads
            .values()
            .map(|l| crate::model::causal::key("lead", l).to_string()),
    );
    let Some(state) = cached.state(Needs::CONFLICTS) else {
        return Ok(None);
    };
    if touched
        .iter()
        .any(|k| state.conflicted.contains_key(k.as_str()))
    {
        return Ok(None);
    }
    Ok(Some(state))
}

/// What changed in the journal since the cache: the new marks, and the new entries parsed
/// from the grown files' tails, in fold order.
pub(crate) struct Tail {
    cached: Vec<FileMark>,
    pub(crate) marks: Vec<FileMark>,
    pub(crate) entries: Vec<LocatedEntry>,
    sources: HashMap<usize, Source>,
}

/// The entries of format 2 written since `marks` (another clone's, after a pull), when
/// every change since is such entries appended or in new files; `None` otherwise (a file
/// edited or gone, an entry of format 1). See [`read_tail`].
pub(crate) fn tail_since(
    marks: &[FileMark],
    last: Option<&SortKey>,
    files: &[JournalFile],
) -> Result<Option<Tail>> {
    read_tail(marks, last, true, files)
}

/// Applies `tail` to `state` as a load applies it to the cache's state.
pub(crate) fn fold_tail(
    state: &mut State,
    config: &LoadedConfig,
    tail: Tail,
    files: &[JournalFile],
) -> std::result::Result<(), Vec<Problem>> {
    let sources = tail.sources;
    fold(state, config, tail.entries, files, |i| sources.get(&i))
}

/// The entries written since the cache, or `None` when they cannot simply be applied on
/// top of it (a file was edited, removed, or brought entries older than the cache's
/// newest) and a full fold is needed.
fn read_tail(
    cached_files: &[FileMark],
    last: Option<&SortKey>,
    causal_folded: bool,
    files: &[JournalFile],
) -> Result<Option<Tail>> {
    let known: HashMap<&str, &FileMark> =
        cached_files.iter().map(|m| (m.rel.as_str(), m)).collect();
    // A cached file that is gone (paths are unique in both lists).
    if files
        .iter()
        .filter(|f| known.contains_key(f.rel.as_str()))
        .count()
        != known.len()
    {
        return Ok(None);
    }
    let mut marks = Vec::with_capacity(files.len());
    let mut sources = HashMap::new();
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let mark = known.get(f.rel.as_str()).copied();
        if let Some(m) = mark
            && m.len == f.len
            && m.mtime_ns == f.mtime_ns
        {
            marks.push(m.clone());
            continue;
        }
        let bytes = crate::store::safe::read_listed(&f.path(), MAX_FILE_BYTES)?;
        let (start, first_index) = match mark {
            None => (0, 0),
            Some(m) => match bytes.get(..usize::try_from(m.len).unwrap_or(usize::MAX)) {
                Some(prefix) if content_hash(prefix) == m.hash => (prefix.len(), m.entries),
                _ => return Ok(None),
            },
        };
        let (mut found, mut trouble) = parse_file(
            u32::try_from(i).unwrap_or(u32::MAX),
            &f.path(),
            &bytes,
            start,
            first_index,
        );
        problems.append(&mut trouble);
        marks.push(FileMark {
            rel: f.rel.clone(),
            len: bytes.len() as u64,
            mtime_ns: f.mtime_ns,
            hash: content_hash(&bytes),
            entries: first_index + u32::try_from(found.len()).unwrap_or(u32::MAX),
        });
        entries.append(&mut found);
        sources.insert(
            i,
            Source {
                path: f.path(),
                text: String::from_utf8(bytes).unwrap_or_default(),
            },
        );
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    // Format-1 entries fold before all others, in time order: one that arrives after
    // format-2 entries were folded, or older than the last one folded, needs a rebuild.
    let legacy_late = entries.iter().any(|e| {
        e.entry.after.is_none()
            && (causal_folded
                || last.is_some_and(|last| e.sort_key(&files[e.file as usize].rel) <= *last))
    });
    if legacy_late {
        return Ok(None);
    }
    Ok(Some(Tail {
        cached: cached_files.to_vec(),
        marks,
        entries,
        sources,
    }))
}

type Parsed = (usize, Vec<LocatedEntry>, Vec<Problem>, FileMark, Source);

/// Folds every journal file from scratch: month folder by month folder when the journal
/// allows it, else all at once.
fn rebuild(config: &LoadedConfig, files: &[JournalFile]) -> Result<Loaded, Vec<Problem>> {
    match rebuild_by_month(config, files) {
        Some(loaded) => Ok(loaded),
        None => rebuild_at_once(config, files),
    }
}

/// How long before its month a folder's entries may start: a workspace's time zone is at
/// most 14 h off UTC, and may have been changed since.
const MONTH_SLACK_MS: i64 = 48 * 3_600_000;

/// The fold of the journal, holding only about two months of parsed entries at a time
/// instead of all of them (at a million entries: a few hundred MiB, not 1.7 GiB). The
/// entries of folder `YYYY-MM` are written in that month, so once it is parsed everything
/// before the next folder's month can be applied. `None` when that does not hold (a later
/// folder brought an entry older than one already applied: a hand edit, a backdated
/// entry) or when anything is wrong with a file: the caller then folds all at once,
/// which also reports every problem.
fn rebuild_by_month(config: &LoadedConfig, files: &[JournalFile]) -> Option<Loaded> {
    fn month_of(f: &JournalFile) -> &str {
        f.rel.split('/').nth(1).unwrap_or_default()
    }
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if month_of(&files[g.start]) == month_of(f) => g.end = i + 1,
            _ => groups.push(i..i + 1),
        }
    }
    let mut state = State::default();
    state.begin_fold();
    let mut marks = vec![None; files.len()];
    // What earlier folders left for later ones, as parts in the order read.
    let mut carry: Vec<Vec<LocatedEntry>> = Vec::new();
    let mut applied: Option<(crate::model::time::Instant, u32, u32)> = None;
    let mut folded: std::collections::HashSet<EntryId> = std::collections::HashSet::new();
    let mut parsed = 0;
    let journal_bytes: u64 = files.iter().map(|f| f.len).sum();
    let bar = crate::progress::Folding::start(groups.len(), journal_bytes);
    // The next month folder is parsed while this one is folded (the fold is serial).
    std::thread::scope(|scope| -> Option<()> {
        let mut next = groups
            .first()
            .map(|r| scope.spawn(move || parse_all(files, r.clone(), false)));
        for g in 0..groups.len() {
            let month = next.take()?.join().ok()?;
            let outsized_month = outsized(files, &groups[g], journal_bytes);
            if outsized_month {
                // The month's entries live in pages of the parse threads, gone now; taken
                // over here, what the fold frees of them (`release`) is reused for the
                // state it builds instead of new pages. Its files' text goes back too.
                crate::release_freed_memory();
            }
            next = groups
                .get(g + 1)
                .map(|r| scope.spawn(move || parse_all(files, r.clone(), false)));
            // The entries stay in the vectors they were parsed into; the fold reads them
            // by reference. Gathering them into one vector held an import's month twice
            // (its files' vectors and the copy, each half a GiB at a million entries).
            let mut parts = std::mem::take(&mut carry);
            parts.reserve(month.len());
            for (i, entries, problems, mark, _) in month {
                // Format-1 entries fold in time order, all before format 2's.
                if !problems.is_empty()
                    || entries.iter().any(|e| {
                        e.entry.after.is_none()
                            && (state.causal_entries > 0 || applied.is_some_and(|a| e.order() <= a))
                    })
                {
                    return None;
                }
                parsed += entries.len();
                parts.push(entries);
                marks[i] = Some(mark);
            }
            let last_group = g + 1 == groups.len();
            // Format 1: everything before the next folder's month may be applied.
            let horizon = match groups.get(g + 1) {
                None => i64::MAX,
                Some(next) => match month_start_ms(month_of(&files[next.start])) {
                    Some(start) => start - MONTH_SLACK_MS,
                    None => {
                        carry = parts;
                        continue;
                    }
                },
            };
            // Format-1 entries from before the horizon, and every format-2 entry, make this
            // folder's batch (in the order read); later format-1 entries wait.
            let late = |e: &LocatedEntry| e.entry.after.is_none() && e.at.0 >= horizon;
            let batch: Vec<&LocatedEntry> = parts.iter().flatten().filter(|e| !late(e)).collect();
            let causal = batch.iter().any(|e| e.entry.after.is_some());
            if causal && parts.iter().flatten().any(late) {
                return None;
            }
            if let Some(last) = batch
                .iter()
                .filter(|e| e.entry.after.is_none())
                .map(|e| e.order())
                .max()
            {
                applied = Some(last);
            }
            // Format 2: whatever has its parents folded; the rest waits for later folders.
            let wait = (!last_group).then_some(&folded);
            let (now, left) = order_of(&batch, wait, config.horizon);
            folded.extend(
                now.iter()
                    .map(|&i| batch[i])
                    .filter(|e| e.entry.after.is_some())
                    .map(|e| e.entry.id),
            );
            let mut waits = vec![false; batch.len()];
            for &i in &left {
                waits[i] = true;
            }
            // Where each of the batch sits in `parts`, so that a folded entry can let go of
            // its fields while the rest of the month is folded.
            let place: Vec<(u32, u32)> = parts
                .iter()
                .enumerate()
                .flat_map(|(p, part)| {
                    part.iter()
                        .enumerate()
                        .filter(|(_, e)| !late(e))
                        .map(move |(i, _)| (p as u32, i as u32))
                })
                .collect();
            drop(batch);
            for chunk in now.chunks(RELEASE_EVERY) {
                apply_ready(
                    &mut state,
                    config,
                    chunk
                        .iter()
                        .map(|&i| &parts[place[i].0 as usize][place[i].1 as usize]),
                    files,
                    |_| None,
                )
                .ok()?;
                for &i in chunk {
                    release(&mut parts[place[i].0 as usize][place[i].1 as usize]);
                }
            }
            if last_group {
                note_deferred(
                    &mut state,
                    left.iter()
                        .map(|&i| &parts[place[i].0 as usize][place[i].1 as usize]),
                );
                drop(parts);
            } else {
                carry = moved_on(parts, &waits, late);
            }
            // A month holding most of the journal (an import's) leaves its pages free when
            // its parts go, and later months do not need that many: they are handed back
            // at once rather than kept until the allocator's delay (import layout at 100k
            // entries: peak 147 -> 130 MiB). Evenly spread months reuse each other's pages.
            if outsized_month {
                crate::release_freed_memory();
            }
            bar.month_done();
        }
        Some(())
    })?;
    drop(bar);
    state.end_fold();
    Some(Loaded {
        state,
        marks: marks.into_iter().collect::<Option<Vec<_>>>()?,
        changed: true,
        parsed,
        whole: true,
    })
}

/// How many entries the month-by-month fold applies before it lets go of their fields.
const RELEASE_EVERY: usize = 1024;

/// Frees what a folded entry holds beyond its own size (its change's fields, its author,
/// its `after`), so that the state folded from a month's first entries reuses that memory
/// while the rest are folded: an import's month is hundreds of thousands of `lead.add`s.
/// What `moved_on` reads stays: `at` and whether it has an `after`.
fn release(e: &mut LocatedEntry) {
    e.entry.change = Change::Retract {
        entry: e.entry.id,
        retracted: true,
    };
    e.entry.by = String::new();
    if let Some(after) = &mut e.entry.after {
        *after = Vec::new();
    }
    e.forged = None;
}

/// What of a folded month's `parts` moves on to the next folder, in the order read: the
/// format-1 entries `late` for this one, then those `waits` marks (by position among the
/// rest) as waiting for their parents. The rest is freed with its part.
fn moved_on(
    parts: Vec<Vec<LocatedEntry>>,
    waits: &[bool],
    late: impl Fn(&LocatedEntry) -> bool,
) -> Vec<Vec<LocatedEntry>> {
    let (mut later, mut waiting) = (Vec::new(), Vec::new());
    let mut k = 0;
    for e in parts.into_iter().flatten() {
        if late(&e) {
            later.push(e);
        } else {
            if waits[k] {
                waiting.push(e);
            }
            k += 1;
        }
    }
    [later, waiting]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect()
}

/// Whether the month folder `group` holds more than a quarter of the journal's bytes.
fn outsized(files: &[JournalFile], group: &std::ops::Range<usize>, journal_bytes: u64) -> bool {
    let bytes: u64 = files[group.clone()].iter().map(|f| f.len).sum();
    bytes > journal_bytes / 4
}

/// Milliseconds since 1970 at the start of month folder `name` (`YYYY-MM`), in UTC.
fn month_start_ms(name: &str) -> Option<i64> {
    let (year, month) = name.split_once('-')?;
    let date = chrono::NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// Parses `files[range]` on all cores (up to 8), the biggest files first.
/// `keep_text` keeps each file's text, to locate a refused entry; the month-by-month
/// fold needs none (on any problem it gives up for the fold at once), and an import's
/// month of text is a third of a GiB.
fn parse_all(files: &[JournalFile], range: std::ops::Range<usize>, keep_text: bool) -> Vec<Parsed> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(range.len().max(1));
    let mut order: Vec<usize> = range.collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].len));
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); threads];
    let mut loads = vec![0u64; threads];
    for i in order {
        let lightest = (0..threads).min_by_key(|&t| loads[t]).unwrap_or(0);
        loads[lightest] += files[i].len;
        buckets[lightest].push(i);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|bucket| {
                scope.spawn(move || {
                    bucket
                        .into_iter()
                        .map(|i| parse_whole(i, &files[i], keep_text))
                        .collect::<Vec<Parsed>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Folds every journal file at once: every parsed entry in memory, sorted, applied.
fn rebuild_at_once(config: &LoadedConfig, files: &[JournalFile]) -> Result<Loaded, Vec<Problem>> {
    let parsed = parse_all(files, 0..files.len(), true);
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let mut marks = vec![None; files.len()];
    let mut sources: Vec<Option<Source>> = (0..files.len()).map(|_| None).collect();
    for (i, mut e, mut p, mark, source) in parsed {
        entries.append(&mut e);
        problems.append(&mut p);
        marks[i] = Some(mark);
        sources[i] = Some(source);
    }
    entries.sort_by_key(LocatedEntry::order);
    let parsed = entries.len();
    let mut state = State::default();
    state.begin_fold();
    // Fold even when some entries were unreadable, so every problem is reported at once.
    let folded = fold(&mut state, config, entries, files, |i| {
        sources.get(i).and_then(Option::as_ref)
    });
    state.end_fold();
    if let Err(mut refused) = folded {
        if !problems.is_empty() {
            // An unreadable entry (say, the `lead.add`) makes later ones look dangling.
            refused.retain(|p| !p.message.ends_with(crate::model::state::NOT_BEFORE));
        }
        problems.append(&mut refused);
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        problems.dedup();
        return Err(problems);
    }
    Ok(Loaded {
        state,
        marks: marks.into_iter().flatten().collect(),
        changed: true,
        parsed,
        whole: true,
    })
}

fn parse_whole(
    i: usize,
    f: &JournalFile,
    keep_text: bool,
) -> (usize, Vec<LocatedEntry>, Vec<Problem>, FileMark, Source) {
    let refuse = |p: Problem| {
        let mark = FileMark {
            rel: f.rel.clone(),
            len: 0,
            mtime_ns: 0,
            hash: 0,
            entries: 0,
        };
        (
            i,
            Vec::new(),
            vec![p],
            mark,
            Source {
                path: f.path(),
                text: String::new(),
            },
        )
    };
    if f.len > MAX_FILE_BYTES {
        return refuse(too_large(&f.path(), f.len));
    }
    let bytes = match crate::store::safe::read_listed(&f.path(), MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(r) => {
            let p = r.problem();
            let mark = FileMark {
                rel: f.rel.clone(),
                len: 0,
                mtime_ns: 0,
                hash: 0,
                entries: 0,
            };
            return (
                i,
                Vec::new(),
                vec![p],
                mark,
                Source {
                    path: f.path(),
                    text: String::new(),
                },
            );
        }
    };
    let (entries, problems) = parse_file(
        u32::try_from(i).unwrap_or(u32::MAX),
        &f.path(),
        &bytes,
        0,
        0,
    );
    let mark = FileMark {
        rel: f.rel.clone(),
        len: bytes.len() as u64,
        mtime_ns: f.mtime_ns,
        hash: content_hash(&bytes),
        entries: u32::try_from(entries.len()).unwrap_or(u32::MAX),
    };
    (
        i,
        entries,
        problems,
        mark,
        Source {
            path: f.path(),
            text: if keep_text {
                String::from_utf8(bytes).unwrap_or_default()
            } else {
                String::new()
            },
        },
    )
}

fn parse_file(
    file: u32,
    path: &Path,
    bytes: &[u8],
    start: usize,
    first_index: u32,
) -> (Vec<LocatedEntry>, Vec<Problem>) {
    match journal::decode_text(path, bytes) {
        Ok(src) if src.is_char_boundary(start) => {
            journal::parse(file, path, src, start, first_index)
        }
        Ok(_) => (
            Vec::new(),
            vec![Problem::new(
                path,
                (1, 1),
                "the file changed in the middle of a character",
            )],
        ),
        Err(mut problems) => {
            // Only conflict markers: the rest of the file is parsed too (markers blanked,
            // lines kept), so `check` names its other problems at once, not after a fix.
            if start == 0
                && problems
                    .iter()
                    .all(|p| p.message == journal::CONFLICT_MARKER)
                && let Ok(text) = std::str::from_utf8(bytes)
            {
                let blanked: String = text
                    .split_inclusive('\n')
                    .map(|l| {
                        if journal::is_conflict_marker(l) {
                            "\n"
                        } else {
                            l
                        }
                    })
                    .collect();
                problems.extend(journal::parse(file, path, &blanked, 0, 0).1);
            }
            (Vec::new(), problems)
        }
    }
}

/// Every entry of the journal (members' aside), parsed, with the path of its file
/// relative to the workspace root, in fold order: the whole history at once (tests hold
/// `undo`'s scoped fold to the fold of all of it; commands read it in passes).
pub fn all_entries(root: &Path) -> Result<Vec<(String, LocatedEntry)>> {
    let mut files = journal::list(root)?;
    // The members' folder too: member entries are in the log and can be undone.
    files.extend(member_files(root));
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    // No text kept: nothing is folded here, so no refusal needs locating later.
    for (_, mut e, mut p, _, _) in parse_all(&files, 0..files.len(), false) {
        entries.append(&mut e);
        problems.append(&mut p);
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    let (ready, left) = fold_order(entries, None, None);
    Ok(ready
        .into_iter()
        .chain(left)
        .map(|e| (files[e.file as usize].rel.clone(), e))
        .collect())
}

/// The files of `journal/members/`, as journal files (for the log and undo).
fn member_files(root: &Path) -> Vec<JournalFile> {
    let dir: std::sync::Arc<Path> = root
        .join(journal::JOURNAL_DIR)
        .join(crate::store::members::MEMBERS_DIR)
        .into();
    let names = journal::month_files(&dir).unwrap_or_default();
    names
        .into_iter()
        .map(|(name, len, mtime_ns)| JournalFile {
            rel: format!(
                "{}/{}/{name}",
                journal::JOURNAL_DIR,
                crate::store::members::MEMBERS_DIR
            ),
            dir: dir.clone(),
            len,
            mtime_ns,
        })
        .collect()
}

/// The newest `count` entries (0: all) that `keep` accepts, newest first by time then id,
/// with their files: month folders are read newest first, and reading stops once the
/// next folder can hold nothing newer (a writer files an entry under its month). The
/// members' folder is always read. For `growth log`, which shows the latest few.
pub fn recent_entries(
    root: &Path,
    count: usize,
    keep: impl Fn(&LocatedEntry) -> bool,
) -> Result<Vec<(String, LocatedEntry)>> {
    newest_entries(root, count, keep, |(_, e)| {
        std::cmp::Reverse((e.entry.at, e.entry.id))
    })
}

/// The newest entry `keep` accepts by time, then file and position in it (the order it
/// was written in, when entries share a time, as with `--at`): what `undo` takes back by
/// default. Read as [`recent_entries`] reads, newest month folders first.
pub fn last_entry(root: &Path, keep: impl Fn(&LocatedEntry) -> bool) -> Result<Option<Entry>> {
    let found = newest_entries(root, 1, keep, |(rel, e)| {
        std::cmp::Reverse((e.entry.at, rel.clone(), e.index))
    })?;
    Ok(found.into_iter().next().map(|(_, e)| e.entry))
}

/// [`recent_entries`], newest first by `order`.
fn newest_entries<K: Ord>(
    root: &Path,
    count: usize,
    keep: impl Fn(&LocatedEntry) -> bool,
    order: impl Fn(&(String, LocatedEntry)) -> K,
) -> Result<Vec<(String, LocatedEntry)>> {
    let mut files = journal::list(root)?;
    let first_member = files.len();
    files.extend(member_files(root));
    fn month_of(f: &JournalFile) -> &str {
        f.rel.split('/').nth(1).unwrap_or_default()
    }
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    groups.push(first_member..files.len());
    let mut month_groups: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..first_member {
        match month_groups.last_mut() {
            Some(g) if month_of(&files[g.start]) == month_of(&files[i]) => g.end = i + 1,
            _ => month_groups.push(i..i + 1),
        }
    }
    month_groups.reverse();
    groups.extend(month_groups);
    let mut found: Vec<(String, LocatedEntry)> = Vec::new();
    let mut problems = Vec::new();
    for range in groups {
        let start = files
            .get(range.start)
            .and_then(|f| month_start_ms(month_of(f)));
        // Enough already, and nothing in this folder can be newer than what we hold.
        if count > 0
            && found.len() >= count
            && let Some(start) = start
            && found[count - 1].1.at.0 > start + 31 * 24 * 3_600_000 + MONTH_SLACK_MS
        {
            break;
        }
        for (_, entries, mut p, _, _) in parse_all(&files, range, true) {
            problems.append(&mut p);
            found.extend(
                entries
                    .into_iter()
                    .filter(|e| keep(e))
                    .map(|e| (files[e.file as usize].rel.clone(), e)),
            );
        }
        found.sort_by_key(&order);
        if count > 0 {
            found.truncate(count.max(1));
        }
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    Ok(found)
}

/// Every journal file, the members' too, for a pass over every entry (undo's).
fn every_file(root: &Path) -> Result<Vec<JournalFile>> {
    let mut files = journal::list(root)?;
    files.extend(member_files(root));
    Ok(files)
}

/// The text a pass over every entry parses at once: a group of files up to this size (or
/// one bigger file), so that it never holds the whole journal's entries.
const PASS_BYTES: u64 = 16 << 20;

/// Passes every entry of `files` to `each`, a group of files at a time (parsed in
/// parallel, no text kept); an entry's file is `files[entry.file]`. Every problem found
/// is returned after the pass.
fn each_entry(files: &[JournalFile], mut each: impl FnMut(LocatedEntry)) -> Result<()> {
    let mut problems = Vec::new();
    let mut start = 0;
    while start < files.len() {
        let mut end = start + 1;
        let mut bytes = files[start].len;
        while end < files.len() && bytes + files[end].len <= PASS_BYTES {
            bytes += files[end].len;
            end += 1;
        }
        for (_, entries, mut p, _, _) in parse_all(files, start..end, false) {
            problems.append(&mut p);
            entries.into_iter().for_each(&mut each);
        }
        start = end;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::invalid(problems))
    }
}

/// The entries whose id starts with `prefix` (a `growth log` id, or part of one), in one
/// pass that keeps nothing else.
pub fn entries_by_prefix(root: &Path, prefix: &str) -> Result<Vec<Entry>> {
    let mut found = Vec::new();
    each_entry(&every_file(root)?, |e| {
        if crate::model::causal::format_id(e.entry.id).starts_with(prefix) {
            found.push(e.entry);
        }
    })?;
    Ok(found)
}

/// The records `target` touches, as they were just before it: what `undo` needs to know
/// what the entry changed. Folded from the entries that touch those records and the
/// records those entries touch in turn (a lead and its handoffs go together: a decision
/// moves its lead; an idea needs its lead), the retractions of those entries and every
/// member entry, in fold order up to `target`; not from the whole journal (at a million
/// entries, 7.5 s and 1.9 GiB). The journal is read twice, a group of files at a time:
/// once for which records are linked (a handoff's, an idea's, an action's creation), once
/// for the entries of the records linked to the target's. No other entry changes these
/// records, and the order they fold in is theirs in the whole fold (parents first: an
/// entry names only entries of the records it changes), so they come out as the whole
/// fold has them (`tests/cli/undo.rs` holds every entry of a journal to it). `None` when
/// the entry is not in the journal.
pub fn state_before(config: &LoadedConfig, root: &Path, target: &Entry) -> Result<Option<State>> {
    let files = every_file(root)?;
    // Taking back a retraction: the record of the entry it retracted too.
    let retracted = match &target.change {
        Change::Retract { entry, .. } => Some(*entry),
        _ => None,
    };
    let mut links: Vec<(String, String)> = Vec::new();
    let mut retracted_change = None;
    each_entry(&files, |e| {
        if retracted == Some(e.entry.id) {
            retracted_change = Some(e.entry.change.clone());
        }
        let mut records = 0;
        Scope::each(&e.entry.change, |_| records += 1);
        if records == 2 {
            let mut pair = Vec::with_capacity(2);
            Scope::each(&e.entry.change, |r| pair.push(Scope::key(&r)));
            if let (Some(second), Some(first)) = (pair.pop(), pair.pop()) {
                links.push((first, second));
            }
        }
    })?;
    let mut scope = Scope::default();
    scope.add(&target.change);
    if let Some(change) = &retracted_change {
        scope.add(change);
    }
    scope.link(&links);
    drop(links);
    let mut kept = Vec::new();
    let mut found = false;
    each_entry(&files, |e| {
        found |= e.entry.id == target.id;
        let wanted = match &e.entry.change {
            Change::MemberAdd(_) | Change::MemberEdit(_) | Change::Retract { .. } => true,
            change => scope.touches(change),
        };
        if wanted {
            kept.push(e);
        }
    })?;
    if !found {
        return Ok(None);
    }
    let (ready, left) = fold_order(kept, None, None);
    let mut state = State::default();
    let mut folded = std::collections::HashSet::new();
    for located in ready.into_iter().chain(left) {
        let entry = &located.entry;
        if entry.id == target.id {
            return Ok(Some(state));
        }
        if let Change::Retract { entry: of, .. } = &entry.change
            && !folded.contains(of)
        {
            // A retraction of an entry out of scope (`inverse` does not read series
            // today; kept so the records' are as the whole fold has them).
            continue;
        }
        folded.insert(entry.id);
        let _ = state.apply(entry, &config.config);
    }
    Ok(None)
}

/// The records an undo needs as they were: by kind, their ids.
#[derive(Default)]
struct Scope {
    leads: std::collections::HashSet<String>,
    handoffs: std::collections::HashSet<String>,
    /// Other records, as `kind/id`.
    others: std::collections::HashSet<String>,
}

impl Scope {
    /// The records `change` touches, the one it creates included.
    fn each(change: &Change, mut f: impl FnMut(RecordRef<'_>)) {
        match change {
            Change::HandoffCreate { id, .. } => f(RecordRef::Handoff(id)),
            Change::FeedbackAdd { id, .. } => f(RecordRef::Feedback(id)),
            Change::IdeaAdd { id, .. } => f(RecordRef::Idea(id)),
            Change::WinAdd { id, .. } => f(RecordRef::Win(id)),
            Change::ActionAdd { id, .. } => f(RecordRef::Action(id)),
            _ => {}
        }
        change.refs().into_iter().for_each(f);
    }

    fn add(&mut self, change: &Change) {
        Self::each(change, |r| match r {
            RecordRef::Lead(id) => {
                self.leads.insert(id.to_string());
            }
            RecordRef::Handoff(id) => {
                self.handoffs.insert(id.to_string());
            }
            other => {
                self.others.insert(Self::key(&other));
            }
        });
    }

    /// Widens the scope along `links` (pairs of records one entry touches together) until
    /// nothing more comes: a handoff brings its lead, so a lead all its handoffs, whose
    /// decisions move it; an idea its lead, which must exist for it to apply; an action
    /// its meeting.
    fn link(&mut self, links: &[(String, String)]) {
        loop {
            let before = self.len();
            for (a, b) in links {
                match (self.has(a), self.has(b)) {
                    (true, false) => self.insert(b),
                    (false, true) => self.insert(a),
                    _ => {}
                }
            }
            if self.len() == before {
                return;
            }
        }
    }

    fn has(&self, key: &str) -> bool {
        match key.split_once('/') {
            Some(("lead", id)) => self.leads.contains(id),
            Some(("handoff", id)) => self.handoffs.contains(id),
            _ => self.others.contains(key),
        }
    }

    fn insert(&mut self, key: &str) {
        match key.split_once('/') {
            Some(("lead", id)) => self.leads.insert(id.to_string()),
            Some(("handoff", id)) => self.handoffs.insert(id.to_string()),
            _ => self.others.insert(key.to_string()),
        };
    }

    fn len(&self) -> usize {
        self.leads.len() + self.handoffs.len() + self.others.len()
    }

    fn touches(&self, change: &Change) -> bool {
        let mut any = false;
        Self::each(change, |r| {
            any |= match &r {
                RecordRef::Lead(id) => self.leads.contains(*id),
                RecordRef::Handoff(id) => self.handoffs.contains(*id),
                other => self.others.contains(&Self::key(other)),
            };
        });
        any
    }

    fn key(r: &RecordRef<'_>) -> String {
        match r {
            RecordRef::Lead(id) => format!("lead/{id}"),
            RecordRef::Handoff(id) => format!("handoff/{id}"),
            RecordRef::Feedback(id) => format!("feedback/{id}"),
            RecordRef::Idea(id) => format!("idea/{id}"),
            RecordRef::Action(id) => format!("action/{id}"),
            RecordRef::Goal(id) => format!("goal/{id}"),
            RecordRef::Meeting(id) => format!("meeting/{id}"),
            RecordRef::Win(id) => format!("win/{id}"),
            RecordRef::Entry(key) => key.clone(),
        }
    }
}

/// Puts entries in fold order: format-1 entries (no `after`) first, by time, file and
/// position; then the rest parents first, ties broken by time, then id. An entry later
/// than `horizon`, or after one that is, is left out (returned second). With `wait`, an
/// entry naming a parent neither in `applied` nor among `entries` waits too (a later
/// month folder may bring it); without, such a parent is taken as folded already.
pub(crate) fn fold_order(
    entries: Vec<LocatedEntry>,
    applied: Option<&std::collections::HashSet<EntryId>>,
    horizon: Option<Instant>,
) -> (Vec<LocatedEntry>, Vec<LocatedEntry>) {
    let (ready, left) = order_of(&entries, applied, horizon);
    let mut slots: Vec<Option<LocatedEntry>> = entries.into_iter().map(Some).collect();
    let mut take = |order: Vec<usize>| -> Vec<LocatedEntry> {
        order.into_iter().filter_map(|i| slots[i].take()).collect()
    };
    let ready = take(ready);
    let left = take(left);
    (ready, left)
}

/// [`fold_order`] as positions in `entries`: those to fold, in order, and those left out.
fn order_of<E: std::borrow::Borrow<LocatedEntry>>(
    entries: &[E],
    applied: Option<&std::collections::HashSet<EntryId>>,
    horizon: Option<Instant>,
) -> (Vec<usize>, Vec<usize>) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    // The order is worked out on positions; each entry (a few hundred bytes) then moves
    // once, into its place: at a million entries, moving them through partitions and
    // fresh vectors cost more than the ordering itself.
    let entry = |i: usize| -> &LocatedEntry { entries[i].borrow() };
    let late = |e: &LocatedEntry| horizon.is_some_and(|h| e.at > h);
    let (mut legacy, causal): (Vec<usize>, Vec<usize>) =
        (0..entries.len()).partition(|&i| entry(i).entry.after.is_none());
    legacy.sort_by_key(|&i| entry(i).order());
    let (mut ready, mut left): (Vec<usize>, Vec<usize>) =
        legacy.into_iter().partition(|&i| !late(entry(i)));
    let index: HashMap<EntryId, usize> = causal
        .iter()
        .enumerate()
        .map(|(k, &i)| (entry(i).entry.id, k))
        .collect();
    let mut waiting = vec![0usize; causal.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); causal.len()];
    let mut blocked = vec![false; causal.len()];
    for (k, &i) in causal.iter().enumerate() {
        let e = entry(i);
        blocked[k] = late(e);
        for p in e.entry.after.iter().flatten() {
            match index.get(p) {
                Some(&j) if j != k => {
                    waiting[k] += 1;
                    children[j].push(k);
                }
                Some(_) => {}
                None => {
                    if applied.is_some_and(|a| !a.contains(p)) {
                        blocked[k] = true;
                    }
                }
            }
        }
    }
    let key = |k: usize| Reverse((entry(causal[k]).at, entry(causal[k]).entry.id, k));
    let mut heap: BinaryHeap<_> = (0..causal.len())
        .filter(|&k| waiting[k] == 0 && !blocked[k])
        .map(key)
        .collect();
    let mut done = vec![false; causal.len()];
    ready.reserve(causal.len());
    while let Some(Reverse((_, _, k))) = heap.pop() {
        ready.push(causal[k]);
        done[k] = true;
        for &c in &children[k] {
            waiting[c] -= 1;
            if waiting[c] == 0 && !blocked[c] {
                heap.push(key(c));
            }
        }
    }
    left.extend(
        causal
            .iter()
            .enumerate()
            .filter(|&(k, _)| !done[k])
            .map(|(_, &i)| i),
    );
    (ready, left)
}

/// Applies entries in fold order to `state`; every refusal becomes a located problem.
/// Entries past the horizon are counted in `state.deferred`, not applied.
fn fold<'a>(
    state: &mut State,
    config: &LoadedConfig,
    entries: Vec<LocatedEntry>,
    files: &[JournalFile],
    source: impl Fn(usize) -> Option<&'a Source>,
) -> Result<(), Vec<Problem>> {
    let (ready, left) = fold_order(entries, None, config.horizon);
    note_deferred(state, &left);
    apply_ready(state, config, ready, files, source)
}

fn note_deferred<'a>(state: &mut State, left: impl IntoIterator<Item = &'a LocatedEntry>) {
    let mut first = None;
    for e in left {
        state.deferred += 1;
        first = Some(first.map_or(e.at, |f: Instant| f.min(e.at)));
    }
    if let Some(first) = first {
        state.future = Some(state.future.map_or(first, |f| f.min(first)));
    }
}

fn apply_ready<'a, E: std::borrow::Borrow<LocatedEntry>>(
    state: &mut State,
    config: &LoadedConfig,
    entries: impl IntoIterator<Item = E>,
    files: &[JournalFile],
    source: impl Fn(usize) -> Option<&'a Source>,
) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut count = 0u64;
    for located in entries {
        let located = located.borrow();
        count += 1;
        if let Some(why) = &located.forged {
            // Counted nowhere; `check` names it.
            state.note_forgery(format!(
                "{} (entry {}): {why}",
                files[located.file as usize].rel,
                located.index + 1
            ));
            continue;
        }
        if let Err(refusal) = state.apply(&located.entry, &config.config) {
            let at = source(located.file as usize).map_or((1, 1), |s| {
                journal::locate_key(&s.text, &located.span, refusal.key)
            });
            if located.entry.after.is_some()
                && refusal.message.ends_with(crate::model::state::NOT_BEFORE)
            {
                // A format-2 entry about a record it does not come after (its `after`
                // names none of the record's entries: written by hand, or forged) counts
                // nowhere and is reported, rather than stopping every command.
                state.note_forgery(format!(
                    "{} (entry {}): {}",
                    files[located.file as usize].rel,
                    located.index + 1,
                    refusal.message
                ));
                continue;
            }
            let path = source(located.file as usize)
                .map_or_else(|| files[located.file as usize].path(), |s| s.path.clone());
            let mut p = Problem::new(&path, at, refusal.message);
            p.hint = refusal.hint;
            problems.push(p);
        }
        if located.entry.after.is_none() {
            state.last = Some(located.sort_key(&files[located.file as usize].rel));
        } else {
            state.causal_entries += 1;
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    state.entries += count;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test's failure is its panic
mod tests {
    use super::*;
    use crate::store::config;

    /// A copy of the example workspace with `extra` journal files `(rel, text)` added.
    fn workspace(extra: &[(&str, String)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
        std::fs::copy(example.join("growth.toml"), tmp.path().join("growth.toml")).unwrap();
        for f in journal::list(&example).unwrap() {
            let to = tmp.path().join(&f.rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(f.path(), to).unwrap();
        }
        let members = example.join("journal/members");
        std::fs::create_dir_all(tmp.path().join("journal/members")).unwrap();
        for f in std::fs::read_dir(&members).unwrap() {
            let f = f.unwrap();
            std::fs::copy(
                f.path(),
                tmp.path().join("journal/members").join(f.file_name()),
            )
            .unwrap();
        }
        for (rel, text) in extra {
            let to = tmp.path().join(rel);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, text).unwrap();
        }
        tmp
    }

    /// Six months of one lead a month, each lead staged in the month after.
    fn months() -> Vec<(&'static str, String)> {
        let months = [
            "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06",
        ];
        let mut files = Vec::new();
        for (m, month) in months.iter().enumerate() {
            let mut text = format!(
                "[[entry]]\nat = {month}-03T10:00:00+01:00\nby = \"maria\"\nkind = \"lead.add\"\n\
                 lead = \"co-{m}\"\ncompany = \"Co {m}\"\nowner = \"maria\"\nstage = \"new\"\n\
                 currency = \"USD\"\nentry = \"mnth{m:08}\"\n"
            );
            if m > 0 {
                text += &format!(
                    "\n[[entry]]\nat = {month}-01T00:30:00+01:00\nby = \"maria\"\n\
                     kind = \"lead.stage\"\nlead = \"co-{}\"\nstage = \"mql\"\n\
                     entry = \"stge{m:08}\"\nafter = [\"mnth{:08}\"]\n",
                    m - 1,
                    m - 1
                );
            }
            files.push((month_file(month), text));
        }
        files
    }

    fn month_file(month: &str) -> &'static str {
        Box::leak(format!("journal/{month}/maria-x.toml").into_boxed_str())
    }

    fn folds(root: &Path) -> (Option<Loaded>, Loaded) {
        let config = config::load(root).unwrap();
        let files = journal::list(root).unwrap();
        let at_once = rebuild_at_once(&config, &files).unwrap();
        (rebuild_by_month(&config, &files), at_once)
    }

    fn same(a: &Loaded, b: &Loaded) {
        assert_eq!(format!("{:?}", a.state), format!("{:?}", b.state));
        assert_eq!(a.marks, b.marks);
        assert_eq!(a.parsed, b.parsed);
    }

    #[test]
    fn folding_month_by_month_equals_folding_at_once() {
        for extra in [Vec::new(), months()] {
            let tmp = workspace(&extra);
            let (by_month, at_once) = folds(tmp.path());
            same(&by_month.expect("folds month by month"), &at_once);
        }
    }

    #[test]
    fn an_entry_waiting_for_a_later_folder_is_folded_there_after_its_neighbours_are_released() {
        // February's second file: a stage change of a lead March creates (a clone's clock
        // behind), between two that fold at once and let go of their fields.
        let mut extra = months();
        extra.push((
            "journal/2027-02/tom-z.toml",
            "[[entry]]\nat = 2027-02-20T09:00:00+01:00\nby = \"tom\"\nkind = \"lead.stage\"\n\
             lead = \"co-0\"\nstage = \"sql\"\nentry = \"skew00000001\"\n\
             after = [\"stge00000001\"]\n\n\
             [[entry]]\nat = 2027-02-21T09:00:00+01:00\nby = \"tom\"\nkind = \"lead.stage\"\n\
             lead = \"co-2\"\nstage = \"sql\"\nentry = \"skew00000002\"\n\
             after = [\"mnth00000002\"]\n\n\
             [[entry]]\nat = 2027-02-22T09:00:00+01:00\nby = \"tom\"\nkind = \"lead.stage\"\n\
             lead = \"co-1\"\nstage = \"sql\"\nentry = \"skew00000003\"\n\
             after = [\"mnth00000001\"]\n"
                .to_string(),
        ));
        let tmp = workspace(&extra);
        let (by_month, at_once) = folds(tmp.path());
        let by_month = by_month.expect("folds month by month");
        same(&by_month, &at_once);
        assert_eq!(
            by_month.state.deferred, 0,
            "the waiting entry was folded in March"
        );
        let co_0 = by_month.state.leads.get("co-0").expect("co-0 folded");
        assert_eq!(co_0.stage.as_str(), "sql");
    }

    #[test]
    fn an_entry_older_than_its_folder_falls_back_to_folding_at_once() {
        // June's file brings a format-1 idea (no entry id) after format-2 entries were
        // applied: format-1 entries fold first, in time order, so this needs all at once.
        let mut extra = months();
        extra.push((
            "journal/2027-06/tom-y.toml",
            "[[entry]]\nat = 2027-01-02T09:00:00+01:00\nby = \"tom\"\nkind = \"idea.add\"\n\
             id = \"oldidea001\"\ntext = \"An old idea\"\n"
                .to_string(),
        ));
        let tmp = workspace(&extra);
        let (by_month, at_once) = folds(tmp.path());
        assert!(by_month.is_none());
        let config = config::load(tmp.path()).unwrap();
        let files = journal::list(tmp.path()).unwrap();
        same(&rebuild(&config, &files).unwrap(), &at_once);
    }
}
