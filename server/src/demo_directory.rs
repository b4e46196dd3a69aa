//! Demo directory for `seed --demo`: clinics in London, Manchester and Leeds, listed clinicians, ratings, a provider reply, a verified-visit review and an answered contact request.

use crate::demo_posts::user;
use app::directory::repo;
use app::directory::types::ContactInput;
use app::directory::types::{NewClinic, ProfileInput, RatingInput};
use app::state::AppState;

struct DemoClinic {
    slug: &'static str,
    name: &'static str,
    owner: &'static str,
    description: &'static str,
    address: &'static str,
    city: &'static str,
    postal_code: &'static str,
    lat: f64,
    lon: f64,
    phone: &'static str,
    website: &'static str,
    specialties: &'static [&'static str],
    languages: &'static [&'static str],
    conditions: &'static [&'static str],
    hours: &'static str,
    accepting: bool,
    colour: &'static str,
    clinicians: &'static [&'static str],
}

const WEEKDAYS: &str = "Mon–Thu 8:00–18:00\nFri 8:00–16:00\nSat–Sun closed";

const CLINICS: &[DemoClinic] = &[
    DemoClinic {
        slug: "thames-ms-centre",
        name: "Thames MS Centre",
        owner: "dr_okafor",
        description: "A specialist multiple sclerosis clinic: diagnosis, relapse care, disease-modifying treatment and an MS nurse helpline.",
        address: "14 Wimpole Row",
        city: "London",
        postal_code: "W1G 8PH",
        lat: 51.5194,
        lon: -0.1478,
        phone: "+44 20 7946 0123",
        website: "https://thames-ms.example.org",
        specialties: &["neurology", "nursing"],
        languages: &["en", "yo", "fr"],
        conditions: &["multiple-sclerosis"],
        hours: WEEKDAYS,
        accepting: true,
        colour: "teal",
        clinicians: &["dr_okafor"],
    },
    DemoClinic {
        slug: "riverside-haematology",
        name: "Riverside Haematology Clinic",
        owner: "dr_haddad",
        description: "Outpatient haematology with a CML service: TKI treatment, PCR monitoring and side-effect support.",
        address: "3 Embankment Yard",
        city: "London",
        postal_code: "SE1 7EH",
        lat: 51.4985,
        lon: -0.1187,
        phone: "+44 20 7946 0456",
        website: "https://riverside-haem.example.org",
        specialties: &["haematology", "oncology"],
        languages: &["en", "ar"],
        conditions: &["chronic-myeloid-leukaemia"],
        hours: "Mon–Fri 9:00–17:00",
        accepting: true,
        colour: "rose",
        clinicians: &["dr_haddad"],
    },
    DemoClinic {
        slug: "northgate-diabetes-centre",
        name: "Northgate Diabetes Centre",
        owner: "nurse_priya",
        description: "Diabetes care for adults: structured education, medication reviews, foot checks and a weekly drop-in with a specialist nurse.",
        address: "88 Piccadilly Court",
        city: "Manchester",
        postal_code: "M1 3BN",
        lat: 53.4794,
        lon: -2.2361,
        phone: "+44 161 496 0789",
        website: "https://northgate-diabetes.example.org",
        specialties: &["endocrinology", "nursing"],
        languages: &["en", "pl"],
        conditions: &["type-2-diabetes"],
        hours: "Mon–Fri 8:30–17:30\nWed drop-in 17:30–19:00",
        accepting: true,
        colour: "orange",
        clinicians: &["nurse_priya"],
    },
    DemoClinic {
        slug: "salford-community-practice",
        name: "Salford Community Practice",
        owner: "nurse_priya",
        description: "A general practice with a long-term conditions team for diabetes and MS follow-up.",
        address: "2 Crescent Walk",
        city: "Manchester",
        postal_code: "M5 4WT",
        lat: 53.4875,
        lon: -2.2901,
        phone: "+44 161 496 0111",
        website: "",
        specialties: &["general-practice", "nursing"],
        languages: &["en", "tr"],
        conditions: &["type-2-diabetes", "multiple-sclerosis"],
        hours: WEEKDAYS,
        accepting: false,
        colour: "green",
        clinicians: &[],
    },
    DemoClinic {
        slug: "pennine-neurology",
        name: "Pennine Neurology Clinic",
        owner: "dr_okafor",
        description: "Neurology outpatients with an MS infusion unit and physiotherapy.",
        address: "40 Park Square",
        city: "Leeds",
        postal_code: "LS1 2NE",
        lat: 53.7997,
        lon: -1.5492,
        phone: "+44 113 496 0222",
        website: "https://pennine-neuro.example.org",
        specialties: &["neurology", "physiotherapy"],
        languages: &["en"],
        conditions: &["multiple-sclerosis"],
        hours: "Mon–Fri 8:00–17:00",
        accepting: false,
        colour: "blue",
        clinicians: &["dr_okafor"],
    },
];

