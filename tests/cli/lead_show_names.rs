//! `lead show` of a lead named by a prefix or its company, or of no lead at all, reads the
//! ids from the cache's names (or its stream) and then that one lead, and answers exactly as the whole
//! state does: the same lead, the same ambiguity, the same suggestions.

use crate::common::TestEnv;

/// Everything a command printed, and whether it succeeded.
fn answer(env: &TestEnv, args: &[&str]) -> (bool, String, String) {
    answer_in(env, &env.ws, args)
}

/// [`answer`] in the workspace at `ws`.
fn answer_in(env: &TestEnv, ws: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let mut cmd = assert_cmd::Command::new(crate::common::BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    let out = cmd.arg("-C").arg(ws).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_lead_named_otherwise_than_by_its_id_shows_as_from_the_whole_state() {
    let env = TestEnv::new();
    for company in [
        "Northwind Traders",
        "Northwind Labs",
        "Contoso",
        "Fabrikam Archive",
    ] {
        env.run(&[
            "--as",
            "maria",
            "--today",
            "2026-11-20",
            "lead",
            "add",
            company,
        ]);
    }
    env.run(&[
        "--as",
        "maria",
        "--today",
        "2026-11-21",
        "lead",
        "archive",
        "fabrikam-archive",
    ]);
    let cache = env.ws.join(".growth/cache/state.bin");
    let names = [
        "contoso",        // an id, for reference
        "cont",           // a unique prefix
        "Northwind Labs", // a company
        "northwind",      // an ambiguous prefix
        "fabrikam",       // an archived lead, by prefix
        "contsoo",        // no lead: suggestions
        "zzz",            // no lead, nothing near
    ];
    for name in names {
        let args = [
            "--today",
            "2026-11-30",
            "lead",
            "show",
            name,
            "--format",
            "json",
        ];
        // From the whole state: no cache to read (the read leaves one).
        let _ = std::fs::remove_file(&cache);
        let whole = answer(&env, &args);
        // From the cache just left: the ids, then the lead alone.
        assert!(cache.exists());
        let streamed = answer(&env, &args);
        assert_eq!(streamed, whole, "lead show {name}");
        let found = ["contoso", "cont", "Northwind Labs", "fabrikam"].contains(&name);
        assert_eq!(whole.0, found, "lead show {name}: {whole:?}");
    }
    let (_, _, typo) = answer(&env, &["--today", "2026-11-30", "lead", "show", "contsoo"]);
    assert!(typo.contains("did you mean `contoso`"), "{typo}");
    // Leads added and moved here since the cache: the names the cache holds and those
    // added tell the same as the whole state ("cont" is now ambiguous).
    let write = |args: &[&str]| {
        env.run(&[&["--as", "maria", "--today", "2026-11-30"][..], args].concat());
    };
    write(&["lead", "add", "Contoso Two"]);
    write(&["lead", "stage", "contoso", "mql"]);
    write(&["feedback", "more demos"]);
    for name in ["Contoso Two", "cont", "contoso-t", "northwind-l", "zzz"] {
        let args = [
            "--today",
            "2026-11-30",
            "lead",
            "show",
            name,
            "--format",
            "json",
        ];
        let before = std::fs::read(&cache).unwrap();
        let from_cache = answer(&env, &args);
        assert_eq!(
            std::fs::read(&cache).unwrap(),
            before,
            "{name}: the cache was rewritten"
        );
        let copy = tempfile::tempdir().unwrap();
        for (rel, bytes) in crate::common::files_under(&env.ws) {
            let path = copy.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        let whole = answer_in(&env, copy.path(), &args);
        assert_eq!(from_cache, whole, "lead show {name} after writes");
    }
}
