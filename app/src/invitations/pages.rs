//! The invite page (`/invite`: personal links and how many joined) and the landing page of an invite link (`/join/:code`).

use super::api::*;
use crate::ui::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InvitePage() -> impl IntoView {
    let invites = Resource::new(|| (), |_| get_my_invites());
    view! {
        <Title text="Invite friends"/>
        <h1>"Invite friends"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let i = match invites.await {
                    Ok(i) => i,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let link = format!("/join/{}", i.code);
                view! {
                    <section class="panel">
                        <p class="lead" data-testid="invite-joins">
                            {match i.joined { 0 => "Nobody has joined through your invites yet.".to_string(), 1 => "1 member joined through your invites.".to_string(), n => format!("{n} members joined through your invites.") }}
                        </p>
                        <h2>"Your invite link"</h2>
                        <p>"Share it with someone who lives with the same condition. When they sign up through it, we tell you how many joined — never who they are unless they write to you."</p>
                        <p><a class="invite-link" href=link.clone()>{link.clone()}</a></p>
                        {(!i.communities.is_empty()).then(|| view! {
                            <h2>"Invite into one of your communities"</h2>
                            <p>"With these links the newcomer also joins the community."</p>
                            <ul class="plain-list">
                                {i.communities.iter().map(|(slug, name)| {
                                    let href = format!("{link}?c={slug}");
                                    view! { <li>{name.clone()}": "<a class="invite-link" href=href.clone()>{href.clone()}</a></li> }
                                }).collect_view()}
                            </ul>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let invite = Resource::new(
        move || {
            (
                params.read().get("code").unwrap_or_default(),
                query.read().get("c"),
            )
        },
        |(code, c)| get_invite(code, c),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let code = params.read_untracked().get("code").unwrap_or_default();
                let v = match invite.await {
                    Ok(v) => v,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let mut href = format!("/signup?invite={code}");
                if let Some((slug, _)) = &v.community {
                    href.push_str(&format!("&c={slug}"));
                }
                view! {
                    <Title text="You are invited"/>
                    <section class="panel narrow">
                        <h1>{format!("@{} invited you to HealthCommunity", v.inviter)}</h1>
                        <p class="lead">"A calm, private place to talk with people who live with the same condition, their carers and verified clinicians."</p>
                        {v.community.clone().map(|(_, name)| view! { <p>"You will join the "<strong>{name}</strong>" community."</p> })}
                        <p><a class="button primary" href=href>"Create your account"</a></p>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
