//! Bilingual texts: which paragraphs go together as one passage in two
//! languages, so that a formulation and its translation count as one
//! concept mention (`count --concepts`), and so that a formulation present
//! in one language and missing from the other can be found
//! (`renderings --gaps`). Pure functions of a text and its matches.
//!
//! # Scripts
//!
//! A span's **Han share** is `H / (H + W)`, with `H` its Han characters
//! and `W` its English words, counted as for `rate_zh` and `rate_en`
//! ([`DocSize`]). Words rather than letters because a Chinese passage and
//! its English translation then weigh about the same (one English word per
//! one to two Han characters), so that a passage in both languages has a
//! share near the middle whatever its length. A span is
//!
//! - **Chinese** when its Han share is at least [`ZH_SHARE`] (0.8): a
//!   Chinese paragraph with a few Latin acronyms or a rendering in
//!   brackets;
//! - **English** when it is at most [`EN_SHARE`] (0.2): an English
//!   paragraph quoting a Chinese term or two;
//! - **mixed** in between, i.e. both scripts present above the
//!   threshold; and of **neither** script when `H + W = 0` (digits, rules).
//!
//! # Blocks
//!
//! Paragraphs are those of [`units::paragraphs`] (a line with text). A
//! **block** is one paragraph, or a **pair**: an English paragraph and the
//! Chinese paragraph right after it (blank lines between them do not
//! matter), the layout of newsletters that follow an analyst's paragraph
//! with the Chinese original. The first paragraph of a pair may also be
//! mixed if it leans to its script (Han share under one half for English:
//! an English paragraph glossing several terms in Chinese brackets); the
//! second is of one script. Two paragraphs pair only when the pair as a
//! whole is mixed (Han share strictly between 0.2 and 0.8): neither side
//! may be more than about four times the other (Han characters against
//! words), so that a Chinese heading or a one-line quote never pairs with
//! a long English paragraph.
//!
//! Official translations often put the Chinese first. Each document is
//! paired both ways, left to right, each paragraph in one pair at most:
//! English then Chinese, and Chinese then English. The way that makes more
//! pairs wins; on a tie (E Z E Z E, or Z E Z E Z), the way whose first
//! pair comes first, so that the opening of the document sets the order;
//! then English first.
//!
//! A block is **bilingual** when it is mixed: a pair, or one paragraph
//! holding both scripts above the threshold (the newsletter that quotes
//! the original in the same paragraph).
//!
//! # Mentions
//!
//! A term's concept mentions in a block are `max(zh, en)` of its confirmed
//! matches in each of its paragraphs, the most of its paragraphs
//! (`两重` in the Chinese paragraph and "two heavy" in its English twin
//! are one mention; two in Chinese and one in English are two; the "two
//! heavy" (两重) of an English paragraph glossing the Chinese in brackets
//! is one, with or without the translation after it), summed over the
//! blocks. A block where a
//! term's matches are all in one language counts each of them, so in a
//! monolingual text mentions equal hits; Chinese prose that writes a term
//! both ways in one paragraph (人工智能+ … AI+) counts them as a pair too.
//! A match belongs to the block where it starts, and counts in the
//! language of the text it stands in ([`text_lang`]): “AI+” in a Chinese
//! paragraph is Chinese, the twin of "AI Plus" in the English one.
//!
//! # Gaps
//!
//! In a bilingual block, a term with a confirmed match in one language and
//! no match at all in the other (confirmed or unconfirmed: a rendering
//! whose context rule failed is still a rendering; exclusions are not) is
//! a gap: the translation dropped the formulation or rendered it in words
//! the lexicon does not list. A term that the other language holds inside
//! a longer match of another term (设备更新 in the two-new expansion
//! 大规模设备更新和消费品以旧换新) is there, not a gap.

use std::cmp::Reverse;
use std::ops::Range;

use super::{DocSize, text_lang, units};
use crate::lexicon::{Lang, TermId};
use crate::matcher::{Hit, Status};

/// A span whose Han share is at least this is Chinese.
pub const ZH_SHARE: f64 = 0.8;

/// A span whose Han share is at most this is English.
pub const EN_SHARE: f64 = 0.2;

/// The script of a span, by its Han share (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Han share ≥ [`ZH_SHARE`].
    Zh,
    /// Han share ≤ [`EN_SHARE`].
    En,
    /// Both scripts above the threshold.
    Mixed,
    /// No Han character and no English word.
    Neither,
}

