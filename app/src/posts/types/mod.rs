//! Post wire types, the validating parsers for what members type, feed cursors and the thread layout.

use serde::{Deserialize, Serialize};

mod layout;
mod text;

pub use layout::*;
pub use text::*;

/// Questions get answers (one may be accepted); discussions get threaded comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostKind {
    Question,
    Discussion,
}

impl PostKind {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "question" => Ok(Self::Question),
            "discussion" => Ok(Self::Discussion),
            _ => Err("Choose whether you are asking a question or starting a discussion.".into()),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Question => "question",
            Self::Discussion => "discussion",
        }
    }
}

/// Who may read a post in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    /// Anyone, and search engines.
    Public,
    /// Members of the post's community; others see the title and an excerpt.
    Members,
}

impl Visibility {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "public" => Ok(Self::Public),
            "members" => Ok(Self::Members),
            _ => Err("Choose who can read this post.".into()),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Members => "members",
        }
    }
}

/// Feed orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedSort {
    New,
    /// Most recent reply first.
    Active,
    /// Most helpful votes among posts of the time window.
    Top,
    /// Questions nobody has answered yet, newest first.
    Unanswered,
    /// Questions whose asker has accepted no answer (answered ones included), newest first.
    NotAccepted,
}

/// The feed tabs: the sort, its key in links, its label. The question filters say what they do
/// ("Unanswered" used to list questions that had a clinician's answer but none accepted).
pub const SORTS: &[(FeedSort, &str, &str)] = &[
    (FeedSort::New, "new", "New"),
    (FeedSort::Active, "active", "Active"),
    (FeedSort::Top, "top", "Top"),
    (FeedSort::Unanswered, "unanswered", "No answers yet"),
    (FeedSort::NotAccepted, "open", "No accepted answer"),
];

impl FeedSort {
    /// Unknown values fall back to New (they come from links, not forms).
    pub fn parse(raw: &str) -> Self {
        SORTS
            .iter()
            .find(|(_, k, _)| *k == raw)
            .map(|(s, ..)| *s)
            .unwrap_or(FeedSort::New)
    }
    pub fn as_str(self) -> &'static str {
        SORTS
            .iter()
            .find(|(s, ..)| *s == self)
            .map(|(_, k, _)| *k)
            .unwrap_or("new")
    }
}

/// The time windows of the Top sort: key, label, length in days (0 = all time).
pub const WINDOWS: &[(&str, &str, i64)] = &[
    ("week", "This week", 7),
    ("month", "This month", 30),
    ("year", "This year", 365),
    ("all", "All time", 0),
];

/// Days of a Top window; unknown values mean a month.
pub fn window_days(raw: &str) -> i64 {
    WINDOWS
        .iter()
        .find(|(k, ..)| *k == raw)
        .map(|(.., d)| *d)
        .unwrap_or(30)
}

/// Which posts a feed lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeedScope {
    /// Public posts of every community (the landing page).
    Public,
    /// Every post of the communities the member joined.
    Home,
    /// The front page's feed: `Home` for a member, `Public` for a visitor, decided by the server
    /// from the request's session (so the page makes its feed without waiting for the session).
    Front,
    /// One community's posts (members-only ones as excerpts for outsiders); group posts stay in their group.
    Community(String),
    /// One support group's posts (empty for those who may not read the group).
    Group(String),
}

impl FeedScope {
    /// `"public"`, `"home"` or a community slug.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "public" | "" => Self::Public,
            "home" => Self::Home,
            "front" => Self::Front,
            raw => match raw.strip_prefix("g:") {
                Some(group) => Self::Group(group.to_string()),
                None => Self::Community(raw.to_string()),
            },
        }
    }
    pub fn as_param(&self) -> String {
        match self {
            Self::Public => "public".into(),
            Self::Home => "home".into(),
            Self::Front => "front".into(),
            Self::Community(slug) => slug.clone(),
            Self::Group(slug) => format!("g:{slug}"),
        }
    }
}

pub const PAGE_SIZE: usize = 20;

/// A keyset position: the sort key of the last item shown and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub key: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self) -> String {
        format!("{}_{}", self.key, self.id)
    }
    pub fn decode(raw: &str) -> Option<Self> {
        let (key, id) = raw.split_once('_')?;
        Some(Self {
            key: key.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// Who wrote something, with the verified-clinician badge when it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// Empty for a former member of the post's support group (their handle is not shown there).
    pub handle: String,
    /// "Verified neurologist" for verified clinicians; `None` for everyone else.
    pub badge: Option<String>,
    /// Wrote in a support group they have since left.
    pub former: bool,
    /// Their account was erased: shown as "[deleted member]", with no link.
    #[serde(default)]
    pub erased: bool,
    /// Posted anonymously in a support group: "a member" (the handle is empty) for everyone but
    /// the group's moderators, who get the handle with this flag still set.
    #[serde(default)]
    pub anonymous: bool,
    /// Their avatar picture (`/img/<id>`); `None`: their initials. Never for "a member".
    #[serde(default)]
    pub avatar: Option<i64>,
}

/// A post's edit history (`/p/<id>/history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostHistory {
    pub id: i64,
    /// The title as the post page shows it to this viewer.
    pub title: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// The viewer reads the earlier words (the author and the moderators of its place).
    pub full: bool,
    /// Newest first; without words unless `full`.
    pub versions: Vec<PostVersion>,
}

/// One earlier version of a post: what it said from `written_at` until `replaced_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostVersion {
    pub title: String,
    pub body_html: String,
    pub tags: Vec<String>,
    pub written_at: i64,
    pub replaced_at: i64,
}

