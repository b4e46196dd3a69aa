//! Server-only post storage: the visibility rule and the row shapes every read shares; feeds, threads, writing posts, replies and votes, and moderation live in the sub-modules.

use super::types::*;
use crate::access::{community_role, group_role, moderates_group, Role};
use crate::auth::types::{specialty_title, ClinicianStatus, CurrentUser, MemberKind};
use crate::db::{now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::{CommunityId, GroupId, PostId, ReplyId, UserId};
use crate::markdown;
use crate::notifications as notify;
use crate::safety::trust::{screen, Screened, Writing};
use sqlx::any::AnyRow;
use sqlx::FromRow;

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

use crate::db::Tx;

pub(crate) use crate::access::{listed, readable, Viewer};

/// Numbered parameters for SQL built from pieces (every parameter here is an integer).
#[derive(Default)]
pub struct Params(pub Vec<i64>);

impl Params {
    pub(crate) fn p(&mut self, value: impl Into<i64>) -> String {
        self.0.push(value.into());
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
/// `p.community_id + 0`: the posts lead and each finds its community by key. Over the bare
/// column SQLite may lead with the communities and read each one's posts through a community
/// index, then sort them all: a near tie in its costs that an unrelated new index tipped (the
/// landing's and a group's unanswered posts, in the plan test).
pub(crate) const FROM: &str =
    "FROM posts p JOIN communities c ON c.id = p.community_id + 0 JOIN users u ON u.id = p.author_id \
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

/// The author columns every list of posts or replies selects: `u.handle`, `u.avatar_id`,
/// `u.kind AS author_kind`, `u.clinician_status`, `u.specialty` and the computed `author_former`.
#[derive(sqlx::FromRow)]
pub(crate) struct AuthorRow {
    author_former: Flag,
    handle: String,
    author_kind: String,
    clinician_status: String,
    specialty: Option<String>,
    /// Queries that list authors select `u.avatar_id`; one that does not shows initials.
    #[sqlx(default)]
    avatar_id: Option<i64>,
}

impl AuthorRow {
    fn author(self) -> Author {
        let nobody = Author {
            handle: String::new(),
            badge: None,
            former: false,
            erased: false,
            anonymous: false,
            avatar: None,
        };
        if self.author_former.get() {
            return Author {
                former: true,
                ..nobody
            };
        }
        // Erased accounts are renamed `deleted-<id>`, which no sign-up can choose (no `-`).
        if self.handle.starts_with("deleted-") {
            return Author {
                erased: true,
                ..nobody
            };
        }
        Author {
            badge: badge(
                &self.author_kind,
                &self.clinician_status,
                self.specialty.as_deref(),
            ),
            handle: self.handle,
            avatar: self.avatar_id,
            ..nobody
        }
    }
}

fn author(r: &AnyRow) -> Result<Author, sqlx::Error> {
    Ok(AuthorRow::from_row(r)?.author())
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

/// The columns of [`SUMMARY`].
#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    id: i64,
    kind: String,
    visibility: String,
    title: String,
    excerpt: String,
    tags: String,
    reply_count: i64,
    answer_count: i64,
    vote_count: i64,
    accepted_reply_id: Option<i64>,
    clinician_answered: Flag,
    created_at: i64,
    last_activity_at: i64,
    pinned_at: Option<i64>,
    body_len: i64,
    community_slug: String,
    community_name: String,
    group_slug: Option<String>,
    group_name: Option<String>,
    anonymous: Flag,
    #[sqlx(flatten)]
    author: AuthorRow,
}

/// The visibility rule's answer selected `AS readable` beside a post.
#[derive(sqlx::FromRow)]
struct ReadableRow {
    readable: Flag,
}

/// A post in a list, from a row that selected [`SUMMARY`] and the visibility rule `AS readable`.
pub(crate) fn readable_summary(r: &AnyRow) -> Result<PostSummary, AppError> {
    summary(r, ReadableRow::from_row(r)?.readable.get())
}

/// A post in a list, from a row that selected [`SUMMARY`]; `readable` is whether the viewer
/// may read all of it.
pub(crate) fn summary(r: &AnyRow, readable: bool) -> Result<PostSummary, AppError> {
    let row = SummaryRow::from_row(r)?;
    let kind = PostKind::parse(&row.kind).map_err(|_| AppError::Internal)?;
    let visibility = Visibility::parse(&row.visibility).map_err(|_| AppError::Internal)?;
    // An outsider of a members-only post gets its title and a teaser (at most ~40% of the
    // text, never more than 250 characters), no tags, no author.
    let (excerpt, tags) = if readable {
        (
            row.excerpt,
            row.tags.split_whitespace().map(str::to_string).collect(),
        )
    } else {
        (teaser(&row.excerpt, row.body_len), Vec::new())
    };
    Ok(PostSummary {
        id: row.id,
        community_slug: row.community_slug,
        community_name: row.community_name,
        group: row.group_slug.zip(row.group_name),
        pinned: row.pinned_at.is_some(),
        kind,
        visibility,
        title: row.title,
        excerpt,
        // An anonymous group post names nobody in any list, search or feed.
        author: match (readable, row.anonymous.get()) {
            (false, _) => None,
            (true, true) => Some(anonymous_author()),
            (true, false) => Some(row.author.author()),
        },
        tags,
        reply_count: row.reply_count,
        answer_count: row.answer_count,
        vote_count: row.vote_count,
        accepted: row.accepted_reply_id.is_some(),
        clinician_answered: row.clinician_answered.get(),
        created_at: row.created_at,
        last_activity_at: row.last_activity_at,
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

/// [`with_params`] for typed rows: `sqlx::query_as` with every parameter bound.
pub(crate) fn rows_with_params<'q, T>(
    sql: &'q str,
    params: &[i64],
) -> sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments<'q>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow>,
{
    params.iter().fold(sqlx::query_as(sql), |q, v| q.bind(*v))
}