impl Script {
    /// The script of a span with `han` Han characters and `words` English
    /// words.
    pub fn of(han: u64, words: u64) -> Script {
        match han_share(han, words) {
            None => Script::Neither,
            Some(s) if s >= ZH_SHARE => Script::Zh,
            Some(s) if s <= EN_SHARE => Script::En,
            Some(_) => Script::Mixed,
        }
    }
}

/// `han / (han + words)`; `None` for a span with neither.
pub fn han_share(han: u64, words: u64) -> Option<f64> {
    (han + words > 0).then(|| han as f64 / (han + words) as f64)
}

/// A paragraph with its size in each script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Byte span in the text, without white space at its ends.
    pub span: Range<usize>,
    /// Han characters.
    pub han: u64,
    /// English words.
    pub words: u64,
}

impl Paragraph {
    /// Its script.
    pub fn script(&self) -> Script {
        Script::of(self.han, self.words)
    }

    /// Whether it can open a pair whose first paragraph is in `script`:
    /// in that script, or mixed and leaning to it (an English paragraph
    /// that glosses several terms in Chinese brackets).
    fn leans_to(&self, script: Script) -> bool {
        let share = han_share(self.han, self.words);
        match self.script() {
            Script::Mixed => match script {
                Script::En => share.is_some_and(|s| s < 0.5),
                _ => share.is_some_and(|s| s > 0.5),
            },
            other => other == script,
        }
    }
}

/// One paragraph or a pair of them (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Indices of its paragraphs in [`Layout::paragraphs`].
    pub paragraphs: Range<usize>,
    /// Byte span from the start of its first paragraph to the end of its
    /// last.
    pub span: Range<usize>,
    /// Han characters.
    pub han: u64,
    /// English words.
    pub words: u64,
}

impl Block {
    /// Whether both scripts are present above the threshold.
    pub fn is_bilingual(&self) -> bool {
        Script::of(self.han, self.words) == Script::Mixed
    }
}

/// The paragraphs of a text and the blocks they form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// Paragraphs in text order.
    pub paragraphs: Vec<Paragraph>,
    /// Blocks in text order; every paragraph is in exactly one.
    pub blocks: Vec<Block>,
}

impl Layout {
    /// Splits `text` into paragraphs and pairs them (see the module docs).
    pub fn new(text: &str) -> Layout {
        let paragraphs: Vec<Paragraph> = units::paragraphs(text)
            .map(|span| {
                let size = DocSize::measure(&text[span.clone()]);
                Paragraph { span, han: size.han_chars, words: size.en_words }
            })
            .collect();
        let en_first = pair_starts(&paragraphs, Script::En);
        let zh_first = pair_starts(&paragraphs, Script::Zh);
        // More pairs, then the earlier first pair, then English first.
        let rank = |v: &[bool]| {
            let pairs = v.iter().filter(|&&b| b).count();
            let first = v.iter().position(|&b| b).unwrap_or(usize::MAX);
            (Reverse(pairs), first)
        };
        let starts = if rank(&zh_first) < rank(&en_first) {
            zh_first
        } else {
            en_first
        };
        let mut blocks = Vec::with_capacity(paragraphs.len());
        let mut i = 0;
        while i < paragraphs.len() {
            let n = if starts[i] { 2 } else { 1 };
            let ps = &paragraphs[i..i + n];
            blocks.push(Block {
                paragraphs: i..i + n,
                span: ps[0].span.start..ps[n - 1].span.end,
                han: ps.iter().map(|p| p.han).sum(),
                words: ps.iter().map(|p| p.words).sum(),
            });
            i += n;
        }
        Layout { paragraphs, blocks }
    }

    /// The block where a match starting at byte `at` belongs.
    pub fn block_at(&self, at: usize) -> usize {
        self.blocks.partition_point(|b| b.span.start <= at).saturating_sub(1)
    }

    /// The paragraph where a match starting at byte `at` belongs.
    pub fn paragraph_at(&self, at: usize) -> usize {
        self.paragraphs
            .partition_point(|p| p.span.start <= at)
            .saturating_sub(1)
    }
}

/// Which paragraphs start a pair when pairs are `first` then the other
/// script, taken greedily left to right.
fn pair_starts(paragraphs: &[Paragraph], first: Script) -> Vec<bool> {
    let second = if first == Script::En { Script::Zh } else { Script::En };
    let mut starts = vec![false; paragraphs.len()];
    let mut i = 0;
    while i + 1 < paragraphs.len() {
        let (a, b) = (&paragraphs[i], &paragraphs[i + 1]);
        if a.leans_to(first)
            && b.script() == second
            && Script::of(a.han + b.han, a.words + b.words) == Script::Mixed
        {
            starts[i] = true;
            i += 2;
        } else {
            i += 1;
        }
    }
    starts
}

