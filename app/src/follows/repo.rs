//! Server-only storage of follows: following and muting threads (automatic for authors and repliers), communities and tags; the member's list; telling followers of new replies and posts in grouped notifications.

use super::types::*;
use crate::auth::types::CurrentUser;
use crate::db::{is_unique_violation, now_ms, Db, Flag};
use crate::error::AppError;
use crate::ids::{CommunityId, PostId, UserId};
use crate::notifications::repo::{add_grouped, Grouped};
use crate::posts::repo::{listed, readable, summary, with_params, Params, SUMMARY};
use sqlx::FromRow;

use crate::db::Tx;

/// Followed threads per page of `/following`.
pub const PAGE: i64 = 20;
/// Followers told of one new reply or post (a bound on the writer's transaction).
const FAN_OUT: i64 = 2_000;

/// Who may read a thread, for telling its followers: everyone (`public`), the community's
/// members (and admins), or a closed group's active members.
#[derive(Debug, Clone, Copy)]
pub struct Audience {
    pub community: i64,
    pub public: bool,
    pub group: Option<i64>,
}

/// The author of a post or a reply follows its thread (unless they muted it, or follow it
/// already). In the writer's transaction.
pub async fn auto_follow(
    tx: &mut Tx<'_>,
    user: UserId,
    post: crate::ids::PostId,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO follows (user_id, post_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(user)
    .bind(post)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What the list of followed threads reads beside each post's summary.
#[derive(sqlx::FromRow)]
struct FollowRow {
    readable: Flag,
    follow_id: i64,
    muted: Flag,
}

/// How `user` stands to thread `post`.
pub async fn thread_state(db: &Db, user: UserId, post: PostId) -> Result<ThreadFollow, AppError> {
    let row: Option<Flag> =
        sqlx::query_scalar("SELECT muted FROM follows WHERE user_id = $1 AND post_id = $2")
            .bind(user)
            .bind(post)
            .fetch_optional(&db.pool)
            .await?;
    Ok(match row {
        None => ThreadFollow::None,
        Some(muted) if muted.get() => ThreadFollow::Muted,
        Some(_) => ThreadFollow::Following,
    })
}

/// Whether `user` muted thread `post` (then nothing of it is told to them).
pub async fn muted(
    tx: &mut Tx<'_>,
    user: UserId,
    post: crate::ids::PostId,
) -> Result<bool, AppError> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM follows WHERE user_id = $1 AND post_id = $2 AND muted = 1",
    )
    .bind(user)
    .bind(post)
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}

/// Follows, unfollows or mutes a thread the member may read now.
pub async fn set_thread(
    db: &Db,
    user: &CurrentUser,
    post: i64,
    state: ThreadFollow,
) -> Result<ThreadFollow, AppError> {
    let page = crate::posts::repo::page(db, post, Some(crate::access::Viewer::of(user))).await?;
    if page.deleted {
        return Err(AppError::Deleted);
    }
    if page.locked {
        return Err(AppError::JoinRequired);
    }
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM follows WHERE user_id = $1 AND post_id = $2")
        .bind(user.id)
        .bind(post)
        .execute(&mut *tx)
        .await?;
    if state != ThreadFollow::None {
        let added = sqlx::query(
            "INSERT INTO follows (user_id, post_id, muted, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.id)
        .bind(post)
        .bind(i64::from(state == ThreadFollow::Muted))
        .bind(now_ms())
        .execute(&mut *tx)
        .await;
        match added {
            Ok(_) => {}
            // A double click: the first one set it.
            Err(e) if is_unique_violation(&e, "follows_thread_key") => return Ok(state),
            Err(e) => return Err(e.into()),
        }
    }
    tx.commit().await?;
    Ok(state)
}

/// Whether `user` follows the community `community`.
pub async fn follows_community(
    db: &Db,
    user: UserId,
    community: CommunityId,
) -> Result<bool, AppError> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM follows WHERE user_id = $1 AND community_id = $2")
            .bind(user)
            .bind(community)
            .fetch_optional(&db.pool)
            .await?
            .is_some(),
    )
}

