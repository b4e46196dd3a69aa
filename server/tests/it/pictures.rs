//! Pictures on both backends: avatars and images in posts and replies (upload, alt text, four at most, remove), checks by content (a polyglot file, HTML named .png, a GIF, an oversized file, too many pixels), EXIF and GPS stripped (read back), clinic logos by staff only, and a closed group's images hidden from outsiders.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use reqwest::{header, Client, StatusCode};
use serde_json::Value;
use std::io::Cursor;

both_backends!(
    members_add_avatars_and_pictures_to_their_posts,
    uploads_are_checked_by_their_content,
    location_and_camera_details_are_removed,
    clinic_logos_are_for_the_clinic_staff,
    a_closed_groups_pictures_stay_in_the_group,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    app.member_of_ms(handle, PW).await
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format)
        .expect("encode");
    out
}

fn photo(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    }))
}

/// A small picture, for tests elsewhere.
pub(crate) fn tiny_png() -> Vec<u8> {
    encode(&photo(16, 16), ImageFormat::Png)
}

/// Posts a multipart upload the way the browser's form does.
pub(crate) async fn upload(
    app: &TestApp,
    c: &Client,
    target: &str,
    id: &str,
    alt: &str,
    file: &[u8],
) -> crate::common::Reply {
    let boundary = "----hcpicturetestboundary";
    let mut body = Vec::new();
    for (name, value) in [("target", target), ("id", id), ("alt", alt)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"picture.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = c
        .post(format!("{}/api/pictures/upload", app.base))
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, &app.base)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("request");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.text().await.expect("body");
    crate::common::Reply {
        status,
        headers,
        body,
    }
}

async fn fetch(app: &TestApp, c: &Client, id: i64) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let res = c
        .get(format!("{}/img/{id}", app.base))
        .send()
        .await
        .expect("request");
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, res.bytes().await.expect("body").to_vec())
}

async fn post(app: &TestApp, c: &Client, title: &str, extra: &[(&str, &str)]) -> i64 {
    let mut form = vec![
        ("community", "ms"),
        ("kind", "discussion"),
        ("title", title),
        ("body", "My week in pictures."),
        ("tags", ""),
    ];
    if !extra.iter().any(|(k, _)| *k == "visibility") {
        form.push(("visibility", "public"));
    }
    form.extend_from_slice(extra);
    app.call_as(c, "post/create", &form)
        .await
        .ok()
        .as_i64()
        .expect("post id")
}

async fn thread(app: &TestApp, c: &Client, id: i64) -> Value {
    app.call_as(c, "post", &[("id", &id.to_string())])
        .await
        .ok()
}

fn field_message(e: &AppError, key: &str) -> String {
    e.field_message(key)
        .unwrap_or_else(|| panic!("no message for {key} in {e:?}"))
}

