//! `growth feedback`: what works and what misses the mark, said any time (anonymously if
//! wanted) and resolved in the meeting.

use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::Change;
use crate::model::records::{FEEDBACK_CATEGORIES, Feedback};
use crate::model::summary::{FeedbackSummary, Table};
use crate::render::{self, Listing};

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  growth feedback \"The lead scoring webinar brought great MQLs\" --kind working\n  growth feedback \"Handoff notes are too thin to call on\" --kind missing-the-mark --anonymous\n  growth feedback list --open\n  growth feedback resolve 7kq2 --note \"Template for handoff notes agreed\""
)]
pub struct FeedbackArgs {
    #[command(subcommand)]
    pub action: Option<FeedbackCommand>,
    /// What works, what misses the mark, or a suggestion
    #[arg(required = true)]
    pub text: Option<String>,
    /// working, missing-the-mark or suggestion
    #[arg(long, default_value = "suggestion", value_parser = FEEDBACK_CATEGORIES)]
    pub kind: String,
    /// Store no author anywhere, not even in the file name
    #[arg(long)]
    pub anonymous: bool,
}

#[derive(Debug, Subcommand)]
pub enum FeedbackCommand {
    /// List feedback, newest first
    List(ListArgs),
    /// Mark feedback as dealt with
    Resolve(ResolveArgs),
    /// Take back feedback you gave (out of every list, kept in the history)
    Withdraw(crate::commands::retire::RetireArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth feedback list --open\n  growth feedback list --mine\n  growth feedback list --search \"handoff notes\"\n  growth feedback list --format json"
)]
pub struct ListArgs {
    /// Only feedback not resolved yet
    #[arg(long)]
    pub open: bool,
    /// Only feedback you gave under your name (who you are: see --as); anonymous feedback is never yours
    #[arg(long)]
    pub mine: bool,
    /// Only feedback whose text contains TEXT (case and accents ignored)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth feedback resolve 7kq2 --note \"Handoff note template agreed\""
)]
pub struct ResolveArgs {
    /// The feedback's id (any unique prefix)
    pub id: String,
    /// What was decided or done
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
struct FeedbackView<'a> {
    id: &'a str,
    at: String,
    by: Option<&'a str>,
    category: &'a str,
    text: &'a str,
    status: &'static str,
    resolved_at: Option<String>,
    resolved_by: Option<&'a str>,
    resolution: Option<&'a str>,
}

impl<'a> FeedbackView<'a> {
    fn new(f: &'a Feedback, tz: chrono_tz::Tz) -> Self {
        FeedbackView {
            id: &f.id,
            at: f.at.to_toml(tz),
            by: f.by.as_deref(),
            category: &f.category,
            text: &f.text,
            status: if f.resolved_at.is_some() {
                "resolved"
            } else {
                "open"
            },
            resolved_at: f.resolved_at.map(|t| t.to_toml(tz)),
            resolved_by: f.resolved_by.as_deref(),
            resolution: f.resolution.as_deref(),
        }
    }
}

const FORMATS: [OutputFormat; 3] = [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv];

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: FeedbackArgs) -> Result<()> {
    match args.action {
        Some(FeedbackCommand::List(a)) => list(ctx, out, a),
        Some(FeedbackCommand::Resolve(a)) => resolve(ctx, out, a),
        Some(FeedbackCommand::Withdraw(a)) => {
            super::retire::run(ctx, out, super::retire::Retire::WithdrawFeedback, a)
        }
        None => add(
            ctx,
            out,
            args.text.unwrap_or_default(),
            args.kind,
            args.anonymous,
        ),
    }
}

fn add(
    ctx: &Ctx,
    out: &mut dyn Write,
    text: String,
    category: String,
    anonymous: bool,
) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let text = super::non_empty_text(&text, "feedback")?;
    let mut ws = ctx.open()?;
    // Anonymous feedback needs no identity: nothing about the author is kept.
    let me = if anonymous {
        String::new()
    } else {
        ctx.identity(ws.config(), &ws.root)?.member
    };
    let mut id = String::new();
    super::record(ctx, &mut ws, &me, |records, _, _| {
        id = super::new_record_id(records, Table::Feedback);
        Ok(vec![Change::FeedbackAdd {
            id: id.clone(),
            text: text.clone(),
            category: category.clone(),
            anonymous,
        }])
    })?;
    let who = if anonymous { "anonymous " } else { "" };
    print_one(
        ctx,
        out,
        &ws,
        &id,
        &format!("recorded {who}{category} feedback {id}"),
    )
}

