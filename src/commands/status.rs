//! `growth status` (and bare `growth` inside a workspace once growth knows who you are):
//! what is on my plate, most urgent first. The report is [`crate::report::status`].

use std::io::Write;

use clap::Args;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{ErrorKind, Result};
use crate::render::{self, Listing};
use crate::report::status::{HandoffItem, Status};
use crate::store::Needs;

#[derive(Debug, Args)]
#[command(
    after_help = "In order: handoffs waiting for your accept or reject, with their SLA clock in business\nhours; accepted handoffs waiting for your first contact; your handoffs waiting on others;\nyour open leads with no change for 14 days (as the agenda counts them); your actions\noverdue or due within 7 days; conflicts you set a value in or whose record you own; the\nnext meeting and your role in it. `growth` with no command shows this too, inside a\nworkspace, once growth knows who you are.\n\nJSON fields: member, name, now, decide, contact, waiting_on_others (each: id, lead,\ncompany, from, to, status, waiting_for, clock {limit_hours, elapsed_minutes,\nremaining_minutes, due, overdue}), stale_leads (id, company, stage, updated, days),\nstale_days, actions (id, text, due, days, overdue), due_within_days, conflicts (record,\nfield, involves, values [{value, by, at, entry}]), next_meeting (date, start, minutes,\nfacilitator, note_taker, role) or null, empty.\n\nExamples:\n  growth status\n  growth status --as tom\n  growth status --today 2026-11-30 --format json"
)]
pub struct StatusArgs {}

/// What status reads: the records a plate is made of, and the conflicts.
const NEEDS: Needs = Needs::LEADS
    .and(Needs::HANDOFFS)
    .and(Needs::ACTIONS)
    .and(Needs::GOALS)
    .and(Needs::CONFLICTS);

pub fn run(ctx: &Ctx, out: &mut dyn Write, _args: StatusArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Text, OutputFormat::Json],
    )?;
    let ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let tz = ws.tz();
    let now = ctx.now(tz)?;
    // The writers' index has the few leads and handoffs a plate is made of; the cache has
    // them among every other, and passes its leads by to keep those.
    let state = match ws.indexed_plate(&me)? {
        Some(state) => state,
        None => match ws.streamed_plate(&me, NEEDS)? {
            Some(state) => state,
            None => ws.state_parts(NEEDS)?,
        },
    };
    let status = crate::report::status::build(&state, ws.config(), tz, now, &me);
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&status)?),
        _ => print(ctx, out, &status, tz),
    }
}

/// Bare `growth`: the plate when there is a workspace and growth knows who you are;
/// `Ok(false)` (print the getting-started text instead) when either is missing.
pub fn bare(ctx: &Ctx, out: &mut dyn Write) -> Result<bool> {
    let Ok((root, _)) = ctx.workspace_root() else {
        return Ok(false);
    };
    if !root.join(crate::store::config::CONFIG_FILE).is_file() {
        return Ok(false);
    }
    let ws = ctx.open()?;
    if ctx.identity(ws.config(), &ws.root).is_err() {
        // In a workspace, the next step is saying who you are, not creating one.
        let config = ws.config();
        let members: Vec<&str> = config
            .members
            .iter()
            .filter(|(_, m)| m.active)
            .map(|(id, _)| id.as_str())
            .take(12)
            .collect();
        let next = match members.as_slice() {
            [] => "add the first member: growth member add ID --name NAME --dept DEPT --leader
  then:  growth whoami --set ID"
                .to_string(),
            some => format!(
                "say who you are here:  growth whoami --set ID
  members: {}",
                some.join(", ")
            ),
        };
        render::emit(
            out,
            &format!(
                "This is the growth workspace of {} ({}).
To see your plate (handoffs to decide, actions due, the next meeting), {next}
Then `growth` shows it. Every command: growth --help
",
                render::sanitize::cell(&config.team.name),
                ws.root.display()
            ),
        )?;
        return Ok(true);
    }
    match run(ctx, out, StatusArgs {}) {
        Err(e) if e.kind == ErrorKind::BrokenPipe => Ok(true),
        other => other.map(|()| true),
    }
}

