//! The Debian packages the build and the browser tests need (Node with npm; Chromium, its
//! driver, a font for screenshots), installed with apt-get when some are missing and this user
//! may: as root, or through passwordless sudo. Anywhere else the error says what to install.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::Result;
use crate::stage::{output, run};

/// Node and npm, for the tests' npm packages (wasm-opt among them).
pub const NODE: [&str; 2] = ["nodejs", "npm"];

/// Everything the browser tests need.
pub const BROWSER_TESTS: [&str; 5] = [
    "chromium",
    "chromium-driver",
    "fonts-liberation",
    "nodejs",
    "npm",
];

/// The packages, with a file each installs: the file's presence says the package is there.
const PACKAGES: [(&str, &str); 5] = [
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
    (
        "fonts-liberation",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    ),
    ("nodejs", "/usr/bin/node"),
    ("npm", "/usr/bin/npm"),
];

/// Installs whichever of `packages` (names from [`PACKAGES`]) are missing, saying so, or
/// explains why it cannot.
pub fn ensure_packages(packages: &[&str]) -> Result {
    let missing: Vec<&str> = PACKAGES
        .iter()
        .filter(|(package, file)| packages.contains(package) && !Path::new(file).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    let Some((apt_get, how)) = apt_get() else {
        return Err(format!(
            "this needs the Debian packages {list}; install them with \
             `apt-get install {list}` as root (this command does so itself when run as root \
             or with passwordless sudo)"
        ));
    };
    println!("installing {list} with apt-get ({how})");
    run(&mut apt_get().args(["update", "-q"]))?;
    run(&mut apt_get()
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing))
}

/// A maker of apt-get commands with enough rights, and how they get them: as root, or through
/// `sudo -n` when sudo asks no password. `None` when neither holds or there is no apt-get.
fn apt_get() -> Option<(fn() -> Command, &'static str)> {
    fn quiet(mut command: Command) -> Command {
        command
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null());
        command
    }
    fn as_root() -> Command {
        quiet(Command::new("apt-get"))
    }
    fn with_sudo() -> Command {
        // sudo may drop the environment; `env` sets it again on the far side.
        let mut command = Command::new("sudo");
        command.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
        quiet(command)
    }
    if !Path::new("/usr/bin/apt-get").is_file() {
        return None;
    }
    let uid = output(Command::new("id").arg("-u")).ok()?;
    if uid.trim() == "0" {
        return Some((as_root, "as root"));
    }
    let sudo = Command::new("sudo")
        .args(["-n", "true"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    sudo.is_ok_and(|status| status.success())
        .then_some((with_sudo as fn() -> Command, "with sudo"))
}
