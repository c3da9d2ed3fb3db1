//! Opportunities from an OCDS release package, the JSON the UK publishes
//! its public notices in (Contracts Finder, Find a Tender). Each release's
//! tender gives its lots (the OCDS lots extension; a tender without lots is
//! its own one lot): the title, the value (the lot's, else the tender's,
//! else the lower bound of the range Contracts Finder publishes), the CPV
//! codes of the items that relate to it, the contract period as a duration,
//! the tender period's end as the deadline. The buyer must be one of the
//! programme's anchors, by name or identifier. Every problem names the
//! release and the JSON path of the field; a lot whose CPV codes fall under
//! no service the enterprises offer is left out with a warning saying so.
//! A lot is known by its ocid and lot id, so the same package twice changes
//! nothing, and a later release of the same tender in a package wins.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::lot::{LotDraft, LotInput};
use super::services;
use crate::anchors::supplier::name_key;
use crate::csv_import::{Column, Problem, Report};
use crate::i18n::Message;
use crate::validation::Invalid;

/// The CPV 2008 code list: `79710000-4` → "Security services".
const CPV_JSON: &str = include_str!("../../../../data/enterprise/cpv2008_en.json");

/// The CPV list, by the code's eight digits: (code with its check digit,
/// description).
pub fn cpv_list() -> &'static HashMap<String, (String, String)> {
    static LIST: OnceLock<HashMap<String, (String, String)>> = OnceLock::new();
    LIST.get_or_init(|| {
        let raw: HashMap<String, String> =
            serde_json::from_str(CPV_JSON).expect("the shipped CPV list is JSON");
        raw.into_iter()
            .map(|(code, name)| (code[..8.min(code.len())].to_string(), (code, name)))
            .collect()
    })
}

/// A CPV code as published (`79710000` or `79710000-4`): its entry in the list.
pub fn cpv(code: &str) -> Option<&'static (String, String)> {
    let digits = code.trim().split('-').next().unwrap_or("");
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    cpv_list().get(digits)
}

/// An anchor as the import matches buyers to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Buyer {
    pub slug: String,
    pub name: String,
    /// Its ODS, GSS or other official code, if recorded.
    pub official_code: Option<String>,
}

/// A lot read from a package, ready to save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedLot {
    /// `releases[0].tender.lots[1]`: where it was read.
    pub path: String,
    pub release: String,
    /// The release's date, to let a later release of the tender win.
    pub date: Option<OffsetDateTime>,
    pub draft: LotDraft,
}

/// What reading a package found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Package {
    pub releases: usize,
    pub lots: Vec<PublishedLot>,
}

fn at(path: &str) -> Option<Column> {
    Some(Column {
        number: 0,
        name: path.to_string(),
    })
}

struct Reader<'a> {
    report: &'a mut Report,
}

impl Reader<'_> {
    fn error(&mut self, release: &str, path: &str, key: &str, args: &[(&str, &str)]) {
        let mut m = Message::new(key).arg("release", release).arg("path", path);
        for (k, v) in args {
            m = m.arg(k, v);
        }
        self.report.push(Problem::error(0, at(path), m));
    }

    fn warning(&mut self, release: &str, path: &str, key: &str, args: &[(&str, &str)]) {
        let mut m = Message::new(key).arg("release", release).arg("path", path);
        for (k, v) in args {
            m = m.arg(k, v);
        }
        self.report.push(Problem::warning(0, at(path), m));
    }
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// An identifier as OCDS writes it: a string or a number.
fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn date_of(v: Option<&Value>) -> Option<Result<OffsetDateTime, String>> {
    let s = v?.as_str()?.trim();
    if s.is_empty() {
        return None;
    }
    Some(OffsetDateTime::parse(s, &Rfc3339).map_err(|_| s.to_string()))
}

/// The day a timestamp falls on in the UK.
fn uk_day(t: OffsetDateTime) -> Date {
    crate::clock::uk_time(t).0.date()
}

