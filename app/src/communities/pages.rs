//! The community directory, a community's page (join/leave, rules, moderators) and the admin's community form.

use super::api::{
    get_community, list_communities, my_communities, JoinCommunity, LeaveCommunity, SaveCommunity,
    SetCommunityModerator,
};
use super::types::{CommunityDetail, CommunitySummary, COLOURS};
use crate::directory::pages::top_providers_panel;
use crate::error::AppError;
use crate::follows::api::FollowCommunity;
use crate::follows::pages::follow_community_button;
use crate::groups::pages::GroupsPanel;
use crate::posts::pages::{pinned_posts, Feed};
use crate::posts::types::FeedScope;
use crate::session::Session;
use crate::sponsored::pages::SponsoredSlot;
use crate::sponsored::types::Placement;
use crate::ui::{
    action_error, echoed, field_error, ErrorView, Field, FieldMessage, FormAlert, Panel,
};
use crate::ui::{echo_resource, with_echo, CommunityIcon};
use crate::ui::{loaded, Checkbox};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

fn counts(c: &CommunitySummary) -> String {
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} · {}",
        plural(c.member_count, "member", "members"),
        plural(c.post_count, "post", "posts")
    )
}

#[component]
pub fn CommunitiesPage() -> impl IntoView {
    let list = crate::ui::resource(|| (), |_| list_communities());
    let join = ServerAction::<JoinCommunity>::new();
    let joined = crate::ui::successes(join);
    let mine = crate::ui::resource(move || joined.get(), |_| my_communities());
    view! {
        <Title text="Communities"/>
        <crate::seo::pages::PageMeta title="Communities"
            description="Communities for people living with a long-term condition, their carers and clinicians: ask, answer, discuss and find support groups."
            path="/c"/>
        <h1>"Communities"</h1>
        <p class="lead">"Each community is about one condition. Join the ones that matter to you."</p>
        {loaded(list, move |list| async move {
            if list.is_empty() {
                return view! { <p class="muted">"No communities yet."</p> }.into_any();
            }
            view! {
                <ul class="community-list">
                    {list.into_iter().map(|c| {
                        let href = format!("/c/{}", c.slug);
                        let meta = counts(&c);
                        view! {
                            <li class="card community-card">
                                <CommunityIcon name=c.name.clone() colour=c.colour.clone()/>
                                <div>
                                    <h2><a href=href>{c.name.clone()}</a></h2>
                                    <p>{c.description.clone()}</p>
                                    <p class="muted small">{meta}</p>
                                    {join_control(c.slug.clone(), c.name.clone(), mine, join)}
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        })}
    }
}

/// On `/c`: "✓ Member" on the communities the reader belongs to, "Join" on the others (a
/// visitor's leads to the sign-up with that community, as on its page).
fn join_control(
    slug: String,
    name: String,
    mine: crate::ui::Res<Result<Vec<String>, AppError>>,
    join: ServerAction<JoinCommunity>,
) -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Transition fallback=|| ()>
            {move || {
                let (slug, name) = (slug.clone(), name.clone());
                Suspend::new(async move {
                    let member = session.user.await.ok().flatten().is_some();
                    let mine = mine.await.unwrap_or_default();
                    let label = format!("Join {name}");
                    if !member {
                        view! { <a class="button" href=format!("/signup?c={slug}") aria-label=label>"Join"</a> }.into_any()
                    } else if mine.contains(&slug) {
                        view! { <span class="badge badge-verified">"✓ Member"</span> }.into_any()
                    } else {
                        view! {
                            <ActionForm action=join attr:class="inline-form">
                                <input type="hidden" name="slug" value=slug/>
                                <button type="submit" class="button" aria-label=label>"Join"</button>
                            </ActionForm>
                        }.into_any()
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn CommunityPage() -> impl IntoView {
    let params = use_params_map();
    let join = ServerAction::<JoinCommunity>::new();
    let leave = ServerAction::<LeaveCommunity>::new();
    let moderator = ServerAction::<SetCommunityModerator>::new();
    let follow = ServerAction::<FollowCommunity>::new();
    let join_ok = crate::ui::successes(join);
    let leave_ok = crate::ui::successes(leave);
    let moderator_ok = crate::ui::successes(moderator);
    let follow_ok = crate::ui::successes(follow);
    let detail = crate::ui::resource(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                join_ok.get(),
                leave_ok.get(),
                moderator_ok.get(),
                follow_ok.get(),
            )
        },
        |(slug, ..)| get_community(slug),
    );
    // The panels with data of their own (pinned posts, the feed, groups, clinics, the sponsored
    // slot) are made here, outside any `Suspend`: a resource made inside one is made again when
    // the server re-runs it, and the page then carries resources the browser does not make in
    // the same order (a hydration panic on a loaded server). Only what needs the community's
    // details waits for them, each in its own small `Suspense`.
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    move || {
        let slug = slug.get();
        view! { {community_body(slug, detail, join, leave, moderator, follow)} }
    }
}

type Detail = crate::ui::Res<Result<CommunityDetail, AppError>>;

fn community_body(
    slug: String,
    detail: Detail,
    join: ServerAction<JoinCommunity>,
    leave: ServerAction<LeaveCommunity>,
    moderator: ServerAction<SetCommunityModerator>,
    follow: ServerAction<FollowCommunity>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { {community_head(d, join, leave, follow)} }.into_any(),
                    Err(e) => view! { <div class="community-missing"><ErrorView error=e/></div> }.into_any(),
                }
            })}
        </Suspense>
        <div class="community-grid">
            <section class="panel" aria-labelledby="posts-h">
                <div class="section-head">
                    <h2 id="posts-h">"Questions and discussions"</h2>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            detail.await.ok().filter(|d| d.is_member == Some(true)).map(|d| {
                                let slug = d.summary.slug.clone();
                                view! {
                                    <p class="cta">
                                        <a class="button primary" href=format!("/c/{slug}/new?kind=question")>"Ask a question"</a>
                                        <a class="button" href=format!("/c/{slug}/new?kind=discussion")>"Start a discussion"</a>
                                    </p>
                                }
                            })
                        })}
                    </Suspense>
                </div>
                {pinned_posts(slug.clone())}
                <Feed
                    scope=FeedScope::Community(slug.clone())
                    base=format!("/c/{slug}")
                    show_community=false
                    empty="Nobody has posted here yet. Ask the first question!"
                />
            </section>
            <aside>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        detail.await.ok().map(|d| view! { {rules_and_moderators(d)} })
                    })}
                </Suspense>
                <SponsoredSlot placement=Placement::Sidebar community=slug.clone()/>
                <GroupsPanel community=slug.clone()>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            detail.await.ok().filter(|d| d.can_moderate).map(|d| view! {
                                <p><a href=format!("/c/{}/groups/new", d.summary.slug)>"Start a support group"</a></p>
                            })
                        })}
                    </Suspense>
                </GroupsPanel>
                {top_providers_panel(slug.clone())}
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        detail.await.ok().filter(|d| d.can_manage).map(|d| view! {
                            {community_admin_tools(d.summary.slug.clone(), moderator)}
                        })
                    })}
                </Suspense>
            </aside>
        </div>
    }
}

