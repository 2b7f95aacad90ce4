//! The only user of `aho_corasick`: builds one automaton from a lexicon and
//! finds the matches in a document, with word boundaries, exclusions and
//! context rules applied.
//!
//! # Match semantics
//!
//! Matching is **leftmost-longest over valid candidates**: every occurrence
//! of every pattern (forms, expansions and exclusions) in the normalized
//! text is a candidate, except English occurrences that break a word
//! boundary; of the candidates, the one starting leftmost wins, and of those
//! the longest; matching resumes after it. So 中国人民银行 beats 中国, and
//! 因地制宜发展新质生产力 is one match of its own term, not also one of
//! 新质生产力. An exclusion that wins (两新组织) hides the form inside it and
//! is reported as `excluded`; a winning form inside an occurrence of an
//! exclusion of its term that lost to another match (一带一路 in
//! “一带一路”建设进入新时代) is `excluded` too. A winning form that fails its context rule is
//! `unconfirmed`: it still consumes its text, and it is counted, apart.
//!
//! [`Matcher::find_with_nested`] also reports what a winner absorbed: the
//! same selection run again inside each winning form finds the forms of
//! other terms it holds ([`Nested`]), for `tifa nesting`.
//!
//! The automaton reports overlapping candidates (`MatchKind::Standard`) so
//! that a candidate rejected for its word boundary never hides a shorter
//! valid one; the selection above is then a sort and one pass.

use std::cmp::Reverse;

use memchr::memmem;

use crate::engine::{Engine, Occurrence};
use crate::lexicon::{FormKind, Lang, Lexicon, TermId};
use crate::normalize::{
    self, Normalized, Profile, fold_form, is_word_char, web_addresses,
};
use crate::segment;

/// Full-width twins are added to the automaton for a form when they make at
/// most this many variants; longer forms make documents that hold their
/// full-width characters go through normalization instead. An English
/// form is given up on by its fourth letter (3^4 spellings); a Chinese
/// form quoted twice has 36, with `+` 72 (“人工智能+”), and those forms'
/// quotes are common in Chinese text: given up on (at 32, before the
/// corner brackets were quotes too), every document quoting “一带一路” was
/// normalized and walked again, and `count -j1` took twice as long.
const TWIN_LIMIT: usize = 72;

/// Index into [`Matcher::forms`].
pub type FormId = usize;

/// A string of the lexicon, as the matcher knows it.
#[derive(Debug, Clone)]
pub struct Form {
    /// The term it belongs to.
    pub term: TermId,
    /// The string as written in the lexicon.
    pub text: String,
    /// Its language.
    pub lang: Lang,
    /// Form, expansion or exclusion.
    pub kind: FormKind,
}

/// What selection reads of the form behind an automaton pattern, at every
/// candidate: packed in 16 bytes, apart from the forms and the rules. With
/// 10,000 terms those take 400 KB each, and reading them at each of a
/// million candidates per Xinwen Lianbo copy missed the cache: two thirds
/// of the time of `candidates` and `select`.
#[derive(Debug, Clone, Copy)]
struct PatternForm {
    form: u32,
    term: u32,
    lang: Lang,
    kind: FormKind,
    needs_word_start: bool,
    needs_word_end: bool,
    /// Whether [`Matcher::confirmed`] has anything to check.
    ruled: bool,
}

/// What a match means for its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Counted in `hits`.
    Confirmed,
    /// The form matched but failed its term's context rule.
    Unconfirmed,
    /// An exclusion of the term matched: not the term.
    Excluded,
}

impl Status {
    /// Every status, in this order.
    pub const ALL: [Status; 3] =
        [Status::Confirmed, Status::Unconfirmed, Status::Excluded];

    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Unconfirmed => "unconfirmed",
            Status::Excluded => "excluded",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Status, String> {
        Status::ALL.into_iter().find(|st| st.name() == s).ok_or_else(|| {
            format!("unknown status {s:?} (confirmed, unconfirmed, excluded)")
        })
    }
}

