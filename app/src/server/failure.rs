//! What kind of failure an error is, read from its structure — PostgreSQL's SQLSTATE, SQLite's
//! result code, the OS error number — never from its message (messages change with versions
//! and locales). And the cause chain, for the log line of an unexpected failure.

use sea_orm::{DbErr, RuntimeErr, SqlErr, TransactionError};
use std::error::Error;

/// PostgreSQL `disk_full`.
const PG_DISK_FULL: &str = "53100";
/// SQLite `SQLITE_FULL` (the result code; sqlx reports the extended code, which for this one
/// has no variants).
const SQLITE_FULL: &str = "13";
/// `ENOSPC`, `EDQUOT` (Linux).
const ENOSPC: i32 = 28;
const EDQUOT: i32 = 122;

/// The driver's error, when the database answered with one.
fn sqlx_of(e: &DbErr) -> Option<&sea_orm::sqlx::Error> {
    match e {
        DbErr::Exec(RuntimeErr::SqlxError(x))
        | DbErr::Query(RuntimeErr::SqlxError(x))
        | DbErr::Conn(RuntimeErr::SqlxError(x)) => Some(x.as_ref()),
        _ => None,
    }
}

fn sqlx_storage_full(e: &sea_orm::sqlx::Error) -> bool {
    match e {
        sea_orm::sqlx::Error::Database(d) => {
            matches!(d.code().as_deref(), Some(PG_DISK_FULL | SQLITE_FULL))
        }
        sea_orm::sqlx::Error::Io(io) => io_storage_full(io),
        _ => false,
    }
}

fn io_storage_full(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(ENOSPC | EDQUOT))
        || e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
}

fn db_storage_full(e: &DbErr) -> bool {
    sqlx_of(e).is_some_and(sqlx_storage_full)
}

/// Whether the storage is full (database or file system), anywhere in the error's causes.
pub fn storage_full(e: &(dyn Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(err) = cur {
        let full = if let Some(db) = err.downcast_ref::<DbErr>() {
            db_storage_full(db)
        } else if let Some(t) = err.downcast_ref::<TransactionError<DbErr>>() {
            match t {
                TransactionError::Connection(db) | TransactionError::Transaction(db) => {
                    db_storage_full(db)
                }
            }
        } else if let Some(x) = err.downcast_ref::<sea_orm::sqlx::Error>() {
            sqlx_storage_full(x)
        } else if let Some(io) = err.downcast_ref::<std::io::Error>() {
            io_storage_full(io)
        } else {
            false
        };
        if full {
            return true;
        }
        cur = err.source();
    }
    false
}

/// Whether a write broke a unique index (PostgreSQL 23505, SQLite 2067/1555): two requests
/// raced for the same value, and the index decided.
pub fn unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// The error and each of its causes, one per line (as zero2prod's `error_chain_fmt`), with the
/// database's code where it gave one.
pub fn chain(e: &(dyn Error + 'static)) -> String {
    let mut out = e.to_string();
    if let Some(code) = e
        .downcast_ref::<DbErr>()
        .and_then(sqlx_of)
        .and_then(|x| match x {
            sea_orm::sqlx::Error::Database(d) => d.code().map(|c| c.into_owned()),
            _ => None,
        })
    {
        out.push_str(&format!(" [code {code}]"));
    }
    let mut cur = e.source();
    while let Some(cause) = cur {
        out.push_str("\n  caused by: ");
        out.push_str(&cause.to_string());
        cur = cause.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_system_saying_it_is_full_is_storage_full_whatever_the_message() {
        let io = std::io::Error::from_raw_os_error(ENOSPC);
        assert!(storage_full(&io));
        let quota = std::io::Error::from_raw_os_error(EDQUOT);
        assert!(storage_full(&quota));
        let other = std::io::Error::other("database or disk is full");
        assert!(!storage_full(&other), "a message is not a code");
        let denied = std::io::Error::from_raw_os_error(13);
        assert!(!storage_full(&denied));
    }

    #[test]
    fn a_cause_deep_in_the_chain_is_found_and_logged() {
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("writing the attachment")
            }
        }
        impl Error for Outer {
            fn source(&self) -> Option<&(dyn Error + 'static)> {
                Some(&self.0)
            }
        }
        let e = Outer(std::io::Error::from_raw_os_error(ENOSPC));
        assert!(storage_full(&e));
        let logged = chain(&e);
        assert!(
            logged.starts_with("writing the attachment\n  caused by: "),
            "{logged}"
        );
    }
}
