//! `draftguard keygen`, `bundle` and `verify`: from a policy file to a signed bundle that
//! browsers accept, and back.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use draftguard::bundle::{self, PublicKey, SecretKey, Stamp, Trust};
use draftguard::date::parse_duration;
use draftguard::policy::{FsResolver, Source, Version};
use draftguard::{Engine, Error, ErrorKind, Policy, Timestamp, approval};

use crate::outln;

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot {what}: {e}")).with_file(path.display().to_string())
}

/// Writes `text` to a new file (or over an old one with `force`), readable by the owner
/// only when `secret`.
fn write_file(path: &Path, text: &str, secret: bool, force: bool) -> Result<(), Error> {
    if !force && path.exists() {
        return Err(
            Error::new(ErrorKind::Io, "already exists; pass --force to replace it")
                .with_file(path.display().to_string()),
        );
    }
    let mut opts = OpenOptions::new();
    opts.write(true);
    if force {
        opts.create(true).truncate(true);
    } else {
        opts.create_new(true);
    }
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, if secret { 0o600 } else { 0o644 });
    let file = opts
        .open(path)
        .map_err(|e| io_error(path, "create the file", e))?;
    // `mode` applies only to new files; an overwritten key file is narrowed as well.
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| io_error(path, "restrict the file to its owner", e))?;
    }
    write_all(file, path, text)
}

fn write_all(mut file: std::fs::File, path: &Path, text: &str) -> Result<(), Error> {
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(path, "write", e))
}

/// `draftguard keygen --out NAME`: NAME.key (secret, 0600) and NAME.pub.
pub fn keygen(out: &Path, force: bool) -> Result<u8, Error> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("the system's random source failed: {e}"),
        )
    })?;
    let key = SecretKey::from_seed(seed);
    let (secret, public) = (with_ext(out, "key"), with_ext(out, "pub"));
    for p in [&secret, &public] {
        if p.exists() && !force {
            return Err(Error::new(
                ErrorKind::Io,
                "already exists; pass --force to replace the key pair (browsers pinning the old public key will then refuse new bundles)",
            )
            .with_file(p.display().to_string()));
        }
    }
    write_file(&secret, &key.to_file_text(), true, force)?;
    write_file(&public, &format!("{}\n", key.public()), false, force)?;
    outln(&format!(
        "wrote {} (secret, owner-only) and {}\npublic key: {}",
        secret.display(),
        public.display(),
        key.public()
    ));
    Ok(0)
}

fn with_ext(base: &Path, ext: &str) -> PathBuf {
    let mut s = base.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

pub struct BundleArgs {
    pub policy: PathBuf,
    pub key: PathBuf,
    pub out: PathBuf,
    pub version: Option<String>,
    pub issued_at: Option<String>,
    pub expires_in: String,
    pub force: bool,
    pub as_written: bool,
}

/// `draftguard bundle POLICY --key NAME.key -o bundle.json`.
pub fn make(a: BundleArgs) -> Result<u8, Error> {
    let key_text =
        std::fs::read_to_string(&a.key).map_err(|e| io_error(&a.key, "read the key", e))?;
    let key = SecretKey::parse(&key_text).map_err(|e| e.with_file(a.key.display().to_string()))?;
    let version = a
        .version
        .as_deref()
        .map(Version::parse)
        .transpose()
        .map_err(|e| e.prefixed("--version: "))?;
    let issued_at = match a.issued_at.as_deref() {
        Some(s) => Timestamp::parse(s).map_err(|e| e.prefixed("--issued-at: "))?,
        None => Timestamp::now(),
    };
    let lifetime = parse_duration(&a.expires_in).map_err(|e| e.prefixed("--expires-in: "))?;
    let stamp = Stamp {
        version,
        issued_at,
        expires_at: Timestamp(issued_at.0 + lifetime),
        as_written: a.as_written,
    };
    let main = Source::read(&a.policy)?;
    let (text, payload) = bundle::seal(&main, &FsResolver, &key, &stamp)?;
    // Signed: every approved post passes. What the policy warns about is listed.
    let engine = Engine::new(Policy::from_files(std::slice::from_ref(&a.policy))?)?;
    for r in approval::review_all(&engine, issued_at.date()) {
        for w in &r.warns {
            eprintln!("warning: library entry `{}`: {}", r.entry.id, w.describe());
        }
    }
    if a.out.as_os_str() == "-" {
        crate::out(&text);
    } else {
        write_file(&a.out, &text, false, a.force)?;
    }
    eprintln!(
        "signed {} version {} ({} file(s), {} bytes), valid until {}, with {}",
        payload.policy,
        payload.version,
        1 + payload.extends.len(),
        text.len(),
        payload.expires_at,
        key.public()
    );
    Ok(0)
}

/// `draftguard verify BUNDLE --pubkey KEY...`: 0 and what the bundle holds when valid,
/// 1 and the reason when not.
pub fn verify(
    path: &Path,
    pubkeys: &[String],
    now: Option<&str>,
    in_force: Option<&str>,
) -> Result<u8, Error> {
    let keys = pubkeys
        .iter()
        .map(|k| read_public_key(k))
        .collect::<Result<Vec<_>, _>>()?;
    let now = match now {
        Some(s) => Timestamp::parse(s).map_err(|e| e.prefixed("--now: "))?,
        None => Timestamp::now(),
    };
    let in_force = in_force
        .map(Version::parse)
        .transpose()
        .map_err(|e| e.prefixed("--in-force: "))?;
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, "read the bundle", e))?;
    let trust = Trust {
        keys: &keys,
        now,
        in_force: in_force.as_ref(),
    };
    match bundle::open(&text, &trust) {
        Ok(o) => {
            let m = &o.meta;
            outln(&format!(
                "{}: valid\n  policy   {} version {}\n  issued   {}\n  expires  {}\n  key      {}\n  tests    {} pass\n  library  {} approved post(s)",
                path.display(),
                m.policy,
                m.version,
                m.issued_at,
                m.expires_at,
                m.key,
                o.tests,
                o.engine.policy().library.len()
            ));
            Ok(0)
        }
        Err(r) => {
            outln(&format!(
                "{}: invalid ({}): {}",
                path.display(),
                r.code.name(),
                r.message
            ));
            Ok(1)
        }
    }
}

/// A `--pubkey` value: the key itself (`ed25519:...`) or a file holding it.
fn read_public_key(arg: &str) -> Result<PublicKey, Error> {
    if arg.trim_start().starts_with("ed25519:") {
        return PublicKey::parse(arg).map_err(|e| e.prefixed("--pubkey: "));
    }
    let path = Path::new(arg);
    let text =
        std::fs::read_to_string(path).map_err(|e| io_error(path, "read the public key", e))?;
    PublicKey::parse(&text).map_err(|e| e.with_file(arg))
}
