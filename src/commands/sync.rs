//! `growth sync`: commit what was recorded, pull (merge), check, push, with the system git.

use std::collections::BTreeMap;
use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::Workspace;
use crate::store::git::Repo;

#[derive(Debug, Args)]
#[command(
    after_help = "Steps, each a plain git command: git add the workspace, git commit with a summary of\nwhat was recorded (\"3 handoffs, 1 meeting\"), git fetch and merge the remote branch,\ngrowth check, git push. A merge conflict aborts the merge and changes nothing.\n\nExamples:\n  growth sync\n  */15 * * * *  cd ~/growth && growth sync -q"
)]
pub struct SyncArgs {}

/// "3 handoffs, 1 meeting, 2 leads" from the journal lines a commit adds.
pub fn summary(diff: &str) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for line in diff.lines() {
        if let Some(kind) = line
            .strip_prefix("+kind = \"")
            .and_then(|k| k.strip_suffix('"'))
        {
            let noun = match kind {
                "lead.add" => "lead",
                "lead.edit" | "lead.stage" | "lead.qualify" => "lead change",
                "handoff.create" => "handoff",
                "handoff.accept" | "handoff.reject" | "handoff.contact" => "handoff decision",
                "feedback.add" | "feedback.resolve" => "feedback",
                "idea.add" | "idea.status" => "idea",
                "win.add" => "win",
                "action.add" | "action.done" => "action",
                "goal.add" | "goal.checkin" => "goal",
                "meeting.open" => "meeting",
                k if k.starts_with("meeting.") => "meeting note",
                _ => "change",
            };
            *counts.entry(noun).or_default() += 1;
        }
    }
    let mut parts: Vec<(usize, &str)> = counts.into_iter().map(|(noun, n)| (n, noun)).collect();
    parts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let words: Vec<String> = parts
        .iter()
        .map(|(n, noun)| {
            if *n == 1 || noun.ends_with("feedback") {
                format!("{n} {noun}")
            } else {
                format!("{n} {noun}s")
            }
        })
        .collect();
    if words.is_empty() {
        "settings".into()
    } else {
        words.join(", ")
    }
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, _args: SyncArgs) -> Result<()> {
    let ws = ctx.open()?;
    let repo = Repo::find(&ws.root)?;
    let (remote, branch) = repo.upstream()?;
    let staged = repo.stage()?;
    let mut steps = Vec::new();
    if !staged.trim().is_empty() {
        let message = format!("growth: {}", summary(&staged));
        repo.commit(&message)?;
        steps.push(format!("committed \"{message}\""));
    }
    let incoming = repo.pull(&remote, &branch)?;
    if incoming > 0 {
        steps.push(format!(
            "merged {incoming} commit{} from {remote}/{branch}",
            crate::error::plural(incoming)
        ));
    }
    if let Err(problems) = Workspace::check(&ws.root) {
        return Err(Error::invalid(problems)
            .hint("the merged workspace does not pass growth check; nothing was pushed"));
    }
    if repo.ahead(&remote, &branch)? == 0 {
        steps.push(format!("nothing to push: in step with {remote}/{branch}"));
    } else {
        repo.push(&remote, &branch)?;
        steps.push(format!("pushed to {remote}/{branch}"));
    }
    super::confirm(ctx, out, &steps.join("; "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_commit_message_counts_what_was_recorded() {
        let diff = "+kind = \"handoff.create\"\n+kind = \"handoff.create\"\n+kind = \"meeting.open\"\n+kind = \"lead.add\"\n+kind = \"handoff.create\"\n";
        assert_eq!(super::summary(diff), "3 handoffs, 1 lead, 1 meeting");
        assert_eq!(super::summary(""), "settings");
    }
}
