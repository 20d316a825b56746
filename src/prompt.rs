//! Questions to a person at a terminal (dialoguer). Only reached when `Ctx::can_prompt`.
//!
//! No prompt traps the person. Ctrl-C at any prompt ends it with an
//! [`ErrorKind::Interrupted`](crate::error::ErrorKind::Interrupted) error (exit 130) after
//! the cursor is shown again (dialoguer hides it while a list is open, and an interrupt
//! skips its own clean-up); the command catching it says what was saved. Esc is "one step
//! back" in the `*_or_back` questions (they answer `None`), and ends the others like Ctrl-C.
//! A yes/no waits for Enter, so a `y` typed with the habitual Enter answers one question,
//! not two. Whatever ends a question mid-line, what is said next starts on a fresh line.
//!
//! How Ctrl-C reaches us: `console` reads keys in raw mode, sees the ^C byte and raises
//! SIGINT on itself. The first prompt installs a handler that keeps the process alive, so
//! the read fails with `Interrupted` and the question returns the error. A Ctrl-C between
//! two questions (while a step is saved) is noted and ends the next question the same way:
//! a save is never cut in half by it.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use dialoguer::console::{Key, Term};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{FuzzySelect, Input, MultiSelect, Select};

use crate::error::{Error, ErrorKind, Result};

/// A Ctrl-C seen while no key was being read.
static PENDING: AtomicBool = AtomicBool::new(false);
static HANDLER: Once = Once::new();

/// Called before every question: installs the Ctrl-C handler once, and turns a Ctrl-C
/// pressed since the last question into the interrupt.
fn ready() -> Result<()> {
    HANDLER.call_once(|| {
        // When another handler is there already, Ctrl-C keeps the default: the process ends.
        let _ = ctrlc::set_handler(|| PENDING.store(true, Ordering::SeqCst));
    });
    if PENDING.swap(false, Ordering::SeqCst) {
        return Err(interrupted());
    }
    Ok(())
}

/// Shows the cursor again: the escape `\x1b[?25h`, on the terminal the prompts draw on.
pub fn restore_terminal() {
    let term = Term::stderr();
    if term.is_term() {
        let _ = term.show_cursor();
        let _ = term.flush();
    }
}

/// The interrupt as an error, before the command says what was saved.
pub fn interrupted() -> Error {
    restore_terminal();
    Error::interrupted("interrupted; nothing more was written")
        .hint("pass the values as flags to skip the questions")
}

/// Ctrl-C while a question was being read: the cursor sits on the question's line (or in
/// a list below it), so what is said next starts on a fresh line.
fn interrupted_in_prompt() -> Error {
    let term = Term::stderr();
    if term.is_term() {
        let _ = term.write_line("");
    }
    interrupted()
}

/// Whether `e` is a prompt left with Ctrl-C or Esc.
pub fn is_interrupt(e: &Error) -> bool {
    e.kind == ErrorKind::Interrupted
}

fn failed(e: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(io) = e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        return interrupted_in_prompt();
    }
    restore_terminal();
    Error::io("the question could not be asked", io)
        .hint("nothing more was written; pass the values as flags to skip the questions")
}

/// Esc where there is no step back: the same as Ctrl-C.
fn or_interrupt<T>(answer: Option<T>) -> Result<T> {
    answer.ok_or_else(interrupted)
}

pub fn text(question: &str, default: Option<&str>) -> Result<String> {
    ready()?;
    let theme = ColorfulTheme::default();
    let mut input = Input::<String>::with_theme(&theme).with_prompt(question);
    if let Some(d) = default {
        input = input.default(d.to_string());
    }
    input
        .interact_text()
        .map(|s| s.trim().to_string())
        .map_err(failed)
}

/// Asks until the answer passes `valid` (which says what is wrong otherwise).
pub fn text_checked(
    question: &str,
    default: Option<&str>,
    valid: impl Fn(&str) -> Result<(), String>,
) -> Result<String> {
    ready()?;
    let theme = ColorfulTheme::default();
    let mut input = Input::<String>::with_theme(&theme)
        .with_prompt(question)
        .validate_with(|s: &String| valid(s.trim()));
    if let Some(d) = default {
        input = input.default(d.to_string());
    }
    input
        .interact_text()
        .map(|s| s.trim().to_string())
        .map_err(failed)
}

pub fn confirm(question: &str, default: bool) -> Result<bool> {
    confirm_or_back(question, default).and_then(or_interrupt)
}

/// Yes or no: `y` or `n` shows the answer, Enter takes it (so the habitual `y` + Enter
/// never reaches the next question); Enter alone takes `default`. `None` on Esc, at once.
pub fn confirm_or_back(question: &str, default: bool) -> Result<Option<bool>> {
    use dialoguer::theme::Theme;
    ready()?;
    let term = Term::stderr();
    if !term.is_term() {
        return Err(Error::usage(format!("`{question}` needs a terminal"))
            .hint("pass the values as flags to skip the questions"));
    }
    let theme = ColorfulTheme::default();
    let io = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::Interrupted {
            interrupted_in_prompt()
        } else {
            restore_terminal();
            Error::io("the question could not be asked", e)
        }
    };
    let draw = |value: Option<bool>, done: bool| -> std::io::Result<()> {
        let mut line = String::new();
        if done {
            let _ = theme.format_confirm_prompt_selection(&mut line, question, value);
        } else {
            let _ = theme.format_confirm_prompt(&mut line, question, value);
        }
        term.clear_line()?;
        term.write_str(&line)?;
        term.flush()
    };
    let mut value = default;
    draw(Some(value), false).map_err(io)?;
    let answer = loop {
        match term.read_key().map_err(io)? {
            Key::Char('y' | 'Y') => value = true,
            Key::Char('n' | 'N') => value = false,
            Key::Enter => break Some(value),
            Key::Escape => break None,
            _ => continue,
        }
        draw(Some(value), false).map_err(io)?;
    };
    draw(answer, true).map_err(io)?;
    term.write_line("").map_err(io)?;
    Ok(answer)
}

