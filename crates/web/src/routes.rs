//! The route table: every route, the capability it needs and whether it is a
//! page or an API call. The router is built from this table and the access
//! guard is attached to each entry, so a route cannot exist without a rule;
//! the authorisation-matrix test walks the same table.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, RawPathParams, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use tower_sessions::{Expiry, Session, SessionManagerLayer, cookie::SameSite};
use useit_core::auth::{Role, User};
use useit_core::programme::Programme;
use useit_core::{UserId, clock};

use crate::http::ctx::{CsrfPending, Ctx, Via};
use crate::http::error::{ApiError, AppError, PageError};
use crate::http::forms::constant_time_eq;
pub use crate::http::route::{Access, Route, RouteInfo, Surface};
use crate::state::AppState;
use crate::{about, admin, api, audit, auth, health, programme, security, session};

/// Every route of the application.
pub fn table() -> Vec<Route> {
    let mut t = Vec::new();
    t.extend(health::routes());
    t.extend(about::routes());
    t.extend(auth::routes());
    t.extend(programme::routes());
    t.extend(crate::place::routes());
    t.extend(crate::anchors::routes());
    t.extend(crate::talent::routes());
    t.extend(crate::enterprise::routes());
    t.extend(crate::research::routes());
    t.extend(crate::workshops::routes());
    t.extend(crate::community::routes());
    t.extend(audit::routes());
    t.extend(admin::routes());
    t.extend(api::routes());
    t.extend(crate::help::routes());
    t
}

/// The table without handlers, for tests and the documentation.
pub fn describe() -> Vec<RouteInfo> {
    table()
        .into_iter()
        .map(|r| RouteInfo {
            method: r.method,
            path: r.path,
            access: r.access,
            surface: r.surface,
        })
        .collect()
}

#[derive(Clone)]
struct Guard {
    app: AppState,
    access: Access,
    surface: Surface,
}

pub fn router(state: AppState) -> Router {
    let mut by_path: BTreeMap<&'static str, MethodRouter<AppState>> = BTreeMap::new();
    for r in table() {
        let guard = Guard {
            app: state.clone(),
            access: r.access,
            surface: r.surface,
        };
        let handler = r
            .handler
            .layer(middleware::from_fn_with_state(guard, guard_request));
        let merged = match by_path.remove(r.path) {
            Some(existing) => existing.merge(handler),
            None => handler,
        };
        by_path.insert(r.path, merged);
    }
    let mut router = Router::new();
    for (path, mr) in by_path {
        router = router.route(path, mr);
    }
    let sessions = SessionManagerLayer::new(session::DbSessions::new(
        state.store.clone(),
        state.sessions.clone(),
    ))
    .with_name("useit_session")
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.config.secure_cookies)
    .with_path("/")
    .with_expiry(Expiry::OnInactivity(
        time::Duration::try_from(state.config.idle_timeout).unwrap_or(time::Duration::minutes(30)),
    ));
    if state.config.secure_cookies {
        router = router.layer(middleware::from_fn(security::strict_transport));
    }
    router
        .route(
            "/static/{*file}",
            axum::routing::get(security::static_file)
                .layer(tower_http::compression::CompressionLayer::new()),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            state.config.max_upload_bytes,
            crate::http::text::refuse_control_characters,
        ))
        .layer(middleware::from_fn(crate::http::error::shape_bare_refusals))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.max_upload_bytes,
        ))
        .layer(sessions)
        .layer(middleware::from_fn(security::headers))
        .with_state(state)
}

async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        ApiError(AppError::NotFound).into_response()
    } else {
        PageError(AppError::NotFound).into_response()
    }
}

/// The header the guard puts on its own refusals, so a refusal of access
/// can be told from a missing record in logs and tests.
pub const DENIED_HEADER: &str = "x-useit-access";

fn reject(surface: Surface, e: AppError) -> Response {
    let mut res = match surface {
        Surface::Page => PageError(e).into_response(),
        Surface::Api => ApiError(e).into_response(),
    };
    res.headers_mut().insert(
        DENIED_HEADER,
        axum::http::HeaderValue::from_static("denied"),
    );
    res
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// What [`client_address`] says when the connection's peer is not known.
pub const UNKNOWN_ADDRESS: &str = "unknown";

/// The client address, for throttling sign-ins and for the audit log. Behind the one reverse
/// proxy `trust_proxy` says is there, that is the address the proxy saw:
/// the *last* `X-Forwarded-For` entry, the one it appended. Entries before
/// it are whatever the client chose to send, so trusting the first would
/// let a guesser rotate it past the per-address limit.
pub fn client_address(
    req_headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_proxy: bool,
) -> String {
    if trust_proxy
        && let Some(last) = req_headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|a| !a.is_empty())
    {
        return last.to_string();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| UNKNOWN_ADDRESS.into())
}