/// Concept mentions of each term in one document, by term: per block,
/// `max(zh, en)` of the term's confirmed matches, summed over the blocks.
/// Terms found in one language only skip the paragraph split: their
/// mentions are their hits.
pub fn mentions(text: &str, hits: &[Hit]) -> Vec<(TermId, u64)> {
    let mut found: Vec<(TermId, Lang)> = hits
        .iter()
        .filter(|h| h.status == Status::Confirmed)
        .map(|h| (h.term, text_lang(text, h)))
        .collect();
    found.sort_unstable();
    // (term, zh, en) per term.
    let mut totals: Vec<(TermId, u64, u64)> = Vec::new();
    for &(term, lang) in &found {
        if totals.last().is_none_or(|t| t.0 != term) {
            totals.push((term, 0, 0));
        }
        let t = totals.last_mut().expect("pushed above");
        match lang {
            Lang::Zh => t.1 += 1,
            Lang::En => t.2 += 1,
        }
    }
    let both = |term: TermId| {
        totals
            .binary_search_by_key(&term, |t| t.0)
            .is_ok_and(|i| totals[i].1 > 0 && totals[i].2 > 0)
    };
    if !totals.iter().any(|t| both(t.0)) {
        return totals.into_iter().map(|(t, zh, en)| (t, zh + en)).collect();
    }
    let layout = Layout::new(text);
    let mut keyed: Vec<(TermId, usize, usize, Lang)> = hits
        .iter()
        .filter(|h| h.status == Status::Confirmed && both(h.term))
        .map(|h| {
            let (block, paragraph) =
                (layout.block_at(h.start), layout.paragraph_at(h.start));
            (h.term, block, paragraph, text_lang(text, h))
        })
        .collect();
    keyed.sort_unstable();
    let mut out: Vec<(TermId, u64)> = totals
        .iter()
        .filter(|t| !both(t.0))
        .map(|&(t, zh, en)| (t, zh + en))
        .collect();
    let mut i = 0;
    while i < keyed.len() {
        let (term, block, _, _) = keyed[i];
        // The most of any paragraph of the block, each paragraph's being
        // max(zh, en): in a pair, the English paragraph's gloss (中国式现代化)
        // and the Chinese paragraph's form are one mention.
        let mut most = 0;
        while i < keyed.len() && keyed[i].0 == term && keyed[i].1 == block {
            let paragraph = keyed[i].2;
            let (mut zh, mut en) = (0u64, 0u64);
            while i < keyed.len()
                && keyed[i].0 == term
                && keyed[i].1 == block
                && keyed[i].2 == paragraph
            {
                match keyed[i].3 {
                    Lang::Zh => zh += 1,
                    Lang::En => en += 1,
                }
                i += 1;
            }
            most = most.max(zh.max(en));
        }
        match out.last_mut() {
            Some(last) if last.0 == term => last.1 += most,
            _ => out.push((term, most)),
        }
    }
    out.sort_unstable();
    out
}

/// A term present in one language of a bilingual block and missing from
/// the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The term.
    pub term: TermId,
    /// The language it is present in.
    pub present: Lang,
    /// Index in [`Layout::paragraphs`] of the paragraph holding its first
    /// confirmed match in that language.
    pub paragraph: usize,
    /// Byte span of that paragraph.
    pub paragraph_span: Range<usize>,
    /// Byte offset of that match.
    pub start: usize,
}

