//! The "Your data" panel of Settings (consent history, withdraw or give consent, delete the account), the page after a deletion request, and the admin's erasure form.

use super::api::{
    get_my_privacy, DeleteAccount, EraseMember, GiveConsent, RequestExport, WithdrawConsent,
};
use super::types::{ExportView, PrivacyState, EXPORT_DAYS, GRACE_DAYS};
use crate::session::Session;
use crate::ui::{
    action_error, echoed, field_error, format_datetime, loaded, with_echo, Checkbox, Field,
    FieldMessage, FormAlert, Panel,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Settings' "Your data": the consent and its history, and "Delete my account".
pub fn your_data_panel() -> impl IntoView {
    let session = expect_context::<Session>();
    let withdraw = ServerAction::<WithdrawConsent>::new();
    let give = ServerAction::<GiveConsent>::new();
    let export = ServerAction::<RequestExport>::new();
    session.refresh_after(withdraw);
    session.refresh_after(give);
    let withdraw_ok = crate::ui::successes(withdraw);
    let give_ok = crate::ui::successes(give);
    let export_ok = crate::ui::successes(export);
    let state = crate::ui::resource(
        move || (withdraw_ok.get(), give_ok.get(), export_ok.get()),
        |_| get_my_privacy(),
    );
    let cancelled = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("deletion").as_deref() == Some("cancelled"));
    view! {
        <section class="panel" aria-labelledby="data-h" id="your-data">
            <h2 id="data-h">"Your data"</h2>
            {cancelled.then(|| view! {
                <p class="alert alert-ok" role="status" data-testid="deletion-cancelled">
                    "Welcome back. You logged in, so your account will not be deleted."
                </p>
            })}
            {loaded(state, move |s| async move {
                view! {
                    {export_part(s.exports.clone(), export)}
                    {consent_part(s, withdraw, give)}
                }
            })}
            {delete_part()}
        </section>
    }
}

/// "Download my data": the request button and the latest copies.
fn export_part(exports: Vec<ExportView>, action: ServerAction<RequestExport>) -> impl IntoView {
    let err = action_error(action);
    let waiting = exports.iter().any(|e| !e.ready && !e.expired && !e.failed);
    let items = exports
        .into_iter()
        .map(|e| {
            let asked = format_datetime(e.requested_at);
            let state = if e.ready {
                let until = e.expires_at.map(format_datetime).unwrap_or_default();
                view! {
                    <a class="button primary" href=format!("/export/{}", e.id) download="" rel="external">"Download (zip, "{kib(e.size_bytes)}")"</a>
                    " "<span class="muted">"until "{until}</span>
                }
                .into_any()
            } else if e.expired {
                view! { <span class="muted">"Expired: ask for a new copy."</span> }.into_any()
            } else if e.failed {
                view! { <span>"Something went wrong preparing it. Please ask again."</span> }.into_any()
            } else {
                view! { <span>"Being prepared. We will notify you and e-mail you a link; "<a href="/settings#your-data">"reload"</a>" to check."</span> }.into_any()
            };
            view! { <li>"Asked for "{asked}": "{state}</li> }
        })
        .collect_view();
    view! {
        <h3>"Download my data"</h3>
        <p>
            {format!("A zip file with everything your account holds — your profile, posts, answers, votes, ratings, messages, requests to clinics, groups, notifications and consent history — as JSON files, with a page (index.html) to read it. It is ready within minutes and can be downloaded for {EXPORT_DAYS} days, only by you.")}
        </p>
        <ActionForm action=action attr:class="inline-form" attr:aria-label="Download my data">
            <FormAlert error=err/>
            <button type="submit" class="button" disabled=waiting>"Prepare a copy of my data"</button>
        </ActionForm>
        <ul class="plain-list stack" data-testid="exports">{items}</ul>
    }
}

