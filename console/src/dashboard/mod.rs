//! The dashboard: HTML pages served by the console (README "The dashboard"). Nothing but
//! the log-in page and the static script and styles is readable without a session; every
//! form that changes something is a POST carrying the session's CSRF token; the log-in
//! form carries its own token (double-submit cookie). Thin: the numbers come from the
//! store (tables.rs), the ring actions from `Rings`, the HTML from pages.rs.

pub mod assets;
pub mod csv;
pub mod login;
pub mod pages;
pub mod tables;

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth;
use crate::error::{Error, Kind, Result};
use crate::server::{ClientIp, Shared, cookie, status_of};
use crate::store::{Session, Store};
use crate::time::now_ms;
use tables::{Params, Table, build};

/// The log-in form's token: a cookie and a hidden field of the same random value.
const LOGIN_COOKIE: &str = "dg_login";

pub fn routes<S: Store>() -> Router<Shared<S>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .route("/login", get(login_page::<S>).post(login_submit::<S>))
        .route("/logout", post(logout::<S>))
        .route("/static/dashboard.js", get(script))
        .route("/static/dashboard.css", get(style))
        .route("/dashboard", get(rules_page::<S>))
        .route("/dashboard/rules/{rule}", get(rule_page::<S>))
        .route("/dashboard/pilot", get(pilot_page::<S>))
        .route("/dashboard/justifications", get(justifications_page::<S>))
        .route("/dashboard/fleet", get(fleet_page::<S>))
        .route("/dashboard/platforms", get(platforms_page::<S>))
        .route("/dashboard/library", get(library_page::<S>))
        .route("/dashboard/activity", get(activity_page::<S>))
        .route("/dashboard/csv/{name}", get(csv_export::<S>))
        .route("/dashboard/rings/promote", post(promote::<S>))
        .route("/dashboard/rings/rollback", post(rollback::<S>))
        .route("/dashboard/rings/set", post(ring_set::<S>))
        .route("/dashboard/bundles", post(upload::<S>))
        .layer(axum::middleware::map_response(secure_headers))
}

/// Every dashboard response: no caching of admin data, no framing, no inline script, no
/// third-party anything.
async fn secure_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    let set = |h: &mut HeaderMap, k: header::HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::CACHE_CONTROL, "no-store");
    r
}

/// What a page handler can answer besides its page.
pub enum PageError {
    /// Not logged in: to the log-in page, then back to `next`.
    Login(String),
    Fail(Error),
}

impl From<Error> for PageError {
    fn from(e: Error) -> PageError {
        PageError::Fail(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Login(next) => {
                let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                Redirect::to(&format!("/login?{q}")).into_response()
            }
            PageError::Fail(e) => {
                if e.kind == Kind::Internal {
                    eprintln!("draftguard-console: {}", e.message);
                }
                let title = match e.kind {
                    Kind::Forbidden => "Refused",
                    Kind::NotFound => "Not found",
                    _ => "Something went wrong",
                };
                html_page(
                    status_of(e.kind),
                    pages::problem(title, &e.message, "/dashboard"),
                )
            }
        }
    }
}

type Page = std::result::Result<Response, PageError>;

fn html_page(status: StatusCode, m: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        m.into_string(),
    )
        .into_response()
}

/// Only dashboard paths are places to go back to after logging in.
fn safe_next(next: &str) -> &str {
    if next.starts_with("/dashboard") && !next.contains("//") && !next.contains('\\') {
        next
    } else {
        "/dashboard"
    }
}

/// The session, or a redirect to the log-in page that comes back to `uri`.
async fn gate<S: Store>(
    app: &Shared<S>,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Session, PageError> {
    match app.session(headers).await? {
        Some(s) => Ok(s),
        None => Err(PageError::Login(
            uri.path_and_query()
                .map_or("/dashboard".into(), |p| p.as_str().to_string()),
        )),
    }
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        assets::SCRIPT,
    )
        .into_response()
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        assets::STYLE,
    )
        .into_response()
}

// ---- log-in, log-out ----------------------------------------------------------------

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

/// The log-in form. Its token is a random value set as a cookie (HttpOnly, SameSite=Strict)
/// and repeated in the form: a POST from another site carries neither.
async fn login_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Page {
    let next = safe_next(q.next.as_deref().unwrap_or("/dashboard")).to_string();
    if app.session(&headers).await?.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    login_form(&headers, &next, "", None, StatusCode::OK)
}

