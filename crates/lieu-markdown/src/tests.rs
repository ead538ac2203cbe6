use super::*;

fn md(input: &str) -> Rendered {
    render(input, &RenderContext::all_pages_exist())
}

fn with_pages(input: &str, pages: &[&str]) -> Rendered {
    let exists = |slug: &str| pages.contains(&slug);
    render(
        input,
        &RenderContext {
            page_exists: &exists,
            labels: Labels::FRENCH,
        },
    )
}

#[test]
fn commonmark_basics_render_as_the_spec_says() {
    assert_eq!(
        md("*a* **b** `c`").html,
        "<p><em>a</em> <strong>b</strong> <code>c</code></p>\n"
    );
    assert_eq!(
        md("- un\n- deux").html,
        "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n"
    );
    assert_eq!(
        md("```\nlet x = 1 < 2;\n```").html,
        "<pre tabindex=\"0\"><code>let x = 1 &lt; 2;\n</code></pre>\n"
    );
    assert_eq!(
        md("> cité").html,
        "<blockquote>\n<p>cité</p>\n</blockquote>\n"
    );
}

#[test]
fn tables_strikethrough_and_footnotes_are_enabled() {
    let out = md("| a | b |\n|---|---|\n| 1 | 2 |");
    assert!(
        out.html.contains("<table>") && out.html.contains("<td>2</td>"),
        "{}",
        out.html
    );
    assert!(md("~~barré~~").html.contains("<del>barré</del>"));
    let out = md("Texte[^1].\n\n[^1]: La note.");
    assert!(
        out.html.contains("class=\"footnote-reference\""),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("class=\"footnote-definition\""),
        "{}",
        out.html
    );
}

#[test]
fn task_lists_are_readable_without_form_controls() {
    let out = md("- [x] fait\n- [ ] reste");
    assert!(!out.html.contains("<input"), "{}", out.html);
    assert!(out.html.contains("☑") && out.html.contains("☐"));
    assert!(out.html.contains("Fait :") && out.html.contains("À faire :"));
    assert!(out.html.contains("aria-hidden=\"true\""), "{}", out.html);
}

#[test]
fn wiki_links_point_to_existing_pages() {
    let out = with_pages("Voir [[Aide aux démarches]].", &["aide-aux-demarches"]);
    assert!(
        out.html
            .contains("<a class=\"lien-wiki\" href=\"/wiki/aide-aux-demarches\""),
        "{}",
        out.html
    );
    assert!(out.html.contains(">Aide aux démarches</a>"));
    assert_eq!(
        out.wiki_links.iter().collect::<Vec<_>>(),
        ["aide-aux-demarches"]
    );
}

#[test]
fn wiki_links_with_shown_text_and_section() {
    let out = with_pages("[[Emploi#Offres du jour|les offres]]", &["emploi"]);
    assert!(
        out.html.contains("href=\"/wiki/emploi#offres-du-jour\""),
        "{}",
        out.html
    );
    assert!(out.html.contains(">les offres</a>"));
}

#[test]
fn links_to_missing_pages_are_marked_and_lead_to_creation() {
    let out = with_pages("[[Page à venir]]", &[]);
    assert!(out.html.contains("class=\"lien-nouveau\""), "{}", out.html);
    assert!(
        out.html
            .contains("href=\"/nouvelle-page?titre=Page+%C3%A0+venir\""),
        "{}",
        out.html
    );
    assert!(
        out.html.contains("title=\"Cette page n’existe pas encore"),
        "{}",
        out.html
    );
    assert!(out.wiki_links.contains("page-a-venir"));
}

#[test]
fn heading_anchors_are_unique_and_stable() {
    let out = md("# Horaires\n## Horaires\n## Horaires\n### Où nous *trouver* ?");
    let anchors: Vec<_> = out.toc.iter().map(|t| t.anchor.as_str()).collect();
    assert_eq!(
        anchors,
        ["horaires", "horaires-2", "horaires-3", "ou-nous-trouver"]
    );
    assert!(out.html.contains("<h2 id=\"horaires-2\">"), "{}", out.html);
    assert_eq!(out.toc[3].text, "Où nous trouver ?");
    assert_eq!(out.toc[3].level, 3);
    assert_eq!(
        md("# Horaires\n## Horaires").toc,
        md("# Horaires\n## Horaires").toc
    );
}

