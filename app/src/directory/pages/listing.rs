//! Asking to be listed: the page where a clinic's member asks and follows the answer, and the site's team's list of requests on "New clinic".

use super::*;
use crate::ui::{url_encode, TextArea, When};

/// A clinic's member asks the site's team to list the clinic, and sees what became of their
/// requests. A visitor reads what it is and is asked to log in.
#[component]
pub fn ListingPage() -> impl IntoView {
    let session = expect_context::<Session>();
    let ask = ServerAction::<AskListing>::new();
    let err = action_error(ask);
    let asked = successes(ask);
    let query = use_query_map();
    let thanked = move || asked.get() > 0 || query.read().get("asked").is_some();
    let mine = crate::ui::resource(move || asked.get(), |_| my_listing_requests());
    // A fresh form after each request (the request stands in the list below).
    let form_ref = NodeRef::<leptos::html::Form>::new();
    crate::ui::after_each_success(asked, move || {
        if let Some(form) = form_ref.get() {
            form.reset();
        }
    });
    view! {
        <Title text="List your clinic"/>
        <div class="narrow">
        <p class="crumbs"><a href="/directory">"Find care"</a></p>
        <h1>"List your clinic"</h1>
        <p class="lead">"Work at a clinic that is not in the directory? Ask the site's team to list it. Once it is listed, you manage its profile — services, opening hours, languages, its doctors and staff — and answer the requests patients send."</p>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(_)) => {}
                    Ok(None) => return view! {
                        <section class="panel">
                            <p>"Log in to ask: the team answers in your notifications, and the clinic's profile will be yours to manage."</p>
                            <p class="cta">
                                <a class="button primary" href="/login?next=/directory/list">"Log in"</a>
                                <a class="button" href="/signup">"Sign up"</a>
                            </p>
                        </section>
                    }.into_any(),
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                }
                view! {
                    {move || thanked().then(|| view! {
                        <p class="alert alert-ok" role="status">"Thank you. The site's team will look at your request and tell you in your notifications."</p>
                    })}
                    <section class="panel" aria-labelledby="ask-h">
                        <h2 id="ask-h">"Ask to list a clinic"</h2>
                        {with_echo(ASK_LISTING, err.get_untracked().is_some(), move |echo| {
                                let v = move |n: &str| echoed(&echo, n);
                                view! {
                                    <ActionForm action=ask node_ref=form_ref attr:novalidate=true attr:class="stack">
                                        <FormAlert error=err/>
                                        <Field label="The clinic's name" name="name" value=v("name") error=field_error(err, "name")/>
                                        <Field label="City" name="city" value=v("city") error=field_error(err, "city")/>
                                        <Field label="Website" name="website" value=v("website") hint="Optional: it helps the team check the clinic." error=field_error(err, "website")/>
                                        <Field label="Your role at the clinic" name="role" value=v("role") hint="For example: practice manager, neurologist, receptionist." error=field_error(err, "role")/>
                                        <TextArea label="Anything the team should know" name="note" rows=3 value=v("note").unwrap_or_default()
                                            hint="Optional: how they can check that you work there, for instance." error=field_error(err, "note")/>
                                        <p class="hint privacy-note">"The site's team sees your handle and what you write here."</p>
                                        <button type="submit" class="button primary">"Ask to list it"</button>
                                    </ActionForm>
                                }
                        })}
                    </section>
                    <section class="panel" aria-labelledby="mine-h">
                        <h2 id="mine-h">"Your requests"</h2>
                        {loaded(mine, |list| async move {
                            crate::ui::card_list(list, "None yet.", |r| listing_card(r).into_any())
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
        </div>
    }
}

/// One of the asker's requests: the clinic, when it was asked and what became of it.
fn listing_card(r: MyListingRequest) -> impl IntoView {
    let state = match (r.outcome.as_deref(), r.slug) {
        (None, _) => view! { <span class="badge">"Waiting for the team"</span> }.into_any(),
        (Some("listed"), Some(slug)) => view! {
            <span class="badge badge-accepted">"Listed"</span>
            " " <a href=format!("/directory/{slug}")>"Its page"</a>
            " · " <a href=format!("/directory/{slug}/edit")>"Edit its profile"</a>
        }
        .into_any(),
        (Some("listed"), None) => {
            view! { <span class="badge">"Listed, since removed"</span> }.into_any()
        }
        _ => view! {
            <span class="badge">"Declined"</span>
            <p class="small">{format!("The team's reason: {}", r.reason)}</p>
        }
        .into_any(),
    };
    view! {
        <strong>{r.name}</strong> ", " {r.city}
        <p class="small muted">"Asked " <When ms=r.created_at/></p>
        <p class="small">{state}</p>
    }
}

/// The admin's list of requests to be listed: "List it" fills the new clinic's form below with
/// the request (the asker as owner); "Decline…" asks for the reason the asker will read.
pub(super) fn listing_requests_panel() -> impl IntoView {
    let decline = ServerAction::<DeclineListing>::new();
    let err = action_error(decline);
    let declined = successes(decline);
    let query = use_query_map();
    let requests = crate::ui::resource(
        move || {
            let after = query
                .read()
                .get("after")
                .and_then(|a| a.parse::<i64>().ok());
            (after, declined.get())
        },
        |(after, _)| listing_requests(after),
    );
    view! {
        <section class="panel" aria-labelledby="asked-h">
            <h2 id="asked-h">"Clinics asking to be listed"</h2>
            <FormAlert error=Signal::derive(move || err.get().filter(|e| !matches!(e, AppError::Validation(_))))/>
            {loaded(requests, move |page| async move {
                let next = page.next;
                view! {
                    {crate::ui::card_list(page.items, "No requests waiting.", move |r| open_request_card(r, decline).into_any())}
                    {next.map(|n| view! { <p><a href=format!("/directory/new?after={n}")>"More requests"</a></p> })}
                }
            })}
        </section>
    }
}

/// One waiting request with the team's two answers.
fn open_request_card(
    r: OpenListingRequest,
    decline: ServerAction<DeclineListing>,
) -> impl IntoView {
    let err = action_error(decline);
    let fill = format!(
        "/directory/new?request={}&name={}&city={}&owner={}#new-h",
        r.id,
        url_encode(&r.name),
        url_encode(&r.city),
        url_encode(&r.handle)
    );
    let reason_field = format!("reason-{}", r.id);
    let reason_id = format!("f-{reason_field}");
    let error_id = format!("{reason_id}-error");
    let reason_error =
        Signal::derive(move || err.get().and_then(|e| e.field_message(&reason_field)));
    view! {
        <strong>{r.name.clone()}</strong> ", " {r.city.clone()}
        {(!r.website.is_empty()).then(|| view! {
            " · " <a href=r.website.clone() rel="nofollow noopener ugc" target="_blank">{r.website.clone()}</a>
        })}
        <p class="small muted">
            <a href=format!("/u/{}", r.handle)>"@" {r.handle.clone()}</a> ", " {r.role.clone()} " · asked " <When ms=r.created_at/>
        </p>
        {(!r.note.is_empty()).then(|| view! { <p class="small">{r.note.clone()}</p> })}
        <p class="cta">
            <a class="button primary" href=fill>"List it"</a>
        </p>
        <details class="review-tools">
            <summary>"Decline…"</summary>
            <ActionForm action=decline attr:novalidate=true attr:class="stack">
                <input type="hidden" name="id" value=r.id.to_string()/>
                <div class="field">
                    <label for=reason_id.clone()>"Why (the asker reads this)"</label>
                    <input type="text" id=reason_id name="reason" aria-describedby=error_id.clone()/>
                    <FieldMessage id=error_id error=reason_error/>
                </div>
                <button type="submit" class="button">"Decline"</button>
            </ActionForm>
        </details>
    }
}
