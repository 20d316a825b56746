//! `growth member add|list|remove`: the team, recorded in `journal/members/` so that
//! members added on two clones merge like any other record.

use std::io::Write;
use std::path::Path;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::OutputFormat;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::model::config::Member;
use crate::render::{self, Listing};
use crate::store::Workspace;

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Add a member to the team
    #[command(
        after_help = "Examples:\n  growth member add maria --name \"Maria Lopez\" --dept marketing --leader\n  growth member add tom --name \"Tom Berg\" --dept sales --email tom@acme.example"
    )]
    Add(AddArgs),
    /// List the team
    List(ListArgs),
    /// Remove a member (kept as a former member when the history names them)
    Remove(RemoveArgs),
    /// Register the SSH public key a member signs git commits with
    #[command(
        after_help = "For teams that set `require_signed_commits = true` under [sync] in growth.toml: sync then\ntakes only incoming commits signed by a registered key (git's SSH signing).\n\nExamples:\n  growth member key maria \"$(cat ~/.ssh/id_ed25519.pub)\"\n  git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub && git config commit.gpgsign true"
    )]
    Key(KeyArgs),
}

#[derive(Debug, Args)]
pub struct KeyArgs {
    /// The member (yourself, unless you are a leader)
    pub id: String,
    /// The public key, as in ~/.ssh/id_ed25519.pub ("ssh-ed25519 AAAA... comment")
    pub key: String,
}

/// A public key as git's allowed-signers file takes it: type and base64, comment dropped.
fn check_key(key: &str) -> Result<String> {
    let mut parts = key.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some(kind), Some(data))
            if kind.starts_with("ssh-")
                || kind.starts_with("ecdsa-")
                || kind.starts_with("sk-") =>
        {
            if !data
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
            {
                return Err(Error::usage("the key's data is not base64")
                    .hint("paste the whole line of the .pub file"));
            }
            Ok(format!("{kind} {data}"))
        }
        _ => Err(Error::usage("that is not an SSH public key")
            .hint("paste the line of ~/.ssh/id_ed25519.pub: \"ssh-ed25519 AAAA... you@host\"")),
    }
}

