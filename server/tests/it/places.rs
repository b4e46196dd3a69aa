//! The gazetteer on both backends: postcodes (full, outward, partial, German), typos, names shared by several places, the map, and staff placing a clinic from its postal code.

use crate::common::TestApp;
use crate::directory::{clinic, member, profile, provider, search, slugs};
use app::error::AppError;
use std::path::Path;

both_backends!(
    place_queries_postcodes_typos_and_choices,
    staff_place_a_clinic_by_postcode,
);

/// The project's postcode files and a few dozen cities of the real package (fixtures).
async fn load_places(app: &TestApp) {
    let loaded = healthcommunity::places::import_postcodes(&app.db, Path::new("places"), true)
        .await
        .expect("postcodes");
    assert_eq!(loaded.loaded.len(), 2, "{loaded:?}");
    let gb = loaded.loaded.iter().find(|(n, _)| n == "postcodes-GB.tsv");
    assert!(gb.is_some_and(|(_, rows)| *rows > 2_900), "{loaded:?}");
    healthcommunity::places::import_cities(&app.db, Path::new("tests/fixtures/cities"), true)
        .await
        .expect("cities");
}

fn place_error(r: &crate::common::Reply) -> Option<String> {
    match r.error() {
        AppError::Validation(list) => list
            .into_iter()
            .find(|f| f.field == "place")
            .map(|f| f.message),
        _ => None,
    }
}