#[test]
fn scripts_handlers_and_styles_never_come_through() {
    let attacks = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[clic](javascript:alert(1))",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<style>body{display:none}</style>",
        "<iframe src=\"https://example.org\"></iframe>",
        "<svg onload=alert(1)></svg>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<form action=/connexion><input name=x></form>",
        "<object data=x></object><embed src=x>",
        "![x](x\" onerror=\"alert(1))",
        "<div id=\"lieu_contenu\">usurpation</div>",
    ];
    for attack in attacks {
        // Only markup can run: text that merely reads "onerror" is harmless.
        let html = tags_of(&md(attack).html).to_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onload",
            "javascript:",
            "style",
            "<iframe",
            "<svg",
            "data:",
            "<form",
            "<input",
            "<object",
            "<embed",
            "lieu_",
        ] {
            assert!(
                !html.contains(bad),
                "{attack:?} let {bad:?} through: {html}"
            );
        }
    }
}

#[test]
fn external_links_get_nofollow_noopener_and_are_listed() {
    let out = md("[Service public](https://www.service-public.fr/)");
    assert!(
        out.html.contains("rel=\"nofollow noopener\""),
        "{}",
        out.html
    );
    assert!(
        out.external_links
            .contains("https://www.service-public.fr/")
    );
    let out = md("<a href=\"https://example.org\">brut</a>");
    assert!(
        out.html.contains("rel=\"nofollow noopener\""),
        "{}",
        out.html
    );
}

#[test]
fn plain_text_has_no_markup() {
    let out = md("# Titre\n\nDu **gras** et [[Un lien|un lien]].\n\n- point");
    assert_eq!(out.text, "Titre\nDu gras et un lien.\npoint");
}

/// The tags of an HTML fragment, text content left out.
fn tags_of(html: &str) -> String {
    let mut tags = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                tags.push('>');
            }
            _ if inside => tags.push(c),
            _ => {}
        }
    }
    tags
}

#[test]
fn the_attack_check_sees_markup() {
    assert!(tags_of("<img src=x onerror=alert(1)>").contains("onerror"));
    assert!(!tags_of("<p>onerror</p>").contains("onerror"));
}

#[test]
fn a_directory_embed_becomes_a_marker_and_is_recorded() {
    let out = md("Nos offres :\n\n{{annuaire emplois contrat=cdi limite=3}}\n\nFin.");
    assert_eq!(out.embeds.len(), 1);
    assert_eq!(out.embeds[0].list, "emplois");
    assert_eq!(
        out.embeds[0].params,
        [
            ("contrat".to_owned(), "cdi".to_owned()),
            ("limite".to_owned(), "3".to_owned())
        ]
    );
    assert!(out.html.contains(&embed_marker(0)), "{}", out.html);
    assert!(!out.html.contains("{{"), "{}", out.html);
    // Text that merely mentions the syntax is left alone, and users cannot write markers.
    let out = md("Écrivez `{{annuaire emplois}}` dans la page. <!--lieu-embed:0-->");
    assert!(out.embeds.is_empty());
    assert!(!out.html.contains("<!--"), "{}", out.html);
}

#[test]
fn wiki_links_can_point_to_directory_entries() {
    let out = with_pages("[[annuaire/services/permanence-caf|la permanence]]", &[]);
    assert!(
        out.html
            .contains("<a class=\"lien-wiki\" href=\"/annuaire/services/permanence-caf\"")
            && out.html.contains(">la permanence</a>"),
        "{}",
        out.html
    );
    let out = with_pages("[[annuaire/<script>]]", &[]);
    assert!(!out.html.contains("href=\"/annuaire/<"), "{}", out.html);
}

#[test]
fn only_links_leaving_the_site_are_nofollow() {
    let out = with_pages(
        "[[Accueil]] [ici](/pages) [note](#a) [x](https://example.org) [y](//evil.example/)",
        &["accueil"],
    );
    assert!(
        out.html
            .contains("<a class=\"lien-wiki\" href=\"/wiki/accueil\">"),
        "{}",
        out.html
    );
    assert!(out.html.contains("<a href=\"/pages\">"), "{}", out.html);
    assert!(out.html.contains("<a href=\"#a\">"), "{}", out.html);
    assert!(
        out.html
            .contains("<a href=\"https://example.org\" rel=\"nofollow noopener\">"),
        "{}",
        out.html
    );
    assert!(
        out.html
            .contains("<a href=\"//evil.example/\" rel=\"nofollow noopener\">"),
        "{}",
        out.html
    );
}

