//! Research findings as records (issue 19 item 3): each finding of a
//! project has a theme from the project's own list or the programme's
//! ([`offered_themes`]), a summary, anonymised quotes, the neighbourhoods
//! it concerns (wards, or the programme's communities; [`picker`] is what
//! the form offers), the questionnaire questions it draws on and how many
//! respondents it rests on.
//!
//! A quote says who said it only as a role and an age band, never a name,
//! and neither its text nor its role may hold obvious personal data: an
//! e-mail address, a phone number or a full postcode (a postcode district
//! such as `B66` is not personal). [`personal_data`] is that check; it is
//! deliberately blunt (it refuses `M1 5PM` written as a time), since a
//! refused quote can be re-worded and a published one cannot be taken
//! back. A role that reads like a person's name (two or more capitalised
//! words in a row) is refused too.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::i18n::Message;
use crate::place::postcode::Postcode;
use crate::validation::{Errors, Invalid};

/// The most quotes one finding holds.
pub const MAX_QUOTES: usize = 20;
/// The most themes a programme's list holds.
pub const MAX_THEMES: usize = 60;

macro_rules! bands {
    ($($variant:ident = $slug:literal),+ $(,)?) => {
        /// Who said a quote, by age band.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum AgeBand { $($variant),+ }
        impl AgeBand {
            pub const ALL: &'static [AgeBand] = &[$(AgeBand::$variant),+];
            pub fn slug(self) -> &'static str {
                match self { $(AgeBand::$variant => $slug),+ }
            }
            pub fn parse(s: &str) -> Option<AgeBand> {
                Self::ALL.iter().copied().find(|v| v.slug() == s.trim())
            }
            pub fn label_key(self) -> String {
                format!("research.finding.age.{}", self.slug())
            }
        }
    };
}

bands!(
    Under18 = "under_18",
    From18To24 = "18_24",
    From25To34 = "25_34",
    From35To44 = "35_44",
    From45To54 = "45_54",
    From55To64 = "55_64",
    From65 = "65_plus",
);

/// What kind of personal data a text holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonalData {
    Email,
    Phone,
    Postcode,
}

impl PersonalData {
    pub fn message(self) -> Message {
        let key = match self {
            PersonalData::Email => "research.finding.personal.email",
            PersonalData::Phone => "research.finding.personal.phone",
            PersonalData::Postcode => "research.finding.personal.postcode",
        };
        Message::new(key)
    }
}

fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || "<>()[],;:\"'".contains(c))
        .any(|w| {
            let w = w.trim_end_matches('.');
            match w.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && domain
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
                }
                None => false,
            }
        })
}

