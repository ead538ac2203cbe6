//! Markdown rendering of lieu, as one pure function: [`render`] takes Markdown and returns
//! everything the rest of the application learns from it — sanitized HTML, the table of
//! contents, the wiki links (for backlinks), the external links and the plain text (for search).
//!
//! CommonMark plus tables, strikethrough, task lists, footnotes and wiki links
//! (`[[Page title]]`, `[[Page title|shown text]]`, `[[Page title#Section]]`). Events are
//! rewritten in a vector before `push_html`, then the HTML goes through ammonia, so no
//! Markdown or raw HTML can bring a script, an event handler, a `javascript:` URL or a style.

pub mod diff;
mod sanitize;

use lieu_core::slug::slugify;
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Version of the rendering and sanitizing rules: bump it when their output changes.
pub const RENDERER_VERSION: u32 = 3;

/// What the renderer needs to know about the wiki around the page.
pub struct RenderContext<'a> {
    /// Whether a page with this slug exists (redirects from old titles count).
    pub page_exists: &'a dyn Fn(&str) -> bool,
    /// Words the renderer writes itself, in the site's language.
    pub labels: Labels,
}

/// Words the renderer writes itself, so that a translation needs no change here.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// Tooltip of a link to a page that does not exist yet.
    pub missing_page: &'static str,
    /// Read by screen readers before a ticked task-list item.
    pub task_done: &'static str,
    /// Read by screen readers before an unticked task-list item.
    pub task_todo: &'static str,
}

impl Labels {
    pub const FRENCH: Labels = Labels {
        missing_page: "Cette page n’existe pas encore : cliquez pour la créer",
        task_done: "Fait :",
        task_todo: "À faire :",
    };
}

impl RenderContext<'_> {
    /// A context where every page exists, with French labels: for tools and tests.
    pub fn all_pages_exist() -> RenderContext<'static> {
        RenderContext {
            page_exists: &|_| true,
            labels: Labels::FRENCH,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    /// The heading's anchor (its `id`).
    pub anchor: String,
    pub text: String,
}

/// Everything learned from one Markdown document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitized HTML, safe to insert into a page as is.
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Slugs of the wiki pages this document links to, sorted, without duplicates.
    pub wiki_links: BTreeSet<String>,
    /// Absolute URLs of the external links, sorted, without duplicates.
    pub external_links: BTreeSet<String>,
    /// The text without markup, for the search index and summaries.
    pub text: String,
    /// Live lists of the directory asked for by `{{annuaire ...}}` paragraphs, in order. The
    /// HTML holds a marker for each ([`embed_marker`]); the page view fills it.
    pub embeds: Vec<Embed>,
}

/// A live list of directory entries in a page: `{{annuaire emplois contrat=cdi limite=5}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embed {
    /// The list's path segment: services, associations, emplois, logements, evenements.
    pub list: String,
    /// Its filters, as in the list's URL (commune, theme, contrat, type, periode, limite, ...).
    pub params: Vec<(String, String)>,
}

/// Marker left in the HTML where embed `index` goes. Comments never survive sanitizing, so no
/// user text can produce one.
pub fn embed_marker(index: usize) -> String {
    format!("<!--lieu-embed:{index}-->")
}

/// Token standing for an embed until the HTML is sanitized (private-use characters).
fn embed_token(index: usize) -> String {
    format!("{}{index}\u{E000}", embed_token_prefix())
}

fn embed_token_prefix() -> &'static str {
    "\u{E000}lieu-embed-"
}

/// The embeds of a document, without rendering it (for pages whose stored HTML has markers).
pub fn embeds(markdown: &str) -> Vec<Embed> {
    let mut embeds = Vec::new();
    replace_embeds(Parser::new_ext(markdown, options()).collect(), &mut embeds);
    embeds
}

/// Reads `{{annuaire LIST key=value ...}}`.
fn parse_embed(text: &str) -> Option<Embed> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let mut words = inner.split_whitespace();
    if words.next()? != "annuaire" {
        return None;
    }
    let list = words.next()?.to_owned();
    let params = words
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('"').to_owned()))
        .collect();
    Some(Embed { list, params })
}

/// URL of a wiki page.
pub fn page_url(slug: &str) -> String {
    format!("/wiki/{slug}")
}

/// URL of the form that creates a page with this title.
pub fn new_page_url(title: &str) -> String {
    format!("/nouvelle-page?titre={}", encode_query(title))
}

/// `[[annuaire/services/permanence-caf]]` links to a directory entry (or list).
fn directory_link(target: &str) -> Option<String> {
    let rest = target.trim().strip_prefix("annuaire/")?;
    let ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/');
    ok.then(|| format!("/annuaire/{rest}"))
}

fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_WIKILINKS
}

/// The rendering before sanitizing: everything `render` does but ammonia.
fn render_unsanitized(markdown: &str, ctx: &RenderContext<'_>) -> Rendered {
    let mut out = Rendered::default();
    let events = replace_embeds(
        Parser::new_ext(markdown, options()).collect(),
        &mut out.embeds,
    );
    let mut rewritten: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut used_anchors: HashMap<String, usize> = HashMap::new();
    let mut heading_start: Option<usize> = None;
    let mut text = String::new();
    // For each open link, the closing tag to write: wiki links are written as raw HTML.
    let mut open_links: Vec<Option<&'static str>> = Vec::new();

    for event in events {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(rewritten.len());
                rewritten.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    let heading_text = plain_text_of(&rewritten[start + 1..]);
                    let anchor = unique_anchor(&heading_text, &mut used_anchors);
                    if let Event::Start(Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    }) = rewritten[start].clone()
                    {
                        rewritten[start] = Event::Start(Tag::Heading {
                            level,
                            id: Some(CowStr::from(anchor.clone())),
                            classes,
                            attrs,
                        });
                    }
                    out.toc.push(TocEntry {
                        level: heading_level(level),
                        anchor,
                        text: heading_text,
                    });
                }
                rewritten.push(event);
                text.push('\n');
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let (target, section) = match dest_url.split_once('#') {
                    Some((page, section)) => (page.trim(), Some(section.trim())),
                    None => (dest_url.trim(), None),
                };
                let slug = slugify(target);
                let (tag, close) = if let Some(path) = directory_link(target) {
                    let tag = format!("<a class=\"lien-wiki\" href=\"{}\">", escape_attr(&path));
                    (tag, "</a>")
                } else if slug.is_empty() {
                    // Nothing linkable (e.g. `[[?]]`): keep the text, drop the link.
                    ("<span>".to_owned(), "</span>")
                } else if (ctx.page_exists)(&slug) {
                    let mut href = page_url(&slug);
                    if let Some(section) = section.map(slugify).filter(|s| !s.is_empty()) {
                        href.push('#');
                        href.push_str(&section);
                    }
                    out.wiki_links.insert(slug);
                    let tag = format!("<a class=\"lien-wiki\" href=\"{}\">", escape_attr(&href));
                    (tag, "</a>")
                } else {
                    out.wiki_links.insert(slug);
                    let tag = format!(
                        "<a class=\"lien-nouveau\" href=\"{}\" title=\"{}\">",
                        escape_attr(&new_page_url(target)),
                        escape_attr(ctx.labels.missing_page)
                    );
                    (tag, "</a>")
                };
                open_links.push(Some(close));
                rewritten.push(Event::InlineHtml(CowStr::from(tag)));
            }
            Event::End(TagEnd::Link) => match open_links.pop().flatten() {
                Some(close) => rewritten.push(Event::InlineHtml(CowStr::Borrowed(close))),
                None => rewritten.push(event),
            },
            Event::TaskListMarker(done) => {
                let (symbol, label) = if done {
                    ("☑", ctx.labels.task_done)
                } else {
                    ("☐", ctx.labels.task_todo)
                };
                rewritten.push(Event::InlineHtml(CowStr::from(format!(
                    "<span class=\"tache\" aria-hidden=\"true\">{symbol}</span> \
                     <span class=\"visuellement-cache\">{}</span> ",
                    escape_attr(label)
                ))));
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                open_links.push(None);
                if dest_url.starts_with("http://") || dest_url.starts_with("https://") {
                    out.external_links.insert(dest_url.to_string());
                }
                rewritten.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                text.push_str(t);
                rewritten.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                rewritten.push(event);
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::TableCell,
            ) => {
                text.push('\n');
                rewritten.push(event);
            }
            other => rewritten.push(other),
        }
    }

    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, flatten_deep(rewritten).into_iter());
    out.html = html;
    out.text = normalize_text(&text);
    out
}

/// Deepest nesting of elements kept in the HTML. Sanitizing costs the square of the depth
/// (`> > > …` 20,000 deep took seconds), and no page a person writes nests this deep.
pub const MAX_NESTING: usize = 24;

