//! `marsad ingest`, `marsad query` and `marsad export`: glue between the
//! reader, the extractor and `marsad-store`. No SQL here.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use marsad_extract::{Extractor, InputDoc, Record};
use marsad_store::{ExportFormat, Filter, IngestStats, Store};
use rayon::prelude::*;

use crate::input::Item;
use crate::{load_lexicon, CommonArgs, BATCH_BYTES, BATCH_DOCS};

#[derive(Args)]
pub struct DbArg {
    /// The store file (default: $MARSAD_DB, else marsad.db in the working directory).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
}

impl DbArg {
    pub(crate) fn path(&self) -> PathBuf {
        self.db
            .clone()
            .or_else(|| std::env::var_os("MARSAD_DB").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("marsad.db"))
    }
}

#[derive(Args)]
pub struct IngestArgs {
    /// Input files or folders: JSONL (.jsonl, .jsonl.gz, .jsonl.zst), .txt,
    /// .html article pages, or http(s):// URLs of article pages; folders are
    /// searched recursively for files. `-` reads JSONL from stdin.
    #[arg(value_name = "FILE|DIR", default_value = "-")]
    inputs: Vec<String>,
    #[command(flatten)]
    db: DbArg,
    /// Publication date (YYYY-MM-DD) for .txt inputs.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Largest accepted article text in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    max_bytes: usize,
    /// Documents per batch (one transaction each).
    #[arg(long, default_value_t = BATCH_DOCS)]
    batch: usize,
    /// Worker threads for extraction (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum What {
    Events,
    Quotes,
    Entities,
    Counts,
}

#[derive(Args)]
pub struct FilterArgs {
    /// Actor code prefix (RUS, RUSGOV) or a name/alias in Arabic or English.
    #[arg(long)]
    actor: Option<String>,
    /// Source actor of events (code or name); the speaker of quotes.
    #[arg(long)]
    source_actor: Option<String>,
    /// Target actor of events (code or name).
    #[arg(long)]
    target_actor: Option<String>,
    /// ISO 3166-1 alpha-3 country of an actor (or of an entity).
    #[arg(long)]
    country: Option<String>,
    /// CAMEO code prefix (events), or count type such as KILL (counts).
    #[arg(long)]
    code: Option<String>,
    /// PLOVER event type (CONSULT, THREATEN…).
    #[arg(long)]
    plover: Option<String>,
    /// asserted, intended, threatened, negated or reported.
    #[arg(long)]
    modality: Option<String>,
    /// From this date (YYYY-MM-DD, YYYY-MM or YYYY), inclusive.
    #[arg(long)]
    since: Option<String>,
    /// Up to this date, inclusive.
    #[arg(long)]
    until: Option<String>,
    /// Full-text search (normalised Arabic; word* for a prefix).
    #[arg(long)]
    text: Option<String>,
    /// Only the mentions of this event cluster (events).
    #[arg(long)]
    cluster: Option<i64>,
    /// At most this many rows.
    #[arg(long)]
    limit: Option<usize>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            actor: self.actor.clone(),
            source_actor: self.source_actor.clone(),
            target_actor: self.target_actor.clone(),
            country: self.country.clone(),
            code: self.code.clone(),
            plover: self.plover.clone(),
            modality: self.modality.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            text: self.text.clone(),
            cluster: self.cluster,
            limit: self.limit,
        }
    }

    fn is_empty(&self) -> bool {
        let f = self.filter();
        f.actor.is_none()
            && f.source_actor.is_none()
            && f.target_actor.is_none()
            && f.country.is_none()
            && f.code.is_none()
            && f.plover.is_none()
            && f.modality.is_none()
            && f.since.is_none()
            && f.until.is_none()
            && f.text.is_none()
            && f.cluster.is_none()
            && f.limit.is_none()
    }
}

#[derive(Args)]
pub struct QueryArgs {
    /// What to list.
    what: What,
    #[command(flatten)]
    filter: FilterArgs,
    /// One JSON object per line.
    #[arg(long, conflicts_with = "csv")]
    json: bool,
    /// CSV with a header.
    #[arg(long)]
    csv: bool,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Gdelt,
    Parquet,
}

#[derive(Args)]
pub struct ExportArgs {
    /// jsonl and csv: every event mention; gdelt: every event cluster as a
    /// GDELT 2.0 event-table row.
    #[arg(long)]
    format: Format,
    /// Output file (default: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    db: DbArg,
}