/// A run of digits, spaces, dashes, dots, brackets and a leading `+` that
/// holds 10 to 13 digits and starts as a UK number does (`0…` or `+44…`).
fn has_phone(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() || chars[i] == '+' || chars[i] == '(' {
            let start = i;
            let mut digits = String::new();
            while i < chars.len()
                && (chars[i].is_ascii_digit() || " -.()+\u{a0}".contains(chars[i]))
            {
                if chars[i].is_ascii_digit() {
                    digits.push(chars[i]);
                }
                i += 1;
            }
            let international = chars[start..i].iter().find(|c| **c != '(') == Some(&'+');
            let uk = if international {
                digits.starts_with("44")
            } else {
                digits.starts_with('0')
            };
            if uk && (10..=13).contains(&digits.len()) {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// A full unit postcode (`B66 3JY`, `b663jy`); a district alone is not one.
fn has_postcode(text: &str) -> bool {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let full = |s: &str| {
        let n = s.len();
        (5..=7).contains(&n) && s.chars().any(|c| c.is_ascii_digit()) && Postcode::parse(s).is_ok()
    };
    words.iter().enumerate().any(|(i, w)| {
        full(w)
            || (w.len() <= 4
                && words
                    .get(i + 1)
                    .is_some_and(|next| next.len() == 3 && full(&format!("{w}{next}"))))
    })
}

/// The first kind of obvious personal data `text` holds.
pub fn personal_data(text: &str) -> Option<PersonalData> {
    if has_email(text) {
        Some(PersonalData::Email)
    } else if has_postcode(text) {
        Some(PersonalData::Postcode)
    } else if has_phone(text) {
        Some(PersonalData::Phone)
    } else {
        None
    }
}

/// Whether a role reads like a person's name: two capitalised words in a
/// row (`Mary Smith`, `Mr Khan`); `NHS nurse` and `Shop owner` do not.
pub fn looks_like_a_name(role: &str) -> bool {
    let capitalised = |w: &str| {
        let mut c = w.chars();
        matches!(c.next(), Some(f) if f.is_uppercase())
            && c.clone().next().is_some()
            && c.all(|x| x.is_lowercase() || x == '\'' || x == '-' || x == '.')
    };
    let words: Vec<&str> = role.split_whitespace().collect();
    words
        .windows(2)
        .any(|p| capitalised(p[0]) && capitalised(p[1]))
}

/// A quote as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct QuoteInput {
    /// What was said, as said.
    pub text: String,
    /// Who said it, by role only: `parent`, `hospital porter`.
    pub role: String,
    /// `under_18`, `18_24`, `25_34`, `35_44`, `45_54`, `55_64`, `65_plus`, or blank.
    pub age_band: String,
}

/// A quote checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub text: String,
    pub role: String,
    pub age_band: Option<AgeBand>,
}

impl Quote {
    pub fn to_input(&self) -> QuoteInput {
        QuoteInput {
            text: self.text.clone(),
            role: self.role.clone(),
            age_band: self.age_band.map(|a| a.slug().into()).unwrap_or_default(),
        }
    }
}

/// A finding as typed. `areas` are neighbourhood codes or names (a ward's
/// code, a community's id), `questions` question paths of the project's
/// questionnaire.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FindingInput {
    /// One of the project's own themes or the programme's.
    pub theme: String,
    pub summary: String,
    pub quotes: Vec<QuoteInput>,
    /// The neighbourhoods it concerns: wards by code or name, the
    /// programme's communities by id or name.
    pub areas: Vec<String>,
    /// The questionnaire questions it draws on, by path (`spend/where`).
    pub questions: Vec<String>,
    /// How many respondents it rests on (blank: not known).
    pub respondents: String,
}

/// What a finding is checked against: the project's own themes and the
/// programme's, the neighbourhoods (code and name: wards and the
/// programme's communities) and the project's question paths.
#[derive(Clone, Debug, Default)]
pub struct Known<'a> {
    /// The programme's themes.
    pub themes: &'a [String],
    /// The project's own themes (offered first, and a project's spelling
    /// of a theme the programme has too wins).
    pub project_themes: &'a [String],
    pub wards: &'a [(String, String)],
    pub questions: &'a [String],
}

/// The themes a project's findings may take, in the order the form offers
/// them: the project's own first, then the programme's the project's list
/// does not already hold (compared without case, so the project's
/// spelling overrides the programme's).
pub fn offered_themes(project: &[String], programme: &[String]) -> Vec<String> {
    let mut out: Vec<String> = project.to_vec();
    for t in programme {
        if !out.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            out.push(t.clone());
        }
    }
    out
}

/// What a neighbourhood is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NeighbourhoodKind {
    /// One of the programme's communities (its id is the code).
    Community,
    /// A ward (its code).
    Ward,
}

impl NeighbourhoodKind {
    pub fn slug(self) -> &'static str {
        match self {
            NeighbourhoodKind::Community => "community",
            NeighbourhoodKind::Ward => "ward",
        }
    }
}

/// A neighbourhood a finding may concern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neighbourhood {
    pub code: String,
    pub name: String,
    pub kind: NeighbourhoodKind,
}

