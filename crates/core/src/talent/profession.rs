//! Professions and their registration pathways, read from data files
//! (`data/talent/professions/*.toml`, embedded at build time). Rules change
//! often, so each profession holds dated rule sets; a pass keeps the
//! validity the rules gave it on the day it was passed.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::money::parse_pence;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/talent_data.rs"));
}

/// An English test's minimum scores. IELTS bands are held in tenths (7.5 →
/// 75); OET scores on its 0–500 scale (grade B → 350, C+ → 300).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Minimums {
    pub overall: Option<u16>,
    pub listening: u16,
    pub reading: u16,
    pub writing: u16,
    pub speaking: u16,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EnglishRequirement {
    pub valid_months: u32,
    pub ielts: Option<Minimums>,
    pub oet: Option<Minimums>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub code: String,
    pub name: String,
    pub requires: Vec<String>,
    pub cost_pence: Option<i64>,
    pub typical_weeks: Option<u32>,
    /// How long a pass counts towards the steps that need it.
    pub valid_months: Option<u32>,
    /// Met by a language test result that reaches the rule set's thresholds.
    pub english: bool,
    /// The step that ends the pathway: registered with the regulator.
    pub registration: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    #[serde(with = "crate::iso_date")]
    pub from: Date,
    #[serde(with = "crate::iso_date::option")]
    pub to: Option<Date>,
    pub english: Option<EnglishRequirement>,
    pub steps: Vec<Step>,
}

impl Step {
    /// The step's name without its detail in brackets ("ORE Part 1"), for
    /// lists of what a step or role needs first.
    pub fn short_name(&self) -> &str {
        self.name.split(" (").next().unwrap_or(&self.name).trim()
    }
}