/// How the listed demo clinicians present themselves in the directory.
const CLINICIAN_NAMES: &[(&str, &str)] = &[
    ("dr_okafor", "Dr Ada Okafor"),
    ("dr_haddad", "Dr Samir Haddad"),
    ("nurse_priya", "Priya Nair, diabetes and MS nurse"),
];

struct DemoRating {
    provider: &'static str,
    by: &'static str,
    stars: i64,
    explains: Option<i64>,
    listens: Option<i64>,
    premises: Option<i64>,
    wait: Option<i64>,
    body: &'static str,
    /// Rated with a review code the clinic handed out.
    verified: bool,
    reply: Option<&'static str>,
}

const RATINGS: &[DemoRating] = &[
    DemoRating {
        provider: "thames-ms-centre",
        by: "maria_ms",
        stars: 5,
        explains: Some(5),
        listens: Some(5),
        premises: Some(4),
        wait: Some(15),
        body: "The MS nurse called me back the same day during my relapse, and the neurologist explained every option without rushing.",
        verified: true,
        reply: None,
    },
    DemoRating {
        provider: "thames-ms-centre",
        by: "jo_carer",
        stars: 4,
        explains: Some(4),
        listens: Some(5),
        premises: Some(3),
        wait: Some(40),
        body: "Caring and thorough. The waiting room was crowded and we waited 40 minutes past our time.",
        verified: false,
        reply: Some("Thank you for telling us. We have added a second clinic room on Tuesdays to shorten waits."),
    },
    DemoRating {
        provider: "dr_okafor",
        by: "maria_ms",
        stars: 5,
        explains: Some(5),
        listens: Some(5),
        premises: None,
        wait: None,
        body: "Takes time to answer questions and writes everything down for you.",
        verified: false,
        reply: None,
    },
    DemoRating {
        provider: "riverside-haematology",
        by: "lena_cml",
        stars: 5,
        explains: Some(5),
        listens: Some(4),
        premises: Some(5),
        wait: Some(10),
        body: "My PCR results are always explained in plain words, and they helped me manage the side effects of my TKI.",
        verified: false,
        reply: None,
    },
    DemoRating {
        provider: "northgate-diabetes-centre",
        by: "tom_t2d",
        stars: 4,
        explains: Some(5),
        listens: Some(4),
        premises: Some(4),
        wait: Some(25),
        body: "The education course changed how I eat. Parking is hard to find.",
        verified: false,
        reply: None,
    },
    DemoRating {
        provider: "pennine-neurology",
        by: "jo_carer",
        stars: 3,
        explains: Some(3),
        listens: None,
        premises: Some(4),
        wait: Some(55),
        body: "Good physiotherapy, but appointments are hard to get.",
        verified: false,
        reply: None,
    },
];

/// Creates the demo clinics that are not there yet, with their ratings; returns how many it created.
pub async fn create(state: &AppState) -> Result<usize, String> {
    let db = &state.db;
    let admin = user(state, "demo_admin").await?;
    let mut created = 0;
    for c in CLINICS {
        let exists =
            crate::demo_posts::exists(state, "SELECT id FROM providers WHERE slug = $1", c.slug)
                .await?;
        if !exists {
            clinic(state, &admin, c).await?;
            created += 1;
        }
    }
    if created == 0 {
        return Ok(0);
    }
    for (handle, name) in CLINICIAN_NAMES {
        sqlx::query("UPDATE providers SET name = $1 WHERE slug = $2 AND kind = 'clinician'")
            .bind(name)
            .bind(handle)
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
    }
    for r in RATINGS {
        rating(state, r).await?;
    }
    appointment(state).await?;
    Ok(created)
}

fn err(e: app::error::AppError) -> String {
    format!("{e:?}")
}

