//! Stable sorting that is small in wasm: the one sort Batch Lab's engine and app use.
//!
//! The standard library's `sort_by` is fast and large: every element type and comparator gets its
//! own copy of driftsort (about 4 KB of wasm each), and the release build had 25 of them (107 KB).
//! Here one merge sort, compiled once, orders *positions* through a `dyn` comparator, and a short
//! generic step moves the elements into that order; each call site adds only its comparator.
//! Same result as `slice::sort_by` (stable, O(n log n)); the price is an indirect call per
//! comparison and one `Vec<usize>` per sort, which is nothing next to simulating what is sorted.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Stable sort by a comparator, like `slice::sort_by`.
pub fn sort_by<T>(v: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        sorted_positions(items.len(), &mut |a, b| compare(&items[a], &items[b]))
    };
    if let Some(order) = order {
        apply_order(v, order);
    }
}

/// Stable sort by a key, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Stable sort in ascending order, like `slice::sort`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// A `BTreeMap` from pairs, inserted one by one: the map `collect` builds (a later duplicate key
/// replaces an earlier one), without the sort `collect` does first. That sort is the standard
/// library's, compiled again for every pair type and source iterator (about 4 KB of wasm each).
pub fn btree_map<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// A `BTreeSet` from items, inserted one by one; see [`btree_map`].
pub fn btree_set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// `0..len` in the order `compare` puts those positions in, equal ones keeping their order, or
/// `None` when they already are in order.
///
/// A natural merge sort: it starts from the runs already in order and merges neighbours until
/// one is left, so its cost is `len × log2(runs)`. The engine's lists (events, logs) are built
/// in time order, so sorting them costs the one pass that finds no run to merge. Not generic, so
/// it is in the binary once.
fn sorted_positions(
    len: usize,
    compare: &mut dyn FnMut(usize, usize) -> Ordering,
) -> Option<Vec<usize>> {
    // Where each run ends (exclusive): a run is a longest stretch with no element smaller than
    // the one before it.
    let mut run_ends: Vec<usize> = (1..len)
        .filter(|&i| compare(i - 1, i) == Ordering::Greater)
        .collect();
    if run_ends.is_empty() {
        return None;
    }
    run_ends.push(len);
    let mut from: Vec<usize> = (0..len).collect();
    let mut to = vec![0; len];
    while run_ends.len() > 1 {
        let mut merged_ends = Vec::with_capacity(run_ends.len().div_ceil(2));
        let mut start = 0;
        for pair in run_ends.chunks(2) {
            let (middle, end) = (pair[0], pair[pair.len() - 1]);
            let (mut left, mut right) = (start, middle);
            for slot in &mut to[start..end] {
                // Take from the right run only when it is strictly smaller: that keeps it stable.
                let take_right = left == middle
                    || (right < end && compare(from[right], from[left]) == Ordering::Less);
                if take_right {
                    *slot = from[right];
                    right += 1;
                } else {
                    *slot = from[left];
                    left += 1;
                }
            }
            merged_ends.push(end);
            start = end;
        }
        std::mem::swap(&mut from, &mut to);
        run_ends = merged_ends;
    }
    Some(from)
}

/// Rearrange `v` so that the element at `k` is the one that was at `order[k]`, by walking each
/// cycle of the permutation once (O(n) swaps).
fn apply_order<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut current = start;
        loop {
            let next = order[current];
            order[current] = current;
            if next == start || next == current {
                break;
            }
            v.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_and_sets_are_the_ones_collect_builds() {
        let pairs = [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)];
        assert_eq!(
            btree_map(pairs),
            pairs.into_iter().collect::<BTreeMap<_, _>>()
        );
        let items = ["x", "z", "x", "y"];
        assert_eq!(btree_set(items), items.into_iter().collect::<BTreeSet<_>>());
    }

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_elements_in_order() {
        let mut state = 7u64;
        for len in 0..200 {
            let mut items: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 60) as u8, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(k, _)| k);
            sort_by_key(&mut items, |&(k, _)| k);
            assert_eq!(items, expected, "length {len}");
        }
    }

    #[test]
    fn sorts_descending_and_plain() {
        let mut words = vec!["pear", "fig", "apple", "kiwi"];
        sort(&mut words);
        assert_eq!(words, ["apple", "fig", "kiwi", "pear"]);
        sort_by(&mut words, |a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        assert_eq!(words, ["apple", "kiwi", "pear", "fig"]);
    }

    #[test]
    fn ordered_and_nearly_ordered_input() {
        let mut ordered: Vec<(u32, char)> = vec![(1, 'a'), (1, 'b'), (2, 'c'), (5, 'd')];
        let copy = ordered.clone();
        sort_by_key(&mut ordered, |&(k, _)| k);
        assert_eq!(ordered, copy);
        let mut last_out_of_place = vec![(1, 'a'), (3, 'b'), (3, 'c'), (2, 'd')];
        sort_by_key(&mut last_out_of_place, |&(k, _)| k);
        assert_eq!(last_out_of_place, [(1, 'a'), (2, 'd'), (3, 'b'), (3, 'c')]);
    }
}
