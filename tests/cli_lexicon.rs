//! `tifa lexicon`: broken lexicons (exit 2, one positioned line per
//! problem, never a panic), each warning rule of `check`, `stats`, and the
//! round trips through `export` and `import`.

use crate::util::{Workdir, root, snapshot_settings, tifa, with_traps};

const GOOD_TERM: &str =
    "[[term]]\nid = \"a\"\nzh = [\"两重\"]\ncategory = \"economy\"\n";

/// (name, lexicon text, expected "file:line" prefix and a word of the message).
const BROKEN: &[(&str, &str, &str, &str)] = &[
    ("bad_toml", "[[term]]\nid = \"a\nzh = []\n", "bad.toml:2:", "string"),
    (
        "empty_form",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"两重\", \"  \"]\n",
        "bad.toml:4:",
        "empty",
    ),
    (
        "same_form_twice",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"两重\"]\n\n[[term]]\nid = \"b\"\ncategory = \"c\"\nzh = [\"两重\"]\n",
        "bad.toml:9:",
        "already a form of term \"a\"",
    ),
    (
        "official_not_english",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"两重\"]\nofficial = [\"两重\"]\n",
        "bad.toml:5:",
        "is not one of its English forms",
    ),
    (
        "unknown_field",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"x\"]\nforms = [\"y\"]\n",
        "bad.toml:5:",
        "forms",
    ),
    (
        "bad_date",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"x\"]\nfirst_official_use = \"March 2024\"\n",
        "bad.toml:5:",
        "first_official_use",
    ),
    ("no_terms", "[lexicon]\nname = \"x\"\n", "bad.toml:1:", "no [[term]]"),
    (
        "empty_near_word",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"两重\"]\ncontext = { near = [\"项目\", \" \"] }\n",
        "bad.toml:5:",
        "near word \" \" is empty",
    ),
    (
        "window_zero",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"两重\"]\ncontext = { near = [\"项目\"], window = 0 }\n",
        "bad.toml:5:",
        "context window is 0: it counts characters on each side of a match, 1 or more",
    ),
    (
        "bad_id",
        "[[term]]\nid = \"Two Heavy\"\ncategory = \"c\"\nzh = [\"x\"]\n",
        "bad.toml:2:",
        "slug",
    ),
    (
        "nests_unknown_id",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"x\"]\nnests = [\"zz\"]\n",
        "bad.toml:5:",
        "unknown term id: \"zz\"",
    ),
    (
        "nests_itself",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"x\"]\nnests = [\"a\"]\n",
        "bad.toml:5:",
        "nests itself",
    ),
];

