//! Directory search: the query by specialty, name and place (distance from a resolved place), and the providers a community or a search names.

use super::*;
use crate::db::Backend;

/// A parsed directory search.
pub struct Search {
    pub kind: Option<ProviderKind>,
    pub specialty: Option<String>,
    pub condition: Option<String>,
    pub language: Option<String>,
    pub accepting: bool,
    /// Free text place (city or postal code), resolved here.
    pub place: Option<String>,
    /// Browser position.
    pub position: Option<(f64, f64)>,
    pub radius_km: f64,
    pub by_rating: bool,
}

/// The SQL and binds of a search's candidates (exposed for the query-plan test).
pub fn search_sql(s: &Search, centre: Option<(f64, f64)>) -> (String, Vec<(&'static str, String)>) {
    let (sql, binds) = build_search(s, centre);
    (
        sql,
        binds
            .into_iter()
            .map(|b| match b {
                Bind::Text(t) => ("text", t),
                Bind::Int(i) => ("int", i.to_string()),
                Bind::Float(f) => ("float", f.to_string()),
            })
            .collect(),
    )
}

/// Candidates are capped: a place search holds at most this many before distances are computed.
pub(super) const CANDIDATES_MAX: i64 = 5000;

/// What a place search reads of each candidate: enough to rank it (`providers_geo_idx` holds it).
const NEAR_COLUMNS: &str = "p.id, p.lat, p.lon, p.rating_avg_x100, p.rating_count";

pub(super) fn build_search(s: &Search, centre: Option<(f64, f64)>) -> (String, Vec<Bind>) {
    build_search_within(s, centre, s.radius_km)
}

/// `build_search` with the bounding box of `radius_km` around the centre.
fn build_search_within(
    s: &Search,
    centre: Option<(f64, f64)>,
    radius_km: f64,
) -> (String, Vec<Bind>) {
    let columns = if centre.is_some() {
        NEAR_COLUMNS
    } else {
        CARD_COLUMNS
    };
    let mut sql = format!("SELECT {columns} FROM providers p WHERE 1 = 1");
    let mut binds = Vec::new();
    let mut n = 0;
    let mut next = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        n += 1;
        format!("${n}")
    };
    if let Some((lat, lon)) = centre {
        let (a, b, c, d) = bounding_box(lat, lon, radius_km);
        let (pa, pb) = (
            next(&mut binds, Bind::Float(a)),
            next(&mut binds, Bind::Float(b)),
        );
        let (pc, pd) = (
            next(&mut binds, Bind::Float(c)),
            next(&mut binds, Bind::Float(d)),
        );
        sql += &format!(" AND p.lat BETWEEN {pa} AND {pb} AND p.lon BETWEEN {pc} AND {pd}");
    }
    if let Some(k) = s.kind {
        let p = next(&mut binds, Bind::Text(k.as_str().into()));
        sql += &format!(" AND p.kind = {p}");
    }
    if let Some(sp) = &s.specialty {
        let p = next(&mut binds, Bind::Text(format!("% {sp} %")));
        sql += &format!(" AND p.specialties LIKE {p}");
    }
    if let Some(l) = &s.language {
        let p = next(&mut binds, Bind::Text(format!("% {l} %")));
        sql += &format!(" AND p.languages LIKE {p}");
    }
    if s.accepting {
        sql += " AND p.accepting = 1";
    }
    if let Some(c) = &s.condition {
        let p = next(&mut binds, Bind::Text(c.clone()));
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM provider_conditions pc JOIN communities c ON c.id = pc.community_id \
               WHERE pc.provider_id = p.id AND c.slug = {p})"
        );
    }
    if centre.is_some() {
        let p = next(&mut binds, Bind::Int(CANDIDATES_MAX));
        sql += &format!(" LIMIT {p}");
    } else {
        let p = next(&mut binds, Bind::Int(RESULTS_MAX as i64 + 1));
        sql +=
            &format!(" ORDER BY p.rating_avg_x100 DESC, p.rating_count DESC, p.id DESC LIMIT {p}");
    }
    (sql, binds)
}

