//! Every route of the site, in one place, and the application with its middleware.

use crate::error::AppError;
use crate::extract::csrf_cookie;
use crate::handlers::{
    account, accounts, agenda, assets, auth, data, directory, exchange, feed, language, mail,
    members, paper, review, search, search_admin, sitemap, submit, wiki, workshop,
};
use crate::state::AppState;
use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::error::UrlencodedError;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{DefaultHeaders, Next, from_fn};
use actix_web::{App, web};
use std::time::Instant;

/// Largest form body read. Well above every content limit (a page body holds 200 KB, which
/// URL-encoding can triple), so that a text too long still reaches its handler and comes back
/// in its form with a French error; only a body larger than this is refused unread, with a
/// page that explains the limit (413).
pub const FORM_LIMIT_BYTES: usize = 4 * 1024 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // actix tries the resources in the order they are registered, with a regular expression
    // for each path that holds a `{parameter}`: a page at the end of this list ran about a
    // hundred of them (14% of a page of the exchange space in callgrind). The most read pages
    // come first, in scopes, whose static prefix is compared as text: every path under a
    // scope must be registered in it, since a scope that matches the prefix but none of its
    // routes answers 404 without looking further.
    cfg.service(exchange_scope()).service(notifications_scope());
    // The JSON API (issue 13) and its page.
    crate::api::routes(cfg);
    // For search engines (issue 13).
    cfg.route("/robots.txt", web::get().to(sitemap::robots))
        .route("/sitemap.xml", web::get().to(sitemap::index))
        .route("/sitemaps/{part}/{n}", web::get().to(sitemap::part));
    cfg.route("/", web::get().to(wiki::home))
        .route("/pages", web::get().to(wiki::index))
        .route("/nouvelle-page", web::get().to(wiki::new_form))
        .route("/nouvelle-page", web::post().to(wiki::create))
        .route("/modifications-recentes", web::get().to(wiki::recent))
        .route(
            "/modifications-recentes.atom",
            web::get().to(feed::recent_changes),
        )
        .route("/wiki/{slug}", web::get().to(wiki::view))
        .route("/wiki/{slug}/modifier", web::get().to(wiki::edit_form))
        .route("/wiki/{slug}/modifier", web::post().to(wiki::edit))
        .route("/wiki/{slug}/historique", web::get().to(wiki::history))
        .route(
            "/wiki/{slug}/revision/{number}",
            web::get().to(wiki::revision),
        )
        .route("/wiki/{slug}/diff", web::get().to(wiki::diff))
        .route("/wiki/{slug}/restaurer", web::post().to(wiki::revert))
        .route("/wiki/{slug}/liens", web::get().to(wiki::backlinks))
        .route("/wiki/{slug}/renommer", web::get().to(wiki::rename_form))
        .route("/wiki/{slug}/renommer", web::post().to(wiki::rename))
        .route("/connexion", web::get().to(auth::login_form))
        .route("/connexion", web::post().to(auth::login))
        .route("/deconnexion", web::post().to(auth::logout))
        .route("/langue", web::get().to(language::switch))
        .route("/static/lieu.css", web::get().to(assets::stylesheet))
        .route("/static/lieu.js", web::get().to(assets::script))
        .route("/donnees", web::get().to(data::page))
        .route("/donnees/metadonnees.json", web::get().to(data::metadata))
        .route("/donnees/{format}/{name}", web::get().to(data::file))
        .route("/recherche", web::get().to(search::results))
        .route("/recherche/suggestions", web::get().to(search::suggestions))
        .route("/annuaire", web::get().to(directory::home))
        .route(
            "/annuaire/evenements/{slug}.ics",
            web::get().to(agenda::event),
        )
        // The printed directory: before `/annuaire/{kind}` and `/annuaire/{kind}/{slug}`.
        .route("/annuaire/imprimer", web::get().to(paper::choose))
        .route("/annuaire/imprimer/{place}", web::get().to(paper::document))
        .route("/annuaire/{kind}", web::get().to(directory::list))
        .route("/annuaire/{kind}/{slug}", web::get().to(directory::show))
        .route("/agenda", web::get().to(agenda::week))
        .route("/agenda.ics", web::get().to(agenda::feed))
        .route("/agenda/{day}", web::get().to(agenda::day))
        .route(
            "/gestion/fiches/nouvelle",
            web::get().to(directory::new_form),
        )
        .route(
            "/gestion/fiches/nouvelle",
            web::post().to(directory::create),
        )
        .route(
            "/gestion/fiches/{id}/modifier",
            web::get().to(directory::edit_form),
        )
        .route(
            "/gestion/fiches/{id}/modifier",
            web::post().to(directory::update),
        )
        .route(
            "/gestion/fiches/{id}/archiver",
            web::post().to(directory::archive),
        )
        .route(
            "/gestion/fiches/{id}/restaurer",
            web::post().to(directory::restore),
        )
        .route(
            "/gestion/fiches/{id}/verifier",
            web::post().to(directory::verify),
        )
        .route(
            "/gestion/fiches/{id}/historique",
            web::get().to(directory::history),
        )
        .route("/gestion/a-verifier", web::get().to(directory::to_verify))
        .route("/gestion/recherches", web::get().to(search_admin::misses))
        .route(
            "/gestion/recherches/synonyme",
            web::post().to(search_admin::add_miss),
        )
        .route("/gestion/synonymes", web::get().to(search_admin::synonyms))
        .route(
            "/gestion/synonymes",
            web::post().to(search_admin::add_group),
        )
        .route(
            "/gestion/synonymes/{id}/modifier",
            web::post().to(search_admin::edit_group),
        )
        .route(
            "/gestion/synonymes/{id}/supprimer",
            web::get().to(search_admin::confirm_delete),
        )
        .route(
            "/gestion/synonymes/{id}/supprimer",
            web::post().to(search_admin::delete_group),
        )
        .route("/referencer", web::get().to(submit::form))
        .route("/referencer", web::post().to(submit::submit))
        .route("/suivi/{token}", web::get().to(submit::tracking))
        .route(
            "/suivi/{token}/corriger",
            web::get().to(submit::correct_form),
        )
        .route("/suivi/{token}/corriger", web::post().to(submit::correct))
        .route(
            "/suivi/{token}/retirer",
            web::get().to(submit::withdraw_form),
        )
        .route("/suivi/{token}/retirer", web::post().to(submit::withdraw))
        .route(
            "/suivi/{token}/toujours-valide",
            web::get().to(submit::still_valid_form),
        )
        .route(
            "/suivi/{token}/toujours-valide",
            web::post().to(submit::still_valid),
        )
        .route("/gestion/propositions", web::get().to(review::queue))
        .route("/gestion/propositions/{id}", web::get().to(review::one))
        .route(
            "/gestion/propositions/{id}/approuver",
            web::post().to(review::approve),
        )
        .route(
            "/gestion/propositions/{id}/modifier",
            web::get().to(review::edit_form),
        )
        .route(
            "/gestion/propositions/{id}/modifier",
            web::post().to(review::edit_and_approve),
        )
        .route(
            "/gestion/propositions/{id}/demander",
            web::post().to(review::request_changes),
        )
        .route(
            "/gestion/propositions/{id}/refuser",
            web::post().to(review::reject),
        )
        .route("/gestion/courriels", web::get().to(mail::list))
        .route("/gestion/courriels/essai", web::post().to(mail::send_test))
        .route(
            "/gestion/courriels/{id}/reessayer",
            web::post().to(mail::retry),
        )
        .route("/gestion/comptes", web::get().to(accounts::list))
        .route("/gestion/comptes/inviter", web::post().to(accounts::invite))
        .route("/gestion/comptes/{id}", web::get().to(accounts::one))
        .route(
            "/gestion/comptes/{id}/role",
            web::post().to(accounts::set_role),
        )
        .route(
            "/gestion/comptes/{id}/desactiver",
            web::post().to(accounts::close),
        )
        .route(
            "/gestion/comptes/{id}/reactiver",
            web::post().to(accounts::reopen),
        )
        .route(
            "/gestion/comptes/{id}/reinviter",
            web::post().to(accounts::reinvite),
        )
        .route(
            "/invitation/{token}",
            web::get().to(accounts::invitation_form),
        )
        .route(
            "/invitation/{token}",
            web::post().to(accounts::accept_invitation),
        )
        .route("/mot-de-passe-oublie", web::get().to(accounts::forgot_form))
        .route("/mot-de-passe-oublie", web::post().to(accounts::forgot))
        .route("/mot-de-passe/{token}", web::get().to(accounts::reset_form))
        .route("/mot-de-passe/{token}", web::post().to(accounts::reset))
        .route("/compte", web::get().to(account::show))
        .route("/compte", web::post().to(account::update_profile))
        .route(
            "/compte/mot-de-passe",
            web::post().to(account::change_password),
        )
        .route("/compte/supprimer", web::get().to(account::delete_form))
        .route("/compte/supprimer", web::post().to(account::delete))
        .route("/compte/supprime", web::get().to(account::deleted))
        .route("/suivis", web::post().to(account::watch));

    // The exchange space (issue 12): categories, the discussions of pages and entries,
    // threads and posts, moderation.
    cfg.route(
        "/wiki/{slug}/discussion",
        web::get().to(exchange::page_discussion),
    )
    .route(
        "/wiki/{slug}/discussion/nouveau",
        web::get().to(exchange::new_page_thread),
    )
    .route(
        "/wiki/{slug}/discussion/nouveau",
        web::post().to(exchange::create_page_thread),
    )
    .route(
        "/annuaire/{kind}/{slug}/discussion",
        web::get().to(exchange::entry_discussion),
    )
    .route(
        "/annuaire/{kind}/{slug}/discussion/nouveau",
        web::get().to(exchange::new_entry_thread),
    )
    .route(
        "/annuaire/{kind}/{slug}/discussion/nouveau",
        web::post().to(exchange::create_entry_thread),
    )
    .route("/gestion/moderation", web::get().to(exchange::queue))
    .route("/gestion/echanges", web::get().to(exchange::admin))
    .route(
        "/gestion/echanges/reglages",
        web::post().to(exchange::save_settings),
    )
    .route(
        "/gestion/echanges/categories",
        web::post().to(exchange::create_category),
    )
    .route(
        "/gestion/echanges/categories/{id}",
        web::post().to(exchange::update_category),
    );

    // Notifications of the exchange space (issue 12): one's notifications and follows, the
    // follow buttons, the e-mail preferences, the one-click unsubscribe link of the messages.
    use crate::handlers::notifications;
    cfg.route("/suivre", web::post().to(notifications::follow))
        .route("/ne-plus-suivre", web::post().to(notifications::unfollow))
        .route(
            "/compte/notifications",
            web::post().to(notifications::preferences),
        )
        .route(
            "/desabonnement/{user}/{key}",
            web::get().to(notifications::unsubscribe_form),
        )
        .route(
            "/desabonnement/{user}/{key}",
            web::post().to(notifications::unsubscribe),
        );

    // Members: signing up, confirming one's address, the agents' pages of the members.
    cfg.route("/inscription", web::get().to(members::signup_form))
        .route("/inscription", web::post().to(members::signup))
        .route("/inscription/envoyee", web::get().to(members::signup_sent))
        .route("/confirmer/{token}", web::get().to(members::confirm_form))
        .route("/confirmer/{token}", web::post().to(members::confirm))
        .route("/compte/confirmation", web::post().to(members::resend))
        .route("/gestion/membres", web::get().to(members::list))
        .route("/gestion/membres/{id}", web::get().to(members::one))
        .route(
            "/gestion/membres/{id}/suspendre",
            web::post().to(members::suspend),
        )
        .route(
            "/gestion/membres/{id}/lever",
            web::post().to(members::unsuspend),
        )
        .route(
            "/gestion/membres/{id}/masquer",
            web::post().to(members::hide_posts),
        )
        .route(
            "/gestion/membres/{id}/organisation",
            web::post().to(members::organisation),
        );
    // Workshops: the trainer's pages, and the sandbox of each workshop.
    cfg.route("/atelier", web::get().to(workshop::mine))
        .route("/atelier/referencer", web::get().to(workshop::mine_form))
        .route("/ateliers", web::get().to(workshop::index))
        .route("/ateliers", web::post().to(workshop::create))
        .route("/ateliers/{id}", web::get().to(workshop::show))
        .route("/ateliers/{id}/cartes", web::get().to(workshop::cards))
        .route(
            "/ateliers/{id}/reinitialiser",
            web::get().to(workshop::reset_form),
        )
        .route(
            "/ateliers/{id}/reinitialiser",
            web::post().to(workshop::reset),
        )
        .route(
            "/ateliers/{id}/bac-a-sable",
            web::get().to(workshop::sandbox),
        )
        .route(
            "/ateliers/{id}/bac-a-sable/{slug}",
            web::get().to(workshop::page),
        )
        .route(
            "/ateliers/{id}/bac-a-sable/{slug}/modifier",
            web::get().to(workshop::edit_form),
        )
        .route(
            "/ateliers/{id}/bac-a-sable/{slug}/modifier",
            web::post().to(workshop::edit),
        )
        .route(
            "/ateliers/{id}/nouvelle-page",
            web::get().to(workshop::new_page_form),
        )
        .route(
            "/ateliers/{id}/nouvelle-page",
            web::post().to(workshop::create_page),
        )
        .route(
            "/ateliers/{id}/referencer",
            web::get().to(workshop::practice_form),
        )
        .route(
            "/ateliers/{id}/referencer",
            web::post().to(workshop::practice_submit),
        )
        .route(
            "/ateliers/{id}/propositions",
            web::get().to(workshop::queue),
        )
        .route(
            "/ateliers/{id}/propositions/{pid}",
            web::get().to(workshop::submission),
        )
        .route(
            "/ateliers/{id}/propositions/{pid}/approuver",
            web::post().to(workshop::approve),
        )
        .route(
            "/ateliers/{id}/propositions/{pid}/demander",
            web::post().to(workshop::request_changes),
        )
        .route(
            "/ateliers/{id}/propositions/{pid}/refuser",
            web::post().to(workshop::reject),
        )
        .route("/ateliers/{id}/courriels", web::get().to(workshop::mailbox))
        .route(
            "/ateliers/{id}/courriels/{mid}",
            web::get().to(workshop::mail),
        )
        // The workshop's practice space of the exchange (its threads' own pages are the
        // exchange's, which check who may see them).
        .route(
            "/ateliers/{id}/echanges",
            web::get().to(exchange::practice_space),
        )
        .route(
            "/ateliers/{id}/echanges/nouveau",
            web::get().to(exchange::new_practice_thread),
        )
        .route(
            "/ateliers/{id}/echanges/nouveau",
            web::post().to(exchange::create_practice_thread),
        )
        .route(
            "/ateliers/{id}/echanges/moderation",
            web::get().to(exchange::practice_queue),
        );
}

