//! `healthcommunity bench`: seeds generated databases, measures every page kind's latency and the throughput of the busiest pages against the same bytes served from memory, and writes the table to BENCHMARKS.md.
//!
//! The server under test is this binary (`serve`), started as a child pinned to core 0 with
//! `taskset`; the load generator (`wrk`, Debian's package) is pinned to core 1. Latency is taken
//! by this process: sequential requests (HTTP/1.0, a new connection each, as a first visit
//! makes), after two warm-up requests, p50 and p99. Throughput is `wrk` for a few seconds
//! against the page, then against `bench-static` — the same bytes from memory through the same
//! HTTP stack (axum, TCP_NODELAY) — so the ratio is measured in one run on one machine, which
//! is what a shared, noisy machine allows to compare.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline benchmark over the figures it measured itself; it never serves a request"
)]

use crate::scale::{ScaleArgs, SCALE_PASSWORD};
use app::db::Db;
use clap::Args;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod runs;
mod tables;
mod timing;

use runs::*;
use tables::*;
use timing::*;

/// The heading of BENCHMARKS.md's browser section, which `make bench` keeps as it is.
pub(super) const BROWSER_SECTION: &str = "## In the browser";

#[derive(Debug, Args, Clone)]
pub struct BenchArgs {
    /// Database sizes, in posts (everything else in proportion, as `seed --scale` does).
    #[arg(long, value_delimiter = ',', default_value = "10000,1000000")]
    pub posts: Vec<u64>,
    /// A PostgreSQL URL of a role that may create databases; without it only SQLite is measured.
    #[arg(long, env = "HC_BENCH_POSTGRES_URL")]
    pub postgres_url: Option<String>,
    /// Timed requests per page (after two warm-ups).
    #[arg(long, default_value_t = 30)]
    pub requests: usize,
    /// Seconds of load per throughput measurement (0: none).
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Where the generated SQLite databases are kept between runs (seeding 1M posts takes minutes).
    #[arg(long, default_value = "target/bench")]
    pub dir: PathBuf,
    /// The built site (wasm, CSS) the server serves.
    #[arg(long, env = "HC_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Write the table here (besides printing it); `-` prints only.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub out: String,
    /// The commit measured, for the report.
    #[arg(long, env = "HC_BENCH_COMMIT", default_value = "unknown")]
    pub commit: String,
}

/// One measured page or write.
pub(super) struct Row {
    name: &'static str,
    p50: f64,
    p99: f64,
}

/// One throughput measurement.
pub(super) struct Rate {
    name: &'static str,
    /// Rendered for every request (page cache off).
    page: f64,
    /// From a server with the page cache on (what a deployment runs).
    cached: f64,
    bytes: f64,
}

/// What one database (backend × size) measured.
pub(super) struct Run {
    backend: &'static str,
    posts: u64,
    seed_note: String,
    rows: Vec<Row>,
    rates: Vec<Rate>,
    /// The visitor's community feed with traffic counting on and off (req/s, same run).
    counting: Option<(f64, f64, f64)>,
    rss_mb: Option<f64>,
}

/// Runs the whole benchmark and writes the report.
pub async fn run(a: &BenchArgs) -> Result<(), String> {
    std::fs::create_dir_all(&a.dir).map_err(|e| format!("{}: {e}", a.dir.display()))?;
    let mut sizes = a.posts.clone();
    sizes.sort_unstable();
    let mut runs = Vec::new();
    for &posts in &sizes {
        eprintln!("==> SQLite, {posts} posts");
        let db = sqlite_database(&a.dir, posts).await?;
        runs.push(measure(a, "sqlite", db, posts).await?);
    }
    if let Some(admin_url) = &a.postgres_url {
        for &posts in &sizes {
            eprintln!("==> PostgreSQL, {posts} posts");
            let db = postgres_database(admin_url, posts).await?;
            runs.push(measure(a, "postgres", db, posts).await?);
        }
    } else {
        eprintln!("!!! No PostgreSQL URL (HC_BENCH_POSTGRES_URL): PostgreSQL is not measured.");
    }
    let mut text = report(a, &runs);
    println!("{text}");
    // The browser measurements (Playwright's slow-phone run and Lighthouse) are written under
    // their own heading from `make test-e2e`'s output; a new server table keeps them.
    if let Some(kept) = std::fs::read_to_string(&a.out)
        .ok()
        .and_then(|old| old.find(BROWSER_SECTION).map(|i| old[i..].to_string()))
    {
        text = format!("{}\n\n{kept}", text.trim_end());
    }
    if a.out != "-" {
        std::fs::write(&a.out, &text).map_err(|e| format!("{}: {e}", a.out))?;
        eprintln!("Written to {}", a.out);
    }
    Ok(())
}

/// `bench-static`: serves one file's bytes from memory (the throughput anchor).
pub async fn serve_static(file: &Path, bind: &str) -> Result<(), String> {
    use axum::response::IntoResponse;
    let bytes = bytes_of(file)?;
    let app = axum::Router::new().fallback(move || {
        let b = bytes.clone();
        async move {
            (
                [(http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
                b,
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("{bind}: {e}"))?;
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|s| {
        let _ = s.set_nodelay(true);
    });
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

fn bytes_of(file: &Path) -> Result<axum::body::Bytes, String> {
    std::fs::read(file)
        .map(axum::body::Bytes::from)
        .map_err(|e| format!("{}: {e}", file.display()))
}
