//! `growth meeting start`: the facilitator's walk-through. Attendance, then each agenda
//! section (notes, decisions, action items, and acting on its items: qualify a lead, decide
//! a handoff, close or reassign an action, resolve feedback), then each attendee's pulse
//! and a round of new feedback. Every step is saved the moment it is made, so quitting at
//! any point loses nothing.
//!
//! Starting a meeting already started shows what is saved and resumes at the first step not
//! finished (see [`super::progress`]); Esc in a step opens the section menu, where any step
//! can be revisited, attendance changed, or the meeting closed. Ctrl-C anywhere, or Esc at
//! the section menu, stops with exit 130 and says what was saved and how to resume.

use std::io::Write;

use clap::Args;

use super::acts;
use super::progress::{self, Progress};
use crate::context::Ctx;
use crate::error::{Error, Result, plural};
use crate::model::entry::Change;
use crate::prompt::{self, Digit};
use crate::render;
use crate::report::agenda::Agenda;
use crate::store::Workspace;

#[derive(Debug, Args)]
#[command(
    after_help = "Needs a terminal. Without one, record the meeting with `growth meeting record`.\n\nKeys: Esc goes one step back (in a section: to the section menu); Ctrl-C stops, keeping\neverything saved so far; `growth meeting start` again resumes where you were.\n\nExamples:\n  growth meeting start\n  growth meeting start --date 2026-11-30"
)]
pub struct StartArgs {
    /// The meeting's date (default: today)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// The steps after attendance: the agenda's sections (by index), the pulse, new feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Section(usize),
    Pulse,
    Feedback,
}

/// How a step ended: finished (go on), or left with Esc (to the section menu).
enum Left {
    Finished,
    Menu,
}

/// A walk-through in progress.
struct Walk<'a> {
    ctx: &'a Ctx,
    ws: Workspace,
    me: String,
    meeting: String,
    agenda: Agenda,
    progress: Progress,
    attendees: Vec<String>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: StartArgs) -> Result<()> {
    if !ctx.can_prompt {
        return Err(Error::usage("`growth meeting start` asks questions and needs a terminal")
            .hint("record a meeting without prompts with `growth meeting record --attendee M --note TEXT ...`"));
    }
    let ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    let date = super::date_or_today(ctx, ws.tz(), args.date.as_deref())?;
    let meeting = date.to_string();
    let state = ws.state()?;
    let agenda = crate::report::agenda::build(&state, ws.config(), ws.tz(), date, None);
    let attendees = state
        .meetings
        .get(&meeting)
        .map(|m| m.attendees.clone())
        .unwrap_or_default();
    let resumed = state.meetings.contains_key(&meeting);
    let progress = progress::load(&ws.root, &meeting);
    let mut walk = Walk {
        ctx,
        ws,
        me,
        meeting,
        agenda,
        progress,
        attendees,
    };
    match walk.run(out, resumed) {
        Err(e) if prompt::is_interrupt(&e) => Err(walk.interrupted()),
        other => other,
    }
}