fn login_form(
    headers: &HeaderMap,
    next: &str,
    name: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Page {
    let token = match cookie(headers, LOGIN_COOKIE) {
        Some(t) if t.starts_with("dgl_") && t.len() < 100 => t.to_string(),
        _ => auth::random_secret("dgl_")?,
    };
    let mut r = html_page(status, pages::login(&token, next, name, error));
    let c = format!("{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600");
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&c).map_err(|e| Error::internal(e.to_string()))?,
    );
    Ok(r)
}

#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    #[serde(default)]
    next: String,
    name: String,
    password: String,
}

async fn login_submit<S: Store>(
    State(app): State<Shared<S>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Page {
    let next = safe_next(&f.next).to_string();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !auth::same(&f.csrf, expected) {
        return login_form(
            &headers,
            &next,
            &f.name,
            Some(
                "The log-in form had expired or came from another page (CSRF check); log in again.",
            ),
            StatusCode::FORBIDDEN,
        );
    }
    match login::authenticate(&app, &f.name, &f.password, &ip).await {
        Ok((sid, _)) => {
            let mut r = Redirect::to(&next).into_response();
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                HeaderValue::from_str(&login::session_cookie(&app, &sid))
                    .map_err(|e| Error::internal(e.to_string()))?,
            );
            h.append(
                header::SET_COOKIE,
                HeaderValue::from_static(
                    "dg_login=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0",
                ),
            );
            Ok(r)
        }
        Err(e) if matches!(e.kind, Kind::Unauthorized | Kind::RateLimited) => login_form(
            &headers,
            &next,
            &f.name,
            Some(&e.message),
            status_of(e.kind),
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Page {
    actor(&app, &headers, &f.csrf, "/dashboard").await?;
    if let Some(sid) = cookie(&headers, crate::server::SESSION_COOKIE) {
        app.store.session_delete(&auth::digest(sid)).await?;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&login::clear_session_cookie())
            .map_err(|e| Error::internal(e.to_string()))?,
    );
    Ok(r)
}

/// The admin behind a form POST: a session and its CSRF token, or the log-in page / 403.
async fn actor<S: Store>(
    app: &Shared<S>,
    headers: &HeaderMap,
    csrf: &str,
    back: &str,
) -> Result<String, PageError> {
    if app.session(headers).await?.is_none() {
        return Err(PageError::Login(back.to_string()));
    }
    Ok(app.admin(&Method::POST, headers, Some(csrf)).await?)
}

// ---- pages --------------------------------------------------------------------------

fn page(title: &str, current: &str, s: &Session, body: Markup) -> Page {
    Ok(html_page(
        StatusCode::OK,
        pages::layout(title, current, s, body),
    ))
}

async fn rules_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    uri: Uri,
    Query(p): Query<Params>,
) -> Page {
    let s = gate(&app, &headers, &uri).await?;
    let now = now_ms();
    let rules = build(&app.store, "rules", &p, now).await?;
    let from = tables::since(&p, now);
    let days = app.store.rule_days(from, i64::MAX).await?;
    let body = html! {
        (pages::windows("/dashboard", &p))
        (pages::chart("chart-all", &format!("All rules per day, last {} days", p.days()), &tables::chart(&days, p.days(), now)))
        (pages::table(&rules))
    };
    page("Rules", "/dashboard", &s, body)
}

async fn rule_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    uri: Uri,
    Path(rule): Path<String>,
    Query(p): Query<Params>,
) -> Page {
    let s = gate(&app, &headers, &uri).await?;
    let now = now_ms();
    let p = Params {
        rule: Some(rule.clone()),
        ..p
    };
    let from = tables::since(&p, now);
    let days = build(&app.store, "rule-days", &p, now).await?;
    let total = app
        .store
        .rule_totals(from, i64::MAX)
        .await?
        .into_iter()
        .find(|t| t.rule == rule);
    let pilot = tables::pilot(&app.store, Some(&rule), now).await?;
    let pilot_table = build(&app.store, "pilot", &p, now).await?;
    let justifications = build(&app.store, "justifications", &p, now).await?;
    let chart = tables::chart(
        &tables::rule_days(&app.store, &rule, from).await?,
        p.days(),
        now,
    );
    let path = tables::rule_href(&rule);
    let body = html! {
        (pages::windows(&path, &Params { rule: None, ..p.clone() }))
        section data-summary="rule" {
            @match &total {
                Some(t) => p.answer {
                    "In the last " (p.days()) " days: "
                    strong data-n="blocked" { (t.blocked) } (plural(t.blocked, " blocked attempt", " blocked attempts")) ", "
                    strong data-n="overrides" { (t.overrides) } (plural(t.overrides, " override", " overrides"))
                    @if let Some(r) = t.override_rate { " (override rate " (format!("{:.1} %", r * 100.0)) ")" }
                    ", " strong data-n="monitor" { (t.monitor) } (plural(t.monitor, " monitor hit", " monitor hits")) ", from "
                    strong data-n="installs" { (t.installs) } (plural(t.installs, " distinct install.", " distinct installs."))
                },
                None => p.empty { "The rule did not fire in the last " (p.days()) " days." },
            }
            @for r in &pilot {
                p.answer data-pilot=(r.rule) {
                    "If we enforce " code { (r.rule) } ", it would have stopped "
                    strong data-n="posts7" { (r.posts7) } (posts(r.posts7)) " from " strong data-n="people7" { (r.people7) } (people(r.people7)) " in the last 7 days, and "
                    strong data-n="posts30" { (r.posts30) } (posts(r.posts30)) " from " strong data-n="people30" { (r.people30) } (people(r.people30)) " in the last 30 days."
                }
            }
        }
        (pages::chart("chart-rule", &format!("{rule} per day"), &chart))
        (pages::table(&days))
        @if !pilot_table.rows.is_empty() { (pages::table(&pilot_table)) }
        section {
            h2 { "Search this rule's override justifications" }
            (search_form(&path, &p, false))
        }
        (pages::table(&justifications))
    };
    page(&format!("Rule {rule}"), "/dashboard", &s, body)
}