/// "12 KB" for a size in bytes.
fn kib(bytes: i64) -> String {
    if bytes >= 1_048_576 {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn consent_part(
    s: PrivacyState,
    withdraw: ServerAction<WithdrawConsent>,
    give: ServerAction<GiveConsent>,
) -> impl IntoView {
    let withdraw_err = action_error(withdraw);
    let give_err = action_error(give);
    let history = s
        .history
        .iter()
        .map(|e| {
            let what = if e.withdrawn { "Withdrawn" } else { "Given" };
            view! {
                <li>
                    <strong>{what}</strong>" — "{format_datetime(e.at)}
                    <span class="muted">" (privacy notice version "{e.text_version.clone()}")"</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <h3>"Consent to use your health data"</h3>
        {if s.consent_withdrawn {
            view! {
                <p class="alert alert-info" role="status" data-testid="consent-state">
                    "You withdrew your consent. Your account is read-only and hidden from other members: "
                    "nobody can see your profile or message you, and we send you no digest. "
                    "Give your consent again to take part, or delete your account below."
                </p>
                <ActionForm action=give attr:class="stack" attr:aria-label="Give your consent again">
                    <FormAlert error=give_err/>
                    <Checkbox name="consent" id="give-consent" error=field_error(give_err, "consent")>
                        "I agree that HealthCommunity stores and processes the health information I share, as the "
                        <a href="/privacy">"privacy notice"</a>" explains."
                    </Checkbox>
                    <button type="submit" class="button primary">"Give consent again"</button>
                </ActionForm>
            }
            .into_any()
        } else {
            view! {
                <p data-testid="consent-state">
                    "You agreed that we store and process the health information you share here. "
                    "You can withdraw this at any time: your account then becomes read-only and hidden until you agree again."
                </p>
                <ActionForm action=withdraw attr:class="inline-form" attr:aria-label="Withdraw your consent">
                    <FormAlert error=withdraw_err/>
                    <button type="submit" class="button">"Withdraw my consent"</button>
                </ActionForm>
            }
            .into_any()
        }}
        <details>
            <summary>"Consent history"</summary>
            <ul class="plain-list" data-testid="consent-history">{history}</ul>
        </details>
    }
}

fn delete_part() -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    // The header follows: logged out once the request is made.
    expect_context::<Session>().refresh_after(delete);
    let err = action_error(delete);
    view! {
        <h3 id="delete">"Delete my account"</h3>
        <p>
            {format!("We erase your account {GRACE_DAYS} days after you ask. Until then you can change your mind: log in and nothing is deleted. ")}
            "You are logged out everywhere at once, and we send you an e-mail saying so. "
            <a href="/privacy#delete">"What is erased"</a>
        </p>
        <ActionForm action=delete attr:novalidate=true attr:class="stack" attr:aria-label="Delete my account">
            <FormAlert error=err/>
            {with_echo(super::api::DELETE_ACCOUNT, err.get_untracked().is_some(), move |echo| {
                let keep = echoed(&echo, "words").as_deref() == Some("keep");
                view! {
                    <fieldset class="field" aria-describedby="f-words-error">
                        <legend>"What you wrote in the communities"</legend>
                        <div class="checkbox">
                            <input type="radio" id="f-words-remove" name="words" value="remove" checked=!keep/>
                            <label for="f-words-remove">"Remove my words; leave the threads so others' answers stay readable (recommended)"</label>
                        </div>
                        <div class="checkbox">
                            <input type="radio" id="f-words-keep" name="words" value="keep" checked=keep/>
                            <label for="f-words-keep">"Leave my posts and replies in place under “[deleted member]”"</label>
                        </div>
                        <FieldMessage id="f-words-error".into() error=field_error(err, "words")/>
                    </fieldset>
                }
            })}
            <Field label="Your password" name="confirm_password" kind="password" autocomplete="current-password"
                error=field_error(err, "confirm_password")/>
            <button type="submit" class="button danger">"Delete my account"</button>
        </ActionForm>
    }
}

/// Where "Delete my account" leads: what happens now and how to cancel.
#[component]
pub fn GoodbyePage() -> impl IntoView {
    view! {
        <Title text="Your account will be deleted"/>
        <article class="panel prose">
            <h1>"Your account will be deleted"</h1>
            <p>{format!("We erase it in {GRACE_DAYS} days. You have been logged out on every device.")}</p>
            <p>"Changed your mind? " <a href="/login">"Log in"</a> " before then, and nothing is deleted."</p>
            <p><a href="/privacy#delete">"What is erased, and what stays"</a></p>
        </article>
    }
}

/// The admin's "Erase a member on request" form.
pub fn erase_member_panel() -> impl IntoView {
    let erase = ServerAction::<EraseMember>::new();
    let err = action_error(erase);
    let done = move || {
        erase
            .value()
            .get()
            .is_some_and(|r| r.is_ok())
            .then(|| view! { <p class="alert alert-ok" role="status">"Erased. The audit log records it."</p> })
    };
    view! {
        <Panel id="erase-h" title="Erase a member on request">
            <p class="hint">"When a member asks you (not through Settings) to delete their account. This happens at once, without the grace period, and cannot be undone."</p>
            <ActionForm action=erase attr:novalidate=true attr:class="stack" attr:aria-label="Erase a member">
                <FormAlert error=err/>
                {done}
                {with_echo(super::api::ADMIN_ERASE_MEMBER, err.get_untracked().is_some(), move |echo| view! {
                    <Field label="Handle of the member to erase" name="erase_handle" value=echoed(&echo, "erase_handle") error=field_error(err, "erase_handle")/>
                    <Field label="The handle again, to confirm" name="confirm" value=echoed(&echo, "confirm") error=field_error(err, "confirm")/>
                })}
                <button type="submit" class="button danger">"Erase this member"</button>
            </ActionForm>
        </Panel>
    }
}
