//! Broken lexicons: exit 2, one positioned line per problem, never a panic.

use crate::util::{Workdir, tifa};

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
        "bad_id",
        "[[term]]\nid = \"Two Heavy\"\ncategory = \"c\"\nzh = [\"x\"]\n",
        "bad.toml:2:",
        "slug",
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
    let lex = w.write("bad.toml", text);
    let run = tifa(&["lexicon", "check", lex.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("bad.toml:5: error: invalid UTF-8"),
        "{}",
        run.stdout
    );
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
    w.write(
        "lex/b.toml",
        GOOD_TERM.replace("\"a\"", "\"b\"").replace("两重", "两新"),
    );
    let run = tifa(&[
        "--lexicon",
        w.path("lex").to_str().unwrap(),
        "lexicon",
        "list",
        "--format",
        "csv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "id,label_zh,label_en,category,zh,en\na,两重,,economy,两重,\nb,两新,,economy,两新,\n"
    );
}
