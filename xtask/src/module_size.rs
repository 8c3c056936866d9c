//! The module's size, written into the page so that its download can show progress: a browser
//! reading a compressed response sees the decoded bytes arrive, but the header gives only the
//! compressed length.

use std::fs;
use std::path::Path;

use crate::Result;

/// The tag in `www/index.html` whose `content` receives the module's size in bytes.
const PLACEHOLDER: &str = r#"<meta name="wasm-bytes" content="0">"#;

/// Writes the size of `dist/pkg/distill_bg.wasm` into `dist/index.html`.
pub fn write(dist: &Path) -> Result {
    let wasm = dist.join("pkg").join("distill_bg.wasm");
    let bytes = fs::metadata(&wasm)
        .map_err(|e| format!("cannot read {}: {e}", wasm.display()))?
        .len();
    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    fs::write(&index, fill(&html, bytes)?)
        .map_err(|e| format!("cannot write {}: {e}", index.display()))
}

/// `html` with the placeholder's content set to `bytes`.
fn fill(html: &str, bytes: u64) -> Result<String> {
    if html.matches(PLACEHOLDER).count() != 1 {
        return Err(format!(
            "index.html must hold `{PLACEHOLDER}` exactly once: the page reads the module's size from it"
        ));
    }
    Ok(html.replace(
        PLACEHOLDER,
        &format!(r#"<meta name="wasm-bytes" content="{bytes}">"#),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_replaces_the_placeholder() {
        let html = format!("<head>{PLACEHOLDER}</head>");
        assert_eq!(
            fill(&html, 3_456_789).unwrap(),
            r#"<head><meta name="wasm-bytes" content="3456789"></head>"#
        );
    }

    #[test]
    fn a_page_without_the_placeholder_is_refused() {
        assert!(
            fill("<head></head>", 1)
                .unwrap_err()
                .contains("exactly once")
        );
        let twice = format!("{PLACEHOLDER}{PLACEHOLDER}");
        assert!(fill(&twice, 1).is_err());
    }
}
