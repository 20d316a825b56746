//! `growth goal add|list|checkin`: targets over a period that credit any departments.

use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::{Change, GoalFields};
use crate::model::goal::{Goal, METRICS, Metric};
use crate::model::summary::{GoalSummary, Table};
use crate::render::{self, Listing};

#[derive(Debug, Subcommand)]
pub enum GoalCommand {
    /// Add a goal: a target for a metric over a period
    #[command(
        after_help = "Metrics measured from the journal: revenue (value of leads won), deals (leads won),\nleads (created), mqls, sqls (leads reaching them), handoffs (made), accepted (handoffs\naccepted); manual takes check-ins.\n\nExamples:\n  growth goal add \"Q4 new revenue\" --metric revenue --target 250000 --from 2026-10-01 --to 2026-12-31 --credit marketing,sales,account-management\n  growth goal add \"Q4 MQLs\" --metric mqls --target 40 --from 2026-10-01 --to 2026-12-31 --owner maria\n  growth goal add \"Net promoter score\" --metric manual --target 50 --from 2026-10-01 --to 2026-12-31 --unit points"
    )]
    Add(AddArgs),
    /// List goals
    List(ListArgs),
    /// Record the value of a manual goal
    #[command(
        after_help = "Examples:\n  growth goal checkin net-promoter-score 42 --note \"November survey, 61 answers\""
    )]
    Checkin(CheckinArgs),
    /// Take a goal out of progress tables and the agenda, keeping its history
    Archive(crate::commands::retire::RetireArgs),
    /// Bring an archived goal back
    Unarchive(crate::commands::retire::RetireArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// What the team is going for; the goal's id is its slug (e.g. q4-new-revenue)
    pub title: String,
    /// revenue, deals, leads, mqls, sqls, handoffs, accepted or manual
    #[arg(long, value_parser = METRICS)]
    pub metric: String,
    /// The target, e.g. 40, or for revenue 250000, "250,000" or "250000 EUR"
    #[arg(long, allow_hyphen_values = true)]
    pub target: String,
    /// First day of the period
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// Last day of the period
    #[arg(long, value_name = "DATE")]
    pub to: String,
    /// Who owns the goal (default: you)
    #[arg(long, value_name = "MEMBER")]
    pub owner: Option<String>,
    /// Departments credited when it is reached, comma-separated (any department)
    #[arg(long, value_delimiter = ',', value_name = "DEPT,...")]
    pub credit: Vec<String>,
    /// The unit shown after numbers (e.g. points, calls)
    #[arg(long)]
    pub unit: Option<String>,
    /// Manual goals: add check-ins up instead of taking the latest
    #[arg(long)]
    pub sum: bool,
    /// Use this id instead of the title's slug
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  growth goal list\n  growth goal list --format json")]
pub struct ListArgs {}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// The goal's id, a unique prefix, or its title
    pub goal: String,
    /// The value now (or, for goals that sum, the amount to add)
    #[arg(allow_negative_numbers = true)]
    pub value: String,
    /// Where the number comes from
    #[arg(long)]
    pub note: Option<String>,
}

const FORMATS: [OutputFormat; 3] = [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv];

pub fn run(ctx: &Ctx, out: &mut dyn Write, cmd: GoalCommand) -> Result<()> {
    match cmd {
        GoalCommand::Add(a) => add(ctx, out, a),
        GoalCommand::List(_) => list(ctx, out),
        GoalCommand::Checkin(a) => checkin(ctx, out, a),
        GoalCommand::Archive(a) => {
            super::retire::run(ctx, out, super::retire::Retire::ArchiveGoal, a)
        }
        GoalCommand::Unarchive(a) => {
            super::retire::run(ctx, out, super::retire::Retire::UnarchiveGoal, a)
        }
    }
}

