//! A read that folds the whole journal (a fresh clone's first command, `check`) leaves the
//! writers' index beside the cache (#16): the first write after it validates against that
//! index instead of loading the whole state again to make one (at a million entries, 2-3 s
//! and 1 GiB), and what the index serves is what the journal says.

use crate::common::TestEnv;

/// Reads served from the writers' index when it is current, else from the state.
const READS: &[&[&str]] = &[
    &["lead", "list", "--stage", "new", "--format", "csv"],
    &["handoff", "list", "--pending", "--format", "json"],
    &["--as", "tom", "status", "--format", "json"],
];

fn reads(env: &TestEnv) -> Vec<String> {
    READS
        .iter()
        .map(|args| {
            let mut all = vec!["--today", "2026-11-20"];
            all.extend_from_slice(args);
            env.run(&all)
        })
        .collect()
}

#[test]
fn a_fold_of_the_whole_journal_leaves_the_index_the_next_write_takes() {
    let env = TestEnv::new();
    // More entries than a read leaves an index for (1,000).
    let csv = crate::common::crm_export(env.ws.parent().unwrap(), 1_200);
    env.maria(&["lead", "import", csv.to_str().unwrap()]);
    let leads = env.leads_json();
    let lead = leads[7]["id"].as_str().unwrap();
    env.maria(&["handoff", lead, "--to", "tom", "--note", "Wants a call"]);
    let cache = env.ws.join(".growth/cache");
    for (first, note) in [(["check"], "after check"), (["agenda"], "after agenda")] {
        // A fresh clone: no cache of any kind.
        std::fs::remove_dir_all(&cache).unwrap();
        env.maria(&first);
        let base = std::fs::read(cache.join("index.bin"))
            .unwrap_or_else(|e| panic!("{note}: no writers' index: {e}"));
        let id = env.maria(&["-q", "feedback", note]);
        assert_eq!(
            std::fs::read(cache.join("index.bin")).unwrap(),
            base,
            "{note}: the write kept the index the read left (a full path rewrites it)"
        );
        let log = std::fs::read_to_string(cache.join("index.log")).unwrap();
        assert!(
            log.lines()
                .any(|l| l.starts_with("U\t2\t") && l.contains(id.trim())),
            "{note}: the write logged its feedback {id}:\n{log}"
        );
    }
    // What that index serves equals what the whole journal says.
    let indexed = reads(&env);
    std::fs::rename(cache.join("index.bin"), cache.join("index.keep")).unwrap();
    let folded = reads(&env);
    for ((args, indexed), folded) in READS.iter().zip(&indexed).zip(&folded) {
        assert_eq!(indexed, folded, "growth {}", args.join(" "));
    }
    assert!(indexed[0].lines().count() > 1_000, "{}", indexed[0]);
    assert!(indexed[1].contains(lead), "{}", indexed[1]);
}
