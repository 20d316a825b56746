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
    after_help = "Exit status: 0 when the workspace is valid, 1 when a file has problems.\n\nExamples:\n  growth check\n  growth -C ~/growth check --format json"
)]
pub struct CheckArgs {}

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
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, _args: CheckArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Text, OutputFormat::Json],
    )?;
    let (root, _) = ctx.workspace_root()?;
    if !root.join(crate::store::config::CONFIG_FILE).is_file() {
        ctx.open()?;
    }
    match Workspace::check(&root) {
        Ok(state) => {
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
            };
            if format == OutputFormat::Json {
                return render::emit(out, &render::json(&summary)?);
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
            )
        }
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