fn add(ctx: &Ctx, out: &mut dyn Write, args: AddArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let title = super::non_empty_text(&args.title, "goal title")?;
    let metric = Metric::parse(&args.metric).ok_or_else(|| Error::usage("unknown metric"))?;
    let (target, currency) = crate::model::money::parse_money(&args.target)
        .map_err(|m| Error::usage(format!("invalid value for --target: {m}")))?;
    if currency.is_some() && metric != Metric::Revenue {
        return Err(Error::usage(
            "invalid value for --target: only revenue goals have a currency",
        ));
    }
    let date = |flag: &str, text: &str| {
        crate::model::time::parse_date(text)
            .map_err(|m| Error::usage(format!("invalid value for {flag}: {m}")))
    };
    let (from, to) = (date("--from", &args.from)?, date("--to", &args.to)?);
    if to < from {
        return Err(Error::usage(format!(
            "the goal ends ({to}) before it starts ({from})"
        )));
    }
    let id = match &args.id {
        Some(id) if crate::model::lead::is_valid_id(id) => id.clone(),
        Some(id) => {
            return Err(Error::usage(format!("invalid value for --id: `{id}`"))
                .hint("use lowercase letters, digits and dashes"));
        }
        None => crate::model::lead::slug(&title),
    };
    if id.is_empty() {
        return Err(Error::usage(format!("`{title}` gives no readable id"))
            .hint("pass --id, e.g. --id q4-revenue"));
    }
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let owner = match &args.owner {
        Some(o) => super::resolve_member(ws.config(), o)?.to_string(),
        None => me.clone(),
    };
    let credit: Vec<String> = args
        .credit
        .iter()
        .map(|d| crate::model::lead::slug(d))
        .filter(|d| !d.is_empty())
        .collect();
    let departments: Vec<&str> = ws
        .config()
        .members
        .values()
        .map(|m| m.department.as_str())
        .collect();
    for dept in &credit {
        if !departments.contains(&dept.as_str()) && !ctx.quiet {
            render::warn(&format!(
                "no member is in `{dept}` yet; the goal credits it anyway"
            ));
        }
    }
    let team_currency = ws.config().team.currency.clone();
    super::record(ctx, &mut ws, &me, |records, _, _| {
        if records.get::<GoalSummary>(&id).is_some() {
            return Err(Error::user(format!("goal `{id}` exists already"))
                .hint("pass --id to name this one differently"));
        }
        Ok(vec![Change::GoalAdd(Box::new(GoalFields {
            id: id.clone(),
            title: title.clone(),
            metric: metric.as_str().to_string(),
            target,
            unit: args.unit.clone(),
            start: from,
            end: to,
            owner: Some(owner.clone()),
            credit: credit.clone(),
            // Stored, so a later change of the team's currency changes no goal.
            currency: (metric == Metric::Revenue)
                .then(|| currency.clone().unwrap_or(team_currency.clone())),
            sum: args.sum,
        }))])
    })?;
    print_one(
        ctx,
        out,
        &ws,
        &id,
        &format!(
            "added goal {id}: {} {} from {from} to {to}",
            show_target(target, metric, &currency.unwrap_or(team_currency)),
            metric.as_str()
        ),
    )
}

fn show_target(target: f64, metric: Metric, currency: &str) -> String {
    if metric == Metric::Revenue {
        render::money(target, currency)
    } else {
        render::number(target)
    }
}

fn checkin(ctx: &Ctx, out: &mut dyn Write, args: CheckinArgs) -> Result<()> {
    ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let value: f64 = args
        .value
        .trim()
        .replace(',', "")
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| {
            Error::usage(format!(
                "invalid value for VALUE: `{}` is not a number of zero or more",
                args.value
            ))
        })?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut id = String::new();
    super::record(ctx, &mut ws, &me, |records, _, _| {
        id = super::resolve_record(records, Table::Goals, &args.goal, "growth goal list")?;
        if let Some(g) = records.get::<GoalSummary>(&id)
            && g.status != "manual"
        {
            return Err(Error::user(format!(
                "goal {id} measures {} from the journal; there is nothing to check in",
                g.status
            ))
            .hint(format!(
                "see where it stands with `growth progress --goal {id}`"
            )));
        }
        Ok(vec![Change::GoalCheckin {
            goal: id.clone(),
            value,
            note: args.note.clone(),
        }])
    })?;
    print_one(
        ctx,
        out,
        &ws,
        &id,
        &format!("checked in {} for {id}", render::number(value)),
    )
}

