//! `draftguard lint`.

use std::path::PathBuf;

use draftguard::{Date, Engine, Error, Policy, lint};

pub fn run(paths: &[PathBuf], today: Date) -> Result<u8, Error> {
    let mut total = 0;
    for path in paths {
        let policy = Policy::from_files(std::slice::from_ref(path))?;
        let engine = Engine::new(policy)?;
        let warnings = lint::lint(&engine, today);
        for w in &warnings {
            crate::outln(&format!("{w}"));
        }
        crate::outln(&format!(
            "{}: {} warning{}",
            path.display(),
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ));
        total += warnings.len();
    }
    Ok(u8::from(total > 0))
}
