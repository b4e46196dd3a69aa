//! Staff pages: editing a provider's profile, a new clinic, invitations and leaving the staff.

use super::*;
use crate::ui::Panel;

/// Staff edit every field of the profile; owners manage staff; staff list clinicians.
#[component]
pub fn ProviderEditPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveProfile>::new();
    let staff = ServerAction::<SetStaff>::new();
    let clinician = ServerAction::<SetClinician>::new();
    let (saved, staffed, listed) = (successes(save), successes(staff), successes(clinician));
    let detail = crate::ui::resource(
        move || {
            (
                params.read().get("slug").unwrap_or_default(),
                saved.get(),
                staffed.get(),
                listed.get(),
            )
        },
        |(slug, ..)| get_provider(slug),
    );
    let communities = crate::ui::resource(|| (), |_| list_communities());
    let err = action_error(save);
    let echo = echo_resource(
        crate::directory::api::SAVE_PROFILE,
        err.get_untracked().is_some(),
    );
    view! {
        {loaded(detail, move |d| async move {
            if !d.viewer.is_staff {
                let error = if d.viewer.logged_in { AppError::Forbidden } else { AppError::Unauthenticated };
                return view! { <ErrorView error=error/> }.into_any();
            }
            let communities = communities.await.unwrap_or_default();
            let echo = echo.await;
            let place = place_fields(&d, &echo, err);
            let v = move |n: &str, f: String| echoed(&echo, n).unwrap_or(f);
            let slug = d.card.slug.clone();
            let is_clinic = d.card.kind == ProviderKind::Clinic;
            let title = format!("Edit {}", d.card.name);
            let panels = is_clinic.then(|| view! {
                {staff_panel(slug.clone(), d.staff.clone(), d.viewer.is_owner, staff)}
                {clinician_panel(slug.clone(), d.linked.clone(), clinician)}
            });
            view! {
                <Title text=title.clone()/>
                <p><a href=format!("/directory/{slug}")>"← Back to the profile"</a></p>
                <h1>{title}</h1>
                <div class="community-grid">
                    <section class="panel">
                        <ActionForm action=save attr:novalidate=true attr:class="stack">
                            <FormAlert error=err/>
                            <Saved action=save message="Saved. The change is recorded in the history."/>
                            <input type="hidden" name="slug" value=slug.clone()/>
                            <Field label="Name" name="name" value=v("name", d.card.name.clone()) error=field_error(err, "name")/>
                            <crate::ui::TextArea label="Description" name="description" rows=4 value=v("description", d.description.clone())
                                error=field_error(err, "description")/>
                            <fieldset class="radio-group">
                                <legend>"Accepting new patients"</legend>
                                <label><input type="radio" name="accepting" value="yes" checked=d.card.accepting/>" Yes"</label>
                                <label><input type="radio" name="accepting" value="no" checked=!d.card.accepting/>" No"</label>
                            </fieldset>
                            <crate::ui::TextArea label="Opening hours" name="opening_hours" rows=5 value=v("opening_hours", d.opening_hours.clone()) hint="One line per day or group of days, e.g. “Mon–Thu 8:00–17:00”."
                                error=field_error(err, "opening_hours")/>
                            <Field label="Street address" name="address" value=v("address", d.address.clone()) error=field_error(err, "address")/>
                            {place}
                            {profile_choices(&d, &communities, err)}
                            <button type="submit" class="button primary">"Save profile"</button>
                        </ActionForm>
                    </section>
                    <aside>
                        {panels}
                    </aside>
                </div>
            }.into_any()
        })}
    }
}

