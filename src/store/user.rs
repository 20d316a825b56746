//! Who "I" am, as saved by `growth whoami --set`: per workspace in `.growth/user.toml`
//! (local to the clone, never committed: `.growth/` is git-ignored), with a global default
//! in the per-user config file (in the `directories` config folder). Both are edited in
//! place so anything else a person wrote there survives.

use std::path::Path;

use crate::error::{Error, Result};
use crate::store::safe;

/// The per-clone identity file, relative to the workspace root.
pub const WORKSPACE_USER: &str = ".growth/user.toml";

/// The largest identity file read: a line or two.
const MAX_BYTES: u64 = 64 * 1024;

/// The member saved in the file at `path`, if any.
pub fn saved_member(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    member_in(&text)
}

/// The member saved for the workspace at `root` (`whoami --set`), if any. A missing,
/// unreadable or damaged file means none: identity falls back to the global default.
pub fn workspace_member(root: &Path) -> Option<String> {
    let bytes = safe::read(root, WORKSPACE_USER, MAX_BYTES).ok()?;
    member_in(std::str::from_utf8(&bytes).ok()?)
}

fn member_in(text: &str) -> Option<String> {
    let doc: toml::Table = text.parse().ok()?;
    doc.get("user")?
        .as_str()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
}

/// Saves `id` as the user in the file at `path`, keeping the rest of the file.
pub fn save_member(path: &Path, id: &str) -> Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let doc = with_user(&text, id, &path.display().to_string())?;
    crate::store::atomic::write_atomic(path, doc.as_bytes(), true)
}

/// Saves `id` as the user of the workspace at `root`, for this clone only.
pub fn save_workspace_member(root: &Path, id: &str) -> Result<()> {
    let text = match safe::read(root, WORKSPACE_USER, MAX_BYTES) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(r) if r.is_missing() => String::new(),
        Err(r) => return Err(r.error()),
    };
    let shown = root.join(WORKSPACE_USER).display().to_string();
    let doc = if text.trim().is_empty() {
        format!(
            "# Who you are in this workspace, on this clone (`growth whoami --set`).\n\
             # .growth/ is never committed: each teammate's clone keeps its own.\n\
             user = {}\n",
            toml_edit::Value::from(id)
        )
    } else {
        with_user(&text, id, &shown)?
    };
    safe::write(root, WORKSPACE_USER, doc.as_bytes(), true)
}

fn with_user(text: &str, id: &str, shown: &str) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
        Error::user(format!("cannot edit {shown}: {e}")).hint("fix or delete that file")
    })?;
    doc.insert("user", toml_edit::value(id));
    Ok(doc.to_string())
}
