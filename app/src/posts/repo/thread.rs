//! Reading a post: the thread page with its replies, its edit history, a member's activity, and the library articles it links to.

use super::*;

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

/// The columns a post page selects beside [`SUMMARY`].
#[derive(sqlx::FromRow)]
struct PageRow {
    author_id: UserId,
    body_html: String,
    body_md: String,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    group_id: Option<i64>,
    held_at: Option<i64>,
    awaiting_approval: Flag,
    removed_at: Option<i64>,
    removed_reason: Option<String>,
    group_kind: Option<String>,
    readable: Flag,
    anonymous: Flag,
    accepted_reply_id: Option<i64>,
    /// The viewer's `is_moderator` in the post's community, when a member.
    membership: Option<i64>,
    /// The viewer's `is_moderator` in the post's group, when an active member.
    group_membership: Option<i64>,
    voted: Option<i64>,
    flagged: Option<i64>,
}

/// What the viewer may see of a post and do with it, decided from its row.
struct Access {
    locked: bool,
    deleted: bool,
    held: bool,
    mine: bool,
    closed_group: bool,
    can_moderate: bool,
    awaiting_approval: bool,
    removed: bool,
    /// Removed, and the viewer is neither its author nor a moderator: words and title hidden.
    removed_hidden: bool,
}

impl Access {
    /// The decision, or `NotFound` where the post does not exist for this viewer.
    fn of(facts: &PageRow, viewer: Option<Viewer>) -> Result<Self, AppError> {
        let viewer_id = viewer.map(|v| v.id).unwrap_or_default();
        let readable_now = facts.readable.get();
        let held = facts.held_at.is_some();
        // A post waiting for a moderator's look (the crisis safeguard) is not for anonymous
        // visitors: not even its title.
        if held && viewer.is_none() {
            return Err(AppError::NotFound);
        }
        // A closed group's post does not exist for outsiders: not even its title.
        let closed_group = facts.group_kind.as_deref().is_some_and(|k| k != "open");
        if !readable_now && closed_group {
            return Err(AppError::NotFound);
        }
        let is_admin = viewer.is_some_and(|v| v.is_admin);
        let mine = viewer.is_some() && facts.author_id == viewer_id;
        let can_moderate = facts.group_membership == Some(1)
            || (!closed_group && (facts.membership == Some(1) || is_admin));
        // Waiting for approval: it does not exist for anyone but its author and the moderators.
        let awaiting_approval = facts.awaiting_approval.get();
        if awaiting_approval && !mine && !can_moderate {
            return Err(AppError::NotFound);
        }
        // Removed by a moderator: the words (and why) only for the author and the moderators.
        let removed = facts.removed_at.is_some();
        Ok(Self {
            locked: !readable_now,
            deleted: facts.deleted_at.is_some(),
            held,
            mine,
            closed_group,
            can_moderate,
            awaiting_approval,
            removed,
            removed_hidden: removed && !mine && !can_moderate,
        })
    }

    /// Whether the post's words (and its pictures) are shown.
    fn shows_words(&self) -> bool {
        !(self.locked || self.deleted || self.removed_hidden)
    }
}

/// A post page: the post, and its replies when the viewer may read it.
pub async fn page(db: &Db, id: i64, viewer: Option<Viewer>) -> Result<PostPage, AppError> {
    let viewer_id = viewer.map(|v| v.id).unwrap_or_default();
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
    let facts = PageRow::from_row(&row)?;
    let access = Access::of(&facts, viewer)?;
    let mut post = summary(&row, access.shows_words())?;
    // Anonymous: the group's moderators see who wrote it (for safety), marked as such.
    let anonymous = facts.anonymous.get();
    if anonymous && access.can_moderate && post.author.is_some() {
        post.author = Some(Author {
            anonymous: true,
            ..author(&row)?
        });
    }
    if access.removed_hidden {
        post.title = "[removed by a moderator]".into();
        post.excerpt.clear();
        post.tags.clear();
        post.author = None;
    }
    if access.locked {
        post.tags.clear();
    }
    let replies = if access.locked {
        Vec::new()
    } else {
        let cx = ReplyContext {
            signed_in: viewer.is_some(),
            viewer_id,
            can_moderate: access.can_moderate,
            anonymous,
            post_author: facts.author_id,
            accepted: facts.accepted_reply_id,
            question: post.kind == PostKind::Question,
        };
        thread_replies(db, id, &cx).await?
    };
    assemble(db, id, viewer, post, facts, access, replies).await
}

