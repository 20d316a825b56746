//! `report team` counts each win as it passes and `win list` keeps only what it prints of
//! each win: the team's credits must be exactly those the listed wins carry, the listing
//! in its order (newest first, then by id) in every format, streamed from a current cache
//! and from the whole state alike.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::common::TestEnv;
use crate::meetings::{example, growth_in};

/// The example workspace with two deals won after a handoff sales accepted (a deal credits
/// both sides) and two shout-outs, all four at the same moment (ordered by id), and an
/// archived deal won (in no listing).
fn workspace(env: &TestEnv) -> std::path::PathBuf {
    let ws = example();
    let write = |who: &str, args: &[&str]| {
        let mut all = vec!["--as", who, "--today", "2026-11-27"];
        all.extend_from_slice(args);
        growth_in(env, &ws, &all)
    };
    write(
        "lukas",
        &["handoff", "accept", "greenfield-organic-grocers"],
    );
    write(
        "lukas",
        &["lead", "stage", "greenfield-organic-grocers", "won"],
    );
    write("tom", &["lead", "stage", "vantage-point-staffing", "won"]);
    write(
        "maria",
        &["win", "Webinar to demo", "--credit", "tom,amara"],
    );
    write("maria", &["win", "Case study live", "--credit", "lukas"]);
    write("maria", &["lead", "archive", "alder-and-finch-law"]);
    ws
}

