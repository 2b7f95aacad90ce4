//! Analyses over matches: pure folds from (document, hits) to aggregates,
//! and from aggregates to [`Table`](crate::table::Table)s in a fixed order.
//! No I/O and no choice of format here.

pub mod audit;
pub mod bilingual;
mod cooc;
mod corpus_stats;
mod count;
pub mod diff;
pub mod discover;
mod filter;
mod group;
pub mod keyness;
pub mod kwic;
mod nesting;
pub mod renderings;
mod report;
pub mod scan;
pub mod series;
pub mod trend;
pub mod units;

pub use audit::Audit;
pub use cooc::{
    Association, Cooc, CoocOptions, GroupCooc, Measure, Pair, g_squared,
};
pub use corpus_stats::CorpusStats;
pub use count::GroupCounts;
pub use count::{CountOptions, Counts, TermCount, rate};
pub use diff::{CountSheet, Diff};
pub use discover::{
    CandidateKind, Candidates, Chosen, Discover, DiscoverOptions, Examples,
    NgramFilter, Place, Role, Roles, Sketch, SketchFill, Wanted,
};
pub use filter::{MatchFilter, TermNames};
pub use group::period_label;
pub use group::{GroupKey, Grouping, MISSING};
pub use keyness::{DateSplit, compare_table};
pub use kwic::{Kwic, KwicOptions, KwicSort, Sample};
pub use nesting::{NestedAggregate, NestingPairs, WithNested};
pub use renderings::{Gaps, Renderings};
pub use report::{REPORT_UNIT, ReportAggregate};
pub use scan::Scan;
pub use trend::{Period, Trend, TrendValue};
pub use units::Unit;

use std::sync::LazyLock;

use memchr::memmem;

use crate::corpus::Document;
use crate::lexicon::Lang;
use crate::matcher::Hit;
use crate::normalize::{APOSTROPHE, is_han, is_line_break, web_addresses_in};

/// The language of the text a match stands in, which decides the rate it
/// counts in: a Chinese form's is Chinese; an English form's is Chinese
/// when it is written inside Chinese prose (人工智能“AI+”行动: the nearest
/// letters on both sides, within a few characters past punctuation and
/// space and not past a line break, are Han or absent, and one side has
/// Han), and English otherwise. Counted as English, such a hit would weigh
/// on a handful of English "words" and be missing from the Chinese rate
/// that charts use. A line break ends the look: “AI+” opening a Chinese
/// paragraph is Chinese whatever the English paragraph before it ends on.
pub fn text_lang(text: &str, hit: &Hit) -> Lang {
    const LOOK: usize = 8;
    if hit.lang == Lang::Zh {
        return Lang::Zh;
    }
    let nearest = |chars: &mut dyn Iterator<Item = char>| {
        chars
            .take(LOOK)
            .take_while(|&c| !is_line_break(c))
            .find(|&c| c.is_alphabetic())
            .map(is_han)
    };
    let before = nearest(&mut text[..hit.start].chars().rev());
    let after = nearest(&mut text[hit.end..].chars());
    match (before, after) {
        (Some(true), Some(true) | None) | (None, Some(true)) => Lang::Zh,
        _ => Lang::En,
    }
}

/// The size of a document, the denominators of rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocSize {
    /// Bytes of the decoded text (UTF-8).
    pub bytes: u64,
    /// Han characters.
    pub han_chars: u64,
    /// English words: each starts at an ASCII letter that does not follow
    /// an ASCII letter, digit, apostrophe (' or ’) or hyphen, outside web
    /// addresses.
    pub en_words: u64,
}

/// Sums the sizes of documents, as the groups of every aggregate do.
impl std::ops::AddAssign<&DocSize> for DocSize {
    fn add_assign(&mut self, other: &DocSize) {
        self.bytes += other.bytes;
        self.han_chars += other.han_chars;
        self.en_words += other.en_words;
    }
}