/// Follows or stops following a community (by its address).
pub async fn set_community(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    on: bool,
) -> Result<bool, AppError> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM communities WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM follows WHERE user_id = $1 AND community_id = $2")
        .bind(user.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if on {
        sqlx::query("INSERT INTO follows (user_id, community_id, created_at) VALUES ($1, $2, $3)")
            .bind(user.id)
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(on)
}

/// Follows or stops following a tag; at most [`TAGS_MAX`].
pub async fn set_tag(db: &Db, user: &CurrentUser, tag: &str, on: bool) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM follows WHERE user_id = $1 AND tag = $2")
        .bind(user.id)
        .bind(tag)
        .execute(&mut *tx)
        .await?;
    if on {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM follows WHERE user_id = $1 AND tag IS NOT NULL",
        )
        .bind(user.id)
        .fetch_one(&mut *tx)
        .await?;
        if n >= TAGS_MAX {
            return Err(AppError::field(
                "tag",
                format!("You follow {TAGS_MAX} tags: stop following one first."),
            ));
        }
        sqlx::query("INSERT INTO follows (user_id, tag, created_at) VALUES ($1, $2, $3)")
            .bind(user.id)
            .bind(tag)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(on)
}

/// What the member follows. Threads are read through the posts' visibility rule now: a
/// deleted, held or removed post, or one of a closed group they left, is not listed.
pub async fn list(
    db: &Db,
    user: &CurrentUser,
    before: Option<i64>,
) -> Result<FollowingPage, AppError> {
    let viewer = Some(crate::access::Viewer::of(user));
    let mut params = Params::default();
    let me = params.p(user.id);
    let before_p = params.p(before.unwrap_or(i64::MAX));
    let readable_sql = readable(&mut params, viewer);
    let listed_sql = listed(&mut params, viewer);
    let sql = format!(
        "SELECT {SUMMARY}, {readable_sql} AS readable, f.id AS follow_id, f.muted \
         FROM follows f JOIN posts p ON p.id = f.post_id \
           JOIN communities c ON c.id = p.community_id JOIN users u ON u.id = p.author_id \
           LEFT JOIN support_groups g ON g.id = p.group_id \
         WHERE f.user_id = {me} AND f.post_id IS NOT NULL AND f.id < {before_p} \
           AND p.deleted_at IS NULL AND {listed_sql} \
           AND ({readable_sql} = 1 OR p.group_id IS NULL OR g.kind = 'open') \
         ORDER BY f.id DESC LIMIT {}",
        PAGE + 1
    );
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    let mut threads = Vec::with_capacity(rows.len());
    for r in rows.iter().take(PAGE as usize) {
        let f = FollowRow::from_row(r)?;
        // A list to choose what to keep following: titles, not bodies (a page of twenty
        // excerpts was ~7,000 px on a phone, and their text rode in the hydration data).
        let mut post = summary(r, f.readable.get())?;
        post.excerpt.clear();
        threads.push(FollowedThread {
            id: f.follow_id,
            post,
            muted: f.muted.get(),
        });
    }
    let next = if rows.len() as i64 > PAGE {
        threads.last().map(|t| t.id)
    } else {
        None
    };
    let communities = sqlx::query_as(
        "SELECT c.slug, c.name FROM follows f JOIN communities c ON c.id = f.community_id \
         WHERE f.user_id = $1 ORDER BY c.name",
    )
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    let tags = sqlx::query_scalar(
        "SELECT tag FROM follows WHERE user_id = $1 AND tag IS NOT NULL ORDER BY tag",
    )
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(FollowingPage {
        threads,
        next,
        communities,
        tags,
    })
}

/// The SQL condition that the follower `u` may read what `a` describes; `$n` is the community.
fn may_read(a: &Audience, n: usize) -> String {
    // A closed group's membership is checked when each notification is added.
    if a.public || a.group.is_some() {
        "1 = 1".into()
    } else {
        format!(
            "(u.is_admin = 1 OR EXISTS (SELECT 1 FROM community_members m \
             WHERE m.user_id = u.id AND m.community_id = ${n}))"
        )
    }
}

/// A new reply as its thread's followers hear of it: the thread, the reply, who wrote it and
/// how they are named ("@ana", "A member"), and the thread's title (shortened).
pub struct ThreadNews<'a> {
    pub post: crate::ids::PostId,
    pub reply: crate::ids::ReplyId,
    pub actor: UserId,
    pub named: &'a str,
    pub title: &'a str,
}

