//! `growth next`: the next meetings by the cadence, with who facilitates and takes notes;
//! `--ics` writes the series as iCalendar for calendar apps.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::cadence;
use crate::render::{self, Listing};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth next\n  growth next --count 8 --format json\n  growth next --ics > growth-meeting.ics     # import into any calendar app"
)]
pub struct NextArgs {
    /// How many meetings to show
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = crate::cli::whole::<usize>)]
    pub count: usize,
    /// Print the series as iCalendar (RRULE with TZID and its VTIMEZONE, skipped dates as EXDATE)
    #[arg(long)]
    pub ics: bool,
}

#[derive(Debug, Serialize)]
struct NextView {
    date: String,
    start: String,
    minutes: u32,
    facilitator: Option<String>,
    note_taker: Option<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: NextArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    let ws = ctx.open()?;
    let (config, tz) = (ws.config(), ws.tz());
    let now = ctx.now(tz)?;
    let meetings = cadence::upcoming(config, tz, now, args.count.clamp(1, 520));
    if args.ics {
        return render::emit(out, &render::ics::calendar(config, tz, &meetings));
    }
    let views: Vec<NextView> = meetings
        .iter()
        .map(|o| NextView {
            date: o.date.to_string(),
            start: o.start.to_toml(tz),
            minutes: o.minutes,
            facilitator: o.facilitator.clone(),
            note_taker: o.note_taker.clone(),
        })
        .collect();
    let listing = Listing {
        headers: vec![
            "date",
            "weekday",
            "time",
            "minutes",
            "facilitator",
            "note_taker",
        ],
        rows: meetings
            .iter()
            .map(|o| {
                let local = o.start.in_tz(tz);
                vec![
                    o.date.to_string(),
                    local.format("%a").to_string(),
                    local.format("%H:%M %Z").to_string(),
                    o.minutes.to_string(),
                    o.facilitator.clone().unwrap_or_default(),
                    o.note_taker.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        droppable: vec![3, 1, 5],
        wrap: None,
    };
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&views)?),
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing)?),
        _ => render::emit_table(ctx, out, &listing),
    }
}
