//! Picture components: a member's avatar (or their initials), a row of pictures with their alt text, the upload form (plain multipart, works without JavaScript) and the remove button.

use super::api::{RemovePicture, UploadPicture};
use super::types::{field_key, initials, src, tint, Picture, ALT_MAX};
use crate::error::AppError;
use crate::ui::{echo_resource, echoed};
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;

/// A member's avatar, or their initials on a colour of their own; beside their name, so it is
/// decorative for screen readers (empty alt).
#[component]
pub fn Avatar(
    #[prop(into)] handle: String,
    avatar: Option<i64>,
    #[prop(default = 24)] size: u32,
) -> impl IntoView {
    let class = format!("avatar avatar-{size}");
    match avatar {
        Some(id) => view! {
            <img class=class src=src(id) alt="" width=size height=size loading="lazy" decoding="async"/>
        }
        .into_any(),
        None => {
            let tinted = format!("{class} avatar-initials avatar-tint-{}", tint(&handle));
            view! { <span class=tinted aria-hidden="true">{initials(&handle)}</span> }.into_any()
        }
    }
}

/// Pictures in a post, a reply or on a clinic's page, each opening at full size; the author (or
/// the clinic's staff) gets a "Remove" under each.
#[component]
pub fn PictureRow(pictures: Vec<Picture>, #[prop(optional)] removable: bool) -> impl IntoView {
    (!pictures.is_empty()).then(|| {
        view! {
            <div class="picture-row">
                {pictures
                    .into_iter()
                    .map(|p| {
                        let (href, img) = (p.src(), p.src());
                        view! {
                            <figure class="picture">
                                <a href=href>
                                    <img src=img alt=p.alt.clone() width=p.width height=p.height loading="lazy" decoding="async"/>
                                </a>
                                {removable.then(|| view! { <RemovePictureButton id=p.id/> })}
                            </figure>
                        }
                    })
                    .collect_view()}
            </div>
        }
    })
}

/// "Remove" for one picture: a plain form (the page reloads without it).
#[component]
pub fn RemovePictureButton(id: i64) -> impl IntoView {
    view! {
        <form class="inline-form" method="post" action=RemovePicture::url()>
            <input type="hidden" name="id" value=id/>
            <button type="submit" class="link-button small">"Remove picture"</button>
        </form>
    }
}

/// The error a failed upload brought back for this form (`key`), from the address Leptos sent
/// the browser back to.
fn upload_error(key: &str) -> Option<String> {
    let e = use_context::<ServerActionError>()
        .filter(|e| e.path() == UploadPicture::PATH)
        .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()))?;
    match &e {
        AppError::Validation(_) => e.field_message(key),
        _ => Some(e.form_message()),
    }
}

/// Whether the last upload to this form (`target`, `id`) failed: its disclosure opens.
pub fn upload_failed(target: &str, id: &str) -> bool {
    upload_error(&field_key(target, id)).is_some()
}

/// The upload form: a file (JPEG, PNG or WebP) and, for pictures others read, a description.
/// A plain multipart form: it works without JavaScript, and the page reloads with the picture
/// (or with the error under the field and the description kept).
#[component]
pub fn PictureUpload(
    target: &'static str,
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(default = true)] needs_alt: bool,
    #[prop(default = "Upload")] button: &'static str,
) -> impl IntoView {
    let key = field_key(target, &id);
    let error = upload_error(&key);
    let echo = echo_resource(crate::pictures::api::PICTURE, error.is_some());
    let file_id = format!("{key}-file");
    let alt_id = format!("{key}-alt");
    let hint_id = format!("{key}-hint");
    let err_id = format!("{key}-error");
    let described = if error.is_some() {
        format!("{hint_id} {err_id}")
    } else {
        hint_id.clone()
    };
    let has_error = error.is_some();
    let (t, i) = (target.to_string(), id.clone());
    let alt_field = needs_alt.then(|| {
        let alt_id2 = alt_id.clone();
        view! {
            <div class="field">
                <label for=alt_id2>"Describe it for people who cannot see it"</label>
                <Suspense fallback=|| ()>
                    {move || {
                        let (t, i, alt_id) = (t.clone(), i.clone(), alt_id.clone());
                        Suspend::new(async move {
                            let typed = echo.await;
                            let value = (echoed(&typed, "target").as_deref() == Some(t.as_str())
                                && echoed(&typed, "id").as_deref() == Some(i.as_str()))
                                .then(|| echoed(&typed, "alt"))
                                .flatten()
                                .unwrap_or_default();
                            view! {
                                <input id=alt_id type="text" name="alt" required maxlength=ALT_MAX value=value
                                    placeholder="For example: my pill organiser for the week"/>
                            }
                        })
                    }}
                </Suspense>
            </div>
        }
    });
    view! {
        <form class="picture-upload" method="post" enctype="multipart/form-data" action=UploadPicture::url()>
            <input type="hidden" name="target" value=target/>
            <input type="hidden" name="id" value=id/>
            <div class="field" class:has-error=has_error>
                <label for=file_id.clone()>{label}</label>
                <p class="hint" id=hint_id>"JPEG, PNG or WebP, up to 8 MB. We keep only the picture: where and with what it was taken are removed."</p>
                <input id=file_id type="file" name="file" accept="image/jpeg,image/png,image/webp" required aria-describedby=described/>
                {error.map(|m| view! { <p class="field-error" id=err_id role="alert">{m}</p> })}
            </div>
            {alt_field}
            <button type="submit">{button}</button>
        </form>
    }
}

/// "Add a picture" under a post or reply of one's own (or a clinic's page): a disclosure that
/// opens by itself when the last upload to it failed.
#[component]
pub fn AddPicture(
    target: &'static str,
    #[prop(into)] id: String,
    /// Pictures there already.
    count: usize,
    limit: usize,
) -> impl IntoView {
    let open = upload_failed(target, &id);
    (count < limit).then(|| {
        view! {
            <details class="add-picture" open=open>
                <summary>{format!("Add a picture ({count} of {limit})")}</summary>
                <PictureUpload target=target id=id label="Picture"/>
            </details>
        }
    })
}
