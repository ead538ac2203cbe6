//! The messages lieu sends, in French, each with a text part and an HTML part built from the
//! same words. Every value put in the HTML part is escaped by maud.

use lieu_store::mail::NewMail;
use maud::{DOCTYPE, Markup, html};

/// The frame of every HTML part: the words, then who sends it.
fn frame(site_name: &str, base_url: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head { meta charset="utf-8"; title { (site_name) } }
            body style="font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #1e1e1e;" {
                (body)
                hr;
                p style="font-size: 14px; color: #3a3a3a;" {
                    (site_name) " — " a href=(base_url) { (base_url) }
                }
            }
        }
    }
    .into_string()
}

fn signature(site_name: &str, base_url: &str) -> String {
    format!("\n-- \n{site_name}\n{base_url}\n")
}

/// The message an admin sends to check the mail settings.
pub fn test_message(site_name: &str, base_url: &str, to: &str) -> NewMail {
    let subject = format!("Courriel d’essai de {site_name}");
    let text = format!(
        "Bonjour,\n\nCe courriel d’essai a été envoyé depuis la page des courriels de \
         {site_name}. S’il vous parvient, les réglages d’envoi fonctionnent.\n{}",
        signature(site_name, base_url)
    );
    let html = frame(
        site_name,
        base_url,
        html! {
            p { "Bonjour," }
            p {
                "Ce courriel d’essai a été envoyé depuis la page des courriels de "
                (site_name) ". S’il vous parvient, les réglages d’envoi fonctionnent."
            }
        },
    );
    NewMail {
        template: "test".into(),
        to: to.to_owned(),
        subject,
        text,
        html,
        ..NewMail::default()
    }
}

/// Who sends: the site's name and public address, in every message.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    pub name: &'a str,
    pub base_url: &'a str,
}

/// One message of the referencing form, from its paragraphs: each paragraph is a list of
/// pieces, text or a link, written as plain text in one part and as HTML in the other.
fn message(
    site: Site<'_>,
    template: &str,
    to: &str,
    subject: String,
    paras: &[Vec<Piece>],
) -> NewMail {
    let mut text = String::from("Bonjour,\n\n");
    for para in paras {
        for piece in para {
            match piece {
                Piece::Text(t) => text.push_str(t),
                Piece::Link(label, url) => {
                    text.push_str(label);
                    text.push_str(" :\n");
                    text.push_str(url);
                }
                Piece::Quote(q) => {
                    for line in q.lines() {
                        text.push_str("> ");
                        text.push_str(line);
                        text.push('\n');
                    }
                }
            }
        }
        text.push_str("\n\n");
    }
    text.push_str(&signature(site.name, site.base_url));
    let html = frame(
        site.name,
        site.base_url,
        html! {
            p { "Bonjour," }
            @for para in paras {
                @if let [Piece::Quote(q)] = para.as_slice() {
                    blockquote style="border-left: 4px solid #6a6a6a; margin: 0 0 1em; padding: 0 1em; white-space: pre-line;" { (q) }
                } @else {
                    p {
                        @for piece in para {
                            @match piece {
                                Piece::Text(t) => (t),
                                Piece::Link(label, url) => a href=(url) { (label) },
                                Piece::Quote(q) => q { (q) },
                            }
                        }
                    }
                }
            }
        },
    );
    NewMail {
        template: template.to_owned(),
        to: to.to_owned(),
        subject,
        text,
        html,
        ..NewMail::default()
    }
}

/// A piece of a paragraph.
enum Piece {
    Text(String),
    /// A link: what it leads to, and its address.
    Link(String, String),
    /// Words of an agent, quoted as they typed them (a paragraph of its own).
    Quote(String),
}

fn text(s: impl Into<String>) -> Piece {
    Piece::Text(s.into())
}

fn link(label: impl Into<String>, url: &str) -> Piece {
    Piece::Link(label.into(), url.to_owned())
}

/// What a message about a submission speaks of.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    /// The entry's title as sent.
    pub title: &'a str,
    /// « une association », « une offre d’emploi »...
    pub kind: &'a str,
    /// The sender's private link (absolute).
    pub tracking_url: &'a str,
}