/// The wards the small areas `codes` lie in (an area of benefit's areas),
/// each once, with their names, by name; `facts` give each small area's
/// ward, `wards` the names (a ward without one keeps its code as name).
pub fn wards_of_areas(
    codes: &BTreeSet<String>,
    facts: &[crate::place::selection::AreaFacts],
    wards: &[crate::place::areas::NamedAreaCount],
) -> Vec<Neighbourhood> {
    let held: BTreeSet<&str> = facts
        .iter()
        .filter(|f| codes.contains(&f.code))
        .filter_map(|f| f.ward_code.as_deref())
        .collect();
    let mut out: Vec<Neighbourhood> = held
        .into_iter()
        .map(|code| Neighbourhood {
            code: code.to_string(),
            name: wards
                .iter()
                .find(|w| w.code == code)
                .map(|w| w.name.clone())
                .unwrap_or_else(|| code.to_string()),
            kind: NeighbourhoodKind::Ward,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
    out
}

/// From how many neighbourhoods on offer the form shows its search box.
pub const PICKER_SEARCH_FROM: usize = 20;
/// The most unticked neighbourhoods the picker lists at once (a search
/// narrows the rest).
pub const PICKER_LIMIT: usize = 60;

/// What the finding form's neighbourhood picker shows: the neighbourhoods
/// chosen (ticked, whether or not they are on offer, so nothing chosen is
/// lost by a search or by an area of benefit that moved), then those on
/// offer that match the search, unticked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picker {
    pub items: Vec<(Neighbourhood, bool)>,
    /// Those on offer the search left out.
    pub hidden: usize,
    /// How many are on offer in all.
    pub offered: usize,
}

/// The picker for `chosen` (codes or names as typed) among `offered` (the
/// programme's: its communities and the wards of its area of benefit),
/// naming a chosen one from `known` (every neighbourhood a finding may
/// name) and keeping one unknown as typed; `q` keeps the offered ones
/// whose name holds it (without case) or whose code is it, at most `limit`
/// of them.
pub fn picker(
    offered: &[Neighbourhood],
    known: &[Neighbourhood],
    chosen: &[String],
    q: &str,
    limit: usize,
) -> Picker {
    let mut items: Vec<(Neighbourhood, bool)> = Vec::new();
    for raw in chosen.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let n = offered
            .iter()
            .chain(known)
            .find(|n| n.code.eq_ignore_ascii_case(raw) || n.name.eq_ignore_ascii_case(raw))
            .cloned()
            .unwrap_or_else(|| Neighbourhood {
                code: raw.to_string(),
                name: raw.to_string(),
                kind: NeighbourhoodKind::Ward,
            });
        if !items.iter().any(|(x, _)| x.code == n.code) {
            items.push((n, true));
        }
    }
    let q = q.trim().to_lowercase();
    let mut hidden = 0;
    let mut shown = 0;
    for n in offered {
        if items.iter().any(|(x, _)| x.code == n.code) {
            continue;
        }
        let matches =
            q.is_empty() || n.name.to_lowercase().contains(&q) || n.code.to_lowercase() == q;
        if matches && shown < limit {
            items.push((n.clone(), false));
            shown += 1;
        } else {
            hidden += 1;
        }
    }
    Picker {
        items,
        hidden,
        offered: offered.len(),
    }
}

/// A finding checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingDraft {
    /// Blank only for a finding carried over from a project's old
    /// free-text findings, until someone gives it a theme.
    pub theme: String,
    pub summary: String,
    pub quotes: Vec<Quote>,
    /// Ward codes.
    pub areas: Vec<String>,
    pub questions: Vec<String>,
    pub respondents: Option<u32>,
}

