//! Vacancies at the anchors (and interim roles): what a form or a CSV row
//! says, checked against the professions' roles, and the CSV that goes out
//! and comes back in.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::csv_import::{Problem, Report, Table, restore_field, write_table};
use crate::i18n::Message;
use crate::listing::SortDir;
use crate::place::postcode::Postcode;
use crate::validation::{Errors, Invalid};

use super::profession::Professions;

/// A vacancy as entered or imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VacancyInput {
    /// The anchor's own reference: re-importing a file updates by it.
    pub reference: String,
    pub anchor_slug: Option<String>,
    pub title: String,
    /// A profession code (the registered role) or an interim role code.
    pub role: String,
    pub band: String,
    pub site_postcode: Option<String>,
    pub posts: u32,
    #[serde(with = "crate::iso_date")]
    pub opens_on: Date,
    #[serde(with = "crate::iso_date::option")]
    pub closes_on: Option<Date>,
    pub requirements: String,
}

/// The fields of a vacancy form, API body or CSV row, as typed: text, as a
/// form sends it; a blank optional field is not given. The API description
/// is this struct.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = VacancyBody))]
pub struct VacancyFields {
    /// The buyer's own reference, up to 60 characters: sending it again
    /// updates that vacancy.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 60)
    )]
    pub reference: String,
    /// The anchor's short name, or blank.
    pub anchor: String,
    /// Up to 200 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200)
    )]
    pub title: String,
    /// A registered role's profession code or an interim role code.
    #[cfg_attr(feature = "openapi", schema(required = true, min_length = 1))]
    pub role: String,
    /// The pay band; blank gives the role's usual band.
    pub band: String,
    /// A UK postcode, or blank.
    pub site_postcode: String,
    /// The number of posts, 1 to 500.
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = posts))]
    pub posts: String,
    /// YYYY-MM-DD.
    #[cfg_attr(feature = "openapi", schema(required = true, format = Date))]
    pub opens_on: String,
    /// YYYY-MM-DD, not before it opens, or blank.
    pub closes_on: String,
    pub requirements: String,
}

#[cfg(feature = "openapi")]
fn posts() -> utoipa::openapi::schema::Object {
    crate::openapi::whole_number_text(1, 500, false)
}

pub const COLUMNS: [&str; 10] = [
    "reference",
    "anchor",
    "title",
    "role",
    "band",
    "site_postcode",
    "posts",
    "opens_on",
    "closes_on",
    "requirements",
];

impl VacancyFields {
    pub fn validate(&self, professions: &Professions) -> Result<VacancyInput, Invalid> {
        let mut e = Errors::new();
        let reference = e.required("reference", &self.reference, 60);
        let title = e.required("title", &self.title, 200);
        let role = self.role.trim().to_string();
        let known = professions.roles();
        let default_band = known
            .iter()
            .find(|(c, _, _)| *c == role)
            .map(|(_, _, b)| b.clone());
        if role.is_empty() {
            e.add("role", Message::new("validation.required.role"));
        } else if default_band.is_none() {
            e.add(
                "role",
                Message::new("talent.vacancy.unknown_role").arg("role", &role),
            );
        }
        let band = match self.band.trim() {
            "" => default_band.unwrap_or_default(),
            b => b.to_string(),
        };
        let site_postcode = match self.site_postcode.trim() {
            "" => None,
            raw => match Postcode::parse(raw) {
                Ok(p) => Some(p.to_string()),
                Err(err) => {
                    e.add("site_postcode", err.message());
                    None
                }
            },
        };
        let posts = match crate::i18n::typed_number(&self.posts).trim().parse::<u32>() {
            Ok(n) if (1..=500).contains(&n) => n,
            _ => {
                e.add("posts", Message::new("talent.vacancy.posts_range"));
                1
            }
        };
        let opens_on = e.required_date("opens_on", &self.opens_on);
        let closes_on = e.optional_date("closes_on", &self.closes_on);
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            e.add(
                "closes_on",
                Message::new("talent.vacancy.closes_before_opens"),
            );
        }
        let anchor_slug = e.optional("anchor", &self.anchor, 60);
        let requirements = e
            .optional("requirements", &self.requirements, 2000)
            .unwrap_or_default();
        e.finish(|| VacancyInput {
            reference,
            anchor_slug,
            title,
            role,
            band,
            site_postcode,
            posts,
            opens_on: opens_on.expect("checked"),
            closes_on,
            requirements,
        })
    }

    pub fn from_input(v: &VacancyInput) -> VacancyFields {
        VacancyFields {
            reference: v.reference.clone(),
            anchor: v.anchor_slug.clone().unwrap_or_default(),
            title: v.title.clone(),
            role: v.role.clone(),
            band: v.band.clone(),
            site_postcode: v.site_postcode.clone().unwrap_or_default(),
            posts: v.posts.to_string(),
            opens_on: v.opens_on.to_string(),
            closes_on: v.closes_on.map(|d| d.to_string()).unwrap_or_default(),
            requirements: v.requirements.clone(),
        }
    }
}

