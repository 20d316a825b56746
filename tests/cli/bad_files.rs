//! Damaged or invalid files: `check` reports each as path:line:col with a hint and exits 1;
//! every other command refuses and no byte changes.

use crate::common::{TestEnv, journal_files};

/// A workspace with one journal file, damaged by `damage`.
fn damaged(damage: impl FnOnce(&TestEnv, &std::path::Path)) -> TestEnv {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp", "--value", "5000"]);
    env.maria(&["lead", "add", "Globex"]);
    env.maria(&["lead", "stage", "globex", "mql"]);
    let file = journal_files(&env.ws).pop().unwrap();
    damage(&env, &file);
    env
}

fn edit(path: &std::path::Path, f: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, f(text)).unwrap();
}

/// `check` fails listing `expected` (file name, line, message part) and writers change nothing.
fn assert_reported_and_refused(env: &TestEnv, expected: &[(&str, usize, &str)]) {
    let out = env.cmd().arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "check must exit 1:\n{stderr}");
    for (file, line, message) in expected {
        let located = stderr
            .lines()
            .any(|l| l.contains(file) && l.contains(&format!(":{line}:")) && l.contains(message));
        assert!(
            located,
            "expected {file}:{line}:..: {message} in:\n{stderr}"
        );
    }
    assert!(stderr.contains("hint:"), "no hint in:\n{stderr}");

    let before = env.snapshot_files();
    let writers: [&[&str]; 5] = [
        &["--as", "maria", "lead", "add", "Initech"],
        &["--as", "maria", "lead", "stage", "acme-corp", "sql"],
        &["--as", "maria", "lead", "edit", "acme-corp", "--note", "x"],
        &[
            "--as",
            "maria",
            "lead",
            "qualify",
            "acme-corp",
            "--met",
            "budget",
        ],
        &["member", "add", "lee", "--name", "Lee", "--dept", "hr"],
    ];
    for args in writers {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?} must refuse:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let list = env.cmd().args(["lead", "list"]).output().unwrap();
    assert_eq!(
        list.status.code(),
        Some(1),
        "lead list must refuse a damaged workspace"
    );
    assert_eq!(
        env.snapshot_files(),
        before,
        "a refused command changed a file"
    );
}

#[test]
fn truncated_toml_is_located() {
    let env = damaged(|_, file| {
        edit(file, |t| {
            format!("{t}\n[[entry]]\nat = 2026-11-20T12:00:00+01:00\nby = \"mar")
        })
    });
    let lines = std::fs::read_to_string(journal_files(&env.ws).pop().unwrap())
        .unwrap()
        .lines()
        .count();
    assert_reported_and_refused(&env, &[("maria-", lines, "")]);
}

#[test]
fn a_wrong_type_is_located() {
    let env = damaged(|_, file| edit(file, |t| t.replacen("value = 5000", "value = \"a lot\"", 1)));
    let text = std::fs::read_to_string(journal_files(&env.ws).pop().unwrap()).unwrap();
    let line = text.lines().position(|l| l.starts_with("value =")).unwrap() + 1;
    assert_reported_and_refused(&env, &[("maria-", line, "invalid type")]);
}

#[test]
fn an_unknown_stage_and_an_unknown_member_are_both_reported() {
    let env = damaged(|_, file| {
        edit(file, |t| {
            t.replace("stage = \"mql\"", "stage = \"mqll\"").replacen(
                "owner = \"maria\"",
                "owner = \"mario\"",
                1,
            )
        })
    });
    let text = std::fs::read_to_string(journal_files(&env.ws).pop().unwrap()).unwrap();
    let stage_line = text.lines().position(|l| l.contains("\"mqll\"")).unwrap() + 1;
    let owner_line = text.lines().position(|l| l.contains("\"mario\"")).unwrap() + 1;
    assert_reported_and_refused(
        &env,
        &[
            ("maria-", stage_line, "unknown stage `mqll`"),
            ("maria-", owner_line, "unknown member `mario`"),
        ],
    );
    let stderr = String::from_utf8(env.cmd().arg("check").output().unwrap().stderr).unwrap();
    assert!(stderr.contains("did you mean `maria`?"), "{stderr}");
}

