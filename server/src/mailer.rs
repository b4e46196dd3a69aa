//! E-mail delivery and the mail jobs: sends the outbox through SMTP (`HC_SMTP_URL`) or, without it, writes each mail to the log; queues the daily digests.

use app::db::{now_ms, Db};
use app::error::AppError;
use app::mail::repo::{self, Delivery, Outgoing};
use app::state::AppState;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// `List-Unsubscribe: <link>` (RFC 2369): mail programs show their own "unsubscribe" button.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim_matches(['<', '>']).to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the button posts to the link.
#[derive(Clone)]
struct OneClick;

impl Header for OneClick {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".into())
    }
}

/// The opt-out link: every queued mail ends with it (see `app::mail::repo::queue`).
fn stop_link(body: &str) -> Option<&str> {
    body.split_whitespace()
        .last()
        .filter(|w| w.contains("/mail/stop/") && w.starts_with("http"))
}

/// Where mails go.
pub enum Mailer {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    /// No SMTP server: each mail is written to the log (and stays in the outbox table).
    Log,
    /// `HC_MAIL_DIR`: each mail becomes `<outbox id>.txt` in this folder (headers, blank line, text).
    Dir(std::path::PathBuf),
}

impl Mailer {
    /// SMTP when a URL is given, else the folder when one is given, else the log. A bad URL,
    /// sender or folder is an error at start-up.
    pub fn new(
        smtp_url: Option<&str>,
        dir: Option<&std::path::Path>,
        from: &str,
    ) -> Result<Self, String> {
        let Some(url) = smtp_url.filter(|u| !u.trim().is_empty()) else {
            return match dir.filter(|d| !d.as_os_str().is_empty()) {
                Some(dir) => {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| format!("HC_MAIL_DIR {}: {e}", dir.display()))?;
                    Ok(Mailer::Dir(dir.to_path_buf()))
                }
                None => Ok(Mailer::Log),
            };
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.trim())
            .map_err(|e| format!("HC_SMTP_URL is not usable: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build()
            .into();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("HC_MAIL_FROM {from:?} is not an address: {e}"))?;
        Ok(Mailer::Smtp { transport, from })
    }

    async fn send(&self, mail: &Outgoing) -> Delivery {
        match self {
            Mailer::Log => {
                // Never the address or the text: a digest names private groups' posts, and
                // logs travel further than the database.
                tracing::info!(
                    outbox_id = mail.id,
                    "e-mail queued without HC_SMTP_URL: kept in the outbox, not sent"
                );
                Delivery::Logged
            }
            Mailer::Dir(dir) => {
                let text = format!(
                    "To: {}\nSubject: {}\n\n{}",
                    mail.to, mail.subject, mail.body
                );
                // Written under a temporary name and renamed, so a reader never sees half a mail.
                let part = dir.join(format!("{}.part", mail.id));
                let done = dir.join(format!("{}.txt", mail.id));
                match tokio::fs::write(&part, text).await {
                    Ok(()) => match tokio::fs::rename(&part, &done).await {
                        Ok(()) => Delivery::Written,
                        Err(e) => Delivery::Failed(e.to_string()),
                    },
                    Err(e) => Delivery::Failed(e.to_string()),
                }
            }
            Mailer::Smtp { transport, from } => {
                let to = match mail.to.parse::<Mailbox>() {
                    Ok(to) => to,
                    Err(e) => return Delivery::Failed(format!("bad address: {e}")),
                };
                let mut builder = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.clone())
                    .header(ContentType::TEXT_PLAIN);
                if let Some(link) = stop_link(&mail.body) {
                    builder = builder
                        .header(ListUnsubscribe(link.to_string()))
                        .header(OneClick);
                }
                let message = builder.body(mail.body.clone());
                match message {
                    Ok(m) => match transport.send(m).await {
                        Ok(_) => Delivery::Sent,
                        Err(e) => Delivery::Failed(e.to_string()),
                    },
                    Err(e) => Delivery::Failed(e.to_string()),
                }
            }
        }
    }
}

/// Delivers every pending mail, in batches claimed so that several app processes never send
/// one mail twice. Returns how many were handed over (sent or logged).
pub async fn deliver_pending(db: &Db, mailer: &Mailer) -> Result<usize, AppError> {
    let mut delivered = 0;
    loop {
        let batch = repo::claim_pending(db, 20).await?;
        if batch.is_empty() {
            return Ok(delivered);
        }
        for mail in &batch {
            let outcome = mailer.send(mail).await;
            match &outcome {
                Delivery::Failed(e) => {
                    tracing::warn!(outbox_id = mail.id, error = %e, "e-mail not delivered; will retry")
                }
                _ => delivered += 1,
            }
            repo::record_delivery(db, mail.id, outcome).await?;
        }
    }
}

/// Whether the day's digests may go out at `now` (ms since the epoch): from `digest_hour` UTC on.
pub fn digests_due(now: i64, digest_hour: u32) -> bool {
    let hour = (now.rem_euclid(86_400_000) / 3_600_000) as u32;
    hour >= digest_hour
}

/// Runs the mail jobs: delivery every few seconds, the e-mails at once every 10 seconds, and
/// from `digest_hour` (UTC) on, the day's digests (each member's day is claimed once, whichever
/// process gets there first).
pub fn spawn_mail_jobs(state: AppState, mailer: Arc<Mailer>, digest_hour: u32) {
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = deliver_pending(&db, &mailer).await {
                tracing::warn!(error = %e, "e-mail delivery failed");
            }
        }
    });
    let notices = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match repo::send_notices(&notices.db, &notices.settings.public_url, now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(mails = n, "e-mails at once"),
                Err(e) => tracing::warn!(error = %e, "e-mails at once failed"),
            }
        }
    });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let now = now_ms();
            if !digests_due(now, digest_hour) {
                continue;
            }
            match repo::run_digests(&state.db, &state.settings.public_url, now).await {
                Ok(run) if run.claimed > 0 => {
                    tracing::info!(members = run.claimed, queued = run.queued, "daily digests")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "daily digests failed"),
            }
        }
    });
}
