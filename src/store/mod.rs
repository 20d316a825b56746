//! The only code that touches the workspace on disk.
//!
//! Layout of a workspace:
//! - `growth.toml`: the team's configuration, edited in place (comments survive);
//! - `journal/YYYY-MM/<author>-<device>.toml`: the append-only journal of every change;
//! - `.growth/` (git-ignored): the lock, this clone's device id and the derived cache.
//!
//! Every write goes through [`Workspace::record`] or [`Workspace::edit_config`]: take the
//! lock, load and validate everything, apply the change to the state (refused changes write
//! nothing), then replace the one file atomically.

pub mod atomic;
pub mod cache;
pub mod config;
pub mod discover;
pub mod journal;
pub mod load;
pub mod location;

use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};
use crate::model::config::Config;
use crate::model::entry::{Change, Entry};
use crate::model::state::State;
use crate::model::time::Instant;
use crate::store::atomic::{WorkspaceLock, write_atomic};
use crate::store::config::{CONFIG_FILE, LoadedConfig};

/// A writer refreshes the cache when its load parsed more entries than this.
const REFRESH_AFTER: usize = 64;

/// An open workspace: its root and its validated configuration.
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub loaded: LoadedConfig,
}

impl Workspace {
    /// Opens the workspace at `root`, validating `growth.toml`.
    pub fn open(root: &Path) -> Result<Self> {
        if !root.join(CONFIG_FILE).is_file() {
            return Err(Error::user(format!(
                "{} is not a growth workspace (no {CONFIG_FILE})",
                root.display()
            ))
            .hint(
                "create one with `growth init`, or point at one with -C DIR or GROWTH_WORKSPACE",
            ));
        }
        Ok(Workspace {
            root: root.to_path_buf(),
            loaded: config::load(root)?,
        })
    }

    pub fn config(&self) -> &Config {
        &self.loaded.config
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.loaded.tz
    }

    /// The current state, from the cache when it is current.
    pub fn state(&self) -> Result<State> {
        let loaded = load::load(&self.root, &self.loaded, false)?;
        Ok(self.keep(loaded))
    }

    /// Validates every file from scratch, ignoring the cache; returns every problem.
    pub fn check(root: &Path) -> Result<State, Vec<Problem>> {
        let path = root.join(CONFIG_FILE);
        let bytes = std::fs::read(&path).map_err(|e| {
            vec![Problem::new(&path, (1, 1), format!("cannot read: {e}")).hint("run `growth init`")]
        })?;
        let loaded_config = config::parse(&path, &bytes)?;
        match load::load(root, &loaded_config, true) {
            Ok(loaded) => Ok(Workspace {
                root: root.to_path_buf(),
                loaded: loaded_config,
            }
            .keep(loaded)),
            Err(e) if !e.problems.is_empty() => Err(e.problems),
            Err(e) => Err(vec![Problem::new(root, (1, 1), e.message)]),
        }
    }

    /// Refreshes the cache when the load changed the state.
    fn keep(&self, loaded: load::Loaded) -> State {
        if loaded.changed {
            cache::write(&self.root, self.loaded.hash, loaded.marks, loaded.state)
        } else {
            loaded.state
        }
    }

