//! The units that co-occurrence counts in: whole documents, paragraphs,
//! sentences, or windows of characters after each match. Paragraphs and
//! sentences are byte spans of the original text, found by pure functions
//! that know nothing about terms.
//!
//! # Paragraphs
//!
//! A paragraph is a line that holds more than white space: it ends at a
//! line break (`\n`, `\r\n` or `\r`), so a blank line ends one too and is
//! none itself. Spans leave out the white space at both ends (indents of
//! U+3000 or NBSP included).
//!
//! # Sentences
//!
//! Sentences never cross a paragraph end. Inside a paragraph, a sentence
//! ends after 。！？； and after `.`, `!` or `?` followed by white space or
//! by the end of the paragraph. A run of marks (`？！`, `...`) ends one
//! sentence, and closing quotes and brackets right after it belong to it
//! (`。”`, `." `). A `.` after an abbreviation does not end a sentence:
//!
//! - a single capital letter (`J. Smith`, `Plan B.`);
//! - a word with periods inside (`U.S.`, `e.g.`, `i.e.`, `a.m.`);
//! - a word of [`ABBREVIATIONS`] (`No. 1`, `Mr. Li`, `Jan. 5`), with its
//!   case as listed: `no.` at the end of a sentence still ends it.
//!
//! The price: `the U.S. The ministry...` is one sentence, not two.
//!
//! Text extracted from PDFs breaks lines inside sentences, and each such
//! line ends a paragraph and a sentence here; count such text by document
//! or by window.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// Words that a `.` follows without ending a sentence (case as written).
/// Single capital letters and words with periods inside (`U.S`, `e.g`,
/// `i.e`) need no entry.
pub const ABBREVIATIONS: &[&str] = &[
    "No", "Nos", "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Jr", "Sr", "Gen",
    "Gov", "Sen", "Rep", "Rev", "Fig", "Vol", "vs", "etc", "cf", "al",
    "approx", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
    "Oct", "Nov", "Dec",
];

/// What co-occurrence counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// A whole document.
    #[default]
    Doc,
    /// A paragraph (see the module docs).
    Paragraph,
    /// A sentence (see the module docs).
    Sentence,
    /// The N characters after the start of each confirmed match: one unit
    /// per match, holding the terms of the matches that start at most N
    /// characters after it (itself included).
    Window(usize),
}

impl FromStr for Unit {
    type Err = String;

    fn from_str(s: &str) -> Result<Unit, String> {
        Ok(match s {
            "doc" => Unit::Doc,
            "paragraph" => Unit::Paragraph,
            "sentence" => Unit::Sentence,
            _ => {
                let n = s.strip_prefix("window:").and_then(|n| n.parse().ok());
                match n {
                    Some(n) if n > 0 => Unit::Window(n),
                    _ => {
                        return Err(format!(
                            "unknown unit {s:?} (doc, paragraph, sentence \
                             or window:N with N ≥ 1 characters)"
                        ));
                    }
                }
            }
        })
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Doc => f.write_str("doc"),
            Unit::Paragraph => f.write_str("paragraph"),
            Unit::Sentence => f.write_str("sentence"),
            Unit::Window(n) => write!(f, "window:{n}"),
        }
    }
}

/// The paragraphs of `text`, in order, as byte spans without white space
/// at their ends.
pub fn paragraphs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    Lines::new(text).filter_map(|line| {
        let span = trim(text, line);
        (!span.is_empty()).then_some(span)
    })
}

/// The sentences of `text`, in order, as byte spans without white space
/// at their ends.
pub fn sentences(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    paragraphs(text).flat_map(move |p| Sentences {
        text,
        pos: p.start,
        end: p.end,
    })
}

/// Lines without their line break (the last one may be empty): ended by
/// any line break of [`crate::normalize::is_line_break`], `\n`, `\r\n`,
/// `\r`, NEL, U+2028 and U+2029.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    /// The next NEL (U+0085) from `pos` on, if any is left: searched
    /// apart, ahead, as its lead byte is that of other Latin-1 letters.
    nel: Option<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        Lines { text, pos: 0, nel: memchr::memmem::find(text.as_bytes(), NEL) }
    }

    /// The next line break from `from` on: `\n`, `\r` and U+2028/2029
    /// found by their bytes (`E2` also leads quotes and dashes, which are
    /// passed over), NEL from `self.nel`.
    fn next_break(&mut self, from: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        if self.nel.is_some_and(|n| n < from) {
            self.nel =
                memchr::memmem::find(&bytes[from..], NEL).map(|n| from + n);
        }
        let mut at = from;
        let other = loop {
            let Some(i) = memchr::memchr3(b'\n', b'\r', 0xE2, &bytes[at..])
            else {
                break None;
            };
            let i = at + i;
            if bytes[i] != 0xE2
                || matches!(bytes.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9]))
            {
                break Some(i);
            }
            at = i + 1;
        };
        [other, self.nel].into_iter().flatten().min()
    }
}

