//! The invite page (`/invite`: personal links and how many joined) and the landing page of an invite link (`/join/:code`).

use super::api::*;
use crate::ui::{
    action_error, echoed, field_error, loaded, successes, CopyButton, FieldMessage, FormAlert,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn InvitePage() -> impl IntoView {
    let invites = crate::ui::resource(|| (), |_| get_my_invites());
    let query = use_query_map();
    let send = ServerAction::<InviteByEmail>::new();
    let err = action_error(send);
    let sent = successes(send);
    let echo = crate::ui::echo_resource(
        crate::invitations::api::INVITE_EMAIL,
        err.get_untracked().is_some(),
    );
    // After a successful invitation the form stays in place: empty the address.
    let email_ref = NodeRef::<leptos::html::Input>::new();
    crate::ui::after_each_success(sent, move || {
        if let Some(input) = email_ref.get() {
            input.set_value("");
        }
    });
    view! {
        <Title text="Invite friends"/>
        <h1>"Invite friends"</h1>
        {crate::ui::loaded(invites, move |i| async move {
            let link = i.link.clone();
            let echo = echo.await;
            let typed = echoed(&echo, "email").unwrap_or_default();
            let picked = echoed(&echo, "community").unwrap_or_default();
            let options = i.communities.clone();
            view! {
                <section class="panel">
                    <h2>"Your invite link"</h2>
                    <p>"Share it with someone who lives with the same condition. When they sign up through it, we tell you how many joined — never who they are unless they write to you."</p>
                    <p class="share-row">
                        <a class="invite-link" href=link.clone()>{link.clone()}</a>
                        <CopyButton text=link.clone() label="Copy your invite link"/>
                    </p>
                    <p class="muted" data-testid="invite-joins">
                        {match i.joined { 0 => "Nobody has joined through your invites yet.".to_string(), 1 => "1 member joined through your invites.".to_string(), n => format!("{n} members joined through your invites.") }}
                    </p>
                    {community_links(&link, &i.communities)}
                </section>
                <section class="panel">
                    <h2>"Invite by e-mail"</h2>
                    <p>"We send your link once, with your handle. Up to 20 invitations a day; an address is invited at most once a week, and can opt out of invitations for good."</p>
                    {move || (query.read().get("sent").is_some() || sent.get() > 0).then(|| view! {
                        <p class="alert alert-ok" role="status" data-testid="invite-sent">"Invitation sent."</p>
                    })}
                    <ActionForm action=send attr:novalidate=true attr:class="stack">
                        <FormAlert error=err/>
                        <div class="field" class:has-error=move || field_error(err, "email").get().is_some()>
                            <label for="f-email">"Their e-mail address"</label>
                            <input id="f-email" name="email" type="email" autocomplete="off" value=typed node_ref=email_ref
                                aria-invalid=move || field_error(err, "email").get().is_some().then_some("true")
                                aria-describedby="f-email-error"/>
                            <FieldMessage id="f-email-error".into() error=field_error(err, "email")/>
                        </div>
                        {(!options.is_empty()).then(|| view! {
                            <div class="field">
                                <label for="f-community">"Also join them to"</label>
                                <select id="f-community" name="community">
                                    <option value="">"No community"</option>
                                    {options.iter().map(|(slug, name)| view! {
                                        <option value=slug.clone() selected=*slug == picked>{name.clone()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        })}
                        <button type="submit" class="button primary">"Send invitation"</button>
                    </ActionForm>
                </section>
            }
        })}
    }
}

/// The member's invite link into each of their communities (the newcomer joins it too).
fn community_links(link: &str, communities: &[(String, String)]) -> impl IntoView {
    view! {
        {(!communities.is_empty()).then(|| view! {
            <h2>"Invite into one of your communities"</h2>
            <p>"With these links the newcomer also joins the community."</p>
            <ul class="plain-list">
                {communities.iter().map(|(slug, name)| {
                    let href = format!("{link}?c={slug}");
                    view! {
                        <li class="share-row">
                            {name.clone()}": "<a class="invite-link" href=href.clone()>{href.clone()}</a>
                            <CopyButton text=href.clone() label=format!("Copy the {name} link")/>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let invite = crate::ui::resource(
        move || {
            (
                params.read().get("code").unwrap_or_default(),
                query.read().get("c"),
            )
        },
        |(code, c)| get_invite(code, c),
    );
    view! {
        {loaded(invite, move |v| async move {
            let code = params.read_untracked().get("code").unwrap_or_default();
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
    }
}
