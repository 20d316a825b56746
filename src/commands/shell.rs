//! `growth completions SHELL` and `growth man`: growth in the shell and in `man`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, CommandFactory};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::render;

#[derive(Debug, Args)]
#[command(
    after_help = "Prints the shell's registration script for growth's dynamic completion: at each TAB the\nshell asks growth (COMPLETE=SHELL growth -- WORDS...) and member, lead, handoff, goal,\nmeeting and action ids complete from the workspace the line would use (-C DIR on the\nline, GROWTH_WORKSPACE, or the one you are in), not file names. Outside a workspace, ids\ncomplete to nothing. `growth` must be on your PATH.\n\nInstall (re-run after upgrading growth):\n  bash:       echo 'source <(growth completions bash)' >> ~/.bashrc\n              (or: growth completions bash > ~/.local/share/bash-completion/completions/growth)\n  zsh:        echo 'source <(growth completions zsh)' >> ~/.zshrc\n  fish:       growth completions fish > ~/.config/fish/completions/growth.fish\n  powershell: growth completions powershell >> $PROFILE\n  elvish:     growth completions elvish >> ~/.config/elvish/rc.elv\n\nThe same scripts: COMPLETE=bash growth (zsh, fish, powershell, elvish)."
)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Install:\n  growth man --output ~/.local/share/man/man1 && man growth-handoff\n  growth man > growth.1      # the main page only\n\nEvery page ends with ENVIRONMENT, FILES and EXIT STATUS."
)]
pub struct ManArgs {
    /// Write growth.1 and a page per subcommand (growth-lead-add.1, ...) into DIR,
    /// creating it; without it, print the main page
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// The registration script `COMPLETE=SHELL growth` prints, calling `growth` on the PATH.
pub fn completions(_ctx: &Ctx, out: &mut dyn Write, args: CompletionsArgs) -> Result<()> {
    use clap_complete::Shell;
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::PowerShell => &Powershell,
        Shell::Elvish => &Elvish,
        other => {
            return Err(Error::usage(format!("no completion for {other}"))
                .hint("use bash, zsh, fish, powershell or elvish"));
        }
    };
    let mut bytes = Vec::new();
    shell
        .write_registration("COMPLETE", "growth", "growth", "growth", &mut bytes)
        .map_err(|e| Error::io("cannot write the completion script", e))?;
    render::emit(out, &String::from_utf8_lossy(&bytes))
}

pub fn man(ctx: &Ctx, out: &mut dyn Write, args: ManArgs) -> Result<()> {
    let cmd = crate::cli::Cli::command();
    let Some(dir) = args.output else {
        let page = render::man::main_page(cmd)?;
        return render::emit(out, &String::from_utf8_lossy(&page.roff));
    };
    let dir = ctx.cwd.join(dir);
    let pages = render::man::pages(cmd)?;
    for page in &pages {
        crate::store::atomic::write_atomic(&dir.join(&page.file), &page.roff, false)?;
    }
    super::confirm(
        ctx,
        out,
        &format!("wrote {} man pages to {}", pages.len(), dir.display()),
    )
}

/// The kinds of ids a shell completes from the workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    Member,
    Lead,
    /// Leads `growth handoff` takes without `--force` (open, not handed off already).
    HandoffLead,
    /// Handoffs still waiting for a decision or a first contact.
    Handoff,
    Goal,
    Meeting,
    /// Open action items.
    Action,
}

/// The id arguments by command path. Options complete too: every option whose value is
/// a MEMBER (`--as`, `--owner`, `--to`, `--credit`, `whoami --set`...), and `--lead`
/// and `--goal` wherever they are.
const ID_ARGS: &[(&[&str], Ids)] = &[
    (&["lead", "show"], Ids::Lead),
    (&["lead", "qualify"], Ids::Lead),
    (&["lead", "stage"], Ids::Lead),
    (&["lead", "edit"], Ids::Lead),
    (&["lead", "archive"], Ids::Lead),
    (&["lead", "unarchive"], Ids::Lead),
    (&["handoff"], Ids::HandoffLead),
    (&["handoff", "accept"], Ids::Handoff),
    (&["handoff", "reject"], Ids::Handoff),
    (&["handoff", "contact"], Ids::Handoff),
    (&["goal", "checkin"], Ids::Goal),
    (&["goal", "archive"], Ids::Goal),
    (&["goal", "unarchive"], Ids::Goal),
    (&["meeting", "show"], Ids::Meeting),
    (&["member", "remove"], Ids::Member),
    (&["member", "key"], Ids::Member),
    (&["action", "done"], Ids::Action),
    (&["action", "cancel"], Ids::Action),
];

/// `cmd` with its id arguments completing from the current workspace (clap_complete's
/// dynamic completion: `COMPLETE=bash growth`).
pub fn with_id_candidates(mut cmd: clap::Command) -> clap::Command {
    for (path, kind) in ID_ARGS {
        cmd = on_path(cmd, path, *kind);
    }
    members_everywhere(cmd)
}

