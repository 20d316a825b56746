//! `growth progress` reads the goals' series and the funnel's moments kept beside a cache
//! that holds the journal, not the leads and handoffs: what it shows from them must be
//! exactly what it shows from the whole state, and anything that makes them stale (a new
//! entry, a damaged section) must only send it back to the leads.

use std::path::Path;

use growth::model::time::Instant;

use crate::common::TestEnv;
use crate::meetings::{example, growth_in};

/// The workspace of the streamed reads (archived leads, one with its handoff open, an
/// archived deal won, a deal won) with a revenue goal in another currency and an archived
/// goal: what the facts must count as a read does.
fn workspace(env: &TestEnv) -> std::path::PathBuf {
    let ws = crate::streamed::workspace(env);
    let write = |args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", "2026-11-27"];
        all.extend_from_slice(args);
        growth_in(env, &ws, &all)
    };
    let eur = [
        "goal",
        "add",
        "EUR revenue",
        "--metric",
        "revenue",
        "--target",
        "90000 EUR",
        "--from",
        "2026-10-01",
        "--to",
        "2026-12-31",
    ];
    write(&eur);
    let old = [
        "goal",
        "add",
        "Old leads",
        "--metric",
        "leads",
        "--target",
        "10",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
    ];
    write(&old);
    write(&["goal", "archive", "old-leads"]);
    ws
}

/// The workspace at `ws` opened as the CLI opens it for `--today` (noon of that day, ten
/// minutes of skew allowed), and that noon.
pub(crate) fn opened_on(ws: &Path, today: &str) -> (growth::store::Workspace, Instant) {
    let mut workspace = growth::store::Workspace::open(ws).unwrap();
    let tz = workspace.tz();
    let date = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
    let noon = growth::model::time::resolve_local(date.and_hms_opt(12, 0, 0).unwrap(), tz);
    workspace.set_horizon(Some(noon.plus_millis(10 * 60 * 1000)));
    workspace.given_horizon();
    (workspace, noon)
}

/// Whether this clone's cache, as of `today`, holds facts a progress read takes.
fn facts_taken(ws: &Path, today: &str) -> bool {
    let (workspace, noon) = opened_on(ws, today);
    let tz = workspace.tz();
    let needs = growth::store::Needs::GOALS.and(growth::store::Needs::MEETINGS);
    let Some((state, facts)) = workspace.metric_parts(needs).unwrap() else {
        return false;
    };
    facts
        .metrics(&state, workspace.config(), tz, state.as_of(noon))
        .is_some()
}

const READS: &[&[&str]] = &[
    &["progress", "--period", "all", "--format", "json"],
    &["progress", "--format", "csv"],
    &["progress", "--goal", "q4-new-revenue", "--format", "md"],
    &[
        "progress",
        "--period",
        "2026-10-01..2026-11-15",
        "--format",
        "json",
    ],
];

/// Each read from a rebuild (no cache; the rebuild leaves one) and then from the facts
/// beside that cache: the same bytes, on days inside the period and after it.
#[test]
fn progress_from_the_facts_beside_the_cache_equals_progress_of_the_whole_state() {
    let env = TestEnv::empty();
    let ws = workspace(&env);
    for today in ["2026-11-27", "2026-11-30", "2027-02-01"] {
        for read in READS {
            let args = [&["--today", today][..], read].concat();
            let whole = rebuilt(&env, &ws, &args);
            assert!(facts_taken(&ws, today), "no facts taken as of {today}");
            let from_facts = growth_in(&env, &ws, &args);
            assert_eq!(whole, from_facts, "{args:?}");
            assert!(!whole.contains("old-leads"), "{whole}");
        }
    }
}

/// Entries this clone wrote about leads and handoffs since the cache, one after another
/// with no rebuild between: the facts take out what their records counted and put in
/// what they count now, and a read says what a rebuild says (deals won, some backdated
/// among steps already counted, and reopened; a deal in another currency; handoffs made,
/// accepted and rejected; a lead qualified). An archive or a goal sends the read back to
/// the leads, and says the same.
#[test]
fn facts_follow_the_leads_and_handoffs_written_since_the_cache() {
    let env = TestEnv::empty();
    let (ws, today, read) = primed(&env);
    let writes: &[(&str, &[&str], bool)] = &[
        (
            "maria",
            &["lead", "add", "Quill Analytics", "--value", "40000"],
            true,
        ),
        ("maria", &["lead", "stage", "quill-analytics", "won"], true),
        ("maria", &["lead", "stage", "quill-analytics", "sql"], true),
        (
            "maria",
            &[
                "lead",
                "stage",
                "atlas-fleet-telematics",
                "sql",
                "--at",
                "2026-11-10",
            ],
            true,
        ),
        (
            "maria",
            &[
                "lead",
                "stage",
                "kestrel-aerospace-components",
                "won",
                "--at",
                "2026-11-12",
            ],
            true,
        ),
        (
            "maria",
            &[
                "lead",
                "stage",
                "lindqvist-mobel",
                "won",
                "--at",
                "2026-11-12",
            ],
            true,
        ),
        (
            "maria",
            &["lead", "stage", "greenfield-organic-grocers", "won"],
            true,
        ),
        (
            "maria",
            &["handoff", "quill-analytics", "--to", "tom", "--force", "-q"],
            true,
        ),
        ("tom", &["handoff", "accept", "quill-analytics"], true),
        (
            "maria",
            &[
                "handoff",
                "oakmont-senior-living",
                "--to",
                "tom",
                "--force",
                "-q",
            ],
            true,
        ),
        (
            "tom",
            &[
                "handoff",
                "reject",
                "oakmont-senior-living",
                "--reason",
                "no-budget",
            ],
            true,
        ),
        (
            "maria",
            &["lead", "stage", "polaris-cold-storage", "mql"],
            true,
        ),
        ("maria", &["lead", "archive", "summit-peak-fitness"], false),
    ];
    for (who, write, taken) in writes {
        let args = [&["--as", who, "--today", today][..], write].concat();
        growth_in(&env, &ws, &args);
        assert_eq!(facts_taken(&ws, today), *taken, "after {write:?}");
        let after = growth_in(&env, &ws, &read);
        assert_eq!(after, rebuilt_apart(&env, &ws, &read), "after {write:?}");
    }
    let goal = [
        "goal",
        "add",
        "Dec leads",
        "--metric",
        "leads",
        "--target",
        "5",
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
    ];
    growth_in(
        &env,
        &ws,
        &[&["--as", "maria", "--today", today][..], &goal].concat(),
    );
    assert!(!facts_taken(&ws, today));
    assert_eq!(growth_in(&env, &ws, &read), rebuilt_apart(&env, &ws, &read));
}

