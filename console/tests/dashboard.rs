//! The dashboard as an admin sees it, against SQLite and PostgreSQL: log-in required,
//! CSRF on every change, the lock-out, the numbers of seeded events in the right rows, the
//! pilot view, the justification search, CSV exports byte for byte, ring actions by form.

mod common;

use common::*;
use draftguard_console::auth;
use draftguard_console::event::{Event, Kind, wire_batch};
use draftguard_console::server::Limits;
use draftguard_console::store::{Scope, Store};
use draftguard_console::time::{DAY_MS, format_ms, now_ms};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

const PASSWORD: &str = "correct horse battery";

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

/// `name=value` of the Set-Cookie named `name`.
fn set_cookie(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The value of the first hidden `csrf` field.
fn csrf_field(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in s.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    unescape(out.trim())
}

/// The body rows of the table `name` on a page, cell texts as shown.
fn rows(html: &str, name: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<section data-table=\"{name}\">"))
        .unwrap_or_else(|| panic!("no table {name} on the page"));
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    let Some(body) = section.split("<tbody>").nth(1) else {
        return Vec::new();
    };
    body.split("<tr>")
        .skip(1)
        .map(|tr| {
            tr.split("<td")
                .skip(1)
                .map(|td| {
                    let inner = &td[td.find('>').unwrap() + 1..];
                    strip_tags(&inner[..inner.rfind("</td>").unwrap()])
                })
                .collect()
        })
        .collect()
}

/// The text of the element carrying `data-n="key"` inside the element with `marker`.
fn number(html: &str, marker: &str, key: &str) -> i64 {
    let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &html[at..];
    let n = rest.find(&format!("data-n=\"{key}\">")).unwrap() + key.len() + 10;
    rest[n..n + rest[n..].find('<').unwrap()].parse().unwrap()
}

/// A logged-in admin: the session cookie and the CSRF token of the pages.
struct Admin {
    url: String,
    cookie: String,
    csrf: String,
}

