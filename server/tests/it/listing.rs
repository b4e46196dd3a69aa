//! Asking to be listed on both backends: a clinic's member asks, the site's team lists the clinic (the asker its owner) or declines with a reason, the asker is told; who may see and answer the requests; bad input and the open-request limit.

use crate::common::{new_client, TestApp};
use app::error::AppError;
use reqwest::{Client, StatusCode};
use serde_json::Value;

both_backends!(
    a_clinic_asks_to_be_listed_and_the_team_lists_it,
    the_team_declines_with_a_reason_and_only_the_team_sees_requests,
);

const PW: &str = "correct-horse-1";

async fn member(app: &TestApp, handle: &str) -> Client {
    let c = new_client();
    app.signup_as(&c, handle, PW).await.ok();
    c
}

fn ask_form<'a>(name: &'a str, note: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("city", "Hamburg"),
        ("website", "www.Elbe-Praxis.example.org/team"),
        ("role", "Practice manager"),
        ("note", note),
    ]
}

/// The member's requests as the server gives them.
async fn mine(app: &TestApp, c: &Client) -> Vec<Value> {
    app.call_as(c, "directory/my_listing_requests", &[])
        .await
        .ok()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The texts of the member's notifications.
async fn told(app: &TestApp, c: &Client) -> Vec<String> {
    app.call_as(c, "notifications", &[]).await.ok()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|n| n["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn a_clinic_asks_to_be_listed_and_the_team_lists_it(app: TestApp) {
    let admin = app.admin_with_community().await;
    // A visitor reads what it is and is asked to log in; asking needs an account.
    let (status, html) = app.get("/directory/list").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("List your clinic") && html.contains("Log in to ask"),
        "{html}"
    );
    assert_eq!(
        app.call("directory/ask_listing", &ask_form("Elbe Praxis", ""))
            .await
            .error(),
        AppError::Unauthenticated
    );
    // The directory's page leads there.
    assert!(app
        .get("/directory")
        .await
        .1
        .contains(r#"href="/directory/list""#));

    let cleo = member(&app, "cleo_clinic").await;
    // Every field's error at once; nothing is stored.
    let e = app
        .call_as(
            &cleo,
            "directory/ask_listing",
            &[
                ("name", " "),
                ("city", ""),
                ("website", "not a site"),
                ("role", ""),
                ("note", ""),
            ],
        )
        .await
        .error();
    for field in ["name", "city", "website", "role"] {
        assert!(e.field_message(field).is_some(), "{field}: {e:?}");
    }
    assert!(mine(&app, &cleo).await.is_empty());

    app.call_as(
        &cleo,
        "directory/ask_listing",
        &ask_form("Elbe Praxis", "Call the front desk."),
    )
    .await
    .ok();
    let list = mine(&app, &cleo).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["name"], "Elbe Praxis");
    assert!(list[0]["outcome"].is_null(), "{list:?}");
    let html = app.html_as(&cleo, "/directory/list").await;
    assert!(
        html.contains("Elbe Praxis") && html.contains("Waiting for the team"),
        "{html}"
    );

    // The team is told, and sees it with the asker and the website as typed (made a full address).
    assert!(
        told(&app, &admin)
            .await
            .contains(&"Elbe Praxis in Hamburg asks to be listed in the directory".to_string()),
        "{:?}",
        told(&app, &admin).await
    );
    let open = app
        .call_as(&admin, "directory/listing_requests", &[])
        .await
        .ok();
    let items = open["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{open}");
    let request = &items[0];
    assert_eq!(request["handle"], "cleo_clinic");
    assert_eq!(
        request["website"],
        "https://www.elbe-praxis.example.org/team"
    );
    assert_eq!(request["note"], "Call the front desk.");
    let id = request["id"].as_i64().expect("request id").to_string();
    let html = app.html_as(&admin, "/directory/new").await;
    assert!(
        html.contains("Clinics asking to be listed")
            && html.contains(&format!(
                "/directory/new?request={id}&amp;name=Elbe%20Praxis"
            )),
        "{html}"
    );
    // "List it" fills the form: the request, the name, a proposed address, the asker as owner.
    let html = app
        .html_as(
            &admin,
            &format!(
                "/directory/new?request={id}&name=Elbe%20Praxis&city=Hamburg&owner=cleo_clinic"
            ),
        )
        .await;
    for value in [
        format!(r#"name="request" value="{id}""#),
        r#"value="elbe-praxis""#.to_string(),
        r#"value="cleo_clinic""#.to_string(),
    ] {
        assert!(html.contains(&value), "{value} in {html}");
    }

    let create = |request: String| {
        vec![
            ("name", "Elbe Praxis".to_string()),
            ("slug", "elbe-praxis".to_string()),
            ("city", "Hamburg".to_string()),
            ("lat", "".to_string()),
            ("lon", "".to_string()),
            ("owner", "cleo_clinic".to_string()),
            ("request", request),
        ]
    };
    let form = create(id.clone());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(&admin, "directory/create_clinic", &form)
        .await
        .ok();
    // The asker is told, owns the clinic, and sees it listed with its links.
    assert!(
        told(&app, &cleo)
            .await
            .iter()
            .any(|t| t.starts_with("Elbe Praxis is listed in the directory")),
        "{:?}",
        told(&app, &cleo).await
    );
    let list = mine(&app, &cleo).await;
    assert_eq!(list[0]["outcome"], "listed");
    assert_eq!(list[0]["slug"], "elbe-praxis");
    let (status, _) = app.get_as(&cleo, "/directory/elbe-praxis/edit").await;
    assert_eq!(status, StatusCode::OK, "the asker manages the clinic");
    assert!(app
        .html_as(&cleo, "/directory/list")
        .await
        .contains(r#"href="/directory/elbe-praxis/edit""#));
    // Answered once: the team's list is empty, and the same request cannot list a second clinic.
    let open = app
        .call_as(&admin, "directory/listing_requests", &[])
        .await
        .ok();
    assert_eq!(open["items"].as_array().map(Vec::len), Some(0), "{open}");
    let mut again = create(id.clone());
    again[1].1 = "elbe-praxis-2".to_string();
    let again: Vec<(&str, &str)> = again.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let e = app
        .call_as(&admin, "directory/create_clinic", &again)
        .await
        .error();
    assert!(e.field_message("request").is_some(), "{e:?}");
}

async fn the_team_declines_with_a_reason_and_only_the_team_sees_requests(app: TestApp) {
    let admin = app.admin_with_community().await;
    let dora = member(&app, "dora_desk").await;
    let other = member(&app, "other_olaf").await;
    for name in ["First Praxis", "Second Praxis", "Third Praxis"] {
        app.call_as(&dora, "directory/ask_listing", &ask_form(name, ""))
            .await
            .ok();
    }
    // Three waiting: a fourth waits for an answer first, and what was typed is not stored.
    let e = app
        .call_as(
            &dora,
            "directory/ask_listing",
            &ask_form("Fourth Praxis", ""),
        )
        .await
        .error();
    assert!(
        e.field_message("name")
            .is_some_and(|m| m.contains("3 requests waiting")),
        "{e:?}"
    );
    assert_eq!(mine(&app, &dora).await.len(), 3);
    // Another member sees only their own (none), and neither lists nor answers requests.
    assert!(mine(&app, &other).await.is_empty());
    assert_eq!(
        app.call_as(&other, "directory/listing_requests", &[])
            .await
            .error(),
        AppError::Forbidden
    );
    let first = app
        .call_as(&admin, "directory/listing_requests", &[])
        .await
        .ok()["items"][0]["id"]
        .as_i64()
        .expect("request id")
        .to_string();
    assert_eq!(
        app.call_as(
            &other,
            "directory/decline_listing",
            &[("id", &first), ("reason", "no")]
        )
        .await
        .error(),
        AppError::Forbidden
    );
    assert!(!app
        .html_as(&other, "/directory/new")
        .await
        .contains("First Praxis"));
    // A decline needs a reason (the asker reads it).
    let e = app
        .call_as(
            &admin,
            "directory/decline_listing",
            &[("id", &first), ("reason", " ")],
        )
        .await
        .error();
    assert!(
        e.field_message(&format!("reason-{first}")).is_some(),
        "{e:?}"
    );
    app.call_as(
        &admin,
        "directory/decline_listing",
        &[
            ("id", &first),
            ("reason", "We could not reach the practice."),
        ],
    )
    .await
    .ok();
    // Declined once only.
    assert_eq!(
        app.call_as(
            &admin,
            "directory/decline_listing",
            &[("id", &first), ("reason", "Again.")]
        )
        .await
        .error(),
        AppError::NotFound
    );
    let list = mine(&app, &dora).await;
    let declined = list
        .iter()
        .find(|r| r["name"] == "First Praxis")
        .expect("the first request");
    assert_eq!(declined["outcome"], "declined");
    assert_eq!(declined["reason"], "We could not reach the practice.");
    assert!(told(&app, &dora)
        .await
        .iter()
        .any(|t| t.contains("First Praxis was declined: We could not reach the practice.")));
    assert!(app
        .html_as(&dora, "/directory/list")
        .await
        .contains("reason: We could not reach the practice."));
    // With one answered, she may ask again.
    app.call_as(
        &dora,
        "directory/ask_listing",
        &ask_form("Fourth Praxis", ""),
    )
    .await
    .ok();
    let open = app
        .call_as(&admin, "directory/listing_requests", &[])
        .await
        .ok();
    assert_eq!(open["items"].as_array().map(Vec::len), Some(3), "{open}");
}
