//! Pieces of the API description that a derive cannot spell alone, used
//! with `#[schema(schema_with = …)]` on the input structs' fields (cargo
//! feature `openapi`): a text field whose value is one of a fixed set (as
//! its form's choices), with or without a blank for "not given". The set
//! comes from the same constants the rules check against, so the
//! description cannot drift from `validate`.

use utoipa::openapi::schema::{
    Array, ArrayBuilder, KnownFormat, Object, ObjectBuilder, SchemaFormat, Type,
};

/// A text field that must be one of `values`; `blank` adds `""` (the field
/// left empty, which the rules read as "not given").
pub fn choice<'a>(values: impl IntoIterator<Item = &'a str>, blank: bool) -> Object {
    let mut all: Vec<String> = Vec::new();
    if blank {
        all.push(String::new());
    }
    all.extend(values.into_iter().map(str::to_string));
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(all))
        .build()
}

/// A day written `YYYY-MM-DD` that is not in the future, as the rules for
/// things that have happened want (other spellings, such as `01/03/2025`,
/// are read too). Described as the days of 1900 to 2025 up to the 28th:
/// every one is accepted, and a client generating from the description
/// does not need to know today's date.
const PAST_DAY: &str = "(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])";

/// A day that has happened (see [`PAST_DAY`]).
pub fn past_day() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^{PAST_DAY}$")))
        .description(Some("A day that has happened, YYYY-MM-DD"))
        .build()
}

/// A day that has happened, or blank.
pub fn past_day_or_blank() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^({PAST_DAY})?$")))
        .description(Some("A day that has happened, YYYY-MM-DD, or blank"))
        .build()
}

/// A day written `YYYY-MM-DD` (up to the 28th, which every month has),
/// or blank.
pub fn day_or_blank() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^([0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))?$"))
        .description(Some("A day, YYYY-MM-DD, or blank"))
        .build()
}

/// A record's id (a UUID), or blank for none.
pub fn uuid_or_blank() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(
            "^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$",
        ))
        .description(Some("A record's id, or blank"))
        .build()
}

/// A UK postcode written in capitals with its space (`B1 1AA`), or blank:
/// every one of these is read (as are other spellings, such as `b11aa`).
pub fn postcode_or_blank() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(
            "^([A-PR-UWYZ]([0-9]{1,2}|[A-Z][0-9]{1,2}|[0-9][A-Z]|[A-Z][0-9][A-Z]) [0-9][ABD-HJLNP-UW-Z]{2})?$",
        ))
        .description(Some("A UK postcode, or blank"))
        .build()
}

/// An amount of money in pounds (`1250` or `1250.50`), or blank; `£`,
/// thousands separators and the other spellings of a published file are
/// read too.
pub fn money_or_blank() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^([0-9]{1,9}(\\.[0-9]{2})?)?$"))
        .description(Some("An amount in pounds, or blank"))
        .build()
}

/// A list of `min` to `max` texts, each given (not blank).
pub fn given_texts(min: usize, max: usize) -> Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1)),
        )
        .min_items(Some(min))
        .max_items(Some(max))
        .build()
}

/// A list of `min` to `max` record ids (UUIDs).
pub fn ids(min: usize, max: usize) -> Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        )
        .min_items(Some(min))
        .max_items(Some(max))
        .build()
}

/// A whole number from `min` to `max`, written as text (a form's field).
pub fn whole_number_text(min: u32, max: u32, blank: bool) -> Object {
    let values: Vec<String> = (min..=max).map(|n| n.to_string()).collect();
    choice(values.iter().map(String::as_str), blank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_lists_its_values_and_the_blank_first() {
        let o = serde_json::to_value(choice(["a", "b"], true)).unwrap();
        assert_eq!(o["enum"], serde_json::json!(["", "a", "b"]));
        assert_eq!(o["type"], "string");
        let o = serde_json::to_value(whole_number_text(3, 5, false)).unwrap();
        assert_eq!(o["enum"], serde_json::json!(["3", "4", "5"]));
    }
}
