//! The lines a change made to a file, as a small diff: what `growth config set` shows.

use std::fmt::Write;

use crate::context::Ctx;

/// The changed lines of `before` into `after`, under a `file:line` header: removed lines
/// with `-`, added ones with `+` (red and green on a colour terminal). Empty when equal.
pub fn lines(ctx: &Ctx, file: &str, before: &str, after: &str) -> String {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let same_start = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let same_end = old[same_start..]
        .iter()
        .rev()
        .zip(new[same_start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let removed = &old[same_start..old.len() - same_end];
    let added = &new[same_start..new.len() - same_end];
    if removed.is_empty() && added.is_empty() {
        return String::new();
    }
    let paint = |code: &str, line: String| {
        if ctx.color {
            format!("\u{1b}[{code}m{line}\u{1b}[0m")
        } else {
            line
        }
    };
    let mut out = format!("{file}:{}\n", same_start + 1);
    for line in removed {
        let _ = writeln!(
            out,
            "{}",
            paint("31", format!("-{}", super::sanitize::cell(line)))
        );
    }
    for line in added {
        let _ = writeln!(
            out,
            "{}",
            paint("32", format!("+{}", super::sanitize::cell(line)))
        );
    }
    out
}