impl FindingInput {
    pub fn validate(&self, known: &Known<'_>) -> Result<FindingDraft, Invalid> {
        let mut e = Errors::new();
        let theme = self.theme.trim();
        let offered = offered_themes(known.project_themes, known.themes);
        let theme = match offered.iter().find(|t| t.eq_ignore_ascii_case(theme)) {
            Some(t) => t.clone(),
            None => {
                if theme.is_empty() {
                    e.add("theme", Message::new("research.finding.theme_required"));
                } else {
                    e.add(
                        "theme",
                        Message::new("research.finding.theme_unknown").arg("theme", theme),
                    );
                }
                String::new()
            }
        };
        let summary = super::required(
            &mut e,
            "summary",
            &self.summary,
            4000,
            "research.finding.summary_required",
        );
        if let Some(kind) = personal_data(&summary) {
            e.add("summary", kind.message());
        }
        let mut quotes = Vec::new();
        let typed: Vec<(usize, &QuoteInput)> = self
            .quotes
            .iter()
            .enumerate()
            .filter(|(_, q)| {
                !(q.text.trim().is_empty() && q.role.trim().is_empty() && q.age_band.is_empty())
            })
            .collect();
        if typed.len() > MAX_QUOTES {
            e.add(
                "quotes",
                Message::new("research.finding.too_many_quotes").arg("max", MAX_QUOTES),
            );
        }
        for (i, q) in typed.into_iter().take(MAX_QUOTES) {
            let field = |f: &str| format!("quotes/{}/{f}", i + 1);
            let text = super::required(
                &mut e,
                &field("text"),
                &q.text,
                2000,
                "research.finding.quote_required",
            );
            if let Some(kind) = personal_data(&text) {
                e.add(&field("text"), kind.message());
            }
            let role = super::required(
                &mut e,
                &field("role"),
                &q.role,
                80,
                "research.finding.role_required",
            );
            if let Some(kind) = personal_data(&role) {
                e.add(&field("role"), kind.message());
            } else if looks_like_a_name(&role) {
                e.add(
                    &field("role"),
                    Message::new("research.finding.role_is_a_name"),
                );
            }
            let age_band = match q.age_band.trim() {
                "" => None,
                raw => {
                    let a = AgeBand::parse(raw);
                    if a.is_none() {
                        e.add(
                            &field("age_band"),
                            Message::new("research.finding.bad_age_band").arg("value", raw),
                        );
                    }
                    a
                }
            };
            quotes.push(Quote {
                text,
                role,
                age_band,
            });
        }
        let mut areas = BTreeSet::new();
        for raw in self
            .areas
            .iter()
            .map(|a| a.trim())
            .filter(|a| !a.is_empty())
        {
            match known.wards.iter().find(|(code, name)| {
                code.eq_ignore_ascii_case(raw) || name.eq_ignore_ascii_case(raw)
            }) {
                Some((code, _)) => {
                    areas.insert(code.clone());
                }
                None => e.add(
                    "areas",
                    Message::new("research.finding.area_unknown").arg("area", raw),
                ),
            }
        }
        let mut questions = Vec::new();
        for raw in self
            .questions
            .iter()
            .map(|q| q.trim())
            .filter(|q| !q.is_empty())
        {
            if known.questions.iter().any(|q| q == raw) {
                if !questions.iter().any(|q: &String| q == raw) {
                    questions.push(raw.to_string());
                }
            } else {
                e.add(
                    "questions",
                    Message::new("research.finding.question_unknown").arg("question", raw),
                );
            }
        }
        let respondents = match self.respondents.trim() {
            "" => None,
            raw => match raw.replace(',', "").parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.add(
                        "respondents",
                        Message::new("research.finding.bad_respondents").arg("value", raw),
                    );
                    None
                }
            },
        };
        e.finish(|| FindingDraft {
            theme,
            summary,
            quotes,
            areas: areas.into_iter().collect(),
            questions,
            respondents,
        })
    }
}

