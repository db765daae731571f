//! Signed bundles and rings: what the admin does with `bundle upload`, `ring set`,
//! `ring promote` and `ring rollback` (CLI and admin API alike). The console never holds a
//! signing key: it checks every upload exactly as `draftguard verify` and the extension do
//! (pinned keys, signature, expiry, the policy compiles, its tests pass), and it only ever
//! moves a ring forward in version, because browsers refuse anything older than the
//! bundle in force. A rollback therefore serves the old policy re-signed by the admin
//! under a higher version (see README "Rings").

use base64::Engine as _;
use draftguard::Timestamp;
use draftguard::bundle::{self, Payload, PublicKey, Trust};
use draftguard::policy::Version;
use sha2::{Digest, Sha256};

use crate::error::{Error, Kind, Result};
use crate::event::valid_ring;
use crate::store::{BundleRow, NewBundle, RingChange, RingRow, Store};
use crate::time::now_ms;

/// The console's bundle operations over a store, with the pinned keys.
#[derive(Clone)]
pub struct Rings<S: Store> {
    pub store: S,
    pub keys: Vec<PublicKey>,
}

/// `"sha256-<base64url>"`: a strong ETag of the bundle's bytes.
pub fn etag(text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    format!(
        "\"sha256-{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(d)
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The digest of the policy files a bundle carries (not its version, dates or signature).
fn content_digest(p: &Payload) -> String {
    let files = serde_json::json!({ "main": p.main, "extends": p.extends });
    hex(&Sha256::digest(files.to_string().as_bytes()))
}

fn payload_of(text: &str) -> Result<Payload> {
    let env: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::invalid(format!("not JSON: {e}")))?;
    let payload = env
        .get("payload")
        .and_then(|p| p.as_str())
        .ok_or_else(|| Error::invalid("the bundle has no payload"))?;
    serde_json::from_str(payload).map_err(|e| Error::invalid(format!("the payload: {e}")))
}

fn version(s: &str) -> Result<Version> {
    Version::parse(s).map_err(|e| Error::invalid(e.to_string()))
}

impl<S: Store> Rings<S> {
    pub fn new(store: S, keys: Vec<PublicKey>) -> Rings<S> {
        Rings { store, keys }
    }

    /// Checks `text` as a browser would (no version in force) at the current time.
    fn verify(&self, text: &str) -> Result<Payload> {
        if self.keys.is_empty() {
            return Err(Error::invalid(
                "no public key is pinned: start the console with --pubkey (the keys browsers pin)",
            ));
        }
        let trust = Trust {
            keys: &self.keys,
            now: Timestamp::now(),
            in_force: None,
        };
        bundle::open(text, &trust).map_err(|r| Error {
            code: Some(r.code.name().to_string()),
            ..Error::new(
                Kind::Refused,
                format!("refused ({}): {}", r.code.name(), r.message),
            )
        })?;
        payload_of(text)
    }

    /// `bundle upload`: verifies and stores a signed bundle.
    pub async fn upload(&self, text: &str, actor: &str) -> Result<BundleRow> {
        let p = self.verify(text)?;
        let signer = payload_signer(text)?;
        self.store
            .bundle_insert(NewBundle {
                policy_id: p.policy.clone(),
                version: p.version.clone(),
                text: text.to_string(),
                etag: etag(text),
                content_digest: content_digest(&p),
                issued_at: p.issued_at.clone(),
                expires_at: p.expires_at.clone(),
                signed_by: signer,
                uploaded_by: actor.to_string(),
                uploaded_ms: now_ms(),
            })
            .await
    }

    /// The stored bundle `spec` names: `VERSION` or `POLICY@VERSION`.
    pub async fn find(&self, spec: &str) -> Result<BundleRow> {
        let (policy, ver) = match spec.split_once('@') {
            Some((p, v)) => (Some(p), v),
            None => (None, spec),
        };
        let want = version(ver)?;
        let found: Vec<BundleRow> = self
            .store
            .bundles()
            .await?
            .into_iter()
            .filter(|b| policy.is_none_or(|p| p == b.policy_id))
            .filter(|b| Version::parse(&b.version).is_ok_and(|v| v == want))
            .collect();
        match found.len() {
            0 => Err(Error::not_found(format!(
                "no uploaded bundle has version {spec}; upload it first (`draftguard-console bundle upload FILE`)"
            ))),
            1 => Ok(found.into_iter().next().expect("one")),
            _ => Err(Error::invalid(format!(
                "several policies have version {ver} ({}); name one as POLICY@{ver}",
                found
                    .iter()
                    .map(|b| b.policy_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    fn check_ring(ring: &str) -> Result<()> {
        if valid_ring(ring) {
            Ok(())
        } else {
            Err(Error::invalid(format!(
                "ring {ring:?}: a ring name is 1-64 letters, digits, `-`, `_` or `.`"
            )))
        }
    }

    /// Re-verifies a stored bundle (it may have expired since it was uploaded).
    fn still_valid(&self, b: &BundleRow) -> Result<()> {
        self.verify(&b.text).map(|_| ()).map_err(|e| Error {
            message: format!("{} {}: {}", b.policy_id, b.version, e.message),
            ..e
        })
    }

    /// Points `ring` at `bundle`, which must be newer than what the ring serves.
    async fn assign(
        &self,
        ring: &str,
        bundle: &BundleRow,
        actor: &str,
        action: &str,
        detail: String,
    ) -> Result<Option<RingRow>> {
        Self::check_ring(ring)?;
        self.still_valid(bundle)?;
        let current = self.store.ring(ring).await?;
        if let Some(cur) = &current {
            if cur.bundle.id == bundle.id {
                return Err(Error::conflict(format!(
                    "ring `{ring}` already serves {} {}",
                    bundle.policy_id, bundle.version
                )));
            }
            if version(&bundle.version)? <= version(&cur.bundle.version)? {
                return Err(Error::conflict(format!(
                    "ring `{ring}` serves {} {}; browsers refuse an older or equal version ({} {}) as a rollback. \
                     To roll back, re-sign the old policy with a higher version and use `ring rollback` (README \"Rings\")",
                    cur.bundle.policy_id, cur.bundle.version, bundle.policy_id, bundle.version
                )));
            }
        }
        self.store
            .ring_assign(RingChange {
                ring: ring.to_string(),
                bundle_id: bundle.id,
                expected: current.as_ref().map(|c| c.bundle.id),
                actor: actor.to_string(),
                action: action.to_string(),
                detail,
                now_ms: now_ms(),
            })
            .await?;
        Ok(current)
    }

    /// `ring set RING VERSION`.
    pub async fn set(&self, ring: &str, spec: &str, actor: &str) -> Result<BundleRow> {
        let b = self.find(spec).await?;
        let prev = self.store.ring(ring).await?;
        let from = prev
            .map(|p| format!(" (was {})", p.bundle.version))
            .unwrap_or_default();
        self.assign(
            ring,
            &b,
            actor,
            "ring-set",
            format!("{ring} -> {} {}{from}", b.policy_id, b.version),
        )
        .await?;
        Ok(b)
    }

    /// `ring promote VERSION --from pilot --to broad`: `to` gets what `from` serves.
    pub async fn promote(
        &self,
        spec: &str,
        from: &str,
        to: &str,
        actor: &str,
    ) -> Result<BundleRow> {
        let b = self.find(spec).await?;
        let src = self
            .store
            .ring(from)
            .await?
            .ok_or_else(|| Error::not_found(format!("ring `{from}` serves nothing yet")))?;
        if src.bundle.id != b.id {
            return Err(Error::conflict(format!(
                "ring `{from}` serves {} {}, not {} {}: promote what was piloted",
                src.bundle.policy_id, src.bundle.version, b.policy_id, b.version
            )));
        }
        self.assign(
            to,
            &b,
            actor,
            "ring-promote",
            format!("{} {} from {from} to {to}", b.policy_id, b.version),
        )
        .await?;
        Ok(b)
    }

    /// `ring rollback RING --to VERSION`: the ring serves version VERSION's policy again,
    /// through a bundle of the same content re-signed with a version higher than the one
    /// in force (uploaded beforehand). Returns the bundle now served.
    pub async fn rollback(&self, ring: &str, to: &str, actor: &str) -> Result<BundleRow> {
        Self::check_ring(ring)?;
        let cur = self
            .store
            .ring(ring)
            .await?
            .ok_or_else(|| Error::not_found(format!("ring `{ring}` serves nothing yet")))?;
        let old = self.find(to).await?;
        let cur_v = version(&cur.bundle.version)?;
        if old.content_digest == cur.bundle.content_digest {
            return Err(Error::conflict(format!(
                "ring `{ring}` already serves the policy of {} {}",
                old.policy_id, old.version
            )));
        }
        // The newest upload of the same policy content above the version in force.
        let mut candidates: Vec<(Version, BundleRow)> = self
            .store
            .bundles()
            .await?
            .into_iter()
            .filter(|b| b.policy_id == old.policy_id && b.content_digest == old.content_digest)
            .filter_map(|b| Version::parse(&b.version).ok().map(|v| (v, b)))
            .filter(|(v, _)| *v > cur_v)
            .collect();
        candidates.sort_by(|a, b| a.0.cmp(&b.0));
        let Some((_, resigned)) = candidates.pop() else {
            let mut next = cur_v.0.clone();
            next.push(1);
            let next = Version(next);
            return Err(Error::conflict(format!(
                "browsers in `{ring}` run {} {} and refuse an older version, so a rollback needs {}'s policy re-signed \
                 with a higher version: `draftguard bundle POLICY.yaml --version {next} --key KEY -o rollback.json` \
                 (the policy file of {}), then `draftguard-console bundle upload rollback.json`, then this command again",
                cur.bundle.policy_id, cur.bundle.version, old.version, old.version
            )));
        };
        self.assign(
            ring,
            &resigned,
            actor,
            "ring-rollback",
            format!(
                "{ring} rolled back from {} {} to the policy of {} (re-signed as {})",
                cur.bundle.policy_id, cur.bundle.version, old.version, resigned.version
            ),
        )
        .await?;
        Ok(resigned)
    }
}

/// The key that signed `text` (already verified).
fn payload_signer(text: &str) -> Result<String> {
    let env: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::invalid(e.to_string()))?;
    Ok(env
        .get("key")
        .and_then(|k| k.as_str())
        .unwrap_or_default()
        .to_string())
}
