//! The only user of jieba-rs: word segmentation at match sites, for terms
//! whose short Chinese forms are also pieces of ordinary words (两新 in
//! 两新区). Segmenting a whole corpus would cost far more than matching it
//! (~40 MB/s), so only a few characters around a match are segmented, and
//! the dictionary is loaded on first use: for a match that punctuation
//! does not set apart from the words around it.
//!
//! `tifa discover` is the exception: it segments the Han text of the
//! documents it reads ([`words`]), to keep candidate phrases that begin and
//! end on word boundaries.

use std::sync::{Once, OnceLock};

use jieba_rs::Jieba;

/// Characters of context segmented on each side of a match.
const CONTEXT_CHARS: usize = 12;

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Starts loading the dictionary on a thread of its own, so that the
/// ~0.15 s it takes overlaps other work (`discover` builds its matcher
/// meanwhile) instead of stalling the first text segmented (one that
/// comes first waits for it).
pub fn preload() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        // If no thread can be started, the first match loads it.
        let _ = std::thread::Builder::new().spawn(|| {
            jieba();
        });
    });
}

/// Whether `text[start..end]` begins and ends on word boundaries when the
/// text around it is segmented.
///
/// The dictionary is loaded only when a match is not set apart (see
/// `set_apart`), and the match waits for it (about 0.15 s, once): most
/// corpora need it rarely if at all (in a copy of Xinwen Lianbo, 4 of 310
/// 两重 and 两新 are not set apart, and none of them passes its context
/// rule), while loading it took a fifth of the time and half the memory of
/// `count` over that copy.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    // Judged on the text as matching sees it, normalized: a line break
    // inside Chinese, or an invisible character, next to the match sets
    // nothing apart there (两新\n区 is 两新区).
    let from = back_chars(text, start, CONTEXT_CHARS);
    let to = forward_chars(text, end, CONTEXT_CHARS);
    let window = crate::normalize::normalize(&text[from..to]);
    let (start, end) =
        (window.norm_pos(start - from), window.norm_pos(end - from));
    let text = window.text.as_str();
    set_apart(text, start, end) || segmented_whole(text, start, end)
}

/// Whether jieba is sure to begin and end a word at the edges of
/// `text[start..end]` without its dictionary: it segments runs of the
/// characters it joins into words ([`joinable`]) one by one, and makes
/// every other character a word of its own, so a match of such characters
/// with none of them on either side (“两新”, at the start of a line) is a
/// run of its own. Most matches are quoted so.
fn set_apart(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    let (Some(first), Some(last)) =
        (inner.chars().next(), inner.chars().next_back())
    else {
        return false;
    };
    let apart = |c: Option<char>| c.is_none_or(|c| !joinable(c));
    joinable(first)
        && joinable(last)
        && apart(text[..start].chars().next_back())
        && apart(text[end..].chars().next())
}

/// The characters jieba-rs segments in runs (its `is_han_default`: CJK
/// ideographs, ASCII letters and digits, and `+#&._%-`).
fn joinable(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | 'a'..='z' | 'A'..='Z' | '0'..='9'
        | '+' | '#' | '&' | '.' | '_' | '%' | '-')
}

/// [`is_whole_word`], asked of jieba over the characters around the match.
fn segmented_whole(text: &str, start: usize, end: usize) -> bool {
    let from = back_chars(text, start, CONTEXT_CHARS);
    let to = forward_chars(text, end, CONTEXT_CHARS);
    let window = &text[from..to];
    let (s, e) = (start - from, end - from);
    let tokens = jieba().cut(window, true);
    let starts = tokens.iter().any(|t| t.byte_start == s);
    let ends = tokens.iter().any(|t| t.byte_end == e);
    starts && ends
}

/// One word of a segmented text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset of its end (exclusive).
    pub end: usize,
    /// jieba tags it as a place name (`ns`): 四川 and 三峡 begin with
    /// numerals but are no numbered formulas.
    pub place: bool,
    /// jieba tags it as a time word (`t`): 五年, 今天.
    pub time: bool,
}

/// Segments `text` (with jieba's HMM for words missing from its
/// dictionary) into `out`, replacing its contents; the words cover the
/// text.
pub fn words(text: &str, out: &mut Vec<Word>) {
    out.clear();
    let mut at = 0;
    for tag in jieba().tag(text, true) {
        let end = at + tag.word.len();
        out.push(Word {
            start: at,
            end,
            place: tag.tag == "ns",
            time: tag.tag == "t",
        });
        at = end;
    }
}

