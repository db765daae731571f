//! Running the server: binding (plain HTTP, or TLS with rustls), the retention sweep and
//! the SIEM forwarder in the background.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::forward::Forwarder;
use crate::rings::Rings;
use crate::server::{App, Limits, router};
use crate::store::Store;
use crate::time::{DAY_MS, now_ms};

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub listen: SocketAddr,
    pub tls: Option<(PathBuf, PathBuf)>,
    pub limits: Limits,
    /// Events older than this many days are deleted (checked at start, then hourly).
    pub retention_days: i64,
    pub forward: Option<Forwarder>,
}

/// Deletes events past retention; returns how many.
pub async fn sweep<S: Store>(store: &S, retention_days: i64) -> Result<u64> {
    store
        .delete_events_before(now_ms() - retention_days * DAY_MS)
        .await
}

/// Starts the background tasks (retention, forwarder) for `store`.
pub fn background<S: Store>(store: &S, cfg: &ServeConfig) {
    let (s, days) = (store.clone(), cfg.retention_days);
    tokio::spawn(async move {
        loop {
            match sweep(&s, days).await {
                Ok(n) if n > 0 => eprintln!(
                    "draftguard-console: retention: deleted {n} events older than {days} days"
                ),
                Ok(_) => {}
                Err(e) => eprintln!("draftguard-console: retention sweep failed: {e}"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    });
    if let Some(f) = cfg.forward.clone() {
        let s = store.clone();
        let owner = crate::auth::random_secret("fwd_").unwrap_or_else(|_| "forwarder".into());
        tokio::spawn(async move {
            if let Err(e) = f.run(s, owner).await {
                eprintln!("draftguard-console: the forwarder stopped: {e}");
            }
        });
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Serves until SIGINT/SIGTERM.
pub async fn serve<S: Store>(rings: Rings<S>, cfg: ServeConfig) -> Result<()> {
    background(&rings.store, &cfg);
    let backend = rings.store.backend();
    let app = router(App::new(rings, cfg.limits.clone()));
    match &cfg.tls {
        None => {
            let listener = tokio::net::TcpListener::bind(cfg.listen)
                .await
                .map_err(|e| Error::invalid(format!("cannot listen on {}: {e}", cfg.listen)))?;
            let at = listener
                .local_addr()
                .map_err(|e| Error::internal(e.to_string()))?;
            eprintln!(
                "draftguard-console: listening on http://{at} ({backend}); dashboard at http://{at}/dashboard"
            );
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::internal(e.to_string()))
        }
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|e| {
                    Error::invalid(format!(
                        "--tls-cert {} / --tls-key {}: {e}",
                        cert.display(),
                        key.display()
                    ))
                })?;
            let handle = axum_server::Handle::new();
            let h = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                h.graceful_shutdown(Some(Duration::from_secs(10)));
            });
            eprintln!(
                "draftguard-console: listening on https://{0} ({backend}); dashboard at https://{0}/dashboard",
                cfg.listen
            );
            axum_server::bind_rustls(cfg.listen, tls)
                .handle(handle)
                .serve(app.into_make_service_with_connect_info::<SocketAddr>())
                .await
                .map_err(|e| Error::invalid(format!("cannot serve on {}: {e}", cfg.listen)))
        }
    }
}
