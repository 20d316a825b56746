//! What a long wait shows on a terminal. Folding a big journal whole (the first command
//! on a fresh clone of a big workspace, `check`, a cache an upgrade made stale) takes
//! seconds: at a million entries 8-10 s in which nothing was printed. A person at a
//! terminal sees a bar over the journal's months on stderr; a script, a pipe or `-q` sees
//! nothing, and a small workspace folds before a bar would be worth drawing.

use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a bar may be drawn: stderr is a terminal and `-q` was not given (`run` says).
static ALLOWED: AtomicBool = AtomicBool::new(false);

/// A journal smaller than this folds in well under a second: no bar.
const BIG_BYTES: u64 = 16 << 20;

/// Lets [`Folding::start`] draw on stderr.
pub fn allow() {
    ALLOWED.store(true, Ordering::Relaxed);
}

/// The smallest journal a bar is drawn for: `BIG_BYTES`, or `GROWTH_PROGRESS_BYTES` (so a
/// test can see the bar on a small workspace).
fn threshold() -> u64 {
    std::env::var("GROWTH_PROGRESS_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(BIG_BYTES)
}

/// A bar over the months of a journal being folded; cleared when dropped.
pub struct Folding(Option<indicatif::ProgressBar>);

impl Folding {
    pub fn start(months: usize, journal_bytes: u64) -> Folding {
        if !ALLOWED.load(Ordering::Relaxed) || journal_bytes < threshold() {
            return Folding(None);
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(months as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "reading the journal into the local cache (once per clone) {bar:30} {pos}/{len} months",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.tick();
        Folding(Some(bar))
    }

    pub fn month_done(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
}

impl Drop for Folding {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
