//! The transfer kit: a programme's model written out for another city, and
//! a new programme started from a model on its own geography.

use useit_core::auth::Capability;
use useit_core::clock;
use useit_core::i18n::Message;
use useit_core::programme::model::{Geography, ModelSource, ProgrammeModel};
use useit_core::programme::{Programme, ProgrammeInput, ProgrammeLocaleInput};
use useit_core::talent::profession::Professions;
use useit_core::validation::{FieldError, Invalid};
use useit_store::programme::model::{FirstAreaOfBenefit, FromModel};

use crate::auth::Operator;
use crate::{Caller, Error, Result, Store};

/// The programme's model: its rules, settings, targets and the shape of its
/// area of benefit, never a person nor a code of its own geography.
pub async fn export_model(store: &dyn Store, caller: &Caller) -> Result<ProgrammeModel> {
    caller.require(Capability::ExportModel)?;
    let p = caller.programme;
    let programme = store.programme(p).await?.ok_or(Error::NotFound)?;
    let anchors = store
        .list_anchors(p)
        .await?
        .into_iter()
        .map(|a| (a.kind, a.column_mapping, a.date_order))
        .collect();
    let source = ModelSource {
        locale: useit_core::programme::ProgrammeLocale {
            currency: programme.currency,
            language: programme.language,
        },
        name: programme.name,
        exported_on: clock::today(),
        spend: store.spend_settings(p).await?,
        anchors,
        talent: store.talent_settings(p).await?,
        disclosure: store.disclosure_settings(p).await?,
        targets: store.programme_targets(p).await?,
        area_of_benefit: store.area_of_benefit(p, None).await?.map(|a| a.selection),
        professions: store.professions_relied_on(p).await?,
        report: store.report_texts(p).await?,
    };
    Ok(ProgrammeModel::of(&source))
}

/// A new programme from a model file, on the new city's own geography.
pub struct NewFromModel<'a> {
    pub programme: &'a ProgrammeInput,
    /// The model file as it arrived.
    pub model: &'a [u8],
    pub geography: &'a Geography,
    /// The new city's currency and language; a blank field (or `None`)
    /// keeps the model's.
    pub locale: Option<&'a ProgrammeLocaleInput>,
}

/// Starts a programme from a model: the programme's own fields, the model
/// (through every rule a person meets) and the area shape laid on the new
/// geography are checked together, every bad field named as a JSON pointer
/// (`model/spend/site_radius_km`, `geography/index`), then everything is written in one transaction.
pub async fn create_from_model(
    store: &dyn Store,
    operator: &Operator,
    new: &NewFromModel<'_>,
) -> Result<Programme> {
    operator.require_admin()?;
    let mut errs: Vec<FieldError> = Vec::new();
    let programme = new.programme.validate();
    if let Err(Invalid(e)) = &programme {
        errs.extend(e.iter().cloned());
    }
    let administrator = match new.programme.administrator() {
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
    let known: Vec<String> = Professions::shipped()
        .all()
        .map(|p| p.code.clone())
        .collect();
    let model = ProgrammeModel::parse(new.model).and_then(|m| Ok((m.validate(&known)?, m)));
    let model = match model {
        Ok(m) => Some(m),
        Err(Invalid(e)) => {
            errs.extend(under("model", e));
            None
        }
    };
    // The new city's choice over the model's (checked even when the model
    // is not, so every problem is named at once).
    let model_locale = model.as_ref().map(|(c, _)| c.locale).unwrap_or_default();
    let locale = match new.locale.map(|l| l.validate_or(model_locale)) {
        None => model_locale,
        Some(Ok(l)) => l,
        Some(Err(Invalid(e))) => {
            errs.extend(under("locale", e));
            model_locale
        }
    };
    let mut area = None;
    if let (Some((checked, _)), true) = (&model, new.geography.is_given()) {
        let input = checked.area_of_benefit.on(new.geography);
        match crate::place::area_of_benefit::check(store, &input).await {
            Ok(preview) => match preview.resolution.check_saveable() {
                Ok(()) => area = Some((preview, input.note.trim().to_string())),
                Err(Invalid(e)) => errs.extend(under("geography", e)),
            },
            Err(Error::Invalid(e)) => errs.extend(under("geography", e)),
            Err(other) => return Err(other),
        }
    }
    if !errs.is_empty() {
        return Err(Error::Invalid(errs));
    }
    let (Ok(programme), Some((checked, raw))) = (programme, model) else {
        unreachable!("every failure above named a field")
    };
    let json = raw.to_file();
    let from = FromModel {
        programme: &programme,
        first_administrator: administrator,
        modelled_on: &checked.modelled_on,
        locale,
        model_json: &json,
        spend: &checked.spend,
        talent: &checked.talent,
        disclosure: checked.disclosure,
        targets: &checked.targets,
        area_of_benefit: area.as_ref().map(|(p, note)| FirstAreaOfBenefit {
            selection: &p.selection,
            codes: &p.resolution.codes,
            note,
        }),
    };
    Ok(store
        .create_programme_from_model(&from, &operator.actor)
        .await?)
}

/// The model a programme was started from, and the name of the programme
/// it was exported from; `None` for a programme started from nothing.
pub async fn started_from(
    store: &dyn Store,
    caller: &Caller,
) -> Result<Option<(String, ProgrammeModel)>> {
    caller.require(Capability::ViewProgramme)?;
    let Some((name, json)) = store.programme_model(caller.programme).await? else {
        return Ok(None);
    };
    Ok(ProgrammeModel::parse(json.as_bytes())
        .ok()
        .map(|m| (name, m)))
}

/// Each field under its part; the area editor's sites (`radii/0/postcode`)
/// are the geography's `sites`.
fn under(part: &str, errs: Vec<FieldError>) -> impl Iterator<Item = FieldError> + '_ {
    errs.into_iter().map(move |e| {
        let field = match e.field.strip_prefix("radii") {
            Some(rest) if part == "geography" => format!("sites{rest}"),
            _ => e.field,
        };
        FieldError {
            field: format!("{part}/{field}"),
            message: e.message,
        }
    })
}
