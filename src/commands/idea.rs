//! `growth idea`: content ideas from the field. Sales hears prospects' questions and
//! objections first; each can become a content offer that helps prospects decide.

use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::Change;
use crate::model::records::{IDEA_STATUSES, Idea};
use crate::model::summary::Table;
use crate::render::{self, Listing};

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  growth idea \"Prospects keep asking how long onboarding takes\" --lead acme --offer \"Onboarding timeline one-pager\"\n  growth idea list\n  growth idea status 4mz8 published --link https://acme.example/onboarding"
)]
pub struct IdeaArgs {
    #[command(subcommand)]
    pub action: Option<IdeaCommand>,
    /// The question or objection heard, or the idea
    #[arg(required = true)]
    pub text: Option<String>,
    /// The lead it came from
    #[arg(long)]
    pub lead: Option<String>,
    /// The content offer that would answer it (a guide, a calculator, a case study...)
    #[arg(long)]
    pub offer: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum IdeaCommand {
    /// List content ideas
    List(ListArgs),
    /// Move an idea along: idea, planned, in-progress, published
    Status(StatusArgs),
    /// Drop an idea: out of the agenda, kept in the history
    Drop(crate::commands::retire::RetireArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth idea list\n  growth idea list --status planned\n  growth idea list --mine --search calculator"
)]
pub struct ListArgs {
    /// Only ideas in this status
    #[arg(long, value_parser = IDEA_STATUSES)]
    pub status: Option<String>,
    /// Only ideas you recorded (who you are: see --as)
    #[arg(long)]
    pub mine: bool,
    /// Only ideas whose text or offer contains TEXT (case and accents ignored)
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth idea status 4mz8 in-progress\n  growth idea status 4mz8 published --link https://acme.example/onboarding"
)]
pub struct StatusArgs {
    /// The idea's id (any unique prefix)
    pub id: String,
    /// idea, planned, in-progress or published
    #[arg(value_parser = IDEA_STATUSES)]
    pub status: String,
    /// Where the content lives (http or https)
    #[arg(long)]
    pub link: Option<String>,
}

#[derive(Debug, Serialize)]
struct IdeaView<'a> {
    id: &'a str,
    at: String,
    by: &'a str,
    text: &'a str,
    lead: Option<&'a str>,
    offer: Option<&'a str>,
    status: &'a str,
    link: Option<&'a str>,
    updated: String,
}

impl<'a> IdeaView<'a> {
    fn new(i: &'a Idea, tz: chrono_tz::Tz) -> Self {
        IdeaView {
            id: &i.id,
            at: i.at.to_toml(tz),
            by: &i.by,
            text: &i.text,
            lead: i.lead.as_deref(),
            offer: i.offer.as_deref(),
            status: &i.status,
            link: i.link.as_deref(),
            updated: i.updated.to_toml(tz),
        }
    }
}

const FORMATS: [OutputFormat; 3] = [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv];

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: IdeaArgs) -> Result<()> {
    match args.action {
        Some(IdeaCommand::List(a)) => list(ctx, out, a),
        Some(IdeaCommand::Status(a)) => status(ctx, out, a),
        Some(IdeaCommand::Drop(a)) => {
            super::retire::run(ctx, out, super::retire::Retire::DropIdea, a)
        }
        None => add(ctx, out, args),
    }
}

fn add(ctx: &Ctx, out: &mut dyn Write, args: IdeaArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let text = super::non_empty_text(args.text.as_deref().unwrap_or_default(), "idea")?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut id = String::new();
    super::record(ctx, &mut ws, &me, |records, _, _| {
        let lead = args
            .lead
            .as_deref()
            .map(|l| super::resolve_lead(records, l))
            .transpose()?;
        id = super::new_record_id(records, Table::Ideas);
        Ok(vec![Change::IdeaAdd {
            id: id.clone(),
            text: text.clone(),
            lead,
            offer: args.offer.clone(),
        }])
    })?;
    print_one(ctx, out, &ws, &id, &format!("recorded content idea {id}"))
}

fn status(ctx: &Ctx, out: &mut dyn Write, args: StatusArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    if let Some(link) = &args.link
        && let Some(why) = crate::model::link::refusal(link)
    {
        return Err(Error::usage(format!("invalid value for --link: `{link}`")).hint(why));
    }
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut id = String::new();
    super::record(ctx, &mut ws, &me, |records, _, _| {
        id = super::resolve_record(records, Table::Ideas, &args.id, "growth idea list")?;
        Ok(vec![Change::IdeaStatus {
            idea: id.clone(),
            status: args.status.clone(),
            link: args.link.clone(),
        }])
    })?;
    print_one(ctx, out, &ws, &id, &format!("idea {id} is {}", args.status))
}

fn print_one(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &crate::store::Workspace,
    id: &str,
    message: &str,
) -> Result<()> {
    super::print_record(ctx, out, ws, id, message, |state, json| {
        let Some(i) = state.ideas.get(id) else {
            return Ok(None);
        };
        Ok(Some(if json {
            render::json(&IdeaView::new(i, ws.tz()))?
        } else {
            render::csv(ctx, &listing(&[i], ws.tz()))?
        }))
    })
}

fn listing(items: &[&Idea], tz: chrono_tz::Tz) -> Listing {
    Listing {
        headers: vec![
            "id", "status", "by", "lead", "date", "text", "offer", "link",
        ],
        rows: items
            .iter()
            .map(|i| {
                vec![
                    i.id.clone(),
                    i.status.clone(),
                    i.by.clone(),
                    i.lead.clone().unwrap_or_default(),
                    i.updated.date_in(tz).to_string(),
                    i.text.clone(),
                    i.offer.clone().unwrap_or_default(),
                    i.link.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        droppable: vec![7, 4, 3, 2, 6],
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
    let state = ws.state_parts(crate::store::Needs::IDEAS)?;
    let mut items: Vec<&Idea> = state
        .ideas
        .values()
        .filter(|i| args.status.as_ref().is_none_or(|s| &i.status == s))
        .filter(|i| me.as_deref().is_none_or(|m| i.by == m))
        .filter(|i| {
            crate::model::search::found(
                wanted.as_ref(),
                [Some(i.text.as_str()), i.offer.as_deref()]
                    .into_iter()
                    .flatten(),
            )
        })
        .collect();
    let rank = |s: &str| IDEA_STATUSES.iter().position(|x| *x == s);
    items.sort_by_key(|i| (rank(&i.status), std::cmp::Reverse(i.updated), i.id.as_str()));
    match format {
        OutputFormat::Json => {
            let views: Vec<IdeaView> = items.iter().map(|i| IdeaView::new(i, ws.tz())).collect();
            render::emit(out, &render::json(&views)?)
        }
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing(&items, ws.tz()))?),
        _ if items.is_empty() => super::confirm(
            ctx,
            out,
            if args.mine || wanted.is_some() {
                "no ideas match these filters"
            } else {
                "no content ideas here; add one with `growth idea TEXT`"
            },
        ),
        _ => render::emit_table(ctx, out, &listing(&items, ws.tz())),
    }
}