#[test]
fn leftover_conflict_markers_are_reported() {
    let env = damaged(|_, file| {
        edit(file, |t| {
            format!("{t}\n<<<<<<< HEAD\n[[entry]]\n=======\n[[entry]]\n>>>>>>> origin/main\n")
        })
    });
    let text = std::fs::read_to_string(journal_files(&env.ws).pop().unwrap()).unwrap();
    let marker = text.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
    assert_reported_and_refused(
        &env,
        &[
            ("maria-", marker, "merge-conflict marker"),
            ("maria-", marker + 2, "merge-conflict marker"),
        ],
    );
}

#[test]
fn conflict_markers_do_not_hide_the_files_other_problems() {
    let env = damaged(|_, file| {
        edit(file, |t| {
            let t = t.replacen("value = 5000", "value = \"a lot\"", 1);
            format!("{t}\n<<<<<<< HEAD\n=======\n>>>>>>> origin/main\n")
        })
    });
    let text = std::fs::read_to_string(journal_files(&env.ws).pop().unwrap()).unwrap();
    let value = text.lines().position(|l| l.starts_with("value =")).unwrap() + 1;
    let marker = text.lines().position(|l| l.starts_with("<<<<<<<")).unwrap() + 1;
    assert_reported_and_refused(
        &env,
        &[
            ("maria-", marker, "merge-conflict marker"),
            ("maria-", value, "invalid type"),
        ],
    );
}

#[test]
fn a_bad_growth_toml_is_located() {
    let env = damaged(|env, _| {
        edit(&env.ws.join("growth.toml"), |t| {
            t.replace(
                "timezone = \"Europe/Berlin\"",
                "timezone = \"Europe/Berln\"",
            )
        })
    });
    let text = std::fs::read_to_string(env.ws.join("growth.toml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("timezone"))
        .unwrap()
        + 1;
    assert_reported_and_refused(&env, &[("growth.toml", line, "unknown timezone")]);
}

#[test]
fn a_hand_edit_is_noticed_even_when_the_cache_is_warm() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.run(&["lead", "list"]); // warm the cache
    let file = journal_files(&env.ws).pop().unwrap();
    edit(&file, |t| {
        t.replace("company = \"Acme Corp\"", "company = \"Acme Corporation\"")
    });
    let leads = env.leads_json();
    assert_eq!(leads[0]["company"], "Acme Corporation");
}

/// Dates a file an hour ago, as if nobody had touched it since.
fn settle(path: &std::path::Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(path)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
}

#[test]
fn a_writer_notices_changes_to_a_month_it_trusts_without_reading() {
    let env = TestEnv::new();
    let october = |args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", "2026-10-05"];
        all.extend_from_slice(args);
        env.run(&all)
    };
    october(&["lead", "add", "Acme Corp"]);
    october(&["lead", "add", "Globex"]);
    let month = env.ws.join("journal").join("2026-10");
    let file = journal_files(&env.ws).pop().unwrap();
    settle(&file);
    // A write that reads everything marks October as settled for the writers after it,
    // once its folder has not changed for 2 s (a ctime cannot be dated back).
    std::thread::sleep(std::time::Duration::from_millis(2100));
    std::fs::remove_file(env.ws.join(".growth/cache/index.bin")).unwrap();
    env.maria(&["lead", "add", "Initech"]);

    // Edited in place: the folder's time does not move, the file's does.
    edit(&file, |t| t.replace("\"acme-corp\"", "\"umbrella\""));
    let out = env.maria_output(&["lead", "add", "Umbrella"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));

    // A teammate's file arrives in October (a git pull): the folder's time moves.
    env.maria(&["lead", "add", "Hooli"]);
    let theirs = month.join("tom-zzzz.toml");
    std::fs::write(
        &theirs,
        "[[entry]]\nat = 2026-10-06T10:00:00+02:00\nby = \"tom\"\nkind = \"lead.add\"\n\
         lead = \"stark\"\ncompany = \"Stark\"\nowner = \"tom\"\nstage = \"new\"\n\
         currency = \"USD\"\n",
    )
    .unwrap();
    let out = env.maria_output(&["lead", "add", "Stark"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));

    // And removed again.
    env.maria(&["lead", "add", "Vandelay"]);
    std::fs::remove_file(&theirs).unwrap();
    let out = env.maria_output(&["lead", "stage", "stark", "mql"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.run(&["check"]);
    let ids: Vec<String> = env
        .leads_json()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    for id in ["umbrella", "globex", "initech", "hooli", "vandelay"] {
        assert!(ids.contains(&id.to_string()), "{id} in {ids:?}");
    }
    assert_eq!(ids.len(), 5);
}

#[test]
fn a_damaged_writers_index_is_never_trusted() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "add", "Globex"]);
    // Every byte of the index's tables flipped; its head, which the last 8 bytes point
    // to, left intact, so only the tables' checks can tell.
    let index = env.ws.join(".growth").join("cache").join("index.bin");
    let mut bytes = std::fs::read(&index).unwrap();
    let tail: [u8; 8] = bytes[bytes.len() - 8..].try_into().unwrap();
    let head = usize::try_from(u64::from_le_bytes(tail)).unwrap();
    assert!(head > 8, "the index has tables");
    for b in &mut bytes[8..head] {
        *b ^= 0x55;
    }
    std::fs::write(&index, &bytes).unwrap();
    // The index no longer knows acme-corp: a write that trusted it would add it twice.
    let out = env.maria_output(&["lead", "add", "Acme Corp"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("exists already"), "{stderr}");
    // A write that needs it goes through, and the workspace still checks.
    env.maria(&["lead", "stage", "acme-corp", "mql"]);
    env.run(&["check"]);
    assert_eq!(env.leads_json().len(), 2);
}