/// Reads a release package. Errors (nothing may be saved) and warnings go
/// to `report`; the lots are returned only when there are no errors.
pub fn read(text_in: &str, buyers: &[Buyer], report: &mut Report) -> Package {
    let root: Value = match serde_json::from_str(text_in) {
        Ok(v) => v,
        Err(e) => {
            report.push(Problem::error(
                e.line() as u64,
                Some(Column {
                    number: e.column(),
                    name: String::new(),
                }),
                Message::new("enterprise.ocds.not_json").arg("detail", e.to_string()),
            ));
            return Package::default();
        }
    };
    let Some(releases) = root.get("releases").and_then(Value::as_array) else {
        let key = if root.get("records").is_some() {
            "enterprise.ocds.record_package"
        } else {
            "enterprise.ocds.no_releases"
        };
        report.push(Problem::error(0, at("releases"), Message::new(key)));
        return Package::default();
    };
    let mut r = Reader { report };
    let mut by_reference: HashMap<String, PublishedLot> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, release) in releases.iter().enumerate() {
        let path = format!("releases[{i}]");
        let release_id = id_of(release.get("id")).unwrap_or_else(|| path.clone());
        let Some(ocid) = text(release, "ocid") else {
            r.error(
                &release_id,
                &format!("{path}.ocid"),
                "enterprise.ocds.no_ocid",
                &[],
            );
            continue;
        };
        let date = match date_of(release.get("date")) {
            Some(Ok(d)) => Some(d),
            Some(Err(v)) => {
                r.error(
                    &release_id,
                    &format!("{path}.date"),
                    "enterprise.ocds.bad_date",
                    &[("value", &v)],
                );
                continue;
            }
            None => None,
        };
        let Some(tender) = release.get("tender").filter(|t| t.is_object()) else {
            r.warning(
                &release_id,
                &format!("{path}.tender"),
                "enterprise.ocds.no_tender",
                &[],
            );
            continue;
        };
        let tpath = format!("{path}.tender");
        let Some(buyer) = match_buyer(&mut r, release, &path, &release_id, buyers) else {
            continue;
        };
        let tender_title = text(tender, "title");
        let lots: Vec<(String, Option<&Value>)> = match tender.get("lots").and_then(Value::as_array)
        {
            Some(lots) if !lots.is_empty() => lots
                .iter()
                .enumerate()
                .map(|(j, l)| (format!("{tpath}.lots[{j}]"), Some(l)))
                .collect(),
            _ => vec![(tpath.clone(), None)],
        };
        let single = lots.len() == 1;
        for (lpath, lot) in lots {
            let lot_id = match lot {
                Some(l) => match id_of(l.get("id")) {
                    Some(id) => Some(id),
                    None => {
                        r.error(
                            &release_id,
                            &format!("{lpath}.id"),
                            "enterprise.ocds.no_lot_id",
                            &[],
                        );
                        continue;
                    }
                },
                None => None,
            };
            let reference = match &lot_id {
                Some(id) => format!("{ocid}/{id}"),
                None => ocid.to_string(),
            };
            // Title: the tender's, with the lot's after it.
            let lot_title = lot.and_then(|l| text(l, "title"));
            let title = match (tender_title, lot_title) {
                (Some(t), Some(l)) if t != l => format!("{t}: {l}"),
                (Some(t), _) => t.to_string(),
                (None, Some(l)) => l.to_string(),
                (None, None) => String::new(),
            };
            let title_path = match lot_title {
                Some(_) => format!("{lpath}.title"),
                None => format!("{tpath}.title"),
            };
            // Value: the lot's, else (one lot) the tender's, else the
            // lower end of a published range.
            let mut candidates: Vec<(String, &Value)> = Vec::new();
            if let Some(l) = lot {
                candidates.push((
                    format!("{lpath}.value"),
                    l.get("value").unwrap_or(&Value::Null),
                ));
            }
            if single {
                candidates.push((
                    format!("{tpath}.value"),
                    tender.get("value").unwrap_or(&Value::Null),
                ));
                candidates.push((
                    format!("{tpath}.minValue"),
                    tender.get("minValue").unwrap_or(&Value::Null),
                ));
            }
            let mut value_text = String::new();
            let mut value_path = candidates
                .first()
                .map(|(p, _)| format!("{p}.amount"))
                .unwrap_or_default();
            let mut value_bad = false;
            for (p, v) in &candidates {
                let Some(amount) = v.get("amount").filter(|a| !a.is_null()) else {
                    continue;
                };
                value_path = format!("{p}.amount");
                match v.get("currency").and_then(Value::as_str) {
                    None | Some("GBP") => {}
                    Some(other) => {
                        r.error(
                            &release_id,
                            &format!("{p}.currency"),
                            "enterprise.ocds.currency",
                            &[("value", other)],
                        );
                        value_bad = true;
                        break;
                    }
                }
                match amount {
                    Value::Number(n) => value_text = n.to_string(),
                    other => {
                        r.error(
                            &release_id,
                            &value_path,
                            "enterprise.ocds.not_a_number",
                            &[("value", &other.to_string())],
                        );
                        value_bad = true;
                    }
                }
                break;
            }
            if value_bad {
                continue;
            }
            // CPV: the items that relate to this lot (all of them when the
            // tender has no lots), their main and additional classifications,
            // else the tender's own classification.
            let mut codes: Vec<(String, String)> = Vec::new();
            let mut cpv_bad = false;
            let mut take =
                |r: &mut Reader<'_>, c: &Value, p: String, codes: &mut Vec<(String, String)>| {
                    let scheme = c.get("scheme").and_then(Value::as_str).unwrap_or("");
                    if !scheme.trim().eq_ignore_ascii_case("CPV") {
                        return;
                    }
                    let Some(id) = id_of(c.get("id")) else {
                        return;
                    };
                    match cpv(&id) {
                        Some((code, _)) => {
                            if !codes.iter().any(|(c, _)| c == code) {
                                codes.push((code.clone(), p));
                            }
                        }
                        None => {
                            r.error(
                                &release_id,
                                &format!("{p}.id"),
                                "enterprise.ocds.not_cpv",
                                &[("value", &id)],
                            );
                            cpv_bad = true;
                        }
                    }
                };
            if let Some(items) = tender.get("items").and_then(Value::as_array) {
                for (k, item) in items.iter().enumerate() {
                    let related = id_of(item.get("relatedLot"));
                    let mine = match (&lot_id, &related) {
                        (None, _) => true,
                        (Some(l), Some(rel)) => l == rel,
                        // An item with no lot named belongs to a tender of one lot.
                        (Some(_), None) => single,
                    };
                    if !mine {
                        continue;
                    }
                    let ipath = format!("{tpath}.items[{k}]");
                    if let Some(c) = item.get("classification") {
                        take(&mut r, c, format!("{ipath}.classification"), &mut codes);
                    }
                    if let Some(extra) = item
                        .get("additionalClassifications")
                        .and_then(Value::as_array)
                    {
                        for (m, c) in extra.iter().enumerate() {
                            take(
                                &mut r,
                                c,
                                format!("{ipath}.additionalClassifications[{m}]"),
                                &mut codes,
                            );
                        }
                    }
                }
            }
            if codes.is_empty()
                && let Some(c) = tender.get("classification")
            {
                take(&mut r, c, format!("{tpath}.classification"), &mut codes);
            }
            if cpv_bad {
                continue;
            }
            let tx = services::taxonomy();
            let mut service_codes: Vec<String> = Vec::new();
            for (c, _) in &codes {
                if let Some(s) = tx.for_cpv(c).first()
                    && !service_codes.contains(&s.code)
                {
                    service_codes.push(s.code.clone());
                }
            }
            if codes.is_empty() {
                r.warning(
                    &release_id,
                    &format!("{tpath}.items"),
                    "enterprise.ocds.no_cpv",
                    &[("title", &title)],
                );
                continue;
            }
            if service_codes.is_empty() {
                let (first, p) = &codes[0];
                let name = cpv(first).map(|(_, n)| n.as_str()).unwrap_or("");
                r.warning(
                    &release_id,
                    p,
                    "enterprise.ocds.no_service",
                    &[("title", &title), ("code", first), ("name", name)],
                );
                continue;
            }
            // Deadline: the lot's tender period, else the tender's.
            let mut deadline = String::new();
            let mut deadline_path = format!("{tpath}.tenderPeriod.endDate");
            let periods = [
                lot.map(|l| {
                    (
                        format!("{lpath}.tenderPeriod.endDate"),
                        l.get("tenderPeriod"),
                    )
                }),
                Some((deadline_path.clone(), tender.get("tenderPeriod"))),
            ];
            let mut deadline_bad = false;
            for (p, period) in periods.into_iter().flatten() {
                match date_of(period.and_then(|t| t.get("endDate"))) {
                    Some(Ok(d)) => {
                        deadline = crate::clock::iso_date(uk_day(d));
                        deadline_path = p;
                        break;
                    }
                    Some(Err(v)) => {
                        r.error(
                            &release_id,
                            &p,
                            "enterprise.ocds.bad_date",
                            &[("value", &v)],
                        );
                        deadline_bad = true;
                        break;
                    }
                    None => {}
                }
            }
            if deadline_bad {
                continue;
            }
            // Duration: the contract period, the lot's or the tender's.
            let mut duration = String::new();
            let contract = [
                lot.map(|l| (format!("{lpath}.contractPeriod"), l.get("contractPeriod"))),
                Some((
                    format!("{tpath}.contractPeriod"),
                    tender.get("contractPeriod"),
                )),
            ];
            for (p, period) in contract.into_iter().flatten() {
                let Some(period) = period.filter(|v| v.is_object()) else {
                    continue;
                };
                match months(period) {
                    Ok(Some(m)) => {
                        duration = m.to_string();
                        break;
                    }
                    Ok(None) => {}
                    Err((field, v)) => {
                        r.error(
                            &release_id,
                            &format!("{p}.{field}"),
                            "enterprise.ocds.bad_date",
                            &[("value", &v)],
                        );
                        deadline_bad = true;
                        break;
                    }
                }
            }
            if deadline_bad {
                continue;
            }
            let input = LotInput {
                reference: reference.clone(),
                buyer: buyer.name.clone(),
                title,
                cpv: codes[0].0.clone(),
                services: service_codes.join(", "),
                value: value_text,
                duration_months: duration,
                deadline,
                ..Default::default()
            };
            match input.validate() {
                Ok(mut draft) => {
                    draft.anchor = Some(buyer.slug.clone());
                    let lot = PublishedLot {
                        path: lpath,
                        release: release_id.clone(),
                        date,
                        draft,
                    };
                    match by_reference.get(&reference) {
                        // A later release of the same tender wins.
                        Some(held) if held.date > lot.date => {}
                        Some(_) => {
                            by_reference.insert(reference, lot);
                        }
                        None => {
                            order.push(reference.clone());
                            by_reference.insert(reference, lot);
                        }
                    }
                }
                Err(Invalid(errors)) => {
                    for f in errors {
                        let p = match f.field.as_str() {
                            "title" => title_path.clone(),
                            "value" => value_path.clone(),
                            "deadline" => deadline_path.clone(),
                            "reference" => format!("{path}.ocid"),
                            "duration_months" => format!("{tpath}.contractPeriod"),
                            _ => lpath.clone(),
                        };
                        let m = Message::new("enterprise.ocds.field")
                            .arg("release", &release_id)
                            .arg("path", &p)
                            .arg("detail", f.message.text());
                        r.report.push(Problem::error(0, at(&p), m));
                    }
                }
            }
        }
    }
    if report_has_errors(r.report) {
        return Package {
            releases: releases.len(),
            lots: Vec::new(),
        };
    }
    Package {
        releases: releases.len(),
        lots: order
            .into_iter()
            .filter_map(|k| by_reference.remove(&k))
            .collect(),
    }
}

