//! The site's search: the box in the header, the results page with its filters, and the
//! pages shown when there is nothing to list (no query yet, or nothing found).
//!
//! Snippets are cut from texts that residents and agents typed: they are written as text,
//! escaped by maud, with only the matched words wrapped in `<mark>`.

use super::directory::{kind_label, kind_plural, tel_href};
use super::{PageOptions, Paging, layout_with, pagination};
use crate::extract::PageCtx;
use crate::i18n::t;
use lieu_core::entry::Kind;
use lieu_core::search::MAX_QUERY_CHARS;
use lieu_core::vocab::THEME_GROUPS;
use lieu_search::{FacetCount, Hit, SearchResults};
use lieu_store::models::communes::Commune;
use maud::{Markup, html};
use std::ops::Range;

/// Address of the results page.
pub const SEARCH_PATH: &str = "/recherche";
/// The page « Comment chercher sur le site ».
pub const HELP_PAGE: &str = "/wiki/comment-chercher-sur-le-site";
/// The page that explains how to get an association or a business listed.
pub const LISTING_PAGE: &str = "/wiki/faire-referencer-son-association-ou-son-entreprise";
/// What the empty page offers to try.
const EXAMPLES: &[&str] = &[
    "crèche",
    "aide au logement",
    "CAF",
    "emploi saisonnier",
    "médecin",
    "atelier numérique",
];

/// The search box of every page's header: a plain GET form; `lieu.js` adds suggestions.
pub fn search_box(query: Option<&str>) -> Markup {
    html! {
        form.recherche role="search" method="get" action=(SEARCH_PATH) {
            label.visuellement-cache for="lieu_recherche" { (t("search.box_label")) }
            div.recherche-ligne {
                input #lieu_recherche type="search" name="q" value=[query]
                    maxlength=(MAX_QUERY_CHARS) spellcheck="false"
                    data-suggestions-label=(t("search.suggestions_label"))
                    data-suggestions-none=(t("search.suggestions_none"))
                    data-suggestions-one=(t("search.suggestions_one"))
                    data-suggestions-many=(t("search.suggestions_many"));
                button.bouton type="submit" { (t("search.submit")) }
            }
        }
    }
}

/// The filters of a search, as their values appear in its address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filters<'a> {
    /// `pages` or a kind's segment (`services`…).
    pub kind: Option<&'a str>,
    /// A commune's INSEE code.
    pub commune: Option<&'a str>,
    /// A group of thématiques.
    pub theme: Option<&'a str>,
}

impl Filters<'_> {
    pub fn is_empty(&self) -> bool {
        self.kind.is_none() && self.commune.is_none() && self.theme.is_none()
    }
}

/// The address of the results of `q` with `filters` (without a page number).
pub fn search_url(q: &str, filters: Filters<'_>) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("q", q)];
    for (name, value) in [
        ("type", filters.kind),
        ("commune", filters.commune),
        ("theme", filters.theme),
    ] {
        if let Some(value) = value {
            pairs.push((name, value));
        }
    }
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    format!("{SEARCH_PATH}?{query}")
}

/// What the index calls a thread of the exchange space, and its value in the address.
const THREAD_KIND: &str = "thread";
const THREADS_PARAM: &str = "echanges";

/// The value a kind of result (`page`, `thread` or a kind's name, as the index keeps it) has
/// in the results' address.
pub fn kind_param(kind: &str) -> Option<&'static str> {
    match kind {
        "page" => Some("pages"),
        THREAD_KIND => Some(THREADS_PARAM),
        _ => kind.parse::<Kind>().ok().map(Kind::segment),
    }
}

/// What the index calls a kind given as in the address; `None` for an unknown one.
pub fn kind_of_param(param: &str) -> Option<&'static str> {
    match param {
        "pages" => Some("page"),
        THREADS_PARAM => Some(THREAD_KIND),
        _ => Kind::from_segment(param).map(Kind::as_str),
    }
}

/// "Page d’information", "Discussion", "Service"… for one result of this kind.
pub fn kind_name(kind: &str) -> &'static str {
    if kind == THREAD_KIND {
        return t("search.kind_thread");
    }
    match kind.parse::<Kind>() {
        Ok(k) => kind_label(k),
        Err(()) => t("search.kind_page"),
    }
}

/// "Pages d’information", "Échanges", "Services"… for the filter of this kind (as in the
/// address).
fn kind_filter_name(param: &str) -> &'static str {
    if param == THREADS_PARAM {
        return t("search.kind_threads");
    }
    match Kind::from_segment(param) {
        Some(k) => kind_plural(k),
        None => t("search.kind_pages"),
    }
}