impl DocSize {
    /// Measures a text.
    pub fn measure(text: &str) -> DocSize {
        let bytes = text.as_bytes();
        let first_word = bytes.first().is_some_and(|&b| alpha(b));
        let [han_chars, en_words, marks, apostrophes] =
            count_pairs(bytes, size_tests);
        let after_apostrophes =
            if apostrophes > 0 { words_after_apostrophes(bytes) } else { 0 };
        DocSize {
            bytes: text.len() as u64,
            han_chars,
            en_words: en_words + u64::from(first_word)
                - words_in_urls(bytes, marks > 0)
                - after_apostrophes,
        }
    }
}

/// The English words of [`DocSize`] that lie in web addresses: a
/// broadcast transcript that links each story to its video holds ten
/// times more address fragments than English words, and rates per English
/// word would measure the links. Without `marks` (see [`size_tests`]) the
/// text has no `www.` or e-mail address.
fn words_in_urls(bytes: &[u8], marks: bool) -> u64 {
    web_addresses_in(bytes, marks)
        .into_iter()
        .map(|url| {
            // The words starting in the address: its pairs from the byte
            // before it, counted as the whole text's are.
            let from = url.start.saturating_sub(1);
            count_pairs(&bytes[from..url.end], size_tests)[1]
                + u64::from(url.start == 0 && alpha(bytes[0]))
        })
        .sum()
}

/// The word starts [`DocSize`]'s byte pairs count after a typographic
/// apostrophe between letters (`China’s`): the pairs see only the last
/// byte of ’, which many other characters end with.
fn words_after_apostrophes(bytes: &[u8]) -> u64 {
    static FINDER: LazyLock<memmem::Finder<'static>> = LazyLock::new(|| {
        let mut utf8 = [0; 4];
        let apostrophe = APOSTROPHE.encode_utf8(&mut utf8).as_bytes();
        memmem::Finder::new(apostrophe).into_owned()
    });
    let letter_at = |i: usize| bytes.get(i).is_some_and(|&b| alpha(b));
    let after = APOSTROPHE.len_utf8();
    FINDER
        .find_iter(bytes)
        .filter(|&i| i > 0 && letter_at(i - 1) && letter_at(i + after))
        .count() as u64
}

/// What [`DocSize`] counts at a byte `a` and the byte `b` after it: a Han
/// character starting, an English word starting at `b`, a mark of a
/// `www.` or e-mail address (`w.` in any case, `@`), and a letter after
/// the last byte of ’ (which other characters end with too). Most
/// documents have no mark, and the search for those addresses, which stops
/// at every `.` of a numbered list, is then skipped; most have no letter
/// after such a byte, and the search for ’ is skipped (a pass over every
/// document, 1.4% of the instructions of a run over Xinwen Lianbo).
fn size_tests(a: u8, b: u8) -> [bool; 4] {
    [
        starts_han(a, b),
        alpha(b) & !joins_word(a),
        ((a | 0x20) == b'w') & (b == b'.') | (b == b'@'),
        (a == APOSTROPHE_END) & alpha(b),
    ]
}

/// The last byte of ’ ([`APOSTROPHE`]) in UTF-8: a continuation byte
/// holding its lowest six bits.
const APOSTROPHE_END: u8 = 0x80 | (APOSTROPHE as u32 & 0x3F) as u8;

/// Whether a UTF-8 lead byte `a` and the byte after it start a Han
/// character (see [`crate::normalize::is_han`]), judged without decoding.
fn starts_han(a: u8, b: u8) -> bool {
    // U+5000..U+9FFF; U+3400..U+3FFF; U+4000..U+4DBF (not the hexagrams
    // U+4DC0..); U+F900..U+FAFF; planes 2 and 3.
    (0xE5..=0xE9).contains(&a)
        | (a == 0xE3) & (b >= 0x90)
        | (a == 0xE4) & (b != 0xB7)
        | (a == 0xEF) & (0xA4..=0xAB).contains(&b)
        | (a == 0xF0) & (b >= 0xA0)
}

/// An ASCII letter.
fn alpha(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26
}

/// What an English word goes on with: an ASCII letter, digit, apostrophe
/// or hyphen (so `people's`, `two-heavy` and `A1` are one word each, and a
/// word starts only at a letter that does not follow one of these).
fn joins_word(b: u8) -> bool {
    alpha(b) | b.is_ascii_digit() | (b == b'\'') | (b == b'-')
}

