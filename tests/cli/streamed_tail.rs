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

/// Ideas (one naming a lead, one moved along), actions (added, done), a shout-out and
/// feedback withdrawn, written after a read left a cache: each list and report that shows
/// them folds them over the sections it reads (the cache is not rewritten: no whole state
/// was decoded), and says what a state rebuilt from the journal says.
#[test]
fn ideas_actions_and_wins_written_since_the_cache_fold_over_the_sections() {
    let env = TestEnv::empty();
    let today = "2026-11-30";
    let ws = example();
    let cache = ws.join(".growth").join("cache").join("state.bin");
    let run = |args: &[&str]| growth_in(&env, &ws, &[&["--today", today], args].concat());
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&run(&[args, &["--format", "json"]].concat())).unwrap()
    };
    let _ = std::fs::remove_dir_all(ws.join(".growth").join("cache"));
    run(&["agenda"]);
    let before = std::fs::read(&cache).expect("the read kept a cache");
    let ideas = json(&["idea", "list"]);
    let idea = ideas[0]["id"].as_str().unwrap().to_string();
    let actions = json(&["action", "list"]);
    let action = actions[0]["id"].as_str().unwrap().to_string();
    let feedback = json(&["feedback", "list"]);
    let mine = (feedback.as_array().unwrap().iter())
        .find(|f| f["by"] == "jonas")
        .map(|f| f["id"].as_str().unwrap().to_string())
        .expect("a feedback of jonas");
    std::fs::write(&cache, &before).unwrap();
    let writes: [&[&str]; 6] = [
        &[
            "--as",
            "tom",
            "idea",
            "Fleet buyers ask about EV routes",
            "--lead",
            "lumen-biotech",
        ],
        &[
            "--as",
            "maria",
            "idea",
            "status",
            &idea,
            "published",
            "--link",
            "https://a.example/x",
        ],
        &[
            "--as",
            "maria",
            "action",
            "add",
            "Call the webinar leads",
            "--owner",
            "tom",
        ],
        &["--as", "tom", "action", "done", &action],
        &["--as", "maria", "win", "Lumen signed", "--credit", "tom"],
        &["--as", "jonas", "feedback", "withdraw", &mine],
    ];
    for write in writes {
        run(write);
    }
    let reads: [&[&str]; 6] = [
        &["idea", "list", "--format", "json"],
        &["action", "list", "--format", "json"],
        &["win", "list", "--format", "json"],
        &["feedback", "list", "--format", "json"],
        &["report", "team", "--format", "json"],
        &["agenda", "--format", "json"],
    ];
    for read in reads {
        std::fs::write(&cache, &before).unwrap();
        let folded = run(read);
        assert_eq!(
            std::fs::read(&cache).unwrap(),
            before,
            "{read:?} decoded the whole state and wrote the cache again"
        );
        std::fs::remove_file(&cache).unwrap();
        assert_eq!(folded, run(read), "{read:?}");
    }
    let agenda = run(&["agenda", "--date", "2026-12-07"]);
    assert!(agenda.contains("Call the webinar leads"), "{agenda}");
    assert!(agenda.contains("Lumen signed"), "{agenda}");
}
