//! Directory pages: search, a provider's profile with ratings and reviews, the staff editor, inbox and request threads, the admins' report queue.

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
use crate::ui::echo_resource;
use crate::ui::CommunityIcon;
use crate::ui::{
    action_error, echoed, field_error, format_date, format_datetime, successes, ErrorView, Field,
    FieldMessage, FormAlert, Saved,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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

/// Starts "near me": asks the browser for its position, then searches around it.
#[cfg(feature = "hydrate")]
fn locate(status: RwSignal<String>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(geo) = window.navigator().geolocation() else {
        status.set("Your browser cannot share its location. Enter a city or postal code.".into());
        return;
    };
    status.set("Finding your location…".into());
    let ok = Closure::once_into_js(move |pos: wasm_bindgen::JsValue| {
        // GeolocationPosition is an unstable web-sys type: read its fields by name.
        let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
        let coords = get(&pos, "coords").unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
        let (Some(lat), Some(lon)) = (
            get(&coords, "latitude").and_then(|v| v.as_f64()),
            get(&coords, "longitude").and_then(|v| v.as_f64()),
        ) else {
            return;
        };
        let query = use_query_map_snapshot();
        let href = format!("/directory?{query}lat={lat:.4}&lon={lon:.4}");
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_href(&href);
        }
    });
    let err = Closure::once_into_js(move |_e: wasm_bindgen::JsValue| {
        status.set("We could not get your location (permission denied or unavailable). Enter a city or postal code.".into());
    });
    if geo
        .get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()))
        .is_err()
    {
        status.set("We could not get your location. Enter a city or postal code.".into());
    }
}

/// The current search's filters (without place and position), as `k=v&` pairs.
#[cfg(feature = "hydrate")]
fn use_query_map_snapshot() -> String {
    let Some(w) = web_sys::window() else {
        return String::new();
    };
    let search = w.location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty())
        .filter(|kv| {
            let k = kv.split('=').next().unwrap_or("");
            !matches!(k, "lat" | "lon" | "place")
        })
        .map(|kv| format!("{kv}&"))
        .collect()
}

/// The same search around another place: the filters stay, the position (if any) goes.
fn place_href(q: &DirectoryQuery, label: &str) -> String {
    use crate::ui::url_encode;
    let mut href = String::from("/directory?");
    for (k, v) in [
        ("specialty", &q.specialty),
        ("condition", &q.condition),
        ("language", &q.language),
        ("kind", &q.kind),
        ("accepting", &q.accepting),
        ("radius", &q.radius),
        ("sort", &q.sort),
    ] {
        if !v.is_empty() {
            href.push_str(&format!("{k}={}&", url_encode(v)));
        }
    }
    href + &format!("place={}", url_encode(label))
}

/// The gazetteer's attribution (its licence, CC BY 4.0, asks for it where its data shows).
#[component]
fn GeoNamesCredit() -> impl IntoView {
    view! { "Places: " <a href="https://www.geonames.org/">"GeoNames"</a> " (CC BY 4.0)." }
}

/// "Which Newport?": one link per place of that name.
#[component]
fn PlaceChoices(question: String, labels: Vec<String>, query: DirectoryQuery) -> impl IntoView {
    view! {
        <section class="panel place-choices" aria-labelledby="choose-h">
            <h2 id="choose-h">{question}</h2>
            <ul>
                {labels.into_iter().map(|l| view! { <li><a href=place_href(&query, &l)>{l.clone()}</a></li> }).collect_view()}
            </ul>
            <p class="muted small"><GeoNamesCredit/></p>
        </section>
    }
}

