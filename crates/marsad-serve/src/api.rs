//! Routes and handlers. Query parameters are parsed into [`Params`] (unknown
//! names are refused, so a misspelt filter is an error rather than ignored)
//! and handed to `marsad-store`'s query API: no SQL is written here.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use marsad_extract::{InputDoc, Record};
use marsad_store::{Filter, NetworkEdge, Page, TimelineGroup, TimelineRow};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::{ApiError, LineError};
use crate::{assets, AppState};

type Shared = State<Arc<AppState>>;

/// Longest accepted value of one query parameter: longer values are no
/// search a person types, and bounding them bounds the SQL patterns built
/// from them.
const MAX_PARAM_CHARS: usize = 256;

/// Rows per page when the client does not say.
const DEFAULT_LIMIT: usize = 50;

/// The API's routes: the router is built from this table and
/// [`crate::routes`] lists it, so the OpenAPI check sees what is served.
fn api_table() -> Vec<(&'static str, &'static str, MethodRouter<Arc<AppState>>)> {
    vec![
        ("GET", "/api/health", get(health)),
        ("GET", "/api/events", get(events)),
        ("GET", "/api/quotes", get(quotes)),
        ("GET", "/api/entities", get(entities)),
        ("GET", "/api/counts", get(counts)),
        ("GET", "/api/timeline", get(timeline)),
        ("GET", "/api/network", get(network)),
        ("GET", "/api/documents/{id}", get(document)),
        ("POST", "/api/documents", post(ingest)),
    ]
}

pub fn route_list() -> Vec<(&'static str, &'static str)> {
    api_table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub fn routes(state: Arc<AppState>, max_body: usize, timeout: Duration) -> Router {
    let mut router = Router::new()
        .route("/", get(assets::index))
        .route("/assets/app.js", get(assets::app_js))
        .route("/assets/app.css", get(assets::app_css));
    for (_, path, handler) in api_table() {
        router = router.route(path, handler);
    }
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("internal error").into_response()
        }))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; see docs/api.md")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method; see docs/api.md",
    )
}

/// Every query parameter any endpoint takes; each handler refuses the ones
/// that do not apply to it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    actor: Option<String>,
    source_actor: Option<String>,
    target_actor: Option<String>,
    country: Option<String>,
    code: Option<String>,
    plover: Option<String>,
    modality: Option<String>,
    since: Option<String>,
    until: Option<String>,
    text: Option<String>,
    cluster: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
    by: Option<String>,
}

impl Params {
    fn parse(q: Result<Query<Params>, QueryRejection>) -> Result<Params, ApiError> {
        let Query(p) = q.map_err(|e| ApiError::bad_request("invalid_parameter", e.body_text()))?;
        for (name, v) in p.values() {
            if let Some(v) = v {
                if v.chars().count() > MAX_PARAM_CHARS {
                    return Err(ApiError::bad_request(
                        "invalid_parameter",
                        format!("{name} is longer than {MAX_PARAM_CHARS} characters"),
                    ));
                }
            }
        }
        Ok(p)
    }

    fn values(&self) -> [(&'static str, Option<&String>); 14] {
        [
            ("actor", self.actor.as_ref()),
            ("source_actor", self.source_actor.as_ref()),
            ("target_actor", self.target_actor.as_ref()),
            ("country", self.country.as_ref()),
            ("code", self.code.as_ref()),
            ("plover", self.plover.as_ref()),
            ("modality", self.modality.as_ref()),
            ("since", self.since.as_ref()),
            ("until", self.until.as_ref()),
            ("text", self.text.as_ref()),
            ("cluster", self.cluster.as_ref()),
            ("limit", self.limit.as_ref()),
            ("cursor", self.cursor.as_ref()),
            ("by", self.by.as_ref()),
        ]
    }

    /// Refuses parameters an endpoint does not take.
    fn only(&self, endpoint: &str, allowed: &[&str]) -> Result<(), ApiError> {
        for (name, v) in self.values() {
            if v.is_some() && !allowed.contains(&name) {
                return Err(ApiError::bad_request(
                    "invalid_parameter",
                    format!("{name} does not apply to {endpoint}"),
                ));
            }
        }
        Ok(())
    }

    /// The store filter. Empty values mean "any", as an empty form field does.
    fn filter(&self) -> Result<Filter, ApiError> {
        let v = |o: &Option<String>| {
            o.as_ref()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let cluster = match v(&self.cluster) {
            None => None,
            Some(c) => Some(c.parse::<i64>().map_err(|_| {
                ApiError::bad_request(
                    "invalid_parameter",
                    format!("cluster {c:?} is not an integer"),
                )
            })?),
        };
        Ok(Filter {
            actor: v(&self.actor),
            source_actor: v(&self.source_actor),
            target_actor: v(&self.target_actor),
            country: v(&self.country),
            code: v(&self.code),
            plover: v(&self.plover),
            modality: v(&self.modality),
            since: v(&self.since),
            until: v(&self.until),
            text: v(&self.text),
            cluster,
            limit: None,
        })
    }

    /// The page size: `limit`, capped at the server's maximum.
    fn limit(&self, max: usize) -> Result<usize, ApiError> {
        match self
            .limit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(DEFAULT_LIMIT.min(max)),
            Some(s) => match s.parse::<u64>() {
                Ok(0) | Err(_) => Err(ApiError::bad_request(
                    "invalid_parameter",
                    format!("limit {s:?} is not a positive integer"),
                )),
                Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX).min(max)),
            },
        }
    }

    fn cursor(&self) -> Option<String> {
        self.cursor.clone().filter(|c| !c.is_empty())
    }
}

