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
    }
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
}
