//! The HTTP side: what browsers call (`GET /v1/bundle/{ring}`, `POST /v1/events`), what
//! SIEMs call (`GET /v1/export`), and the admin API the dashboard and scripts use. Thin:
//! every decision is in `rings`, `event` and the store.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::auth;
use crate::dashboard::login::{authenticate, clear_session_cookie, session_cookie};
use crate::error::{Error, Kind, Result};
use crate::event::parse_batch;
use crate::ocsf;
use crate::rings::Rings;
use crate::store::{Scope, Session, Store, TokenRow};
use crate::time::{now_ms, parse_rfc3339_ms};

/// What `serve` is configured with.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest `POST /v1/events` body, bytes.
    pub max_body: usize,
    /// Events per second each enrollment token may send, sustained...
    pub rate: f64,
    /// ...and in a burst.
    pub burst: f64,
    /// Session cookies get `Secure` (served over TLS).
    pub secure_cookies: bool,
    /// How long a session lasts.
    pub session_ms: i64,
    /// Failed log-ins of one admin name from one address before log-in is locked...
    pub login_attempts: i64,
    /// ...for this long after the oldest of them.
    pub lockout_ms: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body: 1024 * 1024,
            rate: 1000.0,
            burst: 20_000.0,
            secure_cookies: false,
            session_ms: 12 * 3600 * 1000,
            login_attempts: 5,
            lockout_ms: 15 * 60 * 1000,
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Per-token token buckets (per console instance).
#[derive(Default)]
struct Limiter {
    buckets: Mutex<HashMap<i64, Bucket>>,
}

impl Limiter {
    /// Takes `n` events from the token's bucket, or says how long to wait.
    fn take(&self, token: i64, n: f64, rate: f64, burst: f64) -> std::result::Result<(), u64> {
        let mut m = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let b = m.entry(token).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * rate).min(burst);
        b.at = now;
        if b.tokens >= n {
            b.tokens -= n;
            Ok(())
        } else {
            Err(((n - b.tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// Token lookups cached briefly, so intake does not read the tokens table per request
/// (a revoked token stops working within TOKEN_CACHE).
const TOKEN_CACHE: Duration = Duration::from_secs(30);

pub struct App<S: Store> {
    pub store: S,
    pub rings: Rings<S>,
    pub limits: Limits,
    limiter: Limiter,
    tokens: Mutex<HashMap<String, (Option<TokenRow>, Instant)>>,
}

pub type Shared<S> = Arc<App<S>>;

impl<S: Store> App<S> {
    pub fn new(rings: Rings<S>, limits: Limits) -> Shared<S> {
        Arc::new(App {
            store: rings.store.clone(),
            rings,
            limits,
            limiter: Limiter::default(),
            tokens: Mutex::new(HashMap::new()),
        })
    }

    async fn token(&self, secret: &str) -> Result<Option<TokenRow>> {
        let d = auth::digest(secret);
        if let Some((t, at)) = self
            .tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&d)
            && at.elapsed() < TOKEN_CACHE
        {
            return Ok(t.clone());
        }
        let t = self.store.token_by_digest(&d).await?;
        let mut m = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() > 10_000 {
            m.clear();
        }
        m.insert(d, (t.clone(), Instant::now()));
        Ok(t)
    }

    /// Who is calling an admin endpoint: an admin token (`Authorization: Bearer`), or a
    /// session cookie, which for anything but GET must come with the session's CSRF token
    /// (header `X-CSRF-Token`, or `csrf_form` from a form field).
    pub async fn admin(
        &self,
        method: &Method,
        headers: &HeaderMap,
        csrf_form: Option<&str>,
    ) -> Result<String> {
        if let Some(secret) = bearer(headers) {
            return match self.token(secret).await? {
                Some(t) if t.scope == Scope::Admin => Ok(format!("token:{}", t.name)),
                Some(_) => Err(Error::new(
                    Kind::Forbidden,
                    "an enrollment token cannot use the admin API",
                )),
                None => Err(Error::new(Kind::Unauthorized, "unknown or revoked token")),
            };
        }
        let Some(sid) = cookie(headers, SESSION_COOKIE) else {
            return Err(Error::new(
                Kind::Unauthorized,
                "log in (POST /v1/admin/login) or send an admin token",
            ));
        };
        let Some(s) = self.store.session(&auth::digest(sid), now_ms()).await? else {
            return Err(Error::new(
                Kind::Unauthorized,
                "the session has expired; log in again",
            ));
        };
        if method != Method::GET && method != Method::HEAD {
            let sent = headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .or(csrf_form);
            if !sent.is_some_and(|c| auth::same(c, &s.csrf)) {
                return Err(Error::new(Kind::Forbidden, "missing or wrong CSRF token"));
            }
        }
        Ok(s.admin)
    }

    /// The session behind the request's cookie, if any (for pages that show the CSRF token).
    pub async fn session(&self, headers: &HeaderMap) -> Result<Option<Session>> {
        match cookie(headers, SESSION_COOKIE) {
            Some(sid) => self.store.session(&auth::digest(sid), now_ms()).await,
            None => Ok(None),
        }
    }
}

pub const SESSION_COOKIE: &str = "dg_session";

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The HTTP status that says what kind of error it is.
pub fn status_of(kind: Kind) -> StatusCode {
    match kind {
        Kind::Invalid => StatusCode::BAD_REQUEST,
        Kind::Unauthorized => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::Refused => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = status_of(self.kind);
        if self.kind == Kind::Internal {
            eprintln!("draftguard-console: {}", self.message);
        }
        let mut body = serde_json::json!({ "error": self.message });
        if let Some(f) = &self.field {
            body["field"] = f.clone().into();
        }
        if let Some(c) = &self.code {
            body["code"] = c.clone().into();
        }
        (status, Json(body)).into_response()
    }
}

/// The client's address (for the log-in lock-out): the TCP peer, when the server was
/// started with connect info (`serve` and the tests are); behind a reverse proxy, the
/// proxy's address.
pub struct ClientIp(pub String);

impl<T: Send + Sync> FromRequestParts<T> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &T,
    ) -> std::result::Result<ClientIp, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string()),
        ))
    }
}

