//! The workspace as a trust boundary (issue #13): every file in it arrives from teammates
//! through git, so each attack here travels as a real file, most of them by push through a
//! bare remote to a second clone.

use std::process::Command;

use crate::common::team::{Team, anywhere, regular_files};
use crate::common::{BIN, TestEnv, journal_files};

/// The release of a binary that parses hostile files keeps address-space randomisation of
/// its own image: `growth` is a position-independent executable (ELF type ET_DYN).
#[cfg(target_os = "linux")]
#[test]
fn the_growth_binary_is_a_position_independent_executable() {
    let bytes = std::fs::read(BIN).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    // e_type: two bytes at offset 16, in the byte order EI_DATA (offset 5) names.
    let e_type = match bytes[5] {
        1 => u16::from_le_bytes([bytes[16], bytes[17]]),
        _ => u16::from_be_bytes([bytes[16], bytes[17]]),
    };
    const ET_EXEC: u16 = 2;
    const ET_DYN: u16 = 3;
    assert_ne!(
        e_type, ET_EXEC,
        "growth is linked at a fixed address (non-PIE)"
    );
    assert_eq!(e_type, ET_DYN);
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// maria records in clone a and syncs, so her device id (and file names) are public.
fn team_with_maria() -> (Team, String) {
    let team = Team::new();
    assert!(
        team.maria("2026-11-20", &["lead", "add", "Acme Corp"])
            .status
            .success()
    );
    team.ok(&team.a, &["sync"]);
    team.git(&team.b, &["pull", "-q"]);
    let device = team.maria_device();
    (team, device)
}

/// Attack 1: a committed link at maria's *next* journal file, pointing at a secret outside
/// the workspace. Her sync refuses the commit; brought in by a plain `git pull`, her next
/// write refuses the link, and the secret reaches no file and no commit.
#[test]
fn a_link_at_my_next_journal_file_is_refused_and_the_secret_never_leaks() {
    let (team, device) = team_with_maria();
    let root = team.a.parent().unwrap();
    let secret = "SECRET-ed25519-7f3a9c";
    std::fs::write(root.join("id_ed25519"), format!("{secret}\n")).unwrap();
    let month = team.b.join("journal/2026-12");
    std::fs::create_dir_all(&month).unwrap();
    let next = format!("maria-{device}.toml");
    std::os::unix::fs::symlink("../../../id_ed25519", month.join(&next)).unwrap();
    team.push_as(
        &team.b,
        ("Mallory", "mallory@evil.example"),
        "december prep",
    );

    // growth sync takes only commits that add entries: a link is refused, nothing merged.
    let head = team.git(&team.a, &["rev-parse", "HEAD"]);
    let out = team.growth(&team.a, &["sync"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("adds a symbolic link") && stderr(&out).contains("Mallory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(team.git(&team.a, &["rev-parse", "HEAD"]), head);

    // By hand, the link arrives; maria's next write refuses it.
    team.git(&team.a, &["pull", "-q", "--no-rebase", "origin", "main"]);
    let out = team.maria("2026-12-03", &["lead", "add", "Globex"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("is a symbolic link") && err.contains(&next),
        "{err}"
    );
    assert!(
        err.contains("hint:") && err.contains("check --repair"),
        "{err}"
    );
    assert!(
        !anywhere(&team.a, &team.env.home, secret),
        "the secret leaked"
    );

    // check names it; --repair moves the link aside, then the write goes through.
    let out = team.growth(&team.a, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("journal/2026-12/{next}:1:1: ")),
        "{}",
        stderr(&out)
    );
    let out = team.ok(&team.a, &["--today", "2026-12-03", "check", "--repair"]);
    assert!(out.contains("moved a symbolic link aside"), "{out}");
    assert!(
        team.maria("2026-12-03", &["lead", "add", "Globex"])
            .status
            .success()
    );
    let out = team.ok(&team.a, &["sync"]);
    assert!(out.contains("pushed"), "{out}");
    assert!(
        !anywhere(&team.a, &team.env.home, secret),
        "the secret leaked"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("id_ed25519")).unwrap(),
        format!("{secret}\n")
    );
}

/// Attack 2: a symlinked month folder would send new entries outside the workspace.
#[test]
fn a_symlinked_month_folder_gets_no_write() {
    let (team, _) = team_with_maria();
    let root = team.a.parent().unwrap();
    let elsewhere = root.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink("../../elsewhere", team.b.join("journal/2026-12")).unwrap();
    team.push_as(&team.b, ("Mallory", "mallory@evil.example"), "december");
    team.git(&team.a, &["pull", "-q", "--no-rebase", "origin", "main"]);

    let out = team.maria("2026-12-03", &["lead", "add", "Globex"]);
    assert_eq!(out.status.code(), Some(1), "the write must not succeed");
    assert!(
        stderr(&out).contains("journal/2026-12 is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "a write landed outside"
    );
    // Reads still work, and check names the link.
    assert!(team.maria("2026-12-03", &["lead", "list"]).status.success());
    let out = team.growth(&team.a, &["check"]);
    assert!(
        stderr(&out).contains("journal/2026-12:1:1"),
        "{}",
        stderr(&out)
    );
}

/// Attack 3: a link to /dev/zero, then a FIFO, at the writer's next file: refused at once,
/// nothing read without bound, nothing blocks (every command here has a timeout).
#[test]
fn dev_zero_and_a_fifo_at_my_next_file_neither_hang_nor_exhaust() {
    let (team, device) = team_with_maria();
    let month = team.a.join("journal/2026-12");
    std::fs::create_dir_all(&month).unwrap();
    let next = month.join(format!("maria-{device}.toml"));
    std::os::unix::fs::symlink("/dev/zero", &next).unwrap();
    for args in [
        &["lead", "add", "Globex"][..],
        &["lead", "list"],
        &["check"],
    ] {
        let started = std::time::Instant::now();
        let out = team.maria("2026-12-03", args);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{args:?}"
        );
        if args[0] != "lead" || args[1] != "list" {
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
        }
    }
    std::fs::remove_file(&next).unwrap();
    let made = Command::new("mkfifo").arg(&next).status().unwrap();
    assert!(made.success());
    for args in [&["lead", "add", "Globex"][..], &["check"]] {
        let out = team.maria("2026-12-03", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains("named pipe"), "{}", stderr(&out));
    }
    // A FIFO as growth.toml or the device id blocks nothing either.
    let device_file = team.a.join(".growth/device");
    std::fs::remove_file(&device_file).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(&device_file)
            .status()
            .unwrap()
            .success()
    );
    std::fs::remove_file(&next).unwrap();
    let out = team.maria("2026-12-03", &["lead", "add", "Globex"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".growth/device is a named pipe"),
        "{}",
        stderr(&out)
    );
}

/// Attack 4: a force-added `.growth/lock` link: no file is created at its target.
#[test]
fn a_force_added_lock_link_creates_nothing_at_its_target() {
    let (team, _) = team_with_maria();
    let root = team.a.parent().unwrap();
    let target = root.join("planted");
    std::fs::create_dir_all(team.b.join(".growth")).unwrap();
    std::os::unix::fs::symlink("../../planted", team.b.join(".growth/lock")).unwrap();
    team.git(&team.b, &["add", "-f", ".growth/lock"]);
    team.push_as(&team.b, ("Mallory", "mallory@evil.example"), "lock");

    let out = team.growth(&team.a, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(".growth/"), "{}", stderr(&out));

    // A fresh clone gets the link.
    let c = root.join("c");
    team.git(
        root,
        &[
            "clone",
            "-q",
            team.bare.to_str().unwrap(),
            c.to_str().unwrap(),
        ],
    );
    let mut as_maria = vec!["--as", "maria", "--today", "2026-11-21"];
    as_maria.extend(["lead", "add", "Initech"]);
    let out = team.growth(&c, &as_maria);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(".growth/lock is a symbolic link"),
        "{}",
        stderr(&out)
    );
    assert!(!target.exists(), "growth created the link's target");
    let out = team.ok(&c, &["--today", "2026-11-21", "check", "--repair"]);
    assert!(
        out.contains(".growth/lock: moved a symbolic link aside"),
        "{out}"
    );
    assert!(team.growth(&c, &as_maria).status.success());
    assert!(!target.exists());
}

/// Temporary files are written in `.growth/tmp/`, never in `journal/`; orphans of killed
/// writers (and those older versions left in month folders) are cleaned by sync, which
/// counts real entries only in its commit message.
#[test]
fn temp_files_stay_out_of_journal_and_orphans_are_cleaned() {
    let (team, device) = team_with_maria();
    assert!(
        team.maria("2026-11-21", &["lead", "add", "Globex"])
            .status
            .success()
    );
    let names: Vec<String> = regular_files(&team.a.join("journal"))
        .into_iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    // A killed writer's leftovers: an hour old in .growth/tmp, and the old kind in journal/.
    let orphan = team
        .a
        .join(format!(".growth/tmp/maria-{device}.toml.4242.abcdef.tmp"));
    std::fs::write(&orphan, "[[entry]]\nkind = \"meeting.note\"\n").unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&orphan)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let legacy = team.a.join(format!(
        "journal/2026-11/.maria-{device}.toml.4242.abcdef.tmp"
    ));
    std::fs::write(&legacy, "\n[[entry]]\nkind = \"meeting.note\"\n".repeat(50)).unwrap();
    let out = team.ok(&team.a, &["sync"]);
    assert!(out.contains("committed \"growth: 1 lead\""), "{out}");
    assert!(!orphan.exists() && !legacy.exists());
    let committed = team.git(&team.a, &["log", "--all", "--name-only", "--format="]);
    assert!(!committed.contains(".tmp"), "{committed}");
}