impl RuleSet {
    /// The steps named by `codes`, in words ("English language test, CBT"),
    /// so a person never reads a step's code.
    pub fn names(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| {
                self.step(c)
                    .map(|s| s.short_name().to_string())
                    .unwrap_or_else(|| c.replace('_', " "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn step(&self, code: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.code == code)
    }
    pub fn registration_step(&self) -> &Step {
        self.steps
            .iter()
            .find(|s| s.registration)
            .expect("validated: one registration step")
    }
}

/// A job a person can hold while on the pathway, with its pay band.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InterimRole {
    pub code: String,
    pub name: String,
    pub band: String,
    pub requires: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Profession {
    pub code: String,
    pub name: String,
    pub regulator: String,
    /// Pay band of the registered role (`5`, or `medical` off Agenda for Change).
    pub registered_band: String,
    pub adjacent: Vec<String>,
    pub interim_roles: Vec<InterimRole>,
    /// Oldest first; they do not overlap.
    pub rules: Vec<RuleSet>,
    pub sources: Vec<String>,
}

impl Profession {
    /// The rules in force on `day` (the first set before any applies, the
    /// last after the last ends).
    pub fn rules_at(&self, day: Date) -> &RuleSet {
        self.rules
            .iter()
            .rev()
            .find(|r| r.from <= day)
            .unwrap_or(&self.rules[0])
    }
    pub fn interim_role(&self, code: &str) -> Option<&InterimRole> {
        self.interim_roles.iter().find(|r| r.code == code)
    }
}

/// A profession file that cannot be used, with where the problem is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ProfessionFileError {
    pub file: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfession {
    code: String,
    name: String,
    regulator: String,
    registered_band: String,
    #[serde(default)]
    adjacent: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    interim_roles: Vec<RawInterim>,
    rules: Vec<RawRules>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInterim {
    code: String,
    name: String,
    band: String,
    #[serde(default)]
    requires: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    from: String,
    to: Option<String>,
    english: Option<RawEnglish>,
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnglish {
    valid_months: u32,
    ielts: Option<RawMinimums<f64>>,
    oet: Option<RawMinimums<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMinimums<T> {
    overall: Option<T>,
    each: Option<T>,
    listening: Option<T>,
    reading: Option<T>,
    writing: Option<T>,
    speaking: Option<T>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    code: String,
    name: String,
    #[serde(default)]
    requires: Vec<String>,
    cost: Option<String>,
    typical_weeks: Option<u32>,
    valid_months: Option<u32>,
    #[serde(default)]
    english: bool,
    #[serde(default)]
    registration: bool,
}

/// An OET grade's lowest score.
pub fn oet_grade_score(grade: &str) -> Option<u16> {
    match grade.trim() {
        "A" => Some(450),
        "B" => Some(350),
        "C+" => Some(300),
        "C" => Some(200),
        "D" => Some(100),
        _ => None,
    }
}

fn minimums<T>(
    raw: &RawMinimums<T>,
    conv: impl Fn(&T) -> Result<u16, String>,
) -> Result<Minimums, String> {
    let part = |v: &Option<T>| -> Result<u16, String> {
        match v.as_ref().or(raw.each.as_ref()) {
            Some(v) => conv(v),
            None => Err("each component needs a minimum (or `each`)".into()),
        }
    };
    Ok(Minimums {
        overall: raw.overall.as_ref().map(&conv).transpose()?,
        listening: part(&raw.listening)?,
        reading: part(&raw.reading)?,
        writing: part(&raw.writing)?,
        speaking: part(&raw.speaking)?,
    })
}

fn ielts_tenths(v: &f64) -> Result<u16, String> {
    let t = (v * 10.0).round();
    if !(0.0..=90.0).contains(&t) || (t as i64) % 5 != 0 {
        return Err(format!("IELTS band {v} is not 0 to 9 in half bands"));
    }
    Ok(t as u16)
}

fn date(field: &str, s: &str) -> Result<Date, String> {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), f).map_err(|_| format!("{field}: {s:?} is not a date (YYYY-MM-DD)"))
}

/// Reads and checks one profession file.
pub fn parse_profession(file: &str, text: &str) -> Result<Profession, ProfessionFileError> {
    let err = |message: String| ProfessionFileError {
        file: file.to_string(),
        message,
    };
    let raw: RawProfession = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("line {line}, column {col}: ")
            })
            .unwrap_or_default();
        err(format!("{at}{}", e.message()))
    })?;
    if raw.code.is_empty()
        || !raw
            .code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
    {
        return Err(err(format!(
            "code: {:?} must be lower-case letters, digits and _",
            raw.code
        )));
    }
    if raw.rules.is_empty() {
        return Err(err("rules: at least one rule set is needed".into()));
    }
    let mut rules = Vec::new();
    for (i, r) in raw.rules.iter().enumerate() {
        let at = |m: String| err(format!("rules[{}]: {m}", i + 1));
        let from = date("from", &r.from).map_err(at)?;
        let to =
            r.to.as_deref()
                .map(|t| date("to", t))
                .transpose()
                .map_err(at)?;
        if to.is_some_and(|t| t < from) {
            return Err(at("`to` is before `from`".into()));
        }
        let english = match &r.english {
            None => None,
            Some(e) => Some(EnglishRequirement {
                valid_months: e.valid_months,
                ielts: e
                    .ielts
                    .as_ref()
                    .map(|m| minimums(m, ielts_tenths))
                    .transpose()
                    .map_err(|m| at(format!("english.ielts: {m}")))?,
                oet: e
                    .oet
                    .as_ref()
                    .map(|m| {
                        minimums(m, |g| {
                            oet_grade_score(g)
                                .ok_or(format!("{g:?} is not an OET grade (A, B, C+, C, D)"))
                        })
                    })
                    .transpose()
                    .map_err(|m| at(format!("english.oet: {m}")))?,
            }),
        };
        let mut steps = Vec::new();
        let mut seen = HashSet::new();
        for s in &r.steps {
            let sat = |m: String| at(format!("step {}: {m}", s.code));
            if !seen.insert(s.code.clone()) {
                return Err(sat("the code is used twice".into()));
            }
            for q in &s.requires {
                if !seen.contains(q) || q == &s.code {
                    return Err(sat(format!(
                        "requires {q:?}, which is not a step listed before it"
                    )));
                }
            }
            if s.english && english.is_none() {
                return Err(sat("an English step needs an [rules.english] table".into()));
            }
            let cost_pence = s
                .cost
                .as_deref()
                .map(|c| parse_pence(c).map_err(|m| sat(format!("cost {c:?}: {}", m.key))))
                .transpose()?;
            steps.push(Step {
                code: s.code.clone(),
                name: s.name.clone(),
                requires: s.requires.clone(),
                cost_pence,
                typical_weeks: s.typical_weeks,
                valid_months: s.valid_months.or(if s.english {
                    english.as_ref().map(|e| e.valid_months)
                } else {
                    None
                }),
                english: s.english,
                registration: s.registration,
            });
        }
        if steps.iter().filter(|s| s.registration).count() != 1 {
            return Err(at("exactly one step must have registration = true".into()));
        }
        rules.push(RuleSet {
            from,
            to,
            english,
            steps,
        });
    }
    for w in rules.windows(2) {
        let ends = w[0].to.ok_or_else(|| {
            err("rules: only the last rule set may be open-ended (give `to`)".into())
        })?;
        if ends >= w[1].from {
            return Err(err(format!(
                "rules: the set from {} overlaps the next, from {}",
                w[0].from, w[1].from
            )));
        }
    }
    for role in &raw.interim_roles {
        for q in &role.requires {
            if !rules.iter().all(|r| r.step(q).is_some()) {
                return Err(err(format!(
                    "interim role {}: requires {q:?}, which is not a step of every rule set",
                    role.code
                )));
            }
        }
    }
    Ok(Profession {
        code: raw.code,
        name: raw.name,
        regulator: raw.regulator,
        registered_band: raw.registered_band,
        adjacent: raw.adjacent,
        interim_roles: raw
            .interim_roles
            .into_iter()
            .map(|r| InterimRole {
                code: r.code,
                name: r.name,
                band: r.band,
                requires: r.requires,
            })
            .collect(),
        rules,
        sources: raw.sources,
    })
}

