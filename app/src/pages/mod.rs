//! Stand-alone pages: the home page and the privacy notice.

use crate::auth::types::{ClinicianStatus, MemberKind, CONSENT_VERSION};
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

/// The privacy notice members consent to (its version is `CONSENT_VERSION`). Long: it is the
/// notice's prose, one section after another, kept in one place so that it reads as one text.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let operator = crate::ui::resource(|| (), |_| crate::operator::api::get_about());
    view! {
        <Title text="Privacy and your health data"/>
        <article class="panel prose">
            <h1>"Privacy and your health data"</h1>
            <p class="muted">"Version " {CONSENT_VERSION}</p>
            <p>
                "Health information is special. When you join, you agree that HealthCommunity stores and processes "
                "the health information you choose to share here — in your profile, posts, answers and messages — "
                "so that we can show it to the people you share it with."
            </p>
            <h2>"What we keep"</h2>
            <ul>
                <li>"Your handle, your e-mail address (never shown to others) and a scrambled form of your password."</li>
                <li>"What you write, and when you agreed to this notice (with its version)."</li>
                <li>"For clinicians: the licence number and specialty you send for verification. Admins see them to verify you. Your licence number becomes public only if you accept a listing at a clinic: it is then shown on your directory profile, so patients can check your registration."</li>
            </ul>
            <h2>"When we write to you"</h2>
            <ul>
                <li>"Only to an address you confirmed with the link we send at sign-up (it works for three days). Until then it gets nothing else."</li>
                <li>"Account mails: that link, a password link when you ask for one (it works once, for an hour), and a notice when your password changes or someone tries to sign up with your address. These have no unsubscribe link because they come only when you, or someone typing your address, ask."</li>
                <li>"The daily digest, only if you asked for it; every digest has a one-click link to stop it."</li>
                <li>"We keep the text of a sent mail for 30 days, then only that it was sent. The secrets in links are stored scrambled and deleted a day after they expire."</li>
            </ul>
            <h2>"Who sees what"</h2>
            <ul>
                <li>"Public posts and answers: anyone, and search engines. Members-only posts: members of that community. Support groups: their members (hidden groups are not listed at all)."</li>
                <li>"Your direct messages: you and the member you write to. Moderators read one only if one of you reports it."</li>
                <li>"A request to a clinic: you and that clinic's staff."</li>
                <li>"Your e-mail address and your votes: nobody but you (and the count of votes, without names)."</li>
                <li>"Admins see accounts to run the site; everything they change is written in an audit log. Advertisers never see who you are or what you wrote, and ads are never chosen from your health data, only from the page."</li>
            </ul>
            <h2 id="retention">"How long we keep it"</h2>
            <ul>
                <li>"Your account and what you write: until you delete it (below)."</li>
                <li>"Log-in sessions: 30 days, or until you log out or change your password. A browser you logged in from is remembered for a year, so that someone guessing your password cannot lock you out."</li>
                <li>"Counters against abuse (attempts per address or account): about two days."</li>
                <li>"The text of mails we send: 30 days, then only that a mail was sent. Links in mails: 3 days (confirming an address) or an hour (a new password), deleted a day after they expire."</li>
                <li>"Visitor counts: no cookie; a daily random code that cannot be traced back to you is forgotten the next day."</li>
                <li>"That you were active on a day (you opened a page while logged in): 30 days, to count how many members use the site each day, week and month; then only those numbers remain."</li>
                <li>"Searches that found nothing: the words, never who searched, so that we know what to write about (not kept when they look like a telephone or record number)."</li>
            </ul>
            <h2 id="export">"Getting a copy of your data"</h2>
            <p>
                "In Settings, under “Your data”, “Prepare a copy of my data” builds a zip file of everything your account holds: "
                "your account and settings, consent history, posts, answers, votes, ratings, direct messages you sent and received, "
                "requests to clinics, communities, groups, notifications, invitations, and when you logged in — as JSON files other "
                "services can read, with a page (index.html) to read it yourself. It is ready within minutes; we notify you and "
                "e-mail a link. Only you can download it, for 7 days; then it is deleted. It holds nothing of other members' "
                "beyond what you were shown (the handle of someone you wrote to, and your conversation)."
            </p>
            <h2 id="withdraw">"Withdrawing your consent"</h2>
            <p>
                "In Settings, under “Your data”, one button withdraws your consent — as easily as you gave it. From then on "
                "your account is read-only and hidden: nobody can see your profile or send you messages, we send you no digest, "
                "and you cannot post, answer, vote or message. What you already wrote stays where it is until you delete your account. "
                "You can give your consent again at any time, or delete your account. Settings shows the history of both."
            </p>
            <h2 id="delete">"Deleting your account"</h2>
            <p>
                "In Settings, under “Your data”, “Delete my account” asks for your password. You are logged out everywhere "
                "and we erase the account 7 days later; log in before then and nothing is deleted (we send you an e-mail about both). "
                "An admin can also erase your account at once if you ask them; the audit log records that they did."
            </p>
            <p>"When the account is erased, we delete:"</p>
            <ul>
                <li>"your handle, name, e-mail address, password, profile and settings; your sessions and remembered browsers;"</li>
                <li>"your consent records (with the account gone there is nothing left that the consent covers, so no record of it is kept); your clinician verification and licence number;"</li>
                <li>"your votes, your ratings of doctors and clinics with their earlier versions, the earlier versions of your posts (kept when you edited them), your requests to clinics, the direct messages you sent, your saved items and their notes, your blocks and reports;"</li>
                <li>"your community and group memberships, your notifications (and those your actions caused others), mails to you, and the abuse counters with your name or address;"</li>
                <li>"your name in the admins' audit log (the entry stays, as “[deleted member]”)."</li>
            </ul>
            <p>
                "Your posts and answers: you choose. By default their words are removed and the threads stay, so that the answers "
                "others gave remain readable; or you can leave your words in place under “[deleted member]”. Either way nothing "
                "links them to you any more, and search no longer finds removed words. Other members' messages to you stay theirs."
            </p>
            <h2>"What we never do"</h2>
            <ul>
                <li>"Sell your data, or show your e-mail address to other members."</li>
                <li>"Put your condition or other health details into page addresses or titles that other sites could see."</li>
            </ul>
            <h2>"Your choices"</h2>
            <p>"Use a pseudonym, decide whether your profile shows that you are a patient or a caregiver, and change your details in Settings."</p>
            <h2 id="contact">"Who is responsible"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let operator = operator.await.ok().map(|a| a.profile);
                    let name = operator.as_ref().map(|p| p.name.clone()).unwrap_or_default();
                    let contact = operator.map(|p| p.privacy_contact).unwrap_or_default();
                    view! {
                        <p>
                            {name}", which runs this site (see "<a href="/about">"About this site"</a>"). "
                            {if contact.is_empty() {
                                view! { "Write to them about your data" }.into_any()
                            } else {
                                view! { "Write to "<a href=format!("mailto:{contact}") data-testid="privacy-contact">{contact.clone()}</a>" about your data" }.into_any()
                            }}
                            "; they answer within a month, as the law asks."
                        </p>
                    }
                })}
            </Suspense>
        </article>
    }
}
