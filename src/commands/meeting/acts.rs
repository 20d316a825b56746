//! Acting on the item in front of the team during `growth meeting start`: qualify a lead or
//! move its stage, accept or reject a handoff, mark an action done or reassign it, resolve
//! feedback, and hear new feedback.
//!
//! Each act runs the very command that does it on the command line (`growth lead qualify`,
//! `growth handoff accept`, `growth action done`, ...) with the answers as its arguments,
//! so the rules are the same (who may decide a handoff, the SLA it is measured against) and
//! so is the confirmation printed. A refusal by those rules is shown and the walk-through
//! goes on. Each act returns a few words on what it saved, for the summary an interrupted
//! walk-through prints.

use std::io::Write;

use crate::commands::{action, feedback, handoff, lead};
use crate::context::Ctx;
use crate::error::{ErrorKind, Result};
use crate::model::records::FEEDBACK_CATEGORIES;
use crate::prompt;
use crate::render::{self, sanitize};
use crate::store::Workspace;

/// Runs one act; a refusal (a rule, a typo) is printed and `Ok(false)` returned. An
/// interrupt or a failing disk ends the walk-through.
pub fn attempt(
    out: &mut dyn Write,
    act: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<bool> {
    match act(&mut *out) {
        Ok(()) => Ok(true),
        Err(e) if matches!(e.kind, ErrorKind::User | ErrorKind::Usage) => {
            let mut text = format!("not recorded: {}\n", sanitize::cell(&e.message));
            for h in &e.hints {
                text.push_str(&format!("  hint: {}\n", sanitize::cell(h)));
            }
            render::emit(out, &text)?;
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

fn say(out: &mut dyn Write, text: &str) -> Result<()> {
    render::emit(out, &format!("{}\n", sanitize::cell(text)))
}

/// A fuzzy pick among `(id, label)` pairs; `None` on Esc or when there is nothing to pick.
fn pick(
    out: &mut dyn Write,
    question: &str,
    items: &[(String, String)],
    none: &str,
) -> Result<Option<String>> {
    if items.is_empty() {
        say(out, none)?;
        return Ok(None);
    }
    let labels: Vec<String> = items.iter().map(|(_, l)| sanitize::cell(l)).collect();
    Ok(
        prompt::select_or_back(&format!("{question} (type to search, Esc back)"), &labels)?
            .map(|i| items[i].0.clone()),
    )
}

fn open_leads(ws: &Workspace, closed_too: bool) -> Result<Vec<(String, String)>> {
    let state = ws.state()?;
    let config = ws.config();
    let mut leads: Vec<_> = state
        .leads
        .values()
        .filter(|l| !l.archived && (closed_too || !config.pipeline.is_closed(&l.stage)))
        .collect();
    leads.sort_by_key(|l| (l.created, l.id.clone()));
    let criteria = config.qualification.criteria.len();
    Ok(leads
        .iter()
        .map(|l| {
            (
                l.id.to_string(),
                format!(
                    "{}  {} ({}, meets {} of {criteria})",
                    l.id,
                    l.company,
                    l.stage,
                    l.met.len()
                ),
            )
        })
        .collect())
}

/// Criteria the lead meets now, from those it does not meet yet. The leads are offered in
/// the order the section names them (`items`: the new leads first), then the others.
pub fn qualify_lead(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &Workspace,
    items: &[crate::report::agenda::Item],
) -> Result<Option<String>> {
    let mut leads = open_leads(ws, false)?;
    // Each item names its lead as `(id)`; a lead the section does not name comes after.
    let rank = |id: &str| {
        let named = format!("({id})");
        items
            .iter()
            .position(|i| i.text.contains(&named))
            .unwrap_or(usize::MAX)
    };
    leads.sort_by_cached_key(|(id, _)| rank(id));
    let Some(id) = pick(out, "Lead to qualify", &leads, "no open leads to qualify")? else {
        return Ok(None);
    };
    let state = ws.state()?;
    let met: Vec<String> = state
        .leads
        .get(id.as_str())
        .map(|l| l.met.iter().map(|m| m.to_string()).collect())
        .unwrap_or_default();
    let unmet: Vec<String> = ws
        .config()
        .qualification
        .criteria
        .iter()
        .filter(|c| !met.contains(c))
        .cloned()
        .collect();
    if unmet.is_empty() {
        say(out, &format!("{id} meets every criterion already"))?;
        return Ok(None);
    }
    let Some(picked) = prompt::pick_many_or_back(
        &format!("Criteria {id} meets now (space toggles, enter confirms, Esc back)"),
        &unmet,
        &vec![false; unmet.len()],
    )?
    else {
        return Ok(None);
    };
    if picked.is_empty() {
        return Ok(None);
    }
    let met: Vec<String> = picked.iter().map(|&i| unmet[i].clone()).collect();
    let args = lead::qualify::QualifyArgs {
        lead: id.clone(),
        met: met.clone(),
    };
    Ok(attempt(out, |out| lead::qualify::run(ctx, out, args))?
        .then(|| format!("{id} qualified ({})", met.join(", "))))
}

/// A lead to another stage (won, lost, back to nurture...), with a reason if wanted.
pub fn move_lead(ctx: &Ctx, out: &mut dyn Write, ws: &Workspace) -> Result<Option<String>> {
    let leads = open_leads(ws, true)?;
    let Some(id) = pick(out, "Lead to move", &leads, "no leads yet")? else {
        return Ok(None);
    };
    let stages = ws.config().pipeline.stages.clone();
    let current = ws
        .state()?
        .leads
        .get(id.as_str())
        .and_then(|l| stages.iter().position(|s| *s == l.stage))
        .unwrap_or(0);
    let Some(stage) =
        prompt::choose_or_back(&format!("Move {id} to (Esc back)"), &stages, current)?
    else {
        return Ok(None);
    };
    let stage = stages[stage].clone();
    let reason = prompt::text("Why? (optional)", Some(""))?;
    let args = lead::stage::StageArgs {
        lead: id.clone(),
        stage: stage.clone(),
        reason: (!reason.is_empty()).then_some(reason),
    };
    Ok(attempt(out, |out| lead::stage::run(ctx, out, args))?
        .then(|| format!("{id} moved to {stage}")))
}

/// Accept or reject a handoff waiting for a decision; only its receiver or a leader may.
pub fn decide_handoff(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &Workspace,
    me: &str,
) -> Result<Option<String>> {
    let state = ws.state()?;
    let mut pending: Vec<_> = state.handoffs.values().filter(|h| h.pending()).collect();
    pending.sort_by_key(|h| (h.at, h.id.clone()));
    let items: Vec<(String, String)> = pending
        .iter()
        .map(|h| {
            let company = state.leads.get(&h.lead).map_or("", |l| l.company.as_str());
            (
                h.id.to_string(),
                format!(
                    "{}  {} ({company}) from {} to {}",
                    h.id, h.lead, h.from, h.to
                ),
            )
        })
        .collect();
    let Some(id) = pick(
        out,
        "Handoff to decide",
        &items,
        "no handoffs wait for a decision",
    )?
    else {
        return Ok(None);
    };
    let Some(h) = state.handoffs.get(id.as_str()) else {
        return Ok(None);
    };
    // The command checks this too; asking first spares typing a note it would refuse.
    if !h.may_decide(me, ws.config()) {
        say(
            out,
            &format!(
                "not recorded: only {} (who received handoff {id}) or a leader may decide it\n  hint: they can run `growth handoff accept {id}` or `growth handoff reject {id} --reason REASON`",
                h.to
            ),
        )?;
        return Ok(None);
    }
    let verbs = ["Accept".to_string(), "Reject".to_string()];
    let Some(verb) = prompt::choose_or_back(&format!("Handoff {id} (Esc back)"), &verbs, 0)? else {
        return Ok(None);
    };
    if verb == 0 {
        let note = prompt::text("A note for marketing (optional)", Some(""))?;
        let args = handoff::decide::AcceptArgs {
            id: id.clone(),
            note: (!note.is_empty()).then_some(note.clone()),
        };
        let done = attempt(out, |out| handoff::decide::accept(ctx, out, args))?;
        return kept_note(out, done, &note, format!("handoff {id} accepted"));
    }
    let reasons = ws.config().handoff.rejection_reasons.clone();
    let Some(reason) = prompt::choose_or_back("Why is it rejected? (Esc back)", &reasons, 0)?
    else {
        return Ok(None);
    };
    let reason = reasons[reason].clone();
    let note = prompt::text(
        "What should marketing know or do next? (optional)",
        Some(""),
    )?;
    let args = handoff::decide::RejectArgs {
        id: id.clone(),
        reason: reason.clone(),
        note: (!note.is_empty()).then_some(note.clone()),
    };
    let done = attempt(out, |out| handoff::decide::reject(ctx, out, args))?;
    kept_note(
        out,
        done,
        &note,
        format!("handoff {id} rejected ({reason})"),
    )
}

/// After a refused act: the note typed for it, printed back so it is not lost.
fn kept_note(out: &mut dyn Write, done: bool, note: &str, saved: String) -> Result<Option<String>> {
    if done {
        return Ok(Some(saved));
    }
    if !note.is_empty() {
        say(out, &format!("your note, not saved: {note}"))?;
    }
    Ok(None)
}

fn open_actions(ws: &Workspace) -> Result<Vec<(String, String)>> {
    let state = ws.state()?;
    let mut open: Vec<_> = state
        .actions
        .values()
        .filter(|a| a.done_at.is_none() && !a.cancelled)
        .collect();
    open.sort_by_key(|a| (a.due.unwrap_or(chrono::NaiveDate::MAX), a.at, a.id.clone()));
    Ok(open
        .iter()
        .map(|a| {
            let due = a.due.map(|d| format!(", due {d}")).unwrap_or_default();
            (
                a.id.clone(),
                format!("{}  {} ({}{due})", a.id, a.text, a.owner),
            )
        })
        .collect())
}

pub fn action_done(ctx: &Ctx, out: &mut dyn Write, ws: &Workspace) -> Result<Option<String>> {
    let open = open_actions(ws)?;
    let Some(id) = pick(out, "Action done", &open, "no open action items")? else {
        return Ok(None);
    };
    let cmd = action::ActionCommand::Done(action::DoneArgs { id: id.clone() });
    Ok(attempt(out, |out| action::run(ctx, out, cmd))?.then(|| format!("action {id} done")))
}

/// Gives an open action to someone else: one `action.edit`, as `growth action edit ID
/// --owner M` records it, so the action keeps its id, its added date and its carried count.
pub fn reassign_action(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &mut Workspace,
    me: &str,
) -> Result<Option<String>> {
    let open = open_actions(ws)?;
    let Some(id) = pick(out, "Action to reassign", &open, "no open action items")? else {
        return Ok(None);
    };
    let Some(old) = ws.state()?.actions.get(&id).cloned() else {
        return Ok(None);
    };
    let members: Vec<(String, String)> = ws
        .config()
        .members
        .iter()
        .filter(|(m, info)| info.active && **m != old.owner)
        .map(|(m, info)| (m.clone(), format!("{m} ({})", info.name)))
        .collect();
    let Some(owner) = pick(
        out,
        &format!("New owner of {id}"),
        &members,
        "nobody else to give it to",
    )?
    else {
        return Ok(None);
    };
    let edit = action::ActionEdit {
        owner: Some(owner.clone()),
        due: None,
        no_due: false,
        text: None,
    };
    let mut said = String::new();
    let recorded = attempt(out, |_| {
        said = action::record_edit(ctx, ws, me, &id, &edit)?.1;
        Ok(())
    })?;
    if !recorded {
        return Ok(None);
    }
    crate::commands::confirm(ctx, out, &format!("action {id}: {said}"))?;
    Ok(Some(format!("action {id} reassigned to {owner}")))
}

pub fn resolve_feedback(ctx: &Ctx, out: &mut dyn Write, ws: &Workspace) -> Result<Option<String>> {
    let state = ws.state()?;
    let mut open: Vec<_> = state
        .feedback
        .values()
        .filter(|f| f.resolved_at.is_none() && !f.withdrawn)
        .collect();
    open.sort_by_key(|f| (f.at, f.id.clone()));
    let items: Vec<(String, String)> = open
        .iter()
        .map(|f| {
            (
                f.id.to_string(),
                format!("{}  {}: {}", f.id, f.category, f.text),
            )
        })
        .collect();
    let Some(id) = pick(out, "Feedback to resolve", &items, "no open feedback")? else {
        return Ok(None);
    };
    let note = prompt::text("What was decided or done? (optional)", Some(""))?;
    let args = feedback::FeedbackArgs {
        action: Some(feedback::FeedbackCommand::Resolve(feedback::ResolveArgs {
            id: id.clone(),
            note: (!note.is_empty()).then_some(note.clone()),
        })),
        text: None,
        kind: FEEDBACK_CATEGORIES[2].to_string(),
        anonymous: false,
    };
    let done = attempt(out, |out| feedback::run(ctx, out, args))?;
    kept_note(out, done, &note, format!("feedback {id} resolved"))
}

/// New feedback, each attributed to whoever gives it (recorded as them, as `--as` does) or
/// anonymous, until the facilitator says done. Returns how many were recorded, or `None`
/// when left with Esc before any.
pub fn feedback_round(
    ctx: &Ctx,
    out: &mut dyn Write,
    ws: &Workspace,
    attendees: &[String],
) -> Result<Option<usize>> {
    let config = ws.config();
    // Attendees first, then the rest of the team.
    let mut givers: Vec<String> = attendees.to_vec();
    givers.extend(
        config
            .members
            .iter()
            .filter(|(id, m)| m.active && !attendees.contains(id))
            .map(|(id, _)| id.clone()),
    );
    // Who gives it, by name (type to search); then anonymous; "Done" last, so an Enter
    // pressed too many times never ends the round by accident.
    let mut labels: Vec<String> = givers
        .iter()
        .map(|id| {
            let name = config.members.get(id).map_or("", |m| m.name.as_str());
            sanitize::cell(&format!("{id} ({name})"))
        })
        .collect();
    let anonymous_at = labels.len();
    labels.push("Anonymous".to_string());
    labels.push("Done: no more feedback".to_string());
    let kinds: Vec<String> = FEEDBACK_CATEGORIES.map(String::from).to_vec();
    let mut recorded = 0;
    loop {
        let question = if recorded == 0 {
            "New feedback: who gives it? (type to search, Esc back)".to_string()
        } else {
            format!(
                "More feedback ({recorded} recorded): who gives it? (type to search, Esc: done)"
            )
        };
        let Some(who) = prompt::select_or_back(&question, &labels)? else {
            return Ok((recorded > 0).then_some(recorded));
        };
        if who > anonymous_at {
            return Ok(Some(recorded));
        }
        let text = prompt::text("Feedback (empty to skip)", Some(""))?;
        if text.is_empty() {
            continue;
        }
        let Some(kind) = prompt::choose_or_back("Kind (Esc back)", &kinds, 2)? else {
            say(out, &format!("your feedback, not saved: {text}"))?;
            continue;
        };
        let anonymous = who == anonymous_at;
        let giver_ctx = crate::context::Ctx {
            as_member: givers.get(who).cloned(),
            ..ctx.narrower(0)
        };
        let args = feedback::FeedbackArgs {
            action: None,
            text: Some(text.clone()),
            kind: kinds[kind].clone(),
            anonymous,
        };
        if attempt(out, |out| feedback::run(&giver_ctx, out, args))? {
            recorded += 1;
        } else {
            say(out, &format!("your feedback, not saved: {text}"))?;
        }
    }
}
