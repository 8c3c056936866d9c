//! The tests' npm packages in `tests/node_modules` (playwright-core for the browser tests,
//! TensorFlow.js and esbuild for the benchmark), installed with `npm ci` when missing or older
//! than `tests/package-lock.json`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::stage::{run, stage};
use crate::{Result, system};

/// Makes sure Node, npm and `tests/node_modules` are there, installing what is missing.
pub fn ensure_modules(root: &Path) -> Result {
    system::ensure_packages(&system::NODE)?;
    let tests = root.join("tests");
    if needs_npm_ci(&tests) {
        stage("npm ci", || {
            run(Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&tests))
        })?;
    }
    Ok(())
}

/// Whether `tests/node_modules` is missing or older than `tests/package-lock.json`. npm writes
/// `node_modules/.package-lock.json` on every install, so its age is the install's.
fn needs_npm_ci(tests: &Path) -> bool {
    let modified = |path: PathBuf| {
        fs::metadata(path)
            .and_then(|metadata| metadata.modified())
            .ok()
    };
    match (
        modified(tests.join("node_modules/.package-lock.json")),
        modified(tests.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => installed < locked,
        _ => true,
    }
}