/// A post as listed in feeds and on profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostSummary {
    pub id: i64,
    pub community_slug: String,
    pub community_name: String,
    /// The support group it was written in, as (address, name).
    pub group: Option<(String, String)>,
    /// Pinned to the top of its group by a group moderator.
    pub pinned: bool,
    pub kind: PostKind,
    pub visibility: Visibility,
    pub title: String,
    pub excerpt: String,
    /// Hidden (`None`) from readers who may only see the excerpt of a members-only post.
    pub author: Option<Author>,
    pub tags: Vec<String>,
    pub reply_count: i64,
    pub answer_count: i64,
    pub vote_count: i64,
    pub accepted: bool,
    pub clinician_answered: bool,
    pub created_at: i64,
    pub last_activity_at: i64,
}

/// One page of a feed; `next` is the cursor for "Load more".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<PostSummary>,
    pub next: Option<String>,
    /// The in-feed sponsored slot (after the 3rd post): first pages of community and home
    /// feeds only. Chosen with the page, so it renders with it (and hydrates with it).
    #[serde(default)]
    pub sponsored: Option<crate::sponsored::types::SponsoredView>,
    /// Whether this is the member's own feed (`Home`, or `Front` for a member).
    #[serde(default)]
    pub home: bool,
}

/// A reply in the order it is shown, with its display depth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyView {
    pub id: i64,
    /// Its pictures (up to four), when its words are shown.
    #[serde(default)]
    pub pictures: Vec<crate::pictures::types::Picture>,
    pub parent_id: Option<i64>,
    /// Indentation level, capped at [`MAX_DEPTH`].
    pub depth: i64,
    /// Set when the reply is shown flatter than it is nested: whom it answers.
    pub in_reply_to: Option<String>,
    /// `None` once deleted.
    pub author: Option<Author>,
    /// Empty once deleted.
    pub body_html: String,
    /// Only for the author (to edit it).
    pub body_md: Option<String>,
    pub deleted: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub vote_count: i64,
    pub voted: bool,
    pub accepted: bool,
    /// A top-level reply to a question.
    pub is_answer: bool,
    pub mine: bool,
    /// Library articles this reply links to (their addresses), shown as previews.
    pub cites: Vec<String>,
    /// Waiting for a moderator's look (the crisis safeguard): its words are not shown to visitors
    /// who are not logged in.
    pub held: bool,
    /// Waits for a moderator's approval (a new member's, or a watched word): only its author
    /// and the moderators see it at all.
    pub awaiting_approval: bool,
    /// Removed by a moderator: its words only for its author and the moderators.
    pub removed: bool,
    /// Why, for its author and the moderators.
    pub removed_reason: Option<String>,
}

/// A post page. Readers who may not read a members-only post get `locked` and the excerpt only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostPage {
    pub post: PostSummary,
    /// The post's own pictures (up to four), when its words are shown.
    #[serde(default)]
    pub pictures: Vec<crate::pictures::types::Picture>,
    pub locked: bool,
    pub deleted: bool,
    pub body_html: Option<String>,
    /// Only for the author.
    pub body_md: Option<String>,
    pub edited_at: Option<i64>,
    pub replies: Vec<ReplyView>,
    /// `None` when not logged in.
    pub is_member: Option<bool>,
    pub mine: bool,
    pub voted: bool,
    /// Moderators of the community and admins may delete others' posts and replies.
    pub can_moderate: bool,
    /// Published library articles of the post's community that share a tag with it.
    pub related_articles: Vec<ArticleLink>,
    /// Previews of the articles replies cite (looked up by address).
    pub cited_articles: Vec<ArticleLink>,
    /// A moderator of the post's support group may pin it.
    pub can_pin: bool,
    /// In a private or hidden group: only its members read it, whatever the post says.
    pub closed_group: bool,
    /// The viewer wrote something in this thread that matched the crisis list: the thread shows
    /// them the helplines (nobody else learns of it from the page).
    pub helplines: bool,
    /// The post waits for a moderator's look: no sponsored content beside it.
    pub held: bool,
    /// Waits for a moderator's approval: nobody but its author and the moderators may open it.
    pub awaiting_approval: bool,
    /// Posted anonymously (support groups): the author sees "a member (you)", the group's
    /// moderators the handle, everyone else "a member".
    #[serde(default)]
    pub anonymous: bool,
    /// Removed by a moderator (its words only for its author and the moderators).
    pub removed: bool,
    /// Why, for its author and the moderators.
    pub removed_reason: Option<String>,
    /// What the viewer saved of this thread (empty for visitors).
    #[serde(default)]
    pub saved: crate::saved::types::SavedInThread,
    /// How the viewer follows this thread (`None` for visitors).
    #[serde(default)]
    pub follow: crate::follows::types::ThreadFollow,
}

/// A published library article as a link with a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ArticleLink {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reviewer: String,
}

/// A member's answer as listed on their profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSummary {
    pub reply_id: i64,
    pub post_id: i64,
    pub post_title: String,
    pub community_name: String,
    pub excerpt: String,
    pub vote_count: i64,
    pub accepted: bool,
    pub created_at: i64,
}

/// What a profile shows of a member's writing, filtered by what the viewer may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub post_count: i64,
    pub answer_count: i64,
    pub posts: Vec<PostSummary>,
    pub answers: Vec<AnswerSummary>,
}

/// How deep replies are indented before they are shown flat with "in reply to".
pub const MAX_DEPTH: i64 = 4;
/// The most replies one thread page shows.
pub const THREAD_LIMIT: usize = 1000;
