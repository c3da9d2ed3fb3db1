//! Text from outside is checked once, where it enters: the path, the query
//! string, and URL-encoded or JSON bodies. A NUL byte or another control
//! character (see [`useit_core::validation::control_character`]) is refused
//! with 422 naming the field, before any handler or database sees it, so
//! every route answers alike on SQLite (which would store it) and
//! PostgreSQL (which would fail with a server error). Uploaded files are
//! checked by their readers, which can say the line and column.
//!
//! The same gate bounds such text: a form or JSON body is at most
//! [`MAX_TEXT_BODY`] (files travel as multipart or as the file itself, under
//! the larger upload limit), and no field longer than
//! [`useit_core::validation::MAX_FIELD_CHARS`] reaches a handler.

use axum::extract::{Request, State};
use axum::http::{Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use useit_core::listing::PageRequest;
use useit_core::validation::{Invalid, MAX_FIELD_CHARS, plain_text};

use crate::http::error::{ApiError, AppError, PageError};

/// The longest text one path segment or query parameter may hold. An
/// address is at most 64 KiB (longer is refused with 414 before any route
/// sees it); at 500 characters, even ten parameters of four-byte characters
/// written as `%XX` fit, so a too-long value is refused by its name (422)
/// rather than by the address's length. Searches and names are shorter.
pub const MAX_ADDRESS_FIELD_CHARS: usize = 500;

/// The highest page number a list is asked for: the description's 32-bit
/// integer.
pub const MAX_PAGE: u64 = i32::MAX as u64;

/// The largest form or JSON body read: ten thousand postcodes in a bulk
/// look-up are 120 KB, an area of benefit with every ward in England under
/// 200 KB; nothing a person or a client sends as text comes near 4 MiB.
pub const MAX_TEXT_BODY: usize = 4 * 1024 * 1024;

/// The middleware; its state is the largest body it will read.
pub async fn refuse_control_characters(
    State(limit): State<usize>,
    req: Request,
    next: Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let reply = |e: AppError| {
        if api {
            ApiError(e).into_response()
        } else {
            PageError(e).into_response()
        }
    };
    if let Err(e) = check_uri(req.uri()) {
        return reply(e.into());
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let body = if content_type.starts_with("application/x-www-form-urlencoded") {
        Kind::Form
    } else if content_type.starts_with("application/json")
        || content_type.starts_with("application/merge-patch+json")
    {
        Kind::Json
    } else {
        return next.run(req).await;
    };
    let (parts, b) = req.into_parts();
    let bytes = match axum::body::to_bytes(b, limit.min(MAX_TEXT_BODY)).await {
        Ok(bytes) => bytes,
        Err(_) => return reply(AppError::PayloadTooLarge),
    };
    let checked = match body {
        Kind::Form => check_form(&bytes),
        Kind::Json => check_json(&bytes),
    };
    if let Err(e) = checked {
        return reply(e.into());
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
        .await
}

enum Kind {
    Form,
    Json,
}

/// The decoded path (named `path`) and each query parameter (by its name).
fn check_uri(uri: &Uri) -> Result<(), Invalid> {
    match String::from_utf8(percent_decode(uri.path().as_bytes())) {
        Ok(path) => plain_text("path", &path)?,
        Err(_) => plain_text("path", "\0")?,
    }
    for segment in uri.path().split('/') {
        let segment = String::from_utf8_lossy(&percent_decode(segment.as_bytes())).into_owned();
        address_field("path", &segment)?;
    }
    if let Some(q) = uri.query() {
        check_form(q.as_bytes())?;
        if let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(q.as_bytes()) {
            for (name, value) in &fields {
                address_field("query", name)?;
                address_field(name, value)?;
                paging(name, value)?;
            }
        }
    }
    Ok(())
}

/// Refuses a page size over [`PageRequest::MAX_PER_PAGE`] and a page
/// number past what the description allows (a 32-bit integer), rather
/// than answering a different page size or page than was asked for.
fn paging(name: &str, value: &str) -> Result<(), Invalid> {
    let max = match name {
        "per_page" => PageRequest::MAX_PER_PAGE as u64,
        "page" => MAX_PAGE,
        _ => return Ok(()),
    };
    match value.trim().parse::<u64>() {
        Ok(n) if n > max => Err(Invalid::one(
            name,
            useit_core::i18n::Message::new("validation.paging_range")
                .arg("field", name)
                .arg("max", max),
        )),
        // Not a number at all: the list's own query reading refuses it.
        _ => Ok(()),
    }
}

/// Refuses a path segment or query value longer than
/// [`MAX_ADDRESS_FIELD_CHARS`], naming it.
fn address_field(field: &str, text: &str) -> Result<(), Invalid> {
    if text.len() > MAX_ADDRESS_FIELD_CHARS && text.chars().count() > MAX_ADDRESS_FIELD_CHARS {
        return Err(Invalid::one(
            field,
            useit_core::i18n::Message::new("validation.address_field_too_long")
                .arg("field", field)
                .arg("limit", MAX_ADDRESS_FIELD_CHARS),
        ));
    }
    Ok(())
}

/// Each field of a URL-encoded form or query string, by its name.
fn check_form(bytes: &[u8]) -> Result<(), Invalid> {
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes) else {
        return Ok(());
    };
    for (name, value) in &fields {
        plain_text("query", name)?;
        plain_text(name, value)?;
    }
    Ok(())
}

/// Every string (and object key) of a JSON body, named by its JSON pointer
/// (`items/2/name`). Control characters can only be in JSON as `\u` escapes
/// (raw ones make the JSON invalid, which the handler refuses) or as a raw
/// DEL, and no string is longer than its body, so a short body without
/// either is passed without parsing.
fn check_json(bytes: &[u8]) -> Result<(), Invalid> {
    let suspicious = bytes.len() > MAX_FIELD_CHARS
        || bytes.contains(&0x7f)
        || bytes.windows(2).any(|w| w == b"\\u");
    if !suspicious {
        return Ok(());
    }
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return Ok(());
    };
    walk(&value, "")
}

fn walk(value: &Value, at: &str) -> Result<(), Invalid> {
    let field = |at: &str| {
        if at.is_empty() {
            "body".to_string()
        } else {
            at.to_string()
        }
    };
    match value {
        Value::String(s) => plain_text(&field(at), s),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, &join(at, &i.to_string()))?;
            }
            Ok(())
        }
        Value::Object(map) => {
            for (k, v) in map {
                plain_text(&field(at), k)?;
                walk(v, &join(at, k))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A JSON pointer one level down (`~` and `/` escaped as RFC 6901 says).
fn join(at: &str, key: &str) -> String {
    let key = key.replace('~', "~0").replace('/', "~1");
    if at.is_empty() {
        key
    } else {
        format!("{at}/{key}")
    }
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The body of a file upload sent as it is (a CSV file, as published):
/// described as text of at least one character, since an empty file is
/// refused (the request body's media type is `text/csv`). What the rows hold is the
/// importer's to say, line by line.
pub struct CsvFile;

impl utoipa::PartialSchema for CsvFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(1))
            .description(Some("The CSV file as it is; an empty file is refused"))
            .build()
            .into()
    }
}

