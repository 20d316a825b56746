//! The meeting: agenda in every format (snapshots, a real HTML parser), the iCalendar
//! series (a real iCalendar parser), the walk-through through a pseudo-terminal, minutes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::{BIN, TestEnv, files_under};

/// A throwaway copy of the example workspace (without its local `.growth/`).
pub fn example() -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join("acme");
    let to = tempfile::tempdir().unwrap().keep();
    for (rel, bytes) in files_under(&from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    to
}

pub fn growth_in(env: &TestEnv, dir: &Path, args: &[&str]) -> String {
    let mut cmd = assert_cmd::Command::new(BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    let out = cmd
        .env("COLUMNS", "100")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "growth {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_example_agenda_in_every_format_is_byte_identical_on_a_rerun() {
    let env = TestEnv::empty();
    let ws = example();
    for (name, format) in [
        ("agenda_text", "text"),
        ("agenda_md", "md"),
        ("agenda_json", "json"),
        ("agenda_html", "html"),
    ] {
        let args = ["--today", "2026-11-27", "agenda", "--format", format];
        let first = growth_in(&env, &ws, &args);
        assert_eq!(
            growth_in(&env, &ws, &args),
            first,
            "{format} differs on a rerun"
        );
        // --date gives the same agenda whatever "now" is.
        let pinned = growth_in(
            &env,
            &ws,
            &[
                "--today",
                "2026-11-28T18:00",
                "agenda",
                "--date",
                "2026-11-30",
                "--format",
                format,
            ],
        );
        assert_eq!(pinned, first, "{format} depends on the clock");
        insta::assert_snapshot!(name, first);
    }
}

#[test]
fn the_agenda_json_has_the_contract_fields_in_order() {
    let env = TestEnv::empty();
    let agenda: serde_json::Value = serde_json::from_str(&growth_in(
        &env,
        &example(),
        &["--today", "2026-11-27", "agenda", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(agenda["date"], "2026-11-30");
    assert_eq!(agenda["facilitator"], "lukas");
    let ids: Vec<&str> = agenda["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "celebrations",
            "goals",
            "qualification",
            "handoffs",
            "content",
            "feedback",
            "actions"
        ]
    );
    let minutes: u64 = agenda["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["minutes"].as_u64().unwrap())
        .sum();
    assert_eq!(minutes, 45, "the time boxes fill the meeting");
    for s in agenda["sections"].as_array().unwrap() {
        assert!(s["title"].is_string() && s["items"].is_array());
        if s["items"].as_array().unwrap().is_empty() {
            assert_eq!(s["minutes"], 0, "an empty section gives its time away");
        }
    }
    assert_eq!(
        agenda["recalled_decisions"][0],
        "Rejected handoffs come back with a next step for marketing"
    );
}

#[test]
fn the_html_agenda_is_one_self_contained_page_with_every_section() {
    let env = TestEnv::empty();
    let html = growth_in(
        &env,
        &example(),
        &["--today", "2026-11-27", "agenda", "--format", "html"],
    );
    let doc = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    for id in [
        "celebrations",
        "goals",
        "qualification",
        "handoffs",
        "content",
        "feedback",
        "actions",
    ] {
        let section = doc.select(&select(&format!("section#{id}"))).next();
        assert!(section.is_some(), "section {id} is missing");
        assert!(
            section.unwrap().select(&select("h2")).next().is_some(),
            "section {id} has no title"
        );
    }
    assert_eq!(doc.select(&select("script")).count(), 0, "no scripts");
    assert_eq!(
        doc.select(&select("link, img, iframe")).count(),
        0,
        "no external requests"
    );
    // The page's CSS (each inline SVG chart carries its own small style too).
    assert_eq!(doc.select(&select("head style")).count(), 1, "inline CSS");
    assert!(
        doc.select(&select("section#goals .bar span")).count() >= 8,
        "a progress bar per goal"
    );
}

#[test]
fn the_agenda_escapes_user_text_in_markdown_and_html() {
    let env = TestEnv::new();
    env.maria(&[
        "lead",
        "add",
        "<script>alert(1)</script> | [x](javascript:alert(1))",
        "--id",
        "evil",
    ]);
    let html = env.run(&["--today", "2026-11-27", "agenda", "--format", "html"]);
    assert!(
        !html.contains("<script>") && html.contains("&lt;script&gt;"),
        "{html}"
    );
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(
        doc.select(&scraper::Selector::parse("script, a").unwrap())
            .count(),
        0
    );
    let md = env.run(&["--today", "2026-11-27", "agenda", "--format", "md"]);
    assert!(
        md.contains("\\<script>alert(1)\\</script> | \\[x\\](javascript:alert(1))"),
        "{md}"
    );
}

#[test]
fn an_empty_workspace_has_an_agenda_that_says_so() {
    let env = TestEnv::new();
    let text = env.run(&["--today", "2026-11-27", "agenda"]);
    insta::assert_snapshot!("agenda_empty", text);
    let agenda: serde_json::Value =
        serde_json::from_str(&env.run(&["--today", "2026-11-27", "agenda", "--format", "json"]))
            .unwrap();
    assert!(
        agenda["sections"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["items"].as_array().unwrap().is_empty())
    );
}

#[test]
fn the_agenda_goes_to_a_missing_folder_without_a_terminal() {
    let env = TestEnv::new();
    let target = env.ws.join("agendas").join("2026").join("11-30.md");
    let out = env
        .cmd()
        .args([
            "--today",
            "2026-11-27",
            "agenda",
            "--format",
            "md",
            "--output",
        ])
        .arg(&target)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("# Acme Growth: growth meeting 2026-11-30")
    );
}

#[test]
fn next_lists_meetings_and_writes_a_calendar_apps_can_read() {
    let env = TestEnv::empty();
    let ws = example();
    let next: Vec<serde_json::Value> = serde_json::from_str(&growth_in(
        &env,
        &ws,
        &[
            "--today",
            "2026-11-27",
            "next",
            "--count",
            "3",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let dates: Vec<&str> = next.iter().map(|n| n["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2026-11-30", "2026-12-07", "2026-12-14"]);
    assert_eq!(next[0]["facilitator"], "lukas");
    assert_eq!(next[1]["facilitator"], "maria");
    let ics = growth_in(&env, &ws, &["--today", "2026-11-27", "next", "--ics"]);
    assert_eq!(
        growth_in(&env, &ws, &["--today", "2026-12-01", "next", "--ics"])
            .lines()
            .find(|l| l.starts_with("UID")),
        ics.lines().find(|l| l.starts_with("UID")),
        "a stable UID"
    );
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let event = calendar
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")
        .unwrap();
    let prop = |name: &str| {
        event
            .find_prop(name)
            .map(|p| p.val.as_str().to_string())
            .unwrap()
    };
    assert_eq!(prop("DTSTART"), "20261130T100000");
    let tzid = event
        .find_prop("DTSTART")
        .unwrap()
        .params
        .iter()
        .find(|p| p.key.as_str() == "TZID")
        .unwrap();
    assert_eq!(tzid.val.as_ref().unwrap().as_str(), "Europe/Berlin");
    assert_eq!(prop("RRULE"), "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO");
    assert_eq!(prop("DURATION"), "PT45M");
    assert!(
        ics.lines().all(|l| l.len() <= 76),
        "lines are folded at 75 octets"
    );
}

#[test]
fn meeting_record_writes_minutes_and_the_next_agenda_carries_actions() {
    let env = TestEnv::new();
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-30T10:45",
        "meeting",
        "record",
        "--date",
        "2026-11-30",
        "--attendee",
        "maria",
        "--attendee",
        "tom",
        "--note",
        "Webinar leads convert",
        "--decision",
        "Move budget to webinars",
        "--action",
        "Send the pricing sheet @tom due:2026-12-02",
        "--pulse",
        "maria=4",
        "--pulse",
        "tom=5",
    ]);
    let minutes: serde_json::Value =
        serde_json::from_str(&env.run(&["meeting", "show", "2026-11-30", "--format", "json"]))
            .unwrap();
    assert_eq!(minutes["attendees"], serde_json::json!(["maria", "tom"]));
    assert_eq!(minutes["decisions"][0]["text"], "Move budget to webinars");
    assert_eq!(minutes["actions"][0]["owner"], "tom");
    assert_eq!(minutes["pulse_average"], 4.5);
    let refused = env
        .cmd()
        .args(["--as", "maria", "meeting", "record", "--pulse", "tom=9"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let refused = env
        .cmd()
        .args([
            "--as",
            "maria",
            "meeting",
            "record",
            "--action",
            "Call Acme",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("names no owner"));
    // Two weeks on, the action is carried and the decisions are recalled.
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-12-07T10:45",
        "meeting",
        "record",
        "--date",
        "2026-12-07",
        "--attendee",
        "maria",
    ]);
    let agenda = env.run(&["--today", "2026-12-10", "agenda", "--date", "2026-12-14"]);
    assert!(
        agenda.contains("Send the pricing sheet [overdue]"),
        "{agenda}"
    );
    assert!(agenda.contains("carried 1 meeting"), "{agenda}");
    assert!(agenda.contains("pulse trend: 4.5 (Nov 30)"), "{agenda}");
}

#[test]
fn meeting_start_saves_each_step_and_resumes_after_a_kill() {
    let env = TestEnv::new();
    let spawn = || {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", &env.home)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .args([
                "-C",
                env.ws.to_str().unwrap(),
                "--as",
                "maria",
                "--today",
                "2026-11-30T10:05",
                "meeting",
                "start",
            ]);
        let mut p = expectrl::Session::spawn(cmd).unwrap();
        p.set_expect_timeout(Some(Duration::from_secs(20)));
        p
    };
    use expectrl::Expect;
    let pause = || std::thread::sleep(Duration::from_millis(250));
    let mut p = spawn();
    p.expect("Who is here?").unwrap();
    pause();
    p.send("\r").unwrap(); // everyone, as pre-filled
    p.expect("1. Celebrations").unwrap();
    p.expect("What now?").unwrap();
    pause();
    p.send("\u{1b}[B\r").unwrap(); // down: "Add a note"
    p.expect("Note").unwrap();
    pause();
    p.send("Webinar leads convert twice\r").unwrap();
    p.expect("What now?").unwrap();
    pause();
    p.send("\u{1b}[B\u{1b}[B\u{1b}[B\r").unwrap(); // "Add an action item"
    p.expect("Action item").unwrap();
    pause();
    p.send("Send the pricing sheet\r").unwrap();
    p.expect("Owner").unwrap();
    pause();
    p.send("tom\r").unwrap();
    p.expect("Due date").unwrap();
    pause();
    p.send("2026-12-02\r").unwrap();
    p.expect("What now?").unwrap();
    // Killed mid-meeting: a closed terminal, a crash.
    p.get_process_mut()
        .kill(expectrl::process::unix::Signal::SIGKILL)
        .unwrap();
    drop(p);

    let minutes: serde_json::Value =
        serde_json::from_str(&env.run(&["meeting", "show", "2026-11-30", "--format", "json"]))
            .unwrap();
    assert_eq!(minutes["attendees"].as_array().unwrap().len(), 3);
    assert_eq!(minutes["notes"][0]["text"], "Webinar leads convert twice");
    assert_eq!(minutes["notes"][0]["section"], "celebrations");
    assert_eq!(minutes["actions"][0]["text"], "Send the pricing sheet");
    assert_eq!(minutes["closed"], false);

    let mut p = spawn();
    // Attendance is saved: the walk-through resumes at the section it was in.
    p.expect("Resuming the meeting of 2026-11-30. Saved so far: attendance (3), 1 note")
        .unwrap();
    p.expect("Resuming at 1. Celebrations").unwrap();
    p.get_process_mut()
        .kill(expectrl::process::unix::Signal::SIGKILL)
        .unwrap();
    drop(p);

    let agenda = env.run(&["--today", "2026-12-01", "agenda"]);
    assert!(agenda.contains("Send the pricing sheet"), "{agenda}");
    env.run(&["check"]);
}

#[test]
fn meeting_start_without_a_terminal_says_how_to_record_instead() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["--as", "maria", "meeting", "start"])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("growth meeting record"));
}