/// NEL (U+0085) in UTF-8.
const NEL: &[u8] = "\u{85}".as_bytes();

impl Iterator for Lines<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.text.as_bytes();
        if self.pos > bytes.len() {
            return None;
        }
        let start = self.pos;
        match self.next_break(start) {
            Some(end) => {
                let crlf =
                    bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
                let width =
                    self.text[end..].chars().next().map_or(1, char::len_utf8);
                self.pos = end + width + usize::from(crlf);
                Some(start..end)
            }
            None => {
                self.pos = bytes.len() + 1;
                Some(start..bytes.len())
            }
        }
    }
}

/// The sentences of one paragraph.
struct Sentences<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
}

impl Iterator for Sentences<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        while self.pos < self.end {
            let start = self.pos;
            self.pos = sentence_end(self.text, start, self.end);
            let span = trim(self.text, start..self.pos);
            if !span.is_empty() {
                return Some(span);
            }
        }
        None
    }
}

/// Where the sentence that starts at `from` ends: after its marks and
/// closing quotes, or at `to`.
fn sentence_end(text: &str, from: usize, to: usize) -> usize {
    let bytes = &text.as_bytes()[..to];
    let mut i = from;
    while let Some(at) = next_mark(bytes, i) {
        let mut j = at;
        let mut any_zh = false;
        while let Some((len, zh)) = mark(&bytes[j..]) {
            j += len;
            any_zh |= zh;
        }
        let single_period = bytes[at] == b'.' && j == at + 1;
        j = skip_closers(text, j, to);
        let ends = any_zh
            || ((j == to || text[j..].starts_with(char::is_whitespace))
                && !(single_period && is_abbreviation(bytes, at)));
        if ends {
            return j;
        }
        i = j;
    }
    to
}

/// The first position from `i` where a sentence mark starts.
fn next_mark(bytes: &[u8], mut i: usize) -> Option<usize> {
    // 32 positions at a time, as a mask of the marks starting there whose
    // lowest bit is the first. A loop testing every byte took 15% of
    // `cooc --unit sentence` over Xinwen Lianbo; 16 positions at a time,
    // with the block holding a mark then searched byte by byte, and so
    // the last 17 bytes of every paragraph, 40 M instructions over 5 MB of
    // it; this way, 25 M. The last block is padded with zeros, which start
    // no mark and complete none.
    let mut padded = [0; BLOCK + 2];
    while i < bytes.len() {
        let w = match bytes.get(i..i + BLOCK + 2) {
            Some(w) => w.try_into().expect("a block and two bytes"),
            None => {
                padded[..bytes.len() - i].copy_from_slice(&bytes[i..]);
                &padded
            }
        };
        let found = mark_starts(w);
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize);
        }
        i += BLOCK;
    }
    None
}

/// Positions [`next_mark`] tests at once.
const BLOCK: usize = 32;

/// Where sentence marks start among the first 32 positions of `w`, one
/// bit a position (its last two bytes complete the marks that start
/// last).
#[cfg(target_arch = "x86_64")]
fn mark_starts(w: &[u8; BLOCK + 2]) -> u32 {
    // SAFETY: every x86-64 CPU has SSE2; each half reads 18 bytes from
    // byte 0 or 16 of `w`.
    unsafe {
        mark_starts_16(w.as_ptr()) | mark_starts_16(w[16..].as_ptr()) << 16
    }
}

/// [`mark_starts`] for the 16 positions from `p`, of 18 readable bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn mark_starts_16(p: *const u8) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128 as and, _mm_cmpeq_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128 as or, _mm_set1_epi8,
    };
    // SAFETY: SSE2, and the 18 bytes from `p`, as the caller promises.
    unsafe {
        let load = |k: usize| _mm_loadu_si128(p.add(k).cast::<__m128i>());
        let (a, b, c) = (load(0), load(1), load(2));
        let is = |v, byte: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8));
        // The tests of `starts_mark`, 16 positions at once.
        let ascii = or(or(is(a, b'.'), is(a, b'!')), is(a, b'?'));
        let ideographic = and(and(is(a, 0xE3), is(b, 0x80)), is(c, 0x82));
        let fullwidth = and(
            and(is(a, 0xEF), is(b, 0xBC)),
            or(or(is(c, 0x81), is(c, 0x9F)), is(c, 0x9B)),
        );
        _mm_movemask_epi8(or(ascii, or(ideographic, fullwidth))) as u32
    }
}

