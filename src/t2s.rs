//! Traditional characters to simplified (`--t2s`), as OpenCC's `t2s`
//! converts them (its TSPhrases and TSCharacters tables, which the
//! `hanconv` crate ships), but character for character, so that every byte
//! offset still points into the original text.
//!
//! OpenCC is the reference that Wikipedia-era tools and readers check a
//! conversion against. Its character table covers the variants of older
//! and Hong Kong and Taiwan texts (羣, 眞, 峯, 卽) and maps 疊 to 叠; its
//! phrases pick the reading a character has in a word (瞭解 is 了解, 瀋陽
//! 沈阳). A character, or a phrase, whose simplified form has another UTF-8
//! length is left as it is: these are rare characters of the CJK
//! extensions, none of them in an official formula.

use std::borrow::Cow;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use hanconv::RawDictionary;

use crate::normalize::is_han;

/// TSCharacters, of the changes that keep a character's UTF-8 length: a
/// dense table over the BMP, where all but the rarest characters are, and
/// a sorted list beyond it.
struct Characters {
    bmp: Vec<char>,
    /// One bit per Han character of the BMP ([`is_han`]).
    han: Box<BmpBits>,
    /// One bit per Han character of the BMP that `bmp` changes.
    changed: Box<BmpBits>,
    astral: Vec<(char, char)>,
}

/// One bit per character of the BMP.
type BmpBits = [u64; 0x10000 / 64];

static CHARACTERS: LazyLock<Characters> = LazyLock::new(|| {
    let mut bmp: Vec<char> =
        (0..0x10000).map(|c| char::from_u32(c).unwrap_or('\0')).collect();
    let mut han = Box::new([0u64; 0x10000 / 64]);
    for (i, _) in bmp.iter().enumerate().filter(|(_, c)| is_han(**c)) {
        han[i / 64] |= 1 << (i % 64);
    }
    let mut changed = han.clone();
    let mut astral = Vec::new();
    for (from, to) in RawDictionary::TSCharacters.iter() {
        let (Some(f), Some(t)) = (single(from), single(to)) else { continue };
        if f == t || f.len_utf8() != t.len_utf8() {
            continue;
        }
        match usize::try_from(u32::from(f)).ok().filter(|&i| i < 0x10000) {
            Some(i) => bmp[i] = t,
            None => astral.push((f, t)),
        }
    }
    for (i, &c) in bmp.iter().enumerate() {
        if c as usize == i {
            changed[i / 64] &= !(1 << (i % 64));
        }
    }
    astral.sort_unstable();
    astral.dedup_by_key(|p| p.0);
    Characters { bmp, han, changed, astral }
});

/// TSPhrases whose simplified form keeps every character's UTF-8 length,
/// found leftmost-longest: OpenCC converts by the longest entry at each
/// place, a phrase before its characters.
struct Phrases {
    keys: AhoCorasick,
    values: Vec<&'static str>,
}

static PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
    let (keys, values): (Vec<&str>, Vec<&str>) = RawDictionary::TSPhrases
        .iter()
        .filter(|(from, to)| {
            from.chars().count() == to.chars().count()
                && from
                    .chars()
                    .zip(to.chars())
                    .all(|(f, t)| f.len_utf8() == t.len_utf8())
        })
        .unzip();
    let keys = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&keys)
        .expect("a few hundred short phrases build");
    Phrases { keys, values }
});

fn single(s: &str) -> Option<char> {
    let mut chars = s.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The simplified form of one character (itself when none).
fn simplified(c: char) -> char {
    let t = &*CHARACTERS;
    match t.bmp.get(c as usize) {
        Some(&s) => s,
        None => t
            .astral
            .binary_search_by_key(&c, |p| p.0)
            .map_or(c, |i| t.astral[i].1),
    }
}

/// `text` in simplified characters, of the same length, byte for byte;
/// borrowed when nothing changes.
pub fn to_simplified(text: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in PHRASES.keys.find_iter(text) {
        out.extend(text[at..m.start()].chars().map(simplified));
        out.push_str(PHRASES.values[m.pattern()]);
        at = m.end();
    }
    out.extend(text[at..].chars().map(simplified));
    debug_assert_eq!(out.len(), text.len());
    if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) }
}

