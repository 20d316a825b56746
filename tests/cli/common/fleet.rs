//! `Fleet`: one workspace shared through a bare git remote by N clones, each synced with
//! the real `growth sync`. Members maria (marketing, leader), tom (sales) and ana
//! (account management) are recorded on 2026-01-05, before anything the tests record.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use super::team::{TEAMMATE, git_as};
use super::{BIN, pin_env};

pub struct Fleet {
    _tmp: tempfile::TempDir,
    pub home: PathBuf,
    pub bare: PathBuf,
    pub clones: Vec<PathBuf>,
}

impl Fleet {
    pub fn new(n: usize) -> Fleet {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let home = root.join("home");
        std::fs::create_dir_all(&home).unwrap();
        let ws = root.join("origin-ws");
        let mut fleet = Fleet {
            _tmp: tmp,
            home,
            bare: root.join("origin.git"),
            clones: Vec::new(),
        };
        let day = ["--today", "2026-01-05"];
        fleet.ok_in(
            &ws,
            &[
                "init",
                ws.to_str().unwrap(),
                "--team",
                "Acme Growth",
                "--timezone",
                "Europe/Berlin",
            ],
        );
        for (id, name, dept, leader) in [
            ("maria", "Maria Lopez", "marketing", true),
            ("tom", "Tom Berg", "sales", false),
            ("ana", "Ana Silva", "account-management", false),
        ] {
            let mut args = vec![day[0], day[1], "member", "add", id, "--name", name];
            args.extend(["--dept", dept]);
            if leader {
                args.push("--leader");
            }
            fleet.ok_in(&ws, &args);
        }
        let g = |dir: &Path, args: &[&str]| git_as(dir, &fleet.home, TEAMMATE, args);
        let bare = fleet.bare.to_str().unwrap();
        g(&root, &["init", "-q", "--bare", "-b", "main", bare]);
        g(&ws, &["init", "-q", "-b", "main"]);
        g(&ws, &["add", "-A"]);
        g(&ws, &["commit", "-q", "-m", "workspace"]);
        g(&ws, &["remote", "add", "origin", bare]);
        g(&ws, &["push", "-q", "-u", "origin", "main"]);
        for i in 0..n {
            let clone = root.join(format!("clone{i}"));
            g(&root, &["clone", "-q", bare, clone.to_str().unwrap()]);
            fleet.clones.push(clone);
        }
        fleet
    }

    /// `growth -C dir ARGS` with a pinned environment, success or not.
    pub fn growth_in(&self, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = assert_cmd::Command::new(BIN);
        pin_env(&mut cmd, &self.home);
        cmd.env("GIT_AUTHOR_NAME", TEAMMATE.0)
            .env("GIT_AUTHOR_EMAIL", TEAMMATE.1)
            .env("GIT_COMMITTER_NAME", TEAMMATE.0)
            .env("GIT_COMMITTER_EMAIL", TEAMMATE.1)
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .unwrap()
    }

    fn ok_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.growth_in(dir, args);
        assert!(
            out.status.success(),
            "growth -C {} {args:?} failed:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// growth in clone `i`, success or not.
    pub fn growth(&self, i: usize, args: &[&str]) -> Output {
        self.growth_in(&self.clones[i], args)
    }

    /// growth in clone `i`, asserting success; returns stdout.
    pub fn ok(&self, i: usize, args: &[&str]) -> String {
        self.ok_in(&self.clones[i], args)
    }

    /// growth in clone `i` as `who` on `today`, asserting success; returns stdout.
    pub fn as_on(&self, i: usize, who: &str, today: &str, args: &[&str]) -> String {
        let mut all = vec!["--as", who, "--today", today];
        all.extend_from_slice(args);
        self.ok(i, &all)
    }

    /// Parsed JSON of `growth ARGS --format json` in clone `i` on `today`.
    pub fn json(&self, i: usize, today: &str, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--today", today];
        all.extend_from_slice(args);
        all.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(i, &all)).unwrap()
    }

    /// `growth sync` in clone `i`.
    pub fn sync(&self, i: usize, today: &str) -> String {
        self.ok(i, &["--today", today, "sync"])
    }

    /// Every clone syncs, in order, twice: after that every clone holds every commit.
    pub fn exchange(&self, today: &str) {
        for _ in 0..2 {
            for i in 0..self.clones.len() {
                self.sync(i, today);
            }
        }
        let heads: BTreeSet<String> = (0..self.clones.len())
            .map(|i| self.git(i, &["rev-parse", "HEAD"]))
            .collect();
        assert_eq!(heads.len(), 1, "every clone at the same commit: {heads:?}");
    }

    pub fn git(&self, i: usize, args: &[&str]) -> String {
        git_as(&self.clones[i], &self.home, TEAMMATE, args)
    }

    /// `growth conflicts --format json` in clone `i`, as (record, field, values) rows.
    pub fn conflicts(&self, i: usize, today: &str) -> Vec<(String, String, Vec<String>)> {
        let json = self.json(i, today, &["conflicts"]);
        json.as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["record"].as_str().unwrap().to_string(),
                    c["field"].as_str().unwrap().to_string(),
                    c["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v["value"].as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    }
}

/// Every `entry = "…"` id in the journal files under `ws`, with its kind, in file order.
pub fn journal_entries(ws: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = super::files_under(&ws.join("journal"))
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for rel in files {
        let text = std::fs::read_to_string(ws.join("journal").join(rel)).unwrap();
        let mut kind = String::new();
        for line in text.lines() {
            if let Some(k) = line.strip_prefix("kind = \"") {
                kind = k.trim_end_matches('"').to_string();
            } else if let Some(id) = line.strip_prefix("entry = \"") {
                out.push((id.trim_end_matches('"').to_string(), kind.clone()));
            }
        }
    }
    out
}
