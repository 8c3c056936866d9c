//! Timed stages and the commands they run: each stage prints one line when it ends,
//! `[ 12.3s] wasm build`, and a failing command becomes an error that quotes it.

use std::path::Path;
use std::process::Command;
use std::time::Instant;
use std::{env, ffi::OsStr};

use crate::Result;

/// Runs `work` as the stage called `name`, prints its elapsed time, and prefixes a failure with
/// the stage's name.
pub fn stage<T>(name: &str, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let start = Instant::now();
    let result = work();
    let seconds = start.elapsed().as_secs_f64();
    let outcome = if result.is_ok() { "" } else { " FAILED" };
    println!("[{seconds:5.1}s] {name}{outcome}");
    result.map_err(|error| format!("{name}: {error}"))
}

/// A `cargo` command run from the workspace root, with the same cargo that runs this xtask.
pub fn cargo(root: &Path) -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root);
    command
}

/// Runs `command` with the terminal as its input and output; a failure to start it or a
/// non-zero exit is an error.
pub fn run(command: &mut Command) -> Result {
    let status = command
        .status()
        .map_err(|error| cannot_start(command, &error))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs `command` and returns what it printed on stdout; its stderr goes to the terminal.
pub fn output(command: &mut Command) -> Result<String> {
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|error| cannot_start(command, &error))?;
    if !output.status.success() {
        return Err(format!(
            "`{}` failed ({})",
            describe(command),
            output.status
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| {
        format!(
            "`{}` printed something that is not UTF-8",
            describe(command)
        )
    })
}

fn cannot_start(command: &Command, error: &std::io::Error) -> String {
    format!("cannot run `{}`: {error}", describe(command))
}

/// The command as one would type it.
fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program());
    std::iter::once(program)
        .chain(command.get_args())
        .map(OsStr::to_string_lossy)
        .collect::<Vec<_>>()
        .join(" ")
}
