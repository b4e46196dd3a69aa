//! Tests that read the app's own source files: rules the compiler cannot hold (the forms' echo keys in `ui::forms`, formatting the browser's build leaves empty here, one JSON reader for page data).

use std::path::Path;

/// Every `.rs` file under the app's `src`, with its path and text.
pub(crate) fn app_sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }
}

/// The browser's wasm is built with `-Zfmt-debug=none` (the Makefile's `WASM_SLIM`): there,
/// `{:?}` writes nothing. So the app's code, which the browser's build compiles, formats
/// nothing with `Debug` outside its tests (a field or a message would go blank in the page);
/// `Display` it is. Tracing's `field = ?value` is not affected by this rule (it is read on the
/// server).
#[test]
fn the_app_formats_nothing_with_debug_outside_tests() {
    let files = app_sources();
    assert!(files.len() > 100, "the app's sources were not found");
    let mut found = Vec::new();
    for (path, text) in &files {
        if path.ends_with("source_checks.rs") {
            continue;
        }
        // Test modules close a file (`#[cfg(test)] mod tests`): what follows is not built.
        let end = ["#[cfg(test)]", "#[cfg(all(test"]
            .iter()
            .filter_map(|m| text.find(m))
            .min()
            .unwrap_or(text.len());
        let code = text.get(..end).unwrap_or(text);
        for (n, line) in code.lines().enumerate() {
            if line.contains(":?}") || line.contains(":#?}") {
                found.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Debug formatting outside tests:\n{}",
        found.join("\n")
    );
}

/// Page data is loaded with `ui::resource`, whose hydration data
/// is decoded with the reader server functions' answers use: a `Resource::new` of Leptos's
/// own compiles every type it loads into the wasm a second time (`ui/resource.rs`).
#[test]
fn pages_load_their_data_through_one_json_reader() {
    let files = app_sources();
    assert!(files.len() > 100, "the app's sources were not found");
    let mut found = Vec::new();
    for (path, text) in &files {
        if path.ends_with("source_checks.rs") || path.ends_with("ui/resource.rs") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if ["Resource::new(", "Resource::new_blocking(", " Resource<"]
                .iter()
                .any(|p| {
                    line.contains(p)
                        && !line.contains("LocalResource")
                        && !line.contains("OnceResource")
                })
            {
                found.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Leptos's own Resource (use crate::ui::resource / Res):\n{}",
        found.join("\n")
    );
}