#[test]
fn a_long_agenda_section_lists_fifteen_and_says_how_to_see_the_rest() {
    let env = TestEnv::new();
    for n in 0..18 {
        env.maria(&["lead", "add", &format!("Company {n:02}")]);
    }
    for n in 0..16 {
        env.maria(&["feedback", &format!("Point {n:02}"), "--kind", "suggestion"]);
    }
    let text = env.run(&["--today", "2026-11-27", "agenda"]);
    assert_eq!(text.matches("Qualify Company").count(), 15, "{text}");
    assert!(text.contains("Qualify Company 00"), "oldest first:\n{text}");
    assert!(!text.contains("Qualify Company 17"), "{text}");
    assert!(
        text.contains("... and 3 more leads to qualify: growth lead list --stage new"),
        "{text}"
    );
    assert!(
        text.contains("18 to qualify"),
        "the summary counts all:\n{text}"
    );
    assert!(
        text.contains("... and 1 more open feedback: growth feedback list --open"),
        "{text}"
    );
    let agenda: serde_json::Value =
        serde_json::from_str(&env.run(&["--today", "2026-11-27", "agenda", "--format", "json"]))
            .unwrap();
    let items = agenda["sections"][2]["items"].as_array().unwrap();
    assert_eq!(items.len(), 16);
    assert_eq!(items[15]["more"], 3, "{:#}", items[15]);
    assert!(items[14].get("more").is_none());
}

