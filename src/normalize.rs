//! Normalization for matching: what must match alike, and the map from
//! normalized offsets back to the original text.
//!
//! The normalized text of a document is defined by [`normalize`]:
//!
//! * full-width ASCII (U+FF01–U+FF5E) becomes ASCII: `人工智能＋` is
//!   `人工智能+`;
//! * a maximal run of white space (including U+3000 and NBSP) becomes one
//!   space; a run holding exactly one line break next to a Han character
//!   becomes nothing (see [`joins_lines`]); a run holding two or more line
//!   breaks, or one followed by the ideographic space that indents a
//!   Chinese paragraph, becomes one `\n`, a paragraph break that no form
//!   can span;
//! * an [invisible](is_invisible) character (zero-width space, soft hyphen
//!   and the like) is deleted, as if it had never been there.
//!
//! English is compared ASCII case-insensitively by the matcher, so case is
//! not folded here and byte offsets of letters never move.
//!
//! Rewriting a document costs a pass over it, so the matcher rewrites only
//! when it must: [`Profile::needs_rewrite_at`] answers, for a given lexicon,
//! whether normalization could change any match in a document, judging only
//! the places where the automaton met a [sentinel](Profile::sentinels)
//! (white space other than a lone space, the full-width forms of the ASCII
//! of long English forms). Full-width twins of short forms are added to the
//! automaton instead (see `matcher`), and full-width punctuation is a
//! sentinel only next to the neighbour a form gives it, so that the
//! full-width commas of ordinary Chinese text are not even sentinels.

use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// Sets of character pairs, looked up at every line break of a corpus:
/// hashed with one multiplication instead of SipHash (the keys are not
/// chosen by an adversary who could exploit it; a lexicon is trusted).
type PairSet = HashSet<(char, char), BuildHasherDefault<PairHasher>>;

/// A multiply-rotate hasher for small integer keys (after FxHash).
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n)
            .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Han characters: CJK unified ideographs and their extensions, the
/// compatibility ideographs, and the ideographic planes 2 and 3.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// White space as normalization sees it.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\r'
            | '\u{0B}'
            | '\u{0C}'
            | '\u{85}'
            | '\u{A0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
    )
}

/// Whether one line break between `p` and `n` is removed. Chinese text is
/// broken into lines anywhere, PDF extraction and hard-wrapped pages keep
/// the breaks, and no space stands between words: a Han character on
/// either side makes the break a place inside a sentence, next to 、 or “
/// (共商、⏎共建) or a digit (21⏎世纪) as between two Han characters.
pub fn joins_lines(p: char, n: char) -> bool {
    is_han(p) || is_han(n)
}

/// Format characters that web pages, word processors and typesetting put
/// inside words without showing them: the soft hyphen, the combining
/// grapheme joiner, the zero-width space, non-joiner and joiner, the
/// direction marks, embeddings and isolates of right-to-left text, the word
/// joiner and the invisible operators, the variation selectors (which pick
/// a glyph of the character before) and the zero-width no-break space (a
/// BOM inside a text). Xinwen Lianbo's transcripts hold zero-width
/// non-joiners in mid-sentence (管理和\u{200C}国土空间规划); normalization
/// deletes them, so that they hide no match. A lexicon's form may not hold
/// one.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}'
        | '\u{34F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}')
}

/// A line break, as normalization and the language of a match take one.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | PARAGRAPH_SEPARATOR)
}

/// U+2029, which ends a paragraph: a form never spans it, as it never
/// spans a blank line.
const PARAGRAPH_SEPARATOR: char = '\u{2029}';

/// The typographic apostrophe (U+2019, also the closing single quote),
/// which word processors and most English-language news sites write for
/// `'`: matched as `'`.
pub const APOSTROPHE: char = '\u{2019}';

/// The other typographic quote marks, matched as the ASCII ones a lexicon
/// writes: ‘ as `'`, “ and ” as `"`. English press copy quotes `“two
/// major”`, which the lexicon lists as `"two major"`; Chinese forms quoted
/// “两山” match `"两山"` too. So do the corner brackets with which Hong
/// Kong and Taiwan text quotes (and `--t2s` leaves as they are): 「两山」
/// as `"两山"`, and 『』, quotes inside quotes, as `'`.
const OPENING_SINGLE_QUOTE: char = '\u{2018}';
const OPENING_DOUBLE_QUOTE: char = '\u{201C}';
const CLOSING_DOUBLE_QUOTE: char = '\u{201D}';
const LEFT_CORNER_BRACKET: char = '\u{300C}';
const RIGHT_CORNER_BRACKET: char = '\u{300D}';
const LEFT_WHITE_CORNER_BRACKET: char = '\u{300E}';
const RIGHT_WHITE_CORNER_BRACKET: char = '\u{300F}';

/// The Unicode hyphens (U+2010, and U+2011, the non-breaking one that
/// web pages write to keep "high‑quality" on one line): matched as `-`.
/// Dashes are not hyphens, and stay apart.
pub const HYPHENS: [char; 2] = [HYPHEN, NON_BREAKING_HYPHEN];
const HYPHEN: char = '\u{2010}';
const NON_BREAKING_HYPHEN: char = '\u{2011}';

/// A character matched as the ASCII it stands for: full-width ASCII
/// (U+FF01–U+FF5E), the typographic quote marks ([`APOSTROPHE`] among
/// them), the corner brackets and the [`HYPHENS`]: what [`fold_width`]
/// changes.
pub fn is_ascii_variant(c: char) -> bool {
    fold_width(c) != c
}

