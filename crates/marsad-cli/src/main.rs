//! The `marsad` binary: argument parsing and glue. All analysis lives in the
//! library crates; this file reads inputs, runs them in parallel and prints.

mod input;
mod serve_cmd;
mod store_cmd;
mod watch_cmd;
mod web;

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use marsad_extract::{Extractor, Record};
use marsad_lexicon::Lexicon;
use rayon::prelude::*;

use input::{Item, Reader};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "marsad",
    version,
    about = "Arabic news to structured political event data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles (JSONL, .txt, .html pages, http(s) URLs, or - for
    /// standard input) and print one analysis record per article as JSON
    /// lines, in input order.
    Extract(ExtractArgs),
    /// Show, for each article of a file, every stage's output: normalised
    /// text, tokens, lexicon hits, entities, cues, and event candidates with
    /// the pattern that fired and why others were rejected.
    Explain(ExplainArgs),
    /// Check and summarise the lexicon (the embedded one, plus --lexicon).
    Lexicon(LexiconArgs),
    /// Analyse articles and store them, with their records, in a SQLite
    /// store; re-ingesting unchanged articles changes nothing.
    Ingest(store_cmd::IngestArgs),
    /// List events, quotes, entities or counts from the store.
    Query(store_cmd::QueryArgs),
    /// Export events from the store (jsonl, csv, gdelt).
    Export(store_cmd::ExportArgs),
    /// Watch RSS/Atom/JSON feeds (FEEDS.toml): fetch new items' pages,
    /// extract and store them, until stopped or, with --once, one round.
    Watch(watch_cmd::WatchArgs),
    /// Serve the store over HTTP: a JSON API and an analyst's web page.
    Serve(serve_cmd::ServeArgs),
    /// Count documents, sentences, tokens and characters as the text layer
    /// splits them (for `bench/run`).
    #[command(hide = true)]
    Count(CountArgs),
}

#[derive(Args)]
struct CountArgs {
    /// Input files, as for `extract`.
    #[arg(value_name = "FILE", default_value = "-")]
    files: Vec<String>,
}

#[derive(Args)]
pub struct CommonArgs {
    /// A folder of lexicon files added on top of the embedded lexicon.
    #[arg(long, value_name = "DIR")]
    pub lexicon: Option<PathBuf>,
}

#[derive(Args)]
struct ExtractArgs {
    /// Input files: JSONL with id, date, text (source, url, title optional),
    /// .txt files (id = file stem), .html article pages or http(s):// URLs
    /// of article pages (id = canonical URL). `-` reads JSONL from stdin.
    #[arg(value_name = "FILE", default_value = "-")]
    files: Vec<String>,
    /// Publication date (YYYY-MM-DD) for .txt inputs.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// Pretty-print each record (one JSON document per record, not JSONL).
    #[arg(long)]
    pretty: bool,
    /// Largest accepted article text in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    max_bytes: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct ExplainArgs {
    /// A JSONL, .txt or .html file or a page URL (its first article unless
    /// --id is given).
    #[arg(value_name = "FILE")]
    file: String,
    /// The id of the article to explain.
    #[arg(long)]
    id: Option<String>,
    /// Publication date for a .txt file.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: Option<String>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct LexiconArgs {
    /// Write every normalised alias and event trigger form to FILE, one a
    /// line (the pattern list for a one-pass scan, e.g. `rg -F -f FILE`).
    #[arg(long, value_name = "FILE")]
    dump_patterns: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
}

