//! Server-only gazetteer storage: loading places in batches, and resolving a place query (postcode, partial postcode, city with qualifiers, typo) to a position.

use super::types::*;
use crate::db::{now_ms, Db};
use crate::directory::types::{bounding_box, haversine_km};
use crate::error::AppError;

/// One row to load.
#[derive(Debug, Clone)]
pub struct NewPlace {
    pub kind: &'static str,
    pub country: String,
    pub name: String,
    pub region: String,
    pub lat: f64,
    pub lon: f64,
}

/// Rows per INSERT. sqlx looks each SQLite parameter up by name among all of the statement's, so
/// a statement's cost grows with the square of its values: about 400 values keep it small there
/// (see `scale.rs`); PostgreSQL binds by position and takes large statements.
fn batch_rows(db: &Db) -> usize {
    match db.backend {
        crate::db::Backend::Sqlite => 50,
        crate::db::Backend::Postgres => 2_000,
    }
}

/// The fingerprint recorded when `source` was last loaded, if it was.
pub async fn loaded_fingerprint(db: &Db, source: &str) -> Result<Option<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT fingerprint FROM place_sources WHERE name = $1")
            .bind(source)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Replaces a source's rows in one transaction (a reader sees the old set or the new one, never
/// half), calling `progress` with the rows written so far after each statement.
pub async fn load_source(
    db: &Db,
    source: &str,
    fingerprint: &str,
    rows: &[NewPlace],
    progress: impl Fn(usize),
) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM places WHERE source = $1")
        .bind(source)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM place_sources WHERE name = $1")
        .bind(source)
        .execute(&mut *tx)
        .await?;
    let batch = batch_rows(db);
    let mut done = 0;
    for chunk in rows.chunks(batch) {
        let mut sql = String::from(
            "INSERT INTO places (source, kind, country, name, name_key, region, lat, lon) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 8;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(
                &(1..=8)
                    .map(|k| format!("${}", b + k))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for p in chunk {
            let key = match p.kind {
                "postcode" => p.name.to_lowercase().replace(' ', ""),
                _ => fold(&p.name),
            };
            q = q
                .bind(source)
                .bind(p.kind)
                .bind(p.country.as_str())
                .bind(p.name.as_str())
                .bind(key)
                .bind(p.region.as_str())
                .bind(p.lat)
                .bind(p.lon);
        }
        q.execute(&mut *tx).await?;
        done += chunk.len();
        progress(done);
    }
    sqlx::query(
        "INSERT INTO place_sources (name, fingerprint, row_count, loaded_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(source)
    .bind(fingerprint)
    .bind(rows.len() as i64)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    // The planner must know the table is large and mostly cities, or it reads every city by
    // `kind` to count those around a point instead of the position index (seconds, not
    // milliseconds).
    sqlx::query("ANALYZE places").execute(&db.pool).await?;
    Ok(())
}

/// How many places are loaded.
pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) AS n FROM places")
        .fetch_one(&db.pool)
        .await?)
}

/// A place row.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Row_ {
    kind: String,
    country: String,
    name: String,
    #[sqlx(rename = "name_key")]
    key: String,
    region: String,
    lat: f64,
    lon: f64,
}

impl Row_ {
    /// "Newport, Isle of Wight, England, GB"; a postcode: "SW1A (Westminster Abbey, Greater London)".
    fn label(&self) -> String {
        if self.kind == "postcode" {
            return format!(
                "{} ({}, {})",
                self.name,
                self.region_or_country(),
                self.country
            );
        }
        let mut parts = vec![self.name.clone()];
        for r in self.region.split(", ") {
            if !r.is_empty() && fold(r) != self.key && !parts.iter().any(|p| p == r) {
                parts.push(r.to_string());
            }
        }
        parts.push(self.country.clone());
        parts.join(", ")
    }

    fn region_or_country(&self) -> &str {
        if self.region.is_empty() {
            &self.country
        } else {
            &self.region
        }
    }

