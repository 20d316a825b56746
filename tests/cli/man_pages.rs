//! `growth man --output DIR`: a page per command and subcommand, each with the sections
//! a man page reader looks for.

use clap::CommandFactory;

use crate::common::TestEnv;

/// `growth`, `growth-lead`, `growth-lead-add`, ...: every command's page name.
fn page_names(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_string());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        page_names(sub, &format!("{prefix}-{}", sub.get_name()), out);
    }
}

#[test]
fn man_writes_a_page_per_subcommand_with_environment_files_and_exit_status() {
    let env = TestEnv::empty();
    let dir = env.home.join("man").join("man1");
    let out = env
        .cmd()
        .args(["man", "--output"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let mut names = Vec::new();
    page_names(&growth::cli::Cli::command(), "growth", &mut names);
    assert!(names.len() > 40, "{names:?}");
    for must in [
        "growth-handoff",
        "growth-lead-add",
        "growth-handoff-accept",
        "growth-man",
    ] {
        assert!(names.iter().any(|n| n == must), "{must}");
    }
    let written = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(written, names.len(), "one page per command, no more");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("wrote {} man pages to {}\n", names.len(), dir.display())
    );
    for name in &names {
        let page = std::fs::read_to_string(dir.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("{name}.1: {e}"));
        assert!(page.contains(&format!(".TH {name} 1")), "{name}: {page}");
        for section in [
            ".SH ENVIRONMENT",
            "\\fBGROWTH_WORKSPACE\\fR",
            "\\fBGROWTH_USER\\fR",
            "\\fBNO_COLOR\\fR",
            ".SH FILES",
            "\\fBgrowth.toml\\fR",
            "\\fBjournal/YYYY\\-MM/AUTHOR\\-DEVICE.toml\\fR",
            "\\fB.growth/\\fR",
            "/growth/config.toml",
            ".SH \"EXIT STATUS\"",
        ] {
            assert!(page.contains(section), "{name}.1 lacks {section}:\n{page}");
        }
        let exit = &page[page.find("EXIT STATUS").unwrap()..];
        for code in ["0", "1", "2", "3"] {
            assert!(
                exit.contains(&format!(".TP\n\\fB{code}\\fR")),
                "{name}: {exit}"
            );
        }
    }
    // Without --output: the main page on stdout, with the same sections.
    let main = env.run(&["man"]);
    assert!(
        main.starts_with(".ie") && main.contains(".SH ENVIRONMENT"),
        "{main}"
    );
}