/// The centre of a city or postal code: the mean position of the providers there (of the first
/// 200 of the city and of the postal code: a city of 4,600 providers averaged all of them in
/// 7.5 ms, and 200 place its centre within a few hundred metres).
pub(super) async fn resolve_place(db: &Db, place: &str) -> Result<Option<(f64, f64)>, AppError> {
    let r = sqlx::query(
        "SELECT AVG(lat) AS lat, AVG(lon) AS lon FROM ( \
           SELECT * FROM (SELECT lat, lon FROM providers \
             WHERE city_key = $1 AND lat IS NOT NULL AND lon IS NOT NULL LIMIT 200) AS by_city \
           UNION ALL \
           SELECT * FROM (SELECT lat, lon FROM providers \
             WHERE postal_code = $2 AND lat IS NOT NULL AND lon IS NOT NULL LIMIT 200) AS by_code \
         ) AS found",
    )
    .bind(place.to_lowercase())
    .bind(place)
    .fetch_one(&db.pool)
    .await?;
    let (lat, lon): (Option<f64>, Option<f64>) = (r.try_get("lat")?, r.try_get("lon")?);
    Ok(lat.zip(lon))
}

pub async fn search(db: &Db, s: &Search) -> Result<DirectoryResults, AppError> {
    use crate::places::{repo::Resolved, types::PlaceFound};
    let mut place: Option<PlaceFound> = None;
    let (centre, place_label) = match (s.position, &s.place) {
        (Some(p), _) => (Some(p), Some("your location".to_string())),
        (None, Some(text)) => match crate::places::repo::resolve(db, text).await? {
            Resolved::Found(found) => {
                let label = found.label.clone();
                let centre = (found.lat, found.lon);
                place = Some(found);
                (Some(centre), Some(label))
            }
            Resolved::Choose { question, labels } => {
                return Ok(DirectoryResults {
                    providers: Vec::new(),
                    place_label: None,
                    place: None,
                    choose: Some((question, labels)),
                    centre: None,
                    radius_km: s.radius_km,
                    truncated: false,
                })
            }
            // Not in the gazetteer (or none is loaded): the cities and codes of the providers.
            Resolved::NotFound => match resolve_place(db, text).await? {
                Some(c) => (Some(c), Some(text.clone())),
                None => {
                    return Err(AppError::field(
                        "place",
                        format!(
                            "We could not find a place called “{text}”. Try a city, a postal code (“SW1A 1AA”, “10115”), or “Near me”."
                        ),
                    ))
                }
            },
        },
        (None, None) => (None, None),
    };
    let mut providers = Vec::with_capacity(RESULTS_MAX + 1);
    if let Some(centre) = centre {
        let mut near = nearest(db, s, centre).await?;
        if s.by_rating {
            near.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.total_cmp(&b.1)));
        } else {
            near.sort_by(|a, b| a.1.total_cmp(&b.1));
        }
        near.truncate(RESULTS_MAX + 1);
        let mut cards = cards_by_id(db, near.iter().map(|n| n.0)).await?;
        for (id, d, _, position) in near {
            if let Some(mut c) = cards.remove(&id) {
                c.distance_km = Some(d);
                c.position = Some(position);
                providers.push(c);
            }
        }
    } else {
        let (sql, binds) = build_search(s, None);
        let rows = bind_all(sqlx::query(&sql), &binds)
            .fetch_all(&db.pool)
            .await?;
        for r in &rows {
            providers.push(card(r)?);
        }
    }
    let truncated = providers.len() > RESULTS_MAX;
    providers.truncate(RESULTS_MAX);
    Ok(DirectoryResults {
        providers,
        place_label,
        centre,
        place,
        choose: None,
        radius_km: s.radius_km,
        truncated,
    })
}

/// A place search's candidate: id, distance in km, rating (average × 100, count), position.
type Near = (i64, f64, (i64, i64), (f64, f64));

