//! Search engines and link previews: each public page's description, canonical address, Open Graph and Twitter card tags and schema.org JSON-LD (built from what the page already shows), and the sitemap and Atom feeds of public content (repo.rs; served by the server crate).

pub mod jsonld;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod repo;
