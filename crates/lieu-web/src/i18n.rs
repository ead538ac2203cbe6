//! The words of the interface. Views ask for a key; the catalog answers in French, the site's
//! first language. An English catalog can be added here (and a language chosen per request)
//! without touching handlers or views. Validation codes from `lieu-core` are keys too.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The French sentence for `key`; the key itself if it is missing (a test makes sure none is).
pub fn t(key: &str) -> &'static str {
    lookup_fr(key).unwrap_or_else(|| {
        tracing::warn!(key, "missing translation");
        "[texte manquant]"
    })
}

pub fn lookup_fr(key: &str) -> Option<&'static str> {
    FR_BY_KEY.get(key).copied()
}

/// The catalog by key, built once: every page asks for dozens of keys.
static FR_BY_KEY: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| FR.iter().copied().collect());

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
    ("nav.directory", "Annuaire"),
    ("nav.agenda", "Agenda"),
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
        "changed_meanwhile",
        "Quelqu’un a modifié cette fiche entre-temps : rien n’a été enregistré. Rouvrez la fiche pour voir son état actuel, puis recommencez si besoin.",
    ),
    (
        "form_expired",
        "Ce formulaire a expiré (la page est restée ouverte longtemps, ou vous vous êtes reconnecté) : rien n’a été enregistré. Votre texte est conservé ci-dessous : vérifiez-le puis enregistrez à nouveau.",
    ),
    (
        "title_taken",
        "Une page porte déjà ce titre. Choisissez-en un autre ou modifiez la page existante.",
    ),
    (
        "entry_slug_taken",
        "Une fiche du même titre vient d’être créée au même moment : rien n’a été enregistré. Votre saisie est conservée ; enregistrez à nouveau.",
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
    (
        "diff.too_large",
        "Ces deux versions sont trop différentes, ou le texte trop grand pour être comparé ici. \
         Vous pouvez lire chacune en entier :",
    ),
    ("diff.read_old", "lire l’ancienne version"),
    ("diff.read_new", "lire la nouvelle version"),
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
    ("login.email", "Adresse e-mail ou identifiant d’atelier"),
    (
        "login.email_hint",
        "Pendant un atelier, tapez l’identifiant écrit sur votre carte (par exemple atelier12-3).",
    ),
    ("login.password", "Mot de passe"),
    ("login.submit", "Se connecter"),
    (
        "login.failed",
        "Adresse e-mail (ou identifiant) ou mot de passe incorrect. Vérifiez votre saisie et réessayez.",
    ),
    (
        "login.no_account",
        "Pas de compte ? Habitant du territoire, créez le vôtre pour écrire dans les échanges ; l’équipe du lieu partagé est invitée par un administrateur.",
    ),
    // Accounts (issue 10)
    ("account.menu", "Mon compte"),
    ("account.title", "Mon compte"),
    ("account.profile", "Vos informations"),
    ("account.name", "Nom affiché"),
    (
        "account.name_hint",
        "Il apparaît à côté de vos modifications, sur le site public.",
    ),
    ("account.name_required", "Indiquez le nom à afficher."),
    (
        "account.name_too_long",
        "Le nom doit compter au plus 80 caractères.",
    ),
    ("account.email_required", "Indiquez une adresse e-mail."),
    (
        "account.email_taken",
        "Un compte existe déjà avec cette adresse.",
    ),
    ("account.role_unknown", "Choisissez un rôle dans la liste."),
    (
        "account.last_admin",
        "C’est le dernier compte administrateur actif : donnez d’abord le rôle d’administrateur à une autre personne.",
    ),
    (
        "account.current_for_email",
        "Nécessaire seulement pour changer d’adresse.",
    ),
    ("account.save", "Enregistrer"),
    ("account.password", "Mot de passe"),
    (
        "account.password_sessions",
        "Après le changement, vous restez connecté ici, mais toutes vos autres sessions (autres appareils) sont fermées.",
    ),
    ("account.password_submit", "Changer le mot de passe"),
    ("account.watches", "Ce que vous suivez"),
    (
        "account.watches_hint",
        "Quand une page ou une fiche que vous suivez est modifiée par quelqu’un d’autre, vous recevez un courriel, au plus un par jour pour chacune.",
    ),
    (
        "account.watches_none",
        "Vous ne suivez aucune page ni fiche. Le bouton « Suivre » se trouve en bas de chaque page et de chaque fiche.",
    ),
    ("account.edits", "Vos dernières modifications"),
    ("account.page_edits", "Pages du wiki"),
    ("account.entry_edits", "Fiches de l’annuaire"),
    ("account.edits_none", "Aucune modification pour le moment."),
    ("account.more", "Voir les suivantes"),
    ("account.delete", "Supprimer votre compte"),
    (
        "account.delete_hint",
        "Vos modifications restent sur le site, signées « Compte supprimé ».",
    ),
    ("account.delete_link", "Supprimer mon compte…"),
    (
        "account.delete_explain",
        "Avant de confirmer, voici ce qui se passera :",
    ),
    (
        "account.delete_keeps",
        "vos modifications des pages et des fiches restent, signées « Compte supprimé » au lieu de votre nom ;",
    ),
    (
        "account.delete_erases",
        "votre nom, votre adresse e-mail, votre mot de passe et vos suivis sont effacés, et vous êtes déconnecté partout ;",
    ),
    (
        "account.delete_final",
        "c’est définitif : pour revenir, il faudra créer un nouveau compte (ou, pour l’équipe, recevoir une nouvelle invitation).",
    ),
    (
        "account.delete_submit",
        "Supprimer définitivement mon compte",
    ),
    ("account.delete_cancel", "Annuler et revenir à mon compte"),
    ("account.deleted.title", "Votre compte est supprimé"),
    (
        "account.deleted.explain",
        "Votre nom, votre adresse et votre mot de passe ont été effacés. Vos modifications restent sur le site, signées « Compte supprimé », et vos messages des échanges sont signés de même ou effacés, comme vous l’avez choisi.",
    ),
    (
        "account.done.welcome",
        "Bienvenue ! Votre compte est prêt et vous êtes connecté.",
    ),
    (
        "account.done.profile",
        "Vos informations sont enregistrées.",
    ),
    (
        "account.done.password",
        "Votre mot de passe est changé. Vos autres sessions sont fermées.",
    ),
    ("accounts.menu", "Comptes"),
    ("accounts.title", "Comptes de l’équipe"),
    (
        "accounts.intro",
        "Les personnes qui rédigent, vérifient l’annuaire, animent les ateliers ou administrent le site. Les comptes des ateliers se gèrent depuis chaque atelier.",
    ),
    ("accounts.invite.title", "Inviter une personne"),
    (
        "accounts.invite.hint",
        "Elle reçoit un courriel avec un lien personnel, valable 7 jours, pour choisir son nom et son mot de passe.",
    ),
    ("accounts.invite.submit", "Envoyer l’invitation"),
    ("accounts.email", "Adresse e-mail"),
    ("accounts.role", "Rôle"),
    ("accounts.name", "Nom"),
    ("accounts.state", "État"),
    ("accounts.list", "Comptes"),
    ("accounts.none", "Aucun compte."),
    ("accounts.next", "Comptes suivants"),
    ("accounts.unnamed", "(invitation en attente)"),
    ("accounts.created", "Créé le"),
    ("accounts.state.active", "Actif"),
    ("accounts.state.closed", "Désactivé"),
    (
        "accounts.state.invited",
        "Invitation envoyée, valable jusqu’au",
    ),
    (
        "accounts.state.lapsed",
        "Invitation expirée : invitez de nouveau",
    ),
    ("accounts.change_role", "Changer le rôle"),
    ("accounts.change_role.submit", "Changer le rôle"),
    ("accounts.access", "Accès"),
    ("accounts.close", "Désactiver le compte"),
    (
        "accounts.close_hint",
        "Un compte désactivé ne peut plus se connecter, et ses sessions ouvertes sont fermées tout de suite. Ses modifications restent.",
    ),
    (
        "accounts.close_self",
        "C’est votre propre compte : vous serez déconnecté.",
    ),
    (
        "accounts.closed_hint",
        "Ce compte est désactivé. Le réactiver permet à son propriétaire de se connecter de nouveau.",
    ),
    ("accounts.reopen", "Réactiver le compte"),
    (
        "accounts.invited_hint",
        "Cette personne n’a pas encore suivi le lien de son invitation.",
    ),
    ("accounts.reinvite", "Envoyer une nouvelle invitation"),
    ("accounts.cancel_invitation", "Annuler l’invitation"),
    (
        "accounts.not_pending",
        "Ce compte n’attend pas d’invitation.",
    ),
    ("accounts.done.invited", "Invitation envoyée."),
    ("accounts.done.role", "Le rôle est changé."),
    (
        "accounts.done.closed",
        "Le compte est désactivé, ses sessions sont fermées.",
    ),
    ("accounts.done.reopened", "Le compte est réactivé."),
    ("invitation.title", "Rejoindre l’équipe"),
    ("invitation.intro", "Vous êtes invité avec l’adresse"),
    ("invitation.submit", "Créer mon compte"),
    ("link.invalid.title", "Ce lien ne fonctionne plus"),
    (
        "link.invalid.explain",
        "Il a déjà servi, il a expiré, ou un lien plus récent l’a remplacé. Pour un mot de passe, demandez un nouveau lien ; pour une invitation, demandez à l’administrateur du site de vous inviter de nouveau.",
    ),
    ("forgot.title", "Mot de passe oublié"),
    (
        "forgot.intro",
        "Indiquez l’adresse e-mail de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.",
    ),
    ("forgot.submit", "Recevoir un lien"),
    (
        "forgot.sent",
        "Si un compte existe avec cette adresse, un courriel vient de lui être envoyé avec un lien valable une heure. Pensez à regarder dans les courriers indésirables.",
    ),
    ("forgot.back", "Revenir à la connexion"),
    ("login.forgot", "Mot de passe oublié ?"),
    ("reset.title", "Choisir un nouveau mot de passe"),
    ("reset.intro", "Nouveau mot de passe pour le compte"),
    ("reset.submit", "Enregistrer le mot de passe"),
    ("password.new", "Nouveau mot de passe"),
    ("password.confirm", "Confirmez le nouveau mot de passe"),
    ("password.current", "Mot de passe actuel"),
    (
        "password.rules",
        "10 caractères au moins. Une phrase de quelques mots est facile à retenir et difficile à deviner. Les mots de passe trop courants sont refusés.",
    ),
    (
        "password.too_short",
        "Le mot de passe doit compter au moins 10 caractères. Une phrase de quelques mots est plus facile à retenir et plus sûre.",
    ),
    (
        "password.too_long",
        "Le mot de passe doit compter au plus 256 caractères.",
    ),
    (
        "password.guessable",
        "Ce mot de passe est trop facile à deviner : il figure parmi les plus utilisés, ou reprend votre nom, votre adresse ou le nom du site, ou une suite de touches. Essayez une phrase de quatre mots ou plus.",
    ),
    (
        "password.mismatch",
        "Les deux mots de passe ne sont pas identiques.",
    ),
    (
        "password.wrong_current",
        "Le mot de passe actuel n’est pas le bon.",
    ),
    ("watch.page", "Suivre cette page"),
    ("watch.page_stop", "Ne plus suivre cette page"),
    ("watch.entry", "Suivre cette fiche"),
    ("watch.entry_stop", "Ne plus suivre cette fiche"),
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
        "Trop de tentatives de connexion en peu de temps, depuis votre connexion ou sur cette adresse e-mail. Par sécurité, la connexion est suspendue un moment.",
    ),
    ("error.rate_limited_wait", "Vous pourrez réessayer dans"),
    ("error.too_large", "Formulaire trop volumineux"),
    (
        "error.too_large_explain",
        "Ce que vous avez envoyé est trop volumineux pour être reçu : rien n’a été enregistré.",
    ),
    (
        "error.too_large_limit",
        "Un formulaire peut contenir au plus",
    ),
    (
        "error.too_large_back",
        "Votre texte n’est pas perdu : le bouton « Retour » (ou « Page précédente ») de votre navigateur ramène au formulaire avec ce que vous aviez saisi. Raccourcissez le texte ou découpez-le en plusieurs pages, puis enregistrez à nouveau.",
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
    // Directory
    ("directory.title", "Annuaire du territoire"),
    (
        "directory.intro",
        "Les services, associations, offres d’emploi et de logement et les événements du Val de Sorbière, vérifiés par l’équipe France Services.",
    ),
    ("directory.count", "fiches"),
    ("directory.count_one", "fiche"),
    ("breadcrumb", "Fil d’Ariane"),
    ("kind.service", "Service"),
    ("kind.association", "Association"),
    ("kind.job", "Offre d’emploi"),
    ("kind.housing", "Offre de logement"),
    ("kind.event", "Événement"),
    ("kinds.service", "Services"),
    ("kinds.association", "Associations"),
    ("kinds.job", "Offres d’emploi"),
    ("kinds.housing", "Logements"),
    ("kinds.event", "Événements"),
    (
        "intro.service",
        "Services publics, partenaires France Services, santé et aide sociale : où aller, quand, et comment être reçu.",
    ),
    (
        "intro.association",
        "Les associations du territoire : sport, culture, solidarité, loisirs.",
    ),
    (
        "intro.job",
        "Les offres des employeurs du territoire, retirées à leur date limite.",
    ),
    (
        "intro.housing",
        "Logements à louer ou à partager sur le territoire.",
    ),
    (
        "intro.event",
        "Ce qui se passe près de chez vous : marchés, ateliers, fêtes, permanences.",
    ),
    ("list.result", "résultat"),
    ("list.results", "résultats"),
    ("list.none", "Aucune fiche ne correspond à ces critères."),
    ("embed.see_all", "Voir toute la liste"),
    ("filters.title", "Affiner la recherche"),
    ("filters.commune", "Commune"),
    ("filters.all_communes", "Toutes les communes"),
    ("filters.all", "Tous"),
    ("filters.theme", "Thème"),
    ("filters.public", "Public"),
    ("filters.category", "Catégorie"),
    ("filters.contract", "Type de contrat"),
    ("filters.housing_type", "Type de logement"),
    (
        "filters.max_rent",
        "Loyer maximum, charges comprises (en euros)",
    ),
    ("filters.period", "Période"),
    ("filters.upcoming", "Tous les événements à venir"),
    ("filters.today", "Aujourd’hui"),
    (
        "embed.too_many",
        "Liste de l’annuaire non affichée : une page en montre dix au plus.",
    ),
    ("filters.this_week", "Cette semaine (7 prochains jours)"),
    ("filters.this_month", "Ce mois-ci"),
    ("filters.on_date", "À la date choisie"),
    ("filters.date", "Date choisie"),
    ("filters.past", "Afficher aussi les événements passés"),
    ("filters.apply", "Afficher les résultats"),
    ("filters.reset", "Effacer les filtres"),
    ("entry.until", "jusqu’au"),
    ("entry.per_month_cc", "par mois charges comprises"),
    ("entry.per_month", "par mois"),
    ("entry.charges", "de charges"),
    ("entry.weekly", "chaque semaine"),
    ("entry.past", "Événement passé"),
    ("entry.practical", "Infos pratiques"),
    ("entry.address", "Adresse"),
    ("entry.map", "Voir sur la carte (OpenStreetMap)"),
    ("entry.contact", "Contact"),
    ("entry.phone", "Téléphone"),
    ("entry.email", "Courriel"),
    ("entry.website", "Site internet"),
    ("entry.hours", "Horaires d’ouverture"),
    ("entry.about", "En détail"),
    ("entry.offer", "L’offre"),
    ("entry.when", "Quand ?"),
    ("entry.from", "Le"),
    ("entry.to", "jusqu’à"),
    ("entry.on", "le"),
    ("entry.weekly_from", "Chaque semaine, de"),
    ("entry.from_to", "à"),
    ("entry.add_to_calendar", "Ajouter à mon agenda"),
    ("entry.updated", "Fiche mise à jour le"),
    (
        "entry.archived_notice",
        "Cette fiche est archivée : elle n’apparaît plus dans les listes publiques.",
    ),
    (
        "entry.expired_notice",
        "Cette offre a expiré : elle n’apparaît plus dans les listes.",
    ),
    ("entry.past_notice", "Cet événement est passé."),
    (
        "entry.archived_public",
        "Cette fiche n’est plus publiée : l’information n’est peut-être plus à jour.",
    ),
    ("entry.back_to_list", "Voir les"),
    ("hours.open_now", "Ouvert en ce moment"),
    ("hours.closed_now", "Fermé en ce moment"),
    ("hours.closes", "ferme"),
    ("hours.opens", "ouvre"),
    ("hours.unknown", "Horaires à confirmer par téléphone."),
    ("yes", "Oui"),
    ("no", "Non"),
    // Fields
    ("field.title", "Nom ou titre"),
    ("field.summary", "En une phrase"),
    ("field.commune", "Commune"),
    ("field.address", "Adresse"),
    ("field.meeting_place", "Lieu de rencontre"),
    ("field.categories", "Catégories"),
    ("field.description", "Présentation"),
    ("field.organisation", "Organisme"),
    ("field.opening_hours", "Horaires (format OpenStreetMap)"),
    ("field.help_modes", "Comment être aidé"),
    ("field.publics", "Public concerné"),
    ("field.fees", "Coût"),
    ("field.fees_details", "Précisions sur le coût"),
    ("field.reception", "Accueil"),
    ("field.accessibility", "Accessibilité"),
    ("field.themes", "Thèmes (liste data·inclusion)"),
    ("field.activities", "Activités"),
    ("field.meeting_times", "Jours et heures de rencontre"),
    ("field.membership_fee", "Cotisation"),
    ("field.employer", "Employeur"),
    ("field.contract", "Type de contrat"),
    ("field.working_hours", "Horaires de travail"),
    ("field.salary", "Salaire"),
    ("field.how_to_apply", "Comment postuler"),
    ("field.published_on", "Date de publication"),
    ("field.expires_on", "Date limite"),
    ("field.housing_type", "Type de logement"),
    ("field.rent", "Loyer mensuel hors charges (€)"),
    ("field.charges", "Charges mensuelles (€)"),
    ("field.surface", "Surface (m²)"),
    ("field.rooms", "Nombre de pièces"),
    ("field.furnished", "Meublé"),
    ("field.available_from", "Disponible à partir du"),
    ("field.starts_at", "Début"),
    ("field.ends_at", "Fin"),
    ("field.weekly_until", "Se répète chaque semaine jusqu’au"),
    ("field.organiser", "Organisateur"),
    ("field.price", "Prix"),
    ("field.booking", "Réservation"),
    ("field.contact_name", "Nom du contact"),
    ("field.phone", "Téléphone"),
    ("field.email", "Courriel"),
    ("field.website", "Site internet"),
    ("form.required", "(obligatoire)"),
    (
        "form.required_note",
        "Les champs marqués « obligatoire » doivent être remplis.",
    ),
    ("form.choose", "— Choisir —"),
    ("form.general", "Informations générales"),
    ("form.contact", "Contact"),
    (
        "hint.summary",
        "Ce que les habitants lisent d’abord, 300 caractères au plus.",
    ),
    (
        "hint.opening_hours",
        "Par exemple : Tu-Th 09:00-12:30,13:30-17:00; Sa 09:00-12:00 (Mo Tu We Th Fr Sa Su pour les jours).",
    ),
    ("hint.published_on", "Laissez vide pour aujourd’hui."),
    (
        "hint.expires_on",
        "L’offre disparaît des listes après ce jour (un an au plus).",
    ),
    ("hint.euros", "En euros, sans centimes."),
    ("hint.paris_time", "Heure de Paris."),
    (
        "hint.ends_at",
        "Laissez vide pour une durée de deux heures.",
    ),
    (
        "hint.weekly_until",
        "Laissez vide pour un événement unique.",
    ),
    ("hint.website", "Adresse complète, commençant par https://"),
    // Agents
    ("manage.title", "Gestion de l’annuaire"),
    ("manage.new", "Ajouter une fiche"),
    (
        "manage.choose_kind",
        "Quel type de fiche voulez-vous ajouter ?",
    ),
    ("manage.editing", "Modifier la fiche"),
    ("manage.tools", "Outils des agents"),
    ("manage.verified_on", "Dernière vérification le"),
    ("manage.edit", "Modifier la fiche"),
    ("manage.history", "Historique de la fiche"),
    ("manage.mark_verified", "Marquer comme vérifiée aujourd’hui"),
    ("manage.archive", "Archiver la fiche"),
    ("manage.restore", "Restaurer la fiche"),
    (
        "manage.conflict",
        "Quelqu’un a modifié cette fiche pendant que vous la modifiiez : rien n’a été enregistré. Votre saisie est conservée ci-dessous ; comparez-la avec la fiche actuelle avant d’enregistrer à nouveau.",
    ),
    ("manage.see_current", "Voir la fiche actuelle"),
    ("manage.snapshot", "Contenu de la fiche à cette version"),
    ("manage.to_verify", "Fiches à vérifier"),
    (
        "manage.to_verify_explain",
        "Ces fiches n’ont pas été vérifiées depuis plus de",
    ),
    ("manage.days", "jours"),
    (
        "manage.all_verified",
        "Toutes les fiches ont été vérifiées récemment.",
    ),
    ("manage.kind", "Type"),
    ("manage.action", "Action"),
    // Summaries recorded in an entry's history when the agent typed none
    ("revision.entry_created", "Création de la fiche"),
    ("revision.entry_edited", "Modification de la fiche"),
    ("revision.entry_archived", "Fiche archivée"),
    ("revision.entry_restored", "Fiche restaurée"),
    // An archive or restore clicked on a version of the entry that is no longer the current one
    ("manage.stale_title", "La fiche a changé entre-temps"),
    (
        "manage.stale_explain",
        "Quelqu’un a modifié cette fiche depuis que vous l’avez ouverte : votre demande n’a pas été appliquée. Relisez la fiche dans son état actuel, puis recommencez si besoin.",
    ),
    ("manage.back_to_entry", "Revenir à la fiche"),
    // Search (results, suggestions)
    ("search.box_label", "Rechercher sur le site"),
    ("search.submit", "Rechercher"),
    ("search.title", "Recherche"),
    ("search.for", "pour"),
    ("search.suggestions_label", "Suggestions"),
    ("search.suggestions_none", "Aucune suggestion."),
    (
        "search.suggestions_one",
        "1 suggestion : flèche du bas pour la choisir, Entrée pour l’ouvrir.",
    ),
    (
        "search.suggestions_many",
        "{n} suggestions : flèches du haut et du bas pour choisir, Entrée pour ouvrir.",
    ),
    ("search.kind_page", "Page d’information"),
    ("search.kind_pages", "Pages d’information"),
    ("search.refine", "Affiner les résultats"),
    ("search.facet_kind", "Type"),
    ("search.facet_commune", "Commune"),
    ("search.facet_theme", "Thème"),
    ("search.active_filters", "Filtres choisis"),
    ("search.remove_filter", "Retirer ce filtre"),
    ("search.remove_all", "Retirer tous les filtres"),
    (
        "search.capped",
        "Seuls les premiers résultats peuvent être parcourus, jusqu’à la page {pages}. Ajoutez un mot ou choisissez un filtre pour préciser votre recherche.",
    ),
    ("search.none_for", "Aucun résultat pour"),
    ("search.did_you_mean", "Vouliez-vous dire"),
    (
        "search.none_with_filters",
        "Rien ne correspond avec ces filtres.",
    ),
    ("search.search_everywhere", "Chercher sans filtre"),
    ("search.what_next", "Que faire ?"),
    (
        "search.try_other_words",
        "Vérifiez l’orthographe, ou essayez un autre mot, plus simple, ou moins de mots.",
    ),
    (
        "search.browse_directory",
        "Parcourir l’annuaire du territoire",
    ),
    (
        "search.not_listed",
        "Votre association, votre entreprise ou votre service n’y figure pas ?",
    ),
    ("search.get_listed", "Faites-le référencer gratuitement"),
    (
        "search.call_desk",
        "Appelez l’accueil France Services, qui vous aidera à trouver :",
    ),
    ("search.how_to", "Comment chercher sur le site"),
    ("search.empty_title", "Que cherchez-vous ?"),
    (
        "search.empty_intro",
        "Tapez dans la case de recherche, en haut de la page, ce que vous cherchez, comme vous le diriez à l’accueil : une démarche, un service, une association, un emploi, un logement, un événement.",
    ),
    (
        "search.tips",
        "Pas besoin d’accents ni de majuscules, et les petites fautes de frappe sont pardonnées. Les sigles comme CAF ou APL sont compris.",
    ),
    (
        "search.no_words",
        "Votre recherche ne contient aucun mot que le site sait chercher : les petits mots comme « le » ou « de » sont ignorés.",
    ),
    ("search.examples", "Par exemple"),
    // Search administration (synonyms, unanswered searches)
    ("misses.title", "Recherches sans résultat"),
    (
        "misses.intro_1",
        "Les recherches des habitants qui n’ont rien trouvé ces",
    ),
    (
        "misses.intro_2",
        "derniers jours, les plus fréquentes d’abord (50 au plus). Seuls le texte cherché, le jour et le nombre de fois sont enregistrés : rien ne dit qui a cherché.",
    ),
    (
        "misses.explain",
        "Si la recherche veut dire la même chose qu’un autre mot ou qu’un sigle, ajoutez-la comme synonyme : elle trouvera désormais ce que trouve ce mot. Si l’information manque sur le site, créez la page ou la fiche.",
    ),
    ("misses.see_all", "Voir les recherches sans résultat"),
    (
        "misses.none",
        "Aucune recherche sans résultat ces derniers jours.",
    ),
    (
        "misses.word_hint",
        "Pour chaque recherche, indiquez le mot ou le sigle qu’elle veut dire, par exemple « allocations familiales » pour « alloc ». S’il fait déjà partie d’un groupe de synonymes, la recherche y est ajoutée ; sinon, un nouveau groupe est créé.",
    ),
    ("misses.search_one", "recherche"),
    ("misses.searches", "recherches"),
    ("misses.in_group", "Déjà dans le groupe de synonymes"),
    (
        "misses.word_label",
        "De quel mot ou sigle est-ce un synonyme ?",
    ),
    ("misses.add", "Ajouter comme synonyme"),
    ("misses.create_page", "Créer la page"),
    ("misses.create_entry", "Créer une fiche"),
    ("misses.added", "Synonyme enregistré."),
    (
        "misses.already",
        "Rien à faire : cette recherche était déjà dans ce groupe.",
    ),
    ("misses.group_now", "Le groupe est maintenant"),
    ("misses.see_group", "Voir le groupe"),
    ("synonyms.title", "Synonymes de la recherche"),
    (
        "synonyms.intro",
        "Les mots et expressions d’un même groupe se valent pour la recherche : un habitant qui tape « caf » trouve aussi ce qui parle d’« allocations familiales », et inversement. Ajoutez les sigles et les mots que vous entendez à l’accueil.",
    ),
    (
        "synonyms.rules",
        "Un groupe réunit de 2 à 20 mots ou expressions, séparés par des virgules, de 80 caractères au plus chacun. Les changements comptent pour la recherche dans la seconde.",
    ),
    ("synonyms.see_all", "Voir et modifier tous les synonymes"),
    ("synonyms.new", "Ajouter un groupe"),
    (
        "synonyms.new_label",
        "Mots et expressions du nouveau groupe",
    ),
    (
        "synonyms.new_hint",
        "Séparés par des virgules, par exemple : cpam, assurance maladie, sécu",
    ),
    ("synonyms.add", "Ajouter le groupe"),
    ("synonyms.count", "groupes"),
    ("synonyms.count_one", "groupe"),
    ("synonyms.none", "Aucun groupe de synonymes pour l’instant."),
    ("synonyms.group", "Groupe"),
    ("synonyms.save", "Enregistrer"),
    ("synonyms.delete", "Supprimer"),
    ("synonyms.added", "Groupe ajouté."),
    ("mail.title", "Courriels du site"),
    (
        "mail.intro",
        "Les courriels que le site envoie (accusés de réception, décisions, rappels) attendent ici leur envoi. Quand le serveur de courriel ne répond pas, chaque courriel est réessayé plus tard, de moins en moins souvent, pendant deux jours environ ; après, il est marqué en échec et vous pouvez le réessayer. Les courriels envoyés sont effacés après 30 jours.",
    ),
    ("mail.filters", "Filtrer les courriels par état"),
    ("mail.all", "Tous"),
    ("mail.status.waiting", "En attente"),
    ("mail.status.sending", "En cours d’envoi"),
    ("mail.status.sent", "Envoyés"),
    ("mail.status.failed", "En échec"),
    ("mail.state.waiting", "En attente"),
    ("mail.state.sending", "En cours d’envoi"),
    ("mail.state.sent", "Envoyé"),
    ("mail.state.failed", "En échec"),
    ("mail.none", "Aucun courriel."),
    ("mail.older", "Courriels plus anciens"),
    ("mail.to", "Destinataire"),
    ("mail.written", "Écrit le"),
    ("mail.status", "État"),
    ("mail.next_try", "prochain essai le"),
    ("mail.attempts", "Essais"),
    ("mail.last_error", "Dernière erreur"),
    ("mail.retry", "Réessayer maintenant"),
    (
        "mail.retried",
        "Le courriel va être réessayé dans quelques secondes.",
    ),
    (
        "mail.not_retried",
        "Ce courriel n’était plus en attente ni en échec : il a été envoyé entre-temps.",
    ),
    ("mail.test.title", "Envoyer un courriel d’essai"),
    (
        "mail.test.hint",
        "Pour vérifier les réglages d’envoi : le courriel part comme les autres, et son état s’affiche ci-dessus.",
    ),
    ("mail.test.to", "Adresse du destinataire"),
    ("mail.test.send", "Envoyer l’essai"),
    (
        "mail.test.written",
        "Le courriel d’essai est prêt à partir : son état s’affiche ci-dessous.",
    ),
    ("synonyms.saved", "Groupe enregistré."),
    ("synonyms.deleted", "Groupe supprimé."),
    (
        "synonyms.gone",
        "Ce groupe n’existe plus : il a déjà été supprimé, par vous ou par un autre agent. Rien n’a été modifié.",
    ),
    (
        "synonyms.delete_title",
        "Supprimer ce groupe de synonymes ?",
    ),
    (
        "synonyms.delete_explain",
        "Une fois le groupe supprimé, ces mots ne se valent plus pour la recherche. Vous pourrez le recréer plus tard.",
    ),
    ("synonyms.delete_confirm", "Supprimer le groupe"),
    (
        "synonym_too_few",
        "Indiquez au moins deux mots ou expressions différents, séparés par des virgules.",
    ),
    (
        "synonym_too_long",
        "Un des mots ou expressions est trop long : 80 caractères au plus chacun.",
    ),
    (
        "synonym_bad_chars",
        "Les synonymes ne peuvent pas contenir les signes < > { } [ ] \" ni de caractères de contrôle.",
    ),
    (
        "synonym_too_many",
        "Un groupe réunit 20 mots ou expressions au plus : créez un autre groupe.",
    ),
    (
        "synonym_word_required",
        "Indiquez le mot ou le sigle dont cette recherche est un synonyme.",
    ),
    (
        "synonym_one_phrase",
        "Indiquez un seul mot ou une seule expression, sans virgule ni point-virgule.",
    ),
    (
        "synonym_same_word",
        "Ce mot est la recherche elle-même : indiquez un autre mot ou sigle.",
    ),
    (
        "synonym_group_gone",
        "Ce groupe a été supprimé entre-temps par un autre agent : rien n’a été enregistré. Votre texte est repris ci-dessous ; ajoutez-le comme nouveau groupe s’il le faut.",
    ),
    // Agenda
    ("agenda.title", "Agenda du territoire"),
    ("agenda.subscribe", "S’abonner à l’agenda (iCalendar)"),
    ("agenda.by_month", "Voir l’agenda par mois"),
    ("agenda.months", "Mois"),
    ("agenda.days", "Jours"),
    ("agenda.from", "Du"),
    ("agenda.to", "au"),
    ("agenda.none", "Aucun événement à venir ces jours-ci."),
    ("agenda.search", "Chercher un événement"),
    ("agenda.previous_days", "Jours précédents"),
    ("agenda.next_days", "Jours suivants"),
    ("agenda.more", "Voir tous les événements du"),
    ("agenda.until", "en cours jusqu’au"),
    ("agenda.back", "Retour à l’agenda"),
    ("agenda.ongoing", "Déjà commencés"),
    (
        "agenda.ongoing_more",
        "Voir tous les événements en cours ce jour-là",
    ),
    ("agenda.programme", "Au programme"),
    ("agenda.day_none", "Aucun événement à venir ce jour-là."),
    ("agenda.day_one", "1 événement ce jour-là."),
    ("agenda.day_count", "événements ce jour-là."),
    ("agenda.day_not_found", "Ce jour n’est pas dans l’agenda"),
    (
        "agenda.day_not_found_explain",
        "L’adresse doit finir par une date entre 1900 et 2200, au format aaaa-mm-jj : par exemple /agenda/2026-12-05.",
    ),
    (
        "agenda.month_refused",
        "Ce mois n’a pas pu être affiché : indiquez une année entre 1900 et 2200 et un mois entre 01 et 12 (par exemple 2026-12). Voici les prochains jours.",
    ),
    (
        "agenda.day_refused",
        "Ce jour n’a pas pu être affiché : indiquez une date entre 1900 et 2200, au format aaaa-mm-jj (par exemple 2026-12-05). Voici les prochains jours.",
    ),
    (
        "list.date_refused",
        "Cette date n’a pas pu être utilisée : indiquez un jour entre 1900 et 2200, au format jj/mm/aaaa. Voici les événements à venir.",
    ),
    // Entry validation
    ("entry_title_required", "Indiquez le nom ou le titre."),
    (
        "entry_summary_too_long",
        "La phrase de présentation est trop longue : 300 caractères au plus.",
    ),
    (
        "summary_required",
        "Écrivez une phrase qui dit ce que c’est.",
    ),
    ("commune_required", "Choisissez la commune."),
    (
        "commune_unknown",
        "Cette commune ne fait pas partie du territoire.",
    ),
    (
        "text_too_long",
        "Ce texte est trop long : 5 000 caractères au plus.",
    ),
    (
        "field_too_long",
        "Ce champ est trop long : 300 caractères au plus.",
    ),
    (
        "category_unknown",
        "Une des catégories choisies n’existe pas.",
    ),
    (
        "value_unknown",
        "Une des valeurs choisies n’est pas dans la liste.",
    ),
    ("contract_required", "Choisissez le type de contrat."),
    ("employer_required", "Indiquez l’employeur."),
    ("how_to_apply_required", "Expliquez comment postuler."),
    (
        "date_invalid",
        "Date non reconnue : utilisez le format jj/mm/aaaa.",
    ),
    (
        "datetime_invalid",
        "Date et heure non reconnues : utilisez le format jj/mm/aaaa hh:mm.",
    ),
    (
        "date_out_of_range",
        "Cette date est hors des limites acceptées (entre 1900 et 2200).",
    ),
    ("expires_on_required", "Indiquez la date limite de l’offre."),
    ("expires_in_the_past", "La date limite est déjà passée."),
    (
        "expires_too_far",
        "La date limite ne peut pas dépasser un an : l’offre pourra être prolongée.",
    ),
    ("housing_type_required", "Choisissez le type de logement."),
    (
        "amount_invalid",
        "Montant non reconnu : écrivez un nombre d’euros, par exemple 450.",
    ),
    (
        "number_invalid",
        "Nombre non reconnu : écrivez un nombre entier, par exemple 3.",
    ),
    (
        "starts_at_required",
        "Indiquez la date et l’heure de début.",
    ),
    ("ends_before_start", "La fin est avant le début."),
    (
        "weekly_until_before_start",
        "La date de fin de répétition est avant le début.",
    ),
    (
        "weekly_until_too_far",
        "La répétition ne peut pas dépasser un an.",
    ),
    (
        "phone_invalid",
        "Numéro non reconnu : dix chiffres, par exemple 01 99 00 12 34.",
    ),
    (
        "email_invalid",
        "Adresse e-mail non reconnue, par exemple nom@exemple.fr.",
    ),
    (
        "website_invalid",
        "Adresse non reconnue : elle doit commencer par https://",
    ),
    (
        "opening_hours_invalid",
        "Horaires non reconnus : suivez le format indiqué, par exemple Mo-Fr 09:00-12:00.",
    ),
    // The referencing form (public)
    ("nav.submit", "Se faire référencer"),
    ("submit.title", "Se faire référencer"),
    (
        "submit.intro",
        "Une association, un service, un employeur, un propriétaire ou l’organisateur d’un événement du territoire peut figurer gratuitement sur le site. Aucun compte n’est nécessaire.",
    ),
    (
        "submit.step1",
        "Vous remplissez le formulaire (une dizaine de minutes).",
    ),
    (
        "submit.step2",
        "Un agent France Services relit votre demande, en général sous trois jours ouvrés. Il peut vous demander une précision.",
    ),
    (
        "submit.step3",
        "Vous recevez un courriel à chaque étape, et un lien personnel pour suivre, corriger ou retirer votre demande.",
    ),
    ("submit.choose", "Que voulez-vous faire paraître ?"),
    (
        "submit.kind_hint.service",
        "un service public, une permanence, un professionnel de santé ou du social",
    ),
    (
        "submit.kind_hint.association",
        "une association active sur le territoire",
    ),
    (
        "submit.kind_hint.job",
        "une offre d’emploi sur le territoire",
    ),
    (
        "submit.kind_hint.housing",
        "un logement à louer ou à partager",
    ),
    ("submit.kind_hint.event", "un événement ouvert au public"),
    (
        "submit.guide_before",
        "Avant de commencer, vous pouvez lire",
    ),
    (
        "submit.guide_link",
        "ce qu’il faut préparer et ce que nous publions",
    ),
    ("submit.a.service", "un service"),
    ("submit.a.association", "une association"),
    ("submit.a.job", "une offre d’emploi"),
    ("submit.a.housing", "une offre de logement"),
    ("submit.a.event", "un événement"),
    ("submit.propose", "Proposer"),
    (
        "submit.suggest_title",
        "Suggérer une correction de la fiche",
    ),
    ("submit.suggest", "Suggérer une correction"),
    (
        "submit.suggest_hint",
        "Une information est fausse ou a changé ? Proposez la correction : un agent la vérifiera.",
    ),
    (
        "submit.correcting",
        "Vous proposez une correction de la fiche",
    ),
    ("submit.correct_title", "Corriger ma demande"),
    ("submit.sender", "Vos coordonnées"),
    (
        "submit.sender_hint",
        "Elles ne sont pas publiées : elles servent seulement à vous répondre au sujet de cette demande.",
    ),
    ("field.sender_name", "Votre nom"),
    (
        "field.sender_organisation",
        "Votre structure (association, entreprise, mairie...)",
    ),
    ("field.sender_email", "Votre adresse e-mail"),
    (
        "hint.sender_email",
        "Nous vous y envoyons le lien pour suivre votre demande.",
    ),
    ("field.sender_phone", "Votre téléphone"),
    ("submit.trap_label", "Laissez ce champ vide"),
    ("submit.privacy", "Vos données personnelles"),
    (
        "submit.retention",
        "Vos coordonnées servent uniquement à traiter votre demande. Si elle est refusée ou si vous la retirez, elles sont effacées {months} mois après. Si la fiche est publiée, elles sont gardées tant qu’elle l’est, pour vous demander de temps en temps si elle est à jour, puis effacées {months} mois après son retrait ; vous pouvez demander leur effacement à tout moment.",
    ),
    ("submit.privacy_link", "En savoir plus sur vos données"),
    (
        "submit.consent",
        "J’accepte que mes coordonnées soient utilisées pour traiter ma demande.",
    ),
    ("submit.send", "Envoyer ma demande"),
    ("submit.send_correction", "Envoyer la correction"),
    (
        "submit.notice.expired",
        "Votre page était ouverte depuis longtemps : par sécurité, elle a été renouvelée. Tout ce que vous avez saisi est conservé ci-dessous : vérifiez, puis envoyez à nouveau.",
    ),
    (
        "submit.notice.too_fast",
        "Le formulaire a été envoyé très vite, comme le ferait un robot. Tout ce que vous avez saisi est conservé : vérifiez-le, attendez quelques secondes, puis envoyez à nouveau.",
    ),
    (
        "submit.notice.no_cookie",
        "Votre navigateur n’a pas envoyé le cookie de sécurité du site : il refuse peut-être les cookies. Autorisez les cookies pour ce site (un seul cookie technique, sans publicité ni mesure d’audience), puis envoyez à nouveau : votre saisie est conservée ci-dessous. Vous pouvez aussi apporter votre demande à l’accueil France Services.",
    ),
    (
        "form.contact_published",
        "Ces coordonnées sont publiées sur la fiche : n’y mettez que celles que le public peut utiliser.",
    ),
    (
        "tracking.mail_sent_to",
        "Le courriel de confirmation part à l’adresse",
    ),
    (
        "tracking.wrong_address",
        "Si elle est fausse, retirez cette demande et envoyez-en une nouvelle avec la bonne adresse.",
    ),
    (
        "submit.notice.trap",
        "Un champ réservé à la lutte contre les robots a été rempli (peut-être par le remplissage automatique de votre navigateur). Il a été vidé ; vérifiez, puis envoyez à nouveau.",
    ),
    (
        "submit.notice.too_many",
        "Trop de demandes ont été envoyées depuis votre connexion. Votre saisie est conservée ci-dessous : réessayez dans {minutes} minutes, ou apportez votre demande à l’accueil France Services.",
    ),
    (
        "submit.notice.changed",
        "Votre demande a changé pendant que vous la corrigiez (dans une autre fenêtre, peut-être). Votre saisie est conservée : vérifiez, puis envoyez à nouveau.",
    ),
    ("sender_name_required", "Indiquez votre nom."),
    (
        "sender_email_required",
        "Indiquez votre adresse e-mail, pour que nous puissions vous répondre.",
    ),
    (
        "sender_field_too_long",
        "Ce champ est trop long : 120 caractères au plus.",
    ),
    (
        "consent_required",
        "Cochez la case pour accepter que vos coordonnées servent à traiter votre demande.",
    ),
    // The sender's private page
    ("tracking.title", "Votre demande"),
    (
        "tracking.sent_title",
        "Merci, votre demande est enregistrée",
    ),
    (
        "tracking.sent",
        "Un agent France Services va la relire. Vous allez recevoir un courriel de confirmation.",
    ),
    (
        "tracking.keep_link",
        "Gardez le courriel que nous vous envoyons : son lien personnel ramène à cette page. Chaque nouveau courriel contient un nouveau lien, qui remplace le précédent.",
    ),
    (
        "tracking.corrected",
        "Votre correction est enregistrée : un agent va la relire.",
    ),
    (
        "tracking.withdrawn",
        "Votre demande est retirée. Vos coordonnées seront effacées dans {months} mois.",
    ),
    (
        "tracking.still_valid_done",
        "Merci ! La fiche est notée comme vérifiée aujourd’hui.",
    ),
    ("tracking.status", "État :"),
    ("tracking.sent_on", "Envoyée le"),
    (
        "tracking.waiting_explain",
        "Un agent va la relire, en général sous trois jours ouvrés. Vous pouvez encore la corriger ou la retirer.",
    ),
    (
        "tracking.changes_title",
        "L’agent vous demande de compléter votre demande :",
    ),
    ("tracking.approved_explain", "La fiche est publiée :"),
    ("tracking.rejected_explain", "Motif :"),
    (
        "tracking.withdrawn_explain",
        "Vous avez retiré cette demande.",
    ),
    ("tracking.correct", "Corriger ma demande"),
    ("tracking.withdraw", "Retirer ma demande"),
    (
        "tracking.withdraw_explain",
        "Votre demande ne sera pas publiée, et vos coordonnées seront effacées dans {months} mois. Vous ne pourrez pas revenir en arrière.",
    ),
    ("tracking.withdraw_confirm", "Oui, retirer ma demande"),
    ("tracking.still_valid", "Confirmer que la fiche est à jour"),
    (
        "tracking.still_valid_explain",
        "Les informations de la fiche « {title} » sont-elles toujours justes ? Si oui, confirmez d’un clic.",
    ),
    ("tracking.still_valid_confirm", "Oui, tout est à jour"),
    ("tracking.update", "Proposer une mise à jour de la fiche"),
    ("tracking.what_was_sent", "Ce que vous avez envoyé"),
    (
        "tracking.private",
        "Ce lien est personnel : ne le partagez pas. Il est remplacé par celui de chaque nouveau courriel que nous vous envoyons.",
    ),
    ("tracking.unknown_title", "Lien inconnu ou remplacé"),
    (
        "tracking.unknown",
        "Ce lien ne mène à aucune demande. Il a peut-être été remplacé par celui d’un courriel plus récent (utilisez le lien du dernier courriel reçu), ou la demande a été effacée. En cas de doute, contactez l’accueil France Services.",
    ),
    ("submission.status.waiting", "en attente de relecture"),
    ("submission.status.changes_requested", "à compléter"),
    ("submission.status.approved", "publiée"),
    ("submission.status.rejected", "refusée"),
    ("submission.status.withdrawn", "retirée"),
    (
        "revision.submission_created",
        "Fiche créée à partir d’une demande de référencement",
    ),
    (
        "revision.submission_correction",
        "Correction proposée par un usager",
    ),
    // The agents' review queue
    ("review.title", "Demandes de référencement"),
    ("review.menu", "Demandes à traiter"),
    (
        "review.intro",
        "Les demandes envoyées par le formulaire public, les plus anciennes d’abord.",
    ),
    ("review.any", "Tous"),
    ("review.status", "État"),
    ("review.open", "À traiter"),
    ("review.any_commune", "Toutes"),
    ("review.age", "Ancienneté"),
    ("review.any_age", "Toutes"),
    ("review.older_than", "Plus de {days} jours"),
    ("review.filter", "Filtrer"),
    ("review.count", "demandes"),
    ("review.count_one", "demande"),
    ("review.empty", "Aucune demande ne correspond."),
    ("review.received", "Reçue le"),
    ("review.sender", "Expéditeur"),
    ("review.correction", "correction"),
    ("review.first_page", "Première page"),
    ("review.next_page", "Demandes suivantes"),
    ("review.one", "Demande"),
    ("review.decided", "Décidée le"),
    ("review.by", "par"),
    ("review.see_entry", "Voir la fiche publiée"),
    (
        "review.sender_erased",
        "Les coordonnées de l’expéditeur ont été effacées.",
    ),
    ("review.comparison", "Comparaison avec la fiche actuelle"),
    (
        "review.comparison_of",
        "Les champs modifiés sont marqués. Fiche actuelle :",
    ),
    ("review.field", "Champ"),
    ("review.current", "Actuellement"),
    ("review.proposed", "Proposé"),
    ("review.changed", "modifié"),
    ("review.preview", "Ce qui serait publié"),
    ("review.duplicates", "Doublons possibles"),
    (
        "review.no_duplicates",
        "Aucune fiche ni demande semblable n’a été trouvée.",
    ),
    ("review.dup_entry", "Fiche publiée"),
    ("review.dup_submission", "Autre demande"),
    ("review.decide", "Décider"),
    ("review.approve", "Approuver et publier"),
    ("review.edit_then_approve", "Modifier avant d’approuver"),
    ("review.edit_title", "Modifier puis approuver"),
    (
        "review.edit_explain",
        "Corrigez ce qui doit l’être : l’enregistrement publie la fiche et prévient l’expéditeur.",
    ),
    (
        "review.request_label",
        "Ce qu’il faut compléter ou corriger",
    ),
    (
        "review.request_hint",
        "Ce message est envoyé à l’expéditeur, avec son lien pour corriger sa demande.",
    ),
    ("review.request", "Demander des modifications"),
    ("review.reason", "Motif du refus"),
    ("review.reject_words", "Précisions pour l’expéditeur"),
    (
        "review.reject_hint",
        "Obligatoires pour le motif « autre raison ».",
    ),
    ("review.reject", "Refuser la demande"),
    ("review.history", "Historique"),
    ("review.h.received", "demande reçue"),
    ("review.h.changes_requested", "modifications demandées"),
    ("review.h.approved", "approuvée et publiée"),
    ("review.h.rejected", "refusée"),
    ("review.h.withdrawn", "retirée par l’expéditeur"),
    ("review.h.corrected", "corrigée par l’expéditeur"),
    ("review.h.purged", "coordonnées effacées"),
    ("review.h.other", "autre action"),
    (
        "review.refused.decided",
        "Cette demande a déjà été décidée (voir ci-dessous) : votre décision n’a pas été enregistrée.",
    ),
    (
        "review.refused.changed",
        "Cette demande a changé depuis que vous l’avez ouverte (corrigée par l’expéditeur ou traitée par un collègue). Relisez-la : votre décision n’a pas été enregistrée.",
    ),
    (
        "review.refused.entry_changed",
        "La fiche à corriger a été modifiée depuis que vous avez ouvert la demande. Relisez la comparaison : rien n’a été enregistré.",
    ),
    (
        "review.refused.message_too_long",
        "Le message est trop long : 5 000 caractères au plus. Rien n’a été enregistré.",
    ),
    (
        "review.refused.message_required",
        "Écrivez un message pour l’expéditeur : il est obligatoire pour demander des modifications ou refuser pour une autre raison.",
    ),
    // Workshops: the trainer's pages, the login cards, the sandbox
    ("workshop.menu", "Ateliers"),
    ("workshop.menu_trainee", "Mon atelier (entraînement)"),
    ("workshop.list_title", "Ateliers numériques"),
    (
        "workshop.list_intro",
        "Préparez un atelier : lieu crée un compte d’entraînement par participant, valable le jour de l’atelier seulement, et un bac à sable où chacun s’exerce sans rien publier.",
    ),
    ("workshop.new", "Préparer un atelier"),
    ("workshop.title", "Titre de l’atelier"),
    (
        "workshop.title_hint",
        "Par exemple : « Créer son adresse e-mail ». 120 caractères au plus.",
    ),
    ("workshop.day", "Date"),
    (
        "workshop.day_hint",
        "D’aujourd’hui à un an au plus. Format : jj/mm/aaaa.",
    ),
    ("workshop.participants", "Nombre de participants"),
    (
        "workshop.participants_hint",
        "De 1 à 30 : une carte de connexion par participant.",
    ),
    ("workshop.material", "Pages de départ"),
    (
        "workshop.material_hint",
        "Les supports d’atelier copiés dans le bac à sable, dans l’ordre de la journée. La réinitialisation les remet dans leur état d’origine.",
    ),
    (
        "workshop.no_material",
        "Aucun support d’atelier n’est disponible sur ce site.",
    ),
    ("workshop.create", "Créer l’atelier et ses comptes"),
    ("workshop.list_heading", "Vos ateliers"),
    ("workshop.none", "Aucun atelier pour l’instant."),
    ("workshop.state", "État"),
    ("workshop.open", "Comptes actifs"),
    ("workshop.over", "Terminé"),
    (
        "workshop.created",
        "L’atelier est prêt : {n} comptes d’entraînement ont été créés. Imprimez les cartes de connexion avant l’atelier.",
    ),
    ("workshop.print_cards", "Imprimer les cartes de connexion"),
    (
        "workshop.reset_done",
        "Le bac à sable a été réinitialisé : les pages de départ sont revenues, la file et la boîte d’entraînement sont vides.",
    ),
    (
        "workshop.accounts_end",
        "Les comptes d’entraînement fonctionnent jusqu’au",
    ),
    (
        "workshop.accounts_ended",
        "Les comptes d’entraînement ne fonctionnent plus depuis le",
    ),
    ("workshop.last_reset", "Dernière réinitialisation le"),
    ("workshop.actions", "Actions sur l’atelier"),
    ("workshop.plan", "Déroulé de la journée"),
    (
        "workshop.plan_empty",
        "Aucune page de départ : les participants créent leurs propres pages.",
    ),
    ("workshop.participants_heading", "Participants"),
    ("workshop.seat", "Place"),
    ("workshop.login", "Identifiant"),
    ("workshop.password", "Mot de passe"),
    ("workshop.trainee_name", "Participant"),
    ("workshop.trainer_page", "Page de l’atelier"),
    ("workshop.cards_title", "Cartes de connexion"),
    (
        "workshop.cards_how",
        "Imprimez cette page avec la commande « Imprimer » du navigateur (Ctrl+P) : seules les cartes sont imprimées, une par participant. Découpez-les et remettez-en une à chacun.",
    ),
    (
        "workshop.cards_over",
        "L’atelier est terminé : les comptes ne fonctionnent plus et les mots de passe ont été effacés.",
    ),
    ("workshop.card_heading", "Participant"),
    ("workshop.card_address", "Adresse du site"),
    (
        "workshop.card_note",
        "Valable le {day} seulement. Espace d’entraînement : rien de ce que vous y faites n’est publié.",
    ),
    ("workshop.reset", "Réinitialiser le bac à sable"),
    (
        "workshop.reset_explain",
        "Toutes les pages du bac à sable, les propositions d’entraînement et les courriels d’entraînement seront effacés, puis les pages de départ de l’atelier seront remises dans leur état d’origine. Les comptes des participants restent valables jusqu’à la fin de la journée.",
    ),
    ("workshop.reset_confirm", "Oui, tout réinitialiser"),
    (
        "workshop.banner",
        "Espace d’entraînement — rien ici n’est publié",
    ),
    (
        "workshop.banner_explain",
        "Les pages, les propositions et les courriels de cet espace sont des exercices : personne d’autre que l’atelier ne les voit, et aucun courriel n’est envoyé.",
    ),
    ("workshop.sandbox_short", "entraînement"),
    ("workshop.sandbox_menu", "Menu de l’espace d’entraînement"),
    ("workshop.sandbox_pages", "Pages d’entraînement"),
    (
        "workshop.sandbox_intro",
        "Les pages d’entraînement de l’atelier",
    ),
    ("workshop.new_page", "Créer une page d’entraînement"),
    (
        "workshop.no_pages",
        "Aucune page pour l’instant : créez la première.",
    ),
    (
        "workshop.missing_page",
        "Cette page d’entraînement n’existe pas encore",
    ),
    ("workshop.create_it", "La créer"),
    (
        "workshop.conflict_explain",
        "Votre texte n’a pas été enregistré, mais il est conservé dans le formulaire ci-dessous. Reprenez ce qui manque du texte enregistré entre-temps, puis enregistrez à nouveau.",
    ),
    (
        "workshop.conflict_their_text",
        "Le texte enregistré entre-temps",
    ),
    (
        "workshop.practice_form",
        "Formulaire de référencement (entraînement)",
    ),
    (
        "workshop.practice_form_intro",
        "Le même formulaire que celui du site, pour s’exercer : la demande arrive dans la file d’entraînement du formateur, jamais dans l’annuaire.",
    ),
    (
        "workshop.practice_form_note",
        "Entraînement : cette demande ne sera pas publiée, et le courriel de confirmation arrivera dans la boîte d’entraînement de l’atelier.",
    ),
    (
        "workshop.sender_hint",
        "Vous pouvez inventer un nom et une adresse : aucun courriel n’est envoyé.",
    ),
    (
        "workshop.sender_email_hint",
        "Le message de confirmation s’affichera dans la boîte d’entraînement, sans être envoyé. Exemple : prenom.nom@exemple.fr",
    ),
    (
        "workshop.practice_sent",
        "Votre demande d’entraînement est envoyée. Le message de confirmation est dans la boîte d’entraînement.",
    ),
    ("workshop.queue", "File d’entraînement"),
    (
        "workshop.queue_intro",
        "Les demandes envoyées par les participants avec le formulaire d’entraînement. Traitez-les comme un agent : les messages de décision arrivent dans la boîte d’entraînement.",
    ),
    (
        "workshop.decide_note",
        "Entraînement : accepter ne publie rien, et le message au demandeur arrive dans la boîte d’entraînement.",
    ),
    ("workshop.back_to_queue", "Retour à la file d’entraînement"),
    (
        "workshop.approve",
        "Approuver (entraînement : rien n’est publié)",
    ),
    (
        "workshop.status_approved",
        "acceptée (entraînement : rien n’est publié)",
    ),
    ("workshop.mailbox", "Courriels d’entraînement"),
    (
        "workshop.mailbox_intro",
        "Les messages que le site aurait envoyés pendant l’exercice. Ils ne sont jamais envoyés : ils restent ici.",
    ),
    ("workshop.mailbox_empty", "Aucun courriel pour l’instant."),
    ("workshop.mail_date", "Date"),
    ("workshop.mail_to", "Destinataire"),
    ("workshop.mail_subject", "Objet"),
    ("workshop_title_required", "Indiquez le titre de l’atelier."),
    (
        "workshop_title_too_long",
        "Le titre est trop long : 120 caractères au plus.",
    ),
    ("workshop_day_required", "Indiquez la date de l’atelier."),
    (
        "workshop_day_invalid",
        "La date n’est pas valide : écrivez-la sous la forme jj/mm/aaaa, par exemple 03/12/2026.",
    ),
    (
        "workshop_day_past",
        "Cette date est passée : choisissez aujourd’hui ou un jour à venir.",
    ),
    (
        "workshop_day_too_far",
        "L’atelier doit avoir lieu dans l’année qui vient.",
    ),
    (
        "workshop_participants_required",
        "Indiquez le nombre de participants.",
    ),
    (
        "workshop_participants_invalid",
        "Le nombre de participants doit être un nombre entier, par exemple 8.",
    ),
    (
        "workshop_participants_range",
        "Un atelier compte de 1 à 30 participants.",
    ),
    (
        "workshop_material_unknown",
        "Une des pages de départ choisies n’existe plus : vérifiez la liste et choisissez à nouveau.",
    ),
    // Members: signing up, confirming one's address, the agents' pages of the members.
    ("signup.menu", "Créer un compte"),
    ("signup.title", "Créer un compte"),
    (
        "signup.intro",
        "Un compte vous permet de poser vos questions et de répondre dans les échanges. Modifier le wiki et l’annuaire reste le travail de l’équipe du lieu partagé.",
    ),
    (
        "signup.name_hint",
        "Il est affiché à côté de vos messages : votre prénom et votre nom, ou un pseudonyme.",
    ),
    (
        "signup.email_hint",
        "Nous vous y enverrons un lien pour la confirmer : vous pourrez écrire une fois l’adresse confirmée.",
    ),
    ("signup.privacy", "Vos données"),
    (
        "signup.kept",
        "Nous gardons le nom affiché, votre adresse e-mail (jamais montrée aux autres), votre mot de passe chiffré et les messages que vous écrivez.",
    ),
    (
        "signup.kept_how_long",
        "Ils sont gardés tant que votre compte existe. Vous pouvez le supprimer à tout moment depuis la page « Mon compte » : vos messages restent alors signés « Compte supprimé », ou sont effacés si vous le demandez.",
    ),
    (
        "signup.consent",
        "J’accepte que ces données soient gardées pour tenir mon compte et publier mes messages.",
    ),
    (
        "signup.consent_required",
        "Cochez la case pour accepter que ces données soient gardées : sans elles, pas de compte.",
    ),
    ("signup.submit", "Créer mon compte"),
    ("signup.have_account", "Vous avez déjà un compte ?"),
    (
        "signup.too_many",
        "Trop de demandes envoyées depuis votre connexion : réessayez dans une heure, ou passez au lieu partagé.",
    ),
    ("signup.sent.title", "Vérifiez votre messagerie"),
    (
        "signup.sent.explain",
        "Un message vient d’être envoyé à l’adresse indiquée. Ouvrez le lien qu’il contient pour confirmer votre adresse : vous pourrez alors écrire dans les échanges.",
    ),
    (
        "signup.sent.spam",
        "Rien reçu d’ici quelques minutes ? Regardez dans les indésirables, ou demandez un nouveau lien depuis la page « Mon compte ».",
    ),
    ("confirm.title", "Confirmer votre adresse"),
    (
        "confirm.intro",
        "Confirmez que cette adresse est bien la vôtre :",
    ),
    ("confirm.submit", "Confirmer mon adresse"),
    (
        "confirm.invalid",
        "Ce lien a déjà servi, a expiré ou a été remplacé par un plus récent. Connectez-vous et demandez un nouveau lien depuis la page « Mon compte ».",
    ),
    ("account.unconfirmed", "Confirmez votre adresse e-mail."),
    (
        "account.unconfirmed_explain",
        "Vous pourrez écrire dans les échanges une fois votre adresse confirmée, par le lien envoyé à",
    ),
    ("account.resend", "Envoyer le lien à nouveau"),
    (
        "account.suspended",
        "Votre compte est suspendu des échanges.",
    ),
    (
        "account.suspended_until",
        "Vous pourrez à nouveau écrire le",
    ),
    ("account.suspended_reason", "Motif donné par l’équipe :"),
    (
        "account.done.confirmed",
        "Votre adresse est confirmée : vous pouvez écrire dans les échanges.",
    ),
    (
        "account.done.link_sent",
        "Un nouveau lien vient de vous être envoyé. Le précédent ne fonctionne plus.",
    ),
    (
        "account.done.already_confirmed",
        "Votre adresse est déjà confirmée.",
    ),
    ("account.delete_posts", "Vos messages dans les échanges"),
    (
        "account.delete_posts_keep",
        "Les laisser, signés « Compte supprimé » : les réponses des autres gardent leur sens.",
    ),
    (
        "account.delete_posts_erase",
        "Les effacer (droit à l’effacement) : leur texte disparaît, et les titres des sujets que vous avez ouverts aussi.",
    ),
    ("members.menu", "Membres"),
    ("members.title", "Membres"),
    (
        "members.intro",
        "Les habitants qui ont créé leur compte pour écrire dans les échanges.",
    ),
    ("members.search", "Chercher un membre"),
    (
        "members.search_hint",
        "Le début du nom, de l’@nom, ou de l’adresse e-mail (avec le @).",
    ),
    ("members.search_submit", "Chercher"),
    ("members.none", "Aucun membre trouvé."),
    ("members.handle", "@nom"),
    ("members.state.active", "Actif"),
    ("members.state.unconfirmed", "Adresse à confirmer"),
    ("members.state.suspended", "Suspendu"),
    ("members.state.closed", "Fermé"),
    ("members.confirmed", "Adresse confirmée"),
    ("members.approved_posts", "Messages publiés"),
    ("members.suspended_until", "Suspendu jusqu’au"),
    ("members.reason", "Motif"),
    ("members.organisation", "Organisation représentée"),
    ("members.no_organisation", "Aucune"),
    ("members.suspend", "Suspendre"),
    (
        "members.suspend_hint",
        "Une suspension empêche d’écrire dans les échanges. Indiquez une durée en jours ou une date de fin, et un motif : le membre le lira sur sa page « Mon compte ».",
    ),
    ("members.days", "Durée en jours"),
    ("members.days_hint", "De 1 à 3650 jours."),
    ("members.until", "Ou jusqu’au"),
    (
        "members.until_hint",
        "Une date à venir, au plus dans dix ans.",
    ),
    (
        "members.reason_hint",
        "Ce texte est montré au membre : restez factuel et courtois.",
    ),
    ("members.suspend_submit", "Suspendre ce membre"),
    ("members.unsuspend", "Lever la suspension"),
    ("members.hide_all", "Masquer tous ses messages"),
    (
        "members.hide_all_hint",
        "Masque d’un coup tous les messages publiés ou en attente de ce membre (un envoi de publicités, par exemple). Chacun pourra être rétabli depuis la file de modération.",
    ),
    ("members.hide_all_submit", "Masquer tous ses messages"),
    (
        "members.organisation_hint",
        "Une association ou un service de l’annuaire que ce membre représente : ses messages porteront son nom et la mention « vérifié ».",
    ),
    ("members.unlink", "Retirer le lien avec"),
    (
        "members.org_search",
        "Chercher une association ou un service",
    ),
    (
        "members.org_none",
        "Aucune association ni aucun service trouvé.",
    ),
    ("members.link", "Lier à ce membre"),
    ("members.org_slug", "Ou son adresse dans l’annuaire"),
    (
        "members.org_slug_hint",
        "Par exemple « association/club-de-judo » ou « club-de-judo ».",
    ),
    (
        "members.org_unknown",
        "Aucune association ni aucun service publié n’a cette adresse.",
    ),
    ("members.posts", "Ses derniers messages"),
    ("members.posts_none", "Aucun message pour le moment."),
    ("members.untitled", "(sujet sans titre)"),
    ("members.post.visible", "publié"),
    ("members.post.pending", "en attente d’approbation"),
    ("members.post.hidden", "masqué"),
    ("members.post.deleted", "effacé"),
    (
        "members.duration_required",
        "Indiquez une durée en jours ou une date de fin.",
    ),
    (
        "members.duration_twice",
        "Indiquez une durée en jours ou une date de fin, pas les deux.",
    ),
    (
        "members.days_invalid",
        "La durée est un nombre de jours de 1 à 3650.",
    ),
    (
        "members.until_invalid",
        "La date de fin doit être à venir, au plus dans dix ans.",
    ),
    (
        "members.reason_required",
        "Indiquez le motif, que le membre lira.",
    ),
    (
        "members.reason_too_long",
        "Le motif est trop long : 500 caractères au plus.",
    ),
    (
        "members.done.suspended",
        "Le membre est suspendu. Il voit le motif et la fin sur sa page.",
    ),
    ("members.done.unsuspended", "La suspension est levée."),
    ("members.done.hidden", "Tous ses messages sont masqués."),
    (
        "members.done.organisation",
        "L’organisation représentée est enregistrée.",
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
            include_str!("views/form.rs"),
            include_str!("views/directory/entry.rs"),
            include_str!("views/directory/form.rs"),
            include_str!("views/directory/format.rs"),
            include_str!("views/directory/json_ld.rs"),
            include_str!("views/directory/lists.rs"),
            include_str!("views/directory/manage.rs"),
            include_str!("views/agenda.rs"),
            include_str!("views/search.rs"),
            include_str!("handlers/directory.rs"),
            include_str!("handlers/agenda.rs"),
            include_str!("handlers/wiki.rs"),
            include_str!("handlers/feed.rs"),
            include_str!("handlers/search.rs"),
            include_str!("views/search_admin.rs"),
            include_str!("handlers/search_admin.rs"),
            include_str!("views/members.rs"),
            include_str!("handlers/members.rs"),
            include_str!("views/accounts.rs"),
            include_str!("handlers/account.rs"),
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
            "form_expired",
            "entry_slug_taken",
            "title_unchanged",
            "body_required",
            "body_too_long",
            "summary_too_long",
            "entry_title_required",
            "entry_summary_too_long",
            "summary_required",
            "commune_required",
            "commune_unknown",
            "text_too_long",
            "field_too_long",
            "category_unknown",
            "value_unknown",
            "contract_required",
            "employer_required",
            "how_to_apply_required",
            "date_invalid",
            "datetime_invalid",
            "date_out_of_range",
            "expires_on_required",
            "expires_in_the_past",
            "expires_too_far",
            "housing_type_required",
            "amount_invalid",
            "number_invalid",
            "starts_at_required",
            "ends_before_start",
            "weekly_until_before_start",
            "weekly_until_too_far",
            "phone_invalid",
            "email_invalid",
            "website_invalid",
            "opening_hours_invalid",
            "synonym_too_few",
            "synonym_too_long",
            "synonym_bad_chars",
            "synonym_too_many",
            "synonym_word_required",
            "synonym_one_phrase",
            "synonym_same_word",
            "synonym_group_gone",
            "sender_name_required",
            "sender_email_required",
            "sender_field_too_long",
            "consent_required",
            "submit.kind_hint.service",
            "submit.kind_hint.association",
            "submit.kind_hint.job",
            "submit.kind_hint.housing",
            "submit.kind_hint.event",
            // Keys chosen at run time, out of reach of the source scan.
            "directory.count",
            "directory.count_one",
            "list.result",
            "list.results",
            "yes",
            "no",
            "field.address",
            "field.meeting_place",
            "index.count_one",
            "misses.search_one",
            "misses.searches",
            "synonyms.count",
            "synonyms.count_one",
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
