//! What `check` checks: the drafts named on the command line, one [`Job`] each.
//!
//! An argument is a file, a folder (every file in it and below, sorted by name, hidden
//! ones skipped), a glob (`'drafts/**/*.txt'`, `'posts/*.{txt,md}'`: quoted, so that
//! draftguard expands it rather than the shell) or `-` for stdin. With `--input jsonl`
//! each file is JSON Lines, one draft per line: `{"text", "platform", "date", "id"}`.
//!
//! [`jobs`] lists the drafts lazily (a folder is walked and a JSON Lines file read as
//! the jobs are taken), so 10,000 drafts are never all in memory; [`Job::load`] does the
//! rest of the work (reading a file, parsing a line) on a worker thread. Whatever cannot
//! be read becomes a job that fails with a message naming the file (and line), in its
//! place in the order, and every other draft is still checked.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use draftguard::{Date, Platform};
use serde::Deserialize;

/// How drafts are stored in the files `check` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A file is one draft.
    Text,
    /// A file holds one JSON object per line: `{"text", "platform", "date", "id"}`.
    Jsonl,
}

/// Where a draft came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    /// `--text`.
    Text,
    /// Standard input; with `--input jsonl`, the line.
    Stdin { line: Option<usize> },
    /// A file; with `--input jsonl`, the line.
    File { path: PathBuf, line: Option<usize> },
}

impl From {
    /// The file as the user would name it: its path, `<stdin>` or `<text>`.
    pub fn file(&self) -> String {
        match self {
            From::Text => "<text>".into(),
            From::Stdin { .. } => "<stdin>".into(),
            From::File { path, .. } => path.display().to_string(),
        }
    }

    /// The line of a JSON Lines file.
    pub fn line(&self) -> Option<usize> {
        match self {
            From::Text => None,
            From::Stdin { line } | From::File { line, .. } => *line,
        }
    }

    /// The file, with `:LINE` for a JSON Lines record.
    pub fn place(&self) -> String {
        match self.line() {
            Some(l) => format!("{}:{l}", self.file()),
            None => self.file(),
        }
    }

    fn at_line(&self, line: usize) -> From {
        match self {
            From::File { path, .. } => From::File {
                path: path.clone(),
                line: Some(line),
            },
            _ => From::Stdin { line: Some(line) },
        }
    }
}

/// One draft to check, not yet read.
#[derive(Debug)]
pub enum Job {
    /// `--text` or stdin, already read.
    Text(From, String),
    /// A file to read.
    File(From),
    /// A JSON Lines record to parse.
    Line(From, Vec<u8>),
    /// Nothing to check: a path that is not there, a glob that matches nothing, a folder
    /// or file that cannot be read. The message says what and where.
    Failed(From, String),
}

/// A draft ready to check.
#[derive(Debug)]
pub struct Draft {
    pub from: From,
    /// A JSON Lines record's `id`.
    pub id: Option<String>,
    pub text: String,
    pub platform: Option<Platform>,
    pub date: Date,
}

impl Draft {
    /// How reports name the draft: its `id`, else its file (and line).
    pub fn label(&self) -> String {
        self.id.clone().unwrap_or_else(|| self.from.place())
    }
}

/// A draft that could not be checked.
#[derive(Debug)]
pub struct Failure {
    pub from: From,
    /// What went wrong and where (`posts.jsonl:17: missing field `text``).
    pub message: String,
}

/// The platform and day for drafts that do not say (`--platform`, `--date`).
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub platform: Option<Platform>,
    pub date: Date,
}

/// One JSON Lines record. Other fields (an export's author, schedule...) are ignored.
#[derive(Deserialize)]
struct Record {
    text: String,
    #[serde(default)]
    platform: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    id: Option<Id>,
}

/// Exports number their posts as often as they name them.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Name(String),
    Number(serde_json::Number),
}

impl Job {
    /// Reads or parses the draft.
    pub fn load(self, defaults: Defaults) -> Result<Draft, Failure> {
        let draft = |from, text| Draft {
            from,
            id: None,
            text,
            platform: defaults.platform,
            date: defaults.date,
        };
        match self {
            Job::Text(from, text) => Ok(draft(from, text)),
            Job::File(from) => {
                let From::File { path, .. } = &from else {
                    unreachable!("a file job names a file")
                };
                match std::fs::read(path) {
                    Ok(bytes) => Ok(draft(from, text_of(bytes))),
                    Err(e) => Err(Failure {
                        message: format!("cannot read {}: {e}", from.file()),
                        from,
                    }),
                }
            }
            Job::Line(from, bytes) => match record(&bytes, defaults) {
                Ok((id, text, platform, date)) => Ok(Draft {
                    from,
                    id,
                    text,
                    platform,
                    date,
                }),
                Err(e) => Err(Failure {
                    message: format!("{}: {e}", from.place()),
                    from,
                }),
            },
            Job::Failed(from, message) => Err(Failure { from, message }),
        }
    }
}

type Parsed = (Option<String>, String, Option<Platform>, Date);

