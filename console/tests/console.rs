//! The console against SQLite and against a real PostgreSQL (DATABASE_URL; `make
//! console-test` starts a throwaway cluster): what an admin, a browser and a SIEM see.

mod common;

use common::*;
use draftguard_console::event::Kind;
use draftguard_console::rings::Rings;
use draftguard_console::server::Limits;
use draftguard_console::store::{Scope, Store};
use draftguard_console::time::{DAY_MS, now_ms};
use reqwest::StatusCode;
use serde_json::Value;

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

async fn json(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

/// An NDJSON body (the SIEM export), a value per line.
async fn ndjson(r: reqwest::Response) -> Vec<Value> {
    let text = r.text().await.unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

// ---- intake -----------------------------------------------------------------------

async fn retries_count_once<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let now = now_ms();
    let batch: Vec<_> = (0..10)
        .map(|i| ev(i, Kind::Blocked, &["promissory"], i % 3, now - 1000))
        .collect();
    let r = post_events(&client(), &c.url, &tok, &batch).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        json(r).await,
        serde_json::json!({"accepted": 10, "duplicates": 0})
    );
    // The extension retries the same batch (it never saw the answer), plus 2 new events.
    let mut again = batch.clone();
    again.push(ev(10, Kind::Override, &["promissory"], 1, now));
    again.push(ev(11, Kind::Monitor, &["cashtags"], 2, now));
    let r = post_events(&client(), &c.url, &tok, &again).await;
    assert_eq!(
        json(r).await,
        serde_json::json!({"accepted": 2, "duplicates": 10})
    );
    assert_eq!(s.event_count().await.unwrap(), 12);
    let totals = s.rule_totals(0, i64::MAX).await.unwrap();
    let p = totals.iter().find(|t| t.rule == "promissory").unwrap();
    assert_eq!((p.blocked, p.overrides, p.installs), (10, 1, 3));
    assert_eq!(p.override_rate, Some(0.1));
}
both!(retries_count_once);

