//! A provider's page: profile, ratings and reviews, the rating form and the clinic's replies.

use super::*;
use crate::ui::{Panel, When};

#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    let forms = Forms {
        rate: ServerAction::new(),
        reply: ServerAction::new(),
        report: ServerAction::new(),
        contact: ServerAction::new(),
        code: ServerAction::new(),
        invitation: ServerAction::new(),
        leave: ServerAction::new(),
    };
    let Forms {
        rate,
        reply,
        report,
        contact,
        invitation,
        leave,
        ..
    } = forms;
    let (rated, replied, reported) = (successes(rate), successes(reply), successes(report));
    let (answered, left) = (successes(invitation), successes(leave));
    let detail = crate::ui::resource(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                rated.get(),
                replied.get(),
                reported.get(),
                answered.get() + left.get(),
            )
        },
        |(slug, ..)| get_provider(slug),
    );
    let rate_err = action_error(rate);
    let echo = echo_resource(
        crate::directory::api::RATE_PROVIDER,
        rate_err.get_untracked().is_some(),
    );
    let contact_err = action_error(contact);
    let contact_echo = echo_resource(
        crate::directory::api::CONTACT_CLINIC,
        contact_err.get_untracked().is_some(),
    );
    let query = use_query_map();
    view! {
        {crate::ui::loaded(detail, move |d| async move {
            let echo = echo.await;
            let contact_echo = contact_echo.await;
            let plain_code = query.read_untracked().get("code");
            view! { {provider_view(d, (echo, contact_echo), plain_code, forms)} }
        })}
    }
}

/// The provider page's forms, made once per page and handed to the parts that show them.
#[derive(Clone, Copy)]
struct Forms {
    rate: ServerAction<RateProvider>,
    reply: ServerAction<ReplyReview>,
    report: ServerAction<ReportReview>,
    contact: ServerAction<ContactClinic>,
    code: ServerAction<NewReviewCode>,
    invitation: ServerAction<AnswerInvitation>,
    leave: ServerAction<LeaveStaff>,
}

/// What a form was sent with, for a form that comes back with an error without JavaScript.
type Echo = Vec<(String, String)>;

/// The page itself. `echo`: what the rating form and the request form were sent with, for a
/// form that comes back with an error without JavaScript; `plain_code`: a review code just made.
fn provider_view(
    d: ProviderDetail,
    (echo, contact_echo): (Echo, Echo),
    plain_code: Option<String>,
    forms: Forms,
) -> impl IntoView {
    let Forms {
        rate,
        reply,
        report,
        contact,
        code,
        invitation,
        leave,
    } = forms;
    let c = d.card.clone();
    let slug = c.slug.clone();
    let v = d.viewer.clone();
    let is_clinic = c.kind == ProviderKind::Clinic;
    let staff_tools = v.is_staff.then(|| {
        view! { {staff_tools(slug.clone(), is_clinic, v.own_staff, plain_code.clone(), code)} }
    });
    let rate_form = (v.logged_in && !v.is_staff).then(|| {
        view! { {rate_form(slug.clone(), d.own_review.clone(), echo.clone(), rate)} }
    });
    let login_to_rate = (!v.logged_in).then(|| view! {
        <p><a class="button" href=format!("/login?next=/directory/{slug}")>"Log in to rate"</a></p>
    });
    // A visitor sees where to ask for an appointment too, not only members.
    let login_to_contact = (is_clinic && !v.logged_in).then(|| {
        let next = format!("/login?next=/directory/{slug}");
        view! {
            <Panel id="contact-h" title="Ask for an appointment or a call back">
                <p>"Members ask this clinic for an appointment or a call back here; only the clinic's staff read a request."</p>
                <p><a class="button primary" href=next>"Log in to send a request"</a></p>
            </Panel>
        }
    });
    let contact_form = (is_clinic && v.logged_in && !v.is_staff).then(|| {
        view! { {contact_form(slug.clone(), contact_echo.clone(), contact)} }
    });
    let review_list = view! {
        {review_list(d.reviews.clone(), v.is_staff, v.logged_in, d.own_review.as_ref().map(|r| r.id), reply, report)}
    };
    let changes = d.changes.clone();
    let seo_meta = provider_meta(&d);
    view! {
        <Title text=c.name.clone()/>
        {seo_meta}
        {provider_head(c.clone(), d.saved)}
        {(!d.description.is_empty()).then(|| view! { <p class="lead">{d.description.clone()}</p> })}
        <PictureRow pictures=d.photos.clone() removable=d.viewer.is_staff/>
        {d.viewer.is_staff.then(|| view! { {provider_pictures(c.clone(), d.photos.len())} })}
        // What a phone shows first — where it is, when it opens, how to ask for an appointment
        // — comes first; a wide screen puts it at the top of the side column.
        <div class="community-grid side-first">
            <div class="side-top">
                {details_panels(&d, is_clinic)}
                {invitation_panel(slug.clone(), c.name.clone(), d.my_invitations.clone(), invitation)}
                {contact_form}
                {login_to_contact}
            </div>
            <div class="main-col">
                <Panel id="ratings-h" title="Ratings">
                    <RatingWidget rating=c.rating.clone()/>
                </Panel>
                {rate_form}
                {login_to_rate}
                {review_list}
            </div>
            <aside class="side-rest">
                {(v.own_staff && is_clinic).then(|| view! { {leave_staff_form(slug.clone(), leave)} })}
                {staff_tools}
                {change_history(changes)}
            </aside>
        </div>
    }
}

