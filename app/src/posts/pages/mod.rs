//! Post views shared by every list (author link, article preview, the post card, a member's activity); feeds, the new-post form, the post page and its thread live in the sub-modules.

use super::api::{
    get_activity, get_feed, get_pinned, get_post, get_post_history, similar_questions,
    AcceptAnswer, CreatePost, CreateReply, DeletePost, DeleteReply, EditPost, EditReply, PinPost,
    RemoveContent, ReportContent, RestoreContent, Vote,
};
use super::types::*;
use crate::communities::api::{get_community, JoinCommunity};
use crate::error::AppError;
use crate::follows::api::FollowThread;
use crate::follows::pages::follow_thread_control;
use crate::follows::types::search_link;
use crate::pictures::pages::{AddPicture, Avatar, PictureRow};
use crate::pictures::types::PER_POST;
use crate::safety::pages::{CrisisPanel, CrisisWatch, RemoveForm, RemovedNote, ReportForm};
use crate::saved::api::ToggleSaved;
use crate::session::Session;
use crate::sponsored::pages::{SponsoredCard, SponsoredSlot};
use crate::sponsored::types::Placement;
use crate::ui::{
    action_error, echoed, field_error, format_date, successes, ErrorView, Field, FormAlert,
    Highlighted,
};
use crate::ui::{echo_resource, Checkbox, MarkdownField, RadioGroup, When};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

mod feed;
mod replies;
mod thread;
mod write;

pub use feed::*;
pub use replies::*;
pub use thread::*;
pub use write::*;

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn kind_label(kind: PostKind) -> &'static str {
    match kind {
        PostKind::Question => "Question",
        PostKind::Discussion => "Discussion",
    }
}

/// "@handle" linking to the profile, with the verified-clinician badge.
#[component]
pub fn AuthorLink(author: Option<Author>) -> impl IntoView {
    match author {
        Some(a) if a.erased => view! { <span class="muted">"[deleted member]"</span> }.into_any(),
        Some(a) if a.anonymous && a.handle.is_empty() => {
            view! { <span class="muted">"a member"</span> }.into_any()
        }
        // The group's moderators: who it is, and that others do not see it.
        Some(a) if a.anonymous => view! {
            <Avatar handle=a.handle.clone() avatar=a.avatar/>
            <a href=format!("/u/{}", a.handle)>"@"{a.handle.clone()}</a>
            " " <span class="badge">"posted anonymously: only moderators see the name"</span>
        }
        .into_any(),
        Some(a) if a.former => view! { <span class="muted">"a former member"</span> }.into_any(),
        Some(a) => view! {
            <Avatar handle=a.handle.clone() avatar=a.avatar/>
            <a href=format!("/u/{}", a.handle)>"@"{a.handle.clone()}</a>
            {a.badge.map(|b| view! { " " <span class="badge badge-verified">"✓ "{b}</span> })}
        }
        .into_any(),
        None => view! { <span class="muted">"a member"</span> }.into_any(),
    }
}

/// A library article as a card: title, summary and its reviewer.
#[component]
pub fn ArticlePreview(link: ArticleLink) -> impl IntoView {
    view! {
        <a class="article-preview" href=format!("/library/{}", link.slug)>
            <span class="small kind">"Health library"</span>
            <strong>{link.title}</strong>
            <span class="small">{link.summary}</span>
            <span class="small muted">"✓ Medically reviewed by @" {link.reviewer}</span>
        </a>
    }
}

