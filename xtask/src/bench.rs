//! `cargo xtask bench`: how fast the page trains, in one go. First the native criterion
//! figures (`crate/benches/steps.rs`); then `tests/perf/bench.mjs`, which runs rounds of the
//! native example `crate/examples/speed.rs`, the page's wasm in a Chromium Worker and
//! TensorFlow.js doing the same steps in the same browser, and prints the ratios and the page's
//! weight per file.

use std::path::Path;
use std::process::Command;

use crate::server::Server;
use crate::stage::{cargo, run, stage};
use crate::{Result, dist, node, system};

/// What to run.
pub struct Bench<'a> {
    /// Browser rounds (each: native, ours, TF.js).
    pub rounds: u32,
    /// Whether to run criterion first.
    pub criterion: bool,
    /// Arguments for criterion (after `cargo bench -p distill --`).
    pub criterion_args: &'a [String],
}

/// Runs the benchmark.
pub fn bench(root: &Path, bench: &Bench) -> Result {
    if bench.criterion {
        stage("criterion", || {
            run(cargo(root)
                .args(["bench", "-p", "distill", "--bench", "steps", "--"])
                .args(bench.criterion_args))
        })?;
    }
    let native = stage("native example", || {
        run(cargo(root).args(["build", "--release", "-p", "distill", "--example", "speed"]))?;
        Ok(dist::target_dir(root)?.join("release/examples/speed"))
    })?;
    let dist_dir = root.join("dist");
    dist::dist(root, &dist_dir)?;
    system::ensure_packages(&system::BROWSER_TESTS)?;
    node::ensure_modules(root)?;
    let addr = Server::bind(&dist_dir, 0)
        .map_err(|e| format!("cannot start the page's server: {e}"))?
        .spawn();
    stage("browser rounds", || {
        run(Command::new("node")
            .arg("tests/perf/bench.mjs")
            .args(["--rounds", &bench.rounds.to_string()])
            .current_dir(root)
            .env("PLAYGROUND_URL", format!("http://{addr}/"))
            .env("NATIVE_SPEED", &native)
            .env("TEST_OUTPUT", root.join("tests/output")))
    })
}