/// Where sentence marks start among the first 32 positions of `w`, one
/// bit a position.
#[cfg(not(target_arch = "x86_64"))]
fn mark_starts(w: &[u8; BLOCK + 2]) -> u32 {
    (0..BLOCK).fold(0, |found, k| {
        found | u32::from(starts_mark(w[k], w[k + 1], w[k + 2])) << k
    })
}

/// Whether a sentence mark starts with the bytes `a`, `b`, `c`: `.`, `!`,
/// `?`, or 。 (E3 80 82), ！ (EF BC 81), ？ (EF BC 9F), ； (EF BC 9B).
fn starts_mark(a: u8, b: u8, c: u8) -> bool {
    (a == b'.')
        | (a == b'!')
        | (a == b'?')
        | ((a == 0xE3) & (b == 0x80) & (c == 0x82))
        | ((a == 0xEF)
            & (b == 0xBC)
            & ((c == 0x81) | (c == 0x9F) | (c == 0x9B)))
}

/// The sentence mark at the start of `bytes`: its length, and whether it
/// is Chinese (which needs no white space after it).
fn mark(bytes: &[u8]) -> Option<(usize, bool)> {
    let byte = |k: usize| bytes.get(k).copied().unwrap_or(0);
    let a = byte(0);
    starts_mark(a, byte(1), byte(2))
        .then(|| if a.is_ascii() { (1, false) } else { (3, true) })
}

/// Past the closing quotes and brackets at `at`.
fn skip_closers(text: &str, mut at: usize, to: usize) -> usize {
    while let Some(c) = text[at..to].chars().next() {
        if !matches!(
            c,
            '"' | '\''
                | ')'
                | ']'
                | '”'
                | '’'
                | '」'
                | '』'
                | '）'
                | '】'
                | '》'
                | '〉'
        ) {
            break;
        }
        at += c.len_utf8();
    }
    at
}

/// Whether the `.` at `dot` follows an abbreviation: the run of ASCII
/// letters and periods before it is a single capital letter, has a period
/// inside, or is listed in [`ABBREVIATIONS`].
fn is_abbreviation(bytes: &[u8], dot: usize) -> bool {
    let mut k = dot;
    while k > 0 && (bytes[k - 1].is_ascii_alphabetic() || bytes[k - 1] == b'.')
    {
        k -= 1;
    }
    let word = &bytes[k..dot];
    match word {
        [] => false,
        [c] => c.is_ascii_uppercase(),
        _ => {
            word[1..].contains(&b'.')
                || ABBREVIATIONS.iter().any(|a| a.as_bytes() == word)
        }
    }
}

