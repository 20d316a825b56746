//! Hostile input: arbitrary Unicode through every record type, a corpus of damaged files,
//! escape sequences on a real terminal, and `check --repair`.

use std::path::Path;
use std::time::Duration;

use proptest::prelude::*;

use crate::common::{TestEnv, files_under, journal_files};

/// Text people could type or paste: controls, bidi overrides, emoji, quotes, newlines,
/// TOML's own `"""`. No NUL (the OS cannot pass it in an argument).
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\u{1b}[31m",
        "\u{7}",
        "\u{202e}",
        "\u{2066}",
        "\u{85}",
        "\u{9c}",
        "\r\n",
        "\n",
        "\t",
        "\"\"\"",
        "'''",
        "\"",
        "\\",
        "#",
        "[[entry]]",
        "=",
        "<script>",
        "|",
        "🚀",
        "Müller",
        "日本",
        "\u{200d}",
        " ",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(String::from), "[a-zA-Z0-9 ]{1,6}"],
        1..8,
    )
    .prop_map(|parts| parts.concat())
    .prop_filter("not blank", |s| !s.trim().is_empty())
}

fn json(env: &TestEnv, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&env.run(args)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every record type keeps arbitrary text exactly (growth trims only the ends).
    #[test]
    fn every_record_type_reads_back_what_was_written(text in hostile_text(), other in hostile_text()) {
        let env = TestEnv::new();
        let t = text.trim();
        let at = |args: &[&str]| {
            let mut all = vec!["--as", "maria", "--today", "2026-11-20"];
            all.extend_from_slice(args);
            env.run(&all)
        };
        at(&["lead", "add", "--id", "x", "--contact", &other, &format!("--note={text}"), "--", &text]);
        let lead = json(&env, &["lead", "show", "x", "--format", "json"]);
        prop_assert_eq!(lead["company"].as_str(), Some(t));
        prop_assert_eq!(lead["contact"].as_str(), Some(other.as_str()));
        prop_assert_eq!(lead["notes"][0]["text"].as_str(), Some(text.as_str()));
        let h = at(&["-q", "handoff", "x", "--to", "tom", &format!("--note={text}")]);
        let handoffs = json(&env, &["handoff", "list", "--format", "json"]);
        prop_assert_eq!(handoffs[0]["note"].as_str(), Some(text.as_str()));
        at(&["handoff", "reject", h.trim(), "--reason", "bad-timing", &format!("--note={other}")]); // maria leads: she may decide
        at(&["feedback", "--anonymous", "--", &text]);
        at(&["idea", &format!("--offer={other}"), "--", &text]);
        at(&["win", "--credit", "tom", "--", &text]);
        at(&["action", "add", "--owner", "tom", "--", &text]);
        at(&["goal", "add", "--metric", "manual", "--target", "5", "--from", "2026-11-01", "--to", "2026-11-30", "--id", "g", "--", &text]);
        at(&["meeting", "record", "--date", "2026-11-20", "--attendee", "maria", &format!("--note={text}"), &format!("--decision={other}")]);
        let feedback_list = json(&env, &["feedback", "list", "--format", "json"]);
        prop_assert_eq!(feedback_list[0]["text"].as_str(), Some(t));
        let idea = &json(&env, &["idea", "list", "--format", "json"])[0];
        prop_assert_eq!(idea["text"].as_str(), Some(t));
        prop_assert_eq!(idea["offer"].as_str(), Some(other.as_str()));
        let win_list = json(&env, &["win", "list", "--format", "json"]);
        prop_assert_eq!(win_list[0]["text"].as_str(), Some(t));
        let action_list = json(&env, &["action", "list", "--format", "json"]);
        prop_assert_eq!(action_list[0]["text"].as_str(), Some(t));
        let goal_list = json(&env, &["goal", "list", "--format", "json"]);
        prop_assert_eq!(goal_list[0]["title"].as_str(), Some(t));
        let minutes = json(&env, &["meeting", "show", "2026-11-20", "--format", "json"]);
        prop_assert_eq!(minutes["notes"][0]["text"].as_str(), Some(text.as_str()));
        prop_assert_eq!(minutes["decisions"][0]["text"].as_str(), Some(other.as_str()));
        // And a fresh fold of the files agrees with the caches.
        let cached = env.run(&["lead", "export", "--format", "json"]);
        std::fs::remove_dir_all(env.ws.join(".growth").join("cache")).unwrap();
        prop_assert_eq!(env.run(&["lead", "export", "--format", "json"]), cached);
        env.run(&["check"]);
    }
}

