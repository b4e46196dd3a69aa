//! Member Markdown to safe HTML: pulldown-cmark renders, raw HTML is shown as text, ammonia sanitises.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::LazyLock;

/// How many characters of plain text an excerpt keeps.
pub const EXCERPT_CHARS: usize = 250;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // Images would let a member track readers (remote pixels): links only.
    b.rm_tags(["img"]);
    b.url_schemes(HashSet::from(["http", "https", "mailto"]));
    b.link_rel(Some("nofollow ugc noopener"));
    b
});

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

/// The first [`EXCERPT_CHARS`] characters of the text a reader would see, cut at a word.
pub fn excerpt(source: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            Event::Start(Tag::Item) | Event::End(TagEnd::Heading(_)) => text.push(' '),
            _ => {}
        }
        if text.len() > EXCERPT_CHARS * 4 {
            break;
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
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
    fn excerpts_are_plain_and_short() {
        assert_eq!(
            excerpt("# Title\n\nSome *emphasis* here."),
            "Title Some emphasis here."
        );
        let long = "word ".repeat(200);
        let e = excerpt(&long);
        assert!(e.chars().count() <= EXCERPT_CHARS + 1, "{}", e.len());
        assert!(e.ends_with('…'));
    }
}
