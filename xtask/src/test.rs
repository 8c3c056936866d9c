//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::time::Instant;

use crate::stage::{cargo, run, stage};
use crate::{Result, browser, dist};

/// Which halves of the checks to run.
pub struct Selection {
    /// fmt, clippy (native and wasm32) and `cargo test`.
    pub native: bool,
    /// `dist/` and the browser tests against it.
    pub browser: bool,
}

/// Runs the selected checks and ends with a one-line summary.
pub fn test(root: &Path, selection: Selection) -> Result {
    let start = Instant::now();
    let mut done = Vec::new();
    if selection.native {
        let native: [(&str, &[&str]); 5] = [
            ("cargo fmt", &["fmt", "--all", "--check"]),
            (
                "clippy",
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            ("cargo test", &["test", "--workspace"]),
            // The web module only compiles for wasm32, so it needs a clippy of its own.
            (
                "clippy wasm32",
                &[
                    "clippy",
                    "-p",
                    "distill",
                    "--lib",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
            (
                "clippy wasm32, chat worker",
                &[
                    "clippy",
                    "-p",
                    "distill",
                    "--lib",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--features",
                    "chat_worker",
                    "--",
                    "-D",
                    "warnings",
                ],
            ),
        ];
        for (name, args) in native {
            stage(name, || run(cargo(root).args(args)))?;
            done.push(name.to_string());
        }
    }
    if selection.browser {
        dist::dist(root, &root.join("dist"))?;
        done.push("dist".into());
        let files = browser::test(root, &root.join("dist"))?;
        done.push(format!("browser tests ({files} files)"));
    }
    let seconds = start.elapsed().as_secs_f64();
    if done.is_empty() {
        println!("[{seconds:5.1}s] xtask test: nothing selected");
    } else {
        println!("[{seconds:5.1}s] xtask test: all good: {}", done.join(", "));
    }
    Ok(())
}
