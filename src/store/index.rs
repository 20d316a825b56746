//! The writers' index, `.growth/cache/index.bin`: the journal file marks, the newest entry,
//! and per kind of record one sorted line per record with the fields writers check
//! (`model::summary`).
//!
//! A command that records something needs to find one lead and check one change; it should
//! not decode the whole history to do it. When every journal file still matches its mark,
//! a writer validates against this index, appends its entry and updates the lines it
//! changed, so recording costs about the same at any size. When a file changed (another
//! clone's entries, a hand edit), it takes the full path instead.
//!
//! The file is read lazily: its head (marks, and where each table's chunks start) is read
//! whole, then a lookup reads and checks the one chunk of about 64 KiB its id falls in.
//! At a million entries the tables are 23 MB; a write reads about 100 KB of them.

use std::cell::{Cell, OnceCell};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::state::{SortKey, State};
use crate::model::summary::{Records, Summary, Table};
use crate::store::cache::{FileMark, content_hash};
use crate::store::freshness::DirMark;

const INDEX_VERSION: u32 = 11;

/// The first bytes of an index file, so a file of another format is never decoded.
const MAGIC: &[u8; 8] = b"growthI\0";

/// The log is folded into the base once it grows past this many bytes.
const COMPACT_AT: u64 = 256 * 1024;

/// A table's lines are cut into chunks of about this many bytes, each read on its own.
const CHUNK_BYTES: usize = 64 * 1024;

/// Where one chunk of a table's lines lies, and its first id, to find it without reading
/// the others.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ChunkMark {
    first: String,
    offset: u64,
    len: u64,
    hash: u64,
}

/// The head of the index file, written after its chunks.
#[derive(Debug, Serialize, Deserialize)]
struct Head {
    version: u32,
    crate_version: String,
    config_hash: u64,
    files: Vec<FileMark>,
    dirs: Vec<DirMark>,
    last: Option<SortKey>,
    entries: u64,
    /// The latest `at` folded in: a read as of an earlier time cannot use the index.
    latest: Option<crate::model::time::Instant>,
    /// The earliest entry the state it came from left out as future, if any.
    future: Option<crate::model::time::Instant>,
    /// Per table (in `Table::ALL` order), its chunks in id order.
    chunks: Vec<Vec<ChunkMark>>,
    log_id: u64,
}

#[derive(Debug)]
pub struct Index {
    pub config_hash: u64,
    pub files: Vec<FileMark>,
    /// The month folders that had settled when `files` was listed.
    pub dirs: Vec<DirMark>,
    pub last: Option<SortKey>,
    pub entries: u64,
    /// The latest `at` folded in.
    pub latest: Option<crate::model::time::Instant>,
    /// The earliest entry left out as future when it was built: once that time comes,
    /// writers take the full path (the index does not know that entry).
    pub future: Option<crate::model::time::Instant>,
    /// Per table: its chunk marks, and each chunk's text once read. A chunk's text is
    /// lines `id \t field \t field ...\n`, sorted by id, with `\t`, `\n`, `\r` and `\\`
    /// escaped in fields. A chunk that fails its check reads as `None`.
    tables: Vec<Vec<(ChunkMark, OnceCell<Option<String>>)>>,
    /// The base file, for reading chunks; `None` for an index built in memory.
    file: Option<File>,
    /// Names the log that belongs to this base; a log with another id is ignored.
    log_id: u64,
    /// Records changed since the base was written, from the log: each one's line as a
    /// table holds it (without its `\n`), parsed only when asked for.
    overlay: BTreeMap<(usize, String), String>,
    log_len: u64,
    /// Set when a chunk failed its check: the index is then not trusted for writes.
    damaged: Cell<bool>,
}

const REL: &str = ".growth/cache/index.bin";
const LOG_REL: &str = ".growth/cache/index.log";

/// The largest index growth reads (at a million entries it is 200 MB).
const MAX_INDEX_BYTES: u64 = 1 << 30;

pub fn path(root: &Path) -> PathBuf {
    root.join(REL)
}

/// The base file, opened as a regular file of the workspace (no link followed).
fn open(root: &Path) -> Option<File> {
    crate::store::safe::open(root, REL, MAX_INDEX_BYTES)
        .ok()
        .map(|(file, _)| file)
}