#[test]
fn an_unknown_key_in_an_entry_is_reported() {
    let env = damaged(|_, file| {
        edit(file, |t| {
            t.replacen("value = 5000", "value = 5000\nvalu = 6000", 1)
        })
    });
    let text = std::fs::read_to_string(journal_files(&env.ws).pop().unwrap()).unwrap();
    let line = text.lines().position(|l| l.starts_with("valu =")).unwrap() + 1;
    assert_reported_and_refused(&env, &[("maria-", line, "unknown field `valu`")]);
}

#[test]
fn an_unreadable_entry_does_not_echo_through_later_ones() {
    // The `lead.add` of globex is damaged; the stage change of globex must not be reported too.
    let env = damaged(|_, file| {
        edit(file, |t| {
            t.replacen("company = \"Globex\"", "company = 7", 1)
        })
    });
    let out = env.cmd().arg("check").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 problem in 1 file"), "{stderr}");
}

#[test]
fn a_write_retried_on_the_full_state_reports_what_it_recorded() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme"]);
    env.maria(&["lead", "add", "Acme Corp"]);
    env.maria(&["lead", "qualify", "acme-corp", "--met", "budget"]);
    // Damage the index's first chunk: `acme` is no longer found there, so the first try
    // resolves `acme` to `acme-corp` (known from the log), already qualified; the retry on
    // the full state finds `acme` itself and records for it.
    let index = env.ws.join(".growth").join("cache").join("index.bin");
    let mut bytes = std::fs::read(&index).unwrap();
    bytes[8 + 6] ^= 0x55;
    std::fs::write(&index, &bytes).unwrap();
    let said = env.maria(&["lead", "qualify", "acme", "--met", "budget"]);
    assert!(!said.contains("already"), "{said}");
    let leads = env.leads_json();
    let acme = leads.iter().find(|l| l["id"] == "acme").unwrap();
    assert_eq!(acme["met"], serde_json::json!(["budget"]));
}