/// The thread's replies as this viewer reads them. A reply waiting for approval is left out
/// for everyone but its author and the moderators (nobody else can have answered it).
async fn thread_replies(db: &Db, id: i64, cx: &ReplyContext) -> Result<Vec<ReplyView>, AppError> {
    let rows: Vec<ReplyRow> = sqlx::query_as(THREAD_SQL)
        .bind(id)
        .bind(cx.viewer_id)
        .bind(THREAD_LIMIT as i64)
        .fetch_all(&db.pool)
        .await?;
    let stored = rows
        .into_iter()
        .filter(|r| {
            !r.awaiting_approval.get()
                || (cx.signed_in && r.author_id == cx.viewer_id)
                || cx.can_moderate
        })
        .map(|r| stored_reply(r, cx))
        .collect();
    Ok(layout_thread(stored, cx.question))
}

/// The post's pictures; each reply's go into its view, if its words are shown.
async fn pictures(
    db: &Db,
    id: i64,
    replies: &mut [ReplyView],
) -> Result<Vec<crate::pictures::types::Picture>, AppError> {
    let mut pictures = Vec::new();
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
    Ok(pictures)
}

/// The post page from what was decided: pictures where the words are shown, the library
/// articles it relates to and its replies cite, and what the viewer may do.
async fn assemble(
    db: &Db,
    id: i64,
    viewer: Option<Viewer>,
    post: PostSummary,
    facts: PageRow,
    access: Access,
    mut replies: Vec<ReplyView>,
) -> Result<PostPage, AppError> {
    // Pictures go with the words: none for a post or reply whose words are not shown.
    let pictures = if access.shows_words() {
        pictures(db, id, &mut replies).await?
    } else {
        Vec::new()
    };
    let (related_articles, cited_articles) = if access.locked || access.deleted {
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
    let is_admin = viewer.is_some_and(|v| v.is_admin);
    let (group_membership, membership) = (facts.group_membership, facts.membership);
    let in_group = facts.group_id.is_some();
    Ok(PostPage {
        pictures,
        locked: access.locked,
        deleted: access.deleted,
        body_html: access.shows_words().then_some(facts.body_html),
        body_md: (access.mine && !access.deleted).then_some(facts.body_md),
        edited_at: facts.edited_at,
        replies,
        // Writing in a group takes membership of the group.
        is_member: viewer.map(|_| {
            if in_group {
                group_membership.is_some()
            } else {
                membership.is_some()
            }
        }),
        mine: access.mine,
        voted: facts.voted.is_some(),
        can_moderate: access.can_moderate,
        can_pin: if in_group {
            group_membership == Some(1) || (!access.closed_group && is_admin)
        } else {
            membership == Some(1) || is_admin
        },
        closed_group: access.closed_group,
        // The viewer wrote something here that matched the crisis list (anonymous: id 0, never).
        helplines: viewer.is_some() && facts.flagged.is_some(),
        held: access.held,
        awaiting_approval: access.awaiting_approval,
        anonymous: facts.anonymous.get(),
        removed: access.removed,
        removed_reason: if access.removed && !access.removed_hidden {
            facts.removed_reason
        } else {
            None
        },
        related_articles,
        cited_articles,
        post,
        saved: Default::default(),
        follow: Default::default(),
    })
}

/// What a reply's reader needs to know of the thread and of themselves.
struct ReplyContext {
    signed_in: bool,
    viewer_id: UserId,
    can_moderate: bool,
    /// The post is anonymous: its author is "a member" in their own thread too.
    anonymous: bool,
    post_author: UserId,
    accepted: Option<i64>,
    question: bool,
}

/// The columns of [`THREAD_SQL`].
#[derive(sqlx::FromRow)]
pub(crate) struct ReplyRow {
    id: i64,
    parent_id: Option<i64>,
    depth: i64,
    author_id: UserId,
    body_html: String,
    body_md: String,
    held_at: Option<i64>,
    awaiting_approval: Flag,
    removed_at: Option<i64>,
    removed_reason: Option<String>,
    vote_count: i64,
    created_at: i64,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    voted: Flag,
    #[sqlx(flatten)]
    author: AuthorRow,
}

/// One reply as its reader may see it: the words only where they are shown (not deleted, not
/// held for an anonymous visitor, not removed for others than its author and the moderators).
fn stored_reply(r: ReplyRow, cx: &ReplyContext) -> StoredReply {
    let deleted = r.deleted_at.is_some();
    let mine = cx.signed_in && r.author_id == cx.viewer_id;
    // A reply waiting for a moderator's look is not for anonymous visitors; a
    // removed one only for its author and the moderators.
    let held = !cx.signed_in && r.held_at.is_some();
    let removed = r.removed_at.is_some();
    let removed_hidden = removed && !mine && !cx.can_moderate;
    let hidden = deleted || held || removed_hidden;
    StoredReply {
        view: ReplyView {
            id: r.id,
            // Filled in below, for the replies whose words are shown.
            pictures: Vec::new(),
            parent_id: r.parent_id,
            depth: 0,
            in_reply_to: None,
            author: if hidden {
                None
            } else if cx.anonymous && r.author_id == cx.post_author {
                // The anonymous poster in their own thread: "a member" still.
                Some(if cx.can_moderate {
                    Author {
                        anonymous: true,
                        ..r.author.author()
                    }
                } else {
                    anonymous_author()
                })
            } else {
                Some(r.author.author())
            },
            cites: if hidden {
                Vec::new()
            } else {
                cited_articles(&r.body_md)
            },
            body_html: if hidden { String::new() } else { r.body_html },
            body_md: (mine && !deleted).then_some(r.body_md),
            deleted,
            created_at: r.created_at,
            edited_at: r.edited_at,
            vote_count: r.vote_count,
            voted: r.voted.get(),
            accepted: cx.accepted == Some(r.id),
            is_answer: cx.question && r.parent_id.is_none(),
            mine,
            held,
            awaiting_approval: r.awaiting_approval.get(),
            removed,
            removed_reason: if removed && !removed_hidden {
                r.removed_reason
            } else {
                None
            },
        },
        true_depth: r.depth,
    }
}

/// One earlier version of a post.
#[derive(sqlx::FromRow)]
struct VersionRow {
    title: String,
    body_md: String,
    tags: String,
    written_at: i64,
    replaced_at: i64,
}

/// A post's edit history as `viewer` may see it: the dates for everyone who may open the post;
/// the earlier words only for its author and the moderators of its place (and never once it is
/// deleted). Reads through [`page`], so every rule of who may open the post holds here too.
pub async fn history(db: &Db, id: i64, viewer: Option<Viewer>) -> Result<PostHistory, AppError> {
    let p = page(db, id, viewer).await?;
    let full = (p.mine || p.can_moderate) && !p.deleted && !p.locked;
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT title, body_md, tags, written_at, replaced_at FROM post_versions \
         WHERE post_id = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let versions = rows
        .into_iter()
        .map(|r| {
            let (title, body_html, tags) = if full {
                (
                    r.title,
                    markdown::to_html(&r.body_md),
                    r.tags.split_whitespace().map(str::to_string).collect(),
                )
            } else {
                (String::new(), String::new(), Vec::new())
            };
            PostVersion {
                title,
                body_html,
                tags,
                written_at: r.written_at,
                replaced_at: r.replaced_at,
            }
        })
        .collect();
    Ok(PostHistory {
        id,
        title: p.post.title.clone(),
        created_at: p.post.created_at,
        edited_at: p.edited_at,
        full,
        versions,
    })
}

/// A member's posts and answers that the viewer may read, newest first, with their counts.
pub async fn activity(db: &Db, handle: &str, viewer: Option<Viewer>) -> Result<Activity, AppError> {
    let author: UserId = sqlx::query_scalar("SELECT id FROM users WHERE handle = $1")
        .bind(handle.trim().trim_start_matches('@').to_lowercase())
        .fetch_optional(&db.pool)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut params = Params::default();
    let (posts_filter, answers_filter) = activity_filters(&mut params, viewer, author);
    let limit = params.p(PAGE_SIZE as i64);
    let bind_all = |sql| with_params(sql, &params.0);
    let counts_sql = format!(
        "SELECT (SELECT COUNT(*) FROM posts p WHERE {posts_filter}) AS posts, \
                (SELECT COUNT(*) FROM replies r JOIN posts p ON p.id = r.post_id WHERE {answers_filter}) AS answers, \
                {limit} AS page"
    );
    // The columns in the order selected (the page size after them is for the planner).
    let (post_count, answer_count): (i64, i64) = rows_with_params(&counts_sql, &params.0)
        .fetch_one(&db.pool)
        .await?;
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
    let answers = rows_with_params::<AnswerRow>(&answers_sql, &params.0)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|r| AnswerSummary {
            reply_id: r.reply_id,
            post_id: r.post_id,
            post_title: r.title,
            community_name: r.community_name,
            excerpt: markdown::excerpt(&r.body_md),
            vote_count: r.vote_count,
            accepted: r.accepted.get(),
            created_at: r.created_at,
        })
        .collect();
    Ok(Activity {
        post_count,
        answer_count,
        posts,
        answers,
    })
}

