//! `growth win`: shout-outs crediting everyone who played a part, across departments;
//! `win list` shows them with the deals won.

use std::io::Write;

use clap::{Args, Subcommand};

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::Text;
use crate::model::config::Config;
use crate::model::entry::Change;
use crate::model::time::Instant;
use crate::render::{self, Listing, Rows};
use crate::report::wins::{self, WinView};

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  growth win \"Webinar to signed deal in 19 days\" --credit maria,tom,amara\n  growth win list --since 2026-11-01"
)]
pub struct WinArgs {
    #[command(subcommand)]
    pub action: Option<WinCommand>,
    /// What to celebrate
    #[arg(required = true)]
    pub text: Option<String>,
    /// Everyone who played a part, comma-separated, from any department
    #[arg(long, value_delimiter = ',', value_name = "MEMBER,...")]
    pub credit: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum WinCommand {
    /// Shout-outs and deals won, newest first
    List(ListArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth win list\n  growth win list --since 2026-11-01 --format json"
)]
pub struct ListArgs {
    /// Only wins on or after DATE
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

const FORMATS: [OutputFormat; 3] = [OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv];

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: WinArgs) -> Result<()> {
    match args.action {
        Some(WinCommand::List(a)) => list(ctx, out, a),
        None => add(ctx, out, args.text.unwrap_or_default(), args.credit),
    }
}

fn add(ctx: &Ctx, out: &mut dyn Write, text: String, credit: Vec<String>) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let text = super::non_empty_text(&text, "win")?;
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let mut members: Vec<String> = Vec::new();
    for wanted in credit.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let id = super::resolve_member(ws.config(), wanted)?.to_string();
        if !members.contains(&id) {
            members.push(id);
        }
    }
    if members.is_empty() {
        return Err(Error::usage(
            "missing --credit MEMBER,...: who made it happen",
        ));
    }
    let mut id = String::new();
    super::record(ctx, &mut ws, &me, |_, _, _| {
        // Wins are never referred to by later changes, so they are not in the writers' index.
        id = crate::model::id::random_id(crate::model::id::RECORD_ID_LEN);
        Ok(vec![Change::WinAdd {
            id: id.clone(),
            text: text.clone(),
            credit: members.clone(),
        }])
    })?;
    if format == OutputFormat::Table {
        let who = credited(ws.config(), &members);
        return super::done(
            ctx,
            out,
            &id,
            &format!("win {id} recorded, crediting {}", who.join(", ")),
        );
    }
    // The win just recorded, found as `win list` finds every win.
    let views = read_wins(ctx, &ws, Vec::new, |views, w| {
        if w.id == id {
            views.push(w);
        }
    })?;
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&views.first())?),
        _ => {
            let mut rows = Rows::default();
            for w in &views {
                rows.push(row(w, ws.tz()));
            }
            render::emit(out, &render::csv(ctx, &listing(rows))?)
        }
    }
}

/// Every win up to now (or the newest entry, if just recorded under a frozen clock), each
/// given to `take` with what `start` made as it is found, in no order (see
/// [`wins::each_win`]). A pass that a damaged cache could not finish is begun again from
/// the whole state, with a new `start()`.
fn read_wins<S>(
    ctx: &Ctx,
    ws: &crate::store::Workspace,
    mut start: impl FnMut() -> S,
    take: impl Fn(&mut S, WinView),
) -> Result<S> {
    use crate::store::Needs;
    use crate::store::load::FactParts;
    // What wins are found in: deals won (leads, their history, who handed them off) and
    // goals reached (their metrics), besides the shout-outs.
    let needs = Needs::LEADS
        .and(Needs::HISTORY)
        .and(Needs::HANDOFFS)
        .and(Needs::GOALS)
        .and(Needs::WINS);
    let (config, tz) = (ws.config(), ws.tz());
    let now = ctx.now(tz)?;
    // The facts kept beside the cache first: every deal won and the goals' series,
    // instead of every lead.
    let facts = ws.fact_parts(needs)?;
    if let Some(FactParts {
        state,
        metrics,
        agenda: Some(parts),
    }) = facts
    {
        let at = state.as_of(now);
        if let Some(metrics) = metrics.metrics(&state, config, tz, at) {
            let mut sink = start();
            let deals = parts.facts.all_deals();
            wins::each_win_of_facts(&state, &metrics, deals, config, tz, at, None, &mut |w| {
                take(&mut sink, w)
            });
            return Ok(sink);
        }
    }
    // From a current cache the leads pass by one chunk at a time and only the deals won
    // and the goals' metrics are kept.
    ws.read_leads(needs, |state, leads| {
        let mut sink = start();
        let whole = wins::each_win(state, leads, config, tz, state.as_of(now), None, &mut |w| {
            take(&mut sink, w)
        });
        Ok(whole.then_some(sink))
    })
}