/// Lists input files: files as given, folders recursively (sorted, so runs
/// are reproducible), keeping the kinds the reader understands.
fn expand_inputs(inputs: &[String]) -> Result<Vec<String>> {
    fn wanted(p: &Path) -> bool {
        let n = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        [
            ".jsonl",
            ".jsonl.gz",
            ".jsonl.zst",
            ".txt",
            ".json",
            ".html",
            ".htm",
        ]
        .iter()
        .any(|e| n.ends_with(e))
    }
    fn walk(dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.path()))
            .collect::<io::Result<_>>()?;
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if wanted(&p) {
                out.push(p.to_string_lossy().into_owned());
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for i in inputs {
        let p = Path::new(i);
        if i != "-" && p.is_dir() {
            walk(p, &mut out).with_context(|| format!("listing {i}"))?;
        } else {
            out.push(i.clone());
        }
    }
    Ok(out)
}

/// A short category for a rejection reason, for the summary.
fn reason_kind(reason: &str) -> String {
    let head = reason.split(" (").next().unwrap_or(reason);
    if head.contains("over") && head.contains("limit") {
        "too large".into()
    } else {
        head.to_string()
    }
}

/// Progress on stderr: a bar on a terminal, a plain line every few seconds
/// otherwise (logs and CI do not want carriage returns).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: Instant,
    last: Instant,
    total_bytes: u64,
}

impl Progress {
    fn new(total_bytes: u64) -> Progress {
        let bar = io::stderr().is_terminal().then(|| {
            let b = indicatif::ProgressBar::new(total_bytes.max(1));
            let style =
                indicatif::ProgressStyle::with_template("{bar:30} {percent:>3}% {msg} ETA {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            b.set_style(style);
            b
        });
        let now = Instant::now();
        Progress {
            bar,
            start: now,
            last: now,
            total_bytes,
        }
    }

    fn update(&mut self, docs: u64, bytes: u64) {
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let rate = docs as f64 / secs;
        if let Some(b) = &self.bar {
            b.set_position(bytes);
            b.set_message(format!("{docs} documents, {rate:.0} docs/s"));
        } else if self.last.elapsed() >= Duration::from_secs(5) {
            self.last = Instant::now();
            let pct = if self.total_bytes > 0 {
                format!(
                    ", {:.0}% of input",
                    100.0 * bytes as f64 / self.total_bytes as f64
                )
            } else {
                String::new()
            };
            eprintln!("marsad: ingest: {docs} documents, {rate:.0} docs/s{pct}");
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

pub fn run_ingest(a: IngestArgs) -> Result<std::process::ExitCode> {
    if let Some(d) = &a.date {
        if marsad_extract::parse_pub_date(d).is_none() {
            bail!("--date {d:?} is not YYYY-MM-DD");
        }
    }
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting worker threads")?;
    }
    let files = expand_inputs(&a.inputs)?;
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let db = a.db.path();
    let extractor = Extractor::new(load_lexicon(&a.common)?)?;
    // The one writer: it owns the only read-write connection and commits one
    // transaction per batch. The channel holds one batch, so extraction of
    // the next batch overlaps the write of this one and memory stays bounded.
    let mut store = Store::open(&db).with_context(|| format!("opening {}", db.display()))?;
    let reader_store = Store::open_read_only(&db).context("opening a read connection")?;
    let pages = crate::web::Pages::new(&extractor);
    let (tx, rx) = sync_channel::<Vec<(InputDoc, Record)>>(1);
    let writer = std::thread::spawn(
        move || -> Result<(IngestStats, Duration), marsad_store::Error> {
            let mut stats = IngestStats::default();
            let mut busy = Duration::ZERO;
            for batch in rx {
                let t = Instant::now();
                stats.merge(store.ingest(&batch)?);
                busy += t.elapsed();
            }
            Ok((stats, busy))
        },
    );

    let counter = Arc::new(AtomicU64::new(0));
    let mut progress = Progress::new(total_bytes);
    let (mut read, mut skipped_unchanged) = (0u64, 0u64);
    let mut rejected: BTreeMap<String, u64> = BTreeMap::new();
    let batch_docs = a.batch.max(1);
    let mut send_failed = false;
    'files: for path in &files {
        let mut reader =
            match pages.open(path, a.date.as_deref(), a.max_bytes, Some(counter.clone())) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("marsad: {path}: cannot open: {e}");
                    *rejected.entry("cannot open file".into()).or_default() += 1;
                    continue;
                }
            };
        loop {
            let batch = match reader.next_batch(batch_docs, BATCH_BYTES) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("marsad: {}: read error: {e}", reader.name);
                    *rejected.entry("read error".into()).or_default() += 1;
                    break;
                }
            };
            if batch.is_empty() {
                break;
            }
            let mut docs = Vec::with_capacity(batch.len());
            for item in batch {
                match item {
                    Item::Doc { doc } => {
                        read += 1;
                        // Unchanged documents are not extracted again; the
                        // writer re-checks inside its transaction anyway.
                        let same = reader_store
                            .stored_hash(&doc.id)
                            .ok()
                            .flatten()
                            .is_some_and(|h| h == marsad_store::text_hash(&doc.text));
                        if same {
                            skipped_unchanged += 1;
                        } else {
                            docs.push(doc);
                        }
                    }
                    Item::Bad { line, id, reason } => {
                        match id {
                            Some(id) => {
                                eprintln!("marsad: {}: line {line}: id {id}: {reason}", reader.name)
                            }
                            None => eprintln!("marsad: {}: line {line}: {reason}", reader.name),
                        }
                        *rejected.entry(reason_kind(&reason)).or_default() += 1;
                    }
                }
            }
            let records: Vec<(InputDoc, Record)> = docs
                .into_par_iter()
                .map(|d| {
                    let r = extractor.extract(&d);
                    (d, r)
                })
                .collect();
            if !records.is_empty() && tx.send(records).is_err() {
                // the writer stopped: its error is reported below
                send_failed = true;
                break 'files;
            }
            progress.update(read, counter.load(Ordering::Relaxed));
        }
    }
    drop(tx);
    progress.finish();
    let (stats, writing) = match writer.join() {
        Ok(r) => r.context("writing to the store")?,
        Err(_) => bail!("the writer thread panicked"),
    };
    if send_failed {
        bail!("the writer stopped early");
    }
    let secs = progress.start.elapsed().as_secs_f64();
    let n_rejected: u64 = rejected.values().sum();
    eprintln!(
        "marsad: ingest: {read} documents read in {secs:.1} s ({:.0}/s): {} stored, {} unchanged, {} replaced, {n_rejected} rejected",
        read as f64 / secs.max(1e-3),
        stats.stored,
        stats.unchanged + skipped_unchanged,
        stats.replaced,
    );
    eprintln!(
        "marsad: ingest: {:.1} s of it writing to {}",
        writing.as_secs_f64(),
        db.display()
    );
    for (reason, n) in &rejected {
        eprintln!("marsad: ingest:   rejected {n}: {reason}");
    }
    Ok(if n_rejected > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

/// Display width of a cell: harakat and bidi controls take no column.
fn width(s: &str) -> usize {
    s.chars()
        .filter(|&c| {
            !marsad_text::is_mark(c)
                && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2066}'..='\u{2069}' | '\u{202A}'..='\u{202E}')
        })
        .count()
}

