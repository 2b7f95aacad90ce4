//! Ids given to records of two files. Within a file, a repeated id is
//! renamed (see `records::FileRecords`); across files, both records keep
//! it: daily files that number their records from 1, or one file read
//! twice under two names, whose records then count twice. Their documents
//! share one label in `scan`, `kwic`, `cooc --sites` and `--by doc`, where
//! their rows cannot be told apart, so the run says so.

use super::Warning;
use super::records::{IDS_KEPT as KEPT, Place};
use crate::output::{quantity, thousands};

/// The ids of one file's records, as hashes (SipHash, with fixed keys, so
/// that one id has one hash in every file), with the line or record
/// number of each, in file order.
#[derive(Debug, Default)]
pub struct FileIds {
    pub(super) ids: Vec<(u64, u32)>,
    /// Whether the numbers are of records of a JSON array (`FILE#N`).
    pub(super) records: bool,
}

/// The ids of the files of a run, as many as a file's at most (900,000).
/// Past that, only those whose hash ends in `level` zero bits are kept,
/// and `level` grows until they fit: a sample that does not depend on the order in which the files
/// were read, and in which two records with one id are both kept or both
/// left out. Memory stays under 20 MB whatever the corpus.
#[derive(Debug, Default)]
pub struct IdRegister {
    /// By the rank of their file.
    files: Vec<(u32, FileIds)>,
    kept: usize,
    level: u32,
}

impl IdRegister {
    /// Keeps the ids of the file of `rank`.
    pub fn add(&mut self, rank: u32, mut file: FileIds) {
        let passing = |ids: &[(u64, u32)], level| {
            ids.iter().filter(|&&(hash, _)| sampled(hash, level)).count()
        };
        while self.kept + passing(&file.ids, self.level) > KEPT {
            self.level += 1;
            self.kept = 0;
            for (_, kept) in &mut self.files {
                keep_sampled(&mut kept.ids, self.level);
                self.kept += kept.ids.len();
            }
        }
        keep_sampled(&mut file.ids, self.level);
        self.kept += file.ids.len();
        if !file.ids.is_empty() {
            self.files.push((rank, file));
        }
    }

    /// Warnings of the files holding ids that a record of an earlier file
    /// has too: for each of the first `most` such files, its first such
    /// record, with the earlier one and how many more it holds, then one
    /// of how many more files do. `name` names the file of a rank.
    pub fn warnings(
        mut self,
        name: impl Fn(u32) -> String,
        most: usize,
    ) -> Vec<Warning> {
        self.files.sort_unstable_by_key(|&(rank, _)| rank);
        // Each id with the index of its file and its number, by id and
        // then place: the first of a run of one id is where it was first
        // given. (Sorted rather than mapped: 16 bytes an id, not 17 more
        // for each slot of a map.)
        let mut all: Vec<(u64, u32, u32)> = Vec::with_capacity(self.kept);
        for (index, (_, file)) in self.files.iter_mut().enumerate() {
            let ids = std::mem::take(&mut file.ids);
            all.extend(ids.into_iter().map(|(h, n)| (h, index as u32, n)));
        }
        all.sort_unstable();
        // For each file, how many of its ids an earlier file has, and the
        // first such (its number, and the earlier file's index and number).
        let mut shared = vec![(0u64, None); self.files.len()];
        for run in all.chunk_by(|a, b| a.0 == b.0) {
            let (_, first_index, first_number) = run[0];
            for &(_, index, number) in &run[1..] {
                // A file's ids are distinct: a later one is another file's.
                let (n, earliest) = &mut shared[index as usize];
                *n += 1;
                if earliest.is_none_or(|(e, _, _)| number < e) {
                    *earliest = Some((number, first_index, first_number));
                }
            }
        }
        drop(all);
        let mut warnings = Vec::new();
        let (mut more_files, mut more_records) = (0u64, 0u64);
        for (&(shared, earliest), (rank, file)) in
            shared.iter().zip(&self.files)
        {
            let Some((number, earlier_index, earlier_number)) = earliest
            else {
                continue;
            };
            if warnings.len() == most {
                more_files += 1;
                more_records += shared;
                continue;
            }
            let (earlier_rank, earlier_file) =
                &self.files[earlier_index as usize];
            let more = match shared - 1 {
                0 => String::new(),
                n => format!(
                    ", and {} of this file to records of earlier files",
                    quantity(n, "more id", "more ids")
                ),
            };
            warnings.push(Warning {
                location: place(file, number).at(&name(*rank)),
                message: format!(
                    "id given to a record of {} too ({}){more}: both are read and counted (a file read twice counts twice), under one label in scan, kwic, cooc --sites and --by doc; --id-field can name a field unique across files",
                    name(*earlier_rank),
                    place(earlier_file, earlier_number).earlier(),
                ),
                skipped: false,
            });
        }
        if more_files > 0 {
            warnings.push(Warning {
                location: "--id-field".into(),
                message: format!(
                    "{} ids of records of earlier files too ({})",
                    quantity(more_files, "more file holds", "more files hold"),
                    quantity(more_records, "record", "records"),
                ),
                skipped: false,
            });
        }
        if self.level > 0 && !warnings.is_empty() {
            warnings.push(Warning {
                location: "--id-field".into(),
                message: format!(
                    "with more than {} ids in the run, one id in {} was checked against other files', so that memory does not grow with the corpus: the figures above are of that sample",
                    thousands(KEPT as u64),
                    thousands(1 << self.level)
                ),
                skipped: false,
            });
        }
        warnings
    }
}

