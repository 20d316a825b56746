//! Month parts (issue #16): an ordinary write fills a journal part only to a small size
//! (16 KiB early in a month) so that committing it stores little in `.git`; an import
//! fills large parts, and the writes after it never rewrite them; parts grow larger later
//! in a month, and a write that would need a 1000th part is refused. Old workspaces with
//! 256 KiB parts read and append as before.

use std::path::{Path, PathBuf};

use crate::common::{TestEnv, journal_files};

/// How far an ordinary write fills a part early in a month (`SMALL_PART_BYTES`).
const SMALL: u64 = 16 * 1024;

/// How far any write fills a part early in a month (`PART_BYTES`).
const BIG: u64 = 256 * 1024;

fn len(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

/// Part `n` of the month file `first` (`maria-DEV.toml` is part 1, `maria-DEV-2.toml` 2).
fn part(first: &Path, n: u32) -> PathBuf {
    match n {
        1 => first.to_path_buf(),
        n => first.with_file_name(format!(
            "{}-{n}.toml",
            first.file_stem().unwrap().to_string_lossy()
        )),
    }
}

/// Part 1 of the month's parts `files`: the shortest name (`maria-DEV-2.toml` sorts
/// before `maria-DEV.toml`).
fn first_part(files: &[PathBuf]) -> PathBuf {
    files
        .iter()
        .min_by_key(|f| f.as_os_str().len())
        .unwrap()
        .clone()
}

/// A note long enough that a handful of leads fill a small part.
fn long_note(i: usize) -> String {
    format!("Call {i}: ") + &"they want the enterprise plan and a pilot in January. ".repeat(20)
}

/// One `lead.add` entry as growth writes it, for hand-made files.
fn entry(i: usize) -> String {
    format!(
        "\n[[entry]]\nat = 2026-11-19T10:00:00+01:00\nby = \"maria\"\nkind = \"lead.add\"\n\
         lead = \"old-co-{i}\"\ncompany = \"Old Co {i}\"\nowner = \"maria\"\n\
         stage = \"new\"\ncurrency = \"USD\"\nsource = \"a long list bought at a trade show\"\n"
    )
}

#[test]
fn ordinary_writes_go_on_in_a_new_part_past_the_small_size() {
    let env = TestEnv::new();
    let mut added = Vec::new();
    for i in 0..30 {
        let company = format!("Busy Co {i}");
        env.maria(&["-q", "lead", "add", &company, "--note", &long_note(i)]);
        added.push(format!("busy-co-{i}"));
    }
    let files = journal_files(&env.ws);
    assert!(files.len() >= 3, "{files:?}");
    for f in &files {
        assert!(len(f) <= SMALL, "{} is {} bytes", f.display(), len(f));
    }
    // Numbered from 1 with no gap, each lead in exactly one of them, all read back.
    let first = first_part(&files);
    for n in 1..=files.len() as u32 {
        assert!(files.contains(&part(&first, n)), "part {n}: {files:?}");
    }
    let texts: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect();
    for id in &added {
        let holding = texts
            .iter()
            .filter(|t| t.contains(&format!("lead = \"{id}\"")))
            .count();
        assert_eq!(holding, 1, "{id}");
    }
    let leads: Vec<String> = env
        .leads_json()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    for id in &added {
        assert!(leads.contains(id), "{id}");
    }
    assert!(env.run(&["check"]).contains("30 leads"));
}

#[test]
fn an_old_256_kib_part_is_closed_and_a_small_last_part_goes_on() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let first = journal_files(&env.ws).pop().unwrap();
    // A workspace written by an older growth: part 1 filled to near 256 KiB.
    let mut text = std::fs::read_to_string(&first).unwrap();
    let mut i = 0;
    while (text.len() as u64) < BIG - 4096 {
        text += &entry(i);
        i += 1;
    }
    std::fs::write(&first, &text).unwrap();
    env.maria(&["lead", "add", "After Old"]);
    assert_eq!(
        std::fs::read_to_string(&first).unwrap(),
        text,
        "left closed"
    );
    let second = part(&first, 2);
    assert!(
        std::fs::read_to_string(&second)
            .unwrap()
            .contains("after-old")
    );
    // A part under the small size (as an older growth left it) is appended to.
    env.maria(&["lead", "add", "Later Co"]);
    let second_text = std::fs::read_to_string(&second).unwrap();
    assert!(second_text.contains("after-old") && second_text.contains("later-co"));
    assert!(!part(&first, 3).exists());
    env.run(&["check"]);
    assert_eq!(env.leads_json().len(), i + 3);
}