/// The gaps of one document (see the module docs), by paragraph, then
/// offset, then term. `holds(term, lang, matched)`: whether the text of a
/// match holds a form of `term` in `lang` (inside another term's match).
pub fn gaps(
    text: &str,
    hits: &[Hit],
    holds: &dyn Fn(TermId, Lang, &str) -> bool,
) -> Vec<Gap> {
    if !hits.iter().any(|h| h.status == Status::Confirmed) {
        return Vec::new();
    }
    let layout = Layout::new(text);
    // (block, term, lang, unconfirmed, start, end) of every non-excluded
    // match in a bilingual block.
    let mut keyed: Vec<(usize, TermId, Lang, bool, usize, usize)> = hits
        .iter()
        .filter(|h| h.status != Status::Excluded)
        .map(|h| (layout.block_at(h.start), h))
        .filter(|(b, _)| layout.blocks[*b].is_bilingual())
        .map(|(b, h)| {
            let unconfirmed = h.status != Status::Confirmed;
            (b, h.term, text_lang(text, h), unconfirmed, h.start, h.end)
        })
        .collect();
    keyed.sort_unstable();
    let mut out = Vec::new();
    let mut i = 0;
    while i < keyed.len() {
        let (block, term) = (keyed[i].0, keyed[i].1);
        let mut j = i;
        while j < keyed.len() && (keyed[j].0, keyed[j].1) == (block, term) {
            j += 1;
        }
        let run = &keyed[i..j];
        // In the other language as its own match, or inside another's.
        let has = |lang: Lang| {
            run.iter().any(|k| k.2 == lang)
                || keyed.iter().any(|k| {
                    k.0 == block
                        && k.1 != term
                        && k.2 == lang
                        && text
                            .get(k.4..k.5)
                            .is_some_and(|m| holds(term, lang, m))
                })
        };
        for lang in [Lang::Zh, Lang::En] {
            let other = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
            let first = run.iter().find(|k| k.2 == lang && !k.3);
            if let (Some(&(_, _, _, _, start, _)), false) = (first, has(other))
            {
                let p = layout.paragraph_at(start);
                out.push(Gap {
                    term,
                    present: lang,
                    paragraph: p,
                    paragraph_span: layout.paragraphs[p].span.clone(),
                    start,
                });
            }
        }
        i = j;
    }
    out.sort_by_key(|g| (g.paragraph, g.start, g.term));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(term: TermId, lang: Lang, start: usize, status: Status) -> Hit {
        Hit { term, form: 0, lang, start, end: start + 1, status }
    }

    fn confirmed(term: TermId, lang: Lang, start: usize) -> Hit {
        hit(term, lang, start, Status::Confirmed)
    }

    /// The paragraph indices of each block.
    fn shape(text: &str) -> Vec<Range<usize>> {
        Layout::new(text).blocks.into_iter().map(|b| b.paragraphs).collect()
    }

    const EN: &str = "The bonds pay for the two heavy projects.";
    const ZH: &str = "超长期特别国债支持两重建设。";

    #[test]
    fn scripts_by_han_share() {
        // 8 Han, 2 words: 0.8 is Chinese; 2 Han, 8 words: 0.2 is English.
        assert_eq!(Script::of(8, 2), Script::Zh);
        assert_eq!(Script::of(2, 8), Script::En);
        assert_eq!(Script::of(3, 7), Script::Mixed);
        assert_eq!(Script::of(0, 0), Script::Neither);
        let p = |t: &str| Layout::new(t).paragraphs[0].script();
        assert_eq!(p(EN), Script::En);
        assert_eq!(p(ZH), Script::Zh);
        assert_eq!(p(&format!("{EN} {ZH}")), Script::Mixed);
        assert_eq!(p("2025-06-01 ---"), Script::Neither);
    }

    #[test]
    fn english_then_chinese_pairs_across_blank_lines() {
        let text = format!("{EN}\n\n{ZH}\n{EN}\n{ZH}\n");
        assert_eq!(shape(&text), [0..2, 2..4]);
        let layout = Layout::new(&text);
        assert!(layout.blocks.iter().all(Block::is_bilingual));
        assert_eq!(layout.blocks[1].span.start, text.rfind(EN).unwrap());
    }

    #[test]
    fn chinese_first_wins_when_it_makes_more_pairs() {
        // A Chinese heading, then Chinese originals each followed by the
        // English: English-first pairs one, Chinese-first two.
        let text = format!("政策摘要\n{ZH}\n{EN}\n{ZH}\n{EN}");
        assert_eq!(shape(&text), [0..1, 1..3, 3..5]);
        // Ties: the order of the first pair.
        let text = format!("{ZH}\n{EN}\n{ZH}\n{EN}\n{ZH}");
        assert_eq!(shape(&text), [0..2, 2..4, 4..5]);
        let text = format!("{EN}\n{ZH}\n{EN}\n{ZH}\n{EN}");
        assert_eq!(shape(&text), [0..2, 2..4, 4..5]);
    }

    #[test]
    fn unbalanced_or_same_script_paragraphs_stay_apart() {
        // A short Chinese line after a long English paragraph: share
        // 4 / (4 + 40) < 0.2.
        let long = EN.repeat(5);
        assert_eq!(shape(&format!("{long}\n政策摘要")), [0..1, 1..2]);
        assert_eq!(
            shape(&format!("{EN}\n{EN}\n{ZH}\n{ZH}")),
            [0..1, 1..3, 3..4]
        );
        // A mixed paragraph never pairs.
        let mixed = format!("{EN} {ZH}");
        assert_eq!(shape(&format!("{mixed}\n{ZH}")), [0..1, 1..2]);
    }

    #[test]
    fn mentions_take_the_larger_language_per_block() {
        let text = format!("{EN}\n{ZH}\n{ZH}\n");
        let zh1 = text.find(ZH).unwrap();
        let zh2 = text.rfind(ZH).unwrap();
        // Term 0: en + zh in the pair (1), zh alone in the third
        // paragraph (1). Term 1: two en in the pair (2). Term 2 Chinese
        // only: its hits.
        let hits = [
            confirmed(0, Lang::En, 4),
            confirmed(1, Lang::En, 6),
            confirmed(1, Lang::En, 9),
            confirmed(0, Lang::Zh, zh1),
            hit(2, Lang::En, zh1 + 3, Status::Unconfirmed),
            confirmed(0, Lang::Zh, zh2),
            confirmed(2, Lang::Zh, zh2 + 3),
            confirmed(2, Lang::Zh, zh2 + 6),
        ];
        assert_eq!(mentions(&text, &hits), [(0, 2), (1, 2), (2, 2)]);
        // Monolingual: mentions are hits.
        assert_eq!(mentions(&text, &hits[1..3]), [(1, 2)]);
    }

    /// An English paragraph glossing terms in Chinese brackets leans
    /// English: it pairs with the Chinese paragraph after it, and its
    /// gloss, its English form and the Chinese form are one mention.
    #[test]
    fn a_glossing_english_paragraph_pairs_with_its_translation() {
        let gloss = "We back the two heavy (两重) projects (重大项目) now.";
        let text = format!("{gloss}\n{ZH}\n");
        assert_eq!(shape(&text), vec![(0..2)]);
        let zh = text.find(ZH).unwrap();
        let hits = [
            confirmed(0, Lang::En, 12),
            confirmed(0, Lang::Zh, gloss.find("两重").unwrap()),
            confirmed(0, Lang::Zh, zh + 12),
        ];
        assert_eq!(mentions(&text, &hits), [(0, 1)]);
        assert_eq!(gaps(&text, &hits, &|_, _, _| false), []);
    }

    /// An English form written in Chinese prose (“AI+” in the Chinese
    /// paragraph) counts as Chinese: with "AI Plus" in the English
    /// paragraph before it, one mention and no gap, as with 人工智能+.
    #[test]
    fn english_forms_in_chinese_prose_pair_as_chinese() {
        let en = "The AI Plus initiative will expand across industries.";
        let text = format!("{en}\n\n各地深入推进“AI+”行动，赋能千行百业。\n");
        let plus = text.find("AI+").unwrap();
        let hits = [
            Hit { end: 11, ..confirmed(0, Lang::En, 4) },
            Hit { end: plus + 3, ..confirmed(0, Lang::En, plus) },
        ];
        assert_eq!(mentions(&text, &hits), [(0, 1)]);
        assert_eq!(gaps(&text, &hits, &|_, _, _| false), []);
    }

    #[test]
    fn gaps_need_a_bilingual_block_and_nothing_in_the_other_language() {
        let text = format!("{EN}\n{ZH}\n{ZH}\n");
        let zh1 = text.find(ZH).unwrap();
        let zh2 = text.rfind(ZH).unwrap();
        let hits = [
            // Term 0: both languages: no gap.
            confirmed(0, Lang::En, 4),
            confirmed(0, Lang::Zh, zh1),
            // Term 1: en only: a gap in paragraph 0.
            confirmed(1, Lang::En, 10),
            // Term 2: zh confirmed, en unconfirmed: no gap.
            hit(2, Lang::En, 20, Status::Unconfirmed),
            confirmed(2, Lang::Zh, zh1 + 3),
            // Term 3: zh confirmed, en excluded: a gap.
            hit(3, Lang::En, 25, Status::Excluded),
            confirmed(3, Lang::Zh, zh1 + 6),
            // Term 4: zh in the Chinese-only third paragraph: none.
            confirmed(4, Lang::Zh, zh2),
        ];
        let found: Vec<_> = gaps(&text, &hits, &|_, _, _| false)
            .into_iter()
            .map(|g| (g.term, g.present, g.paragraph, g.start))
            .collect();
        assert_eq!(found, [(1, Lang::En, 0, 10), (3, Lang::Zh, 1, zh1 + 6)]);
        // Term 1 inside term 0's Chinese match: there, no gap.
        let mut hits = hits;
        hits[1].end = zh1 + 3;
        let inside =
            |t: TermId, l: Lang, m: &str| t == 1 && l == Lang::Zh && m == "超";
        let found: Vec<_> =
            gaps(&text, &hits, &inside).into_iter().map(|g| g.term).collect();
        assert_eq!(found, [3]);
    }
}