fn print(ctx: &Ctx, out: &mut dyn Write, s: &Status, tz: chrono_tz::Tz) -> Result<()> {
    let now = chrono::DateTime::parse_from_rfc3339(&s.now)
        .map(|t| {
            t.with_timezone(&tz)
                .format("%a %Y-%m-%d %H:%M %Z")
                .to_string()
        })
        .unwrap_or_else(|_| s.now.clone());
    let who = if s.name.is_empty() {
        s.member.clone()
    } else {
        format!("{} ({})", s.name, s.member)
    };
    styled(ctx, out, &format!("{who}, {now}"), |t| render::bold(ctx, t))?;
    if s.empty {
        line(
            ctx,
            out,
            "\nNothing waits on you: no handoffs to decide or call, no stale leads, no actions due, no conflicts.",
        )?;
    }
    handoffs(
        ctx,
        out,
        &s.decide,
        (
            "handoff waits for your decision",
            "handoffs wait for your decision",
        ),
        "decide: growth handoff accept ID, or reject ID --reason REASON",
    )?;
    handoffs(
        ctx,
        out,
        &s.contact,
        (
            "accepted handoff waits for your first contact",
            "accepted handoffs wait for your first contact",
        ),
        "once you reached them: growth handoff contact ID",
    )?;
    handoffs(
        ctx,
        out,
        &s.waiting_on_others,
        (
            "handoff of yours waits on others",
            "handoffs of yours wait on others",
        ),
        "",
    )?;
    if !s.stale_leads.is_empty() {
        heading(
            ctx,
            out,
            s.stale_leads.len(),
            (
                &format!("lead of yours with no change for {}+ days", s.stale_days),
                &format!("leads of yours with no change for {}+ days", s.stale_days),
            ),
        )?;
        let mut listing = Listing {
            headers: vec!["id", "company", "stage", "updated", "days"],
            droppable: vec![3, 1],
            wrap: Some(1),
            ..Listing::default()
        };
        for l in &s.stale_leads {
            listing.rows.push([
                l.id.clone(),
                l.company.clone(),
                l.stage.clone(),
                l.updated.to_string(),
                l.days.to_string(),
            ]);
        }
        render::emit_table(ctx, out, &listing)?;
    }
    if !s.actions.is_empty() {
        let overdue = s.actions.iter().filter(|a| a.overdue).count();
        heading(
            ctx,
            out,
            s.actions.len(),
            (
                &format!("action due ({overdue} overdue)"),
                &format!("actions due ({overdue} overdue)"),
            ),
        )?;
        let mut listing = Listing {
            headers: vec!["id", "due", "when", "text"],
            droppable: vec![2],
            wrap: Some(3),
            ..Listing::default()
        };
        for a in &s.actions {
            let when = match a.days {
                d if d < 0 => format!("{} late", days(-d)),
                0 => "today".into(),
                d => format!("in {}", days(d)),
            };
            listing
                .rows
                .push([a.id.clone(), a.due.to_string(), when, a.text.clone()]);
        }
        render::emit_table(ctx, out, &listing)?;
        hint(ctx, out, "done: growth action done ID")?;
    }
    if !s.conflicts.is_empty() {
        heading(
            ctx,
            out,
            s.conflicts.len(),
            ("conflict involves you", "conflicts involve you"),
        )?;
        let mut listing = Listing {
            headers: vec!["record", "field", "pick", "value", "by"],
            droppable: vec![4],
            wrap: Some(3),
            ..Listing::default()
        };
        for c in &s.conflicts {
            for (n, v) in c.values.iter().enumerate() {
                listing.rows.push([
                    c.record.clone(),
                    c.field.clone(),
                    (n + 1).to_string(),
                    v.value.clone(),
                    v.by.clone(),
                ]);
            }
        }
        render::emit_table(ctx, out, &listing)?;
        hint(ctx, out, "settle: growth resolve RECORD FIELD --pick N")?;
    }
    match &s.next_meeting {
        Some(m) => {
            let start = chrono::DateTime::parse_from_rfc3339(&m.start)
                .map(|t| {
                    t.with_timezone(&tz)
                        .format("%a %Y-%m-%d %H:%M %Z")
                        .to_string()
                })
                .unwrap_or_else(|_| m.start.clone());
            let role = match m.role {
                "facilitator" => "you facilitate".to_string(),
                "note-taker" => format!(
                    "you take notes; {} facilitates",
                    m.facilitator.as_deref().unwrap_or("nobody")
                ),
                _ => match &m.facilitator {
                    Some(f) => format!("you attend; {f} facilitates"),
                    None => "you attend".to_string(),
                },
            };
            line(
                ctx,
                out,
                &format!("\nNext meeting: {start}, {} min; {role}.", m.minutes),
            )
        }
        None => line(
            ctx,
            out,
            "\nNo meeting ahead by the cadence in growth.toml.",
        ),
    }
}

