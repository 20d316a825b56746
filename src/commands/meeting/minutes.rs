//! `growth meeting list` and `growth meeting show DATE`: the minutes of past meetings.

use std::fmt::Write as _;
use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::records::Meeting;
use crate::model::state::State;
use crate::render::{self, Listing, markdown_text, sanitize};
use crate::store::Needs;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  growth meeting list\n  growth meeting list --format json")]
pub struct ListArgs {}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth meeting show 2026-11-23\n  growth meeting show 2026-11-23 --format md > minutes.md"
)]
pub struct ShowArgs {
    /// The meeting's date
    pub date: String,
}

#[derive(Debug, Serialize)]
struct MinutesView<'a> {
    id: String,
    date: String,
    facilitator: Option<&'a str>,
    attendees: &'a [String],
    notes: Vec<NoteView<'a>>,
    decisions: Vec<NoteView<'a>>,
    actions: Vec<ActionView<'a>>,
    pulse: Vec<PulseView<'a>>,
    pulse_average: Option<f64>,
    closed: bool,
    /// What else the meeting changed (`meeting show` only): see [`changes`].
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Vec<ChangeView>>,
}

/// One change the meeting made: a journal entry of its span, as `growth log` shows it.
#[derive(Debug, Serialize)]
struct ChangeView {
    entry: String,
    at: String,
    by: String,
    kind: &'static str,
    record: String,
    summary: String,
}

#[derive(Debug, Serialize)]
struct NoteView<'a> {
    section: Option<&'a str>,
    text: &'a str,
    by: &'a str,
}

#[derive(Debug, Serialize)]
struct ActionView<'a> {
    id: &'a str,
    text: &'a str,
    owner: &'a str,
    due: Option<String>,
    done: bool,
}

#[derive(Debug, Serialize)]
struct PulseView<'a> {
    member: &'a str,
    value: u8,
}

fn view<'a>(m: &'a Meeting, state: &'a State) -> MinutesView<'a> {
    let date = m.date.to_string();
    let note = |n: &'a crate::model::records::MeetingNote| NoteView {
        section: n.section.as_deref(),
        text: &n.text,
        by: &n.by,
    };
    let mut actions: Vec<_> = state
        .actions
        .values()
        .filter(|a| a.meeting.as_deref() == Some(date.as_str()))
        .collect();
    actions.sort_by_key(|a| (a.at, a.id.clone()));
    MinutesView {
        id: date.clone(),
        date,
        facilitator: m.facilitator.as_deref(),
        attendees: &m.attendees,
        notes: m.notes.iter().map(note).collect(),
        decisions: m.decisions.iter().map(note).collect(),
        actions: actions
            .iter()
            .map(|a| ActionView {
                id: &a.id,
                text: &a.text,
                owner: &a.owner,
                due: a.due.map(|d| d.to_string()),
                done: a.done_at.is_some(),
            })
            .collect(),
        pulse: m
            .pulse
            .iter()
            .map(|(member, value)| PulseView {
                member,
                value: *value,
            })
            .collect(),
        pulse_average: m.pulse_average().map(|p| (p * 10.0).round() / 10.0),
        closed: m.closed,
        changes: None,
    }
}

pub fn list(ctx: &Ctx, out: &mut dyn Write, _args: ListArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    let ws = ctx.open()?;
    let state = ws.state_parts(Needs::MEETINGS.and(Needs::ACTIONS))?;
    let meetings: Vec<&Meeting> = state.meetings.values().rev().collect();
    if format == OutputFormat::Json {
        let views: Vec<MinutesView> = meetings.iter().map(|m| view(m, &state)).collect();
        return render::emit(out, &render::json(&views)?);
    }
    let listing = Listing {
        headers: vec![
            "date",
            "facilitator",
            "attendees",
            "notes",
            "decisions",
            "actions",
            "pulse",
        ],
        rows: meetings
            .iter()
            .map(|m| {
                let v = view(m, &state);
                vec![
                    v.date.clone(),
                    v.facilitator.unwrap_or_default().to_string(),
                    m.attendees.len().to_string(),
                    v.notes.len().to_string(),
                    v.decisions.len().to_string(),
                    v.actions.len().to_string(),
                    v.pulse_average
                        .map(|p| format!("{p:.1}"))
                        .unwrap_or_default(),
                ]
            })
            .collect(),
        droppable: vec![3, 5, 2],
        wrap: None,
    };
    match format {
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing)?),
        _ if meetings.is_empty() => super::super::confirm(
            ctx,
            out,
            "no meetings recorded yet; run one with `growth meeting start`",
        ),
        _ => render::emit_table(ctx, out, &listing),
    }
}

