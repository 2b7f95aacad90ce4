//! The engine for large lexicons: a hash of the next bytes at each
//! position, tested against a bit set, in place of an automaton's walk.

use std::cmp::Reverse;

use super::{Engine, Occurrence};

/// The shortest pattern a sieve takes, and the width of its keys when it
/// takes any that is shorter than [`WORD_BYTES`]: two Han characters.
const MIN_KEY_BYTES: usize = 6;

/// The width of a sieve's keys when every pattern it takes is at least
/// that long: two Han characters and two bytes of a third.
const WORD_BYTES: usize = 8;

/// The most short patterns a sieve files under one first byte; with more,
/// comparing them one by one would be slower than an automaton.
const MAX_SHORT_BUCKET: usize = 32;

/// Candidates looked up together: their slots, then their rests, are asked
/// of memory all at once, not one candidate after another.
const BATCH: usize = 16;

/// A large lexicon's matcher. Patterns of at least `MIN_KEY_BYTES` are
/// filed under a key, their first bytes, and a bit set holds a hash of
/// every key. A position of the text whose next bytes hash to a set bit is
/// a candidate: its key is looked up exactly, and the rests of the
/// patterns filed under it compared with the text that follows. Hashing a
/// position does not wait on the one before, unlike an automaton's next
/// state, and few positions pass. Shorter patterns (the white space the
/// matcher watches, short English words) are filed under their first
/// byte, or, when too many share one, go to an automaton of their own.
#[derive(Debug, Clone)]
pub struct Sieve {
    /// The keys of `keys`, hashed.
    bits: HashBits,
    /// The patterns of at least [`MIN_KEY_BYTES`].
    keys: KeyTable,
    /// The shorter patterns, filed under their first byte.
    short_keys: KeyTable,
    /// Which bytes `short_keys` has patterns for, in either case.
    starts_short: [bool; 256],
    /// The first (up to three) bytes of the patterns in `short_keys`: a
    /// closer test where `starts_short` lets a position through.
    short_prefixes: Prefixes,
    /// The shorter patterns' automaton, and their ids in the lexicon, when
    /// they are not filed.
    short_automaton: Option<(Engine, Vec<usize>)>,
}

impl Sieve {
    /// Builds a sieve, or an automaton when no pattern is long enough for
    /// one; `None` when a pattern is empty.
    pub(super) fn build(patterns: &[String]) -> Option<Engine> {
        if patterns.iter().any(String::is_empty) {
            return None;
        }
        let (long, short): (Vec<usize>, Vec<usize>) = (0..patterns.len())
            .partition(|&p| patterns[p].len() >= MIN_KEY_BYTES);
        if long.is_empty() {
            return Engine::automaton(patterns);
        }
        // Wider keys let fewer positions through, but every pattern must
        // be at least as long as its key.
        let width = long.iter().map(|&p| patterns[p].len()).min();
        let width = width.unwrap_or(WORD_BYTES).min(WORD_BYTES);
        let keys = KeyTable::new(patterns, &long, width);
        // About 64 bits per key keeps false candidates near 1 in 64.
        let mut bits =
            HashBits::new(log2_at_least(keys.len * 64).clamp(12, 24));
        for key in keys.keys() {
            bits.insert(key);
        }
        let mut short_keys = KeyTable::new(patterns, &short, 1);
        let mut starts_short = [false; 256];
        let mut short_prefixes = Prefixes::default();
        let mut short_automaton = None;
        if short_keys.largest_bucket() <= MAX_SHORT_BUCKET {
            for key in short_keys.keys() {
                let b = key as u8;
                starts_short[usize::from(b)] = true;
                starts_short[usize::from(b.to_ascii_uppercase())] = true;
            }
            for &p in &short {
                short_prefixes.insert(patterns[p].as_bytes());
            }
        } else {
            short_keys = KeyTable::new(patterns, &[], 1);
            let texts: Vec<String> =
                short.iter().map(|&p| patterns[p].clone()).collect();
            short_automaton = Some((Engine::automaton(&texts)?, short));
        }
        let sieve = Sieve {
            bits,
            keys,
            short_keys,
            starts_short,
            short_prefixes,
            short_automaton,
        };
        Some(Engine::Sieve(Box::new(sieve)))
    }

    /// Heap memory, in bytes.
    pub(super) fn memory_usage(&self) -> usize {
        let automaton = self
            .short_automaton
            .as_ref()
            .map_or(0, |(e, ids)| e.memory_usage() + ids.len() * 8);
        automaton
            + self.bits.memory_usage()
            + self.keys.memory_usage()
            + self.short_keys.memory_usage()
    }

