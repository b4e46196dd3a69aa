//! Test harness: a real server on a random port with a fresh database per test, on SQLite or PostgreSQL.
#![allow(dead_code)]

use app::db::Db;
use app::error::AppError;
use healthcommunity::config::ServeArgs;
use reqwest::{header, Client, StatusCode};
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub db_url: String,
    pub client: Client,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Test settings: the defaults with generous limits (the rate-limit tests lower them).
/// The key that seals two-step keys in the tests' databases (every process of a test shares it).
pub const SECRET_KEY: &str = "5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1ed5ea1";

pub fn test_args() -> ServeArgs {
    ServeArgs {
        bind: "127.0.0.1:0".into(),
        public_url: None,
        allowed_origins: Vec::new(),
        trust_proxy: false,
        site_root: "target/site".into(),
        request_timeout: 15,
        render_retry_after: 8,
        count_traffic: true,
        // Many tests change the database directly and read the page again: the page cache's
        // own tests turn it on.
        page_cache_secs: 0,
        smtp_url: None,
        mail_dir: None,
        mail_from: "HealthCommunity <no-reply@localhost>".into(),
        digest_hour: 7,
        login_limit_per_ip: 1000,
        login_limit_per_account: 1000,
        signup_limit_per_ip: 1000,
        post_limit_per_hour: 1000,
        reply_limit_per_hour: 1000,
        vote_limit_per_hour: 1000,
        rating_limit_per_hour: 1000,
        report_limit_per_hour: 1000,
        contact_limit_per_hour: 1000,
        secret_key: Some(SECRET_KEY.into()),
        secret_key_file: None,
        secret_key_old: Vec::new(),
    }
}

/// A fresh database URL for this test, or `None` when PostgreSQL is not configured (outside CI).
/// Whether test process `pid` (from a test database's name, `hct_<pid>_…`) has ended.
fn ended(name: &str) -> bool {
    name.strip_prefix("hct_")
        .and_then(|rest| rest.split(['_', '.']).next())
        .and_then(|pid| pid.parse::<u32>().ok())
        .is_some_and(|pid| {
            pid != std::process::id() && !std::path::Path::new(&format!("/proc/{pid}")).exists()
        })
}

/// Removes the databases earlier test runs left behind (their processes have ended): a machine
/// that runs the suite every day would otherwise keep every test's database for ever.
async fn sweep_ended_runs(admin: Option<&Db>) {
    static SQLITE: std::sync::Once = std::sync::Once::new();
    SQLITE.call_once(|| {
        if let Ok(dir) = std::fs::read_dir(std::env::temp_dir()) {
            for entry in dir.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.starts_with("hct_") && ended(&name) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    });
    static POSTGRES: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    if let Some(admin) = admin {
        POSTGRES
            .get_or_init(|| async {
                let names: Vec<String> = sqlx::query_scalar(
                    "SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE 'hct\\_%'",
                )
                .fetch_all(&admin.pool)
                .await
                .unwrap_or_default();
                for name in names.into_iter().filter(|n| ended(n)) {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                        .execute(&admin.pool)
                        .await;
                }
            })
            .await;
    }
}

pub async fn fresh_database(backend: Backend) -> Option<String> {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!("hct_{}_{}_{}", std::process::id(), n, nanos);
    match backend {
        Backend::Sqlite => {
            sweep_ended_runs(None).await;
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Some(format!("sqlite://{}", path.display()))
        }
        Backend::Postgres => {
            let Ok(admin_url) = std::env::var("HC_TEST_POSTGRES_URL") else {
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!("CI must run the PostgreSQL tests: HC_TEST_POSTGRES_URL is not set");
                }
                eprintln!("!!! SKIPPED on PostgreSQL: HC_TEST_POSTGRES_URL is not set");
                return None;
            };
            let admin = Db::connect(&admin_url)
                .await
                .expect("connect to PostgreSQL");
            sweep_ended_runs(Some(&admin)).await;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.pool)
                .await
                .expect("create test database");
            admin.pool.close().await;
            let (base, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
            let base = &base[..base.rfind('/').expect("database URL has a path")];
            Some(if query.is_empty() {
                format!("{base}/{name}")
            } else {
                format!("{base}/{name}?{query}")
            })
        }
    }
}

