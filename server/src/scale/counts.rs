//! The scale generator's last step: the counts kept in columns, the commit, PostgreSQL's sequences and statistics.

use super::*;

/// What the earlier steps counted, to be written into the counting columns.
pub(super) struct Tallies<'a> {
    pub(super) first_community: i64,
    pub(super) first_group: i64,
    pub(super) member_count: &'a [i64],
    pub(super) post_count: &'a [i64],
    pub(super) group_members: &'a [i64],
    pub(super) group_posts: &'a [i64],
    pub(super) unread: &'a [i64],
    pub(super) unread_messages: &'a [i64],
}

/// Writes the counts, commits, and readies the database for reading.
pub(super) async fn write(cx: &mut Cx, world: &World<'_>, t: &Tallies<'_>) -> Result<(), String> {
    let World {
        db,
        first_user,
        n_members,
        ..
    } = *world;
    let Tallies {
        first_community,
        first_group,
        member_count,
        post_count,
        group_members,
        group_posts,
        unread,
        unread_messages,
    } = *t;
    for (c, n) in member_count.iter().enumerate() {
        cx.w.update(
            "UPDATE communities SET member_count = $1, post_count = $2 WHERE id = $3",
            &[*n, post_count[c], first_community + c as i64],
        )
        .await?;
    }
    for (g, n) in group_members.iter().enumerate() {
        cx.w.update(
            "UPDATE support_groups SET member_count = $1, post_count = $2 WHERE id = $3",
            &[*n, group_posts[g], first_group + g as i64],
        )
        .await?;
    }
    for m in 0..n_members {
        if unread[m] > 0 || unread_messages[m] > 0 {
            cx.w.update(
                "UPDATE users SET unread_notifications = $1, unread_messages = $2 WHERE id = $3",
                &[unread[m], unread_messages[m], first_user + m as i64],
            )
            .await?;
        }
        cx.w.bar.inc(2);
    }
    cx.w.exec("COMMIT").await?;
    ready(cx, db).await
}

/// After the commit: PostgreSQL's sequences past the explicit ids, the indexes set aside put
/// back, fresh statistics (SQLite's usual settings back too).
async fn ready(cx: &mut Cx, db: &Db) -> Result<(), String> {
    if db.backend == Backend::Postgres {
        let tables = [
            "users",
            "communities",
            "support_groups",
            "posts",
            "replies",
            "notifications",
            "conversations",
            "messages",
            "providers",
            "reviews",
        ];
        move_sequences(cx, &tables).await?;
        cx.w.bar.set_message("indexes");
        aside::restore(db).await?;
        // The tables written (a bare ANALYZE also visits catalogs this role may not analyse,
        // and says so once per catalog).
        cx.w.exec(
            "ANALYZE users, communities, community_members, support_groups, support_group_members, \
             posts, replies, post_votes, notifications, conversations, messages, providers, \
             provider_conditions, reviews",
        )
        .await
    } else {
        cx.w.bar.set_message("indexes");
        aside::restore(db).await?;
        sqlite_settings_back(cx).await
    }
}

/// Moves PostgreSQL's id sequences of `tables` past the explicit ids written.
async fn move_sequences(cx: &mut Cx, tables: &[&str]) -> Result<(), String> {
    for table in tables {
        cx.w.exec(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
        .await?;
    }
    Ok(())
}

/// SQLite's usual settings back after the bulk write, and fresh statistics.
async fn sqlite_settings_back(cx: &mut Cx) -> Result<(), String> {
    cx.w.exec("PRAGMA synchronous=NORMAL").await?;
    cx.w.exec("PRAGMA foreign_keys=ON").await?;
    cx.w.exec("ANALYZE").await
}

/// Readies the directory written on its own (`top_up_directory`): PostgreSQL's sequences past
/// the explicit ids and fresh statistics; SQLite's usual settings back and fresh statistics.
pub(super) async fn directory_ready(cx: &mut Cx, db: &Db) -> Result<(), String> {
    if db.backend == Backend::Postgres {
        move_sequences(cx, &["providers", "reviews"]).await?;
        cx.w.exec("ANALYZE providers, provider_conditions, reviews")
            .await
    } else {
        sqlite_settings_back(cx).await
    }
}