/// One cell: single-line, cut to `max` columns; right-to-left text is
/// wrapped in a first-strong isolate so a bidi-aware terminal shows it
/// right-to-left without reordering the columns around it.
fn cell(s: &str, max: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out = String::new();
    let mut w = 0;
    for c in flat.chars() {
        if w >= max {
            out.push('…');
            break;
        }
        if width(&c.to_string()) == 1 {
            w += 1;
        }
        out.push(c);
    }
    let rtl = out.chars().any(|c| ('\u{0590}'..='\u{08FF}').contains(&c));
    if rtl {
        format!("\u{2068}{out}\u{2069}")
    } else {
        out
    }
}

fn print_table(head: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = head.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(c));
            }
        }
    }
    let out = io::stdout();
    let mut out = BufWriter::new(out.lock());
    let line = |out: &mut dyn Write, cells: Vec<&str>| -> io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            s.push_str(c);
            if i + 1 < cells.len() {
                let w = widths.get(i).copied().unwrap_or(0);
                s.push_str(&" ".repeat(w.saturating_sub(width(c)) + 2));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(&mut out, head.to_vec())?;
    for r in rows {
        line(&mut out, r.iter().map(String::as_str).collect())?;
    }
    out.flush()
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

fn emit<T: serde::Serialize>(
    rows: &[T],
    json: bool,
    csv_out: bool,
    table: impl FnOnce() -> io::Result<()>,
) -> Result<()> {
    if json {
        let out = io::stdout();
        let mut out = BufWriter::new(out.lock());
        for r in rows {
            serde_json::to_writer(&mut out, r)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
    } else if csv_out {
        let mut w = csv::Writer::from_writer(io::stdout());
        for r in rows {
            w.serialize(r)?;
        }
        w.flush()?;
    } else {
        table()?;
    }
    Ok(())
}

fn open_existing(db: &DbArg) -> Result<Store> {
    let path = db.path();
    if !path.exists() {
        bail!(
            "{}: no such store (run marsad ingest first)",
            path.display()
        );
    }
    Store::open_read_only(&path).with_context(|| format!("opening {}", path.display()))
}

pub fn run_query(a: QueryArgs) -> Result<std::process::ExitCode> {
    let store = open_existing(&a.db)?;
    let f = a.filter.filter();
    match a.what {
        What::Events => {
            let rows = store.events(&f)?;
            emit(&rows, a.json, a.csv, || {
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            cell(opt(&r.day), 10),
                            cell(opt(&r.source_actor), 12),
                            cell(opt(&r.source_name), 24),
                            cell(&r.cameo, 4),
                            cell(opt(&r.plover), 10),
                            cell(opt(&r.target_actor), 12),
                            cell(opt(&r.target_name), 24),
                            cell(&r.modality, 10),
                            r.cluster.map(|c| c.to_string()).unwrap_or_default(),
                            format!("{}/{}/{}", r.num_mentions, r.num_sources, r.num_articles),
                            cell(&r.doc_id, 24),
                            cell(&r.trigger, 30),
                        ]
                    })
                    .collect();
                print_table(
                    &[
                        "day",
                        "source",
                        "source name",
                        "code",
                        "plover",
                        "target",
                        "target name",
                        "modality",
                        "cluster",
                        "ment/src/art",
                        "doc",
                        "trigger",
                    ],
                    &body,
                )
            })?;
        }
        What::Quotes => {
            let rows = store.quotes(&f)?;
            emit(&rows, a.json, a.csv, || {
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            cell(opt(&r.date), 10),
                            cell(
                                r.speaker
                                    .as_ref()
                                    .or(r.speaker_text.as_ref())
                                    .map_or("", |s| s),
                                28,
                            ),
                            cell(&r.cue, 10),
                            cell(&r.doc_id, 24),
                            cell(&r.text, 60),
                        ]
                    })
                    .collect();
                print_table(&["date", "speaker", "cue", "doc", "quote"], &body)
            })?;
        }
        What::Entities => {
            let rows = store.entities(&f)?;
            emit(&rows, a.json, a.csv, || {
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            r.documents.to_string(),
                            r.mentions.to_string(),
                            cell(&r.typ, 6),
                            cell(opt(&r.actor), 12),
                            cell(opt(&r.country), 3),
                            cell(opt(&r.name_en), 28),
                            cell(&r.name, 32),
                        ]
                    })
                    .collect();
                print_table(
                    &[
                        "docs", "mentions", "type", "actor", "cty", "name_en", "name",
                    ],
                    &body,
                )
            })?;
        }
        What::Counts => {
            let rows = store.counts(&f)?;
            emit(&rows, a.json, a.csv, || {
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        vec![
                            cell(opt(&r.date), 10),
                            cell(&r.typ, 8),
                            r.min.to_string(),
                            r.max.to_string(),
                            cell(opt(&r.qualifier), 10),
                            cell(opt(&r.unit), 4),
                            cell(&r.doc_id, 24),
                            cell(&r.text, 40),
                        ]
                    })
                    .collect();
                print_table(
                    &[
                        "date",
                        "type",
                        "min",
                        "max",
                        "qualifier",
                        "unit",
                        "doc",
                        "text",
                    ],
                    &body,
                )
            })?;
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

