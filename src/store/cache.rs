//! The derived cache, `.growth/cache/state.bin`: the folded state plus a mark of every
//! journal file it was folded from. Never committed, never trusted blindly.
//!
//! A file whose size and modification time match its mark is taken as folded. A file that
//! changed is read: if it still starts with the bytes that were folded (same hash), only
//! the new tail is parsed and applied, provided every new entry sorts after the last one
//! folded; anything else (an edit, a deletion, a merge bringing older entries, a new
//! `growth.toml`) rebuilds the state from the journal in one pass.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::state::State;

/// Bump when the cache layout or the fold's meaning changes.
const CACHE_VERSION: u32 = 4;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileMark {
    pub rel: String,
    pub len: u64,
    pub mtime_ns: i64,
    pub hash: u64,
    pub entries: u32,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Cache {
    pub version: u32,
    pub crate_version: String,
    pub config_hash: u64,
    pub files: Vec<FileMark>,
    pub state: State,
}

pub fn path(root: &Path) -> PathBuf {
    root.join(".growth").join("cache").join("state.bin")
}

/// The cache for `config_hash`, or `None` when it is missing, stale or damaged.
pub fn read(root: &Path, config_hash: u64) -> Option<Cache> {
    let bytes = std::fs::read(path(root)).ok()?;
    let (sum, payload) = bytes.split_first_chunk::<8>()?;
    if u64::from_le_bytes(*sum) != content_hash(payload) {
        return None;
    }
    let cache: Cache = postcard::from_bytes(payload).ok()?;
    (cache.version == CACHE_VERSION
        && cache.crate_version == env!("CARGO_PKG_VERSION")
        && cache.config_hash == config_hash)
        .then_some(cache)
}

/// Writes the cache atomically. Not fsynced: a cache lost in a crash is simply rebuilt.
/// Failure is ignored for the same reason (a read-only checkout still works).
pub fn write(root: &Path, config_hash: u64, files: Vec<FileMark>, state: State) -> State {
    let cache = Cache {
        version: CACHE_VERSION,
        crate_version: env!("CARGO_PKG_VERSION").into(),
        config_hash,
        files,
        state,
    };
    if let Ok(payload) = postcard::to_allocvec(&cache) {
        let mut bytes = content_hash(&payload).to_le_bytes().to_vec();
        bytes.extend_from_slice(&payload);
        let _ = crate::store::atomic::write_atomic(&path(root), &bytes, false);
    }
    cache.state
}

/// A fast, stable 64-bit hash for change detection and cache integrity (XXH3, several
/// GB/s; not for security).
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}