impl Admin {
    async fn get(&self, path: &str) -> reqwest::Response {
        client()
            .get(format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }
    async fn page(&self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        r.text().await.unwrap()
    }
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client()
            .post(format!("{}{path}", self.url))
            .header("cookie", &self.cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }
}

/// GET /login, then POST it: the response to the POST.
async fn submit_login(url: &str, name: &str, password: &str) -> reqwest::Response {
    submit_login_to(url, name, password, "/dashboard/fleet").await
}

async fn submit_login_to(url: &str, name: &str, password: &str, next: &str) -> reqwest::Response {
    let r = client().get(format!("{url}/login")).send().await.unwrap();
    let cookie = set_cookie(&r, "dg_login").expect("the log-in form's cookie");
    let csrf = csrf_field(&r.text().await.unwrap());
    client()
        .post(format!("{url}/login"))
        .header("cookie", cookie.split(';').next().unwrap())
        .form(&[
            ("csrf", csrf.as_str()),
            ("next", next),
            ("name", name),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

async fn add_admin<S: Store>(s: &S, name: &str) {
    let hash = auth::hash_password(PASSWORD).unwrap();
    s.admin_set(name, &hash, now_ms()).await.unwrap();
}

async fn login(url: &str) -> Admin {
    let r = submit_login(url, "alice", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/dashboard/fleet");
    let session = set_cookie(&r, "dg_session").expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    let cookie = session.split(';').next().unwrap().to_string();
    let mut a = Admin {
        url: url.to_string(),
        cookie,
        csrf: String::new(),
    };
    a.csrf = csrf_field(&a.page("/dashboard").await);
    a
}

async fn store_events<S: Store>(s: &S, events: &[Event]) {
    let tok = token(s, &format!("t{}", events[0].id), Scope::Enroll).await;
    let c = start(s.clone(), Limits::default()).await;
    let r = post_events(&client(), &c.url, &tok, events).await;
    assert_eq!(r.status(), StatusCode::OK);
}

// ---- log-in -------------------------------------------------------------------------

async fn nothing_without_login<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let c = start(s.clone(), Limits::default()).await;
    for path in [
        "/dashboard",
        "/dashboard/rules/moonshot",
        "/dashboard/pilot",
        "/dashboard/justifications?q=x",
        "/dashboard/fleet",
        "/dashboard/platforms",
        "/dashboard/library",
        "/dashboard/activity",
        "/dashboard/csv/justifications.csv",
    ] {
        let r = client()
            .get(format!("{}{path}", c.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        let to = location(&r);
        assert!(to.starts_with("/login?next=%2Fdashboard"), "{path}: {to}");
        // A made-up session cookie is no better.
        let r = client()
            .get(format!("{}{path}", c.url))
            .header("cookie", "dg_session=dgs_madeup")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
    }
    // The CSV with a wrong bearer token: 401, no data.
    let r = client()
        .get(format!("{}/dashboard/csv/rules.csv", c.url))
        .bearer_auth("dga_nope")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Ring actions without a session go to the log-in page and change nothing.
    let r = client()
        .post(format!("{}/dashboard/rings/set", c.url))
        .form(&[("csrf", "x"), ("ring", "pilot"), ("version", "2026.11.1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(s.rings().await.unwrap().is_empty());
    // The log-in page and the static script are public; the script is uPlot, served here.
    let r = client()
        .get(format!("{}/login", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let js = client()
        .get(format!("{}/static/dashboard.js", c.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(js.contains("uplot"), "the chart library is bundled");
    // After logging in, the page asked for.
    let a = login(&c.url).await;
    let html = a.page("/dashboard/fleet").await;
    assert!(html.contains("Fleet and rings"));
    assert!(html.contains("<span class=\"muted\">alice </span>"));
}
both!(nothing_without_login);

async fn login_form_csrf_and_logout<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let c = start(s.clone(), Limits::default()).await;
    // Without the form's cookie (a POST from another site), or with the wrong token: 403.
    let r = client()
        .post(format!("{}/login", c.url))
        .form(&[("csrf", "dgl_x"), ("name", "alice"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&r, "dg_session").is_none());
    assert!(r.text().await.unwrap().contains("CSRF check"));
    let r = client()
        .post(format!("{}/login", c.url))
        .header("cookie", "dg_login=dgl_one")
        .form(&[
            ("csrf", "dgl_two"),
            ("name", "alice"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A wrong password: the form again, saying so.
    let r = submit_login(&c.url, "alice", "not the password").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("wrong name or password"));

    // After logging in, back to a dashboard page only: never to another site.
    for next in [
        "https://evil.example/",
        "//evil.example/dashboard",
        "/dashboard//evil.example",
    ] {
        let r = submit_login_to(&c.url, "alice", PASSWORD, next).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/dashboard", "{next}");
    }
    let r = submit_login_to(&c.url, "alice", PASSWORD, "/dashboard/pilot?days=7").await;
    assert_eq!(location(&r), "/dashboard/pilot?days=7");

    let a = login(&c.url).await;
    // Log-out with a wrong CSRF token is refused and the session lives on.
    let r = a.post("/logout", &[("csrf", "dgc_wrong")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("CSRF"));
    assert_eq!(a.get("/dashboard").await.status(), StatusCode::OK);
    let r = a.post("/logout", &[("csrf", &a.csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/login");
    assert!(set_cookie(&r, "dg_session").unwrap().contains("Max-Age=0"));
    assert_eq!(a.get("/dashboard").await.status(), StatusCode::SEE_OTHER);
}
both!(login_form_csrf_and_logout);

async fn lockout_after_failures<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    add_admin(&s, "bob").await;
    let limits = Limits {
        login_attempts: 3,
        ..Limits::default()
    };
    let c = start(s.clone(), limits).await;
    for _ in 0..2 {
        let r = submit_login(&c.url, "alice", "guess").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // The third failure locks alice out from this address...
    let r = submit_login(&c.url, "alice", "guess").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("too many failed log-ins (3) for `alice` from 127.0.0.1: log-in is locked; try again in 15 minutes"),
        "{text}"
    );
    // ...even with the right password, in the form and in the API.
    let r = submit_login(&c.url, "alice", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(set_cookie(&r, "dg_session").is_none());
    let r = client()
        .post(format!("{}/v1/admin/login", c.url))
        .json(&serde_json::json!({"name": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another admin is not locked out; the failures are in the activity log.
    let r = submit_login(&c.url, "bob", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let failed = s
        .activity(50)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "login-failed" && a.actor == "alice")
        .count();
    assert_eq!(failed, 3);
    // A success clears the count (bob fails twice, logs in, fails twice: still allowed).
    for _ in 0..2 {
        submit_login(&c.url, "bob", "guess").await;
    }
    assert_eq!(
        submit_login(&c.url, "bob", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    for _ in 0..2 {
        submit_login(&c.url, "bob", "guess").await;
    }
    assert_eq!(
        submit_login(&c.url, "bob", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}
both!(lockout_after_failures);

// ---- what the pages show ---------------------------------------------------------------

fn justified(mut e: Event, text: &str) -> Event {
    e.justification = Some(text.to_string());
    e
}

/// moonshot (enforced): 4 blocked by installs 1-2, 1 override by install 3; rival
/// (monitor): 3 hits from installs 1 and 2 in the last 7 days, 1 from install 4 ten days
/// ago, 1 from install 5 forty days ago (outside both windows).
async fn seed<S: Store>(s: &S, now: i64) {
    let mut ev_ = vec![
        ev(1, Kind::Blocked, &["moonshot"], 1, now - 3_600_000),
        ev(2, Kind::Blocked, &["moonshot"], 1, now - 3_600_000),
        ev(3, Kind::Blocked, &["moonshot"], 2, now - DAY_MS),
        ev(4, Kind::Blocked, &["moonshot"], 2, now - 2 * DAY_MS),
        justified(
            ev(5, Kind::Override, &["moonshot"], 3, now - DAY_MS),
            "Approved by compliance, ticket 77",
        ),
        ev(6, Kind::Monitor, &["rival"], 1, now - 3_600_000),
        ev(7, Kind::Monitor, &["rival"], 2, now - 2 * DAY_MS),
        ev(8, Kind::Monitor, &["rival"], 2, now - 6 * DAY_MS),
        ev(9, Kind::Monitor, &["rival"], 4, now - 10 * DAY_MS),
        ev(10, Kind::Monitor, &["rival"], 5, now - 40 * DAY_MS),
    ];
    ev_.push(justified(
        ev(11, Kind::Override, &["projections"], 2, now - 2 * 3_600_000),
        "=HYPERLINK(\"http://evil\",\"x\") <script>alert(1)</script>, said \"fine\"",
    ));
    store_events(s, &ev_).await;
}

async fn rule_pages_show_the_numbers<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let now = now_ms();
    seed(&s, now).await;
    let c = start(s.clone(), Limits::default()).await;
    let a = login(&c.url).await;

    let html = a.page("/dashboard").await;
    let rules = rows(&html, "rules");
    assert_eq!(
        rules,
        vec![
            vec!["moonshot", "enforce", "4", "1", "25.0 %", "0", "3"],
            vec!["projections", "enforce", "0", "1", "–", "0", "1"],
            vec!["rival", "monitor", "0", "0", "–", "4", "3"],
        ]
    );
    assert!(html.contains("<a href=\"/dashboard/rules/moonshot\">moonshot</a>"));
    // The chart's data is in the page (one point per day of the window).
    assert!(html.contains("<div class=\"chart\" data-chart=\"chart-all\""));
    assert!(html.contains("<script type=\"application/json\" id=\"chart-all\">{"));

    let html = a.page("/dashboard/rules/moonshot?days=7").await;
    assert_eq!(number(&html, "data-summary", "blocked"), 4);
    assert_eq!(number(&html, "data-summary", "overrides"), 1);
    assert_eq!(number(&html, "data-summary", "installs"), 3);
    assert!(html.contains("(override rate 25.0 %)"));
    let days = rows(&html, "rule-days");
    let today = &format_ms(now)[..10];
    assert_eq!(days.last().unwrap()[0], today);
    assert_eq!(
        days.iter()
            .map(|d| d[1].parse::<i64>().unwrap())
            .sum::<i64>(),
        4
    );
    let just = rows(&html, "justifications");
    assert_eq!(just.len(), 1);
    assert_eq!(just[0][2], "Approved by compliance, ticket 77");

    // The pilot view: if rival were enforced.
    let html = a.page("/dashboard/rules/rival").await;
    let pilot = "data-pilot=\"rival\"";
    assert_eq!(number(&html, pilot, "posts7"), 3);
    assert_eq!(number(&html, pilot, "people7"), 2);
    assert_eq!(number(&html, pilot, "posts30"), 4);
    assert_eq!(number(&html, pilot, "people30"), 3);
    assert!(strip_tags(&html).contains(
        "If we enforce rival, it would have stopped 3 posts from 2 people in the last 7 days, and 4 posts from 3 people in the last 30 days."
    ));
    let html = a.page("/dashboard/pilot").await;
    assert_eq!(
        rows(&html, "pilot"),
        vec![vec!["rival", "3", "2", "4", "3"]]
    );

    // Policy and user text is escaped, never markup.
    let html = a.page("/dashboard/justifications").await;
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}
both!(rule_pages_show_the_numbers);

async fn justification_search<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let now = now_ms();
    seed(&s, now).await;
    let c = start(s.clone(), Limits::default()).await;
    let a = login(&c.url).await;
    // Case-insensitive, per rule.
    let hit = rows(
        &a.page("/dashboard/justifications?rule=moonshot&q=TICKET+77")
            .await,
        "justifications",
    );
    assert_eq!(hit.len(), 1);
    assert_eq!(hit[0][1], "moonshot");
    assert_eq!(hit[0][2], "Approved by compliance, ticket 77");
    assert_eq!(hit[0][5], install(3));
    let html = a
        .page("/dashboard/justifications?rule=moonshot&q=hyperlink")
        .await;
    assert!(rows(&html, "justifications").is_empty());
    assert!(html.contains("No override justification matches."));
    // The rule page's own search.
    let html = a.page("/dashboard/rules/projections?q=said").await;
    assert_eq!(rows(&html, "justifications").len(), 1);
    let html = a.page("/dashboard/rules/projections?q=ticket").await;
    assert!(rows(&html, "justifications").is_empty());
    // The search box keeps what was searched (escaped).
    let html = a.page("/dashboard/justifications?q=%22%3E%3Cb%3E").await;
    assert!(html.contains("value=\"&quot;&gt;&lt;b&gt;\""), "{html}");
}
both!(justification_search);

async fn csv_exports_exactly<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let now = now_ms();
    seed(&s, now).await;
    let c = start(s.clone(), Limits::default()).await;
    let a = login(&c.url).await;
    let html = a.page("/dashboard/justifications?rule=projections").await;
    assert!(html.contains("href=\"/dashboard/csv/justifications.csv?rule=projections\""));
    let r = a
        .get("/dashboard/csv/justifications.csv?rule=projections")
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"draftguard-justifications.csv\""
    );
    let t = format_ms(now - 2 * 3_600_000);
    assert_eq!(
        r.text().await.unwrap(),
        format!(
            "Time,Rules,Justification,Platform,Site,Install,User\r\n\
             {t},projections,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\") <script>alert(1)</script>, said \"\"fine\"\"\",linkedin,www.linkedin.com,{},\r\n",
            install(2)
        )
    );
    let r = a.get("/dashboard/csv/rules.csv?days=30").await;
    assert_eq!(
        r.text().await.unwrap(),
        "Rule,Mode,Blocked,Overrides,Override rate,Monitor hits,Installs\r\n\
         moonshot,enforce,4,1,0.2500,0,3\r\n\
         projections,enforce,0,1,,0,1\r\n\
         rival,monitor,0,0,,4,3\r\n"
    );
    let r = a.get("/dashboard/csv/pilot.csv").await;
    assert_eq!(
        r.text().await.unwrap(),
        "Rule,\"Posts stopped, 7 days\",\"People, 7 days\",\"Posts stopped, 30 days\",\"People, 30 days\"\r\nrival,3,2,4,3\r\n"
    );
    // Every table of every page has its CSV link, and each link answers.
    for page in [
        "/dashboard",
        "/dashboard/rules/rival",
        "/dashboard/pilot",
        "/dashboard/justifications",
        "/dashboard/fleet",
        "/dashboard/platforms",
        "/dashboard/library",
        "/dashboard/activity",
    ] {
        let html = a.page(page).await;
        let tables = html.matches("<section data-table=").count();
        let links: Vec<&str> = html
            .split("<a class=\"csv\" href=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
            .collect();
        assert_eq!(links.len(), tables, "{page}");
        assert!(tables > 0, "{page}");
        for l in links {
            let r = a.get(&unescape(l)).await;
            assert_eq!(r.status(), StatusCode::OK, "{l}");
        }
    }
    // An admin token works for scripts; an unknown table is a 404.
    let admin = token(&s, "reports", Scope::Admin).await;
    let r = client()
        .get(format!("{}/dashboard/csv/platforms.csv", c.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.text().await.unwrap(),
        "Platform,Site,Blocked,Overrides,Monitor hits,Installs\r\nlinkedin,www.linkedin.com,4,2,4,4\r\n"
    );
    assert_eq!(
        a.get("/dashboard/csv/secrets.csv").await.status(),
        StatusCode::NOT_FOUND
    );
}
both!(csv_exports_exactly);

// ---- fleet and ring actions ----------------------------------------------------------------

async fn ring_actions_by_form<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let c = start(s.clone(), Limits::default()).await;
    let a = login(&c.url).await;
    // Upload by form, then serve it to pilot.
    let r = a
        .post(
            "/dashboard/bundles",
            &[("csrf", &a.csrf), ("bundle", &signed(POLICY_V1, 1, None))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/dashboard/fleet?done=upload");
    let r = a
        .post(
            "/dashboard/rings/set",
            &[
                ("csrf", &a.csrf),
                ("ring", "pilot"),
                ("version", "acme@2026.11.1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A bundle signed by a key nobody pins is refused, with the reason on the page.
    let r = a
        .post(
            "/dashboard/bundles",
            &[("csrf", &a.csrf), ("bundle", &signed(POLICY_V2, 9, None))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("refused (unknown-key)"));
    // Promote with a wrong CSRF token: refused, nothing changes.
    let promote = |csrf: String| {
        let a = &a;
        async move {
            a.post(
                "/dashboard/rings/promote",
                &[
                    ("csrf", csrf.as_str()),
                    ("version", "acme@2026.11.1"),
                    ("from", "pilot"),
                    ("to", "broad"),
                ],
            )
            .await
        }
    };
    let r = promote("dgc_forged".into()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(s.ring("broad").await.unwrap().is_none());
    let r = promote(a.csrf.clone()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/dashboard/fleet?done=promote");
    assert_eq!(
        s.ring("broad").await.unwrap().unwrap().bundle.version,
        "2026.11.1"
    );
    let html = a.page("/dashboard/fleet?done=promote").await;
    assert!(html.contains("Promoted. Browsers in the ring pick the version up"));
    let rings = rows(&html, "rings");
    assert_eq!(
        rings
            .iter()
            .map(|r| (r[0].as_str(), r[2].as_str(), r[4].as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("broad", "2026.11.1", "alice"),
            ("pilot", "2026.11.1", "alice")
        ]
    );
    // Promoting it again is refused with the reason, on the fleet page.
    let r = promote(a.csrf.clone()).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("ring `broad` already serves acme 2026.11.1")
    );
    // v2 to pilot, then roll pilot back to v1's policy, re-signed as 2026.11.3.
    for b in [
        signed(POLICY_V2, 1, None),
        signed(POLICY_V1, 1, Some("2026.11.3")),
    ] {
        let r = a
            .post("/dashboard/bundles", &[("csrf", &a.csrf), ("bundle", &b)])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let r = a
        .post(
            "/dashboard/rings/set",
            &[
                ("csrf", &a.csrf),
                ("ring", "pilot"),
                ("version", "2026.11.2"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = a
        .post(
            "/dashboard/rings/rollback",
            &[
                ("csrf", &a.csrf),
                ("ring", "pilot"),
                ("to", "acme@2026.11.1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        s.ring("pilot").await.unwrap().unwrap().bundle.version,
        "2026.11.3"
    );
    // The activity page: who did what, newest first.
    let html = a.page("/dashboard/activity").await;
    let log: Vec<(String, String, String)> = rows(&html, "activity")
        .into_iter()
        .map(|r| (r[1].clone(), r[2].clone(), r[3].clone()))
        .filter(|(_, action, _)| action.starts_with("ring-"))
        .collect();
    assert_eq!(
        log,
        vec![
            (
                "alice".into(),
                "ring-rollback".into(),
                "pilot rolled back from acme 2026.11.2 to the policy of 2026.11.1 (re-signed as 2026.11.3)".into()
            ),
            (
                "alice".into(),
                "ring-set".into(),
                "pilot -> acme 2026.11.2 (was 2026.11.1)".into()
            ),
            (
                "alice".into(),
                "ring-promote".into(),
                "acme 2026.11.1 from pilot to broad".into()
            ),
            ("alice".into(), "ring-set".into(), "pilot -> acme 2026.11.1".into()),
        ]
    );
}
both!(ring_actions_by_form);

async fn fleet_shows_versions_refusals_and_drops<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let now = now_ms();
    let tok = token(&s, "emea", Scope::Enroll).await;
    let c = start(s.clone(), Limits::default()).await;
    let mut batch = wire_batch(&[
        ev(1, Kind::Status, &[], 1, now - 1000),
        ev(2, Kind::Status, &[], 2, now - 1000),
        ev(3, Kind::BundleRefused, &[], 2, now - 500),
    ]);
    batch["dropped"] = 7.into();
    // Sent twice (the extension retries when it never saw the answer): counted once.
    for _ in 0..2 {
        let r = client()
            .post(format!("{}/v1/events", c.url))
            .bearer_auth(&tok)
            .json(&batch)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let a = login(&c.url).await;
    let html = a.page("/dashboard/fleet").await;
    assert_eq!(
        rows(&html, "fleet"),
        vec![vec!["pilot", "acme", "2026.11.1", "2"]]
    );
    assert_eq!(rows(&html, "refusals"), vec![vec!["expired", "1", "1"]]);
    assert_eq!(rows(&html, "dropped"), vec![vec!["pilot", "7", "1", "1"]]);
    assert_eq!(
        rows(&html, "browsers"),
        vec![vec!["chrome", "131", "0.1.0", "2"]]
    );
}
both!(fleet_shows_versions_refusals_and_drops);

async fn pilot_sentence_counts_one_post_from_one_person<S: Store>(s: S) {
    add_admin(&s, "alice").await;
    let now = now_ms();
    store_events(&s, &[ev(1, Kind::Monitor, &["rival"], 1, now - 1000)]).await;
    let c = start(s.clone(), Limits::default()).await;
    let a = login(&c.url).await;
    let html = a.page("/dashboard/pilot").await;
    assert!(strip_tags(&html).contains(
        "If we enforce rival, it would have stopped 1 post from 1 person in the last 7 days (1 post from 1 person in 30 days)."
    ));
}
both!(pilot_sentence_counts_one_post_from_one_person);
