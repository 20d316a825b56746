//! Typed errors, their hints and exit codes, and "did you mean" suggestions.
//!
//! Low-level code returns an [`Error`] with a message; the edge (`lib::run`) prints it as
//! `error: ...` followed by `hint: ...` lines and exits with [`Error::exit_code`].

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem found in a workspace file, located to the line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    pub fn new(path: &Path, (line, col): (usize, usize), message: impl Into<String>) -> Self {
        Problem {
            path: path.to_path_buf(),
            line,
            col,
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

/// What went wrong, coarsely: it decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The user asked for something that cannot be done (unknown lead, bad value...).
    User,
    /// A flag was missing or malformed; exits 2 like clap's own usage errors.
    Usage,
    /// A workspace file is damaged or invalid.
    Workspace,
    /// The disk or another system call failed.
    Io,
    /// Our reader went away (`growth lead list | head`): stop quietly.
    BrokenPipe,
    /// `check --alerts` found something that needs attention: exit 3, for cron.
    Alerts,
    /// A person pressed Ctrl-C (or Esc at the top) at a prompt: exit 130, as shells do.
    Interrupted,
}

/// The one error type every operation returns.
#[derive(Debug)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hints: Vec<String>,
    pub problems: Vec<Problem>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn user(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::User,
            message: message.into(),
            hints: Vec::new(),
            problems: Vec::new(),
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Usage,
            ..Error::user(message)
        }
    }

    /// A prompt left with Ctrl-C or Esc; `message` says what was saved.
    pub fn interrupted(message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Interrupted,
            ..Error::user(message)
        }
    }

    pub fn io(context: impl fmt::Display, err: std::io::Error) -> Self {
        Error {
            kind: ErrorKind::Io,
            ..Error::user(format!("{context}: {err}"))
        }
    }

    /// A workspace that fails validation; every problem is listed, not only the first.
    pub fn invalid(problems: Vec<Problem>) -> Self {
        let files: std::collections::BTreeSet<_> = problems.iter().map(|p| &p.path).collect();
        let message = format!(
            "the workspace has {} problem{} in {} file{}",
            problems.len(),
            plural(problems.len()),
            files.len(),
            plural(files.len())
        );
        Error {
            kind: ErrorKind::Workspace,
            message,
            hints: vec![
                "fix the files named above, then run `growth check`; nothing was written (a merge conflict or a damaged journal file: `growth check --repair` mends it, keeping a backup)".into(),
            ],
            problems,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage => 2,
            ErrorKind::Alerts => 3,
            ErrorKind::Interrupted => 130,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Up to three known names close to `wanted`, best first, for "did you mean" hints.
pub fn close_matches<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|k| {
            let lower = k.to_lowercase();
            let mut score = strsim::jaro_winkler(&wanted, &lower);
            if lower.contains(&wanted) || wanted.contains(&lower) {
                score = score.max(0.9);
            }
            // Typos in short words (`tmo` for `tom`) score low on Jaro-Winkler.
            if strsim::damerau_levenshtein(&wanted, &lower) <= (wanted.len() / 3).max(1) {
                score = score.max(0.8);
            }
            (score, k)
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// "unknown lead `acm`" plus a "did you mean" hint with close matches, or `otherwise`.
pub fn unknown<'a>(
    what: &str,
    wanted: &str,
    known: impl IntoIterator<Item = &'a str>,
    otherwise: &str,
) -> Error {
    let matches = close_matches(wanted, known);
    let err = Error::user(format!("unknown {what} `{wanted}`"));
    if matches.is_empty() {
        if otherwise.is_empty() {
            err
        } else {
            err.hint(otherwise)
        }
    } else {
        let quoted: Vec<String> = matches.iter().map(|m| format!("`{m}`")).collect();
        err.hint(format!("did you mean {}?", quoted.join(" or ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_matches_prefers_the_nearest_name() {
        let known = ["acme-corp", "globex", "initech", "acme-labs"];
        assert_eq!(
            close_matches("acme-crop", known),
            vec!["acme-corp", "acme-labs"]
        );
        assert!(close_matches("zzz", known).is_empty());
        assert_eq!(close_matches("tmo", ["tom", "maria"]), vec!["tom"]);
    }
}
