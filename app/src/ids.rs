//! Id newtypes for the ids most easily mixed up (a post's and a reply's, a member's, a community's, a group's): a function that takes a post and a reply cannot be handed them the other way round.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    };
}

id_type!(
    /// A member's id (`users.id`).
    UserId
);
id_type!(
    /// A post's id (`posts.id`).
    PostId
);
id_type!(
    /// A reply's id (`replies.id`).
    ReplyId
);
id_type!(
    /// A community's id (`communities.id`).
    CommunityId
);
id_type!(
    /// A support group's id (`support_groups.id`).
    GroupId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_travel_as_plain_numbers() {
        assert_eq!(
            serde_json::to_string(&PostId(42)).ok().as_deref(),
            Some("42")
        );
        assert_eq!(serde_json::from_str::<ReplyId>("7").ok(), Some(ReplyId(7)));
        assert_eq!(PostId(42).to_string(), "42");
    }
}