/// One post in a list: counts, kind, title, excerpt, author and state.
#[component]
pub fn PostCard(
    p: PostSummary,
    #[prop(default = true)] show_community: bool,
    /// Off on a member's profile: every card there is theirs.
    #[prop(default = true)]
    show_author: bool,
    /// Search matches to show instead of the excerpt.
    #[prop(optional)]
    snippet: Option<Vec<(String, bool)>>,
) -> impl IntoView {
    let href = format!("/p/{}", p.id);
    let author = p.author.clone().filter(|_| show_author);
    let (count, noun) = match p.kind {
        PostKind::Question => (p.answer_count, ("answer", "answers")),
        PostKind::Discussion => (p.reply_count, ("comment", "comments")),
    };
    let summary = format!(
        "{}, {}",
        plural(count, noun.0, noun.1),
        plural(p.vote_count, "helpful vote", "helpful votes")
    );
    view! {
        <li class="post-card">
            <div class="post-stats" aria-hidden="true">
                <span class="stat" class:stat-accepted=p.accepted class:stat-empty=count == 0>
                    <strong>{count}</strong>
                    {if count == 1 { noun.0 } else { noun.1 }}
                </span>
                <span class="stat"><strong>{p.vote_count}</strong>"helpful"</span>
            </div>
            <div class="post-main">
                <p class="post-kicker small">
                    <span class=format!("kind kind-{}", p.kind.as_str())>{kind_label(p.kind)}</span>
                    {match p.group.clone() {
                        Some((slug, name)) => show_community.then(|| view! {
                            " in " <a href=format!("/g/{slug}")>{name}</a>
                        }).into_any(),
                        None => show_community.then(|| view! {
                            " in " <a href=format!("/c/{}", p.community_slug)>{p.community_name.clone()}</a>
                        }).into_any(),
                    }}
                    {p.pinned.then(|| view! { " " <span class="badge">"Pinned"</span> })}
                    // Inside its own group a group post needs no lock: the whole group is for members.
                    {(p.visibility == Visibility::Members && (show_community || p.group.is_none())).then(|| view! {
                        " " <span class="badge badge-lock">"Members only"</span>
                    })}
                </p>
                <h3 class="post-title"><a href=href>{p.title.clone()}</a></h3>
                {match snippet {
                    Some(s) => view! { <Highlighted segments=s/> }.into_any(),
                    None => (!p.excerpt.is_empty())
                        .then(|| view! { <p class="excerpt">{p.excerpt.clone()}</p> })
                        .into_any(),
                }}
                <p class="post-meta small muted">
                    <span class="visually-hidden">{summary}". "</span>
                    {author.is_some().then_some("By ")}
                    {author.map(|a| view! { <AuthorLink author=Some(a)/> " · " })}
                    <When ms=p.created_at/>
                    {p.accepted.then(|| view! { " · " <span class="state-accepted">"✓ Accepted answer"</span> })}
                    {p.clinician_answered.then(|| view! { " · " <span class="state-clinician">"Answered by a clinician"</span> })}
                </p>
                {(!p.tags.is_empty()).then(|| view! {
                    <ul class="tags" aria-label="Tags">
                        {p.tags.iter().map(|t| view! { <li class="tag">{t.clone()}</li> }).collect_view()}
                    </ul>
                })}
            </div>
        </li>
    }
}

/// The posts and answers on a member's profile (what the viewer may read).
pub fn profile_activity(handle: String) -> impl IntoView {
    let activity = crate::ui::resource(move || handle.clone(), get_activity);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match activity.await {
                    Ok(a) => view! {
                        <section aria-labelledby="posts-h">
                            <h2 id="posts-h">"Questions and discussions (" {a.post_count} ")"</h2>
                            {if a.posts.is_empty() {
                                view! { <p class="muted">"None you can see yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="post-list">
                                        {a.posts.into_iter().map(|p| view! { <PostCard p=p show_author=false/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="answers-h">
                            <h2 id="answers-h">"Answers (" {a.answer_count} ")"</h2>
                            {if a.answers.is_empty() {
                                view! { <p class="muted">"None you can see yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="answer-list">
                                        {a.answers.into_iter().map(|x| view! {
                                            <li class="answer-item">
                                                <a href=format!("/p/{}#r{}", x.post_id, x.reply_id)>{x.post_title.clone()}</a>
                                                <p class="excerpt">{x.excerpt.clone()}</p>
                                                <p class="small muted">
                                                    {x.community_name.clone()} " · " <When ms=x.created_at/> " · "
                                                    {plural(x.vote_count, "helpful vote", "helpful votes")}
                                                    {x.accepted.then(|| view! { " · " <span class="state-accepted">"✓ Accepted"</span> })}
                                                </p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(e) => view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
