//! Security headers on every response, the same-origin check for unsafe
//! requests, and the static files (embedded in the binary, so `useit` runs
//! from any directory).

use axum::extract::{Path, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// No inline script or style anywhere: charts use SVG attributes and classes.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'; object-src 'none'";

pub async fn headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "same-origin");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        // Pages may hold personal data: never keep them in a shared cache.
        set(h, "cache-control", "no-store");
    }
    res
}

/// Served over HTTPS (`--secure-cookies`): browsers are told to use HTTPS
/// only, for a year, so a later plain-HTTP request cannot be intercepted
/// and the session cookie taken from it.
pub async fn strict_transport(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    );
    res
}

/// Whether an unsafe request comes from this site: the browser's
/// `Sec-Fetch-Site`, else the `Origin` header against `Host`.
pub fn same_origin(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    let (Some(origin), Some(host)) = (
        h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        h.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    origin == format!("http://{host}") || origin == format!("https://{host}")
}

struct Asset {
    path: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        path: "govuk/govuk-frontend.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../static/govuk/govuk-frontend.css"),
    },
    Asset {
        path: "govuk/govuk-frontend.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../static/govuk/govuk-frontend.min.js"),
    },
    Asset {
        path: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../static/app.css"),
    },
    Asset {
        path: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../static/app.js"),
    },
    Asset {
        path: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../static/favicon.svg"),
    },
];

/// A digest of every asset's bytes: pages link `/static/v-<digest>/app.css`,
/// so a browser may keep an asset for a year and still fetch the new one
/// the moment a release changes it (the link changes with it).
static ASSET_VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: the same bytes give the same digest in
    // every process, so two servers behind one proxy agree.
    let mut h = std::hash::DefaultHasher::new();
    for a in ASSETS {
        a.path.hash(&mut h);
        a.bytes.hash(&mut h);
    }
    format!("{:016x}", h.finish())
});

/// The link to an asset, with the digest that lets browsers keep it.
pub fn asset_href(path: &str) -> String {
    format!("/static/v-{}/{path}", *ASSET_VERSION)
}

/// An asset. Linked with the current digest it is immutable for a year;
/// by its bare name (or an old digest, from a page cached before a
/// release) it is the current file, kept an hour. Text assets are sent
/// gzipped to browsers that accept it (the compression layer on this
/// route): the GOV.UK stylesheet is 138 KB as written and a fifth of that
/// compressed.
pub async fn static_file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (file, lasting) = match file.strip_prefix("v-").and_then(|f| f.split_once('/')) {
        Some((version, rest)) => (rest.to_string(), version == ASSET_VERSION.as_str()),
        None => (file, false),
    };
    let Some(a) = ASSETS.iter().find(|a| a.path == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", *ASSET_VERSION);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let cache = if lasting {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    (
        [
            (header::CONTENT_TYPE, a.content_type.to_string()),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::ETAG, etag),
        ],
        a.bytes,
    )
        .into_response()
}
