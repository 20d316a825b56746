//! Where the facilitator is in a meeting's walk-through: the steps finished (agenda
//! sections, the pulse, the feedback round), so `growth meeting start` resumes at the first
//! one not finished.
//!
//! It is kept on this machine, in `.growth/meetings/DATE.toml`, never committed: the place in
//! the walk-through is the facilitator's, while everything said in it (notes, decisions,
//! acts on leads, handoffs, actions, feedback, pulse) is in the journal like any record. On
//! another clone the walk-through starts at the first section again, with every record
//! there. The file is written atomically through [`crate::store::safe`] (no link followed);
//! a missing or unreadable one counts as nothing finished.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// The largest progress file read: a few step names.
const LIMIT: u64 = 64 * 1024;

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The ids of the steps finished, in the order they were finished.
    #[serde(default)]
    pub done: Vec<String>,
}

impl Progress {
    pub fn is_done(&self, step: &str) -> bool {
        self.done.iter().any(|d| d == step)
    }
}

fn rel(meeting: &str) -> String {
    format!(".growth/meetings/{meeting}.toml")
}

/// The walk-through's progress in the meeting of `meeting` (a date) on this machine.
pub fn load(root: &Path, meeting: &str) -> Progress {
    crate::store::safe::read(root, &rel(meeting), LIMIT)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default()
}

/// Marks `step` finished, and saves it.
pub fn finish(root: &Path, meeting: &str, progress: &mut Progress, step: &str) -> Result<()> {
    if progress.is_done(step) {
        return Ok(());
    }
    progress.done.push(step.to_string());
    let text = toml::to_string(progress).map_err(|e| {
        crate::error::Error::user(format!("cannot save the walk-through's progress: {e}"))
    })?;
    crate::store::safe::write(root, &rel(meeting), text.as_bytes(), true)
}
