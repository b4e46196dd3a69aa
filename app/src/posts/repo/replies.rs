//! Replies, votes, accepted answers and pins, with the thread's counts and notifications kept true in the same transaction.

use super::*;

/// Keeps a post's answer/comment counts and "answered by a clinician" true after a reply changes.
pub(super) async fn refresh_counts(tx: &mut Tx<'_>, post: PostId) -> Result<(), AppError> {
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
    post: PostId,
    reply: Option<ReplyId>,
) -> Result<Vec<UserId>, AppError> {
    let f = post_facts(tx, post).await?;
    if f.deleted {
        return Ok(Vec::new());
    }
    match reply {
        Some(id) => {
            let (author, parent, body, deleted_at, handle): (
                UserId,
                Option<ReplyId>,
                String,
                Option<i64>,
                String,
            ) = sqlx::query_as(
                "SELECT r.author_id, r.parent_id, r.body_md, r.deleted_at, u.handle FROM replies r \
                 JOIN users u ON u.id = r.author_id WHERE r.id = $1",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            refresh_counts(tx, post).await?;
            if deleted_at.is_some() {
                return Ok(Vec::new());
            }
            sqlx::query("UPDATE posts SET last_activity_at = $1 WHERE id = $2")
                .bind(now_ms())
                .bind(post)
                .execute(&mut **tx)
                .await?;
            let r = NewReply {
                post,
                id,
                parent,
                author: (author, &handle),
                body: &body,
            };
            notify_reply(tx, &r, &f, true).await
        }
        None => {
            let (title, body, tags, handle): (String, String, String, String) = sqlx::query_as(
                "SELECT p.title, p.body_md, p.tags, u.handle FROM posts p JOIN users u ON u.id = p.author_id \
                 WHERE p.id = $1",
            )
            .bind(post)
            .fetch_one(&mut **tx)
            .await?;
            let tags: Vec<String> = tags.split_whitespace().map(str::to_string).collect();
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
                    id: post.0,
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
    post: PostId,
    parent: Option<ReplyId>,
    body: &str,
    crisis: Option<&crate::safety::types::Crisis>,
) -> Result<ReplyId, AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    require_member(&mut tx, user, &f).await?;
    if f.deleted {
        return Err(AppError::Deleted);
    }
    if f.awaiting && f.author != user.id && !moderates(&mut tx, user, &f).await? {
        return Err(AppError::NotFound);
    }
    let depth = depth_under(&mut tx, post, parent).await?;
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
    let id: ReplyId = sqlx::query_scalar(
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
    .await?;
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
        let r = NewReply {
            post,
            id,
            parent,
            author: (user.id, &user.handle),
            body,
        };
        notify_reply(&mut tx, &r, &f, followers).await?
    };
    crate::follows::repo::auto_follow(&mut tx, user.id, post).await?;
    let at = flag_at((post, Some(id)), (f.community, f.group), user);
    notified.extend(queue_flags(&mut tx, crisis, &screened, &at).await?);
    // After the flags: a reply waiting for approval is not counted until it is approved.
    refresh_counts(&mut tx, post).await?;
    tx.commit().await?;
    db.announce(&notified).await;
    Ok(id)
}

/// A reply's depth: 0 on the post, or one under its parent (a reply of the same post, not deleted).
async fn depth_under(
    tx: &mut Tx<'_>,
    post: PostId,
    parent: Option<ReplyId>,
) -> Result<i64, AppError> {
    Ok(match parent {
        None => 0,
        Some(parent) => {
            let (of_post, depth, deleted_at): (PostId, i64, Option<i64>) =
                sqlx::query_as("SELECT post_id, depth, deleted_at FROM replies WHERE id = $1")
                    .bind(parent)
                    .fetch_optional(&mut **tx)
                    .await?
                    .ok_or(AppError::NotFound)?;
            if of_post != post {
                return Err(AppError::NotFound);
            }
            if deleted_at.is_some() {
                return Err(AppError::Deleted);
            }
            depth + 1
        }
    })
}

/// A reply that is seen from now on: where it is, who wrote it (id, handle) and its words.
pub(super) struct NewReply<'a> {
    pub post: PostId,
    pub id: ReplyId,
    pub parent: Option<ReplyId>,
    pub author: (UserId, &'a str),
    pub body: &'a str,
}

/// Tells the post's author (an answer or a reply), the author of the comment replied to, and
/// anyone mentioned who may read the post, then (with `followers`) the thread's followers in one
/// grouped notification; nobody who muted the thread. Returns who was notified.
pub(super) async fn notify_reply(
    tx: &mut Tx<'_>,
    r: &NewReply<'_>,
    f: &PostFacts,
    followers: bool,
) -> Result<Vec<UserId>, AppError> {
    let NewReply {
        post,
        id,
        author: (actor, handle),
        body,
        ..
    } = *r;
    let title: String = sqlx::query_scalar("SELECT title FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut **tx)
        .await?;
    let t = notify::types::short(&title);
    let who = f.name_of(actor, handle);
    let group = f.closed_group();
    // The anonymous poster answering in their own thread is "A member" (the post's author is
    // never notified of their own reply, so only "replied to your comment" and mentions say it).
    let named = if who.is_empty() {
        "A member".to_string()
    } else {
        format!("@{who}")
    };
    let link = format!("/p/{post}#r{id}");
    let (mut notified, parent_author) = tell_authors(tx, r, f, (&named, &t), &link).await?;
    let what = format!("a reply on “{t}”");
    let place = notify::repo::MentionPlace {
        what: &what,
        link: &link,
        community: f.community,
        public: f.public,
        group,
    };
    let mut skip = notified.clone();
    skip.extend(parent_author);
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
        let news = crate::follows::repo::ThreadNews {
            post,
            reply: id,
            actor,
            named: &named,
            title: &t,
        };
        notified.extend(crate::follows::repo::tell_thread(tx, &news, &audience, &skip).await?);
    }
    Ok(notified)
}

/// Tells the post's author of an answer or a reply, and the author of the comment replied to,
/// unless they muted the thread. `(named, title)`: how the writer is named, the short title.
/// Returns who was told, and the author of the comment replied to.
async fn tell_authors(
    tx: &mut Tx<'_>,
    r: &NewReply<'_>,
    f: &PostFacts,
    (named, t): (&str, &str),
    link: &str,
) -> Result<(Vec<UserId>, Option<UserId>), AppError> {
    let (post, actor, group) = (r.post, r.author.0, f.closed_group());
    let mut notified = Vec::new();
    let (kind, line) = if f.kind == PostKind::Question && r.parent.is_none() {
        ("answer", format!("{named} answered your question “{t}”"))
    } else {
        ("reply", format!("{named} replied to your post “{t}”"))
    };
    if !crate::follows::repo::muted(tx, f.author, post).await?
        && notify::repo::add_in_group(tx, f.author, kind, actor, &line, link, group).await?
    {
        notified.push(f.author);
    }
    let Some(parent) = r.parent else {
        return Ok((notified, None));
    };
    let (_, parent_author, _, _) = reply_facts(tx, parent).await?;
    if parent_author != f.author && !crate::follows::repo::muted(tx, parent_author, post).await? {
        let line = format!("{named} replied to your comment on “{t}”");
        if notify::repo::add_in_group(tx, parent_author, "reply", actor, &line, link, group).await?
        {
            notified.push(parent_author);
        }
    }
    Ok((notified, Some(parent_author)))
}

/// (post id, author id, parent, deleted) of a reply.
pub(super) async fn reply_facts(
    tx: &mut Tx<'_>,
    id: ReplyId,
) -> Result<(PostId, UserId, Option<ReplyId>, bool), AppError> {
    let (post, author, parent, deleted_at): (PostId, UserId, Option<ReplyId>, Option<i64>) =
        sqlx::query_as(
            "SELECT post_id, author_id, parent_id, deleted_at FROM replies WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((post, author, parent, deleted_at.is_some()))
}

/// Edits the author's own reply; returns its post.
pub async fn edit_reply(
    db: &Db,
    user: &CurrentUser,
    id: ReplyId,
    body: &str,
    crisis: Option<&crate::safety::types::Crisis>,
) -> Result<PostId, AppError> {
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
    let at = flag_at((post, Some(id)), (f.community, f.group), user);
    let told = queue_flags(&mut tx, crisis, &screened, &at).await?;
    tx.commit().await?;
    db.announce(&told).await;
    Ok(post)
}

/// Soft-deletes a reply (author, community moderator or admin); its own replies stay in place.
pub async fn delete_reply(db: &Db, user: &CurrentUser, id: ReplyId) -> Result<PostId, AppError> {
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
    crate::pictures::repo::delete_where(&mut tx, "reply_id = $1", id.0).await?;
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
    Post(PostId),
    Reply(ReplyId),
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
        VoteTarget::Post(PostId(id)) | VoteTarget::Reply(ReplyId(id)) => id,
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
    let count: i64 = sqlx::query_scalar(select)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((inserted, count))
}

/// The asker marks one answer as accepted (`None` takes the mark back).
pub async fn accept(
    db: &Db,
    user: &CurrentUser,
    post: PostId,
    reply: Option<ReplyId>,
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
        let title: String = sqlx::query_scalar("SELECT title FROM posts WHERE id = $1")
            .bind(post)
            .fetch_one(&mut *tx)
            .await?;
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
pub async fn pin(db: &Db, user: &CurrentUser, post: PostId, pinned: bool) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    let f = post_facts(&mut tx, post).await?;
    match f.group {
        Some(g) => {
            let role = group_role(&mut *tx, GroupId(g.id), user.id).await?;
            if role.is_none() && g.closed {
                return Err(AppError::NotFound);
            }
            // Admins pin in open groups only; a closed group's moderators decide there.
            if !moderates_group(role, g.closed, user) {
                return Err(AppError::Forbidden);
            }
        }
        None => {
            let role = community_role(&mut *tx, CommunityId(f.community), user.id).await?;
            if role != Some(Role::Moderator) && !user.is_admin {
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
