//! Append-only, enforced on git history: commits may add journal entries (new files, or
//! bytes appended at the end of a file) and change settings in `growth.toml`, nothing
//! else. `growth sync` verifies the commits it is about to merge, `growth check
//! --since-commit REV` the commits of `REV..HEAD` (for a team's CI).
//!
//! Each commit is compared with each of its parents: a merge of two clones' work adds, on
//! either side, only what the other side added, so it passes too.

use std::path::Path;

use crate::error::{Error, Problem, Result};
use crate::store::git::Repo;

/// One thing a commit did that is not an addition of entries.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub commit: String,
    pub author: String,
    pub subject: String,
    /// The file, relative to the workspace.
    pub file: String,
    /// The first line it changed (1 when the whole file is concerned).
    pub line: usize,
    pub what: String,
}

impl Rewrite {
    pub fn problem(&self, root: &Path) -> Problem {
        Problem::new(
            &root.join(&self.file),
            (self.line, 1),
            format!(
                "commit {} by {} (\"{}\") {}",
                self.commit, self.author, self.subject, self.what
            ),
        )
        .hint(format!("see it with `git show {}`", self.commit))
    }
}

/// The commits of `range` (`A..B`), oldest first, and what each did that is not an
/// addition of journal entries.
pub fn rewrites(repo: &Repo, range: &str) -> Result<Vec<Rewrite>> {
    let commits = repo.git(&["rev-list", "--reverse", "--topo-order", "--parents", range])?;
    let mut found = Vec::new();
    for line in commits.lines() {
        let mut ids = line.split_whitespace();
        let Some(commit) = ids.next() else {
            continue;
        };
        let parents: Vec<&str> = ids.collect();
        let mut mine = Vec::new();
        if parents.is_empty() {
            check_diff(repo, None, commit, &mut mine)?;
        }
        for parent in &parents {
            check_diff(repo, Some(parent), commit, &mut mine)?;
        }
        if mine.is_empty() {
            continue;
        }
        let info = repo.git(&["log", "-1", "--format=%h%x00%an <%ae>%x00%s", commit])?;
        let mut parts = info.splitn(3, '\0');
        let short = parts.next().unwrap_or(commit).to_string();
        let author = parts.next().unwrap_or_default().to_string();
        let subject = parts.next().unwrap_or_default().to_string();
        for (file, line, what) in mine {
            let r = Rewrite {
                commit: short.clone(),
                author: author.clone(),
                subject: subject.clone(),
                file,
                line,
                what,
            };
            // A merge repeats its sides' changes: each is named once, at its own commit.
            if !found
                .iter()
                .any(|f: &Rewrite| f.file == r.file && f.what == r.what)
            {
                found.push(r);
            }
        }
    }
    Ok(found)
}

/// The error `sync` and `check --since-commit` refuse with.
pub fn refusal(root: &Path, found: &[Rewrite], what: &str, hint: &str) -> Error {
    let commits: std::collections::BTreeSet<&str> =
        found.iter().map(|r| r.commit.as_str()).collect();
    let mut err = Error::user(format!(
        "{} {what} do more than add journal entries (growth's journal is append-only)",
        if commits.len() == 1 {
            "1 commit".to_string()
        } else {
            format!("{} commits", commits.len())
        },
    ));
    err.kind = crate::error::ErrorKind::Workspace;
    err.problems = found.iter().map(|r| r.problem(root)).collect();
    err.hint(hint)
}

type Found = Vec<(String, usize, String)>;

/// What `commit` changed against `parent` (or, for a first commit, against nothing) that
/// is not an addition of entries, as (file, line, what).
fn check_diff(repo: &Repo, parent: Option<&str>, commit: &str, found: &mut Found) -> Result<()> {
    let ws = repo.workspace_prefix();
    let journal = format!("{ws}journal");
    let local = format!("{ws}.growth");
    let config = format!("{ws}growth.toml");
    let mut args = vec![
        "diff-tree",
        "-r",
        "--no-renames",
        "--no-commit-id",
        "-z",
        "--raw",
    ];
    let root_flag;
    match parent {
        Some(p) => {
            args.push(p);
            args.push(commit);
        }
        None => {
            root_flag = "--root";
            args.push(root_flag);
            args.push(commit);
        }
    }
    args.extend(["--", &journal, &local, &config]);
    let raw = repo.git(&args)?;
    // `:oldmode newmode oldsha newsha status\0path\0`, repeated.
    let mut fields = raw.split('\0');
    while let Some(head) = fields.next() {
        let Some(path) = fields.next() else {
            break;
        };
        let head = head.trim_start_matches(':');
        let parts: Vec<&str> = head.split_whitespace().collect();
        let [_, new_mode, old_sha, new_sha, status] = parts[..] else {
            continue;
        };
        let rel = path.strip_prefix(&ws).unwrap_or(path).to_string();
        let mut refuse = |line: usize, what: String| found.push((rel.clone(), line, what));
        let regular = matches!(new_mode, "100644" | "100755");
        if rel.starts_with(".growth") {
            refuse(
                1,
                "adds or changes .growth/, which is local to each clone".into(),
            );
            continue;
        }
        if rel == "growth.toml" {
            if !regular && status != "D" {
                refuse(
                    1,
                    "makes growth.toml something other than a regular file".into(),
                );
            }
            continue;
        }
        let entries = rel.ends_with(".toml");
        match status {
            "A" if !regular => refuse(1, format!("adds {}", mode_noun(new_mode))),
            "A" => {}
            "D" if entries => refuse(1, "removes the file and its entries".into()),
            "D" => {}
            "M" if !regular => refuse(1, format!("turns the file into {}", mode_noun(new_mode))),
            "M" if entries => {
                if let Some((line, what)) = not_appended(repo, old_sha, new_sha)? {
                    refuse(line, what);
                }
            }
            "M" => {}
            _ => refuse(
                1,
                format!("changes the file's type ({})", mode_noun(new_mode)),
            ),
        }
    }
    Ok(())
}

