//! The app's own assets (wasm, JS glue, CSS): a content version in their address, brotli and gzip copies written at build time, and year-long caching.
//!
//! Pages name `/assets/<version>/pkg/healthcommunity.{js,wasm,css}`, where `<version>` is a hash
//! of those files' bytes, computed once when the server starts. A deploy therefore changes every
//! address whose bytes changed: a browser never pairs new HTML with an old wasm from its cache,
//! and an old page asking for an old version gets 404 (it still works without JavaScript) rather
//! than a wasm it does not match. `healthcommunity precompress` (run by `make build`) writes
//! `.br` (quality 11) and `.gz` (level 9) next to each file and records the version it
//! compressed; the server serves those copies only when that record matches the files it hashed,
//! so a stale copy is never sent (the response layer then compresses per request, at a lower
//! quality). With the copies in place nothing compresses the wasm per request.

use axum::http::{header, HeaderValue};
use axum::Router;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The files a page loads, by extension, under `<site root>/pkg`.
const EXTENSIONS: [&str; 3] = ["js", "wasm", "css"];
/// Where `precompress` records the version it compressed.
const RECORD: &str = "precompressed.txt";
/// Cache-Control of versioned assets: their bytes never change under one address.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn pkg_dir(site_root: &Path) -> PathBuf {
    site_root.join("pkg")
}

/// The files to version and compress: every js, wasm and css file directly in `pkg`, sorted.
fn asset_files(site_root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(pkg_dir(site_root))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e))
        })
        .collect();
    files.sort();
    files
}

