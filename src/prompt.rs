//! Questions to a person at a terminal (dialoguer). Only reached when `Ctx::can_prompt`.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, FuzzySelect, Input, MultiSelect, Select};

use crate::error::{Error, Result};

fn cancelled(e: dialoguer::Error) -> Error {
    Error::user(format!("prompt cancelled: {e}"))
        .hint("nothing was written; pass the values as flags to skip the questions")
}

pub fn text(question: &str, default: Option<&str>) -> Result<String> {
    let theme = ColorfulTheme::default();
    let mut input = Input::<String>::with_theme(&theme).with_prompt(question);
    if let Some(d) = default {
        input = input.default(d.to_string());
    }
    input
        .interact_text()
        .map(|s| s.trim().to_string())
        .map_err(cancelled)
}

/// Asks until the answer passes `valid` (which says what is wrong otherwise).
pub fn text_checked(
    question: &str,
    default: Option<&str>,
    valid: impl Fn(&str) -> Result<(), String>,
) -> Result<String> {
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
        .map_err(cancelled)
}

pub fn confirm(question: &str, default: bool) -> Result<bool> {
    Confirm::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .default(default)
        .interact()
        .map_err(cancelled)
}

/// A fuzzy pick among IANA timezones, starting on `default`.
pub fn timezone(default: &str) -> Result<String> {
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()).collect();
    let start = names.iter().position(|n| *n == default).unwrap_or(0);
    let picked = FuzzySelect::with_theme(&ColorfulTheme::default())
        .with_prompt("Timezone (type to search)")
        .items(&names)
        .default(start)
        .max_length(8)
        .interact()
        .map_err(cancelled)?;
    Ok(names[picked].to_string())
}

/// A fuzzy pick among `items`; returns the index picked.
pub fn select(question: &str, items: &[String]) -> Result<usize> {
    FuzzySelect::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .items(items)
        .default(0)
        .max_length(10)
        .interact()
        .map_err(cancelled)
}

/// A pick among a few `items` with the arrow keys; returns the index.
pub fn choose(question: &str, items: &[String], default: usize) -> Result<usize> {
    Select::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .items(items)
        .default(default)
        .interact()
        .map_err(cancelled)
}

/// Checkboxes, pre-filled with `defaults`; returns the indexes picked.
pub fn pick_many(question: &str, items: &[String], defaults: &[bool]) -> Result<Vec<usize>> {
    MultiSelect::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .items(items)
        .defaults(defaults)
        .interact()
        .map_err(cancelled)
}
