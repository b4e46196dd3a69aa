//! Sponsored slots on pages (rendered on the server, labelled, with "Why am I seeing this?"), the public page that answers that question, and the admin's campaigns panel.

use super::api::*;
use super::types::*;
use crate::error::AppError;
use crate::ui::{
    action_error, echoed, field_error, format_date, Field, FieldMessage, FormAlert, Panel, Saved,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A sponsored slot: empty unless a campaign or house promotion may fill it on this page.
/// `in_list` renders it as a list item (the feed).
#[component]
pub fn SponsoredSlot(
    placement: Placement,
    #[prop(optional)] community: Option<String>,
    #[prop(optional)] post: Option<i64>,
    #[prop(optional)] in_list: bool,
) -> impl IntoView {
    let ad = crate::ui::resource(
        || (),
        move |_| get_sponsored(placement.as_str().into(), community.clone(), post),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                ad.await.ok().flatten().map(|s| view! { <SponsoredCard s=s in_list=in_list/> })
            })}
        </Suspense>
    }
}

/// A sponsored message, as a list item (`in_list`, the feed) or a sidebar panel.
#[component]
pub fn SponsoredCard(s: SponsoredView, in_list: bool) -> impl IntoView {
    let inner = view! {
        <p class="sponsored-label">{s.label.clone()}</p>
        <p class="sponsored-headline">{s.headline.clone()}</p>
        <p class="sponsored-body">{s.body.clone()}</p>
        <p class="sponsored-actions">
            <a class="button" href=s.href.clone() rel="sponsored noopener external">{s.cta.clone()}</a>
            <a class="sponsored-why" href=s.why.clone()>"Why am I seeing this?"</a>
        </p>
        {(!s.disclosure.is_empty()).then(|| view! { <p class="muted sponsored-disclosure">{s.disclosure.clone()}</p> })}
    };
    let kind = if s.house { "house" } else { "paid" };
    let id = s.id.to_string();
    if in_list {
        view! {
            <li class="sponsored sponsored-feed" class:sponsored-house=s.house
                data-sponsored=id data-kind=kind aria-label=s.label.clone()>{inner}</li>
        }
        .into_any()
    } else {
        view! {
            <section class="panel sponsored" class:sponsored-house=s.house
                data-sponsored=id data-kind=kind aria-label=s.label.clone()>{inner}</section>
        }
        .into_any()
    }
}

/// `/about/sponsored`: why a sponsored message was shown (the page, never the reader).
#[component]
pub fn WhySponsoredPage() -> impl IntoView {
    let query = use_query_map();
    let community = move || query.read().get("c").filter(|c| !c.is_empty());
    let place = move || {
        query
            .read()
            .get("on")
            .and_then(|p| Placement::parse(&p))
            .map(Placement::page_words)
            .unwrap_or("a page of this site")
    };
    view! {
        <Title text="Why am I seeing this?"/>
        <article class="panel prose">
            <h1>"Why am I seeing this?"</h1>
            <p>{move || match community() {
                Some(c) => format!("It was chosen for the page you were on: {} in the community at /c/{c}.", place()),
                None => format!("It was chosen for the page you were on: {}.", place()),
            }}</p>
            <p>"That is all it was chosen from. Sponsored messages are never chosen from who you are, your conditions, your posts or messages, or anything else you did here, and advertisers never learn who saw or clicked them: they only get totals."</p>
            <p>"Messages labelled “Sponsored” are paid for by the organisation named on them, which the operator approved. Messages labelled “From …” are the operator's own services. Neither is ever shown in support groups, private messages, requests to clinics, notifications, settings, or e-mails."</p>
            <p>"Counting is done by this site itself, with no third-party script and no cookie: a message counts as seen once per page, and how often a visitor saw one today is kept under a code that changes every day and cannot be traced back."</p>
            <p><a href="/about">"Who runs this site, its advertising policy and the approved advertisers"</a></p>
        </article>
    }
}

