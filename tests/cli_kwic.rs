//! `tifa kwic` end to end: concordance lines, their order, line breaks,
//! and reproducible samples for audits.

use crate::cli_scan::records;
use crate::util::{
    CORPUS, TRAPS, Workdir, on_a_terminal, snapshot_settings, tifa, with_traps,
};

const TERMS: &str = "两重,白名单,new-quality-productive-forces,AI+";

fn kwic(args: &[&str]) -> String {
    with_traps(&[&["kwic"], args].concat())
}

#[test]
fn formats() {
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("kwic_csv", kwic(&[TERMS, CORPUS]));
        insta::assert_snapshot!(
            "kwic_table",
            kwic(&[TERMS, CORPUS, "--width", "8", "--format", "table"])
        );
        insta::assert_snapshot!(
            "kwic_sort_left",
            kwic(&[
                TERMS,
                CORPUS,
                "--width",
                "6",
                "--sort",
                "left",
                "--status",
                "confirmed,unconfirmed"
            ])
        );
        insta::assert_snapshot!(
            "kwic_sort_right",
            kwic(&[TERMS, CORPUS, "--width", "6", "--sort", "right"])
        );
        insta::assert_snapshot!(
            "kwic_sample",
            kwic(&[
                TERMS, CORPUS, "--width", "6", "--sample", "2", "--seed", "7"
            ])
        );
    });
}

/// Piped output is plain: no terminal styles in any format.
#[test]
fn piped_output_has_no_styles() {
    for format in ["table", "csv", "json", "jsonl", "md"] {
        assert!(
            !kwic(&[TERMS, CORPUS, "--format", format]).contains('\x1b'),
            "{format}"
        );
    }
}

/// kwic on a terminal (see [`on_a_terminal`]), with `env` set: stdout as
/// the terminal shows it.
fn kwic_on_a_terminal(env: &[(&str, &str)]) -> Option<String> {
    let args = ["--lexicon", TRAPS, "-q", "kwic", "两重", CORPUS];
    on_a_terminal(&[&args[..], &["--width", "2"]].concat(), env)
}

/// The match is bold on a terminal, but not with NO_COLOR, nor on a
/// terminal that shows escape codes as text (TERM=dumb).
#[test]
fn terminal_styles_unless_no_color_or_a_dumb_terminal() {
    // Without `script`, no pseudo-terminal to test on.
    let Some(styled) = kwic_on_a_terminal(&[("TERM", "xterm")]) else {
        return;
    };
    assert!(styled.contains("\x1b[1m两重\x1b[0m"), "{styled}");
    for env in [
        [("TERM", "dumb"), ("NO_COLOR", "")],
        [("TERM", "xterm"), ("NO_COLOR", "1")],
    ] {
        let plain = kwic_on_a_terminal(&env).unwrap();
        assert!(plain.contains("两重"), "{env:?}: {plain}");
        assert!(!plain.contains('\x1b'), "{env:?}: {plain}");
    }
}

#[test]
fn sort_left_reads_right_to_left_and_sort_right_left_to_right() {
    let args = [TERMS, CORPUS, "examples", "--width", "5"];
    let left: Vec<String> =
        records(&kwic(&[&args[..], &["--sort", "left"]].concat()))
            .iter()
            .map(|r| {
                r["left"].chars().rev().collect::<String>().to_lowercase()
            })
            .collect();
    assert!(left.len() > 5);
    assert!(left.windows(2).all(|w| w[0] <= w[1]), "{left:#?}");
    let right: Vec<String> =
        records(&kwic(&[&args[..], &["--sort", "right"]].concat()))
            .iter()
            .map(|r| r["right"].to_lowercase())
            .collect();
    assert!(right.windows(2).all(|w| w[0] <= w[1]), "{right:#?}");
    assert_ne!(left, right);
}

#[test]
fn line_breaks_show_as_one_symbol_each() {
    let w = Workdir::new();
    let doc = w.write("doc.txt", "甲\r\n乙\r丙\n丁人工智能+戊\r\n\r\n己庚辛");
    let out = kwic(&["人工智能+", doc.to_str().unwrap(), "--width", "7"]);
    let rows = records(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["left"], "甲⏎乙⏎丙⏎丁");
    assert_eq!(rows[0]["match"], "人工智能+");
    assert_eq!(rows[0]["right"], "戊⏎⏎己庚辛");
    let narrow =
        records(&kwic(&["人工智能+", doc.to_str().unwrap(), "--width", "2"]));
    assert_eq!(
        (narrow[0]["left"].as_str(), narrow[0]["right"].as_str()),
        ("⏎丁", "戊⏎")
    );
}