impl utoipa::ToSchema for CsvFile {}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<(), Invalid>) -> Option<String> {
        r.err().map(|e| e.0[0].field.clone())
    }

    #[test]
    fn the_field_holding_a_control_character_is_named() {
        let uri: Uri = "/p/alpha%00/partners".parse().unwrap();
        assert_eq!(field(check_uri(&uri)).as_deref(), Some("path"));
        let uri: Uri = "/p/alpha/partners?q=a%00b&page=2".parse().unwrap();
        assert_eq!(field(check_uri(&uri)).as_deref(), Some("q"));
        let uri: Uri = "/p/alpha/partners?q=Caf%C3%A9&page=2".parse().unwrap();
        assert_eq!(field(check_uri(&uri)), None);
        assert_eq!(
            field(check_form(b"email=a%00%40b.example&password=x")).as_deref(),
            Some("email")
        );
        assert_eq!(
            field(check_json(
                br#"{"name": "ok", "items": [{"notes": "line\nbreak"}, {"name": "a\u0000"}]}"#
            ))
            .as_deref(),
            Some("items/1/name")
        );
        assert_eq!(field(check_json(br#"{"notes": "tab\tand \u00e9"}"#)), None);
        assert_eq!(
            field(check_json(b"{\"a\": \"\x7f\"}")).as_deref(),
            Some("a")
        );
        assert_eq!(percent_decode(b"/a%2Fb%0"), b"/a/b%0");
        let uri: Uri = "/p/alpha/partners?per_page=500&page=2147483647"
            .parse()
            .unwrap();
        assert_eq!(field(check_uri(&uri)), None);
        let uri: Uri = "/p/alpha/partners?per_page=501".parse().unwrap();
        assert_eq!(field(check_uri(&uri)).as_deref(), Some("per_page"));
        let uri: Uri = "/p/alpha/partners?page=2147483648".parse().unwrap();
        assert_eq!(field(check_uri(&uri)).as_deref(), Some("page"));
        // In the address, a value is at most 500 characters.
        let at_most = "%C3%A9".repeat(MAX_ADDRESS_FIELD_CHARS);
        let uri: Uri = format!("/p/alpha/partners?q={at_most}").parse().unwrap();
        assert_eq!(field(check_uri(&uri)), None);
        let uri: Uri = format!("/p/alpha/partners?q={at_most}x").parse().unwrap();
        assert_eq!(field(check_uri(&uri)).as_deref(), Some("q"));
        let uri: Uri = format!("/p/{at_most}x/partners").parse().unwrap();
        assert_eq!(field(check_uri(&uri)).as_deref(), Some("path"));
        let long = format!(r#"{{"name": "{}"}}"#, "x".repeat(MAX_FIELD_CHARS + 1));
        assert_eq!(field(check_json(long.as_bytes())).as_deref(), Some("name"));
        let long = format!("name={}", "x".repeat(MAX_FIELD_CHARS + 1));
        assert_eq!(field(check_form(long.as_bytes())).as_deref(), Some("name"));
    }
}