const FILTERS: &[&str] = &[
    "actor",
    "source_actor",
    "target_actor",
    "country",
    "code",
    "plover",
    "modality",
    "since",
    "until",
    "text",
    "cluster",
];

/// A list endpoint's response.
#[derive(Serialize)]
struct Listing<T> {
    /// The page size used (the request's, capped).
    limit: usize,
    rows: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last page.
    next_cursor: Option<String>,
}

fn listing<T: Serialize>(page: Page<T>, limit: usize) -> Json<Listing<T>> {
    Json(Listing {
        limit,
        rows: page.rows,
        next_cursor: page.next_cursor,
    })
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    schema_version: i64,
    documents: u64,
    events: u64,
    quotes: u64,
    ingest: bool,
}

async fn health(State(st): Shared) -> Result<Json<Health>, ApiError> {
    let ingest = st.writer.is_some();
    let (schema_version, totals) = st.read(|s| Ok((s.schema_version()?, s.totals()?))).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        schema_version,
        documents: totals.documents,
        events: totals.events,
        quotes: totals.quotes,
        ingest,
    }))
}

/// The parameters of a paged list: filter, page size, cursor.
fn paged(
    q: Result<Query<Params>, QueryRejection>,
    endpoint: &str,
    filters: &[&str],
    max: usize,
) -> Result<(Filter, usize, Option<String>), ApiError> {
    let p = Params::parse(q)?;
    let mut allowed = filters.to_vec();
    allowed.extend(["limit", "cursor"]);
    p.only(endpoint, &allowed)?;
    Ok((p.filter()?, p.limit(max)?, p.cursor()))
}

async fn events(State(st): Shared, q: Result<Query<Params>, QueryRejection>) -> Response {
    let run = async {
        let (f, limit, cursor) = paged(q, "events", FILTERS, st.max_limit)?;
        let page = st
            .read(move |s| s.events_page(&f, cursor.as_deref(), limit))
            .await?;
        Ok::<_, ApiError>(listing(page, limit))
    };
    run.await.into_response()
}

async fn quotes(State(st): Shared, q: Result<Query<Params>, QueryRejection>) -> Response {
    let run = async {
        let allowed = ["actor", "source_actor", "country", "since", "until", "text"];
        let (f, limit, cursor) = paged(q, "quotes", &allowed, st.max_limit)?;
        let page = st
            .read(move |s| s.quotes_page(&f, cursor.as_deref(), limit))
            .await?;
        Ok::<_, ApiError>(listing(page, limit))
    };
    run.await.into_response()
}

async fn entities(State(st): Shared, q: Result<Query<Params>, QueryRejection>) -> Response {
    let run = async {
        let allowed = ["actor", "country", "since", "until", "text"];
        let (f, limit, cursor) = paged(q, "entities", &allowed, st.max_limit)?;
        let page = st
            .read(move |s| s.entities_page(&f, cursor.as_deref(), limit))
            .await?;
        Ok::<_, ApiError>(listing(page, limit))
    };
    run.await.into_response()
}

async fn counts(State(st): Shared, q: Result<Query<Params>, QueryRejection>) -> Response {
    let run = async {
        let allowed = ["actor", "country", "code", "since", "until", "text"];
        let (f, limit, cursor) = paged(q, "counts", &allowed, st.max_limit)?;
        let page = st
            .read(move |s| s.counts_page(&f, cursor.as_deref(), limit))
            .await?;
        Ok::<_, ApiError>(listing(page, limit))
    };
    run.await.into_response()
}

#[derive(Serialize)]
struct Timeline {
    by: &'static str,
    rows: Vec<TimelineRow>,
}

async fn timeline(
    State(st): Shared,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Timeline>, ApiError> {
    let p = Params::parse(q)?;
    let mut allowed = FILTERS.to_vec();
    allowed.push("by");
    p.only("timeline", &allowed)?;
    let (by, group) = match p.by.as_deref().map(str::trim) {
        None | Some("") | Some("quad_class") => ("quad_class", TimelineGroup::QuadClass),
        Some("plover") => ("plover", TimelineGroup::Plover),
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_parameter",
                format!("by {other:?} is not quad_class or plover"),
            ))
        }
    };
    let f = p.filter()?;
    let rows = st.read(move |s| s.timeline(&f, group)).await?;
    Ok(Json(Timeline { by, rows }))
}

