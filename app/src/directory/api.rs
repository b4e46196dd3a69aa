//! Directory server functions: search, profiles, staff and clinicians, ratings, review codes, replies, reports and disputes, contact requests.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;

/// Searches clinics and clinicians; every field is text so bad input comes back as a field error.
#[server(endpoint = "directory")]
pub async fn search_directory(query: DirectoryQuery) -> Result<DirectoryResults, AppError> {
    crate::call::public(async |state| {
        let mut c = crate::error::Checker::new();
        let q = &query;
        let specialty = c.check("specialty", parse_specialty(&q.specialty, true));
        let language = c.check("language", parse_keys(&q.language, LANGUAGES, "language"));
        let lat = c.check("lat", parse_lat(&q.lat)).flatten();
        let lon = c.check("lon", parse_lon(&q.lon)).flatten();
        let radius = c.check("radius", parse_radius(&q.radius));
        let place = c.check("place", parse_optional(&q.place, 100, "the place"));
        c.finish()?;
        let search = super::repo::Search {
            kind: match q.kind.as_str() {
                "clinic" => Some(ProviderKind::Clinic),
                "clinician" => Some(ProviderKind::Clinician),
                _ => None,
            },
            specialty: specialty.filter(|s| !s.is_empty()),
            condition: Some(q.condition.trim().to_string()).filter(|s| !s.is_empty()),
            language: language.and_then(|l| l.into_iter().next()),
            accepting: q.accepting == "yes",
            place: place.filter(|p| !p.is_empty()),
            position: lat.zip(lon),
            radius_km: radius.unwrap_or(RADIUS_DEFAULT_KM),
            by_rating: q.sort == "rating",
        };
        super::repo::search(&state.db, &search).await
    })
    .await
}

#[server(endpoint = "provider")]
pub async fn get_provider(slug: String) -> Result<ProviderDetail, AppError> {
    crate::call::public(async |state| {
        let viewer = crate::auth::api::session::current().await?;
        let mut detail = super::repo::detail(&state.db, &slug, viewer.as_ref()).await?;
        detail.saved = crate::saved::repo::ref_saved(
            &state.db,
            viewer.as_ref(),
            crate::saved::types::RefKind::Provider,
            &slug,
        )
        .await?;
        Ok(detail)
    })
    .await
}

/// The best-rated providers for a community's condition (the community sidebar).
#[server(endpoint = "providers/top")]
pub async fn top_providers(community: String) -> Result<Vec<ProviderCard>, AppError> {
    crate::call::public(async |state| super::repo::top_for_community(&state.db, &community).await)
        .await
}

/// The no-JavaScript echo of the `create_clinic` form (what a failed post typed).
pub const CREATE_CLINIC: crate::ui::EchoKey = crate::ui::EchoKey("create_clinic");

/// An admin creates a clinic and names its owner.
#[server(endpoint = "directory/create_clinic")]
pub async fn create_clinic(#[server(flatten)] form: ClinicForm) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let input = form.check()?;
        super::repo::create_clinic(&state.db, &admin, &input).await?;
        leptos_axum::redirect(&format!("/directory/{}/edit", input.slug));
        Ok(())
    })
    .await;
    crate::auth::session::finish_form_of(CREATE_CLINIC, &form, &[], result)
}

/// The no-JavaScript echo of the `save_profile` form (what a failed post typed).
pub const SAVE_PROFILE: crate::ui::EchoKey = crate::ui::EchoKey("save_profile");

/// Staff save every field of the profile (`ProfileForm`).
#[server(endpoint = "directory/save")]
pub async fn save_profile(
    slug: String,
    #[server(flatten)] form: ProfileForm,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let input = form.check()?;
        super::repo::update_profile(&state.db, &user, &slug, &input).await
    })
    .await;
    crate::auth::session::finish_form_of(SAVE_PROFILE, &form, &[], result)
}

/// The no-JavaScript echo of the `set_staff` form (what a failed post typed).
pub const SET_STAFF: crate::ui::EchoKey = crate::ui::EchoKey("set_staff");

/// Owners add ("add", "add-owner") or remove ("remove") clinic staff.
#[server(endpoint = "directory/staff")]
pub async fn set_staff(slug: String, handle: String, change: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let (add, owner) = match change.as_str() {
            "add" => (true, false),
            "add-owner" => (true, true),
            "remove" => (false, false),
            _ => return Err(AppError::field("change", "Choose add or remove.")),
        };
        super::repo::set_staff(&state.db, &user, &slug, &handle, add, owner).await
    })
    .await;
    crate::auth::session::finish_form(SET_STAFF, &[("handle", &handle)], result)
}

/// The no-JavaScript echo of the `set_clinician` form (what a failed post typed).
pub const SET_CLINICIAN: crate::ui::EchoKey = crate::ui::EchoKey("set_clinician");