/// Full-width ASCII to ASCII, ‘ ’ 『 』 to `'`, “ ” 「 」 to `"`, the
/// [`HYPHENS`] to `-`; every other character unchanged.
pub fn fold_width(c: char) -> char {
    match c {
        APOSTROPHE
        | OPENING_SINGLE_QUOTE
        | LEFT_WHITE_CORNER_BRACKET
        | RIGHT_WHITE_CORNER_BRACKET => '\'',
        OPENING_DOUBLE_QUOTE | CLOSING_DOUBLE_QUOTE | LEFT_CORNER_BRACKET
        | RIGHT_CORNER_BRACKET => '"',
        HYPHEN | NON_BREAKING_HYPHEN => '-',
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

/// Printable ASCII to its full-width twin; every other character
/// unchanged. The inverse of [`fold_width`].
pub fn widen(c: char) -> char {
    if c.is_ascii_graphic() {
        char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
    } else {
        c
    }
}

/// A character that English word boundaries treat as part of a word:
/// ASCII letters and digits, also in their full-width forms.
pub fn is_word_char(c: char) -> bool {
    fold_width(c).is_ascii_alphanumeric()
}

/// The web and e-mail addresses of a text, sorted and apart: from
/// `http://`, `https://` or `www.` (any case; `www.` not after a letter or
/// digit) up to white space or a character no address holds, and the
/// whole run of such characters around an `@` between two letters or
/// digits (`whitelist@mohurd.gov.cn`). Words in them are not English
/// words, and English forms in them are not matches.
pub fn web_addresses(bytes: &[u8]) -> Vec<Range<usize>> {
    web_addresses_in(bytes, true)
}

/// The bytes a web address runs on over: printable ASCII but quotes and
/// angle brackets. A table: a test of the byte's range and then of five
/// bytes, at every byte of every address, took 3% of a run over Xinwen
/// Lianbo, whose every record ends with the address of its video.
static URL_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_graphic()
            && !matches!(c, b'"' | b'\'' | b'<' | b'>' | b'`');
        b += 1;
    }
    t
};

/// [`web_addresses`], looking for `www.` and e-mail addresses only if
/// `dotted_or_at`: the caller knows whether the text has a `w.` (in any
/// case) or an `@`.
pub fn web_addresses_in(
    bytes: &[u8],
    dotted_or_at: bool,
) -> Vec<Range<usize>> {
    let run_end = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|&&b| URL_BYTES[b as usize])
            .count()
    };
    let alnum = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    // An ASCII colon is rare in Chinese text (`：` is another character):
    // finding each is cheaper than finding `://` (1.1 instructions a byte
    // over broadcast transcripts with memmem).
    let colons = memchr::memchr_iter(b':', bytes);
    let schemes = colons.filter(|&c| bytes[c + 1..].starts_with(b"//"));
    let schemes = schemes.filter_map(|colon| {
        let scheme = [&b"http"[..], b"https"].into_iter().find(|s| {
            colon >= s.len()
                && bytes[colon - s.len()..colon].eq_ignore_ascii_case(s)
        })?;
        Some(colon - scheme.len())
    });
    let mut found: Vec<Range<usize>> =
        schemes.map(|start| start..run_end(start)).collect();
    // One pass for both: the `.` of a `www.`, the `@` of an e-mail.
    let marks = if dotted_or_at { bytes } else { &[] };
    for at in memchr::memchr2_iter(b'.', b'@', marks) {
        if bytes[at] == b'.' {
            let Some(start) = at.checked_sub(3) else { continue };
            if bytes[start..at].eq_ignore_ascii_case(b"www")
                && (start == 0 || !alnum(start - 1))
            {
                found.push(start..run_end(start));
            }
        } else if at > 0 && alnum(at - 1) && alnum(at + 1) {
            let before = bytes[..at]
                .iter()
                .rev()
                .take_while(|&&b| URL_BYTES[b as usize]);
            found.push(at - before.count()..run_end(at));
        }
    }
    if found.len() > 1 {
        found.sort_unstable_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(found.len());
        for r in found {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => {
                    last.end = last.end.max(r.end)
                }
                _ => merged.push(r),
            }
        }
        found = merged;
    }
    found
}

/// The canonical key of a form: normalized, ASCII lower case, trimmed.
/// Two forms with the same key match the same text.
pub fn fold_form(form: &str) -> String {
    normalize(form).text.trim().to_ascii_lowercase()
}

/// A normalized document and the way back to the original offsets.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    segs: Vec<Seg>,
    orig_len: usize,
}

/// A stretch of normalized text: copied verbatim, or one rewritten unit
/// (a folded character, a white-space run).
#[derive(Debug, Clone, Copy)]
struct Seg {
    norm: usize,
    orig: usize,
    norm_len: usize,
    orig_len: usize,
    verbatim: bool,
}

impl Normalized {
    /// The original offset of a match that starts at normalized `pos`.
    pub fn map_start(&self, pos: usize) -> usize {
        if pos >= self.text.len() {
            return self.orig_len;
        }
        let seg = self.seg_at(pos);
        if seg.verbatim { seg.orig + (pos - seg.norm) } else { seg.orig }
    }

    /// The original offset of a match that ends at normalized `pos`
    /// (exclusive): the end of the original unit holding byte `pos - 1`.
    pub fn map_end(&self, pos: usize) -> usize {
        if pos == 0 {
            return 0;
        }
        let seg = self.seg_at(pos - 1);
        if seg.verbatim {
            seg.orig + (pos - seg.norm)
        } else {
            seg.orig + seg.orig_len
        }
    }

