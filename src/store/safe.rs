//! The workspace's files, opened as untrusted input: every file in a workspace may have
//! arrived from a teammate's push, so growth follows no symbolic link, reads and writes
//! nothing but regular files, and reads each within a size limit.
//!
//! A path inside the workspace is walked from the workspace folder one name at a time, each
//! opened relative to the last with `O_NOFOLLOW` (folders with `O_DIRECTORY`): a link
//! anywhere on the way (a symlinked `journal/`, month folder or `.growth/`) is refused, not
//! followed. A file is opened with `O_NOFOLLOW | O_NONBLOCK` (a FIFO cannot block the
//! open) and checked with `fstat` to be a regular file before a byte is read; the read goes
//! through `take(limit + 1)`, so a file that grows, or lies about its size, is still cut at
//! the limit. Writes go to a temporary file in `.growth/tmp/` (git-ignored, same file
//! system) that is renamed into place: a reader or a crash sees the old bytes or the new,
//! and no temporary file ever sits in `journal/` for git to commit.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::error::{Error, Problem};

/// Where temporary files are written before they are renamed into place.
pub const TMP_DIR: &str = ".growth/tmp";

/// A temporary file this old whose writer is gone is an orphan (of a killed writer).
const ORPHAN_AFTER: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// What a path turned out to be, when not what growth reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Link,
    Folder,
    File,
    Fifo,
    Device,
    Socket,
}

impl Kind {
    fn of(t: FileType) -> Kind {
        match t {
            FileType::Symlink => Kind::Link,
            FileType::Directory => Kind::Folder,
            FileType::RegularFile => Kind::File,
            FileType::Fifo => Kind::Fifo,
            FileType::Socket => Kind::Socket,
            _ => Kind::Device,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Link => "a symbolic link",
            Kind::Folder => "a folder",
            Kind::File => "a file",
            Kind::Fifo => "a named pipe (FIFO)",
            Kind::Device => "a device",
            Kind::Socket => "a socket",
        }
    }
}

/// Why a path of the workspace was not read or written.
#[derive(Debug)]
pub enum Why {
    Missing,
    /// It is not the kind growth expected there (a link, a FIFO, a folder for a file...).
    Kind(Kind),
    TooLarge(u64),
    Io(std::io::Error),
}

/// A refusal, naming the path (the link or odd file itself, not its target).
#[derive(Debug)]
pub struct Refused {
    pub path: PathBuf,
    pub why: Why,
}

impl Refused {
    pub fn is_missing(&self) -> bool {
        matches!(self.why, Why::Missing)
    }

    fn message(&self) -> String {
        let path = self.path.display();
        match &self.why {
            Why::Missing => format!("{path} does not exist"),
            Why::Kind(Kind::Folder) => format!("{path} is a folder where a file belongs"),
            Why::Kind(Kind::File) => format!("{path} is a file where a folder belongs"),
            Why::Kind(Kind::Link) => {
                format!("{path} is a symbolic link; growth never follows a link inside a workspace")
            }
            Why::Kind(k) => format!("{path} is {}, not a regular file", k.noun()),
            Why::TooLarge(limit) => {
                format!("{path} is over the {} growth reads", human_bytes(*limit))
            }
            Why::Io(e) => format!("cannot open {path}: {e}"),
        }
    }

    fn hint(&self) -> &'static str {
        match self.why {
            Why::Kind(_) => {
                "only a hand or a teammate's push puts one there: run `growth check --repair` to move it aside (kept in .growth/backup/), or remove it and `git rm` it"
            }
            Why::TooLarge(_) => {
                "a file this big is damaged or not growth's; move it out of the workspace"
            }
            _ => "check the workspace folder's permissions",
        }
    }

    /// As a located problem, for `check`.
    pub fn problem(&self) -> Problem {
        Problem::new(&self.path, (1, 1), self.message()).hint(self.hint())
    }

    /// As a command's error.
    pub fn error(&self) -> Error {
        match &self.why {
            Why::Io(e) => Error::user(self.message()).hint(format!("{e}")),
            _ => Error::user(self.message()).hint(self.hint()),
        }
    }
}

impl From<Refused> for Error {
    fn from(r: Refused) -> Error {
        r.error()
    }
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MiB", n >> 20)
    } else {
        format!("{} KiB", n >> 10)
    }
}

