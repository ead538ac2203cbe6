//! The wiki, end to end through the real app: reading, creating, editing, conflicts,
//! history, differences, revert, rename, backlinks, lists and feed.

use actix_web::http::StatusCode;
use lieu_core::Role;
use lieu_tests::{Backend, TestApp, on_both_backends};

on_both_backends!(
    an_edit_posted_to_a_page_renamed_meanwhile_is_saved_not_lost,
    an_editor_creates_a_page_that_anyone_can_read,
    the_edit_form_previews_without_saving,
    invalid_edits_come_back_with_the_text_and_french_errors,
    a_second_save_from_a_stale_form_loses_nothing,
    history_lists_every_version_and_old_versions_can_be_read,
    the_diff_shows_what_changed_between_two_versions,
    reverting_makes_an_old_text_current_as_a_new_version,
    renaming_keeps_the_old_title_redirecting,
    backlinks_list_the_pages_that_link_here,
    links_to_a_missing_page_turn_into_real_links_once_it_exists,
    a_title_already_used_is_refused_with_a_way_forward,
    recent_changes_and_the_atom_feed_list_edits,
    the_index_lists_pages_alphabetically,
    unknown_pages_get_a_french_404_with_a_way_forward,
    a_diff_of_two_huge_unrelated_versions_says_it_is_too_large,
    a_conflict_on_a_huge_page_still_keeps_the_text,
    a_page_view_is_served_from_memory_until_the_wiki_changes,
    every_change_through_the_app_is_seen_at_once,
    a_renamed_page_is_never_served_under_its_old_slug,
);

async fn an_editor_creates_a_page_that_anyone_can_read(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let res = editor
        .create_page("Horaires d’hiver", "# Horaires\n\nOuvert le **mardi**.")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), Some("/wiki/horaires-d-hiver"));

    let reader = app.browser();
    let page = reader.get("/wiki/horaires-d-hiver").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<h1>Horaires d’hiver</h1>");
    page.assert_contains("Ouvert le <strong>mardi</strong>.");
    page.assert_contains("<html lang=\"fr\">");
    // Readers see no edit link.
    assert!(!page.body.contains("/wiki/horaires-d-hiver/modifier"));
}

