//! `growth action add|list|done|edit`: action items with an owner and a due date.

use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::Change;
use crate::model::records::Action;
use crate::model::summary::{ActionSummary, Table};
use crate::render::{self, Listing};

#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// Add an action item
    #[command(
        after_help = "Examples:\n  growth action add \"Send the pricing sheet to Globex\" --owner tom --due 2026-12-02"
    )]
    Add(AddArgs),
    /// List action items, overdue first
    List(ListArgs),
    /// Mark an action item done
    Done(DoneArgs),
    /// Cancel an action item: no longer open, not done
    Cancel(crate::commands::retire::RetireArgs),
    /// Change an action item's owner, due date or text (it keeps its id and history)
    Edit(EditArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth action edit a61b --owner sofia\n  growth action edit a61b --due 2026-12-09\n  growth action edit a61b --no-due --text \"Send the revised pricing sheet\""
)]
pub struct EditArgs {
    /// The action item's id (any unique prefix)
    pub id: String,
    /// Who does it now
    #[arg(long, value_name = "MEMBER")]
    pub owner: Option<String>,
    /// When it is due now (a date)
    #[arg(long, value_name = "DATE", conflicts_with = "no_due")]
    pub due: Option<String>,
    /// Remove the due date
    #[arg(long)]
    pub no_due: bool,
    /// What is to be done, reworded
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// What is to be done
    pub text: String,
    /// Who does it
    #[arg(long, value_name = "MEMBER")]
    pub owner: String,
    /// When it is due (a date)
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
    /// The date of the meeting that decided it (it then counts as carried from the next one)
    #[arg(long, value_name = "DATE")]
    pub meeting: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth action list --open\n  growth action list --mine --open\n  growth action list --search pricing\n  growth action list --format csv"
)]
pub struct ListArgs {
    /// Only action items not done yet
    #[arg(long)]
    pub open: bool,
    /// Only action items you own (who you are: see --as)
    #[arg(long)]
    pub mine: bool,
    /// Only action items whose text contains TEXT (case and accents ignored)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  growth action done a61b")]
pub struct DoneArgs {
    /// The action item's id (any unique prefix)
    pub id: String,
}

#[derive(Debug, Serialize)]
struct ActionView<'a> {
    id: &'a str,
    at: String,
    by: &'a str,
    text: &'a str,
    owner: &'a str,
    due: Option<String>,
    status: &'static str,
    done_at: Option<String>,
    done_by: Option<&'a str>,
}

fn status(a: &Action, today: chrono::NaiveDate) -> &'static str {
    match (a.done_at, a.due) {
        (Some(_), _) => "done",
        (None, Some(due)) if due < today => "overdue",
        _ => "open",
    }
}

const FORMATS: [OutputFormat; 3] = [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv];

pub fn run(ctx: &Ctx, out: &mut dyn Write, cmd: ActionCommand) -> Result<()> {
    match cmd {
        ActionCommand::Add(a) => add(ctx, out, a),
        ActionCommand::List(a) => list(ctx, out, a),
        ActionCommand::Done(a) => done(ctx, out, a),
        ActionCommand::Edit(a) => edit(ctx, out, a),
        ActionCommand::Cancel(a) => {
            super::retire::run(ctx, out, super::retire::Retire::CancelAction, a)
        }
    }
}

