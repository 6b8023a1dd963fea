//! `marsad serve`: a JSON API over a marsad store and the analyst's web page,
//! embedded in the binary.
//!
//! Read-only unless ingest is switched on with a token. SQLite is blocking,
//! so every query runs on tokio's blocking pool with a read-only connection
//! from a small pool; a semaphore bounds how many run at once, so a burst of
//! requests queues instead of opening a connection per request. Ingest goes
//! through the one writing connection, as `marsad ingest` does.

mod api;
mod assets;
mod error;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use marsad_extract::Extractor;
use marsad_store::Store;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use error::{ApiError, Error};

/// Every API route as (method, path), as written in `docs/openapi.yaml` (a
/// test checks the two agree).
pub fn routes() -> Vec<(&'static str, &'static str)> {
    api::route_list()
}

/// How ingest over HTTP is allowed: with this bearer token only.
pub struct IngestConfig {
    pub token: String,
    pub extractor: Extractor,
}

/// The server's settings.
pub struct Config {
    pub db: PathBuf,
    /// Largest page a client may ask for; larger `limit`s are capped.
    pub max_limit: usize,
    /// Largest request body (the ingest endpoint's JSONL).
    pub max_body: usize,
    /// Read connections (and concurrent queries).
    pub readers: usize,
    pub request_timeout: Duration,
    /// `None`: read-only server.
    pub ingest: Option<IngestConfig>,
    /// Where internal errors are reported (the client only gets a generic
    /// message); the CLI prints them on stderr.
    pub log: fn(&str),
}

impl Config {
    /// Defaults for a store file: read-only, 1000-row pages at most, 16 MiB
    /// bodies, 4 readers, 30 s per request.
    pub fn new(db: impl Into<PathBuf>) -> Config {
        Config {
            db: db.into(),
            max_limit: 1000,
            max_body: 16 * 1024 * 1024,
            readers: 4,
            request_timeout: Duration::from_secs(30),
            ingest: None,
            log: |_| {},
        }
    }
}

/// Shared state of the handlers.
pub(crate) struct AppState {
    db: PathBuf,
    max_limit: usize,
    idle: Mutex<Vec<Store>>,
    permits: Semaphore,
    writer: Option<Writer>,
    log: fn(&str),
}

pub(crate) struct Writer {
    token: String,
    extractor: Extractor,
    store: Mutex<Store>,
}

impl AppState {
    /// Runs `job` on the blocking pool with a read connection, reusing an
    /// idle one when there is one.
    async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        job: impl FnOnce(&Store) -> Result<T, marsad_store::Error> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("the server is shutting down"))?;
        let state = Arc::clone(self);
        let joined = tokio::task::spawn_blocking(move || {
            let idle = state.idle.lock().ok().and_then(|mut v| v.pop());
            let store = match idle {
                Some(s) => s,
                None => Store::open_read_only(&state.db)?,
            };
            let out = job(&store);
            if let Ok(mut v) = state.idle.lock() {
                v.push(store);
            }
            out
        })
        .await;
        match joined {
            Ok(r) => r.map_err(|e| self.store_error(e)),
            Err(e) => Err(self.internal(&format!("query task failed: {e}"))),
        }
    }

    fn store_error(&self, e: marsad_store::Error) -> ApiError {
        match e {
            marsad_store::Error::Filter(m) => ApiError::bad_request("invalid_parameter", m),
            other => self.internal(&other.to_string()),
        }
    }

    fn internal(&self, detail: &str) -> ApiError {
        (self.log)(&format!("internal error: {detail}"));
        ApiError::internal("internal error")
    }
}

/// Builds the router over an opened state (tests and the CLI both use
/// [`bind`] and [`serve`]; this is public for in-process use).
fn build_state(config: Config) -> Result<Arc<AppState>, Error> {
    if config.readers == 0 || config.max_limit == 0 {
        return Err(Error::Config(
            "readers and the page limit must be at least 1".into(),
        ));
    }
    let writer = match config.ingest {
        Some(ing) => {
            if ing.token.trim().is_empty() {
                return Err(Error::Config(
                    "--allow-ingest needs a non-empty token (--token or MARSAD_TOKEN)".into(),
                ));
            }
            // the writer creates the file and applies migrations
            let store = Store::open(&config.db).map_err(|e| Error::Store {
                path: config.db.clone(),
                source: e,
            })?;
            Some(Writer {
                token: ing.token,
                extractor: ing.extractor,
                store: Mutex::new(store),
            })
        }
        None => {
            if !config.db.exists() {
                return Err(Error::Config(format!(
                    "no store at {}; create it with `marsad ingest --db {}` (or serve with --allow-ingest)",
                    config.db.display(),
                    config.db.display()
                )));
            }
            None
        }
    };
    let first = Store::open_read_only(&config.db).map_err(|e| Error::Store {
        path: config.db.clone(),
        source: e,
    })?;
    Ok(Arc::new(AppState {
        db: config.db,
        max_limit: config.max_limit,
        idle: Mutex::new(vec![first]),
        permits: Semaphore::new(config.readers),
        writer,
        log: config.log,
    }))
}

/// The application: API routes, the page, limits and error handling.
pub fn router(config: Config) -> Result<Router, Error> {
    let timeout = config.request_timeout;
    let max_body = config.max_body;
    let state = build_state(config)?;
    Ok(api::routes(state, max_body, timeout))
}

/// Binds a listener (`127.0.0.1:8080` is the CLI's default).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener, Error> {
    TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Bind { addr, source: e })
}

/// Serves until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(Error::Serve)
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // if the handler cannot be installed, only SIGTERM stops the server
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