async fn bad_batches_name_the_field<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let now = now_ms();
    let events: Vec<_> = (0..5)
        .map(|i| ev(i, Kind::Monitor, &["cashtags"], 1, now))
        .collect();
    let mut body = draftguard_console::event::wire_batch(&events);
    let post = |body: Value| {
        let url = c.url.clone();
        let tok = tok.clone();
        async move {
            client()
                .post(format!("{url}/v1/events"))
                .bearer_auth(tok)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    body["events"][3]["kind"] = "deleted".into();
    let r = post(body.clone()).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e = json(r).await;
    assert_eq!(e["field"], "events[3].kind");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("unknown variant `deleted`"),
        "{e}"
    );

    body["events"][3]["kind"] = "monitor".into();
    body["events"][1]["text"] = "Our fund has guaranteed returns".into();
    let e = json(post(body.clone()).await).await;
    assert_eq!(e["field"], "events[1].text", "{e}");

    body["events"][1].as_object_mut().unwrap().remove("text");
    body["events"][2]["time"] = "yesterday".into();
    assert_eq!(
        json(post(body.clone()).await).await["field"],
        "events[2].time"
    );

    body["events"][2]["time"] = "2026-11-23T09:20:07.118Z".into();
    body["events"][4]["justification"] = "why not".into();
    assert_eq!(
        json(post(body.clone()).await).await["field"],
        "events[4].justification"
    );

    body["events"][4]
        .as_object_mut()
        .unwrap()
        .remove("justification");
    body["schema"] = "draftguard.audit/2".into();
    assert_eq!(json(post(body.clone()).await).await["field"], "schema");
    body["schema"] = "draftguard.audit/1".into();
    body["events"][0]["id"] = body["events"][1]["id"].clone();
    assert_eq!(
        json(post(body.clone()).await).await["field"],
        "events[1].id"
    );
    // Nothing of the refused batches was stored.
    assert_eq!(s.event_count().await.unwrap(), 0);

    // Without a token, with a wrong one, with an admin token's scope... 401.
    let r = client()
        .post(format!("{}/v1/events", c.url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = post_events(&client(), &c.url, "dge_nope", &events).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // A revoked token stops working (after the cache: a fresh console here).
    s.token_revoke("emea", now_ms()).await.unwrap();
    let c2 = start(s.clone(), Limits::default()).await;
    let r = post_events(&client(), &c2.url, &tok, &events).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
both!(bad_batches_name_the_field);

async fn body_and_rate_limits<S: Store>(s: S) {
    let limits = Limits {
        max_body: 4096,
        rate: 5.0,
        burst: 10.0,
        ..Limits::default()
    };
    let c = start(s.clone(), limits).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let now = now_ms();
    let big: Vec<_> = (0..40)
        .map(|i| ev(i, Kind::Override, &["promissory"], 1, now))
        .collect();
    let r = post_events(&client(), &c.url, &tok, &big).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let eight: Vec<_> = (100..108)
        .map(|i| ev(i, Kind::Monitor, &["cashtags"], 1, now))
        .collect();
    assert_eq!(
        post_events(&client(), &c.url, &tok, &eight).await.status(),
        StatusCode::OK
    );
    let more: Vec<_> = (200..208)
        .map(|i| ev(i, Kind::Monitor, &["cashtags"], 1, now))
        .collect();
    let r = post_events(&client(), &c.url, &tok, &more).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "Retry-After {wait}");
    // Another token has its own budget.
    let other = token(&s, "apac", Scope::Enroll).await;
    assert_eq!(
        post_events(&client(), &c.url, &other, &more).await.status(),
        StatusCode::OK
    );
    assert_eq!(s.event_count().await.unwrap(), 16);
}
both!(body_and_rate_limits);

// ---- bundles and rings ------------------------------------------------------------

async fn ring_serves_with_etag<S: Store>(s: S) {
    let rings = Rings::new(s.clone(), pinned());
    let text = signed(POLICY_V1, 1, None);
    rings.upload(&text, "alice").await.unwrap();
    rings.set("pilot", "2026.11.1", "alice").await.unwrap();
    let c = start(s.clone(), Limits::default()).await;
    let r = client()
        .get(format!("{}/v1/bundle/pilot", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with("\"sha256-"), "{etag}");
    assert_eq!(r.headers()["cache-control"], "no-cache");
    assert_eq!(r.text().await.unwrap(), text);
    let r = client()
        .get(format!("{}/v1/bundle/pilot", c.url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    // A new version: the old ETag no longer matches.
    rings
        .upload(&signed(POLICY_V2, 1, None), "alice")
        .await
        .unwrap();
    rings.set("pilot", "2026.11.2", "alice").await.unwrap();
    let r = client()
        .get(format!("{}/v1/bundle/pilot", c.url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("2026.11.2"));
    let r = client()
        .get(format!("{}/v1/bundle/broad", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
both!(ring_serves_with_etag);

async fn refuses_what_verify_refuses<S: Store>(s: S) {
    let rings = Rings::new(s.clone(), pinned());
    let good = signed(POLICY_V1, 1, None);
    let tampered = good.replacen("blue harbor", "blue harbour", 1);
    assert_ne!(tampered, good);
    let e = rings.upload(&tampered, "mallory").await.unwrap_err();
    assert_eq!(e.code.as_deref(), Some("bad-signature"), "{e}");
    let e = rings
        .upload(&signed(POLICY_V1, 2, None), "mallory")
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("unknown-key"), "{e}");
    let mut unsigned: Value = serde_json::from_str(&good).unwrap();
    unsigned.as_object_mut().unwrap().remove("signature");
    let e = rings
        .upload(&unsigned.to_string(), "mallory")
        .await
        .unwrap_err();
    assert_eq!(e.code.as_deref(), Some("malformed"), "{e}");
    assert!(s.bundles().await.unwrap().is_empty());
    // Over HTTP: 422 with the code, for an admin token.
    let admin = token(&s, "ci", Scope::Admin).await;
    let c = start(s.clone(), Limits::default()).await;
    let r = client()
        .post(format!("{}/v1/admin/bundles", c.url))
        .bearer_auth(&admin)
        .body(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json(r).await["code"], "bad-signature");
    let r = client()
        .post(format!("{}/v1/admin/bundles", c.url))
        .bearer_auth(&admin)
        .body(good.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // Same version, other content: refused.
    let other = signed(&POLICY_V2.replace("2026.11.2", "2026.11.1"), 1, None);
    let e = rings.upload(&other, "alice").await.unwrap_err();
    assert!(
        e.message.contains("already stored with other content"),
        "{e}"
    );
}
both!(refuses_what_verify_refuses);

async fn promote_and_roll_back<S: Store>(s: S) {
    let rings = Rings::new(s.clone(), pinned());
    rings
        .upload(&signed(POLICY_V1, 1, None), "alice")
        .await
        .unwrap();
    rings
        .upload(&signed(POLICY_V2, 1, None), "alice")
        .await
        .unwrap();
    rings.set("pilot", "2026.11.1", "alice").await.unwrap();
    rings
        .promote("2026.11.1", "pilot", "broad", "bob")
        .await
        .unwrap();
    rings.set("pilot", "2026.11.2", "alice").await.unwrap();
    // Promote only what the source ring serves.
    let e = rings
        .promote("2026.11.1", "pilot", "broad", "bob")
        .await
        .unwrap_err();
    assert!(e.message.contains("promote what was piloted"), "{e}");
    rings
        .promote("2026.11.2", "pilot", "broad", "bob")
        .await
        .unwrap();
    // Setting an older version is what browsers refuse as a rollback.
    let e = rings.set("broad", "2026.11.1", "bob").await.unwrap_err();
    assert!(e.message.contains("refuse an older"), "{e}");
    // Rolling back without a re-signed bundle says how to make one.
    let e = rings
        .rollback("broad", "2026.11.1", "bob")
        .await
        .unwrap_err();
    assert!(e.message.contains("--version 2026.11.2.1"), "{e}");
    // The admin re-signs 2026.11.1's policy as 2026.11.2.1 and uploads it.
    let resigned = signed(POLICY_V1, 1, Some("2026.11.2.1"));
    rings.upload(&resigned, "bob").await.unwrap();
    let b = rings.rollback("broad", "2026.11.1", "bob").await.unwrap();
    assert_eq!(b.version, "2026.11.2.1");
    let broad = s.ring("broad").await.unwrap().unwrap();
    assert_eq!(broad.bundle.text, resigned);
    assert_eq!(
        s.ring("pilot").await.unwrap().unwrap().bundle.version,
        "2026.11.2"
    );
    // A browser that ran 2026.11.2 accepts it: the extension's own check.
    let opened = draftguard::bundle::open(
        &resigned,
        &draftguard::bundle::Trust {
            keys: &pinned(),
            now: draftguard::Timestamp::now(),
            in_force: Some(&draftguard::policy::Version::parse("2026.11.2").unwrap()),
        },
    )
    .unwrap();
    assert_eq!(opened.meta.version.to_string(), "2026.11.2.1");
    // ...while the old signed bundle is still refused as a rollback (what an attacker replays).
    let old = s
        .bundles()
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.version == "2026.11.1")
        .unwrap();
    let r = draftguard::bundle::open(
        &old.text,
        &draftguard::bundle::Trust {
            keys: &pinned(),
            now: draftguard::Timestamp::now(),
            in_force: Some(&draftguard::policy::Version::parse("2026.11.2").unwrap()),
        },
    );
    assert_eq!(r.unwrap_err().code.name(), "rollback");
    let log: Vec<(String, String)> = s
        .activity(20)
        .await
        .unwrap()
        .into_iter()
        .map(|a| (a.actor, a.action))
        .collect();
    assert_eq!(
        log.iter()
            .take(4)
            .map(|(a, b)| format!("{a} {b}"))
            .collect::<Vec<_>>(),
        [
            "bob ring-rollback",
            "bob bundle-upload",
            "bob ring-promote",
            "alice ring-set"
        ]
    );
    assert_eq!(log.iter().filter(|(_, a)| a == "bundle-upload").count(), 3);
}
both!(promote_and_roll_back);

// ---- admin API --------------------------------------------------------------------

async fn admin_sessions_and_csrf<S: Store>(s: S) {
    let hash = draftguard_console::auth::hash_password("correct horse battery").unwrap();
    s.admin_set("alice", &hash, now_ms()).await.unwrap();
    let rings = Rings::new(s.clone(), pinned());
    rings
        .upload(&signed(POLICY_V1, 1, None), "alice")
        .await
        .unwrap();
    let c = start(s.clone(), Limits::default()).await;
    let login = |pw: &str| {
        client()
            .post(format!("{}/v1/admin/login", c.url))
            .json(&serde_json::json!({"name": "alice", "password": pw}))
            .send()
    };
    assert_eq!(
        login("wrong").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let r = login("correct horse battery").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let sid = cookie.split(';').next().unwrap().to_string();
    let csrf = json(r).await["csrf"].as_str().unwrap().to_string();
    // Nothing without log-in.
    let r = client()
        .get(format!("{}/v1/admin/rings", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = client()
        .get(format!("{}/v1/admin/rings", c.url))
        .header("cookie", &sid)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A change without the CSRF token is refused; with it, done and logged as alice.
    let set = |csrf: Option<&str>| {
        let mut rq = client()
            .post(format!("{}/v1/admin/rings/pilot", c.url))
            .header("cookie", &sid)
            .json(&serde_json::json!({"version": "2026.11.1"}));
        if let Some(t) = csrf {
            rq = rq.header("x-csrf-token", t);
        }
        rq.send()
    };
    assert_eq!(set(None).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(
        set(Some("dgc_wrong")).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(set(Some(&csrf)).await.unwrap().status(), StatusCode::OK);
    let a = &s.activity(1).await.unwrap()[0];
    assert_eq!((a.actor.as_str(), a.action.as_str()), ("alice", "ring-set"));
    // An enrollment token is no admin.
    let enroll = token(&s, "emea", Scope::Enroll).await;
    let r = client()
        .get(format!("{}/v1/export", c.url))
        .bearer_auth(&enroll)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Log-out ends the session.
    let r = client()
        .post(format!("{}/v1/admin/logout", c.url))
        .header("cookie", &sid)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = client()
        .get(format!("{}/v1/admin/rings", c.url))
        .header("cookie", &sid)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
both!(admin_sessions_and_csrf);

// ---- retention, queries, export -----------------------------------------------------

async fn retention_deletes_old_events<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let now = now_ms();
    let events = vec![
        ev(1, Kind::Blocked, &["promissory"], 1, now - 100 * DAY_MS),
        ev(2, Kind::Blocked, &["promissory"], 1, now - 89 * DAY_MS),
        ev(3, Kind::Monitor, &["cashtags"], 2, now - DAY_MS),
    ];
    post_events(&client(), &c.url, &tok, &events).await;
    assert_eq!(draftguard_console::serve::sweep(&s, 90).await.unwrap(), 1);
    assert_eq!(s.event_count().await.unwrap(), 2);
    let totals = s.rule_totals(0, i64::MAX).await.unwrap();
    assert_eq!(
        totals
            .iter()
            .find(|t| t.rule == "promissory")
            .unwrap()
            .blocked,
        1
    );
    // A retried old event is stored again only until the next sweep; ids stay unique.
    assert_eq!(draftguard_console::serve::sweep(&s, 90).await.unwrap(), 0);
}
both!(retention_deletes_old_events);

async fn dashboard_questions<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let now = now_ms();
    let day = now - now.rem_euclid(DAY_MS) + 3_600_000; // 01:00 today UTC
    let mut events = vec![
        // cashtags, monitor: 3 posts from 2 installs in the last 7 days, 1 more 20 days ago.
        ev(1, Kind::Monitor, &["cashtags"], 1, day - 2 * DAY_MS),
        ev(2, Kind::Monitor, &["cashtags"], 1, day - DAY_MS),
        ev(
            3,
            Kind::Monitor,
            &["cashtags", "projections"],
            2,
            day - DAY_MS,
        ),
        ev(4, Kind::Monitor, &["cashtags"], 3, day - 20 * DAY_MS),
        // promissory, enforce: 4 blocked, 1 overridden.
        ev(5, Kind::Blocked, &["promissory"], 1, day - DAY_MS),
        ev(6, Kind::Blocked, &["promissory"], 2, day - DAY_MS),
        ev(7, Kind::Blocked, &["promissory"], 2, day),
        ev(8, Kind::Blocked, &["promissory"], 3, day),
        ev(9, Kind::Override, &["promissory"], 2, day),
        ev(10, Kind::BundleRefused, &[], 4, day),
        ev(11, Kind::BundleRefused, &[], 4, day),
        ev(12, Kind::Status, &[], 5, day),
    ];
    events[8].justification = Some("Freigegeben von der RECHTSABTEILUNG, Ticket 4711".into());
    events[8].platform = Some("x".into());
    events[8].site = Some("x.com".into());
    events[11].ring = Some("broad".into());
    events[11].policy_version = Some("2026.11.2".into());
    assert_eq!(
        post_events(&client(), &c.url, &tok, &events).await.status(),
        StatusCode::OK
    );

    let week = s.pilot_impact(now - 7 * DAY_MS).await.unwrap();
    let cash = week.iter().find(|p| p.rule == "cashtags").unwrap();
    assert_eq!((cash.posts, cash.installs), (3, 2));
    let month = s.pilot_impact(now - 30 * DAY_MS).await.unwrap();
    let cash = month.iter().find(|p| p.rule == "cashtags").unwrap();
    assert_eq!((cash.posts, cash.installs), (4, 3));

    let days = s.rule_days(now - 7 * DAY_MS, now + DAY_MS).await.unwrap();
    let prom: Vec<_> = days.iter().filter(|d| d.rule == "promissory").collect();
    assert_eq!(prom.len(), 2);
    assert_eq!(
        (prom[0].blocked, prom[0].overrides, prom[0].installs),
        (2, 0, 2)
    );
    assert_eq!(
        (prom[1].blocked, prom[1].overrides, prom[1].installs),
        (2, 1, 2)
    );
    assert_eq!(prom[1].day, draftguard_console::time::format_ms(day)[..10]);

    // Justifications: per rule, searched case-insensitively, also beyond ASCII.
    let j = s
        .justifications(Some("promissory"), Some("rechtsabteilung"), 50)
        .await
        .unwrap();
    assert_eq!(j.len(), 1);
    assert_eq!(
        j[0].justification,
        "Freigegeben von der RECHTSABTEILUNG, Ticket 4711"
    );
    assert_eq!(j[0].install_id.as_deref(), Some(install(2).as_str()));
    assert!(
        s.justifications(Some("cashtags"), None, 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.justifications(None, Some("50%_"), 50)
            .await
            .unwrap()
            .is_empty()
    );
    let hint = ev(13, Kind::Override, &["mnpi"], 6, day);
    let mut hint = hint;
    hint.justification = Some("Ärger vermeiden".into());
    post_events(&client(), &c.url, &tok, &[hint]).await;
    assert_eq!(
        s.justifications(None, Some("ärger"), 50)
            .await
            .unwrap()
            .len(),
        1
    );

    let fleet = s.fleet(now - 7 * DAY_MS).await.unwrap();
    let broad = fleet.iter().find(|f| f.ring == "broad").unwrap();
    assert_eq!(
        (broad.policy_version.as_str(), broad.installs),
        ("2026.11.2", 1)
    );
    let pilot: i64 = fleet
        .iter()
        .filter(|f| f.ring == "pilot")
        .map(|f| f.installs)
        .sum();
    assert_eq!(pilot, 5); // installs 1, 2, 3, 4 and 6
    let browsers = s.fleet_browsers(now - 7 * DAY_MS).await.unwrap();
    assert!(
        browsers
            .iter()
            .any(|b| b.browser == "chrome" && b.installs == 1)
    );

    let refusals = s.refusals(now - 7 * DAY_MS).await.unwrap();
    assert_eq!(refusals.len(), 1);
    assert_eq!(
        (
            refusals[0].code.as_str(),
            refusals[0].events,
            refusals[0].installs
        ),
        ("expired", 2, 1)
    );

    let platforms = s.platforms(now - 7 * DAY_MS).await.unwrap();
    let li = platforms.iter().find(|p| p.platform == "linkedin").unwrap();
    assert_eq!((li.blocked, li.monitor, li.overrides), (4, 3, 1));
    let x = platforms.iter().find(|p| p.platform == "x").unwrap();
    assert_eq!((x.site.as_str(), x.overrides), ("x.com", 1));
}
both!(dashboard_questions);

async fn export_is_ocsf_ndjson<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let admin = token(&s, "siem", Scope::Admin).await;
    let now = now_ms();
    let events = vec![
        ev(1, Kind::Blocked, &["promissory"], 1, now),
        ev(2, Kind::Override, &["promissory"], 1, now),
        ev(3, Kind::Status, &[], 1, now),
    ];
    post_events(&client(), &c.url, &tok, &events).await;
    let r = client()
        .get(format!(
            "{}/v1/export?since=2020-01-01T00:00:00Z&limit=2",
            c.url
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/x-ndjson");
    let last: i64 = r.headers()["x-draftguard-last-seq"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let lines = ndjson(r).await;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["class_uid"], 2006);
    assert_eq!(lines[0]["type_uid"], 200601);
    assert_eq!(lines[0]["action_id"], 2);
    assert_eq!(lines[0]["metadata"]["uid"], uuid(1));
    assert_eq!(
        lines[0]["finding_info"]["related_analytics"][0]["uid"],
        "promissory"
    );
    assert_eq!(lines[1]["action"], "Allowed");
    assert_eq!(
        lines[1]["unmapped"]["justification"],
        "Approved by compliance"
    );
    let r = client()
        .get(format!("{}/v1/export?after={last}", c.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let rest = ndjson(r).await;
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["class_uid"], 5001);
    assert_eq!(rest[0]["device"]["uid"], install(1));
    let r = client()
        .get(format!("{}/v1/export?since=last-week", c.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(r).await["field"], "since");
}
both!(export_is_ocsf_ndjson);

async fn migrations_are_recorded<S: Store>(s: S) {
    assert_eq!(s.schema_versions().await.unwrap(), vec![1, 2, 3]);
}
both!(migrations_are_recorded);

/// A console database made before library-used (schema version 1, one stored event) is
/// upgraded in place: the event is kept, and library-used events are taken.
async fn upgrade_keeps_old_events<S: Store>(s: S, c: &Console) {
    assert_eq!(s.schema_versions().await.unwrap(), vec![1, 2, 3]);
    let old = s.events_since(0, 0, 10).await.unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].event.kind, Kind::Blocked);
    assert_eq!(
        (old[0].event.entry.clone(), old[0].event.action.clone()),
        (None, None)
    );
    let tok = token(&s, "emea", Scope::Enroll).await;
    let r = post_events(
        &client(),
        &c.url,
        &tok,
        &[lib(2, "job-opening", "copy", 1, "x", now_ms())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(s.library_usage(0).await.unwrap()[0].copies, 1);
}

const V1_EVENT: &str = "INSERT INTO events (id, received_ms, token, extension_id, time_ms, kind, rules, extension_version) \
    VALUES ('00000000-0000-4000-8000-000000000001', 1, 'emea', 'ext', 1, 'blocked', '[\"promissory\"]', '0.1.0')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_schema_1_is_upgraded() {
    use draftguard_console::store::migrations::SQLITE;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("console.db");
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        db.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL); \
             INSERT INTO schema_migrations VALUES (1, 0);",
        )
        .unwrap();
        db.execute_batch(SQLITE[0].1).unwrap();
        db.execute_batch(V1_EVENT).unwrap();
    }
    let s = draftguard_console::store::SqliteStore::open(&path).unwrap();
    let c = start(s.clone(), Limits::default()).await;
    upgrade_keeps_old_events(s, &c).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_schema_1_is_upgraded() {
    use draftguard_console::store::migrations::POSTGRES;
    let Some(url) = pg_url().await else { return };
    let (db, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let conn = tokio::spawn(conn);
    db.batch_execute(
        "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL); \
         INSERT INTO schema_migrations VALUES (1, 0);",
    )
    .await
    .unwrap();
    db.batch_execute(POSTGRES[0].1).await.unwrap();
    db.batch_execute(V1_EVENT).await.unwrap();
    drop(db);
    conn.await.unwrap().unwrap();
    let s = draftguard_console::store::PgStore::open(&url, 4)
        .await
        .unwrap();
    let c = start(s.clone(), Limits::default()).await;
    upgrade_keeps_old_events(s, &c).await;
}

// ---- library-used: approved posts ---------------------------------------------------

/// A `library-used` event: install `inst` used approved post `entry` on `platform`.
fn lib(
    id: u64,
    entry: &str,
    action: &str,
    inst: u64,
    platform: &str,
    t: i64,
) -> draftguard_console::event::Event {
    let mut e = ev(id, Kind::LibraryUsed, &[], inst, t);
    e.entry = Some(entry.into());
    e.action = Some(action.into());
    e.platform = Some(platform.into());
    e.site = Some(format!("{platform}.example"));
    e
}

async fn library_used_is_stored_counted_and_exported<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let admin = token(&s, "siem", Scope::Admin).await;
    let now = now_ms();
    let batch = vec![
        lib(1, "job-opening", "insert", 1, "linkedin", now - 3000),
        lib(2, "job-opening", "insert", 1, "linkedin", now - 2000),
        lib(3, "job-opening", "copy", 2, "x", now - 1000),
        lib(4, "savings-launch", "insert", 3, "linkedin", now),
        // Long ago: outside the dashboard's window.
        lib(5, "savings-launch", "copy", 3, "x", now - 40 * DAY_MS),
    ];
    let r = post_events(&client(), &c.url, &tok, &batch).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        json(r).await,
        serde_json::json!({"accepted": 5, "duplicates": 0})
    );
    // The extension's retry of the same batch counts nothing twice.
    let r = post_events(&client(), &c.url, &tok, &batch).await;
    assert_eq!(
        json(r).await,
        serde_json::json!({"accepted": 0, "duplicates": 5})
    );

    // The dashboard: approved posts used in the last 30 days.
    let used = s.library_usage(now - 30 * DAY_MS).await.unwrap();
    let summary: Vec<_> = used
        .iter()
        .map(|u| (u.entry.as_str(), u.uses, u.inserts, u.copies, u.installs))
        .collect();
    assert_eq!(
        summary,
        vec![("job-opening", 3, 2, 1, 2), ("savings-launch", 1, 1, 0, 1)]
    );
    let per_platform: Vec<_> = used[0]
        .platforms
        .iter()
        .map(|p| (p.platform.as_str(), p.uses, p.installs))
        .collect();
    assert_eq!(per_platform, vec![("linkedin", 2, 1), ("x", 1, 1)]);
    assert_eq!(s.library_usage(0).await.unwrap()[1].uses, 2);
    // Approved posts are not findings: no rule counts, no platform findings.
    assert!(s.rule_totals(0, i64::MAX).await.unwrap().is_empty());
    assert!(s.platforms(0).await.unwrap().is_empty());

    // Stored as sent, read back the same.
    let stored = s.events_since(0, 0, 100).await.unwrap();
    assert_eq!(stored.len(), 5);
    let mut want = batch.clone();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    let mut got: Vec<_> = stored.into_iter().map(|x| x.event).collect();
    got.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, want);

    // The SIEM line: Web Resources Activity, the approved post as the resource.
    let r = client()
        .get(format!("{}/v1/export?since=2020-01-01T00:00:00Z", c.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let lines = ndjson(r).await;
    let line = |id: u64| {
        lines
            .iter()
            .find(|l| l["metadata"]["uid"] == uuid(id))
            .unwrap()
    };
    let insert = line(1);
    assert_eq!(insert["class_uid"], 6001);
    assert_eq!(insert["category_uid"], 6);
    assert_eq!(insert["activity_id"], 6);
    assert_eq!(insert["type_uid"], 600106);
    assert_eq!(insert["metadata"]["event_code"], "library-used");
    assert_eq!(insert["web_resources"][0]["uid"], "job-opening");
    assert_eq!(insert["app_name"], "linkedin");
    assert_eq!(insert["dst_endpoint"]["hostname"], "linkedin.example");
    assert_eq!(insert["device"]["uid"], install(1));
    assert_eq!(insert["unmapped"]["action"], "insert");
    assert_eq!(insert["unmapped"]["policy_id"], "acme");
    assert!(insert.get("finding_info").is_none(), "{insert}");
    let copy = line(3);
    assert_eq!(
        (copy["activity_id"].clone(), copy["type_uid"].clone()),
        (7.into(), 600107.into())
    );
    assert_eq!(copy["activity_name"], "Export");
}
both!(library_used_is_stored_counted_and_exported);

async fn library_used_refusals_name_the_field<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let now = now_ms();
    let events = vec![
        ev(1, Kind::Blocked, &["promissory"], 1, now),
        lib(2, "job-opening", "insert", 1, "linkedin", now),
    ];
    let good = draftguard_console::event::wire_batch(&events);
    let refused = |edit: &dyn Fn(&mut Value)| {
        let mut body = good.clone();
        edit(&mut body);
        let url = c.url.clone();
        let tok = tok.clone();
        async move {
            let r = client()
                .post(format!("{url}/v1/events"))
                .bearer_auth(tok)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::BAD_REQUEST);
            let e = json(r).await;
            (
                e["field"].as_str().unwrap_or_default().to_string(),
                e["error"].as_str().unwrap_or_default().to_string(),
            )
        }
    };
    // An entry id is an id, not text.
    let (field, error) =
        refused(&|b| b["events"][1]["entry"] = "Our new savings account <b>".into()).await;
    assert_eq!(field, "events[1].entry");
    assert!(error.contains("approved post's id"), "{error}");
    let long = "a".repeat(129);
    let (field, _) = refused(&|b| b["events"][1]["entry"] = long.clone().into()).await;
    assert_eq!(field, "events[1].entry");
    let (field, _) = refused(&|b| {
        b["events"][1].as_object_mut().unwrap().remove("entry");
    })
    .await;
    assert_eq!(field, "events[1].entry");
    let (field, error) = refused(&|b| b["events"][1]["action"] = "paste".into()).await;
    assert_eq!(field, "events[1].action");
    assert!(error.contains("unknown variant `paste`"), "{error}");
    let (field, _) = refused(&|b| {
        b["events"][1].as_object_mut().unwrap().remove("action");
    })
    .await;
    assert_eq!(field, "events[1].action");
    let (field, error) =
        refused(&|b| b["events"][1]["rules"] = serde_json::json!(["promissory"])).await;
    assert_eq!(field, "events[1].rules");
    assert!(
        error.contains("must be empty for a `library-used` event"),
        "{error}"
    );
    let (field, _) = refused(&|b| b["events"][1]["severity"] = "block".into()).await;
    assert_eq!(field, "events[1].severity");
    // Only library-used carries entry and action.
    let (field, error) = refused(&|b| b["events"][0]["entry"] = "job-opening".into()).await;
    assert_eq!(field, "events[0].entry");
    assert!(error.contains("only a `library-used` event"), "{error}");
    let (field, _) = refused(&|b| b["events"][0]["action"] = "copy".into()).await;
    assert_eq!(field, "events[0].action");
    // Nothing of a refused batch is stored; the good one is.
    assert_eq!(s.event_count().await.unwrap(), 0);
    let r = post_events(&client(), &c.url, &tok, &events).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(s.event_count().await.unwrap(), 2);
}
both!(library_used_refusals_name_the_field);

// ---- several instances, one PostgreSQL ----------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_postgres() {
    let Some(url) = pg_url().await else { return };
    let a = draftguard_console::store::PgStore::open(&url, 8)
        .await
        .unwrap();
    // The second instance starts on the migrated database: nothing to apply.
    let b = draftguard_console::store::PgStore::open(&url, 8)
        .await
        .unwrap();
    assert_eq!(b.schema_versions().await.unwrap(), vec![1, 2, 3]);
    let (ca, cb) = (
        start(a.clone(), Limits::default()).await,
        start(b.clone(), Limits::default()).await,
    );
    let tok = token(&a, "emea", Scope::Enroll).await;
    let now = now_ms();
    // The same batch to both instances at once (a retry that went to the other
    // instance behind the load balancer), many times over: counted once.
    let batch: Vec<_> = (0..100)
        .map(|i| ev(i, Kind::Blocked, &["promissory", "mnpi"], i % 7, now))
        .collect();
    let mut sends = Vec::new();
    for i in 0..8 {
        let url = if i % 2 == 0 {
            ca.url.clone()
        } else {
            cb.url.clone()
        };
        let (tok, batch) = (tok.clone(), batch.clone());
        sends.push(tokio::spawn(async move {
            let r = post_events(&reqwest::Client::new(), &url, &tok, &batch).await;
            assert_eq!(r.status(), StatusCode::OK);
            r.json::<Value>().await.unwrap()["accepted"]
                .as_u64()
                .unwrap()
        }));
    }
    let mut accepted = 0;
    for s in sends {
        accepted += s.await.unwrap();
    }
    assert_eq!(accepted, 100);
    assert_eq!(a.event_count().await.unwrap(), 100);
    let t = b.rule_totals(0, i64::MAX).await.unwrap();
    assert!(
        t.iter().all(|r| r.blocked == 100 && r.installs == 7),
        "{t:?}"
    );
    // A ring set through one instance is served by the other.
    let rings = Rings::new(a.clone(), pinned());
    rings
        .upload(&signed(POLICY_V1, 1, None), "alice")
        .await
        .unwrap();
    rings.set("pilot", "2026.11.1", "alice").await.unwrap();
    let r = client()
        .get(format!("{}/v1/bundle/pilot", cb.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Racing ring changes from both instances: exactly one wins, the other is told.
    Rings::new(b.clone(), pinned())
        .upload(&signed(POLICY_V2, 1, None), "bob")
        .await
        .unwrap();
    let (ra, rb) = (
        Rings::new(a.clone(), pinned()),
        Rings::new(b.clone(), pinned()),
    );
    let (x, y) = tokio::join!(
        ra.set("pilot", "2026.11.2", "alice"),
        rb.set("pilot", "2026.11.2", "bob")
    );
    assert!(x.is_ok() != y.is_ok(), "{x:?} {y:?}");
    // A session made on one instance works on the other.
    let hash = draftguard_console::auth::hash_password("correct horse battery").unwrap();
    a.admin_set("alice", &hash, now_ms()).await.unwrap();
    let r = client()
        .post(format!("{}/v1/admin/login", ca.url))
        .json(&serde_json::json!({"name": "alice", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    let sid = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let r = client()
        .get(format!("{}/v1/admin/activity", cb.url))
        .header("cookie", sid)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

// ---- the SIEM forwarder ------------------------------------------------------------

async fn forwarder_retries_and_loses_nothing<S: Store>(s: S) {
    use axum::routing::post;
    use std::sync::{Arc, Mutex};
    // A webhook that fails its first two deliveries.
    let got: Arc<Mutex<(u32, Vec<Value>)>> = Arc::default();
    let g = got.clone();
    let hook = axum::Router::new().route(
        "/hook",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let g = g.clone();
            async move {
                let mut m = g.lock().unwrap();
                m.0 += 1;
                if m.0 <= 2 {
                    return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                }
                assert_eq!(headers["authorization"], "Splunk hec-token");
                for l in body.lines() {
                    m.1.push(serde_json::from_str(l).unwrap());
                }
                axum::http::StatusCode::OK
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, hook).await.unwrap() });

    let c = start(s.clone(), Limits::default()).await;
    let tok = token(&s, "emea", Scope::Enroll).await;
    let now = now_ms();
    let events: Vec<_> = (0..25)
        .map(|i| ev(i, Kind::Monitor, &["cashtags"], i, now))
        .collect();
    post_events(&client(), &c.url, &tok, &events).await;
    let f = draftguard_console::forward::Forwarder {
        url: hook_url,
        format: draftguard_console::forward::Format::Splunk,
        token: Some("hec-token".into()),
        batch: 10,
        settle_ms: 0,
    };
    let http = reqwest::Client::new();
    // Two failures: nothing delivered, the cursor has not moved.
    assert!(f.round(&s, &http, "one").await.is_err());
    assert!(f.round(&s, &http, "one").await.is_err());
    // Another instance cannot take over while "one" holds the lease.
    assert_eq!(f.round(&s, &http, "two").await, Ok(0));
    assert_eq!(f.round(&s, &http, "one").await, Ok(25));
    assert_eq!(f.round(&s, &http, "one").await, Ok(0));
    let more: Vec<_> = (25..30)
        .map(|i| ev(i, Kind::Blocked, &["mnpi"], i, now))
        .collect();
    post_events(&client(), &c.url, &tok, &more).await;
    assert_eq!(f.round(&s, &http, "one").await, Ok(5));
    let m = got.lock().unwrap();
    let ids: Vec<&str> =
        m.1.iter()
            .map(|v| v["event"]["metadata"]["uid"].as_str().unwrap())
            .collect();
    let want: Vec<String> = (0..30).map(uuid).collect();
    assert_eq!(ids, want.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(m.1[0]["sourcetype"], "draftguard:ocsf");
}
both!(forwarder_retries_and_loses_nothing);

async fn admin_api_promotes_and_rolls_back<S: Store>(s: S) {
    let c = start(s.clone(), Limits::default()).await;
    let admin = token(&s, "ci", Scope::Admin).await;
    let call = |method: reqwest::Method, path: &str, body: Option<Value>, raw: Option<String>| {
        let mut rq = client()
            .request(method, format!("{}{path}", c.url))
            .bearer_auth(&admin);
        if let Some(b) = body {
            rq = rq.json(&b);
        }
        if let Some(r) = raw {
            rq = rq.body(r);
        }
        rq.send()
    };
    use reqwest::Method;
    for b in [
        signed(POLICY_V1, 1, None),
        signed(POLICY_V2, 1, None),
        signed(POLICY_V1, 1, Some("2026.11.2.1")),
    ] {
        let r = call(Method::POST, "/v1/admin/bundles", None, Some(b))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let set = call(
        Method::POST,
        "/v1/admin/rings/pilot",
        Some(serde_json::json!({"version": "2026.11.2"})),
        None,
    );
    assert_eq!(set.await.unwrap().status(), StatusCode::OK);
    let promote = serde_json::json!({"version": "2026.11.2", "from": "pilot", "to": "broad"});
    let r = call(
        Method::POST,
        "/v1/admin/promote",
        Some(promote.clone()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Again: broad already serves it.
    let r = call(Method::POST, "/v1/admin/promote", Some(promote), None)
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = call(
        Method::POST,
        "/v1/admin/rings/broad/rollback",
        Some(serde_json::json!({"to": "2026.11.1"})),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(json(r).await["version"], "2026.11.2.1");
    let rings = json(
        call(Method::GET, "/v1/admin/rings", None, None)
            .await
            .unwrap(),
    )
    .await;
    let served: Vec<(String, String)> = rings
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ring"].as_str().unwrap().into(),
                r["bundle"]["version"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        served,
        [
            ("broad".to_string(), "2026.11.2.1".to_string()),
            ("pilot".into(), "2026.11.2".into())
        ]
    );
    let log = json(
        call(Method::GET, "/v1/admin/activity?limit=1", None, None)
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(log[0]["actor"], "token:ci");
    assert_eq!(log[0]["action"], "ring-rollback");
    let r = call(
        Method::POST,
        "/v1/admin/rings/bad%20name",
        Some(serde_json::json!({"version": "2026.11.2"})),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
both!(admin_api_promotes_and_rolls_back);
