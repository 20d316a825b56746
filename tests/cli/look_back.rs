//! A read that looks back (`--today` before entries of the journal: last week's agenda)
//! folds the journal as of then into its own file (`past.bin`), and leaves the cache of
//! now as it was, so the reads of now stay cheap, and the look backs after it too.

use crate::common::TestEnv;

/// The leads as of the 24th: Early Co, not Late Co.
const LOOK_BACK: [&str; 6] = ["--today", "2026-11-24", "lead", "list", "--format", "json"];

/// A lead recorded after the look back, dated before it.
const BACKDATED: [&str; 7] = [
    "--as",
    "maria",
    "--today",
    "2026-11-21",
    "lead",
    "add",
    "Backdated Co",
];

/// A workspace with a lead added on the 20th and one on the 27th.
fn early_and_late() -> TestEnv {
    let env = TestEnv::new();
    for (day, company) in [("2026-11-20", "Early Co"), ("2026-11-27", "Late Co")] {
        env.run(&["--as", "maria", "--today", day, "lead", "add", company]);
    }
    env
}

#[test]
fn a_look_back_keeps_the_cache_of_now() {
    let env = early_and_late();
    let cache = env.ws.join(".growth/cache/state.bin");
    let now = env.run(&["--today", "2026-11-30", "agenda", "--format", "json"]);
    let kept = std::fs::read(&cache).expect("a read leaves a cache");

    // As of the 24th, Late Co does not exist yet; the cache of now is left alone.
    let then = env.run(&LOOK_BACK);
    assert!(
        then.contains("Early Co") && !then.contains("Late Co"),
        "{then}"
    );
    assert!(
        std::fs::read(&cache).unwrap() == kept,
        "the look back replaced the cache"
    );
    assert_eq!(
        env.run(&["--today", "2026-11-30", "agenda", "--format", "json"]),
        now
    );

    // Without a cache of now, a look back keeps its own fold in its own file still: the
    // cache of now is for the reads of now, which could not use a fold as of last week.
    std::fs::remove_file(&cache).unwrap();
    std::fs::remove_file(env.ws.join(".growth/cache/past.bin")).unwrap();
    env.run(&["--today", "2026-11-24", "lead", "list"]);
    assert!(!cache.exists() && env.ws.join(".growth/cache/past.bin").exists());
}

/// Reads as of a look back after the first keep its fold in `past.bin` and decode it
/// instead of folding the journal again; an entry written after it (even one dated before
/// the look back) makes it stale, and the look back folds again.
#[test]
fn a_look_back_keeps_its_own_fold_until_the_journal_changes() {
    use std::os::unix::fs::MetadataExt;
    let env = early_and_late();
    let past = env.ws.join(".growth/cache/past.bin");
    env.run(&["--today", "2026-11-30", "agenda"]);
    let first = env.run(&LOOK_BACK);
    let kept = std::fs::metadata(&past)
        .expect("a look back keeps its fold")
        .ino();

    // The same moment again, and a report of it: served from the look back's file, which
    // stays as it was.
    assert_eq!(env.run(&LOOK_BACK), first);
    let progress = ["--today", "2026-11-24", "progress", "--format", "json"];
    let served = env.run(&progress);
    assert_eq!(
        std::fs::metadata(&past).unwrap().ino(),
        kept,
        "folded again"
    );

    // What the journal alone gives as of then, with no cache at all.
    let cache = env.ws.join(".growth/cache");
    let saved = tempfile::tempdir().unwrap();
    for name in ["state.bin", "past.bin"] {
        std::fs::copy(cache.join(name), saved.path().join(name)).unwrap();
        std::fs::remove_file(cache.join(name)).unwrap();
    }
    assert_eq!(env.run(&progress), served);
    for name in ["state.bin", "past.bin"] {
        std::fs::copy(saved.path().join(name), cache.join(name)).unwrap();
    }

    // A lead recorded as of the 21st: the look back's file no longer holds the journal.
    env.run(&BACKDATED);
    let after = env.run(&LOOK_BACK);
    assert!(
        after.contains("Backdated Co") && !after.contains("Late Co"),
        "{after}"
    );
}

/// A `past.bin` that is a link (force-added by a teammate, say) is not written through: a
/// look back that folds again answers from the journal and the link's target stays as it
/// was. (Reading through a link is refused by the same `safe::open` as `state.bin`'s.)
#[test]
fn a_linked_look_back_file_is_never_followed() {
    let env = early_and_late();
    env.run(&["--today", "2026-11-30", "agenda"]);
    let truth = env.run(&LOOK_BACK);
    let past = env.ws.join(".growth/cache/past.bin");
    let planted = env.ws.parent().unwrap().join("planted.bin");
    // The look back's own fold, moved out of the workspace and linked back.
    std::fs::rename(&past, &planted).unwrap();
    let kept = std::fs::read(&planted).unwrap();
    std::os::unix::fs::symlink(&planted, &past).unwrap();
    env.run(&BACKDATED);
    let after = env.run(&LOOK_BACK);
    assert!(after.contains("Backdated Co") && after != truth, "{after}");
    assert_eq!(
        std::fs::read(&planted).unwrap(),
        kept,
        "written through the link"
    );
}

/// The cache of now, written again, drops a look back's fold that a write made stale (it
/// is as large as the cache), and keeps one that still holds the journal.
#[test]
fn a_stale_look_back_file_goes_when_the_cache_of_now_is_written() {
    let env = early_and_late();
    let past = env.ws.join(".growth/cache/past.bin");
    let before = env.run(&LOOK_BACK);
    assert!(past.exists());
    env.run(&["--today", "2026-11-30", "check"]);
    assert!(
        past.exists(),
        "a look back's fold of this very journal was dropped"
    );

    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-30",
        "lead",
        "add",
        "New Co",
    ]);
    env.run(&["--today", "2026-11-30", "check"]);
    assert!(!past.exists(), "a stale look back's fold was kept");
    assert_eq!(env.run(&LOOK_BACK), before);
    assert!(past.exists());
}