/// One match site, in byte offsets of the original document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The term.
    pub term: TermId,
    /// The form that matched.
    pub form: FormId,
    /// The language of that form.
    pub lang: Lang,
    /// Start offset in the original text.
    pub start: usize,
    /// End offset (exclusive) in the original text.
    pub end: usize,
    /// Confirmed, unconfirmed or excluded.
    pub status: Status,
}

/// An occurrence of a form inside the winning match of another term's
/// longer form (新质生产力 inside 因地制宜发展新质生产力): not a match, but
/// what leftmost-longest absorbed. Context rules are not checked on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nested {
    /// The term of the inner form.
    pub term: TermId,
    /// The inner form.
    pub form: FormId,
    /// The term whose match holds it.
    pub inside_term: TermId,
    /// Start offset in the original text.
    pub start: usize,
    /// End offset (exclusive) in the original text.
    pub end: usize,
}

/// A candidate in the searched text, before selection.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    start: usize,
    end: usize,
    form: PatternForm,
}

impl Candidate {
    fn form_id(&self) -> FormId {
        self.form.form as FormId
    }
}

/// Per-term rules checked at match sites.
#[derive(Debug, Clone, Default)]
struct Rule {
    /// Folded, lower-case `near` words.
    near: Vec<NearWord>,
    window: usize,
    whole_word: bool,
}

/// Reusable buffers, one per worker thread.
#[derive(Debug, Default)]
pub struct Scratch {
    occurrences: Vec<Occurrence>,
    candidates: Vec<Candidate>,
    sentinels: Vec<usize>,
}

/// The compiled lexicon.
#[derive(Debug, Clone)]
pub struct Matcher {
    engine: Engine,
    /// Automaton pattern id to form.
    pattern_form: Vec<PatternForm>,
    forms: Vec<Form>,
    rules: Vec<Rule>,
    profile: Profile,
    /// Each term's id and `first_official_use`, if it has one.
    first_use: Vec<Option<(Box<str>, Box<str>)>>,
}

impl Matcher {
    /// Builds the automaton for every form, expansion and exclusion.
    pub fn new(lexicon: &Lexicon) -> Matcher {
        let rules: Vec<Rule> = lexicon
            .terms
            .iter()
            .map(|t| Rule {
                near: t.context.as_ref().map_or(Vec::new(), |c| {
                    c.near
                        .iter()
                        .map(|w| NearWord::new(&fold_form(w)))
                        .collect()
                }),
                window: t.context.as_ref().map_or(0, |c| c.window),
                whole_word: t.whole_word,
            })
            .collect();
        let mut forms = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_form = Vec::new();
        let mut profile = Profile::default();
        for (term_id, term) in lexicon.terms.iter().enumerate() {
            let rule = &rules[term_id];
            for (text, lang, kind) in term.patterns() {
                let folded = fold_form(text);
                let english = lang == Lang::En;
                let info = PatternForm {
                    form: forms.len() as u32,
                    term: term_id as u32,
                    lang,
                    kind,
                    needs_word_start: english
                        && folded.chars().next().is_some_and(is_word_char),
                    needs_word_end: english
                        && folded
                            .chars()
                            .next_back()
                            .is_some_and(is_word_char),
                    // Expansions are unambiguous by length: rules guard
                    // short forms.
                    ruled: kind != FormKind::Expansion
                        && ((rule.whole_word && lang == Lang::Zh)
                            || !rule.near.is_empty()),
                };
                forms.push(Form {
                    term: term_id,
                    text: text.to_string(),
                    lang,
                    kind,
                });
                let twins = width_twins(&folded);
                profile.add(&folded, twins.len() > 1);
                for twin in twins {
                    patterns.push(twin);
                    pattern_form.push(info);
                }
            }
        }
        // Patterns past `pattern_form` are the profile's sentinels but the
        // line feed, which `candidates` finds and mostly judges itself: in
        // the automaton, a line end every 200 bytes of Xinwen Lianbo was a
        // match state, and then judged in full.
        let sentinels = profile.sentinels().into_iter();
        patterns.extend(sentinels.filter(|s| s != "\n"));
        let engine = Engine::new(&patterns)
            .expect("lexicon patterns are validated non-empty");
        let first_use = (lexicon.terms.iter())
            .map(|t| {
                let date = t.first_official_use.as_deref()?;
                Some((t.id.as_str().into(), date.into()))
            })
            .collect();
        Matcher { engine, pattern_form, forms, rules, profile, first_use }
    }

