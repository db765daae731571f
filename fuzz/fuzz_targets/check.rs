//! Any text against the embedded default policy: no panic, and every finding's span
//! lies on char boundaries and slices exactly its reported text.
#![no_main]

use std::sync::LazyLock;

use draftguard::{Draft, Engine, Policy};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Engine> =
    LazyLock::new(|| Engine::new(Policy::embedded_default().unwrap()).unwrap());

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for f in ENGINE.check(&Draft::new(&text)) {
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        assert_eq!(&text[f.span.clone()], f.text);
        for s in &f.suggestions {
            assert!(s.span.start <= s.span.end && s.span.end <= text.len());
        }
    }
});
