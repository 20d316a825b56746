//! A read that looks back (`--today` before entries the cache folded: last week's agenda)
//! folds the journal as of then, and leaves the cache of now as it was, so the reads of
//! now stay cheap.

use crate::common::TestEnv;

#[test]
fn a_look_back_keeps_the_cache_of_now() {
    let env = TestEnv::new();
    let cache = env.ws.join(".growth/cache/state.bin");
    for (day, company) in [("2026-11-20", "Early Co"), ("2026-11-27", "Late Co")] {
        env.run(&["--as", "maria", "--today", day, "lead", "add", company]);
    }
    let now = env.run(&["--today", "2026-11-30", "agenda", "--format", "json"]);
    let kept = std::fs::read(&cache).expect("a read leaves a cache");

    // As of the 24th, Late Co does not exist yet; the cache of now is left alone.
    let then = env.run(&["--today", "2026-11-24", "lead", "list", "--format", "json"]);
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

    // Without a later cache, a look back keeps its own, as any read does.
    std::fs::remove_file(&cache).unwrap();
    env.run(&["--today", "2026-11-24", "lead", "list"]);
    assert!(cache.exists());
}
