//! Server-only sitemap, robots.txt and Atom feeds: public content only, read through the posts' visibility rule as an anonymous visitor (a members-only, closed-group, held, removed, deleted or waiting post is never listed).

use crate::db::Db;
use crate::error::AppError;
use crate::posts::repo::{listed, readable, with_params, Params};
use crate::ui::{iso_date, iso_datetime};
use sqlx::FromRow;

/// Posts per sitemap file, by id range (a sitemap holds at most 50,000 addresses).
pub const SITEMAP_CHUNK: i64 = 10_000;
/// Entries in an Atom feed.
pub const FEED_ENTRIES: i64 = 30;

/// Text for XML content and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// SQL that is true for a post `p` anyone may read in full: the anonymous visitor's rule of
/// every other read path, plus not deleted and not waiting for approval.
fn public_post(params: &mut Params) -> String {
    format!(
        "{} = 1 AND {} AND p.deleted_at IS NULL AND p.awaiting_approval = 0",
        readable(params, None),
        listed(params, None)
    )
}

/// `robots.txt`: what crawlers may skip, and where the sitemap is.
pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /settings\nDisallow: /admin\nDisallow: /img/\n\nSitemap: {base}/sitemap.xml\n"
    )
}

/// The sitemap index: the site's pages, then one file per [`SITEMAP_CHUNK`] of post ids.
pub async fn sitemap_index(db: &Db, base: &str) -> Result<String, AppError> {
    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) AS m FROM posts")
        .fetch_one(&db.pool)
        .await?;
    let chunks = (max.unwrap_or(0) + SITEMAP_CHUNK - 1) / SITEMAP_CHUNK;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    out.push_str(&format!(
        "  <sitemap><loc>{}/sitemap/pages.xml</loc></sitemap>\n",
        xml_escape(base)
    ));
    for n in 1..=chunks {
        out.push_str(&format!(
            "  <sitemap><loc>{}/sitemap/posts-{n}.xml</loc></sitemap>\n",
            xml_escape(base)
        ));
    }
    out.push_str("</sitemapindex>\n");
    Ok(out)
}

fn url_entry(out: &mut String, base: &str, path: &str, lastmod: Option<i64>) {
    out.push_str(&format!(
        "  <url><loc>{}{}</loc>",
        xml_escape(base),
        xml_escape(path)
    ));
    if let Some(t) = lastmod {
        out.push_str(&format!("<lastmod>{}</lastmod>", iso_date(t)));
    }
    out.push_str("</url>\n");
}

const URLSET: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

/// Public posts with ids in chunk `n` (1-based), by id (the primary key's range).
pub async fn sitemap_posts(db: &Db, base: &str, n: i64) -> Result<String, AppError> {
    if n < 1 {
        return Err(AppError::NotFound);
    }
    let mut params = Params::default();
    let (lo, hi) = (
        params.p((n - 1) * SITEMAP_CHUNK),
        params.p(n * SITEMAP_CHUNK),
    );
    let rule = public_post(&mut params);
    let sql = format!(
        "SELECT p.id, p.last_activity_at FROM posts p WHERE p.id > {lo} AND p.id <= {hi} AND {rule} ORDER BY p.id"
    );
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    let mut out = String::from(URLSET);
    for r in &rows {
        // The columns in the order selected.
        let (id, last_activity_at) = <(i64, i64)>::from_row(r)?;
        url_entry(&mut out, base, &format!("/p/{id}"), Some(last_activity_at));
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

/// The site's other public pages: lists, communities, published articles, providers.
pub async fn sitemap_pages(db: &Db, base: &str) -> Result<String, AppError> {
    let mut out = String::from(URLSET);
    for path in ["/", "/c", "/library", "/directory", "/about"] {
        url_entry(&mut out, base, path, None);
    }
    for c in crate::communities::repo::list(db).await? {
        url_entry(&mut out, base, &format!("/c/{}", c.slug), None);
    }
    for a in crate::library::repo::list(db, None).await? {
        url_entry(
            &mut out,
            base,
            &format!("/library/{}", a.slug),
            Some(a.updated_at),
        );
    }
    let providers: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM providers ORDER BY id LIMIT 40000")
            .fetch_all(&db.pool)
            .await?;
    for slug in providers {
        url_entry(&mut out, base, &format!("/directory/{slug}"), None);
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

struct Entry {
    title: String,
    path: String,
    summary: String,
    author: String,
    updated: i64,
}

fn atom(base: &str, title: &str, path: &str, entries: &[Entry]) -> String {
    let updated = entries.iter().map(|e| e.updated).max().unwrap_or(0);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>{}</title>\n  <id>{}{}</id>\n  <link rel=\"self\" href=\"{}{}\"/>\n  <link rel=\"alternate\" href=\"{}{}\"/>\n  <updated>{}</updated>\n",
        xml_escape(title),
        xml_escape(base),
        xml_escape(path),
        xml_escape(base),
        xml_escape(&format!("{path}/feed.atom")),
        xml_escape(base),
        xml_escape(path),
        iso_datetime(updated),
    );
    for e in entries {
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}{}</id>\n    <link href=\"{}{}\"/>\n    <updated>{}</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(&e.title),
            xml_escape(base),
            xml_escape(&e.path),
            xml_escape(base),
            xml_escape(&e.path),
            iso_datetime(e.updated),
            xml_escape(&e.author),
            xml_escape(&e.summary),
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// The newest public posts of a community (not its groups'), as Atom.
pub async fn community_feed(db: &Db, base: &str, slug: &str) -> Result<String, AppError> {
    let (id, name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM communities WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    let mut params = Params::default();
    let cid = params.p(id);
    let limit = params.p(FEED_ENTRIES);
    let rule = public_post(&mut params);
    let sql = format!(
        "SELECT p.id, p.title, p.excerpt, p.created_at, u.handle FROM posts p JOIN users u ON u.id = p.author_id \
         WHERE p.community_id = {cid} AND p.group_id IS NULL AND {rule} ORDER BY p.id DESC LIMIT {limit}"
    );
    let rows = with_params(&sql, &params.0).fetch_all(&db.pool).await?;
    let entries = rows
        .iter()
        .map(|r| {
            // The columns in the order selected.
            let (id, title, excerpt, created_at, handle) =
                <(i64, String, String, i64, String)>::from_row(r)?;
            Ok(Entry {
                title,
                path: format!("/p/{id}"),
                summary: excerpt,
                // An erased account's words stay under no name.
                author: if handle.starts_with("deleted-") {
                    "a former member".into()
                } else {
                    format!("@{handle}")
                },
                updated: created_at,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(atom(
        base,
        &format!("New posts in {name} · HealthCommunity"),
        &format!("/c/{slug}"),
        &entries,
    ))
}

/// The newest published library articles, as Atom.
pub async fn library_feed(db: &Db, base: &str) -> Result<String, AppError> {
    let entries: Vec<Entry> = crate::library::repo::list(db, None)
        .await?
        .into_iter()
        .take(FEED_ENTRIES as usize)
        .map(|a| Entry {
            title: a.title,
            path: format!("/library/{}", a.slug),
            summary: a.summary,
            author: format!("Reviewed by @{}", a.reviewer),
            updated: a.updated_at,
        })
        .collect();
    Ok(atom(
        base,
        "Health library · HealthCommunity",
        "/library",
        &entries,
    ))
}
