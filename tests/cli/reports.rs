//! `growth report funnel|sources|sla|team` against examples/acme on 2026-11-30, the
//! numbers checked against a count by hand of examples/make-acme.sh (the script that
//! writes the example, event by event), plus snapshots of every format.
//!
//! On 2026-11-30 the default period is the last 90 days, 2026-09-02 to 2026-11-30, which
//! holds every event of the example (2026-10-01 to 2026-11-26).

use std::path::Path;

use serde_json::Value;

use crate::common::{BIN, TestEnv, pin_env};
use crate::meetings::example;

const TODAY: &str = "2026-11-30";

fn report(env: &TestEnv, ws: &Path, columns: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::new(BIN);
    pin_env(&mut cmd, &env.home);
    cmd.env("COLUMNS", columns)
        .arg("-C")
        .arg(ws)
        .args(["--today", TODAY, "report"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(env: &TestEnv, ws: &Path, columns: &str, args: &[&str]) -> String {
    let out = report(env, ws, columns, args);
    assert!(
        out.status.success(),
        "growth report {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(env: &TestEnv, ws: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout(env, ws, "100", &all)).unwrap()
}

/// The row of `list` whose `key` is `id`.
fn row<'a>(list: &'a Value, key: &str, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == id)
        .unwrap_or_else(|| panic!("no {key} {id} in {list}"))
}

/// The numbers of `row` named in `fields`, in order.
fn counts(row: &Value, fields: &[&str]) -> Vec<u64> {
    fields
        .iter()
        .map(|f| row[*f].as_u64().unwrap_or_else(|| panic!("{f} in {row}")))
        .collect()
}

/// Every format of `report` as a snapshot: the table at 100 and 60 columns, JSON, CSV,
/// Markdown and HTML. Every table line fits 60 columns.
fn snapshot_every_format(env: &TestEnv, ws: &Path, report: &str) {
    insta::assert_snapshot!(
        format!("report_{report}_table"),
        stdout(env, ws, "100", &[report])
    );
    let narrow = stdout(env, ws, "60", &[report]);
    for line in narrow.lines() {
        assert!(line.chars().count() <= 60, "wider than 60: {line:?}");
    }
    insta::assert_snapshot!(format!("report_{report}_table_60"), narrow);
    for format in ["json", "csv", "md", "html"] {
        insta::assert_snapshot!(
            format!("report_{report}_{format}"),
            stdout(env, ws, "100", &[report, "--format", format])
        );
    }
}

#[test]
fn the_funnel_counts_what_the_example_recorded() {
    let env = TestEnv::empty();
    let ws = example();
    let r = json(&env, &ws, &["funnel"]);
    assert_eq!(r["since"], "2026-09-02");
    assert_eq!(r["until"], TODAY);
    assert_eq!(r["too_little_data"], false);
    let fields = ["entered", "moved_on", "at_end"];
    // By hand: 30 `lead add`s; 26 moved on (all but pinecrest, bluewater, polaris,
    // foxglove, which are still new).
    assert_eq!(
        counts(row(&r["stages"], "stage", "new"), &fields),
        [30, 26, 4]
    );
    // nurture: harborview, quarry, summit, redwood (`lead stage ... nurture`) and solstice,
    // vantage, evergreen (handoffs rejected); only vantage came back (handed off again,
    // accepted, sql). Still there: all but vantage.
    let nurture = row(&r["stages"], "stage", "nurture");
    assert_eq!(counts(nurture, &fields), [7, 1, 6]);
    assert_eq!(nurture["conversion"].as_f64(), Some(1.0 / 7.0));
    assert_eq!(
        nurture["median_days"],
        Value::Null,
        "1 of 7 stays ended: too few"
    );
    assert_eq!(nurture["too_little_data"], true);
    // mql: 22 leads qualified with 3 or more criteria; 16 of them accepted by sales (sql);
    // oakmont, atlas, mariner and greenfield wait for a decision.
    let mql = row(&r["stages"], "stage", "mql");
    assert_eq!(counts(mql, &fields), [22, 16, 4]);
    assert_eq!(mql["conversion"].as_f64(), Some(16.0 / 22.0));
    // sql: the 16 accepted; 9 became opportunities; lindqvist, granite, cedar, ironbridge
    // and vantage are still sql.
    assert_eq!(
        counts(row(&r["stages"], "stage", "sql"), &fields),
        [16, 9, 5]
    );
    // opportunity: northwind, kestrel, alder, cobalt, meridian, rheinblick, copperleaf,
    // lumen, brightline; won: northwind, alder, cobalt, rheinblick (meridian was lost).
    let opp = row(&r["stages"], "stage", "opportunity");
    assert_eq!(counts(opp, &fields), [9, 4, 4]);
    // The 5 stays that ended: alder 5.8 days, northwind 6.8, cobalt 6.9 (10-16 13:00 to
    // 10-23 11:00), meridian 8.0, rheinblick 18.9: the median is cobalt's.
    assert_eq!(opp["stays"], 5);
    let days = opp["median_days"].as_f64().unwrap();
    assert!((days - (6.0 + 22.0 / 24.0)).abs() < 1e-9, "{days}");
    let won = row(&r["stages"], "stage", "won");
    assert_eq!(counts(won, &["entered", "at_end"]), [4, 4]);
    assert_eq!(won["closed"], true);
    // lost: tidewater, meridian, silverline, one reason each.
    let reasons = r["lost_reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 3);
    assert!(reasons.iter().all(|x| x["leads"] == 1));
    assert!(
        reasons
            .iter()
            .any(|x| x["reason"] == "Chose a competitor with an existing TMS integration")
    );
    // 13 weeks from 2026-09-02; the 30 leads were added from week 4 (2026-09-30 on).
    let weekly = row(&r["stages"], "stage", "new")["weekly"]
        .as_array()
        .unwrap();
    assert_eq!(weekly.len(), 13);
    assert_eq!(weekly.iter().filter_map(Value::as_u64).sum::<u64>(), 30);
    snapshot_every_format(&env, &ws, "funnel");
}

#[test]
fn sources_show_lead_quality_by_channel() {
    let env = TestEnv::empty();
    let ws = example();
    let r = json(&env, &ws, &["sources"]);
    assert_eq!(r["currency"], "USD");
    let fields = [
        "leads", "mqls", "sqls", "handoffs", "accepted", "rejected", "won",
    ];
    // webinar: northwind, pinecrest, solstice, oakmont, granite, atlas, bluewater. MQL:
    // northwind, solstice, oakmont, granite, atlas. SQL: northwind, granite. Handoffs:
    // northwind, granite accepted; solstice rejected (bad-timing); oakmont, atlas
    // pending. Won: northwind (24,000 USD).
    let webinar = row(&r["sources"], "source", "webinar");
    assert_eq!(counts(webinar, &fields), [7, 5, 2, 5, 2, 1, 1]);
    assert_eq!(webinar["value_won"], 24000.0);
    assert_eq!(webinar["lead_to_mql"].as_f64(), Some(5.0 / 7.0));
    assert_eq!(webinar["mql_to_sql"].as_f64(), Some(2.0 / 5.0));
    assert_eq!(webinar["acceptance"], Value::Null, "3 decisions: too few");
    assert_eq!(webinar["too_little_data"], true);
    assert_eq!(webinar["rejection_reasons"][0]["reason"], "bad-timing");
    // referral: cobalt, alder, vantage, silverline, lumen, cedar, all qualified and
    // accepted; vantage's first handoff rejected (missing-context), its second accepted.
    // Won: cobalt 32,000 and alder 12,000.
    let referral = row(&r["sources"], "source", "referral");
    assert_eq!(counts(referral, &fields), [6, 6, 6, 7, 6, 1, 2]);
    assert_eq!(referral["value_won"], 44000.0);
    assert_eq!(referral["acceptance"].as_f64(), Some(6.0 / 7.0));
    assert_eq!(referral["win_rate"].as_f64(), Some(2.0 / 6.0));
    // trade-show: kestrel, lindqvist, quarry, rheinblick, redwood, ironbridge; rheinblick
    // won in EUR, so not in the USD value.
    let trade = row(&r["sources"], "source", "trade-show");
    assert_eq!(counts(trade, &fields), [6, 4, 4, 4, 4, 0, 1]);
    assert_eq!(trade["value_won"], 0.0);
    assert_eq!(trade["other_currency"][0], "rheinblick-hotels-gmbh");
    // Its value in its own currency: `--value "45000 EUR"` in make-acme.sh, no conversion.
    assert_eq!(
        trade["value_won_by_currency"],
        serde_json::json!({"EUR": 45000.0})
    );
    assert_eq!(
        webinar["value_won_by_currency"],
        serde_json::json!({"USD": 24000.0})
    );
    assert_eq!(
        referral["value_won_by_currency"],
        serde_json::json!({"USD": 44000.0})
    );
    assert_eq!(
        row(&r["sources"], "source", "paid-search")["value_won_by_currency"],
        serde_json::json!({})
    );
    // The table shows it in the row (it showed "0 USD" with WON 1), and so does the CSV.
    let table = stdout(&env, &ws, "100", &["sources"]);
    let line = table.lines().find(|l| l.starts_with("trade-show")).unwrap();
    assert!(
        line.contains("45,000 EUR") && !line.contains("0 USD"),
        "{line}"
    );
    let line = table
        .lines()
        .find(|l| l.starts_with("paid-search"))
        .unwrap();
    assert!(line.contains("0 USD"), "{line}");
    let csv = stdout(&env, &ws, "100", &["sources", "--format", "csv"]);
    let line = csv.lines().find(|l| l.starts_with("trade-show")).unwrap();
    assert!(line.contains(",0.00,USD,EUR=45000.00,"), "{line}");
    // paid-search: harborview, meridian, greenfield, summit, evergreen, polaris; MQL:
    // meridian, greenfield, evergreen; meridian accepted, evergreen rejected (not-a-fit).
    let paid = row(&r["sources"], "source", "paid-search");
    assert_eq!(counts(paid, &fields), [6, 3, 1, 3, 1, 1, 0]);
    // content-download: brightline, tidewater, copperleaf, mariner, foxglove.
    let content = row(&r["sources"], "source", "content-download");
    assert_eq!(counts(content, &fields), [5, 4, 3, 4, 3, 0, 0]);
    snapshot_every_format(&env, &ws, "sources");
}

#[test]
fn sla_measures_business_hours_per_receiver() {
    let env = TestEnv::empty();
    let ws = example();
    let r = json(&env, &ws, &["sla"]);
    assert_eq!(r["accept_within_hours"], 4);
    let fields = [
        "received",
        "decided",
        "contacted",
        "breaches",
        "pending",
        "rejected",
    ];
    let hours = |row: &Value, f: &str| row[f].as_f64().map(|h| (h * 60.0).round() as i64);
    // lukas, in business minutes (Mon-Fri 09:00-17:00): kestrel decided in 100 (14:30 to
    // 16:10), solstice 190 (rejected), rheinblick 170 (Tue 15:10 to Wed 10:00), lumen 80,
    // ironbridge 100; greenfield pending since Thu 16:30 (late), 690 so far (`handoff list`:
    // LATE 11h 30m/4h). An open handoff counts at its wait so far: 80, 100, 100, 170, 190,
    // 690: median (100 + 170) / 2, p90 690 (decided only it was 100 and 190, flattering).
    // Contacts: 4 (kestrel, rheinblick, lumen, ironbridge): too few for a median.
    // Late: greenfield, and ironbridge's first contact (19h 40m).
    let lukas = row(&r["receivers"], "member", "lukas");
    assert_eq!(counts(lukas, &fields), [6, 5, 4, 2, 1, 1]);
    assert_eq!(hours(lukas, "decide_median_hours"), Some(135));
    assert_eq!(hours(lukas, "decide_p90_hours"), Some(690));
    assert_eq!(hours(lukas, "oldest_open_hours"), Some(690));
    assert_eq!(lukas["contact_median_hours"], Value::Null);
    assert_eq!(lukas["too_little_data"], true);
    // sofia: decided cobalt 105, meridian 180, tidewater 165, vantage 195 (rejected,
    // missing-context), copperleaf 150, brightline 100, cedar 105, and oakmont open 1260
    // (21h): median (150 + 165) / 2, p90 1260.
    // Contacts: cobalt 170, meridian 735 (late), tidewater 365, copperleaf 340,
    // brightline 220, cedar 255: median (255 + 340) / 2, p90 735. Late: meridian and
    // oakmont (pending since Wed 15:00).
    let sofia = row(&r["receivers"], "member", "sofia");
    assert_eq!(counts(sofia, &fields), [8, 7, 6, 2, 1, 1]);
    assert_eq!(hours(sofia, "decide_median_hours"), Some(158));
    assert_eq!(hours(sofia, "decide_p90_hours"), Some(1260));
    assert_eq!(hours(sofia, "oldest_open_hours"), Some(1260));
    assert_eq!(hours(sofia, "contact_median_hours"), Some(298));
    assert_eq!(hours(sofia, "contact_p90_hours"), Some(735));
    assert_eq!(sofia["rejection_reasons"][0]["reason"], "missing-context");
    // tom: decided northwind 205, alder 410 (late), lindqvist 360 (late), silverline 375
    // (late), granite 80, evergreen 235 (rejected, not-a-fit), vantage 225, and open atlas
    // 2040 (34h) and mariner 840 (14h): median 360, p90 2040. Contacts: northwind 405, alder 470, lindqvist 645 (late), silverline 465,
    // granite 330: median 465, p90 645. Late: alder, lindqvist, silverline, vantage (no
    // contact since 11-18), atlas and mariner (pending).
    let tom = row(&r["receivers"], "member", "tom");
    assert_eq!(counts(tom, &fields), [9, 7, 5, 6, 2, 1]);
    assert_eq!(hours(tom, "decide_median_hours"), Some(360));
    assert_eq!(hours(tom, "decide_p90_hours"), Some(2040));
    assert_eq!(hours(tom, "oldest_open_hours"), Some(2040));
    assert_eq!(hours(tom, "contact_median_hours"), Some(465));
    assert_eq!(hours(tom, "contact_p90_hours"), Some(645));
    assert_eq!(
        tom["late_decisions"], 5,
        "alder, lindqvist, silverline, atlas, mariner"
    );
    // The chart: a dashed SLA line, red past the SLA (tom's median 6h), amber where the
    // median is in time but a handoff open now has waited past it (lukas, sofia).
    let html = stdout(&env, &ws, "100", &["sla", "--format", "html"]);
    assert!(html.contains("class=\"gc-limit\""), "{html}");
    assert!(html.contains(">SLA 4h</text>"), "{html}");
    assert_eq!(html.matches("<rect class=\"gc-bad\"").count(), 1, "tom");
    assert_eq!(
        html.matches("<rect class=\"gc-warn\"").count(),
        2,
        "lukas, sofia"
    );
    assert!(html.contains(">6h late · waits 34h</text>"), "{html}");
    assert!(
        html.contains("<title>tom: 6h late · waits 34h</title>"),
        "{html}"
    );
    snapshot_every_format(&env, &ws, "sla");
}

#[test]
fn team_credits_cross_departments() {
    let env = TestEnv::empty();
    let ws = example();
    let r = json(&env, &ws, &["team"]);
    // Wins: 3 shout-outs (alder: amara, priya, tom; rheinblick: maria, lukas, amara;
    // henrik's network: henrik, priya, sofia, tom) and 4 deals won, each crediting who
    // added the lead, who handed it off and received it, and who won it (northwind: jonas,
    // priya, tom; alder: amara, priya, tom; cobalt: amara, priya, sofia; rheinblick:
    // maria, lukas). Every one of the 7 credits more than one department.
    assert_eq!(r["wins"], 7);
    assert_eq!(r["cross_department_wins"], 7);
    let fields = [
        "wins",
        "handoffs_made",
        "handoffs_accepted",
        "ideas_published",
        "actions_done",
        "total",
    ];
    // priya handed off 12 (northwind, cobalt, alder, tidewater, vantage twice, silverline,
    // granite, brightline, cedar, oakmont, mariner), 9 accepted.
    assert_eq!(
        counts(row(&r["members"], "id", "priya"), &fields),
        [5, 12, 9, 0, 0, 26]
    );
    // maria: 7 handoffs (kestrel, meridian, lindqvist, rheinblick, lumen, ironbridge,
    // greenfield), 6 accepted; the handoff template action done.
    assert_eq!(
        counts(row(&r["members"], "id", "maria"), &fields),
        [2, 7, 6, 0, 1, 16]
    );
    // tom's go-live idea and lukas's security FAQ were published.
    assert_eq!(
        counts(row(&r["members"], "id", "tom"), &fields),
        [4, 0, 0, 1, 0, 5]
    );
    assert_eq!(
        counts(row(&r["members"], "id", "lukas"), &fields),
        [2, 0, 0, 1, 0, 3]
    );
    assert_eq!(
        counts(row(&r["members"], "id", "henrik"), &fields),
        [1, 0, 0, 0, 0, 1]
    );
    // A department counts a win once: all 7 credit marketing and sales, 4 account
    // management (two shout-outs, alder and cobalt), 1 hr.
    let marketing = row(&r["departments"], "id", "marketing");
    assert_eq!(counts(marketing, &fields), [7, 23, 16, 0, 1, 47]);
    assert_eq!(marketing["people"], 3);
    assert_eq!(
        row(&r["departments"], "id", "account-management")["wins"],
        4
    );
    assert_eq!(row(&r["departments"], "id", "hr")["wins"], 1);
    snapshot_every_format(&env, &ws, "team");
}

#[test]
fn a_period_without_data_says_so_and_succeeds() {
    let env = TestEnv::empty();
    let ws = example();
    let period = ["--since", "2026-01-01", "--until", "2026-01-31"];
    for kind in ["funnel", "sources", "sla", "team"] {
        let mut args = vec![kind];
        args.extend(period);
        let text = stdout(&env, &ws, "100", &args);
        assert!(
            text.contains("Too little data"),
            "{kind} says so plainly:\n{text}"
        );
        assert!(text.contains("2026-01-01 to 2026-01-31"), "{text}");
        let r = json(&env, &ws, &args);
        assert_eq!(r["too_little_data"], true, "{kind}: {r}");
    }
    let mut args = vec!["sla"];
    args.extend(period);
    insta::assert_snapshot!("report_sla_empty", stdout(&env, &ws, "100", &args));
}

#[test]
fn a_period_the_user_gives_bounds_what_counts() {
    let env = TestEnv::empty();
    let ws = example();
    // November only: the leads added in November.
    let r = json(
        &env,
        &ws,
        &["sources", "--since", "2026-11-01", "--until", "2026-11-30"],
    );
    assert_eq!(r["since"], "2026-11-01");
    let leads: u64 = r["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["leads"].as_u64().unwrap())
        .sum();
    // atlas (11-02), mariner (11-03), ironbridge (11-04), cedar (11-05), bluewater
    // (11-09), foxglove (11-16), polaris (11-26).
    assert_eq!(leads, 7);
    let text = stdout(&env, &ws, "100", &["funnel", "--since", "2026-11-01"]);
    assert!(text.contains("2026-11-01 to 2026-11-30\n"), "{text}");
}

#[test]
fn bad_dates_name_the_flag_with_a_hint() {
    let env = TestEnv::empty();
    let ws = example();
    for (args, flag) in [
        (vec!["funnel", "--since", "yesterday"], "--since"),
        (vec!["sla", "--until", "2026-13-01"], "--until"),
    ] {
        let out = report(&env, &ws, "100", &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(&format!("invalid value for {flag}")), "{err}");
        assert!(err.contains("hint: "), "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = report(
        &env,
        &ws,
        "100",
        &["team", "--since", "2026-11-30", "--until", "2026-11-01"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--until 2026-11-01 is before --since 2026-11-30"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    // A --since after today is refused the same way, with or without --until: it used to
    // print "2026-12-01 to 2026-11-30" and succeed.
    for args in [
        vec!["sources", "--since", "2026-12-01"],
        vec!["funnel", "--since", "2026-12-01", "--until", "2026-12-31"],
    ] {
        let out = report(&env, &ws, "100", &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("--since 2026-12-01 is after today (2026-11-30)"),
            "{err}"
        );
        assert!(err.contains("hint: "), "{err}");
        assert!(out.stdout.is_empty());
    }
    // A format a report cannot print is refused, naming the ones it can.
    let out = report(&env, &ws, "100", &["funnel", "--format", "slack"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn user_text_cannot_add_markup_formulas_or_escapes() {
    let env = TestEnv::new();
    env.maria(&[
        "lead",
        "add",
        "Evil Co",
        "--source",
        "=HYPERLINK(\"x\")<script>",
    ]);
    env.maria(&[
        "lead",
        "stage",
        "evil-co",
        "lost",
        "--reason",
        "<img src=x onerror=alert(1)> **bold** \u{1b}[31mred",
    ]);
    let run = |kind: &str, format: &str| {
        env.run(&["--today", "2026-11-20", "report", kind, "--format", format])
    };
    let html = run("funnel", "html") + &run("sources", "html");
    assert!(
        !html.contains("<script>") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    let md = run("funnel", "md");
    assert!(md.contains("\\*\\*bold\\*\\*"), "{md}");
    let text = run("funnel", "table") + &run("sources", "table") + &md + &html;
    assert!(!text.contains('\u{1b}'), "no terminal escape gets through");
    let csv = run("sources", "csv");
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")<script>\""), "{csv}");
}

/// The funnel on a terminal: `NO_COLOR` picks the ASCII sparkline, else Unicode blocks.
fn funnel_on_a_terminal(ws: &Path, home: &Path, no_color: bool) -> String {
    use expectrl::Expect;
    let mut cmd = std::process::Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("TERM", "xterm")
        .env("COLUMNS", "100")
        .args([
            "-C",
            ws.to_str().unwrap(),
            "--today",
            TODAY,
            "report",
            "funnel",
        ]);
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let mut p = expectrl::Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
    // Everything up to the opportunity row: the `new` row is in there.
    let found = p.expect("opportunity").unwrap();
    String::from_utf8_lossy(found.before()).into_owned()
}

#[test]
fn sparklines_are_blocks_on_a_colour_terminal_and_ascii_otherwise() {
    let env = TestEnv::empty();
    let ws = example();
    // `new`: 30 leads, week by week from 2026-09-02; none in the first four weeks.
    let blocks = funnel_on_a_terminal(&ws, &env.home, false);
    assert!(blocks.contains("▁▁▁▁█▅▆▄▄▄▂▁▂"), "{blocks}");
    let ascii = funnel_on_a_terminal(&ws, &env.home, true);
    assert!(ascii.contains("____#+*---._."), "{ascii}");
    assert!(!ascii.contains('▁'), "{ascii}");
}

#[test]
fn output_writes_the_report_to_a_file_as_a_pipe_would_get_it() {
    let env = TestEnv::empty();
    let ws = example();
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        ("html", "sources.html"),
        ("csv", "sources.csv"),
        ("table", "sources.txt"),
    ] {
        let path = dir.path().join("reports").join(name);
        let said = stdout(
            &env,
            &ws,
            "100",
            &[
                "sources",
                "--format",
                format,
                "--output",
                path.to_str().unwrap(),
            ],
        );
        assert!(said.contains("wrote the Lead sources report to"), "{said}");
        let written = std::fs::read_to_string(&path).unwrap();
        let piped = stdout(&env, &ws, "100", &["sources", "--format", format]);
        if format == "table" {
            // The file is not a terminal: no width to fit, ASCII trends, like a pipe.
            assert!(written.contains("webinar"), "{written}");
            assert!(written.is_ascii() || !written.contains('▁'), "{written}");
        } else {
            assert_eq!(written, piped, "{format}");
        }
    }
}