    /// Every word a qualifier ("Wales", "Isle of Wight", "GB") may match.
    fn qualifies(&self, qualifier: &str) -> bool {
        let hay = format!(" {} {} ", fold(&self.region), fold(&self.country));
        hay.contains(&format!(" {qualifier} "))
    }
}

/// What a place query came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Found(PlaceFound),
    /// Several places fit equally: the member picks one (each label searches that place).
    Choose {
        question: String,
        labels: Vec<String>,
    },
    NotFound,
}

/// Candidates for one name: enough for every Newport, Springfield or San José.
const SAME_NAME_MAX: i64 = 40;
/// Choices offered at most.
const CHOICES_MAX: usize = 8;

/// Resolves a place query: a UK postcode (full or outward, e.g. "SW1A 1AA"), a German PLZ, a
/// partial postcode ("SW1", "101"), or a city, optionally narrowed by region or country
/// ("Newport, Isle of Wight"), forgiving small typos ("Londn"). Names shared by several places
/// pick the one with more providers near it when there is one, and offer the others; otherwise
/// they ask which.
pub async fn resolve(db: &Db, query: &str) -> Result<Resolved, AppError> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(Resolved::NotFound);
    }
    if let Some(pq) = postcode_query(query) {
        if let Some(found) = postcode(db, query, pq).await? {
            return Ok(Resolved::Found(found));
        }
    }
    let mut parts = query.split(',').map(fold).filter(|p| !p.is_empty());
    let Some(name) = parts.next() else {
        return Ok(Resolved::NotFound);
    };
    let qualifiers: Vec<String> = parts.collect();
    let (rows, typo) = candidates(db, &name, &qualifiers).await?;
    let rows = distinct_places(rows);
    let typo_note = |r: &Row_| {
        typo.then(|| {
            format!(
                "Showing results for {}: no place is called “{query}”.",
                r.name
            )
        })
    };
    match rows.as_slice() {
        [] => return Ok(Resolved::NotFound),
        [r] => {
            return Ok(Resolved::Found(PlaceFound {
                label: r.label(),
                lat: r.lat,
                lon: r.lon,
                note: typo_note(r),
                others: Vec::new(),
            }))
        }
        _ => {}
    }
    // Several places: the one with providers near it, or else the much larger one, when one
    // stands out; otherwise the member picks.
    let scored = ranked(db, rows).await?;
    let labels: Vec<String> = scored
        .iter()
        .take(CHOICES_MAX)
        .map(|(_, _, r)| r.label())
        .collect();
    let (Some(first), Some(second)) = (scored.first(), scored.get(1)) else {
        return Ok(Resolved::NotFound);
    };
    if first.0 > second.0 || (first.0 == second.0 && first.1 >= 2 * second.1.max(1)) {
        let r = &first.2;
        return Ok(Resolved::Found(PlaceFound {
            label: r.label(),
            lat: r.lat,
            lon: r.lon,
            note: typo_note(r),
            others: labels.into_iter().skip(1).collect(),
        }));
    }
    Ok(Resolved::Choose {
        question: if typo {
            format!("No place is called “{query}”. Did you mean:")
        } else {
            format!(
                "There are {} places called “{}”. Which one?",
                scored.len(),
                first.2.name
            )
        },
        labels,
    })
}

/// The places of a name (with its qualifiers: "Newport, Wales"), or, for a name without
/// qualifiers that no place has, the places of the nearest names; true when those were used.
async fn candidates(
    db: &Db,
    name: &str,
    qualifiers: &[String],
) -> Result<(Vec<Row_>, bool), AppError> {
    let mut rows = same_name(db, name, qualifiers).await?;
    let mut typo = false;
    if rows.is_empty() && qualifiers.is_empty() {
        for key in near_names(db, name).await?.iter().take(CHOICES_MAX) {
            rows.extend(same_name(db, key, &[]).await?);
        }
        typo = true;
    }
    Ok((rows, typo))
}

