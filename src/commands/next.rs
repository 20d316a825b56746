//! `growth next`: the next meetings by the cadence, with who facilitates and takes notes;
//! `--ics` writes the series as iCalendar for calendar apps.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::Result;
use crate::model::cadence::{self, Occurrence};
use crate::model::config::Config;
use crate::render::{self, Listing};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth next\n  growth next --count 8 --format json\n  growth next --ics > growth-meeting.ics     # import into any calendar app"
)]
pub struct NextArgs {
    /// How many meetings to show
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub count: usize,
    /// Print the series as iCalendar (RRULE with TZID, skipped dates as EXDATE)
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
        return render::emit(out, &ics(config, tz, &meetings));
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

/// Escapes iCalendar TEXT values (RFC 5545 3.3.11).
fn ics_text(text: &str) -> String {
    let mut out = String::new();
    for c in crate::render::sanitize::cell(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets with CRLF and a leading space (RFC 5545 3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// The meeting series as one recurring event with a stable UID.
pub fn ics(config: &Config, tz: chrono_tz::Tz, upcoming: &[Occurrence]) -> String {
    let c = &config.meeting;
    let Some(first) = upcoming.first() else {
        return String::new();
    };
    let local = |o: &crate::model::time::Instant| o.in_tz(tz).format("%Y%m%dT%H%M%S").to_string();
    let byday = match c.weekday.0 {
        chrono::Weekday::Mon => "MO",
        chrono::Weekday::Tue => "TU",
        chrono::Weekday::Wed => "WE",
        chrono::Weekday::Thu => "TH",
        chrono::Weekday::Fri => "FR",
        chrono::Weekday::Sat => "SA",
        chrono::Weekday::Sun => "SU",
    };
    let uid_seed = format!(
        "{}|{}|{}",
        config.team.name, config.team.timezone, c.weekday
    );
    let uid = format!(
        "{:016x}@growth",
        crate::store::cache::content_hash(uid_seed.as_bytes())
    );
    let roles: Vec<String> = upcoming
        .iter()
        .map(|o| {
            format!(
                "{}: {}",
                o.date,
                o.facilitator.as_deref().unwrap_or("nobody")
            )
        })
        .collect();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//growth//growth meeting//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{uid}"),
        // Stable: the series' first start, not the time of export.
        format!("DTSTAMP:{}", first.start.to_utc().format("%Y%m%dT%H%M%SZ")),
        format!(
            "DTSTART;TZID={}:{}",
            config.team.timezone,
            local(&first.start)
        ),
        format!("DURATION:PT{}M", c.minutes),
        format!(
            "RRULE:FREQ=WEEKLY;INTERVAL={};BYDAY={byday}",
            c.every_weeks.max(1)
        ),
    ];
    for skip in c.skip.iter().filter(|s| s.0 >= first.date) {
        let at = crate::model::time::resolve_local(skip.0.and_time(c.time.0), tz);
        lines.push(format!(
            "EXDATE;TZID={}:{}",
            config.team.timezone,
            local(&at)
        ));
    }
    lines.push(format!(
        "SUMMARY:{}",
        ics_text(&format!("{}: growth meeting", config.team.name))
    ));
    lines.push(format!(
        "DESCRIPTION:{}",
        ics_text(&format!(
            "Agenda: growth agenda. Facilitators: {}",
            roles.join("; ")
        ))
    ));
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}
