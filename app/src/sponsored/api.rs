//! Sponsored server functions: the message for one slot (public, chosen from the page alone and counted for people), and the admin's campaigns: list with counts, create, pause, resume and end.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The sponsored message for a `on` slot (`feed`, `sidebar` or `directory`) of a page of
/// `community` (a slug), or of post `post`, or of no community; `None` when nothing may fill it.
/// It never looks at who is reading: not the member, their conditions or what they wrote.
#[server(endpoint = "sponsored")]
pub async fn get_sponsored(
    on: String,
    community: Option<String>,
    post: Option<i64>,
) -> Result<Option<SponsoredView>, AppError> {
    crate::call::public(async |state| {
        let placement = Placement::parse(&on).ok_or(AppError::BadRequest)?;
        choose(&state, placement, community, post).await
    })
    .await
}

/// Chooses (and counts) the sponsored message for a slot; the feed calls it for its in-feed slot.
/// What it needs of the request (the reader's agent and address) is read before the first
/// `await`: a page left before it is rendered drops its context while this may still run.
#[cfg(feature = "ssr")]
pub async fn choose(
    state: &crate::state::AppState,
    placement: Placement,
    community: Option<String>,
    post: Option<i64>,
) -> Result<Option<SponsoredView>, AppError> {
    use crate::counting::{day_of, is_bot, visitor_hash};
    let ua = crate::state::request_header(http::header::USER_AGENT);
    let ip = crate::auth::api::session::client_ip();
    let now = crate::db::now_ms();
    let Some(page) = slot_page(state, post, community).await? else {
        return Ok(None);
    };
    let human = !is_bot(&ua);
    let visitor = if human {
        let salt = state.counts.salt(&state.db, now).await?;
        Some(visitor_hash(&salt, &ip, &ua))
    } else {
        None
    };
    let chosen = super::repo::pick(
        &state.db,
        &state.counts,
        placement,
        page.as_ref(),
        visitor.as_deref(),
        now,
    )
    .await?;
    let slot = Slot {
        placement,
        day: day_of(now),
        community: page.as_ref().map(|c| c.id).unwrap_or(0),
    };
    count_slot(state, slot, chosen.as_ref(), visitor, human);
    let Some(c) = chosen else { return Ok(None) };
    let label = if c.house {
        format!(
            "From {}",
            crate::operator::repo::profile(&state.db).await?.name
        )
    } else {
        format!("Sponsored · {}", c.advertiser)
    };
    let slug = page.map(|p| p.slug).unwrap_or_default();
    let context = format!("c={slug}&on={}", placement.as_str());
    Ok(Some(SponsoredView {
        id: c.id,
        label,
        house: c.house,
        headline: c.headline,
        body: c.body,
        cta: c.cta,
        disclosure: c.disclosure,
        href: format!("/go/{}?{context}", c.id),
        why: format!("/about/sponsored?{context}"),
    }))
}

/// The community page a slot is on (`Some(None)`: a page of no community); `None` when the
/// slot shows nothing (a support group's post, an unknown community).
#[cfg(feature = "ssr")]
async fn slot_page(
    state: &crate::state::AppState,
    post: Option<i64>,
    community: Option<String>,
) -> Result<Option<Option<super::repo::PageCommunity>>, AppError> {
    Ok(
        match (post, community.as_deref().filter(|s| !s.is_empty())) {
            (Some(p), _) => super::repo::post_community(&state.db, p).await?.map(Some),
            (None, Some(slug)) => super::repo::community(&state.db, slug).await?.map(Some),
            (None, None) => Some(None),
        },
    )
}

/// A slot: where, on which day, in which community (0: none).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
struct Slot {
    placement: Placement,
    day: i64,
    community: i64,
}

/// Counts what a slot showed (for people, not bots): the slot's fill, the campaign's impression
/// and, for a campaign capped per visitor, that this visitor saw it. The response names what it
/// showed, for the page cache to count again each time it serves the page; a campaign capped per
/// visitor depends on who reads, so its page is not cached.
#[cfg(feature = "ssr")]
fn count_slot(
    state: &crate::state::AppState,
    slot: Slot,
    chosen: Option<&super::repo::Candidate>,
    visitor: Option<String>,
    human: bool,
) {
    use crate::counting::{Count, Fill};
    let fill = match chosen {
        None => Fill::Empty,
        Some(c) if c.house => Fill::House,
        Some(_) => Fill::Paid,
    };
    let shown = Shown {
        slot: slot.placement,
        community: slot.community,
        fill,
        campaign: chosen.map(|c| c.id).unwrap_or(0),
    };
    crate::state::add_response_header(SHOWN_HEADER, &shown.encode());
    if chosen.is_some_and(|c| c.visitor_capped) {
        crate::state::keep_out_of_page_cache();
    }
    if human {
        state.counts.add(Count::SlotShown {
            day: slot.day,
            community: slot.community,
            slot: slot.placement,
            fill,
        });
    }
    let (Some(c), Some(v)) = (chosen, visitor) else {
        return;
    };
    state.counts.add(Count::Impression {
        campaign: c.id,
        day: slot.day,
        community: slot.community,
        slot: slot.placement,
    });
    if c.visitor_capped {
        state.counts.add(Count::Seen {
            day: slot.day,
            visitor: v,
            campaign: c.id,
        });
    }
}