    /// Records the changes `build` makes from the current state, as `author`, at `now`
    /// (or just after the newest entry, so causality holds across skewed clocks).
    /// Nothing is written unless every change applies.
    pub fn record<F>(&mut self, author: &str, now: Instant, build: F) -> Result<(Vec<Entry>, State)>
    where
        F: FnOnce(&State, &Config, Instant) -> Result<Vec<Change>>,
    {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        self.loaded = config::load(&self.root)?;
        let mut loaded = load::load(&self.root, &self.loaded, false)?;
        let at = match loaded.state.latest() {
            Some(latest) if latest >= now => latest.plus_millis(1),
            _ => now,
        };
        let changes = build(&loaded.state, &self.loaded.config, at)?;
        if changes.is_empty() {
            return Ok((Vec::new(), self.keep(loaded)));
        }
        let entries: Vec<Entry> = changes
            .into_iter()
            .map(|change| Entry {
                at,
                by: author.to_string(),
                change,
            })
            .collect();
        for entry in &entries {
            loaded
                .state
                .apply(entry, &self.loaded.config)
                .map_err(|r| {
                    let err = Error::user(r.message);
                    match r.hint {
                        Some(h) => err.hint(h),
                        None => err,
                    }
                })?;
        }
        let device = self.device_id()?;
        let month = at.in_tz(self.tz()).format("%Y-%m").to_string();
        let rel = format!("{}/{month}/{author}-{device}.toml", journal::JOURNAL_DIR);
        let path = self.root.join(&rel);
        let mut bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                journal::header(author, &device, &month).into_bytes()
            }
            Err(e) => return Err(Error::io(format!("cannot read {}", path.display()), e)),
        };
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        let previous_entries = loaded
            .marks
            .iter()
            .find(|m| m.rel == rel)
            .map_or(0, |m| m.entries);
        for entry in &entries {
            bytes.extend_from_slice(journal::format_entry(entry, self.tz()).as_bytes());
        }
        write_atomic(&path, &bytes, true)?;

        let meta = std::fs::metadata(&path)
            .map_err(|e| Error::io(format!("cannot stat {}", path.display()), e))?;
        let count = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        let mark = cache::FileMark {
            rel: rel.clone(),
            len: bytes.len() as u64,
            mtime_ns: journal::mtime_ns(&meta),
            hash: cache::fnv1a(&bytes),
            entries: previous_entries + count,
        };
        match loaded.marks.iter_mut().find(|m| m.rel == rel) {
            Some(m) => *m = mark,
            None => {
                loaded.marks.push(mark);
                loaded.marks.sort_by(|a, b| a.rel.cmp(&b.rel));
            }
        }
        loaded.state.last = Some(crate::model::state::SortKey {
            at,
            file: rel,
            index: previous_entries + count - 1,
        });
        loaded.state.entries += u64::from(count);
        // Rewriting the whole cache would cost more than the write itself; the next load
        // parses just this file's new tail. Refresh it only when this load did real work.
        let state = if loaded.parsed > REFRESH_AFTER {
            self.keep(loaded)
        } else {
            loaded.state
        };
        Ok((entries, state))
    }

    /// Edits `growth.toml` in place with `toml_edit`, keeping comments and layout; the
    /// result must validate or nothing is written.
    pub fn edit_config<F>(&mut self, edit: F) -> Result<()>
    where
        F: FnOnce(&mut toml_edit::DocumentMut, &Config) -> Result<()>,
    {
        let _lock = WorkspaceLock::acquire(&self.root)?;
        let path = self.root.join(CONFIG_FILE);
        self.loaded = config::load(&self.root)?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        let mut doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e| Error::user(format!("cannot edit {}: {e}", path.display())))?;
        edit(&mut doc, &self.loaded.config)?;
        let new_text = doc.to_string();
        let new_config = config::parse(&path, new_text.as_bytes()).map_err(Error::invalid)?;
        // The history must still validate against the new configuration.
        load::load(&self.root, &new_config, true)?;
        write_atomic(&path, new_text.as_bytes(), true)?;
        self.loaded = new_config;
        Ok(())
    }

    /// This clone's device id, made once and kept out of git, so each clone appends to its
    /// own journal files.
    fn device_id(&self) -> Result<String> {
        let path = self.root.join(".growth").join("device");
        if let Ok(id) = std::fs::read_to_string(&path) {
            let id = id.trim();
            if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Ok(id.to_string());
            }
        }
        let id = crate::model::id::random_id(4);
        write_atomic(&path, format!("{id}\n").as_bytes(), true)?;
        Ok(id)
    }
}

/// Creates a workspace at `root`: `growth.toml`, the journal folder and a `.gitignore`
/// for the local-only `.growth/` folder. Refuses to overwrite an existing workspace.
pub fn create(root: &Path, config_text: &str) -> Result<()> {
    let path = root.join(CONFIG_FILE);
    if path.exists() {
        return Err(Error::user(format!("{} already exists", path.display()))
            .hint("this folder is a workspace already; run `growth check` to validate it"));
    }
    config::parse(&path, config_text.as_bytes()).map_err(Error::invalid)?;
    std::fs::create_dir_all(root.join(journal::JOURNAL_DIR))
        .map_err(|e| Error::io(format!("cannot create {}", root.display()), e))?;
    write_atomic(&root.join(journal::JOURNAL_DIR).join(".gitkeep"), b"", true)?;
    let ignore = root.join(".gitignore");
    if !ignore.exists() {
        write_atomic(
            &ignore,
            b"# growth's local lock, device id and cache: never committed\n.growth/\n",
            true,
        )?;
    }
    write_atomic(&path, config_text.as_bytes(), true)
}
