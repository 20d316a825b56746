//! One module per subcommand: the arguments (whose doc comments are the help) and a
//! `run` function that glues the context, the store and the renderers together.

pub mod action;
pub mod agenda;
pub mod check;
pub mod config;
pub mod conflicts;
pub mod feedback;
pub mod goal;
pub mod handoff;
pub mod idea;
pub mod init;
pub mod lead;
pub mod log;
pub mod meeting;
pub mod member;
pub mod next;
pub mod progress;
pub mod report;
pub mod resolve;
pub mod retire;
pub mod shell;
pub mod status;
pub mod sync;
pub mod undo;
pub mod whoami;
pub mod win;

use std::io::Write;

use crate::cli::Command;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::entry::Change;
use crate::model::lookup::{Lookup, by_prefix};
use crate::model::state::State;
use crate::model::summary::{Records, Table};
use crate::model::time::Instant;
use crate::store::Workspace;

pub fn dispatch(ctx: &Ctx, out: &mut dyn Write, command: Command) -> Result<()> {
    match command {
        Command::Init(args) => init::run(ctx, out, args),
        Command::Check(args) => check::run(ctx, out, args),
        Command::Whoami(args) => whoami::run(ctx, out, args),
        Command::Member(cmd) => member::run(ctx, out, cmd),
        Command::Lead(cmd) => lead::run(ctx, out, cmd),
        Command::Handoff(args) => handoff::run(ctx, out, args),
        Command::Feedback(args) => feedback::run(ctx, out, args),
        Command::Idea(args) => idea::run(ctx, out, args),
        Command::Win(args) => win::run(ctx, out, args),
        Command::Action(cmd) => action::run(ctx, out, cmd),
        Command::Goal(cmd) => goal::run(ctx, out, cmd),
        Command::Progress(args) => progress::run(ctx, out, args),
        Command::Agenda(args) => agenda::run(ctx, out, args),
        Command::Next(args) => next::run(ctx, out, args),
        Command::Meeting(cmd) => meeting::run(ctx, out, cmd),
        Command::Sync(args) => sync::run(ctx, out, args),
        Command::Config(cmd) => config::run(ctx, out, cmd),
        Command::Completions(args) => shell::completions(ctx, out, args),
        Command::Man(args) => shell::man(ctx, out, args),
        Command::Conflicts(args) => conflicts::run(ctx, out, args),
        Command::Resolve(args) => resolve::run(ctx, out, args),
        Command::Log(args) => log::run(ctx, out, args),
        Command::Undo(args) => undo::run(ctx, out, args),
        Command::Status(args) => status::run(ctx, out, args),
        Command::Report(args) => report::run(ctx, out, args),
    }
}

/// The lead `wanted` names: its id, a unique prefix of it, or its company's slug.
pub fn resolve_lead(records: &dyn Records, wanted: &str) -> Result<String> {
    if records.fields(Table::Leads, wanted).is_some() {
        return Ok(wanted.to_string());
    }
    // Only the ids that start with what was typed are read, not the whole table.
    let near = records.with_prefix(Table::Leads, wanted);
    match by_prefix(near.iter().map(String::as_str), wanted) {
        Lookup::Found(id) => Ok(id.to_string()),
        Lookup::Ambiguous(ids) => Err(ambiguous("lead", wanted, &ids)),
        Lookup::Missing => {
            let slug = crate::model::lead::slug(wanted);
            if records.fields(Table::Leads, &slug).is_some() {
                return Ok(slug);
            }
            let near = records.with_prefix(Table::Leads, &slug);
            if let Lookup::Found(id) = by_prefix(near.iter().map(String::as_str), &slug) {
                return Ok(id.to_string());
            }
            Err(crate::error::unknown(
                "lead",
                wanted,
                records.ids(Table::Leads),
                "run `growth lead list` to see them",
            ))
        }
    }
}

/// The record of `table` that `wanted` names: its id or a unique prefix of it.
pub fn resolve_record(
    records: &dyn Records,
    table: Table,
    wanted: &str,
    list_cmd: &str,
) -> Result<String> {
    let what = match table {
        Table::Leads => return resolve_lead(records, wanted),
        Table::Handoffs => "handoff",
        Table::Feedback => "feedback",
        Table::Ideas => "idea",
        Table::Actions => "action",
        Table::Goals => "goal",
        Table::Meetings => "meeting",
        Table::Wins => "win",
        Table::Causal => "record",
    };
    let wanted = wanted.trim().to_lowercase();
    if records.fields(table, &wanted).is_some() {
        return Ok(wanted);
    }
    let near = records.with_prefix(table, &wanted);
    match by_prefix(near.iter().map(String::as_str), &wanted) {
        Lookup::Found(id) => Ok(id.to_string()),
        Lookup::Ambiguous(ids) => Err(ambiguous(what, &wanted, &ids)),
        Lookup::Missing => {
            let slug = crate::model::lead::slug(&wanted);
            let near = records.with_prefix(table, &slug);
            if table == Table::Goals
                && let Lookup::Found(id) = by_prefix(near.iter().map(String::as_str), &slug)
            {
                return Ok(id.to_string());
            }
            Err(crate::error::unknown(
                what,
                &wanted,
                records.ids(table),
                &format!("run `{list_cmd}` to see them"),
            ))
        }
    }
}

