//! A regex compiled on its first use. Building an engine compiles no regex: in a
//! restarted worker, V8 compiles the regex compiler's wasm code only when a check first
//! needs a pattern (see `rules/pattern.rs`).

use std::sync::OnceLock;

use regex::Regex;

/// The source of a regex and how to compile it; compiled at most once.
pub struct LazyRegex {
    source: String,
    compile: fn(&str) -> Option<Regex>,
    re: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    pub fn new(source: String, compile: fn(&str) -> Option<Regex>) -> LazyRegex {
        LazyRegex {
            source,
            compile,
            re: OnceLock::new(),
        }
    }

    /// The compiled regex, or `None` if `source` does not compile.
    pub fn get(&self) -> Option<&Regex> {
        self.re
            .get_or_init(|| (self.compile)(&self.source))
            .as_ref()
    }

    #[cfg(test)]
    pub fn is_compiled(&self) -> bool {
        self.re.get().is_some()
    }
}

impl std::fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.source).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    static COMPILED: AtomicUsize = AtomicUsize::new(0);

    fn counting(p: &str) -> Option<Regex> {
        COMPILED.fetch_add(1, Ordering::SeqCst);
        Regex::new(p).ok()
    }

    #[test]
    fn compiles_once_on_first_use_and_not_before() {
        let re = LazyRegex::new("fal+con".into(), counting);
        let bad = LazyRegex::new("(x".into(), counting);
        assert_eq!(COMPILED.load(Ordering::SeqCst), 0);
        assert!(re.get().is_some_and(|r| r.is_match("falllcon")));
        assert!(re.get().is_some());
        assert_eq!(COMPILED.load(Ordering::SeqCst), 1);
        assert!(bad.get().is_none() && bad.get().is_none());
        assert_eq!(COMPILED.load(Ordering::SeqCst), 2);
    }
}