pub fn run_export(a: ExportArgs) -> Result<std::process::ExitCode> {
    let format = match a.format {
        Format::Jsonl => ExportFormat::Jsonl,
        Format::Csv => ExportFormat::Csv,
        Format::Gdelt => {
            if !a.filter.is_empty() {
                bail!("--format gdelt exports every event cluster; filters apply to jsonl and csv");
            }
            ExportFormat::Gdelt
        }
        Format::Parquet => return export_parquet(&a),
    };
    let store = open_existing(&a.db)?;
    let f = a.filter.filter();
    let n = match &a.out {
        Some(p) => {
            let file = File::create(p).with_context(|| format!("creating {}", p.display()))?;
            store.export(format, &f, BufWriter::with_capacity(1 << 20, file))?
        }
        None => {
            let out = io::stdout();
            store.export(format, &f, BufWriter::with_capacity(1 << 20, out.lock()))?
        }
    };
    eprintln!("marsad: export: {n} rows");
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(feature = "parquet")]
fn export_parquet(a: &ExportArgs) -> Result<std::process::ExitCode> {
    let Some(p) = &a.out else {
        bail!("--format parquet needs --out FILE");
    };
    let store = open_existing(&a.db)?;
    let file = File::create(p).with_context(|| format!("creating {}", p.display()))?;
    let n = store.export_parquet(&a.filter.filter(), BufWriter::with_capacity(1 << 20, file))?;
    eprintln!("marsad: export: {n} rows");
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(not(feature = "parquet"))]
fn export_parquet(_: &ExportArgs) -> Result<std::process::ExitCode> {
    bail!("this marsad was built without Parquet; rebuild with `--features parquet`, or use csv or jsonl")
}
