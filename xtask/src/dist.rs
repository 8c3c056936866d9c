//! `cargo xtask dist`: the page, ready for any static host. The crate is built for wasm32 with
//! the `web` profile (fat LTO) twice, the page's module and the chat Worker's (`chat_worker`
//! feature), wasm-bindgen writes each one's `--target web` glue into `pkg/` (`distill.js`,
//! `chat.js`; without the modules' name and producers sections), `www/` is copied beside it,
//! `index.html` gets the module's size and the preloads of what the page fetches as it starts,
//! and every text file and the module get a `.gz` and a `.br` copy for hosts that serve them;
//! `_headers` carries the page's security policy for hosts that read one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use wasm_bindgen_cli_support::Bindgen;

use crate::anatomy::Anatomy;
use crate::sizes::{self, Sizes};
use crate::stage::{cargo, output, run, stage};
use crate::{Result, compression, headers, module_size, preload};

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Builds the page into `out` (emptied first), writes `out/build.json` with its sizes and
/// prints them.
pub fn dist(root: &Path, out: &Path) -> Result {
    dist_with(root, out, PROFILE)
}

/// The cargo profile the page is built with.
const PROFILE: &str = "web";

/// The chat Worker's module in `pkg/`, built with the crate's `chat_worker` feature.
const CHAT_MODULE: &str = "chat";

/// [`dist`] with the wasm built in another cargo `profile`, to compare settings (a profile may
/// be defined in the environment: `CARGO_PROFILE_<NAME>_INHERITS=web` and its changes).
pub fn dist_with(root: &Path, out: &Path, profile: &str) -> Result {
    let anatomy = page(root, out, profile)?;
    // The compressed copies of files that did not change since the last build (the wasm
    // modules when only the page's scripts did) are taken from the build directory.
    let cache = target_dir(root)?.join("precompressed");
    stage("precompress", || {
        compression::precompress(out, &cache).map(drop)
    })?;
    let sizes = stage("sizes", || {
        let mut sizes = Sizes::measure(out)?;
        sizes.anatomy = Some(anatomy.clone());
        sizes.write_json(&out.join(sizes::FILE))?;
        Ok(sizes)
    })?;
    // After measuring: the host reads this file, visitors never download it.
    stage(headers::FILE, || headers::write(out))?;
    println!("wasm: {}", sizes.wasm);
    println!("first load: {}", sizes.first_load);
    println!("fetched later (sections, tour, faults): {}", sizes.data);
    if let Some(anatomy) = &sizes.anatomy {
        let code: u64 = anatomy.code_by_crate.iter().map(|(_, bytes)| bytes).sum();
        let top: Vec<String> = (anatomy.code_by_crate.iter().take(8))
            .map(|(name, bytes)| format!("{name} {:.0} %", 100.0 * *bytes as f64 / code as f64))
            .collect();
        println!(
            "code in cargo's module, before wasm-bindgen: {} ({})",
            sizes::human(code),
            top.join(", ")
        );
    }
    Ok(())
}

/// The page alone in `out`, for `cargo xtask serve`: what [`dist`] builds but the copies and
/// files a host needs and a local server does not (the `.gz` and `.br` copies, `build.json`,
/// `_headers`), whose compressing takes a good part of a warm build.
pub fn for_serving(root: &Path, out: &Path) -> Result {
    page(root, out, PROFILE).map(drop)
}

/// Builds both wasm modules with `profile`, and writes them with their glue, `www/` and the
/// module's size and preloads into `out` (emptied first); returns where the page's module's
/// bytes go, read before the chat Worker's build replaces it.
fn page(root: &Path, out: &Path, profile: &str) -> Result<Anatomy> {
    stage("wasm target", || ensure_wasm_target(root))?;
    let wasm = stage("wasm build", || build_wasm(root, profile, &[]))?;
    // Read before the chat Worker's build puts its own module where this one is.
    let anatomy = stage("anatomy", || Anatomy::read(&wasm))?;
    stage(&format!("clean {}", out.display()), || clean(root, out))?;
    stage("wasm-bindgen", || {
        bindgen(&wasm, &out.join("pkg"), "distill")
    })?;
    let chat = stage("chat worker's wasm build", || {
        build_wasm(root, profile, &["--features", "chat_worker"])
    })?;
    stage("chat worker's wasm-bindgen", || {
        bindgen(&chat, &out.join("pkg"), CHAT_MODULE)
    })?;
    stage("copy www", || copy_dir(&root.join("www"), out))?;
    stage("module size", || module_size::write(out))?;
    stage("preloads", || preload::write(out))?;
    Ok(anatomy)
}