/// Every profession, by code: the embedded files.
#[derive(Clone, Debug, Default)]
pub struct Professions {
    pub by_code: BTreeMap<String, Profession>,
}

impl Professions {
    pub fn from_files(files: &[(&str, &str)]) -> Result<Professions, ProfessionFileError> {
        let mut by_code = BTreeMap::new();
        for (name, text) in files {
            let p = parse_profession(name, text)?;
            if let Some(old) = by_code.insert(p.code.clone(), p) {
                return Err(ProfessionFileError {
                    file: name.to_string(),
                    message: format!("code {:?} is already used by another file", old.code),
                });
            }
        }
        Ok(Professions { by_code })
    }

    /// The professions in use: those shipped with useit (checked by a
    /// test, so this cannot fail in a build that passed its tests), plus any
    /// a deployment added with [`Professions::install_folder`].
    pub fn shipped() -> &'static Professions {
        INSTALLED.get_or_init(embedded_professions)
    }

    /// Adds every `.toml` file in `dir` to the shipped professions (a file
    /// with a shipped code replaces that profession), so a deployment can add
    /// a profession without a new build. Call once, before anything reads
    /// the professions; a bad file is refused with its name, line and column.
    pub fn install_folder(
        dir: &std::path::Path,
    ) -> Result<&'static Professions, ProfessionFileError> {
        let err = |message: String| ProfessionFileError {
            file: dir.display().to_string(),
            message,
        };
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| err(e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut all = embedded_professions();
        for f in files {
            let name = f.display().to_string();
            let text = std::fs::read_to_string(&f).map_err(|e| ProfessionFileError {
                file: name.clone(),
                message: e.to_string(),
            })?;
            let p = parse_profession(&name, &text)?;
            all.by_code.insert(p.code.clone(), p);
        }
        INSTALLED.set(all).map_err(|_| {
            err("the professions were already in use; install the folder at start".into())
        })?;
        Ok(Professions::shipped())
    }

    pub fn get(&self, code: &str) -> Option<&Profession> {
        self.by_code.get(code)
    }

    pub fn all(&self) -> impl Iterator<Item = &Profession> {
        self.by_code.values()
    }

    /// Each role a vacancy can be for: `(code, name, band, profession)`,
    /// the registered professions first, then interim roles (each once).
    pub fn roles(&self) -> Vec<(String, String, String)> {
        let mut v: Vec<(String, String, String)> = self
            .all()
            .map(|p| (p.code.clone(), p.name.clone(), p.registered_band.clone()))
            .collect();
        let mut seen = HashSet::new();
        for p in self.all() {
            for r in &p.interim_roles {
                if seen.insert(r.code.clone()) {
                    v.push((r.code.clone(), r.name.clone(), r.band.clone()));
                }
            }
        }
        v
    }

    /// A step's short name from any profession's rules, newest first (for
    /// text that names a step without its profession, such as the audit log).
    pub fn step_name(&self, code: &str) -> Option<String> {
        self.all()
            .flat_map(|p| p.rules.iter().rev())
            .find_map(|r| r.step(code))
            .map(|s| s.short_name().to_string())
    }

    pub fn role_name(&self, code: &str) -> Option<String> {
        self.roles()
            .into_iter()
            .find(|(c, _, _)| c == code)
            .map(|(_, n, _)| n)
    }
}

static INSTALLED: OnceLock<Professions> = OnceLock::new();

fn embedded_professions() -> Professions {
    Professions::from_files(embedded::PROFESSION_FILES).expect("shipped profession files")
}

/// Agenda for Change entry-point pay per band, for one pay year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayYear {
    pub name: String,
    pub from: Date,
    pub bands: BTreeMap<String, i64>,
}

#[derive(Deserialize)]
struct RawPay {
    years: Vec<RawPayYear>,
}

#[derive(Deserialize)]
struct RawPayYear {
    name: String,
    from: String,
    bands: BTreeMap<String, String>,
}

