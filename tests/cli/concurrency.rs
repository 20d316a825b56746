//! Nothing lost: many writers at once, and writers killed mid-write.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{BIN, TestEnv};

fn growth(env: &TestEnv) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("NO_COLOR", "1")
        .arg("-C")
        .arg(&env.ws)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn sixty_four_writers_at_once_lose_no_lead() {
    let env = TestEnv::new();
    let authors = ["maria", "tom", "ana"];
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(64));
    std::thread::scope(|s| {
        for w in 0..64 {
            let env = &env;
            let barrier = barrier.clone();
            s.spawn(move || {
                let mut children: Vec<_> = Vec::new();
                barrier.wait();
                for i in 0..10 {
                    let out = growth(env)
                        .args([
                            "--as",
                            authors[w % 3],
                            "--today",
                            "2026-11-20",
                            "lead",
                            "add",
                        ])
                        .arg(format!("Writer {w} Company {i}"))
                        .output()
                        .unwrap();
                    children.push(out);
                }
                for out in children {
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            });
        }
    });
    let leads = env.leads_json();
    assert_eq!(leads.len(), 640);
    for w in 0..64 {
        for i in 0..10 {
            let id = format!("writer-{w}-company-{i}");
            assert!(
                leads.iter().any(|l| l["id"] == id.as_str()),
                "{id} is missing"
            );
        }
    }
    env.run(&["check"]);
    assert_same_as_a_fresh_fold(&env);
}

/// The state read through the caches equals a fold of the journal from scratch.
fn assert_same_as_a_fresh_fold(env: &TestEnv) {
    let cached = env.run(&["lead", "list", "--format", "json"]);
    std::fs::remove_dir_all(env.ws.join(".growth").join("cache")).unwrap();
    let fresh = env.run(&["lead", "list", "--format", "json"]);
    assert_eq!(cached, fresh, "the cached state differs from a fresh fold");
}

/// A tiny deterministic random sequence, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn a_writer_killed_at_any_moment_leaves_a_loadable_workspace() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Seed Co"]);
    // Kills land anywhere up to half again as long as a whole write takes on this machine
    // (a fixed 12 ms killed every write of a debug build on a slow machine).
    let started = std::time::Instant::now();
    env.maria(&["lead", "add", "Timing Co"]);
    let span = u64::try_from(started.elapsed().as_micros() * 3 / 2)
        .unwrap_or(u64::MAX)
        .max(12_000);
    let mut rng = Lcg(0x9e37_79b9);
    let mut added = 0;
    for i in 0..200 {
        // Alternate the kind of write so the kill lands in different code paths.
        let mut cmd = growth(&env);
        cmd.args(["--as", "maria", "--today", "2026-11-20"]);
        match i % 3 {
            0 | 1 => cmd.args(["lead", "add"]).arg(format!("Kill Target {i}")),
            _ => cmd
                .args(["lead", "edit", "seed-co", "--note"])
                .arg(format!("note {i}")),
        };
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(span)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        // The workspace must load after every kill.
        let check = growth(&env).arg("check").output().unwrap();
        assert!(
            check.status.success(),
            "after kill {i}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let leads = env.leads_json();
        let id = format!("kill-target-{i}");
        if let Some(lead) = leads.iter().find(|l| l["id"] == id.as_str()) {
            // Present means whole.
            assert_eq!(lead["company"], format!("Kill Target {i}").as_str());
            assert_eq!(lead["owner"], "maria");
            added += 1;
        } else {
            assert!(
                !(status.success() && i % 3 != 2),
                "kill {i}: exited 0 but the lead is missing"
            );
        }
    }
    // The kills must have landed both before and after the write at least once.
    assert!(
        added > 0,
        "no write ever completed; the test is not exercising anything"
    );
    assert!(
        added < 134,
        "no write was ever interrupted; the test is not exercising anything"
    );
    assert_same_as_a_fresh_fold(&env);
}

#[test]
fn writes_and_reads_interleaved_keep_the_caches_true() {
    let env = TestEnv::new();
    for i in 0..40 {
        let company = format!("Company {i}");
        env.maria(&["lead", "add", &company]);
        if i % 3 == 0 {
            env.maria(&["lead", "stage", &format!("company-{i}"), "mql"]);
        }
        if i % 7 == 0 {
            env.run(&["lead", "list"]);
        }
        if i % 11 == 0 {
            env.run(&[
                "--as",
                "tom",
                "--today",
                "2026-11-20",
                "lead",
                "edit",
                "company-0",
                "--note",
                &company,
            ]);
        }
    }
    assert_eq!(env.leads_json().len(), 40);
    assert_same_as_a_fresh_fold(&env);
}

