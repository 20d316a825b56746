//! Whether the journal is still as the writers' index knows it, checked without reading
//! every month folder.
//!
//! Every write must notice any change to any journal file, by git, an editor or another
//! clone, before it trusts the index. Statting each file is unavoidable (an editor may
//! rewrite a file in place); reading each folder is not: adding, removing or renaming a
//! file changes its folder's status-change time (ctime). So the index keeps, with each
//! file's mark, the ctime of every month folder that had settled when it was listed, and
//! a writer reads only the folders whose ctime moved since (at a million entries: 1,440
//! files in 52 folders, of which usually only the current month's is read). Not the
//! mtime: `cp -a`, `rsync -a` and `tar` add files to a folder and then set its mtime back,
//! while setting a time moves the ctime to now, and nothing sets a ctime back.

use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::store::cache::FileMark;
use crate::store::journal::{self, JOURNAL_DIR};

/// A month folder's ctime when the journal was listed: while it is unchanged, no file was
/// added to, removed from or renamed in that folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirMark {
    /// The folder's name, as `2027-10`.
    pub month: String,
    pub ctime_ns: i64,
}

/// A folder changed less than this long before it was marked is not trusted: a second
/// change within the same tick of a coarse file system clock (or FAT's 2 s) could leave
/// its ctime as it was. Git's "racily clean" entries are the same problem.
const SETTLED_NS: i64 = 2_000_000_000;

/// The marks of the month folders of `root`'s journal that have settled, taken before the
/// files are listed (a change after this moves the folder's ctime), sorted by name. Best
/// effort: a folder that cannot be read gets no mark and is read in full by the next
/// writer.
pub fn dir_marks(root: &Path) -> Vec<DirMark> {
    dir_marks_as_of(root, SystemTime::now())
}

/// The marks of the folders that had settled by `listed`, taken after the journal was
/// listed then (a reader's fold): a folder changed since has a later ctime and gets no
/// mark, so the next writer reads it in full.
pub fn dir_marks_settled_by(root: &Path, listed: SystemTime) -> Vec<DirMark> {
    dir_marks_as_of(root, listed)
}

fn dir_marks_as_of(root: &Path, now: SystemTime) -> Vec<DirMark> {
    let now = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    let dir = root.join(JOURNAL_DIR);
    let Ok(Some(months)) = journal::month_folders(&dir) else {
        return Vec::new();
    };
    let Ok(folder) = Folder::open(&dir) else {
        return Vec::new();
    };
    let mut marks: Vec<DirMark> = months
        .iter()
        .map(|m| m.trim_end_matches('/'))
        .filter_map(|month| {
            let stat = folder.stat(month).ok()?;
            (stat.dir && stat.ctime_ns < now.saturating_sub(SETTLED_NS)).then(|| DirMark {
                month: month.to_string(),
                ctime_ns: stat.ctime_ns,
            })
        })
        .collect();
    // By bare name, as `unchanged` looks them up (the months came sorted as paths).
    marks.sort_unstable_by(|a, b| a.month.cmp(&b.month));
    marks
}

/// Whether the journal files of `root` are exactly `files` (sorted by path), same lengths
/// and mtimes: the files of a folder whose mark in `dirs` still holds are statted by name,
/// other folders are read. Any error reads as changed (the caller then takes the full
/// path, which reports it).
pub fn unchanged(root: &Path, files: &[FileMark], dirs: &[DirMark]) -> bool {
    let dir = root.join(JOURNAL_DIR);
    let months = match journal::month_folders(&dir) {
        Ok(Some(months)) => months,
        Ok(None) => return files.is_empty(),
        Err(_) => return false,
    };
    let Ok(folder) = Folder::open(&dir) else {
        return false;
    };
    let skip = JOURNAL_DIR.len() + 1;
    let mut rest = files;
    for month in &months {
        // The marks of this month: a contiguous run, months sorting as paths do.
        let n = rest
            .iter()
            .take_while(|m| {
                m.rel
                    .get(skip..)
                    .is_some_and(|r| r.starts_with(month.as_str()))
            })
            .count();
        let (known, tail) = rest.split_at(n);
        rest = tail;
        let name = month.trim_end_matches('/');
        // The month's own folder, to stat its files by name alone (a path walk of one
        // step less for each of a thousand files).
        let Ok(month_folder) = folder.open_in(name) else {
            return false;
        };
        let Ok(stat) = month_folder.stat("") else {
            return false;
        };
        let settled = dirs
            .binary_search_by(|d| d.month.as_str().cmp(name))
            .is_ok_and(|i| dirs[i].ctime_ns == stat.ctime_ns);
        let same = if settled {
            known.iter().all(|m| {
                month_folder
                    .stat(&m.rel[skip + month.len()..])
                    .is_ok_and(|s| s.file && s.len == m.len && s.mtime_ns == m.mtime_ns)
            })
        } else {
            journal::month_files(&dir.join(name)).is_ok_and(|found| {
                found.len() == known.len()
                    && found.iter().zip(known).all(|((file, len, mtime_ns), m)| {
                        m.rel[skip + month.len()..] == **file
                            && m.len == *len
                            && m.mtime_ns == *mtime_ns
                    })
            })
        };
        if !same {
            return false;
        }
    }
    // Marks left over belong to folders that are gone.
    rest.is_empty()
}

