//! Demo questions, answers, discussions and votes for `seed --demo`, written for this project (no real people).

use app::auth::types::CurrentUser;
use app::db::now_ms;
use app::posts::repo::{self, PostInput, VoteTarget};
use app::posts::types::{PostKind, Visibility};
use app::state::AppState;
use sqlx::Row;

pub(crate) struct DemoReply {
    pub(crate) author: &'static str,
    /// Index of the reply this one answers, within the same post.
    pub(crate) parent: Option<usize>,
    pub(crate) body: &'static str,
    pub(crate) votes: &'static [&'static str],
}

pub(crate) struct DemoPost {
    pub(crate) community: &'static str,
    pub(crate) author: &'static str,
    pub(crate) kind: PostKind,
    pub(crate) visibility: Visibility,
    pub(crate) title: &'static str,
    pub(crate) body: &'static str,
    pub(crate) tags: &'static [&'static str],
    pub(crate) days_ago: i64,
    pub(crate) votes: &'static [&'static str],
    pub(crate) replies: &'static [DemoReply],
    /// Index of the accepted answer.
    pub(crate) accepted: Option<usize>,
}

use PostKind::{Discussion, Question};
use Visibility::{Members, Public};

const POSTS: &[DemoPost] = &[
    DemoPost {
        community: "multiple-sclerosis",
        author: "maria_ms",
        kind: Question,
        visibility: Public,
        title: "Does fatigue get better after a relapse?",
        body: "I had a relapse in spring (optic neuritis). My eyesight is almost back to normal, but the tiredness has not gone away. By three in the afternoon I can't think straight.\n\nIs this normal, and does it get better? What helped you?",
        tags: &["fatigue", "relapse"],
        days_ago: 12,
        votes: &["jo_carer", "dr_okafor"],
        replies: &[
            DemoReply {
                author: "dr_okafor",
                parent: None,
                body: "Tiredness after a relapse is very common, and for many people it slowly gets better over weeks to months.\n\nA few things are worth doing:\n\n- **Tell your MS team.** They can check for things that make fatigue worse, such as poor sleep, low mood, an infection, anaemia or side effects of medicines.\n- **Pace yourself.** Plan rests *before* you run out of energy, not after.\n- **Keep gently active.** It sounds backwards, but regular exercise reduces MS fatigue for many people.\n- Ask whether your service runs a **fatigue management course**.\n\nIf the fatigue suddenly gets much worse, or comes with new symptoms, contact your team.\n\nOur library article [Living with MS fatigue](/library/living-with-ms-fatigue) has more tips.",
                votes: &["maria_ms", "jo_carer"],
            },
            DemoReply {
                author: "jo_carer",
                parent: None,
                body: "My partner found that a 20-minute rest after lunch made her evenings much better. Staying cool helps too: heat makes her fatigue worse.",
                votes: &["maria_ms"],
            },
            DemoReply {
                author: "maria_ms",
                parent: Some(0),
                body: "Thank you, that is reassuring. I will ask about the fatigue course at my next appointment.",
                votes: &[],
            },
        ],
        accepted: Some(0),
    },
    DemoPost {
        community: "multiple-sclerosis",
        author: "jo_carer",
        kind: Question,
        visibility: Public,
        title: "Is the flu jab safe for my partner on MS treatment?",
        body: "My partner started a disease-modifying treatment this year. Her GP practice offered the flu vaccine. Is it safe with MS medicines, and does the timing matter?",
        tags: &["vaccines", "treatment"],
        days_ago: 5,
        votes: &["maria_ms"],
        replies: &[DemoReply {
            author: "dr_okafor",
            parent: None,
            body: "For most people with MS the flu **injection** is recommended, including for people on most disease-modifying treatments. It is an inactivated vaccine, so it cannot give you flu.\n\n*Live* vaccines, such as the nasal spray flu vaccine, can be a problem with some treatments. A few treatments also make vaccines work less well, so the timing can matter.\n\nAsk her MS team which vaccine and timing fit her treatment.",
            votes: &["jo_carer", "maria_ms"],
        }],
        accepted: None,
    },
    DemoPost {
        community: "multiple-sclerosis",
        author: "maria_ms",
        kind: Discussion,
        visibility: Members,
        title: "What did you tell your employer about your MS?",
        body: "I have not told my manager yet. Some days I need to work from home because of fatigue, and I am running out of excuses. Did telling work help you, or did you regret it?",
        tags: &["work"],
        days_ago: 3,
        votes: &["jo_carer"],
        replies: &[
            DemoReply {
                author: "jo_carer",
                parent: None,
                body: "My partner told her manager last year. She asked for a later start time on treatment days and it was agreed in one meeting. She wishes she had asked sooner.",
                votes: &["maria_ms"],
            },
            DemoReply {
                author: "maria_ms",
                parent: Some(0),
                body: "That is encouraging. Did she tell the whole team or only her manager?",
                votes: &[],
            },
            DemoReply {
                author: "jo_carer",
                parent: Some(1),
                body: "Only her manager at first. She told the team a few months later, when she felt ready.",
                votes: &[],
            },
        ],
        accepted: None,
    },
    DemoPost {
        community: "chronic-myeloid-leukaemia",
        author: "lena_cml",
        kind: Question,
        visibility: Public,
        title: "My PCR result went up a little. Should I worry?",
        body: "My BCR-ABL result went from 0.08% to 0.12% on the last test. I take my tablets every day and have not missed any. My next appointment is not until next month.",
        tags: &["pcr", "monitoring"],
        days_ago: 9,
        votes: &["sam_moderator"],
        replies: &[
            DemoReply {
                author: "dr_haddad",
                parent: None,
                body: "Small changes like this are common. Results vary a little from one test to the next, especially at low levels, so one small rise is not usually a sign that treatment is failing.\n\nDoctors look at the **trend over several tests**, and at whether the level stays below the targets for your stage of treatment. Your team will usually repeat the test.\n\nIf you have new side effects, or if you are worried, it is fine to call your CML nurse before the appointment.",
                votes: &["lena_cml", "sam_moderator"],
            },
            DemoReply {
                author: "sam_moderator",
                parent: None,
                body: "My dad had a wobble like this last year. The next test was back down. The waiting is the hardest part.",
                votes: &["lena_cml"],
            },
        ],
        accepted: Some(0),
    },
    DemoPost {
        community: "chronic-myeloid-leukaemia",
        author: "sam_moderator",
        kind: Discussion,
        visibility: Public,
        title: "Caring for a parent with CML: what helps you keep going?",
        body: "Dad was diagnosed two years ago. Most days are fine now, but I still worry before every blood test. What helps you as a carer?",
        tags: &["caregivers"],
        days_ago: 7,
        votes: &["lena_cml", "dr_haddad"],
        replies: &[
            DemoReply {
                author: "lena_cml",
                parent: None,
                body: "From the patient side: my sister comes to the results appointments with me and writes things down. It means I can just listen.",
                votes: &["sam_moderator"],
            },
            DemoReply {
                author: "sam_moderator",
                parent: Some(0),
                body: "That is a good idea. I will offer to take notes for Dad next time.",
                votes: &[],
            },
            DemoReply {
                author: "dr_haddad",
                parent: None,
                body: "Carers are welcome at appointments, and many clinics have a CML nurse you can phone with questions between visits. Looking after yourself matters too.",
                votes: &["sam_moderator", "lena_cml"],
            },
        ],
        accepted: None,
    },
    DemoPost {
        community: "chronic-myeloid-leukaemia",
        author: "lena_cml",
        kind: Question,
        visibility: Members,
        title: "Itchy skin since starting a new TKI: does it settle?",
        body: "I switched tablets six weeks ago. Since then my arms and back itch, mostly in the evening. There is a faint rash. Did it settle for anyone?",
        tags: &["side-effects", "skin"],
        days_ago: 2,
        votes: &[],
        replies: &[DemoReply {
            author: "dr_haddad",
            parent: None,
            body: "Skin rash and itching are common side effects of several TKIs and often settle in the first months. Unscented moisturiser and lukewarm showers help many people.\n\nPlease tell your team about it, though: they can suggest treatment, and some rashes need a check.",
            votes: &["lena_cml"],
        }],
        accepted: None,
    },
    DemoPost {
        community: "type-2-diabetes",
        author: "tom_t2d",
        kind: Question,
        visibility: Public,
        title: "What is a good breakfast when my morning sugar is high?",
        body: "My fasting readings are often around 9 mmol/L. I usually have cereal with milk and a glass of orange juice. What do other people eat?",
        tags: &["food", "blood-sugar"],
        days_ago: 10,
        votes: &["maria_ms", "jo_carer"],
        replies: &[
            DemoReply {
                author: "nurse_priya",
                parent: None,
                body: "Cereal and juice are both quick sugars, so they raise blood sugar fast. Some ideas that many people find steadier:\n\n1. Eggs or plain yoghurt with some berries.\n2. Porridge made with whole oats instead of sugary cereal.\n3. Whole fruit instead of juice.\n\nHigh morning readings can also come from the liver releasing sugar overnight, so food is only part of the picture. Bring your readings to your next review: your team may look at your medicines too.",
                votes: &["tom_t2d", "maria_ms", "jo_carer"],
            },
            DemoReply {
                author: "maria_ms",
                parent: None,
                body: "Swapping juice for whole fruit made the biggest difference for me.",
                votes: &["tom_t2d"],
            },
        ],
        accepted: Some(0),
    },
    DemoPost {
        community: "type-2-diabetes",
        author: "tom_t2d",
        kind: Discussion,
        visibility: Public,
        title: "Walking after dinner: has anyone tried it?",
        body: "I read that a short walk after a meal can lower blood sugar. I started a 15-minute walk after dinner this week. Anyone else doing this?",
        tags: &["exercise"],
        days_ago: 4,
        votes: &["jo_carer"],
        replies: &[
            DemoReply {
                author: "jo_carer",
                parent: None,
                body: "My dad walks the dog after dinner every evening. His readings before bed are lower on the days he goes.",
                votes: &["tom_t2d"],
            },
            DemoReply {
                author: "nurse_priya",
                parent: None,
                body: "Great habit. Muscles use sugar while you move, so even 10 to 15 minutes after a meal helps. If you take insulin or a sulfonylurea, carry something sugary in case you go low.",
                votes: &["tom_t2d", "jo_carer"],
            },
            DemoReply {
                author: "tom_t2d",
                parent: Some(1),
                body: "Good to know, I take gliclazide. I will keep some jelly babies in my pocket.",
                votes: &[],
            },
        ],
        accepted: None,
    },
    DemoPost {
        community: "type-2-diabetes",
        author: "tom_t2d",
        kind: Question,
        visibility: Public,
        title: "How do I read the HbA1c number in my clinic letter?",
        body: "My letter says my HbA1c is 58 mmol/mol. Last time it was 64. Is that good? What number should I aim for?",
        tags: &["hba1c"],
        days_ago: 1,
        votes: &[],
        replies: &[],
        accepted: None,
    },
];