/// To the sender, once the submission is written.
pub fn received(site: Site<'_>, to: &str, about: About<'_>) -> NewMail {
    message(
        site,
        "submission.received",
        to,
        // Not the title: anyone can have this message sent to any address, and the subject is
        // what a phisher would want to choose.
        "Votre demande de référencement est bien reçue".to_owned(),
        &[
            vec![text(format!(
                "Nous avons bien reçu votre demande de référencement pour « {} » ({}). \
                 Un agent France Services va la relire, en général sous trois jours ouvrés ; \
                 vous recevrez un courriel à chaque étape.",
                about.title, about.kind
            ))],
            vec![link(
                "Pour suivre votre demande, la corriger ou la retirer, gardez ce lien personnel (ne le partagez pas)",
                about.tracking_url,
            )],
            vec![text(
                "Si vous n’êtes pas à l’origine de cette demande, ouvrez le lien ci-dessus et retirez-la : \
                 vos coordonnées seront effacées.",
            )],
        ],
    )
}

/// To each agent, when a submission arrives (or comes back corrected).
pub fn to_review(
    site: Site<'_>,
    to: &str,
    title: &str,
    kind: &str,
    corrected: bool,
    review_url: &str,
) -> NewMail {
    let (subject, what) = if corrected {
        (
            format!("Demande corrigée : « {title} »"),
            format!(
                "L’expéditeur a corrigé sa demande de référencement « {title} » ({kind}) : elle attend de nouveau une décision."
            ),
        )
    } else {
        (
            format!("Nouvelle demande de référencement : « {title} »"),
            format!(
                "Une nouvelle demande de référencement attend une décision : « {title} » ({kind})."
            ),
        )
    };
    message(
        site,
        "submission.to_review",
        to,
        subject,
        &[
            vec![text(what)],
            vec![link("Ouvrir la demande", review_url)],
        ],
    )
}

/// To the sender: an agent asks for changes.
pub fn changes_requested(site: Site<'_>, to: &str, about: About<'_>, request: &str) -> NewMail {
    message(
        site,
        "submission.changes_requested",
        to,
        format!("Votre demande « {} » est à compléter", about.title),
        &[
            vec![text(format!(
                "Un agent France Services a relu votre demande de référencement « {} » et vous demande de la compléter ou de la corriger :",
                about.title
            ))],
            vec![Piece::Quote(request.trim().to_owned())],
            vec![link("Corrigez votre demande ici", about.tracking_url)],
        ],
    )
}

/// To the sender: the entry is published.
pub fn approved(site: Site<'_>, to: &str, about: About<'_>, entry_url: &str) -> NewMail {
    message(
        site,
        "submission.approved",
        to,
        format!("Publiée : « {} »", about.title),
        &[
            vec![text(format!(
                "Votre demande « {} » a été acceptée : la fiche est publiée sur le site.",
                about.title
            ))],
            vec![link("Voir la fiche", entry_url)],
            vec![link(
                "Si quelque chose change (horaires, contact, adresse...), proposez une mise à jour sans compte par votre lien personnel",
                about.tracking_url,
            )],
        ],
    )
}

/// To the sender: the submission is refused, with the reason (`reason`) and the agent's own
/// words (`message`, may be empty).
pub fn rejected(
    site: Site<'_>,
    to: &str,
    about: About<'_>,
    reason: &str,
    words: &str,
    keep_months: i64,
) -> NewMail {
    let mut paras = vec![vec![text(format!(
        "Votre demande de référencement « {} » n’a pas pu être acceptée. Motif : {}.",
        about.title, reason
    ))]];
    if !words.trim().is_empty() {
        paras.push(vec![Piece::Quote(words.trim().to_owned())]);
    }
    paras.push(vec![text(format!(
        "Pour toute question, répondez à l’accueil France Services. Vos coordonnées seront effacées dans {keep_months} mois."
    ))]);
    paras.push(vec![link("Votre demande", about.tracking_url)]);
    message(
        site,
        "submission.rejected",
        to,
        format!("Demande non retenue : « {} »", about.title),
        &paras,
    )
}

