//! The journal is append-only, enforced on git history: `growth sync` refuses incoming
//! commits that edit or remove entries (until a person accepts them), `growth check
//! --since-commit REV` verifies a range for a team's CI, and sync commits under the
//! workspace lock.

use std::time::Duration;

use crate::common::team::{Team, regular_files};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// maria wins a 50,000 deal in clone a and syncs; clone b pulls it.
fn won_deal() -> (Team, std::path::PathBuf) {
    let team = Team::new();
    for args in [
        &["lead", "add", "Acme Corp", "--value", "50000"][..],
        &["lead", "stage", "acme-corp", "won"],
    ] {
        let out = team.maria("2026-11-20", args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    team.ok(&team.a, &["sync"]);
    team.git(&team.b, &["pull", "-q"]);
    let file = regular_files(&team.b.join("journal"))
        .into_iter()
        .map(|(p, _)| p)
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("maria-")
        })
        .unwrap();
    (team, file)
}

#[test]
fn sync_refuses_a_commit_that_rewrites_a_past_entry_and_merges_nothing() {
    let (team, file) = won_deal();
    // Clone b rewrites maria's past entry: the deal was worth 5, not 50,000.
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().position(|l| l == "value = 50000").unwrap() + 1;
    std::fs::write(&file, text.replace("value = 50000", "value = 5")).unwrap();
    team.push_as(&team.b, ("Mallory", "mallory@evil.example"), "fix typo");
    let commit = team.git(&team.b, &["rev-parse", "--short", "HEAD"]);

    let before = regular_files(&team.a);
    let head = team.git(&team.a, &["rev-parse", "HEAD"]);
    let out = team.growth(&team.a, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let rel = file.strip_prefix(&team.b).unwrap().display().to_string();
    for needle in [
        format!("{rel}:{line}:1: commit {}", commit.trim()),
        "Mallory <mallory@evil.example>".to_string(),
        "was `value = 50000`, now `value = 5`".to_string(),
        "growth sync --allow-rewrite".to_string(),
    ] {
        assert!(err.contains(&needle), "{needle:?} not in:\n{err}");
    }
    assert_eq!(
        team.git(&team.a, &["rev-parse", "HEAD"]),
        head,
        "something was merged"
    );
    assert_eq!(regular_files(&team.a), before, "a file changed");
    let lead: serde_json::Value =
        serde_json::from_str(&team.ok(&team.a, &["lead", "show", "acme-corp", "--format", "json"]))
            .unwrap();
    assert_eq!(lead["value"], 50000.0);

    // CI on clone b's history names the same commit and file.
    let out = team.growth(&team.b, &["check", "--since-commit", &head.trim()[..12]]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("commit {}", commit.trim())),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(&rel), "{}", stderr(&out));

    // A person who read it may take it.
    let out = team.ok(&team.a, &["sync", "--allow-rewrite"]);
    assert!(out.contains("merged 1 commit"), "{out}");
}

#[test]
fn removing_entries_is_refused_and_appending_passes_ci() {
    let (team, file) = won_deal();
    let start = team.git(&team.b, &["rev-parse", "HEAD"]);
    // Appending (tom's own work and an edit of settings) passes.
    let out = team.growth(
        &team.b,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-21",
            "lead",
            "add",
            "Globex",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    team.ok(
        &team.b,
        &[
            "member", "add", "lee", "--name", "Lee Park", "--dept", "sales",
        ],
    );
    team.push_as(&team.b, ("Tom", "tom@acme.example"), "tom's work");
    team.ok(&team.b, &["check", "--since-commit", start.trim()]);
    assert!(team.ok(&team.a, &["sync"]).contains("merged"));

    // Cutting the last entry (the deal won) off maria's file is a rewrite.
    let text = std::fs::read_to_string(&file).unwrap();
    let cut = text.rfind("\n[[entry]]").unwrap();
    std::fs::write(&file, &text[..cut + 1]).unwrap();
    team.push_as(&team.b, ("Tom", "tom@acme.example"), "oops");
    let out = team.growth(&team.a, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("removes lines"), "{}", stderr(&out));
    let out = team.growth(&team.b, &["check", "--since-commit", start.trim()]);
    assert_eq!(out.status.code(), Some(1));
}

/// sync commits under the workspace lock: while a writer holds it, sync waits.
#[test]
fn sync_waits_for_the_workspace_lock_before_committing() {
    let team = Team::new();
    assert!(
        team.maria("2026-11-20", &["lead", "add", "Acme Corp"])
            .status
            .success()
    );
    let lock = std::fs::File::options()
        .write(true)
        .open(team.a.join(".growth/lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut cmd = std::process::Command::new(crate::common::BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &team.env.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .arg("-C")
        .arg(&team.a)
        .arg("sync")
        .stdout(std::process::Stdio::null());
    let mut sync = cmd.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        sync.try_wait().unwrap().is_none(),
        "sync did not wait for the lock"
    );
    let log = team.git(&team.a, &["log", "--format=%s"]);
    assert!(
        !log.contains("growth:"),
        "committed while the lock was held: {log}"
    );
    drop(lock);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = sync.try_wait().unwrap() {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "sync hangs");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success());
    assert!(
        team.git(&team.a, &["log", "--format=%s"])
            .contains("growth: 1 lead")
    );
}

/// A sync whose merge brings a value that disagrees with this clone's says so at once:
/// the conflict is not left for the next meeting to find.
#[test]
fn sync_says_when_the_merge_brought_a_conflict() {
    let team = Team::new();
    team.ok(
        &team.a,
        &[
            "--as",
            "maria",
            "--today",
            "2026-11-20T09:00",
            "lead",
            "add",
            "Globex",
            "--stage",
            "sql",
        ],
    );
    team.ok(
        &team.a,
        &["--as", "maria", "--today", "2026-11-20T09:01", "sync"],
    );
    team.git(&team.b, &["pull", "-q", "origin", "main"]);
    // Neither has seen the other's move.
    team.ok(
        &team.a,
        &[
            "--as",
            "maria",
            "--today",
            "2026-11-20T10:00",
            "lead",
            "stage",
            "globex",
            "opportunity",
        ],
    );
    team.ok(
        &team.b,
        &[
            "--as",
            "tom",
            "--today",
            "2026-11-20T10:05",
            "lead",
            "stage",
            "globex",
            "lost",
        ],
    );
    team.ok(
        &team.a,
        &["--as", "maria", "--today", "2026-11-20T10:10", "sync"],
    );
    let out = team.growth(
        &team.b,
        &["--as", "tom", "--today", "2026-11-20T10:15", "sync"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 conflict needs a decision"), "{stderr}");
    assert!(stderr.contains("growth conflicts"), "{stderr}");
}