/// The admin's campaigns: the form and every campaign with its counts and its buttons.
pub fn campaigns_panel() -> impl IntoView {
    let create = ServerAction::<CreateCampaign>::new();
    let status = ServerAction::<SetCampaignStatus>::new();
    let err = action_error(create);
    let status_err = action_error(status);
    let echo = crate::ui::echo_resource(
        crate::sponsored::api::CREATE_CAMPAIGN,
        err.get_untracked().is_some(),
    );
    let create_ok = crate::ui::successes(create);
    let status_ok = crate::ui::successes(status);
    let data = crate::ui::resource(
        move || (create_ok.get(), status_ok.get()),
        |_| get_campaigns(),
    );
    view! {
        <Panel id="campaigns-h" title="Sponsored placements and house promotions">
            <p class="hint">"A campaign is shown only while its advertiser is approved, in the places and communities you tick, labelled “Sponsored · advertiser”. A house promotion is your own, labelled “From” your name. Neither ever appears in support groups, messages, requests, notifications, settings or e-mails."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || {
                    Suspend::new(async move {
                        let echo = echo.await;
                        let v = match data.await {
                            Ok(v) => v,
                            Err(e) => return view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any(),
                        };
                        let ticked = |name: &str| echoed(&echo, name).is_some_and(|v| !v.is_empty());
                        let fresh = echo.is_empty();
                        let (feed, sidebar, directory) = (fresh || ticked("in_feed"), fresh || ticked("in_sidebar"), ticked("in_directory"));
                        let targets: Vec<String> = echoed(&echo, "targets").unwrap_or_default().split(',').filter(|s| !s.is_empty()).map(str::to_string).collect();
                        let chosen = echoed(&echo, "advertiser").unwrap_or_default();
                        let body = echoed(&echo, "camp_body").unwrap_or_default();
                        let operator = v.operator.clone();
                        view! {
                            <ActionForm action=create attr:novalidate=true attr:class="stack" attr:aria-label="New campaign">
                                <FormAlert error=err/>
                                <Saved action=create message="Campaign created."/>
                                {advertiser_field(&v.advertisers, &operator, &chosen, err)}
                                <Field label="Headline" name="camp_headline" value=echoed(&echo, "camp_headline") error=field_error(err, "camp_headline")/>
                                <crate::ui::TextArea label="Text" name="camp_body" rows=2 value=body hint=format!("Plain text, up to {BODY_MAX} characters.")
                                    error=field_error(err, "camp_body")/>
                                <Field label="Button label" name="camp_cta" value=echoed(&echo, "camp_cta") error=field_error(err, "camp_cta")/>
                                <Field label="Button leads to" name="camp_url" value=echoed(&echo, "camp_url")
                                    hint="An https:// address; a house promotion may also give a page of this site, such as /library/fatigue."
                                    error=field_error(err, "camp_url")/>
                                {where_choices((feed, sidebar, directory), err)}
                                {community_choices(v.communities.clone(), targets)}
                                <div class="field-row">
                                    <Field label="From (optional)" name="camp_starts" kind="date" value=echoed(&echo, "camp_starts")
                                        hint="Empty: from now." error=field_error(err, "camp_starts")/>
                                    <Field label="Until (optional)" name="camp_ends" kind="date" value=echoed(&echo, "camp_ends")
                                        hint="Included; empty: until you end it." error=field_error(err, "camp_ends")/>
                                </div>
                                {limits_fields(&echo, err)}
                                <button type="submit" class="button primary">"Create campaign"</button>
                            </ActionForm>
                            <FormAlert error=status_err/>
                            {campaign_list(v.campaigns, status)}
                        }.into_any()
                    })
                }}
            </Suspense>
        </Panel>
    }
}

/// Whom a new campaign is for: a house promotion, or one of the advertisers.
fn advertiser_field(
    advertisers: &[AdvertiserChoice],
    operator: &str,
    chosen: &str,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field" class:has-error=move || field_error(err, "advertiser").get().is_some()>
            <label for="f-advertiser">"For"</label>
            <select id="f-advertiser" name="advertiser" aria-describedby="f-advertiser-error">
                <option value="house" selected=chosen == "house">{format!("A house promotion (from {operator})")}</option>
                {advertisers.iter().map(|a| {
                    let value = a.id.to_string();
                    let selected = chosen == value;
                    let name = if a.approved { a.name.clone() } else { format!("{} (waiting for approval)", a.name) };
                    view! { <option value=value selected=selected>{name}</option> }
                }).collect_view()}
            </select>
            <FieldMessage id="f-advertiser-error".into() error=field_error(err, "advertiser")/>
        </div>
    }
}

/// A new campaign's caps on impressions and its price.
fn limits_fields(echo: &[(String, String)], err: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div class="field-row">
            <Field label="Impressions in all (optional)" name="total_cap" value=echoed(echo, "total_cap") error=field_error(err, "total_cap")/>
            <Field label="Impressions per day (optional)" name="daily_cap" value=echoed(echo, "daily_cap") error=field_error(err, "daily_cap")/>
            <Field label="Per visitor per day (optional)" name="visitor_cap" value=echoed(echo, "visitor_cap") error=field_error(err, "visitor_cap")/>
        </div>
        <div class="field-row">
            <Field label="Price per 1,000 impressions (optional)" name="cpm" value=echoed(echo, "cpm") error=field_error(err, "cpm")/>
            <Field label="Or a flat fee for the period (optional)" name="flat_fee" value=echoed(echo, "flat_fee") error=field_error(err, "flat_fee")/>
        </div>
    }
}

