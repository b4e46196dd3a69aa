//! BENCHMARKS.md's tables from the measured runs.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline benchmark over the figures it measured itself; it never serves a request"
)]

use super::*;

/// The report: one latency table (p50 / p99 per size and backend), the ratio of the largest
/// to the smallest size, throughput against the static bytes, and memory.
pub(super) fn report(a: &BenchArgs, runs: &[Run]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `make bench` (`healthcommunity bench`). Commit `{}`, {}; {}.\n",
        a.commit,
        time_now(),
        machine()
    );
    latency(&mut out, a, runs);
    throughput(&mut out, a, runs);
    counting(&mut out, a, runs);
    memory(&mut out, runs);
    out
}

/// The latency table: every page's p50 / p99 on each run, and the largest / smallest ratio.
fn latency(out: &mut String, a: &BenchArgs, runs: &[Run]) {
    let _ = writeln!(
        out,
        "Latency: {} sequential requests per page after two warm-ups, a new connection each, \
         milliseconds, p50 / p99. Server pinned to core 0, load generator to core 1. Goal: every \
         page's p50 at the largest size ≤ 1.5 × its p50 at the smallest and ≤ 50 ms (search \
         ≤ 100 ms); writes ≤ 20 ms; 2,000 watched words add ≤ 5 ms to a post (the two post rows).\n",
        a.requests
    );
    for r in runs {
        let _ = writeln!(out, "- {} at {} posts: {}", r.backend, r.posts, r.seed_note);
    }
    let _ = writeln!(out);
    let _ = write!(out, "| page |");
    for r in runs {
        let _ = write!(out, " {} {} |", r.backend, short(r.posts));
    }
    let _ = writeln!(out, " ratio (largest / smallest p50) |");
    let _ = write!(out, "|---|");
    for _ in runs {
        let _ = write!(out, "---:|");
    }
    let _ = writeln!(out, "---|");
    if let Some(first) = runs.first() {
        for (i, row) in first.rows.iter().enumerate() {
            let _ = write!(out, "| {} |", row.name);
            for r in runs {
                match r.rows.get(i) {
                    Some(x) => {
                        let _ = write!(out, " {:.1} / {:.1} |", x.p50, x.p99);
                    }
                    None => out.push_str(" – |"),
                }
            }
            let _ = writeln!(out, " {} |", ratios(runs, i).join(", "));
        }
    }
}

/// Row `i`'s largest / smallest p50, by backend.
fn ratios(runs: &[Run], i: usize) -> Vec<String> {
    let mut ratios = Vec::new();
    for backend in ["sqlite", "postgres"] {
        let of: Vec<&Run> = runs.iter().filter(|r| r.backend == backend).collect();
        if let (Some(small), Some(large)) = (
            of.iter().min_by_key(|r| r.posts),
            of.iter().max_by_key(|r| r.posts),
        ) {
            if small.posts != large.posts {
                if let (Some(s), Some(l)) = (small.rows.get(i), large.rows.get(i)) {
                    ratios.push(format!("{backend} {:.2}", l.p50 / s.p50.max(0.001)));
                }
            }
        }
    }
    ratios
}

/// The throughput table: rendered, page cache on, the same bytes served static.
fn throughput(out: &mut String, a: &BenchArgs, runs: &[Run]) {
    let _ = writeln!(
        out,
        "\nThroughput (wrk, 1 thread, 16 connections, {} s each): requests per second of the page \
         rendered each time (page cache off), from a server with the page cache on (as deployed: \
         a visitor's page comes from memory, and a member's from memory kept for that member's \
         session while they do nothing else: wrk repeats one member's request), of the same bytes \
         served from memory by `bench-static`, and the ratio of the second to the third. Goal: \
         the visitor's community feed ≥ 0.5 ×, the member's home feed ≥ 0.1 ×.\n",
        a.seconds
    );
    let _ = writeln!(
        out,
        "| database | page | rendered req/s | page cache on req/s | static req/s | ratio |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
    for r in runs {
        for t in &r.rates {
            let _ = writeln!(
                out,
                "| {} {} | {} | {:.0} | {:.0} | {:.0} | {:.3} |",
                r.backend,
                short(r.posts),
                t.name,
                t.page,
                t.cached,
                t.bytes,
                t.cached / t.bytes.max(0.001)
            );
        }
    }
}

/// What counting costs: counting on against off.
fn counting(out: &mut String, a: &BenchArgs, runs: &[Run]) {
    let _ = writeln!(
        out,
        "\nWhat counting costs (issue 11): the visitor's community feed from a server that counts \
         page views and visitors and from one with `HC_COUNT_TRAFFIC=false` (both started fresh), same database, wrk \
         with a browser's user agent, after a second of warm-up on each, {} s × {COUNTING_ROUNDS} each, \
         taken in pairs whose order alternates. The machine's noise between two runs of the same \
         server is ±10 % here, so the goal is read on the median of the rounds' ratios (the means \
         are shown too). Goal: counting on ≥ 95 % of off.\n",
        a.seconds
    );
    let _ = writeln!(
        out,
        "| database | counting on req/s (mean) | counting off req/s (mean) | on / off (means) | on / off (median of rounds) |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for r in runs {
        if let Some((with, without, median)) = r.counting {
            let _ = writeln!(
                out,
                "| {} {} | {:.0} | {:.0} | {:.1} % | {:.1} % |",
                r.backend,
                short(r.posts),
                with,
                without,
                100.0 * with / without.max(0.001),
                100.0 * median
            );
        }
    }
}

/// The peak resident set of each run.
fn memory(out: &mut String, runs: &[Run]) {
    let _ = writeln!(
        out,
        "\nMemory: the peak resident set (VmHWM) after the run, the larger of the server that rendered every page and the one with the page cache on. Goal: ≤ 150 MB at the largest size.\n"
    );
    for r in runs {
        let _ = writeln!(
            out,
            "- {} {}: {}",
            r.backend,
            short(r.posts),
            r.rss_mb
                .map(|m| format!("{m:.0} MB"))
                .unwrap_or_else(|| "not read".into())
        );
    }
}

pub(super) fn short(n: u64) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n >= 1_000 && n.is_multiple_of(1_000) {
        format!("{}k", n / 1_000)
    } else {
        n.to_string()
    }
}

pub(super) fn time_now() -> String {
    app::analytics::types::day_label(app::db::now_ms().div_euclid(86_400_000))
}
