//! What tifa promises about its output: CSV that is safe and exact in a
//! spreadsheet (formulas neutralised, BOM rules, RFC 4180 quoting that
//! reads back to the same values, byte-exact dialects), `-o` files written
//! atomically with sane permissions, write errors that exit 2 with one
//! line, and a closed pipe that ends quietly.

use std::io::{BufRead, Read};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use tifa::output::{CsvOptions, Format, neutralize, write_table};
use tifa::table::{Table, int, text};

use crate::util::{Run, Workdir, root, snapshot_settings, temporaries};

const TRAPS: &str = "tests/fixtures/lexicon/traps.toml";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A corpus whose output holds every cell a spreadsheet could misread:
/// a doc id that starts with `=`, context that starts with `=`, `+`, `-`
/// and `@`, quotes, commas, CR and LF, and CJK.
fn risky_corpus() -> Workdir {
    let w = Workdir::new();
    w.write("=1+1.txt", "=两重建设, \"quoted\"\r\n两新工作\n");
    w.write("plain.txt", "+两重建设\n-两重建设\n@两重建设\n");
    w
}

/// The files of [`risky_corpus`].
const FILES: [&str; 2] = ["=1+1.txt", "plain.txt"];

/// Runs tifa in the work folder on `args`, with `.` standing for
/// [`FILES`].
fn tifa_in(w: &Workdir, args: &[&str]) -> Run {
    let lex = root().join(TRAPS);
    let mut all = vec!["--lexicon", lex.to_str().unwrap()];
    for a in args {
        if *a == "." {
            all.extend(FILES);
        } else {
            all.push(a);
        }
    }
    w.run_with(&all, b"", Some(w.dir.path()))
}

fn bom_count(bytes: &[u8]) -> usize {
    bytes.windows(3).filter(|w| *w == BOM).count()
}

#[test]
fn formulas_are_neutralised_in_csv_only() {
    let w = risky_corpus();
    let csv = tifa_in(&w, &["kwic", "two-heavy", "--width", "1", "."]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let rows: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(rows[0], "doc,date,term,left,match,right,start");
    assert_eq!(rows[1], "'=1+1.txt,,two-heavy,'=,两重,建,1");
    assert_eq!(
        &rows[2..],
        [
            "plain.txt,,two-heavy,'+,两重,建,1",
            "plain.txt,,two-heavy,'-,两重,建,15",
            "plain.txt,,two-heavy,'@,两重,建,29",
        ]
    );
    let raw =
        tifa_in(&w, &["--raw", "kwic", "two-heavy", "--width", "1", "."]);
    assert!(
        raw.stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("=1+1.txt,,two-heavy,=,")
    );
    let json = tifa_in(&w, &["--format", "json", "kwic", "two-heavy", "."]);
    assert!(json.stdout.contains("\"doc\": \"=1+1.txt\""), "{}", json.stdout);
    assert!(!json.stdout.contains("'="), "{}", json.stdout);
}

/// BOM: exactly one at the start of a CSV file (none with --no-bom); none
/// on stdout unless --bom; never in JSON, JSON Lines or Markdown.
#[test]
fn byte_order_mark_rules() {
    let w = risky_corpus();
    let args = ["count", "--all", "."];
    let stdout = tifa_in(&w, &args);
    assert!(!stdout.stdout.as_bytes().starts_with(BOM));
    let file = |extra: &[&str], name: &str| {
        let mut a: Vec<&str> = extra.to_vec();
        a.extend(["-o", name]);
        a.extend(args);
        let run = tifa_in(&w, &a);
        assert_eq!(run.code, 0, "{}", run.stderr);
        std::fs::read(w.path(name)).unwrap()
    };
    let with_bom = file(&[], "a.csv");
    assert!(with_bom.starts_with(BOM));
    assert_eq!(bom_count(&with_bom), 1);
    assert_eq!(&with_bom[3..], stdout.stdout.as_bytes());
    // The header reads back intact.
    let mut reader = csv::Reader::from_reader(&with_bom[3..]);
    assert_eq!(&reader.headers().unwrap()[0], "term");
    assert_eq!(file(&["--no-bom"], "b.csv"), stdout.stdout.as_bytes());
    let mut bom_out = tifa_in(&w, &["--bom", "count", "--all", "."]).stdout;
    assert!(bom_out.starts_with('\u{feff}'));
    assert_eq!(bom_count(bom_out.as_bytes()), 1);
    bom_out.remove(0);
    assert_eq!(bom_out, stdout.stdout);
    for format in ["json", "jsonl", "md"] {
        let name = format!("c.{format}");
        let bytes = file(&["--format", format], &name);
        assert_eq!(bom_count(&bytes), 0, "{format}");
        let piped = tifa_in(&w, &["--bom", "--format", format, "count", "."]);
        assert_eq!(bom_count(piped.stdout.as_bytes()), 0, "{format}");
    }
}

/// One byte-exact snapshot per CSV dialect: a file (BOM) and stdout (no
/// BOM); both LF-terminated, RFC 4180 quoting.
#[test]
fn csv_dialects_byte_exact() {
    let w = risky_corpus();
    let args = ["kwic", "two-heavy,two-new", "--width", "6", "."];
    let stdout = tifa_in(&w, &args);
    assert_eq!(stdout.code, 0, "{}", stdout.stderr);
    let mut to_file = vec!["-o", "kwic.csv"];
    to_file.extend(args);
    assert_eq!(tifa_in(&w, &to_file).code, 0);
    let file = std::fs::read(w.path("kwic.csv")).unwrap();
    snapshot_settings().bind(|| {
        insta::assert_binary_snapshot!("kwic_dialect_file.csv", file);
        insta::assert_binary_snapshot!(
            "kwic_dialect_stdout.csv",
            stdout.stdout.into_bytes()
        );
    });
}

/// Text cells: the characters that break CSV or spreadsheets, CJK, and
/// any other character.
fn cell_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '\r', '\n', '"', ',', '\u{2028}', '\0', '=', '+', '-', '@', '\t', ' ',
        '两', '重', 'a', '1', '.', '\'', '\u{feff}',
    ]);
    prop::collection::vec(prop_oneof![3 => special, 1 => any::<char>()], 0..12)
        .prop_map(|cs| cs.into_iter().collect())
}

