//! The directory search page: its form, place choices, the results map and locating the visitor.

use super::*;

/// Starts "near me": asks the browser for its position, then searches around it.
#[cfg(feature = "hydrate")]
pub(super) fn locate(status: RwSignal<String>) {
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
pub(super) fn use_query_map_snapshot() -> String {
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
pub(super) fn place_href(q: &DirectoryQuery, label: &str) -> String {
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
pub(super) fn GeoNamesCredit() -> impl IntoView {
    view! { "Places: " <a href="https://www.geonames.org/">"GeoNames"</a> " (CC BY 4.0)." }
}

/// "Which Newport?": one link per place of that name.
pub(super) fn place_choices(
    question: String,
    labels: Vec<String>,
    query: DirectoryQuery,
) -> impl IntoView {
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
pub(super) fn results_map(
    centre: (f64, f64),
    radius_km: f64,
    providers: Vec<ProviderCard>,
) -> impl IntoView {
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
    let results = crate::ui::resource(q, search_directory);
    let communities = crate::ui::resource(|| (), |_| list_communities());
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
                view! {
                    {directory_form(query.clone(), communities, err)}
                    {directory_answer(results, query)}
                }.into_any()
            })}
        </Suspense>
        <p class="muted directory-own">"Work at a clinic that is not listed? "<a href="/directory/list">"Ask to list it"</a></p>
    }
}

/// A select's options from a (value, label) list, `current` selected.
fn options(list: &'static [(&'static str, &'static str)], current: String) -> impl IntoView {
    list.iter()
        .map(move |(k, l)| view! { <option value=*k selected=current == *k>{*l}</option> })
        .collect_view()
}

/// The directory's search form: specialty, place and radius first, the other filters folded
/// away (open when one is used), "Near me" once the page runs JavaScript.
fn directory_form(
    query: DirectoryQuery,
    communities: Vec<crate::communities::types::CommunitySummary>,
    err: Option<AppError>,
) -> impl IntoView {
    let ferr = |f: &str| err.as_ref().and_then(|e| e.field_message(f));
    let radius = if query.radius.is_empty() {
        "25".to_string()
    } else {
        query.radius.clone()
    };
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
                        {options(SPECIALTIES, query.specialty.clone())}
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
            {more_filters(query.clone(), communities, more_open)}
            {(!query.lat.is_empty()).then(|| view! {
                <input type="hidden" name="lat" value=query.lat.clone()/>
                <input type="hidden" name="lon" value=query.lon.clone()/>
            })}
            <p class="cta">
                <button type="submit" class="button primary">"Search"</button>
                {near_me()}
            </p>
        </form>
    }
}

/// "Near me" and what it says: on the directory served as islands
/// (`crate::routes::islands_page`) the island [`NearMeIsland`], in the app the component.
fn near_me() -> AnyView {
    #[cfg(feature = "ssr")]
    if crate::routes::islands_response() {
        return view! { <NearMeIsland/> }.into_any();
    }
    view! { <NearMe/> }.into_any()
}

/// "Near me" as an island, compiled into the islands' wasm only (as `saved::pages::SaveIsland`).
#[cfg(any(feature = "ssr", feature = "islands"))]
#[island]
pub fn NearMeIsland() -> impl IntoView {
    view! { <NearMe/> }
}

/// "Near me": shown once the page runs JavaScript (it needs the browser's position), with the
/// status of the search for it.
#[component]
fn NearMe() -> impl IntoView {
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let status = RwSignal::new(String::new());
    view! {
        {move || live.get().then(|| view! {
            <button type="button" class="button" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                locate(status);
            }>"Near me"</button>
        })}
        <span class="muted small" role="status">{move || status.get()}</span>
    }
}

/// The directory's folded filters: condition, language, kind, order, accepting new patients.
fn more_filters(
    query: DirectoryQuery,
    communities: Vec<crate::communities::types::CommunitySummary>,
    open: bool,
) -> impl IntoView {
    view! {
        <details class="more-filters" open=open>
            <summary>"More filters"</summary>
            <div class="filters">
                <FilterSelect id="d-condition" label="Condition" name="condition" any="Any condition"
                    choices=communities.iter().map(|c| (c.slug.clone(), c.name.clone())).collect() current=query.condition.clone()/>
                <FilterSelect id="d-language" label="Language" name="language" any="Any language"
                    choices=choices(LANGUAGES) current=query.language.clone()/>
                <FilterSelect id="d-kind" label="Show" name="kind" any="Clinics and clinicians"
                    choices=choices(&[("clinic", "Clinics"), ("clinician", "Clinicians")]) current=query.kind.clone()/>
                <div class="field">
                    <label for="d-sort">"Order"</label>
                    <select id="d-sort" name="sort">
                        <option value="distance">"Nearest first"</option>
                        <option value="rating" selected=query.sort == "rating">"Best rated first"</option>
                    </select>
                </div>
                <Checkbox name="accepting" checked=query.accepting == "yes">
                    "Accepting new patients"
                </Checkbox>
            </div>
        </details>
    }
}

/// The directory's answer: a choice of places when the place was ambiguous, or the results with
/// their map, or what to correct.
fn directory_answer(
    results: Result<DirectoryResults, AppError>,
    query: DirectoryQuery,
) -> impl IntoView {
    match results {
        Ok(r) if r.choose.is_some() => {
            let (question, labels) = r.choose.clone().unwrap_or_default();
            view! { {place_choices(question, labels, query.clone())} }.into_any()
        }
        Ok(r) => {
            let heading = match &r.place_label {
                Some(p) => format!("{} within {} km of {p}", plural(r.providers.len() as i64, "result", "results"), r.radius_km),
                None => plural(r.providers.len() as i64, "result", "results"),
            };
            let note = r.place.as_ref().and_then(|p| p.note.clone());
            let others = r.place.as_ref().map(|p| p.others.clone()).unwrap_or_default();
            // Around the place searched, or the browser's position ("Near me"). (The server
            // reads the position: parsing a float here would add 11 KB to the app's wasm.)
            let map = r.centre.filter(|_| !r.providers.is_empty()).map(|c| view! {
                {results_map(c, r.radius_km, r.providers.clone())}
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
    }
}
