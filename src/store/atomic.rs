//! Crash-safe file replacement and the workspace lock.
//!
//! A write goes to a temporary file, is fsynced, renamed over the target and the folder is
//! fsynced: a reader (or a crash) sees the old bytes or the new, never a mix. Files of the
//! workspace are written by [`crate::store::safe`] (temporary files in `.growth/tmp/`, no
//! link followed); [`write_atomic`] is for files outside it that a person names (an agenda's
//! `--output`, the per-user settings), with the temporary file beside the target. The lock
//! is an advisory `flock` on `.growth/lock`, released by the kernel when the process dies,
//! so a killed writer never leaves the workspace locked.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Replaces `path` with `bytes` atomically; `durable` also fsyncs file and folder.
pub fn write_atomic(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    write_atomic_with(path, durable, |file| file.write_all(bytes))
}

/// Like [`write_atomic`], but `fill` writes the content to the temporary file as it makes
/// it (a cache of 100 MB need not exist in memory first).
pub fn write_atomic_with(
    path: &Path,
    durable: bool,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        crate::model::id::random_id(6)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        fill(&mut file)?;
        if durable {
            file.sync_all()?;
        }
        fs::rename(&tmp, path)?;
        if durable {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(format!("cannot write {}", path.display()), err));
    }
    Ok(())
}

/// Held while a command writes; dropping it releases the lock.
#[derive(Debug)]
pub struct WorkspaceLock {
    _file: File,
    pub path: PathBuf,
}

impl WorkspaceLock {
    /// Waits for the exclusive lock of the workspace at `root`. `.growth/` and the lock
    /// file are never reached through a link (a teammate may have force-added one): a
    /// link there is refused, and no file is created at its target.
    pub fn acquire(root: &Path) -> Result<Self> {
        let dir = crate::store::safe::Dir::root(root)?.dir(".growth", true)?;
        let file = dir.open_write("lock", false)?;
        let path = dir.path.join("lock");
        file.lock()
            .map_err(|e| Error::io(format!("cannot lock {}", path.display()), e))?;
        Ok(WorkspaceLock { _file: file, path })
    }
}
