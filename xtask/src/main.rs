//! `cargo xtask`: the one entry point for building, serving, testing and benchmarking the
//! Distillation Playground. It needs nothing but cargo: the browser tests install Debian's
//! Chromium and Node (as root or with passwordless sudo) and their npm packages when missing;
//! wasm-bindgen runs as a library pinned by Cargo.lock, so no CLI has to be installed.
//!
//! ```text
//! dist   crate/ ──cargo build (wasm32, profile web)──▶ distill.wasm ──wasm-bindgen──▶ dist/pkg/
//!        www/ ──copied verbatim──▶ dist/                  sizes ──▶ dist/build.json
//! serve  the page as dist builds it, without its compressed copies ──server.rs (ServeDir)──▶
//!        http://127.0.0.1:8000/
//! test   fmt ▸ build with clippy ▸ the test binaries side by side, dist (wasm32 through clippy) beside them ▸ node --test tests/*.test.mjs
//! soak   dist ▸ node tests/soak/soak.mjs --minutes N ──▶ tests/output/soak.json
//! bench  cargo bench -p distill ▸ dist ▸ node tests/perf/bench.mjs (native, ours, TF.js)
//! digits pip download scikit-learn ──digits.csv.gz──▶ www/data/digits.bin
//! names  pip download names ──dist.all.last──▶ www/data/names.bin
//! ```

mod anatomy;
mod bench;
mod browser;
// The page's checksum and framed-file writer, compiled from the crate's own source: the packers
// write what the page reads with the very same code, without xtask depending on the crate and
// so building burn (in release) before every command. The reader serves the packers' tests.
#[path = "../../crate/src/checksum.rs"]
mod checksum;
mod compression;
mod digits;
mod dist;
mod fetch;
#[path = "../../crate/src/framed.rs"]
#[cfg_attr(not(test), expect(dead_code, reason = "the reader is the page's"))]
mod framed;
mod headers;
mod module_size;
mod names;
mod node;
mod preload;
mod server;
mod sizes;
mod stage;
mod suites;
mod system;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{env, slice};