/// An open folder of the workspace, reached without following a link.
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    pub path: PathBuf,
}

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

impl Dir {
    /// The workspace folder itself (reached as the person named it, links included).
    pub fn root(root: &Path) -> Result<Dir, Refused> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        rustix::fs::open(root, flags, Mode::empty())
            .map(|fd| Dir {
                fd,
                path: root.to_path_buf(),
            })
            .map_err(|e| Refused {
                path: root.to_path_buf(),
                why: match e {
                    Errno::NOENT => Why::Missing,
                    Errno::NOTDIR => Why::Kind(Kind::File),
                    e => Why::Io(e.into()),
                },
            })
    }

    /// What `name` in this folder is, without following a link; `None` when missing.
    pub fn kind(&self, name: &str) -> Result<Option<Kind>, Refused> {
        kind_at(self.fd.as_fd(), &self.path, name)
    }

    fn refused(&self, rel: &str, why: Why) -> Refused {
        Refused {
            path: self.path.join(rel),
            why,
        }
    }

    /// A failed open of `name` explained: what is there instead.
    fn explain(&self, name: &str, e: Errno) -> Refused {
        explain(self.fd.as_fd(), &self.path, name, e)
    }

    /// The folder `rel` (names separated by `/`) under this one, every step refused when it
    /// is a link; created (each missing step) when `create`.
    pub fn dir(&self, rel: &str, create: bool) -> Result<Dir, Refused> {
        let mut path = self.path.clone();
        let mut fd: Option<OwnedFd> = None;
        for name in rel.split('/').filter(|n| !n.is_empty() && *n != ".") {
            let parent = fd.as_ref().map_or(self.fd.as_fd(), AsFd::as_fd);
            let opened = match rustix::fs::openat(parent, name, DIR_FLAGS, Mode::empty()) {
                Err(Errno::NOENT) if create => {
                    match rustix::fs::mkdirat(parent, name, Mode::from_raw_mode(0o777)) {
                        Ok(()) | Err(Errno::EXIST) => {}
                        Err(e) => {
                            return Err(Refused {
                                path: path.join(name),
                                why: Why::Io(e.into()),
                            });
                        }
                    }
                    rustix::fs::openat(parent, name, DIR_FLAGS, Mode::empty())
                }
                other => other,
            };
            let opened = opened.map_err(|e| explain(parent, &path, name, e))?;
            fd = Some(opened);
            path.push(name);
        }
        let fd = match fd {
            Some(fd) => fd,
            None => self.fd.try_clone().map_err(|e| Refused {
                path: path.clone(),
                why: Why::Io(e),
            })?,
        };
        Ok(Dir { fd, path })
    }

    /// The regular file `name` of this folder, open for reading: never through a link,
    /// never a FIFO, device or folder.
    pub fn open(&self, name: &str) -> Result<File, Refused> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())
            .map_err(|e| self.explain(name, e))?;
        regular(fd).map_err(|why| self.refused(name, why))
    }

    /// The whole of the regular file `name`, refused past `limit` bytes.
    pub fn read(&self, name: &str, limit: u64) -> Result<Vec<u8>, Refused> {
        let file = self.open(name)?;
        read_bounded(file, limit).map_err(|why| self.refused(name, why))
    }

    /// Opens the regular file `name` for writing, without truncating it: never through a
    /// link, never a FIFO or device. `append` opens it to append to, and only if it
    /// exists; otherwise it is created when missing.
    pub fn open_write(&self, name: &str, append: bool) -> Result<File, Refused> {
        let mut flags = OFlags::WRONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        if append {
            flags |= OFlags::APPEND;
        } else {
            flags |= OFlags::CREATE;
        }
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o666))
            .map_err(|e| self.explain(name, e))?;
        regular(fd).map_err(|why| self.refused(name, why))
    }

    /// Moves `name` (the link or odd file itself, never what it points at) to `to` in the
    /// folder `into`.
    pub fn rename_to(&self, name: &str, into: &Dir, to: &str) -> Result<(), Refused> {
        rustix::fs::renameat(&self.fd, name, &into.fd, to)
            .map_err(|e| self.refused(name, Why::Io(e.into())))
    }

    pub fn remove(&self, name: &str) -> Result<(), Refused> {
        match rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(e) => Err(self.refused(name, Why::Io(e.into()))),
        }
    }

    /// The names in this folder with their kinds (not following links), `.` and `..` left
    /// out, sorted by name.
    pub fn entries(&self) -> Result<Vec<(String, Kind)>, Refused> {
        let io = |e: Errno| Refused {
            path: self.path.clone(),
            why: Why::Io(e.into()),
        };
        let mut out = Vec::new();
        for entry in rustix::fs::Dir::read_from(&self.fd).map_err(io)? {
            let entry = entry.map_err(io)?;
            let Ok(name) = entry.file_name().to_str() else {
                continue;
            };
            if name == "." || name == ".." {
                continue;
            }
            let kind = match entry.file_type() {
                FileType::Unknown => match self.kind(name)? {
                    Some(k) => k,
                    None => continue,
                },
                t => Kind::of(t),
            };
            out.push((name.to_string(), kind));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    pub fn sync(&self) -> std::io::Result<()> {
        rustix::fs::fsync(&self.fd).map_err(Into::into)
    }
}

fn kind_at(
    dir: std::os::fd::BorrowedFd<'_>,
    path: &Path,
    name: &str,
) -> Result<Option<Kind>, Refused> {
    match rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
        Ok(st) => Ok(Some(Kind::of(FileType::from_raw_mode(st.st_mode)))),
        Err(Errno::NOENT) => Ok(None),
        Err(e) => Err(Refused {
            path: path.join(name),
            why: Why::Io(e.into()),
        }),
    }
}

