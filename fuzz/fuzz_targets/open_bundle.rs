//! Any bytes as a bundle, and any bytes as a payload signed with a pinned key (so the
//! fuzzer gets past the signature): opening must accept or refuse, never panic.
#![no_main]

use draftguard::Timestamp;
use draftguard::bundle::{SecretKey, Trust, envelope, open};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = SecretKey::from_seed([5; 32]);
    let keys = [key.public()];
    let trust = Trust {
        keys: &keys,
        now: Timestamp(1_795_435_200),
        in_force: None,
    };
    let text = String::from_utf8_lossy(data);
    let _ = open(&text, &trust);
    let _ = open(&envelope(&text, &key), &trust);
});