/// The providers matching `s` within its radius of `centre`, ranked later from these columns
/// alone (`providers_geo_idx` holds them). Nearest first reads rings that grow from an eighth of
/// the radius: once a ring's circle holds more than a page, nobody outside it can be nearer,
/// so a city of 4,600 providers reads the few hundred of its middle instead of all of them.
/// By rating, the whole radius is read.
async fn nearest(db: &Db, s: &Search, (lat, lon): (f64, f64)) -> Result<Vec<Near>, AppError> {
    let mut radius = if s.by_rating {
        s.radius_km
    } else {
        s.radius_km / 8.0
    };
    loop {
        let (sql, binds) = build_search_within(s, Some((lat, lon)), radius);
        let rows = bind_all(sqlx::query(&sql), &binds)
            .fetch_all(&db.pool)
            .await?;
        let mut near = Vec::with_capacity(rows.len());
        for r in &rows {
            let (plat, plon): (Option<f64>, Option<f64>) = (r.try_get("lat")?, r.try_get("lon")?);
            let Some((plat, plon)) = plat.zip(plon) else {
                continue;
            };
            let d = haversine_km(lat, lon, plat, plon);
            if d <= radius {
                let rating: (i64, i64) =
                    (r.try_get("rating_avg_x100")?, r.try_get("rating_count")?);
                near.push((r.try_get::<i64, _>("id")?, d, rating, (plat, plon)));
            }
        }
        if near.len() > RESULTS_MAX || radius >= s.radius_km {
            return Ok(near);
        }
        radius = (radius * 2.0).min(s.radius_km);
    }
}

/// The cards of the providers `ids` (a page of a place search), by id.
async fn cards_by_id(
    db: &Db,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, ProviderCard>, AppError> {
    let ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    // Ids are integers from the database: written into the statement, not bound one by one.
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM providers p WHERE p.id IN ({})",
        ids.join(", ")
    );
    let rows = sqlx::query(&sql).fetch_all(&db.pool).await?;
    let mut cards = std::collections::HashMap::with_capacity(rows.len());
    for r in &rows {
        cards.insert(r.try_get::<i64, _>("id")?, card(r)?);
    }
    Ok(cards)
}

/// The best-rated providers treating a community's condition (community sidebars).
pub async fn top_for_community(db: &Db, community: &str) -> Result<Vec<ProviderCard>, AppError> {
    let rows = sqlx::query(&top_for_community_sql())
        .bind(community)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(card).collect::<Result<Vec<_>, _>>()?)
}

/// `top_for_community`'s statement (the plan test reads it): three steps of
/// `provider_conditions_rating_idx`, which keeps a copy of each provider's rating.
pub fn top_for_community_sql() -> String {
    format!(
        "SELECT {CARD_COLUMNS} FROM provider_conditions pc JOIN providers p ON p.id = pc.provider_id \
         WHERE pc.community_id = (SELECT id FROM communities WHERE slug = $1) \
         ORDER BY pc.rating_avg_x100 DESC, pc.rating_count DESC, pc.provider_id DESC LIMIT 3"
    )
}

/// The full-text query of a search's slots for the directory: each slot (a word, or a synonym
/// group's alternatives) must be in the name, city, specialties or description; with `prefix`
/// each alternative's last word also matches as a prefix (not for a word common enough that the
/// posts' search matches it whole: FTS5 merges the lists of every word starting with it on each
/// read, 2–5 ms a search at 20,000 providers for "the"). Words are letters and digits only
/// (`search::repo::clean_query`). Empty when there are no words.
pub fn provider_query(backend: Backend, slots: &[Vec<Vec<String>>], prefix: bool) -> String {
    let (star, pg_star) = if prefix { ("*", ":*") } else { ("", "") };
    let parts: Vec<String> = slots
        .iter()
        .take(8)
        .filter_map(|slot| {
            let alts: Vec<String> = slot
                .iter()
                .take(8)
                .filter(|alt| !alt.is_empty())
                .map(|alt| {
                    let words: Vec<String> = alt
                        .iter()
                        .map(|w| {
                            w.chars()
                                .filter(|c| c.is_alphanumeric())
                                .collect::<String>()
                        })
                        .filter(|w| !w.is_empty())
                        .collect();
                    if words.is_empty() {
                        return String::new();
                    }
                    match backend {
                        Backend::Sqlite => format!("\"{}\"{star}", words.join(" ")),
                        Backend::Postgres => format!("{}{pg_star}", words.join(" <-> ")),
                    }
                })
                .filter(|a| !a.is_empty())
                .collect();
            (!alts.is_empty()).then(|| match backend {
                Backend::Sqlite => format!("({})", alts.join(" OR ")),
                Backend::Postgres => format!("({})", alts.join(" | ")),
            })
        })
        .collect();
    parts.join(match backend {
        Backend::Sqlite => " AND ",
        Backend::Postgres => " & ",
    })
}

