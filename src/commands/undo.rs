//! `growth undo [ENTRY]`: take back an entry by appending the entries that revert it
//! (default: your own last one). Undoing an undo redoes.

use std::io::Write;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::causal::format_id;

#[derive(Debug, Args)]
#[command(
    after_help = "Nothing is erased: undo appends entries that set back what the entry changed, as it\nwas just before it (a record the entry created is archived, withdrawn or cancelled).\nThey merge like any other entry. `growth log` lists entry ids.\n\nExamples:\n  growth undo                 take back your last entry\n  growth undo 7kq2m9          take back that entry (any unique prefix)\n  growth undo 7kq2m9 --dry-run"
)]
pub struct UndoArgs {
    /// The entry to take back (an id from `growth log`, or a unique prefix); default: your last
    pub entry: Option<String>,
    /// Show what would be recorded, record nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: UndoArgs) -> Result<()> {
    let mut ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?.member;
    // Neither the target nor the state before it needs the whole journal in memory.
    let target = match &args.entry {
        Some(wanted) => {
            let wanted = wanted.trim().to_lowercase();
            let mut matching = crate::store::load::entries_by_prefix(&ws.root, &wanted)?;
            match matching.len() {
                1 => matching.swap_remove(0),
                0 => {
                    return Err(Error::user(format!("no entry `{wanted}`"))
                        .hint("`growth log` lists entry ids; any unique prefix works"));
                }
                many => {
                    return Err(Error::user(format!("`{wanted}` matches {many} entries"))
                        .hint("type more of the id"));
                }
            }
        }
        None => {
            crate::store::load::last_entry(&ws.root, |e| e.entry.by == me)?.ok_or_else(|| {
                Error::user(format!("{me} has recorded nothing to take back"))
                    .hint("name the entry: `growth undo ENTRY` (see `growth log`)")
            })?
        }
    };
    let before = crate::store::load::state_before(&ws.loaded, &ws.root, &target)?
        .ok_or_else(|| Error::user("the entry is not in the journal"))?;
    let changes = crate::model::undo::inverse(&before, &target, ws.config())
        .map_err(|m| Error::user(format!("cannot undo {}: {m}", format_id(target.id))))?;
    let what = format!(
        "{} ({}: {})",
        format_id(target.id),
        target.change.kind(),
        super::log::summary(&target.change)
    );
    if args.dry_run {
        let kinds: Vec<&str> = changes.iter().map(|c| c.kind()).collect();
        return super::confirm(
            ctx,
            out,
            &format!("would take back {what} with {}", kinds.join(", ")),
        );
    }
    ws.undoes = Some(target.id);
    let (members, rest): (Vec<_>, Vec<_>) = changes.into_iter().partition(|c| {
        matches!(
            c,
            crate::model::entry::Change::MemberAdd(_) | crate::model::entry::Change::MemberEdit(_)
        )
    });
    let at = ctx.entry_time(ws.tz())?;
    for change in members {
        ws.record_member(&me, at, change)?;
    }
    if !rest.is_empty() {
        super::record(ctx, &mut ws, &me, |_, _, _| Ok(rest.clone()))?;
    }
    super::done(
        ctx,
        out,
        &format_id(target.id),
        &format!("took back {what}"),
    )
}