fn plural(n: i64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

fn posts(n: i64) -> &'static str {
    plural(n, " post", " posts")
}

fn people(n: i64) -> &'static str {
    plural(n, " person", " people")
}

/// A GET search form (it changes nothing, so it needs no CSRF token).
fn search_form(action: &str, p: &Params, with_rule: bool) -> Markup {
    html! {
        form.inline method="get" action=(action) role="search" {
            @if with_rule {
                label { "Rule" input name="rule" value=(p.rule().unwrap_or("")); }
            }
            label { "Justification contains" input name="q" type="search" value=(p.q().unwrap_or("")); }
            button type="submit" { "Search" }
        }
    }
}

async fn pilot_page<S: Store>(State(app): State<Shared<S>>, headers: HeaderMap, uri: Uri) -> Page {
    let s = gate(&app, &headers, &uri).await?;
    let now = now_ms();
    let p = Params::default();
    let t = build(&app.store, "pilot", &p, now).await?;
    let pilot = tables::pilot(&app.store, None, now).await?;
    let body = html! {
        section {
            p { "Monitor rules never stop a post; they only report. What each would have stopped, had it been enforced:" }
            @for r in &pilot {
                p.answer data-pilot=(r.rule) {
                    "If we enforce " a href=(tables::rule_href(&r.rule)) { code { (r.rule) } } ", it would have stopped "
                    strong { (r.posts7) } (posts(r.posts7)) " from " strong { (r.people7) } (people(r.people7)) " in the last 7 days ("
                    strong { (r.posts30) } (posts(r.posts30)) " from " strong { (r.people30) } (people(r.people30)) " in 30 days)."
                }
            }
            p.muted { "People are distinct installs (one per browser profile)." }
        }
        (pages::table(&t))
    };
    page(
        "Pilot: if we enforce a monitor rule",
        "/dashboard/pilot",
        &s,
        body,
    )
}

async fn justifications_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    uri: Uri,
    Query(p): Query<Params>,
) -> Page {
    let s = gate(&app, &headers, &uri).await?;
    let t = build(&app.store, "justifications", &p, now_ms()).await?;
    let body = html! {
        section { (search_form("/dashboard/justifications", &p, true)) }
        (pages::table(&t))
    };
    page(
        "Override justifications",
        "/dashboard/justifications",
        &s,
        body,
    )
}

