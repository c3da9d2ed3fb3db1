//! What the audit log's pages and API share: reading it, for a programme
//! or the whole deployment.

use useit_app::audit::{
    Names, Reading, deployment_log, deployment_names, programme_log, programme_names,
};
use useit_core::audit::{AuditEntry, AuditQuery};
use useit_core::listing::{Page, PageRequest};

use crate::http::ctx::Ctx;
use crate::http::error::AppError;
use crate::state::AppState;

/// Whose log: the programme in the path, or (for a deployment
/// administrator) every programme's.
pub enum Whose {
    Programme,
    Deployment,
}

/// Reads the log, recording that it was read (the log names people).
pub async fn read(
    app: &AppState,
    ctx: &Ctx,
    whose: &Whose,
    p: &AuditQuery,
    page: PageRequest,
    reading: Reading,
) -> Result<Page<AuditEntry>, AppError> {
    let store = app.store.as_ref();
    Ok(match whose {
        Whose::Programme => {
            let filter = p.filter(Some(ctx.programme_id()?))?;
            programme_log(store, &ctx.caller()?, filter, page, reading).await?
        }
        Whose::Deployment => {
            let admin = ctx.operator()?;
            deployment_log(store, &admin, p.filter(None)?, page, reading).await?
        }
    })
}

/// The people the entries are about, named where the reader may see them.
pub async fn names(
    app: &AppState,
    ctx: &Ctx,
    whose: &Whose,
    entries: &[AuditEntry],
) -> Result<Names, AppError> {
    let store = app.store.as_ref();
    Ok(match whose {
        Whose::Programme => programme_names(store, &ctx.caller()?, entries).await?,
        Whose::Deployment => deployment_names(store, &ctx.operator()?, entries).await?,
    })
}

/// Says who a person is from the names read, for an entry's words.
pub fn namer(names: &Names) -> impl Fn(uuid::Uuid) -> Option<String> + '_ {
    |id| names.get(&id).cloned()
}