/// A fuzzy pick among IANA timezones, starting on `default`; `None` on Esc. `back`: the
/// prompt says Esc goes back.
pub fn timezone_or_back(default: &str, back: bool) -> Result<Option<String>> {
    ready()?;
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()).collect();
    let start = names.iter().position(|n| *n == default).unwrap_or(0);
    let picked = FuzzySelect::with_theme(&ColorfulTheme::default())
        .with_prompt(if back {
            "Timezone (type to search, Esc back)"
        } else {
            "Timezone (type to search)"
        })
        .items(&names)
        .default(start)
        .max_length(8)
        .interact_opt()
        .map_err(failed)?;
    Ok(picked.map(|i| names[i].to_string()))
}

/// A fuzzy pick among `items`; returns the index picked.
pub fn select(question: &str, items: &[String]) -> Result<usize> {
    select_or_back(question, items).and_then(or_interrupt)
}

/// A fuzzy pick among `items`; `None` on Esc.
pub fn select_or_back(question: &str, items: &[String]) -> Result<Option<usize>> {
    ready()?;
    FuzzySelect::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .items(items)
        .default(0)
        .max_length(10)
        .interact_opt()
        .map_err(failed)
}

/// A pick among a few `items` with the arrow keys; returns the index.
pub fn choose(question: &str, items: &[String], default: usize) -> Result<usize> {
    choose_or_back(question, items, default).and_then(or_interrupt)
}

/// A pick among a few `items` with the arrow keys; `None` on Esc (or `q`).
pub fn choose_or_back(question: &str, items: &[String], default: usize) -> Result<Option<usize>> {
    ready()?;
    Select::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .items(items)
        .default(default.min(items.len().saturating_sub(1)))
        .max_length(12)
        .interact_opt()
        .map_err(failed)
}

/// Checkboxes, pre-filled with `defaults`; returns the indexes picked.
pub fn pick_many(question: &str, items: &[String], defaults: &[bool]) -> Result<Vec<usize>> {
    pick_many_or_back(question, items, defaults).and_then(or_interrupt)
}

/// Checkboxes, pre-filled with `defaults`; `None` on Esc.
pub fn pick_many_or_back(
    question: &str,
    items: &[String],
    defaults: &[bool],
) -> Result<Option<Vec<usize>>> {
    ready()?;
    MultiSelect::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .items(items)
        .defaults(defaults)
        .interact_opt()
        .map_err(failed)
}

/// What a one-key digit question got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digit {
    /// A digit within the range.
    Value(u8),
    /// Enter (or `s`): no answer.
    Skip,
    /// Esc: one step back.
    Back,
}

/// One key: a digit from `low` to `high`, Enter to skip, Esc for back. Other keys are
/// ignored. The answer is echoed, so the screen shows what was recorded.
pub fn digit(question: &str, low: u8, high: u8) -> Result<Digit> {
    ready()?;
    let term = Term::stderr();
    if !term.is_term() {
        return Err(Error::usage(format!("`{question}` needs a terminal"))
            .hint("pass the values as flags to skip the questions"));
    }
    let prompt = format!("{question} [{low}-{high}, Enter skips, Esc back]: ");
    term.write_str(&prompt)
        .map_err(|e| Error::io("the question could not be asked", e))?;
    let mut nudged = false;
    let answer = loop {
        let key = match term.read_key() {
            Ok(k) => k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                let _ = term.write_line("");
                return Err(interrupted());
            }
            Err(e) => return Err(Error::io("the question could not be asked", e)),
        };
        match key {
            Key::Char(c @ '0'..='9') => {
                let n = u8::try_from(c.to_digit(10).unwrap_or(0)).unwrap_or(0);
                if (low..=high).contains(&n) {
                    break (Digit::Value(n), n.to_string());
                }
            }
            Key::Enter | Key::Char('s') => break (Digit::Skip, "skipped".to_string()),
            Key::Escape => break (Digit::Back, "back".to_string()),
            _ => {}
        }
        // Any other key: say once what is expected, on the question's line.
        if !nudged {
            nudged = true;
            term.write_str(&format!("(type {low} to {high}) "))
                .map_err(|e| Error::io("the question could not be asked", e))?;
        }
    };
    if nudged {
        term.clear_line()
            .and_then(|()| term.write_str(&prompt))
            .map_err(|e| Error::io("the question could not be asked", e))?;
    }
    term.write_line(&answer.1)
        .map_err(|e| Error::io("the question could not be asked", e))?;
    Ok(answer.0)
}