fn handoffs(
    ctx: &Ctx,
    out: &mut dyn Write,
    list: &[HandoffItem],
    what: (&str, &str),
    how: &str,
) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    heading(ctx, out, list.len(), what)?;
    // Handoffs to me show who sent them; mine waiting on others, whom and for what.
    let mine = how.is_empty();
    let mut listing = Listing {
        headers: if mine {
            vec!["id", "lead", "to", "waits for", "sla"]
        } else {
            vec!["id", "lead", "from", "sla"]
        },
        droppable: if mine { vec![3, 2] } else { vec![2] },
        wrap: Some(1),
        ..Listing::default()
    };
    for h in list {
        // `LATE 34h/4h`, as `growth handoff list` says it.
        let sla = h.clock.text();
        if mine {
            listing.rows.push([
                h.id.clone(),
                h.lead.clone(),
                h.to.clone(),
                h.waiting_for.to_string(),
                sla,
            ]);
        } else {
            listing
                .rows
                .push([h.id.clone(), h.lead.clone(), h.from.clone(), sla]);
        }
    }
    render::emit_table(ctx, out, &listing)?;
    if how.is_empty() {
        return Ok(());
    }
    hint(ctx, out, how)
}

fn heading(ctx: &Ctx, out: &mut dyn Write, n: usize, what: (&str, &str)) -> Result<()> {
    let text = format!("{n} {}", if n == 1 { what.0 } else { what.1 });
    render::emit(out, "\n")?;
    styled(ctx, out, &text, |t| render::bold(ctx, t))
}

fn hint(ctx: &Ctx, out: &mut dyn Write, text: &str) -> Result<()> {
    styled(ctx, out, text, |t| render::dim(ctx, t))
}

fn line(ctx: &Ctx, out: &mut dyn Write, text: &str) -> Result<()> {
    styled(ctx, out, text, str::to_string)
}

/// Lines of text, their user text made safe for a terminal, wrapped to its width, then
/// coloured by `style`.
fn styled(
    ctx: &Ctx,
    out: &mut dyn Write,
    text: &str,
    style: impl Fn(&str) -> String,
) -> Result<()> {
    let safe = render::sanitize::terminal(text, true);
    let mut lines = String::new();
    for l in safe.split('\n') {
        for part in wrap(l, ctx.width.map(usize::from)) {
            lines.push_str(&style(&part));
            lines.push('\n');
        }
    }
    render::emit(out, &lines)
}

/// `text` in lines of at most `width` columns, broken at spaces; later lines indented by
/// two. A word longer than a line stays whole.
fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let Some(width) = width.filter(|w| text.width() > *w) else {
        return vec![text.to_string()];
    };
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        if !current.trim().is_empty() && current.width() + 1 + word.width() > width {
            lines.push(std::mem::replace(&mut current, "  ".to_string()));
        } else if !current.is_empty() && current != "  " {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
}

fn days(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}
