use useit_core::i18n::Message;
use useit_core::validation::Invalid;

/// What can go wrong in storage, in terms the callers can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No such row in this programme (which is also what a row of another
    /// programme looks like: tenants cannot probe each other).
    #[error("not found")]
    NotFound,
    /// A unique value is already taken; names the field for the form.
    #[error("{field}: {message}")]
    Conflict { field: String, message: Message },
    /// The input broke a rule only the database could check.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The input names a record the programme does not have (checked in
    /// the write's own transaction); names the field.
    #[error("names a record that does not exist: {0}")]
    Unknown(Invalid),
    #[error("could not open the database {url}: {reason}")]
    Open { url: String, reason: String },
    #[error("could not migrate the database {url}: {reason}")]
    Migrate { url: String, reason: String },
    #[error("backup or restore failed: {0}")]
    Backup(String),
    /// The database is busy (another write holds SQLite's lock past the
    /// wait, PostgreSQL gave up on a lock or a serialisation, or every
    /// connection is in use): nothing was written, and trying again in a
    /// moment will do.
    #[error("the database is busy: {0}")]
    Busy(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    /// Text PostgreSQL cannot hold (a NUL byte: SQLSTATE 22021) is the
    /// input's fault, not the server's: a last guard behind the checks where
    /// text enters, so it can never become a server error.
    fn from(e: sqlx::Error) -> Self {
        if e.as_database_error()
            .and_then(|d| d.code())
            .is_some_and(|c| c == "22021" || c == "22P05")
        {
            return StoreError::Invalid(Invalid::one(
                "text",
                Message::new("validation.control_character").arg("field", "text"),
            ));
        }
        if is_busy(&e) {
            return StoreError::Busy(e.to_string());
        }
        StoreError::Database(e)
    }
}

/// SQLite's BUSY and LOCKED (with their extended codes: the low byte is
/// the primary code), PostgreSQL's lock_not_available, serialization
/// failure and deadlock, and a pool with no connection free in time.
fn is_busy(e: &sqlx::Error) -> bool {
    if matches!(e, sqlx::Error::PoolTimedOut) {
        return true;
    }
    let Some(code) = e.as_database_error().and_then(|d| d.code()) else {
        return false;
    };
    if let Ok(n) = code.parse::<u32>() {
        return matches!(n & 0xff, 5 | 6);
    }
    matches!(code.as_ref(), "55P03" | "40001" | "40P01")
}

impl StoreError {
    /// The error in the catalogue's words, for people at a terminal or a page.
    pub fn message(&self) -> Message {
        match self {
            StoreError::NotFound => Message::new("store.not_found"),
            StoreError::Conflict { field, message } => Message::new("store.conflict")
                .arg("field", field)
                .said("message", message),
            StoreError::Invalid(i) | StoreError::Unknown(i) => i.message(),
            StoreError::Open { url, reason } => Message::new("store.open")
                .arg("url", url)
                .arg("reason", reason),
            StoreError::Migrate { url, reason } => Message::new("store.migrate")
                .arg("url", url)
                .arg("reason", reason),
            StoreError::Backup(reason) => Message::new("store.backup").arg("reason", reason),
            StoreError::Busy(_) => Message::new("store.busy"),
            StoreError::Database(e) => Message::new("store.database").arg("reason", e),
        }
    }

    pub fn conflict(field: &str, key: &str) -> Self {
        StoreError::Conflict {
            field: field.to_string(),
            message: Message::new(key),
        }
    }

    /// A unique-constraint violation as a conflict on `field`; other errors as they are.
    pub fn unique_as(
        field: &'static str,
        key: &'static str,
    ) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |e| {
            if Self::is_unique_violation(&e) {
                Self::conflict(field, key)
            } else {
                e.into()
            }
        }
    }

    /// Whether a database error is a unique-constraint violation.
    pub fn is_unique_violation(e: &sqlx::Error) -> bool {
        e.as_database_error()
            .is_some_and(|d| d.is_unique_violation())
    }
}

/// A database URL safe to print: any password is replaced with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_printed() {
        assert_eq!(
            redact_url("postgres://useit:s3cret@db.example:5432/useit"),
            "postgres://useit:***@db.example:5432/useit"
        );
        assert_eq!(redact_url("sqlite://useit.db"), "sqlite://useit.db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}

#[cfg(test)]
mod busy_tests {
    use super::*;
    use sqlx::Connection;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

    /// A write that meets another write's lock is "busy" (a 503 to try
    /// again), not a database failure (a 500).
    #[tokio::test]
    async fn a_write_held_up_by_another_is_busy() {
        let path = std::env::temp_dir().join(format!("useit-busy-{}.db", uuid::Uuid::now_v7()));
        let opts = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .busy_timeout(std::time::Duration::ZERO);
        let mut holder = SqliteConnection::connect_with(&opts).await.unwrap();
        sqlx::query("CREATE TABLE t (x INTEGER)")
            .execute(&mut holder)
            .await
            .unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut holder)
            .await
            .unwrap();
        let mut other = SqliteConnection::connect_with(&opts).await.unwrap();
        let e = sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut other)
            .await
            .unwrap_err();
        assert!(matches!(StoreError::from(e), StoreError::Busy(_)));
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::Busy(_)
        ));
        drop((holder, other));
        let _ = std::fs::remove_file(&path);
    }
}