/// Where the provider is and how to reach it: city, postal code, the map pin, phone, website
/// (as typed when the last save failed).
fn place_fields(
    d: &ProviderDetail,
    echo: &[(String, String)],
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let v = |n: &str, f: String| echoed(echo, n).unwrap_or(f);
    let fmt = |x: Option<f64>| x.map(|x| format!("{x}")).unwrap_or_default();
    view! {
        <div class="grid-2">
            <Field label="City" name="city" value=v("city", d.card.city.clone()) error=field_error(err, "city")/>
            <Field label="Postal code" name="postal_code" value=v("postal_code", d.postal_code.clone()) error=field_error(err, "postal_code")/>
            <Field label="Latitude" name="lat" value=v("lat", fmt(d.lat)) hint="Left empty, the clinic is placed from its postal code or city (and moved when the city changes). Change it to move the pin: decimal degrees, e.g. 51.5194" error=field_error(err, "lat")/>
            <Field label="Longitude" name="lon" value=v("lon", fmt(d.lon)) hint="Decimal degrees, e.g. -0.1478" error=field_error(err, "lon")/>
            <Field label="Phone" name="phone" kind="tel" value=v("phone", d.phone.clone()) error=field_error(err, "phone")/>
            <Field label="Website" name="website" kind="url" value=v("website", d.website.clone()) error=field_error(err, "website")/>
        </div>
    }
}

