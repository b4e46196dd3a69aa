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

/// A file's text without its unit tests (`#[cfg(test)] mod tests { … }` at the end).
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text.get(..at).unwrap_or(text),
        None => text,
    }
}

/// The text's lines without their string and character literals and comments, so that the
/// braces left are the code's (a `format!("{x}")`, a multi-line SQL string or a `'{'` does not
/// open a block).
fn code_lines(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut chars = text.chars().peekable();
    // Inside a string: the closing quote and how many `#` follow it (raw strings).
    let mut string: Option<usize> = None;
    let mut comment = false;
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        if c == '\n' {
            lines.push(String::new());
            comment = false;
            prev = c;
            continue;
        }
        if comment {
            continue;
        }
        if let Some(hashes) = string {
            if c == '\\' && hashes == 0 {
                if chars.peek() == Some(&'\n') {
                    continue;
                }
                chars.next();
            } else if c == '"' {
                let closing: String = chars.clone().take(hashes).collect();
                if closing.len() == hashes && closing.chars().all(|h| h == '#') {
                    if hashes > 0 {
                        chars.nth(hashes - 1);
                    }
                    string = None;
                }
            }
            continue;
        }
        let line = lines.last_mut();
        match c {
            '"' => string = Some(0),
            'r' if !prev.is_alphanumeric()
                && prev != '_'
                && matches!(chars.peek(), Some('#' | '"')) =>
            {
                let mut hashes = 0;
                while chars.peek() == Some(&'#') {
                    chars.next();
                    hashes += 1;
                }
                if chars.next_if_eq(&'"').is_some() {
                    string = Some(hashes);
                }
            }
            '/' if chars.peek() == Some(&'/') => comment = true,
            '\'' => {
                // A character literal ('{', '\n', '\u{7b}'), not a lifetime ('a).
                let rest: String = chars.clone().take(12).collect();
                if rest.starts_with('\\') {
                    // Past the escaped character (which may be a quote) to the closing quote.
                    if let Some(end) = rest.get(2..).and_then(|r| r.find('\'')) {
                        chars.nth(end + 2);
                    }
                } else if rest.chars().nth(1) == Some('\'') {
                    chars.nth(1);
                }
            }
            _ => {
                if let Some(line) = line {
                    line.push(c);
                }
            }
        }
        prev = c;
    }
    lines
}

/// Functions of more than `limit` lines (signature to closing brace) in `text`, as
/// `(first line, name, lines)`. A function whose line before says `// Long:` (with the reason) is
/// not counted.
fn long_functions(text: &str, limit: usize) -> Vec<(usize, String, usize)> {
    let text = without_tests(text);
    let lines: Vec<&str> = text.lines().collect();
    let code = code_lines(text);
    let mut found = Vec::new();
    for (i, line) in code.iter().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "fn") else {
            continue;
        };
        let before = words.get(..at).unwrap_or_default();
        if !before
            .iter()
            .all(|w| ["pub", "async", "const", "unsafe"].contains(w) || w.starts_with("pub("))
        {
            continue;
        }
        let name: String = words
            .get(at + 1)
            .map(|w| {
                w.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect()
            })
            .unwrap_or_default();
        let reasoned = i > 0
            && lines
                .get(i - 1)
                .is_some_and(|l| l.trim().starts_with("// Long:"));
        let (mut depth, mut opened) = (0i64, false);
        for (j, l) in code.iter().enumerate().skip(i) {
            if !opened && l.trim_end().ends_with(';') {
                break;
            }
            for c in l.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        opened = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            if opened && depth <= 0 {
                let n = j - i + 1;
                if n > limit && !reasoned {
                    found.push((i + 1, name.clone(), n));
                }
                break;
            }
        }
    }
    found
}

/// The rule of ARCHITECTURE's "Size": no function over 80 lines and no file over 660 (its unit
/// tests apart), in the app and the server, unless a `// Long:` line above the function says why.
#[test]
fn no_function_over_80_lines_and_no_file_over_660() {
    let mut files = app_sources();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src"),
        &mut files,
    );
    assert!(files.len() > 120, "the sources were not found");
    let mut found = Vec::new();
    for (path, text) in &files {
        let lines = without_tests(text).lines().count();
        if lines > 660 {
            found.push(format!("{path}: {lines} lines"));
        }
        for (line, name, n) in long_functions(text, 80) {
            found.push(format!("{path}:{line}: fn {name} has {n} lines"));
        }
    }
    assert!(
        found.is_empty(),
        "split these (or say why above the function with `// Long:`):\n{}",
        found.join("\n")
    );
}

/// The reader itself: a long function is found, braces in strings and characters do not count.
#[test]
fn the_size_rule_counts_lines_of_code_blocks() {
    let body = "    let x = \"}}}\";\n    let c = '}';\n".repeat(44);
    let sql = "    let q = \"SELECT {} \\\n   FROM t\";\n    let r = r#\"a \"}\" b\"#; let c = ['\\'', '\\u{7d}', '{'];\n";
    let text = format!("pub async fn big(a: &str) -> Vec<u8> {{\n{body}{sql}}}\nfn small() {{}}\n");
    assert_eq!(long_functions(&text, 80), vec![(1, "big".to_string(), 93)]);
    let reasoned = format!("// Long: one table of cases.\n{text}");
    assert!(long_functions(&reasoned, 80).is_empty());
    assert!(long_functions("fn declared(x: u8);\nfn f() {}\n", 1).is_empty());
}

/// Nothing imports the shell (`app.rs`): pages, widgets and the session are below it, so the
/// app has no import circle through it; the shared view layer (`ui/`) and the session know no
/// feature but the account's (`auth`: the current member, the forms' echo).
#[test]
fn the_shell_and_the_view_layer_import_no_feature() {
    let files = app_sources();
    let mut found = Vec::new();
    for (path, text) in &files {
        if path.ends_with("source_checks.rs") {
            continue;
        }
        let lower = path.contains("/src/ui/") || path.ends_with("/src/session.rs");
        for (n, code) in code_lines(without_tests(text)).iter().enumerate() {
            if code.contains("crate::app::") || code.contains("crate::app;") {
                found.push(format!("{path}:{}: imports the shell", n + 1));
            }
            if lower {
                for part in code.split("crate::").skip(1) {
                    let module: String = part
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !["ui", "auth", "error", "ids", "source_checks"].contains(&module.as_str()) {
                        found.push(format!("{path}:{}: the view layer imports {module}", n + 1));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