/// To the sender of an approved submission, every few months: is the entry still right?
pub fn reminder(
    site: Site<'_>,
    to: &str,
    title: &str,
    entry_url: &str,
    still_valid_url: &str,
    update_url: &str,
) -> NewMail {
    message(
        site,
        "submission.reminder",
        to,
        format!("Votre fiche « {title} » est-elle toujours à jour ?"),
        &[
            vec![text(format!(
                "Votre fiche « {title} » est publiée sur le site. Pour que les habitants trouvent des informations justes, pouvez-vous nous dire si elle est toujours à jour ?"
            ))],
            vec![link("Voir la fiche", entry_url)],
            vec![link(
                "Oui, tout est juste : un clic suffit",
                still_valid_url,
            )],
            vec![link(
                "Quelque chose a changé : proposer une mise à jour",
                update_url,
            )],
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_part_escapes_what_it_is_given() {
        let m = test_message("<b>Lieu</b> & co", "https://lieu.example.org", "a@b.fr");
        assert!(m.html.contains("&lt;b&gt;Lieu&lt;/b&gt; &amp; co"));
        assert!(!m.html.contains("<b>Lieu"));
        assert!(m.text.contains("<b>Lieu</b> & co"), "text is text");
        assert!(m.html.starts_with("<!DOCTYPE html><html lang=\"fr\">"));
    }

    #[test]
    fn a_refusal_quotes_the_agent_and_escapes_every_value() {
        let site = Site {
            name: "Lieu",
            base_url: "https://lieu.example.org",
        };
        let about = About {
            title: "<script>x</script>",
            kind: "une association",
            tracking_url: "https://lieu.example.org/suivi/abc",
        };
        let m = rejected(
            site,
            "a@b.fr",
            about,
            "hors du territoire",
            "Ligne 1\n<b>Ligne 2</b>",
            12,
        );
        assert!(
            m.subject.contains("<script>x</script>"),
            "the subject is text"
        );
        assert!(!m.html.contains("<script>x"), "{}", m.html);
        assert!(!m.html.contains("<b>Ligne"), "{}", m.html);
        assert!(m.html.contains("&lt;b&gt;Ligne 2&lt;/b&gt;"));
        assert!(m.text.contains("> Ligne 1\n> <b>Ligne 2</b>"), "{}", m.text);
        assert!(m.text.contains("https://lieu.example.org/suivi/abc"));
        assert!(
            m.html
                .contains("href=\"https://lieu.example.org/suivi/abc\"")
        );
        assert!(m.text.contains("12 mois"));
        // Without words of the agent's own, no empty quote.
        let bare = rejected(site, "a@b.fr", about, "doublon", " ", 12);
        assert!(!bare.html.contains("blockquote"));
    }
}

/// To someone an administrator invites: the link to choose their name and password.
pub fn invitation(
    site: Site<'_>,
    to: &str,
    role: &str,
    invited_by: &str,
    url: &str,
    valid_days: i64,
) -> NewMail {
    message(
        site,
        "account.invitation",
        to,
        format!("Invitation à rejoindre l’équipe de {}", site.name),
        &[
            vec![text(format!(
                "{invited_by} vous invite à rejoindre l’équipe du site {} avec le rôle « {role} ».",
                site.name
            ))],
            vec![link(
                "Pour accepter, choisissez votre nom et votre mot de passe ici (ce lien personnel ne sert qu’une fois)",
                url,
            )],
            vec![text(format!(
                "Le lien reste valable {valid_days} jours. Si vous ne vous attendiez pas à cette invitation, ignorez ce courriel : aucun compte ne sera ouvert."
            ))],
        ],
    )
}

/// To someone who asked for a new password: the link to choose it.
pub fn password_reset(site: Site<'_>, to: &str, url: &str, valid_minutes: i64) -> NewMail {
    message(
        site,
        "account.reset",
        to,
        format!("Nouveau mot de passe pour {}", site.name),
        &[
            vec![text(
                "Quelqu’un (sans doute vous) a demandé un nouveau mot de passe pour votre compte.",
            )],
            vec![link(
                "Pour le choisir, ouvrez ce lien personnel (il ne sert qu’une fois)",
                url,
            )],
            vec![text(format!(
                "Le lien reste valable {valid_minutes} minutes. Si vous n’avez rien demandé, ignorez ce courriel : votre mot de passe actuel reste valable."
            ))],
        ],
    )
}

/// To a resident who just signed up (or asked again): the link that confirms their address.
pub fn address_confirmation(site: Site<'_>, to: &str, url: &str, valid_hours: i64) -> NewMail {
    message(
        site,
        "account.confirmation",
        to,
        format!("Confirmez votre adresse sur {}", site.name),
        &[
            vec![text(format!(
                "Un compte vient d’être créé sur {} avec cette adresse.",
                site.name
            ))],
            vec![link(
                "Pour confirmer votre adresse et pouvoir écrire dans les échanges, ouvrez ce lien personnel (il ne sert qu’une fois)",
                url,
            )],
            vec![text(format!(
                "Le lien reste valable {valid_hours} heures. Si vous n’avez pas créé de compte, ignorez ce courriel : l’adresse ne sera pas confirmée."
            ))],
        ],
    )
}

/// To the owner of an address someone tried to sign up with again: no second account was
/// made; what to do if it was them.
pub fn signup_address_taken(
    site: Site<'_>,
    to: &str,
    login_url: &str,
    forgot_url: &str,
) -> NewMail {
    message(
        site,
        "account.signup_taken",
        to,
        format!("Votre compte sur {}", site.name),
        &[
            vec![text(format!(
                "Quelqu’un (sans doute vous) a voulu créer un compte sur {} avec cette adresse. Un compte existe déjà avec elle : aucun autre n’a été créé.",
                site.name
            ))],
            vec![link("Pour vous connecter", login_url)],
            vec![link("Si vous avez oublié votre mot de passe", forgot_url)],
            vec![text(
                "Si ce n’est pas vous, ignorez ce courriel : rien n’a changé sur votre compte.",
            )],
        ],
    )
}

/// To the account's address, after its password or its address changed: if it was not the
/// owner, they know at once.
pub fn account_changed(site: Site<'_>, to: &str, what: &str, login_url: &str) -> NewMail {
    message(
        site,
        "account.changed",
        to,
        format!("Votre compte sur {} a été modifié", site.name),
        &[
            vec![text(format!(
                "Ceci vous confirme une modification de votre compte : {what}."
            ))],
            vec![text(
                "Si ce n’est pas vous, demandez un nouveau mot de passe depuis la page de connexion, puis prévenez l’administrateur du site.",
            )],
            vec![link("Page de connexion", login_url)],
        ],
    )
}

/// One watched page or entry and how it changed, in a digest.
#[derive(Debug, Clone)]
pub struct WatchNews {
    pub title: String,
    /// Where to read it (absolute).
    pub url: String,
    /// « 24/11/2026 à 14:05, Marie Dupont : horaires d’été », oldest first.
    pub changes: Vec<String>,
    /// Changes not listed.
    pub more: i64,
}

/// To someone who watches pages or entries: what changed since the last message.
pub fn watch_digest(site: Site<'_>, to: &str, news: &[WatchNews], account_url: &str) -> NewMail {
    let subject = match news {
        [one] => format!("Modifié : « {} »", one.title),
        _ => format!("{} pages ou fiches que vous suivez ont changé", news.len()),
    };
    let mut paras = vec![vec![text(
        "Voici ce qui a changé dans ce que vous suivez sur le site.",
    )]];
    for item in news {
        paras.push(vec![link(format!("« {} »", item.title), &item.url)]);
        let mut lines: Vec<String> = item.changes.iter().map(|c| format!("– {c}")).collect();
        if item.more > 0 {
            lines.push(format!("– et {} autre(s) modification(s)", item.more));
        }
        paras.push(vec![Piece::Quote(lines.join("\n"))]);
    }
    paras.push(vec![text(
        "Vous recevez au plus un courriel par jour pour chaque page ou fiche suivie.",
    )]);
    paras.push(vec![link(
        "Pour ne plus suivre une page ou une fiche, ouvrez votre compte",
        account_url,
    )]);
    message(site, "watch.digest", to, subject, &paras)
}

/// One notification of the exchange space, as a message tells it.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: lieu_core::exchange::NotificationKind,
    /// Who did it: the author of the post, the agent who approved it...
    pub actor: String,
    /// The thread's title (only of a visible thread).
    pub thread_title: Option<String>,
    /// The beginning of the post (only of a visible post).
    pub excerpt: Option<String>,
    /// Where to read it (absolute): the post, or the notifications page.
    pub url: String,
}

/// The links at the foot of every message of the exchange space.
#[derive(Debug, Clone, Copy)]
pub struct NoticeLinks<'a> {
    /// The account page's e-mail preferences (absolute).
    pub preferences_url: &'a str,
    /// The one-click unsubscribe link (absolute): also in the `List-Unsubscribe` header.
    pub unsubscribe_url: &'a str,
}

