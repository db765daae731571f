//! Making a bundle: resolve `extends`, validate, run the policy's tests, stamp and sign.

use std::cell::RefCell;
use std::collections::BTreeMap;

use ed25519_dalek::Signer;

use super::keys::{SecretKey, encode};
use super::{BundledFile, Envelope, FORMAT, MAX_BUNDLE_BYTES, Payload};
use crate::date::Timestamp;
use crate::error::{Error, ErrorKind};
use crate::policy::{Resolver, Source, Version, load, read_document};
use crate::{Engine, approval, testing};

/// Wraps `payload` (the JSON text of a [`Payload`]) in a signed envelope, as is: no
/// checks. [`seal`] is the way to make a bundle; this is the signing step alone, for
/// tools and tests that need a bundle a careful signer would not make.
pub fn envelope(payload: &str, key: &SecretKey) -> String {
    let envelope = Envelope {
        draftguard_bundle: FORMAT,
        key: key.public().to_string(),
        signature: encode(&key.0.sign(payload.as_bytes()).to_bytes()),
        payload: payload.to_string(),
    };
    serde_json::to_string_pretty(&envelope).expect("an envelope serializes") + "\n"
}

/// What `draftguard bundle` stamps on a bundle.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// Overrides the policy's own `version:`; one of the two is required.
    pub version: Option<Version>,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    /// Carry the policy files as written (YAML, with their comments) instead of their
    /// pre-parsed JSON. The extension then loads its authoring engine, with the YAML reader,
    /// to open the bundle (`draftguard bundle --as-written`).
    pub as_written: bool,
}

/// Records every base policy the loader resolves, so the bundle can carry them.
struct Recording<'a> {
    inner: &'a dyn Resolver,
    seen: RefCell<BTreeMap<String, BundledFile>>,
}

impl Resolver for Recording<'_> {
    fn resolve(&self, id: &str, from: &Source) -> Result<Source, Error> {
        let src = self.inner.resolve(id, from)?;
        // The loader keeps the first layer with a given id; so does the bundle.
        self.seen
            .borrow_mut()
            .entry(id.to_string())
            .or_insert_with(|| BundledFile {
                name: src.name.clone(),
                text: src.text.clone(),
            });
        Ok(src)
    }
}

/// Signs `main` (with the bases `resolver` finds) as a bundle. Refuses a policy that does
/// not load, has no version, fails any of its own tests, or blocks one of its own
/// approved posts (`library:`, checked as of the issue day). Returns the bundle's JSON text
/// and the payload that was signed.
pub fn seal(
    main: &Source,
    resolver: &dyn Resolver,
    key: &SecretKey,
    stamp: &Stamp,
) -> Result<(String, Payload), Error> {
    let recording = Recording {
        inner: resolver,
        seen: RefCell::new(BTreeMap::new()),
    };
    let policy = load(std::slice::from_ref(main), &recording)?;
    let version = match (&stamp.version, &policy.version) {
        (Some(v), _) | (None, Some(v)) => v.clone(),
        (None, None) => {
            return Err(Error::new(
                ErrorKind::MissingField,
                "a bundle needs a version: set `version:` in the policy or pass --version",
            )
            .with_file(&main.name));
        }
    };
    if stamp.expires_at <= stamp.issued_at {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "the bundle would expire ({}) before it is issued ({})",
                stamp.expires_at, stamp.issued_at
            ),
        ));
    }
    let engine = Engine::new(policy)?;
    let failed: Vec<String> = testing::run(&engine)
        .into_iter()
        .filter(|o| !o.passed)
        .map(|o| {
            format!(
                "test {} ({}): missing [{}], unexpected [{}]",
                o.index + 1,
                o.name,
                o.missing.join(", "),
                o.unexpected.join(", ")
            )
        })
        .collect();
    if !failed.is_empty() {
        return Err(Error::new(
            ErrorKind::TestsFailed,
            format!(
                "not signing: {} of the policy's tests fail (run `draftguard test`):\n  {}",
                failed.len(),
                failed.join("\n  ")
            ),
        )
        .with_file(&main.name));
    }
    // Approved means it passes: an approved post the policy blocks is not signed.
    let reviews = approval::review_all(&engine, stamp.issued_at.date());
    if let Some(msg) = approval::refusal(&reviews) {
        return Err(
            Error::new(ErrorKind::TestsFailed, format!("not signing: {msg}")).with_file(&main.name),
        );
    }
    // Only file names travel: the admin's directory layout is nobody's business. The text
    // travels parsed (compact JSON, which the engine wasm reads without a YAML parser)
    // unless the admin asked for it as written.
    let file = |name: &str, text: &str| -> Result<BundledFile, Error> {
        let text = if stamp.as_written {
            text.to_string()
        } else {
            let doc = read_document(text).map_err(|e| e.with_file(name))?;
            serde_json::to_string(&doc.value).expect("a JSON value serializes")
        };
        Ok(BundledFile {
            name: std::path::Path::new(name)
                .file_name()
                .map_or(name.to_string(), |f| f.to_string_lossy().into_owned()),
            text,
        })
    };
    let payload = Payload {
        policy: engine.policy().id.clone(),
        version: version.to_string(),
        issued_at: stamp.issued_at.to_string(),
        expires_at: stamp.expires_at.to_string(),
        main: file(&main.name, &main.text)?,
        extends: recording
            .seen
            .into_inner()
            .into_iter()
            .map(|(id, f)| Ok((id, file(&f.name, &f.text)?)))
            .collect::<Result<_, Error>>()?,
    };
    let text = envelope(
        &serde_json::to_string(&payload).expect("a payload serializes"),
        key,
    );
    if text.len() > MAX_BUNDLE_BYTES {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the bundle would be {} bytes; browsers accept at most {MAX_BUNDLE_BYTES}",
                text.len()
            ),
        ));
    }
    Ok((text, payload))
}
