//! Goals: each derived metric against a hand-counted fixture, progress in every format,
//! and wins announced once.

use crate::common::TestEnv;

fn at(env: &TestEnv, who: &str, when: &str, args: &[&str]) -> String {
    let mut all = vec!["--as", who, "--today", when];
    all.extend_from_slice(args);
    env.run(&all)
}

/// November 2026. Lead a: added in October, handed off in October, accepted Nov 1 (sql),
/// won Nov 10 (1,000 USD). Lead b: added Nov 2, handed off and accepted Nov 3, won Nov 12
/// (2,000 USD) and reopened Nov 14. Lead c: added Nov 5, won Nov 15 (500 EUR). Lead d:
/// added Nov 6, handed off Nov 7 (pending), mql Dec 2. Lead e: added Nov 7, lost Nov 8.
fn fixture() -> TestEnv {
    let env = TestEnv::new();
    at(
        &env,
        "maria",
        "2026-10-20T10:00",
        &["lead", "add", "A Corp", "--id", "a", "--value", "1000"],
    );
    let ha = at(
        &env,
        "maria",
        "2026-10-30T10:00",
        &["-q", "handoff", "a", "--to", "tom"],
    );
    at(
        &env,
        "tom",
        "2026-11-01T10:00",
        &["handoff", "accept", ha.trim()],
    );
    at(
        &env,
        "maria",
        "2026-11-02T10:00",
        &["lead", "add", "B Corp", "--id", "b", "--value", "2000"],
    );
    let hb = at(
        &env,
        "maria",
        "2026-11-03T10:00",
        &["-q", "handoff", "b", "--to", "tom"],
    );
    at(
        &env,
        "tom",
        "2026-11-03T11:00",
        &["handoff", "accept", hb.trim()],
    );
    at(
        &env,
        "maria",
        "2026-11-05T10:00",
        &["lead", "add", "C GmbH", "--id", "c", "--value", "500 EUR"],
    );
    at(
        &env,
        "maria",
        "2026-11-06T10:00",
        &["lead", "add", "D Corp", "--id", "d"],
    );
    at(
        &env,
        "maria",
        "2026-11-07T10:00",
        &["handoff", "d", "--to", "tom"],
    );
    at(
        &env,
        "maria",
        "2026-11-07T11:00",
        &["lead", "add", "E Corp", "--id", "e"],
    );
    at(
        &env,
        "maria",
        "2026-11-08T10:00",
        &["lead", "stage", "e", "lost"],
    );
    at(
        &env,
        "tom",
        "2026-11-10T10:00",
        &["lead", "stage", "a", "won"],
    );
    at(
        &env,
        "tom",
        "2026-11-12T10:00",
        &["lead", "stage", "b", "won"],
    );
    at(
        &env,
        "tom",
        "2026-11-14T10:00",
        &[
            "lead",
            "stage",
            "b",
            "opportunity",
            "--reason",
            "contract fell through",
        ],
    );
    at(
        &env,
        "tom",
        "2026-11-15T10:00",
        &["lead", "stage", "c", "won"],
    );
    at(
        &env,
        "maria",
        "2026-12-02T10:00",
        &["lead", "stage", "d", "mql"],
    );
    for (title, metric) in [
        ("Revenue", "revenue"),
        ("Deals", "deals"),
        ("Leads", "leads"),
        ("MQLs", "mqls"),
        ("SQLs", "sqls"),
        ("Handoffs", "handoffs"),
        ("Accepted", "accepted"),
        ("Pulse", "manual"),
    ] {
        at(
            &env,
            "maria",
            "2026-12-03T10:00",
            &[
                "goal",
                "add",
                title,
                "--metric",
                metric,
                "--target",
                "10",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
            ],
        );
    }
    at(
        &env,
        "maria",
        "2026-12-03T10:01",
        &[
            "goal",
            "add",
            "Pulse sum",
            "--metric",
            "manual",
            "--sum",
            "--target",
            "10",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
    );
    // Check-ins at the same instant are in no order; these are a minute apart.
    for (goal, value, time) in [
        ("pulse", "10", "2026-12-03T11:00"),
        ("pulse", "25", "2026-12-03T11:01"),
        ("pulse-sum", "10", "2026-12-03T11:00"),
        ("pulse-sum", "25", "2026-12-03T11:01"),
    ] {
        at(&env, "ana", time, &["goal", "checkin", goal, value]);
    }
    env
}

#[test]
fn each_metric_matches_a_hand_count() {
    let env = fixture();
    let report: serde_json::Value = serde_json::from_str(&env.run(&[
        "--today",
        "2026-12-04",
        "progress",
        "--period",
        "all",
        "--format",
        "json",
    ]))
    .unwrap();
    let actual = |goal: &str| {
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["goal"] == goal)
            .unwrap()["actual"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(
        actual("revenue"),
        1000.0,
        "a won; b won and reopened; c in EUR"
    );
    assert_eq!(actual("deals"), 2.0, "a and c; b was reopened");
    assert_eq!(actual("leads"), 4.0, "b, c, d, e; a was added in October");
    assert_eq!(
        actual("mqls"),
        3.0,
        "a (via sql), b (via sql), c (via won); d in December, e lost"
    );
    assert_eq!(actual("sqls"), 3.0, "a and b accepted, c won");
    assert_eq!(actual("handoffs"), 2.0, "b and d; a's was in October");
    assert_eq!(actual("accepted"), 2.0, "a (accepted Nov 1) and b");
    assert_eq!(actual("pulse"), 25.0, "the latest check-in");
    assert_eq!(actual("pulse-sum"), 35.0, "the sum of check-ins");
    let revenue = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["goal"] == "revenue")
        .unwrap();
    assert_eq!(revenue["not_counted"], serde_json::json!(["c"]));
    assert_eq!(revenue["status"], "done", "1,000 against a target of 10");
}

#[test]
fn a_checkin_on_a_derived_goal_is_refused_with_a_hint() {
    let env = fixture();
    let out = env
        .cmd()
        .args(["--as", "maria", "goal", "checkin", "deals", "3"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("measures deals from the journal")
            && stderr.contains("growth progress --goal deals"),
        "{stderr}"
    );
}

#[test]
fn a_goal_reached_is_a_win_listed_once_under_its_own_date() {
    let env = TestEnv::new();
    at(
        &env,
        "maria",
        "2026-11-02T09:00",
        &[
            "goal",
            "add",
            "Two new leads",
            "--metric",
            "leads",
            "--target",
            "2",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--credit",
            "sales",
        ],
    );
    at(
        &env,
        "maria",
        "2026-11-03T10:00",
        &["lead", "add", "Acme Corp"],
    );
    at(
        &env,
        "maria",
        "2026-11-05T10:00",
        &["lead", "add", "Globex"],
    );
    at(
        &env,
        "maria",
        "2026-11-06T10:00",
        &["lead", "add", "Initech"],
    );
    let goal_wins = |today: &str| -> Vec<serde_json::Value> {
        let wins: Vec<serde_json::Value> =
            serde_json::from_str(&env.run(&["--today", today, "win", "list", "--format", "json"]))
                .unwrap();
        wins.into_iter().filter(|w| w["kind"] == "goal").collect()
    };
    let first = goal_wins("2026-11-10");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["at"], "2026-11-05T10:00:00+01:00");
    assert_eq!(first[0]["credit"], serde_json::json!(["maria", "tom"]));
    assert_eq!(
        goal_wins("2026-11-10"),
        first,
        "the same report twice announces it once"
    );
    assert_eq!(
        goal_wins("2026-12-20"),
        first,
        "a later date still lists it under its own date"
    );
    assert!(
        goal_wins("2026-11-04").is_empty(),
        "not reached yet on Nov 4"
    );
}

#[test]
fn progress_in_every_format_for_the_example() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("acme");
    let env = TestEnv::empty();
    let run = |columns: &str, args: &[&str]| {
        let mut cmd = assert_cmd::Command::new(crate::common::BIN);
        crate::common::pin_env(&mut cmd, &env.home);
        // A copy, so the caches growth leaves never land in the repository's example.
        let out = cmd
            .env("COLUMNS", columns)
            .arg("-C")
            .arg(copy(&example))
            .args(["--today", "2026-11-27"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    insta::assert_snapshot!("progress_table_wide", run("200", &["progress"]));
    let narrow = run("40", &["progress"]);
    for line in narrow.lines().take_while(|l| !l.is_empty()) {
        assert!(
            line.chars().count() <= 40,
            "wider than 40 columns: {line:?}"
        );
    }
    insta::assert_snapshot!("progress_table_40", narrow);
    insta::assert_snapshot!("progress_md", run("100", &["progress", "--format", "md"]));
    insta::assert_snapshot!(
        "progress_json",
        run("100", &["progress", "--format", "json"])
    );
    insta::assert_snapshot!("progress_csv", run("100", &["progress", "--format", "csv"]));
}

/// A throwaway copy of a workspace folder (without its local `.growth/`).
fn copy(from: &std::path::Path) -> std::path::PathBuf {
    let to = tempfile::tempdir().unwrap().keep();
    for (rel, bytes) in crate::common::files_under(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    to
}
