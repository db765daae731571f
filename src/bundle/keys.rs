//! Ed25519 keys as text: `ed25519:BASE64` for a public key (what admins pin in managed
//! storage) and `ed25519-secret:BASE64` for the 32-byte secret seed in a key file.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::error::{Error, ErrorKind};

const PUBLIC_PREFIX: &str = "ed25519:";
const SECRET_PREFIX: &str = "ed25519-secret:";

/// A public key that can verify bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub(crate) VerifyingKey);

impl PublicKey {
    /// Parses `ed25519:BASE64` (surrounding whitespace is ignored, so a `.pub` file's
    /// contents can be used as they are).
    pub fn parse(s: &str) -> Result<PublicKey, Error> {
        let s = s.trim();
        let b64 = s.strip_prefix(PUBLIC_PREFIX).ok_or_else(|| {
            invalid(format!(
                "`{}` is not a public key of the form ed25519:BASE64",
                short(s)
            ))
        })?;
        let bytes: [u8; 32] = decode(b64)
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| invalid(format!("`{}` is not 32 bytes of base64", short(s))))?;
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| invalid(format!("`{}` is not a valid Ed25519 public key", short(s))))
    }
}

impl std::fmt::Display for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{PUBLIC_PREFIX}{}", STANDARD.encode(self.0.as_bytes()))
    }
}

/// A secret signing key. Its `Debug` form does not show the key.
#[derive(Clone)]
pub struct SecretKey(pub(crate) SigningKey);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey({})", self.public())
    }
}

impl SecretKey {
    /// The key made from 32 random bytes (the caller supplies the randomness, so the
    /// library needs no random source of its own).
    pub fn from_seed(seed: [u8; 32]) -> SecretKey {
        SecretKey(SigningKey::from_bytes(&seed))
    }

    /// Reads a key file: `#` comment lines, then one line `ed25519-secret:BASE64`.
    pub fn parse(text: &str) -> Result<SecretKey, Error> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        let b64 = line.strip_prefix(SECRET_PREFIX).ok_or_else(|| {
            invalid(if line.starts_with(PUBLIC_PREFIX) {
                "this is a public key; signing needs the secret key file (NAME.key)".to_string()
            } else {
                "not a draftguard secret key file (expected a line `ed25519-secret:BASE64`)"
                    .to_string()
            })
        })?;
        let seed: [u8; 32] = decode(b64)
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| invalid("the secret key is not 32 bytes of base64".to_string()))?;
        Ok(SecretKey::from_seed(seed))
    }

    /// The key file's text.
    pub fn to_file_text(&self) -> String {
        format!(
            "# draftguard secret key (Ed25519). Anyone holding this file can sign policy bundles\n\
             # that browsers pinning {} will accept. Keep it offline; never commit it.\n\
             {SECRET_PREFIX}{}\n",
            self.public(),
            STANDARD.encode(self.0.to_bytes())
        )
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }
}

pub(crate) fn decode(b64: &str) -> Option<Vec<u8>> {
    STANDARD.decode(b64.trim()).ok()
}

pub(crate) fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidValue, message)
}

/// At most 60 characters of `s`, for error messages about untrusted input.
fn short(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_as_text() {
        let k = SecretKey::from_seed([7; 32]);
        let again = SecretKey::parse(&k.to_file_text()).unwrap();
        assert_eq!(again.public(), k.public());
        let p = k.public().to_string();
        assert!(p.starts_with("ed25519:") && p.len() == 8 + 44, "{p}");
        assert_eq!(PublicKey::parse(&format!("  {p}\n")).unwrap(), k.public());
        assert!(!format!("{k:?}").contains(&encode(&[7; 32])));
    }

    #[test]
    fn bad_keys_say_what_is_wrong() {
        assert_eq!(
            PublicKey::parse("ssh-ed25519 AAAA").unwrap_err().message,
            "`ssh-ed25519 AAAA` is not a public key of the form ed25519:BASE64"
        );
        assert_eq!(
            PublicKey::parse("ed25519:AAAA").unwrap_err().message,
            "`ed25519:AAAA` is not 32 bytes of base64"
        );
        let public = SecretKey::from_seed([1; 32]).public().to_string();
        assert_eq!(
            SecretKey::parse(&public).unwrap_err().message,
            "this is a public key; signing needs the secret key file (NAME.key)"
        );
    }
}
