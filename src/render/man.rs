//! The man pages: `growth.1` and one page per subcommand (`growth-lead-add.1`, ...) from
//! the clap definitions (clap_mangen), each with the ENVIRONMENT, FILES and EXIT STATUS
//! sections that hold for every command.

use clap_mangen::roff::{Roff, bold, italic, roman};

use crate::error::{Error, Result};

/// One man page: its file name and its roff text.
#[derive(Debug)]
pub struct Page {
    pub file: String,
    pub roff: Vec<u8>,
}

/// The page of `growth` itself.
pub fn main_page(cmd: clap::Command) -> Result<Page> {
    page(built(cmd), &shared_sections())
}

/// `growth.1` first, then a page for every subcommand, depth first.
pub fn pages(cmd: clap::Command) -> Result<Vec<Page>> {
    let shared = shared_sections();
    let mut out = Vec::new();
    let mut todo = vec![built(cmd)];
    while let Some(cmd) = todo.pop() {
        let mut subcommands: Vec<clap::Command> = cmd
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .cloned()
            .collect();
        subcommands.reverse();
        todo.extend(subcommands);
        out.push(page(cmd, &shared)?);
    }
    Ok(out)
}

/// The command with every subcommand's display name (`growth-lead-add`) and usage set.
fn built(cmd: clap::Command) -> clap::Command {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    cmd
}

fn page(cmd: clap::Command, shared: &str) -> Result<Page> {
    let title = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let man = clap_mangen::Man::new(cmd).title(title);
    let mut roff = Vec::new();
    man.render(&mut roff)
        .map_err(|e| Error::io("cannot render a man page", e))?;
    Ok(Page {
        file: man.get_filename(),
        roff: with_sections(roff, shared),
    })
}

/// The page with `shared` before its VERSION section, or at its end.
fn with_sections(page: Vec<u8>, shared: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(&page);
    match text.find("\n.SH VERSION") {
        Some(at) => format!("{}\n{}{}", &text[..at], shared.trim_end(), &text[at..]),
        None => format!("{text}{shared}"),
    }
    .into_bytes()
}

/// An indented paragraph under a bold tag (`.TP`).
fn tagged(roff: &mut Roff, tag: &str, text: &str) {
    roff.control("TP", []).text([bold(tag)]).text([roman(text)]);
}

fn shared_sections() -> String {
    let mut r = Roff::new();
    r.control("SH", ["ENVIRONMENT"]);
    tagged(
        &mut r,
        "GROWTH_WORKSPACE",
        "The workspace folder, when -C/--workspace is not given. Else the nearest folder \
         holding growth.toml from the current one upward, else the per-user default.",
    );
    tagged(
        &mut r,
        "GROWTH_USER",
        "The member recording, when --as is not given. Else the member saved for this \
         workspace by `growth whoami --set`, else the default saved by `growth whoami --set \
         --global`, else the member whose email is `git config user.email`.",
    );
    tagged(
        &mut r,
        "NO_COLOR",
        "When set and not empty, no colour (as --color never). TERM=dumb does the same.",
    );
    tagged(
        &mut r,
        "COLUMNS",
        "The width tables fit, when output is not a terminal that reports its own.",
    );
    tagged(
        &mut r,
        "TZ",
        "The timezone `growth init` offers when --timezone is not given.",
    );
    tagged(
        &mut r,
        "XDG_CONFIG_HOME, XDG_DATA_HOME",
        "Where the per-user config and the default workspace live (see FILES).",
    );
    r.control("SH", ["FILES"]);
    tagged(
        &mut r,
        "growth.toml",
        "At the workspace root: the team, its members and settings (timezone, cadence, \
         stages, SLA, business hours). Plain TOML, edited in place: comments survive. \
         `growth config set` changes a setting.",
    );
    tagged(
        &mut r,
        "journal/YYYY-MM/AUTHOR-DEVICE.toml",
        "The append-only journal: every change anyone recorded, one TOML table each, in a \
         file per author, device and month, so clones merge with plain git.",
    );
    tagged(
        &mut r,
        ".growth/",
        "This clone's lock, device id, derived cache, who you are in this workspace \
         (user.toml) and the walk-through's progress (meetings/). Never committed (growth \
         init adds it to .gitignore); deleting the cache loses nothing.",
    );
    r.control("TP", [])
        .text([italic("$XDG_CONFIG_HOME"), bold("/growth/config.toml")])
        .text([roman(
            "The per-user config: who you are where a workspace does not say \
             (`growth whoami --set ID --global`). XDG_CONFIG_HOME is \
             ~/.config when unset; on macOS the file is in ~/Library/Application Support/growth.",
        )]);
    r.control("TP", [])
        .text([italic("$XDG_DATA_HOME"), bold("/growth/workspace")])
        .text([roman(
            "The default workspace, which `growth init` with no path creates \
             (XDG_DATA_HOME is ~/.local/share when unset).",
        )]);
    r.control("SH", ["EXIT STATUS"]);
    tagged(
        &mut r,
        "0",
        "Success (also when the reader of the output went away).",
    );
    tagged(
        &mut r,
        "1",
        "An error: printed as `error: ...` with a `hint:`; nothing was written.",
    );
    tagged(
        &mut r,
        "2",
        "A usage error: an unknown flag, a missing or malformed value.",
    );
    tagged(
        &mut r,
        "3",
        "`growth check --alerts` found something that needs attention: a handoff past \
         the SLA, an overdue action, a goal behind.",
    );
    r.to_roff()
}
