//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use std::env;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use crate::stage::{cargo, output, run, stage};
use crate::{Result, browser, dist, suites};

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
    let clippy = if selection.native {
        Some(clippy_driver(root)?)
    } else {
        None
    };
    // The page's build runs beside the native checks: its two fat-LTO links keep one core
    // busy for most of their time, which the native checks leave idle much of theirs. With
    // the native checks, it compiles the crate for wasm32 with clippy's driver: the web
    // module only compiles for wasm32, and this lints it without checking burn a second time.
    let mut beside = match &clippy {
        Some(clippy) if selection.browser => Some(DistBeside::start(root, clippy)?),
        _ => None,
    };
    if let Some(clippy) = &clippy {
        stage("cargo fmt", || {
            run(cargo(root).args(["fmt", "--all", "--check"]))
        })?;
        done.push("cargo fmt".to_string());
        // Clippy rides on the tests' own build: what `cargo clippy --workspace --all-targets`
        // checks (every target, in test and normal mode), built for real once, so that the
        // dependencies are compiled for the tests only and not checked a second time for
        // clippy. The tests then run on that build, doc tests included (with the same driver:
        // cargo counts the compiler in what it has built, and would build the crates again).
        let name = "clippy and the tests' build";
        stage(name, || {
            run(with_clippy(
                cargo(root).args(["build", "--workspace", "--all-targets"]),
                clippy,
            ))
        })?;
        done.push(name.to_string());
        let name = "cargo test, its suites side by side";
        stage(name, || {
            suites::run(|| {
                let mut command = cargo(root);
                with_clippy(&mut command, clippy);
                command
            })
        })?;
        done.push(name.to_string());
        // The web module only compiles for wasm32, so it needs a clippy of its own: the
        // page's build beside gives it, or else these checks.
        let wasm: &[(&str, &[&str])] = match beside {
            Some(_) => &[],
            None => &[
                ("clippy wasm32", &[]),
                ("clippy wasm32, chat worker", &["--features", "chat_worker"]),
            ],
        };
        for &(name, features) in wasm {
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
        match beside.take() {
            Some(beside) => {
                beside.finish()?;
                done.push("dist with clippy wasm32".into());
            }
            None => {
                dist::dist(root, &root.join("dist"))?;
                done.push("dist".into());
            }
        }
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

/// `cargo xtask dist` in a child process, its output held until it is waited for. Dropped
/// before that (a native check failed), it is stopped.
struct DistBeside {
    child: Option<Child>,
    /// What it prints on stdout and on stderr, each with when its pipe closed (as it ended).
    printed: [JoinHandle<(Vec<u8>, Instant)>; 2],
    start: Instant,
}

impl DistBeside {
    /// Starts the page's build into `dist/` under `root`, the crate compiled by clippy's
    /// `driver` (its lints for wasm32, warnings denied).
    fn start(root: &Path, driver: &Path) -> Result<Self> {
        let xtask = env::current_exe().map_err(|error| format!("where is xtask? {error}"))?;
        let mut command = Command::new(xtask);
        with_clippy(&mut command, driver)
            .arg("dist")
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // A group of its own, so that stopping it stops the cargo and rustc under it too.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .spawn()
            .map_err(|error| format!("cannot start `xtask dist`: {error}"))?;
        let held = |pipe: Option<Box<dyn Read + Send>>| {
            thread::spawn(move || {
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    // A pipe that breaks leaves what was read: the exit status tells the rest.
                    let _ = pipe.read_to_end(&mut bytes);
                }
                (bytes, Instant::now())
            })
        };
        let printed = [
            held(child.stdout.take().map(|p| Box::new(p) as _)),
            held(child.stderr.take().map(|p| Box::new(p) as _)),
        ];
        Ok(Self {
            child: Some(child),
            printed,
            start: Instant::now(),
        })
    }

    /// Waits for the build and prints what it printed: its stages (and cargo's output too if
    /// it failed).
    fn finish(mut self) -> Result {
        let status = self
            .child
            .take()
            .map(|mut child| child.wait())
            .transpose()
            .map_err(|error| format!("`xtask dist`: {error}"))?;
        let [(stdout, ended), (stderr, _)] =
            std::mem::replace(&mut self.printed, [empty(), empty()]).map(|reader| {
                reader
                    .join()
                    .unwrap_or_else(|_| (Vec::new(), Instant::now()))
            });
        print!("{}", String::from_utf8_lossy(&stdout));
        let seconds = ended.duration_since(self.start).as_secs_f64();
        if status.is_some_and(|status| status.success()) {
            println!("[{seconds:5.1}s] dist, built beside the native checks");
            Ok(())
        } else {
            eprint!("{}", String::from_utf8_lossy(&stderr));
            Err(format!(
                "dist, built beside the native checks with clippy's wasm32 lints, failed after {seconds:.0} s"
            ))
        }
    }
}

/// A reader thread that has read nothing.
fn empty() -> JoinHandle<(Vec<u8>, Instant)> {
    thread::spawn(|| (Vec::new(), Instant::now()))
}

impl Drop for DistBeside {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Best effort: the checks have failed already, and say so.
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
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