/// What a provider offers, ticked from lists (specialties, languages, conditions treated), and
/// its logo's colour.
fn profile_choices(
    d: &ProviderDetail,
    communities: &[crate::communities::types::CommunitySummary],
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let ticked = |list: &[String], k: &str| list.iter().any(|s| s == k);
    let specialties = SPECIALTIES
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string(), ticked(&d.specialty_keys, k)))
        .collect();
    let languages = LANGUAGES
        .iter()
        .map(|(k, l)| (k.to_string(), l.to_string(), ticked(&d.languages, k)))
        .collect();
    let conditions = communities
        .iter()
        .map(|c| {
            (
                c.slug.clone(),
                c.name.clone(),
                d.conditions.iter().any(|x| x.slug == c.slug),
            )
        })
        .collect();
    let colour = d.card.colour.clone();
    view! {
        {check_list("Specialties", "specialties", specialties, err)}
        {check_list("Languages spoken", "languages", languages, err)}
        {check_list("Conditions treated", "conditions", conditions, err)}
        <div class="field">
            <label for="f-colour">"Logo colour"</label>
            <select id="f-colour" name="colour">
                {COLOURS.iter().map(|(k, t)| view! { <option value=*k selected=colour == *k>{*t}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A list of checkboxes sent as `name[]`, with the field's error under it.
fn check_list(
    legend: &'static str,
    name: &'static str,
    // (value, label, ticked).
    choices: Vec<(String, String, bool)>,
    err: Signal<Option<AppError>>,
) -> impl IntoView {
    let field = format!("{name}[]");
    view! {
        <fieldset class="checks">
            <legend>{legend}</legend>
            {choices.into_iter().map(|(value, label, on)| view! {
                <label><input type="checkbox" name=field.clone() value=value checked=on/>" "{label}</label>
            }).collect_view()}
            <FieldMessage id=format!("f-{name}-error") error=field_error(err, name)/>
        </fieldset>
    }
}

/// A clinic's staff, and (for its owners) the form that invites or removes them.
fn staff_panel(
    slug: String,
    members: Vec<StaffEntry>,
    is_owner: bool,
    staff: ServerAction<SetStaff>,
) -> impl IntoView {
    let staff_err = action_error(staff);
    view! {
        <Panel id="staff-h" title="Staff">
            <ul class="plain-list">
                {members.iter().map(|s| view! { <li>"@"{s.handle.clone()}{s.owner.then_some(" (owner)")}</li> }).collect_view()}
            </ul>
            {is_owner.then(|| view! {
                <ActionForm action=staff attr:novalidate=true attr:class="stack">
                    <FormAlert error=staff_err/>
                    <input type="hidden" name="slug" value=slug.clone()/>
                    {with_echo(super::super::api::SET_STAFF, staff_err.get_untracked().is_some(), move |echo| view! {
                        <Field label="Member's handle" name="handle" value=echoed(&echo, "handle") error=field_error(staff_err, "handle")/>
                    })}
                    <div class="field">
                        <label for="f-staff-change">"Change"</label>
                        <select id="f-staff-change" name="change">
                            <option value="add">"Invite as staff"</option>
                            <option value="add-owner">"Invite as owner (or make staff an owner)"</option>
                            <option value="remove">"Remove from staff"</option>
                        </select>
                    </div>
                    <p class="hint">"An invitation takes effect when the member accepts it on this clinic's page."</p>
                    <button type="submit" class="button">"Apply"</button>
                </ActionForm>
            })}
        </Panel>
    }
}

/// The clinicians listed at a clinic, and the form that asks one to be listed or removes one.
fn clinician_panel(
    slug: String,
    linked: Vec<NamedLink>,
    clinician: ServerAction<SetClinician>,
) -> impl IntoView {
    let clin_err = action_error(clinician);
    view! {
        <Panel id="clin-h" title="Clinicians listed here">
            <ul class="plain-list">
                {linked.iter().map(|l| view! { <li><a href=format!("/directory/{}", l.slug)>{l.name.clone()}</a></li> }).collect_view()}
            </ul>
            <ActionForm action=clinician attr:novalidate=true attr:class="stack">
                <FormAlert error=clin_err/>
                <input type="hidden" name="slug" value=slug.clone()/>
                {with_echo(super::super::api::SET_CLINICIAN, clin_err.get_untracked().is_some(), move |echo| view! {
                    <Field label="Verified clinician's handle" name="clinician" value=echoed(&echo, "clinician") error=field_error(clin_err, "clinician")/>
                })}
                <div class="field">
                    <label for="f-clin-change">"Change"</label>
                    <select id="f-clin-change" name="change">
                        <option value="add">"Ask to list at this clinic"</option>
                        <option value="remove">"Remove from this clinic"</option>
                    </select>
                </div>
                <p class="hint">"The clinician is listed (with a public directory profile and licence number) once they accept."</p>
                <button type="submit" class="button">"Apply"</button>
            </ActionForm>
        </Panel>
    }
}

/// An admin creates a clinic and names the member who will manage it; the requests of clinics
/// asking to be listed stand above the form, and "List it" fills the form with one.
#[component]
pub fn NewClinicPage() -> impl IntoView {
    let query = use_query_map();
    let session = expect_context::<Session>();
    let action = ServerAction::<CreateClinic>::new();
    let err = action_error(action);
    let echo = echo_resource(
        crate::directory::api::CREATE_CLINIC,
        err.get_untracked().is_some(),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(u)) if u.is_admin => {}
                    Ok(Some(_)) => return view! {
                        <ErrorView error=AppError::Forbidden/>
                        <p class="panel narrow">"Only the site's team adds clinics. Work at a clinic that is not listed? "
                            <a href="/directory/list">"Ask to list it"</a></p>
                    }.into_any(),
                    Ok(None) => return view! { <ErrorView error=AppError::Unauthenticated/> }.into_any(),
                    Err(e) => return view! { <ErrorView error=e/> }.into_any(),
                }
                let echo = echo.await;
                view! {
                    <Title text="New clinic"/>
                    <div class="narrow">
                    <h1>"New clinic"</h1>
                    {listing_requests_panel()}
                    {move || {
                        // What a request's "List it" brought (`?request=…&name=…`, read again
                        // when the app follows it), unless a failed post brought the form back.
                        let asked: Vec<(String, String)> = if echo.is_empty() {
                            query.with(|q| {
                                ["request", "name", "city", "owner"]
                                    .iter()
                                    .filter_map(|k| q.get(k).map(|v| (k.to_string(), v)))
                                    .collect()
                            })
                        } else {
                            Vec::new()
                        };
                        new_clinic_form(action, echo.clone(), asked)
                    }}
                    </div>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The form that creates a clinic: typed after a failed post (`echo`), or filled from a member's
/// request (`asked`, the asker as owner and an address made from the name).
fn new_clinic_form(
    action: ServerAction<CreateClinic>,
    echo: Vec<(String, String)>,
    asked: Vec<(String, String)>,
) -> impl IntoView {
    let err = action_error(action);
    let proposed = echoed(&asked, "name").map(|n| proposed_slug(&n));
    let from_request = echoed(&asked, "request").is_some();
    let v = move |n: &str| echoed(&echo, n).or_else(|| echoed(&asked, n));
    view! {
        <section class="panel" aria-labelledby="new-h">
            <h2 id="new-h">"Add a clinic"</h2>
            {from_request.then(|| view! {
                <p class="alert alert-info">"Filled in from the request: check the address, then create the clinic. The member who asked becomes its owner and is told."</p>
            })}
            <ActionForm action=action attr:novalidate=true attr:class="stack">
                <FormAlert error=err/>
                <input type="hidden" name="request" value=v("request").unwrap_or_default()/>
                <FieldMessage id="f-request-error".into() error=field_error(err, "request")/>
                <Field label="Name" name="name" value=v("name") error=field_error(err, "name")/>
                <Field label="Address" name="slug" value=v("slug").or(proposed) hint="Lowercase letters, digits and hyphens; the page will be /directory/<address>." error=field_error(err, "slug")/>
                <Field label="City" name="city" value=v("city") error=field_error(err, "city")/>
                <Field label="Latitude" name="lat" value=v("lat") hint="Optional: left empty, the clinic starts at its city; staff place it from the postal code." error=field_error(err, "lat")/>
                <Field label="Longitude" name="lon" value=v("lon") error=field_error(err, "lon")/>
                <Field label="Owner's handle" name="owner" value=v("owner") hint="The member who will manage the clinic's profile." error=field_error(err, "owner")/>
                <button type="submit" class="button primary">"Create clinic"</button>
            </ActionForm>
        </section>
    }
}

/// The viewer's invitations to this provider, with what accepting makes public; accepting or
/// declining works without JavaScript.
pub(super) fn invitation_panel(
    slug: String,
    name: String,
    roles: Vec<InviteRole>,
    action: ServerAction<AnswerInvitation>,
) -> impl IntoView {
    let err = action_error(action);
    (!roles.is_empty()).then(move || {
        view! {
            <Panel id="invite-h" title="Your invitation">
                <FormAlert error=err/>
                {roles.into_iter().map(|role| {
                    let what = match role {
                        InviteRole::Clinician => format!("The staff of {name} ask to list you here. Accepting publishes your directory profile: your name, specialty, the clinics you work at and your licence or registration number (so patients can check it). Members can then rate you."),
                        InviteRole::Owner => format!("You are invited to be an owner of {name}: you would edit its profile, manage its staff, answer its contact requests and reply to reviews. Staff cannot rate their own clinic."),
                        InviteRole::Staff => format!("You are invited to the staff of {name}: you would edit its profile, answer its contact requests and reply to reviews. Staff cannot rate their own clinic."),
                    };
                    let slug = slug.clone();
                    view! {
                        <p>{what}</p>
                        <ActionForm action=action attr:class="inline-form">
                            <input type="hidden" name="slug" value=slug/>
                            <input type="hidden" name="role" value=role.as_str()/>
                            <button type="submit" class="button primary" name="answer" value="accept">"Accept"</button>
                            " "
                            <button type="submit" class="button" name="answer" value="decline">"Decline"</button>
                        </ActionForm>
                    }
                }).collect_view()}
            </Panel>
        }
    })
}

/// Any staff member may leave a clinic's staff (the last owner names another first).
pub(super) fn leave_staff_form(slug: String, action: ServerAction<LeaveStaff>) -> impl IntoView {
    let err = action_error(action);
    view! {
        <Panel id="leave-staff-h" title="Your staff role">
            <ActionForm action=action attr:class="stack">
                <FormAlert error=err/>
                <FieldMessage id="f-staff-error".into() error=field_error(err, "staff")/>
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="button">"Leave the staff"</button>
            </ActionForm>
        </Panel>
    }
}