impl Index {
    /// Writes the index of `state` (a whole fold) to `root`, line by line as the state
    /// gives them, and returns it as read back from there: the index is never held whole
    /// (at a million entries it is 200 MB, which a writer's first full path used to hold
    /// beside the state: 1 GiB at its peak).
    pub fn write_state(
        root: &Path,
        state: &State,
        config_hash: u64,
        files: Vec<FileMark>,
        dirs: Vec<DirMark>,
    ) -> Index {
        let mut index = Index {
            config_hash,
            files,
            dirs,
            last: state.last.clone(),
            entries: state.entries,
            latest: state.latest,
            future: state.future,
            tables: (0..Table::ALL.len()).map(|_| Vec::new()).collect(),
            file: None,
            log_id: new_log_id(),
            overlay: BTreeMap::new(),
            log_len: 0,
            damaged: Cell::new(false),
        };
        let mut line = String::new();
        index.write_lines(root, |emit| {
            // `summaries` comes grouped by table and sorted by id within each.
            for (table, id, fields) in state.summaries() {
                line.clear();
                push_line(&mut line, &id, &fields);
                emit(table as usize, &line)?;
            }
            Ok(())
        });
        index
    }

    /// The index for `config_hash` with its log applied, or `None` when missing, stale or
    /// damaged. A torn or foreign log is ignored: the marks then disagree with the journal
    /// and the writer takes the full path.
    pub fn read(root: &Path, config_hash: u64) -> Option<Index> {
        let mut file = open(root)?;
        let mut magic = [0u8; 8];
        file.read_exact(&mut magic).ok()?;
        if &magic != MAGIC {
            return None;
        }
        file.seek(SeekFrom::End(-8)).ok()?;
        let mut at = [0u8; 8];
        file.read_exact(&mut at).ok()?;
        let at = u64::from_le_bytes(at);
        let end = file.seek(SeekFrom::End(-8)).ok()?;
        let mut bytes = vec![0u8; usize::try_from(end.checked_sub(at)?).ok()?];
        file.read_exact_at(&mut bytes, at).ok()?;
        let (sum, payload) = bytes.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*sum) != content_hash(payload) {
            return None;
        }
        let head: Head = postcard::from_bytes(payload).ok()?;
        // Every chunk within the body: a damaged or hostile head allocates nothing more.
        let within = head
            .chunks
            .iter()
            .flatten()
            .all(|c| c.offset.checked_add(c.len).is_some_and(|end| end <= at));
        let current = within
            && head.version == INDEX_VERSION
            && head.crate_version == env!("CARGO_PKG_VERSION")
            && head.config_hash == config_hash
            && head.chunks.len() == Table::ALL.len();
        if !current {
            return None;
        }
        let mut index = Index {
            config_hash,
            files: head.files,
            dirs: head.dirs,
            last: head.last,
            entries: head.entries,
            latest: head.latest,
            future: head.future,
            tables: head
                .chunks
                .into_iter()
                .map(|t| t.into_iter().map(|c| (c, OnceCell::new())).collect())
                .collect(),
            file: Some(file),
            log_id: head.log_id,
            overlay: BTreeMap::new(),
            log_len: 0,
            damaged: Cell::new(false),
        };
        if let Ok(log) = crate::store::safe::read(root, LOG_REL, 2 * COMPACT_AT)
            && let Ok(log) = String::from_utf8(log)
        {
            index.apply_log(&log);
        }
        Some(index)
    }

    /// Whether every chunk read so far passed its check.
    pub fn intact(&self) -> bool {
        !self.damaged.get()
    }

    /// The text of chunk `c` of table `t`, read and checked on first use.
    fn chunk(&self, t: usize, c: usize) -> Option<&str> {
        let (mark, text) = self.tables.get(t)?.get(c)?;
        let text = text.get_or_init(|| {
            let file = self.file.as_ref()?;
            let mut bytes = vec![0u8; usize::try_from(mark.len).ok()?];
            file.read_exact_at(&mut bytes, mark.offset).ok()?;
            if content_hash(&bytes) != mark.hash {
                return None;
            }
            String::from_utf8(bytes).ok()
        });
        if text.is_none() {
            self.damaged.set(true);
        }
        text.as_deref()
    }

    /// The chunk of table `t` that holds `id` if any chunk does: the last one whose first
    /// id is not after it.
    fn chunk_of(&self, t: usize, id: &str) -> Option<usize> {
        let chunks = self.tables.get(t)?;
        chunks
            .partition_point(|(m, _)| m.first.as_str() <= id)
            .checked_sub(1)
    }

    /// Every line of table `t`, chunk after chunk.
    fn lines(&self, t: usize) -> impl Iterator<Item = &str> {
        (0..self.tables.get(t).map_or(0, Vec::len))
            .filter_map(move |c| self.chunk(t, c))
            .flat_map(str::lines)
    }

    /// Every line of `table` in id order, the log's changes merged in, each given to
    /// `each` without its `\n` until it returns `false`. Chunks are read one at a time into one buffer and not
    /// kept (a listing reads a whole table once; at a million entries the leads' are
    /// tens of MiB). `false` when a chunk failed its check: what was given is then not the
    /// whole table, and the caller must not use it.
    pub fn scan(&self, table: Table, mut each: impl FnMut(&str) -> bool) -> bool {
        let t = table as usize;
        let Some(chunks) = self.tables.get(t) else {
            return false;
        };
        let mut changed = self
            .overlay
            .range((t, String::new())..(t + 1, String::new()))
            .map(|((_, id), line)| (id.as_str(), line.as_str()))
            .peekable();
        let mut buf = Vec::new();
        for (mark, cached) in chunks {
            let text = match cached.get() {
                Some(Some(text)) => text.as_str(),
                Some(None) => return self.noticed_damage(),
                None => {
                    let Some(file) = self.file.as_ref() else {
                        return self.noticed_damage();
                    };
                    buf.resize(usize::try_from(mark.len).unwrap_or(usize::MAX), 0);
                    if file.read_exact_at(&mut buf, mark.offset).is_err()
                        || content_hash(&buf) != mark.hash
                    {
                        return self.noticed_damage();
                    }
                    match std::str::from_utf8(&buf) {
                        Ok(text) => text,
                        Err(_) => return self.noticed_damage(),
                    }
                }
            };
            for line in text.split_terminator('\n') {
                let id = std::str::from_utf8(line_id(line.as_bytes())).unwrap_or_default();
                while let Some((_, new)) = changed.next_if(|(cid, _)| *cid < id) {
                    if !each(new) {
                        return true;
                    }
                }
                let more = match changed.next_if(|(cid, _)| *cid == id) {
                    Some((_, new)) => each(new),
                    None => each(line),
                };
                if !more {
                    return true;
                }
            }
        }
        for (_, new) in changed {
            if !each(new) {
                break;
            }
        }
        true
    }

    fn noticed_damage(&self) -> bool {
        self.damaged.set(true);
        false
    }

    /// The record `id` of `table` as its summary, from the one chunk holding it.
    pub fn summary<S: Summary>(&self, id: &str) -> Option<S> {
        let records: &dyn Records = self;
        records.get(id)
    }

    /// Writes a new base and an empty log for it. Not fsynced: both are derived and rebuilt
    /// when lost. Streamed chunk by chunk (holding the index whole three times over made
    /// this 0.4 s at a million entries); a damaged chunk of the old base stops it and
    /// leaves the old files alone (the next writer then takes the full path).
    pub fn write(&mut self, root: &Path) {
        let tables = self.tables.len();
        let this = &*self;
        let lines = |emit: &mut dyn FnMut(usize, &str) -> std::io::Result<()>| {
            (0..tables).try_for_each(|t| this.merged_lines(t, |line| emit(t, line)))
        };
        let written = write_base(root, self.head_fields(), tables, lines);
        self.took(root, written);
    }

    /// [`Index::write`] of the lines `lines` gives (to its `emit`, by table in order, each
    /// table sorted by id) instead of this index's own.
    fn write_lines(
        &mut self,
        root: &Path,
        lines: impl FnOnce(&mut dyn FnMut(usize, &str) -> std::io::Result<()>) -> std::io::Result<()>,
    ) {
        let written = write_base(root, self.head_fields(), self.tables.len(), lines);
        self.took(root, written);
    }

    /// What the head says besides the chunks and the log's id.
    fn head_fields(&self) -> Head {
        Head {
            version: INDEX_VERSION,
            crate_version: env!("CARGO_PKG_VERSION").into(),
            config_hash: self.config_hash,
            files: self.files.clone(),
            dirs: self.dirs.clone(),
            last: self.last.clone(),
            entries: self.entries,
            latest: self.latest,
            future: self.future,
            chunks: Vec::new(),
            log_id: 0,
        }
    }

    /// Becomes the base just written (its chunks read from the file when asked for),
    /// with an empty log; unchanged when the write failed.
    fn took(&mut self, root: &Path, written: Option<(u64, Vec<Vec<ChunkMark>>)>) {
        let Some((log_id, marks)) = written else {
            return;
        };
        let header = format!("H\t{log_id:016x}\n");
        let _ = crate::store::safe::write(root, LOG_REL, header.as_bytes(), false);
        self.log_id = log_id;
        self.log_len = header.len() as u64;
        self.tables = marks
            .into_iter()
            .map(|t| t.into_iter().map(|m| (m, OnceCell::new())).collect())
            .collect();
        self.file = open(root);
        self.overlay.clear();
    }

    /// Records what a write changed: the records of `thin`, the marks of the journal files
    /// it appended to (or a pull brought), the newest entry. Appends one block to the log,
    /// or folds everything into a new base when the log has grown long.
    pub fn record(&mut self, root: &Path, thin: &State, marks: &[FileMark]) {
        let mut block = String::new();
        for (table, id, fields) in thin.summaries() {
            block.push_str(&format!("U\t{}\t", table as usize));
            let start = block.len();
            push_line(&mut block, &id, &fields);
            let line = block[start..block.len() - 1].to_string();
            self.overlay.insert((table as usize, id), line);
        }
        for mark in marks {
            block.push_str(&format!(
                "M\t{}\t{}\t{}\t{:016x}\t{}\n",
                mark.rel, mark.len, mark.mtime_ns, mark.hash, mark.entries
            ));
            set_mark(&mut self.files, mark.clone());
        }
        self.last.clone_from(&thin.last);
        self.entries = thin.entries;
        self.latest = self.latest.max(thin.latest);
        let latest = self
            .latest
            .map_or_else(|| "-".to_string(), |l| l.0.to_string());
        match &self.last {
            Some(k) => block.push_str(&format!(
                "L\t{}\t{}\t{}\t{}\t{latest}\n",
                k.at.0, k.file, k.index, self.entries
            )),
            None => block.push_str(&format!("L\t-\t\t0\t{}\t{latest}\n", self.entries)),
        }
        block.push_str(&format!("E\t{:016x}\n", content_hash(block.as_bytes())));
        if self.log_len == 0 || self.log_len + block.len() as u64 > COMPACT_AT {
            self.write(root);
            return;
        }
        let (dir, name) = LOG_REL.rsplit_once('/').unwrap_or_default();
        let appended = crate::store::safe::Dir::root(root)
            .and_then(|ws| ws.dir(dir, false))
            .and_then(|d| d.open_write(name, true))
            .map_err(|r| std::io::Error::other(r.error().message))
            .and_then(|mut f| std::io::Write::write_all(&mut f, block.as_bytes()));
        match appended {
            Ok(()) => self.log_len += block.len() as u64,
            Err(_) => self.write(root),
        }
    }

    /// Applies the complete, intact blocks of `log` written for this base. Runs on every
    /// write, with a log of up to `COMPACT_AT` bytes: blocks are checked in place, and of
    /// the file marks and newest-entry lines only the last of each counts.
    fn apply_log(&mut self, log: &str) {
        let header = format!("H\t{:016x}\n", self.log_id);
        let Some(body) = log.strip_prefix(header.as_str()) else {
            return;
        };
        let (mut pos, mut block, mut applied) = (0, 0, 0);
        let mut pending = Vec::new();
        let mut marks: HashMap<&str, &str> = HashMap::new();
        let mut last = None;
        for line in body.split_inclusive('\n') {
            // A torn last line has no '\n' and ends the log.
            let Some(text) = line.strip_suffix('\n') else {
                break;
            };
            let start = pos;
            pos += line.len();
            let Some(sum) = text.strip_prefix("E\t") else {
                pending.push(text);
                continue;
            };
            if u64::from_str_radix(sum, 16).ok()
                != Some(content_hash(&body.as_bytes()[block..start]))
            {
                break;
            }
            for text in pending.drain(..) {
                if let Some(rest) = text.strip_prefix("U\t") {
                    self.apply_update(rest);
                } else if let Some(rest) = text.strip_prefix("M\t") {
                    marks.insert(rest.split('\t').next().unwrap_or_default(), rest);
                } else if let Some(rest) = text.strip_prefix("L\t") {
                    last = Some(rest);
                }
            }
            (applied, block) = (pos, pos);
        }
        for mark in marks.into_values() {
            self.apply_mark(mark);
        }
        if let Some(last) = last {
            self.apply_last(last);
        }
        self.log_len = (header.len() + applied) as u64;
    }

    /// `table \t id \t fields...`: the record's new line.
    fn apply_update(&mut self, rest: &str) {
        let Some((table, line)) = rest.split_once('\t') else {
            return;
        };
        let Ok(table) = table.parse::<usize>() else {
            return;
        };
        if table < Table::ALL.len() {
            let id = std::str::from_utf8(line_id(line.as_bytes())).unwrap_or_default();
            self.overlay
                .insert((table, id.to_string()), line.to_string());
        }
    }

    /// `rel \t len \t mtime \t hash \t entries`: a journal file's new mark.
    fn apply_mark(&mut self, rest: &str) {
        let f: Vec<&str> = rest.split('\t').collect();
        if let [rel, len, mtime, hash, entries] = f.as_slice()
            && let (Ok(len), Ok(mtime_ns), Ok(hash), Ok(entries)) = (
                len.parse(),
                mtime.parse(),
                u64::from_str_radix(hash, 16),
                entries.parse(),
            )
        {
            set_mark(
                &mut self.files,
                FileMark {
                    rel: rel.to_string(),
                    len,
                    mtime_ns,
                    hash,
                    entries,
                },
            );
        }
    }

    /// `at \t file \t index \t entries \t latest`: the newest entry, the count and the
    /// latest time.
    fn apply_last(&mut self, rest: &str) {
        let f: Vec<&str> = rest.split('\t').collect();
        if let [at, file, index, entries, latest] = f.as_slice() {
            self.entries = entries.parse().unwrap_or(self.entries);
            if let Ok(l) = latest.parse::<i64>() {
                self.latest = self.latest.max(Some(crate::model::time::Instant(l)));
            }
            self.last = match (at.parse::<i64>(), index.parse::<u32>()) {
                (Ok(at), Ok(index)) => Some(SortKey {
                    at: crate::model::time::Instant(at),
                    file: file.to_string(),
                    index,
                }),
                _ => None,
            };
        }
    }

    /// Table `t`'s lines, in id order, with the overlay folded in, each given to `emit`
    /// (with or without its `\n`). Fails when a chunk is damaged.
    fn merged_lines(
        &self,
        t: usize,
        mut emit: impl FnMut(&str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut changed = self
            .overlay
            .range((t, String::new())..(t + 1, String::new()))
            .map(|((_, id), line)| (id, line))
            .peekable();
        for c in 0..self.tables[t].len() {
            let text = self
                .chunk(t, c)
                .ok_or_else(|| std::io::Error::other("a chunk of the index failed its check"))?;
            for line in text.split_inclusive('\n') {
                let id = std::str::from_utf8(line_id(line.as_bytes())).unwrap_or_default();
                while let Some((_, new)) = changed.next_if(|(cid, _)| cid.as_str() < id) {
                    emit(new)?;
                }
                match changed.next_if(|(cid, _)| cid.as_str() == id) {
                    Some((_, new)) => emit(new)?,
                    None => emit(line)?,
                }
            }
        }
        for (_, new) in changed {
            emit(new)?;
        }
        Ok(())
    }
}