fn resolve(ctx: &Ctx, out: &mut dyn Write, args: ResolveArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut id = String::new();
    let mut already = false;
    super::record(ctx, &mut ws, &me, |records, _, _| {
        id = super::resolve_record(records, Table::Feedback, &args.id, "growth feedback list")?;
        // Resolved already: nothing to record, and not an error (as for a lead's stage).
        already = records
            .get::<FeedbackSummary>(&id)
            .is_some_and(|f| f.closed);
        if already && args.note.is_some() {
            // A note would be lost: say so rather than drop it.
            return Err(Error::user(format!(
                "feedback {id} is resolved already; the new note was not recorded"
            ))
            .hint("resolutions are written once; add what changed as new feedback"));
        }
        if already {
            return Ok(Vec::new());
        }
        Ok(vec![Change::FeedbackResolve {
            feedback: id.clone(),
            note: args.note.clone(),
        }])
    })?;
    let message = if already {
        format!("feedback {id} is resolved already; nothing to record")
    } else {
        format!("resolved feedback {id}")
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
    super::print_record(ctx, out, ws, id, message, |state, json| {
        let Some(f) = state.feedback.get(id) else {
            return Ok(None);
        };
        Ok(Some(if json {
            render::json(&FeedbackView::new(f, ws.tz()))?
        } else {
            render::csv(ctx, &listing(&[f], ws.tz()))?
        }))
    })
}

fn listing(items: &[&Feedback], tz: chrono_tz::Tz) -> Listing {
    Listing {
        headers: vec!["id", "date", "category", "by", "status", "text"],
        rows: items
            .iter()
            .map(|f| {
                vec![
                    f.id.clone(),
                    f.at.date_in(tz).to_string().into(),
                    f.category.clone().into(),
                    f.by.clone().unwrap_or_else(|| "anonymous".into()),
                    if f.resolved_at.is_some() {
                        "resolved".into()
                    } else {
                        "open".into()
                    },
                    f.text.clone(),
                ]
            })
            .collect(),
        droppable: vec![3, 1, 4],
        wrap: Some(5),
    }
}

fn list(ctx: &Ctx, out: &mut dyn Write, args: ListArgs) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let ws = ctx.open()?;
    let me = if args.mine {
        Some(ctx.identity(ws.config(), &ws.root)?.member)
    } else {
        None
    };
    let wanted = args
        .search
        .as_deref()
        .and_then(crate::model::search::Search::new);
    let state = ws.state_parts(crate::store::Needs::FEEDBACK)?;
    let mut items: Vec<&Feedback> = state
        .feedback
        .values()
        .map(|f| &**f)
        .filter(|f| !args.open || f.resolved_at.is_none())
        // Anonymous feedback has no author: it is nobody's, so never "mine".
        .filter(|f| me.as_deref().is_none_or(|m| f.by.as_deref() == Some(m)))
        .filter(|f| crate::model::search::found(wanted.as_ref(), [f.text.as_str()]))
        .collect();
    items.sort_by_key(|f| (std::cmp::Reverse(f.at), f.id.as_str()));
    match format {
        OutputFormat::Json => {
            let views: Vec<FeedbackView> = items
                .iter()
                .map(|f| FeedbackView::new(f, ws.tz()))
                .collect();
            render::emit(out, &render::json(&views)?)
        }
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing(&items, ws.tz()))?),
        _ if items.is_empty() => super::confirm(
            ctx,
            out,
            if args.mine || wanted.is_some() {
                "no feedback match these filters"
            } else {
                "no feedback here; say what works with `growth feedback TEXT`"
            },
        ),
        _ => render::emit_table(ctx, out, &listing(&items, ws.tz())),
    }
}