/// Reads a vacancies CSV: every problem goes in the report with its line and
/// column; rows come back only when the report has no errors.
pub fn parse_csv(text: &str, professions: &Professions, report: &mut Report) -> Vec<VacancyInput> {
    let Some(table) = Table::parse(
        text,
        &COLUMNS,
        &["reference", "title", "role", "posts", "opens_on"],
        report,
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for row in &table.rows {
        let get = |c: &str| restore_field(table.get(row, c)).to_string();
        let fields = VacancyFields {
            reference: get("reference"),
            anchor: get("anchor"),
            title: get("title"),
            role: get("role"),
            band: get("band"),
            site_postcode: get("site_postcode"),
            posts: get("posts"),
            opens_on: get("opens_on"),
            closes_on: get("closes_on"),
            requirements: get("requirements"),
        };
        match fields.validate(professions) {
            Ok(v) => {
                if let Some(first) = seen.insert(v.reference.clone(), row.line) {
                    report.push(Problem::error(
                        row.line,
                        table.column("reference"),
                        Message::new("talent.vacancy.duplicate_reference").arg("line", first),
                    ));
                }
                out.push(v);
            }
            Err(Invalid(errs)) => {
                for fe in errs {
                    report.push(Problem::error(
                        row.line,
                        table.column(&fe.field),
                        fe.message,
                    ));
                }
            }
        }
    }
    if report.has_errors() { Vec::new() } else { out }
}

/// The vacancies as CSV, in the columns [`parse_csv`] reads.
pub fn write_csv(rows: &[VacancyInput]) -> String {
    write_table(
        &COLUMNS,
        rows.iter().map(|v| {
            let f = VacancyFields::from_input(v);
            vec![
                f.reference,
                f.anchor,
                f.title,
                f.role,
                f.band,
                f.site_postcode,
                f.posts,
                f.opens_on,
                f.closes_on,
                f.requirements,
            ]
        }),
    )
}

/// A vacancy as held, with how many of its posts placements hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Vacancy {
    pub id: Uuid,
    pub input: VacancyInput,
    /// Posts held by placements put forward, applied, interviewed, offered or started.
    pub posts_held: u32,
    pub posts_started: u32,
}

impl Vacancy {
    pub fn posts_free(&self) -> u32 {
        self.input.posts.saturating_sub(self.posts_held)
    }

    /// A person could be put forward for it now: not closed, and a post free.
    pub fn is_open(&self, today: Date) -> bool {
        self.posts_free() > 0 && self.input.closes_on.is_none_or(|c| c >= today)
    }
}