/// What happened, in one sentence.
fn notice_sentence(notice: &Notice) -> String {
    use lieu_core::exchange::NotificationKind as K;
    let title = notice.thread_title.as_deref().unwrap_or("");
    let actor = &notice.actor;
    match notice.kind {
        K::Mention => format!("{actor} vous a mentionné dans « {title} »."),
        K::Reply => format!("{actor} a répondu dans « {title} »."),
        K::Thread => format!("{actor} a ouvert un nouveau sujet : « {title} »."),
        K::Approved => format!("Votre message dans « {title} » est publié."),
        K::Answered => format!("Votre question « {title} » a reçu sa réponse."),
        K::Hidden => {
            "Un modérateur a masqué l’un de vos messages dans l’espace d’échange.".to_owned()
        }
        K::Suspended => "Votre compte est suspendu dans l’espace d’échange : la raison et la durée sont indiquées sur le site.".to_owned(),
    }
}

fn notice_subject(notice: &Notice) -> String {
    use lieu_core::exchange::NotificationKind as K;
    let title = notice.thread_title.as_deref().unwrap_or("");
    let actor = &notice.actor;
    match notice.kind {
        K::Mention => format!("{actor} vous a mentionné dans « {title} »"),
        K::Reply => format!("Nouvelle réponse dans « {title} »"),
        K::Thread => format!("Nouveau sujet : « {title} »"),
        K::Approved => format!("Votre message est publié : « {title} »"),
        K::Answered => format!("Votre question a reçu sa réponse : « {title} »"),
        K::Hidden => "Un de vos messages a été masqué".to_owned(),
        K::Suspended => "Votre compte est suspendu dans l’espace d’échange".to_owned(),
    }
}

