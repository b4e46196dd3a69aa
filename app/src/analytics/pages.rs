//! The admin's traffic dashboard (`/admin/analytics`: range, community, charts with their numbers, tables, CSV) and the counter of pages the app shows without a page load.

use super::api::*;
use super::chart::{bar_chart, LineChart};
use super::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

/// Counts the pages the app shows after the first one (which the server counted when it rendered
/// it): one call per change of address, none for a sort or filter on the same page.
#[component]
pub fn CountNavigations() -> impl IntoView {
    let location = use_location();
    Effect::watch(
        move || location.pathname.get(),
        move |path, _, _| {
            let path = path.clone();
            leptos::task::spawn_local(async move {
                let _ = page_seen(path).await;
            });
        },
        false,
    );
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let data = crate::ui::resource(
        move || (get("days"), get("from"), get("to"), get("community")),
        |(days, from, to, community)| {
            get_analytics(days.and_then(|d| d.parse().ok()), from, to, community)
        },
    );
    view! {
        <Title text="Traffic and advertising"/>
        <h1>"Traffic and advertising"</h1>
        <p class="admin-links">
            <a href="/admin">"Back to Admin"</a>
            <a href="/admin/operator">"The operator and advertisers"</a>
        </p>
        {crate::ui::loaded(data, move |d| async move {
            let days_param = get("days").unwrap_or_else(|| "30".into());
            let (from, to) = (get("from").unwrap_or_default(), get("to").unwrap_or_default());
            let csv = csv_link([("days", get("days")), ("from", get("from")), ("to", get("to")), ("community", get("community"))]);
            let span = match (d.days.first(), d.days.last()) {
                (Some(a), Some(b)) => format!("{} to {}", day_label(*a), day_label(*b)),
                _ => String::new(),
            };
            let days = d.days.clone();
            view! {
                {range_form(days_param, from, to, d.community.clone(), d.communities.clone())}
                <p class="muted">
                    {span}
                    " · "
                    <a href=csv rel="external" download="analytics.csv">"Download every series (CSV)"</a>
                </p>
                {d.demo.then(|| view! {
                    <p class="alert alert-info" role="note">"Part of this range is generated demo traffic, so that the charts have something to show."</p>
                })}
                <p class="hint">"Counted by this site itself: no third-party script, no cookie for visitors. A visitor is a code made from the network address and browser with a random value that changes every day, so visits cannot be linked from one day to the next. Robots are not counted."</p>
                {view! {
                    <section class="panel" aria-labelledby="traffic-h">
                        <h2 id="traffic-h">"Traffic"</h2>
                        <LineChart id="traffic".into() title="Page views and visitors per day".into() days=days.clone() series=d.traffic.clone() partial_last=d.today_so_far/>
                    </section>
                }.into_any()}
                {view! {
                    <section class="panel" aria-labelledby="activity-h">
                        <h2 id="activity-h">"Community activity"</h2>
                        <div class="chart-grid-2">
                            {d.community_activity.iter().map(|s| view! {
                                {bar_chart(s.key.clone(), days.clone(), s.clone())}
                            }.into_any()).collect_view()}
                        </div>
                    </section>
                }.into_any()}
                {(!d.members.is_empty()).then(|| view! {
                    <section class="panel" aria-labelledby="members-h">
                        <h2 id="members-h">"Members active"</h2>
                        <p class="hint">"Logged-in members who opened a page: that day, in the 7 days and in the 30 days to it."</p>
                        <LineChart id="members".into() title="Members active per day, week and month".into() days=days.clone() series=d.members.clone() latest=true/>
                    </section>
                }.into_any())}
                {view! {
                    <section class="panel" aria-labelledby="sponsored-h">
                        <h2 id="sponsored-h">"Sponsored placements"</h2>
                        <LineChart id="sponsored".into() title="Sponsored impressions and clicks per day".into() days=days.clone() series=d.sponsored.clone() partial_last=d.today_so_far/>
                    </section>
                }.into_any()}
                <div class="chart-grid-2">
                    {d.tables.iter().map(|t| view! { {data_table(t.clone())} }.into_any()).collect_view()}
                </div>
            }
        })}
    }
}

/// The CSV download's address, with the range and community the page shows.
fn csv_link(params: [(&str, Option<String>); 4]) -> String {
    let q: Vec<String> = params
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    if q.is_empty() {
        "/admin/analytics.csv".to_string()
    } else {
        format!("/admin/analytics.csv?{}", q.join("&"))
    }
}

/// The range (last 7, 30 or 90 days, or from–to) and the community the figures are for.
fn range_form(
    days: String,
    from: String,
    to: String,
    community: String,
    communities: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <form class="panel analytics-form" method="get" action="/admin/analytics" aria-label="Range and community">
            <div class="field">
                <label for="a-days">"Range"</label>
                <select id="a-days" name="days">
                    {[("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days")].into_iter().map(|(v, l)| view! {
                        <option value=v selected=days == v>{l}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="a-from">"Or from"</label>
                <input id="a-from" name="from" type="date" value=from/>
            </div>
            <div class="field">
                <label for="a-to">"to"</label>
                <input id="a-to" name="to" type="date" value=to/>
            </div>
            <div class="field">
                <label for="a-community">"Community"</label>
                <select id="a-community" name="community">
                    <option value="" selected=community.is_empty()>"All communities"</option>
                    {communities.iter().map(|(slug, name)| view! {
                        <option value=slug.clone() selected=community == *slug>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button primary">"Show"</button>
        </form>
    }
}

fn data_table(t: Table) -> impl IntoView {
    view! {
        <section class="panel">
            <div class="table-scroll" tabindex="0">
                <table class="table data-table" data-testid="analytics-table">
                    <caption>{t.title.clone()}</caption>
                    <thead>
                        <tr>
                            {t.columns.iter().enumerate().map(|(i, c)| view! {
                                <th scope="col" class={if i > 0 { "num" } else { "" }}>{c.clone()}</th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {if t.rows.is_empty() {
                            view! { <tr><td colspan=t.columns.len().to_string() class="muted">"Nothing in this range."</td></tr> }.into_any()
                        } else {
                            t.rows.iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{match r.href.clone() {
                                        Some(href) => view! {
                                            <a href=href.clone()>{r.name.clone()}</a>
                                            <span class="small muted table-path">{href}</span>
                                        }.into_any(),
                                        None => r.name.clone().into_any(),
                                    }}</th>
                                    {r.values.iter().map(|v| view! { <td class="num">{v.clone()}</td> }).collect_view()}
                                </tr>
                            }).collect_view().into_any()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
