//! Same inputs, same bytes out: whatever the thread count, the order of
//! the inputs on the command line, the time zone, the locale, and the
//! folder tifa runs in (with the same relative paths, as from a copied
//! tree: document ids are the paths as given, so other paths are other
//! ids).

use crate::util::{Run, Workdir, root};

const TRAPS: &str = "tests/fixtures/lexicon/traps.toml";

/// A small corpus of every input kind, in nested folders.
fn tree() -> Workdir {
    let w = Workdir::new();
    w.write(
        "corpus/2024/2024-03-05-a.txt",
        "推进“两重”建设和“两新”工作。Two heavy projects, two new policies.\n",
    );
    w.write(
        "corpus/2024/2024-07-01-b.md",
        "## 两新\n“两新”政策；两重性不是两重。AI+ and 人工智能＋\n",
    );
    w.write(
        "corpus/news.jsonl",
        "{\"id\":\"n1\",\"date\":\"2024-11-02\",\"source\":\"XH\",\"text\":\"两重建设项目\"}\n\
         {\"id\":\"n2\",\"date\":\"2025-01-15\",\"source\":\"RMRB\",\"text\":\"大规模设备更新和消费品以旧换新\"}\n",
    );
    w.write(
        "corpus/export.csv",
        "id,date,text\nc1,2025-02-01,\"两新\n工作，两重建设\"\nc2,2025-03-01,Two new\n",
    );
    w.write("extra/2025-05-01.txt", "两重建设。两新一重工作。\n");
    // The traps lexicon without `whole_word`: jieba takes half a second
    // to load in a debug build, and the matrix below runs tifa 80 times.
    // (`whole_word_is_deterministic_too` keeps it.)
    let traps = std::fs::read_to_string(root().join(TRAPS)).unwrap();
    w.write("lexicon.toml", traps.replace("whole_word = true", ""));
    w
}

/// The files of [`tree`], listed one by one, in an order of their own.
const FILES_SHUFFLED: &[&str] = &[
    "extra/2025-05-01.txt",
    "corpus/news.jsonl",
    "corpus/2024/2024-07-01-b.md",
    "corpus/export.csv",
    "corpus/2024/2024-03-05-a.txt",
];

const COMMANDS: &[&[&str]] = &[
    &["count", "--by", "doc"],
    &["count", "--format", "json", "--by", "month", "--all"],
    &["scan"],
    &["scan", "--format", "jsonl"],
    &["kwic", "two-heavy,two-new", "--width", "5"],
    &["kwic", "two-heavy", "--sample", "2", "--seed", "7"],
    &["corpus", "--by", "year"],
    &["nesting"],
];

fn run(
    w: &Workdir,
    lexicon: &str,
    threads: &str,
    command: &[&str],
    inputs: &[&str],
    envs: &[(&str, &str)],
) -> Run {
    let mut args = vec!["--lexicon", lexicon, "-j", threads];
    args.extend_from_slice(command);
    args.extend_from_slice(inputs);
    let run = w.run_env(&args, b"", Some(w.dir.path()), envs);
    assert_eq!(run.code, 0, "{command:?}: {}", run.stderr);
    run
}

/// Time zones and locales that must not change a byte: (what, variables).
const ENVIRONMENTS: &[(&str, &[(&str, &str)])] = &[
    ("TZ Shanghai", &[("TZ", "Asia/Shanghai")]),
    ("TZ Los Angeles", &[("TZ", "America/Los_Angeles")]),
    ("zh_CN locale", &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]),
    // Turkish folds I and i differently; the C locale is ASCII.
    ("tr_TR locale", &[("LC_ALL", "tr_TR.UTF-8")]),
    ("C locale", &[("LC_ALL", "C")]),
];

#[test]
fn same_bytes_whatever_threads_order_tz_locale_and_folder() {
    let a = tree();
    let b = tree();
    let both = ["corpus", "extra"];
    for command in COMMANDS {
        let base = run(&a, "lexicon.toml", "1", command, &both, &[]).stdout;
        assert!(base.lines().count() > 1, "{command:?}: {base}");
        let same = |what: &str,
                    w: &Workdir,
                    threads: &str,
                    inputs: &[&str],
                    envs: &[(&str, &str)]| {
            let variant =
                run(w, "lexicon.toml", threads, command, inputs, envs);
            assert_eq!(
                variant.stdout, base,
                "{command:?} differs with {what}"
            );
        };
        same("-j 4", &a, "4", &both, &[]);
        same("-j 0", &a, "0", &both, &[]);
        same("inputs reversed", &a, "2", &["extra", "corpus"], &[]);
        same("files shuffled", &a, "2", FILES_SHUFFLED, &[]);
        for (what, envs) in ENVIRONMENTS {
            same(what, &a, "2", &both, envs);
        }
        same("another folder", &b, "2", &both, &[]);
    }
}

