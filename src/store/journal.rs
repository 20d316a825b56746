//! The append-only journal: `journal/YYYY-MM/<author>-<device>.toml` (and `-2.toml`, ...
//! once a month's file is past 256 KiB), one file per author,
//! device and month, so no two clones ever append to the same file and git merges are
//! plain additions. Each change is one `[[entry]]` table.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::de::DeTable;

use crate::error::{Error, Problem, Result};
use crate::model::entry::{Change, Entry, RawEntry};
use crate::model::state::SortKey;
use crate::store::location::{key_span, line_col};

mod format;
pub use format::format_entry;

pub const JOURNAL_DIR: &str = "journal";

/// A journal file on disk, named by its path relative to the workspace root.
#[derive(Debug, Clone)]
pub struct JournalFile {
    pub rel: String,
    /// The month folder it is in (shared by the month's files: every command lists
    /// thousands of files at a million entries, so each is one allocation, not three).
    pub dir: std::sync::Arc<Path>,
    pub len: u64,
    pub mtime_ns: i64,
}

impl JournalFile {
    pub fn path(&self) -> PathBuf {
        self.dir
            .join(self.rel.rsplit('/').next().unwrap_or_default())
    }
}

/// An entry read from a file: where it sorts (time, file, position) and where its text is.
#[derive(Debug, Clone)]
pub struct LocatedEntry {
    pub at: crate::model::time::Instant,
    /// The file's position in the sorted file list of this load.
    pub file: u32,
    pub index: u32,
    pub entry: Entry,
    /// Byte range of the entry's table in the file, to locate a key when it is refused.
    pub span: std::ops::Range<usize>,
    /// Why the entry is not its file's author's to write, if it is not: a forgery, which
    /// `check` reports and every report ignores.
    pub forged: Option<String>,
}

impl LocatedEntry {
    pub fn order(&self) -> (crate::model::time::Instant, u32, u32) {
        (self.at, self.file, self.index)
    }

    pub fn sort_key(&self, rel: &str) -> SortKey {
        SortKey {
            at: self.at,
            file: rel.to_string(),
            index: self.index,
        }
    }
}

/// `line:col` of `key = ...` inside the entry at `span` of `src`, or of the entry itself.
pub fn locate_key(src: &str, span: &std::ops::Range<usize>, key: &str) -> (usize, usize) {
    let body = src.get(span.clone()).unwrap_or_default();
    let mut offset = span.start;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return line_col(src, offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    line_col(src, span.start)
}

/// Every `journal/*/*.toml` file, sorted by relative path.
pub fn list(root: &Path) -> Result<Vec<JournalFile>> {
    let dir = root.join(JOURNAL_DIR);
    let Some(months) = month_folders(&dir)? else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for month in &months {
        let month_dir: std::sync::Arc<Path> = dir.join(month.trim_end_matches('/')).into();
        for (name, len, mtime_ns) in month_files(&month_dir)? {
            let mut rel = String::with_capacity(JOURNAL_DIR.len() + 1 + month.len() + name.len());
            for part in [JOURNAL_DIR, "/", month, &name] {
                rel.push_str(part);
            }
            files.push(JournalFile {
                rel,
                dir: month_dir.clone(),
                len,
                mtime_ns,
            });
        }
    }
    Ok(files)
}

/// The month folders in `dir` (the journal folder), hidden ones skipped, each name ending
/// in '/' so that they sort as their files' paths do ("2027-10-old/" before "2027-10/").
/// `None` when there is no journal folder.
pub(crate) fn month_folders(dir: &Path) -> Result<Option<Vec<String>>> {
    let cannot_read = |e| Error::io(format!("cannot read {}", dir.display()), e);
    // Never through a link: a symlinked `journal/` would read (and send writes) elsewhere.
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(meta) => {
            let kind = if meta.file_type().is_symlink() {
                crate::store::safe::Kind::Link
            } else {
                crate::store::safe::Kind::File
            };
            let refused = crate::store::safe::Refused {
                path: dir.to_path_buf(),
                why: crate::store::safe::Why::Kind(kind),
            };
            return Err(Error::invalid(vec![refused.problem()]));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot_read(e)),
    }
    let entries = fs::read_dir(dir).map_err(cannot_read)?;
    let mut months = Vec::new();
    for month in entries {
        let month = month.map_err(cannot_read)?;
        if !month.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        // Members have a folder of their own, folded before the rest (`store::members`).
        if let Ok(mut name) = month.file_name().into_string()
            && !name.starts_with('.')
            && name != crate::store::members::MEMBERS_DIR
        {
            name.push('/');
            months.push(name);
        }
    }
    months.sort_unstable();
    Ok(Some(months))
}

