//! One error type for handlers, rendered two ways: a GOV.UK error page for
//! people, RFC 9457 problem JSON (with JSON pointers to the fields) for
//! programs. Internal details are logged, never shown.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use useit_core::csv_import::Report;
use useit_core::i18n::Message;
use useit_core::validation::{FieldError, Invalid};
use useit_store::StoreError;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    /// Not signed in; pages send people to sign in and back to `next`.
    Unauthorized {
        next: Option<String>,
    },
    Invalid(Vec<FieldError>),
    /// Well formed, but naming a record the programme does not have: a 404
    /// naming each field (a form shows them as it shows invalid fields).
    Unknown(Vec<FieldError>),
    Conflict {
        field: String,
        message: Message,
    },
    BadRequest(Message),
    PayloadTooLarge,
    /// An import with errors: nothing was written.
    ImportRejected(Report),
    /// The database is busy with another write; nothing was written. A
    /// 503 with `Retry-After`, never a 500.
    Busy,
    Internal(String),
}

impl AppError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Unknown(_) => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            AppError::Invalid(_) | AppError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn title_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error.not_found.title",
            AppError::Forbidden => "error.forbidden.title",
            AppError::Unauthorized { .. } => "error.unauthorized.title",
            AppError::Invalid(_) => "error.invalid.title",
            AppError::Unknown(_) => "error.unknown.title",
            AppError::ImportRejected(_) => "error.import.title",
            AppError::Conflict { .. } => "error.conflict.title",
            AppError::BadRequest(_) => "error.bad_request.title",
            AppError::PayloadTooLarge => "error.too_large.title",
            AppError::Busy => "error.busy.title",
            AppError::Internal(_) => "error.internal.title",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::NotFound => useit_core::i18n::t("error.not_found.detail").into(),
            AppError::Forbidden => useit_core::i18n::t("error.forbidden.detail").into(),
            AppError::Unauthorized { .. } => {
                useit_core::i18n::t("error.unauthorized.detail").into()
            }
            AppError::Invalid(errs) | AppError::Unknown(errs) => errs
                .iter()
                .map(|e| e.message.text())
                .collect::<Vec<_>>()
                .join("; "),
            // A file refused as a whole (empty, a PDF, not text) is said
            // in its one sentence rather than counted.
            AppError::ImportRejected(r) => match r.file_problem() {
                Some(p) => p.message.text(),
                None => useit_core::i18n::tn("error.import.detail", r.errors().count() as u64),
            },
            AppError::Conflict { message, .. } | AppError::BadRequest(message) => message.text(),
            AppError::PayloadTooLarge => useit_core::i18n::t("error.too_large.detail").into(),
            AppError::Busy => useit_core::i18n::t("error.busy.detail").into(),
            AppError::Internal(_) => useit_core::i18n::t("error.internal.detail").into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { field, message } => AppError::Conflict { field, message },
            StoreError::Invalid(Invalid(errs)) => AppError::Invalid(errs),
            StoreError::Unknown(Invalid(errs)) => AppError::Unknown(errs),
            StoreError::Busy(why) => {
                tracing::warn!(reason = %why, "database busy");
                AppError::Busy
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<useit_app::Error> for AppError {
    fn from(e: useit_app::Error) -> Self {
        use useit_app::Error as E;
        match e {
            E::NotFound => AppError::NotFound,
            E::Refused => AppError::Forbidden,
            E::Invalid(errs) => AppError::Invalid(errs),
            E::Unknown(errs) => AppError::Unknown(errs),
            E::Conflict { field, message } => AppError::Conflict { field, message },
            E::Rejected(report) => AppError::ImportRejected(report),
            E::Store(e) => e.into(),
        }
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e.0)
    }
}

/// One field's problem in problem JSON.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// JSON pointer to the field in the request body, e.g. `#/name`.
    pub pointer: String,
    pub detail: String,
}

/// One problem in an uploaded file.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemLine {
    pub severity: String,
    pub line: u64,
    pub column: Option<usize>,
    pub column_name: Option<String>,
    pub detail: String,
}

/// An RFC 9457 problem details object.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemLine>,
}

pub fn problem_lines(report: &Report) -> Vec<ProblemLine> {
    report
        .problems
        .iter()
        .map(|p| ProblemLine {
            severity: p.severity.slug().to_string(),
            line: p.line,
            column: p.column.as_ref().map(|c| c.number).filter(|n| *n > 0),
            column_name: p.column.as_ref().map(|c| c.name.clone()),
            detail: p.message.text(),
        })
        .collect()
}