/// Where a result leads.
pub fn hit_url(hit: &Hit) -> String {
    if hit.kind == THREAD_KIND {
        return format!("/echanges/sujet/{}", hit.id);
    }
    match hit.kind.parse::<Kind>() {
        Ok(kind) => crate::views::directory::entry_path(kind, &hit.slug),
        Err(()) => format!("/wiki/{}", hit.slug),
    }
}

fn theme_name(group: &str) -> Option<&'static str> {
    THEME_GROUPS
        .iter()
        .find(|(g, _)| *g == group)
        .map(|(g, _)| crate::i18n::words::theme_group(g))
}

fn commune_name<'a>(communes: &'a [Commune], insee: &str) -> Option<&'a str> {
    communes
        .iter()
        .find(|c| c.insee == insee)
        .map(|c| c.name.as_str())
}

/// The pieces of a snippet, each marked or not. Ranges that overlap, run backwards or do not
/// fall on character boundaries are dropped rather than trusted.
pub fn snippet_parts<'a>(fragment: &'a str, ranges: &[Range<usize>]) -> Vec<(&'a str, bool)> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start, r.end));
    let mut parts = Vec::new();
    let mut at = 0;
    for r in sorted {
        if r.start < at || r.end <= r.start {
            continue;
        }
        let (Some(before), Some(word)) = (fragment.get(at..r.start), fragment.get(r.clone()))
        else {
            continue;
        };
        if !before.is_empty() {
            parts.push((before, false));
        }
        parts.push((word, true));
        at = r.end;
    }
    if let Some(rest) = fragment.get(at..).filter(|rest| !rest.is_empty()) {
        parts.push((rest, false));
    }
    parts
}

/// The snippet of a result, when it shows matched words; else its summary.
fn excerpt(hit: &Hit) -> Markup {
    let snippet = hit
        .snippet
        .as_ref()
        .filter(|s| !s.highlighted.is_empty() || hit.summary.is_empty());
    html! {
        @if let Some(s) = snippet {
            p.resultat-extrait lang=[crate::i18n::fr_content()] {
                @for (text, marked) in snippet_parts(&s.fragment, &s.highlighted) {
                    // The indexed text keeps each field on its own line.
                    @if marked { mark { (text) } } @else { (text.replace('\n', " · ")) }
                }
            }
        } @else if !hit.summary.is_empty() {
            p lang=[crate::i18n::fr_content()] { (hit.summary) }
        }
    }
}

/// Everything the results page shows.
pub struct ResultsView<'a> {
    /// The query as read (normalized).
    pub query: &'a str,
    pub filters: Filters<'a>,
    pub results: &'a SearchResults,
    /// Over the results that can be reached (the index pages no deeper than a bound).
    pub paging: Paging,
    /// More results than can be paged through.
    pub capped: bool,
    /// The last page one can reach.
    pub max_page: i64,
    pub communes: &'a [Commune],
    pub desk_phone: &'a str,
}

fn page_title(v: &ResultsView<'_>) -> String {
    let mut title = format!(
        "{}{} {}",
        t("search.title"),
        crate::i18n::colon(),
        crate::i18n::quoted(v.query)
    );
    if v.paging.page > 1 {
        title.push_str(&format!(" — {} {}", t("paging.page"), v.paging.page));
    }
    title
}

fn options(query: &str) -> PageOptions<'_> {
    PageOptions {
        query: Some(query),
        noindex: true,
    }
}

/// The results page, or the page that helps when nothing was found.
pub fn results(ctx: &PageCtx, v: &ResultsView<'_>) -> Markup {
    if v.results.total == 0 {
        return no_result(ctx, v);
    }
    let total = v.results.total;
    let base = search_url(v.query, v.filters);
    layout_with(
        ctx,
        &page_title(v),
        options(v.query),
        html! {
            h1 #lieu_resultats {
                (total) " " (t(if total == 1 { "list.result" } else { "list.results" }))
                " " (t("search.for")) " " (crate::i18n::quoted(v.query))
            }
            (active_filters(v))
            (facets(v))
            ol.resultats aria-labelledby="lieu_resultats" start=(v.paging.offset() + 1) {
                @for hit in &v.results.hits {
                    li.resultat {
                        p.fiche-type { (kind_name(&hit.kind)) }
                        h2 lang=[crate::i18n::fr_content()] { a href=(hit_url(hit)) { (hit.title) } }
                        @if !hit.commune_name.is_empty() {
                            p.fiche-lieu { (hit.commune_name) }
                        }
                        @if !hit.place.is_empty() {
                            p.fiche-lieu { (t("search.thread_in")) " " (hit.place) }
                        }
                        (excerpt(hit))
                    }
                }
            }
            (pagination(v.paging, &base))
            @if v.capped && v.paging.page >= v.max_page {
                p.alerte.alerte-attention {
                    (t("search.capped").replace("{pages}", &v.max_page.to_string()))
                }
            }
        },
    )
}

