//! The words of the interface. Views ask for a key; the catalog answers in French, the site's
//! first language. An English catalog can be added here (and a language chosen per request)
//! without touching handlers or views. Validation codes from `lieu-core` are keys too.

/// The French sentence for `key`; the key itself if it is missing (a test makes sure none is).
pub fn t(key: &str) -> &'static str {
    lookup_fr(key).unwrap_or_else(|| {
        tracing::warn!(key, "missing translation");
        "[texte manquant]"
    })
}

pub fn lookup_fr(key: &str) -> Option<&'static str> {
    FR.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

const FR: &[(&str, &str)] = &[
    // Layout
    ("layout.skip", "Aller au contenu"),
    ("layout.nav_label", "Navigation principale"),
    (
        "layout.footer_tagline",
        "le wiki et l’annuaire du territoire, tenus par le lieu partagé France Services.",
    ),
    ("layout.legal", "Mentions légales"),
    (
        "layout.accessibility",
        "Accessibilité : partiellement conforme",
    ),
    ("layout.privacy", "Données personnelles"),
    ("layout.feed", "Flux des modifications (Atom)"),
    ("feed.title", "Modifications récentes"),
    ("nav.home", "Accueil"),
    ("nav.pages", "Toutes les pages"),
    ("nav.recent", "Modifications récentes"),
    ("nav.help", "Aide"),
    ("account.signed_in_as", "Connecté :"),
    ("account.login", "Se connecter"),
    ("account.logout", "Se déconnecter"),
    // Forms
    ("form.errors_title", "Le formulaire contient des erreurs"),
    ("title_required", "Indiquez un titre."),
    (
        "title_too_long",
        "Le titre est trop long : 120 caractères au plus.",
    ),
    (
        "title_forbidden_chars",
        "Le titre ne peut pas contenir les signes [ ] | # < >.",
    ),
    (
        "title_needs_letters",
        "Le titre doit contenir au moins une lettre ou un chiffre.",
    ),
    (
        "title_taken",
        "Une page porte déjà ce titre. Choisissez-en un autre ou modifiez la page existante.",
    ),
    (
        "title_unchanged",
        "Le nouveau titre est identique à l’actuel.",
    ),
    (
        "body_required",
        "Le texte de la page est vide : écrivez au moins une ligne.",
    ),
    (
        "body_too_long",
        "Le texte est trop long : 200 000 caractères au plus. Découpez-le en plusieurs pages.",
    ),
    (
        "summary_too_long",
        "Le résumé est trop long : 200 caractères au plus.",
    ),
    // Page
    ("page.actions_label", "Actions sur la page"),
    ("page.read", "Lire"),
    ("page.edit", "Modifier"),
    ("page.history", "Historique"),
    ("page.backlinks", "Pages qui pointent ici"),
    ("page.rename", "Renommer"),
    ("page.toc", "Sommaire"),
    ("page.updated", "Dernière modification le"),
    // Editing
    ("edit.new_title", "Créer une page"),
    ("edit.editing", "Modifier la page"),
    ("edit.title_label", "Titre de la page"),
    (
        "edit.title_hint",
        "Un titre court et clair, par exemple « Faire sa déclaration de revenus ».",
    ),
    ("edit.body_label", "Texte de la page"),
    (
        "edit.body_hint",
        "Écrivez en Markdown : # pour un titre, ** pour le gras, [[Titre d’une page]] pour un lien vers une page du wiki.",
    ),
    ("edit.body_help_link", "Aide à l’édition"),
    (
        "edit.summary_label",
        "Résumé de la modification (facultatif)",
    ),
    (
        "edit.summary_hint",
        "Quelques mots pour dire ce que vous avez changé, par exemple « horaires de décembre ».",
    ),
    ("edit.save", "Enregistrer"),
    ("edit.preview", "Prévisualiser"),
    ("edit.cancel", "Annuler"),
    ("edit.preview_heading", "Aperçu"),
    (
        "edit.preview_note",
        "Ceci est un aperçu : rien n’est encore enregistré.",
    ),
    (
        "edit.conflict_title",
        "Quelqu’un a modifié cette page pendant que vous écriviez",
    ),
    (
        "edit.conflict_saved",
        "a enregistré une nouvelle version le",
    ),
    (
        "edit.conflict_explain",
        "Votre texte n’est pas perdu : il est dans le formulaire ci-dessous. Reportez-y les changements de l’autre personne (détaillés ci-dessous) si vous voulez les garder, puis enregistrez à nouveau.",
    ),
    (
        "edit.conflict_their_changes",
        "Voir ce que l’autre personne a changé",
    ),
    // History, revisions, differences
    ("history.title", "Historique de"),
    (
        "history.caption",
        "Versions de la page, de la plus récente à la plus ancienne",
    ),
    (
        "history.compare_hint",
        "Choisissez deux versions puis « Comparer » pour voir ce qui a changé.",
    ),
    ("history.col_from", "Depuis"),
    ("history.col_to", "Jusqu’à"),
    ("history.col_version", "Version"),
    ("history.col_author", "Auteur"),
    ("history.col_summary", "Résumé"),
    ("history.version", "version"),
    ("history.current", "(actuelle)"),
    ("history.compare", "Comparer les versions choisies"),
    ("revision.saved_by", "Version enregistrée par"),
    ("revision.summary", "Résumé"),
    (
        "revision.is_current",
        "C’est la version actuelle de la page.",
    ),
    ("revision.is_old", "C’est une ancienne version de la page."),
    ("revision.see_current", "Voir la version actuelle"),
    (
        "revision.compare_current",
        "Comparer avec la version actuelle",
    ),
    ("revision.restore", "Restaurer cette version"),
    ("revert.summary", "Retour à la version"),
    ("diff.title", "Différences de"),
    ("diff.from", "De la"),
    ("diff.to", "à la"),
    ("diff.identical", "Les deux versions sont identiques."),
    ("diff.caption", "Modification"),
    ("diff.old_line", "Ligne avant"),
    ("diff.new_line", "Ligne après"),
    ("diff.change", "Changement"),
    ("diff.text", "Texte"),
    ("diff.removed", "supprimé :"),
    ("diff.added", "ajouté :"),
    // Links, renaming, lists
    ("backlinks.title", "Pages qui pointent vers"),
    (
        "backlinks.none",
        "Aucune page ne pointe vers celle-ci pour l’instant.",
    ),
    ("rename.title", "Renommer"),
    (
        "rename.explain",
        "L’ancien titre continuera de mener à la page : les liens existants ne seront pas cassés.",
    ),
    ("rename.new_title", "Nouveau titre"),
    ("rename.submit", "Renommer la page"),
    ("rename.summary", "Page renommée :"),
    ("recent.title", "Modifications récentes"),
    ("recent.feed", "S’abonner aux modifications (flux Atom)"),
    ("recent.none", "Aucune modification pour l’instant."),
    ("recent.diff", "différences"),
    ("index.title", "Toutes les pages"),
    ("index.count", "pages, par ordre alphabétique."),
    ("index.count_one", "page."),
    ("index.new_page", "Créer une page"),
    ("paging.label", "Pagination"),
    ("paging.previous", "← Page précédente"),
    ("paging.next", "Page suivante →"),
    ("paging.page", "Page"),
    ("missing.title", "Cette page n’existe pas"),
    (
        "missing.explain",
        "Aucune page ne se trouve à cette adresse. Elle a peut-être été renommée, ou le lien contient une faute.",
    ),
    ("missing.create", "Créer cette page"),
    ("missing.index", "Voir la liste de toutes les pages"),
    ("missing.home", "Revenir à l’accueil"),
    // Login
    ("login.title", "Se connecter"),
    (
        "login.explain",
        "La connexion est réservée aux personnes qui rédigent et mettent à jour le wiki. Pour lire les pages, aucun compte n’est nécessaire.",
    ),
    ("login.email", "Adresse e-mail"),
    ("login.password", "Mot de passe"),
    ("login.submit", "Se connecter"),
    (
        "login.failed",
        "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
    ),
    (
        "login.no_account",
        "Pas de compte ? Demandez-en un à l’accueil du lieu partagé France Services.",
    ),
    // Errors
    ("error.site", "Lieu partagé"),
    ("error.code", "Code de l’erreur"),
    ("error.not_found", "Page introuvable"),
    (
        "error.not_found_explain",
        "L’adresse demandée ne correspond à aucune page. Vérifiez-la, ou repartez de l’accueil.",
    ),
    ("error.forbidden", "Accès refusé"),
    (
        "error.forbidden_explain",
        "Votre compte ne permet pas cette action. Si vous pensez en avoir besoin, adressez-vous à l’équipe France Services.",
    ),
    ("error.csrf", "Formulaire expiré"),
    (
        "error.csrf_explain",
        "Pour votre sécurité, ce formulaire n’a pas été pris en compte. Revenez à la page précédente, rechargez-la, puis envoyez le formulaire à nouveau.",
    ),
    ("error.rate_limited", "Trop de tentatives"),
    (
        "error.rate_limited_explain",
        "Trop de tentatives de connexion en peu de temps. Patientez une minute puis réessayez.",
    ),
    ("error.bad_request", "Demande incorrecte"),
    (
        "error.bad_request_explain",
        "Les informations envoyées sont incomplètes ou mal formées. Revenez en arrière et vérifiez le formulaire.",
    ),
    ("error.login_required", "Connexion nécessaire"),
    ("error.internal", "Une erreur est survenue"),
    (
        "error.internal_explain",
        "Le site a rencontré un problème et n’a pas pu répondre. Rien de ce que vous avez saisi n’a été enregistré à moitié. Réessayez dans un instant ; si cela continue, prévenez l’équipe du lieu partagé.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key used in the source has a French sentence.
    #[test]
    fn every_key_used_has_a_french_text() {
        let sources = [
            include_str!("views/mod.rs"),
            include_str!("views/wiki.rs"),
            include_str!("views/auth.rs"),
            include_str!("views/errors.rs"),
            include_str!("views/diff.rs"),
            include_str!("handlers/wiki.rs"),
            include_str!("handlers/feed.rs"),
        ];
        let mut missing = Vec::new();
        for source in sources {
            for (at, _) in source.match_indices("t(\"") {
                // `t(` alone, not the end of `format(` or `set_summary(`.
                let before = source[..at].chars().next_back().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' {
                    continue;
                }
                let rest = &source[at + 3..];
                let key = rest.split('"').next().unwrap_or_default();
                if lookup_fr(key).is_none() {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "missing French texts: {missing:?}");
    }

    #[test]
    fn every_validation_code_has_a_french_text() {
        for code in [
            "title_required",
            "title_too_long",
            "title_forbidden_chars",
            "title_needs_letters",
            "title_taken",
            "title_unchanged",
            "body_required",
            "body_too_long",
            "summary_too_long",
        ] {
            assert!(lookup_fr(code).is_some(), "{code}");
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = FR.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }
}