/// A table's chunks: each one's mark, and its text once read (`None` if it failed its
/// check).
/// Writes an index file of `tables` tables with the head `head` (its chunks and log id
/// set here): the lines `lines` gives, cut into chunks as they come. Returns the
/// new log's id and each table's chunk marks; `None` when it could not be written (or
/// `lines` failed), which leaves the old files as they were.
fn write_base(
    root: &Path,
    mut head: Head,
    tables: usize,
    lines: impl FnOnce(&mut dyn FnMut(usize, &str) -> std::io::Result<()>) -> std::io::Result<()>,
) -> Option<(u64, Vec<Vec<ChunkMark>>)> {
    let log_id = new_log_id();
    let mut marks: Vec<Vec<ChunkMark>> = (0..tables).map(|_| Vec::new()).collect();
    crate::store::safe::write_with(root, REL, false, |file| {
        let mut out = std::io::BufWriter::with_capacity(2 * CHUNK_BYTES, file);
        out.write_all(MAGIC)?;
        let mut offset = MAGIC.len() as u64;
        let mut chunker = Chunker::default();
        let mut current = 0;
        let mut emit = |t: usize, chunk: String, out: &mut std::io::BufWriter<&mut File>| {
            out.write_all(chunk.as_bytes())?;
            marks[t].push(chunk_mark(&chunk, offset));
            offset += chunk.len() as u64;
            std::io::Result::Ok(())
        };
        lines(&mut |t, line| {
            if t != current {
                // A table ends: its last chunk is its own.
                if let Some(chunk) = chunker.finish() {
                    emit(current, chunk, &mut out)?;
                }
                current = t;
            }
            match chunker.push(line) {
                Some(chunk) => emit(t, chunk, &mut out),
                None => Ok(()),
            }
        })?;
        if let Some(chunk) = chunker.finish() {
            emit(current, chunk, &mut out)?;
        }
        head.chunks = marks.clone();
        head.log_id = log_id;
        let payload = postcard::to_allocvec(&head).map_err(std::io::Error::other)?;
        out.write_all(&content_hash(&payload).to_le_bytes())?;
        out.write_all(&payload)?;
        out.write_all(&offset.to_le_bytes())?;
        out.flush()
    })
    .ok()?;
    Some((log_id, marks))
}