/// A fresh random record id not used in `table`.
pub fn new_record_id(records: &dyn Records, table: Table) -> String {
    loop {
        let id = crate::model::id::random_id(crate::model::id::RECORD_ID_LEN);
        if records.fields(table, &id).is_none() {
            return id;
        }
    }
}

/// The member `wanted` names, by id or unique prefix.
pub fn resolve_member<'a>(config: &'a Config, wanted: &str) -> Result<&'a str> {
    match by_prefix(config.member_ids(), wanted) {
        Lookup::Found(id) => Ok(id),
        Lookup::Ambiguous(ids) => Err(ambiguous("member", wanted, &ids)),
        Lookup::Missing => Err(crate::error::unknown(
            "member",
            wanted,
            config.member_ids(),
            "run `growth member list` to see the team",
        )),
    }
}

fn ambiguous(what: &str, wanted: &str, ids: &[&str]) -> Error {
    let shown: Vec<String> = ids.iter().take(5).map(|i| format!("`{i}`")).collect();
    Error::user(format!("`{wanted}` matches {} {what}s", ids.len())).hint(format!(
        "type more of the id: {}{}",
        shown.join(", "),
        if ids.len() > 5 { ", ..." } else { "" }
    ))
}

/// Prints a confirmation for a person; with `--quiet`, just the id (for scripts).
pub fn done(ctx: &Ctx, out: &mut dyn Write, id: &str, text: &str) -> Result<()> {
    if ctx.quiet {
        return crate::render::emit(out, &format!("{id}\n"));
    }
    confirm(ctx, out, text)
}

/// Prints a confirmation for a person, unless `--quiet`.
pub fn confirm(ctx: &Ctx, out: &mut dyn Write, text: &str) -> Result<()> {
    if ctx.quiet {
        return Ok(());
    }
    crate::render::emit(
        out,
        &format!("{}\n", crate::render::sanitize::terminal(text, true)),
    )
}

/// Records what `build` returns as `me`, at `--at` or now per the context, and returns a
/// state that holds every record the change touched.
pub fn record<F>(ctx: &Ctx, ws: &mut Workspace, me: &str, build: F) -> Result<State>
where
    F: FnMut(&dyn Records, &Config, Instant) -> Result<Vec<Change>>,
{
    let at = ctx.entry_time(ws.tz())?;
    let recorded = ws.record(me, at, build)?;
    Ok(recorded.state)
}

/// Warns when `date` is not a meeting day by the cadence: an extra meeting is allowed, but
/// an off-cadence date is more often a typo, and the next agenda recalls that meeting.
pub fn warn_off_cadence(config: &Config, date: chrono::NaiveDate) {
    use crate::model::cadence;
    if cadence::is_meeting_day(config, date) {
        return;
    }
    let near: Vec<String> = [cadence::previous(config, date), cadence::next(config, date)]
        .into_iter()
        .flatten()
        .map(|d| d.format("%a %Y-%m-%d").to_string())
        .collect();
    let near = if near.is_empty() {
        String::new()
    } else {
        format!("; the nearest are {}", near.join(" and "))
    };
    crate::render::warn(&format!(
        "{} is not a meeting day by the cadence in growth.toml ([meeting]){near}",
        date.format("%a %Y-%m-%d")
    ));
}

/// An unknown stage: close matches, and the stages there are.
pub fn unknown_stage(config: &Config, stage: &str) -> Error {
    let stages = &config.pipeline.stages;
    crate::error::unknown("stage", stage, stages.iter().map(String::as_str), "")
        .hint(format!("the stages are: {}", stages.join(", ")))
}

/// The trimmed text of a record, refused when empty or too long to be a note.
pub fn non_empty_text(text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::usage(format!("the {what} text is empty")));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Error::usage(format!(
            "the {what} text is longer than {MAX_TEXT} characters"
        ))
        .hint("keep it to a paragraph; link to a document for more"));
    }
    Ok(text.to_string())
}

/// The longest text a feedback, idea, win or action may have.
pub const MAX_TEXT: usize = 2000;

/// After a create or change: the record read back from the workspace as JSON or CSV, or
/// for a person the message (with `-q`, just the id). `one` renders the record, as JSON
/// when asked `true`, else as CSV; `None` when it is not there.
pub fn print_record<F>(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &Workspace,
    id: &str,
    message: &str,
    one: F,
) -> Result<()>
where
    F: FnOnce(&crate::model::state::State, bool) -> Result<Option<String>>,
{
    use crate::cli::OutputFormat;
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    if format == OutputFormat::Table {
        return done(ctx, out, id, message);
    }
    let state = ws.state()?;
    match one(&state, format == OutputFormat::Json)? {
        Some(text) => crate::render::emit(out, &text),
        None => Ok(()),
    }
}
