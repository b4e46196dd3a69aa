//! The public `/about` page (who runs the site, how it is funded, who may advertise) and the admin's `/admin/operator` page that sets all of it, announcements included.

use super::api::*;
use super::types::*;
use crate::announcements::api::{CreateAnnouncement, EndAnnouncement};
use crate::announcements::pages::announcements_panel;
use crate::sponsored::pages::campaigns_panel;
use crate::ui::{
    action_error, echo_resource, echoed, field_error, loaded, Field, FormAlert, MarkdownField,
    Panel, Saved,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AboutPage() -> impl IntoView {
    let about = crate::ui::resource(|| (), |_| get_about());
    view! {
        <Title text="About this site"/>
        {crate::ui::loaded(about, move |v| async move {
            let p = v.profile;
            view! {
                <article class="panel prose about">
                    <h1>"About this site"</h1>
                    <h2>"Who runs it"</h2>
                    <p class="lead" data-testid="operator-name">{p.name.clone()}</p>
                    <p>{p.about.clone()}</p>
                    {(!p.privacy_contact.is_empty()).then(|| view! {
                        <p id="contact">"Questions about your data: "
                            <a href=format!("mailto:{}", p.privacy_contact) data-testid="privacy-contact">{p.privacy_contact.clone()}</a>
                        </p>
                    })}
                    <h2>"How it is paid for, and our advertising policy"</h2>
                    <p>
                        "Advertising here is always labelled “Sponsored” and kept apart from what members and our "
                        "editors write. It is chosen only from the page you are on, never from who you are, what "
                        "you wrote or your health. No advertiser ever learns who you are."
                    </p>
                    {if p.configured {
                        view! { <div class="user-html" inner_html=p.ad_policy_html.clone()></div> }.into_any()
                    } else {
                        view! { <p class="muted">"The operator has not published its own policy yet."</p> }.into_any()
                    }}
                    <h2 id="advertisers-h">"Who may advertise here"</h2>
                    {if v.advertisers.is_empty() {
                        view! { <p data-testid="no-advertisers">"No advertiser is approved at the moment."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="advertisers" aria-labelledby="advertisers-h">
                                {v.advertisers.into_iter().map(|a| view! {
                                    <li>
                                        <strong>{a.name.clone()}</strong>
                                        " · "{a.kind.label()}" · "
                                        <a href=a.website.clone() rel="sponsored noopener">{a.website.clone()}</a>
                                        <br/>
                                        <span class="muted">{a.disclosure.clone()}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(!v.bars.is_empty()).then(|| view! {
                        <h2>"What some communities refuse"</h2>
                        <ul>
                            {v.bars.into_iter().map(|b| view! {
                                <li>
                                    <a href=format!("/c/{}", b.slug)>{b.community.clone()}</a>
                                    ": no advertising from a "{b.kind.label().to_lowercase()}"."
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                </article>
            }
        })}
    }
}

#[component]
pub fn OperatorPage() -> impl IntoView {
    let save = ServerAction::<SaveOperatorProfile>::new();
    let add = ServerAction::<AddAdvertiser>::new();
    let status = ServerAction::<SetAdvertiserStatus>::new();
    let bars = ServerAction::<SetAdBars>::new();
    let announce = ServerAction::<CreateAnnouncement>::new();
    let end = ServerAction::<EndAnnouncement>::new();
    let save_ok = crate::ui::successes(save);
    let add_ok = crate::ui::successes(add);
    let status_ok = crate::ui::successes(status);
    let bars_ok = crate::ui::successes(bars);
    let data = crate::ui::resource(
        move || (save_ok.get(), add_ok.get(), status_ok.get(), bars_ok.get()),
        |_| get_operator_admin(),
    );
    let profile_echo = echo_resource(
        crate::operator::api::OPERATOR_PROFILE,
        action_error(save).get_untracked().is_some(),
    );
    let add_echo = echo_resource(
        crate::operator::api::ADD_ADVERTISER,
        action_error(add).get_untracked().is_some(),
    );
    let announce_echo = echo_resource(
        crate::announcements::api::CREATE_ANNOUNCEMENT,
        action_error(announce).get_untracked().is_some(),
    );
    view! {
        <Title text="The operator and advertisers"/>
        {loaded(data, move |v| async move {
            let (profile_echo, add_echo) = (profile_echo.await, add_echo.await);
            let announce_echo = announce_echo.await;
            view! {
                <h1>"The operator and advertisers"</h1>
                <p class="admin-links">
                    <a href="/admin">"Back to Admin"</a>
                    <a href="/about">"See the public page"</a>
                </p>
                <div class="settings-grid">
                    <ProfileForm profile=v.profile echo=profile_echo action=save/>
                    {advertiser_form(add_echo, add)}
                </div>
                {announcements_panel(v.communities.iter().map(|c| (c.slug.clone(), c.name.clone())).collect(), announce_echo, announce, end)}
                {advertiser_list(v.advertisers, status)}
                {campaigns_panel()}
                {bars_panel(v.communities, bars)}
            }.into_any()
        })}
    }
}

#[component]
fn ProfileForm(
    profile: OperatorProfile,
    echo: Vec<(String, String)>,
    action: ServerAction<SaveOperatorProfile>,
) -> impl IntoView {
    let err = action_error(action);
    let (name, about, policy, contact) = if profile.configured {
        (
            profile.name,
            profile.about,
            profile.ad_policy_md,
            profile.privacy_contact,
        )
    } else {
        Default::default()
    };
    let contact = echoed(&echo, "privacy_contact").unwrap_or(contact);
    let name = echoed(&echo, "name").unwrap_or(name);
    let about = echoed(&echo, "about").unwrap_or(about);
    let policy = echoed(&echo, "ad_policy").unwrap_or(policy);
    view! {
        <Panel id="operator-h" title="Who runs this site">
            <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Who runs this site">
                <FormAlert error=err/>
                <Saved action=action message="Saved. /about shows it now."/>
                <Field label="Operator's name" name="name" value=Some(name) error=field_error(err, "name")/>
                <crate::ui::TextArea label="Who runs this site (one paragraph)" name="about" rows=4 value=about hint=format!("Up to {ABOUT_MAX} characters: who you are, and why you run this community.")
                    error=field_error(err, "about")/>
                <MarkdownField label="Advertising and funding policy".into() name="ad_policy" id="f-ad_policy".into()
                    value=policy rows=8 error=field_error(err, "ad_policy")/>
                <Field label="E-mail address for questions about members' data" name="privacy_contact" kind="email"
                    value=Some(contact) hint="Shown on /about and /privacy. Members write here to ask what you hold, or to have their account erased."
                    error=field_error(err, "privacy_contact")/>
                <button type="submit" class="button primary">"Save"</button>
            </ActionForm>
        </Panel>
    }
}

fn advertiser_form(
    echo: Vec<(String, String)>,
    action: ServerAction<AddAdvertiser>,
) -> impl IntoView {
    let err = action_error(action);
    let kind = echoed(&echo, "kind").unwrap_or_default();
    let disclosure = echoed(&echo, "disclosure").unwrap_or_default();
    view! {
        <Panel id="add-adv-h" title="Add an advertiser">
            <p class="hint">"It waits for your approval; only approved advertisers are ever shown."</p>
            <ActionForm action=action attr:novalidate=true attr:class="stack" attr:aria-label="Add an advertiser">
                <FormAlert error=err/>
                <Saved action=action message="Added. Approve it below when you are ready."/>
                <Field label="Organisation" name="adv_name" value=echoed(&echo, "adv_name") error=field_error(err, "adv_name")/>
                <Field label="Website" name="website" value=echoed(&echo, "website") hint="An https:// address." error=field_error(err, "website")/>
                <crate::ui::Select label="Kind" name="kind" current=kind error=field_error(err, "kind")
                    choices=std::iter::once((String::new(), "Choose…".to_string()))
                        .chain(AdvertiserKind::ALL.into_iter().map(|k| (k.as_str().to_string(), k.label().to_string())))
                        .collect()/>
                <Field label="Contact e-mail (never shown)" name="contact_email" kind="email" value=echoed(&echo, "contact_email") error=field_error(err, "contact_email")/>
                <crate::ui::TextArea label="Disclosure" name="disclosure" rows=2 value=disclosure hint=format!("Up to {DISCLOSURE_MAX} characters, shown on /about: what they make or do that touches this community.")
                    error=field_error(err, "disclosure")/>
                <button type="submit" class="button primary">"Add advertiser"</button>
            </ActionForm>
        </Panel>
    }
}

fn advertiser_list(
    advertisers: Vec<Advertiser>,
    action: ServerAction<SetAdvertiserStatus>,
) -> impl IntoView {
    let err = action_error(action);
    let contact = ServerAction::<crate::sponsor::api::SetSponsorContact>::new();
    let contact_err = action_error(contact);
    view! {
        <Panel id="advertisers-h" title="Advertisers">
            <p class="hint">"A report reader is a member who sees this advertiser's own figures on /sponsor (impressions, clicks and CTR, figures below 10 hidden), and nothing else."</p>
            <FormAlert error=err/>
            <FormAlert error=contact_err/>
            <Saved action=contact message="Report reader saved."/>
            {if advertisers.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="queue">
                        {advertisers.into_iter().map(|a| {
                            let changes: Vec<(&str, &str)> = match a.status {
                                AdvertiserStatus::Approved => vec![("suspend", "Suspend"), ("remove", "Remove")],
                                _ => vec![("approve", "Approve"), ("remove", "Remove")],
                            };
                            let id = a.id.to_string();
                            view! {
                                <li class="queue-item" data-testid="advertiser">
                                    <p>
                                        <strong>{a.name.clone()}</strong>" · "{a.kind.label()}" · "
                                        <span class="badge" class:badge-verified=a.status == AdvertiserStatus::Approved>{a.status.label()}</span>
                                    </p>
                                    <p class="muted">{a.website.clone()}" · "{a.contact_email.clone()}</p>
                                    <p>{a.disclosure.clone()}</p>
                                    {
                                        let (cid, input, save) = (a.id.to_string(), format!("contact-{}", a.id), format!("Save the report reader of {}", a.name));
                                        view! {
                                            <ActionForm action=contact attr:class="inline-form sponsor-contact">
                                                <input type="hidden" name="id" value=cid/>
                                                <label for=input.clone()>"Report reader (member's handle)"</label>
                                                <input id=input name="contact" value=a.sponsor_contact.clone().unwrap_or_default()/>
                                                <button type="submit" class="button" aria-label=save>"Save"</button>
                                            </ActionForm>
                                        }.into_any()
                                    }
                                    <div class="queue-actions">
                                        {changes.into_iter().map(|(change, label)| {
                                            let id = id.clone();
                                            let aria = format!("{label} {}", a.name);
                                            view! {
                                                <ActionForm action=action attr:class="inline-form">
                                                    <input type="hidden" name="id" value=id.clone()/>
                                                    <input type="hidden" name="change" value=change/>
                                                    <button type="submit" class="button" aria-label=aria.clone()>{label}</button>
                                                </ActionForm>
                                            }
                                        }).collect_view()}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Panel>
    }
}

fn bars_panel(communities: Vec<CommunityBars>, action: ServerAction<SetAdBars>) -> impl IntoView {
    let err = action_error(action);
    view! {
        <Panel id="bars-h" title="Kinds of advertiser each community refuses">
            <FormAlert error=err/>
            <Saved action=action message="Saved."/>
            {communities.into_iter().map(|c| {
                let slug = c.slug.clone();
                view! {
                    <ActionForm action=action attr:class="stack bars-form">
                        <fieldset class="field">
                            <legend>{c.name.clone()}</legend>
                            <input type="hidden" name="slug" value=slug.clone()/>
                            <div class="bar-choices">
                                {AdvertiserKind::ALL.into_iter().map(|k| {
                                    let id = format!("bar-{}-{}", slug, k.as_str());
                                    view! {
                                        <span class="bar-choice">
                                            <input type="checkbox" id=id.clone() name=k.as_str() value="yes" checked=c.barred.contains(&k)/>
                                            <label for=id>{k.label()}</label>
                                        </span>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                        <button type="submit" class="button">{format!("Save for {}", c.name)}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </Panel>
    }
}