/// A hash of the assets' names and bytes (16 hex digits); "none" when there are none (tests
/// that serve no site).
pub fn version(site_root: &Path) -> String {
    let files = asset_files(site_root);
    if files.is_empty() {
        return "none".to_string();
    }
    let mut hash = Sha256::new();
    for f in files {
        hash.update(
            f.file_name()
                .map(|n| n.as_encoded_bytes())
                .unwrap_or_default(),
        );
        hash.update([0]);
        hash.update(std::fs::read(&f).unwrap_or_default());
        hash.update([0]);
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The URL path pages load the assets from (Leptos's `site_pkg_dir`, which it puts after `/`).
pub fn url_dir(version: &str) -> String {
    format!("assets/{version}/pkg")
}

/// Writes `<file>.br` and `<file>.gz` for every asset and records the version compressed;
/// returns (file, raw, brotli, gzip) sizes.
pub fn precompress(site_root: &Path) -> Result<Vec<(String, usize, usize, usize)>, String> {
    // The split's loader fetches through one request per page; rewritten before the version is
    // taken, since pages name it by that version.
    crate::chunks::rewrite_loader(site_root)?;
    let islands = pkg_dir(site_root).join(format!("{}.wasm", app::routes::ISLANDS_OUTPUT));
    if islands.is_file() {
        let wasm = std::fs::read(&islands).map_err(|e| format!("{}: {e}", islands.display()))?;
        let stripped =
            without_link_sections(&wasm).map_err(|e| format!("{}: {e}", islands.display()))?;
        if stripped.len() < wasm.len() {
            write_atomically(&islands, &stripped)?;
        }
    }
    let files = asset_files(site_root);
    if files.is_empty() {
        return Err(format!(
            "no js, wasm or css files in {}: build the site first (make build)",
            pkg_dir(site_root).display()
        ));
    }
    let mut sizes = Vec::new();
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A split's chunks are only ever sent inside a page's bundle (below).
        if crate::chunks::is_chunk_file(&name) {
            continue;
        }
        let raw = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let (br, gz) = compress_next_to(f, &raw)?;
        sizes.push((name, raw.len(), br, gz));
    }
    crate::chunks::write_bundles(site_root, compress_next_to)?;
    write_atomically(
        &pkg_dir(site_root).join(RECORD),
        version(site_root).as_bytes(),
    )?;
    Ok(sizes)
}

/// A wasm module without its `linking` and `reloc.*` custom sections. The islands' wasm is
/// compiled with the site's flags (so that it shares the site's compiled crates), and the
/// split's `--emit-relocs` leaves those sections in it: 700 KB of a 750 KB file, read by no
/// browser.
pub fn without_link_sections(wasm: &[u8]) -> Result<Vec<u8>, String> {
    fn leb(bytes: &[u8], at: &mut usize) -> Result<usize, String> {
        let (mut value, mut shift) = (0usize, 0u32);
        loop {
            let byte = *bytes.get(*at).ok_or("truncated")?;
            *at += 1;
            value |= usize::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
            shift += 7;
            if shift > 28 {
                return Err("bad length".into());
            }
        }
    }
    let head = wasm
        .get(..8)
        .filter(|h| h.starts_with(b"\0asm"))
        .ok_or("not a wasm module")?;
    let mut out = head.to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = *wasm.get(at).ok_or("truncated")?;
        at += 1;
        let size = leb(wasm, &mut at)?;
        let end = at.checked_add(size).ok_or("truncated")?;
        let section = wasm.get(start..end).ok_or("truncated")?;
        let drop = id == 0 && {
            let mut name_at = at;
            let len = leb(wasm, &mut name_at)?;
            let name = wasm.get(name_at..name_at + len).ok_or("truncated")?;
            name == b"linking" || name.starts_with(b"reloc.")
        };
        if !drop {
            out.extend_from_slice(section);
        }
        at = end;
    }
    Ok(out)
}

/// Writes `<path>.br` (quality 11) and `<path>.gz` (level 9) of `raw`; returns their sizes.
fn compress_next_to(path: &Path, raw: &[u8]) -> Result<(usize, usize), String> {
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut br, &params)
        .map_err(|e| format!("brotli {}: {e}", path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(raw)
        .map_err(|e| format!("gzip {}: {e}", path.display()))?;
    let gz = gz
        .finish()
        .map_err(|e| format!("gzip {}: {e}", path.display()))?;
    write_atomically(&with_suffix(path, "br"), &br)?;
    write_atomically(&with_suffix(path, "gz"), &gz)?;
    Ok((br.len(), gz.len()))
}

/// The routes a first visit most often lands on (issue 16's budget), by the name Leptos gives
/// their lazily loaded view in the split manifest (`__<route in snake case>_view_<hash>`), and
/// an address of each (which says whether it is served as islands).
pub const FIRST_LOAD_ROUTES: [(&str, &str, &str); 6] = [
    ("landing", "home_route", "/"),
    ("community feed", "community_route", "/c/multiple-sclerosis"),
    ("thread", "post_route", "/p/1"),
    (
        "library article",
        "article_route",
        "/library/living-with-ms-fatigue",
    ),
    ("directory", "directory_route", "/directory"),
    ("provider", "provider_route", "/directory/pennine-neurology"),
];

/// Whether a file of `pkg` is the islands pages' wasm or its JS glue.
fn is_islands_file(name: &str) -> bool {
    name.strip_prefix(app::routes::ISLANDS_OUTPUT)
        .is_some_and(|rest| rest == ".wasm" || rest == ".js")
}

/// Issue 16's first-load budget, held by the islands' wasm and glue (brotli bytes): what a
/// first visit to a page served as islands downloads, whatever the whole pages weigh.
pub const ISLANDS_SCRIPT_BUDGET: usize = 250_000;

/// The brotli bytes of the script a first visit downloads ([`first_load_script`]), checked
/// against the budget when there is one: the largest of the pages of [`FIRST_LOAD_ROUTES`];
/// and the islands' script against [`ISLANDS_SCRIPT_BUDGET`].
pub fn check_script_budget(
    site_root: &Path,
    sizes: &[(String, usize, usize, usize)],
    max_script_bytes: Option<usize>,
) -> Result<(), String> {
    let islands: usize = sizes
        .iter()
        .filter(|(name, ..)| is_islands_file(name))
        .map(|(_, _, br, _)| br)
        .sum();
    if islands > ISLANDS_SCRIPT_BUDGET {
        return Err(format!(
            "the islands' wasm and glue are {islands} bytes of brotli, over the budget of \
             {ISLANDS_SCRIPT_BUDGET} for a first visit: an island brought in more than it needs \
             (ARCHITECTURE.md, \"Pages served as islands\")"
        ));
    }
    let script = first_load_script(site_root, sizes)?;
    let mut largest = ("", 0);
    for (page, bytes) in &script {
        println!("first-load script (wasm + js, brotli), {page}: {bytes} bytes");
        if *bytes >= largest.1 {
            largest = (page, *bytes);
        }
    }
    match max_script_bytes {
        Some(max) if largest.1 > max => Err(format!(
            "the first-load script of the {} page is {} bytes of brotli, over the budget of {max} \
             (FIRST_LOAD_BUDGET in the Makefile): a change made the wasm bigger; see \
             ARCHITECTURE.md on what keeps it small",
            largest.0, largest.1
        )),
        _ => Ok(()),
    }
}

/// Per first-load page, the brotli bytes of the script it downloads (one "every page" row when
/// the build is not split): the main wasm, its JS glue and the chunks' loader, and the page's
/// bundle of chunks — or, for a page served as islands, the islands' wasm and JS glue.
pub fn first_load_script(
    site_root: &Path,
    sizes: &[(String, usize, usize, usize)],
) -> Result<Vec<(String, usize)>, String> {
    let script_bytes = |islands: bool| -> usize {
        sizes
            .iter()
            .filter(|(name, ..)| name.ends_with(".wasm") || name.ends_with(".js"))
            .filter(|(name, ..)| is_islands_file(name) == islands)
            .map(|(_, _, br, _)| br)
            .sum()
    };
    let (main, islands) = (script_bytes(false), script_bytes(true));
    let pages = crate::chunks::page_sets(site_root)?;
    if pages.is_empty() {
        return Ok(vec![("every page".to_string(), main)]);
    }
    let mut script = Vec::new();
    for (page, route, path) in FIRST_LOAD_ROUTES {
        let for_visitors = app::routes::visitor_islands_page(path);
        if app::routes::islands_page(path) || for_visitors {
            if islands == 0 {
                return Err(format!(
                    "the {page} page is served as islands, but pkg has no {}.wasm: build it with `make build`",
                    app::routes::ISLANDS_OUTPUT
                ));
            }
            if !for_visitors {
                script.push((page.to_string(), islands));
                continue;
            }
            script.push((format!("{page}, a visitor (islands)"), islands));
        }
        let set = pages.get(route).ok_or_else(|| {
            format!("the split manifest has no entry for the {page} page ({route}): was its route renamed?")
        })?;
        let bundle = crate::chunks::bundle_brotli_bytes(site_root, set)?;
        let name = if for_visitors {
            format!("{page}, a member")
        } else {
            page.to_string()
        };
        script.push((name, main + bundle));
    }
    Ok(script)
}

fn with_suffix(f: &Path, suffix: &str) -> PathBuf {
    let mut name = f.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Written under a temporary name and renamed: a server never reads half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let part = with_suffix(path, "part");
    std::fs::write(&part, bytes).map_err(|e| format!("{}: {e}", part.display()))?;
    std::fs::rename(&part, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether the compressed copies on disk were made from exactly these files.
pub fn precompressed_matches(site_root: &Path, version: &str) -> bool {
    std::fs::read_to_string(pkg_dir(site_root).join(RECORD))
        .is_ok_and(|recorded| recorded.trim() == version)
}

/// `/assets/<version>/pkg/*`: the assets with year-long caching, from the compressed copies when
/// they match. Any other version falls through to the 404 page.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path, version: &str) -> Router<S> {
    let dir = ServeDir::new(pkg_dir(site_root));
    let dir = if precompressed_matches(site_root, version) {
        dir.precompressed_br().precompressed_gzip()
    } else {
        if version != "none" {
            tracing::warn!(
                "the compressed copies of the assets are missing or stale (run `healthcommunity precompress`); the server compresses them per request"
            );
        }
        dir
    };
    // Only what was found is cached for a year (a 404 may become a file in the next build).
    let cache =
        |res: &axum::http::Response<tower_http::services::fs::ServeFileSystemResponseBody>| {
            res.status()
                .is_success()
                .then(|| HeaderValue::from_static(IMMUTABLE))
        };
    let chunks = crate::chunks::ChunkFiles {
        pkg: std::sync::Arc::new(pkg_dir(site_root)),
        precompressed: precompressed_matches(site_root, version),
    };
    Router::new()
        .route(
            &format!("/{}/chunks", url_dir(version)),
            axum::routing::get(crate::chunks::serve).with_state(chunks),
        )
        .nest_service(
            &format!("/{}", url_dir(version)),
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    cache,
                ))
                .service(dir),
        )
}

/// The version inside a `site_pkg_dir` made by [`url_dir`].
pub fn version_of(site_pkg_dir: &str) -> Option<&str> {
    site_pkg_dir.strip_prefix("assets/")?.strip_suffix("/pkg")
}

#[cfg(test)]
mod tests {
    use super::without_link_sections;

    fn custom(name: &str, body: &[u8]) -> Vec<u8> {
        let mut section = vec![name.len() as u8];
        section.extend_from_slice(name.as_bytes());
        section.extend_from_slice(body);
        let mut out = vec![0, section.len() as u8];
        out.extend(section);
        out
    }

    #[test]
    fn the_link_sections_leave_and_the_rest_stays_in_order() {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let kept = [
            vec![1, 4, 1, 0x60, 0, 0],
            custom("producers", b"rustc"),
            vec![10, 1, 0],
        ];
        wasm.extend_from_slice(&kept[0]);
        wasm.extend(custom("linking", &[2; 40]));
        wasm.extend_from_slice(&kept[1]);
        wasm.extend(custom("reloc.CODE", &[3; 20]));
        wasm.extend_from_slice(&kept[2]);
        let stripped = without_link_sections(&wasm).expect("strip");
        let mut expected = b"\0asm\x01\0\0\0".to_vec();
        for section in &kept {
            expected.extend_from_slice(section);
        }
        assert_eq!(stripped, expected);
        // A module without them is unchanged; a truncated one or another file is refused.
        assert_eq!(without_link_sections(&expected).expect("again"), expected);
        assert!(without_link_sections(&wasm[..wasm.len() - 30]).is_err());
        assert!(without_link_sections(b"<html>").is_err());
    }
}