/// The response header a page's sponsored slots are listed in (one value a slot). The server's
/// page cache takes it off the response and, each time it serves the cached page to a person,
/// counts those slots again with [`count_shown_again`]; it never reaches the browser.
pub const SHOWN_HEADER: &str = "x-hc-sponsored-shown";

/// One sponsored slot a rendered page showed: where, and what filled it.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub slot: Placement,
    pub community: i64,
    pub fill: crate::counting::Fill,
    /// 0 when the slot stayed empty.
    pub campaign: i64,
}

#[cfg(feature = "ssr")]
impl Shown {
    pub fn encode(&self) -> String {
        use crate::counting::Fill;
        let fill = match self.fill {
            Fill::Paid => "paid",
            Fill::House => "house",
            Fill::Empty => "empty",
        };
        format!(
            "{} {} {fill} {}",
            self.slot.as_str(),
            self.community,
            self.campaign
        )
    }

    pub fn decode(raw: &str) -> Option<Self> {
        use crate::counting::Fill;
        let mut parts = raw.split(' ');
        let slot = Placement::parse(parts.next()?)?;
        let community = parts.next()?.parse().ok()?;
        let fill = match parts.next()? {
            "paid" => Fill::Paid,
            "house" => Fill::House,
            "empty" => Fill::Empty,
            _ => return None,
        };
        let campaign = parts.next()?.parse().ok()?;
        Some(Self {
            slot,
            community,
            fill,
            campaign,
        })
    }
}

/// Counts the slots of a page served again from the page cache, as [`choose`] counted them when
/// it rendered the page: the slot shown (inventory) and the campaign's impression, for people
/// only.
#[cfg(feature = "ssr")]
pub fn count_shown_again(state: &crate::state::AppState, shown: &[Shown], user_agent: &str) {
    use crate::counting::{day_of, is_bot, Count};
    if is_bot(user_agent) {
        return;
    }
    let day = day_of(crate::db::now_ms());
    for s in shown {
        state.counts.add(Count::SlotShown {
            day,
            community: s.community,
            slot: s.slot,
            fill: s.fill,
        });
        if s.campaign != 0 {
            state.counts.add(Count::Impression {
                campaign: s.campaign,
                day,
                community: s.community,
                slot: s.slot,
            });
        }
    }
}

/// Every campaign with its counts (this process's latest counts are added first).
#[server(endpoint = "sponsored/admin")]
pub async fn get_campaigns() -> Result<CampaignAdmin, AppError> {
    crate::call::admin(async |state, _admin| {
        state.counts.flush(&state.db).await?;
        super::repo::admin_view(&state.db, crate::db::now_ms()).await
    })
    .await
}

/// The no-JavaScript echo of the `create_campaign` form (what a failed post typed).
pub const CREATE_CAMPAIGN: crate::ui::EchoKey = crate::ui::EchoKey("create_campaign");

/// Creates a campaign for `advertiser` (an id, or `house` for the operator's own promotion).
/// `targets[<slug>]` ticks a community (none ticked: every community); `in_*` tick placements;
/// caps and prices may be empty.
#[server(endpoint = "sponsored/create")]
pub async fn create_campaign(
    #[server(flatten)] form: CampaignForm,
    targets: Option<BTreeMap<String, String>>,
) -> Result<(), AppError> {
    let communities: Vec<String> = targets
        .iter()
        .flatten()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    let result = crate::call::admin(async |state, admin| {
        let campaign = form.check(communities.clone(), crate::db::now_ms())?;
        super::repo::create(&state.db, admin.id, campaign).await?;
        Ok(())
    })
    .await;
    let targets_echo = communities.join(",");
    crate::auth::session::finish_form_of(
        CREATE_CAMPAIGN,
        &form,
        &[("targets", &targets_echo)],
        result,
    )
}

/// `change` is "pause", "resume" or "end".
#[server(endpoint = "sponsored/status")]
pub async fn set_campaign_status(id: i64, change: String) -> Result<(), AppError> {
    crate::call::admin(async |state, admin| {
        let status = CampaignStatus::from_change(&change).ok_or(AppError::BadRequest)?;
        super::repo::set_status(&state.db, admin.id, id, status).await
    })
    .await
}
