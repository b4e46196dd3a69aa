//! Charts as plain SVG written by our own code (no chart library): a line chart of one or two series and a bar chart of one, each with a `<title>` and the same numbers in a table.

use super::types::{day_label, Series};
use leptos::prelude::*;

const W: f64 = 640.0;
const H: f64 = 180.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 22.0;
const TOP: f64 = 8.0;

/// A round number at or above `max` for the top of the axis.
fn nice_max(max: i64) -> i64 {
    if max <= 5 {
        return 5;
    }
    let mag = 10_i64.pow((max as f64).log10().floor() as u32);
    for step in [1, 2, 5, 10] {
        if step * mag >= max {
            return step * mag;
        }
    }
    10 * mag
}

fn x_at(i: usize, n: usize) -> f64 {
    if n <= 1 {
        LEFT + (W - LEFT) / 2.0
    } else {
        LEFT + (W - LEFT - 8.0) * i as f64 / (n - 1) as f64
    }
}

fn y_at(v: i64, top: i64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - v as f64 / top as f64)
}

/// The axes and labels every chart has.
fn frame(days: &[i64], top: i64) -> impl IntoView {
    let first = days.first().map(|d| day_label(*d)).unwrap_or_default();
    let last = days.last().map(|d| day_label(*d)).unwrap_or_default();
    let base = H - BOTTOM;
    view! {
        <line class="chart-axis" x1=LEFT y1=TOP x2=LEFT y2=base/>
        <line class="chart-axis" x1=LEFT y1=base x2=W y2=base/>
        <line class="chart-grid" x1=LEFT y1=y_at(top / 2, top) x2=W y2=y_at(top / 2, top)/>
        <text class="chart-label" x=LEFT - 6.0 y=TOP + 8.0 text-anchor="end">{top.to_string()}</text>
        <text class="chart-label" x=LEFT - 6.0 y=y_at(top / 2, top) + 4.0 text-anchor="end">{(top / 2).to_string()}</text>
        <text class="chart-label" x=LEFT - 6.0 y=base text-anchor="end">"0"</text>
        <text class="chart-label" x=LEFT y=H - 4.0>{first}</text>
        <text class="chart-label" x=W y=H - 4.0 text-anchor="end">{last}</text>
    }
}

/// The numbers of a chart, one row per day.
#[component]
fn Numbers(days: Vec<i64>, series: Vec<Series>) -> impl IntoView {
    view! {
        <details class="chart-numbers">
            <summary>"The numbers"</summary>
            <div class="table-scroll" tabindex="0">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"Day"</th>
                            {series.iter().map(|s| view! { <th scope="col" class="num">{s.label.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {days.iter().enumerate().rev().map(|(i, d)| view! {
                            <tr>
                                <th scope="row">{day_label(*d)}</th>
                                {series.iter().map(|s| view! { <td class="num">{s.values.get(i).copied().unwrap_or(0)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// A line chart of one or more series over `days`.
#[component]
pub fn LineChart(
    id: String,
    title: String,
    days: Vec<i64>,
    series: Vec<Series>,
    /// The legend gives each series' last value instead of its sum (for counts that are not
    /// added up over days, such as members active in the last 30 days).
    #[prop(optional)]
    latest: bool,
    /// The last day is today so far: its stretch of each line is drawn faint, and said so.
    #[prop(optional)]
    partial_last: bool,
) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let top = nice_max(max);
    let n = days.len();
    let legend = |s: &Series| {
        if latest {
            format!(
                "{}: {} on the last day",
                s.label,
                s.values.last().copied().unwrap_or(0)
            )
        } else {
            format!("{}: {}", s.label, s.total())
        }
    };
    let totals = series
        .iter()
        .map(|s| {
            if latest {
                legend(s)
            } else {
                format!("{}: {} in all", s.label, s.total())
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let title_id = format!("{id}-title");
    let desc = format!("{title}. {totals}.");
    view! {
        <figure class="chart" data-chart=id.clone()>
            <figcaption>
                <strong>{title.clone()}</strong>
                <span class="chart-legend">
                    {series.iter().enumerate().map(|(i, s)| view! {
                        <span class=format!("legend legend-{i}")>{legend(s)}</span>
                    }).collect_view()}
                </span>
            </figcaption>
            <svg class="chart-svg" viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id.clone()>
                <title id=title_id.clone()>{desc}</title>
                {frame(&days, top).into_any()}
                {series.iter().enumerate().map(|(i, s)| {
                    let points = s.values.iter().enumerate()
                        .map(|(j, v)| format!("{:.1},{:.1}", x_at(j, n), y_at(*v, top)))
                        .collect::<Vec<_>>();
                    // A partial day would read as a collapse: its stretch is a faint line apart.
                    let split = if partial_last && n >= 2 { points.len().saturating_sub(1) } else { points.len() };
                    let today = points.get(split.saturating_sub(1)..).filter(|p| p.len() == 2).map(|p| p.join(" "));
                    let solid = points.get(..split).unwrap_or_default().join(" ");
                    view! {
                        <polyline class=format!("chart-line chart-line-{i}") points=solid/>
                        {today.map(|p| view! { <polyline class=format!("chart-line chart-line-{i} chart-partial") points=p/> })}
                    }
                }).collect_view()}
            </svg>
            {(partial_last && n >= 2).then(|| view! {
                <p class="hint small">"The last day is today so far: its stretch of the line is faint."</p>
            })}
            {view! { <Numbers days=days series=series/> }.into_any()}
        </figure>
    }
}

/// A bar chart of one series over `days`.
pub fn bar_chart(id: String, days: Vec<i64>, series: Series) -> impl IntoView {
    let top = nice_max(series.values.iter().copied().max().unwrap_or(0));
    let n = days.len().max(1);
    let slot = (W - LEFT - 8.0) / n as f64;
    let width = (slot * 0.7).max(1.0);
    let base = H - BOTTOM;
    let title_id = format!("{id}-title");
    let desc = format!(
        "{}: {} in all over {} days.",
        series.label,
        series.total(),
        days.len()
    );
    view! {
        <figure class="chart chart-small" data-chart=id.clone()>
            <figcaption><strong>{series.label.clone()}</strong>{format!(" · {} in all", series.total())}</figcaption>
            <svg class="chart-svg" viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=title_id.clone()>
                <title id=title_id.clone()>{desc}</title>
                {frame(&days, top).into_any()}
                {series.values.iter().enumerate().filter(|(_, v)| **v > 0).map(|(i, v)| {
                    let y = y_at(*v, top);
                    view! {
                        <rect class="chart-bar" x=format!("{:.1}", LEFT + slot * i as f64 + (slot - width) / 2.0)
                            y=format!("{y:.1}") width=format!("{width:.1}") height=format!("{:.1}", base - y)/>
                    }
                }).collect_view()}
            </svg>
            {view! { <Numbers days=days series=vec![series]/> }.into_any()}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_max(0), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(480), 500);
        assert_eq!(nice_max(1_001), 2_000);
        assert!(y_at(0, 10) > y_at(10, 10));
    }
}