/// The community's name, counts, description and the join/leave button.
fn community_head(
    d: CommunityDetail,
    join: ServerAction<JoinCommunity>,
    leave: ServerAction<LeaveCommunity>,
    follow: ServerAction<FollowCommunity>,
) -> impl IntoView {
    let c = d.summary.clone();
    let follow_button = d.is_member.is_some().then(|| {
        view! { {follow_community_button(follow, c.slug.clone(), d.following)} }
    });
    let slug = c.slug.clone();
    let (form_slug, join_label) = (slug.clone(), format!("Join {}", c.name));
    let membership = match d.is_member {
        None => view! {
            <a class="button primary" href=format!("/signup?c={slug}")>{join_label}</a>
            <span class="muted">
                "Have an account? " <a href=format!("/login?next=/c/{slug}")>"Log in"</a>
            </span>
        }
        .into_any(),
        Some(false) => view! {
            <ActionForm action=join attr:class="inline-form">
                <input type="hidden" name="slug" value=form_slug/>
                <button type="submit" class="button primary">{join_label}</button>
            </ActionForm>
        }
        .into_any(),
        Some(true) => view! {
            <span class="badge badge-verified">"✓ You are a member"</span>
            <ActionForm action=leave attr:class="inline-form">
                <input type="hidden" name="slug" value=form_slug/>
                <button type="submit" class="button">"Leave"</button>
            </ActionForm>
        }
        .into_any(),
    };
    let meta = counts(&c);
    let seo_meta = {
        let base = crate::seo::pages::site_url();
        let ld = vec![crate::seo::jsonld::breadcrumbs(
            &base,
            &[
                ("Communities".to_string(), "/c".to_string()),
                (c.name.clone(), format!("/c/{}", c.slug)),
            ],
        )];
        view! {
            <crate::seo::pages::PageMeta title=c.name.clone() description=c.description.clone()
                path=format!("/c/{}", c.slug) json_ld=ld/>
            <leptos_meta::Link rel="alternate" type_="application/atom+xml"
                title=format!("New posts in {}", c.name) href=format!("/c/{}/feed.atom", c.slug)/>
        }
    };
    view! {
        <Title text=c.name.clone()/>
        {seo_meta}
        <header class="community-head">
            <CommunityIcon name=c.name.clone() colour=c.colour.clone()/>
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="muted" aria-live="polite">{meta}</p>
            </div>
            <div class="community-actions">{membership}{follow_button}</div>
        </header>
        <p class="lead">{c.description.clone()}</p>
    }
}