/// Works out who is asking, checks the route's rule and CSRF, and hands the
/// handler a [`Ctx`].
async fn guard_request(State(g): State<Guard>, req: Request, next: Next) -> Response {
    match guard_inner(&g, req).await {
        Ok((req, _)) => {
            // A programme's pages are written in its language and its money
            // in its currency; the API keeps English words (its clients
            // read codes and numbers) but shows money in the programme's
            // currency. Everything else is English and pounds.
            let locale = req
                .extensions()
                .get::<Ctx>()
                .and_then(|c| c.programme.as_ref())
                .map(|p| match g.surface {
                    Surface::Page => p.locale(),
                    Surface::Api => useit_core::i18n::Locale {
                        currency: p.currency,
                        ..Default::default()
                    },
                })
                .unwrap_or_default();
            useit_core::i18n::scope(locale, next.run(req)).await
        }
        Err(e) => reject(g.surface, e),
    }
}

async fn guard_inner(g: &Guard, req: Request) -> Result<(Request, ()), AppError> {
    let app = &g.app;
    let uri = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let session = req.extensions().get::<Session>().cloned();
    // The `{programme}` a programme's route names.
    let (req, slug) = match g.access {
        Access::Programme(_) => {
            let (mut parts, body) = req.into_parts();
            let slug = RawPathParams::from_request_parts_(&mut parts).await;
            (Request::from_parts(parts, body), slug)
        }
        _ => (req, None),
    };
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let now = clock::now();

    // Who is asking.
    let mut ctx = Ctx {
        user: None,
        via: Via::Anonymous,
        programme: None,
        role: None,
        csrf: String::new(),
        surface: g.surface,
        session: None,
        uri: uri.clone(),
        client: client_address(
            req.headers(),
            peer(req.extensions()),
            app.config.trust_proxy,
        ),
        kept: None,
        read_at: None,
    };
    // The programme the session's account asks for and its role there,
    // when read with the account.
    let mut looked_up: Found = None;
    let token = if g.surface == Surface::Api {
        bearer(req.headers())
    } else {
        None
    };
    if let Some(secret) = token {
        let t = app
            .store
            .token_by_hash(&useit_core::auth::token::hash(secret))
            .await?
            .filter(|t| t.is_usable_at(now))
            .ok_or(AppError::Unauthorized { next: None })?;
        let (user, in_programme) = account(app, None, t.user_id, slug.as_deref()).await?;
        looked_up = in_programme;
        let user = user
            .filter(|u| !u.disabled)
            .ok_or(AppError::Unauthorized { next: None })?;
        if t.last_used_at
            .is_none_or(|l| now - l > time::Duration::minutes(1))
        {
            app.store.touch_token(t.id, now).await?;
        }
        ctx.user = Some(user);
        ctx.via = Via::Token {
            id: t.id,
            programme: t.programme_id,
            role: t.role,
        };
    } else if let Some(s) = &session {
        // The first read loads the session: from memory while its
        // account's counters stand (one statement), with what was read for
        // it before.
        let (uid, got) = session::loaded(slug.clone(), s.get::<UserId>(session::USER)).await;
        let uid = uid.map_err(AppError::internal)?;
        let kept = got.kept.filter(|k| Some(k.user) == uid);
        // A request that only reads serves its kept views under the
        // programme's counters read with the session's; one that writes
        // reads them afresh after its write.
        if !unsafe_method && kept.is_some() {
            ctx.read_at = got.revision;
        }
        if let Some(uid) = uid {
            let signed_in_at: i64 = s
                .get(session::SIGNED_IN_AT)
                .await
                .map_err(AppError::internal)?
                .unwrap_or(0);
            let too_old =
                now.unix_timestamp() - signed_in_at > app.config.absolute_timeout.as_secs() as i64;
            let (user, in_programme) = account(app, kept.as_deref(), uid, slug.as_deref()).await?;
            looked_up = in_programme;
            let user = user.filter(|u| !u.disabled);
            match user {
                Some(u) if !too_old => {
                    let seen: i64 = s
                        .get(session::SEEN_AT)
                        .await
                        .map_err(AppError::internal)?
                        .unwrap_or(0);
                    if now.unix_timestamp() - seen > 60 {
                        // Touching the session extends its idle expiry.
                        s.insert(session::SEEN_AT, now.unix_timestamp())
                            .await
                            .map_err(AppError::internal)?;
                    }
                    ctx.csrf = s
                        .get(session::CSRF)
                        .await
                        .map_err(AppError::internal)?
                        .unwrap_or_default();
                    let hash = s.id().map(|id| session::id_hash(&id)).unwrap_or_default();
                    ctx.user = Some(u);
                    ctx.via = Via::Session { hash };
                    ctx.kept = kept;
                }
                _ => s.flush().await.map_err(AppError::internal)?,
            }
        }
        ctx.session = Some(s.clone());
    }

    // CSRF: only same-origin browsers may post, and signed-in posts must
    // carry the session's token.
    // A request with no credentials at all to a route that needs them is
    // refused below as unsigned-in (401): nothing here could be forged.
    let mut req = req;
    let anonymous_to_protected = ctx.user.is_none() && !matches!(g.access, Access::Public);
    if unsafe_method && !matches!(ctx.via, Via::Token { .. }) && !anonymous_to_protected {
        if !security::same_origin(req.headers()) {
            return Err(AppError::Forbidden);
        }
        if matches!(ctx.via, Via::Session { .. }) {
            req = check_csrf(req, &ctx.csrf, app.config.max_upload_bytes).await?;
        }
    }

    // The route's rule.
    match g.access {
        Access::Public => {}
        Access::SignedIn => {
            ctx.user()?;
        }
        Access::Admin => {
            ctx.user()?;
            if !ctx.is_admin() {
                return Err(AppError::Forbidden);
            }
        }
        Access::Programme(cap) => {
            let user_id = ctx.user()?.id;
            let slug =
                slug.ok_or_else(|| AppError::internal("programme route without {programme}"))?;
            let (programme, held) = match looked_up {
                Some(found) => found.ok_or(AppError::NotFound)?,
                None => {
                    let programme = app
                        .store
                        .programme_by_slug(&slug)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let held = app.store.role_in(user_id, programme.id).await?;
                    (programme, held)
                }
            };
            let role = match &ctx.via {
                // A token works only in its own programme (any other is as
                // missing as one that does not exist, so tokens cannot probe
                // for programmes), and only while its owner still holds the
                // role it was issued with.
                Via::Token {
                    programme: tp,
                    role,
                    ..
                } => {
                    if *tp != programme.id {
                        return Err(AppError::NotFound);
                    }
                    if held != Some(*role) {
                        return Err(AppError::Unauthorized { next: None });
                    }
                    Some(*role)
                }
                _ => held,
            };
            // Not a member: the programme may as well not exist.
            let role = role.ok_or(AppError::NotFound)?;
            ctx.programme = Some(programme);
            ctx.role = Some(role);
            if !role.can(cap) {
                return Err(AppError::Forbidden);
            }
        }
    }
    req.extensions_mut().insert(ctx);
    Ok((req, ()))
}

