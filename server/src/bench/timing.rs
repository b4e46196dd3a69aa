//! The benchmark's tools: plain HTTP/1.0 timing, `wrk` pinned to a core, the pinned server child and its memory.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline benchmark over the figures it measured itself; it never serves a request"
)]

use super::*;

/// A plain HTTP/1.0 exchange: the whole answer, read until the server closes.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) head: String,
    pub(super) body: Vec<u8>,
}

pub(super) async fn http(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    form: Option<&str>,
) -> Result<Answer, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let _ = s.set_nodelay(true);
    let mut req = format!("{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n");
    if let Some(c) = cookie {
        let _ = write!(req, "Cookie: {c}\r\n");
    }
    if let Some(f) = form {
        let _ = write!(
            req,
            "Origin: http://127.0.0.1:{port}\r\nAccept: application/json\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{f}",
            f.len()
        );
    } else {
        req.push_str("\r\n");
    }
    s.write_all(req.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut all = Vec::with_capacity(64 * 1024);
    s.read_to_end(&mut all)
        .await
        .map_err(|e| format!("read: {e}"))?;
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no header end")?;
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok(Answer {
        status,
        head,
        body: all[split + 4..].to_vec(),
    })
}

pub(super) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Times `n` requests (after two warm-ups); every answer must be `want`.
pub(super) async fn time_page(
    port: u16,
    path: &str,
    cookie: Option<&str>,
    n: usize,
) -> Result<(f64, f64), String> {
    let mut ms = Vec::with_capacity(n);
    for i in 0..n + 2 {
        let t = Instant::now();
        let a = http(port, "GET", path, cookie, None).await?;
        if a.status != 200 {
            return Err(format!("GET {path}: status {}", a.status));
        }
        if i >= 2 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    Ok((percentile(&ms, 0.5), percentile(&ms, 0.99)))
}

/// Times `n` server-function calls; `form(i)` gives the i-th call's arguments.
pub(super) async fn time_write(
    port: u16,
    endpoint: &str,
    cookie: &str,
    n: usize,
    form: impl Fn(usize) -> String,
) -> Result<(f64, f64), String> {
    let mut ms = Vec::with_capacity(n);
    for i in 0..n {
        let body = form(i);
        let t = Instant::now();
        let a = http(
            port,
            "POST",
            &format!("/api/{endpoint}"),
            Some(cookie),
            Some(&body),
        )
        .await?;
        if a.status != 200 {
            return Err(format!(
                "{endpoint}: status {}: {}",
                a.status,
                String::from_utf8_lossy(&a.body)
            ));
        }
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    ms.sort_by(|a, b| a.total_cmp(b));
    Ok((percentile(&ms, 0.5), percentile(&ms, 0.99)))
}

/// Replaces the benchmark's own site-wide watched words with `n` new ones (0: removes them).
pub(super) async fn watch_words(db: &Db, n: usize) -> Result<(), String> {
    let e = |e: sqlx::Error| e.to_string();
    let mut tx = db.pool.begin().await.map_err(e)?;
    sqlx::query("DELETE FROM watched_words WHERE phrase LIKE 'benchwatch%'")
        .execute(&mut *tx)
        .await
        .map_err(e)?;
    let now = app::db::now_ms();
    for chunk in (0..n).collect::<Vec<_>>().chunks(250) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| format!("(NULL, 'benchwatch{i} phrase', 'flag', NULL, {now})"))
            .collect();
        let sql = format!(
            "INSERT INTO watched_words (community_id, phrase, action, created_by, created_at) VALUES {}",
            values.join(", ")
        );
        sqlx::query(&sql).execute(&mut *tx).await.map_err(e)?;
    }
    tx.commit().await.map_err(e)
}

/// Rounds (a run with counting on and one with it off, in alternating order) of the counting
/// measurement.
pub(super) const COUNTING_ROUNDS: u32 = 6;

/// The user agent `wrk` sends: a browser's, so that the server counts the page views as a
/// person's (robots are not counted, and `wrk` sends no user agent of its own).
pub(super) const BROWSER: &str =
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0";

/// `wrk` against a path for `seconds`, pinned to core 1: requests per second.
pub(super) fn wrk(
    port: u16,
    path: &str,
    cookie: Option<&str>,
    seconds: u64,
) -> Result<f64, String> {
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", "1", "wrk", "-t1", "-c16"])
        .arg(format!("-d{seconds}s"))
        .args(["-H", BROWSER]);
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    cmd.arg(format!("http://127.0.0.1:{port}{path}"));
    let out = cmd
        .output()
        .map_err(|e| format!("wrk (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains("Non-2xx") {
        return Err(format!("wrk {path}: non-2xx answers\n{text}"));
    }
    text.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("wrk {path}: {text}"))
}

pub(super) fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A child process that is killed when dropped.
pub(super) struct Server(pub(super) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(super) fn spawn_pinned(
    args: &[&str],
    envs: &[(&str, &str)],
    log: &Path,
) -> Result<Server, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let log = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", "0"]).arg(exe).args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::null())
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    cmd.spawn()
        .map(Server)
        .map_err(|e| format!("starting the server: {e}"))
}

pub(super) async fn wait_up(port: u16, path: &str) -> Result<(), String> {
    for _ in 0..200 {
        if let Ok(a) = http(port, "GET", path, None, None).await {
            if a.status == 200 {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("nothing answered on port {port}"))
}

pub(super) fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}
