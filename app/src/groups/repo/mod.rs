//! Server-only support group storage: the facts every check reads, listing, a group's page and creating groups (counts in the same transaction); joining and leaving, and the moderators' decisions, live in the sub-modules.

use super::types::*;
use crate::access::{listed, readable, Viewer};
use crate::auth::types::CurrentUser;
use crate::db::{is_unique_violation, now_ms, Db};
use crate::error::AppError;
use crate::ids::{GroupId, UserId};
use crate::notifications as notify;
use crate::posts::repo::{summary, Params, FROM, SUMMARY};

mod membership;
mod moderation;

pub use membership::*;
pub use moderation::*;

use crate::db::Tx;

/// What a join form says for an unknown address and for a hidden group the member was not
/// invited to (the same words, so the answer does not reveal that a hidden group exists).
const NOT_JOINABLE: &str =
    "There is no group to join at this address. Hidden groups take members by invitation only.";

/// The group's row and the viewer's standing in it.
struct Facts {
    id: i64,
    name: String,
    kind: GroupKind,
    question: String,
    status: Option<MemberStatus>,
    is_moderator: bool,
}

/// A group's row as `facts` reads it, with the viewer's membership (if any).
#[derive(sqlx::FromRow)]
struct FactsRow {
    id: i64,
    name: String,
    kind: String,
    question: String,
    status: Option<String>,
    is_moderator: Option<i64>,
}

async fn facts(
    conn: &mut sqlx::AnyConnection,
    slug: &str,
    user: UserId,
) -> Result<Option<Facts>, AppError> {
    let row: Option<FactsRow> = sqlx::query_as(
        "SELECT g.id, g.name, g.kind, g.question, gm.status, gm.is_moderator \
         FROM support_groups g LEFT JOIN support_group_members gm ON gm.group_id = g.id AND gm.user_id = $2 \
         WHERE g.slug = $1",
    )
    .bind(slug)
    .bind(user)
    .fetch_optional(conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let status = r.status.as_deref().and_then(MemberStatus::parse);
    Ok(Some(Facts {
        id: r.id,
        name: r.name,
        kind: GroupKind::parse(&r.kind).map_err(|_| AppError::Internal)?,
        question: r.question,
        status,
        is_moderator: status == Some(MemberStatus::Active) && r.is_moderator == Some(1),
    }))
}

impl Facts {
    /// A hidden group exists only for its members and those invited.
    fn visible(&self) -> bool {
        self.kind != GroupKind::Hidden
            || matches!(
                self.status,
                Some(MemberStatus::Active | MemberStatus::Invited)
            )
    }
    /// Moderates the group: the one rule of [`crate::access::moderates_group`].
    fn moderates(&self, user: &CurrentUser) -> bool {
        let role = self.is_moderator.then_some(crate::access::Role::Moderator);
        crate::access::moderates_group(role, self.closed(), user)
    }
    fn closed(&self) -> bool {
        self.kind != GroupKind::Open
    }
}

/// A group as a list shows it, with the viewer's membership (if any).
#[derive(sqlx::FromRow)]
struct SummaryRow {
    slug: String,
    name: String,
    description: String,
    kind: String,
    member_count: i64,
    status: Option<String>,
}

impl SummaryRow {
    fn summary(self) -> Result<GroupSummary, AppError> {
        Ok(GroupSummary {
            slug: self.slug,
            name: self.name,
            description: self.description,
            kind: GroupKind::parse(&self.kind).map_err(|_| AppError::Internal)?,
            member_count: self.member_count,
            status: self.status.as_deref().and_then(MemberStatus::parse),
        })
    }
}

/// A group's page as `detail` reads it.
#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    id: i64,
    question: String,
    post_count: i64,
    pending_count: i64,
    community_slug: String,
    community_name: String,
    is_moderator: Option<i64>,
}

/// The groups of a community the viewer may see: open and private ones, and hidden ones they
/// belong to or were invited to (one indexed query).
pub async fn list(
    db: &Db,
    community: &str,
    viewer: Option<UserId>,
) -> Result<Vec<GroupSummary>, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT g.slug, g.name, g.description, g.kind, g.member_count, gm.status \
         FROM support_groups g JOIN communities c ON c.id = g.community_id \
         LEFT JOIN support_group_members gm ON gm.group_id = g.id AND gm.user_id = $2 \
         WHERE c.slug = $1 AND (g.kind <> 'hidden' OR gm.status IN ('active', 'invited')) \
         ORDER BY g.name, g.id LIMIT 200",
    )
    .bind(community)
    .bind(viewer.unwrap_or_default())
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter().map(SummaryRow::summary).collect()
}