/// Every route.
pub fn router<S: Store>(app: Shared<S>) -> Router {
    Router::new()
        .route("/healthz", get(healthz::<S>))
        .route("/v1/bundle/{ring}", get(bundle::<S>))
        .route("/v1/events", post(events::<S>))
        .route("/v1/export", get(export::<S>))
        .route("/v1/admin/login", post(login::<S>))
        .route("/v1/admin/logout", post(logout::<S>))
        .route("/v1/admin/bundles", get(bundles::<S>).post(upload::<S>))
        .route("/v1/admin/rings", get(rings::<S>))
        .route("/v1/admin/rings/{ring}", post(ring_set::<S>))
        .route("/v1/admin/rings/{ring}/rollback", post(ring_rollback::<S>))
        .route("/v1/admin/promote", post(promote::<S>))
        .route("/v1/admin/activity", get(activity::<S>))
        .merge(crate::dashboard::routes::<S>())
        .with_state(app)
}

async fn healthz<S: Store>(State(app): State<Shared<S>>) -> Result<Json<serde_json::Value>> {
    Ok(Json(serde_json::json!({
        "ok": true,
        "backend": app.store.backend(),
        "schema": app.store.schema_versions().await?,
    })))
}

/// The bundle a ring serves, exactly as the extension fetches a bundle URL: a strong ETag,
/// `304 Not Modified` when `If-None-Match` names it, `no-cache` so every fetch revalidates.
async fn bundle<S: Store>(
    State(app): State<Shared<S>>,
    Path(ring): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let r = app
        .store
        .ring(&ring)
        .await?
        .ok_or_else(|| Error::not_found(format!("ring `{ring}` serves no bundle")))?;
    let etag = r.bundle.etag.clone();
    let cache = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*");
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((
        StatusCode::OK,
        cache,
        [(header::CONTENT_TYPE, "application/json".to_string())],
        r.bundle.text,
    )
        .into_response())
}

