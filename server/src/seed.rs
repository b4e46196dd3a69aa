//! Demo accounts for `seed --demo` and the `create-admin` command.

use app::auth::repo::{self, NewUser};
use app::auth::types::{Email, Handle, MemberKind, Password};
use app::ids::UserId;
use app::state::AppState;
use sqlx::Row;

/// The password of every demo account (printed by `make run`).
pub const DEMO_PASSWORD: &str = "demo-password-2026";

struct Demo {
    handle: &'static str,
    kind: MemberKind,
    role: &'static str,
    bio: &'static str,
    clinician: Option<(&'static str, &'static str, bool)>,
    moderator: bool,
    admin: bool,
    editor: bool,
}

const DEMO: &[Demo] = &[
    Demo {
        handle: "demo_admin",
        kind: MemberKind::Caregiver,
        role: "admin",
        bio: "I look after this community for the operator.",
        clinician: None,
        moderator: false,
        admin: true,
        editor: false,
    },
    Demo {
        handle: "maria_ms",
        kind: MemberKind::Patient,
        role: "member (patient)",
        bio: "Living with relapsing-remitting MS since 2019. Gardener, slow runner, tea drinker.",
        clinician: None,
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "dr_okafor",
        kind: MemberKind::Clinician,
        role: "clinician (verified neurologist)",
        bio: "Consultant neurologist with a special interest in multiple sclerosis.",
        clinician: Some(("GMC-7012345", "neurology", true)),
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "demo_sponsor",
        kind: MemberKind::Caregiver,
        role: "sponsor's report reader (Northbridge Pharma): /sponsor",
        bio: "I read Northbridge Pharma's campaign figures.",
        clinician: None,
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "sam_moderator",
        kind: MemberKind::Caregiver,
        role: "moderator (caregiver)",
        bio: "Caring for my dad, who has chronic myeloid leukaemia. Volunteer moderator.",
        clinician: None,
        moderator: true,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "dr_lindqvist",
        kind: MemberKind::Clinician,
        role: "clinician (verification pending)",
        bio: "Haematologist.",
        clinician: Some(("SE-44-2291", "haematology", false)),
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "dr_haddad",
        kind: MemberKind::Clinician,
        role: "clinician (verified haematologist)",
        bio: "Haematologist. I look after people with chronic myeloid leukaemia.",
        clinician: Some(("GMC-7098765", "haematology", true)),
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "nurse_priya",
        kind: MemberKind::Clinician,
        role: "clinician (verified specialist nurse)",
        bio: "Diabetes specialist nurse. Happy to explain numbers, medicines and everyday tips.",
        clinician: Some(("NMC-12A3456E", "nursing", true)),
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "lena_cml",
        kind: MemberKind::Patient,
        role: "member (patient)",
        bio: "Diagnosed with CML in 2021, on a TKI since. Cyclist when the fatigue allows.",
        clinician: None,
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "tom_t2d",
        kind: MemberKind::Patient,
        role: "member (patient)",
        bio: "Type 2 diabetes since last year. Learning as I go.",
        clinician: None,
        moderator: false,
        admin: false,
        editor: false,
    },
    Demo {
        handle: "editor_ana",
        kind: MemberKind::Caregiver,
        role: "editor (health library)",
        bio: "I write the health library's articles with our clinicians.",
        clinician: None,
        moderator: false,
        admin: false,
        editor: true,
    },
    Demo {
        handle: "jo_carer",
        kind: MemberKind::Caregiver,
        role: "member (caregiver)",
        bio: "My partner has MS and my dad has type 2 diabetes.",
        clinician: None,
        moderator: false,
        admin: false,
        editor: false,
    },
];

/// A member whose address counts as confirmed and who gets no digest: the demo's people and
/// the first admin. (`clinician`: licence and specialty, for a clinician's verification.)
async fn verified_user(
    state: &AppState,
    (handle, email): (&Handle, &Email),
    password: &str,
    kind: MemberKind,
    clinician: Option<(String, String)>,
) -> Result<UserId, String> {
    let hash = repo::hash_password(state, password)
        .await
        .map_err(|e| e.to_string())?;
    repo::create_user(
        &state.db,
        NewUser {
            handle,
            email,
            password_hash: &hash,
            kind,
            clinician,
            digest: false,
            verified: true,
        },
    )
    .await
    .map_err(|e| format!("{e:?}"))
}

