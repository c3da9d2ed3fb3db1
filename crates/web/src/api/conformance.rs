//! What every operation can answer besides what its handler declares, added
//! to the served OpenAPI in one place, so the description matches the
//! server: any request can be refused for its credentials (401, 403), its
//! programme or record (404), a busy database (503) or a malformed query
//! (400); a request with a body also for its size (413) or content type
//! (415) and its content (422). Every error is an RFC 9457 problem, served
//! as `application/problem+json`. Free-text parameters say what the server
//! refuses in them (control characters; more than 500 characters in the
//! address, more than 65,536 in a body), so a client built from the
//! description does not send it. A JSON body may carry fields the operation
//! does not read: they are ignored, but held to the same rule for text.

use serde_json::{Value, json};

use useit_core::listing::PageRequest;

use crate::http::text::{MAX_ADDRESS_FIELD_CHARS, MAX_PAGE};

/// The statuses every operation may answer, with what each means.
const ALWAYS: [(&str, &str); 7] = [
    ("400", "The query or path could not be read"),
    ("401", "No valid session or bearer token"),
    ("403", "The caller's role does not allow this"),
    ("404", "No such programme (or not the caller's) or record"),
    ("414", "The address is too long"),
    (
        "422",
        "What was sent is not valid: each problem names its field",
    ),
    (
        "503",
        "The database is busy: try again after Retry-After seconds",
    ),
];

/// More for operations with a request body or query to check.
const WITH_INPUT: [(&str, &str); 2] = [
    ("413", "The request body is too large"),
    (
        "415",
        "The request body is not in a content type this operation accepts",
    ),
];

/// A control character the server refuses in text (all but tab and line
/// breaks). Free text is described as *not* holding one (`not: {pattern}`)
/// rather than as a pattern every character matches (`^[^…]*$`): the two
/// say the same, but a pattern beside a `maxLength` is folded by client
/// generators into a bounded repetition (`[^…]{0,65536}`), a regular
/// expression that takes seconds to compile, so schemathesis's "data
/// generation too slow" check failed on bodies with several such fields.
const CONTROL: &str = "[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]";

/// Text the server accepts in a free-text field: no control character but
/// tab and line breaks.
fn plain_rule() -> Value {
    json!({"pattern": CONTROL})
}

/// The same for a field that must be given (`minLength` 1 or more on its
/// struct): the server trims it, so it is not only spaces.
fn given_rule() -> Value {
    json!({"anyOf": [{"pattern": CONTROL}, {"pattern": "^\\s*$"}]})
}

/// Whether a schema carries one of the two rules above.
fn has_text_rule(s: &Value) -> bool {
    s.get("not")
        .is_some_and(|n| *n == plain_rule() || *n == given_rule())
}

/// Completes the document as described above.
pub fn complete(doc: &mut Value) {
    let problem = json!({"$ref": "#/components/schemas/Problem"});
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, op) in item.iter_mut() {
            if !matches!(method.as_str(), "get" | "post" | "put" | "patch" | "delete") {
                continue;
            }
            let has_body = op.get("requestBody").is_some();
            let has_query = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in params {
                    let name = p["name"].as_str().unwrap_or("").to_string();
                    if let Some(s) = p.get_mut("schema") {
                        plain_text(s);
                        address_length(s);
                        paging(&name, s);
                    }
                }
            }
            let responses = op
                .as_object_mut()
                .expect("an operation is an object")
                .entry("responses")
                .or_insert_with(|| json!({}));
            let Some(responses) = responses.as_object_mut() else {
                continue;
            };
            // An error declared as a problem is served as problem JSON.
            // (An answer declared with its own body, such as a postcode
            // lookup's 404 that says why, is served as that.)
            for (status, r) in responses.iter_mut() {
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                if let Some(content) = r.get_mut("content").and_then(Value::as_object_mut)
                    && content
                        .get("application/json")
                        .is_some_and(|c| c["schema"] == problem)
                    && content.remove("application/json").is_some()
                {
                    content.insert(
                        "application/problem+json".into(),
                        json!({"schema": problem}),
                    );
                }
            }
            let extra = ALWAYS
                .iter()
                .chain(WITH_INPUT.iter().filter(|_| has_body || has_query));
            for (status, description) in extra {
                responses.entry(*status).or_insert_with(|| {
                    json!({
                        "description": description,
                        "content": {"application/problem+json": {"schema": problem}},
                    })
                });
            }
        }
    }
    // Request bodies' free text, in the named schemas they use (and those
    // use); answers are left as they are.
    let mut wanted: Vec<String> = Vec::new();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut() {
                // JSON and form fields only: a CSV or file body is a whole
                // file, not a field, and has no 65,536-character limit.
                let content = op
                    .get_mut("requestBody")
                    .and_then(|b| b.get_mut("content"))
                    .and_then(Value::as_object_mut);
                for (kind, c) in content.into_iter().flatten() {
                    if kind == "application/json" || kind == "application/x-www-form-urlencoded" {
                        walk(c, &mut wanted);
                    }
                }
            }
        }
    }
    let mut done: Vec<String> = Vec::new();
    while let Some(name) = wanted.pop() {
        if done.contains(&name) {
            continue;
        }
        done.push(name.clone());
        if let Some(s) = doc.pointer_mut(&format!("/components/schemas/{name}")) {
            walk(s, &mut wanted);
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.insert("PlainJson".into(), plain_json());
    }
    tuples(doc);
}

