//! What the fuzz targets check, on arbitrary bytes: shared by `fuzz/`
//! (cargo-fuzz, nightly) and by `fuzz_regressions`, which replays every
//! input the fuzzers found on stable `cargo test`. Each check must never
//! panic; the asserts are properties that must hold for any input.

use tifa::Matcher;
use tifa::corpus::{self, FileDocs, InputFormat, ReadOptions};
use tifa::lexicon::{Source, parse_sources};

/// Inputs are capped, as in regex's fuzz targets: bigger ones find
/// nothing new and slow the fuzzer.
const MAX_INPUT: usize = 16 << 10;

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A lexicon written from lines: each line is a term's form (`zh` if it
/// holds a non-ASCII character, else `en`); a line starting with `!` adds
/// an exclusion to the term before, `~` a context word (window 5), `*`
/// marks it `whole_word`, `+` adds an expansion.
fn lexicon_toml(lines: &str) -> String {
    let mut toml = String::new();
    let mut n = 0;
    for line in lines.split('\n') {
        let (tag, rest) = match line.chars().next() {
            Some(c @ ('!' | '~' | '*' | '+')) => (c, &line[1..]),
            _ => (' ', line),
        };
        if tag != ' ' && n > 0 {
            let field = match tag {
                '!' => format!("exclude = [{}]\n", toml_string(rest)),
                '~' => format!(
                    "context = {{ near = [{}], window = 5 }}\n",
                    toml_string(rest)
                ),
                '*' => "whole_word = true\n".to_string(),
                _ => format!("zh_expansions = [{}]\n", toml_string(rest)),
            };
            // A field given twice is a TOML error: the lexicon is refused.
            toml.push_str(&field);
            continue;
        }
        let lang = if rest.is_ascii() { "en" } else { "zh" };
        toml.push_str(&format!(
            "[[term]]\nid = \"t{n}\"\ncategory = \"c\"\n{lang} = [{}]\n",
            toml_string(rest)
        ));
        n += 1;
    }
    toml
}

/// Matches in `text` lie on character boundaries inside it, in order.
fn check_matches(matcher: &Matcher, text: &str) {
    let mut hits = Vec::new();
    let mut nested = Vec::new();
    let mut scratch = Default::default();
    matcher.find_with_nested(text, &mut scratch, &mut hits, &mut nested);
    let mut last = 0;
    for h in &hits {
        assert!(h.start <= h.end && h.end <= text.len(), "{h:?}");
        assert!(text.is_char_boundary(h.start), "{h:?}");
        assert!(text.is_char_boundary(h.end), "{h:?}");
        assert!(h.start >= last, "overlapping matches: {hits:?}");
        last = h.end;
    }
    for n in &nested {
        assert!(n.start <= n.end && n.end <= text.len(), "{n:?}");
    }
    let mut plain = Vec::new();
    matcher.find(text, &mut scratch, &mut plain);
    assert_eq!(plain, hits, "find and find_with_nested disagree");
    let simplified = tifa::t2s::to_simplified(text);
    matcher.find(&simplified, &mut scratch, &mut plain);
}

/// Decode and match: the first byte is the length of a lexicon (see
/// [`lexicon_toml`]), the rest a document of arbitrary bytes.
pub fn decode_match(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else { return };
    let rest = &rest[..rest.len().min(MAX_INPUT)];
    let (lex, doc) = rest.split_at((n as usize).min(rest.len()));
    let source = Source {
        name: "fuzz.toml".into(),
        text: lexicon_toml(&String::from_utf8_lossy(lex)),
    };
    let (Some(lexicon), _) = parse_sources(&[source]) else { return };
    let matcher = Matcher::new(&lexicon);
    let opts = ReadOptions::default();
    for doc in corpus::documents_from_bytes("doc.txt", doc, &opts).docs {
        check_matches(&matcher, &doc.text);
    }
}

/// The lexicon parser on arbitrary text; a lexicon it accepts builds a
/// matcher that finds each of its own forms.
pub fn lexicon(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    let text = String::from_utf8_lossy(data).into_owned();
    let (lexicon, diags) =
        parse_sources(&[Source { name: "fuzz.toml".into(), text }]);
    for d in &diags {
        assert!(!d.to_string().contains('\n'), "diagnostic on two lines: {d}");
    }
    let Some(lexicon) = lexicon else { return };
    let _ = tifa::lexicon::lint(&lexicon, "fuzz.toml");
    let matcher = Matcher::new(&lexicon);
    let all: Vec<&str> = lexicon
        .terms
        .iter()
        .flat_map(|t| t.zh.iter().chain(&t.en))
        .map(String::as_str)
        .collect();
    check_matches(&matcher, &all.join(" | "));
}

/// The readers: the first byte picks the format, an encoding and a block
/// size. Reading in small blocks must give the documents and warnings of
/// reading at once, and every warning must be one line.
pub fn records(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let bytes = &bytes[..bytes.len().min(MAX_INPUT)];
    let (name, format) = match pick & 3 {
        0 => ("f.jsonl", InputFormat::Jsonl),
        1 => ("f.csv", InputFormat::Csv),
        2 => ("f.txt", InputFormat::Text),
        _ => ("split.txt", InputFormat::Text),
    };
    let encoding = match (pick >> 2) & 3 {
        0 | 1 => None,
        2 => Some(encoding_rs::GB18030),
        _ => Some(encoding_rs::UTF_16LE),
    };
    let block = 1 + (pick >> 4) as usize;
    let opts = ReadOptions {
        format,
        encoding,
        split: (pick & 3 == 3).then(|| regex::Regex::new("^(=|#)").unwrap()),
        block_bytes: usize::MAX >> 1,
        ..ReadOptions::default()
    };
    let whole = corpus::documents_from_bytes(name, bytes, &opts);
    let parts = corpus::documents_from_bytes(
        name,
        bytes,
        &ReadOptions { block_bytes: block, ..opts.clone() },
    );
    check_warnings(&whole);
    assert_eq!(parts.docs, whole.docs, "block {block}");
    assert_eq!(parts.warnings, whole.warnings, "block {block}");
    // A small cap: records over it are dropped while read, never a panic.
    let capped = corpus::documents_from_bytes(
        name,
        bytes,
        &ReadOptions { block_bytes: block, max_doc_bytes: 16, ..opts },
    );
    check_warnings(&capped);
    assert!(capped.docs.iter().all(|d| d.text.len() <= 16));
}

fn check_warnings(docs: &FileDocs) {
    for w in &docs.warnings {
        let line = w.to_string();
        assert!(
            !line.contains(['\n', '\r']),
            "warning on two lines: {line:?}"
        );
    }
}