/// Files written with `-o` too, from two folders holding the same tree.
#[test]
fn output_files_are_identical() {
    let (a, b) = (tree(), tree());
    let mut outputs = Vec::new();
    for (w, threads) in [(&a, "1"), (&b, "3")] {
        for (name, format) in
            [("c.csv", "csv"), ("c.json", "json"), ("c.md", "md")]
        {
            let command =
                ["-o", name, "--format", format, "count", "--by", "doc"];
            run(
                w,
                "lexicon.toml",
                threads,
                &command,
                &["extra", "corpus"],
                &[("TZ", "UTC")],
            );
        }
        outputs.push(
            ["c.csv", "c.json", "c.md"]
                .map(|n| std::fs::read(w.path(n)).unwrap()),
        );
    }
    assert_eq!(outputs[0], outputs[1]);
}

/// With `whole_word` (jieba at match sites, one instance shared by the
/// threads): the same bytes with one thread or four.
#[test]
fn whole_word_is_deterministic_too() {
    let w = tree();
    let lex = root().join(TRAPS);
    let lex = lex.to_str().unwrap();
    let inputs = ["corpus", "extra"];
    let one = run(&w, lex, "1", &["scan"], &inputs, &[]);
    let four = run(&w, lex, "4", &["scan"], &inputs, &[]);
    assert_eq!(one.stdout, four.stdout);
    assert!(one.stdout.contains("two-new"), "{}", one.stdout);
}