/// A small real workspace to damage: one journal file with every kind of entry.
fn victim() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::new();
    let at = |args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", "2026-11-20"];
        all.extend_from_slice(args);
        env.run(&all)
    };
    at(&[
        "lead",
        "add",
        "Acme Corp",
        "--value",
        "12,500",
        "--tag",
        "emea",
        "--note",
        "CFO \"Jane\"\nsigns",
    ]);
    at(&["lead", "qualify", "acme", "--met", "budget,need,timeline"]);
    at(&["handoff", "acme", "--to", "tom"]);
    at(&["feedback", "Great leads", "--kind", "working"]);
    at(&[
        "action",
        "add",
        "Call Jane",
        "--owner",
        "tom",
        "--due",
        "2026-11-24",
    ]);
    at(&[
        "goal",
        "add",
        "Q4 leads",
        "--metric",
        "leads",
        "--target",
        "10",
        "--from",
        "2026-10-01",
        "--to",
        "2026-12-31",
    ]);
    let file = journal_files(&env.ws)
        .into_iter()
        .find(|p| p.to_string_lossy().contains("maria-"))
        .unwrap();
    (env, file)
}

/// `check` on the damaged workspace: no panic, problems or success, and no byte changed.
fn check_survives(root: &Path) {
    let before = files_under(root);
    let result = std::panic::catch_unwind(|| growth::store::Workspace::check(root, None));
    assert!(result.is_ok(), "check panicked");
    assert_eq!(files_under(root), before, "check changed a file");
}

#[test]
fn a_journal_file_truncated_at_every_byte_is_reported_never_a_panic() {
    let (env, file) = victim();
    let whole = std::fs::read(&file).unwrap();
    let mut reported = 0;
    for cut in 0..whole.len() {
        std::fs::write(&file, &whole[..cut]).unwrap();
        check_survives(&env.ws);
        if growth::store::Workspace::check(&env.ws, None).is_err() {
            reported += 1;
        }
    }
    assert!(
        reported > whole.len() / 4,
        "truncations should mostly be caught ({reported} of {})",
        whole.len()
    );
}

#[test]
fn random_byte_flips_never_panic_nor_write() {
    let (env, file) = victim();
    let whole = std::fs::read(&file).unwrap();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..400 {
        let mut bytes = whole.clone();
        for _ in 0..3 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = (seed % bytes.len() as u64) as usize;
            bytes[i] = (seed >> 32) as u8;
        }
        std::fs::write(&file, &bytes).unwrap();
        check_survives(&env.ws);
    }
}

