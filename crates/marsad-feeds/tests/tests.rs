//! marsad-feeds against real pages and feeds served over loopback HTTP.

mod config;
mod fetch;
mod pages;
mod server;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use marsad_extract::Extractor;

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// One extractor for the whole test binary: building it loads the lexicon.
pub fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::embedded().expect("embedded lexicon"))
}
