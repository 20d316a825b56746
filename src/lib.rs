//! growth: the weekly meeting of a growth team, kept in a folder of TOML files.
//!
//! Reading order for a newcomer:
//! - [`cli`]: every command and flag;
//! - [`context`]: the flags and environment resolved once (workspace, identity, clock, output);
//! - [`commands`]: one module per subcommand, thin glue;
//! - [`store`]: the only code touching the disk: the append-only journal, locking, atomic
//!   writes, the derived cache, validation with file:line:col;
//! - [`model`]: plain data and rules: config, entries, the fold into state (`model::causal`
//!   for how clones' changes merge by meaning, `model::undo` for taking one back), ids, time;
//! - [`render`]: tables, JSON, CSV, the agenda (text, Markdown, Slack, HTML), iCalendar,
//!   man pages, and the escaping of user text for each;
//! - [`prompt`]: questions to a person, only when the context allows.

pub mod cli;
pub mod commands;
pub mod context;
pub mod error;
pub mod model;
pub mod progress;
pub mod prompt;
pub mod render;
pub mod report;
pub mod store;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::error::{Error, ErrorKind};

/// What `growth` with no arguments prints: the first steps, not the whole reference.
const GETTING_STARTED: &str = "growth runs the weekly meeting of a growth team: marketing, sales and everyone who moves revenue.

Getting started:
  growth init ~/growth --team \"Acme Growth\" --timezone Europe/Berlin   create a workspace
  cd ~/growth
  growth member add maria --name \"Maria Lopez\" --dept marketing --leader
  growth whoami --set maria                                          record as maria
  growth lead add \"Acme Corp\" --value 12000                          a lead
  growth handoff acme --to tom --note \"CFO wants pricing\"            hand it to sales
  growth goal add \"Q4 revenue\" --metric revenue --target 250000 --from 2026-10-01 --to 2026-12-31
  growth agenda                                                      the next meeting's agenda
  growth meeting start                                               run it

Try the example team: growth -C examples/acme --today 2026-11-27 agenda
Every command: growth --help    One command, with examples: growth COMMAND --help
";

/// How the binary's allocator hands the memory freed so far back to the system at once;
/// `main` sets it (mimalloc otherwise keeps freed pages a second, which saves page faults
/// while the same amount is allocated again). Called where a phase freed more than later
/// phases allocate.
pub static RELEASE_FREED_MEMORY: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

pub(crate) fn release_freed_memory() {
    if let Some(release) = RELEASE_FREED_MEMORY.get() {
        release();
    }
}

/// Runs growth with the process's arguments and returns its exit code.
pub fn run() -> ExitCode {
    // `COMPLETE=bash growth -- growth lead show a`: answer the shell and exit.
    clap_complete::CompleteEnv::with_factory(cli::command).complete();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let ctx = context::Ctx::from_env(&cli.global).inspect(|ctx| {
        // A long fold shows a bar to a person at a terminal (`progress`).
        if !ctx.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            progress::allow();
        }
    });
    let result = ctx.and_then(|ctx| match cli.command {
        Some(command) => commands::dispatch(&ctx, &mut out, command),
        // Inside a workspace, once growth knows who you are: your plate.
        None => match commands::status::bare(&ctx, &mut out) {
            Ok(true) => Ok(()),
            Ok(false) => render::emit(&mut out, GETTING_STARTED),
            Err(e) => Err(e),
        },
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            drop(out);
            report(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

/// Prints an error to stderr: each located problem, the error, then its hints.
fn report(err: &Error) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut text = String::new();
    for p in &err.problems {
        let path = p.path.strip_prefix(&cwd).unwrap_or(&p.path);
        text.push_str(&format!(
            "{}:{}:{}: {}\n",
            path.display(),
            p.line,
            p.col,
            render::sanitize::cell(&p.message)
        ));
        if let Some(h) = &p.hint {
            text.push_str(&format!("  hint: {}\n", render::sanitize::cell(h)));
        }
    }
    // An interrupt is the person's choice, not a failure: no "error:" before it.
    let prefix = if err.kind == ErrorKind::Interrupted {
        ""
    } else {
        "error: "
    };
    text.push_str(&format!(
        "{prefix}{}\n",
        render::sanitize::cell(&err.message)
    ));
    for h in &err.hints {
        text.push_str(&format!("hint: {}\n", render::sanitize::cell(h)));
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}
