//! The cache in `.growth/cache/` is derived and disposable: the journal is the truth.
//! Kept up to date entry by entry, it must be the very bytes a rebuild from scratch
//! writes; damaged or deleted, it may only cost time, never a wrong answer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::common::TestEnv;

/// One thing a person does, as the proptest draws it.
#[derive(Debug, Clone)]
enum Op {
    AddLead(u8),
    Stage(u8, &'static str),
    Tag(u8, &'static str),
    Note(u8),
    Handoff(u8),
    Decide(u8, bool),
    Feedback(u8),
    Action(u8),
    Undo,
    /// A read between writes: the cache catches up incrementally.
    Read,
}

fn op() -> impl Strategy<Value = Op> {
    let lead = 0u8..4;
    prop_oneof![
        lead.clone().prop_map(Op::AddLead),
        (
            lead.clone(),
            prop::sample::select(vec!["mql", "sql", "won", "lost", "nurture"])
        )
            .prop_map(|(l, s)| Op::Stage(l, s)),
        (lead.clone(), prop::sample::select(vec!["saas", "retail"]))
            .prop_map(|(l, t)| Op::Tag(l, t)),
        lead.clone().prop_map(Op::Note),
        lead.clone().prop_map(Op::Handoff),
        (lead.clone(), any::<bool>()).prop_map(|(l, a)| Op::Decide(l, a)),
        (0u8..3).prop_map(Op::Feedback),
        (0u8..3).prop_map(Op::Action),
        Just(Op::Undo),
        Just(Op::Read),
    ]
}

/// The reads compared between a warm cache and a rebuild.
const READS: &[&[&str]] = &[
    &["lead", "list", "--format", "json"],
    &["lead", "show", "lead-0", "--format", "json"],
    // By its company, and by a prefix: the ids from the cache's names.
    &["lead", "show", "Lead 1", "--format", "json"],
    &["lead", "show", "lead-", "--format", "json"],
    &["handoff", "list", "--format", "json"],
    &["feedback", "list", "--format", "json"],
    &["action", "list", "--format", "json"],
    &["progress", "--period", "all", "--format", "json"],
    &["conflicts", "--format", "json"],
    &["agenda", "--format", "json"],
    &["win", "list", "--format", "json"],
    &[
        "report",
        "team",
        "--since",
        "2026-11-01",
        "--format",
        "json",
    ],
];

/// A moment of the test day before most ops (a reader's horizon is 10 minutes past its
/// now, so entries from 09:05 on are in its future): reads as of it look back past the
/// cache of now, and keep their own fold (`past.bin`), which must hold to the same rules.
const LOOK_BACK: &str = "2026-11-20T08:55";
const LOOK_BACK_READS: &[&[&str]] = &[
    &["lead", "list", "--format", "json"],
    &["progress", "--period", "all", "--format", "json"],
];

/// Runs one op at minute `i` of the test day; refusals (a stage a lead already has, a
/// handoff already decided) are part of the draw and change nothing.
fn apply(env: &TestEnv, i: usize, op: &Op) {
    let at = format!("2026-11-20T{:02}:{:02}", 9 + i / 60, i % 60);
    let lead = |l: &u8| format!("lead-{l}");
    let args: Vec<String> = match op {
        Op::AddLead(l) => vec![
            "lead".into(),
            "add".into(),
            format!("Lead {l}"),
            "--id".into(),
            lead(l),
            "--source".into(),
            "webinar".into(),
        ],
        Op::Stage(l, s) => vec!["lead".into(), "stage".into(), lead(l), (*s).into()],
        Op::Tag(l, t) => vec![
            "lead".into(),
            "edit".into(),
            lead(l),
            "--tag".into(),
            (*t).into(),
        ],
        Op::Note(l) => vec![
            "lead".into(),
            "edit".into(),
            lead(l),
            "--note".into(),
            format!("note {i}"),
        ],
        Op::Handoff(l) => vec!["handoff".into(), lead(l), "--to".into(), "tom".into()],
        Op::Decide(l, true) => vec!["handoff".into(), "accept".into(), lead(l)],
        Op::Decide(l, false) => vec![
            "handoff".into(),
            "reject".into(),
            lead(l),
            "--reason".into(),
            "no-budget".into(),
        ],
        Op::Feedback(n) => vec!["feedback".into(), format!("feedback {n} at {i}")],
        Op::Action(n) => vec![
            "action".into(),
            "add".into(),
            format!("action {n}"),
            "--owner".into(),
            "ana".into(),
        ],
        Op::Undo => vec!["undo".into()],
        Op::Read if i.is_multiple_of(2) => vec!["lead".into(), "list".into()],
        Op::Read => vec!["check".into()],
    };
    let who = match op {
        Op::Decide(..) => "tom",
        _ => "maria",
    };
    let mut cmd = env.cmd();
    cmd.args(["--as", who, "--today", "2026-11-20T18:00", "--at", &at]);
    if matches!(op, Op::Read) {
        cmd = env.cmd();
        cmd.args(["--today", "2026-11-20T18:00"]);
    }
    let out = cmd.args(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && out.status.code().is_some_and(|c| c <= 1),
        "growth {args:?}: {stderr}"
    );
}

fn read(env: &TestEnv, args: &[&str]) -> String {
    read_at(env, "2026-11-20T18:00", args)
}

fn read_at(env: &TestEnv, today: &str, args: &[&str]) -> String {
    let out = env
        .cmd()
        .args(["--today", today])
        .args(args)
        .output()
        .unwrap();
    // `lead show lead-0` fails the same way both times when the draw never added it.
    format!(
        "{}\n{}{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn cache_dir(env: &TestEnv) -> PathBuf {
    env.ws.join(".growth").join("cache")
}

/// Every file of the cache folder with its bytes.
fn cache_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            out.insert(
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

/// Every read of `READS`, then the look backs.
fn all_reads(env: &TestEnv) -> Vec<String> {
    let now = READS.iter().map(|args| read(env, args));
    let back = LOOK_BACK_READS
        .iter()
        .map(|args| read_at(env, LOOK_BACK, args));
    now.chain(back).collect()
}

/// What `all_reads`' `i`th read ran, for a failure's message.
fn read_name(i: usize) -> String {
    match READS.get(i) {
        Some(args) => args.join(" "),
        None => format!(
            "--today {LOOK_BACK} {}",
            LOOK_BACK_READS[i - READS.len()].join(" ")
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// After any run of writes and reads, the cache kept up to date step by step holds
    /// the same bytes as one rebuilt from the journal alone, and every read agrees.
    #[test]
    fn the_cache_kept_up_to_date_equals_a_rebuild_byte_for_byte(
        ops in prop::collection::vec(op(), 1..20)
    ) {
        let env = TestEnv::new();
        // A warm cache before the first op, so every op after it is an incremental step.
        read(&env, &["lead", "list"]);
        for (i, op) in ops.iter().enumerate() {
            apply(&env, i, op);
        }
        // Reads of a few sections fold the new entries in memory and leave the file as it
        // was; a read of the whole state (`check`) brings the file up to date.
        let warm_reads = all_reads(&env);
        read(&env, &["check"]);
        let warm = cache_files(&cache_dir(&env));
        std::fs::remove_dir_all(cache_dir(&env)).unwrap();
        let fresh_reads = all_reads(&env);
        read(&env, &["check"]);
        let fresh = cache_files(&cache_dir(&env));
        for (i, (w, f)) in warm_reads.iter().zip(&fresh_reads).enumerate() {
            prop_assert_eq!(w, f, "growth {} differs between the warm cache and a rebuild", read_name(i));
        }
        // Reads rebuild the state; the writers' index is an append log rebuilt by the
        // next write, and the reads above prove it agrees.
        // A look back keeps its own fold only when the cache of now already holds entries
        // past it, which depends on the order of reads; where both have one, they agree.
        prop_assert!(fresh.contains_key("state.bin"));
        for name in fresh.keys() {
            if name == "past.bin" && !warm.contains_key(name) {
                continue;
            }
            prop_assert!(warm.contains_key(name), "a rebuild wrote {} that the warm cache lacks", name);
            let bytes = &warm[name];
            prop_assert!(
                bytes == &fresh[name],
                "cache file {} differs from a rebuild ({} bytes against {})",
                name, bytes.len(), fresh[name].len()
            );
        }
    }
}

/// A workspace with a bit of everything, its cache warm.
fn busy_workspace() -> TestEnv {
    let env = TestEnv::new();
    let ops = [
        Op::AddLead(0),
        Op::AddLead(1),
        Op::Tag(0, "saas"),
        Op::Stage(0, "mql"),
        Op::Handoff(0),
        Op::Decide(0, true),
        Op::Handoff(1),
        Op::Note(1),
        Op::Feedback(0),
        Op::Action(0),
    ];
    for (i, op) in ops.iter().enumerate() {
        apply(&env, i, op);
    }
    read(&env, &["lead", "list"]);
    read_at(&env, LOOK_BACK, &["lead", "list"]);
    env
}

/// Ways a cache file can be damaged: by a crash, a full disk, a person, another version.
fn damages(bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut flipped = bytes.to_vec();
    if let Some(b) = flipped.get_mut(bytes.len() / 2) {
        *b ^= 0x5a;
    }
    let mut tail_flipped = bytes.to_vec();
    if let Some(b) = tail_flipped.last_mut() {
        *b ^= 0xff;
    }
    vec![
        ("emptied", Vec::new()),
        ("cut in half", bytes[..bytes.len() / 2].to_vec()),
        ("one byte flipped in the middle", flipped),
        ("its last byte flipped", tail_flipped),
        ("garbage", b"not a cache at all\n".repeat(64)),
        ("doubled", [bytes, bytes].concat()),
    ]
}

#[test]
fn a_damaged_or_deleted_cache_file_costs_time_never_correctness() {
    let env = busy_workspace();
    let truth = all_reads(&env);
    let dir = cache_dir(&env);
    let originals = cache_files(&dir);
    assert!(
        originals.contains_key("state.bin") && originals.contains_key("past.bin"),
        "the reads should have written the cache of now and a look back's"
    );
    for (name, bytes) in &originals {
        let path = dir.join(name);
        let mut cases = damages(bytes);
        cases.push(("deleted", Vec::new()));
        for (how, damaged) in cases {
            // Start every case from the healthy cache.
            for (n, b) in &originals {
                std::fs::write(dir.join(n), b).unwrap();
            }
            if how == "deleted" {
                std::fs::remove_file(&path).unwrap();
            } else {
                std::fs::write(&path, &damaged).unwrap();
            }
            let reads = all_reads(&env);
            for (i, (got, want)) in reads.iter().zip(&truth).enumerate() {
                assert_eq!(
                    got,
                    want,
                    "with {name} {how}, growth {} answered differently",
                    read_name(i)
                );
            }
            let check = env
                .cmd()
                .args(["--today", "2026-11-20T18:00", "check"])
                .output()
                .unwrap();
            assert!(
                check.status.success(),
                "with {name} {how}, check failed: {}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
    }
    // The whole folder gone, or replaced by a file: still the same answers.
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(all_reads(&env), truth);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::write(&dir, b"a file where the cache folder was").unwrap();
    let reads = all_reads(&env);
    for (got, want) in reads.iter().zip(&truth) {
        assert_eq!(
            got, want,
            "with the cache folder replaced by a file, reads answered differently"
        );
    }
}

/// A write on top of a damaged cache records on the truth, not on the damage.
#[test]
fn a_write_over_a_damaged_cache_lands_on_the_journal_truth() {
    let env = busy_workspace();
    let dir = cache_dir(&env);
    for (name, bytes) in cache_files(&dir) {
        let mut flipped = bytes.clone();
        if let Some(b) = flipped.get_mut(bytes.len() / 3) {
            *b ^= 0x33;
        }
        std::fs::write(dir.join(name), flipped).unwrap();
    }
    apply(&env, 30, &Op::Stage(1, "sql"));
    let after_damage = all_reads(&env);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(all_reads(&env), after_damage);
}
