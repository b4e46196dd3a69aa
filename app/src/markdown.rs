//! Member Markdown to safe HTML: pulldown-cmark renders, raw HTML is shown as text, ammonia sanitises.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

/// How many characters of plain text an excerpt keeps.
pub const EXCERPT_CHARS: usize = 250;

/// A relative link that a browser would read as another host (`//evil.example/`, `/\\evil`)
/// becomes the explicit `https://` link it is, so it is plainly external; links within the site
/// (`/p/12`) stay as they are.
fn external_if_protocol_relative(url: &str) -> Option<std::borrow::Cow<'_, str>> {
    let host_part = url.trim_start_matches(['/', '\\']);
    if url.len() - host_part.len() >= 2 || url.starts_with('\\') {
        Some(std::borrow::Cow::Owned(format!("https://{host_part}")))
    } else {
        Some(std::borrow::Cow::Borrowed(url))
    }
}

/// What members' and articles' HTML may hold: no images (they would let a writer track readers
/// with remote pixels), links only to web and mail addresses, each marked as the writer's.
fn cleaner() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.rm_tags(["img"]);
    b.url_schemes(HashSet::from(["http", "https", "mailto"]));
    b.url_relative(ammonia::UrlRelative::Custom(Box::new(
        external_if_protocol_relative,
    )));
    b.link_rel(Some("nofollow ugc noopener"));
    b
}

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(cleaner);

/// The sanitised HTML for a Markdown source. Raw HTML in the source is escaped (shown as typed),
/// and the result passes through ammonia anyway, so neither path can carry a script.
pub fn to_html(source: &str) -> String {
    let events = Parser::new_ext(
        source,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    CLEANER.clean(&html).to_string()
}

/// A heading of an article, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub id: String,
    pub text: String,
    pub level: u8,
}

static ARTICLE_CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = cleaner();
    for h in ["h2", "h3"] {
        b.add_tag_attributes(h, ["id"]);
    }
    b
});

/// Article HTML: like [`to_html`], and every second- and third-level heading gets an id
/// ("s-what-is-a-relapse") listed in the returned table of contents. A first-level heading in
/// the source becomes a second-level one (the page's title is the only `<h1>`).
#[allow(
    clippy::indexing_slicing,
    reason = "i and j walk the event list below its length"
)]
pub fn article_html(source: &str) -> (String, Vec<Heading>) {
    use pulldown_cmark::HeadingLevel;
    let mut events: Vec<Event<'_>> = Parser::new_ext(
        source,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    })
    .collect();
    let mut toc: Vec<Heading> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = match level {
                HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H2,
                HeadingLevel::H3 => HeadingLevel::H3,
                other => *other,
            };
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base: String = text
                .to_lowercase()
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect::<String>()
                .split('-')
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            let mut id = format!("s-{base}");
            let mut n = 2;
            while toc.iter().any(|h| h.id == id) {
                id = format!("s-{base}-{n}");
                n += 1;
            }
            let numeric = if level == HeadingLevel::H2 { 2 } else { 3 };
            if level <= HeadingLevel::H3 {
                toc.push(Heading {
                    id: id.clone(),
                    text: text.trim().to_string(),
                    level: numeric,
                });
            }
            events[i] = Event::Start(Tag::Heading {
                level,
                id: (level <= HeadingLevel::H3).then(|| id.into()),
                classes: Vec::new(),
                attrs: Vec::new(),
            });
            if j < events.len() {
                events[j] = Event::End(TagEnd::Heading(level));
            }
            i = j;
        }
        i += 1;
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (ARTICLE_CLEANER.clean(&html).to_string(), toc)
}