/// The Content-Security-Policy. Scripts only from this site's own files (the one script,
/// `/static/lieu.js`, adds suggestions to the search box; no inline script, no `eval`), and
/// images from other sites unless the admin allows them: an image in a page is fetched by
/// every reader's browser, so an outside one would tell its host who reads what.
pub fn content_security_policy(allow_external_images: bool) -> String {
    let img_src = if allow_external_images {
        "'self' data: https:"
    } else {
        "'self' data:"
    };
    format!(
        "default-src 'self'; img-src {img_src}; style-src 'self'; script-src 'self'; \
         object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
}

/// Headers sent with every response.
fn security_headers(allow_external_images: bool) -> DefaultHeaders {
    DefaultHeaders::new()
        .add((
            "Content-Security-Policy",
            content_security_policy(allow_external_images),
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
}

/// A form that could not be read: too large is said as such (413, with what to do); anything
/// else is a malformed request.
fn form_error(err: UrlencodedError) -> AppError {
    match err {
        UrlencodedError::Overflow { size, limit } => {
            tracing::info!(size, limit, "form body over the limit");
            AppError::TooLarge(limit)
        }
        other => AppError::BadRequest(other.to_string()),
    }
}

/// Bodies refused by an extractor other than `web::Form` (the entry forms read raw bytes)
/// come back as actix's bare 413; answer them with the same French page as a form over the
/// limit.
async fn explain_too_large(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let res = next.call(req).await?;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE || is_html {
        return Ok(res.map_into_left_body());
    }
    let (req, _) = res.into_parts();
    let page = AppError::TooLarge(FORM_LIMIT_BYTES).error_response();
    Ok(ServiceResponse::new(req, page).map_into_right_body())
}

/// One log line per request, through `tracing`.
async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.path().to_owned();
    let res = next.call(req).await?;
    tracing::info!(
        %method,
        %path,
        status = res.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    Ok(res)
}

/// After a write (any POST that did not fail), the indexer applies the outbox now rather than
/// at its next tick: what an agent saved shows in search and lists at once. The mail sender
/// is woken too, so that a message written with the change goes out at once.
async fn wake_indexer(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let write = req.method() == actix_web::http::Method::POST;
    let res = next.call(req).await?;
    if write
        && res.status().as_u16() < 400
        && let Some(state) = res.request().app_data::<web::Data<AppState>>()
    {
        state.search.notify();
        state.mail.notify();
    }
    Ok(res)
}

/// The whole application, as `lieu serve` runs it and as the integration tests drive it.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let allow_external_images = state.config.allow_external_images;
    App::new()
        .app_data(state)
        .app_data(
            web::FormConfig::default()
                .limit(FORM_LIMIT_BYTES)
                .error_handler(|err, _| form_error(err).into()),
        )
        // The entry forms read the raw body (repeated fields): same limit as the forms.
        .app_data(web::PayloadConfig::new(FORM_LIMIT_BYTES))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|err, _| AppError::BadRequest(err.to_string()).into()),
        )
        .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
        .configure(routes)
        .default_service(web::to(wiki::not_found))
        .wrap(from_fn(wake_indexer))
        .wrap(from_fn(crate::input::refuse_nul))
        .wrap(from_fn(explain_too_large))
        .wrap(from_fn(csrf_cookie))
        // Outside the middleware above, so that every page they make (a form too large, a
        // refused character) is in the request's language.
        .wrap(from_fn(crate::i18n::language))
        .wrap(security_headers(allow_external_images))
        .wrap(from_fn(crate::compress::gzip))
        .wrap(from_fn(log_request))
}

