//! `growth check`: validate every file from scratch and report every problem found.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::render;
use crate::store::Workspace;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when the workspace is valid, 1 when a file has problems, 3 with --alerts\nwhen something needs attention (a handoff past its SLA, an overdue action, a goal behind).\n\nExamples:\n  growth check\n  growth check --alerts || mail -s \"growth alerts\" growth@acme.example < /dev/null\n  growth check --since-commit origin/main   (in CI: the pushed commits only add entries)\n  growth -C ~/growth check --alerts --format json"
)]
pub struct CheckArgs {
    /// Also list handoffs past their SLA, overdue actions and goals behind; exit 3 if any
    #[arg(long)]
    pub alerts: bool,
    /// Mend damaged journal files: remove merge-conflict markers, take out unreadable
    /// entries (each file is backed up to .growth/backup/ first); move links, FIFOs and
    /// folders where growth's files belong aside to .growth/backup/
    #[arg(long, conflicts_with = "alerts")]
    pub repair: bool,
    /// Also verify that every commit of REV..HEAD only adds journal entries (as `growth
    /// sync` does for incoming commits): for a team's CI; exit 1 naming each commit that
    /// edits or removes one
    #[arg(long, value_name = "REV", conflicts_with = "repair")]
    pub since_commit: Option<String>,
}

#[derive(Debug, Serialize)]
struct ProblemView {
    path: String,
    line: usize,
    col: usize,
    message: String,
    hint: Option<String>,
}

#[derive(Debug, Serialize)]
struct Failure {
    ok: bool,
    problems: Vec<ProblemView>,
}

#[derive(Debug, Serialize)]
struct Summary {
    ok: bool,
    members: usize,
    leads: usize,
    handoffs: usize,
    feedback: usize,
    ideas: usize,
    wins: usize,
    actions: usize,
    entries: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    alerts: Option<Vec<crate::report::alerts::Alert>>,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: CheckArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Text, OutputFormat::Json],
    )?;
    let (root, _) = ctx.workspace_root()?;
    if !root.join(crate::store::config::CONFIG_FILE).is_file() {
        ctx.open()?;
    }
    if let Some(rev) = &args.since_commit {
        let repo = crate::store::git::Repo::find(&root)?;
        if rev.starts_with('-') {
            return Err(Error::usage(format!(
                "invalid value for --since-commit: `{rev}`"
            )));
        }
        let rewrites = crate::store::history::rewrites(&repo, &format!("{rev}..HEAD"))?;
        if !rewrites.is_empty() {
            return Err(crate::store::history::refusal(
                &root,
                &rewrites,
                &format!("of {rev}..HEAD"),
                "growth's journal only grows: restore the lines (git revert COMMIT), or, if the team agreed, record the correction as a new entry instead",
            ));
        }
    }
    // A workspace that cannot be migrated yet (a link where the lock belongs, say) is
    // mended first; the next run migrates it.
    if args.repair
        && let Ok(mut ws) = Workspace::open(&root)
        && let Ok(Some(backup)) = ws.migrate()
    {
        super::confirm(
            ctx,
            out,
            &format!(
                "moved the workspace to format 2: members are journal entries now; the old growth.toml is in {}",
                backup.display()
            ),
        )?;
    }
    let horizon = {
        let ws = Workspace::open(&root).ok();
        match ws {
            Some(ws) => Some(ctx.now(ws.tz())?.plus_millis(crate::context::MAX_AHEAD_MS)),
            None => None,
        }
    };
    match Workspace::check(&root, horizon) {
        Ok(state) => {
            // The process ends with this command: freeing a million records one by one
            // (about 0.3 s of CPU at 1M entries, docs/benchmarks.md) is left to the exit.
            let state = std::mem::ManuallyDrop::new(state);
            let tz = Workspace::open(&root)?.tz();
            warn_future_and_conflicts(ctx, &state, tz);
            let members = Workspace::open(&root)?.config().members.len();
            let summary = Summary {
                ok: true,
                members,
                leads: state.leads.len(),
                handoffs: state.handoffs.len(),
                feedback: state.feedback.len(),
                ideas: state.ideas.len(),
                wins: state.wins.len(),
                actions: state.actions.len(),
                entries: state.entries,
                alerts: None,
            };
            let alerts = if args.alerts {
                let ws = Workspace::open(&root)?;
                let now = state.as_of(ctx.now(ws.tz())?);
                Some(crate::report::alerts::alerts(
                    &state,
                    ws.config(),
                    ws.tz(),
                    now,
                ))
            } else {
                None
            };
            let summary = Summary {
                alerts: alerts.clone(),
                ..summary
            };
            if format == OutputFormat::Json {
                render::emit(out, &render::json(&summary)?)?;
                return alerts_verdict(alerts.as_deref());
            }
            let count = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            let records = [
                count(members, "member", "members"),
                count(summary.leads, "lead", "leads"),
                count(summary.handoffs, "handoff", "handoffs"),
                count(summary.feedback, "feedback", "feedback"),
                count(summary.ideas, "idea", "ideas"),
                count(summary.wins, "win", "wins"),
                count(summary.actions, "action", "actions"),
            ];
            let entries = count(
                usize::try_from(summary.entries).unwrap_or(usize::MAX),
                "journal entry",
                "journal entries",
            );
            super::confirm(
                ctx,
                out,
                &format!(
                    "ok: {}; {entries} in {}",
                    records.join(", "),
                    root.display()
                ),
            )?;
            if let Some(list) = &alerts {
                for a in list {
                    render::emit(
                        out,
                        &format!("{} {}: {}\n", a.kind, a.id, render::sanitize::cell(&a.text)),
                    )?;
                }
            }
            alerts_verdict(alerts.as_deref())
        }
        Err(problems) if args.repair => repair(ctx, out, &root, &problems),
        Err(problems) => {
            if format == OutputFormat::Json {
                let views = problems
                    .iter()
                    .map(|p| ProblemView {
                        path: p.path.display().to_string(),
                        line: p.line,
                        col: p.col,
                        message: p.message.clone(),
                        hint: p.hint.clone(),
                    })
                    .collect();
                render::emit(
                    out,
                    &render::json(&Failure {
                        ok: false,
                        problems: views,
                    })?,
                )?;
            }
            Err(Error::invalid(problems))
        }
    }
}