fn add(ctx: &Ctx, out: &mut dyn Write, args: AddArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let text = super::non_empty_text(&args.text, "action")?;
    let due = args
        .due
        .as_deref()
        .map(crate::model::time::parse_date)
        .transpose()
        .map_err(|m| Error::usage(format!("invalid value for --due: {m}")))?;
    let meeting = args
        .meeting
        .as_deref()
        .map(crate::model::time::parse_date)
        .transpose()
        .map_err(|m| Error::usage(format!("invalid value for --meeting: {m}")))?
        .map(|d| d.to_string());
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let owner = super::resolve_member(ws.config(), &args.owner)?.to_string();
    let mut id = String::new();
    super::record(ctx, &mut ws, &me, |records, _, _| {
        if let Some(m) = &meeting
            && records.fields(Table::Meetings, m).is_none()
        {
            return Err(Error::user(format!("no meeting was recorded on {m}"))
                .hint("record it first with `growth meeting record --date DATE`"));
        }
        id = super::new_record_id(records, Table::Actions);
        Ok(vec![Change::ActionAdd {
            id: id.clone(),
            text: text.clone(),
            owner: owner.clone(),
            due,
            meeting: meeting.clone(),
        }])
    })?;
    let due_text = due.map(|d| format!(", due {d}")).unwrap_or_default();
    if let Some(d) = due
        && d < ctx.today(ws.tz())?
        && !ctx.quiet
    {
        render::warn(&format!(
            "{d} is in the past: the action is overdue already"
        ));
    }
    print_one(
        ctx,
        out,
        &ws,
        &id,
        &format!("added action {id} for {owner}{due_text}"),
    )
}

fn done(ctx: &Ctx, out: &mut dyn Write, args: DoneArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut id = String::new();
    let mut already = false;
    super::record(ctx, &mut ws, &me, |records, _, _| {
        id = super::resolve_record(records, Table::Actions, &args.id, "growth action list")?;
        // Done already: nothing to record, and not an error (as for a lead's stage).
        already = records.get::<ActionSummary>(&id).is_some_and(|a| a.closed);
        if already {
            return Ok(Vec::new());
        }
        Ok(vec![Change::ActionDone { action: id.clone() }])
    })?;
    let message = if already {
        format!("action {id} is done already; nothing to record")
    } else {
        format!("action {id} is done")
    };
    print_one(ctx, out, &ws, &id, &message)
}

/// What `action edit` asks for, checked: the one change it records and how to say it.
pub struct ActionEdit {
    pub owner: Option<String>,
    pub due: Option<chrono::NaiveDate>,
    pub no_due: bool,
    pub text: Option<String>,
}

/// Records `edit` on action `id` (any unique prefix) as one `action.edit` entry; returns
/// the action's id and what changed ("" when nothing did).
pub fn record_edit(
    ctx: &Ctx,
    ws: &mut crate::store::Workspace,
    me: &str,
    id: &str,
    edit: &ActionEdit,
) -> Result<(String, String)> {
    let mut full = String::new();
    let mut said = Vec::new();
    super::record(ctx, ws, me, |records, _, _| {
        full = super::resolve_record(records, Table::Actions, id, "growth action list")?;
        said.clear();
        let owner_was = records
            .get::<ActionSummary>(&full)
            .map(|a| a.owner)
            .unwrap_or_default();
        // The same owner again is no change; the index holds no due date or text, so those
        // are recorded as asked (the same value again agrees with itself on every clone).
        let owner = edit.owner.clone().filter(|o| *o != owner_was);
        if let Some(o) = &owner {
            said.push(format!("reassigned {owner_was} → {o}"));
        }
        if let Some(d) = edit.due {
            said.push(format!("due {d}"));
        }
        if edit.no_due {
            said.push("no due date".to_string());
        }
        if edit.text.is_some() {
            said.push("reworded".to_string());
        }
        if said.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![Change::ActionEdit {
            action: full.clone(),
            text: edit.text.clone(),
            owner,
            due: edit.due,
            clear: if edit.no_due {
                vec!["due".into()]
            } else {
                Vec::new()
            },
        }])
    })?;
    Ok((full, said.join(", ")))
}