/// The workspace with a cache made by a progress read as of `today`: the day, and the read.
fn primed(env: &TestEnv) -> (std::path::PathBuf, &'static str, [&'static str; 7]) {
    let ws = workspace(env);
    let today = "2026-11-30";
    let read = [
        "--today", today, "progress", "--period", "all", "--format", "json",
    ];
    growth_in(env, &ws, &read);
    (ws, today, read)
}

/// `args` read from a copy of `ws` without `.growth/` (its cache): a rebuild that
/// leaves `ws`'s cache as it is.
pub(crate) fn rebuilt_apart(env: &TestEnv, ws: &Path, args: &[&str]) -> String {
    let copy = tempfile::tempdir().unwrap();
    for (rel, bytes) in crate::common::files_under(ws) {
        let path = copy.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    growth_in(env, copy.path(), args)
}

/// Entries this clone wrote since the cache about records no metric counts (feedback,
/// an action, an idea, a win) leave the facts good: a read still takes them, and says
/// what a rebuild says.
#[test]
fn facts_stay_good_past_entries_no_metric_counts() {
    let env = TestEnv::empty();
    let (ws, today, read) = primed(&env);
    let writes: [&[&str]; 4] = [
        &["feedback", "more demos", "--kind", "suggestion"],
        &["action", "add", "Call the webinar leads", "--owner", "tom"],
        &["idea", "A case study of lumen"],
        &["win", "Lumen signed", "--credit", "tom"],
    ];
    for write in writes {
        let args = [&["--as", "maria", "--today", today][..], write].concat();
        growth_in(&env, &ws, &args);
        assert!(facts_taken(&ws, today), "facts not taken after {write:?}");
        let after = growth_in(&env, &ws, &read);
        assert_eq!(after, rebuilt(&env, &ws, &read), "after {write:?}");
    }
    // A meeting changes what CHANGE counts from: the facts are not taken past it.
    let args = [
        "--as", "maria", "--today", today, "meeting", "record", "--note", "ok",
    ];
    growth_in(&env, &ws, &args);
    assert!(!facts_taken(&ws, today));
    let after = growth_in(&env, &ws, &read);
    assert_eq!(after, rebuilt(&env, &ws, &read));
}

/// `args` read from a state folded from the journal (no cache; the fold leaves one).
pub(crate) fn rebuilt(env: &TestEnv, ws: &Path, args: &[&str]) -> String {
    let _ = std::fs::remove_dir_all(ws.join(".growth").join("cache"));
    growth_in(env, ws, args)
}

/// Every lead archived: the handoffs then still count (a read shows them all), and the
/// facts say so too.
#[test]
fn with_every_lead_archived_the_facts_count_what_a_read_shows() {
    let env = TestEnv::empty();
    let ws = example();
    let leads = growth_in(
        &env,
        &ws,
        &["--today", "2026-11-27", "lead", "list", "--format", "json"],
    );
    let leads: Vec<serde_json::Value> = serde_json::from_str(&leads).unwrap();
    for lead in &leads {
        let id = lead["id"].as_str().unwrap();
        let archive = [
            "--as",
            "maria",
            "--today",
            "2026-11-27",
            "lead",
            "archive",
            id,
        ];
        growth_in(&env, &ws, &archive);
    }
    let read = [
        "--today",
        "2026-11-30",
        "progress",
        "--period",
        "all",
        "--format",
        "json",
    ];
    let whole = rebuilt(&env, &ws, &read);
    assert!(facts_taken(&ws, "2026-11-30"));
    assert_eq!(whole, growth_in(&env, &ws, &read));
    let rows: serde_json::Value = serde_json::from_str(&whole).unwrap();
    assert!(whole.contains("q4-handoffs"), "{rows}");
}