impl Walk<'_> {
    fn run(&mut self, out: &mut dyn Write, resumed: bool) -> Result<()> {
        if resumed {
            render::emit(
                out,
                &format!(
                    "Resuming the meeting of {}. Saved so far: {}.\n",
                    self.meeting,
                    self.saved().join(", ")
                ),
            )?;
        } else if !self.attendance(out)? {
            return Err(prompt::interrupted());
        }
        let mut next = self.first_unfinished();
        if resumed && let Some(step) = next {
            render::emit(
                out,
                &format!(
                    "Resuming at {} (Esc in a section opens the section menu).\n",
                    self.title(step)
                ),
            )?;
        }
        loop {
            let step = match next.take() {
                Some(step) => step,
                None => match self.menu(out)? {
                    Some(step) => step,
                    None => break,
                },
            };
            match self.walk(out, step)? {
                Left::Finished => {
                    let id = self.step_id(step).to_string();
                    progress::finish(&self.ws.root, &self.meeting, &mut self.progress, &id)?;
                    next = self.first_unfinished();
                    if next.is_none() {
                        break;
                    }
                }
                Left::Menu => next = None,
            }
        }
        self.save(vec![Change::MeetingClose {
            meeting: self.meeting.clone(),
        }])?;
        crate::commands::confirm(
            self.ctx,
            out,
            &format!(
                "The meeting of {} is saved. Minutes: growth meeting show {}",
                self.meeting, self.meeting
            ),
        )
    }

    /// One step of the walk-through, saved as soon as it is taken.
    fn save(&mut self, changes: Vec<Change>) -> Result<()> {
        crate::commands::record(self.ctx, &mut self.ws, &self.me, |_, _, _| {
            Ok(changes.clone())
        })?;
        Ok(())
    }

    fn steps(&self) -> Vec<Step> {
        let mut steps: Vec<Step> = (0..self.agenda.sections.len()).map(Step::Section).collect();
        steps.extend([Step::Pulse, Step::Feedback]);
        steps
    }

    fn step_id(&self, step: Step) -> &'static str {
        match step {
            Step::Section(i) => self.agenda.sections[i].id,
            Step::Pulse => "pulse",
            Step::Feedback => "new-feedback",
        }
    }

    fn title(&self, step: Step) -> String {
        match step {
            Step::Section(i) => format!("{}. {}", i + 1, self.agenda.sections[i].title),
            Step::Pulse => "Pulse".into(),
            Step::Feedback => "New feedback".into(),
        }
    }

    fn first_unfinished(&self) -> Option<Step> {
        self.steps()
            .into_iter()
            .find(|s| !self.progress.is_done(self.step_id(*s)))
    }

    /// Who came: pre-filled from what was saved, else the whole team. `false` on Esc.
    fn attendance(&mut self, out: &mut dyn Write) -> Result<bool> {
        let members: Vec<(String, String)> = self
            .ws
            .config()
            .members
            .iter()
            .filter(|(_, m)| m.active)
            .map(|(id, m)| (id.clone(), format!("{} ({id}, {})", m.name, m.department)))
            .collect();
        let saved = !self.attendees.is_empty();
        let defaults: Vec<bool> = members
            .iter()
            .map(|(id, _)| !saved || self.attendees.contains(id))
            .collect();
        let labels: Vec<String> = members
            .iter()
            .map(|(_, l)| render::sanitize::cell(l))
            .collect();
        let Some(picked) = prompt::pick_many_or_back(
            "Who is here? (space toggles, enter confirms)",
            &labels,
            &defaults,
        )?
        else {
            return Ok(false);
        };
        let now: Vec<String> = picked.iter().map(|&i| members[i].0.clone()).collect();
        let absent: Vec<String> = self
            .attendees
            .iter()
            .filter(|a| !now.contains(a))
            .cloned()
            .collect();
        // Facilitator by rotation when the meeting opens; kept as it was when it reopens.
        let facilitator = if self.ws.state()?.meetings.contains_key(&self.meeting) {
            None
        } else {
            self.agenda.facilitator.clone()
        };
        let mut changes = vec![Change::MeetingOpen {
            meeting: self.meeting.clone(),
            facilitator,
            attendees: now.clone(),
        }];
        if !absent.is_empty() {
            changes.push(Change::MeetingAbsent {
                meeting: self.meeting.clone(),
                absent,
            });
        }
        self.save(changes)?;
        self.attendees = now;
        render::emit(
            out,
            &format!(
                "{} attendee{} saved.\n",
                self.attendees.len(),
                plural(self.attendees.len())
            ),
        )?;
        Ok(true)
    }

    /// The section menu: a step to walk, or `None` to close the meeting. Esc interrupts.
    fn menu(&mut self, out: &mut dyn Write) -> Result<Option<Step>> {
        loop {
            let steps = self.steps();
            let mut labels: Vec<String> = steps
                .iter()
                .map(|s| {
                    let done = if self.progress.is_done(self.step_id(*s)) {
                        "  (done)"
                    } else {
                        ""
                    };
                    format!("{}{done}", self.title(*s))
                })
                .collect();
            labels.push("Attendance".into());
            labels.push("Close the meeting".into());
            let default = self
                .first_unfinished()
                .and_then(|f| steps.iter().position(|s| *s == f))
                .unwrap_or(labels.len() - 1);
            let Some(pick) = prompt::choose_or_back(
                "Section menu (Esc stops; everything is saved)",
                &labels,
                default,
            )?
            else {
                return Err(prompt::interrupted());
            };
            match pick {
                p if p < steps.len() => return Ok(Some(steps[p])),
                p if p == steps.len() => {
                    self.attendance(out)?;
                }
                _ => return Ok(None),
            }
        }
    }

    fn walk(&mut self, out: &mut dyn Write, step: Step) -> Result<Left> {
        match step {
            Step::Section(i) => {
                self.show_section(out, i)?;
                self.section(out, i)
            }
            Step::Pulse => self.pulse(out),
            Step::Feedback => {
                render::emit(
                    out,
                    &format!(
                        "\n{}\n",
                        render::bold(self.ctx, "New feedback on how the team works")
                    ),
                )?;
                match acts::feedback_round(self.ctx, out, &self.ws, &self.attendees)? {
                    Some(_) => Ok(Left::Finished),
                    None => Ok(Left::Menu),
                }
            }
        }
    }

    /// Section `i` as it stands now: the agenda is built again from the journal, so what
    /// was acted on (an action done or reassigned, a handoff decided) shows as it is.
    fn show_section(&mut self, out: &mut dyn Write, i: usize) -> Result<()> {
        self.refresh()?;
        let Some(section) = self.agenda.sections.get(i) else {
            return Ok(());
        };
        let text = render::agenda::section_text(self.ctx, i, section);
        render::emit(out, &format!("\n{text}"))
    }

    /// The agenda again, from the state now. It speaks as of the meeting's start, so the
    /// action items closed since then are marked here as what they are now.
    fn refresh(&mut self) -> Result<()> {
        let state = self.ws.state()?;
        let date = self.agenda.date;
        self.agenda =
            crate::report::agenda::build(&state, self.ws.config(), self.ws.tz(), date, None);
        if let Some(section) = self.agenda.sections.iter_mut().find(|s| s.id == "actions") {
            for item in &mut section.items {
                let now = state
                    .actions
                    .values()
                    .filter(|a| a.text == item.text)
                    .find_map(|a| {
                        if a.cancelled {
                            Some("cancelled")
                        } else {
                            a.done_at.map(|_| "done")
                        }
                    });
                if let Some(now) = now {
                    item.status = Some(now.to_string());
                }
            }
        }
        Ok(())
    }

    /// The acts on one section, until the facilitator moves on (or Esc: the section menu).
    fn section(&mut self, out: &mut dyn Write, i: usize) -> Result<Left> {
        let section = self.agenda.sections[i].id;
        let mut choices = vec![
            "Next section",
            "Add a note",
            "Record a decision",
            "Add an action item",
        ];
        match section {
            "qualification" => choices.extend(["Qualify a lead", "Move a lead to a stage"]),
            "handoffs" => choices.push("Accept or reject a handoff"),
            "feedback" => choices.push("Resolve feedback"),
            "actions" => choices.extend(["Mark an action done", "Reassign an action"]),
            _ => {}
        }
        let labels: Vec<String> = choices.iter().map(|c| c.to_string()).collect();
        loop {
            let Some(pick) = prompt::choose_or_back("What now? (Esc: section menu)", &labels, 0)?
            else {
                return Ok(Left::Menu);
            };
            let (ctx, me) = (self.ctx, self.me.clone());
            let done = match choices[pick] {
                "Next section" => return Ok(Left::Finished),
                "Add a note" | "Record a decision" => {
                    self.note(section, choices[pick] == "Record a decision")?
                }
                "Add an action item" => self.add_action()?,
                "Qualify a lead" => {
                    acts::qualify_lead(ctx, out, &self.ws, &self.agenda.sections[i].items)?
                }
                "Move a lead to a stage" => acts::move_lead(ctx, out, &self.ws)?,
                "Accept or reject a handoff" => acts::decide_handoff(ctx, out, &self.ws, &me)?,
                "Resolve feedback" => acts::resolve_feedback(ctx, out, &self.ws)?,
                "Mark an action done" => acts::action_done(ctx, out, &self.ws)?,
                "Reassign an action" => acts::reassign_action(ctx, out, &mut self.ws, &me)?,
                _ => None,
            };
            // Acted on an item of the section: show the section as it stands now.
            if done.is_some() && section == "actions" {
                self.show_section(out, i)?;
            } else if done.is_some() {
                self.refresh()?;
            }
        }
    }

    fn note(&mut self, section: &str, decision: bool) -> Result<Option<String>> {
        let text = prompt::text(if decision { "Decision" } else { "Note" }, None)?;
        if text.is_empty() {
            return Ok(None);
        }
        let (meeting, section) = (self.meeting.clone(), Some(section.to_string()));
        self.save(vec![if decision {
            Change::MeetingDecision {
                meeting,
                section,
                text,
            }
        } else {
            Change::MeetingNote {
                meeting,
                section,
                text,
            }
        }])?;
        Ok(None)
    }

    fn add_action(&mut self) -> Result<Option<String>> {
        let text = prompt::text("Action item", None)?;
        if text.is_empty() {
            return Ok(None);
        }
        let owners: Vec<(String, String)> = self
            .ws
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
        let Some(owner) = prompt::select_or_back("Owner (type to search, Esc back)", &labels)?
        else {
            return Ok(None);
        };
        let owner = owners[owner].0.clone();
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
        self.save(vec![Change::ActionAdd {
            id,
            text,
            owner,
            due,
            meeting: Some(self.meeting.clone()),
        }])?;
        Ok(None)
    }

    /// Each attendee's sense of alignment, 1 to 5, one key each; Esc goes back one person.
    fn pulse(&mut self, out: &mut dyn Write) -> Result<Left> {
        render::emit(
            out,
            &format!(
                "\n{}\n",
                render::bold(
                    self.ctx,
                    "Pulse: how aligned are marketing and sales this week? (1 not at all, 5 fully)"
                )
            ),
        )?;
        let mut i = 0;
        // Who got a score in this pass (a score given again after Esc counts once).
        let mut scored: Vec<String> = Vec::new();
        while i < self.attendees.len() {
            let id = self.attendees[i].clone();
            match prompt::digit(&format!("Pulse of {id}"), 1, 5)? {
                Digit::Value(value) => {
                    self.save(vec![Change::MeetingPulse {
                        meeting: self.meeting.clone(),
                        member: id.clone(),
                        value,
                    }])?;
                    if !scored.contains(&id) {
                        scored.push(id);
                    }
                    i += 1;
                }
                Digit::Skip => i += 1,
                Digit::Back if i == 0 => return Ok(Left::Menu),
                Digit::Back => i -= 1,
            }
        }
        let n = scored.len();
        render::emit(out, &format!("{n} score{} saved.\n", plural(n)))?;
        Ok(Left::Finished)
    }

    /// What is saved of this meeting so far, in a few words each.
    fn saved(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Ok(state) = self.ws.state()
            && let Some(m) = state.meetings.get(&self.meeting)
        {
            parts.push(format!("attendance ({})", m.attendees.len()));
            let actions = state
                .actions
                .values()
                .filter(|a| a.meeting.as_deref() == Some(self.meeting.as_str()))
                .count();
            for (n, what) in [
                (m.notes.len(), "note"),
                (m.decisions.len(), "decision"),
                (actions, "action item"),
                (m.pulse.len(), "pulse"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}{}", plural(n)));
                }
            }
        }
        let finished: Vec<String> = self
            .steps()
            .into_iter()
            .filter(|s| self.progress.is_done(self.step_id(*s)))
            .map(|s| self.step_id(s).to_string())
            .collect();
        if !finished.is_empty() {
            parts.push(format!("finished {}", finished.join(", ")));
        }
        if let Ok(state) = self.ws.state()
            && let Some(m) = state.meetings.get(&self.meeting)
            && let Ok(lines) = super::minutes::change_lines(&self.ws.root, self.ws.tz(), m)
        {
            parts.extend(lines.iter().map(|l| render::sanitize::cell(l)));
        }
        if parts.is_empty() {
            parts.push("nothing yet".into());
        }
        parts
    }

    /// The interrupt, saying what was saved and how to go on.
    fn interrupted(&self) -> Error {
        prompt::restore_terminal();
        let resume = format!("growth meeting start --date {}", self.meeting);
        if self
            .ws
            .state()
            .is_ok_and(|s| s.meetings.contains_key(&self.meeting))
        {
            Error::interrupted(format!("interrupted; saved: {}", self.saved().join(", ")))
                .hint(format!("resume with: {resume}"))
        } else {
            Error::interrupted("interrupted before attendance; nothing was saved")
                .hint(format!("start again with: {resume}"))
        }
    }
}