/// Adds the wasm32 target with rustup when the pinned toolchain lacks it. Without rustup there
/// is nothing to check: the build says so if the target is missing.
fn ensure_wasm_target(root: &Path) -> Result {
    let rustup = |args: [&str; 3]| {
        let mut command = Command::new("rustup");
        command.args(args).current_dir(root); // where rust-toolchain.toml picks the toolchain
        command
    };
    let Ok(listed) = output(&mut rustup(["target", "list", "--installed"])) else {
        println!("rustup did not list the installed targets; assuming {WASM_TARGET} is there");
        return Ok(());
    };
    if listed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    run(&mut rustup(["target", "add", WASM_TARGET]))
}

/// Builds the `distill` library for wasm32 with `features` (flags for cargo) and returns the
/// path of its `.wasm`, which the next build overwrites.
fn build_wasm(root: &Path, profile: &str, features: &[&str]) -> Result<PathBuf> {
    run(cargo(root)
        .args([
            "build",
            "-p",
            "distill",
            "--lib",
            "--target",
            WASM_TARGET,
            "--profile",
            profile,
        ])
        .args(features))?;
    let wasm = target_dir(root)?
        .join(WASM_TARGET)
        .join(profile)
        .join("distill.wasm");
    if wasm.is_file() {
        Ok(wasm)
    } else {
        Err(format!(
            "the build succeeded but {} is missing",
            wasm.display()
        ))
    }
}

/// Cargo's target directory, as `cargo metadata` resolves it (`CARGO_TARGET_DIR`, config, or
/// `target/`).
pub fn target_dir(root: &Path) -> Result<PathBuf> {
    let metadata = output(cargo(root).args(["metadata", "--format-version", "1", "--no-deps"]))?;
    let metadata: serde_json::Value = serde_json::from_str(&metadata)
        .map_err(|error| format!("`cargo metadata` printed no JSON: {error}"))?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "`cargo metadata` gave no target_directory".to_string())
}

/// Empties `out` for a fresh build. Only a directory that is plainly a build output is removed:
/// the default `dist/`, an empty one, or one holding a `build.json` from an earlier dist.
fn clean(root: &Path, out: &Path) -> Result {
    if out.exists() {
        let is_empty = fs::read_dir(out)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_none();
        if !(is_empty || out.join(sizes::FILE).is_file() || out == root.join("dist")) {
            return Err(format!(
                "{} is not empty and holds no {} from an earlier dist; remove it or choose another --out",
                out.display(),
                sizes::FILE
            ));
        }
        fs::remove_dir_all(out).map_err(|e| format!("cannot remove {}: {e}", out.display()))?;
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))
}

/// Writes `pkg_dir/NAME.js` and `pkg_dir/NAME_bg.wasm`, the same files as
/// `wasm-bindgen --target web --no-typescript --out-name NAME`.
fn bindgen(wasm: &Path, pkg_dir: &Path, name: &str) -> Result {
    Bindgen::new()
        .input_path(wasm)
        .out_name(name)
        .web(true)
        .and_then(|bindgen| {
            bindgen
                .omit_default_module_path(false)
                .typescript(false)
                .remove_name_section(true)
                .remove_producers_section(true)
                .generate(pkg_dir)
        })
        .map_err(|error| format!("{error:#}"))
}

/// Copies every file under `from` into `to`, keeping the tree, byte for byte.
fn copy_dir(from: &Path, to: &Path) -> Result {
    let entries = fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_dir(&source, &target)?;
        } else {
            fs::copy(&source, &target).map_err(|e| {
                format!(
                    "cannot copy {} to {}: {e}",
                    source.display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}
