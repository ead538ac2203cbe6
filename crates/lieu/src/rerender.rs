//! `lieu rerender`: renders again, from their Markdown, the pages whose stored HTML an older
//! renderer or sanitizer produced (`lieu_markdown::RENDERER_VERSION`), with a progress bar.
//! `lieu serve` does the same at start.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use lieu_store::{Store, wiki};

/// Pages re-rendered per transaction: short enough that the server's writers barely wait.
const BATCH: i64 = 50;

/// Re-renders the outdated pages; returns how many were re-rendered.
pub fn run(store: &Store, show_progress: bool) -> Result<usize> {
    let outdated = store.read(wiki::outdated_rendering_count)?;
    if outdated == 0 {
        return Ok(0);
    }
    let bar = if show_progress {
        ProgressBar::new(u64::try_from(outdated).unwrap_or_default())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} pages re-rendered")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let done = wiki::rerender_outdated(store, BATCH, |seen| bar.inc(seen as u64))?;
    bar.finish_and_clear();
    tracing::info!(pages = done, "pages re-rendered with the current renderer");
    Ok(done)
}