/// How many adjacent byte pairs satisfy each of a few tests, in one pass
/// the compiler vectorizes: this runs over every document. Valid UTF-8
/// never ends with a lead byte, so pairs see every character start.
/// Counted in byte-wide lanes, which become wide SIMD adds; u64 sums per
/// byte would not vectorize as well. A CPU with AVX2 runs a copy
/// compiled for it: twice the vector width of the SSE2 every x86-64 has.
fn count_pairs<const N: usize>(
    bytes: &[u8],
    test: impl Fn(u8, u8) -> [bool; N],
) -> [u64; N] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { count_pairs_avx2(bytes, test) };
    }
    count_pairs_in(bytes, test)
}

/// [`count_pairs`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn count_pairs_avx2<const N: usize>(
    bytes: &[u8],
    test: impl Fn(u8, u8) -> [bool; N],
) -> [u64; N] {
    count_pairs_in(bytes, test)
}

/// [`count_pairs`], compiled into each copy. Each test counts in 32
/// one-byte lanes, a lane for each pair of a 32-byte chunk (a vector
/// register), added to the totals every 255 chunks, before a lane could
/// overflow. The code this replaced summed its counts every 224 bytes,
/// and left the pairs after the last 224 to a scalar loop: 17% and 25% of
/// its time over Xinwen Lianbo.
#[inline(always)]
fn count_pairs_in<const N: usize>(
    bytes: &[u8],
    test: impl Fn(u8, u8) -> [bool; N],
) -> [u64; N] {
    let mut total = [0u64; N];
    let mut lanes = [[0u8; CHUNK]; N];
    let pairs = bytes.len().saturating_sub(1);
    let (firsts, seconds) = (&bytes[..pairs], &bytes[bytes.len().min(1)..]);
    // Groups of 255 chunks at most, so that no lane overflows.
    const GROUP: usize = 255 * CHUNK;
    for (a, b) in firsts.chunks(GROUP).zip(seconds.chunks(GROUP)) {
        let (a, b) = (a.chunks_exact(CHUNK), b.chunks_exact(CHUNK));
        let rest = a.remainder().len();
        if rest > 0 {
            // The last pairs, fewer than a chunk, in a chunk of their own:
            // the same vector code, with the lanes past them masked.
            let mut padded = [[0u8; CHUNK]; 2];
            padded[0][..rest].copy_from_slice(a.remainder());
            padded[1][..rest].copy_from_slice(b.remainder());
            add_chunk(&mut lanes, &padded[0], &padded[1], rest, &test);
        }
        for (a, b) in a.zip(b) {
            let (a, b) =
                (a.try_into().expect("chunk"), b.try_into().expect("chunk"));
            add_chunk(&mut lanes, a, b, CHUNK, &test);
        }
        drain(&mut lanes, &mut total);
    }
    total
}

/// The pairs of a chunk, the width of the widest vector (AVX2).
const CHUNK: usize = 32;

/// Adds to each test's lanes the pairs `(a[i], b[i])`, `i < valid`, that
/// pass it. Inlined by force, so that it is compiled into each copy of
/// [`count_pairs_in`] (with four tests, the compiler left it a call).
#[inline(always)]
fn add_chunk<const N: usize>(
    lanes: &mut [[u8; CHUNK]; N],
    a: &[u8; CHUNK],
    b: &[u8; CHUNK],
    valid: usize,
    test: &impl Fn(u8, u8) -> [bool; N],
) {
    for i in 0..CHUNK {
        let passed = test(a[i], b[i]);
        for (lane, passed) in lanes.iter_mut().zip(passed) {
            lane[i] += u8::from(passed & (i < valid));
        }
    }
}

/// Moves the counts of the lanes into the totals.
#[inline(always)]
fn drain<const N: usize>(lanes: &mut [[u8; CHUNK]; N], total: &mut [u64; N]) {
    for (t, lane) in total.iter_mut().zip(lanes.iter_mut()) {
        *t += lane.iter().map(|&n| u64::from(n)).sum::<u64>();
        *lane = [0; CHUNK];
    }
}

