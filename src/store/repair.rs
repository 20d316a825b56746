//! `growth check --repair`: mend journal files a merge conflict, a hand edit or a crash left
//! damaged. Conflict markers are removed (both sides' entries are kept: journal entries only
//! add up), and entries that cannot be read are taken out. Every file is backed up first,
//! so nothing is ever dropped without a copy; `growth.toml` is never changed.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;

use crate::error::{Error, Problem, Result};
use crate::model::entry::RawEntry;
use crate::store::atomic::{WorkspaceLock, write_atomic};

/// What was done to one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Repaired {
    pub file: String,
    pub markers_removed: usize,
    /// Line numbers (in the damaged file) of the entries taken out.
    pub entries_dropped: Vec<usize>,
    pub backup: String,
}

/// Whether a line is a git merge-conflict marker.
fn is_marker(line: &str) -> bool {
    line.starts_with("<<<<<<<")
        || line.starts_with(">>>>>>>")
        || line.starts_with("|||||||")
        || line.trim_end() == "======="
}

/// Whether `chunk` (one `[[entry]]` table, or the file's header) reads as a valid entry.
fn readable(chunk: &str) -> bool {
    let Ok(doc) = toml::de::DeTable::parse(chunk) else {
        return false;
    };
    let Some(entries) = doc
        .get_ref()
        .get("entry")
        .and_then(|e| e.get_ref().as_array())
    else {
        // The header: comments and blank lines only.
        return doc.get_ref().is_empty();
    };
    entries.iter().all(|item| {
        RawEntry::deserialize(item.clone().into_deserializer())
            .ok()
            .and_then(|r| r.check().ok())
            .is_some()
    })
}

/// Mends the damaged journal files among `problems`; returns what was done.
pub fn repair(root: &Path, problems: &[Problem], stamp: &str) -> Result<Vec<Repaired>> {
    let _lock = WorkspaceLock::acquire(root)?;
    let mut files: Vec<PathBuf> = problems
        .iter()
        .map(|p| p.path.clone())
        .filter(|p| p.starts_with(root.join(crate::store::journal::JOURNAL_DIR)))
        .collect();
    files.sort();
    files.dedup();
    // A folder of its own for this repair: a second one in the same second (or under the
    // same frozen --today) must not overwrite the first one's originals.
    let backups = root.join(".growth").join("backup");
    let mut folder = backups.join(stamp);
    for n in 2.. {
        if !folder.exists() {
            break;
        }
        folder = backups.join(format!("{stamp}-{n}"));
    }
    let mut done = Vec::new();
    for path in files {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        let backup = folder.join(&rel);
        write_atomic(&backup, &bytes, true)?;
        // Invalid UTF-8 and NUL bytes cannot be kept as text: they go with their entry.
        let text = String::from_utf8_lossy(&bytes).replace('\0', "\u{fffd}");
        let mut markers_removed = 0;
        let mut kept = String::new();
        let mut dropped = Vec::new();
        let mut chunk = String::new();
        let mut chunk_line = 1;
        let flush =
            |chunk: &mut String, line: usize, kept: &mut String, dropped: &mut Vec<usize>| {
                if chunk.is_empty() {
                    return;
                }
                if readable(chunk) {
                    kept.push_str(chunk);
                } else {
                    dropped.push(line);
                }
                chunk.clear();
            };
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if is_marker(line) {
                markers_removed += 1;
                continue;
            }
            if line.trim_start().starts_with("[[entry]]") {
                flush(&mut chunk, chunk_line, &mut kept, &mut dropped);
                chunk_line = i + 1;
            }
            chunk.push_str(line);
        }
        flush(&mut chunk, chunk_line, &mut kept, &mut dropped);
        if !kept.ends_with('\n') && !kept.is_empty() {
            kept.push('\n');
        }
        write_atomic(&path, kept.as_bytes(), true)?;
        done.push(Repaired {
            file: rel.display().to_string(),
            markers_removed,
            entries_dropped: dropped,
            backup: backup
                .strip_prefix(root)
                .unwrap_or(&backup)
                .display()
                .to_string(),
        });
    }
    Ok(done)
}
