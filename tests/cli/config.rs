//! `growth config get|set|list`: settings changed without hand-editing growth.toml, which
//! keeps its comments, refuses bad values, and is what the next agenda follows.

use crate::common::TestEnv;

fn config_file(env: &TestEnv) -> String {
    std::fs::read_to_string(env.ws.join("growth.toml")).unwrap()
}

#[test]
fn config_set_keeps_comments_and_shows_the_lines_it_changed() {
    let env = TestEnv::new();
    let before = config_file(&env)
        .replace("time = 10:00:00\n", "time = 10:00:00 # after the standup\n")
        .replace(
            "[meeting]\n",
            "[meeting]\n# Agreed at the offsite: keep it short.\n",
        );
    std::fs::write(env.ws.join("growth.toml"), &before).unwrap();
    let line = before
        .lines()
        .position(|l| l.starts_with("time = "))
        .unwrap()
        + 1;

    let out = env.run(&["config", "set", "meeting.time", "15:30"]);
    assert_eq!(
        out,
        format!(
            "growth.toml:{line}\n-time = 10:00:00 # after the standup\n+time = 15:30:00 # after the standup\nset meeting.time to 15:30\n"
        )
    );
    let after = config_file(&env);
    assert_eq!(
        after,
        before.replace("time = 10:00:00 #", "time = 15:30:00 #"),
        "only that value changed; every comment is where it was"
    );

    // A list, written as TOML; the same value again changes nothing.
    env.run(&[
        "config",
        "set",
        "business_hours.holidays",
        "2026-12-25, 2026-12-24",
    ]);
    assert!(config_file(&env).contains("\nholidays = [2026-12-24, 2026-12-25]\n"));
    let again = env.run(&[
        "config",
        "set",
        "business_hours.holidays",
        "2026-12-24,2026-12-25",
    ]);
    assert_eq!(
        again,
        "business_hours.holidays is 2026-12-24, 2026-12-25 already; nothing changed\n"
    );
    env.run(&["check"]);
}

#[test]
fn config_set_refuses_an_invalid_value_naming_the_key_with_a_hint() {
    let env = TestEnv::new();
    let before = env.snapshot_files();
    for (args, said) in [
        (
            &["meeting.minutes", "0"][..],
            "error: invalid value for meeting.minutes: `0` is not a whole number from 5 to 480\nhint: e.g. 45\n",
        ),
        (
            &["meeting.weekday", "someday"],
            "error: invalid value for meeting.weekday: `someday` is not a weekday\nhint: use mon, tue, wed, thu, fri, sat or sun\n",
        ),
        (
            &["team.timezone", "Europe/Berln"],
            "error: invalid value for team.timezone: unknown timezone `Europe/Berln`\nhint: did you mean `Europe/Berlin`? (an IANA name)\n",
        ),
        (
            &["business_hours.end", "08:00"],
            "error: invalid value for business_hours.end: the working day would end at 08:00 but start at 09:00\nhint: set business_hours.start first, or pick a later end\n",
        ),
        (
            &["meeting.facilitators", "maria,tmo"],
            "error: invalid value for meeting.facilitators: `tmo` is not a member\nhint: did you mean `tom`? (`growth member list` shows the team)\n",
        ),
        (
            &["meeting.tiem", "10:00"],
            "error: unknown setting `meeting.tiem`\nhint: did you mean `meeting.time` or `meeting.minutes` or `meeting.skip`?\nhint: run `growth config list` to see every setting\n",
        ),
    ] {
        let out = env
            .cmd()
            .args(["config", "set"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8(out.stderr).unwrap(), said);
        assert!(out.stdout.is_empty());
    }
    assert_eq!(env.snapshot_files(), before, "nothing changed");
}

#[test]
fn the_next_agenda_follows_the_new_cadence() {
    let env = TestEnv::new();
    let agenda = || -> serde_json::Value {
        serde_json::from_str(&env.run(&["--today", "2026-11-27", "agenda", "--format", "json"]))
            .unwrap()
    };
    assert_eq!(agenda()["date"], "2026-11-30", "Mondays by default");
    env.run(&["config", "set", "meeting.weekday", "thu"]);
    env.run(&["config", "set", "meeting.time", "15:30"]);
    env.run(&["config", "set", "meeting.minutes", "60"]);
    env.run(&["config", "set", "meeting.every_weeks", "2"]);
    env.run(&["config", "set", "meeting.facilitators", "tom,ana"]);
    let a = agenda();
    assert_eq!(
        (&a["date"], &a["time"], &a["minutes"], &a["facilitator"]),
        (
            &"2026-12-03".into(),
            &"15:30".into(),
            &60.into(),
            &"tom".into()
        ),
        "{a:#}"
    );
    let next: serde_json::Value =
        serde_json::from_str(&env.run(&["--today", "2026-11-27", "next", "--format", "json"]))
            .unwrap();
    let dates: Vec<&str> = next
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        ["2026-12-03", "2026-12-17", "2026-12-31", "2027-01-14"]
    );
}

