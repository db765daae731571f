//! `draftguard check`: every draft the arguments name, checked in parallel on all cores,
//! reported in input order as soon as each one's turn comes.
//!
//! The drafts are listed lazily ([`inputs`]); workers read, check and render each one to
//! its piece of output ([`ordered`]), which this module writes in order with the opening
//! and end of the chosen format. A draft's cost is its length plus its findings: one
//! check, one conversion of all its spans ([`Report`]), one rendering.

use std::io::Write;
use std::path::PathBuf;

use draftguard::engine::MAX_TEXT_BYTES;
use draftguard::report::Report;
use draftguard::{Engine, Error, ErrorKind, Finding, Policy};

use crate::inputs::{self, Defaults, Input, Job};
use crate::json;
use crate::ordered;
use crate::parts;
use crate::render::{self, Counts, Style, Totals};
use crate::sarif::Sarif;

/// Drafts in flight per thread (queued, being checked, or checked and waiting for an
/// earlier one to be written). Enough that workers rarely wait for the writer; small
/// enough that memory stays bounded by a few dozen drafts' reports.
const WINDOW: usize = 16;

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
}

pub struct Args {
    pub paths: Vec<PathBuf>,
    pub text: Option<String>,
    pub input: Input,
    pub policy: Policy,
    pub defaults: Defaults,
    pub format: Format,
    pub style: Style,
    /// Worker threads.
    pub jobs: usize,
}

/// One draft's share of the output, rendered by a worker.
struct Outcome {
    /// Its piece of the report: human text, a JSON Lines line, or items of the JSON
    /// document's `drafts` or the SARIF `results` array (joined by `,\n`).
    text: String,
    /// Something the user must know about how the draft was checked (for stderr).
    warning: Option<String>,
    /// A failure's message (for stderr) and, in SARIF, its notification.
    failure: Option<(String, Option<serde_json::Value>)>,
    counts: Counts,
    blocked: bool,
}

pub fn run(args: Args) -> Result<u8, Error> {
    let engine = Engine::new(args.policy)?;
    let cwd = std::env::current_dir().map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read the current folder: {e}"),
        )
    })?;
    let sarif = Sarif::new(&engine, cwd);
    let (format, defaults, style) = (args.format, args.defaults, &args.style);

    let work = |job: Job| -> Outcome {
        let draft = match job.load(defaults) {
            Ok(d) => d,
            Err(f) => {
                let text = match format {
                    Format::Json => json::failure_pretty(&f),
                    Format::Jsonl => json::failure(&f) + "\n",
                    Format::Human | Format::Sarif => String::new(),
                };
                let notification = (format == Format::Sarif).then(|| sarif.notification(&f));
                return Outcome {
                    text,
                    warning: None,
                    failure: Some((f.message, notification)),
                    counts: Counts::default(),
                    blocked: false,
                };
            }
        };
        let (findings, parts) = parts::check(
            &engine,
            &draftguard::Draft {
                text: &draft.text,
                platform: draft.platform,
                date: Some(draft.date),
            },
        );
        let warning = (parts > 1).then(|| {
            format!(
                "{} is larger than {} MiB, so it was checked in {parts} parts (cut between lines where it could); \
                 `length` and `require` rules judged each part on its own",
                draft.label(),
                MAX_TEXT_BYTES >> 20
            )
        });
        let blocked = findings.iter().any(Finding::is_enforced_block);
        // Every span of the draft converted in one pass, for whichever output.
        let report = Report::new(&draft.text, &findings);
        let text = match format {
            Format::Human => {
                let mut out = String::new();
                let numbered = draft.id.is_none() && draft.from.line().is_some();
                render::draft(
                    &mut out,
                    (&draft.label(), numbered),
                    &draft.text,
                    &report,
                    style,
                );
                out
            }
            Format::Json => json::draft_pretty(&draft, &report, blocked),
            Format::Jsonl => json::draft(&draft, &report, blocked) + "\n",
            Format::Sarif => sarif.results(&draft, &report),
        };
        Outcome {
            text,
            warning,
            failure: None,
            counts: Counts::of(&findings),
            blocked,
        }
    };

    let mut out = Out::new();
    match format {
        Format::Json => out.write(&json::head(engine.policy(), defaults)),
        Format::Sarif => out.write(&sarif.head()),
        Format::Human | Format::Jsonl => {}
    }
    let mut totals = Totals::default();
    let mut items = 0;
    let mut notifications = Vec::new();
    // A draft with nothing to say is reported only when it is the only one; until a
    // second draft comes, the first one's "no findings" line waits here.
    let mut quiet_first: Option<String> = None;
    let threads = args.jobs.max(1);
    let jobs = inputs::jobs(args.paths, args.text, args.input);
    ordered::map(jobs, threads, WINDOW * threads, work, |o: Outcome| {
        let seen = totals.drafts + totals.failed;
        if seen == 1 {
            quiet_first = None;
        }
        if let Some(w) = &o.warning {
            out.flush();
            eprintln!("warning: {w}");
        }
        if let Some((message, notification)) = o.failure {
            totals.failed += 1;
            out.flush();
            eprintln!("error: {message}");
            notifications.extend(notification);
        } else {
            totals.drafts += 1;
            totals.counts.add(o.counts);
            let any = o.counts != Counts::default();
            totals.flagged += usize::from(any);
            totals.blocked += usize::from(o.blocked);
            if format == Format::Human && !any {
                if seen == 0 {
                    quiet_first = Some(o.text);
                }
                return;
            }
        }
        if o.text.is_empty() {
            return;
        }
        match format {
            Format::Json | Format::Sarif => out.write(if items == 0 { "\n" } else { ",\n" }),
            // A blank line between drafts.
            Format::Human if items > 0 => out.write("\n"),
            Format::Human | Format::Jsonl => {}
        }
        items += 1;
        out.write(&o.text);
    });
    let seen = totals.drafts + totals.failed;
    match format {
        Format::Human if seen > 1 => out.write(&format!(
            "{}{}\n",
            if items > 0 { "\n" } else { "" },
            totals.line()
        )),
        Format::Human => out.write(&quiet_first.unwrap_or_default()),
        Format::Json => out.write(&json::tail(items > 0, totals.blocked > 0)),
        Format::Sarif => out.write(&Sarif::tail(items > 0, &notifications)),
        Format::Jsonl => {}
    }
    out.flush();
    Ok(if totals.failed > 0 {
        2
    } else {
        u8::from(totals.blocked > 0)
    })
}

/// Buffered stdout that ends the program quietly on a closed pipe (`check ... | head`).
struct Out(std::io::BufWriter<std::io::Stdout>);

impl Out {
    fn new() -> Out {
        Out(std::io::BufWriter::with_capacity(
            1 << 16,
            std::io::stdout(),
        ))
    }

    fn write(&mut self, s: &str) {
        let r = self.0.write_all(s.as_bytes());
        self.check(r);
    }

    fn flush(&mut self) {
        let r = self.0.flush();
        self.check(r);
    }

    fn check(&self, r: std::io::Result<()>) {
        if let Err(e) = r {
            crate::write_failed(e);
        }
    }
}