async fn place_queries_postcodes_typos_and_choices(app: TestApp) {
    let admin = app.admin_with_community().await;
    member(&app, "owner_o").await;
    // Without a gazetteer an unknown place is a clear field error (and nothing else breaks).
    let r = search(&app, &[("place", "SW1A 1AA"), ("radius", "25")]).await;
    let e = place_error(&r).unwrap_or_default();
    assert!(
        e.contains("could not find a place called “SW1A 1AA”"),
        "{e}"
    );
    load_places(&app).await;
    // A London neurology clinic 2 km from Westminster, one in Manchester.
    clinic(
        &app, &admin, "thames", "London", "51.5194", "-0.1478", "owner_o",
    )
    .await;
    clinic(
        &app,
        &admin,
        "northgate",
        "Manchester",
        "53.4794",
        "-2.2361",
        "owner_o",
    )
    .await;

    // A full UK postcode: its outward code's centre, the distance to the clinic.
    for typed in ["SW1A 1AA", "sw1a1aa", " SW1A  1AA "] {
        let r = search(&app, &[("place", typed), ("radius", "25")])
            .await
            .ok();
        assert_eq!(slugs(&r), ["thames"], "{typed}: {r}");
        let d = r["providers"][0]["distance_km"].as_f64().unwrap_or(-1.0);
        assert!((1.5..3.0).contains(&d), "{typed}: {d} km");
        assert!(
            r["place_label"].as_str().unwrap_or("").starts_with("SW1A"),
            "{r}"
        );
        assert!(r["providers"][0]["position"].is_array(), "{r}");
    }
    // Outward codes.
    let r = search(&app, &[("place", "W1G"), ("radius", "5")])
        .await
        .ok();
    assert_eq!(slugs(&r), ["thames"]);
    let r = search(&app, &[("place", "SW1"), ("radius", "10")])
        .await
        .ok();
    assert_eq!(slugs(&r), ["thames"]);

    // A German PLZ, full and partial (the middle of the codes it starts).
    let r = search(&app, &[("place", "10115"), ("radius", "25")])
        .await
        .ok();
    assert!(
        (r["place"]["lat"].as_f64().unwrap_or(0.0) - 52.53).abs() < 0.05,
        "{r}"
    );
    assert!(
        r["place_label"].as_str().unwrap_or("").contains("Berlin"),
        "{r}"
    );
    let r = search(&app, &[("place", "101"), ("radius", "25")])
        .await
        .ok();
    assert!(
        r["place"]["note"]
            .as_str()
            .unwrap_or("")
            .contains("part of a postal code"),
        "{r}"
    );
    assert!(
        (r["place"]["lat"].as_f64().unwrap_or(0.0) - 52.5).abs() < 0.2,
        "{r}"
    );

    // A typo: London (the one with a clinic near it), saying so.
    let r = search(&app, &[("place", "Londn"), ("radius", "25")])
        .await
        .ok();
    assert_eq!(slugs(&r), ["thames"], "{r}");
    assert!(
        r["place_label"].as_str().unwrap_or("").ends_with(", GB"),
        "{r}"
    );
    assert!(
        r["place"]["note"]
            .as_str()
            .unwrap_or("")
            .contains("no place is called “Londn”"),
        "{r}"
    );
    // A name several places share, none of them standing out: a choice, nothing searched.
    let r = search(&app, &[("place", "Newport"), ("radius", "25")])
        .await
        .ok();
    assert!(
        r["providers"].as_array().is_some_and(|p| p.is_empty()),
        "{r}"
    );
    let question = r["choose"][0].as_str().unwrap_or("");
    assert!(question.contains("places called “Newport”"), "{r}");
    let labels: Vec<&str> = r["choose"][1]
        .as_array()
        .map(|l| l.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert!(
        labels.iter().any(|l| l.contains("Isle of Wight")),
        "{labels:?}"
    );
    assert!(labels.iter().any(|l| l.contains("Wales")), "{labels:?}");
    // Each choice searches that one place; so does a name narrowed by its region.
    for typed in [
        labels
            .iter()
            .find(|l| l.contains("Isle of Wight"))
            .copied()
            .unwrap_or(""),
        "Newport, Isle of Wight",
        "newport, isle of wight, gb",
    ] {
        let r = search(&app, &[("place", typed), ("radius", "25")])
            .await
            .ok();
        assert!(
            r["place_label"]
                .as_str()
                .unwrap_or("")
                .contains("Isle of Wight"),
            "{typed}: {r}"
        );
        assert!(
            (r["place"]["lat"].as_f64().unwrap_or(0.0) - 50.70).abs() < 0.05,
            "{r}"
        );
    }
    // London has a clinic near it: searched, with the other Londons offered.
    let r = search(&app, &[("place", "London"), ("radius", "25")])
        .await
        .ok();
    assert_eq!(slugs(&r), ["thames"]);
    let others = r["place"]["others"]
        .as_array()
        .map(|o| o.len())
        .unwrap_or(0);
    assert!(others >= 2, "{r}");
    // With no clinic near any Paris, the one with most towns around it: Paris, France.
    let r = search(&app, &[("place", "Paris"), ("radius", "25")])
        .await
        .ok();
    assert!(
        r["place_label"].as_str().unwrap_or("").ends_with(", FR"),
        "{r}"
    );
    // Nothing like it.
    let e = place_error(&search(&app, &[("place", "Xyzzyq")]).await).unwrap_or_default();
    assert!(e.contains("could not find a place called “Xyzzyq”"), "{e}");

    // The page without JavaScript: the heading with the place, distances, the map, the choice.
    let (status, html) = app.get("/directory?place=SW1A+1AA&radius=25").await;
    assert_eq!(status, 200);
    assert!(html.contains("1 result within 25 km of SW1A 1AA"), "{html}");
    assert!(html.contains("km away"));
    assert!(html.contains("<svg") && html.contains("class=\"results-map\""));
    let (_, html) = app.get("/directory?place=Newport").await;
    assert!(
        html.contains("Which one?") && html.contains("/directory?place=Newport%2C%20"),
        "{html}"
    );
    // Picking a place keeps the other filters.
    let (_, html) = app
        .get("/directory?specialty=neurology&radius=50&place=Newport")
        .await;
    assert!(
        html.contains("/directory?specialty=neurology&amp;radius=50&amp;place=Newport%2C%20"),
        "{html}"
    );

    // Loading again changes nothing.
    let again = healthcommunity::places::import_postcodes(&app.db, Path::new("places"), true)
        .await
        .expect("postcodes again");
    assert!(
        again.loaded.is_empty() && again.unchanged.len() == 2,
        "{again:?}"
    );
}

/// The owner saves the clinic's city, postal code and position; the profile as it is then.
async fn save_address(
    app: &TestApp,
    owner: &reqwest::Client,
    [city, code, lat, lon]: [&str; 4],
) -> serde_json::Value {
    let f = profile(
        "thames",
        &[
            ("city", city),
            ("postal_code", code),
            ("lat", lat),
            ("lon", lon),
        ],
    );
    app.call_as(owner, "directory/save", &f).await.ok();
    provider(app, owner, "thames").await
}

async fn staff_place_a_clinic_by_postcode(app: TestApp) {
    let admin = app.admin_with_community().await;
    let owner = member(&app, "owner_o").await;
    load_places(&app).await;
    // Created without a position: placed at its city.
    clinic(&app, &admin, "thames", "London", "", "", "owner_o").await;
    let p = provider(&app, &owner, "thames").await;
    assert!(
        (p["lat"].as_f64().unwrap_or(0.0) - 51.51).abs() < 0.05,
        "{p}"
    );
    // Staff enter the address and leave the position empty: placed from the postcode.
    let p = save_address(&app, &owner, ["London", "SW1A 1AA", "", ""]).await;
    assert_eq!(p["lat"].as_f64(), Some(51.5018), "{p}");
    assert_eq!(p["lon"].as_f64(), Some(-0.1328), "{p}");
    // They move the pin: the numbers they typed are kept.
    let p = save_address(&app, &owner, ["London", "SW1A 1AA", "51.5194", "-0.1478"]).await;
    assert_eq!(p["lat"].as_f64(), Some(51.5194), "{p}");
    // A corrected postal code in the same city keeps the pin set by hand.
    let p = save_address(&app, &owner, ["London", "W1G 8PH", "51.5194", "-0.1478"]).await;
    assert_eq!(p["lat"].as_f64(), Some(51.5194), "{p}");
    // The clinic moves to Manchester: a new postcode with the old pin places it again.
    let p = save_address(&app, &owner, ["Manchester", "M1 3BN", "51.5194", "-0.1478"]).await;
    assert!(
        (p["lat"].as_f64().unwrap_or(0.0) - 53.48).abs() < 0.02,
        "{p}"
    );
    // Found by that postcode's neighbours now.
    let r = search(&app, &[("place", "M1"), ("radius", "5")]).await.ok();
    assert_eq!(slugs(&r), ["thames"]);
    // An address nobody knows, and no position: a field error that keeps what was typed.
    let f = profile(
        "thames",
        &[
            ("city", "Atlantis"),
            ("postal_code", "ZZ99 9ZZ"),
            ("lat", ""),
            ("lon", ""),
        ],
    );
    let e = app.call_as(&owner, "directory/save", &f).await.error();
    assert!(
        e.field_message("postal_code")
            .is_some_and(|m| m.contains("could not find this postal code")),
        "{e:?}"
    );
    let p = provider(&app, &owner, "thames").await;
    assert!(
        (p["lat"].as_f64().unwrap_or(0.0) - 53.48).abs() < 0.02,
        "unchanged: {p}"
    );
}