/// A failed open of `name` in the folder `dir` (at `path`) explained: what is there instead.
fn explain(dir: std::os::fd::BorrowedFd<'_>, path: &Path, name: &str, e: Errno) -> Refused {
    let why = match e {
        Errno::NOENT => Why::Missing,
        Errno::LOOP | Errno::NOTDIR | Errno::ISDIR | Errno::NXIO => {
            match kind_at(dir, path, name) {
                Ok(Some(k)) => Why::Kind(k),
                Ok(None) => Why::Missing,
                Err(r) => r.why,
            }
        }
        e => Why::Io(e.into()),
    };
    Refused {
        path: path.join(name),
        why,
    }
}

/// `fd` as a file when it is a regular one.
fn regular(fd: OwnedFd) -> Result<File, Why> {
    let st = rustix::fs::fstat(&fd).map_err(|e| Why::Io(e.into()))?;
    match Kind::of(FileType::from_raw_mode(st.st_mode)) {
        Kind::File => Ok(File::from(fd)),
        k => Err(Why::Kind(k)),
    }
}

/// Everything `file` holds, up to `limit` bytes: one more is a refusal.
fn read_bounded(file: File, limit: u64) -> Result<Vec<u8>, Why> {
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Why::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Why::TooLarge(limit));
    }
    Ok(bytes)
}

/// Splits `rel` into its folder and its file name.
fn split(rel: &str) -> (&str, &str) {
    rel.rsplit_once('/').unwrap_or(("", rel))
}

/// The file `rel` of the workspace at `root` (every step refused when a link), up to
/// `limit` bytes.
pub fn read(root: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, Refused> {
    let (dir, name) = split(rel);
    Dir::root(root)?.dir(dir, false)?.read(name, limit)
}

/// Opens the regular file `rel` of the workspace for reading (every step refused when a
/// link), with its length, refused when over `limit` bytes: for derived files read piece
/// by piece (the cache, the index), whose readers never read past the file's end.
pub fn open(root: &Path, rel: &str, limit: u64) -> Result<(File, u64), Refused> {
    let (dir, name) = split(rel);
    let dir = Dir::root(root)?.dir(dir, false)?;
    let file = dir.open(name)?;
    let len = file
        .metadata()
        .map_err(|e| dir.refused(name, Why::Io(e)))?
        .len();
    if len > limit {
        return Err(dir.refused(name, Why::TooLarge(limit)));
    }
    Ok((file, len))
}

/// Reads the regular file at `path` (an absolute path whose folders were found by listing,
/// without following links), not following a link at its last step, up to `limit` bytes.
pub fn read_listed(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let refused = |why| Refused {
        path: path.to_path_buf(),
        why,
    };
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|e| {
        refused(match e {
            Errno::NOENT => Why::Missing,
            Errno::LOOP => Why::Kind(Kind::Link),
            e => Why::Io(e.into()),
        })
    })?;
    let file = regular(fd).map_err(refused)?;
    read_bounded(file, limit).map_err(refused)
}

