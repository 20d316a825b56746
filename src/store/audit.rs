//! What `growth check` looks at beyond the fold: what a teammate's push may have put in the
//! workspace that growth never reads, so that it is named before anyone trusts it. Links,
//! FIFOs, devices and folders where `journal/`, `.growth/` and their files belong, and
//! entries whose idea links the CLI would have refused (`javascript:`, `data:`, ...).

use std::path::Path;

use crate::error::Problem;
use crate::model::entry::Change;
use crate::store::journal::{self, JOURNAL_DIR};
use crate::store::safe::{Dir, Kind, Refused, Why};

/// How the problem of a refused idea link begins (`check --repair` leaves those to a person).
pub const LINK_PROBLEM: &str = "the idea link";

/// Every problem of this kind in the workspace at `root`.
pub fn workspace(root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Ok(ws) = Dir::root(root) else {
        return problems;
    };
    problems.extend(strays(&ws).into_iter().map(|r| r.problem()));
    problems.extend(links(root));
    problems
}

/// The paths growth refuses to read or write through: each with what it is.
pub fn strays(ws: &Dir) -> Vec<Refused> {
    let mut found = Vec::new();
    let odd = |dir: &Dir, name: &str, kind: Kind| Refused {
        path: dir.path.join(name),
        why: Why::Kind(kind),
    };
    // `.growth/`: a folder holding a lock file, a device id, and folders.
    match ws.dir(".growth", false) {
        Ok(local) => {
            if let Ok(entries) = local.entries() {
                for (name, kind) in entries {
                    let want = match name.as_str() {
                        "lock" | "device" => Kind::File,
                        "cache" | "tmp" | "backup" => Kind::Folder,
                        _ => kind,
                    };
                    if kind != want || kind == Kind::Link {
                        found.push(odd(&local, &name, kind));
                    }
                }
            }
            for sub in ["cache", "tmp"] {
                if let Ok(d) = local.dir(sub, false)
                    && let Ok(entries) = d.entries()
                {
                    found.extend(
                        entries
                            .into_iter()
                            .filter(|(_, k)| *k != Kind::File)
                            .map(|(name, kind)| odd(&d, &name, kind)),
                    );
                }
            }
        }
        Err(r) if r.is_missing() => {}
        Err(r) => found.push(r),
    }
    // `journal/`: month folders of `*.toml` files.
    let journal = match ws.dir(JOURNAL_DIR, false) {
        Ok(d) => d,
        Err(r) if r.is_missing() => return found,
        Err(r) => {
            found.push(r);
            return found;
        }
    };
    let Ok(months) = journal.entries() else {
        return found;
    };
    for (month, kind) in months {
        match kind {
            Kind::Folder => {}
            Kind::Link => {
                found.push(odd(&journal, &month, kind));
                continue;
            }
            // A file beside the months (`.gitkeep`, a README) is never read.
            Kind::File => continue,
            _ => {
                found.push(odd(&journal, &month, kind));
                continue;
            }
        }
        let Ok(folder) = journal.dir(&month, false) else {
            continue;
        };
        let Ok(files) = folder.entries() else {
            continue;
        };
        for (name, kind) in files {
            let toml = name.ends_with(".toml") && !name.starts_with('.');
            if kind == Kind::Link || (toml && kind != Kind::File) {
                found.push(odd(&folder, &name, kind));
            }
        }
    }
    found
}

/// Entries whose idea link is not one the CLI accepts, located by file, line and column.
fn links(root: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let Ok(files) = journal::list(root) else {
        return problems;
    };
    for (i, f) in files.iter().enumerate() {
        let path = f.path();
        let Ok(bytes) = crate::store::safe::read_listed(&path, crate::store::load::MAX_FILE_BYTES)
        else {
            continue;
        };
        let Ok(src) = std::str::from_utf8(&bytes) else {
            continue;
        };
        // Only files with a `link` key are parsed again.
        let has_link = src.lines().any(|l| {
            l.trim_start()
                .strip_prefix("link")
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        });
        if !has_link {
            continue;
        }
        let (entries, _) = journal::parse(u32::try_from(i).unwrap_or(u32::MAX), &path, src, 0, 0);
        for e in entries {
            if let Change::IdeaStatus {
                link: Some(link), ..
            } = &e.entry.change
                && let Some(why) = crate::model::link::refusal(link)
            {
                let at = journal::locate_key(src, &e.span, "link");
                problems.push(
                    Problem::new(&path, at, format!("{LINK_PROBLEM} `{link}` is refused")).hint(
                        format!("{why}; fix or remove the line (the CLI never writes such a link)"),
                    ),
                );
            }
        }
    }
    problems
}
