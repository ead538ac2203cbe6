//! A comparison of two versions, as computed by `lieu_markdown::diff`. Changes are marked by a
//! sign and by words for screen readers, never by colour alone.

use crate::i18n::t;
use lieu_markdown::diff::{Comparison, LineChange};
use maud::{Markup, html};

/// Where each of the two compared versions can be read in full, for when they cannot be
/// compared here.
pub struct Versions<'a> {
    pub old_url: &'a str,
    pub new_url: &'a str,
}

pub fn diff(comparison: &Comparison, versions: &Versions<'_>) -> Markup {
    html! {
        @match comparison {
            Comparison::Identical => p { (t("diff.identical")) },
            Comparison::TooLarge => div.alerte.alerte-info {
                p { (t("diff.too_large")) }
                ul {
                    li { a href=(versions.old_url) { (t("diff.read_old")) } }
                    li { a href=(versions.new_url) { (t("diff.read_new")) } }
                }
            },
            Comparison::Changes(hunks) => div.diff {
                @for (i, hunk) in hunks.iter().enumerate() {
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
                            @for line in &hunk.lines {
                                @let (class, sign, label) = match line.change {
                                    LineChange::Removed => ("diff-suppr", "−", t("diff.removed")),
                                    LineChange::Added => ("diff-ajout", "+", t("diff.added")),
                                    LineChange::Unchanged => ("diff-egal", " ", ""),
                                };
                                tr class=(class) {
                                    td.diff-num { @if let Some(n) = line.old_number { (n) } }
                                    td.diff-num { @if let Some(n) = line.new_number { (n) } }
                                    td.diff-signe {
                                        span aria-hidden="true" { (sign) }
                                        @if !label.is_empty() { span.visuellement-cache { (label) } }
                                    }
                                    td.diff-texte {
                                        @for (changed, value) in &line.parts {
                                            @if *changed {
                                                @match line.change {
                                                    LineChange::Removed => del { (value) },
                                                    LineChange::Added => ins { (value) },
                                                    LineChange::Unchanged => (value),
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
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lieu_markdown::diff::{DiffLimits, compare};

    const VERSIONS: Versions<'static> = Versions {
        old_url: "/wiki/p/revision/1",
        new_url: "/wiki/p/revision/2",
    };

    fn render(old: &str, new: &str) -> String {
        diff(&compare(old, new, DiffLimits::DEFAULT), &VERSIONS).into_string()
    }

    #[test]
    fn changed_words_are_highlighted_inside_changed_lines() {
        let html = render("un\ndeux\ntrois\n", "un\nDEUX\ntrois\n");
        assert!(
            html.contains("diff-suppr") && html.contains("diff-ajout"),
            "{html}"
        );
        assert!(html.contains("<del>deux</del>"), "{html}");
        assert!(html.contains("<ins>DEUX</ins>"), "{html}");
    }

    #[test]
    fn identical_texts_say_so() {
        assert!(render("a\n", "a\n").contains(t("diff.identical")));
    }

    #[test]
    fn text_is_escaped() {
        let html = render("a\n", "<script>\n");
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
    }

    #[test]
    fn a_diff_too_large_links_to_both_versions() {
        let html = diff(&Comparison::TooLarge, &VERSIONS).into_string();
        assert!(html.contains(t("diff.too_large")), "{html}");
        assert!(html.contains("href=\"/wiki/p/revision/1\""), "{html}");
        assert!(html.contains("href=\"/wiki/p/revision/2\""), "{html}");
    }
}
