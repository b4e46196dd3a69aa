//! The announcement banners under the header (site-wide ones everywhere, a community's on its pages), each with a Dismiss button that works without JavaScript, and the admin's announcement panel.

use super::api::*;
use super::types::*;
use crate::ui::{
    action_error, echoed, field_error, format_date, Field, FieldMessage, FormAlert, Panel, Saved,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The community a path belongs to: `/c/<slug>` and below.
fn community_of(path: &str) -> Option<String> {
    path.strip_prefix("/c/")
        .and_then(|rest| rest.split('/').next())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The banners for the current page.
#[component]
pub fn AnnouncementBanners() -> impl IntoView {
    let location = use_location();
    let dismiss = ServerAction::<DismissAnnouncement>::new();
    let dismiss_ok = crate::ui::successes(dismiss);
    let banners = crate::ui::resource(
        move || (community_of(&location.pathname.get()), dismiss_ok.get()),
        |(slug, _)| get_announcements(slug),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let b = banners.await.ok().filter(|b| !b.items.is_empty())?;
                let from = b.from.clone();
                Some(view! {
                    <section class="announcements wrap" aria-label="Announcements">
                        {b.items.into_iter().map(|a| {
                            let important = a.severity == Severity::Important;
                            let label = format!("Dismiss: {}", a.title);
                            view! {
                                <div class="announcement" class:announcement-important=important data-testid="announcement">
                                    <p>
                                        <span class="announcement-from">{format!("{}From {from}", if important { "Important · " } else { "" })}</span>
                                        <strong>{a.title.clone()}</strong>
                                        " "{a.body.clone()}
                                    </p>
                                    <ActionForm action=dismiss attr:class="inline-form">
                                        <input type="hidden" name="id" value=a.id.to_string()/>
                                        <button type="submit" class="link-button" aria-label=label>"Dismiss"</button>
                                    </ActionForm>
                                </div>
                            }
                        }).collect_view()}
                    </section>
                })
            })}
        </Transition>
    }
}

/// The admin's panel: the form and the newest announcements with "End now".
pub fn announcements_panel(
    // (slug, name) of every community.
    communities: Vec<(String, String)>,
    echo: Vec<(String, String)>,
    create: ServerAction<CreateAnnouncement>,
    end: ServerAction<EndAnnouncement>,
) -> impl IntoView {
    let err = action_error(create);
    let end_err = action_error(end);
    let create_ok = crate::ui::successes(create);
    let end_ok = crate::ui::successes(end);
    let list = crate::ui::resource(
        move || (create_ok.get(), end_ok.get()),
        |_| get_managed_announcements(),
    );
    let severity = echoed(&echo, "severity").unwrap_or_else(|| "info".into());
    let community = echoed(&echo, "community").unwrap_or_default();
    let body = echoed(&echo, "ann_body").unwrap_or_default();
    view! {
        <Panel id="announcements-h" title="Announcements">
            <p class="hint">"Your own messages, shown under the header (a community's only on its pages). Each reader can dismiss them."</p>
            <ActionForm action=create attr:novalidate=true attr:class="stack" attr:aria-label="New announcement">
                <FormAlert error=err/>
                <Saved action=create message="Published."/>
                <Field label="Title" name="ann_title" value=echoed(&echo, "ann_title") error=field_error(err, "ann_title")/>
                <crate::ui::TextArea label="Message" name="ann_body" rows=3 value=body hint=format!("Plain text, up to {BODY_MAX} characters.")
                    error=field_error(err, "ann_body")/>
                <div class="field">
                    <label for="f-severity">"How important"</label>
                    <select id="f-severity" name="severity">
                        <option value="info" selected=severity == "info">"Information"</option>
                        <option value="important" selected=severity == "important">"Important"</option>
                    </select>
                </div>
                <div class="field" class:has-error=move || field_error(err, "community").get().is_some()>
                    <label for="f-community">"Where"</label>
                    <select id="f-community" name="community" aria-describedby="f-community-error">
                        <option value="" selected=community.is_empty()>"The whole site"</option>
                        {communities.into_iter().map(|(slug, name)| {
                            let selected = community == slug;
                            view! { <option value=slug selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="f-community-error".into() error=field_error(err, "community")/>
                </div>
                <Field label="From (optional)" name="starts" kind="date" value=echoed(&echo, "starts")
                    hint="Empty: from now." error=field_error(err, "starts")/>
                <Field label="Until (optional)" name="ends" kind="date" value=echoed(&echo, "ends")
                    hint="Included; empty: until you end it." error=field_error(err, "ends")/>
                <button type="submit" class="button primary">"Publish announcement"</button>
            </ActionForm>
            <FormAlert error=end_err/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let items = list.await.unwrap_or_default();
                    view! {
                        <ul class="queue">
                            {items.into_iter().map(|a| view! { {managed_item(a, end)} }).collect_view()}
                        </ul>
                    }
                })}
            </Suspense>
        </Panel>
    }
}

/// An announcement as its managers see it: where, when, its state, how many dismissed it, and
/// "End now" while it runs.
fn managed_item(a: ManagedAnnouncement, end: ServerAction<EndAnnouncement>) -> impl IntoView {
    let when = match a.ends_at {
        Some(e) => format!("{} to {}", format_date(a.starts_at), format_date(e - 1)),
        None => format!("from {}", format_date(a.starts_at)),
    };
    let ended = a.state == RunState::Ended;
    let label = format!("End now: {}", a.title);
    view! {
        <li class="queue-item" data-testid="managed-announcement">
            <p>
                <strong>{a.title.clone()}</strong>" · "
                {a.community.clone().unwrap_or_else(|| "the whole site".into())}" · "{when}
                " · "{a.state.label()}
                " · "{format!("dismissed by {} member{}", a.dismissed, if a.dismissed == 1 { "" } else { "s" })}
            </p>
            <p class="muted">{a.body.clone()}</p>
            {(!ended).then(|| view! {
                <ActionForm action=end attr:class="inline-form">
                    <input type="hidden" name="id" value=a.id.to_string()/>
                    <button type="submit" class="button" aria-label=label>"End now"</button>
                </ActionForm>
            })}
        </li>
    }
}
