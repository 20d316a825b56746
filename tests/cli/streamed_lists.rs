//! Lists of every record (`lead list`, `lead export`, `handoff list`, in every format and
//! at several widths) read from a current cache render each record as it passes and print
//! them in order afterwards: they must print exactly what the whole state prints, from a
//! current cache and from one this clone wrote a few entries past, and the order and the
//! count must be right on their own terms (so a sort or a drop shared by both paths fails).

use std::path::{Path, PathBuf};

use crate::common::TestEnv;
use crate::meetings::example;

/// The example's stages, in pipeline order.
const STAGES: [&str; 7] = ["new", "nurture", "mql", "sql", "opportunity", "won", "lost"];

/// Leads imported at one moment: more than one chunk of the cache (2,048 leads), every one
/// with the same `updated`, so their order rests on the id.
const IMPORTED: usize = 2100;

/// The example workspace (leads in every stage, handoffs) with `IMPORTED` leads made at
/// the same moment, a few of them moved on (one lost: closed, out of the table's worth),
/// and two archived leads, one of them with an open handoff (both out of every list).
fn workspace(env: &TestEnv) -> PathBuf {
    let ws = example();
    let file = crate::common::crm_export(&ws, IMPORTED);
    let maria = |args: &[&str]| {
        let all = [&["--as", "maria", "--today", "2026-11-27"][..], args].concat();
        run(env, &ws, None, &all)
    };
    maria(&["lead", "import", file.to_str().unwrap_or_default()]);
    maria(&["lead", "archive", "mariner-dental-labs"]);
    maria(&["lead", "archive", "company-number-7-holdings"]);
    for (lead, stage) in [
        ("company-number-1-holdings", "mql"),
        ("company-number-2-holdings", "won"),
        ("company-number-3-holdings", "lost"),
        ("company-number-2049-holdings", "sql"),
    ] {
        maria(&["lead", "stage", lead, stage]);
    }
    ws
}