#[test]
fn pathological_files_are_refused_with_a_location() {
    let (env, file) = victim();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("nested arrays", format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        ("nested tables", format!("x = {}1{}\n", "{a=".repeat(100_000), "}".repeat(100_000)).into_bytes()),
        ("invalid UTF-8", b"[[entry]]\nat = 2026-11-20T12:00:00+01:00\nby = \"\xff\xfe\"\n".to_vec()),
        ("a NUL byte", b"[[entry]]\nat = 2026-11-20T12:00:00+01:00\0\n".to_vec()),
        ("year 0", b"[[entry]]\nat = 0000-01-01T00:00:00Z\nby = \"maria\"\nkind = \"lead.add\"\nlead = \"y\"\ncompany = \"Y\"\n".to_vec()),
        ("year 9999", b"[[entry]]\nat = 9999-12-31T00:00:00Z\nby = \"maria\"\nkind = \"lead.add\"\nlead = \"y\"\ncompany = \"Y\"\n".to_vec()),
        ("NaN", b"[[entry]]\nat = 2026-11-21T00:00:00Z\nby = \"maria\"\nkind = \"lead.add\"\nlead = \"y\"\ncompany = \"Y\"\nvalue = nan\n".to_vec()),
        ("1e308", b"[[entry]]\nat = 2026-11-21T00:00:00Z\nby = \"maria\"\nkind = \"lead.add\"\nlead = \"y\"\ncompany = \"Y\"\nvalue = 1e308\n".to_vec()),
        ("an id with a slash", b"[[entry]]\nat = 2026-11-21T00:00:00Z\nby = \"maria\"\nkind = \"lead.add\"\nlead = \"../etc\"\ncompany = \"Y\"\n".to_vec()),
        ("an id with a control", b"[[entry]]\nat = 2026-11-21T00:00:00Z\nby = \"maria\"\nkind = \"lead.add\"\nlead = \"a\\u001bb\"\ncompany = \"Y\"\n".to_vec()),
    ];
    let extra = file.with_file_name("maria-zzzz.toml");
    for (name, bytes) in cases {
        std::fs::write(&extra, &bytes).unwrap();
        check_survives(&env.ws);
        let problems = growth::store::Workspace::check(&env.ws, None)
            .err()
            .unwrap_or_else(|| panic!("{name} was accepted"));
        assert!(
            problems
                .iter()
                .any(|p| p.path == extra && p.line >= 1 && p.col >= 1),
            "{name}: {problems:?}"
        );
        // Every other command refuses too.
        let out = env
            .cmd()
            .args(["--as", "maria", "lead", "add", "Other"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
    }
    std::fs::remove_file(&extra).unwrap();
    env.run(&["check"]);
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let (env, file) = victim();
    let huge = file.with_file_name("maria-huge.toml");
    // 200 MB, sparse: refusing it must not need reading it.
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let started = std::time::Instant::now();
    let out = env.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("over the 64 MiB growth reads"));
    assert!(started.elapsed() < Duration::from_secs(20));
    std::fs::remove_file(&huge).unwrap();
}

#[test]
fn repair_mends_conflicts_and_unreadable_entries_with_a_backup() {
    let (env, file) = victim();
    let text = std::fs::read_to_string(&file).unwrap();
    let entries: Vec<&str> = text.split("\n[[entry]]\n").collect();
    let mut damaged = entries[0].to_string();
    for (i, e) in entries[1..].iter().enumerate() {
        let e = match i {
            1 => format!("<<<<<<< HEAD\n[[entry]]\n{e}=======\n"),
            2 => format!("[[entry]]\n{e}>>>>>>> theirs\n"),
            4 => format!("[[entry]]\n{}", e.replace("kind = \"", "kind = broken \"")),
            _ => format!("[[entry]]\n{e}"),
        };
        damaged.push('\n');
        damaged.push_str(&e);
    }
    std::fs::write(&file, &damaged).unwrap();
    assert_eq!(
        env.cmd().arg("check").output().unwrap().status.code(),
        Some(1)
    );
    let out = env.run(&["--today", "2026-11-27", "check", "--repair"]);
    assert!(
        out.contains("removed 3 conflict-marker lines")
            && out.contains("took out 1 unreadable entry"),
        "{out}"
    );
    assert!(out.contains("ok: the workspace is valid again"), "{out}");
    let backups = files_under(&env.ws.join(".growth").join("backup"));
    assert_eq!(
        backups.values().next().map(Vec::as_slice),
        Some(damaged.as_bytes()),
        "the damaged original is kept"
    );
    env.run(&["check"]);

    // Damaged again and repaired again under the same frozen clock: the first repair's
    // original is still there, beside the second's.
    let mended = std::fs::read_to_string(&file).unwrap();
    let again = format!("{mended}<<<<<<< HEAD\n");
    std::fs::write(&file, &again).unwrap();
    env.run(&["--today", "2026-11-27", "check", "--repair"]);
    let backups = files_under(&env.ws.join(".growth").join("backup"));
    let kept: Vec<&[u8]> = backups.values().map(Vec::as_slice).collect();
    assert_eq!(backups.len(), 2, "{:?}", backups.keys());
    assert!(kept.contains(&damaged.as_bytes()) && kept.contains(&again.as_bytes()));
}

#[test]
fn escape_sequences_in_user_text_never_reach_a_terminal() {
    let env = TestEnv::new();
    env.maria(&[
        "lead",
        "add",
        "--id",
        "evil",
        "--contact",
        "\u{1b}]0;pwned\u{7}",
        "--",
        "Evil\u{1b}[2J\u{1b}[31m Corp\u{202e}",
    ]);
    for args in [
        vec!["lead", "list"],
        vec!["lead", "show", "evil"],
        vec!["agenda", "--date", "2026-11-30"],
        vec!["lead", "list", "--format", "csv"],
        vec!["lead", "list", "--format", "json"],
    ] {
        let mut cmd = crate::common::terminal_command(&env.home, &env.ws);
        cmd.env("NO_COLOR", "1")
            .args(["--today", "2026-11-27"])
            .args(&args);
        let text = crate::common::terminal_screen(cmd);
        assert!(
            !text.contains('\u{1b}'),
            "{args:?} let an ESC through: {text:?}"
        );
        assert!(
            !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{args:?}: {text:?}"
        );
        assert!(text.contains("Evil"), "{args:?}: {text:?}");
    }
}
