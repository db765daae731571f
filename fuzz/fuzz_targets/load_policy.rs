//! Any bytes as a policy file: loading must return a policy or an error, never panic,
//! and a policy that loads must compile and check a draft.
#![no_main]

use draftguard::{Draft, Engine, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(policy) = Policy::from_yaml("fuzz.yaml", &text) {
        if let Ok(engine) = Engine::new(policy) {
            let _ = engine.check(&Draft::new("guaranteed returns, call 212-555-0187"));
        }
    }
});