/// Staff list ("add") or unlist ("remove") a verified clinician at the clinic.
#[server(endpoint = "directory/clinician")]
pub async fn set_clinician(
    slug: String,
    clinician: String,
    change: String,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        super::repo::set_clinician(&state.db, &user, &slug, &clinician, change != "remove").await
    })
    .await;
    crate::auth::session::finish_form(SET_CLINICIAN, &[("clinician", &clinician)], result)
}

/// The member answers their invitation to a provider: `answer` is "accept" or "decline";
/// `role` is "staff", "owner" or "clinician".
#[server(endpoint = "directory/invitation")]
pub async fn answer_invitation(slug: String, role: String, answer: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let role = InviteRole::parse(&role).ok_or(AppError::BadRequest)?;
        let accept = match answer.as_str() {
            "accept" => true,
            "decline" => false,
            _ => return Err(AppError::BadRequest),
        };
        super::consent::respond(&state.db, &user, &slug, role, accept).await
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// A staff member leaves the clinic's staff.
#[server(endpoint = "directory/leave_staff")]
pub async fn leave_staff(slug: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        super::consent::leave(&state.db, &user, &slug).await
    })
    .await;
    crate::auth::session::finish_post(result)
}

/// The no-JavaScript echo of the `rate_provider` form (what a failed post typed).
pub const RATE_PROVIDER: crate::ui::EchoKey = crate::ui::EchoKey("rate_provider");

/// Rates a provider or edits the member's rating (`RatingForm`).
#[server(endpoint = "directory/rate")]
pub async fn rate_provider(
    slug: String,
    #[server(flatten)] form: RatingForm,
) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let input = form.check()?;
        crate::state::limit_writes(&state, user.id, crate::state::Write::Rating).await?;
        super::repo::rate(&state.db, &user, &slug, &input).await
    })
    .await;
    crate::auth::session::finish_form_of(RATE_PROVIDER, &form, &[], result)
}

/// A new one-time review code to hand to a patient (staff only).
#[server(endpoint = "directory/code")]
pub async fn new_review_code(slug: String) -> Result<String, AppError> {
    crate::call::member(async |state, user| {
        let code = super::repo::new_code(&state.db, &user, &slug).await?;
        // Without JavaScript the page is reloaded: show the code there (it works once and expires).
        if crate::state::is_plain_form_post() {
            leptos_axum::redirect(&format!("/directory/{slug}?code={code}"));
        }
        Ok(code)
    })
    .await
}

/// The no-JavaScript echo of the `reply_review` form (what a failed post typed).
pub const REPLY_REVIEW: crate::ui::EchoKey = crate::ui::EchoKey("reply_review");

/// The provider's public reply to a review.
#[server(endpoint = "directory/reply")]
pub async fn reply_review(review: i64, body: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let text = parse_required(&body, 2000, "the reply", "Write your reply.")
            .map_err(|e| AppError::field("reply", e))?;
        super::repo::reply(&state.db, &user, review, &text).await
    })
    .await;
    crate::auth::session::finish_form(
        REPLY_REVIEW,
        &[("review", &review.to_string()), ("body", &body)],
        result,
    )
}

/// The no-JavaScript echo of the `report_review` form (what a failed post typed).
pub const REPORT_REVIEW: crate::ui::EchoKey = crate::ui::EchoKey("report_review");

/// "report" (anyone logged in) or "dispute" (the provider) a review, with a reason.
#[server(endpoint = "directory/report")]
pub async fn report_review(review: i64, kind: String, reason: String) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let text = parse_required(
            &reason,
            1000,
            "the reason",
            "Say what is wrong with this review.",
        )
        .map_err(|e| AppError::field("reason", e))?;
        crate::state::limit_writes(&state, user.id, crate::state::Write::Report).await?;
        super::repo::report(&state.db, &user, review, &text, kind == "dispute").await
    })
    .await;
    crate::auth::session::finish_form(
        REPORT_REVIEW,
        &[
            ("review", &review.to_string()),
            ("kind", &kind),
            ("reason", &reason),
        ],
        result,
    )
}

#[server(endpoint = "directory/reports")]
pub async fn open_reports() -> Result<Vec<OpenReport>, AppError> {
    crate::call::admin(async |state, _admin| super::repo::open_reports(&state.db).await).await
}

/// An admin resolves a report: `outcome` "keep" or "hide".
#[server(endpoint = "directory/resolve")]
pub async fn resolve_report(report: i64, outcome: String) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| {
        let hide = match outcome.as_str() {
            "hide" => true,
            "keep" => false,
            _ => return Err(AppError::field("outcome", "Choose keep or hide.")),
        };
        super::repo::resolve(&state.db, &admin, report, hide).await
    })
    .await
}

