//! schema.org JSON-LD for public pages: `QAPage` (a question with an accepted answer), `MedicalWebPage` (a library article, with `lastReviewed` and `reviewedBy`), `MedicalClinic`/`Physician` (a directory provider) and `BreadcrumbList`; and the plain text they quote. Built only from what the page shows its viewer.

use crate::directory::types::{ProviderDetail, ProviderKind};
use crate::library::types::ArticleView;
use crate::posts::types::{Author, PostKind, PostPage};
use crate::ui::{iso_date, iso_datetime};
use serde_json::{json, Value};

/// The text of sanitised HTML: tags dropped, the usual entities decoded, spaces collapsed, at most
/// `max` characters (cut at a word, with "…").
pub fn plain_text(html: &str, max: usize) -> String {
    let mut out = String::with_capacity(html.len().min(max * 2));
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                // Block ends and line breaks separate words.
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    clip(&text.split_whitespace().collect::<Vec<_>>().join(" "), max)
}

/// At most `max` characters, cut at a word, with "…" when cut.
pub fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// The first sentence (or the first 160 characters) of a text: a page's description.
pub fn first_sentence(text: &str) -> String {
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '?' | '!')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8());
    match end {
        Some(e) if e >= 20 => clip(&text[..e], 160),
        _ => clip(text, 160),
    }
}

fn person(author: &Option<Author>) -> Value {
    let name = match author {
        Some(a) if !a.handle.is_empty() && !a.anonymous => format!("@{}", a.handle),
        _ => "A member".to_string(),
    };
    json!({ "@type": "Person", "name": name })
}

/// `BreadcrumbList` from (name, path) pairs, the page itself last.
pub fn breadcrumbs(base: &str, trail: &[(String, String)]) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": trail.iter().enumerate().map(|(i, (name, path))| json!({
            "@type": "ListItem",
            "position": i + 1,
            "name": name,
            "item": format!("{base}{path}"),
        })).collect::<Vec<_>>(),
    })
}

/// `QAPage` for a question whose answer was accepted (what search engines show as a Q&A result);
/// `None` for anything else.
pub fn qa_page(base: &str, p: &PostPage) -> Option<Value> {
    if p.post.kind != PostKind::Question || p.locked || p.deleted || p.removed {
        return None;
    }
    let url = format!("{base}/p/{}", p.post.id);
    let answers: Vec<_> = p
        .replies
        .iter()
        .filter(|r| r.is_answer && !r.deleted && !r.body_html.is_empty())
        .collect();
    let answer = |r: &&crate::posts::types::ReplyView| {
        json!({
            "@type": "Answer",
            "text": plain_text(&r.body_html, 2000),
            "dateCreated": iso_datetime(r.created_at),
            "upvoteCount": r.vote_count,
            "url": format!("{url}#r{}", r.id),
            "author": person(&r.author),
        })
    };
    let accepted = answers.iter().find(|r| r.accepted)?;
    let suggested: Vec<Value> = answers
        .iter()
        .filter(|r| !r.accepted)
        .take(10)
        .map(answer)
        .collect();
    let mut question = json!({
        "@type": "Question",
        "name": p.post.title,
        "text": plain_text(p.body_html.as_deref().unwrap_or_default(), 2000),
        "answerCount": answers.len(),
        "upvoteCount": p.post.vote_count,
        "dateCreated": iso_datetime(p.post.created_at),
        "author": person(&p.post.author),
        "acceptedAnswer": answer(accepted),
    });
    if !suggested.is_empty() {
        set(&mut question, "suggestedAnswer", Value::Array(suggested));
    }
    Some(json!({
        "@context": "https://schema.org",
        "@type": "QAPage",
        "url": url,
        "mainEntity": question,
    }))
}

/// `MedicalWebPage` for a published, medically reviewed library article.
pub fn medical_web_page(base: &str, a: &ArticleView) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": a.title,
        "headline": a.title,
        "description": a.summary,
        "url": format!("{base}/library/{}", a.slug),
        "inLanguage": "en",
        "datePublished": iso_date(a.first_published_at),
        "lastReviewed": iso_date(a.stamp.reviewed_at),
        "reviewedBy": {
            "@type": "Person",
            "name": format!("@{}", a.stamp.reviewer),
            "jobTitle": a.stamp.reviewer_title,
        },
        "about": { "@type": "MedicalCondition", "name": a.community_name },
        "audience": { "@type": "MedicalAudience", "audienceType": "Patient" },
    })
}

/// `MedicalClinic` or `Physician` for a directory provider: what its public page shows.
pub fn provider(base: &str, d: &ProviderDetail, specialties: &[String]) -> Value {
    let c = &d.card;
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": if c.kind == ProviderKind::Clinic { "MedicalClinic" } else { "Physician" },
        "name": c.name,
        "url": format!("{base}/directory/{}", c.slug),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": d.address,
            "addressLocality": c.city,
            "postalCode": d.postal_code,
        },
    });
    if !d.description.is_empty() {
        set(&mut v, "description", json!(clip(&d.description, 300)));
    }
    if !d.phone.is_empty() {
        set(&mut v, "telephone", json!(d.phone));
    }
    if let (Some(lat), Some(lon)) = (d.lat, d.lon) {
        set(
            &mut v,
            "geo",
            json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon }),
        );
    }
    if !specialties.is_empty() {
        set(&mut v, "medicalSpecialty", json!(specialties));
    }
    if c.rating.count > 0 {
        set(
            &mut v,
            "aggregateRating",
            json!({
                "@type": "AggregateRating",
                "ratingValue": format!("{:.1}", c.rating.avg_x100 as f64 / 100.0),
                "ratingCount": c.rating.count,
                "bestRating": 5,
                "worstRating": 1,
            }),
        );
    }
    if let Some(logo) = c.logo {
        set(
            &mut v,
            "logo",
            json!(format!("{base}{}", crate::pictures::types::src(logo))),
        );
    }
    v
}

/// Sets a key of a JSON object (a no-op on anything else).
fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_string(), value);
    }
}

/// JSON for inside `<script type="application/ld+json">`: `<`, `>` and `&` written as `\u` escapes,
/// so no member's text can close the script element.
pub fn script_text(values: &[Value]) -> String {
    let v = if let [one] = values {
        one.clone()
    } else {
        Value::Array(values.to_vec())
    };
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_reads_html_as_words() {
        assert_eq!(
            plain_text("<p>Fatigue by 2pm</p><ul><li>Does it help?</li></ul>", 100),
            "Fatigue by 2pm Does it help?"
        );
        assert_eq!(plain_text("<p>A &amp; B &lt;3</p>", 100), "A & B <3");
        assert_eq!(plain_text("<p>one two three four</p>", 10), "one two…");
    }

    #[test]
    fn the_first_sentence_describes_the_page() {
        assert_eq!(
            first_sentence("How do you plan your week with MS fatigue? I get tired by 2pm."),
            "How do you plan your week with MS fatigue?"
        );
        assert_eq!(
            first_sentence("Short. Then a longer part."),
            "Short. Then a longer part."
        );
    }

    #[test]
    fn script_text_cannot_close_the_script() {
        let t = script_text(&[json!({ "name": "</script><script>alert(1)</script>" })]);
        assert!(!t.contains('<') && !t.contains('>'), "{t}");
        let back: Value = serde_json::from_str(&t).unwrap_or_default();
        assert_eq!(back["name"], "</script><script>alert(1)</script>");
    }
}