/// Spoofing text: invisible and line-separator characters are shown escaped in tables and
/// in every agenda format; an idea link planted in the journal is checked like the CLI's.
#[test]
fn invisible_characters_are_shown_escaped_and_planted_links_are_reported() {
    let env = TestEnv::new();
    let spoof = "Pay\u{200b}Pal\u{2028}Inc\u{feff}\u{202e}";
    env.maria(&["lead", "add", "--id", "paypal", "--", spoof]);
    env.maria(&["idea", "Onboarding\u{2060}guide\u{ad}", "--lead", "paypal"]);
    let md = env.ws.join("agenda.md");
    let html = env.ws.join("agenda.html");
    let outputs = [
        env.run(&["lead", "list"]),
        env.run(&["lead", "show", "paypal"]),
        env.run(&["idea", "list"]),
        env.run(&["--today", "2026-11-27", "agenda", "--date", "2026-11-30"]),
        {
            env.run(&[
                "--today",
                "2026-11-27",
                "agenda",
                "--date",
                "2026-11-30",
                "--format",
                "md",
                "--output",
                md.to_str().unwrap(),
            ]);
            std::fs::read_to_string(&md).unwrap()
        },
        {
            env.run(&[
                "--today",
                "2026-11-27",
                "agenda",
                "--date",
                "2026-11-30",
                "--format",
                "html",
                "--output",
                html.to_str().unwrap(),
            ]);
            std::fs::read_to_string(&html).unwrap()
        },
    ];
    for text in &outputs {
        for c in [
            '\u{200b}', '\u{2028}', '\u{feff}', '\u{202e}', '\u{2060}', '\u{ad}',
        ] {
            assert!(
                !text.contains(c),
                "U+{:04X} shown raw in:\n{text}",
                u32::from(c)
            );
        }
    }
    assert!(outputs[0].contains("Pay\\u{200b}Pal"), "{}", outputs[0]);

    // A link the CLI refuses, planted in the journal by hand.
    let idea: Vec<serde_json::Value> =
        serde_json::from_str(&env.run(&["idea", "list", "--format", "json"])).unwrap();
    let id = idea[0]["id"].as_str().unwrap();
    let file = journal_files(&env.ws).pop().unwrap();
    let mut text = std::fs::read_to_string(&file).unwrap();
    let line = text.lines().count() + 8;
    text.push_str(&format!(
        "\n[[entry]]\nat = 2026-11-20T12:30:00+01:00\nby = \"maria\"\nkind = \"idea.status\"\nidea = \"{id}\"\nstatus = \"published\"\nlink = \"javascript:alert(document.cookie)\"\n"
    ));
    std::fs::write(&file, text).unwrap();
    let out = env.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            ":{line}:1: the idea link `javascript:alert(document.cookie)` is refused"
        )),
        "{err}"
    );
    let out = env
        .cmd()
        .args([
            "--as",
            "maria",
            "idea",
            "status",
            id,
            "published",
            "--link",
            "data:text/html,x",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Attack 7: a big import wrote one file over growth's own read limit. It now goes on in
/// new parts as it writes: no file past the part size, and check passes.
#[test]
fn a_big_import_splits_into_parts_and_check_passes() {
    let env = TestEnv::new();
    let csv = crate::common::crm_export(env.ws.parent().unwrap(), 20_000);
    env.maria(&["lead", "import", csv.to_str().unwrap()]);
    let files = journal_files(&env.ws);
    assert!(files.len() > 10, "{} files", files.len());
    for f in &files {
        let len = std::fs::metadata(f).unwrap().len();
        assert!(len <= 256 * 1024, "{} is {len} bytes", f.display());
    }
    let out = env.run(&["check"]);
    assert!(out.contains("20000 leads"), "{out}");
    // The next write goes on in the last part, not the first.
    env.maria(&["lead", "add", "After Import"]);
    env.run(&["check"]);
}

/// A failed import changes nothing: here the third part's name is taken by a folder, so
/// its rename fails after the first two went into place; they are undone.
#[test]
fn a_failed_import_changes_nothing() {
    let env = TestEnv::new();
    env.maria(&["lead", "add", "Acme Corp"]);
    let device = std::fs::read_to_string(env.ws.join(".growth/device")).unwrap();
    let blocker = env
        .ws
        .join(format!("journal/2026-11/maria-{}-3.toml", device.trim()));
    std::fs::create_dir_all(blocker.join("x")).unwrap();
    let before = regular_files(&env.ws.join("journal"));
    let csv = crate::common::crm_export(env.ws.parent().unwrap(), 3_000);
    let out = env.maria_output(&["lead", "import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        regular_files(&env.ws.join("journal")),
        before,
        "the import left a trace"
    );
    assert_eq!(env.leads_json().len(), 1);
    std::fs::remove_dir_all(&blocker).unwrap();
    env.maria(&["lead", "import", csv.to_str().unwrap()]);
    assert_eq!(env.leads_json().len(), 3_001);
    env.run(&["check"]);
}