/// The pay table shipped with useit, oldest year first.
pub fn afc_pay() -> &'static [PayYear] {
    static P: OnceLock<Vec<PayYear>> = OnceLock::new();
    P.get_or_init(|| {
        let raw: RawPay = toml::from_str(embedded::AFC_PAY).expect("the shipped pay table reads");
        let mut years: Vec<PayYear> = raw
            .years
            .into_iter()
            .map(|y| PayYear {
                from: date("from", &y.from).expect("pay table dates"),
                name: y.name,
                bands: y
                    .bands
                    .into_iter()
                    .map(|(b, v)| (b, parse_pence(&v).expect("pay table amounts")))
                    .collect(),
            })
            .collect();
        years.sort_by_key(|y| y.from);
        years
    })
}

/// The basic annual pay of a band's entry point on `day`: the latest pay
/// year that has started and lists the band, else the earliest that does.
pub fn band_pay(band: &str, day: Date) -> Option<(i64, &'static str)> {
    let years = afc_pay();
    years
        .iter()
        .rev()
        .filter(|y| y.from <= day)
        .find_map(|y| y.bands.get(band).map(|p| (*p, y.name.as_str())))
        .or_else(|| {
            years
                .iter()
                .find_map(|y| y.bands.get(band).map(|p| (*p, y.name.as_str())))
        })
}

/// `day` plus whole months, clamped to the month's last day.
pub fn add_months(day: Date, months: u32) -> Date {
    let total = day.year() * 12 + (day.month() as i32 - 1) + months as i32;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let month = Month::try_from(m as u8).expect("1..=12");
    let last = time::util::days_in_month(month, y);
    Date::from_calendar_date(y, month, day.day().min(last)).expect("valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn every_shipped_profession_file_reads() {
        let p = Professions::shipped();
        for code in [
            "doctor",
            "nurse",
            "midwife",
            "pharmacist",
            "dentist",
            "physiotherapist",
        ] {
            assert!(p.get(code).is_some(), "{code}");
        }
        let doctor = p.get("doctor").unwrap();
        assert_eq!(
            doctor
                .rules_at(date!(2022 - 06 - 01))
                .step("plab1")
                .unwrap()
                .cost_pence,
            Some(24000)
        );
        assert_eq!(
            doctor
                .rules_at(date!(2024 - 06 - 01))
                .step("plab1")
                .unwrap()
                .cost_pence,
            Some(25500)
        );
        let nurse = p.get("nurse").unwrap();
        let oet = |d| {
            nurse
                .rules_at(d)
                .english
                .clone()
                .unwrap()
                .oet
                .unwrap()
                .writing
        };
        assert_eq!(oet(date!(2019 - 06 - 01)), 350);
        assert_eq!(oet(date!(2020 - 06 - 01)), 300);
        assert_eq!(
            nurse
                .rules_at(date!(2020 - 06 - 01))
                .english
                .clone()
                .unwrap()
                .ielts
                .unwrap()
                .writing,
            65
        );
    }

    #[test]
    fn a_bad_file_is_named_with_line_and_column() {
        let e = parse_profession("x.toml", "code = \"x\"\nname = 3\n").unwrap_err();
        assert!(e.to_string().starts_with("x.toml: line 2, column 8"), "{e}");
        let text = "code = \"x\"\nname = \"X\"\nregulator = \"R\"\nregistered_band = \"5\"\n\
                    [[rules]]\nfrom = \"2020-01-01\"\n[[rules.steps]]\ncode = \"a\"\nname = \"A\"\nrequires = [\"b\"]\n";
        let e = parse_profession("x.toml", text).unwrap_err();
        assert!(e.message.contains("requires \"b\""), "{e}");
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        assert_eq!(add_months(date!(2024 - 01 - 31), 1), date!(2024 - 02 - 29));
        assert_eq!(add_months(date!(2022 - 06 - 01), 24), date!(2024 - 06 - 01));
        assert_eq!(add_months(date!(2022 - 11 - 15), 3), date!(2023 - 02 - 15));
    }

    #[test]
    fn band_pay_follows_the_pay_year() {
        assert_eq!(
            band_pay("5", date!(2025 - 06 - 01)),
            Some((3_104_900, "2025-26"))
        );
        assert_eq!(
            band_pay("6", date!(2024 - 06 - 01)),
            Some((3_230_600, "2021-22"))
        );
        assert_eq!(
            band_pay("5", date!(2019 - 01 - 01)),
            Some((2_565_500, "2021-22"))
        );
        assert_eq!(band_pay("medical", date!(2025 - 06 - 01)), None);
    }
}