fn edit(ctx: &Ctx, out: &mut dyn Write, args: EditArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    if args.owner.is_none() && args.due.is_none() && !args.no_due && args.text.is_none() {
        return Err(
            Error::usage("`growth action edit` needs something to change")
                .hint("pass --owner MEMBER, --due DATE, --no-due or --text TEXT"),
        );
    }
    let text = args
        .text
        .as_deref()
        .map(|t| super::non_empty_text(t, "action"))
        .transpose()?;
    let due = args
        .due
        .as_deref()
        .map(crate::model::time::parse_date)
        .transpose()
        .map_err(|m| Error::usage(format!("invalid value for --due: {m}")))?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let owner = args
        .owner
        .as_deref()
        .map(|o| super::resolve_member(ws.config(), o).map(str::to_string))
        .transpose()?;
    let edit = ActionEdit {
        owner,
        due,
        no_due: args.no_due,
        text,
    };
    let (id, said) = record_edit(ctx, &mut ws, &me, &args.id, &edit)?;
    let message = if said.is_empty() {
        format!("action {id} is like that already; nothing to record")
    } else {
        format!("action {id}: {said}")
    };
    print_one(ctx, out, &ws, &id, &message)
}

fn print_one(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &crate::store::Workspace,
    id: &str,
    message: &str,
) -> Result<()> {
    let today = ctx.today(ws.tz())?;
    super::print_record(ctx, out, ws, id, message, |state, json| {
        let Some(a) = state.actions.get(id) else {
            return Ok(None);
        };
        Ok(Some(if json {
            render::json(&view(a, ws.tz(), today))?
        } else {
            render::csv(ctx, &listing(&[a], ws.tz(), today))?
        }))
    })
}

fn view(a: &Action, tz: chrono_tz::Tz, today: chrono::NaiveDate) -> ActionView<'_> {
    ActionView {
        id: &a.id,
        at: a.at.to_toml(tz),
        by: &a.by,
        text: &a.text,
        owner: &a.owner,
        due: a.due.map(|d| d.to_string()),
        status: status(a, today),
        done_at: a.done_at.map(|t| t.to_toml(tz)),
        done_by: a.done_by.as_deref(),
    }
}

fn listing(items: &[&Action], tz: chrono_tz::Tz, today: chrono::NaiveDate) -> Listing {
    Listing {
        headers: vec!["id", "status", "owner", "due", "text", "added"],
        rows: items
            .iter()
            .map(|a| {
                vec![
                    a.id.clone(),
                    status(a, today).to_string(),
                    a.owner.clone(),
                    a.due.map(|d| d.to_string()).unwrap_or_default(),
                    a.text.clone(),
                    a.at.date_in(tz).to_string(),
                ]
            })
            .collect(),
        droppable: vec![5, 3],
        wrap: Some(4),
    }
}

fn list(ctx: &Ctx, out: &mut dyn Write, args: ListArgs) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let ws = ctx.open()?;
    let today = ctx.today(ws.tz())?;
    let me = if args.mine {
        Some(ctx.identity(ws.config(), &ws.root)?.member)
    } else {
        None
    };
    let wanted = args
        .search
        .as_deref()
        .and_then(crate::model::search::Search::new);
    let state = ws.state_parts(crate::store::Needs::ACTIONS)?;
    let mut items: Vec<&Action> = state
        .actions
        .values()
        .filter(|a| !args.open || a.done_at.is_none())
        .filter(|a| me.as_deref().is_none_or(|m| a.owner == m))
        .filter(|a| crate::model::search::found(wanted.as_ref(), [a.text.as_str()]))
        .collect();
    let rank = |a: &Action| match status(a, today) {
        "overdue" => 0,
        "open" => 1,
        _ => 2,
    };
    items.sort_by_key(|a| {
        (
            rank(a),
            a.due.unwrap_or(chrono::NaiveDate::MAX),
            a.at,
            a.id.as_str(),
        )
    });
    match format {
        OutputFormat::Json => {
            let views: Vec<ActionView> = items.iter().map(|a| view(a, ws.tz(), today)).collect();
            render::emit(out, &render::json(&views)?)
        }
        OutputFormat::Csv => {
            render::emit(out, &render::csv(ctx, &listing(&items, ws.tz(), today))?)
        }
        _ if items.is_empty() => super::confirm(
            ctx,
            out,
            if args.mine || wanted.is_some() {
                "no action items match these filters"
            } else {
                "no action items here; add one with `growth action add TEXT --owner MEMBER`"
            },
        ),
        _ => render::emit_table(ctx, out, &listing(&items, ws.tz(), today)),
    }
}
