//! Server functions for pictures: the one upload (a multipart form that works without JavaScript) and removing a picture.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The no-JavaScript echo of the `picture` form (what a failed post typed).
pub const PICTURE: crate::ui::EchoKey = crate::ui::EchoKey("picture");

/// Uploads a picture from a plain multipart form: `target` (avatar, logo, photo, post, reply),
/// `id` (the post's or reply's id, the provider's slug), `alt` and `file`. Answers the new
/// picture's id; a form post is sent back to the page it came from.
#[server(endpoint = "pictures/upload", input = MultipartFormData)]
pub async fn upload_picture(data: MultipartData) -> Result<i64, AppError> {
    use super::types::{field_key, parse_alt, Target};
    let mut target = String::new();
    let mut id = String::new();
    let mut alt = String::new();
    let result = crate::call::member(async |state, user| {
        let upload = read_upload(data).await?;
        target.clone_from(&upload.target);
        id.clone_from(&upload.id);
        alt.clone_from(&upload.alt);
        let (file, too_big) = (upload.file, upload.too_big);
        let key = field_key(&target, &id);
        let t = Target::parse(&target).map_err(|m| AppError::field(&key, m))?;
        let needs_alt = matches!(t, Target::Post | Target::Reply | Target::Photo);
        let alt_text = parse_alt(&alt, needs_alt).map_err(|m| AppError::field(&key, m))?;
        if too_big {
            return Err(AppError::field(
                &key,
                "This picture is larger than 8 MB; the largest we take is 8 MB.",
            ));
        }
        let file = file.unwrap_or_default();
        let place = super::repo::place(&state.db, &user, t, &id)
            .await
            .map_err(|e| match e {
                AppError::Validation(list) => AppError::Validation(
                    list.into_iter()
                        .map(|f| crate::error::FieldError::new(&key, f.message))
                        .collect(),
                ),
                e => e,
            })?;
        crate::auth::repo::hit_rate_limit(
            &state.db,
            &format!("pictures:{}", user.id),
            60,
            60 * 60 * 1000,
        )
        .await?;
        let fit = match t {
            Target::Avatar => super::process::Fit::Square(256),
            Target::Logo => super::process::Fit::Within(512),
            _ => super::process::Fit::Within(1600),
        };
        // Decoding a large photo takes a while: off the async workers.
        let processed = tokio::task::spawn_blocking(move || super::process::process(&file, fit))
            .await
            .map_err(|_| AppError::Internal)?
            .map_err(|m| AppError::field(&key, m))?;
        super::repo::store(&state.db, &user, place, &alt_text, &processed).await
    })
    .await;
    crate::auth::session::finish_form(
        PICTURE,
        &[("target", &target), ("id", &id), ("alt", &alt)],
        result,
    )
}

/// An upload's fields as sent; the file is cut off (and `too_big` set) past the largest we take.
#[cfg(feature = "ssr")]
#[derive(Default)]
struct Upload {
    target: String,
    id: String,
    alt: String,
    file: Option<Vec<u8>>,
    too_big: bool,
}

/// Reads an upload's form: at most eight fields, each but the file at most 2,000 bytes.
#[cfg(feature = "ssr")]
async fn read_upload(data: MultipartData) -> Result<Upload, AppError> {
    let mut form = data.into_inner().ok_or(AppError::BadRequest)?;
    let mut u = Upload::default();
    let mut fields = 0;
    while let Some(mut field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        fields += 1;
        if fields > 8 {
            return Err(AppError::BadRequest);
        }
        let name = field.name().unwrap_or_default().to_string();
        let limit = if name == "file" {
            super::process::MAX_BYTES + 1
        } else {
            2_000
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
            if bytes.len() + chunk.len() > limit {
                u.too_big = name == "file";
                if !u.too_big {
                    return Err(AppError::BadRequest);
                }
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "target" => u.target = text(),
            "id" => u.id = text(),
            "alt" => u.alt = text(),
            "file" => u.file = Some(bytes),
            _ => {}
        }
    }
    Ok(u)
}

/// Removes a picture (its owner; a clinic's logo or photo: its staff or an admin).
#[server(endpoint = "pictures/remove")]
pub async fn remove_picture(id: i64) -> Result<(), AppError> {
    crate::call::member(async |state, user| super::repo::remove(&state.db, &user, id).await).await
}
