//! After this clone writes a few entries, a broad report still passes over the cache's
//! leads one chunk at a time, with the leads those entries read or change folded apart and
//! passed in their places: it must say exactly what the whole state folded from the
//! journal says.

use crate::common::TestEnv;
use crate::meetings::{example, growth_in};

/// For two days: a read leaves a current cache, this clone then records a new lead, stage
/// changes (one a deal won), a handoff and its acceptance, the acceptance of a handoff
/// made before, feedback, an archive, and two undos (a handoff withdrawn, a first contact
/// taken back); the agenda and progress read from that cache plus those entries equal
/// those of a state rebuilt from the journal.
#[test]
fn a_report_streamed_with_entries_written_since_the_cache_equals_the_whole_state() {
    let env = TestEnv::empty();
    for today in ["2026-11-27", "2026-11-30"] {
        let ws = example();
        let cache = ws.join(".growth").join("cache").join("state.bin");
        let run = |args: &[&str]| growth_in(&env, &ws, &[&["--today", today], args].concat());
        run(&["progress"]);
        let before = std::fs::read(&cache).expect("the read kept a cache");
        let writes: [&[&str]; 13] = [
            &[
                "--as",
                "maria",
                "lead",
                "add",
                "Northwind Analytics",
                "--value",
                "42000",
            ],
            &[
                "--as",
                "maria",
                "lead",
                "stage",
                "northwind-analytics",
                "mql",
            ],
            &["--as", "maria", "lead", "stage", "lumen-biotech", "won"],
            &[
                "--as",
                "maria",
                "lead",
                "stage",
                "polaris-cold-storage",
                "mql",
            ],
            &[
                "--as",
                "maria",
                "handoff",
                "northwind-analytics",
                "--to",
                "tom",
            ],
            &["--as", "tom", "handoff", "accept", "northwind-analytics"],
            // A handoff made before the cache: its lead is found through it.
            &[
                "--as",
                "lukas",
                "handoff",
                "accept",
                "greenfield-organic-grocers",
            ],
            &[
                "--as",
                "jonas",
                "feedback",
                "The webinar leads go cold by day three",
            ],
            // Archived: out of the agenda, its open handoff too.
            &["--as", "maria", "lead", "archive", "mariner-dental-labs"],
            // A handoff withdrawn, a first contact taken back.
            &[
                "--as",
                "maria",
                "handoff",
                "polaris-cold-storage",
                "--to",
                "sofia",
            ],
            &["--as", "maria", "undo"],
            &["--as", "tom", "handoff", "contact", "northwind-analytics"],
            &["--as", "tom", "undo"],
        ];
        for write in writes {
            run(write);
        }
        let reads: [&[&str]; 3] = [
            &["agenda", "--format", "json"],
            &["agenda", "--format", "text"],
            &["progress", "--period", "all", "--format", "json"],
        ];
        for read in reads {
            // The cache as it was before the writes: the read folds them on top.
            std::fs::write(&cache, &before).unwrap();
            let streamed = run(read);
            assert_eq!(
                std::fs::read(&cache).unwrap(),
                before,
                "a read of a partial state rewrote the cache"
            );
            std::fs::remove_file(&cache).unwrap();
            let whole = run(read);
            assert_eq!(streamed, whole, "{today} {read:?}");
        }
        let agenda = run(&["agenda", "--format", "json"]);
        assert!(agenda.contains("Northwind"), "{agenda}");
        assert!(!agenda.contains("mariner-dental-labs"), "{agenda}");
    }
}
