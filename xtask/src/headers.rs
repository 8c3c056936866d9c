//! `_headers`: the HTTP headers a static host that reads such a file (Netlify, Cloudflare
//! Pages) sends with the page. The Content-Security-Policy is the one in `index.html`'s
//! `<meta>` tag, so the two never drift apart, plus `frame-ancestors`, which browsers honour
//! only in a header: any site may embed the page in an iframe. The rules' paths assume the page
//! is served from the site's root.

use std::fs;
use std::path::Path;

use crate::Result;

/// The file's name in the dist directory.
pub const FILE: &str = "_headers";

/// What the header adds to the `<meta>` policy: embedding allowed from anywhere.
const HEADER_ONLY: &str = "frame-ancestors *";

/// Writes `dist/_headers` from the policy in `dist/index.html`.
pub fn write(dist: &Path) -> Result {
    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let policy = meta_policy(&html).ok_or_else(|| {
        format!(
            "{} has no <meta http-equiv=\"Content-Security-Policy\" content=\"…\">",
            index.display()
        )
    })?;
    let path = dist.join(FILE);
    fs::write(&path, headers(policy)).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The `_headers` text for a page whose `<meta>` policy is `policy`.
fn headers(policy: &str) -> String {
    format!(
        "# Written by `cargo xtask dist` from index.html's Content-Security-Policy.\n\
         /*\n  \
           Content-Security-Policy: {policy}; {HEADER_ONLY}\n  \
           X-Content-Type-Options: nosniff\n  \
           Referrer-Policy: no-referrer\n\
         /pkg/distill_bg.wasm\n  \
           Content-Type: application/wasm\n\
         /pkg/chat_bg.wasm\n  \
           Content-Type: application/wasm\n"
    )
}

/// The `content` of the `<meta http-equiv="Content-Security-Policy">` tag in `html`.
fn meta_policy(html: &str) -> Option<&str> {
    let tag_start = html.find(r#"http-equiv="Content-Security-Policy""#)?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let content = &tag[tag.find(r#"content=""#)? + r#"content=""#.len()..];
    Some(content[..content.find('"')?].trim().trim_end_matches(';'))
}

#[cfg(test)]
mod tests {
    use super::{headers, meta_policy};

    #[test]
    fn the_header_is_the_meta_policy_plus_frame_ancestors() {
        let html = r#"<head><meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'self'; base-uri 'none';">
  <title>t</title>"#;
        let policy = meta_policy(html).unwrap();
        assert_eq!(policy, "default-src 'self'; base-uri 'none'");
        let text = headers(policy);
        assert!(text.contains(
            "\n/*\n  Content-Security-Policy: default-src 'self'; base-uri 'none'; frame-ancestors *\n"
        ));
        assert!(text.contains("\n  X-Content-Type-Options: nosniff\n"));
        assert!(text.contains("\n/pkg/distill_bg.wasm\n  Content-Type: application/wasm\n"));
        assert!(text.ends_with("\n/pkg/chat_bg.wasm\n  Content-Type: application/wasm\n"));
    }

    #[test]
    fn a_page_without_a_policy_has_none() {
        assert_eq!(
            meta_policy("<meta charset=\"utf-8\"><title>t</title>"),
            None
        );
        assert_eq!(
            meta_policy(r#"<meta http-equiv="Content-Security-Policy">"#),
            None
        );
    }
}