/// The WHERE clause and binds for providers matching every word of a search (`provider_query`),
/// through the directory's full-text index.
pub(super) fn matching_where(
    backend: Backend,
    slots: &[Vec<Vec<String>>],
    prefix: bool,
) -> (String, Vec<Bind>) {
    let query = provider_query(backend, slots, prefix);
    if query.is_empty() {
        return (" WHERE 1 = 1".into(), Vec::new());
    }
    let sql = match backend {
        Backend::Sqlite => {
            " WHERE p.id IN (SELECT rowid FROM providers_fts WHERE providers_fts MATCH $1)".into()
        }
        Backend::Postgres => " WHERE p.words @@ to_tsquery('simple', $1)".into(),
    };
    (sql, vec![Bind::Text(query)])
}

/// How many providers hold a search's words, as far as the search counts them (`count`, up to
/// its cap), and on SQLite how densely: the share of providers among the first `count` by id
/// that match (the full-text index hands its matches over in id order, so the last one's id
/// says how far they reached). Read from the index alone, with the same 100 entries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProviderMatches {
    pub count: i64,
    pub cap: i64,
    pub density: f64,
}

impl ProviderMatches {
    /// Whether the count stopped at its cap.
    pub fn capped(&self) -> bool {
        self.count >= self.cap
    }
}

/// How `matching` finds its page on SQLite, from how many providers match (see its comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// From the list of matches: few enough to sort.
    Matches,
    /// Down the rating index, keeping providers found in the list of matches read once.
    RatingInList,
    /// Down the rating index, asking the full-text index about each provider in turn.
    RatingAsking,
}

/// The way to a page of `limit` after `offset` among `m`: asking about each provider costs
/// some 0.1 ms, and a page of providers holding a word in more than half of them asks about
/// fewer than twice its length; the list of matches costs 0.12 µs an entry (2 ms at 18,000).
fn walk(m: ProviderMatches, limit: i64, offset: i64) -> Walk {
    if !m.capped() {
        Walk::Matches
    } else if m.density >= 0.5 && limit + offset <= 10 {
        Walk::RatingAsking
    } else {
        Walk::RatingInList
    }
}

/// Providers matching the search words, best rated first (the search page's providers tab):
/// the page's ids from the rating index first, then their cards (sorting every match's card
/// read each one from the table: 7.9 ms for a word in every provider at 20,000). When the
/// search's count reached its cap of a hundred, SQLite walks the rating index instead
/// ([`walk`]): for the few best of a word in most providers (the All tab's three) it asks the
/// full-text index about each provider it passes, 0.3 ms for "the" at 20,000 (FTS5 seeks along
/// the word's list, 0.1–0.5 ms a provider: 11 ms for three of a word in an eighth of them);
/// otherwise it keeps the providers found in the list of matches, read once (`+p.id` keeps the
/// planner from looking the matches up one by one): 2 ms for a word in nearly every provider,
/// 0.5 ms for one in an eighth of them.
pub async fn matching(
    db: &Db,
    words: &[Vec<Vec<String>>],
    matches: ProviderMatches,
    limit: i64,
    offset: i64,
    prefix: bool,
) -> Result<Vec<ProviderCard>, AppError> {
    let (mut filter, mut binds) = matching_where(db.backend, words, prefix);
    if db.backend == Backend::Sqlite && !binds.is_empty() {
        match walk(matches, limit, offset) {
            Walk::Matches => {}
            Walk::RatingInList => {
                filter = " WHERE +p.id IN (SELECT rowid FROM providers_fts \
                          WHERE providers_fts MATCH $1)"
                    .into();
            }
            Walk::RatingAsking => {
                filter = " WHERE EXISTS (SELECT 1 FROM providers_fts f \
                          WHERE providers_fts MATCH $1 AND f.rowid = p.id)"
                    .into();
            }
        }
    }
    binds.push(Bind::Int(limit));
    binds.push(Bind::Int(offset));
    let n = binds.len();
    let sql = format!(
        "SELECT p.id FROM providers p{filter} \
         ORDER BY p.rating_avg_x100 DESC, p.rating_count DESC, p.id DESC LIMIT ${} OFFSET ${n}",
        n - 1
    );
    let ids: Vec<i64> = bind_all(sqlx::query(&sql), &binds)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut cards = cards_by_id(db, ids.iter().copied()).await?;
    Ok(ids.iter().filter_map(|id| cards.remove(id)).collect())
}

