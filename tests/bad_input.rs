//! The bad-input matrix. Each case puts one bad input beside a good
//! document and checks: the exit code (2 when something was left out, 0
//! when it was only repaired), exactly one line on stderr naming the file
//! (and the line, where there is one) before the summary, no panic
//! (`util` checks), and that the good document's counts are those of a
//! run without the bad input. Broken lexicons end the run before any
//! input is read: exit 2 and one line per problem.

use crate::util::{Run, Workdir, root};

const TRAPS: &str = "tests/fixtures/lexicon/traps.toml";

/// A good document, with Chinese and English matches.
const GOOD: &str = "推进“两重”建设和“两新”工作。Two heavy projects.\n";

/// Runs `count --by doc` on `good.txt` and `inputs` in the work folder.
fn count(w: &Workdir, inputs: &[&str], stdin: &[u8]) -> Run {
    let lex = root().join(TRAPS);
    let mut args = vec!["--lexicon", lex.to_str().unwrap()];
    args.extend(["count", "--by", "doc", "good.txt"]);
    args.extend(inputs);
    w.run_with(&args, stdin, Some(w.dir.path()))
}

fn rows_of<'a>(run: &'a Run, doc: &str) -> Vec<&'a str> {
    let prefix = format!("{doc},");
    run.stdout.lines().filter(|l| l.starts_with(&prefix)).collect()
}

/// The warnings of a run: stderr without the summary line.
fn warnings(run: &Run) -> Vec<&str> {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let (summary, rest) = lines.split_last().expect("a summary line");
    assert!(
        summary.starts_with("tifa: ") && summary.contains(" MB in "),
        "{}",
        run.stderr
    );
    rest.to_vec()
}

/// One case: what to write, what to pass, what to expect.
struct Case {
    name: &'static str,
    /// Inputs as given on the command line (relative to the work folder).
    inputs: Vec<String>,
    stdin: &'static [u8],
    code: i32,
    /// The start of the one warning line, after `tifa: `.
    starts: String,
    /// A word it must contain.
    word: &'static str,
}

fn check(w: &Workdir, case: &Case) {
    let baseline = count(w, &[], b"");
    assert_eq!(baseline.code, 0, "{}: {}", case.name, baseline.stderr);
    let good = rows_of(&baseline, "good.txt");
    assert!(!good.is_empty(), "{}", baseline.stdout);
    let inputs: Vec<&str> = case.inputs.iter().map(String::as_str).collect();
    let run = count(w, &inputs, case.stdin);
    assert_eq!(run.code, case.code, "{}: {}", case.name, run.stderr);
    let lines = warnings(&run);
    assert_eq!(
        lines.len(),
        1,
        "{}: one line expected:\n{}",
        case.name,
        run.stderr
    );
    let want = format!("tifa: {}", case.starts);
    assert!(
        lines[0].starts_with(&want) && lines[0].contains(case.word),
        "{}: {:?} should start with {want:?} and contain {:?}",
        case.name,
        lines[0],
        case.word
    );
    assert_eq!(rows_of(&run, "good.txt"), good, "{}", case.name);
}

fn case(
    name: &'static str,
    inputs: &[&str],
    code: i32,
    starts: &str,
    word: &'static str,
) -> Case {
    Case {
        name,
        inputs: inputs.iter().map(|s| s.to_string()).collect(),
        stdin: b"",
        code,
        starts: starts.to_string(),
        word,
    }
}

fn setup() -> Workdir {
    let w = Workdir::new();
    w.write("good.txt", GOOD);
    w
}

#[test]
fn invalid_utf8_is_replaced_and_counted() {
    let w = setup();
    let mut bytes = GOOD.as_bytes().to_vec();
    bytes.splice(3..3, *b"\xFF");
    w.write("bad.txt", &bytes);
    let c = case(
        "invalid_utf8",
        &["bad.txt"],
        0,
        "bad.txt: 1 invalid",
        "U+FFFD; another encoding? name it with --encoding",
    );
    check(&w, &c);
    // The repaired document is still counted.
    let run = count(&w, &["bad.txt"], b"");
    assert_eq!(rows_of(&run, "bad.txt").len(), 2, "{}", run.stdout);
}

/// A GBK file cut inside its last character says so, at its last line,
/// as a UTF-8 one does (see `torn_last_line_is_named_once`).
#[test]
fn truncated_gbk_is_replaced_and_counted() {
    let w = setup();
    let text = GOOD.replace("Two heavy projects.\n", "").repeat(3);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    w.write("bad.txt", &gbk[..gbk.len() - 1]);
    let c = case(
        "truncated_gbk",
        &["bad.txt"],
        0,
        "bad.txt:1: the file ends inside a character",
        "read as U+FFFD",
    );
    check(&w, &c);
    let run = count(&w, &["bad.txt"], b"");
    assert_eq!(rows_of(&run, "bad.txt").len(), 2, "{}", run.stdout);
}

