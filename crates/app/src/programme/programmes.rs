//! Programmes: the deployment's list (for its administrators), starting one
//! with its first administrator, changing its name, and the figures on its
//! home page.

use time::Date;
use useit_core::ProgrammeId;
use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::programme::{
    Programme, ProgrammeChange, ProgrammeCounts, ProgrammeInput, ProgrammeLocaleInput,
};
use useit_core::validation::FieldError;

use crate::auth::Operator;
use crate::{Caller, Error, Result, Store};

/// Every programme of the deployment, by name.
pub async fn programmes(store: &dyn Store, operator: &Operator) -> Result<Vec<Programme>> {
    operator.require_admin()?;
    Ok(store.programmes().await?)
}

/// The programme with this short name.
pub async fn programme_by_slug(
    store: &dyn Store,
    operator: &Operator,
    slug: &str,
) -> Result<Programme> {
    operator.require_admin()?;
    store.programme_by_slug(slug).await?.ok_or(Error::NotFound)
}

/// Starts a programme and, if one is named, makes an existing account its
/// first administrator, in one transaction. Every field's problem at once,
/// the administrator's e-mail among them.
pub async fn create_programme(
    store: &dyn Store,
    operator: &Operator,
    input: &ProgrammeInput,
) -> Result<Programme> {
    operator.require_admin()?;
    let new = input.validate();
    let mut errs = new.as_ref().err().map(|e| e.0.clone()).unwrap_or_default();
    let administrator = match input.administrator() {
        None => None,
        Some(email) => match store.credentials_by_email(email).await? {
            Some(c) => Some(c.user.id),
            None => {
                errs.push(FieldError {
                    field: "administrator_email".into(),
                    message: Message::new("import.member.unknown_email"),
                });
                None
            }
        },
    };
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let new = new.expect("checked");
    // Nobody named: the administrator who starts it runs it, so the new
    // programme is never one no account can open (the console has no
    // account, and names one or adds members later).
    let administrator = administrator.or(operator.user);
    Ok(store
        .create_programme(&new, administrator, &operator.actor)
        .await?)
}

/// Changes a programme's name and description (its short name stays).
pub async fn update_programme(
    store: &dyn Store,
    operator: &Operator,
    programme: ProgrammeId,
    change: &ProgrammeChange,
) -> Result<Programme> {
    operator.require_admin()?;
    let details = change.validate()?;
    Ok(store
        .update_programme(
            programme,
            &details.name,
            &details.description,
            &operator.actor,
        )
        .await?)
}

/// Sets the currency a programme's money is shown in and the language of
/// its pages: a city outside the UK (Lille: euros, French). Amounts are
/// not converted; they were always whole minor units of its own currency.
pub async fn set_programme_locale(
    store: &dyn Store,
    operator: &Operator,
    programme: ProgrammeId,
    input: &ProgrammeLocaleInput,
) -> Result<Programme> {
    operator.require_admin()?;
    let locale = input.validate()?;
    Ok(store
        .set_programme_locale(programme, locale, &operator.actor)
        .await?)
}

/// The figures on a programme's home page, counted from the rows today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgrammeFigures {
    pub as_of: Date,
    pub counts: ProgrammeCounts,
}

pub async fn figures(store: &dyn Store, caller: &Caller) -> Result<ProgrammeFigures> {
    caller.require(Capability::ViewProgramme)?;
    let as_of = clock::today();
    let counts = store.programme_counts(caller.programme, as_of).await?;
    Ok(ProgrammeFigures { as_of, counts })
}