/// A group's page; a hidden group is not found by those who are neither members nor invited.
pub async fn detail(db: &Db, slug: &str, viewer: Option<Viewer>) -> Result<GroupDetail, AppError> {
    let row: DetailRow = sqlx::query_as(
        "SELECT g.id, g.slug, g.name, g.description, g.kind, g.question, g.member_count, g.post_count, \
           g.pending_count, c.slug AS community_slug, c.name AS community_name, gm.status, gm.is_moderator \
         FROM support_groups g JOIN communities c ON c.id = g.community_id \
         LEFT JOIN support_group_members gm ON gm.group_id = g.id AND gm.user_id = $2 \
         WHERE g.slug = $1",
    )
    .bind(slug)
    .bind(viewer.map(|v| v.id).unwrap_or_default())
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let summary_row = row.summary.summary()?;
    let status = summary_row.status;
    let kind = summary_row.kind;
    if kind == GroupKind::Hidden
        && !matches!(status, Some(MemberStatus::Active | MemberStatus::Invited))
    {
        return Err(AppError::NotFound);
    }
    let id = row.id;
    let active = status == Some(MemberStatus::Active);
    let is_admin = viewer.is_some_and(|v| v.is_admin);
    let is_moderator = active && row.is_moderator == Some(1);
    // Admins moderate open groups only (see `Facts::moderates`).
    let is_moderator_or_admin = is_moderator || (is_admin && kind == GroupKind::Open);
    let can_read = kind == GroupKind::Open || active;
    let moderators = sqlx::query_scalar::<_, String>(
        "SELECT u.handle FROM support_group_members gm JOIN users u ON u.id = gm.user_id \
         WHERE gm.group_id = $1 AND gm.is_moderator = 1 AND gm.status = 'active' ORDER BY u.handle LIMIT 50",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let pinned = if can_read {
        let mut params = Params::default();
        let readable_sql = readable(&mut params, viewer);
        let g = params.p(id);
        let listed_sql = listed(&mut params, viewer);
        let sql = format!(
            "SELECT {SUMMARY} {FROM} WHERE p.group_id = {g} AND p.pinned_at IS NOT NULL \
             AND p.deleted_at IS NULL AND {readable_sql} = 1 AND {listed_sql} ORDER BY p.pinned_at DESC LIMIT 5"
        );
        let mut q = sqlx::query(&sql);
        for v in &params.0 {
            q = q.bind(*v);
        }
        q.fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| summary(r, true))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    Ok(GroupDetail {
        community_slug: row.community_slug,
        community_name: row.community_name,
        question: row.question,
        moderators,
        // A closed group's activity is its members' business: outsiders see no count that
        // moves when members post.
        post_count: if can_read { row.post_count } else { 0 },
        logged_in: viewer.is_some(),
        is_moderator: is_moderator_or_admin,
        pending_count: if is_moderator_or_admin {
            row.pending_count
        } else {
            0
        },
        can_read,
        pinned,
        summary: summary_row,
    })
}

/// Starts a group in a community (its moderators and admins); the creator becomes the group's
/// first moderator. Returns the group's address (from its name, numbered if taken).
pub async fn create(
    db: &Db,
    user: &CurrentUser,
    community: &str,
    g: &GroupInput,
) -> Result<String, AppError> {
    let mut tx = db.begin_write().await?;
    let (community_id, is_moderator): (i64, Option<i64>) = sqlx::query_as(
        "SELECT c.id, m.is_moderator FROM communities c \
         LEFT JOIN community_members m ON m.community_id = c.id AND m.user_id = $2 WHERE c.slug = $1",
    )
    .bind(community)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if !user.is_admin && is_moderator != Some(1) {
        return Err(AppError::Forbidden);
    }
    let base = slug_from_name(&g.name);
    let now = now_ms();
    for n in 1..=50 {
        let slug = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        sqlx::query("SAVEPOINT group_slug")
            .execute(&mut *tx)
            .await?;
        let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO support_groups (community_id, slug, name, description, kind, question, member_count, \
               created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id",
        )
        .bind(community_id)
        .bind(&slug)
        .bind(&g.name)
        .bind(&g.description)
        .bind(g.kind.as_str())
        .bind(&g.question)
        .bind(user.id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        match inserted {
            Ok(id) => {
                sqlx::query(
                    "INSERT INTO support_group_members (group_id, user_id, status, is_moderator, created_at) \
                     VALUES ($1, $2, 'active', 1, $3)",
                )
                .bind(id)
                .bind(user.id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                return Ok(slug);
            }
            Err(e) if is_unique_violation(&e, "support_groups_slug_key") => {
                sqlx::query("ROLLBACK TO SAVEPOINT group_slug")
                    .execute(&mut *tx)
                    .await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::field(
        "name",
        "Many groups already have this name. Please choose another.",
    ))
}

/// Moves the group's counters by `members` (active) and `pending` (requests waiting).
async fn count(
    tx: &mut Tx<'_>,
    group: GroupId,
    members: i64,
    pending: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE support_groups SET member_count = member_count + $1, pending_count = pending_count + $2 \
         WHERE id = $3",
    )
    .bind(members)
    .bind(pending)
    .bind(group)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn set_status(
    tx: &mut Tx<'_>,
    group: GroupId,
    user: UserId,
    status: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE support_group_members SET status = $1 WHERE group_id = $2 AND user_id = $3",
    )
    .bind(status)
    .bind(group)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tells the group's moderators that someone asked to join; returns who was told.
async fn tell_moderators(
    tx: &mut Tx<'_>,
    f: &Facts,
    slug: &str,
    user: &CurrentUser,
) -> Result<Vec<UserId>, AppError> {
    let mods = sqlx::query_scalar::<_, UserId>(
        "SELECT user_id FROM support_group_members WHERE group_id = $1 AND is_moderator = 1 AND status = 'active'",
    )
    .bind(f.id)
    .fetch_all(&mut **tx)
    .await?;
    let line = format!(
        "@{} asked to join “{}”",
        user.handle,
        notify::types::short(&f.name)
    );
    let link = format!("/g/{slug}/manage");
    let mut told = Vec::new();
    for m in mods {
        if notify::repo::add(tx, m, "group", user.id, &line, &link).await? {
            told.push(m);
        }
    }
    Ok(told)
}
