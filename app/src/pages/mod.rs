//! Stand-alone pages: the home page and the privacy notice.

use crate::auth::types::{ClinicianStatus, MemberKind};
use crate::posts::pages::Feed;
use crate::posts::types::FeedScope;
use crate::session::Session;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! {
        <Title text=""/>
        <crate::seo::pages::PageMeta title="HealthCommunity"
            description=crate::seo::pages::SITE_DESCRIPTION path="/"/>
        // Only the greeting and the feed's heading wait for the session. The feed is made here,
        // outside any `Suspend` (a resource made inside one is made again each time the server
        // re-runs it: the landing page read its feed three times a request); the server decides
        // whose feed `Front` is from the request's session.
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                hero(session.user.await.ok().flatten())
            })}
        </Transition>
        <section class="panel" aria-labelledby="feed-h">
            <h2 id="feed-h">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        if session.user.await.ok().flatten().is_some() {
                            "Your communities"
                        } else {
                            "Recent questions and discussions"
                        }
                    })}
                </Transition>
            </h2>
            <Feed scope=FeedScope::Front base="/".into()
                empty="Nothing public has been posted yet."
                empty_home="Join a community to see its questions and discussions here."/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    session.user.await.ok().flatten().map(|_| view! {
                        <p><a href="/c">"Browse all communities"</a></p>
                    })
                })}
            </Transition>
        </section>
        {what_you_can_do()}
    }
}

/// The landing page's greeting: a member's welcome (with their verification's state), or what
/// the site is with "Join" and "Log in".
fn hero(user: Option<crate::auth::types::CurrentUser>) -> AnyView {
    match user {
        Some(u) => {
            let pending = u.kind == MemberKind::Clinician
                && matches!(u.clinician_status, ClinicianStatus::Pending | ClinicianStatus::None);
            view! {
                <section class="hero">
                    <h1>"Welcome, @"{u.handle.clone()}</h1>
                    <p class="lead">"New questions and discussions from your communities. "
                        <a href="/c">"Find more communities"</a></p>
                    {pending.then(|| view! {
                        <p class="alert alert-info" role="status">
                            "Your clinician verification is waiting for an admin. Until then your answers show without the verified badge."
                        </p>
                    })}
                </section>
            }.into_any()
        }
        None => view! {
            <section class="hero">
                <h1>"You are not alone with your condition"</h1>
                <p class="lead">
                    "HealthCommunity brings together people living with multiple sclerosis, chronic myeloid leukaemia, "
                    "diabetes and other long-term conditions, the people who care for them, and verified clinicians."
                </p>
                <p class="cta">
                    <a class="button primary" href="/signup">"Join for free"</a>
                    <a class="button" href="/login">"Log in"</a>
                </p>
            </section>
        }.into_any(),
    }
}

/// The three things the site offers, under the feed.
fn what_you_can_do() -> impl IntoView {
    view! {
        <section class="cards" aria-label="What you can do here">
            <article class="card">
                <h2>"Ask and learn"</h2>
                <p>"Ask questions in plain language and read answers from members and verified clinicians."</p>
            </article>
            <article class="card">
                <h2>"Find support"</h2>
                <p>"Join peer support groups for your condition, for newly diagnosed members and for caregivers."</p>
            </article>
            <article class="card">
                <h2>"Private by design"</h2>
                <p>"You choose a pseudonym. Your e-mail address is never shown, and you decide what you share."</p>
            </article>
        </section>
    }
}

/// The privacy notice members consent to (its version is `CONSENT_VERSION`): its text is the
/// server's (`privacy/notice.rs`), one section after another, kept in one place so that it reads
/// as one text.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let notice = crate::ui::resource(|| (), |_| crate::privacy::api::get_privacy_notice());
    view! {
        <Title text="Privacy and your health data"/>
        {crate::ui::loaded(notice, |html| async move {
            view! { <article class="panel prose" inner_html=html></article> }
        })}
    }
}
