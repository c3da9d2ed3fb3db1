// Revisions in SQL both backends understand. Compiled into `sqlite.rs` and
// `postgres.rs` as a module, where `Db` and `ThisStore` name the backend.

use async_trait::async_trait;

use useit_core::{ProgrammeId, UserId};

use super::{Db, ThisStore};
use crate::Result;
use crate::revision::{
    AccessRevision, PARTNERS, REFERENCE, Revision, RevisionStore, SETTINGS, SPEND_FILES,
};

/// Bumps a scope's counter (a programme's id, or [`REFERENCE`]) inside the
/// transaction of the change, so the change and its revision stand or fall
/// together.
pub(crate) async fn bump(conn: &mut <Db as sqlx::Database>::Connection, scope: &str) -> Result<()> {
    sqlx::query::<Db>(
        "INSERT INTO revisions (scope, n) VALUES ($1, 1) \
         ON CONFLICT (scope) DO UPDATE SET n = revisions.n + 1",
    )
    .bind(scope)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Bumps a programme's counter.
pub(crate) async fn bump_programme(
    conn: &mut <Db as sqlx::Database>::Connection,
    programme: ProgrammeId,
) -> Result<()> {
    bump(conn, &programme.0.to_string()).await
}

/// Bumps the reference geography's counter.
pub(crate) async fn bump_reference(conn: &mut <Db as sqlx::Database>::Connection) -> Result<()> {
    bump(conn, REFERENCE).await
}

/// The statement reading a programme's counters: `$1` the programme's id as
/// text (its spend scope), `$2` the reference geography's scope, `$3` the
/// programme's id. Each row is a scope and its count, read by
/// [`revision_of`].
macro_rules! revision_select {
    () => {
        "SELECT scope, n FROM revisions WHERE scope IN ($1, $2) \
         UNION ALL SELECT 'records', n FROM record_revisions WHERE programme_id = $3 \
         UNION ALL SELECT 'list:' || list, n FROM list_revisions WHERE programme_id = $3"
    };
}

/// A programme's counters from the rows of [`revision_select`].
fn revision_of(rows: Vec<(String, i64)>) -> Revision {
    let mut r = Revision::default();
    for (scope, n) in rows {
        match scope.strip_prefix("list:") {
            Some(PARTNERS) => r.partners = n,
            Some(SETTINGS) => r.settings = n,
            Some(SPEND_FILES) => r.spend_files = n,
            Some(_) => {}
            None if scope == REFERENCE => r.reference = n,
            None if scope == "records" => r.records = n,
            None => r.programme = n,
        }
    }
    r
}

#[async_trait]
impl RevisionStore for ThisStore {
    async fn revision(&self, programme: ProgrammeId) -> Result<Revision> {
        // Every counter in one statement: a kept page reads only this.
        let rows: Vec<(String, i64)> = sqlx::query_as::<Db, (String, i64)>(revision_select!())
            .bind(programme.0.to_string())
            .bind(REFERENCE)
            .bind(programme.0)
            .fetch_all(&self.pool)
            .await?;
        Ok(revision_of(rows))
    }

    async fn access_revision(&self, user: UserId) -> Result<AccessRevision> {
        let rows: Vec<(uuid::Uuid, i64)> = sqlx::query_as::<Db, (uuid::Uuid, i64)>(
            "SELECT subject, n FROM access_revisions WHERE subject IN ($1, $2)",
        )
        .bind(uuid::Uuid::nil())
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        let mut r = AccessRevision::default();
        for (subject, n) in rows {
            if subject.is_nil() {
                r.everyone = n;
            } else {
                r.account = n;
            }
        }
        Ok(r)
    }

    async fn access_and_revision(
        &self,
        user: UserId,
        programme: ProgrammeId,
    ) -> Result<(AccessRevision, Revision)> {
        let rows: Vec<(String, i64)> = sqlx::query_as::<Db, (String, i64)>(concat!(
            "SELECT CASE WHEN subject = $4 THEN 'access:everyone' ELSE 'access:account' END, n \
             FROM access_revisions WHERE subject IN ($4, $5) UNION ALL ",
            revision_select!()
        ))
        .bind(programme.0.to_string())
        .bind(REFERENCE)
        .bind(programme.0)
        .bind(uuid::Uuid::nil())
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        let mut access = AccessRevision::default();
        let mut rest = Vec::with_capacity(rows.len());
        for (scope, n) in rows {
            match scope.as_str() {
                "access:everyone" => access.everyone = n,
                "access:account" => access.account = n,
                _ => rest.push((scope, n)),
            }
        }
        Ok((access, revision_of(rest)))
    }

    async fn list_revision(&self, programme: ProgrammeId, list: &str) -> Result<i64> {
        Ok(sqlx::query_scalar::<Db, i64>(
            "SELECT n FROM list_revisions WHERE programme_id = $1 AND list = $2",
        )
        .bind(programme.0)
        .bind(list)
        .fetch_optional(&self.pool)
        .await?
        .unwrap_or(0))
    }
}