    /// Appends every occurrence in `hay` to `out`.
    pub(super) fn occurrences(&self, hay: &[u8], out: &mut Vec<Occurrence>) {
        if let Some((engine, ids)) = &self.short_automaton {
            let from = out.len();
            engine.occurrences(hay, out);
            for o in &mut out[from..] {
                o.pattern = ids[o.pattern];
            }
        }
        let width = self.keys.width;
        let mask = first_bytes(width);
        // Positions whose hash passed, waiting for their lookup. Each lead
        // byte's position is written, and kept by counting it only when it
        // passes: no branch on the bit set, which passes about one lead
        // byte in six over the 10,000 phrases, too irregularly for the
        // branch predictor. Occurrences come out of order (the matcher
        // sorts them).
        let mut batch = [0; BATCH];
        let mut queued = 0;
        for (at, window) in hay.windows(WORD_BYTES).enumerate() {
            let word = u64::from_le_bytes(window.try_into().expect("8 bytes"));
            // A UTF-8 continuation byte starts no pattern; skipping them
            // first halves the time over Chinese text.
            if (window[0] as i8) >= -0x40 {
                batch[queued] = at;
                queued += usize::from(self.bits.contains(word & mask));
                if queued == BATCH {
                    self.keys.find_batch(&batch, mask, hay, out);
                    queued = 0;
                }
                if self.starts_short[usize::from(window[0])]
                    && self.short_prefixes.may_start(word)
                {
                    self.short_keys.find(hay, at, out);
                }
            }
        }
        self.keys.find_batch(&batch[..queued], mask, hay, out);
        // The last positions, where a word would run past the end.
        let tail = hay.len().saturating_sub(WORD_BYTES - 1);
        for at in tail..hay.len() {
            if hay.len() - at >= width {
                self.keys.find(hay, at, out);
            }
            self.short_keys.find(hay, at, out);
        }
    }
}

/// A bit set of hashed keys: a key not in it is certainly not a key put
/// in; one in it may be.
#[derive(Debug, Clone)]
struct HashBits {
    words: Vec<u64>,
    /// Shift that keeps the top bits of a product as the hash.
    shift: u32,
}

impl HashBits {
    /// A set of `1 << log2` bits (at least 64).
    fn new(log2: u32) -> HashBits {
        let log2 = log2.max(6);
        HashBits { words: vec![0; 1 << (log2 - 6)], shift: 64 - log2 }
    }

    fn insert(&mut self, key: u64) {
        let h = hash(key, self.shift);
        self.words[h >> 6] |= 1 << (h & 63);
    }

    #[inline(always)]
    fn contains(&self, key: u64) -> bool {
        let h = hash(key, self.shift);
        self.words[h >> 6] >> (h & 63) & 1 != 0
    }

    fn memory_usage(&self) -> usize {
        self.words.len() * 8
    }
}

/// A bit set of the first one, two or three bytes of some patterns (as
/// many as each has), hashed: the short patterns that the matcher watches
/// for (white space but the plain space, full-width twins) share their
/// first byte with common punctuation (“ and ” start like the spaces
/// U+2000..U+200A, 。 and 、 like U+3000), and comparing them all there
/// was 4% of a run.
#[derive(Debug, Clone)]
struct Prefixes {
    bits: HashBits,
    /// `widths[w]`: some pattern has a prefix of `w` bytes.
    widths: [bool; 4],
}

impl Default for Prefixes {
    fn default() -> Self {
        Prefixes { bits: HashBits::new(12), widths: [false; 4] }
    }
}

impl Prefixes {
    fn insert(&mut self, pattern: &[u8]) {
        let width = pattern.len().min(3);
        self.bits.insert(lower_key(pattern, width));
        self.widths[width] = true;
    }

    /// Whether a pattern may start with the first bytes of `word`, in
    /// either case (no when the set holds none).
    #[inline(always)]
    fn may_start(&self, word: u64) -> bool {
        (1..=3).any(|width| {
            self.widths[width] && self.bits.contains(word & first_bytes(width))
        })
    }
}

/// Patterns filed under their keys, lower-cased and open addressed by
/// [`hash`]. Each key's slot points to the rests of its patterns.
#[derive(Debug, Clone)]
struct KeyTable {
    /// Bytes of each key.
    width: usize,
    /// [`NO_KEY`] marks a free slot.
    slots: Vec<Slot>,
    /// Shift of the hash into `slots`.
    shift: u32,
    /// Keys filed.
    len: usize,
    /// What follows the key in each pattern, grouped by key.
    rests: Vec<Rest>,
    /// The bytes of the rests past their first eight, lower-cased.
    bytes: Vec<u8>,
}