/// Cuts lines into chunks as they come: a chunk ends at the first line end at or past
/// `CHUNK_BYTES`, so no line is ever split (a character neither).
#[derive(Default)]
struct Chunker {
    current: String,
}

impl Chunker {
    /// Adds `line` (its `\n` added when missing); returns the chunk it completed, if any.
    fn push(&mut self, line: &str) -> Option<String> {
        self.current.push_str(line);
        if !line.ends_with('\n') {
            self.current.push('\n');
        }
        (self.current.len() > CHUNK_BYTES)
            .then(|| std::mem::replace(&mut self.current, String::with_capacity(2 * CHUNK_BYTES)))
    }

    /// The last, partial chunk, if any.
    fn finish(&mut self) -> Option<String> {
        (!self.current.is_empty()).then(|| std::mem::take(&mut self.current))
    }
}

/// The mark of `chunk` written at `offset`.
fn chunk_mark(chunk: &str, offset: u64) -> ChunkMark {
    ChunkMark {
        first: String::from_utf8_lossy(line_id(chunk.as_bytes())).into_owned(),
        offset,
        len: chunk.len() as u64,
        hash: content_hash(chunk.as_bytes()),
    }
}

fn set_mark(files: &mut Vec<FileMark>, mark: FileMark) {
    match files.binary_search_by(|m| m.rel.cmp(&mark.rel)) {
        Ok(i) => files[i] = mark,
        Err(i) => files.insert(i, mark),
    }
}