/// Any JSON value whose text (strings and keys) holds no control
/// character: what a body's fields beyond the operation's own may be.
fn plain_json() -> Value {
    let me = json!({"$ref": "#/components/schemas/PlainJson"});
    json!({
        "description": "Any JSON whose text holds no control character",
        "anyOf": [
            {"type": "string", "not": plain_rule(), "maxLength": 65_536},
            {"type": ["number", "boolean", "null"]},
            {"type": "array", "items": me},
            {
                "type": "object",
                "propertyNames": {"not": plain_rule(), "maxLength": 65_536},
                "additionalProperties": me,
            },
        ],
    })
}

/// The page size and number the server accepts (more is refused, not
/// cut down): `per_page` 0 (the list's default) to 500, `page` to 2³¹ − 1.
fn paging(name: &str, s: &mut Value) {
    let max = match name {
        "per_page" => PageRequest::MAX_PER_PAGE as u64,
        "page" => MAX_PAGE,
        _ => return,
    };
    if s.get("type").is_some_and(|t| t == "integer")
        && let Some(o) = s.as_object_mut()
    {
        o.insert("maximum".into(), json!(max));
    }
}

/// A path or query string is at most [`MAX_ADDRESS_FIELD_CHARS`] long.
fn address_length(s: &mut Value) {
    if has_text_rule(s)
        && let Some(o) = s.as_object_mut()
    {
        let limit = MAX_ADDRESS_FIELD_CHARS as u64;
        let max = o.get("maxLength").and_then(Value::as_u64).unwrap_or(limit);
        o.insert("maxLength".into(), json!(max.min(limit)));
    }
}

/// A fixed-length list written as `items: [a, b]` (how utoipa describes a
/// Rust tuple) is not valid OpenAPI 3.1: it becomes a list of exactly that
/// many items of those kinds; one written as `prefixItems` gets its
/// length's floor.
fn tuples(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(kinds)) = o.get("items").cloned() {
                let n = kinds.len();
                let first = kinds.first().cloned().unwrap_or(json!({}));
                let items = if kinds.iter().all(|k| *k == first) {
                    first
                } else {
                    json!({"anyOf": kinds})
                };
                o.insert("items".into(), items);
                o.insert("minItems".into(), json!(n));
                o.insert("maxItems".into(), json!(n));
            }
            // utoipa 6 writes a tuple as `prefixItems` with `items: false`,
            // which still admits fewer items: a tuple has all of them.
            if let Some(Value::Array(kinds)) = o.get("prefixItems")
                && o.get("items") == Some(&Value::Bool(false))
            {
                let n = kinds.len();
                o.insert("minItems".into(), json!(n));
            }
            o.values_mut().for_each(tuples);
        }
        Value::Array(list) => list.iter_mut().for_each(tuples),
        _ => {}
    }
}