    /// The normalized offset of original offset `orig`, which is at the
    /// edge of a unit (as the ends of a match are): inverse to
    /// [`map_start`](Self::map_start) there. Inside characters deleted
    /// (invisible ones), the offset after what precedes them.
    pub fn norm_pos(&self, orig: usize) -> usize {
        let i = self.segs.partition_point(|s| s.orig <= orig);
        let Some(seg) = i.checked_sub(1).map(|i| self.segs[i]) else {
            return 0;
        };
        if orig >= seg.orig + seg.orig_len {
            seg.norm + seg.norm_len
        } else if seg.verbatim {
            seg.norm + (orig - seg.orig)
        } else {
            seg.norm
        }
    }

    fn seg_at(&self, pos: usize) -> Seg {
        let i = self.segs.partition_point(|s| s.norm <= pos);
        self.segs[i - 1]
    }

    fn push(
        &mut self,
        orig: usize,
        orig_len: usize,
        out: &str,
        verbatim: bool,
    ) {
        if out.is_empty() {
            return;
        }
        let norm = self.text.len();
        self.text.push_str(out);
        if verbatim
            && let Some(last) = self.segs.last_mut()
            && last.verbatim
            && last.orig + last.orig_len == orig
        {
            last.norm_len += out.len();
            last.orig_len += orig_len;
            return;
        }
        self.segs.push(Seg {
            norm,
            orig,
            norm_len: out.len(),
            orig_len,
            verbatim,
        });
    }
}

/// Normalizes a whole text (see the module docs for the rules).
pub fn normalize(text: &str) -> Normalized {
    let bytes = text.as_bytes();
    let mut out = Normalized {
        text: String::with_capacity(text.len()),
        segs: Vec::new(),
        orig_len: text.len(),
    };
    let mut prev: Option<char> = None;
    let mut i = 0;
    while i < bytes.len() {
        // Copy at once a run of characters whose lead bytes start nothing
        // normalization touches.
        let run = i;
        while i < bytes.len() && !INTERESTING[bytes[i] as usize] {
            i += 1;
        }
        if i > run {
            out.push(run, i - run, &text[run..i], true);
            prev = text[run..i].chars().next_back();
            continue;
        }
        let c = decode_at(text, i);
        if is_invisible(c) {
            // Deleted; `prev` stays the character before it.
            i += c.len_utf8();
            continue;
        }
        if !is_space(c) {
            let folded = fold_width(c);
            let mut buf = [0; 4];
            let len = c.len_utf8();
            out.push(i, len, folded.encode_utf8(&mut buf), folded == c);
            prev = Some(c);
            i += len;
            continue;
        }
        let start = i;
        let (end, breaks, last) = space_run(text, start);
        i = end;
        let next = text[i..].chars().next();
        let joined = breaks == 1
            && prev.zip(next).is_some_and(|(p, n)| joins_lines(p, n));
        let replacement = if joined {
            ""
        } else if breaks >= 2 {
            "\n"
        } else {
            " "
        };
        let verbatim = &text[start..i] == replacement;
        out.push(start, i - start, replacement, verbatim);
        prev = Some(last);
    }
    out
}

/// What normalization can change for a given set of patterns: the facts
/// [`Profile::needs_rewrite_at`] needs to decide cheaply.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// ASCII characters (lower case) that some pattern holds without their
    /// full-width twins in the automaton.
    untwinned: u128,
    /// Adjacent characters in those patterns where one is such an ASCII
    /// character: a full-width character in a text matters only next to
    /// the neighbour a pattern gives its twin.
    untwinned_pairs: PairSet,
    /// Those patterns that are one character long.
    untwinned_solo: u128,
    /// The characters that start, and that end, such a pattern: a
    /// full-width character anywhere else in one needs the neighbour the
    /// pattern gives it on both sides.
    untwinned_starts: u128,
    untwinned_ends: u128,
    /// (before, after) around a space inside a pattern, lower case.
    space_pairs: PairSet,
    /// Adjacent characters inside a pattern that one line break between
    /// them would not separate ([`joins_lines`]).
    joined_pairs: PairSet,
    /// The first characters of `space_pairs` and `joined_pairs`: most
    /// line breaks follow a character that starts no pair (a full stop),
    /// and this answers for them without hashing.
    pair_firsts: CharBits,
}

/// A set of characters as bits, as long as its largest member needs.
#[derive(Debug, Clone, Default)]
struct CharBits(Vec<u64>);

impl CharBits {
    fn insert(&mut self, c: char) {
        let (word, bit) = (c as usize / 64, c as usize % 64);
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << bit;
    }

    fn contains(&self, c: char) -> bool {
        let (word, bit) = (c as usize / 64, c as usize % 64);
        self.0.get(word).is_some_and(|w| w >> bit & 1 == 1)
    }
}