#[test]
fn config_get_and_list_for_people_and_scripts() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["config", "get", "meeting.time"]), "10:00\n");
    assert_eq!(
        env.run(&["config", "get", "workdays"]),
        "mon, tue, wed, thu, fri\n"
    );
    let json: serde_json::Value = serde_json::from_str(&env.run(&[
        "config",
        "get",
        "handoff.accept_within_hours",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({"key": "handoff.accept_within_hours", "value": 4, "about": "business hours to accept or reject a handoff"})
    );
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["config", "list", "--format", "json"])).unwrap();
    let keys: Vec<&str> = all.iter().map(|s| s["key"].as_str().unwrap()).collect();
    for key in [
        "team.name",
        "team.timezone",
        "team.currency",
        "meeting.weekday",
        "meeting.time",
        "meeting.minutes",
        "meeting.every_weeks",
        "meeting.facilitators",
        "handoff.accept_within_hours",
        "handoff.first_contact_within_hours",
        "business_hours.workdays",
        "business_hours.start",
        "business_hours.end",
        "business_hours.holidays",
        "pipeline.stages",
        "handoff.rejection_reasons",
    ] {
        assert!(keys.contains(&key), "{key}");
    }
    assert_eq!(all[3]["value"][0], "new");
}

#[test]
fn config_set_refuses_a_value_the_history_does_not_fit() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let id = env.maria(&["-q", "handoff", "acme", "--to", "tom"]);
    env.run(&[
        "--as",
        "tom",
        "--today",
        "2026-11-20",
        "handoff",
        "reject",
        id.trim(),
        "--reason",
        "not-a-fit",
    ]);
    let before = env.snapshot_files();
    let out = env
        .cmd()
        .args([
            "config",
            "set",
            "handoff.rejection_reasons",
            "no-budget,bad-timing",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("unknown rejection reason `not-a-fit`")
            && stderr.contains("error: invalid value for handoff.rejection_reasons: the recorded history does not fit it; nothing changed\nhint: "),
        "{stderr}"
    );
    assert_eq!(env.snapshot_files(), before);
}

#[test]
fn config_list_shows_the_stage_roles_and_the_qualification_rule() {
    let env = TestEnv::new();
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["config", "list", "--format", "json"])).unwrap();
    let pairs: Vec<(&str, &serde_json::Value)> = all
        .iter()
        .map(|s| (s["key"].as_str().unwrap(), &s["value"]))
        .collect();
    // In the order of growth.toml, right after the stages and the criteria.
    let from = pairs
        .iter()
        .position(|(k, _)| *k == "pipeline.stages")
        .unwrap();
    assert_eq!(
        pairs[from + 1..from + 8],
        [
            ("pipeline.mql", &"mql".into()),
            ("pipeline.sql", &"sql".into()),
            ("pipeline.won", &"won".into()),
            ("pipeline.lost", &"lost".into()),
            (
                "qualification.criteria",
                &serde_json::json!(["budget", "authority", "need", "timeline"])
            ),
            ("qualification.advance_at", &3.into()),
            ("qualification.advance_to", &"mql".into()),
        ]
    );
    let table = env.run(&["config", "list"]);
    for line in [
        "pipeline.mql                         mql ",
        "pipeline.sql                         sql ",
        "pipeline.won                         won ",
        "pipeline.lost                        lost ",
        "qualification.advance_at             3 ",
        "qualification.advance_to             mql ",
    ] {
        assert!(table.contains(line), "{line:?} in\n{table}");
    }
    let csv = env.run(&["config", "list", "--format", "csv"]);
    assert!(
        csv.lines()
            .any(|l| l == "qualification.advance_at,3,criteria a lead must meet to advance"),
        "{csv}"
    );
}