/// Warnings that do not make the workspace invalid: entries dated in the future (left
/// out until their time comes) and conflicts waiting for a decision.
fn warn_future_and_conflicts(ctx: &Ctx, state: &crate::model::state::State, tz: chrono_tz::Tz) {
    if ctx.quiet {
        return;
    }
    if state.deferred > 0
        && let Some(first) = state.future
    {
        render::warn(&format!(
            "{} entr{} dated in the future (the first at {}) count nowhere until their time comes",
            state.deferred,
            if state.deferred == 1 {
                "y is"
            } else {
                "ies are"
            },
            first.to_toml(tz)
        ));
        render::warn(
            "a clock set ahead, or a typo in --today or --at? `growth log` shows who recorded them; `growth undo ENTRY` takes one back",
        );
    }
    if state.ignored > 0 {
        render::warn(&format!(
            "{} entr{} ignored: not their file's author's to write, breaking who may decide, or refused by the rules",
            state.ignored,
            if state.ignored == 1 {
                "y is"
            } else {
                "ies are"
            },
        ));
        for what in &state.ignored_first {
            render::warn(&format!("  {what}"));
        }
        render::warn(
            "a forged or hand-edited entry counts nowhere; `git log -p FILE` shows who committed it",
        );
    }
    let conflicts = crate::commands::conflicts::conflicts(state, tz);
    if !conflicts.is_empty() {
        render::warn(&format!(
            "{} conflict{} between clones need{} a decision (`growth conflicts`, then `growth resolve RECORD FIELD --pick N`):",
            conflicts.len(),
            crate::error::plural(conflicts.len()),
            if conflicts.len() == 1 { "s" } else { "" },
        ));
        for c in conflicts.iter().take(10) {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|v| format!("{} ({})", v.value, v.by))
                .collect();
            render::warn(&format!(
                "  {}/{} {}: {}",
                c.kind,
                render::sanitize::cell(&c.record),
                c.field,
                render::sanitize::cell(&values.join(" vs "))
            ));
        }
        if conflicts.len() > 10 {
            render::warn(&format!("  ... and {} more", conflicts.len() - 10));
        }
    }
}

/// Exit 3 when alerts were asked for and there are some.
fn alerts_verdict(alerts: Option<&[crate::report::alerts::Alert]>) -> Result<()> {
    match alerts {
        Some(list) if !list.is_empty() => Err(Error {
            kind: crate::error::ErrorKind::Alerts,
            ..Error::user(format!(
                "{} alert{} need{} attention",
                list.len(),
                crate::error::plural(list.len()),
                if list.len() == 1 { "s" } else { "" }
            ))
        }),
        _ => Ok(()),
    }
}

/// `--repair`: mend what can be mended, say what was done, then check again.
fn repair(
    ctx: &Ctx,
    out: &mut dyn Write,
    root: &std::path::Path,
    problems: &[crate::error::Problem],
) -> Result<()> {
    let stamp = ctx
        .now(chrono_tz::UTC)?
        .to_utc()
        .format("%Y%m%dT%H%M%S")
        .to_string();
    let done = crate::store::repair::repair(root, problems, &stamp)?;
    for r in &done {
        if let Some(what) = r.moved_aside {
            let note = if r.backup.is_empty() {
                format!(
                    "{}: removed {what} (nothing it pointed at was touched)",
                    r.file
                )
            } else {
                format!(
                    "{}: moved {what} aside to {} (nothing it pointed at was touched)",
                    r.file, r.backup
                )
            };
            super::confirm(ctx, out, &note)?;
            continue;
        }
        let dropped = if r.entries_dropped.is_empty() {
            String::new()
        } else {
            let lines: Vec<String> = r.entries_dropped.iter().map(|l| l.to_string()).collect();
            format!(
                ", took out {} unreadable entr{} (line {})",
                lines.len(),
                if lines.len() == 1 { "y" } else { "ies" },
                lines.join(", ")
            )
        };
        super::confirm(
            ctx,
            out,
            &format!(
                "{}: removed {} conflict-marker line{}{dropped}; the original is in {}",
                r.file,
                r.markers_removed,
                crate::error::plural(r.markers_removed),
                r.backup
            ),
        )?;
    }
    match Workspace::check(root, None) {
        Ok(_) => super::confirm(ctx, out, "ok: the workspace is valid again"),
        Err(left) => Err(Error::invalid(left).hint(
            "these need a person: fix the lines shown (the backups under .growth/backup/ hold the originals); growth.toml is never changed by --repair, restore it with `git checkout -- growth.toml` if needed",
        )),
    }
}