/// The error as problem JSON, for API routes.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        if let AppError::Internal(msg) = &e {
            tracing::error!(error = %msg, "internal error");
        }
        let status = e.status();
        let errors = match &e {
            AppError::Invalid(errs) | AppError::Unknown(errs) => errs
                .iter()
                .map(|f| ProblemField {
                    pointer: format!("#/{}", f.field),
                    detail: f.message.text(),
                })
                .collect(),
            AppError::Conflict { field, message } => vec![ProblemField {
                pointer: format!("#/{field}"),
                detail: message.text(),
            }],
            _ => Vec::new(),
        };
        let (file, problems) = match &e {
            AppError::ImportRejected(r) => (Some(r.file.clone()), problem_lines(r)),
            _ => (None, Vec::new()),
        };
        let kind = match &e {
            AppError::Invalid(_) => "urn:useit:problem:validation",
            AppError::Unknown(_) => "urn:useit:problem:unknown-record",
            AppError::ImportRejected(_) => "urn:useit:problem:import-rejected",
            AppError::Conflict { .. } => "urn:useit:problem:conflict",
            _ => "about:blank",
        };
        let body = Problem {
            kind: kind.to_string(),
            title: useit_core::i18n::t(e.title_key()).to_string(),
            status: status.as_u16(),
            detail: e.detail(),
            errors,
            file,
            problems,
        };
        let mut res = (status, axum::Json(body)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            "application/problem+json".parse().expect("static header"),
        );
        if let AppError::Unauthorized { .. } = e {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                "Bearer realm=\"useit\"".parse().expect("static header"),
            );
        }
        retry_later(&e, res)
    }
}

/// A busy database: the client may try again in a couple of seconds.
fn retry_later(e: &AppError, mut res: Response) -> Response {
    if let AppError::Busy = e {
        res.headers_mut().insert(
            header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("2"),
        );
    }
    res
}

/// The error as a page, for people.
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        match &e {
            AppError::Unauthorized { next } => {
                let to = match next {
                    Some(n) => format!("/sign-in?next={}", crate::http::forms::url_encode(n)),
                    None => "/sign-in".to_string(),
                };
                return Redirect::to(&to).into_response();
            }
            AppError::Internal(msg) => tracing::error!(error = %msg, "internal error"),
            _ => {}
        }
        let res = crate::http::views::error_page(e.status(), e.title_key(), &e.detail());
        retry_later(&e, res)
    }
}

/// Refusals made before a handler runs (axum's extractors: a body too
/// large, the wrong content type, JSON that does not fit, a method the path
/// does not take) come back as bare text or nothing. This middleware gives
/// them the same shape as every other error: problem JSON on the API, an
/// error page for people, with axum's reason as the detail.
pub async fn shape_bare_refusals(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    let status = res.status();
    let bare = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| ct.starts_with("text/plain"));
    if !status.is_client_error() || !bare {
        return res;
    }
    let title_key = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "error.too_large.title",
        StatusCode::UNPROCESSABLE_ENTITY => "error.invalid.title",
        StatusCode::NOT_FOUND => "error.not_found.title",
        StatusCode::METHOD_NOT_ALLOWED => "error.method_not_allowed.title",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "error.unsupported_media_type.title",
        _ => "error.bad_request.title",
    };
    let mut headers = res.headers().clone();
    let reason = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let detail = if reason.is_empty() {
        useit_core::i18n::t(title_key).to_string()
    } else {
        reason
    };
    let mut shaped = if api {
        let body = Problem {
            kind: "about:blank".into(),
            title: useit_core::i18n::t(title_key).to_string(),
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
            file: None,
            problems: Vec::new(),
        };
        let mut r = (status, axum::Json(body)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            "application/problem+json".parse().expect("static header"),
        );
        r
    } else {
        crate::http::views::error_page(status, title_key, &detail)
    };
    // Keep what the refusal said besides its body (`Allow` on a 405, the
    // access guard's marker).
    headers.remove(header::CONTENT_TYPE);
    headers.remove(header::CONTENT_LENGTH);
    for (k, v) in headers.iter() {
        if !shaped.headers().contains_key(k) {
            shaped.headers_mut().insert(k.clone(), v.clone());
        }
    }
    shaped
}

#[cfg(test)]
mod busy_tests {
    use super::*;

    #[test]
    fn a_busy_database_is_a_503_with_retry_after_on_both_surfaces() {
        let busy = || AppError::from(StoreError::Busy("database is locked".into()));
        for res in [
            ApiError(busy()).into_response(),
            PageError(busy()).into_response(),
        ] {
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(res.headers()[header::RETRY_AFTER], "2");
        }
    }
}