fn record(bytes: &[u8], defaults: Defaults) -> Result<Parsed, String> {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let r: Record = serde_json::from_slice(bytes).map_err(|e| {
        // serde_json ends its message with the position; on one line, the column is all.
        let message = e.to_string();
        let at = format!(" at line {} column {}", e.line(), e.column());
        let what = message.strip_suffix(&at).unwrap_or(&message);
        format!("{what} (column {})", e.column())
    })?;
    let platform = match r.platform.as_deref() {
        Some(p) => Some(Platform::parse(p).map_err(|e| format!("platform: {}", e.message))?),
        None => defaults.platform,
    };
    let date = match r.date.as_deref() {
        Some(d) => Date::parse(d).map_err(|e| format!("date: {}", e.message))?,
        None => defaults.date,
    };
    let id = r.id.map(|id| match id {
        Id::Name(s) => s,
        Id::Number(n) => n.to_string(),
    });
    Ok((id, r.text, platform, date))
}

/// A file's bytes as text; invalid UTF-8 sequences become U+FFFD (copying only then).
fn text_of(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The drafts the arguments name, in order: `--text` (one draft, whatever `input`),
/// else each argument expanded (no argument means stdin).
pub fn jobs(
    args: Vec<PathBuf>,
    text: Option<String>,
    input: Input,
) -> Box<dyn Iterator<Item = Job> + Send> {
    if let Some(t) = text {
        return Box::new(std::iter::once(Job::Text(From::Text, t)));
    }
    let args = if args.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args
    };
    Box::new(args.into_iter().flat_map(move |arg| expand(arg, input)))
}

fn expand(arg: PathBuf, input: Input) -> Box<dyn Iterator<Item = Job> + Send> {
    if arg.as_os_str() == "-" {
        let from = From::Stdin { line: None };
        return match input {
            Input::Jsonl => Box::new(lines(from, Box::new(BufReader::new(std::io::stdin())))),
            Input::Text => {
                let mut buf = Vec::new();
                Box::new(std::iter::once(
                    match std::io::stdin().read_to_end(&mut buf) {
                        Ok(_) => Job::Text(from, text_of(buf)),
                        Err(e) => Job::Failed(from, format!("cannot read stdin: {e}")),
                    },
                ))
            }
        };
    }
    let file = move |path: PathBuf| -> Box<dyn Iterator<Item = Job> + Send> {
        let from = From::File { path, line: None };
        match input {
            Input::Text => Box::new(std::iter::once(Job::File(from))),
            Input::Jsonl => {
                let From::File { path, .. } = &from else {
                    unreachable!()
                };
                match std::fs::File::open(path) {
                    Ok(f) => Box::new(lines(from, Box::new(BufReader::new(f)))),
                    Err(e) => {
                        let message = format!("cannot read {}: {e}", from.file());
                        Box::new(std::iter::once(Job::Failed(from, message)))
                    }
                }
            }
        }
    };
    if arg.is_dir() {
        let root = arg.clone();
        return Box::new(walk(&arg, None).flat_map(move |found| match found {
            Ok(path) => file(path),
            Err(message) => Box::new(std::iter::once(Job::Failed(
                From::File {
                    path: root.clone(),
                    line: None,
                },
                message,
            ))),
        }));
    }
    if arg.exists() || !is_glob(&arg) {
        return file(arg);
    }
    match Glob::new(&arg) {
        Ok(g) => Box::new(g.flat_map(move |found| match found {
            Ok(path) => file(path),
            Err((path, message)) => Box::new(std::iter::once(Job::Failed(
                From::File { path, line: None },
                message,
            ))),
        })),
        Err(message) => Box::new(std::iter::once(Job::Failed(
            From::File {
                path: arg,
                line: None,
            },
            message,
        ))),
    }
}

/// The records of a JSON Lines stream, read as they are taken. Blank lines are skipped; a
/// read error ends the stream with a failed job at that line.
fn lines(from: From, mut reader: Box<dyn BufRead + Send>) -> impl Iterator<Item = Job> + Send {
    let mut n = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        while !done {
            let mut buf = Vec::new();
            n += 1;
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => done = true,
                Ok(_) => {
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(Job::Line(from.at_line(n), buf));
                }
                Err(e) => {
                    done = true;
                    let message = format!("cannot read {} at line {n}: {e}", from.file());
                    return Some(Job::Failed(from.at_line(n), message));
                }
            }
        }
        None
    })
}

fn is_glob(p: &Path) -> bool {
    p.to_string_lossy().contains(['*', '?', '[', '{'])
}

/// The files under `root`, depth first, sorted by name in each folder, skipping hidden
/// files and folders (names starting with `.`) below the root. Symbolic links to files
/// are followed; links to folders are not (no loops).
fn walk(
    root: &Path,
    max_depth: Option<usize>,
) -> impl Iterator<Item = Result<PathBuf, String>> + Send + use<> {
    let root = root.to_path_buf();
    let mut w = walkdir::WalkDir::new(&root).sort_by_file_name();
    if let Some(d) = max_depth {
        w = w.max_depth(d);
    }
    w.into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(move |e| match e {
            Ok(e) if e.file_type().is_file() || e.path_is_symlink() && e.path().is_file() => {
                Some(Ok(e.into_path()))
            }
            Ok(_) => None,
            Err(e) => Some(Err(format!(
                "cannot read {}: {}",
                e.path().unwrap_or(&root).display(),
                e.io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string)
            ))),
        })
}

