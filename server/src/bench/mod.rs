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
mod seeded;
mod tables;
mod timing;

use runs::*;
use seeded::*;
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
    /// Fail when a page's or write's p50 at the largest size exceeds this many times its p50 at
    /// the smallest, plus [`SLACK_MS`] (the CI smoke: a feed or search that went back to
    /// scanning costs tens to hundreds of times more at 200k posts than at 2k).
    #[arg(long)]
    pub fail_if_slower: Option<f64>,
}

/// What `--fail-if-slower` allows beyond its factor: the machine's noise on a few-ms page.
pub const SLACK_MS: f64 = 20.0;

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
    if let Some(factor) = a.fail_if_slower {
        let slow = slower(&runs, factor);
        if !slow.is_empty() {
            return Err(format!(
                "{} measurement(s) grew more than {factor} × + {SLACK_MS} ms from the smallest \
                 size to the largest (a feed or search reading more than a page?):\n{}",
                slow.len(),
                slow.join("\n")
            ));
        }
        eprintln!(
            "Every p50 at the largest size is within {factor} × + {SLACK_MS} ms of the smallest."
        );
    }
    Ok(())
}

/// The pages and writes whose p50 at the largest size of a backend exceeds `factor` × its p50
/// at the smallest + [`SLACK_MS`].
fn slower(runs: &[Run], factor: f64) -> Vec<String> {
    let mut out = Vec::new();
    for backend in ["sqlite", "postgres"] {
        let of = |r: &&Run| r.backend == backend;
        let (Some(small), Some(large)) = (
            runs.iter().filter(of).min_by_key(|r| r.posts),
            runs.iter().filter(of).max_by_key(|r| r.posts),
        ) else {
            continue;
        };
        if small.posts == large.posts {
            continue;
        }
        for row in &large.rows {
            let Some(before) = small.rows.iter().find(|r| r.name == row.name) else {
                continue;
            };
            if row.p50 > factor * before.p50 + SLACK_MS {
                out.push(format!(
                    "{backend} {}: {:.1} ms at {} posts, {:.1} ms at {}",
                    row.name, row.p50, large.posts, before.p50, small.posts
                ));
            }
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(backend: &'static str, posts: u64, rows: &[(&'static str, f64)]) -> Run {
        Run {
            backend,
            posts,
            seed_note: String::new(),
            rows: rows
                .iter()
                .map(|(name, p50)| Row {
                    name,
                    p50: *p50,
                    p99: *p50,
                })
                .collect(),
            rates: Vec::new(),
            counting: None,
            rss_mb: None,
        }
    }

    #[test]
    fn a_page_that_grew_with_the_table_is_named() {
        let runs = [
            run(
                "sqlite",
                2_000,
                &[("feed", 3.0), ("search", 5.0), ("thread", 30.0)],
            ),
            run(
                "sqlite",
                200_000,
                &[("feed", 180.0), ("search", 34.0), ("thread", 95.0)],
            ),
            run("postgres", 2_000, &[("feed", 4.0)]),
            run("postgres", 200_000, &[("feed", 9.0)]),
        ];
        // feed: 180 > 3 × 3 + 20; search: 34 ≤ 35; thread: 95 > 90 + 20? no, 95 ≤ 110.
        let slow = slower(&runs, 3.0);
        assert_eq!(slow.len(), 1, "{slow:?}");
        assert!(slow[0].starts_with("sqlite feed: 180.0 ms at 200000 posts"));
        // One size only: nothing to compare.
        assert!(slower(&runs[..1], 3.0).is_empty());
    }
}
