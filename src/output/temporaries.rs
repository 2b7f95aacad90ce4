//! The temporary files and folders a run has created beside its targets
//! and not yet renamed into place, so that an interrupted run (SIGINT,
//! SIGTERM, SIGHUP: the binary installs the handler) can remove them
//! before it ends, as a failed write does.
//!
//! One lock guards the list, and it is held while a temporary path is
//! created and added, while a file is created inside a temporary folder,
//! and while one is renamed into place and taken off:
//! [`remove_all`] therefore sees each temporary either before its rename
//! (and removes it: the target is untouched) or after (and leaves the
//! result alone). It never removes a target or a renamed result.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The list of live temporary paths, locked.
pub(crate) struct Registry(MutexGuard<'static, Vec<PathBuf>>);

/// Locks the list. A panic while it was held leaves it usable: every
/// change is a single push or remove.
pub(crate) fn lock() -> Registry {
    Registry(LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

impl Registry {
    /// Adds `path`, created under this lock; it is taken off the list
    /// when the returned guard is dropped or [`Live::placed`].
    pub(crate) fn add(&mut self, path: &Path) -> Live {
        self.0.push(path.to_path_buf());
        Live(Some(path.to_path_buf()))
    }

    fn remove(&mut self, path: &Path) {
        self.0.retain(|p| p != path);
    }
}

/// A temporary path on the list. Dropped (after the file or folder it
/// names has been deleted), it leaves the list.
#[must_use]
pub(crate) struct Live(Option<PathBuf>);

impl Live {
    /// Takes the path off the list, under the lock the caller holds while
    /// renaming it into place: from then on it is a result, not a
    /// temporary.
    pub(crate) fn placed(mut self, registry: &mut Registry) {
        if let Some(path) = self.0.take() {
            registry.remove(&path);
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            lock().remove(&path);
        }
    }
}

/// Removes every live temporary file and folder, and returns the list
/// still locked, so that nothing can be created or renamed into place
/// before the process ends. For a signal handler: call it, then end the
/// process while holding what it returns.
pub fn remove_all() -> impl Sized {
    let mut registry = lock();
    for path in registry.0.drain(..) {
        // A report creates its files in its folder under this lock, so
        // the folder does not grow while it is removed.
        let removed = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
            Ok(_) => std::fs::remove_file(&path),
            Err(e) => Err(e),
        };
        // Already gone (a failed write deleting its own) is fine.
        drop(removed);
    }
    registry
}

/// Test hook: with `TIFA_TEST_PAUSE_BEFORE_RENAME=SECONDS`, a temporary
/// file or folder written in full waits that long before it is renamed
/// into place, so that a test can interrupt the run at that moment.
/// Nothing else reads it.
pub(crate) fn test_pause() {
    let pause = std::env::var(PAUSE_BEFORE_RENAME)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok());
    if let Some(seconds) = pause {
        std::thread::sleep(std::time::Duration::from_secs(seconds));
    }
}

/// The test hook of [`test_pause`].
const PAUSE_BEFORE_RENAME: &str = "TIFA_TEST_PAUSE_BEFORE_RENAME";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placed_and_dropped_paths_leave_the_list() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let live_a = lock().add(&a);
        let live_b = lock().add(&b);
        {
            let registry = lock();
            assert!(registry.0.contains(&a) && registry.0.contains(&b));
        }
        live_a.placed(&mut lock());
        assert!(!lock().0.contains(&a));
        drop(live_b);
        assert!(!lock().0.contains(&b));
    }
}
