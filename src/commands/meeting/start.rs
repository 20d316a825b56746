//! `growth meeting start`: the facilitator's walk-through. Attendance, then each agenda
//! section (notes, decisions, action items, resolving feedback, closing actions), then each
//! attendee's pulse and new feedback. Every step is saved the moment it is made, so
//! quitting at any point loses nothing, and starting again resumes the same meeting.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::entry::Change;
use crate::model::records::FEEDBACK_CATEGORIES;
use crate::prompt;
use crate::render;
use crate::store::Workspace;

#[derive(Debug, Args)]
#[command(
    after_help = "Needs a terminal. Without one, record the meeting with `growth meeting record`.\n\nExamples:\n  growth meeting start\n  growth meeting start --date 2026-11-30"
)]
pub struct StartArgs {
    /// The meeting's date (default: today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// One step of the walk-through, saved as soon as it is taken.
fn save(ctx: &Ctx, ws: &mut Workspace, me: &str, changes: Vec<Change>) -> Result<()> {
    crate::commands::record(ctx, ws, me, |_, _, _| Ok(changes.clone()))?;
    Ok(())
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: StartArgs) -> Result<()> {
    if !ctx.can_prompt {
        return Err(Error::usage("`growth meeting start` asks questions and needs a terminal")
            .hint("record a meeting without prompts with `growth meeting record --attendee M --note TEXT ...`"));
    }
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let date = super::date_or_today(ctx, ws.tz(), args.date.as_deref())?;
    let meeting = date.to_string();
    let state = ws.state()?;
    if let Some(m) = state.meetings.get(&meeting) {
        render::emit(
            out,
            &format!(
                "Resuming the meeting of {meeting}: {} note{}, {} decision{} saved so far.\n",
                m.notes.len(),
                crate::error::plural(m.notes.len()),
                m.decisions.len(),
                crate::error::plural(m.decisions.len())
            ),
        )?;
    }
    let agenda = crate::report::agenda::build(&state, ws.config(), ws.tz(), date, None);

    // Attendance, pre-filled from the team (or from what was saved).
    let members: Vec<(String, String)> = ws
        .config()
        .members
        .iter()
        .filter(|(_, m)| m.active)
        .map(|(id, m)| (id.clone(), format!("{} ({id}, {})", m.name, m.department)))
        .collect();
    let saved = state
        .meetings
        .get(&meeting)
        .map(|m| m.attendees.clone())
        .filter(|a| !a.is_empty());
    let defaults: Vec<bool> = members
        .iter()
        .map(|(id, _)| saved.as_ref().is_none_or(|a| a.contains(id)))
        .collect();
    let labels: Vec<String> = members
        .iter()
        .map(|(_, l)| render::sanitize::cell(l))
        .collect();
    let picked = prompt::pick_many(
        "Who is here? (space toggles, enter confirms)",
        &labels,
        &defaults,
    )?;
    let attendees: Vec<String> = picked.iter().map(|&i| members[i].0.clone()).collect();
    let facilitator = agenda.facilitator.clone();
    save(
        ctx,
        &mut ws,
        &me,
        vec![Change::MeetingOpen {
            meeting: meeting.clone(),
            facilitator,
            attendees: attendees.clone(),
        }],
    )?;

    for (index, section) in agenda.sections.iter().enumerate() {
        render::emit(
            out,
            &format!("\n{}", render::agenda::section_text(ctx, index, section)),
        )?;
        walk_section(ctx, &mut ws, &me, &meeting, section.id)?;
    }

    // The pulse: each attendee's sense of alignment, 1 to 5.
    render::emit(
        out,
        &format!(
            "\n{}\n",
            render::bold(ctx, "Pulse: how aligned are marketing and sales this week?")
        ),
    )?;
    let scale: Vec<String> = ["skip", "1 (not at all)", "2", "3", "4", "5 (fully)"]
        .map(String::from)
        .to_vec();
    for id in &attendees {
        let pick = prompt::choose(&format!("Pulse of {id}"), &scale, 0)?;
        if pick > 0 {
            let value = u8::try_from(pick).unwrap_or(3);
            save(
                ctx,
                &mut ws,
                &me,
                vec![Change::MeetingPulse {
                    meeting: meeting.clone(),
                    member: id.clone(),
                    value,
                }],
            )?;
        }
    }
    if prompt::confirm("Any feedback on how the team works?", false)? {
        let text = prompt::text("Feedback", None)?;
        if !text.is_empty() {
            let kinds: Vec<String> = FEEDBACK_CATEGORIES.map(String::from).to_vec();
            let kind = prompt::choose("Kind", &kinds, 2)?;
            let id = crate::model::id::random_id(crate::model::id::RECORD_ID_LEN);
            save(
                ctx,
                &mut ws,
                &me,
                vec![Change::FeedbackAdd {
                    id,
                    text,
                    category: kinds[kind].clone(),
                    anonymous: false,
                }],
            )?;
        }
    }
    save(
        ctx,
        &mut ws,
        &me,
        vec![Change::MeetingClose {
            meeting: meeting.clone(),
        }],
    )?;
    crate::commands::confirm(
        ctx,
        out,
        &format!("The meeting of {meeting} is saved. Minutes: growth meeting show {meeting}"),
    )
}

/// The actions on one section, until the facilitator moves on.
fn walk_section(
    ctx: &Ctx,
    ws: &mut Workspace,
    me: &str,
    meeting: &str,
    section: &str,
) -> Result<()> {
    loop {
        let mut choices = vec![
            "Next section",
            "Add a note",
            "Record a decision",
            "Add an action item",
        ];
        if section == "feedback" {
            choices.push("Resolve feedback");
        }
        if section == "actions" {
            choices.push("Mark an action done");
        }
        let labels: Vec<String> = choices.iter().map(|c| c.to_string()).collect();
        let section_id = Some(section.to_string());
        match choices[prompt::choose("What now?", &labels, 0)?] {
            "Add a note" => {
                let text = prompt::text("Note", None)?;
                if !text.is_empty() {
                    save(
                        ctx,
                        ws,
                        me,
                        vec![Change::MeetingNote {
                            meeting: meeting.into(),
                            section: section_id,
                            text,
                        }],
                    )?;
                }
            }
            "Record a decision" => {
                let text = prompt::text("Decision", None)?;
                if !text.is_empty() {
                    save(
                        ctx,
                        ws,
                        me,
                        vec![Change::MeetingDecision {
                            meeting: meeting.into(),
                            section: section_id,
                            text,
                        }],
                    )?;
                }
            }
            "Add an action item" => add_action(ctx, ws, me, meeting)?,
            "Resolve feedback" => resolve_feedback(ctx, ws, me)?,
            "Mark an action done" => close_action(ctx, ws, me)?,
            _ => return Ok(()),
        }
    }
}

fn add_action(ctx: &Ctx, ws: &mut Workspace, me: &str, meeting: &str) -> Result<()> {
    let text = prompt::text("Action item", None)?;
    if text.is_empty() {
        return Ok(());
    }
    let owners: Vec<(String, String)> = ws
        .config()
        .members
        .iter()
        .filter(|(_, m)| m.active)
        .map(|(id, m)| (id.clone(), format!("{id} ({})", m.name)))
        .collect();
    let labels: Vec<String> = owners
        .iter()
        .map(|(_, l)| render::sanitize::cell(l))
        .collect();
    let owner = owners[prompt::select("Owner (type to search)", &labels)?]
        .0
        .clone();
    let due = loop {
        let answer = prompt::text("Due date (YYYY-MM-DD, empty for none)", Some(""))?;
        if answer.is_empty() {
            break None;
        }
        match crate::model::time::parse_date(&answer) {
            Ok(d) => break Some(d),
            Err(m) => render::warn(&m),
        }
    };
    let id = crate::model::id::random_id(crate::model::id::RECORD_ID_LEN);
    save(
        ctx,
        ws,
        me,
        vec![Change::ActionAdd {
            id,
            text,
            owner,
            due,
            meeting: Some(meeting.to_string()),
        }],
    )
}

fn resolve_feedback(ctx: &Ctx, ws: &mut Workspace, me: &str) -> Result<()> {
    let state = ws.state()?;
    let open: Vec<_> = state
        .feedback
        .values()
        .filter(|f| f.resolved_at.is_none())
        .collect();
    if open.is_empty() {
        render::warn("no open feedback");
        return Ok(());
    }
    let labels: Vec<String> = open
        .iter()
        .map(|f| render::sanitize::cell(&format!("{}: {}", f.category, f.text)))
        .collect();
    let pick = prompt::select("Feedback to resolve (type to search)", &labels)?;
    let note = prompt::text("What was decided or done? (optional)", Some(""))?;
    let feedback = open[pick].id.clone();
    save(
        ctx,
        ws,
        me,
        vec![Change::FeedbackResolve {
            feedback: feedback.into(),
            note: (!note.is_empty()).then_some(note),
        }],
    )
}

fn close_action(ctx: &Ctx, ws: &mut Workspace, me: &str) -> Result<()> {
    let state = ws.state()?;
    let open: Vec<_> = state
        .actions
        .values()
        .filter(|a| a.done_at.is_none())
        .collect();
    if open.is_empty() {
        render::warn("no open action items");
        return Ok(());
    }
    let labels: Vec<String> = open
        .iter()
        .map(|a| render::sanitize::cell(&format!("{} ({})", a.text, a.owner)))
        .collect();
    let pick = prompt::select("Action done (type to search)", &labels)?;
    let action = open[pick].id.clone();
    save(ctx, ws, me, vec![Change::ActionDone { action }])
}