/// Where and when a campaign is shown, and its caps: "feed, sidebar · every community · from 1 May 2026".
fn where_shown(c: &ManagedCampaign) -> String {
    let places = c
        .placements
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let communities = if c.communities.is_empty() {
        "every community".to_string()
    } else {
        c.communities.join(", ")
    };
    let when = match c.ends_at {
        Some(e) => format!("{} to {}", format_date(c.starts_at), format_date(e - 1)),
        None => format!("from {}", format_date(c.starts_at)),
    };
    let caps = [
        c.total_cap.map(|n| format!("{n} in all")),
        c.daily_cap.map(|n| format!("{n} a day")),
        c.visitor_daily_cap
            .map(|n| format!("{n} per visitor a day")),
    ];
    let caps = caps.into_iter().flatten().collect::<Vec<_>>().join(", ");
    let caps = if caps.is_empty() {
        caps
    } else {
        format!(" · {caps}")
    };
    format!("{places} · {communities} · {when}{caps}")
}

/// A campaign's state as the admin reads it.
fn state_of(c: &ManagedCampaign) -> &'static str {
    match (c.status, c.advertiser_approved) {
        (CampaignStatus::Active, false) => "waiting: advertiser not approved",
        (CampaignStatus::Active, true) => "running",
        (CampaignStatus::Paused, _) => "paused",
        (CampaignStatus::Ended, _) => "ended",
    }
}

/// The changes a campaign's state allows: (the form's value, the button's label).
fn changes_of(status: CampaignStatus) -> &'static [(&'static str, &'static str)] {
    match status {
        CampaignStatus::Active => &[("pause", "Pause"), ("end", "End")],
        CampaignStatus::Paused => &[("resume", "Resume"), ("end", "End")],
        CampaignStatus::Ended => &[],
    }
}

/// Where a new campaign is shown: in feeds, beside threads, in the directory.
fn where_choices(
    // Ticked: (feed, sidebar, directory).
    on: (bool, bool, bool),
    err: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let (feed, sidebar, directory) = on;
    view! {
        <fieldset class="field" class:has-error=move || field_error(err, "placements").get().is_some()>
            <legend>"Where"</legend>
            <div class="bar-choices">
                {[(Placement::Feed, "in_feed", feed), (Placement::Sidebar, "in_sidebar", sidebar), (Placement::Directory, "in_directory", directory)].into_iter().map(|(p, name, on)| {
                    let id = format!("f-{name}");
                    view! {
                        <span class="bar-choice">
                            <input type="checkbox" id=id.clone() name=name value="yes" checked=on/>
                            <label for=id>{p.label()}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
            <FieldMessage id="f-placements-error".into() error=field_error(err, "placements")/>
        </fieldset>
    }
}

/// The communities a new campaign is shown in (none ticked: every community).
fn community_choices(communities: Vec<(String, String)>, targets: Vec<String>) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>"Communities (none ticked: every community)"</legend>
            <div class="bar-choices">
                {communities.iter().map(|(slug, name)| {
                    let id = format!("f-target-{slug}");
                    let field = format!("targets[{slug}]");
                    let on = targets.contains(slug);
                    view! {
                        <span class="bar-choice">
                            <input type="checkbox" id=id.clone() name=field value="yes" checked=on/>
                            <label for=id>{name.clone()}</label>
                        </span>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

fn campaign_list(
    campaigns: Vec<ManagedCampaign>,
    status: ServerAction<SetCampaignStatus>,
) -> impl IntoView {
    if campaigns.is_empty() {
        return view! { <p class="muted">"No campaigns yet."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="table" data-testid="campaigns">
                <caption>"Campaigns, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Campaign"</th>
                        <th scope="col">"Where"</th>
                        <th scope="col" class="num">"Impressions"</th>
                        <th scope="col" class="num">"Today"</th>
                        <th scope="col" class="num">"Clicks"</th>
                        <th scope="col" class="num">"CTR"</th>
                        <th scope="col">"State"</th>
                    </tr>
                </thead>
                <tbody>
                    {campaigns.into_iter().map(|c| {
                        let who = c.advertiser.clone().map(|a| format!("Sponsored · {a}")).unwrap_or_else(|| "House promotion".into());
                        let (shown, state, changes) = (where_shown(&c), state_of(&c), changes_of(c.status));
                        let ctr = c.ctr();
                        let id = c.id.to_string();
                        view! {
                            <tr data-testid="campaign" data-campaign=c.id.to_string()>
                                <td>
                                    <strong>{c.headline.clone()}</strong>
                                    <br/><span class="muted">{who}</span>
                                    <br/><span class="muted">{c.url.clone()}</span>
                                </td>
                                <td>{shown}</td>
                                <td class="num" data-testid="impressions">{c.impressions}</td>
                                <td class="num">{c.impressions_today}</td>
                                <td class="num" data-testid="clicks">{c.clicks}</td>
                                <td class="num">{ctr}</td>
                                <td>
                                    {state}
                                    {changes.iter().map(|&(change, label)| {
                                        let id = id.clone();
                                        let aria = format!("{label}: {}", c.headline);
                                        view! {
                                            <ActionForm action=status attr:class="inline-form">
                                                <input type="hidden" name="id" value=id.clone()/>
                                                <input type="hidden" name="change" value=change/>
                                                <button type="submit" class="button" aria-label=aria>{label}</button>
                                            </ActionForm>
                                        }
                                    }).collect_view()}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
