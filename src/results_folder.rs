//! The results folder a command writes (`--out`, or `results/<scenario name>`): checked before
//! anything is simulated, locked against a second writer, and for a run replaced as a whole.
//!
//! - **Checks.** `/` and the home folder are refused; so is a path that is a file, a link, or
//!   a non-empty folder that is not an iomtsim results folder (unless `--force`). The parent
//!   folder is created and must accept a new file.
//! - **Lock.** An advisory lock (`flock`) on `.<name>.iomtsim-lock` beside the folder; a second
//!   run into the same folder is refused at once. The kernel releases it when the process ends,
//!   killed or not, so a crash never leaves a stale lock.
//! - **Swap.** A run is written into a fresh sibling `.<name>.iomtsim-new-XXXXXX` and swapped in
//!   with one atomic exchange of names (Linux `renameat2(RENAME_EXCHANGE)`; two renames
//!   elsewhere), so a reader finds the old folder or the new one, never a mix, and no file of
//!   an earlier run survives. A killed run leaves its sibling behind; the next run into the
//!   folder removes it and says so (or, if the folder itself is gone, restores the old one).

use crate::Failure;
use std::fs::File;
use std::path::{Path, PathBuf};

/// What kind of folder a command writes, and so which marker file makes a folder its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `iomtsim run`: the folder holds `manifest.json`.
    Run,
    /// `iomtsim sweep` and `merge`: the folder holds `sweep-manifest.json`.
    Sweep,
    /// `iomtsim compare`: the folder holds `compare-manifest.json`.
    Compare,
    /// `iomtsim paper`: the folder holds `paper-manifest.json`.
    Paper,
}

impl Kind {
    fn marker(self) -> &'static str {
        match self {
            Kind::Run => "manifest.json",
            Kind::Sweep => "sweep-manifest.json",
            Kind::Compare => "compare-manifest.json",
            Kind::Paper => "paper-manifest.json",
        }
    }
}

/// A results folder, checked and locked for this process until dropped.
#[derive(Debug)]
pub struct ResultsFolder {
    /// The path as the user gave it (for messages).
    pub shown: PathBuf,
    /// The folder's absolute path (parent resolved).
    pub path: PathBuf,
    parent: PathBuf,
    name: String,
    lock_path: PathBuf,
    _lock: File,
}

fn input(msg: String) -> Failure {
    Failure::Input(msg)
}

/// Whether `dir` is empty or holds iomtsim's marker file for `kind`.
fn is_ours(dir: &Path, kind: Kind) -> std::io::Result<bool> {
    let mut entries = std::fs::read_dir(dir)?;
    if entries.next().is_none() {
        return Ok(true);
    }
    let marker = dir.join(kind.marker());
    let Ok(text) = std::fs::read(&marker) else {
        return Ok(false);
    };
    // A run's manifest names the program; a sweep manifest too.
    let v: serde_json::Value = serde_json::from_slice(&text).unwrap_or_default();
    Ok(v["program"]["name"] == "iomtsim")
}