/// `-j` beyond 256 threads is refused at once with one line naming the
/// flag and the limit: `-j 20000` used to spend minutes starting threads
/// (over a minute at 4,096) and `-j 99999999999` never ended. 256 is
/// still accepted.
#[test]
fn thread_counts_are_bounded() {
    let w = Workdir::new();
    w.write("a.txt", "两重建设\n");
    for n in ["257", "20000", "99999999999", "99999999999999999999999"] {
        let start = std::time::Instant::now();
        let run =
            w.run_with(&["-j", n, "count", "a.txt"], b"", Some(w.dir.path()));
        assert_eq!(run.code, 2, "-j {n}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "tifa: invalid value '{n}' for '--threads <N>': at most 256 \
                 threads (0: one per core); see tifa count --help\n"
            )
        );
        assert!(run.stdout.is_empty());
        assert!(start.elapsed().as_secs() < 10, "-j {n} took too long");
    }
    let run = w.run_with(
        &["-q", "-j", "256", "count", "a.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A corpus of many documents for the rows `scan` and `kwic` write as
/// documents complete: 60 small files around a JSONL file of 3,000
/// records (over 128 KiB, so read in several batches, and spread over
/// the threads).
fn many_documents() -> Workdir {
    let w = tree();
    for i in 0..60 {
        let text = match i % 3 {
            0 => "推进“两重”建设。\n",
            1 => "没有提法。\n",
            _ => "两新工作，两重建设，两新。\n",
        };
        w.write(&format!("many/a{i:02}.txt"), text);
    }
    let mut jsonl = String::new();
    for i in 0..3000 {
        let text = if i % 7 == 0 {
            "无关内容"
        } else {
            "加快两重建设和两新政策落地"
        };
        jsonl.push_str(&format!(
            "{{\"id\":\"r{i}\",\"date\":\"2025-01-01\",\"text\":\"第{i}条：{text}，持续推进。\"}}\n"
        ));
    }
    w.write("many/b.jsonl", jsonl);
    for i in 0..20 {
        w.write(&format!("many/c{i:02}.md"), "## 两重\n两重与两新\n");
    }
    w
}

/// `scan`, `kwic`, `count --by doc`, `cooc --sites` and `corpus --by doc`
/// write their rows as documents complete, in corpus order: every format gives the same bytes with one thread as with two
/// or three, JSON stays one valid array, and the rows are those of the
/// CSV in the same order.
#[test]
fn streamed_rows_are_the_same_bytes_whatever_the_threads() {
    let w = many_documents();
    let commands: &[&[&str]] = &[
        &["scan"],
        &["kwic", "two-heavy,two-new", "--width", "4"],
        &["kwic", "two-new", "--limit", "2500"],
        &["count", "--by", "doc"],
        &["cooc", "--sites", "--unit", "sentence"],
        &["corpus", "--by", "doc"],
    ];
    for command in commands {
        let csv = run(&w, "lexicon.toml", "1", command, &["many"], &[]);
        let rows = csv.stdout.lines().count() - 1;
        assert!(rows > 2000, "{command:?}: {rows} rows");
        for format in ["csv", "json", "jsonl", "md"] {
            let command = [&["--format", format], *command].concat();
            let one = run(&w, "lexicon.toml", "1", &command, &["many"], &[]);
            for threads in ["2", "3"] {
                let more =
                    run(&w, "lexicon.toml", threads, &command, &["many"], &[]);
                assert!(
                    one.stdout == more.stdout,
                    "{command:?} differs with -j {threads}"
                );
            }
            if format == "json" {
                let json: Vec<serde_json::Value> =
                    serde_json::from_str(&one.stdout).unwrap();
                assert_eq!(json.len(), rows, "{command:?}");
                let first = csv.stdout.split([',', '\n']).next().unwrap();
                let column: Vec<&str> =
                    json.iter().map(|r| r[first].as_str().unwrap()).collect();
                assert_eq!(column, csv.first_column(), "{command:?}");
            }
        }
    }
}

/// One large file, whose batches are matched by the pool while the
/// thread reading it reads on, and the same records as five files, the
/// last of which is spread so once the others are read: every command
/// gives the same bytes with one, two or three threads, aggregates and
/// rows in corpus order alike, with the lexicon's whole-word rule kept
/// (jieba, at match sites).
#[test]
fn large_files_give_the_same_bytes_whatever_the_threads() {
    let w = Workdir::new();
    w.write(
        "traps.toml",
        std::fs::read_to_string(root().join(TRAPS)).unwrap(),
    );
    let mut jsonl = String::new();
    for i in 0..16_000 {
        let text = match i % 5 {
            0 => "无关内容，没有提法",
            1 => "加快“两重”建设和“两新”政策落地",
            2 => "两新组织的党建工作，冰火两重天",
            3 => "Two heavy projects and two new policies, AI+ too",
            _ => "两新一重和人工智能＋，两重性",
        };
        let month = i % 12 + 1;
        jsonl.push_str(&format!(
            "{{\"id\":\"r{i}\",\"date\":\"2025-{month:02}-01\",\"text\":\"第{i}条：{text}。\"}}\n"
        ));
    }
    // Over a megabyte: about ten batches.
    assert!(jsonl.len() > 1 << 20);
    // Four small files and a large one: a thread done with the small
    // ones helps with the large one.
    let lines: Vec<&str> = jsonl.lines().collect();
    let (small, large) = lines.split_at(2000);
    for (k, part) in small.chunks(500).chain([large]).enumerate() {
        w.write(&format!("parts/{k}.jsonl"), part.join("\n"));
    }
    w.write("big.jsonl", jsonl);
    let commands: &[&[&str]] = &[
        &["count"],
        &["count", "--by", "month", "--all"],
        &["count", "--by", "doc"],
        &["trend", "--period", "month"],
        &["cooc", "--unit", "sentence"],
        &["cooc", "--sites", "--unit", "sentence"],
        &["scan", "--format", "jsonl"],
        &["kwic", "two-heavy,two-new", "--width", "4"],
        &["corpus", "--by", "month"],
        &["nesting"],
    ];
    for (command, input) in
        commands.iter().flat_map(|c| [(c, "big.jsonl"), (c, "parts")])
    {
        let one = run(&w, "traps.toml", "1", command, &[input], &[]);
        assert!(one.stdout.lines().count() > 1, "{command:?}: {}", one.stdout);
        for threads in ["2", "3"] {
            let more = run(&w, "traps.toml", threads, command, &[input], &[]);
            assert!(
                one.stdout == more.stdout,
                "{command:?} over {input} differs with -j {threads}"
            );
            // The same warnings, and the same summary but its timing.
            let untimed = |stderr: &str| {
                stderr.split(" in ").next().unwrap().to_string()
            };
            assert_eq!(untimed(&one.stderr), untimed(&more.stderr));
        }
    }
}