/// The text a reader would see, without markup, up to about `max_chars` characters.
pub fn plain_text(source: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            // Every break and every block's edge is a space: a list item, a quote, a code block
            // or a table cell must not run into the words after it ("by 2pmDoes").
            Event::SoftBreak | Event::HardBreak | Event::Rule => text.push(' '),
            Event::Start(_) | Event::End(_) if is_block(&event) => text.push(' '),
            _ => {}
        }
        if text.len() > max_chars * 4 {
            break;
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether an event opens or closes a block (paragraph, heading, list, item, quote, code block,
/// table part, footnote, HTML block), as opposed to inline markup such as emphasis or a link.
fn is_block(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

/// The first [`EXCERPT_CHARS`] characters of the text a reader would see, cut at a word.
pub fn excerpt(source: &str) -> String {
    let text = plain_text(source, EXCERPT_CHARS);
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > EXCERPT_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_links_are_marked() {
        let html = to_html("**Fatigue** is common.\n\nSee [the MS Trust](https://mstrust.org.uk).");
        assert!(html.contains("<strong>Fatigue</strong>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://mstrust.org.uk" rel="nofollow ugc noopener">"#),
            "{html}"
        );
    }

    #[test]
    fn protocol_relative_links_are_external() {
        let html = to_html("[a](//evil.example/x) and [b](/p/12)");
        assert!(
            html.contains(r#"<a href="https://evil.example/x" rel="nofollow ugc noopener">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/p/12" rel="nofollow ugc noopener">"#),
            "{html}"
        );
    }

    #[test]
    fn hostile_input_is_harmless() {
        for payload in [
            "<script>alert(1)</script>",
            "[click](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            "<svg onload=alert(1)><circle/></svg>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "![pixel](https://tracker.example/p.gif)",
            "<iframe src=https://evil.example></iframe>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
        ] {
            let html = to_html(payload).to_lowercase();
            // Text never holds a raw `<` (it is escaped), so every `<` starts a real tag.
            for tag in html
                .split('<')
                .skip(1)
                .map(|t| t.split('>').next().unwrap_or(""))
            {
                for bad in [
                    "script",
                    "svg",
                    "img",
                    "iframe",
                    " on",
                    "javascript:",
                    "data:",
                    "style",
                ] {
                    assert!(!tag.contains(bad), "{payload} → {html}");
                }
            }
        }
        // Raw HTML is shown as the member typed it.
        assert!(to_html("<b>hi</b>").contains("&lt;b&gt;hi&lt;/b&gt;"));
    }

    #[test]
    fn articles_get_a_table_of_contents() {
        let (html, toc) = article_html(
            "# What is a relapse?\n\nText.\n\n## Signs\n\n### Signs\n\n<script>x</script>",
        );
        assert_eq!(
            toc.iter()
                .map(|h| (h.id.as_str(), h.level))
                .collect::<Vec<_>>(),
            vec![("s-what-is-a-relapse", 2), ("s-signs", 2), ("s-signs-2", 3)]
        );
        assert!(
            html.contains(r#"<h2 id="s-what-is-a-relapse">What is a relapse?</h2>"#),
            "{html}"
        );
        assert!(!html.contains("<h1") && !html.contains("<script"), "{html}");
    }

    #[test]
    fn excerpts_are_plain_and_short() {
        assert_eq!(
            excerpt("# Title\n\nSome *emphasis* here."),
            "Title Some emphasis here."
        );
        // Blocks never glue words together: list items, quotes, code, tables.
        assert_eq!(
            excerpt("Take it:\n\n- with food\n- by 2pm\n\nDoes fatigue get better?"),
            "Take it: with food by 2pm Does fatigue get better?"
        );
        assert_eq!(
            excerpt("> quoted\n\nafter\n\n```\ncode\n```\nend"),
            "quoted after code end"
        );
        assert_eq!(excerpt("1. one\n2. two"), "one two");
        // Inline markup inside a word stays inside it.
        assert_eq!(
            excerpt("**Fat**igue and [a link](/p/1)s"),
            "Fatigue and a links"
        );
        let long = "word ".repeat(200);
        let e = excerpt(&long);
        assert!(e.chars().count() <= EXCERPT_CHARS + 1, "{}", e.len());
        assert!(e.ends_with('…'));
    }
}