/// The files a glob matches, walked from its literal prefix (`drafts/` for
/// `drafts/**/*.txt`) and no deeper than it can match, sorted like [`walk`]. `*` does
/// not cross `/`; `**` does. A glob that matches nothing ends with an error.
struct Glob {
    pattern: PathBuf,
    matcher: globset::GlobMatcher,
    walk: Box<dyn Iterator<Item = Result<PathBuf, String>> + Send>,
    /// The walk starts at `.`: strip `./` from what it finds.
    from_cwd: bool,
    found: usize,
    done: bool,
}

impl Glob {
    fn new(pattern: &Path) -> Result<Glob, String> {
        let text = pattern.to_string_lossy().into_owned();
        let matcher = globset::GlobBuilder::new(&text)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("bad glob: {e}"))?
            .compile_matcher();
        let parts: Vec<&std::ffi::OsStr> = pattern.iter().collect();
        let literal = parts.iter().take_while(|p| !is_glob(Path::new(p))).count();
        let base: PathBuf = parts[..literal].iter().collect();
        let from_cwd = base.as_os_str().is_empty();
        let deep = parts[literal..]
            .iter()
            .any(|p| p.to_string_lossy().contains("**"));
        let max_depth = (!deep).then_some(parts.len() - literal);
        let base = if from_cwd { PathBuf::from(".") } else { base };
        Ok(Glob {
            pattern: pattern.to_path_buf(),
            matcher,
            walk: Box::new(walk(&base, max_depth)),
            from_cwd,
            found: 0,
            done: false,
        })
    }
}

impl Iterator for Glob {
    type Item = Result<PathBuf, (PathBuf, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        for found in self.walk.by_ref() {
            match found {
                Ok(path) => {
                    let path = if self.from_cwd {
                        path.strip_prefix(".")
                            .map(Path::to_path_buf)
                            .unwrap_or(path)
                    } else {
                        path
                    };
                    if self.matcher.is_match(&path) {
                        self.found += 1;
                        return Some(Ok(path));
                    }
                }
                Err(message) => return Some(Err((self.pattern.clone(), message))),
            }
        }
        self.done = true;
        (self.found == 0).then(|| {
            Err((
                self.pattern.clone(),
                format!("no file matches {}", self.pattern.display()),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder tree per test (`name`): tests run in parallel threads of one process.
    fn tree(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("draftguard-inputs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for f in [
            "b/2.txt",
            "b/10.txt",
            "a.txt",
            "a/z.md",
            ".hidden/x.txt",
            "b/.draft.txt",
            "c/d/e.txt",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        root
    }

    fn listed(jobs: impl Iterator<Item = Job>, root: &Path) -> Vec<String> {
        jobs.map(|j| match j {
            Job::File(From::File { path, .. }) => {
                path.strip_prefix(root).unwrap().display().to_string()
            }
            Job::Failed(_, m) => format!("error: {m}"),
            other => panic!("{other:?}"),
        })
        .collect()
    }

    #[test]
    fn folders_are_walked_sorted_without_hidden_files_and_globs_match_paths() {
        let root = tree("walk");
        let all = listed(jobs(vec![root.clone()], None, Input::Text), &root);
        // Sorted by name in each folder, byte order ("10" before "2"), folders in place.
        assert_eq!(all, ["a/z.md", "a.txt", "b/10.txt", "b/2.txt", "c/d/e.txt"]);
        let txt = listed(jobs(vec![root.join("**/*.txt")], None, Input::Text), &root);
        assert_eq!(txt, ["a.txt", "b/10.txt", "b/2.txt", "c/d/e.txt"]);
        let one_level = listed(
            jobs(vec![root.join("*/*.{txt,md}")], None, Input::Text),
            &root,
        );
        assert_eq!(one_level, ["a/z.md", "b/10.txt", "b/2.txt"]);
    }

    #[test]
    fn a_glob_that_matches_nothing_and_a_missing_file_say_so() {
        let root = tree("missing");
        let pattern = root.join("*.pdf");
        let got: Vec<String> = jobs(
            vec![pattern.clone(), root.join("nope.txt")],
            None,
            Input::Text,
        )
        .map(|j| {
            match j.load(Defaults {
                platform: None,
                date: Date::parse("2026-01-01").unwrap(),
            }) {
                Err(f) => f.message,
                Ok(d) => panic!("{d:?}"),
            }
        })
        .collect();
        assert_eq!(got[0], format!("no file matches {}", pattern.display()));
        assert!(
            got[1].starts_with(&format!(
                "cannot read {}: ",
                root.join("nope.txt").display()
            )),
            "{}",
            got[1]
        );
    }
}
