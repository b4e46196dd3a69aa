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
    let files = asset_files(site_root);
    if files.is_empty() {
        return Err(format!(
            "no js, wasm or css files in {}: build the site first (make build)",
            pkg_dir(site_root).display()
        ));
    }
    let mut sizes = Vec::new();
    for f in &files {
        let raw = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let mut br = Vec::new();
        {
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                lgwin: 24,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut raw.as_slice(), &mut br, &params)
                .map_err(|e| format!("brotli {}: {e}", f.display()))?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)
            .map_err(|e| format!("gzip {}: {e}", f.display()))?;
        let gz = gz
            .finish()
            .map_err(|e| format!("gzip {}: {e}", f.display()))?;
        write_atomically(&with_suffix(f, "br"), &br)?;
        write_atomically(&with_suffix(f, "gz"), &gz)?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        sizes.push((name, raw.len(), br.len(), gz.len()));
    }
    write_atomically(
        &pkg_dir(site_root).join(RECORD),
        version(site_root).as_bytes(),
    )?;
    Ok(sizes)
}

/// The brotli bytes of the script a first visit downloads (every wasm and js file), checked
/// against the budget when there is one.
pub fn check_script_budget(
    sizes: &[(String, usize, usize, usize)],
    max_script_bytes: Option<usize>,
) -> Result<(), String> {
    let script: usize = sizes
        .iter()
        .filter(|(name, ..)| name.ends_with(".wasm") || name.ends_with(".js"))
        .map(|(_, _, br, _)| br)
        .sum();
    println!("first-load script (wasm + js, brotli): {script} bytes");
    match max_script_bytes {
        Some(max) if script > max => Err(format!(
            "the first-load script is {script} bytes of brotli, over the budget of {max} \
             (FIRST_LOAD_BUDGET in the Makefile): a change made the wasm bigger; see \
             ARCHITECTURE.md on what keeps it small"
        )),
        _ => Ok(()),
    }
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
    Router::new().nest_service(
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