/// What every step returns: an error is a message for the terminal, already explained.
type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  dist [--out DIR] [--profile NAME]
                          Build the page into DIR (default dist/): the wasm module and its JS
                          glue in DIR/pkg/, every file of www/, .br and .gz copies, and
                          DIR/build.json with sizes. --profile builds the wasm with another
                          cargo profile than `web`, to compare settings.
  serve [--port N] [--no-build]
                          Build the page into dist/ (unless --no-build; without the
                          compressed copies, build.json and _headers, which only a host
                          needs: `dist` writes those), then serve it on
                          http://127.0.0.1:N/ (default port 8000) until Ctrl-C.
  test [--skip-native] [--skip-browser]
                          Every check CI runs: cargo fmt, clippy, the native tests (every
                          test binary at once), clippy for wasm32 (the native part), then
                          dist and the browser tests in tests/*.test.mjs against headless
                          Chromium (the browser part). With both parts, dist is built
                          beside the native checks, through clippy: its wasm32 lints.
                          Installs chromium, chromium-driver, fonts-liberation, nodejs
                          and npm with apt-get when missing (as root or with sudo -n),
                          and tests/node_modules with npm ci.
  soak [--minutes N] [--no-build]
                          Build dist/ (unless --no-build), then drive the page in headless
                          Chromium for N minutes (default 10) through replays, dataset
                          switches, extractions and investigations, sampling its memory;
                          prints each figure's trend per minute and writes
                          tests/output/soak.json. Not part of `test`.
  bench [--rounds N] [--no-criterion] [-- CRITERION_ARGS...]
                          Native criterion figures (cargo bench -p distill), then N rounds
                          (default 5) of: the native example, the page's wasm in a Chromium
                          Worker, TensorFlow.js doing the same steps; prints min/median/max
                          of the ratios and the page's weight per file.
  digits [--out FILE]     Fetch scikit-learn's wheel with pip and write its UCI optdigits
                          digits to FILE (default www/data/digits.bin).
  names [--out FILE]      Fetch the names sdist with pip and write its 88,799 census
                          surnames to FILE (default www/data/names.bin).
  help                    Print this.
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Dispatches one command line.
fn run(args: &[String]) -> Result {
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return Err("no command given".into());
    };
    // Arguments after `--` belong to another program (bench passes them to criterion).
    let own = rest.split(|arg| arg == "--").next().unwrap_or_default();
    let wants_help = own.iter().any(|arg| arg == "--help" || arg == "-h");
    if matches!(command.as_str(), "help" | "--help" | "-h") || wants_help {
        print!("{USAGE}");
        return Ok(());
    }
    let root = workspace_root();
    let mut options = Options {
        command,
        rest: rest.iter(),
    };
    match command.as_str() {
        "dist" => {
            let (mut out, mut profile) = (root.join("dist"), None);
            while let Some(flag) = options.next_flag()? {
                match flag {
                    "--out" => out = PathBuf::from(options.value(flag)?),
                    "--profile" => profile = Some(options.value(flag)?),
                    _ => return Err(options.unknown(flag)),
                }
            }
            match profile {
                Some(profile) => dist::dist_with(&root, &out, profile),
                None => dist::dist(&root, &out),
            }
        }
        "serve" => {
            let (mut port, mut build) = (8000, true);
            while let Some(flag) = options.next_flag()? {
                match flag {
                    "--port" => {
                        let value = options.value(flag)?;
                        port = value
                            .parse()
                            .map_err(|_| format!("--port {value}: not a port number"))?;
                    }
                    "--no-build" => build = false,
                    _ => return Err(options.unknown(flag)),
                }
            }
            serve(&root, port, build)
        }
        "test" => {
            let mut selection = test::Selection {
                native: true,
                browser: true,
            };
            while let Some(flag) = options.next_flag()? {
                match flag {
                    "--skip-native" => selection.native = false,
                    "--skip-browser" => selection.browser = false,
                    _ => return Err(options.unknown(flag)),
                }
            }
            test::test(&root, selection)
        }
        "soak" => {
            let (mut minutes, mut build) = (10.0, true);
            while let Some(flag) = options.next_flag()? {
                match flag {
                    "--minutes" => {
                        let value = options.value(flag)?;
                        minutes = value
                            .parse::<f64>()
                            .ok()
                            .filter(|m| *m > 0.0 && m.is_finite())
                            .ok_or_else(|| format!("--minutes {value}: not a positive number"))?;
                    }
                    "--no-build" => build = false,
                    _ => return Err(options.unknown(flag)),
                }
            }
            let dist_dir = root.join("dist");
            if build {
                dist::dist(&root, &dist_dir)?;
            } else if !dist_dir.join("index.html").is_file() {
                return Err(format!(
                    "{} has no index.html yet; run without --no-build",
                    dist_dir.display()
                ));
            }
            browser::soak(&root, &dist_dir, minutes)
        }
        "digits" => {
            let mut out = root.join("www/data/digits.bin");
            while let Some(flag) = options.next_flag()? {
                match flag {
                    "--out" => out = PathBuf::from(options.value(flag)?),
                    _ => return Err(options.unknown(flag)),
                }
            }
            digits::digits(&root, &out)
        }
        "names" => {
            let mut out = root.join("www/data/names.bin");
            while let Some(flag) = options.next_flag()? {
                match flag {
                    "--out" => out = PathBuf::from(options.value(flag)?),
                    _ => return Err(options.unknown(flag)),
                }
            }
            names::names(&root, &out)
        }
        "bench" => {
            let split = rest
                .iter()
                .position(|arg| arg == "--")
                .unwrap_or(rest.len());
            let (flags, criterion_args) =
                (&rest[..split], rest.get(split + 1..).unwrap_or_default());
            let mut options = Options {
                command,
                rest: flags.iter(),
            };
            let mut settings = bench::Bench {
                rounds: 5,
                criterion: true,
                criterion_args,
            };
            while let Some(flag) = options.next_flag()? {
                match flag {
                    "--rounds" => {
                        let value = options.value(flag)?;
                        settings.rounds = value
                            .parse()
                            .ok()
                            .filter(|&rounds| rounds > 0)
                            .ok_or_else(|| format!("--rounds {value}: not a positive number"))?;
                    }
                    "--no-criterion" => settings.criterion = false,
                    _ => return Err(options.unknown(flag)),
                }
            }
            bench::bench(&root, &settings)
        }
        _ => Err(format!(
            "unknown command `{command}`; `cargo xtask help` lists them"
        )),
    }
}

/// `cargo xtask serve`: builds the page into `dist/` unless told not to (without what only a
/// host needs), then serves it until interrupted.
fn serve(root: &Path, port: u16, build: bool) -> Result {
    let dist_dir = root.join("dist");
    if build {
        dist::for_serving(root, &dist_dir)?;
    } else if !dist_dir.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html yet; run without --no-build",
            dist_dir.display()
        ));
    }
    let server = server::Server::bind(&dist_dir, port).map_err(|error| match error.kind() {
        std::io::ErrorKind::AddrInUse => {
            format!("port {port} on 127.0.0.1 is busy (another `cargo xtask serve`?); pick another with --port N")
        }
        _ => format!("cannot listen on 127.0.0.1:{port}: {error}"),
    })?;
    println!(
        "serving {} at http://{}/ (Ctrl-C to stop)",
        dist_dir.display(),
        server.addr()
    );
    server
        .run()
        .map_err(|error| format!("the server stopped: {error}"))
}

/// The repository's root: the parent of this crate's directory, as `cargo run` names it for
/// this run. Two checkouts that share a `CARGO_TARGET_DIR` share this binary too, so the
/// directory it was compiled in may be the other checkout's; it is only the fallback.
fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.clone(), Path::to_path_buf)
}

/// The flags after a command, read left to right.
struct Options<'a> {
    command: &'a str,
    rest: slice::Iter<'a, String>,
}

impl<'a> Options<'a> {
    /// The next flag, or an error if the next argument is not one.
    fn next_flag(&mut self) -> Result<Option<&'a str>> {
        match self.rest.next() {
            Some(arg) if arg.starts_with("--") => Ok(Some(arg)),
            Some(arg) => Err(format!(
                "{}: unexpected argument `{arg}`; see `cargo xtask help`",
                self.command
            )),
            None => Ok(None),
        }
    }

    /// The value that must follow `flag`.
    fn value(&mut self, flag: &str) -> Result<&'a str> {
        self.rest
            .next()
            .map(String::as_str)
            .ok_or_else(|| format!("{}: {flag} needs a value", self.command))
    }

    /// The error for a flag this command does not take.
    fn unknown(&self, flag: &str) -> String {
        format!(
            "{}: unknown option `{flag}`; see `cargo xtask help`",
            self.command
        )
    }
}
