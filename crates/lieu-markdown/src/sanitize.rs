//! The one place where HTML from users is made safe. Everything `render` returns has been
//! through `clean`.

use ammonia::Builder;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Ids reserved for the page layout (skip link target, ...). Slugs never contain `_`, so a
/// heading cannot collide with them; raw HTML that tries is stripped of its id.
pub const RESERVED_ID_PREFIX: &str = "lieu_";

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::default();
        b.add_tags(["details", "summary"])
            .add_generic_attributes(["id"])
            .add_tag_attributes("ol", ["start"])
            .add_allowed_classes("a", ["lien-wiki", "lien-nouveau"])
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            .add_allowed_classes("div", ["footnote-definition"])
            .add_allowed_classes("span", ["tache", "visuellement-cache"])
            .add_tag_attributes("span", ["aria-hidden"])
            .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .link_rel(Some("nofollow noopener"))
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                (_, "id") if value.starts_with(RESERVED_ID_PREFIX) => None,
                _ => Some(Cow::Borrowed(value)),
            });
        b
    })
}

pub fn clean(html: &str) -> String {
    preformatted_focusable(&internal_links_followed(&builder().clean(html).to_string()))
}

/// A `<pre>` block scrolls sideways when its lines are longer than the screen (code, tables
/// drawn in text, on a 320 px phone): a keyboard user must be able to reach it to scroll it
/// (WCAG 2.1.1, axe's `scrollable-region-focusable`), so every one is put in the tab order.
/// ammonia lets no `tabindex` through, so the only ones in the output are these. Works on
/// ammonia's own output, in which text cannot hold a `<pre`.
fn preformatted_focusable(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<pre") {
        let (before, tag_and_after) = rest.split_at(at);
        out.push_str(before);
        out.push_str("<pre");
        let after_name = &tag_and_after[4..];
        if after_name.starts_with(['>', ' ']) {
            out.push_str(" tabindex=\"0\"");
        }
        rest = after_name;
    }
    out.push_str(rest);
    out
}

const REL: &str = " rel=\"nofollow noopener\"";

/// ammonia gives every link `rel="nofollow noopener"`; links within the site (`/...`, `#...`)
/// do not need it, and search engines should follow them. Works on ammonia's own output, in
/// which text cannot hold a `<a ` and attribute values cannot hold a `"` or a `>`.
fn internal_links_followed(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<a ") {
        let (before, tag_and_after) = rest.split_at(at);
        out.push_str(before);
        let end = tag_and_after
            .find('>')
            .map_or(tag_and_after.len(), |e| e + 1);
        let (tag, after) = tag_and_after.split_at(end);
        let internal =
            tag.contains(" href=\"/") && !tag.contains(" href=\"//") || tag.contains(" href=\"#");
        if internal {
            out.push_str(&tag.replacen(REL, "", 1));
        } else {
            out.push_str(tag);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}
