//! Talent: overseas-qualified professionals into NHS jobs. Professions and
//! their pathways are data (`profession`); a person's progress is computed
//! from what they passed (`pathway`); `matching` gates and scores people
//! against vacancies and `assignment` places them without over-filling
//! posts; `casework` holds the catalogues and rules of the record itself;
//! `results` turns the records into the funnel, the barrier report and the
//! savings against agency staff. `caseworker` decides whose caseload a
//! person joins and `person_import` readies a people file by that rule;
//! `placement` holds the placements' forms and list.

pub mod assignment;
pub mod bulk;
pub mod casework;
pub mod caseworker;
pub mod matching;
pub mod pathway;
pub mod person;
pub mod person_csv;
pub mod person_import;
pub mod placement;
pub mod profession;
pub mod record;
pub mod results;
pub mod results_publish;
pub mod settings;
pub mod vacancy;
