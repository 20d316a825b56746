//! The context every command runs in, resolved once from the flags and the environment:
//! which workspace, who "I" am, what time it is, whether a person can be asked, and how
//! output looks. Nothing else reads `std::env` or the clock.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{ColorChoice, GlobalArgs, OutputFormat};
use crate::error::{Error, Result};
use crate::model::config::Config;
use crate::model::time::Instant;
use crate::store::Workspace;
use crate::store::discover::{self, Origin};

/// How far ahead of now an entry may be stamped, and still counts: clocks of a team's
/// machines disagree by seconds, not by more.
pub const MAX_AHEAD_MS: i64 = 10 * 60 * 1000;

#[derive(Debug)]
pub struct Ctx {
    pub workspace_flag: Option<PathBuf>,
    pub env_workspace: Option<PathBuf>,
    pub env_user: Option<String>,
    pub as_member: Option<String>,
    pub today: Option<String>,
    /// `--at`: when a recorded change happened, if not now.
    pub at: Option<String>,
    pub cwd: PathBuf,
    pub can_prompt: bool,
    pub color: bool,
    /// Terminal width for tables; `None` when output is not a terminal (no wrapping).
    pub width: Option<u16>,
    pub stdout_is_terminal: bool,
    pub quiet: bool,
    pub format: Option<OutputFormat>,
    pub dirs: Option<directories::ProjectDirs>,
}

/// Who "I" am and how that was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub member: String,
    /// How it was decided, for people: "--as", "whoami --set in this workspace", ...
    pub source: &'static str,
    /// The same, one word for scripts: `flag`, `env`, `workspace`, `global` or `git`.
    pub origin: &'static str,
}