fn notice_paras(notice: &Notice) -> Vec<Vec<Piece>> {
    let mut paras = vec![vec![text(notice_sentence(notice))]];
    if let Some(excerpt) = notice.excerpt.as_deref().filter(|e| !e.trim().is_empty()) {
        paras.push(vec![Piece::Quote(excerpt.trim().to_owned())]);
    }
    paras
}

fn foot(paras: &mut Vec<Vec<Piece>>, links: NoticeLinks<'_>, daily: bool) {
    paras.push(vec![text(if daily {
        "Vous recevez ce résumé une fois par jour parce que vous l’avez choisi dans votre compte."
    } else {
        "Vous recevez ce courriel parce que vous suivez ce sujet ou cet espace, ou parce qu’on vous a mentionné."
    })]);
    paras.push(vec![link(
        "Pour recevoir un résumé par jour ou aucun courriel, choisissez dans votre compte",
        links.preferences_url,
    )]);
    paras.push(vec![link(
        "Pour ne plus recevoir aucun courriel de l’espace d’échange, un clic suffit",
        links.unsubscribe_url,
    )]);
}

/// One notification of the exchange space, for someone who chose a message per event.
pub fn notification(site: Site<'_>, to: &str, notice: &Notice, links: NoticeLinks<'_>) -> NewMail {
    let mut paras = notice_paras(notice);
    paras.push(vec![link("Lire sur le site", &notice.url)]);
    foot(&mut paras, links, false);
    let mut mail = message(
        site,
        &format!("exchange.{}", notice.kind.as_str()),
        to,
        notice_subject(notice),
        &paras,
    );
    mail.unsubscribe_url = links.unsubscribe_url.to_owned();
    mail
}

