//! A format-1 workspace (tests/fixtures/acme-format-1, the example as format 1 wrote it: members under `[members]` in growth.toml, no
//! version) moves to format 2 on its first write: members become journal entries, the old
//! growth.toml is backed up, and two clones that migrate on their own merge cleanly.

use std::path::{Path, PathBuf};

use crate::common::TestEnv;
use crate::common::team::{TEAMMATE, git_as, git_output};

const TODAY: &str = "2026-11-27";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn acme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/acme-format-1")
}

/// A copy of examples/acme as the workspace of a fresh TestEnv.
fn format_1() -> TestEnv {
    let env = TestEnv::empty();
    copy_dir(&acme(), &env.ws);
    env
}

fn members(env: &TestEnv) -> String {
    env.run(&["--today", TODAY, "member", "list", "--format", "json"])
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn the_first_write_migrates_examples_acme_with_a_backup() {
    let env = format_1();
    let old = std::fs::read(env.ws.join("growth.toml")).unwrap();
    let old_text = String::from_utf8(old.clone()).unwrap();
    assert!(old_text.contains("[members]") && !old_text.contains("version ="));
    let former = old_text
        .lines()
        .filter(|l| l.starts_with("[members.") && l.ends_with(']'))
        .count();
    assert!(former > 1);
    let before = members(&env);

    env.run(&["--as", "maria", "--today", TODAY, "feedback", "more demos"]);

    let new = std::fs::read_to_string(env.ws.join("growth.toml")).unwrap();
    assert!(new.lines().any(|l| l.trim() == "version = 2"), "{new}");
    assert!(!new.contains("[members"), "{new}");
    let backups = files_in(&env.ws.join(".growth/backup"));
    let backup = backups
        .iter()
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("growth.toml.format-1-")
        })
        .unwrap_or_else(|| panic!("a backup in {backups:?}"));
    assert_eq!(std::fs::read(backup).unwrap(), old, "the old bytes, kept");
    let migrated: Vec<PathBuf> = files_in(&env.ws.join("journal/members"))
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("migrated-") && name.ends_with(".toml")
        })
        .collect();
    assert_eq!(migrated.len(), 1, "{migrated:?}");
    let text = std::fs::read_to_string(&migrated[0]).unwrap();
    assert_eq!(
        text.matches("kind = \"member.add\"").count(),
        former,
        "one member.add per former member"
    );
    env.run(&["--today", TODAY, "check"]);
    assert_eq!(members(&env), before, "the same members, the same way");
    // Once is enough: another write changes neither growth.toml nor the members file.
    env.run(&["--as", "tom", "--today", TODAY, "feedback", "fewer slides"]);
    assert_eq!(
        std::fs::read_to_string(env.ws.join("growth.toml")).unwrap(),
        new
    );
    assert_eq!(std::fs::read_to_string(&migrated[0]).unwrap(), text);
}

#[test]
fn check_repair_migrates_too() {
    let env = format_1();
    env.run(&["--today", TODAY, "check", "--repair"]);
    let new = std::fs::read_to_string(env.ws.join("growth.toml")).unwrap();
    assert!(new.lines().any(|l| l.trim() == "version = 2"), "{new}");
}

#[test]
fn two_clones_migrating_on_their_own_merge_with_plain_git_merge() {
    let env = format_1();
    let home = env.home.clone();
    let g = |dir: &Path, args: &[&str]| git_as(dir, &home, TEAMMATE, args);
    g(&env.ws, &["init", "-q", "-b", "main"]);
    g(&env.ws, &["add", "-A"]);
    g(&env.ws, &["commit", "-q", "-m", "format 1"]);
    let root = env.ws.parent().unwrap();
    let (a, b) = (root.join("a"), root.join("b"));
    for clone in [&a, &b] {
        g(
            root,
            &[
                "clone",
                "-q",
                env.ws.to_str().unwrap(),
                clone.to_str().unwrap(),
            ],
        );
    }
    let growth = |dir: &Path, args: &[&str]| {
        let mut cmd = assert_cmd::Command::new(crate::common::BIN);
        crate::common::pin_env(&mut cmd, &home);
        let out = cmd.arg("-C").arg(dir).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "growth {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    growth(
        &a,
        &["--as", "maria", "--today", TODAY, "feedback", "from a"],
    );
    growth(
        &b,
        &[
            "--as",
            "tom",
            "--today",
            TODAY,
            "lead",
            "add",
            "Fresh Lead B",
        ],
    );
    for clone in [&a, &b] {
        g(clone, &["add", "-A"]);
        g(clone, &["commit", "-q", "-m", "migrated and recorded"]);
    }
    g(&b, &["remote", "add", "a", a.to_str().unwrap()]);
    g(&b, &["fetch", "-q", "a"]);
    let merge = git_output(&b, &home, TEAMMATE, &["merge", "--no-edit", "a/main"]);
    assert!(
        merge.status.success(),
        "plain git merge, no conflict: {}{}",
        String::from_utf8_lossy(&merge.stdout),
        String::from_utf8_lossy(&merge.stderr)
    );
    growth(&b, &["--today", TODAY, "check"]);
    let feedback = growth(&b, &["--today", TODAY, "feedback", "list"]);
    assert!(feedback.contains("from a"), "{feedback}");
    let leads = growth(&b, &["--today", TODAY, "lead", "list"]);
    assert!(leads.contains("fresh-lead-b"), "{leads}");
    assert_eq!(
        files_in(&b.join("journal/members")).len(),
        1,
        "one migrated members file, the same on both sides"
    );
    let before = members(&format_1());
    assert_eq!(
        growth(
            &b,
            &["--today", TODAY, "member", "list", "--format", "json"]
        ),
        before
    );
}
