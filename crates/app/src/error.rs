//! The one error a use case returns. Each surface maps it once: a page
//! (404/403, the form again with errors beside the fields, the import
//! report), problem JSON in the API, a message and an exit code in the CLI.

use useit_core::csv_import::Report;
use useit_core::i18n::Message;
use useit_core::validation::{FieldError, Invalid};
use useit_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such record in the caller's programme (or caseload): another
    /// programme's record looks exactly like a missing one.
    #[error("not found")]
    NotFound,
    /// The caller's role may not do this.
    #[error("refused")]
    Refused,
    /// The input broke rules; every field's problem at once.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The input is well formed but names a record the programme does not
    /// have (an anchor, an organisation, a person): each such field named.
    /// The API answers 404 naming them; a form shows them as field errors.
    #[error("names a record that does not exist")]
    Unknown(Vec<FieldError>),
    /// A unique value is taken, or the state forbids the change.
    #[error("{field}: {message}")]
    Conflict { field: String, message: Message },
    /// The file had errors: nothing was written. The report names each
    /// problem's line and column.
    #[error("the file {} has errors", .0.file)]
    Rejected(Report),
    #[error(transparent)]
    Store(StoreError),
}

impl Error {
    /// One field's problem.
    pub fn invalid(field: &str, message: Message) -> Error {
        Error::Invalid(Invalid::one(field, message).0)
    }

    /// One field naming a record that does not exist.
    pub fn unknown(field: &str, message: Message) -> Error {
        Error::Unknown(Invalid::one(field, message).0)
    }

    /// The error in the catalogue's words, for a terminal.
    pub fn message(&self) -> Message {
        match self {
            Error::NotFound => Message::new("store.not_found"),
            Error::Refused => Message::new("error.forbidden.detail"),
            // Each field's problem said when read, not fixed in English
            // when written (a failed job keeps this to say later).
            Error::Invalid(errs) | Error::Unknown(errs) => useit_core::validation::message_of(errs),
            Error::Conflict { field, message } => Message::new("store.conflict")
                .arg("field", field)
                .said("message", message),
            Error::Rejected(r) => Message::new("error.import.detail")
                .arg("count", useit_core::i18n::format_count(r.error_count())),
            Error::Store(e) => e.message(),
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Error::NotFound,
            StoreError::Conflict { field, message } => Error::Conflict { field, message },
            StoreError::Invalid(Invalid(errs)) => Error::Invalid(errs),
            StoreError::Unknown(Invalid(errs)) => Error::Unknown(errs),
            other => Error::Store(other),
        }
    }
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::Invalid(e.0)
    }
}

/// What an import did, and what it found in the file that did not stop it
/// (warnings, lines skipped on request).
#[derive(Clone, Debug)]
pub struct Imported<T> {
    pub outcome: T,
    pub report: Report,
}