fn new_log_id() -> u64 {
    let id = crate::model::id::random_id(12);
    content_hash(id.as_bytes())
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
        let t = table as usize;
        let line = match self.overlay.get(&(t, id.to_string())) {
            Some(line) => line.as_str(),
            None => {
                let text = self.chunk(t, self.chunk_of(t, id)?)?;
                text.get(find(text, id).ok()?)?.trim_end_matches('\n')
            }
        };
        Some(line.split('\t').skip(1).map(unescape).collect())
    }

    fn with_prefix(&self, table: Table, prefix: &str) -> Vec<String> {
        let t = table as usize;
        let first = self.chunk_of(t, prefix).unwrap_or(0);
        let chunks = self.tables.get(t).map_or(0, Vec::len);
        // The chunks from the one `prefix` would be in, while their first ids still could
        // start with it.
        let mut ids: Vec<String> = (first..chunks)
            .take_while(|&c| {
                let start = &self.tables[t][c].0.first;
                c == first || start.starts_with(prefix) || start.as_str() < prefix
            })
            .filter_map(|c| self.chunk(t, c))
            .flat_map(str::lines)
            .map(|l| l.split('\t').next().unwrap_or_default())
            .filter(|id| id.starts_with(prefix))
            .map(str::to_string)
            .collect();
        ids.extend(
            self.overlay
                .range((t, prefix.to_string())..(t + 1, String::new()))
                .map(|((_, id), _)| id)
                .take_while(|id| id.starts_with(prefix))
                .cloned(),
        );
        ids.sort();
        ids.dedup();
        ids
    }

    /// One pass over the leads, reading just the two fields (a damaged chunk ends it; the
    /// writer then notices `intact()` is false).
    fn each_lead_key(&self, each: &mut crate::model::summary::LeadKeys<'_>) {
        self.scan(Table::Leads, |line| {
            let text = |n| {
                raw_field(line, n).and_then(|f| {
                    f.strip_prefix('=').map(|f| {
                        if f.contains('\\') {
                            std::borrow::Cow::Owned(unescape(f))
                        } else {
                            std::borrow::Cow::Borrowed(f)
                        }
                    })
                })
            };
            let (email, crm_id) = (text(LEAD_EMAIL), text(LEAD_CRM_ID));
            each(line_key(line), email.as_deref(), crm_id.as_deref());
            true
        });
    }

    fn ids(&self, table: Table) -> Box<dyn Iterator<Item = &str> + '_> {
        let t = table as usize;
        let mut base = self
            .lines(t)
            .map(|l| l.split('\t').next().unwrap_or_default())
            .peekable();
        let mut changed = self
            .overlay
            .range((t, String::new())..(t + 1, String::new()))
            .map(|((_, id), _)| id.as_str())
            .peekable();
        // Both are sorted: merge them, each id once.
        Box::new(std::iter::from_fn(move || {
            match (base.peek(), changed.peek()) {
                (Some(b), Some(c)) if b == c => {
                    changed.next();
                    base.next()
                }
                (Some(b), Some(c)) if c < b => changed.next(),
                (Some(_), _) => base.next(),
                (None, _) => changed.next(),
            }
        }))
    }
}