#[test]
fn an_imports_big_part_is_not_appended_to_by_the_next_write() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let csv = crate::common::crm_export(env.ws.parent().unwrap(), 1_000);
    env.maria(&["lead", "import", csv.to_str().unwrap()]);
    let imported = journal_files(&env.ws);
    // The import filled its parts past the small size (its last one too), none past the
    // big one.
    assert!(imported.len() >= 2, "{imported:?}");
    assert!(imported.iter().all(|f| len(f) > SMALL && len(f) <= BIG));
    let before: Vec<Vec<u8>> = imported.iter().map(|f| std::fs::read(f).unwrap()).collect();

    env.maria(&["lead", "add", "After Import"]);
    let after = journal_files(&env.ws);
    assert_eq!(after.len(), imported.len() + 1, "a new part");
    for (f, bytes) in imported.iter().zip(&before) {
        assert_eq!(
            &std::fs::read(f).unwrap(),
            bytes,
            "{} rewritten",
            f.display()
        );
    }
    let last = after.iter().find(|f| !imported.contains(f)).unwrap();
    assert_eq!(
        *last,
        part(&first_part(&imported), imported.len() as u32 + 1)
    );
    assert!(
        std::fs::read_to_string(last)
            .unwrap()
            .contains("after-import")
    );
    env.run(&["check"]);
    assert_eq!(env.leads_json().len(), 1_002);
}

/// Parts 2 to `last` of maria's month beside the part 1 growth wrote: empty ones (the
/// header only), then part `last` holding one entry and `last_len` bytes in all
/// (comments after the entry).
fn fill_parts(env: &TestEnv, last: u32, last_len: u64) -> PathBuf {
    env.maria(&["lead", "add", "Acme Corp"]);
    let first = journal_files(&env.ws).pop().unwrap();
    let header: String = std::fs::read_to_string(&first)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    for n in 2..last {
        std::fs::write(part(&first, n), &header).unwrap();
    }
    let mut text = header + &entry(0);
    let pad = "# kept by hand: a line of padding to make this part as large as a busy month's.\n";
    while (text.len() as u64) < last_len {
        text += pad;
    }
    std::fs::write(part(&first, last), &text).unwrap();
    first
}

#[test]
fn parts_grow_larger_later_in_a_month() {
    let env = TestEnv::new();
    // Part 150 may hold 32 KiB: at 20 KiB it is appended to, not closed.
    let first = fill_parts(&env, 150, 20 * 1024);
    env.maria(&["lead", "add", "Late Co"]);
    assert!(
        std::fs::read_to_string(part(&first, 150))
            .unwrap()
            .contains("late-co")
    );
    assert!(!part(&first, 151).exists());
    env.run(&["check"]);
    assert_eq!(env.leads_json().len(), 3);
}

#[test]
fn a_write_that_would_need_a_thousandth_part_is_refused() {
    let env = TestEnv::new();
    // Part 999, the last a name can number, is full (2 MiB by then).
    let first = fill_parts(&env, 999, 2 * 1024 * 1024 + 1);
    let before = env.snapshot_files();
    let out = env.maria_output(&["lead", "add", "One Too Many"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: the journal of 2026-11 from this device is full (999 files)\n\
         hint: record the rest from another clone, or import it in the next month\n"
    );
    assert_eq!(env.snapshot_files(), before, "nothing written");
    assert!(!part(&first, 1000).exists());
    // Everything in the 999 parts still reads.
    assert_eq!(env.leads_json().len(), 2);
}
