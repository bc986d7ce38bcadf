//! The one error type of the program. Data problems are collected as diagnostics; this type is for
//! what stops a command: usage, I/O, and "the data is invalid".

use crate::diag::Diagnostic;
use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// Bad command-line use (exit 2).
    Usage(String),
    /// Reading or writing failed (exit 2).
    Io { action: &'static str, path: String, source: std::io::Error },
    /// The data did not validate: the diagnostics say why (exit 1).
    Invalid(Vec<Diagnostic>),
    /// A claim failed or another check did not hold (exit 1).
    Failed(String),
    /// Something else went wrong while writing outputs (exit 2).
    Other(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// `action` is what was being done, e.g. "write" or "create folder": the message reads
    /// "cannot write PATH: reason".
    pub fn io(action: &'static str, path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Error::Io { action, path: path.as_ref().display().to_string(), source }
    }
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_) | Error::Failed(_) => 1,
            Error::Usage(_) | Error::Io { .. } | Error::Other(_) => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(m) => write!(f, "usage: {m}"),
            Error::Io { action, path, source } => write!(f, "cannot {action} {path}: {source}"),
            Error::Invalid(d) => {
                let n = d.iter().filter(|d| d.is_error()).count();
                write!(f, "the data is invalid: {n} error(s)")
            }
            Error::Failed(m) => write!(f, "{m}"),
            Error::Other(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}