    /// Whether a document dated `date` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`)
    /// is wholly before the first official use of `term`: `2019-10-10`,
    /// or `2019`, is before `2024-03`; `2024` is not.
    pub fn before_first_use(&self, term: TermId, date: &str) -> bool {
        let Some(Some((_, first))) = self.first_use.get(term) else {
            return false;
        };
        // Partial dates that may be the same day overlap; else the first
        // place they differ orders them.
        date < &**first && !crate::corpus::agree(date, first)
    }

    /// A term's id and first official use, if it has one.
    pub fn first_use(&self, term: TermId) -> Option<(&str, &str)> {
        let (id, date) = self.first_use.get(term)?.as_ref()?;
        Some((id, date))
    }

    /// Every form, expansion and exclusion, indexed by [`FormId`].
    pub fn forms(&self) -> &[Form] {
        &self.forms
    }

    /// Heap memory held by the automaton and the forms, in bytes.
    pub fn memory_usage(&self) -> usize {
        let forms: usize = self
            .forms
            .iter()
            .map(|f| std::mem::size_of::<Form>() + f.text.capacity())
            .sum();
        self.engine.memory_usage()
            + self.pattern_form.capacity() * std::mem::size_of::<PatternForm>()
            + forms
    }

    /// Finds the matches in `text` and appends them to `out`, in order of
    /// their start.
    pub fn find(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Hit>) {
        self.select(text, scratch, out, None);
    }

    /// Like [`find`](Matcher::find), and also appends to `nested` what
    /// leftmost-longest absorbed: the forms of other terms inside each
    /// winning form (see [`Nested`]).
    pub fn find_with_nested(
        &self,
        text: &str,
        scratch: &mut Scratch,
        out: &mut Vec<Hit>,
        nested: &mut Vec<Nested>,
    ) {
        self.select(text, scratch, out, Some(nested));
    }

    /// Leftmost-longest selection over the candidates, and with `nested`,
    /// the same selection again inside each winner.
    fn select(
        &self,
        text: &str,
        scratch: &mut Scratch,
        out: &mut Vec<Hit>,
        mut nested: Option<&mut Vec<Nested>>,
    ) {
        self.candidates(text, scratch);
        if !scratch.sentinels.is_empty()
            && self.profile.needs_rewrite_at(text, &mut scratch.sentinels)
        {
            let norm = normalize::normalize(text);
            self.candidates(&norm.text, scratch);
            for c in &mut scratch.candidates {
                c.start = norm.map_start(c.start);
                c.end = norm.map_end(c.end);
            }
        }
        drop_in_web_addresses(text, &mut scratch.candidates);
        let candidates = &scratch.candidates;
        // The furthest end of an occurrence of an exclusion of each term
        // so far, won or lost (see `ExclusionEnds`).
        let mut exclusions = ExclusionEnds::default();
        let mut last_end = 0;
        // The terms around a nested form (see `inner`).
        let mut path = Vec::new();
        for (i, &c) in candidates.iter().enumerate() {
            let inside_exclusion = exclusions.cover(c);
            if c.form.kind == FormKind::Exclusion {
                exclusions.add(c);
            }
            if c.start < last_end {
                continue;
            }
            last_end = c.end;
            if let Some(nested) = nested.as_deref_mut()
                && c.form.kind != FormKind::Exclusion
            {
                // The candidates that start inside it come right after it.
                let after = &candidates[i + 1..];
                let n = after.partition_point(|d| d.start < c.end);
                path.clear();
                path.push(c.form.term);
                self.inner(&after[..n], c, &mut path, nested);
            }
            let form = c.form;
            let status =
                if form.kind == FormKind::Exclusion || inside_exclusion {
                    Status::Excluded
                } else if !form.ruled || self.confirmed(text, c) {
                    Status::Confirmed
                } else {
                    Status::Unconfirmed
                };
            out.push(Hit {
                term: form.term as TermId,
                form: c.form_id(),
                lang: form.lang,
                start: c.start,
                end: c.end,
                status,
            });
        }
    }

