//! The browser tests: Node's test runner over `tests/*.test.mjs`, which drive headless Chromium
//! through `playwright-core` against the built page, served on an ephemeral port; and the soak,
//! `tests/soak/soak.mjs`, run the same way.
//!
//! Each script gets, in its environment, `PLAYGROUND_URL` (the page's address, ending in
//! `/`), `TEST_OUTPUT` (an absolute directory for screenshots and logs) and `CHROMIUM` (the
//! browser's executable).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::server::Server;
use crate::stage::{output, run, stage};
use crate::{Result, node, system};

/// Where Debian's `chromium` package puts the browser; `CHROMIUM` overrides it.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// Runs every `tests/*.test.mjs` against the page in `dist`, and returns how many files ran.
pub fn test(root: &Path, dist: &Path) -> Result<usize> {
    let tests = root.join("tests");
    let files = test_files(&tests)?;
    let mut node = node_against(root, dist)?;
    stage("browser tests", || {
        // Two files side by side: the tests wait on conditions, not on the clock, and the
        // main thread's long tasks are budgeted in CPU time, so a busy core slows them without
        // failing them.
        run(node
            .args(["--test", "--test-reporter=spec", "--test-concurrency=2"])
            .args(&files))
    })?;
    Ok(files.len())
}

/// Drives the page in `dist` for `minutes` with `tests/soak/soak.mjs`, which samples its
/// memory and reports the trends (not part of `test`: it takes as long as it is told).
pub fn soak(root: &Path, dist: &Path, minutes: f64) -> Result {
    let mut node = node_against(root, dist)?;
    stage("soak", || {
        run(node
            .arg(Path::new("tests").join("soak").join("soak.mjs"))
            .args(["--minutes", &minutes.to_string()]))
    })
}

/// A `node` command run from the root with the environment the browser scripts expect, against
/// the page in `dist` served on an ephemeral port for as long as this process lives. Checks
/// Chromium and Node first, and installs the scripts' dependencies when needed.
fn node_against(root: &Path, dist: &Path) -> Result<Command> {
    let tests = root.join("tests");
    let chromium = stage("chromium and node", || {
        if std::env::var_os("CHROMIUM").is_none() {
            system::ensure_packages(&system::BROWSER_TESTS)?;
        }
        let chromium = find_chromium()?;
        let node = output(Command::new("node").arg("--version")).map_err(|error| {
            format!("{error}\nNode.js is needed for the browser tests: apt-get install nodejs npm")
        })?;
        println!("using {} and node {}", chromium.display(), node.trim());
        Ok(chromium)
    })?;
    node::ensure_modules(root)?;
    let output_dir = tests.join("output");
    fs::create_dir_all(&output_dir)
        .map_err(|e| format!("cannot create {}: {e}", output_dir.display()))?;
    let addr = Server::bind(dist, 0)
        .map_err(|e| format!("cannot start the page's server: {e}"))?
        .spawn();
    let mut node = Command::new("node");
    node.current_dir(root)
        .env("PLAYGROUND_URL", format!("http://{addr}/"))
        .env("TEST_OUTPUT", &output_dir)
        .env("CHROMIUM", &chromium);
    Ok(node)
}

/// The Chromium executable, or an error that says how to install it.
fn find_chromium() -> Result<PathBuf> {
    let chromium =
        std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from(DEFAULT_CHROMIUM), PathBuf::from);
    if chromium.is_file() {
        Ok(chromium)
    } else {
        Err(format!(
            "no Chromium at {} (set CHROMIUM to another path, or leave it unset for this \
             command to install Debian's chromium)",
            chromium.display()
        ))
    }
}

/// The `*.test.mjs` files directly in `tests`, as paths relative to the root, sorted.
fn test_files(tests: &Path) -> Result<Vec<PathBuf>> {
    let entries =
        fs::read_dir(tests).map_err(|e| format!("cannot read {}: {e}", tests.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| Path::new("tests").join(name))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no browser tests: {} has no *.test.mjs file",
            tests.display()
        ));
    }
    Ok(files)
}
