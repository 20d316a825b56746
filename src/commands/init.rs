//! `growth init`: create a workspace, with a short wizard when a person is at a terminal.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::prompt;

#[derive(Debug, Args)]
#[command(
    after_help = "On a terminal, growth asks what the flags did not say: team, timezone, currency, the\nmeeting's day, time and length, and you as the first member. Scripts never get a question.\n\nExamples:\n  growth init ~/growth --team \"Acme Growth\" --timezone Europe/Berlin\n  growth init ~/growth --team Acme --weekday thu --time 09:30 --minutes 30 --me maria --name \"Maria Lopez\" --dept marketing\n  growth init            # the per-user default workspace, asking on a terminal"
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
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// The meeting's weekday, e.g. mon or thursday (default: mon)
    #[arg(long, value_name = "DAY")]
    pub weekday: Option<String>,
    /// The meeting's local time, e.g. 09:30 (default: 10:00)
    #[arg(long, value_name = "HH:MM")]
    pub time: Option<String>,
    /// The meeting's length in minutes (default: 45)
    #[arg(long, value_name = "N")]
    pub minutes: Option<String>,
    /// Add yourself as the first member (a leader) with this id, and be them in this workspace
    #[arg(long, value_name = "ID", requires_all = ["name", "dept"])]
    pub me: Option<String>,
    /// With --me: your full name
    #[arg(long, value_name = "NAME", requires = "me")]
    pub name: Option<String>,
    /// With --me: your department (marketing, sales, ...)
    #[arg(long, value_name = "DEPT", requires = "me")]
    pub dept: Option<String>,
}

/// The meeting settings the wizard asks, with the flag that answers each.
const MEETING: [(&str, &str, &str); 3] = [
    ("meeting.weekday", "Meeting day", "--weekday"),
    ("meeting.time", "Meeting time (HH:MM, local)", "--time"),
    ("meeting.minutes", "Meeting length in minutes", "--minutes"),
];

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
    let me = match &args.me {
        Some(id) => Some(member_id(id)?),
        None => None,
    };
    let ask = ctx.can_prompt
        && (args.team.is_none()
            || args.timezone.is_none()
            || args.currency.is_none()
            || args.weekday.is_none()
            || args.time.is_none()
            || args.minutes.is_none());
    // Team, then timezone; Esc at the timezone goes back to the team name (typed text
    // prompts take no Esc, so that is the one step back before the workspace exists).
    let mut team_default = folder_name.clone();
    let (team, timezone) = loop {
        let team = match &args.team {
            Some(t) => t.clone(),
            None if ask => prompt::text("Team name", Some(&team_default))?,
            None => folder_name.clone(),
        };
        if team.trim().is_empty() {
            return Err(Error::usage("the team name is empty").hint("pass --team NAME"));
        }
        let back = args.team.is_none() && ask;
        let timezone = match &args.timezone {
            Some(tz) => tz.clone(),
            None if ask => match prompt::timezone_or_back(&ctx.system_timezone(), back)? {
                Some(tz) => tz,
                None if back => {
                    team_default = team;
                    continue;
                }
                None => return Err(prompt::interrupted()),
            },
            None => "UTC".into(),
        };
        break (team, timezone);
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
    let currency_typed = match args.currency {
        Some(c) => c,
        None if ask => prompt::text_checked("Currency of lead values", Some("USD"), |c| {
            valid_currency(c).map(|_| ()).map_err(|e| e.message)
        })?,
        None => "USD".into(),
    };
    let currency = valid_currency(&currency_typed)?;
    let mut text = crate::store::config::template(&team, &timezone, &currency);
    // The meeting: each answer checked as `growth config set` checks it.
    let config_path = root.join(crate::store::config::CONFIG_FILE);
    let config = crate::store::config::parse(&config_path, text.as_bytes())
        .map_err(Error::invalid)?
        .config;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| Error::user(format!("the workspace template does not parse: {e}")))?;
    for ((key, question, flag), given) in
        MEETING
            .into_iter()
            .zip([args.weekday, args.time, args.minutes])
    {
        let setting = crate::model::settings::find(key)
            .map_err(|_| Error::user(format!("unknown setting {key}")))?;
        let typed = match given {
            Some(v) => v,
            None if ask => {
                let default = setting.current(&config).to_string();
                prompt::text_checked(question, Some(&default), |v| {
                    setting
                        .parse(v, &config)
                        .map(|_| ())
                        .map_err(|e| format!("{} ({})", e.message, e.hint))
                })?
            }
            None => continue,
        };
        let value = setting.parse(&typed, &config).map_err(|e| {
            Error::usage(format!("invalid value for {flag}: {}", e.message)).hint(e.hint)
        })?;
        let (table, name) = setting.path();
        crate::store::config::set_setting(&mut doc, table, name, &value)?;
    }
    text = doc.to_string();
    crate::store::create(&root, &text)?;
    super::confirm(
        ctx,
        out,
        &format!("created the workspace of {team} in {}", root.display()),
    )?;
    // The workspace exists now: an interrupt from here on says so, and what to run next.
    let created = |e: Error| {
        if !prompt::is_interrupt(&e) {
            return e;
        }
        Error::interrupted(format!(
            "interrupted; the workspace of {team} is created in {}, with no member yet",
            root.display()
        ))
        .hint(format!(
            "go on in {} with: growth member add ID --name NAME --dept DEPT --leader, then: growth whoami --set ID",
            root.display()
        ))
    };
    first_member(ctx, out, &root, ask, (me, args.name, args.dept)).map_err(created)
}

