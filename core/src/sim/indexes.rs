//! Sets of completion indexes and their compressed text form (`"0-2,5"`), as the Job controller
//! writes `status.completedIndexes` / `status.failedIndexes` (`indexed_job_utils.go`).

use std::collections::BTreeSet;

/// A set of completion indexes that also remembers the lowest index not in it, so "the lowest
/// pending indexes" does not rescan a long prefix of finished ones on every sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexSet {
    set: BTreeSet<i64>,
    first_missing: i64,
}

impl IndexSet {
    pub fn insert(&mut self, i: i64) -> bool {
        let new = self.set.insert(i);
        while self.set.contains(&self.first_missing) {
            self.first_missing += 1;
        }
        new
    }
    pub fn contains(&self, i: i64) -> bool {
        self.set.contains(&i)
    }
    pub fn len(&self) -> usize {
        self.set.len()
    }
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
    /// The lowest index not in the set.
    pub fn first_missing(&self) -> i64 {
        self.first_missing
    }
    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        self.set.iter().copied()
    }
}

impl std::fmt::Display for IndexSet {
    /// Runs of three or more are written `a-b`, a run of two `a,b` (trap 5 in the reference).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        let mut it = self.set.iter().copied().peekable();
        while let Some(start) = it.next() {
            let mut end = start;
            while it.peek() == Some(&(end + 1)) {
                end = it.next().unwrap_or(end);
            }
            let piece = match end - start {
                0 => format!("{start}"),
                1 => format!("{start},{end}"),
                _ => format!("{start}-{end}"),
            };
            if !first {
                f.write_str(",")?;
            }
            f.write_str(&piece)?;
            first = false;
        }
        Ok(())
    }
}

/// Reads `"1,3-5,7"` leniently as the controller does: bad fragments are skipped, values at or
/// above `completions` dropped (`parseIndexesFromString`).
pub fn parse_indexes(text: &str, completions: i64) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    for part in text.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<i64>(), b.trim().parse::<i64>()),
            None => (part.parse::<i64>(), part.parse::<i64>()),
        };
        if let (Ok(a), Ok(b)) = (a, b) {
            if a < 0 || a >= completions {
                continue;
            }
            for i in a..=b.min(completions - 1) {
                out.insert(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(v: &[i64]) -> IndexSet {
        let mut s = IndexSet::default();
        for &i in v {
            s.insert(i);
        }
        s
    }

    #[test]
    fn compressed_form_matches_the_controller() {
        assert_eq!(set(&[0, 1, 2]).to_string(), "0-2");
        assert_eq!(set(&[0, 1]).to_string(), "0,1");
        assert_eq!(set(&[2, 4, 5, 7, 8, 9]).to_string(), "2,4,5,7-9");
        assert_eq!(set(&[1, 3, 4, 5, 7]).to_string(), "1,3-5,7");
        assert_eq!(set(&[]).to_string(), "");
        assert_eq!(set(&[0, 1, 3]).first_missing(), 2);
    }

    #[test]
    fn parsing_is_lenient() {
        let got: Vec<i64> = parse_indexes("0-2,x,5,9-12", 11).into_iter().collect();
        assert_eq!(got, vec![0, 1, 2, 5, 9, 10]);
    }
}
