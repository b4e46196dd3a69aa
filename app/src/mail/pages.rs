//! The opt-out page of an e-mail link (`/mail/stop/:token`): says what it stops and stops it with one button, without logging in.

use super::api::*;
use crate::ui::{action_error, FormAlert};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MailStopPage() -> impl IntoView {
    let params = use_params_map();
    let action = ServerAction::<StopMail>::new();
    let err = action_error(action);
    let action_ok = crate::ui::successes(action);
    let view_of = crate::ui::resource(
        move || {
            (
                params.read().get("token").unwrap_or_default(),
                action_ok.get(),
            )
        },
        |(token, _)| get_mail_stop(token),
    );
    view! {
        <Title text="E-mail settings"/>
        {crate::ui::loaded(view_of, move |v| async move {
            let token = params.read_untracked().get("token").unwrap_or_default();
            view! {
                <section class="panel narrow">
                    <h1>"E-mail from HealthCommunity"</h1>
                    {if v.done {
                        view! {
                            <p class="alert alert-ok" role="status" data-testid="mail-stopped">
                                "Done: we will not send "{v.what.clone()}" any more."
                            </p>
                        }.into_any()
                    } else {
                        view! {
                            <p class="lead">"Stop "{v.what.clone()}"?"</p>
                            <ActionForm action=action attr:class="stack">
                                <FormAlert error=err/>
                                <input type="hidden" name="token" value=token/>
                                <button type="submit" class="button primary">"Stop these e-mails"</button>
                            </ActionForm>
                            {v.digest.then(|| view! {
                                <p class="hint">"No login needed. You can turn the digest back on under E-mail on your notifications page."</p>
                            })}
                        }.into_any()
                    }}
                </section>
            }
        })}
    }
}