/// The journal files of one month folder, as `(name, length, mtime)`, sorted by name:
/// every regular `*.toml` file that is not hidden. Sorting month by month is cheaper than
/// sorting thousands of paths with a long common prefix at once.
pub(crate) fn month_files(dir: &Path) -> Result<Vec<(String, u64, i64)>> {
    let cannot_read = |e| Error::io(format!("cannot read {}", dir.display()), e);
    let mut files = Vec::new();
    for file in fs::read_dir(dir).map_err(cannot_read)? {
        let file = file.map_err(cannot_read)?;
        let name = file.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if name.starts_with('.') || !name.ends_with(".toml") {
            continue;
        }
        let meta = file
            .metadata()
            .map_err(|e| Error::io(format!("cannot stat {}", file.path().display()), e))?;
        if meta.is_file() {
            files.push((name.to_string(), meta.len(), mtime_ns(&meta)));
        }
    }
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Removes the temporary files earlier versions of growth wrote beside journal files
/// (`.NAME.PID.RAND.tmp`) and a killed writer left behind: git would commit them. Call
/// under the workspace lock (an older growth writes them only under it). Best effort;
/// returns how many were removed.
pub fn remove_legacy_temp_files(root: &Path) -> usize {
    use crate::store::safe::{Dir, Kind};
    let Ok(journal) = Dir::root(root).and_then(|ws| ws.dir(JOURNAL_DIR, false)) else {
        return 0;
    };
    let mut removed = 0;
    for (month, kind) in journal.entries().unwrap_or_default() {
        if kind != Kind::Folder {
            continue;
        }
        let Ok(folder) = journal.dir(&month, false) else {
            continue;
        };
        for (name, kind) in folder.entries().unwrap_or_default() {
            if kind == Kind::File
                && name.starts_with('.')
                && name.ends_with(".tmp")
                && folder.remove(&name).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

/// A file's mtime in nanoseconds since 1970 (0 before it), as marks record it.
pub fn mtime_ns(meta: &fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// [`mtime_ns`] of a time given as seconds and nanoseconds, the same for every time.
pub fn mtime_ns_from(secs: i64, nanos: u32) -> i64 {
    if secs < 0 {
        return 0;
    }
    secs.checked_mul(1_000_000_000)
        .and_then(|ns| ns.checked_add(i64::from(nanos)))
        .unwrap_or(i64::MAX)
}

/// Checks that bytes are text a person could have written: UTF-8, no NUL, no leftover
/// merge-conflict markers.
/// The problem a leftover merge-conflict marker line is reported as.
pub const CONFLICT_MARKER: &str = "leftover git merge-conflict marker";

/// A line git leaves in a file whose merge it could not finish.
pub fn is_conflict_marker(line: &str) -> bool {
    line.starts_with("<<<<<<<") || line.starts_with(">>>>>>>") || line.trim_end() == "======="
}

pub fn decode_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Vec<Problem>> {
    let src = std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        vec![
            Problem::new(
                path,
                line_col(valid, valid.len()),
                "the file is not valid UTF-8 text",
            )
            .hint("save it as UTF-8; growth never writes other encodings"),
        ]
    })?;
    let mut problems = Vec::new();
    if let Some(i) = src.find('\0') {
        problems.push(
            Problem::new(path, line_col(src, i), "the file contains a NUL byte")
                .hint("the file is damaged; restore it from git"),
        );
    }
    if src.contains("<<<<<<<") || src.contains(">>>>>>>") {
        let mut offset = 0;
        for line in src.split_inclusive('\n') {
            if is_conflict_marker(line) {
                problems.push(
                    Problem::new(path, line_col(src, offset), CONFLICT_MARKER)
                        .hint(if path.file_name().is_some_and(|n| n == crate::store::config::CONFIG_FILE) {
                            "finish the merge: keep both sides' changes (e.g. both [members.ID] tables, each whole) and delete the marker lines"
                        } else {
                            "finish the merge: keep both sides' [[entry]] tables and delete the marker lines"
                        }),
                );
            }
            offset += line.len();
        }
    }
    if problems.is_empty() {
        Ok(src)
    } else {
        Err(problems)
    }
}

/// A TOML parse or type error as a located problem.
pub fn toml_problem(path: &Path, src: &str, err: &toml::de::Error) -> Problem {
    let at = err.span().map_or((1, 1), |s| line_col(src, s.start));
    let message = err.message().trim().replace('\n', " ");
    Problem::new(path, at, message)
        .hint("see the file's comments or README \"Workspace format\" for the expected shape")
}

/// Parses the entries in `src[start..]` of file number `file`; entry indexes start at
/// `first_index`. Returns the entries and every problem found.
pub fn parse(
    file: u32,
    path: &Path,
    src: &str,
    start: usize,
    first_index: u32,
) -> (Vec<LocatedEntry>, Vec<Problem>) {
    let tail = src.get(start..).unwrap_or_default();
    let offset_lines = src
        .get(..start)
        .map_or(0, |p| p.bytes().filter(|&b| b == b'\n').count());
    let at = |span_start: usize| {
        let (line, col) = line_col(tail, span_start);
        (line + offset_lines, col)
    };
    let rel = rel_of(path);
    // The fast reader first: it gives up on anything it does not know exactly, and on an
    // entry the checks refuse, so that the full parser below locates every problem.
    let mut entries = Vec::new();
    let scanned = crate::store::scan::each(tail, |s| {
        let index = first_index + u32::try_from(entries.len()).unwrap_or(u32::MAX);
        let Ok(mut entry) = s.raw.check() else {
            return false;
        };
        if entry.after.is_none() && entry.id == 0 {
            entry.id = crate::model::causal::legacy_id(&rel, index);
        }
        let forged = forgery(&rel, &entry);
        entries.push(LocatedEntry {
            at: entry.at,
            file,
            index,
            entry,
            span: s.span.start + start..s.span.end + start,
            forged,
        });
        true
    });
    if scanned.is_some() {
        return (entries, Vec::new());
    }
    entries.clear();
    let (doc, errors) = DeTable::parse_recoverable(tail);
    let mut problems: Vec<Problem> = errors
        .iter()
        .map(|e| {
            let mut p = toml_problem(path, tail, e);
            p.line += offset_lines;
            p
        })
        .collect();
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut entries = Vec::new();
    for (key, value) in doc.get_ref().iter() {
        if key.get_ref() != "entry" {
            problems.push(
                Problem::new(
                    path,
                    at(key.span().start),
                    format!("unexpected key `{}` in a journal file", key.get_ref()),
                )
                .hint("a journal file holds only [[entry]] tables"),
            );
            continue;
        }
        let Some(items) = value.get_ref().as_array() else {
            problems.push(Problem::new(
                path,
                at(value.span().start),
                "`entry` must be an array of tables: [[entry]]",
            ));
            continue;
        };
        for item in items.iter() {
            let index = first_index + u32::try_from(entries.len()).unwrap_or(u32::MAX);
            let raw = match RawEntry::deserialize(item.clone().into_deserializer()) {
                Ok(raw) => raw,
                Err(e) => {
                    let mut p = toml_problem(path, tail, &e);
                    p.line += offset_lines;
                    problems.push(p);
                    continue;
                }
            };
            match raw.check() {
                Ok(mut entry) => {
                    if entry.after.is_none() && entry.id == 0 {
                        entry.id = crate::model::causal::legacy_id(&rel, index);
                    }
                    // The item's span is its `[[entry]]` header; extend it over the keys.
                    let end = item
                        .get_ref()
                        .as_table()
                        .and_then(|t| t.iter().map(|(_, v)| v.span().end).max())
                        .unwrap_or(item.span().end)
                        .max(item.span().end);
                    let forged = forgery(&rel, &entry);
                    entries.push(LocatedEntry {
                        at: entry.at,
                        file,
                        index,
                        entry,
                        span: item.span().start + start..end + start,
                        forged,
                    });
                }
                Err(e) => {
                    let loc = at(key_span(item, e.key).start);
                    let mut p = Problem::new(path, loc, e.message);
                    p.hint = e.hint;
                    problems.push(p);
                }
            }
        }
    }
    (entries, problems)
}

/// The author a journal file belongs to, from its name: `maria` for `maria-3f9a.toml`
/// and `maria-3f9a-2.toml`, `mary-ann` for `mary-ann-3f9a.toml`; `None` for the anonymous
/// feedback files and the migrated members' file, which belong to no one.
pub fn file_author(rel: &str) -> Option<&str> {
    let name = rel.rsplit('/').next()?.strip_suffix(".toml")?;
    if name.starts_with("anonymous-") || name.starts_with("migrated-") {
        return None;
    }
    let mut parts: Vec<&str> = name.split('-').collect();
    // A part number (`-2`) after the device, then the device itself.
    if parts.len() > 2
        && parts
            .last()
            .is_some_and(|p| p.len() < 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        parts.pop();
    }
    if parts.len() > 1 {
        parts.pop();
    }
    let author_len = parts
        .iter()
        .map(|p| p.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    name.get(..author_len)
}

/// Why `entry` in the file `rel` is a forgery, if it is: an entry's author is its file's
/// author (anyone can push a file, but only its owner's clone writes under that name);
/// anonymous feedback files hold only anonymous feedback; the migrated members' file only
/// members joining.
pub fn forgery(rel: &str, entry: &Entry) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or_default();
    if name.starts_with("anonymous-") {
        return (!entry.change.is_anonymous()).then(|| {
            format!(
                "a `{}` entry by `{}` in an anonymous feedback file",
                entry.change.kind(),
                entry.by
            )
        });
    }
    if name.starts_with("migrated-") {
        return (!matches!(entry.change, Change::MemberAdd(_))).then(|| {
            format!(
                "a `{}` entry in the migrated members' file",
                entry.change.kind()
            )
        });
    }
    if entry.change.is_anonymous() {
        return None;
    }
    match file_author(rel) {
        Some(author) if author == entry.by => None,
        Some(author) => Some(format!(
            "an entry by `{}` in {author}'s file: an entry's author is its file's",
            entry.by
        )),
        None => None,
    }
}

/// `journal/2026-11/maria-3f9a.toml`: a journal file's path from the workspace root, the
/// same on every clone.
pub fn rel_of(path: &Path) -> String {
    let parts: Vec<&str> = path
        .iter()
        .rev()
        .take(3)
        .filter_map(|p| p.to_str())
        .collect();
    parts.into_iter().rev().collect::<Vec<_>>().join("/")
}

/// The header of a new journal file.
pub fn header(author: &str, device: &str, month: &str) -> String {
    if author.is_empty() {
        return format!("# growth journal: anonymous feedback, {month}. No author is stored.\n");
    }
    format!(
        "# growth journal of {author} on device {device}, {month}.\n\
         # growth appends one [[entry]] per change and never rewrites what is above.\n\
         # Readable and editable by hand; run `growth check` after an edit.\n"
    )
}
