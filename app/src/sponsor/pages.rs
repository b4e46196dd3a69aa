//! `/sponsor`: an advertiser's contact reads its own campaigns' figures per day and per community (figures below 10 shown as "< 10").

use super::api::*;
use super::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SponsorPage() -> impl IntoView {
    let query = use_query_map();
    let days = Memo::new(move |_| crate::ui::number_in(query, "days"));
    let report = crate::ui::resource(move || days.get(), get_sponsor_report);
    view! {
        <Title text="Your campaigns"/>
        {crate::ui::loaded(report, move |r| async move {
            let current = r.days;
            view! {
                <h1>{format!("Your campaigns: {}", r.advertiser)}</h1>
                <p class="lead">{format!("Impressions, clicks and click-through rate of your campaigns on this site, for the last {current} days. Figures below {THRESHOLD} are shown as “< {THRESHOLD}”, and you never see who saw or clicked.")}</p>
                <nav class="tabs" aria-label="Range">
                    {[7, 30, 90].into_iter().map(|d| view! {
                        <a href=format!("/sponsor?days={d}") aria-current=(d == current).then_some("page")>{format!("{d} days")}</a>
                    }).collect_view()}
                </nav>
                {if r.campaigns.is_empty() {
                    view! { <p class="muted">"No campaigns yet."</p> }.into_any()
                } else {
                    r.campaigns.into_iter().map(|c| view! { {campaign_section(c)} }.into_any()).collect_view().into_any()
                }}
            }
        })}
    }
}

fn campaign_section(c: CampaignReport) -> impl IntoView {
    view! {
        <section class="panel" data-testid="sponsor-campaign">
            <h2>{c.headline.clone()}</h2>
            <p>{format!("In all: {} impressions, {} clicks, CTR {}", c.total.impressions, c.total.clicks, c.total.ctr)}</p>
            <div class="chart-grid-2">
                <Lines title="Per community".into() first="Community" lines=c.communities/>
                <Lines title="Per day".into() first="Day" lines=c.days/>
            </div>
        </section>
    }
}

#[component]
fn Lines(title: String, first: &'static str, lines: Vec<ReportLine>) -> impl IntoView {
    view! {
        // Four short columns: they fit a phone (`.data-table`), where the wide tables'
        // sideways scrolling left only the first column in sight.
        <div class="table-scroll" tabindex="0">
            <table class="table data-table">
                <caption>{title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{first}</th>
                        <th scope="col" class="num">"Impressions"</th>
                        <th scope="col" class="num">"Clicks"</th>
                        <th scope="col" class="num">"CTR"</th>
                    </tr>
                </thead>
                <tbody>
                    {if lines.is_empty() {
                        view! { <tr><td colspan="4" class="muted">"Nothing shown in this range."</td></tr> }.into_any()
                    } else {
                        lines.into_iter().map(|l| view! {
                            <tr>
                                <th scope="row">{l.name}</th>
                                <td class="num">{l.impressions}</td>
                                <td class="num">{l.clicks}</td>
                                <td class="num">{l.ctr}</td>
                            </tr>
                        }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}