/// The conditions on a member's posts and answers that a reader may see in their activity
/// (binding the rule's parameters and the author's id, in this order).
fn activity_filters(
    params: &mut Params,
    viewer: Option<Viewer>,
    author: UserId,
) -> (String, String) {
    let readable_sql = readable(params, viewer);
    let a = params.p(author);
    // A former member of a group is "a former member" in its threads, so their profile does not
    // name them as the author of what they wrote there either.
    let still_in_group = format!(
        "(p.group_id IS NULL OR EXISTS (SELECT 1 FROM support_group_members fm \
         WHERE fm.group_id = p.group_id AND fm.user_id = {a} AND fm.status = 'active'))"
    );
    // What waits for a moderator's look (the crisis safeguard) is listed to its author only.
    let listed_sql = listed(params, viewer);
    let reply_listed = match viewer {
        Some(v) if v.id == author => "1 = 1".to_string(),
        _ => "(r.held_at IS NULL AND r.removed_at IS NULL)".to_string(),
    };
    // An anonymous group post is in its author's own list only: anywhere else it would name them.
    let own_anonymous = match viewer {
        Some(v) if v.id == author => "1 = 1",
        _ => "p.anonymous = 0",
    };
    let own_anonymous_answer = match viewer {
        Some(v) if v.id == author => "1 = 1",
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
    (posts_filter, answers_filter)
}

/// An answer in a member's activity.
#[derive(sqlx::FromRow)]
struct AnswerRow {
    reply_id: i64,
    post_id: i64,
    title: String,
    community_name: String,
    body_md: String,
    vote_count: i64,
    created_at: i64,
    accepted: Flag,
}

pub(super) const ARTICLE_LINK: &str =
    "SELECT DISTINCT a.slug, v.title, v.summary, rv.handle AS reviewer \
    FROM articles a JOIN article_versions v ON v.id = a.published_version_id \
    JOIN users rv ON rv.id = v.reviewer_id";

pub(super) fn article_link(r: &AnyRow) -> Result<ArticleLink, AppError> {
    Ok(ArticleLink::from_row(r)?)
}

/// Published articles of the post's community that share a tag with it (at most three). Not
/// another community's: "side effects" on a diabetes thread is not the leukaemia article's.
pub(super) async fn related_articles(db: &Db, post: i64) -> Result<Vec<ArticleLink>, AppError> {
    sqlx::query(&format!(
        "{ARTICLE_LINK} JOIN article_tags t ON t.article_id = a.id \
         JOIN post_tags pt ON pt.tag = t.tag JOIN posts p ON p.id = pt.post_id \
         WHERE pt.post_id = $1 AND a.community_id = p.community_id ORDER BY a.slug LIMIT 3"
    ))
    .bind(post)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(article_link)
    .collect()
}

/// Previews of published articles by address (unknown or unpublished addresses are skipped).
pub(super) async fn article_links(db: &Db, slugs: &[String]) -> Result<Vec<ArticleLink>, AppError> {
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
