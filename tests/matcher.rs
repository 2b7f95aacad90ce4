//! The matcher against the traps it exists for, and against a naive
//! leftmost-longest reference on random texts.

use std::collections::HashSet;

use proptest::prelude::*;

use tifa::lexicon::{self, FormKind, Lang, Lexicon, Term};
use tifa::{Matcher, Status};

use crate::util::fixture;

fn traps() -> Lexicon {
    lexicon::load_path(&[fixture("lexicon/traps.toml")]).unwrap().0
}

/// (term id, status, matched original text) for every hit.
fn hits(
    lexicon: &Lexicon,
    matcher: &Matcher,
    text: &str,
) -> Vec<(String, Status, String)> {
    let mut out = Vec::new();
    matcher.find(text, &mut Default::default(), &mut out);
    out.iter()
        .map(|h| {
            (
                lexicon.terms[h.term].id.clone(),
                h.status,
                text[h.start..h.end].to_string(),
            )
        })
        .collect()
}

use Status::{Confirmed as C, Excluded as X, Unconfirmed as U};

/// An expected hit: (term, status, matched original text).
type Want = (&'static str, Status, &'static str);

/// (name, text, expected hits).
const CASES: &[(&str, &str, &[Want])] = &[
    ("two_heavy_policy", "推进“两重”建设", &[("two-heavy", C, "两重")]),
    ("two_heavy_without_context", "这里有两重门", &[("two-heavy", U, "两重")]),
    ("duality_is_excluded", "劳动的两重性", &[("two-heavy", X, "两重性")]),
    ("idiom_is_excluded", "市场冰火两重天", &[("two-heavy", X, "冰火两重天")]),
    ("two_new_quoted", "实施“两新”政策", &[("two-new", C, "两新")]),
    ("two_new_org", "加强两新组织建设", &[("two-new", X, "两新组织")]),
    ("two_new_party_quoted", "“两新”党建工作", &[("two-new", X, "两新”党建")]),
    (
        "two_new_one_heavy",
        "加强“两新一重”建设",
        &[("two-new-one-heavy", C, "两新一重")],
    ),
    ("two_new_not_a_word", "浦东、滨海两新区建设", &[("two-new", U, "两新")]),
    ("ai_plus_ascii", "开展人工智能+行动", &[("ai-plus", C, "人工智能+")]),
    (
        "ai_plus_full_width",
        "开展人工智能＋行动",
        &[("ai-plus", C, "人工智能＋")],
    ),
    ("plain_ai_is_not_ai_plus", "发展人工智能产业", &[]),
    ("en_ai_plus", "its AI+ agenda", &[("ai-plus", C, "AI+")]),
    ("en_ai_plus_full_width", "the ＡＩ＋ plan", &[("ai-plus", C, "ＡＩ＋")]),
    ("en_ai_plus_lower", "an ai+ plan", &[("ai-plus", C, "ai+")]),
    ("en_said_plus", "its SAID+ platform", &[]),
    ("en_kai_plus", "a KAI+ speaker", &[]),
    ("en_ocr_a1_plus", "China's A1+ push", &[]),
    ("en_ai_plus_before_han", "推进AI+教育", &[("ai-plus", C, "AI+")]),
    ("en_ai_plus_compound", "AI+Education", &[("ai-plus", C, "AI+")]),
    (
        "en_ai_plus_word",
        "the AI Plus initiative",
        &[("ai-plus", C, "AI Plus")],
    ),
    (
        "en_whitelist",
        "property whitelist loans",
        &[("property-whitelist", C, "whitelist")],
    ),
    ("en_whitelisted", "property firms were whitelisted", &[]),
    (
        "en_white_list_wrapped",
        "the property white\nlist",
        &[("property-whitelist", C, "white\nlist")],
    ),
    (
        "whitelist_far_from_property",
        "软件白名单",
        &[("property-whitelist", U, "白名单")],
    ),
    (
        "whitelist_property",
        "房地产“白名单”项目",
        &[("property-whitelist", C, "白名单")],
    ),
    // Near words are matched as forms are: English as whole words, on
    // normalized text.
    (
        "near_word_inside_a_word",
        "surreal estates: a whitelist",
        &[("property-whitelist", U, "whitelist")],
    ),
    (
        "near_word_cut_by_the_window",
        "surreal estate is on a whitelist",
        &[("property-whitelist", U, "whitelist")],
    ),
    (
        "near_word_whole_at_the_window_edge",
        "a real estate is on a whitelist",
        &[("property-whitelist", C, "whitelist")],
    ),
    (
        "near_word_across_a_line_break",
        "房\n地产白名单",
        &[("property-whitelist", C, "白名单")],
    ),
    (
        "near_word_spaces",
        "real  estate whitelist",
        &[("property-whitelist", C, "whitelist")],
    ),
    (
        "nested_longest_wins",
        "因地制宜发展新质生产力",
        &[("npf-local-conditions", C, "因地制宜发展新质生产力")],
    ),
    (
        "nested_alone",
        "加快发展新质生产力",
        &[("new-quality-productive-forces", C, "新质生产力")],
    ),
    (
        "pdf_line_break",
        "发展新质生\n产力",
        &[("new-quality-productive-forces", C, "新质生\n产力")],
    ),
    (
        "pdf_crlf_spaces",
        "中国式现 \r\n 代化",
        &[("chinese-modernization", C, "中国式现 \r\n 代化")],
    ),
    ("paragraph_break_splits", "新质生\n\n产力", &[]),
    (
        "en_case",
        "CHINESE MODERNISATION",
        &[("chinese-modernization", C, "CHINESE MODERNISATION")],
    ),
    (
        "en_double_space",
        "Chinese  modernization",
        &[("chinese-modernization", C, "Chinese  modernization")],
    ),
    (
        "en_ideographic_space",
        "Chinese\u{3000}modernization",
        &[("chinese-modernization", C, "Chinese\u{3000}modernization")],
    ),
    ("en_prefix_word", "xChinese modernization", &[]),
    (
        "expansion",
        "国家重大战略实施和重点领域安全能力建设",
        &[("two-heavy", C, "国家重大战略实施和重点领域安全能力建设")],
    ),
    (
        "two_terms",
        "“两重”“两新”",
        &[("two-heavy", C, "两重"), ("two-new", C, "两新")],
    ),
];