/// Keeps the text of elements nested deeper than [`MAX_NESTING`] but not their tags. Lists and
/// tables are dropped whole when their required children would be, so the HTML stays valid.
fn flatten_deep(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // Raw HTML nests too (`<div>` 20,000 times took 1.6 s to sanitize): a document whose raw
    // tags nest deeper than the bound shows them as text.
    let raw_too_deep = raw_html_depth(&events) > MAX_NESTING;
    let mut out = Vec::with_capacity(events.len());
    // For each open element, whether its tags are kept.
    let mut open: Vec<bool> = Vec::new();
    for event in events {
        match event {
            Event::Start(ref tag) => {
                let depth = open.len();
                let children_needed = match tag {
                    Tag::List(_) => 1,
                    Tag::Table(_) => 2,
                    _ => 0,
                };
                let keep =
                    open.last().copied().unwrap_or(true) && depth + children_needed < MAX_NESTING;
                open.push(keep);
                if keep {
                    out.push(event);
                }
            }
            Event::End(ref end) => {
                if open.pop().unwrap_or(true) {
                    out.push(event);
                } else if !matches!(
                    end,
                    TagEnd::Emphasis
                        | TagEnd::Strong
                        | TagEnd::Strikethrough
                        | TagEnd::Superscript
                        | TagEnd::Subscript
                        | TagEnd::Link
                        | TagEnd::Image
                ) {
                    // The words of two flattened blocks stay apart.
                    out.push(Event::SoftBreak);
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) if raw_too_deep => {
                out.push(Event::Text(raw));
            }
            other => out.push(other),
        }
    }
    out
}

/// How deep the raw HTML tags of a document nest, read roughly: each `<name` opens, each
/// `</` and each `/>` closes. Unclosed void elements (`<br>`) count as opening, which only
/// matters for a document holding more of them than a page ever does.
fn raw_html_depth(events: &[Event<'_>]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for event in events {
        if let Event::Html(raw) | Event::InlineHtml(raw) = event {
            let bytes = raw.as_bytes();
            for (i, pair) in bytes.windows(2).enumerate() {
                match pair {
                    [b'<', b'/'] | [b'/', b'>'] => depth = depth.saturating_sub(1),
                    [b'<', c] if c.is_ascii_alphabetic() && !void_tag(&bytes[i + 1..]) => {
                        depth += 1;
                        deepest = deepest.max(depth);
                    }
                    _ => {}
                }
            }
        }
    }
    deepest
}

/// Whether a tag name starting these bytes is a void element (never closed).
fn void_tag(rest: &[u8]) -> bool {
    const VOID: [&[u8]; 6] = [b"br", b"hr", b"img", b"wbr", b"input", b"col"];
    VOID.iter().any(|name| {
        rest.len() >= name.len()
            && rest[..name.len()].eq_ignore_ascii_case(name)
            && rest
                .get(name.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Renders Markdown to sanitized HTML and collects what the document says about itself.
pub fn render(markdown: &str, ctx: &RenderContext<'_>) -> Rendered {
    let mut out = render_unsanitized(markdown, ctx);
    out.html = place_embed_markers(&sanitize::clean(&out.html), out.embeds.len());
    out
}

/// Replaces each paragraph holding only an embed's token by its marker, in one pass (a page
/// with thousands of embeds costs what its length costs).
fn place_embed_markers(html: &str, count: usize) -> String {
    let open = format!("<p>{}", embed_token_prefix());
    let close = "\u{E000}</p>";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        match after[..digits].parse::<usize>() {
            Ok(index) if index < count && after[digits..].starts_with(close) => {
                out.push_str(&embed_marker(index));
                rest = &after[digits + close.len()..];
            }
            _ => {
                out.push_str(&open);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Replaces each paragraph that is only `{{annuaire ...}}` by a token, and records the embed.
fn replace_embeds<'a>(events: Vec<Event<'a>>, embeds: &mut Vec<Embed>) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Paragraph) = events[i] {
            let mut text = String::new();
            let mut j = i + 1;
            let mut plain = true;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Paragraph)) {
                match &events[j] {
                    Event::Text(t) => text.push_str(t),
                    Event::SoftBreak => text.push(' '),
                    _ => plain = false,
                }
                j += 1;
            }
            if plain
                && j < events.len()
                && text.trim_start().starts_with("{{annuaire")
                && let Some(embed) = parse_embed(&text)
            {
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::Text(CowStr::from(embed_token(embeds.len()))));
                out.push(Event::End(TagEnd::Paragraph));
                embeds.push(embed);
                i = j + 1;
                continue;
            }
        }
        out.push(events[i].clone());
        i += 1;
    }
    out
}

fn plain_text_of(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unique_anchor(heading: &str, used: &mut HashMap<String, usize>) -> String {
    let mut base = slugify(heading);
    if base.is_empty() {
        base = "section".to_owned();
    }
    let count = used.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base
    } else {
        format!("{base}-{}", *count)
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn normalize_text(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod commonmark;
#[cfg(test)]
mod tests;
