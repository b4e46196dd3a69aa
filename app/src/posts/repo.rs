//! Server-only post storage: feeds, threads, writing posts and replies, votes and accepted answers, with counts in the same transaction.

use super::types::*;
use crate::auth::types::{specialty_title, ClinicianStatus, CurrentUser, MemberKind};
use crate::db::{now_ms, Db};
use crate::error::AppError;
use crate::markdown;
use crate::notifications as notify;
use crate::safety::trust::{screen, Screened, Writing};
use sqlx::any::AnyRow;
use sqlx::Row;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Who is reading: `None` for an anonymous visitor, else the member's id and whether they are an admin.
pub type Viewer = Option<(i64, bool)>;

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
      THEN 1 ELSE 0 END AS author_former";
pub(crate) const FROM: &str =
    "FROM posts p JOIN communities c ON c.id = p.community_id JOIN users u ON u.id = p.author_id \
     LEFT JOIN support_groups g ON g.id = p.group_id";

/// SQL that is 1 when post `p` is in a private or hidden support group.
const CLOSED_GROUP: &str =
    "p.group_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM support_groups og \
     WHERE og.id = p.group_id AND og.kind = 'open')";

/// SQL that is true when member `id` (a placeholder) is an active member of post `p`'s group.
fn in_group(id: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM support_group_members gm WHERE gm.group_id = p.group_id \
         AND gm.user_id = {id} AND gm.status = 'active')"
    )
}

/// SQL that is 1 when the viewer may read post `p` in full. The one visibility rule of every
/// post read path: a post of a private or hidden support group only for the group's active
/// members (admins included: no exception); otherwise public, or for a member of its community
/// or of its (open) group, or for an admin.
pub(crate) fn readable(params: &mut Params, viewer: Viewer) -> String {
    match viewer {
        None => format!(
            "(CASE WHEN {CLOSED_GROUP} THEN 0 WHEN p.held_at IS NOT NULL THEN 0 \
             WHEN p.visibility = 'public' THEN 1 ELSE 0 END)"
        ),
        Some((id, admin)) => {
            let id = params.p(id);
            let member = in_group(&id);
            let open = if admin {
                "1".to_string()
            } else {
                format!(
                    "CASE WHEN p.visibility = 'public' OR EXISTS (SELECT 1 FROM community_members m \
                     WHERE m.community_id = p.community_id AND m.user_id = {id}) THEN 1 ELSE 0 END"
                )
            };
            format!(
                "(CASE WHEN p.group_id IS NOT NULL AND {member} THEN 1 \
                 WHEN {CLOSED_GROUP} THEN 0 ELSE {open} END)"
            )
        }
    }
}

/// SQL that is true when post `p` may be listed to the viewer (feeds, search, pins, profiles):
/// a post held for a moderator's look by the crisis safeguard, or removed by a moderator, is
/// listed to its author only. (Anonymous visitors cannot read a held post at all: see
/// [`readable`].)
pub(crate) fn listed(params: &mut Params, viewer: Viewer) -> String {
    match viewer {
        None => "(p.held_at IS NULL AND p.removed_at IS NULL)".to_string(),
        Some((id, _)) => format!(
            "((p.held_at IS NULL AND p.removed_at IS NULL) OR p.author_id = {})",
            params.p(id)
        ),
    }
}

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

/// Where a feed reads from, with the community already resolved to its id.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Public,
    /// The member's home feed: the community posts of the communities they joined and the posts
    /// of the groups they are an active member of.
    Home(&'a [Source]),
    Community(i64),
    Group(i64),
}

/// One stream of a home feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Community(i64),
    Group(i64),
}

/// A home feed reads at most this many streams (SQLite allows 500 arms in one compound query);
/// a member of more communities and groups sees the first ones.
const MAX_SOURCES: usize = 400;

/// Top windows up to this many days read the window's posts by id and sort them by votes (a
/// week holds few posts); longer windows walk the vote index and skip older posts (a year's
/// posts are most of them, so the walk stops soon).
const SHORT_WINDOW_DAYS: i64 = 31;

/// The one query of a feed page: SQL and its parameters. Public so the query-plan test checks
/// exactly what the feed runs.
///
/// A home feed is a merge: one arm per joined community and group, each reading its own index
/// in order and stopping at a page, and an outer sort of those few rows. (One `IN (…)` over the
/// member's communities read every post of them and sorted: 6 s at a million posts.)
pub fn feed_query(
    scope: Scope<'_>,
    sort: FeedSort,
    since: Option<i64>,
    cursor: Option<Cursor>,
    viewer: Viewer,
) -> (String, Params) {
    let mut params = Params::default();
    let key = match sort {
        FeedSort::New | FeedSort::Unanswered | FeedSort::NotAccepted => None,
        FeedSort::Active => Some("last_activity_at"),
        FeedSort::Top => Some("vote_count"),
    };
    let order = |alias: &str| match key {
        None => format!("{alias}.id DESC"),
        Some(k) => format!("{alias}.{k} DESC, {alias}.id DESC"),
    };
    let limit = PAGE_SIZE as i64 + 1;
    match scope {
        Scope::Home(sources) => {
            let arms: Vec<String> = sources
                .iter()
                .take(MAX_SOURCES)
                .enumerate()
                .map(|(i, source)| {
                    let only = match source {
                        Source::Community(id) => {
                            format!("p.community_id = {} AND p.group_id IS NULL", params.p(*id))
                        }
                        Source::Group(id) => format!("p.group_id = {}", params.p(*id)),
                    };
                    let arm = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
                    format!("SELECT * FROM ({arm}) AS a{i}")
                })
                .collect();
            if arms.is_empty() {
                // Nothing joined: an empty page, still one well-formed query.
                let arm = one_feed(
                    &mut params,
                    "1 = 0".into(),
                    sort,
                    since,
                    cursor,
                    viewer,
                    limit,
                );
                return (arm, params);
            }
            let limit = params.p(limit);
            let sql = format!(
                "SELECT * FROM ({}) AS h ORDER BY {} LIMIT {limit}",
                arms.join(" UNION ALL "),
                order("h")
            );
            (sql, params)
        }
        Scope::Public => {
            let only = "p.visibility = 'public' AND p.group_id IS NULL".to_string();
            let sql = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
            (sql, params)
        }
        Scope::Community(id) => {
            let only = format!("p.community_id = {} AND p.group_id IS NULL", params.p(id));
            let sql = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
            (sql, params)
        }
        Scope::Group(id) => {
            let group = params.p(id);
            let readable_sql = readable(&mut params, viewer);
            // Only readable posts: a closed group's titles are not for outsiders either.
            let only = format!("p.group_id = {group} AND {readable_sql} = 1");
            let sql = one_feed(&mut params, only, sort, since, cursor, viewer, limit);
            (sql, params)
        }
    }
}