/// How long ago the demo's people joined: before the oldest demo post.
const DEMO_JOINED_DAYS_AGO: i64 = 90;

/// Creates the demo accounts that do not exist yet and prints the list. Running it twice adds nothing.
pub async fn demo(state: &AppState) -> Result<(), String> {
    let db = &state.db;
    let mut created = 0;
    let mut admin_id = None;
    for d in DEMO {
        let existing = sqlx::query("SELECT id FROM users WHERE handle = $1")
            .bind(d.handle)
            .fetch_optional(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
        if let Some(row) = existing {
            if d.admin {
                admin_id = row.try_get::<UserId, _>("id").ok();
            }
            continue;
        }
        let handle = Handle::parse(d.handle)?;
        let email = Email::parse(&format!("{}@demo.healthcommunity.invalid", d.handle))?;
        let clinician = d.clinician.map(|(l, s, _)| (l.to_string(), s.to_string()));
        let id = verified_user(state, (&handle, &email), DEMO_PASSWORD, d.kind, clinician).await?;
        // The demo's people joined before their stories began (posts go back 42 days): a
        // profile that said "Joined today" above a post from October read as a fault.
        sqlx::query(
            "UPDATE users SET bio = $1, is_moderator = $2, is_admin = $3, is_editor = $4, created_at = $5 WHERE id = $6",
        )
            .bind(d.bio)
            .bind(d.moderator as i64)
            .bind(d.admin as i64)
            .bind(d.editor as i64)
            .bind(app::db::now_ms() - DEMO_JOINED_DAYS_AGO * 86_400_000)
            .bind(id)
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
        if d.admin {
            admin_id = Some(id);
        }
        if let (Some((_, _, true)), Some(admin)) = (d.clinician, admin_id) {
            let v: i64 = sqlx::query("SELECT id FROM clinician_verifications WHERE user_id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .and_then(|r| r.try_get("id"))
                .map_err(|e| e.to_string())?;
            app::admin::repo::decide_verification(db, admin, v, true, None)
                .await
                .map_err(|e| e.to_string())?;
        }
        created += 1;
    }
    let communities = demo_communities(state, admin_id).await?;
    let posts = crate::demo_posts::create(state).await?;
    let articles = crate::demo_articles::create(state).await?;
    let clinics = crate::demo_directory::create(state).await?;
    let groups = crate::demo_groups::create(state).await?;
    let advertisers = crate::demo_operator::create(state).await?;
    let traffic_days = crate::demo_traffic::create(state).await?;
    println!(
        "Demo content: {communities} communities, {groups} support groups, {posts} posts, {articles} articles, {clinics} clinics, {advertisers} advertisers, {traffic_days} days of demo traffic and {created} account(s) created, {} account(s) already there.",
        DEMO.len() - created
    );
    println!("Demo accounts (password for all: {DEMO_PASSWORD}):");
    for d in DEMO {
        println!("  {:<15} {}", d.handle, d.role);
    }
    Ok(())
}

struct DemoCommunity {
    slug: &'static str,
    name: &'static str,
    colour: &'static str,
    description: &'static str,
    rules: &'static str,
    members: &'static [&'static str],
    moderators: &'static [&'static str],
}

const RULES: &str = "Be kind: everyone here is dealing with a lot.\n\
Share your own experience; do not tell others to start or stop a treatment.\n\
No advertising, no miracle cures.\n\
Keep other people's health details private.";

const COMMUNITIES: &[DemoCommunity] = &[
    DemoCommunity {
        slug: "multiple-sclerosis",
        name: "Multiple Sclerosis",
        colour: "teal",
        description: "For people living with MS, their families and the clinicians who treat them: relapses, fatigue, treatments and everyday life.",
        rules: RULES,
        members: &["maria_ms", "dr_okafor", "jo_carer"],
        moderators: &["dr_okafor"],
    },
    DemoCommunity {
        slug: "chronic-myeloid-leukaemia",
        name: "Chronic Myeloid Leukaemia",
        colour: "rose",
        description: "Living with CML: tyrosine-kinase inhibitors, side effects, monitoring results and caring for someone with CML.",
        rules: RULES,
        members: &["sam_moderator", "dr_haddad", "lena_cml"],
        moderators: &["sam_moderator"],
    },
    DemoCommunity {
        slug: "type-2-diabetes",
        name: "Type 2 Diabetes",
        colour: "blue",
        description: "Managing type 2 diabetes day to day: food, activity, medicines, blood sugar and feeling low about it all.",
        rules: RULES,
        members: &["maria_ms", "tom_t2d", "nurse_priya", "jo_carer"],
        moderators: &[],
    },
];