/// Starts a server on a fresh database. `None` when the backend is skipped.
pub async fn spawn(backend: Backend) -> Option<TestApp> {
    spawn_with(backend, test_args()).await
}

pub async fn spawn_with(backend: Backend, args: ServeArgs) -> Option<TestApp> {
    let url = fresh_database(backend).await?;
    Some(spawn_on(&url, args).await)
}

/// Starts another server process-equivalent (own pool, own state) on an existing database.
pub async fn spawn_on(db_url: &str, args: ServeArgs) -> TestApp {
    let db = Db::connect(db_url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let state = healthcommunity::app_state(db.clone(), &args).expect("state");
    db.listen();
    let router = healthcommunity::router(state, &args);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(healthcommunity::run(
        listener,
        router,
        std::future::pending(),
    ));
    TestApp {
        base: format!("http://{addr}"),
        db,
        db_url: db_url.to_string(),
        client: new_client(),
    }
}

/// Runs the real binary: `serve` on a free port against `db_url` (with `env` added); killed when
/// dropped.
pub async fn serve_process(db_url: &str, env: &[(&str, &str)]) -> (tokio::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_healthcommunity"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .env("HC_SIGNUP_LIMIT_PER_IP", "1000")
        .env("HC_LOGIN_LIMIT_PER_IP", "1000")
        .env("HC_SECRET_KEY", SECRET_KEY)
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .spawn()
        .expect("start healthcommunity serve");
    let base = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/healthz")).await {
            if r.status() == 200 {
                return (child, base);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("serve on {base} did not start");
}

pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The answer of a server function: status, and either the JSON value or the `AppError`.
pub struct Reply {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn error(&self) -> AppError {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not an AppError ({e}): {} {}", self.status, self.body))
    }

    pub fn ok(&self) -> serde_json::Value {
        assert!(
            self.status.is_success(),
            "expected success, got {} {}",
            self.status,
            self.body
        );
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }
}

impl TestApp {
    /// Calls a server function the way the app does (form-encoded arguments, JSON answer).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.call_as(&self.client, endpoint, form).await
    }

    pub async fn call_as(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let res = client
            .post(format!("{}/api/{endpoint}", self.base))
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, &self.base)
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.text().await.expect("body");
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        self.get_as(&self.client, path).await
    }

    /// `path` as `client` reads it: the status and the page.
    pub async fn get_as(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let res = client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = res.status();
        (status, res.text().await.expect("body"))
    }

    /// The page at `path` as `client` reads it.
    pub async fn html_as(&self, client: &Client, path: &str) -> String {
        self.get_as(client, path).await.1
    }

    pub async fn signup(&self, handle: &str, password: &str) -> Reply {
        self.signup_as(&self.client, handle, password).await
    }

    pub async fn signup_as(&self, client: &Client, handle: &str, password: &str) -> Reply {
        self.signup_with(client, handle, password, &[]).await
    }

    /// Signs up a patient with the sign-up form's optional fields (`invite`, `digest`…).
    pub async fn signup_with(
        &self,
        client: &Client,
        handle: &str,
        password: &str,
        extra: &[(&str, &str)],
    ) -> Reply {
        let email = format!("{handle}@example.org");
        let mut form = vec![
            ("handle", handle),
            ("email", email.as_str()),
            ("password", password),
            ("kind", "patient"),
            ("consent", "yes"),
        ];
        form.extend_from_slice(extra);
        self.call_as(client, "signup", &form).await
    }

    pub async fn login(&self, client: &Client, identifier: &str, password: &str) -> Reply {
        self.call_as(
            client,
            "login",
            &[("identifier", identifier), ("password", password)],
        )
        .await
    }

    /// The handle of whoever `client` is logged in as.
    pub async fn whoami(&self, client: &Client) -> Option<String> {
        let v = self.call_as(client, "current_user", &[]).await.ok();
        v.get("handle").and_then(|h| h.as_str()).map(str::to_string)
    }

    /// Signs up `handle` in a fresh browser and joins "ms" (see `admin_with_community`).
    pub async fn member_of_ms(&self, handle: &str, password: &str) -> Client {
        let c = new_client();
        self.signup_as(&c, handle, password).await.ok();
        self.call_as(&c, "community/join", &[("slug", "ms")])
            .await
            .ok();
        c
    }

    /// Signs up `root_admin`, makes it an admin and creates the community "ms" (Multiple
    /// Sclerosis); returns the admin's client.
    pub async fn admin_with_community(&self) -> Client {
        let admin = new_client();
        self.signup_as(&admin, "root_admin", "correct-horse-1")
            .await
            .ok();
        self.make_admin("root_admin").await;
        self.call_as(
            &admin,
            "admin/save_community",
            &[
                ("current_slug", ""),
                ("slug", "ms"),
                ("name", "Multiple Sclerosis"),
                ("description", "Living with MS."),
                ("rules", ""),
                ("colour", "teal"),
            ],
        )
        .await
        .ok();
        admin
    }

    /// Signs up `gmod`, a moderator of "ms", who starts a private support group `name`; returns
    /// their client and the group's address.
    pub async fn private_group_by_gmod(&self, name: &str) -> (Client, String) {
        let gmod = new_client();
        self.signup_as(&gmod, "gmod", "correct-horse-1").await.ok();
        self.call_as(&gmod, "community/join", &[("slug", "ms")])
            .await
            .ok();
        sqlx::query("UPDATE community_members SET is_moderator = 1 WHERE user_id = (SELECT id FROM users WHERE handle = 'gmod')")
            .execute(&self.db.pool)
            .await
            .expect("community moderator");
        let slug = self
            .call_as(
                &gmod,
                "group/create",
                &[
                    ("community", "ms"),
                    ("name", name),
                    ("description", "For the people who care for us."),
                    ("kind", "private"),
                    ("question", "Whom do you care for?"),
                ],
            )
            .await
            .ok()
            .as_str()
            .expect("group address")
            .to_string();
        (gmod, slug)
    }

    /// Makes `handle` an admin directly in the database.
    /// The secret of the newest link to `path` ("/verify/", "/reset/") mailed to `to`.
    pub async fn mail_link(&self, to: &str, path: &str) -> Option<String> {
        let rows = sqlx::query("SELECT body FROM outbox WHERE to_addr = $1 ORDER BY id DESC")
            .bind(to)
            .fetch_all(&self.db.pool)
            .await
            .expect("outbox");
        rows.iter().find_map(|r| {
            let body: String = sqlx::Row::get(r, "body");
            body.split_whitespace()
                .find_map(|w| w.split_once(path).map(|(_, t)| t.to_string()))
        })
    }

    /// Confirms `{handle}@example.org` through the link the sign-up mailed to it.
    pub async fn verify_email(&self, handle: &str) {
        let token = self
            .mail_link(&format!("{handle}@example.org"), "/verify/")
            .await
            .unwrap_or_else(|| panic!("no verification link for {handle}"));
        self.call_as(&new_client(), "verify_email", &[("token", &token)])
            .await
            .ok();
    }

    pub async fn make_admin(&self, handle: &str) {
        sqlx::query("UPDATE users SET is_admin = 1 WHERE handle = $1")
            .bind(handle)
            .execute(&self.db.pool)
            .await
            .expect("make admin");
    }
}

/// Runs one async test body on SQLite and on PostgreSQL, as two test functions.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    if let Some(app) = $crate::common::spawn($crate::common::Backend::Sqlite).await {
                        super::$name(app).await;
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(app) = $crate::common::spawn($crate::common::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}
