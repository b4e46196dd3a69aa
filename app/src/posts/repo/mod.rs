//! Server-only post storage: the visibility rule and the row shapes every read shares; feeds, threads, writing posts, replies and votes, and moderation live in the sub-modules.

use super::types::*;
use crate::access::{community_role, group_role, moderates_group, Role};
use crate::auth::types::{specialty_title, ClinicianStatus, CurrentUser, MemberKind};
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::markdown;
use crate::notifications as notify;
use crate::safety::trust::{screen, Screened, Writing};
use sqlx::any::AnyRow;
use sqlx::Row;

mod feed;
mod moderation;
mod replies;
mod thread;
mod write;

pub use feed::*;
pub use moderation::*;
pub use replies::*;
pub use thread::*;
pub use write::*;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

pub(crate) use crate::access::{listed, readable, Viewer};

/// Numbered parameters for SQL built from pieces (every parameter here is an integer).
#[derive(Default)]
pub struct Params(pub Vec<i64>);

impl Params {
    pub(crate) fn p(&mut self, value: i64) -> String {
        self.0.push(value);
        format!("${}", self.0.len())
    }
}

pub(crate) const SUMMARY: &str =
    "p.id, p.kind, p.visibility, p.title, p.excerpt, p.tags, p.reply_count, \
    p.answer_count, p.vote_count, p.accepted_reply_id, p.clinician_answered, p.created_at, \
    p.last_activity_at, p.pinned_at, CAST(LENGTH(p.body_md) AS BIGINT) AS body_len, c.slug AS community_slug, c.name AS community_name, \
    g.slug AS group_slug, g.name AS group_name, u.handle, u.avatar_id, p.anonymous, \
    u.kind AS author_kind, u.clinician_status, u.specialty, \
    CASE WHEN p.group_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM support_group_members fm \
      WHERE fm.group_id = p.group_id AND fm.user_id = p.author_id AND fm.status = 'active') \
      THEN 1 ELSE 0 END AS author_former"; // the `access::ACTIVE` rule, inline for a const
pub(crate) const FROM: &str =
    "FROM posts p JOIN communities c ON c.id = p.community_id JOIN users u ON u.id = p.author_id \
     LEFT JOIN support_groups g ON g.id = p.group_id";

/// "Verified neurologist" for a verified clinician.
pub fn badge(kind: &str, status: &str, specialty: Option<&str>) -> Option<String> {
    (kind == MemberKind::Clinician.as_str() && status == ClinicianStatus::Verified.as_str()).then(
        || {
            format!(
                "Verified {}",
                specialty
                    .map(specialty_title)
                    .unwrap_or_else(|| "clinician".into())
                    .to_lowercase()
            )
        },
    )
}

fn author(r: &AnyRow) -> Result<Author, sqlx::Error> {
    if r.try_get::<i64, _>("author_former")? != 0 {
        return Ok(Author {
            handle: String::new(),
            badge: None,
            former: true,
            erased: false,
            anonymous: false,
            avatar: None,
        });
    }
    let handle: String = r.try_get("handle")?;
    // Erased accounts are renamed `deleted-<id>`, which no sign-up can choose (no `-`).
    if handle.starts_with("deleted-") {
        return Ok(Author {
            handle: String::new(),
            badge: None,
            former: false,
            erased: true,
            anonymous: false,
            avatar: None,
        });
    }
    let kind: String = r.try_get("author_kind")?;
    let status: String = r.try_get("clinician_status")?;
    let specialty: Option<String> = r.try_get("specialty")?;
    Ok(Author {
        handle,
        badge: badge(&kind, &status, specialty.as_deref()),
        former: false,
        erased: false,
        anonymous: false,
        // Queries that list authors select `u.avatar_id`; one that does not shows initials.
        avatar: r.try_get::<Option<i64>, _>("avatar_id").ok().flatten(),
    })
}

/// "a member": an anonymous group post's author, for everyone but the group's moderators.
fn anonymous_author() -> Author {
    Author {
        handle: String::new(),
        badge: None,
        former: false,
        erased: false,
        anonymous: true,
        avatar: None,
    }
}

pub(crate) fn summary(r: &AnyRow, readable: bool) -> Result<PostSummary, AppError> {
    let kind = PostKind::parse(&r.try_get::<String, _>("kind")?).map_err(|_| AppError::Internal)?;
    let visibility = Visibility::parse(&r.try_get::<String, _>("visibility")?)
        .map_err(|_| AppError::Internal)?;
    let tags: String = r.try_get("tags")?;
    let excerpt: String = r.try_get("excerpt")?;
    // An outsider of a members-only post gets its title and a teaser (at most ~40% of the
    // text, never more than 250 characters), no tags, no author.
    let (excerpt, tags) = if readable {
        (
            excerpt,
            tags.split_whitespace().map(str::to_string).collect(),
        )
    } else {
        (teaser(&excerpt, r.try_get("body_len")?), Vec::new())
    };
    Ok(PostSummary {
        id: r.try_get("id")?,
        community_slug: r.try_get("community_slug")?,
        community_name: r.try_get("community_name")?,
        group: match r.try_get::<Option<String>, _>("group_slug")? {
            Some(slug) => Some((slug, r.try_get("group_name")?)),
            None => None,
        },
        pinned: r.try_get::<Option<i64>, _>("pinned_at")?.is_some(),
        kind,
        visibility,
        title: r.try_get("title")?,
        excerpt,
        // An anonymous group post names nobody in any list, search or feed.
        author: match (readable, r.try_get::<i64, _>("anonymous")? != 0) {
            (false, _) => None,
            (true, true) => Some(anonymous_author()),
            (true, false) => Some(author(r)?),
        },
        tags,
        reply_count: r.try_get("reply_count")?,
        answer_count: r.try_get("answer_count")?,
        vote_count: r.try_get("vote_count")?,
        accepted: r.try_get::<Option<i64>, _>("accepted_reply_id")?.is_some(),
        clinician_answered: r.try_get::<i64, _>("clinician_answered")? != 0,
        created_at: r.try_get("created_at")?,
        last_activity_at: r.try_get("last_activity_at")?,
    })
}

pub(crate) fn with_params<'q>(
    sql: &'q str,
    params: &[i64],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql);
    for v in params {
        q = q.bind(*v);
    }
    q
}
