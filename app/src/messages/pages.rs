//! Direct-message pages: the inbox with the contacts-only setting, a conversation (send, block, report), and the moderators' report queue.

use super::api::*;
use super::types::MessageView;
use crate::notifications::pages::Unread;
use crate::safety::pages::{CrisisPanel, CrisisWatch};
use crate::ui::{
    action_error, field_error, format_datetime, successes, Checkbox, FieldMessage, FormAlert,
    Panel, Saved,
};
use crate::ui::{loaded, When};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MessagesPage() -> impl IntoView {
    let settings = ServerAction::<SaveMessageSettings>::new();
    let saved = successes(settings);
    let unread = use_context::<Unread>();
    let inbox = crate::ui::resource(
        move || (saved.get(), unread.map(|u| u.messages.get())),
        |_| get_inbox(),
    );
    view! {
        <Title text="Messages"/>
        <h1>"Messages"</h1>
        {loaded(inbox, move |inbox| async move {
            view! {
                <div class="community-grid">
                    <Panel id="conv-h" title="Conversations">
                        {if inbox.conversations.is_empty() {
                            view! { <p class="muted">"No messages yet. Start a conversation from a member's profile."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="conversation-list">
                                    {inbox.conversations.into_iter().map(|c| view! {
                                        <li class="card" class:unread={c.unread > 0}>
                                            <a href=format!("/messages/{}", c.with)>"@"{c.with.clone()}</a>
                                            {(c.unread > 0).then(|| view! { " "<span class="count">{c.unread}</span><span class="visually-hidden">" unread"</span> })}
                                            <p class="small">{c.last_body.clone()}</p>
                                            <p class="muted small"><When ms=c.last_at time=true/></p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </Panel>
                    <aside>
                        <Panel id="dm-settings-h" title="Who can message me">
                            <ActionForm action=settings attr:class="stack">
                                <Saved action=settings message="Saved."/>
                                <Checkbox name="contacts_only" checked=inbox.contacts_only>
                                    "Only members I have written to"
                                </Checkbox>
                                <button type="submit" class="button">"Save"</button>
                            </ActionForm>
                        </Panel>
                    </aside>
                </div>
            }.into_any()
        })}
    }
}

#[component]
pub fn ThreadPage() -> impl IntoView {
    let params = use_params_map();
    let send = ServerAction::<SendMessage>::new();
    let block = ServerAction::<BlockMember>::new();
    let report = ServerAction::<ReportMessage>::new();
    let (sent, blocked, reported) = (successes(send), successes(block), successes(report));
    let unread = use_context::<Unread>();
    // Refetched when a message arrives (the live unread count changes), so the conversation
    // follows without a reload.
    let thread = crate::ui::resource(
        move || {
            (
                params.read().get("handle").unwrap_or_default(),
                sent.get(),
                blocked.get(),
                reported.get(),
                unread.map(|u| u.messages.get()),
            )
        },
        |(with, ..)| get_thread(with),
    );
    let err = action_error(send);
    let report_err = action_error(report);
    let body_ref = crate::ui::emptied_after(sent);
    let echo = crate::ui::echo_resource(
        crate::messages::api::SEND_MESSAGE,
        err.get_untracked().is_some(),
    );
    let report_echo = crate::ui::echo_resource(
        crate::messages::api::REPORT_MESSAGE,
        report_err.get_untracked().is_some(),
    );
    view! {
        {crate::ui::loaded(thread, move |t| async move {
            let typed = crate::ui::echoed(&echo.await, "body").unwrap_or_default();
            let report_echo = report_echo.await;
            let reported = crate::ui::echoed(&report_echo, "id");
            let with = t.with.clone();
            let (with_block, with_form) = (with.clone(), with.clone());
            view! {
                <Title text=format!("Messages with @{with}")/>
                <p><a href="/messages">"← All messages"</a></p>
                <div class="section-head">
                    <h1>"Messages with "<a href=format!("/u/{with}")>"@"{with.clone()}</a></h1>
                    <ActionForm action=block attr:class="inline-form">
                        <input type="hidden" name="handle" value=with_block/>
                        <input type="hidden" name="block" value=if t.blocked { "no" } else { "yes" }/>
                        <button type="submit" class="button">{if t.blocked { "Unblock" } else { "Block" }}</button>
                    </ActionForm>
                </div>
                {t.blocked.then(|| view! {
                    <p class="alert alert-warn">"You blocked this member: they cannot write to you, and this conversation is hidden."</p>
                })}
                {t.messages.is_empty().then(|| view! {
                    <p class="muted">"No messages between you yet."</p>
                })}
                <ol class="messages dm" aria-label="Conversation">
                    {t.messages.iter().map(|m| {
                        // A failed no-JavaScript report of this message comes back open, as typed.
                        let open = reported.as_deref() == Some(m.id.to_string().as_str());
                        let reason = crate::ui::echoed(&report_echo, "reason").filter(|_| open).unwrap_or_default();
                        view! { {message_item(m.clone(), t.with.clone(), open, reason, report)} }
                    }).collect_view()}
                </ol>
                {crisis_panels(&t)}
                {match t.cannot_write.clone() {
                    Some(why) => view! { <p class="alert alert-warn" role="status">{why}</p> }.into_any(),
                    None => view! {
                        {send_form(with_form, typed, send, body_ref)}
                    }.into_any(),
                }}
            }
        })}
    }
}

/// Helplines when the reader's own messages, or the other member's, suggest a crisis.
fn crisis_panels(t: &crate::messages::types::Thread) -> impl IntoView {
    view! {
            {t.crisis_mine.then(|| view! {
                <CrisisPanel heading="You are not alone"
                    lead="If you are thinking about ending your life or hurting yourself, please talk to someone now: these lines are free and confidential, and someone will listen."/>
            })}
            {t.crisis_theirs.then(|| view! {
                <CrisisPanel heading=format!("Worried about @{}?", t.with)
                    lead="Something in this conversation suggests they may be thinking of ending their life or harming themselves. Tell them you care, listen, and share these lines with them. If they may be in immediate danger, call the emergency number where they are."/>
            })}
    }
}

/// One message of a conversation, with "Report to moderators" under the other member's (open
/// again, as typed, when a report without JavaScript failed).
fn message_item(
    m: MessageView,
    with: String,
    open: bool,
    reason: String,
    report: ServerAction<ReportMessage>,
) -> impl IntoView {
    let report_err = action_error(report);
    let id = m.id.to_string();
    view! {
        <li class="card" class:mine=m.mine>
            <p class="small muted">{if m.mine { "You".to_string() } else { format!("@{with}") }}" · "<When ms=m.at time=true/>{m.read.then_some(" · Read")}</p>
            <div class="post-body" inner_html=m.body_html.clone()></div>
            {(!m.mine).then(|| view! {
                <details class="review-tools" open=open>
                    <summary>"Report to moderators"</summary>
                    <ActionForm action=report attr:novalidate=true attr:class="stack">
                        <FormAlert error=report_err/>
                        <input type="hidden" name="id" value=id.clone()/>
                        <label for=format!("report-{id}")>"What is wrong with this message?"</label>
                        <textarea id=format!("report-{id}") name="reason" rows="2">{crate::ui::textarea_text(reason)}</textarea>
                        <p class="hint">"Moderators will see this message only, not the rest of the conversation."</p>
                        <button type="submit" class="button">"Send report"</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

/// The message box (emptied after a send; the text kept when the send failed).
fn send_form(
    to: String,
    typed: String,
    send: ServerAction<SendMessage>,
    body_ref: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    let err = action_error(send);
    view! {
        <section class="panel">
            <ActionForm action=send attr:novalidate=true attr:class="stack">
                <FormAlert error=err/>
                <input type="hidden" name="to" value=to.clone()/>
                <CrisisWatch error=err>
                    <div class="field">
                        <label for="f-body">"Your message"</label>
                        <p class="hint" id="f-body-hint">"**bold**, *italic* and links work. Only you and @"{to}" can read this conversation."</p>
                        <textarea id="f-body" name="body" rows="3" aria-describedby="f-body-hint f-body-error" node_ref=body_ref>{crate::ui::textarea_text(typed)}</textarea>
                        <FieldMessage id="f-body-error".into() error=field_error(err, "body")/>
                    </div>
                </CrisisWatch>
                <button type="submit" class="button primary">"Send"</button>
            </ActionForm>
        </section>
    }
}

/// Reported messages for moderators: each shows the reported message only.
#[component]
pub fn MessageReportsPage() -> impl IntoView {
    let resolve = ServerAction::<ResolveMessageReport>::new();
    let done = successes(resolve);
    let list = crate::ui::resource(move || done.get(), |_| message_reports());
    view! {
        <Title text="Reported messages"/>
        <p class="crumbs"><a href="/mod">"← Moderation queue"</a></p>
        <h1>"Reported messages"</h1>
        <p class="lead">"Private messages members reported, oldest first. You read the reported message only, never the rest of the conversation. To warn or suspend its sender, use the moderation queue."</p>
        {loaded(list, move |list| async move {
            crate::ui::card_list(list, "Nothing to review.", move |r| view! {
                <p>"From @"{r.sender.clone()}", reported by @"{r.reporter.clone()}" · "{format_datetime(r.at)}</p>
                <p class="small">"Reason: "{r.reason.clone()}</p>
                <blockquote class="post-body" inner_html=r.body_html.clone()></blockquote>
                <ActionForm action=resolve attr:class="inline-form">
                    <input type="hidden" name="id" value=r.id.to_string()/>
                    <button type="submit" class="button">"Mark handled"</button>
                </ActionForm>
            }.into_any())
        })}
    }
}