/// What a writer needs to know of a path.
struct Stat {
    file: bool,
    dir: bool,
    len: u64,
    mtime_ns: i64,
    ctime_ns: i64,
}

/// The journal folder, to stat paths relative to it: on Linux through an open descriptor,
/// which spares the kernel walking the workspace's path again for each of a thousand
/// files (a third of the time of the check).
struct Folder {
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
    #[cfg(not(target_os = "linux"))]
    path: std::path::PathBuf,
}

impl Folder {
    #[cfg(target_os = "linux")]
    fn open(path: &Path) -> std::io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        // The journal folder itself is never a link either.
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        Ok(Folder {
            fd: rustix::fs::open(path, flags, Mode::empty())?,
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn open(path: &Path) -> std::io::Result<Folder> {
        Ok(Folder {
            path: path.to_path_buf(),
        })
    }

    /// The folder `name` in this one (not through a symbolic link).
    #[cfg(target_os = "linux")]
    fn open_in(&self, name: &str) -> std::io::Result<Folder> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW;
        Ok(Folder {
            fd: rustix::fs::openat(&self.fd, name, flags, Mode::empty())?,
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn open_in(&self, name: &str) -> std::io::Result<Folder> {
        Ok(Folder {
            path: self.path.join(name),
        })
    }

    /// `rel`'s type, length and mtime, not following a symbolic link (as listing does);
    /// the folder itself for `""`.
    #[cfg(target_os = "linux")]
    fn stat(&self, rel: &str) -> std::io::Result<Stat> {
        use rustix::fs::{AtFlags, FileType, StatxFlags};
        let want = StatxFlags::TYPE | StatxFlags::SIZE | StatxFlags::MTIME | StatxFlags::CTIME;
        let flags = if rel.is_empty() {
            AtFlags::EMPTY_PATH
        } else {
            AtFlags::SYMLINK_NOFOLLOW
        };
        let s = rustix::fs::statx(&self.fd, rel, flags, want)?;
        let kind = FileType::from_raw_mode(u32::from(s.stx_mode));
        Ok(Stat {
            file: kind == FileType::RegularFile,
            dir: kind == FileType::Directory,
            len: s.stx_size,
            mtime_ns: journal::mtime_ns_from(s.stx_mtime.tv_sec, s.stx_mtime.tv_nsec),
            ctime_ns: journal::mtime_ns_from(s.stx_ctime.tv_sec, s.stx_ctime.tv_nsec),
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn stat(&self, rel: &str) -> std::io::Result<Stat> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(self.path.join(rel))?;
        Ok(Stat {
            file: meta.is_file(),
            dir: meta.is_dir(),
            len: meta.len(),
            mtime_ns: journal::mtime_ns(&meta),
            ctime_ns: journal::mtime_ns_from(
                meta.ctime(),
                u32::try_from(meta.ctime_nsec()).unwrap_or(0),
            ),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test's failure is its panic
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    /// A journal with files `(month, name, text)`, the files dated an hour ago (so that an
    /// edit now gets another mtime whatever the file system's clock).
    fn journal(files: &[(&str, &str, &str)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for (month, name, text) in files {
            let dir = tmp.path().join(JOURNAL_DIR).join(month);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(name), text).unwrap();
            set_mtime(
                &dir.join(name),
                SystemTime::now() - Duration::from_secs(3600),
            );
        }
        tmp
    }

    fn set_mtime(path: &Path, at: SystemTime) {
        std::fs::File::open(path).unwrap().set_modified(at).unwrap();
    }

    /// The marks of the files as an index written an hour from now would hold them, when
    /// every folder made by the test has settled (a ctime cannot be set back).
    fn marks(root: &Path) -> (Vec<FileMark>, Vec<DirMark>) {
        let dirs = dir_marks_as_of(root, SystemTime::now() + Duration::from_secs(3600));
        let files = journal::list(root)
            .unwrap()
            .into_iter()
            .map(|f| FileMark {
                rel: f.rel,
                len: f.len,
                mtime_ns: f.mtime_ns,
                hash: 0,
                entries: 0,
            })
            .collect();
        (files, dirs)
    }

    fn two_months() -> tempfile::TempDir {
        journal(&[
            ("2026-09", "maria-a.toml", "one"),
            ("2026-10", "maria-a.toml", "two"),
            ("2026-10", "tom-b.toml", "three"),
        ])
    }

    #[test]
    fn settled_folders_are_marked_and_the_journal_reads_unchanged() {
        let tmp = two_months();
        let (files, dirs) = marks(tmp.path());
        assert_eq!(files.len(), 3);
        let months: Vec<&str> = dirs.iter().map(|d| d.month.as_str()).collect();
        assert_eq!(months, ["2026-09", "2026-10"]);
        assert!(unchanged(tmp.path(), &files, &dirs));
        // Without marks every folder is read, with the same answer.
        assert!(unchanged(tmp.path(), &files, &[]));
    }

    #[test]
    fn a_folder_changed_just_now_is_not_marked() {
        let tmp = two_months();
        assert!(dir_marks(tmp.path()).is_empty());
        let (files, _) = marks(tmp.path());
        let in_a_second = SystemTime::now() + Duration::from_secs(1);
        assert!(dir_marks_as_of(tmp.path(), in_a_second).is_empty());
        assert!(unchanged(tmp.path(), &files, &[]));
    }

    #[test]
    fn marks_are_sorted_by_name_as_they_are_looked_up() {
        let tmp = journal(&[
            ("2027-10", "maria-a.toml", "one"),
            ("2027-10-old", "maria-a.toml", "two"),
        ]);
        let (files, dirs) = marks(tmp.path());
        let months: Vec<&str> = dirs.iter().map(|d| d.month.as_str()).collect();
        assert_eq!(months, ["2027-10", "2027-10-old"]);
        assert!(unchanged(tmp.path(), &files, &dirs));
    }

    #[test]
    fn every_kind_of_change_is_noticed() {
        type Change = fn(&Path);
        let changes: [(&str, Change); 8] = [
            ("edited in place", |root| {
                std::fs::write(root.join("journal/2026-09/maria-a.toml"), "one!").unwrap();
            }),
            ("edited in place, same length", |root| {
                std::fs::write(root.join("journal/2026-09/maria-a.toml"), "eno").unwrap();
            }),
            ("added", |root| {
                std::fs::write(root.join("journal/2026-09/tom-b.toml"), "new").unwrap();
            }),
            (
                "added, the folder's mtime set back (cp -a, rsync -a, tar)",
                |root| {
                    let dir = root.join("journal/2026-09");
                    let before = std::fs::metadata(&dir).unwrap().modified().unwrap();
                    std::fs::write(dir.join("tom-b.toml"), "new").unwrap();
                    set_mtime(&dir, before);
                },
            ),
            ("removed", |root| {
                std::fs::remove_file(root.join("journal/2026-10/tom-b.toml")).unwrap();
            }),
            ("renamed", |root| {
                let dir = root.join("journal/2026-10");
                std::fs::rename(dir.join("tom-b.toml"), dir.join("tom-c.toml")).unwrap();
            }),
            ("a new month", |root| {
                std::fs::create_dir(root.join("journal/2026-11")).unwrap();
                std::fs::write(root.join("journal/2026-11/tom-b.toml"), "x").unwrap();
            }),
            ("a month gone", |root| {
                std::fs::remove_dir_all(root.join("journal/2026-09")).unwrap();
            }),
        ];
        for (what, change) in changes {
            let tmp = two_months();
            let (files, dirs) = marks(tmp.path());
            assert!(unchanged(tmp.path(), &files, &dirs));
            let folder = Folder::open(&tmp.path().join(JOURNAL_DIR)).unwrap();
            let before = folder.stat("2026-09").unwrap();
            change(tmp.path());
            assert!(!unchanged(tmp.path(), &files, &dirs), "{what}");
            if what.starts_with("edited in place") {
                // Only the file's own mtime tells: the folder's mark still holds.
                assert_eq!(folder.stat("2026-09").unwrap().ctime_ns, before.ctime_ns);
            }
            if what.contains("set back") {
                assert_eq!(folder.stat("2026-09").unwrap().mtime_ns, before.mtime_ns);
            }
        }
    }

    #[test]
    fn other_files_and_folders_are_ignored_as_listing_ignores_them() {
        let tmp = two_months();
        let (files, dirs) = marks(tmp.path());
        let root = tmp.path();
        std::fs::write(root.join("journal/2026-10/notes.txt"), "x").unwrap();
        std::fs::write(root.join("journal/2026-10/.tom-b.toml.swp"), "x").unwrap();
        std::fs::create_dir(root.join("journal/2026-10/old.toml")).unwrap();
        std::fs::create_dir(root.join("journal/.trash")).unwrap();
        std::fs::write(root.join("journal/README.md"), "x").unwrap();
        assert!(unchanged(root, &files, &dirs));
    }

    #[test]
    fn no_journal_is_unchanged_only_for_no_files() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(unchanged(tmp.path(), &[], &[]));
        let (files, _) = marks(two_months().path());
        assert!(!unchanged(tmp.path(), &files, &[]));
    }

    #[test]
    fn mtimes_agree_with_the_standard_library() {
        let tmp = two_months();
        let path = tmp.path().join("journal/2026-09/maria-a.toml");
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        for t in [0, 1, 1_700_000_000, 4_102_444_800] {
            let time = SystemTime::UNIX_EPOCH + Duration::new(t, 123_456_789);
            file.set_modified(time).unwrap();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let folder = Folder::open(&tmp.path().join(JOURNAL_DIR)).unwrap();
            let stat = folder.stat("2026-09/maria-a.toml").unwrap();
            assert_eq!(stat.mtime_ns, journal::mtime_ns(&meta), "at {t}");
        }
        assert_eq!(journal::mtime_ns_from(-1, 500), 0);
        assert_eq!(journal::mtime_ns_from(i64::MAX / 2, 0), i64::MAX);
    }
}
