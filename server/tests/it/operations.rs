//! The README's promises to whoever runs the site, each tested: compressed responses, the event stream (never compressed, outlives the request timeout, keep-alive every 20 s, `X-Accel-Buffering: no`), the 408 request timeout, SIGTERM finishing requests in flight, the binary's `migrate`, `seed --demo` and `create-admin`, and where the key that seals two-step keys comes from.

use crate::common::{
    fresh_database, new_client, serve_process, spawn, spawn_on, test_args, Backend, TestApp,
};
use reqwest::header;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const PW: &str = "correct-horse-1";

/// Pages are compressed with what the browser accepts; the event stream never is (a compressor
/// would hold its events back), and it asks proxies not to buffer it either.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_are_compressed_and_the_event_stream_is_not() {
    let app = spawn(Backend::Sqlite).await.expect("sqlite");
    app.signup("zoe_z", PW).await.ok();
    for (accept, expected) in [
        ("br", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let res = app
            .client
            .get(format!("{}/about", app.base))
            .header(header::ACCEPT_ENCODING, accept)
            .send()
            .await
            .expect("page");
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()
                .get(header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok()),
            expected,
            "Accept-Encoding: {accept}"
        );
    }
    let res = app
        .client
        .get(format!("{}/events", app.base))
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .send()
        .await
        .expect("events");
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h[header::CONTENT_TYPE], "text/event-stream");
    assert!(h.get(header::CONTENT_ENCODING).is_none(), "{h:?}");
    assert_eq!(h["x-accel-buffering"], "no");
    assert_eq!(h[header::CACHE_CONTROL], "no-cache");
}

/// Sends a request whose body never finishes arriving; returns the socket.
async fn stalled_post(addr: &str, body: &str, sent: usize) -> tokio::net::TcpStream {
    let mut sock = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    sock.write_all(head.as_bytes()).await.expect("head");
    sock.write_all(&body.as_bytes()[..sent])
        .await
        .expect("part");
    sock
}

async fn read_all(sock: &mut tokio::net::TcpStream) -> String {
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), sock.read_to_end(&mut out))
        .await
        .expect("an answer in time")
        .expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

/// A request slower than HC_REQUEST_TIMEOUT gets 408; an event stream on the same server lives
/// on past it, still carries events, and sends a keep-alive comment within 20 s of quiet.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_request_timeout_cuts_requests_but_not_the_event_stream() {
    let url = fresh_database(Backend::Sqlite).await.expect("sqlite");
    // Set-up through a server with the usual timeout; the server under test has a 1 s one.
    let app = spawn_on(&url, test_args()).await;
    let mut args = test_args();
    args.request_timeout = 1;
    let quick = spawn_on(&url, args).await;
    let alice = new_client();
    app.signup_as(&alice, "alice_t", PW).await.ok();

    // 408: the body never completes.
    let addr = quick.base.trim_start_matches("http://").to_string();
    let started = Instant::now();
    let mut sock = stalled_post(&addr, "identifier=alice_t&password=x", 5).await;
    let answer = read_all(&mut sock).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() >= Duration::from_secs(1));

    // The stream: first event at once, then one after the timeout has long passed.
    let mut res = alice
        .get(format!("{}/events", quick.base))
        .send()
        .await
        .expect("events");
    assert_eq!(res.status(), 200);
    let mut buf = String::new();
    let (event, _) = crate::notifications::next_event(&mut res, &mut buf)
        .await
        .expect("first event");
    assert_eq!(event, "unread");
    tokio::time::sleep(Duration::from_millis(2500)).await;
    // A change made through the same server (its hub) wakes the stream.
    quick.call_as(&alice, "notifications/read", &[]).await.ok();
    let (event, data) = crate::notifications::next_event(&mut res, &mut buf)
        .await
        .expect("an event after the request timeout: the stream was not cut");
    assert_eq!(
        (event.as_str(), data["notifications"].as_i64()),
        ("unread", Some(0))
    );

    // Quiet from here: the keep-alive comment comes within 20 s (25 allowed for a busy machine).
    let quiet = Instant::now();
    let comment = loop {
        let left = Duration::from_secs(25).saturating_sub(quiet.elapsed());
        let chunk = tokio::time::timeout(left, res.chunk())
            .await
            .expect("a keep-alive comment within 25 s")
            .expect("stream")
            .expect("the stream is still open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(line) = buf.lines().find(|l| l.starts_with(':')) {
            break line.to_string();
        }
    };
    assert!(
        quiet.elapsed() >= Duration::from_secs(15),
        "the comment came after {:?} ({comment:?}): sooner than the 20 s interval",
        quiet.elapsed()
    );
}

