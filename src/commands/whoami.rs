//! `growth whoami [--set MEMBER]`: who growth records you as, and how it knows.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::render;

#[derive(Debug, Args)]
#[command(
    after_help = "Growth decides who you are from, first match wins: --as MEMBER, GROWTH_USER,\nthe member saved by `whoami --set`, the member whose email is `git config user.email`.\n\nExamples:\n  growth whoami\n  growth whoami --set maria"
)]
pub struct WhoamiArgs {
    /// Remember MEMBER as you, for this user account
    #[arg(long, value_name = "MEMBER")]
    pub set: Option<String>,
}

#[derive(Debug, Serialize)]
struct WhoView<'a> {
    id: &'a str,
    name: &'a str,
    department: &'a str,
    source: &'a str,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: WhoamiArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Text, OutputFormat::Json],
    )?;
    let ws = ctx.open()?;
    if let Some(wanted) = args.set {
        let id = super::resolve_member(ws.config(), &wanted)?.to_string();
        let path = save_user(ctx, &id)?;
        return super::confirm(
            ctx,
            out,
            &format!("you are {id} from now on (saved in {})", path.display()),
        );
    }
    let me = ctx.identity(ws.config(), &ws.root)?;
    let member = ws.config().members.get(&me.member);
    let view = WhoView {
        id: &me.member,
        name: member.map_or("", |m| m.name.as_str()),
        department: member.map_or("", |m| m.department.as_str()),
        source: me.source,
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

/// Saves `id` as "me" in the per-user config file.
pub fn save_user(ctx: &Ctx, id: &str) -> Result<std::path::PathBuf> {
    let path = ctx.user_config_path().ok_or_else(|| {
        Error::user("no per-user config folder on this system")
            .hint("use GROWTH_USER or --as instead")
    })?;
    crate::store::user::save_member(&path, id)?;
    Ok(path)
}