#[test]
fn broken_lexicons_exit_2_with_file_and_line() {
    for &(name, text, prefix, word) in BROKEN {
        let w = Workdir::new();
        let lex = w.write("bad.toml", text);
        let doc = w.write("doc.txt", "两重");
        let lex = lex.to_str().unwrap();
        let run = tifa(&["--lexicon", lex, "count", doc.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains(prefix) && first.contains(word),
            "{name}: {first}"
        );
        assert!(run.stdout.is_empty(), "{name}");
        let check = tifa(&["lexicon", "check", lex]);
        assert_eq!(check.code, 2, "{name}");
        assert!(check.stdout.contains(prefix), "{name}: {}", check.stdout);
    }
}

#[test]
fn invalid_utf8_names_the_line() {
    let w = Workdir::new();
    let mut text = GOOD_TERM.as_bytes().to_vec();
    text.extend(b"note = \"\xFF\"\n");
    w.write("lex/bad.toml", &text);
    w.write("lex/worse.toml", [&b"\xFE"[..], &text].concat());
    let run = tifa(&["lexicon", "check", w.path("lex").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    // Every file with bad bytes is named, not only the first.
    for want in ["bad.toml:5: error: invalid UTF-8", "worse.toml:1: error"] {
        assert!(run.stdout.contains(want), "{want}: {}", run.stdout);
    }
}

/// The commands that write their own format refuse `--format`.
#[test]
fn format_is_refused_where_it_does_not_apply() {
    for args in [
        &["lexicon", "check"][..],
        &["lexicon", "export"],
        &["lexicon", "import", "sheet.csv"],
    ] {
        let run = tifa(&[&["--format", "json"], args].concat());
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(
            run.stderr.ends_with("; --format is for list and stats\n"),
            "{}",
            run.stderr
        );
    }
}

/// `lexicon check` prints its problems; `-o` is refused, not ignored.
#[test]
fn check_refuses_an_output_file() {
    let w = Workdir::new();
    let out = w.path("check.txt");
    let run = tifa(&["-o", out.to_str().unwrap(), "lexicon", "check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("-o is for list, stats, export"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

/// A sheet given where a lexicon is expected is named as one, with the
/// command that turns it into TOML, not as a TOML error on line 1.
#[test]
fn csv_given_as_lexicon_says_import_it() {
    let w = Workdir::new();
    let sheet = w.write("l.CSV", "id,category,zh\na,economy,两重\n");
    let doc = w.write("doc.txt", "两重");
    let sheet = sheet.to_str().unwrap();
    let want = format!(
        "tifa: {sheet} is a CSV sheet: turn it into TOML with `tifa lexicon import {sheet} -o lexicon.toml`\n"
    );
    for args in [
        &["lexicon", "check", sheet][..],
        &["--lexicon", sheet, "lexicon", "check"],
        &["--lexicon", sheet, "count", doc.to_str().unwrap()],
    ] {
        let run = tifa(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stderr, want, "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn good_lexicon_with_bom_passes() {
    let w = Workdir::new();
    let lex = w.write("ok.toml", format!("\u{feff}{GOOD_TERM}"));
    let run = tifa(&["lexicon", "check", lex.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

#[test]
fn default_lexicon_has_no_errors() {
    let run = tifa(&["lexicon", "check"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(!run.stdout.contains("error:"), "{}", run.stdout);
}

#[test]
fn folder_of_lexicons() {
    let w = Workdir::new();
    w.write("lex/a.toml", GOOD_TERM);
    // Any case of the extension; a file given again is read once; a
    // subfolder is read, as a corpus folder's are; hidden files (a Mac's
    // `._a.toml` on a shared drive, a draft) are not lexicon files.
    w.write(
        "lex/b.TOML",
        GOOD_TERM.replace("\"a\"", "\"b\"").replace("两重", "两新"),
    );
    w.write(
        "lex/more/c.toml",
        GOOD_TERM.replace("\"a\"", "\"c\"").replace("两重", "新质生产力"),
    );
    w.write("lex/._a.toml", b"\x00\x05\x16\x07 Mac OS X");
    w.write("lex/.draft/d.toml", "broken = [");
    let run = tifa(&[
        "--lexicon",
        w.path("lex").to_str().unwrap(),
        "--lexicon",
        w.path("lex/a.toml").to_str().unwrap(),
        "lexicon",
        "list",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "id,label_zh,label_en,category,zh,en\na,两重,,economy,两重,\nb,两新,,economy,两新,\nc,新质生产力,,economy,新质生产力,\n"
    );
    // One `[lexicon]` table is used; another is a warning.
    w.write("two/a.toml", format!("[lexicon]\nname = \"x\"\n{GOOD_TERM}"));
    w.write("two/b.toml", "[lexicon]\nname = \"y\"\n");
    let run = tifa(&["lexicon", "check", w.path("two").to_str().unwrap()]);
    assert!(
        run.stdout
            .contains("b.toml:1: warning: [lexicon] given again: the one in ")
            && run.stderr.contains("lexicon \"x\""),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

/// An analysis command shows what the lexicon's warnings say was ignored,
/// by file and line, and still runs; `--quiet` hides them.
#[test]
fn analysis_commands_show_lexicon_warnings() {
    let w = Workdir::new();
    w.write(
        "lex.toml",
        GOOD_TERM.replace("[\"两重\"]", "[\"两重\", \"两重\"]"),
    );
    w.write("a.txt", "推进两重建设。");
    let lexicon = w.path("lex.toml");
    let args = ["--lexicon", lexicon.to_str().unwrap(), "count"];
    let input = w.path("a.txt");
    let run = tifa(&[&args[..], &[input.to_str().unwrap()]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\na,两重,,economy,1,1,0,"), "{}", run.stdout);
    let warning = "lex.toml:3: warning: term \"a\": form \"两重\" is listed twice (line 3); ignored";
    assert!(run.stderr.contains(warning), "{}", run.stderr);
    // A form that differs only in case is named with the one it repeats.
    w.write(
        "case.toml",
        "[[term]]\nid = \"a\"\ncategory = \"c\"\nen = [\"dual carbon\",\n  \"Dual Carbon\"]\n",
    );
    let run =
        tifa(&["lexicon", "check", w.path("case.toml").to_str().unwrap()]);
    assert!(
        run.stdout.contains(
            "case.toml:5: warning: term \"a\": form \"Dual Carbon\" matches as \"dual carbon\" does (line 4): case, full-width forms and the kind of quote marks do not matter; ignored"
        ),
        "{}",
        run.stdout
    );
    let quiet =
        tifa(&[&["-q"][..], &args, &[input.to_str().unwrap()]].concat());
    assert_eq!((quiet.code, quiet.stderr.as_str()), (0, ""));
}

/// A form in traditional characters is linted, and `--t2s` converts the
/// lexicon as it converts the text, so that the form matches both scripts;
/// a converted form that another term has counts for that term, with a
/// warning.
#[test]
fn traditional_forms_under_t2s() {
    let w = Workdir::new();
    let lexicon = w.write(
        "trad.toml",
        "[[term]]\nid = \"nqpf\"\nzh = [\"新質生產力\"]\nen = [\"new quality productive forces\"]\ncategory = \"c\"\n\n\
         [[term]]\nid = \"a\"\nzh = [\"内卷式竞争\"]\nen = [\"involution\"]\ncategory = \"c\"\n\n\
         [[term]]\nid = \"b\"\nzh = [\"內卷式競爭\"]\nen = [\"rat race\"]\ncategory = \"c\"\n",
    );
    let lexicon = lexicon.to_str().unwrap();
    let check = tifa(&["lexicon", "check", lexicon]);
    let warnings: Vec<&str> =
        check.stdout.lines().filter(|l| l.contains(" characters")).collect();
    assert_eq!(warnings.len(), 2, "{}", check.stdout);
    assert!(warnings[0].contains("trad.toml:3: warning: term \"nqpf\": \"新質生產力\" is in traditional characters"), "{}", warnings[0]);
    assert!(warnings[1].contains("trad.toml:15: warning: term \"b\": \"內卷式競爭\" is \"内卷式竞争\" in simplified characters, a form of term \"a\""), "{}", warnings[1]);
    let text = w.write("t.txt", "发展新質生產力。发展新质生产力。內卷式競爭");
    let terms = |extra: &[&str]| {
        let args = [
            &["--lexicon", lexicon, "scan"][..],
            extra,
            &[text.to_str().unwrap()],
        ]
        .concat();
        let run = tifa(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let terms: Vec<String> = run
            .stdout
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(2).unwrap().to_string())
            .collect();
        (terms, run.stderr)
    };
    assert_eq!(terms(&[]).0, ["nqpf", "b"]);
    let (converted, stderr) = terms(&["--t2s"]);
    assert_eq!(converted, ["nqpf", "nqpf", "a"]);
    assert!(stderr.contains("tifa: warning: --t2s: \"內卷式競爭\" of term \"b\" is \"内卷式竞争\", a form of term \"a\", which counts it"), "{stderr}");
}

/// Errors do not hide warnings, and every problem comes in line order:
/// a warning at line 3, an error at line 6, another at line 12 (the
/// `nests` error used to follow the date error, found first).
#[test]
fn check_shows_warnings_beside_errors_in_line_order() {
    let w = Workdir::new();
    let lex = w.write(
        "w.toml",
        "[lexicon]\nname = \"w\"\n[[term]]\nid = \"a\"\ncategory = \"c\"\n\
         nests = [\"zz\"]\nzh = [\"两重\"]\n[[term]]\nid = \"b\"\ncategory = \"c\"\n\
         en = [\"two new\"]\nfirst_official_use = \"March\"\n",
    );
    let run = tifa(&["lexicon", "check", lex.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let at: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split(": ").next().unwrap_or_default())
        .collect();
    assert!(
        at.len() == 3
            && at[0].ends_with("w.toml:3")
            && at[1].ends_with("w.toml:6")
            && at[2].ends_with("w.toml:12"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("w.toml:3: warning: term \"a\" has no English")
    );
    assert!(
        run.stderr.contains("tifa: 2 errors, 1 warning, 0 notes"),
        "{}",
        run.stderr
    );
}

/// A term table serde refuses (an unknown field, a window of -1) hides
/// none of the other problems: one run shows the misspelt field, the type
/// error, and the bad id and empty form of the table that holds it, each
/// on its line. The lexicon is still refused for counting.
#[test]
fn check_shows_every_problem_of_a_file_serde_refuses() {
    let w = Workdir::new();
    let lex = w.write(
        "b.toml",
        "[[term]]\nid = \"a\"\nzh = [\"大跃进\"]\nen = [\"x\"]\ncategory = \"era\"\n\
         exlcude = [\"y\"]\n[[term]]\nid = \"D_bad\"\nzh = [\"\"]\ncategory = \"era\"\n\
         context = { near = [\"总路线\"], window = -1 }\n",
    );
    let lex = lex.to_str().unwrap();
    let run = tifa(&["lexicon", "check", lex]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    for want in [
        "b.toml:6: error: unknown field `exlcude` in [[term]], expected one of id,",
        "b.toml:8: error: term id \"D_bad\" must be a slug",
        "b.toml:9: error: term \"D_bad\": form \"\" is empty",
        "b.toml:11: error: context.window: invalid value: integer `-1`, expected a whole number",
    ] {
        assert!(run.stdout.contains(want), "{want}: {}", run.stdout);
    }
    let errors = run.stdout.lines().filter(|l| l.contains(": error: "));
    assert_eq!(errors.count(), 5, "{}", run.stdout);
    let doc = w.write("doc.txt", "大跃进");
    let count = tifa(&["--lexicon", lex, "count", doc.to_str().unwrap()]);
    assert_eq!(count.code, 2, "{}", count.stderr);
    assert!(count.stdout.is_empty());
    assert!(
        count
            .stderr
            .contains("b.toml:11: error: context.window: invalid value")
    );
}

/// The summary names the lexicon without a gap where no version is set,
/// and counts one term in the singular.
#[test]
fn check_summary_spacing_and_plural() {
    let w = Workdir::new();
    let lex =
        w.write("w.toml", format!("[lexicon]\nname = \"w\"\n{GOOD_TERM}"));
    let run = tifa(&["lexicon", "check", lex.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("tifa: lexicon \"w\": 1 term, 0 errors, 1 warning"),
        "{}",
        run.stderr
    );
    let lex = w.write(
        "v.toml",
        format!("[lexicon]\nname = \"v\"\nversion = \"2.0\"\n{GOOD_TERM}"),
    );
    let run = tifa(&["lexicon", "check", lex.to_str().unwrap()]);
    assert!(
        run.stderr.contains("tifa: lexicon \"v\" 2.0: 1 term,"),
        "{}",
        run.stderr
    );
}

/// A term with Chinese and English forms, for the rule cases below.
fn term(id: &str, zh: &str, en: &str, extra: &str) -> String {
    format!(
        "[[term]]\nid = \"{id}\"\ncategory = \"c\"\nzh = [{zh}]\nen = [{en}]\n{extra}"
    )
}

/// (name, lexicon, the one warning expected: "file:line" prefix and a word
/// of the message). Each lexicon has that warning and no other.
fn warning_cases() -> Vec<(&'static str, String, &'static str, &'static str)> {
    let a = term("a", "\"新质生产力\"", "\"npf\"", "");
    vec![
        (
            "form_inside_a_longer_form",
            a.clone()
                + &term("b", "\"因地制宜发展新质生产力\"", "\"local\"", ""),
            "w.toml:4:",
            "add \"a\" to the nests of \"b\"",
        ),
        (
            "form_inside_an_exclusion",
            term("a", "\"生态文明\"", "\"eco\"", "")
                + &term(
                    "b",
                    "\"文明思想\"",
                    "\"thought\"",
                    "exclude = [\"生态文明思想\"]\n",
                ),
            "w.toml:4:",
            "inside exclusion \"生态文明思想\" of term \"b\"",
        ),
        (
            "nests_without_nesting",
            a.clone()
                + &term("b", "\"高质量发展\"", "\"hqd\"", "nests = [\"a\"]\n"),
            "w.toml:11:",
            "none of its forms contains a form of \"a\"",
        ),
        (
            "exclusion_without_form",
            term("a", "\"两重\"", "\"two heavy\"", "exclude = [\"冰火\"]\n"),
            "w.toml:6:",
            "contains none of its forms",
        ),
        (
            "english_without_letters",
            term("a", "\"两重\"", "\"two heavy\", \"+\"", ""),
            "w.toml:5:",
            "no letter or digit",
        ),
        (
            "english_starts_with_hyphen",
            term("a", "\"两重\"", "\"-led growth\"", ""),
            "w.toml:5:",
            "starts with '-'",
        ),
        (
            "english_typographic_apostrophe",
            term("a", "\"人民城市\"", "\"people\u{2019}s city\"", ""),
            "w.toml:5:",
            "typographic quote",
        ),
        (
            "english_with_han",
            term("a", "\"人工智能+\"", "\"AI+行动\"", ""),
            "w.toml:5:",
            "list it under zh",
        ),
        (
            "chinese_without_han",
            term("a", "\"AI+\"", "\"AI Plus\"", ""),
            "w.toml:4:",
            "no Chinese character",
        ),
        (
            "times_sign_without_x",
            term("a", "\"数据要素×\"", "\"data elements x\"", ""),
            "w.toml:4:",
            "written with x",
        ),
        (
            "no_english",
            "[[term]]\nid = \"a\"\ncategory = \"c\"\nzh = [\"两重\"]\n".into(),
            "w.toml:1:",
            "no English rendering",
        ),
        (
            "near_word_inside_a_form",
            term(
                "a",
                "\"“内卷式”竞争\"",
                "\"involution\"",
                "context = { near = [\"竞争\"], window = 10 }\n",
            ),
            "w.toml:4:",
            "a match's own text never confirms it",
        ),
        (
            "near_word_holding_a_form",
            term(
                "a",
                "\"双碳\"",
                "\"dual carbon\"",
                "context = { near = [\"双碳目标\"], window = 10 }\n",
            ),
            "w.toml:4:",
            "the match's own \"双碳目标\" never confirms it",
        ),
        (
            "traditional_form",
            term("a", "\"新質生產力\"", "\"npf\"", ""),
            "w.toml:4:",
            "list \"新质生产力\" too",
        ),
    ]
}

#[test]
fn each_warning_rule_fails_only_strict() {
    for (name, text, prefix, word) in warning_cases() {
        let w = Workdir::new();
        let lex = w.write("w.toml", &text);
        let lex = lex.to_str().unwrap();
        let run = tifa(&["lexicon", "check", lex]);
        assert_eq!(run.code, 0, "{name}: {}", run.stdout);
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{name}: {}", run.stdout);
        assert!(
            lines[0].contains(prefix)
                && lines[0].contains("warning:")
                && lines[0].contains(word),
            "{name}: {}",
            lines[0]
        );
        let strict = tifa(&["lexicon", "check", "--strict", lex]);
        assert_eq!(strict.code, 2, "{name}");
        // The lexicon still loads: warnings never stop a count.
        let doc = w.write("doc.txt", "两重");
        let count = tifa(&["--lexicon", lex, "count", doc.to_str().unwrap()]);
        assert_eq!(count.code, 0, "{name}: {}", count.stderr);
    }
}

#[test]
fn acknowledged_nesting_and_handled_signs_pass_strict() {
    let cases = [
        term("a", "\"新质生产力\"", "\"npf\"", "")
            + &term(
                "b",
                "\"因地制宜发展新质生产力\"",
                "\"local\"",
                "nests = [\"a\"]\n",
            ),
        // A form inside another term's exclusion, acknowledged as nesting.
        term("a", "\"中国特色社会主义\"", "\"socialism\"", "")
            + &term(
                "b",
                "\"新时代中国特色社会主义\"",
                "\"new era\"",
                "nests = [\"a\"]\nexclude = [\"新时代中国特色社会主义经济思想\"]\n",
            ),
        // 数据要素x is matched by the shorter form.
        term("a", "\"数据要素×\", \"数据要素\"", "\"data elements x\"", ""),
        // English boundaries: "trade-in" is not inside "trade-ins".
        term("a", "\"以旧换新\"", "\"trade-in\"", "")
            + &term(
                "b",
                "\"消费品以旧换新补贴\"",
                "\"consumer trade-ins\"",
                "",
            )
            .replace("消费品以旧换新补贴", "消费品换新补贴"),
    ];
    for text in cases {
        let w = Workdir::new();
        let lex = w.write("ok.toml", &text);
        let run =
            tifa(&["lexicon", "check", "--strict", lex.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{text}\n{}", run.stdout);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
}

#[test]
fn plus_beyond_the_twin_limit_is_a_note() {
    let w = Workdir::new();
    let lex = w.write("n.toml", term("a", "\"互联网+\"", "\"Internet+\"", ""));
    let run = tifa(&["lexicon", "check", "--strict", lex.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.starts_with("n.toml:5: note:")
            || run.stdout.contains(":5: note:"),
        "{}",
        run.stdout
    );
    // In a curator's words, not the automaton's.
    assert!(
        run.stdout.contains("is converted to ASCII before matching")
            && !run.stdout.contains("automaton"),
        "{}",
        run.stdout
    );
}

#[test]
fn default_lexicon_passes_strict() {
    for args in [
        &["lexicon", "check", "--strict"][..],
        &["lexicon", "check", "--strict", "lexicons/"],
    ] {
        let run = tifa(args);
        assert_eq!(run.code, 0, "{}", run.stdout);
        assert!(!run.stdout.contains("warning:"), "{}", run.stdout);
    }
}

#[test]
fn stats_and_exports() {
    let run = |args: &[&str]| {
        let mut all = vec!["lexicon"];
        all.extend_from_slice(args);
        with_traps(&all)
    };
    snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "lexicon_stats",
            run(&["stats", "--format", "csv"])
        );
        insta::assert_snapshot!("lexicon_export_csv", run(&["export"]));
        insta::assert_snapshot!(
            "lexicon_export_quanteda",
            run(&["export", "--to", "quanteda-yaml"])
        );
        insta::assert_snapshot!(
            "lexicon_export_txt",
            run(&["export", "--to", "txt"])
        );
    });
}

/// Exports `lexicon` to CSV, imports it, exports the result again: the two
/// sheets are the same bytes and the two lexicons the same terms.
fn round_trip(lexicon: &std::path::Path) {
    let w = Workdir::new();
    let lex = lexicon.to_str().unwrap();
    let (a, b, c) = (w.path("a.csv"), w.path("b.toml"), w.path("c.csv"));
    let ok = |args: &[&str]| {
        let r = tifa(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    };
    ok(&["--lexicon", lex, "lexicon", "export", "-o", a.to_str().unwrap()]);
    ok(&["lexicon", "import", a.to_str().unwrap(), "-o", b.to_str().unwrap()]);
    let b = b.to_str().unwrap();
    ok(&["--lexicon", b, "lexicon", "export", "-o", c.to_str().unwrap()]);
    let (sheet_a, sheet_c) =
        (std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    assert!(sheet_a.starts_with(b"\xEF\xBB\xBF"), "a file gets a BOM");
    assert_eq!(
        String::from_utf8(sheet_a).unwrap(),
        String::from_utf8(sheet_c).unwrap()
    );
    let before = tifa::lexicon::load_path(&[lexicon]).unwrap().0;
    let after = tifa::lexicon::load_path(&[b]).unwrap().0;
    assert_eq!(before.terms, after.terms);
}

#[test]
fn csv_round_trips_are_lossless() {
    round_trip(&root().join("lexicons"));
    round_trip(&root().join(crate::util::TRAPS));
    // Bars, backslashes, quotes, formula-like cells, line breaks, labels
    // and every field.
    let w = Workdir::new();
    let tricky = w.write(
        "tricky.toml",
        r#"[[term]]
id = "plus"
label_zh = "加号"
label_en = "the plus"
zh = ["人工智能+", "a|b", "c\\d"]
en = ["+AI", "=SUM", "@home", "-minus x", "say \"hi\"", "'-ism"]
zh_expansions = ["人工智能加行动"]
en_expansions = ["AI Plus action plan"]
official = ["AI Plus action plan"]
category = "tech, and more"
first_official_use = "2024-03-05"
exclude = ["云+人工智能+"]
context = { near = ["行动", "action|plan"], window = 12 }
whole_word = true
nests = ["inner"]
note = """'= is a sign. Two lines,
with "quotes" and a comma."""

[[term]]
id = "inner"
zh = ["智能加"]
en = ["inner"]
category = "tech, and more"
"#,
    );
    round_trip(&tricky);
    // `list` joins forms as the sheet does: a bar inside a form escaped.
    let run =
        tifa(&["--lexicon", tricky.to_str().unwrap(), "lexicon", "list"]);
    assert!(
        run.stdout.contains(",人工智能+|a\\|b|c\\\\d|人工智能加行动,"),
        "{}",
        run.stdout
    );
    // JSON and JSON Lines hold lists: nothing to split, nothing escaped,
    // no formula guard (it is for spreadsheets).
    for format in ["json", "jsonl"] {
        let run = tifa(&[
            "--lexicon",
            tricky.to_str().unwrap(),
            "lexicon",
            "list",
            "--format",
            format,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let rows: Vec<serde_json::Value> = if format == "json" {
            serde_json::from_str(&run.stdout).unwrap()
        } else {
            run.stdout
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect()
        };
        assert_eq!(rows[0]["zh"], serde_json::json!(["智能加"]));
        assert_eq!(
            rows[1]["zh"],
            serde_json::json!(["人工智能+", "a|b", "c\\d", "人工智能加行动"])
        );
        assert_eq!(
            rows[1]["en"],
            serde_json::json!([
                "+AI",
                "=SUM",
                "@home",
                "-minus x",
                "say \"hi\"",
                "'-ism",
                "AI Plus action plan"
            ])
        );
    }
}

/// A `context_near` with an empty `context_window` imports, with the
/// window a TOML rule without one has (40), and the sheet exported from
/// it says so.
#[test]
fn import_context_without_window_takes_the_default() {
    let w = Workdir::new();
    let sheet = w.write(
        "sheet.csv",
        "id,category,zh,context_near,context_window\n\
         a,economy,白名单,房地产|项目,\n",
    );
    let toml = w.path("mine.toml");
    let run = tifa(&[
        "lexicon",
        "import",
        sheet.to_str().unwrap(),
        "-o",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run =
        tifa(&["--lexicon", toml.to_str().unwrap(), "lexicon", "export"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run.stdout.lines().nth(1).unwrap();
    assert!(row.contains(",房地产|项目,40,"), "{}", run.stdout);
    // A window without near words is still refused, at its line.
    let sheet = w.write(
        "sheet2.csv",
        "id,category,zh,context_near,context_window\n\
         a,economy,白名单,,40\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "sheet2.csv:2: error: column context_near: a context_window \
             needs context_near"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn import_errors_name_line_and_column() {
    let w = Workdir::new();
    let sheet = w.write(
        "sheet.csv",
        "id,category,zh,en,context_near,context_window,whole_word,first_official_use\n\
         a,economy,两重,two heavy,建设,forty,,\n\
         b,economy,两重|两新,two new,,,maybe,2024-13\n\
         c,economy,x\\y,c,,,,\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    for want in [
        "sheet.csv:2: error: column context_window: \"forty\"",
        "sheet.csv:3: error: column whole_word: \"maybe\"",
        "sheet.csv:4: error: column zh: a backslash",
    ] {
        assert!(run.stderr.contains(want), "{want}\n{}", run.stderr);
    }
    // Problems the lexicon check finds point into the sheet too.
    let sheet = w.write(
        "sheet2.csv",
        "id,category,zh,en,first_official_use\n\
         a,economy,两重,two heavy,\n\
         b,economy,两重|两新,two new,2024-13\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("sheet2.csv:3: error: column zh: term \"b\": form \"两重\" is already a form of term \"a\" (")
            && run.stderr.contains("sheet2.csv:2)\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("sheet2.csv:3: error: column first_official_use:"),
        "{}",
        run.stderr
    );
    // Lines as an editor shows them, after CRLF too; a quote never
    // closed is an error, not a note that swallows the rows after it.
    let sheet = w.write(
        "sheet4.csv",
        "id,category,zh\r\na,economy,两重\r\nb,economy,两重\r\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert!(
        run.stderr.contains("sheet4.csv:3: error: column zh: term \"b\": form \"两重\" is already a form of term \"a\" (")
            && run.stderr.contains("sheet4.csv:2)\n"),
        "{}",
        run.stderr
    );
    let sheet = w.write(
        "sheet5.csv",
        "id,category,zh,note\na,economy,两重,\"he said\nb,economy,两新,ok\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "tifa: {}:2: error: quoted field never closed (no closing \" before the end of the file)\n",
            sheet.display()
        )
    );
    let sheet = w.write("sheet3.csv", "id,category,synonyms\na,c,x\n");
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("sheet3.csv:1: error: column synonyms: unknown column"),
        "{}",
        run.stderr
    );
}

/// `rows` as CSV with `delimiter` and CRLF line ends, quoted only where
/// needed, as a spreadsheet saves a sheet.
fn sheet_text(rows: &[csv::StringRecord], delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        w.write_record(row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// The sheet of the default lexicon, saved again by a spreadsheet in each
/// of the ways Excel does (and with European separators), imports to a
/// lexicon whose export is the original sheet.
#[test]
fn sheets_saved_by_excel_round_trip() {
    let w = Workdir::new();
    let original = w.path("l.csv");
    let run = tifa(&["lexicon", "export", "-o", original.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let original = std::fs::read(&original).unwrap();
    let text = std::str::from_utf8(&original[3..]).unwrap();
    let all: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .into_records()
        .map(Result::unwrap)
        .collect();
    // "CSV (Comma delimited)" on Chinese Windows: GBK, CRLF, no BOM.
    let commas = sheet_text(&all, b',');
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&commas);
    assert!(!unmappable);
    // "Unicode text": UTF-16LE with a BOM, tab-separated.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in sheet_text(&all, b'\t').encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    // CSV where the comma is the decimal sign.
    let semicolons = sheet_text(&all, b';').into_bytes();
    // Two empty columns, as a spreadsheet pads the used range.
    let padded: Vec<csv::StringRecord> =
        all.iter().map(|r| r.iter().chain(["", ""]).collect()).collect();
    let padded = sheet_text(&padded, b',').into_bytes();
    for (file, bytes) in [
        ("gbk.csv", gbk.into_owned()),
        ("unicode.txt", utf16),
        ("semicolons.csv", semicolons),
        ("padded.csv", padded),
    ] {
        let sheet = w.write(file, bytes);
        let (toml, again) = (w.path("back.toml"), w.path("again.csv"));
        let (toml, again) = (toml.to_str().unwrap(), again.to_str().unwrap());
        let run =
            tifa(&["lexicon", "import", sheet.to_str().unwrap(), "-o", toml]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{file}: {}", run.stderr);
        let run = tifa(&["--lexicon", toml, "lexicon", "export", "-o", again]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        assert!(std::fs::read(again).unwrap() == original, "{file}");
    }
}

/// Bytes that are not valid in the sheet's encoding are an error at their
/// line, never replaced; a header holding another separator says so.
#[test]
fn import_refuses_invalid_bytes_and_names_separators() {
    let w = Workdir::new();
    let mut bytes = "id,category,zh\r\na,economy,两重\r\nb,economy,两新"
        .as_bytes()
        .to_vec();
    bytes.extend(b"\xFF\r\n");
    let sheet = w.write("bad.csv", &bytes);
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr,
        format!(
            "tifa: {}:3: error: bytes that are not valid UTF-8 (save the sheet as \"CSV UTF-8\" or \"Unicode text\")\n",
            sheet.display()
        )
    );
    let mut gbk = encoding_rs::GBK
        .encode(
            "id,category,zh,note\r\n\
             a,economy,两重,推进“两重”建设和“两新”工作\r\n\
             b,economy,两新,加快发展新质生产力\r\n",
        )
        .0
        .into_owned();
    gbk.extend(b"c,economy,\xFF,\r\n");
    let sheet = w.write("bad_gbk.csv", &gbk);
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "tifa: {}:4: error: bytes that are not valid gb18030",
            sheet.display()
        )),
        "{}",
        run.stderr
    );
    // A short GBK sheet is read, with a word that the encoding is a guess.
    let (short, _, _) =
        encoding_rs::GBK.encode("id,category,zh\r\na,economy,两重\r\n");
    let sheet = w.write("short.csv", short);
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("zh = [\"两重\"]"), "{}", run.stdout);
    assert!(
        run.stderr.contains("short.csv:1: warning: read as gb18030, a guess"),
        "{}",
        run.stderr
    );
    let sheet = w.write("mixed.csv", "id;category,zh\na;economy,两重\n");
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(":1: error: column id;category: unknown column (")
            && run.stderr.ends_with(
                "; the header holds ';': save the sheet with commas\n"
            ),
        "{}",
        run.stderr
    );
}

/// A row of another length than the header is an error in our words: the
/// line as an editor shows it (after CRLF too) and the columns by name,
/// never the CSV reader's record, line and 0-based field numbers.
#[test]
fn ragged_rows_name_line_and_columns() {
    let w = Workdir::new();
    let (gbk, _, _) = encoding_rs::GBK.encode(
        "id,category,zh,note\r\n\
         a,economy,推进两重建设,推进“两重”建设和“两新”工作\r\n\
         b,economy\r\n\
         c,economy,加快发展新质生产力,note,x\r\n",
    );
    let sheet = w.write("ragged.csv", gbk);
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let name = sheet.display();
    assert_eq!(
        run.stderr,
        format!(
            "tifa: {name}:3: error: the row has 2 cells and the header 4 columns: no cell under zh, note\n\
             tifa: {name}:4: error: the row has 5 cells and the header 4 columns: 1 cell right of column note\n"
        )
    );
}

/// Columns with an empty header are a spreadsheet's padding when their
/// cells are empty too; a cell under one is an error, said once per column.
#[test]
fn unnamed_columns_must_be_empty() {
    let w = Workdir::new();
    let sheet = w.write(
        "trail.csv",
        "id,category,zh,,\na,economy,两重,,\nb,economy,两新\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("id = \"b\""), "{}", run.stdout);
    let sheet = w.write(
        "named.csv",
        "id,,category,zh,\n\
         a, ,economy,两重,\n\
         b,x,economy,两新,y\n\
         c,x,economy,双碳,\n\
         d,,economy,双循环,,,\n\
         e,,economy,新基建,,,z\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let name = sheet.display();
    assert_eq!(
        run.stderr,
        format!(
            "tifa: {name}:3: error: column 2 has no name, yet this row has a cell in it: name the column or clear it\n\
             tifa: {name}:3: error: column 5 has no name, yet this row has a cell in it: name the column or clear it\n\
             tifa: {name}:6: error: the row has 7 cells and the header 5 columns: 2 cells right of column 5\n"
        )
    );
}

/// Dates as Excel set to Chinese shows them (YYYY/M/D, YYYY/M) import as
/// the schema writes them; a day 1 may be a month a spreadsheet made a
/// day, and says so. Forms other locales read otherwise are refused, with
/// the remedy.
#[test]
fn import_reads_chinese_excel_dates() {
    let w = Workdir::new();
    let sheet = w.write(
        "dates.csv",
        "id,category,zh,first_official_use\n\
         a,economy,两重,2024/3/5\n\
         b,economy,两新,2024/3\n\
         c,economy,双碳,2020/9/1\n\
         d,economy,双循环,2020-05\n",
    );
    let run = tifa(&["-q", "lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for want in
        ["\"2024-03-05\"", "\"2024-03\"", "\"2020-09-01\"", "\"2020-05\""]
    {
        let line = format!("first_official_use = {want}\n");
        assert!(run.stdout.contains(&line), "{want}: {}", run.stdout);
    }
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert!(
        run.stderr.contains(
            "dates.csv:4: warning: column first_official_use: \"2020/9/1\" read as 2020-09-01, though it may have been 2020-09 before a spreadsheet made it a day: format the column as Text before editing\n"
        ),
        "{}",
        run.stderr
    );
    let sheet = w.write(
        "bad_dates.csv",
        "id,category,zh,first_official_use\n\
         a,economy,两重,Mar-24\n\
         b,economy,两新,12/28/2017\n\
         c,economy,双碳,2024/2/30\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let name = sheet.display();
    let hint = "is not YYYY, YYYY-MM or YYYY-MM-DD; spreadsheets reformat dates: format the column as Text before editing";
    assert_eq!(
        run.stderr,
        format!(
            "tifa: {name}:2: error: column first_official_use: term \"a\": first_official_use \"Mar-24\" {hint}\n\
             tifa: {name}:3: error: column first_official_use: term \"b\": first_official_use \"12/28/2017\" {hint}\n\
             tifa: {name}:4: error: column first_official_use: term \"c\": first_official_use \"2024/2/30\" {hint}\n"
        )
    );
}

/// A control character in a label, category, note or `[lexicon]` field
/// (U+000B is what Excel and Word write for a line break in a cell) is an
/// error at its line, as in a form: SVG charts and HTML pages could not
/// hold it. A note may run over lines; a label may not.
#[test]
fn control_characters_in_labels_and_notes_are_errors() {
    let w = Workdir::new();
    let lex = w.write(
        "ctl.toml",
        "[lexicon]\n\
         name = \"ctl\"\n\
         description = \"\"\"Two\nlines are fine.\"\"\"\n\
         \n\
         [[term]]\n\
         id = \"rd\"\n\
         label_en = \"R&D\\u000Bspending\"\n\
         label_zh = \"研发\"\n\
         zh = [\"研发投入\"]\n\
         category = \"econ\\tomy\"\n\
         note = \"\"\"Seen in\n2024\\u0001.\"\"\"\n",
    );
    let run = tifa(&["lexicon", "check", lex.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let errors: Vec<&str> =
        run.stdout.lines().filter(|l| l.contains(": error: ")).collect();
    let at = |line: usize| format!("ctl.toml:{line}: error: term \"rd\": ");
    assert_eq!(errors.len(), 3, "{}", run.stdout);
    assert!(
        errors[0].ends_with(&format!(
            "{}label_en \"R&D\\u{{b}}spending\" contains the control character U+000B (a line break in an Excel or Word cell): write a space or nothing",
            at(8)
        )),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains(&format!("{}category", at(11))),
        "{}",
        errors[1]
    );
    assert!(errors[1].contains("U+0009"), "{}", errors[1]);
    assert!(errors[2].contains(&format!("{}note", at(12))), "{}", errors[2]);
    assert!(errors[2].contains("U+0001"), "{}", errors[2]);
    // Any command refuses the lexicon before reading, and writes nothing.
    let doc = w.write("doc.txt", "今年研发投入增长。");
    let out = w.path("rep");
    let run = tifa(&[
        "--lexicon",
        lex.to_str().unwrap(),
        "report",
        doc.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ctl.toml:8: error:"), "{}", run.stderr);
    assert!(!out.exists());
    // The same from a sheet: its line and column.
    let sheet = w.write(
        "sheet.csv",
        "id,label_en,category,zh\nrd,\"R&D\u{b}spending\",econ,研发投入\n",
    );
    let run = tifa(&["lexicon", "import", sheet.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "sheet.csv:2: error: column label_en: term \"rd\": label_en"
        ),
        "{}",
        run.stderr
    );
}

/// `--lexicon builtin` names the built-in lexicon, so that a lexicon of
/// one's own adds to it; a term in both is an error as between two files.
#[test]
fn builtin_names_the_built_in_lexicon() {
    let w = Workdir::new();
    w.write(
        "mine.toml",
        "[[term]]\nid = \"mass-line\"\nzh = [\"群众路线\"]\ncategory = \"era\"\n",
    );
    w.write("a.txt", "坚持群众路线，推动高质量发展。");
    let run = w.run_with(
        &["--lexicon", "builtin", "--lexicon", "mine.toml", "count", "a.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.first_column(), ["high-quality-development", "mass-line"]);
    w.write(
        "clash.toml",
        "[[term]]\nid = \"two-new\"\nzh = [\"两新\"]\ncategory = \"economy\"\n",
    );
    let run = w.run_with(
        &["--lexicon", "builtin", "--lexicon", "clash.toml", "count", "a.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("clash.toml:2: error: duplicate term id \"two-new\""),
        "{}",
        run.stderr
    );
}

/// The files of the built-in lexicon are named `builtin:NAME`: beside
/// the repository's own `lexicons/`, every duplicate id named
/// `lexicons/economy.toml` twice.
#[test]
fn builtin_files_are_named_apart_from_a_lexicons_folder() {
    let run = tifa(&[
        "--lexicon",
        "builtin",
        "--lexicon",
        "lexicons/",
        "lexicon",
        "check",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let dup: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("duplicate term id \"two-heavy\""))
        .collect();
    assert_eq!(dup.len(), 1, "{}", run.stdout);
    let (at, first) = dup[0].split_once(": error: ").unwrap();
    assert!(at.starts_with("lexicons/economy.toml:"), "{}", dup[0]);
    let line = &at["lexicons/economy.toml:".len()..];
    assert!(
        first.ends_with(&format!(
            "(first defined at builtin:economy.toml:{line})"
        )),
        "{}",
        dup[0]
    );
    // Only the duplicates: a term's copy is no other term, whose forms
    // it would hold.
    for l in run.stdout.lines() {
        assert!(
            l.contains(": error: duplicate term id ") || !l.contains("error"),
            "{l}"
        );
        assert!(!l.contains("is inside exclusion"), "{l}");
    }
    // Without lexicons/, the built-in files by the same names.
    let run = tifa(&["lexicon", "check", "--strict"]);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("builtin:")),
        "{}",
        run.stdout
    );
}

/// A term id given three times: each copy's warnings at its own lines,
/// once each, and each duplicate names the first definition. The
/// warnings of every copy were all shown at the last copy's line, and
/// the third named the second as the first.
#[test]
fn duplicate_ids_are_named_at_their_own_lines() {
    let w = Workdir::new();
    let term = |form: &str| {
        format!("[[term]]\nid = \"x\"\nzh = [\"{form}\"]\ncategory = \"c\"\n")
    };
    let lexicon =
        format!("{}\n{}\n{}", term("两重"), term("两新"), term("新质"));
    w.write("dup.toml", lexicon);
    let run =
        w.run_with(&["lexicon", "check", "dup.toml"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "dup.toml:1: warning: term \"x\" has no English rendering\n\
         dup.toml:6: warning: term \"x\" has no English rendering\n\
         dup.toml:7: error: duplicate term id \"x\" (first defined at dup.toml:2)\n\
         dup.toml:11: warning: term \"x\" has no English rendering\n\
         dup.toml:12: error: duplicate term id \"x\" (first defined at dup.toml:2)\n"
    );
}