/// Of the first [`TRADITIONAL_SAMPLE`] Han characters of `text` (of the
/// BMP, where all but the rarest are): how many TSCharacters changes, and
/// how many there are. Text in traditional characters has about a third
/// of its characters changed (的, 是, 在 are the same in both); simplified
/// text almost none.
pub fn traditional_share(text: &str) -> (usize, usize) {
    let Characters { han: hans, changed: changes, .. } = &*CHARACTERS;
    let (mut changed, mut han) = (0, 0);
    // By bytes: a character of the BMP past U+07FF is three bytes long,
    // and every other byte is stepped over (decoding every character of
    // every file cost 23 instructions a character). Two bitmaps and no
    // branch on the character: this runs over the start of every file.
    let b = text.as_bytes();
    let mut i = 0;
    while han < TRADITIONAL_SAMPLE
        && let Some(&[lead, second, third]) = b.get(i..i + 3)
    {
        if lead & 0xF0 != 0xE0 {
            i += 1;
            continue;
        }
        let c = usize::from(lead & 0x0F) << 12
            | usize::from(second & 0x3F) << 6
            | usize::from(third & 0x3F);
        let (word, bit) = (c / 64, c % 64);
        han += (hans[word] >> bit & 1) as usize;
        changed += (changes[word] >> bit & 1) as usize;
        i += 3;
    }
    (changed, han)
}

/// Han characters that [`traditional_share`] looks at.
pub const TRADITIONAL_SAMPLE: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    /// The bitmap's count against converting the characters one by one.
    #[test]
    fn traditional_share_counts_what_conversion_changes() {
        let naive = |text: &str| {
            let han: Vec<char> = text
                .chars()
                .filter(|&c| is_han(c) && (c as u32) < 0x10000)
                .collect();
            let changed = han.iter().filter(|&&c| simplified(c) != c).count();
            (changed, han.len())
        };
        for text in [
            "統籌推進「兩重」建設項目，實施「兩新」政策，發展新質生產力。",
            "统筹推进“两重”建设项目，实施“两新”政策，发展新质生产力。",
            "Mixed 國家 text, ｆｕｌｌ 𠀀 and 乾隆 著名.",
            "",
        ] {
            assert_eq!(traditional_share(text), naive(text), "{text}");
        }
        assert_eq!(traditional_share("兩").0, 1);
    }

    proptest::proptest! {
        /// Over texts longer than the sample, of characters of every UTF-8
        /// length and the edges of the Han ranges: the first
        /// [`TRADITIONAL_SAMPLE`] Han characters, decoded one by one.
        #[test]
        fn traditional_share_agrees_with_decoding(
            text in "[兩两國国的a1 ，。\u{3400}\u{4DBF}\u{4DC0}\u{9FFF}\u{A000}\u{F900}\u{FAFF}\u{FB00}\u{7FF}\u{800}é𠀀]{0,400}"
        ) {
            let han: Vec<char> = text
                .chars()
                .filter(|&c| is_han(c) && (c as u32) < 0x10000)
                .take(TRADITIONAL_SAMPLE)
                .collect();
            let changed = han.iter().filter(|&&c| simplified(c) != c).count();
            proptest::prop_assert_eq!(
                traditional_share(&text),
                (changed, han.len())
            );
        }
    }

    #[test]
    fn simplified_keeps_offsets() {
        let t = "推進「兩重」建設，新質生產力";
        let s = to_simplified(t);
        assert_eq!(s, "推进「两重」建设，新质生产力");
        assert_eq!(s.len(), t.len());
        assert!(matches!(to_simplified("两重"), Cow::Borrowed(_)));
    }

    /// What fast2s, used before, missed or got wrong: the variants of
    /// older texts, and 疊, which it made 迭.
    #[test]
    fn variants_and_phrases_as_opencc() {
        for (trad, simp) in [
            ("堅持羣眾路線", "坚持群众路线"),
            ("實踐是檢驗眞理的唯一標準", "实践是检验真理的唯一标准"),
            ("碳達峯", "碳达峰"),
            ("重疊", "重叠"),
            ("卽旣敎鎭査", "即既教镇查"),
            // Phrases pick a character's reading in a word.
            ("瞭解", "了解"),
            ("瀋陽", "沈阳"),
            // Astral characters go through the sorted list.
            ("𠁞", "𠀾"),
        ] {
            assert_eq!(to_simplified(trad), simp, "{trad}");
        }
    }
}