/// A key, and where the rests of its patterns are.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: u64,
    first: u32,
    end: u32,
}

/// What follows the key in a pattern: its first (up to) eight bytes,
/// lower-cased as [`lower_key`] makes them, compared with the text in one
/// step (a byte loop of varying length mispredicted its exit at most
/// candidates); the bytes past those are in [`KeyTable::bytes`] from
/// `tail`.
#[derive(Debug, Clone, Copy)]
struct Rest {
    head: u64,
    len: u32,
    tail: u32,
    pattern: u32,
}

/// A free slot of a [`KeyTable`]: bytes 0xFF never occur in UTF-8.
const NO_KEY: u64 = u64::MAX;

/// A free slot.
const NO_SLOT: Slot = Slot { key: NO_KEY, first: 0, end: 0 };

impl KeyTable {
    /// Files `ids` of `patterns` under their first `width` bytes.
    fn new(patterns: &[String], ids: &[usize], width: usize) -> KeyTable {
        let mut filed: Vec<(u64, &[u8], usize)> = ids
            .iter()
            .map(|&p| {
                let bytes = patterns[p].as_bytes();
                (lower_key(bytes, width), &bytes[width..], p)
            })
            .collect();
        // Longest first under each key: the occurrences of one position
        // then come out in the order the matcher sorts them into, and its
        // sort finds them sorted.
        filed.sort_unstable_by_key(|&(key, rest, p)| {
            (key, Reverse(rest.len()), p)
        });
        let (mut rests, mut bytes) = (Vec::new(), Vec::new());
        let mut keys: Vec<Slot> = Vec::new();
        for (key, rest, pattern) in filed {
            if keys.last().is_none_or(|s| s.key != key) {
                let at = rests.len() as u32;
                keys.push(Slot { key, first: at, end: at });
            }
            let tail = bytes.len() as u32;
            let tail_bytes = rest.iter().skip(WORD_BYTES);
            bytes.extend(tail_bytes.map(u8::to_ascii_lowercase));
            rests.push(Rest {
                head: lower_key(rest, rest.len().min(WORD_BYTES)),
                len: rest.len() as u32,
                tail,
                pattern: pattern as u32,
            });
            keys.last_mut().expect("pushed above").end += 1;
        }
        // At most half the slots taken keeps probe runs short.
        let shift = 64 - log2_at_least(keys.len().max(1) * 2);
        let mut slots = vec![NO_SLOT; 1 << (64 - shift)];
        for slot in &keys {
            let mut at = hash(slot.key, shift);
            while slots[at].key != NO_KEY {
                at = (at + 1) & (slots.len() - 1);
            }
            slots[at] = *slot;
        }
        KeyTable { width, slots, shift, len: keys.len(), rests, bytes }
    }

    /// The most patterns filed under one key.
    fn largest_bucket(&self) -> usize {
        self.slots
            .iter()
            .map(|s| (s.end - s.first) as usize)
            .max()
            .unwrap_or(0)
    }

