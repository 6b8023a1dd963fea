//! The Python module `marsad`: the extractor for Python and Spark.
//!
//! - `extract(doc: dict) -> dict`: the analysis record `marsad extract`
//!   prints for that article, as Python objects.
//! - `extract_batch(batch, layer=None) -> pyarrow.RecordBatch`: a batch of
//!   articles in, Arrow out through the C Data Interface. With a `layer`
//!   name the result is that layer's table (the schema of
//!   `marsad_arrow::schema`, the one `marsad export --format parquet`
//!   writes for `events`); without, ONE row per article with a
//!   `list<struct>` column per layer (`marsad_arrow::nested_batch`).
//! - `schema(layer=None)`, `init(lexicon_dir=None, max_bytes=…)`, `LAYERS`.
//!
//! The extractor is built once per process (about a second for the
//! lexicon) and cached; `init` or the `MARSAD_LEXICON_DIR` environment
//! variable add a lexicon overlay folder. Extraction runs on the calling
//! thread with the GIL released: one article after another, no thread pool
//! (Spark already runs one task per core). Bad input raises `ValueError`
//! naming the document; nothing panics across the boundary.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use arrow_array::RecordBatch;
use arrow_pyarrow::PyArrowType;
use arrow_schema::Schema;
use marsad_arrow::Layer;
use marsad_extract::{Extractor, InputDoc, Record};
use marsad_lexicon::Lexicon;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyString};

/// Largest accepted article text in bytes, as `marsad extract`'s default.
const DEFAULT_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The environment variable naming a lexicon overlay folder.
const LEXICON_ENV: &str = "MARSAD_LEXICON_DIR";