/// Adds candidates of `kind` to the first positional argument of the subcommand at
/// `path`; a path that does not exist (a command renamed) is left alone.
fn on_path(cmd: clap::Command, path: &[&str], kind: Ids) -> clap::Command {
    match path.split_first() {
        Some((name, rest)) => {
            if cmd.find_subcommand(name).is_none() {
                return cmd;
            }
            cmd.mut_subcommand(*name, |sub| on_path(sub, rest, kind))
        }
        None => {
            let positionals: Vec<String> = cmd
                .get_positionals()
                .map(|a| a.get_id().as_str().to_string())
                .collect();
            // `mut_arg` moves an argument to the end, and positionals are numbered in
            // order when the command is built: pin each to its place first, or
            // `lead stage <TAB>` would offer leads for the stage.
            let mut cmd = cmd;
            for (i, id) in positionals.iter().enumerate() {
                cmd = cmd.mut_arg(id, |a| a.index(i + 1));
            }
            match positionals.first() {
                Some(id) => cmd.mut_arg(id, |a| a.add(candidates(kind))),
                None => cmd,
            }
        }
    }
}

fn members_everywhere(mut cmd: clap::Command) -> clap::Command {
    let options: Vec<(String, Ids)> = cmd
        .get_arguments()
        .filter_map(|a| {
            let member = a
                .get_value_names()
                .is_some_and(|n| n.iter().any(|v| v == "MEMBER" || v == "MEMBER,..."));
            let kind = match a.get_long() {
                _ if member => Ids::Member,
                Some("lead") => Ids::Lead,
                Some("goal") => Ids::Goal,
                _ => return None,
            };
            Some((a.get_id().as_str().to_string(), kind))
        })
        .collect();
    for (id, kind) in options {
        cmd = cmd.mut_arg(id, |a| a.add(candidates(kind)));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name, members_everywhere);
    }
    cmd
}

fn candidates(kind: Ids) -> clap_complete::ArgValueCandidates {
    clap_complete::ArgValueCandidates::new(move || {
        ids(kind)
            .into_iter()
            .map(|(id, help)| {
                clap_complete::CompletionCandidate::new(id)
                    .help((!help.is_empty()).then(|| help.into()))
            })
            .collect::<Vec<_>>()
    })
}

/// The ids of `kind` in the workspace the command line being completed would use, each
/// with a short help; none when there is no workspace or it cannot be read. Never
/// prints: a completion must not fail loudly.
pub fn ids(kind: Ids) -> Vec<(String, String)> {
    let Some(ctx) = crate::context::Ctx::for_completion() else {
        return Vec::new();
    };
    read_ids(&ctx, kind).unwrap_or_default()
}

fn read_ids(ctx: &Ctx, kind: Ids) -> Result<Vec<(String, String)>> {
    use crate::store::Needs;
    let (root, _) = ctx.workspace_root()?;
    if !root.join(crate::store::config::CONFIG_FILE).is_file() {
        return Ok(Vec::new());
    }
    let ws = crate::store::Workspace::open(&root)?;
    let config = ws.config();
    Ok(match kind {
        Ids::Member => config
            .members
            .iter()
            .filter(|(_, m)| m.active)
            .map(|(id, m)| (id.clone(), format!("{} ({})", m.name, m.department)))
            .collect(),
        Ids::Lead => ws
            .state_parts(Needs::LEADS)?
            .leads
            .values()
            .map(|l| (l.id.to_string(), l.company.to_string()))
            .collect(),
        Ids::HandoffLead => {
            let state = ws.state_parts(Needs::LEADS.and(Needs::HANDOFFS))?;
            state
                .leads
                .values()
                .filter(|l| {
                    crate::commands::handoff::create::needs_force(&state, config, &l.id).is_none()
                })
                .map(|l| (l.id.to_string(), format!("{}, {}", l.company, l.stage)))
                .collect()
        }
        Ids::Handoff => ws
            .state_parts(Needs::HANDOFFS)?
            .handoffs
            .values()
            .filter(|h| h.closed.is_none())
            .filter(|h| {
                h.pending()
                    || h.disputed
                    || (h.status == crate::model::handoff::HandoffStatus::Accepted
                        && h.contacted_at.is_none())
            })
            .map(|h| {
                (
                    h.id.to_string(),
                    format!("{} to {}, {}", h.lead, h.to, h.status.as_str()),
                )
            })
            .collect(),
        Ids::Goal => ws
            .state_parts(Needs::GOALS)?
            .goals
            .values()
            .map(|g| (g.id.clone(), g.title.clone()))
            .collect(),
        Ids::Meeting => ws
            .state_parts(Needs::MEETINGS)?
            .meetings
            .iter()
            .map(|(id, m)| {
                let by = m.facilitator.as_deref().unwrap_or("");
                (id.clone(), by.to_string())
            })
            .collect(),
        Ids::Action => ws
            .state_parts(Needs::ACTIONS)?
            .actions
            .values()
            .filter(|a| a.done_at.is_none() && !a.cancelled)
            .map(|a| {
                let text: String = a.text.chars().take(40).collect();
                (a.id.clone(), format!("{} ({})", text, a.owner))
            })
            .collect(),
    })
}
