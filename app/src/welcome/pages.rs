//! `/welcome`: step 1 asks which conditions matter to the new member (for themselves or someone they care for) and joins them; step 2 offers their support groups and first articles.

use super::api::{get_welcome, ChooseConditions};
use super::types::{Condition, StartHere, Welcome};
use crate::ui::{action_error, field_error, successes, FieldMessage, FormAlert};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn WelcomePage() -> impl IntoView {
    let query = use_query_map();
    let choose = ServerAction::<ChooseConditions>::new();
    let err = action_error(choose);
    let chosen = successes(choose);
    let data = crate::ui::resource(move || chosen.get(), |_| get_welcome());
    view! {
        <Title text="Welcome"/>
        <Meta name="robots" content="noindex"/>
        <section class="panel welcome">
            {crate::ui::loaded(data, move |w| async move {
                let second = query.read().get("step").as_deref() == Some("2") || chosen.get() > 0;
                if second {
                    view! { {step_two(w)} }.into_any()
                } else {
                    view! { {step_one(w, choose, err)} }.into_any()
                }
            })}
        </section>
    }
}

fn step_one(
    w: Welcome,
    choose: ServerAction<ChooseConditions>,
    err: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <h1>"Welcome! Which conditions matter to you?"</h1>
        {clinician_waiting()}
        <p class="lead">"We will add their communities to your home page, so you see their questions and discussions first. You can join or leave communities at any time."</p>
        <ActionForm action=choose attr:class="stack" attr:novalidate=true>
            <FormAlert error=err/>
            <fieldset class="conditions" aria-describedby="communities-error">
                <legend>"Conditions"</legend>
                {w.conditions.into_iter().map(|c| view! { {condition_choice(c)} }).collect_view()}
            </fieldset>
            <FieldMessage id="communities-error".into() error=field_error(err, "communities")/>
            <div class="form-actions">
                <button type="submit" class="button primary">"Continue"</button>
                <a href="/">"Skip for now"</a>
            </div>
        </ActionForm>
    }
}

/// A new clinician is told, here as on the home page, that their verification waits for an admin.
fn clinician_waiting() -> impl IntoView {
    use crate::auth::types::{ClinicianStatus, MemberKind};
    let session = expect_context::<crate::session::Session>();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                session.user.await.ok().flatten().filter(|u| {
                    u.kind == MemberKind::Clinician
                        && matches!(u.clinician_status, ClinicianStatus::Pending | ClinicianStatus::None)
                }).map(|_| view! {
                    <p class="alert alert-info" role="status">
                        "Your clinician verification is waiting for an admin. Until then your answers show without the verified badge."
                    </p>
                })
            })}
        </Transition>
    }
}

fn condition_choice(c: Condition) -> impl IntoView {
    let id = format!("cond-{}", c.slug);
    let caring_id = format!("caring-{}", c.slug);
    let caring_for = caring_id.clone();
    view! {
        <div class="condition-choice">
            <input type="checkbox" id=id.clone() name="communities[]" value=c.slug.clone() checked=c.joined/>
            <div>
                <label for=id><strong>{c.name.clone()}</strong></label>
                <p class="hint">{c.description.clone()}</p>
                <label for=caring_for class="check-line small">
                    <input type="checkbox" id=caring_id name="caring[]" value=c.slug.clone() checked=c.caring/>
                    " For someone I care for"
                </label>
            </div>
        </div>
    }
}

fn step_two(w: Welcome) -> impl IntoView {
    view! {
        <h1>"You are in. Here is where to start"</h1>
        <p class="lead">"Your home page now shows the questions and discussions of your communities. Support groups are smaller circles of members; the library's articles are checked by clinicians."</p>
        {if w.start.is_empty() {
            view! { <p class="muted">"You have not chosen a condition yet. " <a href="/welcome">"Choose one"</a>" or browse " <a href="/c">"all communities"</a>"."</p> }.into_any()
        } else {
            w.start.into_iter().map(|s| view! { {start_section(s)} }).collect_view().into_any()
        }}
        <p class="form-actions">
            <a class="button primary" href="/">"Go to your home page"</a>
            <a href="/welcome">"Change my conditions"</a>
        </p>
    }
}

fn start_section(s: StartHere) -> impl IntoView {
    let h = format!("start-{}", s.slug);
    let labelled = h.clone();
    view! {
        <section class="start-here" aria-labelledby=labelled>
            <h2 id=h>
                <a href=format!("/c/{}", s.slug)>{s.name.clone()}</a>
                {s.caring.then(|| view! { " " <span class="badge">"for someone you care for"</span> })}
            </h2>
            <div class="chart-grid-2">
                <div>
                    <h3>"Support groups"</h3>
                    {if s.groups.is_empty() {
                        view! { <p class="muted">"No support groups here yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {s.groups.into_iter().map(|g| view! {
                                    <li>
                                        <a href=format!("/g/{}", g.slug)>{g.name.clone()}</a>
                                        <span class="muted small">{format!(" · {} · {} members", g.kind.label(), g.member_count)}</span>
                                        <p class="small">{g.description.clone()}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </div>
                <div>
                    <h3>"Start reading"</h3>
                    {if s.articles.is_empty() {
                        view! { <p class="muted">"No library articles for this condition yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {s.articles.into_iter().map(|a| view! {
                                    <li>
                                        <a href=format!("/library/{}", a.slug)>{a.title.clone()}</a>
                                        <p class="small">{a.summary.clone()}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </div>
            </div>
        </section>
    }
}
