//! `growth completions SHELL` and `growth man`: growth in the shell and in `man`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, CommandFactory};

use crate::context::Ctx;
use crate::error::Result;
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
#[command(
    after_help = "Install:\n  growth man --output ~/.local/share/man/man1 && man growth-handoff\n  growth man > growth.1      # the main page only\n\nEvery page ends with ENVIRONMENT, FILES and EXIT STATUS."
)]
pub struct ManArgs {
    /// Write growth.1 and a page per subcommand (growth-lead-add.1, ...) into DIR,
    /// creating it; without it, print the main page
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

pub fn completions(_ctx: &Ctx, out: &mut dyn Write, args: CompletionsArgs) -> Result<()> {
    let mut cmd = crate::cli::Cli::command();
    let mut bytes = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "growth", &mut bytes);
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
