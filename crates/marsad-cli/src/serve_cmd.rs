//! `marsad serve`: flags to a `marsad_serve::Config`, a tokio runtime, and
//! the signal that stops it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;
use marsad_extract::Extractor;

use crate::{load_lexicon, CommonArgs};

#[derive(Args)]
pub struct ServeArgs {
    /// The store to serve.
    #[arg(long, default_value = "marsad.db")]
    db: PathBuf,
    /// Address to listen on. Loopback by default: the API has no accounts,
    /// so exposing it is a decision to make explicitly.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Largest page a client may ask for (larger `limit`s are capped).
    #[arg(long, default_value_t = 1000)]
    limit: usize,
    /// Largest request body in bytes (ingest bodies).
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// Concurrent queries (each with its own read-only connection).
    #[arg(long, default_value_t = 4)]
    readers: usize,
    /// Accept `POST /api/documents` (JSONL), authorised by --token.
    #[arg(long)]
    allow_ingest: bool,
    /// Bearer token for ingest (or the MARSAD_TOKEN environment variable).
    #[arg(long, env = "MARSAD_TOKEN", hide_env_values = true)]
    token: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
}

pub fn run_serve(a: ServeArgs) -> Result<ExitCode> {
    let mut config = marsad_serve::Config::new(&a.db);
    config.max_limit = a.limit;
    config.max_body = a.max_body;
    config.readers = a.readers;
    config.log = |m| eprintln!("marsad serve: {m}");
    if a.allow_ingest {
        let Some(token) = a.token.filter(|t| !t.trim().is_empty()) else {
            bail!("--allow-ingest needs a token: --token or MARSAD_TOKEN");
        };
        let extractor =
            Extractor::new(load_lexicon(&a.common)?).context("building the extractor")?;
        config.ingest = Some(marsad_serve::IngestConfig { token, extractor });
    } else if a.token.is_some() {
        eprintln!(
            "marsad serve: a token was given without --allow-ingest; the server is read-only"
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let app = marsad_serve::router(config)?;
        let listener = marsad_serve::bind(a.addr).await?;
        let local = listener.local_addr().context("reading the bound address")?;
        eprintln!(
            "marsad serve: http://{local}/ ({}; Ctrl-C to stop)",
            if a.allow_ingest {
                "ingest allowed"
            } else {
                "read-only"
            }
        );
        marsad_serve::serve(listener, app, marsad_serve::shutdown_signal()).await?;
        eprintln!("marsad serve: stopped");
        Ok(ExitCode::SUCCESS)
    })
}
