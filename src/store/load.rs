//! Loading the state: from the cache when it is current, by applying new journal tails
//! when that is safe, or by a full fold of the journal otherwise.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::model::state::State;
use crate::store::cache::{self, FileMark, Needs, content_hash};
use crate::store::config::LoadedConfig;
use crate::store::journal::{self, JournalFile, LocatedEntry};

/// The largest journal file growth reads: far past a year of one person's entries, small
/// enough that a runaway or hostile file cannot exhaust memory. Checked before reading.
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

/// Like [`load`], but when the cache is current only the parts `needs` names are decoded
/// (the rest of the state stays empty). Otherwise the whole state is loaded and refreshed.
pub fn load_parts(root: &Path, config: &LoadedConfig, fresh: bool, needs: Needs) -> Result<Loaded> {
    let files = journal::list(root)?;
    if !fresh && let Some(cached) = cache::open(root, config.hash) {
        if cached.matches(&files) {
            let marks = cached.files.clone();
            if let Some(state) = cached.state(needs) {
                return Ok(Loaded {
                    state,
                    marks,
                    changed: false,
                    parsed: 0,
                });
            }
        } else {
            let marks = cached.files.clone();
            if let Some(state) = cached.state(Needs::ALL)
                && let Some(loaded) = incremental(config, marks, state, &files)?
            {
                return Ok(loaded);
            }
        }
    }
    rebuild(config, &files).map_err(Error::invalid)
}

/// Applies only what changed since the cache, or returns `None` when a full fold is needed.
fn incremental(
    config: &LoadedConfig,
    cached_files: Vec<FileMark>,
    cached_state: State,
    files: &[JournalFile],
) -> Result<Option<Loaded>> {
    let known: HashMap<&str, &FileMark> =
        cached_files.iter().map(|m| (m.rel.as_str(), m)).collect();
    if cached_files
        .iter()
        .any(|m| !files.iter().any(|f| f.rel == m.rel))
    {
        return Ok(None);
    }
    let mut marks = Vec::with_capacity(files.len());
    let mut sources = Vec::new();
    let mut fresh_entries = Vec::new();
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
        let bytes = std::fs::read(&f.path)
            .map_err(|e| Error::io(format!("cannot read {}", f.path.display()), e))?;
        let (start, first_index) = match mark {
            None => (0, 0),
            Some(m) => match bytes.get(..usize::try_from(m.len).unwrap_or(usize::MAX)) {
                Some(prefix) if content_hash(prefix) == m.hash => (prefix.len(), m.entries),
                _ => return Ok(None),
            },
        };
        let (entries, mut found) = parse_file(
            u32::try_from(i).unwrap_or(u32::MAX),
            &f.path,
            &bytes,
            start,
            first_index,
        );
        problems.append(&mut found);
        marks.push(FileMark {
            rel: f.rel.clone(),
            len: bytes.len() as u64,
            mtime_ns: f.mtime_ns,
            hash: content_hash(&bytes),
            entries: first_index + u32::try_from(entries.len()).unwrap_or(u32::MAX),
        });
        fresh_entries.extend(entries);
        sources.push((
            i,
            Source {
                path: f.path.clone(),
                text: String::from_utf8(bytes).unwrap_or_default(),
            },
        ));
    }
    if !problems.is_empty() {
        return Err(Error::invalid(problems));
    }
    if marks == cached_files {
        return Ok(Some(Loaded {
            state: cached_state,
            marks,
            changed: false,
            parsed: 0,
        }));
    }
    fresh_entries.sort_by_key(LocatedEntry::order);
    if let (Some(last), Some(first)) = (&cached_state.last, fresh_entries.first())
        && first.sort_key(&files[first.file as usize].rel) <= *last
    {
        return Ok(None);
    }
    let sources: HashMap<usize, Source> = sources.into_iter().collect();
    let parsed = fresh_entries.len();
    let mut state = cached_state;
    fold(&mut state, config, fresh_entries, files, |i| {
        sources.get(&i)
    })
    .map_err(Error::invalid)?;
    Ok(Some(Loaded {
        state,
        marks,
        changed: true,
        parsed,
    }))
}

/// Folds every journal file from scratch, parsing files on all cores.
fn rebuild(config: &LoadedConfig, files: &[JournalFile]) -> Result<Loaded, Vec<Problem>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].len));
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); threads];
    let mut loads = vec![0u64; threads];
    for i in order {
        let lightest = (0..threads).min_by_key(|&t| loads[t]).unwrap_or(0);
        loads[lightest] += files[i].len;
        buckets[lightest].push(i);
    }
    type Parsed = (usize, Vec<LocatedEntry>, Vec<Problem>, FileMark, Source);
    let parsed: Vec<Parsed> = std::thread::scope(|scope| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|bucket| {
                scope.spawn(move || {
                    bucket
                        .into_iter()
                        .map(|i| parse_whole(i, &files[i]))
                        .collect::<Vec<Parsed>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
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
    // Fold even when some entries were unreadable, so every problem is reported at once.
    if let Err(mut refused) = fold(&mut state, config, entries, files, |i| {
        sources.get(i).and_then(Option::as_ref)
    }) {
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
    })
}

fn parse_whole(
    i: usize,
    f: &JournalFile,
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
                path: f.path.clone(),
                text: String::new(),
            },
        )
    };
    if f.len > MAX_FILE_BYTES {
        return refuse(too_large(&f.path, f.len));
    }
    let bytes = match std::fs::read(&f.path) {
        Ok(b) => b,
        Err(e) => {
            let p = Problem::new(&f.path, (1, 1), format!("cannot read the file: {e}"));
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
                    path: f.path.clone(),
                    text: String::new(),
                },
            );
        }
    };
    let (entries, problems) =
        parse_file(u32::try_from(i).unwrap_or(u32::MAX), &f.path, &bytes, 0, 0);
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
            path: f.path.clone(),
            text: String::from_utf8(bytes).unwrap_or_default(),
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
        Err(problems) => (Vec::new(), problems),
    }
}

/// Applies sorted entries to `state`; every refusal becomes a located problem.
fn fold<'a>(
    state: &mut State,
    config: &LoadedConfig,
    entries: Vec<LocatedEntry>,
    files: &[JournalFile],
    source: impl Fn(usize) -> Option<&'a Source>,
) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut last = None;
    let count = entries.len() as u64;
    for located in entries {
        if let Err(refusal) = state.apply(&located.entry, &config.config) {
            let at = source(located.file as usize).map_or((1, 1), |s| {
                journal::locate_key(&s.text, &located.span, refusal.key)
            });
            let path = source(located.file as usize).map_or_else(
                || files[located.file as usize].path.clone(),
                |s| s.path.clone(),
            );
            let mut p = Problem::new(&path, at, refusal.message);
            p.hint = refusal.hint;
            problems.push(p);
        }
        last = Some(located);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Some(last) = last {
        state.last = Some(last.sort_key(&files[last.file as usize].rel));
    }
    state.entries += count;
    Ok(())
}
