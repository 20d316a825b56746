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
