//! The scale generator's direct messages: distinct pairs of members, heavy-tailed conversation lengths, some last messages unread.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use super::*;

/// Writes the conversations and their messages; answers each member's unread messages.
pub(super) async fn write(
    cx: &mut Cx,
    world: &World<'_>,
    authors: &[usize],
    zipf_members: &Zipf,
) -> Result<Vec<i64>, String> {
    let World {
        db,
        a,
        values,
        now,
        start,
        first_user,
        n_members,
    } = *world;
    let span = now - start;
    let first_conv = next_id(db, "conversations").await?;
    let mut message_id = next_id(db, "messages").await?;
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    let (mut convs, mut msgs) = tables(values);
    let mut unread_messages = vec![0i64; n_members];
    let max_pairs = (n_members as u64 * (n_members as u64 - 1) / 2).min(a.conversations);
    let mut messages_left = a.messages;
    let msg_mean = a.messages as f64 / a.conversations.max(1) as f64;
    for ci in 0..max_pairs {
        let (x, y) = loop {
            let x = authors[zipf_members.sample(&mut cx.rng)];
            let y = cx.rng.gen_range(0..n_members);
            let pair = (x.min(y), x.max(y));
            if x != y && pairs.insert(pair) {
                break pair;
            }
        };
        let id = first_conv + ci as i64;
        let mut k = heavy(&mut cx.rng, msg_mean, 2_000).clamp(1, messages_left.max(1));
        if ci + 1 == max_pairs {
            k = messages_left.max(1);
        }
        messages_left = messages_left.saturating_sub(k);
        let created = start + cx.rng.gen_range(0..span);
        let conv = Conversation {
            id,
            sender: (first_user + x as i64, first_user + y as i64),
            created,
        };
        let Said {
            rows,
            last: t,
            unread: (unread_x, unread_y),
        } = said(cx, &conv, k, now, &mut message_id);
        unread_messages[x] += unread_x;
        unread_messages[y] += unread_y;
        cx.w.push(
            &mut convs,
            vec![
                V::I(id),
                V::I(first_user + x as i64),
                V::I(first_user + y as i64),
                V::I(unread_x),
                V::I(unread_y),
                V::I(t),
                V::I(created),
            ],
        )
        .await?;
        for r in rows {
            cx.w.push(&mut msgs, r).await?;
        }
        if convs.full() || msgs.full() {
            cx.w.flush(&mut convs).await?;
            cx.w.flush(&mut msgs).await?;
        }
    }
    cx.w.flush(&mut convs).await?;
    cx.w.flush(&mut msgs).await?;

    Ok(unread_messages)
}

/// The conversations and messages tables; messages are flushed with their conversations.
fn tables(values: usize) -> (Batch, Batch) {
    let convs = Batch::new(
        values,
        "conversations",
        &[
            "id",
            "user_a",
            "user_b",
            "unread_a",
            "unread_b",
            "last_message_at",
            "created_at",
        ],
    );
    let msgs = Batch::new(
        values,
        "messages",
        &[
            "id",
            "conversation_id",
            "sender_id",
            "body",
            "body_html",
            "created_at",
        ],
    )
    .manual();
    (convs, msgs)
}

/// A conversation being written: its id, its two members' ids, when it began.
struct Conversation {
    id: i64,
    sender: (i64, i64),
    created: i64,
}

/// A conversation's messages: their rows, when the last was sent, and how many each member has
/// not read.
struct Said {
    rows: Vec<Vec<V>>,
    last: i64,
    unread: (i64, i64),
}

/// `k` messages between the two members, minutes to a day apart; the last few of some are
/// unread by their receiver.
fn said(cx: &mut Cx, conv: &Conversation, k: u64, now: i64, message_id: &mut i64) -> Said {
    let mut t = conv.created;
    let (mut unread_x, mut unread_y) = (0i64, 0i64);
    let mut rows = Vec::with_capacity(k as usize);
    for j in 0..k {
        t = (t + cx.rng.gen_range(60_000..86_400_000)).min(now);
        let from_x = cx.rng.gen_bool(0.5);
        let text = sentence(&mut cx.rng, &cx.words, &cx.zipf_words, 3, 25);
        // The last few messages of some conversations are unread by their receiver.
        if j + 3 >= k && cx.rng.gen_range(0..5) == 0 {
            if from_x {
                unread_y += 1;
            } else {
                unread_x += 1;
            }
        }
        rows.push(vec![
            V::I(*message_id),
            V::I(conv.id),
            V::I(if from_x { conv.sender.0 } else { conv.sender.1 }),
            V::S(text.clone()),
            V::S(format!("<p>{text}</p>")),
            V::I(t),
        ]);
        *message_id += 1;
    }
    Said {
        rows,
        last: t,
        unread: (unread_x, unread_y),
    }
}
