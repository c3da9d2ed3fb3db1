//! Dates in JSON as `YYYY-MM-DD`, the way every API client and spreadsheet
//! reads them, instead of `time`'s compact `[year, day of year]` (issue
//! 16.10). Reading accepts both, so JSON stored before the change (an
//! enterprise's profile, a held import) still reads.
//!
//! Use with `#[serde(with = "crate::iso_date")]`, or `iso_date::option` for
//! an `Option<Date>`.

use serde::{Deserialize, Deserializer, Serializer};
use time::Date;

use crate::clock::iso_date;

pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso_date(*d))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Either {
    Text(String),
    Compact(i32, u16),
}

fn from(e: Either) -> Result<Date, String> {
    match e {
        Either::Text(t) => crate::validation::parse_date(&t).ok_or(format!("not a date: {t}")),
        Either::Compact(y, ordinal) => {
            Date::from_ordinal_date(y, ordinal).map_err(|e| e.to_string())
        }
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    from(Either::deserialize(d)?).map_err(serde::de::Error::custom)
}

pub mod option {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<Either>::deserialize(d)?
            .map(from)
            .transpose()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use time::macros::date;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct T {
        #[serde(with = "super")]
        on: time::Date,
        #[serde(with = "super::option", default)]
        until: Option<time::Date>,
    }

    #[test]
    fn dates_are_written_iso_and_read_either_way() {
        let t = T {
            on: date!(2026 - 08 - 04),
            until: None,
        };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"on":"2026-08-04","until":null}"#);
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), t);
        let legacy: T = serde_json::from_str(r#"{"on":[2026,216],"until":[2027,1]}"#).unwrap();
        assert_eq!(legacy.on, date!(2026 - 08 - 04));
        assert_eq!(legacy.until, Some(date!(2027 - 01 - 01)));
        assert!(serde_json::from_str::<T>(r#"{"on":"someday"}"#).is_err());
    }
}