pub fn show(ctx: &Ctx, out: &mut dyn Write, args: ShowArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Text,
        &[
            OutputFormat::Text,
            OutputFormat::Table,
            OutputFormat::Md,
            OutputFormat::Json,
        ],
    )?;
    let ws = ctx.open()?;
    let date = crate::model::time::parse_date(&args.date)
        .map_err(|m| Error::usage(format!("invalid value for DATE: {m}")))?;
    let state = ws.state_parts(Needs::MEETINGS.and(Needs::ACTIONS))?;
    let Some(m) = state.meetings.get(&date.to_string()) else {
        let known = state.meetings.keys().map(String::as_str);
        return Err(crate::error::unknown(
            "meeting",
            &date.to_string(),
            known,
            "run `growth meeting list` to see them",
        ));
    };
    let mut v = view(m, &state);
    v.changes = Some(changes(&ws.root, ws.tz(), m)?);
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&v)?),
        OutputFormat::Md => render::emit(out, &markdown(&v, &ws.config().team.name)),
        _ => render::emit(out, &text(ctx, &v)),
    }
}

/// What the meeting changed besides its own notes, decisions, action items and pulse:
/// every journal entry recorded during its span, with who recorded it (anonymous feedback
/// stays anonymous). Members joining or leaving are left out: the roster is not meeting
/// business.
///
/// The span runs from the meeting's first entry (attendance) to its last (its close, or the
/// last note, decision or pulse); while the meeting is not closed it also takes in the rest
/// of its day, so what an interrupted walk-through did counts. Nothing is tagged: an act in
/// the walk-through (a lead qualified, a handoff decided, an action done) is the same entry
/// the command line makes, and one recorded from another terminal during the meeting
/// belongs to its minutes just as well. A meeting recorded afterwards with `meeting record`
/// spans a moment, and lists what was recorded with it.
fn changes(root: &std::path::Path, tz: chrono_tz::Tz, m: &Meeting) -> Result<Vec<ChangeView>> {
    use crate::commands::log::{record_of, summary};
    use crate::model::entry::Change;
    let date = m.date.to_string();
    let own = format!("meeting/{date}");
    let start = m.opened_at;
    // Anonymous feedback keeps only its day (its time would tie it to its giver): given on
    // the meeting's day, it is listed, without a time.
    let anonymous_that_day =
        |e: &crate::model::entry::Entry| e.change.is_anonymous() && e.at.date_in(tz) == m.date;
    let entries = crate::store::load::recent_entries(root, 0, |l| {
        l.entry.at >= start || anonymous_that_day(&l.entry)
    })?;
    let last = entries
        .iter()
        .filter(|(_, l)| record_of(&l.entry) == own)
        .map(|(_, l)| l.entry.at)
        .max()
        .unwrap_or(start);
    let mut kept: Vec<_> = entries
        .iter()
        .map(|(_, l)| &l.entry)
        .filter(|e| {
            e.at <= last || (!m.closed && e.at.date_in(tz) == m.date) || anonymous_that_day(e)
        })
        .filter(|e| record_of(e) != own)
        // The roster is not meeting business (and members join at any time).
        .filter(|e| !matches!(e.change, Change::MemberAdd(_) | Change::MemberEdit(_)))
        .filter(|e| !matches!(&e.change, Change::ActionAdd { meeting: Some(d), .. } if *d == date))
        .collect();
    // Anonymous feedback last: its time is its day's start, not when it was given.
    kept.sort_by_key(|e| (e.change.is_anonymous(), e.at, e.id));
    let owners = owners_before(root, &kept)?;
    Ok(kept
        .iter()
        .map(|e| {
            let mut said = summary(&e.change);
            if let Change::ActionEdit {
                owner: Some(to), ..
            } = &e.change
                && let Some(from) = owners.get(&e.id)
            {
                said = said.replacen(
                    &format!("owner {to}"),
                    &format!("reassigned {from} → {to}"),
                    1,
                );
            }
            ChangeView {
                entry: crate::model::causal::format_id(e.id),
                at: e.at.to_toml(tz),
                by: if e.by.is_empty() {
                    "anonymous".into()
                } else {
                    e.by.clone()
                },
                kind: e.change.kind(),
                record: record_of(e),
                summary: said,
            }
        })
        .collect())
}

/// What the meeting changed so far, a few words each (`lead/globex meets budget`): what
/// an interrupted or resumed walk-through says it saved, read from the journal so both
/// say the same.
pub(super) fn change_lines(
    root: &std::path::Path,
    tz: chrono_tz::Tz,
    m: &Meeting,
) -> Result<Vec<String>> {
    Ok(changes(root, tz, m)?
        .into_iter()
        .map(|c| format!("{} {}", c.record, c.summary))
        .collect())
}