/// Keeps the ids of `ids` sampled at `level`, giving back the memory of
/// those left out.
fn keep_sampled(ids: &mut Vec<(u64, u32)>, level: u32) {
    if level > 0 {
        ids.retain(|&(hash, _)| sampled(hash, level));
        ids.shrink_to_fit();
    }
}

/// Whether an id of `hash` is kept at `level`.
fn sampled(hash: u64, level: u32) -> bool {
    hash.trailing_zeros() >= level
}

fn place(file: &FileIds, number: u32) -> Place {
    let n = number as usize;
    if file.records { Place::Record(n) } else { Place::Line(n) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(pairs: &[(u64, u32)]) -> FileIds {
        FileIds { ids: pairs.to_vec(), records: false }
    }

    #[test]
    fn shared_ids_are_said_of_the_later_file_in_rank_order() {
        let mut register = IdRegister::default();
        // Added out of order, as threads finish files.
        register.add(2, ids(&[(7, 1), (8, 2), (9, 3)]));
        register.add(0, ids(&[(7, 4), (8, 5)]));
        register.add(1, ids(&[(1, 1)]));
        let names = ["a.jsonl", "b.jsonl", "c.jsonl"];
        let warnings = register.warnings(|r| names[r as usize].into(), 5);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].location, "c.jsonl:1");
        assert!(
            warnings[0].message.starts_with(
                "id given to a record of a.jsonl too (on line 4), and 1 more \
                 id of this file to records of earlier files: "
            ),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn files_past_the_most_said_are_counted() {
        let mut register = IdRegister::default();
        for rank in 0..4 {
            register.add(rank, ids(&[(5, 1), (6, 2)]));
        }
        let warnings = register.warnings(|_| "f".into(), 2);
        let locations: Vec<&str> =
            warnings.iter().map(|w| w.location.as_str()).collect();
        assert_eq!(locations, ["f:1", "f:1", "--id-field"]);
        assert_eq!(
            warnings[2].message,
            "1 more file holds ids of records of earlier files too (2 records)"
        );
    }

    #[test]
    fn past_the_budget_a_sample_of_ids_is_kept_whatever_the_order() {
        let file = |from: u64| {
            ids(&(from..from + 600_000).map(|h| (h, 1)).collect::<Vec<_>>())
        };
        let kept = |order: [u32; 2]| {
            let mut register = IdRegister::default();
            for rank in order {
                register.add(rank, file(u64::from(rank) * 300_000));
            }
            let mut all: Vec<(u32, Vec<u64>)> = (register.files.iter())
                .map(|(r, f)| (*r, f.ids.iter().map(|i| i.0).collect()))
                .collect();
            all.sort();
            (register.level, all)
        };
        let (level, one) = kept([0, 1]);
        assert_eq!(level, 1);
        assert!(one.iter().all(|(_, h)| h.iter().all(|h| h % 2 == 0)));
        assert_eq!(one, kept([1, 0]).1);
    }
}
