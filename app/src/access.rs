//! Who is reading and what they may do: the `Viewer` of a request, the visibility rule's SQL, and community and group roles.
//!
//! Server-only. Every read path that lists or shows posts takes an `Option<Viewer>` (`None`: a
//! visitor) and puts [`readable`] and [`listed`] into its SQL; every write that depends on a
//! member's place asks [`community_role`] or [`group_role`]; the group rule "its moderators, and
//! admins only where the group is open" is [`moderates_group`]. The authorisation tests
//! (`server/tests/it/security.rs`, `posts.rs`, `groups.rs`) exercise these through the features.

use crate::auth::types::CurrentUser;
use crate::error::AppError;
use crate::ids::{CommunityId, GroupId, UserId};
use crate::posts::repo::Params;

/// A logged-in reader: who, and whether a site admin. `Option<Viewer>` is "who is reading",
/// `None` for a visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    pub is_admin: bool,
}

impl Viewer {
    pub fn of(user: &CurrentUser) -> Self {
        Viewer {
            id: user.id,
            is_admin: user.is_admin,
        }
    }
}

/// Who is reading this request (the session is looked up once per request: see
/// `auth::session::current`).
pub async fn viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::auth::session::current()
        .await?
        .as_ref()
        .map(Viewer::of))
}

/// A member's standing in a community or a support group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Member,
    Moderator,
}

impl Role {
    /// The role of a membership row found by `sql` (`is_moderator`), or `None` when there is none.
    async fn of_row<'e, E>(
        ex: E,
        sql: &str,
        place: i64,
        user: UserId,
    ) -> Result<Option<Role>, AppError>
    where
        E: sqlx::Executor<'e, Database = sqlx::Any>,
    {
        let moderator: Option<crate::db::Flag> = sqlx::query_scalar(sql)
            .bind(place)
            .bind(user)
            .fetch_optional(ex)
            .await?;
        Ok(moderator.map(|m| {
            if m.get() {
                Role::Moderator
            } else {
                Role::Member
            }
        }))
    }
}

/// `user`'s role in a community: `None` when not a member.
pub async fn community_role<'e, E>(
    ex: E,
    community: CommunityId,
    user: UserId,
) -> Result<Option<Role>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Role::of_row(
        ex,
        "SELECT is_moderator FROM community_members WHERE community_id = $1 AND user_id = $2",
        community.0,
        user,
    )
    .await
}

/// `user`'s role in a support group: `None` unless an *active* member (not one who asked, was
/// invited, left or was removed).
pub async fn group_role<'e, E>(
    ex: E,
    group: GroupId,
    user: UserId,
) -> Result<Option<Role>, AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Role::of_row(
        ex,
        &format!(
            "SELECT is_moderator FROM support_group_members WHERE group_id = $1 AND user_id = $2 AND {ACTIVE}"
        ),
        group.0,
        user,
    )
    .await
}

/// Moderates a support group: its own moderators; admins only for an open group, whose posts
/// are readable anyway. A private or hidden group has no admin path in: its members decide who
/// reads it, and who is in it (who is in a trial) is theirs to know.
pub fn moderates_group(role: Option<Role>, closed: bool, user: &CurrentUser) -> bool {
    role == Some(Role::Moderator) || (user.is_admin && !closed)
}

/// SQL condition on a `support_group_members` row (unqualified columns): an active member.
pub const ACTIVE: &str = "status = 'active'";

/// SQL that is true when the member whose id is the expression `user` is an active member of
/// the group whose id is the expression `group`.
pub fn in_group_sql(group: &str, user: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM support_group_members gm WHERE gm.group_id = {group} \
         AND gm.user_id = {user} AND gm.status = 'active')"
    )
}

/// SQL that is 1 when post `p` is in a private or hidden support group.
const CLOSED_GROUP: &str =
    "p.group_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM support_groups og \
     WHERE og.id = p.group_id AND og.kind = 'open')";

/// SQL that is 1 when the viewer may read post `p` in full. The one visibility rule of every
/// post read path: a post of a private or hidden support group only for the group's active
/// members (admins included: no exception); otherwise public, or for a member of its community
/// or of its (open) group, or for an admin.
pub fn readable(params: &mut Params, viewer: Option<Viewer>) -> String {
    match viewer {
        None => format!(
            "(CASE WHEN {CLOSED_GROUP} THEN 0 WHEN p.held_at IS NOT NULL THEN 0 \
             WHEN p.visibility = 'public' THEN 1 ELSE 0 END)"
        ),
        Some(v) => {
            let id = params.p(v.id);
            let member = in_group_sql("p.group_id", &id);
            let open = if v.is_admin {
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
pub fn listed(params: &mut Params, viewer: Option<Viewer>) -> String {
    match viewer {
        None => "(p.held_at IS NULL AND p.removed_at IS NULL)".to_string(),
        Some(v) => format!(
            "((p.held_at IS NULL AND p.removed_at IS NULL) OR p.author_id = {})",
            params.p(v.id)
        ),
    }
}