fn report_has_errors(r: &Report) -> bool {
    r.has_errors()
}

/// Whole months of a contract period: `durationInDays`, else from its start
/// to its end (a part month counts as one). Err: the field and bad value.
fn months(period: &Value) -> Result<Option<u32>, (&'static str, String)> {
    if let Some(days) = period.get("durationInDays").and_then(Value::as_u64)
        && days > 0
    {
        return Ok(Some(u32::try_from(days.div_ceil(30)).unwrap_or(u32::MAX)));
    }
    // The days as published (an end at 23:59:59Z is that day, whatever the
    // clocks in the UK say).
    let utc_day = |t: OffsetDateTime| t.to_offset(time::UtcOffset::UTC).date();
    let start = match date_of(period.get("startDate")) {
        Some(Ok(d)) => Some(utc_day(d)),
        Some(Err(v)) => return Err(("startDate", v)),
        None => None,
    };
    let end = match date_of(period.get("endDate")) {
        Some(Ok(d)) => Some(utc_day(d)),
        Some(Err(v)) => return Err(("endDate", v)),
        None => None,
    };
    let (Some(s), Some(e)) = (start, end) else {
        return Ok(None);
    };
    if e <= s {
        return Ok(None);
    }
    let mut m = (e.year() - s.year()) * 12 + (e.month() as i32 - s.month() as i32);
    if e.day() >= s.day() {
        m += 1;
    }
    Ok(u32::try_from(m.max(1)).ok())
}

