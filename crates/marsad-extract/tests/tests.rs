//! Integration tests of the extractor, through its public API.

mod common;
mod counts;
mod entities;
mod events;
mod properties;
mod quotes;
mod regressions;
mod times;

pub use common::{data_rows, extract, extractor, opt};