#[test]
fn trap_cases() {
    let names: HashSet<&str> = CASES.iter().map(|c| c.0).collect();
    assert_eq!(names.len(), CASES.len(), "duplicate case names");
    let lexicon = traps();
    let matcher = Matcher::new(&lexicon);
    for &(name, text, want) in CASES {
        let want: Vec<(String, Status, String)> = want
            .iter()
            .map(|&(t, s, m)| (t.to_string(), s, m.to_string()))
            .collect();
        assert_eq!(
            hits(&lexicon, &matcher, text),
            want,
            "case {name}: {text:?}"
        );
        // Padded with Chinese prose and a line break on both sides, matches
        // must not change. (Padding can bring context words, so compare terms
        // and matched text only.)
        let strip =
            |v: Vec<(String, Status, String)>| -> Vec<(String, String)> {
                v.into_iter().map(|(t, _, m)| (t, m)).collect()
            };
        for (pre, post) in [("。\n", "。"), ("据新华社报道，", "\n\n完")]
        {
            let padded = format!("{pre}{text}{post}");
            assert_eq!(
                strip(hits(&lexicon, &matcher, &padded)),
                strip(want.clone()),
                "case {name} padded: {padded:?}"
            );
        }
    }
}

/// A naive normalization: the normalized characters, each with the span of
/// the original text it came from. Invisible characters are deleted first,
/// as if they had never been there.
fn naive_normalize(text: &str) -> Vec<(char, usize, usize)> {
    use tifa::normalize::{fold_width, is_han, is_invisible, is_space};
    let chars: Vec<(usize, char)> =
        text.char_indices().filter(|&(_, c)| !is_invisible(c)).collect();
    let is_break = |c: char| {
        matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
    };
    let mut out: Vec<(char, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if !is_space(c) {
            out.push((fold_width(c), at, at + c.len_utf8()));
            i += 1;
            continue;
        }
        let mut j = i;
        let mut breaks = 0;
        while j < chars.len() && is_space(chars[j].1) {
            let c = chars[j].1;
            if is_break(c) && !(c == '\n' && j > i && chars[j - 1].1 == '\r') {
                breaks += 1;
            } else if c == '\u{3000}' && breaks == 1 {
                // A paragraph's indent after one break.
                breaks = 2;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(a, _)| a);
        // One line break next to a Han character is removed.
        let prev_han = i > 0 && is_han(chars[i - 1].1);
        let next_han = j < chars.len() && is_han(chars[j].1);
        let around = i > 0 && j < chars.len();
        if !(breaks == 1 && around && (prev_han || next_han)) {
            out.push((if breaks >= 2 { '\n' } else { ' ' }, at, end));
        }
        i = j;
    }
    out
}

/// Leftmost-longest over valid occurrences, found by trying every pattern
/// at every position. Returns (term, form text, kind, start, end,
/// excluded): a winning exclusion is excluded, and so is a winning form
/// inside a valid occurrence of an exclusion of its term that starts
/// before it (and lost to another match).
fn naive_find(
    lexicon: &Lexicon,
    text: &str,
) -> Vec<(usize, String, FormKind, usize, usize, bool)> {
    use tifa::normalize::{fold_form, is_word_char};
    let norm = naive_normalize(text);
    let lower: Vec<char> =
        norm.iter().map(|c| c.0.to_ascii_lowercase()).collect();
    type Pattern = (usize, String, Vec<char>, Lang, FormKind);
    let patterns: Vec<Pattern> = lexicon
        .terms
        .iter()
        .enumerate()
        .flat_map(|(t, term)| {
            term.patterns().map(move |(f, lang, kind)| {
                (t, f.to_string(), fold_form(f).chars().collect(), lang, kind)
            })
        })
        .collect();
    // Whether pattern `p` occurs at `i` as a candidate.
    let valid = |p: &Pattern, i: usize| {
        let n = p.2.len();
        if i + n > lower.len() || lower[i..i + n] != p.2[..] {
            return false;
        }
        if p.3 == Lang::En {
            if naive_in_web_address(text, norm[i].1) {
                return false;
            }
            let word_start = is_word_char(p.2[0]);
            let word_end = is_word_char(p.2[n - 1]);
            if word_start && i > 0 && is_word_char(lower[i - 1]) {
                return false;
            }
            if word_end && i + n < lower.len() && is_word_char(lower[i + n]) {
                return false;
            }
        }
        true
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let mut best: Option<&Pattern> = None;
        for p in patterns.iter().filter(|p| valid(p, i)) {
            if best.is_none_or(|b| p.2.len() > b.2.len()) {
                best = Some(p);
            }
        }
        match best {
            Some(p) => {
                let n = p.2.len();
                let excluded = p.4 == FormKind::Exclusion
                    || patterns.iter().any(|e| {
                        e.4 == FormKind::Exclusion
                            && e.0 == p.0
                            && (0..i)
                                .any(|j| j + e.2.len() >= i + n && valid(e, j))
                    });
                out.push((
                    p.0,
                    p.1.clone(),
                    p.4,
                    norm[i].1,
                    norm[i + n - 1].2,
                    excluded,
                ));
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// Whether byte `at` lies in a web or e-mail address: in a run of the
/// bytes an address holds that has `http://`, `https://` or `www.` (any
/// case; `www.` not after a letter or digit) at or before `at`, or that
/// holds an `@` between two letters or digits.
fn naive_in_web_address(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    let address_byte = |c: u8| c.is_ascii_graphic() && !b"\"'<>`".contains(&c);
    let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let starts_at = |s: usize| {
        let at_s = |p: &[u8]| {
            b[s..].len() >= p.len()
                && b[s..s + p.len()].eq_ignore_ascii_case(p)
        };
        at_s(b"http://")
            || at_s(b"https://")
            || (at_s(b"www.") && (s == 0 || !alnum(s - 1)))
    };
    if !address_byte(b[at]) {
        return false;
    }
    let first = (0..=at)
        .rev()
        .take_while(|&s| address_byte(b[s]))
        .last()
        .unwrap_or(at);
    let end =
        (at..b.len()).take_while(|&e| address_byte(b[e])).last().unwrap_or(at)
            + 1;
    (first..=at).any(starts_at)
        || (first..end)
            .any(|i| b[i] == b'@' && i > 0 && alnum(i - 1) && alnum(i + 1))
}

fn term(id: usize, forms: Vec<String>, exclude: Vec<String>) -> Term {
    let (zh, en): (Vec<String>, Vec<String>) =
        forms.into_iter().partition(|f| lexicon::lang_of(f) == Lang::Zh);
    Term {
        id: format!("t{id:02}"),
        label_zh: String::new(),
        label_en: String::new(),
        zh,
        en,
        zh_expansions: Vec::new(),
        en_expansions: Vec::new(),
        official: Vec::new(),
        category: "test".into(),
        first_official_use: None,
        exclude,
        context: None,
        whole_word: false,
        nests: Vec::new(),
        note: String::new(),
    }
}

/// Small lexicons over a tiny alphabet, forms unique after folding. An
/// exclusion is random, or, as a real one is, one of its term's forms with
/// text around it (两新组织), which another term's form may overlap.
fn lexicons() -> impl Strategy<Value = Lexicon> {
    let form = "[人工智能网新质AaIi+,' ]{1,5}";
    let affix = "[人工智能网新质Aa ]{0,3}";
    let exclusion = prop_oneof![
        form.prop_map(|f| (f, None)),
        (affix, any::<prop::sample::Index>(), affix)
            .prop_map(|(p, k, s)| (p, Some((k, s)))),
    ];
    let term_forms = (
        prop::collection::vec(form, 1..4),
        prop::collection::vec(exclusion, 0..2),
    );
    prop::collection::vec(term_forms, 1..6).prop_map(|terms| {
        let mut seen = HashSet::new();
        let mut keep = |f: &String| {
            let f = f.trim().to_string();
            (!f.is_empty() && seen.insert(tifa::normalize::fold_form(&f)))
                .then_some(f)
        };
        let terms: Vec<Term> = terms
            .into_iter()
            .enumerate()
            .map(|(i, (forms, excl))| {
                let forms: Vec<String> =
                    forms.iter().filter_map(&mut keep).collect();
                let excl: Vec<String> = excl
                    .iter()
                    .map(|(text, around)| match around {
                        Some((k, after)) if !forms.is_empty() => {
                            format!(
                                "{text}{}{after}",
                                forms[k.index(forms.len())]
                            )
                        }
                        _ => text.clone(),
                    })
                    .collect::<Vec<_>>()
                    .iter()
                    .filter_map(&mut keep)
                    .collect();
                term(i, forms, excl)
            })
            .filter(|t| !t.zh.is_empty() || !t.en.is_empty())
            .collect();
        Lexicon {
            name: "prop".into(),
            version: String::new(),
            description: String::new(),
            terms,
        }
    })
}

/// Texts over the forms' alphabet, with full-width twins, white space,
/// invisible characters, apostrophes and now and then the start of a web address.
fn texts() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        12 => "[人工智能网新质AaIi+ ＋Ａｉ\u{3000}\n\r。b'’\u{200B}\u{AD},，\u{A0}]",
        1 => prop_oneof![
            Just("http://".to_string()),
            Just("HTTPS://".to_string()),
            Just("www.".to_string()),
            Just("WwW.".to_string()),
            Just("@".to_string()),
            Just("/".to_string()),
            Just("\"".to_string()),
        ],
    ];
    prop::collection::vec(piece, 0..80).prop_map(|p| p.concat())
}

/// A lexicon, and a text of random pieces and of its own strings (forms
/// and exclusions, cut at a random point now and then), so that forms
/// meet, overlap and sit inside exclusions, as in news text.
fn lexicon_and_text() -> impl Strategy<Value = (Lexicon, String)> {
    lexicons().prop_flat_map(|lexicon| {
        let mut strings: Vec<String> = (lexicon.terms.iter())
            .flat_map(|t| t.patterns().map(|(f, _, _)| f.to_string()))
            .collect();
        if strings.is_empty() {
            strings.push(String::new()); // No term: nothing to select.
        }
        let own = prop::sample::select(strings.clone());
        let cut =
            (prop::sample::select(strings), any::<prop::sample::Index>())
                .prop_map(|(s, k)| {
                    let chars: Vec<char> = s.chars().collect();
                    chars[k.index(chars.len().max(1)).min(chars.len())..]
                        .iter()
                        .collect::<String>()
                });
        let piece = prop_oneof![3 => texts(), 2 => own, 1 => cut];
        let text = prop::collection::vec(piece, 0..8).prop_map(|p| p.concat());
        (Just(lexicon), text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn matcher_agrees_with_naive_reference(
        (lexicon, text) in lexicon_and_text(),
    ) {
        prop_assume!(!lexicon.terms.is_empty());
        let matcher = Matcher::new(&lexicon);
        let mut found = Vec::new();
        matcher.find(&text, &mut Default::default(), &mut found);
        let got: Vec<(usize, String, FormKind, usize, usize, bool)> = found
            .iter()
            .map(|h| {
                let form = &matcher.forms()[h.form];
                let excluded = h.status == Status::Excluded;
                (h.term, form.text.clone(), form.kind, h.start, h.end, excluded)
            })
            .collect();
        prop_assert_eq!(got, naive_find(&lexicon, &text));
        for h in &found {
            prop_assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
        }
    }
}
/// (name, text, expected nested occurrences as (term, inside_term, text)).
type NestedCase = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
);

const NESTED: &[NestedCase] = &[
    (
        "npf_inside_local_conditions",
        "因地制宜发展新质生产力",
        &[(
            "new-quality-productive-forces",
            "npf-local-conditions",
            "新质生产力",
        )],
    ),
    (
        "two_new_inside_two_new_one_heavy",
        "“两新一重”",
        &[("two-new", "two-new-one-heavy", "两新")],
    ),
    ("standalone_is_not_nested", "加快发展新质生产力", &[]),
    ("exclusion_is_not_nesting", "两新组织", &[]),
    (
        "nested_across_a_pdf_line_break",
        "因地制宜发展新质生\n产力",
        &[(
            "new-quality-productive-forces",
            "npf-local-conditions",
            "新质生\n产力",
        )],
    ),
];

fn nested(
    lexicon: &Lexicon,
    matcher: &Matcher,
    text: &str,
) -> Vec<(String, String, String)> {
    let (mut hits, mut nested) = (Vec::new(), Vec::new());
    matcher.find_with_nested(
        text,
        &mut Default::default(),
        &mut hits,
        &mut nested,
    );
    let mut plain = Vec::new();
    matcher.find(text, &mut Default::default(), &mut plain);
    assert_eq!(hits, plain, "find_with_nested must find what find finds");
    let id = |t: usize| lexicon.terms[t].id.clone();
    nested
        .iter()
        .map(|n| {
            (id(n.term), id(n.inside_term), text[n.start..n.end].to_string())
        })
        .collect()
}

/// A shorter form of the winner's own term hides nothing: both terms
/// inside the long expansion of 两新 are nested in it, although its
/// shorter expansion (设备更新和消费品以旧换新) lies inside it too.
#[test]
fn own_shorter_forms_hide_no_nesting() {
    let lexicon = lexicon::load_default().unwrap();
    let matcher = Matcher::new(&lexicon);
    let found =
        nested(&lexicon, &matcher, "推动大规模设备更新和消费品以旧换新");
    let inside: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|(t, i, m)| (t.as_str(), i.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        inside,
        [
            ("equipment-renewal", "two-new", "设备更新"),
            ("trade-in", "two-new", "以旧换新"),
        ]
    );
}

#[test]
fn nested_cases() {
    let lexicon = traps();
    let matcher = Matcher::new(&lexicon);
    for &(name, text, want) in NESTED {
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|&(t, i, m)| (t.to_string(), i.to_string(), m.to_string()))
            .collect();
        assert_eq!(
            nested(&lexicon, &matcher, text),
            want,
            "case {name}: {text:?}"
        );
    }
}

/// Inside a winner, the same leftmost-longest selection runs again: an
/// exclusion of another term hides its form there (两新 in 两新组织 is not
/// 两新), and selection goes on inside each nested form, so that a form
/// inside it is nested in the match too (as 中国特色社会主义 is in
/// 习近平新时代中国特色社会主义思想, through 新时代中国特色社会主义).
#[test]
fn nested_selection_inside_a_winner() {
    let terms = vec![
        term(
            0,
            vec!["发展两新组织工作".into(), "支持新质生产力发展".into()],
            vec![],
        ),
        term(1, vec!["两新".into()], vec!["两新组织".into()]),
        term(2, vec!["组织".into(), "生产力".into()], vec![]),
        term(3, vec!["新质生产力".into()], vec![]),
    ];
    let lexicon = Lexicon {
        name: "t".into(),
        version: String::new(),
        description: String::new(),
        terms,
    };
    let matcher = Matcher::new(&lexicon);
    assert_eq!(nested(&lexicon, &matcher, "发展两新组织工作"), []);
    let got = nested(&lexicon, &matcher, "支持新质生产力发展");
    let nested_in_t00 =
        |t: &str, m: &str| (t.to_string(), "t00".to_string(), m.to_string());
    assert_eq!(
        got,
        [nested_in_t00("t03", "新质生产力"), nested_in_t00("t02", "生产力")]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn nested_lie_inside_a_winner_of_another_term(
        lexicon in lexicons(),
        text in "[人工智能网新质AaIi+ ＋\n。b]{0,40}",
    ) {
        prop_assume!(!lexicon.terms.is_empty());
        let matcher = Matcher::new(&lexicon);
        let (mut hits, mut nested) = (Vec::new(), Vec::new());
        matcher.find_with_nested(&text, &mut Default::default(), &mut hits, &mut nested);
        let mut plain = Vec::new();
        matcher.find(&text, &mut Default::default(), &mut plain);
        prop_assert_eq!(&hits, &plain);
        for n in &nested {
            let outer = hits.iter().find(|h| h.start <= n.start && n.end <= h.end);
            let outer = outer.expect("a nested occurrence lies inside a match");
            prop_assert_eq!(outer.term, n.inside_term);
            prop_assert_ne!(n.term, n.inside_term);
            prop_assert!((n.start, n.end) != (outer.start, outer.end));
            prop_assert_ne!(outer.status, Status::Excluded);
            prop_assert_ne!(matcher.forms()[n.form].kind, FormKind::Exclusion);
        }
        // Nested occurrences come in order; two of them are apart or one
        // holds the other, and never of the same term.
        for (i, a) in nested.iter().enumerate() {
            for b in &nested[i + 1..] {
                prop_assert!(a.start <= b.start);
                let apart = a.end <= b.start;
                prop_assert!(apart || (b.end <= a.end && a.term != b.term));
            }
        }
    }
}