/// stdout of growth in `ws` (with `COLUMNS` when given, else no width at all), which must
/// succeed; the note on stderr about hidden columns is appended, so it is compared too.
fn run(env: &TestEnv, ws: &Path, columns: Option<&str>, args: &[&str]) -> String {
    let mut cmd = assert_cmd::Command::new(crate::common::BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.arg("-C").arg(ws).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "growth {args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap() + &stderr
}

/// Every listing of every record, in every format; tables at three widths (wide, columns
/// dropped, the company wrapped) and with no width.
fn reads() -> Vec<(Option<&'static str>, Vec<&'static str>)> {
    let mut reads = Vec::new();
    for columns in [None, Some("120"), Some("60"), Some("34")] {
        reads.push((columns, vec!["lead", "list"]));
        reads.push((columns, vec!["handoff", "list"]));
    }
    for read in [
        &["lead", "list", "--format", "csv"][..],
        &["lead", "list", "--format", "json"],
        &["lead", "list", "--stage", "new", "--format", "json"],
        &["lead", "export"],
        &["lead", "export", "--format", "json"],
        &["handoff", "list", "--format", "csv"],
        &["handoff", "list", "--format", "json"],
    ] {
        reads.push((Some("100"), read.to_vec()));
    }
    reads
}

/// Each read from a state rebuilt from the journal (no cache: the rebuild leaves one)
/// and then from that cache, streamed, as of `today`: the same bytes. Answers the reads
/// that differ.
fn differing(env: &TestEnv, ws: &Path, today: &str) -> Vec<String> {
    let mut differ = Vec::new();
    for (columns, read) in reads() {
        let args = [&["--today", today][..], &read].concat();
        let _ = std::fs::remove_dir_all(ws.join(".growth").join("cache"));
        let whole = run(env, ws, columns, &args);
        assert!(
            ws.join(".growth/cache/state.bin").is_file(),
            "the rebuild kept no cache"
        );
        let streamed = run(env, ws, columns, &args);
        if whole != streamed {
            eprintln!("{columns:?} {args:?}\n--- whole\n{whole}\n--- streamed\n{streamed}");
            differ.push(format!("{columns:?} {}", args.join(" ")));
        }
        assert!(!streamed.contains("mariner-dental-labs"), "{streamed}");
        assert!(
            !streamed.contains("company-number-7-holdings"),
            "{streamed}"
        );
    }
    differ
}

#[test]
fn every_list_of_every_record_streamed_from_the_cache_equals_the_whole_state() {
    let env = TestEnv::empty();
    let ws = workspace(&env);
    let differ = differing(&env, &ws, "2026-11-30");
    assert!(
        differ.is_empty(),
        "differs from the whole state: {differ:#?}"
    );
}

/// From a current cache, this clone writes a few entries (a new lead, stage changes, a
/// handoff and its acceptance, an archive); then every list read from that cache plus the
/// entries (the writers' index put aside, so the stream serves them) and read with the
/// index, equals the list of a state rebuilt from the journal.
#[test]
fn every_list_streamed_after_a_write_equals_the_whole_state() {
    let env = TestEnv::empty();
    let ws = workspace(&env);
    let today = "2026-11-30";
    let cache = ws.join(".growth").join("cache");
    let _ = std::fs::remove_dir_all(&cache);
    run(&env, &ws, None, &["--today", today, "progress"]);
    let state = std::fs::read(cache.join("state.bin")).expect("the read kept a cache");
    let writes: [&[&str]; 6] = [
        &["lead", "add", "Northwind Analytics", "--value", "42000"],
        &["lead", "stage", "northwind-analytics", "mql"],
        &["lead", "stage", "company-number-2050-holdings", "won"],
        &["handoff", "northwind-analytics", "--to", "tom"],
        &["handoff", "accept", "northwind-analytics"],
        &["lead", "archive", "company-number-5-holdings"],
    ];
    for write in writes {
        let who = if write[0] == "handoff" && write[1] == "accept" {
            "tom"
        } else {
            "maria"
        };
        let all = [&["--as", who, "--today", today][..], write].concat();
        run(&env, &ws, None, &all);
    }
    assert_eq!(
        std::fs::read(cache.join("state.bin")).ok(),
        Some(state),
        "the writes rewrote the cache: the reads would not pass the entries after it"
    );
    let mut differ = Vec::new();
    for indexed in [false, true] {
        for (columns, read) in reads() {
            let args = [&["--today", today][..], &read].concat();
            let index = cache.join("index.bin");
            let kept = std::fs::read(&index).ok();
            if !indexed {
                let _ = std::fs::remove_file(&index);
            }
            let tail = run(&env, &ws, columns, &args);
            // The rebuild, then the cache and index as the writes left them.
            let saved = crate::common::files_under(&cache);
            let _ = std::fs::remove_dir_all(&cache);
            let whole = run(&env, &ws, columns, &args);
            let _ = std::fs::remove_dir_all(&cache);
            for (rel, bytes) in saved {
                let path = cache.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            if let Some(kept) = kept {
                std::fs::write(&index, kept).unwrap();
            }
            if whole != tail {
                eprintln!("{columns:?} {args:?}\n--- whole\n{whole}\n--- after the write\n{tail}");
                differ.push(format!("index {indexed}, {columns:?}: {}", args.join(" ")));
            }
            // (It is no longer new.)
            assert_eq!(
                tail.contains("northwind-analytics"),
                !read.contains(&"--stage"),
                "{args:?}: {tail}"
            );
            assert!(!tail.contains("company-number-5-holdings"), "{tail}");
        }
    }
    assert!(
        differ.is_empty(),
        "differs from the whole state: {differ:#?}"
    );
}

/// The lists' order and count on their own terms: leads by stage in pipeline order, the
/// most recently changed first, then by id; handoffs newest first; every lead that is not
/// archived listed once, in every format.
#[test]
fn every_list_holds_each_record_once_in_its_order() {
    let env = TestEnv::empty();
    let ws = workspace(&env);
    let today = ["--today", "2026-11-30"];
    // From the cache (the first read leaves one), then streamed from it.
    for _ in 0..2 {
        // No width: no cell wraps, one line per lead.
        let read = |args: &[&str]| run(&env, &ws, None, &[&today[..], args].concat());
        let leads: Vec<serde_json::Value> =
            serde_json::from_str(&read(&["lead", "list", "--format", "json"])).unwrap();
        // The example's 30 leads, those imported, less the two archived.
        let count = 30 + IMPORTED - 2;
        assert_eq!(leads.len(), count);
        let key = |l: &serde_json::Value| {
            let stage = STAGES.iter().position(|s| l["stage"] == *s);
            let updated = chrono::DateTime::parse_from_rfc3339(l["updated"].as_str().unwrap())
                .unwrap()
                .timestamp_millis();
            let id = l["id"].as_str().unwrap().to_string();
            (stage, std::cmp::Reverse(updated), id)
        };
        let keys: Vec<_> = leads.iter().map(key).collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "not in order: {keys:?}"
        );
        let mut by_id: Vec<&str> = keys.iter().map(|k| k.2.as_str()).collect();
        by_id.sort_unstable();
        by_id.dedup();
        assert_eq!(by_id.len(), count);
        let export: Vec<serde_json::Value> =
            serde_json::from_str(&read(&["lead", "export", "--format", "json"])).unwrap();
        let exported: Vec<&str> = export.iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(exported, by_id, "the export is every lead by id");
        let table = read(&["lead", "list"]);
        assert_eq!(table.lines().count(), count + 3, "header, rule, summary");
        let open = leads
            .iter()
            .filter(|l| l["stage"] != "won" && l["stage"] != "lost")
            .count();
        let summary = format!("{count} leads, {open} open worth ");
        assert!(table.contains(&format!("\n{summary}")), "{table}");
        // The header and each row end in CRLF (no cell here holds a line break).
        for list in [
            &["lead", "list", "--format", "csv"][..],
            &["lead", "export"],
        ] {
            assert_eq!(read(list).matches("\r\n").count(), count + 1, "{list:?}");
        }
        let handoffs: Vec<serde_json::Value> =
            serde_json::from_str(&read(&["handoff", "list", "--format", "json"])).unwrap();
        let keys: Vec<_> = handoffs
            .iter()
            .map(|h| {
                let at = chrono::DateTime::parse_from_rfc3339(h["at"].as_str().unwrap())
                    .unwrap()
                    .timestamp_millis();
                (std::cmp::Reverse(at), h["id"].as_str().unwrap().to_string())
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "not in order: {keys:?}"
        );
        assert!(
            handoffs
                .iter()
                .all(|h| !h["company"].as_str().unwrap().is_empty())
        );
    }
}
