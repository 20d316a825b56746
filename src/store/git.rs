//! The system `git`, for `growth sync`: commit what was recorded, pull (merge), check,
//! push. Every call is a plain git command, so what sync does can be done by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// A git repository holding the workspace.
#[derive(Debug)]
pub struct Repo {
    pub top: PathBuf,
    /// The workspace folder, relative to the top (`.` when they are the same).
    pub workspace: PathBuf,
}

/// The output of a git command that succeeded, or its stderr as the error.
fn git(dir: &Path, args: &[&str]) -> std::result::Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

fn failed(what: &str) -> impl FnOnce(String) -> Error + '_ {
    move |stderr| {
        Error::user(format!(
            "git {what} failed: {}",
            stderr.lines().last().unwrap_or_default()
        ))
    }
}

impl Repo {
    /// The repository the workspace at `root` is in.
    pub fn find(root: &Path) -> Result<Repo> {
        let top = git(root, &["rev-parse", "--show-toplevel"]).map_err(|_| {
            Error::user(format!("{} is not in a git repository", root.display()))
                .hint("make it one: git init && git add -A && git commit -m \"growth workspace\" && git remote add origin URL")
        })?;
        let top = PathBuf::from(top);
        let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let workspace = canonical
            .strip_prefix(&top)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let workspace = if workspace.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            workspace
        };
        Ok(Repo { top, workspace })
    }

    fn run(&self, args: &[&str]) -> std::result::Result<String, String> {
        git(&self.top, args)
    }

    /// The output of a git command in the repository, or an error naming it.
    pub fn git(&self, args: &[&str]) -> Result<String> {
        self.run(args)
            .map_err(failed(args.first().copied().unwrap_or("git")))
    }

    /// Like [`Repo::git`], the output as bytes, untouched.
    pub fn git_bytes(&self, args: &[&str]) -> Result<Vec<u8>> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.top)
            .stdin(Stdio::null())
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(|e| Error::user(format!("cannot run git: {e}")))?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(failed(args.first().copied().unwrap_or("git"))(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ))
        }
    }

    /// The workspace folder as a prefix of the paths git names (`""` at the top).
    pub fn workspace_prefix(&self) -> String {
        if self.workspace == Path::new(".") {
            String::new()
        } else {
            format!("{}/", self.workspace.to_string_lossy())
        }
    }

    /// Stages the workspace's files; returns whether anything is staged, and the lines
    /// the staged journal changes add (with their files' headers).
    pub fn stage(&self) -> Result<(bool, String)> {
        let ws = self.workspace.to_string_lossy().into_owned();
        self.run(&["add", "-A", "--", &ws]).map_err(failed("add"))?;
        let anything = self
            .run(&["diff", "--cached", "--quiet", "--", &ws])
            .is_err();
        let journal = format!("{}journal", self.workspace_prefix());
        let diff = self
            .run(&["diff", "--cached", "-U0", "--no-renames", "--", &journal])
            .map_err(failed("diff"))?;
        Ok((anything, diff))
    }

    /// Commits the anonymous feedback files that are new or changed, on their own, under no
    /// one's name and dated to the day only, so history cannot tie them to their giver.
    /// Returns whether there was anything to commit.
    pub fn commit_anonymous(&self, day: chrono::NaiveDate) -> Result<bool> {
        let pattern = format!(
            ":(glob){}journal/*/anonymous-*.toml",
            self.workspace_prefix()
        );
        let changed = self
            .run(&[
                "status",
                "--porcelain",
                "--untracked-files=all",
                "--",
                &pattern,
            ])
            .map_err(failed("status"))?;
        if changed.trim().is_empty() {
            return Ok(false);
        }
        // Whatever the person had staged stays out of this commit.
        self.run(&["add", "-A", "--", &pattern])
            .map_err(failed("add"))?;
        let date = format!("{day}T00:00:00+0000");
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=growth",
                "-c",
                "user.email=anonymous@growth.invalid",
                "commit",
                "-q",
                "-m",
                "growth: anonymous feedback",
                "--",
                &pattern,
            ])
            .current_dir(&self.top)
            .stdin(Stdio::null())
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env("GIT_AUTHOR_NAME", "growth")
            .env("GIT_AUTHOR_EMAIL", "anonymous@growth.invalid")
            .env("GIT_COMMITTER_NAME", "growth")
            .env("GIT_COMMITTER_EMAIL", "anonymous@growth.invalid")
            .output()
            .map_err(|e| Error::user(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(failed("commit")(
                String::from_utf8_lossy(&out.stderr).trim().to_string(),
            ));
        }
        Ok(true)
    }

    pub fn commit(&self, message: &str) -> Result<()> {
        self.run(&["commit", "-q", "-m", message]).map(|_| ()).map_err(|e| {
            failed("commit")(e).hint("git needs your name and email: git config user.name NAME && git config user.email EMAIL")
        })
    }

    /// The remote and branch to sync with.
    pub fn upstream(&self) -> Result<(String, String)> {
        let remotes = self.run(&["remote"]).map_err(failed("remote"))?;
        let remote = remotes
            .lines()
            .find(|r| *r == "origin")
            .or_else(|| remotes.lines().next())
            .ok_or_else(|| {
                Error::user("the repository has no remote to sync with")
                    .hint("add one: git remote add origin URL")
            })?
            .to_string();
        let branch = self
            .run(&["symbolic-ref", "--short", "HEAD"])
            .map_err(failed("symbolic-ref"))?;
        Ok((remote, branch))
    }

    /// Fetches `remote`; returns the remote branch to merge and how many commits it has
    /// that HEAD has not (`None` when the remote has no such branch yet).
    pub fn fetch(&self, remote: &str, branch: &str) -> Result<Option<(String, usize)>> {
        self.run(&["fetch", "-q", remote])
            .map_err(failed("fetch"))?;
        let theirs = format!("{remote}/{branch}");
        if self.run(&["rev-parse", "--verify", "-q", &theirs]).is_err() {
            return Ok(None);
        }
        let incoming = self
            .run(&["rev-list", "--count", &format!("HEAD..{theirs}")])
            .map_err(failed("rev-list"))?;
        Ok(Some((theirs, incoming.trim().parse().unwrap_or(0))))
    }

    /// Merges `theirs` in. A conflict aborts the merge, so the workspace is left as it was.
    pub fn merge(&self, theirs: &str) -> Result<()> {
        if let Err(e) = self.run(&["merge", "--no-edit", "-q", theirs]) {
            let conflicts = self
                .run(&["diff", "--name-only", "--diff-filter=U"])
                .unwrap_or_default();
            let _ = self.run(&["merge", "--abort"]);
            let files: Vec<&str> = conflicts.lines().collect();
            return Err(Error::user(if files.is_empty() {
                format!("git merge failed: {}", e.lines().last().unwrap_or_default())
            } else {
                format!("merging {theirs} conflicts in {}; the merge was aborted and nothing changed", files.join(", "))
            })
            .hint(format!("resolve it by hand: git merge {theirs}, keep both sides' entries, then growth check and growth sync")));
        }
        Ok(())
    }

    /// How many commits the branch has that the remote's does not (all of them when the
    /// remote has no such branch yet).
    pub fn ahead(&self, remote: &str, branch: &str) -> Result<usize> {
        let theirs = format!("{remote}/{branch}");
        let range = if self.run(&["rev-parse", "--verify", "-q", &theirs]).is_ok() {
            format!("{theirs}..HEAD")
        } else {
            "HEAD".to_string()
        };
        let count = self
            .run(&["rev-list", "--count", &range])
            .map_err(failed("rev-list"))?;
        Ok(count.trim().parse().unwrap_or(0))
    }

    pub fn push(&self, remote: &str, branch: &str) -> Result<()> {
        self.run(&["push", "-q", "-u", remote, branch])
            .map(|_| ())
            .map_err(failed("push"))
    }
}