async fn the_edit_form_previews_without_saving(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Atelier", "Version 1").await;
    let form = editor.get("/wiki/atelier/modifier").await;
    let base = form.field("base_revision").expect("base");
    let res = editor
        .post(
            "/wiki/atelier/modifier",
            &[
                ("body", "Version *2*"),
                ("summary", "essai"),
                ("base_revision", &base),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    res.assert_contains("Aperçu");
    res.assert_contains("Version <em>2</em>");
    assert_eq!(res.textarea("body").as_deref(), Some("Version *2*"));
    assert_eq!(res.field("summary").as_deref(), Some("essai"));
    let page = app.browser().get("/wiki/atelier").await;
    page.assert_contains("Version 1");
}

async fn invalid_edits_come_back_with_the_text_and_french_errors(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let long_summary = "r".repeat(201);
    let res = editor
        .post(
            "/nouvelle-page",
            &[
                ("title", "   "),
                ("body", "Mon texte gardé"),
                ("summary", &long_summary),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Le formulaire contient des erreurs");
    res.assert_contains("Indiquez un titre.");
    res.assert_contains("Le résumé est trop long");
    res.assert_contains("aria-invalid=\"true\"");
    assert_eq!(res.textarea("body").as_deref(), Some("Mon texte gardé"));
    // Each field names its hint and its error for screen readers (the shared form widgets);
    // the body's hint keeps its link to the editing help; the wiki marks nothing "obligatoire".
    res.assert_contains("aria-describedby=\"aide-title erreur-title\"");
    res.assert_contains("aria-describedby=\"aide-summary erreur-summary\"");
    res.assert_contains("aria-describedby=\"aide-body\"");
    res.assert_contains("id=\"erreur-title\"");
    res.assert_contains("<a href=\"/wiki/aide-a-l-edition\">");
    assert!(!res.body.contains("obligatoire"), "{}", res.body);

    editor.create_page("Page", "texte").await;
    let form = editor.get("/wiki/page/modifier").await;
    let base = form.field("base_revision").expect("base");
    let res = editor
        .post(
            "/wiki/page/modifier",
            &[
                ("body", "  \n "),
                ("base_revision", &base),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Le texte de la page est vide");
}

async fn a_second_save_from_a_stale_form_loses_nothing(backend: Backend) {
    let app = TestApp::new(backend).await;
    let alice = app.logged_in(Role::Editor).await;
    let bruno = app.logged_in(Role::Editor).await;
    alice
        .create_page("Permanence CAF", "Le mardi matin.\nSur rendez-vous.\n")
        .await;

    // Both open the edit form of version 1.
    let alice_form = alice.get("/wiki/permanence-caf/modifier").await;
    let bruno_form = bruno.get("/wiki/permanence-caf/modifier").await;
    let alice_base = alice_form.field("base_revision").expect("base");
    let bruno_base = bruno_form.field("base_revision").expect("base");
    assert_eq!(alice_base, "1");

    let saved = alice
        .post(
            "/wiki/permanence-caf/modifier",
            &[
                ("body", "Le mardi et le jeudi matin.\nSur rendez-vous.\n"),
                ("summary", "jeudi"),
                ("base_revision", &alice_base),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    let bruno_text = "Le mardi matin.\nSans rendez-vous.\n";
    let conflict = bruno
        .post(
            "/wiki/permanence-caf/modifier",
            &[
                ("body", bruno_text),
                ("summary", "accueil libre"),
                ("base_revision", &bruno_base),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    conflict.assert_contains("Quelqu’un a modifié cette page pendant que vous écriviez");
    conflict.assert_contains("Votre texte n’est pas perdu");
    // Bruno's text is still in the form, and Alice's change is shown as a diff.
    assert_eq!(conflict.textarea("body").as_deref(), Some(bruno_text));
    conflict.assert_contains("Le mardi <ins>et le jeudi </ins>matin.");
    assert_eq!(conflict.field("base_revision").as_deref(), Some("2"));

    // Nothing of Bruno's was written; saving again from the conflict form goes through.
    let page = app.browser().get("/wiki/permanence-caf").await;
    page.assert_contains("Le mardi et le jeudi matin.");
    let again = bruno
        .post(
            "/wiki/permanence-caf/modifier",
            &[
                ("body", "Le mardi et le jeudi matin.\nSans rendez-vous.\n"),
                ("summary", "fusion"),
                ("base_revision", "2"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let page = app.browser().get("/wiki/permanence-caf").await;
    page.assert_contains("Sans rendez-vous.");
    page.assert_contains("jeudi");
}

async fn history_lists_every_version_and_old_versions_can_be_read(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Guide", "Première version").await;
    editor
        .edit_page("guide", "Deuxième version", "corrections")
        .await;
    editor
        .edit_page("guide", "Troisième version", "ajout")
        .await;

    let history = app.browser().get("/wiki/guide/historique").await;
    assert_eq!(history.status, StatusCode::OK);
    for n in 1..=3 {
        history.assert_contains(&format!("/wiki/guide/revision/{n}"));
    }
    history.assert_contains("corrections");
    history.assert_contains("(actuelle)");

    let old = app.browser().get("/wiki/guide/revision/1").await;
    assert_eq!(old.status, StatusCode::OK);
    old.assert_contains("Première version");
    old.assert_contains("C’est une ancienne version de la page.");
    let missing = app.browser().get("/wiki/guide/revision/9").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

async fn the_diff_shows_what_changed_between_two_versions(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor
        .create_page("Tarifs", "Adhésion : 10 €\nAtelier : gratuit\n")
        .await;
    editor
        .edit_page("tarifs", "Adhésion : 12 €\nAtelier : gratuit\n", "")
        .await;
    let diff = app.browser().get("/wiki/tarifs/diff?de=1&a=2").await;
    assert_eq!(diff.status, StatusCode::OK);
    diff.assert_contains("class=\"diff-suppr\"");
    diff.assert_contains("class=\"diff-ajout\"");
    diff.assert_contains("<del>10</del>");
    diff.assert_contains("<ins>12</ins>");
    diff.assert_contains("supprimé :");
    // Order of the parameters does not matter.
    let reversed = app.browser().get("/wiki/tarifs/diff?de=2&a=1").await;
    reversed.assert_contains("<ins>12</ins>");
    assert_eq!(
        app.browser().get("/wiki/tarifs/diff?de=1&a=7").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn reverting_makes_an_old_text_current_as_a_new_version(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor
        .create_page("Contacts", "Bon numéro : 05 00 00 00 00")
        .await;
    editor.edit_page("contacts", "Numéro vandalisé", "").await;
    let res = editor
        .post("/wiki/contacts/restaurer", &[("revision", "1")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = app.browser().get("/wiki/contacts").await;
    page.assert_contains("Bon numéro");
    let history = app.browser().get("/wiki/contacts/historique").await;
    history.assert_contains("/wiki/contacts/revision/3");
    history.assert_contains("Retour à la version 1");
}

async fn renaming_keeps_the_old_title_redirecting(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Aide numerique", "Contenu").await;
    editor
        .create_page("Sommaire", "Voir [[Aide numerique]].")
        .await;
    let res = editor
        .post(
            "/wiki/aide-numerique/renommer",
            &[("title", "Aide au numérique")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), Some("/wiki/aide-au-numerique"));

    let old = app.browser().get("/wiki/aide-numerique").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), Some("/wiki/aide-au-numerique"));
    let old_history = app.browser().get("/wiki/aide-numerique/historique").await;
    assert_eq!(
        old_history.location(),
        Some("/wiki/aide-au-numerique/historique")
    );
    let page = app.browser().get("/wiki/aide-au-numerique").await;
    page.assert_contains("<h1>Aide au numérique</h1>");
    // The linking page still counts as a backlink through the old slug.
    let links = app.browser().get("/wiki/aide-au-numerique/liens").await;
    links.assert_contains("/wiki/sommaire");

    let same = editor
        .post("/wiki/aide-au-numerique/renommer", &[("title", "Sommaire")])
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    same.assert_contains("Une page porte déjà ce titre");
    same.assert_contains("aria-describedby=\"erreur-title\" aria-invalid=\"true\"");
    same.assert_contains("id=\"erreur-title\"");
}

async fn backlinks_list_the_pages_that_link_here(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Emploi", "Les offres.").await;
    editor
        .create_page("Accueil", "Voir [[Emploi]] et [[Emploi|les offres]].")
        .await;
    editor.create_page("Jeunes", "Rien ici.").await;
    let links = app.browser().get("/wiki/emploi/liens").await;
    assert_eq!(links.status, StatusCode::OK);
    links.assert_contains("Pages qui pointent vers « Emploi »");
    links.assert_contains("href=\"/wiki/accueil\"");
    assert!(!links.body.contains("href=\"/wiki/jeunes\""));
    // Removing the link removes the backlink.
    editor.edit_page("accueil", "Plus de lien.", "").await;
    let links = app.browser().get("/wiki/emploi/liens").await;
    links.assert_contains("Aucune page ne pointe vers celle-ci");
}

async fn links_to_a_missing_page_turn_into_real_links_once_it_exists(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor
        .create_page("Agenda", "Voir [[Marché de Noël]].")
        .await;
    let page = app.browser().get("/wiki/agenda").await;
    page.assert_contains("class=\"lien-nouveau\"");
    page.assert_contains("/nouvelle-page?titre=March%C3%A9+de+No%C3%ABl");

    let form = editor
        .get("/nouvelle-page?titre=March%C3%A9+de+No%C3%ABl")
        .await;
    assert_eq!(form.field("title").as_deref(), Some("Marché de Noël"));
    editor
        .create_page("Marché de Noël", "Le 13 décembre.")
        .await;
    let page = app.browser().get("/wiki/agenda").await;
    page.assert_contains("<a class=\"lien-wiki\" href=\"/wiki/marche-de-noel\"");
    assert!(!page.body.contains("lien-nouveau"));
}

async fn a_title_already_used_is_refused_with_a_way_forward(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Covoiturage", "a").await;
    let res = editor.create_page("covoiturage", "b").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Une page porte déjà ce titre");
    assert_eq!(res.textarea("body").as_deref(), Some("b"));
    // The creation form for an existing title leads to the page.
    let form = editor.get("/nouvelle-page?titre=Covoiturage").await;
    assert_eq!(form.location(), Some("/wiki/covoiturage"));
}

async fn recent_changes_and_the_atom_feed_list_edits(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor
        .create_page("Repair café", "Un samedi par mois.")
        .await;
    editor
        .edit_page("repair-cafe", "Le premier samedi du mois.", "précision")
        .await;
    let recent = app.browser().get("/modifications-recentes").await;
    assert_eq!(recent.status, StatusCode::OK);
    recent.assert_contains("Repair café");
    recent.assert_contains("« précision »");
    recent.assert_contains("/wiki/repair-cafe/diff?de=1&amp;a=2");

    let feed = app.browser().get("/modifications-recentes.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    let content_type = feed
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        content_type.starts_with("application/atom+xml"),
        "{content_type}"
    );
    let parsed: atom_syndication::Feed = feed.body.parse().expect("valid Atom");
    assert_eq!(parsed.entries().len(), 2);
    assert!(parsed.entries()[0].title().value.contains("Repair café"));
}

async fn the_index_lists_pages_alphabetically(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    for title in ["Zéro déchet", "Accès au droit", "Mobilité"] {
        editor.create_page(title, "x").await;
    }
    let index = app.browser().get("/pages").await;
    assert_eq!(index.status, StatusCode::OK);
    index.assert_contains("3 pages");
    let a = index.body.find("Accès au droit").expect("a");
    let m = index.body.find("Mobilité").expect("m");
    let z = index.body.find("Zéro déchet").expect("z");
    assert!(a < m && m < z);
}

async fn unknown_pages_get_a_french_404_with_a_way_forward(backend: Backend) {
    let app = TestApp::new(backend).await;
    let page = app.browser().get("/wiki/n-existe-pas").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    page.assert_contains("Cette page n’existe pas");
    page.assert_contains("href=\"/pages\"");
    assert!(
        !page.body.contains("Créer cette page"),
        "readers cannot create"
    );
    let editor = app.logged_in(Role::Editor).await;
    editor
        .get("/wiki/n-existe-pas")
        .await
        .assert_contains("Créer cette page");

    let other = app.browser().get("/nimporte/quoi").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    other.assert_contains("Page introuvable");
    let bad_number = app.browser().get("/wiki/x/revision/abc").await;
    assert_eq!(bad_number.status, StatusCode::NOT_FOUND);
    bad_number.assert_contains("Page introuvable");
}

/// About 150 KB of lines that share nothing with those of another `seed`.
fn unrelated_lines(seed: &str) -> String {
    (0..3_000)
        .map(|i| format!("{seed} {i} {} {seed}\n", i * 7_919 % 104_729))
        .map(|l| format!("{l:<50}"))
        .collect()
}

async fn a_diff_of_two_huge_unrelated_versions_says_it_is_too_large(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let res = editor
        .create_page("Gros texte", &unrelated_lines("alpha"))
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = editor
        .edit_page("gros-texte", &unrelated_lines("omega"), "tout change")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let diff = app.browser().get("/wiki/gros-texte/diff?de=1&a=2").await;
    assert_eq!(diff.status, StatusCode::OK);
    diff.assert_contains("trop grand pour être comparé");
    diff.assert_contains("href=\"/wiki/gros-texte/revision/1\"");
    diff.assert_contains("href=\"/wiki/gros-texte/revision/2\"");
    assert!(
        !diff.body.contains("diff-ajout"),
        "no partial diff is shown"
    );
}

async fn a_conflict_on_a_huge_page_still_keeps_the_text(backend: Backend) {
    let app = TestApp::new(backend).await;
    let alice = app.logged_in(Role::Editor).await;
    let bruno = app.logged_in(Role::Editor).await;
    alice
        .create_page("Gros texte", &unrelated_lines("alpha"))
        .await;
    let form = bruno.get("/wiki/gros-texte/modifier").await;
    let bruno_base = form.field("base_revision").expect("base");
    alice
        .edit_page("gros-texte", &unrelated_lines("omega"), "")
        .await;
    let conflict = bruno
        .post(
            "/wiki/gros-texte/modifier",
            &[
                ("body", "Le texte de Bruno."),
                ("summary", ""),
                ("base_revision", &bruno_base),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    conflict.assert_contains("trop grand pour être comparé");
    conflict.assert_contains("href=\"/wiki/gros-texte/revision/2\"");
    assert_eq!(
        conflict.textarea("body").as_deref(),
        Some("Le texte de Bruno.")
    );
}

async fn a_page_view_is_served_from_memory_until_the_wiki_changes(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    editor.create_page("Horaires", "Ouvert le lundi.").await;
    let reader = app.browser();
    let started = std::time::Instant::now();
    reader
        .get("/wiki/horaires")
        .await
        .assert_contains("Ouvert le lundi.");

    // Another process (a second server on the same database) changes the stored page.
    let page = app
        .store()
        .read(|c| Ok(lieu_store::models::pages::by_slug(c, "horaires")?))
        .expect("read")
        .expect("page");
    app.store()
        .write(|c| {
            Ok(lieu_store::models::pages::update_rendering(
                c,
                page.page_id(),
                "<p>Changé ailleurs.</p>",
                "[]",
            )?)
        })
        .expect("write");
    let again = reader.get("/wiki/horaires").await;
    // This process trusts its copy for a bounded time (`page_cache::FRESH_FOR`).
    if started.elapsed() < lieu_web::page_cache::FRESH_FOR {
        again.assert_contains("Ouvert le lundi.");
    }

    // A change made through this app is seen at once.
    editor.edit_page("horaires", "Ouvert le mardi.", "").await;
    reader
        .get("/wiki/horaires")
        .await
        .assert_contains("Ouvert le mardi.");
}

async fn every_change_through_the_app_is_seen_at_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let reader = app.browser();
    editor
        .create_page("Sommaire", "Voir [[Atelier vélo]].")
        .await;
    reader
        .get("/wiki/sommaire")
        .await
        .assert_contains("class=\"lien-nouveau\"");
    // Creating the linked page changes the links of the page already read.
    editor.create_page("Atelier vélo", "Le samedi.").await;
    let sommaire = reader.get("/wiki/sommaire").await;
    sommaire.assert_contains("<a class=\"lien-wiki\" href=\"/wiki/atelier-velo\"");

    reader
        .get("/wiki/atelier-velo")
        .await
        .assert_contains("Le samedi.");
    editor.edit_page("atelier-velo", "Le dimanche.", "").await;
    reader
        .get("/wiki/atelier-velo")
        .await
        .assert_contains("Le dimanche.");
    let res = editor
        .post("/wiki/atelier-velo/restaurer", &[("revision", "1")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    reader
        .get("/wiki/atelier-velo")
        .await
        .assert_contains("Le samedi.");

    // The home page too.
    editor.create_page("Accueil", "Bienvenue.").await;
    reader.get("/").await.assert_contains("Bienvenue.");
    editor.edit_page("accueil", "Bonjour.", "").await;
    reader.get("/").await.assert_contains("Bonjour.");
}

async fn a_renamed_page_is_never_served_under_its_old_slug(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let reader = app.browser();
    editor.create_page("Aide numerique", "Contenu").await;
    assert_eq!(
        reader.get("/wiki/aide-numerique").await.status,
        StatusCode::OK
    );
    let res = editor
        .post(
            "/wiki/aide-numerique/renommer",
            &[("title", "Aide au numérique")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let old = reader.get("/wiki/aide-numerique").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), Some("/wiki/aide-au-numerique"));
    reader
        .get("/wiki/aide-au-numerique")
        .await
        .assert_contains("<h1>Aide au numérique</h1>");
    // The old slug freed can become a new page, read at once.
    editor
        .create_page("Aide numerique", "Une autre page.")
        .await;
    reader
        .get("/wiki/aide-numerique")
        .await
        .assert_contains("Une autre page.");
}

mod compression {
    use actix_web::test::TestRequest;
    use lieu_tests::{Backend, TestApp};

    #[actix_web::test]
    async fn pages_are_gzipped_for_clients_that_ask_and_plain_for_others() {
        let app = TestApp::new(Backend::Sqlite).await;
        app.import_wiki_content();
        let browser = app.browser();
        let gz = browser
            .send(
                TestRequest::get()
                    .uri("/wiki/accueil")
                    .insert_header(("accept-encoding", "gzip, br")),
            )
            .await;
        assert_eq!(
            gz.headers.get("content-encoding").map(|v| v.as_bytes()),
            Some(&b"gzip"[..])
        );
        // The page also varies by language (issue 13): one `Vary` line each.
        let vary: Vec<&[u8]> = gz.headers.get_all("vary").map(|v| v.as_bytes()).collect();
        assert_eq!(
            vary,
            [&b"accept-language, cookie"[..], &b"accept-encoding"[..]]
        );
        let plain = browser.get("/wiki/accueil").await;
        assert!(plain.headers.get("content-encoding").is_none());
        plain.assert_contains("<h1>Accueil</h1>");
        assert!(
            gz.bytes < plain.bytes / 2,
            "gzip {} vs {}",
            gz.bytes,
            plain.bytes
        );
    }
}

/// The form was loaded under the old slug; the page was renamed before the save. A redirect
/// would have turned the POST into a GET and dropped the text.
async fn an_edit_posted_to_a_page_renamed_meanwhile_is_saved_not_lost(backend: Backend) {
    let app = TestApp::new(backend).await;
    let editor = app.logged_in(Role::Editor).await;
    let other = app.logged_in(Role::Editor).await;
    editor.create_page("Page emb", "Premier texte").await;
    let form = editor.get("/wiki/page-emb/modifier").await;
    let base = form.field("base_revision").expect("base_revision field");
    let renamed = other
        .post("/wiki/page-emb/renommer", &[("title", "Page emb renommée")])
        .await;
    assert_eq!(renamed.location(), Some("/wiki/page-emb-renommee"));

    let saved = editor
        .post(
            "/wiki/page-emb/modifier",
            &[
                ("body", "Mon texte précieux"),
                ("summary", ""),
                ("base_revision", &base),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), Some("/wiki/page-emb-renommee"));
    app.browser()
        .get("/wiki/page-emb-renommee")
        .await
        .assert_contains("Mon texte précieux");
}