    /// The keys filed.
    fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.slots.iter().map(|s| s.key).filter(|&k| k != NO_KEY)
    }

    /// Appends the patterns filed here that occur at `at` in `hay` (which
    /// has at least the width of a key from there).
    fn find(&self, hay: &[u8], at: usize, out: &mut Vec<Occurrence>) {
        let key = lower_key(&hay[at..], self.width);
        if let Some(slot) = self.probe(key, hash(key, self.shift)) {
            self.find_rests(slot, hay, at, out);
        }
    }

    /// [`find`](KeyTable::find) at each position of a batch (its
    /// key: its next bytes under `mask`), in three passes: the keys, then
    /// the slots of all, then the rests of those whose key is filed, each
    /// pass prefetching what the next one reads. One lookup after another,
    /// each waited on a cache miss of its own: with 10,000 terms a lookup
    /// was a quarter of a run's time.
    fn find_batch(
        &self,
        batch: &[usize],
        mask: u64,
        hay: &[u8],
        out: &mut Vec<Occurrence>,
    ) {
        let mut keyed = [(0, 0, 0); BATCH];
        for (k, &at) in keyed.iter_mut().zip(batch) {
            let word = hay[at..at + WORD_BYTES].try_into().expect("8 bytes");
            let key = ascii_lower(u64::from_le_bytes(word) & mask);
            let first = hash(key, self.shift);
            prefetch(&self.slots[first]);
            *k = (at, key, first);
        }
        let mut found = [(0, NO_SLOT); BATCH];
        let mut filed = 0;
        for &(at, key, first) in &keyed[..batch.len()] {
            if let Some(slot) = self.probe(key, first) {
                prefetch(&self.rests[slot.first as usize]);
                found[filed] = (at, slot);
                filed += 1;
            }
        }
        for &(at, slot) in &found[..filed] {
            self.find_rests(slot, hay, at, out);
        }
    }

    /// The slot of `key`, if it is filed, probing from slot `i` (where
    /// its hash points).
    #[inline(always)]
    fn probe(&self, key: u64, mut i: usize) -> Option<Slot> {
        loop {
            match self.slots[i] {
                s if s.key == key => return Some(s),
                s if s.key == NO_KEY => return None,
                _ => i = (i + 1) & (self.slots.len() - 1),
            }
        }
    }

    /// Appends the patterns filed in `slot` whose rests follow its key at
    /// `at` in `hay`.
    #[inline(always)]
    fn find_rests(
        &self,
        slot: Slot,
        hay: &[u8],
        at: usize,
        out: &mut Vec<Occurrence>,
    ) {
        let after = &hay[at + self.width..];
        let next = match after.first_chunk::<WORD_BYTES>() {
            Some(word) => ascii_lower(u64::from_le_bytes(*word)),
            None => lower_key(after, after.len()),
        };
        for r in &self.rests[slot.first as usize..slot.end as usize] {
            let len = r.len as usize;
            if len <= after.len()
                && next & first_bytes(len) == r.head
                && (len <= WORD_BYTES
                    || self.tail_matches(r, &after[WORD_BYTES..len]))
            {
                let end = at + self.width + len;
                let pattern = r.pattern as usize;
                out.push(Occurrence { start: at, end, pattern });
            }
        }
    }

    /// Whether `text`, what follows the first eight bytes of a rest in the
    /// text, matches the rest of `r`.
    #[cold]
    fn tail_matches(&self, r: &Rest, text: &[u8]) -> bool {
        let from = r.tail as usize;
        text.eq_ignore_ascii_case(&self.bytes[from..from + text.len()])
    }

    /// Heap memory, in bytes.
    fn memory_usage(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>()
            + self.rests.len() * std::mem::size_of::<Rest>()
            + self.bytes.len()
    }
}

/// The first `width` bytes of `bytes` (at least that many), ASCII
/// lower-cased, as a little-endian number.
fn lower_key(bytes: &[u8], width: usize) -> u64 {
    let mut key = [0; 8];
    for (k, b) in key.iter_mut().zip(&bytes[..width]) {
        *k = b.to_ascii_lowercase();
    }
    u64::from_le_bytes(key)
}

/// The bits of a little-endian word that hold its first `n` bytes (all
/// of them from eight bytes, none for none): a key's, or a rest's head.
fn first_bytes(n: usize) -> u64 {
    let bits = 8 * n.min(WORD_BYTES) as u32;
    u64::MAX.checked_shr(64 - bits).unwrap_or(0)
}

/// `word` with its ASCII capital letters made small, all bytes at once.
fn ascii_lower(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Seven bits of each byte, plus an offset, set the eighth where the
    // byte is at least `A`, or past `Z`; no sum carries into the next.
    let low = word & (0x7F * ONES);
    let from_a = low + (0x80 - u64::from(b'A')) * ONES;
    let past_z = low + (0x80 - u64::from(b'Z') - 1) * ONES;
    let capital = from_a & !past_z & !word & (0x80 * ONES);
    word | capital >> 2
}

/// Asks the CPU to bring `item` into its cache, without waiting for it.
#[inline(always)]
fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing and cannot fault
    // (here the address is a reference's anyway).
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((item as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

/// The base-2 logarithm of the least power of two at least `n`.
fn log2_at_least(n: usize) -> u32 {
    n.next_power_of_two().trailing_zeros()
}

/// The hash of a key (its bytes as a little-endian number): the top
/// `64 - shift` bits of a product. The 0x20 bit of every ASCII byte is
/// cleared first, so that both cases of a letter hash alike (as do a few
/// pairs of other ASCII bytes, which only adds candidates).
#[inline(always)]
fn hash(word: u64, shift: u32) -> usize {
    let ascii = !word & 0x8080_8080_8080_8080;
    let key = word & !(ascii >> 2);
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Lower-casing a word at once is lower-casing each byte.
        #[test]
        fn ascii_lower_is_bytewise(word: u64) {
            let bytes = word.to_le_bytes().map(|b| b.to_ascii_lowercase());
            proptest::prop_assert_eq!(ascii_lower(word), u64::from_le_bytes(bytes));
        }
    }

    #[test]
    fn ascii_lower_at_the_edges() {
        let word = u64::from_le_bytes(*b"@AZ[`az\xC1");
        assert_eq!(ascii_lower(word), u64::from_le_bytes(*b"@az[`az\xC1"));
    }
}