/// Whether jieba's dictionary holds `word`.
pub fn is_dictionary_word(word: &str) -> bool {
    jieba().has_word(word)
}

/// The byte offset `n` characters before `at` (0 when there are fewer). A
/// CR LF is one character, a line break, as `kwic --width` counts it: the
/// window of a context rule is the same over an article with Windows line
/// ends (People's Daily's) as over one with LF.
pub fn back_chars(text: &str, at: usize, n: usize) -> usize {
    let mut i = at;
    for _ in 0..n {
        let Some(c) = text[..i].chars().next_back() else { return 0 };
        i -= c.len_utf8();
        if c == '\n' && text[..i].ends_with('\r') {
            i -= 1;
        }
    }
    i
}

/// The byte offset `n` characters after `at` (the end of `text` when there
/// are fewer), a CR LF counted as one, as by [`back_chars`].
pub fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    let mut i = at;
    for _ in 0..n {
        let Some(c) = text[i..].chars().next() else { return text.len() };
        i += c.len_utf8();
        if c == '\r' && text[i..].starts_with('\n') {
            i += 1;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets() {
        let t = "一二三四五";
        assert_eq!(back_chars(t, 9, 2), 3);
        assert_eq!(back_chars(t, 9, 10), 0);
        assert_eq!(forward_chars(t, 3, 2), 9);
        assert_eq!(forward_chars(t, 3, 10), 15);
        // A CR LF is one character.
        let t = "一\r\n二\n三";
        assert_eq!(back_chars(t, 5, 1), 3);
        assert_eq!(back_chars(t, 5, 2), 0);
        assert_eq!(back_chars(t, t.len(), 2), 8);
        assert_eq!(forward_chars(t, 3, 1), 5);
        assert_eq!(forward_chars(t, 0, 2), 5);
        assert_eq!(forward_chars(t, 5, 2), 9);
    }

    #[test]
    fn words_cover_the_text() {
        let t = "推进两重建设和四个全面";
        let mut w = Vec::new();
        words(t, &mut w);
        assert_eq!(w.first().map(|w| w.start), Some(0));
        assert_eq!(w.last().map(|w| w.end), Some(t.len()));
        assert!(w.windows(2).all(|p| p[0].end == p[1].start));
        words("四川", &mut w);
        assert!(w[0].place);
    }

    proptest::proptest! {
        /// Whatever jieba would say is said without it when the match is
        /// set apart: over texts of ideographs, punctuation, the ASCII
        /// characters jieba joins and those it does not, line breaks.
        #[test]
        fn set_apart_agrees_with_jieba(
            chars in proptest::collection::vec(
                proptest::sample::select(
                    "两新重区政策“”，。、 aB7+.-_#&%!(\r\n〇㐀𠀀Ａ".chars().collect::<Vec<_>>(),
                ),
                1..16,
            )
        ) {
            let text: String = chars.iter().collect();
            let edges: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            for (i, &start) in edges.iter().enumerate() {
                for &end in edges.iter().skip(i + 1).take(4) {
                    proptest::prop_assert_eq!(
                        set_apart(&text, start, end)
                            || segmented_whole(&text, start, end),
                        segmented_whole(&text, start, end),
                        "{:?} in {:?}", &text[start..end], text
                    );
                }
            }
        }
    }

    /// A line break inside Chinese and an invisible character are not in
    /// the text matching sees: they set nothing apart (PDF text breaks
    /// lines anywhere; Xinwen Lianbo's transcripts hold U+200C).
    #[test]
    fn whole_words_of_the_normalized_text() {
        for (t, whole) in [
            ("支持浦东、滨海两新区建设", false),
            ("支持浦东、滨海两新\n区建设", false),
            ("支持浦东、滨海两新\r\n区建设", false),
            ("支持浦东、滨海两新\u{200C}区建设", false),
            ("实施“两新”\n政策", true),
            ("实施两新\n\n政策", true),
        ] {
            let s = t.find("两新").unwrap();
            assert_eq!(is_whole_word(t, s, s + 6), whole, "{t:?}");
        }
    }

    #[test]
    fn whole_words() {
        let t = "加力扩围实施“两新”政策";
        let s = t.find("两新").unwrap();
        assert!(is_whole_word(t, s, s + 6));
        let t = "浦东、滨海两新区建设";
        let s = t.find("两新").unwrap();
        assert!(!is_whole_word(t, s, s + 6));
    }
}