/// Fixed confirmations after a ring action (never text from the request).
fn done_message(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "promote" => {
            Some("Promoted. Browsers in the ring pick the version up at their next check.")
        }
        "rollback" => Some(
            "Rolled back. Browsers in the ring pick the re-signed bundle up at their next check.",
        ),
        "set" => Some("The ring serves the version now."),
        "upload" => Some("Uploaded and verified."),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
struct FleetQuery {
    days: Option<i64>,
    done: Option<String>,
}

async fn fleet_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<FleetQuery>,
) -> Page {
    let s = gate(&app, &headers, &uri).await?;
    let notice = done_message(q.done.as_deref()).map(|m| (false, m.to_string()));
    let p = Params {
        days: q.days,
        ..Params::default()
    };
    fleet(&app, &s, &p, notice, StatusCode::OK).await
}

async fn fleet<S: Store>(
    app: &Shared<S>,
    s: &Session,
    p: &Params,
    notice: Option<(bool, String)>,
    status: StatusCode,
) -> Page {
    let now = now_ms();
    let mut t: Vec<Table> = Vec::new();
    for name in [
        "rings", "fleet", "browsers", "refusals", "dropped", "bundles",
    ] {
        t.push(build(&app.store, name, p, now).await?);
    }
    let bundles = app.store.bundles().await?;
    let rings = app.store.rings().await?;
    let mut activity = build(&app.store, "activity", p, now).await?;
    activity.rows.truncate(10);
    activity.title = "Latest admin activity".into();
    let versions: Vec<String> = bundles
        .iter()
        .rev()
        .map(|b| format!("{}@{}", b.policy_id, b.version))
        .collect();
    let ring_names: Vec<&str> = rings.iter().map(|r| r.ring.as_str()).collect();
    let body = html! {
        @if let Some((error, text)) = &notice { (pages::notice(*error, text)) }
        (pages::windows("/dashboard/fleet", p))
        (pages::table(&t[0]))
        section id="ring-actions" {
            h2 { "Ring actions" }
            p.muted { "Each is recorded in the activity log. Browsers accept only newer versions: a rollback serves an older version's policy re-signed with a higher version (upload it first)." }
            form.inline method="post" action="/dashboard/rings/promote" data-form="promote" {
                input type="hidden" name="csrf" value=(s.csrf);
                label { "Version" select name="version" { @for v in &versions { option value=(v) { (v) } } } }
                label { "From ring" select name="from" { @for r in &ring_names { option value=(r) selected[*r == "pilot"] { (r) } } } }
                label { "To ring" input name="to" value="broad" required; }
                button type="submit" { "Promote" }
            }
            form.inline method="post" action="/dashboard/rings/rollback" data-form="rollback" {
                input type="hidden" name="csrf" value=(s.csrf);
                label { "Ring" select name="ring" { @for r in &ring_names { option value=(r) { (r) } } } }
                label { "Back to the policy of" select name="to" { @for v in &versions { option value=(v) { (v) } } } }
                button type="submit" { "Roll back" }
            }
            form.inline method="post" action="/dashboard/rings/set" data-form="set" {
                input type="hidden" name="csrf" value=(s.csrf);
                label { "Ring" input name="ring" required placeholder="pilot"; }
                label { "Version" select name="version" { @for v in &versions { option value=(v) { (v) } } } }
                button type="submit" { "Serve" }
            }
            form method="post" action="/dashboard/bundles" data-form="upload" {
                input type="hidden" name="csrf" value=(s.csrf);
                label { "Signed bundle (the JSON file `draftguard bundle` wrote)" textarea name="bundle" required spellcheck="false" {} }
                button type="submit" { "Upload and verify" }
            }
        }
        @for table in &t[1..] { (pages::table(table)) }
        (pages::table(&activity))
    };
    let mut r = html_page(
        status,
        pages::layout("Fleet and rings", "/dashboard/fleet", s, body),
    );
    *r.status_mut() = status;
    Ok(r)
}

async fn simple_page<S: Store>(
    app: &Shared<S>,
    headers: &HeaderMap,
    uri: &Uri,
    p: &Params,
    title: &str,
    path: &str,
    names: &[&str],
) -> Page {
    let s = gate(app, headers, uri).await?;
    let now = now_ms();
    let mut ts = Vec::new();
    for n in names {
        ts.push(build(&app.store, n, p, now).await?);
    }
    let body = html! {
        @if names != ["activity"] { (pages::windows(path, p)) }
        @for t in &ts { (pages::table(t)) }
    };
    page(title, path, &s, body)
}

