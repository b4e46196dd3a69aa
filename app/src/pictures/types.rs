//! Picture types shared by server and browser: a stored picture as pages show it, what a picture is for, the alt-text rule and initials for members without an avatar.

use serde::{Deserialize, Serialize};

/// Images a post (or a reply) may carry.
pub const PER_POST: i64 = 4;
/// Photos a clinic or clinician may show on its directory page.
pub const PER_PROVIDER: i64 = 6;
/// The longest alt text.
pub const ALT_MAX: usize = 300;

/// A stored picture as a page shows it (the bytes are at [`Picture::src`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Picture {
    pub id: i64,
    pub alt: String,
    pub width: i64,
    pub height: i64,
}

impl Picture {
    pub fn src(&self) -> String {
        src(self.id)
    }
}

/// Where picture `id` is served.
pub fn src(id: i64) -> String {
    format!("/img/{id}")
}

/// What an upload is for, as the form names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The member's own avatar.
    Avatar,
    /// A directory provider's logo (its staff, or an admin).
    Logo,
    /// One of a provider's photos.
    Photo,
    /// An image in a post (its author).
    Post,
    /// An image in a reply (its author).
    Reply,
}

impl Target {
    pub fn parse(s: &str) -> Result<Self, String> {
        Ok(match s {
            "avatar" => Target::Avatar,
            "logo" => Target::Logo,
            "photo" => Target::Photo,
            "post" => Target::Post,
            "reply" => Target::Reply,
            _ => return Err("Choose what the picture is for.".into()),
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Avatar => "avatar",
            Target::Logo => "logo",
            Target::Photo => "photo",
            Target::Post => "post",
            Target::Reply => "reply",
        }
    }

    /// The stored kind (a reply's image is a post image).
    pub fn kind(self) -> &'static str {
        match self {
            Target::Reply => "post",
            t => t.as_str(),
        }
    }
}

/// The form field an upload's error is shown under: one per form on a page (`post-12`).
pub fn field_key(target: &str, id: &str) -> String {
    format!("picture-{target}-{id}")
}

/// The alt text: required for pictures in posts and photos (a screen reader reads it), at most
/// [`ALT_MAX`] characters.
pub fn parse_alt(alt: &str, required: bool) -> Result<String, String> {
    let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
    if required && alt.is_empty() {
        return Err(
            "Describe the picture in a few words for people who cannot see it (for example \"my pill organiser for the week\")."
                .into(),
        );
    }
    if alt.chars().count() > ALT_MAX {
        return Err(format!("Keep the description under {ALT_MAX} characters."));
    }
    Ok(alt)
}

/// Up to two letters for a member without an avatar: "maria_k" → "MK", "tom" → "T".
pub fn initials(handle: &str) -> String {
    let mut parts = handle
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty());
    let first = parts.next().and_then(|p| p.chars().next());
    let second = parts.next_back().and_then(|p| p.chars().next());
    first
        .into_iter()
        .chain(second)
        .flat_map(char::to_uppercase)
        .collect()
}

/// One of six background colours for a member's initials, the same for the same handle.
pub fn tint(handle: &str) -> u32 {
    // u32 on purpose: usize is 64 bits on the server and 32 in the browser, and the two must
    // agree or a hydrated header repaints the colour.
    handle
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        % 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_and_last_word() {
        assert_eq!(initials("maria_k"), "MK");
        assert_eq!(initials("tom"), "T");
        assert_eq!(initials("ana.b.costa"), "AC");
        assert_eq!(initials("émile"), "É");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn the_tint_is_the_same_on_every_target() {
        // Pinned values: a change here repaints every member's initials.
        assert_eq!(tint("maria_ms"), tint("maria_ms"));
        let long = "a_very_long_handle_that_overflows_32_bits_many_times";
        let expected = long
            .bytes()
            .fold(0u64, |h, b| (h * 31 + u64::from(b)) % (1u64 << 32))
            % 6;
        assert_eq!(u64::from(tint(long)), expected);
    }

    #[test]
    fn alt_text_is_required_for_posts_and_bounded() {
        assert!(parse_alt("  ", true).is_err());
        assert_eq!(parse_alt("  ", false), Ok(String::new()));
        assert_eq!(parse_alt(" my  pill box ", true), Ok("my pill box".into()));
        assert!(parse_alt(&"a".repeat(ALT_MAX + 1), true).is_err());
    }
}