/// For each reassignment among `kept`: who owned the action just before it, from the
/// action's own entries (its creation and earlier reassignments).
fn owners_before(
    root: &std::path::Path,
    kept: &[&crate::model::entry::Entry],
) -> Result<std::collections::HashMap<crate::model::causal::EntryId, String>> {
    use crate::model::entry::Change;
    let edited: std::collections::HashSet<&str> = kept
        .iter()
        .filter_map(|e| match &e.change {
            Change::ActionEdit {
                action,
                owner: Some(_),
                ..
            } => Some(action.as_str()),
            _ => None,
        })
        .collect();
    let mut found = std::collections::HashMap::new();
    if edited.is_empty() {
        return Ok(found);
    }
    let owner_set = |c: &Change| match c {
        Change::ActionAdd { id, owner, .. } => Some((id.clone(), owner.clone())),
        Change::ActionEdit {
            action,
            owner: Some(owner),
            ..
        } => Some((action.clone(), owner.clone())),
        _ => None,
    };
    let mut history: Vec<_> = crate::store::load::recent_entries(root, 0, |l| {
        owner_set(&l.entry.change).is_some_and(|(a, _)| edited.contains(a.as_str()))
    })?
    .into_iter()
    .map(|(_, l)| l.entry)
    .collect();
    history.sort_by_key(|e| (e.at, e.id));
    let mut owner_now: std::collections::HashMap<String, String> = Default::default();
    for e in &history {
        let Some((action, owner)) = owner_set(&e.change) else {
            continue;
        };
        if matches!(e.change, Change::ActionEdit { .. })
            && let Some(was) = owner_now.get(&action)
        {
            found.insert(e.id, was.clone());
        }
        owner_now.insert(action, owner);
    }
    Ok(found)
}

fn lines(v: &MinutesView<'_>) -> Vec<(String, Vec<String>)> {
    let with_section = |n: &NoteView| match n.section {
        Some(s) => format!("[{s}] {} ({})", n.text, n.by),
        None => format!("{} ({})", n.text, n.by),
    };
    vec![
        ("Notes".into(), v.notes.iter().map(with_section).collect()),
        (
            "Decisions".into(),
            v.decisions.iter().map(with_section).collect(),
        ),
        (
            "Action items".into(),
            v.actions
                .iter()
                .map(|a| {
                    let due = a
                        .due
                        .as_deref()
                        .map(|d| format!(", due {d}"))
                        .unwrap_or_default();
                    format!(
                        "{} ({}{due}){}",
                        a.text,
                        a.owner,
                        if a.done { ", done" } else { "" }
                    )
                })
                .collect(),
        ),
        (
            "Changes".into(),
            v.changes
                .iter()
                .flatten()
                .map(|c| {
                    if c.by == "anonymous" {
                        return format!("{} {} (anonymous)", c.record, c.summary);
                    }
                    let time = c.at.get(11..16).unwrap_or_default();
                    format!("{} {} ({}, {time})", c.record, c.summary, c.by)
                })
                .collect(),
        ),
        (
            "Pulse".into(),
            v.pulse
                .iter()
                .map(|p| format!("{}: {}", p.member, p.value))
                .collect(),
        ),
    ]
}

fn text(ctx: &Ctx, v: &MinutesView<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        render::bold(ctx, &format!("Growth meeting {}", v.date))
    );
    let _ = writeln!(
        out,
        "Facilitator: {}",
        sanitize::cell(v.facilitator.unwrap_or("nobody"))
    );
    let _ = writeln!(
        out,
        "Attendees: {}",
        sanitize::cell(&v.attendees.join(", "))
    );
    if let Some(avg) = v.pulse_average {
        let _ = writeln!(out, "Pulse: {avg:.1} of 5");
    }
    for (title, items) in lines(v) {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", render::bold(ctx, &title));
        for i in items {
            let text = render::markup::lines(&i);
            for (n, line) in text.iter().enumerate() {
                let _ = writeln!(out, "{}{line}", if n == 0 { "  - " } else { "    " });
            }
        }
    }
    out
}

fn markdown(v: &MinutesView<'_>, team: &str) -> String {
    let mut md = format!("# {}: growth meeting {}\n\n", markdown_text(team), v.date);
    let _ = writeln!(
        md,
        "- Facilitator: {}",
        markdown_text(v.facilitator.unwrap_or("nobody"))
    );
    let _ = writeln!(
        md,
        "- Attendees: {}",
        markdown_text(&v.attendees.join(", "))
    );
    if let Some(avg) = v.pulse_average {
        let _ = writeln!(md, "- Pulse: {avg:.1} of 5");
    }
    for (title, items) in lines(v) {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(md, "\n## {title}\n");
        for i in items {
            // A hard break, and the indent that keeps the next line in the item.
            let _ = writeln!(
                md,
                "- {}",
                render::markup::markdown_lines(&i).join("\\\n  ")
            );
        }
    }
    md
}