/// You as the first member (a leader), from the flags or asked, and who you are here.
fn first_member(
    ctx: &Ctx,
    out: &mut dyn Write,
    root: &std::path::Path,
    ask: bool,
    given: (Option<String>, Option<String>, Option<String>),
) -> Result<()> {
    let first = match given {
        (Some(id), Some(name), Some(dept)) => Some((id, name, dept)),
        _ if ask => match prompt::confirm_or_back("Add yourself as the first member?", true)? {
            None => return Err(prompt::interrupted()),
            Some(false) => None,
            Some(true) => {
                let typed =
                    prompt::text_checked("Your member id (short, e.g. maria)", None, |s| {
                        member_id_quiet(s).map(|_| ())
                    })?;
                let id = member_id(&typed)?;
                let name = prompt::text("Your name", None)?;
                let dept =
                    prompt::text("Your department (marketing, sales, ...)", Some("marketing"))?;
                Some((id, name, dept))
            }
        },
        _ => None,
    };
    match first {
        Some((id, name, dept)) => {
            let add = crate::commands::member::AddArgs {
                id: id.clone(),
                name,
                dept,
                email: None,
                leader: true,
                signing_key: None,
            };
            crate::commands::member::add_to(ctx, out, root, add)?;
            // Who you are in this workspace only: another workspace's identity is untouched.
            let path = crate::commands::whoami::save_workspace_user(root, &id)?;
            super::confirm(
                ctx,
                out,
                &format!(
                    "you are {id} in this workspace (saved in {})",
                    path.display()
                ),
            )?;
        }
        None => super::confirm(
            ctx,
            out,
            "next: growth member add ID --name NAME --dept DEPT --leader, then: growth whoami --set ID",
        )?,
    }
    Ok(())
}

/// A currency code, upper-cased, or an error naming --currency.
fn valid_currency(typed: &str) -> Result<String> {
    let currency = typed.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(
            Error::usage(format!("invalid value for --currency: `{typed}`"))
                .hint("use a three-letter code like USD or EUR"),
        );
    }
    Ok(currency)
}

/// A member id as typed: lowercased (saying so), reserved words and bad shapes refused.
fn member_id(typed: &str) -> Result<String> {
    let id = crate::commands::whoami::typed_id(typed, "--me")?;
    if !crate::model::lead::is_valid_id(&id) {
        return Err(
            Error::usage(format!("invalid value for --me: `{id}` is not a member id"))
                .hint("use lowercase letters, digits and dashes, like maria"),
        );
    }
    Ok(id)
}

/// [`member_id`]'s check for the wizard, which re-asks instead of failing.
fn member_id_quiet(typed: &str) -> std::result::Result<String, String> {
    let id = typed.trim().to_lowercase();
    if crate::commands::member::RESERVED.contains(&id.as_str()) {
        return Err(format!(
            "`{id}` is a word growth keeps for itself; pick another"
        ));
    }
    if !crate::model::lead::is_valid_id(&id) {
        return Err("use letters, digits and dashes, like maria".into());
    }
    Ok(id)
}
