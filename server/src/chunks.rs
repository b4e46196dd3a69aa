//! The split wasm's chunks in one request per page: bundles written at build time, the chunk loader taught to ask for them, and the route that serves them.
//!
//! `cargo leptos build --split` cuts the wasm into the main module and, for each page (a lazily
//! loaded route, `app::routes`), its own module plus the chunks it shares with other pages: one
//! chunk per set of pages using the same code, 1,300 files, of which a thread page needs 558.
//! Fetched one by one, that is hundreds of requests (about 50 s on a slow phone's connection,
//! six at a time). So the loader's `fetch` of each file is replaced by a batch: the chunks asked
//! for in one turn of the event loop (what one page needs) come in one response,
//! `chunks?c=<numbers>&s=<pages>`, each file as `u16 name length, name, u32 length, bytes`. The
//! server names the page's set in a `Server-Timing` entry of the page it renders (`hc-chunks`),
//! which the loader reads and fetches as soon as it runs, while the main wasm is still arriving;
//! for each page that whole set is written and brotli'd at build time, and another set (what
//! routing in the page still lacks) is put together on request and compressed by the response
//! layer.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The manifest the split writes: for each lazily loaded function, the files (without `.wasm`)
/// it needs.
pub const MANIFEST: &str = "__wasm_split_manifest.json";
/// Where the bundles of each page's chunks are written, inside `pkg`.
const BUNDLES: &str = "bundles";
/// At most this many files in one request.
const MAX_FILES: usize = 5_000;
/// What the loader's fetch of one file looks like, before and after.
const FETCH_BEFORE: &str = "fetch(new URL(\"./";
const FETCH_AFTER: &str = ".wasm\", import.meta.url))";
/// What the loader's instantiation of one file looks like, before and after.
const INSTANTIATE_BEFORE: &str = "WebAssembly.instantiateStreaming(src, imports)";
const INSTANTIATE_AFTER: &str = "__hcInstantiate(src, imports)";
/// The batching fetch and the instantiation put into the loader (marks the file as rewritten).
/// Its comments are here, not in the script, which every first visit downloads:
///
/// - `__hcInstantiate`: each file arrives as bytes. A small one (a page needs hundreds, most
///   under 1 KB) compiles synchronously: a streaming compile's set-up per module cost more
///   main-thread time than compiling it (a community feed: its one 330 ms task of instantiation
///   became ~130 ms, measured in Chromium at 4x CPU). Larger ones, or where a browser refuses a
///   synchronous compile (`RangeError`), compile off the main thread.
/// - `__hcEarly`: the page's own chunks. The server names their set in a `Server-Timing` entry
///   of the page (`hc-chunks`; readable here, unlike a `Link` header), and their fetch starts
///   as soon as this loader runs, while the main wasm is still arriving, instead of in a preload
///   beside the main wasm that competes with what the first paint needs (ARCHITECTURE.md).
///   The first batch that asks for exactly that set takes the response; a failed early fetch
///   is reported only where it is used.
/// - `__hcLoad`: one file's loader (what the split writes for each, with our fetch and
///   instantiation), so the script says it once instead of 1,300 times.
/// - `__hcFetch` / `__hcSend`: the files asked for in one turn of the event loop come in one
///   request, read back file by file.
const BATCH_JS: &str = r#"
// HealthCommunity: chunks in batches (server/src/chunks.rs).
async function __hcInstantiate(src, imports) {
    const bytes = await src;
    if (bytes.length <= 32768) {
        try {
            const module = new WebAssembly.Module(bytes);
            return { module, instance: new WebAssembly.Instance(module, imports) };
        } catch (e) {
            if (!(e instanceof RangeError)) throw e;
        }
    }
    return WebAssembly.instantiate(bytes, imports);
}
function __hcLoad(name, deps) {
    return makeLoad(() => {
        const src = __hcFetch(name);
        return async (imports) => __hcInstantiate(src, imports);
    }, deps);
}
let __hcEarly = null;
try {
    const nav = performance.getEntriesByType("navigation")[0];
    const named = nav && nav.serverTiming ? nav.serverTiming.find((t) => t.name === "hc-chunks") : undefined;
    if (named) {
        const response = fetch(new URL(`chunks?${named.description}`, import.meta.url));
        response.catch(() => {});
        __hcEarly = { query: named.description, response };
    }
} catch (e) {
    __hcEarly = null;
}
let __hcQueue = null;
function __hcFetch(name) {
    if (__hcQueue === null) {
        const queue = new Map();
        __hcQueue = queue;
        queueMicrotask(() => { __hcQueue = null; __hcSend(queue); });
    }
    let entry = __hcQueue.get(name);
    if (!entry) {
        entry = {};
        entry.promise = new Promise((resolve, reject) => { entry.resolve = resolve; entry.reject = reject; });
        __hcQueue.set(name, entry);
    }
    return entry.promise;
}
async function __hcSend(queue) {
    try {
        const chunks = [], splits = [];
        for (const name of queue.keys()) {
            if (/^chunk_\d+$/.test(name)) chunks.push(Number(name.slice(6)));
            else splits.push(name.slice(6));
        }
        chunks.sort((a, b) => a - b);
        splits.sort();
        const ranges = [];
        for (let i = 0; i < chunks.length; ) {
            let j = i;
            while (j + 1 < chunks.length && chunks[j + 1] === chunks[j] + 1) j++;
            ranges.push(i === j ? `${chunks[i]}` : `${chunks[i]}-${chunks[j]}`);
            i = j + 1;
        }
        const query = `c=${ranges.join(",")}&s=${splits.join(",")}`;
        let response;
        if (__hcEarly !== null && __hcEarly.query === query) {
            response = __hcEarly.response;
            __hcEarly = null;
        } else {
            response = fetch(new URL(`chunks?${query}`, import.meta.url));
        }
        const res = await response;
        if (!res.ok) throw new Error(`chunks: ${res.status}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let at = 0; at < bytes.length; ) {
            const nameLength = view.getUint16(at, true);
            const name = new TextDecoder().decode(bytes.subarray(at + 2, at + 2 + nameLength));
            at += 2 + nameLength;
            const length = view.getUint32(at, true);
            at += 4;
            const entry = queue.get(name);
            if (entry) entry.resolve(bytes.subarray(at, at + length));
            at += length;
        }
        for (const entry of queue.values()) entry.reject(new Error("chunks: the response missed a file"));
    } catch (e) {
        for (const entry of queue.values()) entry.reject(e);
    }
}
"#;

fn pkg_dir(site_root: &Path) -> PathBuf {
    site_root.join("pkg")
}

/// The split manifest, when the build was split.
pub fn manifest(site_root: &Path) -> Result<Option<BTreeMap<String, Vec<String>>>, String> {
    let path = pkg_dir(site_root).join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(_) => Ok(None),
    }
}

/// The loader script the split writes (`__wasm_split.<hash or underscores>.js`).
fn loader_path(site_root: &Path) -> Option<PathBuf> {
    std::fs::read_dir(pkg_dir(site_root))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("__wasm_split.") && n.ends_with(".js"))
        })
}

/// Teaches the loader to fetch and instantiate through [`BATCH_JS`]; does nothing when already
/// done. Returns how many fetches it replaced.
pub fn rewrite_loader(site_root: &Path) -> Result<usize, String> {
    let Some(path) = loader_path(site_root) else {
        return Ok(0);
    };
    let js = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if js.contains("function __hcFetch(") {
        return Ok(0);
    }
    let mut out = String::with_capacity(js.len() + BATCH_JS.len());
    let mut rest = js.as_str();
    let mut replaced = 0;
    while let Some(start) = rest.find(FETCH_BEFORE) {
        let after = &rest[start + FETCH_BEFORE.len()..];
        let end = after.find(FETCH_AFTER).ok_or_else(|| {
            format!(
                "{}: a chunk fetch without its end: the split's loader changed",
                path.display()
            )
        })?;
        out.push_str(&rest[..start]);
        out.push_str("__hcFetch(\"");
        out.push_str(&after[..end]);
        out.push_str("\")");
        rest = &after[end + FETCH_AFTER.len()..];
        replaced += 1;
    }
    out.push_str(rest);
    let instantiations = out.matches(INSTANTIATE_BEFORE).count();
    if instantiations != replaced {
        return Err(format!(
            "{}: {replaced} chunk fetches but {instantiations} instantiations to rewrite: the split's loader changed",
            path.display()
        ));
    }
    let out = out.replace(INSTANTIATE_BEFORE, INSTANTIATE_AFTER);
    // Each file's loader, now the same three lines but for its name, becomes one call of
    // `__hcLoad` (1,300 of them were ~60 % of the script V8 parses on a first visit).
    let out = compact_loads(&out).ok_or_else(|| {
        format!(
            "{}: a chunk's loader of another shape: the split's loader changed",
            path.display()
        )
    })?;
    // The generator writes, above each chunk's loader, a comment naming every page that uses
    // the chunk: more than half the script's bytes, parsed on every first visit.
    let mut out: String = out
        .lines()
        .filter(|line| !(line.starts_with("/* ") && line.ends_with(" */")))
        .flat_map(|line| [line, "\n"])
        .collect();
    if replaced == 0 {
        return Err(format!(
            "{}: no chunk fetch to batch: the split's loader changed",
            path.display()
        ));
    }
    out.push_str(BATCH_JS);
    let part = path.with_extension("js.part");
    std::fs::write(&part, out).map_err(|e| format!("{}: {e}", part.display()))?;
    std::fs::rename(&part, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(replaced)
}

/// What one file's loader looks like once its fetch and instantiation are ours, around its name.
const LOAD_BEFORE: &str = "makeLoad(() => {\n    const src = __hcFetch(\"";
const LOAD_AFTER: &str =
    "\");\n    return async (imports) => (__hcInstantiate(src, imports));\n}\n, ";

/// `makeLoad(() => { …__hcFetch("name")… }, deps)` → `__hcLoad("name", deps)` for every file;
/// `None` when a fetch of ours stands in a loader of another shape.
fn compact_loads(js: &str) -> Option<String> {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(start) = rest.find(LOAD_BEFORE) {
        let after = &rest[start + LOAD_BEFORE.len()..];
        let end = after.find(LOAD_AFTER)?;
        let name = &after[..end];
        if name.contains(['"', '\n']) {
            return None;
        }
        out.push_str(&rest[..start]);
        out.push_str("__hcLoad(\"");
        out.push_str(name);
        out.push_str("\", ");
        rest = &after[end + LOAD_AFTER.len()..];
    }
    out.push_str(rest);
    (!out.contains("__hcFetch(\"")).then_some(out)
}

/// The files of a request in their one order: chunks by number, then pages by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileSet {
    chunks: BTreeSet<u32>,
    splits: BTreeSet<String>,
}

impl FileSet {
    /// From file names as the manifest writes them (`chunk_12`, `split_<name>`).
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, String> {
        let mut set = Self::default();
        for name in names {
            if let Some(n) = name.strip_prefix("chunk_") {
                set.chunks
                    .insert(n.parse().map_err(|_| format!("not a chunk: {name}"))?);
            } else if let Some(s) = name.strip_prefix("split_").filter(|s| valid_split(s)) {
                set.splits.insert(s.to_string());
            } else {
                return Err(format!("not a chunk: {name}"));
            }
        }
        Ok(set)
    }

    /// From the query `c=1-4,9&s=name,name` (what the loader sends).
    pub fn from_query(c: &str, s: &str) -> Result<Self, String> {
        let mut set = Self::default();
        for part in c.split(',').filter(|p| !p.is_empty()) {
            let (from, to) = part.split_once('-').unwrap_or((part, part));
            let from: u32 = from.parse().map_err(|_| format!("bad range {part}"))?;
            let to: u32 = to.parse().map_err(|_| format!("bad range {part}"))?;
            if to < from || (to - from) as usize > MAX_FILES {
                return Err(format!("bad range {part}"));
            }
            set.chunks.extend(from..=to);
            if set.chunks.len() > MAX_FILES {
                return Err("too many files".into());
            }
        }
        for split in s.split(',').filter(|p| !p.is_empty()) {
            if !valid_split(split) {
                return Err(format!("bad name {split}"));
            }
            set.splits.insert(split.to_string());
        }
        if set.chunks.is_empty() && set.splits.is_empty() || set.splits.len() > MAX_FILES {
            return Err("no files, or too many".into());
        }
        Ok(set)
    }

    /// The query the loader sends for this set (ranges of consecutive chunks).
    pub fn query(&self) -> String {
        let mut ranges: Vec<String> = Vec::new();
        let mut run: Option<(u32, u32)> = None;
        for &n in &self.chunks {
            run = match run {
                Some((from, to)) if n == to + 1 => Some((from, n)),
                Some(done) => {
                    ranges.push(range(done));
                    Some((n, n))
                }
                None => Some((n, n)),
            };
        }
        ranges.extend(run.map(range));
        let splits: Vec<&str> = self.splits.iter().map(String::as_str).collect();
        format!("c={}&s={}", ranges.join(","), splits.join(","))
    }

    /// The file names, in the order of the response.
    fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.chunks
            .iter()
            .map(|n| format!("chunk_{n}"))
            .chain(self.splits.iter().map(|s| format!("split_{s}")))
    }

    /// The response body: each file as name length (u16 LE), name, length (u32 LE), bytes.
    pub fn bundle(&self, pkg: &Path) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        for name in self.names() {
            let bytes = std::fs::read(pkg.join(format!("{name}.wasm")))
                .map_err(|e| format!("{name}: {e}"))?;
            let name_len = u16::try_from(name.len()).map_err(|_| "name too long".to_string())?;
            let len = u32::try_from(bytes.len()).map_err(|_| "file too large".to_string())?;
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&bytes);
        }
        Ok(out)
    }

    /// The name of this set's bundle written at build time.
    fn bundle_name(&self) -> String {
        Sha256::digest(self.query().as_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn range((from, to): (u32, u32)) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from}-{to}")
    }
}

fn valid_split(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// A page's route (`home_route`) from its manifest key (`__home_route_view_<hash>`).
fn route_of(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("__")?;
    let at = rest.rfind("_view_")?;
    Some(&rest[..at])
}

/// For each page's route (`home_route`), the files its view needs.
pub fn page_sets(site_root: &Path) -> Result<BTreeMap<String, FileSet>, String> {
    let mut pages = BTreeMap::new();
    for (key, files) in manifest(site_root)?.unwrap_or_default() {
        if let Some(route) = route_of(&key) {
            let set = FileSet::from_names(files.iter().map(String::as_str))?;
            pages.insert(route.to_string(), set);
        }
    }
    Ok(pages)
}

/// For each page's route, the response headers that start its chunks early: a `Server-Timing`
/// entry `hc-chunks` naming the page's set, which the loader fetches as soon as it runs, and a
/// `Link` that preloads the loader itself (the main script imports it); empty when the build is
/// not split.
pub fn page_headers(
    site_root: &Path,
    url_dir: &str,
) -> HashMap<String, Vec<(&'static str, String)>> {
    let loader = loader_path(site_root)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    page_sets(site_root)
        .unwrap_or_default()
        .into_iter()
        .map(|(route, set)| {
            let mut headers = vec![(
                "server-timing",
                format!("hc-chunks;desc=\"{}\"", set.query()),
            )];
            if let Some(loader) = &loader {
                headers.push(("link", format!("</{url_dir}/{loader}>; rel=modulepreload")));
            }
            (route, headers)
        })
        .collect()
}

/// Writes each page's bundle and its brotli (quality 11) and gzip copies under `pkg/bundles`;
/// returns (route, raw, brotli) sizes.
pub fn write_bundles(
    site_root: &Path,
    compress: impl Fn(&Path, &[u8]) -> Result<(usize, usize), String>,
) -> Result<Vec<(String, usize, usize)>, String> {
    let pkg = pkg_dir(site_root);
    let dir = pkg.join(BUNDLES);
    let _ = std::fs::remove_dir_all(&dir);
    let mut sizes = Vec::new();
    let sets = page_sets(site_root)?;
    if sets.is_empty() {
        return Ok(sizes);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (route, set) in sets {
        let bytes = set.bundle(&pkg)?;
        let (br, _gz) = compress(&dir.join(set.bundle_name()), &bytes)?;
        sizes.push((route, bytes.len(), br));
    }
    Ok(sizes)
}

/// A split's chunk or page module, sent only inside a bundle.
pub fn is_chunk_file(name: &str) -> bool {
    name.ends_with(".wasm") && (name.starts_with("chunk_") || name.starts_with("split_"))
}

/// The size of the build's brotli copy of this set's bundle.
pub fn bundle_brotli_bytes(site_root: &Path, set: &FileSet) -> Result<usize, String> {
    let path = pkg_dir(site_root)
        .join(BUNDLES)
        .join(format!("{}.br", set.bundle_name()));
    std::fs::metadata(&path)
        .map(|m| m.len() as usize)
        .map_err(|e| {
            format!(
                "{}: {e} (run `healthcommunity precompress`)",
                path.display()
            )
        })
}

/// What the chunks route needs: where the files are, and whether the build-time copies match.
#[derive(Clone)]
pub struct ChunkFiles {
    pub pkg: Arc<PathBuf>,
    pub precompressed: bool,
}

#[derive(serde::Deserialize)]
pub struct ChunkQuery {
    #[serde(default)]
    c: String,
    #[serde(default)]
    s: String,
}

/// `GET …/pkg/chunks?c=…&s=…`: the files in one response, from the build's brotli or gzip copy
/// when there is one for this set, else put together now (the response layer compresses it).
pub async fn serve(
    State(files): State<ChunkFiles>,
    headers: HeaderMap,
    Query(q): Query<ChunkQuery>,
) -> Response {
    let set = match FileSet::from_query(&q.c, &q.s) {
        Ok(set) => set,
        Err(e) => return (StatusCode::BAD_REQUEST, e).into_response(),
    };
    let accepts = |coding: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                v.split(',')
                    .any(|c| c.trim().split(';').next() == Some(coding))
            })
    };
    let codings = [("br", "br", accepts("br")), ("gzip", "gz", accepts("gzip"))];
    let pkg = files.pkg.clone();
    let result = tokio::task::spawn_blocking(move || {
        let written = pkg.join(BUNDLES).join(set.bundle_name());
        if files.precompressed {
            for (coding, suffix, accepted) in codings {
                if accepted {
                    let mut path = written.clone().into_os_string();
                    path.push(".");
                    path.push(suffix);
                    if let Ok(bytes) = std::fs::read(&path) {
                        return Ok((Some(coding), bytes));
                    }
                }
            }
        }
        set.bundle(&pkg).map(|bytes| (None, bytes))
    })
    .await;
    match result {
        Ok(Ok((coding, bytes))) => {
            let mut res = Response::new(Body::from(bytes));
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(crate::assets::IMMUTABLE),
            );
            h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
            if let Some(coding) = coding {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
            }
            res
        }
        Ok(Err(e)) => (StatusCode::NOT_FOUND, e).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_has_one_query_whatever_the_order() {
        let a = FileSet::from_names(["split_x_view", "chunk_3", "chunk_1", "chunk_2", "chunk_9"])
            .expect("names");
        let b = FileSet::from_names(["chunk_9", "chunk_2", "chunk_1", "split_x_view", "chunk_3"])
            .expect("names");
        assert_eq!(a.query(), "c=1-3,9&s=x_view");
        assert_eq!(a.query(), b.query());
        let back = FileSet::from_query("1-3,9", "x_view").expect("query");
        assert_eq!(back, a);
        assert_eq!(
            a.names().collect::<Vec<_>>(),
            ["chunk_1", "chunk_2", "chunk_3", "chunk_9", "split_x_view"]
        );
    }

    #[test]
    fn bad_queries_are_refused() {
        for (c, s) in [
            ("", ""),
            ("3-1", ""),
            ("1-999999", ""),
            ("x", ""),
            ("", "../etc"),
            ("", "a/b"),
            ("", "a.b"),
        ] {
            assert!(FileSet::from_query(c, s).is_err(), "{c:?} {s:?}");
        }
        assert!(FileSet::from_names(["chunk_x"]).is_err());
        assert!(FileSet::from_names(["main"]).is_err());
    }

    /// One chunk's loader as the split writes it.
    fn chunk_loader(n: u32) -> String {
        format!(
            "/* used by: a page */\nconst __chunk_{n} = makeLoad(() => {{\n    const src = fetch(new URL(\"./chunk_{n}.wasm\", import.meta.url));\n    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));\n}}\n, []);\n"
        )
    }

    fn loader_in(dir: &str, js: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("hc-chunks-{dir}-{}", std::process::id()));
        std::fs::create_dir_all(root.join("pkg")).expect("temp dir");
        std::fs::write(root.join("pkg/__wasm_split.abc.js"), js).expect("loader");
        root
    }

    #[test]
    fn the_loader_fetches_in_batches_and_instantiates_through_ours() {
        let root = loader_in(
            "ok",
            &format!("import x;\n{}{}", chunk_loader(1), chunk_loader(2)),
        );
        assert_eq!(rewrite_loader(&root), Ok(2));
        let js = std::fs::read_to_string(root.join("pkg/__wasm_split.abc.js")).expect("read");
        assert!(
            js.contains("const __chunk_1 = __hcLoad(\"chunk_1\", []);"),
            "{js}"
        );
        assert!(
            js.contains("const __chunk_2 = __hcLoad(\"chunk_2\", []);"),
            "{js}"
        );
        assert!(!js.contains("makeLoad(() => {\n    const src"), "{js}");
        assert!(js.contains("function __hcLoad(name, deps)"), "{js}");
        assert!(!js.contains("instantiateStreaming"), "{js}");
        assert!(!js.contains("/* used by"), "{js}");
        assert!(js.contains("async function __hcInstantiate("), "{js}");
        // The page's own set is fetched as the loader runs, named by the page's Server-Timing.
        assert!(js.contains("t.name === \"hc-chunks\""), "{js}");
        // Rewritten once: a second run leaves it alone.
        assert_eq!(rewrite_loader(&root), Ok(0));
        assert_eq!(
            std::fs::read_to_string(root.join("pkg/__wasm_split.abc.js")).expect("read"),
            js
        );
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn a_loader_of_another_shape_is_refused() {
        let changed =
            chunk_loader(1).replace("instantiateStreaming(src, imports)", "instantiate(src)");
        let root = loader_in("changed", &changed);
        assert!(rewrite_loader(&root).is_err());
        let _ = std::fs::remove_dir_all(&root);
        // A file's loader of another shape than the one `__hcLoad` stands for.
        let root = loader_in("one-line", &chunk_loader(1).replace("}\n, []", "}, []"));
        assert!(rewrite_loader(&root).is_err());
        let _ = std::fs::remove_dir_all(&root);
        let root = loader_in("none", "export const nothing = 1;\n");
        assert!(rewrite_loader(&root).is_err());
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn routes_come_from_manifest_keys() {
        assert_eq!(
            route_of("__home_route_view_12037382110434646180"),
            Some("home_route")
        );
        assert_eq!(route_of("__new_post_route_view_1"), Some("new_post_route"));
        assert_eq!(route_of("first_value_1"), None);
    }
}
