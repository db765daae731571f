//! Secrets: enrollment and admin tokens (random, shown once, stored as SHA-256), admin
//! passwords (Argon2id, PHC strings), session ids and CSRF tokens.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// 32 random bytes, URL-safe base64, with a prefix saying what it is (`dgt_`, `dgs_`...).
pub fn random_secret(prefix: &str) -> Result<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b)
        .map_err(|e| Error::internal(format!("the system's random source failed: {e}")))?;
    Ok(format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    ))
}

/// What is stored of a token or session id: its SHA-256, hex. The secrets themselves are
/// 256 random bits, so a plain hash is enough (no password stretching needed).
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An Argon2id hash (default parameters: 19 MiB, 2 passes) as a PHC string.
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < 12 {
        return Err(Error::invalid(
            "an admin password has at least 12 characters",
        ));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| Error::internal(format!("the system's random source failed: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(format!("argon2: {e}")))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Constant-time equality for CSRF tokens.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A real Argon2id hash of nothing anyone knows: a log-in with an unknown name is checked
/// against it, so it takes as long as one with a known name.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| {
        random_secret("x")
            .and_then(|s| hash_password(&s))
            .unwrap_or_default()
    })
}
