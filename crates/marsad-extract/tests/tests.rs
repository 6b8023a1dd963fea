//! Integration tests of the extractor, through its public API.

mod common;
mod entities;
mod events;
mod properties;