/// A small map drawn on the server: the search radius around the centre and the results as
/// numbered dots (the list's numbers), with a scale bar. No tiles, so no third party sees the search.
#[component]
fn ResultsMap(centre: (f64, f64), radius_km: f64, providers: Vec<ProviderCard>) -> impl IntoView {
    use crate::places::types::project;
    const SIZE: f64 = 240.0;
    // The map shows the farthest result with a margin, at most the search radius.
    let far = providers
        .iter()
        .filter_map(|p| p.distance_km)
        .fold(0.0_f64, f64::max);
    let span = (far * 1.3).clamp(1.0, radius_km.max(1.0));
    let scale_km = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0]
        .into_iter()
        .rfind(|k| *k <= span / 2.0)
        .unwrap_or(0.5);
    let scale_px = scale_km * (SIZE / 2.0) / span;
    // Results at the same spot (a clinic and its clinicians) share one dot: "1, 2".
    let mut dots: Vec<(Vec<usize>, crate::places::types::MapPoint, Vec<String>)> = Vec::new();
    for (i, p) in providers.iter().enumerate() {
        let Some(pos) = p.position else { continue };
        let m = project(centre, span, SIZE, pos);
        if !(0.0..=SIZE).contains(&m.x) || !(0.0..=SIZE).contains(&m.y) {
            continue;
        }
        match dots
            .iter_mut()
            .find(|d| (d.1.x - m.x).hypot(d.1.y - m.y) < 8.0)
        {
            Some(d) => {
                d.0.push(i + 1);
                d.2.push(p.name.clone());
            }
            None => dots.push((vec![i + 1], m, vec![p.name.clone()])),
        }
    }
    let shown: usize = dots.iter().map(|d| d.0.len()).sum();
    let label =
        format!("Map of the {shown} results around the place searched, up to {span:.0} km away");
    // The search's radius, when the map is wide enough to show it.
    let ring = (span >= radius_km).then(|| SIZE / 2.0 - 1.0);
    view! {
        <figure class="results-map">
            <svg viewBox=format!("0 0 {SIZE} {SIZE}") width="240" height="240" role="img" aria-label=label>
                <rect width=SIZE height=SIZE class="map-bg"/>
                {ring.map(|r| view! { <circle cx=SIZE / 2.0 cy=SIZE / 2.0 r=r class="map-radius"/> })}
                <path d=format!("M{} {}h12M{} {}v12", SIZE / 2.0 - 6.0, SIZE / 2.0, SIZE / 2.0, SIZE / 2.0 - 6.0) class="map-centre"/>
                {dots.into_iter().map(|(numbers, m, names)| {
                    let text = numbers.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(",");
                    let title = numbers.iter().zip(&names).map(|(n, name)| format!("{n}. {name}")).collect::<Vec<_>>().join("; ");
                    let r = if numbers.len() > 1 { 12 } else { 9 };
                    view! {
                        <g class="map-dot">
                            <title>{title}</title>
                            <circle cx=format!("{:.1}", m.x) cy=format!("{:.1}", m.y) r=r/>
                            <text x=format!("{:.1}", m.x) y=format!("{:.1}", m.y + 3.5) text-anchor="middle">{text}</text>
                        </g>
                    }
                }).collect_view()}
                <path d=format!("M8 {}h{scale_px:.1}", SIZE - 10.0) class="map-scale"/>
                <text x="8" y=SIZE - 14.0 class="map-scale-label">{format!("{scale_km} km")}</text>
            </svg>
            <figcaption class="muted small">"+ the place searched; numbers follow the list. "<GeoNamesCredit/></figcaption>
        </figure>
    }
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let q = move || DirectoryQuery {
        kind: get("kind"),
        specialty: get("specialty"),
        condition: get("condition"),
        language: get("language"),
        accepting: get("accepting"),
        place: get("place"),
        lat: get("lat"),
        lon: get("lon"),
        radius: get("radius"),
        sort: get("sort"),
    };
    let results = Resource::new(q, search_directory);
    let communities = Resource::new(|| (), |_| list_communities());
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let locate_status = RwSignal::new(String::new());
    view! {
        <Title text="Find care"/>
        <crate::seo::pages::PageMeta title="Find care"
            description="Find clinics and doctors for your condition near you, with ratings from patients who saw them."
            path="/directory"/>
        <h1>"Find doctors, specialists and clinics"</h1>
        <p class="lead">"Search by specialty, condition, language and place. "
            <strong>"No paid ranking:"</strong>" sponsorship never changes the order."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let communities = communities.await.unwrap_or_default();
                let query = q();
                let results = results.await;
                let err = results.as_ref().err().cloned();
                let ferr = |f: &str| err.as_ref().and_then(|e| e.field_message(f));
                let opt = |list: &'static [(&'static str, &'static str)], current: String| {
                    list.iter().map(move |(k, l)| view! { <option value=*k selected=current == *k>{*l}</option> }).collect_view()
                };
                let radius = if query.radius.is_empty() { "25".to_string() } else { query.radius.clone() };
                let place_err = ferr("place").or(ferr("lat")).or(ferr("lon"));
                let more_open = !(query.condition.is_empty()
                    && query.language.is_empty()
                    && query.kind.is_empty()
                    && matches!(query.sort.as_str(), "" | "distance")
                    && query.accepting.is_empty());
                view! {
                    <form class="panel directory-form" method="get" action="/directory" role="search" aria-label="Directory">
                        // What most searches need comes first; the rest folds away (on a phone the
                        // results would otherwise start a screen and a half down), open when used.
                        <div class="filters filters-main">
                            <div class="field">
                                <label for="d-specialty">"Specialty"</label>
                                <select id="d-specialty" name="specialty">
                                    <option value="">"Any specialty"</option>
                                    {opt(SPECIALTIES, query.specialty.clone())}
                                </select>
                                {ferr("specialty").map(|e| view! { <p class="field-error">{e}</p> })}
                            </div>
                            <div class="field">
                                <label for="d-place">"City or postal code"</label>
                                <input id="d-place" name="place" value=query.place.clone() autocomplete="address-level2"
                                    aria-invalid=place_err.is_some().then_some("true") aria-describedby="d-place-error"/>
                                {place_err.map(|e| view! { <p class="field-error" id="d-place-error">{e}</p> })}
                            </div>
                            <div class="field">
                                <label for="d-radius">"Within"</label>
                                <select id="d-radius" name="radius">
                                    {["5", "10", "25", "50", "100", "250"].into_iter().map(|r| view! {
                                        <option value=r selected=radius == r>{format!("{r} km")}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <details class="more-filters" open=more_open>
                            <summary>"More filters"</summary>
                            <div class="filters">
                                <div class="field">
                                    <label for="d-condition">"Condition"</label>
                                    <select id="d-condition" name="condition">
                                        <option value="">"Any condition"</option>
                                        {communities.iter().map(|c| view! {
                                            <option value=c.slug.clone() selected=query.condition == c.slug>{c.name.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="d-language">"Language"</label>
                                    <select id="d-language" name="language">
                                        <option value="">"Any language"</option>
                                        {opt(LANGUAGES, query.language.clone())}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="d-kind">"Show"</label>
                                    <select id="d-kind" name="kind">
                                        <option value="">"Clinics and clinicians"</option>
                                        <option value="clinic" selected=query.kind == "clinic">"Clinics"</option>
                                        <option value="clinician" selected=query.kind == "clinician">"Clinicians"</option>
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="d-sort">"Order"</label>
                                    <select id="d-sort" name="sort">
                                        <option value="distance">"Nearest first"</option>
                                        <option value="rating" selected=query.sort == "rating">"Best rated first"</option>
                                    </select>
                                </div>
                                <div class="field checkbox">
                                    <label>
                                        <input type="checkbox" name="accepting" value="yes" checked=query.accepting == "yes"/>
                                        " Accepting new patients"
                                    </label>
                                </div>
                            </div>
                        </details>
                        {(!query.lat.is_empty()).then(|| view! {
                            <input type="hidden" name="lat" value=query.lat.clone()/>
                            <input type="hidden" name="lon" value=query.lon.clone()/>
                        })}
                        <p class="cta">
                            <button type="submit" class="button primary">"Search"</button>
                            {move || live.get().then(|| view! {
                                <button type="button" class="button" on:click=move |_| {
                                    #[cfg(feature = "hydrate")]
                                    locate(locate_status);
                                }>"Near me"</button>
                            })}
                            <span class="muted small" role="status">{move || locate_status.get()}</span>
                        </p>
                    </form>
                    {match results {
                        Ok(r) if r.choose.is_some() => {
                            let (question, labels) = r.choose.clone().unwrap_or_default();
                            view! { <PlaceChoices question labels query=query.clone()/> }.into_any()
                        }
                        Ok(r) => {
                            let heading = match &r.place_label {
                                Some(p) => format!("{} within {} km of {p}", plural(r.providers.len() as i64, "result", "results"), r.radius_km),
                                None => plural(r.providers.len() as i64, "result", "results"),
                            };
                            let note = r.place.as_ref().and_then(|p| p.note.clone());
                            let others = r.place.as_ref().map(|p| p.others.clone()).unwrap_or_default();
                            let map = r.place.as_ref().filter(|_| !r.providers.is_empty()).map(|p| view! {
                                <ResultsMap centre=(p.lat, p.lon) radius_km=r.radius_km providers=r.providers.clone()/>
                            });
                            view! {
                                <section aria-labelledby="results-h">
                                    <h2 id="results-h" aria-live="polite">{heading}</h2>
                                    {note.map(|n| view! { <p class="muted">{n}</p> })}
                                    {(!others.is_empty()).then(|| view! {
                                        <p class="small other-places">"Not the place you meant? "
                                            {others.into_iter().map(|l| view! {
                                                <a href=place_href(&query, &l)>{l.clone()}</a>" "
                                            }).collect_view()}
                                        </p>
                                    })}
                                    {r.truncated.then(|| view! { <p class="muted">{format!("Showing the first {RESULTS_MAX}. Narrow the search to see others.")}</p> })}
                                    {match query.condition.trim() {
                                        "" => view! { <SponsoredSlot placement=Placement::Directory/> }.into_any(),
                                        c => view! { <SponsoredSlot placement=Placement::Directory community=c.to_string()/> }.into_any(),
                                    }}
                                    {if r.providers.is_empty() {
                                        view! { <p class="muted">"Nothing matches. Try a wider radius or fewer filters."</p> }.into_any()
                                    } else {
                                        view! {
                                            <div class="results-with-map">
                                                <ol class="provider-list">
                                                    {r.providers.into_iter().map(|p| view! { <ProviderCardView p=p/> }).collect_view()}
                                                </ol>
                                                {map}
                                            </div>
                                        }.into_any()
                                    }}
                                </section>
                            }.into_any()
                        }
                        Err(AppError::Validation(_)) => view! { <p class="alert alert-error" role="alert">"Please correct the search above."</p> }.into_any(),
                        Err(e) => view! { <ErrorView error=e/> }.into_any(),
                    }}
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    let rate = ServerAction::<RateProvider>::new();
    let reply = ServerAction::<ReplyReview>::new();
    let report = ServerAction::<ReportReview>::new();
    let contact = ServerAction::<ContactClinic>::new();
    let code = ServerAction::<NewReviewCode>::new();
    let invitation = ServerAction::<AnswerInvitation>::new();
    let leave = ServerAction::<LeaveStaff>::new();
    let (rated, replied, reported) = (successes(rate), successes(reply), successes(report));
    let (answered, left) = (successes(invitation), successes(leave));
    let detail = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                rated.get(),
                replied.get(),
                reported.get(),
                answered.get() + left.get(),
            )
        },
        |(slug, ..)| get_provider(slug),
    );
    let rate_err = action_error(rate);
    let echo = echo_resource("rate_provider", rate_err.get_untracked().is_some());
    let contact_err = action_error(contact);
    let contact_echo = echo_resource("contact_clinic", contact_err.get_untracked().is_some());
    let query = use_query_map();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let d = match detail.await {
                    Ok(d) => d,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let echo = echo.await;
                let contact_echo = contact_echo.await;
                let plain_code = query.read_untracked().get("code");
                view! {
                    <ProviderView
                        d=d echo=echo contact_echo=contact_echo plain_code=plain_code
                        rate=rate reply=reply report=report contact=contact code=code
                        invitation=invitation leave=leave
                    />
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn ProviderView(
    d: ProviderDetail,
    echo: Vec<(String, String)>,
    contact_echo: Vec<(String, String)>,
    plain_code: Option<String>,
    rate: ServerAction<RateProvider>,
    reply: ServerAction<ReplyReview>,
    report: ServerAction<ReportReview>,
    contact: ServerAction<ContactClinic>,
    code: ServerAction<NewReviewCode>,
    invitation: ServerAction<AnswerInvitation>,
    leave: ServerAction<LeaveStaff>,
) -> impl IntoView {
    let c = d.card.clone();
    let slug = c.slug.clone();
    let v = d.viewer.clone();
    let is_clinic = c.kind == ProviderKind::Clinic;
    let rate_err = action_error(rate);
    let contact_err = action_error(contact);
    let own = d.own_review.clone();
    let e = |name: &str, fallback: Option<String>| echoed(&echo, name).or(fallback);
    let details = {
        let mut rows: Vec<(&str, AnyView)> = Vec::new();
        if !d.address.is_empty() || !c.city.is_empty() {
            let addr = [
                d.address.clone(),
                format!("{} {}", d.postal_code, c.city).trim().to_string(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
            rows.push(("Address", view! { <span>{addr}</span> }.into_any()));
        }
        if !d.phone.is_empty() {
            let tel = format!("tel:{}", d.phone.replace(' ', ""));
            rows.push((
                "Phone",
                view! { <a href=tel>{d.phone.clone()}</a> }.into_any(),
            ));
        }
        if !d.website.is_empty() {
            rows.push(("Website", view! { <a href=d.website.clone() rel="nofollow ugc noopener">{d.website.clone()}</a> }.into_any()));
        }
        if !c.specialties.is_empty() {
            rows.push((
                "Specialties",
                view! { <span>{c.specialties.join(", ")}</span> }.into_any(),
            ));
        }
        if !d.languages.is_empty() {
            let langs = d
                .languages
                .iter()
                .map(|l| label(LANGUAGES, l))
                .collect::<Vec<_>>()
                .join(", ");
            rows.push(("Languages", view! { <span>{langs}</span> }.into_any()));
        }
        if !d.conditions.is_empty() {
            rows.push(("Conditions treated", view! {
                <span>{d.conditions.iter().map(|x| view! { <a class="tag" href=format!("/c/{}", x.slug)>{x.name.clone()}</a>" " }).collect_view()}</span>
            }.into_any()));
        }
        if !d.licence_number.is_empty() {
            rows.push((
                "Licence number",
                view! { <span>{d.licence_number.clone()}</span> }.into_any(),
            ));
        }
        rows
    };
    let code_value = Signal::derive(move || match code.value().get() {
        Some(Ok(c)) => Some(c),
        _ => None,
    });
    let own_staff = v.own_staff;
    let staff_tools = v.is_staff.then(|| {
        let slug = slug.clone();
        let plain_code = plain_code.clone();
        view! {
            <section class="panel" aria-labelledby="staff-h">
                <h2 id="staff-h">"For staff"</h2>
                <p class="cta">
                    <a class="button" href=format!("/directory/{slug}/edit")>"Edit profile"</a>
                    {(is_clinic && own_staff).then(|| view! { <a class="button" href=format!("/directory/{slug}/inbox")>"Contact requests"</a> })}
                </p>
                {own_staff.then(|| view! {
                    <ActionForm action=code attr:class="inline-form">
                        <input type="hidden" name="slug" value=slug.clone()/>
                        <button type="submit" class="button">"New review code"</button>
                    </ActionForm>
                    <p class="hint">"Give a code to a patient after a visit. A review with the code shows “verified visit”. Each code works once, for "{CODE_DAYS}" days."</p>
                    {move || code_value.get().or(plain_code.clone()).map(|c| view! {
                        <p class="alert alert-ok" role="status">"Review code: "<strong class="code">{c}</strong></p>
                    })}
                }.into_any())}
            </section>
        }
        .into_any()
    });
    let disputed_own = own.as_ref().is_some_and(|r| r.disputed);
    let rate_form = (v.logged_in && !v.is_staff).then(|| {
        let slug = slug.clone();
        let heading = if own.is_some() { "Edit your rating" } else { "Rate this provider" };
        let stars = e("stars", own.as_ref().map(|r| r.stars.to_string())).and_then(|s| s.parse().ok());
        let sub = |name: &str, f: Option<i64>| e(name, f.map(|x| x.to_string())).and_then(|s| s.parse().ok());
        let explains = sub("explains", own.as_ref().and_then(|r| r.explains));
        let listens = sub("listens", own.as_ref().and_then(|r| r.listens));
        let premises = sub("premises", own.as_ref().and_then(|r| r.premises));
        let wait = e("wait_minutes", own.as_ref().and_then(|r| r.wait_minutes).map(|w| w.to_string()));
        let body = e("body", own.as_ref().map(|r| r.body.clone())).unwrap_or_default();
        let treatment = e("treatment", own.as_ref().map(|r| r.treatment.clone())).unwrap_or_default();
        let dispute_note = own.as_ref().and_then(|r| r.dispute_note.clone());
        let code_typed = e("code", None);
        view! {
            <section class="panel" aria-labelledby="rate-h">
                <h2 id="rate-h">{heading}</h2>
                <ActionForm action=rate attr:novalidate=true attr:class="stack">
                    <FormAlert error=rate_err/>
                    <Saved action=rate message="Thank you, your rating is saved."/>
                    <input type="hidden" name="slug" value=slug/>
                    <StarInput name="stars" legend="Overall (required)" initial=stars error=field_error(rate_err, "stars")/>
                    <div class="grid-2">
                        <ScoreSelect name="explains" label="Explains clearly" initial=explains error=field_error(rate_err, "explains")/>
                        <ScoreSelect name="listens" label="Listens" initial=listens error=field_error(rate_err, "listens")/>
                        <ScoreSelect name="premises" label="Staff and premises" initial=premises error=field_error(rate_err, "premises")/>
                        <Field label="Wait in minutes" name="wait_minutes" kind="number" value=wait error=field_error(rate_err, "wait_minutes")/>
                    </div>
                    <div class="field">
                        <label for="f-body">"Your review (optional)"</label>
                        <p class="hint" id="f-body-hint">"Describe your experience. Please leave out other people's names and health details."</p>
                        <textarea id="f-body" name="body" rows="4" aria-describedby="f-body-hint f-body-error">{crate::ui::textarea_text(body)}</textarea>
                        <FieldMessage id="f-body-error".into() error=field_error(rate_err, "body")/>
                    </div>
                    {disputed_own.then(|| view! {
                        <div class="field">
                            <p class="alert alert-warn">"The provider disputes your review: “"{dispute_note.unwrap_or_default()}"”. Please describe the treatment you received so the moderators can decide."</p>
                            <label for="f-treatment">"The treatment you received"</label>
                            <textarea id="f-treatment" name="treatment" rows="3" aria-describedby="f-treatment-error">{crate::ui::textarea_text(treatment)}</textarea>
                            <FieldMessage id="f-treatment-error".into() error=field_error(rate_err, "treatment")/>
                        </div>
                    })}
                    <Field label="Review code from your visit (optional)" name="code" value=code_typed
                        hint="If the clinic gave you a code, your review shows “verified visit”."
                        error=field_error(rate_err, "code")/>
                    <button type="submit" class="button primary">"Save rating"</button>
                </ActionForm>
            </section>
        }
    });
    let login_to_rate = (!v.logged_in).then(|| view! {
        <p><a class="button" href=format!("/login?next=/directory/{slug}")>"Log in to rate or contact"</a></p>
    });
    let contact_form = (is_clinic && v.logged_in && !v.is_staff).then(|| {
        let slug = slug.clone();
        let ce = |n: &str| echoed(&contact_echo, n);
        let (reason, times, via) = (ce("reason").unwrap_or_default(), ce("preferred_times"), ce("contact_via"));
        view! {
            <section class="panel" aria-labelledby="contact-h">
                <h2 id="contact-h">"Ask for an appointment or a call back"</h2>
                <p class="hint privacy-note">"Privacy: the clinic's staff will see your handle, what you write here and how to reach you — nothing else from your account. Write only what they need."</p>
                <ActionForm action=contact attr:novalidate=true attr:class="stack">
                    <FormAlert error=contact_err/>
                    <input type="hidden" name="slug" value=slug/>
                    <div class="field">
                        <label for="f-reason">"What would you like help with?"</label>
                        <textarea id="f-reason" name="reason" rows="3" aria-describedby="f-reason-error">{crate::ui::textarea_text(reason)}</textarea>
                        <FieldMessage id="f-reason-error".into() error=field_error(contact_err, "reason")/>
                    </div>
                    <Field label="Preferred days and times" name="preferred_times" value=times error=field_error(contact_err, "preferred_times")/>
                    <Field label="How should the clinic contact you?" name="contact_via" value=via
                        hint="For example: reply here, or a phone number." error=field_error(contact_err, "contact_via")/>
                    <button type="submit" class="button primary">"Send request"</button>
                </ActionForm>
            </section>
        }
    });
    let reviews = d.reviews.clone();
    let review_list = view! {
        <section class="panel" aria-labelledby="reviews-h">
            <h2 id="reviews-h">"Reviews"</h2>
            {if reviews.is_empty() {
                view! { <p class="muted">"No reviews yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="review-list">
                        {reviews.into_iter().map(|r| view! {
                            <ReviewItem r=r is_staff=v.is_staff logged_in=v.logged_in reply=reply report=report/>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    };
    let linked_title = if is_clinic {
        "Clinicians here"
    } else {
        "Works at"
    };
    let changes = d.changes.clone();
    let seo_meta = {
        use crate::seo::jsonld;
        let base = crate::seo::pages::site_url();
        let mut words = vec![kind_label(c.kind).to_string()];
        if !c.specialties.is_empty() {
            words.push(c.specialties.join(", "));
        }
        if !c.city.is_empty() {
            words.push(format!("in {}", c.city));
        }
        let lead = words.join(" · ");
        let description = if d.description.is_empty() {
            lead
        } else {
            format!("{lead}. {}", d.description)
        };
        let ld = vec![
            jsonld::provider(&base, &d, &c.specialties),
            jsonld::breadcrumbs(
                &base,
                &[
                    ("Find care".to_string(), "/directory".to_string()),
                    (c.name.clone(), format!("/directory/{}", c.slug)),
                ],
            ),
        ];
        view! {
            <crate::seo::pages::PageMeta title=c.name.clone() description=description
                path=format!("/directory/{}", c.slug) json_ld=ld/>
        }
    };
    view! {
        <Title text=c.name.clone()/>
        {seo_meta}
        <header class="community-head">
            {match c.logo {
                Some(id) => view! { <img class="provider-logo" src=crate::pictures::types::src(id) alt="" width="64" height="64"/> }.into_any(),
                None => view! { <CommunityIcon name=c.name.clone() colour=c.colour.clone()/> }.into_any(),
            }}
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="muted">{kind_label(c.kind)}{(!c.city.is_empty()).then(|| format!(" · {}", c.city))}</p>
            </div>
            <div class="community-actions">
                {d.saved.map(|saved| view! { <SavePageButton kind=RefKind::Provider slug=c.slug.clone() saved=saved/> })}
                {if c.accepting {
                    view! { <span class="badge badge-verified">"Accepting new patients"</span> }.into_any()
                } else {
                    view! { <span class="badge">"Not taking new patients"</span> }.into_any()
                }}
            </div>
        </header>
        {(!d.description.is_empty()).then(|| view! { <p class="lead">{d.description.clone()}</p> })}
        <PictureRow pictures=d.photos.clone() removable=d.viewer.is_staff/>
        {d.viewer.is_staff.then(|| {
            let slug = c.slug.clone();
            let open = upload_failed("logo", &slug) || upload_failed("photo", &slug);
            view! {
                <details class="panel add-picture" open=open>
                    <summary>"Logo and photos"</summary>
                    <p class="hint">"A logo is shown beside the name here and in the directory; photos of the premises or the team under the description. Anyone can see them: no patients, please."</p>
                    <PictureUpload target="logo" id=slug.clone() label="Logo" needs_alt=false
                        button=if c.logo.is_some() { "Replace logo" } else { "Upload logo" }/>
                    {c.logo.map(|id| view! { <RemovePictureButton id=id/> })}
                    <AddPicture target="photo" id=slug count=d.photos.len() limit=PER_PROVIDER as usize/>
                </details>
            }
        })}
        <div class="community-grid">
            <div>
                <section class="panel" aria-labelledby="ratings-h">
                    <h2 id="ratings-h">"Ratings"</h2>
                    <RatingWidget rating=c.rating.clone()/>
                </section>
                {rate_form}
                {login_to_rate}
                {review_list}
            </div>
            <aside>
                <section class="panel" aria-labelledby="details-h">
                    <h2 id="details-h">"Details"</h2>
                    <dl class="details">
                        {details.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
                    </dl>
                    {(!d.opening_hours.is_empty()).then(|| view! {
                        <h3>"Opening hours"</h3>
                        <p class="hours">{d.opening_hours.clone()}</p>
                    })}
                </section>
                {(!d.linked.is_empty()).then(|| view! {
                    <section class="panel" aria-labelledby="linked-h">
                        <h2 id="linked-h">{linked_title}</h2>
                        <ul class="plain-list">
                            {d.linked.iter().map(|l| view! { <li><a href=format!("/directory/{}", l.slug)>{l.name.clone()}</a></li> }).collect_view()}
                        </ul>
                    </section>
                })}
                <InvitationPanel slug=slug.clone() name=c.name.clone() roles=d.my_invitations.clone() action=invitation/>
                {(v.own_staff && is_clinic).then(|| view! { <LeaveStaffForm slug=slug.clone() action=leave/> })}
                {contact_form}
                {staff_tools}
                {(!changes.is_empty()).then(|| view! {
                    <section class="panel" aria-labelledby="changes-h">
                        <h2 id="changes-h">"Change history"</h2>
                        <ul class="plain-list small">
                            {changes.into_iter().map(|ch| view! {
                                <li>{format_datetime(ch.at)}": @"{ch.actor}" "{ch.summary}</li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
            </aside>
        </div>
    }
}

#[component]
fn ReviewItem(
    r: ReviewView,
    is_staff: bool,
    logged_in: bool,
    reply: ServerAction<ReplyReview>,
    report: ServerAction<ReportReview>,
) -> impl IntoView {
    let id = r.id.to_string();
    let subs: Vec<String> = [
        r.explains.map(|v| format!("Explains clearly {v}/5")),
        r.listens.map(|v| format!("Listens {v}/5")),
        r.premises.map(|v| format!("Staff and premises {v}/5")),
        r.wait_minutes.map(|m| format!("Waited {m} min")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let reply_err = action_error(reply);
    let report_err = action_error(report);
    view! {
        <li class="review" id=format!("review-{}", r.id)>
            <p>
                <span class="rating-stars" aria-hidden="true">{star_row(r.stars * 100)}</span>
                <span class="visually-hidden">{format!("{} out of 5 stars", r.stars)}</span>
                " "<a href=format!("/u/{}", r.author)>"@"{r.author.clone()}</a>
                {r.verified_visit.then(|| view! { " "<span class="badge badge-verified">"✓ Verified visit"</span> })}
                {r.hidden.then(|| view! { " "<span class="badge">"Hidden by moderators"</span> })}
                <span class="muted small">" · "{format_date(r.updated_at)}{(r.versions > 1).then_some(" (edited)")}</span>
            </p>
            {(!subs.is_empty()).then(|| view! { <p class="small muted">{subs.join(" · ")}</p> })}
            {(!r.body.is_empty()).then(|| view! { <p class="review-body">{r.body.clone()}</p> })}
            {(!r.treatment.is_empty()).then(|| view! { <p class="small"><strong>"Treatment described for the moderators (not shown to others): "</strong>{r.treatment.clone()}</p> })}
            {r.disputed.then(|| view! { <p class="small muted">"The provider has disputed this review; the moderators are looking at it."</p> })}
            {r.reply.clone().map(|body| view! {
                <div class="provider-reply">
                    <p class="small"><strong>"Reply from the provider"</strong>{r.reply_at.map(|t| format!(" · {}", format_date(t)))}</p>
                    <p>{body}</p>
                </div>
            })}
            {is_staff.then(|| {
                let (id, id2) = (id.clone(), id.clone());
                view! {
                    <details class="review-tools">
                        <summary>{if r.reply.is_some() { "Edit the public reply" } else { "Reply publicly" }}</summary>
                        <ActionForm action=reply attr:novalidate=true attr:class="stack">
                            <FormAlert error=reply_err/>
                            <input type="hidden" name="review" value=id.clone()/>
                            <p class="alert alert-warn">"Your reply is public. Do not confirm that this person is your patient or mention any health information about them."</p>
                            <label for=format!("reply-{id}")>"Public reply"</label>
                            <textarea id=format!("reply-{id}") name="body" rows="3">{crate::ui::textarea_text(r.reply.clone().unwrap_or_default())}</textarea>
                            <FieldMessage id=format!("reply-{id}-error") error=field_error(reply_err, "reply")/>
                            <button type="submit" class="button">"Publish reply"</button>
                        </ActionForm>
                        <ActionForm action=report attr:novalidate=true attr:class="stack">
                            <input type="hidden" name="review" value=id2.clone()/>
                            <input type="hidden" name="kind" value="dispute"/>
                            <label for=format!("dispute-{id2}")>"Dispute this review (why?)"</label>
                            <textarea id=format!("dispute-{id2}") name="reason" rows="2"></textarea>
                            <button type="submit" class="button">"Dispute"</button>
                        </ActionForm>
                    </details>
                }
            })}
            {(logged_in && !is_staff).then(|| {
                let id = id.clone();
                view! {
                    <details class="review-tools">
                        <summary>"Report"</summary>
                        <ActionForm action=report attr:novalidate=true attr:class="stack">
                            <FormAlert error=report_err/>
                            <input type="hidden" name="review" value=id.clone()/>
                            <input type="hidden" name="kind" value="report"/>
                            <label for=format!("report-{id}")>"What is wrong with this review?"</label>
                            <textarea id=format!("report-{id}") name="reason" rows="2"></textarea>
                            <button type="submit" class="button">"Send report"</button>
                        </ActionForm>
                    </details>
                }
            })}
        </li>
    }
}

/// Staff edit every field of the profile; owners manage staff; staff list clinicians.
#[component]
pub fn ProviderEditPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveProfile>::new();
    let staff = ServerAction::<SetStaff>::new();
    let clinician = ServerAction::<SetClinician>::new();
    let (saved, staffed, listed) = (successes(save), successes(staff), successes(clinician));
    let detail = Resource::new(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                saved.get(),
                staffed.get(),
                listed.get(),
            )
        },
        |(slug, ..)| get_provider(slug),
    );
    let communities = Resource::new(|| (), |_| list_communities());
    let err = action_error(save);
    let echo = echo_resource("save_profile", err.get_untracked().is_some());
    let staff_err = action_error(staff);
    let clin_err = action_error(clinician);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let d = match detail.await {
                    Ok(d) if d.viewer.is_staff => d,
                    Ok(d) if !d.viewer.logged_in => return view! { <ErrorView error=AppError::Unauthenticated/> }.into_any(),
                    Ok(_) => return view! { <ErrorView error=AppError::Forbidden/> }.into_any(),
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let communities = communities.await.unwrap_or_default();
                let echo = echo.await;
                let v = move |n: &str, f: String| echoed(&echo, n).unwrap_or(f);
                let slug = d.card.slug.clone();
                let (slug_staff, slug_clin) = (slug.clone(), slug.clone());
                let is_clinic = d.card.kind == ProviderKind::Clinic;
                let fmt = |x: Option<f64>| x.map(|x| format!("{x}")).unwrap_or_default();
                let title = format!("Edit {}", d.card.name);
                view! {
                    <Title text=title.clone()/>
                    <p><a href=format!("/directory/{slug}")>"← Back to the profile"</a></p>
                    <h1>{title}</h1>
                    <div class="community-grid">
                        <section class="panel">
                            <ActionForm action=save attr:novalidate=true attr:class="stack">
                                <FormAlert error=err/>
                                <Saved action=save message="Saved. The change is recorded in the history."/>
                                <input type="hidden" name="slug" value=slug.clone()/>
                                <Field label="Name" name="name" value=v("name", d.card.name.clone()) error=field_error(err, "name")/>
                                <div class="field">
                                    <label for="f-description">"Description"</label>
                                    <textarea id="f-description" name="description" rows="4" aria-describedby="f-description-error">{crate::ui::textarea_text(v("description", d.description.clone()))}</textarea>
                                    <FieldMessage id="f-description-error".into() error=field_error(err, "description")/>
                                </div>
                                <fieldset class="radio-group">
                                    <legend>"Accepting new patients"</legend>
                                    <label><input type="radio" name="accepting" value="yes" checked=d.card.accepting/>" Yes"</label>
                                    <label><input type="radio" name="accepting" value="no" checked=!d.card.accepting/>" No"</label>
                                </fieldset>
                                <div class="field">
                                    <label for="f-opening_hours">"Opening hours"</label>
                                    <p class="hint" id="f-opening_hours-hint">"One line per day or group of days, e.g. “Mon–Thu 8:00–17:00”."</p>
                                    <textarea id="f-opening_hours" name="opening_hours" rows="5" aria-describedby="f-opening_hours-hint f-opening_hours-error">{crate::ui::textarea_text(v("opening_hours", d.opening_hours.clone()))}</textarea>
                                    <FieldMessage id="f-opening_hours-error".into() error=field_error(err, "opening_hours")/>
                                </div>
                                <Field label="Street address" name="address" value=v("address", d.address.clone()) error=field_error(err, "address")/>
                                <div class="grid-2">
                                    <Field label="City" name="city" value=v("city", d.card.city.clone()) error=field_error(err, "city")/>
                                    <Field label="Postal code" name="postal_code" value=v("postal_code", d.postal_code.clone()) error=field_error(err, "postal_code")/>
                                    <Field label="Latitude" name="lat" value=v("lat", fmt(d.lat)) hint="Left empty, the clinic is placed from its postal code or city (and moved when the city changes). Change it to move the pin: decimal degrees, e.g. 51.5194" error=field_error(err, "lat")/>
                                    <Field label="Longitude" name="lon" value=v("lon", fmt(d.lon)) hint="Decimal degrees, e.g. -0.1478" error=field_error(err, "lon")/>
                                    <Field label="Phone" name="phone" kind="tel" value=v("phone", d.phone.clone()) error=field_error(err, "phone")/>
                                    <Field label="Website" name="website" kind="url" value=v("website", d.website.clone()) error=field_error(err, "website")/>
                                </div>
                                <fieldset class="checks">
                                    <legend>"Specialties"</legend>
                                    {SPECIALTIES.iter().map(|(k, l)| view! {
                                        <label><input type="checkbox" name="specialties[]" value=*k checked=d.specialty_keys.iter().any(|s| s == k)/>" "{*l}</label>
                                    }).collect_view()}
                                    <FieldMessage id="f-specialties-error".into() error=field_error(err, "specialties")/>
                                </fieldset>
                                <fieldset class="checks">
                                    <legend>"Languages spoken"</legend>
                                    {LANGUAGES.iter().map(|(k, l)| view! {
                                        <label><input type="checkbox" name="languages[]" value=*k checked=d.languages.iter().any(|s| s == k)/>" "{*l}</label>
                                    }).collect_view()}
                                    <FieldMessage id="f-languages-error".into() error=field_error(err, "languages")/>
                                </fieldset>
                                <fieldset class="checks">
                                    <legend>"Conditions treated"</legend>
                                    {communities.iter().map(|c| view! {
                                        <label><input type="checkbox" name="conditions[]" value=c.slug.clone() checked=d.conditions.iter().any(|x| x.slug == c.slug)/>" "{c.name.clone()}</label>
                                    }).collect_view()}
                                    <FieldMessage id="f-conditions-error".into() error=field_error(err, "conditions")/>
                                </fieldset>
                                <div class="field">
                                    <label for="f-colour">"Logo colour"</label>
                                    <select id="f-colour" name="colour">
                                        {COLOURS.iter().map(|(k, t)| view! { <option value=*k selected=d.card.colour == *k>{*t}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button primary">"Save profile"</button>
                            </ActionForm>
                        </section>
                        <aside>
                            {is_clinic.then(|| view! {
                                <section class="panel" aria-labelledby="staff-h">
                                    <h2 id="staff-h">"Staff"</h2>
                                    <ul class="plain-list">
                                        {d.staff.iter().map(|s| view! { <li>"@"{s.handle.clone()}{s.owner.then_some(" (owner)")}</li> }).collect_view()}
                                    </ul>
                                    {d.viewer.is_owner.then(|| view! {
                                        <ActionForm action=staff attr:novalidate=true attr:class="stack">
                                            <FormAlert error=staff_err/>
                                            <input type="hidden" name="slug" value=slug_staff.clone()/>
                                            <Field label="Member's handle" name="handle" error=field_error(staff_err, "handle")/>
                                            <div class="field">
                                                <label for="f-staff-change">"Change"</label>
                                                <select id="f-staff-change" name="change">
                                                    <option value="add">"Invite as staff"</option>
                                                    <option value="add-owner">"Invite as owner (or make staff an owner)"</option>
                                                    <option value="remove">"Remove from staff"</option>
                                                </select>
                                            </div>
                                            <p class="hint">"An invitation takes effect when the member accepts it on this clinic's page."</p>
                                            <button type="submit" class="button">"Apply"</button>
                                        </ActionForm>
                                    })}
                                </section>
                                <section class="panel" aria-labelledby="clin-h">
                                    <h2 id="clin-h">"Clinicians listed here"</h2>
                                    <ul class="plain-list">
                                        {d.linked.iter().map(|l| view! { <li><a href=format!("/directory/{}", l.slug)>{l.name.clone()}</a></li> }).collect_view()}
                                    </ul>
                                    <ActionForm action=clinician attr:novalidate=true attr:class="stack">
                                        <FormAlert error=clin_err/>
                                        <input type="hidden" name="slug" value=slug_clin.clone()/>
                                        <Field label="Verified clinician's handle" name="clinician" error=field_error(clin_err, "clinician")/>
                                        <div class="field">
                                            <label for="f-clin-change">"Change"</label>
                                            <select id="f-clin-change" name="change">
                                                <option value="add">"Ask to list at this clinic"</option>
                                                <option value="remove">"Remove from this clinic"</option>
                                            </select>
                                        </div>
                                        <p class="hint">"The clinician is listed (with a public directory profile and licence number) once they accept."</p>
                                        <button type="submit" class="button">"Apply"</button>
                                    </ActionForm>
                                </section>
                            })}
                        </aside>
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}

/// An admin creates a clinic and names the member who will manage it.
#[component]
pub fn NewClinicPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let action = ServerAction::<CreateClinic>::new();
    let err = action_error(action);
    let echo = echo_resource("create_clinic", err.get_untracked().is_some());
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(u)) if u.is_admin => {}
                    Ok(Some(_)) => return view! { <ErrorView error=AppError::Forbidden/> }.into_any(),
                    Ok(None) => return view! { <ErrorView error=AppError::Unauthenticated/> }.into_any(),
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                }
                let echo = echo.await;
                let v = move |n: &str| echoed(&echo, n);
                view! {
                    <Title text="New clinic"/>
                    <section class="panel narrow">
                        <h1>"New clinic"</h1>
                        <ActionForm action=action attr:novalidate=true attr:class="stack">
                            <FormAlert error=err/>
                            <Field label="Name" name="name" value=v("name") error=field_error(err, "name")/>
                            <Field label="Address" name="slug" value=v("slug") hint="Lowercase letters, digits and hyphens; the page will be /directory/<address>." error=field_error(err, "slug")/>
                            <Field label="City" name="city" value=v("city") error=field_error(err, "city")/>
                            <Field label="Latitude" name="lat" value=v("lat") hint="Optional: left empty, the clinic starts at its city; staff place it from the postal code." error=field_error(err, "lat")/>
                            <Field label="Longitude" name="lon" value=v("lon") error=field_error(err, "lon")/>
                            <Field label="Owner's handle" name="owner" value=v("owner") hint="The member who will manage the clinic's profile." error=field_error(err, "owner")/>
                            <button type="submit" class="button primary">"Create clinic"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

fn status_label(s: &str) -> &'static str {
    match s {
        "new" => "New",
        "answered" => "Answered",
        _ => "Closed",
    }
}

#[component]
fn RequestList(list: Vec<ContactSummary>, show_clinic: bool) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No requests yet."</p> }.into_any();
    }
    view! {
        <ul class="request-list">
            {list.into_iter().map(|r| view! {
                <li class="card">
                    <a href=format!("/requests/{}", r.id)>{if show_clinic { r.provider_name.clone() } else { format!("@{}", r.member) }}</a>
                    " "<span class=format!("badge status-{}", r.status)>{status_label(&r.status)}</span>
                    <p class="small">{r.reason.chars().take(140).collect::<String>()}</p>
                    <p class="muted small">{format_datetime(r.updated_at)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A clinic's contact requests (staff only).
#[component]
pub fn InboxPage() -> impl IntoView {
    let params = use_params_map();
    let list = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        clinic_inbox,
    );
    view! {
        <Title text="Contact requests"/>
        <h1>"Contact requests"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <RequestList list=l show_clinic=false/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The member's own requests to clinics.
#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_requests());
    view! {
        <Title text="Your requests to clinics"/>
        <h1>"Your requests to clinics"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(l) => view! { <RequestList list=l show_clinic=true/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One request's thread, for the member and the clinic's staff.
#[component]
pub fn RequestPage() -> impl IntoView {
    let params = use_params_map();
    let answer = ServerAction::<AnswerRequest>::new();
    let answered = successes(answer);
    let thread = Resource::new(
        move || {
            (
                params
                    .read()
                    .get("id")
                    .and_then(|s| s.parse::<i64>().ok())
                    .unwrap_or(0),
                answered.get(),
            )
        },
        |(id, _)| get_request(id),
    );
    let err = action_error(answer);
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let t = match thread.await {
                    Ok(t) => t,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                let s = t.summary.clone();
                view! {
                    <Title text=format!("Request to {}", s.provider_name)/>
                    <p><a href=format!("/directory/{}", s.provider_slug)>{s.provider_name.clone()}</a></p>
                    <h1>"Request from @"{s.member.clone()}" "<span class=format!("badge status-{}", s.status)>{status_label(&s.status)}</span></h1>
                    <section class="panel">
                        <p class="request-reason">{s.reason.clone()}</p>
                        <dl class="details">
                            <div><dt>"Preferred times"</dt><dd>{if t.preferred_times.is_empty() { "—".to_string() } else { t.preferred_times.clone() }}</dd></div>
                            <div><dt>"Contact by"</dt><dd>{t.contact_via.clone()}</dd></div>
                        </dl>
                    </section>
                    <ol class="messages">
                        {t.messages.iter().map(|m| view! {
                            <li class="card" class:from-clinic=m.from_clinic>
                                <p class="small muted">{if m.from_clinic { format!("@{} for the clinic", m.author) } else { format!("@{}", m.author) }}" · "{format_datetime(m.at)}</p>
                                <p>{m.body.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                    <section class="panel">
                        <ActionForm action=answer attr:novalidate=true attr:class="stack">
                            <FormAlert error=err/>
                            <input type="hidden" name="id" value=s.id.to_string()/>
                            <div class="field">
                                <label for="f-answer">{if t.viewer_is_staff { "Answer the member" } else { "Write to the clinic" }}</label>
                                <textarea id="f-answer" name="body" rows="3" aria-describedby="f-answer-error"></textarea>
                                <FieldMessage id="f-answer-error".into() error=field_error(err, "body")/>
                            </div>
                            {t.viewer_is_staff.then(|| view! {
                                <label><input type="checkbox" name="close" value="yes"/>" Close the request"</label>
                            })}
                            <button type="submit" class="button primary">"Send"</button>
                        </ActionForm>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// Reported and disputed reviews, for the admins to keep or hide.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let resolve = ServerAction::<ResolveReport>::new();
    let done = successes(resolve);
    let list = Resource::new(move || done.get(), |_| open_reports());
    view! {
        <Title text="Reported reviews"/>
        <h1>"Reported reviews"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let list = match list.await {
                    Ok(l) => l,
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                };
                if list.is_empty() {
                    return view! { <p class="muted">"Nothing to review."</p> }.into_any();
                }
                view! {
                    <ul class="request-list">
                        {list.into_iter().map(|r| view! {
                            <li class="card">
                                <p>
                                    <strong>{if r.kind == "dispute" { "Disputed by the provider" } else { "Reported" }}</strong>
                                    " by @"{r.reporter.clone()}" — "<a href=format!("/directory/{}#review-{}", r.provider_slug, r.review.id)>{r.provider_name.clone()}</a>
                                </p>
                                <p class="small">"Reason: "{r.reason.clone()}</p>
                                <blockquote>{format!("{} stars by @{}: {}", r.review.stars, r.review.author, r.review.body)}</blockquote>
                                {(!r.review.treatment.is_empty()).then(|| view! { <p class="small">"Treatment described: "{r.review.treatment.clone()}</p> })}
                                <ActionForm action=resolve attr:class="inline-form">
                                    <input type="hidden" name="report" value=r.id.to_string()/>
                                    <button type="submit" class="button" name="outcome" value="keep">"Keep the review"</button>
                                    " "
                                    <button type="submit" class="button danger" name="outcome" value="hide">"Hide the review"</button>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The best-rated providers for a community's condition, for its sidebar.
#[component]
pub fn TopProviders(community: String) -> impl IntoView {
    let list = Resource::new(move || community.clone(), top_providers);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = list.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="panel" aria-labelledby="top-providers-h">
                        <h2 id="top-providers-h">"Rated by members"</h2>
                        <ul class="plain-list">
                            {list.into_iter().map(|p| view! {
                                <li>
                                    <a href=format!("/directory/{}", p.slug)>{p.name.clone()}</a>
                                    <RatingWidget rating=p.rating.clone() compact=true/>
                                </li>
                            }).collect_view()}
                        </ul>
                        <p class="small"><a href="/directory">"Find care near you"</a></p>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The viewer's invitations to this provider, with what accepting makes public; accepting or
/// declining works without JavaScript.
#[component]
fn InvitationPanel(
    slug: String,
    name: String,
    roles: Vec<InviteRole>,
    action: ServerAction<AnswerInvitation>,
) -> impl IntoView {
    let err = action_error(action);
    (!roles.is_empty()).then(move || {
        view! {
            <section class="panel" aria-labelledby="invite-h">
                <h2 id="invite-h">"Your invitation"</h2>
                <FormAlert error=err/>
                {roles.into_iter().map(|role| {
                    let what = match role {
                        InviteRole::Clinician => format!("The staff of {name} ask to list you here. Accepting publishes your directory profile: your name, specialty, the clinics you work at and your licence or registration number (so patients can check it). Members can then rate you."),
                        InviteRole::Owner => format!("You are invited to be an owner of {name}: you would edit its profile, manage its staff, answer its contact requests and reply to reviews. Staff cannot rate their own clinic."),
                        InviteRole::Staff => format!("You are invited to the staff of {name}: you would edit its profile, answer its contact requests and reply to reviews. Staff cannot rate their own clinic."),
                    };
                    let slug = slug.clone();
                    view! {
                        <p>{what}</p>
                        <ActionForm action=action attr:class="inline-form">
                            <input type="hidden" name="slug" value=slug/>
                            <input type="hidden" name="role" value=role.as_str()/>
                            <button type="submit" class="button primary" name="answer" value="accept">"Accept"</button>
                            " "
                            <button type="submit" class="button" name="answer" value="decline">"Decline"</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </section>
        }
    })
}

/// Any staff member may leave a clinic's staff (the last owner names another first).
#[component]
fn LeaveStaffForm(slug: String, action: ServerAction<LeaveStaff>) -> impl IntoView {
    let err = action_error(action);
    view! {
        <section class="panel" aria-labelledby="leave-staff-h">
            <h2 id="leave-staff-h">"Your staff role"</h2>
            <ActionForm action=action attr:class="stack">
                <FormAlert error=err/>
                <FieldMessage id="f-staff-error".into() error=field_error(err, "staff")/>
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button">"Leave the staff"</button>
            </ActionForm>
        </section>
    }
}
