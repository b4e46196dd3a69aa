//! Writing posts: create, edit and delete, with screening, counts and the membership checks of who may write where.

use super::*;
use crate::ids::UserId;

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

pub(super) async fn set_tags(
    tx: &mut Tx<'_>,
    post: PostId,
    tags: &[String],
) -> Result<(), AppError> {
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
pub(super) struct GroupFacts {
    pub(super) id: i64,
    pub(super) closed: bool,
}

/// The community a new post goes to and, for a group's address, the group.
async fn place_of(
    db: &Db,
    slug: &str,
    group: Option<&str>,
) -> Result<(i64, Option<GroupFacts>), AppError> {
    Ok(match group {
        None => (community_id(db, slug).await?, None),
        Some(group) => {
            let (id, community, kind): (i64, i64, String) =
                sqlx::query_as("SELECT id, community_id, kind FROM support_groups WHERE slug = $1")
                    .bind(group)
                    .fetch_optional(&db.pool)
                    .await?
                    .ok_or(AppError::NotFound)?;
            let g = GroupFacts {
                id,
                closed: kind != "open",
            };
            (community, Some(g))
        }
    })
}

/// Whether `user` may write this post there: a member of the community, or an active member
/// of the group (a closed group does not exist for others); anonymous only in a group, and
/// never for a verified clinician.
async fn may_post(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    community: i64,
    group: Option<GroupFacts>,
    p: &PostInput,
) -> Result<(), AppError> {
    match group {
        Some(g)
            if group_role(&mut **tx, GroupId(g.id), user.id)
                .await?
                .is_none() =>
        {
            return Err(if g.closed {
                AppError::NotFound
            } else {
                AppError::JoinRequired
            });
        }
        None if community_role(&mut **tx, CommunityId(community), user.id)
            .await?
            .is_none() =>
        {
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
    Ok(())
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
    let (community, group) = place_of(db, slug, group).await?;
    let mut tx = db.begin_write().await?;
    may_post(&mut tx, user, community, group, p).await?;
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
    let id: i64 = sqlx::query_scalar(
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
    .await?;
    let closed = group.filter(|g| g.closed).map(|g| g.id);
    if closed.is_none() {
        // Tags feed spelling suggestions and related questions site-wide: not a closed group's.
        set_tags(&mut tx, PostId(id), &p.tags).await?;
    }
    count_post(&mut tx, community, group.map(|g| g.id), 1).await?;
    // Nobody is told of what waits for approval: nobody but the moderators may read it yet.
    let mut mentioned = if screened.hold.is_some() {
        Vec::new()
    } else {
        let new = crate::follows::repo::NewPost {
            id,
            community,
            public: visibility == Visibility::Public,
            title,
            tags: &p.tags,
        };
        tell_of_post(
            &mut tx,
            user,
            p,
            &new,
            body,
            group.map(|g| (g.id, g.closed)),
        )
        .await?
    };
    crate::follows::repo::auto_follow(&mut tx, user.id, PostId(id)).await?;
    let at = flag_at((PostId(id), None), (community, group), user);
    mentioned.extend(queue_flags(&mut tx, p.crisis.as_ref(), &screened, &at).await?);
    tx.commit().await?;
    db.announce(&mentioned).await;
    Ok(id)
}

/// Tells of a new post: whom it mentions, and who follows its community or one of its tags
/// (never of a group's post, nor of what the crisis safeguard holds). Returns who was told.
async fn tell_of_post(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    p: &PostInput,
    new: &crate::follows::repo::NewPost<'_>,
    body: &str,
    group: Option<(i64, bool)>,
) -> Result<Vec<UserId>, AppError> {
    let what = format!("“{}”", notify::types::short(new.title));
    let place = notify::repo::MentionPlace {
        what: &what,
        link: &format!("/p/{}", new.id),
        community: new.community,
        public: new.public,
        group: group.filter(|g| g.1).map(|g| g.0),
    };
    let who = if p.anonymous {
        ""
    } else {
        user.handle.as_str()
    };
    let mut told = notify::repo::add_mentions(tx, body, user.id, who, &place, &[]).await?;
    if group.is_none() && p.crisis.is_none() {
        let named = format!("@{}", user.handle);
        let more = crate::follows::repo::tell_new_post(tx, new, user.id, &named, &told).await?;
        told.extend(more);
    }
    Ok(told)
}

/// Where something just written is, for the moderation queue: the post (and reply), its
/// community and group, and who wrote it.
pub(super) fn flag_at(
    (post, reply): (PostId, Option<ReplyId>),
    (community, group): (i64, Option<GroupFacts>),
    author: &CurrentUser,
) -> crate::safety::repo::FlagAt {
    crate::safety::repo::FlagAt {
        post,
        reply,
        community: CommunityId(community),
        group: group.map(|g| (GroupId(g.id), g.closed)),
        author: author.id,
    }
}

/// Queues what the crisis safeguard and screening found (see [`crate::safety::repo::flag`]):
/// a crisis match (held, and the moderators e-mailed), a hold for approval, or else a watched
/// word's flag. Returns who was notified.
pub(super) async fn queue_flags(
    tx: &mut Tx<'_>,
    crisis: Option<&crate::safety::types::Crisis>,
    screened: &Screened,
    at: &crate::safety::repo::FlagAt,
) -> Result<Vec<UserId>, AppError> {
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
pub(super) async fn count_post(
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
pub(super) struct PostFacts {
    pub(super) community: i64,
    pub(super) group: Option<GroupFacts>,
    pub(super) author: UserId,
    pub(super) kind: PostKind,
    pub(super) public: bool,
    pub(super) deleted: bool,
    /// Waits for a moderator's approval: nobody but its author and the moderators sees it.
    pub(super) awaiting: bool,
    /// Posted anonymously: its author's replies and acceptances in the thread name nobody either.
    pub(super) anonymous: bool,
}

impl PostFacts {
    /// How `user` is named in notifications about this thread: "" for the author of an
    /// anonymous post (they stay "a member" in their own thread).
    pub(super) fn name_of<'a>(&self, id: UserId, handle: &'a str) -> &'a str {
        if self.anonymous && id == self.author {
            ""
        } else {
            handle
        }
    }
}

impl PostFacts {
    /// The group whose active members alone may read the post (a private or hidden group).
    pub(super) fn closed_group(&self) -> Option<i64> {
        self.group.filter(|g| g.closed).map(|g| g.id)
    }
}

/// The columns [`post_facts`] reads.
#[derive(sqlx::FromRow)]
struct FactsRow {
    community_id: i64,
    author_id: UserId,
    kind: String,
    visibility: String,
    deleted_at: Option<i64>,
    group_id: Option<i64>,
    group_kind: Option<String>,
    awaiting_approval: Flag,
    anonymous: Flag,
}

pub(super) async fn post_facts(tx: &mut Tx<'_>, id: PostId) -> Result<PostFacts, AppError> {
    let r: FactsRow = sqlx::query_as(
        "SELECT p.community_id, p.author_id, p.kind, p.visibility, p.deleted_at, p.group_id, p.awaiting_approval, \
           p.anonymous, g.kind AS group_kind FROM posts p LEFT JOIN support_groups g ON g.id = p.group_id WHERE p.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(PostFacts {
        community: r.community_id,
        group: r.group_id.map(|id| GroupFacts {
            id,
            closed: r.group_kind.as_deref() != Some("open"),
        }),
        author: r.author_id,
        kind: PostKind::parse(&r.kind).map_err(|_| AppError::Internal)?,
        public: r.visibility == "public",
        deleted: r.deleted_at.is_some(),
        awaiting: r.awaiting_approval.get(),
        anonymous: r.anonymous.get(),
    })
}

/// Edits the author's own post (kind stays; title, body, tags and visibility change).
pub async fn edit(db: &Db, user: &CurrentUser, id: PostId, p: &PostInput) -> Result<(), AppError> {
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
    let at = flag_at((id, None), (f.community, f.group), user);
    let told = queue_flags(&mut tx, p.crisis.as_ref(), &screened, &at).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// Whether `user` moderates the post's place: admins, the community's moderators and, for a
/// group post, the group's moderators.
pub(super) async fn moderates(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
) -> Result<bool, AppError> {
    // Writing follows reading: in a private or hidden group only the group's moderators may
    // remove anything (admins and community moderators do not read it, so do not delete it).
    if let Some(g) = f.group.filter(|g| g.closed) {
        return Ok(group_role(&mut **tx, GroupId(g.id), user.id).await? == Some(Role::Moderator));
    }
    if user.is_admin
        || community_role(&mut **tx, CommunityId(f.community), user.id).await?
            == Some(Role::Moderator)
    {
        return Ok(true);
    }
    Ok(match f.group {
        Some(g) => group_role(&mut **tx, GroupId(g.id), user.id).await? == Some(Role::Moderator),
        None => false,
    })
}

/// The author or a moderator of the post's place may remove it (or one of its replies by
/// `author`); anyone else is refused — with "not found" for an outsider of a closed group, whose
/// posts do not exist for them.
pub(super) async fn require_author_or_moderator(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
    author: UserId,
) -> Result<(), AppError> {
    if author == user.id || moderates(tx, user, f).await? {
        return Ok(());
    }
    if let Some(g) = f.group.filter(|g| g.closed) {
        if group_role(&mut **tx, GroupId(g.id), user.id)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
    }
    Err(AppError::Forbidden)
}

/// Soft-deletes a post (author, community moderator or admin): the words go, the replies stay.
pub async fn delete(db: &Db, user: &CurrentUser, id: PostId) -> Result<(), AppError> {
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
    crate::pictures::repo::delete_where(&mut tx, "post_id = $1", id.0).await?;
    count_post(&mut tx, f.community, f.group.map(|g| g.id), -1).await?;
    let told = notify::repo::forget_post(&mut tx, id.0).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(())
}

/// Members may write in their community (in a group: its active members); reading a
/// members-only post needs the same membership.
pub(super) async fn require_member(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
) -> Result<(), AppError> {
    if let Some(g) = f.group {
        if group_role(&mut **tx, GroupId(g.id), user.id)
            .await?
            .is_none()
        {
            // A closed group's post does not exist for outsiders.
            return Err(if g.closed {
                AppError::NotFound
            } else {
                AppError::JoinRequired
            });
        }
        return Ok(());
    }
    if community_role(&mut **tx, CommunityId(f.community), user.id)
        .await?
        .is_none()
    {
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
pub(super) async fn still_in_group(
    tx: &mut Tx<'_>,
    user: &CurrentUser,
    f: &PostFacts,
) -> Result<(), AppError> {
    match f.group {
        Some(_) => require_member(tx, user, f).await,
        None => Ok(()),
    }
}