/// A fold over the documents of a corpus. Partial aggregates computed on
/// separate threads (or machines) merge into the same result.
pub trait Aggregate: Send {
    /// Adds one document and its matches.
    fn add(&mut self, doc: &Document, size: &DocSize, hits: &[Hit]);
    /// Adds another partial aggregate.
    fn merge(&mut self, other: Self);
    /// Bytes it holds that may outweigh its documents' text, as rows of
    /// context do: a streamed batch waiting for its turn weighs them too
    /// (see `pipeline::weight`).
    fn weight(&self) -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pair that passes in every lane of every chunk, over more chunks
    /// than a lane can count before it is drained.
    #[test]
    fn counts_past_what_a_lane_holds() {
        for n in [255 * CHUNK, 255 * CHUNK + 1, 255 * CHUNK + 2, 20_000] {
            let at_signs = "@".repeat(n);
            let marks = count_pairs(at_signs.as_bytes(), size_tests)[2];
            assert_eq!(marks, n as u64 - 1);
            let portable = count_pairs_in(at_signs.as_bytes(), size_tests);
            assert_eq!(portable[2], n as u64 - 1);
        }
        // Every pair, and no more: not those of the padding after a last
        // chunk that is not whole.
        for n in [0, 1, 2, 31, 32, 33, 34, 64, 65, 1_000] {
            let text = "x".repeat(n);
            let pairs = n.saturating_sub(1) as u64;
            assert_eq!(count_pairs(text.as_bytes(), |_, _| [true]), [pairs]);
            assert_eq!(
                count_pairs_in(text.as_bytes(), |_, _| [true]),
                [pairs]
            );
        }
    }

    #[test]
    fn han_count_agrees_with_is_han() {
        use crate::normalize::is_han;
        let samples = [
            "两重\u{3400}\u{4DBF}\u{4DC0}\u{4DFF}\u{9FFF}\u{F900}\u{FAFF}\u{FB00}",
            "\u{20000}\u{2FA1F}\u{30000}\u{3134F}\u{31350}\u{1F600}。，“”ab",
        ];
        for s in samples {
            let want = s.chars().filter(|&c| is_han(c)).count() as u64;
            assert_eq!(DocSize::measure(s).han_chars, want, "{s}");
        }
    }

    #[test]
    fn english_forms_in_chinese_prose_count_as_chinese() {
        let lang = |text: &str| {
            let start = text.find("AI+").unwrap();
            let hit = Hit {
                term: 0,
                form: 0,
                lang: Lang::En,
                start,
                end: start + 3,
                status: crate::Status::Confirmed,
            };
            text_lang(text, &hit)
        };
        for zh in [
            "推进人工智能“AI+”行动",
            "AI+赋能千行百业",
            "发展 AI+。",
            "人工智能（AI+）",
            // The paragraph next door, English, does not decide.
            "It expands the AI Plus plan.\n\n“AI+”行动深入推进",
            // Nor do digits, which are no letters.
            "国务院推进“AI+”100个典型场景建设行动。",
            "各地积极推进“AI+”\nThe State Council issued guidance.",
        ] {
            assert_eq!(lang(zh), Lang::Zh, "{zh}");
        }
        for en in [
            "the AI+ plan",
            "AI+",
            "China's AI+ (人工智能+) plan",
            "人工智能+, or AI+ in English",
            "（AI+ initiative）",
            "人工智能+。\nThe AI+ plan",
        ] {
            assert_eq!(lang(en), Lang::En, "{en}");
        }
    }

    #[test]
    fn words_in_web_addresses_are_not_english_words() {
        let words = |s: &str| DocSize::measure(s).en_words;
        assert_eq!(
            words(
                "See https://tv.cctv.com/2022/09/24/VIDEabc.shtml and the report"
            ),
            4
        );
        assert_eq!(words("https://a.b/c-d?e=f c"), 1);
        assert_eq!(words("视频：http://x.cn/y，新闻 http is old"), 3);
        assert_eq!(words("(https://a.b/c) \"http://d.e/f\" g"), 1);
        assert_eq!(
            words("详见www.mohurd.gov.cn/a-b，或发邮件至x@mohurd.gov.cn。"),
            0
        );
        assert_eq!(words("Awww.hello and @cgtn, a@ b"), 6);
    }