/// Tells a thread's followers of a new reply, grouped per thread: "@ana replied in “…”", then
/// "3 new replies in “…”". Not the writer, not who was told already (`skip`: the post's author,
/// the comment's author, those mentioned), not those who muted it, and only those who may read
/// the thread. Returns who was told.
pub async fn tell_thread(
    tx: &mut Tx<'_>,
    news: &ThreadNews<'_>,
    a: &Audience,
    skip: &[UserId],
) -> Result<Vec<UserId>, AppError> {
    let ThreadNews {
        post,
        reply,
        actor,
        named,
        title,
    } = *news;
    let sql = format!(
        "SELECT f.user_id FROM follows f JOIN users u ON u.id = f.user_id \
         WHERE f.post_id = $1 AND f.muted = 0 AND f.user_id <> $2 AND {} \
         ORDER BY f.id LIMIT {FAN_OUT}",
        may_read(a, 3)
    );
    let q = sqlx::query_scalar(&sql).bind(post).bind(actor);
    let q = if a.public || a.group.is_some() {
        q
    } else {
        q.bind(a.community)
    };
    let followers: Vec<UserId> = q.fetch_all(&mut **tx).await?;
    let key = format!("thread:{post}");
    let one = format!("{named} replied in “{title}”, a thread you follow");
    let link = format!("/p/{post}#r{reply}");
    let many_link = format!("/p/{post}");
    let many = format!("{{n}} new replies in “{title}”, a thread you follow");
    let g = Grouped {
        key: &key,
        one: &one,
        link: &link,
        many: &many,
        many_link: &many_link,
    };
    let mut told = Vec::new();
    for user in followers {
        if skip.contains(&user) {
            continue;
        }
        if add_grouped(tx, user, "thread", actor, &g, a.group).await? {
            told.push(user);
        }
    }
    Ok(told)
}

/// A new post's place and words, for telling who follows its community or one of its tags.
pub struct NewPost<'a> {
    pub id: i64,
    pub community: i64,
    pub public: bool,
    pub title: &'a str,
    pub tags: &'a [String],
}

/// Tells who follows the post's community or one of its tags (a community post, never a support
/// group's), grouped per community or tag: "@ana posted “…” in Multiple sclerosis", then
/// "4 new posts in Multiple sclerosis". A members-only post only to the community's members.
/// `skip`: who was told already (mentioned). Returns who was told.
pub async fn tell_new_post(
    tx: &mut Tx<'_>,
    p: &NewPost<'_>,
    actor: UserId,
    named: &str,
    skip: &[UserId],
) -> Result<Vec<UserId>, AppError> {
    let (slug, name): (String, String) =
        sqlx::query_as("SELECT slug, name FROM communities WHERE id = $1")
            .bind(p.community)
            .fetch_one(&mut **tx)
            .await?;
    let a = Audience {
        community: p.community,
        public: p.public,
        group: None,
    };
    // Followers of the community first, then of each tag: one notification per member.
    let mut told: Vec<UserId> = Vec::new();
    let mut seen: Vec<UserId> = skip.to_vec();
    seen.push(actor);
    let title = crate::notifications::types::short(p.title);
    let link = format!("/p/{}", p.id);
    let mut subjects: Vec<(String, String, String, Option<&str>)> = vec![(
        format!("community:{}", p.community),
        format!("{named} posted “{title}” in {name}"),
        format!("/c/{slug}?sort=new"),
        None,
    )];
    for tag in p.tags {
        subjects.push((
            format!("tag:{tag}"),
            format!("{named} posted “{title}”, tagged {tag}"),
            search_link(tag),
            Some(tag.as_str()),
        ));
    }
    for (key, one, many_link, tag) in subjects {
        let sql = format!(
            "SELECT f.user_id FROM follows f JOIN users u ON u.id = f.user_id \
             WHERE {} AND {} ORDER BY f.id LIMIT {FAN_OUT}",
            if tag.is_some() {
                "f.tag = $1"
            } else {
                "f.community_id = $1"
            },
            may_read(&a, 2)
        );
        let q = match tag {
            Some(t) => sqlx::query_scalar(&sql).bind(t.to_string()),
            None => sqlx::query_scalar(&sql).bind(p.community),
        };
        let q = if a.public { q } else { q.bind(a.community) };
        let followers: Vec<UserId> = q.fetch_all(&mut **tx).await?;
        let place = match tag {
            Some(t) => format!("tagged {t}"),
            None => format!("in {name}"),
        };
        let many = format!("{{n}} new posts {place}");
        let g = Grouped {
            key: &key,
            one: &one,
            link: &link,
            many: &many,
            many_link: &many_link,
        };
        for user in followers {
            if seen.contains(&user) {
                continue;
            }
            seen.push(user);
            if add_grouped(tx, user, "followed", actor, &g, None).await? {
                told.push(user);
            }
        }
    }
    Ok(told)
}