/// The writing commands, as the i-th call of a writer: each valid on the seeded workspace.
fn writing_command(w: usize, i: usize) -> Vec<String> {
    let n = format!("{w}-{i}");
    let texts = [
        format!("Mixed {n}"),
        format!("note {n}"),
        format!("context {n}"),
        format!("feedback {n}"),
        format!("idea {n}"),
        format!("win {n}"),
        format!("action {n}"),
        format!("{}", w % 5 + 1),
        format!("meeting note {n}"),
        format!("anonymous {n}"),
    ];
    let v: Vec<&str> = match i % 12 {
        0 => vec!["lead", "add", &texts[0]],
        1 => vec!["lead", "edit", "seed-co", "--note", &texts[1]],
        2 => vec![
            "lead",
            "stage",
            "seed-co",
            if w.is_multiple_of(2) { "mql" } else { "sql" },
        ],
        3 => vec!["lead", "qualify", "seed-co", "--met", "budget"],
        4 => vec![
            "handoff", "seed-co", "--to", "tom", "--force", "--note", &texts[2],
        ],
        5 => vec!["feedback", &texts[3], "--kind", "suggestion"],
        6 => vec!["idea", &texts[4], "--lead", "seed-co"],
        7 => vec!["win", &texts[5], "--credit", "maria,tom"],
        8 => vec![
            "action",
            "add",
            &texts[6],
            "--owner",
            "ana",
            "--due",
            "2026-12-01",
        ],
        9 => vec!["goal", "checkin", "pulse", &texts[7]],
        10 => vec![
            "meeting",
            "record",
            "--date",
            "2026-11-23",
            "--attendee",
            "maria",
            "--note",
            &texts[8],
        ],
        _ => vec!["feedback", &texts[9], "--anonymous"],
    };
    v.into_iter().map(String::from).collect()
}

fn seeded() -> TestEnv {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Seed Co"]);
    env.maria(&[
        "goal",
        "add",
        "Pulse",
        "--metric",
        "manual",
        "--target",
        "5",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
    ]);
    env
}

#[test]
fn sixty_four_writers_of_every_kind_lose_nothing() {
    let env = seeded();
    std::thread::scope(|s| {
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(64));
        for w in 0..64 {
            let (env, barrier) = (&env, barrier.clone());
            s.spawn(move || {
                barrier.wait();
                for i in 0..10 {
                    let args = writing_command(w, i + w);
                    let out = growth(env)
                        .args(["--as", "maria", "--today", "2026-11-20T15:00"])
                        .args(&args)
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{args:?}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            });
        }
    });
    // Count what each kind should hold.
    let mut expected = std::collections::BTreeMap::new();
    for w in 0..64 {
        for i in 0..10 {
            *expected.entry((i + w) % 12).or_insert(0usize) += 1;
        }
    }
    let count = |what: &str| {
        serde_json::from_str::<Vec<serde_json::Value>>(
            &env.run(&[what, "list", "--format", "json"]),
        )
        .unwrap()
        .len()
    };
    assert_eq!(count("lead"), 1 + expected[&0]);
    assert_eq!(count("handoff"), expected[&4]);
    assert_eq!(count("feedback"), expected[&5] + expected[&11]);
    assert_eq!(count("idea"), expected[&6]);
    assert_eq!(count("action"), expected[&8]);
    let shout_outs: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["win", "list", "--format", "json"])).unwrap();
    assert_eq!(
        shout_outs
            .iter()
            .filter(|w| w["kind"] == "shout-out")
            .count(),
        expected[&7]
    );
    let lead: serde_json::Value =
        serde_json::from_str(&env.run(&["lead", "show", "seed-co", "--format", "json"])).unwrap();
    assert_eq!(lead["notes"].as_array().unwrap().len(), expected[&1]);
    let goal: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["goal", "list", "--format", "json"])).unwrap();
    assert_eq!(goal[0]["checkins"].as_array().unwrap().len(), expected[&9]);
    let minutes: serde_json::Value =
        serde_json::from_str(&env.run(&["meeting", "show", "2026-11-23", "--format", "json"]))
            .unwrap();
    assert_eq!(minutes["notes"].as_array().unwrap().len(), expected[&10]);
    env.run(&["check"]);
    assert_same_as_a_fresh_fold(&env);
}

