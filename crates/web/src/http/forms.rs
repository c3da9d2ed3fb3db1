//! Helpers for HTML forms: the GOV.UK date input, URL encoding, and reading
//! an uploaded file together with its CSRF token.

use axum::extract::{FromRequest, Multipart, Request};
use serde::Deserialize;

use crate::http::ctx::CsrfPending;
use crate::http::error::{AppError, PageError};
use useit_core::i18n::Message;

/// Percent-encodes a query-string value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Builds a query string from pairs, skipping empty values.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// A GOV.UK date input's three boxes.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DateParts {
    pub day: String,
    pub month: String,
    pub year: String,
}

impl DateParts {
    /// `YYYY-MM-DD` for the validator; empty when all three are empty, and
    /// something the validator will reject (with the boxes' text) otherwise.
    pub fn iso(&self) -> String {
        let (d, m, y) = (self.day.trim(), self.month.trim(), self.year.trim());
        if d.is_empty() && m.is_empty() && y.is_empty() {
            return String::new();
        }
        match (d.parse::<u8>(), m.parse::<u8>(), y.parse::<u16>()) {
            (Ok(d), Ok(m), Ok(y)) if y >= 1000 => format!("{y:04}-{m:02}-{d:02}"),
            _ => format!("{d}/{m}/{y}"),
        }
    }

    pub fn from_date(d: Option<time::Date>) -> Self {
        match d {
            Some(d) => DateParts {
                day: d.day().to_string(),
                month: (d.month() as u8).to_string(),
                year: d.year().to_string(),
            },
            None => DateParts::default(),
        }
    }
}

/// Compares secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An uploaded file and the other fields of a `multipart/form-data` form.
/// Reading an upload through this extractor is what checks its CSRF token.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub fields: Vec<(String, String)>,
    /// The files after the first, in the order sent, for a form whose file
    /// input takes several (`<input type=file multiple>`).
    pub more: Vec<(String, Vec<u8>)>,
}

impl Upload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = req.extensions().get::<CsrfPending>().cloned();
        let mut mp = Multipart::from_request(req, state).await.map_err(|e| {
            AppError::BadRequest(Message::new("upload.unreadable").arg("reason", e.body_text()))
        })?;
        let mut up = Upload {
            file_name: String::new(),
            bytes: Vec::new(),
            fields: Vec::new(),
            more: Vec::new(),
        };
        let mut files = 0;
        while let Some(field) = mp.next_field().await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(Message::new("upload.unreadable").arg("reason", e.body_text()))
            }
        })? {
            let name = field.name().unwrap_or("").to_string();
            if let Some(f) = field.file_name() {
                let name = f.rsplit(['/', '\\']).next().unwrap_or(f).to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::PayloadTooLarge)?
                    .to_vec();
                files += 1;
                if files == 1 {
                    (up.file_name, up.bytes) = (name, bytes);
                } else {
                    up.more.push((name, bytes));
                }
            } else {
                let v = field.text().await.unwrap_or_default();
                up.fields.push((name, v));
            }
        }
        if let Some(CsrfPending(token)) = expected {
            let given = up.field("_csrf").unwrap_or("");
            if !constant_time_eq(given, &token) {
                return Err(AppError::Forbidden.into());
            }
        }
        Ok(up)
    }
}

/// A `multipart/form-data` form whose one file is written to a temporary
/// file as it arrives, never held in memory whole (a national register is
/// gigabytes). The CSRF token is checked once the form is read; the file is
/// removed if it fails, as it is whenever the `SpooledFile` is dropped.
pub struct SpooledUpload {
    /// The file's name as sent; empty when no file was chosen.
    pub file_name: String,
    pub file: Option<useit_app::anchors::register::SpooledFile>,
    pub fields: Vec<(String, String)>,
}

impl SpooledUpload {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequest<S> for SpooledUpload {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use useit_app::anchors::register::SpooledFile;
        let expected = req.extensions().get::<CsrfPending>().cloned();
        let unreadable = |e: axum::extract::multipart::MultipartError| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::BadRequest(Message::new("upload.unreadable").arg("reason", e.body_text()))
            }
        };
        let mut mp = Multipart::from_request(req, state).await.map_err(|e| {
            AppError::BadRequest(Message::new("upload.unreadable").arg("reason", e.body_text()))
        })?;
        let mut up = SpooledUpload {
            file_name: String::new(),
            file: None,
            fields: Vec::new(),
        };
        while let Some(mut field) = mp.next_field().await.map_err(unreadable)? {
            let name = field.name().unwrap_or("").to_string();
            match field.file_name() {
                // One file: a second is not read.
                Some(f) if up.file.is_none() => {
                    up.file_name = f.rsplit(['/', '\\']).next().unwrap_or(f).to_string();
                    let (file, mut writer) = SpooledFile::create().map_err(AppError::internal)?;
                    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                        writer.write(&chunk).await.map_err(AppError::internal)?;
                    }
                    writer.flush().await.map_err(AppError::internal)?;
                    up.file = Some(file);
                }
                Some(_) => while field.chunk().await.map_err(unreadable)?.is_some() {},
                None => {
                    let v = field.text().await.unwrap_or_default();
                    up.fields.push((name, v));
                }
            }
        }
        if let Some(CsrfPending(token)) = expected {
            let given = up.field("_csrf").unwrap_or("");
            if !constant_time_eq(given, &token) {
                return Err(AppError::Forbidden.into());
            }
        }
        Ok(up)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parts() {
        let p = DateParts {
            day: "5".into(),
            month: "11".into(),
            year: "2016".into(),
        };
        assert_eq!(p.iso(), "2016-11-05");
        let bad = DateParts {
            day: "31".into(),
            month: "x".into(),
            year: "2016".into(),
        };
        assert_eq!(bad.iso(), "31/x/2016");
        assert_eq!(DateParts::default().iso(), "");
    }

    #[test]
    fn encoding() {
        assert_eq!(url_encode("/p/a b?x=1&y"), "/p/a%20b%3Fx%3D1%26y");
        assert_eq!(query(&[("q", "a&b"), ("kind", "")]), "?q=a%26b");
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
    }
}