#[test]
fn limit_keeps_the_first_lines() {
    let all = records(&kwic(&[TERMS, CORPUS]));
    let three = records(&kwic(&[TERMS, CORPUS, "--limit", "3"]));
    assert_eq!(&all[..3], &three[..]);
    // 0 is no limit, as for `discover`.
    assert_eq!(records(&kwic(&[TERMS, CORPUS, "--limit", "0"])), all);
}

#[test]
fn sample_is_reproducible_and_per_term() {
    let sample = |seed: &str, threads: &str| {
        let run = tifa(&[
            "--lexicon",
            TRAPS,
            "-j",
            threads,
            "kwic",
            TERMS,
            CORPUS,
            "examples",
            "--sample",
            "2",
            "--seed",
            seed,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let a = sample("42", "1");
    assert_eq!(a, sample("42", "2"));
    assert_eq!(a, sample("42", "1"));
    let rows = records(&a);
    for term in [
        "two-heavy",
        "property-whitelist",
        "new-quality-productive-forces",
        "ai-plus",
    ] {
        let n = rows.iter().filter(|r| r["term"] == term).count();
        assert_eq!(n, 2, "{term}");
    }
    assert!(rows.iter().all(|r| r["correct"].is_empty()));
    // The seed matters (ai-plus has enough matches for samples to differ).
    assert!(["1", "2", "3"].iter().any(|s| sample(s, "2") != a));
}

#[test]
fn sample_to_a_file_is_a_sheet_for_excel() {
    let w = Workdir::new();
    let sheet = w.path("audit.csv");
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "kwic",
        TERMS,
        CORPUS,
        "--sample",
        "3",
        "-o",
        sheet.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&sheet).unwrap();
    assert!(bytes.starts_with(
        b"\xEF\xBB\xBFdoc,date,term,left,match,right,start,correct\n"
    ));
}

#[test]
fn unknown_term_exits_2_naming_it() {
    let run = tifa(&["--lexicon", TRAPS, "kwic", "两重,三重", CORPUS]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown term \"三重\""), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

/// Context wider than a spreadsheet cell holds is refused.
#[test]
fn width_beyond_a_cell_is_refused() {
    let run = tifa(&["kwic", "two-heavy", "--width", "32768", CORPUS]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("32768 is not in 0..=32767"),
        "{}",
        run.stderr
    );
}

/// A form that holds a comma is one term, not two names.
#[test]
fn a_form_with_a_comma_is_one_term() {
    let w = Workdir::new();
    let file = w.write("hk.txt", "He upheld one country, two systems.");
    let run =
        tifa(&["kwic", "one country, two systems", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(",one-country-two-systems,"),
        "{}",
        run.stdout
    );
}

/// A form holding commas stays whole beside other names; a piece that is
/// no term is still an error naming it.
#[test]
fn a_form_with_commas_mixes_with_other_terms() {
    let w = Workdir::new();
    let file = w.write(
        "mix.txt",
        "Amity, sincerity, mutual benefit and inclusiveness guide it. 发展新质生产力。",
    );
    let file = file.to_str().unwrap();
    let terms =
        "amity, sincerity, mutual benefit and inclusiveness,新质生产力";
    let run = tifa(&["kwic", terms, file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for id in [
        ",amity-sincerity-mutual-benefit-inclusiveness,",
        ",new-quality-productive-forces,",
    ] {
        assert!(run.stdout.contains(id), "{id}: {}", run.stdout);
    }
    let run = tifa(&["kwic", "amity, sincerity,新质生产力", file]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown term \"amity\""), "{}", run.stderr);
}

/// Markdown cells show kwic context as written: what GitHub would read as
/// emphasis, code, HTML, a link, an entity, math or a cell boundary is
/// escaped; an underscore inside a word is not. A date column left empty
/// (stdin has no date) is text, aligned left.
#[test]
fn markdown_cells_render_literally() {
    let text = "*a* _b_ `c` <b>x</b> | [l](u) &amp; ~s~ $x$ 发展新质生产力。snake_case";
    let run = Workdir::new().run_with(
        &["kwic", "新质生产力", "--width", "60", "--format", "md", "-"],
        text.as_bytes(),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "| doc | date | term | left | match | right | start |"
    );
    assert_eq!(lines[1], "| --- | --- | --- | --- | --- | --- | ---: |");
    assert!(
        lines[2].contains(
            r"| \*a\* \_b\_ \`c\` \<b\>x\</b\> \| \[l\](u) \&amp; \~s\~ \$x\$ 发展 | 新质生产力 | 。snake_case |"
        ),
        "{}",
        lines[2]
    );
}

/// A short press-style article holding two-new, two-heavy, AI+ and the
/// property whitelist.
const PRESS: &str = "新华社北京3月5日电 政府工作报告提出，加力扩围实施“两新”政策，\
统筹推进“两重”建设项目，开展“人工智能＋”行动。\
各地城市房地产融资协调机制推动白名单项目贷款投放，保障房地产项目建设交付。\n";

/// The term ids of a kwic run's CSV rows, each once, in order.
fn ids(stdout: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for r in records(stdout) {
        if !ids.contains(&r["term"]) {
            ids.push(r["term"].clone());
        }
    }
    ids
}

/// TERMS as a Chinese keyboard types them (full-width and enumeration
/// commas, a full-width ＋ and letters, any case) and as `count` prints
/// them (label_en, label_zh) name the same terms as ids do.
#[test]
fn terms_as_typed_on_a_chinese_keyboard_or_copied_from_count() {
    let w = Workdir::new();
    let doc = w.write("a1.txt", PRESS);
    let doc = doc.to_str().unwrap();
    for (terms, want) in [
        ("两新，两重", &["two-new", "two-heavy"][..]),
        ("两新、两重", &["two-new", "two-heavy"]),
        ("两新 ， 两重,", &["two-new", "two-heavy"]),
        ("人工智能＋", &["ai-plus"]),
        ("ＡＩ＋", &["ai-plus"]),
        ("two major", &["two-heavy"]),
        ("Two Major，白名单", &["two-heavy", "property-whitelist"]),
        ("property project whitelist", &["property-whitelist"]),
    ] {
        let run = tifa(&["kwic", terms, doc]);
        assert_eq!(run.code, 0, "{terms}: {}", run.stderr);
        let mut got = ids(&run.stdout);
        let mut want: Vec<String> =
            want.iter().map(|s| s.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{terms}");
    }
}

/// `tifa kwic corpus/` (no terms): the folder was taken for the terms, and
/// the hint says so rather than how to read stdin.
#[test]
fn a_folder_without_terms_gets_a_hint() {
    let w = Workdir::new();
    w.write("corpus/a1.txt", PRESS);
    let run = w.run_with(
        &["kwic", "--width", "5", "corpus"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(
            "<INPUT>...; \"corpus\" is a folder: the terms come before the \
             inputs (tifa kwic TERMS INPUT...); see tifa kwic --help\n"
        ),
        "{}",
        run.stderr
    );
}

/// `tifa kwic a1.txt 两新` (inputs first) names the file and the order.
#[test]
fn terms_after_the_inputs_get_a_hint() {
    let w = Workdir::new();
    w.write("a1.txt", PRESS);
    let run = w.run_with(&["kwic", "a1.txt", "两新"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "tifa: unknown term \"a1.txt\": not an id, form or label in lexicon \
         \"tifa-default\" (see `tifa lexicon list`); \"a1.txt\" is a file: \
         the terms come before the inputs (tifa kwic TERMS INPUT...)\n"
    );
    assert!(run.stdout.is_empty());
    // A name that is no path gets no such hint.
    let run = w.run_with(&["kwic", "三重", "a1.txt"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains("is a file"), "{}", run.stderr);
}

/// A label two terms share names neither: an error naming both.
#[test]
fn a_label_two_terms_share_is_an_error_naming_both() {
    let w = Workdir::new();
    let lex = w.write(
        "lex.toml",
        "[[term]]\nid = \"old-plan\"\nlabel_en = \"the plan\"\nzh = [\"旧规划\"]\ncategory = \"c\"\n\n\
         [[term]]\nid = \"new-plan\"\nlabel_en = \"The Plan\"\nzh = [\"新规划\"]\ncategory = \"c\"\n",
    );
    let doc = w.write("d.txt", "旧规划让位于新规划。");
    let args = ["--lexicon", lex.to_str().unwrap(), "kwic"];
    let run =
        tifa(&[&args[..], &["the plan", doc.to_str().unwrap()]].concat());
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "tifa: ambiguous term \"the plan\": a label of terms \"new-plan\" \
         and \"old-plan\"; name one by its id\n"
    );
    let run = tifa(
        &[&args[..], &["new-plan、旧规划", doc.to_str().unwrap()]].concat(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&run.stdout), ["old-plan", "new-plan"]);
}

/// `match` is the exact quote in CSV and JSON (as `scan`'s is); a table
/// and Markdown, whose rows must stay lines, show its line break as ⏎,
/// as they show the context's.
#[test]
fn match_is_the_exact_quote_in_data_formats() {
    let w = Workdir::new();
    let doc = w.write("w.txt", "推进“两\r\n重”建设项目");
    let doc = doc.to_str().unwrap();
    let json = tifa(&["kwic", "两重", doc, "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows[0]["match"], "两\r\n重");
    assert_eq!(rows[0]["left"], "推进“");
    let csv = records(&tifa(&["kwic", "两重", doc]).stdout);
    assert_eq!(csv[0]["match"], "两\r\n重");
    for format in ["table", "md"] {
        let run = tifa(&["kwic", "两重", doc, "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("两⏎重"), "{format}: {}", run.stdout);
        assert_eq!(
            run.stdout.lines().count(),
            if format == "md" { 3 } else { 2 }
        );
    }
}

/// `-o` named as a workbook is refused before anything is read: tifa
/// writes CSV, which Excel refuses under such a name.
#[test]
fn a_workbook_name_is_refused_and_nothing_written() {
    let w = Workdir::new();
    let doc = w.write("a1.txt", PRESS);
    let kept = w.write("old.xls", "a previous file");
    for name in ["quotes.xlsx", "old.xls", "Q.NUMBERS", "q.ods"] {
        let out = w.path(name);
        let run = tifa(&[
            "kwic",
            "两新",
            doc.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 2, "{name}");
        let stem = out.with_extension("csv");
        assert_eq!(
            run.stderr,
            format!(
                "tifa: {}: tifa writes no .{} workbook; name it {} (Excel \
                 opens CSV, Chinese included); nothing written\n",
                out.display(),
                out.extension().unwrap().to_str().unwrap(),
                stem.display()
            )
        );
    }
    assert!(!w.path("quotes.xlsx").exists());
    assert_eq!(std::fs::read_to_string(kept).unwrap(), "a previous file");
    let entries = std::fs::read_dir(w.dir.path()).unwrap().count();
    assert_eq!(entries, 2, "a1.txt and old.xls only");
}

/// `--limit` and `--sample` say what they kept of how many lines (per
/// term for a sample, the population a precision is weighed by): lines
/// cut without a word read as all there are.
#[test]
fn limit_and_sample_say_what_they_left_out() {
    let run = tifa(&["kwic", "--limit", "3", "两新,两重", "examples/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 4);
    assert!(
        run.stderr.starts_with("tifa: kwic: 3 of 10 lines (--limit 3)\n"),
        "{}",
        run.stderr
    );
    let run =
        tifa(&["kwic", "--sample", "3", "两新,两重,白名单", "examples/"]);
    assert!(
        run.stderr.starts_with(
            "tifa: kwic --sample 3: property-whitelist 3 of 8, two-heavy 3 of 6, two-new 3 of 7\n"
        ),
        "{}",
        run.stderr
    );
    let count = tifa(&["count", "examples/"]);
    for (term, hits) in
        [("property-whitelist", 8), ("two-heavy", 6), ("two-new", 7)]
    {
        assert!(
            count.stdout.contains(&format!("\n{term},")),
            "{}",
            count.stdout
        );
        let row = count
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{term},")))
            .unwrap();
        assert_eq!(
            row.split(',').nth(4),
            Some(hits.to_string().as_str()),
            "{row}"
        );
    }
}
