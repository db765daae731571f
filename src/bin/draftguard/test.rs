//! `draftguard test`: run each policy file's own tests.

use std::path::PathBuf;

use draftguard::{Engine, Error, Policy, testing};

pub fn run(paths: &[PathBuf], quiet: bool) -> Result<u8, Error> {
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in paths {
        let policy = Policy::from_files(std::slice::from_ref(path))?;
        let engine = Engine::new(policy)?;
        let p = engine.policy();
        let version = p
            .version
            .as_ref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default();
        let outcomes = testing::run(&engine);
        crate::outln(&format!(
            "{} ({}{version}): {} tests",
            path.display(),
            p.id,
            outcomes.len()
        ));
        if outcomes.is_empty() {
            crate::outln("  (no tests: add a `tests:` section)");
        }
        for (o, t) in outcomes.iter().zip(&p.tests) {
            if o.passed {
                passed += 1;
                if !quiet {
                    crate::outln(&format!("  PASS  {:>3}  {}", o.index + 1, o.name));
                }
            } else {
                failed += 1;
                let at = t
                    .origin
                    .position
                    .map(|p| format!("{}:{}:{}", t.origin.file, p.line, p.column))
                    .unwrap_or_default();
                crate::outln(&format!("  FAIL  {:>3}  {}  ({at})", o.index + 1, o.name));
                if !o.missing.is_empty() {
                    crate::outln(&format!(
                        "              expected but not found: {}",
                        o.missing.join(", ")
                    ));
                }
                if !o.unexpected.is_empty() {
                    crate::outln(&format!(
                        "              found but not expected: {}",
                        o.unexpected.join(", ")
                    ));
                }
            }
        }
    }
    crate::outln(&format!("{passed} passed, {failed} failed"));
    Ok(u8::from(failed > 0))
}