/// The filters chosen, each with a link that removes it.
fn active_filters(v: &ResultsView<'_>) -> Markup {
    let f = v.filters;
    let chosen: Vec<(&str, String, Filters<'_>)> = [
        f.kind.map(|k| {
            (
                t("search.facet_kind"),
                kind_filter_name(k).to_owned(),
                Filters { kind: None, ..f },
            )
        }),
        f.commune.map(|c| {
            (
                t("search.facet_commune"),
                commune_name(v.communes, c).unwrap_or(c).to_owned(),
                Filters { commune: None, ..f },
            )
        }),
        f.theme.map(|g| {
            (
                t("search.facet_theme"),
                theme_name(g).unwrap_or(g).to_owned(),
                Filters { theme: None, ..f },
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    html! {
        @if !chosen.is_empty() {
            section.filtres-choisis aria-labelledby="lieu_filtres_choisis" {
                h2 #lieu_filtres_choisis { (t("search.active_filters")) }
                ul {
                    @for (dimension, value, without) in &chosen {
                        li {
                            (dimension) (crate::i18n::colon()) " " strong { (value) } " — "
                            a href=(search_url(v.query, *without)) {
                                (t("search.remove_filter")) span.visuellement-cache { " " (crate::i18n::quoted(value)) }
                            }
                        }
                    }
                }
                @if chosen.len() > 1 {
                    p { a href=(search_url(v.query, Filters::default())) { (t("search.remove_all")) } }
                }
            }
        }
    }
}

/// Whether the links of a group narrow the results down.
fn narrows(links: &[(String, String, u64)], total: usize) -> bool {
    links.len() > 1 || links.iter().any(|(_, _, n)| *n < total as u64)
}

/// One group of filter links with their counts; nothing when the dimension is chosen (its
/// counts would only repeat the total) or has a single value and nothing to narrow.
fn facet_group(id: &str, title: &str, links: Vec<(String, String, u64)>, total: usize) -> Markup {
    html! {
        @if narrows(&links, total) {
            div.facette {
                h3 id=(id) { (title) }
                ul aria-labelledby=(id) {
                    @for (href, label, count) in &links {
                        li { a href=(href) { (label) " " span.facette-compte { "(" (count) ")" } } }
                    }
                }
            }
        }
    }
}

/// Links to the results narrowed to each value of `counts`, with the value's count.
fn facet_links<'a>(
    query: &str,
    counts: &[FacetCount],
    build: impl Fn(&str) -> Option<(Filters<'a>, String)>,
) -> Vec<(String, String, u64)> {
    counts
        .iter()
        .filter_map(|c| {
            let (filters, label) = build(&c.value)?;
            Some((search_url(query, filters), label, c.count))
        })
        .collect()
}

fn facets(v: &ResultsView<'_>) -> Markup {
    let f = v.filters;
    let r = v.results;
    let kinds = if f.kind.is_none() {
        facet_links(v.query, &r.kinds, |value| {
            let param = kind_param(value)?;
            Some((
                Filters {
                    kind: Some(param),
                    ..f
                },
                kind_filter_name(param).to_owned(),
            ))
        })
    } else {
        Vec::new()
    };
    let communes = if f.commune.is_none() {
        facet_links(v.query, &r.communes, |value| {
            let commune = v.communes.iter().find(|c| c.insee == value)?;
            Some((
                Filters {
                    commune: Some(commune.insee.as_str()),
                    ..f
                },
                commune.name.clone(),
            ))
        })
    } else {
        Vec::new()
    };
    let themes = if f.theme.is_none() {
        facet_links(v.query, &r.themes, |value| {
            let (group, _) = THEME_GROUPS.iter().find(|(g, _)| *g == value)?;
            Some((
                Filters {
                    theme: Some(group),
                    ..f
                },
                crate::i18n::words::theme_group(group).to_owned(),
            ))
        })
    } else {
        Vec::new()
    };
    let total = r.total;
    html! {
        // No heading over groups that would all be left out.
        @if [&kinds, &communes, &themes].iter().any(|links| narrows(links, total)) {
            nav.facettes aria-labelledby="lieu_facettes" {
                h2 #lieu_facettes { (t("search.refine")) }
                (facet_group("lieu_facette_type", t("search.facet_kind"), kinds, total))
                (facet_group("lieu_facette_commune", t("search.facet_commune"), communes, total))
                (facet_group("lieu_facette_theme", t("search.facet_theme"), themes, total))
            }
        }
    }
}

/// Nothing found: a spelling suggestion, filters to remove, and where else to look.
fn no_result(ctx: &PageCtx, v: &ResultsView<'_>) -> Markup {
    layout_with(
        ctx,
        &page_title(v),
        options(v.query),
        html! {
            h1 { (t("search.none_for")) " " (crate::i18n::quoted(v.query)) }
            @if let Some(suggestion) = &v.results.suggestion {
                p.alerte.suggestion {
                    (t("search.did_you_mean")) " " (crate::i18n::quote_marks().0)
                    a href=(search_url(suggestion, v.filters)) { (suggestion) }
                    (crate::i18n::quote_marks().1) (crate::i18n::question_mark())
                }
            }
            @if !v.filters.is_empty() {
                (active_filters(v))
                p {
                    (t("search.none_with_filters")) " "
                    a href=(search_url(v.query, Filters::default())) { (t("search.search_everywhere")) }
                }
            }
            h2 { (t("search.what_next")) }
            ul.pistes {
                li { (t("search.try_other_words")) }
                li { a href="/annuaire" { (t("search.browse_directory")) } }
                li { (t("search.not_listed")) " " a href=(LISTING_PAGE) { (t("search.get_listed")) } }
                @if !v.desk_phone.trim().is_empty() {
                    li {
                        (t("search.call_desk")) " "
                        a href=(tel_href(v.desk_phone)) { (v.desk_phone) }
                    }
                }
                li { a href=(HELP_PAGE) { (t("search.how_to")) } }
            }
        },
    )
}

/// The page of `/recherche` with nothing to search: an empty box, or only words too common
/// to search for (`typed`).
pub fn start(ctx: &PageCtx, typed: &str) -> Markup {
    let query = (!typed.is_empty()).then_some(typed);
    layout_with(
        ctx,
        t("search.title"),
        PageOptions {
            query,
            noindex: true,
        },
        html! {
            h1 { (t("search.empty_title")) }
            @if query.is_some() {
                p.alerte.alerte-attention { (t("search.no_words")) }
            }
            p { (t("search.empty_intro")) }
            p { (t("search.tips")) }
            h2 #lieu_exemples { (t("search.examples")) }
            // French words, as the content is French.
            ul.pistes aria-labelledby="lieu_exemples" lang=[crate::i18n::fr_content()] {
                @for example in EXAMPLES {
                    li { a href=(search_url(example, Filters::default())) { (example) } }
                }
            }
            p { a href=(HELP_PAGE) { (t("search.how_to")) } " · " a href="/annuaire" { (t("search.browse_directory")) } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_mark_only_the_ranges_that_fit() {
        assert_eq!(
            snippet_parts("la crèche de Vernoux", &[3..10, 14..21]),
            vec![
                ("la ", false),
                ("crèche", true),
                (" de ", false),
                ("Vernoux", true)
            ]
        );
        // Inside a character, reversed or beyond the end: ignored.
        assert_eq!(
            snippet_parts("crèche", &[0..3, Range { start: 5, end: 1 }, 4..99]),
            vec![("crèche", false)]
        );
        // Overlapping: the first one wins.
        assert_eq!(
            snippet_parts("crèche", &[1..3, 0..2]),
            vec![("cr", true), ("èche", false)]
        );
        assert_eq!(snippet_parts("", &[]), vec![]);
    }

    #[test]
    fn addresses_keep_their_filters_encoded() {
        assert_eq!(
            search_url(
                "aide & loyer",
                Filters {
                    kind: Some("services"),
                    commune: Some("79902"),
                    theme: None
                }
            ),
            "/recherche?q=aide+%26+loyer&type=services&commune=79902"
        );
        assert_eq!(kind_of_param("emplois"), Some("job"));
        assert_eq!(kind_of_param("pages"), Some("page"));
        assert_eq!(kind_of_param("job"), None);
        assert_eq!(kind_param("job"), Some("emplois"));
        assert_eq!(kind_param("nope"), None);
        assert_eq!(kind_param("thread"), Some("echanges"));
        assert_eq!(kind_of_param("echanges"), Some("thread"));
    }
}