/// The no-JavaScript echo of the `contact_clinic` form (what a failed post typed).
pub const CONTACT_CLINIC: crate::ui::EchoKey = crate::ui::EchoKey("contact_clinic");

/// A member's contact or appointment request to a clinic; opens the request's thread.
#[server(endpoint = "directory/contact")]
pub async fn contact_clinic(
    slug: String,
    #[server(flatten)] form: ContactForm,
) -> Result<i64, AppError> {
    let result = crate::call::member(async |state, user| {
        let input = form.check()?;
        crate::state::limit_writes(&state, user.id, crate::state::Write::Contact).await?;
        let id = super::repo::contact(&state.db, &state.settings.public_url, &user, &slug, &input)
            .await?;
        leptos_axum::redirect(&format!("/requests/{id}"));
        Ok(id)
    })
    .await;
    crate::auth::session::finish_form_of(CONTACT_CLINIC, &form, &[], result)
}

#[server(endpoint = "directory/inbox")]
pub async fn clinic_inbox(slug: String) -> Result<ClinicRequests, AppError> {
    crate::call::member(async |state, user| super::repo::inbox(&state.db, &user, &slug).await).await
}

#[server(endpoint = "requests")]
pub async fn my_requests() -> Result<Vec<ContactSummary>, AppError> {
    crate::call::reader(async |state, user| super::repo::my_requests(&state.db, &user).await).await
}

#[server(endpoint = "request")]
pub async fn get_request(id: i64) -> Result<ContactThread, AppError> {
    crate::call::reader(async |state, user| super::repo::thread(&state.db, &user, id).await).await
}

/// The no-JavaScript echo of the `answer_request` form (what a failed post typed).
pub const ANSWER_REQUEST: crate::ui::EchoKey = crate::ui::EchoKey("answer_request");

/// A message in a request's thread; staff may close the request (`close` = "yes").
#[server(endpoint = "request/answer")]
pub async fn answer_request(id: i64, body: String, close: Option<String>) -> Result<(), AppError> {
    let close = close.as_deref() == Some("yes");
    let result = crate::call::member(async |state, user| {
        let text = parse_optional(&body, REQUEST_MAX, "the message")
            .map_err(|e| AppError::field("body", e))?;
        if text.is_empty() && !close {
            return Err(AppError::field("body", "Write a message."));
        }
        super::repo::answer(&state.db, &user, id, &text, close).await
    })
    .await;
    crate::auth::session::finish_form(ANSWER_REQUEST, &[("body", &body)], result)
}

/// The no-JavaScript echo of the `ask_listing` form (what a failed post typed).
pub const ASK_LISTING: crate::ui::EchoKey = crate::ui::EchoKey("ask_listing");

/// A member who works at a clinic asks the site's team to list it.
#[server(endpoint = "directory/ask_listing")]
pub async fn ask_listing(#[server(flatten)] form: ListingForm) -> Result<(), AppError> {
    let result = crate::call::member(async |state, user| {
        let input = form.check()?;
        crate::state::limit_writes(&state, user.id, crate::state::Write::Contact).await?;
        super::repo::ask(&state.db, user.id, &input).await?;
        leptos_axum::redirect("/directory/list?asked=1");
        Ok(())
    })
    .await;
    crate::auth::session::finish_form_of(ASK_LISTING, &form, &[], result)
}

/// The reader's requests to be listed, newest first (none for a visitor, whose page explains).
#[server(endpoint = "directory/my_listing_requests")]
pub async fn my_listing_requests() -> Result<Vec<MyListingRequest>, AppError> {
    crate::call::public(async |state| match crate::access::viewer().await? {
        Some(v) => super::repo::mine(&state.db, v.id).await,
        None => Ok(Vec::new()),
    })
    .await
}

/// Requests waiting for the site's team (admins), oldest first, a page after `after`.
#[server(endpoint = "directory/listing_requests")]
pub async fn listing_requests(
    after: Option<i64>,
) -> Result<crate::admin::types::Page<OpenListingRequest>, AppError> {
    crate::call::admin(async |state, _admin| super::repo::open(&state.db, after).await).await
}

/// An admin declines request `id`; the reason is what the asker reads.
#[server(endpoint = "directory/decline_listing")]
pub async fn decline_listing(id: i64, reason: String) -> Result<(), AppError> {
    let result = crate::call::admin(async |state, admin| {
        let reason = crate::admin::types::parse_reason(&reason).map_err(|_| {
            AppError::field(
                &format!("reason-{id}"),
                "Tell the clinic why (at most 300 characters).",
            )
        })?;
        super::repo::decline(&state.db, admin.id, id, &reason).await
    })
    .await;
    crate::auth::session::finish_post(result)
}