/// Column names: tifa's own, never user text. (A name starting with
/// U+FEFF at the start of a file would read back as a byte-order mark.)
fn column_name() -> impl Strategy<Value = String> {
    cell_text().prop_map(|s| s.replace('\u{feff}', ""))
}

fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

proptest! {
    /// Any text cells (and numbers) read back to the same values with the
    /// `csv` crate: raw, and neutralised (the value with its `'`).
    #[test]
    fn csv_reads_back_to_the_same_values(
        header in prop::collection::vec(column_name(), 1..4),
        rows in prop::collection::vec(
            (prop::collection::vec(cell_text(), 4), any::<u32>()), 0..6),
        bom in any::<bool>(),
    ) {
        let width = header.len();
        let mut table = Table::new(header.clone());
        for (cells, n) in &rows {
            let mut row: Vec<_> = cells[..width - 1].iter().map(text).collect();
            row.push(int(u64::from(*n)));
            table.push(row);
        }
        for raw in [true, false] {
            let mut out = Vec::new();
            write_table(&table, Format::Csv, CsvOptions { bom, raw }, &mut out)
                .unwrap();
            prop_assert_eq!(out.starts_with(BOM), bom);
            let body = if bom { &out[3..] } else { &out[..] };
            let mut want = vec![table.columns.clone()];
            for (cells, n) in &rows {
                let mut row: Vec<String> = cells[..width - 1]
                    .iter()
                    .map(|c| if raw { c.clone() } else { neutralize(c) })
                    .collect();
                row.push(n.to_string());
                want.push(row);
            }
            prop_assert_eq!(read_back(body), want);
            prop_assert!(body.ends_with(b"\n"));
        }
    }
}