impl FindingDraft {
    /// The form's fields again, areas as codes.
    pub fn to_input(&self) -> FindingInput {
        FindingInput {
            theme: self.theme.clone(),
            summary: self.summary.clone(),
            quotes: self.quotes.iter().map(Quote::to_input).collect(),
            areas: self.areas.clone(),
            questions: self.questions.clone(),
            respondents: self.respondents.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// A finding as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: Uuid,
    pub project: Uuid,
    pub draft: FindingDraft,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// The programme's theme list as typed: one a line.
pub fn parse_themes(text: &str) -> Result<Vec<String>, Invalid> {
    let mut e = Errors::new();
    let mut themes: Vec<String> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 80 {
            e.add(
                "themes",
                Message::new("research.finding.theme_too_long").arg("line", i + 1),
            );
        } else if themes.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            e.add(
                "themes",
                Message::new("research.finding.theme_twice")
                    .arg("line", i + 1)
                    .arg("theme", t),
            );
        } else {
            themes.push(t.to_string());
        }
    }
    if themes.len() > MAX_THEMES {
        e.add(
            "themes",
            Message::new("research.finding.too_many_themes").arg("max", MAX_THEMES),
        );
    }
    e.finish(|| themes)
}

/// A finding list's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct FindingFilter {
    /// Only this project's.
    pub project: Option<String>,
    /// Only this theme's.
    pub theme: Option<String>,
    /// Only those concerning this ward (its code).
    pub area: Option<String>,
    /// Words in the summary or a quote.
    pub q: Option<String>,
}

impl FindingFilter {
    pub fn matches(&self, f: &Finding) -> bool {
        fn some(o: &Option<String>) -> Option<&str> {
            o.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        if let Some(p) = some(&self.project)
            && Uuid::parse_str(p).ok() != Some(f.project)
        {
            return false;
        }
        if let Some(t) = some(&self.theme)
            && !f.draft.theme.eq_ignore_ascii_case(t)
        {
            return false;
        }
        if let Some(a) = some(&self.area)
            && !f.draft.areas.iter().any(|x| x.eq_ignore_ascii_case(a))
        {
            return false;
        }
        if let Some(q) = some(&self.q) {
            let q = q.to_lowercase();
            let hit = f.draft.summary.to_lowercase().contains(&q)
                || f.draft.quotes.iter().any(|x| {
                    x.text.to_lowercase().contains(&q) || x.role.to_lowercase().contains(&q)
                });
            if !hit {
                return false;
            }
        }
        true
    }
}

/// One cell of the themes view: a theme in a neighbourhood.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThemeCell {
    pub findings: u64,
    /// Respondents of the findings that say how many they rest on.
    pub respondents: u64,
    /// Findings that do not say.
    pub respondents_unknown: u64,
}

/// How many findings (and respondents) per theme per neighbourhood, across
/// projects; a finding with no neighbourhood counts under `""`. A finding
/// concerning two wards counts in both, so a theme's cells do not add up
/// to its findings (no totals are drawn from them).
pub fn themes_by_area(findings: &[Finding]) -> BTreeMap<(String, String), ThemeCell> {
    let mut out: BTreeMap<(String, String), ThemeCell> = BTreeMap::new();
    for f in findings {
        let areas: Vec<&str> = if f.draft.areas.is_empty() {
            vec![""]
        } else {
            f.draft.areas.iter().map(String::as_str).collect()
        };
        for a in areas {
            let c = out
                .entry((f.draft.theme.clone(), a.to_string()))
                .or_default();
            c.findings += 1;
            match f.draft.respondents {
                Some(n) => c.respondents += u64::from(n),
                None => c.respondents_unknown += 1,
            }
        }
    }
    out
}

/// The findings CSV's header: the export writes it and the import reads it.
pub const CSV_HEADER: &[&str] = &[
    "id",
    "project",
    "theme",
    "summary",
    "neighbourhoods",
    "questions",
    "respondents",
    "quotes",
];

