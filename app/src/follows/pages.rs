//! `/following` (threads, communities and tags the member follows, with "Stop following" and a tag form) and the follow controls of a thread and a community page.

use super::api::{get_following, FollowCommunity, FollowTag, FollowThread};
use super::types::{search_link, FollowedThread, ThreadFollow};
use crate::posts::pages::PostCard;
use crate::ui::{action_error, echo_resource, echoed, field_error, successes, FieldMessage};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// A thread's follow control: "Follow" or "Unfollow", and "Mute" or "Unmute" (plain forms,
/// so they work without JavaScript).
pub fn follow_thread_control(
    action: ServerAction<FollowThread>,
    post_id: i64,
    state: ThreadFollow,
) -> impl IntoView {
    let button = move |value: &'static str,
                       text: &'static str,
                       label: &'static str,
                       pressed: Option<bool>| {
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="post_id" value=post_id/>
                <input type="hidden" name="state" value=value/>
                <button type="submit" class="link-button" aria-label=label aria-pressed=pressed.map(|p| p.to_string())>{text}</button>
            </ActionForm>
        }
    };
    match state {
        ThreadFollow::None => view! {
            {button("follow", "Follow", "Follow this thread: be told of new replies", Some(false))}
            {button("mute", "Mute", "Mute this thread: be told of nothing from it", None)}
        }
        .into_any(),
        ThreadFollow::Following => view! {
            {button("unfollow", "Following ✓", "Stop following this thread", Some(true))}
            {button("mute", "Mute", "Mute this thread: be told of nothing from it", None)}
        }
        .into_any(),
        ThreadFollow::Muted => view! {
            <span class="small muted">"Muted"</span>
            {button("unfollow", "Unmute", "Unmute this thread", None)}
        }
        .into_any(),
    }
}

/// A community page's "Follow" button: new posts there become one notification.
pub fn follow_community_button(
    action: ServerAction<FollowCommunity>,
    slug: String,
    following: bool,
) -> impl IntoView {
    view! {
        <ActionForm action=action attr:class="inline-form">
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="follow" value=if following { "no" } else { "yes" }/>
            <button type="submit" class="button" aria-pressed=following.to_string()
                title="Be told of new posts in this community">
                {if following { "Following ✓" } else { "Follow new posts" }}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn FollowingPage() -> impl IntoView {
    let query = use_query_map();
    let thread = ServerAction::<FollowThread>::new();
    let community = ServerAction::<FollowCommunity>::new();
    let tag = ServerAction::<FollowTag>::new();
    let changed = [successes(thread), successes(community), successes(tag)];
    let tag_err = action_error(tag);
    let echo = echo_resource(
        crate::follows::api::FOLLOW_TAG,
        tag_err.get_untracked().is_some(),
    );
    let page = crate::ui::resource(
        move || {
            (
                crate::ui::number_in(query, "before"),
                changed.map(|m| m.get()),
            )
        },
        |(before, _)| get_following(before),
    );
    view! {
        <Title text="Following"/>
        <Meta name="robots" content="noindex"/>
        <section class="panel following-page">
            <h1>"Following"</h1>
            <p class="lead">"New replies in the threads you follow, and new posts in the communities and tags you follow, come as one notification each (“5 new replies in …”). You follow a thread you start or reply to; “Mute” on a thread stops everything from it."</p>
            {crate::ui::loaded(page, move |p| async move {
                let typed = echo.await;
                view! {
                    <h2 id="f-communities">"Communities"</h2>
                    {if p.communities.is_empty() {
                        view! { <p class="muted">"None yet: “Follow new posts” on a community's page."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list follow-list" aria-labelledby="f-communities">
                                {p.communities.into_iter().map(|(slug, name)| view! {
                                    <li>
                                        <a href=format!("/c/{slug}")>{name}</a>
                                        <ActionForm action=community attr:class="inline-form">
                                            <input type="hidden" name="slug" value=slug.clone()/>
                                            <input type="hidden" name="follow" value="no"/>
                                            <button type="submit" class="link-button small">"Stop following"</button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {followed_tags(p.tags, echoed(&typed, "tag").unwrap_or_default(), tag)}
                    <h2 id="f-threads">"Threads"</h2>
                    {if p.threads.is_empty() {
                        view! { <p class="muted">"None yet: you follow a thread when you start it or reply, or with “Follow” under a post."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="saved-list" aria-labelledby="f-threads">
                                {p.threads.into_iter().map(|t| view! { {followed_card(t, thread)} }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                    {p.next.map(|n| view! { <p class="feed-more"><a class="button" href=format!("/following?before={n}")>"More threads"</a></p> })}
                }
            })}
        </section>
    }
}

/// The tags followed (each with "Stop following"), and the form that follows another.
fn followed_tags(
    tags: Vec<String>,
    // What the form held when following failed.
    typed: String,
    tag: ServerAction<FollowTag>,
) -> impl IntoView {
    let tag_err = action_error(tag);
    view! {
        <h2 id="f-tags">"Tags"</h2>
        {(!tags.is_empty()).then(|| view! {
            <ul class="plain-list follow-list" aria-labelledby="f-tags">
                {tags.into_iter().map(|t| view! {
                    <li>
                        <a class="tag" href=search_link(&t)>{t.clone()}</a>
                        <ActionForm action=tag attr:class="inline-form">
                            <input type="hidden" name="tag" value=t.clone()/>
                            <input type="hidden" name="follow" value="no"/>
                            <button type="submit" class="link-button small">"Stop following"</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        })}
        <ActionForm action=tag attr:class="stack follow-tag-form" attr:novalidate=true>
            <input type="hidden" name="follow" value="yes"/>
            <div class="field">
                <label for="follow-tag">"Follow a tag"</label>
                <p class="hint" id="follow-tag-hint">"New posts with this tag in any community you may read, e.g. fatigue or newly diagnosed."</p>
                <input id="follow-tag" name="tag" type="text" maxlength="30" autocomplete="off"
                    value=typed
                    aria-describedby="follow-tag-hint follow-tag-error"
                    aria-invalid=move || field_error(tag_err, "tag").get().is_some().to_string()/>
                <FieldMessage id="follow-tag-error".into() error=field_error(tag_err, "tag")/>
            </div>
            <button type="submit" class="button">"Follow"</button>
        </ActionForm>
    }
}

fn followed_card(t: FollowedThread, action: ServerAction<FollowThread>) -> impl IntoView {
    let post_id = t.post.id;
    view! {
        <li class="saved-item">
            <ul class="post-list"><PostCard p=t.post.clone()/></ul>
            // A `div`: a form inside a `p` closes it in the HTML parser (and hydration fails).
            <div class="small">
                {if t.muted {
                    view! {
                        <span class="muted">"Muted "</span>
                        <ActionForm action=action attr:class="inline-form">
                            <input type="hidden" name="post_id" value=post_id/>
                            <input type="hidden" name="state" value="unfollow"/>
                            <button type="submit" class="link-button small">"Unmute"</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <ActionForm action=action attr:class="inline-form">
                            <input type="hidden" name="post_id" value=post_id/>
                            <input type="hidden" name="state" value="unfollow"/>
                            <button type="submit" class="link-button small">"Stop following"</button>
                        </ActionForm>
                    }.into_any()
                }}
            </div>
        </li>
    }
}
