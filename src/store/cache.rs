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
const CACHE_VERSION: u32 = 1;

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
    if u64::from_le_bytes(*sum) != fnv1a(payload) {
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
        let mut bytes = fnv1a(&payload).to_le_bytes().to_vec();
        bytes.extend_from_slice(&payload);
        let _ = crate::store::atomic::write_atomic(&path(root), &bytes, false);
    }
    cache.state
}

/// A fast, stable 64-bit hash for change detection (not for security): FNV-1a over
/// 8-byte words, then over the remaining bytes.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        hash = (hash ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
        hash ^= hash >> 29;
    }
    for &b in words.remainder() {
        hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
    }
    hash
}
