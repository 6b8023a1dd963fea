//! `marsad watch`: polls the feeds of a FEEDS.toml into the store until
//! stopped, or once with `--once`. Glue only; the watcher is marsad-feeds.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use marsad_extract::Extractor;
use marsad_feeds::{Fetcher, WatchConfig, WatchEvent, Watcher};
use marsad_store::Store;
use signal_hook::consts::{SIGINT, SIGTERM};

use crate::store_cmd::DbArg;
use crate::{load_lexicon, CommonArgs};

#[derive(Args)]
pub struct WatchArgs {
    /// The feeds to watch (see the README for the format).
    #[arg(value_name = "FEEDS.toml")]
    feeds: PathBuf,
    #[command(flatten)]
    db: DbArg,
    /// Poll every feed once now, then exit (for cron); exits 1 if a feed failed.
    #[arg(long)]
    once: bool,
    #[command(flatten)]
    common: CommonArgs,
}

fn log(line: impl std::fmt::Display) {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    eprintln!("{now} marsad: watch: {line}");
}

pub fn run_watch(a: WatchArgs) -> Result<ExitCode> {
    let config = WatchConfig::load(&a.feeds)?;
    // The first Ctrl-C or SIGTERM asks for a clean stop after the current
    // item; a second one ends the process at once.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 1, stop.clone())
            .context("installing the signal handler")?;
        signal_hook::flag::register(signal, stop.clone())
            .context("installing the signal handler")?;
    }
    let extractor = Extractor::new(load_lexicon(&a.common)?)?;
    let db = a.db.path();
    let mut store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
    let n_feeds = config.feeds.len();
    let fetcher = Fetcher::new(config.policy).with_stop(stop.clone());
    let mut watcher = Watcher::new(&mut store, &extractor, fetcher, config.feeds);
    log(format_args!(
        "{n_feeds} feeds into {}{}",
        db.display(),
        if a.once { ", once" } else { "" }
    ));
    let mut report = |e: WatchEvent| log(e);
    let stats = if a.once {
        watcher.poll_all(&stop, &mut report)
    } else {
        watcher.run(&stop, &mut report)
    }
    .context("writing to the store")?;
    log(format_args!(
        "{} items stored, {} duplicates, {} already seen, {} failed; {} feed polls, {} not modified, {} failed{}",
        stats.items_stored,
        stats.items_duplicate,
        stats.items_seen,
        stats.items_failed,
        stats.feeds_polled,
        stats.feeds_not_modified,
        stats.feeds_failed,
        if stop.load(Ordering::Relaxed) { "; stopped by signal" } else { "" },
    ));
    Ok(if a.once && stats.feeds_failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