fn rules_and_moderators(d: CommunityDetail) -> impl IntoView {
    view! {
        <Panel id="rules-h" title="Community rules">
            {if d.rules.is_empty() {
                view! { <p class="muted">"Be kind. Share experience, not prescriptions."</p> }.into_any()
            } else {
                view! { <p class="rules">{d.rules.clone()}</p> }.into_any()
            }}
        </Panel>
        <Panel id="mods-h" title="Moderators">
            {if d.moderators.is_empty() {
                view! { <p class="muted">"No moderators yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {d.moderators.iter().map(|h| view! {
                            <li><a href=format!("/u/{h}")>"@"{h.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Panel>
    }
}

/// For admins: appoint or remove a community's moderators, and the edit link.
fn community_admin_tools(
    slug: String,
    moderator: ServerAction<SetCommunityModerator>,
) -> impl IntoView {
    let mod_err = action_error(moderator);
    let handle = with_echo(
        super::api::SET_COMMUNITY_MODERATOR,
        mod_err.get_untracked().is_some(),
        move |echo| view! { <Field label="Member's handle" name="handle" value=echoed(&echo, "handle") error=field_error(mod_err, "handle")/> },
    );
    view! {
        <Panel id="mod-h" title="Community moderators">
            <p><a href=format!("/c/{slug}/edit")>"Edit name, description and rules"</a></p>
            <ActionForm action=moderator attr:novalidate=true attr:class="stack">
                <FormAlert error=mod_err/>
                <input type="hidden" name="slug" value=slug/>
                {handle}
                <div class="field">
                    <label for="f-mod-change">"Change"</label>
                    <select id="f-mod-change" name="change">
                        <option value="grant">"Appoint as moderator"</option>
                        <option value="revoke">"Remove as moderator"</option>
                    </select>
                </div>
                <button type="submit" class="button primary">"Apply"</button>
            </ActionForm>
        </Panel>
    }
}

/// Create (`/communities/new`) or edit (`/c/:slug/edit`) a community. Admins only (the server checks).
#[component]
pub fn CommunityFormPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let params = use_params_map();
    let action = ServerAction::<SaveCommunity>::new();
    let err = action_error(action);
    let echo = echo_resource(
        crate::communities::api::SAVE_COMMUNITY,
        err.get_untracked().is_some(),
    );
    let current = crate::ui::resource(
        move || params.read().get("slug"),
        |slug| async move {
            match slug {
                Some(slug) => get_community(slug).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        {loaded(current, move |current| async move {
            // Only admins may save; say so up front rather than after they have filled it in.
            match session.user.await {
                Ok(Some(u)) if u.is_admin => {}
                Ok(Some(_)) => return view! { <ErrorView error=AppError::Forbidden/> }.into_any(),
                Ok(None) => return view! { <ErrorView error=AppError::Unauthenticated/> }.into_any(),
                Err(e) => return view! { <ErrorView error=e/> }.into_any(),
            }
            let echo = echo.await;
            let title = if current.is_some() { "Edit community" } else { "New community" };
            let v = |name: &str, fallback: Option<String>| echoed(&echo, name).or(fallback);
            let s = current.as_ref().map(|d| d.summary.clone());
            let current_slug = s.as_ref().map(|s| s.slug.clone()).unwrap_or_default();
            let slug = v("slug", s.as_ref().map(|s| s.slug.clone()));
            let name = v("name", s.as_ref().map(|s| s.name.clone()));
            let description = v("description", s.as_ref().map(|s| s.description.clone())).unwrap_or_default();
            let rules = v("rules", current.as_ref().map(|d| d.rules.clone())).unwrap_or_default();
            let colour = v("colour", s.as_ref().map(|s| s.colour.clone())).unwrap_or_else(|| "teal".into());
            // On for a new community; after a refused save, as it was sent.
            let hold = if echo.is_empty() {
                current.as_ref().is_none_or(|d| d.hold_new_members)
            } else {
                echoed(&echo, "hold_new_members").is_some_and(|v| !v.is_empty())
            };
            view! {
                <Title text=title/>
                <section class="panel narrow">
                    <h1>{title}</h1>
                    <ActionForm action=action attr:novalidate=true attr:class="stack">
                        <FormAlert error=err/>
                        <input type="hidden" name="current_slug" value=current_slug/>
                        <Field label="Name" name="name" value=name error=field_error(err, "name")/>
                        <Field
                            label="Address"
                            name="slug"
                            value=slug
                            hint="Lowercase letters, digits and hyphens; the page will be /c/<address>."
                            error=field_error(err, "slug")
                        />
                        <crate::ui::TextArea label="Plain-language description" name="description" rows=3 value=description
                            error=field_error(err, "description")/>
                        <crate::ui::TextArea label="Rules" name="rules" rows=6 value=rules
                            error=field_error(err, "rules")/>
                        <div class="field">
                            <label for="f-colour">"Icon colour"</label>
                            <select id="f-colour" name="colour">
                                {COLOURS.iter().map(|(k, t)| view! { <option value=*k selected=colour == *k>{*t}</option> }).collect_view()}
                            </select>
                            <FieldMessage id="f-colour-error".into() error=field_error(err, "colour")/>
                        </div>
                        <Checkbox name="hold_new_members" id="hold" value="on" checked=hold
                            hint="A member's first 2 posts and first 3 replies here wait for a moderator, and they may post links only once one is approved. Verified clinicians, moderators and members with 5 approved posts skip it.">
                            "Hold new members' first posts for a moderator's approval"
                        </Checkbox>
                        <button type="submit" class="button primary">"Save community"</button>
                    </ActionForm>
                </section>
            }.into_any()
        })}
    }
}
