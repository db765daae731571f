//! Log-in for the dashboard and the admin API alike: Argon2id passwords, a lock-out after
//! repeated failures per admin name and client address, sessions in the database.

use crate::auth;
use crate::error::{Error, Kind, Result};
use crate::server::{App, SESSION_COOKIE};
use crate::store::{Session, Store};
use crate::time::now_ms;

/// Checks `name`/`password` from `ip`; on success a new session (its cookie value and row).
/// After `limits.login_attempts` failures of the same name from the same address within
/// `limits.lockout_ms`, further tries are refused, without checking the password, until
/// the oldest of those failures is that old.
pub async fn authenticate<S: Store>(
    app: &App<S>,
    name: &str,
    password: &str,
    ip: &str,
) -> Result<(String, Session)> {
    let now = now_ms();
    let window = app.limits.lockout_ms;
    let max = app.limits.login_attempts;
    let failures = app.store.login_failures(name, ip, now - window).await?;
    if failures.count >= max {
        let wait = failures.oldest_ms.map_or(window, |o| o + window - now);
        return Err(locked(name, ip, max, wait));
    }
    let hash = app.store.admin_password_hash(name).await?;
    // Verify against a fixed hash when there is no such admin, so timing does not tell.
    let ok = {
        let pw = password.to_string();
        tokio::task::spawn_blocking(move || match hash {
            Some(h) => auth::verify_password(&pw, &h),
            None => {
                let _ = auth::verify_password(&pw, auth::dummy_hash());
                false
            }
        })
        .await
        .unwrap_or(false)
    };
    if !ok {
        app.store.login_failure_add(name, ip, now).await?;
        app.store
            .log(
                name,
                "login-failed",
                &format!("wrong name or password, from {ip}"),
                now,
            )
            .await?;
        if failures.count + 1 >= max {
            return Err(locked(name, ip, max, window));
        }
        return Err(Error::new(Kind::Unauthorized, "wrong name or password"));
    }
    app.store.login_failures_clear(name, ip).await?;
    let sid = auth::random_secret("dgs_")?;
    let session = Session {
        admin: name.to_string(),
        csrf: auth::random_secret("dgc_")?,
        expires_ms: now + app.limits.session_ms,
    };
    app.store
        .session_create(&auth::digest(&sid), &session)
        .await?;
    app.store
        .log(name, "login", &format!("from {ip}"), now)
        .await?;
    Ok((sid, session))
}

fn locked(name: &str, ip: &str, max: i64, wait_ms: i64) -> Error {
    let minutes = (wait_ms.max(1) + 59_999) / 60_000;
    Error::new(
        Kind::RateLimited,
        format!(
            "too many failed log-ins ({max}) for `{name}` from {ip}: log-in is locked; try again in {minutes} minute{}",
            if minutes == 1 { "" } else { "s" }
        ),
    )
}

/// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
/// page sends it), Secure over TLS.
pub fn session_cookie<S: Store>(app: &App<S>, sid: &str) -> String {
    format!(
        "{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        app.limits.session_ms / 1000,
        if app.limits.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}