#[derive(Serialize)]
struct Network {
    limit: usize,
    nodes: Vec<Node>,
    edges: Vec<NetworkEdge>,
}

/// An actor of the network: its code, the name it most often appears
/// under in these edges, and how many event mentions it takes part in.
#[derive(Serialize)]
struct Node {
    actor: String,
    name: Option<String>,
    events: i64,
}

async fn network(
    State(st): Shared,
    q: Result<Query<Params>, QueryRejection>,
) -> Result<Json<Network>, ApiError> {
    let p = Params::parse(q)?;
    let mut allowed = FILTERS.to_vec();
    allowed.push("limit");
    p.only("network", &allowed)?;
    let f = p.filter()?;
    let limit = p.limit(st.max_limit)?;
    let edges = st.read(move |s| s.network(&f, limit)).await?;
    let mut nodes: Vec<Node> = Vec::new();
    for e in &edges {
        for (actor, name) in [
            (&e.source_actor, &e.source_name),
            (&e.target_actor, &e.target_name),
        ] {
            match nodes.iter_mut().find(|n| &n.actor == actor) {
                Some(n) => n.events += e.events,
                None => nodes.push(Node {
                    actor: actor.clone(),
                    name: name.clone(),
                    events: e.events,
                }),
            }
        }
    }
    Ok(Json(Network {
        limit,
        nodes,
        edges,
    }))
}

async fn document(
    State(st): Shared,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|e| ApiError::bad_request("invalid_parameter", e.body_text()))?;
    let key = id.clone();
    match st.read(move |s| s.document(&key)).await? {
        Some(doc) => Ok(Json(doc).into_response()),
        None => Err(ApiError::not_found(format!("no document with id {id:?}"))),
    }
}

#[derive(Serialize)]
struct Ingested {
    documents: usize,
    stored: u64,
    replaced: u64,
    unchanged: u64,
}

/// `POST /api/documents`: JSONL articles, extracted and stored in one
/// transaction. A body with any unusable line is refused whole (with every
/// bad line listed), so a client never has to work out which part landed.
async fn ingest(
    State(st): Shared,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Ingested>, ApiError> {
    if st.writer.is_none() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "read_only",
            "this server is read-only; start it with --allow-ingest and a token",
        ));
    }
    authorize(&st, &headers)?;
    let body = body.map_err(|e| {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "body_too_large"
        } else {
            "invalid_body"
        };
        ApiError::new(status, code, e.body_text())
    })?;
    let docs = parse_jsonl(&body)?;
    let n = docs.len();
    let state = Arc::clone(&st);
    let stats = tokio::task::spawn_blocking(move || {
        let Some(w) = &state.writer else {
            return Err(ApiError::internal("internal error"));
        };
        let batch: Vec<(InputDoc, Record)> = docs
            .into_iter()
            .map(|d| {
                let r = w.extractor.extract(&d);
                (d, r)
            })
            .collect();
        let mut store = w
            .store
            .lock()
            .map_err(|_| state.internal("the writer lock is poisoned"))?;
        store.ingest(&batch).map_err(|e| state.store_error(e))
    })
    .await
    .map_err(|e| st.internal(&format!("ingest task failed: {e}")))??;
    Ok(Json(Ingested {
        documents: n,
        stored: stats.stored,
        replaced: stats.replaced,
        unchanged: stats.unchanged,
    }))
}

/// Checks `Authorization: Bearer <token>` in constant time (the time taken
/// does not tell an attacker how many leading bytes were right).
fn authorize(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(w) = &st.writer else {
        return Err(ApiError::internal("internal error"));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(given) = given else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "ingest needs the header Authorization: Bearer <token>",
        ));
    };
    if bool::from(given.trim().as_bytes().ct_eq(w.token.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the token is not the server's",
        ))
    }
}

/// Parses a JSONL body into documents, naming every bad line.
fn parse_jsonl(body: &[u8]) -> Result<Vec<InputDoc>, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::bad_request("invalid_body", format!("the body is not UTF-8 ({e})"))
    })?;
    let mut docs = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<InputDoc>(line) {
            Ok(d) if d.id.trim().is_empty() => bad.push(LineError {
                line: i + 1,
                id: None,
                reason: "id is empty".into(),
            }),
            Ok(d) => docs.push(d),
            Err(e) => {
                let id = serde_json::from_str::<serde_json::Value>(line)
                    .ok()
                    .and_then(|v| v.get("id").and_then(|x| x.as_str()).map(str::to_string));
                bad.push(LineError {
                    line: i + 1,
                    id,
                    reason: e.to_string(),
                })
            }
        }
    }
    if !bad.is_empty() {
        let mut e = ApiError::bad_request(
            "invalid_body",
            format!("{} line(s) are not articles; nothing was stored", bad.len()),
        );
        e.lines = bad;
        return Err(e);
    }
    if docs.is_empty() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "the body holds no article (one JSON object per line: id, date, text…)",
        ));
    }
    Ok(docs)
}
