//! The scale generator's people and places: members (5 % verified clinicians), communities with their members, support groups with theirs.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use super::*;

/// The members, communities and groups written, as the later steps need them.
pub(super) struct People {
    pub(super) first_user: i64,
    pub(super) n_members: usize,
    /// Whether each member is a verified clinician.
    pub(super) clinician: Vec<bool>,
    pub(super) first_community: i64,
    pub(super) n_comm: usize,
    /// Each member's communities (indices).
    pub(super) joined: Vec<Vec<u16>>,
    pub(super) member_count: Vec<i64>,
    pub(super) first_group: i64,
    pub(super) n_groups: usize,
    /// The support group each member is in, if any.
    pub(super) group_of: Vec<Option<usize>>,
    pub(super) group_members: Vec<i64>,
}

/// Writes the members, communities, memberships, groups and group memberships.
pub(super) async fn write(
    cx: &mut Cx,
    db: &Db,
    a: &ScaleArgs,
    values: usize,
    now: i64,
    start: i64,
) -> Result<People, String> {
    let n_members = a.members as usize;
    let (first_user, clinician) = members(cx, db, a, values, now, start).await?;
    let (first_community, n_comm) = communities(cx, db, a, values, start).await?;
    let (joined, member_count) = memberships(
        cx,
        values,
        start,
        n_members,
        first_user,
        first_community,
        n_comm,
    )
    .await?;
    let (first_group, n_groups, groups_of) =
        groups(cx, db, a, values, start, first_community, n_comm).await?;
    let (group_of, group_members) = group_members(
        cx,
        values,
        start,
        (first_user, first_group),
        &joined,
        &groups_of,
        n_groups,
    )
    .await?;
    Ok(People {
        first_user,
        n_members,
        clinician,
        first_community,
        n_comm,
        joined,
        member_count,
        first_group,
        n_groups,
        group_of,
        group_members,
    })
}

/// The members (one password hash for all), and which of them are verified clinicians.
async fn members(
    cx: &mut Cx,
    db: &Db,
    a: &ScaleArgs,
    values: usize,
    now: i64,
    start: i64,
) -> Result<(i64, Vec<bool>), String> {
    // Members: one password hash for all (argon2 per member would take hours).
    cx.w.bar.set_message("members");
    let hash = {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt =
            SaltString::encode_b64(&a.seed.to_le_bytes()).map_err(|e| format!("salt: {e}"))?;
        argon2::Argon2::default()
            .hash_password(SCALE_PASSWORD.as_bytes(), &salt)
            .map_err(|e| format!("hash: {e}"))?
            .to_string()
    };
    let first_user = next_id(db, "users").await?;
    let n_members = a.members as usize;
    let mut clinician = vec![false; n_members];
    let mut users = Batch::new(
        values,
        "users",
        &[
            "id",
            "handle",
            "email",
            "password_hash",
            "kind",
            "clinician_status",
            "created_at",
            "password_changed_at",
            "email_verified_at",
            "display_name",
        ],
    );
    for (m, is_clinician) in clinician.iter_mut().enumerate() {
        let id = first_user + m as i64;
        let roll: f64 = cx.rng.gen();
        let kind = if roll < 0.05 {
            *is_clinician = true;
            "clinician"
        } else if roll < 0.2 {
            "caregiver"
        } else {
            "patient"
        };
        let created = start + (m as i64 * (now - start) / (2 * n_members as i64).max(1));
        cx.w.push(
            &mut users,
            vec![
                V::I(id),
                V::S(format!("scale{m}")),
                V::S(format!("scale{m}{SCALE_DOMAIN}")),
                V::S(hash.clone()),
                V::S(kind.into()),
                V::S(if *is_clinician { "verified" } else { "none" }.into()),
                V::I(created),
                V::I(created),
                V::I(created),
                V::S(String::new()),
            ],
        )
        .await?;
    }
    cx.w.flush(&mut users).await?;

    Ok((first_user, clinician))
}

/// The communities: the first id and how many.
async fn communities(
    cx: &mut Cx,
    db: &Db,
    a: &ScaleArgs,
    values: usize,
    start: i64,
) -> Result<(i64, usize), String> {
    // Communities, and each member's 1–5 of them (popular communities more often).
    cx.w.bar.set_message("communities");
    let first_community = next_id(db, "communities").await?;
    let n_comm = a.communities as usize;
    let mut communities = Batch::new(
        values,
        "communities",
        &[
            "id",
            "slug",
            "name",
            "description",
            "created_at",
            "updated_at",
        ],
    );
    for c in 0..n_comm {
        cx.w.push(
            &mut communities,
            vec![
                V::I(first_community + c as i64),
                V::S(format!("scale-{c}")),
                V::S(format!("Scale community {c}")),
                V::S(format!("A generated community ({c}) for the benchmark.")),
                V::I(start),
                V::I(start),
            ],
        )
        .await?;
    }
    cx.w.flush(&mut communities).await?;
    Ok((first_community, n_comm))
}

