//! Liveness and readiness for load balancers and orchestrators.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;

use crate::http::ctx::Access;
use crate::http::route::{Route, api};
use crate::state::AppState;

pub fn routes() -> Vec<Route> {
    vec![
        api(Method::GET, "/healthz", Access::Public, healthz),
        api(Method::GET, "/readyz", Access::Public, readyz),
    ]
}

/// The process is up.
async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok")
}

/// The database answers: ready for traffic.
async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    match useit_app::auth::deployment::ready(app.store.as_ref()).await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
