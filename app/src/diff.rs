//! A line diff (longest common subsequence) of the learner's manifest against the solution, or
//! against an updated starter. Manifests are small; the quadratic table is bounded, and past the
//! bound the middle is shown as removed-then-added, which is still a correct (if coarse) diff.

/// One line of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    Same(&'a str),
    /// Only in the first text (the learner's).
    Removed(&'a str),
    /// Only in the second text (the solution).
    Added(&'a str),
}

/// The most table cells we fill (about 16 MB of `u32`s at worst).
const MAX_CELLS: usize = 4_000_000;

/// The lines of `old` and `new`, in order, each marked same, removed or added.
pub fn lines<'a>(old: &'a str, new: &'a str) -> Vec<Line<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut out: Vec<Line> = a[..prefix].iter().map(|l| Line::Same(l)).collect();
    if (mid_a.len() + 1) * (mid_b.len() + 1) > MAX_CELLS {
        out.extend(mid_a.iter().map(|l| Line::Removed(l)));
        out.extend(mid_b.iter().map(|l| Line::Added(l)));
    } else {
        out.extend(lcs(mid_a, mid_b));
    }
    out.extend(a[a.len() - suffix..].iter().map(|l| Line::Same(l)));
    out
}

/// Classic LCS table, walked forwards: `len[i][j]` is the LCS length of `a[i..]` and `b[j..]`.
fn lcs<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Line<'a>> {
    let width = b.len() + 1;
    let mut len = vec![0u32; (a.len() + 1) * width];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            len[i * width + j] = if a[i] == b[j] {
                len[(i + 1) * width + j + 1] + 1
            } else {
                len[(i + 1) * width + j].max(len[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len() + b.len());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(Line::Same(a[i]));
            i += 1;
            j += 1;
        } else if len[(i + 1) * width + j] >= len[i * width + j + 1] {
            out.push(Line::Removed(a[i]));
            i += 1;
        } else {
            out.push(Line::Added(b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| Line::Removed(l)));
    out.extend(b[j..].iter().map(|l| Line::Added(l)));
    out
}

#[cfg(test)]
mod tests {
    use super::Line::*;
    use super::*;

    #[test]
    fn identical_texts_are_all_same() {
        assert_eq!(lines("a\nb", "a\nb"), vec![Same("a"), Same("b")]);
    }

    #[test]
    fn a_changed_line_is_removed_then_added() {
        assert_eq!(
            lines(
                "kind: Job\nbackoffLimit: 6\nx",
                "kind: Job\nbackoffLimit: 2\nx"
            ),
            vec![
                Same("kind: Job"),
                Removed("backoffLimit: 6"),
                Added("backoffLimit: 2"),
                Same("x")
            ]
        );
    }

    #[test]
    fn insertions_and_deletions_keep_the_common_lines() {
        assert_eq!(
            lines("a\nb\nc\nd", "a\nc\nd\ne"),
            vec![Same("a"), Removed("b"), Same("c"), Same("d"), Added("e")]
        );
    }

    #[test]
    fn empty_sides() {
        assert_eq!(lines("", "a"), vec![Added("a")]);
        assert_eq!(lines("a", ""), vec![Removed("a")]);
        assert!(lines("", "").is_empty());
    }

    #[test]
    fn huge_inputs_stay_bounded_and_correct() {
        let old: String = (0..3000).map(|i| format!("o{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("n{i}\n")).collect();
        let d = lines(&old, &new);
        assert_eq!(d.len(), 6000);
        assert!(matches!(d[0], Removed("o0")));
        assert!(matches!(d[5999], Added("n2999")));
    }
}