    /// Leftmost-longest among `candidates` lying inside `span` (they come
    /// sorted): a form that wins there is nested in the match, whose term
    /// is the first of `path`, and selection goes on inside it, so that
    /// 中国特色社会主义 inside 新时代中国特色社会主义 inside
    /// 习近平新时代中国特色社会主义思想 is nested too. Exclusions win there as
    /// well, so that 两新 inside 两新组织 inside a longer form is not
    /// reported. The terms of `path` (the match's, and those of the nested
    /// forms around `span`) take no part: their shorter forms would hide
    /// what they hold (设备更新 inside 大规模设备更新和消费品以旧换新,
    /// through the shorter expansion 设备更新和消费品以旧换新).
    fn inner(
        &self,
        candidates: &[Candidate],
        span: Candidate,
        path: &mut Vec<u32>,
        nested: &mut Vec<Nested>,
    ) {
        let mut end = span.start;
        for (i, &c) in candidates.iter().enumerate() {
            let form = c.form;
            let inside = c.start >= end
                && c.end <= span.end
                && (c.start, c.end) != (span.start, span.end);
            let own =
                path.contains(&form.term) && form.kind != FormKind::Exclusion;
            if !inside || own {
                continue;
            }
            end = c.end;
            if form.kind == FormKind::Exclusion {
                continue;
            }
            nested.push(Nested {
                term: form.term as TermId,
                form: c.form_id(),
                inside_term: path[0] as TermId,
                start: c.start,
                end: c.end,
            });
            let after = &candidates[i + 1..];
            let n = after.partition_point(|d| d.start < c.end);
            path.push(form.term);
            self.inner(&after[..n], c, path, nested);
            path.pop();
        }
    }

    /// All valid candidates in `hay`, sorted for leftmost-longest
    /// selection, into `scratch.candidates`; where the profile's sentinels
    /// are, into `scratch.sentinels`.
    fn candidates(&self, hay: &str, scratch: &mut Scratch) {
        let Scratch { occurrences: found, candidates: out, sentinels, .. } =
            scratch;
        out.clear();
        found.clear();
        sentinels.clear();
        self.engine.occurrences(hay.as_bytes(), found);
        sentinels.extend(memchr::memchr_iter(b'\n', hay.as_bytes()).filter(
            |&i| self.profile.lone_line_feed_matters(hay, i) != Some(false),
        ));
        for m in found.iter() {
            let Some(&form) = self.pattern_form.get(m.pattern) else {
                if !normalize::judged_elsewhere(hay, m.start..m.end) {
                    sentinels.push(m.start);
                }
                continue;
            };
            if form.needs_word_start
                && hay[..m.start].chars().next_back().is_some_and(is_word_char)
            {
                continue;
            }
            if form.needs_word_end
                && hay[m.end..].chars().next().is_some_and(is_word_char)
            {
                continue;
            }
            out.push(Candidate { start: m.start, end: m.end, form });
        }
        out.sort_unstable_by_key(|c| (c.start, Reverse(c.end), c.form.form));
    }

    /// Whether a match passes its term's context rule, checked on the
    /// original text: a `near` word within `window` characters on either
    /// side, and a whole word for jieba where the term asks for it. Asked
    /// only of forms that have a rule to check ([`PatternForm::ruled`]).
    /// The `near` words are looked for first: segmenting costs more.
    fn confirmed(&self, text: &str, c: Candidate) -> bool {
        let rule = &self.rules[c.form.term as TermId];
        let near = rule.near.is_empty() || {
            let before = segment::back_chars(text, c.start, rule.window);
            let after = segment::forward_chars(text, c.end, rule.window);
            [(before, c.start), (c.end, after)]
                .into_iter()
                .any(|(from, to)| has_near_word(text, from, to, &rule.near))
        };
        near && !(rule.whole_word
            && c.form.lang == Lang::Zh
            && !segment::is_whole_word(text, c.start, c.end))
    }
}