/// The vacancies list's filters, sort and page.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(default)]
pub struct VacancyParams {
    pub q: String,
    pub role: String,
    /// `open`, `closed` or blank for all.
    pub state: String,
    /// reference, title, opens_on or posts.
    pub sort: String,
    pub dir: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl VacancyParams {
    /// The column sorted by (`opens_on` unless another is asked for).
    pub fn sort(&self) -> &str {
        match self.sort.as_str() {
            s @ ("reference" | "title" | "posts" | "opens_on") => s,
            _ => "opens_on",
        }
    }

    pub fn dir(&self) -> SortDir {
        SortDir::asked(&self.sort, &self.dir)
    }

    /// The vacancies the filters select on `today`, in the order asked for.
    pub fn select(&self, all: Vec<Vacancy>, today: Date) -> Vec<Vacancy> {
        let q = self.q.trim().to_lowercase();
        let mut v: Vec<Vacancy> = all
            .into_iter()
            .filter(|v| {
                let i = &v.input;
                (q.is_empty()
                    || i.reference.to_lowercase().contains(&q)
                    || i.title.to_lowercase().contains(&q)
                    || i.anchor_slug.as_deref().is_some_and(|a| a.contains(&q)))
                    && (self.role.is_empty() || i.role == self.role)
                    && match self.state.as_str() {
                        "open" => i.closes_on.is_none_or(|c| c >= today),
                        "closed" => i.closes_on.is_some_and(|c| c < today),
                        _ => true,
                    }
            })
            .collect();
        v.sort_by(|a, b| {
            let (a, b) = (&a.input, &b.input);
            let o = match self.sort() {
                "reference" => a.reference.cmp(&b.reference),
                "title" => a.title.cmp(&b.title),
                "posts" => a.posts.cmp(&b.posts),
                _ => a.opens_on.cmp(&b.opens_on),
            }
            .then(a.reference.cmp(&b.reference));
            self.dir().order(o)
        });
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vacancy_file_round_trips_and_bad_rows_name_line_and_column() {
        let p = Professions::shipped();
        let text = "reference,title,role,band,site_postcode,posts,opens_on\n\
                    SWB-1,Healthcare assistant,healthcare_assistant,,B18 7QH,4,2026-12-01\n\
                    SWB-2,Medical support worker,medical_support_worker,6,,2,2027-01-04\n";
        let mut r = Report::new("v.csv");
        let rows = parse_csv(text, p, &mut r);
        assert!(!r.has_errors(), "{r:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].band, "3", "the role's band when none is given");
        let again = parse_csv(&write_csv(&rows), p, &mut Report::new("out.csv"));
        assert_eq!(again, rows);

        let bad = "reference,title,role,posts,opens_on\nX-1,Porter,porter,0,2026-13-01\n";
        let mut r = Report::new("bad.csv");
        assert!(parse_csv(bad, p, &mut r).is_empty());
        let described: Vec<String> = r.errors().map(|e| e.describe("bad.csv")).collect();
        assert_eq!(described.len(), 3, "{described:?}");
        assert!(described[0].starts_with("bad.csv:2:3"), "{described:?}");
    }

    fn held(reference: &str, title: &str, posts: u32, held: u32, closes: Option<Date>) -> Vacancy {
        let mut r = Report::new("v.csv");
        let text = format!(
            "reference,title,role,posts,opens_on\n{reference},{title},healthcare_assistant,{posts},2026-01-05\n"
        );
        let mut input = parse_csv(&text, Professions::shipped(), &mut r).remove(0);
        input.closes_on = closes;
        Vacancy {
            id: Uuid::now_v7(),
            input,
            posts_held: held,
            posts_started: 0,
        }
    }

    #[test]
    fn open_vacancies_have_a_post_free_and_have_not_closed() {
        use time::macros::date;
        let today = date!(2026 - 06 - 01);
        assert!(held("A", "Porter", 2, 1, None).is_open(today));
        assert!(!held("B", "Porter", 2, 2, None).is_open(today));
        assert!(held("C", "Porter", 1, 0, Some(today)).is_open(today));
        assert!(!held("D", "Porter", 1, 0, Some(date!(2026 - 05 - 31))).is_open(today));
    }

    #[test]
    fn vacancies_filter_by_words_role_and_state_and_sort() {
        use time::macros::date;
        let today = date!(2026 - 06 - 01);
        let all = vec![
            held("HCA-2", "Healthcare assistant", 3, 0, None),
            held("HCA-1", "Ward clerk", 1, 0, Some(date!(2026 - 03 - 01))),
        ];
        let sel = |q: &str, role: &str, state: &str, sort: &str, dir: &str| -> Vec<String> {
            VacancyParams {
                q: q.into(),
                role: role.into(),
                state: state.into(),
                sort: sort.into(),
                dir: dir.into(),
                ..Default::default()
            }
            .select(all.clone(), today)
            .into_iter()
            .map(|v| v.input.reference)
            .collect()
        };
        assert_eq!(sel("hca", "", "", "reference", "asc"), ["HCA-1", "HCA-2"]);
        assert_eq!(sel("", "", "open", "", ""), ["HCA-2"]);
        assert_eq!(sel("", "", "closed", "", ""), ["HCA-1"]);
        assert_eq!(sel("", "phlebotomist", "", "", ""), Vec::<String>::new());
        assert_eq!(sel("ward", "", "", "", ""), ["HCA-1"]);
        assert_eq!(sel("", "", "", "posts", "desc"), ["HCA-2", "HCA-1"]);
    }
}