fn mode_noun(mode: &str) -> &'static str {
    match mode {
        "120000" => "a symbolic link",
        "160000" => "a submodule",
        "040000" => "a folder",
        _ => "something that is not a regular file",
    }
}

/// `None` when the new blob is the old one with bytes added at the end; else the first
/// line that differs and how.
fn not_appended(repo: &Repo, old: &str, new: &str) -> Result<Option<(usize, String)>> {
    let limit = crate::store::load::MAX_FILE_BYTES;
    for sha in [old, new] {
        let size: u64 = repo
            .git(&["cat-file", "-s", sha])?
            .trim()
            .parse()
            .unwrap_or(u64::MAX);
        if size > limit {
            return Ok(Some((
                1,
                format!("makes the file over the {} MiB growth reads", limit >> 20),
            )));
        }
    }
    let old = repo.git_bytes(&["cat-file", "blob", old])?;
    let new = repo.git_bytes(&["cat-file", "blob", new])?;
    if new.starts_with(&old) {
        return Ok(None);
    }
    let at = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let line_start = old[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = old[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let line_of = |bytes: &[u8]| {
        let rest = bytes.get(line_start..).unwrap_or_default();
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let text = String::from_utf8_lossy(&rest[..end]).into_owned();
        let mut short: String = text.chars().take(80).collect();
        if short.len() < text.len() {
            short.push('…');
        }
        short
    };
    let what = if at >= new.len() {
        format!(
            "removes lines from line {line} on (was `{}`)",
            line_of(&old)
        )
    } else {
        format!(
            "edits line {line}: was `{}`, now `{}`",
            line_of(&old),
            line_of(&new)
        )
    };
    Ok(Some((line, what)))
}

/// An incoming commit that changes the journal without a signature by a member's key.
#[derive(Debug, Clone)]
pub struct Unsigned {
    pub commit: String,
    pub author: String,
    pub subject: String,
    /// What git said of its signature.
    pub why: String,
}

/// The commits of `range` that touch the journal and are not signed (git's SSH signing)
/// by one of `keys` (member id, public key). The check runs offline, with an
/// allowed-signers file written to `tmp`.
pub fn unsigned(
    repo: &Repo,
    range: &str,
    keys: &[(String, String)],
    tmp: &std::path::Path,
) -> Result<Vec<Unsigned>> {
    let signers: String = keys
        .iter()
        .map(|(id, key)| format!("{id}@growth {key}\n"))
        .collect();
    std::fs::create_dir_all(tmp)
        .map_err(|e| crate::error::Error::io(format!("cannot create {}", tmp.display()), e))?;
    let file = tmp.join(format!("allowed-signers-{}", std::process::id()));
    std::fs::write(&file, signers)
        .map_err(|e| crate::error::Error::io(format!("cannot write {}", file.display()), e))?;
    let journal = format!("{}journal", repo.workspace_prefix());
    let commits = repo.git(&["rev-list", "--reverse", range, "--", &journal])?;
    let mut found = Vec::new();
    for commit in commits.lines().map(str::trim).filter(|c| !c.is_empty()) {
        let allowed = format!("gpg.ssh.allowedSignersFile={}", file.display());
        let verdict = repo.git(&[
            "-c",
            "gpg.format=ssh",
            "-c",
            &allowed,
            "verify-commit",
            commit,
        ]);
        if let Err(e) = verdict {
            let info = repo.git(&["log", "-1", "--format=%h%x00%an <%ae>%x00%s", commit])?;
            let mut parts = info.splitn(3, '\0');
            found.push(Unsigned {
                commit: parts.next().unwrap_or(commit).to_string(),
                author: parts.next().unwrap_or_default().to_string(),
                subject: parts.next().unwrap_or_default().trim().to_string(),
                why: e
                    .message
                    .lines()
                    .last()
                    .unwrap_or("no signature")
                    .to_string(),
            });
        }
    }
    let _ = std::fs::remove_file(&file);
    Ok(found)
}
