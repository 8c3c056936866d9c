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
    let Some(rights) = Rights::find() else {
        return Err(format!(
            "this needs the Debian packages {list}; install them with \
             `apt-get install {list}` as root (this command does so itself when run as root \
             or with passwordless sudo)"
        ));
    };
    println!("installing {list} with apt-get ({})", rights.describe());
    run(rights.apt_get().args(["update", "-q"]))?;
    run(rights
        .apt_get()
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(&missing))
}

/// How this user may run apt-get.
enum Rights {
    /// It is root.
    Root,
    /// sudo asks it no password.
    Sudo,
}

impl Rights {
    /// The rights this user has, or `None` when it has neither or there is no apt-get.
    fn find() -> Option<Rights> {
        if !Path::new("/usr/bin/apt-get").is_file() {
            return None;
        }
        let uid = output(Command::new("id").arg("-u")).ok()?;
        if uid.trim() == "0" {
            return Some(Rights::Root);
        }
        let sudo = Command::new("sudo")
            .args(["-n", "true"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        sudo.is_ok_and(|status| status.success())
            .then_some(Rights::Sudo)
    }

    fn describe(&self) -> &'static str {
        match self {
            Rights::Root => "as root",
            Rights::Sudo => "with sudo",
        }
    }

    /// An apt-get command that asks no question.
    fn apt_get(&self) -> Command {
        let mut command = match self {
            Rights::Root => Command::new("apt-get"),
            Rights::Sudo => {
                // sudo may drop the environment; `env` sets it again on the far side.
                let mut command = Command::new("sudo");
                command.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
                command
            }
        };
        command
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null());
        command
    }
}