/// Several places of one name, best first: (providers near, places around, the place) — the
/// one with providers near it, or else the much larger one.
async fn ranked(db: &Db, rows: Vec<Row_>) -> Result<Vec<(i64, i64, Row_)>, AppError> {
    // Ties list the countries whose postal codes the operator loaded first: a British site's
    // Newports before Kentucky's.
    let home = home_countries(db).await?;
    let rows = {
        let mut rows = rows;
        rows.sort_by_key(|r| !home.contains(&r.country));
        rows
    };
    let mut scored = Vec::with_capacity(rows.len());
    for r in rows.into_iter().take(CHOICES_MAX * 2) {
        let providers = providers_near(db, r.lat, r.lon).await?;
        let around = places_near(db, r.lat, r.lon).await?;
        scored.push((providers, around, r));
    }
    scored.sort_by(|a, b| {
        (b.0, b.1)
            .cmp(&(a.0, a.1))
            .then_with(|| (!home.contains(&a.2.country)).cmp(&!home.contains(&b.2.country)))
            .then_with(|| a.2.label().cmp(&b.2.label()))
    });
    Ok(scored)
}

/// A postcode's centre: the code itself, or for a partial code the mean of the codes it starts.
async fn postcode(db: &Db, typed: &str, pq: PostcodeQuery) -> Result<Option<PlaceFound>, AppError> {
    let exact = match &pq {
        PostcodeQuery::Exact(k) => {
            sqlx::query_as::<_, Row_>(
                "SELECT kind, country, name, name_key, region, lat, lon FROM places \
             WHERE kind = 'postcode' AND name_key = $1 LIMIT 1",
            )
            .bind(k)
            .fetch_optional(&db.pool)
            .await?
        }
        PostcodeQuery::Prefix(_) => None,
    };
    if let Some(r) = exact {
        return Ok(Some(PlaceFound {
            label: format!(
                "{} ({}, {})",
                typed.to_uppercase(),
                r.region_or_country(),
                r.country
            ),
            lat: r.lat,
            lon: r.lon,
            note: None,
            others: Vec::new(),
        }));
    }
    let prefix = match pq {
        PostcodeQuery::Exact(k) | PostcodeQuery::Prefix(k) => k,
    };
    type Mean = (
        i64,
        Option<f64>,
        Option<f64>,
        Option<String>,
        Option<String>,
    );
    let (n, lat, lon, region, country): Mean = sqlx::query_as(
        "SELECT COUNT(*) AS n, AVG(lat) AS lat, AVG(lon) AS lon, MIN(region) AS region, MIN(country) AS country \
         FROM places WHERE kind = 'postcode' AND name_key >= $1 AND name_key < $2",
    )
    .bind(&prefix)
    .bind(format!("{prefix}~"))
    .fetch_one(&db.pool)
    .await?;
    let (Some(lat), Some(lon), Some(region), Some(country)) = (lat, lon, region, country) else {
        return Ok(None);
    };
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(PlaceFound {
        label: format!("{} ({region}, {country})", typed.to_uppercase()),
        lat,
        lon,
        note: Some(format!(
            "“{}” is part of a postal code: searching around the middle of the {n} areas it starts.",
            typed.to_uppercase()
        )),
        others: Vec::new(),
    }))
}

