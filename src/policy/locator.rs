//! Where things are in the policy files being loaded: each parsed file ([`Layer`]) keeps
//! the position of every path, and a [`Locator`] finds the file, line and column a field
//! of a merged rule was last written at, so validation errors point at it.

use std::collections::HashMap;

use serde_json::Value;

use super::spec::PolicyFile;
use crate::error::Position;
use crate::yaml::Located;

/// One parsed policy file.
pub(crate) struct Layer {
    pub file: String,
    pub doc: Located,
    pub spec: PolicyFile,
}

impl Layer {
    pub fn rule_object(&self, index: usize) -> Option<&serde_json::Map<String, Value>> {
        self.doc.value.get("rules")?.get(index)?.as_object()
    }
}

/// Finds where a field of a merged rule was last written.
pub(crate) struct Locator<'a> {
    pub layers: &'a [Layer],
    pub provenance: &'a [(usize, usize)],
}

impl Locator<'_> {
    /// File and position of `field` (or of the rule itself when `field` is `None` or the
    /// field was never written).
    pub fn at(&self, field: Option<&str>) -> (String, Option<Position>) {
        if let Some(f) = field {
            for &(li, ri) in self.provenance.iter().rev() {
                let layer = &self.layers[li];
                if layer.rule_object(ri).is_some_and(|o| o.contains_key(f)) {
                    return (
                        layer.file.clone(),
                        layer.doc.position(&format!("rules[{ri}].{f}")),
                    );
                }
            }
        }
        let &(li, ri) = self.provenance.last().expect("a merged rule has a source");
        let layer = &self.layers[li];
        let pos = layer
            .doc
            .position(&format!("rules[{ri}].id"))
            .or_else(|| layer.doc.position(&format!("rules[{ri}]")));
        (layer.file.clone(), pos)
    }

    /// Keys written for this rule in any layer, with the layer and index that wrote each
    /// last.
    pub fn keys(&self) -> Vec<(String, usize, usize)> {
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        for &(li, ri) in self.provenance {
            if let Some(o) = self.layers[li].rule_object(ri) {
                for k in o.keys() {
                    seen.insert(k.clone(), (li, ri));
                }
            }
        }
        let mut v: Vec<_> = seen.into_iter().map(|(k, (l, r))| (k, l, r)).collect();
        v.sort();
        v
    }

    pub fn key_at(&self, key: &str, li: usize, ri: usize) -> (String, Option<Position>) {
        let layer = &self.layers[li];
        (
            layer.file.clone(),
            layer.doc.key_position(&format!("rules[{ri}].{key}")),
        )
    }
}