/// One index-ordered page of posts matching `only`.
fn one_feed(
    params: &mut Params,
    only: String,
    sort: FeedSort,
    since: Option<i64>,
    cursor: Option<Cursor>,
    viewer: Viewer,
    limit: i64,
) -> String {
    let readable_sql = readable(params, viewer);
    let mut filter = vec![only];
    match sort {
        FeedSort::Unanswered => filter.push("p.kind = 'question' AND p.answer_count = 0".into()),
        FeedSort::NotAccepted => {
            filter.push("p.kind = 'question' AND p.accepted_reply_id IS NULL".into())
        }
        _ => {}
    }
    filter.push("p.deleted_at IS NULL".into());
    filter.push(listed(params, viewer));
    let mut by_votes = "p.vote_count";
    if let (FeedSort::Top, Some(since)) = (sort, since) {
        let since_p = params.p(since);
        filter.push(format!("p.created_at >= {since_p}"));
        if now_ms() - since <= SHORT_WINDOW_DAYS * 86_400_000 {
            // Every post of the window has an id at least the smallest id in the window, which
            // `posts_created_idx (created_at, id)` gives by reading the window's entries alone;
            // then the window is an id range on the feed's id index, and the few posts it
            // holds are sorted. (Ids mostly grow with creation time, so the range holds little
            // else.) `+ 0` keeps the planner from walking the whole vote index to skip the sort.
            // `w.id + 0`: a bare MIN(id) lets both databases read the ids in order from the
            // first post ever until one falls in the window (57 ms at 100,000 posts, growing
            // with the table); over the expression they read the window's index entries (2 ms).
            filter.push(format!(
                "p.id >= (SELECT MIN(w.id + 0) FROM posts w WHERE w.created_at >= {since_p})"
            ));
            by_votes = "p.vote_count + 0";
        }
    }
    let key = match sort {
        FeedSort::New | FeedSort::Unanswered | FeedSort::NotAccepted => None,
        FeedSort::Active => Some("p.last_activity_at"),
        FeedSort::Top => Some(by_votes),
    };
    if let Some(c) = cursor {
        filter.push(match key {
            None => format!("p.id < {}", params.p(c.id)),
            Some(_) if sort == FeedSort::Top => format!(
                "(p.vote_count, p.id) < ({}, {})",
                params.p(c.key),
                params.p(c.id)
            ),
            Some(k) => format!("({k}, p.id) < ({}, {})", params.p(c.key), params.p(c.id)),
        });
    }
    let order = match key {
        None => "p.id DESC".to_string(),
        Some(k) => format!("{k} DESC, p.id DESC"),
    };
    let limit = params.p(limit);
    format!(
        "SELECT {SUMMARY}, {readable_sql} AS readable {FROM} WHERE {} ORDER BY {order} LIMIT {limit}",
        filter.join(" AND ")
    )
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

async fn community_id(db: &Db, slug: &str) -> Result<i64, AppError> {
    sqlx::query("SELECT id FROM communities WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.try_get::<i64, _>("id"))
        .transpose()?
        .ok_or(AppError::NotFound)
}

/// The group's id; a hidden group does not exist for those neither in it nor invited (the same
/// answer as an unknown address).
async fn group_id(db: &Db, slug: &str, viewer: Viewer) -> Result<i64, AppError> {
    let r = sqlx::query(
        "SELECT g.id, g.kind, gm.status FROM support_groups g LEFT JOIN support_group_members gm \
         ON gm.group_id = g.id AND gm.user_id = $2 WHERE g.slug = $1",
    )
    .bind(slug)
    .bind(viewer.map(|v| v.0).unwrap_or(0))
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let status: Option<String> = r.try_get("status")?;
    if r.try_get::<String, _>("kind")? == "hidden"
        && !matches!(status.as_deref(), Some("active" | "invited"))
    {
        return Err(AppError::NotFound);
    }
    Ok(r.try_get("id")?)
}

/// The streams of a member's home feed: their communities, then their active groups.
pub async fn home_sources(db: &Db, user: i64) -> Result<Vec<Source>, AppError> {
    let rows = sqlx::query(
        "SELECT community_id AS id, 0 AS is_group FROM community_members WHERE user_id = $1 \
         UNION ALL SELECT group_id AS id, 1 AS is_group FROM support_group_members \
         WHERE user_id = $1 AND status = 'active' ORDER BY is_group, id",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            Ok(if r.try_get::<i64, _>("is_group")? == 1 {
                Source::Group(id)
            } else {
                Source::Community(id)
            })
        })
        .collect()
}

/// One page of a feed.
pub async fn feed(
    db: &Db,
    scope: &FeedScope,
    sort: FeedSort,
    window: &str,
    cursor: Option<&str>,
    viewer: Viewer,
) -> Result<FeedPage, AppError> {
    let sources;
    let scope = match scope {
        FeedScope::Public => Scope::Public,
        FeedScope::Home => {
            sources = home_sources(db, viewer.ok_or(AppError::Unauthenticated)?.0).await?;
            Scope::Home(&sources)
        }
        FeedScope::Community(slug) => Scope::Community(community_id(db, slug).await?),
        FeedScope::Group(slug) => Scope::Group(group_id(db, slug, viewer).await?),
    };
    let cursor = match cursor.filter(|c| !c.is_empty()) {
        Some(raw) => Some(Cursor::decode(raw).ok_or(AppError::BadRequest)?),
        None => None,
    };
    let days = window_days(window);
    let since = (days > 0).then(|| now_ms() - days * 86_400_000);
    let (sql, params) = feed_query(scope, sort, since, cursor, viewer);
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    let mut items = rows
        .iter()
        .map(|r| summary(r, r.try_get::<i64, _>("readable")? != 0))
        .collect::<Result<Vec<_>, _>>()?;
    let next = if items.len() > PAGE_SIZE {
        items.truncate(PAGE_SIZE);
        items.last().map(|last| {
            Cursor {
                key: match sort {
                    FeedSort::Active => last.last_activity_at,
                    FeedSort::Top => last.vote_count,
                    _ => last.id,
                },
                id: last.id,
            }
            .encode()
        })
    } else {
        None
    };
    Ok(FeedPage {
        items,
        next,
        sponsored: None,
    })
}

/// The posts the team pinned to the top of community `slug` (not its groups'), newest pin first,
/// as the community feed shows them to this viewer (members-only ones as excerpts to outsiders).
pub async fn community_pinned(
    db: &Db,
    slug: &str,
    viewer: Viewer,
) -> Result<Vec<PostSummary>, AppError> {
    let community = community_id(db, slug).await?;
    let mut params = Params::default();
    let c = params.p(community);
    let readable_sql = readable(&mut params, viewer);
    let listed_sql = listed(&mut params, viewer);
    let sql = format!(
        "SELECT {SUMMARY}, {readable_sql} AS readable {FROM} \
         WHERE p.community_id = {c} AND p.group_id IS NULL AND p.pinned_at IS NOT NULL \
           AND p.deleted_at IS NULL AND {listed_sql} ORDER BY p.pinned_at DESC LIMIT 3"
    );
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    rows.iter()
        .map(|r| summary(r, r.try_get::<i64, _>("readable")? != 0))
        .collect()
}

/// The SQL of a thread's replies (one query for the whole thread, with the viewer's votes).
pub const THREAD_SQL: &str =
    "SELECT r.id, r.parent_id, r.depth, r.author_id, r.body_html, r.body_md, r.held_at, \
     r.awaiting_approval, r.removed_at, r.removed_reason, \
     r.vote_count, r.created_at, r.edited_at, r.deleted_at, u.handle, u.avatar_id, u.kind AS author_kind, \
     u.clinician_status, u.specialty, CASE WHEN v.user_id IS NULL THEN 0 ELSE 1 END AS voted, \
     CASE WHEN EXISTS (SELECT 1 FROM posts pp WHERE pp.id = r.post_id AND pp.group_id IS NOT NULL \
       AND NOT EXISTS (SELECT 1 FROM support_group_members fm WHERE fm.group_id = pp.group_id \
       AND fm.user_id = r.author_id AND fm.status = 'active')) THEN 1 ELSE 0 END AS author_former \
     FROM replies r JOIN users u ON u.id = r.author_id \
     LEFT JOIN reply_votes v ON v.reply_id = r.id AND v.user_id = $2 \
     WHERE r.post_id = $1 ORDER BY r.id LIMIT $3";

/// A post page: the post, and its replies when the viewer may read it.
pub async fn page(db: &Db, id: i64, viewer: Viewer) -> Result<PostPage, AppError> {
    let viewer_id = viewer.map(|v| v.0).unwrap_or(0);
    let mut params = Params::default();
    let (v, pid) = (params.p(viewer_id), params.p(id));
    let readable_sql = readable(&mut params, viewer);
    let sql = format!(
        "SELECT {SUMMARY}, p.author_id, p.body_html, p.body_md, p.edited_at, p.deleted_at, p.group_id, p.held_at, \
           p.awaiting_approval, p.removed_at, p.removed_reason, \
           g.kind AS group_kind, {readable_sql} AS readable, \
           (SELECT is_moderator FROM community_members m WHERE m.community_id = p.community_id AND m.user_id = {v}) AS membership, \
           (SELECT is_moderator FROM support_group_members gm WHERE gm.group_id = p.group_id \
              AND gm.user_id = {v} AND gm.status = 'active') AS group_membership, \
           (SELECT 1 FROM post_votes v WHERE v.post_id = p.id AND v.user_id = {v}) AS voted, \
           (SELECT 1 FROM safety_flags sf WHERE sf.post_id = p.id AND sf.author_id = {v} AND sf.kind = 'crisis' LIMIT 1) AS flagged \
         {FROM} WHERE p.id = {pid}"
    );
    let row = with_params(&sql, &params.0)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let readable_now = row.try_get::<i64, _>("readable")? != 0;
    let held = row.try_get::<Option<i64>, _>("held_at")?.is_some();
    // A post waiting for a moderator's look (the crisis safeguard) is not for anonymous
    // visitors: not even its title.
    if held && viewer.is_none() {
        return Err(AppError::NotFound);
    }
    let group_kind: Option<String> = row.try_get("group_kind")?;
    // A closed group's post does not exist for outsiders: not even its title.
    if !readable_now && group_kind.as_deref().is_some_and(|k| k != "open") {
        return Err(AppError::NotFound);
    }
    let in_group = row.try_get::<Option<i64>, _>("group_id")?.is_some();
    let closed_group = group_kind.as_deref().is_some_and(|k| k != "open");
    let group_membership: Option<i64> = row.try_get("group_membership")?;
    let membership: Option<i64> = row.try_get("membership")?;
    let is_admin = viewer.is_some_and(|v| v.1);
    let locked = !readable_now;
    let deleted = row.try_get::<Option<i64>, _>("deleted_at")?.is_some();
    let mine = viewer.is_some() && row.try_get::<i64, _>("author_id")? == viewer_id;
    let can_moderate =
        group_membership == Some(1) || (!closed_group && (membership == Some(1) || is_admin));
    // Waiting for approval: it does not exist for anyone but its author and the moderators.
    let awaiting_approval = row.try_get::<i64, _>("awaiting_approval")? != 0;
    if awaiting_approval && !mine && !can_moderate {
        return Err(AppError::NotFound);
    }
    // Removed by a moderator: the words (and why) only for the author and the moderators.
    let removed = row.try_get::<Option<i64>, _>("removed_at")?.is_some();
    let removed_hidden = removed && !mine && !can_moderate;
    let removed_reason: Option<String> = if removed && !removed_hidden {
        row.try_get("removed_reason")?
    } else {
        None
    };
    let mut post = summary(&row, !locked && !deleted && !removed_hidden)?;
    // Anonymous: the group's moderators see who wrote it (for safety), marked as such.
    let anonymous = row.try_get::<i64, _>("anonymous")? != 0;
    let post_author: i64 = row.try_get("author_id")?;
    if anonymous && can_moderate && post.author.is_some() {
        post.author = Some(Author {
            anonymous: true,
            ..author(&row)?
        });
    }
    if removed_hidden {
        post.title = "[removed by a moderator]".into();
        post.excerpt.clear();
        post.tags.clear();
        post.author = None;
    }
    let accepted: Option<i64> = row.try_get("accepted_reply_id")?;
    let replies = if locked {
        Vec::new()
    } else {
        let rows = sqlx::query(THREAD_SQL)
            .bind(id)
            .bind(viewer_id)
            .bind(THREAD_LIMIT as i64)
            .fetch_all(&db.pool)
            .await?;
        let question = post.kind == PostKind::Question;
        // A reply waiting for approval is left out for everyone but its author and the
        // moderators (nobody else can have answered it).
        let visible = |r: &AnyRow| -> Result<bool, AppError> {
            let awaiting = r.try_get::<i64, _>("awaiting_approval")? != 0;
            let mine = viewer.is_some() && r.try_get::<i64, _>("author_id")? == viewer_id;
            Ok(!awaiting || mine || can_moderate)
        };
        let mut shown = Vec::with_capacity(rows.len());
        for r in &rows {
            if visible(r)? {
                shown.push(r);
            }
        }
        let stored = shown
            .into_iter()
            .map(|r| -> Result<StoredReply, AppError> {
                let deleted = r.try_get::<Option<i64>, _>("deleted_at")?.is_some();
                let reply_id: i64 = r.try_get("id")?;
                let parent_id: Option<i64> = r.try_get("parent_id")?;
                let awaiting_approval = r.try_get::<i64, _>("awaiting_approval")? != 0;
                let mine = viewer.is_some() && r.try_get::<i64, _>("author_id")? == viewer_id;
                // A reply waiting for a moderator's look is not for anonymous visitors; a
                // removed one only for its author and the moderators.
                let held = viewer.is_none() && r.try_get::<Option<i64>, _>("held_at")?.is_some();
                let removed = r.try_get::<Option<i64>, _>("removed_at")?.is_some();
                let removed_hidden = removed && !mine && !can_moderate;
                let hidden = deleted || held || removed_hidden;
                Ok(StoredReply {
                    view: ReplyView {
                        id: reply_id,
                        // Filled in below, for the replies whose words are shown.
                        pictures: Vec::new(),
                        parent_id,
                        depth: 0,
                        in_reply_to: None,
                        author: if hidden {
                            None
                        } else if anonymous && r.try_get::<i64, _>("author_id")? == post_author {
                            // The anonymous poster in their own thread: "a member" still.
                            Some(if can_moderate {
                                Author {
                                    anonymous: true,
                                    ..author(r)?
                                }
                            } else {
                                anonymous_author()
                            })
                        } else {
                            Some(author(r)?)
                        },
                        body_html: if hidden {
                            String::new()
                        } else {
                            r.try_get("body_html")?
                        },
                        body_md: if mine && !deleted {
                            Some(r.try_get("body_md")?)
                        } else {
                            None
                        },
                        deleted,
                        created_at: r.try_get("created_at")?,
                        edited_at: r.try_get("edited_at")?,
                        vote_count: r.try_get("vote_count")?,
                        voted: r.try_get::<i64, _>("voted")? != 0,
                        accepted: accepted == Some(reply_id),
                        is_answer: question && parent_id.is_none(),
                        mine,
                        cites: if hidden {
                            Vec::new()
                        } else {
                            cited_articles(&r.try_get::<String, _>("body_md")?)
                        },
                        held,
                        awaiting_approval,
                        removed,
                        removed_reason: if removed && !removed_hidden {
                            r.try_get("removed_reason")?
                        } else {
                            None
                        },
                    },
                    true_depth: r.try_get("depth")?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        layout_thread(stored, question)
    };
    // Pictures go with the words: none for a post or reply whose words are not shown.
    let mut replies = replies;
    let mut pictures = Vec::new();
    if !(locked || deleted || removed_hidden) {
        for (reply, picture) in crate::pictures::repo::of_post(db, id).await? {
            match reply {
                None => pictures.push(picture),
                Some(r) => {
                    if let Some(view) = replies
                        .iter_mut()
                        .find(|v| v.id == r && !v.body_html.is_empty())
                    {
                        view.pictures.push(picture);
                    }
                }
            }
        }
    }
    if locked {
        post.tags.clear();
    }
    let (related_articles, cited_articles) = if locked || deleted {
        (Vec::new(), Vec::new())
    } else {
        let mut slugs: Vec<String> = replies.iter().flat_map(|r| r.cites.clone()).collect();
        slugs.sort();
        slugs.dedup();
        slugs.truncate(30);
        (
            related_articles(db, id).await?,
            article_links(db, &slugs).await?,
        )
    };
    Ok(PostPage {
        pictures,
        locked,
        deleted,
        body_html: if locked || deleted || removed_hidden {
            None
        } else {
            Some(row.try_get("body_html")?)
        },
        body_md: if mine && !deleted {
            Some(row.try_get("body_md")?)
        } else {
            None
        },
        edited_at: row.try_get("edited_at")?,
        replies,
        // Writing in a group takes membership of the group.
        is_member: viewer.map(|_| {
            if in_group {
                group_membership.is_some()
            } else {
                membership.is_some()
            }
        }),
        mine,
        voted: row.try_get::<Option<i64>, _>("voted")?.is_some(),
        can_moderate,
        can_pin: if in_group {
            group_membership == Some(1) || (!closed_group && is_admin)
        } else {
            membership == Some(1) || is_admin
        },
        closed_group,
        // The viewer wrote something here that matched the crisis list (anonymous: id 0, never).
        helplines: viewer.is_some() && row.try_get::<Option<i64>, _>("flagged")?.is_some(),
        held,
        awaiting_approval,
        anonymous,
        removed,
        removed_reason,
        related_articles,
        cited_articles,
        post,
        saved: Default::default(),
        follow: Default::default(),
    })
}

/// The validated fields of a post.
pub struct PostInput {
    pub kind: PostKind,
    pub visibility: Visibility,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    /// What the crisis safeguard matched, if anything: the post is held and flagged.
    pub crisis: Option<crate::safety::types::Crisis>,
    /// Posted anonymously (support groups only; not by verified clinicians).
    pub anonymous: bool,
}

/// The viewer's membership of a community: `None` when not a member, else whether a moderator.
async fn membership(tx: &mut Tx<'_>, community: i64, user: i64) -> Result<Option<bool>, AppError> {
    Ok(sqlx::query(
        "SELECT is_moderator FROM community_members WHERE community_id = $1 AND user_id = $2",
    )
    .bind(community)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.try_get::<i64, _>("is_moderator"))
    .transpose()?
    .map(|m| m != 0))
}

async fn set_tags(tx: &mut Tx<'_>, post: i64, tags: &[String]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM post_tags WHERE post_id = $1")
        .bind(post)
        .execute(&mut **tx)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO post_tags (post_id, tag) VALUES ($1, $2)")
            .bind(post)
            .bind(tag)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A support group as a post sees it: its id and whether it is private or hidden.
#[derive(Debug, Clone, Copy)]
struct GroupFacts {
    id: i64,
    closed: bool,
}

/// The viewer's active membership of a group: `None` when not an active member, else whether a moderator.
async fn group_membership(
    tx: &mut Tx<'_>,
    group: i64,
    user: i64,
) -> Result<Option<bool>, AppError> {
    Ok(sqlx::query(
        "SELECT is_moderator FROM support_group_members WHERE group_id = $1 AND user_id = $2 AND status = 'active'",
    )
    .bind(group)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.try_get::<i64, _>("is_moderator"))
    .transpose()?
    .map(|m| m != 0))
}

/// Creates a post in a community the author belongs to, or (`group`: its address) in a support
/// group of which the author is an active member; returns its id.
pub async fn create(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    group: Option<&str>,
    p: &PostInput,
) -> Result<i64, AppError> {
    let (community, group) = match group {
        None => (community_id(db, slug).await?, None),
        Some(group) => {
            let r =
                sqlx::query("SELECT id, community_id, kind FROM support_groups WHERE slug = $1")
                    .bind(group)
                    .fetch_optional(&db.pool)
                    .await?
                    .ok_or(AppError::NotFound)?;
            let g = GroupFacts {
                id: r.try_get("id")?,
                closed: r.try_get::<String, _>("kind")? != "open",
            };
            (r.try_get::<i64, _>("community_id")?, Some(g))
        }
    };
    let mut tx = db.begin_write().await?;
    match group {
        Some(g) if group_membership(&mut tx, g.id, user.id).await?.is_none() => {
            return Err(if g.closed {
                AppError::NotFound
            } else {
                AppError::JoinRequired
            });
        }
        None if membership(&mut tx, community, user.id).await?.is_none() => {
            return Err(AppError::JoinRequired);
        }
        _ => {}
    }
    if p.anonymous && group.is_none() {
        return Err(AppError::field(
            "anonymous",
            "Posting anonymously is for support groups only.",
        ));
    }
    if p.anonymous
        && user.kind == MemberKind::Clinician
        && user.clinician_status == ClinicianStatus::Verified
    {
        return Err(AppError::field(
            "anonymous",
            "A verified clinician's posts carry their name and badge: untick \"Post anonymously\".",
        ));
    }
    // A closed group's posts are never public, whatever the form said.
    let visibility = if group.is_some_and(|g| g.closed) {
        Visibility::Members
    } else {
        p.visibility
    };
    let screened = screen(
        &mut tx,
        db,
        user,
        community,
        Writing::Post,
        &[("title", &p.title), ("body", &p.body)],
    )
    .await?;
    let (title, body) = (screened.text(0), screened.text(1));
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO posts (community_id, author_id, kind, visibility, title, body_md, body_html, excerpt, tags, \
           created_at, last_activity_at, group_id, anonymous) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12) RETURNING id",
    )
    .bind(community)
    .bind(user.id)
    .bind(p.kind.as_str())
    .bind(visibility.as_str())
    .bind(title)
    .bind(body)
    .bind(markdown::to_html(body))
    .bind(markdown::excerpt(body))
    .bind(p.tags.join(" "))
    .bind(now)
    .bind(group.map(|g| g.id))
    .bind(i64::from(p.anonymous))
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    let closed = group.filter(|g| g.closed).map(|g| g.id);
    if closed.is_none() {
        // Tags feed spelling suggestions and related questions site-wide: not a closed group's.
        set_tags(&mut tx, id, &p.tags).await?;
    }
    count_post(&mut tx, community, group.map(|g| g.id), 1).await?;
    // Nobody is told of what waits for approval: nobody but the moderators may read it yet.
    let mut mentioned = if screened.hold.is_some() {
        Vec::new()
    } else {
        let what = format!("“{}”", notify::types::short(title));
        let place = notify::repo::MentionPlace {
            what: &what,
            link: &format!("/p/{id}"),
            community,
            public: visibility == Visibility::Public,
            group: closed,
        };
        let who = if p.anonymous {
            ""
        } else {
            user.handle.as_str()
        };
        let mut told = notify::repo::add_mentions(&mut tx, body, user.id, who, &place, &[]).await?;
        // Who follows the community or a tag hears of a community post (never a group's, and
        // not of what the crisis safeguard holds).
        if group.is_none() && p.crisis.is_none() {
            let new = crate::follows::repo::NewPost {
                id,
                community,
                public: visibility == Visibility::Public,
                title,
                tags: &p.tags,
            };
            let named = format!("@{}", user.handle);
            let more =
                crate::follows::repo::tell_new_post(&mut tx, &new, user.id, &named, &told).await?;
            told.extend(more);
        }
        told
    };
    crate::follows::repo::auto_follow(&mut tx, user.id, id).await?;
    let at = flag_at(id, None, community, group, user.id);
    mentioned.extend(queue_flags(&mut tx, p.crisis.as_ref(), &screened, &at).await?);
    tx.commit().await?;
    db.announce(&mentioned).await;
    Ok(id)
}

/// Where something just written is, for the moderation queue.
fn flag_at(
    post: i64,
    reply: Option<i64>,
    community: i64,
    group: Option<GroupFacts>,
    author: i64,
) -> crate::safety::repo::FlagAt {
    crate::safety::repo::FlagAt {
        post,
        reply,
        community,
        group: group.map(|g| (g.id, g.closed)),
        author,
    }
}

/// Queues what the crisis safeguard and screening found (see [`crate::safety::repo::flag`]):
/// a crisis match (held, and the moderators e-mailed), a hold for approval, or else a watched
/// word's flag. Returns who was notified.
async fn queue_flags(
    tx: &mut Tx<'_>,
    crisis: Option<&crate::safety::types::Crisis>,
    screened: &Screened,
    at: &crate::safety::repo::FlagAt,
) -> Result<Vec<i64>, AppError> {
    use crate::safety::{repo::flag, types::FlagKind};
    let mut told = Vec::new();
    // A crisis first: its flag leads the queue and alerts the moderators by e-mail; a hold
    // for approval then only keeps it from readers (one open flag per item).
    if let Some(crisis) = crisis {
        told.extend(flag(tx, FlagKind::Crisis, crisis.phrase, &crisis.base_url, at).await?);
    }
    if let Some((kind, word)) = screened.hold.as_ref() {
        told.extend(flag(tx, *kind, word, "", at).await?);
    }
    if let (None, Some(word)) = (&screened.hold, &screened.flag) {
        told.extend(flag(tx, FlagKind::WatchedFlag, word, "", at).await?);
    }
    Ok(told)
}

/// Keeps the post count of a community (or, for a group post, of the group) true.
async fn count_post(
    tx: &mut Tx<'_>,
    community: i64,
    group: Option<i64>,
    by: i64,
) -> Result<(), AppError> {
    let (sql, id) = match group {
        Some(g) => (
            "UPDATE support_groups SET post_count = post_count + $1 WHERE id = $2",
            g,
        ),
        None => (
            "UPDATE communities SET post_count = post_count + $1 WHERE id = $2",
            community,
        ),
    };
    sqlx::query(sql)
        .bind(by)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The facts about a post that decide who may change it.
struct PostFacts {
    community: i64,
    group: Option<GroupFacts>,
    author: i64,
    kind: PostKind,
    public: bool,
    deleted: bool,
    /// Waits for a moderator's approval: nobody but its author and the moderators sees it.
    awaiting: bool,
    /// Posted anonymously: its author's replies and acceptances in the thread name nobody either.
    anonymous: bool,
}

impl PostFacts {
    /// How `user` is named in notifications about this thread: "" for the author of an
    /// anonymous post (they stay "a member" in their own thread).
    fn name_of<'a>(&self, id: i64, handle: &'a str) -> &'a str {
        if self.anonymous && id == self.author {
            ""
        } else {
            handle
        }
    }
}

impl PostFacts {
    /// The group whose active members alone may read the post (a private or hidden group).
    fn closed_group(&self) -> Option<i64> {
        self.group.filter(|g| g.closed).map(|g| g.id)
    }
}

async fn post_facts(tx: &mut Tx<'_>, id: i64) -> Result<PostFacts, AppError> {
    let r = sqlx::query(
        "SELECT p.community_id, p.author_id, p.kind, p.visibility, p.deleted_at, p.group_id, p.awaiting_approval, \
           p.anonymous, g.kind AS group_kind FROM posts p LEFT JOIN support_groups g ON g.id = p.group_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(PostFacts {
        community: r.try_get("community_id")?,
        group: match r.try_get::<Option<i64>, _>("group_id")? {
            Some(id) => Some(GroupFacts {
                id,
                closed: r.try_get::<Option<String>, _>("group_kind")?.as_deref() != Some("open"),
            }),
            None => None,
        },
        author: r.try_get("author_id")?,
        kind: PostKind::parse(&r.try_get::<String, _>("kind")?).map_err(|_| AppError::Internal)?,
        public: r.try_get::<String, _>("visibility")? == "public",
        deleted: r.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
        awaiting: r.try_get::<i64, _>("awaiting_approval")? != 0,
        anonymous: r.try_get::<i64, _>("anonymous")? != 0,
    })
}

