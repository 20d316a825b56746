//! Which workspace a command uses: `-C DIR`, then `GROWTH_WORKSPACE`, then the nearest
//! folder holding `growth.toml` from the current directory up, then the per-user default.

use std::path::{Path, PathBuf};

use crate::store::config::CONFIG_FILE;

/// Where the workspace choice came from, for `whoami` and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Env,
    Search,
    UserDefault,
}

/// Picks the workspace root; `None` when nothing applies (no flag, env, workspace above
/// the current directory, nor a per-user default).
pub fn find(
    flag: Option<&Path>,
    env: Option<&Path>,
    cwd: &Path,
    user_default: Option<&Path>,
) -> Option<(PathBuf, Origin)> {
    if let Some(dir) = flag {
        return Some((absolute(cwd, dir), Origin::Flag));
    }
    if let Some(dir) = env {
        return Some((absolute(cwd, dir), Origin::Env));
    }
    if let Some(found) = cwd.ancestors().find(|d| d.join(CONFIG_FILE).is_file()) {
        return Some((found.to_path_buf(), Origin::Search));
    }
    user_default.map(|d| (d.to_path_buf(), Origin::UserDefault))
}

fn absolute(cwd: &Path, dir: &Path) -> PathBuf {
    if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        cwd.join(dir)
    }
}