#[test]
fn published_content_is_linked_in_the_agenda_but_only_over_http_or_mailto() {
    let env = TestEnv::new();
    // After the last meeting by the cadence (Monday 2026-11-23), so it is on the agenda.
    let as_maria = |args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", "2026-11-25"];
        all.extend_from_slice(args);
        env.run(&all)
    };
    let idea: serde_json::Value = serde_json::from_str(&as_maria(&[
        "idea",
        "Onboarding timeline one-pager",
        "--format",
        "json",
    ]))
    .unwrap();
    let id = idea["id"].as_str().unwrap().to_string();
    let url = "https://acme.example/onboarding?a=1&b=2";
    as_maria(&["idea", "status", &id, "published", "--link", url]);
    let agenda = |format: &str| env.run(&["--today", "2026-11-27", "agenda", "--format", format]);

    let doc = scraper::Html::parse_document(&agenda("html"));
    let links: Vec<_> = doc
        .select(&scraper::Selector::parse("section#content a").unwrap())
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect::<String>(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [(url.to_string(), "Onboarding timeline one-pager".to_string())]
    );
    assert!(
        agenda("md").contains(&format!("- [Onboarding timeline one-pager](<{url}>)")),
        "{}",
        agenda("md")
    );
    let json: serde_json::Value = serde_json::from_str(&agenda("json")).unwrap();
    assert_eq!(json["sections"][4]["items"][0]["link"], url);

    // A hand edit can put any scheme in the journal; the agenda shows it as text only.
    for file in crate::common::journal_files(&env.ws) {
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace(url, "javascript:alert(1)")).unwrap();
    }
    let html = agenda("html");
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(
        doc.select(&scraper::Selector::parse("a").unwrap()).count(),
        0,
        "{html}"
    );
    assert!(
        html.contains("javascript:alert(1)"),
        "shown as text:\n{html}"
    );
    assert!(!agenda("md").contains("](<javascript"), "{}", agenda("md"));
}

