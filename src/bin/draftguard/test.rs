//! `draftguard test`: run each policy file's own tests, and check its approved posts
//! (`library:`) against the policy: a blocked entry fails like a failing test.

use std::path::PathBuf;

use draftguard::{Date, Engine, Error, Policy, approval, testing};

pub fn run(paths: &[PathBuf], quiet: bool, today: Date) -> Result<u8, Error> {
    let (mut passed, mut failed) = (0usize, 0usize);
    let (mut approved, mut blocked) = (0usize, 0usize);
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
        let reviews = approval::review_all(&engine, today);
        if !reviews.is_empty() {
            crate::outln(&format!("  library: {} approved posts", reviews.len()));
        }
        for r in &reviews {
            let e = r.entry;
            if r.approved() {
                approved += 1;
                if !quiet {
                    let platforms = match &e.platforms {
                        Some(ps) => ps.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "),
                        None => "every platform".into(),
                    };
                    crate::outln(&format!("  OK     {}  ({platforms})", e.id));
                }
            } else {
                blocked += 1;
                let at = e
                    .origin
                    .position
                    .map(|p| format!("  ({}:{}:{})", e.origin.file, p.line, p.column))
                    .unwrap_or_default();
                crate::outln(&format!("  BLOCK  {}{at}", e.id));
                for b in &r.blocks {
                    crate::outln(&format!("              {}", b.describe()));
                }
            }
            for w in &r.warns {
                crate::outln(&format!("  WARN   {}: {}", e.id, w.describe()));
            }
        }
    }
    crate::outln(&format!("{passed} passed, {failed} failed"));
    if approved + blocked > 0 {
        crate::outln(&format!(
            "library: {approved} approved posts pass, {blocked} blocked"
        ));
    }
    Ok(u8::from(failed > 0 || blocked > 0))
}
