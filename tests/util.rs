//! Running the real binary in a fresh temporary folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The crate root, where `tests/fixtures` and `examples` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A temporary working folder with helpers to run tifa in it.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

/// The outcome of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The first cell of each row of CSV output, header left out.
    pub fn first_column(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect()
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        Workdir { dir: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Runs tifa with `args`, with the crate root as working folder unless
    /// `in_dir` is set, and `stdin` as standard input.
    pub fn run_with(
        &self,
        args: &[&str],
        stdin: &[u8],
        in_dir: Option<&Path>,
    ) -> Run {
        self.run_env(args, stdin, in_dir, &[])
    }

    /// Like [`run_with`](Workdir::run_with), with environment variables.
    pub fn run_env(
        &self,
        args: &[&str],
        stdin: &[u8],
        in_dir: Option<&Path>,
        envs: &[(&str, &str)],
    ) -> Run {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_tifa"))
            .args(args)
            .current_dir(in_dir.unwrap_or(&root()))
            .env_remove("TIFA_LEXICON")
            .envs(envs.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        let Output { status, stdout, stderr } =
            child.wait_with_output().unwrap();
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "tifa panicked:\n{}",
            run.stderr
        );
        run
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, b"", None)
    }
}

/// Runs tifa with `args` from the crate root on a pseudo-terminal made by
/// util-linux `script` (stdin, stdout and stderr all on it), NO_COLOR
/// unset and `env` set: what the terminal shows. `None` without `script`
/// to run, or when tifa fails.
pub fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> Option<String> {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_tifa"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let out = Command::new("script")
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .current_dir(root())
        .env_remove("TIFA_LEXICON")
        .env_remove("NO_COLOR")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8(out.stdout).unwrap())
}

/// Runs tifa from the crate root.
pub fn tifa(args: &[&str]) -> Run {
    Workdir::new().run(args)
}

/// The fixture corpus: short articles written for the tests.
pub const CORPUS: &str = "tests/fixtures/corpus";

/// The fixture lexicon: one term per trap, independent of the default.
pub const TRAPS: &str = "tests/fixtures/lexicon/traps.toml";

/// Runs tifa with the traps lexicon and `args`; asserts success and
/// returns stdout.
pub fn with_traps(args: &[&str]) -> String {
    let mut all = vec!["--lexicon", TRAPS];
    all.extend_from_slice(args);
    let run = tifa(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// Settings that put snapshots in the top-level `snapshots/` folder.
pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Runs tifa with `args` in `dir`, paused before it renames its output
/// into place (the `TIFA_TEST_PAUSE_BEFORE_RENAME` hook), sends it
/// `signal` as soon as a temporary `.tifa-` entry shows in `watch`, and
/// returns how it ended. The signal is not ignored in tifa, whatever this
/// process inherited: run under `nohup`, these tests would otherwise find
/// SIGHUP ignored, as tifa leaves a signal ignored when it starts.
pub fn interrupted(
    args: &[&str],
    dir: &Path,
    watch: &Path,
    signal: i32,
) -> std::process::ExitStatus {
    signalled(args, dir, watch, signal, false)
}

/// [`interrupted`], with `signal` ignored in tifa from its start when
/// `ignored` (and then a pause of two seconds, which the signal does not
/// cut short: long enough for the temporary to be seen).
pub fn signalled(
    args: &[&str],
    dir: &Path,
    watch: &Path,
    signal: i32,
    ignored: bool,
) -> std::process::ExitStatus {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_tifa"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("TIFA_LEXICON")
        .env("TIFA_TEST_PAUSE_BEFORE_RENAME", if ignored { "2" } else { "60" })
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let disposition = if ignored { libc::SIG_IGN } else { libc::SIG_DFL };
    // SAFETY: between fork and exec the closure only calls `signal`,
    // which is async-signal-safe.
    unsafe {
        command.pre_exec(move || {
            libc::signal(signal, disposition);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    let start = std::time::Instant::now();
    while temporaries(watch).is_empty() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("tifa ended ({status}) before writing a temporary");
        }
        assert!(start.elapsed().as_secs() < 60, "no temporary appeared");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill only sends a signal to our own child.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    child.wait().unwrap()
}

/// The temporary files and folders (`.tifa-...`) in `dir`.
pub fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tifa-"))
        .collect()
}