/// The day's notifications of the exchange space, for someone who chose a daily digest;
/// `more` were not listed.
pub fn notification_digest(
    site: Site<'_>,
    to: &str,
    notices: &[Notice],
    more: usize,
    links: NoticeLinks<'_>,
    notifications_url: &str,
) -> NewMail {
    let total = notices.len() + more;
    let subject = if total == 1 {
        "Votre résumé du jour : 1 notification".to_owned()
    } else {
        format!("Votre résumé du jour : {total} notifications")
    };
    let mut paras = vec![vec![text(
        "Voici ce qui s’est passé dans l’espace d’échange depuis votre dernier résumé.",
    )]];
    for notice in notices {
        paras.extend(notice_paras(notice));
        paras.push(vec![link("Lire sur le site", &notice.url)]);
    }
    if more > 0 {
        paras.push(vec![link(
            format!("Et {more} autre(s) notification(s) : voyez-les toutes"),
            notifications_url,
        )]);
    }
    foot(&mut paras, links, true);
    let mut mail = message(site, "exchange.digest", to, subject, &paras);
    mail.unsubscribe_url = links.unsubscribe_url.to_owned();
    mail
}

#[cfg(test)]
mod notification_tests {
    use super::*;
    use lieu_core::exchange::NotificationKind;

    const SITE: Site<'static> = Site {
        name: "Lieu",
        base_url: "https://lieu.example.org",
    };
    const LINKS: NoticeLinks<'static> = NoticeLinks {
        preferences_url: "https://lieu.example.org/compte#notifications",
        unsubscribe_url: "https://lieu.example.org/desabonnement/4/abc",
    };

    fn notice(kind: NotificationKind) -> Notice {
        Notice {
            kind,
            actor: "Agnès <b>Agent</b>".into(),
            thread_title: Some("Carte <grise>".into()),
            excerpt: Some("Ligne 1\n<script>x</script>".into()),
            url: "https://lieu.example.org/echanges/sujet/3#message-9".into(),
        }
    }

    #[test]
    fn a_notification_escapes_what_members_wrote_and_carries_its_unsubscribe_link() {
        let m = notification(SITE, "a@b.fr", &notice(NotificationKind::Mention), LINKS);
        assert_eq!(m.template, "exchange.mention");
        assert_eq!(m.unsubscribe_url, LINKS.unsubscribe_url);
        assert!(
            m.subject
                .contains("vous a mentionné dans « Carte <grise> »")
        );
        assert!(!m.html.contains("<script>x"), "{}", m.html);
        assert!(!m.html.contains("<b>Agent"), "{}", m.html);
        assert!(m.text.contains("> <script>x</script>"), "{}", m.text);
        assert!(m.text.contains(LINKS.unsubscribe_url));
        assert!(
            m.html
                .contains("href=\"https://lieu.example.org/desabonnement/4/abc\"")
        );
    }

    #[test]
    fn a_digest_counts_what_it_does_not_list() {
        let notices = [
            notice(NotificationKind::Reply),
            notice(NotificationKind::Thread),
        ];
        let m = notification_digest(
            SITE,
            "a@b.fr",
            &notices,
            3,
            LINKS,
            "https://x/notifications",
        );
        assert_eq!(m.subject, "Votre résumé du jour : 5 notifications");
        assert!(
            m.text.contains("Et 3 autre(s) notification(s)"),
            "{}",
            m.text
        );
        assert_eq!(m.unsubscribe_url, LINKS.unsubscribe_url);
        // What happened to one's own post names neither the thread nor the words.
        let hidden = notification(
            SITE,
            "a@b.fr",
            &Notice {
                thread_title: None,
                excerpt: None,
                ..notice(NotificationKind::Hidden)
            },
            LINKS,
        );
        assert!(!hidden.text.contains("Carte"), "{}", hidden.text);
    }
}
