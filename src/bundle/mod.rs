//! Signed policy bundles: one JSON file that carries a policy with everything it extends,
//! its version, issue and expiry times, and an Ed25519 signature.
//!
//! ```text
//! {
//!   "draftguard_bundle": 1,
//!   "key": "ed25519:BASE64 public key",
//!   "signature": "BASE64 Ed25519 signature of the UTF-8 bytes of `payload`",
//!   "payload": "{\"policy\":\"acme-bank\",\"version\":\"2026.11.2\",...}"
//! }
//! ```
//!
//! The signature covers exactly the bytes of the `payload` string, so a verifier needs no
//! canonical JSON: take the string, verify, then parse it as the [`Payload`] document.
//! The approved-post `library:` travels inside the policy files, so it is signed with
//! the policy and needs nothing of its own here.
//! [`seal`](seal::seal) makes bundles (`draftguard bundle`); [`open`](open::open) checks
//! one against pinned keys, the clock and the version in force, loads the policy from the
//! bundle alone, and runs its tests (`draftguard verify`, and the extension through wasm).

mod keys;
mod open;
mod seal;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use keys::{PublicKey, SecretKey};
pub use open::{BundleMeta, Opened, Refusal, RefusalCode, Trust, open};
pub use seal::{Stamp, envelope, seal};

/// The envelope's format number.
pub const FORMAT: u32 = 1;

/// The largest bundle accepted, in bytes. A policy with several thousand phrases is a few
/// hundred KB; anything far larger is a mistake or an attack on the user's browser.
pub const MAX_BUNDLE_BYTES: usize = 2 * 1024 * 1024;

/// The outer JSON object of a bundle file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    draftguard_bundle: u32,
    key: String,
    signature: String,
    payload: String,
}

/// The signed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    /// The policy id (the bundled file's `policy:`).
    pub policy: String,
    /// The bundle's version: the policy's `version:` unless `--version` stamped another.
    /// Browsers refuse a bundle whose version is not higher than the one in force.
    pub version: String,
    /// When it was signed, `YYYY-MM-DDTHH:MM:SSZ`.
    pub issued_at: String,
    /// After this moment browsers refuse it.
    pub expires_at: String,
    /// The policy file that was bundled.
    pub main: BundledFile,
    /// Every policy it extends, directly or through another, by the id `extends` names
    /// (the embedded default too, so a bundle means the same in every build).
    pub extends: BTreeMap<String, BundledFile>,
}

/// One policy file inside a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundledFile {
    /// The file's name when it was bundled (used in error messages).
    pub name: String,
    /// Its text: the parsed document as compact JSON (what `draftguard bundle` writes,
    /// and all the engine wasm reads), or the file as written (`--as-written`, YAML or
    /// JSON; opening it needs the YAML reader).
    pub text: String,
}