/// A demo member as the repositories see them.
pub(crate) async fn user(state: &AppState, handle: &str) -> Result<CurrentUser, String> {
    let id: i64 = sqlx::query("SELECT id FROM users WHERE handle = $1")
        .bind(handle)
        .fetch_one(&state.db.pool)
        .await
        .and_then(|r| r.try_get("id"))
        .map_err(|e| format!("demo member {handle}: {e}"))?;
    app::auth::repo::user_by_id(&state.db, id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("demo member {handle} is missing"))
}

/// Creates the demo posts whose title is not there yet; returns how many it created.
pub async fn create(state: &AppState) -> Result<usize, String> {
    let db = &state.db;
    let err = |e: app::error::AppError| format!("{e:?}");
    let sql_err = |e: sqlx::Error| e.to_string();
    let mut created = 0;
    // Oldest first, so that ids follow time like they do for real posts (New sorts by id).
    let mut posts: Vec<&DemoPost> = POSTS.iter().chain(crate::demo_threads::POSTS).collect();
    posts.sort_by_key(|p| -p.days_ago);
    for p in posts {
        let exists = sqlx::query("SELECT id FROM posts WHERE title = $1")
            .bind(p.title)
            .fetch_optional(&db.pool)
            .await
            .map_err(sql_err)?
            .is_some();
        if exists {
            continue;
        }
        let author = user(state, p.author).await?;
        let input = PostInput {
            kind: p.kind,
            visibility: p.visibility,
            title: p.title.into(),
            body: p.body.into(),
            tags: p.tags.iter().map(|t| t.to_string()).collect(),
            crisis: None,
            anonymous: false,
        };
        let id = repo::create(db, &author, p.community, None, &input)
            .await
            .map(app::ids::PostId)
            .map_err(err)?;
        for v in p.votes {
            repo::toggle_vote(db, &user(state, v).await?, VoteTarget::Post(id))
                .await
                .map_err(err)?;
        }
        // Spread the story over the past days: the post first, each reply some hours later.
        let start = now_ms() - p.days_ago * 86_400_000;
        let mut reply_ids: Vec<app::ids::ReplyId> = Vec::new();
        for (i, r) in p.replies.iter().enumerate() {
            let parent = r.parent.and_then(|j| reply_ids.get(j).copied());
            let rid = repo::reply(db, &user(state, r.author).await?, id, parent, r.body, None)
                .await
                .map_err(err)?;
            for v in r.votes {
                repo::toggle_vote(db, &user(state, v).await?, VoteTarget::Reply(rid))
                    .await
                    .map_err(err)?;
            }
            sqlx::query("UPDATE replies SET created_at = $1 WHERE id = $2")
                .bind(start + (i as i64 + 1) * 3 * 3_600_000)
                .bind(rid)
                .execute(&db.pool)
                .await
                .map_err(sql_err)?;
            reply_ids.push(rid);
        }
        if let Some(a) = p.accepted.and_then(|i| reply_ids.get(i).copied()) {
            repo::accept(db, &author, id, Some(a)).await.map_err(err)?;
        }
        sqlx::query("UPDATE posts SET created_at = $1, last_activity_at = $2 WHERE id = $3")
            .bind(start)
            .bind(start + p.replies.len() as i64 * 3 * 3_600_000)
            .bind(id)
            .execute(&db.pool)
            .await
            .map_err(sql_err)?;
        created += 1;
    }
    Ok(created)
}
