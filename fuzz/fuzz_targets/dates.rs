//! Dates as spend files, forms and JSON write them: whatever is read as a
//! date writes back as `YYYY-MM-DD` and reads again to the same day, in
//! either order of day and month; the order tally decides without panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use useit_core::anchors::dates::{self, DateOrder, Evidence, OrderTally};
use useit_core::anchors::{spend_file, spreadsheet};
use useit_core::clock::iso_date;
use useit_core::validation;

#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Dated {
    #[serde(with = "useit_core::iso_date")]
    on: time::Date,
    #[serde(with = "useit_core::iso_date::option", default)]
    until: Option<time::Date>,
}

fn round_trip(d: time::Date) {
    let iso = iso_date(d);
    for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
        assert_eq!(dates::parse_date(&iso, order).ok(), Some(Some(d)), "{iso}");
    }
    assert_eq!(validation::parse_date(&iso), Some(d), "{iso}");
    let json = serde_json::to_string(&Dated {
        on: d,
        until: Some(d),
    })
    .unwrap();
    let back: Dated = serde_json::from_str(&json).unwrap();
    assert_eq!((back.on, back.until), (d, Some(d)), "{json}");
}

fuzz_target!(|data: &[u8]| {
    if data.len() >= 8 {
        let serial = f64::from_le_bytes(data[..8].try_into().unwrap());
        let _ = spreadsheet::excel_day(serial);
    }
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let mut tally = OrderTally::default();
    for (i, part) in raw.split('\n').enumerate() {
        tally.add(i as u64 + 1, part);
    }
    let _ = tally.decide(None);
    let _ = tally.decide(Some(DateOrder::MonthFirst));

    let day_first = dates::parse_date(raw, DateOrder::DayFirst);
    let month_first = dates::parse_date(raw, DateOrder::MonthFirst);
    assert_eq!(spend_file::parse_date(raw).ok(), day_first.clone().ok());
    for d in [&day_first, &month_first].into_iter().flatten().flatten() {
        round_trip(*d);
    }
    // A value only one order reads is not read the same by both.
    if dates::evidence(raw) == Evidence::Either
        && let (Ok(Some(a)), Ok(Some(b))) = (&day_first, &month_first)
        && a.day() == a.month() as u8
    {
        assert_eq!(a, b);
    }
    if let Some(d) = validation::parse_date(raw) {
        round_trip(d);
    }
    // Dates in JSON, as the API and stored records hold them.
    let _ = serde_json::from_slice::<Dated>(data);
});