/// The bindings' one error type.
#[derive(Debug, thiserror::Error)]
enum Error {
    #[error("document {id:?}: {reason}")]
    Doc { id: String, reason: String },
    #[error("document without a usable `id`: {0}")]
    NoId(String),
    #[error(transparent)]
    Arrow(#[from] marsad_arrow::Error),
    #[error("lexicon overlay {dir}: {reason}")]
    Lexicon { dir: String, reason: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match e {
            Error::Internal(_) => PyRuntimeError::new_err(e.to_string()),
            _ => PyValueError::new_err(e.to_string()),
        }
    }
}

/// How the cached extractor was built.
#[derive(Debug, Clone, PartialEq)]
struct Config {
    lexicon_dir: Option<PathBuf>,
    max_bytes: usize,
}

impl Config {
    fn from_env() -> Config {
        Config {
            lexicon_dir: std::env::var_os(LEXICON_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

struct State {
    config: Config,
    extractor: Arc<Extractor>,
}

/// Locked only with the GIL released (inside `Python::detach`), so a
/// thread building the extractor never waits for the GIL while holding it.
static STATE: Mutex<Option<State>> = Mutex::new(None);

fn build(config: &Config) -> Result<Extractor, Error> {
    let lex = match &config.lexicon_dir {
        Some(dir) => Lexicon::with_overlay(dir).map_err(|e| Error::Lexicon {
            dir: dir.display().to_string(),
            reason: e.to_string(),
        })?,
        None => Lexicon::embedded().map_err(|e| Error::Internal(e.to_string()))?,
    };
    Extractor::new(lex).map_err(|e| Error::Lexicon {
        dir: config
            .lexicon_dir
            .as_ref()
            .map_or("(embedded)".into(), |d| d.display().to_string()),
        reason: e.to_string(),
    })
}

/// The cached extractor, built on first use (or rebuilt when `want`
/// differs from how it was built). Call with the GIL released.
fn extractor(want: Option<Config>) -> Result<(Arc<Extractor>, usize), Error> {
    let mut guard = STATE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = guard.as_ref() {
        if want.as_ref().is_none_or(|w| *w == s.config) {
            return Ok((s.extractor.clone(), s.config.max_bytes));
        }
    }
    let config = want.unwrap_or_else(Config::from_env);
    let extractor = Arc::new(build(&config)?);
    let max = config.max_bytes;
    *guard = Some(State {
        config,
        extractor: extractor.clone(),
    });
    Ok((extractor, max))
}

/// Extracts one article, turning a panic (a bug) into an error naming it.
fn extract_one(ex: &Extractor, doc: &InputDoc) -> Result<Record, Error> {
    catch_unwind(AssertUnwindSafe(|| ex.extract(doc))).map_err(|p| Error::Doc {
        id: doc.id.clone(),
        reason: format!(
            "the extractor failed: {}",
            p.downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".into())
        ),
    })
}

/// An optional string field of a document dict: missing or None → None.
fn opt_str(doc: &Bound<'_, PyDict>, key: &str, id: &str) -> Result<Option<String>, Error> {
    let bad = |reason: String| Error::Doc {
        id: id.to_string(),
        reason,
    };
    match doc.get_item(key).map_err(|e| bad(e.to_string()))? {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.downcast::<PyString>() {
            Ok(s) => Ok(Some(
                s.to_cow().map_err(|e| bad(e.to_string()))?.to_string(),
            )),
            Err(_) => Err(bad(format!(
                "`{key}` is {}, expected a string or None",
                type_name(&v)
            ))),
        },
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A document dict as the CLI reads a JSONL object: `id` a non-empty
/// string or an integer, `text` a string, `date`/`source`/`url`/`title`
/// strings or None.
fn input_doc(doc: &Bound<'_, PyDict>, max_bytes: usize) -> Result<InputDoc, Error> {
    let id = match doc.get_item("id").map_err(|e| Error::NoId(e.to_string()))? {
        None => return Err(Error::NoId("the dict has no `id` key".into())),
        Some(v) => {
            if let Ok(s) = v.downcast::<PyString>() {
                let s = s.to_cow().map_err(|e| Error::NoId(e.to_string()))?;
                if s.is_empty() {
                    return Err(Error::NoId("`id` is empty".into()));
                }
                s.to_string()
            } else if v.is_instance_of::<PyInt>() && !v.is_instance_of::<pyo3::types::PyBool>() {
                v.str().map_err(|e| Error::NoId(e.to_string()))?.to_string()
            } else {
                return Err(Error::NoId(format!(
                    "`id` is {}, expected a string or an integer",
                    type_name(&v)
                )));
            }
        }
    };
    let bad = |reason: String| Error::Doc {
        id: id.clone(),
        reason,
    };
    let text = match doc.get_item("text").map_err(|e| bad(e.to_string()))? {
        None => return Err(bad("missing `text`".into())),
        Some(v) => match v.downcast::<PyString>() {
            Ok(s) => s.to_cow().map_err(|e| bad(e.to_string()))?.to_string(),
            Err(_) => {
                return Err(bad(format!(
                    "`text` is {}, expected a string",
                    type_name(&v)
                )))
            }
        },
    };
    if text.len() > max_bytes {
        return Err(bad(format!(
            "text is {} bytes, over the limit of {max_bytes}",
            text.len()
        )));
    }
    Ok(InputDoc {
        date: opt_str(doc, "date", &id)?,
        source: opt_str(doc, "source", &id)?,
        url: opt_str(doc, "url", &id)?,
        title: opt_str(doc, "title", &id)?,
        text,
        id,
    })
}

/// Builds (or rebuilds) the extractor now: `lexicon_dir` is a folder of
/// lexicon files added on top of the embedded lexicon (default: the
/// `MARSAD_LEXICON_DIR` environment variable, if set); `max_bytes` the
/// largest accepted text.
#[pyfunction]
#[pyo3(signature = (lexicon_dir=None, max_bytes=DEFAULT_MAX_BYTES))]
fn init(py: Python<'_>, lexicon_dir: Option<PathBuf>, max_bytes: usize) -> PyResult<()> {
    let env = Config::from_env();
    let config = Config {
        lexicon_dir: lexicon_dir.or(env.lexicon_dir),
        max_bytes,
    };
    py.detach(|| extractor(Some(config)))?;
    Ok(())
}

/// The analysis record of one article (a dict with `id`, `text` and
/// optional `date`, `source`, `url`, `title`), as `marsad extract` prints it.
#[pyfunction]
fn extract<'py>(py: Python<'py>, doc: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let doc = doc.downcast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "extract() takes a dict with `id` and `text`, not {}",
            type_name(doc)
        ))
    })?;
    let (ex, max) = py.detach(|| extractor(None))?;
    let input = input_doc(doc, max)?;
    let json = py.detach(|| -> Result<String, Error> {
        let rec = extract_one(&ex, &input)?;
        serde_json::to_string(&rec).map_err(|e| Error::Internal(e.to_string()))
    })?;
    py.import("json")?.call_method1("loads", (json,))
}

fn layer_of(layer: Option<&str>) -> Result<Option<Layer>, Error> {
    Ok(layer.map(Layer::from_name).transpose()?)
}

/// Analyses a batch of articles (columns `id`, `text`, optional `date`,
/// `source`, `url`, `title`). `layer=None`: one row per article, `doc_id`
/// and a list<struct> column per layer; `layer="events"` (or `quotes`,
/// `entities`, `times`, `counts`, `documents`): that layer's table.
#[pyfunction]
#[pyo3(signature = (batch, layer=None))]
fn extract_batch(
    py: Python<'_>,
    batch: PyArrowType<RecordBatch>,
    layer: Option<&str>,
) -> PyResult<PyArrowType<RecordBatch>> {
    let layer = layer_of(layer)?;
    let batch = batch.0;
    let out = py.detach(move || -> Result<RecordBatch, Error> {
        let (ex, max) = extractor(None)?;
        let docs = marsad_arrow::input_docs(&batch, max)?;
        let recs = docs
            .iter()
            .map(|d| extract_one(&ex, d))
            .collect::<Result<Vec<Record>, Error>>()?;
        let pairs: Vec<(&InputDoc, &Record)> = docs.iter().zip(&recs).collect();
        Ok(match layer {
            None => marsad_arrow::nested_batch(&pairs)?,
            Some(l) => marsad_arrow::layer_batch(l, &pairs)?,
        })
    })?;
    Ok(PyArrowType(out))
}

/// The Arrow schema `extract_batch` returns for `layer` (None: the nested one).
#[pyfunction]
#[pyo3(signature = (layer=None))]
fn schema(layer: Option<&str>) -> PyResult<PyArrowType<Schema>> {
    let s = match layer_of(layer)? {
        None => marsad_arrow::nested_schema(),
        Some(l) => marsad_arrow::schema(l),
    };
    Ok(PyArrowType(s.as_ref().clone()))
}

#[pymodule]
fn marsad(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(init, m)?)?;
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract_batch, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add(
        "LAYERS",
        Layer::ALL.iter().map(|l| l.name()).collect::<Vec<_>>(),
    )?;
    Ok(())
}