/// Where a lead's email and CRM id lie in its line (see `model::summary`).
const LEAD_EMAIL: usize = 6;
const LEAD_CRM_ID: usize = 15;

/// Field `n` of an index line (0 is the first after the id), as written: escaped.
pub fn raw_field(line: &str, n: usize) -> Option<&str> {
    let bytes = line.as_bytes();
    let mut start = 0;
    for _ in 0..=n {
        start += bytes[start..].iter().position(|&b| b == b'\t')? + 1;
    }
    let end = bytes[start..]
        .iter()
        .position(|&b| b == b'\t')
        .map_or(bytes.len(), |i| start + i);
    line.get(start..end)
}

/// Whether field `n` of `line` is `value`.
pub fn field_is(line: &str, n: usize, value: &str) -> bool {
    raw_field(line, n).is_some_and(|f| {
        if f.contains('\\') {
            unescape(f) == value
        } else {
            f == value
        }
    })
}

/// The id of an index line.
pub fn line_key(line: &str) -> &str {
    line.split('\t').next().unwrap_or_default()
}

/// `make` applied to an index line's id and its fields, unescaped (copied only when
/// they hold an escape).
pub fn decode<T>(line: &str, make: impl FnOnce(&str, &[&str]) -> Option<T>) -> Option<T> {
    let mut parts = line.split('\t');
    let id = parts.next()?;
    let fields: Vec<std::borrow::Cow<str>> = parts
        .map(|f| {
            if f.contains('\\') {
                std::borrow::Cow::Owned(unescape(f))
            } else {
                std::borrow::Cow::Borrowed(f)
            }
        })
        .collect();
    let refs: Vec<&str> = fields.iter().map(|f| f.as_ref()).collect();
    make(id, &refs)
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
        // The runs between escapes are copied whole (a million records' fields char by
        // char was a third of writing the index).
        let mut run = 0;
        for (i, b) in field.bytes().enumerate() {
            let escaped = match b {
                b'\\' => "\\\\",
                b'\t' => "\\t",
                b'\n' => "\\n",
                b'\r' => "\\r",
                _ => continue,
            };
            out.push_str(&field[run..i]);
            out.push_str(escaped);
            run = i + 1;
        }
        out.push_str(&field[run..]);
    }
    out.push('\n');
}