/// The occurrences of exclusions among the candidates met so far (they
/// start no later than the next), as the furthest end of those of each
/// term: a candidate lies inside one of its own term's iff that end is at
/// or past its own. One that lost to a match of another term starting
/// further left still excludes it: 进入新时代 in “一带一路”建设进入新时代 is not
/// 新时代, though 一带一路 wins over the exclusion 路”建设进入新时代. (Looking
/// through every candidate before each one took time in the square of a
/// document's matches: 8 MB of one text, 8 s.)
#[derive(Default)]
struct ExclusionEnds(Vec<(u32, usize)>);

impl ExclusionEnds {
    fn add(&mut self, e: Candidate) {
        match self.0.iter_mut().find(|(term, _)| *term == e.form.term) {
            Some((_, end)) => *end = (*end).max(e.end),
            None => self.0.push((e.form.term, e.end)),
        }
    }

    /// Whether `c` lies inside an occurrence of an exclusion of its term.
    fn cover(&self, c: Candidate) -> bool {
        self.0.iter().any(|&(term, end)| term == c.form.term && end >= c.end)
    }
}

/// Leaves out English candidates that start inside a web address: a slug
/// such as `.../china-property-whitelist-loans/` is not running text (and
/// its words are not counted in the rates' English words either). Judged
/// before selection, so that such an occurrence neither wins nor hides
/// another, nor is reported as nested.
fn drop_in_web_addresses(text: &str, candidates: &mut Vec<Candidate>) {
    if !candidates.iter().any(|c| c.form.lang == Lang::En) {
        return;
    }
    let urls = web_addresses(text.as_bytes());
    if !urls.is_empty() {
        candidates.retain(|c| {
            c.form.lang != Lang::En
                || !urls.iter().any(|u| u.contains(&c.start))
        });
    }
}

/// A folded, lower-case `near` word, with its searcher built once: built
/// for each search (`str::match_indices`), it took a quarter of a run over
/// short texts dense in ruled terms.
#[derive(Debug, Clone)]
struct NearWord {
    finder: memmem::Finder<'static>,
    /// Whether it starts with a word character, and must be whole there.
    word_start: bool,
    /// Whether it ends with a word character, and must be whole there.
    word_end: bool,
}

impl NearWord {
    fn new(word: &str) -> NearWord {
        NearWord {
            finder: memmem::Finder::new(word).into_owned(),
            word_start: word.chars().next().is_some_and(is_word_char),
            word_end: word.chars().next_back().is_some_and(is_word_char),
        }
    }
}

/// Whether one of the folded `near` words is in `text[from..to]`, matched
/// as forms are: on normalized, lower-case text, and an English word only
/// as a whole word ("AI" is not in "said", nor "housing" in
/// "warehousing").
fn has_near_word(
    text: &str,
    from: usize,
    to: usize,
    near: &[NearWord],
) -> bool {
    let window = NearWindow::new(text, from, to);
    let hay = window.hay();
    near.iter().any(|word| {
        word.finder.find_iter(hay.as_bytes()).any(|i| window.holds(word, i))
    })
}

/// The text around a match where its term's `near` words are looked for,
/// normalized and in lower case. A character on either side is read too,
/// so that a word cut by an edge is judged whole.
struct NearWindow {
    piece: Normalized,
    /// The window in the original text of `piece`.
    from: usize,
    to: usize,
}

impl NearWindow {
    fn new(text: &str, from: usize, to: usize) -> NearWindow {
        let outer = segment::back_chars(text, from, 1);
        let mut piece = normalize::normalize(
            &text[outer..segment::forward_chars(text, to, 1)],
        );
        piece.text.make_ascii_lowercase();
        NearWindow { piece, from: from - outer, to: to - outer }
    }

