//! `growth completions SHELL` and `growth man`: growth in the shell and in `man`.

use std::io::Write;

use clap::{Args, CommandFactory};

use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::render;

#[derive(Debug, Args)]
#[command(
    after_help = "Install:\n  bash:       growth completions bash > ~/.local/share/bash-completion/completions/growth\n  zsh:        growth completions zsh > ~/.zfunc/_growth   (with fpath+=~/.zfunc in ~/.zshrc)\n  fish:       growth completions fish > ~/.config/fish/completions/growth.fish\n  powershell: growth completions powershell >> $PROFILE\n  elvish:     growth completions elvish >> ~/.config/elvish/rc.elv"
)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, powershell or elvish
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "Install:\n  growth man > ~/.local/share/man/man1/growth.1 && man growth")]
pub struct ManArgs {}

pub fn completions(_ctx: &Ctx, out: &mut dyn Write, args: CompletionsArgs) -> Result<()> {
    let mut cmd = crate::cli::Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "growth", &mut bytes);
    render::emit(out, &String::from_utf8_lossy(&bytes))
}

pub fn man(_ctx: &Ctx, out: &mut dyn Write, _args: ManArgs) -> Result<()> {
    let cmd = crate::cli::Cli::command();
    let mut bytes = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut bytes)
        .map_err(|e| Error::io("cannot render the man page", e))?;
    render::emit(out, &String::from_utf8_lossy(&bytes))
}