fn unescape(field: &str) -> String {
    if !field.contains('\\') {
        return field.to_string();
    }
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
    use crate::model::lead::Lead;
    use crate::model::summary::{LeadSummary, Summary};

    proptest::proptest! {
        /// A line's fields read back as written, whatever they hold: tabs, line ends,
        /// backslashes (before an escape letter too) and text beyond ASCII.
        #[test]
        fn fields_read_back_as_written(
            fields in proptest::collection::vec("[a-z\\\\\t\n\r\u{e9}\u{1F600} nt]{0,12}", 1..5),
        ) {
            let mut line = String::new();
            push_line(&mut line, "id", &fields);
            proptest::prop_assert_eq!(line.matches('\n').count(), 1);
            let read: Vec<String> = line
                .trim_end_matches('\n')
                .split('\t')
                .skip(1)
                .map(unescape)
                .collect();
            proptest::prop_assert_eq!(read, fields);
        }
    }

    fn lead(id: &str, company: &str) -> Lead {
        LeadSummary::new(id, company, "new").to_thin()
    }

    fn mark(rel: &str, len: u64) -> FileMark {
        FileMark {
            rel: rel.into(),
            len,
            mtime_ns: 7,
            hash: 9,
            entries: 1,
        }
    }

    #[test]
    fn chunks_are_cut_at_line_ends_whatever_the_script() {
        // Lines of three-byte characters: the 64 KiB mark falls inside one now and then.
        let text: String = (0..30_000).map(|i| format!("{i}\t東京の会社\n")).collect();
        let mut chunker = Chunker::default();
        let mut chunks: Vec<String> = text
            .split_inclusive('\n')
            .filter_map(|line| chunker.push(line))
            .collect();
        chunks.extend(chunker.finish());
        assert!(chunks.len() > 5);
        assert_eq!(chunks.concat(), text);
        for c in &chunks {
            assert!(
                c.ends_with('\n') && c.len() < CHUNK_BYTES + 64,
                "{}",
                c.len()
            );
        }
    }

    #[test]
    fn compactions_over_many_chunks_keep_every_record_in_order() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let mut expected: BTreeMap<String, String> = BTreeMap::new();
        let mut base = State::default();
        for i in (0..40_000).step_by(2) {
            let (id, company) = (format!("lead-{i:05}"), format!("Company {i}"));
            base.leads
                .insert(id.as_str().into(), Box::new(lead(&id, &company)));
            expected.insert(id, company);
        }
        Index::write_state(root, &base, 1, vec![mark("journal/a.toml", 10)], Vec::new());
        // Changed leads and new ones between them and past the end, folded in three times.
        let mut x: u64 = 7;
        for round in 0..3 {
            for _ in 0..60 {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let n = (x >> 33) % 40_010;
                let (id, company) = (format!("lead-{n:05}"), format!("Changed {round} {n}"));
                let mut thin = State::default();
                thin.leads
                    .insert(id.as_str().into(), Box::new(lead(&id, &company)));
                let mut read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
                read.record(root, &thin, &[mark("journal/b.toml", 100)]);
                expected.insert(id, company);
            }
            let mut read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
            read.write(root);
        }
        let read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
        assert!(read.overlay.is_empty());
        assert!(
            read.tables[Table::Leads as usize].len() > 5,
            "several chunks"
        );
        let ids: Vec<&str> = read.ids(Table::Leads).collect();
        assert_eq!(ids, expected.keys().map(String::as_str).collect::<Vec<_>>());
        let records: &dyn Records = &read;
        for (id, company) in &expected {
            assert_eq!(
                records.lead(id).map(|l| l.company),
                Some(company.as_str().into())
            );
        }
        assert!(read.intact());
    }

    #[test]
    fn lookups_read_one_chunk_and_a_damaged_chunk_is_noticed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let mut base = State::default();
        for i in 0..20_000 {
            let id = format!("lead-{i:05}");
            base.leads
                .insert(id.as_str().into(), Box::new(lead(&id, "Company")));
        }
        Index::write_state(root, &base, 1, vec![mark("journal/a.toml", 10)], Vec::new());
        let read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
        assert!(
            read.tables[Table::Leads as usize].len() > 5,
            "several chunks"
        );
        let records: &dyn Records = &read;
        assert_eq!(
            records.lead("lead-12345").map(|l| l.id),
            Some("lead-12345".into())
        );
        // Only the chunk holding the id was read.
        let loaded = || {
            read.tables[0]
                .iter()
                .filter(|(_, t)| t.get().is_some())
                .count()
        };
        assert_eq!(loaded(), 1);
        assert!(records.lead("lead-2").is_none());
        assert_eq!(loaded(), 2);
        let prefixed = read.with_prefix(Table::Leads, "lead-1999");
        assert_eq!(prefixed.len(), 10);
        assert_eq!(prefixed.first().map(String::as_str), Some("lead-19990"));
        assert!(read.intact());

        // Flip a byte in the middle of the table: the chunk fails its check.
        let file = path(root);
        let mut bytes = std::fs::read(&file).unwrap_or_default();
        let middle = bytes.len() / 3;
        bytes[middle] ^= 0x20;
        std::fs::write(&file, bytes).unwrap_or_else(|e| panic!("{e}"));
        let read = Index::read(root, 1).unwrap_or_else(|| panic!("the head is intact"));
        let all: usize = read.ids(Table::Leads).count();
        assert!(all < 20_000);
        assert!(!read.intact());
    }

    #[test]
    fn the_log_overlays_the_base_and_compacts_into_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        let mut base = State::default();
        for (id, company) in [("m", "M"), ("c", "C"), ("x", "X")] {
            base.leads.insert((*id).into(), Box::new(lead(id, company)));
        }
        Index::write_state(root, &base, 1, vec![mark("journal/a.toml", 10)], Vec::new());
        // Three writes: a new lead, a changed lead, a company with every escape.
        for (i, (id, company)) in [("a", "A"), ("m", "M2"), ("q", "Q\t\\\n")]
            .iter()
            .enumerate()
        {
            let mut thin = State::default();
            thin.leads.insert((*id).into(), Box::new(lead(id, company)));
            let mut read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
            read.record(root, &thin, &[mark("journal/b.toml", 100 + i as u64)]);
        }
        let read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
        let records: &dyn Records = &read;
        let ids: Vec<&str> = read.ids(Table::Leads).collect();
        assert_eq!(ids, ["a", "c", "m", "q", "x"]);
        assert_eq!(records.lead("m").map(|l| l.company), Some("M2".into()));
        assert_eq!(records.lead("q").map(|l| l.company), Some("Q\t\\\n".into()));
        assert_eq!(
            read.files
                .iter()
                .map(|m| (m.rel.as_str(), m.len))
                .collect::<Vec<_>>(),
            [("journal/a.toml", 10), ("journal/b.toml", 102)]
        );
        // A torn block at the end is ignored, the blocks before it stand.
        let log = root.join(LOG_REL);
        let mut text = std::fs::read_to_string(&log).unwrap_or_default();
        text.push_str("U\t0\tzz\tnew\t\t\tZZ\n");
        std::fs::write(&log, text).unwrap_or_else(|e| panic!("{e}"));
        let read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
        assert_eq!(read.ids(Table::Leads).count(), 5);
        // A block that fails its check ends the log: the blocks after it are not applied.
        let intact = std::fs::read_to_string(&log).unwrap_or_default();
        let second = intact
            .match_indices("\nE\t")
            .nth(1)
            .map_or(0, |(i, _)| i + 3);
        let mut damaged = intact.clone();
        damaged.replace_range(second..second + 1, "x");
        std::fs::write(&log, damaged).unwrap_or_else(|e| panic!("{e}"));
        let early = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
        let ids: Vec<&str> = early.ids(Table::Leads).collect();
        assert_eq!(ids, ["a", "c", "m", "x"]);
        let records: &dyn Records = &early;
        assert_eq!(records.lead("m").map(|l| l.company), Some("M".into()));
        assert_eq!(
            early.files.iter().map(|m| m.len).collect::<Vec<_>>(),
            [10, 100]
        );
        std::fs::write(&log, intact).unwrap_or_else(|e| panic!("{e}"));
        let read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
        // Compaction folds the overlay into the base, in order.
        let mut read = read;
        read.write(root);
        let read = Index::read(root, 1).unwrap_or_else(|| panic!("no index"));
        assert!(read.overlay.is_empty());
        let ids: Vec<&str> = read.ids(Table::Leads).collect();
        assert_eq!(ids, ["a", "c", "m", "q", "x"]);
        let records: &dyn Records = &read;
        assert_eq!(records.lead("q").map(|l| l.company), Some("Q\t\\\n".into()));
        let _ = LeadSummary::TABLE;
    }
}