/// Edits the author's own post (kind stays; title, body, tags and visibility change).
pub async fn edit(db: &Db, user: &CurrentUser, id: i64, p: &PostInput) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, id).await?;
    if f.author != user.id {
        return Err(AppError::Forbidden);
    }
    still_in_group(&mut tx, user, &f).await?;
    if f.deleted {
        return Err(AppError::Deleted);
    }
    let visibility = if f.closed_group().is_some() {
        Visibility::Members
    } else {
        p.visibility
    };
    let screened = screen(
        &mut tx,
        db,
        user,
        f.community,
        Writing::Edit,
        &[("title", &p.title), ("body", &p.body)],
    )
    .await?;
    let (title, body) = (screened.text(0), screened.text(1));
    let now = now_ms();
    // The edit history keeps the version this edit replaces (when the words or tags change).
    sqlx::query(
        "INSERT INTO post_versions (post_id, title, body_md, tags, written_at, replaced_at) \
         SELECT id, title, body_md, tags, COALESCE(edited_at, created_at), $2 FROM posts \
         WHERE id = $1 AND (title <> $3 OR body_md <> $4 OR tags <> $5)",
    )
    .bind(id)
    .bind(now)
    .bind(title)
    .bind(body)
    .bind(p.tags.join(" "))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE posts SET title = $1, body_md = $2, body_html = $3, excerpt = $4, tags = $5, \
         visibility = $6, edited_at = $7 WHERE id = $8",
    )
    .bind(title)
    .bind(body)
    .bind(markdown::to_html(body))
    .bind(markdown::excerpt(body))
    .bind(p.tags.join(" "))
    .bind(visibility.as_str())
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if f.closed_group().is_none() {
        set_tags(&mut tx, id, &p.tags).await?;
    }
    let at = flag_at(id, None, f.community, f.group, user.id);
    let told = queue_flags(&mut tx, p.crisis.as_ref(), &screened, &at).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// A post's edit history as `viewer` may see it: the dates for everyone who may open the post;
