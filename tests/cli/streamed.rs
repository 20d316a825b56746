//! A broad report read from a current cache passes over the leads one chunk at a time and
//! keeps only what it shows: it must say exactly what the same report says from the
//! whole state folded from the journal.

use crate::common::TestEnv;
use crate::meetings::{example, growth_in};

/// The agenda in two formats and goal progress, as of two days, first from a state
/// rebuilt from the journal (no cache: the rebuild leaves one), then from that cache,
/// streamed.
#[test]
fn the_agenda_streamed_from_the_cache_equals_the_agenda_of_the_whole_state() {
    let env = TestEnv::empty();
    let ws = example();
    // An archived lead whose handoff is still open (both out of the agenda), and a deal
    // won just before the meeting (a celebration, a goal's step).
    let write = |args: &[&str]| {
        let mut all = vec!["--as", "maria", "--today", "2026-11-27"];
        all.extend_from_slice(args);
        growth_in(&env, &ws, &all)
    };
    write(&["lead", "archive", "mariner-dental-labs"]);
    write(&["lead", "stage", "lumen-biotech", "won"]);
    let cache = ws.join(".growth").join("cache");
    for today in ["2026-11-27", "2026-11-30"] {
        let reads: [&[&str]; 3] = [
            &["agenda", "--format", "json"],
            &["agenda", "--format", "text"],
            &["progress", "--period", "all", "--format", "json"],
        ];
        for read in reads {
            let args = [&["--today", today], read].concat();
            let _ = std::fs::remove_dir_all(&cache);
            let whole = growth_in(&env, &ws, &args);
            assert!(
                cache.join("state.bin").is_file(),
                "the rebuild kept no cache"
            );
            let streamed = growth_in(&env, &ws, &args);
            assert_eq!(whole, streamed, "{args:?}");
            assert!(!streamed.contains("mariner-dental-labs"), "{streamed}");
        }
    }
}
