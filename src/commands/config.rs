//! `growth config get|set|list`: the team's settings without hand-editing `growth.toml`.
//! A change is checked first, then made in place (comments kept) and shown as a diff.

use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::settings::{self, SETTINGS, Setting, Value};
use crate::render::{self, Listing};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print one setting
    #[command(
        after_help = "Examples:\n  growth config get meeting.time\n  growth config get business_hours.workdays --format json"
    )]
    Get(GetArgs),
    /// Change one setting in growth.toml (comments kept) and show the lines that changed
    #[command(
        after_help = "Lists are comma-separated; \"\" empties one. Times are HH:MM, dates YYYY-MM-DD.\n\nExamples:\n  growth config set meeting.weekday thu\n  growth config set meeting.time 15:30\n  growth config set meeting.facilitators maria,lukas\n  growth config set business_hours.workdays mon,tue,wed,thu\n  growth config set business_hours.holidays 2026-12-24,2026-12-25\n  growth config set handoff.accept_within_hours 2"
    )]
    Set(SetArgs),
    /// Every setting, its value and what it means
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// The setting, e.g. meeting.time (`growth config list` shows them all)
    pub key: String,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The setting, e.g. meeting.time (`growth config list` shows them all)
    pub key: String,
    /// Its new value
    pub value: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {}

/// A setting as printed in JSON.
#[derive(Debug, Serialize)]
struct SettingView {
    key: &'static str,
    value: Value,
    about: &'static str,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, cmd: ConfigCommand) -> Result<()> {
    match cmd {
        ConfigCommand::Get(args) => get(ctx, out, args),
        ConfigCommand::Set(args) => set(ctx, out, args),
        ConfigCommand::List(args) => list(ctx, out, args),
    }
}

/// The setting `key` names, or an error with the closest names.
fn setting(key: &str) -> Result<&'static Setting> {
    settings::find(key).map_err(|near| {
        let err = Error::user(format!("unknown setting `{}`", key.trim()));
        let err = if near.is_empty() {
            err
        } else {
            let quoted: Vec<String> = near.iter().map(|k| format!("`{k}`")).collect();
            err.hint(format!("did you mean {}?", quoted.join(" or ")))
        };
        err.hint("run `growth config list` to see every setting")
    })
}

fn view(s: &'static Setting, config: &Config) -> SettingView {
    SettingView {
        key: s.key,
        value: s.current(config),
        about: s.about,
    }
}

fn get(ctx: &Ctx, out: &mut dyn Write, args: GetArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Text, OutputFormat::Json],
    )?;
    let s = setting(&args.key)?;
    let ws = ctx.open()?;
    let view = view(s, ws.config());
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&view)?),
        _ => render::emit(
            out,
            &format!("{}\n", render::sanitize::cell(&view.value.to_string())),
        ),
    }
}

fn list(ctx: &Ctx, out: &mut dyn Write, _args: ListArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    let ws = ctx.open()?;
    let views: Vec<SettingView> = SETTINGS.iter().map(|s| view(s, ws.config())).collect();
    let listing = Listing {
        headers: vec!["key", "value", "about"],
        rows: views
            .iter()
            .map(|v| vec![v.key.to_string(), v.value.to_string(), v.about.to_string()])
            .collect(),
        droppable: vec![2],
        wrap: Some(1),
    };
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&views)?),
        OutputFormat::Csv => render::emit_csv(ctx, out, &listing),
        _ => render::emit_table(ctx, out, &listing),
    }
}

fn set(ctx: &Ctx, out: &mut dyn Write, args: SetArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &[OutputFormat::Table])?;
    let s = setting(&args.key)?;
    let mut ws = ctx.open()?;
    let parse = |config: &Config| {
        s.parse(&args.value, config).map_err(|e| {
            Error::user(format!("invalid value for {}: {}", s.key, e.message)).hint(e.hint)
        })
    };
    let value = parse(ws.config())?;
    if value == s.current(ws.config()) {
        return super::confirm(
            ctx,
            out,
            &format!("{} is {value} already; nothing changed", s.key),
        );
    }
    let (table, key) = s.path();
    let (mut before, mut after) = (String::new(), String::new());
    ws.edit_config(|doc, config| {
        // Checked again under the lock, against growth.toml as it is now.
        let value = parse(config)?;
        before = doc.to_string();
        crate::store::config::set_setting(doc, table, key, &value)?;
        after = doc.to_string();
        Ok(())
    })
    .map_err(|e| match e.kind {
        // The file is fine, but what was recorded before does not fit the new value.
        crate::error::ErrorKind::Workspace => Error {
            message: format!(
                "invalid value for {}: the recorded history does not fit it; nothing changed",
                s.key
            ),
            hints: vec![format!(
                "keep what the entries above use (`growth config get {}` shows the value now)",
                s.key
            )],
            ..e
        },
        _ => e,
    })?;
    if ctx.quiet {
        return Ok(());
    }
    let diff = render::diff::lines(ctx, crate::store::config::CONFIG_FILE, &before, &after);
    render::emit(out, &diff)?;
    super::confirm(ctx, out, &format!("set {} to {value}", s.key))
}