/// `args` read as of `today` from the whole state (no cache; the read leaves one) and
/// then streamed from that cache: both, which must be the same bytes.
fn both(env: &TestEnv, ws: &Path, today: &str, args: &[&str]) -> String {
    let args = [&["--today", today][..], args].concat();
    let _ = std::fs::remove_dir_all(ws.join(".growth").join("cache"));
    let whole = growth_in(env, ws, &args);
    let streamed = growth_in(env, ws, &args);
    assert_eq!(
        whole, streamed,
        "{args:?}: streamed differs from the whole state"
    );
    whole
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// Each member's department, from the team's own report.
fn departments(team: &Value) -> BTreeMap<String, String> {
    team["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let id = m["id"].as_str().unwrap().to_string();
            (id, m["department"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn the_team_credits_each_listed_win_once_per_member_and_department() {
    let env = TestEnv::empty();
    let ws = workspace(&env);
    for (today, since) in [("2026-11-27", "2026-01-01"), ("2026-11-30", "2026-11-10")] {
        let report = ["report", "team", "--since", since, "--format", "json"];
        let team = json(&both(&env, &ws, today, &report));
        let wins = json(&both(
            &env,
            &ws,
            today,
            &["win", "list", "--format", "json"],
        ));
        let dept = departments(&team);
        // The wins in the period: shout-outs and deals (a goal reached is not a credit).
        let counted: Vec<&Value> = wins
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["kind"] != "goal" && w["at"].as_str().unwrap()[..10] >= *since)
            .collect();
        assert!(counted.len() >= 4, "{wins:#}");
        let mut member_wins: BTreeMap<String, usize> = BTreeMap::new();
        let mut dept_wins: BTreeMap<String, usize> = BTreeMap::new();
        let mut cross = 0;
        for w in &counted {
            let credit = strings(&w["credit"]);
            for m in &credit {
                *member_wins.entry(m.clone()).or_default() += 1;
            }
            let ds: BTreeSet<&String> = credit.iter().map(|m| &dept[m]).collect();
            cross += usize::from(ds.len() > 1);
            for d in ds {
                *dept_wins.entry(d.clone()).or_default() += 1;
            }
        }
        assert_eq!(team["wins"], counted.len(), "{today}");
        assert_eq!(team["cross_department_wins"], cross, "{today}");
        for m in team["members"].as_array().unwrap() {
            let id = m["id"].as_str().unwrap();
            let want = member_wins.get(id).copied().unwrap_or(0);
            assert_eq!(m["wins"], want, "{today}: {id}");
        }
        for d in team["departments"].as_array().unwrap() {
            let id = d["id"].as_str().unwrap();
            let want = dept_wins.get(id).copied().unwrap_or(0);
            assert_eq!(d["wins"], want, "{today}: {id}");
        }
        // The same counts in the other formats.
        let csv = both(
            &env,
            &ws,
            today,
            &["report", "team", "--since", since, "--format", "csv"],
        );
        for m in team["members"].as_array().unwrap() {
            let line = format!(
                "member,{},{},",
                m["id"].as_str().unwrap(),
                m["department"].as_str().unwrap()
            );
            let row = csv.lines().find(|l| l.starts_with(&line)).unwrap();
            assert_eq!(
                row.split(',').nth(4).unwrap(),
                m["wins"].to_string(),
                "{row}"
            );
        }
        for format in ["table", "md", "html"] {
            both(
                &env,
                &ws,
                today,
                &["report", "team", "--since", since, "--format", format],
            );
        }
    }
}

#[test]
fn a_deal_won_credits_who_handed_it_off_and_who_accepted_it() {
    let env = TestEnv::empty();
    let ws = workspace(&env);
    let wins = json(&both(
        &env,
        &ws,
        "2026-11-27",
        &["win", "list", "--format", "json"],
    ));
    let credit = |id: &str| {
        let deal = wins
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["id"] == id)
            .unwrap();
        assert_eq!(deal["kind"], "deal");
        strings(&deal["credit"])
    };
    // maria handed it off to lukas, who accepted it, owns it and marked it won.
    assert_eq!(credit("greenfield-organic-grocers"), ["maria", "lukas"]);
    // henrik added it, priya handed it off (credited for that alone), tom accepted it.
    assert_eq!(credit("vantage-point-staffing"), ["henrik", "priya", "tom"]);
    assert!(!wins.to_string().contains("alder-and-finch-law"));
}

#[test]
fn the_wins_are_listed_newest_first_then_by_id_alike_in_every_format() {
    let env = TestEnv::empty();
    let ws = workspace(&env);
    let today = "2026-11-30";
    let team = json(&both(
        &env,
        &ws,
        today,
        &["report", "team", "--format", "json"],
    ));
    let dept = departments(&team);
    for since in [None, Some("2026-11-27")] {
        let with = |format: &str| {
            let mut args = vec!["win", "list", "--format", format];
            args.extend(since.iter().flat_map(|s| ["--since", s]));
            both(&env, &ws, today, &args)
        };
        let wins = json(&with("json"));
        let wins = wins.as_array().unwrap();
        assert!(wins.len() >= 4, "{wins:#?}");
        // Newest first, equal moments by id; both shout-outs share one moment.
        let keys: Vec<(&str, &str)> = wins
            .iter()
            .map(|w| (w["at"].as_str().unwrap(), w["id"].as_str().unwrap()))
            .collect();
        for pair in keys.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(a.0 > b.0 || (a.0 == b.0 && a.1 < b.1), "{keys:?}");
        }
        let shouts: BTreeSet<&str> = wins
            .iter()
            .filter(|w| w["kind"] == "shout-out")
            .map(|w| w["at"].as_str().unwrap())
            .collect();
        assert!(wins.iter().filter(|w| w["kind"] == "shout-out").count() >= 2);
        assert!(shouts.len() < wins.iter().filter(|w| w["kind"] == "shout-out").count());
        if let Some(s) = since {
            assert!(wins.iter().all(|w| w["at"].as_str().unwrap()[..10] >= *s));
        }
        // Each win's departments are its credited members', once each, sorted.
        for w in wins {
            let want: BTreeSet<String> = strings(&w["credit"])
                .iter()
                .map(|m| dept[m].clone())
                .collect();
            let want: Vec<String> = want.into_iter().collect();
            assert_eq!(strings(&w["departments"]), want, "{w:#}");
        }
        // The CSV's rows are the JSON's wins, in the same order.
        let csv = with("csv");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        let want: Vec<Vec<String>> = wins
            .iter()
            .map(|w| {
                vec![
                    w["id"].as_str().unwrap().to_string(),
                    w["at"].as_str().unwrap()[..10].to_string(),
                    w["kind"].as_str().unwrap().to_string(),
                    w["text"].as_str().unwrap().to_string(),
                    strings(&w["credit"]).join(", "),
                ]
            })
            .collect();
        assert_eq!(rows, want);
        // The table names them in that order too (an id never wraps).
        let table = with("table");
        let mut from = 0;
        for w in wins {
            let text = w["id"].as_str().unwrap();
            let at = table[from..]
                .find(text)
                .unwrap_or_else(|| panic!("{text}:\n{table}"));
            from += at + text.len();
        }
    }
}
