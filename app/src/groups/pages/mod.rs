//! Support group pages: the groups panel of a community, a group's page, its moderators' page, a new group and a new group post.

use super::api::{
    get_group, get_group_admin, get_groups, CreateGroup, DecideJoinRequest, InviteToGroup,
    JoinGroup, LeaveGroup, RemoveGroupMember, SetGroupModerator, UpdateGroup,
};
use super::types::*;
use crate::posts::api::CreatePost;
use crate::posts::pages::{Feed, PostCard, PostForm, VISIBILITY_CHOICES};
use crate::posts::types::FeedScope;
use crate::ui::RadioGroup;
use crate::ui::{
    action_error, echoed, field_error, successes, Field, FieldMessage, FormAlert, Panel, Saved,
};
use crate::ui::{echo_resource, loaded};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

mod manage;
pub use manage::GroupManagePage;

fn members(n: i64) -> String {
    format!("{n} {}", if n == 1 { "member" } else { "members" })
}

/// The kind of a group as a small badge.
#[component]
fn KindBadge(kind: GroupKind) -> impl IntoView {
    view! { <span class=format!("badge badge-group-{}", kind.as_str())>{kind.label()}</span> }
}

/// The "Support groups" panel of a community page; `children` end it (the page's "Start a
/// support group" link for those who may).
#[component]
pub fn GroupsPanel(community: String, children: Children) -> impl IntoView {
    let groups = crate::ui::resource(
        {
            let community = community.clone();
            move || community.clone()
        },
        get_groups,
    );
    view! {
        <Panel id="groups-h" title="Support groups">
            {loaded(groups, move |list| async move {
                if list.is_empty() {
                    return view! { <p class="muted">"No groups yet."</p> }.into_any();
                }
                view! {
                    <ul class="plain-list group-list">
                        {list.into_iter().map(|g| view! {
                            <li>
                                <a href=format!("/g/{}", g.slug)><strong>{g.name.clone()}</strong></a>
                                <br/>
                                <span class="small muted"><KindBadge kind=g.kind/> " · " {members(g.member_count)}</span>
                                {match g.status {
                                    Some(MemberStatus::Active) => Some(view! { " " <span class="small badge badge-verified">"✓ Member"</span> }.into_any()),
                                    Some(MemberStatus::Pending) => Some(view! { " " <span class="small badge">"Request sent"</span> }.into_any()),
                                    Some(MemberStatus::Invited) => Some(view! { " " <span class="small badge">"Invited"</span> }.into_any()),
                                    _ => None,
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            })}
            {children()}
        </Panel>
    }
}

/// `/g/:slug`: a group's description, joining, and (for those who may read) its posts.
#[component]
pub fn GroupPage() -> impl IntoView {
    let params = use_params_map();
    let join = ServerAction::<JoinGroup>::new();
    let leave = ServerAction::<LeaveGroup>::new();
    let joined = successes(join);
    let left = successes(leave);
    let detail = crate::ui::resource(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                joined.get(),
                left.get(),
            )
        },
        |(slug, ..)| get_group(slug),
    );
    view! {
        {crate::ui::loaded(detail, move |d| async move { view! { {group_view(d, join, leave)} } })}
    }
}

fn group_view(
    d: GroupDetail,
    join: ServerAction<JoinGroup>,
    leave: ServerAction<LeaveGroup>,
) -> impl IntoView {
    let g = d.summary.clone();
    let slug = g.slug.clone();
    let standing = view! { {standing(d.logged_in, g.clone(), d.question.clone(), join, leave)} };
    let active = g.status == Some(MemberStatus::Active);
    let closed = g.kind != GroupKind::Open;
    let manage = d.is_moderator.then(|| {
        view! {
            <p><a href=format!("/g/{slug}/manage")>
                "Manage the group"
                {(d.pending_count > 0).then(|| format!(" ({} waiting)", d.pending_count))}
            </a></p>
        }
    });
    view! {
        <Title text=g.name.clone()/>
        {closed.then(|| view! { <Meta name="robots" content="noindex"/> })}
        <p class="crumbs"><a href=format!("/c/{}", d.community_slug)>{d.community_name.clone()}</a> " › Support groups"</p>
        <header class="community-head">
            <div>
                <h1>{g.name.clone()}</h1>
                <p class="muted"><KindBadge kind=g.kind/> " · " {members(g.member_count)}</p>
            </div>
        </header>
        <p class="lead">{g.description.clone()}</p>
        // Membership first: on a phone, "Join group" stands above the posts, not after them.
        <div class="community-grid side-first">
            <div class="side-top">
                <Panel id="join-h" title="Membership">
                    <div class="stack">{standing}</div>
                    {manage}
                </Panel>
            </div>
            {group_posts(&d, slug.clone(), active)}
            <aside class="side-rest">
                <Panel id="gmods-h" title="Group moderators">
                    <ul class="plain-list">
                        {d.moderators.iter().map(|h| view! {
                            <li><a href=format!("/u/{h}")>"@"{h.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                </Panel>
            </aside>
        </div>
    }
}

/// The group's posts (pinned first) for its members, or why they are not shown; "Ask the
/// group" for an active member.
fn group_posts(d: &GroupDetail, slug: String, active: bool) -> impl IntoView {
    view! {
        <section class="panel main-col" aria-labelledby="posts-h">
            <div class="section-head">
                <h2 id="posts-h">"Posts"</h2>
                {active.then(|| view! {
                    <p class="cta">
                        <a class="button primary" href=format!("/g/{slug}/new?kind=question")>"Ask the group"</a>
                        <a class="button" href=format!("/g/{slug}/new?kind=discussion")>"Start a discussion"</a>
                    </p>
                })}
            </div>
            {if d.can_read {
                view! {
                    {(!d.pinned.is_empty()).then(|| view! {
                        <h3 class="small">"Pinned"</h3>
                        <ul class="post-list pinned-list">
                            {d.pinned.iter().map(|p| view! { <PostCard p=p.clone() show_community=false/> }).collect_view()}
                        </ul>
                    })}
                    <Feed
                        hide=d.pinned.iter().map(|p| p.id).collect()
                        scope=FeedScope::Group(slug.clone())
                        base=format!("/g/{slug}")
                        show_community=false
                        empty="Nobody has posted in this group yet."
                    />
                }.into_any()
            } else {
                view! {
                    <div class="alert alert-info locked" role="note">
                        <p><strong>"Posts in this group are for its members."</strong>
                        " Only members see who writes here and what they share."</p>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// Where the reader stands with the group, and the form that changes it: log in, join, ask to
/// join, accept an invitation, leave, withdraw or decline.
fn standing(
    logged_in: bool,
    g: GroupSummary,
    // The moderators' screening question (empty: none).
    question: String,
    join: ServerAction<JoinGroup>,
    leave: ServerAction<LeaveGroup>,
) -> impl IntoView {
    let slug = g.slug.clone();
    let join_err = action_error(join);
    let leave_form = |label: &'static str| {
        let slug = slug.clone();
        view! {
            <ActionForm action=leave attr:class="inline-form">
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button">{label}</button>
            </ActionForm>
        }
    };
    match (logged_in, g.status, g.kind) {
        (false, ..) => view! {
            <a class="button primary" href=format!("/login?next=/g/{slug}")>
                {if g.kind == GroupKind::Open { "Log in to join" } else { "Log in to ask to join" }}
            </a>
        }
        .into_any(),
        (true, Some(MemberStatus::Active), _) => view! {
            <span class="badge badge-verified">"✓ You are a member"</span>
            {leave_form("Leave group")}
            <FieldMessage id="f-leave-error".into() error=field_error(action_error(leave), "group")/>
        }
        .into_any(),
        (true, Some(MemberStatus::Pending), _) => view! {
            <p role="status">"Your request is waiting for a moderator. We'll notify you of their decision."</p>
            {leave_form("Withdraw request")}
        }
        .into_any(),
        (true, Some(MemberStatus::Invited), _) => {
            let slug = slug.clone();
            view! {
                <p role="status">"You are invited to this group."</p>
                <ActionForm action=join attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug/>
                    <button type="submit" class="button primary">"Accept invitation"</button>
                </ActionForm>
                {leave_form("Decline")}
            }
            .into_any()
        }
        (true, Some(MemberStatus::Banned), _) => view! {
            <p class="muted">"The group's moderators removed you from this group."</p>
        }
        .into_any(),
        (true, None, GroupKind::Open) => {
            let slug = slug.clone();
            view! {
                <ActionForm action=join attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug/>
                    <button type="submit" class="button primary">"Join group"</button>
                </ActionForm>
                <FieldMessage id="f-group-error".into() error=field_error(join_err, "group")/>
            }
            .into_any()
        }
        (true, None, _) => view! { {ask_to_join(slug.clone(), question, join)} }.into_any(),
    }
}

/// A closed group's "Ask to join", with the moderators' question when they ask one (the answer
/// kept when the request fails).
fn ask_to_join(slug: String, question: String, join: ServerAction<JoinGroup>) -> impl IntoView {
    let join_err = action_error(join);
    let echo = echo_resource(
        crate::groups::api::JOIN_GROUP,
        join_err.get_untracked().is_some(),
    );
    view! {
        <Suspense fallback=|| ()>
            {
                move || {
                    let slug = slug.clone();
                    let question = question.clone();
                    Suspend::new(async move {
                        let echo = echo.await;
                        view! {
                            <ActionForm action=join attr:novalidate=true attr:class="stack join-request">
                                <input type="hidden" name="slug" value=slug/>
                                <FieldMessage id="f-group-error".into() error=field_error(join_err, "group")/>
                                {if question.is_empty() {
                                    view! { <input type="hidden" name="answer" value=""/> }.into_any()
                                } else {
                                    view! {
                                        <div class="field" class:has-error=move || field_error(join_err, "answer").get().is_some()>
                                            <label for="f-answer">{question.clone()}</label>
                                            <p class="hint" id="f-answer-hint">"Only the group's moderators read your answer."</p>
                                            <textarea id="f-answer" name="answer" rows=3 aria-describedby="f-answer-hint f-answer-error"
                                                aria-invalid=move || field_error(join_err, "answer").get().is_some().then_some("true")>{crate::ui::textarea_text(echoed(&echo, "answer").unwrap_or_default())}</textarea>
                                            <FieldMessage id="f-answer-error".into() error=field_error(join_err, "answer")/>
                                        </div>
                                    }.into_any()
                                }}
                                <button type="submit" class="button primary">"Ask to join"</button>
                            </ActionForm>
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// `/c/:slug/groups/new`: a community moderator or admin starts a support group.
#[component]
pub fn NewGroupPage() -> impl IntoView {
    let params = use_params_map();
    let action = ServerAction::<CreateGroup>::new();
    let err = action_error(action);
    let echo = echo_resource(
        crate::groups::api::CREATE_GROUP,
        err.get_untracked().is_some(),
    );
    view! {
        <Title text="Start a support group"/>
        <section class="panel narrow">
            <h1>"Start a support group"</h1>
            <p class="muted">"A group for one situation, e.g. “Newly diagnosed” or “Caregivers”. You become its first moderator."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let echo = echo.await;
                    let community = params.read_untracked().get("slug").unwrap_or_default();
                    let kind = echoed(&echo, "kind").unwrap_or_else(|| "private".into());
                    view! {
                        <ActionForm action=action attr:novalidate=true attr:class="stack">
                            <FormAlert error=err/>
                            <input type="hidden" name="community" value=community/>
                            <Field label="Name" name="name" value=echoed(&echo, "name")
                                hint="e.g. Newly diagnosed with MS" error=field_error(err, "name")/>
                            <div class="field" class:has-error=move || field_error(err, "description").get().is_some()>
                                <label for="f-description">"Who is it for?"</label>
                                <textarea id="f-description" name="description" rows=3 aria-describedby="f-description-error"
                                    aria-invalid=move || field_error(err, "description").get().is_some().then_some("true")>{crate::ui::textarea_text(echoed(&echo, "description").unwrap_or_default())}</textarea>
                                <FieldMessage id="f-description-error".into() error=field_error(err, "description")/>
                            </div>
                            <RadioGroup legend="Who can join?" name="kind" options=KIND_CHOICES
                                selected=kind error=field_error(err, "kind")/>
                            <Field label="Screening question (private groups, optional)" name="question"
                                value=echoed(&echo, "question")
                                hint="Asked of everyone who wants to join, e.g. “How are you affected by MS?”"
                                error=field_error(err, "question")/>
                            <button type="submit" class="button primary">"Start the group"</button>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/g/:slug/new`: an active member posts in the group.
#[component]
pub fn NewGroupPostPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let action = ServerAction::<CreatePost>::new();
    let err = action_error(action);
    let echo = echo_resource(
        crate::posts::api::CREATE_POST,
        err.get_untracked().is_some(),
    );
    let group = crate::ui::resource(
        move || params.read().get("slug").unwrap_or_default(),
        get_group,
    );
    view! {
        {crate::ui::loaded(group, move |d| async move {
            let g = d.summary.clone();
            if g.status != Some(MemberStatus::Active) {
                return view! {
                    <Title text="Join to post"/>
                    <section class="panel narrow">
                        <h1>"Members of " {g.name.clone()} " post here"</h1>
                        <p><a class="button primary" href=format!("/g/{}", g.slug)>"Go to the group"</a></p>
                    </section>
                }.into_any();
            }
            let echo = echo.await;
            let kind = echoed(&echo, "kind")
                .or_else(|| query.read_untracked().get("kind"))
                .unwrap_or_else(|| "question".into());
            let visibility = (g.kind == GroupKind::Open).then_some(VISIBILITY_CHOICES);
            view! {
                <Title text=format!("New post in {}", g.name)/>
                <section class="panel narrow">
                    <p class="crumbs">
                        <a href=format!("/c/{}", d.community_slug)>{d.community_name.clone()}</a>
                        " › " <a href=format!("/g/{}", g.slug)>{g.name.clone()}</a>
                    </p>
                    <h1>"New post in " {g.name.clone()}</h1>
                    {(g.kind != GroupKind::Open).then(|| view! {
                        <p class="alert alert-info" role="note">"Only members of this group will see your post."</p>
                    })}
                    <PostForm action=action echo=echo kind=kind community=d.community_slug.clone()
                        group=Some(g.slug.clone()) visibility=visibility/>
                </section>
            }.into_any()
        })}
    }
}
