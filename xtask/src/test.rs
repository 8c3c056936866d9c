//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::stage::{cargo, output, run, stage};
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
        stage("cargo fmt", || {
            run(cargo(root).args(["fmt", "--all", "--check"]))
        })?;
        done.push("cargo fmt".to_string());
        // Clippy rides on the tests' own build: what `cargo clippy --workspace --all-targets`
        // checks (every target, in test and normal mode), built for real once, so that the
        // dependencies are compiled for the tests only and not checked a second time for
        // clippy. The tests then run on that build, doc tests included (with the same driver:
        // cargo counts the compiler in what it has built, and would build the crates again).
        let clippy = clippy_driver(root)?;
        let native: [(&str, &[&str]); 2] = [
            (
                "clippy and the tests' build",
                &["build", "--workspace", "--all-targets"],
            ),
            ("cargo test", &["test", "--workspace"]),
        ];
        for (name, args) in native {
            stage(name, || run(with_clippy(cargo(root).args(args), &clippy)))?;
            done.push(name.to_string());
        }
        // The web module only compiles for wasm32, so it needs a clippy of its own.
        let wasm: [(&str, &[&str]); 2] = [
            ("clippy wasm32", &[]),
            ("clippy wasm32, chat worker", &["--features", "chat_worker"]),
        ];
        for (name, features) in wasm {
            stage(name, || {
                run(cargo(root)
                    .args(["clippy", "-p", "distill", "--lib", "--target"])
                    .arg("wasm32-unknown-unknown")
                    .args(features)
                    .args(["--", "-D", "warnings"]))
            })?;
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

/// Clippy's compiler driver in the toolchain that builds this workspace (rust-toolchain.toml).
fn clippy_driver(root: &Path) -> Result<PathBuf> {
    let sysroot = output(
        Command::new("rustc")
            .args(["--print", "sysroot"])
            .current_dir(root),
    )?;
    let driver = Path::new(sysroot.trim())
        .join("bin")
        .join(format!("clippy-driver{}", env::consts::EXE_SUFFIX));
    if driver.is_file() {
        Ok(driver)
    } else {
        Err(format!(
            "no clippy in the toolchain ({} is missing): rustup component add clippy",
            driver.display()
        ))
    }
}

/// `command` (a cargo build or test) with clippy's lints, warnings denied, on the workspace's
/// own crates as they compile: cargo runs `driver`, a rustc that also lints, on workspace
/// members only, as `cargo clippy` does for its check.
fn with_clippy<'a>(command: &'a mut Command, driver: &Path) -> &'a mut Command {
    command.env("RUSTC_WORKSPACE_WRAPPER", driver).env(
        "CLIPPY_ARGS",
        "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
    )
}