impl ResultsFolder {
    /// Checks `out` and locks it, before any simulation runs. `force` allows a non-empty folder
    /// that is not an iomtsim results folder.
    pub fn claim(out: &Path, kind: Kind, force: bool) -> Result<ResultsFolder, Failure> {
        let shown = out.to_path_buf();
        let name = match out.file_name().map(|n| n.to_string_lossy().into_owned()) {
            Some(n)
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, std::path::Component::Normal(_))) =>
            {
                n
            }
            _ => {
                return Err(input(format!(
                    "--out {}: name the results folder itself, not `/`, `.` or `..` (e.g. --out results/ward)",
                    out.display()
                )));
            }
        };
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| {
            input(format!(
                "--out {}: cannot create the folder {}: {e}",
                out.display(),
                parent.display()
            ))
        })?;
        let parent = std::fs::canonicalize(&parent).map_err(|e| {
            input(format!(
                "--out {}: cannot resolve {}: {e}",
                out.display(),
                parent.display()
            ))
        })?;
        let path = parent.join(&name);
        let home = std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .and_then(|h| std::fs::canonicalize(h).ok());
        let resolved = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if resolved.parent().is_none() || home.as_deref() == Some(resolved.as_path()) {
            return Err(input(format!(
                "--out {}: refusing to write a results folder over `{}`; choose a folder of its own, e.g. --out results/{}",
                out.display(),
                resolved.display(),
                scenarios::identifier_like(&name)
            )));
        }
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(input(format!("--out {}: {e}", out.display()))),
            Ok(m) if m.file_type().is_symlink() => {
                return Err(input(format!(
                    "--out {}: is a symbolic link; give the folder it points to, or another name",
                    out.display()
                )));
            }
            Ok(m) if !m.is_dir() => {
                return Err(input(format!(
                    "--out {}: exists and is not a folder; choose another --out",
                    out.display()
                )));
            }
            Ok(_) => {
                let ours = is_ours(&path, kind)
                    .map_err(|e| input(format!("--out {}: cannot read it: {e}", out.display())))?;
                if !ours && !force {
                    return Err(input(format!(
                        "--out {}: is a non-empty folder that is not an iomtsim {} folder (no {}); \
                         choose another --out, or add --force to replace its contents",
                        out.display(),
                        match kind {
                            Kind::Run => "results",
                            Kind::Sweep => "sweep",
                            Kind::Compare => "comparison",
                            Kind::Paper => "paper",
                        },
                        kind.marker()
                    )));
                }
            }
        }
        // The parent must take a new file: find out now, not after the simulation.
        tempfile::Builder::new()
            .prefix(&format!(".{name}.iomtsim-probe-"))
            .tempfile_in(&parent)
            .map_err(|e| {
                input(format!(
                    "--out {}: cannot write in {}: {e}",
                    out.display(),
                    parent.display()
                ))
            })?;
        let lock_path = parent.join(format!(".{name}.iomtsim-lock"));
        let lock = take_lock(&lock_path).map_err(|e| match e {
            LockError::Held => input(format!(
                "--out {}: another iomtsim command is writing this folder (lock {}); wait for it to finish or choose another --out",
                out.display(),
                lock_path.display()
            )),
            LockError::Io(e) => input(format!(
                "--out {}: cannot lock {}: {e}",
                out.display(),
                lock_path.display()
            )),
        })?;
        let folder = ResultsFolder {
            shown,
            path,
            parent,
            name,
            lock_path,
            _lock: lock,
        };
        folder.clean_leftovers();
        Ok(folder)
    }

    fn leftover_prefix(&self, what: &str) -> String {
        format!(".{}.iomtsim-{what}-", self.name)
    }

    /// Removes what a killed run left beside the folder, and says so on stderr; restores the
    /// previous folder if a run died between moving it aside and moving the new one in.
    fn clean_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return;
        };
        let (new, old) = (self.leftover_prefix("new"), self.leftover_prefix("old"));
        let mut found: Vec<(String, PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .filter(|(n, _)| n.starts_with(&new) || n.starts_with(&old))
            .collect();
        found.sort();
        for (n, p) in found {
            if n.starts_with(&old) && !self.path.exists() {
                if std::fs::rename(&p, &self.path).is_ok() {
                    eprintln!(
                        "note: restored {} from {} (an earlier run stopped while replacing it)",
                        self.shown.display(),
                        p.display()
                    );
                }
                continue;
            }
            let what = if n.starts_with(&new) {
                "the unfinished output of an earlier run that was stopped"
            } else {
                "the previous results an earlier run had moved aside"
            };
            match std::fs::remove_dir_all(&p) {
                Ok(()) => eprintln!("note: removed {} ({what})", p.display()),
                Err(e) => eprintln!("warning: cannot remove {} ({what}): {e}", p.display()),
            }
        }
    }

    /// A fresh, empty folder beside the results folder to write a run into; removed if
    /// dropped before [`ResultsFolder::replace_with`].
    pub fn staging(&self) -> Result<tempfile::TempDir, Failure> {
        tempfile::Builder::new()
            .prefix(&self.leftover_prefix("new"))
            .tempdir_in(&self.parent)
            .map_err(|e| {
                input(format!(
                    "--out {}: cannot create a folder in {}: {e}",
                    self.shown.display(),
                    self.parent.display()
                ))
            })
    }

    /// Puts the staged folder in place of the results folder, atomically where the system
    /// allows, and removes the previous contents.
    pub fn replace_with(&self, staged: tempfile::TempDir) -> anyhow::Result<()> {
        use anyhow::Context;
        let staged = staged.keep();
        let context = || format!("replacing {}", self.shown.display());
        if !self.path.exists() {
            std::fs::rename(&staged, &self.path).with_context(context)?;
        } else if exchange(&staged, &self.path).is_ok() {
            // `staged` now holds the previous results.
            remove_tree(&staged).with_context(context)?;
        } else {
            let aside = tempfile::Builder::new()
                .prefix(&self.leftover_prefix("old"))
                .tempdir_in(&self.parent)
                .with_context(context)?
                .keep();
            std::fs::rename(&self.path, &aside).with_context(context)?;
            std::fs::rename(&staged, &self.path).with_context(context)?;
            std::fs::remove_dir_all(&aside).with_context(context)?;
        }
        reports::output::sync_dir(&self.parent).with_context(context)?;
        Ok(())
    }
}