/// What the guard reads about an account, and on a programme's route the
/// programme and the account's role in it.
type Found = Option<Option<(Programme, Option<Role>)>>;

/// The account, and for a programme's route (`slug`) the programme and the
/// account's role there, read together in one statement; from the kept
/// session when it holds them (checked against the counters in this
/// request), and kept there when read.
async fn account(
    app: &AppState,
    kept: Option<&session::KeptSession>,
    uid: UserId,
    slug: Option<&str>,
) -> Result<(Option<User>, Found), AppError> {
    if let Some(found) = kept.and_then(|k| k.account(slug)) {
        return Ok(found);
    }
    let found = match slug {
        Some(slug) => match app.store.user_in_programme(uid, slug).await? {
            Some((u, p)) => (Some(u), Some(p)),
            None => (None, None),
        },
        None => (app.store.user(uid).await?, None),
    };
    if let Some(k) = kept {
        k.keep_account(slug, &found);
    }
    Ok(found)
}

trait PathParamsExt {
    async fn from_request_parts_(parts: &mut axum::http::request::Parts) -> Option<String>;
}

impl PathParamsExt for RawPathParams {
    /// The `{programme}` segment of the matched path.
    async fn from_request_parts_(parts: &mut axum::http::request::Parts) -> Option<String> {
        use axum::extract::FromRequestParts;
        let params = RawPathParams::from_request_parts(parts, &()).await.ok()?;
        params
            .iter()
            .find(|(k, _)| *k == "programme")
            .map(|(_, v)| v.to_string())
    }
}

/// Checks the CSRF token of a signed-in unsafe request: the `_csrf` field of
/// a URL-encoded form, the `X-CSRF-Token` header, or (for file uploads) the
/// `_csrf` part, checked when [`crate::http::forms::Upload`] reads the form.
async fn check_csrf(req: Request, expected: &str, limit: usize) -> Result<Request, AppError> {
    if expected.is_empty() {
        return Err(AppError::Forbidden);
    }
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if constant_time_eq(h, expected) {
            Ok(req)
        } else {
            Err(AppError::Forbidden)
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if content_type.starts_with("multipart/form-data") {
        let mut req = req;
        req.extensions_mut()
            .insert(CsrfPending(expected.to_string()));
        return Ok(req);
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, limit.min(4 * 1024 * 1024))
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let given = fields
            .iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        if !constant_time_eq(given, expected) {
            return Err(AppError::Forbidden);
        }
        return Ok(Request::from_parts(parts, Body::from(bytes)));
    }
    Err(AppError::Forbidden)
}

/// The peer address the server saw, when it was served with connect info.
pub fn peer(req_ext: &axum::http::Extensions) -> Option<SocketAddr> {
    req_ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
}
