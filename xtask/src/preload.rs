//! Preloads in the page's `<head>`: a `modulepreload` for every module its entry script imports
//! (statically, at any depth), and for the wasm glue it imports at once (`startup.js` fetches
//! the binary itself, as early, to show the download's progress). Without them
//! the browser learns of each level of imports only once the level above has arrived: one
//! round trip per level before the module can even start downloading, which on a phone's
//! network is seconds.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::Result;

/// The page's entry module, as `index.html` names it.
const ENTRY: &str = "main.js";

/// What the entry imports at once besides its static imports: the wasm glue (a dynamic
/// `import`).
const GLUE: &str = "pkg/distill.js";

/// Writes the preloads into `dist/index.html`, just before `</head>`.
pub fn write(dist: &Path) -> Result {
    let mut modules = imported(dist, ENTRY)?;
    modules.insert(GLUE.to_string());
    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    if !html.contains(&format!(r#"<script type="module" src="{ENTRY}">"#)) {
        return Err(format!(
            "index.html does not start {ENTRY}: its preloads would be wrong"
        ));
    }
    let links: Vec<String> = (modules.iter())
        .map(|m| format!(r#"  <link rel="modulepreload" href="{m}">"#))
        .collect();
    let html = html.replacen("</head>", &format!("{}\n</head>", links.join("\n")), 1);
    fs::write(&index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))
}

/// Every module `entry` imports statically, directly or not, as paths from `dist`, sorted.
fn imported(dist: &Path, entry: &str) -> Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let mut pending = vec![entry.to_string()];
    while let Some(module) = pending.pop() {
        let path = dist.join(&module);
        let source = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for specifier in static_imports(&source) {
            let resolved = resolve(&module, &specifier)
                .ok_or_else(|| format!("{module} imports {specifier}, outside the page"))?;
            if found.insert(resolved.clone()) {
                pending.push(resolved);
            }
        }
    }
    Ok(found)
}

/// The relative specifiers of `source`'s static imports: `… from "./x.js"` and `import "./x.js"`
/// (not `import("./x.js")`, which loads only when it runs).
fn static_imports(source: &str) -> Vec<String> {
    let mut specifiers = Vec::new();
    for line in source.lines() {
        let line = line.trim_start();
        if line.starts_with("//") || line.starts_with('*') {
            continue;
        }
        let quoted = line
            .find("from \"")
            .map(|at| &line[at + 6..])
            .or_else(|| line.strip_prefix("import \""));
        if let Some(rest) = quoted
            && let Some(end) = rest.find('"')
            && rest.starts_with('.')
        {
            specifiers.push(rest[..end].to_string());
        }
    }
    specifiers
}

/// `specifier` seen from `module` (both relative to the page's root), or `None` if it leaves it.
fn resolve(module: &str, specifier: &str) -> Option<String> {
    let mut parts: Vec<&str> = module.split('/').collect();
    parts.pop(); // the module's own file name
    for part in specifier.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_static_imports_only() {
        let source = r#"// a comment: import x from "./no.js"
import { a } from "./a.js";
import {
  b,
  c,
} from "../b/c.js";
import "./side.js";
const later = () => import("./lazy.js");
import { d } from "https://elsewhere/d.js";
"#;
        assert_eq!(static_imports(source), ["./a.js", "../b/c.js", "./side.js"]);
    }

    #[test]
    fn resolves_against_the_importing_module() {
        assert_eq!(
            resolve("main.js", "./views.js").as_deref(),
            Some("views.js")
        );
        assert_eq!(
            resolve("chat/chat.js", "../views.js").as_deref(),
            Some("views.js")
        );
        assert_eq!(resolve("a/b.js", "./c/d.js").as_deref(), Some("a/c/d.js"));
        assert_eq!(resolve("main.js", "../outside.js"), None);
    }

    #[test]
    fn the_page_preloads_its_whole_static_graph() {
        let dist = std::env::temp_dir().join(format!("preload-test-{}", std::process::id()));
        fs::create_dir_all(dist.join("sub")).unwrap();
        fs::write(dist.join("main.js"), "import { x } from \"./sub/x.js\";\n").unwrap();
        fs::write(dist.join("sub/x.js"), "import \"../y.js\";\n").unwrap();
        fs::write(dist.join("y.js"), "export const y = 1;\n").unwrap();
        fs::write(
            dist.join("index.html"),
            "<head>\n  <script type=\"module\" src=\"main.js\"></script>\n</head>",
        )
        .unwrap();
        write(&dist).unwrap();
        let html = fs::read_to_string(dist.join("index.html")).unwrap();
        fs::remove_dir_all(&dist).unwrap();
        for href in ["sub/x.js", "y.js", GLUE] {
            assert!(
                html.contains(&format!(r#"<link rel="modulepreload" href="{href}">"#)),
                "{href} in {html}"
            );
        }
        assert!(
            !html.contains("distill_bg.wasm"),
            "startup.js fetches the module"
        );
        assert!(html.find("modulepreload").unwrap() < html.find("</head>").unwrap());
    }
}
