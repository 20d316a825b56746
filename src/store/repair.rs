//! `growth check --repair`: mend journal files a merge conflict, a hand edit or a crash left
//! damaged. Conflict markers are removed (both sides' entries are kept: journal entries only
//! add up), and entries that cannot be read are taken out. Every file is backed up first,
//! so nothing is ever dropped without a copy; `growth.toml` is never changed. Links, FIFOs
//! and folders where growth's files belong are moved aside (the link itself, never what it
//! points at) into the same backup folder, and temporary files killed writers left behind
//! are removed.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;

use crate::error::{Problem, Result};
use crate::model::entry::RawEntry;
use crate::store::atomic::WorkspaceLock;
use crate::store::safe::{self, Dir};

/// What was done to one file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Repaired {
    pub file: String,
    pub markers_removed: usize,
    /// Line numbers (in the damaged file) of the entries taken out.
    pub entries_dropped: Vec<usize>,
    pub backup: String,
    /// What the path was when it was moved aside whole (a symbolic link, a FIFO, ...).
    pub moved_aside: Option<&'static str>,
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

/// Mends the damaged journal files among `problems`, and moves aside what growth never
/// reads or writes through; returns what was done.
pub fn repair(root: &Path, problems: &[Problem], stamp: &str) -> Result<Vec<Repaired>> {
    let ws = Dir::root(root)?;
    let mut done = Vec::new();
    // A `.growth` that is a link (or a file) is removed first: the lock lives in it. The
    // link itself goes, what it points at is not touched.
    match ws.kind(".growth")? {
        Some(safe::Kind::Folder) | None => {}
        Some(kind) => {
            ws.remove(".growth")?;
            done.push(Repaired {
                file: ".growth".into(),
                markers_removed: 0,
                entries_dropped: Vec::new(),
                backup: String::new(),
                moved_aside: Some(kind_noun(kind)),
            });
        }
    }
    // A folder of its own for this repair: a second one in the same second (or under the
    // same frozen --today) must not overwrite the first one's originals.
    let backups = ws.dir(".growth/backup", true)?;
    let mut name = stamp.to_string();
    for n in 2.. {
        if backups.kind(&name)?.is_none() {
            break;
        }
        name = format!("{stamp}-{n}");
    }
    let folder_rel = format!(".growth/backup/{name}");
    // What a lock cannot be taken through goes first (a linked `.growth/lock`).
    let mut moved = Vec::new();
    for stray in crate::store::audit::strays(&ws) {
        let rel = stray
            .path
            .strip_prefix(root)
            .unwrap_or(&stray.path)
            .to_string_lossy()
            .into_owned();
        let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
        let kind = match stray.why {
            safe::Why::Kind(k) => k,
            _ => continue,
        };
        let into = ws.dir(&format!("{folder_rel}/{dir}"), true)?;
        ws.dir(dir, false)?.rename_to(file, &into, file)?;
        moved.push(stray.path.clone());
        done.push(Repaired {
            file: rel.clone(),
            markers_removed: 0,
            entries_dropped: Vec::new(),
            backup: format!("{folder_rel}/{rel}"),
            moved_aside: Some(kind_noun(kind)),
        });
    }
    let _lock = WorkspaceLock::acquire(root)?;
    safe::clean_orphans(root);
    crate::store::journal::remove_legacy_temp_files(root);
    let mut files: Vec<PathBuf> = problems
        .iter()
        .filter(|p| !p.message.starts_with(crate::store::audit::LINK_PROBLEM))
        .map(|p| p.path.clone())
        .filter(|p| p.starts_with(root.join(crate::store::journal::JOURNAL_DIR)))
        .filter(|p| !moved.iter().any(|m| p.starts_with(m)))
        .collect();
    files.sort();
    files.dedup();
    for path in files {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let rel_text = rel.to_string_lossy().into_owned();
        let bytes = match safe::read(root, &rel_text, crate::store::load::MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(r) if r.is_missing() => continue,
            Err(r) => return Err(r.into()),
        };
        let backup_rel = format!("{folder_rel}/{rel_text}");
        safe::write(root, &backup_rel, &bytes, true)?;
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
        safe::write(root, &rel_text, kept.as_bytes(), true)?;
        done.push(Repaired {
            file: rel.display().to_string(),
            markers_removed,
            entries_dropped: dropped,
            backup: backup_rel,
            moved_aside: None,
        });
    }
    Ok(done)
}

fn kind_noun(kind: safe::Kind) -> &'static str {
    match kind {
        safe::Kind::Link => "a symbolic link",
        safe::Kind::Folder => "a folder",
        safe::Kind::File => "a file",
        safe::Kind::Fifo => "a named pipe",
        safe::Kind::Device => "a device",
        safe::Kind::Socket => "a socket",
    }
}