/// Quotes in one CSV cell: one a line, `role | age band | text`.
pub fn quotes_cell(quotes: &[Quote]) -> String {
    quotes
        .iter()
        .map(|q| {
            format!(
                "{} | {} | {}",
                q.role,
                q.age_band.map(|a| a.slug()).unwrap_or(""),
                q.text.replace('\n', " ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The quotes of a CSV cell (`quotes_cell`'s shape).
pub fn quotes_of_cell(cell: &str) -> Vec<QuoteInput> {
    cell.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '|');
            let role = parts.next().unwrap_or("").trim().to_string();
            match (parts.next(), parts.next()) {
                (Some(age), Some(text)) => QuoteInput {
                    role,
                    age_band: age.trim().to_string(),
                    text: text.trim().to_string(),
                },
                // No separators: the whole line is the text.
                _ => QuoteInput {
                    text: role,
                    ..Default::default()
                },
            }
        })
        .collect()
}

/// A list cell (neighbourhoods, questions): separated by `;`.
pub fn list_of_cell(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> (Vec<String>, Vec<(String, String)>, Vec<String>) {
        (
            vec!["Food and shops".into(), "Safety".into()],
            vec![
                ("E05011111".into(), "Soho & Victoria".into()),
                ("E05011112".into(), "Smethwick".into()),
            ],
            vec!["spend/where".into(), "barriers".into()],
        )
    }

    fn finding() -> FindingInput {
        FindingInput {
            theme: "safety".into(),
            summary: "People avoid the walk to Cape Hill after dark.".into(),
            quotes: vec![QuoteInput {
                text: "I take a taxi even though it is ten minutes' walk.".into(),
                role: "night-shift nurse".into(),
                age_band: "35_44".into(),
            }],
            areas: vec!["smethwick".into(), "E05011111".into()],
            questions: vec!["barriers".into()],
            respondents: "14".into(),
        }
    }

    #[test]
    fn a_finding_reads_names_and_codes() {
        let (t, w, q) = known();
        let k = Known {
            themes: &t,
            project_themes: &[],
            wards: &w,
            questions: &q,
        };
        let d = finding().validate(&k).unwrap();
        assert_eq!(d.theme, "Safety");
        assert_eq!(d.areas, ["E05011111", "E05011112"]);
        assert_eq!(d.respondents, Some(14));
        assert_eq!(d.quotes[0].age_band, Some(AgeBand::From35To44));
        assert_eq!(d.to_input().validate(&k).unwrap(), d);
    }

    #[test]
    fn personal_data_in_a_quote_is_refused_with_the_field_named() {
        let (t, w, q) = known();
        let k = Known {
            themes: &t,
            project_themes: &[],
            wards: &w,
            questions: &q,
        };
        let mut i = finding();
        i.quotes = vec![
            QuoteInput {
                text: "Ring me on 07700 900123 any time".into(),
                role: "parent".into(),
                age_band: String::new(),
            },
            QuoteInput {
                text: "Write to jo.bloggs@example.org".into(),
                role: "carer".into(),
                age_band: String::new(),
            },
            QuoteInput {
                text: "We live at b66 3jy, by the park".into(),
                role: "Mary Smith".into(),
                age_band: "40s".into(),
            },
        ];
        i.theme = "Weather".into();
        i.areas = vec!["Atlantis".into()];
        let err = i.validate(&k).unwrap_err();
        let got: Vec<(&str, &str)> = err
            .0
            .iter()
            .map(|f| (f.field.as_str(), f.message.key.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("theme", "research.finding.theme_unknown"),
                ("quotes/1/text", "research.finding.personal.phone"),
                ("quotes/2/text", "research.finding.personal.email"),
                ("quotes/3/text", "research.finding.personal.postcode"),
                ("quotes/3/role", "research.finding.role_is_a_name"),
                ("quotes/3/age_band", "research.finding.bad_age_band"),
                ("areas", "research.finding.area_unknown"),
            ]
        );
    }

    #[test]
    fn what_is_and_is_not_personal() {
        for (text, want) in [
            ("call 0121 555 0199", Some(PersonalData::Phone)),
            ("+44 (0)7700 900123", Some(PersonalData::Phone)),
            ("(0121) 496-0000", Some(PersonalData::Phone)),
            ("me@x.co.uk.", Some(PersonalData::Email)),
            ("SW1A 1AA", Some(PersonalData::Postcode)),
            ("B663JY", Some(PersonalData::Postcode)),
            // Not personal: a district, years, money, counts, a handle.
            ("everyone in B66 knows", None),
            ("from 2019 to 2021 2022", None),
            ("we spent £1,250 in 3 shops", None),
            ("about 40 of 120 said so", None),
            ("tweet @smethwick_lab", None),
            ("the 2nd week of May", None),
        ] {
            assert_eq!(personal_data(text), want, "{text}");
        }
        assert!(looks_like_a_name("Mr Khan"));
        assert!(!looks_like_a_name("NHS porter"));
        assert!(!looks_like_a_name("Shop owner near the park"));
        // Blunt: a place in a role reads as a name too (the finding names
        // its neighbourhoods instead).
        assert!(looks_like_a_name("Shop owner on Cape Hill"));
    }

    #[test]
    fn the_csv_cells_round_trip() {
        let (t, w, q) = known();
        let k = Known {
            themes: &t,
            project_themes: &[],
            wards: &w,
            questions: &q,
        };
        let d = finding().validate(&k).unwrap();
        let back = FindingInput {
            quotes: quotes_of_cell(&quotes_cell(&d.quotes)),
            areas: list_of_cell(&d.areas.join("; ")),
            ..d.to_input()
        };
        assert_eq!(back.validate(&k).unwrap(), d);
    }

    #[test]
    fn themes_count_each_ward_a_finding_concerns() {
        let (t, w, q) = known();
        let k = Known {
            themes: &t,
            project_themes: &[],
            wards: &w,
            questions: &q,
        };
        let d = finding().validate(&k).unwrap();
        let f = |d: FindingDraft| Finding {
            id: Uuid::nil(),
            project: Uuid::nil(),
            draft: d,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        };
        let mut unknown = d.clone();
        unknown.respondents = None;
        unknown.areas = vec!["E05011112".into()];
        let m = themes_by_area(&[f(d), f(unknown)]);
        let smethwick = &m[&("Safety".to_string(), "E05011112".to_string())];
        assert_eq!(
            (
                smethwick.findings,
                smethwick.respondents,
                smethwick.respondents_unknown
            ),
            (2, 14, 1)
        );
        assert_eq!(
            m[&("Safety".to_string(), "E05011111".to_string())].findings,
            1
        );
        assert!(parse_themes("Safety\nsafety").is_err());
        assert_eq!(parse_themes("A\n\n B \n").unwrap(), ["A", "B"]);
    }

    #[test]
    fn a_projects_own_themes_come_first_and_the_programmes_still_apply() {
        let (t, w, q) = known();
        let own = vec!["Young carers".to_string(), "SAFETY".to_string()];
        assert_eq!(
            offered_themes(&own, &t),
            ["Young carers", "SAFETY", "Food and shops"]
        );
        let k = Known {
            themes: &t,
            project_themes: &own,
            wards: &w,
            questions: &q,
        };
        // The project's own theme.
        let d = FindingInput {
            theme: "young CARERS".into(),
            ..finding()
        }
        .validate(&k)
        .unwrap();
        assert_eq!(d.theme, "Young carers");
        // The project's spelling of a theme the programme has too.
        assert_eq!(finding().validate(&k).unwrap().theme, "SAFETY");
        // The programme's list still applies.
        let d = FindingInput {
            theme: "food and shops".into(),
            ..finding()
        }
        .validate(&k)
        .unwrap();
        assert_eq!(d.theme, "Food and shops");
        // Another project's theme is not this one's.
        let other = Known {
            project_themes: &[],
            ..k.clone()
        };
        let err = FindingInput {
            theme: "Young carers".into(),
            ..finding()
        }
        .validate(&other)
        .unwrap_err();
        assert_eq!(err.0[0].field, "theme");
        assert_eq!(err.0[0].message.key, "research.finding.theme_unknown");
    }

    fn hood(code: &str, name: &str, kind: NeighbourhoodKind) -> Neighbourhood {
        Neighbourhood {
            code: code.into(),
            name: name.into(),
            kind,
        }
    }

    #[test]
    fn the_picker_keeps_what_is_chosen_and_filters_the_rest() {
        let offered = vec![
            hood("c1", "Cape Hill", NeighbourhoodKind::Community),
            hood("E05011112", "Smethwick", NeighbourhoodKind::Ward),
            hood("E05011111", "Soho & Victoria", NeighbourhoodKind::Ward),
        ];
        let known = vec![hood("E05009999", "Ladywood", NeighbourhoodKind::Ward)];
        // Nothing chosen, no search: everything on offer, unticked.
        let p = picker(&offered, &known, &[], "", PICKER_LIMIT);
        assert_eq!((p.items.len(), p.hidden, p.offered), (3, 0, 3));
        // Beyond the limit the rest wait for a search.
        let p = picker(&offered, &known, &[], "", 2);
        assert_eq!((p.items.len(), p.hidden), (2, 1));
        assert!(p.items.iter().all(|(_, ticked)| !ticked));
        // A ward outside the area of benefit stays ticked, named; a search
        // keeps the chosen and the matches.
        let chosen = vec!["E05009999".to_string(), "smethwick".to_string()];
        let p = picker(&offered, &known, &chosen, "SOHO", PICKER_LIMIT);
        let got: Vec<(&str, bool)> = p.items.iter().map(|(n, t)| (n.name.as_str(), *t)).collect();
        assert_eq!(
            got,
            [
                ("Ladywood", true),
                ("Smethwick", true),
                ("Soho & Victoria", false)
            ]
        );
        assert_eq!(p.hidden, 1, "Cape Hill left out by the search");
        // A code typed that nobody knows is kept as typed, ticked.
        let p = picker(
            &offered,
            &known,
            &["Atlantis".to_string()],
            "",
            PICKER_LIMIT,
        );
        assert_eq!(
            p.items[0],
            (hood("Atlantis", "Atlantis", NeighbourhoodKind::Ward), true)
        );
    }

    #[test]
    fn the_wards_of_an_area_of_benefit_each_once_by_name() {
        use crate::place::areas::NamedAreaCount;
        use crate::place::selection::AreaFacts;
        let fact = |code: &str, ward: Option<&str>| AreaFacts {
            code: code.into(),
            local_authority_code: None,
            ward_code: ward.map(str::to_string),
            lat: None,
            lon: None,
            decile: None,
            population: None,
        };
        let facts = vec![
            fact("E01000001", Some("W2")),
            fact("E01000002", Some("W1")),
            fact("E01000003", Some("W2")),
            fact("E01000004", Some("W3")),
            fact("E01000005", None),
        ];
        let named = |code: &str, name: &str| NamedAreaCount {
            code: code.into(),
            name: name.into(),
            parent_code: None,
            areas: 1,
        };
        let wards = vec![named("W1", "Soho"), named("W2", "Ladywood")];
        let codes: BTreeSet<String> = ["E01000001", "E01000002", "E01000003", "E01000005"]
            .into_iter()
            .map(str::to_string)
            .collect();
        let got: Vec<(String, String)> = wards_of_areas(&codes, &facts, &wards)
            .into_iter()
            .map(|n| (n.code, n.name))
            .collect();
        assert_eq!(
            got,
            [
                ("W2".to_string(), "Ladywood".to_string()),
                ("W1".to_string(), "Soho".to_string())
            ]
        );
    }
}