impl Profile {
    /// Records a folded pattern. `twinned` says whether the automaton holds
    /// its full-width twins.
    pub fn add(&mut self, folded: &str, twinned: bool) {
        let chars: Vec<char> = folded.chars().collect();
        let untwinned = |c: char| !twinned && c.is_ascii_graphic();
        for (i, &c) in chars.iter().enumerate() {
            if untwinned(c) {
                self.untwinned |= 1 << c as u32;
                if chars.len() == 1 {
                    self.untwinned_solo |= 1 << c as u32;
                }
                if i == 0 {
                    self.untwinned_starts |= 1 << c as u32;
                }
                if i + 1 == chars.len() {
                    self.untwinned_ends |= 1 << c as u32;
                }
            }
            if i > 0 && (untwinned(c) || untwinned(chars[i - 1])) {
                self.untwinned_pairs.insert((chars[i - 1], c));
            }
            if c == ' ' && i > 0 && i + 1 < chars.len() {
                self.space_pairs.insert((chars[i - 1], chars[i + 1]));
                self.pair_firsts.insert(chars[i - 1]);
            }
            if i > 0 && joins_lines(chars[i - 1], c) {
                self.joined_pairs.insert((chars[i - 1], c));
                self.pair_firsts.insert(chars[i - 1]);
            }
        }
    }

