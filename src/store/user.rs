//! The per-user config file (in the `directories` config folder): who "I" am, as saved by
//! `growth whoami --set`. Edited in place so anything else a person wrote there survives.

use std::path::Path;

use crate::error::{Error, Result};

/// The member saved in the file at `path`, if any.
pub fn saved_member(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc: toml::Table = text.parse().ok()?;
    doc.get("user")?.as_str().map(str::to_string)
}

/// Saves `id` as the user in the file at `path`, keeping the rest of the file.
pub fn save_member(path: &Path, id: &str) -> Result<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
        Error::user(format!("cannot edit {}: {e}", path.display())).hint("fix or delete that file")
    })?;
    doc.insert("user", toml_edit::value(id));
    crate::store::atomic::write_atomic(path, doc.to_string().as_bytes(), true)
}
