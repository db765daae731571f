//! Opening a bundle: every check a browser makes before a new policy replaces the one in
//! force, in the order that gives the most useful refusal.

use std::collections::BTreeMap;
use std::fmt;

use ed25519_dalek::Signature;

use super::keys::{PublicKey, decode};
use super::{BundledFile, Envelope, FORMAT, MAX_BUNDLE_BYTES, Payload};
use crate::date::Timestamp;
use crate::error::{Error, ErrorKind};
use crate::policy::{Resolver, Source, Version, load};
use crate::{Engine, testing};

/// What a bundle is checked against.
#[derive(Debug, Clone)]
pub struct Trust<'a> {
    /// The keys the admin pinned; the bundle must be signed by one of them.
    pub keys: &'a [PublicKey],
    /// The verifier's clock.
    pub now: Timestamp,
    /// The version in force, if any: the bundle must be newer.
    pub in_force: Option<&'a Version>,
}

/// Why a bundle was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalCode {
    Oversized,
    Malformed,
    UnknownKey,
    BadSignature,
    Expired,
    Rollback,
    InvalidPolicy,
    TestsFailed,
}

impl RefusalCode {
    /// The kebab-case name, as the extension and `draftguard verify` show it.
    pub fn name(self) -> &'static str {
        match self {
            RefusalCode::Oversized => "oversized",
            RefusalCode::Malformed => "malformed",
            RefusalCode::UnknownKey => "unknown-key",
            RefusalCode::BadSignature => "bad-signature",
            RefusalCode::Expired => "expired",
            RefusalCode::Rollback => "rollback",
            RefusalCode::InvalidPolicy => "invalid-policy",
            RefusalCode::TestsFailed => "tests-failed",
        }
    }
}

/// A refused bundle: the code says which check failed, the message says why in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: RefusalCode,
    pub message: String,
    /// For an `invalid-policy` refusal, the kind of the policy error behind it.
    pub kind: Option<ErrorKind>,
}

impl Refusal {
    pub fn new(code: RefusalCode, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
            kind: None,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for Refusal {}

fn refuse<T>(code: RefusalCode, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::new(code, message))
}

/// What a valid bundle says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleMeta {
    pub policy: String,
    pub version: Version,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    /// The key that signed it.
    pub key: PublicKey,
}

/// A bundle that passed every check, with its policy compiled.
#[derive(Debug)]
pub struct Opened {
    pub engine: Engine,
    pub meta: BundleMeta,
    /// How many of the policy's own tests ran (all passed).
    pub tests: usize,
}

/// Resolves `extends` from the files inside the bundle only.
struct Inside<'a>(&'a BTreeMap<String, BundledFile>);

impl Resolver for Inside<'_> {
    fn resolve(&self, id: &str, _from: &Source) -> Result<Source, Error> {
        self.0
            .get(id)
            .map(|f| Source::new(f.name.clone(), f.text.clone()))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("the bundle does not contain the base policy `{id}`"),
                )
            })
    }
}

/// Checks a bundle, in this order: size, shape, key pinned, signature, expiry, version
/// newer than the one in force, the policy loads and compiles, its tests pass.
pub fn open(text: &str, trust: &Trust<'_>) -> Result<Opened, Refusal> {
    use RefusalCode::*;
    if text.len() > MAX_BUNDLE_BYTES {
        return refuse(
            Oversized,
            format!(
                "the bundle is {} bytes; at most {MAX_BUNDLE_BYTES} are accepted",
                text.len()
            ),
        );
    }
    let envelope: Envelope = serde_json::from_str(text)
        .map_err(|e| Refusal::new(Malformed, format!("not a draftguard bundle: {e}")))?;
    if envelope.draftguard_bundle != FORMAT {
        return refuse(
            Malformed,
            format!(
                "bundle format {} is not supported (this engine reads format {FORMAT})",
                envelope.draftguard_bundle
            ),
        );
    }
    let key = PublicKey::parse(&envelope.key)
        .map_err(|m| Refusal::new(Malformed, format!("the bundle's key: {m}")))?;
    if !trust.keys.contains(&key) {
        return refuse(
            UnknownKey,
            format!(
                "signed by {key}, which is not one of the {} pinned key(s)",
                trust.keys.len()
            ),
        );
    }
    let signature = decode(&envelope.signature)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
        .ok_or_else(|| Refusal::new(Malformed, "the signature is not 64 bytes of base64"))?;
    if key
        .0
        .verify_strict(envelope.payload.as_bytes(), &signature)
        .is_err()
    {
        return refuse(
            BadSignature,
            format!(
                "the signature does not match the contents: the bundle was changed after {key} signed it"
            ),
        );
    }
    let payload: Payload = serde_json::from_str(&envelope.payload).map_err(|e| {
        Refusal::new(
            Malformed,
            format!("the signed payload is not a bundle payload: {e}"),
        )
    })?;
    let time = |s: &str, what: &str| {
        Timestamp::parse(s).map_err(|m| Refusal::new(Malformed, format!("{what}: {m}")))
    };
    let issued_at = time(&payload.issued_at, "issued_at")?;
    let expires_at = time(&payload.expires_at, "expires_at")?;
    if trust.now >= expires_at {
        return refuse(Expired, format!("the bundle expired at {expires_at}"));
    }
    let version =
        Version::parse(&payload.version).map_err(|m| Refusal::new(Malformed, m.message))?;
    if let Some(current) = trust.in_force.filter(|c| version <= **c) {
        let what = if version == *current {
            "is already"
        } else {
            "is older than the version"
        };
        return refuse(
            Rollback,
            format!(
                "version {version} {what} in force ({current}); a new bundle needs a higher version"
            ),
        );
    }
    let main = Source::new(payload.main.name.clone(), payload.main.text.clone());
    let invalid = |e: Error| Refusal {
        code: InvalidPolicy,
        message: e.to_string(),
        kind: Some(e.kind),
    };
    let mut policy = load(&[main], &Inside(&payload.extends)).map_err(invalid)?;
    if policy.id != payload.policy {
        return refuse(
            Malformed,
            format!(
                "the payload names policy `{}` but carries `{}`",
                payload.policy, policy.id
            ),
        );
    }
    policy.version = Some(version.clone());
    let engine = Engine::new(policy).map_err(invalid)?;
    let outcomes = testing::run(&engine);
    let failed: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.passed)
        .map(|o| format!("test {} ({})", o.index + 1, o.name))
        .collect();
    if !failed.is_empty() {
        return refuse(
            TestsFailed,
            format!(
                "{} of the policy's {} tests fail: {}",
                failed.len(),
                outcomes.len(),
                failed.join("; ")
            ),
        );
    }
    Ok(Opened {
        engine,
        meta: BundleMeta {
            policy: payload.policy,
            version,
            issued_at,
            expires_at,
            key,
        },
        tests: outcomes.len(),
    })
}
