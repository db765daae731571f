//! Errors that say what went wrong and where: file, line, column and rule id.

use std::fmt;

/// A position in a policy file. Lines and columns are 1-based, columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Everything that can go wrong while loading, compiling or testing a policy.
///
/// The `Display` form reads like a compiler diagnostic:
/// `policies/acme.yaml:12:14: rule `codename`: invalid regex: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
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
    pub fn new(message: impl Into<String>) -> Error {
        Error {
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
