//! Line diff between two texts, with the changed words highlighted inside changed lines
//! (`similar`, the diff crate used by insta and cargo). Changes are marked by a sign and by
//! words for screen readers, never by colour alone.

use crate::i18n::t;
use maud::{Markup, html};
use similar::{ChangeTag, TextDiff};

/// Lines of context kept around each change.
const CONTEXT_LINES: usize = 3;

pub fn diff(old: &str, new: &str) -> Markup {
    let diff = TextDiff::from_lines(old, new);
    let groups = diff.grouped_ops(CONTEXT_LINES);
    html! {
        @if groups.is_empty() {
            p { (t("diff.identical")) }
        } @else {
            div.diff {
                @for (i, group) in groups.iter().enumerate() {
                    @if i > 0 { p.diff-coupure aria-hidden="true" { "⋯" } }
                    table.diff-table {
                        caption.visuellement-cache { (t("diff.caption")) " " (i + 1) }
                        thead.visuellement-cache {
                            tr {
                                th scope="col" { (t("diff.old_line")) }
                                th scope="col" { (t("diff.new_line")) }
                                th scope="col" { (t("diff.change")) }
                                th scope="col" { (t("diff.text")) }
                            }
                        }
                        tbody {
                            @for op in group {
                                @for change in diff.iter_inline_changes(op) {
                                    @let (class, sign, label) = match change.tag() {
                                        ChangeTag::Delete => ("diff-suppr", "−", t("diff.removed")),
                                        ChangeTag::Insert => ("diff-ajout", "+", t("diff.added")),
                                        ChangeTag::Equal => ("diff-egal", " ", ""),
                                    };
                                    tr class=(class) {
                                        td.diff-num { @if let Some(n) = change.old_index() { (n + 1) } }
                                        td.diff-num { @if let Some(n) = change.new_index() { (n + 1) } }
                                        td.diff-signe {
                                            span aria-hidden="true" { (sign) }
                                            @if !label.is_empty() { span.visuellement-cache { (label) } }
                                        }
                                        td.diff-texte {
                                            @for (emphasized, value) in change.iter_strings_lossy() {
                                                @let value = value.trim_end_matches('\n');
                                                @if emphasized {
                                                    @match change.tag() {
                                                        ChangeTag::Delete => del { (value) },
                                                        ChangeTag::Insert => ins { (value) },
                                                        ChangeTag::Equal => (value),
                                                    }
                                                } @else {
                                                    (value)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_highlighted_inside_changed_lines() {
        let html = diff("un\ndeux\ntrois\n", "un\nDEUX\ntrois\n").into_string();
        assert!(
            html.contains("diff-suppr") && html.contains("diff-ajout"),
            "{html}"
        );
        assert!(html.contains("<del>deux</del>"), "{html}");
        assert!(html.contains("<ins>DEUX</ins>"), "{html}");
    }

    #[test]
    fn identical_texts_say_so() {
        assert!(
            diff("a\n", "a\n")
                .into_string()
                .contains(t("diff.identical"))
        );
    }

    #[test]
    fn text_is_escaped() {
        let html = diff("a\n", "<script>\n").into_string();
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
    }
}