/// Cities with exactly this folded name, kept when every qualifier names their region or country.
async fn same_name(db: &Db, key: &str, qualifiers: &[String]) -> Result<Vec<Row_>, AppError> {
    let rows: Vec<Row_> = sqlx::query_as(
        "SELECT kind, country, name, name_key, region, lat, lon FROM places \
         WHERE kind = 'city' AND name_key = $1 ORDER BY id LIMIT $2",
    )
    .bind(key)
    .bind(SAME_NAME_MAX)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if qualifiers.iter().all(|q| r.qualifies(q)) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The names within the typo budget of `key`, nearest first (same first letter, length within
/// the budget): "londn" → ["london"].
async fn near_names(db: &Db, key: &str) -> Result<Vec<String>, AppError> {
    let budget = typo_budget(key.chars().count());
    let Some(first) = key.chars().next() else {
        return Ok(Vec::new());
    };
    if budget == 0 {
        return Ok(Vec::new());
    }
    let len = key.chars().count();
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT name_key FROM places WHERE kind = 'city' AND name_key >= $1 AND name_key < $2 \
         AND LENGTH(name_key) BETWEEN $3 AND $4",
    )
    .bind(first.to_string())
    .bind(format!("{first}~"))
    .bind((len - budget) as i64)
    .bind((len + budget) as i64)
    .fetch_all(&db.pool)
    .await?;
    let mut best: Vec<(usize, String)> = Vec::new();
    for k in keys {
        let d = strsim::damerau_levenshtein(key, &k);
        if d <= budget {
            best.push((d, k));
        }
    }
    best.sort();
    let Some(min) = best.first().map(|b| b.0) else {
        return Ok(Vec::new());
    };
    Ok(best
        .into_iter()
        .filter(|b| b.0 == min)
        .map(|b| b.1)
        .collect())
}

/// One entry per place: GeoNames lists some towns twice (a town and its seat), a few hundred
/// metres apart.
fn distinct_places(rows: Vec<Row_>) -> Vec<Row_> {
    let mut out: Vec<Row_> = Vec::with_capacity(rows.len());
    for r in rows {
        if !out
            .iter()
            .any(|o| o.country == r.country && haversine_km(o.lat, o.lon, r.lat, r.lon) < 5.0)
        {
            out.push(r);
        }
    }
    out
}

/// The countries with postal codes loaded: the ones the site serves.
async fn home_countries(db: &Db) -> Result<Vec<String>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT country FROM places WHERE kind = 'postcode'")
            .fetch_all(&db.pool)
            .await?,
    )
}

/// How many other towns of 1,000 people or more are within 25 km: how big a place is, from the
/// gazetteer alone (Paris, France has hundreds around it; Paris, Texas a handful).
async fn places_near(db: &Db, lat: f64, lon: f64) -> Result<i64, AppError> {
    count_near(db, "places WHERE kind = 'city' AND", lat, lon, 25.0).await
}

/// How many providers are within 50 km: what tells one Newport from another for this site.
async fn providers_near(db: &Db, lat: f64, lon: f64) -> Result<i64, AppError> {
    count_near(db, "providers WHERE", lat, lon, 50.0).await
}

/// The rows of `from` (a table and the start of its WHERE) in the box `km` around a point.
async fn count_near(db: &Db, from: &str, lat: f64, lon: f64, km: f64) -> Result<i64, AppError> {
    let (a, b, c, d) = bounding_box(lat, lon, km);
    let sql =
        format!("SELECT COUNT(*) AS n FROM {from} lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4");
    Ok(sqlx::query_scalar(&sql)
        .bind(a)
        .bind(b)
        .bind(c)
        .bind(d)
        .fetch_one(&db.pool)
        .await?)
}

/// Where an address is, for placing a clinic: its postal code when the gazetteer knows it, else
/// its city (the likeliest of several of that name). `None` when neither is known.
pub async fn locate(
    db: &Db,
    postal_code: &str,
    city: &str,
) -> Result<Option<PlaceFound>, AppError> {
    if let Some(pq) = postcode_query(postal_code) {
        if let Some(found) = postcode(db, postal_code.trim(), pq).await? {
            return Ok(Some(found));
        }
    }
    if city.trim().is_empty() {
        return Ok(None);
    }
    Ok(match resolve(db, city).await? {
        Resolved::Found(found) => Some(found),
        Resolved::Choose { labels, .. } => match labels.first() {
            Some(first) => match Box::pin(resolve(db, first)).await? {
                Resolved::Found(found) => Some(found),
                _ => None,
            },
            None => None,
        },
        Resolved::NotFound => None,
    })
}