#[test]
fn recording_a_meeting_again_adds_to_it_and_drops_nobody() {
    let env = TestEnv::new();
    let record = |args: &[&str]| {
        let mut all = vec![
            "--as",
            "maria",
            "--today",
            "2026-11-30T12:00",
            "meeting",
            "record",
        ];
        all.extend_from_slice(args);
        env.run(&all)
    };
    record(&[
        "--attendee",
        "maria",
        "--attendee",
        "tom",
        "--decision",
        "Move budget to webinars",
        "--pulse",
        "tom=5",
    ]);
    let second = record(&["--attendee", "ana", "--note", "Ana joined late"]);
    assert!(
        second.contains("added to the meeting of 2026-11-30"),
        "{second}"
    );
    let minutes: serde_json::Value =
        serde_json::from_str(&env.run(&["meeting", "show", "2026-11-30", "--format", "json"]))
            .unwrap();
    assert_eq!(
        minutes["attendees"],
        serde_json::json!(["ana", "maria", "tom"])
    );
    assert_eq!(minutes["decisions"][0]["text"], "Move budget to webinars");
    assert_eq!(minutes["notes"][0]["text"], "Ana joined late");
    // Without --attendee, a second record keeps who was there.
    record(&["--note", "Follow-up"]);
    let minutes: serde_json::Value =
        serde_json::from_str(&env.run(&["meeting", "show", "2026-11-30", "--format", "json"]))
            .unwrap();
    assert_eq!(
        minutes["attendees"],
        serde_json::json!(["ana", "maria", "tom"])
    );
}

