//! `growth whoami [--set MEMBER [--global]]`: who growth records you as, and how it knows.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::render;

#[derive(Debug, Args)]
#[command(
    after_help = "Growth decides who you are from, first match wins: --as MEMBER (flag), GROWTH_USER (env),\nthe member saved by `whoami --set` for this workspace (workspace: .growth/user.toml, local\nto this clone and never committed), the global default saved by `whoami --set ID --global`\n(global: the per-user config file; skipped in a workspace it is not a member of), the\nmember whose email is `git config user.email` (git). Setting who you are in a scratch\nworkspace never changes who you are in the team's.\n\nExamples:\n  growth whoami\n  growth whoami --set maria\n  growth whoami --set maria --global\n  growth whoami --format json"
)]
pub struct WhoamiArgs {
    /// Remember MEMBER as you in this workspace (on this clone)
    #[arg(long, value_name = "MEMBER")]
    pub set: Option<String>,
    /// With --set: remember MEMBER as you in every workspace that has no identity of its own
    #[arg(long, requires = "set")]
    pub global: bool,
}

#[derive(Debug, Serialize)]
struct WhoView<'a> {
    id: &'a str,
    name: &'a str,
    department: &'a str,
    /// How growth knows, for people.
    source: &'a str,
    /// `flag`, `env`, `workspace`, `global` or `git`.
    origin: &'a str,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: WhoamiArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Text, OutputFormat::Json],
    )?;
    if let Some(wanted) = args.set {
        return set(ctx, out, &wanted, args.global);
    }
    let ws = ctx.open()?;
    let me = ctx.identity(ws.config(), &ws.root)?;
    let member = ws.config().members.get(&me.member);
    let view = WhoView {
        id: &me.member,
        name: member.map_or("", |m| m.name.as_str()),
        department: member.map_or("", |m| m.department.as_str()),
        source: me.source,
        origin: me.origin,
    };
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&view)?),
        _ => render::emit(
            out,
            &render::sanitize::terminal(
                &format!(
                    "{} ({}, {}), from {}\n",
                    view.id, view.name, view.department, view.source
                ),
                true,
            ),
        ),
    }
}

fn set(ctx: &Ctx, out: &mut dyn Write, wanted: &str, global: bool) -> Result<()> {
    let typed = typed_id(wanted, "--set")?;
    let ws = match ctx.workspace_root() {
        Ok((root, _)) if root.join(crate::store::config::CONFIG_FILE).is_file() => {
            Some(ctx.open()?)
        }
        _ if global => None,
        _ => {
            return Err(Error::user("no growth workspace here to set who you are in")
                .hint("run it inside a workspace (or with -C DIR), or set the default for every workspace with --global"));
        }
    };
    // In a workspace, the id must name one of its members (a unique prefix will do).
    let id = match &ws {
        Some(ws) => super::resolve_member(ws.config(), &typed)?.to_string(),
        None => typed,
    };
    if global {
        let path = save_user(ctx, &id)?;
        return super::confirm(
            ctx,
            out,
            &format!(
                "you are {id} in every workspace that has no identity of its own (saved in {})",
                path.display()
            ),
        );
    }
    let Some(ws) = ws else {
        return Ok(());
    };
    let path = save_workspace_user(&ws.root, &id)?;
    super::confirm(
        ctx,
        out,
        &format!(
            "you are {id} in this workspace from now on (saved in {}, never committed)",
            path.display()
        ),
    )
}

/// A member id as a person typed it: trimmed and lowercased (saying so), and refused when
/// it is a word growth keeps for itself (`anonymous`, `growth`, ...). `flag` names where
/// it was typed, for the messages.
pub fn typed_id(typed: &str, flag: &str) -> Result<String> {
    let id = typed.trim().to_lowercase();
    if id != typed.trim() {
        render::warn(&format!(
            "member ids are lowercase: `{}` is `{id}`",
            typed.trim()
        ));
    }
    if crate::commands::member::RESERVED.contains(&id.as_str()) {
        return Err(Error::usage(format!(
            "invalid value for {flag}: `{id}` is a word growth keeps for itself"
        ))
        .hint(format!(
            "member ids cannot be any of: {}; pick another, e.g. the person's first name",
            crate::commands::member::RESERVED.join(", ")
        )));
    }
    Ok(id)
}

/// Saves `id` as the global default "me" in the per-user config file.
pub fn save_user(ctx: &Ctx, id: &str) -> Result<PathBuf> {
    let path = ctx.user_config_path().ok_or_else(|| {
        Error::user("no per-user config folder on this system")
            .hint("use GROWTH_USER or --as instead")
    })?;
    crate::store::user::save_member(&path, id)?;
    Ok(path)
}

/// Saves `id` as "me" in the workspace at `root`, for this clone only.
pub fn save_workspace_user(root: &Path, id: &str) -> Result<PathBuf> {
    crate::store::user::save_workspace_member(root, id)?;
    Ok(root.join(crate::store::user::WORKSPACE_USER))
}
