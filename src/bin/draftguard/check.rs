//! `draftguard check`.

use std::io::Read;
use std::path::PathBuf;

use draftguard::report::{Report, Units};
use draftguard::{
    Date, Draft, Engine, Error, ErrorKind, Finding, Mode, Platform, Policy, Severity,
};
use serde_json::json;

use crate::render::{self, Style};

pub struct Args {
    pub files: Vec<PathBuf>,
    pub text: Option<String>,
    pub policy: Policy,
    pub platform: Option<Platform>,
    pub date: Date,
    pub json: bool,
    pub color: bool,
}

pub fn run(args: Args) -> Result<u8, Error> {
    let mut inputs: Vec<(String, String)> = Vec::new();
    if let Some(t) = args.text {
        inputs.push(("<text>".into(), t));
    } else if args.files.is_empty()
        || args.files.iter().any(|f| f.as_os_str() == "-") && args.files.len() == 1
    {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read stdin: {e}")))?;
        inputs.push(("<stdin>".into(), String::from_utf8_lossy(&buf).into_owned()));
    } else {
        for f in &args.files {
            let bytes = std::fs::read(f).map_err(|e| {
                Error::new(ErrorKind::Io, format!("cannot read {}: {e}", f.display()))
            })?;
            inputs.push((
                f.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
    let engine = Engine::new(args.policy)?;
    let style = Style { color: args.color };
    let mut blocked = false;
    let mut reports = Vec::new();
    for (label, text) in &inputs {
        let draft = Draft {
            text,
            platform: args.platform,
            date: Some(args.date),
        };
        let findings = engine.check(&draft);
        blocked |= findings.iter().any(Finding::is_enforced_block);
        // Every span of the draft converted in one pass, for either output.
        let report = Report::new(text, &findings);
        if args.json {
            reports.push(json!({ "source": label, "findings": report.json(Units::All) }));
        } else {
            let mut out = String::new();
            for (i, f) in findings.iter().enumerate() {
                render::finding(&mut out, label, text, f, report.span(i), &style);
            }
            out.push_str(&summary(label, &findings));
            crate::out(&out);
        }
    }
    if args.json {
        let p = engine.policy();
        let doc = json!({
            "policy": {
                "id": p.id,
                "version": p.version.as_ref().map(|v| v.to_string()),
                "title": p.title,
                "layers": p.layers,
                "settings": p.settings,
            },
            "platform": args.platform.map(|p| p.name()),
            "date": args.date.to_string(),
            "blocked": blocked,
            "drafts": reports,
        });
        crate::outln(&serde_json::to_string_pretty(&doc).expect("report serializes"));
    }
    Ok(u8::from(blocked))
}

fn summary(label: &str, findings: &[Finding]) -> String {
    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.mode == Mode::Enforce)
        .collect();
    let monitor = findings.len() - shown.len();
    let count = |s: Severity| shown.iter().filter(|f| f.severity == s).count();
    let mut s = if shown.is_empty() {
        format!("{label}: no findings")
    } else {
        format!(
            "{label}: {} finding{} ({} block, {} warn, {} info)",
            shown.len(),
            if shown.len() == 1 { "" } else { "s" },
            count(Severity::Block),
            count(Severity::Warn),
            count(Severity::Info)
        )
    };
    if monitor > 0 {
        s.push_str(&format!(", {monitor} monitor"));
    }
    if count(Severity::Block) > 0 {
        s.push_str(" — posting would be blocked");
    }
    s.push('\n');
    s
}