#[test]
fn config_get_and_set_the_stage_roles_and_the_qualification_rule() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["config", "get", "pipeline.sql"]), "sql\n");
    assert_eq!(env.run(&["config", "get", "advance_at"]), "3\n");
    let json: serde_json::Value = serde_json::from_str(&env.run(&[
        "config",
        "get",
        "qualification.advance_to",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({"key": "qualification.advance_to", "value": "mql", "about": "the stage a qualified lead advances to"})
    );

    env.run(&[
        "config",
        "set",
        "pipeline.stages",
        "new,nurture,mql,sql,demo,won,lost",
    ]);
    assert_eq!(
        env.run(&["config", "set", "pipeline.sql", "demo"]),
        format!(
            "growth.toml:{}\n-sql = \"sql\"\n+sql = \"demo\"\nset pipeline.sql to demo\n",
            line_of(&config_file(&env), "sql = ")
        )
    );
    env.run(&["config", "set", "qualification.advance_at", "2"]);
    env.run(&["config", "set", "qualification.advance_to", "SQL"]);
    let file = config_file(&env);
    assert!(file.contains("\nsql = \"demo\"\n"), "{file}");
    assert!(file.contains("\nadvance_at = 2\n"), "{file}");
    assert!(file.contains("\nadvance_to = \"sql\"\n"), "{file}");
    env.run(&["check"]);

    // A lead meeting two criteria now advances to sql.
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "qualify", "acme-corp", "--met", "budget,need"]);
    assert_eq!(env.leads_json()[0]["stage"], "sql");

    let before = env.snapshot_files();
    for (args, said) in [
        (
            &["pipeline.won", "lost"][..],
            "error: invalid value for pipeline.won: `lost` is pipeline.lost already: a deal cannot be won and lost at once\nhint: pick another stage, or change pipeline.lost first\n",
        ),
        (
            &["pipeline.mql", "qualified"],
            "error: invalid value for pipeline.mql: `qualified` is not a stage\nhint: the stages are: new, nurture, mql, sql, demo, won, lost\n",
        ),
        (
            &["qualification.advance_at", "5"],
            "error: invalid value for qualification.advance_at: a lead cannot meet 5 criteria: there are 4 (budget, authority, need, timeline)\nhint: add criteria with `growth config set qualification.criteria` first, or pick a smaller number\n",
        ),
        (
            &["qualification.advance_at", "0"],
            "error: invalid value for qualification.advance_at: `0` is not a whole number from 1 to 100\nhint: e.g. 2\n",
        ),
        (
            &["qualification.criteria", "budget"],
            "error: invalid value for qualification.criteria: 1 criteria, but a lead advances once it meets 2\nhint: lower it first: `growth config set qualification.advance_at N`\n",
        ),
        (
            &["pipeline.stages", "new,nurture,mql,won,lost"],
            "error: invalid value for pipeline.stages: the stages leave out `demo`, which pipeline.sql names\nhint: keep `demo`, or change pipeline.sql first (`growth config set pipeline.sql STAGE`)\n",
        ),
    ] {
        let out = env
            .cmd()
            .args(["config", "set"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(String::from_utf8(out.stderr).unwrap(), said);
    }
    assert_eq!(env.snapshot_files(), before, "nothing changed");
}

/// The line number of the first line of `text` starting with `start`.
fn line_of(text: &str, start: &str) -> usize {
    text.lines().position(|l| l.starts_with(start)).unwrap() + 1
}