    /// The strings whose occurrences are the only places where
    /// normalization could change a match: every white-space character but
    /// the space, two spaces, every invisible character (rare, and each is
    /// judged to matter), and the full-width twins of the ASCII
    /// characters in `Profile::untwinned`. Punctuation and digits are
    /// common full-width in Chinese text (every comma), so theirs are
    /// sentinels only next to a neighbour a pattern gives them (`m，` for
    /// `reform, development`). The matcher adds the sentinels to its
    /// automaton, so that finding them costs nothing beyond the walk it
    /// makes anyway; [`Profile::needs_rewrite_at`] then judges each place.
    pub fn sentinels(&self) -> Vec<String> {
        let mut out: Vec<String> = spellings(' ')
            .into_iter()
            .filter(|&c| c != ' ')
            .map(String::from)
            .collect();
        out.push("  ".into());
        out.extend(
            ('\u{AD}'..='\u{FEFF}')
                .filter(|&c| is_invisible(c))
                .map(String::from),
        );
        for a in ('!'..='~').filter(|a| !a.is_ascii_uppercase()) {
            if self.untwinned & (1 << a as u32) == 0 {
                continue;
            }
            let wide: Vec<char> = spellings(a)
                .into_iter()
                .filter(|&w| is_ascii_variant(w))
                .collect();
            if a.is_ascii_alphabetic()
                || self.untwinned_solo & (1 << a as u32) != 0
            {
                out.extend(wide.iter().map(|w| w.to_string()));
                continue;
            }
            for &(p, n) in &self.untwinned_pairs {
                for w in &wide {
                    if n == a {
                        out.extend(
                            spellings(p).iter().map(|x| format!("{x}{w}")),
                        );
                    }
                    if p == a {
                        out.extend(
                            spellings(n).iter().map(|y| format!("{w}{y}")),
                        );
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether matching `text` as it is could give other matches than
    /// matching its normalized form, judged by scanning the whole text for
    /// [sentinels](Profile::sentinels). The matcher finds them with its
    /// automaton instead; this is the plain reference.
    pub fn needs_rewrite(&self, text: &str) -> bool {
        let sentinels = self.sentinels();
        let mut at: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .filter(|&i| sentinels.iter().any(|s| text[i..].starts_with(s)))
            .collect();
        self.needs_rewrite_at(text, &mut at)
    }

    /// Whether normalization could change a match of `text`, given where
    /// its [sentinels](Profile::sentinels) start (in any order; sorted
    /// here). Any place that holds no sentinel is one normalization leaves
    /// alone or changes in no way a pattern could see.
    pub fn needs_rewrite_at(&self, text: &str, at: &mut [usize]) -> bool {
        let at = sort_positions(at, text.len());
        // Text before `judged` has been judged already: a white-space run
        // holds several sentinels.
        let mut judged = 0;
        for &i in at.iter() {
            if i < judged {
                continue;
            }
            let c = decode_at(text, i);
            if is_invisible(c) {
                // Deleting it could join a pattern; judging whether it
                // does is not worth the code for so rare a character.
                return true;
            }
            if is_space(c) {
                let start = text[..i]
                    .char_indices()
                    .rev()
                    .take_while(|&(_, d)| is_space(d))
                    .last()
                    .map_or(i, |(k, _)| k);
                let (end, matters) = self.space_run_matters(text, start);
                if matters {
                    return true;
                }
                judged = end;
            } else {
                if self.full_width_matters(text, i, c) {
                    return true;
                }
                judged = i + c.len_utf8();
            }
            // A sentinel may be a neighbour and then a full-width
            // character; judging one character more is always safe.
            if let Some(d) = text[judged..].chars().next()
                && self.full_width_matters(text, judged, d)
            {
                return true;
            }
        }
        false
    }

    /// Whether the line feed at `i`, or the CR LF that ends there, could
    /// change a match, when it stands alone between two characters that
    /// are not white space, as most line ends do: judged here as
    /// [`Profile::needs_rewrite_at`] would judge it, but at once.
    /// `Some(false)` too next to white space that is a sentinel itself,
    /// which that function judges with its run; at either end of the
    /// text, where the run it starts or ends has no character on one side
    /// to join; and after a character that starts no pair in a pattern
    /// (`。`), whatever white space follows: that function would judge the
    /// run between the same two characters. `None` for any other line
    /// feed, which is left to that function. (That function also judges
    /// the character after a sentinel. A full-width one that matters after
    /// a line feed is the end of a sentinel of its own, which starts at the
    /// line feed.)
    pub fn lone_line_feed_matters(
        &self,
        text: &str,
        i: usize,
    ) -> Option<bool> {
        // The CR of a CR LF is judged with it (see `judged_elsewhere`).
        let before = &text[..i];
        let before = before.strip_suffix('\r').unwrap_or(before);
        let Some(p) = before.chars().next_back() else {
            return Some(false);
        };
        if !is_space(p) && !self.pair_firsts.contains(fold_lower(p)) {
            return Some(false);
        }
        let Some(n) = text[i + 1..].chars().next() else {
            return Some(false);
        };
        if is_space(p) || is_space(n) {
            // White space other than a space or a line feed is a sentinel
            // of its own (a tab, the first CR of `\r\r\n`), and judging it
            // judges its whole run, this line feed with it.
            let sentinel = |c: char| is_space(c) && !matches!(c, ' ' | '\n');
            return (sentinel(p) || sentinel(n)).then_some(false);
        }
        Some(self.pair_matters(p, n, 1))
    }

    /// Whether the full-width character `c` at `i` could be part of a
    /// pattern that is not twinned: it folds to one of their characters,
    /// and on each side, such a pattern starts (ends) with it, or the
    /// neighbour there is one such a pattern gives it. White space is a
    /// space here; a line break that normalization takes away is judged
    /// with the characters on either side of it, the comma's among them.
    /// (Either side alone let through the full-width comma before every
    /// indented paragraph of People's Daily, because a form holds `, `:
    /// 3% of its articles were rewritten.)
    fn full_width_matters(&self, text: &str, i: usize, c: char) -> bool {
        if !is_ascii_variant(c) {
            return false;
        }
        let a = fold_lower(c);
        let bit = 1 << a as u32;
        if self.untwinned & bit == 0 {
            return false;
        }
        if self.untwinned_solo & bit != 0 {
            return true;
        }
        let around = |n: Option<char>| {
            n.map(|n| if is_space(n) { ' ' } else { fold_lower(n) })
        };
        let pairs = &self.untwinned_pairs;
        let before = around(text[..i].chars().next_back());
        let after = around(text[i + c.len_utf8()..].chars().next());
        (self.untwinned_starts & bit != 0
            || before.is_some_and(|p| pairs.contains(&(p, a))))
            && (self.untwinned_ends & bit != 0
                || after.is_some_and(|n| pairs.contains(&(a, n))))
    }

    /// The end of the white-space run starting at `start`, and whether what
    /// it becomes could join or split a pattern: a lone line break that
    /// joins characters a pattern holds side by side, or a run other than
    /// one space between characters a pattern holds around a space.
    fn space_run_matters(&self, text: &str, start: usize) -> (usize, bool) {
        let (i, breaks, _) = space_run(text, start);
        if breaks >= 2 || &text[start..i] == " " {
            return (i, false);
        }
        let prev = text[..start].chars().next_back();
        let next = text[i..].chars().next();
        let (Some(p), Some(n)) = (prev, next) else { return (i, false) };
        (i, self.pair_matters(p, n, breaks))
    }

    /// Whether white space with `breaks` line breaks, between `p` and `n`
    /// and other than one space, could join or split a pattern: one line
    /// break next to a Han character is removed, and matters between
    /// characters a pattern holds side by side; any other run is a space
    /// between characters a pattern may hold around one.
    fn pair_matters(&self, p: char, n: char, breaks: usize) -> bool {
        let p = fold_lower(p);
        if !self.pair_firsts.contains(p) {
            return false;
        }
        let n = fold_lower(n);
        if breaks == 1 && joins_lines(p, n) {
            self.joined_pairs.contains(&(p, n))
        } else {
            self.space_pairs.contains(&(p, n))
        }
    }
}

/// Whether the sentinel occurrence at `at` needs no judging of its own.
/// A CR before a line feed is judged with it
/// ([`Profile::lone_line_feed_matters`]). An ideographic space after a
/// line feed (and any others), the indent of a Chinese paragraph, is in
/// white space with two line breaks (see `space_run`), which never
/// matters: People's Daily ends its lines with CR LF and indents most,
/// and judging each took 7% of the instructions of a run over its
/// articles. (A full-width character after either matters only with a
/// sentinel of its own.) An ideographic space after another is judged
/// with the first of their run, which [`Profile::needs_rewrite_at`] judges
/// whole, or not at all: looking back over the run from each of them took
/// time in the square of its length (128,000 of them, 5 s).
pub fn judged_elsewhere(text: &str, at: Range<usize>) -> bool {
    const INDENT: &[u8] = "\u{3000}".as_bytes();
    let (bytes, end) = (text.as_bytes(), at.end);
    match &bytes[at.start..end] {
        b"\r" => bytes.get(end) == Some(&b'\n'),
        INDENT => {
            let before = &bytes[..at.start];
            before.ends_with(INDENT) || before.ends_with(b"\n")
        }
        _ => false,
    }
}

/// `at`, positions in a text of `len` bytes, in order; a repeated one
/// may be dropped. A text of up to [`POSITION_BITS`] bytes goes through a
/// bit set by position: sorting the sentinels of a newspaper article (a
/// few dozen: each paragraph's line break and indent) took 3% of the
/// instructions of a run over a folder of them.
fn sort_positions(at: &mut [usize], len: usize) -> &[usize] {
    if len > POSITION_BITS || at.len() < 8 {
        at.sort_unstable();
        return at;
    }
    thread_local! {
        static BITS: RefCell<Vec<u64>> =
            RefCell::new(vec![0; POSITION_BITS / 64]);
    }
    let kept = BITS.with_borrow_mut(|bits| {
        let bits = &mut bits[..len.div_ceil(64)];
        for &i in at.iter() {
            bits[i / 64] |= 1 << (i % 64);
        }
        let mut kept = 0;
        // Each word is cleared as it is read: the set is empty again.
        for (w, word) in bits.iter_mut().enumerate() {
            while *word != 0 {
                at[kept] = w * 64 + word.trailing_zeros() as usize;
                kept += 1;
                *word &= *word - 1;
            }
        }
        kept
    });
    &at[..kept]
}

/// The longest text whose sentinels [`sort_positions`] orders by a bit
/// set (of 4 KiB a thread).
const POSITION_BITS: usize = 32 << 10;

/// The maximal white-space run starting at `start`, with the invisible
/// characters inside it or at its end (deleted, they leave the spaces
/// around them side by side): its end, its line breaks (CR LF is one; a
/// break followed by an ideographic space, a paragraph's indent, counts as
/// two), and its last white-space character.
fn space_run(text: &str, start: usize) -> (usize, usize, char) {
    let mut i = start;
    let mut breaks = 0;
    let mut last = '\0';
    while i < text.len() {
        let d = decode_at(text, i);
        if is_invisible(d) {
            i += d.len_utf8();
            continue;
        }
        if !is_space(d) {
            break;
        }
        if d == PARAGRAPH_SEPARATOR {
            // A paragraph's end, as a blank line is: never joined.
            breaks += 2;
        } else if is_line_break(d) && !(last == '\r' && d == '\n') {
            breaks += 1;
        } else if d == '\u{3000}' && breaks == 1 {
            // The indent of a Chinese paragraph: the break before it ends
            // one, as a blank line does (wrapped lines are not indented).
            breaks = 2;
        }
        last = d;
        i += d.len_utf8();
    }
    (i, breaks, last)
}

/// The characters of a text that [`Profile`] sees as the folded pattern
/// character `c`: any white space for a space, both cases and widths for an
/// ASCII letter, both widths for other ASCII, ‘ ’ 『 』 for `'`, “ ” 「 」
/// for `"`, and the [`HYPHENS`] for `-`.
pub fn spellings(c: char) -> Vec<char> {
    if c == ' ' {
        return ('\0'..='\u{3000}').filter(|&c| is_space(c)).collect();
    }
    let mut out = vec![c];
    match c {
        '\'' => {
            out.extend([
                APOSTROPHE,
                OPENING_SINGLE_QUOTE,
                LEFT_WHITE_CORNER_BRACKET,
                RIGHT_WHITE_CORNER_BRACKET,
            ]);
        }
        '"' => {
            out.extend([
                OPENING_DOUBLE_QUOTE,
                CLOSING_DOUBLE_QUOTE,
                LEFT_CORNER_BRACKET,
                RIGHT_CORNER_BRACKET,
            ]);
        }
        '-' => out.extend(HYPHENS),
        _ => {}
    }
    if c.is_ascii_graphic() {
        out.push(widen(c));
        if c.is_ascii_alphabetic() {
            let upper = c.to_ascii_uppercase();
            out.extend([upper, widen(upper)]);
        }
    }
    out
}

fn fold_lower(c: char) -> char {
    fold_width(c).to_ascii_lowercase()
}

/// The character at `i`; an ASCII byte without decoding (the line breaks
/// and spaces of the white-space runs judged at every paragraph).
fn decode_at(text: &str, i: usize) -> char {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().unwrap_or('\0'),
    }
}

/// Lead bytes of white space, of full-width ASCII and the other
/// characters folded, and of the invisible characters (U+034F: 0xCD).
static INTERESTING: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = [
        b' ', b'\t', b'\n', b'\r', 0x0B, 0x0C, 0xC2, 0xCD, 0xE1, 0xE2, 0xE3,
        0xEF,
    ];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    /// `norm_pos` undoes `map_start` at every character of the normalized
    /// text, and puts what normalization deleted after what precedes it.
    #[test]
    fn normalized_positions_of_original_ones() {
        let text = "ＡＩ＋\u{200B}新\n质  生产力\r\n行动";
        let norm = normalize(text);
        for (k, _) in norm.text.char_indices() {
            assert_eq!(
                norm.norm_pos(norm.map_start(k)),
                k,
                "{k} in {:?}",
                norm.text
            );
        }
        assert_eq!(norm.norm_pos(text.len()), norm.text.len());
        let zw = text.find('\u{200B}').unwrap();
        assert_eq!(norm.norm_pos(zw), "AI+".len());
    }

    #[test]
    fn folds_width_and_space() {
        let n = normalize("人工智能＋行动\u{3000}AI＋\r\n\r\nnew\n quality");
        assert_eq!(n.text, "人工智能+行动 AI+\nnew quality");
        // Hyphens are `-`; a dash is not.
        let n =
            normalize("high\u{2011}quality high\u{2010}level high\u{2013}end");
        assert_eq!(n.text, "high-quality high-level high\u{2013}end");
        // Typographic quote marks are the ASCII ones.
        let n = normalize("“two major” ‘involution’ China’s");
        assert_eq!(n.text, "\"two major\" 'involution' China's");
        // So are the corner brackets of Hong Kong and Taiwan text.
        let n = normalize("「两山」『内卷式』");
        assert_eq!(n.text, "\"两山\"'内卷式'");
    }

    #[test]
    fn removes_one_line_break_next_to_han() {
        assert_eq!(normalize("新质生\n产力").text, "新质生产力");
        assert_eq!(normalize("新质生 \r\n 产力").text, "新质生产力");
        assert_eq!(normalize("新质生\n\n产力").text, "新质生\n产力");
        assert_eq!(normalize("共商、\n共建").text, "共商、共建");
        assert_eq!(normalize("共建“\n一带一路”").text, "共建\"一带一路\"");
        assert_eq!(normalize("和21\n世纪").text, "和21世纪");
        assert_eq!(normalize("生产。\n新质").text, "生产。新质");
        assert_eq!(normalize("中国\nAI+").text, "中国AI+");
        // Without a Han character, a line break is a space.
        assert_eq!(normalize("AI\n+").text, "AI +");
        assert_eq!(normalize("2024;\n“AI").text, "2024; \"AI");
        // A heading, then a paragraph indented with ideographic spaces: a
        // paragraph break, where the same spaces before the break are not.
        assert_eq!(normalize("改革\n\u{3000}\u{3000}开放").text, "改革\n开放");
        assert_eq!(normalize("改革\r\n\u{3000}开放").text, "改革\n开放");
        assert_eq!(normalize("改革\u{3000}\n开放").text, "改革开放");
        // A line separator and NEL are line breaks; a paragraph separator
        // ends a paragraph, as a blank line does.
        assert_eq!(normalize("新质生\u{2028}产力").text, "新质生产力");
        assert_eq!(normalize("新质生\u{85}产力").text, "新质生产力");
        assert_eq!(normalize("新质生\u{2029}产力").text, "新质生\n产力");
    }

    #[test]
    fn deletes_invisible_characters() {
        assert_eq!(normalize("新质\u{200B}生产力").text, "新质生产力");
        assert_eq!(normalize("white\u{AD}list").text, "whitelist");
        // Direction marks and isolates, variation selectors, the combining
        // grapheme joiner.
        assert_eq!(
            normalize("新质\u{200E}生\u{2066}产\u{2069}力两\u{FE00}重\u{34F}")
                .text,
            "新质生产力两重"
        );
        // Deleted first: the line break is between two Han characters, and
        // the spaces around a deleted character are one run.
        assert_eq!(
            normalize("新质生\u{200C}\n\u{FEFF}产力").text,
            "新质生产力"
        );
        assert_eq!(normalize("AI \u{2060} +").text, "AI +");
        assert_eq!(normalize("a\r\u{200D}\nb").text, "a b");
        let orig = "管理和\u{200C}国土空间规划";
        let n = normalize(orig);
        let s = n.text.find("和国土").unwrap();
        let e = s + "和国土".len();
        assert_eq!(&orig[n.map_start(s)..n.map_end(e)], "和\u{200C}国土");
        let mut p = Profile::default();
        p.add("新质生产力", true);
        assert!(p.needs_rewrite("新质\u{200B}生产力"));
    }

    #[test]
    fn maps_offsets_back() {
        let orig = "推进人工智能＋行动\n新质生\n产力";
        let n = normalize(orig);
        let s = n.text.find("人工智能+").unwrap();
        let e = s + "人工智能+".len();
        assert_eq!(&orig[n.map_start(s)..n.map_end(e)], "人工智能＋");
        let s = n.text.find("新质生产力").unwrap();
        let e = s + "新质生产力".len();
        assert_eq!(&orig[n.map_start(s)..n.map_end(e)], "新质生\n产力");
    }

    #[test]
    fn rewrite_only_when_it_matters() {
        let mut p = Profile::default();
        p.add("新质生产力", true);
        p.add("共商、共建、共享", true);
        p.add("new quality productive forces", false);
        assert!(!p.needs_rewrite("发展，新质生产力。\n新华社"));
        assert!(p.needs_rewrite("新质生\n产力"));
        assert!(!p.needs_rewrite("新质\n\n生产力"));
        assert!(p.needs_rewrite("new quality\nproductive forces"));
        assert!(!p.needs_rewrite("new quality productive forces.\nNext"));
        // Lone line feeds are judged at once, others are left to judge.
        let lone = |text: &str| {
            p.lone_line_feed_matters(text, text.find('\n').unwrap())
        };
        assert_eq!(lone("新质生\n产力"), Some(true));
        assert_eq!(lone("新质。\n产力"), Some(false));
        assert_eq!(lone("共商、\n共建"), Some(true));
        assert_eq!(lone("共商\n共建"), Some(false));
        assert_eq!(lone("quality\nproductive"), Some(true));
        // The CR of a CR LF is judged with its line feed, and the indent
        // after a line feed needs no judging.
        assert_eq!(lone("新质生\r\n产力"), Some(true));
        assert!(p.needs_rewrite("新质生\r\n产力"));
        assert_eq!(lone("新质生\r\r\n产力"), Some(false));
        assert!(!p.needs_rewrite("新质生\r\r\n产力"));
        assert_eq!(lone("新质\n\u{3000}产力"), Some(false));
        let elsewhere = |text: &str, c: &str| {
            let at = text.find(c).unwrap();
            judged_elsewhere(text, at..at + c.len())
        };
        assert!(elsewhere("新质生\r\n产力", "\r"));
        assert!(!elsewhere("新质生\r\r\n产力", "\r"));
        assert!(elsewhere("。\r\n\u{3000}\u{3000}新", "\u{3000}"));
        assert!(judged_elsewhere("。\n\u{3000}\u{3000}新", 7..10));
        assert!(!judged_elsewhere("。\n \u{3000}新", 5..8));
        assert!(!elsewhere("新质生\u{3000}产力", "\u{3000}"));
        // In a run, the first ideographic space is judged, with the run.
        assert!(!judged_elsewhere("新质生\u{3000}\u{3000}产力", 9..12));
        assert!(judged_elsewhere("新质生\u{3000}\u{3000}产力", 12..15));
        assert!(!elsewhere("新质\n\u{3000}，", "\u{3000}，"));
        assert!(
            !p.needs_rewrite("新质生产力。\r\n\u{3000}\u{3000}新质生产力")
        );
        for text in ["quality\n productive", "quality \nproductive"] {
            assert_eq!(lone(text), None, "{text:?}");
            assert!(p.needs_rewrite(text));
        }
        // At either end of a text, and after a character no pair in a
        // pattern starts with, whatever follows.
        for text in ["\nnew", "new\n", "\n", "两新。\n quality", "两新。\n\n"]
        {
            assert_eq!(lone(text), Some(false), "{text:?}");
            assert!(!p.needs_rewrite(text), "{text:?}");
        }
        assert!(p.needs_rewrite("ｎew"));
        assert!(p.needs_rewrite("new qualｉty"));
        // A full-width comma between Han characters cannot be part of an
        // English form, even one that holds a comma.
        p.add("two new, one major", false);
        assert!(!p.needs_rewrite("两新，一重"));
        assert!(p.needs_rewrite("two new， one major"));
        assert!(p.needs_rewrite("two new，\u{3000}one major"));
        assert!(p.needs_rewrite("two neＷ， one major"));
        // Inside that form, a comma needs its neighbours on both sides: not
        // before `o` (no form holds `,o`), nor after a Han character, even
        // before white space (the end of a paragraph of People's Daily).
        assert!(!p.needs_rewrite("two new，one"));
        assert!(!p.needs_rewrite("设施建设，\r\n\u{3000}\u{3000}新"));
        assert!(!p.needs_rewrite("设施建设，\u{A0}新"));
        assert!(!p.needs_rewrite("two new，提手"));
        assert!(p.needs_rewrite("two new，\none major"));
        // At a form's start or end, one side is enough, and the other
        // side's neighbour may be anything, or nothing. (`ai＋号` is found
        // by the sentinel `i＋`, which starts at the neighbour.)
        let mut edges = Profile::default();
        edges.add("+ plus", false);
        edges.add("ai+", false);
        assert!(edges.needs_rewrite("加＋ plus"));
        assert!(edges.needs_rewrite("＋ plus"));
        assert!(edges.needs_rewrite("ai＋号"));
        assert!(edges.needs_rewrite("ai＋"));
        assert!(!edges.needs_rewrite("加＋号"));
        // A line break next to a Han character is taken away, and the
        // character beyond it becomes the comma's neighbour: judged with
        // the line break.
        edges.add("x,新", false);
        assert_eq!(normalize("x，\n新").text, "x,新");
        assert!(edges.needs_rewrite("x，\n新"));
        // The comma is a sentinel only next to a neighbour the form gives
        // it: the commas of Chinese prose are not.
        let sentinels = p.sentinels();
        let has = |s: &str| sentinels.contains(&s.to_string());
        for s in ["\n", "\r", "\t", "\u{3000}", "\u{A0}", "  ", "ｎ", "Ｎ"] {
            assert!(has(s), "{s:?}");
        }
        for s in ["w，", "W，", "ｗ，", "， ", "，\u{3000}"] {
            assert!(has(s), "{s:?}");
        }
        for s in [" ", "，", "新，", "：", "n", "N"] {
            assert!(!has(s), "{s:?}");
        }
    }

    proptest::proptest! {
        /// Lone line feeds judged at once and the other sentinels in full,
        /// as the matcher judges them, give the answer of judging every
        /// sentinel in full.
        #[test]
        fn lone_line_feeds_judged_at_once(
            text in "[新质生产力abc ＋+，,\n\r\t\u{3000}]{0,24}"
        ) {
            let mut p = Profile::default();
            for (form, twinned) in
                [("新质生产力", true), ("a b", false), ("c +", false), ("b, c", false)]
            {
                p.add(form, twinned);
            }
            let sentinels = p.sentinels();
            let mut at: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .filter(|&i| {
                    sentinels.iter().any(|s| {
                        s != "\n"
                            && text[i..].starts_with(s.as_str())
                            && !judged_elsewhere(&text, i..i + s.len())
                    })
                })
                .collect();
            at.extend(
                text.match_indices('\n')
                    .map(|(i, _)| i)
                    .filter(|&i| p.lone_line_feed_matters(&text, i) != Some(false)),
            );
            proptest::prop_assert_eq!(p.needs_rewrite_at(&text, &mut at), p.needs_rewrite(&text));
        }
    }

    proptest::proptest! {
        /// Through the bit set or sorted: the positions in order, each
        /// once, whatever the length of the text and however many.
        #[test]
        fn positions_put_in_order(
            mut at in proptest::collection::vec(0..2_000usize, 0..60),
            extra in 0..40_000usize,
        ) {
            let len = at.iter().max().map_or(0, |&m| m + 1) + extra;
            let mut expected = at.clone();
            expected.sort_unstable();
            expected.dedup();
            let mut got = sort_positions(&mut at, len).to_vec();
            got.dedup();
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn a_white_space_run_is_judged_once_whatever_sentinel_starts_it() {
        let mut p = Profile::default();
        p.add("新质生产力", true);
        let text = "新质生 \r\n\t产力";
        for at in [&[12, 10][..], &[11], &[12, 10, 11]] {
            assert!(p.needs_rewrite_at(text, &mut at.to_vec()), "{at:?}");
        }
        assert!(!p.needs_rewrite_at("新质生 \r\n\n产力", &mut [10, 11, 12]));
    }
}
