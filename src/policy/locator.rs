//! Where things are in the policy files being loaded: each parsed file ([`Layer`]) keeps
//! the position of every path, and a [`Locator`] finds the file, line and column a field
//! of a merged entry (a rule, an entry of the approved-post `library`, a site adapter) was
//! last written at, so validation errors point at it.

use std::collections::HashMap;

use serde_json::Value;

use super::spec::PolicyFile;
use crate::error::Position;
use crate::located::Located;

/// One parsed policy file.
pub(crate) struct Layer {
    pub file: String,
    pub doc: Located,
    pub spec: PolicyFile,
    /// The embedded default policy read from its build-time form: its rules are known to
    /// be valid (a test loads the same text the validating way), so validation may skip
    /// what is only expensive (compiling a pattern) for the rules that come from it alone.
    pub trusted: bool,
}

impl Layer {
    /// Entry `index` of the list `section` (`rules`, `library`, `adapters`) as written.
    pub fn entry_object(
        &self,
        section: &str,
        index: usize,
    ) -> Option<&serde_json::Map<String, Value>> {
        self.doc.value.get(section)?.get(index)?.as_object()
    }
}

/// Finds where a field of a merged entry of a list (`rules`, `library`, `adapters`) was last written.
pub(crate) struct Locator<'a> {
    pub layers: &'a [Layer],
    /// The top-level list the entry is in: `rules`, `library` or `adapters`.
    pub section: &'static str,
    /// The (layer, index in its list) of each entry that contributed, base first.
    pub provenance: &'a [(usize, usize)],
}

impl Locator<'_> {
    /// File and position of `field` (or of the entry itself when `field` is `None` or the
    /// field was never written). `field` may go deeper (`hosts[2]`).
    pub fn at(&self, field: Option<&str>) -> (String, Option<Position>) {
        if let Some(f) = field {
            let key = f.split(['[', '.']).next().unwrap_or(f);
            let section = self.section;
            for &(li, ri) in self.provenance.iter().rev() {
                let layer = &self.layers[li];
                if layer
                    .entry_object(section, ri)
                    .is_some_and(|o| o.contains_key(key))
                {
                    let at = |p: &str| layer.doc.position(&format!("{section}[{ri}].{p}"));
                    return (layer.file.clone(), at(f).or_else(|| at(key)));
                }
            }
        }
        let &(li, ri) = self.provenance.last().expect("a merged entry has a source");
        let layer = &self.layers[li];
        let section = self.section;
        let pos = layer
            .doc
            .position(&format!("{section}[{ri}].id"))
            .or_else(|| layer.doc.position(&format!("{section}[{ri}]")));
        (layer.file.clone(), pos)
    }

    /// Keys written for this entry in any layer, with the layer and index that wrote each
    /// last.
    pub fn keys(&self) -> Vec<(String, usize, usize)> {
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        for &(li, ri) in self.provenance {
            if let Some(o) = self.layers[li].entry_object(self.section, ri) {
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
            layer
                .doc
                .key_position(&format!("{}[{ri}].{key}", self.section)),
        )
    }
}
