//! `Team`: a workspace shared through a bare git remote, with two clones: `a`, where
//! maria records, and `b`, where tom (or an attacker with push access) does.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{BIN, TestEnv, pin_env};

pub struct Team {
    pub env: TestEnv,
    pub bare: PathBuf,
    pub a: PathBuf,
    pub b: PathBuf,
}

/// Runs git in `dir` as `author` ("Name <email>"), asserting success; returns stdout.
pub fn git_as(dir: &Path, home: &Path, author: (&str, &str), args: &[&str]) -> String {
    let out = git_output(dir, home, author, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn git_output(
    dir: &Path,
    home: &Path,
    (name, email): (&str, &str),
    args: &[&str],
) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .output()
        .unwrap()
}

pub const TEAMMATE: (&str, &str) = ("Test", "test@example.com");

impl Team {
    /// A three-member workspace pushed to a bare remote and cloned twice.
    pub fn new() -> Team {
        let env = TestEnv::new();
        let (ws, home) = (env.ws.clone(), env.home.clone());
        let root = ws.parent().unwrap().to_path_buf();
        let bare = root.join("origin.git");
        let g = |dir: &Path, args: &[&str]| git_as(dir, &home, TEAMMATE, args);
        g(
            &root,
            &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
        );
        g(&ws, &["init", "-q", "-b", "main"]);
        g(&ws, &["add", "-A"]);
        g(&ws, &["commit", "-q", "-m", "workspace"]);
        g(&ws, &["remote", "add", "origin", bare.to_str().unwrap()]);
        g(&ws, &["push", "-q", "-u", "origin", "main"]);
        let (a, b) = (root.join("a"), root.join("b"));
        for clone in [&a, &b] {
            g(
                &root,
                &[
                    "clone",
                    "-q",
                    bare.to_str().unwrap(),
                    clone.to_str().unwrap(),
                ],
            );
        }
        Team { env, bare, a, b }
    }

    /// `growth -C dir ARGS`, pinned environment, success or not.
    pub fn growth(&self, dir: &Path, args: &[&str]) -> std::process::Output {
        let mut cmd = assert_cmd::Command::new(BIN);
        pin_env(&mut cmd, &self.env.home);
        cmd.env("GIT_AUTHOR_NAME", TEAMMATE.0)
            .env("GIT_AUTHOR_EMAIL", TEAMMATE.1)
            .env("GIT_COMMITTER_NAME", TEAMMATE.0)
            .env("GIT_COMMITTER_EMAIL", TEAMMATE.1)
            .timeout(std::time::Duration::from_secs(30))
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .unwrap()
    }

    /// Like [`Team::growth`], asserting success; returns stdout.
    pub fn ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.growth(dir, args);
        assert!(
            out.status.success(),
            "growth {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// maria, in clone a, on `day`.
    pub fn maria(&self, day: &str, args: &[&str]) -> std::process::Output {
        let mut all = vec!["--as", "maria", "--today", day];
        all.extend_from_slice(args);
        self.growth(&self.a, &all)
    }

    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        git_as(dir, &self.env.home, TEAMMATE, args)
    }

    /// Commits everything in `dir` as `author` and pushes it.
    pub fn push_as(&self, dir: &Path, author: (&str, &str), message: &str) {
        let home = &self.env.home;
        git_as(dir, home, author, &["add", "-A", "."]);
        git_as(dir, home, author, &["commit", "-q", "-m", message]);
        git_as(dir, home, author, &["push", "-q", "origin", "main"]);
    }

    /// maria's device id in clone a (after she recorded something there).
    pub fn maria_device(&self) -> String {
        std::fs::read_to_string(self.a.join(".growth/device"))
            .unwrap()
            .trim()
            .to_string()
    }
}

/// Every regular file under `root` (links are listed, never followed), with its bytes;
/// `.git` left out.
pub fn regular_files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let t = entry.file_type().unwrap();
            if entry.file_name() == ".git" {
                continue;
            }
            if t.is_dir() {
                stack.push(entry.path());
            } else if t.is_file() {
                out.push((entry.path(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Whether any regular file under `root`, or any commit of the repository there, holds
/// `needle`.
pub fn anywhere(root: &Path, home: &Path, needle: &str) -> bool {
    let in_files = regular_files(root)
        .iter()
        .any(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()));
    let history = git_as(root, home, TEAMMATE, &["log", "--all", "-p", "--format=%H"]);
    in_files || history.contains(needle)
}