    /// The normalized text searched.
    fn hay(&self) -> &str {
        &self.piece.text
    }

    /// Whether `word`, found at byte `i` of [`NearWindow::hay`], lies in
    /// the window, and whole where it must.
    fn holds(&self, word: &NearWord, i: usize) -> bool {
        let (hay, j) = (self.hay(), i + word.finder.needle().len());
        self.piece.map_start(i) >= self.from
            && self.piece.map_end(j) <= self.to
            && !(word.word_start
                && hay[..i].chars().next_back().is_some_and(is_word_char))
            && !(word.word_end
                && hay[j..].chars().next().is_some_and(is_word_char))
    }
}

/// Whether the automaton holds the full-width spellings of a folded form
/// (人工智能＋ for 人工智能+): when they are at most 72. Longer forms
/// are matched full-width too, by normalizing the documents that need it.
pub fn has_width_twins(folded: &str) -> bool {
    width_twins(folded).len() > 1
        || !folded.chars().any(|c| c.is_ascii_graphic())
}

/// The folded form and its full-width variants: each ASCII character may
/// also appear full-width (both cases for letters), `'` also as ’: the
/// [`normalize::spellings`] the profile sees. Empty of variants when they
/// would be more than [`TWIN_LIMIT`].
fn width_twins(folded: &str) -> Vec<String> {
    // Only ASCII has other spellings (the space aside): a Chinese form is
    // its own only spelling, without a list of choices per character.
    if !folded.chars().any(|c| c.is_ascii_graphic()) {
        return vec![folded.to_string()];
    }
    // Each character's spellings, given up on as soon as there would be
    // too many variants (by the fourth letter of an English form).
    let mut options: Vec<Vec<char>> = Vec::new();
    let mut total = 1;
    for c in folded.chars() {
        let choices = if c == ' ' {
            vec![c]
        } else {
            // ASCII upper case needs no twin: the automaton ignores it.
            let mut v = normalize::spellings(c);
            v.retain(|s| !s.is_ascii_uppercase());
            v
        };
        total *= choices.len();
        if total > TWIN_LIMIT {
            return vec![folded.to_string()];
        }
        options.push(choices);
    }
    let mut out = vec![String::new()];
    for choices in options {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                choices.iter().map(move |&c| {
                    let mut s = prefix.clone();
                    s.push(c);
                    s
                })
            })
            .collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document wholly before a term's first official use, at any
    /// precision of either date; one that may fall in it is not.
    #[test]
    fn dates_before_first_use() {
        let lexicon = crate::lexicon::load_default().unwrap();
        let matcher = Matcher::new(&lexicon);
        let ai_plus = lexicon.terms.iter().position(|t| t.id == "ai-plus");
        let ai_plus = ai_plus.unwrap();
        assert_eq!(matcher.first_use(ai_plus), Some(("ai-plus", "2024-03")));
        for (date, before) in [
            ("2019-10-10", true),
            ("2023", true),
            ("2024-02", true),
            ("2024", false),
            ("2024-03", false),
            ("2024-03-01", false),
            ("2025-01-01", false),
        ] {
            assert_eq!(
                matcher.before_first_use(ai_plus, date),
                before,
                "{date}"
            );
        }
    }

    #[test]
    fn twins() {
        assert_eq!(width_twins("人工智能+"), ["人工智能+", "人工智能＋"]);
        assert_eq!(width_twins("ai+").len(), 18);
        assert_eq!(width_twins("new quality"), ["new quality"]);
    }

    /// A lexicon too large for a DFA is matched by the sieve, and finds in
    /// the examples exactly what the built-in lexicon finds: the same hits
    /// of the same terms and forms at the same offsets.
    #[test]
    fn large_lexicons_match_like_the_built_in_one() {
        use crate::lexicon::{
            Source, default_sources, load_default, parse_sources,
        };
        // Terms of three rare characters, none of them in the examples.
        let rare: Vec<char> =
            "鼋鼍黾龠龢鬯鬲鬻麑麝黉黩黪黯鼐鼗鼙鼹夔饕".chars().collect();
        let mut filler = String::new();
        for i in 0..6_000 {
            let zh: String = [i / 400, i / 20 % 20, i % 20]
                .map(|d| rare[d])
                .iter()
                .collect();
            filler += &format!(
                "[[term]]\nid = \"filler-{i}\"\ncategory = \"test\"\nzh = [\"{zh}\"]\n\n"
            );
        }
        let mut sources = default_sources();
        sources.push(Source { name: "filler.toml".into(), text: filler });
        let (large, diags) = parse_sources(&sources);
        let large = large.unwrap_or_else(|| panic!("{diags:?}"));
        let small = load_default().unwrap();
        let matchers = [Matcher::new(&small), Matcher::new(&large)];
        assert!(matches!(matchers[0].engine, Engine::Dfa(_)));
        assert!(matches!(matchers[1].engine, Engine::Sieve(_)));
        // Hits as (term, form, start, end, status): ids differ between
        // the lexicons.
        let described = |lexicon: &Lexicon, m: &Matcher, hits: &[Hit]| {
            hits.iter()
                .map(|h| {
                    let form = m.forms()[h.form].text.clone();
                    (
                        lexicon.terms[h.term].id.clone(),
                        form,
                        h.start,
                        h.end,
                        h.status,
                    )
                })
                .collect::<Vec<_>>()
        };
        let mut total = 0;
        for entry in std::fs::read_dir("examples").unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut scratch = Scratch::default();
            let (mut want, mut got) = (Vec::new(), Vec::new());
            matchers[0].find(&text, &mut scratch, &mut want);
            matchers[1].find(&text, &mut scratch, &mut got);
            assert_eq!(
                described(&large, &matchers[1], &got),
                described(&small, &matchers[0], &want)
            );
            total += want.len();
        }
        assert!(total > 50, "{total} hits in the examples");
    }

    /// An English near word is found only whole: not cut at its start
    /// ("aid" in "said"), nor at its end ("sai" in "said"); a Chinese one
    /// inside any text.
    #[test]
    fn near_words_are_whole_at_both_ends() {
        let found = |text: &str, word: &str| {
            has_near_word(text, 0, text.len(), &[NearWord::new(word)])
        };
        assert!(found("he said so", "said"));
        assert!(!found("he said so", "aid"));
        assert!(!found("he said so", "sai"));
        assert!(found("推进两重建设", "两重"));
    }

    /// [`has_near_word`] with each word searched by `str::match_indices`,
    /// as it was: the reference for the searchers built once.
    fn has_near_word_by_match_indices(
        text: &str,
        from: usize,
        to: usize,
        near: &[NearWord],
    ) -> bool {
        let window = NearWindow::new(text, from, to);
        near.iter().any(|word| {
            let needle = std::str::from_utf8(word.finder.needle()).unwrap();
            window
                .hay()
                .match_indices(needle)
                .any(|(i, _)| window.holds(word, i))
        })
    }

    proptest::proptest! {
        /// Near words are found where `str::match_indices` finds them, in
        /// texts of a few characters that repeat (words overlapping
        /// themselves, cut by the window, inside longer words), with
        /// full-width letters and line breaks that normalization folds.
        #[test]
        fn near_words_found_as_by_match_indices(
            text in "[aAbＡ 两重新\n]{0,24}",
            words in proptest::collection::vec("[ab两重新 ]{1,3}", 1..4),
            from in 0usize..30,
            len in 0usize..30,
        ) {
            let bounds: Vec<usize> =
                text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let from = bounds[from.min(bounds.len() - 1)];
            let to = bounds[bounds.partition_point(|&b| b < from + len).min(bounds.len() - 1)];
            let near: Vec<NearWord> =
                words.iter().map(|w| NearWord::new(&fold_form(w))).collect();
            proptest::prop_assert_eq!(
                has_near_word(&text, from, to, &near),
                has_near_word_by_match_indices(&text, from, to, &near)
            );
        }
    }
}
