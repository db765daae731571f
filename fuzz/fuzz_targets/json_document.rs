//! Any bytes as the JSON the engine wasm reads (src/json.rs): a document or an error,
//! never a panic, and a document holds no more values and nesting than the limits.
#![no_main]

use draftguard::json;
use draftguard::located::{MAX_DEPTH, MAX_NODES};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The values in `v` and its nesting depth.
fn measure(v: &Value) -> (usize, usize) {
    let children: Vec<(usize, usize)> = match v {
        Value::Array(a) => a.iter().map(measure).collect(),
        Value::Object(o) => o.values().map(measure).collect(),
        _ => return (1, 0),
    };
    let nodes = 1 + children.iter().map(|c| c.0).sum::<usize>();
    let depth = 1 + children.iter().map(|c| c.1).max().unwrap_or(0);
    (nodes, depth)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(doc) = json::parse(&text) {
        let (nodes, depth) = measure(&doc.value);
        assert!(nodes <= MAX_NODES && depth <= MAX_DEPTH + 1);
    }
});