/// Audit events: an enrollment token, a body-size limit, a per-token rate limit, strict
/// validation, idempotent by event id.
async fn events<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    let secret = bearer(&headers).ok_or_else(|| {
        Error::new(
            Kind::Unauthorized,
            "send the enrollment token as `Authorization: Bearer TOKEN` (managed key reportToken)",
        )
    })?;
    let token = app
        .token(secret)
        .await?
        .ok_or_else(|| Error::new(Kind::Unauthorized, "unknown or revoked enrollment token"))?;
    let max = app.limits.max_body;
    let too_large = || {
        Error::new(
            Kind::TooLarge,
            format!("the body is larger than {max} bytes; send fewer events per batch"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| too_large())?;
    let now = now_ms();
    let batch = parse_batch(&bytes, now)?;
    if let Err(wait) = app.limiter.take(
        token.id,
        batch.events.len() as f64,
        app.limits.rate,
        app.limits.burst,
    ) {
        let mut r = Error::new(
            Kind::RateLimited,
            format!(
                "too many events for token `{}`; retry in {wait} s",
                token.name
            ),
        )
        .into_response();
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(r);
    }
    let done = app.store.insert_events(&batch, &token.name, now).await?;
    Ok(Json(done).into_response())
}

#[derive(Deserialize)]
struct ExportQuery {
    since: Option<String>,
    after: Option<i64>,
    limit: Option<i64>,
}

/// NDJSON, one OCSF object per line, of events received at or after `since` (RFC 3339)
/// and after `seq` `after`; `X-Draftguard-Last-Seq` gives the `after` for the next page.
async fn export<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> Result<Response> {
    app.admin(&method, &headers, None).await?;
    let since = match q.since.as_deref() {
        Some(s) => parse_rfc3339_ms(s).map_err(|m| Error::field("since", m))?,
        None => 0,
    };
    let limit = q.limit.unwrap_or(10_000);
    if !(1..=100_000).contains(&limit) {
        return Err(Error::field("limit", "must be between 1 and 100000"));
    }
    let rows = app
        .store
        .events_since(since, q.after.unwrap_or(0), limit)
        .await?;
    let last = rows.last().map_or(q.after.unwrap_or(0), |r| r.seq);
    let mut out = String::new();
    for r in &rows {
        out.push_str(&ocsf::map(r).to_string());
        out.push('\n');
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson".to_string()),
            (
                header::HeaderName::from_static("x-draftguard-last-seq"),
                last.to_string(),
            ),
        ],
        out,
    )
        .into_response())
}

#[derive(Deserialize)]
struct Login {
    name: String,
    password: String,
}

/// A session for an admin: an HttpOnly, SameSite=Strict cookie, and the CSRF token the
/// caller must send back with every change. The dashboard's lock-out applies.
async fn login<S: Store>(
    State(app): State<Shared<S>>,
    ClientIp(ip): ClientIp,
    Json(l): Json<Login>,
) -> Result<Response> {
    let (sid, session) = authenticate(&app, &l.name, &l.password, &ip).await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&app, &sid))],
        Json(serde_json::json!({ "admin": session.admin, "csrf": session.csrf })),
    )
        .into_response())
}

async fn logout<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response> {
    app.admin(&method, &headers, None).await?;
    if let Some(sid) = cookie(&headers, SESSION_COOKIE) {
        app.store.session_delete(&auth::digest(sid)).await?;
    }
    Ok((
        [(header::SET_COOKIE, clear_session_cookie())],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

async fn bundles<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response> {
    app.admin(&method, &headers, None).await?;
    Ok(Json(app.store.bundles().await?).into_response())
}

/// The body is the bundle file itself.
async fn upload<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
    body: String,
) -> Result<Response> {
    let who = app.admin(&method, &headers, None).await?;
    let b = app.rings.upload(&body, &who).await?;
    Ok((StatusCode::CREATED, Json(b)).into_response())
}

async fn rings<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response> {
    app.admin(&method, &headers, None).await?;
    Ok(Json(app.store.rings().await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RingSet {
    version: String,
}

async fn ring_set<S: Store>(
    State(app): State<Shared<S>>,
    Path(ring): Path<String>,
    method: Method,
    headers: HeaderMap,
    Json(b): Json<RingSet>,
) -> Result<Response> {
    let who = app.admin(&method, &headers, None).await?;
    Ok(Json(app.rings.set(&ring, &b.version, &who).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rollback {
    to: String,
}

async fn ring_rollback<S: Store>(
    State(app): State<Shared<S>>,
    Path(ring): Path<String>,
    method: Method,
    headers: HeaderMap,
    Json(b): Json<Rollback>,
) -> Result<Response> {
    let who = app.admin(&method, &headers, None).await?;
    Ok(Json(app.rings.rollback(&ring, &b.to, &who).await?).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Promote {
    version: String,
    from: String,
    to: String,
}

async fn promote<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
    Json(b): Json<Promote>,
) -> Result<Response> {
    let who = app.admin(&method, &headers, None).await?;
    Ok(Json(app.rings.promote(&b.version, &b.from, &b.to, &who).await?).into_response())
}

#[derive(Deserialize)]
struct Limit {
    limit: Option<i64>,
}

async fn activity<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
    Query(q): Query<Limit>,
) -> Result<Response> {
    app.admin(&method, &headers, None).await?;
    Ok(Json(
        app.store
            .activity(q.limit.unwrap_or(100).clamp(1, 10_000))
            .await?,
    )
    .into_response())
}