/// Creates the demo communities that do not exist yet, with their members and moderators.
async fn demo_communities(state: &AppState, admin_id: Option<UserId>) -> Result<usize, String> {
    use app::communities::repo;
    let db = &state.db;
    let Some(admin) = admin_id else {
        return Err("the demo admin is missing".into());
    };
    let mut created = 0;
    for c in COMMUNITIES {
        let exists =
            crate::demo_posts::exists(state, "SELECT id FROM communities WHERE slug = $1", c.slug)
                .await?;
        if exists {
            continue;
        }
        let input = app::communities::types::CommunityInput {
            slug: c.slug.into(),
            name: c.name.into(),
            description: c.description.into(),
            rules: c.rules.into(),
            colour: c.colour.into(),
            // The demo stays lively: its members post at once.
            hold_new_members: false,
        };
        repo::create(db, admin, &input)
            .await
            .map_err(|e| e.to_string())?;
        for handle in c.members {
            let id: UserId = sqlx::query("SELECT id FROM users WHERE handle = $1")
                .bind(*handle)
                .fetch_one(&db.pool)
                .await
                .and_then(|r| r.try_get("id"))
                .map_err(|e| e.to_string())?;
            repo::join(db, id, c.slug)
                .await
                .map_err(|e| e.to_string())?;
        }
        for handle in c.moderators {
            repo::set_moderator(db, admin, c.slug, handle, true)
                .await
                .map_err(|e| e.to_string())?;
        }
        created += 1;
    }
    Ok(created)
}

/// Makes `handle`/`email` an admin, creating the account if needed.
pub async fn create_admin(state: &AppState, email: &str, handle: &str) -> Result<(), String> {
    let handle = Handle::parse(handle).map_err(|e| format!("--handle: {e}"))?;
    let email = Email::parse(email).map_err(|e| format!("--email: {e}"))?;
    let db = &state.db;
    let existing = sqlx::query("SELECT id FROM users WHERE handle = $1 OR email = $2")
        .bind(handle.as_str())
        .bind(email.as_str())
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    let id = match existing {
        Some(row) => {
            let id: UserId = row.try_get("id").map_err(|e| e.to_string())?;
            println!("@{} exists already; making them an admin.", handle.as_str());
            id
        }
        None => {
            let (password, generated) = match std::env::var("HC_ADMIN_PASSWORD") {
                Ok(p) => (
                    Password::parse(&p).map_err(|e| format!("HC_ADMIN_PASSWORD: {e}"))?,
                    false,
                ),
                Err(_) => (Password::parse(&repo::new_token()[..20])?, true),
            };
            let id = verified_user(
                state,
                (&handle, &email),
                password.as_str(),
                MemberKind::Caregiver,
                None,
            )
            .await?;
            sqlx::query("UPDATE users SET show_role = 0 WHERE id = $1")
                .bind(id)
                .execute(&db.pool)
                .await
                .map_err(|e| e.to_string())?;
            if generated {
                println!(
                    "Created @{} with password: {}",
                    handle.as_str(),
                    password.as_str()
                );
                println!("Log in and change it under Settings.");
            } else {
                println!(
                    "Created @{} with the password from HC_ADMIN_PASSWORD.",
                    handle.as_str()
                );
            }
            id
        }
    };
    sqlx::query("UPDATE users SET is_admin = 1 WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO audit_log (actor_id, action, target_user_id, detail, created_at) \
         VALUES (NULL, 'role.admin.grant', $1, 'create-admin command', $2)",
    )
    .bind(id)
    .bind(app::db::now_ms())
    .execute(&db.pool)
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}