/// "maria (marketing)" for each member.
fn credited(config: &Config, members: &[String]) -> Vec<String> {
    members
        .iter()
        .map(|m| match config.members.get(m) {
            Some(member) => format!("{m} ({})", member.department),
            None => m.clone(),
        })
        .collect()
}

/// A win's cells in the table and the CSV.
fn row(w: &WinView, tz: chrono_tz::Tz) -> [String; 5] {
    [
        w.id.clone(),
        w.instant.date_in(tz).to_string(),
        w.kind.to_string(),
        w.text.clone(),
        w.credit.join(", "),
    ]
}

fn listing(rows: Rows) -> Listing {
    Listing {
        headers: vec!["id", "date", "kind", "text", "credit"],
        rows,
        droppable: vec![2, 0],
        wrap: Some(3),
    }
}

/// What a win is listed in order by: newest first, then by id (as [`wins::newest_first`]).
type WinKey = (std::cmp::Reverse<Instant>, Text);

fn list(ctx: &Ctx, out: &mut dyn Write, args: ListArgs) -> Result<()> {
    let format = ctx.format_or(OutputFormat::Table, &FORMATS)?;
    let ws = ctx.open()?;
    let (config, tz) = (ws.config(), ws.tz());
    let since = match &args.since {
        Some(d) => {
            let date = crate::model::time::parse_date(d).map_err(|m| {
                Error::usage(format!("invalid value for --since: {m}"))
                    .hint("give --since a date like 2026-11-01")
            })?;
            Some(crate::model::time::resolve_local(
                date.and_time(chrono::NaiveTime::MIN),
                tz,
            ))
        }
        None => None,
    };
    // Each win is kept as what this format prints of it (cells, or for JSON a compact
    // record made JSON when printed) and its key: the listing holds its output, not the
    // wins.
    let json = format == OutputFormat::Json;
    let start = || (render::Sorted::<WinKey>::default(), None);
    let (sorted, error) = read_wins(ctx, &ws, start, |(sorted, error), w| {
        if since.is_some_and(|s| w.instant < s) {
            return;
        }
        let key = (std::cmp::Reverse(w.instant), Text::from(w.id.as_str()));
        if json {
            if let Err(e) = sorted.push_record(key, &w.keep()) {
                error.get_or_insert(e);
            }
        } else {
            sorted.push(key, row(&w, tz));
        }
    })?;
    if let Some(e) = error {
        return Err(Error::user(format!("cannot keep a win for the JSON: {e}"))
            .hint("`--format csv` lists the same wins; please report this"));
    }
    if format == OutputFormat::Table && sorted.is_empty() {
        return super::confirm(
            ctx,
            out,
            "no wins yet; celebrate one with `growth win TEXT --credit MEMBER,...`",
        );
    }
    let render::sorted::Finished { rows, records, .. } = sorted.finish();
    match format {
        OutputFormat::Json => render::emit_json(
            out,
            &records.json(|k: wins::KeptWin| wins::WinView::from_kept(k, config, tz)),
        ),
        OutputFormat::Csv => render::emit_csv(ctx, out, &listing(rows)),
        _ => render::emit_table(ctx, out, &listing(rows)),
    }
}