/// Adds the plain-text rule to every free string in a schema (or request
/// body), noting the named schemas it refers to in `refs`.
fn walk(s: &mut Value, refs: &mut Vec<String>) {
    plain_text(s);
    match s {
        Value::Object(o) => {
            if o.get("type").is_some_and(|t| t == "object")
                && !o.contains_key("additionalProperties")
            {
                o.insert(
                    "propertyNames".into(),
                    json!({"not": plain_rule(), "maxLength": 65_536}),
                );
                o.insert(
                    "additionalProperties".into(),
                    json!({"$ref": "#/components/schemas/PlainJson"}),
                );
            }
            if let Some(Value::String(r)) = o.get("$ref")
                && let Some(name) = r.strip_prefix("#/components/schemas/")
            {
                refs.push(name.to_string());
            }
            for (_, v) in o.iter_mut() {
                if v.is_object() || v.is_array() {
                    walk(v, refs);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|v| walk(v, refs)),
        _ => {}
    }
}

/// A string with no format, pattern or list of values gets the pattern and
/// length the server enforces.
fn plain_text(s: &mut Value) {
    let is_string = match s.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
        _ => false,
    };
    let Some(o) = s.as_object_mut() else {
        return;
    };
    if !is_string
        || o.contains_key("format")
        || o.contains_key("pattern")
        || o.contains_key("enum")
        || o.contains_key("not")
    {
        return;
    }
    let given = o
        .get("minLength")
        .and_then(Value::as_u64)
        .is_some_and(|n| n > 0);
    o.insert(
        "not".into(),
        if given { given_rule() } else { plain_rule() },
    );
    o.entry("maxLength").or_insert(json!(65_536));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_declares_the_problems_it_can_answer() {
        let mut doc = serde_json::to_value(super::super::document()).unwrap();
        complete(&mut doc);
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let r = &op["responses"];
                for s in ["400", "401", "403", "404", "414", "422", "503"] {
                    assert!(r.get(s).is_some(), "{method} {path} lacks {s}");
                }
                for (status, resp) in r.as_object().unwrap() {
                    if status.starts_with('4') || status.starts_with('5') {
                        let problem = json!({"$ref": "#/components/schemas/Problem"});
                        assert!(
                            resp["content"]
                                .get("application/json")
                                .is_none_or(|c| c["schema"] != problem),
                            "{method} {path} {status} is not problem JSON"
                        );
                    }
                }
            }
        }
        // A postcode lookup's 404 says why in its own body.
        let lookup = &doc["paths"]["/api/v1/programmes/{programme}/place/postcodes/{postcode}"]["get"]
            ["responses"]["404"]["content"];
        assert!(lookup.get("application/json").is_some(), "{lookup}");
        let name = &doc["components"]["schemas"]["NewTokenJson"]["properties"]["name"];
        assert_eq!(name["not"], plain_rule());
        assert!(name.get("pattern").is_none());
        // A CSV upload is a whole file: no field limit on it.
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                if let Some(csv) = op.pointer("/requestBody/content/text~1csv/schema") {
                    assert!(csv.get("maxLength").is_none(), "{csv}");
                }
            }
        }
        // Every `{name}` in a path is one declared path parameter, and no
        // other: a client fills the address from them.
        for (path, item) in doc["paths"].as_object().unwrap() {
            let mut named: Vec<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split('}').next())
                .collect();
            named.sort();
            for (method, op) in item.as_object().unwrap() {
                let mut declared: Vec<&str> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect();
                declared.sort();
                assert_eq!(declared, named, "{method} {path}");
            }
        }
        // A Rust tuple is a list of fixed length, not `items: [..]`; no
        // schema is named twice over (the last would hide the first).
        let settings = &doc["components"]["schemas"];
        assert!(!doc.to_string().contains(r#""items":["#));
        assert!(settings.get("InteractionDecileJson").is_some());
        assert!(settings["PersonBody"]["required"].as_array().unwrap().len() >= 4);
        // Answers are described as they are.
        let line = &doc["components"]["schemas"]["ProblemLine"]["properties"]["column_name"];
        assert!(line.get("pattern").is_none());
    }
}