/// The release's buyer among the programme's anchors: by an identifier
/// (the buyer's id, or its party's identifier, equal to or ending in the
/// anchor's official code), else by name as the supplier matcher compares
/// names. None: an error naming the release and the field is in the report.
fn match_buyer<'b>(
    r: &mut Reader<'_>,
    release: &Value,
    path: &str,
    release_id: &str,
    buyers: &'b [Buyer],
) -> Option<&'b Buyer> {
    let buyer = release.get("buyer");
    let buyer_id = buyer.and_then(|b| id_of(b.get("id")));
    // The buyer's party (OCDS 1.1), or the buyer itself (1.0).
    let party = release
        .get("parties")
        .and_then(Value::as_array)
        .and_then(|ps| {
            ps.iter().find(|p| {
                (buyer_id.is_some() && id_of(p.get("id")) == buyer_id)
                    || p.get("roles")
                        .and_then(Value::as_array)
                        .is_some_and(|rs| rs.iter().any(|r| r.as_str() == Some("buyer")))
            })
        });
    let name = buyer
        .and_then(|b| text(b, "name"))
        .or_else(|| party.and_then(|p| text(p, "name")));
    let mut ids: Vec<String> = Vec::new();
    ids.extend(buyer_id.clone());
    for holder in [buyer, party].into_iter().flatten() {
        if let Some(i) = holder.get("identifier") {
            ids.extend(id_of(i.get("id")));
        }
        ids.extend(id_of(holder.get("id")));
    }
    let by_id = buyers.iter().find(|b| {
        b.official_code.as_deref().is_some_and(|code| {
            let code = code.trim();
            !code.is_empty()
                && ids.iter().any(|i| {
                    i.eq_ignore_ascii_case(code)
                        || i.to_ascii_uppercase()
                            .ends_with(&format!("-{}", code.to_ascii_uppercase()))
                })
        })
    });
    if let Some(b) = by_id {
        return Some(b);
    }
    let key = name.map(name_key);
    if let Some(b) = key
        .as_ref()
        .and_then(|k| buyers.iter().find(|b| name_key(&b.name) == *k))
    {
        return Some(b);
    }
    let field = if buyer.is_some() {
        format!("{path}.buyer.name")
    } else {
        format!("{path}.buyer")
    };
    r.error(
        release_id,
        &field,
        "enterprise.ocds.unknown_buyer",
        &[("buyer", name.unwrap_or(""))],
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TELFORD: &str =
        include_str!("../../../../data/enterprise/contracts_finder_telford_security_2015.json");

    fn telford() -> Vec<Buyer> {
        vec![Buyer {
            slug: "telford".into(),
            name: "Telford & Wrekin Council".into(),
            official_code: Some("E06000020".into()),
        }]
    }

    #[test]
    fn the_cpv_list_is_the_eu_vocabulary() {
        assert_eq!(cpv_list().len(), 9454);
        assert_eq!(cpv("79710000").unwrap().0, "79710000-4");
        assert_eq!(cpv("90911200-8").unwrap().1, "Building-cleaning services");
        assert!(cpv("99999999").is_none() && cpv("7971").is_none());
    }

    #[test]
    fn the_real_contracts_finder_package_reads_as_one_lot() {
        let mut report = Report::new("telford.json");
        let p = read(TELFORD, &telford(), &mut report);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(p.releases, 1);
        assert_eq!(p.lots.len(), 1);
        let l = &p.lots[0];
        assert_eq!(l.path, "releases[0].tender");
        assert_eq!(
            l.release,
            "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b-2015-s-27-45594"
        );
        let d = &l.draft;
        assert_eq!(
            d.reference,
            "ocds-b5fd17-3699858f-adc8-11e6-9901-0019b9f3037b"
        );
        assert_eq!(d.title, "United Kingdom-Telford: Security services");
        // The buyer is the anchor, by name (the ampersand is "and").
        assert_eq!(d.buyer, "Telford & Wrekin Council");
        assert_eq!(d.anchor.as_deref(), Some("telford"));
        assert_eq!(d.cpv.as_deref(), Some("79710000-4"));
        assert_eq!(d.requirements.services, ["security"]);
        // Contracts Finder published a range from £1,000,000.
        assert_eq!(d.requirements.value, 100_000_000);
        assert_eq!(d.requirements.deadline, date!(2018 - 11 - 06));
        // No contract period published: not known.
        assert_eq!(d.duration_months, None);
    }

    #[test]
    fn a_buyer_that_is_no_anchor_is_an_error_naming_release_and_field() {
        let mut report = Report::new("telford.json");
        let others = vec![Buyer {
            slug: "trust".into(),
            name: "Sandwell and West Birmingham Hospitals NHS Trust".into(),
            official_code: Some("RXK".into()),
        }];
        let p = read(TELFORD, &others, &mut report);
        assert!(p.lots.is_empty());
        let e: Vec<&Problem> = report.errors().collect();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].column.as_ref().unwrap().name, "releases[0].buyer.name");
        let text = e[0].message.text();
        assert!(text.contains("Telford and Wrekin Council"), "{text}");
        assert!(text.contains("2015-s-27-45594"), "{text}");
    }

    fn package(lots: Value) -> String {
        serde_json::json!({
            "uri": "https://example.org/p.json",
            "publishedDate": "2026-11-02T09:00:00Z",
            "releases": [{
                "ocid": "ocds-demo-1",
                "id": "ocds-demo-1-tender",
                "date": "2026-11-02T09:00:00Z",
                "tag": ["tender"],
                "buyer": {"id": "GB-NHS-RXK", "name": "SWB Hospitals"},
                "tender": {
                    "id": "T1",
                    "title": "Soft facilities management",
                    "tenderPeriod": {"endDate": "2027-01-29T12:00:00Z"},
                    "lots": lots,
                    "items": [
                        {"id": "1", "relatedLot": "1", "classification": {"scheme": "CPV", "id": "90911200"}},
                        {"id": "2", "relatedLot": "2", "classification": {"scheme": "CPV", "id": "55320000"},
                         "additionalClassifications": [{"scheme": "CPV", "id": "55520000"}]},
                        {"id": "3", "relatedLot": "3", "classification": {"scheme": "CPV", "id": "12345678"}}
                    ]
                }
            }]
        })
        .to_string()
    }

    fn trust() -> Vec<Buyer> {
        vec![Buyer {
            slug: "trust".into(),
            name: "Sandwell and West Birmingham Hospitals NHS Trust".into(),
            official_code: Some("RXK".into()),
        }]
    }

    #[test]
    fn lots_take_their_items_value_and_period_and_the_buyer_by_identifier() {
        let lots = serde_json::json!([
            {"id": "1", "title": "Cleaning", "value": {"amount": 120000, "currency": "GBP"},
             "contractPeriod": {"startDate": "2027-04-01T00:00:00Z", "endDate": "2029-03-31T23:59:59Z"}},
            {"id": "2", "title": "Catering", "value": {"amount": 85000.5, "currency": "GBP"},
             "contractPeriod": {"durationInDays": 365}}
        ]);
        // Item 3 relates to no lot here: its code is never read.
        let mut report = Report::new("p.json");
        let p = read(&package(lots), &trust(), &mut report);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(p.lots.len(), 2);
        let (a, b) = (&p.lots[0].draft, &p.lots[1].draft);
        assert_eq!(a.reference, "ocds-demo-1/1");
        assert_eq!(a.title, "Soft facilities management: Cleaning");
        assert_eq!(a.buyer, "Sandwell and West Birmingham Hospitals NHS Trust");
        assert_eq!(a.requirements.services, ["cleaning"]);
        assert_eq!(a.requirements.value, 12_000_000);
        assert_eq!(a.duration_months, Some(24));
        assert_eq!(a.requirements.deadline, date!(2027 - 01 - 29));
        assert_eq!(b.requirements.services, ["catering"]);
        assert_eq!(b.requirements.value, 8_500_050);
        assert_eq!(b.duration_months, Some(13));
        assert_eq!(b.cpv.as_deref(), Some("55320000-9"));
    }

    #[test]
    fn bad_fields_are_named_by_path_and_nothing_is_returned() {
        let lots = serde_json::json!([
            {"id": "1", "title": "Cleaning", "value": {"amount": 120000, "currency": "EUR"}},
            {"id": "2", "title": "Catering", "value": {"amount": "lots", "currency": "GBP"}},
            {"id": "3", "title": "Mystery", "value": {"amount": 1000}},
            {"title": "No id"}
        ]);
        let mut report = Report::new("p.json");
        let p = read(&package(lots), &trust(), &mut report);
        assert!(p.lots.is_empty());
        let paths: Vec<String> = report
            .errors()
            .map(|e| e.column.as_ref().unwrap().name.clone())
            .collect();
        assert_eq!(
            paths,
            [
                "releases[0].tender.lots[0].value.currency",
                "releases[0].tender.lots[1].value.amount",
                "releases[0].tender.items[2].classification.id",
                "releases[0].tender.lots[3].id",
            ]
        );
        let mut report = Report::new("p.json");
        read("{\"releases\": [", &trust(), &mut report);
        assert_eq!(report.errors().next().unwrap().line, 1);
        let mut report = Report::new("p.json");
        read("{\"records\": []}", &trust(), &mut report);
        assert_eq!(
            report.errors().next().unwrap().message.key,
            "enterprise.ocds.record_package"
        );
    }

    #[test]
    fn a_lot_no_enterprise_service_covers_is_left_out_with_a_warning() {
        let lots = serde_json::json!([
            {"id": "1", "title": "Cleaning", "value": {"amount": 120000}},
            {"id": "9", "title": "Building", "value": {"amount": 5000000}}
        ]);
        let text = package(lots)
            .replace(r#""relatedLot":"3""#, r#""relatedLot":"9""#)
            .replace("12345678", "45000000");
        let mut report = Report::new("p.json");
        let p = read(&text, &trust(), &mut report);
        assert!(!report.has_errors(), "{report}");
        assert_eq!(p.lots.len(), 1);
        let w: Vec<String> = report.warnings().map(|w| w.message.text()).collect();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("Construction work"), "{}", w[0]);
    }

    #[test]
    fn a_later_release_of_the_same_tender_wins() {
        let v: Value = serde_json::from_str(TELFORD).unwrap();
        let mut later = v["releases"][0].clone();
        later["date"] = Value::from("2015-03-01T10:00:00Z");
        later["id"] = Value::from("update");
        later["tender"]["title"] = Value::from("Security services (amended)");
        let mut both = v.clone();
        both["releases"] = Value::Array(vec![later, v["releases"][0].clone()]);
        let mut report = Report::new("p.json");
        let p = read(&both.to_string(), &telford(), &mut report);
        assert_eq!(p.lots.len(), 1);
        assert_eq!(p.lots[0].draft.title, "Security services (amended)");
    }
}
