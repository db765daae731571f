//! # draftguard
//!
//! Checks what an employee is about to post against the company's social-media policy,
//! and says exactly where the problem is.
//!
//! ```
//! use draftguard::{Draft, Engine, Policy, Severity};
//!
//! let policy = Policy::from_yaml("example.yaml", r#"
//! policy: example
//! rules:
//!   - id: promissory
//!     kind: phrases
//!     severity: block
//!     phrases: ["guaranteed returns"]
//!     suggest: { "guaranteed returns": "potential returns" }
//! "#).unwrap();
//! let engine = Engine::new(policy).unwrap();
//! let text = "Our fund has gu@ranteed re\u{200B}turns!";
//! let findings = engine.check(&Draft::new(text));
//! assert_eq!(findings.len(), 1);
//! assert_eq!(findings[0].severity, Severity::Block);
//! assert_eq!(findings[0].text, "gu@ranteed re\u{200B}turns");
//! assert_eq!(&text[findings[0].span.clone()], findings[0].text);
//! assert_eq!(findings[0].suggestions[0].replacement, "potential returns");
//! ```
//!
//! The layers: [`policy`] (the language, loading, validation), [`normalize`] (the
//! matching shadow and its offset map), [`engine`] (compile and check), [`rules`] (one
//! module per rule kind), [`detectors`] (one module per validated detector),
//! [`testing`] and [`lint`] (for policy authors), [`bundle`] (signed policies for
//! browsers), [`offsets`] (spans in bytes, chars and UTF-16) and [`report`] (findings as
//! JSON, for the CLI and the wasm API).

// `make wasm` builds for size (`opt-level = "z"`) with `--cfg draftguard_hot` (nightly,
// which that build uses anyway): the ten functions a check spends its time in are then
// marked `#[optimize(speed)]`, so `#[inline]` helpers (`Vec::push`, slice indexing) are
// inlined into them as they are at `opt-level = 3`. About 10% of a check for 3.7 KB
// gzipped (README, "In-browser speed"). Other builds never see the attribute.
#![cfg_attr(draftguard_hot, feature(optimize_attribute))]

pub mod approval;
pub mod bundle;
pub mod date;
pub mod detectors;
pub mod engine;
pub mod error;
pub mod finding;
pub mod json;
pub mod lint;
pub mod located;
pub mod normalize;
pub mod offer;
pub mod offsets;
pub mod policy;
pub mod report;
pub mod rules;
pub mod testing;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(test)]
mod xorshift;
#[cfg(feature = "authoring")]
pub mod yaml;

pub use date::{Date, Timestamp};
pub use engine::{Draft, Engine};
pub use error::{Error, ErrorKind, Position};
pub use finding::{Finding, Suggestion};
pub use policy::{Mode, Platform, Policy, Severity};
