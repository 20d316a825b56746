//! `growth sync`: commit what was recorded, pull (merge), check, push, with the system git.

use std::collections::BTreeMap;
use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::Workspace;
use crate::store::atomic::WorkspaceLock;
use crate::store::git::Repo;
use crate::store::{history, journal, safe};

#[derive(Debug, Args)]
#[command(
    after_help = "Steps, each a plain git command: git add the workspace, git commit with a summary of\nwhat was recorded (\"3 handoffs, 1 meeting\"), git fetch, a check that every incoming commit\nonly adds journal entries, git merge of the remote branch, growth check, git push. A merge\nconflict aborts the merge and changes nothing.\n\nThe journal is append-only: an incoming commit that edits or removes an entry (or adds a\nlink, or anything under .growth/) is refused with the commit, its author and the line, and\nnothing is merged. Read it (git show COMMIT); if the team agrees with it, run\ngrowth sync --allow-rewrite once to take it.\n\nExamples:\n  growth sync\n  growth sync --allow-rewrite\n  */15 * * * *  cd ~/growth && growth sync -q"
)]
pub struct SyncArgs {
    /// Merge incoming commits even when they edit or remove journal entries (after reading
    /// what they change with `git show`)
    #[arg(long)]
    pub allow_rewrite: bool,
}

/// "3 handoffs, 1 meeting, 2 leads" from the journal lines a commit adds: only lines added
/// to journal files (`journal/MONTH/NAME.toml`, not hidden), so nothing else staged
/// (a stray temporary file, a copied file elsewhere) is counted as entries.
pub fn summary(diff: &str) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut in_journal_file = false;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            in_journal_file = is_journal_file(path);
            continue;
        }
        if !in_journal_file {
            continue;
        }
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
                "action.add" | "action.done" | "action.edit" | "action.status" => "action",
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

/// Whether a diff's `+++ b/...` path is a journal file: `.../journal/MONTH/NAME.toml`.
fn is_journal_file(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let (Some(name), Some(_month), Some(dir)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    dir == "journal" && name.ends_with(".toml") && !name.starts_with('.')
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: SyncArgs) -> Result<()> {
    let ws = ctx.open()?;
    let repo = Repo::find(&ws.root)?;
    let (remote, branch) = repo.upstream()?;
    let mut steps = Vec::new();
    {
        // Under the workspace lock: no write is half done while git adds the files.
        let _lock = WorkspaceLock::acquire(&ws.root)?;
        safe::clean_orphans(&ws.root);
        journal::remove_legacy_temp_files(&ws.root);
        if repo.commit_anonymous(ctx.today(ws.tz())?)? {
            steps.push("committed anonymous feedback on its own, under no one's name".into());
        }
        let (staged, diff) = repo.stage()?;
        if staged {
            let message = format!("growth: {}", summary(&diff));
            repo.commit(&message)?;
            steps.push(format!("committed \"{message}\""));
        }
    }
    if let Some((theirs, incoming)) = repo.fetch(&remote, &branch)?
        && incoming > 0
    {
        let rewrites = history::rewrites(&repo, &format!("HEAD..{theirs}"))?;
        if !rewrites.is_empty() && !args.allow_rewrite {
            return Err(history::refusal(
                &ws.root,
                &rewrites,
                &format!("from {theirs}"),
                "nothing was merged; read the change (git show COMMIT) and, if the team agrees with it, take it with `growth sync --allow-rewrite`",
            ));
        }
        if ws.config().sync.require_signed_commits {
            let keys: Vec<(String, String)> = ws
                .config()
                .members
                .iter()
                .filter_map(|(id, m)| m.signing_key.clone().map(|k| (id.clone(), k)))
                .collect();
            let tmp = ws.root.join(".growth").join("tmp");
            let unsigned = history::unsigned(&repo, &format!("HEAD..{theirs}"), &keys, &tmp)?;
            if !unsigned.is_empty() {
                let list: Vec<String> = unsigned
                    .iter()
                    .map(|u| {
                        format!(
                            "{} by {} (\"{}\"): {}",
                            u.commit, u.author, u.subject, u.why
                        )
                    })
                    .collect();
                return Err(Error::user(format!(
                    "{} incoming commit{} change{} the journal without a registered member's signature: {}",
                    unsigned.len(),
                    crate::error::plural(unsigned.len()),
                    if unsigned.len() == 1 { "s" } else { "" },
                    list.join("; ")
                ))
                .hint("nothing was merged; growth.toml sets [sync] require_signed_commits = true")
                .hint("the author signs with git's SSH signing and registers the key: `growth member key MEMBER \"$(cat ~/.ssh/id_ed25519.pub)\"`"));
            }
        }
        for r in &rewrites {
            crate::render::warn(&format!(
                "taking commit {} by {}, which {} in {}",
                r.commit, r.author, r.what, r.file
            ));
        }
        {
            let _lock = WorkspaceLock::acquire(&ws.root)?;
            repo.merge(&theirs)?;
        }
        steps.push(format!(
            "merged {incoming} commit{} from {theirs}",
            crate::error::plural(incoming)
        ));
    }
    if let Err(problems) = Workspace::check(&ws.root, None) {
        return Err(Error::invalid(problems)
            .hint("the merged workspace does not pass growth check; nothing was pushed"));
    }
    if repo.ahead(&remote, &branch)? == 0 {
        steps.push(format!("nothing to push: in step with {remote}/{branch}"));
    } else {
        repo.push(&remote, &branch)?;
        steps.push(format!("pushed to {remote}/{branch}"));
    }
    super::confirm(ctx, out, &steps.join("; "))?;
    // What the merge brought may disagree with what this clone recorded: say so now,
    // not at the next meeting.
    let merged = Workspace::open(&ws.root)?;
    let open = merged
        .state_with_retired(crate::store::Needs::CONFLICTS)?
        .conflicts()
        .len();
    if open > 0 {
        crate::render::warn(&format!(
            "{open} conflict{} need{} a decision: `growth conflicts` lists them, `growth resolve RECORD FIELD --pick N` settles one",
            crate::error::plural(open),
            if open == 1 { "s" } else { "" }
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_commit_message_counts_what_was_recorded() {
        let diff = "+++ b/journal/2026-11/maria-ab12.toml\n+kind = \"handoff.create\"\n+kind = \"handoff.create\"\n+kind = \"meeting.open\"\n+++ b/team/journal/2026-11/tom-cd34-2.toml\n+kind = \"lead.add\"\n+kind = \"handoff.create\"\n";
        assert_eq!(super::summary(diff), "3 handoffs, 1 lead, 1 meeting");
        assert_eq!(super::summary(""), "settings");
    }

    #[test]
    fn the_commit_message_counts_journal_files_only() {
        let diff = "+++ b/journal/2026-11/.maria-ab12.toml.123.x.tmp\n+kind = \"lead.add\"\n+++ b/journal/notes.toml\n+kind = \"lead.add\"\n+++ b/journal/2026-11/maria-ab12.toml\n+kind = \"meeting.note\"\n";
        assert_eq!(super::summary(diff), "1 meeting note");
    }
}