async fn platforms_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    uri: Uri,
    Query(p): Query<Params>,
) -> Page {
    simple_page(
        &app,
        &headers,
        &uri,
        &p,
        "Platforms and sites",
        "/dashboard/platforms",
        &["platforms"],
    )
    .await
}

async fn library_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    uri: Uri,
    Query(p): Query<Params>,
) -> Page {
    simple_page(
        &app,
        &headers,
        &uri,
        &p,
        "Approved posts used",
        "/dashboard/library",
        &["library", "library-platforms"],
    )
    .await
}

async fn activity_page<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    uri: Uri,
) -> Page {
    simple_page(
        &app,
        &headers,
        &uri,
        &Params::default(),
        "Admin activity",
        "/dashboard/activity",
        &["activity"],
    )
    .await
}

// ---- CSV ----------------------------------------------------------------------------

/// `/dashboard/csv/NAME.csv?days=..&rule=..&q=..`: the table NAME as the page shows it.
/// A session, or an admin token (`Authorization: Bearer`) for scripts.
async fn csv_export<S: Store>(
    State(app): State<Shared<S>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    Path(file): Path<String>,
    Query(p): Query<Params>,
) -> Page {
    if headers.contains_key(header::AUTHORIZATION) {
        app.admin(&method, &headers, None).await?;
    } else {
        gate(&app, &headers, &uri).await?;
    }
    let name = file
        .strip_suffix(".csv")
        .ok_or_else(|| Error::not_found(format!("{file}: CSV exports end in .csv")))?;
    let t = build(&app.store, name, &p, now_ms()).await?;
    let filename = format!("draftguard-{name}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        t.csv(),
    )
        .into_response())
}

// ---- ring actions -------------------------------------------------------------------

/// After a ring action: back to the fleet page with a fixed confirmation, or the fleet
/// page again with the refusal (the same message the CLI gives) and its status.
async fn after<S: Store, T>(
    app: &Shared<S>,
    headers: &HeaderMap,
    outcome: Result<T>,
    done: &str,
) -> Page {
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/dashboard/fleet?done={done}")).into_response()),
        Err(e) if e.kind == Kind::Internal => Err(e.into()),
        Err(e) => {
            let s = app
                .session(headers)
                .await?
                .ok_or_else(|| PageError::Login("/dashboard/fleet".into()))?;
            fleet(
                app,
                &s,
                &Params::default(),
                Some((true, e.message.clone())),
                status_of(e.kind),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
struct PromoteForm {
    csrf: String,
    version: String,
    from: String,
    to: String,
}

async fn promote<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    Form(f): Form<PromoteForm>,
) -> Page {
    let who = actor(&app, &headers, &f.csrf, "/dashboard/fleet").await?;
    let r = app
        .rings
        .promote(&f.version, &f.from, f.to.trim(), &who)
        .await;
    after(&app, &headers, r, "promote").await
}

#[derive(Deserialize)]
struct RollbackForm {
    csrf: String,
    ring: String,
    to: String,
}

async fn rollback<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    Form(f): Form<RollbackForm>,
) -> Page {
    let who = actor(&app, &headers, &f.csrf, "/dashboard/fleet").await?;
    let r = app.rings.rollback(&f.ring, &f.to, &who).await;
    after(&app, &headers, r, "rollback").await
}

#[derive(Deserialize)]
struct SetForm {
    csrf: String,
    ring: String,
    version: String,
}

async fn ring_set<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    Form(f): Form<SetForm>,
) -> Page {
    let who = actor(&app, &headers, &f.csrf, "/dashboard/fleet").await?;
    let r = app.rings.set(f.ring.trim(), &f.version, &who).await;
    after(&app, &headers, r, "set").await
}

#[derive(Deserialize)]
struct UploadForm {
    csrf: String,
    bundle: String,
}

async fn upload<S: Store>(
    State(app): State<Shared<S>>,
    headers: HeaderMap,
    Form(f): Form<UploadForm>,
) -> Page {
    let who = actor(&app, &headers, &f.csrf, "/dashboard/fleet").await?;
    let r = app.rings.upload(f.bundle.trim(), &who).await;
    after(&app, &headers, r, "upload").await
}