/// How many providers match (stopping at `cap`), and how densely ([`ProviderMatches`]):
/// counted in the full-text index alone.
pub async fn count_matching(
    db: &Db,
    words: &[Vec<Vec<String>>],
    cap: i64,
    prefix: bool,
) -> Result<ProviderMatches, AppError> {
    let query = provider_query(db.backend, words, prefix);
    let sql = match (db.backend, query.is_empty()) {
        (_, true) => {
            "SELECT COUNT(*) AS n, 0 AS reach FROM (SELECT 1 FROM providers WHERE $1 = '' LIMIT $2) t"
        }
        (Backend::Sqlite, false) => {
            "SELECT COUNT(*) AS n, \
             COALESCE(MAX(t.id) - (SELECT MIN(id) FROM providers) + 1, 0) AS reach \
             FROM (SELECT rowid AS id FROM providers_fts WHERE providers_fts MATCH $1 LIMIT $2) t"
        }
        (Backend::Postgres, false) => {
            "SELECT COUNT(*) AS n, 0 AS reach FROM (SELECT 1 FROM providers p \
             WHERE p.words @@ to_tsquery('simple', $1) LIMIT $2) t"
        }
    };
    let row = sqlx::query(sql)
        .bind(query)
        .bind(cap)
        .fetch_one(&db.pool)
        .await?;
    let (count, reach): (i64, i64) = (row.try_get("n")?, row.try_get("reach")?);
    Ok(ProviderMatches {
        count,
        cap,
        density: if reach > 0 {
            count as f64 / reach as f64
        } else {
            0.0
        },
    })
}

// ---------------------------------------------------------------- ratings

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(words: &[&[&str]]) -> Vec<Vec<Vec<String>>> {
        words
            .iter()
            .map(|alts| {
                alts.iter()
                    .map(|a| a.split(' ').map(str::to_string).collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_page_of_a_few_among_dense_matches_asks_about_each_provider() {
        let m = |count, density| ProviderMatches {
            count,
            cap: 100,
            density,
        };
        // Under the cap: the list of matches is short enough to sort.
        assert_eq!(walk(m(40, 0.9), 3, 0), Walk::Matches);
        // A word in most providers: the All tab's three by asking; a longer page from the list.
        assert_eq!(walk(m(100, 0.9), 3, 0), Walk::RatingAsking);
        assert_eq!(walk(m(100, 0.9), 21, 20), Walk::RatingInList);
        // A word in an eighth of them: asking would pass eight providers for each one kept.
        assert_eq!(walk(m(100, 0.125), 3, 0), Walk::RatingInList);
    }

    #[test]
    fn every_slot_must_match_by_any_alternative_as_a_prefix() {
        let s = slots(&[&["neurologist", "neurology"], &["bad nauheim"]]);
        assert_eq!(
            provider_query(Backend::Sqlite, &s, true),
            r#"("neurologist"* OR "neurology"*) AND ("bad nauheim"*)"#
        );
        assert_eq!(
            provider_query(Backend::Postgres, &s, true),
            "(neurologist:* | neurology:*) & (bad <-> nauheim:*)"
        );
        // Whole words only (a common word typed in full).
        assert_eq!(
            provider_query(Backend::Sqlite, &s, false),
            r#"("neurologist" OR "neurology") AND ("bad nauheim")"#
        );
        assert_eq!(
            provider_query(Backend::Postgres, &s, false),
            "(neurologist | neurology) & (bad <-> nauheim)"
        );
        // Nothing that could be query syntax gets through; no words, no query.
        let odd = slots(&[&["o\"r*"], &[""]]);
        assert_eq!(provider_query(Backend::Sqlite, &odd, true), r#"("or"*)"#);
        assert_eq!(
            provider_query(Backend::Postgres, &slots(&[&[""]]), true),
            ""
        );
    }
}
