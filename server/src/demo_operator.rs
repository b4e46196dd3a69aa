//! Demo operator for `seed --demo`: the fictional "Thames Neurology Trust" with its about text and advertising policy, two approved advertisers and a suspended one, and an announcement in the MS community (all invented).

use crate::demo_posts::user;
use app::ids::UserId;
use app::operator::repo as operator;
use app::operator::types::{AdvertiserKind, AdvertiserStatus};
use app::operator::types::{NewAdvertiser, OperatorProfileInput};
use app::state::AppState;
use sqlx::Row;

const ABOUT: &str = "HealthCommunity is run by the Thames Neurology Trust, a fictional charity of neurologists, MS nurses and patients in London. We host the community, pay for it from donations and clearly labelled sponsorship, and our clinicians moderate it. We never sell members' data.";

const POLICY: &str = "## Our advertising policy\n\n\
- **Who may advertise**: only organisations we approved, listed on this page with what they make or do.\n\
- **Labelled, always**: every sponsored message says *Sponsored* and who paid for it. It never looks like a member's post or our editors' articles.\n\
- **Chosen from the page, never from you**: a sponsored message is picked by the community and the kind of page, never by your handle, role, condition or anything you wrote.\n\
- **Never in private places**: no sponsored content in support groups, messages, requests to clinics, notifications, settings or e-mails.\n\
- **No say over content**: sponsors never see who our members are and have no influence on what members, moderators or our editors write.\n\n\
Questions about our funding: funding@thames-neurology.invalid";

struct DemoAdvertiser {
    name: &'static str,
    website: &'static str,
    kind: AdvertiserKind,
    disclosure: &'static str,
    status: AdvertiserStatus,
}

const ADVERTISERS: &[DemoAdvertiser] = &[
    DemoAdvertiser {
        name: "Northbridge Pharma",
        website: "https://northbridge-pharma.invalid",
        kind: AdvertiserKind::Pharma,
        disclosure:
            "A fictional company that makes a disease-modifying treatment for relapsing MS.",
        status: AdvertiserStatus::Approved,
    },
    DemoAdvertiser {
        name: "MS Fatigue Foundation",
        website: "https://ms-fatigue.invalid",
        kind: AdvertiserKind::Nonprofit,
        disclosure:
            "A fictional charity that funds research into fatigue in MS and runs a helpline.",
        status: AdvertiserStatus::Approved,
    },
    DemoAdvertiser {
        name: "QuickCure Supplements",
        website: "https://quickcure.invalid",
        kind: AdvertiserKind::Other,
        disclosure: "A fictional supplement seller, suspended after claiming its pills cure MS.",
        status: AdvertiserStatus::Suspended,
    },
];

/// Creates the demo operator once (nothing when an operator profile exists); returns how many
/// advertisers it added.
pub async fn create(state: &AppState) -> Result<usize, String> {
    let db = &state.db;
    let exists = sqlx::query("SELECT 1 AS one FROM operator_profile WHERE id = 1")
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .is_some();
    let admin = user(state, "demo_admin").await?.id;
    if exists {
        campaigns(state, admin).await?;
        return Ok(0);
    }
    operator::save_profile(
        db,
        admin,
        &OperatorProfileInput {
            name: "Thames Neurology Trust".into(),
            about: ABOUT.into(),
            ad_policy: POLICY.into(),
            privacy_contact: "privacy@thames-neurology.example".into(),
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    for a in ADVERTISERS {
        let id = operator::add_advertiser(
            db,
            admin,
            NewAdvertiser {
                name: a.name.into(),
                website: a.website.into(),
                kind: a.kind,
                contact_email: format!("partners@{}", a.website.trim_start_matches("https://")),
                disclosure: a.disclosure.into(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        operator::set_status(db, admin, id, a.status)
            .await
            .map_err(|e| e.to_string())?;
    }
    // The diabetes community refuses pharmaceutical advertising.
    let diabetes = sqlx::query("SELECT slug FROM communities WHERE slug = 'type-2-diabetes'")
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .map(|r| r.get::<String, _>("slug"));
    if let Some(slug) = diabetes {
        operator::set_bars(db, admin, &slug, &[AdvertiserKind::Pharma])
            .await
            .map_err(|e| e.to_string())?;
    }
    app::announcements::repo::create(
        db,
        admin,
        app::announcements::types::NewAnnouncement {
            title: "Ask the MS nurses, live".into(),
            body: "Every Thursday from 6 to 7 pm our MS nurses answer questions in this community."
                .into(),
            severity: app::announcements::types::Severity::Info,
            community: Some("multiple-sclerosis".into()),
            starts_at: app::db::now_ms(),
            ends_at: None,
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    campaigns(state, admin).await?;
    Ok(ADVERTISERS.len())
}

/// A running Northbridge Pharma campaign in the MS community's feed, and the operator's own
/// house promotion of its MS centre in sidebars and the directory; once (a database that has campaigns is left alone).
async fn campaigns(state: &AppState, admin: UserId) -> Result<(), String> {
    use app::sponsored::repo::create;
    use app::sponsored::types::NewCampaign;
    use app::sponsored::types::Placement;
    let db = &state.db;
    let any = sqlx::query("SELECT 1 AS one FROM campaigns LIMIT 1")
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .is_some();
    let northbridge = sqlx::query("SELECT id FROM advertisers WHERE name = 'Northbridge Pharma'")
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .map(|r| r.get::<i64, _>("id"));
    let ms = sqlx::query("SELECT 1 AS one FROM communities WHERE slug = 'multiple-sclerosis'")
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .is_some();
    if any || !ms {
        return Ok(());
    }
    if let (Some(id), Ok(_)) = (northbridge, user(state, "demo_sponsor").await) {
        app::sponsor::repo::set_contact(db, admin, id, "demo_sponsor")
            .await
            .map_err(|e| e.to_string())?;
    }
    let now = app::db::now_ms();
    if let Some(id) = northbridge {
        create(
            db,
            admin,
            NewCampaign {
                advertiser: Some(id),
                headline: "Living with relapsing MS?".into(),
                body: "A free guide to talking with your neurologist about treatment options, from Northbridge Pharma.".into(),
                cta: "Get the guide".into(),
                url: "https://northbridge-pharma.invalid/ms-guide".into(),
                starts_at: now,
                ends_at: None,
                placements: vec![Placement::Feed],
                communities: vec!["multiple-sclerosis".into()],
                total_cap: Some(100_000),
                daily_cap: None,
                visitor_daily_cap: Some(3),
                cpm_cents: Some(1_200),
                flat_fee_cents: None,
            },
        )
        .await
        .map_err(|e| e.to_string())?;
    }
    create(
        db,
        admin,
        NewCampaign {
            advertiser: None,
            headline: "Book at the Thames MS Centre".into(),
            body: "Our own MS clinic: neurologists and MS nurses, appointments within two weeks."
                .into(),
            cta: "See the clinic".into(),
            url: "/directory/thames-ms-centre".into(),
            starts_at: now,
            ends_at: None,
            placements: vec![Placement::Sidebar, Placement::Directory],
            communities: Vec::new(),
            total_cap: None,
            daily_cap: None,
            visitor_daily_cap: None,
            cpm_cents: None,
            flat_fee_cents: None,
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}