#[test]
fn every_writing_command_killed_at_any_moment_leaves_a_loadable_workspace() {
    let env = seeded();
    let mut rng = Lcg(0x5151_2727);
    for i in 0..240 {
        let mut args = writing_command(1000, i);
        if i % 20 == 19 {
            // growth.toml's writer too: a member added (or removed again).
            args = if i % 40 == 19 {
                ["member", "add", "kim", "--name", "Kim", "--dept", "hr"]
                    .map(String::from)
                    .to_vec()
            } else {
                ["member", "remove", "kim"].map(String::from).to_vec()
            };
        }
        let mut child = growth(&env)
            .args(["--as", "maria", "--today", "2026-11-20T15:00"])
            .args(&args)
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next(15_000)));
        let _ = child.kill();
        let _ = child.wait();
        let check = growth(&env).arg("check").output().unwrap();
        assert!(
            check.status.success(),
            "after killing {args:?}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    assert_same_as_a_fresh_fold(&env);
}

/// Read-only commands decode only the cache sections they show. Every one of them, in
/// every format, must print from a warm cache exactly what it prints after a full fold:
/// a section left out by mistake would show up here as missing data.
#[test]
fn every_read_from_the_cache_equals_a_fresh_fold() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("acme");
    let env = TestEnv::empty();
    let ws = tempfile::tempdir().unwrap();
    for (rel, bytes) in crate::common::files_under(&example) {
        let path = ws.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let run = |args: &[&str]| {
        let mut cmd = assert_cmd::Command::new(crate::common::BIN);
        crate::common::pin_env(&mut cmd, &env.home);
        let out = cmd
            .env("COLUMNS", "200")
            .arg("-C")
            .arg(ws.path())
            .args(["--today", "2026-11-27"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let reads: &[&[&str]] = &[
        &["lead", "list"],
        &["lead", "list", "--format", "json"],
        &["lead", "list", "--format", "csv"],
        &["lead", "list", "--stale", "14"],
        &["lead", "list", "--tag", "saas", "--format", "json"],
        &["lead", "export"],
        &["lead", "export", "--format", "json"],
        &["lead", "show", "northwind-logistics"],
        &["lead", "show", "northwind-logistics", "--format", "json"],
        &["handoff", "list"],
        &["handoff", "list", "--format", "json"],
        &["handoff", "list", "--format", "csv"],
        &["feedback", "list", "--format", "json"],
        &["idea", "list", "--format", "json"],
        &["action", "list", "--format", "json"],
        &["goal", "list", "--format", "json"],
        &["win", "list", "--format", "json"],
        &["progress", "--format", "json"],
        &["progress", "--period", "all"],
        &["agenda"],
        &["agenda", "--format", "json"],
        &["meeting", "list", "--format", "json"],
    ];
    let cache = ws.path().join(".growth").join("cache");
    for args in reads {
        let _ = std::fs::remove_dir_all(&cache);
        let fresh = run(args);
        // The first read refreshed the cache; this one decodes only its sections.
        assert!(cache.join("state.bin").exists());
        let cached = run(args);
        assert_eq!(
            cached, fresh,
            "growth {args:?} differs when read from the cache"
        );
    }
    // With the cache a few entries behind, a read applies them to just its sections.
    for (i, args) in reads.iter().enumerate() {
        let _ = std::fs::remove_dir_all(&cache);
        run(&["lead", "list"]);
        let lead = format!("Overlay {i}");
        let id = format!("overlay-{i}");
        let text = format!("Overlay feedback {i}");
        run(&["--as", "maria", "lead", "add", &lead, "-q"]);
        let handoff = run(&["--as", "maria", "handoff", &id, "--to", "tom", "-q"]);
        run(&["--as", "tom", "handoff", "accept", handoff.trim(), "-q"]);
        run(&[
            "--as",
            "maria",
            "lead",
            "stage",
            "northwind-logistics",
            "lost",
            "-q",
        ]);
        run(&[
            "--as",
            "maria",
            "lead",
            "stage",
            "northwind-logistics",
            "sql",
            "-q",
        ]);
        run(&[
            "--as",
            "maria",
            "feedback",
            &text,
            "--kind",
            "suggestion",
            "-q",
        ]);
        let behind = run(args);
        let _ = std::fs::remove_dir_all(&cache);
        let fresh = run(args);
        assert_eq!(
            behind, fresh,
            "growth {args:?} differs when the cache is behind"
        );
    }
}