/// SIGTERM: the server stops taking connections, finishes the request it is reading, and exits
/// cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_finishes_requests_in_flight() {
    let url = fresh_database(Backend::Sqlite).await.expect("sqlite");
    let (mut child, base) = serve_process(&url, &[]).await;
    let addr = base.trim_start_matches("http://").to_string();
    let body = "identifier=nobody_here&password=wrong-password";
    let mut sock = stalled_post(&addr, body, 10).await;
    // Give the server time to read the head and start on the request.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let pid = child.id().expect("pid").to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Still running: the request in flight holds the shutdown.
    assert!(child.try_wait().expect("try_wait").is_none());
    sock.write_all(&body.as_bytes()[10..])
        .await
        .expect("the rest of the body");
    let answer = read_all(&mut sock).await;
    assert!(answer.starts_with("HTTP/1.1 422"), "{answer}");
    assert!(answer.contains("InvalidCredentials"), "{answer}");
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("exits after its last request")
        .expect("wait");
    assert!(status.success(), "{status:?}");
    assert!(
        tokio::net::TcpStream::connect(&addr).await.is_err(),
        "nobody listens any more"
    );
}

fn run_binary(url: &str, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthcommunity"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .env_remove("HC_ADMIN_PASSWORD")
        .env("HC_SECRET_KEY", crate::common::SECRET_KEY)
        .envs(env.iter().copied())
        .output()
        .expect("run healthcommunity");
    assert!(
        out.status.success(),
        "healthcommunity {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.db.pool)
        .await
        .expect("count")
}

/// `migrate`, `seed --demo` (twice: nothing doubles) and `create-admin` with HC_ADMIN_PASSWORD
/// and with a printed random password, as the built binary runs them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_binary_migrates_seeds_and_creates_admins() {
    let url = fresh_database(Backend::Sqlite).await.expect("sqlite");
    run_binary(&url, &["migrate"], &[]);
    let db = app::db::Db::connect(&url).await.expect("connect");
    let applied: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM _sqlx_migrations")
        .fetch_one(&db.pool)
        .await
        .expect("migrations table");
    assert!(applied > 20, "{applied} migrations");
    let users: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(&db.pool)
        .await
        .expect("users");
    assert_eq!(users, 0);
    db.pool.close().await;

    run_binary(&url, &["seed", "--demo"], &[]);
    run_binary(&url, &["seed", "--demo"], &[]);
    let app = spawn_on(&url, test_args()).await;
    assert_eq!(
        count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await,
        12
    );
    let c = new_client();
    app.login(&c, "maria_ms", "demo-password-2026").await.ok();
    assert_eq!(app.whoami(&c).await.as_deref(), Some("maria_ms"));

    // With HC_ADMIN_PASSWORD: that password.
    run_binary(
        &url,
        &[
            "create-admin",
            "--email",
            "ops@example.org",
            "--handle",
            "ops_admin",
        ],
        &[("HC_ADMIN_PASSWORD", "a-long-admin-password")],
    );
    let c = new_client();
    app.login(&c, "ops_admin", "a-long-admin-password")
        .await
        .ok();
    let me = app.call_as(&c, "current_user", &[]).await.ok();
    assert_eq!(me["is_admin"], true, "{me}");

    // Without: a random one, printed once.
    let out = run_binary(
        &url,
        &[
            "create-admin",
            "--email",
            "night@example.org",
            "--handle",
            "night_admin",
        ],
        &[],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let password = stdout
        .split("with password: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .map(str::trim)
        .unwrap_or_else(|| panic!("no password printed: {stdout}"));
    assert!(password.len() >= 16, "{password}");
    let c = new_client();
    app.login(&c, "night_admin", password).await.ok();
    let me = app.call_as(&c, "current_user", &[]).await.ok();
    assert_eq!(me["is_admin"], true, "{me}");
    // A wrong password is still wrong (the printed one is the account's, not any).
    assert_eq!(
        app.login(&new_client(), "night_admin", "not-the-password")
            .await
            .status,
        422
    );
}

/// The key that seals two-step keys: HC_SECRET_KEY when given (64 hex digits, else a clear
/// error); on SQLite without it a key file beside the database, made once, readable by its owner
/// only, and the same key on the next start; old keys (HC_SECRET_KEY_OLD) open what they
/// sealed; PostgreSQL refuses to start without it (its app processes must share one).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_secret_key_is_the_operators_or_made_beside_the_sqlite_database() {
    use app::auth::sealed::Column;
    use app::ids::UserId;
    use healthcommunity::secret_key::{beside, load};
    let url = fresh_database(Backend::Sqlite).await.expect("sqlite");
    let db = app::db::Db::connect(&url).await.expect("connect");
    let mut args = test_args();
    args.secret_key = None;
    let file = beside(db.sqlite_file().expect("a file"));
    assert!(!file.exists());
    let first = load(&db, &args).expect("a key made");
    let text = std::fs::read_to_string(&file).expect("the key file");
    assert_eq!(text.trim().len(), 64, "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let sealed = first
        .seal(UserId(1), Column::TotpSecret, "JBSWY3DPEHPK3PXP")
        .expect("sealed");
    let again = load(&db, &args).expect("the same key read");
    assert_eq!(
        again
            .open(UserId(1), Column::TotpSecret, &sealed)
            .as_deref(),
        Some("JBSWY3DPEHPK3PXP")
    );
    assert_eq!(
        std::fs::read_to_string(&file).ok().as_deref(),
        Some(text.as_str())
    );
    let _ = std::fs::remove_file(&file);

    // Given, it wins; malformed, it is refused with what it must be.
    args.secret_key = Some("ab".repeat(32));
    let given = load(&db, &args).expect("the given key");
    assert!(!file.exists());
    assert_eq!(given.open(UserId(1), Column::TotpSecret, &sealed), None);
    args.secret_key = Some("not-a-key".into());
    let err = load(&db, &args).expect_err("refused");
    assert!(err.contains("64 hexadecimal digits"), "{err}");
    // Old keys, while the key changes: they open what they sealed; malformed, refused.
    args.secret_key_old = vec![text.trim().to_string()];
    args.secret_key = Some("ab".repeat(32));
    let changing = load(&db, &args).expect("the key and an old one");
    assert_eq!(
        changing
            .open(UserId(1), Column::TotpSecret, &sealed)
            .as_deref(),
        Some("JBSWY3DPEHPK3PXP")
    );
    args.secret_key_old = vec!["12".into()];
    let err = load(&db, &args).expect_err("refused");
    assert!(err.contains("HC_SECRET_KEY_OLD"), "{err}");
    args.secret_key_old = Vec::new();

    if let Some(pg) = fresh_database(Backend::Postgres).await {
        let db = app::db::Db::connect(&pg).await.expect("connect");
        args.secret_key = None;
        let err = load(&db, &args).expect_err("PostgreSQL needs the key");
        assert!(
            err.contains("HC_SECRET_KEY") && err.contains("every app process"),
            "{err}"
        );
        args.secret_key_file = Some(std::env::temp_dir().join("hc-no-such-key-file"));
        let err = load(&db, &args).expect_err("an absent key file is not made on PostgreSQL");
        assert!(err.contains("does not exist"), "{err}");
        args.secret_key = Some("cd".repeat(32));
        assert!(load(&db, &args).is_ok());
    }
}

/// A site folder with the three assets (`wasm` as given), as a build writes it.
fn site(tag: &str, wasm: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hc_site_{}_{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pkg")).expect("pkg");
    let js = "export default async function init() { return 1; }\n".repeat(300);
    let css = "body { color: #222; background: #fff; }\n".repeat(300);
    std::fs::write(dir.join("pkg/healthcommunity.js"), js).expect("js");
    std::fs::write(dir.join("pkg/healthcommunity.wasm"), wasm).expect("wasm");
    std::fs::write(dir.join("pkg/healthcommunity.css"), css).expect("css");
    dir
}

async fn fetch(base: &str, path: &str, accept: &str) -> (u16, header::HeaderMap, Vec<u8>) {
    let res = new_client()
        .get(format!("{base}{path}"))
        .header(header::ACCEPT_ENCODING, accept)
        .send()
        .await
        .expect("request");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.expect("body").to_vec())
}

fn brotli_decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &bytes[..], &mut out).expect("brotli");
    out
}