#[test]
fn every_preformatted_block_can_be_reached_by_keyboard() {
    // A `<pre>` scrolls sideways on a narrow screen; without a tab stop a keyboard user
    // cannot scroll it (axe: scrollable-region-focusable).
    let fenced = md("```rust\nfn main() {}\n```").html;
    assert!(fenced.starts_with("<pre tabindex=\"0\"><code>"), "{fenced}");
    let indented = md("    quatre espaces").html;
    assert!(indented.starts_with("<pre tabindex=\"0\">"), "{indented}");
    let raw = md("<pre id=\"x\">brut</pre>").html;
    assert_eq!(raw.matches("tabindex=\"0\"").count(), 1, "{raw}");
}

#[test]
fn authors_cannot_set_a_tab_order() {
    let out = md("<pre tabindex=\"5\">a</pre>\n\n<p tabindex=\"1\">b</p>").html;
    assert!(
        !out.contains("tabindex=\"5\"") && !out.contains("tabindex=\"1\""),
        "{out}"
    );
    assert_eq!(out.matches("tabindex").count(), 1, "{out}");
}

/// Stored pages keep the HTML of the renderer that wrote them; `lieu serve` re-renders those
/// whose `RENDERER_VERSION` is older. This reference document pins the output to the version:
/// when it fails, the rendering changed, so bump `RENDERER_VERSION` and update both here.
#[test]
fn a_change_of_rendered_output_comes_with_a_new_renderer_version() {
    let reference = "# Titre\n\nTexte *mis en valeur*, [[Page]] et [lien](https://exemple.fr).\n\n\
                     ```\ncode\n```\n\n| a |\n|---|\n| 1 |\n\n- [x] fait\n\n<img src=x onerror=alert(1)>\n";
    let html = md(reference).html;
    let expected = "<h1 id=\"titre\">Titre</h1>\n<p>Texte <em>mis en valeur</em>, <a class=\"lien-wiki\" href=\"/wiki/page\">Page</a> et <a href=\"https://exemple.fr\" rel=\"nofollow noopener\">lien</a>.</p>\n<pre tabindex=\"0\"><code>code\n</code></pre>\n<table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td>1</td></tr>\n</tbody></table>\n<ul>\n<li><span class=\"tache\" aria-hidden=\"true\">☑</span> <span class=\"visuellement-cache\">Fait :</span> fait</li>\n</ul>\n<img src=\"x\">\n";
    assert_eq!(
        (RENDERER_VERSION, html.as_str()),
        (3, expected),
        "the rendered HTML changed: bump RENDERER_VERSION"
    );
}

#[test]
fn deep_nesting_keeps_its_text_but_not_its_depth() {
    for block in ["> ", "1. ", "- ", "* > "] {
        let deep = format!("{}fond", block.repeat(5_000));
        let out = md(&deep);
        assert!(out.html.contains("fond"), "{block}: the text is kept");
        let depth = out.html.matches("<blockquote>").count()
            + out.html.matches("<ol>").count()
            + out.html.matches("<ul>").count()
            + out.html.matches("<li>").count();
        assert!(depth <= MAX_NESTING, "{block}: {depth} nested elements");
        assert_eq!(
            out.html.matches("<li>").count(),
            out.html.matches("</li>").count()
        );
    }
    // Up to the bound, nothing changes.
    let shallow = md("> > > trois");
    assert_eq!(shallow.html.matches("<blockquote>").count(), 3);
}

#[test]
fn a_deep_table_or_list_is_dropped_whole_never_left_without_its_rows() {
    let mut doc = "> ".repeat(MAX_NESTING - 2);
    doc.push_str("| a |\n");
    doc.push_str(&"> ".repeat(MAX_NESTING - 2));
    doc.push_str("|---|\n");
    let out = md(&doc);
    assert_eq!(
        out.html.contains("<table>"),
        out.html.contains("<td>") || out.html.contains("<th>")
    );
}
#[test]
fn deeply_nested_raw_html_is_shown_as_text() {
    let out = md(&"<div>".repeat(2_000));
    assert!(!out.html.contains("<div>"), "{}", &out.html[..200]);
    assert!(out.html.contains("&lt;div&gt;"));
    // Ordinary raw HTML is untouched: closed tags and void elements do not add up.
    let ordinary = md(&"<div><br><b>gras</b></div>\n\n".repeat(100));
    assert!(ordinary.html.contains("<b>gras</b>"), "{}", ordinary.html);
}

#[test]
fn every_embed_of_a_long_page_gets_its_marker() {
    let doc = "{{annuaire services}}\n\ntexte\n\n".repeat(3_000);
    let out = md(&doc);
    assert_eq!(out.embeds.len(), 3_000);
    assert!(out.html.contains(&embed_marker(0)));
    assert!(out.html.contains(&embed_marker(2_999)));
    assert!(!out.html.contains('\u{E000}'), "no token left");
}