fn load_lexicon(common: &CommonArgs) -> Result<Lexicon> {
    Ok(match &common.lexicon {
        Some(dir) => Lexicon::with_overlay(dir)
            .with_context(|| format!("loading lexicon overlay {}", dir.display()))?,
        None => Lexicon::embedded().context("loading the embedded lexicon")?,
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(a) => run_extract(a),
        Command::Explain(a) => run_explain(a),
        Command::Lexicon(a) => run_lexicon(a),
        Command::Ingest(a) => store_cmd::run_ingest(a),
        Command::Query(a) => store_cmd::run_query(a),
        Command::Export(a) => store_cmd::run_export(a),
        Command::Watch(a) => watch_cmd::run_watch(a),
        Command::Serve(a) => serve_cmd::run_serve(a),
        Command::Count(a) => run_count(a),
    };
    match result {
        Ok(code) => code,
        // a reader that went away (`marsad query … | head`) is not an error
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<marsad_store::Error>().is_some_and(|s| {
                        matches!(s, marsad_store::Error::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
                    })
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("marsad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_explain(a: ExplainArgs) -> Result<ExitCode> {
    let extractor = Extractor::new(load_lexicon(&a.common)?)?;
    let pages = web::Pages::new(&extractor);
    let mut reader = pages
        .open(&a.file, a.date.as_deref(), usize::MAX / 4, None)
        .with_context(|| format!("opening {}", a.file))?;
    loop {
        let batch = reader.next_batch(256, 64 << 20)?;
        if batch.is_empty() {
            break;
        }
        for item in batch {
            if let Item::Doc { doc, .. } = item {
                if a.id.as_deref().is_none_or(|id| id == doc.id) {
                    print!("{}", extractor.explain(&doc));
                    return Ok(ExitCode::SUCCESS);
                }
            }
        }
    }
    bail!(
        "{}: no article{}",
        a.file,
        a.id.map(|i| format!(" with id {i}")).unwrap_or_default()
    )
}

fn run_lexicon(a: LexiconArgs) -> Result<ExitCode> {
    let lex = load_lexicon(&a.common)?;
    println!(
        "countries {} | places {} | people {} | terms {} | organisations {} | given names {} | aliases {}",
        lex.countries.len(),
        lex.places.len(),
        lex.people.len(),
        lex.terms.len(),
        lex.orgs.len(),
        lex.given_names.len(),
        lex.alias_count()
    );
    if let Some(path) = &a.dump_patterns {
        let extractor = Extractor::new(lex)?;
        let mut seen = std::collections::HashSet::new();
        let mut out = BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        let aliases = extractor.lexicon().aliases().map(|(a, _)| a);
        for p in aliases.chain(extractor.trigger_forms()) {
            if !p.is_empty() && seen.insert(p) {
                writeln!(out, "{p}")?;
            }
        }
        out.flush()?;
        eprintln!(
            "marsad: {} patterns written to {}",
            seen.len(),
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_count(a: CountArgs) -> Result<ExitCode> {
    let (mut docs, mut bad, mut sentences, mut tokens, mut chars) = (0usize, 0, 0, 0, 0);
    for path in &a.files {
        let mut reader =
            Reader::open(path, None, usize::MAX / 4).with_context(|| format!("opening {path}"))?;
        loop {
            let batch = reader.next_batch(BATCH_DOCS, BATCH_BYTES)?;
            if batch.is_empty() {
                break;
            }
            let counts: Vec<Option<(usize, usize, usize)>> = batch
                .par_iter()
                .map(|item| match item {
                    Item::Doc { doc, .. } => {
                        let d = marsad_text::Doc::new(&doc.text);
                        Some((d.sentences.len(), d.tokens.len(), doc.text.chars().count()))
                    }
                    Item::Bad { .. } => None,
                })
                .collect();
            for c in counts {
                match c {
                    Some((s, t, n)) => {
                        docs += 1;
                        sentences += s;
                        tokens += t;
                        chars += n;
                    }
                    None => bad += 1,
                }
            }
        }
    }
    println!(
        "documents {docs} rejected {bad} sentences {sentences} tokens {tokens} characters {chars}"
    );
    Ok(ExitCode::SUCCESS)
}

/// Documents per parallel batch: large enough to keep every core busy,
/// small enough to bound memory on inputs of any size.
const BATCH_DOCS: usize = 2048;
const BATCH_BYTES: usize = 32 << 20;

fn run_extract(a: ExtractArgs) -> Result<ExitCode> {
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
    let extractor = Extractor::new(load_lexicon(&a.common)?)?;
    let pages = web::Pages::new(&extractor);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let (mut ok, mut failed) = (0usize, 0usize);
    for path in &a.files {
        let mut reader = match pages.open(path, a.date.as_deref(), a.max_bytes, None) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("marsad: {path}: cannot open: {e}");
                failed += 1;
                continue;
            }
        };
        loop {
            let batch = match reader.next_batch(BATCH_DOCS, BATCH_BYTES) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("marsad: {}: read error: {e}", reader.name);
                    failed += 1;
                    break;
                }
            };
            if batch.is_empty() {
                break;
            }
            let rendered: Vec<Result<String, String>> = batch
                .par_iter()
                .map(|item| match item {
                    Item::Doc { doc, .. } => {
                        let rec: Record = extractor.extract(doc);
                        let json = if a.pretty {
                            serde_json::to_string_pretty(&rec)
                        } else {
                            serde_json::to_string(&rec)
                        };
                        json.map_err(|e| format!("id {}: cannot serialise record: {e}", doc.id))
                    }
                    Item::Bad { line, id, reason } => Err(match id {
                        Some(id) => format!("line {line}: id {id}: {reason}"),
                        None => format!("line {line}: {reason}"),
                    }),
                })
                .collect();
            for r in rendered {
                match r {
                    Ok(json) => {
                        out.write_all(json.as_bytes())?;
                        out.write_all(b"\n")?;
                        ok += 1;
                    }
                    Err(msg) => {
                        eprintln!("marsad: {}: {msg}", reader.name);
                        failed += 1;
                    }
                }
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        eprintln!("marsad: {ok} records written, {failed} inputs rejected");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