/// `span` without white space at its ends (empty when it is all white
/// space).
fn trim(text: &str, span: Range<usize>) -> Range<usize> {
    let s = &text[span.clone()];
    let start = span.start + (s.len() - s.trim_start().len());
    let end = span.start + s.trim_end().len();
    if start >= end { start..start } else { start..end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(
        text: &str,
        spans: impl Iterator<Item = Range<usize>>,
    ) -> Vec<&str> {
        spans.map(|r| &text[r]).collect()
    }

    fn split(text: &str) -> Vec<&str> {
        texts(text, sentences(text))
    }

    /// The bytes [`starts_mark`] tests are those of the marks and of no
    /// other character: every character of the Basic Multilingual Plane,
    /// followed by other bytes (those of 。, which must not count).
    #[test]
    fn marks_are_exactly_their_bytes() {
        for c in ('\0'..='\u{FFFF}').filter(|c| c.len_utf8() <= 3) {
            let mut bytes = [0xE3, 0x80, 0x82, 0];
            c.encode_utf8(&mut bytes);
            let is_mark = ".!?。！？；".contains(c);
            assert_eq!(
                starts_mark(bytes[0], bytes[1], bytes[2]),
                is_mark,
                "{c:?}"
            );
            let len = if c.is_ascii() { 1 } else { 3 };
            assert_eq!(mark(&bytes), is_mark.then_some((len, !c.is_ascii())));
        }
    }

    proptest::proptest! {
        /// Marks found 16 positions at a time are the first ones found one
        /// position at a time.
        #[test]
        fn next_mark_is_the_first_mark(
            // With characters that share bytes with the marks: ，(EF BC
            // 8C), 、(E3 80 81), め (E3 82 81), ｱ (EF BD B1), ﾁ (EF BE 81).
            // A stretch without marks first, as long as a few blocks.
            text in "[ab，、 \u{3081}\u{FF71}\u{FF81}]{0,100}\
                     [a.!?。！？；，、 b\u{3081}\u{FF71}\u{FF81}]{0,30}",
            from in 0usize..200,
        ) {
            let bytes = text.as_bytes();
            let from = from.min(bytes.len());
            let want = (from..bytes.len()).find(|&k| mark(&bytes[k..]).is_some());
            proptest::prop_assert_eq!(next_mark(bytes, from), want);
        }
    }

    proptest::proptest! {
        /// Each bit of the mask says what [`starts_mark`] says of its
        /// position.
        #[test]
        fn mark_starts_tests_each_position(
            w in proptest::array::uniform(proptest::sample::select(
                vec![b'.', b'!', b'?', b'a', 0xE3, 0xEF, 0x80, 0x82, 0xBC,
                     0x81, 0x9F, 0x9B, 0x8C, 0x00]
            )),
        ) {
            for k in 0..BLOCK {
                proptest::prop_assert_eq!(
                    mark_starts(&w) >> k & 1 == 1,
                    starts_mark(w[k], w[k + 1], w[k + 2]),
                    "position {}", k
                );
            }
        }
    }

    #[test]
    fn paragraphs_end_at_line_breaks_and_blank_lines() {
        let text = "\u{3000}\u{3000}第一段。\r\n\r\n第二段\r\n第三段\r  \n\n\u{a0}last ";
        assert_eq!(
            texts(text, paragraphs(text)),
            ["第一段。", "第二段", "第三段", "last"]
        );
        assert_eq!(paragraphs("").count(), 0);
        assert_eq!(paragraphs("\r\n \n").count(), 0);
        assert_eq!(texts("a\n\rb", paragraphs("a\n\rb")), ["a", "b"]);
    }

    /// Every line break of normalization ends a paragraph, U+2028, U+2029
    /// and NEL too; other characters led by their bytes (“ — …) do not.
    #[test]
    fn paragraphs_end_at_unicode_line_breaks() {
        let text = "“两新”\u{2028}两重—\u{2029}…\u{85}é\u{85}";
        assert_eq!(
            texts(text, paragraphs(text)),
            ["“两新”", "两重—", "…", "é"]
        );
    }

    #[test]
    fn chinese_sentences() {
        assert_eq!(
            split("推进“两重”建设。他说：“要抓紧！”真的吗？是的；好\n下一行"),
            [
                "推进“两重”建设。",
                "他说：“要抓紧！”",
                "真的吗？",
                "是的；",
                "好",
                "下一行"
            ]
        );
        // A run of marks ends one sentence; a comma ends none.
        assert_eq!(split("什么？！好，走。。"), ["什么？！", "好，走。。"]);
        // An ASCII period between Han characters or digits ends nothing.
        assert_eq!(
            split("1.【领航中国】共护一江水；2.3亿元"),
            ["1.【领航中国】共护一江水；", "2.3亿元"]
        );
    }

    #[test]
    fn english_sentences_and_abbreviations() {
        assert_eq!(
            split(
                "The U.S. economy grew. It is the No. 1 task! Is it? \
                 Mr. Li met Dr. Wang on Jan. 5 at 9 a.m. today. \
                 J. Smith agreed, i.e. yes. The answer is no. Next."
            ),
            [
                "The U.S. economy grew.",
                "It is the No. 1 task!",
                "Is it?",
                "Mr. Li met Dr. Wang on Jan. 5 at 9 a.m. today.",
                "J. Smith agreed, i.e. yes.",
                "The answer is no.",
                "Next."
            ]
        );
        assert_eq!(
            split(
                "He said \"stop.\" Then (it ended.) Growth was 5.2% in 2024... Then"
            ),
            [
                "He said \"stop.\"",
                "Then (it ended.)",
                "Growth was 5.2% in 2024...",
                "Then"
            ]
        );
        // A closing quote or bracket after the full stop ends the sentence
        // too, before a lower-case word (as README documents).
        assert_eq!(
            split("Both plans.\"  two new. The plans.) two new"),
            ["Both plans.\"", "two new.", "The plans.)", "two new"]
        );
        // White space after the mark: a line break or U+3000 counts.
        assert_eq!(split("Done.\u{3000}两重。"), ["Done.", "两重。"]);
    }

    #[test]
    fn sentences_end_at_line_breaks_crlf_included() {
        assert_eq!(
            split("第一句\r\n第二句。第三句\r\n\r\n  Fourth one\r"),
            ["第一句", "第二句。", "第三句", "Fourth one"]
        );
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = " 甲。 乙。";
        let spans: Vec<_> = sentences(text).collect();
        assert_eq!(spans, [1..7, 8..14]);
    }

    #[test]
    fn units_parse_and_print() {
        for s in ["doc", "paragraph", "sentence", "window:40"] {
            assert_eq!(s.parse::<Unit>().unwrap().to_string(), s);
        }
        assert!("window:0".parse::<Unit>().is_err());
        assert!("window:".parse::<Unit>().is_err());
        assert!("line".parse::<Unit>().is_err());
    }
}