async fn members_add_avatars_and_pictures_to_their_posts(app: TestApp) {
    app.admin_with_community().await;
    let ann = member(&app, "pic_ann").await;
    let bob = member(&app, "pic_bob").await;

    // The avatar: a square cut from the middle, shown beside the member's name everywhere.
    let avatar = upload(
        &app,
        &ann,
        "avatar",
        "me",
        "",
        &encode(&photo(600, 400), ImageFormat::Png),
    )
    .await
    .ok()
    .as_i64()
    .expect("avatar id");
    let (status, headers, bytes) = fetch(&app, &new_client(), avatar).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert!(headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap_or_default()
        .starts_with("public"));
    let img = image::load_from_memory(&bytes).expect("a picture");
    assert_eq!((img.width(), img.height()), (256, 256));
    let me = app.call_as(&ann, "current_user", &[]).await.ok();
    assert_eq!(me["avatar"].as_i64(), Some(avatar), "{me}");
    // Replacing it removes the old one.
    let second = upload(
        &app,
        &ann,
        "avatar",
        "me",
        "",
        &encode(&photo(300, 300), ImageFormat::Png),
    )
    .await
    .ok()
    .as_i64()
    .expect("avatar id");
    assert_eq!(fetch(&app, &ann, avatar).await.0, StatusCode::NOT_FOUND);

    // A picture in a post needs its description; the post's author only; four at most.
    let id = post(&app, &ann, "Pill organiser", &[]).await;
    let key = format!("picture-post-{id}");
    let png = encode(&photo(2400, 1200), ImageFormat::Png);
    let e = upload(&app, &ann, "post", &id.to_string(), "  ", &png)
        .await
        .error();
    assert!(field_message(&e, &key).contains("Describe"), "{e:?}");
    let e = upload(&app, &bob, "post", &id.to_string(), "Not mine", &png)
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    let mut ids = Vec::new();
    for n in 0..4 {
        let alt = format!("My pill organiser, day {n}");
        ids.push(
            upload(&app, &ann, "post", &id.to_string(), &alt, &png)
                .await
                .ok()
                .as_i64()
                .expect("picture id"),
        );
    }
    let e = upload(&app, &ann, "post", &id.to_string(), "A fifth", &png)
        .await
        .error();
    assert!(field_message(&e, &key).contains("4 pictures"), "{e:?}");
    let page = thread(&app, &bob, id).await;
    let pictures = page["pictures"].as_array().expect("pictures");
    assert_eq!(pictures.len(), 4);
    assert_eq!(pictures[0]["alt"], "My pill organiser, day 0");
    assert_eq!(
        (
            pictures[0]["width"].as_i64(),
            pictures[0]["height"].as_i64()
        ),
        (Some(1600), Some(800))
    );
    assert_eq!(page["post"]["author"]["avatar"].as_i64(), Some(second));
    let (status, headers, _) = fetch(&app, &new_client(), ids[0]).await;
    assert_eq!(status, StatusCode::OK);
    // The same bytes for ever: a browser asks again with the tag and gets 304.
    let etag = headers[header::ETAG].clone();
    let res = new_client()
        .get(format!("{}/img/{}", app.base, ids[0]))
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    // A reply's picture; bob cannot remove ann's; ann removes hers.
    let reply = app
        .call_as(
            &bob,
            "reply/create",
            &[("post_id", &id.to_string()), ("body", "Looks tidy!")],
        )
        .await
        .ok()
        .as_i64()
        .expect("reply id");
    let rp = upload(
        &app,
        &bob,
        "reply",
        &reply.to_string(),
        "My own organiser",
        &png,
    )
    .await
    .ok()
    .as_i64()
    .expect("reply picture");
    let page = thread(&app, &ann, id).await;
    assert_eq!(page["replies"][0]["pictures"][0]["id"].as_i64(), Some(rp));
    let e = app
        .call_as(&bob, "pictures/remove", &[("id", &ids[0].to_string())])
        .await
        .error();
    assert_eq!(e, AppError::NotFound);
    app.call_as(&ann, "pictures/remove", &[("id", &ids[0].to_string())])
        .await
        .ok();
    assert_eq!(fetch(&app, &ann, ids[0]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        thread(&app, &bob, id).await["pictures"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );

    // Deleting the post deletes its pictures, the replies' too.
    app.call_as(&ann, "post/delete", &[("id", &id.to_string())])
        .await
        .ok();
    for gone in [ids[1], rp] {
        assert_eq!(fetch(&app, &ann, gone).await.0, StatusCode::NOT_FOUND);
    }
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE post_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(left, 0);
}

/// A PNG whose header claims `w` × `h` pixels (nothing behind it is read).
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
    for chunk in [&b"IDAT"[..], &b"IEND"[..]] {
        out.extend_from_slice(&0u32.to_be_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(&crc32fast::hash(chunk).to_be_bytes());
    }
    out
}

async fn uploads_are_checked_by_their_content(app: TestApp) {
    app.admin_with_community().await;
    let ann = member(&app, "chk_ann").await;
    let id = post(&app, &ann, "Checked pictures", &[]).await;
    let key = format!("picture-post-{id}");
    let send = |file: Vec<u8>| {
        let (app, ann, id) = (&app, &ann, id.to_string());
        async move { upload(app, ann, "post", &id, "A picture", &file).await }
    };
    // Not a picture, whatever the name says.
    for bad in [
        b"<html><script>alert(document.cookie)</script></html>".to_vec(),
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;".to_vec(),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec(),
    ] {
        let e = send(bad).await.error();
        assert!(field_message(&e, &key).contains("JPEG, PNG or WebP"), "{e:?}");
    }
    // Too large a file, too many pixels.
    let e = send(vec![0xFF; 9 * 1024 * 1024]).await.error();
    assert!(field_message(&e, &key).contains("8 MB"), "{e:?}");
    let e = send(png_header(9_000, 9_000)).await.error();
    assert!(field_message(&e, &key).contains("megapixels"), "{e:?}");
    // A polyglot: a real PNG with a script and a zip appended. What is stored is only the
    // picture, re-encoded: none of the payload survives.
    let mut polyglot = encode(&photo(64, 48), ImageFormat::Png);
    polyglot.extend_from_slice(b"<script>alert('polyglot')</script>PK\x03\x04payload.html");
    let pid = send(polyglot).await.ok().as_i64().expect("picture id");
    let (status, headers, bytes) = fetch(&app, &ann, pid).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap_or_default()
        .contains("sandbox"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("script") && !text.contains("PK\u{3}\u{4}"),
        "the payload survived"
    );
    assert_eq!(image::guess_format(&bytes).ok(), Some(ImageFormat::Jpeg));
    // Nothing was stored for the refused ones.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM images WHERE post_id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(n, 1);
    // Visitors cannot upload.
    let e = upload(
        &app,
        &new_client(),
        "avatar",
        "me",
        "",
        &encode(&photo(10, 10), ImageFormat::Png),
    )
    .await
    .error();
    assert_eq!(e, AppError::Unauthenticated);
}

/// An EXIF block (big-endian TIFF) with an orientation (6: turn 90° clockwise) and a GPS
/// position, as a phone writes it.
fn exif_with_gps() -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    // IFD0 at 8: two entries, then the next-IFD offset.
    tiff.extend_from_slice(&2u16.to_be_bytes());
    // Orientation (0x0112), SHORT, 1, value 6.
    tiff.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0]);
    // GPSInfo (0x8825), LONG, 1, offset 38.
    tiff.extend_from_slice(&[0x88, 0x25, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD at 38: latitude reference "N" and the latitude 52° 31' 12" as three rationals.
    tiff.extend_from_slice(&2u16.to_be_bytes());
    tiff.extend_from_slice(&[0x00, 0x01, 0x00, 0x02, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend_from_slice(&[0x00, 0x02, 0x00, 0x05, 0, 0, 0, 3, 0, 0, 0, 68]);
    tiff.extend_from_slice(&0u32.to_be_bytes());
    for (n, d) in [(52u32, 1u32), (31, 1), (12, 1)] {
        tiff.extend_from_slice(&n.to_be_bytes());
        tiff.extend_from_slice(&d.to_be_bytes());
    }
    let mut payload = b"Exif\x00\x00".to_vec();
    payload.extend_from_slice(&tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(&payload);
    segment
}

async fn location_and_camera_details_are_removed(app: TestApp) {
    app.admin_with_community().await;
    let ann = member(&app, "gps_ann").await;
    let id = post(&app, &ann, "A photo from my walk", &[]).await;
    let jpeg = encode(&photo(80, 40), ImageFormat::Jpeg);
    // Insert the EXIF block right after the JPEG's start marker.
    let mut with_gps = jpeg[..2].to_vec();
    with_gps.extend_from_slice(&exif_with_gps());
    with_gps.extend_from_slice(&jpeg[2..]);
    assert!(with_gps.windows(6).any(|w| w == b"Exif\x00\x00"));
    assert!(
        image::load_from_memory(&with_gps).is_ok(),
        "the test photo is a JPEG"
    );
    let pid = upload(
        &app,
        &ann,
        "post",
        &id.to_string(),
        "The lake on my walk",
        &with_gps,
    )
    .await
    .ok()
    .as_i64()
    .expect("picture id");
    let (_, _, stored) = fetch(&app, &ann, pid).await;
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "EXIF was kept");
    assert!(
        !stored.windows(2).any(|w| w == [0xFF, 0xE1]),
        "an APP1 segment was kept"
    );
    assert!(
        !stored.windows(2).any(|w| w == b"MM"),
        "a TIFF header was kept"
    );
    // The orientation note was applied before it went: the photo stands upright.
    let img = image::load_from_memory(&stored).expect("a picture");
    assert_eq!((img.width(), img.height()), (40, 80));
}

async fn clinic_logos_are_for_the_clinic_staff(app: TestApp) {
    let admin = app.admin_with_community().await;
    app.call_as(
        &admin,
        "directory/create_clinic",
        &[
            ("name", "Lakeside MS Clinic"),
            ("slug", "lakeside"),
            ("city", "Berlin"),
            ("lat", ""),
            ("lon", ""),
            ("owner", "root_admin"),
        ],
    )
    .await
    .ok();
    let bob = member(&app, "logo_bob").await;
    let logo = encode(&photo(900, 300), ImageFormat::Png);
    let e = upload(&app, &bob, "logo", "lakeside", "", &logo)
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    let e = upload(&app, &bob, "photo", "lakeside", "Our waiting room", &logo)
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    let id = upload(&app, &admin, "logo", "lakeside", "", &logo)
        .await
        .ok()
        .as_i64()
        .expect("logo id");
    let photo_id = upload(&app, &admin, "photo", "lakeside", "Our waiting room", &logo)
        .await
        .ok()
        .as_i64()
        .expect("photo id");
    let detail = app
        .call_as(&bob, "provider", &[("slug", "lakeside")])
        .await
        .ok();
    assert_eq!(detail["card"]["logo"].as_i64(), Some(id));
    assert_eq!(detail["photos"][0]["id"].as_i64(), Some(photo_id));
    assert_eq!(detail["photos"][0]["alt"], "Our waiting room");
    let (status, _, bytes) = fetch(&app, &new_client(), id).await;
    assert_eq!(status, StatusCode::OK);
    let img = image::load_from_memory(&bytes).expect("a picture");
    assert_eq!((img.width(), img.height()), (512, 171));
    // Bob cannot take it down; the clinic's admin can.
    let e = app
        .call_as(&bob, "pictures/remove", &[("id", &id.to_string())])
        .await
        .error();
    assert_eq!(e, AppError::Forbidden);
    app.call_as(&admin, "pictures/remove", &[("id", &id.to_string())])
        .await
        .ok();
    let detail = app
        .call_as(&bob, "provider", &[("slug", "lakeside")])
        .await
        .ok();
    assert!(detail["card"]["logo"].is_null(), "{}", detail["card"]);
}

async fn a_closed_groups_pictures_stay_in_the_group(app: TestApp) {
    let admin = app.admin_with_community().await;
    let (gmod, slug) = app.private_group_by_gmod("Caregivers").await;
    let id = post(
        &app,
        &gmod,
        "Our kitchen, adapted",
        &[("group", slug.as_str())],
    )
    .await;
    let png = encode(&photo(120, 80), ImageFormat::Png);
    let pid = upload(
        &app,
        &gmod,
        "post",
        &id.to_string(),
        "Grab rails by the sink",
        &png,
    )
    .await
    .ok()
    .as_i64()
    .expect("picture id");
    // The group's member sees it, kept by their own browser only.
    let (status, headers, _) = fetch(&app, &gmod, pid).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap_or_default()
        .starts_with("private"));
    // A member of the community who is not in the group, a visitor, an admin outside it: nothing.
    let outsider = member(&app, "outsider_olga").await;
    for c in [&outsider, &new_client(), &admin] {
        let (status, _, bytes) = fetch(&app, c, pid).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(image::load_from_memory(&bytes).is_err());
    }
    // And the thread does not name its pictures to them.
    let e = app
        .call_as(&outsider, "post", &[("id", &id.to_string())])
        .await
        .error();
    assert_eq!(e, AppError::NotFound);
    // A members-only post's picture: for the community, not for visitors.
    let members_only = post(&app, &gmod, "Members only", &[("visibility", "members")]).await;
    let mo = upload(
        &app,
        &gmod,
        "post",
        &members_only.to_string(),
        "A quiet corner",
        &png,
    )
    .await
    .ok()
    .as_i64()
    .expect("picture id");
    assert_eq!(
        fetch(&app, &new_client(), mo).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(fetch(&app, &outsider, mo).await.0, StatusCode::OK);
}