impl Ctx {
    pub fn from_env(global: &GlobalArgs) -> Result<Self> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stdout_is_terminal
                    && env("NO_COLOR").is_none()
                    && env("TERM").as_deref() != Some("dumb")
            }
        };
        let width = env("COLUMNS")
            .and_then(|c| c.parse::<u16>().ok())
            .filter(|w| *w >= 20)
            .or_else(|| {
                stdout_is_terminal
                    .then(terminal_size::terminal_size)
                    .flatten()
                    .map(|(w, _)| w.0)
            });
        let cwd = std::env::current_dir()
            .map_err(|e| Error::io("cannot read the current directory", e))?;
        Ok(Ctx {
            workspace_flag: global.workspace.clone(),
            env_workspace: env("GROWTH_WORKSPACE").map(PathBuf::from),
            env_user: env("GROWTH_USER"),
            as_member: global.as_member.clone(),
            today: global.today.clone(),
            at: global.at.clone(),
            cwd,
            can_prompt: !global.no_input
                && std::io::stdin().is_terminal()
                && std::io::stderr().is_terminal(),
            color,
            width,
            stdout_is_terminal,
            quiet: global.quiet,
            format: global.format,
            dirs: directories::ProjectDirs::from("", "", "growth"),
        })
    }

    /// Charts and sparklines in Unicode blocks: only on a terminal that shows colour.
    pub fn unicode_charts(&self) -> bool {
        self.stdout_is_terminal && self.color
    }

    /// The context of a command line being completed (`COMPLETE=bash growth -- growth -C
    /// DIR lead show ...`): its workspace is the one `-C DIR` on that line names, else the
    /// one any command would find. `None` when the environment cannot be read.
    pub fn for_completion() -> Option<Ctx> {
        let words: Vec<String> = std::env::args_os()
            .skip_while(|a| a != "--")
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let mut workspace = None;
        for (i, w) in words.iter().enumerate() {
            let value = match w.as_str() {
                "-C" | "--workspace" => words.get(i + 1).cloned(),
                _ => w
                    .strip_prefix("--workspace=")
                    .or_else(|| w.strip_prefix("-C").filter(|v| !v.is_empty()))
                    .map(str::to_string),
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                workspace = Some(PathBuf::from(v));
            }
        }
        let global = GlobalArgs {
            workspace,
            as_member: None,
            today: None,
            at: None,
            no_input: true,
            color: ColorChoice::Never,
            quiet: true,
            format: None,
        };
        Ctx::from_env(&global).ok()
    }

    /// The same context for output that is not a terminal: no colour, no width.
    pub fn plain(&self) -> Ctx {
        Ctx {
            color: false,
            width: None,
            stdout_is_terminal: false,
            ..self.narrower(0)
        }
    }

    /// The same context for a block indented by `by` columns.
    pub fn narrower(&self, by: u16) -> Ctx {
        Ctx {
            workspace_flag: self.workspace_flag.clone(),
            env_workspace: self.env_workspace.clone(),
            env_user: self.env_user.clone(),
            as_member: self.as_member.clone(),
            today: self.today.clone(),
            at: self.at.clone(),
            cwd: self.cwd.clone(),
            can_prompt: self.can_prompt,
            color: self.color,
            width: self.width.map(|w| w.saturating_sub(by).max(20)),
            stdout_is_terminal: self.stdout_is_terminal,
            quiet: self.quiet,
            format: self.format,
            dirs: self.dirs.clone(),
        }
    }

    /// The per-user default workspace folder (`growth init` with no path creates it).
    pub fn default_workspace(&self) -> Option<PathBuf> {
        self.dirs.as_ref().map(|d| d.data_dir().join("workspace"))
    }

    /// The per-user config file `whoami --set` writes.
    pub fn user_config_path(&self) -> Option<PathBuf> {
        self.dirs
            .as_ref()
            .map(|d| d.config_dir().join("config.toml"))
    }

    /// The workspace root this command uses, and where that choice came from.
    pub fn workspace_root(&self) -> Result<(PathBuf, Origin)> {
        discover::find(
            self.workspace_flag.as_deref(),
            self.env_workspace.as_deref(),
            &self.cwd,
            self.default_workspace().as_deref(),
        )
        .ok_or_else(|| {
            Error::user("no growth workspace here").hint(
                "run `growth init` to create one, or point at one with -C DIR or GROWTH_WORKSPACE",
            )
        })
    }

    /// Opens the workspace this command uses, its reads as of now: entries later than
    /// now (plus the clock skew growth allows) wait until their time comes.
    pub fn open(&self) -> Result<Workspace> {
        let (root, origin) = self.workspace_root()?;
        let ws = Workspace::open(&root);
        let ws = match ws {
            Ok(mut ws) => {
                let now = self.now(ws.tz())?;
                ws.set_horizon(Some(now.plus_millis(MAX_AHEAD_MS)));
                if self.today.is_some() {
                    ws.given_horizon();
                }
                Ok(ws)
            }
            Err(e) => Err(e),
        };
        ws.map_err(|e| match origin {
            Origin::UserDefault if !root.join(crate::store::config::CONFIG_FILE).exists() => {
                Error::user("no growth workspace here")
                    .hint("run `growth init` to create one, or `cd` into one, or use -C DIR or GROWTH_WORKSPACE")
            }
            _ => e,
        })
    }

    /// "Now": `--today` when given (a date means noon in the workspace timezone), else the clock.
    pub fn now(&self, tz: chrono_tz::Tz) -> Result<Instant> {
        match &self.today {
            Some(text) => crate::model::time::parse_moment(text, tz)
                .map_err(|m| Error::usage(format!("invalid value for --today: {m}"))),
            // Whole seconds keep the journal readable; ties are ordered by the writer.
            None => Ok(Instant(chrono::Utc::now().timestamp() * 1000)),
        }
    }

    /// When a change being recorded happened: `--at`, else now. More than 10 minutes
    /// ahead of now is refused: a typo there would put the entry in everyone's future.
    pub fn entry_time(&self, tz: chrono_tz::Tz) -> Result<Instant> {
        let now = self.now(tz)?;
        let Some(text) = &self.at else {
            return Ok(now);
        };
        let at = crate::model::time::parse_moment(text, tz)
            .map_err(|m| Error::usage(format!("invalid value for --at: {m}")))?;
        if at.0 - now.0 > MAX_AHEAD_MS {
            return Err(Error::user(format!(
                "--at {text} is {} ahead of now ({})",
                crate::model::sla::human(at.0 - now.0),
                now.to_toml(tz)
            ))
            .hint("--at says when something happened; it can be in the past, or at most 10 minutes ahead")
            .hint("check the date, or your clock (`date`), or --today"));
        }
        Ok(at)
    }

    /// Today's date in the workspace timezone.
    pub fn today(&self, tz: chrono_tz::Tz) -> Result<chrono::NaiveDate> {
        Ok(self.now(tz)?.date_in(tz))
    }

    /// Who is recording: `--as`, `GROWTH_USER`, `whoami --set` for this workspace, the
    /// global `whoami --set ID --global`, or the member whose email is `git config
    /// user.email`. An error says how to set it when none applies.
    pub fn identity(&self, config: &Config, root: &Path) -> Result<Identity> {
        let candidates = [
            (self.as_member.clone(), "--as", "flag"),
            (self.env_user.clone(), "GROWTH_USER", "env"),
            (
                crate::store::user::workspace_member(root),
                "whoami --set in this workspace",
                "workspace",
            ),
            (self.saved_user(), "whoami --set ID --global", "global"),
        ];
        let mut foreign_default = None;
        for (value, source, origin) in candidates {
            let Some(wanted) = value else { continue };
            // The global default names you across workspaces: one that is not a member of
            // this team is somebody else's workspace, not a typo.
            if origin == "global" && !config.members.contains_key(wanted.trim()) {
                foreign_default = Some(wanted);
                continue;
            }
            let member = crate::commands::resolve_member(config, wanted.trim())
                .map_err(|e| e.hint(format!("(the name came from {source})")))?
                .to_string();
            if !config.members.get(&member).is_some_and(|m| m.active) {
                return Err(Error::user(format!("{member} is a former member and cannot record"))
                    .hint(format!("(the name came from {source}); `growth member add {member} ...` brings them back")));
            }
            return Ok(Identity {
                member,
                source,
                origin,
            });
        }
        if let Some(email) = git_email(root) {
            let found = config.members.iter().find(|(_, m)| {
                m.active
                    && m.email
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(&email))
            });
            if let Some((id, _)) = found {
                return Ok(Identity {
                    member: id.clone(),
                    source: "git config user.email",
                    origin: "git",
                });
            }
        }
        let err = Error::user("growth does not know who you are")
            .hint("pass --as MEMBER, set GROWTH_USER, or run `growth whoami --set MEMBER` once in this workspace")
            .hint("or give your member the email in `git config user.email`");
        Err(match foreign_default {
            Some(id) => err.hint(format!(
                "your global default `{id}` (whoami --set ID --global) is not a member of this workspace"
            )),
            None => err,
        })
    }

    /// The global default member saved by `whoami --set ID --global`, if any.
    pub fn saved_user(&self) -> Option<String> {
        crate::store::user::saved_member(&self.user_config_path()?)
    }

    /// The machine's timezone as an IANA name (`TZ`, else /etc/localtime), else UTC.
    pub fn system_timezone(&self) -> String {
        std::env::var("TZ")
            .ok()
            .or_else(|| {
                let link = std::fs::read_link("/etc/localtime").ok()?;
                link.to_string_lossy()
                    .split("zoneinfo/")
                    .nth(1)
                    .map(str::to_string)
            })
            .filter(|tz| tz.parse::<chrono_tz::Tz>().is_ok())
            .unwrap_or_else(|| "UTC".into())
    }

    pub fn format_or(
        &self,
        default: OutputFormat,
        allowed: &[OutputFormat],
    ) -> Result<OutputFormat> {
        let format = self.format.unwrap_or(default);
        if allowed.contains(&format) {
            return Ok(format);
        }
        let names: Vec<String> = allowed.iter().map(|f| f.to_string()).collect();
        Err(
            Error::usage(format!("this command cannot print --format {format}"))
                .hint(format!("use one of: {}", names.join(", "))),
        )
    }
}

fn git_email(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["config", "user.email"])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let email = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !email.is_empty()).then_some(email)
}
