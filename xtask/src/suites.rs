//! The workspace's native test binaries (`cargo test`'s suites), built once and then run side by
//! side. `cargo test` runs one binary after another, so a binary whose last test is long (a
//! lesson measured over ten seeds) leaves a core idle while the next binary waits; here every
//! binary starts at once, each with the test threads it would have had, and the operating
//! system shares the cores. The doc tests run beside them, through cargo.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::Instant;

use serde_json::Value;

use crate::Result;
use crate::stage::output;

/// One test binary as cargo built it.
struct Suite {
    /// What `cargo test` calls it: "distill (lib)", "knobs (test)".
    name: String,
    executable: PathBuf,
    /// The package's directory, where `cargo test` runs its binaries.
    package: PathBuf,
}

/// Builds the tests with `cargo` (a `cargo test` command without its subcommand's arguments)
/// and runs every binary and the doc tests side by side; prints each one's output as it was
/// written once it ends, in cargo's order, and fails naming the suites that failed.
pub fn run(cargo: impl Fn() -> Command) -> Result {
    let listed = output(cargo().args([
        "test",
        "--workspace",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ]))?;
    let suites = suites(&listed)?;
    let started: Vec<(String, Result<Child>, Instant)> = suites
        .iter()
        .map(|suite| {
            let mut command = Command::new(&suite.executable);
            command.current_dir(&suite.package);
            (suite.name.clone(), spawn(&mut command), Instant::now())
        })
        .chain([{
            let mut doc = cargo();
            doc.args(["test", "--workspace", "--doc"]);
            ("doc tests".to_string(), spawn(&mut doc), Instant::now())
        }])
        .collect();
    // Each child's pipes are read by its own thread, so that none blocks on a full pipe.
    let waited: Vec<_> = started
        .into_iter()
        .map(|(name, child, start)| {
            let waiter = thread::spawn(move || {
                let out = child?
                    .wait_with_output()
                    .map_err(|error| format!("cannot wait for it: {error}"))?;
                Ok((out, start.elapsed().as_secs_f64()))
            });
            (name, waiter)
        })
        .collect();
    let mut failed = Vec::new();
    for (name, waiter) in waited {
        let result: Result<(Output, f64)> = waiter
            .join()
            .unwrap_or_else(|_| Err("its reader panicked".into()));
        match result {
            Ok((out, seconds)) => {
                print!("{}", String::from_utf8_lossy(&out.stdout));
                eprint!("{}", String::from_utf8_lossy(&out.stderr));
                println!("[{seconds:5.1}s] {name}");
                if !out.status.success() {
                    failed.push(format!("{name} ({})", out.status));
                }
            }
            Err(error) => failed.push(format!("{name}: {error}")),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}

/// `command` started with its output captured.
fn spawn(command: &mut Command) -> Result<Child> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start {}: {error}", command.get_program().display()))
}

/// The test binaries in cargo's JSON messages (one per line): artifacts built in test mode
/// that have an executable.
fn suites(messages: &str) -> Result<Vec<Suite>> {
    let mut suites = Vec::new();
    for line in messages.lines().filter(|line| line.starts_with('{')) {
        let message: Value =
            serde_json::from_str(line).map_err(|error| format!("cargo's message: {error}"))?;
        let test = message["profile"]["test"].as_bool() == Some(true);
        let (Some("compiler-artifact"), true, Some(executable), Some(manifest)) = (
            message["reason"].as_str(),
            test,
            message["executable"].as_str(),
            message["manifest_path"].as_str(),
        ) else {
            continue;
        };
        let target = &message["target"];
        // A library is "lib" whatever its crate types ("cdylib", "rlib").
        let kinds: Vec<&str> = target["kind"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let kind = if kinds.iter().any(|kind| kind.ends_with("lib")) {
            "lib"
        } else {
            kinds.first().copied().unwrap_or("test")
        };
        suites.push(Suite {
            name: format!("{} ({kind})", target["name"].as_str().unwrap_or("?")),
            executable: executable.into(),
            package: Path::new(manifest)
                .parent()
                .map_or_else(PathBuf::new, Path::to_path_buf),
        });
    }
    if suites.is_empty() {
        return Err("cargo built no test binary".into());
    }
    Ok(suites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_test_binaries_among_cargo_s_messages() {
        let messages = r#"{"reason":"compiler-artifact","manifest_path":"/w/crate/Cargo.toml","target":{"kind":["lib","cdylib"],"name":"distill"},"profile":{"test":false},"executable":null}
{"reason":"compiler-artifact","manifest_path":"/w/crate/Cargo.toml","target":{"kind":["lib","cdylib"],"name":"distill"},"profile":{"test":true},"executable":"/t/distill-1"}
{"reason":"compiler-artifact","manifest_path":"/w/crate/Cargo.toml","target":{"kind":["test"],"name":"knobs"},"profile":{"test":true},"executable":"/t/knobs-2"}
{"reason":"compiler-artifact","manifest_path":"/w/crate/Cargo.toml","target":{"kind":["bin"],"name":"distill"},"profile":{"test":false},"executable":"/t/distill"}
{"reason":"build-finished","success":true}"#;
        let found = suites(messages).unwrap();
        let names: Vec<_> = found.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["distill (lib)", "knobs (test)"]);
        assert_eq!(found[1].executable, Path::new("/t/knobs-2"));
        assert_eq!(found[1].package, Path::new("/w/crate"));
        assert!(suites(r#"{"reason":"build-finished","success":true}"#).is_err());
    }
}
