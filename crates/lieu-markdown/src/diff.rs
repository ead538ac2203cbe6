//! Line comparison of two Markdown sources (two revisions of a page), with the changed words
//! marked inside changed lines (`similar`, the diff crate used by insta and cargo).
//!
//! The result is plain data for a view to render. Comparing is bounded in input size, in time
//! (`similar`'s deadline) and in output size: a careless or hostile editor can save two huge,
//! unrelated texts, and comparing them must cost a bounded amount of CPU and never produce a
//! page of megabytes. Past a bound the answer is [`Comparison::TooLarge`].

use similar::{Algorithm, ChangeTag, DiffOp, TextDiff};
use std::time::{Duration, Instant};

/// Lines of context kept around each change.
const CONTEXT_LINES: usize = 3;

/// How much work one comparison may do.
#[derive(Debug, Clone, Copy)]
pub struct DiffLimits {
    /// Both texts together, in bytes; larger ones are not compared at all.
    pub max_input_bytes: usize,
    /// Lines shown (changed lines and their context); more is too large to read anyway.
    pub max_shown_lines: usize,
    /// Time allowed for the line diff and the word diffs inside changed lines together.
    pub time: Duration,
}

impl DiffLimits {
    /// Two bodies at the form's size limit fit; a diff of 2,000 lines is already more than
    /// anyone reads; half a second of one blocking thread is the worst a request may cost.
    pub const DEFAULT: DiffLimits = DiffLimits {
        max_input_bytes: 2 * 1024 * 1024,
        max_shown_lines: 2_000,
        time: Duration::from_millis(500),
    };
}

/// What changed between two texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    Identical,
    /// Groups of changed lines with their context, in order.
    Changes(Vec<Hunk>),
    /// Past one of the [`DiffLimits`]: nothing to show but the two versions themselves.
    TooLarge,
}

/// Changed lines and the context around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub lines: Vec<DiffLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    Removed,
    Added,
    Unchanged,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub change: LineChange,
    /// 1-based line number in the old text, if the line is in it.
    pub old_number: Option<usize>,
    /// 1-based line number in the new text, if the line is in it.
    pub new_number: Option<usize>,
    /// The line's text in pieces, without its line break; `true` marks a changed piece.
    pub parts: Vec<(bool, String)>,
}

/// Compares `old` and `new` line by line, within `limits`.
pub fn compare(old: &str, new: &str, limits: DiffLimits) -> Comparison {
    if old.len().saturating_add(new.len()) > limits.max_input_bytes {
        return Comparison::TooLarge;
    }
    let deadline = Instant::now() + limits.time;
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .deadline(deadline)
        .diff_lines(old, new);
    // Past the deadline `similar` returns a correct but coarse diff; it is not worth showing.
    if Instant::now() >= deadline {
        return Comparison::TooLarge;
    }
    let groups = diff.grouped_ops(CONTEXT_LINES);
    if groups.is_empty() {
        return Comparison::Identical;
    }
    let shown: usize = groups.iter().flatten().map(shown_lines).sum();
    if shown > limits.max_shown_lines {
        return Comparison::TooLarge;
    }
    let mut hunks = Vec::with_capacity(groups.len());
    for group in &groups {
        let mut lines = Vec::new();
        for op in group {
            for change in diff.iter_inline_changes_deadline(op, Some(deadline)) {
                lines.push(DiffLine {
                    change: match change.tag() {
                        ChangeTag::Delete => LineChange::Removed,
                        ChangeTag::Insert => LineChange::Added,
                        ChangeTag::Equal => LineChange::Unchanged,
                    },
                    old_number: change.old_index().map(|n| n + 1),
                    new_number: change.new_index().map(|n| n + 1),
                    parts: change
                        .iter_strings_lossy()
                        .map(|(changed, s)| (changed, s.trim_end_matches(['\n', '\r']).to_owned()))
                        .filter(|(_, s)| !s.is_empty())
                        .collect(),
                });
            }
        }
        hunks.push(Hunk { lines });
    }
    if Instant::now() >= deadline {
        return Comparison::TooLarge;
    }
    Comparison::Changes(hunks)
}

/// Rows an operation adds to the page.
fn shown_lines(op: &DiffOp) -> usize {
    let (_, old, new) = op.as_tag_tuple();
    match op {
        DiffOp::Equal { .. } => old.len(),
        _ => old.len() + new.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(old: &str, new: &str) -> Vec<Hunk> {
        match compare(old, new, DiffLimits::DEFAULT) {
            Comparison::Changes(hunks) => hunks,
            other => panic!("expected changes, got {other:?}"),
        }
    }

    #[test]
    fn changed_words_are_marked_inside_changed_lines() {
        let hunks = changes("un\ndeux\ntrois\n", "un\nDEUX\ntrois\n");
        assert_eq!(hunks.len(), 1);
        let lines = &hunks[0].lines;
        let removed = lines
            .iter()
            .find(|l| l.change == LineChange::Removed)
            .expect("a removed line");
        assert_eq!(removed.old_number, Some(2));
        assert_eq!(removed.parts, vec![(true, "deux".to_owned())]);
        let added = lines
            .iter()
            .find(|l| l.change == LineChange::Added)
            .expect("an added line");
        assert_eq!(added.new_number, Some(2));
        assert_eq!(added.parts, vec![(true, "DEUX".to_owned())]);
    }

    #[test]
    fn identical_texts_are_identical() {
        assert_eq!(
            compare("a\nb\n", "a\nb\n", DiffLimits::DEFAULT),
            Comparison::Identical
        );
    }

    #[test]
    fn far_apart_changes_make_separate_hunks() {
        let old: String = (0..40).map(|i| format!("ligne {i}\n")).collect();
        let new = old
            .replace("ligne 2\n", "ligne deux\n")
            .replace("ligne 35\n", "ligne trente-cinq\n");
        assert_eq!(changes(&old, &new).len(), 2);
    }

    #[test]
    fn texts_above_the_input_bound_are_too_large() {
        let limits = DiffLimits {
            max_input_bytes: 10,
            ..DiffLimits::DEFAULT
        };
        assert_eq!(
            compare("abcdef\n", "ghijkl\n", limits),
            Comparison::TooLarge
        );
    }

    #[test]
    fn diffs_longer_than_the_shown_bound_are_too_large() {
        let old: String = (0..3_000)
            .map(|i| format!("ancienne ligne {i}\n"))
            .collect();
        let new: String = (0..3_000)
            .map(|i| format!("nouvelle ligne {i}\n"))
            .collect();
        assert_eq!(
            compare(&old, &new, DiffLimits::DEFAULT),
            Comparison::TooLarge
        );
    }

    #[test]
    fn a_diff_past_its_deadline_is_too_large() {
        let limits = DiffLimits {
            time: Duration::ZERO,
            ..DiffLimits::DEFAULT
        };
        assert_eq!(compare("a\n", "b\n", limits), Comparison::TooLarge);
    }
}