/// The provider's details and opening hours, and the clinicians of a clinic (or the clinics a
/// clinician works at).
fn details_panels(d: &ProviderDetail, is_clinic: bool) -> impl IntoView {
    let details = detail_rows(d);
    let linked_title = if is_clinic {
        "Clinicians here"
    } else {
        "Works at"
    };
    view! {
        <section class="panel" aria-labelledby="details-h">
            <h2 id="details-h">"Details"</h2>
            <dl class="details">
                {details.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
            </dl>
            {(!d.opening_hours.is_empty()).then(|| view! {
                <h3>"Opening hours"</h3>
                <p class="hours">{d.opening_hours.clone()}</p>
            })}
        </section>
        {(!d.linked.is_empty()).then(|| view! {
            <section class="panel" aria-labelledby="linked-h">
                <h2 id="linked-h">{linked_title}</h2>
                <ul class="plain-list">
                    {d.linked.iter().map(|l| view! { <li><a href=format!("/directory/{}", l.slug)>{l.name.clone()}</a></li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// A provider's name, kind and city, its logo, whether it takes new patients, and "Save".
fn provider_head(c: ProviderCard, saved: Option<bool>) -> impl IntoView {
    view! {
        <header class="community-head">
            {match c.logo {
                Some(id) => view! { <img class="provider-logo" src=crate::pictures::types::src(id) alt="" width="64" height="64"/> }.into_any(),
                None => view! { <CommunityIcon name=c.name.clone() colour=c.colour.clone()/> }.into_any(),
            }}
            <div>
                <h1>{c.name.clone()}</h1>
                <p class="muted">{kind_label(c.kind)}{(!c.city.is_empty()).then(|| format!(" · {}", c.city))}</p>
                // The average on the first screen; the ratings panel may be far down on a phone.
                {(c.rating.count > 0).then(|| view! {
                    <a class="head-rating" href="#ratings-h"><RatingWidget rating=c.rating.clone() compact=true/></a>
                })}
            </div>
            <div class="community-actions">
                {saved.map(|saved| view! { <SavePageButton kind=RefKind::Provider slug=c.slug.clone() saved=saved/> })}
                {if c.accepting {
                    view! { <span class="badge badge-verified">"Accepting new patients"</span> }.into_any()
                } else {
                    view! { <span class="badge">"Not taking new patients"</span> }.into_any()
                }}
            </div>
        </header>
    }
}

/// Staff's logo and photo uploads (open again when an upload failed).
fn provider_pictures(c: ProviderCard, photos: usize) -> impl IntoView {
    let slug = c.slug.clone();
    let open = upload_failed("logo", &slug) || upload_failed("photo", &slug);
    view! {
        <details class="panel add-picture" open=open>
            <summary>"Logo and photos"</summary>
            <p class="hint">"A logo is shown beside the name here and in the directory; photos of the premises or the team under the description. Anyone can see them: no patients, please."</p>
            <PictureUpload target="logo" id=slug.clone() label="Logo" needs_alt=false
                button=if c.logo.is_some() { "Replace logo" } else { "Upload logo" }/>
            {c.logo.map(|id| view! { <RemovePictureButton id=id/> })}
            <AddPicture target="photo" id=slug count=photos limit=PER_PROVIDER as usize/>
        </details>
    }
}

/// The reviews, each with its reply and what the reader may do with it (`own`: the reader's
/// own review, which they edit rather than report).
fn review_list(
    reviews: Vec<ReviewView>,
    is_staff: bool,
    logged_in: bool,
    own: Option<i64>,
    reply: ServerAction<ReplyReview>,
    report: ServerAction<ReportReview>,
) -> impl IntoView {
    view! {
        <Panel id="reviews-h" title="Reviews">
            {if reviews.is_empty() {
                view! { <p class="muted">"No reviews yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="review-list">
                        {reviews.into_iter().map(|r| {
                            let may_report = logged_in && own != Some(r.id);
                            view! { {review_item(r, is_staff, may_report, reply, report)} }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </Panel>
    }
}

/// Who changed the profile, when (shown to staff and admins; empty for everyone else).
fn change_history(changes: Vec<ChangeEntry>) -> impl IntoView {
    (!changes.is_empty()).then(|| {
        view! {
            <Panel id="changes-h" title="Change history">
                <ul class="plain-list small">
                    {changes.into_iter().map(|ch| view! {
                        <li>{format_datetime(ch.at)}": @"{ch.actor}" "{ch.summary}</li>
                    }).collect_view()}
                </ul>
            </Panel>
        }
    })
}

/// The provider's details, as (label, value) rows: only those it has.
fn detail_rows(d: &ProviderDetail) -> Vec<(&'static str, AnyView)> {
    let c = &d.card;
    let mut rows: Vec<(&'static str, AnyView)> = Vec::new();
    if !d.address.is_empty() || !c.city.is_empty() {
        let addr = [
            d.address.clone(),
            format!("{} {}", d.postal_code, c.city).trim().to_string(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        rows.push(("Address", view! { <span>{addr}</span> }.into_any()));
    }
    if !d.phone.is_empty() {
        let tel = format!("tel:{}", d.phone.replace(' ', ""));
        rows.push((
            "Phone",
            view! { <a href=tel>{d.phone.clone()}</a> }.into_any(),
        ));
    }
    if !d.website.is_empty() {
        rows.push((
            "Website",
            view! { <a href=d.website.clone() rel="nofollow ugc noopener">{d.website.clone()}</a> }
                .into_any(),
        ));
    }
    if !c.specialties.is_empty() {
        rows.push((
            "Specialties",
            view! { <span>{c.specialties.join(", ")}</span> }.into_any(),
        ));
    }
    if !d.languages.is_empty() {
        let langs = d
            .languages
            .iter()
            .map(|l| label(LANGUAGES, l))
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(("Languages", view! { <span>{langs}</span> }.into_any()));
    }
    if !d.conditions.is_empty() {
        rows.push(("Conditions treated", view! {
            <span>{d.conditions.iter().map(|x| view! { <a class="tag" href=format!("/c/{}", x.slug)>{x.name.clone()}</a>" " }).collect_view()}</span>
        }.into_any()));
    }
    if !d.licence_number.is_empty() {
        rows.push((
            "Licence number",
            view! { <span>{d.licence_number.clone()}</span> }.into_any(),
        ));
    }
    rows
}

/// "For staff" on a provider's page: the edit link, the contact requests, new review codes.
fn staff_tools(
    slug: String,
    is_clinic: bool,
    own_staff: bool,
    plain_code: Option<String>,
    code: ServerAction<NewReviewCode>,
) -> impl IntoView {
    let code_value = Signal::derive(move || match code.value().get() {
        Some(Ok(c)) => Some(c),
        _ => None,
    });
    view! {
        <Panel id="staff-h" title="For staff">
            <p class="cta">
                <a class="button" href=format!("/directory/{slug}/edit")>"Edit profile"</a>
                {(is_clinic && own_staff).then(|| view! { <a class="button" href=format!("/directory/{slug}/inbox")>"Contact requests"</a> })}
            </p>
            {own_staff.then(|| view! {
                <ActionForm action=code attr:class="inline-form">
                    <input type="hidden" name="slug" value=slug.clone()/>
                    <button type="submit" class="button">"New review code"</button>
                </ActionForm>
                <p class="hint">"Give a code to a patient after a visit. A review with the code shows “verified visit”. Each code works once, for "{CODE_DAYS}" days."</p>
                {move || code_value.get().or(plain_code.clone()).map(|c| view! {
                    <p class="alert alert-ok" role="status">"Review code: "<strong class="code">{c}</strong></p>
                })}
            }.into_any())}
        </Panel>
    }
}

/// A member's rating of a provider (new or edited), with the treatment question when the
/// provider disputes their review.
fn rate_form(
    slug: String,
    own: Option<ReviewView>,
    echo: Vec<(String, String)>,
    rate: ServerAction<RateProvider>,
) -> impl IntoView {
    let rate_err = action_error(rate);
    let e = |name: &str, fallback: Option<String>| echoed(&echo, name).or(fallback);
    let disputed_own = own.as_ref().is_some_and(|r| r.disputed);
    let heading = if own.is_some() {
        "Edit your rating"
    } else {
        "Rate this provider"
    };
    let stars = e("stars", own.as_ref().map(|r| r.stars.to_string())).and_then(|s| s.parse().ok());
    let sub =
        |name: &str, f: Option<i64>| e(name, f.map(|x| x.to_string())).and_then(|s| s.parse().ok());
    let explains = sub("explains", own.as_ref().and_then(|r| r.explains));
    let listens = sub("listens", own.as_ref().and_then(|r| r.listens));
    let premises = sub("premises", own.as_ref().and_then(|r| r.premises));
    let wait = e(
        "wait_minutes",
        own.as_ref()
            .and_then(|r| r.wait_minutes)
            .map(|w| w.to_string()),
    );
    let body = e("body", own.as_ref().map(|r| r.body.clone())).unwrap_or_default();
    let treatment = e("treatment", own.as_ref().map(|r| r.treatment.clone())).unwrap_or_default();
    let dispute_note = own.as_ref().and_then(|r| r.dispute_note.clone());
    let code_typed = e("code", None);
    view! {
        <section class="panel" aria-labelledby="rate-h">
            <h2 id="rate-h">{heading}</h2>
            <ActionForm action=rate attr:novalidate=true attr:class="stack">
                <FormAlert error=rate_err/>
                <Saved action=rate message="Thank you, your rating is saved."/>
                <input type="hidden" name="slug" value=slug/>
                <StarInput name="stars" legend="Overall (required)" initial=stars error=field_error(rate_err, "stars")/>
                <div class="grid-2">
                    <ScoreSelect name="explains" label="Explains clearly" initial=explains error=field_error(rate_err, "explains")/>
                    <ScoreSelect name="listens" label="Listens" initial=listens error=field_error(rate_err, "listens")/>
                    <ScoreSelect name="premises" label="Staff and premises" initial=premises error=field_error(rate_err, "premises")/>
                    <Field label="Wait in minutes" name="wait_minutes" kind="number" value=wait error=field_error(rate_err, "wait_minutes")/>
                </div>
                <crate::ui::TextArea label="Your review (optional)" name="body" rows=4 value=body hint="Describe your experience. Please leave out other people's names and health details."
                    error=field_error(rate_err, "body")/>
                {disputed_own.then(|| view! {
                    <div class="field">
                        <p class="alert alert-warn">"The provider disputes your review: “"{dispute_note.unwrap_or_default()}"”. Please describe the treatment you received so the moderators can decide."</p>
                        <label for="f-treatment">"The treatment you received"</label>
                        <textarea id="f-treatment" name="treatment" rows="3" aria-describedby="f-treatment-error">{crate::ui::textarea_text(treatment)}</textarea>
                        <FieldMessage id="f-treatment-error".into() error=field_error(rate_err, "treatment")/>
                    </div>
                })}
                <Field label="Review code from your visit (optional)" name="code" value=code_typed
                    hint="If the clinic gave you a code, your review shows “verified visit”."
                    error=field_error(rate_err, "code")/>
                <button type="submit" class="button primary">"Save rating"</button>
            </ActionForm>
        </section>
    }
}

/// A member asks a clinic for an appointment or a call back.
fn contact_form(
    slug: String,
    echo: Vec<(String, String)>,
    contact: ServerAction<ContactClinic>,
) -> impl IntoView {
    let contact_err = action_error(contact);
    let ce = |n: &str| echoed(&echo, n);
    let (reason, times, via) = (
        ce("reason").unwrap_or_default(),
        ce("preferred_times"),
        ce("contact_via"),
    );
    view! {
        <Panel id="contact-h" title="Ask for an appointment or a call back">
            <p class="hint privacy-note">"Privacy: the clinic's staff will see your handle, what you write here and how to reach you — nothing else from your account. Write only what they need."</p>
            <ActionForm action=contact attr:novalidate=true attr:class="stack">
                <FormAlert error=contact_err/>
                <input type="hidden" name="slug" value=slug/>
                <crate::ui::TextArea label="What would you like help with?" name="reason" rows=3 value=reason
                    error=field_error(contact_err, "reason")/>
                <Field label="Preferred days and times" name="preferred_times" value=times error=field_error(contact_err, "preferred_times")/>
                <Field label="How should the clinic contact you?" name="contact_via" value=via
                    hint="For example: reply here, or a phone number." error=field_error(contact_err, "contact_via")/>
                <button type="submit" class="button primary">"Send request"</button>
            </ActionForm>
        </Panel>
    }
}

/// The provider page's description, address and structured data for search engines.
fn provider_meta(d: &ProviderDetail) -> impl IntoView {
    let c = &d.card;
    use crate::seo::jsonld;
    let base = crate::seo::pages::site_url();
    let mut words = vec![kind_label(c.kind).to_string()];
    if !c.specialties.is_empty() {
        words.push(c.specialties.join(", "));
    }
    if !c.city.is_empty() {
        words.push(format!("in {}", c.city));
    }
    let lead = words.join(" · ");
    let description = if d.description.is_empty() {
        lead
    } else {
        format!("{lead}. {}", d.description)
    };
    let ld = vec![
        jsonld::provider(&base, d, &c.specialties),
        jsonld::breadcrumbs(
            &base,
            &[
                ("Find care".to_string(), "/directory".to_string()),
                (c.name.clone(), format!("/directory/{}", c.slug)),
            ],
        ),
    ];
    view! {
        <crate::seo::pages::PageMeta title=c.name.clone() description=description
            path=format!("/directory/{}", c.slug) json_ld=ld/>
    }
}

pub(super) fn review_item(
    r: ReviewView,
    is_staff: bool,
    may_report: bool,
    reply: ServerAction<ReplyReview>,
    report: ServerAction<ReportReview>,
) -> impl IntoView {
    let id = r.id.to_string();
    let subs: Vec<String> = [
        r.explains.map(|v| format!("Explains clearly {v}/5")),
        r.listens.map(|v| format!("Listens {v}/5")),
        r.premises.map(|v| format!("Staff and premises {v}/5")),
        r.wait_minutes.map(|m| format!("Waited {m} min")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let reply_err = action_error(reply);
    view! {
        <li class="review" id=format!("review-{}", r.id)>
            <p>
                <span class="rating-stars" aria-hidden="true">{star_row(r.stars * 100)}</span>
                <span class="visually-hidden">{format!("{} out of 5 stars", r.stars)}</span>
                " "<a href=format!("/u/{}", r.author)>"@"{r.author.clone()}</a>
                {r.verified_visit.then(|| view! { " "<span class="badge badge-verified">"✓ Verified visit"</span> })}
                {r.hidden.then(|| view! { " "<span class="badge">"Hidden by moderators"</span> })}
                <span class="muted small">" · "<When ms=r.updated_at/>{(r.versions > 1).then_some(" (edited)")}</span>
            </p>
            {(!subs.is_empty()).then(|| view! { <p class="small muted">{subs.join(" · ")}</p> })}
            {(!r.body.is_empty()).then(|| view! { <p class="review-body">{r.body.clone()}</p> })}
            {(!r.treatment.is_empty()).then(|| view! { <p class="small"><strong>"Treatment described for the moderators (not shown to others): "</strong>{r.treatment.clone()}</p> })}
            {r.disputed.then(|| view! { <p class="small muted">"The provider has disputed this review; the moderators are looking at it."</p> })}
            {r.reply.clone().map(|body| view! {
                <div class="provider-reply">
                    <p class="small"><strong>"Reply from the provider"</strong>{r.reply_at.map(|t| format!(" · {}", format_date(t)))}</p>
                    <p>{body}</p>
                </div>
            })}
            {is_staff.then(|| {
                let id = id.clone();
                let current = r.reply.clone();
                with_echo(super::super::api::REPLY_REVIEW, reply_err.get_untracked().is_some(), move |echo| {
                    // A failed no-JavaScript post of this review's forms comes back open, as typed.
                    let mine = echoed(&echo, "review").as_deref() == Some(id.as_str());
                    let body = echoed(&echo, "body").filter(|_| mine).or(current.clone()).unwrap_or_default();
                    let (id, id2) = (id.clone(), id.clone());
                    view! {
                        <details class="review-tools" open=mine>
                            <summary>{if current.is_some() { "Edit the public reply" } else { "Reply publicly" }}</summary>
                            <ActionForm action=reply attr:novalidate=true attr:class="stack">
                                <FormAlert error=reply_err/>
                                <input type="hidden" name="review" value=id.clone()/>
                                <p class="alert alert-warn">"Your reply is public. Do not confirm that this person is your patient or mention any health information about them."</p>
                                <label for=format!("reply-{id}")>"Public reply"</label>
                                <textarea id=format!("reply-{id}") name="body" rows="3">{crate::ui::textarea_text(body)}</textarea>
                                <FieldMessage id=format!("reply-{id}-error") error=field_error(reply_err, "reply")/>
                                <button type="submit" class="button">"Publish reply"</button>
                            </ActionForm>
                            <ReviewReportForm report=report review=id2 kind="dispute"/>
                        </details>
                    }
                })
            })}
            {(may_report && !is_staff).then(|| view! {
                <ReviewReportForm report=report review=id.clone() kind="report"/>
            })}
        </li>
    }
}

/// A review's report form (a member's "Report", in its own disclosure) or the provider's
/// "Dispute" (inside the reply tools), kept as typed when a no-JavaScript post failed.
#[component]
fn ReviewReportForm(
    report: ServerAction<ReportReview>,
    review: String,
    kind: &'static str,
) -> impl IntoView {
    let err = action_error(report);
    with_echo(
        super::super::api::REPORT_REVIEW,
        err.get_untracked().is_some(),
        move |echo| {
            let mine = echoed(&echo, "review").as_deref() == Some(review.as_str())
                && echoed(&echo, "kind").as_deref() == Some(kind);
            let reason = echoed(&echo, "reason").filter(|_| mine).unwrap_or_default();
            let field = format!("{kind}-{review}");
            let review = review.clone();
            let form = view! {
                <ActionForm action=report attr:novalidate=true attr:class="stack">
                    {mine.then(|| view! { <FormAlert error=err/> })}
                    <input type="hidden" name="review" value=review.clone()/>
                    <input type="hidden" name="kind" value=kind/>
                    <label for=field.clone()>{if kind == "dispute" { "Dispute this review (why?)" } else { "What is wrong with this review?" }}</label>
                    <textarea id=field name="reason" rows="2">{crate::ui::textarea_text(reason)}</textarea>
                    <button type="submit" class="button">{if kind == "dispute" { "Dispute" } else { "Send report" }}</button>
                </ActionForm>
            };
            if kind == "dispute" {
                form.into_any()
            } else {
                view! {
                    <details class="review-tools" open=mine>
                        <summary>"Report"</summary>
                        {form}
                    </details>
                }
                .into_any()
            }
        },
    )
}