#[derive(Debug, Serialize)]
struct GoalView<'a> {
    id: &'a str,
    title: &'a str,
    metric: &'static str,
    target: f64,
    unit: Option<&'a str>,
    currency: Option<&'a str>,
    from: String,
    to: String,
    owner: Option<&'a str>,
    credit: &'a [String],
    aggregate: &'static str,
    checkins: Vec<CheckinView<'a>>,
}

#[derive(Debug, Serialize)]
struct CheckinView<'a> {
    at: String,
    by: &'a str,
    value: f64,
    note: Option<&'a str>,
}

fn view(g: &Goal, tz: chrono_tz::Tz) -> GoalView<'_> {
    GoalView {
        id: &g.id,
        title: &g.title,
        metric: g.metric.as_str(),
        target: g.target,
        unit: g.unit.as_deref(),
        currency: g.currency.as_deref(),
        from: g.from.to_string(),
        to: g.to.to_string(),
        owner: g.owner.as_deref(),
        credit: &g.credit,
        aggregate: if g.sum { "sum" } else { "latest" },
        checkins: g
            .checkins
            .iter()
            .map(|c| CheckinView {
                at: c.at.to_toml(tz),
                by: &c.by,
                value: c.value,
                note: c.note.as_deref(),
            })
            .collect(),
    }
}

fn print_one(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &crate::store::Workspace,
    id: &str,
    message: &str,
) -> Result<()> {
    super::print_record(ctx, out, ws, id, message, |state, json| {
        let Some(g) = state.goals.get(id) else {
            return Ok(None);
        };
        Ok(Some(if json {
            render::json(&view(g, ws.tz()))?
        } else {
            render::csv(ctx, &listing(&[g], &ws.config().team.currency))?
        }))
    })
}

fn listing(goals: &[&Goal], team_currency: &str) -> Listing {
    Listing {
        headers: vec![
            "id", "title", "metric", "target", "from", "to", "owner", "credit",
        ],
        rows: goals
            .iter()
            .map(|g| {
                let target = show_target(
                    g.target,
                    g.metric,
                    g.currency.as_deref().unwrap_or(team_currency),
                );
                vec![
                    g.id.clone(),
                    g.title.clone(),
                    g.metric.as_str().to_string(),
                    match &g.unit {
                        Some(u) => format!("{target} {u}"),
                        None => target,
                    },
                    g.from.to_string(),
                    g.to.to_string(),
                    g.owner.clone().unwrap_or_default(),
                    g.credit.join(", "),
                ]
            })
            .collect(),
        droppable: vec![7, 6, 4, 1],
        wrap: Some(1),
    }
}

fn list(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let ws = ctx.open()?;
    let state = ws.state_parts(crate::store::Needs::GOALS)?;
    let mut goals: Vec<&Goal> = state.goals.values().collect();
    goals.sort_by(|a, b| (a.to, &a.id).cmp(&(b.to, &b.id)));
    match format {
        OutputFormat::Json => {
            let views: Vec<GoalView> = goals.iter().map(|g| view(g, ws.tz())).collect();
            render::emit(out, &render::json(&views)?)
        }
        OutputFormat::Csv => render::emit(
            out,
            &render::csv(ctx, &listing(&goals, &ws.config().team.currency))?,
        ),
        _ if goals.is_empty() => super::confirm(
            ctx,
            out,
            "no goals yet; add one with `growth goal add TITLE --metric METRIC --target N --from DATE --to DATE`",
        ),
        _ => render::emit_table(ctx, out, &listing(&goals, &ws.config().team.currency)),
    }
}