/// Replaces the file `rel` of the workspace at `root` with `bytes`, atomically; `durable`
/// also fsyncs the file and its folder. The folders on the way are created as needed and
/// refused when a link.
pub fn write(root: &Path, rel: &str, bytes: &[u8], durable: bool) -> Result<(), Error> {
    write_with(root, rel, durable, |file| file.write_all(bytes))
}

/// Like [`write`], with `fill` writing the content to the temporary file as it makes it.
pub fn write_with(
    root: &Path,
    rel: &str,
    durable: bool,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), Error> {
    let ws = Dir::root(root)?;
    let (dir, name) = split(rel);
    let target = ws.dir(dir, true)?;
    let staged = Staged::new(&ws, name, durable, fill)?;
    staged.commit(&target, name, durable)
}

/// A temporary file in `.growth/tmp/`, filled, closed and ready to be renamed into place;
/// removed when dropped uncommitted.
#[derive(Debug)]
pub struct Staged {
    tmp: Dir,
    name: String,
    mtime_ns: i64,
    done: bool,
}

impl Staged {
    /// A temporary file for a future `name`, in the workspace `ws`, filled by `fill` (and
    /// fsynced when `durable`).
    pub fn new(
        ws: &Dir,
        name: &str,
        durable: bool,
        fill: impl FnOnce(&mut File) -> std::io::Result<()>,
    ) -> Result<Staged, Error> {
        let tmp = ws.dir(TMP_DIR, true)?;
        let tmp_name = format!(
            "{name}.{}.{}.tmp",
            std::process::id(),
            crate::model::id::random_id(6)
        );
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(
            &tmp.fd,
            tmp_name.as_str(),
            flags,
            Mode::from_raw_mode(0o666),
        )
        .map_err(|e| tmp.explain(&tmp_name, e).error())?;
        let mut staged = Staged {
            name: tmp_name,
            tmp,
            mtime_ns: 0,
            done: false,
        };
        let path = staged.tmp.path.join(&staged.name);
        let mut file = File::from(fd);
        let filled = fill(&mut file).and_then(|()| {
            if durable {
                file.sync_all()?;
            }
            let st = rustix::fs::fstat(&file)?;
            Ok(crate::store::journal::mtime_ns_from(
                st.st_mtime,
                u32::try_from(st.st_mtime_nsec).unwrap_or(0),
            ))
        });
        staged.mtime_ns =
            filled.map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
        Ok(staged)
    }

    /// The file's modification time, which the rename keeps.
    pub fn mtime_ns(&self) -> i64 {
        self.mtime_ns
    }

    /// Renames the file to `name` in `dir`; `durable` also fsyncs `dir`.
    pub fn commit(mut self, dir: &Dir, name: &str, durable: bool) -> Result<(), Error> {
        let path = dir.path.join(name);
        let cannot = |e: std::io::Error| Error::io(format!("cannot write {}", path.display()), e);
        rustix::fs::renameat(&self.tmp.fd, self.name.as_str(), &dir.fd, name)
            .map_err(|e| cannot(e.into()))?;
        self.done = true;
        if durable {
            dir.sync().map_err(cannot)?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.tmp.remove(&self.name);
        }
    }
}

/// Removes the temporary files of writers that died (older than a few minutes) from
/// `.growth/tmp/`; best effort. Returns how many were removed.
pub fn clean_orphans(root: &Path) -> usize {
    let Ok(tmp) = Dir::root(root).and_then(|ws| ws.dir(TMP_DIR, false)) else {
        return 0;
    };
    let Ok(entries) = tmp.entries() else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for (name, kind) in entries {
        let old = rustix::fs::statat(&tmp.fd, name.as_str(), AtFlags::SYMLINK_NOFOLLOW)
            .ok()
            .and_then(|st| {
                let at = std::time::UNIX_EPOCH
                    + std::time::Duration::from_secs(u64::try_from(st.st_mtime).ok()?);
                now.duration_since(at).ok()
            })
            .is_some_and(|age| age > ORPHAN_AFTER);
        if (old || kind != Kind::File) && tmp.remove(&name).is_ok() {
            removed += 1;
        }
    }
    removed
}