#[test]
fn an_agenda_or_minutes_off_the_cadence_warns_with_the_nearest_meeting_days() {
    let env = TestEnv::new();
    let stderr = |args: &[&str]| {
        let out = env
            .cmd()
            .args(["--as", "maria", "--today", "2026-11-27"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    assert_eq!(stderr(&["agenda", "--date", "2026-11-30"]), "");
    let warned = stderr(&["agenda", "--date", "2026-12-02"]);
    assert!(
        warned.contains("Wed 2026-12-02 is not a meeting day")
            && warned.contains("the nearest are Mon 2026-11-30 and Mon 2026-12-07"),
        "{warned}"
    );
    let warned = stderr(&[
        "meeting",
        "record",
        "--date",
        "2026-12-01",
        "--note",
        "Extra",
    ]);
    assert!(
        warned.contains("Tue 2026-12-01 is not a meeting day"),
        "{warned}"
    );
}

#[test]
fn an_extra_meeting_does_not_hide_the_decisions_of_the_regular_one() {
    let env = TestEnv::new();
    let as_maria = |today: &str, args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", today];
        all.extend_from_slice(args);
        env.cmd().args(&all).output().unwrap()
    };
    as_maria(
        "2026-11-30",
        &[
            "meeting",
            "record",
            "--date",
            "2026-11-30",
            "--decision",
            "Ship the pricing FAQ",
        ],
    );
    // A deal won Tuesday morning, then a quick sync on Tuesday, off the weekly cadence.
    as_maria("2026-12-01T09:00", &["lead", "add", "Brightline"]);
    as_maria("2026-12-01T09:00", &["lead", "stage", "brightline", "won"]);
    let extra = as_maria(
        "2026-12-01",
        &[
            "meeting",
            "record",
            "--date",
            "2026-12-01",
            "--attendee",
            "maria",
        ],
    );
    assert!(String::from_utf8_lossy(&extra.stderr).contains("not a meeting day"));
    let agenda = env.run(&["--today", "2026-12-04", "agenda", "--date", "2026-12-07"]);
    // The week runs from the regular meeting: the extra one hides neither its decisions
    // nor the deal won before the sync.
    assert!(
        agenda.contains("Since the meeting on 2026-11-30 (and the extra one on 2026-12-01)"),
        "{agenda}"
    );
    assert!(agenda.contains("Ship the pricing FAQ"), "{agenda}");
    assert!(agenda.contains("Brightline"), "{agenda}");
    // --since names the start it was given, not the last meeting.
    let since = env.run(&[
        "--today",
        "2026-12-04",
        "agenda",
        "--date",
        "2026-12-07",
        "--since",
        "2026-11-01",
    ]);
    assert!(since.contains("Since 2026-11-01"), "{since}");
    assert!(!since.contains("Since the last meeting"), "{since}");
    // A meeting a year off is recorded, with a warning: more often a mistyped year.
    let far = as_maria(
        "2026-12-04",
        &[
            "meeting",
            "record",
            "--date",
            "2027-12-07",
            "--attendee",
            "maria",
        ],
    );
    assert!(far.status.success());
    assert!(
        String::from_utf8_lossy(&far.stderr).contains("368 days from today"),
        "{}",
        String::from_utf8_lossy(&far.stderr)
    );
}