/// The assets' address carries a hash of their bytes; the brotli and gzip copies written at
/// build time are sent as they are and cached for a year; a second build's server names new
/// addresses and refuses the old ones (a new page never meets an old wasm); a stale copy is never
/// sent; pages are revalidated on every visit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn assets_are_versioned_precompressed_and_cached() {
    use healthcommunity::assets::{precompress, version, IMMUTABLE};
    let wasm1: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let first = site("one", &wasm1);
    let sizes = precompress(&first).expect("precompress");
    assert_eq!(sizes.len(), 3);
    // The first-load budget counts the wasm's and the JS's brotli bytes, not the CSS's.
    let script: usize = sizes
        .iter()
        .filter(|(f, ..)| !f.ends_with(".css"))
        .map(|s| s.2)
        .sum();
    assert!(healthcommunity::assets::check_script_budget(&first, &sizes, Some(script)).is_ok());
    let over = healthcommunity::assets::check_script_budget(&first, &sizes, Some(script - 1))
        .expect_err("one byte over the budget");
    assert!(over.contains("over the budget"), "{over}");
    assert!(healthcommunity::assets::check_script_budget(&first, &sizes, None).is_ok());
    let v1 = version(&first);
    let url = fresh_database(Backend::Sqlite).await.expect("sqlite");
    let mut args = test_args();
    args.site_root = first.display().to_string();
    let one = spawn_on(&url, args).await;

    // The page names the versioned addresses only, and is revalidated. (A page a visitor gets
    // whole: the landing page is served to one as islands.)
    let (status, headers, html) = fetch(&one.base, "/about", "identity").await;
    assert_eq!(status, 200);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let html = String::from_utf8(html).expect("utf-8");
    // (A test build names the wasm `healthcommunity_bg.wasm`; cargo-leptos's release build
    // `healthcommunity.wasm`, which the Playwright tests load.)
    for file in [
        "healthcommunity.js",
        "healthcommunity_bg.wasm",
        "healthcommunity.css",
    ] {
        assert!(
            html.contains(&format!("/assets/{v1}/pkg/{file}")),
            "{file} in {html}"
        );
    }
    assert!(!html.contains("\"/pkg/"), "{html}");

    // The copies from the build, as they are, cached for a year.
    let wasm_path = format!("/assets/{v1}/pkg/healthcommunity.wasm");
    let on_disk_br = std::fs::read(first.join("pkg/healthcommunity.wasm.br")).expect(".br");
    let (status, headers, body) = fetch(&one.base, &wasm_path, "gzip, deflate, br").await;
    assert_eq!(status, 200);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(headers[header::CACHE_CONTROL], IMMUTABLE);
    assert_eq!(
        body, on_disk_br,
        "the build's copy, not a fresh compression"
    );
    assert_eq!(brotli_decoded(&body), wasm1);
    assert!(body.len() * 10 < wasm1.len(), "{} bytes", body.len());
    let (_, headers, body) = fetch(&one.base, &wasm_path, "gzip").await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(
        body,
        std::fs::read(first.join("pkg/healthcommunity.wasm.gz")).expect(".gz")
    );
    let (_, headers, body) = fetch(&one.base, &wasm_path, "identity").await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, wasm1);
    // A file the build did not write is 404 and not cached.
    let (status, headers, _) = fetch(&one.base, &format!("/assets/{v1}/pkg/other.js"), "br").await;
    assert_eq!(status, 404);
    assert_ne!(
        headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some(IMMUTABLE)
    );

    // The next build (one byte of the wasm changed), served by a new process: new addresses,
    // and the old version is not answered with the new bytes.
    let mut wasm2 = wasm1.clone();
    wasm2[1000] ^= 0xff;
    let second = site("two", &wasm2);
    precompress(&second).expect("precompress");
    let v2 = version(&second);
    assert_ne!(v1, v2);
    let mut args = test_args();
    args.site_root = second.display().to_string();
    let two = spawn_on(&url, args).await;
    let (_, _, html) = fetch(&two.base, "/about", "identity").await;
    let html = String::from_utf8(html).expect("utf-8");
    assert!(html.contains(&format!("/assets/{v2}/pkg/healthcommunity_bg.wasm")));
    assert!(!html.contains(&v1));
    assert_eq!(fetch(&two.base, &wasm_path, "br").await.0, 404);
    let (status, _, body) = fetch(
        &two.base,
        &format!("/assets/{v2}/pkg/healthcommunity.wasm"),
        "br",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(brotli_decoded(&body), wasm2);

    // Copies older than the files (a build without `precompress`): never sent.
    let third = site("three", &wasm1);
    precompress(&third).expect("precompress");
    std::fs::write(third.join("pkg/healthcommunity.wasm"), &wasm2).expect("rebuild");
    let v3 = version(&third);
    let mut args = test_args();
    args.site_root = third.display().to_string();
    let three = spawn_on(&url, args).await;
    let (status, headers, body) = fetch(
        &three.base,
        &format!("/assets/{v3}/pkg/healthcommunity.wasm"),
        "br",
    )
    .await;
    assert_eq!(status, 200);
    let decoded = match headers.get(header::CONTENT_ENCODING) {
        Some(_) => brotli_decoded(&body),
        None => body,
    };
    assert_eq!(decoded, wasm2, "the current bytes, not the stale copy's");
    for dir in [first, second, third] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Splits a chunks response into its files: (name, bytes) in order.
fn unbundle(mut body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    while !body.is_empty() {
        let name_len = u16::from_le_bytes([body[0], body[1]]) as usize;
        let name = String::from_utf8(body[2..2 + name_len].to_vec()).expect("name");
        body = &body[2 + name_len..];
        let len = u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize;
        files.push((name, body[4..4 + len].to_vec()));
        body = &body[4 + len..];
    }
    files
}

/// A split build (what `cargo leptos build --split` writes, in small): `precompress` teaches the
/// chunks' loader to ask for a page's chunks in one request and writes each page's bundle; the
/// first-load budget counts the main script and the page's bundle; the server answers a bundle
/// from the build's copy or puts another set together, refuses bad sets, and names the page's
/// bundle in the page's `Link` header.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_split_build_sends_each_pages_chunks_in_one_request() {
    use healthcommunity::assets::{check_script_budget, first_load_script, precompress, version};
    let main: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let dir = site("split", &main);
    let pkg = dir.join("pkg");
    let chunk = |n: u32| -> Vec<u8> { (0..3_000u32).map(|i| ((i * n) % 256) as u8).collect() };
    for n in [1, 2, 3, 7] {
        std::fs::write(pkg.join(format!("chunk_{n}.wasm")), chunk(n)).expect("chunk");
    }
    let routes = [
        "home",
        "community",
        "post",
        "article",
        "directory",
        "provider",
    ];
    let mut manifest = serde_json::Map::new();
    for (i, route) in routes.iter().enumerate() {
        let split = format!("__{route}_route_view_99");
        std::fs::write(
            pkg.join(format!("split_{split}.wasm")),
            chunk(10 + i as u32),
        )
        .expect("split");
        let mut files = vec!["chunk_1", "chunk_2", "chunk_3"];
        if *route == "post" {
            files.push("chunk_7");
        }
        let mut files: Vec<String> = files.into_iter().map(String::from).collect();
        files.push(format!("split_{split}"));
        manifest.insert(split, serde_json::json!(files));
    }
    std::fs::write(
        pkg.join("__wasm_split_manifest.json"),
        serde_json::Value::Object(manifest).to_string(),
    )
    .expect("manifest");
    // The loader as the split writes it: one `makeLoad` per file.
    let loader = "/* __home_route_view_99, __post_route_view_99 */\nconst a = makeLoad(() => {\n    const src = fetch(new URL(\"./chunk_1.wasm\", import.meta.url));\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n, []);\nconst b = makeLoad(() => {\n    const src = fetch(new URL(\"./split___post_route_view_99.wasm\", import.meta.url));\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}\n, [a]);\n";
    let loader_path = pkg.join("__wasm_split.______________________.js");
    std::fs::write(&loader_path, loader).expect("loader");

    let sizes = precompress(&dir).expect("precompress");
    // Each file loads through the batch (one `__hcLoad` each); a second run leaves it as it is.
    let rewritten = std::fs::read_to_string(&loader_path).expect("loader");
    assert!(
        rewritten.contains("const a = __hcLoad(\"chunk_1\", []);"),
        "{rewritten}"
    );
    assert!(
        rewritten.contains("const b = __hcLoad(\"split___post_route_view_99\", [a]);"),
        "{rewritten}"
    );
    assert!(!rewritten.contains("fetch(new URL(\"./"), "{rewritten}");
    assert!(!rewritten.contains("instantiateStreaming"), "{rewritten}");
    // The generator's comments (which pages use each chunk) are gone; the code is not.
    assert!(
        !rewritten.contains("/* __home_route_view_99"),
        "{rewritten}"
    );
    assert!(rewritten.contains("const a = __hcLoad("), "{rewritten}");
    precompress(&dir).expect("again");
    assert_eq!(
        std::fs::read_to_string(&loader_path).expect("loader"),
        rewritten
    );
    // Chunks are only sent in bundles: no copies of their own.
    assert!(!pkg.join("chunk_1.wasm.br").exists());
    assert!(sizes.iter().all(|(name, ..)| !name.starts_with("chunk_")));

    // A library article is served as islands: without the islands' wasm the budget cannot be
    // counted, and says what is missing.
    let missing = first_load_script(&dir, &sizes).expect_err("no islands wasm");
    assert!(missing.contains("islands.wasm"), "{missing}");
    // A module as the islands' build links it: a type section, then the `linking` custom
    // section the split's flags leave, which `precompress` drops before compressing.
    let module = |sections: &[&[u8]]| -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        for section in sections {
            wasm.extend_from_slice(section);
        }
        wasm
    };
    let types: &[u8] = &[1, 4, 1, 0x60, 0, 0];
    let mut linking = vec![0, 108, 7];
    linking.extend_from_slice(b"linking");
    linking.extend_from_slice(&[2; 100]);
    std::fs::write(pkg.join("islands.wasm"), module(&[types, &linking])).expect("islands wasm");
    std::fs::write(pkg.join("islands.js"), "export function hydrate() {}\n").expect("islands js");
    let sizes = precompress(&dir).expect("with islands");
    assert_eq!(
        std::fs::read(pkg.join("islands.wasm")).expect("read"),
        module(&[types]),
        "the link sections are dropped"
    );

    // The budget: per page, the main script plus that page's bundle; the thread's is the largest.
    // The article and the directory load the islands' wasm and glue alone; the landing page, a
    // feed, a thread and a provider's page too for a visitor, and the app for a member.
    let script = first_load_script(&dir, &sizes).expect("first load");
    assert_eq!(script.len(), 10, "{script:?}");
    let brotli_of = |name: &str| sizes.iter().find(|s| s.0 == name).map(|s| s.2).expect(name);
    let islands_script = brotli_of("islands.wasm") + brotli_of("islands.js");
    let of_page = |page: &str| script.iter().find(|(p, _)| p == page).expect(page).1;
    for page in ["library article", "directory"] {
        assert_eq!(of_page(page), islands_script, "{page}: {script:?}");
    }
    let main_script: usize = sizes
        .iter()
        .filter(|(f, ..)| !f.ends_with(".css") && !f.starts_with("islands."))
        .map(|s| s.2)
        .sum();
    assert!(islands_script < main_script, "{script:?}");
    for page in ["landing", "community feed", "thread", "provider"] {
        let visitor = of_page(&format!("{page}, a visitor (islands)"));
        assert_eq!(visitor, islands_script, "{page}: {script:?}");
        assert!(
            of_page(&format!("{page}, a member")) > main_script,
            "{page}: {script:?}"
        );
    }
    let thread = of_page("thread, a member");
    let landing = of_page("landing, a member");
    assert!(thread > landing, "{script:?}");
    assert!(check_script_budget(&dir, &sizes, Some(thread)).is_ok());
    let over = check_script_budget(&dir, &sizes, Some(thread - 1)).expect_err("over");
    assert!(over.contains("thread"), "{over}");

    let v = version(&dir);
    let url = fresh_database(Backend::Sqlite).await.expect("sqlite");
    let mut args = test_args();
    args.site_root = dir.display().to_string();
    let app = spawn_on(&url, args).await;

    // A visitor's landing page is served as islands: the islands' script, no chunk named.
    let (status, headers, body) = fetch(&app.base, "/", "identity").await;
    assert_eq!(status, 200);
    let html = String::from_utf8_lossy(&body);
    assert!(html.contains("/pkg/islands.js"), "{html}");
    assert!(!html.contains("/pkg/healthcommunity.js"), "{html}");
    assert!(headers.get("server-timing").is_none(), "{headers:?}");

    // A member's (a request with a session cookie) is the app's: the page names its bundle in a
    // Server-Timing entry the loader reads (the loader's fetch of it matches this query), and
    // preloads the loader in its Link header.
    let res = new_client()
        .get(format!("{}/", app.base))
        .header(header::ACCEPT_ENCODING, "identity")
        .header(
            header::COOKIE,
            format!("{}=a-session", app::auth::session::COOKIE),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 200);
    let headers = res.headers().clone();
    let html = res.text().await.expect("body");
    assert!(html.contains("/pkg/healthcommunity.js"), "{html}");
    let timing = headers["server-timing"].to_str().expect("timing");
    assert_eq!(timing, "hc-chunks;desc=\"c=1-3&s=__home_route_view_99\"");
    let bundle = format!("/assets/{v}/pkg/chunks?c=1-3&s=__home_route_view_99");
    let link = headers[header::LINK].to_str().expect("link").to_string();
    assert!(
        !link.contains("chunks?"),
        "no preload of the bundle: {link}"
    );
    assert!(
        link.contains("__wasm_split.______________________.js>; rel=modulepreload"),
        "{link}"
    );

    // That bundle: the build's brotli copy, cached for a year; its files in order.
    let (status, headers, body) = fetch(&app.base, &bundle, "gzip, br").await;
    assert_eq!(status, 200);
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    assert_eq!(
        headers[header::CACHE_CONTROL],
        healthcommunity::assets::IMMUTABLE
    );
    let files = unbundle(&brotli_decoded(&body));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "chunk_1",
            "chunk_2",
            "chunk_3",
            "split___home_route_view_99"
        ]
    );
    assert_eq!(files[1].1, chunk(2));
    // Without compression, and another set (what routing to a thread still lacks): put
    // together now, the same format.
    let (status, _, body) = fetch(
        &app.base,
        &format!("/assets/{v}/pkg/chunks?c=7&s=__post_route_view_99"),
        "identity",
    )
    .await;
    assert_eq!(status, 200);
    let files = unbundle(&body);
    assert_eq!(files.len(), 2);
    assert_eq!(files[0], ("chunk_7".to_string(), chunk(7)));
    // Bad sets: a file that does not exist, a name that reaches out, a range too long, nothing.
    for (query, want) in [
        ("c=9", 404),
        ("s=..%2Fsecret", 400),
        ("c=1-999999", 400),
        ("c=&s=", 400),
    ] {
        let (status, ..) = fetch(&app.base, &format!("/assets/{v}/pkg/chunks?{query}"), "br").await;
        assert_eq!(status, want, "{query}");
    }

    // Islands that outgrow issue 16's budget fail the build, whatever FIRST_LOAD_BUDGET says:
    // a module with 260 KB that brotli cannot shrink.
    let mut noise = Vec::with_capacity(260_000);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while noise.len() < 260_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.extend_from_slice(&x.to_le_bytes());
    }
    // A custom section ("n") of that size: id 0, the size as LEB128, the name, the bytes.
    let mut custom = vec![0u8];
    let mut size = noise.len() + 2;
    while size >= 0x80 {
        custom.push((size as u8 & 0x7f) | 0x80);
        size >>= 7;
    }
    custom.push(size as u8);
    custom.extend_from_slice(&[1, b'n']);
    custom.extend_from_slice(&noise);
    std::fs::write(pkg.join("islands.wasm"), module(&[types, &custom])).expect("big islands");
    let sizes = precompress(&dir).expect("big islands");
    let over = check_script_budget(&dir, &sizes, None).expect_err("islands over budget");
    assert!(over.contains("islands"), "{over}");
    let _ = std::fs::remove_dir_all(dir);
}
