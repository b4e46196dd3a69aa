//! Safety UI: the helplines panel, the watch that shows it while a member writes (and as the no-JavaScript confirmation step), and the moderation queue at `/mod`.

use super::api::{
    get_mod_queue, DismissReport, ReportProfile, ResolveProfileReport, ReviewFlag, SanctionMember,
};
use super::crisis::{countries, helplines_for, Helpline};
use super::types::{since, FlagItem, FlagKind, REMOVAL_REASONS, REPORT_REASONS, SANCTIONS};
use crate::error::AppError;
use crate::posts::api::{RemoveContent, ReportContent, RestoreContent, RetagPost};
use crate::ui::{action_error, field_error, ErrorView, FieldMessage};
use leptos::prelude::*;
use leptos_meta::Title;

mod forms;
mod queue;
mod words;

pub use forms::*;
pub use queue::*;
pub use words::*;

/// The helplines, calmly: who to call or text, when, and the emergency numbers; the member's
/// own country first when they have chosen one (Settings), the others folded away.
#[component]
pub fn CrisisPanel(#[prop(into)] heading: String, #[prop(into)] lead: String) -> impl IntoView {
    let label = heading.clone();
    let session = use_context::<crate::session::Session>();
    // Logged in (`Some`), and their country if they chose one.
    let country = move || {
        session
            .and_then(|s| s.me())
            .map(|u| Some(u.country).filter(|c| !c.is_empty()))
    };
    view! {
        <section class="crisis-panel" aria-label=label data-testid="crisis-panel">
            <h2>{heading}</h2>
            <p>{lead}</p>
            <Transition fallback=|| view! { <HelplineList country=None/> }>
                {move || {
                    let c = country();
                    let unset = c.as_ref().is_some_and(Option::is_none);
                    view! {
                        <HelplineList country=c.flatten()/>
                        {unset.then(|| view! {
                            <p class="small"><a href="/settings#f-country">"Choose your country in Settings"</a>" to see its helplines first."</p>
                        })}
                    }
                }}
            </Transition>
        </section>
    }
}

/// `text` with each phone number a `tel:` link: one tap calls it from a phone.
fn dialable(text: &str) -> impl IntoView + use<> {
    super::crisis::phone_parts(text)
        .into_iter()
        .map(|(part, number)| match number {
            Some(n) => view! { <a class="tel" href=format!("tel:{n}")>{part}</a> }.into_any(),
            None => part.into_any(),
        })
        .collect_view()
}

#[component]
fn HelplineList(country: Option<String>) -> impl IntoView {
    let (mine, others) = helplines_for(country.as_deref());
    let item = |h: &'static Helpline| {
        view! {
            <li data-country=h.country.clone()>
                <a href=h.link.clone() rel="external noopener" target="_blank">{h.name.clone()}</a>
                <span class="helpline-contact">{dialable(&h.contact)}</span>
                <span class="hint">{h.hours.clone()}</span>
            </li>
        }
    };
    let emergency = match country.as_deref().and_then(super::crisis::country) {
        Some(c) => format!("In immediate danger? Call {} now.", c.emergency),
        None => {
            let numbers: Vec<String> = countries()
                .iter()
                .map(|c| format!("{} in {}", c.emergency, c.name))
                .collect();
            format!(
                "In immediate danger? Call {}, or your local emergency number.",
                numbers.join(", ")
            )
        }
    };
    view! {
        <ul class="helplines">{mine.into_iter().map(item).collect_view()}</ul>
        <p class="small">{dialable(&emergency)}</p>
        {(!others.is_empty()).then(|| view! {
            <details class="other-helplines">
                <summary>"Helplines in other countries"</summary>
                <ul class="helplines">{others.into_iter().map(item).collect_view()}</ul>
            </details>
        })}
    }
}

/// Wraps a form's fields: when the title or text matches the crisis list (while typing, with
/// JavaScript; after the first press, without), shows the helplines above the button and marks
/// the form so the next press posts. It never blocks.
#[component]
pub fn CrisisWatch(
    #[prop(into)] error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    let texts = StoredValue::new(Vec::<(String, String)>::new());
    let (live, set_live) = signal(false);
    let shown = move || live.get() || error.get() == Some(AppError::SafetyCheck);
    let on_input = move |ev: leptos::ev::Event| {
        let Some(name) = event_target::<web_sys::Element>(&ev).get_attribute("name") else {
            return;
        };
        if name != "title" && name != "body" {
            return;
        }
        let value = event_target_value(&ev);
        texts.update_value(|t| {
            t.retain(|(n, _)| *n != name);
            t.push((name, value));
        });
        set_live
            .set(texts.with_value(|t| t.iter().any(|(_, v)| super::crisis::matches(v).is_some())));
    };
    view! {
        <div class="crisis-watch stack" on:input=on_input>
            {children()}
            <div aria-live="polite">
                {move || shown().then(|| view! {
                    <input type="hidden" name="crisis_ack" value="seen"/>
                    <CrisisPanel heading="You are not alone"
                        lead="If you are thinking about ending your life or hurting yourself, please reach out now: these lines are free and confidential, and someone will listen. What you wrote is still here; post it when you are ready, and our moderators will see it too."/>
                })}
            </div>
        </div>
    }
}