/// the earlier words only for its author and the moderators of its place (and never once it is
/// deleted). Reads through [`page`], so every rule of who may open the post holds here too.
pub async fn history(db: &Db, id: i64, viewer: Viewer) -> Result<PostHistory, AppError> {
    let p = page(db, id, viewer).await?;
    let full = (p.mine || p.can_moderate) && !p.deleted && !p.locked;
    let rows = sqlx::query(
        "SELECT title, body_md, tags, written_at, replaced_at FROM post_versions \
         WHERE post_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let versions = rows
        .iter()
        .map(|r| -> Result<PostVersion, AppError> {
            let (title, body_html, tags) = if full {
                let tags: String = r.try_get("tags")?;
                (
                    r.try_get("title")?,
                    markdown::to_html(&r.try_get::<String, _>("body_md")?),
                    tags.split_whitespace().map(str::to_string).collect(),
                )
            } else {
                (String::new(), String::new(), Vec::new())
            };
            Ok(PostVersion {
                title,
                body_html,
                tags,
                written_at: r.try_get("written_at")?,
                replaced_at: r.try_get("replaced_at")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PostHistory {
        id,
        title: p.post.title.clone(),
        created_at: p.post.created_at,
        edited_at: p.edited_at,
        full,
        versions,
    })
}

/// Whether `user` moderates the post's place: admins, the community's moderators and, for a
/// group post, the group's moderators.
async fn moderates(tx: &mut Tx<'_>, user: &CurrentUser, f: &PostFacts) -> Result<bool, AppError> {
    // Writing follows reading: in a private or hidden group only the group's moderators may
    // remove anything (admins and community moderators do not read it, so do not delete it).
    if let Some(g) = f.group.filter(|g| g.closed) {
        return Ok(group_membership(tx, g.id, user.id).await? == Some(true));
    }
    if user.is_admin || membership(tx, f.community, user.id).await? == Some(true) {
        return Ok(true);
    }
    Ok(match f.group {
        Some(g) => group_membership(tx, g.id, user.id).await? == Some(true),
        None => false,
    })
}

/// The author or a moderator of the post's place may remove it (or one of its replies by
/// `author`); anyone else is refused — with "not found" for an outsider of a closed group, whose
/// posts do not exist for them.
async fn require_author_or_moderator(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
    author: i64,
) -> Result<(), AppError> {
    if author == user.id || moderates(tx, user, f).await? {
        return Ok(());
    }
    if let Some(g) = f.group.filter(|g| g.closed) {
        if group_membership(tx, g.id, user.id).await?.is_none() {
            return Err(AppError::NotFound);
        }
    }
    Err(AppError::Forbidden)
}

/// Soft-deletes a post (author, community moderator or admin): the words go, the replies stay.
pub async fn delete(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, id).await?;
    require_author_or_moderator(&mut tx, user, &f, f.author).await?;
    if f.deleted {
        return Ok(());
    }
    sqlx::query(
        "UPDATE posts SET title = '[deleted]', body_md = '', body_html = '', excerpt = '', tags = '', \
         deleted_at = $1 WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    set_tags(&mut tx, id, &[]).await?;
    // Deleted means the words go: the earlier versions too.
    sqlx::query("DELETE FROM post_versions WHERE post_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // And the pictures, of the post and of every reply in it.
    crate::pictures::repo::delete_where(&mut tx, "post_id = $1", id).await?;
    count_post(&mut tx, f.community, f.group.map(|g| g.id), -1).await?;
    let told = notify::repo::forget_post(&mut tx, id).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// Members may write in their community (in a group: its active members); reading a
/// members-only post needs the same membership.
async fn require_member(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
) -> Result<(), AppError> {
    if let Some(g) = f.group {
        if group_membership(tx, g.id, user.id).await?.is_none() {
            // A closed group's post does not exist for outsiders.
            return Err(if g.closed {
                AppError::NotFound
            } else {
                AppError::JoinRequired
            });
        }
        return Ok(());
    }
    if membership(tx, f.community, user.id).await?.is_none() {
        return Err(if f.public || user.is_admin {
            AppError::JoinRequired
        } else {
            // Not even readable: do not confirm what the post is.
            AppError::Forbidden
        });
    }
    Ok(())
}

/// An author changes their group post (edit, accept an answer) only while still in the group:
/// a former member of a closed group no longer reads it, so does not write there either.
async fn still_in_group(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
) -> Result<(), AppError> {
    match f.group {
        Some(_) => require_member(tx, user, f).await,
        None => Ok(()),
    }
}

/// Keeps a post's answer/comment counts and "answered by a clinician" true after a reply changes.
async fn refresh_counts(tx: &mut Tx<'_>, post: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE posts SET \
           reply_count = (SELECT COUNT(*) FROM replies r WHERE r.post_id = posts.id AND r.deleted_at IS NULL \
             AND r.awaiting_approval = 0), \
           answer_count = CASE WHEN kind = 'question' THEN (SELECT COUNT(*) FROM replies r \
             WHERE r.post_id = posts.id AND r.parent_id IS NULL AND r.deleted_at IS NULL \
             AND r.awaiting_approval = 0) ELSE 0 END, \
           clinician_answered = CASE WHEN kind = 'question' AND EXISTS (SELECT 1 FROM replies r \
             JOIN users u ON u.id = r.author_id WHERE r.post_id = posts.id AND r.parent_id IS NULL \
             AND r.deleted_at IS NULL AND r.awaiting_approval = 0 AND u.kind = 'clinician' \
             AND u.clinician_status = 'verified') \
             THEN 1 ELSE 0 END \
         WHERE id = $1",
    )
    .bind(post)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A moderator approved what waited for approval (safety review): the reply is counted and
/// lifts its thread, and whoever its writing would have told (the post's author, the comment
/// answered, @mentions) is told now. Returns who was notified.
pub(crate) async fn approved(
    tx: &mut Tx<'_>,
    post: i64,
    reply: Option<i64>,
) -> Result<Vec<i64>, AppError> {
    let f = post_facts(tx, post).await?;
    if f.deleted {
        return Ok(Vec::new());
    }
    match reply {
        Some(id) => {
            let r = sqlx::query(
                "SELECT r.author_id, r.parent_id, r.body_md, r.deleted_at, u.handle FROM replies r \
                 JOIN users u ON u.id = r.author_id WHERE r.id = $1",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            refresh_counts(tx, post).await?;
            if r.try_get::<Option<i64>, _>("deleted_at")?.is_some() {
                return Ok(Vec::new());
            }
            sqlx::query("UPDATE posts SET last_activity_at = $1 WHERE id = $2")
                .bind(now_ms())
                .bind(post)
                .execute(&mut **tx)
                .await?;
            let (author, handle): (i64, String) = (r.try_get("author_id")?, r.try_get("handle")?);
            let body: String = r.try_get("body_md")?;
            notify_reply(
                tx,
                (author, &handle),
                post,
                &f,
                r.try_get("parent_id")?,
                id,
                &body,
                true,
            )
            .await
        }
        None => {
            let r = sqlx::query(
                "SELECT p.title, p.body_md, p.tags, u.handle FROM posts p JOIN users u ON u.id = p.author_id \
                 WHERE p.id = $1",
            )
            .bind(post)
            .fetch_one(&mut **tx)
            .await?;
            let title: String = r.try_get("title")?;
            let body: String = r.try_get("body_md")?;
            let handle: String = r.try_get("handle")?;
            let tags: Vec<String> = r
                .try_get::<String, _>("tags")?
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let what = format!("“{}”", notify::types::short(&title));
            let place = notify::repo::MentionPlace {
                what: &what,
                link: &format!("/p/{post}"),
                community: f.community,
                public: f.public,
                group: f.closed_group(),
            };
            let who = f.name_of(f.author, &handle);
            let mut told =
                notify::repo::add_mentions(tx, &body, f.author, who, &place, &[]).await?;
            if f.group.is_none() {
                let new = crate::follows::repo::NewPost {
                    id: post,
                    community: f.community,
                    public: f.public,
                    title: &title,
                    tags: &tags,
                };
                let named = format!("@{handle}");
                let more =
                    crate::follows::repo::tell_new_post(tx, &new, f.author, &named, &told).await?;
                told.extend(more);
            }
            Ok(told)
        }
    }
}

/// Replies to a post (`parent` = None: an answer or a top-level comment); returns the reply's id.
pub async fn reply(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    parent: Option<i64>,
    body: &str,
    crisis: Option<&crate::safety::types::Crisis>,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_member(&mut tx, user, &f).await?;
    if f.deleted {
        return Err(AppError::Deleted);
    }
    if f.awaiting && f.author != user.id && !moderates(&mut tx, user, &f).await? {
        return Err(AppError::NotFound);
    }
    let depth = match parent {
        None => 0,
        Some(parent) => {
            let r = sqlx::query("SELECT post_id, depth, deleted_at FROM replies WHERE id = $1")
                .bind(parent)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(AppError::NotFound)?;
            if r.try_get::<i64, _>("post_id")? != post {
                return Err(AppError::NotFound);
            }
            if r.try_get::<Option<i64>, _>("deleted_at")?.is_some() {
                return Err(AppError::Deleted);
            }
            r.try_get::<i64, _>("depth")? + 1
        }
    };
    let screened = screen(
        &mut tx,
        db,
        user,
        f.community,
        Writing::Reply,
        &[("body", body)],
    )
    .await?;
    let body = screened.text(0);
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO replies (post_id, parent_id, depth, author_id, body_md, body_html, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(post)
    .bind(parent)
    .bind(depth)
    .bind(user.id)
    .bind(body)
    .bind(markdown::to_html(body))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get("id")?;
    // A reply that waits for a moderator's look does not lift its thread to the top of feeds.
    if crisis.is_none() && screened.hold.is_none() {
        sqlx::query("UPDATE posts SET last_activity_at = $1 WHERE id = $2")
            .bind(now)
            .bind(post)
            .execute(&mut *tx)
            .await?;
    }
    // What waits for approval tells nobody yet: only the moderators may read it.
    let mut notified = if screened.hold.is_some() {
        Vec::new()
    } else {
        let followers = crisis.is_none();
        notify_reply(
            &mut tx,
            (user.id, &user.handle),
            post,
            &f,
            parent,
            id,
            body,
            followers,
        )
        .await?
    };
    crate::follows::repo::auto_follow(&mut tx, user.id, post).await?;
    let at = flag_at(post, Some(id), f.community, f.group, user.id);
    notified.extend(queue_flags(&mut tx, crisis, &screened, &at).await?);
    // After the flags: a reply waiting for approval is not counted until it is approved.
    refresh_counts(&mut tx, post).await?;
    tx.commit().await?;
    db.announce(&notified).await;
    Ok(id)
}

/// Tells the post's author (an answer or a reply), the author of the comment replied to, and
/// anyone mentioned who may read the post, then (with `followers`) the thread's followers in one
/// grouped notification; nobody who muted the thread. Returns who was notified.
#[allow(clippy::too_many_arguments)]
async fn notify_reply(
    tx: &mut Tx<'_>,
    (actor, handle): (i64, &str),
    post: i64,
    f: &PostFacts,
    parent: Option<i64>,
    id: i64,
    body: &str,
    followers: bool,
) -> Result<Vec<i64>, AppError> {
    let title: String = sqlx::query("SELECT title FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut **tx)
        .await?
        .try_get("title")?;
    let t = notify::types::short(&title);
    let link = format!("/p/{post}#r{id}");
    let who = f.name_of(actor, handle);
    // The anonymous poster answering in their own thread is "A member" (the post's author is
    // never notified of their own reply, so only "replied to your comment" and mentions say it).
    let named = if who.is_empty() {
        "A member".to_string()
    } else {
        format!("@{who}")
    };
    let mut notified = Vec::new();
    let (kind, line) = if f.kind == PostKind::Question && parent.is_none() {
        ("answer", format!("{named} answered your question “{t}”"))
    } else {
        ("reply", format!("{named} replied to your post “{t}”"))
    };
    let group = f.closed_group();
    let author_muted = crate::follows::repo::muted(tx, f.author, post).await?;
    if !author_muted
        && notify::repo::add_in_group(tx, f.author, kind, actor, &line, &link, group).await?
    {
        notified.push(f.author);
    }
    if let Some(parent) = parent {
        let (_, parent_author, _, _) = reply_facts(tx, parent).await?;
        if parent_author != f.author
            && !crate::follows::repo::muted(tx, parent_author, post).await?
        {
            let line = format!("{named} replied to your comment on “{t}”");
            if notify::repo::add_in_group(tx, parent_author, "reply", actor, &line, &link, group)
                .await?
            {
                notified.push(parent_author);
            }
        }
    }
    let what = format!("a reply on “{t}”");
    let place = notify::repo::MentionPlace {
        what: &what,
        link: &link,
        community: f.community,
        public: f.public,
        group: f.closed_group(),
    };
    let mut skip = notified.clone();
    if let Some(parent) = parent {
        skip.push(reply_facts(tx, parent).await?.1);
    }
    skip.push(f.author);
    let mentioned = notify::repo::add_mentions(tx, body, actor, who, &place, &skip).await?;
    skip.extend(&mentioned);
    notified.extend(mentioned);
    if followers {
        let audience = crate::follows::repo::Audience {
            community: f.community,
            public: f.public,
            group,
        };
        notified.extend(
            crate::follows::repo::tell_thread(tx, post, id, actor, &named, &t, &audience, &skip)
                .await?,
        );
    }
    Ok(notified)
}

/// (post id, author id, parent, deleted) of a reply.
async fn reply_facts(tx: &mut Tx<'_>, id: i64) -> Result<(i64, i64, Option<i64>, bool), AppError> {
    let r =
        sqlx::query("SELECT post_id, author_id, parent_id, deleted_at FROM replies WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok((
        r.try_get("post_id")?,
        r.try_get("author_id")?,
        r.try_get("parent_id")?,
        r.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
    ))
}

/// Edits the author's own reply; returns its post.
pub async fn edit_reply(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    body: &str,
    crisis: Option<&crate::safety::types::Crisis>,
) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let (post, author, _, deleted) = reply_facts(&mut tx, id).await?;
    if author != user.id {
        return Err(AppError::Forbidden);
    }
    let f = post_facts(&mut tx, post).await?;
    still_in_group(&mut tx, user, &f).await?;
    if deleted {
        return Err(AppError::Deleted);
    }
    let screened = screen(
        &mut tx,
        db,
        user,
        f.community,
        Writing::Edit,
        &[("body", body)],
    )
    .await?;
    let body = screened.text(0);
    sqlx::query("UPDATE replies SET body_md = $1, body_html = $2, edited_at = $3 WHERE id = $4")
        .bind(body)
        .bind(markdown::to_html(body))
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let at = flag_at(post, Some(id), f.community, f.group, user.id);
    let told = queue_flags(&mut tx, crisis, &screened, &at).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(post)
}

/// Soft-deletes a reply (author, community moderator or admin); its own replies stay in place.
pub async fn delete_reply(db: &Db, user: &CurrentUser, id: i64) -> Result<i64, AppError> {
    let mut tx = db.begin_write().await?;
    let (post, author, _, deleted) = reply_facts(&mut tx, id).await?;
    let f = post_facts(&mut tx, post).await?;
    require_author_or_moderator(&mut tx, user, &f, author).await?;
    if deleted {
        return Ok(post);
    }
    sqlx::query("UPDATE replies SET body_md = '', body_html = '', deleted_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    crate::pictures::repo::delete_where(&mut tx, "reply_id = $1", id).await?;
    sqlx::query(
        "UPDATE posts SET accepted_reply_id = NULL WHERE id = $1 AND accepted_reply_id = $2",
    )
    .bind(post)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    refresh_counts(&mut tx, post).await?;
    tx.commit().await?;
    Ok(post)
}

/// What a vote is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteTarget {
    Post(i64),
    Reply(i64),
}

/// Toggles the member's helpful vote; returns (voted now, new count).
pub async fn toggle_vote(
    db: &Db,
    user: &CurrentUser,
    target: VoteTarget,
) -> Result<(bool, i64), AppError> {
    let mut tx = db.begin_write().await?;
    let (post, author, deleted) = match target {
        VoteTarget::Post(id) => {
            let f = post_facts(&mut tx, id).await?;
            (id, f.author, f.deleted)
        }
        VoteTarget::Reply(id) => {
            let (post, author, _, deleted) = reply_facts(&mut tx, id).await?;
            (post, author, deleted)
        }
    };
    let f = post_facts(&mut tx, post).await?;
    require_member(&mut tx, user, &f).await?;
    if deleted || f.deleted {
        return Err(AppError::Deleted);
    }
    if author == user.id {
        return Err(AppError::field(
            "vote",
            "You cannot mark your own writing as helpful.",
        ));
    }
    let now = now_ms();
    let (insert, delete, update, select) = match target {
        VoteTarget::Post(_) => (
            "INSERT INTO post_votes (post_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            "DELETE FROM post_votes WHERE post_id = $1 AND user_id = $2",
            "UPDATE posts SET vote_count = vote_count + $1 WHERE id = $2",
            "SELECT vote_count FROM posts WHERE id = $1",
        ),
        VoteTarget::Reply(_) => (
            "INSERT INTO reply_votes (reply_id, user_id, created_at, post_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            "DELETE FROM reply_votes WHERE reply_id = $1 AND user_id = $2",
            "UPDATE replies SET vote_count = vote_count + $1 WHERE id = $2",
            "SELECT vote_count FROM replies WHERE id = $1",
        ),
    };
    let id = match target {
        VoteTarget::Post(id) | VoteTarget::Reply(id) => id,
    };
    let mut q = sqlx::query(insert).bind(id).bind(user.id).bind(now);
    if matches!(target, VoteTarget::Reply(_)) {
        q = q.bind(post);
    }
    let inserted = q.execute(&mut *tx).await?.rows_affected() == 1;
    if !inserted {
        sqlx::query(delete)
            .bind(id)
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(update)
        .bind(if inserted { 1i64 } else { -1 })
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let count: i64 = sqlx::query(select)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("vote_count")?;
    tx.commit().await?;
    Ok((inserted, count))
}

/// The asker marks one answer as accepted (`None` takes the mark back).
pub async fn accept(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    reply: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    if f.author != user.id {
        return Err(AppError::Forbidden);
    }
    still_in_group(&mut tx, user, &f).await?;
    if f.kind != PostKind::Question {
        return Err(AppError::BadRequest);
    }
    if f.deleted {
        return Err(AppError::Deleted);
    }
    if let Some(reply) = reply {
        let (on, _, parent, deleted) = reply_facts(&mut tx, reply).await?;
        if on != post || parent.is_some() {
            return Err(AppError::NotFound);
        }
        if deleted {
            return Err(AppError::Deleted);
        }
    }
    sqlx::query("UPDATE posts SET accepted_reply_id = $1 WHERE id = $2")
        .bind(reply)
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let mut notified = Vec::new();
    if let Some(reply) = reply {
        let (_, answerer, _, _) = reply_facts(&mut tx, reply).await?;
        let title: String = sqlx::query("SELECT title FROM posts WHERE id = $1")
            .bind(post)
            .fetch_one(&mut *tx)
            .await?
            .try_get("title")?;
        let line = match f.name_of(user.id, &user.handle) {
            "" => format!(
                "The member who asked accepted your answer to “{}”",
                notify::types::short(&title)
            ),
            who => format!(
                "@{who} accepted your answer to “{}”",
                notify::types::short(&title)
            ),
        };
        let link = format!("/p/{post}#r{reply}");
        let group = f.closed_group();
        if notify::repo::add_in_group(&mut tx, answerer, "accepted", user.id, &line, &link, group)
            .await?
        {
            notified.push(answerer);
        }
    }
    tx.commit().await?;
    db.announce(&notified).await;
    Ok(())
}

/// Pins a post to the top of its support group (the group's moderators; admins in open groups)
/// or of its community ("Pinned by the team": the community's moderators and admins), or unpins it.
pub async fn pin(db: &Db, user: &CurrentUser, post: i64, pinned: bool) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    match f.group {
        Some(g) => {
            let moderator = group_membership(&mut tx, g.id, user.id).await?;
            if moderator.is_none() && g.closed {
                return Err(AppError::NotFound);
            }
            // Admins pin in open groups only; a closed group's moderators decide there.
            let admin_here = user.is_admin && !g.closed;
            if moderator != Some(true) && !admin_here {
                return Err(AppError::Forbidden);
            }
        }
        None => {
            let moderator: Option<i64> = sqlx::query(
                "SELECT is_moderator FROM community_members WHERE community_id = $1 AND user_id = $2",
            )
            .bind(f.community)
            .bind(user.id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get("is_moderator"))
            .transpose()?;
            if moderator != Some(1) && !user.is_admin {
                return Err(AppError::Forbidden);
            }
        }
    }
    if f.deleted {
        return Err(AppError::Deleted);
    }
    sqlx::query("UPDATE posts SET pinned_at = $1 WHERE id = $2")
        .bind(pinned.then(now_ms))
        .bind(post)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A member's posts and answers that the viewer may read, newest first, with their counts.
pub async fn activity(db: &Db, handle: &str, viewer: Viewer) -> Result<Activity, AppError> {
    let author: i64 = sqlx::query("SELECT id FROM users WHERE handle = $1")
        .bind(handle.trim().trim_start_matches('@').to_lowercase())
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?
        .try_get("id")?;
    let mut params = Params::default();
    let readable_sql = readable(&mut params, viewer);
    let a = params.p(author);
    // A former member of a group is "a former member" in its threads, so their profile does not
    // name them as the author of what they wrote there either.
    let still_in_group = format!(
        "(p.group_id IS NULL OR EXISTS (SELECT 1 FROM support_group_members fm \
         WHERE fm.group_id = p.group_id AND fm.user_id = {a} AND fm.status = 'active'))"
    );
    // What waits for a moderator's look (the crisis safeguard) is listed to its author only.
    let listed_sql = listed(&mut params, viewer);
    let reply_listed = match viewer {
        Some((me, _)) if me == author => "1 = 1".to_string(),
        _ => "(r.held_at IS NULL AND r.removed_at IS NULL)".to_string(),
    };
    // An anonymous group post is in its author's own list only: anywhere else it would name them.
    let own_anonymous = match viewer {
        Some((me, _)) if me == author => "1 = 1",
        _ => "p.anonymous = 0",
    };
    let own_anonymous_answer = match viewer {
        Some((me, _)) if me == author => "1 = 1",
        _ => "NOT (p.anonymous = 1 AND p.author_id = r.author_id)",
    };
    let posts_filter = format!(
        "p.author_id = {a} AND p.deleted_at IS NULL AND {readable_sql} = 1 AND {still_in_group} \
         AND {listed_sql} AND {own_anonymous}"
    );
    let answers_filter = format!(
        "r.author_id = {a} AND r.parent_id IS NULL AND r.deleted_at IS NULL AND p.kind = 'question' \
         AND p.deleted_at IS NULL AND {readable_sql} = 1 AND {still_in_group} AND {listed_sql} \
         AND {reply_listed} AND {own_anonymous_answer}"
    );
    let limit = params.p(PAGE_SIZE as i64);
    let bind_all = |sql| with_params(sql, &params.0);
    let counts_sql = format!(
        "SELECT (SELECT COUNT(*) FROM posts p WHERE {posts_filter}) AS posts, \
                (SELECT COUNT(*) FROM replies r JOIN posts p ON p.id = r.post_id WHERE {answers_filter}) AS answers, \
                {limit} AS page"
    );
    let counts = bind_all(&counts_sql).fetch_one(&db.pool).await?;
    let posts_sql =
        format!("SELECT {SUMMARY} {FROM} WHERE {posts_filter} ORDER BY p.id DESC LIMIT {limit}");
    let posts = bind_all(&posts_sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| summary(r, true))
        .collect::<Result<Vec<_>, _>>()?;
    let answers_sql = format!(
        "SELECT r.id AS reply_id, r.post_id, p.title, c.name AS community_name, r.body_md, r.vote_count, \
           r.created_at, CASE WHEN p.accepted_reply_id = r.id THEN 1 ELSE 0 END AS accepted \
         FROM replies r JOIN posts p ON p.id = r.post_id JOIN communities c ON c.id = p.community_id \
         WHERE {answers_filter} ORDER BY r.id DESC LIMIT {limit}"
    );
    let answers = bind_all(&answers_sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| -> Result<AnswerSummary, AppError> {
            Ok(AnswerSummary {
                reply_id: r.try_get("reply_id")?,
                post_id: r.try_get("post_id")?,
                post_title: r.try_get("title")?,
                community_name: r.try_get("community_name")?,
                excerpt: markdown::excerpt(&r.try_get::<String, _>("body_md")?),
                vote_count: r.try_get("vote_count")?,
                accepted: r.try_get::<i64, _>("accepted")? != 0,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Activity {
        post_count: counts.try_get("posts")?,
        answer_count: counts.try_get("answers")?,
        posts,
        answers,
    })
}

const ARTICLE_LINK: &str = "SELECT DISTINCT a.slug, v.title, v.summary, rv.handle AS reviewer \
    FROM articles a JOIN article_versions v ON v.id = a.published_version_id \
    JOIN users rv ON rv.id = v.reviewer_id";

fn article_link(r: &AnyRow) -> Result<ArticleLink, AppError> {
    Ok(ArticleLink {
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        reviewer: r.try_get("reviewer")?,
    })
}

/// Published articles that share a tag with the post (at most three).
async fn related_articles(db: &Db, post: i64) -> Result<Vec<ArticleLink>, AppError> {
    sqlx::query(&format!(
        "{ARTICLE_LINK} JOIN article_tags t ON t.article_id = a.id \
         JOIN post_tags pt ON pt.tag = t.tag WHERE pt.post_id = $1 ORDER BY a.slug LIMIT 3"
    ))
    .bind(post)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(article_link)
    .collect()
}

/// Previews of published articles by address (unknown or unpublished addresses are skipped).
async fn article_links(db: &Db, slugs: &[String]) -> Result<Vec<ArticleLink>, AppError> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=slugs.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "{ARTICLE_LINK} WHERE a.slug IN ({}) ORDER BY a.slug",
        placeholders.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for s in slugs {
        q = q.bind(s);
    }
    q.fetch_all(&db.pool)
        .await?
        .iter()
        .map(article_link)
        .collect()
}

/// A post or one of its replies, as moderation sees it: who wrote it, what to call it, where.
struct Target {
    author: i64,
    title: String,
    link: String,
    reply_key: i64,
}

async fn target(tx: &mut Tx<'_>, post: i64, reply: Option<i64>) -> Result<Target, AppError> {
    let title: String = sqlx::query("SELECT title FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut **tx)
        .await?
        .try_get("title")?;
    Ok(match reply {
        Some(r) => {
            let (p, author, _, _) = reply_facts(tx, r).await?;
            if p != post {
                return Err(AppError::NotFound);
            }
            Target {
                author,
                title,
                link: format!("/p/{post}#r{r}"),
                reply_key: r,
            }
        }
        None => Target {
            author: post_facts(tx, post).await?.author,
            title,
            link: format!("/p/{post}"),
            reply_key: 0,
        },
    })
}

/// A member reports a post or one of its replies to the moderators of its place; a second
/// report of the same thing while the first is open changes nothing. Outsiders of a closed
/// group cannot report what they cannot read.
pub async fn report(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    reply: Option<i64>,
    reason: &str,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    if let Some(g) = f.closed_group() {
        if group_membership(&mut tx, g, user.id).await?.is_none() {
            return Err(AppError::NotFound);
        }
    }
    let t = target(&mut tx, post, reply).await?;
    if t.author == user.id {
        return Err(AppError::field(
            "reason",
            "This is yours: edit or delete it instead.",
        ));
    }
    let open = sqlx::query(
        "SELECT 1 FROM content_reports WHERE post_id = $1 AND reply_id = $2 AND reporter_id = $3 \
         AND resolved_at IS NULL",
    )
    .bind(post)
    .bind(t.reply_key)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_some() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO content_reports (post_id, reply_id, community_id, group_id, author_id, reporter_id, \
           reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(post)
    .bind(t.reply_key)
    .bind(f.community)
    .bind(f.group.map(|g| g.id))
    .bind(t.author)
    .bind(user.id)
    .bind(reason)
    .bind(note)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A moderator of the place removes a post or reply with a reason: its author is told what and
/// why (and still reads it), everyone else sees "[removed by a moderator]", open reports on it
/// are resolved (their reporters told), and the audit log records it.
pub async fn remove(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    reply: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_moderator(&mut tx, user, &f).await?;
    let t = target(&mut tx, post, reply).await?;
    let now = now_ms();
    let table = if reply.is_some() { "replies" } else { "posts" };
    let changed = sqlx::query(&format!(
        "UPDATE {table} SET removed_at = $1, removed_reason = $2 WHERE id = $3 AND removed_at IS NULL"
    ))
    .bind(now)
    .bind(reason)
    .bind(reply.unwrap_or(post))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(());
    }
    let what = if reply.is_some() {
        "your reply in"
    } else {
        "your post"
    };
    let closed = f.closed_group();
    let title = notify::types::short(&t.title);
    let mut told = Vec::new();
    if notify::repo::add_in_group(
        &mut tx,
        t.author,
        "moderation",
        user.id,
        &format!(
            "A moderator removed {what} “{title}”. Why: {reason}. You can still read it there."
        ),
        &t.link,
        closed,
    )
    .await?
    {
        told.push(t.author);
    }
    let reporters: Vec<i64> = sqlx::query(
        "SELECT DISTINCT reporter_id FROM content_reports WHERE post_id = $1 AND reply_id = $2 \
         AND resolved_at IS NULL",
    )
    .bind(post)
    .bind(t.reply_key)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| r.try_get::<i64, _>("reporter_id"))
    .collect::<Result<_, _>>()?;
    sqlx::query(
        "UPDATE content_reports SET resolved_at = $1, resolved_by = $2, outcome = 'removed' \
         WHERE post_id = $3 AND reply_id = $4 AND resolved_at IS NULL",
    )
    .bind(now)
    .bind(user.id)
    .bind(post)
    .bind(t.reply_key)
    .execute(&mut *tx)
    .await?;
    for reporter in reporters {
        if notify::repo::add_in_group(
            &mut tx,
            reporter,
            "moderation",
            user.id,
            &format!("We reviewed your report on “{title}”: a moderator removed it. Thank you."),
            &format!("/p/{post}"),
            closed,
        )
        .await?
        {
            told.push(reporter);
        }
    }
    let (action, detail) = match reply {
        Some(r) => (
            "remove_reply",
            format!("reply {r} on post {post}: {reason}"),
        ),
        None => ("remove_post", format!("post {post}: {reason}")),
    };
    crate::admin::repo::audit(&mut tx, user.id, action, Some(t.author), &detail).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// A moderator of the place changes a post's tags (from the queue); audited, the author is not
/// asked. A closed group's tags stay out of the tag index, as when its author writes them.
pub async fn retag(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    tags: &[String],
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_moderator(&mut tx, user, &f).await?;
    if f.deleted {
        return Err(AppError::Deleted);
    }
    let before: String = sqlx::query("SELECT tags FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut *tx)
        .await?
        .try_get("tags")?;
    let after = tags.join(" ");
    if before == after {
        return Ok(());
    }
    sqlx::query("UPDATE posts SET tags = $1 WHERE id = $2")
        .bind(&after)
        .bind(post)
        .execute(&mut *tx)
        .await?;
    if f.closed_group().is_none() {
        set_tags(&mut tx, post, tags).await?;
    }
    let detail = format!("post {post}: “{before}” → “{after}”");
    crate::admin::repo::audit(&mut tx, user.id, "retag_post", Some(f.author), &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A moderator of the place puts a removed post or reply back; its author is told; audited.
pub async fn restore(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    reply: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_moderator(&mut tx, user, &f).await?;
    let t = target(&mut tx, post, reply).await?;
    let table = if reply.is_some() { "replies" } else { "posts" };
    let changed = sqlx::query(&format!(
        "UPDATE {table} SET removed_at = NULL, removed_reason = NULL WHERE id = $1 AND removed_at IS NOT NULL"
    ))
    .bind(reply.unwrap_or(post))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(());
    }
    let title = notify::types::short(&t.title);
    let told = notify::repo::add_in_group(
        &mut tx,
        t.author,
        "moderation",
        user.id,
        &format!("A moderator restored what they had removed: “{title}” shows again."),
        &t.link,
        f.closed_group(),
    )
    .await?;
    let (action, detail) = match reply {
        Some(r) => ("restore_reply", format!("reply {r} on post {post}")),
        None => ("restore_post", format!("post {post}")),
    };
    crate::admin::repo::audit(&mut tx, user.id, action, Some(t.author), &detail).await?;
    tx.commit().await?;
    if told {
        db.announce(&[t.author]).await;
    }
    Ok(())
}

/// Only a moderator of the post's place; an outsider of a closed group is told it does not exist.
async fn require_moderator(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
) -> Result<(), AppError> {
    if moderates(tx, user, f).await? {
        return Ok(());
    }
    if let Some(g) = f.closed_group() {
        if group_membership(tx, g, user.id).await?.is_none() {
            return Err(AppError::NotFound);
        }
    }
    Err(AppError::Forbidden)
}

/// The community of a post that joining the community opens (not a support group's, not
/// deleted): where a member who signed up from its teaser is taken in.
pub async fn community_of_open_post(db: &Db, post: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query(
        "SELECT c.slug FROM posts p JOIN communities c ON c.id = p.community_id \
         WHERE p.id = $1 AND p.group_id IS NULL AND p.deleted_at IS NULL",
    )
    .bind(post)
    .fetch_optional(&db.pool)
    .await?
    .map(|r| r.try_get("slug"))
    .transpose()?)
}
