//! `growth progress`: where each goal stands, as a table (with a sparkline of each goal's
//! weeks), Markdown, JSON, CSV or an HTML page of burn-ups.

use std::io::Write;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::metrics::{Metrics, MetricsPass};
use crate::render::{self, progress};
use crate::report::progress::{Period, Progress, build};
use crate::store::Needs;

#[derive(Debug, Args)]
#[command(
    after_help = "Status: done once the actual reaches the target; on-track at 95% or more of the\npace expected by today (linear over the period); at-risk from 75%; behind below that, or\nwhen the period ended short. A manual goal that takes its latest check-in (not --sum) is a\nlevel, not a count: it has no pace from 0, so EXPECTED, PROJECTED and NEED/WEEK show -, and\nits status sets the latest check-in against the target itself (same thresholds). CHANGE\ncounts from the last meeting (the previous cadence date); WEEKS is the actual at the end of\neach week of the period so far (at most 13 characters: a longer period is sampled). A narrow\nterminal drops PROJECTED, NEED/WEEK, EXPECTED, PROGRESS, CHANGE, TARGET, ACTUAL, WEEKS in that order.\n\nExamples:\n  growth progress\n  growth progress --goal q4-new-revenue --format json\n  growth progress --period 2026-10-01..2026-12-31 --format md > progress.md\n  growth progress --format html --output progress.html   # a burn-up chart per goal"
)]
pub struct ProgressArgs {
    /// Only this goal (id, unique prefix or title)
    #[arg(long)]
    pub goal: Option<String>,
    /// `current` (goals running today, the default), `all`, or FROM..TO (goals overlapping it)
    #[arg(long, default_value = "current", value_name = "current|all|FROM..TO")]
    pub period: String,
    /// Write to PATH (atomically, creating its folder) instead of stdout
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<std::path::PathBuf>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: ProgressArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[
            OutputFormat::Table,
            OutputFormat::Md,
            OutputFormat::Json,
            OutputFormat::Csv,
            OutputFormat::Html,
        ],
    )?;
    let period = parse_period(&args.period)?;
    let ws = ctx.open()?;
    // From a cache that holds the journal, the goals' series and the funnel's moments kept
    // beside it: the goals and meetings are all there is to decode. Otherwise metrics read
    // the leads' digests (their stages over time, values) and handoffs, from a current
    // cache one chunk at a time; the change since the last meeting reads meetings.
    let needs = Needs::DIGEST
        .and(Needs::HANDOFFS)
        .and(Needs::GOALS)
        .and(Needs::MEETINGS);
    let (state, source) = match ws.metric_parts(Needs::GOALS.and(Needs::MEETINGS))? {
        Some((state, facts)) => (state, Source::Facts(facts)),
        None => match ws.streamed_parts(needs)? {
            Some((state, leads)) => (state, Source::Stream(leads)),
            None => (ws.state_parts(needs)?, Source::Whole),
        },
    };
    let now = state.as_of(ctx.now(ws.tz())?);
    let only = match &args.goal {
        Some(g) => Some(super::resolve_record(
            &state,
            crate::model::summary::Table::Goals,
            g,
            "growth goal list",
        )?),
        None => None,
    };
    let since = crate::report::progress::last_meeting(&state, ws.config(), ws.tz(), now);
    let (config, tz) = (ws.config(), ws.tz());
    // Every goal's metric and the funnel as of now; damaged or unfit parts fall back to
    // the whole state.
    let whole;
    let metrics = match source {
        Source::Facts(facts) => facts.metrics(&state, config, tz, now),
        Source::Stream(leads) => {
            // One pass over the streamed leads.
            let mut pass = MetricsPass::every_goal(&state, config, tz, Some(now));
            leads.for_each(|l| pass.lead(l)).then(|| {
                pass.handoffs(state.handoffs.values().map(|h| &**h));
                Metrics::from_pass(&state, config, tz, pass)
            })
        }
        Source::Whole => Some(Metrics::new(&state, config, tz)),
    };
    let metrics = match metrics {
        Some(metrics) => metrics,
        None => {
            whole = ws.state_parts(needs)?;
            Metrics::new(&whole, config, tz)
        }
    };
    let report = build(&metrics, now, since, period, only.as_deref());
    let empty = report.rows.is_empty().then_some(if state.goals.is_empty() {
        "no goals yet; add one with `growth goal add TITLE --metric METRIC --target N --from DATE --to DATE`"
    } else {
        "no goals run in this period; try --period all"
    });
    let Some(path) = &args.output else {
        return match format {
            OutputFormat::Json => render::emit(out, &render::json(&report)?),
            OutputFormat::Html => render::emit(out, &html(&report)),
            OutputFormat::Csv => render::emit(out, &render::csv(ctx, &progress::csv(&report))?),
            OutputFormat::Md => render::emit(out, &progress::markdown(&report)),
            _ => match empty {
                Some(said) => super::confirm(ctx, out, said),
                None => render::emit(out, &table(ctx, &report)),
            },
        };
    };
    // A file gets what a pipe would: no colour, no terminal width, ASCII trends.
    let plain = ctx.plain();
    let text = match format {
        OutputFormat::Json => render::json(&report)?,
        OutputFormat::Html => html(&report),
        OutputFormat::Csv => render::csv(&plain, &progress::csv(&report))?,
        OutputFormat::Md => progress::markdown(&report),
        _ => match empty {
            Some(said) => format!("{said}\n"),
            None => table(&plain, &report),
        },
    };
    let path = if path.is_absolute() {
        path.clone()
    } else {
        ctx.cwd.join(path)
    };
    crate::store::atomic::write_atomic(&path, text.as_bytes(), true)?;
    super::confirm(
        ctx,
        out,
        &format!("wrote goal progress to {}", path.display()),
    )
}

/// Where the goals' metrics come from.
enum Source {
    /// The facts kept beside a cache that holds the journal.
    Facts(crate::model::metric_facts::MetricFacts),
    /// A pass over the leads streamed from the cache.
    Stream(crate::store::cache::LeadStream),
    /// The whole state, already loaded.
    Whole,
}

fn html(report: &Progress) -> String {
    progress::html(report, &progress::notes(report))
}

/// The table and, unless quiet, the notes under it.
fn table(ctx: &Ctx, report: &Progress) -> String {
    let mut text = render::table(ctx, &progress::listing(report, !ctx.unicode_charts()));
    let notes = progress::notes(report);
    if !ctx.quiet && !notes.is_empty() {
        text.push('\n');
        for n in notes {
            text.push_str(&render::sanitize::cell(&n));
            text.push('\n');
        }
    }
    text
}

fn parse_period(text: &str) -> Result<Period> {
    match text.trim() {
        "current" => Ok(Period::Current),
        "all" => Ok(Period::All),
        range => {
            let bad = || {
                Error::usage(format!("invalid value for --period: `{range}`"))
                    .hint("use current, all, or FROM..TO like 2026-10-01..2026-12-31")
            };
            let (from, to) = range.split_once("..").ok_or_else(bad)?;
            let from = crate::model::time::parse_date(from).map_err(|_| bad())?;
            let to = crate::model::time::parse_date(to).map_err(|_| bad())?;
            if to < from {
                return Err(bad());
            }
            Ok(Period::Range(from, to))
        }
    }
}