    #[test]
    fn typographic_apostrophes_join_words_as_straight_ones_do() {
        let words = |s: &str| DocSize::measure(s).en_words;
        assert_eq!(words("It’s China’s plan"), words("It's China's plan"));
        assert_eq!(words("It’s China’s plan"), 3);
        assert_eq!(words("‘two new’ policy"), 3);
    }

    proptest::proptest! {
        /// Words outside web addresses, against finding the addresses one
        /// position after another.
        #[test]
        fn words_outside_addresses_agree_with_a_plain_scan(
            parts in proptest::collection::vec(
                "(https?://|HTTPS?://|http|www\\.|WWW\\.|@|[a-z]{1,3}|[ /.:\"]|两)", 0..40)
        ) {
            let s: String = parts.concat();
            let b = s.as_bytes();
            let in_url = |c: u8| c.is_ascii_graphic() && !b"\"'<>`".contains(&c);
            let alnum = |i: usize| b.get(i).is_some_and(u8::is_ascii_alphanumeric);
            let mut url = vec![false; b.len()];
            let mut i = 0;
            while i < b.len() {
                let lower = b[i..].to_ascii_lowercase();
                let www = lower.starts_with(b"www.") && (i == 0 || !alnum(i - 1));
                if lower.starts_with(b"http://") || lower.starts_with(b"https://") || www {
                    while i < b.len() && in_url(b[i]) {
                        url[i] = true;
                        i += 1;
                    }
                } else {
                    i += 1;
                }
            }
            // An e-mail address: the whole run around an @ between two
            // letters or digits.
            for at in (1..b.len()).filter(|&i| b[i] == b'@' && alnum(i - 1) && alnum(i + 1)) {
                let mut j = at;
                while j > 0 && in_url(b[j - 1]) {
                    j -= 1;
                }
                while j < b.len() && in_url(b[j]) {
                    url[j] = true;
                    j += 1;
                }
            }
            let words = (0..b.len())
                .filter(|&i| !url[i] && alpha(b[i]) && (i == 0 || !joins_word(b[i - 1])))
                .count() as u64;
            proptest::prop_assert_eq!(DocSize::measure(&s).en_words, words, "{:?}", s);
        }

        /// Both counts agree with counting characters one by one, across
        /// the blocks the counts are summed in.
        #[test]
        fn sizes_agree_with_counting_characters(
            s in "[两重a-zA-Z0-9'\\- 。𠀀\u{4DC0}\u{FAFF}é’]{0,400}"
        ) {
            let chars: Vec<char> = s.chars().collect();
            let joins = |c: char| c.is_ascii_alphanumeric() || c == '\'' || c == '-';
            // ’ joins a word only after a letter (China’s).
            let after_apostrophe = |i: usize| {
                chars[i - 1] == '’' && i >= 2 && chars[i - 2].is_ascii_alphabetic()
            };
            let words = (0..chars.len())
                .filter(|&i| chars[i].is_ascii_alphabetic())
                .filter(|&i| i == 0 || !(joins(chars[i - 1]) || after_apostrophe(i)))
                .count() as u64;
            let han = chars.iter().filter(|&&c| crate::normalize::is_han(c)).count() as u64;
            let size = DocSize::measure(&s);
            proptest::prop_assert_eq!((size.han_chars, size.en_words), (han, words));
            // The copy for CPUs without AVX2 (the one above ran on this CPU).
            let portable = count_pairs_in(s.as_bytes(), size_tests);
            proptest::prop_assert_eq!(portable, count_pairs(s.as_bytes(), size_tests));
        }
    }

    #[test]
    fn sizes() {
        let s = DocSize::measure("两重 and “two-heavy” people's 2024 AI+ 𠀀");
        assert_eq!((s.han_chars, s.en_words), (3, 4));
    }
}