/// Each member's 1–5 communities (popular communities more often): who joined what, and each
/// community's member count.
async fn memberships(
    cx: &mut Cx,
    values: usize,
    start: i64,
    n_members: usize,
    first_user: i64,
    first_community: i64,
    n_comm: usize,
) -> Result<(Vec<Vec<u16>>, Vec<i64>), String> {
    let zipf_comm = Zipf::new(n_comm, 0.8);
    let mut joined: Vec<Vec<u16>> = Vec::with_capacity(n_members);
    let mut memberships = Batch::new(
        values,
        "community_members",
        &["community_id", "user_id", "joined_at"],
    );
    let mut member_count = vec![0i64; n_comm];
    for m in 0..n_members {
        let k = match cx.rng.gen_range(0..100) {
            0..=39 => 1,
            40..=64 => 2,
            65..=79 => 3,
            80..=89 => 4,
            _ => 5,
        }
        .min(n_comm);
        let mut mine: Vec<u16> = Vec::with_capacity(k);
        while mine.len() < k {
            let c = zipf_comm.sample(&mut cx.rng) as u16;
            if !mine.contains(&c) {
                mine.push(c);
            }
        }
        for c in &mine {
            member_count[*c as usize] += 1;
            cx.w.push(
                &mut memberships,
                vec![
                    V::I(first_community + *c as i64),
                    V::I(first_user + m as i64),
                    V::I(start),
                ],
            )
            .await?;
        }
        joined.push(mine);
    }
    cx.w.flush(&mut memberships).await?;

    Ok((joined, member_count))
}

/// The support groups, each in a community: the first id, how many, and each community's groups.
async fn groups(
    cx: &mut Cx,
    db: &Db,
    a: &ScaleArgs,
    values: usize,
    start: i64,
    first_community: i64,
    n_comm: usize,
) -> Result<(i64, usize, Vec<Vec<usize>>), String> {
    // Support groups: each in a community; one in ten members is in one of their communities'.
    cx.w.bar.set_message("groups");
    let first_group = next_id(db, "support_groups").await?;
    let n_groups = a.groups as usize;
    let mut groups_of: Vec<Vec<usize>> = vec![Vec::new(); n_comm];
    let mut groups = Batch::new(
        values,
        "support_groups",
        &[
            "id",
            "community_id",
            "slug",
            "name",
            "description",
            "kind",
            "created_at",
        ],
    );
    for g in 0..n_groups {
        let c = g % n_comm;
        groups_of[c].push(g);
        let kind = match g % 20 {
            0 => "hidden",
            1..=5 => "private",
            _ => "open",
        };
        cx.w.push(
            &mut groups,
            vec![
                V::I(first_group + g as i64),
                V::I(first_community + c as i64),
                V::S(format!("scale-group-{g}")),
                V::S(format!("Scale group {g}")),
                V::S("A generated support group.".into()),
                V::S(kind.into()),
                V::I(start),
            ],
        )
        .await?;
    }
    cx.w.flush(&mut groups).await?;
    Ok((first_group, n_groups, groups_of))
}

/// One in ten members joins a group of one of their communities: each member's group, and each
/// group's member count.
async fn group_members(
    cx: &mut Cx,
    values: usize,
    start: i64,
    (first_user, first_group): (i64, i64),
    joined: &[Vec<u16>],
    groups_of: &[Vec<usize>],
    n_groups: usize,
) -> Result<(Vec<Option<usize>>, Vec<i64>), String> {
    let n_members = joined.len();
    let mut group_of: Vec<Option<usize>> = vec![None; n_members];
    let mut group_members = vec![0i64; n_groups];
    let mut gm = Batch::new(
        values,
        "support_group_members",
        &["group_id", "user_id", "status", "created_at"],
    );
    for m in 0..n_members {
        if cx.rng.gen_range(0..10) != 0 {
            continue;
        }
        let c = joined[m][cx.rng.gen_range(0..joined[m].len())] as usize;
        if let Some(g) = groups_of[c].choose(&mut cx.rng).copied() {
            group_of[m] = Some(g);
            group_members[g] += 1;
            cx.w.push(
                &mut gm,
                vec![
                    V::I(first_group + g as i64),
                    V::I(first_user + m as i64),
                    V::S("active".into()),
                    V::I(start),
                ],
            )
            .await?;
        }
    }
    cx.w.flush(&mut gm).await?;
    Ok((group_of, group_members))
}
