//! One error type for the console: what went wrong, and which HTTP status says so.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The request or command is wrong (a bad field, an unknown ring name...).
    Invalid,
    /// Not logged in, or a bad token.
    Unauthorized,
    /// Logged in, but not allowed.
    Forbidden,
    NotFound,
    /// It clashes with what is stored (same version, other content; a rollback...).
    Conflict,
    /// A bundle the pinned keys, the clock or its own tests refuse.
    Refused,
    TooLarge,
    RateLimited,
    /// The database or the machine failed.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    /// The field at fault (`events[3].kind`), for validation errors.
    pub field: Option<String>,
    /// For refused bundles: the refusal code (`bad-signature`, `unknown-key`...).
    pub code: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            field: None,
            code: None,
        }
    }
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::new(Kind::Invalid, message)
    }
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Error {
        let field = field.into();
        let message = format!("{field}: {}", message.into());
        Error {
            field: Some(field),
            ..Error::new(Kind::Invalid, message)
        }
    }
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(Kind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::new(Kind::Conflict, message)
    }
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(Kind::Internal, message)
    }
    pub fn db(e: impl fmt::Display) -> Error {
        Error::internal(format!("database: {e}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::db(e)
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(e: tokio_postgres::Error) -> Error {
        // The server's own message (e.g. "relation does not exist") says more than Display.
        match e.as_db_error() {
            Some(d) => Error::db(format!("{} ({})", d.message(), d.code().code())),
            None => Error::db(e),
        }
    }
}

impl From<deadpool_postgres::PoolError> for Error {
    fn from(e: deadpool_postgres::PoolError) -> Error {
        Error::db(e)
    }
}