/// Removes the folder `dir` and everything in it, as `std::fs::remove_dir_all` does, but
/// unlinks its files (and links, never followed) from many threads at once first
/// ([`reports::output::on_io_threads`]): on ext4 with other programs writing, each unlink can
/// wait milliseconds for the journal, and waits that overlap end together (a run's 27 files
/// took 85–110 ms one after another, 7–24 ms at once; benches/peers/README.md). The folders
/// are removed after.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => files(&e.path(), out),
                Ok(_) => out.push(e.path()),
                Err(_) => {}
            }
        }
    }
    let mut list = Vec::new();
    files(dir, &mut list);
    // A file an unlink here cannot remove is left to `remove_dir_all`, which reports it.
    reports::output::on_io_threads(&list, |f| {
        let _ = std::fs::remove_file(f);
    });
    std::fs::remove_dir_all(dir)
}

impl Drop for ResultsFolder {
    fn drop(&mut self) {
        // Unlinked while still locked: a process that opens the old file afterwards finds it
        // gone when it checks (see `take_lock`).
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

enum LockError {
    Held,
    Io(std::io::Error),
}

/// Opens and locks `path`, retrying if the file was replaced between opening and locking (a
/// previous holder unlinks it when done).
fn take_lock(path: &Path) -> Result<File, LockError> {
    loop {
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(LockError::Io)?;
        match f.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(LockError::Held),
            Err(std::fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
        }
        if same_file(&f, path) {
            return Ok(f);
        }
    }
}

#[cfg(unix)]
fn same_file(f: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (f.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, path: &Path) -> bool {
    path.exists()
}

/// Exchanges the names of two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call; AT_FDCWD with
    // absolute or relative paths is the documented use.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_of_the_same_folder_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("res");
        let first = ResultsFolder::claim(&out, Kind::Run, false).unwrap();
        let second = ResultsFolder::claim(&out, Kind::Run, false).unwrap_err();
        assert!(second.to_string().contains("another iomtsim"), "{second}");
        drop(first);
        ResultsFolder::claim(&out, Kind::Run, false).unwrap();
    }

    #[test]
    fn the_swap_replaces_every_file_and_leaves_nothing_beside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("res");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(
            out.join("manifest.json"),
            r#"{"program":{"name":"iomtsim"}}"#,
        )
        .unwrap();
        std::fs::write(out.join("stale.csv"), "old").unwrap();
        let f = ResultsFolder::claim(&out, Kind::Run, false).unwrap();
        let staged = f.staging().unwrap();
        std::fs::write(staged.path().join("summary.json"), "new").unwrap();
        f.replace_with(staged).unwrap();
        drop(f);
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["res"]);
        let inside: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(inside, ["summary.json"]);
    }

    #[test]
    fn a_tree_is_removed_whole_and_no_link_in_it_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep"), b"keep").unwrap();
        let tree = dir.path().join("tree");
        std::fs::create_dir_all(tree.join("plots/deeper")).unwrap();
        for i in 0..40 {
            let sub = ["", "plots", "plots/deeper"][i % 3];
            std::fs::write(tree.join(sub).join(format!("f{i}")), vec![1u8; 100 * i]).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, tree.join("plots/link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(std::fs::read(outside.join("keep")).unwrap(), b"keep");
        assert!(remove_tree(&tree).is_err(), "a missing folder is an error");
    }

    #[test]
    fn leftovers_are_removed_or_restored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("res");
        let new = dir.path().join(".res.iomtsim-new-abc");
        let old = dir.path().join(".res.iomtsim-old-def");
        std::fs::create_dir(&new).unwrap();
        std::fs::create_dir(&old).unwrap();
        std::fs::write(old.join("manifest.json"), "{}").unwrap();
        let f = ResultsFolder::claim(&out, Kind::Run, false).unwrap();
        assert!(!new.exists());
        assert!(!old.exists());
        assert!(out.join("manifest.json").is_file());
        drop(f);
    }
}