fn key(ctx: &Ctx, out: &mut dyn Write, args: KeyArgs) -> Result<()> {
    let mut ws = ctx.open()?;
    let config = ws.config().clone();
    let me = ctx.identity(&config, &ws.root)?.member;
    let id = super::resolve_member(&config, &args.id)?.to_string();
    if me != id && !config.members.get(&me).is_some_and(|m| m.leader) {
        return Err(Error::user(format!(
            "only {id} or a leader may register {id}'s key"
        )));
    }
    let key = check_key(&args.key)?;
    let at = ctx.entry_time(ws.tz())?;
    let fields = crate::model::entry::MemberFields {
        id: id.clone(),
        signing_key: Some(key),
        ..Default::default()
    };
    ws.record_member(
        &me,
        at,
        crate::model::entry::Change::MemberEdit(Box::new(fields)),
    )?;
    super::done(ctx, out, &id, &format!("registered {id}'s signing key"))
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Short id, lowercase letters, digits and dashes (e.g. maria)
    pub id: String,
    /// Full name
    #[arg(long)]
    pub name: String,
    /// Department: marketing, sales, account-management, customer-success, hr, ...
    #[arg(long)]
    pub dept: String,
    /// Email; also how growth recognises you from `git config user.email`
    #[arg(long)]
    pub email: Option<String>,
    /// A growth leader (may decide any handoff, runs the meeting when there is no rotation)
    #[arg(long)]
    pub leader: bool,
    /// The SSH public key they sign git commits with ("ssh-ed25519 AAAA..."), for teams
    /// that require signed commits (`[sync] require_signed_commits`)
    #[arg(long, value_name = "KEY")]
    pub signing_key: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  growth member list\n  growth member list --all --format csv")]
pub struct ListArgs {
    /// Include former members
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  growth member remove lee")]
pub struct RemoveArgs {
    /// The member's id (or a unique prefix)
    pub id: String,
}

/// Ids a member cannot have: the author of anonymous feedback, growth's own entries, and
/// words commands treat specially.
pub const RESERVED: [&str; 6] = ["anonymous", "growth", "me", "all", "none", "nobody"];

/// A member as printed in JSON: the file's fields plus the id.
#[derive(Debug, Serialize)]
struct MemberView<'a> {
    id: &'a str,
    #[serde(flatten)]
    member: &'a Member,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, cmd: MemberCommand) -> Result<()> {
    match cmd {
        MemberCommand::Add(args) => {
            let (root, _) = ctx.workspace_root()?;
            add_to(ctx, out, &root, args)
        }
        MemberCommand::List(args) => list(ctx, out, args),
        MemberCommand::Remove(args) => remove(ctx, out, args),
        MemberCommand::Key(args) => key(ctx, out, args),
    }
}

/// Adds a member to the workspace at `root` (also used by the `init` wizard).
pub fn add_to(ctx: &Ctx, out: &mut dyn Write, root: &Path, args: AddArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    if !crate::model::lead::is_valid_id(&args.id) {
        let suggestion = crate::model::lead::slug(&args.id);
        return Err(
            Error::usage(format!("`{}` is not a valid member id", args.id)).hint(format!(
                "use lowercase letters, digits and dashes, e.g. `{}`",
                if suggestion.is_empty() {
                    "maria"
                } else {
                    &suggestion
                }
            )),
        );
    }
    if args.name.trim().is_empty() || args.dept.trim().is_empty() {
        return Err(Error::usage("--name and --dept must not be empty"));
    }
    if let Some(email) = &args.email
        && !crate::model::config::looks_like_email(email)
    {
        return Err(Error::usage(format!(
            "invalid value for --email: `{email}` is not an email address"
        )));
    }
    let dept = crate::model::lead::slug(&args.dept);
    let member = Member {
        name: args.name.trim().into(),
        department: dept,
        email: args.email.clone(),
        leader: args.leader,
        active: true,
        signing_key: match &args.signing_key {
            Some(k) => Some(check_key(k)?),
            None => None,
        },
    };
    if RESERVED.contains(&args.id.as_str()) {
        return Err(
            Error::usage(format!("`{}` is a word growth keeps for itself", args.id))
                .hint("pick another id, e.g. the person's first name"),
        );
    }
    let mut ws = Workspace::open(root)?;
    let at = ctx.entry_time(ws.tz())?;
    let config = ws.config().clone();
    let mut returning = false;
    if let Some(existing) = config.members.get(&args.id) {
        if existing.active {
            return Err(Error::user(format!(
                "member `{}` exists already ({})",
                args.id, existing.name
            ))
            .hint("pick another id"));
        }
        returning = true;
    }
    if let Some(email) = &member.email
        && let Some((other, _)) = config.members.iter().find(|(id, m)| {
            **id != args.id
                && m.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
    {
        return Err(
            Error::user(format!("`{other}` has the email {email} already"))
                .hint("each member needs their own email: growth recognises people by it"),
        );
    }
    // Who adds them: the one recording, or for the first member of a team, themselves.
    let author = ctx
        .identity(&config, root)
        .map(|i| i.member)
        .unwrap_or_else(|_| args.id.clone());
    let fields = crate::model::entry::MemberFields {
        id: args.id.clone(),
        name: Some(member.name.clone()),
        department: Some(member.department.clone()),
        email: member.email.clone(),
        leader: (returning || member.leader).then_some(member.leader),
        active: returning.then_some(true),
        signing_key: member.signing_key.clone(),
    };
    let change = if returning {
        crate::model::entry::Change::MemberEdit(Box::new(fields))
    } else {
        crate::model::entry::Change::MemberAdd(Box::new(fields))
    };
    ws.record_member(&author, at, change)?;
    let view = MemberView {
        id: &args.id,
        member: &member,
    };
    match format {
        OutputFormat::Json => render::emit(out, &render::json(&view)?),
        OutputFormat::Csv => render::emit(
            out,
            &render::csv(ctx, &listing([(args.id.as_str(), &member)].into_iter()))?,
        ),
        _ => super::done(
            ctx,
            out,
            &args.id,
            &format!(
                "{} {} ({}, {})",
                if returning { "welcomed back" } else { "added" },
                args.id,
                member.name,
                member.department
            ),
        ),
    }
}

fn listing<'a>(members: impl Iterator<Item = (&'a str, &'a Member)>) -> Listing {
    Listing {
        headers: vec!["id", "name", "department", "email", "leader", "active"],
        rows: members
            .map(|(id, m)| {
                vec![
                    id.to_string(),
                    m.name.clone(),
                    m.department.clone(),
                    m.email.clone().unwrap_or_default(),
                    if m.leader {
                        "yes".into()
                    } else {
                        String::new()
                    },
                    if m.active {
                        "yes".into()
                    } else {
                        "former".into()
                    },
                ]
            })
            .collect(),
        droppable: vec![5, 4, 3],
        wrap: Some(1),
    }
}

fn list(ctx: &Ctx, out: &mut dyn Write, args: ListArgs) -> Result<()> {
    let format = ctx.format_or(
        OutputFormat::Table,
        &[OutputFormat::Table, OutputFormat::Json, OutputFormat::Csv],
    )?;
    let ws = ctx.open()?;
    let members: Vec<(&str, &Member)> = ws
        .config()
        .members
        .iter()
        .filter(|(_, m)| args.all || m.active)
        .map(|(id, m)| (id.as_str(), m))
        .collect();
    match format {
        OutputFormat::Json => {
            let views: Vec<MemberView> = members
                .iter()
                .map(|(id, m)| MemberView { id, member: m })
                .collect();
            render::emit(out, &render::json(&views)?)
        }
        OutputFormat::Csv => render::emit(out, &render::csv(ctx, &listing(members.into_iter()))?),
        _ if members.is_empty() => super::confirm(
            ctx,
            out,
            "no members yet; add one with `growth member add ID --name NAME --dept DEPT`",
        ),
        _ => render::emit_table(ctx, out, &listing(members.into_iter())),
    }
}

fn remove(ctx: &Ctx, out: &mut dyn Write, args: RemoveArgs) -> Result<()> {
    let mut ws = ctx.open()?;
    let id = super::resolve_member(ws.config(), &args.id)?.to_string();
    let state = ws.state()?;
    let open_leads = state
        .leads
        .values()
        .filter(|l| {
            l.owner.as_deref() == Some(id.as_str()) && !ws.config().pipeline.is_closed(&l.stage)
        })
        .count();
    let mut pending: Vec<(&str, &str)> = state
        .handoffs
        .values()
        .filter(|h| {
            h.to.as_str() == id
                && h.status == crate::model::handoff::HandoffStatus::Pending
                && h.closed.is_none()
        })
        .map(|h| (h.id.as_str(), h.lead.as_str()))
        .collect();
    pending.sort_unstable();
    // A member is never erased: the history names them. They stay as a former member.
    let at = ctx.entry_time(ws.tz())?;
    let config = ws.config().clone();
    let author = ctx
        .identity(&config, &ws.root)
        .map(|i| i.member)
        .unwrap_or_else(|_| id.clone());
    let fields = crate::model::entry::MemberFields {
        id: id.clone(),
        active: Some(false),
        ..Default::default()
    };
    ws.record_member(
        &author,
        at,
        crate::model::entry::Change::MemberEdit(Box::new(fields)),
    )?;
    if open_leads > 0 && !ctx.quiet {
        crate::render::warn(&format!(
            "{id} still owns {open_leads} open lead{}; reassign them with `growth lead edit LEAD --owner MEMBER`",
            crate::error::plural(open_leads)
        ));
    }
    if !pending.is_empty() && !ctx.quiet {
        let shown: Vec<String> = pending
            .iter()
            .take(3)
            .map(|(h, lead)| format!("{h} ({lead})"))
            .collect();
        crate::render::warn(&format!(
            "{} handoff{} to {id} still wait{} for a decision: {}{}; hand each lead to someone else with `growth handoff LEAD --to MEMBER --force`",
            pending.len(),
            crate::error::plural(pending.len()),
            if pending.len() == 1 { "s" } else { "" },
            shown.join(", "),
            if pending.len() > 3 { ", ..." } else { "" }
        ));
    }
    let message = format!(
        "{id} is now a former member: they can no longer record, and the history still names them"
    );
    super::done(ctx, out, &id, &message)
}
