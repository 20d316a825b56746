//! `lead import` read as a stream (issue #16): lines of bad rows, files that are not
//! UTF-8, and `--dry-run` planned against the writers' index as the import itself is.

use std::path::Path;

use crate::common::{TestEnv, import};

fn counts(outcome: &serde_json::Value) -> (u64, u64, u64, usize) {
    let n = |k: &str| outcome[k].as_u64().unwrap();
    let skipped = outcome["skipped"].as_array().unwrap().len();
    (n("added"), n("updated"), n("unchanged"), skipped)
}

fn export(
    env: &TestEnv,
    name: &str,
    rows: std::ops::Range<usize>,
    stage: &str,
) -> std::path::PathBuf {
    let mut csv = String::from("company,email,stage,value\n");
    for i in rows {
        csv.push_str(&format!(
            "Company {i},buyer{i}@co{i}.example,{stage},{}\n",
            1000 + i
        ));
    }
    csv.push_str(",nobody@co.example,new,1\n");
    let file = env.ws.join(name);
    std::fs::write(&file, csv).unwrap();
    file
}

#[test]
fn a_dry_run_counts_what_the_import_then_does_and_writes_nothing() {
    let env = TestEnv::new();
    import(&env, &export(&env, "first.csv", 0..40, "new"), &[]);
    let updated = export(&env, "updated.csv", 20..60, "mql");
    // Right after an import the writers' index is not current: the dry run folds the state.
    let before = env.snapshot_files();
    let folded = import(&env, &updated, &["--dry-run"]);
    assert_eq!(counts(&folded), (20, 20, 0, 1));
    // A write leaves a current index, which the next dry run plans against.
    env.maria(&["lead", "add", "Umbrella Corp", "--stage", "new"]);
    let before_indexed = env.snapshot_files();
    let indexed = import(&env, &updated, &["--dry-run"]);
    assert_eq!(counts(&indexed), counts(&folded));
    assert_eq!(indexed["dry_run"], true);
    let mut after = env.snapshot_files();
    after.remove(Path::new("updated.csv"));
    let mut expected = before_indexed.clone();
    expected.remove(Path::new("updated.csv"));
    assert_eq!(after, expected, "--dry-run writes nothing");
    assert_ne!(before, before_indexed);
    let real = import(&env, &updated, &[]);
    assert_eq!(counts(&real), counts(&indexed));
    let again = import(&env, &updated, &["--dry-run"]);
    assert_eq!(counts(&again), (0, 0, 40, 1));
}

#[test]
fn bad_rows_are_named_by_their_line_past_quoted_line_breaks_and_crlf() {
    let env = TestEnv::new();
    let file = env.ws.join("export.csv");
    let text = "\u{feff}company,contact,stage\r\n\
                Acme,\"Jane\r\nDoe\",new\r\n\
                \r\n\
                ,nobody,new\r\n\
                Globex,\"Hank\nScorpio\",nosuchstage\r\n\
                Initech,Bill,mql";
    std::fs::write(&file, text).unwrap();
    let out = import(&env, &file, &[]);
    assert_eq!(counts(&out), (2, 0, 0, 2));
    let lines: Vec<u64> = out["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [5, 6]);
}

#[test]
fn a_file_that_is_not_utf8_is_refused_by_line_and_nothing_is_written() {
    let env = TestEnv::new();
    let file = env.ws.join("latin1.csv");
    std::fs::write(&file, b"company,stage\nAcme,new\nCaf\xe9 Paris,new\n").unwrap();
    let before = env.snapshot_files();
    let out = env
        .cmd()
        .args(["--as", "maria", "--today", "2026-11-27", "lead", "import"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("latin1.csv:3: the file is not UTF-8 text"),
        "{stderr}"
    );
    assert!(stderr.contains("iconv"), "{stderr}");
    assert_eq!(env.snapshot_files(), before);
}
