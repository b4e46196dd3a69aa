//! Demo support groups for `seed --demo`: a private, an open and a hidden group with members, a waiting request and posts (invented people only).

use crate::demo_posts::user;
use app::groups::repo as groups;
use app::groups::types::{GroupInput, GroupKind};
use app::posts::repo::{self as posts, PostInput};
use app::posts::types::{PostKind, Visibility};
use app::state::AppState;

struct DemoGroupPost {
    author: &'static str,
    kind: PostKind,
    title: &'static str,
    body: &'static str,
    pinned: bool,
    replies: &'static [(&'static str, &'static str)],
}

struct DemoGroup {
    community: &'static str,
    moderator: &'static str,
    name: &'static str,
    description: &'static str,
    kind: GroupKind,
    question: &'static str,
    /// Members who asked (with their answer) and were approved, or joined an open group.
    members: &'static [(&'static str, &'static str)],
    /// Members whose request still waits for the moderator.
    waiting: &'static [(&'static str, &'static str)],
    posts: &'static [DemoGroupPost],
}

const GROUPS: &[DemoGroup] = &[
    DemoGroup {
        community: "multiple-sclerosis",
        moderator: "dr_okafor",
        name: "Newly diagnosed with MS",
        description: "For the first year after an MS diagnosis: questions you may not want to ask in public, with people who were there recently.",
        kind: GroupKind::Private,
        question: "How long ago were you diagnosed, and what would help you most here?",
        members: &[("maria_ms", "Eight months ago. I'd like to hear how others handled work.")],
        waiting: &[("jo_carer", "My partner was diagnosed last month; I want to understand what's ahead.")],
        posts: &[
            DemoGroupPost {
                author: "dr_okafor",
                kind: PostKind::Discussion,
                title: "Welcome: start here",
                body: "This group is private: only its members read what you write here.\n\nIntroduce yourself if you like, and ask anything — there are no silly questions in the first year.",
                pinned: true,
                replies: &[("maria_ms", "Thank you. Diagnosed in March, still finding my feet.")],
            },
            DemoGroupPost {
                author: "maria_ms",
                kind: PostKind::Question,
                title: "When did you tell your employer?",
                body: "I haven't told anyone at work yet. Did telling them early help or make things harder?",
                pinned: false,
                replies: &[("dr_okafor", "There is no right moment. Many people wait until they know what adjustments they need; occupational health can help you plan that conversation.")],
            },
        ],
    },
    DemoGroup {
        community: "chronic-myeloid-leukaemia",
        moderator: "sam_moderator",
        name: "Caregivers of people with CML",
        description: "Partners, parents and friends of people with CML: appointments, side effects at home, and looking after yourself too.",
        kind: GroupKind::Open,
        question: "",
        members: &[("lena_cml", "")],
        waiting: &[],
        posts: &[DemoGroupPost {
            author: "lena_cml",
            kind: PostKind::Discussion,
            title: "What helps you on clinic days?",
            body: "My husband comes with me to every monitoring appointment. What do other carers bring or do to make those days easier?",
            pinned: false,
            replies: &[],
        }],
    },
    DemoGroup {
        community: "multiple-sclerosis",
        moderator: "dr_okafor",
        name: "MS trial participants",
        description: "Hidden group for members taking part in a clinical trial, by invitation of the moderators.",
        kind: GroupKind::Hidden,
        question: "",
        members: &[("maria_ms", "")],
        waiting: &[],
        posts: &[DemoGroupPost {
            author: "maria_ms",
            kind: PostKind::Discussion,
            title: "Week six of the trial",
            body: "Infusion days are long but the nurses are lovely. Anyone else tired for a day afterwards?",
            pinned: false,
            replies: &[],
        }],
    },
];

/// Creates the demo groups that do not exist yet (by name); returns how many it created.
pub async fn create(state: &AppState) -> Result<usize, String> {
    let db = &state.db;
    let err = |e: app::error::AppError| format!("{e:?}");
    let mut created = 0;
    for g in GROUPS {
        let exists = crate::demo_posts::exists(
            state,
            "SELECT id FROM support_groups WHERE name = $1",
            g.name,
        )
        .await?;
        if exists {
            continue;
        }
        let moderator = user(state, g.moderator).await?;
        let input = GroupInput {
            name: g.name.into(),
            description: g.description.into(),
            kind: g.kind,
            question: g.question.into(),
        };
        let slug = groups::create(db, &moderator, g.community, &input)
            .await
            .map_err(err)?;
        for (handle, answer) in g.members {
            let member = user(state, handle).await?;
            if g.kind == GroupKind::Hidden {
                groups::invite(db, &moderator, &slug, handle)
                    .await
                    .map_err(err)?;
            }
            groups::join(db, &member, &slug, answer)
                .await
                .map_err(err)?;
            if g.kind == GroupKind::Private {
                groups::decide(db, &moderator, &slug, handle, true)
                    .await
                    .map_err(err)?;
            }
        }
        for (handle, answer) in g.waiting {
            groups::join(db, &user(state, handle).await?, &slug, answer)
                .await
                .map_err(err)?;
        }
        for p in g.posts {
            let author = user(state, p.author).await?;
            let input = PostInput {
                kind: p.kind,
                visibility: Visibility::Public,
                title: p.title.into(),
                body: p.body.into(),
                tags: Vec::new(),
                crisis: None,
                anonymous: false,
            };
            let id = posts::create(db, &author, g.community, Some(&slug), &input)
                .await
                .map(app::ids::PostId)
                .map_err(err)?;
            for (handle, body) in p.replies {
                posts::reply(db, &user(state, handle).await?, id, None, body, None)
                    .await
                    .map_err(err)?;
            }
            if p.pinned {
                posts::pin(db, &moderator, id, true).await.map_err(err)?;
            }
        }
        created += 1;
    }
    Ok(created)
}