/// A clinic as its owner would make it: created by the admin, its profile filled in, its
/// clinicians listed (and, being the clinician's choice, accepted).
async fn clinic(
    state: &AppState,
    admin: &app::auth::types::CurrentUser,
    c: &DemoClinic,
) -> Result<(), String> {
    let db = &state.db;
    repo::create_clinic(
        db,
        admin,
        &NewClinic {
            slug: c.slug.into(),
            name: c.name.into(),
            city: c.city.into(),
            lat: Some(c.lat),
            lon: Some(c.lon),
            owner: c.owner.into(),
            request: None,
        },
    )
    .await
    .map_err(err)?;
    let owner = user(state, c.owner).await?;
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    repo::update_profile(
        db,
        &owner,
        c.slug,
        &ProfileInput {
            name: c.name.into(),
            description: c.description.into(),
            address: c.address.into(),
            city: c.city.into(),
            postal_code: c.postal_code.into(),
            lat: Some(c.lat),
            lon: Some(c.lon),
            phone: c.phone.into(),
            website: c.website.into(),
            specialties: strings(c.specialties),
            languages: strings(c.languages),
            opening_hours: c.hours.into(),
            accepting: c.accepting,
            colour: c.colour.into(),
            conditions: strings(c.conditions),
        },
    )
    .await
    .map_err(err)?;
    for clinician in c.clinicians {
        repo::set_clinician(db, &owner, c.slug, clinician, true)
            .await
            .map_err(err)?;
        // Listing is the clinician's choice: the demo clinicians accepted (an owner who
        // listed themselves has no invitation to answer).
        let me = user(state, clinician).await?;
        match app::directory::consent::respond(
            db,
            &me,
            c.slug,
            app::directory::types::InviteRole::Clinician,
            true,
        )
        .await
        {
            Ok(()) | Err(app::error::AppError::NotFound) => {}
            Err(e) => return Err(err(e)),
        }
    }
    Ok(())
}

/// A member's rating of a provider (with a visit code when verified) and the provider's reply.
async fn rating(state: &AppState, r: &DemoRating) -> Result<(), String> {
    let db = &state.db;
    let by = user(state, r.by).await?;
    let code = if r.verified {
        let owner = provider_owner(state, r.provider).await?;
        repo::new_code(db, &owner, r.provider).await.map_err(err)?
    } else {
        String::new()
    };
    repo::rate(
        db,
        &by,
        r.provider,
        &RatingInput {
            stars: r.stars,
            explains: r.explains,
            listens: r.listens,
            premises: r.premises,
            wait_minutes: r.wait,
            body: r.body.into(),
            treatment: String::new(),
            code,
        },
    )
    .await
    .map_err(err)?;
    if let Some(reply) = r.reply {
        let owner = provider_owner(state, r.provider).await?;
        let id: i64 = sqlx::query_scalar(
            "SELECT r.id FROM reviews r JOIN providers p ON p.id = r.provider_id \
             JOIN users u ON u.id = r.author_id WHERE p.slug = $1 AND u.handle = $2",
        )
        .bind(r.provider)
        .bind(r.by)
        .fetch_one(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
        repo::reply(db, &owner, id, reply).await.map_err(err)?;
    }
    Ok(())
}

/// A patient's appointment request, answered by the clinic.
async fn appointment(state: &AppState) -> Result<(), String> {
    let db = &state.db;
    let tom = user(state, "tom_t2d").await?;
    let id = repo::contact(
        db,
        &state.settings.public_url,
        &tom,
        "northgate-diabetes-centre",
        &ContactInput {
            reason: "I would like a place on the next diabetes education course.".into(),
            preferred_times: "Weekday evenings".into(),
            contact_via: "Reply here, please".into(),
        },
    )
    .await
    .map_err(err)?;
    let priya = user(state, "nurse_priya").await?;
    repo::answer(
        db,
        &priya,
        id,
        "There is a place on Wednesday 9 December, 17:30. Shall we book it for you?",
        false,
    )
    .await
    .map_err(err)?;
    Ok(())
}

async fn provider_owner(
    state: &AppState,
    slug: &str,
) -> Result<app::auth::types::CurrentUser, String> {
    let handle: String = sqlx::query_scalar(
        "SELECT u.handle FROM provider_staff s JOIN providers p ON p.id = s.provider_id \
         JOIN users u ON u.id = s.user_id WHERE p.slug = $1 AND s.role = 'owner' ORDER BY u.id LIMIT 1",
    )
    .bind(slug)
    .fetch_one(&state.db.pool)
    .await
    .map_err(|e| e.to_string())?;
    user(state, &handle).await
}