fn no_temporary_files(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tifa-"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// A write that fails half-way (the test hook fails after one row) leaves
/// the previous file as it was and no temporary file; a run that succeeds
/// replaces it whole, and keeps its mode.
#[test]
fn atomic_output() {
    let w = risky_corpus();
    let out = w.write("out.csv", "previous\n");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640))
        .unwrap();
    let lex = root().join(TRAPS);
    let args = [
        "--lexicon",
        lex.to_str().unwrap(),
        "-o",
        "out.csv",
        "scan",
        FILES[0],
        FILES[1],
    ];
    let run = w.run_env(
        &args,
        b"",
        Some(w.dir.path()),
        &[("TIFA_FAIL_AFTER_ROWS", "1")],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "tifa: out.csv: write failed after 1 rows (TIFA_FAIL_AFTER_ROWS test hook)\n"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
    no_temporary_files(w.dir.path());
    let run = w.run_with(&args, b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stdout = tifa_in(&w, &["scan", "."]).stdout;
    let written = std::fs::read(&out).unwrap();
    assert_eq!(&written[3..], stdout.as_bytes());
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    no_temporary_files(w.dir.path());
}

/// SIGINT, SIGTERM or SIGHUP while the output is written: the temporary
/// file is removed, the previous file is left as it was, and tifa ends by
/// the signal (the shell's 128 + signal: 130 for Ctrl-C). A signal that
/// was ignored when tifa started stays ignored (`nohup` ignores SIGHUP):
/// that run goes on and replaces the file whole, as a run that was not
/// interrupted does.
#[test]
fn a_signal_mid_write_leaves_the_previous_file_and_no_temporary() {
    use std::os::unix::process::ExitStatusExt;
    let w = risky_corpus();
    let out = w.write("out.csv", "previous\n");
    let lex = root().join(TRAPS);
    let args =
        ["--lexicon", lex.to_str().unwrap(), "-q", "-o", "out.csv", "scan"];
    let args = [&args[..], &FILES[..]].concat();
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        let status = crate::util::interrupted(
            &args,
            w.dir.path(),
            w.dir.path(),
            signal,
        );
        assert_eq!(status.signal(), Some(signal), "{status}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
        no_temporary_files(w.dir.path());
    }
    // Also through `sh`, which reports 128 + the signal.
    let script =
        "\"$0\" \"$@\" & sleep 1; kill -TERM $!; wait $!; echo $? >&2";
    let status = Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_tifa")])
        .args(&args)
        .current_dir(w.dir.path())
        .env("TIFA_TEST_PAUSE_BEFORE_RENAME", "60")
        .output()
        .unwrap();
    // The shell may say "Terminated" first.
    let said = String::from_utf8_lossy(&status.stderr);
    assert!(said.ends_with("\n143\n") || said == "143\n", "{said}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
    no_temporary_files(w.dir.path());
    let dir = w.dir.path();
    let status = crate::util::signalled(&args, dir, dir, libc::SIGHUP, true);
    assert_eq!(status.code(), Some(0), "{status}");
    assert!(std::fs::read(&out).unwrap().starts_with(BOM));
    no_temporary_files(dir);
    std::fs::write(&out, "previous\n").unwrap();
    let run = w.run_with(&args, b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read(&out).unwrap().starts_with(BOM));
    no_temporary_files(w.dir.path());
}

/// A run that could read none of its inputs writes nothing: a mistyped
/// path must not replace yesterday's counts with an empty table. Its
/// errors are shown even under `--quiet`, which silences warnings only.
#[test]
fn a_run_that_read_nothing_leaves_the_previous_file() {
    let w = risky_corpus();
    let out = w.write("out.csv", "previous\n");
    let run = tifa_in(&w, &["-q", "-o", "out.csv", "count", "missing/"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(lines[0].starts_with("tifa: missing/: "), "{}", run.stderr);
    assert_eq!(
        lines[1],
        "tifa: no input could be read; nothing written (out.csv left as it was)"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");

    // Some inputs read: the result is written, the error shown, exit 2.
    let run = tifa_in(&w, &["-q", "-o", "out.csv", "count", "missing/", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("tifa: missing/: "), "{}", run.stderr);
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "previous\n");
}

/// A folder with no file to read (empty, or only files of other
/// extensions) is an error too, not an empty table that reads as "no term
/// found": exit 2, the previous file or report left as it was.
#[test]
fn a_folder_with_no_file_to_read_writes_nothing() {
    let w = risky_corpus();
    let out = w.write("out.csv", "previous\n");
    w.write("web/a.html", "<p>两重</p>");
    w.write("web/arr.json", "[]");
    std::fs::create_dir(w.path("empty")).unwrap();
    for (input, extra) in [
        ("empty", None),
        (
            "web",
            Some(
                "tifa: web: 2 files with other extensions not read (.html, .json): folders are read for .txt, .md, .jsonl, .ndjson and .csv; a .json array of records is read when named as an input",
            ),
        ),
    ] {
        let run = tifa_in(&w, &["-o", "out.csv", "count", input]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let mut want: Vec<String> =
            extra.into_iter().map(String::from).collect();
        want.push(format!(
            "tifa: {input}: no file to read (folders are read for .txt, .md, .jsonl, .ndjson and .csv files; - reads stdin); nothing written (out.csv left as it was)"
        ));
        assert_eq!(run.stderr.lines().collect::<Vec<_>>(), want);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous\n");
    }
    let run = tifa_in(&w, &["report", "web", "--out", "rep"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // No report was there: none is said to be left.
    assert!(run.stderr.ends_with("; nothing written\n"), "{}", run.stderr);
    assert!(!w.path("rep").exists());
}

/// `-o` naming an input (or the lexicon) is refused before anything is
/// read: the result would replace what it is made from.
#[test]
fn output_that_is_an_input_is_refused() {
    let w = risky_corpus();
    let lex = w.write("mine.toml", std::fs::read(root().join(TRAPS)).unwrap());
    let before = std::fs::read(w.path(FILES[1])).unwrap();
    for args in [
        &["-o", FILES[1], "count", FILES[0], FILES[1]][..],
        &["-o", "./plain.txt", "kwic", "two-heavy", FILES[1]],
        &["--lexicon", "mine.toml", "-o", "mine.toml", "count", FILES[0]],
        &["-o", "plain.txt", "discover", "--reference", "plain.txt", "."],
    ] {
        let run = w.run_with(args, b"", Some(w.dir.path()));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.ends_with(
                ": is an input of this run; write the result elsewhere\n"
            ),
            "{}",
            run.stderr
        );
    }
    assert_eq!(std::fs::read(w.path(FILES[1])).unwrap(), before);
    assert!(std::fs::read_to_string(lex).unwrap().contains("[[term]]"));
    // A lexicon file read from a lexicon folder, and an article of a
    // reference folder.
    let lex = w
        .write("lexdir/mine.toml", std::fs::read(root().join(TRAPS)).unwrap());
    w.write("ref/one.txt", "两新工作\n");
    for (args, said) in [
        (
            &["--lexicon", "lexdir", "-o", "lexdir/mine.toml", "count", "."][..],
            "tifa: lexdir/mine.toml: is a lexicon file of this run, read from lexdir; write the result elsewhere\n",
        ),
        (
            &["-o", "ref/one.txt", "discover", "--reference", "ref", FILES[0]],
            "tifa: ref/one.txt: -o names a file the run reads from ref (an article, or an earlier output kept there); write elsewhere, or remove it first\n",
        ),
    ] {
        let run = w.run_with(args, b"", Some(w.dir.path()));
        assert_eq!((run.code, run.stderr.as_str()), (2, said), "{args:?}");
    }
    assert!(std::fs::read_to_string(lex).unwrap().contains("[[term]]"));
    assert_eq!(
        std::fs::read_to_string(w.path("ref/one.txt")).unwrap(),
        "两新工作\n"
    );
}

/// A new file honours the umask (0644 under 022, 0600 under 077), never
/// tempfile's 0600 whatever the umask.
#[test]
fn new_files_follow_the_umask() {
    let w = risky_corpus();
    let lex = root().join(TRAPS);
    for (umask, want) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let name = format!("new-{umask}.csv");
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask} && exec \"$0\" -q --lexicon \"$1\" -o \"$2\" count plain.txt",
            ))
            .arg(env!("CARGO_BIN_EXE_tifa"))
            .arg(&lex)
            .arg(&name)
            .current_dir(w.dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let mode =
            std::fs::metadata(w.path(&name)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, want, "umask {umask}");
    }
}

/// `-o` through a symbolic link replaces the file it points to.
#[test]
fn output_through_a_symlink() {
    let w = risky_corpus();
    w.write("real.csv", "old\n");
    std::os::unix::fs::symlink("real.csv", w.path("link.csv")).unwrap();
    let run = tifa_in(&w, &["-o", "link.csv", "count", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(w.path("link.csv")).unwrap().is_symlink()
    );
    assert!(std::fs::read(w.path("real.csv")).unwrap().starts_with(BOM));
}

fn one_error_line(run: &Run, starts: &str, word: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].starts_with(starts) && lines[0].contains(word),
        "{:?} should start with {starts:?} and contain {word:?}",
        lines[0]
    );
    assert!(run.stdout.is_empty());
}

/// A file named with a line break is named on one line all the same,
/// the break escaped: each problem is one line on stderr.
#[test]
fn names_with_line_breaks_stay_on_one_line() {
    let w = risky_corpus();
    let run = tifa_in(&w, &["count", "no\nsuch.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].starts_with("tifa: no\\nsuch.txt: No such file"),
        "{}",
        run.stderr
    );
    let run = tifa_in(&w, &["-o", "zz/\nq.csv", "count", "."]);
    one_error_line(&run, "tifa: zz/\\nq.csv: ", "No such file");
}

/// Where the output cannot be written: exit 2, one line naming it, no
/// temporary file, and a device is never replaced by a file.
#[test]
fn unwritable_outputs_exit_2() {
    let w = risky_corpus();
    let run = tifa_in(&w, &["-o", "plain.txt/out.csv", "count", "."]);
    one_error_line(&run, "tifa: plain.txt/out.csv: ", "Not a directory");
    let run = tifa_in(&w, &["-o", "no/such/dir/out.csv", "count", "."]);
    one_error_line(&run, "tifa: no/such/dir/out.csv: ", "No such file");
    // The error names the file asked for, not a temporary one.
    assert!(!run.stderr.contains(".tmp"), "{}", run.stderr);
    // A chart and a table: when one cannot be written, neither is (a
    // dated document, so that there is a chart to draw).
    w.write("2024-03-05.txt", "两重建设\n");
    let run = tifa_in(
        &w,
        &[
            "-o",
            "no/such/dir/out.csv",
            "trend",
            "--svg",
            "chart.svg",
            "2024-03-05.txt",
        ],
    );
    one_error_line(&run, "tifa: no/such/dir/out.csv: ", "No such file");
    assert!(!w.path("chart.svg").exists());
    let run = tifa_in(
        &w,
        &[
            "-o",
            "table.csv",
            "trend",
            "--svg",
            "no/such/chart.svg",
            "2024-03-05.txt",
        ],
    );
    one_error_line(&run, "tifa: no/such/chart.svg: ", "No such file");
    assert!(!w.path("table.csv").exists());
    std::fs::create_dir(w.path("folder")).unwrap();
    let run = tifa_in(&w, &["-o", "folder", "count", "."]);
    one_error_line(&run, "tifa: folder: ", "is a folder");
    if Path::new("/dev/full").exists() {
        let run = tifa_in(&w, &["-o", "/dev/full", "count", "."]);
        one_error_line(&run, "tifa: /dev/full: ", "No space left on device");
        let meta = std::fs::metadata("/dev/full").unwrap();
        assert!(meta.file_type().is_char_device(), "/dev/full was replaced");
        // Standard output on a full disk.
        let lex = root().join(TRAPS);
        let out = Command::new(env!("CARGO_BIN_EXE_tifa"))
            .args(["--lexicon", lex.to_str().unwrap(), "count", "plain.txt"])
            .current_dir(w.dir.path())
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let run = Run {
            code: out.status.code().unwrap(),
            stdout: String::new(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        one_error_line(&run, "tifa: <stdout>: ", "No space left on device");
    }
    // An unwritable folder: sysfs refuses new files even to root; a
    // read-only folder refuses them to anyone else.
    if std::fs::File::create("/sys/.tifa-probe").is_err() {
        let run = tifa_in(&w, &["-o", "/sys/out.csv", "count", "."]);
        one_error_line(&run, "tifa: /sys/out.csv: ", "");
    }
    std::fs::create_dir(w.path("ro")).unwrap();
    std::fs::set_permissions(
        w.path("ro"),
        std::fs::Permissions::from_mode(0o555),
    )
    .unwrap();
    if std::fs::File::create(w.path("ro/probe")).is_err() {
        let run = tifa_in(&w, &["-o", "ro/out.csv", "count", "."]);
        one_error_line(&run, "tifa: ro/out.csv: ", "Permission denied");
    }
    std::fs::set_permissions(
        w.path("ro"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    no_temporary_files(w.dir.path());
}

/// `tifa scan ... | head -1`: the reader goes away after one line; tifa
/// ends with exit 0 and says nothing.
#[test]
fn closed_pipe_ends_quietly() {
    let w = Workdir::new();
    // About 1 MB of rows: far more than a pipe holds.
    w.write("many.txt", "两重建设。".repeat(20_000));
    let lex = root().join(TRAPS);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args(["--lexicon", lex.to_str().unwrap(), "scan", "many.txt"])
        .current_dir(w.dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("doc,date,term"), "{first}");
    drop(reader);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

/// Runs tifa (traps lexicon, in the work folder) through `sh`, with
/// `redirect` applied to it (`>&-`: stdout closed).
fn tifa_redirected(w: &Workdir, redirect: &str, args: &[&str]) -> Run {
    let lex = root().join(TRAPS);
    let script = format!("exec \"$0\" \"$@\" {redirect}");
    let out = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_tifa")])
        .args(["--lexicon", lex.to_str().unwrap()])
        .args(args)
        .current_dir(w.dir.path())
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::new(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// A stdout closed by the shell (`>&-`), or open for reading only, cannot
/// take the result: exit 2 and one line, not a silent exit 0 (Rust's
/// runtime reopens a closed stdout on /dev/null, and std's stdout takes
/// EBADF for success). With `-o FILE`, stdout is not needed.
#[test]
fn a_closed_stdout_is_an_error() {
    let w = risky_corpus();
    let run = tifa_redirected(&w, ">&-", &["count", FILES[1]]);
    one_error_line(&run, "tifa: <stdout>: ", "closed");
    let run = tifa_redirected(&w, ">&-", &["lexicon", "list"]);
    one_error_line(&run, "tifa: <stdout>: ", "closed");
    let run = tifa_redirected(&w, "1</dev/null", &["count", FILES[1]]);
    one_error_line(&run, "tifa: <stdout>: ", "Bad file descriptor");
    let run = tifa_redirected(&w, ">&-", &["-q", "-o", "o.csv", "count", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(w.path("o.csv").exists());
}

/// A device is written in place, never replaced by a file; like stdout,
/// it gets no byte-order mark unless `--bom`.
#[test]
fn devices_are_written_in_place() {
    let w = risky_corpus();
    let run = tifa_in(&w, &["-q", "-o", "/dev/null", "count", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let meta = std::fs::metadata("/dev/null").unwrap();
    assert!(meta.file_type().is_char_device(), "/dev/null was replaced");
    // Standard output, here a pipe, as a file name.
    let run = tifa_in(&w, &["-q", "-o", "/dev/stdout", "count", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plain = tifa_in(&w, &["-q", "count", "."]).stdout;
    assert_eq!(run.stdout, plain);
    let bom = tifa_in(&w, &["-q", "--bom", "-o", "/dev/stdout", "count", "."]);
    assert_eq!(bom.stdout, format!("\u{feff}{plain}"));
}

/// `-o /dev/stdout` (or `/dev/fd/N`) where the shell opened a regular
/// file is written through the open descriptor, as `-o -` is: appended
/// where `>>` appends, the file not replaced. (It was renamed over,
/// which lost what the shell had written there before.) Standard input
/// as the output is an error, and the input file is left whole.
#[test]
fn descriptors_named_as_files_are_written_through() {
    let w = risky_corpus();
    let plain = tifa_in(&w, &["-q", "count", "."]).stdout;
    let lex = root().join(TRAPS);
    let shell = |script: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(env!("CARGO_BIN_EXE_tifa"))
            .arg(&lex)
            .current_dir(w.dir.path())
            .status()
            .unwrap()
    };
    let tifa = r#""$0" -q --lexicon "$1""#;
    let status = shell(&format!(
        "echo KEEP > log.csv; {{ echo BEFORE; {tifa} -o /dev/stdout count plain.txt =1+1.txt; echo AFTER; }} >> log.csv"
    ));
    assert!(status.success());
    let log = std::fs::read_to_string(w.path("log.csv")).unwrap();
    assert_eq!(log, format!("KEEP\nBEFORE\n{plain}AFTER\n"));
    let status = shell(&format!(
        "echo KEEP > fd.csv; {tifa} -o /dev/fd/3 count plain.txt =1+1.txt 3>> fd.csv"
    ));
    assert!(status.success());
    let fd = std::fs::read_to_string(w.path("fd.csv")).unwrap();
    assert_eq!(fd, format!("KEEP\n{plain}"));
    let status = shell(&format!("{tifa} -o /dev/stdin count - < plain.txt"));
    assert_eq!(status.code(), Some(2));
    assert!(
        std::fs::read_to_string(w.path("plain.txt"))
            .unwrap()
            .starts_with("+两重建设")
    );
}

/// A write past the file size limit (`ulimit -f`) fails as a full disk
/// does: one line naming the output, the previous file or report kept,
/// no temporary left. (SIGXFSZ killed tifa without a word.)
#[test]
fn the_file_size_limit_is_a_write_error() {
    let w = Workdir::new();
    w.write("many.txt", "两重建设\n".repeat(4_000));
    w.write("big.csv", "previous\n");
    let lex = root().join(TRAPS);
    for (args, said) in [
        ("scan many.txt -o big.csv", "tifa: big.csv: "),
        ("scan many.txt > out.csv", "tifa: <stdout>: "),
        ("report many.txt --out rep", "tifa: rep/index.md: "),
    ] {
        let run = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -f 1 && exec \"$0\" -q --lexicon \"$1\" {args}"
            ))
            .arg(env!("CARGO_BIN_EXE_tifa"))
            .arg(&lex)
            .current_dir(w.dir.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert_eq!(run.status.code(), Some(2), "{args}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with(said), "{args}: {stderr}");
        assert!(stderr.contains("too large"), "{args}: {stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(w.path("big.csv")).unwrap(),
        "previous\n"
    );
    assert!(!w.path("rep").exists());
    assert_eq!(temporaries(w.dir.path()), Vec::<String>::new());
}

/// A FIFO named by `-o` is read by a program, as stdout is: no
/// byte-order mark, and it stays a FIFO.
#[test]
fn a_fifo_gets_no_byte_order_mark() {
    let w = risky_corpus();
    let fifo = w.path("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    let run = tifa_in(&w, &["-q", "-o", "fifo", "count", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = reader.join().unwrap();
    let plain = tifa_in(&w, &["-q", "count", "."]).stdout;
    assert_eq!(String::from_utf8(read).unwrap(), plain);
    let meta = std::fs::metadata(&fifo).unwrap();
    assert!(meta.file_type().is_fifo(), "the FIFO was replaced");
}

/// `-o -` is stdout, as an input `-` is stdin: no file named `-`, and
/// what stdout gets (no byte-order mark).
#[test]
fn dash_output_is_stdout() {
    let w = risky_corpus();
    let run = tifa_in(&w, &["-q", "-o", "-", "count", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!w.path("-").exists(), "a file named - was written");
    let plain = tifa_in(&w, &["-q", "count", "."]).stdout;
    assert_eq!(run.stdout, plain);
    // Also with stdin as the input, which is not the output.
    let lex = root().join(TRAPS);
    let args = ["--lexicon", lex.to_str().unwrap(), "-o", "-", "count", "-"];
    let run = w.run_with(&args, "两重建设\n".as_bytes(), Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("term,"), "{}", run.stdout);
    assert!(!w.path("-").exists(), "a file named - was written");
}

/// Number cells are never prefixed, negative ones included (`diff`'s
/// `change`); a text cell is, unless it is a plain number.
#[test]
fn number_cells_are_untouched() {
    let mut table = Table::new(["term", "change", "rate", "note"]);
    table.push(vec![
        text("-AI"),
        tifa::table::Cell::from(-5),
        tifa::table::float(Some(-0.25), 2),
        text("-5"),
    ]);
    table.push(vec![
        text("=1+1"),
        int(3),
        tifa::table::float(None, 2),
        text("-inf"),
    ]);
    let mut out = Vec::new();
    let opts = CsvOptions { bom: false, raw: false };
    write_table(&table, Format::Csv, opts, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "term,change,rate,note\n'-AI,-5,-0.25,-5\n'=1+1,3,,'-inf\n"
    );
}
