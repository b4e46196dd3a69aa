//! The notifications page (list, mark read, settings) and the header's live unread badge.

use super::api::*;
use super::types::*;
use crate::ui::{successes, Panel, Saved, When};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The live unread counts, shared by the header badges and the pages that list them.
#[derive(Clone, Copy)]
pub struct Unread {
    pub notifications: RwSignal<i64>,
    pub messages: RwSignal<i64>,
}

impl Unread {
    pub fn new() -> Self {
        Self {
            notifications: RwSignal::new(0),
            messages: RwSignal::new(0),
        }
    }
}

impl Default for Unread {
    fn default() -> Self {
        Self::new()
    }
}

/// Follows the member's unread count over Server-Sent Events (`/events`), through gloo's
/// EventSource stream; the browser reconnects by itself after a dropped connection.
#[cfg(feature = "hydrate")]
fn follow(unread: Unread) {
    use futures::StreamExt;
    use gloo_net::eventsource::futures::EventSource;
    let Ok(mut source) = EventSource::new("/events") else {
        return;
    };
    let Ok(mut events) = source.subscribe("unread") else {
        return;
    };
    // One stream per page: a new badge (after logging in as someone else) replaces the old one;
    // dropping the old source closes it, which ends its loop below.
    thread_local! {
        static SOURCE: std::cell::RefCell<Option<EventSource>> = const { std::cell::RefCell::new(None) };
    }
    SOURCE.with(|s| drop(s.replace(Some(source))));
    leptos::task::spawn_local(async move {
        while let Some(Ok((_, e))) = events.next().await {
            let Some(v) = e
                .data()
                .as_string()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            else {
                continue;
            };
            if let Some(n) = v.get("notifications").and_then(serde_json::Value::as_i64) {
                unread.notifications.set(n);
            }
            if let Some(n) = v.get("messages").and_then(serde_json::Value::as_i64) {
                unread.messages.set(n);
            }
        }
    });
}

/// A header link with its unread count, announced politely when it changes.
#[component]
fn CountLink(
    href: &'static str,
    label: &'static str,
    count: RwSignal<i64>,
    test_id: &'static str,
) -> impl IntoView {
    view! {
        <a class="bell" href=href>
            {label}
            <span aria-live="polite">
                {move || {
                    let n = count.get();
                    (n > 0).then(|| view! {
                        " "<span class="count" data-testid=test_id>{n}</span>
                        <span class="visually-hidden">" unread"</span>
                    })
                }}
            </span>
        </a>
    }
}

/// "Messages" and "Notifications" with their unread counts; they follow live, without a reload.
#[component]
pub fn HeaderCounts(notifications: i64, messages: i64) -> impl IntoView {
    let unread = use_context::<Unread>().unwrap_or_default();
    unread.notifications.set(notifications);
    unread.messages.set(messages);
    #[cfg(feature = "hydrate")]
    Effect::new(move |prev: Option<()>| {
        if prev.is_none() {
            follow(unread);
        }
    });
    view! {
        <CountLink href="/messages" label="Messages" count=unread.messages test_id="unread-messages"/>
        <CountLink href="/notifications" label="Notifications" count=unread.notifications test_id="unread"/>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let query = use_query_map();
    let read = ServerAction::<MarkRead>::new();
    let settings = ServerAction::<SaveNotificationSettings>::new();
    let (marked, saved) = (successes(read), successes(settings));
    let page = crate::ui::resource(
        move || {
            (
                crate::ui::number_in(query, "before"),
                marked.get(),
                saved.get(),
            )
        },
        |(before, ..)| get_notifications(before),
    );
    let unread = use_context::<Unread>();
    view! {
        <Title text="Notifications"/>
        <h1>"Notifications"</h1>
        {crate::ui::loaded(page, move |p| async move {
            if let Some(u) = unread {
                u.notifications.set(p.unread);
            }
            let (off, mail) = (p.off.clone(), p.mail.clone());
            view! {
                <div class="community-grid">
                    <section class="panel" aria-labelledby="list-h">
                        <div class="section-head">
                            <h2 id="list-h">{if p.unread > 0 { format!("{} unread", p.unread) } else { "All read".to_string() }}</h2>
                            {(p.unread > 0).then(|| view! {
                                <ActionForm action=read attr:class="inline-form">
                                    <button type="submit" class="button">"Mark all as read"</button>
                                </ActionForm>
                            })}
                        </div>
                        {if p.items.is_empty() {
                            view! { <p class="muted">"Nothing yet. Replies, answers, mentions and messages show up here."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="notification-list">
                                    {p.items.into_iter().map(|n| view! {
                                        <li class="card" class:unread=!n.read>
                                            <a href=n.link.clone()>{n.text.clone()}</a>
                                            <div class="notification-meta">
                                                <span class="muted small"><When ms=n.created_at time=true/></span>
                                                {(!n.read).then(|| view! {
                                                    <ActionForm action=read attr:class="inline-form">
                                                        <input type="hidden" name="id" value=n.id.to_string()/>
                                                        <button type="submit" class="link-button small">"Mark as read"</button>
                                                    </ActionForm>
                                                })}
                                            </div>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {p.next.map(|n| view! { <p class="feed-more"><a class="button" href=format!("/notifications?before={n}")>"Older"</a></p> })}
                    </section>
                    <aside>
                        {notify_settings(off, mail, p.digest, settings)}
                    </aside>
                </div>
            }
        })}
    }
}

/// Which notifications the member hears of, how each is e-mailed (at once, in the digest,
/// never), and the daily digest.
fn notify_settings(
    // The kinds turned off.
    off: Vec<String>,
    // Each kind's e-mail mode.
    mail: Vec<(String, String)>,
    digest: bool,
    settings: ServerAction<SaveNotificationSettings>,
) -> impl IntoView {
    view! {
        <Panel id="settings-h" title="Notify me about">
            <ActionForm action=settings attr:class="stack">
                <Saved action=settings message="Saved."/>
                <p class="hint">"Tick what to hear of here; for each, choose whether we e-mail it at once (at most one e-mail per thread every 15 minutes), in the daily digest, or never."</p>
                <fieldset class="checks notify-kinds">
                    <legend class="visually-hidden">"Kinds of notification"</legend>
                    {KINDS.iter().enumerate().map(|(i, (k, label))| {
                        let mode = mail.iter().find(|(kind, _)| kind == k).map(|(_, m)| m.clone()).unwrap_or_else(|| "digest".into());
                        let id = format!("mail-{i}");
                        view! {
                            <div class="notify-kind">
                                <label class="check-line"><input type="checkbox" name="on[]" value=*k checked=!off.iter().any(|o| o == k)/>" "{*label}</label>
                                <label for=id.clone() class="visually-hidden">{format!("E-mail for: {label}")}</label>
                                <select id=id name="mail[]" class="mail-mode">
                                    <option value=format!("{k}:now") selected=mode == "now">"E-mail at once"</option>
                                    <option value=format!("{k}:digest") selected=mode == "digest">"In the digest"</option>
                                    <option value=format!("{k}:never") selected=mode == "never">"No e-mail"</option>
                                </select>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset class="checks">
                    <legend>"E-mail"</legend>
                    <label class="check-line"><input type="checkbox" name="digest" value="yes" checked=digest/>" A daily digest of what I missed"</label>
                </fieldset>
                <button type="submit" class="button primary">"Save"</button>
            </ActionForm>
        </Panel>
    }
}