/// A file read while it is written can end inside a character. One line
/// says so, naming the last line: for JSON Lines it replaces the line's
/// "invalid JSON" (the record is skipped, no byte counted as replaced),
/// for text the partial character is read as U+FFFD and counted. It was
/// "1 invalid byte sequence ... another encoding?" beside "0 bytes
/// replaced".
#[test]
fn torn_last_line_is_named_once() {
    let w = setup();
    let record = "{\"id\":\"a\",\"text\":\"两重\"}\n";
    let torn = format!("{record}{{\"id\":\"b\",\"text\":\"两新");
    let cut = &torn.as_bytes()[..torn.len() - 1];
    w.write("torn.jsonl", cut);
    let cut_short = "the file ends inside a character: its last line is \
                     cut short (still being written?)";
    let run = count(&w, &["torn.jsonl"], b"");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        warnings(&run),
        [format!("tifa: torn.jsonl:2: {cut_short}; record skipped")]
    );
    assert!(
        run.stderr.contains("; 0 invalid sequences replaced\n"),
        "{}",
        run.stderr
    );
    assert_eq!(rows_of(&run, "a").len(), 1, "{}", run.stdout);
    let text = format!("{GOOD}{GOOD}");
    w.write("torn.txt", &text.as_bytes()[..text.len() - 2 - 20]);
    let run = count(&w, &["torn.txt"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        warnings(&run),
        [format!("tifa: torn.txt:2: {cut_short}; read as U+FFFD")]
    );
    assert!(
        run.stderr.contains("; 1 invalid sequence replaced\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn utf16_without_bom_is_binary_with_a_hint() {
    let w = setup();
    let bytes: Vec<u8> =
        GOOD.encode_utf16().flat_map(u16::to_le_bytes).collect();
    w.write("bad.txt", &bytes);
    let c = case(
        "utf16_no_bom",
        &["bad.txt"],
        2,
        "bad.txt: binary file",
        "--encoding utf-16le",
    );
    check(&w, &c);
    // And the hint works.
    let run = count(&w, &[], b"");
    let hinted = w.run_with(
        &[
            "--lexicon",
            root().join(TRAPS).to_str().unwrap(),
            "count",
            "-E",
            "utf-16le",
            "bad.txt",
        ],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(hinted.code, 0, "{}", hinted.stderr);
    assert_eq!(hinted.stdout.lines().count(), run.stdout.lines().count());
}

/// The hint names the byte order the text reads in: big-endian English
/// was told to use utf-16le, which decodes it to unrelated Han characters
/// and finds nothing without a word. Chinese text, whose NULs are few and
/// on both sides (一 is U+4E00), gets the hint too. Naming the wrong
/// order is read as asked, with a warning.
#[test]
fn utf16_hints_name_the_byte_order() {
    let w = setup();
    let english = "The two new policy and the AI+ initiative.\n";
    let chinese =
        "2024年政府工作报告\n一是发展新质生产力，实施“两新”“两重”。\n";
    let be: Vec<u8> =
        english.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let le: Vec<u8> =
        chinese.encode_utf16().flat_map(u16::to_le_bytes).collect();
    w.write("be.txt", &be);
    w.write("zh-le.txt", &le);
    for (name, label) in [("be.txt", "utf-16be"), ("zh-le.txt", "utf-16le")] {
        let c = case(
            "utf16_order",
            &[name],
            2,
            &format!("{name}: binary file"),
            label,
        );
        check(&w, &c);
        let run = count(&w, &[name], b"");
        let hint = format!(
            "(UTF-16 without a byte-order mark? try --encoding {label}); skipped"
        );
        assert!(run.stderr.contains(&hint), "{}", run.stderr);
    }
    let lex = root().join(TRAPS);
    let args = [
        "--lexicon",
        lex.to_str().unwrap(),
        "count",
        "-E",
        "utf-16le",
        "be.txt",
    ];
    let run = w.run_with(&args, b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("tifa: be.txt: read as UTF-16LE as --encoding asks, but the text reads as utf-16be: try --encoding utf-16be\n"),
        "{}",
        run.stderr
    );
}

/// UTF-32, with its byte-order mark (which starts as UTF-16LE's) or
/// without, is skipped with how to convert it: it was read as UTF-16, a
/// NUL after every character and nothing matched, without a word.
#[test]
fn utf32_is_skipped_with_how_to_convert_it() {
    let w = setup();
    let units = |bom: bool, le: bool| -> Vec<u8> {
        let chars = bom.then_some('\u{FEFF}').into_iter().chain(GOOD.chars());
        chars
            .flat_map(|c| {
                let n = c as u32;
                if le { n.to_le_bytes() } else { n.to_be_bytes() }
            })
            .collect()
    };
    for (name, bom, le) in [
        ("le-bom.txt", true, true),
        ("be-bom.txt", true, false),
        ("be.txt", false, false),
        ("le.txt", false, true),
    ] {
        w.write(name, units(bom, le));
        let starts =
            format!("{name}: UTF-32, which tifa does not read; skipped");
        check(&w, &case("utf32", &[name], 2, &starts, "iconv -f UTF-32"));
    }
}

/// ripgrep's rule: the verdict does not depend on where the NUL is.
#[test]
fn nul_bytes_at_the_start_or_after_64_kib() {
    let w = setup();
    w.write("nul0.txt", [b"\0".as_slice(), GOOD.as_bytes()].concat());
    let mut late = GOOD.repeat(2000).into_bytes();
    assert!(late.len() > 64 << 10);
    late.extend(b"\0tail");
    w.write("nul64k.txt", late);
    for file in ["nul0.txt", "nul64k.txt"] {
        let want = format!("{file}: binary file (NUL bytes); skipped");
        let c = case("nul", &[file], 2, &want, "");
        check(&w, &c);
    }
    // In the first line of JSONL, a NUL byte makes the file binary; the
    // message says how to read the records that have none.
    w.write(
        "nul1.jsonl",
        "{\"id\":\"a\",\"text\":\"a\0b\"}\n{\"text\":\"两重\"}\n",
    );
    let c = case(
        "nul_jsonl",
        &["nul1.jsonl"],
        2,
        "nul1.jsonl: binary file (NUL bytes) (a record with a NUL byte? --encoding utf-8",
        "skipped",
    );
    check(&w, &c);
    w.write(
        "nul.jsonl",
        "{\"id\":\"a\",\"text\":\"两重\"}\n{\"text\":\"a\0b\"}\n",
    );
    // Past the first line, the record holding it is skipped, and the
    // others are read, with --encoding or without.
    for args in [&["nul.jsonl"][..], &["-E", "utf-8", "nul.jsonl"]] {
        let run = count(&w, args, b"");
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(rows_of(&run, "a").len(), 1, "{}", run.stdout);
        assert!(
            run.stderr.contains(
                "nul.jsonl:2: NUL byte (binary data) in this record; record skipped"
            ),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn empty_file_and_empty_stdin() {
    let w = setup();
    w.write("empty.txt", "");
    check(
        &w,
        &case("empty_file", &["empty.txt"], 0, "empty.txt: empty file", ""),
    );
    check(&w, &case("empty_stdin", &["-"], 0, "<stdin>: empty file", ""));
    w.write("empty.jsonl", "");
    check(
        &w,
        &case(
            "empty_jsonl",
            &["empty.jsonl"],
            0,
            "empty.jsonl: empty file",
            "",
        ),
    );
    // Blank lines, or a byte-order mark alone, hold no record either: a
    // file that lost its records says so, as an empty one does.
    for (name, text) in [
        ("blank.jsonl", "\n \n"),
        ("blank.csv", "\n\n"),
        ("blank.json", "\u{FEFF}\n"),
        ("blank.txt", "\u{3000}\r\n"),
    ] {
        w.write(name, text);
        let starts = format!("{name}: only white space");
        check(&w, &case("blank", &[name], 0, &starts, ""));
    }
}

/// A 100 MB file of one line goes over the default --max-doc-bytes (64
/// MiB): it is skipped while read, without holding it whole.
#[test]
fn a_100_mb_single_line() {
    let w = setup();
    let path = w.path("huge.txt");
    {
        use std::io::Write;
        let mut f =
            std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let chunk = "两重".repeat(1 << 14);
        let mut n = 0;
        while n < 100_000_000 {
            f.write_all(chunk.as_bytes()).unwrap();
            n += chunk.len();
        }
    }
    let c = case(
        "huge_line",
        &["huge.txt"],
        2,
        "huge.txt: document over --max-doc-bytes (more than 67108864 bytes); skipped",
        "",
    );
    check(&w, &c);
}

/// Whether this process can read files it has no permission for (root in
/// CI containers): then chmod 000 does not make a file unreadable.
fn can_read_anything(w: &Workdir) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let p = w.write("probe.bin", "x");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000))
        .unwrap();
    let readable = std::fs::read(&p).is_ok();
    std::fs::remove_file(&p).unwrap();
    readable
}

#[test]
fn unreadable_files() {
    let w = setup();
    // A path through a regular file fails for root too.
    let c = case(
        "not_a_directory",
        &["good.txt/inner.txt"],
        2,
        "good.txt/inner.txt: Not a directory",
        "skipped",
    );
    check(&w, &c);
    if !can_read_anything(&w) {
        use std::os::unix::fs::PermissionsExt;
        let p = w.write("locked.txt", GOOD);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000))
            .unwrap();
        let c = case(
            "chmod_000",
            &["locked.txt"],
            2,
            "locked.txt: Permission denied",
            "skipped",
        );
        check(&w, &c);
        std::fs::create_dir(w.path("locked")).unwrap();
        w.write("locked/a.txt", GOOD);
        std::fs::set_permissions(
            w.path("locked"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        let c = case(
            "chmod_000_folder",
            &["locked"],
            2,
            "locked: Permission denied",
            "skipped",
        );
        check(&w, &c);
        std::fs::set_permissions(
            w.path("locked"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
}

#[test]
fn dangling_symlinks() {
    let w = setup();
    std::os::unix::fs::symlink("missing.txt", w.path("dangling.txt")).unwrap();
    let c = case(
        "dangling",
        &["dangling.txt"],
        2,
        "dangling.txt: broken symbolic link",
        "skipped",
    );
    check(&w, &c);
    w.write("dir/ok.txt", GOOD);
    std::os::unix::fs::symlink("../missing.txt", w.path("dir/dangling.txt"))
        .unwrap();
    let c = case(
        "dangling_in_folder",
        &["dir"],
        2,
        "dir/dangling.txt: broken symbolic link",
        "",
    );
    check(&w, &c);
}

#[test]
fn symlink_loops() {
    let w = setup();
    w.write("loop/a.txt", GOOD);
    std::os::unix::fs::symlink(".", w.path("loop/again")).unwrap();
    let c = case(
        "loop_in_folder",
        &["loop"],
        2,
        "loop/again: symbolic link loop back to loop;",
        "skipped",
    );
    check(&w, &c);
    std::os::unix::fs::symlink("self.txt", w.path("self.txt")).unwrap();
    let c = case(
        "self_link",
        &["self.txt"],
        2,
        "self.txt: Too many levels of symbolic links",
        "skipped",
    );
    check(&w, &c);
}

#[test]
fn jsonl_with_one_broken_line() {
    let w = setup();
    w.write(
        "news.jsonl",
        "{\"id\":\"a\",\"text\":\"两重建设\"}\n{\"id\":\"b\",\"text\":\"两新\n{\"id\":\"c\",\"text\":\"“两新”政策\"}\n",
    );
    let c = case(
        "jsonl",
        &["news.jsonl"],
        2,
        "news.jsonl:2: invalid JSON",
        "record skipped",
    );
    check(&w, &c);
    let run = count(&w, &["news.jsonl"], b"");
    assert_eq!(rows_of(&run, "a").len(), 1, "{}", run.stdout);
    assert_eq!(rows_of(&run, "c").len(), 1, "{}", run.stdout);
}

/// Half of an emoji cut off by a scraper (`\ud83d`) is read as U+FFFD with
/// a warning, in JSON Lines and in a JSON array: the article is kept, where
/// serde_json refused it and it was skipped ("unexpected end of hex
/// escape", "not a JSON object").
#[test]
fn lone_surrogate_escapes_are_replaced_not_fatal() {
    let w = setup();
    w.write(
        "cut.jsonl",
        "{\"id\":\"a\",\"text\":\"推进“两重”建设 \\ud83d\"}\n",
    );
    w.write("cut.json", "[{\"id\":\"b\",\"text\":\"“两新”政策 \\udc00\"}]");
    for (name, doc, place) in
        [("cut.jsonl", "a", "cut.jsonl:1"), ("cut.json", "b", "cut.json#1")]
    {
        let starts = format!("{place}: 1 lone surrogate escape");
        check(
            &w,
            &case("lone_surrogate", &[name], 0, &starts, "read as U+FFFD"),
        );
        let run = count(&w, &[name], b"");
        assert_eq!(rows_of(&run, doc).len(), 1, "{}", run.stdout);
        // Counted among the replacements, as an invalid byte is.
        assert!(
            run.stderr.ends_with("; 1 invalid sequence replaced\n"),
            "{}",
            run.stderr
        );
        let lex = root().join(TRAPS);
        let args = [
            "--lexicon",
            lex.to_str().unwrap(),
            "-q",
            "corpus",
            "--by",
            "doc",
            name,
        ];
        let run = w.run_with(&args, b"", Some(w.dir.path()));
        let header: Vec<&str> =
            run.stdout.lines().next().unwrap().split(',').collect();
        let column = header.iter().position(|&c| c == "replacements").unwrap();
        let row = run.stdout.lines().nth(1).unwrap();
        assert_eq!(row.split(',').nth(column), Some("1"), "{}", run.stdout);
    }
}

/// JSON Lines whose records a lone CR separates (a classic Mac file) is
/// one line of JSON with trailing characters: the warning says how to
/// make them lines. A file of NUL bytes is binary, with no hint of UTF-16.
#[test]
fn cr_separated_records_and_nul_files_get_the_right_hint() {
    let w = setup();
    w.write(
        "mac.jsonl",
        "{\"id\":\"a\",\"text\":\"两新\"}\r{\"id\":\"b\",\"text\":\"两重\"}\r",
    );
    let c = case(
        "cr",
        &["mac.jsonl"],
        2,
        "mac.jsonl:1: invalid JSON",
        "tr '\\r' '\\n'",
    );
    check(&w, &c);
    w.write("zeros.bin.txt", vec![0u8; 1000]);
    let c = case(
        "zeros",
        &["zeros.bin.txt"],
        2,
        "zeros.bin.txt: binary file (NUL bytes); skipped",
        "",
    );
    check(&w, &c);
}

/// The same problem in every record of a file (a text field named
/// otherwise) is shown five times, and the rest counted in one line; all
/// of them are skipped.
#[test]
fn the_same_problem_in_every_record_is_summed_up() {
    let w = setup();
    let records: String = (1..=8)
        .map(|i| format!("{{\"id\":\"r{i}\",\"body\":\"两重\"}}\n"))
        .collect();
    w.write("news.jsonl", records);
    let run = count(&w, &["news.jsonl"], b"");
    assert_eq!(run.code, 2, "{}", run.stderr);
    let want: Vec<String> = (1..=5)
        .map(|i| format!("tifa: news.jsonl:{i}: no field \"text\"; record skipped"))
        .chain(["tifa: news.jsonl: 3 more times: no field \"text\"; record skipped".into()])
        .collect();
    assert_eq!(warnings(&run), want);
    assert!(run.stderr.contains("; 8 skipped;"), "{}", run.stderr);
}

/// Each file's repeated problems are shown five times in corpus order,
/// then counted, file by file, whatever the number of threads: a run
/// keeps only those it shows, so that a problem in every record of a
/// large file does not fill memory.
#[test]
fn repeated_problems_of_several_files_are_counted_alike_on_any_thread_count() {
    let w = setup();
    let no_text = |n: usize| -> String {
        (1..=n)
            .map(|i| format!("{{\"id\":\"r{i}\",\"body\":\"两重\"}}\n"))
            .collect()
    };
    w.write("a.jsonl", no_text(8));
    w.write("b.jsonl", "{\"id\":\"x\",\"text\":\"两新\"}\n".repeat(8));
    w.write("c.jsonl", no_text(6));
    let runs = ["-j1", "-j2"]
        .map(|j| count(&w, &[j, "a.jsonl", "b.jsonl", "c.jsonl"], b""));
    let no_text = "no field \"text\"; record skipped";
    let repeated = "id given to an earlier record too: both are read, and the later one is named by its place (FILE#N), as a record without an id is";
    let want: Vec<String> = (1..=5)
        .map(|i| format!("tifa: a.jsonl:{i}: {no_text}"))
        .chain((2..=6).map(|i| {
            format!("tifa: b.jsonl:{i} (id \"x\", as on line 1): {repeated}")
        }))
        .chain((1..=5).map(|i| format!("tifa: c.jsonl:{i}: {no_text}")))
        .chain([
            format!("tifa: a.jsonl: 3 more times: {no_text}"),
            format!("tifa: b.jsonl: 2 more times: {repeated}"),
            format!("tifa: c.jsonl: 1 more times: {no_text}"),
        ])
        .collect();
    for run in &runs {
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(warnings(run), want);
        assert!(run.stderr.contains("; 14 skipped;"), "{}", run.stderr);
        assert_eq!(rows_of(run, "b.jsonl#8").len(), 1, "{}", run.stdout);
    }
    assert_eq!(runs[0].stdout, runs[1].stdout);
}

/// A CSV file without the text column is skipped with one line naming
/// the columns it has (found by its separator, here semicolons); a
/// column named twice is said.
#[test]
fn csv_headers_without_the_text_or_with_a_column_twice() {
    let w = setup();
    w.write("semi.csv", "id;date;body\n1;2024;两重\n2;2024;两新\n");
    let c = case(
        "semicolons",
        &["semi.csv"],
        2,
        "semi.csv:1: no column \"text\" for the text (columns: id, date, body)",
        "file skipped",
    );
    check(&w, &c);
    w.write("twice.csv", "id,text,text\nt,两重,\n");
    let run = count(&w, &["twice.csv"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        warnings(&run),
        [
            "tifa: twice.csv:1: column \"text\" appears more than once; the last one is used"
        ]
    );
}

/// `--by FIELD` for a field no document has says so, and names the
/// grouping a slip of the keyboard away.
#[test]
fn by_a_field_no_document_has() {
    let w = setup();
    let lex = root().join(TRAPS);
    for (by, guess) in [
        ("yeer", "; did you mean --by year?"),
        ("yaer", "; did you mean --by year?"),
        ("mnth", "; did you mean --by month?"),
        ("province", ""),
        ("dy", "; did you mean --by day?"),
        ("xy", ""),
    ] {
        let args = [
            "--lexicon",
            lex.to_str().unwrap(),
            "count",
            "--by",
            by,
            "good.txt",
        ];
        let run = w.run_with(&args, b"", Some(w.dir.path()));
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            warnings(&run),
            [format!(
                "tifa: --by {by}: no document has a field \"{by}\"; all of them are in (none){guess}"
            )]
        );
    }
    let run = w.run_with(
        &["corpus", "--by", "source", "good.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert!(warnings(&run).is_empty(), "{}", run.stderr);
}

/// A text field that is not a string is no document: skipped, by line.
#[test]
fn jsonl_text_that_is_not_a_string() {
    let w = setup();
    w.write(
        "news.jsonl",
        "{\"id\":\"a\",\"text\":\"两重\",\"n\":null}\n{\"id\":\"b\",\"text\":{\"x\":\"两新\"}}\n",
    );
    let c = case(
        "jsonl_object_text",
        &["news.jsonl"],
        2,
        "news.jsonl:2: field \"text\" is an object, not a string",
        "record skipped",
    );
    check(&w, &c);
    let run = count(&w, &["news.jsonl"], b"");
    assert_eq!(rows_of(&run, "a").len(), 1, "{}", run.stdout);
    assert!(rows_of(&run, "b").is_empty(), "{}", run.stdout);
}

#[test]
fn csv_with_an_unterminated_quote() {
    let w = setup();
    w.write(
        "export.csv",
        "id,text\na,两重建设\nb,\"两新 and then\nno closing quote\nc,“两新”政策\n",
    );
    let c = case(
        "csv_quote",
        &["export.csv"],
        2,
        "export.csv:3: quoted field never closed",
        "the rest of the file skipped",
    );
    check(&w, &c);
    let run = count(&w, &["export.csv"], b"");
    assert_eq!(rows_of(&run, "a").len(), 1, "{}", run.stdout);
}

/// A quote never closed in a file larger than a block: the field is
/// dropped as it is read once it passes --max-doc-bytes.
#[test]
fn csv_with_an_unterminated_quote_is_capped() {
    let w = setup();
    let mut csv = String::from("id,text\na,两重建设\nb,\"");
    let line = "两新 and the rest of the file, never closed\n";
    while csv.len() < 9 << 20 {
        csv.push_str(line);
    }
    w.write("big.csv", csv);
    let c = case(
        "csv_quote_capped",
        &["--max-doc-bytes", "100000", "big.csv"],
        2,
        "big.csv:3: quoted field never closed",
        "over --max-doc-bytes (100000 bytes)",
    );
    check(&w, &c);
}

/// Every kind of broken lexicon: exit 2 before reading any input, one
/// line on stderr naming the file and line, nothing on stdout.
#[test]
fn broken_lexicons() {
    let term = "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"两重\"]\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(term);
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("bad_toml", b"[[term]]\nid = \"a\nzh = []\n".to_vec(), "bad.toml:2:", "string"),
        ("unknown_field", format!("{term}forms = [\"x\"]\n").into(), "bad.toml:5:", "forms"),
        ("empty_form", format!("{term}en = [\" \"]\n").into(), "bad.toml:5:", "is empty"),
        (
            "duplicate_form",
            format!("{term}[[term]]\nid = \"b\"\ncategory = \"c\"\nzh = [\"两重\"]\n").into(),
            "bad.toml:8:",
            "already a form of term \"a\"",
        ),
        ("bad_date", format!("{term}first_official_use = \"2024-13\"\n").into(), "bad.toml:5:", "first_official_use"),
        ("bom_in_form", format!("{term}en = [\"\\uFEFFtwo heavy\"]\n").into(), "bad.toml:5:", "byte-order mark"),
        ("zero_width_in_form", format!("{term}en = [\"two\\u200Bheavy\"]\n").into(), "bad.toml:5:", "invisible character"),
        ("very_long_form", format!("{term}en = [\"{}\"]\n", "两新".repeat(501)).into(), "bad.toml:5:", "over 1,000 characters"),
        ("gbk_bytes", gbk.to_vec(), "bad.toml:4:", "invalid UTF-8"),
        ("zero_terms", b"[lexicon]\nname = \"x\"\n".to_vec(), "bad.toml:1:", "no [[term]]"),
        ("empty_file", Vec::new(), "bad.toml:1:", "no [[term]]"),
    ];
    for (name, bytes, at, word) in cases {
        let w = setup();
        let lex = w.write("bad.toml", bytes);
        let run = w.run_with(
            &["--lexicon", lex.to_str().unwrap(), "count", "good.txt"],
            b"",
            Some(w.dir.path()),
        );
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: {}", run.stderr);
        let want = format!("tifa: {}:", lex.display());
        assert!(lines[0].starts_with(&want), "{name}: {}", lines[0]);
        assert!(
            lines[0].contains(at) && lines[0].contains(word),
            "{name}: {}",
            lines[0]
        );
    }
    // A byte-order mark at the start of a lexicon is not an error.
    let w = setup();
    let lex = w.write("bom.toml", format!("\u{feff}{term}"));
    let run = w.run_with(
        &["--lexicon", lex.to_str().unwrap(), "count", "good.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Several errors: one line each, each prefixed.
    let lex =
        w.write("two.toml", format!("{term}en = [\" \", \"x\\u00ADy\"]\n"));
    let run = w.run_with(
        &["--lexicon", lex.to_str().unwrap(), "count", "good.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(lines.iter().all(|l| l.starts_with("tifa: ")), "{}", run.stderr);
}

/// A date range that keeps nothing is an error before anything is read.
#[test]
fn since_after_until() {
    let w = setup();
    let run = count(&w, &["--since", "2025", "--until", "2024-12"], b"");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "tifa: --since 2025 is after --until 2024-12: no document could be kept\n"
    );
    assert!(run.stdout.is_empty());
}

/// A usage error is one line, as every other error: clap's message, and
/// where to read more; exit 2 and nothing on stdout.
#[test]
fn usage_errors_are_one_line() {
    let w = Workdir::new();
    for (args, want) in [
        (
            &["count", "--bogus", "x"][..],
            "tifa: unexpected argument '--bogus' found; see tifa count --help\n",
        ),
        (
            &["count"],
            "tifa: the following required arguments were not provided: <INPUT>...; to read stdin, give - (... | tifa count -); see tifa count --help\n",
        ),
        (
            &["count", "--since", "2013-13", "x"],
            "tifa: invalid value '2013-13' for '--since <DATE>': \"2013-13\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD); see tifa count --help\n",
        ),
        (
            &["trend", "--svg", "chart.png", "x"],
            "tifa: invalid value 'chart.png' for '--svg <FILE>': the chart is SVG: name it .svg, not .png (convert it with rsvg-convert or a browser); see tifa trend --help\n",
        ),
        // The command that the arguments name, never an option of
        // clap's usage line.
        (
            &["--lexicon", "x", "--t2s", "count"],
            "tifa: unexpected argument '--t2s' found; tip: 'count --t2s' exists; see tifa count --help\n",
        ),
        (
            &["lexicon", "import", "--encoding", "x"],
            "tifa: unexpected argument '--encoding' found; tip: a similar argument exists: '--lexicon'; see tifa lexicon import --help\n",
        ),
        // A report of no term would say that none was found.
        (
            &["report", "x", "--out", "r", "--top", "0"],
            "tifa: invalid value '0' for '--top <N>': 0 is not in 1..=100000; see tifa report --help\n",
        ),
    ] {
        let run = w.run(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stdout.is_empty());
        assert_eq!(run.stderr, want);
    }
}

/// A record (JSONL, CSV) or `--split` article holding a NUL byte is
/// skipped, and the others are read, whether the NUL is in the first block
/// of 128 KiB or a later one: one verdict wherever it falls. Before, a NUL
/// in the first block skipped the whole file, and one in a later block the
/// rest of it.
#[test]
fn a_nul_skips_its_record_wherever_the_block_ends() {
    let w = Workdir::new();
    let filler = "推动高质量发展".repeat(20);
    let (n, nul_at) = (1500, [3, 1400]);
    for nul in nul_at {
        let record = |i: usize| {
            let text = if i == nul { "a\0b" } else { &filler };
            (
                format!("{{\"id\":\"r{i}\",\"text\":\"{text}\"}}\n"),
                format!("r{i},{text}\n"),
                format!("=== {i}\n{text}\n"),
            )
        };
        let (mut jsonl, mut csv, mut split) =
            (String::new(), "id,text\n".to_string(), String::new());
        for i in 0..n {
            let (j, c, s) = record(i);
            jsonl += &j;
            csv += &c;
            split += &s;
        }
        // Past 128 KiB for the later record, within it for the first.
        assert!(jsonl.find('\0').unwrap() > 128 << 10 || nul < 10);
        w.write("r.jsonl", &jsonl);
        w.write("r.csv", &csv);
        w.write("r.txt", &split);
        for (file, split, line) in [
            ("r.jsonl", None, nul + 1),
            ("r.csv", None, nul + 2),
            ("r.txt", Some("^=== "), 2 * nul + 1),
        ] {
            let mut args = vec!["-q", "corpus", file];
            args.extend(split.map(|s| ["--split", s]).into_iter().flatten());
            let run = w.run_with(&args, b"", Some(w.dir.path()));
            assert_eq!(run.code, 2, "{file} {nul}: {}", run.stderr);
            assert!(
                run.stdout
                    .lines()
                    .nth(1)
                    .unwrap()
                    .starts_with(&format!("{},", n - 1)),
                "{file} {nul}: {}",
                run.stdout
            );
            assert!(
                run.stderr.contains(&format!(
                    "{file}:{line}: NUL byte (binary data) in this"
                )),
                "{file} {nul}: {}",
                run.stderr
            );
        }
        // A text read whole is skipped, wherever its NUL is.
        w.write("whole.txt", &split);
        let run =
            w.run_with(&["corpus", "whole.txt"], b"", Some(w.dir.path()));
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("whole.txt: binary file (NUL bytes); skipped"),
            "{}",
            run.stderr
        );
    }
}

/// Standard input is JSON Lines when its first record is longer than the
/// first block (it was read as one text, its escapes undecoded), and when
/// it is UTF-16 with a byte-order mark (judged on the bytes, it was text).
#[test]
fn stdin_json_lines_with_a_long_first_record_or_in_utf16() {
    let w = Workdir::new();
    let mut jsonl = format!(
        "{{\"id\":\"long\",\"date\":\"2024-01-01\",\"text\":\"{}\\u65b0\\u8d28\\u751f\\u4ea7\\u529b\"}}\n",
        "甲".repeat(50_000)
    );
    for i in 0..3 {
        jsonl += &format!("{{\"id\":\"r{i}\",\"text\":\"推动高质量发展\"}}\n");
    }
    assert!(jsonl.find('\n').unwrap() > 128 << 10);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(jsonl.encode_utf16().flat_map(u16::to_le_bytes));
    for stdin in [jsonl.as_bytes(), &utf16] {
        let run =
            w.run_with(&["-q", "count", "--by", "doc", "-"], stdin, None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let docs: Vec<&str> = run
            .stdout
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(docs, ["long", "r0", "r1", "r2"], "{}", run.stdout);
        assert!(
            run.stdout.contains("long,new-quality-productive-forces,"),
            "{}",
            run.stdout
        );
    }
}

/// A CSV whose rows end in CR alone (Excel for Mac's "CSV (Macintosh)"):
/// each record has a line, and an id, of its own, and a warning names the
/// row's own line.
#[test]
fn csv_rows_ended_by_cr_alone_have_lines_of_their_own() {
    let w = Workdir::new();
    w.write(
        "mac.csv",
        "date,text\r2024-01-01,新质生产力\r2024-01-02,a,b\r2024-01-03,新质生产力\r",
    );
    let run = w.run_with(
        &["count", "--by", "doc", "mac.csv"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let docs: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(docs, ["mac.csv#2", "mac.csv#4"], "{}", run.stdout);
    assert!(
        run.stderr.contains("mac.csv:3: 3 fields where the header has 2"),
        "{}",
        run.stderr
    );
}