/// The exchange space (issue 12): categories, threads, posts, their feeds. The discussions of
/// pages and entries live under `/wiki` and `/annuaire`, its administration under `/gestion`.
fn exchange_scope() -> actix_web::Scope {
    web::scope("/echanges")
        .route("", web::get().to(exchange::home))
        .route("/sujet/{id}", web::get().to(exchange::thread))
        .route("/{slug}", web::get().to(exchange::category))
        .route("/sujet/{id}/atom.xml", web::get().to(feed::exchange_thread))
        .route("/{slug}/atom.xml", web::get().to(feed::exchange_category))
        .route("/sujet/{id}/repondre", web::post().to(exchange::reply))
        .route("/sujet/{id}/reponse", web::post().to(exchange::mark_answer))
        .route("/sujet/{id}/moderer", web::post().to(exchange::moderate))
        .route("/sujet/{id}/scinder", web::get().to(exchange::split_form))
        .route("/sujet/{id}/scinder", web::post().to(exchange::split))
        .route(
            "/sujet/{id}/page-wiki",
            web::get().to(exchange::to_page_form),
        )
        .route("/sujet/{id}/page-wiki", web::post().to(exchange::to_page))
        .route("/message/{id}", web::get().to(exchange::post_link))
        .route("/message/{id}/modifier", web::get().to(exchange::edit_form))
        .route("/message/{id}/modifier", web::post().to(exchange::edit))
        .route("/message/{id}/historique", web::get().to(exchange::history))
        .route(
            "/message/{id}/signaler",
            web::get().to(exchange::report_form),
        )
        .route("/message/{id}/signaler", web::post().to(exchange::report))
        .route("/message/{id}/decision", web::post().to(exchange::decide))
        .route(
            "/{slug}/nouveau",
            web::get().to(exchange::new_category_thread),
        )
        .route(
            "/{slug}/nouveau",
            web::post().to(exchange::create_category_thread),
        )
}

/// One's notifications and follows (issue 12).
fn notifications_scope() -> actix_web::Scope {
    use crate::handlers::notifications;
    web::scope("/notifications")
        .route("", web::get().to(notifications::page))
        .route("/suivis", web::get().to(notifications::follows_page))
        .route("/lues", web::post().to(notifications::mark_read))
}
