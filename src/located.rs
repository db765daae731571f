//! A policy document as the loader sees it: its value, plus the line and column of every
//! path in it when the reader knew them.
//!
//! The typed policy is deserialized from the value with `serde_path_to_error`, which names
//! the path of a bad field (`rules[3].severity`); [`Located::position`] turns that path
//! back into a line and column. The YAML reader ([`crate::yaml`]) records every position;
//! the JSON reader of the engine wasm ([`crate::json`]) records none, and its errors name
//! the file and the path only.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::Position;

/// Nodes (scalars, lists, maps) a single policy file may expand to, aliases included.
pub const MAX_NODES: usize = 1_000_000;
/// Nesting a policy file may use.
pub const MAX_DEPTH: usize = 64;

/// A parsed document plus the position of every path in it.
#[derive(Debug, Clone)]
pub struct Located {
    pub value: Value,
    pub(crate) values: HashMap<String, Position>,
    pub(crate) keys: HashMap<String, Position>,
}

impl Located {
    /// A document without positions (the pre-parsed default policy, a sealed bundle's
    /// JSON): errors in it name the file and the path but no line.
    pub fn unpositioned(value: Value) -> Located {
        Located {
            value,
            values: HashMap::new(),
            keys: HashMap::new(),
        }
    }

    /// Where the value at `path` (as `serde_path_to_error` prints it) starts.
    pub fn position(&self, path: &str) -> Option<Position> {
        self.values.get(path).copied()
    }

    /// Where the key that names `path` starts (for "unknown field" errors).
    pub fn key_position(&self, path: &str) -> Option<Position> {
        self.keys.get(path).copied()
    }

    /// The nearest known position at or above `path`.
    pub fn nearest(&self, path: &str) -> Option<Position> {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.position(&p) {
                return Some(pos);
            }
            let cut = p.rfind(['.', '['])?;
            p.truncate(cut);
            if p.is_empty() {
                return self.position("");
            }
        }
    }
}

/// Joins a child onto a path the way `serde_path_to_error` displays paths.
pub fn child_key(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

pub fn child_index(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}
