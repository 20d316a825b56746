//! Two times, never confused: when an entry happened (`at`, `--at` to backdate) is kept
//! apart from how entries are ordered, so one clone's wrong clock moves nobody else's
//! entries or SLA clocks, and a write far ahead of now is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestEnv;
use crate::common::fleet::Fleet;

/// Every journal file under `ws` with its `at = ...` lines, in order.
fn at_lines(ws: &Path) -> BTreeMap<PathBuf, Vec<String>> {
    crate::common::files_under(&ws.join("journal"))
        .into_iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            let ats = text
                .lines()
                .filter(|l| l.starts_with("at = "))
                .map(String::from)
                .collect();
            (path, ats)
        })
        .collect()
}

fn handoff<'a>(list: &'a serde_json::Value, lead: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|h| h["lead"] == lead)
        .unwrap_or_else(|| panic!("a handoff of {lead} in {list}"))
}

#[test]
fn a_future_dated_typo_moves_no_other_entry_and_later_writes_keep_their_own_time() {
    let fleet = Fleet::new(2);
    let monday = "2026-11-16 09:00";
    fleet.as_on(0, "maria", monday, &["lead", "add", "Acme Corp"]);
    fleet.as_on(0, "maria", monday, &["handoff", "acme-corp", "--to", "tom"]);
    fleet.exchange(monday);
    let before = at_lines(&fleet.clones[1]);

    // A typo: a year ahead, on clone 0.
    fleet.as_on(0, "ana", "2027-06-01", &["lead", "add", "Typo Co"]);
    fleet.sync(0, monday);
    fleet.sync(1, "2026-11-16 10:00");
    // Clone 1 records after it, at its own time.
    fleet.as_on(1, "maria", "2026-11-16 10:00", &["lead", "add", "Globex"]);
    fleet.as_on(
        1,
        "maria",
        "2026-11-16 10:00",
        &["handoff", "globex", "--to", "tom"],
    );
    fleet.exchange("2026-11-16 10:00");

    for i in 0..2 {
        let after = at_lines(&fleet.clones[i]);
        for (file, ats) in &before {
            assert_eq!(
                &after[file][..ats.len()],
                &ats[..],
                "clone {i}: {} keeps its times",
                file.display()
            );
        }
        let log = fleet.json(i, "2026-11-16 12:00", &["log", "--record", "globex"]);
        let stamps: Vec<&str> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["at"].as_str().unwrap())
            .collect();
        assert!(
            !stamps.is_empty() && stamps.iter().all(|at| *at == "2026-11-16T10:00:00+01:00"),
            "clone {i}: stamped with the writer's own time: {stamps:?}"
        );
        // The SLA clocks run from each handoff's own time to now, in business hours.
        let list = fleet.json(i, "2026-11-16 12:00", &["handoff", "list"]);
        assert_eq!(
            handoff(&list, "acme-corp")["accept"]["elapsed_minutes"],
            180
        );
        assert_eq!(handoff(&list, "globex")["accept"]["elapsed_minutes"], 120);
        // The typo waits for its time: listed nowhere yet.
        let leads = fleet.ok(i, &["--today", "2026-11-16 12:00", "lead", "list"]);
        assert!(!leads.contains("typo-co"), "clone {i}: {leads}");
        let check = fleet.growth(i, &["--today", "2026-11-16 12:00", "check"]);
        assert!(check.status.success(), "clone {i}: check passes");
    }
    // Once its time comes, it counts.
    let leads = fleet.ok(0, &["--today", "2027-06-02", "lead", "list"]);
    assert!(leads.contains("typo-co"));
}

#[test]
fn a_backdated_handoff_runs_its_sla_from_its_at() {
    let env = TestEnv::new();
    let tuesday = "2026-11-17 12:00";
    let as_maria = |args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", tuesday];
        all.extend_from_slice(args);
        env.run(&all)
    };
    as_maria(&["--at", "2026-11-13 09:00", "lead", "add", "Acme Corp"]);
    as_maria(&[
        "--at",
        "2026-11-16 09:00",
        "handoff",
        "acme-corp",
        "--to",
        "tom",
    ]);
    let list: serde_json::Value = serde_json::from_str(
        &env.run(&["--today", tuesday, "handoff", "list", "--format", "json"]),
    )
    .unwrap();
    let h = handoff(&list, "acme-corp");
    assert_eq!(h["at"], "2026-11-16T09:00:00+01:00");
    // Monday 09:00-17:00 and Tuesday 09:00-12:00: 11 business hours.
    assert_eq!(h["accept"]["elapsed_minutes"], 660);
    assert_eq!(h["accept"]["breached"], true);
    assert_eq!(h["accept"]["due"], "2026-11-16T13:00:00+01:00");
}

#[test]
fn a_write_11_minutes_ahead_is_refused_with_a_hint_and_9_minutes_is_accepted() {
    let env = TestEnv::new();
    let now = "2026-11-20 12:00";
    let before = env.snapshot_files();
    let out = env
        .cmd()
        .args([
            "--as",
            "maria",
            "--today",
            now,
            "--at",
            "2026-11-20 12:11",
            "lead",
            "add",
            "Acme Corp",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("hint: "),
        "{stderr}"
    );
    assert!(stderr.contains("11m ahead"), "{stderr}");
    assert_eq!(env.snapshot_files(), before, "nothing written");

    env.run(&[
        "--as",
        "maria",
        "--today",
        now,
        "--at",
        "2026-11-20 12:09",
        "lead",
        "add",
        "Acme Corp",
    ]);
    let lead: serde_json::Value = serde_json::from_str(&env.run(&[
        "--today",
        now,
        "lead",
        "show",
        "acme-corp",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(lead["created"], "2026-11-20T12:09:00+01:00");
}

#[test]
fn the_agenda_of_a_started_meeting_ignores_later_entries() {
    let env = TestEnv::new();
    let run_as = |who: &str, today: &str, args: &[&str]| {
        let mut all = vec!["--as", who, "--today", today];
        all.extend_from_slice(args);
        env.run(&all)
    };
    run_as("maria", "2026-11-20 10:00", &["lead", "add", "Acme Corp"]);
    let h: serde_json::Value = serde_json::from_str(&run_as(
        "maria",
        "2026-11-20 10:00",
        &["handoff", "acme-corp", "--to", "tom", "--format", "json"],
    ))
    .unwrap();
    let agenda = |today: &str| {
        env.run(&[
            "--today",
            today,
            "agenda",
            "--date",
            "2026-11-23",
            "--format",
            "json",
        ])
    };
    // The meeting of Monday 2026-11-23 starts at 10:00.
    let at_start = agenda("2026-11-23 10:00");
    run_as(
        "tom",
        "2026-11-23 11:30",
        &[
            "handoff",
            "reject",
            h["id"].as_str().unwrap(),
            "--reason",
            "no-budget",
        ],
    );
    run_as(
        "maria",
        "2026-11-23 11:40",
        &["feedback", "too late to count"],
    );
    assert_eq!(
        agenda("2026-11-23 12:00"),
        at_start,
        "what was recorded after the meeting started is not in its agenda"
    );
}
