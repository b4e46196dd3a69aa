//! Directory pages: the shared pieces (rating stars, the provider card, top providers); search, the provider page, staff editing and contact requests live in the sub-modules.

use super::api::*;
use super::types::*;
use crate::communities::api::list_communities;
use crate::communities::types::COLOURS;
use crate::error::AppError;
use crate::pictures::pages::{
    upload_failed, AddPicture, PictureRow, PictureUpload, RemovePictureButton,
};
use crate::pictures::types::PER_PROVIDER;
use crate::saved::pages::SavePageButton;
use crate::saved::types::RefKind;
use crate::session::Session;
use crate::sponsored::pages::SponsoredSlot;
use crate::sponsored::types::Placement;
use crate::ui::{
    action_error, echoed, field_error, format_date, format_datetime, successes, ErrorView, Field,
    FieldMessage, FormAlert, Panel, Saved,
};
use crate::ui::{choices, loaded, Checkbox, CommunityIcon, FilterSelect};
use crate::ui::{echo_resource, with_echo};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

mod contact;
mod listing;
mod provider;
mod search;
mod staff;

pub use contact::*;
pub use listing::*;
pub use provider::*;
pub use search::*;
pub use staff::*;

/// "★★★★☆" for an average ×100 (rounded to the nearest star).
fn star_row(x100: i64) -> String {
    let full = ((x100 + 50) / 100).clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(full), "☆".repeat(5 - full))
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The rating widget: average, count, a five-bar histogram and the sub-score averages.
/// `compact` shows only the average and count (search results, sidebars).
#[component]
pub fn RatingWidget(rating: RatingSummary, #[prop(optional)] compact: bool) -> impl IntoView {
    let count = rating.count;
    if count == 0 {
        return view! { <p class="rating rating-empty muted">"No ratings yet"</p> }.into_any();
    }
    let avg = stars_text(rating.avg_x100);
    let summary = view! {
        <p class="rating">
            <span class="rating-stars" aria-hidden="true">{star_row(rating.avg_x100)}</span>
            <span class="rating-avg">{format!("{avg} out of 5")}</span>
            <span class="muted">" · "{plural(count, "rating", "ratings")}</span>
        </p>
    };
    if compact {
        return summary.into_any();
    }
    let subs: Vec<(&str, String)> = [
        (
            "Explains clearly",
            rating
                .explains_x100
                .map(|v| format!("{} / 5", stars_text(v))),
        ),
        (
            "Listens",
            rating
                .listens_x100
                .map(|v| format!("{} / 5", stars_text(v))),
        ),
        (
            "Staff and premises",
            rating
                .premises_x100
                .map(|v| format!("{} / 5", stars_text(v))),
        ),
        (
            "Typical wait",
            rating.wait_minutes.map(|m| format!("{m} min")),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    view! {
        <div class="rating-widget">
            {summary}
            <table class="histogram">
                <caption class="visually-hidden">"Ratings by number of stars"</caption>
                <tbody>
                    {(1..=5usize).rev().map(|s| {
                        let n = rating.histogram.get(s - 1).copied().unwrap_or(0);
                        view! {
                            <tr>
                                <th scope="row">{plural(s as i64, "star", "stars")}</th>
                                <td><meter min="0" max=count.to_string() value=n.to_string()>{n}</meter></td>
                                <td class="num">{n}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(!subs.is_empty()).then(|| view! {
                <dl class="subscores">
                    {subs.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                </dl>
            })}
        </div>
    }
    .into_any()
}

/// One to five stars: a plain radio group without JavaScript; after hydration the same radios
/// become clickable stars with a hover preview.
#[component]
fn StarInput(
    name: &'static str,
    legend: &'static str,
    initial: Option<i64>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let value = RwSignal::new(initial.unwrap_or(0));
    let hover = RwSignal::new(0i64);
    let err_id = format!("f-{name}-error");
    let described = err_id.clone();
    view! {
        <fieldset class="stars" class:stars-live=move || live.get() aria-describedby=described>
            <legend>{legend}</legend>
            <div class="star-row" on:mouseleave=move |_| hover.set(0)>
                {(1..=5i64).map(|n| view! {
                    <label
                        class="star"
                        class:on=move || { let h = hover.get(); if h > 0 { n <= h } else { n <= value.get() } }
                        on:mouseenter=move |_| hover.set(n)
                    >
                        <input type="radio" name=name value=n.to_string() checked=initial == Some(n) on:change=move |_| value.set(n)/>
                        <span class="star-glyph" aria-hidden="true">"★"</span>
                        <span class="star-text">{plural(n, "star", "stars")}</span>
                    </label>
                }).collect_view()}
            </div>
            <FieldMessage id=err_id error=error/>
        </fieldset>
    }
}

/// A 1–5 sub-score as a select with "not rated".
#[component]
fn ScoreSelect(
    name: &'static str,
    label: &'static str,
    initial: Option<i64>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name aria-describedby=err_id.clone()>
                <option value="" selected=initial.is_none()>"Not rated"</option>
                {(1..=5i64).rev().map(|n| view! {
                    <option value=n.to_string() selected=initial == Some(n)>{format!("{n} – {}", ["poor", "fair", "good", "very good", "excellent"].get((n - 1) as usize).copied().unwrap_or(""))}</option>
                }).collect_view()}
            </select>
            <FieldMessage id=err_id error=error/>
        </div>
    }
}

fn kind_label(k: ProviderKind) -> &'static str {
    match k {
        ProviderKind::Clinic => "Clinic",
        ProviderKind::Clinician => "Clinician",
    }
}

/// A provider in a list: name, kind, place, distance, specialties, accepting, compact rating.
#[component]
pub fn ProviderCardView(p: ProviderCard) -> impl IntoView {
    let distance = p.distance_km.map(|d| {
        if d < 10.0 {
            format!("{d:.1} km away")
        } else {
            format!("{d:.0} km away")
        }
    });
    view! {
        <li class="card provider-card">
            {match p.logo {
                Some(id) => view! { <img class="card-logo" src=crate::pictures::types::src(id) alt="" width="40" height="40" loading="lazy"/> }.into_any(),
                None => view! { <CommunityIcon name=p.name.clone() colour=p.colour.clone()/> }.into_any(),
            }}
            <div>
                <h3 class="provider-name"><a href=format!("/directory/{}", p.slug)>{p.name.clone()}</a></h3>
                <p class="muted small">
                    {kind_label(p.kind)}
                    {(!p.city.is_empty()).then(|| format!(" · {}", p.city))}
                    {distance.map(|d| format!(" · {d}"))}
                </p>
                {(!p.specialties.is_empty()).then(|| view! { <p class="small">{p.specialties.join(", ")}</p> })}
                {if p.accepting {
                    view! { <span class="badge badge-verified">"Accepting new patients"</span> }.into_any()
                } else {
                    view! { <span class="badge">"Not taking new patients"</span> }.into_any()
                }}
                <RatingWidget rating=p.rating.clone() compact=true/>
            </div>
        </li>
    }
}

/// The best-rated providers for a community's condition, for its sidebar.
pub fn top_providers_panel(community: String) -> impl IntoView {
    let list = crate::ui::resource(move || community.clone(), top_providers);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = list.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <Panel id="top-providers-h" title="Rated by members">
                        <ul class="plain-list">
                            {list.into_iter().map(|p| view! {
                                <li>
                                    <a href=format!("/directory/{}", p.slug)>{p.name.clone()}</a>
                                    <RatingWidget rating=p.rating.clone() compact=true/>
                                </li>
                            }).collect_view()}
                        </ul>
                        <p class="small"><a href="/directory">"Find care near you"</a></p>
                    </Panel>
                })
            })}
        </Suspense>
    }
}
