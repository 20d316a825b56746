//! `growth init`: create a workspace, with a short wizard when a person is at a terminal.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::prompt;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  growth init ~/growth --team \"Acme Growth\" --timezone Europe/Berlin\n  growth init            # the per-user default workspace, asking on a terminal"
)]
pub struct InitArgs {
    /// Folder to create the workspace in (default: -C DIR, else the per-user default folder)
    pub path: Option<PathBuf>,
    /// The team's name (default: the folder's name)
    #[arg(long, value_name = "NAME")]
    pub team: Option<String>,
    /// IANA timezone of the meeting and the SLA clocks, e.g. Europe/Berlin (default: UTC)
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// Currency of lead values that do not name one, e.g. EUR (default: USD)
    #[arg(long, value_name = "CODE", default_value = "USD")]
    pub currency: String,
}

pub fn run(ctx: &Ctx, out: &mut dyn Write, args: InitArgs) -> Result<()> {
    let root = match args.path.or_else(|| ctx.workspace_flag.clone()) {
        Some(p) if p.is_absolute() => p,
        Some(p) => ctx.cwd.join(p),
        None => ctx.default_workspace().ok_or_else(|| {
            Error::user("no home folder to put the default workspace in")
                .hint("give a PATH: `growth init DIR`")
        })?,
    };
    // A workspace inside another one would capture every command run below it.
    if let Some(outer) = root
        .ancestors()
        .skip(1)
        .find(|d| d.join(crate::store::config::CONFIG_FILE).is_file())
    {
        return Err(Error::user(format!(
            "{} is inside the workspace at {}",
            root.display(),
            outer.display()
        ))
        .hint(
            "create it somewhere outside that folder; a team shares one workspace, through git",
        ));
    }
    let folder_name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "workspace")
        .unwrap_or_else(|| "Growth team".into());
    let ask = ctx.can_prompt && (args.team.is_none() || args.timezone.is_none());
    let team = match args.team {
        Some(t) => t,
        None if ask => prompt::text("Team name", Some(&folder_name))?,
        None => folder_name,
    };
    if team.trim().is_empty() {
        return Err(Error::usage("the team name is empty").hint("pass --team NAME"));
    }
    let timezone = match args.timezone {
        Some(tz) => tz,
        None if ask => prompt::timezone(&ctx.system_timezone())?,
        None => "UTC".into(),
    };
    if timezone.parse::<chrono_tz::Tz>().is_err() {
        let known = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
        return Err(crate::error::unknown(
            "timezone",
            &timezone,
            known,
            "use an IANA name like Europe/Berlin or America/New_York",
        ));
    }
    let currency = args.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(
            Error::usage(format!("invalid value for --currency: `{}`", args.currency))
                .hint("use a three-letter code like USD or EUR"),
        );
    }
    crate::store::create(
        &root,
        &crate::store::config::template(&team, &timezone, &currency),
    )?;
    super::confirm(
        ctx,
        out,
        &format!("created the workspace of {team} in {}", root.display()),
    )?;
    if ask && prompt::confirm("Add yourself as the first member?", true)? {
        let id =
            prompt::text_checked("Your member id (short, lowercase, e.g. maria)", None, |s| {
                if crate::model::lead::is_valid_id(s) {
                    Ok(())
                } else {
                    Err("use lowercase letters, digits and dashes, like maria".into())
                }
            })?;
        let name = prompt::text("Your name", None)?;
        let dept = prompt::text("Your department (marketing, sales, ...)", Some("marketing"))?;
        let add = crate::commands::member::AddArgs {
            id: id.clone(),
            name,
            dept,
            email: None,
            leader: true,
            signing_key: None,
        };
        crate::commands::member::add_to(ctx, out, &root, add)?;
        if ctx.saved_user().is_none() {
            let path = crate::commands::whoami::save_user(ctx, &id)?;
            super::confirm(
                ctx,
                out,
                &format!("you are {id} when recording (saved in {})", path.display()),
            )?;
        }
    } else {
        super::confirm(
            ctx,
            out,
            "next: growth member add ID --name NAME --dept DEPT",
        )?;
    }
    Ok(())
}
