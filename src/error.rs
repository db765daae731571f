//! Errors that say what went wrong and where: file, line, column and rule id, and what
//! kind of problem it is, so a program can branch on [`ErrorKind`] without reading the
//! message.

use std::fmt;

/// A position in a policy file. Lines and columns are 1-based, columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// What kind of problem an [`Error`] is. The message says it in words; the kind is for
/// programs (the extension's options page, the console) that react differently to, say,
/// a typo in a field name and an unreadable file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not YAML or JSON (a syntax error, an empty file, a second document).
    Parse,
    /// A field the language does not have, or one the rule's kind does not take.
    UnknownField,
    /// A field that must be given is missing (`near` rules need `b`).
    MissingField,
    /// A value of the wrong type or not among those accepted: an unknown platform,
    /// detector or placeholder, a day that does not exist, an empty list, a bad version,
    /// an invalid key or command-line value.
    InvalidValue,
    /// A `pattern` that is not a valid regular expression, or that matches the empty
    /// string.
    InvalidPattern,
    /// The same rule id twice in one file, or the same key twice in one mapping.
    Duplicate,
    /// `extends` goes round in a circle.
    Cycle,
    /// Something named is not there: the policy an `extends` names, a rule a test expects.
    NotFound,
    /// A file that cannot be read or written.
    Io,
    /// A size limit: a document, nesting, phrase, pattern or bundle too large.
    Limit,
    /// The policy's own tests fail (it is not signed).
    TestsFailed,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::Parse,
        ErrorKind::UnknownField,
        ErrorKind::MissingField,
        ErrorKind::InvalidValue,
        ErrorKind::InvalidPattern,
        ErrorKind::Duplicate,
        ErrorKind::Cycle,
        ErrorKind::NotFound,
        ErrorKind::Io,
        ErrorKind::Limit,
        ErrorKind::TestsFailed,
    ];

    /// The kebab-case name JavaScript and JSON see (`unknown-field`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Parse => "parse",
            ErrorKind::UnknownField => "unknown-field",
            ErrorKind::MissingField => "missing-field",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::InvalidPattern => "invalid-pattern",
            ErrorKind::Duplicate => "duplicate",
            ErrorKind::Cycle => "cycle",
            ErrorKind::NotFound => "not-found",
            ErrorKind::Io => "io",
            ErrorKind::Limit => "limit",
            ErrorKind::TestsFailed => "tests-failed",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything that can go wrong while loading, compiling or testing a policy.
///
/// The `Display` form reads like a compiler diagnostic:
/// `policies/acme.yaml:12:14: rule `codename`: invalid regex: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What kind of problem it is.
    pub kind: ErrorKind,
    /// The file (or a label such as `<embedded default>`), when known.
    pub file: Option<String>,
    /// Where in that file, when known.
    pub position: Option<Position>,
    /// The rule the problem belongs to, when it belongs to one.
    pub rule: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            file: None,
            position: None,
            rule: None,
            message: message.into(),
        }
    }

    pub fn with_file(mut self, file: impl Into<String>) -> Error {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    pub fn with_position(mut self, position: Option<Position>) -> Error {
        if self.position.is_none() {
            self.position = position;
        }
        self
    }

    pub fn with_rule(mut self, rule: impl Into<String>) -> Error {
        if self.rule.is_none() {
            self.rule = Some(rule.into());
        }
        self
    }

    /// Puts `prefix` before the message (`--date: ` + what is wrong with the date).
    pub fn prefixed(mut self, prefix: &str) -> Error {
        self.message.insert_str(0, prefix);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(p) = self.position {
                write!(f, ":{}:{}", p.line, p.column)?;
            }
            write!(f, ": ")?;
        } else if let Some(p) = self.position {
            write!(f, "line {}, column {}: ", p.line, p.column)?;
        }
        if let Some(rule) = &self.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
